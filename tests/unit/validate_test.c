/*
 * Unit tests for validate.c: the whitelists for names, releases,
 * interfaces, datasets, mount points, mirrors and addresses.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "validate.h"

/* A validator of the common shape. */
typedef int (*validator)(struct jailer *, const char *);

struct vcase {
	const char	*in;
	int		 ok;
};

/*
 * A refusal must leave a one-line, printable message in the handle: no
 * newline, no control character that could forge output.
 */
static void
check_err_line(const struct jailer *jp, const char *what, const char *in)
{
	const unsigned char *p;

	ATF_CHECK_MSG(jp->err[0] != '\0', "%s(%s): refused without a message",
	    what, vis(in));
	for (p = (const unsigned char *)jp->err; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f) {
			ATF_CHECK_MSG(0, "%s(%s): control character 0x%02x "
			    "in the error '%s'", what, vis(in), *p,
			    vis(jp->err));
			break;
		}
}

/* Run a table of cases through a validator. */
static void
run_cases(const char *what, validator fn, const struct vcase *c, size_t n)
{
	struct jailer j;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		memset(&j, 0, sizeof(j));
		rc = fn(&j, c[i].in);
		if (c[i].ok) {
			ATF_CHECK_MSG(rc == 0, "%s('%s') refused: %s", what,
			    vis(c[i].in), j.err);
			ATF_CHECK_MSG(rc != 0 || j.err[0] == '\0',
			    "%s('%s') accepted but set an error", what,
			    vis(c[i].in));
		} else {
			ATF_CHECK_MSG(rc == -1, "%s('%s') accepted (rc %d)",
			    what, vis(c[i].in), rc);
			if (rc == -1)
				check_err_line(&j, what, c[i].in);
		}
	}
}

static char name64[65], name65[66];

static void
make_long_names(void)
{
	memset(name64, 'a', 64);
	name64[64] = '\0';
	memset(name65, 'b', 65);
	name65[65] = '\0';
}

ATF_TC_WITHOUT_HEAD(jail_name);
ATF_TC_BODY(jail_name, tc)
{
	make_long_names();
	const struct vcase cases[] = {
		{ "www0", 1 }, { "a_b-c", 1 }, { "A", 1 }, { "_x", 1 },
		{ "web-1", 1 }, { "x123", 1 }, { "1x", 1 }, { "default1", 1 },
		{ name64, 1 },
		{ "", 0 }, { name65, 0 }, { "../x", 0 }, { "a/b", 0 },
		{ "a;b", 0 }, { "a b", 0 }, { "$(id)", 0 }, { "`id`", 0 },
		{ "a'b", 0 }, { "a\"b", 0 }, { "a\nb", 0 }, { "a\tb", 0 },
		{ "www\n", 0 }, { "-x", 0 }, { "--", 0 }, { ".x", 0 },
		{ "a.b", 0 }, { "x.", 0 }, { "image", 0 }, { "help", 0 },
		{ "all", 0 }, { "remote", 0 }, { "dist-files", 0 },
		{ "default", 0 }, { "none", 0 }, { "123", 0 }, { "0", 0 },
		{ "j\xc3\xa4il", 0 }, { "\xc3\xa4", 0 }, { "a*", 0 },
		{ "a?", 0 }, { "a=b", 0 }, { "a:b", 0 }, { "a@b", 0 },
		{ "a\\b", 0 }, { "a\x7f", 0 }, { "a\x01", 0 },
	};

	run_cases("valid_jail_name", valid_jail_name, cases, nitems(cases));
}

/* The message for a hostile name shows it escaped and bounded. */
ATF_TC_WITHOUT_HEAD(jail_name_message);
ATF_TC_BODY(jail_name_message, tc)
{
	struct jailer j;
	char big[2000];

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(valid_jail_name(&j, "a\nb;c"), -1);
	ATF_CHECK_MSG(strstr(j.err, "a\\nb;c") != NULL, "err: %s", j.err);
	ATF_CHECK(strchr(j.err, '\n') == NULL);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[5] = ';';
	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(valid_jail_name(&j, big), -1);
	ATF_CHECK_MSG(strlen(j.err) < 300, "err is %zu bytes", strlen(j.err));
	ATF_CHECK(strstr(j.err, "...") != NULL);

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(valid_jail_name(&j, "image"), -1);
	ATF_CHECK(strstr(j.err, "reserved") != NULL);
	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(valid_jail_name(&j, "123"), -1);
	ATF_CHECK(strstr(j.err, "123") != NULL);
}

static int
image_release_nor(struct jailer *jp, const char *s)
{
	return (valid_image_release(jp, s, NULL));
}

ATF_TC_WITHOUT_HEAD(image_release);
ATF_TC_BODY(image_release, tc)
{
	const struct vcase cases[] = {
		{ "14.3-RELEASE", 1 }, { "15.0-RC1", 1 }, { "15.0-BETA2", 1 },
		{ "15.0-ALPHA3", 1 }, { "13.5-RELEASE", 1 },
		{ "10.0-RELEASE", 1 }, { "14.0-RC10", 1 },
		{ "14.3-RELEASE-p2", 0 }, { "14.3-STABLE", 0 },
		{ "15.0-CURRENT", 0 }, { "../../etc", 0 }, { "x;y", 0 },
		{ "14.3", 0 }, { "14.3-release", 0 }, { "014.3-RELEASE", 0 },
		{ "14.03-RELEASE", 0 }, { "", 0 }, { "14", 0 },
		{ "14.3-", 0 }, { "14.3-RC", 0 }, { "14.3-RC0", 0 },
		{ "14.3-RC01", 0 }, { "14.3-RELEASEX", 0 },
		{ "14.3-RELEASE/", 0 }, { "14.3-RELEASE\n", 0 },
		{ " 14.3-RELEASE", 0 }, { "0.1-RELEASE", 0 },
		{ "14.3-RELEASE;rm", 0 }, { "14.3-RELEASE-p", 0 },
		{ "99999.0-RELEASE", 0 }, { "14.3_RELEASE", 0 },
		{ "14.3-PRERELEASE", 0 },
	};
	struct jailer j;
	struct release r;

	run_cases("valid_image_release", image_release_nor, cases,
	    nitems(cases));

	/* The parsed release comes back when asked for. */
	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(valid_image_release(&j, "15.0-RC1", &r), 0);
	ATF_CHECK_EQ(r.major, 15);
	ATF_CHECK_EQ(r.minor, 0);
	ATF_CHECK_EQ(r.kind, REL_RC);
	ATF_CHECK_EQ(r.n, 1);
	ATF_CHECK_EQ(r.patch, 0);
}

ATF_TC_WITHOUT_HEAD(release_parse_fields);
ATF_TC_BODY(release_parse_fields, tc)
{
	static const struct {
		const char	*in;
		int		 major, minor;
		enum rel_kind	 kind;
		int		 n, patch;
	} ok[] = {
		{ "14.3-RELEASE", 14, 3, REL_RELEASE, 0, 0 },
		{ "14.3-RELEASE-p2", 14, 3, REL_RELEASE, 0, 2 },
		{ "14.3-RELEASE-p12", 14, 3, REL_RELEASE, 0, 12 },
		{ "15.0-RC1", 15, 0, REL_RC, 1, 0 },
		{ "15.0-BETA2", 15, 0, REL_BETA, 2, 0 },
		{ "15.0-ALPHA4", 15, 0, REL_ALPHA, 4, 0 },
		{ "14.3-STABLE", 14, 3, REL_STABLE, 0, 0 },
		{ "15.0-CURRENT", 15, 0, REL_CURRENT, 0, 0 },
		{ "9.10-RELEASE", 9, 10, REL_RELEASE, 0, 0 },
	};
	static const char *const bad[] = {
		"", "14", "14.", "14.3", "14.3-", "-14.3-RELEASE", ".3-RELEASE",
		"14.-RELEASE", "14.3-RC", "14.3-RC0", "14.3-RELEASE-p",
		"14.3-RELEASE-p0", "14.3-RELEASE-p2x", "14.3-RELEASE-",
		"14.3-RELEASEp2", "14.3-release", "0.0-RELEASE",
		"12345.0-RELEASE", "14.12345-RELEASE", "14.3-FOO",
		"14.3-RELEASE ", "a.b-RELEASE", "14.3-RC1x",
	};
	struct release r;
	size_t i;

	for (i = 0; i < nitems(ok); i++) {
		ATF_CHECK_MSG(release_parse(ok[i].in, &r) == 0,
		    "release_parse(%s) failed", ok[i].in);
		ATF_CHECK_MSG(r.major == ok[i].major &&
		    r.minor == ok[i].minor && r.kind == ok[i].kind &&
		    r.n == ok[i].n && r.patch == ok[i].patch,
		    "release_parse(%s) = %d.%d kind %d n %d p %d", ok[i].in,
		    r.major, r.minor, (int)r.kind, r.n, r.patch);
	}
	for (i = 0; i < nitems(bad); i++)
		ATF_CHECK_MSG(release_parse(bad[i], &r) == -1,
		    "release_parse('%s') accepted", vis(bad[i]));
}

/*
 * FreeBSD's stable branches call themselves X.Y-PRERELEASE during a
 * release cycle (sys/conf/newvers.sh); uname -r on such a host must parse.
 */
ATF_TC_WITHOUT_HEAD(release_parse_prerelease);
ATF_TC_BODY(release_parse_prerelease, tc)
{
	struct release r, rel;

	ATF_REQUIRE_EQ(release_parse("14.3-PRERELEASE", &r), 0);
	ATF_CHECK_EQ(r.major, 14);
	ATF_CHECK_EQ(r.minor, 3);
	ATF_REQUIRE_EQ(release_parse("14.3-RELEASE", &rel), 0);
	ATF_CHECK(release_cmp(&r, &rel) < 0);
}

ATF_TC_WITHOUT_HEAD(release_order);
ATF_TC_BODY(release_order, tc)
{
	/* Strictly increasing. */
	static const char *const order[] = {
		"9.3-RELEASE", "10.0-RELEASE", "13.5-RELEASE",
		"14.2-RELEASE-p9", "14.2-RELEASE-p10", "14.3-ALPHA1",
		"14.3-BETA1", "14.3-BETA2", "14.3-RC1", "14.3-RC2",
		"14.3-RC10", "14.3-RELEASE", "14.3-RELEASE-p1",
		"14.3-RELEASE-p2", "14.3-STABLE", "14.4-RELEASE",
		"14.10-RELEASE", "15.0-CURRENT", "15.0-ALPHA1", "15.0-RC1",
		"15.0-RELEASE",
	};
	struct release a, b;
	size_t i, k;

	for (i = 0; i < nitems(order); i++) {
		ATF_REQUIRE_MSG(release_parse(order[i], &a) == 0, "%s",
		    order[i]);
		ATF_CHECK_EQ(release_cmp(&a, &a), 0);
		for (k = i + 1; k < nitems(order); k++) {
			ATF_REQUIRE(release_parse(order[k], &b) == 0);
			ATF_CHECK_MSG(release_cmp(&a, &b) < 0,
			    "%s should sort before %s", order[i], order[k]);
			ATF_CHECK_MSG(release_cmp(&b, &a) > 0,
			    "%s should sort after %s", order[k], order[i]);
		}
	}
}

ATF_TC_WITHOUT_HEAD(release_name_canon);
ATF_TC_BODY(release_name_canon, tc)
{
	static const struct {
		const char *in, *name;
	} cases[] = {
		{ "14.3-RELEASE", "14.3-RELEASE" },
		{ "14.3-RELEASE-p2", "14.3-RELEASE" },
		{ "15.0-RC1", "15.0-RC1" },
		{ "15.0-BETA2", "15.0-BETA2" },
		{ "15.0-ALPHA1", "15.0-ALPHA1" },
		{ "14.3-STABLE", "14.3-STABLE" },
		{ "15.0-CURRENT", "15.0-CURRENT" },
		{ "15.0-RC3-p1", "15.0-RC3" },
	};
	struct release r;
	char buf[64], small[6];
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		ATF_REQUIRE_MSG(release_parse(cases[i].in, &r) == 0, "%s",
		    cases[i].in);
		release_name(&r, buf, sizeof(buf));
		ATF_CHECK_STREQ(buf, cases[i].name);
	}
	/* Truncated, never overflowed. */
	ATF_REQUIRE(release_parse("14.3-RELEASE", &r) == 0);
	memset(small, 'Z', sizeof(small));
	release_name(&r, small, sizeof(small));
	ATF_CHECK_STREQ(small, "14.3-");
}

ATF_TC_WITHOUT_HEAD(ifname);
ATF_TC_BODY(ifname, tc)
{
	const struct vcase cases[] = {
		{ "vtnet0", 1 }, { "em0.100", 1 }, { "bridge0", 1 },
		{ "epair12a", 1 }, { "lo0", 1 }, { "igb_1", 1 },
		{ "abcdefghijklmno", 1 },	/* 15 characters */
		{ "abcdefghijklmnop", 0 },	/* 16 characters */
		{ "a b", 0 }, { "eth0;", 0 }, { "0abc", 0 }, { "", 0 },
		{ ".em0", 0 }, { "_em0", 0 }, { "em0\n", 0 }, { "em/0", 0 },
		{ "em0:1", 0 }, { "em-0", 0 }, { "$(id)", 0 },
		{ "\xc3\xa4", 0 },
	};

	run_cases("valid_ifname", valid_ifname, cases, nitems(cases));
}

ATF_TC_WITHOUT_HEAD(dataset);
ATF_TC_BODY(dataset, tc)
{
	char longds[260];
	size_t i;

	for (i = 0; i + 2 < sizeof(longds); i += 2)
		memcpy(longds + i, "a/", 2);
	longds[i - 1] = '\0';	/* ends in "a" */
	const struct vcase cases[] = {
		{ "zroot/jails", 1 }, { "tank", 1 }, { "zroot/a/b/c", 1 },
		{ "z_r.o:o-t/x", 1 },
		{ "zroot/a b", 0 }, { "zroot//x", 0 }, { "zroot/../x", 0 },
		{ "zroot/./x", 0 }, { "zroot/..", 0 }, { "zroot/.", 0 },
		{ "/zroot", 0 }, { "zroot/", 0 }, { "zroot/x@y", 0 },
		{ "zroot/x#y", 0 }, { "", 0 }, { "1zroot", 0 },
		{ "-zroot", 0 }, { "zroot/x\n", 0 }, { "zroot/x;y", 0 },
		{ "zroot/$x", 0 }, { "zroot/x'y", 0 }, { longds, 0 },
		{ "zroot/j\xc3\xa4il", 0 },
	};

	run_cases("valid_dataset", valid_dataset, cases, nitems(cases));
}

ATF_TC_WITHOUT_HEAD(snapname);
ATF_TC_BODY(snapname, tc)
{
	char s64[65], s65[66];

	memset(s64, 's', 64);
	s64[64] = '\0';
	memset(s65, 's', 65);
	s65[65] = '\0';
	const struct vcase cases[] = {
		{ "base", 1 }, { "2025-01-02_10:00", 1 }, { "v1.2", 1 },
		{ s64, 1 },
		{ "", 0 }, { s65, 0 }, { "-x", 0 }, { ".x", 0 }, { "a@b", 0 },
		{ "a/b", 0 }, { "a b", 0 }, { "a;b", 0 }, { "a\n", 0 },
		{ "a#b", 0 }, { "\xc3\xa4", 0 },
	};

	run_cases("valid_snapname", valid_snapname, cases, nitems(cases));
}

ATF_TC_WITHOUT_HEAD(mountpoint);
ATF_TC_BODY(mountpoint, tc)
{
	const struct vcase cases[] = {
		{ "/usr/local/jails", 1 }, { "/jails", 1 }, { "/a", 1 },
		{ "/zroot/jailer", 1 }, { "/var/jails", 1 }, { "/a/.b", 1 },
		{ "/a/b..c", 1 },
		{ "relative", 0 }, { "", 0 }, { "/", 0 }, { "/etc", 0 },
		{ "/usr", 0 }, { "/usr/local", 0 }, { "/var", 0 },
		{ "/tmp", 0 }, { "/boot", 0 }, { "/a/../b", 0 },
		{ "/a/./b", 0 }, { "/a/..", 0 }, { "/a/.", 0 }, { "/..", 0 },
		{ "/.", 0 }, { "/a//b", 0 }, { "//a", 0 }, { "/a/", 0 },
		{ "/dev/x", 0 }, { "/dev", 0 }, { "/etc/jails", 0 },
		{ "/proc/x", 0 }, { "/boot/x", 0 }, { "/a b", 0 },
		{ "/a;b", 0 }, { "/a\n", 0 }, { "/a'b", 0 }, { "/a\"b", 0 },
		{ "/a$b", 0 }, { "/a*", 0 }, { "/j\xc3\xa4il", 0 },
	};

	run_cases("valid_mountpoint", valid_mountpoint, cases, nitems(cases));
}

ATF_TC_WITHOUT_HEAD(nettype);
ATF_TC_BODY(nettype, tc)
{
	const struct vcase cases[] = {
		{ "inherit", 1 }, { "new", 1 }, { "eb", 1 },
		{ "ng", 0 }, { "", 0 }, { "EB", 0 }, { "eb ", 0 },
		{ "inherit\n", 0 }, { "vnet", 0 },
	};
	struct jailer j;

	run_cases("valid_nettype", valid_nettype, cases, nitems(cases));
	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(valid_nettype(&j, "ng"), -1);
	ATF_CHECK(strstr(j.err, "netgraph") != NULL);
}

ATF_TC_WITHOUT_HEAD(mirror);
ATF_TC_BODY(mirror, tc)
{
	const struct vcase cases[] = {
		{ "https://download.FreeBSD.org/ftp", 1 },
		{ "http://mirror.example.org/pub/FreeBSD/", 1 },
		{ "ftp://ftp.freebsd.org/pub/FreeBSD", 1 },
		{ "file:///var/mirror", 1 },
		{ "http://127.0.0.1:8080/~user/x_y-z+1%20", 1 },
		{ "javascript:alert(1)", 0 }, { "", 0 },
		{ "file://host/x", 0 }, { "/var/mirror", 0 },
		{ "HTTPS://x", 0 }, { "gopher://x", 0 },
		{ "https://x/a b", 0 }, { " https://x", 0 },
		{ "https://x/'a", 0 }, { "https://x/\"a", 0 },
		{ "https://x/;id", 0 }, { "https://x/\n", 0 },
		{ "https://x/$(id)", 0 }, { "https://x/`id`", 0 },
		{ "https://x/a&b", 0 }, { "https://x/a?b", 0 },
		{ "https://x/../etc", 0 }, { "https://x/\\", 0 },
	};

	run_cases("valid_mirror", valid_mirror, cases, nitems(cases));
}

static int
ipv4_v(struct jailer *jp, const char *s)
{
	struct in_addr a;

	return (parse_ipv4(jp, s, &a));
}

ATF_TC_WITHOUT_HEAD(ipv4);
ATF_TC_BODY(ipv4, tc)
{
	const struct vcase cases[] = {
		{ "1.2.3.4", 1 }, { "0.0.0.0", 1 }, { "255.255.255.255", 1 },
		{ "10.0.0.1", 1 },
		{ "999.1.1.1", 0 }, { "256.1.1.1", 0 }, { "1.2.3", 0 },
		{ "1.2.3.4.5", 0 }, { " 1.2.3.4", 0 }, { "1.2.3.4 ", 0 },
		{ "1.2.3.4\n", 0 }, { "", 0 }, { "a.b.c.d", 0 },
		{ "1.2.3.4/24", 0 }, { "0x1.2.3.4", 0 }, { "1..2.3", 0 },
		{ "::1", 0 }, { "1.2.3.-4", 0 },
	};
	struct jailer j;
	struct in_addr a;

	run_cases("parse_ipv4", ipv4_v, cases, nitems(cases));
	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(parse_ipv4(&j, "192.168.1.20", &a), 0);
	ATF_CHECK_EQ(ntohl(a.s_addr), 0xc0a80114u);
}

static int
cidr4_v(struct jailer *jp, const char *s)
{
	struct in_addr a;
	int p;

	return (parse_cidr4(jp, s, &a, &p));
}

ATF_TC_WITHOUT_HEAD(cidr4);
ATF_TC_BODY(cidr4, tc)
{
	const struct vcase cases[] = {
		{ "10.0.0.1/24", 1 }, { "10.0.0.1/0", 1 },
		{ "10.0.0.1/32", 1 }, { "192.168.100.200/8", 1 },
		{ "10.0.0.1/33", 0 }, { "10.0.0.1/", 0 }, { "10.0.0.1/024", 0 },
		{ "10.0.0.1/00", 0 }, { "10.0.0.1", 0 }, { "/24", 0 },
		{ "10.0.0.1/24/8", 0 }, { "10.0.0.1/-1", 0 },
		{ "10.0.0.1/+24", 0 }, { "10.0.0.1/ 24", 0 },
		{ "10.0.0.1/24 ", 0 }, { "10.0.0.1/2a", 0 },
		{ "999.0.0.1/24", 0 }, { "10.0.0/24", 0 }, { "", 0 },
		{ "1111111111111111111/24", 0 }, { "10.0.0.1/99999", 0 },
		{ "10.0.0.1/24\n", 0 },
	};
	struct jailer j;
	struct in_addr a;
	int p;

	run_cases("parse_cidr4", cidr4_v, cases, nitems(cases));
	memset(&j, 0, sizeof(j));
	p = -1;
	ATF_REQUIRE_EQ(parse_cidr4(&j, "10.1.2.3/24", &a, &p), 0);
	ATF_CHECK_EQ(p, 24);
	ATF_CHECK_EQ(ntohl(a.s_addr), 0x0a010203u);
	ATF_REQUIRE_EQ(parse_cidr4(&j, "10.1.2.3/0", &a, &p), 0);
	ATF_CHECK_EQ(p, 0);
}

ATF_TC_WITHOUT_HEAD(vis_escapes);
ATF_TC_BODY(vis_escapes, tc)
{
	char big[1000], in[300];
	const char *v;
	size_t i;

	ATF_CHECK_STREQ(vis(""), "");
	ATF_CHECK_STREQ(vis("plain text"), "plain text");
	ATF_CHECK_STREQ(vis("a\nb"), "a\\nb");
	ATF_CHECK_STREQ(vis("a\tb"), "a\\tb");
	ATF_CHECK_STREQ(vis("\x01\x1b[31m\x7f"), "\\x01\\x1b[31m\\x7f");
	ATF_CHECK_STREQ(vis("\r"), "\\x0d");
	ATF_CHECK_STREQ(vis("j\xc3\xa4il"), "j\xc3\xa4il");

	/* Long values are cut and marked. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	v = vis(big);
	ATF_CHECK(strlen(v) < 200);
	ATF_CHECK(strlen(v) > 100);
	ATF_CHECK(strcmp(v + strlen(v) - 3, "...") == 0);

	/* Every byte escaped: still bounded and NUL-terminated. */
	for (i = 0; i < sizeof(in) - 1; i++)
		in[i] = (char)(1 + i % 31);
	in[sizeof(in) - 1] = '\0';
	v = vis(in);
	ATF_CHECK(strlen(v) < 160);
	for (i = 0; v[i] != '\0'; i++)
		ATF_CHECK((unsigned char)v[i] >= 0x20);

	/* A few results can be used in one message. */
	{
		const char *a = vis("a\n"), *b = vis("b\t"), *c = vis("c");
		char msg[64];

		snprintf(msg, sizeof(msg), "%s %s %s", a, b, c);
		ATF_CHECK_STREQ(msg, "a\\n b\\t c");
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, jail_name);
	ATF_TP_ADD_TC(tp, jail_name_message);
	ATF_TP_ADD_TC(tp, image_release);
	ATF_TP_ADD_TC(tp, release_parse_fields);
	ATF_TP_ADD_TC(tp, release_parse_prerelease);
	ATF_TP_ADD_TC(tp, release_order);
	ATF_TP_ADD_TC(tp, release_name_canon);
	ATF_TP_ADD_TC(tp, ifname);
	ATF_TP_ADD_TC(tp, dataset);
	ATF_TP_ADD_TC(tp, snapname);
	ATF_TP_ADD_TC(tp, mountpoint);
	ATF_TP_ADD_TC(tp, nettype);
	ATF_TP_ADD_TC(tp, mirror);
	ATF_TP_ADD_TC(tp, ipv4);
	ATF_TP_ADD_TC(tp, cidr4);
	ATF_TP_ADD_TC(tp, vis_escapes);
	return (atf_no_error());
}
