/*
 * jailer init: what the host still needs (the plan), the steps that do
 * it, and the checks init info reports.
 */
#ifndef JAILER_INITPLAN_H
#define JAILER_INITPLAN_H

#include <stddef.h>

#include "jailer.h"

struct undo;

/* What init found on the host and what it still has to do. */
struct init_plan {
	char	*dataset;
	char	*mountpoint;
	int	 ds_exists;
	int	 set_dir;		/* jailer_dir is missing */
	int	 enable_jail;		/* jail_enable is not YES */
	int	 add_include;		/* jail.conf lacks the include */
	int	 mk_confd;		/* /etc/jail.conf.d is missing */
	int	 mk_logdir;		/* /var/log/jail is missing */
	char	**adopt;		/* datasets of an earlier jailer */
	char	**adopt_as;		/* "jail" or "image" */
	size_t	 nadopt;
	char	**hooks;		/* conf files lacking the pf hooks */
	size_t	 nhooks;
};

/* The steps of init, in the order they run. */
enum init_step { INIT_DATASET, INIT_JAILER_DIR, INIT_JAIL_ENABLE,
	INIT_ADOPT, INIT_INCLUDE, INIT_HOOKS, INIT_NSTEPS };

int	init_check_opts(struct jailer *, const char *, const char *,
	    const char *);
int	init_host_check(struct jailer *);
int	init_plan_make(struct jailer *, const char *, const char *,
	    const char *, struct init_plan *);
int	init_plan_empty(const struct init_plan *);
void	init_plan_free(struct init_plan *);
char	*init_step_what(const struct init_plan *, int);
int	init_step_run(struct jailer *, struct init_plan *, int,
	    struct undo *);

/* For init info. */
int	rc_yes(const char *);
int	has_include(struct jailer *);
int	init_bridge_in_rc(struct jailer *, const char *);
int	init_bridge_probe(struct jailer *, const char *, int *, char [40]);

#endif /* !JAILER_INITPLAN_H */
