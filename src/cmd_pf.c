/*
 * jailer nat add | list | del, jailer rdr add | list | del
 *
 * The rules and their checks are in rules.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "plan.h"
#include "rules.h"
#include "validate.h"

/*
 * Save and load a change, printing its line (title); with -D, print its
 * plan instead.  Ends the command: 0, or the exit status.
 */
static int
change_rules(struct jailer *jp, struct rule_change *c, const char *name,
    char *title)
{
	int ok;

	ok = 1;
	if (jp->dryrun) {
		plan_title(jp, "%s would:", title);
		rules_plan(jp, c);
	} else {
		ui_begin("%s", title);
		ok = rules_apply(jp, c) == 0;
		ui_end(ok);
	}
	free(title);
	rules_change_free(c);
	return (cmd_plan_close(jp, ok ? 0 : cmd_fail(jp, name)));
}

/* A refused change: its error; 0, or the exit status. */
static int
refuse_rules(struct jailer *jp, struct rule_change *c)
{
	int rc;

	rc = cmd_fail(jp, c->who);
	rules_change_free(c);
	return (cmd_plan_close(jp, rc));
}

/* jailer nat add [-i interface] [-a address] jail */
int
cmd_nat_add(struct jailer *jp, int argc, char **argv)
{
	struct rule_opts po;
	struct rule_change rc;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'a', NULL, &po.addr, 0 }, { 'i', NULL, &po.ifname, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	memset(&po, 0, sizeof(po));
	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected one jail name")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "nat add")) != 0)
		return (c);
	jp->dryrun = dry;
	if (rules_nat_add(jp, &po, argv[0], &rc) == -1)
		return (refuse_rules(jp, &rc));
	return (change_rules(jp, &rc, argv[0], xasprintf("Adding NAT for %s "
	    "on %s", rc.j->name, rc.ifname)));
}

/*
 * jailer rdr add [-i interface] [-a address] -p tcp|udp -r port[:port]
 *     [-d port] jail
 */
int
cmd_rdr_add(struct jailer *jp, int argc, char **argv)
{
	struct rule_opts po;
	struct rule_change rc;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'a', NULL, &po.addr, 0 }, { 'd', NULL, &po.dport, 0 },
	    { 'i', NULL, &po.ifname, 0 }, { 'j', &json, NULL, 0 },
	    { 'p', NULL, &po.proto, 0 }, { 'r', NULL, &po.ports, 0 },
	    { '\0', NULL, NULL, 0 } };

	memset(&po, 0, sizeof(po));
	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected one jail name")) != 0)
		return (c);
	if (po.proto == NULL || po.ports == NULL)
		return (cmd_usage_error("-p tcp|udp and -r PORT are required"));
	if ((c = cmd_plan_open(jp, dry, json, "rdr add")) != 0)
		return (c);
	jp->dryrun = dry;
	if (rules_rdr_add(jp, &po, argv[0], &rc) == -1)
		return (refuse_rules(jp, &rc));
	return (change_rules(jp, &rc, argv[0], xasprintf("Redirecting %s "
	    "port %s on %s to %s", po.proto, po.ports, rc.ifname,
	    rc.j->name)));
}

/* nat list and rdr list: one table of the rules of one kind. */
static int
list_rules(struct jailer *jp, int argc, char **argv, char kind)
{
	struct out_table *t;
	const char *name;
	int c, json;

	if ((c = cmd_json_jail(jp, argc, argv, &json, &name)) != 0)
		return (c);
	if (rules_table(jp, name, kind, &t) == -1)
		return (cmd_fail(jp, NULL));
	/* The pf rule is for JSON; the table is wide enough without it. */
	if (json)
		out_print(t, stdout, OUT_JSON);
	else
		out_print_cols(t, stdout, kind == 'n' ? 5 : 9);
	out_free(t);
	return (0);
}

int
cmd_nat_list(struct jailer *jp, int argc, char **argv)
{
	return (list_rules(jp, argc, argv, 'n'));
}

int
cmd_rdr_list(struct jailer *jp, int argc, char **argv)
{
	return (list_rules(jp, argc, argv, 'r'));
}

/* Remove rules of a jail: kind 'n', or 'r' number num (0: all). */
static int
del_rules(struct jailer *jp, const char *name, char kind, int num)
{
	struct rule_change rc;

	if (rules_del(jp, name, kind, num, &rc) == -1)
		return (refuse_rules(jp, &rc));
	return (change_rules(jp, &rc, name, xasprintf("Removing %s of %s",
	    kind == 'n' ? "NAT" : "redirection", name)));
}

/* jailer nat del [-D [-j]] jail */
int
cmd_nat_del(struct jailer *jp, int argc, char **argv)
{
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected one jail name")) != 0)
		return (c);
	if (valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, "nat del")) != 0)
		return (c);
	jp->dryrun = dry;
	return (del_rules(jp, argv[0], 'n', 0));
}

/* jailer rdr del jail -n rule | -f  (the options may come first) */
int
cmd_rdr_del(struct jailer *jp, int argc, char **argv)
{
	const char *name, *nstr;
	char *end;
	long num;
	int c, dry, force, i, ind, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'f', &force, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { 'n', NULL, &nstr, 0 }, { '\0', NULL, NULL, 0 } };

	name = nstr = NULL;
	dry = force = json = 0;
	/*
	 * Accept "rdr del JAIL -n 1" as the original did, and the usual
	 * order: the options from argv[i] on, as if argv[i] came first.
	 */
	for (i = 1; i < argc;) {
		if ((c = cmd_getopts(argc - i + 1, argv + i - 1, spec,
		    &ind)) != 0)
			return (c);
		i += ind - 1;
		if (i < argc) {
			if (name != NULL)
				return (cmd_usage_error("expected one jail "
				    "name"));
			name = argv[i++];
		}
	}
	if (name == NULL)
		return (cmd_usage_error("expected one jail name"));
	if ((nstr == NULL) == !force)
		return (cmd_usage_error("give -n RULE or -f (all rules)"));
	if (valid_jail_name(jp, name) == -1)
		return (cmd_fail(jp, NULL));
	num = 0;
	if (nstr != NULL) {
		num = strtol(nstr, &end, 10);
		if (*nstr < '0' || *nstr > '9' || *end != '\0' || num < 1 ||
		    num > 9999) {
			jailer_seterr(jp, "invalid rule number '%s'", vis(nstr));
			return (cmd_fail(jp, NULL));
		}
	}
	if ((c = cmd_plan_open(jp, dry, json, "rdr del")) != 0)
		return (c);
	jp->dryrun = dry;
	return (del_rules(jp, name, 'r', (int)num));
}
