/*
 * jailer set [-D] name param=value ... | set [-D] name -u param ...
 * jailer get [-j] name [param ...]
 *
 * The whitelist, the checks and the boot order are in param.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "param.h"

/* Print what -D shows, or what waits for the next start. */
static void
print_done(const struct param_done *d, const char *name)
{
	size_t i;

	if (d->diff != NULL)
		fputs(d->diff->data, stdout);
	for (i = 0; i < d->nlater; i++)
		printf("%s takes effect at the next start of %s\n",
		    d->later[i], name);
}

/* jailer set [-Du] name param=value ... (-u may follow the name) */
int
cmd_set(struct jailer *jp, int argc, char **argv)
{
	struct param_change pc;
	const char *name;
	int c, dry, json, unset;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { 'u', &unset, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = json = unset = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 2, -1,
	    "expected a jail name and parameters")) != 0)
		return (c);
	name = argv[0];
	argc--, argv++;
	if (strcmp(argv[0], "-u") == 0) {
		unset = 1;
		argc--, argv++;
	}
	if (argc == 0)
		return (cmd_usage_error("expected parameters"));
	if ((c = cmd_plan_open(jp, dry, json, "set")) != 0)
		return (c);
	jp->dryrun = dry;
	if (param_prepare(jp, name, argv, (size_t)argc, unset, &pc) == -1) {
		param_change_free(&pc);
		return (cmd_plan_close(jp, cmd_fail(jp, name)));
	}
	if (pc.n == 0) {
		if (jp->plan == NULL)
			printf("%s: the parameters are already set; nothing to "
			    "do\n", name);
		param_change_free(&pc);
		return (cmd_plan_close(jp, 0));
	}
	if (!dry)
		ui_begin("Setting parameters of %s", name);
	c = param_apply(jp, &pc);
	if (!dry)
		ui_end(c == 0);
	if (c == 0 && jp->plan == NULL)
		print_done(&pc.done, name);
	param_change_free(&pc);
	return (cmd_plan_close(jp, c == 0 ? 0 : cmd_fail(jp, name)));
}

/* jailer get [-j] name [param ...] */
int
cmd_get(struct jailer *jp, int argc, char **argv)
{
	static const struct out_col cols[] = { { "PARAM", "param" },
	    { "VALUE", "value" } };
	struct param_row *r;
	struct out_col *jc;
	const char **vals;
	struct out_table *t;
	size_t i, n;
	int c, json;
	const struct cmd_optspec spec[] = { { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, -1,
	    "expected a jail name")) != 0)
		return (c);
	if (param_get(jp, argv[0], argv + 1, (size_t)argc - 1, &r, &n) == -1)
		return (cmd_fail(jp, argv[0]));
	t = out_new(cols, nitems(cols));
	jc = xcalloc(n + 1, sizeof(*jc));
	vals = xcalloc(n + 1, sizeof(*vals));
	for (i = 0; i < n; i++) {
		jc[i].header = jc[i].key = r[i].name;
		vals[i] = r[i].value;
		out_row(t, (const char *const []){ r[i].name,
		    r[i].value != NULL ? r[i].value : "-" });
	}
	if (json) {
		out_json_object(stdout, jc, vals, n);
		putchar('\n');
	} else
		out_print(t, stdout, OUT_TABLE);
	out_free(t);
	free(jc);
	free(vals);
	param_rows_free(r, n);
	return (0);
}
