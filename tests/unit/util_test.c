/*
 * Unit tests for util.c (memory, buffers, lines, quoting, files, host
 * paths) and undo.c (the undo stack's file steps).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "jailer.h"
#include "undo.h"
#include "unit.h"

/* Read a whole file with stdio; caller frees. */
static char *
slurp(const char *path, size_t *lenp)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp;

	ATF_REQUIRE_MSG((fp = fopen(path, "r")) != NULL, "%s: %s", path,
	    strerror(errno));
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	if (lenp != NULL)
		*lenp = b.len;
	return (buf_steal(&b));
}

static mode_t
file_mode(const char *path)
{
	struct stat sb;

	ATF_REQUIRE_MSG(lstat(path, &sb) == 0, "%s: %s", path,
	    strerror(errno));
	return (sb.st_mode);
}

/* ---- memory and buffers ---- */

ATF_TC_WITHOUT_HEAD(xalloc);
ATF_TC_BODY(xalloc, tc)
{
	char *s, *p;

	s = xstrdup("hello");
	ATF_CHECK_STREQ(s, "hello");
	free(s);
	s = xstrndup("hello world", 5);
	ATF_CHECK_STREQ(s, "hello");
	free(s);
	s = xstrndup("", 0);
	ATF_CHECK_STREQ(s, "");
	free(s);
	s = xasprintf("%s-%d-%c", "a", 42, 'z');
	ATF_CHECK_STREQ(s, "a-42-z");
	free(s);
	s = xasprintf("%s", "");
	ATF_CHECK_STREQ(s, "");
	free(s);
	p = xmalloc(300);
	memset(p, 'x', 299);
	p[299] = '\0';
	s = xasprintf("[%s]", p);
	ATF_CHECK_EQ(strlen(s), 301);
	ATF_CHECK(s[0] == '[' && s[300] == ']');
	free(s);
	free(p);
	p = xcalloc(10, 4);
	for (int i = 0; i < 40; i++)
		ATF_CHECK_EQ(p[i], 0);
	p = xrealloc(p, 4000);
	free(p);
	/* Zero sizes still give usable pointers. */
	p = xmalloc(0);
	ATF_CHECK(p != NULL);
	free(p);
	p = xcalloc(0, 0);
	ATF_CHECK(p != NULL);
	free(p);
}

ATF_TC_WITHOUT_HEAD(buf_basic);
ATF_TC_BODY(buf_basic, tc)
{
	struct buf b;
	char *s;
	size_t i;

	buf_init(&b);
	ATF_CHECK_EQ(b.len, 0);
	ATF_CHECK_STREQ(b.data, "");
	buf_adds(&b, "abc");
	buf_addc(&b, 'd');
	buf_add(&b, "efgh", 2);
	buf_addf(&b, "%d/%s", 7, "x");
	ATF_CHECK_STREQ(b.data, "abcdef7/x");
	ATF_CHECK_EQ(b.len, 9);
	buf_add(&b, "", 0);
	ATF_CHECK_EQ(b.len, 9);

	/* Growth well past the initial capacity keeps data and the NUL. */
	buf_reset(&b);
	ATF_CHECK_EQ(b.len, 0);
	ATF_CHECK_STREQ(b.data, "");
	for (i = 0; i < 10000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	ATF_CHECK_EQ(b.len, 10000);
	ATF_CHECK_EQ(strlen(b.data), 10000);
	ATF_CHECK(b.cap > b.len);
	for (i = 0; i < 10000; i++)
		if (b.data[i] != (char)('a' + i % 26)) {
			ATF_CHECK_MSG(0, "byte %zu wrong", i);
			break;
		}

	/* A formatted append larger than the whole buffer. */
	buf_reset(&b);
	buf_adds(&b, "<");
	buf_addf(&b, "%0500d", 1);
	buf_addf(&b, "%s", "");
	buf_adds(&b, ">");
	ATF_CHECK_EQ(b.len, 502);
	ATF_CHECK_EQ(strlen(b.data), 502);
	ATF_CHECK(b.data[0] == '<' && b.data[499] == '0' &&
	    b.data[500] == '1' && b.data[501] == '>');

	/* Binary data keeps its length. */
	buf_reset(&b);
	buf_add(&b, "a\0b", 3);
	ATF_CHECK_EQ(b.len, 3);
	ATF_CHECK(memcmp(b.data, "a\0b", 4) == 0);

	s = buf_steal(&b);
	ATF_CHECK(b.data == NULL);
	ATF_CHECK_EQ(b.len, 0);
	ATF_CHECK_EQ(b.cap, 0);
	free(s);
	buf_free(&b);	/* after steal: harmless */

	buf_init(&b);
	buf_adds(&b, "x");
	buf_free(&b);
	ATF_CHECK(b.data == NULL);
	ATF_CHECK_EQ(b.len, 0);
}

/* Collect the lines of text (len bytes) joined with '|'. */
static char *
lines_of(const char *text, size_t len)
{
	struct buf b, out;
	char *line;
	size_t pos;

	buf_init(&b);
	buf_add(&b, text, len);
	buf_init(&out);
	pos = 0;
	while ((line = buf_nextline(&b, &pos)) != NULL) {
		ATF_CHECK(pos <= b.len);
		if (out.len > 0 || pos > 0)
			buf_addc(&out, '|');
		buf_adds(&out, line);
	}
	/* Exhausted stays exhausted. */
	ATF_CHECK(buf_nextline(&b, &pos) == NULL);
	buf_free(&b);
	return (buf_steal(&out));
}

ATF_TC_WITHOUT_HEAD(nextline);
ATF_TC_BODY(nextline, tc)
{
	static const struct {
		const char	*text;
		size_t		 len;
		const char	*want;	/* each line preceded by '|' */
	} cases[] = {
		{ "", 0, "" },
		{ "a\nb\n", 4, "|a|b" },
		{ "a\nb", 3, "|a|b" },
		{ "one", 3, "|one" },
		{ "\n", 1, "|" },
		{ "\n\n", 2, "||" },
		{ "a\n\nb\n", 5, "|a||b" },
		{ "a\n\n", 3, "|a|" },
		{ "  x  \r\n", 7, "|  x  \r" },
		/* An embedded NUL ends the data. */
		{ "a\0b\nc\n", 6, "|a" },
		{ "a\nb\0c\nd", 7, "|a|b" },
		{ "\0x\n", 3, "|" },
	};
	char *got;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		got = lines_of(cases[i].text, cases[i].len);
		ATF_CHECK_MSG(strcmp(got, cases[i].want) == 0,
		    "case %zu: got '%s', want '%s'", i, got, cases[i].want);
		free(got);
	}
}

/* A line is NUL-terminated in place and pos lands after the newline. */
ATF_TC_WITHOUT_HEAD(nextline_pos);
ATF_TC_BODY(nextline_pos, tc)
{
	struct buf b;
	size_t pos;
	char *l;

	buf_init(&b);
	buf_adds(&b, "ab\ncd");
	pos = 0;
	l = buf_nextline(&b, &pos);
	ATF_REQUIRE(l == b.data);
	ATF_CHECK_STREQ(l, "ab");
	ATF_CHECK_EQ(pos, 3);
	l = buf_nextline(&b, &pos);
	ATF_REQUIRE(l == b.data + 3);
	ATF_CHECK_STREQ(l, "cd");
	ATF_CHECK_EQ(pos, 5);
	ATF_CHECK(buf_nextline(&b, &pos) == NULL);
	buf_free(&b);
}

ATF_TC_WITHOUT_HEAD(trim_prefix);
ATF_TC_BODY(trim_prefix, tc)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" }, { "x", "x" }, { "  x", "x" }, { "x  ", "x" },
		{ " \t\r\n x y \r\n\t ", "x y" }, { "   ", "" },
		{ "\n", "" }, { "a\vb", "a\vb" }, { " a  b ", "a  b" },
	};
	char tmp[64];
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		snprintf(tmp, sizeof(tmp), "%s", cases[i].in);
		ATF_CHECK_MSG(strcmp(str_trim(tmp), cases[i].want) == 0,
		    "str_trim case %zu", i);
	}
	ATF_CHECK(str_has_prefix("zroot/jails", "zroot/"));
	ATF_CHECK(str_has_prefix("abc", ""));
	ATF_CHECK(str_has_prefix("abc", "abc"));
	ATF_CHECK(!str_has_prefix("ab", "abc"));
	ATF_CHECK(!str_has_prefix("xabc", "abc"));
}

/* ---- quoting ---- */

/* fn appends: pre in the buffer, then fn(in), makes want. */
static void
check_appends(void (*fn)(struct buf *, const char *), const char *pre,
    const char *in, const char *want)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, pre);
	fn(&b, in);
	ATF_CHECK_STREQ(b.data, want);
	buf_free(&b);
}

static char *
quoted(const char *s)
{
	struct buf b;

	buf_init(&b);
	shell_quote(&b, s);
	return (buf_steal(&b));
}

ATF_TC_WITHOUT_HEAD(shell_quote_plain);
ATF_TC_BODY(shell_quote_plain, tc)
{
	static const char *const plain[] = {
		"zfs", "zroot/jails/www0@base", "-o", "jailer:managed=yes",
		"/usr/local/jails", "10.0.0.1/24", "a,b", "x+y", "100%",
		"--", "file.txt", "A_Z",
	};
	static const struct {
		const char *in, *want;
	} quoted_cases[] = {
		{ "", "''" }, { "a b", "'a b'" }, { "it's", "'it'\\''s'" },
		{ "$HOME", "'$HOME'" }, { "a;b", "'a;b'" }, { "~", "'~'" },
		{ "*", "'*'" }, { "a\"b", "'a\"b'" },
	};
	char *q;
	size_t i;

	for (i = 0; i < nitems(plain); i++) {
		q = quoted(plain[i]);
		ATF_CHECK_MSG(strcmp(q, plain[i]) == 0, "'%s' quoted as %s",
		    plain[i], q);
		free(q);
	}
	for (i = 0; i < nitems(quoted_cases); i++) {
		q = quoted(quoted_cases[i].in);
		ATF_CHECK_MSG(strcmp(q, quoted_cases[i].want) == 0,
		    "'%s' quoted as %s, want %s", quoted_cases[i].in, q,
		    quoted_cases[i].want);
		free(q);
	}
	/* Appends, never replaces. */
	check_appends(shell_quote, "echo ", "a b", "echo 'a b'");
}

/* What sh(1) makes of the quoted word must be the original string. */
ATF_TC_WITHOUT_HEAD(shell_quote_roundtrip);
ATF_TC_BODY(shell_quote_roundtrip, tc)
{
	static const char *const words[] = {
		"plain", "", " ", "a b", "it's", "'", "''", "'a'", "\"",
		"\"'\"", "$HOME", "${PATH}", "$(id)", "`id`", "a\nb", "\n",
		"\t", "*", "?", "[a]", "~", "~root", "a\\b", "\\", "\\'",
		"-n", "-e", "%s", "%d%%", "a;b", "a&b", "a|b", "a>b", "a<b",
		"(x)", "{x,y}", "!x", "#x", "x=y", "a=$b", "j\xc3\xa4il",
		"\x01\x1b[0m", "end\\",
	};
	struct buf cmd;
	char out[256];
	size_t i, n;
	FILE *fp;

	buf_init(&cmd);
	for (i = 0; i < nitems(words); i++) {
		buf_reset(&cmd);
		buf_adds(&cmd, "printf %s ");
		shell_quote(&cmd, words[i]);
		ATF_REQUIRE((fp = popen(cmd.data, "r")) != NULL);
		n = fread(out, 1, sizeof(out) - 1, fp);
		out[n] = '\0';
		ATF_CHECK_MSG(pclose(fp) == 0, "sh failed on: %s", cmd.data);
		ATF_CHECK_MSG(n == strlen(words[i]) &&
		    memcmp(out, words[i], n) == 0,
		    "round trip of [%s] through [%s] gave [%s]", words[i],
		    cmd.data, out);
	}
	buf_free(&cmd);
}

ATF_TC_WITHOUT_HEAD(json_quote_escapes);
ATF_TC_BODY(json_quote_escapes, tc)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "\\\"", "\"\\\\\\\"\"" },
		{ "a\nb\tc\rd", "\"a\\nb\\tc\\rd\"" },
		{ "\x01", "\"\\u0001\"" },
		{ "\b\f", "\"\\u0008\\u000c\"" },
		{ "\x1f", "\"\\u001f\"" },
		{ "\x7f", "\"\\u007f\"" },
		{ "\x1b[31m", "\"\\u001b[31m\"" },
		{ "/", "\"/\"" },
		{ "j\xc3\xa4il", "\"j\xc3\xa4il\"" },
		{ "</script>", "\"</script>\"" },
	};
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&b);
		json_quote(&b, cases[i].in);
		ATF_CHECK_MSG(strcmp(b.data, cases[i].want) == 0,
		    "json_quote case %zu: got %s want %s", i, b.data,
		    cases[i].want);
	}
	buf_free(&b);
	/* Appends. */
	check_appends(json_quote, "{\"k\":", "v", "{\"k\":\"v\"");
}

/* ---- files ---- */

ATF_TC_WITHOUT_HEAD(write_atomic);
ATF_TC_BODY(write_atomic, tc)
{
	struct jailer j;
	char *got;
	size_t len;

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE(mkdir("d", 0755) == 0);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "d/f", "hello\n", 6, 0644), 0);
	got = slurp("d/f", &len);
	ATF_CHECK_EQ(len, 6);
	ATF_CHECK_STREQ(got, "hello\n");
	free(got);
	ATF_CHECK_EQ(file_mode("d/f") & 07777, 0644);
	ATF_CHECK_EQ(dir_entries("d"), 1);

	/* Replacing: new content and the new mode, whatever the umask. */
	umask(077);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "d/f", "x", 1, 0640), 0);
	got = slurp("d/f", &len);
	ATF_CHECK_EQ(len, 1);
	ATF_CHECK_STREQ(got, "x");
	free(got);
	ATF_CHECK_EQ(file_mode("d/f") & 07777, 0640);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "d/g", "", 0, 0755), 0);
	ATF_CHECK_EQ(file_mode("d/g") & 07777, 0755);
	got = slurp("d/g", &len);
	ATF_CHECK_EQ(len, 0);
	free(got);
	ATF_CHECK_EQ(dir_entries("d"), 2);
}

ATF_TC_WITHOUT_HEAD(write_atomic_binary_large);
ATF_TC_BODY(write_atomic_binary_large, tc)
{
	struct jailer j;
	char *data, *got;
	size_t i, len, n = 3 * 1024 * 1024 + 7;

	memset(&j, 0, sizeof(j));
	data = xmalloc(n);
	for (i = 0; i < n; i++)
		data[i] = (char)(i * 7 % 256);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "big", data, n, 0600), 0);
	got = slurp("big", &len);
	ATF_CHECK_EQ(len, n);
	ATF_CHECK(len == n && memcmp(got, data, n) == 0);
	free(got);
	free(data);
}

/* A symlink at the path is replaced by the file; its target is untouched. */
ATF_TC_WITHOUT_HEAD(write_atomic_symlink);
ATF_TC_BODY(write_atomic_symlink, tc)
{
	struct jailer j;
	char *got;

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE(mkdir("d", 0755) == 0);
	atf_utils_create_file("target", "precious\n");
	ATF_REQUIRE(symlink("../target", "d/link") == 0);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "d/link", "new\n", 4, 0644), 0);
	ATF_CHECK(S_ISREG(file_mode("d/link")));
	got = slurp("d/link", NULL);
	ATF_CHECK_STREQ(got, "new\n");
	free(got);
	got = slurp("target", NULL);
	ATF_CHECK_STREQ(got, "precious\n");
	free(got);
	ATF_CHECK_EQ(dir_entries("d"), 1);

	/* A dangling symlink is not followed either. */
	ATF_REQUIRE(symlink("../created-by-follow", "d/dangling") == 0);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "d/dangling", "z", 1, 0644), 0);
	ATF_CHECK(S_ISREG(file_mode("d/dangling")));
	ATF_CHECK(!file_exists("created-by-follow"));
}

ATF_TC_WITHOUT_HEAD(write_atomic_fail);
ATF_TC_BODY(write_atomic_fail, tc)
{
	struct jailer j;

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE(mkdir("d", 0755) == 0);
	/* A missing directory. */
	ATF_CHECK_EQ(file_write_atomic(&j, "d/missing/f", "x", 1, 0644), -1);
	ATF_CHECK_MSG(strstr(j.err, "d/missing/f") != NULL, "err: %s", j.err);
	ATF_CHECK(strchr(j.err, '\n') == NULL);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_EQ(dir_entries("d"), 0);

	/* A directory in the way: rename fails, the temporary file goes. */
	ATF_REQUIRE(mkdir("d/sub", 0755) == 0);
	atf_utils_create_file("d/sub/keep", "k");
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(file_write_atomic(&j, "d/sub", "x", 1, 0644), -1);
	ATF_CHECK_MSG(strstr(j.err, "d/sub") != NULL, "err: %s", j.err);
	ATF_CHECK_EQ(dir_entries("d"), 1);
	ATF_CHECK_EQ(dir_entries("d/sub"), 1);
	ATF_CHECK(S_ISDIR(file_mode("d/sub")));
}

ATF_TC_WITHOUT_HEAD(read_file);
ATF_TC_BODY(read_file, tc)
{
	struct jailer j;
	struct buf b;

	memset(&j, 0, sizeof(j));
	buf_init(&b);
	buf_adds(&b, "stale");
	ATF_REQUIRE_EQ(file_write_atomic(&j, "f", "a\0b\n", 4, 0644), 0);
	ATF_REQUIRE_EQ(file_read(&j, "f", &b), 0);
	ATF_CHECK_EQ(b.len, 4);
	ATF_CHECK(memcmp(b.data, "a\0b\n", 5) == 0);

	ATF_CHECK_EQ(file_read(&j, "missing", &b), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK(strstr(j.err, "missing") != NULL);

	/* The last component must not be a symlink. */
	ATF_REQUIRE(symlink("f", "l") == 0);
	ATF_CHECK_EQ(file_read(&j, "l", &b), -1);
	buf_free(&b);

	ATF_CHECK(file_exists("f"));
	ATF_CHECK(file_exists("l"));
	ATF_CHECK(!file_exists("missing"));
	ATF_CHECK(!dir_exists("f"));
	ATF_CHECK(dir_exists("."));
	ATF_REQUIRE(symlink("nowhere", "dangling") == 0);
	ATF_CHECK(file_exists("dangling"));
}

ATF_TC_WITHOUT_HEAD(mkdir_p_created);
ATF_TC_BODY(mkdir_p_created, tc)
{
	struct jailer j;
	int created;

	memset(&j, 0, sizeof(j));
	umask(022);
	created = -1;
	ATF_REQUIRE_EQ(mkdir_p(&j, "a/b/c", 0700, &created), 0);
	ATF_CHECK_EQ(created, 1);
	ATF_CHECK(dir_exists("a/b/c"));
	ATF_CHECK_EQ(file_mode("a/b/c") & 0777, 0700);
	ATF_CHECK_EQ(file_mode("a/b") & 0777, 0755);

	created = -1;
	ATF_REQUIRE_EQ(mkdir_p(&j, "a/b/c", 0700, &created), 0);
	ATF_CHECK_EQ(created, 0);
	created = -1;
	ATF_REQUIRE_EQ(mkdir_p(&j, "a/b", 0700, &created), 0);
	ATF_CHECK_EQ(created, 0);
	created = -1;
	ATF_REQUIRE_EQ(mkdir_p(&j, "a/b/d", 0755, &created), 0);
	ATF_CHECK_EQ(created, 1);
	ATF_REQUIRE_EQ(mkdir_p(&j, "single", 0755, NULL), 0);
	ATF_CHECK(dir_exists("single"));

	/* Absolute paths. */
	{
		char cwd[PATH_MAX], *abs;

		ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
		abs = xasprintf("%s/x/y", cwd);
		created = -1;
		ATF_REQUIRE_EQ(mkdir_p(&j, abs, 0755, &created), 0);
		ATF_CHECK_EQ(created, 1);
		ATF_CHECK(dir_exists("x/y"));
		free(abs);
	}

	/* A file in the way. */
	atf_utils_create_file("file", "x");
	created = -1;
	ATF_CHECK_EQ(mkdir_p(&j, "file/sub", 0755, &created), -1);
	ATF_CHECK_EQ(created, 0);
	ATF_CHECK_MSG(strstr(j.err, "file") != NULL, "err: %s", j.err);
	ATF_CHECK(strchr(j.err, '\n') == NULL);
	ATF_CHECK_EQ(mkdir_p(&j, "file", 0755, &created), -1);
}

/* "a/b/" names the directory a/b: creating it is a creation. */
ATF_TC_WITHOUT_HEAD(mkdir_p_trailing_slash);
ATF_TC_BODY(mkdir_p_trailing_slash, tc)
{
	struct jailer j;
	int created;

	memset(&j, 0, sizeof(j));
	umask(022);
	created = -1;
	ATF_REQUIRE_EQ(mkdir_p(&j, "a/b/", 0700, &created), 0);
	ATF_CHECK(dir_exists("a/b"));
	ATF_CHECK_EQ(created, 1);
	ATF_CHECK_EQ(file_mode("a/b") & 0777, 0700);
}

/* ---- host root ---- */

/* With JAILER_ROOT as it is set now, the host root is "/". */
static void
check_root_is_slash(void)
{
	struct jailer j;
	char *p;

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE_EQ(host_root_init(&j), 0);
	ATF_CHECK_STREQ(host_root(), "/");
	p = host_path("/etc/rc.conf");
	ATF_CHECK_STREQ(p, "/etc/rc.conf");
	free(p);
}

ATF_TC_WITHOUT_HEAD(host_root_unset);
ATF_TC_BODY(host_root_unset, tc)
{
	unsetenv("JAILER_ROOT");
	check_root_is_slash();
	setenv("JAILER_ROOT", "", 1);
	check_root_is_slash();
	setenv("JAILER_ROOT", "/", 1);
	check_root_is_slash();
	setenv("JAILER_ROOT", "///", 1);
	check_root_is_slash();
}

ATF_TC_WITHOUT_HEAD(host_root_set);
ATF_TC_BODY(host_root_set, tc)
{
	struct jailer j;
	char cwd[PATH_MAX], *root, *want, *p;

	memset(&j, 0, sizeof(j));
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(mkdir("root", 0755) == 0);
	root = xasprintf("%s/root", cwd);
	setenv("JAILER_ROOT", root, 1);
	ATF_REQUIRE_EQ(host_root_init(&j), 0);
	ATF_CHECK_STREQ(host_root(), root);
	want = xasprintf("%s/etc/rc.conf", root);
	p = host_path("/etc/rc.conf");
	ATF_CHECK_STREQ(p, want);
	free(p);

	/* Trailing slashes do not double up. */
	free(root);
	root = xasprintf("%s/root//", cwd);
	setenv("JAILER_ROOT", root, 1);
	ATF_REQUIRE_EQ(host_root_init(&j), 0);
	p = host_path("/etc/rc.conf");
	ATF_CHECK_STREQ(p, want);
	free(p);
	ATF_CHECK(strcmp(host_root() + strlen(host_root()) - 5, "/root") == 0);
	free(want);
	free(root);
}

ATF_TC_WITHOUT_HEAD(host_root_bad);
ATF_TC_BODY(host_root_bad, tc)
{
	struct jailer j;
	char cwd[PATH_MAX], *p;

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(mkdir("root", 0755) == 0);
	atf_utils_create_file("plainfile", "x");

	memset(&j, 0, sizeof(j));
	setenv("JAILER_ROOT", "root", 1);	/* exists, but relative */
	ATF_CHECK_EQ(host_root_init(&j), -1);
	ATF_CHECK_MSG(strstr(j.err, "absolute") != NULL, "err: %s", j.err);
	ATF_CHECK(strstr(j.err, "JAILER_ROOT") != NULL);

	memset(&j, 0, sizeof(j));
	setenv("JAILER_ROOT", "/nonexistent/jailer-root", 1);
	ATF_CHECK_EQ(host_root_init(&j), -1);
	ATF_CHECK_MSG(strstr(j.err, "/nonexistent/jailer-root") != NULL,
	    "err: %s", j.err);

	memset(&j, 0, sizeof(j));
	p = xasprintf("%s/plainfile", cwd);
	setenv("JAILER_ROOT", p, 1);
	ATF_CHECK_EQ(host_root_init(&j), -1);
	ATF_CHECK(j.err[0] != '\0');
	free(p);

	/* Nothing was set: paths are the real ones. */
	p = host_path("/etc/rc.conf");
	ATF_CHECK_STREQ(p, "/etc/rc.conf");
	free(p);
}

/* ---- undo ---- */

ATF_TC_WITHOUT_HEAD(undo_restores_content);
ATF_TC_BODY(undo_restores_content, tc)
{
	struct jailer j;
	struct undo u;
	char *got;
	size_t len;

	memset(&j, 0, sizeof(j));
	undo_init(&u);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "rc.conf", "a=\"1\"\n\0x", 8,
	    0644), 0);
	ATF_REQUIRE_EQ(undo_save_file(&j, &u, "rc.conf"), 0);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "rc.conf", "changed\n", 8, 0644),
	    0);
	ATF_REQUIRE_EQ(undo_run(&j, &u), 0);
	got = slurp("rc.conf", &len);
	ATF_CHECK_EQ(len, 8);
	ATF_CHECK(memcmp(got, "a=\"1\"\n\0x", 8) == 0);
	free(got);
	ATF_CHECK_EQ(u.n, 0);
	ATF_CHECK_EQ(j.undoing, 0);

	/* A file that did not exist is removed again. */
	undo_init(&u);
	ATF_REQUIRE_EQ(undo_save_file(&j, &u, "new.conf"), 0);
	atf_utils_create_file("new.conf", "x\n");
	ATF_REQUIRE_EQ(undo_run(&j, &u), 0);
	ATF_CHECK(!file_exists("new.conf"));

	/* ... and its absence after all is fine too. */
	undo_init(&u);
	ATF_REQUIRE_EQ(undo_save_file(&j, &u, "never.conf"), 0);
	ATF_CHECK_EQ(undo_run(&j, &u), 0);

	/* A file that was deleted is put back. */
	undo_init(&u);
	ATF_REQUIRE_EQ(undo_save_file(&j, &u, "rc.conf"), 0);
	ATF_REQUIRE(unlink("rc.conf") == 0);
	ATF_REQUIRE_EQ(undo_run(&j, &u), 0);
	ATF_CHECK(file_exists("rc.conf"));
}

ATF_TC_WITHOUT_HEAD(undo_restores_mode);
ATF_TC_BODY(undo_restores_mode, tc)
{
	struct jailer j;
	struct undo u;

	memset(&j, 0, sizeof(j));
	undo_init(&u);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "secret.conf", "k=v\n", 4, 0600),
	    0);
	ATF_REQUIRE_EQ(undo_save_file(&j, &u, "secret.conf"), 0);
	ATF_REQUIRE_EQ(file_write_atomic(&j, "secret.conf", "x\n", 2, 0600),
	    0);
	ATF_REQUIRE_EQ(undo_run(&j, &u), 0);
	ATF_CHECK_EQ(file_mode("secret.conf") & 07777, 0600);
}

/* A symlink is not read through. */
ATF_TC_WITHOUT_HEAD(undo_save_symlink);
ATF_TC_BODY(undo_save_symlink, tc)
{
	struct jailer j;
	struct undo u;

	memset(&j, 0, sizeof(j));
	undo_init(&u);
	atf_utils_create_file("target", "t");
	ATF_REQUIRE(symlink("target", "link") == 0);
	ATF_CHECK_EQ(undo_save_file(&j, &u, "link"), -1);
	ATF_CHECK(j.err[0] != '\0');
	ATF_CHECK_EQ(u.n, 0);
	undo_commit(&u);
}

ATF_TC_WITHOUT_HEAD(undo_unlink_rmdir);
ATF_TC_BODY(undo_unlink_rmdir, tc)
{
	struct jailer j;
	struct undo u;

	memset(&j, 0, sizeof(j));
	undo_init(&u);
	/* Pushed in the order of creation, undone in reverse. */
	ATF_REQUIRE(mkdir("dir", 0755) == 0);
	undo_rmdir(&u, "dir");
	ATF_REQUIRE(mkdir("dir/sub", 0755) == 0);
	undo_rmdir(&u, "dir/sub");
	atf_utils_create_file("dir/sub/file", "x");
	undo_unlink(&u, "dir/sub/file");
	undo_unlink(&u, "dir/never-created");
	ATF_CHECK_EQ(u.n, 4);
	ATF_CHECK_EQ(undo_run(&j, &u), 0);
	ATF_CHECK(!file_exists("dir"));
	ATF_CHECK_EQ(u.n, 0);
	ATF_CHECK_STREQ(j.err, "");

	/* Things already gone count as undone. */
	undo_init(&u);
	undo_rmdir(&u, "gone-dir");
	undo_unlink(&u, "gone-file");
	ATF_CHECK_EQ(undo_run(&j, &u), 0);
}

/* The error that caused the undo stays; a failing step does not stop it. */
ATF_TC_WITHOUT_HEAD(undo_keeps_error);
ATF_TC_BODY(undo_keeps_error, tc)
{
	struct jailer j;
	struct undo u;

	memset(&j, 0, sizeof(j));
	undo_init(&u);
	atf_utils_create_file("a", "x");
	undo_unlink(&u, "a");
	ATF_REQUIRE(mkdir("full", 0755) == 0);
	atf_utils_create_file("full/keep", "x");
	undo_rmdir(&u, "full");		/* fails: not empty */
	atf_utils_create_file("b", "x");
	undo_unlink(&u, "b");
	jailer_seterr(&j, "zfs create zroot/x: out of space");
	ATF_CHECK_EQ(undo_run(&j, &u), -1);
	ATF_CHECK_STREQ(j.err, "zfs create zroot/x: out of space");
	ATF_CHECK(!file_exists("a"));
	ATF_CHECK(!file_exists("b"));
	ATF_CHECK(file_exists("full/keep"));
	ATF_CHECK_EQ(j.undoing, 0);
	ATF_CHECK_EQ(u.n, 0);
}

ATF_TC_WITHOUT_HEAD(undo_commit_keeps);
ATF_TC_BODY(undo_commit_keeps, tc)
{
	struct jailer j;
	struct undo u;

	memset(&j, 0, sizeof(j));
	undo_init(&u);
	atf_utils_create_file("a", "x");
	undo_unlink(&u, "a");
	ATF_REQUIRE_EQ(undo_save_file(&j, &u, "a"), 0);
	undo_commit(&u);
	ATF_CHECK_EQ(u.n, 0);
	ATF_CHECK(file_exists("a"));
	/* A committed, then reused stack works. */
	undo_unlink(&u, "a");
	ATF_CHECK_EQ(undo_run(&j, &u), 0);
	ATF_CHECK(!file_exists("a"));
	/* An empty stack is a no-op. */
	ATF_CHECK_EQ(undo_run(&j, &u), 0);
	undo_commit(&u);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, xalloc);
	ATF_TP_ADD_TC(tp, buf_basic);
	ATF_TP_ADD_TC(tp, nextline);
	ATF_TP_ADD_TC(tp, nextline_pos);
	ATF_TP_ADD_TC(tp, trim_prefix);
	ATF_TP_ADD_TC(tp, shell_quote_plain);
	ATF_TP_ADD_TC(tp, shell_quote_roundtrip);
	ATF_TP_ADD_TC(tp, json_quote_escapes);
	ATF_TP_ADD_TC(tp, write_atomic);
	ATF_TP_ADD_TC(tp, write_atomic_binary_large);
	ATF_TP_ADD_TC(tp, write_atomic_symlink);
	ATF_TP_ADD_TC(tp, write_atomic_fail);
	ATF_TP_ADD_TC(tp, read_file);
	ATF_TP_ADD_TC(tp, mkdir_p_created);
	ATF_TP_ADD_TC(tp, mkdir_p_trailing_slash);
	ATF_TP_ADD_TC(tp, host_root_unset);
	ATF_TP_ADD_TC(tp, host_root_set);
	ATF_TP_ADD_TC(tp, host_root_bad);
	ATF_TP_ADD_TC(tp, undo_restores_content);
	ATF_TP_ADD_TC(tp, undo_restores_mode);
	ATF_TP_ADD_TC(tp, undo_save_symlink);
	ATF_TP_ADD_TC(tp, undo_unlink_rmdir);
	ATF_TP_ADD_TC(tp, undo_keeps_error);
	ATF_TP_ADD_TC(tp, undo_commit_keeps);
	return (atf_no_error());
}
