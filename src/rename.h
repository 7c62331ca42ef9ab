/*
 * jailer rename: a stopped jail gets a new name, with everything jailer
 * keeps under its name (rename.c).
 */
#ifndef JAILER_RENAME_H
#define JAILER_RENAME_H

#include "jailer.h"

struct rename;

struct rename *rename_open(struct jailer *, const char *, const char *);
void	rename_print(struct jailer *, const struct rename *);
int	rename_apply(struct jailer *, struct rename *);
void	rename_free(struct rename *);

#endif /* !JAILER_RENAME_H */
