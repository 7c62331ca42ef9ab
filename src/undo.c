/*
 * The undo stack.  Undo steps never stop halfway: a step that fails is
 * reported and the others still run, and the error that caused the undo
 * stays in the handle.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "undo.h"
#include "zfs.h"

enum undo_kind { U_ZFS_DESTROY, U_UNLINK, U_RMDIR, U_RESTORE, U_REMOVE,
	U_CMD };

struct undo_item {
	enum undo_kind	 kind;
	char		*arg;		/* dataset or file system path */
	char		*data;		/* U_RESTORE: the saved content */
	size_t		 len;
	mode_t		 mode;
	char		**argv;		/* U_CMD: the command to run */
};

void
undo_init(struct undo *u)
{
	memset(u, 0, sizeof(*u));
}

static struct undo_item *
push(struct undo *u, enum undo_kind kind, const char *arg)
{
	struct undo_item *it;

	if (u->n == u->cap) {
		u->cap = u->cap == 0 ? 8 : u->cap * 2;
		u->items = xrealloc(u->items, u->cap * sizeof(*u->items));
	}
	it = &u->items[u->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->arg = xstrdup(arg);
	return (it);
}

/* Destroy a dataset (and its snapshots) this operation created. */
void
undo_zfs_destroy(struct undo *u, const char *ds)
{
	push(u, U_ZFS_DESTROY, ds);
}

/* Remove a file (a file system path) this operation created. */
void
undo_unlink(struct undo *u, const char *path)
{
	push(u, U_UNLINK, path);
}

/* Remove a directory this operation created, if it is empty again. */
void
undo_rmdir(struct undo *u, const char *path)
{
	push(u, U_RMDIR, path);
}

/* Run a command (ifconfig X destroy, service Y stop) to undo a step. */
void
undo_cmd(struct undo *u, const char *const *argv)
{
	struct undo_item *it;
	size_t n, i;

	for (n = 0; argv[n] != NULL; n++)
		;
	it = push(u, U_CMD, argv[0]);
	it->argv = xcalloc(n + 1, sizeof(*it->argv));
	for (i = 0; i < n; i++)
		it->argv[i] = xstrdup(argv[i]);
}

/*
 * Remember a file's content (or that it does not exist) so that undo can
 * put it back exactly.
 */
int
undo_save_file(struct jailer *jp, struct undo *u, const char *path)
{
	struct undo_item *it;
	struct stat sb;
	struct buf b;

	buf_init(&b);
	if (file_read(jp, path, &b) == -1) {
		buf_free(&b);
		if (errno != ENOENT)
			return (-1);
		push(u, U_REMOVE, path);
		return (0);
	}
	it = push(u, U_RESTORE, path);
	it->len = b.len;
	it->data = buf_steal(&b);
	it->mode = stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0644;
	return (0);
}

static void
item_free(struct undo_item *it)
{
	size_t i;

	free(it->arg);
	free(it->data);
	for (i = 0; it->argv != NULL && it->argv[i] != NULL; i++)
		free(it->argv[i]);
	free(it->argv);
}

/*
 * Run the stack in reverse.  Returns 0 if every step succeeded, -1 if
 * one failed (each failure is reported on stderr).
 */
int
undo_run(struct jailer *jp, struct undo *u)
{
	char saved[sizeof(jp->err)];
	struct undo_item *it;
	int rc, failed;

	memcpy(saved, jp->err, sizeof(saved));
	failed = 0;
	jp->undoing = 1;
	while (u->n > 0) {
		it = &u->items[--u->n];
		rc = 0;
		switch (it->kind) {
		case U_ZFS_DESTROY:
			rc = zfs(jp, 0, NULL, "destroy", "-r", it->arg, NULL);
			if (rc != 0 && strstr(jp->err, "does not exist"))
				rc = 0;
			break;
		case U_UNLINK:
		case U_REMOVE:
			if (unlink(it->arg) == -1 && errno != ENOENT)
				rc = jailer_seterrno(jp, "unlink %s", it->arg);
			break;
		case U_RMDIR:
			if (rmdir(it->arg) == -1 && errno != ENOENT)
				rc = jailer_seterrno(jp, "rmdir %s", it->arg);
			break;
		case U_RESTORE:
			rc = file_write_atomic(jp, it->arg, it->data, it->len,
			    it->mode);
			break;
		case U_CMD:
			rc = run(jp, (const char *const *)it->argv, NULL, 0);
			break;
		}
		if (rc != 0) {
			jailer_warnx(NULL, "undo: %s", jp->err);
			failed = 1;
		}
		item_free(it);
	}
	jp->undoing = 0;
	free(u->items);
	undo_init(u);
	memcpy(jp->err, saved, sizeof(saved));
	return (failed ? -1 : 0);
}

/* Success: keep what was done. */
void
undo_commit(struct undo *u)
{
	while (u->n > 0)
		item_free(&u->items[--u->n]);
	free(u->items);
	undo_init(u);
}
