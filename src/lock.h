/*
 * The state lock: one exclusive flock(2) on /var/run/jailer.lock held by
 * every command that changes the host, for its whole run.
 */
#ifndef JAILER_LOCK_H
#define JAILER_LOCK_H

#include "jailer.h"

#define	LOCK_PATH	"/var/run/jailer.lock"

int	lock_acquire(struct jailer *);
void	lock_release(void);
int	lock_busy(void);

#endif /* !JAILER_LOCK_H */
