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
#include "zfs.h"

static struct host host;
static int host_loaded;
static struct config config;
static int config_loaded;

/* One uname(1) call gives the release and the architecture. */
int
host_get(struct jailer *jp, const struct host **hp)
{
	static const char *const argv[] = { "uname", "-m", "-r", NULL };
	struct buf out;
	char *rel, *arch, *p;

	if (host_loaded) {
		*hp = &host;
		return (0);
	}
	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	rel = str_trim(out.data);
	if ((arch = strchr(rel, ' ')) == NULL) {
		buf_free(&out);
		return (jailer_seterr(jp, "uname -m -r: unexpected output"));
	}
	*arch++ = '\0';
	for (p = arch; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			break;
	if (*p != '\0' || *arch == '\0' || strlen(arch) >= sizeof(host.arch) ||
	    strlen(rel) >= sizeof(host.release_str) ||
	    release_parse(rel, &host.release) == -1) {
		jailer_seterr(jp, "uname -m -r: cannot parse '%s %s'",
		    vis(rel), vis(arch));
		buf_free(&out);
		return (-1);
	}
	strcpy(host.release_str, rel);
	strcpy(host.arch, arch);
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
 * Load jailer's configuration: the dataset from rc.conf and its mount
 * point from ZFS.  Fails with advice when the host is not initialised.
 */
int
config_get(struct jailer *jp, const struct config **cp)
{
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
	if ((rc = zfs_get(jp, ds, "mountpoint", &mp)) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "jailer_dir names the dataset %s, "
			    "which does not exist: run 'jailer init'", ds);
		free(ds);
		return (-1);
	}
	if (mp[0] != '/' || strchr(mp, '\n') != NULL) {
		jailer_seterr(jp, "%s: mountpoint is '%s'; jailer needs a "
		    "mounted file system", ds, vis(mp));
		free(ds);
		free(mp);
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
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	rel = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(rel, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_addf(&b, "%s/%s", config.mountpoint, rel);
	free(rel);
	return (buf_steal(&b));
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
