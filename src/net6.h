/*
 * IPv6 for jails: addresses given to create, the one jailer recorded for
 * each jail (never what a jail's root claims), and who already has one;
 * the bridge's IPv6 address (init bridge).
 */
#ifndef JAILER_NET6_H
#define JAILER_NET6_H

#include <netinet/in.h>

#include "jailer.h"

/* "ADDR/PREFIX" at most, canonical: 39 + "/128" + NUL. */
#define	NET6_STRLEN	46

struct jail;
struct jails;
struct create_req;
struct create_plan;
struct undo;

/* init bridge -a ADDRESS6/PREFIX. */
struct net6_bridge {
	char	 cidr[NET6_STRLEN];	/* canonical "A/P" */
	char	 rcvar[32];		/* ifconfig_BRIDGE_ipv6 */
	char	 want[NET6_STRLEN + 8];	/* its value: "inet6 A/P" */
	char	*cur;			/* its value in rc.conf, or NULL */
	int	 has;			/* the bridge has the address */
	int	 done;			/* nothing to do */
};

int	 net6_parse(struct jailer *, const char *, char *, int *);
int	 net6_parse_addr(struct jailer *, const char *, char *);
int	 net6_is(const char *);
char	*net6_of(const struct jail *);
char	*net6_gateway_of(const struct jail *);
int	 net6_free(struct jailer *, struct jails *, const char *);
int	 net6_plan(struct jailer *, const struct create_req *, struct jails *,
	    struct create_plan *);

int	 net6_rc_write(struct jailer *, const char *,
	    const struct create_plan *);
char	*net6_rc_text(const struct create_plan *);
int	 net6_alias_remove(struct jailer *, const struct jail *);
int	 net6_addr_of(const struct jail *, char [NET6_STRLEN]);
int	 net6_bridge_plan(struct jailer *, const char *, const char *, int,
	    struct net6_bridge *);
int	 net6_bridge_apply(struct jailer *, const char *, struct net6_bridge *,
	    struct undo *);
void	 net6_bridge_free(struct net6_bridge *);

#endif /* !JAILER_NET6_H */
