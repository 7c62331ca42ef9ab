/*
 * OpenBSD's dhcpd on jailer's bridge: the dhcpd.conf jailer writes, and
 * keeping it in step with the jails' static addresses.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "net.h"
#include "undo.h"

/*
 * The dhcpd.conf(5) of OpenBSD's dhcpd for the bridge's subnet.  The
 * ranges leave out the bridge's address and every static address a jail
 * has in the subnet.
 */
char *
dhcp_conf_text(const char *bridge, uint32_t addr, int prefix,
    const uint32_t *used, size_t nused)
{
	struct buf b;
	char s1[16], s2[16], m[16];
	uint32_t net, bcast, a, start;
	size_t i;
	int taken, open;

	net = addr & (0xffffffffU << (32 - prefix));
	bcast = net | ~(0xffffffffU << (32 - prefix));
	buf_init(&b);
	buf_addf(&b, "%s for %s: jailer rewrites this file on \"jailer init "
	    "dhcp\".\n", DHCPD_MARK, bridge);
	ipv4_str(net, s1);
	mask_str(prefix, m);
	ipv4_str(addr, s2);
	buf_addf(&b, "subnet %s netmask %s {\n\toption routers %s;\n"
	    "\toption subnet-mask %s;\n", s1, m, s2, m);
	open = 0;
	start = 0;
	for (a = net + 1; a <= bcast; a++) {
		taken = a == addr || a == bcast;
		for (i = 0; i < nused && !taken; i++)
			taken = used[i] == a;
		if (!taken && !open) {
			start = a;
			open = 1;
		} else if (taken && open) {
			ipv4_str(start, s1);
			ipv4_str(a - 1, s2);
			buf_addf(&b, "\trange %s %s;\n", s1, s2);
			open = 0;
		}
	}
	buf_adds(&b, "}\n");
	return (buf_steal(&b));
}

/*
 * The static addresses of every jail (new, and eb without DHCP), as the
 * conf files record them.
 */
void
dhcp_static_addrs(struct jailer *jp, uint32_t **used, size_t *n)
{
	struct jails js;
	struct in_addr a;
	char *ip, *gw, *slash;
	size_t i;

	*used = NULL;
	*n = 0;
	if (jails_load(jp, &js, JAILS_CONF) == -1)
		return;
	for (i = 0; i < js.n; i++) {
		ip = gw = NULL;
		if (js.v[i].type == NET_NEW && js.v[i].ip4 != NULL)
			ip = xstrdup(js.v[i].ip4);
		else if (js.v[i].type == NET_EB && js.v[i].eb_ip4 != NULL)
			ip = xstrdup(js.v[i].eb_ip4);
		if (ip != NULL && (slash = strchr(ip, '/')) != NULL)
			*slash = '\0';
		if (ip != NULL && inet_pton(AF_INET, ip, &a) == 1) {
			*used = xrealloc(*used, (*n + 1) * sizeof(**used));
			(*used)[(*n)++] = ntohl(a.s_addr);
		}
		free(ip);
		free(gw);
	}
	jails_free(&js);
}

/*
 * After a jail got a static address on a bridge that jailer's dhcpd
 * serves, rewrite dhcpd.conf so that its ranges leave the address out,
 * check it with dhcpd -n and restart dhcpd.  Nothing to do when dhcpd.conf
 * is not jailer's or is for another bridge, or is already right.  The
 * steps push their undo on u.
 */
int
dhcp_refresh(struct jailer *jp, struct undo *u, const char *bridge)
{
	struct ifaddr4 *ifa;
	struct buf cur;
	uint32_t *used;
	size_t nifa, nused;
	char *path, *tmp, *hp, *conf, *mark;
	const char *check[] = { "dhcpd", "-n", "-c", NULL, NULL };
	const char *restart[] = { "service", "dhcpd", "restart", NULL };
	int rc;

	path = host_path(DHCPD_CONF);
	buf_init(&cur);
	mark = xasprintf("%s for %s:", DHCPD_MARK, bridge);
	rc = 0;
	if (file_read(jp, path, &cur) == -1 || !str_has_prefix(cur.data, mark))
		goto out;
	rc = -1;
	if (net_if_addrs(jp, bridge, &ifa, &nifa) == -1)
		goto out;
	if (nifa == 0) {
		free(ifa);
		rc = 0;
		goto out;
	}
	dhcp_static_addrs(jp, &used, &nused);
	conf = dhcp_conf_text(bridge, ifa[0].addr, ifa[0].prefix, used, nused);
	free(ifa);
	free(used);
	if (strcmp(conf, cur.data) == 0) {
		free(conf);
		rc = 0;
		goto out;
	}
	hp = xasprintf("%s.jailer-new", DHCPD_CONF);
	tmp = host_path(hp);
	check[3] = hp;
	undo_cmd(u, restart);
	if (file_write_atomic(jp, tmp, conf, strlen(conf), 0644) == 0 &&
	    run(jp, check, NULL, 0) == 0 && undo_save_file(jp, u, path) == 0 &&
	    file_write_atomic(jp, path, conf, strlen(conf), 0644) == 0 &&
	    run(jp, restart, NULL, 0) == 0)
		rc = 0;
	unlink(tmp);
	free(tmp);
	free(hp);
	free(conf);
out:
	free(mark);
	free(path);
	buf_free(&cur);
	return (rc);
}
