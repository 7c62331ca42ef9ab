/*
 * Snapshots of jails (snap, snap list, snap destroy, rollback) and
 * editing a jail's conf file (edit).
 */
#ifndef JAILER_SNAP_H
#define JAILER_SNAP_H

#include "jail.h"
#include "jailer.h"
#include "out.h"

int	snap_parse(struct jailer *, char *, int, char **, char **);
int	snap_table(struct jailer *, const char *, struct out_table **);

/* A rollback, checked before it runs. */
struct snap_rollback {
	struct jails	 js;
	struct jail	*j;		/* the jail, if it runs */
	int		 about_jail;	/* the error is about the jail, not
					   JAIL@SNAP */
};

int	snap_rollback_check(struct jailer *, const char *, const char *, int,
	    struct snap_rollback *);
int	snap_rollback(struct jailer *, struct snap_rollback *, const char *);
void	snap_rollback_free(struct snap_rollback *);
int	snap_release_opt(struct jailer *, const char *, char **);

/* What jail_edit() did. */
enum edit_result {
	EDIT_FAILED = -1,	/* the error is in the handle */
	EDIT_UNCHANGED,		/* the editor changed nothing */
	EDIT_SAVED,
	EDIT_BAD_CONF,		/* the edit does not parse: the handle says
				   why, the edit is kept */
	EDIT_BAD_JAILS		/* it defines more than this jail: kept */
};

struct jail_edit {
	char		*conf;		/* the jail's conf file (host path) */
	char		*kept;		/* where the rejected edit is */
	const char	*who;		/* what an error is about, or NULL */
};

enum edit_result jail_edit(struct jailer *, const char *, struct jail_edit *);
void	jail_edit_free(struct jail_edit *);

#endif /* !JAILER_SNAP_H */
