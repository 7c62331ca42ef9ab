/*
 * pkgbase: images and jails installed from FreeBSD's own package
 * repository (FreeBSD-base), with pkg -r and a repository configuration
 * jailer writes, trusting only the signing keys the host ships.
 */
#ifndef JAILER_PKGBASE_H
#define JAILER_PKGBASE_H

#include "jailer.h"

struct undo;

/* The default FreeBSD_pkgbase_mirror. */
#define	PKGBASE_MIRROR	"https://pkg.FreeBSD.org"
/* The package (a set) an image is installed from. */
#define	PKGBASE_SET	"FreeBSD-set-minimal-jail"

int	pkgbase_check(struct jailer *, const char *);
int	pkgbase_fetch(struct jailer *, const char *);
int	pkgbase_is_image(struct jailer *, const char *);
int	pkgbase_image_update(struct jailer *, struct undo *, const char *,
	    char **);
int	pkgbase_jail_update(struct jailer *, struct undo *, const char *,
	    const char *, const char *);
int	pkgbase_level(struct jailer *, const char *, const char *, char **);

#endif /* !JAILER_PKGBASE_H */
