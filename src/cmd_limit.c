/*
 * jailer limit [-D] name resource=amount[:action] ...
 * jailer limit list [-j] [name], jailer limit del [-D] name resource | -a
 * jailer cpuset [-D] name list | [-D] name -u | [-j] name
 *
 * The tables, the checks and the conf file lines are in rctl.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "rctl.h"

/* After a change: the -D diff, or where it took effect. */
static int
finish(struct jailer *jp, int rc, struct limit_done *d, const char *name,
    const char *what)
{
	if (rc == 0 && jp->dryrun)
		fputs(d->diff.data, stdout);
	else if (rc == 0 && d->changed == 0)
		printf("%s: nothing to change\n", name);
	else if (rc == 0)
		printf("%s of %s: written to its conf file%s\n", what, name,
		    d->running ? " and applied to the running jail" :
		    ", applied at its next start");
	limit_done_free(d);
	return (rc == 0 ? 0 : cmd_fail(jp, name));
}

/* jailer limit [-D] name resource=amount[:action] ... */
int
cmd_limit(struct jailer *jp, int argc, char **argv)
{
	struct limit_done d;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 2, -1,
	    "expected a jail name and resource=amount[:action]")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "limit")) != 0)
		return (c);
	jp->dryrun = dry;
	c = limit_set(jp, argv[0], argv + 1, (size_t)argc - 1, &d);
	return (cmd_plan_close(jp, finish(jp, c, &d, argv[0], "Limits")));
}

/* jailer limit list [-j] [name] */
int
cmd_limit_list(struct jailer *jp, int argc, char **argv)
{
	static const struct out_col cols[] = { { "JAIL", "jail" },
	    { "RESOURCE", "resource" }, { "AMOUNT", "amount" },
	    { "ACTION", "action" }, { "USAGE", "usage" } };
	struct limit_row *r;
	struct out_table *t;
	const char *name;
	size_t i, n;
	int c, json;

	if ((c = cmd_json_jail(jp, argc, argv, &json, &name)) != 0)
		return (c);
	if (limit_list(jp, name, &r, &n) == -1)
		return (cmd_fail(jp, name));
	t = out_new(cols, nitems(cols));
	for (i = 0; i < n; i++)
		out_row(t, (const char *const []){ r[i].jail, r[i].resource,
		    r[i].amount, r[i].action,
		    r[i].usage != NULL ? r[i].usage : "-" });
	out_print(t, stdout, json ? OUT_JSON : OUT_TABLE);
	out_free(t);
	limit_rows_free(r, n);
	return (0);
}

/* jailer limit del [-D] name resource | [-D] -a name */
int
cmd_limit_del(struct jailer *jp, int argc, char **argv)
{
	struct limit_done d;
	int all, c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'a', &all, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	all = dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 2,
	    "expected a jail name and a resource, or -a and a jail name"))
	    != 0)
		return (c);
	if (all != (argc == 1))
		return (cmd_usage_error("%s", all ? "-a takes no resource" :
		    "expected a resource, or -a for every limit"));
	if ((c = cmd_plan_open(jp, dry, json, "limit del")) != 0)
		return (c);
	jp->dryrun = dry;
	c = limit_del(jp, argv[0], all ? NULL : argv[1], &d);
	return (cmd_plan_close(jp, finish(jp, c, &d, argv[0],
	    "Removal of limits")));
}

/* jailer cpuset [-j] name: its CPU list. */
static int
show_cpuset(struct jailer *jp, const char *name, int json)
{
	char *list;

	if (cpuset_get(jp, name, &list) == -1)
		return (cmd_fail(jp, name));
	if (json)
		printf("{\"jail\": \"%s\", \"cpuset\": %s%s%s}\n", name,
		    list != NULL ? "\"" : "", list != NULL ? list : "null",
		    list != NULL ? "\"" : "");
	else
		printf("%s\n", list != NULL ? list : "all");
	free(list);
	return (0);
}

/* jailer cpuset [-D] name list | [-D] name -u | [-j] name */
int
cmd_cpuset(struct jailer *jp, int argc, char **argv)
{
	struct limit_done d;
	int c, dry, json, unset;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { 'u', &unset, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = json = unset = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 2,
	    "expected a jail name and a CPU list")) != 0)
		return (c);
	if (argc == 2 && strcmp(argv[1], "-u") == 0) {
		unset = 1;
		argc--;
	}
	if (json && !dry && (unset || argc == 2))
		return (cmd_usage_error("-j shows the CPU list, or the plan "
		    "with -D"));
	if (unset && argc == 2)
		return (cmd_usage_error("-u takes no CPU list"));
	if (!unset && argc == 1 && !dry)
		return (show_cpuset(jp, argv[0], json));
	if (!unset && argc == 1)
		return (cmd_usage_error("expected a jail name and a CPU list"));
	if ((c = cmd_plan_open(jp, dry, json, "cpuset")) != 0)
		return (c);
	jp->dryrun = dry;
	c = cpuset_set(jp, argv[0], unset ? NULL : argv[1], &d);
	return (cmd_plan_close(jp, finish(jp, c, &d, argv[0], "CPU set")));
}
