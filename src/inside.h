/*
 * Inside a jail: pkg(8), service(8) and sysrc(8) with -j, and files
 * copied from the host into a jail's root without following a symlink
 * the jail planted (inside.c).
 */
#ifndef JAILER_INSIDE_H
#define JAILER_INSIDE_H

#include <stddef.h>

#include "jailer.h"
#include "template.h"

#define	INSIDE_CP_MAX	(64L * 1024 * 1024)	/* largest file cp copies */

int	inside_need(struct jailer *, const char *, int);
int	inside_run(struct jailer *, const char *, const char *,
	    const char *const *, size_t, struct buf *);
int	inside_cp(struct jailer *, const char *, const char *, const char *,
	    struct buf *);

/* jailer apply: a checked template run on a jail (its runner). */
int	inside_apply(struct jailer *, const struct tmpl *, const char *,
	    const struct tmpl_out *, char **);
int	inside_apply_new(struct jailer *, const struct tmpl *, const char *,
	    const struct tmpl_out *, char **);

#endif /* !JAILER_INSIDE_H */
