/*
 * jail.conf(5) parsing (the writer is confrender.c).
 *
 * The parser reads the grammar of jail.conf(5): comments (#, //, / * * /),
 * quoted and bare values with C escapes, lists, +=, $variables with
 * ${...} substitution, and wildcard or global statements.  It is strict:
 * jail(8) would refuse what it refuses.
 *
 * Depends on: vis, util, err.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "vis.h"

#define	CONF_VALUE_MAX	65536	/* longest value after substitution */

enum tok { T_EOF, T_WORD, T_STR, T_LBRACE, T_RBRACE, T_SEMI, T_COMMA,
	T_EQ, T_PLUSEQ, T_ERR };

struct lexer {
	struct jailer	*jp;
	const char	*file;
	const char	*base;		/* the start of the text */
	const char	*p;
	const char	*tok;		/* where the last token began */
	int		 line;
	struct buf	 text;		/* the token's text, escapes decoded */
	int		 sq;		/* the string was single-quoted */
};

static int
lex_error(struct lexer *lx, const char *what)
{
	jailer_seterr(lx->jp, "%s line %d: %s", lx->file, lx->line, what);
	return (T_ERR);
}

/* Skip white space and the three kinds of comments. */
static int
skip_space(struct lexer *lx)
{
	for (;;) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (isspace((unsigned char)*lx->p))
			lx->p++;
		else if (*lx->p == '#' || (lx->p[0] == '/' && lx->p[1] == '/')) {
			while (*lx->p != '\0' && *lx->p != '\n')
				lx->p++;
		} else if (lx->p[0] == '/' && lx->p[1] == '*') {
			lx->p += 2;
			while (*lx->p != '\0' && !(lx->p[0] == '*' &&
			    lx->p[1] == '/')) {
				if (*lx->p == '\n')
					lx->line++;
				lx->p++;
			}
			if (*lx->p == '\0')
				return (lex_error(lx, "unterminated comment"));
			lx->p += 2;
		} else
			return (0);
	}
}

/* Decode one backslash escape inside a string. */
static int
lex_escape(struct lexer *lx)
{
	int c, n, i;

	c = *++lx->p;
	lx->p++;
	switch (c) {
	case 'n':
		buf_addc(&lx->text, '\n');
		break;
	case 't':
		buf_addc(&lx->text, '\t');
		break;
	case 'r':
		buf_addc(&lx->text, '\r');
		break;
	case 'a':
		buf_addc(&lx->text, '\a');
		break;
	case 'b':
		buf_addc(&lx->text, '\b');
		break;
	case 'f':
		buf_addc(&lx->text, '\f');
		break;
	case 'v':
		buf_addc(&lx->text, '\v');
		break;
	case '\n':
		lx->line++;
		break;
	case 'x':
		for (n = 0, i = 0; i < 2 && isxdigit((unsigned char)*lx->p);
		    i++, lx->p++)
			n = n * 16 + (isdigit((unsigned char)*lx->p) ?
			    *lx->p - '0' : (tolower((unsigned char)*lx->p) -
			    'a' + 10));
		if (i == 0 || n == 0)
			return (lex_error(lx, "bad \\x escape"));
		buf_addc(&lx->text, (char)n);
		break;
	case '\0':
		return (lex_error(lx, "unterminated string"));
	default:
		if (c >= '0' && c <= '7') {
			for (n = c - '0', i = 1; i < 3 && *lx->p >= '0' &&
			    *lx->p <= '7'; i++, lx->p++)
				n = n * 8 + (*lx->p - '0');
			if (n == 0 || n > 255)
				return (lex_error(lx, "bad octal escape"));
			buf_addc(&lx->text, (char)n);
		} else if (c == '$') {
			/* Keep "\$" literal through substitution. */
			buf_adds(&lx->text, "\\$");
		} else
			buf_addc(&lx->text, (char)c);
	}
	return (0);
}

static int
lex(struct lexer *lx)
{
	char q;

	buf_reset(&lx->text);
	lx->sq = 0;
	if (skip_space(lx) != 0)
		return (T_ERR);
	lx->tok = lx->p;
	switch (*lx->p) {
	case '\0':
		return (T_EOF);
	case '{':
		lx->p++;
		return (T_LBRACE);
	case '}':
		lx->p++;
		return (T_RBRACE);
	case ';':
		lx->p++;
		return (T_SEMI);
	case ',':
		lx->p++;
		return (T_COMMA);
	case '=':
		lx->p++;
		return (T_EQ);
	case '+':
		if (lx->p[1] == '=') {
			lx->p += 2;
			return (T_PLUSEQ);
		}
		break;
	case '"':
	case '\'':
		q = *lx->p++;
		lx->sq = q == '\'';
		while (*lx->p != q) {
			if (*lx->p == '\0')
				return (lex_error(lx, "unterminated string"));
			if (*lx->p == '\\' && q == '"') {
				if (lex_escape(lx) != 0)
					return (T_ERR);
				continue;
			}
			if (*lx->p == '\n')
				lx->line++;
			buf_addc(&lx->text, *lx->p++);
		}
		lx->p++;
		return (T_STR);
	}
	/* A bare word: up to white space or punctuation. */
	while (*lx->p != '\0' && !isspace((unsigned char)*lx->p) &&
	    strchr("{};,=\"'#", *lx->p) == NULL &&
	    !(lx->p[0] == '+' && lx->p[1] == '=') &&
	    !(lx->p[0] == '/' && (lx->p[1] == '/' || lx->p[1] == '*'))) {
		if (*lx->p == '\\' && lx->p[1] != '\0') {
			if (lex_escape(lx) != 0)
				return (T_ERR);
			continue;
		}
		buf_addc(&lx->text, *lx->p++);
	}
	if (lx->text.len == 0)
		return (lex_error(lx, "syntax error"));
	return (T_WORD);
}

/* An unexpanded statement, kept in order. */
struct stmt {
	char	 *jail;		/* NULL or "*": applies to every jail */
	char	 *name;
	char	**vals;
	int	 *sq;		/* the value was single-quoted */
	size_t	  nvals;
	int	  append;
	int	  line;
	size_t	  start, end;	/* its bytes: the name through the ';' */
};

struct stmts {
	struct stmt	*v;
	size_t		 n;
	char		**names;	/* jail blocks, in order */
	size_t		 nnames;
	size_t		 close;		/* the last block's '}' */
};

static void
stmts_free(struct stmts *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].jail);
		free(s->v[i].name);
		for (j = 0; j < s->v[i].nvals; j++)
			free(s->v[i].vals[j]);
		free(s->v[i].vals);
		free(s->v[i].sq);
	}
	free(s->v);
	for (i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
}

/* Parameter names: letters, digits, '.', '_', '-'; variables start '$'. */
static int
valid_param_name(const char *s)
{
	if (*s == '$')
		s++;
	if (!isalpha((unsigned char)*s) && *s != '_')
		return (0);
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return (0);
	return (1);
}

/* Parse "name [= | += value[, value...]];" after its name was read. */
static int
parse_stmt(struct lexer *lx, struct stmts *ss, const char *jail, char *name)
{
	struct stmt *st;
	int t;

	if (!valid_param_name(name)) {
		lex_error(lx, "invalid parameter name");
		free(name);
		return (-1);
	}
	ss->v = xrealloc(ss->v, (ss->n + 1) * sizeof(*ss->v));
	st = &ss->v[ss->n++];
	memset(st, 0, sizeof(*st));
	st->jail = jail != NULL ? xstrdup(jail) : NULL;
	st->name = name;
	st->line = lx->line;
	st->start = (size_t)(lx->tok - lx->base);
	t = lex(lx);
	st->end = (size_t)(lx->p - lx->base);
	if (t == T_SEMI)
		return (0);
	if (t != T_EQ && t != T_PLUSEQ) {
		if (t != T_ERR)
			lex_error(lx, "expected '=', '+=' or ';'");
		return (-1);
	}
	st->append = t == T_PLUSEQ;
	for (;;) {
		t = lex(lx);
		if (t != T_WORD && t != T_STR) {
			if (t != T_ERR)
				lex_error(lx, "expected a value");
			return (-1);
		}
		st->vals = xrealloc(st->vals, (st->nvals + 1) *
		    sizeof(*st->vals));
		st->sq = xrealloc(st->sq, (st->nvals + 1) * sizeof(*st->sq));
		st->sq[st->nvals] = lx->sq;
		st->vals[st->nvals++] = xstrdup(lx->text.data);
		t = lex(lx);
		st->end = (size_t)(lx->p - lx->base);
		if (t == T_SEMI)
			return (0);
		if (t != T_COMMA) {
			if (t != T_ERR)
				lex_error(lx, "expected ',' or ';'");
			return (-1);
		}
	}
}

static int
parse_block(struct lexer *lx, struct stmts *ss, const char *jail)
{
	int t;

	for (;;) {
		t = lex(lx);
		if (t == T_RBRACE) {
			ss->close = (size_t)(lx->tok - lx->base);
			return (0);
		}
		if (t == T_EOF) {
			lex_error(lx, "missing '}'");
			return (-1);
		}
		if (t != T_WORD && t != T_STR) {
			if (t != T_ERR)
				lex_error(lx, "syntax error");
			return (-1);
		}
		if (parse_stmt(lx, ss, jail, xstrdup(lx->text.data)) == -1)
			return (-1);
	}
}

static int
parse_top(struct lexer *lx, struct stmts *ss)
{
	char *word;
	int t;

	for (;;) {
		t = lex(lx);
		if (t == T_EOF)
			return (0);
		if (t != T_WORD && t != T_STR) {
			if (t != T_ERR)
				lex_error(lx, "syntax error");
			return (-1);
		}
		word = xstrdup(lx->text.data);
		if (strcmp(word, ".include") == 0) {
			free(word);
			lex_error(lx, ".include is not allowed in a jail's "
			    "own file");
			return (-1);
		}
		/* A block name is followed by '{'; peek at what comes next. */
		if (skip_space(lx) != 0) {
			free(word);
			return (-1);
		}
		if (*lx->p == '{') {
			lx->p++;
			if (strcmp(word, "*") != 0) {
				if (strchr(word, '.') != NULL ||
				    strchr(word, '*') != NULL) {
					free(word);
					lex_error(lx, "nested and wildcard "
					    "jail names are not supported");
					return (-1);
				}
				ss->names = xrealloc(ss->names,
				    (ss->nnames + 1) * sizeof(*ss->names));
				ss->names[ss->nnames++] = xstrdup(word);
			}
			t = parse_block(lx, ss, word);
			free(word);
			if (t == -1)
				return (-1);
			continue;
		}
		if (parse_stmt(lx, ss, NULL, word) == -1)
			return (-1);
	}
}

static struct conf_param *
jail_param(struct conf_jail *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->nparams; i++)
		if (strcmp(j->params[i].name, name) == 0)
			return (&j->params[i]);
	return (NULL);
}

/*
 * Substitute ${name} and $name in a value of jail j, using its variables
 * and parameters as set so far (jail.conf(5) "Variable substitution").
 */
static int
expand(struct jailer *jp, struct conf_jail *j, const char *v, int sq,
    int line, const char *file, char **out)
{
	struct conf_param *p;
	struct buf b, name;
	const char *s;

	if (sq) {
		*out = xstrdup(v);
		return (0);
	}
	buf_init(&b);
	buf_init(&name);
	for (s = v; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == '$') {
			buf_addc(&b, '$');
			s++;
			continue;
		}
		if (*s != '$') {
			buf_addc(&b, *s);
			continue;
		}
		buf_reset(&name);
		buf_addc(&name, '$');
		if (s[1] == '{') {
			for (s += 2; *s != '\0' && *s != '}'; s++)
				buf_addc(&name, *s);
			if (*s != '}')
				goto bad;
		} else {
			for (; isalnum((unsigned char)s[1]) || s[1] == '_';
			    s++)
				buf_addc(&name, s[1]);
		}
		if (name.len == 1)
			goto bad;
		if (strcmp(name.data + 1, "name") == 0) {
			buf_adds(&b, j->name);
			continue;
		}
		if ((p = jail_param(j, name.data)) == NULL &&
		    (p = jail_param(j, name.data + 1)) == NULL) {
			jailer_seterr(jp, "%s line %d: %s: undefined variable "
			    "'%s'", file, line, vis(j->name), vis(name.data + 1));
			goto fail;
		}
		if (p->nvals > 0)
			buf_adds(&b, p->vals[0]);
		/* "$a = $b$b; $b = $a$a; ..." doubles at each step. */
		if (b.len > CONF_VALUE_MAX) {
			jailer_seterr(jp, "%s line %d: %s: value longer than "
			    "%d bytes", file, line, vis(j->name),
			    CONF_VALUE_MAX);
			goto fail;
		}
	}
	buf_free(&name);
	*out = buf_steal(&b);
	return (0);
bad:
	jailer_seterr(jp, "%s line %d: bad variable reference", file, line);
fail:
	buf_free(&b);
	buf_free(&name);
	return (-1);
}

/* Apply one statement to a jail being built. */
static int
apply(struct jailer *jp, struct conf_jail *j, const struct stmt *st,
    const char *file)
{
	struct conf_param *p;
	char *v;
	size_t i;

	if ((p = jail_param(j, st->name)) == NULL) {
		j->params = xrealloc(j->params, (j->nparams + 1) *
		    sizeof(*j->params));
		p = &j->params[j->nparams++];
		memset(p, 0, sizeof(*p));
		p->name = xstrdup(st->name);
	} else if (!st->append) {
		for (i = 0; i < p->nvals; i++)
			free(p->vals[i]);
		p->nvals = 0;
	}
	for (i = 0; i < st->nvals; i++) {
		if (expand(jp, j, st->vals[i], st->sq[i], st->line, file,
		    &v) == -1)
			return (-1);
		p->vals = xrealloc(p->vals, (p->nvals + 1) * sizeof(*p->vals));
		p->vals[p->nvals++] = v;
	}
	return (0);
}

/* The statements of text, unexpanded, in order (free with stmts_free). */
static int
parse_text(struct jailer *jp, const char *text, const char *file,
    struct stmts *ss)
{
	struct lexer lx;
	int rc;

	memset(ss, 0, sizeof(*ss));
	lx.jp = jp;
	lx.file = file;
	lx.base = text;
	lx.p = text;
	lx.tok = text;
	lx.line = 1;
	buf_init(&lx.text);
	rc = parse_top(&lx, ss);
	buf_free(&lx.text);
	if (rc == -1)
		stmts_free(ss);
	return (rc);
}

/*
 * Parse text (from file, for messages) into its jails, each with its
 * parameters in effect after globals, wildcards and substitution.
 */
int
conf_parse(struct jailer *jp, const char *text, const char *file,
    struct conf_file *cf)
{
	struct stmts ss;
	struct conf_jail *j;
	size_t i, k;

	memset(cf, 0, sizeof(*cf));
	if (parse_text(jp, text, file, &ss) == -1)
		return (-1);
	for (i = 0; i < ss.n; i++)
		if (ss.v[i].jail == NULL || strcmp(ss.v[i].jail, "*") == 0)
			cf->nglobals++;
	for (i = 0; i < ss.nnames; i++) {
		for (k = 0; k < cf->njails; k++)
			if (strcmp(cf->jails[k].name, ss.names[i]) == 0)
				break;
		if (k < cf->njails)
			continue;
		cf->jails = xrealloc(cf->jails, (cf->njails + 1) *
		    sizeof(*cf->jails));
		j = &cf->jails[cf->njails++];
		memset(j, 0, sizeof(*j));
		j->name = xstrdup(ss.names[i]);
		for (k = 0; k < ss.n; k++) {
			if (ss.v[k].jail != NULL &&
			    strcmp(ss.v[k].jail, "*") != 0 &&
			    strcmp(ss.v[k].jail, j->name) != 0)
				continue;
			if (apply(jp, j, &ss.v[k], file) == -1) {
				stmts_free(&ss);
				conf_free(cf);
				return (-1);
			}
		}
	}
	stmts_free(&ss);
	return (0);
}

void
conf_free(struct conf_file *cf)
{
	size_t i, k, v;

	for (i = 0; i < cf->njails; i++) {
		for (k = 0; k < cf->jails[i].nparams; k++) {
			for (v = 0; v < cf->jails[i].params[k].nvals; v++)
				free(cf->jails[i].params[k].vals[v]);
			free(cf->jails[i].params[k].vals);
			free(cf->jails[i].params[k].name);
		}
		free(cf->jails[i].params);
		free(cf->jails[i].name);
	}
	free(cf->jails);
	memset(cf, 0, sizeof(*cf));
}

const struct conf_param *
conf_param(const struct conf_jail *j, const char *name)
{
	return (jail_param((struct conf_jail *)j, name));
}

/* The first value of a parameter or variable, or NULL. */
const char *
conf_value(const struct conf_jail *j, const char *name)
{
	const struct conf_param *p;

	p = conf_param(j, name);
	return (p != NULL && p->nvals > 0 ? p->vals[0] : NULL);
}

/*
 * A boolean parameter: 1 if set ("vnet;" or "vnet = true"), 0 if unset
 * or negated ("novnet;", "vnet = false").
 */
int
conf_flag(const struct conf_jail *j, const char *name)
{
	const struct conf_param *p;

	if ((p = conf_param(j, name)) == NULL)
		return (0);
	if (p->nvals == 0)
		return (1);
	return (strcmp(p->vals[0], "true") == 0 ||
	    strcmp(p->vals[0], "1") == 0 || strcmp(p->vals[0], "new") == 0);
}

/*
 * The statements of text as written (values unexpanded), with their
 * byte spans and the offset of the last block's closing brace: what
 * confedit.c needs to change a file in place.
 */
int
conf_statements(struct jailer *jp, const char *text, const char *file,
    struct conf_stmts *out)
{
	struct stmts ss;
	struct conf_stmt *o;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	if (parse_text(jp, text, file, &ss) == -1)
		return (-1);
	out->v = xcalloc(ss.n + 1, sizeof(*out->v));
	out->n = ss.n;
	out->close = ss.close;
	for (i = 0; i < ss.n; i++) {
		o = &out->v[i];
		o->jail = ss.v[i].jail != NULL ? xstrdup(ss.v[i].jail) : NULL;
		o->name = xstrdup(ss.v[i].name);
		o->append = ss.v[i].append;
		o->start = ss.v[i].start;
		o->end = ss.v[i].end;
		o->nvals = ss.v[i].nvals;
		o->vals = xcalloc(o->nvals + 1, sizeof(*o->vals));
		for (k = 0; k < o->nvals; k++)
			o->vals[k] = xstrdup(ss.v[i].vals[k]);
	}
	stmts_free(&ss);
	return (0);
}

void
conf_stmts_free(struct conf_stmts *s)
{
	size_t i, k;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].jail);
		free(s->v[i].name);
		for (k = 0; k < s->v[i].nvals; k++)
			free(s->v[i].vals[k]);
		free(s->v[i].vals);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}
