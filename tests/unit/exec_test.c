/*
 * Unit tests for exec.c, the seam every external program goes through:
 * capture, exit status and error text, stdin feeding, pipes, dry-run,
 * verbose echo and interruption.  The programs are /bin/sh scripts.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "exec.h"
#include "validate.h"

static struct jailer j;

/* A fresh handle; SIGPIPE ignored as main() does. */
static void
setup(void)
{
	memset(&j, 0, sizeof(j));
	jailer_interrupted = 0;
	signal(SIGPIPE, SIG_IGN);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n, m;

	n = strlen(s);
	m = strlen(suffix);
	return (n >= m && strcmp(s + n - m, suffix) == 0);
}

/* Redirect fd (1 or 2) into a file until capture_end; returns saved fd. */
static int
capture_begin(int fd, const char *file)
{
	int saved, f;

	fflush(stdout);
	fflush(stderr);
	ATF_REQUIRE((saved = dup(fd)) != -1);
	ATF_REQUIRE((f = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1);
	ATF_REQUIRE(dup2(f, fd) != -1);
	close(f);
	return (saved);
}

static void
capture_end(int fd, int saved)
{
	fflush(stdout);
	fflush(stderr);
	ATF_REQUIRE(dup2(saved, fd) != -1);
	close(saved);
}

static char *
slurp(const char *path)
{
	struct jailer jr;
	struct buf b;

	memset(&jr, 0, sizeof(jr));
	buf_init(&b);
	ATF_REQUIRE_MSG(file_read(&jr, path, &b) == 0, "%s", jr.err);
	return (buf_steal(&b));
}

/*
 * Run fn in a child process and fail if it takes longer than secs: a
 * deadlock in the pump must fail the test, not hang it.  fn returns NULL
 * on success or a message.
 */
static void
within(int secs, const char *(*fn)(void))
{
	char msg[512];
	int p[2], status;
	ssize_t n;
	pid_t pid, w;
	const char *m;
	time_t end;

	ATF_REQUIRE(pipe(p) == 0);
	fflush(stdout);
	fflush(stderr);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		close(p[0]);
		m = fn();
		if (m != NULL)
			(void)write(p[1], m, strlen(m));
		_exit(m == NULL ? 0 : 1);
	}
	close(p[1]);
	end = time(NULL) + secs;
	while ((w = waitpid(pid, &status, WNOHANG)) == 0 && time(NULL) < end)
		usleep(20000);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(p[0]);
		atf_tc_fail("still running after %d seconds: deadlock", secs);
	}
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	msg[n > 0 ? n : 0] = '\0';
	ATF_REQUIRE_MSG(WIFEXITED(status), "child killed by signal %d",
	    WTERMSIG(status));
	ATF_CHECK_MSG(WEXITSTATUS(status) == 0, "%s", msg);
}

/*
 * The head and body of the test case name (declared with ATF_TC), that
 * runs fn in a child with setup() done and must finish within secs
 * seconds; the case's own timeout is timeout.
 */
#define	WITHIN_TC(name, timeout, secs, fn)				\
ATF_TC_HEAD(name, tc)							\
{									\
	atf_tc_set_md_var(tc, "timeout", timeout);			\
}									\
ATF_TC_BODY(name, tc)							\
{									\
	setup();							\
	within(secs, fn);						\
}

ATF_TC_WITHOUT_HEAD(capture_stdout);
ATF_TC_BODY(capture_stdout, tc)
{
	const char *argv[] = { "/bin/sh", "-c",
	    "printf 'a\\nb\\n'; printf 'c'", NULL };
	const char *env[] = { "sh", "-c", "printf %s \"$JAILER_TEST_VAR\"",
	    NULL };
	struct buf out;

	setup();
	buf_init(&out);
	ATF_CHECK_EQ(run(&j, argv, &out, 0), 0);
	ATF_CHECK_STREQ(out.data, "a\nb\nc");
	ATF_CHECK_EQ(out.len, 5);
	ATF_CHECK_STREQ(j.err, "");

	/* Appended to what the buffer holds; the environment is passed. */
	setenv("JAILER_TEST_VAR", "v a l", 1);
	ATF_CHECK_EQ(run(&j, env, &out, RUN_RO), 0);
	ATF_CHECK_STREQ(out.data, "a\nb\ncv a l");

	/* Binary output keeps its length. */
	{
		const char *bin[] = { "/bin/sh", "-c", "printf 'x\\000y'",
		    NULL };

		buf_reset(&out);
		ATF_CHECK_EQ(run(&j, bin, &out, 0), 0);
		ATF_CHECK_EQ(out.len, 3);
		ATF_CHECK(memcmp(out.data, "x\0y", 3) == 0);
	}
	buf_free(&out);
}

ATF_TC_WITHOUT_HEAD(exit_status_and_error);
ATF_TC_BODY(exit_status_and_error, tc)
{
	const char *argv[] = { "/bin/sh", "-c",
	    "echo partial; echo 'first words' >&2; "
	    "echo '  last words  ' >&2; echo >&2; exit 3", NULL };
	struct buf out;

	setup();
	buf_init(&out);
	ATF_CHECK_EQ(run(&j, argv, &out, 0), 3);
	ATF_CHECK_STREQ(out.data, "partial\n");
	ATF_CHECK_MSG(strncmp(j.err, "/bin/sh -c 'echo partial;", 25) == 0,
	    "err: %s", j.err);
	ATF_CHECK_MSG(ends_with(j.err, "': last words"), "err: %s", j.err);
	ATF_CHECK(strchr(j.err, '\n') == NULL);
	buf_free(&out);
}

ATF_TC_WITHOUT_HEAD(exit_status_silent);
ATF_TC_BODY(exit_status_silent, tc)
{
	const char *argv[] = { "/bin/sh", "-c", "exit 5", NULL };
	const char *sig[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	const char *ok[] = { "/bin/sh", "-c", "echo noise >&2; exit 0", NULL };

	setup();
	ATF_CHECK_EQ(run(&j, argv, NULL, 0), 5);
	ATF_CHECK_STREQ(j.err, "/bin/sh -c 'exit 5': exit status 5");
	ATF_CHECK_EQ(run(&j, sig, NULL, 0), 128 + SIGTERM);
	ATF_CHECK_MSG(ends_with(j.err, ": killed by signal 15"), "err: %s",
	    j.err);
	/* stderr of a successful command is not an error. */
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run(&j, ok, NULL, 0), 0);
	ATF_CHECK_STREQ(j.err, "");
}

/* Without a buffer stdout goes nowhere, certainly not into ours. */
ATF_TC_WITHOUT_HEAD(stdout_discarded);
ATF_TC_BODY(stdout_discarded, tc)
{
	const char *argv[] = { "/bin/sh", "-c", "echo leaked", NULL };
	char *got;
	int saved;

	setup();
	saved = capture_begin(1, "stdout.txt");
	ATF_CHECK_EQ(run(&j, argv, NULL, 0), 0);
	capture_end(1, saved);
	got = slurp("stdout.txt");
	ATF_CHECK_STREQ(got, "");
	free(got);
}

ATF_TC_WITHOUT_HEAD(stderr_passthrough);
ATF_TC_BODY(stderr_passthrough, tc)
{
	const char *argv[] = { "/bin/sh", "-c", "echo progress >&2; exit 1",
	    NULL };
	const char *tty[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 4",
	    NULL };
	char *got;
	int saved, saved1;

	setup();
	saved = capture_begin(2, "stderr.txt");
	ATF_CHECK_EQ(run(&j, argv, NULL, RUN_STDERR), 1);
	capture_end(2, saved);
	got = slurp("stderr.txt");
	ATF_CHECK_STREQ(got, "progress\n");
	free(got);
	ATF_CHECK_MSG(ends_with(j.err, ": exit status 1"), "err: %s", j.err);

	/* RUN_TTY: everything inherited, the status still counts. */
	saved = capture_begin(2, "stderr.txt");
	saved1 = capture_begin(1, "stdout.txt");
	ATF_CHECK_EQ(run(&j, tty, NULL, RUN_TTY), 4);
	capture_end(1, saved1);
	capture_end(2, saved);
	got = slurp("stdout.txt");
	ATF_CHECK_STREQ(got, "out\n");
	free(got);
	got = slurp("stderr.txt");
	ATF_CHECK_STREQ(got, "err\n");
	free(got);
	ATF_CHECK_MSG(ends_with(j.err, ": exit status 4"), "err: %s", j.err);
}

ATF_TC_WITHOUT_HEAD(input_small);
ATF_TC_BODY(input_small, tc)
{
	const char *cat[] = { "cat", NULL };
	const char *wc[] = { "/bin/sh", "-c", "n=$(wc -c); echo $n", NULL };
	struct buf out;

	setup();
	buf_init(&out);
	ATF_CHECK_EQ(run_input(&j, cat, "hello\nworld", 11, &out, 0), 0);
	ATF_CHECK_STREQ(out.data, "hello\nworld");
	buf_reset(&out);
	ATF_CHECK_EQ(run_input(&j, wc, "a\0b", 3, &out, 0), 0);
	ATF_CHECK_STREQ(out.data, "3\n");
	/* No input: stdin is at EOF at once, nothing hangs. */
	buf_reset(&out);
	ATF_CHECK_EQ(run_input(&j, cat, NULL, 0, &out, 0), 0);
	ATF_CHECK_STREQ(out.data, "");
	buf_reset(&out);
	ATF_CHECK_EQ(run(&j, cat, &out, 0), 0);
	ATF_CHECK_STREQ(out.data, "");
	buf_free(&out);
}

#define	BIG	(3 * 1024 * 1024 + 11)

static const char *
big_through_cat(void)
{
	const char *cat[] = { "cat", NULL };
	struct buf out;
	char *in;
	size_t i;

	in = xmalloc(BIG);
	for (i = 0; i < BIG; i++)
		in[i] = (char)('a' + i % 23);
	buf_init(&out);
	if (run_input(&j, cat, in, BIG, &out, 0) != 0)
		return ("cat failed");
	if (out.len != BIG)
		return ("output length differs");
	if (memcmp(out.data, in, BIG) != 0)
		return ("output differs");
	return (NULL);
}

ATF_TC(input_large);
ATF_TC_HEAD(input_large, tc)
{
	atf_tc_set_md_var(tc, "descr", "More than a MiB through cat(1)");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(input_large, tc)
{
	setup();
	within(10, big_through_cat);
}

/* A child that reads no input must not hang or kill jailer. */
static const char *
big_to_nonreader(void)
{
	const char *t[] = { "/bin/sh", "-c", "echo done", NULL };
	struct buf out;
	char *in;

	in = xcalloc(1, BIG);
	buf_init(&out);
	if (run_input(&j, t, in, BIG, &out, 0) != 0)
		return (j.err);
	if (strcmp(out.data, "done\n") != 0)
		return ("wrong output");
	return (NULL);
}

ATF_TC(input_not_read);
WITHIN_TC(input_not_read, "120", 30, big_to_nonreader)

/* Lots of stderr and stdout at once must not block either. */
static const char *
chatty(void)
{
	const char *argv[] = { "/bin/sh", "-c",
	    "i=0; while [ $i -lt 20000 ]; do "
	    "echo \"error line $i\" >&2; echo \"output line $i\"; "
	    "i=$((i+1)); done; exit 2", NULL };
	struct buf out;

	buf_init(&out);
	if (run(&j, argv, &out, 0) != 2)
		return ("wrong status");
	if (!ends_with(j.err, ": error line 19999"))
		return (j.err);
	if (!ends_with(out.data, "output line 19999\n"))
		return ("stdout incomplete");
	return (NULL);
}

ATF_TC(big_stderr);
WITHIN_TC(big_stderr, "120", 60, chatty)

ATF_TC_WITHOUT_HEAD(missing_program);
ATF_TC_BODY(missing_program, tc)
{
	const char *abs[] = { "/nonexistent/jailer-prog", "x", NULL };
	const char *rel[] = { "jailer-no-such-program", NULL };
	const char *ok[] = { "cat", NULL };
	struct buf out;

	setup();
	buf_init(&out);
	ATF_CHECK_EQ(run(&j, abs, &out, 0), -1);
	ATF_CHECK_STREQ(j.err,
	    "/nonexistent/jailer-prog: No such file or directory");
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run_input(&j, rel, "x", 1, &out, RUN_RO), -1);
	ATF_CHECK_MSG(strncmp(j.err, "jailer-no-such-program: ", 24) == 0,
	    "err: %s", j.err);
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run(&j, rel, NULL, RUN_TTY), -1);
	ATF_CHECK(j.err[0] != '\0');
	ATF_CHECK_EQ(run(&j, rel, NULL, RUN_STDERR), -1);
	/* No descriptors leak: many failures in a row still work. */
	for (int i = 0; i < 2000; i++)
		(void)run(&j, rel, &out, 0);
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run_input(&j, ok, "y", 1, &out, 0), 0);
	ATF_CHECK_STREQ(out.data, "y");
	buf_free(&out);
}

ATF_TC_WITHOUT_HEAD(pipe_ok);
ATF_TC_BODY(pipe_ok, tc)
{
	const char *a1[] = { "printf", "hello", NULL };
	const char *a2[] = { "/bin/sh", "-c", "test \"$(wc -c)\" -eq 5", NULL };
	const char *a3[] = { "/bin/sh", "-c", "test \"$(wc -c)\" -eq 6", NULL };

	setup();
	ATF_CHECK_EQ(run_pipe(&j, a1, a2, 0), 0);
	ATF_CHECK_STREQ(j.err, "");
	ATF_CHECK_EQ(run_pipe(&j, a1, a3, 0), 1);
	ATF_CHECK_MSG(strncmp(j.err, "/bin/sh -c 'test", 16) == 0 &&
	    ends_with(j.err, ": exit status 1"), "err: %s", j.err);
}

static const char *
big_pipe(void)
{
	const char *a1[] = { "/bin/sh", "-c",
	    "head -c 5000000 /dev/zero; echo sent >&2", NULL };
	const char *a2[] = { "/bin/sh", "-c",
	    "n=$(wc -c); echo \"got $n\" >&2; test $n -eq 5000000", NULL };

	if (run_pipe(&j, a1, a2, 0) != 0)
		return (j.err);
	return (NULL);
}

ATF_TC(pipe_large);
WITHIN_TC(pipe_large, "120", 60, big_pipe)

ATF_TC_WITHOUT_HEAD(pipe_failures);
ATF_TC_BODY(pipe_failures, tc)
{
	const char *bad1[] = { "/bin/sh", "-c",
	    "echo 'cannot send: no such snapshot' >&2; exit 2", NULL };
	const char *cat[] = { "cat", NULL };
	const char *ok1[] = { "printf", "x", NULL };
	const char *bad2[] = { "/bin/sh", "-c",
	    "cat >/dev/null; echo 'cannot receive: exists' >&2; exit 1", NULL };
	const char *missing[] = { "/nonexistent/recv", NULL };

	setup();
	/* The first side fails. */
	ATF_CHECK_EQ(run_pipe(&j, bad1, cat, 0), 2);
	ATF_CHECK_MSG(strncmp(j.err, "/bin/sh -c ", 11) == 0 &&
	    ends_with(j.err, ": cannot send: no such snapshot"), "err: %s",
	    j.err);
	ATF_CHECK(strstr(j.err, " | ") == NULL);
	/* The second side fails after reading everything. */
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run_pipe(&j, ok1, bad2, 0), 1);
	ATF_CHECK_MSG(ends_with(j.err, ": cannot receive: exists"), "err: %s",
	    j.err);
	ATF_CHECK(strncmp(j.err, "/bin/sh -c 'cat", 15) == 0);
	/* Either side missing. */
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run_pipe(&j, missing, cat, 0), -1);
	ATF_CHECK_STREQ(j.err, "/nonexistent/recv: No such file or directory");
	memset(&j, 0, sizeof(j));
	ATF_CHECK_EQ(run_pipe(&j, ok1, missing, 0), -1);
	ATF_CHECK_STREQ(j.err, "/nonexistent/recv: No such file or directory");
}

/*
 * zfs send | zfs recv where recv fails at once: send then dies of
 * SIGPIPE, and the message that matters is recv's.
 */
static const char *
recv_fails_early(void)
{
	const char *a1[] = { "yes", NULL };
	const char *a2[] = { "/bin/sh", "-c",
	    "echo 'cannot receive new filesystem stream: destination exists'"
	    " >&2; exit 1", NULL };
	int rc;

	rc = run_pipe(&j, a1, a2, 0);
	if (rc == 0)
		return ("succeeded");
	if (!ends_with(j.err, ": cannot receive new filesystem stream: "
	    "destination exists"))
		return (j.err);
	return (NULL);
}

ATF_TC(pipe_reader_fails_first);
WITHIN_TC(pipe_reader_fails_first, "120", 30, recv_fails_early)

ATF_TC_WITHOUT_HEAD(dry_run);
ATF_TC_BODY(dry_run, tc)
{
	const char *mut[] = { "/bin/sh", "-c", "touch ran", NULL };
	const char *ro[] = { "/bin/sh", "-c", "touch ran-ro; echo ro", NULL };
	const char *quoted[] = { "zfs", "set", "jailer:note=a b", "zroot/x",
	    NULL };
	const char *a1[] = { "zfs", "send", "zroot/image/14.3-RELEASE@base",
	    NULL };
	const char *a2[] = { "zfs", "recv", "zroot/www 0", NULL };
	struct buf out;
	char *got;
	int saved;

	setup();
	j.dryrun = 1;
	buf_init(&out);
	saved = capture_begin(1, "stdout.txt");
	ATF_CHECK_EQ(run(&j, mut, &out, 0), 0);
	ATF_CHECK_EQ(run_input(&j, quoted, "in", 2, NULL, 0), 0);
	ATF_CHECK_EQ(run_pipe(&j, a1, a2, 0), 0);
	ATF_CHECK_EQ(run(&j, ro, &out, RUN_RO), 0);
	capture_end(1, saved);
	got = slurp("stdout.txt");
	ATF_CHECK_STREQ(got,
	    "  /bin/sh -c 'touch ran'\n"
	    "  zfs set 'jailer:note=a b' zroot/x\n"
	    "  zfs send zroot/image/14.3-RELEASE@base | "
	    "zfs recv 'zroot/www 0'\n");
	free(got);
	ATF_CHECK(access("ran", F_OK) == -1);
	ATF_CHECK(access("ran-ro", F_OK) == 0);
	ATF_CHECK_STREQ(out.data, "ro\n");
	buf_free(&out);
}

ATF_TC_WITHOUT_HEAD(verbose_echo);
ATF_TC_BODY(verbose_echo, tc)
{
	const char *argv[] = { "/bin/sh", "-c", "echo out", NULL };
	const char *a1[] = { "printf", "a b", NULL };
	const char *a2[] = { "cat", NULL };
	struct buf out;
	char *got;
	int saved;

	setup();
	j.verbose = 1;
	buf_init(&out);
	saved = capture_begin(2, "stderr.txt");
	ATF_CHECK_EQ(run(&j, argv, &out, 0), 0);
	ATF_CHECK_EQ(run_pipe(&j, a1, a2, RUN_RO), 0);
	capture_end(2, saved);
	got = slurp("stderr.txt");
	ATF_CHECK_STREQ(got,
	    "+ /bin/sh -c 'echo out'\n"
	    "+ printf 'a b' | cat\n");
	free(got);
	ATF_CHECK_STREQ(out.data, "out\n");
	buf_free(&out);
}

ATF_TC_WITHOUT_HEAD(interrupted);
ATF_TC_BODY(interrupted, tc)
{
	const char *touch[] = { "/bin/sh", "-c", "touch ran", NULL };
	const char *a1[] = { "/bin/sh", "-c", "touch ran1", NULL };
	const char *a2[] = { "/bin/sh", "-c", "touch ran2", NULL };

	setup();
	jailer_interrupted = 1;
	ATF_CHECK(run(&j, touch, NULL, 0) != 0);
	ATF_CHECK_STREQ(j.err, "/bin/sh: not run: interrupted");
	ATF_CHECK(run(&j, touch, NULL, RUN_RO) != 0);
	ATF_CHECK(run_pipe(&j, a1, a2, 0) != 0);
	ATF_CHECK(strstr(j.err, "interrupted") != NULL);
	ATF_CHECK(access("ran", F_OK) == -1);
	ATF_CHECK(access("ran1", F_OK) == -1);
	ATF_CHECK(access("ran2", F_OK) == -1);

	/* Undo steps still run. */
	j.undoing = 1;
	ATF_CHECK_EQ(run(&j, touch, NULL, 0), 0);
	ATF_CHECK(access("ran", F_OK) == 0);
	ATF_CHECK_EQ(run_pipe(&j, a1, a2, 0), 0);
	ATF_CHECK(access("ran1", F_OK) == 0);
	ATF_CHECK(access("ran2", F_OK) == 0);
	jailer_interrupted = 0;
}

/* Children get default signal handling, whatever jailer itself does. */
ATF_TC_WITHOUT_HEAD(child_signals);
ATF_TC_BODY(child_signals, tc)
{
	const char *term[] = { "/bin/sh", "-c", "kill -TERM $$; exit 0", NULL };
	const char *intr[] = { "/bin/sh", "-c", "kill -INT $$; exit 0", NULL };

	setup();
	signal(SIGTERM, SIG_IGN);
	ATF_CHECK_EQ(run(&j, term, NULL, 0), 128 + SIGTERM);
	signal(SIGTERM, SIG_DFL);
	exec_interrupt_block(1);
	ATF_CHECK_EQ(run(&j, intr, NULL, 0), 128 + SIGINT);
	exec_interrupt_block(0);
}

/*
 * A program's stderr can come from inside a jail: what lands in the
 * error (and on the administrator's terminal) must be printable.
 */
ATF_TC_WITHOUT_HEAD(error_printable);
ATF_TC_BODY(error_printable, tc)
{
	const char *argv[] = { "/bin/sh", "-c",
	    "printf 'bad \\033]0;owned\\007 \\033[2J\\rthing\\n' >&2; exit 1",
	    NULL };
	const unsigned char *p;

	setup();
	ATF_CHECK_EQ(run(&j, argv, NULL, 0), 1);
	ATF_CHECK(strchr(j.err, '\n') == NULL);
	for (p = (const unsigned char *)j.err; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f) {
			ATF_CHECK_MSG(0, "control character 0x%02x in '%s'", *p,
			    vis(j.err));
			break;
		}
}

/* With stdin, stdout and stderr closed the pipes get fds 0-2: still fine. */
static const char *
closed_std_fds(void)
{
	const char *cat[] = { "cat", NULL };
	const char *err[] = { "/bin/sh", "-c", "echo oops >&2; exit 1", NULL };
	struct buf out;

	close(0);
	close(1);
	close(2);
	buf_init(&out);
	if (run_input(&j, cat, "hello", 5, &out, 0) != 0)
		return (j.err);
	if (strcmp(out.data, "hello") != 0)
		return ("cat: wrong output");
	if (run(&j, err, NULL, 0) != 1 || !ends_with(j.err, ": oops"))
		return (j.err);
	return (NULL);
}

ATF_TC(closed_std_descriptors);
WITHIN_TC(closed_std_descriptors, "60", 20, closed_std_fds)

ATF_TC_WITHOUT_HEAD(format_argv);
ATF_TC_BODY(format_argv, tc)
{
	const char *argv[] = { "zfs", "create", "-o", "mountpoint=/a b",
	    "zroot/x", "", "it's", NULL };
	const char *one[] = { "ls", NULL };
	struct buf b;

	buf_init(&b);
	argv_format(&b, argv);
	ATF_CHECK_STREQ(b.data,
	    "zfs create -o 'mountpoint=/a b' zroot/x '' 'it'\\''s'");
	buf_reset(&b);
	argv_format(&b, one);
	ATF_CHECK_STREQ(b.data, "ls");
	buf_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, capture_stdout);
	ATF_TP_ADD_TC(tp, exit_status_and_error);
	ATF_TP_ADD_TC(tp, exit_status_silent);
	ATF_TP_ADD_TC(tp, stdout_discarded);
	ATF_TP_ADD_TC(tp, stderr_passthrough);
	ATF_TP_ADD_TC(tp, input_small);
	ATF_TP_ADD_TC(tp, input_large);
	ATF_TP_ADD_TC(tp, input_not_read);
	ATF_TP_ADD_TC(tp, big_stderr);
	ATF_TP_ADD_TC(tp, missing_program);
	ATF_TP_ADD_TC(tp, pipe_ok);
	ATF_TP_ADD_TC(tp, pipe_large);
	ATF_TP_ADD_TC(tp, pipe_failures);
	ATF_TP_ADD_TC(tp, pipe_reader_fails_first);
	ATF_TP_ADD_TC(tp, dry_run);
	ATF_TP_ADD_TC(tp, verbose_echo);
	ATF_TP_ADD_TC(tp, interrupted);
	ATF_TP_ADD_TC(tp, child_signals);
	ATF_TP_ADD_TC(tp, error_printable);
	ATF_TP_ADD_TC(tp, closed_std_descriptors);
	ATF_TP_ADD_TC(tp, format_argv);
	return (atf_no_error());
}
