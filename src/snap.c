/*
 * Snapshots of jails and the edit of a jail's conf file.  Only datasets
 * jailer created (jailer:managed) are snapshotted or rolled back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "host.h"
#include "lifecycle.h"
#include "nullfs.h"
#include "snap.h"
#include "validate.h"
#include "zfs.h"

/*
 * Split JAIL[@SNAP] (snap may be optional) and check both parts; the
 * dataset of the jail must be one jailer created.  On success *ds is the
 * jail's dataset (caller frees) and *snap points into the argument.
 */
int
snap_parse(struct jailer *jp, char *arg, int need_snap, char **ds,
    char **snap)
{
	const struct config *cf;
	char *at;
	int rc;

	*ds = NULL;
	*snap = NULL;
	if ((at = strchr(arg, '@')) != NULL) {
		*at = '\0';
		*snap = at + 1;
	}
	if (valid_jail_name(jp, arg) == -1)
		return (-1);
	if (*snap == NULL && need_snap)
		return (jailer_seterr(jp, "expected JAIL@SNAPSHOT"));
	if (*snap != NULL && valid_snapname(jp, *snap) == -1)
		return (-1);
	if (config_get(jp, &cf) == -1)
		return (-1);
	*ds = xasprintf("%s/%s", cf->dataset, arg);
	if ((rc = jail_managed(jp, *ds)) != 1) {
		if (rc != -1)
			jailer_seterr(jp, "no such jail");
		free(*ds);
		*ds = NULL;
		return (-1);
	}
	return (0);
}

/*
 * A line of zfs list -H -p -o name,creation,used as a row of snap list:
 * only DS/JAIL@SNAP (not images, not the root), of the jail only if not
 * NULL.
 */
static void
snap_row(struct out_table *t, const char *ds, size_t plen, char *line,
    const char *only)
{
	const char *row[4];
	char *f[3], *save, *jail, *at, created[32];
	time_t when;

	if ((f[0] = strtok_r(line, "\t", &save)) == NULL ||
	    (f[1] = strtok_r(NULL, "\t", &save)) == NULL ||
	    (f[2] = strtok_r(NULL, "\t", &save)) == NULL)
		return;
	if (strncmp(f[0], ds, plen) != 0 || f[0][plen] != '/')
		return;
	jail = f[0] + plen + 1;
	if ((at = strchr(jail, '@')) == NULL ||
	    memchr(jail, '/', (size_t)(at - jail)) != NULL)
		return;
	*at = '\0';
	if (strcmp(jail, "image") == 0 ||
	    (only != NULL && strcmp(jail, only) != 0))
		return;
	when = (time_t)strtoll(f[1], NULL, 10);
	strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%S",
	    localtime(&when));
	row[0] = jail;
	row[1] = at + 1;
	row[2] = created;
	row[3] = f[2];
	out_row(t, row);
}

/* The table of snap list: every jail's snapshots, or those of only. */
int
snap_table(struct jailer *jp, const char *only, struct out_table **tp)
{
	static const struct out_col cols[] = { { "JAIL", "jail" },
	    { "SNAPSHOT", "snapshot" }, { "CREATED", "created" },
	    { "USED", "used" } };
	const struct config *cf;
	struct out_table *t;
	struct buf out;
	char *line;
	size_t pos, plen;

	if (config_get(jp, &cf) == -1)
		return (-1);
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-p", "-t", "snapshot", "-o",
	    "name,creation,used", "-s", "creation", "-r", cf->dataset,
	    NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	t = out_new(cols, nitems(cols));
	plen = strlen(cf->dataset);
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL)
		snap_row(t, cf->dataset, plen, line, only);
	buf_free(&out);
	*tp = t;
	return (0);
}

/*
 * Check a rollback of the jail name to the snapshot full: it must exist,
 * and the jail may only run with force.
 */
int
snap_rollback_check(struct jailer *jp, const char *full, const char *name,
    int force, struct snap_rollback *rb)
{
	struct jail *j;
	int rc;

	memset(rb, 0, sizeof(*rb));
	if ((rc = zfs_exists(jp, full)) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "no such snapshot");
		return (-1);
	}
	if (jails_load(jp, &rb->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	j = jails_find(&rb->js, name);
	if (j != NULL && j->running) {
		if (!force) {
			rb->about_jail = 1;
			return (jailer_seterr(jp, "running; stop it first or "
			    "use -f"));
		}
		rb->j = j;
	}
	return (0);
}

/*
 * "jailer:release=V" for a snapshot of the jail dataset ds, V its
 * jailer:release (the release jailer recorded it runs), so that a
 * rollback to the snapshot can put the record back; NULL when ds has
 * none.  0, or -1.
 */
int
snap_release_opt(struct jailer *jp, const char *ds, char **opt)
{
	char *v;
	int rc;

	*opt = NULL;
	if ((rc = zfs_get(jp, ds, "jailer:release", &v)) == -1)
		return (-1);
	if (rc == 1 && strcmp(v, "-") != 0 && *v != '\0')
		*opt = xasprintf("jailer:release=%s", v);
	free(v);
	return (0);
}

/*
 * After a rollback to full: the jailer:release the snapshot holds (set
 * on it by snap and update) on the dataset again, since ZFS keeps the
 * dataset's own properties across a rollback.  0, or -1.
 */
static int
release_back(struct jailer *jp, const char *full)
{
	struct buf out;
	char *line, *tab, *ds, *kv;
	int rc;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "get", "-H", "-o", "value,source",
	    "jailer:release", full, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	line = str_trim(out.data);
	rc = 0;
	if ((tab = strchr(line, '\t')) != NULL &&
	    strcmp(tab + 1, "local") == 0) {
		*tab = '\0';
		ds = xstrndup(full, (size_t)(strchr(full, '@') - full));
		kv = xasprintf("jailer:release=%s", line);
		rc = zfs(jp, 0, NULL, "set", kv, ds, NULL) == 0 ? 0 : -1;
		free(kv);
		free(ds);
	}
	buf_free(&out);
	return (rc);
}

/* Roll back to full; a running jail is stopped and started again. */
int
snap_rollback(struct jailer *jp, struct snap_rollback *rb, const char *full)
{
	int c;

	c = 0;
	if (rb->j != NULL)
		c = jail_stop(jp, rb->j, 0);
	/* Its stop unmounted its nullfs mounts: never roll back past one. */
	if (c == 0 && rb->j != NULL && rb->j->path != NULL && !jp->dryrun)
		c = nullfs_live(jp, rb->j->path, "unmount it first");
	if (c == 0)
		c = zfs(jp, 0, NULL, "rollback", full, NULL) == 0 ? 0 : -1;
	if (c == 0)
		c = release_back(jp, full);
	if (rb->j != NULL) {
		/* Start it again even if the rollback failed. */
		char err[sizeof(jp->err)];

		memcpy(err, jp->err, sizeof(err));
		if (jail_start(jp, rb->j, 0) == -1 && c == 0)
			c = -1;
		else if (c == -1)
			memcpy(jp->err, err, sizeof(err));
	}
	return (c);
}

void
snap_rollback_free(struct snap_rollback *rb)
{
	jails_free(&rb->js);
}

/* $EDITOR must name a program, not a shell command line. */
static int
editor_get(struct jailer *jp, const char **ed)
{
	const char *e, *p;

	e = getenv("EDITOR");
	if (e == NULL || *e == '\0')
		e = "vi";
	for (p = e; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._+-", *p) != NULL))
			return (jailer_seterr(jp, "EDITOR='%s': must be the "
			    "name or path of a program", vis(e)));
	if (strlen(e) > 256 || e[0] == '-')
		return (jailer_seterr(jp, "EDITOR='%s': must be the name or "
		    "path of a program", vis(e)));
	*ed = e;
	return (0);
}

/* A copy of text in a temporary file for the editor; NULL on error. */
static char *
edit_copy(struct jailer *jp, const char *name, const struct buf *text)
{
	char *tmp;
	int fd;

	tmp = xasprintf("%s/jailer-edit.%s.XXXXXX", getenv("TMPDIR") != NULL &&
	    *getenv("TMPDIR") == '/' ? getenv("TMPDIR") : "/tmp", name);
	if ((fd = mkstemp(tmp)) == -1) {
		jailer_seterrno(jp, "%s", tmp);
		free(tmp);
		return (NULL);
	}
	if (write(fd, text->data, text->len) != (ssize_t)text->len) {
		close(fd);
		jailer_seterrno(jp, "%s", tmp);
		unlink(tmp);
		free(tmp);
		return (NULL);
	}
	close(fd);
	return (tmp);
}

/*
 * Is the edited text a conf file of the jail name and nothing else?
 * EDIT_SAVED if so.
 */
static enum edit_result
edit_check(struct jailer *jp, const char *name, const char *conf,
    struct buf *edited)
{
	struct conf_file cf;
	int ok;

	if (conf_parse(jp, edited->data, conf, &cf) == -1)
		return (EDIT_BAD_CONF);
	ok = cf.njails == 1 && strcmp(cf.jails[0].name, name) == 0 &&
	    cf.nglobals == 0;
	conf_free(&cf);
	return (ok ? EDIT_SAVED : EDIT_BAD_JAILS);
}

/*
 * $EDITOR on a copy of the conf file of the jail name; the copy replaces
 * the file only if it parses and still defines just this jail.
 */
enum edit_result
jail_edit(struct jailer *jp, const char *name, struct jail_edit *e)
{
	const char *ed = NULL, *argv2[3];
	struct buf orig, edited;
	enum edit_result r;
	char *fconf, *tmp;

	memset(e, 0, sizeof(*e));
	if (editor_get(jp, &ed) == -1)
		return (EDIT_FAILED);
	e->conf = jail_conf_path(name);
	fconf = host_path(e->conf);
	buf_init(&orig);
	buf_init(&edited);
	tmp = NULL;
	r = EDIT_FAILED;
	e->who = name;
	if (file_read(jp, fconf, &orig) == -1) {
		if (errno == ENOENT)
			jailer_seterr(jp, "no such jail");
		goto out;
	}
	if ((tmp = edit_copy(jp, name, &orig)) == NULL) {
		e->who = NULL;
		goto out;
	}
	argv2[0] = ed;
	argv2[1] = tmp;
	argv2[2] = NULL;
	if (run(jp, argv2, NULL, RUN_TTY) != 0 ||
	    file_read(jp, tmp, &edited) == -1)
		goto out;
	if (edited.len == orig.len &&
	    memcmp(edited.data, orig.data, orig.len) == 0) {
		r = EDIT_UNCHANGED;
		goto out;
	}
	if ((r = edit_check(jp, name, e->conf, &edited)) != EDIT_SAVED) {
		e->kept = tmp;
		tmp = NULL;
		goto out;
	}
	if (file_write_atomic(jp, fconf, edited.data, edited.len, 0644) == -1)
		r = EDIT_FAILED;
out:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	buf_free(&orig);
	buf_free(&edited);
	free(fconf);
	return (r);
}

void
jail_edit_free(struct jail_edit *e)
{
	free(e->conf);
	free(e->kept);
}
