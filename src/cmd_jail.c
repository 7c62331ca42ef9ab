/*
 * jailer create | destroy | gc | start | stop | restart | startall |
 * stopall | console | exec | edit (list and info: cmd_list.c)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "ctlplan.h"
#include "exec.h"
#include "gc.h"
#include "host.h"
#include "image.h"
#include "info.h"
#include "jail.h"
#include "lifecycle.h"
#include "lock.h"
#include "net.h"
#include "net6.h"
#include "out.h"
#include "param.h"
#include "plan.h"
#include "startall.h"
#include "validate.h"

/* create's options; -T FILE and -A ARG=VALUE: a template (cmd_inside.c). */
#define	CREATE_OPTS	"A:CDT:a:b:d:e:g:jm:nr:s:t:"
static const char *create_template, *create_targ;
static int create_json;

/* -a and -g again: once per address family (IPv4 or dhcp, IPv6). */
static int
create_families(int argc, char **argv, struct create_req *rq)
{
	const char **slot;
	struct opt o;
	int c;

	rq->addr = rq->gateway = NULL;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, CREATE_OPTS)) != -1) {
		if (c != 'a' && c != 'g')
			continue;
		if (net6_is(o.arg))
			slot = c == 'a' ? &rq->addr6 : &rq->gateway6;
		else
			slot = c == 'a' ? &rq->addr : &rq->gateway;
		if (*slot != NULL)
			return (cmd_usage_error("-%c may be given once per "
			    "address family", c));
		*slot = o.arg;
	}
	return (0);
}

/* create's options into rq and *dry; 0, or the exit status. */
static int
create_opts(int argc, char **argv, struct create_req *rq, int *dry)
{
	const struct cmd_optspec spec[] = {
		{ 'C', &rq->clone, NULL, 0 }, { 'D', dry, NULL, 0 },
		{ 'a', NULL, &rq->addr, 0 }, { 'b', NULL, &rq->iface, 0 },
		{ 'd', NULL, &rq->domain, 0 }, { 'e', NULL, &rq->resolver, 0 },
		{ 'g', NULL, &rq->gateway, 0 }, { 'j', &create_json, NULL, 0 },
		{ 'm', NULL, &rq->netmask, 0 },
		{ 'n', &rq->quiet, NULL, 0 }, { 'r', NULL, &rq->release, 0 },
		{ 's', NULL, &rq->snapshot, 0 }, { 't', NULL, &rq->type, 0 },
		{ 'T', NULL, &create_template, 0 },	/* cmd_inside.c */
		{ 'A', NULL, &create_targ, 0 },		/* each: cmd_inside.c */
		{ '\0', NULL, NULL, 0 }
	};
	char **all = argv;
	int c, nall = argc;

	memset(rq, 0, sizeof(*rq));
	*dry = 0;
	create_template = create_targ = NULL;
	create_json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 1,
	    "at most one jail name")) != 0 ||
	    (c = create_families(nall, all, rq)) != 0)
		return (c);
	if (rq->release != NULL && rq->snapshot != NULL)
		return (cmd_usage_error("-r and -s cannot be used together"));
	if (create_targ != NULL && create_template == NULL)
		return (cmd_usage_error("-A gives a template's ARG: use -T"));
	rq->name = argc == 1 ? argv[0] : NULL;
	return (0);
}

/* Fetch the image the plan needs, printing its line. */
static int
create_fetch(struct jailer *jp, const struct create_plan *plan)
{
	int rc;

	if (image_clean_partial(jp, plan->release) == -1)
		return (-1);
	ui_begin("Fetching %s", plan->release);
	rc = image_fetch(jp, plan->release, isatty(STDERR_FILENO));
	ui_end(rc == 0);
	return (rc);
}

/* create -D: the plan, and the template's lines with -T. */
static int
create_dry(struct jailer *jp, struct create_plan *plan, struct tmpl *t)
{
	struct buf notes;

	buf_init(&notes);
	create_plan_show(jp, plan);
	cmd_create_apply(jp, t, plan->name, 1, &notes);
	buf_free(&notes);
	return (0);
}

/* create once its options are read: the plan, then -D or the work. */
static int
create_do(struct jailer *jp, int argc, char **argv, struct create_req *rq,
    int dry)
{
	struct create_plan plan;
	struct tmpl *t = NULL;
	struct buf notes;
	int rc;

	if (create_validate(jp, rq) == -1)
		return (cmd_fail(jp, NULL));
	lifecycle_signals();
	if (create_plan(jp, rq, &plan) == -1) {
		rc = cmd_fail(jp, plan.name != NULL ? plan.name : rq->name);
		create_plan_free(&plan);
		return (rc);
	}
	/* -T: the template checked before anything changes (cmd_inside.c) */
	if (create_template != NULL && (t = cmd_create_tmpl(jp, argc, argv,
	    CREATE_OPTS, create_template, plan.name, &rc)) == NULL) {
		create_plan_free(&plan);
		return (rc);
	}
	if (dry) {
		rc = create_dry(jp, &plan, t);
		create_plan_free(&plan);
		return (rc);
	}
	buf_init(&notes);
	if (plan.need_fetch && create_fetch(jp, &plan) == -1) {
		rc = cmd_fail(jp, plan.release);
		cmd_create_apply(jp, t, NULL, 0, &notes);
		create_plan_free(&plan);
		buf_free(&notes);
		return (rc);
	}
	ui_begin("Creating %s", plan.name);
	rc = create_run(jp, &plan);
	rc = cmd_create_apply(jp, t, rc == 0 ? plan.name : NULL, 0, &notes) ==
	    0 ? rc : -1;
	ui_end(rc == 0);
	if (rc == -1)
		rc = cmd_fail(jp, plan.name);
	else
		fputs(notes.data, stdout);
	create_plan_free(&plan);
	buf_free(&notes);
	return (rc);
}

/* jailer create [-CDn] [-j] [-r release | -s jail@snap] ... [name] */
int
cmd_create(struct jailer *jp, int argc, char **argv)
{
	struct create_req rq;
	int dry, rc;

	if ((rc = create_opts(argc, argv, &rq, &dry)) != 0 ||
	    (rc = cmd_plan_open(jp, dry, create_json, "create")) != 0)
		return (rc);
	return (cmd_plan_close(jp, create_do(jp, argc, argv, &rq, dry)));
}

/* Check a list of jail names; 0 if all are valid. */
static int
names_valid(struct jailer *jp, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (valid_jail_name(jp, argv[i]) == -1)
			return (-1);
	return (0);
}

/* destroy -D: every jail's plan; 1 when one of them cannot be made. */
static int
destroy_plan(struct jailer *jp, int argc, char **argv, int force)
{
	int i, failed;

	failed = 0;
	for (i = 0; i < argc; i++)
		if (jail_destroy(jp, argv[i], force, 1) == -1)
			failed = cmd_fail(jp, argv[i]);
	return (failed);
}

/* jailer destroy [-Dfj] name ... */
int
cmd_destroy(struct jailer *jp, int argc, char **argv)
{
	int c, i, dry, force, json, failed;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'f', &force, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = force = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, -1, "no jail named")) != 0)
		return (c);
	if (names_valid(jp, argc, argv) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, "destroy")) != 0)
		return (c);
	if (dry)
		return (cmd_plan_close(jp, destroy_plan(jp, argc, argv, force)));
	lifecycle_signals();
	failed = 0;
	for (i = 0; i < argc; i++) {
		ui_begin("Destroying %s", argv[i]);
		c = jail_destroy(jp, argv[i], force, 0);
		ui_end(c == 0);
		if (c == -1)
			failed = cmd_fail(jp, argv[i]);
		if (jailer_interrupted)
			break;
	}
	return (failed);
}

/* gc -D -j: every leftover as a change. */
static int
gc_plan(struct jailer *jp, struct orphans *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		plan_item(jp, NULL, "remove", "leftover", o->v[i].what, NULL,
		    NULL, "%s (%s)", o->v[i].what, o->v[i].why);
	orphans_free(o);
	return (0);
}

/* jailer gc [-Dy] | gc -Dj: find and remove the leftovers of killed commands. */
int
cmd_gc(struct jailer *jp, int argc, char **argv)
{
	struct orphans o;
	size_t i;
	int c, dry, json, yes, failed;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { 'y', &yes, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = json = yes = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0, NULL)) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "gc")) != 0)
		return (c);
	if (orphans_find(jp, &o) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if (jp->plan != NULL)
		return (cmd_plan_close(jp, gc_plan(jp, &o)));
	if (o.n == 0) {
		printf("Nothing to clean up.\n");
		orphans_free(&o);
		return (dry || marks_sweep(jp) == 0 ? 0 : cmd_fail(jp, NULL));
	}
	printf("Left behind by interrupted commands:\n");
	for (i = 0; i < o.n; i++)
		printf("  %s (%s)\n", o.v[i].what, o.v[i].why);
	if (dry || (!yes && !ui_confirm())) {
		if (!dry)
			printf("Nothing changed.\n");
		orphans_free(&o);
		return (dry ? 0 : 1);
	}
	failed = 0;
	for (i = 0; i < o.n; i++) {
		ui_begin("Removing %s", o.v[i].what);
		c = orphan_remove(jp, &o.v[i]);
		ui_end(c == 0);
		if (c == -1)
			failed = cmd_fail(jp, o.v[i].what);
	}
	orphans_free(&o);
	if (!failed && marks_sweep(jp) == -1)
		failed = cmd_fail(jp, NULL);
	return (failed);
}

/* Start (start = 1) or stop one jail, printing its line. */
static int
start_stop(struct jailer *jp, struct jails *js, const char *name, int start,
    int force)
{
	struct jail *j;
	int rc;

	ui_begin("%s %s", start ? "Starting" : "Stopping", name);
	if ((j = jails_find(js, name)) == NULL) {
		ui_end(0);
		jailer_seterr(jp, "no such jail");
		return (cmd_fail(jp, name));
	}
	if (start && j->running) {
		/* What a killed start may have left undone: its rules. */
		switch (jail_rules_repair(jp, j)) {
		case -1:
			ui_end(0);
			jailer_warnx(name, "running, but its pf rules are not "
			    "loaded: %s", jp->err);
			return (1);
		case 1:
			printf("already running; pf rules loaded\n");
			return (0);
		}
		printf("already running\n");
		return (0);
	}
	if (!start && !j->running) {
		struct buf did;

		/* What an earlier failed or killed stop left behind. */
		buf_init(&did);
		if (j->has_conf && jail_leftovers(jp, j, &did) == -1) {
			buf_free(&did);
			ui_end(0);
			return (cmd_fail(jp, name));
		}
		if (did.len > 0)
			printf("not running; cleaned up: %s\n", did.data);
		else
			printf("not running\n");
		buf_free(&did);
		return (0);
	}
	rc = start ? jail_start(jp, j, force) : jail_stop(jp, j, force);
	ui_end(rc == 0);
	if (rc == -1)
		return (cmd_fail(jp, name));
	j->running = start;
	return (0);
}

/*
 * Before start: what name depends on ($depend), dependencies first.
 * Before stop: refused while a running jail depends on it.
 */
static int
depends_first(struct jailer *jp, struct jails *js, const char *name,
    int start)
{
	struct jail *d;
	const char *who;
	char **v;
	size_t i, n;
	int rc;

	if (!start) {
		if ((who = param_dependent(js, name)) == NULL)
			return (0);
		jailer_seterr(jp, "the running jail %s depends on it; stop %s "
		    "first", who, who);
		return (cmd_fail(jp, name));
	}
	if (param_start_order(jp, js, name, &v, &n) == -1) {
		jp->err[0] = '\0';	/* start_stop reports it */
		return (0);
	}
	rc = 0;
	for (i = 0; i + 1 < n && rc == 0 && !jailer_interrupted; i++)
		if ((d = jails_find(js, v[i])) != NULL && !d->running)
			rc = start_stop(jp, js, v[i], 1, 0);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return (rc);
}

/* start, stop, restart -D [-j]: the plan of every name. */
static int
start_stop_plan(struct jailer *jp, struct jails *js, int argc, char **argv,
    int start, int restart)
{
	int i, rc;

	rc = 0;
	for (i = 0; i < argc && rc == 0; i++)
		if (ctl_plan(jp, js, argv[i], start, restart) == -1)
			rc = cmd_fail(jp, argv[i]);
	jails_free(js);
	return (cmd_plan_close(jp, rc));
}

static int
start_stop_cmd(struct jailer *jp, int argc, char **argv, int start,
    int restart)
{
	struct jails js;
	int c, i, dry, force, json, failed;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'f', &force, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = force = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, -1, "no jail named")) != 0)
		return (c);
	if (names_valid(jp, argc, argv) == -1)
		return (cmd_fail(jp, NULL));
	if ((c = cmd_plan_open(jp, dry, json, restart ? "restart" : start ?
	    "start" : "stop")) != 0)
		return (c);
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if (dry)
		return (start_stop_plan(jp, &js, argc, argv, start, restart));
	/* SIGINT/SIGTERM/SIGHUP end the jail(8) call and undo it. */
	lifecycle_signals();
	failed = 0;
	for (i = 0; i < argc && !jailer_interrupted; i++) {
		if (restart) {
			struct jail *j = jails_find(&js, argv[i]);

			if (j != NULL && j->running &&
			    start_stop(jp, &js, argv[i], 0, 0) != 0) {
				failed = 1;
				continue;
			}
		}
		if (!restart && depends_first(jp, &js, argv[i], start) != 0) {
			failed = 1;
			continue;
		}
		if (start_stop(jp, &js, argv[i], start, force) != 0)
			failed = 1;
	}
	jails_free(&js);
	if (jailer_interrupted && !failed)
		jailer_warnx(NULL, "interrupted");
	return (failed || jailer_interrupted);
}

int
cmd_start(struct jailer *jp, int argc, char **argv)
{
	return (start_stop_cmd(jp, argc, argv, 1, 0));
}

int
cmd_stop(struct jailer *jp, int argc, char **argv)
{
	return (start_stop_cmd(jp, argc, argv, 0, 0));
}

int
cmd_restart(struct jailer *jp, int argc, char **argv)
{
	return (start_stop_cmd(jp, argc, argv, 1, 1));
}


/*
 * startall / stopall: every jail jailer knows, in one line like rc.d/jail
 * prints ("Starting jails: a b c."); failures are reported after it.
 */
static int
all_cmd(struct jailer *jp, int start, size_t par)
{
	struct jails js;
	struct jail **todo;
	struct buf errs;
	size_t i, n;
	int failed;

	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (cmd_fail(jp, NULL));
	todo = xcalloc(js.n + 1, sizeof(*todo));
	n = ctl_all_todo(&js, start, todo);	/* $depend_on first */
	if (par > 0) {			/* startall -p */
		failed = startall_parallel(jp, todo, n, par);
		free(todo);
		jails_free(&js);
		return (failed);
	}
	buf_init(&errs);
	failed = 0;
	printf("%s jails:", start ? "Starting" : "Stopping");
	fflush(stdout);
	for (i = 0; i < n && !jailer_interrupted; i++) {
		if ((start ? jail_start(jp, todo[i], 0) :
		    jail_stop(jp, todo[i], 0)) == -1) {
			buf_addf(&errs, "jailer: %s: %s\n", todo[i]->name,
			    jp->err);
			failed = 1;
			continue;
		}
		printf(" %s", todo[i]->name);
		fflush(stdout);
	}
	printf(".\n");
	fflush(stdout);
	fputs(errs.data, stderr);
	if (jailer_interrupted) {
		jailer_warnx(NULL, "interrupted");
		failed = 1;
	}
	buf_free(&errs);
	free(todo);
	jails_free(&js);
	return (failed);
}

/* startall and stopall -D [-j]. */
static int
all_plan(struct jailer *jp, int start)
{
	struct jails js;

	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	plan_title(jp, "%s would:", start ? "startall" : "stopall");
	ctl_plan_all(jp, &js, start);
	jails_free(&js);
	return (cmd_plan_close(jp, 0));
}

int
cmd_startall(struct jailer *jp, int argc, char **argv)
{
	const char *p = NULL;
	int dry = 0, json = 0;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
		{ 'j', &json, NULL, 0 }, { 'p', NULL, &p, 0 },
		{ '\0', NULL, NULL, 0 }
	};
	char *end;
	long n;
	int c;

	if ((c = cmd_parse(&argc, &argv, spec, 0, 0,
	    "no arguments expected")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "startall")) != 0)
		return (c);
	if (dry)
		return (all_plan(jp, 1));
	n = 0;
	if (p != NULL && ((n = strtol(p, &end, 10)) < 1 || n > STARTALL_MAX ||
	    *p == '\0' || *end != '\0'))
		return (cmd_usage_error("-p: '%s' is not a number from 1 to "
		    "%d", vis(p), STARTALL_MAX));
	lifecycle_signals();
	return (all_cmd(jp, 1, (size_t)n));
}

int
cmd_stopall(struct jailer *jp, int argc, char **argv)
{
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0,
	    "no arguments expected")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "stopall")) != 0)
		return (c);
	if (dry)
		return (all_plan(jp, 0));
	lifecycle_signals();
	return (all_cmd(jp, 0, 0));
}

/* The running jail called name, or an error. */
static int
need_running(struct jailer *jp, const char *name)
{
	struct jails js;
	struct jail *j;
	int rc;

	if (valid_jail_name(jp, name) == -1)
		return (-1);
	if (jails_load(jp, &js, JAILS_RUNNING) == -1)
		return (-1);
	j = jails_find(&js, name);
	rc = j != NULL && j->running ? 0 : jailer_seterr(jp, "not running; "
	    "start it with 'jailer start %s'", name);
	jails_free(&js);
	return (rc);
}

/*
 * jailer hook start|stop name: what the jail's conf file runs from
 * exec.poststart and exec.poststop.  A rule that cannot be loaded or
 * flushed is a warning, never a failure: jail(8) would otherwise refuse
 * to start the jail at boot, or stop in the middle of its clean-up.
 */
int
cmd_hook(struct jailer *jp, int argc, char **argv)
{
	int start;

	if (argc != 3)
		return (cmd_usage_error("%s", argc < 3 ? "missing arguments" :
		    "too many arguments"));
	if (strcmp(argv[1], "start") != 0 && strcmp(argv[1], "stop") != 0)
		return (cmd_usage_error("'%s' is neither start nor stop",
		    vis(argv[1])));
	start = argv[1][2] == 'a';
	if (valid_jail_name(jp, argv[2]) == -1)
		return (cmd_fail(jp, NULL));
	if (jail_hook(jp, argv[2], start) == -1)
		jailer_warnx(argv[2], "pf rules not %s: %s", start ? "loaded" :
		    "flushed", jp->err);
	return (0);
}

/* jailer console name: a login shell as root inside the jail. */
int
cmd_console(struct jailer *jp, int argc, char **argv)
{
	const char *jx[] = { "jexec", "-l", "-U", "root", NULL, NULL };
	int rc;

	if (argc != 2)
		return (cmd_usage_error("expected one jail name"));
	if (need_running(jp, argv[1]) == -1)
		return (cmd_fail(jp, argv[1]));
	jx[4] = argv[1];
	rc = run(jp, jx, NULL, RUN_TTY);
	return (rc == -1 ? cmd_fail(jp, argv[1]) : rc);
}

/*
 * jailer exec name command [argument ...]: run a command as root in the
 * jail, with a clean environment; its exit status is jailer's.
 */
int
cmd_exec(struct jailer *jp, int argc, char **argv)
{
	const char **jx;
	int i, rc;

	if (argc < 3)
		return (cmd_usage_error("expected a jail name and a command"));
	if (need_running(jp, argv[1]) == -1)
		return (cmd_fail(jp, argv[1]));
	jx = xcalloc((size_t)argc + 5, sizeof(*jx));
	jx[0] = "jexec";
	jx[1] = "-l";
	jx[2] = "-U";
	jx[3] = "root";
	jx[4] = argv[1];
	for (i = 2; i < argc; i++)
		jx[i + 3] = argv[i];
	rc = run(jp, jx, NULL, RUN_TTY);
	free(jx);
	return (rc == -1 ? cmd_fail(jp, argv[1]) : rc);
}
