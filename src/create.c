/*
 * jailer create: work out a plan first (create_plan, which changes
 * nothing), then carry it out (create_run) as a list of steps, each
 * pushing its undo; a failure, or SIGINT/SIGTERM, runs the undos in
 * reverse, so a failed create leaves nothing behind.
 *
 * Depends on: lifecycle.c (jail_managed), netplan.c, conf, jail, net,
 * image, host, dhcp, rcconf, safe, undo, zfs, exec, validate, util, err.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp.h"
#include "exec.h"
#include "host.h"
#include "image.h"
#include "imgupdate.h"
#include "lifecycle.h"
#include "lifecycle_impl.h"
#include "net.h"
#include "net6.h"
#include "param.h"
#include "rcconf.h"
#include "safe.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

#define	DEVFS_JAIL	4		/* devfsrules_jail */
#define	DEVFS_JAIL_VNET	5		/* devfsrules_jail_vnet */
#define	DEVFS_RULES	"/etc/devfs.rules"
#define	DEVFS_JAILER	"jailer_vnet"	/* jail_vnet plus bpf, for DHCP */

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
	if (!dns_name_ok(s, 200))
		return (jailer_seterr(jp, "invalid domain '%s'", vis(s)));
	return (0);
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
	/* The image's newest snapshot: @pN after image update, else @base. */
	if ((p->source = image_newest_snap(jp, cf->dataset, rel)) == NULL)
		return (-1);
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

/* The name (given or random), its dataset and path: all still free. */
static int
plan_name(struct jailer *jp, const struct create_req *rq,
    const struct config *cf, struct jails *js, struct create_plan *p)
{
	int rc;

	p->name = rq->name != NULL ? xstrdup(rq->name) : random_name(js);
	p->dataset = xasprintf("%s/%s", cf->dataset, p->name);
	p->path = xasprintf("%s/%s", cf->mountpoint, p->name);
	p->clone = rq->clone;
	p->quiet = rq->quiet;
	if (jails_find(js, p->name) != NULL)
		return (jailer_seterr(jp, "%s already exists", p->name));
	if ((rc = zfs_exists(jp, p->dataset)) != 0) {
		if (rc == 1)
			jailer_seterr(jp, "the dataset %s already exists",
			    p->dataset);
		return (-1);
	}
	return (0);
}

/* -d, or the host's own domain (hostname(1)). */
static int
plan_domain(struct jailer *jp, const struct create_req *rq,
    struct create_plan *p)
{
	static const char *const hostname[] = { "hostname", NULL };
	struct buf out;
	int rc;

	if (rq->domain != NULL) {
		p->domain = xstrdup(rq->domain);
		return (0);
	}
	buf_init(&out);
	rc = -1;
	if (run(jp, hostname, &out, RUN_RO) == 0) {
		p->domain = xstrdup(str_trim(out.data));
		rc = valid_domain(jp, p->domain);
	}
	buf_free(&out);
	return (rc);
}

/* -t, or the default network type, and the options it takes. */
static int
plan_type(struct jailer *jp, const struct create_req *rq,
    struct create_plan *p)
{
	char *v;

	if (rq->type != NULL)
		v = xstrdup(rq->type);
	else if (config_file_read(jp, ".default_nettype", &v) != 1)
		v = xstrdup("inherit");
	if (nettype_parse(v, &p->type) == -1) {
		valid_nettype(jp, v);
		free(v);
		return (-1);
	}
	free(v);
	if (p->type == NET_INHERIT && (rq->iface != NULL ||
	    rq->addr != NULL || rq->gateway != NULL || rq->netmask != NULL))
		return (jailer_seterr(jp, "-b, -a, -g and -m do not apply to "
		    "an inherit jail; use -t new or -t eb"));
	if (p->type == NET_NEW && (rq->gateway != NULL ||
	    rq->netmask != NULL || (rq->addr != NULL &&
	    strcmp(rq->addr, "dhcp") == 0)))
		return (jailer_seterr(jp, "-t new takes -b and -a ADDRESS "
		    "only"));
	return (0);
}

/* The network of the type, and the devfs ruleset that goes with it. */
static int
plan_network(struct jailer *jp, const struct create_req *rq,
    struct jails *js, struct create_plan *p)
{
	if ((p->type == NET_NEW && netplan_new(jp, rq, js, p) == -1) ||
	    (p->type == NET_EB && netplan_eb(jp, rq, js, p) == -1) ||
	    net6_plan(jp, rq, js, p) == -1)
		return (-1);
	p->devfs_ruleset = DEVFS_JAIL;
	if (p->type == NET_EB) {
		p->devfs_ruleset = devfs_jailer_ruleset(jp);
		if (p->devfs_ruleset == -1)
			p->devfs_ruleset = DEVFS_JAIL_VNET;
	}
	if (rq->resolver != NULL)
		p->resolver = xstrdup(rq->resolver);
	return (0);
}

/* The jail.conf text of the plan. */
static void
plan_conf(struct create_plan *p)
{
	struct jail_spec spec;
	char *cidr;

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
	spec.ip6 = p->ip6;
	spec.gateway6 = p->gateway6;
	spec.devfs_ruleset = p->devfs_ruleset;
	p->conf = conf_render(&spec);
	free(cidr);
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
	const struct config *cf;
	struct jails js;
	struct buf ifl;
	int rc;

	memset(p, 0, sizeof(*p));
	if (config_get(jp, &cf) == -1)
		return (-1);
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	buf_init(&ifl);
	rc = -1;
	if (plan_name(jp, rq, cf, &js, p) == -1 ||
	    plan_source(jp, rq, cf, p) == -1 || net_if_list(jp, &ifl) == -1)
		goto out;
	p->id = jails_next_id(&js, ifl.data);
	if (plan_domain(jp, rq, p) == -1 || plan_type(jp, rq, p) == -1 ||
	    plan_network(jp, rq, &js, p) == -1)
		goto out;
	plan_conf(p);
	rc = 0;
out:
	buf_free(&ifl);
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
	free(p->ip6);
	free(p->gateway6);
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
				    strcmp(n, "defaultrouter") == 0 ||
				    strcmp(n, "ipv6_defaultrouter") == 0 ||
				    strcmp(n, "rtsold_enable") == 0;

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
		    p->dhcp ? NULL : p->gateway) == -1 ||
		    net6_rc_write(jp, root, p) == -1)
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
	/* The release it runs, host-side (jailer update reads it). */
	if (image_record_release(jp, p->dataset, p->source, p->from_jail) ==
	    -1)
		goto out;
	if (check_interrupt(jp) == -1 ||
	    write_jail_files(jp, p) == -1 || check_interrupt(jp) == -1)
		goto out;
	undo_unlink(&u, fconf);
	if (file_write_atomic(jp, fconf, p->conf, strlen(p->conf), 0644) == -1)
		goto out;
	/* A managed rc.conf jail_list (some jail is boot=off) gets it. */
	if (check_interrupt(jp) == -1 || param_bootlist_sync(jp, &u) == -1)
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
