/*
 * zfs(8) and zpool(8) through the exec seam.
 */
#ifndef JAILER_ZFS_H
#define JAILER_ZFS_H

#include "jailer.h"

int	zfs(struct jailer *, int, struct buf *, ...);
int	zfs_get(struct jailer *, const char *, const char *, char **);
int	zfs_exists(struct jailer *, const char *);
int	zpool_names(struct jailer *, struct buf *);

#endif /* !JAILER_ZFS_H */
