/*
 * create -D: the plan of a create, in the sections of the original
 * jailer's dry run (the seed's transcript), or under -D -j the same
 * changes as items of one JSON plan: the image fetched first, the conf
 * file, the dataset, the files written in the jail's root, the start.
 *
 * Depends on: plan, net, net6, util.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lifecycle.h"
#include "net.h"
#include "net6.h"
#include "plan.h"

/* "Resolver commands =>": the jail's resolv.conf. */
static void
show_resolver(struct jailer *jp, const struct create_plan *p)
{
	char *file, *text;

	file = xasprintf("%s/etc/resolv.conf", p->path);
	plan_title(jp, "Resolver commands =>");
	if (p->resolver != NULL) {
		text = xasprintf("nameserver %s\n", p->resolver);
		plan_item(jp, NULL, "create", "file", file, NULL, text,
		    "echo \"nameserver %s\" > %s", p->resolver, file);
		free(text);
	} else
		plan_item(jp, NULL, "create", "file", file, NULL, NULL,
		    "cp /etc/resolv.conf %s", file);
	free(file);
}

/* An eb jail's address in its rc.conf: "ifconfig_epairNb=..." ... */
static char *
eb_rc_text(const struct create_plan *p)
{
	char mask[16];

	if (p->dhcp)
		return (xasprintf("ifconfig_epair%db=\"SYNCDHCP\"", p->id));
	mask_str(p->prefix, mask);
	return (xasprintf("ifconfig_epair%db=\"inet %s netmask %s\" "
	    "defaultrouter=\"%s\"", p->id, p->ip4, mask, p->gateway));
}

/* "Network setup commands =>": start_if and rc.conf in the jail. */
static void
show_network(struct jailer *jp, const struct create_plan *p)
{
	char *rc, *start_if, *text, *v6;

	rc = xasprintf("%s/etc/rc.conf", p->path);
	plan_title(jp, "Network setup commands =>");
	if (p->from_jail) {
		plan_item(jp, NULL, "change", "file", rc, NULL, NULL,
		    "sed -i '' '/^ifconfig_epair/d' %s", rc);
		start_if = xasprintf("%s/etc/start_if.*", p->path);
		plan_item(jp, NULL, "remove", "file", start_if, NULL, NULL,
		    "rm -f %s", start_if);
		free(start_if);
	}
	if (p->type == NET_EB) {
		start_if = xasprintf("%s/etc/start_if.epair%db", p->path,
		    p->id);
		text = xasprintf("ifconfig epair%db ether %s\n", p->id, p->mac);
		plan_item(jp, NULL, "create", "file", start_if, NULL, text,
		    "echo \"ifconfig epair%db ether %s\" > %s", p->id, p->mac,
		    start_if);
		free(text);
		free(start_if);
		text = eb_rc_text(p);
		plan_item(jp, NULL, "change", "file", rc, NULL, text,
		    "sysrc -q -f %s %s", rc, text);
		free(text);
		if ((v6 = net6_rc_text(p)) != NULL)
			plan_item(jp, NULL, "change", "file", rc, NULL, v6,
			    "sysrc -q -f %s %s", rc, v6);
		free(v6);
	}
	plan_title(jp, "Post-Installation =>");
	text = xasprintf("sendmail_enable=\"NONE\" syslogd_flags=\"-ss\"%s",
	    p->quiet ? " cron_enable=\"NO\"" : "");
	plan_item(jp, NULL, "change", "file", rc, NULL, text,
	    "sysrc -q -f %s %s", rc, text);
	free(text);
	free(rc);
}

void
create_plan_show(struct jailer *jp, const struct create_plan *p)
{
	char *conf;

	if (p->need_fetch) {
		plan_title(jp, "Image =>");
		plan_item(jp, NULL, "create", "image", p->release, NULL, NULL,
		    "%s is not installed; it would be fetched first "
		    "(jailer image fetch %s)", p->release, p->release);
	}
	conf = xasprintf("/etc/jail.conf.d/%s.conf", p->name);
	if (jp->plan == NULL)
		printf("jail.conf file =>\n%s", p->conf);
	else
		plan_item(jp, NULL, "create", "file", conf, NULL, p->conf,
		    "write %s", conf);
	free(conf);
	plan_title(jp, "ZFS commands =>\n");
	if (p->clone)
		plan_item(jp, NULL, "create", "dataset", p->dataset, NULL,
		    p->source, "zfs clone -o jailer:managed=jail %s %s",
		    p->source, p->dataset);
	else
		plan_item(jp, NULL, "create", "dataset", p->dataset, NULL,
		    p->source, "(zfs send %s |\n   zfs recv -o "
		    "jailer:managed=jail %s)", p->source, p->dataset);
	plan_title(jp, "%s", "");
	show_resolver(jp, p);
	show_network(jp, p);
	plan_title(jp, "Start commands =>");
	plan_item(jp, NULL, "start", "jail", p->name, NULL, NULL,
	    "jail -f /etc/jail.conf.d/%s.conf -c %s", p->name, p->name);
}
