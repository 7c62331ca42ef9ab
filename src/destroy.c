/*
 * jailer destroy: the create steps run backwards (stop, epair, devfs,
 * alias, dataset, pf rules, console log, conf file, dhcpd ranges), each
 * treating "already gone" as done, so a half-destroyed jail can be
 * destroyed again.  Refuses datasets jailer does not own, foreign
 * mounts and dependent clones before it changes anything.  Datasets
 * delegated to the jail (zfsjail.c) lie outside its dataset and are
 * never destroyed; -D lists them as kept.
 *
 * Depends on: lifecycle.c (jail_managed, has_pf_rules), control.c
 * (jail_stop), mount.c, zfsjail.c, dhcp, pf, jail, net, undo, zfs, exec,
 * util, err.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp.h"
#include "exec.h"
#include "gc.h"
#include "host.h"
#include "lifecycle.h"
#include "lifecycle_impl.h"
#include "mount.h"
#include "net.h"
#include "net6.h"
#include "nullfs.h"
#include "param.h"
#include "pf.h"
#include "plan.h"
#include "undo.h"
#include "zfs.h"
#include "zfsjail.h"

/* Destroy epair<id>a if it is still there. */
static int
epair_destroy(struct jailer *jp, int id, const char *iflist)
{
	char epair[32];
	const char *argv[] = { "ifconfig", epair, "destroy", NULL };

	if (id < 0)
		return (0);
	snprintf(epair, sizeof(epair), "epair%da", id);
	if (!str_word_in(iflist, epair))
		return (0);
	return (run(jp, argv, NULL, 0) == 0 ? 0 : -1);
}

/* node is the target of one of the nullfs mounts in t. */
static int
in_fstab(const struct nullfs_tab *t, const char *type, const char *node)
{
	size_t i;

	for (i = 0; t != NULL && i < t->n; i++)
		if (strcmp(type, "nullfs") == 0 &&
		    strcmp(t->v[i].target, node) == 0)
			return (1);
	return (0);
}

/*
 * Mounts below the jail's root that are not the jail's own devfs: a
 * nullfs of host data, say.  destroy refuses while any exist, except
 * (own: a running jail's fstab) those its stop (jail -r) unmounts; after
 * the stop it looks again with own NULL.
 */
static int
foreign_mounts(struct jailer *jp, const char *path, const char *ds,
    const struct nullfs_tab *own)
{
	struct buf out;
	char *line, *f[3], *prefix, *dev;
	size_t pos;
	int rc;

	if (mount_table(jp, &out) == -1)
		return (-1);
	prefix = xasprintf("%s/", path);
	dev = xasprintf("%s/dev", path);
	rc = 0;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL && rc == 0) {
		if (mount_fields(line, f) < 3 || !str_has_prefix(f[1], prefix))
			continue;
		if ((strcmp(f[1], dev) == 0 && strcmp(f[2], "devfs") == 0) ||
		    in_fstab(own, f[2], f[1]))
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

/* What destroy works on: the jail, its dataset and its files. */
struct destroy {
	const struct config *cf;
	struct jails	 js;
	struct jail	*j;
	struct jail	 none;	/* stands in for a jail without conf file */
	struct buf	 ifl;	/* the host's interfaces */
	char		*ds;
	char		*conf;	/* /etc/jail.conf.d/NAME.conf */
	char		*fconf;	/* the same under the host root */
	char		*log;	/* the console log */
	char		*flog;
	int		 managed;	/* jail_managed() of ds */
	int		 force;
	struct nullfs_tab own;	/* running: the nullfs mounts stop removes */
};

/* Load the jails and name what belongs to this one. */
static int
destroy_open(struct jailer *jp, const char *name, int force,
    struct destroy *d)
{
	memset(d, 0, sizeof(*d));
	if (config_get(jp, &d->cf) == -1)
		return (-1);
	if (jails_load(jp, &d->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	d->force = force;
	d->ds = xasprintf("%s/%s", d->cf->dataset, name);
	d->conf = jail_conf_path(name);
	d->fconf = host_path(d->conf);
	d->log = xasprintf("%s/%s.log", JAIL_LOG_DIR, name);
	d->flog = host_path(d->log);
	buf_init(&d->ifl);
	if ((d->j = jails_find(&d->js, name)) == NULL) {
		d->none.name = (char *)name;
		d->none.id = -1;
		d->j = &d->none;
	}
	return (0);
}

static void
destroy_close(struct destroy *d)
{
	if (d->j == &d->none)
		free(d->none.path);
	jails_free(&d->js);
	buf_free(&d->ifl);
	free(d->ds);
	free(d->conf);
	free(d->fconf);
	free(d->log);
	free(d->flog);
	nullfs_tab_free(&d->own);
}

/*
 * Refuse what destroy must not touch: a dataset jailer does not own, a
 * jail it does not know, foreign mounts, clones of its snapshots.
 */
static int
destroy_check(struct jailer *jp, const char *name, struct destroy *d)
{
	struct jail *j = d->j;

	if ((d->managed = jail_managed(jp, d->ds)) == -1)
		return (-1);
	if (d->managed == 0)
		return (jailer_seterr(jp, "%s was not created by jailer "
		    "(jailer:managed is not \"jail\"); refusing to destroy it",
		    d->ds));
	if (d->managed == -2 && !j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (j->running && !j->has_conf)
		return (jailer_seterr(jp, "running, but not a jail jailer "
		    "manages"));
	if (j->path == NULL)
		j->path = xasprintf("%s/%s", d->cf->mountpoint, name);
	if (nullfs_read(jp, name, j->path, &d->own) == -1)
		return (-1);
	if (d->managed == 1 && (foreign_mounts(jp, j->path, d->ds,
	    &d->own) == -1 ||
	    dependent_clones(jp, d->cf->dataset, d->ds) == -1))
		return (-1);
	return (net_if_list(jp, &d->ifl));
}

/*
 * The datasets delegated to the jail (zfsjail.c) are never destroyed:
 * they are outside its dataset, and the kernel detaches them when it
 * stops.
 */
static void
delegated_print(struct jailer *jp, const struct jail *j)
{
	char **v;
	size_t i, n;

	zfsjail_datasets(j, &v, &n);
	for (i = 0; i < n; i++)
		plan_item(jp, NULL, "keep", "dataset", v[i], NULL, NULL,
		    "keep the delegated dataset %s", v[i]);
	strv_free(v, n);
}

/* -D: say what destroy would remove. */
static void
destroy_print(struct jailer *jp, const char *name, const struct destroy *d)
{
	const struct jail *j = d->j;

	plan_title(jp, "Destroying %s would:", name);
	if (j->running)
		plan_item(jp, NULL, "stop", "jail", name, NULL, NULL,
		    "stop the jail (JID %s)", j->jid);
	if (j->type == NET_EB && j->id >= 0) {
		char ep[32];

		snprintf(ep, sizeof(ep), "epair%da", j->id);
		if (strstr(d->ifl.data, ep) != NULL)
			plan_item(jp, NULL, "remove", "interface", ep, NULL, NULL,
			    "destroy the interface %s", ep);
	}
	if (d->managed == 1)
		plan_item(jp, NULL, "remove", "dataset", d->ds, NULL, NULL,
		    "destroy the dataset %s and its snapshots", d->ds);
	delegated_print(jp, j);
	if (has_pf_rules(jp, name)) {
		char anchor[128];

		snprintf(anchor, sizeof(anchor), "jailer/%s", name);
		plan_item(jp, NULL, "remove", "pf anchor", anchor, NULL, NULL,
		    "remove its pf rules (anchor %s)", anchor);
	}
	if (j->has_conf)
		plan_item(jp, NULL, "remove", "file", d->conf, NULL, NULL, "remove %s",
		    d->conf);
	if (d->own.n > 0) {
		char *f = xasprintf("%s/%s%s", JAIL_CONF_D, name,
		    NULLFS_FSTAB_SUFFIX);

		plan_item(jp, NULL, "remove", "file", f, NULL, NULL,
		    "remove %s (its nullfs mounts)", f);
		free(f);
	}
	if (file_exists(d->flog))
		plan_item(jp, NULL, "remove", "file", d->log, NULL, NULL, "remove %s",
		    d->log);
}

/* Stop the jail and take its network and devfs off the host. */
static int
destroy_detach(struct jailer *jp, struct destroy *d)
{
	struct jail *j = d->j;

	if (j->running && jail_stop(jp, j, d->force) == -1)
		return (-1);
	/* Its nullfs mounts went with the stop (or go now): never destroy
	 * the dataset through one. */
	if (d->own.n > 0 && (nullfs_unmount_left(jp, j->path, &d->own) == -1 ||
	    foreign_mounts(jp, j->path, d->ds, NULL) == -1))
		return (-1);
	/* The stop's exec.poststop usually destroyed the epair already. */
	buf_reset(&d->ifl);
	if (j->type == NET_EB && (net_if_list(jp, &d->ifl) == -1 ||
	    epair_destroy(jp, j->id, d->ifl.data) == -1))
		return (-1);
	if (d->managed == 1 && own_devfs_unmount(jp, j->path) == -1)
		return (-1);
	if (j->type == NET_NEW && (alias_remove(jp, j) == -1 ||
	    net6_alias_remove(jp, j) == -1))
		return (-1);
	return (0);
}

/* zfs destroy -r the jail's dataset (-f with force). */
static int
destroy_dataset(struct jailer *jp, const struct destroy *d)
{
	char why[sizeof(jp->err)];

	if (d->managed != 1)
		return (0);
	if (zfs(jp, 0, NULL, "destroy", "-r", d->force ? "-f" : d->ds,
	    d->force ? d->ds : NULL, NULL) == 0)
		return (0);
	if (strstr(jp->err, "busy") != NULL && !d->force) {
		memcpy(why, jp->err, sizeof(why));
		jailer_seterr(jp, "%s; use -f to force it", why);
	}
	return (-1);
}

/* Its nullfs fstab file (a host file; the mounts are gone by now). */
static int
destroy_fstab(struct jailer *jp, const char *name)
{
	char *path, *fp;
	int rc;

	path = nullfs_fstab_path(name);
	fp = host_path(path);
	rc = unlink(fp) == -1 && errno != ENOENT ?
	    jailer_seterrno(jp, "%s", path) : 0;
	free(fp);
	free(path);
	return (rc);
}

/* Its pf rules, conf file, console log and fstab file. */
static int
destroy_files(struct jailer *jp, const char *name, const struct destroy *d)
{
	if (has_pf_rules(jp, name)) {
		struct pf_rules none_rules = { NULL, 0 };

		if (pf_jail_flush(jp, name) == -1 ||
		    pf_rules_write(jp, name, &none_rules) == -1)
			return (-1);
	}
	/* The fstab file and the log first: a destroy killed in between
	 * leaves the conf file, so a second destroy finishes the job (and
	 * gc removes a conf file's log with it; never a lone log). */
	if (destroy_fstab(jp, name) == -1)
		return (-1);
	if (unlink(d->flog) == -1 && errno != ENOENT)
		return (jailer_seterrno(jp, "%s", d->log));
	if (unlink(d->fconf) == -1 && errno != ENOENT)
		return (jailer_seterrno(jp, "%s", d->conf));
	return (0);
}

/* Its static address goes back to jailer's dhcpd's ranges. */
static int
destroy_dhcp(struct jailer *jp, const struct jail *j)
{
	struct undo u;

	undo_init(&u);
	/* A managed rc.conf jail_list (some jail is boot=off) loses it. */
	if (param_bootlist_drop(jp, &u, j->name) == -1) {
		undo_run(jp, &u);
		return (-1);
	}
	if (j->type == NET_INHERIT || j->iface == NULL) {
		undo_commit(&u);
		return (0);
	}
	if (dhcp_refresh(jp, &u, j->iface) == -1) {
		undo_run(jp, &u);
		return (-1);
	}
	undo_commit(&u);
	return (0);
}

/*
 * Destroy one jail: stop it, remove its epair, dataset, conf file and
 * console log.  Each step treats "already gone" as done.  dry: print
 * what would be removed instead.
 */
int
jail_destroy(struct jailer *jp, const char *name, int force, int dry)
{
	struct destroy d;
	int rc;

	if (destroy_open(jp, name, force, &d) == -1)
		return (-1);
	rc = -1;
	if (destroy_check(jp, name, &d) == -1)
		goto out;
	if (dry) {
		destroy_print(jp, name, &d);
		rc = 0;
		goto out;
	}
	if (destroy_detach(jp, &d) == -1 || destroy_dataset(jp, &d) == -1 ||
	    destroy_files(jp, name, &d) == -1 || destroy_dhcp(jp, d.j) == -1)
		goto out;
	jail_unmark(name);
	rc = 0;
out:
	destroy_close(&d);
	return (rc);
}
