/*
 * The jail lifecycle.  create is a list of steps, each pushing its undo;
 * a failure, or SIGINT/SIGTERM, runs the undos in reverse, so a failed
 * create leaves nothing behind.  destroy runs the same steps backwards,
 * and each step treats "already gone" as done, so a half-destroyed jail
 * can be destroyed again.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp.h"
#include "exec.h"
#include "gc.h"
#include "host.h"
#include "image.h"
#include "lifecycle.h"
#include "net.h"
#include "pf.h"
#include "rcconf.h"
#include "safe.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

#define	MANAGED_JAIL	"jail"		/* jailer:managed of a jail */
#define	DEVFS_JAIL	4		/* devfsrules_jail */
#define	DEVFS_JAIL_VNET	5		/* devfsrules_jail_vnet */
#define	DEVFS_RULES	"/etc/devfs.rules"
#define	DEVFS_JAILER	"jailer_vnet"	/* jail_vnet plus bpf, for DHCP */
#define	JAILER_TIMEOUT	120		/* seconds; rc.conf jailer_timeout */

static int	jail_exists(struct jailer *, const char *);

static void
on_signal(int sig)
{
	(void)sig;
	jailer_interrupted = 1;
}

/*
 * From here on SIGINT and SIGTERM make the operation stop at the next
 * step and undo what it did, instead of killing jailer halfway.
 */
void
lifecycle_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int
check_interrupt(struct jailer *jp)
{
	if (jailer_interrupted)
		return (jailer_seterr(jp, "interrupted"));
	return (0);
}

/* A DNS domain: labels of letters, digits and '-', joined by dots. */
int
valid_domain(struct jailer *jp, const char *s)
{
	const char *p, *label;

	if (*s == '\0' || strlen(s) > 200)
		goto bad;
	for (label = p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || *label == '-' ||
			    p[-1] == '-')
				goto bad;
			if (*p == '\0')
				return (0);
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			goto bad;
	}
bad:
	return (jailer_seterr(jp, "invalid domain '%s'", vis(s)));
}

/*
 * 1 if the dataset is a jail jailer created (jailer:managed=jail), 0 if
 * it exists but is not, -2 if it does not exist, -1 on error.
 */
int
jail_managed(struct jailer *jp, const char *ds)
{
	char *v;
	int rc;

	if ((rc = zfs_get(jp, ds, "jailer:managed", &v)) != 1)
		return (rc == 0 ? -2 : -1);
	rc = strcmp(v, MANAGED_JAIL) == 0;
	free(v);
	return (rc);
}

/* The number of the jailer devfs ruleset in /etc/devfs.rules, or -1. */
static int
devfs_jailer_ruleset(struct jailer *jp)
{
	struct buf b;
	char *path, *line, *p, want[40];
	size_t pos;
	int n;

	path = host_path(DEVFS_RULES);
	buf_init(&b);
	n = -1;
	if (file_read(jp, path, &b) == 0) {
		snprintf(want, sizeof(want), "[%s=", DEVFS_JAILER);
		pos = 0;
		while ((line = buf_nextline(&b, &pos)) != NULL) {
			line = str_trim(line);
			if (!str_has_prefix(line, want))
				continue;
			p = line + strlen(want);
			n = (int)strtol(p, &p, 10);
			if (*p != ']' || n <= 0 || n > 65535)
				n = -1;
		}
	}
	buf_free(&b);
	free(path);
	return (n);
}

/* A random name of 8 hex digits that is not a number and not taken. */
static char *
random_name(struct jails *js)
{
	unsigned char r[4];
	char name[9];
	int i, letter;

	for (;;) {
		if (net_random(r, sizeof(r)) == -1)
			abort();
		snprintf(name, sizeof(name), "%02x%02x%02x%02x", r[0], r[1],
		    r[2], r[3]);
		for (letter = 0, i = 0; i < 8; i++)
			if (isalpha((unsigned char)name[i]))
				letter = 1;
		if (letter && jails_find(js, name) == NULL)
			return (xstrdup(name));
	}
}

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
static int
plan_new(struct jailer *jp, const struct create_req *rq, struct jails *js,
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
	used = NULL;
	nused = 0;
	jail_addrs(jp, js, &used, &nused);
	for (size_t i = 0; i < nifa; i++) {
		used = xrealloc(used, (nused + 1) * sizeof(*used));
		used[nused++] = ifa[i].addr;
	}
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
static int
plan_eb(struct jailer *jp, const struct create_req *rq, struct jails *js,
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
	used = NULL;
	nused = 0;
	jail_addrs(jp, js, &used, &nused);
	for (size_t i = 0; i < nifa; i++) {
		used = xrealloc(used, (nused + 1) * sizeof(*used));
		used[nused++] = ifa[i].addr;
	}
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

/* Where the root file system comes from: -s JAIL@SNAP or an image. */
static int
plan_source(struct jailer *jp, const struct create_req *rq,
    const struct config *cf, struct create_plan *p)
{
	const struct host *h;
	char *jailname, *at, *ds, rel[64];
	int rc;

	if (rq->snapshot != NULL) {
		jailname = xstrdup(rq->snapshot);
		at = strchr(jailname, '@');
		*at = '\0';
		ds = xasprintf("%s/%s", cf->dataset, jailname);
		p->source = xasprintf("%s@%s", ds, at + 1);
		p->from_jail = 1;
		rc = jail_managed(jp, ds);
		if (rc == -2 || rc == 0)
			jailer_seterr(jp, "%s: no such jail", jailname);
		else if (rc == 1 && (rc = zfs_exists(jp, p->source)) == 0)
			jailer_seterr(jp, "%s: no such snapshot", rq->snapshot);
		free(jailname);
		free(ds);
		return (rc == 1 ? 0 : -1);
	}
	if (rq->release != NULL)
		snprintf(rel, sizeof(rel), "%s", rq->release);
	else {
		char *def;

		if ((rc = image_default(jp, &def)) == -1)
			return (-1);
		if (rc == 1) {
			snprintf(rel, sizeof(rel), "%s", def);
			free(def);
		} else {
			if (host_get(jp, &h) == -1)
				return (-1);
			release_name(&h->release, rel, sizeof(rel));
			if (valid_image_release(jp, rel, NULL) == -1)
				return (-1);
		}
	}
	p->release = xstrdup(rel);
	p->source = xasprintf("%s/image/%s@base", cf->dataset, rel);
	if ((rc = image_exists(jp, rel)) == -1)
		return (-1);
	if (rc == 0) {
		if (image_check_host(jp, rel) == -1) {
			char why[sizeof(jp->err)];

			memcpy(why, jp->err, sizeof(why));
			return (jailer_seterr(jp, "%s: %s", rel, why));
		}
		p->need_fetch = 1;
	}
	return (0);
}

/*
 * Work out everything create will do, without changing anything.  Must
 * be called with the state lock held, so the id, the name, the address
 * and the MAC stay free until create_run() takes them.
 */
int
create_plan(struct jailer *jp, const struct create_req *rq,
    struct create_plan *p)
{
	static const char *const hostname[] = { "hostname", NULL };
	const struct config *cf;
	struct jail_spec spec;
	struct jails js;
	struct buf ifl, out;
	char *v, *cidr;
	int rc;

	memset(p, 0, sizeof(*p));
	if (config_get(jp, &cf) == -1)
		return (-1);
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	buf_init(&ifl);
	buf_init(&out);
	rc = -1;
	p->name = rq->name != NULL ? xstrdup(rq->name) : random_name(&js);
	p->dataset = xasprintf("%s/%s", cf->dataset, p->name);
	p->path = xasprintf("%s/%s", cf->mountpoint, p->name);
	p->clone = rq->clone;
	p->quiet = rq->quiet;
	if (jails_find(&js, p->name) != NULL) {
		jailer_seterr(jp, "%s already exists", p->name);
		goto out;
	}
	if ((rc = zfs_exists(jp, p->dataset)) != 0) {
		if (rc == 1)
			jailer_seterr(jp, "the dataset %s already exists",
			    p->dataset);
		rc = -1;
		goto out;
	}
	rc = -1;
	if (plan_source(jp, rq, cf, p) == -1)
		goto out;
	if (net_if_list(jp, &ifl) == -1)
		goto out;
	p->id = jails_next_id(&js, ifl.data);
	if (rq->domain != NULL)
		p->domain = xstrdup(rq->domain);
	else {
		if (run(jp, hostname, &out, RUN_RO) != 0)
			goto out;
		p->domain = xstrdup(str_trim(out.data));
		if (valid_domain(jp, p->domain) == -1)
			goto out;
	}
	if (rq->type != NULL)
		v = xstrdup(rq->type);
	else if (config_file_read(jp, ".default_nettype", &v) != 1)
		v = xstrdup("inherit");
	if (nettype_parse(v, &p->type) == -1) {
		valid_nettype(jp, v);
		free(v);
		goto out;
	}
	free(v);
	if (p->type == NET_INHERIT && (rq->iface != NULL ||
	    rq->addr != NULL || rq->gateway != NULL || rq->netmask != NULL)) {
		jailer_seterr(jp, "-b, -a, -g and -m do not apply to an "
		    "inherit jail; use -t new or -t eb");
		goto out;
	}
	if (p->type == NET_NEW && (rq->gateway != NULL ||
	    rq->netmask != NULL || (rq->addr != NULL &&
	    strcmp(rq->addr, "dhcp") == 0))) {
		jailer_seterr(jp, "-t new takes -b and -a ADDRESS only");
		goto out;
	}
	if ((p->type == NET_NEW && plan_new(jp, rq, &js, p) == -1) ||
	    (p->type == NET_EB && plan_eb(jp, rq, &js, p) == -1))
		goto out;
	p->devfs_ruleset = DEVFS_JAIL;
	if (p->type == NET_EB) {
		p->devfs_ruleset = devfs_jailer_ruleset(jp);
		if (p->devfs_ruleset == -1)
			p->devfs_ruleset = DEVFS_JAIL_VNET;
	}
	if (rq->resolver != NULL)
		p->resolver = xstrdup(rq->resolver);
	memset(&spec, 0, sizeof(spec));
	spec.name = p->name;
	spec.id = p->id;
	spec.domain = p->domain;
	spec.path = p->path;
	spec.type = p->type;
	spec.iface = p->iface;
	spec.ip4 = p->ip4;
	cidr = NULL;
	if (p->type == NET_EB) {
		/* The host's record of the jail's network identity. */
		spec.mac = p->mac;
		spec.ip4 = NULL;
		if (!p->dhcp) {
			cidr = xasprintf("%s/%d", p->ip4, p->prefix);
			spec.ip4 = cidr;
			spec.gateway = p->gateway;
		}
	}
	spec.devfs_ruleset = p->devfs_ruleset;
	p->conf = conf_render(&spec);
	free(cidr);
	rc = 0;
out:
	buf_free(&ifl);
	buf_free(&out);
	jails_free(&js);
	return (rc);
}

void
create_plan_free(struct create_plan *p)
{
	free(p->name);
	free(p->dataset);
	free(p->path);
	free(p->source);
	free(p->release);
	free(p->iface);
	free(p->ip4);
	free(p->gateway);
	free(p->resolver);
	free(p->domain);
	free(p->conf);
	memset(p, 0, sizeof(*p));
}

/*
 * Remove the source jail's network identity from a copy: every
 * ifconfig_epair* assignment and defaultrouter in etc/rc.conf, and every
 * etc/start_if.*.
 */
static int
forget_network(struct jailer *jp, const char *root)
{
	struct buf in, out;
	struct dirent *de;
	char *line, *n, *v, *etc;
	size_t pos;
	int fd, rc;
	DIR *d;

	buf_init(&in);
	buf_init(&out);
	rc = 0;
	if (safe_read(jp, root, "etc/rc.conf", &in) == 0) {
		pos = 0;
		while ((line = buf_nextline(&in, &pos)) != NULL) {
			if (rc_parse_line(line, &n, &v)) {
				int drop = str_has_prefix(n,
				    "ifconfig_epair") ||
				    strcmp(n, "defaultrouter") == 0;

				free(n);
				free(v);
				if (drop)
					continue;
			}
			buf_addf(&out, "%s\n", line);
		}
		rc = safe_write(jp, root, "etc/rc.conf", out.data, out.len,
		    0644);
	}
	buf_free(&in);
	buf_free(&out);
	if (rc == -1)
		return (-1);
	/* etc itself was checked by safe_read/safe_write: no symlink. */
	etc = xasprintf("%s/etc", root);
	fd = open(etc, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	free(etc);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return (0);
	}
	while ((de = readdir(d)) != NULL) {
		if (!str_has_prefix(de->d_name, "start_if."))
			continue;
		etc = xasprintf("etc/%s", de->d_name);
		rc = safe_unlink(jp, root, etc);
		free(etc);
		if (rc == -1)
			break;
	}
	closedir(d);
	return (rc);
}

/* Write the files create puts inside the jail's root. */
static int
write_jail_files(struct jailer *jp, struct create_plan *p)
{
	struct buf b;
	char *root, *hostres, rel[64], var[64], val[128], mask[16];
	int rc;

	root = host_path(p->path);
	buf_init(&b);
	rc = -1;
	if (p->from_jail && forget_network(jp, root) == -1)
		goto out;
	if (p->resolver != NULL)
		buf_addf(&b, "nameserver %s\n", p->resolver);
	else {
		hostres = host_path("/etc/resolv.conf");
		if (file_read(jp, hostres, &b) == -1 && errno != ENOENT) {
			free(hostres);
			goto out;
		}
		free(hostres);
	}
	if (safe_write(jp, root, "etc/resolv.conf", b.data, b.len,
	    0644) == -1)
		goto out;
	if (p->type == NET_EB) {
		snprintf(rel, sizeof(rel), "etc/start_if.epair%db", p->id);
		buf_reset(&b);
		buf_addf(&b, "ifconfig epair%db ether %s\n", p->id, p->mac);
		if (safe_write(jp, root, rel, b.data, b.len, 0644) == -1)
			goto out;
		snprintf(var, sizeof(var), "ifconfig_epair%db", p->id);
		if (p->dhcp)
			snprintf(val, sizeof(val), "SYNCDHCP");
		else {
			mask_str(p->prefix, mask);
			snprintf(val, sizeof(val), "inet %s netmask %s",
			    p->ip4, mask);
		}
		if (safe_rc_set(jp, root, "etc/rc.conf", var, val) == -1 ||
		    safe_rc_set(jp, root, "etc/rc.conf", "defaultrouter",
		    p->dhcp ? NULL : p->gateway) == -1)
			goto out;
	}
	if (safe_rc_set(jp, root, "etc/rc.conf", "sendmail_enable",
	    "NONE") == -1 ||
	    safe_rc_set(jp, root, "etc/rc.conf", "syslogd_flags", "-ss") == -1 ||
	    (p->quiet && safe_rc_set(jp, root, "etc/rc.conf", "cron_enable",
	    "NO") == -1))
		goto out;
	rc = 0;
out:
	buf_free(&b);
	free(root);
	return (rc);
}

/* Undo a start: remove the jail if it runs, and its epair if left. */
static void
undo_started(struct jailer *jp, const struct create_plan *p)
{
	const char *rm[] = { "jail", "-r", p->name, NULL };
	char epair[32];
	const char *ifd[] = { "ifconfig", epair, "destroy", NULL };
	struct buf l;

	jp->undoing = 1;
	(void)run(jp, rm, NULL, 0);
	if (p->type == NET_EB) {
		snprintf(epair, sizeof(epair), "epair%da", p->id);
		buf_init(&l);
		if (net_if_list(jp, &l) == 0 && strstr(l.data, epair) != NULL)
			(void)run(jp, ifd, NULL, 0);
		buf_free(&l);
	}
	jp->undoing = 0;
}

/* Carry a plan out; on failure everything done so far is undone. */
int
create_run(struct jailer *jp, struct create_plan *p)
{
	const char *send[] = { "zfs", "send", p->source, NULL };
	const char *recv[] = { "zfs", "recv", "-o", "jailer:managed=jail",
	    p->dataset, NULL };
	char *conf, *fconf;
	const char *start[] = { "jail", "-f", NULL, "-c", p->name, NULL };
	struct undo u;
	char err[sizeof(jp->err)];
	int rc, started;

	undo_init(&u);
	conf = jail_conf_path(p->name);
	fconf = host_path(conf);
	start[2] = conf;
	started = 0;
	rc = -1;
	if (check_interrupt(jp) == -1)
		goto out;
	if (p->clone)
		rc = zfs(jp, 0, NULL, "clone", "-o", "jailer:managed=jail",
		    p->source, p->dataset, NULL);
	else
		rc = run_pipe(jp, send, recv, 0);
	if (rc != 0) {
		/* A failed receive may still have created the dataset. */
		undo_zfs_destroy(&u, p->dataset);
		rc = -1;
		goto out;
	}
	rc = -1;
	undo_zfs_destroy(&u, p->dataset);
	if (check_interrupt(jp) == -1 ||
	    write_jail_files(jp, p) == -1 || check_interrupt(jp) == -1)
		goto out;
	undo_unlink(&u, fconf);
	if (file_write_atomic(jp, fconf, p->conf, strlen(p->conf), 0644) == -1)
		goto out;
	if (check_interrupt(jp) == -1)
		goto out;
	/* A static address leaves the DHCP ranges of jailer's dhcpd. */
	if (((p->type == NET_EB && !p->dhcp) || p->type == NET_NEW) &&
	    dhcp_refresh(jp, &u, p->iface) == -1)
		goto out;
	started = 1;
	if (run(jp, start, NULL, 0) != 0 || check_interrupt(jp) == -1)
		goto out;
	rc = 0;
out:
	if (rc == 0)
		undo_commit(&u);
	else {
		memcpy(err, jp->err, sizeof(err));
		if (started)
			undo_started(jp, p);
		undo_run(jp, &u);
		memcpy(jp->err, err, sizeof(err));
	}
	free(conf);
	free(fconf);
	return (rc);
}

/* 1 if the jail has pf rules (a rule file), 0 if not. */
static int
has_pf_rules(struct jailer *jp, const char *name)
{
	struct pf_rules rs;
	int has;

	if (pf_rules_read(jp, name, &rs) == -1)
		return (1);
	has = rs.n > 0;
	pf_rules_free(&rs);
	return (has);
}

/* Destroy epair<id>a if it is still there. */
static int
epair_destroy(struct jailer *jp, int id, const char *iflist)
{
	char epair[32], *copy, *w, *save;
	const char *argv[] = { "ifconfig", epair, "destroy", NULL };
	int found;

	if (id < 0)
		return (0);
	snprintf(epair, sizeof(epair), "epair%da", id);
	found = 0;
	copy = xstrdup(iflist);
	for (w = strtok_r(copy, " \t\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\n", &save))
		if (strcmp(w, epair) == 0)
			found = 1;
	free(copy);
	if (!found)
		return (0);
	return (run(jp, argv, NULL, 0) == 0 ? 0 : -1);
}

/*
 * Unmount the jail's own devfs if it is still mounted: jail -R does not
 * unmount it, and a failed stop may leave it behind.  1 if it unmounted
 * it, 0 if it was not mounted, -1 on error.
 */
static int
own_devfs_unmount(struct jailer *jp, const char *path)
{
	static const char *const mnt[] = { "mount", "-p", NULL };
	struct buf out;
	char *dev, *line, *save, *f[3], *tok;
	const char *um[] = { "umount", "-f", NULL, NULL };
	size_t pos, k;
	int mounted;

	buf_init(&out);
	if (run(jp, mnt, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	dev = xasprintf("%s/dev", path);
	mounted = 0;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		k = 0;
		for (tok = strtok_r(line, " \t", &save); tok != NULL && k < 3;
		    tok = strtok_r(NULL, " \t", &save))
			f[k++] = tok;
		if (k == 3 && strcmp(f[1], dev) == 0 &&
		    strcmp(f[2], "devfs") == 0)
			mounted = 1;
	}
	buf_free(&out);
	um[2] = dev;
	k = !mounted ? 0 : run(jp, um, NULL, 0) == 0 ? 1 : -1;
	free(dev);
	return ((int)k);
}

/*
 * The limit on the jail(8) calls jailer waits for: rc.conf's
 * jailer_timeout (seconds, default 120, 0 = none), into jp->timeout.
 */
static int
load_timeout(struct jailer *jp)
{
	char *v, *end;
	long t;
	int rc;

	if ((rc = host_rc_get(jp, "jailer_timeout", &v)) == -1)
		return (-1);
	if (rc == 0) {
		jp->timeout = JAILER_TIMEOUT;
		return (0);
	}
	errno = 0;
	t = strtol(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 ||
	    t > 86400) {
		jailer_seterr(jp, "jailer_timeout in /etc/rc.conf: '%s' is not "
		    "a number of seconds (0 to 86400)", vis(v));
		free(v);
		return (-1);
	}
	free(v);
	jp->timeout = (int)t;
	return (0);
}

/*
 * Stop a jail: with its conf file (so exec.stop and exec.poststop run),
 * or by name for a jail jailer does not know.  Whatever fails, a jail
 * that no longer runs keeps no rules in its anchor, no epair and no
 * devfs: when jail -r fails but the jail is gone, or with force after
 * jail -R, the leftovers are removed at once (the error is kept).
 */
int
jail_stop(struct jailer *jp, const struct jail *j, int force)
{
	const char *rm[] = { "jail", "-r", j->name, NULL };
	const char *rmf[] = { "jail", "-f", NULL, "-r", j->name, NULL };
	const char *rmR[] = { "jail", "-R", j->name, NULL };
	char *conf, err[sizeof(jp->err)];
	struct jailer scratch;
	struct buf did;
	int rc;

	if (load_timeout(jp) == -1 || jail_mark(jp, j->name) == -1)
		return (-1);
	conf = jail_conf_path(j->name);
	rmf[2] = conf;
	rc = run(jp, j->has_conf && j->conf_err == NULL ? rmf : rm, NULL,
	    RUN_TIMED);
	free(conf);
	if (rc == 0) {
		/* The jail is gone: its rules go too, even if interrupted. */
		scratch = *jp;
		scratch.undoing = 1;
		if (has_pf_rules(jp, j->name) &&
		    pf_jail_flush(&scratch, j->name) == -1) {
			snprintf(err, sizeof(err), "%s", scratch.err);
			snprintf(jp->err, sizeof(jp->err), "pf rules not "
			    "flushed: %.600s (rerun 'jailer stop')", err);
			return (-1);
		}
		jail_unmark(j->name);
		return (0);
	}
	snprintf(err, sizeof(err), "%s", jp->err);
	scratch = *jp;
	scratch.undoing = 1;
	if (jail_exists(&scratch, j->name)) {
		/* Timed out or interrupted: remove it all the same. */
		if (!force && rc != 124) {
			jail_unmark(j->name);	/* still running, as it was */
			return (-1);
		}
		if (run(&scratch, rmR, NULL, RUN_TIMED) != 0) {
			snprintf(jp->err, sizeof(jp->err), "%.500s; jail -R: "
			    "%.400s", err, scratch.err);
			return (-1);
		}
		if (force)
			rc = 0;		/* removed: the clean-up decides */
	}
	buf_init(&did);
	if (jail_leftovers(&scratch, j, &did) == -1) {
		buf_free(&did);
		snprintf(jp->err, sizeof(jp->err), "%s", scratch.err);
		return (-1);
	}
	buf_free(&did);
	if (rc != 0)
		snprintf(jp->err, sizeof(jp->err), "%.600s (the jail is gone; "
		    "cleaned up after it)", err);
	return (rc == 0 ? 0 : -1);
}

/* Does jls know a jail of this name (running or dying)? */
static int
jail_exists(struct jailer *jp, const char *name)
{
	struct jailer scratch;
	const char *argv[] = { "jls", "-d", "-j", name, "jid", NULL };

	scratch = *jp;
	return (run(&scratch, argv, NULL, RUN_RO) == 0);
}

/* Is the anchor jailer/NAME loaded (pf lists only non-empty anchors)? */
static int
anchor_loaded(struct jailer *jp, const char *name)
{
	struct buf out;
	int found;

	buf_init(&out);
	found = pf_loaded_anchors(jp, &out) == 1 &&
	    pf_anchor_listed(out.data, name);
	buf_free(&out);
	return (found);
}

/*
 * Does pf hold the rules of the running jail j (its leases read) as
 * pf_jail_load() would load them now?  No when pfctl cannot tell.
 */
static int
rules_current(struct jailer *jp, const struct jail *j)
{
	struct jailer scratch;
	struct pf_rules rs;
	enum pf_loaded st[2];
	struct buf a;
	char addr[16];
	int listed, ok;

	scratch = *jp;
	buf_init(&a);
	ok = pf_loaded_anchors(&scratch, &a);
	listed = pf_anchor_listed(a.data, j->name);
	buf_free(&a);
	if (ok != 1 || pf_rules_read(&scratch, j->name, &rs) == -1)
		return (0);
	if (pf_jail_addr(&scratch, j, addr) != 1)
		ok = !listed;	/* no address: an empty anchor */
	else if (!listed)
		ok = rs.n == 0;
	else
		ok = pf_jail_loaded(&scratch, j->name, &rs, addr, st) == 0 &&
		    st[0] == PF_LOADED_YES && st[1] == PF_LOADED_YES;
	pf_rules_free(&rs);
	return (ok);
}

/*
 * Load the rules of the running jail j for its address now: a DHCP
 * jail's is the binding dhcpd holds for it at this moment.  With
 * if_stale, only when pf does not hold them so already: 0 then.
 */
static int
load_running(struct jailer *jp, const struct jail *j, int if_stale)
{
	struct jail running;
	int rc;

	running = *j;
	running.running = 1;
	running.lease_ip4 = running.lease_gw = NULL;
	jail_leases_reload(jp, &running);
	if (if_stale && rules_current(jp, &running))
		rc = 0;
	else
		rc = pf_jail_load(jp, &running) == -1 ? -1 : 1;
	free(running.lease_ip4);
	free(running.lease_gw);
	return (rc);
}

/*
 * A running jail whose anchor does not hold its rules as they are now
 * (a start killed between jail -c and the load, a flush or a load by
 * hand, a DHCP address that changed): load them.  1 if it loaded them,
 * 0 if there was nothing to do, -1 on error.
 */
int
jail_rules_repair(struct jailer *jp, const struct jail *j)
{
	int rc;

	rc = has_pf_rules(jp, j->name) ? load_running(jp, j, 1) : 0;
	if (rc != -1)
		jail_unmark(j->name);	/* running, with its rules */
	return (rc);
}

/*
 * What a stopped jail may have left on the host when a start or stop
 * failed or was killed: rules in its anchor, its epair pair, its devfs.
 * Removes each one (the jail must not be running) and appends what it
 * did to did ("anchor flushed, epair3a destroyed, ...").
 */
int
jail_leftovers(struct jailer *jp, const struct jail *j, struct buf *did)
{
	char ifn[32];
	const char *ifd[] = { "ifconfig", ifn, "destroy", NULL };
	struct buf l;
	const char *end;
	int rc, k;

	rc = 0;
	if (has_pf_rules(jp, j->name) && anchor_loaded(jp, j->name)) {
		if (pf_jail_flush(jp, j->name) == -1)
			return (-1);
		buf_adds(did, did->len > 0 ? ", anchor flushed" :
		    "anchor flushed");
	}
	if (j->type == NET_EB && j->id >= 0) {
		buf_init(&l);
		if (net_if_list(jp, &l) == -1) {
			buf_free(&l);
			return (-1);
		}
		/* Destroying either end destroys the pair. */
		for (k = 0, end = "ab"; end[k] != '\0'; k++) {
			snprintf(ifn, sizeof(ifn), "epair%d%c", j->id, end[k]);
			if (!str_word_in(l.data, ifn))
				continue;
			if (run(jp, ifd, NULL, 0) != 0) {
				rc = -1;
				break;
			}
			buf_addf(did, "%s%s destroyed", did->len > 0 ? ", " :
			    "", ifn);
			break;
		}
		buf_free(&l);
		if (rc == -1)
			return (-1);
	}
	if (j->path != NULL) {
		char *root = xstrdup(j->path);

		k = own_devfs_unmount(jp, root);
		free(root);
		if (k == -1)
			return (-1);
		if (k == 1)
			buf_addf(did, "%sdevfs unmounted", did->len > 0 ?
			    ", " : "");
	}
	jail_unmark(j->name);	/* stopped, nothing left */
	return (0);
}

/*
 * Start a jail from its conf file, then load its pf rules with its
 * current address.  Leftovers of an earlier failed start or stop are
 * removed first; a failed jail -c is undone (jail -R if the jail exists,
 * then the same clean-up), so the jail can always be started again.  If
 * its rules cannot be loaded the jail is stopped again and start fails,
 * unless keep is set (then a warning).
 */
int
jail_start(struct jailer *jp, const struct jail *j, int keep)
{
	struct buf did;
	char *conf, err[sizeof(jp->err)];
	const char *argv[] = { "jail", "-f", NULL, "-c", j->name, NULL };
	const char *rmR[] = { "jail", "-R", j->name, NULL };
	struct jailer scratch;
	int rc;

	if (!j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (j->conf_err != NULL)
		return (jailer_seterr(jp, "%s", j->conf_err));
	buf_init(&did);
	if (jail_leftovers(jp, j, &did) == -1) {
		buf_free(&did);
		return (-1);
	}
	buf_free(&did);
	if (load_timeout(jp) == -1 || jail_mark(jp, j->name) == -1)
		return (-1);
	conf = jail_conf_path(j->name);
	argv[2] = conf;
	rc = run(jp, argv, NULL, RUN_TIMED) == 0 ? 0 : -1;
	free(conf);
	if (rc == -1) {
		/* Undo what jail -c did; keep its error. */
		snprintf(err, sizeof(err), "%s", jp->err);
		scratch = *jp;
		scratch.undoing = 1;
		if (jail_exists(&scratch, j->name))
			(void)run(&scratch, rmR, NULL, RUN_TIMED);
		buf_init(&did);
		(void)jail_leftovers(&scratch, j, &did);
		buf_free(&did);
		snprintf(jp->err, sizeof(jp->err), "%.900s%s", err,
		    strstr(err, "jailer_timeout") != NULL ||
		    strstr(err, "interrupted") != NULL ? "; removed it" : "");
		return (-1);
	}
	if (has_pf_rules(jp, j->name)) {
		rc = load_running(jp, j, 0) == -1 ? -1 : 0;
		if (rc == -1 && keep) {
			jailer_warnx(j->name, "pf rules not loaded: %s",
			    jp->err);
			rc = 0;
		} else if (rc == -1) {
			snprintf(err, sizeof(err), "%s", jp->err);
			scratch = *jp;
			if (jail_stop(&scratch, j, 1) == -1)
				snprintf(jp->err, sizeof(jp->err), "pf rules not "
				    "loaded: %.400s; and stopping it failed: "
				    "%.400s", err, scratch.err);
			else
				snprintf(jp->err, sizeof(jp->err), "pf rules not "
				    "loaded: %.400s; stopped it again (start -f "
				    "keeps it running)", err);
			return (-1);
		}
	}
	jail_unmark(j->name);	/* running, with its rules */
	return (rc);
}

/*
 * Mounts below the jail's root that are not the jail's own devfs: a
 * nullfs of host data, say.  destroy refuses while any exist.
 */
static int
foreign_mounts(struct jailer *jp, const char *path, const char *ds)
{
	static const char *const argv[] = { "mount", "-p", NULL };
	struct buf out;
	char *line, *f[3], *save, *tok, *prefix, *dev;
	size_t pos, k;
	int rc;

	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	prefix = xasprintf("%s/", path);
	dev = xasprintf("%s/dev", path);
	rc = 0;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL && rc == 0) {
		k = 0;
		for (tok = strtok_r(line, " \t", &save); tok != NULL && k < 3;
		    tok = strtok_r(NULL, " \t", &save))
			f[k++] = tok;
		if (k < 3 || !str_has_prefix(f[1], prefix))
			continue;
		if (strcmp(f[1], dev) == 0 && strcmp(f[2], "devfs") == 0)
			continue;
		if (str_has_prefix(f[0], ds) && (f[0][strlen(ds)] == '/' ||
		    f[0][strlen(ds)] == '\0'))
			continue;
		rc = jailer_seterr(jp, "%s is mounted inside the jail; "
		    "unmount it first", f[1]);
	}
	free(prefix);
	free(dev);
	buf_free(&out);
	return (rc);
}

/*
 * A -t new jail's address stays on the host interface if its removal
 * failed when the jail stopped: take it off.
 */
static int
alias_remove(struct jailer *jp, const struct jail *j)
{
	struct ifaddr4 *a;
	struct in_addr in;
	size_t n, i;
	int found;
	const char *argv[] = { "ifconfig", j->iface, "inet", j->ip4, "-alias",
	    NULL };

	if (j->iface == NULL || j->ip4 == NULL ||
	    inet_pton(AF_INET, j->ip4, &in) != 1 ||
	    net_if_addrs(jp, j->iface, &a, &n) == -1)
		return (0);
	for (found = 0, i = 0; i < n; i++)
		if (a[i].addr == ntohl(in.s_addr))
			found = 1;
	free(a);
	if (!found)
		return (0);
	return (run(jp, argv, NULL, 0) == 0 ? 0 : -1);
}

/*
 * Refuse to destroy a jail whose snapshots other datasets are clones of:
 * zfs would refuse too, but only after the jail was stopped.
 */
static int
dependent_clones(struct jailer *jp, const char *root, const char *ds)
{
	struct buf out;
	char *line, *save, *tab, *prefix;
	int rc;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name,origin", "-t",
	    "filesystem", "-r", root, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	prefix = xasprintf("%s@", ds);
	rc = 0;
	for (line = strtok_r(out.data, "\n", &save); line != NULL && rc == 0;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((tab = strchr(line, '\t')) == NULL ||
		    !str_has_prefix(tab + 1, prefix))
			continue;
		*tab = '\0';
		rc = jailer_seterr(jp, "%s is a clone of its snapshot %s; "
		    "destroy that first", line, tab + 1);
	}
	free(prefix);
	buf_free(&out);
	return (rc);
}

/*
 * Destroy one jail: stop it, remove its epair, dataset, conf file and
 * console log.  Each step treats "already gone" as done.  dry: print
 * what would be removed instead.
 */
int
jail_destroy(struct jailer *jp, const char *name, int force, int dry)
{
	const struct config *cf;
	struct jails js;
	struct jail *j, none;
	struct buf ifl;
	char *ds, *conf, *fconf, *log, *flog;
	int managed, rc;

	if (config_get(jp, &cf) == -1)
		return (-1);
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	ds = xasprintf("%s/%s", cf->dataset, name);
	conf = jail_conf_path(name);
	fconf = host_path(conf);
	log = xasprintf("%s/%s.log", JAIL_LOG_DIR, name);
	flog = host_path(log);
	buf_init(&ifl);
	rc = -1;
	if ((j = jails_find(&js, name)) == NULL) {
		memset(&none, 0, sizeof(none));
		none.name = (char *)name;
		none.id = -1;
		j = &none;
	}
	if ((managed = jail_managed(jp, ds)) == -1)
		goto out;
	if (managed == 0) {
		jailer_seterr(jp, "%s was not created by jailer "
		    "(jailer:managed is not \"jail\"); refusing to destroy it",
		    ds);
		goto out;
	}
	if (managed == -2 && !j->has_conf) {
		jailer_seterr(jp, "no such jail");
		goto out;
	}
	if (j->running && !j->has_conf) {
		jailer_seterr(jp, "running, but not a jail jailer manages");
		goto out;
	}
	if (j->path == NULL)
		j->path = xasprintf("%s/%s", cf->mountpoint, name);
	if (managed == 1 && (foreign_mounts(jp, j->path, ds) == -1 ||
	    dependent_clones(jp, cf->dataset, ds) == -1))
		goto out;
	if (net_if_list(jp, &ifl) == -1)
		goto out;
	if (dry) {
		printf("Destroying %s would:\n", name);
		if (j->running)
			printf("  stop the jail (JID %s)\n", j->jid);
		if (j->type == NET_EB && j->id >= 0) {
			char ep[32];

			snprintf(ep, sizeof(ep), "epair%da", j->id);
			if (strstr(ifl.data, ep) != NULL)
				printf("  destroy the interface %s\n", ep);
		}
		if (managed == 1)
			printf("  destroy the dataset %s and its snapshots\n",
			    ds);
		if (has_pf_rules(jp, name))
			printf("  remove its pf rules (anchor jailer/%s)\n",
			    name);
		if (j->has_conf)
			printf("  remove %s\n", conf);
		if (file_exists(flog))
			printf("  remove %s\n", log);
		rc = 0;
		goto out;
	}
	if (j->running && jail_stop(jp, j, force) == -1)
		goto out;
	/* The stop's exec.poststop usually destroyed the epair already. */
	buf_reset(&ifl);
	if (j->type == NET_EB && (net_if_list(jp, &ifl) == -1 ||
	    epair_destroy(jp, j->id, ifl.data) == -1))
		goto out;
	if (managed == 1 && own_devfs_unmount(jp, j->path) == -1)
		goto out;
	if (j->type == NET_NEW && alias_remove(jp, j) == -1)
		goto out;
	if (managed == 1) {
		if (zfs(jp, 0, NULL, "destroy", "-r", force ? "-f" : ds,
		    force ? ds : NULL, NULL) != 0) {
			if (strstr(jp->err, "busy") != NULL && !force) {
				char why[sizeof(jp->err)];

				memcpy(why, jp->err, sizeof(why));
				jailer_seterr(jp, "%s; use -f to force it",
				    why);
			}
			goto out;
		}
	}
	if (has_pf_rules(jp, name)) {
		struct pf_rules none_rules = { NULL, 0 };

		if (pf_jail_flush(jp, name) == -1 ||
		    pf_rules_write(jp, name, &none_rules) == -1)
			goto out;
	}
	if (unlink(fconf) == -1 && errno != ENOENT) {
		jailer_seterrno(jp, "%s", conf);
		goto out;
	}
	if (unlink(flog) == -1 && errno != ENOENT) {
		jailer_seterrno(jp, "%s", log);
		goto out;
	}
	/* Its static address goes back to jailer's dhcpd's ranges. */
	if (j->type != NET_INHERIT && j->iface != NULL) {
		struct undo u;

		undo_init(&u);
		if (dhcp_refresh(jp, &u, j->iface) == -1) {
			undo_run(jp, &u);
			goto out;
		}
		undo_commit(&u);
	}
	jail_unmark(name);
	rc = 0;
out:
	if (j == &none)
		free(none.path);
	jails_free(&js);
	buf_free(&ifl);
	free(ds);
	free(conf);
	free(fconf);
	free(log);
	free(flog);
	return (rc);
}
