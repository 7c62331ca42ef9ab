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
#include "rules.h"
#include "validate.h"

/* Save and load a change, printing its line. */
static int
change_rules(struct jailer *jp, struct rule_change *c, const char *name)
{
	int ok;

	ok = rules_apply(jp, c) == 0;
	ui_end(ok);
	rules_change_free(c);
	return (ok ? 0 : cmd_fail(jp, name));
}

/* jailer nat add [-i interface] [-a address] jail */
int
cmd_nat_add(struct jailer *jp, int argc, char **argv)
{
	struct rule_opts po;
	struct rule_change rc;
	int c;
	const struct cmd_optspec spec[] = { { 'a', NULL, &po.addr, 0 },
	    { 'i', NULL, &po.ifname, 0 }, { '\0', NULL, NULL, 0 } };

	memset(&po, 0, sizeof(po));
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected one jail name")) != 0)
		return (c);
	if (rules_nat_add(jp, &po, argv[0], &rc) == -1) {
		c = cmd_fail(jp, rc.who);
		rules_change_free(&rc);
		return (c);
	}
	ui_begin("Adding NAT for %s on %s", rc.j->name, rc.ifname);
	return (change_rules(jp, &rc, argv[0]));
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
	int c;
	const struct cmd_optspec spec[] = { { 'a', NULL, &po.addr, 0 },
	    { 'd', NULL, &po.dport, 0 }, { 'i', NULL, &po.ifname, 0 },
	    { 'p', NULL, &po.proto, 0 }, { 'r', NULL, &po.ports, 0 },
	    { '\0', NULL, NULL, 0 } };

	memset(&po, 0, sizeof(po));
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected one jail name")) != 0)
		return (c);
	if (po.proto == NULL || po.ports == NULL)
		return (cmd_usage_error("-p tcp|udp and -r PORT are required"));
	if (rules_rdr_add(jp, &po, argv[0], &rc) == -1) {
		c = cmd_fail(jp, rc.who);
		rules_change_free(&rc);
		return (c);
	}
	ui_begin("Redirecting %s port %s on %s to %s", po.proto, po.ports,
	    rc.ifname, rc.j->name);
	return (change_rules(jp, &rc, argv[0]));
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
	int c;

	if (rules_del(jp, name, kind, num, &rc) == -1) {
		c = cmd_fail(jp, rc.who);
		rules_change_free(&rc);
		return (c);
	}
	ui_begin("Removing %s of %s", kind == 'n' ? "NAT" : "redirection",
	    name);
	return (change_rules(jp, &rc, name));
}

/* jailer nat del jail */
int
cmd_nat_del(struct jailer *jp, int argc, char **argv)
{
	if (argc != 2)
		return (cmd_usage_error("expected one jail name"));
	if (valid_jail_name(jp, argv[1]) == -1)
		return (cmd_fail(jp, NULL));
	return (del_rules(jp, argv[1], 'n', 0));
}

/* jailer rdr del jail -n rule | -f  (the options may come first) */
int
cmd_rdr_del(struct jailer *jp, int argc, char **argv)
{
	const char *name, *nstr;
	char *end;
	long num;
	int c, force, i, ind;
	const struct cmd_optspec spec[] = { { 'f', &force, NULL, 0 },
	    { 'n', NULL, &nstr, 0 }, { '\0', NULL, NULL, 0 } };

	name = nstr = NULL;
	force = 0;
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
	return (del_rules(jp, name, 'r', (int)num));
}
