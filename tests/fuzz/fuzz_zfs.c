/*
 * zfs -H output:
 *   - "zfs list -H -o name -t snapshot -r DS/image": image_names_parse
 *     (image list, create's default image);
 *   - "zfs list -H -o name,mountpoint,jailer:managed -d 1 DS":
 *     config_parse_children (config_get: every command).
 *
 * Input: the output (up to the first NUL), parsed under the prefixes
 * zroot/jails/image and tank/j/image, and as the children of zroot/jails
 * and of tank/j.  Each image name returned must be a release image,
 * sorted and unique, and come from a line that is exactly
 * PREFIX/NAME@base.  The mount point must be a field of the output (the
 * second of a line naming DS); each child a single component (no '/', tab or newline)
 * from a line DS/CHILD<TAB>..., with a jailer:managed value without a
 * tab or newline.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "image.h"
#include "validate.h"

static int
has_line(const char *text, const char *want)
{
	const char *p;
	size_t n;

	n = strlen(want);
	for (p = text; (p = strstr(p, want)) != NULL; p++)
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == '\0' || p[n] == '\n'))
			return (1);
	return (0);
}

static void
one(const char *text, const char *prefix)
{
	char *copy, **names, *want;
	size_t n, i;

	copy = xstrdup(text);
	image_names_parse(copy, prefix, &names, &n);
	for (i = 0; i < n; i++) {
		fuzz_check_release_at(names, i);
		want = xasprintf("%s/%s@base", prefix, names[i]);
		FUZZ_CHECK(has_line(text, want), "no line %s", want);
		free(want);
	}
	strv_free(names, n);
	free(copy);
}

static void
children(const char *text, const char *ds)
{
	struct config c;
	char *copy, *mp, *want;
	size_t i;

	copy = xstrdup(text);
	mp = NULL;
	memset(&c, 0, sizeof(c));
	config_parse_children(&c, ds, copy, &mp);
	if (mp != NULL) {
		FUZZ_CHECK(strpbrk(mp, "\t\n") == NULL, "mount point \"%s\"",
		    mp);
		want = xasprintf("\t%s", mp);
		FUZZ_CHECK(strstr(text, want) != NULL, "mount point \"%s\" "
		    "is not on a line of %s", mp, ds);
		free(want);
	}
	FUZZ_CHECK(c.nchildren == 0 || (c.children != NULL &&
	    c.managed != NULL), "no arrays");
	for (i = 0; i < c.nchildren; i++) {
		FUZZ_CHECK(strpbrk(c.children[i], "/\t\n") == NULL,
		    "child \"%s\"", c.children[i]);
		FUZZ_CHECK(strpbrk(c.managed[i], "\t\n") == NULL,
		    "jailer:managed \"%s\"", c.managed[i]);
		want = xasprintf("%s/%s\t", ds, c.children[i]);
		FUZZ_CHECK(strstr(text, want) != NULL, "child \"%s\" is not "
		    "on a line", c.children[i]);
		free(want);
	}
	config_free_children(&c);
	FUZZ_CHECK(c.nchildren == 0 && c.children == NULL, "free");
	free(mp);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	text = fuzz_cstr(data, size);
	one(text, "zroot/jails/image");
	one(text, "tank/j/image");
	children(text, "zroot/jails");
	children(text, "tank/j");
	free(text);
	return (0);
}
