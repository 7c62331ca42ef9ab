/*
 * The whitelists of validate.c (and valid_domain, lifecycle.c): every
 * validator on the input as a NUL-terminated string.
 *
 * What a validator accepts must be of the documented shape, checked here
 * independently with ASCII-only character classes:
 *   jail name   [A-Za-z0-9_-]{1,64}, not starting with '-', not all
 *               digits, not reserved
 *   interface   [A-Za-z][A-Za-z0-9_.]{0,14}
 *   dataset     components of [A-Za-z0-9_.:-], joined by '/', no empty,
 *               "." or ".." component, starting with a letter, <= 200
 *   mountpoint  absolute, [A-Za-z0-9/_.,+:@-], no "//", no "." or ".."
 *               component, no trailing '/', <= 200
 *   release     N.N-RELEASE, N.N-RCn, -BETAn, -ALPHAn written canonically
 *   snapshot    [A-Za-z0-9_.:-]{1,64}, not starting with '-' or '.'
 *   domain      labels of [A-Za-z0-9-] joined by dots
 *   mirror      http(s)://, ftp:// or file:/// then [A-Za-z0-9:/._~%+@=-]
 * A refusal must leave a one-line printable error; vis() must give a
 * printable, bounded string.  Accepted addresses must print back to the
 * same text.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "lifecycle.h"
#include "validate.h"

#define	ACCEPTS(call)	(fuzz_reset(&j), (call) == 0 ? 1 :		\
	(fuzz_check_err(&j, #call), 0))

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
is_alpha(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/* No "", "." or ".." between slashes (s is split at '/'). */
static int
clean_components(const char *s, int lead_slash)
{
	const char *c, *e;

	c = s + (lead_slash ? 1 : 0);
	for (;;) {
		e = strchr(c, '/');
		if (e == NULL)
			e = c + strlen(c);
		if (e == c || (e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return (0);
		if (*e == '\0')
			return (1);
		c = e + 1;
	}
}

static void
check_release(const char *s)
{
	struct jailer j;
	struct release r, r2;
	char canon[64];
	const char *p;

	if (ACCEPTS(release_parse(s, &r))) {
		FUZZ_CHECK(r.major > 0 && r.minor >= 0 && r.n >= 0 &&
		    r.patch >= 0, "release_parse(\"%s\")", s);
		FUZZ_CHECK(release_cmp(&r, &r) == 0, "release_cmp");
		release_name(&r, canon, sizeof(canon));
		FUZZ_CHECK(release_parse(canon, &r2) == 0 && r2.patch == 0 &&
		    r2.major == r.major && r2.minor == r.minor &&
		    r2.kind == r.kind && r2.n == r.n, "release_name(\"%s\") = "
		    "\"%s\" does not parse back", s, canon);
	}
	if (ACCEPTS(valid_image_release(&j, s, &r))) {
		FUZZ_CHECK(strlen(s) <= 32 && fuzz_all_in(s, ".-"),
		    "release \"%s\"", s);
		p = s;
		FUZZ_CHECK(is_digit(*p) && *p != '0', "release \"%s\"", s);
		while (is_digit(*p))
			p++;
		FUZZ_CHECK(*p++ == '.' && is_digit(*p), "release \"%s\"", s);
		if (*p == '0')
			FUZZ_CHECK(p[1] == '-', "release \"%s\"", s);
		while (is_digit(*p))
			p++;
		FUZZ_CHECK(*p++ == '-', "release \"%s\"", s);
		if (strcmp(p, "RELEASE") == 0)
			FUZZ_CHECK(r.kind == REL_RELEASE, "kind");
		else {
			if (strncmp(p, "RC", 2) == 0)
				p += 2;
			else if (strncmp(p, "BETA", 4) == 0)
				p += 4;
			else if (strncmp(p, "ALPHA", 5) == 0)
				p += 5;
			else
				FUZZ_CHECK(0, "release \"%s\"", s);
			FUZZ_CHECK(is_digit(*p) && *p != '0' &&
			    strspn(p, "0123456789") == strlen(p),
			    "release \"%s\"", s);
		}
		release_name(&r, canon, sizeof(canon));
		FUZZ_CHECK(strcmp(canon, s) == 0, "release \"%s\" is written "
		    "\"%s\"", s, canon);
	}
}

static void
check_addrs(const char *s)
{
	struct jailer j;
	struct in_addr a;
	char back[16];
	int prefix;

	if (ACCEPTS(parse_ipv4(&j, s, &a))) {
		FUZZ_CHECK(inet_ntop(AF_INET, &a, back, sizeof(back)) != NULL &&
		    strcmp(back, s) == 0, "parse_ipv4(\"%s\") prints as %s", s,
		    back);
	}
	if (ACCEPTS(parse_cidr4(&j, s, &a, &prefix))) {
		FUZZ_CHECK(prefix >= 0 && prefix <= 32, "prefix %d", prefix);
		FUZZ_CHECK(inet_ntop(AF_INET, &a, back, sizeof(back)) != NULL &&
		    strncmp(back, s, strlen(back)) == 0 &&
		    s[strlen(back)] == '/', "parse_cidr4(\"%s\"): %s", s, back);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jailer j;
	enum nettype t;
	const char *v;
	char *s;
	size_t n, i;

	s = fuzz_cstr(data, size);
	n = strlen(s);

	if (ACCEPTS(valid_jail_name(&j, s))) {
		FUZZ_CHECK(n >= 1 && n <= JAIL_NAME_MAX && s[0] != '-' &&
		    fuzz_all_in(s, "_-") && strspn(s, "0123456789") != n,
		    "jail name \"%s\"", s);
		FUZZ_CHECK(strcmp(s, "image") != 0 && strcmp(s, "all") != 0 &&
		    strcmp(s, "help") != 0, "reserved \"%s\"", s);
	}
	if (ACCEPTS(valid_ifname(&j, s)))
		FUZZ_CHECK(n >= 1 && n <= IFNAME_MAX && is_alpha(s[0]) &&
		    fuzz_all_in(s, "_."), "interface \"%s\"", s);
	if (ACCEPTS(valid_dataset(&j, s)))
		FUZZ_CHECK(n >= 1 && n <= 200 && is_alpha(s[0]) &&
		    fuzz_all_in(s, "_.:-/") && clean_components(s, 0),
		    "dataset \"%s\"", s);
	if (ACCEPTS(valid_mountpoint(&j, s)))
		FUZZ_CHECK(n >= 2 && n <= 200 && s[0] == '/' &&
		    s[n - 1] != '/' && fuzz_all_in(s, "/_.,+:@-") &&
		    strstr(s, "//") == NULL && clean_components(s, 1) &&
		    strcmp(s, "/etc") != 0 && strcmp(s, "/usr") != 0 &&
		    strncmp(s, "/dev/", 5) != 0, "mount point \"%s\"", s);
	if (ACCEPTS(valid_snapname(&j, s)))
		FUZZ_CHECK(n >= 1 && n <= 64 && s[0] != '-' && s[0] != '.' &&
		    fuzz_all_in(s, "_.:-"), "snapshot \"%s\"", s);
	if (ACCEPTS(valid_domain(&j, s)))
		FUZZ_CHECK(n >= 1 && fuzz_all_in(s, ".-") && s[0] != '.' &&
		    s[0] != '-' && s[n - 1] != '.' && s[n - 1] != '-' &&
		    strstr(s, "..") == NULL, "domain \"%s\"", s);
	if (ACCEPTS(valid_mirror(&j, s)))
		FUZZ_CHECK(n <= 512 && fuzz_all_in(s, ":/._~%+@=-") &&
		    (strncmp(s, "http://", 7) == 0 ||
		    strncmp(s, "https://", 8) == 0 ||
		    strncmp(s, "ftp://", 6) == 0 ||
		    strncmp(s, "file:///", 8) == 0) &&
		    strstr(s, "/../") == NULL, "mirror \"%s\"", s);
	if (ACCEPTS(valid_nettype(&j, s)))
		FUZZ_CHECK(nettype_parse(s, &t) == 0 &&
		    strcmp(nettype_name(t), s) == 0, "network type \"%s\"", s);
	check_release(s);
	check_addrs(s);

	v = vis(s);
	FUZZ_CHECK(strlen(v) < 160, "vis: %zu bytes", strlen(v));
	for (i = 0; v[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)v[i] >= 0x20 && v[i] != 0x7f,
		    "vis: control character at %zu", i);
	free(s);
	return (0);
}
