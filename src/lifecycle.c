/*
 * What create.c, control.c and destroy.c share: the signals that make an
 * operation stop at its next step and undo what it did, and the facts
 * about a jail each of them asks (does jailer own its dataset, does it
 * have pf rules).
 *
 * Depends on: pf (rule files), zfs, util, err.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "lifecycle_impl.h"
#include "pf.h"
#include "zfs.h"

#define	MANAGED_JAIL	"jail"		/* jailer:managed of a jail */

static void
on_signal(int sig)
{
	(void)sig;
	jailer_interrupted = 1;
}

/*
 * From here on SIGINT and SIGTERM make the operation stop at the next
 * step and undo what it did, instead of killing jailer halfway.
 */
void
lifecycle_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * 1 if the dataset is a jail jailer created (jailer:managed=jail), 0 if
 * it exists but is not, -2 if it does not exist, -1 on error.
 */
int
jail_managed(struct jailer *jp, const char *ds)
{
	char *v;
	int rc;

	if ((rc = zfs_get(jp, ds, "jailer:managed", &v)) != 1)
		return (rc == 0 ? -2 : -1);
	rc = strcmp(v, MANAGED_JAIL) == 0;
	free(v);
	return (rc);
}

/* 1 if the jail has pf rules (a rule file), 0 if not. */
int
has_pf_rules(struct jailer *jp, const char *name)
{
	struct pf_rules rs;
	int has;

	if (pf_rules_read(jp, name, &rs) == -1)
		return (1);
	has = rs.n > 0;
	pf_rules_free(&rs);
	return (has);
}
