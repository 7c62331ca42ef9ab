/*
 * What jailer create is asked for, checked before anything runs, and
 * what jailer info shows of one jail.
 */
#ifndef JAILER_INFO_H
#define JAILER_INFO_H

#include "jail.h"
#include "jailer.h"
#include "lifecycle.h"
#include "out.h"

int	create_validate(struct jailer *, const struct create_req *);

#define	JAIL_INFO_NCOLS	14

extern const struct out_col jail_info_cols[JAIL_INFO_NCOLS];

/* One jail as info shows it: a row of jail_info_cols, NULL if unknown. */
struct jail_info {
	const char	*row[JAIL_INFO_NCOLS];
	const char	*who;		/* what an error is about, or NULL */
	struct jails	 js;
	char		*ip;
	char		*gw;
	char		*claim;
	char		*ip6;		/* net6_of() */
	char		*gw6;		/* net6_gateway_of() */
	char		*release;	/* jail_release() */
	char		 mask[16];
};

int	jail_info_get(struct jailer *, const char *, int, struct jail_info *);
void	jail_info_free(struct jail_info *);

#endif /* !JAILER_INFO_H */
