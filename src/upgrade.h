/*
 * Conf files of an earlier jailer brought up to date (jailer init).
 */
#ifndef JAILER_UPGRADE_H
#define JAILER_UPGRADE_H

#include <stddef.h>

#include "jailer.h"

struct undo;

int	upgrade_find(struct jailer *, char ***, size_t *);
int	upgrade_conf(struct jailer *, struct undo *, const char *);

#endif /* !JAILER_UPGRADE_H */
