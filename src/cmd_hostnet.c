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
#include "plan.h"
#include "undo.h"
#include "validate.h"

/* -D and -j of init bridge, dhcp and pf. */
static int dry, json;

/* Ask, unless -y; a "no" or -D leaves everything as it is. */
static int
confirm(int yes)
{
	if (dry)
		return (0);
	if (yes || ui_confirm())
		return (1);
	printf("Nothing changed.\n");
	return (0);
}

/* The options of init bridge and init dhcp; 0, or the exit status. */
static int
bridge_opts(struct jailer *jp, int argc, char **argv, int with_addr,
    const char **bridge,
    const char **cidr, int *yes)
{
	const struct cmd_optspec spec[] = { { 'a', NULL, cidr, 0 },
	    { 'i', NULL, bridge, 0 }, { 'y', yes, NULL, 0 },
	    { 'D', &dry, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };
	int rc;

	dry = json = 0;
	/* init dhcp has no -a: its table starts after it. */
	if ((rc = cmd_parse(&argc, &argv, spec + !with_addr, 0, 0, NULL)) != 0)
		return (rc);
	return (cmd_plan_open(jp, dry, json, with_addr ? "init bridge" :
	    "init dhcp"));
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
	for (n4 = 0; (c = opt_get(&o, argc, argv, "Da:i:jy")) != -1;) {
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
	if ((rc = bridge_opts(jp, argc, argv, 1, &bridge, &cidr, &yes)) != 0)
		return (rc);
	if ((rc = bridge_families(argc, argv, &cidr, &cidr6)) != 0)
		return (cmd_plan_close(jp, rc));
	rc = 1;
	if (hostnet_bridge_plan(jp, bridge, cidr, &p) == -1 || (cidr6 != NULL &&
	    net6_bridge_plan(jp, bridge, cidr6, p.exists, &b6) == -1)) {
		cmd_fail(jp, p.who);
		goto out;
	}
	rc = 0;
	if (p.done && (cidr6 == NULL || b6.done)) {
		plan_title(jp, "%s is already configured with %s; nothing to do.",
		    bridge, cidr);
		goto out;
	}
	hostnet_bridge_show(jp, &p, cidr6 != NULL ? &b6 : NULL);
	if (!confirm(yes)) {
		rc = dry ? 0 : 1;
		goto out;
	}
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Configuring interface %s with IP address %s", bridge, cidr);
	ok = hostnet_bridge_apply(jp, &p, &u) == 0 && (cidr6 == NULL ||
	    net6_bridge_apply(jp, bridge, &b6, &u) == 0);
	ui_end(ok);
	if (!ok) {
		undo_run(jp, &u);
		rc = cmd_fail(jp, bridge);
		goto out;
	}
	undo_commit(&u);
	printf("\nYou may run `jailer init dhcp` to setup DHCP server for "
	    "%s\n", bridge);
out:
	hostnet_bridge_free(&p);
	net6_bridge_free(&b6);
	return (cmd_plan_close(jp, rc));
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
	if ((rc = bridge_opts(jp, argc, argv, 0, &bridge, &cidr, &yes)) != 0)
		return (rc);
	rc = 1;
	if (hostnet_dhcp_plan(jp, bridge, &p) == -1) {
		cmd_fail(jp, p.who);
		goto out;
	}
	rc = 0;
	if (p.done) {
		plan_title(jp, "dhcpd already serves %s; nothing to do.", bridge);
		goto out;
	}
	hostnet_dhcp_show(jp, &p);
	if (!confirm(yes)) {
		rc = dry ? 0 : 1;
		goto out;
	}
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Setting up dhcpd, dhcpd.conf and devfs.rules");
	ok = hostnet_dhcp_apply(jp, &p, &u) == 0;
	ui_end(ok);
	if (!ok) {
		undo_run(jp, &u);
		rc = cmd_fail(jp, NULL);
		goto out;
	}
	undo_commit(&u);
out:
	hostnet_dhcp_free(&p);
	return (cmd_plan_close(jp, rc));
}

/* jailer init pf [-y] */
int
cmd_init_pf(struct jailer *jp, int argc, char **argv)
{
	struct pf_plan p;
	struct undo u;
	int c, yes, ok, rc;
	const struct cmd_optspec spec[] = { { 'y', &yes, NULL, 0 },
	    { 'D', &dry, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	yes = dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0, NULL)) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "init pf")) != 0)
		return (c);

	rc = 1;
	if (hostnet_pf_plan(jp, &p) == -1) {
		rc = cmd_fail(jp, NULL);
		goto out;
	}
	rc = 0;
	if (p.done) {
		plan_title(jp, "pf already has jailer's anchors and IP forwarding "
		    "is on; nothing to do.");
		goto out;
	}
	hostnet_pf_show(jp, &p);
	if (!confirm(yes)) {
		rc = dry ? 0 : 1;
		goto out;
	}
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Setting up pf and IP forwarding");
	ok = hostnet_pf_apply(jp, &p, &u) == 0;
	ui_end(ok);
	if (!ok) {
		hostnet_pf_abort(jp, &p, &u);
		rc = cmd_fail(jp, NULL);
		goto out;
	}
	undo_commit(&u);
	if (p.backup != NULL)
		printf("The previous /etc/pf.conf is in %s\n", p.backup);
out:
	hostnet_pf_free(&p);
	return (cmd_plan_close(jp, rc));
}
