/*
 * rc.conf files are sh(1) scripts, but the lines jailer reads and writes
 * are simple assignments.  Expansions are not evaluated: a value is taken
 * literally, and every caller validates what it reads.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rcconf.h"

/*
 * Parse an assignment at the start of line.  Returns 1 with *name and
 * *value allocated and *simple set when nothing but a comment follows the
 * value; 0 if the line is not an assignment.  Quoting follows sh(1):
 * inside double quotes a backslash only escapes $ ` " \ and newline.
 */
static int
parse_assign(const char *line, char **name, char **value, int *simple)
{
	const char *p, *n0;
	struct buf v;
	char q;

	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	n0 = p;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return (0);
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (*p != '=')
		return (0);
	*name = xstrndup(n0, (size_t)(p - n0));
	p++;
	buf_init(&v);
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ';' &&
	    *p != '#') {
		if (*p == '"' || *p == '\'') {
			q = *p++;
			while (*p != '\0' && *p != q) {
				if (q == '"' && *p == '\\' && p[1] != '\0' &&
				    strchr("$`\"\\\n", p[1]) != NULL)
					p++;
				buf_addc(&v, *p++);
			}
			if (*p == q)
				p++;
		} else {
			if (*p == '\\' && p[1] != '\0')
				p++;
			buf_addc(&v, *p++);
		}
	}
	*value = buf_steal(&v);
	while (*p == ' ' || *p == '\t')
		p++;
	*simple = *p == '\0' || *p == '#';
	return (1);
}

/*
 * sh(1)'s quoting across lines: given the state at the start of a line
 * (0, '"' or '\'' for an open quote), return the state at its end, or 'c'
 * when the line ends in a backslash that continues it outside quotes.
 */
static int
quote_state(const char *line, int state)
{
	const char *p;

	for (p = line; *p != '\0'; p++) {
		if (state == '\'') {
			if (*p == '\'')
				state = 0;
		} else if (state == '"') {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '\\')
				return ('"');
			else if (*p == '"')
				state = 0;
		} else {
			if (*p == '#' && (p == line || p[-1] == ' ' ||
			    p[-1] == '\t' || p[-1] == ';'))
				return (0);
			if (*p == '\\' && p[1] == '\0')
				return ('c');
			if (*p == '\\')
				p++;
			else if (*p == '"' || *p == '\'')
				state = *p;
		}
	}
	return (state);
}

/*
 * Parse one line.  Returns 1 with *name and *value allocated if it is an
 * assignment, 0 if not (comment, blank, anything else).
 */
int
rc_parse_line(const char *line, char **name, char **value)
{
	int simple;

	return (parse_assign(line, name, value, &simple));
}

/*
 * Look NAME up in the file at path (a file system path).  Returns 1 and
 * the value (caller frees), 0 when it is not set or the file is missing,
 * -1 on error.
 */
int
rc_get(struct jailer *jp, const char *path, const char *name, char **value)
{
	struct buf b;
	char *line, *n, *v;
	size_t pos;
	int found, state, cont;

	*value = NULL;
	buf_init(&b);
	if (file_read(jp, path, &b) == -1) {
		buf_free(&b);
		return (errno == ENOENT ? 0 : -1);
	}
	found = 0;
	pos = 0;
	state = 0;
	while ((line = buf_nextline(&b, &pos)) != NULL) {
		cont = state != 0;
		state = quote_state(line, state == 'c' ? 0 : state);
		if (cont || !rc_parse_line(line, &n, &v))
			continue;
		if (strcmp(n, name) == 0) {
			free(*value);
			*value = v;
			found = 1;
		} else
			free(v);
		free(n);
	}
	buf_free(&b);
	return (found);
}

/* Values jailer writes need no quoting beyond plain double quotes. */
int
rc_value_ok(const char *v)
{
	for (; *v != '\0'; v++)
		if (*v == '"' || *v == '\\' || *v == '$' || *v == '`' ||
		    (unsigned char)*v < 0x20 || *v == 0x7f)
			return (0);
	return (1);
}

/*
 * One line of rc_edit()'s passes; *state carries quotes across lines.
 * Returns 1 when the line assigns name (*simple: the assignment is the
 * whole line and its value ends on it), 0 when it assigns another name,
 * -1 when it is no assignment or continues a value.
 */
static int
line_assigns(const char *line, int *state, const char *name, int *simple)
{
	char *n, *v;
	int cont, match;

	cont = *state != 0;
	*state = quote_state(line, *state == 'c' ? 0 : *state);
	/* A value spanning lines is never rewritten, only followed. */
	if (cont || !parse_assign(line, &n, &v, simple))
		return (-1);
	if (*state != 0)
		*simple = 0;
	match = strcmp(n, name) == 0;
	free(n);
	free(v);
	return (match);
}

/*
 * Edit rc.conf text: the last assignment of NAME becomes NAME="value"
 * (appended when there is none, or when that line holds more than the
 * one assignment); a NULL value removes every plain assignment of NAME.
 * Other lines are kept as they are.  in is modified (split in place).
 */
void
rc_edit(struct buf *in, const char *name, const char *value, struct buf *out)
{
	char *line;
	size_t pos, lineno, last;
	int match, simple, last_simple, state;

	/* Text after a NUL byte is not rc.conf (callers refuse it anyway). */
	in->len = strnlen(in->data, in->len);
	/* First pass: find the last assignment of NAME. */
	last = 0;
	last_simple = 0;
	state = 0;
	for (pos = 0, lineno = 1; (line = buf_nextline(in, &pos)) != NULL;
	    lineno++) {
		if (line_assigns(line, &state, name, &simple) == 1) {
			last = lineno;
			last_simple = simple;
		}
		/* Put the newline back for the second pass. */
		if ((size_t)(line - in->data) + strlen(line) < in->len)
			line[strlen(line)] = '\n';
	}
	state = 0;
	for (pos = 0, lineno = 1; (line = buf_nextline(in, &pos)) != NULL;
	    lineno++) {
		match = line_assigns(line, &state, name, &simple) == 1 &&
		    simple;
		if (match && value == NULL)
			continue;
		if (match && lineno == last) {
			buf_addf(out, "%s=\"%s\"\n", name, value);
			continue;
		}
		buf_addf(out, "%s\n", line);
	}
	if (value != NULL && (last == 0 || !last_simple))
		buf_addf(out, "%s=\"%s\"\n", name, value);
}

/*
 * Set NAME="value" in the file at path (created if missing, replaced
 * atomically); a NULL value removes NAME.
 */
int
rc_set(struct jailer *jp, const char *path, const char *name,
    const char *value)
{
	struct buf in, out;
	struct stat sb;
	mode_t mode;
	int rc;

	if (value != NULL && !rc_value_ok(value))
		return (jailer_seterr(jp, "%s: refusing to write the value "
		    "of %s: unsafe characters", path, name));
	buf_init(&in);
	buf_init(&out);
	mode = 0644;
	if (file_read(jp, path, &in) == -1) {
		rc = errno == ENOENT && value == NULL ? 0 : -1;
		if (errno != ENOENT || value == NULL) {
			buf_free(&in);
			buf_free(&out);
			return (rc);
		}
	} else if (stat(path, &sb) == 0)
		mode = sb.st_mode & 07777;
	if (memchr(in.data, '\0', in.len) != NULL) {
		buf_free(&in);
		buf_free(&out);
		return (jailer_seterr(jp, "%s: contains a NUL byte; not "
		    "editing it", path));
	}
	rc_edit(&in, name, value, &out);
	rc = 0;
	if (out.len != in.len || memcmp(out.data, in.data, in.len) != 0)
		rc = file_write_atomic(jp, path, out.data, out.len, mode);
	buf_free(&in);
	buf_free(&out);
	return (rc);
}
