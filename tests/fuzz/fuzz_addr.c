/*
 * Addresses: parse_ipv4, parse_cidr4, parse_netmask, net_alloc_ipv4,
 * net_overlap, mask_str.
 *
 * Input, read two ways:
 *   - as text (up to the first NUL), blank-separated words: the first
 *     is tried as ADDRESS/PREFIX (the bridge's subnet) and as a netmask,
 *     the others as addresses already in use; then net_alloc_ipv4 picks
 *     an address in that subnet, as create does for a new jail;
 *   - as binary: a base address (4 bytes), a prefix (1 byte, any value)
 *     and up to 256 used addresses (4 bytes each) for net_alloc_ipv4.
 * An allocated address must lie in the subnet, be neither its network
 * nor its broadcast address, and not be in use; a refusal must mean the
 * prefix has no host addresses (not 1 to 30) or every host address is
 * in use.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net.h"
#include "validate.h"

static void
alloc(uint32_t base, int prefix, const uint32_t *used, size_t nused)
{
	uint32_t mask, net, bcast, out, a, hosts, inuse;
	size_t i, k;
	int rc;

	out = 0xdeadbeef;
	rc = net_alloc_ipv4(base, prefix, used, nused, &out);
	if (prefix < 1 || prefix > 30) {
		FUZZ_CHECK(rc == -1, "prefix %d: allocated %08x", prefix, out);
		return;
	}
	mask = 0xffffffffU << (32 - prefix);
	net = base & mask;
	bcast = net | ~mask;
	if (rc == 0) {
		FUZZ_CHECK((out & mask) == net, "%08x outside %08x/%d", out,
		    net, prefix);
		FUZZ_CHECK(out != net && out != bcast, "%08x is the network "
		    "or broadcast address of %08x/%d", out, net, prefix);
		for (i = 0; i < nused; i++)
			FUZZ_CHECK(used[i] != out, "%08x is in use", out);
		/* The lowest free one. */
		for (a = net + 1; a < out; a++) {
			for (i = 0; i < nused && used[i] != a; i++)
				;
			FUZZ_CHECK(i < nused, "%08x was free, %08x given", a,
			    out);
		}
		return;
	}
	FUZZ_CHECK(rc == -1, "rc %d", rc);
	/* Full: every host address is in use (counted without repeats). */
	hosts = bcast - net - 1;
	for (i = 0, inuse = 0; i < nused; i++) {
		if ((used[i] & mask) != net || used[i] == net ||
		    used[i] == bcast)
			continue;
		for (k = 0; k < i && used[k] != used[i]; k++)
			;
		if (k == i)
			inuse++;
	}
	FUZZ_CHECK(inuse == hosts, "%08x/%d refused with %u of %u host "
	    "addresses in use", net, prefix, inuse, hosts);
}

static void
text(const char *s)
{
	struct jailer j;
	struct in_addr a, sub;
	char *copy, *w, *save, str[16];
	uint32_t used[64];
	size_t nused;
	int prefix, p2, p3, have;

	copy = xstrdup(s);
	w = strtok_r(copy, " \t\n", &save);
	if (w == NULL) {
		free(copy);
		return;
	}
	fuzz_reset(&j);
	have = parse_cidr4(&j, w, &sub, &prefix) == 0;
	if (!have)
		fuzz_check_err(&j, "parse_cidr4");
	fuzz_reset(&j);
	if (parse_netmask(&j, w, &p2) == 0) {
		FUZZ_CHECK(p2 >= 1 && p2 <= 32, "parse_netmask(\"%s\") = %d",
		    w, p2);
		mask_str(p2, str);
		FUZZ_CHECK(parse_netmask(&j, str, &p3) == 0 && p3 == p2,
		    "mask_str(%d) = %s", p2, str);
		if (!have)
			prefix = p2;
	} else
		fuzz_check_err(&j, "parse_netmask");
	nused = 0;
	while ((w = strtok_r(NULL, " \t\n", &save)) != NULL &&
	    nused < nitems(used)) {
		fuzz_reset(&j);
		if (parse_ipv4(&j, w, &a) == 0)
			used[nused++] = ntohl(a.s_addr);
		else
			fuzz_check_err(&j, "parse_ipv4");
	}
	if (have) {
		alloc(ntohl(sub.s_addr), prefix, used, nused);
		FUZZ_CHECK(net_overlap(ntohl(sub.s_addr), prefix,
		    ntohl(sub.s_addr), prefix), "a subnet overlaps itself");
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t base, used[256], a, b;
	size_t nused, i;
	int prefix, pa, pb;
	char *s;

	s = fuzz_cstr(data, size);
	text(s);
	free(s);

	if (size < 5)
		return (0);
	memcpy(&base, data, 4);
	prefix = (int)(signed char)data[4];
	nused = (size - 5) / 4;
	if (nused > nitems(used))
		nused = nitems(used);
	for (i = 0; i < nused; i++)
		memcpy(&used[i], data + 5 + 4 * i, 4);
	/* Make the used list hit the subnet often. */
	if (prefix >= 1 && prefix <= 30)
		for (i = 0; i < nused; i++)
			if (used[i] & 1)
				used[i] = (base & (0xffffffffU << (32 -
				    prefix))) | (used[i] >> (prefix + 1));
	alloc(base, prefix, used, nused);
	if (nused >= 2) {
		a = used[0];
		b = used[1];
		pa = (int)(base % 33);
		pb = (int)((base >> 8) % 33);
		FUZZ_CHECK(net_overlap(a, pa, b, pb) ==
		    net_overlap(b, pb, a, pa), "net_overlap is not symmetric");
	}
	return (0);
}
