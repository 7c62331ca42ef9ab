/*
 * nullfs.c - nullfs mounts of host directories into a jail.
 *
 * The mounts of jail NAME are lines of the host file
 * /etc/jail.conf.d/NAME.fstab ("HOST TARGET nullfs ro|rw 0 0", TARGET
 * the host's path of the directory inside the jail root), named by the
 * jail's mount.fstab parameter: jail(8) mounts them at every start and
 * unmounts them at every stop.  On a running jail jailer also mounts and
 * unmounts them live.  Every path is checked before anything runs; the
 * directory inside the jail root is walked (and created) with openat
 * O_NOFOLLOW from the root, so a symlink the jail planted is refused,
 * and after a live mount the mount table must show exactly that target.
 *
 * Depends on: confedit, jail, conf, mount, host, exec, undo, out, util.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confedit.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "mount.h"
#include "nullfs.h"
#include "out.h"
#include "plan.h"
#include "safe.h"
#include "undo.h"
#include "validate.h"

#ifndef O_DIRECTORY
#define	O_DIRECTORY	0
#endif

#define	NULLFS_PATH_MAX	900

char *
nullfs_fstab_path(const char *name)
{
	return (xasprintf("%s/%s%s", JAIL_CONF_D, name, NULLFS_FSTAB_SUFFIX));
}

/* a is top or inside it. */
static int
inside(const char *a, const char *top)
{
	size_t n = strlen(top);

	if (strcmp(top, "/") == 0)
		return (1);
	return (strncmp(a, top, n) == 0 && (a[n] == '\0' || a[n] == '/'));
}

/*
 * An absolute path fit for an fstab(5) field: printable ASCII without
 * blanks, '#' or '\', no empty, "." or ".." component, no trailing '/'.
 */
static int
path_ok(struct jailer *jp, const char *what, const char *p)
{
	const char *s;

	if (p[0] != '/')
		return (jailer_seterr(jp, "%s '%s': must be an absolute path",
		    what, vis(p)));
	if (strlen(p) > NULLFS_PATH_MAX)
		return (jailer_seterr(jp, "%s: too long", what));
	for (s = p; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '#' || *s == '\\')
			return (jailer_seterr(jp, "%s '%s': blanks, control "
			    "characters, '#' and '\\' are not allowed", what,
			    vis(p)));
	if (strcmp(p, "/") == 0)
		return (jailer_seterr(jp, "%s: / itself cannot be mounted",
		    what));
	if (strstr(p, "//") != NULL || strstr(p, "/./") != NULL ||
	    strstr(p, "/../") != NULL || p[strlen(p) - 1] == '/' ||
	    (strlen(p) >= 2 && strcmp(p + strlen(p) - 2, "/.") == 0) ||
	    (strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0))
		return (jailer_seterr(jp, "%s '%s': must be canonical (no "
		    "'.', '..', '//' or trailing '/')", what, vis(p)));
	return (0);
}

/*
 * HOST: an existing directory, no component a symlink (with path_ok()'s
 * rules that makes it canonical).
 */
static int
host_dir_ok(struct jailer *jp, const char *host)
{
	char *fp, *slash;
	struct stat sb;
	size_t off;
	int rc;

	if (path_ok(jp, "host path", host) == -1)
		return (-1);
	fp = host_path(host);
	off = strlen(fp) - strlen(host);
	rc = 0;
	for (slash = fp + off + 1; rc == 0; slash++) {
		if (*slash != '/' && *slash != '\0')
			continue;
		*slash = '\0';
		if (lstat(fp, &sb) == -1)
			rc = jailer_seterrno(jp, "%s", host);
		else if (S_ISLNK(sb.st_mode))
			rc = jailer_seterr(jp, "%s: not canonical (%s is a "
			    "symlink); give the real path", host, fp + off);
		else if (!S_ISDIR(sb.st_mode))
			rc = jailer_seterr(jp, "%s: not a directory", fp + off);
		if (strlen(fp) == strlen(host) + off)
			break;
		*slash = '/';
	}
	free(fp);
	return (rc);
}

/* HOST must not overlap jailer's jails or any jail's root. */
static int
host_not_jail(struct jailer *jp, const char *host, const struct jails *js)
{
	const struct config *cf;
	size_t i;

	if (config_get(jp, &cf) == -1)
		return (-1);
	if (inside(host, cf->mountpoint) || inside(cf->mountpoint, host))
		return (jailer_seterr(jp, "%s: overlaps jailer's jails (%s)",
		    host, cf->mountpoint));
	for (i = 0; i < js->n; i++)
		if (js->v[i].path != NULL && (inside(host, js->v[i].path) ||
		    inside(js->v[i].path, host)))
			return (jailer_seterr(jp, "%s: overlaps the root of "
			    "jail %s", host, js->v[i].name));
	return (0);
}

void
nullfs_tab_free(struct nullfs_tab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].host);
		free(t->v[i].target);
		free(t->v[i].jpath);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* One fstab line into t; 0 for a blank or comment line. */
static int
parse_line(struct jailer *jp, char *line, const char *root,
    struct nullfs_tab *t)
{
	char *f[4], *save, *tok;
	struct nullfs_ent *e;
	size_t k, rl;

	if ((tok = strchr(line, '#')) != NULL)
		*tok = '\0';
	k = 0;
	for (tok = strtok_r(line, " \t", &save); tok != NULL && k < 4;
	    tok = strtok_r(NULL, " \t", &save))
		f[k++] = tok;
	if (k == 0)
		return (0);
	if (k < 4 || strcmp(f[2], "nullfs") != 0)
		return (jailer_seterr(jp, "not a nullfs line jailer wrote"));
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	e = &t->v[t->n++];
	e->host = xstrdup(f[0]);
	e->target = xstrdup(f[1]);
	rl = strlen(root);
	e->jpath = xstrdup(strncmp(f[1], root, rl) == 0 && f[1][rl] == '/' ?
	    f[1] + rl : f[1]);
	e->ro = strcmp(f[3], "rw") != 0;
	return (0);
}

/* The mounts of jail name (root: its path); a missing file is none. */
int
nullfs_read(struct jailer *jp, const char *name, const char *root,
    struct nullfs_tab *t)
{
	struct buf b;
	char *path, *fp, *line;
	size_t pos;
	int rc;

	memset(t, 0, sizeof(*t));
	path = nullfs_fstab_path(name);
	fp = host_path(path);
	buf_init(&b);
	rc = 0;
	if (file_read(jp, fp, &b) == -1)
		rc = errno == ENOENT ? 0 : -1;
	else
		for (pos = 0; rc == 0 &&
		    (line = buf_nextline(&b, &pos)) != NULL; )
			if (parse_line(jp, line, root, t) == -1)
				rc = jailer_seterr(jp, "%s: %s", path, jp->err);
	buf_free(&b);
	free(fp);
	free(path);
	if (rc == -1)
		nullfs_tab_free(t);
	return (rc);
}

/*
 * The mount table: refuse a target that is, or lies inside, a mount other
 * than ZFS datasets (a live nullfs would let mkdir reach a host directory).
 * last: if not NULL, the newest mount's three fields (freed by caller).
 */
static int
mounts_check(struct jailer *jp, const char *target, char **last)
{
	struct buf out;
	char *line, *f[3];
	size_t pos;
	int rc;

	if (mount_table(jp, &out) == -1)
		return (-1);
	rc = 0;
	if (last != NULL)
		last[0] = last[1] = last[2] = NULL;
	for (pos = 0; (line = buf_nextline(&out, &pos)) != NULL; ) {
		if (mount_fields(line, f) < 3)
			continue;
		if (last != NULL) {
			free(last[0]), free(last[1]), free(last[2]);
			last[0] = xstrdup(f[0]);
			last[1] = xstrdup(f[1]);
			last[2] = xstrdup(f[2]);
		} else if (strcmp(f[2], "zfs") != 0 && strcmp(f[1], "/") != 0 &&
		    inside(target, f[1]) && rc == 0)
			rc = jailer_seterr(jp, "%s is already a mount point (or "
			    "inside one: %s)", target, f[1]);
	}
	buf_free(&out);
	return (rc);
}

/* mount -t nullfs -o ro|rw host target, then check the table shows it. */
static int
mount_live(struct jailer *jp, struct undo *u, const struct nullfs_ent *e)
{
	const char *mnt[] = { "mount", "-t", "nullfs", "-o", NULL, NULL, NULL,
	    NULL };
	const char *um[] = { "umount", NULL, NULL };
	char *last[3];
	int rc;

	mnt[4] = e->ro ? "ro" : "rw";
	mnt[5] = e->host;
	mnt[6] = e->target;
	if (run(jp, mnt, NULL, 0) != 0)
		return (-1);
	if (jp->dryrun)
		return (0);
	um[1] = e->target;
	undo_cmd(u, um);
	if (mounts_check(jp, e->target, last) == -1)
		return (-1);
	rc = 0;
	if (last[1] == NULL || strcmp(last[2], "nullfs") != 0 ||
	    strcmp(last[0], e->host) != 0)
		rc = jailer_seterr(jp, "%s: the new mount is not in the mount "
		    "table", e->target);
	else if (strcmp(last[1], e->target) != 0) {
		/* A directory inside the jail moved under our feet. */
		um[1] = last[1];
		(void)run(jp, um, NULL, 0);
		rc = jailer_seterr(jp, "%s: mounted on %s instead (the jail "
		    "moved a directory?); unmounted it", e->target,
		    vis(last[1]));
	}
	free(last[0]), free(last[1]), free(last[2]);
	return (rc);
}

/* Write the fstab file (or remove it when t is empty), with its undo. */
static int
fstab_write(struct jailer *jp, struct undo *u, const char *name,
    const struct nullfs_tab *t, struct buf *plan)
{
	struct buf b;
	char *path, *fp;
	size_t i;
	int rc;

	path = nullfs_fstab_path(name);
	fp = host_path(path);
	buf_init(&b);
	for (i = 0; i < t->n; i++)
		buf_addf(&b, "%s %s nullfs %s 0 0\n", t->v[i].host,
		    t->v[i].target, t->v[i].ro ? "ro" : "rw");
	rc = 0;
	if (jp->dryrun)
		plan_file(jp, plan, path, fp, t->n == 0 ? NULL : b.data);
	else if (undo_save_file(jp, u, fp) == -1)
		rc = -1;
	else if (t->n == 0 && unlink(fp) == -1 && errno != ENOENT)
		rc = jailer_seterrno(jp, "%s", path);
	else if (t->n > 0)
		rc = file_write_atomic(jp, fp, b.data, b.len, 0644);
	buf_free(&b);
	free(fp);
	free(path);
	return (rc);
}

/* Point (or stop pointing) the conf file's mount.fstab at our file. */
static int
conf_fstab(struct jailer *jp, struct undo *u, const char *name, int on,
    struct buf *plan)
{
	struct confedit e;
	char *path;
	const char *vals[1];
	int rc;

	if (confedit_open(jp, name, &e) == -1)
		return (-1);
	path = nullfs_fstab_path(name);
	vals[0] = path;
	if (on)
		confedit_set(&e, "mount.fstab", vals, 1);
	else
		confedit_del(&e, "mount.fstab");
	if (jp->dryrun)
		confedit_plan(jp, &e, plan);
	rc = confedit_changed(&e) ? confedit_commit(jp, u, &e) : 0;
	confedit_free(&e);
	free(path);
	return (rc);
}

/* The jail's mount.fstab: 1 ours, 0 unset, -1 someone else's (error). */
static int
fstab_param(struct jailer *jp, const struct jail *j)
{
	const char *v;
	char *path;
	int rc;

	if (j->conf.njails != 1)
		return (0);
	if ((v = conf_value(&j->conf.jails[0], "mount.fstab")) == NULL)
		return (0);
	path = nullfs_fstab_path(j->name);
	rc = strcmp(v, path) == 0 ? 1 : jailer_seterr(jp, "mount.fstab is "
	    "%s, not jailer's %s; refusing", vis(v), path);
	free(path);
	return (rc);
}

/* What add and del work on: the jail and its current mounts. */
struct nullfs_op {
	struct jails		 js;
	struct jail		*j;
	struct nullfs_tab	 t;
	char			*rroot;	/* the jail root in the file system */
	int			 ours;	/* fstab_param() */
	struct undo		 u;
};

static int
op_open(struct jailer *jp, const char *name, struct nullfs_op *o)
{
	memset(o, 0, sizeof(*o));
	undo_init(&o->u);
	if (valid_jail_name(jp, name) == -1 ||
	    jails_load(jp, &o->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	if ((o->j = jails_find(&o->js, name)) == NULL || !o->j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (o->j->conf_err != NULL)
		return (jailer_seterr(jp, "%s", o->j->conf_err));
	if (o->j->path == NULL)
		return (jailer_seterr(jp, "its conf file sets no path"));
	if ((o->ours = fstab_param(jp, o->j)) == -1)
		return (-1);
	o->rroot = host_path(o->j->path);
	return (nullfs_read(jp, name, o->j->path, &o->t));
}

static int
op_close(struct jailer *jp, struct nullfs_op *o, int rc)
{
	if (rc == -1)
		undo_run(jp, &o->u);
	else
		undo_commit(&o->u);
	nullfs_tab_free(&o->t);
	jails_free(&o->js);
	free(o->rroot);
	return (rc);
}

/* The checks of add: nothing has changed yet. */
static int
add_check(struct jailer *jp, struct nullfs_op *o, const char *host,
    const char *jpath, char **target)
{
	size_t i;

	if (host_dir_ok(jp, host) == -1 || host_not_jail(jp, host, &o->js) ==
	    -1 || path_ok(jp, "jail path", jpath) == -1)
		return (-1);
	*target = xasprintf("%s%s", o->j->path, jpath);
	for (i = 0; i < o->t.n; i++)
		if (inside(*target, o->t.v[i].target) ||
		    inside(o->t.v[i].target, *target))
			return (jailer_seterr(jp, "%s overlaps its mount of %s "
			    "on %s", jpath, o->t.v[i].host, o->t.v[i].jpath));
	if (mounts_check(jp, *target, NULL) == -1)
		return (-1);
	return (safe_dir_walk(jp, o->rroot, jpath, 0, &o->u));
}

/*
 * jailer mount NAME HOST JPATH ro|rw: check, make JPATH inside the jail,
 * write the fstab line and mount.fstab, mount it live if the jail runs.
 * -D: plan gets what would change.
 */
int
nullfs_add(struct jailer *jp, const char *name, const char *host,
    const char *jpath, int ro, struct buf *plan)
{
	struct nullfs_op o;
	struct nullfs_ent *e;
	char *target;
	int rc;

	target = NULL;
	if (op_open(jp, name, &o) == -1 ||
	    add_check(jp, &o, host, jpath, &target) == -1) {
		free(target);
		return (op_close(jp, &o, -1));
	}
	o.t.v = xrealloc(o.t.v, (o.t.n + 1) * sizeof(*o.t.v));
	e = &o.t.v[o.t.n++];
	e->host = xstrdup(host);
	e->target = target;
	e->jpath = xstrdup(jpath);
	e->ro = ro;
	if (jp->dryrun)
		plan_item(jp, plan, "create", "directory", jpath, NULL, NULL,
		    "make %s inside the jail if missing", jpath);
	rc = jp->dryrun ? 0 : safe_dir_walk(jp, o.rroot, jpath, 1, &o.u);
	if (rc == 0)
		rc = fstab_write(jp, &o.u, name, &o.t, plan);
	if (rc == 0 && !o.ours)
		rc = conf_fstab(jp, &o.u, name, 1, plan);
	/* Right before mount(8): the walk again, nothing followed. */
	if (rc == 0 && o.j->running && !jp->dryrun)
		rc = safe_dir_walk(jp, o.rroot, jpath, 0, &o.u);
	if (rc == 0 && o.j->running)
		rc = mount_live(jp, &o.u, e);
	return (op_close(jp, &o, rc));
}

/* Is e mounted live (the newest mount on its target our nullfs)? */
static int
is_live(struct jailer *jp, const struct nullfs_ent *e)
{
	struct buf out;
	char *line, *f[3];
	size_t pos;
	int live;

	if (mount_table(jp, &out) == -1)
		return (-1);
	live = 0;
	for (pos = 0; (line = buf_nextline(&out, &pos)) != NULL; )
		if (mount_fields(line, f) == 3 && strcmp(f[1], e->target) == 0)
			live = strcmp(f[2], "nullfs") == 0 &&
			    strcmp(f[0], e->host) == 0;
	buf_free(&out);
	return (live);
}

/* umount the live mount e (undo: mount it again). */
static int
umount_live(struct jailer *jp, struct nullfs_op *o,
    const struct nullfs_ent *e)
{
	const char *um[] = { "umount", NULL, NULL };
	const char *mnt[] = { "mount", "-t", "nullfs", "-o", NULL, NULL, NULL,
	    NULL };
	int live;

	if ((live = is_live(jp, e)) <= 0)
		return (live);
	if (safe_dir_walk(jp, o->rroot, e->jpath, 0, &o->u) == -1)
		return (-1);
	um[1] = e->target;
	if (run(jp, um, NULL, 0) != 0)
		return (-1);
	mnt[4] = e->ro ? "ro" : "rw";
	mnt[5] = e->host;
	mnt[6] = e->target;
	undo_cmd(&o->u, mnt);
	return (0);
}

/* jailer umount NAME JPATH: unmount it live, drop its fstab line. */
int
nullfs_del(struct jailer *jp, const char *name, const char *jpath,
    struct buf *plan)
{
	struct nullfs_op o;
	struct nullfs_ent gone;
	size_t i;
	int rc;

	if (op_open(jp, name, &o) == -1 ||
	    path_ok(jp, "jail path", jpath) == -1)
		return (op_close(jp, &o, -1));
	for (i = 0; i < o.t.n && strcmp(o.t.v[i].jpath, jpath) != 0; i++)
		continue;
	if (i == o.t.n)
		return (op_close(jp, &o, jailer_seterr(jp, "%s: not a mount "
		    "of the jail", vis(jpath))));
	gone = o.t.v[i];
	rc = 0;
	if (o.j->running)
		rc = umount_live(jp, &o, &gone);
	memmove(&o.t.v[i], &o.t.v[i + 1], (o.t.n - i - 1) * sizeof(gone));
	o.t.n--;
	if (rc == 0)
		rc = fstab_write(jp, &o.u, name, &o.t, plan);
	if (rc == 0 && o.t.n == 0 && o.ours)
		rc = conf_fstab(jp, &o.u, name, 0, plan);
	free(gone.host);
	free(gone.target);
	free(gone.jpath);
	return (op_close(jp, &o, rc));
}

/* Rows of one jail's mounts. */
static int
table_jail(struct jailer *jp, const struct jail *j, struct out_table *t)
{
	struct nullfs_tab m;
	const char *row[4];
	size_t i;

	if (!j->has_conf || j->path == NULL || fstab_param(jp, j) != 1)
		return (0);
	if (nullfs_read(jp, j->name, j->path, &m) == -1)
		return (-1);
	for (i = 0; i < m.n; i++) {
		row[0] = j->name;
		row[1] = m.v[i].jpath;
		row[2] = m.v[i].host;
		row[3] = m.v[i].ro ? "ro" : "rw";
		out_row(t, row);
	}
	nullfs_tab_free(&m);
	return (0);
}

/* mount list [NAME]: the fstab files only, no program runs. */
int
nullfs_table(struct jailer *jp, const char *only, struct out_table **tp)
{
	static const struct out_col cols[] = { { "JAIL", "jail" },
	    { "PATH", "path" }, { "HOST", "host" }, { "MODE", "mode" } };
	struct jails js;
	struct jail *j;
	struct out_table *t;
	size_t i;
	int rc;

	*tp = NULL;
	if (jails_load(jp, &js, JAILS_CONF) == -1)
		return (-1);
	if (only != NULL && ((j = jails_find(&js, only)) == NULL ||
	    !j->has_conf)) {
		jails_free(&js);
		return (jailer_seterr(jp, "no such jail"));
	}
	t = out_new(cols, nitems(cols));
	rc = 0;
	for (i = 0; i < js.n && rc == 0; i++)
		if (only == NULL || strcmp(js.v[i].name, only) == 0)
			rc = table_jail(jp, &js.v[i], t);
	jails_free(&js);
	if (rc == -1) {
		out_free(t);
		return (-1);
	}
	*tp = t;
	return (0);
}

/*
 * Before jail -c: every target of the jail's fstab must still be reached
 * without a symlink (the jail could have planted one while it ran).
 */
int
nullfs_start_check(struct jailer *jp, const struct jail *j)
{
	struct nullfs_tab t;
	struct undo u;
	char *rroot;
	size_t i;
	int rc;

	if (j->path == NULL)
		return (0);
	if ((rc = fstab_param(jp, j)) != 1)
		return (rc);
	if (nullfs_read(jp, j->name, j->path, &t) == -1)
		return (-1);
	undo_init(&u);
	rroot = host_path(j->path);
	rc = 0;
	for (i = 0; i < t.n && rc == 0; i++)
		rc = safe_dir_walk(jp, rroot, t.v[i].jpath, 0, &u);
	undo_commit(&u);
	free(rroot);
	nullfs_tab_free(&t);
	return (rc);
}

/*
 * A live nullfs mount below the jail root path: error (what: the
 * operation refused), else 0.
 */
int
nullfs_live(struct jailer *jp, const char *path, const char *what)
{
	struct buf out;
	char *line, *f[3];
	size_t pos;
	int rc;

	if (mount_table(jp, &out) == -1)
		return (-1);
	rc = 0;
	for (pos = 0; rc == 0 && (line = buf_nextline(&out, &pos)) != NULL; )
		if (mount_fields(line, f) == 3 && strcmp(f[2], "nullfs") == 0 &&
		    inside(f[1], path) && strcmp(f[1], path) != 0)
			rc = jailer_seterr(jp, "%s is mounted on %s inside the "
			    "jail; %s", f[0], f[1], what);
	buf_free(&out);
	return (rc);
}

/*
 * Unmount what is still mounted of t (a stopped jail's fstab mounts a
 * failed jail -r left), the target reached without a symlink first.
 */
int
nullfs_unmount_left(struct jailer *jp, const char *root,
    const struct nullfs_tab *t)
{
	const char *um[] = { "umount", NULL, NULL };
	struct undo u;
	char *rroot;
	size_t i;
	int live, rc;

	undo_init(&u);
	rroot = host_path(root);
	rc = 0;
	for (i = 0; i < t->n && rc == 0; i++) {
		if ((live = is_live(jp, &t->v[i])) <= 0) {
			rc = live;
			continue;
		}
		um[1] = t->v[i].target;
		if (safe_dir_walk(jp, rroot, t->v[i].jpath, 0, &u) == -1 ||
		    run(jp, um, NULL, 0) != 0)
			rc = -1;
	}
	undo_commit(&u);
	free(rroot);
	return (rc);
}
