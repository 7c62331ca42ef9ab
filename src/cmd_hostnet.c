/*
 * jailer init bridge | init dhcp | init pf
 *
 * Like init, each works out what the host still needs, shows it, asks,
 * and does only that; a failure undoes the steps already done, and a
 * second run changes nothing.  The work is in hostnet.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "hostnet.h"
#include "lifecycle.h"
#include "net6.h"
#include "undo.h"
#include "validate.h"

/* Ask, unless -y; a "no" leaves everything as it is. */
static int
confirm(int yes)
{
	if (yes || ui_confirm())
		return (1);
	printf("Nothing changed.\n");
	return (0);
}

/* The options of init bridge and init dhcp; 0, or the exit status. */
static int
bridge_opts(int argc, char **argv, int with_addr, const char **bridge,
    const char **cidr, int *yes)
{
	const struct cmd_optspec spec[] = { { 'a', NULL, cidr, 0 },
	    { 'i', NULL, bridge, 0 }, { 'y', yes, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	/* init dhcp has no -a: its table starts after it. */
	return (cmd_parse(&argc, &argv, spec + !with_addr, 0, 0, NULL));
}

/* init bridge -a, once per address family: IPv4 *cidr, IPv6 *cidr6. */
static int
bridge_families(int argc, char **argv, const char **cidr,
    const char **cidr6)
{
	struct opt o;
	int c, n4;

	*cidr = DEFAULT_BRIDGE_ADDR;
	opt_init(&o);
	for (n4 = 0; (c = opt_get(&o, argc, argv, "a:i:y")) != -1;) {
		if (c != 'a')
			continue;
		if (strchr(o.arg, ':') == NULL ? n4++ > 0 : *cidr6 != NULL)
			return (cmd_usage_error("-a may be given once per "
			    "address family"));
		*(strchr(o.arg, ':') == NULL ? cidr : cidr6) = o.arg;
	}
	return (0);
}

/* jailer init bridge [-y] [-i bridge] [-a address/prefix] */
int
cmd_init_bridge(struct jailer *jp, int argc, char **argv)
{
	struct bridge_plan p;
	struct net6_bridge b6;
	struct undo u;
	const char *bridge, *cidr, *cidr6;
	int yes, rc, ok;

	yes = 0;
	bridge = DEFAULT_BRIDGE;
	cidr = DEFAULT_BRIDGE_ADDR;
	cidr6 = NULL;
	memset(&b6, 0, sizeof(b6));
	if ((rc = bridge_opts(argc, argv, 1, &bridge, &cidr, &yes)) != 0 ||
	    (rc = bridge_families(argc, argv, &cidr, &cidr6)) != 0)
		return (rc);
	rc = 1;
	if (hostnet_bridge_plan(jp, bridge, cidr, &p) == -1 || (cidr6 != NULL &&
	    net6_bridge_plan(jp, bridge, cidr6, p.exists, &b6) == -1)) {
		cmd_fail(jp, p.who);
		goto out;
	}
	if (p.done && (cidr6 == NULL || b6.done)) {
		printf("%s is already configured with %s; nothing to do.\n",
		    bridge, cidr);
		rc = 0;
		goto out;
	}
	printf("Jailer will configure\n network interface : %s\n"
	    " network address   : %s\n", bridge, cidr);
	if (cidr6 != NULL)
		printf(" IPv6 address      : %s\n", b6.cidr);
	if (!confirm(yes))
		goto out;
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Configuring interface %s with IP address %s", bridge, cidr);
	ok = hostnet_bridge_apply(jp, &p, &u) == 0 && (cidr6 == NULL ||
	    net6_bridge_apply(jp, bridge, &b6, &u) == 0);
	ui_end(ok);
	if (!ok) {
		undo_run(jp, &u);
		cmd_fail(jp, bridge);
		goto out;
	}
	undo_commit(&u);
	printf("\nYou may run `jailer init dhcp` to setup DHCP server for "
	    "%s\n", bridge);
	rc = 0;
out:
	hostnet_bridge_free(&p);
	net6_bridge_free(&b6);
	return (rc);
}

/* jailer init dhcp [-y] [-i bridge] */
int
cmd_init_dhcp(struct jailer *jp, int argc, char **argv)
{
	struct dhcp_plan p;
	struct undo u;
	const char *bridge, *cidr;
	int yes, rc, ok;

	yes = 0;
	bridge = DEFAULT_BRIDGE;
	cidr = NULL;
	if ((rc = bridge_opts(argc, argv, 0, &bridge, &cidr, &yes)) != 0)
		return (rc);
	rc = 1;
	if (hostnet_dhcp_plan(jp, bridge, &p) == -1) {
		cmd_fail(jp, p.who);
		goto out;
	}
	if (p.done) {
		printf("dhcpd already serves %s; nothing to do.\n", bridge);
		rc = 0;
		goto out;
	}
	printf("Jailer will\n");
	if (!p.installed)
		printf(" - Install OpenBSD's dhcpd from packages.\n");
	printf(" - Setup dhcpd.conf.\n");
	if (p.newrules != NULL)
		printf(" - Create /etc/devfs.rules for VNET Jails.\n");
	else if (!p.loaded)
		printf(" - Load the devfs ruleset for VNET Jails.\n");
	if (!confirm(yes))
		goto out;
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Setting up dhcpd, dhcpd.conf and devfs.rules");
	ok = hostnet_dhcp_apply(jp, &p, &u) == 0;
	ui_end(ok);
	if (!ok) {
		undo_run(jp, &u);
		cmd_fail(jp, NULL);
		goto out;
	}
	undo_commit(&u);
	rc = 0;
out:
	hostnet_dhcp_free(&p);
	return (rc);
}

/* jailer init pf [-y] */
int
cmd_init_pf(struct jailer *jp, int argc, char **argv)
{
	struct pf_plan p;
	struct undo u;
	int c, yes, ok, rc;
	const struct cmd_optspec spec[] = { { 'y', &yes, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	yes = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0, NULL)) != 0)
		return (c);

	rc = 1;
	if (hostnet_pf_plan(jp, &p) == -1) {
		cmd_fail(jp, NULL);
		goto out;
	}
	if (p.done) {
		printf("pf already has jailer's anchors and IP forwarding is "
		    "on; nothing to do.\n");
		rc = 0;
		goto out;
	}
	printf("Jailer will\n");
	if (!(p.nat && p.rdr && p.filt))
		printf(" - Add anchors for jailer's NAT and redirection rules "
		    "to /etc/pf.conf%s.\n", p.existed ? " (keeping a backup)" :
		    "");
	printf(" - Enable pf and IP forwarding, now and at boot.\n");
	if (!confirm(yes))
		goto out;
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Setting up pf and IP forwarding");
	ok = hostnet_pf_apply(jp, &p, &u) == 0;
	ui_end(ok);
	if (!ok) {
		hostnet_pf_abort(jp, &p, &u);
		cmd_fail(jp, NULL);
		goto out;
	}
	undo_commit(&u);
	if (p.backup != NULL)
		printf("The previous /etc/pf.conf is in %s\n", p.backup);
	rc = 0;
out:
	hostnet_pf_free(&p);
	return (rc);
}
