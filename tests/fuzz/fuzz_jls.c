/*
 * "jls -q jid name host.hostname vnet ip4.addr path" output: jls_split,
 * line by line through buf_nextline as load_running does.
 *
 * Input, read two ways:
 *   - the raw output, NUL bytes included (it is captured from a pipe).
 *     Each line is split with the real maximum (6) and with maxima 1 to
 *     8 chosen by the line's length; fields must lie inside the line, in
 *     order, without overlapping;
 *   - when the input has a NUL byte, what comes before it (at most 255
 *     bytes) is also a jail's host.hostname:
 *     the jail's root sets it (allow.set_hostname is on by default) and
 *     the kernel takes any bytes.  The record jls(8) prints for that jail
 *     (jls_record: FreeBSD's quoted_print, which only puts quotes around
 *     a value with blanks or quotes and escapes nothing) must read back,
 *     through buf_nextline and jls_split as load_running reads it, as one
 *     line with exactly the six values jls was given.  Otherwise a jail
 *     can change what jailer believes about itself or, with a newline,
 *     add records for other jails.
 *     (JAILER_FUZZ_SKIP=jls-hostname leaves this out while
 *     regress/jls-hostname-* fail.)
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "jail.h"
#include "jls.h"

static void
split(const char *orig, size_t max)
{
	char *line, *f[9];
	size_t len, n, i;

	len = strlen(orig);
	line = xstrdup(orig);
	f[max] = (char *)orig;		/* a sentinel past the last slot */
	n = jls_split(line, f, max);
	FUZZ_CHECK(n <= max, "%zu fields for a maximum of %zu", n, max);
	FUZZ_CHECK(f[max] == orig, "jls_split wrote past f[%zu]", max);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(f[i] >= line && f[i] <= line + len,
		    "field %zu outside the line", i);
		FUZZ_CHECK(f[i] + strlen(f[i]) <= line + len,
		    "field %zu runs past the line", i);
		if (i > 0)
			FUZZ_CHECK(f[i - 1] + strlen(f[i - 1]) < f[i],
			    "fields %zu and %zu overlap", i - 1, i);
		/* An unquoted field never holds a space. */
		if (orig[f[i] - line] != '"')
			FUZZ_CHECK(strchr(f[i], ' ') == NULL,
			    "field %zu \"%s\" holds a space", i, f[i]);
	}
	if (max == 6 && n == 6) {
		/* What load_running reads from the fields. */
		(void)strcmp(f[3], "new");
		(void)strcmp(f[4], "-");
	}
	free(line);
}

/*
 * One value as jls -q prints it (usr.sbin/jls/jls.c, quoted_print): ""
 * for an empty value; else in double quotes if it holds a single quote,
 * in single quotes if it holds a double quote, in double quotes if it
 * holds a blank; nothing inside is escaped.
 */
static void
jls_value(struct buf *b, const char *v)
{
	int qc;

	if (*v == '\0') {
		buf_adds(b, "\"\"");
		return;
	}
	qc = strchr(v, '\'') != NULL ? '"' : strchr(v, '"') != NULL ? '\'' :
	    strchr(v, ' ') != NULL || strchr(v, '\t') != NULL ? '"' : 0;
	if (qc)
		buf_addc(b, (char)qc);
	buf_adds(b, v);
	if (qc)
		buf_addc(b, (char)qc);
}

/*
 * jls -q escapes nothing, so a value holding a quote or a newline cannot
 * be read back unambiguously.  jailer therefore asks jls only for what
 * the host sets (jid, name, vnet, ip4.addr, path; never host.hostname,
 * which a jail sets itself).  Property: such a record, with the fuzzed
 * bytes as the path (blanks allowed, no quotes or newlines: the host
 * never makes those), reads back as exactly the same 5 fields.
 */
static void
jls_record(const char *path)
{
	const char *want[5] = { "7", "evil", "new", "", NULL };
	struct buf b;
	char *line, *f[5];
	size_t pos, i, n;

	if (strpbrk(path, "\"'\n\r") != NULL)
		return;
	want[4] = path;
	buf_init(&b);
	for (i = 0; i < 5; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		jls_value(&b, want[i]);
	}
	buf_addc(&b, '\n');
	pos = 0;
	line = buf_nextline(&b, &pos);
	n = jls_split(line, f, 5);
	FUZZ_CHECK(n == 5, "path \"%s\": %zu fields, not 5", path, n);
	for (i = 0; i < 5; i++)
		FUZZ_CHECK(strcmp(f[i], want[i]) == 0, "path \"%s\": field "
		    "%zu reads \"%s\", jls printed \"%s\"", path, i + 1, f[i],
		    want[i]);
	FUZZ_CHECK(buf_nextline(&b, &pos) == NULL, "path \"%s\" adds a "
	    "record", path);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out;
	char *line, *host;
	size_t pos, nlines;

	buf_init(&out);
	buf_add(&out, data, size);
	pos = 0;
	nlines = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		FUZZ_CHECK(pos <= out.len, "buf_nextline: pos past the end");
		FUZZ_CHECK(line >= out.data && line <= out.data + out.len,
		    "buf_nextline: line outside the buffer");
		split(line, 6);
		split(line, 1 + strlen(line) % 8);
		nlines++;
	}
	FUZZ_CHECK(nlines <= size, "more lines than bytes");
	buf_free(&out);

	if (memchr(data, '\0', size) != NULL) {
		host = fuzz_cstr(data, size);
		if (strlen(host) > 255)
			host[255] = '\0';
		jls_record(host);
		free(host);
	}
	return (0);
}
