/*
 * jailer init [-y] [-z pool | -d pool/dataset] [-m mountpoint]
 * jailer init info
 *
 * init is idempotent: it works out which of its steps the host still
 * needs, shows the plan, and does only those.  A failure undoes the steps
 * already done.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "exec.h"
#include "host.h"
#include "image.h"
#include "pf.h"
#include "rcconf.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

#define	JAILS_DATASET	"jails"		/* POOL/jails by default */
#define	MIN_MAJOR	14

/* What init found on the host and what it still has to do. */
struct init_plan {
	char	*dataset;
	char	*mountpoint;
	int	 ds_exists;
	int	 set_dir;		/* jailer_dir is missing */
	int	 enable_jail;		/* jail_enable is not YES */
	int	 add_include;		/* jail.conf lacks the include */
	int	 mk_confd;		/* /etc/jail.conf.d is missing */
	int	 mk_logdir;		/* /var/log/jail is missing */
	char	**adopt;		/* datasets of an earlier jailer */
	char	**adopt_as;		/* "jail" or "image" */
	size_t	 nadopt;
};

/* rc.subr's checkyesno: YES, TRUE, ON or 1 in any case. */
static int
rc_yes(const char *v)
{
	return (v != NULL && (strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0));
}

/* 1 if /etc/jail.conf holds the .include line, 0 if not, -1 on error. */
static int
has_include(struct jailer *jp)
{
	struct buf conf;
	char *path, *line, *p, *q;
	size_t pos;
	int rc;

	path = host_path(JAIL_CONF);
	buf_init(&conf);
	rc = file_read(jp, path, &conf);
	free(path);
	if (rc == -1) {
		buf_free(&conf);
		return (errno == ENOENT ? 0 : -1);
	}
	pos = 0;
	while ((line = buf_nextline(&conf, &pos)) != NULL) {
		/* Compare without white space. */
		for (p = q = line; *p != '\0'; p++)
			if (*p != ' ' && *p != '\t')
				*q++ = *p;
		*q = '\0';
		if (strcmp(line, ".include\"/etc/jail.conf.d/*.conf\";") == 0)
			rc = 1;
	}
	buf_free(&conf);
	return (rc == 1);
}

static int
pool_listed(struct buf *pools, const char *pool)
{
	char *copy, *line, *save;
	int found;

	found = 0;
	copy = xstrdup(pools->data);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strcmp(line, pool) == 0)
			found = 1;
	free(copy);
	return (found);
}

/*
 * Choose the dataset: jailer_dir if set, else -d, else POOL/jails with
 * the pool from -z or the only pool there is.
 */
static int
choose_dataset(struct jailer *jp, const char *zopt, const char *dopt,
    const char *current, char **ds)
{
	struct buf pools;
	char *pool, *slash;
	size_t n;
	int rc;

	if (current != NULL) {
		if ((dopt != NULL && strcmp(dopt, current) != 0) ||
		    (zopt != NULL && (!str_has_prefix(current, zopt) ||
		    current[strlen(zopt)] != '/')))
			return (jailer_seterr(jp, "jailer is already "
			    "initialised with zfs:%s (jailer_dir in "
			    "/etc/rc.conf)", current));
		*ds = xstrdup(current);
		return (0);
	}
	buf_init(&pools);
	if (zpool_names(jp, &pools) == -1) {
		buf_free(&pools);
		return (-1);
	}
	rc = -1;
	if (dopt != NULL || zopt != NULL) {
		pool = xstrdup(dopt != NULL ? dopt : zopt);
		if ((slash = strchr(pool, '/')) != NULL)
			*slash = '\0';
		if (!pool_listed(&pools, pool))
			jailer_seterr(jp, "no ZFS pool named %s", pool);
		else {
			*ds = dopt != NULL ? xstrdup(dopt) :
			    xasprintf("%s/%s", zopt, JAILS_DATASET);
			rc = 0;
		}
		free(pool);
		buf_free(&pools);
		return (rc);
	}
	n = 0;
	for (char *p = pools.data; *p != '\0'; p++)
		if (*p == '\n')
			n++;
	if (n == 0)
		jailer_seterr(jp, "no ZFS pool found; create one with "
		    "zpool-create(8) first");
	else if (n > 1) {
		for (char *p = pools.data; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		jailer_seterr(jp, "several ZFS pools (%s): choose one with "
		    "-z POOL or -d POOL/DATASET", str_trim(pools.data));
	} else {
		*ds = xasprintf("%s/%s", str_trim(pools.data), JAILS_DATASET);
		rc = 0;
	}
	buf_free(&pools);
	return (rc);
}

static int	find_adoptable(struct jailer *, struct init_plan *);

/*
 * A new dataset mounted on a directory that holds files would hide
 * them: refuse a mount point that exists and is not an empty directory.
 */
static int
mount_would_hide(struct jailer *jp, const char *mp)
{
	struct dirent *e;
	struct stat st;
	char *path;
	DIR *d;
	int full;

	path = host_path(mp);
	if (lstat(path, &st) == -1) {
		free(path);
		return (0);	/* zfs creates it */
	}
	if (!S_ISDIR(st.st_mode)) {
		free(path);
		return (jailer_seterr(jp, "invalid mount point '%s': it exists "
		    "and is not a directory", mp));
	}
	full = 0;
	if ((d = opendir(path)) != NULL) {
		while (!full && (e = readdir(d)) != NULL)
			full = strcmp(e->d_name, ".") != 0 &&
			    strcmp(e->d_name, "..") != 0;
		closedir(d);
	}
	free(path);
	if (full)
		return (jailer_seterr(jp, "invalid mount point '%s': the "
		    "directory is not empty (the new dataset would hide what "
		    "is there)", mp));
	return (0);
}

/* Work out what init has to do. */
static int
make_plan(struct jailer *jp, const char *zopt, const char *dopt,
    const char *mopt, struct init_plan *p)
{
	char *cur, *v, *path;
	int rc;

	memset(p, 0, sizeof(*p));
	if (config_read_dir(jp, &cur) == -1)
		return (-1);
	rc = choose_dataset(jp, zopt, dopt, cur, &p->dataset);
	p->set_dir = cur == NULL;
	free(cur);
	if (rc == -1)
		return (-1);
	if ((rc = zfs_get(jp, p->dataset, "mountpoint", &v)) == -1)
		return (-1);
	p->ds_exists = rc;
	if (rc == 1) {
		if (v[0] != '/') {
			jailer_seterr(jp, "%s exists with mountpoint '%s'; "
			    "jailer needs a mounted file system", p->dataset,
			    vis(v));
			free(v);
			return (-1);
		}
		if (mopt != NULL && strcmp(mopt, v) != 0) {
			jailer_seterr(jp, "%s exists and is mounted on %s, "
			    "not %s", p->dataset, v, mopt);
			free(v);
			return (-1);
		}
		p->mountpoint = v;
		if (find_adoptable(jp, p) == -1)
			return (-1);
	} else {
		p->mountpoint = xstrdup(mopt != NULL ? mopt :
		    DEFAULT_MOUNTPOINT);
		if (mount_would_hide(jp, p->mountpoint) == -1)
			return (-1);
	}
	if (host_rc_get(jp, "jail_enable", &v) == -1)
		return (-1);
	p->enable_jail = !rc_yes(v);
	free(v);
	if ((rc = has_include(jp)) == -1)
		return (-1);
	p->add_include = !rc;
	path = host_path(JAIL_CONF_D);
	p->mk_confd = !dir_exists(path);
	free(path);
	path = host_path(JAIL_LOG_DIR);
	p->mk_logdir = !dir_exists(path);
	free(path);
	return (0);
}

static void
plan_free(struct init_plan *p)
{
	size_t i;

	free(p->dataset);
	free(p->mountpoint);
	for (i = 0; i < p->nadopt; i++)
		free(p->adopt[i]);
	free(p->adopt);
	free(p->adopt_as);
}

/*
 * The shell jailer did not mark its datasets.  Jails (DS/NAME with
 * /etc/jail.conf.d/NAME.conf) and images (DS/image/RELEASE) without
 * jailer:managed are adopted: destroy and gc only ever touch datasets
 * that carry the mark.
 */
static int
find_adoptable(struct jailer *jp, struct init_plan *p)
{
	struct jailer scratch;
	struct buf out;
	char *line, *save, *tab, *rel, *conf, *fconf;
	size_t dlen;
	const char *as;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name,jailer:managed",
	    "-d", "2", "-t", "filesystem", p->dataset, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	dlen = strlen(p->dataset);
	for (line = strtok_r(out.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((tab = strchr(line, '\t')) == NULL ||
		    strcmp(tab + 1, "-") != 0 ||
		    strncmp(line, p->dataset, dlen) != 0 || line[dlen] != '/')
			continue;
		*tab = '\0';
		rel = line + dlen + 1;
		as = NULL;
		if (str_has_prefix(rel, "image/") &&
		    valid_image_release(&scratch, rel + 6, NULL) == 0)
			as = "image";
		else if (strchr(rel, '/') == NULL &&
		    valid_jail_name(&scratch, rel) == 0) {
			conf = xasprintf("%s/%s.conf", JAIL_CONF_D, rel);
			fconf = host_path(conf);
			if (file_exists(fconf))
				as = "jail";
			free(conf);
			free(fconf);
		}
		if (as == NULL)
			continue;
		p->adopt = xrealloc(p->adopt, (p->nadopt + 1) *
		    sizeof(*p->adopt));
		p->adopt_as = xrealloc(p->adopt_as, (p->nadopt + 1) *
		    sizeof(*p->adopt_as));
		p->adopt[p->nadopt] = xstrdup(line);
		p->adopt_as[p->nadopt++] = (char *)as;
	}
	buf_free(&out);
	return (0);
}

/* Append the include line to /etc/jail.conf (created if missing). */
static int
add_include(struct jailer *jp, struct undo *u)
{
	struct stat sb;
	struct buf conf;
	char *path;
	int rc;

	path = host_path(JAIL_CONF);
	buf_init(&conf);
	if (undo_save_file(jp, u, path) == -1) {
		free(path);
		buf_free(&conf);
		return (-1);
	}
	if (file_exists(path) && file_read(jp, path, &conf) == -1) {
		free(path);
		buf_free(&conf);
		return (-1);
	}
	if (conf.len > 0 && conf.data[conf.len - 1] != '\n')
		buf_addc(&conf, '\n');
	buf_addf(&conf, "%s\n", JAIL_CONF_INCLUDE);
	rc = file_write_atomic(jp, path, conf.data, conf.len,
	    stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0644);
	free(path);
	buf_free(&conf);
	return (rc);
}

static int
make_dir(struct jailer *jp, struct undo *u, const char *hostpath)
{
	char *path;
	int created, rc;

	path = host_path(hostpath);
	rc = mkdir_p(jp, path, 0755, &created);
	if (rc == 0 && created)
		undo_rmdir(u, path);
	free(path);
	return (rc);
}

/*
 * Push the removal of every directory of path (a host path) that does not
 * exist yet, the deepest removed first.
 */
static void
undo_missing_dirs(struct undo *u, const char *path)
{
	char *p, *s, *fs;

	p = xstrdup(path);
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		fs = NULL;
		{
			char c = *s;

			*s = '\0';
			fs = host_path(p);
			if (!file_exists(fs))
				undo_rmdir(u, fs);
			*s = c;
		}
		free(fs);
		if (*s == '\0')
			break;
	}
	free(p);
}

/* Carry the plan out; every step prints "What: Done!". */
static int
run_plan(struct jailer *jp, struct init_plan *p)
{
	struct undo u;
	char *dir;
	char *mpopt;
	int ok;

	undo_init(&u);
	ok = 1;
	if (!p->ds_exists) {
		ui_begin("Creating ZFS dataset %s with the mount point %s",
		    p->dataset, p->mountpoint);
		/*
		 * zfs creates the mount point's missing directories and
		 * keeps them when the dataset is destroyed (the mountpoint
		 * is set locally): undo removes them.
		 */
		undo_missing_dirs(&u, p->mountpoint);
		mpopt = xasprintf("mountpoint=%s", p->mountpoint);
		ok = zfs(jp, 0, NULL, "create", "-o", mpopt, p->dataset,
		    NULL) == 0;
		free(mpopt);
		if (ok)
			undo_zfs_destroy(&u, p->dataset);
		ui_end(ok);
	}
	if (ok && p->set_dir) {
		ui_begin("Setting jailer_dir in rc.conf");
		dir = xasprintf("zfs:%s", p->dataset);
		ok = host_rc_set(jp, &u, "jailer_dir", dir) == 0;
		free(dir);
		ui_end(ok);
	}
	if (ok && p->enable_jail) {
		ui_begin("Enabling the jail service");
		ok = host_rc_set(jp, &u, "jail_enable", "YES") == 0;
		ui_end(ok);
	}
	if (ok && p->nadopt > 0) {
		size_t i;
		char *prop;

		ui_begin("Adopting %zu dataset%s of an earlier jailer",
		    p->nadopt, p->nadopt == 1 ? "" : "s");
		for (i = 0; i < p->nadopt && ok; i++) {
			const char *inh[] = { "zfs", "inherit",
			    "jailer:managed", p->adopt[i], NULL };

			prop = xasprintf("jailer:managed=%s", p->adopt_as[i]);
			ok = zfs(jp, 0, NULL, "set", prop, p->adopt[i],
			    NULL) == 0;
			free(prop);
			if (ok)
				undo_cmd(&u, inh);
		}
		ui_end(ok);
	}
	if (ok && (p->add_include || p->mk_confd || p->mk_logdir)) {
		ui_begin("Including /etc/jail.conf.d in /etc/jail.conf");
		ok = (!p->mk_confd || make_dir(jp, &u, JAIL_CONF_D) == 0) &&
		    (!p->mk_logdir || make_dir(jp, &u, JAIL_LOG_DIR) == 0) &&
		    (!p->add_include || add_include(jp, &u) == 0);
		ui_end(ok);
	}
	if (!ok) {
		undo_run(jp, &u);
		return (-1);
	}
	undo_commit(&u);
	return (0);
}

int
cmd_init(struct jailer *jp, int argc, char **argv)
{
	const struct host *h;
	struct init_plan plan;
	struct opt o;
	const char *zopt, *dopt, *mopt;
	int c, yes;

	yes = 0;
	zopt = dopt = mopt = NULL;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "d:m:yz:")) != -1) {
		switch (c) {
		case 'd':
			dopt = o.arg;
			break;
		case 'm':
			mopt = o.arg;
			break;
		case 'y':
			yes = 1;
			break;
		case 'z':
			zopt = o.arg;
			break;
		default:
			return (cmd_bad_option(&o, c));
		}
	}
	if (o.ind < argc)
		return (cmd_usage_error("unknown sub-command '%s'",
		    vis(argv[o.ind])));
	if (zopt != NULL && dopt != NULL)
		return (cmd_usage_error("-z and -d cannot be used together"));
	if ((zopt != NULL && (valid_dataset(jp, zopt) == -1 ||
	    (strchr(zopt, '/') != NULL &&
	    jailer_seterr(jp, "-z takes a pool name, not a dataset")))) ||
	    (dopt != NULL && (valid_dataset(jp, dopt) == -1 ||
	    (strchr(dopt, '/') == NULL &&
	    jailer_seterr(jp, "-d takes POOL/DATASET, not a pool")))) ||
	    (mopt != NULL && valid_mountpoint(jp, mopt) == -1))
		return (cmd_fail(jp, NULL));
	if (host_get(jp, &h) == -1)
		return (cmd_fail(jp, NULL));
	if (h->release.major < MIN_MAJOR) {
		jailer_warnx(NULL, "FreeBSD %s is not supported: jailer needs "
		    "FreeBSD %d.0 or later", h->release_str, MIN_MAJOR);
		return (1);
	}
	if (make_plan(jp, zopt, dopt, mopt, &plan) == -1) {
		plan_free(&plan);
		return (cmd_fail(jp, NULL));
	}
	if (plan.ds_exists && !plan.set_dir && !plan.enable_jail &&
	    !plan.add_include && !plan.mk_confd && !plan.mk_logdir &&
	    plan.nadopt == 0) {
		printf("Jailer is already initialised on zfs:%s; nothing to "
		    "do.\n\n", plan.dataset);
		plan_free(&plan);
		return (cmd_init_info(jp, 1, argv));
	}
	printf("Jailer will %s\n dataset     : %s\n mount point : %s\n",
	    plan.ds_exists ? "use" : "create", plan.dataset, plan.mountpoint);
	if (plan.nadopt > 0)
		printf(" adopt       : %zu jail and image dataset%s of an earlier "
		    "jailer\n", plan.nadopt, plan.nadopt == 1 ? "" : "s");
	if (!yes && !ui_confirm()) {
		printf("Nothing changed.\n");
		plan_free(&plan);
		return (1);
	}
	if (run_plan(jp, &plan) == -1) {
		plan_free(&plan);
		return (cmd_fail(jp, NULL));
	}
	plan_free(&plan);
	printf("\nYou may run `jailer init info` to check system status\n"
	    "You may run `jailer init bridge` to setup advanced networking\n"
	    "\nThank you for choosing Jailer!\n");
	return (0);
}

/* One line of the report: " label ==> value". */
static void
report(const char *label, const char *value)
{
	printf(" %-23s ==> %s\n", label, value);
}

static void
report_yes(const char *label, int yes)
{
	printf(" %-23s ==> %s%s%s\n", label,
	    ui_color(yes ? "\033[0;36m" : "\033[0;31m"),
	    yes ? "YES!" : "NO :(", ui_color("\033[0m"));
}

static void
hint(const char *text)
{
	printf("  %s%s%s\n", ui_color("\033[0;33m"), text,
	    ui_color("\033[0m"));
}

/* The bridge part of the report. */
static void
report_bridge(struct jailer *jp, const char *bridge)
{
	const char *argv[] = { "ifconfig", bridge, NULL };
	struct in_addr a;
	struct buf out;
	char *v, *line, *p, label[40], addr[40];
	unsigned long mask;
	size_t pos;
	int found, prefix;

	found = 0;
	if (host_rc_get(jp, "cloned_interfaces", &v) == 1) {
		for (p = strtok(v, " \t"); p != NULL; p = strtok(NULL, " \t"))
			if (strcmp(p, bridge) == 0)
				found = 1;
	}
	free(v);
	snprintf(label, sizeof(label), "%s in rc.conf", bridge);
	report_yes(label, found);
	if (!found) {
		hint("If you want Jailer to auto-configure bridge interfaces, "
		    "run `jailer init bridge`");
		return;
	}
	buf_init(&out);
	snprintf(label, sizeof(label), "%s is up", bridge);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		report_yes(label, 0);
		printf("  Run `service netif start %s` to start the bridge\n",
		    bridge);
		buf_free(&out);
		return;
	}
	/* "bridge0: flags=8843<UP,BROADCAST,...>": is UP among the flags? */
	p = strchr(out.data, '<');
	line = p != NULL ? strchr(p, '>') : NULL;
	report_yes(label, p != NULL && line != NULL && (str_has_prefix(p,
	    "<UP,") || str_has_prefix(p, "<UP>") ||
	    (strstr(p, ",UP,") != NULL && strstr(p, ",UP,") < line) ||
	    (strstr(p, ",UP>") != NULL && strstr(p, ",UP>") <= line)));
	snprintf(label, sizeof(label), "%s uses IP address", bridge);
	pos = 0;
	addr[0] = '\0';
	while ((line = buf_nextline(&out, &pos)) != NULL && addr[0] == '\0') {
		line = str_trim(line);
		if (!str_has_prefix(line, "inet "))
			continue;
		p = strtok(line + 5, " ");
		if (p == NULL || parse_ipv4(jp, p, &a) == -1)
			continue;
		snprintf(addr, sizeof(addr), "%s", p);
		if ((p = strtok(NULL, " ")) != NULL && strcmp(p, "netmask") == 0 &&
		    (p = strtok(NULL, " ")) != NULL) {
			mask = strtoul(p, NULL, 16);
			for (prefix = 0; mask & 0x80000000UL; mask <<= 1)
				prefix++;
			snprintf(addr + strlen(addr), sizeof(addr) -
			    strlen(addr), "/%d", prefix);
		}
	}
	if (addr[0] != '\0')
		report(label, addr);
	else
		report_yes(label, 0);
	buf_free(&out);
}

/* DHCP, devfs and pf: what init dhcp and init pf set up. */
static void
report_services(struct jailer *jp)
{
	const char *pkginfo[] = { "pkg", "info", "-e", "dhcpd", NULL };
	const char *status[] = { "service", "dhcpd", "status", NULL };
	const char *pfinfo[] = { "pfctl", "-s", "info", NULL };
	const char *fwd[] = { "sysctl", "-n", "net.inet.ip.forwarding", NULL };
	struct buf b;
	char *path, *p, *e, rs[64];
	int nat, rdr, filt;

	report_yes("dhcpd installed", run(jp, pkginfo, NULL, RUN_RO) == 0);
	report_yes("dhcpd running", run(jp, status, NULL, RUN_RO) == 0);
	buf_init(&b);
	path = host_path("/etc/devfs.rules");
	rs[0] = '\0';
	if (file_read(jp, path, &b) == 0 &&
	    (p = strstr(b.data, "[jailer_vnet=")) != NULL &&
	    (e = strchr(p, ']')) != NULL && e - p < (long)sizeof(rs))
		snprintf(rs, sizeof(rs), "%.*s", (int)(e - p - 1), p + 1);
	free(path);
	if (rs[0] != '\0')
		report("devfs ruleset", rs);
	else
		report_yes("devfs ruleset", 0);
	if (rs[0] == '\0')
		hint("If you want DHCP for VNET jails, run `jailer init dhcp`");
	printf("Checking pf...\n");
	path = host_path("/etc/pf.conf");
	if (file_read(jp, path, &b) == -1)
		buf_reset(&b);
	free(path);
	report_yes("pf.conf anchors", pf_conf_has_anchors(b.data, &nat, &rdr,
	    &filt) == 3);
	buf_reset(&b);
	report_yes("pf enabled", run(jp, pfinfo, &b, RUN_RO) == 0 &&
	    strstr(b.data, "Status: Enabled") != NULL);
	buf_reset(&b);
	report_yes("IP forwarding", run(jp, fwd, &b, RUN_RO) == 0 &&
	    strcmp(str_trim(b.data), "1") == 0);
	if (!nat || !rdr || !filt)
		hint("If you want NAT and port redirection, run `jailer init "
		    "pf`");
	buf_free(&b);
}

/* jailer init info: a read-only report; works on any host. */
int
cmd_init_info(struct jailer *jp, int argc, char **argv)
{
	const struct config *cf;
	const struct host *h;
	char *v, *ds;
	int rc;

	(void)argv;
	if (argc > 1)
		return (cmd_usage_error("no arguments expected"));
	if (host_get(jp, &h) == -1)
		return (cmd_fail(jp, NULL));
	printf("Checking system state...\n");
	report("FreeBSD release", h->release_str);
	if (host_rc_get(jp, "jail_enable", &v) == -1)
		return (cmd_fail(jp, NULL));
	report_yes("jail_enable in rc.conf", rc_yes(v));
	free(v);
	report_yes("jail.conf.d included", has_include(jp) == 1);
	printf("Checking jailer state...\n");
	if ((rc = config_read_dir(jp, &ds)) == -1) {
		report_yes("jailer_dir in rc.conf", 0);
		hint(jp->err);
	} else if (rc == 0) {
		report_yes("jailer_dir in rc.conf", 0);
		hint("Run `jailer init` to set up jailer");
	} else {
		report_yes("jailer_dir in rc.conf", 1);
		v = xasprintf("zfs:%s", ds);
		report("jailer_dir is set to", v);
		free(v);
		if (config_get(jp, &cf) == -1) {
			report_yes("Jailer ZFS dataset", 0);
			hint(jp->err);
		} else {
			report("Jailer ZFS dataset", cf->dataset);
			report("Jailer ZFS mountpoint", cf->mountpoint);
			rc = image_default(jp, &v);
			report("default image", rc == 1 ? v : rc == 0 ?
			    "none" : "invalid (image/.default)");
			free(v);
			rc = config_file_read(jp, ".default_nettype", &v);
			report("default network type", rc == 0 ? "inherit" :
			    rc == 1 && valid_nettype(jp, v) == 0 ? v :
			    "invalid (.default_nettype)");
			free(v);
		}
		free(ds);
	}
	printf("Checking network status...\n");
	report_bridge(jp, "bridge0");
	report_services(jp);
	return (0);
}
