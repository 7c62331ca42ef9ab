/*
 * OpenBSD's dhcpd on jailer's bridge.
 */
#ifndef JAILER_DHCP_H
#define JAILER_DHCP_H

#include <stdint.h>

#include "jailer.h"
#include "lease.h"

#define	DHCPD_MARK	"# Written by jailer(8)"

struct undo;

char	*dhcp_conf_text(const char *, uint32_t, int, const uint32_t *, size_t);
void	 dhcp_static_addrs(struct jailer *, uint32_t **, size_t *);
int	 dhcp_refresh(struct jailer *, struct undo *, const char *);

#endif /* !JAILER_DHCP_H */
