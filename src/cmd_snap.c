/*
 * jailer snap | snap list | snap destroy | rollback | edit
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "lifecycle.h"
#include "out.h"
#include "validate.h"
#include "zfs.h"

/*
 * Split JAIL[@SNAP] (snap may be optional) and check both parts; the
 * dataset of the jail must be one jailer created.  On success *ds is the
 * jail's dataset (caller frees) and *snap points into the argument.
 */
static int
parse_jail_snap(struct jailer *jp, char *arg, int need_snap, char **ds,
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

/* jailer snap jail[@snapshot] */
int
cmd_snap(struct jailer *jp, int argc, char **argv)
{
	struct opt o;
	char *ds, *snap, *full, stamp[32], *arg;
	time_t now;
	int c, rc;

	if ((c = cmd_no_options(&o, argc, argv)) != 0)
		return (c);
	argc -= o.ind;
	argv += o.ind;
	if (argc != 1)
		return (cmd_usage_error("expected JAIL[@SNAPSHOT]"));
	arg = xstrdup(argv[0]);
	if (parse_jail_snap(jp, arg, 0, &ds, &snap) == -1) {
		rc = cmd_fail(jp, arg);
		free(arg);
		return (rc);
	}
	if (snap == NULL) {
		now = time(NULL);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H.%M.%S",
		    localtime(&now));
		snap = stamp;
	}
	full = xasprintf("%s@%s", ds, snap);
	rc = zfs_exists(jp, full);
	if (rc == 1)
		jailer_seterr(jp, "the snapshot %s@%s already exists", arg,
		    snap);
	if (rc != 0) {
		rc = cmd_fail(jp, arg);
		goto out;
	}
	ui_begin("Taking the snapshot %s@%s", arg, snap);
	rc = zfs(jp, 0, NULL, "snapshot", "-r", full, NULL);
	ui_end(rc == 0);
	rc = rc == 0 ? 0 : cmd_fail(jp, arg);
out:
	free(full);
	free(ds);
	free(arg);
	return (rc);
}

/* jailer snap list [-j] [jail] */
int
cmd_snap_list(struct jailer *jp, int argc, char **argv)
{
	static const struct out_col cols[] = { { "JAIL", "jail" },
	    { "SNAPSHOT", "snapshot" }, { "CREATED", "created" },
	    { "USED", "used" } };
	const struct config *cf;
	struct out_table *t;
	struct buf out;
	struct opt o;
	const char *row[4];
	char *line, *f[3], *save, *jail, *at, created[32];
	size_t pos, plen;
	time_t when;
	int c, json;

	json = 0;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "j")) != -1) {
		if (c != 'j')
			return (cmd_bad_option(&o, c));
		json = 1;
	}
	argc -= o.ind;
	argv += o.ind;
	if (argc > 1)
		return (cmd_usage_error("at most one jail name"));
	if (argc == 1 && valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if (config_get(jp, &cf) == -1)
		return (cmd_fail(jp, NULL));
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-p", "-t", "snapshot", "-o",
	    "name,creation,used", "-s", "creation", "-r", cf->dataset,
	    NULL) != 0) {
		buf_free(&out);
		return (cmd_fail(jp, NULL));
	}
	t = out_new(cols, nitems(cols));
	plen = strlen(cf->dataset);
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		if ((f[0] = strtok_r(line, "\t", &save)) == NULL ||
		    (f[1] = strtok_r(NULL, "\t", &save)) == NULL ||
		    (f[2] = strtok_r(NULL, "\t", &save)) == NULL)
			continue;
		/* Only DS/JAIL@SNAP: not images, not the root. */
		if (strncmp(f[0], cf->dataset, plen) != 0 || f[0][plen] != '/')
			continue;
		jail = f[0] + plen + 1;
		if ((at = strchr(jail, '@')) == NULL ||
		    memchr(jail, '/', (size_t)(at - jail)) != NULL)
			continue;
		*at = '\0';
		if (strcmp(jail, "image") == 0 ||
		    (argc == 1 && strcmp(jail, argv[0]) != 0))
			continue;
		when = (time_t)strtoll(f[1], NULL, 10);
		strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%S",
		    localtime(&when));
		row[0] = jail;
		row[1] = at + 1;
		row[2] = created;
		row[3] = f[2];
		out_row(t, row);
	}
	out_print(t, stdout, json ? OUT_JSON : OUT_TABLE);
	out_free(t);
	buf_free(&out);
	return (0);
}

/* jailer snap destroy jail@snapshot */
int
cmd_snap_destroy(struct jailer *jp, int argc, char **argv)
{
	char *arg, *ds, *snap, *full;
	int rc;

	if (argc != 2)
		return (cmd_usage_error("expected JAIL@SNAPSHOT"));
	arg = xstrdup(argv[1]);
	if (parse_jail_snap(jp, arg, 1, &ds, &snap) == -1) {
		rc = cmd_fail(jp, argv[1]);
		free(arg);
		return (rc);
	}
	full = xasprintf("%s@%s", ds, snap);
	if ((rc = zfs_exists(jp, full)) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "no such snapshot");
		rc = cmd_fail(jp, argv[1]);
		goto out;
	}
	ui_begin("Destroying the snapshot %s", argv[1]);
	rc = zfs(jp, 0, NULL, "destroy", "-r", full, NULL);
	ui_end(rc == 0);
	rc = rc == 0 ? 0 : cmd_fail(jp, argv[1]);
out:
	free(full);
	free(ds);
	free(arg);
	return (rc);
}

/*
 * jailer rollback [-f] jail@snapshot: refused while the jail runs, unless
 * -f, which stops it first and starts it again afterwards.
 */
int
cmd_rollback(struct jailer *jp, int argc, char **argv)
{
	struct jails js;
	struct jail *j;
	struct opt o;
	char *arg, *ds, *snap, *full;
	int c, force, rc, was_running;

	force = 0;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "f")) != -1) {
		if (c != 'f')
			return (cmd_bad_option(&o, c));
		force = 1;
	}
	argc -= o.ind;
	argv += o.ind;
	if (argc != 1)
		return (cmd_usage_error("expected JAIL@SNAPSHOT"));
	arg = xstrdup(argv[0]);
	if (parse_jail_snap(jp, arg, 1, &ds, &snap) == -1) {
		rc = cmd_fail(jp, argv[0]);
		free(arg);
		return (rc);
	}
	full = xasprintf("%s@%s", ds, snap);
	memset(&js, 0, sizeof(js));
	rc = 1;
	if ((c = zfs_exists(jp, full)) != 1) {
		if (c == 0)
			jailer_seterr(jp, "no such snapshot");
		rc = cmd_fail(jp, argv[0]);
		goto out;
	}
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1) {
		rc = cmd_fail(jp, argv[0]);
		goto out;
	}
	j = jails_find(&js, arg);
	was_running = j != NULL && j->running;
	if (was_running && !force) {
		jailer_seterr(jp, "running; stop it first or use -f");
		rc = cmd_fail(jp, arg);
		goto out;
	}
	lifecycle_signals();
	ui_begin("Rolling %s back to %s", arg, snap);
	c = 0;
	if (was_running)
		c = jail_stop(jp, j, 0);
	if (c == 0)
		c = zfs(jp, 0, NULL, "rollback", full, NULL) == 0 ? 0 : -1;
	if (was_running) {
		/* Start it again even if the rollback failed. */
		char err[sizeof(jp->err)];

		memcpy(err, jp->err, sizeof(err));
		if (jail_start(jp, j, 0) == -1 && c == 0)
			c = -1;
		else if (c == -1)
			memcpy(jp->err, err, sizeof(err));
	}
	ui_end(c == 0);
	rc = c == 0 ? 0 : cmd_fail(jp, arg);
out:
	jails_free(&js);
	free(full);
	free(ds);
	free(arg);
	return (rc);
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

/*
 * jailer edit name: $EDITOR on a copy of the conf file; the copy replaces
 * the file only if it parses and still defines just this jail.
 */
int
cmd_edit(struct jailer *jp, int argc, char **argv)
{
	const char *ed = NULL, *argv2[3];
	struct conf_file cf;
	struct buf orig, edited;
	char *conf, *fconf, *tmp;
	int fd, rc;

	if (argc != 2)
		return (cmd_usage_error("expected one jail name"));
	if (valid_jail_name(jp, argv[1]) == -1 || editor_get(jp, &ed) == -1)
		return (cmd_fail(jp, NULL));
	conf = jail_conf_path(argv[1]);
	fconf = host_path(conf);
	buf_init(&orig);
	buf_init(&edited);
	tmp = NULL;
	rc = 1;
	if (file_read(jp, fconf, &orig) == -1) {
		if (errno == ENOENT)
			jailer_seterr(jp, "no such jail");
		cmd_fail(jp, argv[1]);
		goto out;
	}
	tmp = xasprintf("%s/jailer-edit.%s.XXXXXX", getenv("TMPDIR") != NULL &&
	    *getenv("TMPDIR") == '/' ? getenv("TMPDIR") : "/tmp", argv[1]);
	if ((fd = mkstemp(tmp)) == -1) {
		jailer_seterrno(jp, "%s", tmp);
		free(tmp);
		tmp = NULL;
		cmd_fail(jp, NULL);
		goto out;
	}
	if (write(fd, orig.data, orig.len) != (ssize_t)orig.len) {
		close(fd);
		jailer_seterrno(jp, "%s", tmp);
		cmd_fail(jp, NULL);
		goto out;
	}
	close(fd);
	argv2[0] = ed;
	argv2[1] = tmp;
	argv2[2] = NULL;
	if (run(jp, argv2, NULL, RUN_TTY) != 0 ||
	    file_read(jp, tmp, &edited) == -1) {
		cmd_fail(jp, argv[1]);
		goto out;
	}
	if (edited.len == orig.len &&
	    memcmp(edited.data, orig.data, orig.len) == 0) {
		printf("%s: no changes\n", conf);
		rc = 0;
		goto out;
	}
	if (conf_parse(jp, edited.data, conf, &cf) == -1) {
		jailer_warnx(argv[1], "%s", jp->err);
		jailer_warnx(argv[1], "%s was not changed; your edit is in %s",
		    conf, tmp);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (cf.njails != 1 || strcmp(cf.jails[0].name, argv[1]) != 0 ||
	    cf.nglobals > 0) {
		jailer_warnx(argv[1], "the file must define the jail %s and "
		    "nothing else (statements outside its block would apply to "
		    "every jail); %s was not changed; your edit is in %s",
		    argv[1], conf, tmp);
		conf_free(&cf);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	conf_free(&cf);
	if (file_write_atomic(jp, fconf, edited.data, edited.len, 0644) == -1) {
		cmd_fail(jp, argv[1]);
		goto out;
	}
	printf("%s: saved; the changes apply when the jail next starts\n",
	    conf);
	rc = 0;
out:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	buf_free(&orig);
	buf_free(&edited);
	free(conf);
	free(fconf);
	return (rc);
}
