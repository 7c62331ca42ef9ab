/*
 * nullfs.h - nullfs mounts of host directories into a jail.
 *
 * A jail's nullfs mounts live in a host-side fstab(5) file, never under
 * the jail's root: /etc/jail.conf.d/NAME.fstab, named by the jail's
 * mount.fstab parameter so that jail(8) mounts them at every start (and
 * rc.d/jail at boot) and unmounts them at every stop.
 */
#ifndef JAILER_NULLFS_H
#define JAILER_NULLFS_H

#include "jailer.h"

#define	NULLFS_FSTAB_SUFFIX	".fstab"

struct jail;
struct out_table;

/* One line of a jail's fstab file. */
struct nullfs_ent {
	char	*host;		/* the host directory */
	char	*target;	/* where it is mounted, as the host sees it */
	char	*jpath;		/* the same inside the jail ("/data") */
	int	 ro;
};

struct nullfs_tab {
	struct nullfs_ent	*v;
	size_t			 n;
};

/* Host path of NAME's fstab file; the caller frees it. */
char	*nullfs_fstab_path(const char *name);
int	 nullfs_read(struct jailer *, const char *, const char *,
	    struct nullfs_tab *);
void	 nullfs_tab_free(struct nullfs_tab *);
int	 nullfs_add(struct jailer *, const char *, const char *, const char *,
	    int, struct buf *);
int	 nullfs_del(struct jailer *, const char *, const char *, struct buf *);
int	 nullfs_table(struct jailer *, const char *, struct out_table **);
int	 nullfs_start_check(struct jailer *, const struct jail *);
int	 nullfs_live(struct jailer *, const char *, const char *);
int	 nullfs_unmount_left(struct jailer *, const char *,
	    const struct nullfs_tab *);

#endif
