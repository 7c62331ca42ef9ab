/*
 * jailer snap | snap list | snap destroy | rollback | edit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "lifecycle.h"
#include "out.h"
#include "snap.h"
#include "validate.h"
#include "zfs.h"

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
	if (snap_parse(jp, arg, 0, &ds, &snap) == -1) {
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
	struct out_table *t;
	struct opt o;
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
	if (snap_table(jp, argc == 1 ? argv[0] : NULL, &t) == -1)
		return (cmd_fail(jp, NULL));
	out_print(t, stdout, json ? OUT_JSON : OUT_TABLE);
	out_free(t);
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
	if (snap_parse(jp, arg, 1, &ds, &snap) == -1) {
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
	struct snap_rollback rb;
	struct opt o;
	char *arg, *ds, *snap, *full;
	int c, force, rc;

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
	if (snap_parse(jp, arg, 1, &ds, &snap) == -1) {
		rc = cmd_fail(jp, argv[0]);
		free(arg);
		return (rc);
	}
	full = xasprintf("%s@%s", ds, snap);
	if (snap_rollback_check(jp, full, arg, force, &rb) == -1)
		rc = cmd_fail(jp, rb.about_jail ? arg : argv[0]);
	else {
		lifecycle_signals();
		ui_begin("Rolling %s back to %s", arg, snap);
		c = snap_rollback(jp, &rb, full);
		ui_end(c == 0);
		rc = c == 0 ? 0 : cmd_fail(jp, arg);
	}
	snap_rollback_free(&rb);
	free(full);
	free(ds);
	free(arg);
	return (rc);
}

/* jailer edit name: $EDITOR on a copy of the jail's conf file. */
int
cmd_edit(struct jailer *jp, int argc, char **argv)
{
	struct jail_edit e;
	int rc;

	if (argc != 2)
		return (cmd_usage_error("expected one jail name"));
	if (valid_jail_name(jp, argv[1]) == -1)
		return (cmd_fail(jp, NULL));
	rc = 1;
	switch (jail_edit(jp, argv[1], &e)) {
	case EDIT_FAILED:
		cmd_fail(jp, e.who);
		break;
	case EDIT_UNCHANGED:
		printf("%s: no changes\n", e.conf);
		rc = 0;
		break;
	case EDIT_SAVED:
		printf("%s: saved; the changes apply when the jail next "
		    "starts\n", e.conf);
		rc = 0;
		break;
	case EDIT_BAD_CONF:
		jailer_warnx(argv[1], "%s", jp->err);
		jailer_warnx(argv[1], "%s was not changed; your edit is in %s",
		    e.conf, e.kept);
		break;
	case EDIT_BAD_JAILS:
		jailer_warnx(argv[1], "the file must define the jail %s and "
		    "nothing else (statements outside its block would apply to "
		    "every jail); %s was not changed; your edit is in %s",
		    argv[1], e.conf, e.kept);
		break;
	}
	jail_edit_free(&e);
	return (rc);
}
