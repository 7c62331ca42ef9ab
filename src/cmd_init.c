/*
 * jailer init [-y] [-D [-j]] [-z pool | -d pool/dataset] [-m mountpoint]
 * jailer init info
 *
 * init is idempotent: it works out which of its steps the host still
 * needs, shows the plan, and does only those.  A failure undoes the steps
 * already done.  The plan and the steps are in initplan.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "exec.h"
#include "host.h"
#include "image.h"
#include "initplan.h"
#include "pf.h"
#include "plan.h"
#include "undo.h"
#include "validate.h"

/* Carry the plan out; every step prints "What: Done!". */
static int
run_plan(struct jailer *jp, struct init_plan *p)
{
	struct undo u;
	char *what;
	int s, ok;

	undo_init(&u);
	ok = 1;
	for (s = 0; s < INIT_NSTEPS && ok; s++) {
		if ((what = init_step_what(p, s)) == NULL)
			continue;
		ui_begin("%s", what);
		free(what);
		ok = init_step_run(jp, p, s, &u) == 0;
		ui_end(ok);
	}
	if (!ok) {
		undo_run(jp, &u);
		return (-1);
	}
	undo_commit(&u);
	return (0);
}

/* -D and -j of init. */
static int init_dry, init_json;

/* One step of init -D: its line, or its changes in a JSON plan. */
static void
show_step(struct jailer *jp, const struct init_plan *p, int s,
    const char *what)
{
	char *prop;
	size_t i;

	switch (s) {
	case INIT_DATASET:
		plan_item(jp, NULL, "create", "dataset", p->dataset, NULL,
		    p->mountpoint, "%s", what);
		break;
	case INIT_JAILER_DIR:
	case INIT_JAIL_ENABLE:
		plan_item(jp, NULL, "change", "rc.conf variable",
		    s == INIT_JAIL_ENABLE ? "jail_enable" : "jailer_dir", NULL,
		    s == INIT_JAIL_ENABLE ? "YES" : p->mountpoint, "%s", what);
		break;
	case INIT_ADOPT:
		for (i = 0; i < p->nadopt; i++) {
			prop = xasprintf("jailer:managed=%s", p->adopt_as[i]);
			plan_item(jp, NULL, "change", "dataset", p->adopt[i],
			    NULL, prop, "%s: %s", what, p->adopt[i]);
			free(prop);
		}
		break;
	case INIT_INCLUDE:
		plan_item(jp, NULL, "change", "file", "/etc/jail.conf", NULL,
		    NULL, "%s", what);
		break;
	case INIT_HOOKS:
		for (i = 0; i < p->nhooks; i++)
			plan_item(jp, NULL, "change", "file", p->hooks[i], NULL,
			    NULL, "%s: %s", what, p->hooks[i]);
		break;
	}
}

/* init -D: the steps init would take, changing nothing. */
static int
show_plan(struct jailer *jp, const struct init_plan *p)
{
	char *what;
	int s;

	if (init_plan_empty(p)) {
		plan_title(jp, "Jailer is already initialised on zfs:%s; "
		    "nothing to do.", p->dataset);
		return (0);
	}
	plan_title(jp, "Jailer init would:");
	for (s = 0; s < INIT_NSTEPS; s++) {
		if ((what = init_step_what(p, s)) == NULL)
			continue;
		show_step(jp, p, s, what);
		free(what);
	}
	return (0);
}

/* Ask (unless -y) and carry the plan out; 0, or the exit status. */
static int
confirm_run(struct jailer *jp, struct init_plan *p, int yes)
{
	if (!yes && !ui_confirm()) {
		printf("Nothing changed.\n");
		return (1);
	}
	if (run_plan(jp, p) == -1)
		return (cmd_fail(jp, NULL));
	return (0);
}

/* init's options; 0, or the exit status. */
static int
init_opts(int argc, char **argv, const char **zopt, const char **dopt,
    const char **mopt, int *yes)
{
	const struct cmd_optspec spec[] = { { 'd', NULL, dopt, 0 },
	    { 'm', NULL, mopt, 0 }, { 'y', yes, NULL, 0 },
	    { 'z', NULL, zopt, 0 }, { 'D', &init_dry, NULL, 0 },
	    { 'j', &init_json, NULL, 0 }, { '\0', NULL, NULL, 0 } };
	int c, ind;

	init_dry = init_json = 0;
	if ((c = cmd_getopts(argc, argv, spec, &ind)) != 0)
		return (c);
	if (ind < argc)
		return (cmd_usage_error("unknown sub-command '%s'",
		    vis(argv[ind])));
	if (*zopt != NULL && *dopt != NULL)
		return (cmd_usage_error("-z and -d cannot be used together"));
	return (0);
}

int
cmd_init(struct jailer *jp, int argc, char **argv)
{
	struct init_plan plan;
	const char *zopt, *dopt, *mopt;
	int c, yes;

	yes = 0;
	zopt = dopt = mopt = NULL;
	if ((c = init_opts(argc, argv, &zopt, &dopt, &mopt, &yes)) != 0 ||
	    (c = cmd_plan_open(jp, init_dry, init_json, "init")) != 0)
		return (c);
	if (init_check_opts(jp, zopt, dopt, mopt) == -1 ||
	    init_host_check(jp) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if (init_plan_make(jp, zopt, dopt, mopt, &plan) == -1) {
		init_plan_free(&plan);
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	}
	if (init_dry) {
		c = show_plan(jp, &plan);
		init_plan_free(&plan);
		return (cmd_plan_close(jp, c));
	}
	if (init_plan_empty(&plan)) {
		printf("Jailer is already initialised on zfs:%s; nothing to "
		    "do.\n\n", plan.dataset);
		init_plan_free(&plan);
		return (cmd_init_info(jp, 1, argv));
	}
	printf("Jailer will %s\n dataset     : %s\n mount point : %s\n",
	    plan.ds_exists ? "use" : "create", plan.dataset, plan.mountpoint);
	if (plan.nadopt > 0)
		printf(" adopt       : %zu jail and image dataset%s of an earlier "
		    "jailer\n", plan.nadopt, plan.nadopt == 1 ? "" : "s");
	c = confirm_run(jp, &plan, yes);
	init_plan_free(&plan);
	if (c != 0)
		return (c);
	printf("\nYou may run `jailer init info` to check system status\n"
	    "You may run `jailer init bridge` to setup advanced networking\n"
	    "\nThank you for choosing Jailer!\n");
	return (0);
}

/*
 * The report, as text lines (" label ==> value", hints under them) or,
 * with -j, one JSON object: each check under its key (a string, true or
 * false, or null when there is no value) and the hints in "hints".
 */
static struct {
	int		json;
	struct buf	obj;
	struct buf	hints;
} rep;

static void
rep_key(const char *key)
{
	buf_addc(&rep.obj, rep.obj.len == 0 ? '{' : ',');
	json_quote(&rep.obj, key);
	buf_addc(&rep.obj, ':');
}

static void
heading(const char *text)
{
	if (!rep.json)
		printf("%s\n", text);
}

/* value NULL (JSON only): null. */
static void
report(const char *key, const char *label, const char *value)
{
	if (!rep.json) {
		printf(" %-23s ==> %s\n", label, value != NULL ? value : "-");
		return;
	}
	rep_key(key);
	if (value != NULL)
		json_quote(&rep.obj, value);
	else
		buf_adds(&rep.obj, "null");
}

static void
report_yes(const char *key, const char *label, int yes)
{
	if (rep.json) {
		rep_key(key);
		buf_adds(&rep.obj, yes ? "true" : "false");
		return;
	}
	printf(" %-23s ==> %s%s%s\n", label,
	    ui_color(yes ? "\033[0;36m" : "\033[0;31m"),
	    yes ? "YES!" : "NO :(", ui_color("\033[0m"));
}

static void
hint(const char *text)
{
	if (rep.json) {
		buf_addc(&rep.hints, rep.hints.len > 0 ? ',' : '[');
		json_quote(&rep.hints, text);
		return;
	}
	printf("  %s%s%s\n", ui_color("\033[0;33m"), text,
	    ui_color("\033[0m"));
}

/* The bridge part of the report. */
static void
report_bridge(struct jailer *jp, const char *bridge)
{
	char label[80], addr[40];
	int found, up;

	found = init_bridge_in_rc(jp, bridge);
	if (rep.json)
		report("bridge", "", bridge);
	snprintf(label, sizeof(label), "%s in rc.conf", bridge);
	report_yes("bridge_in_rc_conf", label, found);
	if (!found) {
		hint("If you want Jailer to auto-configure bridge interfaces, "
		    "run `jailer init bridge`");
		return;
	}
	snprintf(label, sizeof(label), "%s is up", bridge);
	if (init_bridge_probe(jp, bridge, &up, addr) == -1) {
		report_yes("bridge_up", label, 0);
		snprintf(label, sizeof(label), "Run `service netif start %s` "
		    "to start the bridge", bridge);
		if (rep.json)
			hint(label);
		else
			printf("  %s\n", label);
		return;
	}
	report_yes("bridge_up", label, up);
	snprintf(label, sizeof(label), "%s uses IP address", bridge);
	if (addr[0] != '\0')
		report("bridge_address", label, addr);
	else if (rep.json)
		report("bridge_address", label, NULL);
	else
		report_yes("bridge_address", label, 0);
}

/* The jailer_vnet=N devfs ruleset init dhcp wrote, or "". */
static void
devfs_ruleset(struct jailer *jp, struct buf *b, char *rs, size_t len)
{
	char *path, *p, *e;

	path = host_path("/etc/devfs.rules");
	rs[0] = '\0';
	if (file_read(jp, path, b) == 0 &&
	    (p = strstr(b->data, "[jailer_vnet=")) != NULL &&
	    (e = strchr(p, ']')) != NULL && e - p < (long)len)
		snprintf(rs, len, "%.*s", (int)(e - p - 1), p + 1);
	free(path);
}

/* DHCP, devfs and pf: what init dhcp and init pf set up. */
static void
report_services(struct jailer *jp)
{
	const char *pkginfo[] = { "pkg", "info", "-e", "dhcpd", NULL };
	const char *status[] = { "service", "dhcpd", "status", NULL };
	const char *pfinfo[] = { "pfctl", "-s", "info", NULL };
	const char *fwd[] = { "sysctl", "-n", "net.inet.ip.forwarding", NULL };
	struct buf b;
	char *path, rs[64];
	int nat, rdr, filt;

	report_yes("dhcpd_installed", "dhcpd installed",
	    run(jp, pkginfo, NULL, RUN_RO) == 0);
	report_yes("dhcpd_running", "dhcpd running",
	    run(jp, status, NULL, RUN_RO) == 0);
	buf_init(&b);
	devfs_ruleset(jp, &b, rs, sizeof(rs));
	if (rs[0] != '\0' || rep.json)
		report("devfs_ruleset", "devfs ruleset", rs[0] != '\0' ? rs :
		    NULL);
	else
		report_yes("devfs_ruleset", "devfs ruleset", 0);
	if (rs[0] == '\0')
		hint("If you want DHCP for VNET jails, run `jailer init dhcp`");
	heading("Checking pf...");
	path = host_path("/etc/pf.conf");
	if (file_read(jp, path, &b) == -1)
		buf_reset(&b);
	free(path);
	report_yes("pf_conf_anchors", "pf.conf anchors",
	    pf_conf_has_anchors(b.data, &nat, &rdr, &filt) == 3);
	buf_reset(&b);
	report_yes("pf_enabled", "pf enabled", run(jp, pfinfo, &b,
	    RUN_RO) == 0 && strstr(b.data, "Status: Enabled") != NULL);
	buf_reset(&b);
	report_yes("ip_forwarding", "IP forwarding", run(jp, fwd, &b,
	    RUN_RO) == 0 && strcmp(str_trim(b.data), "1") == 0);
	if (!nat || !rdr || !filt)
		hint("If you want NAT and port redirection, run `jailer init "
		    "pf`");
	buf_free(&b);
}

/* The dataset, its mount point and the defaults, once jailer_dir is set. */
static void
report_config(struct jailer *jp)
{
	const struct config *cf;
	char *v;
	int rc;

	if (config_get(jp, &cf) == -1) {
		if (rep.json) {
			report("dataset", "", NULL);
			report("mountpoint", "", NULL);
		} else
			report_yes("dataset", "Jailer ZFS dataset", 0);
		hint(jp->err);
		return;
	}
	report("dataset", "Jailer ZFS dataset", cf->dataset);
	report("mountpoint", "Jailer ZFS mountpoint", cf->mountpoint);
	rc = image_default(jp, &v);
	report("default_image", "default image", rc == 1 ? v : rc == 0 &&
	    rep.json ? NULL : rc == 0 ? "none" : "invalid (image/.default)");
	free(v);
	rc = config_file_read(jp, ".default_nettype", &v);
	report("default_network_type", "default network type", rc == 0 ?
	    "inherit" : rc == 1 && valid_nettype(jp, v) == 0 ? v :
	    "invalid (.default_nettype)");
	free(v);
}

/* jailer_dir and what it points at. */
static void
report_jailer(struct jailer *jp)
{
	char *v, *ds;
	int rc;

	if ((rc = config_read_dir(jp, &ds)) == 1) {
		report_yes("jailer_dir_set", "jailer_dir in rc.conf", 1);
		v = xasprintf("zfs:%s", ds);
		report("jailer_dir", "jailer_dir is set to", v);
		free(v);
		free(ds);
		report_config(jp);
		return;
	}
	report_yes("jailer_dir_set", "jailer_dir in rc.conf", 0);
	if (rep.json)
		report("jailer_dir", "", NULL);
	hint(rc == -1 ? jp->err : "Run `jailer init` to set up jailer");
}

/* jailer init info [-j]: a read-only report; works on any host. */
int
cmd_init_info(struct jailer *jp, int argc, char **argv)
{
	const struct host *h;
	char *v;
	int c, json;
	const struct cmd_optspec spec[] = { { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0,
	    "no arguments expected")) != 0)
		return (c);
	if (host_get(jp, &h) == -1 || host_rc_get(jp, "jail_enable", &v) == -1)
		return (cmd_fail(jp, NULL));
	rep.json = json;
	buf_init(&rep.obj);
	buf_init(&rep.hints);
	heading("Checking system state...");
	report("freebsd_release", "FreeBSD release", h->release_str);
	report_yes("jail_enable", "jail_enable in rc.conf", rc_yes(v));
	free(v);
	report_yes("jail_conf_d", "jail.conf.d included", has_include(jp) == 1);
	heading("Checking jailer state...");
	report_jailer(jp);
	heading("Checking network status...");
	report_bridge(jp, "bridge0");
	report_services(jp);
	if (json) {
		rep_key("hints");
		buf_adds(&rep.obj, rep.hints.len > 0 ? rep.hints.data : "[");
		printf("%s]}\n", rep.obj.data);
	}
	buf_free(&rep.obj);
	buf_free(&rep.hints);
	return (0);
}
