/*
 * Templates (jailer-template(5)): tmpl_load, the reader that checks every
 * line before apply runs anything.
 *
 * Input: the template text (up to the first NUL), written to a file in
 * a private directory made in $TMPDIR, and loaded for the jail "fz"
 * (without -a operands: a template's ARGs keep their defaults).  A template that loads must
 * hold only what apply may run: a known instruction with a word count
 * its definition allows, words (ARGs expanded) without a control
 * character, ';', '|', '&', '<', '>', '\', a backquote or '$', and
 * without a ".." path component; a template refused sets one printable
 * line of error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "template.h"

static char *dir, *file;

static void
cleanup(void)
{
	if (file != NULL)
		(void)unlink(file);
	if (dir != NULL)
		(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp;

	(void)argc;
	(void)argv;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	dir = xasprintf("%s/jailer-fuzz-template.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	file = xasprintf("%s/t", dir);
	atexit(cleanup);
	return (0);
}

/* Has the word a ".." path component? */
static int
dotdot(const char *w)
{
	const char *p;

	for (p = w; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == w || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return (1);
	return (0);
}

static void
check_line(const struct tmpl_line *l)
{
	const unsigned char *p;
	size_t i;

	FUZZ_CHECK(strcmp(tmpl_op_name(l->op), "?") != 0, "op %d", l->op);
	FUZZ_CHECK(l->n >= 1 && l->n <= TMPL_WORDS_MAX, "%zu words", l->n);
	for (i = 0; i < l->n; i++) {
		for (p = (const unsigned char *)l->w[i]; *p != '\0'; p++)
			FUZZ_CHECK(*p >= 0x20 && *p != 0x7f &&
			    strchr(";|&<>\\`$", *p) == NULL,
			    "line %d word %zu: byte 0x%02x in \"%s\"",
			    l->lineno, i, *p, l->w[i]);
		FUZZ_CHECK(!dotdot(l->w[i]), "line %d: \"..\" in \"%s\"",
		    l->lineno, l->w[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jailer j;
	struct tmpl t;
	FILE *fp;
	size_t i, len;

	len = strnlen((const char *)data, size);
	if ((fp = fopen(file, "w")) == NULL) {
		perror(file);
		abort();
	}
	if (fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(file);
		abort();
	}
	fuzz_reset(&j);
	memset(&t, 0, sizeof(t));
	if (tmpl_load(&j, file, NULL, 0, "fz", &t) == 0) {
		FUZZ_CHECK(t.n <= TMPL_LINES_MAX, "%zu lines", t.n);
		for (i = 0; i < t.n; i++)
			check_line(&t.v[i]);
	} else {
		FUZZ_CHECK(j.err[0] != '\0', "refused silently");
		fuzz_check_err(&j, "tmpl_load");
	}
	tmpl_free(&t);
	return (0);
}
