/*
 * The host's view of DHCP: dhcpd's own lease database and dhcpd.conf,
 * both host files.  A jail's dhclient lease file is the jail's claim,
 * never the host's view (see docs/SECURITY.md).
 */
#ifndef JAILER_LEASE_H
#define JAILER_LEASE_H

#include <time.h>

#define	DHCPD_CONF	"/usr/local/etc/dhcpd.conf"
#define	DHCPD_LEASES	"/var/db/dhcpd.leases"

/* One binding of dhcpd.leases(5). */
struct dhcpd_lease {
	char		mac[18];	/* lower case, colon-separated */
	char		addr[16];
	long long	ends;		/* seconds since the epoch; -1: never */
};

struct dhcpd_leases {
	struct dhcpd_lease	*v;
	size_t			 n;
};

int	dhcpd_leases_parse(const char *, struct dhcpd_leases *);
const struct dhcpd_lease *dhcpd_lease_find(const struct dhcpd_leases *,
	    const char *, time_t);
void	dhcpd_leases_free(struct dhcpd_leases *);
int	dhcpd_subnet_for(const char *, const char *, int *, char [16]);
int	mac_normalize(const char *, char [18]);
long long civil_to_epoch(int, int, int, int, int, int);

#endif /* !JAILER_LEASE_H */
