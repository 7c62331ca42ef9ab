/*
 * Addresses, interfaces and MACs.
 */
#ifndef JAILER_NET_H
#define JAILER_NET_H

#include <netinet/in.h>
#include <stdint.h>

#include "jailer.h"

/* An IPv4 address on an interface. */
struct ifaddr4 {
	uint32_t	addr;		/* host byte order */
	int		prefix;
};

int	net_if_addrs(struct jailer *, const char *, struct ifaddr4 **,
	    size_t *);
int	net_if_list(struct jailer *, struct buf *);

/* An address of some interface, from "ifconfig" with no arguments. */
struct hostaddr4 {
	char		ifname[16];
	uint32_t	addr;
	int		prefix;
};

int	net_all_addrs(struct jailer *, struct hostaddr4 **, size_t *);
void	net_parse_ifconfig(const char *, const char *, struct hostaddr4 **,
	    size_t *);
int	net_overlap(uint32_t, int, uint32_t, int);
int	net_alloc_ipv4(uint32_t, int, const uint32_t *, size_t, uint32_t *);
void	net_mac(char [18]);
int	net_random(void *, size_t);
int	parse_netmask(struct jailer *, const char *, int *);
void	ipv4_str(uint32_t, char [16]);
void	mask_str(int, char [16]);

#endif /* !JAILER_NET_H */
