/*
 * A VNET jail's address as jailer reads it from the jail's own files
 * (written by the jail's root user): lease_parse on the dhclient lease
 * file, and inet_words on the value of ifconfig_epairNb as
 * claimed_static (via jail_net_claimed) reads it (rc_parse_line, then inet_words).
 *
 * Input: the file (up to the first NUL for lease_parse; line by line
 * through buf_nextline, NUL bytes included, for the rc.conf reading).
 * lease_parse must report an address exactly when it returns 1, and no
 * newline, ',' or ';' may survive in what it returns as the gateway.
 * inet_words must return NULL or one word of its input (or A/P built
 * from "inet A netmask M" with a prefix of 0 to 32).  And what either
 * returns must be safe for its users: jail_net_claimed keeps it when the part
 * before the first '/' is an IPv4 address, and "jailer info" then turns
 * the digits after that '/' into a netmask with mask_str(atoi(P)), which
 * needs 0 <= P <= 32 (a bigger shift is undefined behaviour).
 * (JAILER_FUZZ_SKIP=lease-prefix leaves that check out while
 * regress/lease-*-prefix-* fail.)
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "jail.h"
#include "rcconf.h"

/* As jail_net_claimed (src/jail.c) filters it, then cmd_info (src/cmd_jail.c). */
static void
as_info_shows(const char *ip, const char *from)
{
	struct in_addr a;
	char tmp[64], *slash;
	int prefix;

	if (fuzz_known("lease-prefix"))
		return;
	snprintf(tmp, sizeof(tmp), "%s", ip);
	if ((slash = strchr(tmp, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return;			/* jail_net_claimed drops it */
	if ((slash = strchr(ip, '/')) == NULL)
		return;
	prefix = atoi(slash + 1);
	FUZZ_CHECK(prefix >= 0 && prefix <= 32, "%s gives the address \"%s\"; "
	    "jailer info would call mask_str(%d)", from, ip, prefix);
}

static void
check_words(char *v)
{
	char *orig, *r, *slash;
	long p;

	orig = xstrdup(v);
	r = inet_words(v);
	if (r != NULL) {
		as_info_shows(r, "inet_words");
		FUZZ_CHECK(*r != '\0', "inet_words: empty result");
		FUZZ_CHECK(strpbrk(r, " \t") == NULL, "inet_words: \"%s\" "
		    "holds a blank", r);
		FUZZ_CHECK(strncmp(orig + strspn(orig, " \t"), "inet", 4) == 0,
		    "inet_words: \"%s\" from a value not starting with inet",
		    r);
		if (strstr(orig, r) == NULL) {
			/* A/P built from "inet A netmask M". */
			slash = strrchr(r, '/');
			FUZZ_CHECK(slash != NULL, "inet_words: \"%s\" is not "
			    "from \"%s\"", r, orig);
			*slash = '\0';
			FUZZ_CHECK(strstr(orig, r) != NULL, "inet_words: "
			    "address \"%s\" not in \"%s\"", r, orig);
			p = strtol(slash + 1, NULL, 10);
			FUZZ_CHECK(p >= 0 && p <= 32, "prefix %ld", p);
		}
		free(r);
	}
	free(orig);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *addr, *gw, *line, *n, *v;
	struct buf b;
	size_t pos;
	int rc;

	text = fuzz_cstr(data, size);
	rc = lease_parse(text, &addr, &gw);
	FUZZ_CHECK(rc == (addr != NULL), "lease_parse returned %d, address "
	    "%s", rc, addr != NULL ? addr : "NULL");
	FUZZ_CHECK(addr == NULL || strchr(addr, '\n') == NULL, "newline in "
	    "the address");
	if (addr != NULL)
		as_info_shows(addr, "lease_parse");
	FUZZ_CHECK(gw == NULL || (strchr(gw, '\n') == NULL &&
	    strchr(gw, ',') == NULL && strchr(gw, ';') == NULL),
	    "gateway \"%s\"", gw);
	free(addr);
	free(gw);
	free(text);

	/* The jail's rc.conf, as claimed_static (via jail_net_claimed) reads it. */
	buf_init(&b);
	buf_add(&b, data, size);
	pos = 0;
	while ((line = buf_nextline(&b, &pos)) != NULL) {
		if (rc_parse_line(line, &n, &v)) {
			check_words(v);
			free(n);
			free(v);
		}
		check_words(line);
	}
	buf_free(&b);
	return (0);
}
