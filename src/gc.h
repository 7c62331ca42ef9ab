/*
 * Leftovers of interrupted (killed) commands, and their removal.
 */
#ifndef JAILER_GC_H
#define JAILER_GC_H

#include "host.h"
#include "jail.h"
#include "jailer.h"

enum orphan_kind { ORPHAN_DATASET, ORPHAN_CONF, ORPHAN_EPAIR, ORPHAN_RULES,
	ORPHAN_FILE };

struct orphan {
	enum orphan_kind	 kind;
	char			*what;	/* dataset, path or interface */
	char			*why;
};

struct orphans {
	struct orphan	*v;
	size_t		 n;
};

void	orphans_cheap(const struct config *, const struct jails *,
	    struct orphans *);
int	orphans_find(struct jailer *, struct orphans *);
int	orphan_remove(struct jailer *, const struct orphan *);
void	orphans_free(struct orphans *);

#endif /* !JAILER_GC_H */
