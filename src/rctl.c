/*
 * jailer limit: a jail's rctl(8) rules (and, cpuset.c, its CPU set).  The
 * conf file is the single truth: each rule is the line
 *     exec.created += "rctl -a jail:${name}:RESOURCE:ACTION=AMOUNT";
 * and the set is
 *     exec.created += "cpuset -j ${name} -l LIST";
 * so jail(8) applies them at every start, whoever starts the jail (rc.d
 * at boot, jail -c by hand, jailer).  A running jail gets the change live
 * (rctl -a/-r, cpuset -l), undone with the conf file when a command
 * fails.  jailer hook stop removes a stopped jail's rules (rctl keeps
 * rules by name after the jail is gone).  Every value is checked against
 * the tables of rctl(8) before anything runs.
 *
 * The CPU set is in cpuset.c.
 *
 * Depends on: confedit, jail, conf, exec, undo, validate.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "exec.h"
#include "jail.h"
#include "rctl.h"
#include "undo.h"
#include "validate.h"

#define	R_BYTES		0x01	/* amounts may take k, m, g, t, p, e */
#define	R_NODENY	0x02	/* deny is not supported */
#define	R_THROTTLE	0x04	/* throttle is supported */

#define	HOOK_KEY	"exec.created"
#define	RACCT_FIX	"add kern.racct.enable=1 to /boot/loader.conf and " \
	"reboot"

struct rdef {
	const char	*name;
	int		 flags;
};

/* rctl(8), RESOURCES and ACTIONS: every resource, all apply to jails. */
static const struct rdef rdefs[] = {
	{ "cputime", R_NODENY }, { "datasize", R_BYTES },
	{ "stacksize", R_BYTES }, { "coredumpsize", R_BYTES },
	{ "memoryuse", R_BYTES }, { "memorylocked", R_BYTES },
	{ "maxproc", 0 }, { "openfiles", 0 }, { "vmemoryuse", R_BYTES },
	{ "pseudoterminals", 0 }, { "swapuse", R_BYTES }, { "nthr", 0 },
	{ "msgqqueued", 0 }, { "msgqsize", R_BYTES }, { "nmsgq", 0 },
	{ "nsem", 0 }, { "nsemop", 0 }, { "nshm", 0 },
	{ "shmsize", R_BYTES }, { "wallclock", R_NODENY }, { "pcpu", 0 },
	{ "readbps", R_BYTES | R_NODENY | R_THROTTLE },
	{ "writebps", R_BYTES | R_NODENY | R_THROTTLE },
	{ "readiops", R_NODENY | R_THROTTLE },
	{ "writeiops", R_NODENY | R_THROTTLE },
};

/* signal(3): the names sig* actions take. */
static const char *const signames[] = { "hup", "int", "quit", "ill",
	"trap", "abrt", "emt", "fpe", "kill", "bus", "segv", "sys", "pipe",
	"alrm", "term", "urg", "stop", "tstp", "cont", "chld", "ttin", "ttou",
	"io", "xcpu", "xfsz", "vtalrm", "prof", "winch", "info", "usr1",
	"usr2", "thr", "librt" };

/* One rule of a jail: resource, action, amount (as written). */
struct lrule {
	char	res[20];
	char	act[16];
	char	amt[24];
};

static const struct rdef *
rdef_find(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(rdefs); i++)
		if (strcmp(rdefs[i].name, name) == 0)
			return (&rdefs[i]);
	return (NULL);
}

static int
action_known(const char *a)
{
	size_t i;

	if (strcmp(a, "deny") == 0 || strcmp(a, "log") == 0 ||
	    strcmp(a, "devctl") == 0 || strcmp(a, "throttle") == 0)
		return (1);
	if (strncmp(a, "sig", 3) != 0)
		return (0);
	for (i = 0; i < nitems(signames); i++)
		if (strcmp(a + 3, signames[i]) == 0)
			return (1);
	return (0);
}

/* An amount: 1 to 19 digits, a suffix for bytes, below 2^63. */
static int
check_amount(struct jailer *jp, const struct rdef *d, const char *s,
    char *out, size_t outsz)
{
	uint64_t v, mult;
	size_t i, n;
	const char *suf = "kmgtpe";
	char c;

	n = strlen(s);
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	mult = 1;
	if (i == n - 1 && i > 0 && (d->flags & R_BYTES) &&
	    strchr(suf, tolower((unsigned char)s[i])) != NULL) {
		c = (char)tolower((unsigned char)s[i]);
		mult = (uint64_t)1 << (10 * (strchr(suf, c) - suf + 1));
	} else if (i != n || n == 0)
		return (jailer_seterr(jp, "bad amount '%s' for %s: %s", vis(s),
		    d->name, (d->flags & R_BYTES) ? "a number with an "
		    "optional k, m, g, t, p or e" : "a whole number"));
	if (i > 18)
		return (jailer_seterr(jp, "amount '%s' for %s is too large",
		    vis(s), d->name));
	v = strtoull(s, NULL, 10);
	if (v > (UINT64_C(1) << 62) / mult)
		return (jailer_seterr(jp, "amount '%s' for %s is too large",
		    vis(s), d->name));
	if (strcmp(d->name, "pcpu") == 0 && v > 100000)
		return (jailer_seterr(jp, "amount '%s' for pcpu is too large "
		    "(percent of one CPU)", vis(s)));
	snprintf(out, outsz, "%.*s%s", (int)i, s, mult > 1 ?
	    (char []){ (char)tolower((unsigned char)s[i]), '\0' } : "");
	return (0);
}

/* RESOURCE, ACTION and AMOUNT of a rule, checked (rctl(8) ACTIONS). */
static int
check_rule(struct jailer *jp, const char *res, const char *act,
    const char *amt, struct lrule *r)
{
	const struct rdef *d;

	memset(r, 0, sizeof(*r));
	if ((d = rdef_find(res)) == NULL)
		return (jailer_seterr(jp, "unknown resource '%s' (see "
		    "jailer(8), LIMITS)", vis(res)));
	if (!action_known(act))
		return (jailer_seterr(jp, "unknown action '%s' (deny, log, "
		    "devctl, throttle or sig*, see jailer(8), LIMITS)",
		    vis(act)));
	if (strcmp(act, "deny") == 0 && (d->flags & R_NODENY))
		return (jailer_seterr(jp, "%s cannot deny (rctl(8)); use log, "
		    "devctl%s or a signal", res, (d->flags & R_THROTTLE) ?
		    ", throttle" : ""));
	if (strcmp(act, "throttle") == 0 && !(d->flags & R_THROTTLE))
		return (jailer_seterr(jp, "throttle is only for readbps, "
		    "writebps, readiops and writeiops, not %s", res));
	if (check_amount(jp, d, amt, r->amt, sizeof(r->amt)) == -1)
		return (-1);
	snprintf(r->res, sizeof(r->res), "%s", res);
	snprintf(r->act, sizeof(r->act), "%s", act);
	return (0);
}

/* RESOURCE=AMOUNT[:ACTION] from the command line (default deny). */
static int
parse_arg(struct jailer *jp, const char *arg, struct lrule *r)
{
	char *s, *eq, *colon;
	int rc;

	s = xstrdup(arg);
	if ((eq = strchr(s, '=')) == NULL) {
		free(s);
		return (jailer_seterr(jp, "'%s' is not RESOURCE=AMOUNT[:ACTION]",
		    vis(arg)));
	}
	*eq++ = '\0';
	if ((colon = strchr(eq, ':')) != NULL)
		*colon++ = '\0';
	rc = check_rule(jp, s, colon != NULL ? colon : "deny", eq, r);
	free(s);
	return (rc);
}

/*
 * A conf value "rctl -a jail:${name}:RES:ACT=AMT" (or with the name
 * expanded) as a rule; -1 when it is none of jailer's.
 */
static int
parse_line(const struct jailer *jp, const char *v, const char *name,
    struct lrule *r)
{
	struct jailer scratch;
	char *s, *res, *act, *amt;
	const char *p;
	size_t n;
	int rc;

	if (!str_has_prefix(v, "rctl -a jail:"))
		return (-1);
	p = v + strlen("rctl -a jail:");
	n = strlen(name);
	if (str_has_prefix(p, "${name}:"))
		p += strlen("${name}:");
	else if (strncmp(p, name, n) == 0 && p[n] == ':')
		p += n + 1;
	else
		return (-1);
	s = xstrdup(p);
	res = s;
	rc = -1;
	if ((act = strchr(res, ':')) != NULL) {
		*act++ = '\0';
		if ((amt = strchr(act, '=')) != NULL) {
			*amt++ = '\0';
			scratch = *jp;
			rc = check_rule(&scratch, res, act, amt, r);
		}
	}
	free(s);
	return (rc);
}

/* sysctl -n MIB as a number; -1 when missing or not a number. */
long
limit_sysctl(struct jailer *jp, const char *mib)
{
	const char *argv[] = { "sysctl", "-n", mib, NULL };
	struct jailer scratch;
	struct buf b;
	char *end;
	long v;

	scratch = *jp;
	if (run_read(&scratch, argv, &b) == -1)
		return (-1);
	v = strtol(str_trim(b.data), &end, 10);
	if (end == b.data || *end != '\0')
		v = -1;
	buf_free(&b);
	return (v);
}

static int
racct_check(struct jailer *jp)
{
	if (limit_sysctl(jp, "kern.racct.enable") != 1)
		return (jailer_seterr(jp, "resource limits are disabled in "
		    "the kernel (kern.racct.enable is not 1): " RACCT_FIX));
	return (0);
}

/* Is the jail running (1), not (0), or did jls fail (-1)? */
static int
jail_running(struct jailer *jp, const char *name)
{
	const char *argv[] = { "jls", "-j", name, "jid", NULL };
	struct jailer scratch;

	scratch = *jp;
	scratch.err[0] = '\0';
	if (run(&scratch, argv, NULL, RUN_RO) == 0)
		return (1);
	if (strstr(scratch.err, "not found") != NULL)
		return (0);
	memcpy(jp->err, scratch.err, sizeof(jp->err));
	return (-1);
}

/* The kernel's rules of jail name (rctl jail:NAME:), into out. */
static int
kernel_rules(struct jailer *jp, const char *name, struct buf *out)
{
	char *flt;
	int rc;

	flt = xasprintf("jail:%s:", name);
	rc = run_read(jp, (const char *const []){ "rctl", flt, NULL }, out);
	free(flt);
	return (rc);
}

/* Run rctl FLAG RULE, pushing UNDOFLAG UNDORULE. */
static int
rctl_step(struct jailer *jp, struct undo *u, const char *flag,
    const char *rule, const char *uflag, const char *urule)
{
	const char *argv[] = { "rctl", flag, rule, NULL };
	const char *uargv[] = { "rctl", uflag, urule, NULL };

	if (run(jp, argv, NULL, 0) != 0)
		return (-1);
	undo_cmd(u, uargv);
	return (0);
}

/* Remove the kernel's rules of name for resource res (NULL: all). */
static int
kernel_del(struct jailer *jp, struct undo *u, const char *name,
    const char *res, const char *act)
{
	struct buf b;
	char *line, *pre, *flt;
	size_t pos;
	int rc;

	if (kernel_rules(jp, name, &b) == -1)
		return (-1);
	pre = xasprintf("jail:%s:%s%s%s%s", name, res != NULL ? res : "",
	    res != NULL ? ":" : "", act != NULL ? act : "",
	    act != NULL ? "=" : "");
	rc = pos = 0;
	while (rc == 0 && (line = buf_nextline(&b, &pos)) != NULL) {
		if (!str_has_prefix(line, pre))
			continue;
		flt = xstrdup(line);
		if ((line = strchr(flt, '/')) != NULL)
			*line = '\0';
		rc = rctl_step(jp, u, "-r", flt, "-a", flt);
		free(flt);
	}
	free(pre);
	buf_free(&b);
	return (rc);
}

/* Commit e; on a running jail run live(arg); undo both on failure. */
int
limit_commit(struct jailer *jp, struct confedit *e, const char *name,
    int (*live)(struct jailer *, struct undo *, const char *, void *),
    void *arg, struct limit_done *d)
{
	struct undo u;
	int rc;

	undo_init(&u);
	if ((d->running = jail_running(jp, name)) == -1)
		return (-1);
	if (jp->dryrun)
		confedit_plan(jp, e, &d->diff);
	rc = confedit_commit(jp, &u, e);
	if (rc == 0 && d->running)
		rc = live(jp, &u, name, arg);
	if (rc == -1)
		undo_run(jp, &u);
	else
		undo_commit(&u);
	return (rc);
}

/* A statement's jail: its value may name it instead of ${name}. */
#define	STMT_JAIL(s)	((s)->jail != NULL ? (s)->jail : "")

struct set_req {
	struct lrule	*v;
	size_t		 n;
};

static int
same_rule(const struct conf_stmt *s, void *arg)
{
	const struct lrule *want = arg;
	struct lrule r;
	struct jailer scratch;

	memset(&scratch, 0, sizeof(scratch));
	return (s->nvals == 1 && parse_line(&scratch, s->vals[0], STMT_JAIL(s),
	    &r) == 0 && strcmp(r.res, want->res) == 0 &&
	    (want->act[0] == '\0' || strcmp(r.act, want->act) == 0));
}

static int
any_rule(const struct conf_stmt *s, void *arg)
{
	struct lrule r;
	struct jailer scratch;

	(void)arg;
	memset(&scratch, 0, sizeof(scratch));
	return (s->nvals == 1 && parse_line(&scratch, s->vals[0], STMT_JAIL(s),
	    &r) == 0);
}

static int
set_live(struct jailer *jp, struct undo *u, const char *name, void *arg)
{
	struct set_req *q = arg;
	char *rule, *flt;
	size_t i;
	int rc;

	for (rc = 0, i = 0; rc == 0 && i < q->n; i++) {
		rc = kernel_del(jp, u, name, q->v[i].res, q->v[i].act);
		if (rc == -1)
			break;
		rule = xasprintf("jail:%s:%s:%s=%s", name, q->v[i].res,
		    q->v[i].act, q->v[i].amt);
		flt = xasprintf("jail:%s:%s:%s", name, q->v[i].res,
		    q->v[i].act);
		rc = rctl_step(jp, u, "-a", rule, "-r", flt);
		free(rule);
		free(flt);
	}
	return (rc);
}

/* Is the rule already in the conf file, identical? */
static int
have_rule(const struct confedit *e, const struct lrule *want)
{
	struct jailer scratch;
	struct lrule r;
	size_t i;

	memset(&scratch, 0, sizeof(scratch));
	for (i = 0; i < e->st.n; i++)
		if (!e->drop[i] && strcmp(e->st.v[i].name, HOOK_KEY) == 0 &&
		    e->st.v[i].nvals == 1 && parse_line(&scratch,
		    e->st.v[i].vals[0], e->name, &r) == 0 &&
		    memcmp(&r, want, sizeof(r)) == 0)
			return (1);
	return (0);
}

/* jailer limit NAME RES=AMOUNT[:ACTION] ...: check all, then change. */
int
limit_set(struct jailer *jp, const char *name, char **args, size_t n,
    struct limit_done *d)
{
	struct confedit e;
	struct set_req q;
	char *tmpl;
	size_t i, k;
	int rc;

	memset(d, 0, sizeof(*d));
	buf_init(&d->diff);
	if (valid_jail_name(jp, name) == -1)
		return (-1);
	q.v = xcalloc(n, sizeof(*q.v));
	for (q.n = 0; q.n < n; q.n++) {
		if (parse_arg(jp, args[q.n], &q.v[q.n]) == -1)
			goto bad;
		for (k = 0; k < q.n; k++)
			if (strcmp(q.v[k].res, q.v[q.n].res) == 0 &&
			    strcmp(q.v[k].act, q.v[q.n].act) == 0) {
				jailer_seterr(jp, "%s:%s given twice",
				    q.v[k].res, q.v[k].act);
				goto bad;
			}
	}
	if (racct_check(jp) == -1 || confedit_open(jp, name, &e) == -1)
		goto bad;
	for (i = k = 0; i < q.n; i++) {
		if (have_rule(&e, &q.v[i]))
			continue;
		q.v[k++] = q.v[i];
		confedit_del_match(&e, HOOK_KEY, same_rule, &q.v[k - 1], NULL);
		tmpl = xasprintf("rctl -a jail:${name}:%s:%s=%s", q.v[i].res,
		    q.v[i].act, q.v[i].amt);
		confedit_append(&e, HOOK_KEY, tmpl);
		free(tmpl);
	}
	q.n = d->changed = k;
	rc = k == 0 ? 0 : limit_commit(jp, &e, name, set_live, &q, d);
	confedit_free(&e);
	free(q.v);
	return (rc);
bad:
	free(q.v);
	return (-1);
}

static int
del_live(struct jailer *jp, struct undo *u, const char *name, void *arg)
{
	return (kernel_del(jp, u, name, arg, NULL));
}

/* jailer limit del NAME RESOURCE (res NULL: every rule of the jail). */
int
limit_del(struct jailer *jp, const char *name, const char *res,
    struct limit_done *d)
{
	struct confedit e;
	struct lrule want;
	int rc;

	memset(d, 0, sizeof(*d));
	buf_init(&d->diff);
	memset(&want, 0, sizeof(want));
	if (valid_jail_name(jp, name) == -1)
		return (-1);
	if (res != NULL && rdef_find(res) == NULL)
		return (jailer_seterr(jp, "unknown resource '%s' (see "
		    "jailer(8), LIMITS)", vis(res)));
	if (res != NULL)
		snprintf(want.res, sizeof(want.res), "%s", res);
	if (confedit_open(jp, name, &e) == -1)
		return (-1);
	if (res != NULL)
		d->changed = confedit_del_match(&e, HOOK_KEY, same_rule, &want,
		    NULL);
	else
		d->changed = confedit_del_match(&e, HOOK_KEY, any_rule, NULL,
		    NULL);
	if (d->changed == 0)
		rc = jailer_seterr(jp, "no limit%s%s", res != NULL ? " on " :
		    "s", res != NULL ? res : "");
	else
		rc = limit_commit(jp, &e, name, del_live, (void *)res, d);
	confedit_free(&e);
	return (rc);
}

/* The value of resource res in rctl -u output ("res=value" lines). */
static char *
usage_of(const char *out, const char *res)
{
	const char *p;
	size_t n;

	n = strlen(res);
	for (p = out; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, res, n) == 0 && p[n] == '=')
			return (xstrndup(p + n + 1, strcspn(p + n + 1, "\n")));
	return (xstrdup("-"));
}

/* The rows of one jail: its conf file's rules, usage if it runs. */
static int
jail_rows(struct jailer *jp, const struct jail *j, struct limit_row **rows,
    size_t *n)
{
	const struct conf_param *p;
	struct lrule r;
	struct buf u;
	char *flt;
	size_t i;
	int have;

	if (j->conf.njails != 1 ||
	    (p = conf_param(&j->conf.jails[0], HOOK_KEY)) == NULL)
		return (0);
	have = 0;
	buf_init(&u);
	for (i = 0; i < p->nvals; i++) {
		if (parse_line(jp, p->vals[i], j->name, &r) == -1)
			continue;
		if (!have++ && j->running) {
			flt = xasprintf("jail:%s", j->name);
			buf_free(&u);	/* run_read makes it again */
			if (run_read(jp, (const char *const []){ "rctl", "-u",
			    flt, NULL }, &u) == -1) {
				free(flt);
				return (-1);
			}
			free(flt);
		}
		*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
		(*rows)[*n].jail = xstrdup(j->name);
		(*rows)[*n].resource = xstrdup(r.res);
		(*rows)[*n].amount = xstrdup(r.amt);
		(*rows)[*n].action = xstrdup(r.act);
		(*rows)[(*n)++].usage = j->running ? usage_of(u.data, r.res) :
		    NULL;
	}
	buf_free(&u);
	return (0);
}

/* jailer limit list [NAME]: every jail's rules (one rctl -u a jail). */
int
limit_list(struct jailer *jp, const char *name, struct limit_row **rows,
    size_t *n)
{
	struct jails js;
	size_t i;
	int rc;

	*rows = NULL;
	*n = 0;
	if (name != NULL && valid_jail_name(jp, name) == -1)
		return (-1);
	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	if (name != NULL && jails_find(&js, name) == NULL) {
		jails_free(&js);
		return (jailer_seterr(jp, "no such jail"));
	}
	for (rc = 0, i = 0; rc == 0 && i < js.n; i++)
		if (name == NULL || strcmp(js.v[i].name, name) == 0)
			rc = jail_rows(jp, &js.v[i], rows, n);
	jails_free(&js);
	return (rc);
}

void
limit_rows_free(struct limit_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].jail);
		free(r[i].resource);
		free(r[i].amount);
		free(r[i].action);
		free(r[i].usage);
	}
	free(r);
}

void
limit_done_free(struct limit_done *d)
{
	buf_free(&d->diff);
}

/* jailer hook stop NAME: the kernel's rules of a jail with limits. */
int
rctl_jail_flush(struct jailer *jp, const char *name)
{
	struct conf_file cf;
	const struct conf_param *p;
	struct buf b;
	struct lrule r;
	size_t i;
	int has, rc;
	char *flt;

	if (jail_conf_read(jp, name, &cf) == -1)
		return (0);	/* no conf file: not jailer's */
	has = 0;
	if ((p = conf_param(&cf.jails[0], HOOK_KEY)) != NULL)
		for (i = 0; i < p->nvals && !has; i++)
			has = parse_line(jp, p->vals[i], name, &r) == 0;
	conf_free(&cf);
	if (!has || kernel_rules(jp, name, &b) == -1)
		return (0);	/* no rules, or racct off: none loaded */
	rc = 0;
	if (b.len > 0) {
		flt = xasprintf("jail:%s", name);
		rc = run(jp, (const char *const []){ "rctl", "-r", flt, NULL },
		    NULL, 0) == 0 ? 0 : -1;
		free(flt);
	}
	buf_free(&b);
	return (rc);
}

/*
 * Before jail -c: a jail whose conf file has rules cannot start while
 * the kernel's resource accounting is off (jail(8) would fail on its
 * exec.created rctl line with no hint why): say what to set instead.
 */
int
rctl_start_check(struct jailer *jp, const struct jail *j)
{
	const struct conf_param *p;
	struct lrule r;
	size_t i;
	int has;

	if (j->conf.njails != 1)
		return (0);
	has = 0;
	if ((p = conf_param(&j->conf.jails[0], HOOK_KEY)) != NULL)
		for (i = 0; i < p->nvals && !has; i++)
			has = parse_line(jp, p->vals[i], j->name, &r) == 0;
	if (has && limit_sysctl(jp, "kern.racct.enable") != 1)
		return (jailer_seterr(jp, "it has resource limits, but they "
		    "are disabled in the kernel (kern.racct.enable is not 1): "
		    RACCT_FIX " (or remove them: jailer limit del -a %s)",
		    j->name));
	return (0);
}
