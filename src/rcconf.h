/*
 * rc.conf(5)-style files: NAME="value" assignments, read without a
 * shell and changed atomically.
 */
#ifndef JAILER_RCCONF_H
#define JAILER_RCCONF_H

#include "jailer.h"

int	rc_parse_line(const char *, char **, char **);
int	rc_get(struct jailer *, const char *, const char *, char **);
int	rc_set(struct jailer *, const char *, const char *, const char *);
int	rc_value_ok(const char *);
void	rc_edit(struct buf *, const char *, const char *, struct buf *);

#endif /* !JAILER_RCCONF_H */
