/*
 * The checks of jailer create's request, and jailer info's view of one
 * jail: the host's view of its network, and what its own files claim.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "info.h"
#include "net.h"
#include "net6.h"
#include "update.h"
#include "validate.h"

/* Validate everything create was given, before anything runs. */
int
create_validate(struct jailer *jp, const struct create_req *rq)
{
	struct in_addr a;
	struct in6_addr a6;
	const char *at;
	char jname[JAIL_NAME_MAX + 2], canon6[NET6_STRLEN];
	int prefix;

	if (rq->name != NULL && valid_jail_name(jp, rq->name) == -1)
		return (-1);
	if (rq->release != NULL &&
	    valid_image_release(jp, rq->release, NULL) == -1)
		return (-1);
	if (rq->snapshot != NULL) {
		if ((at = strchr(rq->snapshot, '@')) == NULL ||
		    (size_t)(at - rq->snapshot) > JAIL_NAME_MAX)
			return (jailer_seterr(jp, "-s '%s': expected "
			    "JAIL@SNAPSHOT", vis(rq->snapshot)));
		memcpy(jname, rq->snapshot, (size_t)(at - rq->snapshot));
		jname[at - rq->snapshot] = '\0';
		if (valid_jail_name(jp, jname) == -1 ||
		    valid_snapname(jp, at + 1) == -1)
			return (-1);
	}
	if (rq->domain != NULL && valid_domain(jp, rq->domain) == -1)
		return (-1);
	if (rq->type != NULL && valid_nettype(jp, rq->type) == -1)
		return (-1);
	if (rq->iface != NULL && valid_ifname(jp, rq->iface) == -1)
		return (-1);
	if (rq->addr != NULL && strcmp(rq->addr, "dhcp") != 0 &&
	    parse_ipv4(jp, rq->addr, &a) == -1)
		return (-1);
	if (rq->gateway != NULL && parse_ipv4(jp, rq->gateway, &a) == -1)
		return (-1);
	if ((rq->addr6 != NULL && strcmp(rq->addr6, "slaac") != 0 &&
	    net6_parse(jp, rq->addr6, canon6, &prefix) == -1) ||
	    (rq->gateway6 != NULL &&
	    net6_parse_addr(jp, rq->gateway6, canon6) == -1))
		return (-1);
	if (rq->netmask != NULL && parse_netmask(jp, rq->netmask, &prefix) == -1)
		return (-1);
	if (rq->resolver != NULL && (strlen(rq->resolver) > 45 ||
	    (inet_pton(AF_INET, rq->resolver, &a) != 1 &&
	    inet_pton(AF_INET6, rq->resolver, &a6) != 1)))
		return (jailer_seterr(jp, "invalid resolver address '%s'",
		    vis(rq->resolver)));
	return (0);
}

/* The address part of "A/P". */
static size_t
addr_len(const char *s)
{
	const char *slash = strchr(s, '/');

	return (slash != NULL ? (size_t)(slash - s) : strlen(s));
}

/*
 * What a VNET jail's own files claim as its address, when it is not the
 * host's view (IP and GW): shown by info, never used.  NULL if they
 * agree or the jail claims nothing.
 */
static char *
disagreement(struct jailer *jp, const struct jail *j, const char *ip,
    const char *gw, int json)
{
	char *cip, *cgw, *r;

	if (j->type != NET_EB)
		return (NULL);
	jail_net_claimed(jp, j, &cip, &cgw);
	r = NULL;
	if (strcmp(cip, "-") != 0 && (addr_len(cip) != addr_len(ip) ||
	    strncmp(cip, ip, addr_len(ip)) != 0 || (strcmp(cgw, "-") != 0 &&
	    strcmp(cgw, gw) != 0)))
		r = xasprintf("%s via %s%s", cip, cgw,
		    json ? "" : " (the jail's own files; not used)");
	free(cip);
	free(cgw);
	return (r);
}

const struct out_col jail_info_cols[JAIL_INFO_NCOLS] = {
	{ "Name", "name" }, { "State", "state" }, { "JID", "jid" },
	{ "Hostname", "hostname" }, { "IPv4", "ipv4" },
	{ "Netmask", "netmask" }, { "Gateway", "gateway" },
	{ "IPv6", "ip6" }, { "IPv6 gateway", "gateway6" },
	{ "Network", "network" }, { "Interface", "interface" },
	{ "Release", "release" }, { "Path", "path" },
	{ "Jail claims", "jail_claims" },
};

/*
 * The jail's network as the host sees it (address, netmask, gateway):
 * what runs, else what its conf file and dhcpd's binding record; and
 * for a running jail, its JID and what its own files claim.
 */
static void
info_net(struct jailer *jp, const struct jail *j, int json,
    struct jail_info *ji)
{
	struct in_addr a;
	char *slash;
	int prefix;

	jail_net(jp, j, &ji->ip, &ji->gw);
	if (j->running) {
		ji->claim = disagreement(jp, j, ji->ip, ji->gw, json);
		ji->row[13] = ji->claim;
		ji->row[2] = j->jid;
	}
	ji->row[3] = j->hostname != NULL ? j->hostname : "-";
	if ((slash = strchr(ji->ip, '/')) != NULL) {
		*slash = '\0';
		prefix = atoi(slash + 1);
		if (prefix >= 0 && prefix <= 32)
			mask_str(prefix, ji->mask);
	} else if (inet_pton(AF_INET, ji->ip, &a) == 1)
		mask_str(32, ji->mask);
	ji->row[4] = ji->ip;
	ji->row[5] = ji->mask[0] != '\0' ? ji->mask : "-";
	ji->row[6] = ji->gw;
}

/*
 * The release a jailer jail runs, as jailer recorded it on its dataset
 * (never what the jail's own files say): "-" when there is no record or
 * the dataset is not one of jailer's jails.
 */
static int
info_release(struct jailer *jp, const struct jail *j, struct jail_info *ji)
{
	const struct config *cf;
	char *ds;
	size_t i;
	int rc;

	ji->row[11] = "-";
	if (config_get(jp, &cf) == -1)
		return (-1);
	for (i = 0; i < cf->nchildren; i++)
		if (strcmp(cf->children[i], j->name) == 0)
			break;
	if (i == cf->nchildren || strcmp(cf->managed[i], "jail") != 0)
		return (0);
	ds = xasprintf("%s/%s", cf->dataset, j->name);
	rc = jail_release(jp, ds, &ji->release);
	free(ds);
	if (rc == -1)
		return (-1);
	if (ji->release != NULL)
		ji->row[11] = ji->release;
	return (0);
}

/*
 * What info shows of the jail name; json: the claims are for JSON.
 * jail_info_free() it even on failure.
 */
int
jail_info_get(struct jailer *jp, const char *name, int json,
    struct jail_info *ji)
{
	struct jail *j;

	memset(ji, 0, sizeof(*ji));
	if (jails_load(jp, &ji->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	if ((j = jails_find(&ji->js, name)) == NULL) {
		ji->who = name;
		return (jailer_seterr(jp, "no such jail"));
	}
	ji->row[0] = j->name;
	ji->row[1] = j->running ? "Active" : "Stopped";
	if (j->running || j->has_conf)
		info_net(jp, j, json, ji);
	if (j->has_conf) {
		ji->row[7] = ji->ip6 = net6_of(j);
		ji->row[8] = ji->gw6 = net6_gateway_of(j);
		ji->row[9] = nettype_name(j->type);
		ji->row[10] = j->iface != NULL ? j->iface : "-";
		if (info_release(jp, j, ji) == -1)
			return (-1);
		ji->row[12] = j->path != NULL ? j->path : "-";
	} else if (j->run_path != NULL)
		ji->row[12] = j->run_path;
	return (0);
}

void
jail_info_free(struct jail_info *ji)
{
	free(ji->ip);
	free(ji->gw);
	free(ji->claim);
	free(ji->ip6);
	free(ji->gw6);
	free(ji->release);
	jails_free(&ji->js);
}
