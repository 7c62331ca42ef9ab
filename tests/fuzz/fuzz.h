/*
 * Shared helpers of jailer's fuzz targets (libFuzzer entry points, also
 * driven by replay.c under gcc).
 *
 * Every target copies its input into a heap buffer of exactly size + 1
 * bytes with a NUL at the end, so the library sees a C string and
 * AddressSanitizer catches any read past the input.  Properties that must
 * hold are checked with FUZZ_CHECK, which prints what failed and aborts:
 * libFuzzer records an abort as a crash, replay.c dies with SIGABRT.
 */
#ifndef JAILER_FUZZ_H
#define JAILER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailer.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define	FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: property failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, "fuzz: " __VA_ARGS__);			\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* A copy of data[0..size) with a NUL after it; caller frees. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s;

	s = xmalloc(size + 1);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return (s);
}

/*
 * Take the next NUL-terminated field from *data (of *size bytes): returns a heap
 * copy of the bytes up to the next NUL (which is consumed), or NULL when
 * there is no NUL left (the rest is left for the caller).
 */
static inline char *
fuzz_field(const uint8_t **data, size_t *size)
{
	const uint8_t *nul;
	char *s;
	size_t n;

	if (*size == 0 || (nul = memchr(*data, '\0', *size)) == NULL)
		return (NULL);
	n = (size_t)(nul - *data);
	s = fuzz_cstr(*data, n);
	*data += n + 1;
	*size -= n + 1;
	return (s);
}

/*
 * The handle's error must be one printable line (jailer.h: "the last
 * error, one line"; validate.h: errors "show the value safely"), since
 * the command layer prints it to a terminal as it is.
 */
static inline void
fuzz_check_err(const struct jailer *jp, const char *what)
{
	const unsigned char *p;

	FUZZ_CHECK(memchr(jp->err, '\0', sizeof(jp->err)) != NULL,
	    "%s: error not terminated", what);
	for (p = (const unsigned char *)jp->err; *p != '\0'; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f,
		    "%s: control character 0x%02x at offset %zu of the error "
		    "message \"%s\"", what, *p,
		    (size_t)(p - (const unsigned char *)jp->err), jp->err);
}

/*
 * Is the known, reported bug named in JAILER_FUZZ_SKIP (a list of names
 * separated by blanks or commas)?  Targets leave out the inputs or the
 * check that would only find that bug again, so fuzzing gets past it
 * until src/ is fixed.  Never set in CI: the regression inputs in
 * tests/fuzz/regress/ must keep failing until the bug is fixed.
 */
static inline int
fuzz_known(const char *bug)
{
	const char *env, *p;
	size_t n;

	if ((env = getenv("JAILER_FUZZ_SKIP")) == NULL)
		return (0);
	n = strlen(bug);
	for (p = env; (p = strstr(p, bug)) != NULL; p += n)
		if ((p == env || strchr(" ,", p[-1]) != NULL) &&
		    (p[n] == '\0' || strchr(" ,", p[n]) != NULL))
			return (1);
	return (0);
}

/* Reset the handle before a call whose error is checked. */
static inline void
fuzz_reset(struct jailer *jp)
{
	memset(jp, 0, sizeof(*jp));
}

/* Is every byte of s in [A-Za-z0-9] or in set? (ASCII only.) */
static inline int
fuzz_all_in(const char *s, const char *set)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || (*s != '\0' &&
		    strchr(set, *s) != NULL)))
			return (0);
	return (1);
}

/*
 * names[i] of a list of release images must be a release image name
 * valid_image_release accepts, and come after names[i - 1] (the list is
 * sorted oldest first, without duplicates).
 */
static inline void
fuzz_check_release_at(char **names, size_t i)
{
	struct jailer j;
	struct release a, b;

	fuzz_reset(&j);
	FUZZ_CHECK(valid_image_release(&j, names[i], NULL) == 0,
	    "\"%s\" is not a release image", names[i]);
	if (i > 0) {
		FUZZ_CHECK(release_parse(names[i - 1], &a) == 0 &&
		    release_parse(names[i], &b) == 0, "parse");
		FUZZ_CHECK(release_cmp(&a, &b) < 0, "%s then %s: not "
		    "sorted or not unique", names[i - 1], names[i]);
	}
}

#endif /* !JAILER_FUZZ_H */
