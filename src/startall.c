/*
 * startall -p: start stopped jails several at a time, as rc.d/jail does
 * with jail_parallel_start, but never a jail before the jails its
 * $depend_on names.  Each start runs in a child process of its own (the
 * same jail_start, with its own undo), so a failing jail is undone alone
 * and the others go on.  One status line per jail, in the order the
 * starts finish.
 *
 * Depends on: control.c (jail_start), bootorder.c (param_depends), err.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifecycle.h"
#include "param.h"
#include "startall.h"

enum { WAITING, RUNNING, STARTED, FAILED, SKIPPED };

struct slot {
	struct jail	*j;
	int		 state;
	pid_t		 pid;
	int		 fd;		/* the child's error text */
};

static struct slot *
slot_find(struct slot *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].j->name, name) == 0)
			return (&s[i]);
	return (NULL);
}

/*
 * May s start now?  1 yes, 0 not yet, -1 never (a dependency failed or
 * was not started: *why names it).
 */
static int
ready(struct slot *s, size_t n, struct slot *me, const char **why)
{
	const struct conf_param *p;
	struct slot *d;
	size_t i;
	int ok;

	ok = 1;
	if ((p = param_depends(me->j)) == NULL)
		return (1);
	for (i = 0; i < p->nvals; i++) {
		if ((d = slot_find(s, n, p->vals[i])) == NULL)
			continue;	/* running already, or not jailer's */
		if (d->state == FAILED || d->state == SKIPPED) {
			*why = d->j->name;
			return (-1);
		}
		if (d->state != STARTED)
			ok = 0;
	}
	return (ok);
}

/* Fork the start of s's jail; -1 if no child could be made. */
static int
launch(struct jailer *jp, struct slot *s)
{
	int fds[2];
	size_t len;
	int rc;

	if (pipe(fds) == -1)
		return (jailer_seterrno(jp, "pipe"));
	fflush(stdout);
	fflush(stderr);
	if ((s->pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return (jailer_seterrno(jp, "fork"));
	}
	if (s->pid == 0) {
		close(fds[0]);
		rc = jail_start(jp, s->j, 0);
		if (rc == -1 && (len = strlen(jp->err)) > 0 &&
		    write(fds[1], jp->err, len) == -1)
			rc = -1;
		_exit(rc == -1 ? 1 : 0);
	}
	close(fds[1]);
	s->fd = fds[0];
	s->state = RUNNING;
	return (0);
}

/* The child pid ended with status st: record it and print its line. */
static void
finish(struct slot *s, size_t n, pid_t pid, int st)
{
	char err[1024];
	ssize_t r;
	size_t i, len;

	for (i = 0; i < n && s[i].pid != pid; i++)
		;
	if (i == n)
		return;
	len = 0;
	while (len < sizeof(err) - 1 &&
	    (r = read(s[i].fd, err + len, sizeof(err) - 1 - len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			break;
		len += (size_t)r;
	}
	err[len] = '\0';
	close(s[i].fd);
	s[i].pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		s[i].state = STARTED;
		printf("%s: started\n", s[i].j->name);
	} else {
		s[i].state = FAILED;
		printf("%s: failed: %s\n", s[i].j->name, len > 0 ? err :
		    "the start was killed");
	}
	fflush(stdout);
}

/* Start what may start now, up to max at a time; how many run. */
static size_t
launch_ready(struct jailer *jp, struct slot *s, size_t n, size_t running,
    size_t max)
{
	const char *why;
	size_t i;
	int r;

	for (i = 0; i < n && running < max && !jailer_interrupted; i++) {
		if (s[i].state != WAITING)
			continue;
		why = NULL;
		if ((r = ready(s, n, &s[i], &why)) == 0)
			continue;
		if (r == -1) {
			s[i].state = SKIPPED;
			printf("%s: not started: it depends on %s, which did "
			    "not start\n", s[i].j->name, why);
			fflush(stdout);
			i = (size_t)-1;		/* its dependents, again */
			continue;
		}
		if (launch(jp, &s[i]) == -1) {
			s[i].state = FAILED;
			printf("%s: failed: %s\n", s[i].j->name, jp->err);
			fflush(stdout);
			i = (size_t)-1;
			continue;
		}
		running++;
	}
	return (running);
}

int
startall_parallel(struct jailer *jp, struct jail **todo, size_t n,
    size_t max)
{
	struct slot *s;
	size_t i, running;
	pid_t pid;
	int st, failed;

	s = xcalloc(n + 1, sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].j = todo[i];
		s[i].fd = -1;
	}
	running = 0;
	for (;;) {
		running = launch_ready(jp, s, n, running, max);
		if (running == 0)
			break;
		if ((pid = waitpid(-1, &st, 0)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		finish(s, n, pid, st);
		running--;
	}
	failed = 0;
	for (i = 0; i < n; i++) {
		if (s[i].state == WAITING)
			printf("%s: not started: interrupted\n",
			    s[i].j->name);
		if (s[i].state != STARTED)
			failed = 1;
	}
	fflush(stdout);
	free(s);
	return (failed);
}
