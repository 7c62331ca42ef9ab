/*
 * What init bridge, init dhcp and init pf would do, from the plans
 * hostnet.c makes: the lines they show before asking ("Jailer will
 * ..."), or under -D -j the same changes as plan items.
 *
 * Depends on: plan, hostnet, net6, lease (DHCPD_CONF), pf (PF_CONF).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostnet.h"
#include "lease.h"
#include "net6.h"
#include "pf.h"
#include "plan.h"

/* One " - Line." of the text, or one change of the JSON plan. */
static void PRINTFLIKE(6, 7)
will(struct jailer *jp, const char *action, const char *object,
    const char *name, const char *after, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (jp->plan == NULL)
		printf(" - %s.\n", text);
	else
		plan_item(jp, NULL, action, object, name, NULL, after, "%s",
		    text);
	free(text);
}

/* An rc.conf variable that changes (cur: its value now, or NULL). */
static void
rcvar(struct jailer *jp, const char *var, const char *cur, const char *want)
{
	if (cur != NULL && strcmp(cur, want) == 0)
		return;
	plan_item(jp, NULL, cur != NULL ? "change" : "create",
	    "rc.conf variable", var, cur, want, "sysrc %s=\"%s\"", var, want);
}

void
hostnet_bridge_show(struct jailer *jp, const struct bridge_plan *p,
    const struct net6_bridge *b6)
{
	if (jp->plan == NULL) {
		printf("Jailer will configure\n network interface : %s\n"
		    " network address   : %s\n", p->bridge, p->cidr);
		if (b6 != NULL)
			printf(" IPv6 address      : %s\n", b6->cidr);
		return;
	}
	if (!p->done) {
		plan_item(jp, NULL, p->exists ? "change" : "create",
		    "interface", p->bridge, NULL, p->cidr, "configure %s "
		    "with %s, now and at boot", p->bridge, p->cidr);
		rcvar(jp, p->rcvar, p->cur, p->want);
	}
	if (b6 != NULL && !b6->done) {
		plan_item(jp, NULL, "change", "interface", p->bridge, NULL,
		    b6->cidr, "add %s to %s, now and at boot", b6->cidr,
		    p->bridge);
		rcvar(jp, b6->rcvar, b6->cur, b6->want);
	}
}

void
hostnet_dhcp_show(struct jailer *jp, const struct dhcp_plan *p)
{
	if (jp->plan == NULL)
		printf("Jailer will\n");
	if (!p->installed)
		will(jp, "install", "package", "dhcpd", NULL,
		    "Install OpenBSD's dhcpd from packages");
	will(jp, "change", "file", DHCPD_CONF, p->conf, "Setup dhcpd.conf");
	if (p->newrules != NULL)
		will(jp, "change", "file", "/etc/devfs.rules", p->newrules,
		    "Create /etc/devfs.rules for VNET Jails");
	else if (!p->loaded)
		will(jp, "load", "devfs ruleset", "/etc/devfs.rules", NULL,
		    "Load the devfs ruleset for VNET Jails");
	if (jp->plan != NULL && !p->running)
		plan_item(jp, NULL, "start", "service", "dhcpd", NULL, NULL,
		    "enable and start dhcpd on %s", p->bridge);
}

void
hostnet_pf_show(struct jailer *jp, const struct pf_plan *p)
{
	if (jp->plan == NULL)
		printf("Jailer will\n");
	if (!(p->nat && p->rdr && p->filt))
		will(jp, "change", "file", PF_CONF, NULL, "Add anchors for "
		    "jailer's NAT and redirection rules to %s%s", PF_CONF,
		    p->existed ? " (keeping a backup)" : "");
	will(jp, p->enabled && p->forwarding ? "change" : "start", "service",
	    "pf", NULL, "Enable pf and IP forwarding, now and at boot");
}
