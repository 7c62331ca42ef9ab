/*
 * jailer-template(5): reading a template and checking every line before
 * anything runs.  A line is an instruction and its words; words are split
 * at blanks, '...' and "..." group blanks into a word, ${NAME} is the
 * value of an ARG (or the jail's name) and is expanded without a shell,
 * in unquoted and double-quoted text only.  Refused anywhere in a line:
 * control characters, ';', '|', '&', '<', '>', '\', backquotes, '$' not
 * in ${NAME}; in any word a ".." path component.  The runner is at the
 * end (tmpl_apply and its steps).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

#define	ARG_NAME_MAX	32

static const struct opdef {
	const char	*name;
	enum tmpl_op	 op;
	int		 min, max;	/* operands; max -1: any */
} opdefs[] = {
	{ "PKG", T_PKG, 1, -1 }, { "SYSRC", T_SYSRC, 1, -1 },
	{ "SERVICE", T_SERVICE, 2, -1 }, { "CMD", T_CMD, 1, -1 },
	{ "CP", T_CP, 2, 2 }, { "MOUNT", T_MOUNT, 2, 3 },
	{ "LIMIT", T_LIMIT, 1, -1 }, { "RDR", T_RDR, 2, 3 },
	{ "SET", T_SET, 1, -1 },
};

/* The ARGs known so far: name, value. */
struct vars {
	char	**k, **v;
	size_t	  n, nk;	/* values, and names (strv_push counts) */
};

/* What a line is read with. */
struct lctx {
	struct jailer	*jp;
	const char	*file;
	int		 lineno;
	struct vars	*vs;
	const char	*jail;
};

const char *
tmpl_op_name(enum tmpl_op op)
{
	size_t i;

	for (i = 0; i < nitems(opdefs); i++)
		if (opdefs[i].op == op)
			return (opdefs[i].name);
	return ("?");
}

static int PRINTFLIKE(2, 3)
lerr(const struct lctx *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return (jailer_seterr(c->jp, "%s:%d: %s", vis(c->file), c->lineno,
	    msg));
}

/* Characters no line (and no -a value) may hold; NULL if none. */
static const char *
bad_char(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return ("a control character");
		switch (*p) {
		case ';':
			return ("';'");
		case '`':
			return ("a backquote");
		case '|': case '&': case '<': case '>':
			return ("a shell operator (|, &, <, >)");
		case '\\':
			return ("a backslash");
		case '$':
			if (p[1] == '(')
				return ("$(...)");
			if (p[1] != '{')
				return ("'$' outside ${NAME}");
			break;
		}
	}
	return (NULL);
}

static int
arg_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > ARG_NAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return (0);
	for (i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return (0);
	return (1);
}

/* The value of ARG s (len bytes), or NULL. */
static const char *
var_get(const struct lctx *c, const char *s, size_t len)
{
	size_t i;

	if (len == 4 && strncmp(s, "name", 4) == 0)
		return (c->jail);
	for (i = 0; i < c->vs->n; i++)
		if (strlen(c->vs->k[i]) == len && strncmp(c->vs->k[i], s,
		    len) == 0)
			return (c->vs->v[i]);
	return (NULL);
}

/* ${NAME} at *pp (at the '$'): its value into w, *pp after the '}'. */
static int
expand(const struct lctx *c, const char **pp, struct buf *w)
{
	const char *p = *pp + 2, *e, *val;

	if ((e = strchr(p, '}')) == NULL)
		return (lerr(c, "unterminated ${"));
	if (!arg_name_ok(p, (size_t)(e - p)))
		return (lerr(c, "invalid variable name in ${...}"));
	if ((val = var_get(c, p, (size_t)(e - p))) == NULL)
		return (lerr(c, "unknown ARG ${%.*s} (declare it with ARG "
		    "first)", (int)(e - p), p));
	buf_adds(w, val);
	*pp = e + 1;
	return (0);
}

/* One word at *pp (not at a blank): quotes and ${NAME} done. */
static int
word(const struct lctx *c, const char **pp, struct buf *w)
{
	const char *p = *pp, *q;

	while (*p != '\0' && *p != ' ' && *p != '\t') {
		if (*p == '\'') {
			if ((q = strchr(p + 1, '\'')) == NULL)
				return (lerr(c, "unterminated '"));
			buf_add(w, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else if (*p == '"') {
			for (p++; *p != '"'; ) {
				if (*p == '\0')
					return (lerr(c, "unterminated \""));
				if (*p != '$')
					buf_addc(w, *p++);
				else if (expand(c, &p, w) == -1)
					return (-1);
			}
			p++;
		} else if (*p == '$') {
			if (expand(c, &p, w) == -1)
				return (-1);
		} else
			buf_addc(w, *p++);
	}
	*pp = p;
	return (0);
}

/* Has s a ".." path component? */
static int
has_dotdot(const char *s)
{
	const char *p;

	for (p = s; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return (1);
	return (0);
}

/* Split line into words, ${NAME} expanded; each word checked. */
static int
split(const struct lctx *c, const char *line, char ***wv, size_t *wn)
{
	struct buf w;
	const char *p, *why;
	int rc;

	*wv = NULL;
	*wn = 0;
	buf_init(&w);
	for (p = line, rc = 0; rc == 0; ) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		buf_reset(&w);
		if ((rc = word(c, &p, &w)) == -1)
			break;
		if ((why = bad_char(w.data)) != NULL)
			rc = lerr(c, "an ARG value holds %s", why);
		else if (has_dotdot(w.data))
			rc = lerr(c, "'%s': a '..' path component",
			    vis(w.data));
		else if (*wn == TMPL_WORDS_MAX)
			rc = lerr(c, "more than %d words", TMPL_WORDS_MAX);
		else
			strv_push(wv, wn, xstrdup(w.data));
	}
	buf_free(&w);
	if (rc == -1) {
		strv_free(*wv, *wn);
		*wv = NULL;
		*wn = 0;
	}
	return (rc);
}

/*
 * A path inside a jail as cp and templates take it: absolute, canonical
 * (no empty, "." or ".." component, no trailing slash), printable.
 */
int
tmpl_path_ok(struct jailer *jp, const char *p)
{
	const char *c, *e;
	size_t len;

	if (p[0] != '/' || p[1] == '\0')
		return (jailer_seterr(jp, "%s: the path in the jail must be "
		    "absolute, and not /", vis(p)));
	if (strlen(p) > 1000)
		return (jailer_seterr(jp, "path in the jail too long"));
	for (c = p; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return (jailer_seterr(jp, "%s: control characters in "
			    "the path", vis(p)));
	for (c = p + 1; ; c = e + 1) {
		e = strchr(c, '/');
		len = e != NULL ? (size_t)(e - c) : strlen(c);
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return (jailer_seterr(jp, "%s: not a canonical path "
			    "(empty, . or .. component)", vis(p)));
		if (e == NULL)
			break;
	}
	return (0);
}

/* Every character of s in the set (letters and digits always). */
static int
only(const char *s, const char *set)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(set, *s) != NULL))
			return (0);
	return (1);
}

/* Digits (and, with colon, one ':' between digits). */
static int
ports_ok(const char *s, int colon)
{
	size_t n;

	n = strspn(s, "0123456789");
	if (n == 0 || n > 5)
		return (0);
	if (s[n] == ':' && colon)
		return (ports_ok(s + n + 1, 0));
	return (s[n] == '\0');
}

/* An absolute, canonical host path. */
static int
host_abs_ok(const struct lctx *c, const char *p)
{
	if (tmpl_path_ok(c->jp, p) == -1)
		return (lerr(c, "host path '%s': absolute and canonical, "
		    "please", vis(p)));
	return (0);
}

/* SYSRC words: options, NAME, NAME=VALUE, NAME+=VALUE, NAME-=VALUE. */
static int
sysrc_ok(const struct lctx *c, char **w, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		if (w[i][0] == '-' && w[i][1] != '\0' && only(w[i] + 1, ""))
			continue;
		len = strcspn(w[i], "=");
		if (len > 0 && w[i][len] == '=' && (w[i][len - 1] == '+' ||
		    w[i][len - 1] == '-'))
			len--;
		if (len == 0 || !arg_name_ok(w[i], len))
			return (lerr(c, "SYSRC: '%s' is not NAME=VALUE",
			    vis(w[i])));
	}
	return (0);
}

/* The operands of one instruction. */
static int
line_ok(const struct lctx *c, enum tmpl_op op, char **w, size_t n)
{
	size_t i;

	switch (op) {
	case T_SYSRC:
		return (sysrc_ok(c, w, n));
	case T_SERVICE:
		if (!only(w[0], "._-") || w[0][0] == '-')
			return (lerr(c, "SERVICE: '%s' is no service name",
			    vis(w[0])));
		return (0);
	case T_CMD:
		if (w[0][0] == '/' ? tmpl_path_ok(c->jp, w[0]) == -1 :
		    (!only(w[0], "._+-") || w[0][0] == '-'))
			return (lerr(c, "CMD: '%s' is no program", vis(w[0])));
		return (0);
	case T_CP:
		if (tmpl_path_ok(c->jp, w[1]) == -1)
			return (lerr(c, "CP: %s", c->jp->err));
		return (w[0][0] == '/' ? host_abs_ok(c, w[0]) : 0);
	case T_MOUNT:
		if (host_abs_ok(c, w[0]) == -1)
			return (-1);
		if (tmpl_path_ok(c->jp, w[1]) == -1)
			return (lerr(c, "MOUNT: %s", c->jp->err));
		if (n == 3 && strcmp(w[2], "ro") != 0 && strcmp(w[2], "rw"))
			return (lerr(c, "MOUNT: '%s' is neither ro nor rw",
			    vis(w[2])));
		return (0);
	case T_RDR:
		if (strcmp(w[0], "tcp") != 0 && strcmp(w[0], "udp") != 0)
			return (lerr(c, "RDR: '%s' is neither tcp nor udp",
			    vis(w[0])));
		if (!ports_ok(w[1], 1) || (n == 3 && !ports_ok(w[2], 0)))
			return (lerr(c, "RDR: expected PORT[:PORT] [JAILPORT]"));
		return (0);
	case T_LIMIT:
	case T_SET:
		for (i = 0; i < n; i++)
			if (strchr(w[i], '=') == NULL || w[i][0] == '=' ||
			    !only(w[i], op == T_SET ? "._=:,/-" : "=:."))
				return (lerr(c, "%s: '%s' is not NAME=VALUE",
				    tmpl_op_name(op), vis(w[i])));
		return (0);
	case T_PKG:
		return (0);
	}
	return (0);
}

/* ARG NAME[=DEFAULT]: its value, from -a or the default. */
static int
arg_line(const struct lctx *c, char **w, size_t n, char **sets, size_t nsets)
{
	size_t i, len;
	const char *val;

	if (n != 1)
		return (lerr(c, "ARG: expected NAME or NAME=DEFAULT"));
	len = strcspn(w[0], "=");
	if (!arg_name_ok(w[0], len) || (len == 4 && strncmp(w[0], "name", 4)
	    == 0))
		return (lerr(c, "ARG: '%s' is no valid name (letters, digits, "
		    "'_'; not 'name')", vis(w[0])));
	if (var_get(c, w[0], len) != NULL)
		return (lerr(c, "ARG %.*s declared twice", (int)len, w[0]));
	val = w[0][len] == '=' ? w[0] + len + 1 : NULL;
	for (i = 0; i < nsets; i++)
		if (strncmp(sets[i], w[0], len) == 0 && sets[i][len] == '=')
			val = sets[i] + len + 1;
	if (val == NULL)
		return (lerr(c, "ARG %.*s has no default: give -a %.*s=VALUE",
		    (int)len, w[0], (int)len, w[0]));
	strv_push(&c->vs->k, &c->vs->nk, xstrndup(w[0], len));
	strv_push(&c->vs->v, &c->vs->n, xstrdup(val));
	return (0);
}

/* A relative CP source: from the template's directory. */
static char *
cp_source(const char *file, const char *src)
{
	const char *slash;

	if (src[0] == '/' || (slash = strrchr(file, '/')) == NULL)
		return (xstrdup(src));
	return (xasprintf("%.*s/%s", (int)(slash - file), file, src));
}

/* One line: skipped, an ARG, or an instruction added to t. */
static int
read_line(struct lctx *c, char *line, char **sets, size_t nsets,
    struct tmpl *t)
{
	struct tmpl_line *l;
	const char *why;
	char **w;
	size_t i, n;
	int rc;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '#')
		return (0);
	if (strlen(line) > TMPL_LINE_MAX)
		return (lerr(c, "longer than %d bytes", TMPL_LINE_MAX));
	if ((why = bad_char(line)) != NULL)
		return (lerr(c, "%s is not allowed in a template", why));
	if (split(c, line, &w, &n) == -1)
		return (-1);
	if (strcmp(w[0], "ARG") == 0) {
		rc = arg_line(c, w + 1, n - 1, sets, nsets);
		strv_free(w, n);
		return (rc);
	}
	for (i = 0; i < nitems(opdefs) && strcmp(opdefs[i].name, w[0]); i++)
		continue;
	if (i == nitems(opdefs)) {
		lerr(c, "unknown instruction '%s'", vis(w[0]));
		strv_free(w, n);
		return (-1);
	}
	if ((int)n - 1 < opdefs[i].min || (opdefs[i].max != -1 &&
	    (int)n - 1 > opdefs[i].max))
		rc = lerr(c, "%s: wrong number of operands", w[0]);
	else if (t->n == TMPL_LINES_MAX)
		rc = lerr(c, "more than %d instructions", TMPL_LINES_MAX);
	else
		rc = line_ok(c, opdefs[i].op, w + 1, n - 1);
	if (rc == -1) {
		strv_free(w, n);
		return (-1);
	}
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	l = &t->v[t->n++];
	l->lineno = c->lineno;
	l->op = opdefs[i].op;
	l->n = n - 1;
	l->w = xcalloc(n, sizeof(*l->w));
	for (i = 1; i < n; i++)
		l->w[i - 1] = w[i];
	free(w[0]);
	free(w);
	if (l->op == T_CP) {
		char *src = cp_source(t->file, l->w[0]);

		free(l->w[0]);
		l->w[0] = src;
	}
	t->in_jail |= l->op == T_PKG || l->op == T_SYSRC ||
	    l->op == T_SERVICE || l->op == T_CMD;
	return (0);
}

/* The -a NAME=VALUE operands: well formed, each NAME an ARG of the file. */
static int
sets_ok(struct jailer *jp, char **sets, size_t nsets, const struct vars *vs,
    int declared)
{
	const char *why;
	size_t i, k, len;

	for (i = 0; i < nsets; i++) {
		len = strcspn(sets[i], "=");
		if (!declared && (sets[i][len] != '=' ||
		    !arg_name_ok(sets[i], len)))
			return (jailer_seterr(jp, "-a '%s': expected NAME=VALUE",
			    vis(sets[i])));
		if (!declared && (why = bad_char(sets[i])) != NULL)
			return (jailer_seterr(jp, "-a %.*s: the value holds %s",
			    (int)len, sets[i], why));
		for (k = 0; declared && k < vs->n; k++)
			if (strlen(vs->k[k]) == len &&
			    strncmp(vs->k[k], sets[i], len) == 0)
				break;
		if (declared && k == vs->n)
			return (jailer_seterr(jp, "-a %.*s: the template has no "
			    "ARG %.*s", (int)len, sets[i], (int)len, sets[i]));
	}
	return (0);
}

/*
 * Read and check the template file (a host path; relative: from the
 * cwd) for the jail jail, with the -a NAME=VALUE operands sets.  Nothing
 * runs; an error names the file and line.
 */
int
tmpl_load(struct jailer *jp, const char *file, char **sets, size_t nsets,
    const char *jail, struct tmpl *t)
{
	struct vars vs;
	struct lctx c;
	struct buf b;
	char *real, *line;
	size_t pos;
	int rc;

	memset(t, 0, sizeof(*t));
	memset(&vs, 0, sizeof(vs));
	t->file = xstrdup(file);
	if (sets_ok(jp, sets, nsets, NULL, 0) == -1)
		return (-1);
	real = file[0] == '/' ? host_path(file) : xstrdup(file);
	buf_init(&b);
	rc = file_read(jp, real, &b);
	free(real);
	if (rc == -1) {
		buf_free(&b);
		return (-1);
	}
	c.jp = jp;
	c.file = file;
	c.vs = &vs;
	c.jail = jail;
	c.lineno = 0;
	if (memchr(b.data, '\0', b.len) != NULL)
		rc = jailer_seterr(jp, "%s: a NUL byte; not a template",
		    vis(file));
	for (pos = 0; rc == 0 && (line = buf_nextline(&b, &pos)) != NULL; ) {
		c.lineno++;
		rc = read_line(&c, line, sets, nsets, t);
	}
	if (rc == 0)
		rc = sets_ok(jp, sets, nsets, &vs, 1);
	if (rc == 0 && t->n == 0)
		rc = jailer_seterr(jp, "%s: no instructions", vis(file));
	buf_free(&b);
	strv_free(vs.k, vs.nk);
	strv_free(vs.v, vs.n);
	return (rc);
}

void
tmpl_free(struct tmpl *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		strv_free(t->v[i].w, t->v[i].n);
	free(t->v);
	free(t->file);
	memset(t, 0, sizeof(*t));
}

/* The line as jailer runs it: INSTRUCTION word ..., quoted for sh(1). */
void
tmpl_line_text(const struct tmpl_line *l, struct buf *b)
{
	size_t i;

	buf_adds(b, tmpl_op_name(l->op));
	for (i = 0; i < l->n; i++) {
		buf_addc(b, ' ');
		shell_quote(b, l->w[i]);
	}
}
