/*
 * Unit tests for sha256.c: the test vectors of FIPS 180-4's examples
 * (NIST CSRC "SHA256.pdf": "abc", the two-block message) and the
 * million "a"s, and that feeding a message in pieces gives the digest
 * of the whole.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "sha256.h"

static void
check(const char *msg, size_t n, const char *want)
{
	char hex[65];

	sha256_hex(msg, n, hex);
	ATF_CHECK_STREQ_MSG(hex, want, "sha256 of %zu bytes", n);
}

ATF_TC_WITHOUT_HEAD(vectors);
ATF_TC_BODY(vectors, tc)
{
	static const char two[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char four[] = "abcdefghbcdefghicdefghijdefghijkefghijkl"
	    "fghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
	    "nopqrstu";

	check("", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check(two, strlen(two),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check(four, strlen(four),
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

ATF_TC_WITHOUT_HEAD(million_a);
ATF_TC_BODY(million_a, tc)
{
	char *m;

	m = malloc(1000000);
	ATF_REQUIRE(m != NULL);
	memset(m, 'a', 1000000);
	check(m, 1000000,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

/* Every split of a message across two updates; lengths around 55/56/64. */
ATF_TC_WITHOUT_HEAD(pieces);
ATF_TC_BODY(pieces, tc)
{
	char msg[130], whole[65], hex[65];
	unsigned char d[32];
	struct sha256 s;
	size_t n, k;
	int i;

	for (n = 0; n < sizeof(msg); n++)
		msg[n] = (char)('A' + n % 26);
	for (n = 50; n < sizeof(msg); n += 7) {
		sha256_hex(msg, n, whole);
		for (k = 0; k <= n; k += 5) {
			sha256_init(&s);
			sha256_update(&s, msg, k);
			sha256_update(&s, msg + k, n - k);
			sha256_final(&s, d);
			for (i = 0; i < 32; i++)
				snprintf(hex + 2 * i, 3, "%02x", d[i]);
			ATF_CHECK_STREQ_MSG(hex, whole, "n %zu split %zu", n,
			    k);
		}
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, vectors);
	ATF_TP_ADD_TC(tp, million_a);
	ATF_TP_ADD_TC(tp, pieces);
	return (atf_no_error());
}
