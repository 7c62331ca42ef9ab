/*
 * Run external programs with posix_spawnp(3): argv arrays only, never a
 * shell.  stdout can be captured for parsing; stderr is captured so that
 * a failure is reported with the program's own last words.  In dry-run
 * mode a command that would change something is printed, not run.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "plan.h"
#include "validate.h"

extern char **environ;

volatile sig_atomic_t jailer_interrupted;

/* A child being run: its pid and the parent's ends of its pipes. */
struct child {
	pid_t	pid;
	int	in;	/* write end of the child's stdin, or -1 */
	int	out;	/* read end of the child's stdout, or -1 */
	int	err;	/* read end of the child's stderr, or -1 */
	int	timed;	/* RUN_TIMED: its own process group */
	time_t	deadline;	/* 0: none */
	int	killed;	/* 1: timed out, 2: interrupted; -1: undoing */
};

/* Append the command line, quoted for sh(1). */
void
argv_format(struct buf *b, const char *const *argv)
{
	size_t i;

	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			buf_addc(b, ' ');
		shell_quote(b, argv[i]);
	}
}

/*
 * Block or unblock SIGINT and SIGTERM in jailer itself (children always
 * get the default dispositions back).
 */
void
exec_interrupt_block(int block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static void
echo_command(struct jailer *jp, const char *const *a1,
    const char *const *a2, int dry)
{
	struct buf b;

	if (!jp->verbose && !dry)
		return;
	buf_init(&b);
	argv_format(&b, a1);
	if (a2 != NULL) {
		buf_adds(&b, " | ");
		argv_format(&b, a2);
	}
	fflush(stdout);
	if (dry && jp->plan != NULL)
		plan_run(jp, a1, a2);
	else if (dry)
		printf("  %s\n", b.data);
	else
		fprintf(stderr, "+ %s\n", b.data);
	buf_free(&b);
}

static int
set_cloexec_pipe(int fds[2])
{
	if (pipe(fds) == -1)
		return (-1);
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return (0);
}

/*
 * Start argv with the given descriptors as its stdin/stdout/stderr
 * (-1: inherit).  Returns the pid or -1.
 */
static pid_t
spawn(struct jailer *jp, const char *const *argv, int fin, int fout,
    int ferr, int devnull_out, int pgroup)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	if (fin != -1)
		posix_spawn_file_actions_adddup2(&fa, fin, 0);
	if (fout != -1)
		posix_spawn_file_actions_adddup2(&fa, fout, 1);
	else if (devnull_out)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0);
	if (ferr != -1)
		posix_spawn_file_actions_adddup2(&fa, ferr, 2);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGQUIT);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	if (pgroup)
		posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
	    (pgroup ? POSIX_SPAWN_SETPGROUP : 0));
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		jailer_seterrno(jp, "%s", argv[0]);
		return (-1);
	}
	return (pid);
}

/*
 * End a timed child's process group: SIGTERM, then SIGKILL after two
 * seconds (its hooks and the jail's rc are in the group too).
 */
static void
stop_group(pid_t pid)
{
	int i, status;

	(void)kill(-pid, SIGTERM);
	for (i = 0; i < 20; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			(void)kill(-pid, SIGKILL);
			return;
		}
		(void)poll(NULL, 0, 100);
	}
	(void)kill(-pid, SIGKILL);
}

/*
 * Feed the child's stdin from in/inlen and collect its stdout and
 * stderr until both are closed.
 */
static void
pump(struct child *c, const char *in, size_t inlen, struct buf *out,
    struct buf *err)
{
	struct pollfd pfd[3];
	char chunk[8192];
	size_t inoff;
	ssize_t n;
	nfds_t i, nfd;

	inoff = 0;
	if (c->in != -1 && inlen == 0) {
		close(c->in);
		c->in = -1;
	}
	/* Never block on the child's stdin while it waits for us to read. */
	if (c->in != -1)
		(void)fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	while (c->in != -1 || c->out != -1 || c->err != -1) {
		nfd = 0;
		if (c->in != -1) {
			pfd[nfd].fd = c->in;
			pfd[nfd++].events = POLLOUT;
		}
		if (c->out != -1) {
			pfd[nfd].fd = c->out;
			pfd[nfd++].events = POLLIN;
		}
		if (c->err != -1) {
			pfd[nfd].fd = c->err;
			pfd[nfd++].events = POLLIN;
		}
		if (c->timed && ((jailer_interrupted && c->killed != -1) ||
		    (c->deadline != 0 && time(NULL) >= c->deadline))) {
			c->killed = jailer_interrupted && c->killed != -1 ? 2 : 1;
			stop_group(c->pid);
			break;
		}
		if (poll(pfd, nfd, c->timed ? 250 : -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == c->in) {
				n = write(c->in, in + inoff, inlen - inoff);
				if (n > 0)
					inoff += (size_t)n;
				if (n == -1 && (errno == EINTR ||
				    errno == EAGAIN))
					continue;
				if (n <= 0 || inoff == inlen) {
					close(c->in);
					c->in = -1;
				}
				continue;
			}
			n = read(pfd[i].fd, chunk, sizeof(chunk));
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (pfd[i].fd == c->out) {
					close(c->out);
					c->out = -1;
				} else {
					close(c->err);
					c->err = -1;
				}
				continue;
			}
			if (pfd[i].fd == c->out)
				buf_add(out, chunk, (size_t)n);
			else
				buf_add(err, chunk, (size_t)n);
		}
	}
}

/* Wait for pid; returns its exit status, or 128+signal. */
static int
reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return (127);
	if (WIFEXITED(status))
		return (WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return (128 + WTERMSIG(status));
	return (127);
}

/*
 * Record a failed command in the handle: the command line, then the last
 * non-empty line the program wrote to stderr (or its exit status).
 */
static void
fail_message(struct jailer *jp, const char *const *a1, const char *const *a2,
    struct buf *err, int status)
{
	struct buf cmd;
	char *line, *last;
	size_t pos;

	buf_init(&cmd);
	argv_format(&cmd, a1);
	if (a2 != NULL) {
		buf_adds(&cmd, " | ");
		argv_format(&cmd, a2);
	}
	/*
	 * zfs says what went wrong in its first line ("cannot destroy
	 * 'x': filesystem has children") and lists names after it; other
	 * tools end with their error.
	 */
	last = NULL;
	pos = 0;
	while (err != NULL && (line = buf_nextline(err, &pos)) != NULL) {
		line = str_trim(line);
		if (*line == '\0')
			continue;
		if (str_has_prefix(line, "cannot ")) {
			last = line;
			break;
		}
		last = line;
	}
	if (last != NULL)
		jailer_seterr(jp, "%s: %s", cmd.data, vis(last));
	else if (status > 128)
		jailer_seterr(jp, "%s: killed by signal %d", cmd.data,
		    status - 128);
	else
		jailer_seterr(jp, "%s: exit status %d", cmd.data, status);
	buf_free(&cmd);
}

/*
 * Feed a spawned child its input, collect its output and reap it: its
 * exit status, 124 when it was killed (jailer_timeout or interrupted).
 */
static int
wait_child(struct jailer *jp, const char *const *argv, struct child *c,
    const char *in, size_t inlen, struct buf *out, int flags)
{
	struct buf ebuf, obuf;
	int status;

	buf_init(&ebuf);
	buf_init(&obuf);
	c->timed = (flags & RUN_TIMED) != 0;
	c->deadline = c->timed && jp->timeout > 0 ? time(NULL) +
	    jp->timeout : 0;
	c->killed = jp->undoing ? -1 : 0;	/* -1: undo steps run on */
	pump(c, in, inlen, out != NULL ? out : &obuf, &ebuf);
	if (c->killed > 0) {
		if (c->in != -1)
			close(c->in);
		if (c->out != -1)
			close(c->out);
		if (c->err != -1)
			close(c->err);
		(void)reap(c->pid);
		status = 124;
		if (c->killed == 1)
			jailer_seterr(jp, "%s did not finish within %d seconds "
			    "(jailer_timeout)", argv[0], jp->timeout);
		else
			jailer_seterr(jp, "%s: interrupted", argv[0]);
	} else {
		status = reap(c->pid);
		if (status != 0)
			fail_message(jp, argv, NULL, &ebuf, status);
	}
	buf_free(&ebuf);
	buf_free(&obuf);
	return (status);
}

/*
 * Run argv with in/inlen on its stdin.  If out is not NULL, stdout is
 * captured into it; otherwise it is discarded (RUN_TTY: inherited).
 * Returns 0 on success, the exit status (or 128+signal) on failure and -1
 * if the program could not be started; the error is set in both cases.
 */
int
run_input(struct jailer *jp, const char *const *argv, const char *in,
    size_t inlen, struct buf *out, int flags)
{
	struct child c;
	int pin[2], pout[2], perr[2], status;

	if (jp->dryrun && !(flags & RUN_RO)) {
		echo_command(jp, argv, NULL, 1);
		return (0);
	}
	if (jailer_interrupted && !jp->undoing)
		return (jailer_seterr(jp, "%s: not run: interrupted",
		    argv[0]));
	echo_command(jp, argv, NULL, 0);
	fflush(stdout);
	fflush(stderr);
	if (flags & RUN_TTY) {
		if ((c.pid = spawn(jp, argv, -1, -1, -1, 0, 0)) == -1)
			return (-1);
		status = reap(c.pid);
		if (status != 0)
			fail_message(jp, argv, NULL, NULL, status);
		return (status);
	}
	pin[0] = pin[1] = pout[0] = pout[1] = perr[0] = perr[1] = -1;
	if (set_cloexec_pipe(pin) == -1 || set_cloexec_pipe(pout) == -1 ||
	    (!(flags & RUN_STDERR) && set_cloexec_pipe(perr) == -1)) {
		jailer_seterrno(jp, "pipe");
		status = -1;
		goto closeall;
	}
	c.pid = spawn(jp, argv, pin[0], out != NULL ? pout[1] : -1,
	    perr[1], out == NULL, (flags & RUN_TIMED) != 0);
	close(pin[0]);
	close(pout[1]);
	if (perr[1] != -1)
		close(perr[1]);
	pin[0] = pout[1] = perr[1] = -1;
	if (c.pid == -1) {
		status = -1;
		goto closeall;
	}
	c.in = pin[1];
	c.out = out != NULL ? pout[0] : -1;
	c.err = perr[0];
	if (out == NULL)
		close(pout[0]);
	pin[1] = pout[0] = perr[0] = -1;
	return (wait_child(jp, argv, &c, in, inlen, out, flags));
closeall:
	for (int i = 0; i < 2; i++) {
		if (pin[i] != -1)
			close(pin[i]);
		if (pout[i] != -1)
			close(pout[i]);
		if (perr[i] != -1)
			close(perr[i]);
	}
	return (status);
}

int
run(struct jailer *jp, const char *const *argv, struct buf *out, int flags)
{
	return (run_input(jp, argv, NULL, 0, out, flags));
}

/*
 * Run a command that changes nothing and keep its output in out
 * (initialised here, and freed again when the command fails).
 */
int
run_read(struct jailer *jp, const char *const *argv, struct buf *out)
{
	buf_init(out);
	if (run(jp, argv, out, RUN_RO) != 0) {
		buf_free(out);
		return (-1);
	}
	return (0);
}

/*
 * Run "a1 | a2" (zfs send | zfs recv).  Both must succeed; the error
 * names the first one that failed.
 */
int
run_pipe(struct jailer *jp, const char *const *a1, const char *const *a2,
    int flags)
{
	struct child c1, c2 = { -1, -1, -1, -1, 0, 0, 0 };
	struct buf e1, e2;
	int p[2], e1p[2], e2p[2], s1, s2;

	if (jp->dryrun && !(flags & RUN_RO)) {
		echo_command(jp, a1, a2, 1);
		return (0);
	}
	if (jailer_interrupted && !jp->undoing)
		return (jailer_seterr(jp, "%s: not run: interrupted", a1[0]));
	echo_command(jp, a1, a2, 0);
	fflush(stdout);
	fflush(stderr);
	if (set_cloexec_pipe(p) == -1)
		return (jailer_seterrno(jp, "pipe"));
	if (set_cloexec_pipe(e1p) == -1) {
		close(p[0]);
		close(p[1]);
		return (jailer_seterrno(jp, "pipe"));
	}
	if (set_cloexec_pipe(e2p) == -1) {
		close(p[0]);
		close(p[1]);
		close(e1p[0]);
		close(e1p[1]);
		return (jailer_seterrno(jp, "pipe"));
	}
	c1.pid = spawn(jp, a1, -1, p[1], e1p[1], 0, 0);
	c2.pid = c1.pid == -1 ? -1 : spawn(jp, a2, p[0], -1, e2p[1], 1, 0);
	close(p[0]);
	close(p[1]);
	close(e1p[1]);
	close(e2p[1]);
	buf_init(&e1);
	buf_init(&e2);
	/* Drain both stderr pipes together; a full pipe must never block. */
	c1.in = -1;
	c1.timed = 0;
	c1.deadline = 0;
	c1.killed = 0;
	c1.out = e2p[0];
	c1.err = e1p[0];
	pump(&c1, NULL, 0, &e2, &e1);
	s1 = c1.pid != -1 ? reap(c1.pid) : -1;
	s2 = c2.pid != -1 ? reap(c2.pid) : -1;
	if (c1.pid == -1 || c2.pid == -1)
		s1 = -1;
	else if (s1 == 128 + SIGPIPE && s2 != 0) {
		/* The reader failed first; the writer only lost its pipe. */
		fail_message(jp, a2, NULL, &e2, s2);
		s1 = s2;
	} else if (s1 != 0)
		fail_message(jp, a1, NULL, &e1, s1);
	else if (s2 != 0)
		fail_message(jp, a2, NULL, &e2, s2);
	buf_free(&e1);
	buf_free(&e2);
	if (s1 != 0)
		return (s1);
	return (s2);
}

/*
 * Run argv with stdin from infd and stdout to outfd (-1: inherited stdin,
 * stdout discarded); nothing passes through jailer.  Same returns as
 * run().
 */
int
run_fd(struct jailer *jp, const char *const *argv, int infd, int outfd,
    int flags)
{
	struct child c;
	struct buf e;
	int perr[2], status;

	if (jp->dryrun && !(flags & RUN_RO)) {
		echo_command(jp, argv, NULL, 1);
		return (0);
	}
	if (jailer_interrupted && !jp->undoing)
		return (jailer_seterr(jp, "%s: not run: interrupted",
		    argv[0]));
	echo_command(jp, argv, NULL, 0);
	fflush(stdout);
	fflush(stderr);
	if (set_cloexec_pipe(perr) == -1)
		return (jailer_seterrno(jp, "pipe"));
	c.pid = spawn(jp, argv, infd, outfd, perr[1], outfd == -1, 0);
	close(perr[1]);
	if (c.pid == -1) {
		close(perr[0]);
		return (-1);
	}
	buf_init(&e);
	c.in = c.out = -1;
	c.err = perr[0];
	c.timed = 0;
	c.deadline = 0;
	c.killed = 0;
	pump(&c, NULL, 0, NULL, &e);
	status = reap(c.pid);
	if (status != 0)
		fail_message(jp, argv, NULL, &e, status);
	buf_free(&e);
	return (status);
}

/*
 * Run "a1 | a2" with a1's stdin from infd and a2's stdout to outfd (-1:
 * inherited stdin, stdout discarded): a stream of any size, never held
 * by jailer.  Both must succeed; the error names the one that failed.
 */
int
run_pipe_fd(struct jailer *jp, const char *const *a1, const char *const *a2,
    int infd, int outfd, int flags)
{
	struct child c;
	struct buf e1, e2;
	pid_t p1, p2;
	int p[2], e1p[2], e2p[2], s1, s2;

	if (jp->dryrun && !(flags & RUN_RO)) {
		echo_command(jp, a1, a2, 1);
		return (0);
	}
	if (jailer_interrupted && !jp->undoing)
		return (jailer_seterr(jp, "%s: not run: interrupted", a1[0]));
	echo_command(jp, a1, a2, 0);
	fflush(stdout);
	fflush(stderr);
	p[0] = p[1] = e1p[0] = e1p[1] = e2p[0] = e2p[1] = -1;
	if (set_cloexec_pipe(p) == -1 || set_cloexec_pipe(e1p) == -1 ||
	    set_cloexec_pipe(e2p) == -1) {
		for (s1 = 0; s1 < 2; s1++) {
			if (p[s1] != -1)
				close(p[s1]);
			if (e1p[s1] != -1)
				close(e1p[s1]);
			if (e2p[s1] != -1)
				close(e2p[s1]);
		}
		return (jailer_seterrno(jp, "pipe"));
	}
	p1 = spawn(jp, a1, infd, p[1], e1p[1], 0, 0);
	p2 = p1 == -1 ? -1 : spawn(jp, a2, p[0], outfd, e2p[1], outfd == -1,
	    0);
	close(p[0]);
	close(p[1]);
	close(e1p[1]);
	close(e2p[1]);
	buf_init(&e1);
	buf_init(&e2);
	/* Drain both stderr pipes together; a full pipe must never block. */
	memset(&c, 0, sizeof(c));
	c.in = -1;
	c.out = e2p[0];
	c.err = e1p[0];
	pump(&c, NULL, 0, &e2, &e1);
	s1 = p1 != -1 ? reap(p1) : -1;
	s2 = p2 != -1 ? reap(p2) : -1;
	if (p1 == -1 || p2 == -1)
		s1 = -1;
	else if (s1 == 128 + SIGPIPE && s2 != 0) {
		fail_message(jp, a2, NULL, &e2, s2);
		s1 = s2;
	} else if (s1 != 0)
		fail_message(jp, a1, NULL, &e1, s1);
	else if (s2 != 0)
		fail_message(jp, a2, NULL, &e2, s2);
	buf_free(&e1);
	buf_free(&e2);
	return (s1 != 0 ? s1 : s2);
}
