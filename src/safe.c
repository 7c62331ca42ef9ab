/*
 * O_NOFOLLOW walks below a jail root.  root is a file system path (after
 * host_path), rel a relative path such as "etc/rc.conf".
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rcconf.h"
#include "safe.h"
#include "undo.h"

#ifndef O_DIRECTORY
#define	O_DIRECTORY	0
#endif

#define	SAFE_READ_MAX	(1024 * 1024)	/* files jailer reads in a jail */

/*
 * Open the directory that holds rel's last component, following no
 * symlink on the way; *base points at that component.  Returns an fd.
 */
static int
open_parent(struct jailer *jp, const char *root, const char *rel,
    char **copy, const char **base)
{
	char *p, *slash, *comp;
	int fd, next;

	if (rel[0] == '/' || strstr(rel, "..") != NULL)
		return (jailer_seterr(jp, "%s: invalid path in jail", rel));
	fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return (jailer_seterrno(jp, "%s", root));
	*copy = p = xstrdup(rel);
	for (comp = p; (slash = strchr(comp, '/')) != NULL; comp = slash + 1) {
		*slash = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next == -1) {
			jailer_seterrno(jp, "%s/%s: not a directory inside "
			    "the jail (a symlink?)", root, rel);
			close(fd);
			free(p);
			*copy = NULL;
			return (-1);
		}
		close(fd);
		fd = next;
	}
	*base = comp;
	return (fd);
}

/* Read root/rel; a symlink anywhere on the way is an error. */
int
safe_read(struct jailer *jp, const char *root, const char *rel,
    struct buf *b)
{
	const char *base;
	char *copy, *what;
	int dfd, fd, rc, saved;

	buf_reset(b);
	if ((dfd = open_parent(jp, root, rel, &copy, &base)) == -1)
		return (-1);
	/* O_NONBLOCK: a FIFO planted in the jail must not hang jailer. */
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dfd);
	free(copy);
	if (fd == -1)
		return (jailer_seterrno(jp, "%s/%s", root, rel));
	what = xasprintf("%s/%s", root, rel);
	rc = fd_read_all(jp, fd, SAFE_READ_MAX, what, b);
	saved = errno;		/* callers look at it */
	free(what);
	errno = saved;
	return (rc);
}

/*
 * Replace root/rel atomically: a new file beside it, renamed over it.  A
 * symlink at rel is replaced, never followed.
 */
int
safe_write(struct jailer *jp, const char *root, const char *rel,
    const void *data, size_t len, mode_t mode)
{
	const char *base;
	char *copy, *tmp;
	const char *p;
	ssize_t n;
	size_t off;
	int dfd, fd, i, ok;

	if ((dfd = open_parent(jp, root, rel, &copy, &base)) == -1)
		return (-1);
	fd = -1;
	tmp = NULL;
	for (i = 0; i < 100 && fd == -1; i++) {
		free(tmp);
		tmp = xasprintf(".%s.jailer.%ld.%d", base, (long)getpid(), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		jailer_seterrno(jp, "%s/%s", root, rel);
		goto out;
	}
	for (p = data, off = 0; off < len; off += (size_t)n) {
		if ((n = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			break;
		}
	}
	ok = off == len && fchmod(fd, mode) == 0 && fsync(fd) == 0;
	if (close(fd) == -1)
		ok = 0;
	if (ok && renameat(dfd, tmp, dfd, base) == -1)
		ok = 0;
	if (!ok) {
		jailer_seterrno(jp, "%s/%s", root, rel);
		unlinkat(dfd, tmp, 0);
		fd = -1;
		goto out;
	}
	fd = 0;
out:
	close(dfd);
	free(copy);
	free(tmp);
	return (fd == 0 ? 0 : -1);
}

/* Remove root/rel if it exists (a symlink there is removed, not followed). */
int
safe_unlink(struct jailer *jp, const char *root, const char *rel)
{
	const char *base;
	char *copy;
	int dfd, rc;

	if ((dfd = open_parent(jp, root, rel, &copy, &base)) == -1)
		return (-1);
	rc = unlinkat(dfd, base, 0);
	if (rc == -1 && errno == ENOENT)
		rc = 0;
	else if (rc == -1)
		jailer_seterrno(jp, "%s/%s", root, rel);
	close(dfd);
	free(copy);
	return (rc);
}

/* Set NAME="value" in the rc.conf-style file root/rel. */
int
safe_rc_set(struct jailer *jp, const char *root, const char *rel,
    const char *name, const char *value)
{
	struct buf in, out;
	int rc;

	if (value != NULL && !rc_value_ok(value))
		return (jailer_seterr(jp, "refusing to write the value of %s: "
		    "unsafe characters", name));
	buf_init(&in);
	buf_init(&out);
	if (safe_read(jp, root, rel, &in) == -1 && errno != ENOENT) {
		buf_free(&in);
		buf_free(&out);
		return (-1);
	}
	if (memchr(in.data, '\0', in.len) != NULL) {
		buf_free(&in);
		buf_free(&out);
		return (jailer_seterr(jp, "%s/%s: contains a NUL byte; not "
		    "editing it", root, rel));
	}
	rc_edit(&in, name, value, &out);
	rc = safe_write(jp, root, rel, out.data, out.len, 0644);
	buf_free(&in);
	buf_free(&out);
	return (rc);
}

/*
 * Walk rel (a path inside the jail, "/data/x") from the jail root rroot
 * (a file system path) with O_NOFOLLOW.  create: make the missing
 * directories (undo: rmdir).  A symlink or a non-directory on the way is
 * an error; without create a missing component ends the walk.
 */
int
safe_dir_walk(struct jailer *jp, const char *rroot, const char *rel,
    int create, struct undo *u)
{
	char *copy, *comp, *slash, *sofar, *p;
	int fd, next, rc, err;

	if ((fd = open(rroot, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return (jailer_seterrno(jp, "%s", rroot));
	copy = xstrdup(rel + 1);
	sofar = xstrdup(rroot);
	rc = 0;
	for (comp = copy; comp != NULL && rc == 0; comp = slash) {
		if ((slash = strchr(comp, '/')) != NULL)
			*slash++ = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		err = errno;
		if (next == -1 && err == ENOENT && !create)
			break;
		p = xasprintf("%s/%s", sofar, comp);
		free(sofar);
		sofar = p;
		if (next == -1 && err == ENOENT) {
			if (mkdirat(fd, comp, 0755) == 0)
				undo_rmdir(u, sofar);
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		}
		if (next == -1) {
			rc = jailer_seterr(jp, "%s: a component inside the "
			    "jail is a symlink or not a directory; refusing",
			    rel);
			break;
		}
		close(fd);
		fd = next;
	}
	close(fd);
	free(copy);
	free(sofar);
	return (rc);
}
