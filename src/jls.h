/*
 * The running jails as jls(8) shows them (jls.c).
 */
#ifndef JAILER_JLS_H
#define JAILER_JLS_H

#include <stddef.h>

#include "jailer.h"

/* One record of "jls -q jid name vnet ip4.addr path". */
struct jls_rec {
	char	*jid;
	char	*name;
	char	*vnet;
	char	*ip4;
	char	*path;
};

int	jls_records(struct jailer *, struct jls_rec **, size_t *);
void	jls_records_free(struct jls_rec *, size_t);
size_t	jls_split(char *, char **, size_t);

#endif /* !JAILER_JLS_H */
