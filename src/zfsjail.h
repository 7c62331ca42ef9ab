/*
 * ZFS datasets delegated to a jail, as zfs-jail(8) describes (zfsjail.c).
 */
#ifndef JAILER_ZFSJAIL_H
#define JAILER_ZFSJAIL_H

#include "jail.h"
#include "jailer.h"

struct zfsjail;

void	zfsjail_datasets(const struct jail *, char ***, size_t *);
struct zfsjail *zfsjail_open(struct jailer *, const char *, const char *,
	    int);
void	zfsjail_print(struct jailer *, const struct zfsjail *);
int	zfsjail_apply(struct jailer *, struct zfsjail *);
void	zfsjail_free(struct zfsjail *);
int	zfsjail_list(struct jailer *, const char *, char ***, char ***,
	    size_t *);

#endif /* !JAILER_ZFSJAIL_H */
