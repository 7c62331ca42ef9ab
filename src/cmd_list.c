/*
 * jailer list [-H] [-j] [-l] | info [-j] name
 *
 * list's text columns are those of the original jailer; -l adds IP6, the
 * IPv6 address jailer recorded for the jail (net6.c), which -j gives as
 * the key "ip6".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "gc.h"
#include "host.h"
#include "info.h"
#include "jail.h"
#include "lock.h"
#include "net6.h"
#include "out.h"
#include "validate.h"

/*
 * Say so when an interrupted command left something behind.  busy: a
 * command held the lock when this one started looking, so what looks
 * left behind may be its work in progress.
 */
static void
warn_leftovers(struct jailer *jp, const struct jails *js, int busy)
{
	const struct config *cf;
	struct orphans o;
	size_t i;

	if (busy || config_get(jp, &cf) == -1 || lock_busy())
		return;
	orphans_cheap(cf, js, &o);
	orphans_marks(js, &o);
	for (i = 0; i < o.n; i++)
		if (o.v[i].kind == ORPHAN_MARK)	/* says what to run */
			jailer_warnx(o.v[i].what, "%s", o.v[i].why);
		else
			jailer_warnx(o.v[i].what, "%s; run 'jailer gc'",
			    o.v[i].why);
	orphans_free(&o);
}

/* The first LIST_NTEXT columns are list's; -l and -j add the rest. */
#define	LIST_NTEXT	6
#define	LIST_NCOLS	7

static const struct out_col list_cols[LIST_NCOLS] = {
	{ "NAME", "name" }, { "STATE", "state" }, { "JID", "jid" },
	{ "HOSTNAME", "hostname" }, { "IPv4", "ipv4" }, { "GW", "gateway" },
	{ "IP6", "ip6" },
};

/* One jail's row; *ip, *gw and *ip6 are the caller's to free. */
static void
list_row(struct jailer *jp, const struct jail *j, int json,
    const char **row, char **ip, char **gw, char **ip6)
{
	memset(row, 0, LIST_NCOLS * sizeof(*row));
	*ip = *gw = *ip6 = NULL;
	row[0] = j->name;
	row[1] = j->running ? "Active" : "Stopped";
	if (!j->running)
		return;
	jail_net(jp, j, ip, gw);
	row[2] = j->jid;
	row[3] = j->hostname != NULL ? j->hostname : "-";
	row[4] = *ip;
	row[5] = *gw;
	*ip6 = net6_of(j);
	row[6] = *ip6 != NULL ? *ip6 : json ? NULL : "-";
}

/* jailer list [-H] [-j] [-l] */
int
cmd_list(struct jailer *jp, int argc, char **argv)
{
	struct out_table *t;
	struct jails js;
	const char *row[LIST_NCOLS];
	char *ip, *gw, *ip6;
	size_t i;
	int c, busy, style, lng;
	const struct cmd_optspec spec[] = { { 'H', &style, NULL, OUT_TAB },
	    { 'j', &style, NULL, OUT_JSON }, { 'l', &lng, NULL, 1 },
	    { '\0', NULL, NULL, 0 } };

	style = OUT_TABLE;
	lng = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0, NULL)) != 0)
		return (c);
	busy = lock_busy();
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (cmd_fail(jp, NULL));
	warn_leftovers(jp, &js, busy);
	t = out_new(list_cols, lng || style == OUT_JSON ? LIST_NCOLS :
	    LIST_NTEXT);
	for (i = 0; i < js.n; i++) {
		list_row(jp, &js.v[i], style == OUT_JSON, row, &ip, &gw, &ip6);
		out_row(t, row);
		free(ip);
		free(gw);
		free(ip6);
	}
	out_print(t, stdout, (enum out_style)style);
	out_free(t);
	jails_free(&js);
	return (0);
}

/* jailer info [-j] name */
int
cmd_info(struct jailer *jp, int argc, char **argv)
{
	struct jail_info ji;
	size_t i;
	int c, json;
	const struct cmd_optspec spec[] = { { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected one jail name")) != 0)
		return (c);
	if (valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if (jail_info_get(jp, argv[0], json, &ji) == -1) {
		jail_info_free(&ji);
		return (cmd_fail(jp, ji.who));
	}
	if (json) {
		out_json_object(stdout, jail_info_cols, ji.row,
		    JAIL_INFO_NCOLS);
		putchar('\n');
	} else
		for (i = 0; i < JAIL_INFO_NCOLS; i++)
			if (ji.row[i] != NULL)
				printf("%s: %s\n", jail_info_cols[i].header,
				    ji.row[i]);
	jail_info_free(&ji);
	return (0);
}
