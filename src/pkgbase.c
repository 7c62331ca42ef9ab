/*
 * pkgbase: images and jails installed and patched from FreeBSD's own
 * package repository, FreeBSD-base (FreeBSD 15.0 and later).
 *
 * pkg runs on the host with -r ROOT (the image or jail root), against a
 * repository configuration jailer writes for that one run into a private
 * directory (/var/run/jailer-pkgbase.XXXXXX, removed afterwards) and
 * passes with -R: the only repository is FreeBSD-base at the mirror, and
 * its `fingerprints` directory is the HOST's /usr/share/keys/pkgbase-N,
 * never keys from the mirror or from a jail.  The host's own package
 * database, /etc/pkg and /usr/local/etc/pkg are not used.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "host.h"
#include "image.h"
#include "pkgbase.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

struct repo {
	char	*dir;		/* host path of the -R directory */
	char	*conf;		/* its FreeBSD-base.conf */
	char	*abi;		/* FreeBSD:15:amd64 */
	char	*keys;		/* the host's key directory */
	int	 made;		/* dir exists (remove it) */
};

/* FreeBSD_pkgbase_mirror (default pkg.FreeBSD.org), no trailing '/'. */
static char *
pkgbase_mirror(struct jailer *jp)
{
	const char *env, *p;
	char *m;
	size_t n;

	env = getenv("FreeBSD_pkgbase_mirror");
	if (env == NULL || *env == '\0')
		env = PKGBASE_MIRROR;
	if (!str_has_prefix(env, "https://") &&
	    !str_has_prefix(env, "http://") &&
	    !str_has_prefix(env, "pkg+https://") &&
	    !str_has_prefix(env, "pkg+http://") &&
	    !str_has_prefix(env, "file:///")) {
		jailer_seterr(jp, "FreeBSD_pkgbase_mirror '%s': must be an "
		    "http://, https://, pkg+https:// or file:/// URL", vis(env));
		return (NULL);
	}
	for (p = env; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr(":/._~%+@=-", *p) ==
		    NULL)
			break;
	if (*p != '\0' || strlen(env) > 512 || strstr(env, "/../") != NULL) {
		jailer_seterr(jp, "FreeBSD_pkgbase_mirror '%s': invalid "
		    "character in URL", vis(env));
		return (NULL);
	}
	m = xstrdup(env);
	n = strlen(m);
	while (n > 0 && m[n - 1] == '/')
		m[--n] = '\0';
	return (m);
}

/* The host's key directory for FreeBSD-base of major version major. */
static char *
keys_dir(int major)
{
	return (xasprintf("/usr/share/keys/pkgbase-%d", major));
}

/*
 * Whether rel can come from pkgbase on this host: an N.N-RELEASE of 15.0
 * or later, the host's signing keys for it, a valid mirror, and pkg(8)
 * on the host.
 */
int
pkgbase_check(struct jailer *jp, const char *rel)
{
	const char *pkgn[] = { "pkg", "-N", NULL };
	struct release r;
	struct buf out;
	char *keys, *trusted, *mirror, *hp;
	int rc;

	if (valid_image_release(jp, rel, &r) == -1)
		return (-1);
	if (r.kind != REL_RELEASE || r.major < 15)
		return (jailer_seterr(jp, "pkgbase needs 15.0-RELEASE or later "
		    "(FreeBSD 14 has no supported FreeBSD-base repository); "
		    "fetch %s without -p", rel));
	keys = keys_dir(r.major);
	trusted = xasprintf("%s/trusted", keys);
	rc = 0;
	hp = host_path(trusted);
	if (!dir_exists(hp))
		rc = jailer_seterr(jp, "the host has no FreeBSD-base signing "
		    "keys for FreeBSD %d (%s): pkgbase images need a FreeBSD "
		    "%d or later host", r.major, trusted, r.major);
	free(hp);
	free(keys);
	free(trusted);
	if (rc == -1)
		return (-1);
	if ((mirror = pkgbase_mirror(jp)) == NULL)
		return (-1);
	free(mirror);
	buf_init(&out);
	rc = run(jp, pkgn, &out, RUN_RO);
	buf_free(&out);
	if (rc != 0 && strstr(jp->err, "not installed") != NULL)
		return (jailer_seterr(jp, "pkg(8) is not installed on the host "
		    "(run 'pkg bootstrap' first)"));
	if (rc != 0)
		return (-1);
	return (0);
}

/* Write the one-run repository configuration for release r. */
static int
repo_open(struct jailer *jp, const struct release *r, struct repo *rp)
{
	const struct host *h;
	struct buf conf;
	char *mirror, *keys, *real;
	int rc;

	memset(rp, 0, sizeof(*rp));
	if (host_get(jp, &h) == -1 || (mirror = pkgbase_mirror(jp)) == NULL)
		return (-1);
	rp->abi = xasprintf("FreeBSD:%d:%s", r->major, h->machine_arch);
	keys = keys_dir(r->major);
	buf_init(&conf);
	buf_addf(&conf, "# jailer: FreeBSD-base for %d.%d-RELEASE, for one "
	    "pkg run.\n# Trusted keys: the host's %s only.\n"
	    "FreeBSD-base: {\n  url: \"%s/%s/base_release_%d\",\n"
	    "  mirror_type: \"%s\",\n  signature_type: \"fingerprints\",\n"
	    "  fingerprints: \"%s\",\n  enabled: yes\n}\n", r->major, r->minor,
	    keys, mirror, rp->abi, r->minor,
	    str_has_prefix(mirror, "pkg+") ? "srv" : "none", keys);
	free(mirror);
	rp->keys = keys;
	rc = -1;
	if (jp->dryrun) {
		rp->dir = xstrdup("/var/run/jailer-pkgbase.XXXXXX");
		rp->conf = xasprintf("%s/FreeBSD-base.conf", rp->dir);
		printf("write %s:\n%s", rp->conf, conf.data);
		rc = 0;
		goto out;
	}
	real = host_path("/var/run/jailer-pkgbase.XXXXXX");
	if (mkdtemp(real) == NULL) {
		jailer_seterrno(jp, "mkdtemp /var/run/jailer-pkgbase.XXXXXX");
		free(real);
		goto out;
	}
	rp->made = 1;
	rp->dir = xasprintf("/var/run/%s", strrchr(real, '/') + 1);
	rp->conf = xasprintf("%s/FreeBSD-base.conf", rp->dir);
	free(real);
	real = host_path(rp->conf);
	rc = file_write_atomic(jp, real, conf.data, conf.len, 0644);
	free(real);
out:
	buf_free(&conf);
	return (rc);
}

/* Remove the repository configuration (whatever happened). */
static void
repo_close(struct repo *rp)
{
	char *real;

	if (rp->made) {
		real = host_path(rp->conf);
		(void)unlink(real);
		free(real);
		real = host_path(rp->dir);
		(void)rmdir(real);
		free(real);
	}
	free(rp->dir);
	free(rp->conf);
	free(rp->abi);
	free(rp->keys);
	memset(rp, 0, sizeof(*rp));
}

/* pkg -o ABI=... -R DIR -r ROOT CMD... (CMD NULL-terminated, <= 8). */
static int
pkg_root(struct jailer *jp, const struct repo *rp, const char *root,
    const char *const *cmd)
{
	const char *argv[20];
	struct buf out;
	char *abi;
	size_t n;
	int rc;

	abi = xasprintf("ABI=%s", rp->abi);
	n = 0;
	argv[n++] = "pkg";
	argv[n++] = "-o";
	argv[n++] = abi;
	argv[n++] = "-o";
	argv[n++] = "IGNORE_OSVERSION=yes";
	argv[n++] = "-R";
	argv[n++] = rp->dir;
	argv[n++] = "-r";
	argv[n++] = root;
	for (size_t i = 0; cmd[i] != NULL && n < 19; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	buf_init(&out);
	rc = run(jp, argv, &out, 0);
	buf_free(&out);
	free(abi);
	if (rc != 0) {
		abi = xstrdup(jp->err);
		jailer_seterr(jp, "%s (FreeBSD-base must be signed by a key in "
		    "the host's %s)", abi, rp->keys);
		free(abi);
		return (-1);
	}
	return (0);
}

/* DS/image/rel and its mountpoint. */
static int
image_root(struct jailer *jp, const char *rel, char **ds, char **mp)
{
	const struct config *cf;
	int rc;

	*ds = *mp = NULL;
	if (config_get(jp, &cf) == -1)
		return (-1);
	*ds = xasprintf("%s/image/%s", cf->dataset, rel);
	if ((rc = zfs_get(jp, *ds, "mountpoint", mp)) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "no image %s", rel);
		return (-1);
	}
	if ((*mp)[0] != '/')
		return (jailer_seterr(jp, "%s: mountpoint is '%s'", *ds,
		    vis(*mp)));
	return (0);
}

/* The image parent dataset, if missing. */
static int
parent_prepare(struct jailer *jp, struct undo *u, const char *ds)
{
	char *parent;
	int rc;

	parent = xstrdup(ds);
	*strrchr(parent, '/') = '\0';
	if ((rc = zfs_exists(jp, parent)) == 0) {
		rc = zfs(jp, 0, NULL, "create", parent, NULL) == 0 ? 1 : -1;
		if (rc == 1)
			undo_zfs_destroy(u, parent);
	}
	free(parent);
	return (rc == -1 ? -1 : 0);
}

/*
 * jailer image fetch -p rel: DS/image/rel (jailer:source=pkgbase) with
 * FreeBSD-set-minimal-jail installed by pkg -r, then @base.  Everything
 * is undone on failure.
 */
int
pkgbase_fetch(struct jailer *jp, const char *rel)
{
	const char *inst[] = { "install", "-y", "-r", "FreeBSD-base",
	    PKGBASE_SET, NULL };
	const struct config *cf;
	struct release r;
	struct repo rp;
	struct undo u;
	char *ds, *snap, *mp;
	int rc;

	if (pkgbase_check(jp, rel) == -1 || image_check_host(jp, rel) == -1 ||
	    release_parse(rel, &r) == -1 || config_get(jp, &cf) == -1)
		return (-1);
	undo_init(&u);
	memset(&rp, 0, sizeof(rp));
	mp = NULL;
	ds = xasprintf("%s/image/%s", cf->dataset, rel);
	snap = xasprintf("%s@base", ds);
	rc = -1;
	if (parent_prepare(jp, &u, ds) == -1 ||
	    zfs(jp, 0, NULL, "create", "-o", "jailer:managed=image", "-o",
	    "jailer:source=pkgbase", ds, NULL) != 0)
		goto out;
	undo_zfs_destroy(&u, ds);
	if (jp->dryrun)
		mp = xasprintf("(mountpoint of %s)", ds);
	else if (zfs_get(jp, ds, "mountpoint", &mp) != 1 || mp[0] != '/') {
		if (mp != NULL)
			jailer_seterr(jp, "%s: mountpoint is '%s'", ds, vis(mp));
		goto out;
	}
	if (repo_open(jp, &r, &rp) == -1 || pkg_root(jp, &rp, mp, inst) == -1 ||
	    zfs(jp, 0, NULL, "snapshot", snap, NULL) != 0)
		goto out;
	rc = 0;
out:
	repo_close(&rp);
	if (rc == 0)
		undo_commit(&u);
	else
		undo_run(jp, &u);
	free(ds);
	free(snap);
	free(mp);
	return (rc);
}

/* 1 if the image of rel was installed from pkgbase, 0 if not, -1. */
int
pkgbase_is_image(struct jailer *jp, const char *rel)
{
	const struct config *cf;
	char *ds, *v;
	int rc;

	if (valid_image_release(jp, rel, NULL) == -1 ||
	    config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/image/%s", cf->dataset, rel);
	rc = zfs_get(jp, ds, "jailer:source", &v);
	if (rc == 0)
		jailer_seterr(jp, "no image %s", rel);
	else if (rc == 1)
		rc = strcmp(v, "pkgbase") == 0;
	if (rc == 0 && jp->err[0] != '\0' && strstr(jp->err, "no image"))
		rc = -1;
	free(ds);
	free(v);
	return (rc);
}

/*
 * The patch level a FreeBSD-runtime version names: "15.0p1" of
 * 15.0-RELEASE is 15.0-RELEASE-p1 (and "15.0" the release itself).
 */
static char *
level_name(const struct release *r, const char *ver)
{
	char want[32];
	size_t n;
	const char *p;

	snprintf(want, sizeof(want), "%d.%d", r->major, r->minor);
	n = strlen(want);
	if (strncmp(ver, want, n) != 0)
		return (NULL);
	p = ver + n;
	if (*p == '\0')
		return (xasprintf("%s-RELEASE", want));
	if (*p++ != 'p' || *p == '\0' || strlen(p) > 3 || *p == '0')
		return (NULL);
	for (const char *q = p; *q != '\0'; q++)
		if (!isdigit((unsigned char)*q))
			return (NULL);
	return (xasprintf("%s-RELEASE-p%s", want, p));
}

/* The installed FreeBSD-runtime version in root (a host-owned root). */
static char *
runtime_version(struct jailer *jp, const char *root)
{
	const char *argv[] = { "pkg", "-r", root, "query", "%v",
	    "FreeBSD-runtime", NULL };
	struct buf out;
	char *v;

	if (run_read(jp, argv, &out) != 0) {
		buf_free(&out);
		return (NULL);
	}
	v = xstrdup(str_trim(out.data));
	buf_free(&out);
	return (v);
}

/*
 * jailer image update of a pkgbase image: pkg -r IMAGE upgrade against
 * FreeBSD-base.  *newlevel: the new patch level (15.0-RELEASE-p1), or
 * NULL when there was nothing to install.  Pushes no undo: the caller
 * snapshots before and rolls the dataset back on failure.
 */
int
pkgbase_image_update(struct jailer *jp, struct undo *u, const char *rel,
    char **newlevel)
{
	const char *upg[] = { "upgrade", "-y", "-r", "FreeBSD-base", NULL };
	struct release r;
	struct repo rp;
	char *ds, *mp, *before, *after;
	int rc;

	(void)u;
	*newlevel = NULL;
	ds = mp = NULL;
	if ((rc = pkgbase_is_image(jp, rel)) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "%s was not installed from pkgbase",
			    rel);
		return (-1);
	}
	if (pkgbase_check(jp, rel) == -1 || release_parse(rel, &r) == -1 ||
	    image_root(jp, rel, &ds, &mp) == -1) {
		free(ds);
		free(mp);
		return (-1);
	}
	memset(&rp, 0, sizeof(rp));
	before = after = NULL;
	rc = -1;
	if ((before = runtime_version(jp, mp)) == NULL ||
	    repo_open(jp, &r, &rp) == -1 || pkg_root(jp, &rp, mp, upg) == -1)
		goto out;
	if (jp->dryrun || (after = runtime_version(jp, mp)) == NULL) {
		rc = jp->dryrun ? 0 : -1;
		goto out;
	}
	rc = 0;
	if (strcmp(before, after) != 0 &&
	    (*newlevel = level_name(&r, after)) == NULL)
		rc = jailer_seterr(jp, "%s: FreeBSD-runtime %s after the "
		    "upgrade is not a patch level of %s", ds, vis(after), rel);
out:
	repo_close(&rp);
	free(ds);
	free(mp);
	free(before);
	free(after);
	return (rc);
}

/* The release a jail records (jailer:release, else its image origin). */
static int
jail_release(struct jailer *jp, const char *name, struct release *r)
{
	const struct config *cf;
	char *ds, *v, *at, *slash;
	int rc;

	if (config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/%s", cf->dataset, name);
	v = NULL;
	rc = zfs_get(jp, ds, "jailer:release", &v);
	if (rc == 1 && strcmp(v, "-") == 0) {
		free(v);
		v = NULL;
		if ((rc = zfs_get(jp, ds, "origin", &v)) == 1) {
			at = strchr(v, '@');
			slash = NULL;
			for (char *q = v; at != NULL && q < at; q++)
				if (*q == '/')
					slash = q;
			if (at != NULL && slash != NULL) {
				*at = '\0';
				memmove(v, slash + 1, strlen(slash + 1) + 1);
			}
		}
	}
	if (rc == 0)
		jailer_seterr(jp, "%s: no such dataset", ds);
	if (rc == 1 && release_parse(v, r) == -1)
		rc = jailer_seterr(jp, "%s: cannot tell its release (jailer:"
		    "release and origin say '%s')", name, vis(v));
	free(ds);
	free(v);
	return (rc == 1 ? 0 : -1);
}

/*
 * The directories pkg -r writes base packages into must be directories,
 * not symlinks the jail's root planted (pkg -r would follow them on the
 * host).  The jail is stopped, so nothing changes them meanwhile.
 */
static int
root_check(struct jailer *jp, const char *root)
{
	static const char *const dirs[] = { "bin", "boot", "etc",
	    "etc/defaults", "etc/pkg", "lib", "libexec", "root", "sbin",
	    "usr", "usr/bin", "usr/lib", "usr/libexec", "usr/sbin",
	    "usr/share", "usr/share/misc", "var", "var/db", "var/db/pkg",
	    "var/log", "var/run", "var/tmp", "tmp", "dev", NULL };
	struct stat sb;
	char *p, *real;
	int rc;

	rc = 0;
	for (size_t i = 0; dirs[i] != NULL && rc == 0; i++) {
		p = xasprintf("%s/%s", root, dirs[i]);
		real = host_path(p);
		if (lstat(real, &sb) == 0 && !S_ISDIR(sb.st_mode))
			rc = jailer_seterr(jp, "%s is not a directory (a "
			    "symlink?): refusing to run pkg -r on it", p);
		free(real);
		free(p);
	}
	return (rc);
}

/*
 * jailer update / upgrade of a stopped pkgbase jail: pkg -r ROOT upgrade
 * against FreeBSD-base of its release (to: the release to upgrade to, or
 * NULL for the newest patch level of its own).  The jail's own
 * repository files and keys are not used.  Pushes no undo: the caller
 * snapshots before and rolls back on failure.
 */
int
pkgbase_jail_update(struct jailer *jp, struct undo *u, const char *name,
    const char *root, const char *to)
{
	const char *upg[] = { "upgrade", "-y", "-r", "FreeBSD-base", NULL };
	char rel[64];
	struct release cur, r;
	struct repo rp;
	int rc;

	(void)u;
	if (valid_jail_name(jp, name) == -1 || jail_release(jp, name,
	    &cur) == -1)
		return (-1);
	cur.patch = 0;
	r = cur;
	if (to != NULL) {
		if (valid_image_release(jp, to, &r) == -1)
			return (-1);
		if (release_cmp(&r, &cur) <= 0)
			return (jailer_seterr(jp, "%s: %s is not newer than its "
			    "release", name, to));
	}
	release_name(&r, rel, sizeof(rel));
	if (pkgbase_check(jp, rel) == -1 || root_check(jp, root) == -1)
		return (-1);
	rc = -1;
	if (repo_open(jp, &r, &rp) == 0 && pkg_root(jp, &rp, root, upg) == 0)
		rc = 0;
	repo_close(&rp);
	return (rc);
}

/*
 * The patch level FreeBSD-base offers for rel (15.0-RELEASE-p1), from
 * the signed catalogue (pkg -r ROOT rquery): what pkgbase_jail_update
 * or pkgbase_image_update just installed into root.  Never read from
 * the root's own files.
 */
int
pkgbase_level(struct jailer *jp, const char *rel, const char *root,
    char **level)
{
	struct release r;
	struct repo rp;
	struct buf out;
	const char *argv[16];
	char *abi;
	size_t n;
	int rc;

	*level = NULL;
	if (valid_image_release(jp, rel, &r) == -1 ||
	    repo_open(jp, &r, &rp) == -1)
		return (-1);
	abi = xasprintf("ABI=%s", rp.abi);
	n = 0;
	argv[n++] = "pkg";
	argv[n++] = "-o";
	argv[n++] = abi;
	argv[n++] = "-R";
	argv[n++] = rp.dir;
	argv[n++] = "-r";
	argv[n++] = root;
	argv[n++] = "rquery";
	argv[n++] = "-r";
	argv[n++] = "FreeBSD-base";
	argv[n++] = "%v";
	argv[n++] = "FreeBSD-runtime";
	argv[n] = NULL;
	rc = -1;
	if (jp->dryrun)
		rc = 0;
	else if (run_read(jp, argv, &out) == 0) {
		if ((*level = level_name(&r, str_trim(out.data))) == NULL)
			jailer_seterr(jp, "FreeBSD-base offers FreeBSD-runtime "
			    "'%s', not a patch level of %s", vis(out.data), rel);
		else
			rc = 0;
	}
	if (!jp->dryrun)
		buf_free(&out);
	repo_close(&rp);
	free(abi);
	return (rc);
}
