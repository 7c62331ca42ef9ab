/*
 * The network part of a create plan: a -t new jail's address on a host
 * interface, a -t eb jail's bridge, MAC and static address or DHCP.
 * Every address and MAC another jail or the host has is refused.
 *
 * Depends on: jail (the jails), net, host (rc.conf), safe, validate,
 * util, err.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lifecycle.h"
#include "lifecycle_impl.h"
#include "net.h"
#include "safe.h"
#include "validate.h"

/*
 * The addresses every jail claims, running or not: new jails' ip4.addr,
 * VNET jails' static addresses and DHCP leases.
 */
static void
jail_addrs(struct jailer *jp, struct jails *js, uint32_t **used, size_t *n)
{
	struct in_addr a;
	char *ip, *gw, *slash;
	size_t i;

	for (i = 0; i < js->n; i++) {
		ip = gw = NULL;
		if (js->v[i].type == NET_NEW && js->v[i].ip4 != NULL)
			ip = xstrdup(js->v[i].ip4);
		else if (js->v[i].type == NET_EB)
			/* A static address, or the one a DHCP lease gave. */
			(void)jail_net(jp, &js->v[i], &ip, &gw);
		if (ip != NULL) {
			if ((slash = strchr(ip, '/')) != NULL)
				*slash = '\0';
			if (inet_pton(AF_INET, ip, &a) == 1) {
				*used = xrealloc(*used, (*n + 1) *
				    sizeof(**used));
				(*used)[(*n)++] = ntohl(a.s_addr);
			}
		}
		free(ip);
		free(gw);
	}
}

/* The addresses of every jail and those of the host interface ifa. */
static void
taken_addrs(struct jailer *jp, struct jails *js, const struct ifaddr4 *ifa,
    size_t nifa, uint32_t **used, size_t *nused)
{
	*used = NULL;
	*nused = 0;
	jail_addrs(jp, js, used, nused);
	for (size_t i = 0; i < nifa; i++) {
		*used = xrealloc(*used, (*nused + 1) * sizeof(**used));
		(*used)[(*nused)++] = ifa[i].addr;
	}
}

/* Refuse an address another jail or a host interface already has. */
static int
addr_free(struct jailer *jp, uint32_t a, const uint32_t *used, size_t n)
{
	char s[16];
	size_t i;

	for (i = 0; i < n; i++)
		if (used[i] == a) {
			ipv4_str(a, s);
			return (jailer_seterr(jp, "%s is already in use", s));
		}
	return (0);
}

/* -t new: the interface and an address on it. */
int
netplan_new(struct jailer *jp, const struct create_req *rq, struct jails *js,
    struct create_plan *p)
{
	struct ifaddr4 *ifa;
	struct in_addr in;
	uint32_t *used, a;
	size_t nifa, nused;
	char s[16], *gw;
	int rc;

	if (rq->iface == NULL)
		return (jailer_seterr(jp, "-t new needs the host interface "
		    "to put the address on: -b INTERFACE"));
	p->iface = xstrdup(rq->iface);
	if (net_if_addrs(jp, rq->iface, &ifa, &nifa) == -1)
		return (-1);
	taken_addrs(jp, js, ifa, nifa, &used, &nused);
	/* The host's default router is another machine's address. */
	if (host_rc_get(jp, "defaultrouter", &gw) == 1 &&
	    inet_pton(AF_INET, gw, &in) == 1) {
		used = xrealloc(used, (nused + 1) * sizeof(*used));
		used[nused++] = ntohl(in.s_addr);
	}
	free(gw);
	rc = -1;
	if (rq->addr != NULL) {
		if (parse_ipv4(jp, rq->addr, &in) == 0 &&
		    addr_free(jp, ntohl(in.s_addr), used, nused) == 0) {
			p->ip4 = xstrdup(rq->addr);
			rc = 0;
		}
	} else if (nifa == 0)
		jailer_seterr(jp, "%s has no IPv4 address to take a subnet "
		    "from; give the jail one with -a", rq->iface);
	else if (net_alloc_ipv4(ifa[0].addr, ifa[0].prefix, used, nused,
	    &a) == -1)
		jailer_seterr(jp, "no free address left in the subnet of %s",
		    rq->iface);
	else {
		ipv4_str(a, s);
		p->ip4 = xstrdup(s);
		rc = 0;
	}
	free(used);
	free(ifa);
	return (rc);
}

/*
 * Does another jail already have this MAC?  The conf files' $mac say;
 * for a jail written before jailer recorded MACs, its start_if file
 * (the jail's own: it can at most make jailer pick another MAC).
 */
static int
mac_taken(struct jailer *jp, struct jails *js, const char *mac)
{
	struct buf b;
	char *root, rel[64];
	size_t i;
	int taken;

	buf_init(&b);
	taken = 0;
	for (i = 0; i < js->n && !taken; i++) {
		if (js->v[i].type != NET_EB)
			continue;
		if (js->v[i].mac != NULL) {
			taken = strcmp(js->v[i].mac, mac) == 0;
			continue;
		}
		if (js->v[i].path == NULL || js->v[i].id < 0)
			continue;
		snprintf(rel, sizeof(rel), "etc/start_if.epair%db",
		    js->v[i].id);
		root = host_path(js->v[i].path);
		if (safe_read(jp, root, rel, &b) == 0 &&
		    strstr(b.data, mac) != NULL)
			taken = 1;
		free(root);
	}
	buf_free(&b);
	return (taken);
}

/* -t eb: the bridge, DHCP or a static address, gateway and netmask. */
int
netplan_eb(struct jailer *jp, const struct create_req *rq, struct jails *js,
    struct create_plan *p)
{
	struct ifaddr4 *ifa;
	struct in_addr in, gw;
	uint32_t *used;
	size_t nifa, nused;
	char s[16];
	int rc;

	p->iface = xstrdup(rq->iface != NULL ? rq->iface : "bridge0");
	if (net_if_addrs(jp, p->iface, &ifa, &nifa) == -1) {
		if (strstr(jp->err, "does not exist") != NULL)
			jailer_seterr(jp, "%s: no such bridge; run 'jailer "
			    "init bridge' or name one with -b", p->iface);
		return (-1);
	}
	do
		net_mac(p->mac);
	while (mac_taken(jp, js, p->mac));
	p->dhcp = rq->addr == NULL || strcmp(rq->addr, "dhcp") == 0;
	rc = -1;
	if (p->dhcp) {
		if (rq->gateway != NULL || rq->netmask != NULL)
			jailer_seterr(jp, "-g and -m need a static address "
			    "(-a ADDRESS)");
		else
			rc = 0;
		goto out;
	}
	if (parse_ipv4(jp, rq->addr, &in) == -1)
		goto out;
	taken_addrs(jp, js, ifa, nifa, &used, &nused);
	rc = addr_free(jp, ntohl(in.s_addr), used, nused);
	free(used);
	if (rc == -1)
		goto out;
	rc = -1;
	p->ip4 = xstrdup(rq->addr);
	if (rq->netmask != NULL) {
		if (parse_netmask(jp, rq->netmask, &p->prefix) == -1)
			goto out;
	} else if (nifa > 0)
		p->prefix = ifa[0].prefix;
	else {
		jailer_seterr(jp, "%s has no IPv4 address: give the netmask "
		    "with -m", p->iface);
		goto out;
	}
	if (rq->gateway != NULL) {
		if (parse_ipv4(jp, rq->gateway, &gw) == -1)
			goto out;
		p->gateway = xstrdup(rq->gateway);
	} else if (nifa > 0) {
		ipv4_str(ifa[0].addr, s);
		p->gateway = xstrdup(s);
	} else {
		jailer_seterr(jp, "%s has no IPv4 address: give the gateway "
		    "with -g", p->iface);
		goto out;
	}
	rc = 0;
out:
	free(ifa);
	return (rc);
}
