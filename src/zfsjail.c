/*
 * ZFS datasets delegated to a jail (zfs-jail(8)): jailer zfs NAME attach
 * | detach DATASET, and the list.  A delegated dataset gets jailed=on;
 * the jail's conf file gets allow.mount, allow.mount.zfs and
 * enforce_statfs=1 (jail(8): allow.mount.zfs works only with allow.mount
 * and enforce_statfs below 2), and the dataset is attached at every
 * start: on FreeBSD 15.0 and later with jail(8)'s zfs.dataset parameter
 * (its manual page, of 15.0, has it), before that with
 * exec.created += "zfs jail ${name} DATASET".  The kernel detaches it when
 * the jail is removed, so stop needs no hook.  A running jail gets it at
 * once (zfs jail NAME DATASET).
 *
 * detach leaves the dataset jailed=on: while it was delegated, the jail's
 * root could set its properties (mountpoint among them), so it must not
 * be mounted on the host before an administrator looked
 * (zfs inherit jailed DATASET).
 *
 * Refused: a dataset that does not exist or is not a file system, a pool
 * root, jailer's dataset or anything inside it (the jails' own datasets
 * and images) or containing it, a dataset delegated to another jail (or
 * inside or around one), hostile names (validate.c).
 *
 * Depends on: confedit, conf, jail, host, zfs, undo, validate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "plan.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"
#include "zfsjail.h"

struct zfsjail {
	int		 attach;
	char		*name;
	char		*ds;
	int		 running;
	int		 set_jailed;	/* attach: jailed is not on yet */
	int		 jailed_local;	/* ... and was set locally (to off) */
	struct confedit	 e;
};

/* The datasets the jail j's conf file delegates to it; caller frees. */
void
zfsjail_datasets(const struct jail *j, char ***v, size_t *n)
{
	const struct conf_param *p;
	char *pre;
	size_t i;

	*v = NULL;
	*n = 0;
	if (!j->has_conf || j->conf.njails != 1)
		return;
	if ((p = conf_param(&j->conf.jails[0], "zfs.dataset")) != NULL)
		for (i = 0; i < p->nvals; i++)
			strv_push(v, n, xstrdup(p->vals[i]));
	if ((p = conf_param(&j->conf.jails[0], "exec.created")) == NULL)
		return;
	pre = xasprintf("zfs jail %s ", j->name);
	for (i = 0; i < p->nvals; i++)
		if (str_has_prefix(p->vals[i], pre) &&
		    strchr(p->vals[i] + strlen(pre), ' ') == NULL)
			strv_push(v, n, xstrdup(p->vals[i] + strlen(pre)));
	free(pre);
}

/* a is b, or one contains the other. */
static int
related(const char *a, const char *b)
{
	size_t la, lb;

	la = strlen(a);
	lb = strlen(b);
	if (la > lb)
		return (related(b, a));
	return (strncmp(a, b, la) == 0 && (b[la] == '\0' || b[la] == '/'));
}

/* Is ds (or a dataset inside or around it) delegated to another jail? */
static int
check_others(struct jailer *jp, struct jails *js, const struct jail *j,
    const char *ds)
{
	char **v;
	size_t i, k, n;
	int rc;

	rc = 0;
	for (i = 0; i < js->n && rc == 0; i++) {
		if (&js->v[i] == j)
			continue;
		zfsjail_datasets(&js->v[i], &v, &n);
		for (k = 0; k < n && rc == 0; k++)
			if (related(v[k], ds))
				rc = jailer_seterr(jp, "%s is delegated to the "
				    "jail %s", v[k], js->v[i].name);
		strv_free(v, n);
	}
	return (rc);
}

/* ... and to this one: attach wants it not, detach wants it. */
static int
check_own(struct jailer *jp, struct zfsjail *z, const struct jail *j)
{
	char **v;
	size_t k, n;
	int has, rc;

	zfsjail_datasets(j, &v, &n);
	has = 0;
	rc = 0;
	for (k = 0; k < n; k++) {
		if (strcmp(v[k], z->ds) == 0)
			has = 1;
		else if (z->attach && related(v[k], z->ds) && rc == 0)
			rc = jailer_seterr(jp, "%s is delegated to it already",
			    v[k]);
	}
	strv_free(v, n);
	if (rc == 0 && z->attach && has)
		rc = jailer_seterr(jp, "%s is delegated to it already", z->ds);
	if (rc == 0 && !z->attach && !has)
		rc = jailer_seterr(jp, "%s is not delegated to it", z->ds);
	return (rc);
}

/* The dataset: a file system; its jailed property. */
static int
check_dataset(struct jailer *jp, struct zfsjail *z)
{
	struct buf out;
	char *line, *f[3], *s;
	size_t pos;
	int type;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "get", "-H", "-o", "property,value,source",
	    "type,jailed", z->ds, NULL) != 0) {
		buf_free(&out);
		if (strstr(jp->err, "does not exist") != NULL)
			return (jailer_seterr(jp, "no dataset %s", z->ds));
		return (-1);
	}
	type = 0;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		s = line;
		f[0] = str_next_word(&s, "\t");
		f[1] = str_next_word(&s, "\t");
		f[2] = str_next_word(&s, "\t");
		if (f[0] == NULL || f[1] == NULL || f[2] == NULL)
			continue;
		if (strcmp(f[0], "type") == 0)
			type = strcmp(f[1], "filesystem") == 0;
		else if (strcmp(f[0], "jailed") == 0) {
			z->set_jailed = strcmp(f[1], "on") != 0;
			z->jailed_local = strcmp(f[2], "local") == 0;
		}
	}
	buf_free(&out);
	if (!type)
		return (jailer_seterr(jp, "%s is not a file system", z->ds));
	return (0);
}

static int
stmt_is(const struct conf_stmt *s, void *arg)
{
	return (s->nvals == 1 && strcmp(s->vals[0], arg) == 0);
}

/* The conf file's change: the parameters, and zfs.dataset or a hook. */
static int
edit_conf(struct jailer *jp, struct zfsjail *z, const struct jail *j)
{
	const struct conf_jail *c = &j->conf.jails[0];
	const struct conf_param *p;
	const struct host *h;
	const char *v, *one[1] = { "1" };
	char **vals, *tmpl;
	size_t i, n;

	if (host_get(jp, &h) == -1 || confedit_open(jp, z->name, &z->e) == -1)
		return (-1);
	p = conf_param(c, "zfs.dataset");
	vals = xcalloc((p != NULL ? p->nvals : 0) + 1, sizeof(*vals));
	for (n = 0, i = 0; p != NULL && i < p->nvals; i++)
		if (strcmp(p->vals[i], z->ds) != 0)
			vals[n++] = p->vals[i];
	tmpl = xasprintf("zfs jail ${name} %s", z->ds);
	if (z->attach) {
		if (!conf_flag(c, "allow.mount"))
			confedit_set(&z->e, "allow.mount", NULL, 0);
		if (!conf_flag(c, "allow.mount.zfs"))
			confedit_set(&z->e, "allow.mount.zfs", NULL, 0);
		if ((v = conf_value(c, "enforce_statfs")) == NULL ||
		    strcmp(v, "2") == 0)
			confedit_set(&z->e, "enforce_statfs", one, 1);
		if (h->release.major >= 15) {
			vals[n++] = z->ds;
			confedit_set(&z->e, "zfs.dataset",
			    (const char *const *)vals, n);
		} else
			confedit_append(&z->e, "exec.created", tmpl);
	} else if (p != NULL && n < p->nvals) {
		if (n == 0)
			confedit_del(&z->e, "zfs.dataset");
		else
			confedit_set(&z->e, "zfs.dataset",
			    (const char *const *)vals, n);
	} else
		confedit_del_match(&z->e, "exec.created", stmt_is, tmpl, NULL);
	free(tmpl);
	free(vals);
	return (0);
}

static int
zj_open(struct jailer *jp, struct zfsjail *z)
{
	const struct config *cf;
	struct jails js;
	struct jail *j;
	int rc;

	if (valid_jail_name(jp, z->name) == -1 || valid_dataset(jp, z->ds) == -1)
		return (-1);
	if (strchr(z->ds, '/') == NULL)
		return (jailer_seterr(jp, "%s is a pool's root: delegate a "
		    "dataset inside it", z->ds));
	if (config_get(jp, &cf) == -1)
		return (-1);
	if (related(cf->dataset, z->ds))
		return (jailer_seterr(jp, "%s %s jailer's dataset %s", z->ds,
		    strlen(z->ds) > strlen(cf->dataset) ? "is inside" :
		    "holds", cf->dataset));
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	rc = -1;
	if ((j = jails_find(&js, z->name)) == NULL || !j->has_conf)
		jailer_seterr(jp, "no such jail");
	else if (j->conf_err != NULL)
		jailer_seterr(jp, "%s", j->conf_err);
	else if (check_others(jp, &js, j, z->ds) == 0 &&
	    check_own(jp, z, j) == 0 && check_dataset(jp, z) == 0 &&
	    edit_conf(jp, z, j) == 0) {
		z->running = j->running;
		rc = 0;
	}
	jails_free(&js);
	return (rc);
}

/* Check everything for attach (or detach) of ds; NULL: refused. */
struct zfsjail *
zfsjail_open(struct jailer *jp, const char *name, const char *ds,
    int attach)
{
	struct zfsjail *z;

	z = xcalloc(1, sizeof(*z));
	z->attach = attach;
	z->name = xstrdup(name);
	z->ds = xstrdup(ds);
	if (zj_open(jp, z) == -1) {
		zfsjail_free(z);
		return (NULL);
	}
	return (z);
}

void
zfsjail_print(struct jailer *jp, const struct zfsjail *z)
{
	struct buf d;
	char *line;
	size_t pos;

	if (z->attach)
		plan_title(jp, "Delegating %s to %s would:", z->ds, z->name);
	else
		plan_title(jp, "Taking %s back from %s would:", z->ds,
		    z->name);
	if (z->attach && z->set_jailed)
		plan_item(jp, NULL, "change", "dataset", z->ds, "jailed=off",
		    "jailed=on", "run zfs set jailed=on %s", z->ds);
	if (!z->attach && z->running)
		plan_item(jp, NULL, "detach", "dataset", z->ds, NULL, NULL,
		    "run zfs unjail %s %s", z->name, z->ds);
	if (jp->plan != NULL)
		confedit_plan(jp, &z->e, NULL);
	else {
		printf("  change %s:\n", z->e.path);
		buf_init(&d);
		confedit_diff(&z->e, &d);
		pos = 0;
		while ((line = buf_nextline(&d, &pos)) != NULL)
			printf("    %s\n", line);
		buf_free(&d);
	}
	if (z->attach && z->running)
		plan_item(jp, NULL, "attach", "dataset", z->ds, NULL, NULL,
		    "run zfs jail %s %s", z->name, z->ds);
}

/* The steps, each with its reverse. */
static int
zj_run(struct jailer *jp, struct undo *u, struct zfsjail *z)
{
	const char *off[] = { "zfs", "set", "jailed=off", z->ds, NULL };
	const char *inh[] = { "zfs", "inherit", "jailed", z->ds, NULL };
	const char *jail[] = { "zfs", "jail", z->name, z->ds, NULL };
	const char *unjail[] = { "zfs", "unjail", z->name, z->ds, NULL };

	if (z->attach && z->set_jailed) {
		if (zfs(jp, 0, NULL, "set", "jailed=on", z->ds, NULL) != 0)
			return (-1);
		undo_cmd(u, z->jailed_local ? off : inh);
	}
	if (!z->attach && z->running) {
		if (run(jp, unjail, NULL, 0) != 0)
			return (-1);
		undo_cmd(u, jail);
	}
	if (confedit_commit(jp, u, &z->e) == -1)
		return (-1);
	if (z->attach && z->running) {
		if (run(jp, jail, NULL, 0) != 0)
			return (-1);
		undo_cmd(u, unjail);
	}
	return (0);
}

int
zfsjail_apply(struct jailer *jp, struct zfsjail *z)
{
	struct undo u;

	undo_init(&u);
	if (zj_run(jp, &u, z) == -1) {
		undo_run(jp, &u);
		return (-1);
	}
	undo_commit(&u);
	return (0);
}

void
zfsjail_free(struct zfsjail *z)
{
	if (z == NULL)
		return;
	confedit_free(&z->e);
	free(z->name);
	free(z->ds);
	free(z);
}

/* The jail's delegated datasets and their jailed property ("-": gone). */
int
zfsjail_list(struct jailer *jp, const char *name, char ***ds, char ***jailed,
    size_t *n)
{
	struct jails js;
	struct jail *j;
	size_t i;
	int rc;

	*ds = *jailed = NULL;
	*n = 0;
	if (valid_jail_name(jp, name) == -1 ||
	    jails_load(jp, &js, JAILS_CONF) == -1)
		return (-1);
	if ((j = jails_find(&js, name)) == NULL || !j->has_conf) {
		jails_free(&js);
		return (jailer_seterr(jp, "no such jail"));
	}
	zfsjail_datasets(j, ds, n);
	jails_free(&js);
	*jailed = xcalloc(*n + 1, sizeof(**jailed));
	for (i = 0; i < *n; i++) {
		if ((rc = zfs_get(jp, (*ds)[i], "jailed", &(*jailed)[i])) == -1)
			return (-1);
		if (rc == 0)
			(*jailed)[i] = xstrdup("-");
	}
	return (0);
}
