/*
 * A release's MANIFEST from the mirror: manifest_sha256.
 *
 * Input: the MANIFEST text (up to the first NUL).  It is searched for
 * base.txz (what image fetch asks for), kernel.txz, and the name on the
 * input's first line (up to its first tab), so arbitrary names are tried.
 * A checksum that is returned must be 64 lower-case hex digits taken
 * from the single line that names the file.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "image.h"

/* Does text have a line "file<TAB>hex..." (hex compared case-blind)? */
static int
has_line(const char *text, const char *file, const char *hex)
{
	const char *line, *end;
	size_t flen;

	flen = strlen(file);
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) >= flen + 1 + SHA256_HEX &&
		    strncmp(line, file, flen) == 0 && line[flen] == '\t' &&
		    strncasecmp(line + flen + 1, hex, SHA256_HEX) == 0 &&
		    (line + flen + 1 + SHA256_HEX == end ||
		    line[flen + 1 + SHA256_HEX] == '\t'))
			return (1);
	}
	return (0);
}

static void
one(const char *text, const char *file, int check_err)
{
	struct jailer j;
	char hex[SHA256_HEX + 1];
	size_t i;

	fuzz_reset(&j);
	memset(hex, 'Z', sizeof(hex));
	if (manifest_sha256(&j, text, file, hex) == 0) {
		FUZZ_CHECK(hex[SHA256_HEX] == '\0', "%s: hex not terminated",
		    file);
		for (i = 0; i < SHA256_HEX; i++)
			FUZZ_CHECK((hex[i] >= '0' && hex[i] <= '9') ||
			    (hex[i] >= 'a' && hex[i] <= 'f'),
			    "%s: checksum \"%s\"", file, hex);
		FUZZ_CHECK(has_line(text, file, hex), "%s: checksum %s is "
		    "not on a line of the MANIFEST", file, hex);
	} else {
		FUZZ_CHECK(j.err[0] != '\0', "failed silently");
		if (check_err)
			fuzz_check_err(&j, "manifest_sha256");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *name;
	size_t n;

	text = fuzz_cstr(data, size);
	one(text, "base.txz", 1);
	one(text, "kernel.txz", 1);
	n = strcspn(text, "\t\n");
	name = xstrndup(text, n);
	/* The name is the harness's choice here, not the caller's. */
	one(text, name, 0);
	free(name);
	free(text);
	return (0);
}
