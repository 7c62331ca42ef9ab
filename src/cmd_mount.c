/*
 * jailer mount | mount list | umount: nullfs mounts of host directories
 * into a jail.  The checks and the changes are in nullfs.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "nullfs.h"
#include "out.h"
#include "validate.h"

/*
 * Print a -D plan, or the Done! line of a change (printed after it: a
 * refused change prints nothing on stdout, only its error).
 */
static int
finish(struct jailer *jp, int rc, struct buf *plan, const char *name,
    const char *done)
{
	if (jp->dryrun && rc == 0 && plan->len > 0)
		fputs(plan->data, stdout);
	if (!jp->dryrun && rc == 0) {
		ui_begin("%s", done);
		ui_end(1);
	}
	buf_free(plan);
	return (rc == 0 ? 0 : cmd_fail(jp, name));
}

/* jailer mount [-D] name host-path jail-path [ro | rw] (default ro) */
int
cmd_mount(struct jailer *jp, int argc, char **argv)
{
	struct buf plan;
	char *done;
	int c, dry, json, ro;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 3, 4,
	    "expected a jail name, a host path, a jail path and ro or rw")) !=
	    0)
		return (c);
	ro = 1;
	if (argc == 4 && strcmp(argv[3], "rw") == 0)
		ro = 0;
	else if (argc == 4 && strcmp(argv[3], "ro") != 0)
		return (cmd_usage_error("'%s': expected ro or rw",
		    vis(argv[3])));
	if (valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, "mount")) != 0)
		return (c);
	jp->dryrun = dry;
	buf_init(&plan);
	c = nullfs_add(jp, argv[0], argv[1], argv[2], ro, &plan);
	done = xasprintf("Mounting %s on %s in %s (%s)", argv[1], argv[2],
	    argv[0], ro ? "ro" : "rw");
	c = cmd_plan_close(jp, finish(jp, c, &plan, argv[0], done));
	free(done);
	return (c);
}

/* jailer mount list [-j] [name] */
int
cmd_mount_list(struct jailer *jp, int argc, char **argv)
{
	struct out_table *t;
	const char *name;
	int c, json;

	if ((c = cmd_json_jail(jp, argc, argv, &json, &name)) != 0)
		return (c);
	if (nullfs_table(jp, name, &t) == -1)
		return (cmd_fail(jp, name));
	out_print(t, stdout, json ? OUT_JSON : OUT_TABLE);
	out_free(t);
	return (0);
}

/* jailer umount [-D] name jail-path */
int
cmd_umount(struct jailer *jp, int argc, char **argv)
{
	struct buf plan;
	char *done;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 2, 2,
	    "expected a jail name and a jail path")) != 0)
		return (c);
	if (valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, "umount")) != 0)
		return (c);
	jp->dryrun = dry;
	buf_init(&plan);
	c = nullfs_del(jp, argv[0], argv[1], &plan);
	done = xasprintf("Unmounting %s in %s", argv[1], argv[0]);
	c = cmd_plan_close(jp, finish(jp, c, &plan, argv[0], done));
	free(done);
	return (c);
}
