/*
 * fakebsd client: the simulated FreeBSD host's tools, fast.
 *
 * Built by "make fakebsd" as BUILD/fakebsd/bin/_tool, with one symlink per
 * tool name (zfs, jail, ifconfig, ...) like tests/fakebsd/bin.  It runs no
 * tool itself: it hands the call (argv, environment, umask, working
 * directory, every open file descriptor, ignored and blocked signals) to
 * the simulated host's server for $JAILER_ROOT (tests/fakebsd/server),
 * over the Unix socket $JAILER_ROOT/.fakebsd/server.sock, starting the
 * server when none answers.  The server forks a child that runs the tool
 * with the client's descriptors as its own, so output, pipes and ttys
 * behave exactly as with the python launcher.  Signals the client
 * receives are forwarded to the child's process group; when the client
 * dies (SIGKILL) the server kills that group.  The client exits with the
 * child's exit status, or dies of the same signal.
 *
 * FAKEBSD_DIRECT=1 runs the python launcher instead (tests/fakebsd/bin),
 * the slow path, for comparison (bench/run.sh) and debugging.
 *
 * Like the python tools, it refuses to do anything unless JAILER_ROOT
 * names a simulated host, and it never runs anything but python3 with the
 * server or the launcher: nothing here can reach a real system tool.
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FAKEBSD_SRCDIR
#define FAKEBSD_SRCDIR "tests/fakebsd"
#endif

#define SOCK_NAME	"server.sock"
#define MAX_FD		128	/* descriptors 0..MAX_FD-1 are passed on */
#define MAX_PASS	250	/* SCM_RIGHTS limit is 253 on Linux */

extern char **environ;

static const char *tool = "fakebsd";
static int srv = -1;

/* Signals forwarded to the tool's process group. */
static const int fwd_sigs[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM
};

/* A growing buffer for the request. */
struct buf {
	char	*p;
	size_t	 len, cap;
};

static void	die(int, const char *, ...)
		    __attribute__((format(printf, 2, 3), noreturn));
static void	putf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if ((b->p = realloc(b->p, cap)) == NULL)
			die(70, "out of memory");
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Append S and its terminating NUL. */
static void
puts0(struct buf *b, const char *s)
{
	put(b, s, strlen(s) + 1);
}

static void
putf(struct buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	puts0(b, tmp);
}

/* The refusal core.check_root prints, word for word. */
static const char *
check_root(void)
{
	static char real[PATH_MAX];
	char p[PATH_MAX + 32];
	const char *r = getenv("JAILER_ROOT");
	const char *why = NULL;
	struct stat sb;

	if (r == NULL)
		why = "JAILER_ROOT is not set";
	else if (*r == '\0')
		why = "JAILER_ROOT is empty";
	else if (realpath(r, real) != NULL && strcmp(real, "/") == 0)
		why = "JAILER_ROOT is /";
	else if (snprintf(p, sizeof(p), "%s/.fakebsd/state.json", r) >=
	    (int)sizeof(p) || stat(p, &sb) != 0 || !S_ISREG(sb.st_mode))
		why = "";
	if (why != NULL && *why == '\0') {
		fprintf(stderr, "%s: JAILER_ROOT=%s has no .fakebsd/state.json: "
		    "refusing to run outside a simulated host (create one with "
		    "tests/fakebsd/mkhost)\n", tool, r);
		exit(1);
	}
	if (why != NULL) {
		fprintf(stderr, "%s: %s: refusing to run outside a simulated "
		    "host (create one with tests/fakebsd/mkhost)\n", tool, why);
		exit(1);
	}
	if (realpath(r, real) == NULL)
		die(1, "%s: %s", r, strerror(errno));
	return real;
}

static const char *
srcdir(void)
{
	const char *d = getenv("FAKEBSD_DIR");

	return d != NULL && *d != '\0' ? d : FAKEBSD_SRCDIR;
}

/* The slow path: the python launcher of the same tool. */
static void
direct(char **argv)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/bin/%s", srcdir(), tool);
	execv(p, argv);
	die(127, "%s: %s", p, strerror(errno));
}

/* Connect to DIR/server.sock; the name is taken relative to DIR (opened
 * as DIRFD) so that long host paths fit in sun_path. */
static int
try_connect(int dirfd)
{
	struct sockaddr_un sa;
	int s, cwd, rc, e;

	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		die(70, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, SOCK_NAME);
	if ((cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		cwd = -1;
	if (fchdir(dirfd) != 0)
		die(70, "fchdir: %s", strerror(errno));
	rc = connect(s, (struct sockaddr *)&sa, sizeof(sa));
	e = errno;
	if (cwd >= 0) {
		if (fchdir(cwd) != 0)
			die(70, "fchdir: %s", strerror(errno));
		close(cwd);
	}
	if (rc == 0)
		return s;
	close(s);
	errno = e;
	return -1;
}

/* Start the server for ROOT (under .fakebsd/server.lock, so that one
 * server starts however many clients race) and connect to it. */
static int
start_server(const char *root, int dirfd)
{
	char py[PATH_MAX], rootarg[PATH_MAX], fdarg[16];
	int lock, ready[2], s, st, fd;
	pid_t pid;
	char c;

	if ((lock = openat(dirfd, "server.lock", O_RDWR | O_CREAT | O_CLOEXEC,
	    0644)) < 0)
		die(70, "server.lock: %s", strerror(errno));
	while (flock(lock, LOCK_EX) != 0)
		if (errno != EINTR)
			die(70, "flock: %s", strerror(errno));
	if ((s = try_connect(dirfd)) >= 0) {
		close(lock);
		return s;
	}
	if (pipe(ready) != 0)
		die(70, "pipe: %s", strerror(errno));
	snprintf(py, sizeof(py), "%s/server", srcdir());
	snprintf(rootarg, sizeof(rootarg), "%s", root);
	if ((pid = fork()) < 0)
		die(70, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* A daemon of its own session, holding none of our files:
		 * a jail(8) call's process group, killed by jailer, must not
		 * take it along, and a test's output pipes must close. */
		sigset_t none;
		int i;

		setsid();
		if (fork() != 0)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (i = 1; i < NSIG; i++)
			if (i != SIGKILL && i != SIGSTOP)
				signal(i, SIG_DFL);
		if (chdir("/") != 0)
			_exit(127);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		fd = openat(dirfd, "server.log",
		    O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(fd >= 0 ? fd : 0, 2);
		dup2(ready[1], 3);
		for (i = 4; i < MAX_FD; i++)
			close(i);
		snprintf(fdarg, sizeof(fdarg), "%d", 3);
		execlp("python3", "python3", py, rootarg, fdarg, (char *)NULL);
		_exit(127);
	}
	close(ready[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	while (read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	s = try_connect(dirfd);
	close(lock);
	if (s < 0)
		die(70, "cannot start the simulated host's server (see %s/"
		    ".fakebsd/server.log)", root);
	return s;
}

static void
forward(int sig)
{
	unsigned char b = (unsigned char)sig;
	int e = errno;

	if (write(srv, &b, 1) < 0) {
		/* the server is gone; the status read will say so */
	}
	errno = e;
}

/* Send the request in one message: a header (magic, length) carrying the
 * descriptors, then the NUL-separated fields the server's read_request()
 * expects. */
static void
send_request(int s, struct buf *b, int *fds, int nfds)
{
	char hdr[8];
	struct msghdr mh;
	struct iovec iov[2];
	union {
		struct cmsghdr	h;
		char		buf[CMSG_SPACE(sizeof(int) * (MAX_PASS + 1))];
	} cm;
	struct cmsghdr *c;
	uint32_t n = (uint32_t)b->len;
	size_t off, total = sizeof(hdr) + b->len;
	ssize_t w;

	memcpy(hdr, "FBS1", 4);
	hdr[4] = (char)(n >> 24);
	hdr[5] = (char)(n >> 16);
	hdr[6] = (char)(n >> 8);
	hdr[7] = (char)n;
	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = b->p;
	iov[1].iov_len = b->len;
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	mh.msg_control = cm.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	while ((w = sendmsg(s, &mh, 0)) < 0)
		if (errno != EINTR)
			die(70, "sendmsg: %s", strerror(errno));
	/* The rest, should the socket have taken only part of it. */
	for (off = (size_t)w; off < total; off += (size_t)w) {
		const char *p = off < sizeof(hdr) ? hdr + off :
		    b->p + (off - sizeof(hdr));
		size_t len = off < sizeof(hdr) ? sizeof(hdr) - off :
		    total - off;

		while ((w = write(s, p, len)) < 0)
			if (errno != EINTR)
				die(70, "write: %s", strerror(errno));
	}
}

/* Wait for "x STATUS\n" or "s SIGNAL\n" and end the same way. */
static void
finish(int s)
{
	char line[32];
	size_t n = 0;
	ssize_t r;
	int v;

	while (n < sizeof(line) - 1 && memchr(line, '\n', n) == NULL) {
		r = read(s, line + n, sizeof(line) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	line[n] = '\0';
	if (n < 3 || line[n - 1] != '\n' || (line[0] != 'x' &&
	    line[0] != 's'))
		die(70, "lost the simulated host's server");
	v = atoi(line + 2);
	if (line[0] == 'x')
		exit(v);
	{
		sigset_t one;

		signal(v, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, v);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		raise(v);
	}
	exit(128 + v);
}

int
main(int argc, char **argv)
{
	int open_fds[MAX_FD], pass[MAX_PASS + 1];
	int nopen = 0, npass = 0, i, dirfd, s;
	char path[PATH_MAX + 16], list[MAX_FD * 4 + 1], exe[PATH_MAX];
	struct buf b = { NULL, 0, 0 };
	struct sigaction sa, old;
	sigset_t blocked, fwdset, saved;
	const char *root, *v;
	mode_t um;
	size_t ll = 0;
	char **e;

	/* What is open before we open anything ourselves. */
	for (i = 0; i < MAX_FD; i++)
		if (fcntl(i, F_GETFD) != -1)
			open_fds[nopen++] = i;
	if (argc < 1)
		return 2;
	tool = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if ((v = getenv("FAKEBSD_DIRECT")) != NULL && strcmp(v, "1") == 0)
		direct(argv);
	root = check_root();

	snprintf(path, sizeof(path), "%s/.fakebsd", root);
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die(1, "%s: %s", path, strerror(errno));
	if ((s = try_connect(dirfd)) < 0)
		s = start_server(root, dirfd);
	close(dirfd);
	srv = s;

	/* The request: umask, ignored signals, blocked signals, this
	 * program's path, the descriptor numbers, argc, argv, environ. */
	um = umask(0);
	umask(um);
	putf(&b, "%o", (unsigned)um);
	list[0] = '\0';
	for (i = 1; i < NSIG; i++) {
		if (i == SIGKILL || i == SIGSTOP ||
		    sigaction(i, NULL, &old) != 0)
			continue;
		if (old.sa_handler == SIG_IGN)
			ll += (size_t)snprintf(list + ll, sizeof(list) - ll,
			    "%s%d", ll ? "," : "", i);
	}
	puts0(&b, list);
	sigprocmask(SIG_BLOCK, NULL, &blocked);
	ll = 0;
	list[0] = '\0';
	for (i = 1; i < NSIG; i++)
		if (sigismember(&blocked, i) == 1)
			ll += (size_t)snprintf(list + ll, sizeof(list) - ll,
			    "%s%d", ll ? "," : "", i);
	puts0(&b, list);
	if (realpath("/proc/self/exe", exe) == NULL &&
	    realpath(argv[0], exe) == NULL)
		snprintf(exe, sizeof(exe), "%s", argv[0]);
	puts0(&b, exe);

	/* Descriptors: the working directory first, then every open one. */
	if ((pass[npass] = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die(1, "cannot open the working directory: %s",
		    strerror(errno));
	npass++;
	ll = 0;
	list[0] = '\0';
	for (i = 0; i < nopen && npass <= MAX_PASS; i++) {
		pass[npass++] = open_fds[i];
		ll += (size_t)snprintf(list + ll, sizeof(list) - ll, "%s%d",
		    ll ? "," : "", open_fds[i]);
	}
	puts0(&b, list);
	putf(&b, "%d", argc);
	for (i = 0; i < argc; i++)
		puts0(&b, argv[i]);
	for (e = environ; *e != NULL; e++)
		puts0(&b, *e);

	/* Forward the signals we would otherwise die of; they wait until
	 * the request is sent, so that a forwarded byte never lands inside
	 * it. */
	sigemptyset(&fwdset);
	for (i = 0; i < (int)(sizeof(fwd_sigs) / sizeof(fwd_sigs[0])); i++)
		sigaddset(&fwdset, fwd_sigs[i]);
	sigprocmask(SIG_BLOCK, &fwdset, &saved);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < (int)(sizeof(fwd_sigs) / sizeof(fwd_sigs[0])); i++) {
		if (sigaction(fwd_sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(fwd_sigs[i], &sa, NULL);
	}
	send_request(s, &b, pass, npass);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	close(pass[0]);
	free(b.p);
	finish(s);
	return 70;
}
