/*
 * The host's view of a DHCP jail's address (src/lease.c): the parser of
 * dhcpd.leases(5) and the subnet lookup in dhcpd.conf(5).  A jail's
 * client chooses some of the bytes of dhcpd.leases (its host name, its
 * client identifier), so the parser must never let them forge a record.
 *
 * Input: leases text, NUL, dhcpd.conf text (the rest).
 * Properties:
 *  - every record dhcpd_leases_parse returns has a MAC of the form
 *    xx:xx:xx:xx:xx:xx (lower-case hex) and an address inet_pton takes;
 *  - a record is returned only for an address that follows the word
 *    "lease" outside quoted strings and comments (no bytes a client
 *    chose make a record);
 *  - dhcpd_lease_find returns one of those records, for that MAC;
 *  - dhcpd_subnet_for, for each record, returns a prefix of 0..32 and a
 *    router that is empty or an IPv4 address;
 *  - mac_normalize accepts exactly what it can print back.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lease.h"

static void
check_mac(const char *m)
{
	size_t i;

	FUZZ_CHECK(strlen(m) == 17, "mac '%s' has the wrong length", m);
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2)
			FUZZ_CHECK(m[i] == ':', "mac '%s'", m);
		else
			FUZZ_CHECK(isxdigit((unsigned char)m[i]) &&
			    !isupper((unsigned char)m[i]), "mac '%s'", m);
	}
}

/*
 * The input with quoted strings and comments blanked out: what a client
 * cannot write.  A record's address must follow "lease" there.
 */
static char *
unquoted(const char *text)
{
	char *u, *q;
	const char *p;

	u = fuzz_cstr((const uint8_t *)text, strlen(text));
	for (p = text, q = u; *p != '\0'; p++, q++) {
		if (*p == '#') {
			for (; *p != '\0' && *p != '\n'; p++, q++)
				*q = ' ';
			if (*p == '\0')
				break;
		} else if (*p == '"') {
			*q = ' ';
			for (p++, q++; *p != '\0' && *p != '"'; p++, q++) {
				*q = ' ';
				if (*p == '\\' && p[1] != '\0') {
					p++, q++;
					*q = ' ';
				}
			}
			if (*p == '\0')
				break;
			*q = ' ';
		}
	}
	return (u);
}

static int
follows_lease(const char *u, const char *addr)
{
	const char *p, *w;
	size_t n;

	n = strlen(addr);
	for (p = u; (p = strstr(p, addr)) != NULL; p++) {
		if (isdigit((unsigned char)p[n]) || p[n] == '.')
			continue;
		for (w = p; w > u && isspace((unsigned char)w[-1]); w--)
			;
		if (w == p || w - u < 5 || strncmp(w - 5, "lease", 5) != 0)
			continue;
		return (1);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcpd_leases ls;
	const struct dhcpd_lease *l;
	struct in_addr a;
	char *leases, *conf, *u, router[16], mac[18];
	size_t i;
	int prefix;

	if ((leases = fuzz_field(&data, &size)) == NULL)
		leases = fuzz_cstr(data, size), size = 0;
	conf = fuzz_cstr(data, size);
	u = unquoted(leases);

	(void)dhcpd_leases_parse(leases, &ls);
	for (i = 0; i < ls.n; i++) {
		check_mac(ls.v[i].mac);
		FUZZ_CHECK(inet_pton(AF_INET, ls.v[i].addr, &a) == 1,
		    "address '%s'", ls.v[i].addr);
		FUZZ_CHECK(follows_lease(u, ls.v[i].addr),
		    "address '%s' is not a lease outside strings",
		    ls.v[i].addr);
		l = dhcpd_lease_find(&ls, ls.v[i].mac, 0);
		FUZZ_CHECK(l == NULL || strcmp(l->mac, ls.v[i].mac) == 0,
		    "found the wrong MAC");
		prefix = -1;
		router[0] = 'x';
		if (dhcpd_subnet_for(conf, ls.v[i].addr, &prefix, router) ==
		    1) {
			FUZZ_CHECK(prefix >= 0 && prefix <= 32, "prefix %d",
			    prefix);
			FUZZ_CHECK(router[0] == '\0' ||
			    inet_pton(AF_INET, router, &a) == 1,
			    "router '%.16s'", router);
		}
	}
	if (mac_normalize(leases, mac) == 0) {
		char again[18];

		check_mac(mac);
		FUZZ_CHECK(mac_normalize(mac, again) == 0 &&
		    strcmp(mac, again) == 0, "mac does not read back");
	}
	dhcpd_leases_free(&ls);
	free(u);
	free(leases);
	free(conf);
	return (0);
}
