/*
 * freebsd-update(8) driven for a tree that is not the host's: an image
 * or a stopped jail's root.  Every call names the tree (-b, never /), a
 * work directory of jailer's own (-d MOUNTPOINT/.freebsd-update/TAG, a
 * host directory: never the host's /var/db/freebsd-update), a conf file
 * jailer writes there (-f: Components world, so no kernel is installed
 * into a jail and the host's /etc/freebsd-update.conf is never read),
 * --not-running-from-cron (jailer has no tty to offer) and
 * --currently-running with the release jailer recorded host-side (never
 * the tree's own bin/freebsd-version, which its root user writes).  The
 * work directory is removed when the session ends, whatever happened:
 * jailer's way back is a ZFS snapshot, not freebsd-update rollback.
 *
 * Depends on: exec, host, plan, util.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "host.h"
#include "plan.h"
#include "update.h"
#include "validate.h"
#include "vis.h"

#define	FBU_CONF	"# Written by jailer(8) for one freebsd-update run.\n" \
	"KeyPrint 800651ef4b4c71c27e60786d7b487188970f4b4169cc055784e21eb71d410cc5\n" \
	"ServerName update.FreeBSD.org\n" \
	"Components world\n" \
	"IgnorePaths\n" \
	"IDSIgnorePaths /usr/share/man/cat\n" \
	"IDSIgnorePaths /usr/share/man/whatis\n" \
	"IDSIgnorePaths /var/db/locate.database\n" \
	"IDSIgnorePaths /var/log\n" \
	"UpdateIfUnmodified /etc/ /var/ /root/ /.cshrc /.profile\n" \
	"MergeChanges /etc/ /boot/device.hints\n"

/* The directories freebsd-update writes in: none may be a symlink. */
static const char *const tree_dirs[] = { "bin", "boot", "etc",
	"etc/defaults", "lib", "libexec", "rescue", "sbin", "usr", "usr/bin",
	"usr/include", "usr/lib", "usr/libexec", "usr/sbin", "usr/share",
	"usr/share/misc", "var", "var/db" };

void
fbu_init(struct fbu *f, const char *tag, const char *basedir,
    const char *running)
{
	memset(f, 0, sizeof(*f));
	f->top = config_path("%s", FBU_DIR);
	f->work = xasprintf("%s/%s", f->top, tag);
	f->conf = xasprintf("%s/freebsd-update.conf", f->work);
	f->basedir = xstrdup(basedir);
	f->running = xstrdup(running);
}

/* The work directory and its conf file. */
int
fbu_open(struct jailer *jp, struct fbu *f)
{
	char *top, *work, *conf;
	int rc;

	top = host_path(f->top);
	work = host_path(f->work);
	conf = host_path(f->conf);
	rc = -1;
	if (mkdir(top, 0700) == 0)
		f->made_top = 1;
	else if (errno != EEXIST) {
		jailer_seterrno(jp, "mkdir %s", f->top);
		goto out;
	}
	/* A work directory left by a killed run: start again. */
	if (dir_exists(work) && tree_remove(jp, work) == -1)
		goto out;
	if (mkdir(work, 0700) == -1) {
		jailer_seterrno(jp, "mkdir %s", f->work);
		goto out;
	}
	f->made_work = 1;
	rc = file_write_atomic(jp, conf, FBU_CONF, strlen(FBU_CONF), 0644);
out:
	free(top);
	free(work);
	free(conf);
	return (rc);
}

/* Remove the work directory (and .freebsd-update if it made it). */
void
fbu_close(struct jailer *jp, struct fbu *f)
{
	struct jailer scratch;
	char *p;

	scratch = *jp;
	if (f->made_work) {
		p = host_path(f->work);
		if (tree_remove(&scratch, p) == -1)
			jailer_warnx(NULL, "%s", scratch.err);
		free(p);
	}
	if (f->made_top) {
		p = host_path(f->top);
		(void)rmdir(p);
		free(p);
	}
	free(f->top);
	free(f->work);
	free(f->conf);
	free(f->basedir);
	free(f->running);
	memset(f, 0, sizeof(*f));
}

/* The options every call has; argv must have room for 12 more. */
static size_t
fbu_argv(const struct fbu *f, const char **argv)
{
	size_t n;

	n = 0;
	argv[n++] = "freebsd-update";
	argv[n++] = "-b";
	argv[n++] = f->basedir;
	argv[n++] = "-d";
	argv[n++] = f->work;
	argv[n++] = "-f";
	argv[n++] = f->conf;
	argv[n++] = "--not-running-from-cron";
	argv[n++] = "--currently-running";
	argv[n++] = f->running;
	return (n);
}

static void
argv_target(const char **argv, size_t n, const char *target)
{
	if (target != NULL) {
		argv[n++] = "-r";
		argv[n++] = target;
		argv[n++] = "upgrade";
	} else
		argv[n++] = "fetch";
	argv[n] = NULL;
}

/* The file names listed after the line that starts with head. */
static void
list_after(const char *out, const char *head, struct buf *names)
{
	const char *p, *e;

	if ((p = strstr(out, head)) == NULL || (p = strchr(p, '\n')) == NULL)
		return;
	for (p++; *p == '/'; p = *e == '\n' ? e + 1 : e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if (names->len > 0)
			buf_addc(names, ' ');
		buf_add(names, p, (size_t)(e - p));
	}
}

/* A release written by the tool: X.Y-WORD[-pN], nothing else. */
static char *
release_at(const char *p)
{
	struct release r;
	size_t n;
	char *s;

	n = strspn(p, "0123456789.-ABCDEFGHIJKLMNOPQRSTUVWXYZp");
	while (n > 0 && p[n - 1] == '.')
		n--;
	s = xstrndup(p, n);
	if (release_parse(s, &r) == -1) {
		free(s);
		return (NULL);
	}
	return (s);
}

/* What fetch or upgrade printed: the new release, the notes. */
static int
fbu_parse(struct jailer *jp, const char *out, struct fbu_result *res)
{
	static const char none[] = "No updates needed to update system to ";
	static const char to[] = "as part of updating to\n";
	const char *p;
	struct buf l;

	buf_init(&l);
	list_after(out, "have been modified locally:", &l);
	if (l.len > 0)
		buf_addf(&res->notes, "not updated, modified locally: %s\n",
		    l.data);
	buf_reset(&l);
	list_after(out, "local changes kept:", &l);
	if (l.len > 0)
		buf_addf(&res->notes, "merged, local changes kept: %s\n",
		    l.data);
	buf_free(&l);
	if ((p = strstr(out, none)) != NULL) {
		res->nothing = 1;
		res->to = release_at(p + strlen(none));
	} else if ((p = strstr(out, to)) != NULL)
		res->to = release_at(p + strlen(to));
	if (res->to == NULL)
		return (jailer_seterr(jp, "freebsd-update: no release in its "
		    "output"));
	return (0);
}

/*
 * freebsd-update fetch, or upgrade -r target.  A failed upgrade that
 * lists files it could not merge says so in the error.
 */
int
fbu_fetch(struct jailer *jp, struct fbu *f, const char *target,
    struct fbu_result *res)
{
	const char *argv[16];
	struct buf out, l;
	int rc;

	memset(res, 0, sizeof(*res));
	buf_init(&res->notes);
	argv_target(argv, fbu_argv(f, argv), target);
	buf_init(&out);
	rc = run(jp, argv, &out, 0);
	if (rc != 0) {
		buf_init(&l);
		list_after(out.data, "could not be merged automatically:", &l);
		if (l.len > 0)
			jailer_seterr(jp, "local changes conflict with the "
			    "upgrade in %s (merge them by hand, or undo them, "
			    "and upgrade again)", vis(l.data));
		buf_free(&l);
		buf_free(&out);
		fbu_result_free(res);
		return (-1);
	}
	rc = fbu_parse(jp, out.data, res);
	buf_free(&out);
	if (rc == -1)
		fbu_result_free(res);
	return (rc);
}

/*
 * install, as often as it says (an upgrade installs in steps: world,
 * then the old libraries), until updatesready has nothing left.
 */
int
fbu_install(struct jailer *jp, struct fbu *f)
{
	const char *argv[16];
	size_t n;
	int i, rc;

	n = fbu_argv(f, argv);
	for (i = 0; i < 5; i++) {
		argv[n] = "install";
		argv[n + 1] = NULL;
		if (run(jp, argv, NULL, 0) != 0)
			return (-1);
		argv[n] = "updatesready";
		rc = run(jp, argv, NULL, RUN_RO);
		if (rc == 2)
			return (0);
		if (rc != 0)
			return (-1);
	}
	return (jailer_seterr(jp, "freebsd-update install: still not done "
	    "after %d runs", i));
}

/* -D: the commands of a session. */
void
fbu_plan(struct jailer *jp, const struct fbu *f, const char *target)
{
	const char *argv[16];
	struct buf b;
	size_t n;

	buf_init(&b);
	n = fbu_argv(f, argv);
	argv_target(argv, n, target);
	argv_format(&b, argv);
	plan_item(jp, NULL, "create", "file", f->conf, NULL, NULL,
	    "write %s (Components world)", f->conf);
	if (jp->plan != NULL)
		plan_run(jp, argv, NULL);
	else
		printf("  %s\n", b.data);
	argv[n] = "install";
	argv[n + 1] = NULL;
	buf_reset(&b);
	argv_format(&b, argv);
	if (jp->plan != NULL)
		plan_run(jp, argv, NULL);
	else
		printf("  %s (again while updatesready says so)\n", b.data);
	plan_item(jp, NULL, "remove", "directory", f->work, NULL, NULL,
	    "remove %s", f->work);
	buf_free(&b);
}

void
fbu_result_free(struct fbu_result *res)
{
	free(res->to);
	buf_free(&res->notes);
	memset(res, 0, sizeof(*res));
}

/*
 * The directories freebsd-update writes in are directories of the tree,
 * not symlinks its root user planted (which the tool would follow out
 * of the tree): checked with lstat relative to the root, O_NOFOLLOW.
 */
int
fbu_root_check(struct jailer *jp, const char *root)
{
	struct stat sb;
	char *hp;
	size_t i;
	int fd, rc;

	hp = host_path(root);
	fd = open(hp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	free(hp);
	if (fd == -1)
		return (jailer_seterrno(jp, "%s", root));
	rc = 0;
	for (i = 0; i < nitems(tree_dirs) && rc == 0; i++) {
		if (fstatat(fd, tree_dirs[i], &sb, AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if (!S_ISDIR(sb.st_mode))
			rc = jailer_seterr(jp, "%s/%s is not a directory (a "
			    "symlink?); freebsd-update would follow it out of "
			    "the jail: refusing", root, tree_dirs[i]);
	}
	close(fd);
	return (rc);
}

static int
remove_at(struct jailer *jp, int dfd, const char *name)
{
	struct dirent *de;
	DIR *d;
	int fd, rc;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return (0);
	if (errno != EISDIR && errno != EPERM)
		return (jailer_seterrno(jp, "unlink %s", name));
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return (jailer_seterrno(jp, "open %s", name));
	}
	rc = 0;
	while (rc == 0 && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			rc = remove_at(jp, dirfd(d), de->d_name);
	closedir(d);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) == -1)
		rc = jailer_seterrno(jp, "rmdir %s", name);
	return (rc);
}

/* rm -r of a host directory jailer made (symlinks removed, not followed). */
int
tree_remove(struct jailer *jp, const char *hostpath)
{
	return (remove_at(jp, AT_FDCWD, hostpath));
}
