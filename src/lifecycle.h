/*
 * Creating (create.c, netplan.c), starting and stopping (control.c) and
 * destroying (destroy.c) jails; what they share is in lifecycle.c.
 */
#ifndef JAILER_LIFECYCLE_H
#define JAILER_LIFECYCLE_H

#include "conf.h"
#include "jail.h"
#include "jailer.h"

/* What the user asked create for; NULL/0 for "not given". */
struct create_req {
	const char	*name;
	const char	*release;	/* -r */
	const char	*snapshot;	/* -s JAIL@SNAP */
	int		 clone;		/* -C */
	int		 quiet;		/* -n */
	const char	*domain;	/* -d */
	const char	*type;		/* -t */
	const char	*iface;		/* -b */
	const char	*addr;		/* -a: IPv4 or "dhcp" */
	const char	*gateway;	/* -g */
	const char	*netmask;	/* -m */
	const char	*resolver;	/* -e */
	const char	*addr6;		/* -a: IPv6 "A/P" or "slaac" */
	const char	*gateway6;	/* -g: IPv6 */
};

/* Everything create will do, worked out before it does anything. */
struct create_plan {
	char		*name;
	int		 id;
	char		*dataset;	/* zroot/jails/www0 */
	char		*path;		/* /usr/local/jails/www0 */
	char		*source;	/* the snapshot copied or cloned */
	int		 from_jail;	/* -s: drop the source's network */
	int		 clone;
	char		*release;	/* the image, or NULL with -s */
	int		 need_fetch;	/* the image must be fetched first */
	enum nettype	 type;
	char		*iface;		/* new: interface; eb: bridge */
	char		*ip4;		/* new and static eb: the address */
	int		 prefix;	/* static eb */
	char		*gateway;	/* static eb */
	int		 dhcp;		/* eb with DHCP */
	char		 mac[18];	/* eb */
	char		*resolver;	/* NULL: copy the host's resolv.conf */
	int		 quiet;
	char		*domain;
	int		 devfs_ruleset;
	char		*conf;		/* the jail.conf text */
	char		*ip6;		/* "A/P" canonical, "slaac" or NULL */
	char		*gateway6;	/* static eb IPv6 */
};

int	create_plan(struct jailer *, const struct create_req *,
	    struct create_plan *);
int	create_run(struct jailer *, struct create_plan *);
void	create_plan_free(struct create_plan *);
void	create_plan_show(struct jailer *, const struct create_plan *);
int	jail_start(struct jailer *, const struct jail *, int);
int	jail_leftovers(struct jailer *, const struct jail *, struct buf *);
int	jail_rules_repair(struct jailer *, const struct jail *);
int	jail_rules_load(struct jailer *, const struct jail *, int);
int	jail_hook(struct jailer *, const char *, int);
int	jail_stop(struct jailer *, const struct jail *, int);
int	jail_destroy(struct jailer *, const char *, int, int);
int	jail_managed(struct jailer *, const char *);
void	lifecycle_signals(void);
int	valid_domain(struct jailer *, const char *);

#endif /* !JAILER_LIFECYCLE_H */
