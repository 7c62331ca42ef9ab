/*
 * Files inside a jail's root.  The jail's root user owns that tree and
 * may have planted symlinks anywhere in it, so every path component is
 * opened with O_NOFOLLOW relative to the root: nothing here ever reads or
 * writes a file outside the jail.
 */
#ifndef JAILER_SAFE_H
#define JAILER_SAFE_H

#include "jailer.h"

int	safe_read(struct jailer *, const char *, const char *, struct buf *);
int	safe_write(struct jailer *, const char *, const char *, const void *,
	    size_t, mode_t);
int	safe_unlink(struct jailer *, const char *, const char *);
int	safe_rc_set(struct jailer *, const char *, const char *, const char *,
	    const char *);
struct undo;
int	safe_dir_walk(struct jailer *, const char *, const char *, int,
	    struct undo *);

#endif /* !JAILER_SAFE_H */
