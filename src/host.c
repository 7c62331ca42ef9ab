/*
 * The host and jailer's configuration, each learnt once per run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "host.h"
#include "rcconf.h"
#include "undo.h"
#include "zfs.h"

static struct host host;
static int host_loaded;
static struct config config;
static int config_loaded;

/* One uname(1) call gives the release and the architecture. */
int
host_get(struct jailer *jp, const struct host **hp)
{
	static const char *const argv[] = { "uname", "-m", "-p", "-r", NULL };
	struct buf out;
	char *rel, *arch, *march;

	if (host_loaded) {
		*hp = &host;
		return (0);
	}
	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	/* uname prints the fields in its own order: release, machine, arch. */
	rel = str_trim(out.data);
	march = NULL;
	if ((arch = strchr(rel, ' ')) != NULL) {
		*arch++ = '\0';
		if ((march = strchr(arch, ' ')) != NULL)
			*march++ = '\0';
	}
	if (arch == NULL || march == NULL) {
		buf_free(&out);
		return (jailer_seterr(jp, "uname -m -p -r: unexpected output"));
	}
	if (*arch == '\0' || *march == '\0' || strlen(arch) >=
	    sizeof(host.arch) || strlen(march) >= sizeof(host.machine_arch) ||
	    strspn(arch, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
	    strlen(arch) || strspn(march,
	    "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(march) ||
	    strlen(rel) >= sizeof(host.release_str) ||
	    release_parse(rel, &host.release) == -1) {
		jailer_seterr(jp, "uname -m -p -r: cannot parse '%s %s %s'",
		    vis(rel), vis(arch), vis(march));
		buf_free(&out);
		return (-1);
	}
	strcpy(host.release_str, rel);
	strcpy(host.arch, arch);
	strcpy(host.machine_arch, march);
	buf_free(&out);
	host_loaded = 1;
	*hp = &host;
	return (0);
}

/*
 * NAME from /etc/rc.conf, overridden by /etc/rc.conf.local, the way
 * rc.subr reads them.  Returns 1 and the value, 0 if unset, -1 on error.
 */
int
host_rc_get(struct jailer *jp, const char *name, char **value)
{
	static const char *const files[] = { RC_CONF, RC_CONF_LOCAL };
	char *path, *v;
	size_t i;
	int rc, found;

	*value = NULL;
	found = 0;
	for (i = 0; i < nitems(files); i++) {
		path = host_path(files[i]);
		rc = rc_get(jp, path, name, &v);
		free(path);
		if (rc == -1) {
			free(*value);
			*value = NULL;
			return (-1);
		}
		if (rc == 1) {
			free(*value);
			*value = v;
			found = 1;
		}
	}
	return (found);
}

/*
 * Set NAME in the file that has the last word on it: /etc/rc.conf.local
 * when it assigns NAME, else /etc/rc.conf (as rc.subr reads them, the
 * local file wins).  The file is saved on u first, so undo restores it.
 */
int
host_rc_set(struct jailer *jp, struct undo *u, const char *name,
    const char *value)
{
	char *path, *v;
	int rc;

	path = host_path(RC_CONF_LOCAL);
	if ((rc = rc_get(jp, path, name, &v)) == -1) {
		free(path);
		return (-1);
	}
	free(v);
	if (rc == 0) {
		free(path);
		path = host_path(RC_CONF);
	}
	rc = undo_save_file(jp, u, path) == 0 &&
	    rc_set(jp, path, name, value) == 0 ? 0 : -1;
	free(path);
	return (rc);
}

/*
 * The dataset named by jailer_dir="zfs:POOL/DATASET".  Returns 1 with the
 * dataset, 0 when jailer_dir is unset, -1 when it is set but unusable.
 */
int
config_read_dir(struct jailer *jp, char **dataset)
{
	char *v;
	int rc;

	*dataset = NULL;
	if ((rc = host_rc_get(jp, "jailer_dir", &v)) != 1)
		return (rc);
	if (!str_has_prefix(v, "zfs:")) {
		jailer_seterr(jp, "jailer_dir=\"%s\" in rc.conf: jailer needs "
		    "a ZFS dataset, written zfs:POOL/DATASET", vis(v));
		free(v);
		return (-1);
	}
	if (valid_dataset(jp, v + 4) == -1) {
		free(v);
		return (-1);
	}
	*dataset = xstrdup(v + 4);
	free(v);
	return (1);
}

/*
 * Parse "zfs list -H -o name,mountpoint,jailer:managed -d 1 DS": the
 * mount point of DS itself, and the names of its children with their
 * jailer:managed values.
 */
void
config_parse_children(struct config *c, const char *ds, char *text,
    char **mountpoint)
{
	char *line, *save, *f[3], *save2;
	size_t dlen, k;

	dlen = strlen(ds);
	c->children = c->managed = NULL;
	c->nchildren = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		for (k = 0, f[0] = strtok_r(line, "\t", &save2); f[k] != NULL &&
		    k < 2; f[++k] = strtok_r(NULL, "\t", &save2))
			;
		if (k < 2 || f[0] == NULL || f[1] == NULL)
			continue;
		if (strcmp(f[0], ds) == 0) {
			free(*mountpoint);
			*mountpoint = xstrdup(f[1]);
		} else if (strncmp(f[0], ds, dlen) == 0 && f[0][dlen] == '/' &&
		    strchr(f[0] + dlen + 1, '/') == NULL) {
			c->children = xrealloc(c->children, (c->nchildren + 1) *
			    sizeof(*c->children));
			c->managed = xrealloc(c->managed, (c->nchildren + 1) *
			    sizeof(*c->managed));
			c->children[c->nchildren] = xstrdup(f[0] + dlen + 1);
			c->managed[c->nchildren++] = xstrdup(f[2] != NULL ?
			    f[2] : "-");
		}
	}
}

void
config_free_children(struct config *c)
{
	size_t i;

	for (i = 0; i < c->nchildren; i++) {
		free(c->children[i]);
		free(c->managed[i]);
	}
	free(c->children);
	free(c->managed);
	c->children = c->managed = NULL;
	c->nchildren = 0;
}

/*
 * Load jailer's configuration: the dataset from rc.conf and its mount
 * point from ZFS.  Fails with advice when the host is not initialised.
 */
int
config_get(struct jailer *jp, const struct config **cp)
{
	struct buf out;
	char *ds, *mp;
	int rc;

	if (config_loaded) {
		if (cp != NULL)
			*cp = &config;
		return (0);
	}
	if ((rc = config_read_dir(jp, &ds)) == -1)
		return (-1);
	if (rc == 0)
		return (jailer_seterr(jp, "this host is not initialised: "
		    "run 'jailer init'"));
	/*
	 * One call gives the mount point and the children: the jail
	 * datasets (jailer:managed=jail) that commands compare with the
	 * conf files to notice leftovers.
	 */
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o",
	    "name,mountpoint,jailer:managed", "-d", "1", "-t", "filesystem",
	    ds, NULL) != 0) {
		if (strstr(jp->err, "does not exist") != NULL)
			jailer_seterr(jp, "jailer_dir names the dataset %s, "
			    "which does not exist: run 'jailer init'", ds);
		free(ds);
		buf_free(&out);
		return (-1);
	}
	mp = NULL;
	config_parse_children(&config, ds, out.data, &mp);
	buf_free(&out);
	if (mp == NULL || mp[0] != '/') {
		jailer_seterr(jp, "%s: mountpoint is '%s'; jailer needs a "
		    "mounted file system", ds, vis(mp != NULL ? mp : "?"));
		free(ds);
		free(mp);
		config_free_children(&config);
		return (-1);
	}
	config.dataset = ds;
	config.mountpoint = mp;
	config_loaded = 1;
	if (cp != NULL)
		*cp = &config;
	return (0);
}

/* A path under jailer's mount point, as the host sees it; caller frees. */
char *
config_path(const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *rel;

	va_start(ap, fmt);
	rel = xvasprintf(fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_addf(&b, "%s/%s", config.mountpoint, rel);
	free(rel);
	return (buf_steal(&b));
}

/* Write a one-line setting file under the mount point, atomically. */
int
config_file_write(struct jailer *jp, const char *rel, const char *value)
{
	char *path, *fpath, *line;
	int rc;

	path = config_path("%s", rel);
	fpath = host_path(path);
	line = xasprintf("%s\n", value);
	rc = file_write_atomic(jp, fpath, line, strlen(line), 0644);
	free(line);
	free(path);
	free(fpath);
	return (rc);
}

/*
 * Read a one-line setting file under the mount point (image/.default,
 * .default_nettype).  Returns 1 and the trimmed first line, 0 if the
 * file does not exist, -1 on error.
 */
int
config_file_read(struct jailer *jp, const char *rel, char **value)
{
	struct buf b;
	char *hp, *p, *line;
	size_t pos;
	int rc;

	*value = NULL;
	p = config_path("%s", rel);
	hp = host_path(p);
	free(p);
	buf_init(&b);
	rc = file_read(jp, hp, &b);
	free(hp);
	if (rc == -1) {
		buf_free(&b);
		return (errno == ENOENT ? 0 : -1);
	}
	pos = 0;
	line = buf_nextline(&b, &pos);
	*value = xstrdup(str_trim(line != NULL ? line : ""));
	buf_free(&b);
	return (1);
}
