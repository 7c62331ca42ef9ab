/*
 * The host's mount table, as mount -p prints it.
 */
#ifndef JAILER_MOUNT_H
#define JAILER_MOUNT_H

#include "jailer.h"

int	mount_table(struct jailer *, struct buf *);
size_t	mount_fields(char *, char *[3]);
int	own_devfs_unmount(struct jailer *, const char *);

#endif /* !JAILER_MOUNT_H */
