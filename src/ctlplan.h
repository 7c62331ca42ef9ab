/*
 * The plans of start, stop, restart, startall and stopall (-D).
 */
#ifndef JAILER_CTLPLAN_H
#define JAILER_CTLPLAN_H

#include <stddef.h>

#include "jailer.h"

struct jail;
struct jails;

int	ctl_plan(struct jailer *, struct jails *, const char *, int, int);
void	ctl_plan_all(struct jailer *, struct jails *, int);
size_t	ctl_all_todo(struct jails *, int, struct jail **);

#endif /* !JAILER_CTLPLAN_H */
