/*
 * Changing a jail's own conf file in place, for the commands that
 * configure a jail after it was created (set, limit, cpuset, mount, zfs,
 * rename).  Statements are found by the parser's byte spans; a removed
 * statement goes with its line when it is alone on it; a new statement
 * takes the place of the first one it replaces, or else goes before
 * jailer's hooks (or the block's closing brace).  Everything else in the
 * file, an administrator's comments and edits included, is kept byte for
 * byte.  The result must parse again as the one jail of its name, with
 * nothing outside its block, before it is written (atomically, with its
 * undo).
 *
 * Depends on: conf, confrender, jail, undo, util, err.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "jail.h"
#include "plan.h"
#include "undo.h"

struct confedit_ins {
	size_t	 at;		/* offset in the original text */
	char	*text;		/* whole lines */
};

/* Read and parse the conf file of the jail name for editing. */
int
confedit_open(struct jailer *jp, const char *name, struct confedit *e)
{
	struct buf b;
	struct stat sb;
	char *fpath;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->path = jail_conf_path(name);
	fpath = host_path(e->path);
	buf_init(&b);
	if (file_read(jp, fpath, &b) == -1 || stat(fpath, &sb) == -1) {
		if (jp->err[0] == '\0')
			jailer_seterr(jp, "%s: cannot read", e->path);
		goto fail;
	}
	e->mode = sb.st_mode & 07777;
	e->text = buf_steal(&b);
	if (conf_statements(jp, e->text, e->path, &e->st) == -1)
		goto fail;
	for (i = 0; i < e->st.n; i++)
		if (e->st.v[i].jail == NULL ||
		    strcmp(e->st.v[i].jail, name) != 0) {
			jailer_seterr(jp, "%s: must define the jail %s and "
			    "nothing else", e->path, name);
			goto fail;
		}
	e->drop = xcalloc(e->st.n + 1, 1);
	free(fpath);
	return (0);
fail:
	free(fpath);
	buf_free(&b);
	confedit_free(e);
	return (-1);
}

void
confedit_free(struct confedit *e)
{
	size_t i;

	for (i = 0; i < e->nins; i++)
		free(e->ins[i].text);
	free(e->ins);
	free(e->name);
	free(e->path);
	free(e->text);
	free(e->drop);
	conf_stmts_free(&e->st);
	memset(e, 0, sizeof(*e));
}

/* Where a new statement goes: before the hooks, or the closing brace. */
static size_t
default_at(const struct confedit *e)
{
	char *hook;
	size_t i, at;

	hook = xasprintf("%s hook start ${name}", JAILER_BIN);
	at = e->st.close;
	for (i = 0; i < e->st.n; i++)
		if (strcmp(e->st.v[i].name, "exec.poststart") == 0 &&
		    e->st.v[i].nvals == 1 &&
		    strcmp(e->st.v[i].vals[0], hook) == 0) {
			at = e->st.v[i].start;
			break;
		}
	free(hook);
	while (at > 0 && (e->text[at - 1] == ' ' || e->text[at - 1] == '\t'))
		at--;
	return (at);
}

static void
insert(struct confedit *e, size_t at, struct buf *b)
{
	e->ins = xrealloc(e->ins, (e->nins + 1) * sizeof(*e->ins));
	e->ins[e->nins].at = at;
	e->ins[e->nins].text = buf_steal(b);
	e->nins++;
}

/*
 * Remove the statements of the jail's block named name whose values
 * match (match NULL: every one).  Returns how many were removed; *first
 * is where the first one was (for a replacement), if first is not NULL.
 */
size_t
confedit_del_match(struct confedit *e, const char *name,
    int (*match)(const struct conf_stmt *, void *), void *arg,
    size_t *first)
{
	size_t i, n;

	n = 0;
	for (i = 0; i < e->st.n; i++) {
		if (e->drop[i] || strcmp(e->st.v[i].name, name) != 0 ||
		    (match != NULL && !match(&e->st.v[i], arg)))
			continue;
		if (n++ == 0 && first != NULL)
			*first = e->st.v[i].start;
		e->drop[i] = 1;
	}
	return (n);
}

size_t
confedit_del(struct confedit *e, const char *name)
{
	return (confedit_del_match(e, name, NULL, NULL, NULL));
}

/* Where a replacement goes: where the first replaced statement began. */
static size_t
line_start(const struct confedit *e, size_t at)
{
	while (at > 0 && (e->text[at - 1] == ' ' || e->text[at - 1] == '\t'))
		at--;
	return (at);
}

/*
 * name = vals[0], vals[1], ...; (values quoted literally), in place of
 * every statement of name; nvals 0 writes the bare "name;".
 */
void
confedit_set(struct confedit *e, const char *name, const char *const *vals,
    size_t nvals)
{
	struct buf b;
	size_t at, i;

	at = (size_t)-1;
	confedit_del_match(e, name, NULL, NULL, &at);
	at = at == (size_t)-1 ? default_at(e) : line_start(e, at);
	buf_init(&b);
	if (nvals == 0)
		buf_addf(&b, "  %s;\n", name);
	else {
		buf_addf(&b, "  %-15s = ", name);
		for (i = 0; i < nvals; i++) {
			if (i > 0)
				buf_adds(&b, ", ");
			conf_quote(&b, vals[i]);
		}
		buf_adds(&b, ";\n");
	}
	insert(e, at, &b);
}

/*
 * A new statement name += "tmpl"; before the hooks.  tmpl may use
 * ${variables}; the caller built it from checked values only.
 */
void
confedit_append(struct confedit *e, const char *name, const char *tmpl)
{
	struct buf b;

	buf_init(&b);
	conf_put_tmpl(&b, name, "+=", tmpl);
	insert(e, default_at(e), &b);
}

/* A removed statement's bytes: its whole line when it is alone on it. */
static void
span(const struct confedit *e, size_t i, size_t *s, size_t *t)
{
	size_t a, z;

	a = e->st.v[i].start;
	z = e->st.v[i].end;
	while (a > 0 && (e->text[a - 1] == ' ' || e->text[a - 1] == '\t'))
		a--;
	if (a == 0 || e->text[a - 1] == '\n') {
		while (e->text[z] == ' ' || e->text[z] == '\t')
			z++;
		if (e->text[z] == '\n') {
			*s = a;
			*t = z + 1;
			return;
		}
	}
	*s = a > 0 && e->text[a - 1] != '\n' ? a : e->st.v[i].start;
	*t = e->st.v[i].end;
}

/* The file as it will be written; caller frees. */
char *
confedit_text(const struct confedit *e)
{
	struct buf b;
	size_t *skip, len, pos, i, k, s, t;

	len = strlen(e->text);
	skip = xcalloc(len + 1, sizeof(*skip));
	for (i = 0; i < e->st.n; i++)
		if (e->drop[i]) {
			span(e, i, &s, &t);
			skip[s] = t > skip[s] ? t : skip[s];
		}
	buf_init(&b);
	for (pos = 0; pos <= len;) {
		for (k = 0; k < e->nins; k++)
			if (e->ins[k].at == pos)
				buf_adds(&b, e->ins[k].text);
		if (skip[pos] > pos)
			pos = skip[pos];
		else if (pos < len)
			buf_addc(&b, e->text[pos++]);
		else
			break;
	}
	free(skip);
	return (buf_steal(&b));
}

/* Did anything change? */
int
confedit_changed(const struct confedit *e)
{
	char *t;
	int changed;

	t = confedit_text(e);
	changed = strcmp(t, e->text) != 0;
	free(t);
	return (changed);
}

/*
 * For -D: the statements removed ("- ...") and added ("+ ..."), one per
 * line, into b.
 */
void
confedit_diff(const struct confedit *e, struct buf *b)
{
	size_t i, k;
	const char *p, *nl;

	for (i = 0; i < e->st.n; i++)
		if (e->drop[i])
			buf_addf(b, "- %.*s\n",
			    (int)(e->st.v[i].end - e->st.v[i].start),
			    e->text + e->st.v[i].start);
	for (k = 0; k < e->nins; k++)
		for (p = e->ins[k].text; *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			while (*p == ' ')
				p++;
			buf_addf(b, "+ %.*s\n", (int)(nl - p), p);
		}
}

/*
 * For -D: the diff into b, or, for -D -j, a change of the conf file
 * with its whole text before and after.
 */
void
confedit_plan(struct jailer *jp, const struct confedit *e, struct buf *b)
{
	struct buf d;
	char *next;

	if (jp->plan == NULL) {
		confedit_diff(e, b);
		return;
	}
	buf_init(&d);
	confedit_diff(e, &d);
	if (d.len > 0 && d.data[d.len - 1] == '\n')
		d.data[--d.len] = '\0';
	next = confedit_text(e);
	if (strcmp(next, e->text) != 0)	/* an edit to the same text: none */
		plan_item(jp, NULL, "change", "file", e->path, e->text, next,
		    "%s", d.data);
	free(next);
	buf_free(&d);
}

/*
 * Check the new text (the one jail of its name, nothing outside its
 * block) and write it atomically, its old content saved in u.  In
 * dry-run mode it is only checked.
 */
int
confedit_commit(struct jailer *jp, struct undo *u, struct confedit *e)
{
	struct conf_file cf;
	char *next, *fpath;
	int rc;

	next = confedit_text(e);
	if (conf_parse(jp, next, e->path, &cf) == -1) {
		free(next);
		return (-1);
	}
	rc = cf.njails == 1 && strcmp(cf.jails[0].name, e->name) == 0 &&
	    cf.nglobals == 0 ? 0 : -1;
	conf_free(&cf);
	if (rc == -1) {
		free(next);
		return (jailer_seterr(jp, "%s: the change does not fit in "
		    "the jail's block", e->path));
	}
	fpath = host_path(e->path);
	if (!jp->dryrun && strcmp(next, e->text) != 0 &&
	    ((u != NULL && undo_save_file(jp, u, fpath) == -1) ||
	    file_write_atomic(jp, fpath, next, strlen(next), e->mode) == -1))
		rc = -1;
	free(fpath);
	free(next);
	return (rc);
}
