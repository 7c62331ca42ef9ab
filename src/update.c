/*
 * jailer update NAME (the newest patch level of its release) and jailer
 * upgrade NAME RELEASE (a newer minor or major release), through
 * freebsd-update(8) with -b on the jail's root (update_fbu.c).
 *
 * The release a jail runs is jailer's record, never the jail's own
 * bin/freebsd-version (its root user writes that): the ZFS user property
 * jailer:release of the jail's dataset (create and these commands set
 * it), else the origin of a clone (IMAGE@pN, or a jail's snapshot,
 * followed to that jail's record).
 *
 * Every check runs first.  Then: stop the jail if it runs, snapshot it
 * (DS@jailer-RELEASE, RELEASE the one it ran; the jail is stopped so the
 * snapshot is consistent), check that the directories freebsd-update
 * writes in are not symlinks, fetch (or upgrade -r), install until
 * nothing is left, record the new release, start it again.  Any failure
 * rolls the dataset back to the snapshot, destroys the snapshot, puts the
 * record back and starts the jail again if it ran.  On success the
 * snapshot stays: it is the way back (jailer rollback NAME@jailer-...).
 * A clone's origin snapshot is never written: ZFS writes the clone only.
 * A jail whose image came from pkgbase is upgraded by pkgbase.c
 * (pkg -r ROOT upgrade against FreeBSD-base) between the same snapshot
 * and record steps (the record: the level FreeBSD-base's catalogue
 * offers, pkgbase_level()).
 *
 * Depends on: update_fbu, control (jail_stop, jail_start), jail, gc, plan
 * (MARK_DIR), host, zfs, undo, validate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "gc.h"
#include "host.h"
#include "image.h"
#include "jail.h"
#include "lifecycle.h"
#include "pkgbase.h"
#include "plan.h"
#include "undo.h"
#include "update.h"
#include "validate.h"
#include "vis.h"
#include "zfs.h"

struct jupdate {
	const struct config *cf;
	struct jails	 js;
	struct jail	*j;
	char		*name;
	char		*ds;		/* zroot/jails/NAME */
	char		*root;		/* /usr/local/jails/NAME */
	char		*cur;		/* jailer's record: 14.3-RELEASE-p1 */
	char		*prop;		/* jailer:release before, or NULL */
	char		*target;	/* upgrade: 15.0-RELEASE, else NULL */
	char		*snap;		/* DS@jailer-14.3-RELEASE-p1 */
	int		 pkgbase;	/* its image came from pkgbase */
	struct fbu	 f;
};

void
jail_update_free(struct jupdate *r)
{
	if (r == NULL)
		return;
	jails_free(&r->js);
	free(r->name);
	free(r->ds);
	free(r->root);
	free(r->cur);
	free(r->prop);
	free(r->target);
	free(r->snap);
	fbu_close(&(struct jailer){ .err = "" }, &r->f);
	free(r);
}

/* The release an image snapshot stands for: IMAGE@base, IMAGE@pN. */
static char *
origin_release(const struct config *cf, const char *origin)
{
	const char *at, *rel;
	char *prefix, *s;
	size_t n;

	prefix = xasprintf("%s/image/", cf->dataset);
	n = strlen(prefix);
	at = strchr(origin, '@');
	s = NULL;
	if (strncmp(origin, prefix, n) == 0 && at != NULL) {
		rel = origin + n;
		if (strcmp(at, "@base") == 0)
			s = xstrndup(rel, (size_t)(at - rel));
		else if (at[1] == 'p' && strspn(at + 2, "0123456789") ==
		    strlen(at + 2) && at[2] != '\0')
			s = xasprintf("%.*s-%s", (int)(at - rel), rel, at + 1);
	}
	free(prefix);
	return (s);
}

/* jailer:release and origin of ds: 0, or -1. */
static int
release_props(struct jailer *jp, const char *ds, char **rel, char **origin)
{
	struct buf out;
	char *line, *tab;
	size_t pos;

	*rel = *origin = NULL;
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "get", "-H", "-o", "property,value",
	    "jailer:release,origin", ds, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		if ((tab = strchr(line, '\t')) == NULL ||
		    strcmp(str_trim(tab + 1), "-") == 0)
			continue;
		*tab++ = '\0';
		if (strcmp(line, "jailer:release") == 0)
			*rel = xstrdup(tab);
		else if (strcmp(line, "origin") == 0)
			*origin = xstrdup(tab);
	}
	buf_free(&out);
	return (0);
}

/*
 * The release the jail dataset ds runs, as jailer recorded it: its
 * jailer:release, else its clone origin (followed through jails).
 * 0: found; 1: no record (the reason in jp->err); -1: an error.
 */
int
jail_release(struct jailer *jp, const char *ds, char **out)
{
	const struct config *cf;
	struct release r;
	char *rel, *origin, *cur;
	int i, none;

	*out = NULL;
	if (config_get(jp, &cf) == -1)
		return (-1);
	cur = xstrdup(ds);
	none = 0;
	for (i = 0; i < 8 && *out == NULL; i++) {
		if (release_props(jp, cur, &rel, &origin) == -1)
			break;
		if (rel != NULL)
			*out = rel;
		else if (origin != NULL &&
		    (*out = origin_release(cf, origin)) == NULL) {
			free(cur);
			cur = xstrndup(origin, strcspn(origin, "@"));
		} else if (origin == NULL) {
			jailer_seterr(jp, "no record of the release %s runs "
			    "(no jailer:release); set it with 'zfs set "
			    "jailer:release=X.Y-RELEASE-pN %s'", ds, ds);
			none = 1;
			i = 8;
		}
		free(origin);
	}
	free(cur);
	if (*out != NULL && release_parse(*out, &r) == -1) {
		jailer_seterr(jp, "%s: jailer:release '%s' is not a release",
		    ds, vis(*out));
		free(*out);
		*out = NULL;
		none = 1;
	}
	if (*out == NULL && !none && i >= 8) {
		jailer_seterr(jp, "cannot tell the release of %s (clones too "
		    "deep)", ds);
		none = 1;
	}
	return (*out != NULL ? 0 : (none ? 1 : -1));
}

/* The jail: jailer's, stopped or running, settled, at its dataset. */
static int
check_jail(struct jailer *jp, struct jupdate *r)
{
	size_t i;
	char *mark, *hp;
	int busy;

	if ((r->j = jails_find(&r->js, r->name)) == NULL || !r->j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (r->j->conf_err != NULL)
		return (jailer_seterr(jp, "%s", r->j->conf_err));
	for (i = 0; i < r->cf->nchildren; i++)
		if (strcmp(r->cf->children[i], r->name) == 0)
			break;
	if (i == r->cf->nchildren || strcmp(r->cf->managed[i], "jail") != 0)
		return (jailer_seterr(jp, "%s is not a jail dataset of "
		    "jailer (jailer:managed=jail)", r->ds));
	if (r->j->path == NULL || strcmp(r->j->path, r->root) != 0)
		return (jailer_seterr(jp, "its path is not %s, the mount point "
		    "of its dataset", r->root));
	mark = xasprintf("%s/%s", MARK_DIR, r->name);
	hp = host_path(mark);
	busy = file_exists(hp) || dir_exists(hp);
	free(mark);
	free(hp);
	if (busy)
		return (jailer_seterr(jp, "a start or stop of it was "
		    "interrupted; start or stop it first"));
	return (0);
}

/* upgrade: target is a newer release than the one the jail runs. */
static int
check_target(struct jailer *jp, struct jupdate *r, const char *target)
{
	struct release cur, to;
	char base[64];

	if (valid_image_release(jp, target, &to) == -1 ||
	    release_parse(r->cur, &cur) == -1)
		return (-1);
	cur.patch = 0;
	release_name(&cur, base, sizeof(base));
	if (release_cmp(&to, &cur) == 0)
		return (jailer_seterr(jp, "it runs %s already; 'jailer update "
		    "%s' installs its patch levels", r->cur, r->name));
	if (release_cmp(&to, &cur) < 0)
		return (jailer_seterr(jp, "%s is older than %s, the release it "
		    "runs: freebsd-update cannot downgrade", target, base));
	/* Jails run the host's kernel: not a newer release than it. */
	if (image_check_host(jp, target) == -1)
		return (-1);
	r->target = xstrdup(target);
	return (0);
}

/* The snapshot name: jailer-RELEASE, -2, -3 ... if taken. */
static int
pick_snap(struct jailer *jp, struct jupdate *r)
{
	struct buf out;
	char *want, *line;
	size_t pos;
	int k, taken;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    "snapshot", "-d", "1", r->ds, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	for (k = 1; r->snap == NULL; k++) {
		want = k == 1 ? xasprintf("%s@jailer-%s", r->ds, r->cur) :
		    xasprintf("%s@jailer-%s-%d", r->ds, r->cur, k);
		taken = 0;
		for (pos = 0; (line = buf_nextline(&out, &pos)) != NULL;)
			taken |= strcmp(str_trim(line), want) == 0;
		if (!taken)
			r->snap = want;
		else
			free(want);
		/* buf_nextline cut the lines: read them again. */
		for (pos = 0; pos < out.len; pos++)
			if (out.data[pos] == '\0')
				out.data[pos] = '\n';
	}
	buf_free(&out);
	return (0);
}

/*
 * Was the jail's image installed from pkgbase?  Its release's image
 * says so (jailer:source=pkgbase); no image left: freebsd-update.
 */
static int
is_pkgbase(struct jailer *jp, struct jupdate *r)
{
	struct release rel;
	char base[64], *ds, *v;
	int rc;

	if (release_parse(r->cur, &rel) == -1)
		return (jailer_seterr(jp, "%s: not a release", r->cur));
	rel.patch = 0;
	release_name(&rel, base, sizeof(base));
	ds = xasprintf("%s/image/%s", r->cf->dataset, base);
	/* 0: no such image (any more): freebsd-update; -1: an error. */
	rc = zfs_get(jp, ds, "jailer:source", &v);
	free(ds);
	if (rc != 1)
		return (rc);
	rc = strcmp(v, "pkgbase") == 0;
	free(v);
	if (rc == 1 && pkgbase_check(jp, r->target != NULL ? r->target :
	    base) == -1)
		return (-1);
	return (rc);
}

static int
ju_open(struct jailer *jp, struct jupdate *r, const char *name,
    const char *target)
{
	char *tag;
	int rc;

	if (valid_jail_name(jp, name) == -1 || config_get(jp, &r->cf) == -1 ||
	    jails_load(jp, &r->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	r->name = xstrdup(name);
	r->ds = xasprintf("%s/%s", r->cf->dataset, name);
	r->root = xasprintf("%s/%s", r->cf->mountpoint, name);
	if (check_jail(jp, r) == -1 || jail_release(jp, r->ds, &r->cur) != 0)
		return (-1);
	if ((rc = release_props(jp, r->ds, &r->prop, &tag)) == -1)
		return (-1);
	free(tag);
	if (target != NULL && check_target(jp, r, target) == -1)
		return (-1);
	if (pick_snap(jp, r) == -1 || (r->pkgbase = is_pkgbase(jp, r)) == -1)
		return (-1);
	tag = xasprintf("jail-%s", name);
	fbu_init(&r->f, tag, r->root, r->cur);
	free(tag);
	return (0);
}

/* Check everything; NULL (the reason in jp->err) when it must not run. */
struct jupdate *
jail_update_open(struct jailer *jp, const char *name, const char *target)
{
	struct jupdate *r;

	r = xcalloc(1, sizeof(*r));
	if (ju_open(jp, r, name, target) == -1) {
		jail_update_free(r);
		return (NULL);
	}
	return (r);
}

/* -D: the plan. */
void
jail_update_print(struct jailer *jp, const struct jupdate *r)
{
	char *kv, *nv;

	plan_title(jp, "%s %s (%s, jailer's record) %s would:",
	    r->target != NULL ? "Upgrading" : "Updating", r->name, r->cur,
	    r->target != NULL ? "to the newest patch level of the target" :
	    "to the newest patch level");
	if (r->j->running)
		plan_item(jp, NULL, "stop", "jail", r->name, NULL, NULL,
		    "stop it (it runs, JID %s)", r->j->jid);
	plan_item(jp, NULL, "create", "snapshot", r->snap, NULL, NULL,
	    "zfs snapshot -o jailer:release=%s %s", r->cur, r->snap);
	plan_item(jp, NULL, "check", "directory", r->root, NULL, NULL,
	    "check that the directories freebsd-update writes in under %s "
	    "are no symlinks", r->root);
	if (r->pkgbase)
		plan_item(jp, NULL, "change", "directory", r->root, NULL, NULL,
		    "pkg -r %s upgrade against FreeBSD-base of %s (pkgbase)",
		    r->root, r->target != NULL ? r->target : "its release");
	else
		fbu_plan(jp, &r->f, r->target);
	kv = xasprintf("jailer:release=%s", r->cur);
	nv = xasprintf("jailer:release=NEW (the newest patch level of %s)",
	    r->target != NULL ? r->target : r->cur);
	plan_item(jp, NULL, "change", "dataset", r->ds, kv, nv,
	    "zfs set jailer:release=NEW %s", r->ds);
	free(kv);
	free(nv);
	if (r->j->running)
		plan_item(jp, NULL, "start", "jail", r->name, NULL, NULL,
		    "start it again");
	plan_title(jp, "On any failure: zfs rollback %s, zfs destroy it, "
	    "jailer:release as it was%s.", r->snap,
	    r->j->running ? ", start it again" : "");
}

/* Set jailer:release, its old value (or none) back in u. */
static int
record(struct jailer *jp, struct undo *u, struct jupdate *r, const char *to)
{
	const char *inherit[] = { "zfs", "inherit", "jailer:release", r->ds,
	    NULL };
	const char *set[] = { "zfs", "set", NULL, r->ds, NULL };
	char *kv, *old;
	int rc;

	kv = xasprintf("jailer:release=%s", to);
	rc = zfs(jp, 0, NULL, "set", kv, r->ds, NULL) == 0 ? 0 : -1;
	free(kv);
	if (rc == -1)
		return (-1);
	old = r->prop != NULL ? xasprintf("jailer:release=%s", r->prop) :
	    NULL;
	set[2] = old;
	undo_cmd(u, old != NULL ? set : inherit);
	free(old);
	return (0);
}

/*
 * A pkgbase jail: pkg -r ROOT upgrade (pkgbase.c), then the record:
 * the level FreeBSD-base offers (its signed catalogue, not the root).
 */
static int
ju_pkgbase(struct jailer *jp, struct undo *u, struct jupdate *r,
    struct buf *notes)
{
	struct release rel;
	char base[64], *level;
	int rc;

	if (release_parse(r->cur, &rel) == -1)
		return (jailer_seterr(jp, "%s: not a release", r->cur));
	rel.patch = 0;
	release_name(&rel, base, sizeof(base));
	level = NULL;
	if (pkgbase_jail_update(jp, u, r->name, r->root, r->target) == -1 ||
	    pkgbase_level(jp, r->target != NULL ? r->target : base, r->root,
	    &level) == -1 || level == NULL || record(jp, u, r, level) == -1) {
		free(level);
		return (-1);
	}
	buf_addf(notes, "it runs %s now (pkg -r from FreeBSD-base); the "
	    "snapshot %s is the way back\n", level, strchr(r->snap, '@') + 1);
	free(level);
	rc = jailer_interrupted ? jailer_seterr(jp, "interrupted") : 0;
	return (rc);
}

/* The steps after the stop.  1: nothing to install. */
static int
ju_steps(struct jailer *jp, struct undo *u, struct jupdate *r,
    struct buf *notes)
{
	const char *destroy[] = { "zfs", "destroy", r->snap, NULL };
	const char *back[] = { "zfs", "rollback", r->snap, NULL };
	struct fbu_result res;
	char *kv;
	int rc;

	if (jailer_interrupted)
		return (jailer_seterr(jp, "interrupted"));
	/* The snapshot carries the release it holds (for a rollback). */
	kv = xasprintf("jailer:release=%s", r->cur);
	rc = zfs(jp, 0, NULL, "snapshot", "-o", kv, r->snap, NULL);
	free(kv);
	if (rc != 0)
		return (-1);
	undo_cmd(u, destroy);
	if (r->pkgbase) {
		undo_cmd(u, back);
		return (ju_pkgbase(jp, u, r, notes));
	}
	if (fbu_open(jp, &r->f) == -1 || fbu_root_check(jp, r->root) == -1)
		return (-1);
	undo_cmd(u, back);
	if (fbu_fetch(jp, &r->f, r->target, &res) == -1)
		return (-1);
	buf_adds(notes, res.notes.len > 0 ? res.notes.data : "");
	rc = res.nothing ? 1 : 0;
	if (rc == 0 && (jailer_interrupted || fbu_install(jp, &r->f) == -1 ||
	    record(jp, u, r, res.to) == -1))
		rc = -1;
	if (rc == 1)
		buf_addf(notes, "nothing to install: it runs %s\n", res.to);
	else if (rc == 0)
		buf_addf(notes, "it runs %s now; the snapshot %s is the way "
		    "back\n", res.to, strchr(r->snap, '@') + 1);
	fbu_result_free(&res);
	if (rc == 0 && jailer_interrupted)
		rc = jailer_seterr(jp, "interrupted");
	return (rc);
}

/* Does jls(8) still know the jail (a stop that failed)? */
static int
still_running(struct jailer *jp, const char *name)
{
	const char *argv[] = { "jls", "-j", name, "jid", NULL };
	struct jailer scratch;
	struct buf out;

	scratch = *jp;
	buf_init(&out);
	if (run(&scratch, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (0);
	}
	buf_free(&out);
	return (1);
}

/*
 * Run it.  0: updated, 1: nothing to install (the snapshot is removed
 * again), -1: failed and undone.  notes gets lines for the user.
 */
int
jail_update_run(struct jailer *jp, struct jupdate *r, struct buf *notes)
{
	struct jailer scratch;
	struct undo u;
	int rc, stopped;

	undo_init(&u);
	stopped = r->j->running;
	rc = -1;
	/* A stop that failed halfway may have removed it: start it again. */
	if (!stopped || jail_stop(jp, r->j, 0) == 0)
		rc = ju_steps(jp, &u, r, notes);
	fbu_close(jp, &r->f);
	if (rc == 0 && stopped && jail_start(jp, r->j, 0) == -1)
		rc = -1;
	if (rc != 0) {
		undo_run(jp, &u);
		if (stopped && !still_running(jp, r->name)) {
			scratch = *jp;
			scratch.undoing = 1;
			if (jail_start(&scratch, r->j, 0) == -1)
				jailer_warnx(NULL, "%s", scratch.err);
		}
	} else
		undo_commit(&u);
	return (rc);
}
