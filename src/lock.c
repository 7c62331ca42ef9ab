/*
 * The lock file is never removed: removing it would let a waiter and a
 * newcomer lock two different files.  Holding it is what counts, and the
 * kernel drops it when jailer exits, however it exits.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lock.h"

static int lock_fd = -1;

int
lock_acquire(struct jailer *jp)
{
	char *path;
	int fd;

	if (lock_fd != -1)
		return (0);
	path = host_path(LOCK_PATH);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1) {
		jailer_seterrno(jp, "%s", path);
		free(path);
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			jailer_seterrno(jp, "flock %s", path);
			goto fail;
		}
		if (jp->verbose)
			fprintf(stderr, "jailer: waiting for another jailer "
			    "to finish\n");
		while (flock(fd, LOCK_EX) == -1) {
			if (errno != EINTR) {
				jailer_seterrno(jp, "flock %s", path);
				goto fail;
			}
		}
	}
	free(path);
	lock_fd = fd;
	return (0);
fail:
	close(fd);
	free(path);
	return (-1);
}

/*
 * Is another jailer changing the host right now?  A command that does not
 * take the lock (list) asks before it calls anything a leftover: a create
 * in progress looks just like one.
 */
int
lock_busy(void)
{
	char *path;
	int fd, busy;

	if (lock_fd != -1)
		return (0);
	path = host_path(LOCK_PATH);
	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return (0);
	busy = flock(fd, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK;
	close(fd);
	return (busy);
}

void
lock_release(void)
{
	if (lock_fd != -1) {
		close(lock_fd);
		lock_fd = -1;
	}
}
