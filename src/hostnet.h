/*
 * Host networking for VNET jails: the bridge (init bridge), OpenBSD's
 * dhcpd with jailer's devfs ruleset (init dhcp) and pf's anchors with IP
 * forwarding (init pf).  Each is a plan, worked out before anything
 * changes, and an apply that makes the changes as undoable steps.
 */
#ifndef JAILER_HOSTNET_H
#define JAILER_HOSTNET_H

#include <stdint.h>

#include "jailer.h"

#define	DEFAULT_BRIDGE		"bridge0"
#define	DEFAULT_BRIDGE_ADDR	"10.0.0.1/24"

struct undo;

/* What init bridge found on the host. */
struct bridge_plan {
	const char	*bridge;
	const char	*cidr;
	const char	*who;		/* what an error is about, or NULL */
	int		 done;		/* configured already: nothing to do */
	int		 exists;	/* the interface exists */
	int		 has_addr;	/* with the address asked for */
	char		*cloned;	/* rc.conf cloned_interfaces */
	char		*rcvar;		/* ifconfig_BRIDGE */
	char		*cur;		/* its value in rc.conf, or NULL */
	char		*want;		/* the value it needs */
};

int	hostnet_bridge_plan(struct jailer *, const char *, const char *,
	    struct bridge_plan *);
int	hostnet_bridge_apply(struct jailer *, struct bridge_plan *,
	    struct undo *);
void	hostnet_bridge_free(struct bridge_plan *);

/* What init dhcp found on the host. */
struct dhcp_plan {
	const char	*bridge;
	const char	*who;		/* what an error is about, or NULL */
	int		 done;		/* dhcpd serves the bridge already */
	int		 installed;	/* the dhcpd package */
	int		 running;
	int		 loaded;	/* jailer's devfs ruleset, in the kernel */
	int		 num;		/* its number, or -1 */
	char		*conf;		/* the dhcpd.conf text */
	char		*newrules;	/* devfs.rules with the ruleset, or NULL */
};

int	hostnet_dhcp_plan(struct jailer *, const char *, struct dhcp_plan *);
int	hostnet_dhcp_apply(struct jailer *, struct dhcp_plan *,
	    struct undo *);
void	hostnet_dhcp_free(struct dhcp_plan *);

/* What init pf found on the host. */
struct pf_plan {
	struct buf	 cur;		/* /etc/pf.conf */
	int		 existed;
	int		 nat, rdr, filt; /* the anchors it has */
	int		 enabled;	/* pf runs */
	int		 forwarding;	/* net.inet.ip.forwarding */
	int		 done;		/* nothing to do */
	char		*backup;	/* the saved pf.conf (host path) */
	char		*fbackup;	/* the same under the root */
};

int	hostnet_pf_plan(struct jailer *, struct pf_plan *);
int	hostnet_pf_apply(struct jailer *, struct pf_plan *, struct undo *);
void	hostnet_pf_abort(struct jailer *, struct pf_plan *, struct undo *);
void	hostnet_pf_free(struct pf_plan *);

/* What they would do: their text before asking, or -D -j (hostplan.c). */
struct net6_bridge;
void	hostnet_bridge_show(struct jailer *, const struct bridge_plan *,
	    const struct net6_bridge *);
void	hostnet_dhcp_show(struct jailer *, const struct dhcp_plan *);
void	hostnet_pf_show(struct jailer *, const struct pf_plan *);

#endif /* !JAILER_HOSTNET_H */
