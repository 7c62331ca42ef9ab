/*
 * startall -p: the stopped jails started several at a time, each after
 * the jails it depends on (startall.c).
 */
#ifndef JAILER_STARTALL_H
#define JAILER_STARTALL_H

#include <stddef.h>

#include "jail.h"
#include "jailer.h"

#define	STARTALL_MAX	64	/* the largest -p */

/*
 * Start todo[0..n) (dependencies first), at most max at a time, printing
 * one line per jail; 0 if every one started, 1 otherwise.
 */
int	startall_parallel(struct jailer *, struct jail **, size_t, size_t);

#endif /* !JAILER_STARTALL_H */
