/*
 * IPv6 for jails.  An address given to create is parsed with
 * inet_pton(AF_INET6) and kept in inet_ntop's canonical form; only
 * global or unique-local unicast addresses are taken.  A jail's IPv6
 * address is what jailer recorded in its conf file: ip6.addr for a -t
 * new jail, $ip6 ("A/P" or "slaac") and $gateway6 for a -t eb jail;
 * nothing under a jail's root is read.
 *
 * The bridge's IPv6 address (init bridge -a ADDRESS6/PREFIX) is set
 * like its IPv4 one: ifconfig_BRIDGE_ipv6 in rc.conf and an alias now.
 *
 * Depends on: jail (the jails' parsed conf), conf, safe (rc.conf in a
 * jail's root), host (the host's rc.conf), undo, exec, util, err, vis;
 * lifecycle.h only for the types of a create request and plan.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "lifecycle.h"
#include "net6.h"
#include "safe.h"
#include "undo.h"

static int	bridge_gateway(struct jailer *, const char *, const char *,
		    char **);

/* Refuse what is not a unicast address a jail can own. */
static int
net6_unicast(struct jailer *jp, const char *s, const struct in6_addr *a)
{
	const char *why;

	why = NULL;
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		why = "the unspecified address";
	else if (IN6_IS_ADDR_LOOPBACK(a))
		why = "the loopback address";
	else if (IN6_IS_ADDR_MULTICAST(a))
		why = "a multicast address";
	else if (IN6_IS_ADDR_LINKLOCAL(a))
		why = "a link-local address";
	else if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a))
		why = "an IPv4-mapped address";
	if (why != NULL)
		return (jailer_seterr(jp, "invalid IPv6 address '%s': %s",
		    vis(s), why));
	return (0);
}

/* The address s (shown as whole in errors) into canon, inet_ntop's form. */
static int
net6_addr(struct jailer *jp, const char *s, const char *whole, char *canon)
{
	struct in6_addr a;

	if (strlen(s) > 39 || inet_pton(AF_INET6, s, &a) != 1)
		return (jailer_seterr(jp, "invalid IPv6 address '%s'",
		    vis(whole)));
	if (net6_unicast(jp, whole, &a) == -1)
		return (-1);
	if (inet_ntop(AF_INET6, &a, canon, NET6_STRLEN) == NULL)
		return (jailer_seterr(jp, "invalid IPv6 address '%s'",
		    vis(whole)));
	return (0);
}

/* An IPv6 address alone (a gateway); canon gets inet_ntop's form. */
int
net6_parse_addr(struct jailer *jp, const char *s, char *canon)
{
	return (net6_addr(jp, s, s, canon));
}

/* ADDR/PREFIX, prefix 1 to 128; canon gets "ADDR/PREFIX" canonical. */
int
net6_parse(struct jailer *jp, const char *s, char *canon, int *prefix)
{
	char addr[40];
	const char *slash, *p;
	int n;

	if ((slash = strchr(s, '/')) == NULL || slash - s > 39)
		return (jailer_seterr(jp, "invalid IPv6 address '%s': "
		    "expected ADDRESS/PREFIX", vis(s)));
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	for (n = 0, p = slash + 1; *p >= '0' && *p <= '9' && n <= 128; p++)
		n = n * 10 + (*p - '0');
	if (p == slash + 1 || *p != '\0' || n < 1 || n > 128 ||
	    slash[1] == '0')
		return (jailer_seterr(jp, "invalid IPv6 address '%s': "
		    "expected ADDRESS/PREFIX with a prefix of 1 to 128",
		    vis(s)));
	if (net6_addr(jp, addr, s, canon) == -1)
		return (-1);
	snprintf(canon + strlen(canon), NET6_STRLEN - strlen(canon), "/%d",
	    n);
	*prefix = n;
	return (0);
}

/* Is s meant as IPv6 (create -a and -g: one per address family)? */
int
net6_is(const char *s)
{
	return (strchr(s, ':') != NULL || strcmp(s, "slaac") == 0);
}

static const struct conf_jail *
one_block(const struct jail *j)
{
	if (!j->has_conf || j->conf.njails != 1)
		return (NULL);
	return (&j->conf.jails[0]);
}

/*
 * The jail's IPv6 address as jailer recorded it: "A/P", "slaac" or
 * NULL.  Values that do not parse are ignored.  Caller frees.
 */
char *
net6_of(const struct jail *j)
{
	struct jailer scratch;
	const struct conf_jail *cj;
	const char *v, *bar;
	char canon[NET6_STRLEN], tmp[NET6_STRLEN];
	int prefix;

	if ((cj = one_block(j)) == NULL)
		return (NULL);
	memset(&scratch, 0, sizeof(scratch));
	if (j->type == NET_EB)
		v = conf_value(cj, "$ip6");
	else if (j->type == NET_NEW)
		v = conf_value(cj, "ip6.addr");
	else
		return (NULL);
	if (v == NULL)
		return (NULL);
	if (j->type == NET_EB && strcmp(v, "slaac") == 0)
		return (xstrdup(v));
	if ((bar = strchr(v, '|')) != NULL)
		v = bar + 1;
	if (strlen(v) >= sizeof(tmp))
		return (NULL);
	snprintf(tmp, sizeof(tmp), "%s", v);
	tmp[strcspn(tmp, " \t")] = '\0';
	if (net6_parse(&scratch, tmp, canon, &prefix) == -1)
		return (NULL);
	return (xstrdup(canon));
}

/* An eb jail's recorded IPv6 gateway, or NULL.  Caller frees. */
char *
net6_gateway_of(const struct jail *j)
{
	struct jailer scratch;
	const struct conf_jail *cj;
	const char *v;
	char canon[NET6_STRLEN];

	if (j->type != NET_EB || (cj = one_block(j)) == NULL ||
	    (v = conf_value(cj, "$gateway6")) == NULL)
		return (NULL);
	memset(&scratch, 0, sizeof(scratch));
	if (net6_parse_addr(&scratch, v, canon) == -1)
		return (NULL);
	return (xstrdup(canon));
}

/* Does the address part of "A/P" (or "A") equal a? */
static int
same_addr(const char *s, const struct in6_addr *a)
{
	struct in6_addr b;
	char tmp[NET6_STRLEN];

	snprintf(tmp, sizeof(tmp), "%s", s);
	tmp[strcspn(tmp, "/%")] = '\0';
	return (inet_pton(AF_INET6, tmp, &b) == 1 &&
	    memcmp(a, &b, sizeof(b)) == 0);
}

/* Is a on the interface ifname (NULL: any; one "ifconfig" call)? */
static int
host_has(struct jailer *jp, const char *ifname, const struct in6_addr *a,
    int *has)
{
	const char *argv[] = { "ifconfig", ifname, NULL };
	struct buf out;
	char *line, *p;
	size_t pos;

	*has = 0;
	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL && !*has) {
		line = str_trim(line);
		if (!str_has_prefix(line, "inet6 "))
			continue;
		p = line + 6;
		p[strcspn(p, " ")] = '\0';
		*has = same_addr(p, a);
	}
	buf_free(&out);
	return (0);
}

/*
 * Refuse the IPv6 address s ("A/P", canonical) if another jail has it
 * recorded or a host interface has it.
 */
int
net6_free(struct jailer *jp, struct jails *js, const char *s)
{
	struct in6_addr a;
	char tmp[NET6_STRLEN], *other;
	size_t i;
	int taken, has = 0;

	snprintf(tmp, sizeof(tmp), "%s", s);
	tmp[strcspn(tmp, "/")] = '\0';
	if (inet_pton(AF_INET6, tmp, &a) != 1)
		return (jailer_seterr(jp, "invalid IPv6 address '%s'",
		    vis(s)));
	for (taken = 0, i = 0; i < js->n && !taken; i++) {
		if ((other = net6_of(&js->v[i])) != NULL)
			taken = same_addr(other, &a);
		free(other);
	}
	if (!taken && host_has(jp, NULL, &a, &has) == -1)
		return (-1);
	if (taken || has)
		return (jailer_seterr(jp, "%s is already in use", tmp));
	return (0);
}

/*
 * create's IPv6: rq->addr6 ("A/P" or, for eb, "slaac") and rq->gateway6
 * into p->ip6 and p->gateway6, after every check.  An eb jail's gateway
 * defaults to the bridge's IPv6 address on its subnet (init bridge -a).
 */
int
net6_plan(struct jailer *jp, const struct create_req *rq, struct jails *js,
    struct create_plan *p)
{
	char canon[NET6_STRLEN];
	int prefix;

	if (rq->addr6 == NULL) {
		if (rq->gateway6 != NULL)
			return (jailer_seterr(jp, "an IPv6 gateway (-g) needs "
			    "an IPv6 address (-a ADDRESS/PREFIX)"));
		return (0);
	}
	if (p->type == NET_INHERIT)
		return (jailer_seterr(jp, "-b, -a, -g and -m do not apply to "
		    "an inherit jail; use -t new or -t eb"));
	if (p->type == NET_NEW && (rq->gateway6 != NULL ||
	    strcmp(rq->addr6, "slaac") == 0))
		return (jailer_seterr(jp, "-t new takes -b and -a ADDRESS "
		    "only"));
	if (strcmp(rq->addr6, "slaac") == 0) {
		if (rq->gateway6 != NULL)
			return (jailer_seterr(jp, "-g does not apply to slaac: "
			    "the router announces itself"));
		p->ip6 = xstrdup("slaac");
		return (0);
	}
	if (net6_parse(jp, rq->addr6, canon, &prefix) == -1 ||
	    net6_free(jp, js, canon) == -1)
		return (-1);
	p->ip6 = xstrdup(canon);
	if (rq->gateway6 != NULL) {
		if (net6_parse_addr(jp, rq->gateway6, canon) == -1)
			return (-1);
		p->gateway6 = xstrdup(canon);
	} else if (p->type == NET_EB && p->iface != NULL &&
	    bridge_gateway(jp, p->iface, p->ip6, &p->gateway6) == -1)
		return (-1);
	return (0);
}

/* The epair's rc.conf variable and value; 0 if the plan has no IPv6. */
static int
rc_vars(const struct create_plan *p, char *var, size_t nvar, char *val,
    size_t nval)
{
	if (p->type != NET_EB || p->ip6 == NULL)
		return (0);
	snprintf(var, nvar, "ifconfig_epair%db_ipv6", p->id);
	snprintf(val, nval, "inet6 %s", strcmp(p->ip6, "slaac") == 0 ?
	    "accept_rtadv" : p->ip6);
	return (1);
}

/*
 * An eb jail's rc.conf (root: its root as the host sees it): the epair's
 * IPv6 address or SLAAC, and the IPv6 default router.
 */
int
net6_rc_write(struct jailer *jp, const char *root,
    const struct create_plan *p)
{
	char var[64], val[NET6_STRLEN + 16];
	int slaac;

	if (!rc_vars(p, var, sizeof(var), val, sizeof(val)))
		return (0);
	slaac = strcmp(p->ip6, "slaac") == 0;
	if (safe_rc_set(jp, root, "etc/rc.conf", var, val) == -1 ||
	    (slaac && safe_rc_set(jp, root, "etc/rc.conf", "rtsold_enable",
	    "YES") == -1) ||
	    (p->gateway6 != NULL && safe_rc_set(jp, root, "etc/rc.conf",
	    "ipv6_defaultrouter", p->gateway6) == -1))
		return (-1);
	return (0);
}

/*
 * What net6_rc_write() sets, as sysrc arguments for create -D, or NULL.
 * Caller frees.
 */
char *
net6_rc_text(const struct create_plan *p)
{
	struct buf b;
	char var[64], val[NET6_STRLEN + 16];

	if (!rc_vars(p, var, sizeof(var), val, sizeof(val)))
		return (NULL);
	buf_init(&b);
	buf_addf(&b, "%s=\"%s\"", var, val);
	if (strcmp(p->ip6, "slaac") == 0)
		buf_adds(&b, " rtsold_enable=\"YES\"");
	if (p->gateway6 != NULL)
		buf_addf(&b, " ipv6_defaultrouter=\"%s\"", p->gateway6);
	return (buf_steal(&b));
}

/*
 * A -t new jail's IPv6 address stays on the host interface if its
 * removal failed when the jail stopped: take it off (destroy).
 */
int
net6_alias_remove(struct jailer *jp, const struct jail *j)
{
	struct in6_addr a;
	char *v, addr[NET6_STRLEN];
	int has;
	const char *argv[] = { "ifconfig", j->iface, "inet6", addr, "-alias",
	    NULL };

	if (j->type != NET_NEW || j->iface == NULL ||
	    (v = net6_of(j)) == NULL)
		return (0);
	snprintf(addr, sizeof(addr), "%s", v);
	free(v);
	addr[strcspn(addr, "/")] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1 ||
	    host_has(jp, j->iface, &a, &has) == -1 || !has)
		return (0);
	return (run(jp, argv, NULL, 0) == 0 ? 0 : -1);
}

/*
 * The jail's static IPv6 address without its prefix (for pf rules):
 * 1 with it in addr, 0 when jailer recorded none (or slaac).
 */
int
net6_addr_of(const struct jail *j, char addr[NET6_STRLEN])
{
	char *v;

	addr[0] = '\0';
	if ((v = net6_of(j)) == NULL)
		return (0);
	if (strcmp(v, "slaac") != 0) {
		snprintf(addr, NET6_STRLEN, "%s", v);
		addr[strcspn(addr, "/")] = '\0';
	}
	free(v);
	return (addr[0] != '\0');
}

/* Is a inside net/prefix? */
static int
in_prefix(const struct in6_addr *a, const struct in6_addr *net, int prefix)
{
	int i, bits;
	unsigned mask;

	for (i = 0; i < 16 && prefix > 0; i++, prefix -= 8) {
		bits = prefix >= 8 ? 8 : prefix;
		mask = (0xffU << (8 - bits)) & 0xffU;
		if ((a->s6_addr[i] & mask) != (net->s6_addr[i] & mask))
			return (0);
	}
	return (1);
}

/*
 * The IPv6 default router of an eb jail at addr ("A/P") on bridge: the
 * bridge's global address whose prefix holds addr (one "ifconfig
 * BRIDGE" call); *gw is NULL when it has none.  Caller frees *gw.
 */
static int
bridge_gateway(struct jailer *jp, const char *bridge, const char *addr,
    char **gw)
{
	const char *argv[] = { "ifconfig", bridge, NULL };
	struct in6_addr a, b;
	struct buf out;
	char tmp[NET6_STRLEN], *line, *p, *plen;
	size_t pos;

	*gw = NULL;
	snprintf(tmp, sizeof(tmp), "%s", addr);
	tmp[strcspn(tmp, "/")] = '\0';
	if (inet_pton(AF_INET6, tmp, &a) != 1)
		return (0);
	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL && *gw == NULL) {
		line = str_trim(line);
		if (!str_has_prefix(line, "inet6 ") ||
		    (plen = strstr(line, " prefixlen ")) == NULL)
			continue;
		p = line + 6;
		p[strcspn(p, " %")] = '\0';
		if (inet_pton(AF_INET6, p, &b) == 1 &&
		    !IN6_IS_ADDR_LINKLOCAL(&b) &&
		    in_prefix(&a, &b, atoi(plen + 11)) &&
		    memcmp(&a, &b, sizeof(a)) != 0)
			*gw = xstrdup(p);
	}
	buf_free(&out);
	return (0);
}

/*
 * init bridge -a ADDRESS6/PREFIX: what the bridge still needs.  exists:
 * the bridge exists now.
 */
int
net6_bridge_plan(struct jailer *jp, const char *bridge, const char *cidr6,
    int exists, struct net6_bridge *b)
{
	struct in6_addr a;
	char addr[NET6_STRLEN];
	int prefix, other;

	memset(b, 0, sizeof(*b));
	if (net6_parse(jp, cidr6, b->cidr, &prefix) == -1)
		return (-1);
	if (prefix > 126)
		return (jailer_seterr(jp, "%s: the bridge needs an IPv6 "
		    "subnet of /1 to /126", b->cidr));
	snprintf(addr, sizeof(addr), "%s", b->cidr);
	addr[strcspn(addr, "/")] = '\0';
	(void)inet_pton(AF_INET6, addr, &a);
	if ((exists && host_has(jp, bridge, &a, &b->has) == -1) ||
	    (!b->has && host_has(jp, NULL, &a, &other) == -1))
		return (-1);
	if (!b->has && other)
		return (jailer_seterr(jp, "%s is already in use", addr));
	snprintf(b->rcvar, sizeof(b->rcvar), "ifconfig_%s_ipv6", bridge);
	snprintf(b->want, sizeof(b->want), "inet6 %s", b->cidr);
	if (host_rc_get(jp, b->rcvar, &b->cur) == -1)
		return (-1);
	if (b->cur != NULL && strcmp(b->cur, b->want) != 0)
		return (jailer_seterr(jp, "%s is already set to \"%s\" in "
		    "rc.conf; remove it, or pick another bridge with -i",
		    b->rcvar, vis(b->cur)));
	b->done = b->cur != NULL && b->has;
	return (0);
}

/* The bridge's IPv6 address: rc.conf for boot, ifconfig for now. */
int
net6_bridge_apply(struct jailer *jp, const char *bridge,
    struct net6_bridge *b, struct undo *u)
{
	const char *add[] = { "ifconfig", bridge, "inet6", b->cidr, "alias",
	    NULL };
	const char *del[] = { "ifconfig", bridge, "inet6", b->cidr, "-alias",
	    NULL };

	if (b->cur == NULL && host_rc_set(jp, u, b->rcvar, b->want) == -1)
		return (-1);
	if (!b->has) {
		if (run(jp, add, NULL, 0) != 0)
			return (-1);
		undo_cmd(u, del);
	}
	return (0);
}

void
net6_bridge_free(struct net6_bridge *b)
{
	free(b->cur);
	b->cur = NULL;
}
