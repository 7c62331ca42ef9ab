/*
 * The boot order: boot=off is the variable $boot = "off" in a jail's conf
 * file, dependencies are $depend_on.  While some jail is boot=off,
 * rc.conf's jail_list names every other jailer jail, dependencies first
 * (rc.d/jail starts jail_list in its order); when none is, jailer empties
 * the jail_list it wrote.  A jail_list naming other jails, or an
 * /etc/jail.conf with jails of its own, is not jailer's: boot=off is then
 * refused.  The same order serves start and startall.
 *
 * Depends on: jail, conf, host, rcconf, undo.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "jail.h"
#include "param.h"
#include "undo.h"

/* The $depend_on list of the jail j, or NULL. */
const struct conf_param *
param_depends(const struct jail *j)
{
	if (!j->has_conf || j->conf.njails != 1)
		return (NULL);
	return (conf_param(&j->conf.jails[0], "$depend_on"));
}


static int
boot_off(const struct jail *j)
{
	const char *v;

	if (!j->has_conf || j->conf.njails != 1)
		return (0);
	v = conf_value(&j->conf.jails[0], "$boot");
	return (v != NULL && strcmp(v, "off") == 0);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(((const struct jail *)a)->name,
	    ((const struct jail *)b)->name));
}

/* Append j to the order after its dependencies (state: 0, 1 seen). */
static void
visit(struct jails *js, struct jail *j, char *seen, char ***v, size_t *n)
{
	const struct conf_param *p;
	struct jail *d;
	size_t i;

	if (seen[j - js->v])
		return;
	seen[j - js->v] = 1;
	if ((p = param_depends(j)) != NULL)
		for (i = 0; i < p->nvals; i++)
			if ((d = jails_find(js, p->vals[i])) != NULL &&
			    d->has_conf)
				visit(js, d, seen, v, n);
	strv_push(v, n, xstrdup(j->name));
}

/* Every jailer jail in an order that honours depend. */
static void
all_order(struct jails *js, char ***v, size_t *n)
{
	char *seen;
	size_t i;

	*v = NULL;
	*n = 0;
	if (js->n > 1)
		qsort(js->v, js->n, sizeof(*js->v), by_name);
	seen = xcalloc(js->n + 1, 1);
	for (i = 0; i < js->n; i++)
		if (js->v[i].has_conf)
			visit(js, &js->v[i], seen, v, n);
	free(seen);
}

int
param_start_order(struct jailer *jp, struct jails *js, const char *name,
    char ***v, size_t *n)
{
	struct jail *j;
	char *seen;

	*v = NULL;
	*n = 0;
	if ((j = jails_find(js, name)) == NULL || !j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	seen = xcalloc(js->n + 1, 1);
	visit(js, j, seen, v, n);
	free(seen);
	return (0);
}

/* The stopped jails, dependencies first, for startall; todo has js->n. */
size_t
param_startall_todo(struct jails *js, struct jail **todo)
{
	struct jail *j;
	char **v;
	size_t i, k, n;

	all_order(js, &v, &n);
	for (i = k = 0; i < n; i++) {
		if ((j = jails_find(js, v[i])) != NULL && !j->running)
			todo[k++] = j;
		free(v[i]);
	}
	free(v);
	return (k);
}

/* A running jail whose $depend names name, or NULL. */
const char *
param_dependent(struct jails *js, const char *name)
{
	const struct conf_param *p;
	size_t i, k;

	for (i = 0; i < js->n; i++) {
		if (!js->v[i].running || (p = param_depends(&js->v[i])) == NULL)
			continue;
		for (k = 0; k < p->nvals; k++)
			if (strcmp(p->vals[k], name) == 0)
				return (js->v[i].name);
	}
	return (NULL);
}

/* /etc/jail.conf holds nothing but comments and the include line. */
static int
jailconf_plain(struct jailer *jp)
{
	struct buf b;
	char *path, *line, *p;
	size_t pos;
	int ok;

	path = host_path("/etc/jail.conf");
	buf_init(&b);
	ok = 1;
	if (file_read(jp, path, &b) == 0) {
		pos = 0;
		while (ok && (line = buf_nextline(&b, &pos)) != NULL) {
			for (p = line; isspace((unsigned char)*p); p++)
				;
			ok = *p == '\0' || *p == '#' || strcmp(p, ".include "
			    "\"/etc/jail.conf.d/*.conf\";") == 0;
		}
	}
	jp->err[0] = '\0';
	buf_free(&b);
	free(path);
	if (!ok)
		return (jailer_seterr(jp, "/etc/jail.conf defines jails of "
		    "its own: jailer does not manage rc.conf's jail_list "
		    "then"));
	return (0);
}

/* Is every word of list a jailer jail (or old)? */
static int
ours(struct jails *js, const char *list, const char *old, char **bad)
{
	char *s, *p, *w;
	struct jail *j;

	*bad = NULL;
	s = xstrdup(list);
	for (p = s; (w = str_next_word(&p, " \t")) != NULL;)
		if (*w != '\0' && (old == NULL || strcmp(w, old) != 0) &&
		    ((j = jails_find(js, w)) == NULL || !j->has_conf)) {
			*bad = xstrdup(w);
			break;
		}
	free(s);
	return (*bad == NULL);
}

/* What jail_list must be: "" when no jail is boot=off. */
static char *
wanted_list(struct jails *js, const char *old, const char *new, int *noff)
{
	struct buf b;
	struct jail *j;
	char **v;
	size_t i, n;

	all_order(js, &v, &n);
	buf_init(&b);
	buf_adds(&b, "");
	*noff = 0;
	for (i = 0; i < n; i++) {
		j = jails_find(js, v[i]);
		if (boot_off(j)) {
			(*noff)++;
			continue;
		}
		if (old != NULL && strcmp(v[i], old) == 0 && new == NULL)
			continue;
		buf_addf(&b, "%s%s", b.len > 0 ? " " : "",
		    old != NULL && strcmp(v[i], old) == 0 ? new : v[i]);
	}
	strv_free(v, n);
	if (*noff == 0)
		b.len = 0, b.data[0] = '\0';
	return (buf_steal(&b));
}

static int
bootlist_write(struct jailer *jp, struct undo *u, const char *old,
    const char *new)
{
	struct jails js;
	char *cur, *want, *bad;
	int noff, rc;

	if (jails_load(jp, &js, JAILS_CONF) == -1)
		return (-1);
	if (host_rc_get(jp, "jail_list", &cur) == -1) {
		jails_free(&js);
		return (-1);
	}
	want = wanted_list(&js, old, new, &noff);
	rc = 0;
	bad = NULL;
	if (cur == NULL)
		cur = xstrdup("");
	if (!ours(&js, cur, old, &bad)) {
		if (noff > 0)
			rc = jailer_seterr(jp, "rc.conf's jail_list names "
			    "'%s', not a jailer jail: jailer does not manage "
			    "it", vis(bad));
	} else if (noff > 0 && jailconf_plain(jp) == -1)
		rc = -1;
	else if (strcmp(cur, want) != 0 && !jp->dryrun)
		rc = host_rc_set(jp, u, "jail_list", want);
	free(bad);
	free(cur);
	free(want);
	jails_free(&js);
	return (rc);
}

/* Make jail_list follow the conf files (after create, destroy, set). */
int
param_bootlist_sync(struct jailer *jp, struct undo *u)
{
	return (bootlist_write(jp, u, NULL, NULL));
}

/* The jail name is gone (destroy, after its conf file went). */
int
param_bootlist_drop(struct jailer *jp, struct undo *u, const char *name)
{
	return (bootlist_write(jp, u, name, NULL));
}
