/*
 * Fetching an image is one transaction: download base.txz beside the
 * cache, check its SHA-256 against the release's MANIFEST, create the
 * dataset, extract, snapshot @base.  Any failure undoes every step, so a
 * failed fetch leaves no dataset and no tarball behind.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "host.h"
#include "image.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

/* The mirror's base URL from FreeBSD_mirror, without trailing slashes. */
char *
mirror_get(struct jailer *jp)
{
	const char *env;
	char *m;
	size_t n;

	env = getenv("FreeBSD_mirror");
	if (env == NULL || *env == '\0')
		env = DEFAULT_MIRROR;
	if (valid_mirror(jp, env) == -1)
		return (NULL);
	m = xstrdup(env);
	n = strlen(m);
	while (n > 0 && m[n - 1] == '/')
		m[--n] = '\0';
	return (m);
}

static int
is_sha256(const char *s)
{
	size_t i;

	for (i = 0; i < SHA256_HEX; i++)
		if (!isxdigit((unsigned char)s[i]))
			return (0);
	return (s[SHA256_HEX] == '\0');
}

/*
 * Find file's SHA-256 in a MANIFEST (tab-separated: name, sha256, count,
 * dist, description, default).  Exactly one well-formed line must name
 * the file.
 */
int
manifest_sha256(struct jailer *jp, const char *text, const char *file,
    char hex[SHA256_HEX + 1])
{
	const char *line, *end, *tab1, *tab2;
	size_t flen, i;
	int found;

	flen = strlen(file);
	found = 0;
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		tab1 = memchr(line, '\t', (size_t)(end - line));
		if (tab1 == NULL || (size_t)(tab1 - line) != flen ||
		    strncmp(line, file, flen) != 0)
			continue;
		tab2 = memchr(tab1 + 1, '\t', (size_t)(end - tab1 - 1));
		if (tab2 == NULL)
			tab2 = end;
		if (tab2 - tab1 - 1 != SHA256_HEX)
			return (jailer_seterr(jp, "MANIFEST: malformed "
			    "checksum for %s", file));
		if (found++)
			return (jailer_seterr(jp, "MANIFEST: %s is listed "
			    "more than once", file));
		for (i = 0; i < SHA256_HEX; i++)
			hex[i] = (char)tolower((unsigned char)tab1[1 + i]);
		hex[SHA256_HEX] = '\0';
		if (!is_sha256(hex))
			return (jailer_seterr(jp, "MANIFEST: malformed "
			    "checksum for %s", file));
	}
	if (!found)
		return (jailer_seterr(jp, "MANIFEST: no entry for %s", file));
	return (0);
}

static int
release_order(const void *a, const void *b)
{
	struct release ra, rb;

	release_parse(*(char *const *)a, &ra);
	release_parse(*(char *const *)b, &rb);
	return (release_cmp(&ra, &rb));
}

/* Sort release names oldest first (they must all parse). */
void
releases_sort(char **names, size_t n)
{
	if (n > 1)
		qsort(names, n, sizeof(*names), release_order);
}

/* Add name to v unless it is there already. */
static void
strv_add_unique(char ***v, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(name);
}

/*
 * The releases named by links in a mirror's HTML directory index
 * (href="14.3-RELEASE/"), sorted and without duplicates.
 */
size_t
index_releases(const char *html, char ***names)
{
	struct jailer scratch;
	const char *p, *e;
	char cand[40];
	size_t n, len;

	*names = NULL;
	n = 0;
	for (p = html; (p = strstr(p, "href=\"")) != NULL; p = e) {
		p += 6;
		if ((e = strchr(p, '"')) == NULL)
			break;
		if (str_has_prefix(p, "./"))
			p += 2;
		len = (size_t)(e - p);
		if (len > 0 && p[len - 1] == '/')
			len--;
		if (len == 0 || len >= sizeof(cand))
			continue;
		memcpy(cand, p, len);
		cand[len] = '\0';
		if (valid_image_release(&scratch, cand, NULL) == 0)
			strv_add_unique(names, &n, cand);
	}
	releases_sort(*names, n);
	return (n);
}

/*
 * The images in "zfs list -H -o name -t snapshot" output under prefix
 * (DS/image): RELEASE for each prefix/RELEASE@base, sorted, unique.
 */
void
image_names_parse(char *text, const char *prefix, char ***names, size_t *n)
{
	struct jailer scratch;
	char *line, *rel, *at, *save;
	size_t plen;

	*names = NULL;
	*n = 0;
	plen = strlen(prefix);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, prefix, plen) != 0 || line[plen] != '/')
			continue;
		rel = line + plen + 1;
		if ((at = strchr(rel, '@')) == NULL || strcmp(at, "@base") != 0)
			continue;
		*at = '\0';
		if (valid_image_release(&scratch, rel, NULL) == 0)
			strv_add_unique(names, n, rel);
	}
	releases_sort(*names, *n);
}

/* The installed images: DS/image/RELEASE datasets that have @base. */
int
image_local(struct jailer *jp, char ***names, size_t *n)
{
	const struct config *cf;
	struct buf out;
	char *prefix;

	*names = NULL;
	*n = 0;
	if (config_get(jp, &cf) == -1)
		return (-1);
	prefix = xasprintf("%s/image", cf->dataset);
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    "snapshot", "-r", prefix, NULL) != 0) {
		free(prefix);
		buf_free(&out);
		if (strstr(jp->err, "does not exist") != NULL)
			return (0);
		return (-1);
	}
	image_names_parse(out.data, prefix, names, n);
	free(prefix);
	buf_free(&out);
	return (0);
}

/* 1 if DS/image/RELEASE@base exists, 0 if not, -1 on error. */
int
image_exists(struct jailer *jp, const char *rel)
{
	const struct config *cf;
	char *snap;
	int rc;

	if (config_get(jp, &cf) == -1)
		return (-1);
	snap = xasprintf("%s/image/%s@base", cf->dataset, rel);
	rc = zfs_exists(jp, snap);
	free(snap);
	return (rc);
}

/*
 * The default image from image/.default.  Returns 1 and the name, 0 if
 * none is set, -1 on error or when the file holds garbage.
 */
int
image_default(struct jailer *jp, char **rel)
{
	int rc;

	if ((rc = config_file_read(jp, "image/.default", rel)) != 1)
		return (rc);
	if (valid_image_release(jp, *rel, NULL) == -1) {
		free(*rel);
		*rel = NULL;
		return (-1);
	}
	return (1);
}

/* Refuse an image newer than the host's release (jails run its kernel). */
int
image_check_host(struct jailer *jp, const char *rel)
{
	const struct host *h;
	struct release r, hr;

	if (valid_image_release(jp, rel, &r) == -1 || host_get(jp, &h) == -1)
		return (-1);
	hr = h->release;
	hr.patch = 0;
	if (r.major > hr.major || (r.major == hr.major && r.minor > hr.minor))
		return (jailer_seterr(jp, "newer than the host's release %s; "
		    "a jail runs the host's kernel", h->release_str));
	return (0);
}

/* Check a downloaded file against the expected SHA-256. */
static int
verify_sha256(struct jailer *jp, const char *path, const char *want)
{
	const char *argv[] = { "sha256", "-q", path, NULL };
	struct buf out;
	char *got;
	int rc;

	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	got = str_trim(out.data);
	for (char *p = got; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	rc = 0;
	if (!is_sha256(got) || strcmp(got, want) != 0)
		rc = jailer_seterr(jp, "%s: SHA-256 mismatch: MANIFEST says "
		    "%s, the file has %s", path, want, vis(got));
	buf_free(&out);
	return (rc);
}

/* The file system path of a host path under JAILER_ROOT. */
static char *
fs(const char *hostpath)
{
	return (host_path(hostpath));
}

/*
 * Make sure a verified base.txz for rel is in the cache; dist is the
 * cache directory (a host path).  Pushes the removal of a freshly
 * downloaded tarball onto u.
 */
static int
fetch_tarball(struct jailer *jp, struct undo *u, const char *url,
    const char *dist, const char *rel, int progress)
{
	const char *mget[] = { "fetch", "-q", "-o", "-", NULL, NULL };
	const char *tget[] = { "fetch", "-q", "-o", NULL, NULL, NULL };
	char hex[SHA256_HEX + 1];
	char *murl, *turl, *tarball, *part, *ftar, *fpart;
	struct buf manifest;
	int rc;

	murl = xasprintf("%s/MANIFEST", url);
	turl = xasprintf("%s/base.txz", url);
	tarball = xasprintf("%s/base-%s.txz", dist, rel);
	part = xasprintf("%s.part", tarball);
	ftar = fs(tarball);
	fpart = fs(part);
	buf_init(&manifest);
	rc = -1;
	mget[4] = murl;
	if (run(jp, mget, &manifest, RUN_RO) != 0)
		goto out;
	if (manifest_sha256(jp, manifest.data, "base.txz", hex) == -1) {
		jailer_seterr(jp, "%s: %s", murl, vis(jp->err));
		goto out;
	}
	if (file_exists(ftar) && verify_sha256(jp, tarball, hex) == 0) {
		rc = 0;
		goto out;
	}
	if (progress) {
		tget[1] = "-o";
		tget[2] = part;
		tget[3] = turl;
		tget[4] = NULL;
	} else {
		tget[3] = part;
		tget[4] = turl;
	}
	undo_unlink(u, fpart);
	if (run(jp, tget, NULL, progress ? RUN_STDERR : 0) != 0)
		goto out;
	if (verify_sha256(jp, part, hex) == -1)
		goto out;
	if (rename(fpart, ftar) == -1) {
		jailer_seterrno(jp, "rename %s", part);
		goto out;
	}
	undo_unlink(u, ftar);
	rc = 0;
out:
	buf_free(&manifest);
	free(murl);
	free(turl);
	free(tarball);
	free(part);
	free(ftar);
	free(fpart);
	return (rc);
}

/*
 * A dataset DS/image/rel without @base is the remains of an interrupted
 * fetch: remove it (saying so).  A dataset there that jailer did not
 * make is an error.  Call before printing "Fetching".
 */
int
image_clean_partial(struct jailer *jp, const char *rel)
{
	const struct config *cf;
	char *ds, *snap, *managed;
	int rc;

	if (config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/image/%s", cf->dataset, rel);
	snap = xasprintf("%s@base", ds);
	managed = NULL;
	if ((rc = zfs_exists(jp, snap)) != 0) {
		rc = rc == 1 ? 0 : -1;
		goto out;
	}
	if ((rc = zfs_get(jp, ds, "jailer:managed", &managed)) != 1)
		goto out;
	rc = -1;
	if (strcmp(managed, "image") != 0) {
		jailer_seterr(jp, "%s exists and is not a jailer image; rename "
		    "or destroy it first", ds);
		goto out;
	}
	jailer_warnx(rel, "removing %s, left incomplete by an earlier fetch",
	    ds);
	if (zfs(jp, 0, NULL, "destroy", "-r", ds, NULL) != 0)
		goto out;
	rc = 0;
out:
	free(ds);
	free(snap);
	free(managed);
	return (rc);
}

/* The image parent dataset and the dist-files directory, if missing. */
static int
fetch_prepare(struct jailer *jp, struct undo *u, const char *parent,
    const char *fdist)
{
	int created;

	if ((created = zfs_exists(jp, parent)) == -1)
		return (-1);
	if (!created) {
		if (zfs(jp, 0, NULL, "create", parent, NULL) != 0)
			return (-1);
		undo_zfs_destroy(u, parent);
	}
	if (mkdir_p(jp, fdist, 0755, &created) == -1)
		return (-1);
	if (created)
		undo_rmdir(u, fdist);
	return (0);
}

/* A new image dataset ds with the tarball extracted, snapshot snap. */
static int
fetch_extract(struct jailer *jp, struct undo *u, const char *ds,
    const char *snap, const char *tarball)
{
	const char *tar[] = { "tar", "-x", "-f", NULL, "-C", NULL, NULL };
	char *mp;
	int rc;

	if (zfs(jp, 0, NULL, "create", "-o", "jailer:managed=image", ds,
	    NULL) != 0)
		return (-1);
	undo_zfs_destroy(u, ds);
	mp = NULL;
	rc = -1;
	if (zfs_get(jp, ds, "mountpoint", &mp) != 1)
		goto out;
	if (mp[0] != '/') {
		jailer_seterr(jp, "%s: mountpoint is '%s'", ds, vis(mp));
		goto out;
	}
	tar[3] = tarball;
	tar[5] = mp;
	if (run(jp, tar, NULL, 0) != 0 ||
	    zfs(jp, 0, NULL, "snapshot", snap, NULL) != 0)
		goto out;
	rc = 0;
out:
	free(mp);
	return (rc);
}

/*
 * Fetch rel into DS/image/rel@base.  progress lets fetch(1) show its
 * progress on stderr.
 */
int
image_fetch(struct jailer *jp, const char *rel, int progress)
{
	const struct config *cf;
	const struct host *h;
	struct undo u;
	char *mirror, *url, *parent, *ds, *snap, *dist, *fdist, *tarball;
	int rc;

	if (config_get(jp, &cf) == -1 || host_get(jp, &h) == -1 ||
	    image_check_host(jp, rel) == -1)
		return (-1);
	if ((mirror = mirror_get(jp)) == NULL)
		return (-1);
	undo_init(&u);
	url = xasprintf("%s/releases/%s/%s/%s", mirror, h->arch,
	    h->machine_arch, rel);
	parent = xasprintf("%s/image", cf->dataset);
	ds = xasprintf("%s/%s", parent, rel);
	snap = xasprintf("%s@base", ds);
	dist = config_path("image/dist-files");
	fdist = fs(dist);
	tarball = xasprintf("%s/base-%s.txz", dist, rel);
	rc = -1;

	if ((rc = zfs_exists(jp, snap)) != 0) {
		if (rc == 1)
			jailer_seterr(jp, "image already exists");
		rc = -1;
		goto out;
	}
	if (image_clean_partial(jp, rel) == -1) {
		rc = -1;
		goto out;
	}
	rc = -1;
	if (fetch_prepare(jp, &u, parent, fdist) == -1 ||
	    fetch_tarball(jp, &u, url, dist, rel, progress) == -1 ||
	    fetch_extract(jp, &u, ds, snap, tarball) == -1)
		goto out;
	rc = 0;
out:
	if (rc == 0)
		undo_commit(&u);
	else
		undo_run(jp, &u);
	free(mirror);
	free(url);
	free(parent);
	free(ds);
	free(snap);
	free(dist);
	free(fdist);
	free(tarball);
	return (rc);
}
