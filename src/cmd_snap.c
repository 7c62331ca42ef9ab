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
#include "plan.h"
#include "snap.h"
#include "validate.h"
#include "zfs.h"

/* A JAIL@SNAPSHOT operand, split: arg is the jail part. */
struct snap_op {
	char	*arg;
	char	*ds;
	char	*snap;
	char	*full;		/* ds@snap, or NULL without a snapshot */
};

/*
 * Parse operand (the snapshot optional unless need); 0, or the exit
 * status: a failure is about the operand as given when the snapshot is
 * needed, about the jail part when it is optional.
 */
static int
snap_op_get(struct jailer *jp, const char *operand, int need,
    struct snap_op *a)
{
	int rc;

	a->arg = xstrdup(operand);
	a->full = NULL;
	if (snap_parse(jp, a->arg, need, &a->ds, &a->snap) == -1) {
		rc = cmd_fail(jp, need ? operand : a->arg);
		free(a->arg);
		return (rc);
	}
	if (a->snap != NULL)
		a->full = xasprintf("%s@%s", a->ds, a->snap);
	return (0);
}

static void
snap_op_free(struct snap_op *a)
{
	free(a->full);
	free(a->ds);
	free(a->arg);
}

/* zfs verb -r full, after ui_begin(); 0, or the exit status. */
static int
zfs_recursive(struct jailer *jp, const char *verb, const char *full,
    const char *who)
{
	int rc;

	rc = zfs(jp, 0, NULL, verb, "-r", full, NULL);
	ui_end(rc == 0);
	return (rc == 0 ? 0 : cmd_fail(jp, who));
}

/* -D [-j] for snap and snap destroy: the one zfs command. */
static int
snap_plan(struct jailer *jp, const char *title, const char *action,
    const char *cmd, const struct snap_op *a)
{
	plan_title(jp, "%s %s@%s would:", title, a->arg, a->snap);
	plan_item(jp, NULL, action, "snapshot", a->full, NULL, NULL,
	    "%s %s", cmd, a->full);
	return (0);
}

/*
 * snap: zfs snapshot -r, with the jail's jailer:release on the snapshot
 * (so a rollback restores the record); plan it with dry.  0, or the
 * exit status.
 */
static int
snap_take(struct jailer *jp, const struct snap_op *a, int dry)
{
	char *opt, *cmd;
	int rc;

	if (snap_release_opt(jp, a->ds, &opt) == -1)
		return (cmd_fail(jp, a->arg));
	if (dry) {
		cmd = xasprintf("zfs snapshot -r%s%s", opt != NULL ? " -o " :
		    "", opt != NULL ? opt : "");
		rc = snap_plan(jp, "Taking the snapshot", "create", cmd, a);
		free(cmd);
	} else {
		ui_begin("Taking the snapshot %s@%s", a->arg, a->snap);
		rc = opt != NULL ? zfs(jp, 0, NULL, "snapshot", "-r", "-o",
		    opt, a->full, NULL) : zfs(jp, 0, NULL, "snapshot", "-r",
		    a->full, NULL);
		ui_end(rc == 0);
		rc = rc == 0 ? 0 : cmd_fail(jp, a->arg);
	}
	free(opt);
	return (rc);
}

/* jailer snap [-D [-j]] jail[@snapshot] */
int
cmd_snap(struct jailer *jp, int argc, char **argv)
{
	struct snap_op a;
	char stamp[32];
	time_t now;
	int dry, json, rc;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((rc = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected JAIL[@SNAPSHOT]")) != 0 ||
	    (rc = cmd_plan_open(jp, dry, json, "snap")) != 0)
		return (rc);
	if ((rc = snap_op_get(jp, argv[0], 0, &a)) != 0)
		return (cmd_plan_close(jp, rc));
	if (a.snap == NULL) {
		now = time(NULL);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H.%M.%S",
		    localtime(&now));
		a.snap = stamp;
		a.full = xasprintf("%s@%s", a.ds, a.snap);
	}
	rc = zfs_exists(jp, a.full);
	if (rc == 1)
		jailer_seterr(jp, "the snapshot %s@%s already exists", a.arg,
		    a.snap);
	if (rc != 0)
		rc = cmd_fail(jp, a.arg);
	else
		rc = snap_take(jp, &a, dry);
	snap_op_free(&a);
	return (cmd_plan_close(jp, rc));
}

/* jailer snap list [-j] [jail] */
int
cmd_snap_list(struct jailer *jp, int argc, char **argv)
{
	struct out_table *t;
	const char *name;
	int c, json;

	if ((c = cmd_json_jail(jp, argc, argv, &json, &name)) != 0)
		return (c);
	if (snap_table(jp, name, &t) == -1)
		return (cmd_fail(jp, NULL));
	out_print(t, stdout, json ? OUT_JSON : OUT_TABLE);
	out_free(t);
	return (0);
}

/* jailer snap destroy [-D [-j]] jail@snapshot */
int
cmd_snap_destroy(struct jailer *jp, int argc, char **argv)
{
	struct snap_op a;
	int dry, json, rc;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((rc = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected JAIL@SNAPSHOT")) != 0 ||
	    (rc = cmd_plan_open(jp, dry, json, "snap destroy")) != 0)
		return (rc);
	if ((rc = snap_op_get(jp, argv[0], 1, &a)) != 0)
		return (cmd_plan_close(jp, rc));
	if ((rc = zfs_exists(jp, a.full)) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "no such snapshot");
		rc = cmd_fail(jp, argv[0]);
	} else if (dry)
		rc = snap_plan(jp, "Destroying the snapshot", "remove",
		    "zfs destroy -r", &a);
	else {
		ui_begin("Destroying the snapshot %s", argv[0]);
		rc = zfs_recursive(jp, "destroy", a.full, argv[0]);
	}
	snap_op_free(&a);
	return (cmd_plan_close(jp, rc));
}

/* rollback -D [-j]: stop (-f), zfs rollback, start again. */
static int
rollback_plan(struct jailer *jp, const struct snap_rollback *rb,
    const struct snap_op *a)
{
	plan_title(jp, "Rolling %s back to %s would:", a->arg, a->snap);
	if (rb->j != NULL)
		plan_item(jp, NULL, "stop", "jail", a->arg, NULL, NULL,
		    "stop the jail (JID %s)", rb->j->jid);
	plan_item(jp, NULL, "rollback", "dataset", a->ds, NULL, a->full,
	    "zfs rollback %s", a->full);
	if (rb->j != NULL)
		plan_item(jp, NULL, "start", "jail", a->arg, NULL, NULL,
		    "start the jail again");
	return (0);
}

/*
 * jailer rollback [-f] jail@snapshot: refused while the jail runs, unless
 * -f, which stops it first and starts it again afterwards.
 */
int
cmd_rollback(struct jailer *jp, int argc, char **argv)
{
	struct snap_rollback rb;
	struct snap_op a;
	int c, dry, force, json, rc;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'f', &force, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = force = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected JAIL@SNAPSHOT")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "rollback")) != 0)
		return (c);
	if ((rc = snap_op_get(jp, argv[0], 1, &a)) != 0)
		return (cmd_plan_close(jp, rc));
	if (snap_rollback_check(jp, a.full, a.arg, force, &rb) == -1)
		rc = cmd_fail(jp, rb.about_jail ? a.arg : argv[0]);
	else if (dry)
		rc = rollback_plan(jp, &rb, &a);
	else {
		lifecycle_signals();
		ui_begin("Rolling %s back to %s", a.arg, a.snap);
		c = snap_rollback(jp, &rb, a.full);
		ui_end(c == 0);
		rc = c == 0 ? 0 : cmd_fail(jp, a.arg);
	}
	snap_rollback_free(&rb);
	snap_op_free(&a);
	return (cmd_plan_close(jp, rc));
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
