/*
 * Undo stacks: each step of a lifecycle operation that changes the host
 * pushes how to take it back; on failure or interruption the stack runs
 * in reverse, on success it is dropped.
 */
#ifndef JAILER_UNDO_H
#define JAILER_UNDO_H

#include "jailer.h"

struct undo_item;

struct undo {
	struct undo_item	*items;
	size_t			 n;
	size_t			 cap;
};

void	undo_init(struct undo *);
int	undo_run(struct jailer *, struct undo *);
void	undo_commit(struct undo *);
void	undo_zfs_destroy(struct undo *, const char *);
void	undo_unlink(struct undo *, const char *);
void	undo_rmdir(struct undo *, const char *);
int	undo_save_file(struct jailer *, struct undo *, const char *);
void	undo_cmd(struct undo *, const char *const *);

#endif /* !JAILER_UNDO_H */
