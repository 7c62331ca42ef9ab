/*
 * jailer: a minimal FreeBSD jail manager.
 *
 * The library's shared definitions: the handle that carries the last
 * error and the global settings, growable buffers, host paths and small
 * file helpers.  Library code never prints to stdout and never exits; it
 * returns 0 or -1 and leaves the reason in the handle.
 */
#ifndef JAILER_H
#define JAILER_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "vis.h"		/* vis(), utf8_len(): the lowest module */

#define	JAILER_VERSION	"0.2.0"

#ifndef nitems
#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))
#endif

#if defined(__GNUC__) || defined(__clang__)
#define	PRINTFLIKE(f, a)	__attribute__((__format__(__printf__, f, a)))
#else
#define	PRINTFLIKE(f, a)
#endif

/* The handle every library call takes. */
struct plan;

struct jailer {
	char	 err[1024];	/* the last error, one line */
	int	 verbose;	/* -v: echo every external command */
	int	 dryrun;	/* mutating commands are printed, not run */
	int	 undoing;	/* running undo steps: ignore interruptions */
	int	 timeout;	/* RUN_TIMED: seconds (0: no limit) */
	struct plan *plan;	/* -D -j: the plan being made, or NULL */
};

/* Set by SIGINT and SIGTERM; operations stop and undo what they did. */
extern volatile sig_atomic_t jailer_interrupted;

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/* Errors (err.c). */
int	 jailer_seterr(struct jailer *, const char *, ...) PRINTFLIKE(2, 3);
int	 jailer_seterrno(struct jailer *, const char *, ...) PRINTFLIKE(2, 3);
void	 jailer_warnx(const char *, const char *, ...) PRINTFLIKE(2, 3);

/* Memory; these abort on exhaustion (util.c). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) PRINTFLIKE(1, 2);
char	*xvasprintf(const char *, va_list) PRINTFLIKE(1, 0);

/* Buffers (util.c). */
void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void	 buf_addc(struct buf *, char);
char	*buf_steal(struct buf *);

/* Lines of a buffer: next line starting at *pos, NUL-terminated in place. */
char	*buf_nextline(struct buf *, size_t *);

/* The root of the host (JAILER_ROOT) and paths under it (util.c). */
int	 host_root_init(struct jailer *);
const char *host_root(void);
char	*host_path(const char *);

/* Files (util.c). */
int	 file_read(struct jailer *, const char *, struct buf *);
int	 fd_read_all(struct jailer *, int, long, const char *, struct buf *);
int	 file_write_atomic(struct jailer *, const char *, const void *,
	    size_t, mode_t);
int	 file_exists(const char *);
int	 dir_exists(const char *);
int	 mkdir_p(struct jailer *, const char *, mode_t, int *);
int	 str_has_prefix(const char *, const char *);
char	*str_trim(char *);
int	 str_word_in(const char *, const char *);
char	*str_next_word(char **, const char *);
void	 strv_push(char ***, size_t *, char *);
void	 strv_free(char **, size_t);
void	 shell_quote(struct buf *, const char *);
void	 json_quote(struct buf *, const char *);

#endif /* !JAILER_H */
