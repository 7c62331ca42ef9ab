/*
 * Unit tests for rcconf.c: parsing rc.conf assignment lines, looking
 * values up and changing them atomically.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "rcconf.h"
#include "validate.h"
#include "unit.h"

static char *
slurp(const char *path)
{
	struct jailer j;
	struct buf b;

	memset(&j, 0, sizeof(j));
	buf_init(&b);
	ATF_REQUIRE_MSG(file_read(&j, path, &b) == 0, "%s", j.err);
	return (buf_steal(&b));
}

static void
check_file(const char *path, const char *want)
{
	char *got;

	got = slurp(path);
	ATF_CHECK_MSG(strcmp(got, want) == 0, "%s is:\n%s\nwant:\n%s", path,
	    got, want);
	free(got);
}

/* Setting key to val in path succeeds and reading it back gives val. */
static void
check_set(struct jailer *jp, const char *path, const char *key,
    const char *val)
{
	char *v;

	ATF_REQUIRE_EQ(rc_set(jp, path, key, val), 0);
	ATF_CHECK_EQ(rc_get(jp, path, key, &v), 1);
	ATF_CHECK_STREQ(v, val);
	free(v);
}

ATF_TC_WITHOUT_HEAD(parse_assignments);
ATF_TC_BODY(parse_assignments, tc)
{
	static const struct {
		const char *line, *name, *value;
	} cases[] = {
		{ "a=\"1\"", "a", "1" },
		{ "jailer_dir=\"zfs:zroot/jails\"", "jailer_dir",
		    "zfs:zroot/jails" },
		{ "a='x y'", "a", "x y" },
		{ "a=\"x y\"", "a", "x y" },
		{ "  a=\"1\"", "a", "1" },
		{ "\t \ta=1", "a", "1" },
		{ "a=1", "a", "1" },
		{ "a=", "a", "" },
		{ "a=\"\"", "a", "" },
		{ "a=''", "a", "" },
		{ "a=1 # comment", "a", "1" },
		{ "a=\"1\"# comment", "a", "1" },
		{ "a=\"1\"\t# comment", "a", "1" },
		{ "a=\"# not a comment\"", "a", "# not a comment" },
		{ "a=\"x\\\"y\"", "a", "x\"y" },
		{ "a=\"x\\\\y\"", "a", "x\\y" },
		{ "a=\"x\\$y\"", "a", "x$y" },
		{ "a='x\\y'", "a", "x\\y" },
		{ "a='it\"s'", "a", "it\"s" },
		{ "a=\"it's\"", "a", "it's" },
		{ "a=x\\ y", "a", "x y" },
		{ "a=\"b\"'c'd", "a", "bcd" },
		{ "a=\"1\"; b=\"2\"", "a", "1" },
		{ "a=1;b=2", "a", "1" },
		{ "a=\"$other\"", "a", "$other" },
		{ "a=\"unterminated", "a", "unterminated" },
		{ "_x=1", "_x", "1" },
		{ "A_1=yes", "A_1", "yes" },
		{ "ifconfig_em0=\"inet 10.0.0.2/24\"", "ifconfig_em0",
		    "inet 10.0.0.2/24" },
		{ "a=\"x\" trailing words", "a", "x" },
	};
	char *n, *v;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		n = v = NULL;
		if (rc_parse_line(cases[i].line, &n, &v) != 1) {
			ATF_CHECK_MSG(0, "not parsed: %s", cases[i].line);
			continue;
		}
		ATF_CHECK_MSG(strcmp(n, cases[i].name) == 0,
		    "%s: name '%s'", cases[i].line, n);
		ATF_CHECK_MSG(strcmp(v, cases[i].value) == 0,
		    "%s: value '%s', want '%s'", cases[i].line, v,
		    cases[i].value);
		free(n);
		free(v);
	}
}

ATF_TC_WITHOUT_HEAD(parse_non_assignments);
ATF_TC_BODY(parse_non_assignments, tc)
{
	static const char *const lines[] = {
		"", "   ", "\t", "# a=\"1\"", "#a=1", "  # a=1", "1a=1",
		"a =1", "a", "a+=1", "-a=1", ".a=1", "export a=1",
		"if [ -n \"$x\" ]; then", "fi", "$a=1", "a-b=1", "a.b=1",
		"=1", "\"a\"=1",
	};
	char *n, *v;
	size_t i;

	for (i = 0; i < nitems(lines); i++) {
		n = v = NULL;
		ATF_CHECK_MSG(rc_parse_line(lines[i], &n, &v) == 0,
		    "parsed as an assignment: '%s'", lines[i]);
		ATF_CHECK(n == NULL && v == NULL);
	}
}

/*
 * Inside double quotes sh(1) keeps a backslash unless it precedes $, `,
 * ", \ or a newline: a="C:\tmp" is C:\tmp to rc(8).
 */
ATF_TC_WITHOUT_HEAD(parse_backslash_sh);
ATF_TC_BODY(parse_backslash_sh, tc)
{
	char *n, *v;

	ATF_REQUIRE_EQ(rc_parse_line("a=\"C:\\tmp\"", &n, &v), 1);
	ATF_CHECK_STREQ(v, "C:\\tmp");
	free(n);
	free(v);
}

ATF_TC_WITHOUT_HEAD(get_values);
ATF_TC_BODY(get_values, tc)
{
	struct jailer j;
	char *v;

	memset(&j, 0, sizeof(j));
	atf_utils_create_file("rc.conf",
	    "# /etc/rc.conf\n"
	    "hostname=\"host.example.org\"\n"
	    "jail_enable=\"NO\"\n"
	    "jail_enabled=\"maybe\"\n"
	    "\n"
	    "  jail_enable=\"YES\"   # later wins\n"
	    "#jail_enable=\"COMMENTED\"\n"
	    "ajail_enable=\"other\"\n"
	    "last='no newline'");
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "jail_enable", &v), 1);
	ATF_CHECK_STREQ(v, "YES");
	free(v);
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "hostname", &v), 1);
	ATF_CHECK_STREQ(v, "host.example.org");
	free(v);
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "last", &v), 1);
	ATF_CHECK_STREQ(v, "no newline");
	free(v);
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "jail", &v), 0);
	ATF_CHECK(v == NULL);
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "unset_name", &v), 0);
	ATF_CHECK(v == NULL);

	/* A missing file is "not set", not an error. */
	ATF_CHECK_EQ(rc_get(&j, "missing.conf", "jail_enable", &v), 0);
	ATF_CHECK(v == NULL);

	/* A directory is an error. */
	ATF_REQUIRE(mkdir("dir", 0755) == 0);
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(rc_get(&j, "dir", "jail_enable", &v), -1);
	ATF_CHECK(v == NULL);
	ATF_CHECK(j.err[0] != '\0');

	/* An empty file. */
	atf_utils_create_file("empty", "%s", "");
	ATF_CHECK_EQ(rc_get(&j, "empty", "a", &v), 0);
}

ATF_TC_WITHOUT_HEAD(set_replace_last);
ATF_TC_BODY(set_replace_last, tc)
{
	static const char replaced[] =
	    "# header\n"
	    "b=\"x\"\n"
	    "a=\"3\"\n"
	    "#a=\"old\"\n"
	    "c='y'\n";
	struct jailer j;
	char *v;

	memset(&j, 0, sizeof(j));
	atf_utils_create_file("rc.conf",
	    "# header\n"
	    "b=\"x\"\n"
	    "  a=\"2\"\n"
	    "#a=\"old\"\n"
	    "c='y'\n");
	ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "a", "3"), 0);
	check_file("rc.conf", replaced);
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "a", &v), 1);
	ATF_CHECK_STREQ(v, "3");
	free(v);
	ATF_CHECK_EQ(dir_entries("."), 1);

	/* Setting the same value again changes nothing. */
	ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "a", "3"), 0);
	check_file("rc.conf", replaced);
	check_set(&j, "rc.conf", "b", "");
}

/*
 * Only the last assignment is replaced: earlier ones are left alone (they
 * may sit inside an if block, where removing them breaks the script).
 */
ATF_TC_WITHOUT_HEAD(set_keeps_earlier);
ATF_TC_BODY(set_keeps_earlier, tc)
{
	struct jailer j;

	memset(&j, 0, sizeof(j));
	atf_utils_create_file("rc.conf",
	    "if [ -f /etc/special ]; then\n"
	    "\ta=\"1\"\n"
	    "fi\n"
	    "a=\"2\"\n");
	check_set(&j, "rc.conf", "a", "3");
	check_file("rc.conf",
	    "if [ -f /etc/special ]; then\n"
	    "\ta=\"1\"\n"
	    "fi\n"
	    "a=\"3\"\n");
}

ATF_TC_WITHOUT_HEAD(set_append_create);
ATF_TC_BODY(set_append_create, tc)
{
	struct jailer j;
	struct stat sb;

	memset(&j, 0, sizeof(j));
	/* Created when missing. */
	ATF_REQUIRE_EQ(rc_set(&j, "new.conf", "jail_enable", "YES"), 0);
	check_file("new.conf", "jail_enable=\"YES\"\n");
	ATF_REQUIRE(stat("new.conf", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0644);

	/* Appended when not set, after a last line without a newline. */
	atf_utils_create_file("rc.conf", "b=\"x\"\n#a=\"1\"");
	ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "a", "v w"), 0);
	check_file("rc.conf", "b=\"x\"\n#a=\"1\"\na=\"v w\"\n");

	/* An empty file. */
	atf_utils_create_file("empty.conf", "%s", "");
	ATF_REQUIRE_EQ(rc_set(&j, "empty.conf", "a", "1"), 0);
	check_file("empty.conf", "a=\"1\"\n");

	/* Blank lines and other content survive. */
	atf_utils_create_file("blank.conf", "\n\nx=1\n\n");
	ATF_REQUIRE_EQ(rc_set(&j, "blank.conf", "a", "1"), 0);
	check_file("blank.conf", "\n\nx=1\n\na=\"1\"\n");

	/* A missing directory is an error. */
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(rc_set(&j, "nodir/rc.conf", "a", "1"), -1);
	ATF_CHECK(j.err[0] != '\0');
}

ATF_TC_WITHOUT_HEAD(set_remove);
ATF_TC_BODY(set_remove, tc)
{
	struct jailer j;
	char *v;

	memset(&j, 0, sizeof(j));
	atf_utils_create_file("rc.conf",
	    "a=\"1\"\n"
	    "b=\"x\"\n"
	    "  a='2'\n"
	    "# a=\"3\"\n"
	    "ab=\"4\"\n");
	ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "a", NULL), 0);
	check_file("rc.conf",
	    "b=\"x\"\n"
	    "# a=\"3\"\n"
	    "ab=\"4\"\n");
	ATF_CHECK_EQ(rc_get(&j, "rc.conf", "a", &v), 0);

	/* Removing what is not there changes nothing. */
	ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "zz", NULL), 0);
	check_file("rc.conf",
	    "b=\"x\"\n"
	    "# a=\"3\"\n"
	    "ab=\"4\"\n");
}

ATF_TC_WITHOUT_HEAD(set_remove_missing_file);
ATF_TC_BODY(set_remove_missing_file, tc)
{
	struct jailer j;

	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(rc_set(&j, "rc.conf.local", "a", NULL), 0);
	ATF_CHECK(access("rc.conf.local", F_OK) == -1);
}

ATF_TC_WITHOUT_HEAD(set_keeps_mode);
ATF_TC_BODY(set_keeps_mode, tc)
{
	struct jailer j;
	struct stat sb;

	memset(&j, 0, sizeof(j));
	atf_utils_create_file("rc.conf", "a=\"1\"\n");
	ATF_REQUIRE(chmod("rc.conf", 0600) == 0);
	ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "a", "2"), 0);
	ATF_REQUIRE(stat("rc.conf", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0600);
}

ATF_TC_WITHOUT_HEAD(set_refuses_unsafe);
ATF_TC_BODY(set_refuses_unsafe, tc)
{
	static const char *const bad[] = {
		"a\"b", "$x", "$(id)", "`id`", "a\nb", "a\\b", "\r", "\x7f",
		"a\tb",
	};
	struct jailer j;
	size_t i;

	atf_utils_create_file("rc.conf", "a=\"1\"\n");
	for (i = 0; i < nitems(bad); i++) {
		memset(&j, 0, sizeof(j));
		ATF_CHECK_MSG(rc_set(&j, "rc.conf", "a", bad[i]) == -1,
		    "accepted '%s'", vis(bad[i]));
		ATF_CHECK(j.err[0] != '\0');
		ATF_CHECK(strchr(j.err, '\n') == NULL);
		/* Missing files are not created either. */
		ATF_CHECK(rc_set(&j, "other.conf", "a", bad[i]) == -1);
	}
	check_file("rc.conf", "a=\"1\"\n");
	ATF_CHECK(access("other.conf", F_OK) == -1);
	ATF_CHECK_EQ(dir_entries("."), 1);
}

/* The file is never written through a symlink. */
ATF_TC_WITHOUT_HEAD(set_symlink);
ATF_TC_BODY(set_symlink, tc)
{
	struct jailer j;

	memset(&j, 0, sizeof(j));
	atf_utils_create_file("target", "a=\"1\"\n");
	ATF_REQUIRE(symlink("target", "rc.conf") == 0);
	ATF_CHECK_EQ(rc_set(&j, "rc.conf", "a", "2"), -1);
	ATF_CHECK(j.err[0] != '\0');
	check_file("target", "a=\"1\"\n");
}

ATF_TC_WITHOUT_HEAD(value_ok);
ATF_TC_BODY(value_ok, tc)
{
	static const struct {
		const char	*v;
		int		 ok;
	} cases[] = {
		{ "", 1 }, { "YES", 1 }, { "zfs:zroot/jails", 1 },
		{ "inet 10.0.0.2/24 up", 1 }, { "it's", 1 }, { "#x", 1 },
		{ "a;b", 1 }, { "j\xc3\xa4il", 1 },
		{ "\"", 0 }, { "$", 0 }, { "`", 0 }, { "\\", 0 },
		{ "\n", 0 }, { "\t", 0 }, { "\r", 0 }, { "\x01", 0 },
		{ "\x7f", 0 }, { "ok$", 0 },
	};
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		ATF_CHECK_MSG(rc_value_ok(cases[i].v) == cases[i].ok,
		    "rc_value_ok('%s') != %d", vis(cases[i].v), cases[i].ok);
}

/* What rc_set writes, rc_get and sh(1) read back the same. */
ATF_TC_WITHOUT_HEAD(roundtrip_sh);
ATF_TC_BODY(roundtrip_sh, tc)
{
	static const char *const vals[] = {
		"", "YES", "a b  c", "it's", "#x", "a;b", "~", "*", "{a,b}",
		"j\xc3\xa4il",
	};
	struct jailer j;
	char *v, out[128];
	size_t i, n;
	FILE *fp;

	memset(&j, 0, sizeof(j));
	for (i = 0; i < nitems(vals); i++) {
		ATF_REQUIRE_EQ(rc_set(&j, "rc.conf", "x", vals[i]), 0);
		ATF_REQUIRE_EQ(rc_get(&j, "rc.conf", "x", &v), 1);
		ATF_CHECK_STREQ(v, vals[i]);
		free(v);
		ATF_REQUIRE((fp = popen(". ./rc.conf && printf %s \"$x\"",
		    "r")) != NULL);
		n = fread(out, 1, sizeof(out) - 1, fp);
		out[n] = '\0';
		ATF_CHECK_EQ(pclose(fp), 0);
		ATF_CHECK_MSG(strcmp(out, vals[i]) == 0, "sh read '%s' as '%s'",
		    vals[i], out);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, parse_assignments);
	ATF_TP_ADD_TC(tp, parse_non_assignments);
	ATF_TP_ADD_TC(tp, parse_backslash_sh);
	ATF_TP_ADD_TC(tp, get_values);
	ATF_TP_ADD_TC(tp, set_replace_last);
	ATF_TP_ADD_TC(tp, set_keeps_earlier);
	ATF_TP_ADD_TC(tp, set_append_create);
	ATF_TP_ADD_TC(tp, set_remove);
	ATF_TP_ADD_TC(tp, set_remove_missing_file);
	ATF_TP_ADD_TC(tp, set_keeps_mode);
	ATF_TP_ADD_TC(tp, set_refuses_unsafe);
	ATF_TP_ADD_TC(tp, set_symlink);
	ATF_TP_ADD_TC(tp, value_ok);
	ATF_TP_ADD_TC(tp, roundtrip_sh);
	return (atf_no_error());
}
