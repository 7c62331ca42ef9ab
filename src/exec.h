/*
 * The exec seam: every external program jailer runs goes through here.
 */
#ifndef JAILER_EXEC_H
#define JAILER_EXEC_H

#include "jailer.h"

#define	RUN_RO		0x01	/* changes nothing: runs in dry-run mode too */
#define	RUN_TTY		0x02	/* inherit stdin, stdout and stderr */
#define	RUN_STDERR	0x04	/* let stderr through instead of capturing */
#define	RUN_TIMED	0x08	/* own process group; killed after jp->timeout
				   seconds or on SIGINT/SIGTERM */

int	run(struct jailer *, const char *const *, struct buf *, int);
int	run_read(struct jailer *, const char *const *, struct buf *);
int	run_input(struct jailer *, const char *const *, const char *, size_t,
	    struct buf *, int);
int	run_pipe(struct jailer *, const char *const *, const char *const *,
	    int);
int	run_fd(struct jailer *, const char *const *, int, int, int);
int	run_pipe_fd(struct jailer *, const char *const *,
	    const char *const *, int, int, int);
void	argv_format(struct buf *, const char *const *);
void	exec_interrupt_block(int);

#endif /* !JAILER_EXEC_H */
