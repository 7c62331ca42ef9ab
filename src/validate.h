/*
 * Whitelists for everything that comes from the command line, the
 * environment or the host's files.  Each check returns 0, or -1 with a
 * one-line error in the handle that shows the value safely.
 */
#ifndef JAILER_VALIDATE_H
#define JAILER_VALIDATE_H

#include <netinet/in.h>

#include "jailer.h"

#define	JAIL_NAME_MAX	64
#define	IFNAME_MAX	15	/* IFNAMSIZ - 1 */

enum rel_kind { REL_CURRENT, REL_PRERELEASE, REL_ALPHA, REL_BETA, REL_RC,
	REL_RELEASE, REL_STABLE };

/* A FreeBSD version: 14.3-RELEASE, 15.0-RC1, 14.3-RELEASE-p2, 15.0-CURRENT. */
struct release {
	int		major;
	int		minor;
	enum rel_kind	kind;
	int		n;		/* the 1 of RC1 */
	int		patch;		/* the 2 of -p2 */
};

int	valid_jail_name(struct jailer *, const char *);
int	valid_image_release(struct jailer *, const char *, struct release *);
int	release_parse(const char *, struct release *);
int	release_cmp(const struct release *, const struct release *);
void	release_name(const struct release *, char *, size_t);
int	valid_ifname(struct jailer *, const char *);
int	valid_dataset(struct jailer *, const char *);
int	valid_snapname(struct jailer *, const char *);
int	valid_mountpoint(struct jailer *, const char *);
int	valid_nettype(struct jailer *, const char *);
int	valid_mirror(struct jailer *, const char *);
int	dns_name_ok(const char *, size_t);
int	parse_ipv4(struct jailer *, const char *, struct in_addr *);
int	parse_cidr4(struct jailer *, const char *, struct in_addr *, int *);

#endif /* !JAILER_VALIDATE_H */
