/*
 * Images over time.  An image is the dataset DS/image/RELEASE with the
 * snapshot @base (image fetch) and one snapshot @pN per patch level that
 * image update installed: the newest is what create copies or clones,
 * the snapshots before it stay (the jails made from them, and clones,
 * keep their origin).  Which patch level an image is at is the name of
 * its newest snapshot: host-owned, never read from the image's files.
 *
 * image update: freebsd-update with -b on the image's mount point (the
 * dataset itself is the writable copy: its newest snapshot keeps the
 * old tree), then the snapshot @pN.  A failure rolls the dataset back
 * to its newest snapshot; the work directory goes in any case.
 *
 * image destroy: refused while a dataset below jailer's is a clone of
 * one of the image's snapshots (a clone of such a clone is refused
 * through its parent); then the default is cleared (undone if the
 * destroy fails), zfs destroy -r, and the image's cached base.txz and
 * work directory are removed.  zfs destroy -r is the point of no return.
 *
 * Pkgbase images (jailer:source=pkgbase, recorded by image fetch -p):
 * pkgbase_image_update() (pkgbase.c: pkg -r IMAGE upgrade against
 * FreeBSD-base) instead of freebsd-update, the same snapshots around it.
 *
 * Depends on: update_fbu, update (jail_release), image, host, zfs, undo,
 * validate, plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "host.h"
#include "image.h"
#include "imgupdate.h"
#include "pkgbase.h"
#include "plan.h"
#include "undo.h"
#include "update.h"
#include "validate.h"
#include "zfs.h"

/* N of the snapshot name pN, 0 for base, -1 for anything else. */
static int
snap_level(const char *s)
{
	if (strcmp(s, "base") == 0)
		return (0);
	if (s[0] != 'p' || s[1] == '\0' || s[1] == '0' ||
	    strspn(s + 1, "0123456789") != strlen(s + 1) || strlen(s) > 5)
		return (-1);
	return (atoi(s + 1));
}

/* The newest level of ds in a list of snapshot names; -1: no @base. */
static int
newest_level(const char *text, const char *ds)
{
	const char *p, *e;
	size_t n;
	int best, base, k;
	char name[64];

	n = strlen(ds);
	best = base = -1;
	for (p = text; *p != '\0'; p = *e == '\n' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if ((size_t)(e - p) <= n + 1 || strncmp(p, ds, n) != 0 ||
		    p[n] != '@' || (size_t)(e - p - n - 1) >= sizeof(name))
			continue;
		memcpy(name, p + n + 1, (size_t)(e - p - n - 1));
		name[e - p - n - 1] = '\0';
		if ((k = snap_level(name)) == 0)
			base = 0;
		else if (k > best)
			best = k;
	}
	return (base == -1 ? -1 : (best > 0 ? best : 0));
}

static int
level_of(struct jailer *jp, const char *ds)
{
	struct buf out;
	int k;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    "snapshot", "-d", "1", ds, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	k = newest_level(out.data, ds);
	buf_free(&out);
	return (k);
}

/*
 * The snapshot create copies: DS/image/REL@pN, the newest, or @base (also
 * for an image not fetched yet).  NULL on error.
 */
char *
image_newest_snap(struct jailer *jp, const char *dataset, const char *rel)
{
	struct buf out;
	char *ds, *s;
	int k;

	ds = xasprintf("%s/image/%s", dataset, rel);
	buf_init(&out);
	k = 0;
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    "snapshot", "-d", "1", ds, NULL) == 0)
		k = newest_level(out.data, ds);
	else if (strstr(jp->err, "does not exist") == NULL) {
		buf_free(&out);
		free(ds);
		return (NULL);
	}
	jp->err[0] = '\0';
	s = k > 0 ? xasprintf("%s@p%d", ds, k) : xasprintf("%s@base", ds);
	buf_free(&out);
	free(ds);
	return (s);
}

/* levels[i]: the patch level of the image names[i] (one zfs call). */
int
image_patch_levels(struct jailer *jp, char **names, size_t n, int *levels)
{
	const struct config *cf;
	struct buf out;
	char *ds;
	size_t i;

	for (i = 0; i < n; i++)
		levels[i] = 0;
	if (n == 0)
		return (0);
	if (config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/image", cf->dataset);
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    "snapshot", "-r", ds, NULL) != 0) {
		free(ds);
		buf_free(&out);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		char *one = xasprintf("%s/%s", ds, names[i]);

		levels[i] = newest_level(out.data, one);
		if (levels[i] < 0)
			levels[i] = 0;
		free(one);
	}
	free(ds);
	buf_free(&out);
	return (0);
}

/*
 * create: record on the new jail dataset the release it runs
 * (jailer:release), from the image snapshot it came from, or from the
 * source jail's record (-s); a source without a record gives none.
 */
int
image_record_release(struct jailer *jp, const char *dataset,
    const char *source, int from_jail)
{
	struct jailer scratch;
	const char *at, *slash;
	char *rel, *kv, *src;
	int rc, k;

	rel = NULL;
	at = strchr(source, '@');
	if (at == NULL)
		return (0);
	if (from_jail) {
		/* No record of the source: none for the copy either. */
		scratch = *jp;
		src = xstrndup(source, (size_t)(at - source));
		rc = jail_release(&scratch, src, &rel);
		free(src);
		if (rc == -1) {
			memcpy(jp->err, scratch.err, sizeof(jp->err));
			return (-1);
		}
	} else if ((k = snap_level(at + 1)) >= 0) {
		for (slash = at; slash > source && slash[-1] != '/'; slash--)
			;
		rel = k == 0 ? xstrndup(slash, (size_t)(at - slash)) :
		    xasprintf("%.*s-p%d", (int)(at - slash), slash, k);
	}
	if (rel == NULL)
		return (0);
	kv = xasprintf("jailer:release=%s", rel);
	rc = zfs(jp, 0, NULL, "set", kv, dataset, NULL) == 0 ? 0 : -1;
	free(kv);
	free(rel);
	return (rc);
}

/* 0: a base.txz image, 1: a pkgbase one, -1: neither (or none). */
static int
check_source(struct jailer *jp, const char *ds)
{
	char *v;
	int rc;

	if ((rc = zfs_get(jp, ds, "jailer:source", &v)) != 1)
		return (rc == 0 ? jailer_seterr(jp, "no such image") : -1);
	rc = 0;
	if (strcmp(v, "pkgbase") == 0)
		rc = 1;
	else if (strcmp(v, "-") != 0 && strcmp(v, "base.txz") != 0)
		rc = jailer_seterr(jp, "jailer:source=%s: unknown source",
		    v);
	free(v);
	return (rc);
}

static void
iu_plan(struct jailer *jp, const struct fbu *f, const char *ds,
    const char *old, int pkgbase)
{
	char *snap;

	plan_title(jp, "Updating the image %s (at %s) would:", ds, old);
	if (pkgbase)
		plan_item(jp, NULL, "change", "directory", f->basedir, NULL,
		    NULL, "pkg -r %s upgrade against FreeBSD-base (pkgbase)",
		    f->basedir);
	else
		fbu_plan(jp, f, NULL);
	snap = xasprintf("%s@pN", ds);
	plan_item(jp, NULL, "create", "snapshot", snap, NULL, NULL,
	    "zfs snapshot %s (N: the patch level installed)", snap);
	free(snap);
	plan_title(jp, "On any failure: zfs rollback %s.", old);
}

/* A snapshot @pN of ds for the release to (newer than level). */
static int
snap_level_of(struct jailer *jp, struct undo *u, const char *ds,
    const char *to, int level, struct buf *notes)
{
	const char *destroy[] = { "zfs", "destroy", NULL, NULL };
	struct release r;
	char *snap;
	int rc;

	if (release_parse(to, &r) == -1 || r.patch <= level)
		return (jailer_seterr(jp, "the image would be at %s, not a "
		    "newer patch level", to));
	snap = xasprintf("%s@p%d", ds, r.patch);
	rc = zfs(jp, 0, NULL, "snapshot", snap, NULL) == 0 ? 0 : -1;
	destroy[2] = snap;
	if (rc == 0) {
		undo_cmd(u, destroy);
		buf_addf(notes, "the image is at %s: new jails copy %s\n",
		    to, snap);
	}
	free(snap);
	return (rc);
}

/* A pkgbase image: pkg -r IMAGE upgrade (pkgbase.c), then @pN. */
static int
iu_pkgbase(struct jailer *jp, struct undo *u, const char *ds,
    const char *old, int level, struct buf *notes)
{
	const char *back[] = { "zfs", "rollback", old, NULL };
	char *rel, *to;
	int rc;

	undo_cmd(u, back);
	rel = xstrdup(strrchr(ds, '/') + 1);
	to = NULL;
	rc = pkgbase_image_update(jp, u, rel, &to);
	if (rc == 0 && to == NULL) {
		buf_addf(notes, "nothing to install: the image is at %s\n",
		    strchr(old, '@') + 1);
		rc = 1;
	} else if (rc == 0)
		rc = snap_level_of(jp, u, ds, to, level, notes);
	free(rel);
	free(to);
	return (rc);
}

/* The steps after the check. 1: nothing to install. */
static int
iu_steps(struct jailer *jp, struct undo *u, struct fbu *f, const char *ds,
    const char *old, int level, int pkgbase, struct buf *notes)
{
	const char *back[] = { "zfs", "rollback", old, NULL };
	struct fbu_result res;
	struct release r;
	int rc;

	if (pkgbase)
		return (iu_pkgbase(jp, u, ds, old, level, notes));
	if (fbu_open(jp, f) == -1)
		return (-1);
	undo_cmd(u, back);
	if (fbu_fetch(jp, f, NULL, &res) == -1)
		return (-1);
	buf_adds(notes, res.notes.len > 0 ? res.notes.data : "");
	rc = 0;
	if (res.nothing) {
		buf_addf(notes, "nothing to install: the image is at %s\n",
		    res.to);
		rc = 1;
	} else if (release_parse(res.to, &r) == -1 || r.patch <= level)
		rc = jailer_seterr(jp, "freebsd-update installs %s, not a "
		    "newer patch level", res.to);
	if (rc == 0 && (jailer_interrupted || fbu_install(jp, f) == -1))
		rc = jailer_interrupted ? jailer_seterr(jp, "interrupted") :
		    -1;
	if (rc == 0)
		rc = snap_level_of(jp, u, ds, res.to, level, notes);
	fbu_result_free(&res);
	if (rc == 0 && jailer_interrupted)
		rc = jailer_seterr(jp, "interrupted");
	return (rc);
}

/*
 * jailer image update [-D] release.  0: a new @pN, 1: nothing to
 * install, -1: failed and undone.  dry 1: print the plan, 2: only check.
 */
int
image_update(struct jailer *jp, const char *rel, int dry, struct buf *notes)
{
	const struct config *cf;
	struct undo u;
	struct fbu f;
	char *ds, *old, *run, *tag, *root;
	int level, pkgbase, rc;

	if (valid_image_release(jp, rel, NULL) == -1 ||
	    config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/image/%s", cf->dataset, rel);
	level = -1;
	if ((pkgbase = check_source(jp, ds)) == -1 ||
	    (level = level_of(jp, ds)) < 0) {
		if (level < 0 && jp->err[0] == '\0')
			jailer_seterr(jp, "no such image");
		free(ds);
		return (-1);
	}
	old = level > 0 ? xasprintf("%s@p%d", ds, level) :
	    xasprintf("%s@base", ds);
	run = level > 0 ? xasprintf("%s-p%d", rel, level) : xstrdup(rel);
	tag = xasprintf("image-%s", rel);
	root = config_path("image/%s", rel);
	fbu_init(&f, tag, root, run);
	rc = 0;
	if (dry == 2 && pkgbase)
		rc = pkgbase_check(jp, rel);
	else if (dry == 1)
		iu_plan(jp, &f, ds, old, pkgbase);
	else if (dry == 0) {
		undo_init(&u);
		rc = iu_steps(jp, &u, &f, ds, old, level, pkgbase, notes);
		fbu_close(jp, &f);
		if (rc != 0)
			undo_run(jp, &u);
		else
			undo_commit(&u);
	}
	fbu_close(jp, &f);
	free(ds);
	free(old);
	free(run);
	free(tag);
	free(root);
	return (rc);
}

/* The first dataset below jailer's whose origin is a snapshot of ds. */
static int
find_clone(struct jailer *jp, const char *top, const char *ds, char **who)
{
	struct buf out;
	char *line, *tab;
	size_t pos, n;

	*who = NULL;
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name,origin", "-t",
	    "filesystem", "-r", top, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	n = strlen(ds);
	pos = 0;
	while (*who == NULL && (line = buf_nextline(&out, &pos)) != NULL) {
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		if (strncmp(tab, ds, n) == 0 && tab[n] == '@')
			*who = xasprintf("%s (a clone of %s)", line, tab);
	}
	buf_free(&out);
	return (0);
}

/* Remove the plain path p if it is there (a file or a tree). */
static void
drop_path(struct jailer *jp, const char *p)
{
	char *hp;

	hp = host_path(p);
	if (dir_exists(hp))
		(void)tree_remove(jp, hp);
	else
		(void)unlink(hp);
	free(hp);
}

/* jailer image destroy [-D] release (dry 1: the plan, 2: only check). */
int
image_destroy(struct jailer *jp, const char *rel, int dry)
{
	const struct config *cf;
	struct undo u;
	char *ds, *who, *def, *deff, *cache, *work;
	int rc, isdef;

	if (valid_image_release(jp, rel, NULL) == -1 ||
	    config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/image/%s", cf->dataset, rel);
	def = NULL;
	who = NULL;
	rc = zfs_exists(jp, ds);
	if (rc == 0)
		jailer_seterr(jp, "no such image");
	if (rc != 1 || find_clone(jp, cf->dataset, ds, &who) == -1 ||
	    (isdef = image_default(jp, &def)) == -1) {
		free(ds);
		return (-1);
	}
	if (who != NULL) {
		jailer_seterr(jp, "%s depends on it; destroy that first", who);
		free(who);
		free(ds);
		free(def);
		return (-1);
	}
	isdef = isdef == 1 && strcmp(def, rel) == 0;
	deff = config_path("image/.default");
	cache = config_path("image/dist-files/base-%s.txz", rel);
	work = config_path("%s/image-%s", FBU_DIR, rel);
	rc = 0;
	if (dry == 2)
		;
	else if (dry) {
		plan_title(jp, "Destroying the image %s would:", rel);
		if (isdef)
			plan_item(jp, NULL, "remove", "default image", deff,
			    rel, NULL, "remove %s (it is the default image)",
			    deff);
		plan_item(jp, NULL, "remove", "dataset", ds, NULL, NULL,
		    "zfs destroy -r %s", ds);
		plan_item(jp, NULL, "remove", "file", cache, NULL, NULL,
		    "remove %s", cache);
		plan_item(jp, NULL, "remove", "directory", work, NULL, NULL,
		    "remove %s", work);
	} else {
		undo_init(&u);
		if (isdef) {
			char *hp = host_path(deff);

			if (undo_save_file(jp, &u, hp) == -1 ||
			    unlink(hp) == -1)
				rc = jailer_seterrno(jp, "%s", deff);
			free(hp);
		}
		if (rc == 0 && (jailer_interrupted || zfs(jp, 0, NULL,
		    "destroy", "-r", ds, NULL) != 0))
			rc = jailer_interrupted ? jailer_seterr(jp,
			    "interrupted") : -1;
		if (rc == -1)
			undo_run(jp, &u);
		else {
			undo_commit(&u);
			drop_path(jp, cache);
			drop_path(jp, work);
		}
	}
	free(ds);
	free(def);
	free(deff);
	free(cache);
	free(work);
	return (rc);
}
