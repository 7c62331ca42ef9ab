/*
 * jailer set and get: the jail(8) parameters a jail's conf file may set,
 * each checked as jail(8) checks it (a whitelist, below), written with
 * confedit and applied to a running jail with jail -m where jail(8)
 * allows it.  And the boot order: boot=off is the variable $boot = "off"
 * in the conf file; while some jail is boot=off, rc.conf's jail_list
 * names the others, dependencies first.
 *
 * Depends on: confedit, jail, conf, host, rcconf, exec, undo, validate.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "param.h"
#include "undo.h"
#include "validate.h"

enum ptype { P_BOOL, P_INT, P_SYS, P_REL, P_HOST, P_DEPEND, P_BOOT };

struct pdef {
	const char	*name;
	enum ptype	 type;
	long		 min, max;	/* P_INT */
	int		 live;		/* jail -m may change it */
};

#define	B(n)		{ n, P_BOOL, 0, 0, 1 }
#define	I(n, a, b, l)	{ n, P_INT, a, b, l }

/* The whitelist (jail(8): those documented there and useful per jail). */
static const struct pdef pdefs[] = {
	B("allow.set_hostname"), B("allow.sysvipc"), B("allow.raw_sockets"),
	B("allow.chflags"), B("allow.mount"), B("allow.mount.devfs"),
	B("allow.mount.fdescfs"), B("allow.mount.nullfs"),
	B("allow.mount.procfs"), B("allow.mount.linprocfs"),
	B("allow.mount.linsysfs"), B("allow.mount.tmpfs"),
	B("allow.mount.zfs"), B("allow.quotas"), B("allow.socket_af"),
	B("allow.mlock"), B("allow.reserved_ports"),
	B("allow.unprivileged_proc_debug"), B("allow.suser"), B("allow.nfsd"),
	B("allow.read_msgbuf"), B("allow.vmm"), B("allow.extattr"),
	B("allow.adjtime"), B("allow.settime"), B("allow.routing"),
	{ "mount.procfs", P_BOOL, 0, 0, 0 },
	{ "mount.fdescfs", P_BOOL, 0, 0, 0 },
	I("enforce_statfs", 0, 2, 1), I("securelevel", -1, 3, 1),
	I("children.max", 0, INT_MAX, 1), I("devfs_ruleset", 0, 65535, 1),
	I("osreldate", 1, INT_MAX, 0),
	{ "sysvmsg", P_SYS, 0, 0, 1 }, { "sysvsem", P_SYS, 0, 0, 1 },
	{ "sysvshm", P_SYS, 0, 0, 1 },
	{ "osrelease", P_REL, 0, 0, 0 },
	{ "host.hostname", P_HOST, 0, 0, 1 },
	{ "depend", P_DEPEND, 0, 0, 0 },
	{ "boot", P_BOOT, 0, 0, 0 },
};

/* One change of a set: the parameter and its value (NULL: -u). */
struct preq {
	const struct pdef	*d;
	char			*val;
	char			**list;		/* depend */
	size_t			 nlist;
};

static const struct pdef *
pdef_find(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(pdefs); i++)
		if (strcmp(pdefs[i].name, name) == 0)
			return (&pdefs[i]);
	return (NULL);
}

/*
 * The name in the conf file: boot and depend are the variables $boot and
 * $depend_on (jail(8)'s own depend would make "jail -f NAME.conf -c NAME"
 * fail: the other jail is not defined in that file).
 */
static const char *
conf_name(const struct pdef *d)
{
	if (d->type == P_BOOT)
		return ("$boot");
	return (d->type == P_DEPEND ? "$depend_on" : d->name);
}

static int
check_int(struct jailer *jp, const struct pdef *d, const char *v)
{
	const char *p;
	long n;

	p = v + (*v == '-');
	if (*p == '\0' || strlen(p) > 10)
		goto bad;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			goto bad;
	n = strtol(v, NULL, 10);
	if (n < d->min || n > d->max)
		return (jailer_seterr(jp, "%s: %s is out of range (%ld to %ld)",
		    d->name, v, d->min, d->max));
	return (0);
bad:
	return (jailer_seterr(jp, "%s: '%s' is not a number", d->name,
	    vis(v)));
}

/* A hostname: labels of letters, digits and '-', dots between them. */
static int
check_host(struct jailer *jp, const char *v)
{
	if (!dns_name_ok(v, 255))
		return (jailer_seterr(jp,
		    "host.hostname: invalid hostname '%s'", vis(v)));
	return (0);
}

/* osrelease: like "14.1-RELEASE", at most 32 characters. */
static int
check_rel(struct jailer *jp, const char *v)
{
	const char *p;

	if (*v == '\0' || strlen(v) > 32)
		goto bad;
	for (p = v; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr(".-_", *p) == NULL)
			goto bad;
	return (0);
bad:
	return (jailer_seterr(jp, "osrelease: invalid release '%s'", vis(v)));
}

static int
is_word(const char *v, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcmp(v, *words) == 0)
			return (1);
	return (0);
}

/* Check a boolean and make it "true" or "false". */
static int
check_bool(struct jailer *jp, const struct pdef *d, char **v)
{
	static const char *const on[] = { "on", "true", "1", "yes", NULL };
	static const char *const off[] = { "off", "false", "0", "no", NULL };
	const char *nv;

	if (is_word(*v, on))
		nv = d->type == P_BOOT ? "on" : "true";
	else if (is_word(*v, off))
		nv = d->type == P_BOOT ? "off" : "false";
	else
		return (jailer_seterr(jp, "%s: '%s' is not %s", d->name,
		    vis(*v), d->type == P_BOOT ? "on or off" :
		    "true or false"));
	free(*v);
	*v = xstrdup(nv);
	return (0);
}

/* Does from reach to through depend (with self's list replaced)? */
static int
reaches(struct jails *js, const char *from, const char *to,
    const struct preq *self, const char *selfname, int depth)
{
	const struct conf_param *p;
	struct jail *j;
	char **v;
	size_t i, n;

	if (strcmp(from, to) == 0)
		return (1);
	if (depth > 64)
		return (1);
	if (strcmp(from, selfname) == 0) {
		v = self->list;
		n = self->nlist;
	} else {
		if ((j = jails_find(js, from)) == NULL ||
		    (p = param_depends(j)) == NULL)
			return (0);
		v = p->vals;
		n = p->nvals;
	}
	for (i = 0; i < n; i++)
		if (reaches(js, v[i], to, self, selfname, depth + 1))
			return (1);
	return (0);
}

/* depend=A[,B]: existing jailer jails, not itself, no cycle. */
static int
check_depend(struct jailer *jp, struct jails *js, const char *name,
    struct preq *r)
{
	struct jail *o;
	char *s, *p, *w;
	size_t i;

	s = xstrdup(r->val);
	for (p = s; (w = str_next_word(&p, ",")) != NULL;) {
		if (valid_jail_name(jp, w) == -1)
			break;
		if (strcmp(w, name) == 0) {
			jailer_seterr(jp, "depend: a jail cannot depend on "
			    "itself");
			break;
		}
		if ((o = jails_find(js, w)) == NULL || !o->has_conf) {
			jailer_seterr(jp, "depend: no such jail '%s'", w);
			break;
		}
		for (i = 0; i < r->nlist; i++)
			if (strcmp(r->list[i], w) == 0)
				break;
		if (i == r->nlist)
			strv_push(&r->list, &r->nlist, xstrdup(w));
	}
	free(s);
	if (w != NULL)
		return (-1);
	for (i = 0; i < r->nlist; i++)
		if (reaches(js, r->list[i], name, r, name, 0))
			return (jailer_seterr(jp, "depend: %s already depends "
			    "on %s: that would be a cycle", r->list[i], name));
	return (0);
}

/* Check one value by its type. */
static int
check_value(struct jailer *jp, struct jails *js, const char *name,
    struct preq *r)
{
	static const char *const sys[] = { "disable", "inherit", "new", NULL };

	switch (r->d->type) {
	case P_BOOL:
	case P_BOOT:
		return (check_bool(jp, r->d, &r->val));
	case P_INT:
		return (check_int(jp, r->d, r->val));
	case P_SYS:
		if (!is_word(r->val, sys))
			return (jailer_seterr(jp, "%s: '%s' is not disable, "
			    "inherit or new", r->d->name, vis(r->val)));
		return (0);
	case P_REL:
		return (check_rel(jp, r->val));
	case P_HOST:
		return (check_host(jp, r->val));
	case P_DEPEND:
		return (check_depend(jp, js, name, r));
	}
	return (0);
}

static void
preqs_free_one(struct preq *r)
{
	free(r->val);
	strv_free(r->list, r->nlist);
}

static void
preqs_free(struct preq *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		preqs_free_one(&v[i]);
	free(v);
}

/* Parse PARAM=VALUE (or PARAM with -u) words into checked requests. */
static int
parse_args(struct jailer *jp, struct jails *js, const char *name,
    char **args, size_t n, int unset, struct preq **out)
{
	struct preq *v;
	const char *eq;
	char *pn;
	size_t i, k;
	int rc;

	v = xcalloc(n + 1, sizeof(*v));
	*out = v;
	for (i = 0; i < n; i++) {
		eq = strchr(args[i], '=');
		if (unset && eq != NULL)
			return (jailer_seterr(jp, "-u takes parameter names, "
			    "not '%s'", vis(args[i])));
		if (!unset && eq == NULL)
			return (jailer_seterr(jp, "expected PARAM=VALUE, not "
			    "'%s'", vis(args[i])));
		pn = unset ? xstrdup(args[i]) :
		    xstrndup(args[i], (size_t)(eq - args[i]));
		v[i].d = pdef_find(pn);
		rc = v[i].d == NULL ? jailer_seterr(jp, "unknown parameter "
		    "'%s' (see jailer(8), SET AND GET)", vis(pn)) : 0;
		free(pn);
		if (rc == -1)
			return (-1);
		for (k = 0; k < i; k++)
			if (v[k].d == v[i].d)
				return (jailer_seterr(jp, "%s is given twice",
				    v[i].d->name));
		if (!unset) {
			v[i].val = xstrdup(eq + 1);
			if (check_value(jp, js, name, &v[i]) == -1)
				return (-1);
		}
	}
	return (0);
}

/* Write the requests into the conf file edit. */
static void
edit_conf(struct confedit *e, const struct preq *v, size_t n)
{
	const char *const *vals;
	size_t i;

	for (i = 0; i < n; i++) {
		vals = (const char *const *)&v[i].val;
		if (v[i].val == NULL ||
		    (v[i].d->type == P_BOOT && strcmp(v[i].val, "on") == 0))
			confedit_del(e, conf_name(v[i].d));
		else if (v[i].d->type == P_BOOL && strcmp(v[i].val, "true") == 0)
			confedit_set(e, conf_name(v[i].d), NULL, 0);
		else if (v[i].d->type == P_DEPEND)
			confedit_set(e, conf_name(v[i].d),
			    (const char *const *)v[i].list, v[i].nlist);
		else
			confedit_set(e, conf_name(v[i].d), vals, 1);
	}
}

/* The running jail's securelevel (jls), or -2 when unknown. */
static long
live_securelevel(struct jailer *jp, const char *name)
{
	const char *argv[] = { "jls", "-j", name, "securelevel", NULL };
	struct buf b;
	long n;

	n = -2;
	if (run_read(jp, argv, &b) == 0) {	/* run_read inits b */
		if (b.len > 0)
			n = strtol(b.data, NULL, 10);
		buf_free(&b);
	}
	jp->err[0] = '\0';
	return (n);
}

/*
 * Which requests jail -m applies to the running jail; the others go into
 * done->later.  The argv for jail -m is built in argv (NULL when none).
 */
static size_t
live_args(struct jailer *jp, const char *name, const struct preq *v,
    size_t n, char **argv, struct param_done *done)
{
	size_t i, k;

	k = 0;
	argv[k++] = xstrdup("jail");
	argv[k++] = xstrdup("-m");
	argv[k++] = xasprintf("name=%s", name);
	for (i = 0; i < n; i++) {
		if (v[i].d->type == P_BOOT)
			continue;
		if (!v[i].d->live || v[i].val == NULL ||
		    (strcmp(v[i].d->name, "securelevel") == 0 &&
		    strtol(v[i].val, NULL, 10) < live_securelevel(jp, name))) {
			strv_push(&done->later, &done->nlater,
			    xstrdup(v[i].d->name));
			continue;
		}
		argv[k++] = xasprintf("%s=%s", v[i].d->name, v[i].val);
	}
	argv[k] = NULL;
	return (k);
}

/* Commit the conf file, apply what can be applied, fix jail_list. */
static int
apply(struct jailer *jp, struct jail *j, struct confedit *e,
    const struct preq *v, size_t n, struct param_done *done)
{
	struct undo u;
	char **argv;
	size_t i, k;
	int rc;

	argv = xcalloc(n + 4, sizeof(*argv));
	k = 3;
	if (j->running)
		k = live_args(jp, j->name, v, n, argv, done);
	undo_init(&u);
	rc = confedit_commit(jp, &u, e);
	if (rc == 0 && k > 3)
		rc = run(jp, (const char *const *)argv, NULL, 0) == 0 ? 0 : -1;
	if (rc == 0)
		rc = param_bootlist_sync(jp, &u);
	if (rc == -1)
		undo_run(jp, &u);
	else
		undo_commit(&u);
	for (i = 0; i < k; i++)
		free(argv[i]);
	free(argv);
	return (rc);
}

static char *show_value(const struct conf_jail *, const struct pdef *);

/* The words of v joined by commas, as get shows a list. */
static char *
join_commas(char *const *v, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i > 0 ? "," : "", v[i]);
	return (buf_steal(&b));
}

/* Is the request what the conf file block c already says? */
static int
req_noop(const struct conf_jail *c, const struct preq *r)
{
	char *cur, *want;
	int same;

	cur = show_value(c, r->d);
	if (r->val == NULL)
		same = cur == NULL || (r->d->type == P_BOOT &&
		    strcmp(cur, "on") == 0);
	else if (cur == NULL)
		same = 0;
	else if (r->d->type == P_DEPEND) {
		want = join_commas(r->list, r->nlist);
		same = strcmp(cur, want) == 0;
		free(want);
	} else
		same = strcmp(cur, r->val) == 0;
	free(cur);
	return (same);
}

/* Drop the requests the conf file already has: no edit, no jail -m. */
static size_t
drop_noops(const struct conf_jail *c, struct preq *v, size_t n)
{
	size_t i, k;

	for (i = k = 0; i < n; i++) {
		if (req_noop(c, &v[i])) {
			preqs_free_one(&v[i]);
			continue;
		}
		v[k++] = v[i];
	}
	for (i = k; i < n; i++)
		memset(&v[i], 0, sizeof(v[i]));
	return (k);
}

/* jailer set NAME P=V ... | -u P ...: check all, change nothing. */
int
param_prepare(struct jailer *jp, const char *name, char **args, size_t n,
    int unset, struct param_change *c)
{
	memset(c, 0, sizeof(*c));
	c->n = n;
	if (valid_jail_name(jp, name) == -1 ||
	    jails_load(jp, &c->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	c->loaded = 1;
	if ((c->j = jails_find(&c->js, name)) == NULL || !c->j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (parse_args(jp, &c->js, name, args, n, unset, &c->v) == -1 ||
	    confedit_open(jp, name, &c->e) == -1)
		return (-1);
	c->opened = 1;
	if (c->j->conf_err == NULL && c->j->conf.njails == 1)
		c->n = drop_noops(&c->j->conf.jails[0], c->v, n);
	edit_conf(&c->e, c->v, c->n);
	c->done.running = c->j->running;
	if (jp->dryrun) {
		c->done.diff = xcalloc(1, sizeof(*c->done.diff));
		buf_init(c->done.diff);
		confedit_plan(jp, &c->e, c->done.diff);
	}
	return (0);
}

/* Make the change param_prepare checked. */
int
param_apply(struct jailer *jp, struct param_change *c)
{
	if (c->n == 0)
		return (0);	/* the conf file has them all already */
	return (apply(jp, c->j, &c->e, c->v, c->n, &c->done));
}

void
param_change_free(struct param_change *c)
{
	if (c->opened)
		confedit_free(&c->e);
	preqs_free(c->v, c->n);
	if (c->loaded)
		jails_free(&c->js);
	param_done_free(&c->done);
	memset(c, 0, sizeof(*c));
}

void
param_done_free(struct param_done *d)
{
	strv_free(d->later, d->nlater);
	if (d->diff != NULL) {
		buf_free(d->diff);
		free(d->diff);
	}
	memset(d, 0, sizeof(*d));
}

/* The value get shows for the parameter d of the block c, or NULL. */
static char *
show_value(const struct conf_jail *c, const struct pdef *d)
{
	const struct conf_param *p;

	p = conf_param(c, conf_name(d));
	if (d->type == P_BOOT)
		return (xstrdup(p != NULL && p->nvals == 1 &&
		    strcmp(p->vals[0], "off") == 0 ? "off" : "on"));
	if (p == NULL)
		return (NULL);
	if (p->nvals == 0)
		return (xstrdup("true"));
	return (join_commas(p->vals, p->nvals));
}

/* jailer get NAME [P ...]: the rows, in the whitelist's order. */
int
param_get(struct jailer *jp, const char *name, char **names, size_t n,
    struct param_row **rows, size_t *nrows)
{
	struct conf_file cf;
	const struct pdef *d;
	struct param_row *r;
	size_t i, k;

	*rows = NULL;
	*nrows = 0;
	for (i = 0; i < n; i++)
		if (pdef_find(names[i]) == NULL)
			return (jailer_seterr(jp, "unknown parameter '%s' (see "
			    "jailer(8), SET AND GET)", vis(names[i])));
	if (valid_jail_name(jp, name) == -1 ||
	    jail_conf_read(jp, name, &cf) == -1)
		return (-1);
	r = xcalloc(nitems(pdefs), sizeof(*r));
	for (k = i = 0; i < (n > 0 ? n : nitems(pdefs)); i++) {
		d = n > 0 ? pdef_find(names[i]) : &pdefs[i];
		r[k].name = d->name;
		r[k].value = show_value(&cf.jails[0], d);
		if (n > 0 || r[k].value != NULL)
			k++;
		if (k == nitems(pdefs))
			break;
	}
	conf_free(&cf);
	*rows = r;
	*nrows = k;
	return (0);
}

void
param_rows_free(struct param_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].value);
	free(r);
}
