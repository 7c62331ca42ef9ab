/*
 * Templates (jailer-template(5)): a file of instructions, one a line,
 * read and checked whole before anything runs (template.c), then applied
 * to a jail line by line after a snapshot, the jail rolled back to it at
 * the first failing line.
 */
#ifndef JAILER_TEMPLATE_H
#define JAILER_TEMPLATE_H

#include <stddef.h>

#include "jailer.h"

#define	TMPL_LINE_MAX	1024	/* bytes in a line */
#define	TMPL_LINES_MAX	1000	/* instructions in a file */
#define	TMPL_WORDS_MAX	64	/* words in a line */
#define	TMPL_SNAP_PREFIX "jailer-apply-"

enum tmpl_op { T_PKG, T_SYSRC, T_SERVICE, T_CMD, T_CP, T_MOUNT, T_LIMIT,
	T_RDR, T_SET };

struct tmpl_line {
	int		 lineno;
	enum tmpl_op	 op;
	char		**w;		/* the operands, ARGs expanded */
	size_t		 n;
};

struct tmpl {
	char		*file;		/* as given, for messages */
	struct tmpl_line *v;
	size_t		 n;
	int		 in_jail;	/* PKG, SYSRC, SERVICE or CMD lines:
					   the jail must run */
};

/* What apply tells its caller as it goes: lines for stdout. */
struct tmpl_out {
	void	(*note)(void *, const char *);
	void	*arg;
};

int	 tmpl_load(struct jailer *, const char *, char **, size_t,
	    const char *, struct tmpl *);
void	 tmpl_free(struct tmpl *);
const char *tmpl_op_name(enum tmpl_op);
void	 tmpl_line_text(const struct tmpl_line *, struct buf *);
int	 tmpl_path_ok(struct jailer *, const char *);

#endif /* !JAILER_TEMPLATE_H */
