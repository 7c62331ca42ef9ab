/*
 * Leftovers of interrupted (killed) commands, and their removal.
 */
#ifndef JAILER_GC_H
#define JAILER_GC_H

#include "host.h"
#include "jail.h"
#include "jailer.h"

enum orphan_kind { ORPHAN_DATASET, ORPHAN_CONF, ORPHAN_EPAIR, ORPHAN_RULES,
	ORPHAN_FILE, ORPHAN_ANCHOR, ORPHAN_MOUNT, ORPHAN_MARK };

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

/*
 * A start or stop in progress: /var/run/jailer/unsettled/NAME exists
 * from before its first change of the host until the host is settled
 * again (the jail running with its rules, or stopped with nothing left),
 * so that list can warn about what a killed one left without asking pf,
 * ifconfig and mount.  /var/run is emptied at boot, with what it marks.
 */
#define	MARK_DIR	"/var/run/jailer/unsettled"

int	jail_mark(struct jailer *, const char *);
void	jail_unmark(const char *);
void	orphans_marks(const struct jails *, struct orphans *);
int	marks_sweep(struct jailer *);

#endif /* !JAILER_GC_H */
