/*
 * jailer rename [-D] old new; jailer zfs [-D] name attach | detach
 * dataset, jailer zfs [-j] name.
 *
 * The checks and the steps are in rename.c and zfsjail.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "lifecycle.h"
#include "out.h"
#include "rename.h"
#include "validate.h"
#include "zfsjail.h"

/* jailer rename [-D] old new: a stopped jail gets a new name. */
int
cmd_rename(struct jailer *jp, int argc, char **argv)
{
	struct rename *r;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 2, 2,
	    "expected the jail's name and its new name")) != 0)
		return (c);
	if (valid_jail_name(jp, argv[0]) == -1 ||
	    valid_jail_name(jp, argv[1]) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, "rename")) != 0)
		return (c);
	lifecycle_signals();
	if ((r = rename_open(jp, argv[0], argv[1])) == NULL)
		return (cmd_plan_close(jp, cmd_fail(jp, argv[0])));
	if (dry) {
		rename_print(jp, r);
		rename_free(r);
		return (cmd_plan_close(jp, 0));
	}
	ui_begin("Renaming %s to %s", argv[0], argv[1]);
	c = rename_apply(jp, r);
	ui_end(c == 0);
	rename_free(r);
	return (c == 0 ? 0 : cmd_fail(jp, argv[0]));
}

/* jailer zfs [-j] name: the datasets delegated to a jail. */
static int
zfs_list(struct jailer *jp, const char *name, int json)
{
	static const struct out_col cols[] = { { "DATASET", "dataset" },
	    { "JAILED", "jailed" } };
	struct out_table *t;
	const char *row[2];
	char **ds, **jailed;
	size_t i, n;
	int rc;

	rc = zfsjail_list(jp, name, &ds, &jailed, &n);
	if (rc == 0) {
		t = out_new(cols, nitems(cols));
		for (i = 0; i < n; i++) {
			row[0] = ds[i];
			row[1] = jailed[i];
			out_row(t, row);
		}
		out_print(t, stdout, json ? OUT_JSON : OUT_TABLE);
		out_free(t);
	}
	strv_free(ds, n);
	strv_free(jailed, n);
	return (rc == 0 ? 0 : cmd_fail(jp, name));
}

/*
 * jailer zfs [-D] name attach | detach dataset, jailer zfs [-j] name:
 * delegate a dataset to a jail (zfs-jail(8)), take it back, list them.
 */
int
cmd_zfs(struct jailer *jp, int argc, char **argv)
{
	struct zfsjail *z;
	int c, dry, json, attach;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 3,
	    "expected a jail name, attach or detach and a dataset")) != 0)
		return (c);
	if (argc == 1 && !dry)
		return (zfs_list(jp, argv[0], json));
	if (argc != 3 || (strcmp(argv[1], "attach") != 0 &&
	    strcmp(argv[1], "detach") != 0))
		return (cmd_usage_error("expected a jail name, attach or "
		    "detach and a dataset"));
	attach = strcmp(argv[1], "attach") == 0;
	if (valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, attach ? "zfs attach" :
	    "zfs detach")) != 0)
		return (c);
	lifecycle_signals();
	if ((z = zfsjail_open(jp, argv[0], argv[2], attach)) == NULL)
		return (cmd_plan_close(jp, cmd_fail(jp, argv[0])));
	if (dry) {
		zfsjail_print(jp, z);
		zfsjail_free(z);
		return (cmd_plan_close(jp, 0));
	}
	if (attach)
		ui_begin("Delegating %s to %s", argv[2], argv[0]);
	else
		ui_begin("Taking %s back from %s", argv[2], argv[0]);
	c = zfsjail_apply(jp, z);
	ui_end(c == 0);
	zfsjail_free(z);
	return (c == 0 ? 0 : cmd_fail(jp, argv[0]));
}
