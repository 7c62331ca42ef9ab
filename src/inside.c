/*
 * Inside a jail: the programs that act on a running jail from the host
 * (pkg -j, service -j, sysrc -j, jexec) with their arguments as argv and
 * their exit status passed through, and cp: a host file written into the
 * jail's root through safe.c, every component of the target's directory
 * opened with O_NOFOLLOW and a symlink at the target refused.  And the
 * runner of templates (inside_apply): a snapshot, the lines in order
 * through these and the library calls of mount, limit, rdr add and set,
 * and the rollback of all of it at the first failing line.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "inside.h"
#include "jail.h"
#include "lifecycle.h"
#include "nullfs.h"
#include "param.h"
#include "pf.h"
#include "plan.h"
#include "rctl.h"
#include "rules.h"
#include "safe.h"
#include "snap.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

#ifndef O_DIRECTORY
#define	O_DIRECTORY	0
#endif

/*
 * The jail name exists (its conf file) and, with running, runs; 0 or -1
 * with the error set.
 */
int
inside_need(struct jailer *jp, const char *name, int running)
{
	struct jails js;
	struct jail *j;
	int rc;

	if (valid_jail_name(jp, name) == -1)
		return (-1);
	if (jails_load(jp, &js, JAILS_CONF | (running ? JAILS_RUNNING : 0)) ==
	    -1)
		return (-1);
	j = jails_find(&js, name);
	if (j == NULL || !j->has_conf)
		rc = jailer_seterr(jp, "no such jail");
	else if (running && !j->running)
		rc = jailer_seterr(jp, "not running; start it with 'jailer "
		    "start %s'", name);
	else
		rc = 0;
	jails_free(&js);
	return (rc);
}

/*
 * Run prog (pkg, service, sysrc: "prog -j name args"; jexec: "jexec -l
 * -U root name args") on the jail name.  out NULL: stdin, stdout and
 * stderr are jailer's; else stdout is collected in out.  Returns the
 * program's exit status (0 on success), or -1 if it could not run.
 */
int
inside_run(struct jailer *jp, const char *prog, const char *name,
    const char *const *args, size_t n, struct buf *out)
{
	const char **argv;
	size_t i, k;
	int rc;

	argv = xcalloc(n + 6, sizeof(*argv));
	k = 0;
	argv[k++] = prog;
	if (strcmp(prog, "jexec") == 0) {
		argv[k++] = "-l";
		argv[k++] = "-U";
		argv[k++] = "root";
	} else
		argv[k++] = "-j";
	argv[k++] = name;
	for (i = 0; i < n; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	rc = run(jp, argv, out, out == NULL ? RUN_TTY : 0);
	free(argv);
	return (rc);
}

/*
 * The target rel (no leading slash) in the jail root rroot: its
 * directory reached without a symlink, and the target itself absent or
 * a regular file.
 */
static int
target_ok(struct jailer *jp, const char *rroot, const char *rel)
{
	struct stat sb;
	char *copy, *comp, *slash;
	int fd, next, rc;

	if ((fd = open(rroot, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return (jailer_seterrno(jp, "%s", rroot));
	copy = xstrdup(rel);
	rc = 0;
	for (comp = copy; (slash = strchr(comp, '/')) != NULL;
	    comp = slash + 1) {
		*slash = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next == -1) {
			rc = jailer_seterr(jp, "/%s: %s", copy, errno ==
			    ENOENT ? "no such directory in the jail" : "a "
			    "symlink or not a directory in the jail; refusing");
			break;
		}
		*slash = '/';
		close(fd);
		fd = next;
	}
	if (rc == 0 && fstatat(fd, comp, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(sb.st_mode))
		rc = jailer_seterr(jp, "/%s: %s in the jail; refusing", rel,
		    S_ISLNK(sb.st_mode) ? "a symlink" : "not a regular file");
	close(fd);
	free(copy);
	return (rc);
}

/* Read the host's regular file host into b; its mode into *mode. */
static int
host_file(struct jailer *jp, const char *host, struct buf *b, mode_t *mode)
{
	struct stat sb;
	char *real;
	int fd, rc;

	/* An absolute path is the host's; a relative one from the cwd. */
	real = host[0] == '/' ? host_path(host) : xstrdup(host);
	fd = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		rc = jailer_seterrno(jp, "%s", vis(host));
		free(real);
		return (rc);
	}
	free(real);
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return (jailer_seterr(jp, "%s: not a regular file",
		    vis(host)));
	}
	*mode = sb.st_mode & 0777;
	return (fd_read_all(jp, fd, INSIDE_CP_MAX, host, b));	/* closes fd */
}

/*
 * jailer cp NAME HOST JPATH: the host's regular file HOST written to
 * JPATH in the jail (running or not), atomically, its permission bits
 * kept (set-id and sticky bits dropped).  -D: plan gets the step.
 */
int
inside_cp(struct jailer *jp, const char *name, const char *host,
    const char *jpath, struct buf *plan)
{
	struct jails js;
	struct buf data;
	char *rroot;
	mode_t mode;
	int rc;

	if (valid_jail_name(jp, name) == -1 ||
	    tmpl_path_ok(jp, jpath) == -1)
		return (-1);
	if (jail_load_one(jp, &js, name) == -1)
		return (-1);
	if (js.v[0].conf_err != NULL || js.v[0].path == NULL) {
		rc = jailer_seterr(jp, "%s", js.v[0].conf_err != NULL ?
		    js.v[0].conf_err : "its conf file sets no path");
		jails_free(&js);
		return (rc);
	}
	rroot = host_path(js.v[0].path);
	buf_init(&data);
	mode = 0644;
	rc = host_file(jp, host, &data, &mode);
	if (rc == 0)
		rc = target_ok(jp, rroot, jpath + 1);
	if (rc == 0 && jp->dryrun) {
		char *to = xasprintf("%s%s", js.v[0].path, jpath);

		plan_item(jp, plan, "change", "file", to, NULL, NULL, "copy %s "
		    "to %s (mode %04o, no symlink followed)", host, to,
		    (unsigned)mode);
		free(to);
	}
	else if (rc == 0)
		rc = safe_write(jp, rroot, jpath + 1, data.data, data.len,
		    mode);
	buf_free(&data);
	free(rroot);
	jails_free(&js);
	return (rc);
}

/* ------------------------------------------------------------------ apply */

/* One apply: the jail, its snapshot, the host files saved. */
struct apply {
	struct jailer		*jp;
	const struct tmpl	*t;
	const char		*name;
	const struct tmpl_out	*o;
	char			*ds;		/* the jail's dataset */
	char			*full;		/* DS@jailer-apply-... */
	int			 running;
	struct undo		 u;		/* the host files, saved */
	struct buf		 out;		/* a program's output */
};

static void
note(struct apply *a, const char *fmt, ...) PRINTFLIKE(2, 3);

static void
note(struct apply *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	a->o->note(a->o->arg, s);
	free(s);
}

/* The jail: known, and running if a line runs a program in it. */
static int
apply_open(struct apply *a)
{
	struct jails js;
	struct jail *j;
	char *copy, *snap;
	int rc;

	copy = xstrdup(a->name);
	rc = snap_parse(a->jp, copy, 0, &a->ds, &snap);
	free(copy);
	if (rc == -1 || jails_load(a->jp, &js, JAILS_CONF | JAILS_RUNNING) ==
	    -1)
		return (-1);
	j = jails_find(&js, a->name);
	if (j == NULL || !j->has_conf)
		rc = jailer_seterr(a->jp, "no such jail");
	else if (j->conf_err != NULL)
		rc = jailer_seterr(a->jp, "%s", j->conf_err);
	else if (a->t->in_jail && !j->running)
		rc = jailer_seterr(a->jp, "not running, and the template runs "
		    "programs in it: start it with 'jailer start %s'",
		    a->name);
	a->running = j != NULL && j->running;
	jails_free(&js);
	return (rc);
}

/* The snapshot's name: the time, made unique. */
static int
apply_snapname(struct apply *a)
{
	char stamp[32];
	time_t now;
	int i, rc;

	now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&now));
	for (i = 1; i < 100; i++) {
		free(a->full);
		if (i == 1)
			a->full = xasprintf("%s@%s%s", a->ds, TMPL_SNAP_PREFIX,
			    stamp);
		else
			a->full = xasprintf("%s@%s%s-%d", a->ds,
			    TMPL_SNAP_PREFIX, stamp, i);
		if ((rc = zfs_exists(a->jp, a->full)) != 1)
			return (rc);
	}
	return (jailer_seterr(a->jp, "no free snapshot name"));
}

/* Save the host files the host-side lines may change. */
static int
apply_save(struct apply *a)
{
	char *paths[5], *real;
	size_t i;
	int rc;

	paths[0] = jail_conf_path(a->name);
	paths[1] = nullfs_fstab_path(a->name);
	paths[2] = xasprintf("%s/%s.rules", PF_RULES_DIR, a->name);
	paths[3] = xstrdup("/etc/rc.conf");
	paths[4] = xstrdup("/etc/rc.conf.local");
	/* rdr add may make the rule directory: removed again if empty. */
	for (i = 0; i < 2; i++) {
		real = host_path(i == 0 ? "/usr/local/etc/jailer" :
		    PF_RULES_DIR);
		if (!dir_exists(real))
			undo_rmdir(&a->u, real);
		free(real);
	}
	for (rc = 0, i = 0; i < nitems(paths); i++) {
		real = host_path(paths[i]);
		if (rc == 0)
			rc = undo_save_file(a->jp, &a->u, real);
		free(real);
		free(paths[i]);
	}
	return (rc);
}

static const char *
prog_of(enum tmpl_op op)
{
	switch (op) {
	case T_PKG:
		return ("pkg");
	case T_SYSRC:
		return ("sysrc");
	case T_SERVICE:
		return ("service");
	case T_CMD:
		return ("jexec");
	default:
		return (NULL);
	}
}

/* RDR PROTO PORTS [DPORT]: rdr add's rule for the jail. */
static int
apply_rdr(struct apply *a, const struct tmpl_line *l)
{
	struct rule_opts po;
	struct rule_change c;
	int rc;

	memset(&po, 0, sizeof(po));
	po.proto = l->w[0];
	po.ports = l->w[1];
	po.dport = l->n > 2 ? l->w[2] : NULL;
	rc = rules_rdr_add(a->jp, &po, a->name, &c);
	if (rc == 0)
		rc = rules_apply(a->jp, &c);
	rules_change_free(&c);
	return (rc);
}

/* SET P=V ...: set's change of the conf file (and jail -m). */
static int
apply_set(struct apply *a, const struct tmpl_line *l)
{
	struct param_change pc;
	int rc;

	rc = param_prepare(a->jp, a->name, l->w, l->n, 0, &pc);
	if (rc == 0)
		rc = param_apply(a->jp, &pc);
	param_change_free(&pc);
	return (rc);
}

/* A program's output, as lines for the caller. */
static void
apply_output(struct apply *a)
{
	while (a->out.len > 0 && a->out.data[a->out.len - 1] == '\n')
		a->out.data[--a->out.len] = '\0';
	if (a->out.len > 0)
		note(a, "%s", a->out.data);
	buf_reset(&a->out);
}

/* -D: a host-side line's command, as text or a run in the JSON plan. */
static void
dry_out(struct apply *a, struct buf *plan, const char **argv)
{
	if (a->jp->plan != NULL) {
		plan_run(a->jp, argv, NULL);
		return;
	}
	buf_adds(plan, "  ");
	argv_format(plan, argv);
}

/* -D: the command that does what a host-side line does. */
static int
apply_dry(struct apply *a, const struct tmpl_line *l, struct buf *plan)
{
	const char *argv[TMPL_WORDS_MAX + 8];
	size_t i, k;

	k = 0;
	argv[k++] = "jailer";
	switch (l->op) {
	case T_MOUNT:
		argv[k++] = "mount";
		break;
	case T_LIMIT:
		argv[k++] = "limit";
		break;
	case T_SET:
		argv[k++] = "set";
		break;
	case T_RDR:
		argv[k++] = "rdr";
		argv[k++] = "add";
		argv[k++] = "-p";
		argv[k++] = l->w[0];
		argv[k++] = "-r";
		argv[k++] = l->w[1];
		if (l->n > 2) {
			argv[k++] = "-d";
			argv[k++] = l->w[2];
		}
		argv[k++] = a->name;
		argv[k] = NULL;
		dry_out(a, plan, argv);
		return (0);
	default:
		return (jailer_seterr(a->jp, "internal error: dry %d", l->op));
	}
	argv[k++] = a->name;
	for (i = 0; i < l->n; i++)
		argv[k++] = l->w[i];
	argv[k] = NULL;
	dry_out(a, plan, argv);
	return (0);
}

/* Run line l (-D: print what it would run). */
static int
apply_line(struct apply *a, const struct tmpl_line *l)
{
	struct limit_done d;
	struct buf plan;
	int rc;

	buf_init(&plan);
	if (prog_of(l->op) != NULL) {
		rc = inside_run(a->jp, prog_of(l->op), a->name,
		    (const char *const *)l->w, l->n, &a->out) == 0 ? 0 : -1;
		apply_output(a);
	} else if (l->op == T_CP)
		rc = inside_cp(a->jp, a->name, l->w[0], l->w[1], &plan);
	else if (a->jp->dryrun)
		rc = apply_dry(a, l, &plan);
	else if (l->op == T_MOUNT)
		rc = nullfs_add(a->jp, a->name, l->w[0], l->w[1], l->n < 3 ||
		    strcmp(l->w[2], "ro") == 0, &plan);
	else if (l->op == T_LIMIT) {
		rc = limit_set(a->jp, a->name, l->w, l->n, &d);
		limit_done_free(&d);
	} else if (l->op == T_RDR)
		rc = apply_rdr(a, l);
	else
		rc = apply_set(a, l);
	while (a->jp->dryrun && plan.len > 0 &&
	    plan.data[plan.len - 1] == '\n')
		plan.data[--plan.len] = '\0';
	if (rc == 0 && a->jp->dryrun && plan.len > 0)
		note(a, "%s", plan.data);
	buf_free(&plan);
	return (rc);
}

/* The host files back, the dataset rolled back, the snapshot gone. */
static void
apply_restore(struct apply *a)
{
	undo_run(a->jp, &a->u);
	a->jp->undoing = 1;		/* undo_run() ends it */
	(void)zfs(a->jp, 0, NULL, "rollback", "-r", a->full, NULL);
	(void)zfs(a->jp, 0, NULL, "destroy", a->full, NULL);
}

/*
 * A line failed: stop the jail if it ran (its stop takes down what the
 * host-side lines did live), the host files back, the dataset rolled
 * back to the snapshot and the snapshot destroyed, the jail started
 * again.  The line's error is kept.
 */
static void
apply_rollback(struct apply *a)
{
	struct jailer *jp = a->jp;
	struct jails js;
	struct jail *j;
	char err[sizeof(jp->err)];
	int pass;

	memcpy(err, jp->err, sizeof(err));
	jp->undoing = 1;
	for (pass = 0; a->running && pass < 2; pass++) {
		if (pass == 1)
			apply_restore(a);
		jp->undoing = 1;	/* the steps' own undo_run() ends it */
		if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
			continue;
		if ((j = jails_find(&js, a->name)) != NULL &&
		    j->running == (pass == 0))
			(void)(pass == 0 ? jail_stop(jp, j, 0) :
			    jail_start(jp, j, 0));
		jails_free(&js);
	}
	if (!a->running)
		apply_restore(a);
	jp->undoing = 0;
	memcpy(jp->err, err, sizeof(err));
}

/* Run the lines in order; the first failing one fails the apply. */
static int
apply_lines(struct apply *a)
{
	const struct tmpl_line *l;
	struct buf text;
	char err[sizeof(a->jp->err)];
	size_t i;
	int rc;

	buf_init(&text);
	for (rc = 0, i = 0; rc == 0 && i < a->t->n; i++) {
		l = &a->t->v[i];
		buf_reset(&text);
		buf_addf(&text, "%s:%d: ", a->t->file, l->lineno);
		tmpl_line_text(l, &text);
		note(a, "%s", text.data);
		rc = apply_line(a, l);
		if (rc == 0 && jailer_interrupted)
			rc = jailer_seterr(a->jp, "interrupted");
		if (rc == -1) {
			memcpy(err, a->jp->err, sizeof(err));
			jailer_seterr(a->jp, "%s: %s", vis(text.data), err);
		}
	}
	buf_free(&text);
	return (rc);
}

/*
 * jailer apply: snapshot the jail, run the template's lines; the first
 * that fails rolls everything back (apply_rollback).  On success *snap
 * is NAME@SNAPSHOT, kept so that the admin can roll back.  -D: every
 * command printed, nothing run.
 */
int
inside_apply(struct jailer *jp, const struct tmpl *t, const char *name,
    const struct tmpl_out *o, char **snap)
{
	struct apply a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.jp = jp;
	a.t = t;
	a.name = name;
	a.o = o;
	undo_init(&a.u);
	buf_init(&a.out);
	*snap = NULL;
	rc = apply_open(&a) == 0 && apply_snapname(&a) == 0 ? 0 : -1;
	if (rc == 0 && jp->dryrun)
		note(&a, "Snapshot =>");
	if (rc == 0)
		rc = zfs(jp, 0, NULL, "snapshot", a.full, NULL) == 0 ? 0 : -1;
	if (rc == 0 && !jp->dryrun && apply_save(&a) == -1) {
		jp->undoing = 1;
		(void)zfs(jp, 0, NULL, "destroy", a.full, NULL);
		jp->undoing = 0;
		rc = -1;
	} else if (rc == 0 && (rc = apply_lines(&a)) == -1 && !jp->dryrun)
		apply_rollback(&a);
	if (rc == 0) {
		undo_commit(&a.u);
		*snap = xasprintf("%s%s", name, strchr(a.full, '@'));
	}
	buf_free(&a.out);
	free(a.ds);
	free(a.full);
	return (rc);
}

/*
 * create -T: apply t to the jail create just made; if it fails the jail
 * is destroyed again (the line's error is kept).
 */
int
inside_apply_new(struct jailer *jp, const struct tmpl *t, const char *name,
    const struct tmpl_out *o, char **snap)
{
	char err[sizeof(jp->err)];

	if (inside_apply(jp, t, name, o, snap) == 0)
		return (0);
	memcpy(err, jp->err, sizeof(err));
	jp->undoing = 1;
	(void)jail_destroy(jp, name, 1, 0);
	jp->undoing = 0;
	memcpy(jp->err, err, sizeof(err));
	return (-1);
}
