/*
 * jailer init: works out which of its steps the host still needs (the
 * plan) and carries them out one by one, each pushing its undo.  init is
 * idempotent: a second run finds nothing to do.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec.h"
#include "host.h"
#include "image.h"
#include "initplan.h"
#include "undo.h"
#include "upgrade.h"
#include "validate.h"
#include "zfs.h"

#define	JAILS_DATASET	"jails"		/* POOL/jails by default */
#define	MIN_MAJOR	14

/* Check init's -z, -d and -m before anything runs. */
int
init_check_opts(struct jailer *jp, const char *zopt, const char *dopt,
    const char *mopt)
{
	if ((zopt != NULL && (valid_dataset(jp, zopt) == -1 ||
	    (strchr(zopt, '/') != NULL &&
	    jailer_seterr(jp, "-z takes a pool name, not a dataset")))) ||
	    (dopt != NULL && (valid_dataset(jp, dopt) == -1 ||
	    (strchr(dopt, '/') == NULL &&
	    jailer_seterr(jp, "-d takes POOL/DATASET, not a pool")))) ||
	    (mopt != NULL && valid_mountpoint(jp, mopt) == -1))
		return (-1);
	return (0);
}

/* FreeBSD 13 is end-of-life: refuse it. */
int
init_host_check(struct jailer *jp)
{
	const struct host *h;

	if (host_get(jp, &h) == -1)
		return (-1);
	if (h->release.major < MIN_MAJOR)
		return (jailer_seterr(jp, "FreeBSD %s is not supported: jailer "
		    "needs FreeBSD %d.0 or later", h->release_str, MIN_MAJOR));
	return (0);
}

/* rc.subr's checkyesno: YES, TRUE, ON or 1 in any case. */
int
rc_yes(const char *v)
{
	return (v != NULL && (strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0));
}

/* 1 if /etc/jail.conf holds the .include line, 0 if not, -1 on error. */
int
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

/* Work out what init has to do: zopt, dopt, mopt are -z, -d, -m. */
int
init_plan_make(struct jailer *jp, const char *zopt, const char *dopt,
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
	return (upgrade_find(jp, &p->hooks, &p->nhooks));
}

void
init_plan_free(struct init_plan *p)
{
	size_t i;

	free(p->dataset);
	free(p->mountpoint);
	for (i = 0; i < p->nadopt; i++)
		free(p->adopt[i]);
	free(p->adopt);
	free(p->adopt_as);
	for (i = 0; i < p->nhooks; i++)
		free(p->hooks[i]);
	free(p->hooks);
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

/* Has the host everything init sets up? */
int
init_plan_empty(const struct init_plan *p)
{
	return (p->ds_exists && !p->set_dir && !p->enable_jail &&
	    !p->add_include && !p->mk_confd && !p->mk_logdir &&
	    p->nadopt == 0 && p->nhooks == 0);
}

/* What step s does, for its progress line; NULL if it is not needed. */
char *
init_step_what(const struct init_plan *p, int s)
{
	switch (s) {
	case INIT_DATASET:
		return (p->ds_exists ? NULL : xasprintf("Creating ZFS dataset "
		    "%s with the mount point %s", p->dataset, p->mountpoint));
	case INIT_JAILER_DIR:
		return (p->set_dir ? xstrdup("Setting jailer_dir in rc.conf") :
		    NULL);
	case INIT_JAIL_ENABLE:
		return (p->enable_jail ? xstrdup("Enabling the jail service") :
		    NULL);
	case INIT_ADOPT:
		return (p->nadopt == 0 ? NULL : xasprintf("Adopting %zu "
		    "dataset%s of an earlier jailer", p->nadopt,
		    p->nadopt == 1 ? "" : "s"));
	case INIT_INCLUDE:
		return (p->add_include || p->mk_confd || p->mk_logdir ?
		    xstrdup("Including /etc/jail.conf.d in /etc/jail.conf") :
		    NULL);
	case INIT_HOOKS:
		return (p->nhooks == 0 ? NULL : xasprintf("Adding the pf "
		    "hooks to the conf file%s of %zu jail%s",
		    p->nhooks == 1 ? "" : "s", p->nhooks,
		    p->nhooks == 1 ? "" : "s"));
	}
	return (NULL);
}

/* Create the dataset with its mount point. */
static int
step_dataset(struct jailer *jp, struct init_plan *p, struct undo *u)
{
	char *mpopt;
	int ok;

	/*
	 * zfs creates the mount point's missing directories and keeps
	 * them when the dataset is destroyed (the mountpoint is set
	 * locally): undo removes them.
	 */
	undo_missing_dirs(u, p->mountpoint);
	mpopt = xasprintf("mountpoint=%s", p->mountpoint);
	ok = zfs(jp, 0, NULL, "create", "-o", mpopt, p->dataset, NULL) == 0;
	free(mpopt);
	if (ok)
		undo_zfs_destroy(u, p->dataset);
	return (ok ? 0 : -1);
}

/* Mark the datasets of an earlier jailer as jailer's. */
static int
step_adopt(struct jailer *jp, struct init_plan *p, struct undo *u)
{
	size_t i;
	char *prop;
	int ok;

	ok = 1;
	for (i = 0; i < p->nadopt && ok; i++) {
		const char *inh[] = { "zfs", "inherit", "jailer:managed",
		    p->adopt[i], NULL };

		prop = xasprintf("jailer:managed=%s", p->adopt_as[i]);
		ok = zfs(jp, 0, NULL, "set", prop, p->adopt[i], NULL) == 0;
		free(prop);
		if (ok)
			undo_cmd(u, inh);
	}
	return (ok ? 0 : -1);
}

/* Carry out step s of the plan. */
int
init_step_run(struct jailer *jp, struct init_plan *p, int s, struct undo *u)
{
	char *dir;
	size_t i;
	int rc;

	switch (s) {
	case INIT_DATASET:
		return (step_dataset(jp, p, u));
	case INIT_JAILER_DIR:
		dir = xasprintf("zfs:%s", p->dataset);
		rc = host_rc_set(jp, u, "jailer_dir", dir);
		free(dir);
		return (rc == 0 ? 0 : -1);
	case INIT_JAIL_ENABLE:
		return (host_rc_set(jp, u, "jail_enable", "YES") == 0 ? 0 : -1);
	case INIT_ADOPT:
		return (step_adopt(jp, p, u));
	case INIT_INCLUDE:
		return ((!p->mk_confd || make_dir(jp, u, JAIL_CONF_D) == 0) &&
		    (!p->mk_logdir || make_dir(jp, u, JAIL_LOG_DIR) == 0) &&
		    (!p->add_include || add_include(jp, u) == 0) ? 0 : -1);
	case INIT_HOOKS:
		for (i = 0; i < p->nhooks; i++)
			if (upgrade_conf(jp, u, p->hooks[i]) == -1)
				return (-1);
		return (0);
	}
	return (0);
}

/* Is bridge in rc.conf's cloned_interfaces? */
int
init_bridge_in_rc(struct jailer *jp, const char *bridge)
{
	char *v, *p;
	int found;

	found = 0;
	if (host_rc_get(jp, "cloned_interfaces", &v) == 1) {
		for (p = strtok(v, " \t"); p != NULL; p = strtok(NULL, " \t"))
			if (strcmp(p, bridge) == 0)
				found = 1;
	}
	free(v);
	return (found);
}

/*
 * ifconfig bridge: whether it is up, and its first IPv4 address as
 * "A/P" into addr ("" if none).  -1 if ifconfig fails.
 */
int
init_bridge_probe(struct jailer *jp, const char *bridge, int *up,
    char addr[40])
{
	const char *argv[] = { "ifconfig", bridge, NULL };
	struct in_addr a;
	struct buf out;
	char *line, *p;
	unsigned long mask;
	size_t pos;
	int prefix;

	buf_init(&out);
	addr[0] = '\0';
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	/* "bridge0: flags=8843<UP,BROADCAST,...>": is UP among the flags? */
	p = strchr(out.data, '<');
	line = p != NULL ? strchr(p, '>') : NULL;
	*up = p != NULL && line != NULL && (str_has_prefix(p, "<UP,") ||
	    str_has_prefix(p, "<UP>") ||
	    (strstr(p, ",UP,") != NULL && strstr(p, ",UP,") < line) ||
	    (strstr(p, ",UP>") != NULL && strstr(p, ",UP>") <= line));
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL && addr[0] == '\0') {
		line = str_trim(line);
		if (!str_has_prefix(line, "inet "))
			continue;
		p = strtok(line + 5, " ");
		if (p == NULL || parse_ipv4(jp, p, &a) == -1)
			continue;
		snprintf(addr, 40, "%s", p);
		if ((p = strtok(NULL, " ")) != NULL && strcmp(p, "netmask") == 0 &&
		    (p = strtok(NULL, " ")) != NULL) {
			mask = strtoul(p, NULL, 16);
			for (prefix = 0; mask & 0x80000000UL; mask <<= 1)
				prefix++;
			snprintf(addr + strlen(addr), 40 - strlen(addr), "/%d",
			    prefix);
		}
	}
	buf_free(&out);
	return (0);
}
