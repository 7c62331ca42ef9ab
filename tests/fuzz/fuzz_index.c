/*
 * The mirror's HTML directory index: index_releases ("image list
 * remote").
 *
 * Input: the page (up to the first NUL).  Every name returned must be a
 * release image name that valid_image_release accepts, the list must be
 * sorted oldest first without duplicates, and each name must come from
 * an href="NAME/" (or href="./NAME/") of the page.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "image.h"
#include "validate.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, **names, *h1, *h2;
	size_t n, i;

	text = fuzz_cstr(data, size);
	n = index_releases(text, &names);
	FUZZ_CHECK(n == 0 || names != NULL, "n %zu, no names", n);
	for (i = 0; i < n; i++) {
		fuzz_check_release_at(names, i);
		FUZZ_CHECK(fuzz_all_in(names[i], ".-"), "\"%s\"", names[i]);
		h1 = xasprintf("href=\"%s", names[i]);
		h2 = xasprintf("href=\"./%s", names[i]);
		FUZZ_CHECK(strstr(text, h1) != NULL || strstr(text, h2) !=
		    NULL, "\"%s\" is not linked from the page", names[i]);
		free(h1);
		free(h2);
	}
	strv_free(names, n);
	free(text);
	return (0);
}
