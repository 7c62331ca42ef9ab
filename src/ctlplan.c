/*
 * -D for start, stop, restart, startall and stopall: which jails would
 * start or stop, in the order the command takes them (a jail's
 * $depend_on first, as param_start_order() gives it), and the jail(8)
 * call for each.  A jail already in the wanted state is no change.  The
 * refusals are the command's own: no such jail, a stop while a running
 * jail depends on it.
 *
 * Depends on: param, jail, host, plan.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ctlplan.h"
#include "host.h"
#include "jail.h"
#include "param.h"
#include "plan.h"

/* One jail started (start = 1) or stopped. */
static void
one(struct jailer *jp, struct jail *j, int start)
{
	plan_item(jp, NULL, start ? "start" : "stop", "jail", j->name, NULL,
	    NULL, "jail -f %s/%s.conf -%c %s", JAIL_CONF_D, j->name,
	    start ? 'c' : 'r', j->name);
	j->running = start;
}

/* start: name's dependencies that do not run, then name. */
static int
start_plan(struct jailer *jp, struct jails *js, struct jail *j)
{
	struct jail *d;
	char **v;
	size_t i, n;

	if (param_start_order(jp, js, j->name, &v, &n) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if ((d = jails_find(js, v[i])) != NULL && !d->running)
			one(jp, d, 1);
		free(v[i]);
	}
	free(v);
	return (0);
}

/*
 * The plan of start (start 1), stop (0) or restart (restart 1) of the
 * jail name, after the jails before it on the command line (js is
 * updated as if they had run).  0, or -1 with the error set.
 */
int
ctl_plan(struct jailer *jp, struct jails *js, const char *name, int start,
    int restart)
{
	struct jail *j;
	const char *who;

	if ((j = jails_find(js, name)) == NULL || !j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (!start && j->running &&
	    (who = param_dependent(js, name)) != NULL)
		return (jailer_seterr(jp, "the running jail %s depends on it; "
		    "stop %s first", who, who));
	plan_title(jp, "%s %s would:", restart ? "Restarting" : start ?
	    "Starting" : "Stopping", name);
	if (!restart && j->running == start) {
		plan_title(jp, "  nothing: it is %s", start ? "running" :
		    "stopped");
		return (0);
	}
	if (restart) {
		if (j->running)
			one(jp, j, 0);
		one(jp, j, 1);
		return (0);
	}
	if (start)
		return (start_plan(jp, js, j));
	one(jp, j, 0);
	return (0);
}

static int
by_jid(const void *a, const void *b)
{
	const struct jail *const *x = a, *const *y = b;

	return (atoi((*x)->jid) - atoi((*y)->jid));
}

/*
 * What startall (start 1) or stopall takes, in its order, into todo
 * (room for js->n): the stopped jails, dependencies first, or the
 * running ones by JID.  Returns their number.
 */
size_t
ctl_all_todo(struct jails *js, int start, struct jail **todo)
{
	size_t i, n;

	if (start)
		return (param_startall_todo(js, todo));
	for (i = n = 0; i < js->n; i++)
		if (js->v[i].has_conf && js->v[i].running)
			todo[n++] = &js->v[i];
	if (n > 1)
		qsort(todo, n, sizeof(*todo), by_jid);
	return (n);
}

/* startall (start 1) or stopall -D. */
void
ctl_plan_all(struct jailer *jp, struct jails *js, int start)
{
	struct jail **todo;
	size_t i, n;

	todo = xcalloc(js->n + 1, sizeof(*todo));
	n = ctl_all_todo(js, start, todo);
	for (i = 0; i < n; i++)
		one(jp, todo[i], start);
	free(todo);
}
