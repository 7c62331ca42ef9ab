/*
 * ifconfig(8) output: net_parse_ifconfig, for "ifconfig" (every
 * interface: deflt NULL) and "ifconfig IF" (deflt "vtnet0").
 *
 * Input: the output (up to the first NUL).  Every address returned must
 * carry a NUL-terminated, non-empty interface name that heads a block of
 * the output ("NAME: ...") or is the default, and a prefix of 0 to 32.
 * And the result must be what a straightforward reading of the format
 * gives (ref() below): each "inet A netmask M" line belongs to the block
 * it is in, whatever the length of the block's header line.  (Indented
 * lines of 256 bytes or more may be skipped, as net.c does: ifconfig
 * never prints an address line that long.)  (JAILER_FUZZ_SKIP=
 * ifconfig-long-header skips the comparison for such inputs while
 * regress/ifconfig-long-header-line-loses-block fails.)
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net.h"

/* Is name the text before the ':' of a line that starts a block? */
static int
heads_block(const char *text, const char *name)
{
	const char *p;
	size_t n;

	n = strlen(name);
	for (p = text; (p = strstr(p, name)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == ':')
			return (1);
	return (0);
}

/* Does a line that starts a block have 256 bytes or more? */
static int
long_header(const char *text)
{
	const char *line, *end;

	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (*line != ' ' && *line != '\t' && end - line >= 256)
			return (1);
	}
	return (0);
}

/* The reference reading of the format. */
static void
ref(const char *text, const char *deflt, struct hostaddr4 **out, size_t *n)
{
	struct in_addr a;
	const char *line, *end;
	char *buf, *colon, *w[4], *save, *tok, cur[16];
	unsigned long mask;
	size_t k, len;
	int prefix;

	*out = NULL;
	*n = 0;
	snprintf(cur, sizeof(cur), "%s", deflt != NULL ? deflt : "");
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		len = (size_t)(end - line);
		buf = xstrndup(line, len);
		if (buf[0] != ' ' && buf[0] != '\t') {
			cur[0] = '\0';
			if ((colon = strchr(buf, ':')) != NULL &&
			    (size_t)(colon - buf) < sizeof(cur)) {
				memcpy(cur, buf, (size_t)(colon - buf));
				cur[colon - buf] = '\0';
			}
			free(buf);
			continue;
		}
		k = 0;
		for (tok = strtok_r(buf, " \t", &save); tok != NULL && k < 4;
		    tok = strtok_r(NULL, " \t", &save))
			w[k++] = tok;
		if (len < 256 && cur[0] != '\0' && k == 4 &&
		    strcmp(w[0], "inet") == 0 && strcmp(w[2], "netmask") == 0 &&
		    strlen(w[1]) <= 15 && inet_pton(AF_INET, w[1], &a) == 1) {
			mask = strtoul(w[3], NULL, 16);
			for (prefix = 0; prefix < 32 && (mask &
			    (0x80000000UL >> prefix)); prefix++)
				;
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			memset(&(*out)[*n], 0, sizeof(**out));
			snprintf((*out)[*n].ifname, sizeof((*out)[*n].ifname),
			    "%s", cur);
			(*out)[*n].addr = ntohl(a.s_addr);
			(*out)[(*n)++].prefix = prefix;
		}
		free(buf);
	}
}

static void
one(const char *text, const char *deflt)
{
	struct hostaddr4 *r;
	size_t nr;
	char s2[16];
	struct hostaddr4 *h;
	char s[16];
	size_t n, i, lines;
	const char *p;

	net_parse_ifconfig(text, deflt, &h, &n);
	for (lines = 1, p = text; *p != '\0'; p++)
		lines += *p == '\n';
	FUZZ_CHECK(n <= lines, "%zu addresses from %zu lines", n, lines);
	FUZZ_CHECK(n == 0 || h != NULL, "no array");
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(memchr(h[i].ifname, '\0', sizeof(h[i].ifname)) !=
		    NULL, "address %zu: name not terminated", i);
		FUZZ_CHECK(h[i].ifname[0] != '\0', "address %zu: no name", i);
		FUZZ_CHECK(strchr(h[i].ifname, '\n') == NULL &&
		    strchr(h[i].ifname, ':') == NULL, "name \"%s\"",
		    h[i].ifname);
		FUZZ_CHECK((deflt != NULL && strcmp(h[i].ifname, deflt) ==
		    0) || heads_block(text, h[i].ifname),
		    "\"%s\" does not head a block", h[i].ifname);
		FUZZ_CHECK(h[i].prefix >= 0 && h[i].prefix <= 32,
		    "prefix %d", h[i].prefix);
		ipv4_str(h[i].addr, s);
		FUZZ_CHECK(strstr(text, s) != NULL, "address %s is not in "
		    "the output", s);
	}
	if (fuzz_known("ifconfig-long-header") && long_header(text)) {
		free(h);
		return;
	}
	ref(text, deflt, &r, &nr);
	for (i = 0; i < n && i < nr; i++) {
		ipv4_str(h[i].addr, s);
		ipv4_str(r[i].addr, s2);
		FUZZ_CHECK(strcmp(h[i].ifname, r[i].ifname) == 0 &&
		    h[i].addr == r[i].addr && h[i].prefix == r[i].prefix,
		    "address %zu is %s/%d on \"%s\"; the block it is in says "
		    "%s/%d on \"%s\"", i, s, h[i].prefix, h[i].ifname, s2,
		    r[i].prefix, r[i].ifname);
	}
	FUZZ_CHECK(n == nr, "%zu addresses, the reference reading finds %zu",
	    n, nr);
	free(r);
	free(h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	text = fuzz_cstr(data, size);
	one(text, NULL);
	one(text, "vtnet0");
	free(text);
	return (0);
}
