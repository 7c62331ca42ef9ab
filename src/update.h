/*
 * freebsd-update(8) on a tree that is not the host's (an image, a jail
 * root), and jailer update / upgrade of a jail.
 */
#ifndef JAILER_UPDATE_H
#define JAILER_UPDATE_H

#include "jailer.h"

struct undo;

/* One freebsd-update session: its own work directory and conf file. */
struct fbu {
	char	*top;		/* MOUNTPOINT/.freebsd-update */
	char	*work;		/* top/TAG: -d */
	char	*conf;		/* work/freebsd-update.conf: -f */
	char	*basedir;	/* -b: never / */
	char	*running;	/* --currently-running: jailer's record */
	int	 made_top;
	int	 made_work;
};

/* What fetch or upgrade reported. */
struct fbu_result {
	char	*to;		/* the release installed after it */
	struct buf notes;	/* lines for the user: files not updated, ... */
	int	 nothing;	/* nothing to install */
};

#define	FBU_DIR		".freebsd-update"

void	fbu_init(struct fbu *, const char *, const char *, const char *);
int	fbu_open(struct jailer *, struct fbu *);
void	fbu_close(struct jailer *, struct fbu *);
int	fbu_fetch(struct jailer *, struct fbu *, const char *,
	    struct fbu_result *);
int	fbu_install(struct jailer *, struct fbu *);
void	fbu_plan(struct jailer *, const struct fbu *, const char *);
void	fbu_result_free(struct fbu_result *);
int	fbu_root_check(struct jailer *, const char *);
int	tree_remove(struct jailer *, const char *);

/* jailer update NAME / jailer upgrade NAME RELEASE (update.c) */
struct jupdate;

struct jupdate *jail_update_open(struct jailer *, const char *,
	    const char *);
void	jail_update_print(struct jailer *, const struct jupdate *);
int	jail_update_run(struct jailer *, struct jupdate *, struct buf *);
void	jail_update_free(struct jupdate *);
int	jail_release(struct jailer *, const char *, char **);

#endif /* !JAILER_UPDATE_H */
