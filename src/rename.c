/*
 * jailer rename OLD NEW: a stopped jail gets a new name.  What jailer
 * keeps under a jail's name moves with it: the dataset (zfs rename: its
 * snapshots follow, a clone keeps its origin, the root follows the
 * inherited mount point), the conf file (block name and path; every other
 * byte kept), its fstab (mount points below the old root moved to the new
 * one), its pf rule file, its console log and rc.conf's jail_list.  $id
 * and $mac stay, so its epair and its DHCP binding stay too; dhcpd.conf
 * has no per-jail entries.  Nothing under the jail's root is read.
 *
 * Every check runs before the first change; each change pushes its
 * reverse, so a failure (or SIGINT/SIGTERM) leaves the host as before.
 * The order keeps a SIGKILL harmless: the new conf file is written before
 * the dataset is renamed and the old one removed after, so gc only ever
 * finds a conf file without its dataset, never a jail dataset without a
 * conf file (which it would destroy).
 *
 * Depends on: bootorder.c (param_bootlist_drop, param_depends), confedit,
 * conf, jail, pf, nullfs, gc (MARK_DIR), host, zfs, undo, validate.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confedit.h"
#include "exec.h"
#include "gc.h"
#include "host.h"
#include "jail.h"
#include "lifecycle.h"
#include "nullfs.h"
#include "param.h"
#include "pf.h"
#include "plan.h"
#include "rename.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

/* A file kept under the jail's name: FROM moves to TO (plain paths). */
struct rn_file {
	char	*from, *to;
	int	 exists;
};

enum { RN_FSTAB, RN_RULES, RN_LOG, RN_NFILES };

struct rename {
	const struct config *cf;
	struct jails	 js;
	struct jail	*j;
	const char	*old, *new;
	char		*ods, *nds;	/* the datasets */
	char		*opath, *npath;	/* the roots */
	char		*oconf, *nconf;	/* the conf files */
	char		*text;		/* the new conf file */
	mode_t		 mode;
	struct rn_file	 f[RN_NFILES];
};

static void
rn_free(struct rename *r)
{
	size_t i;

	jails_free(&r->js);
	free(r->ods);
	free(r->nds);
	free(r->opath);
	free(r->npath);
	free(r->oconf);
	free(r->nconf);
	free(r->text);
	for (i = 0; i < RN_NFILES; i++) {
		free(r->f[i].from);
		free(r->f[i].to);
	}
}

/* Does the host path of the plain path p exist (any kind of file)? */
static int
host_exists(const char *p)
{
	struct stat sb;
	char *hp;
	int rc;

	hp = host_path(p);
	rc = lstat(hp, &sb) == 0;
	free(hp);
	return (rc);
}

static void
rn_names(struct rename *r, const char *old, const char *new)
{
	r->old = old;
	r->new = new;
	r->ods = xasprintf("%s/%s", r->cf->dataset, old);
	r->nds = xasprintf("%s/%s", r->cf->dataset, new);
	r->opath = xasprintf("%s/%s", r->cf->mountpoint, old);
	r->npath = xasprintf("%s/%s", r->cf->mountpoint, new);
	r->oconf = jail_conf_path(old);
	r->nconf = jail_conf_path(new);
	r->f[RN_FSTAB].from = nullfs_fstab_path(old);
	r->f[RN_FSTAB].to = nullfs_fstab_path(new);
	r->f[RN_RULES].from = xasprintf("%s/%s.rules", PF_RULES_DIR, old);
	r->f[RN_RULES].to = xasprintf("%s/%s.rules", PF_RULES_DIR, new);
	r->f[RN_LOG].from = xasprintf("%s/%s.log", JAIL_LOG_DIR, old);
	r->f[RN_LOG].to = xasprintf("%s/%s.log", JAIL_LOG_DIR, new);
}

/* The jailer:managed of the child name of jailer's dataset, or NULL. */
static const char *
child_managed(const struct config *cf, const char *name)
{
	size_t i;

	for (i = 0; i < cf->nchildren; i++)
		if (strcmp(cf->children[i], name) == 0)
			return (cf->managed[i]);
	return (NULL);
}

/* A jail whose $depend_on names name, or NULL. */
static const char *
depender(const struct jails *js, const char *name)
{
	const struct conf_param *p;
	size_t i, k;

	for (i = 0; i < js->n; i++)
		if ((p = param_depends(&js->v[i])) != NULL)
			for (k = 0; k < p->nvals; k++)
				if (strcmp(p->vals[k], name) == 0)
					return (js->v[i].name);
	return (NULL);
}

/* NEW must be free: no jail, conf file, dataset or file of that name. */
static int
check_new(struct jailer *jp, struct rename *r)
{
	struct jail *n;
	size_t i;

	if ((n = jails_find(&r->js, r->new)) != NULL && n->running)
		return (jailer_seterr(jp, "a jail named %s is running",
		    r->new));
	if (n != NULL || host_exists(r->nconf))
		return (jailer_seterr(jp, "%s exists", r->nconf));
	if (child_managed(r->cf, r->new) != NULL)
		return (jailer_seterr(jp, "the dataset %s exists", r->nds));
	if (host_exists(r->npath))
		return (jailer_seterr(jp, "%s exists", r->npath));
	for (i = 0; i < RN_NFILES; i++)
		if (host_exists(r->f[i].to))
			return (jailer_seterr(jp, "%s exists", r->f[i].to));
	return (0);
}

/* The dataset: jailer's jail, its mount point inherited (the root moves). */
static int
check_dataset(struct jailer *jp, struct rename *r)
{
	struct buf out;
	const char *m;
	char *v;
	int rc;

	if ((m = child_managed(r->cf, r->old)) == NULL)
		return (jailer_seterr(jp, "no dataset %s", r->ods));
	if (strcmp(m, "jail") != 0)
		return (jailer_seterr(jp, "%s was not created by jailer "
		    "(jailer:managed is not \"jail\"); refusing to rename it",
		    r->ods));
	if (r->j->path == NULL || strcmp(r->j->path, r->opath) != 0)
		return (jailer_seterr(jp, "its path is not %s, the mount point "
		    "of its dataset", r->opath));
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "get", "-H", "-o", "value,source",
	    "mountpoint", r->ods, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	v = xasprintf("%s\tinherited from %s", r->opath, r->cf->dataset);
	rc = strcmp(str_trim(out.data), v) == 0 ? 0 : jailer_seterr(jp,
	    "the mount point of %s is not inherited from %s", r->ods,
	    r->cf->dataset);
	free(v);
	buf_free(&out);
	return (rc);
}

/* OLD: a stopped jailer jail, settled, nothing depending on its name. */
static int
check_old(struct jailer *jp, struct rename *r)
{
	const char *d;
	char *mark;
	int busy;

	if ((r->j = jails_find(&r->js, r->old)) == NULL || !r->j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (r->j->conf_err != NULL)
		return (jailer_seterr(jp, "%s", r->j->conf_err));
	if (r->j->conf.njails != 1)
		return (jailer_seterr(jp, "%s: must define the jail %s and "
		    "nothing else", r->oconf, r->old));
	if (r->j->running)
		return (jailer_seterr(jp, "running (JID %s); stop it first",
		    r->j->jid));
	mark = xasprintf("%s/%s", MARK_DIR, r->old);
	busy = host_exists(mark);
	free(mark);
	if (busy)
		return (jailer_seterr(jp, "a start or stop of it was "
		    "interrupted; start or stop it first"));
	if ((d = depender(&r->js, r->old)) != NULL)
		return (jailer_seterr(jp, "the jail %s depends on it "
		    "($depend_on); change that first", d));
	return (0);
}

/* Where the first statement of the file begins: the block's name. */
static size_t
block_start(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0';) {
		if (isspace((unsigned char)t[i]))
			i++;
		else if (t[i] == '#' || (t[i] == '/' && t[i + 1] == '/'))
			while (t[i] != '\0' && t[i] != '\n')
				i++;
		else if (t[i] == '/' && t[i + 1] == '*') {
			for (i += 2; t[i] != '\0' &&
			    !(t[i] == '*' && t[i + 1] == '/'); i++)
				;
			i += t[i] != '\0' ? 2 : 0;
		} else
			break;
	}
	return (i);
}

/* text with the block named new (and jailer's first comment line). */
static int
rename_block(struct jailer *jp, struct rename *r, char **text)
{
	struct buf b;
	char *head, *nhead;
	size_t at, len, skip;

	head = xasprintf("# The jail %s, written by jailer(8).", r->old);
	nhead = xasprintf("# The jail %s, written by jailer(8).", r->new);
	skip = str_has_prefix(*text, head) ? strlen(head) : 0;
	at = block_start(*text);
	len = strlen(r->old);
	if (strncmp(*text + at, r->old, len) != 0 || !(isspace((unsigned
	    char)(*text)[at + len]) || (*text)[at + len] == '{')) {
		free(head);
		free(nhead);
		return (jailer_seterr(jp, "%s: the block of %s is not written "
		    "as a plain name", r->oconf, r->old));
	}
	buf_init(&b);
	buf_adds(&b, skip > 0 ? nhead : "");
	buf_add(&b, *text + skip, at - skip);
	buf_adds(&b, r->new);
	buf_adds(&b, *text + at + len);
	free(*text);
	*text = buf_steal(&b);
	free(head);
	free(nhead);
	return (0);
}

/* The new file parses as the jail new alone, with its new root. */
static int
check_text(struct jailer *jp, struct rename *r)
{
	struct conf_file cf;
	const char *p;
	int ok;

	if (conf_parse(jp, r->text, r->nconf, &cf) == -1)
		return (-1);
	ok = cf.njails == 1 && cf.nglobals == 0 &&
	    strcmp(cf.jails[0].name, r->new) == 0 &&
	    (p = conf_value(&cf.jails[0], "path")) != NULL &&
	    strcmp(p, r->npath) == 0;
	conf_free(&cf);
	if (!ok)
		return (jailer_seterr(jp, "%s: cannot be renamed in place "
		    "(the jail %s with the path %s)", r->oconf, r->new,
		    r->npath));
	return (0);
}

/* The conf file as it will be under the new name. */
static int
new_conf(struct jailer *jp, struct rename *r)
{
	struct confedit e;
	const char *fs, *path[1];

	if (confedit_open(jp, r->old, &e) == -1)
		return (-1);
	r->mode = e.mode;
	path[0] = r->npath;
	confedit_set(&e, "path", path, 1);
	fs = conf_value(&r->j->conf.jails[0], "mount.fstab");
	if (fs != NULL && strcmp(fs, r->f[RN_FSTAB].from) == 0) {
		path[0] = r->f[RN_FSTAB].to;
		confedit_set(&e, "mount.fstab", path, 1);
	}
	r->text = confedit_text(&e);
	confedit_free(&e);
	if (rename_block(jp, r, &r->text) == -1)
		return (-1);
	return (check_text(jp, r));
}

static int
rn_open(struct jailer *jp, const char *old, const char *new,
    struct rename *r)
{
	size_t i;
	struct pf_rules rs;

	memset(r, 0, sizeof(*r));
	if (valid_jail_name(jp, old) == -1 || valid_jail_name(jp, new) == -1)
		return (-1);
	if (strcmp(old, new) == 0)
		return (jailer_seterr(jp, "the new name is the old one"));
	if (config_get(jp, &r->cf) == -1 ||
	    jails_load(jp, &r->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	rn_names(r, old, new);
	if (check_old(jp, r) == -1 || check_new(jp, r) == -1 ||
	    check_dataset(jp, r) == -1 || new_conf(jp, r) == -1)
		return (-1);
	for (i = 0; i < RN_NFILES; i++)
		r->f[i].exists = host_exists(r->f[i].from);
	if (pf_rules_read(jp, old, &rs) == -1)
		return (-1);
	pf_rules_free(&rs);
	return (0);
}

/* -D: the plan. */
static void
rn_print(struct jailer *jp, const struct rename *r)
{
	size_t i;

	plan_title(jp, "Renaming %s to %s would:", r->old, r->new);
	plan_item(jp, NULL, "create", "file", r->nconf, NULL, NULL,
	    "write %s (the jail %s, path %s)", r->nconf, r->new, r->npath);
	plan_item(jp, NULL, "rename", "dataset", r->ods, r->ods, r->nds,
	    "rename the dataset %s to %s, with its snapshots (its root moves "
	    "to %s)", r->ods, r->nds, r->npath);
	plan_item(jp, NULL, "remove", "file", r->oconf, NULL, NULL,
	    "remove %s", r->oconf);
	for (i = 0; i < RN_NFILES; i++)
		if (r->f[i].exists)
			plan_item(jp, NULL, "rename", "file", r->f[i].from,
			    r->f[i].from, r->f[i].to, "move %s to %s",
			    r->f[i].from, r->f[i].to);
}

/* Write the plain path p (host side), its old state saved in u. */
static int
put_file(struct jailer *jp, struct undo *u, const char *p, const char *data,
    size_t len, mode_t mode)
{
	char *hp;
	int rc;

	hp = host_path(p);
	rc = undo_save_file(jp, u, hp) == -1 ||
	    file_write_atomic(jp, hp, data, len, mode) == -1 ? -1 : 0;
	free(hp);
	return (rc);
}

/* Remove the plain path p, its content saved in u. */
static int
drop_file(struct jailer *jp, struct undo *u, const char *p)
{
	char *hp;
	int rc;

	hp = host_path(p);
	rc = 0;
	if (undo_save_file(jp, u, hp) == -1)
		rc = -1;
	else if (unlink(hp) == -1 && errno != ENOENT)
		rc = jailer_seterrno(jp, "%s", p);
	free(hp);
	return (rc);
}

/* An fstab line with its mount point below the old root moved. */
static void
fstab_line(const struct rename *r, const char *line, struct buf *b)
{
	const char *p, *mp;
	size_t n;

	p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '#' || *p == '\0') {
		buf_adds(b, line);
		return;
	}
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	mp = p;
	n = strlen(r->opath);
	if (strncmp(mp, r->opath, n) != 0 || (mp[n] != '/' && mp[n] != ' ' &&
	    mp[n] != '\t' && mp[n] != '\0')) {
		buf_adds(b, line);
		return;
	}
	buf_add(b, line, (size_t)(mp - line));
	buf_adds(b, r->npath);
	buf_adds(b, mp + n);
}

/* The content a moved file gets: the same, but for rules and fstab. */
static int
moved_content(struct jailer *jp, const struct rename *r, size_t i,
    struct buf *in, struct buf *out)
{
	size_t pos;
	char *line;

	if (i != RN_FSTAB) {
		buf_add(out, in->data, in->len);
		return (0);
	}
	pos = 0;
	while ((line = buf_nextline(in, &pos)) != NULL) {
		fstab_line(r, line, out);
		buf_addc(out, '\n');
	}
	(void)jp;
	return (0);
}

/* Move the file i (rules: rewritten under the new name). */
static int
move_file(struct jailer *jp, struct undo *u, const struct rename *r,
    size_t i)
{
	struct buf in, out;
	struct stat sb;
	struct pf_rules rs;
	char *hp;
	int rc;

	if (!r->f[i].exists)
		return (0);
	if (i == RN_RULES) {
		if (pf_rules_read(jp, r->old, &rs) == -1)
			return (-1);
		hp = host_path(r->f[i].to);
		rc = undo_save_file(jp, u, hp) == -1 ||
		    pf_rules_write(jp, r->new, &rs) == -1 ? -1 : 0;
		free(hp);
		pf_rules_free(&rs);
		return (rc == -1 ? -1 : drop_file(jp, u, r->f[i].from));
	}
	hp = host_path(r->f[i].from);
	buf_init(&in);
	buf_init(&out);
	rc = file_read(jp, hp, &in) == -1 || stat(hp, &sb) == -1 ? -1 : 0;
	if (rc == -1 && jp->err[0] == '\0')
		jailer_seterrno(jp, "%s", r->f[i].from);
	if (rc == 0 && (moved_content(jp, r, i, &in, &out) == -1 ||
	    put_file(jp, u, r->f[i].to, out.data, out.len,
	    sb.st_mode & 07777) == -1 || drop_file(jp, u, r->f[i].from) == -1))
		rc = -1;
	free(hp);
	buf_free(&in);
	buf_free(&out);
	return (rc);
}

static int
interrupted(struct jailer *jp)
{
	return (jailer_interrupted ? jailer_seterr(jp, "interrupted") : 0);
}

/* The steps, each with its reverse in u. */
static int
rn_run(struct jailer *jp, struct undo *u, const struct rename *r)
{
	const char *back[] = { "zfs", "rename", r->nds, r->ods, NULL };
	size_t i;

	if (put_file(jp, u, r->nconf, r->text, strlen(r->text), r->mode) == -1
	    || interrupted(jp) == -1)
		return (-1);
	if (zfs(jp, 0, NULL, "rename", r->ods, r->nds, NULL) != 0)
		return (-1);
	undo_cmd(u, back);
	if (interrupted(jp) == -1 || drop_file(jp, u, r->oconf) == -1)
		return (-1);
	for (i = 0; i < RN_NFILES; i++)
		if (move_file(jp, u, r, i) == -1)
			return (-1);
	/* rc.conf's jail_list, when jailer keeps it, names new now. */
	if (param_bootlist_drop(jp, u, r->old) == -1)
		return (-1);
	return (interrupted(jp));
}

/* Check everything; NULL (the reason in jp->err) when rename must not. */
struct rename *
rename_open(struct jailer *jp, const char *old, const char *new)
{
	struct rename *r;

	r = xmalloc(sizeof(*r));
	if (rn_open(jp, old, new, r) == -1) {
		rename_free(r);
		return (NULL);
	}
	return (r);
}

void
rename_print(struct jailer *jp, const struct rename *r)
{
	rn_print(jp, r);
}

/* Run the steps; on failure undo them all. */
int
rename_apply(struct jailer *jp, struct rename *r)
{
	struct undo u;

	undo_init(&u);
	if (rn_run(jp, &u, r) == -1) {
		undo_run(jp, &u);
		return (-1);
	}
	undo_commit(&u);
	return (0);
}

void
rename_free(struct rename *r)
{
	if (r == NULL)
		return;
	rn_free(r);
	free(r);
}
