/*
 * Internal to the lifecycle files (lifecycle.c, create.c, netplan.c,
 * control.c, destroy.c): what they share beyond the public lifecycle.h.
 */
#ifndef JAILER_LIFECYCLE_IMPL_H
#define JAILER_LIFECYCLE_IMPL_H

#include "jailer.h"
#include "lifecycle.h"

/* lifecycle.c */
int	has_pf_rules(struct jailer *, const char *);

/* netplan.c: the network of a create plan, -t new and -t eb. */
int	netplan_new(struct jailer *, const struct create_req *,
	    struct jails *, struct create_plan *);
int	netplan_eb(struct jailer *, const struct create_req *,
	    struct jails *, struct create_plan *);

#endif /* !JAILER_LIFECYCLE_IMPL_H */
