/*
 * Unit tests for confedit.c: changing one jail's conf file in place,
 * byte for byte outside the statements changed.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "confedit.h"
#include "undo.h"
#include "unit.h"

#define	HOOKS \
	"  exec.poststart += \"" JAILER_BIN " hook start ${name}\";\n" \
	"  exec.poststop  += \"" JAILER_BIN " hook stop ${name}\";\n"

static const char base[] =
    "# The jail www0, written by jailer(8).\n"
    "www0 {\n"
    "  $id             = \"1\";\n"
    "  path            = \"/usr/local/jails/www0\";\n"
    "  # an administrator's comment\n"
    "  allow.raw_sockets; enforce_statfs = 1;\n"
    "  persist;\n"
    HOOKS
    "}\n";

static struct jailer J;

/* A host root in the test's work directory with www0's conf file. */
static void
setup(const char *text)
{
	char cwd[1024];
	FILE *fp;

	memset(&J, 0, sizeof(J));
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(setenv("JAILER_ROOT", cwd, 1) == 0);
	ATF_REQUIRE(host_root_init(&J) == 0);
	ATF_REQUIRE(mkdir("etc", 0755) == 0);
	ATF_REQUIRE(mkdir("etc/jail.conf.d", 0755) == 0);
	ATF_REQUIRE((fp = fopen("etc/jail.conf.d/www0.conf", "w")) != NULL);
	fputs(text, fp);
	fclose(fp);
}

static void
expect_text(const struct confedit *e, const char *want)
{
	char *got;

	got = confedit_text(e);
	ATF_CHECK_MSG(strcmp(got, want) == 0, "got:\n%s\nwant:\n%s", got,
	    want);
	free(got);
}

ATF_TC_WITHOUT_HEAD(unchanged);
ATF_TC_BODY(unchanged, tc)
{
	struct confedit e;

	setup(base);
	ATF_REQUIRE_MSG(confedit_open(&J, "www0", &e) == 0, "%s", J.err);
	expect_text(&e, base);
	ATF_CHECK(!confedit_changed(&e));
	confedit_free(&e);
}

ATF_TC_WITHOUT_HEAD(set_new_before_hooks);
ATF_TC_BODY(set_new_before_hooks, tc)
{
	const char *v[] = { "3" };
	struct confedit e;

	setup(base);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	confedit_set(&e, "children.max", v, 1);
	confedit_set(&e, "allow.mlock", NULL, 0);
	expect_text(&e,
	    "# The jail www0, written by jailer(8).\n"
	    "www0 {\n"
	    "  $id             = \"1\";\n"
	    "  path            = \"/usr/local/jails/www0\";\n"
	    "  # an administrator's comment\n"
	    "  allow.raw_sockets; enforce_statfs = 1;\n"
	    "  persist;\n"
	    "  children.max    = \"3\";\n"
	    "  allow.mlock;\n"
	    HOOKS
	    "}\n");
	confedit_free(&e);
}

ATF_TC_WITHOUT_HEAD(set_replaces_in_place);
ATF_TC_BODY(set_replaces_in_place, tc)
{
	const char *v[] = { "/jails/w", "a\"b$c" };
	struct confedit e;

	setup(base);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	confedit_set(&e, "path", v, 2);
	expect_text(&e,
	    "# The jail www0, written by jailer(8).\n"
	    "www0 {\n"
	    "  $id             = \"1\";\n"
	    "  path            = \"/jails/w\", \"a\\\"b\\$c\";\n"
	    "  # an administrator's comment\n"
	    "  allow.raw_sockets; enforce_statfs = 1;\n"
	    "  persist;\n"
	    HOOKS
	    "}\n");
	confedit_free(&e);
}

/* Two statements on one line: removing one keeps the other. */
ATF_TC_WITHOUT_HEAD(del_shared_line);
ATF_TC_BODY(del_shared_line, tc)
{
	struct confedit e;

	setup(base);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	ATF_CHECK_EQ(confedit_del(&e, "enforce_statfs"), 1);
	ATF_CHECK_EQ(confedit_del(&e, "persist"), 1);
	ATF_CHECK_EQ(confedit_del(&e, "nosuch"), 0);
	expect_text(&e,
	    "# The jail www0, written by jailer(8).\n"
	    "www0 {\n"
	    "  $id             = \"1\";\n"
	    "  path            = \"/usr/local/jails/www0\";\n"
	    "  # an administrator's comment\n"
	    "  allow.raw_sockets;\n"
	    HOOKS
	    "}\n");
	confedit_free(&e);
}

static int
is_rctl(const struct conf_stmt *st, void *arg)
{
	(void)arg;
	return (st->nvals == 1 && strncmp(st->vals[0], "rctl ", 5) == 0);
}

/* Appended lines go before the hooks; a matcher removes only its own. */
ATF_TC_WITHOUT_HEAD(append_and_match);
ATF_TC_BODY(append_and_match, tc)
{
	struct confedit e;
	char *t;

	setup(base);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	confedit_append(&e, "exec.created",
	    "rctl -a jail:${name}:maxproc:deny=9");
	ATF_REQUIRE(confedit_commit(&J, NULL, &e) == 0);
	confedit_free(&e);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	t = confedit_text(&e);
	ATF_CHECK(strstr(t, "  persist;\n  exec.created   += \"rctl -a "
	    "jail:${name}:maxproc:deny=9\";\n  exec.poststart") != NULL);
	free(t);
	ATF_CHECK_EQ(confedit_del_match(&e, "exec.created", is_rctl, NULL,
	    NULL), 1);
	ATF_CHECK_EQ(confedit_del_match(&e, "exec.poststart", is_rctl, NULL,
	    NULL), 0);
	expect_text(&e, base);
	confedit_free(&e);
}

ATF_TC_WITHOUT_HEAD(diff_lines);
ATF_TC_BODY(diff_lines, tc)
{
	const char *v[] = { "2" };
	struct confedit e;
	struct buf b;

	setup(base);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	confedit_set(&e, "enforce_statfs", v, 1);
	buf_init(&b);
	confedit_diff(&e, &b);
	ATF_CHECK_STREQ(b.data, "- enforce_statfs = 1;\n"
	    "+ enforce_statfs  = \"2\";\n");
	buf_free(&b);
	confedit_free(&e);
}

/* A file defining more than its jail is not edited. */
ATF_TC_WITHOUT_HEAD(refuses_foreign);
ATF_TC_BODY(refuses_foreign, tc)
{
	struct confedit e;

	setup("persist;\nwww0 {\n  path = \"/j\";\n}\n");
	ATF_CHECK_EQ(confedit_open(&J, "www0", &e), -1);
	ATF_CHECK(strstr(J.err, "must define the jail www0") != NULL);
}

/* The commit writes atomically, keeps the mode, and undo restores. */
ATF_TC_WITHOUT_HEAD(commit_and_undo);
ATF_TC_BODY(commit_and_undo, tc)
{
	struct confedit e;
	struct undo u;
	struct stat sb;
	struct buf b;

	setup(base);
	ATF_REQUIRE(chmod("etc/jail.conf.d/www0.conf", 0640) == 0);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	confedit_del(&e, "persist");
	undo_init(&u);
	ATF_REQUIRE_MSG(confedit_commit(&J, &u, &e) == 0, "%s", J.err);
	confedit_free(&e);
	ATF_REQUIRE(stat("etc/jail.conf.d/www0.conf", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0640);
	buf_init(&b);
	ATF_REQUIRE(file_read(&J, "etc/jail.conf.d/www0.conf", &b) == 0);
	ATF_CHECK(strstr(b.data, "persist") == NULL);
	ATF_REQUIRE(undo_run(&J, &u) == 0);
	buf_reset(&b);
	ATF_REQUIRE(file_read(&J, "etc/jail.conf.d/www0.conf", &b) == 0);
	ATF_CHECK_STREQ(b.data, base);
	buf_free(&b);
	ATF_CHECK_EQ(dir_entries("etc/jail.conf.d"), 1);
}

/* Dry run: checked, never written. */
ATF_TC_WITHOUT_HEAD(dryrun_writes_nothing);
ATF_TC_BODY(dryrun_writes_nothing, tc)
{
	struct confedit e;
	struct buf b;

	setup(base);
	ATF_REQUIRE(confedit_open(&J, "www0", &e) == 0);
	confedit_del(&e, "persist");
	J.dryrun = 1;
	ATF_REQUIRE(confedit_commit(&J, NULL, &e) == 0);
	confedit_free(&e);
	buf_init(&b);
	ATF_REQUIRE(file_read(&J, "etc/jail.conf.d/www0.conf", &b) == 0);
	ATF_CHECK_STREQ(b.data, base);
	buf_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, unchanged);
	ATF_TP_ADD_TC(tp, set_new_before_hooks);
	ATF_TP_ADD_TC(tp, set_replaces_in_place);
	ATF_TP_ADD_TC(tp, del_shared_line);
	ATF_TP_ADD_TC(tp, append_and_match);
	ATF_TP_ADD_TC(tp, diff_lines);
	ATF_TP_ADD_TC(tp, refuses_foreign);
	ATF_TP_ADD_TC(tp, commit_and_undo);
	ATF_TP_ADD_TC(tp, dryrun_writes_nothing);
	return (atf_no_error());
}
