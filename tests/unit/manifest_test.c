/*
 * Unit tests for the pure parts of image.c: MANIFEST checksums, the
 * mirror's release index, release sorting and the mirror URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "host.h"
#include "image.h"
#include "validate.h"

#define	H_BASE	"9b4c0a7e2f3d1a6b8c5e0f7a2d4b6c8e" \
		"1f3a5b7c9d0e2f4a6b8c0d1e3f5a7b9c"
#define	H_LIB32	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define	H_OTHER	"ffffffffffffffffffffffffffffffff" \
		"ffffffffffffffffffffffffffffffff"

/* The shape of a FreeBSD release MANIFEST (usr.sbin/bsdinstall). */
static const char manifest[] =
    "base-dbg.txz\t" H_OTHER "\t4215\tbase_dbg\t"
	"\"Base system (Debugging)\"\toff\n"
    "base.txz\t" H_BASE "\t28775\tbase\t"
	"\"Base system (MANDATORY)\"\ton\n"
    "kernel-dbg.txz\t" H_OTHER "\t889\tkernel_dbg\t"
	"\"Kernel (Debugging)\"\ton\n"
    "kernel.txz\t" H_OTHER "\t1023\tkernel\t\"Kernel (MANDATORY)\"\ton\n"
    "lib32-dbg.txz\t" H_OTHER "\t3302\tlib32_dbg\t"
	"\"32-bit compatibility libraries (Debugging)\"\toff\n"
    "lib32.txz\t" H_LIB32 "\t1108\tlib32\t"
	"\"32-bit compatibility libraries\"\ton\n"
    "ports.txz\t" H_OTHER "\t180012\tports\t\"Ports tree\"\ton\n"
    "src.txz\t" H_OTHER "\t108000\tsrc\t\"System source tree\"\toff\n"
    "tests.txz\t" H_OTHER "\t5301\ttests\t\"Test suite\"\toff\n";

/* Expect a refusal whose one-line message contains want. */
static void
check_refused(const char *text, const char *file, const char *want)
{
	struct jailer j;
	char hex[SHA256_HEX + 1];

	memset(&j, 0, sizeof(j));
	ATF_CHECK_MSG(manifest_sha256(&j, text, file, hex) == -1,
	    "accepted %s in:\n%s", file, text);
	ATF_CHECK_MSG(strstr(j.err, want) != NULL, "err '%s' lacks '%s'",
	    j.err, want);
	ATF_CHECK(strchr(j.err, '\n') == NULL);
}

ATF_TC_WITHOUT_HEAD(manifest_found);
ATF_TC_BODY(manifest_found, tc)
{
	struct jailer j;
	char hex[SHA256_HEX + 1];
	char *noeol;

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(manifest_sha256(&j, manifest, "base.txz", hex), 0);
	ATF_CHECK_STREQ(hex, H_BASE);
	ATF_REQUIRE_EQ(manifest_sha256(&j, manifest, "lib32.txz", hex), 0);
	ATF_CHECK_STREQ(hex, H_LIB32);
	ATF_REQUIRE_EQ(manifest_sha256(&j, manifest, "tests.txz", hex), 0);
	ATF_CHECK_STREQ(hex, H_OTHER);

	/* Upper-case hex is taken and lower-cased. */
	ATF_REQUIRE_EQ(manifest_sha256(&j,
	    "base.txz\tABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	    "0123456789\t1\tbase\t\"Base\"\ton\n", "base.txz", hex), 0);
	ATF_CHECK_STREQ(hex,
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");

	/* Only the name and the checksum are needed; no final newline. */
	ATF_REQUIRE_EQ(manifest_sha256(&j, "base.txz\t" H_BASE, "base.txz",
	    hex), 0);
	ATF_CHECK_STREQ(hex, H_BASE);
	noeol = xasprintf("x.txz\t%s\t1\nbase.txz\t%s\t2\tbase\t\"B\"\ton",
	    H_OTHER, H_BASE);
	ATF_REQUIRE_EQ(manifest_sha256(&j, noeol, "base.txz", hex), 0);
	ATF_CHECK_STREQ(hex, H_BASE);
	free(noeol);

	/* CRLF line ends do not get in the way of the later fields. */
	ATF_REQUIRE_EQ(manifest_sha256(&j,
	    "kernel.txz\t" H_OTHER "\t1\tkernel\t\"K\"\ton\r\n"
	    "base.txz\t" H_BASE "\t2\tbase\t\"B\"\ton\r\n", "base.txz", hex),
	    0);
	ATF_CHECK_STREQ(hex, H_BASE);
}

ATF_TC_WITHOUT_HEAD(manifest_missing);
ATF_TC_BODY(manifest_missing, tc)
{
	check_refused(manifest, "doc.txz", "no entry for doc.txz");
	check_refused("", "base.txz", "no entry");
	check_refused("\n\n\n", "base.txz", "no entry");
	check_refused("<html>404 Not Found</html>\n", "base.txz", "no entry");
	/* Spaces are not the separator. */
	check_refused("base.txz " H_BASE " 1 base \"B\" on\n", "base.txz",
	    "no entry");
	/* Neighbours whose names merely contain the file's name. */
	check_refused("base.txz.sig\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    "xbase.txz\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    "base.txz2\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    "Base.txz\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    " base.txz\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    "base\t" H_OTHER "\t1\tx\t\"x\"\toff\n", "base.txz", "no entry");
}

/* The neighbours are skipped, the real line is found wherever it is. */
ATF_TC_WITHOUT_HEAD(manifest_neighbours);
ATF_TC_BODY(manifest_neighbours, tc)
{
	struct jailer j;
	char hex[SHA256_HEX + 1];

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(manifest_sha256(&j,
	    "base.txz.sig\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    "xbase.txz\t" H_OTHER "\t1\tx\t\"x\"\toff\n"
	    "base.txz\t" H_BASE "\t1\tbase\t\"B\"\ton\n"
	    "base.txz.asc\tnot-a-checksum\n", "base.txz", hex), 0);
	ATF_CHECK_STREQ(hex, H_BASE);
}

ATF_TC_WITHOUT_HEAD(manifest_malformed);
ATF_TC_BODY(manifest_malformed, tc)
{
	char *t;

	/* 63 and 65 hex digits. */
	check_refused("base.txz\t" H_BASE "0\t1\tbase\t\"B\"\ton\n",
	    "base.txz", "malformed");
	t = xasprintf("base.txz\t%.63s\t1\tbase\t\"B\"\ton\n", H_BASE);
	check_refused(t, "base.txz", "malformed");
	free(t);
	/* Not hex. */
	t = xstrdup("base.txz\t" H_BASE "\t1\tbase\t\"B\"\ton\n");
	t[9 + 10] = 'g';
	check_refused(t, "base.txz", "malformed");
	t[9 + 10] = ' ';
	check_refused(t, "base.txz", "malformed");
	t[9 + 10] = '\0';
	check_refused(t, "base.txz", "malformed");
	free(t);
	check_refused("base.txz\t\t1\tbase\n", "base.txz", "malformed");
	check_refused("base.txz\t\n", "base.txz", "malformed");
	check_refused("base.txz\t", "base.txz", "malformed");
	/* A checksum and a CR with nothing after it. */
	check_refused("base.txz\t" H_BASE "\r\n", "base.txz", "malformed");
}

ATF_TC_WITHOUT_HEAD(manifest_duplicate);
ATF_TC_BODY(manifest_duplicate, tc)
{
	char *t;

	t = xasprintf("%sbase.txz\t%s\t1\tbase\t\"B\"\ton\n", manifest,
	    H_OTHER);
	check_refused(t, "base.txz", "more than once");
	free(t);
	/* Even when both lines agree. */
	check_refused("base.txz\t" H_BASE "\t1\n"
	    "base.txz\t" H_BASE "\t1\n", "base.txz", "more than once");
}

/* A typical nginx/Apache autoindex of releases/amd64/. */
static const char index_html[] =
    "<html><head><title>Index of /ftp/releases/amd64/</title></head>\n"
    "<body><h1>Index of /ftp/releases/amd64/</h1><hr><pre>\n"
    "<a href=\"../\">../</a>\n"
    "<a href=\"?C=N;O=D\">Name</a>\n"
    "<a href=\"ISO-IMAGES/\">ISO-IMAGES/</a>          01-Jun-2025 00:00    -\n"
    "<a href=\"14.3-RELEASE/\">14.3-RELEASE/</a>      10-Jun-2025 00:00    -\n"
    "<a href=\"13.4-RELEASE/\">13.4-RELEASE/</a>      17-Sep-2024 00:00    -\n"
    "<a href=\"15.0-RC1/\">15.0-RC1/</a>              01-Nov-2025 00:00    -\n"
    "<a href=\"14.10-RELEASE/\">14.10-RELEASE/</a>\n"
    "<a href=\"./14.2-RELEASE/\">14.2-RELEASE/</a>\n"
    "<a href=\"14.3-RELEASE/\">14.3-RELEASE/</a> (again)\n"
    "<a href=\"14.0-BETA2\">no slash</a>\n"
    "<a href=\"14.3-RELEASE-p2/\">patched</a>\n"
    "<a href=\"14.3-STABLE/\">stable</a>\n"
    "<a href=\"15.0-CURRENT/\">current</a>\n"
    "<a href=\"/ftp/releases/amd64/12.4-RELEASE/\">absolute</a>\n"
    "<a href=\"https://example.org/11.0-RELEASE/\">elsewhere</a>\n"
    "<a href=\"README.TXT\">README.TXT</a>\n"
    "<a href=\"13.4-RELEASE//\">double slash</a>\n"
    "<a href=\"13.5-release/\">lower case</a>\n"
    "<a href=\"\">empty</a>\n"
    "<a href=\"/\">root</a>\n"
    "<a href=\"x;rm -rf /\">junk</a>\n"
    "<a href=\"1111111111111111111111111111111111111111"
	"111111111.1-RELEASE/\">long</a>\n"
    "<a href=\"14.1-RELEASE/\">14.1-RELEASE/</a>\n"
    "</pre><hr></body></html>\n";

ATF_TC_WITHOUT_HEAD(index_parse);
ATF_TC_BODY(index_parse, tc)
{
	static const char *const want[] = {
		"13.4-RELEASE", "14.0-BETA2", "14.1-RELEASE", "14.2-RELEASE",
		"14.3-RELEASE", "14.10-RELEASE", "15.0-RC1",
	};
	char **names;
	size_t i, n;

	n = index_releases(index_html, &names);
	ATF_CHECK_EQ_MSG(n, nitems(want), "%zu releases", n);
	for (i = 0; i < n && i < nitems(want); i++)
		ATF_CHECK_MSG(strcmp(names[i], want[i]) == 0,
		    "names[%zu] = %s, want %s", i, names[i], want[i]);
	strv_free(names, n);
}

ATF_TC_WITHOUT_HEAD(index_odd);
ATF_TC_BODY(index_odd, tc)
{
	char **names;
	size_t n;

	/* An unterminated href at the end. */
	n = index_releases("<a href=\"14.3-RELEASE/\">x</a><a href=\"14.2-RE",
	    &names);
	ATF_REQUIRE_EQ(n, 1);
	ATF_CHECK_STREQ(names[0], "14.3-RELEASE");
	strv_free(names, n);

	n = index_releases("href=\"14.3-RELEASE/\"href=\"14.2-RELEASE/\"",
	    &names);
	ATF_REQUIRE_EQ(n, 2);
	ATF_CHECK_STREQ(names[0], "14.2-RELEASE");
	ATF_CHECK_STREQ(names[1], "14.3-RELEASE");
	strv_free(names, n);
}

/* No releases at all: nothing, and no crash (also under UBSan). */
ATF_TC_WITHOUT_HEAD(index_none);
ATF_TC_BODY(index_none, tc)
{
	static const char *const pages[] = {
		"", "<html><body>Not Found</body></html>",
		"<a href=\"ISO-IMAGES/\">x</a><a href=\"../\">..</a>",
		"href=\"", "href=\"\"",
	};
	char **names;
	size_t i, n;

	for (i = 0; i < nitems(pages); i++) {
		names = (char **)1;
		n = index_releases(pages[i], &names);
		ATF_CHECK_EQ_MSG(n, 0, "page %zu gave %zu releases", i, n);
		strv_free(names, n);
	}
}

ATF_TC_WITHOUT_HEAD(sort_releases);
ATF_TC_BODY(sort_releases, tc)
{
	static const char *const in[] = {
		"15.0-RELEASE", "14.3-RELEASE-p1", "9.3-RELEASE", "14.3-RC2",
		"14.3-RELEASE", "15.0-BETA1", "14.3-RC1", "10.0-RELEASE",
		"14.3-BETA3", "14.3-ALPHA1", "14.10-RELEASE", "14.9-RELEASE",
	};
	static const char *const want[] = {
		"9.3-RELEASE", "10.0-RELEASE", "14.3-ALPHA1", "14.3-BETA3",
		"14.3-RC1", "14.3-RC2", "14.3-RELEASE", "14.3-RELEASE-p1",
		"14.9-RELEASE", "14.10-RELEASE", "15.0-BETA1", "15.0-RELEASE",
	};
	char *v[nitems(in)];
	size_t i;

	for (i = 0; i < nitems(in); i++)
		v[i] = (char *)in[i];
	releases_sort(v, nitems(v));
	for (i = 0; i < nitems(want); i++)
		ATF_CHECK_MSG(strcmp(v[i], want[i]) == 0, "[%zu] = %s, want %s",
		    i, v[i], want[i]);
	releases_sort(v, 1);
	ATF_CHECK_STREQ(v[0], "9.3-RELEASE");
}

ATF_TC_WITHOUT_HEAD(mirror_url);
ATF_TC_BODY(mirror_url, tc)
{
	struct jailer j;
	char *m;

	memset(&j, 0, sizeof(j));
	unsetenv("FreeBSD_mirror");
	ATF_REQUIRE((m = mirror_get(&j)) != NULL);
	ATF_CHECK_STREQ(m, DEFAULT_MIRROR);
	free(m);
	setenv("FreeBSD_mirror", "", 1);
	ATF_REQUIRE((m = mirror_get(&j)) != NULL);
	ATF_CHECK_STREQ(m, DEFAULT_MIRROR);
	free(m);
	setenv("FreeBSD_mirror", "file:///var/mirror///", 1);
	ATF_REQUIRE((m = mirror_get(&j)) != NULL);
	ATF_CHECK_STREQ(m, "file:///var/mirror");
	free(m);
	setenv("FreeBSD_mirror", "http://127.0.0.1:8080/pub/FreeBSD/", 1);
	ATF_REQUIRE((m = mirror_get(&j)) != NULL);
	ATF_CHECK_STREQ(m, "http://127.0.0.1:8080/pub/FreeBSD");
	free(m);
	setenv("FreeBSD_mirror", "https://x/$(reboot)", 1);
	ATF_CHECK(mirror_get(&j) == NULL);
	ATF_CHECK(strstr(j.err, "FreeBSD_mirror") != NULL);
	setenv("FreeBSD_mirror", "ftp.freebsd.org", 1);
	ATF_CHECK(mirror_get(&j) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, manifest_found);
	ATF_TP_ADD_TC(tp, manifest_missing);
	ATF_TP_ADD_TC(tp, manifest_neighbours);
	ATF_TP_ADD_TC(tp, manifest_malformed);
	ATF_TP_ADD_TC(tp, manifest_duplicate);
	ATF_TP_ADD_TC(tp, index_parse);
	ATF_TP_ADD_TC(tp, index_odd);
	ATF_TP_ADD_TC(tp, index_none);
	ATF_TP_ADD_TC(tp, sort_releases);
	ATF_TP_ADD_TC(tp, mirror_url);
	return (atf_no_error());
}
