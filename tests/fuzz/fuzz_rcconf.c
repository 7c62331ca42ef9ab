/*
 * rc.conf(5)-style files: rc_parse_line (rc_get, claimed_static,
 * forget_network) and rc_edit (rc_set on the host's rc.conf,
 * safe_rc_set on a jail's, whose root user writes it).
 *
 * Input: [NAME \0 VALUE \0] TEXT
 *   With two NUL-terminated fields first, they are the variable and the
 *   value (a NAME starting with '-' removes the variable); otherwise
 *   NAME=jail_enable, VALUE=YES.  TEXT is the raw file, NUL bytes
 *   included (file_read and safe_read return what the file holds).
 *   rc_edit is only asked what rc_set/safe_rc_set would ask: a NAME that
 *   is a shell variable name and a value rc_value_ok accepts.
 *
 * Properties, reading the text the way rc_get does (buf_nextline:
 * lines up to the first NUL byte, "NUL bytes end the buffer"):
 *   - every input line that does not assign NAME is in the output, in
 *     the same order;
 *   - with a value: the last line of the output that assigns NAME (what
 *     rc_get, and sh, take) is exactly NAME="VALUE", and rc_edit added at
 *     most one line and at most one new assignment of NAME;
 *   - without a value: nothing is added; the output keeps only lines of
 *     the input;
 *   - the output ends with a newline; editing it again with the same
 *     arguments changes nothing (idempotence);
 *   - if sh(1) can tokenize the input (every quote closed: sh_closed()),
 *     it can tokenize the output: an rc.conf with an unclosed quote
 *     breaks every rc.d script at boot.
 * (JAILER_FUZZ_SKIP=rcconf-nul leaves out texts with NUL bytes while
 * regress/rcconf-nul-* fail; JAILER_FUZZ_SKIP=rcconf-multiline leaves
 * out the sh_closed check while regress/rcconf-*-left-unclosed fail.)
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rcconf.h"

struct lines {
	char	**v;
	size_t	  n;
};

/* The lines of a buffer as rc_get sees them (buf_nextline). */
static void
lines_of(const char *data, size_t len, struct lines *l)
{
	struct buf b;
	char *line;
	size_t pos;

	l->v = NULL;
	l->n = 0;
	buf_init(&b);
	buf_add(&b, data, len);
	pos = 0;
	while ((line = buf_nextline(&b, &pos)) != NULL) {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = xstrdup(line);
	}
	buf_free(&b);
}

static void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* 1 if line assigns name (as rc_get reads it), with its value. */
static int
assigns(const char *line, const char *name, char **value)
{
	char *n, *v;
	int rc;

	*value = NULL;
	if (!rc_parse_line(line, &n, &v))
		return (0);
	rc = strcmp(n, name) == 0;
	free(n);
	if (rc)
		*value = v;
	else
		free(v);
	return (rc);
}

/*
 * Does sh(1) see every quote of the text closed?  Quotes, backslash
 * escapes and comments as sh reads them; $(...) and `...` are not
 * looked into (jailer never writes them: rc_value_ok).
 */
static int
sh_closed(const char *s, size_t len)
{
	size_t i;
	int word;

	word = 0;
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\':
			i++;		/* the next byte, even a newline */
			word = 1;
			break;
		case '\'':
			for (i++; i < len && s[i] != '\''; i++)
				;
			if (i == len)
				return (0);
			word = 1;
			break;
		case '"':
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= len)
				return (0);
			word = 1;
			break;
		case '#':
			if (!word)
				while (i + 1 < len && s[i + 1] != '\n')
					i++;
			break;
		case ' ': case '\t': case '\n': case ';': case '&': case '|':
		case '(': case ')':
			word = 0;
			break;
		default:
			word = 1;
		}
	}
	return (1);
}

static int
valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    *s == '_'))
		return (0);
	return (fuzz_all_in(s, "_"));
}

static void
edit(const char *text, size_t len, const char *name, const char *value)
{
	struct buf in, out, again;
	struct lines il, ol;
	char *v, *want;
	size_t i, k, added, last;

	buf_init(&in);
	buf_add(&in, text, len);
	buf_init(&out);
	rc_edit(&in, name, value, &out);
	buf_free(&in);
	/*
	 * rc_set() and safe_rc_set() refuse files with a NUL byte; rc_edit
	 * itself stops at the first one.  Then only: no NUL comes out.
	 */
	if (memchr(text, '\0', len) != NULL) {
		FUZZ_CHECK(strlen(out.data) == out.len, "NUL byte in the output");
		buf_free(&out);
		return;
	}
	lines_of(text, len, &il);
	lines_of(out.data, out.len, &ol);
	FUZZ_CHECK(strlen(out.data) == out.len, "NUL byte in the output");
	FUZZ_CHECK(out.len == 0 || out.data[out.len - 1] == '\n',
	    "the output does not end with a newline");

	/* Every other line is kept, in order. */
	for (i = 0, k = 0; i < il.n; i++) {
		if (assigns(il.v[i], name, &v)) {
			free(v);
			continue;
		}
		while (k < ol.n && strcmp(ol.v[k], il.v[i]) != 0)
			k++;
		FUZZ_CHECK(k < ol.n, "input line %zu \"%s\" is lost (or out "
		    "of order)", i + 1, il.v[i]);
		k++;
	}
	if (value != NULL) {
		want = xasprintf("%s=\"%s\"", name, value);
		last = ol.n;
		for (i = 0; i < ol.n; i++)
			if (assigns(ol.v[i], name, &v)) {
				last = i;
				free(v);
			}
		FUZZ_CHECK(last < ol.n, "no assignment of %s in the output",
		    name);
		FUZZ_CHECK(strcmp(ol.v[last], want) == 0, "the assignment of "
		    "%s that counts is line %zu \"%s\", want \"%s\"", name,
		    last + 1, ol.v[last], want);
		FUZZ_CHECK(assigns(ol.v[last], name, &v) &&
		    strcmp(v, value) == 0, "%s=\"%s\" reads back as \"%s\"",
		    name, value, v);
		free(v);
		FUZZ_CHECK(ol.n <= il.n + 1, "%zu lines in, %zu out: more than "
		    "one added", il.n, ol.n);
		/* Lines of the output that are not in the input. */
		for (i = 0, added = 0; i < ol.n; i++) {
			for (k = 0; k < il.n; k++)
				if (strcmp(ol.v[i], il.v[k]) == 0)
					break;
			if (k == il.n)
				added++;
		}
		FUZZ_CHECK(added <= 1, "%zu new lines", added);
		free(want);
	} else {
		FUZZ_CHECK(ol.n <= il.n, "removing %s added lines", name);
		for (i = 0; i < ol.n; i++) {
			for (k = 0; k < il.n; k++)
				if (strcmp(ol.v[i], il.v[k]) == 0)
					break;
			FUZZ_CHECK(k < il.n, "removing %s made up line \"%s\"",
			    name, ol.v[i]);
		}
	}
	if (!fuzz_known("rcconf-multiline") && sh_closed(text, len))
		FUZZ_CHECK(sh_closed(out.data, out.len), "sh reads every quote "
		    "of the input closed, but not of the output:\n%s", out.data);
	/* Idempotence. */
	buf_init(&in);
	buf_add(&in, out.data, out.len);
	buf_init(&again);
	rc_edit(&in, name, value, &again);
	FUZZ_CHECK(again.len == out.len && memcmp(again.data, out.data,
	    out.len) == 0, "editing twice changes the file again");
	buf_free(&in);
	buf_free(&again);
	lines_free(&il);
	lines_free(&ol);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lines l;
	const uint8_t *p;
	char *f1, *f2, *text, *n, *v;
	const char *name, *value;
	size_t rest, i;

	p = data;
	rest = size;
	f1 = fuzz_field(&p, &rest);
	f2 = f1 != NULL ? fuzz_field(&p, &rest) : NULL;
	if (f2 == NULL) {
		free(f1);
		f1 = NULL;
		p = data;
		rest = size;
		name = "jail_enable";
		value = "YES";
	} else if (f1[0] == '-') {
		name = f1 + 1;
		value = NULL;
	} else {
		name = f1;
		value = f2;
	}
	text = fuzz_cstr(p, rest);

	/* rc_parse_line on every line, as rc_get reads them. */
	lines_of(text, rest, &l);
	for (i = 0; i < l.n; i++)
		if (rc_parse_line(l.v[i], &n, &v)) {
			FUZZ_CHECK(valid_name(n), "name \"%s\"", n);
			FUZZ_CHECK(strstr(l.v[i], n) != NULL, "name not in "
			    "the line");
			free(n);
			free(v);
		}
	lines_free(&l);

	if (valid_name(name) && (value == NULL || rc_value_ok(value)) &&
	    (memchr(text, '\0', rest) == NULL || !fuzz_known("rcconf-nul")))
		edit(text, rest, name, value);
	free(text);
	free(f1);
	free(f2);
	return (0);
}
