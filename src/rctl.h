/*
 * A jail's resource limits (rctl(8) rules) and CPU set (cpuset(1)), kept
 * in its conf file as exec.created commands and applied live (rctl.c,
 * cpuset.c).
 */
#ifndef JAILER_RCTL_H
#define JAILER_RCTL_H

#include <stddef.h>

#include "jailer.h"

struct confedit;
struct undo;

/* One rule as limit list shows it. */
struct limit_row {
	char	*jail;
	char	*resource;
	char	*amount;
	char	*action;
	char	*usage;		/* NULL: the jail is not running */
};

/* What a change did; diff is the conf file change under -D. */
struct limit_done {
	size_t		 changed;	/* rules (or sets) written */
	int		 running;	/* applied to the running jail */
	struct buf	 diff;
};

int	limit_set(struct jailer *, const char *, char **, size_t,
	    struct limit_done *);
int	limit_del(struct jailer *, const char *, const char *,
	    struct limit_done *);
int	limit_list(struct jailer *, const char *, struct limit_row **,
	    size_t *);
void	limit_rows_free(struct limit_row *, size_t);
void	limit_done_free(struct limit_done *);

/* cpuset.c: jailer cpuset */
int	cpuset_set(struct jailer *, const char *, const char *,
	    struct limit_done *);
int	cpuset_get(struct jailer *, const char *, char **);

/* For cpuset.c: a conf file change applied live, and a sysctl number. */
int	limit_commit(struct jailer *, struct confedit *, const char *,
	    int (*)(struct jailer *, struct undo *, const char *, void *),
	    void *, struct limit_done *);
long	limit_sysctl(struct jailer *, const char *);

/* Before a start: its rules need kern.racct.enable=1. */
struct jail;
int	rctl_start_check(struct jailer *, const struct jail *);

/* jailer hook stop: remove the stopped jail's rules from the kernel. */
int	rctl_jail_flush(struct jailer *, const char *);

#endif /* !JAILER_RCTL_H */
