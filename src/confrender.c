/*
 * jail.conf(5) rendering (the parser is conf.c).
 *
 * The renderer writes one block per file with every parameter inside it,
 * so nothing leaks onto other jails when rc.d/jail includes the files;
 * every value is quoted per jail.conf(5).
 *
 * Depends on: util.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

const char *
nettype_name(enum nettype t)
{
	switch (t) {
	case NET_NEW:
		return ("new");
	case NET_EB:
		return ("eb");
	case NET_INHERIT:
		break;
	}
	return ("inherit");
}

int
nettype_parse(const char *s, enum nettype *t)
{
	if (strcmp(s, "inherit") == 0)
		*t = NET_INHERIT;
	else if (strcmp(s, "new") == 0)
		*t = NET_NEW;
	else if (strcmp(s, "eb") == 0)
		*t = NET_EB;
	else
		return (-1);
	return (0);
}

/* Append s as a double-quoted jail.conf string: no substitution inside. */
void
conf_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\' || *s == '$')
			buf_addc(b, '\\');
		if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* "  name = value;" with the value quoted literally. */
void
conf_put(struct buf *b, const char *name, const char *op,
    const char *value)
{
	buf_addf(b, "  %-*s %s ", op[0] == '+' ? 14 : 15, name, op);
	conf_quote(b, value);
	buf_adds(b, ";\n");
}

/* "  name = "template";" where the template may use ${variables}. */
void
conf_put_tmpl(struct buf *b, const char *name, const char *op,
    const char *tmpl)
{
	buf_addf(b, "  %-*s %s \"%s\";\n", op[0] == '+' ? 14 : 15, name, op,
	    tmpl);
}

/* Render the conf file of one jail; caller frees. */
char *
conf_render(const struct jail_spec *s)
{
	struct buf b;
	char id[16];

	buf_init(&b);
	buf_addf(&b, "# The jail %s, written by jailer(8).  See jail.conf(5).\n",
	    s->name);
	buf_addf(&b, "%s {\n", s->name);
	snprintf(id, sizeof(id), "%d", s->id);
	conf_put(&b, "$id", "=", id);
	conf_put(&b, "$domain", "=", s->domain);
	if (s->type != NET_INHERIT)
		conf_put(&b, "$bridge", "=", s->iface);
	if (s->type == NET_EB) {
		conf_put(&b, "$mac", "=", s->mac);
		if (s->ip4 != NULL) {
			conf_put(&b, "$ip4", "=", s->ip4);
			conf_put(&b, "$gateway", "=", s->gateway);
		}
		if (s->ip6 != NULL)
			conf_put(&b, "$ip6", "=", s->ip6);
		if (s->gateway6 != NULL)
			conf_put(&b, "$gateway6", "=", s->gateway6);
	}
	conf_put_tmpl(&b, "host.hostname", "=", "${name}.${domain}");
	conf_put(&b, "path", "=", s->path);
	conf_put_tmpl(&b, "exec.consolelog", "=", "/var/log/jail/${name}.log");
	buf_adds(&b, "  exec.clean;\n  mount.devfs;\n");
	buf_addf(&b, "  %-15s = %d;\n", "devfs_ruleset", s->devfs_ruleset);
	switch (s->type) {
	case NET_INHERIT:
		conf_put(&b, "ip4", "=", "inherit");
		conf_put(&b, "ip6", "=", "inherit");
		break;
	case NET_NEW:
		conf_put_tmpl(&b, "interface", "=", "${bridge}");
		conf_put(&b, "ip4.addr", "=", s->ip4);
		if (s->ip6 != NULL)
			conf_put(&b, "ip6.addr", "=", s->ip6);
		break;
	case NET_EB:
		buf_adds(&b, "  vnet;\n");
		conf_put_tmpl(&b, "vnet.interface", "=", "epair${id}b");
		conf_put_tmpl(&b, "exec.prestart", "=",
		    "ifconfig epair${id} create up");
		conf_put_tmpl(&b, "exec.prestart", "+=",
		    "ifconfig epair${id}b ether ${mac}");
		conf_put_tmpl(&b, "exec.prestart", "+=",
		    "ifconfig epair${id}a up descr vnet-${name}");
		conf_put_tmpl(&b, "exec.prestart", "+=",
		    "ifconfig ${bridge} addm epair${id}a up");
		conf_put_tmpl(&b, "exec.start", "=",
		    "/sbin/ifconfig lo0 127.0.0.1 up");
		conf_put_tmpl(&b, "exec.start", "+=", "/bin/sh /etc/rc");
		conf_put_tmpl(&b, "exec.stop", "=", "/bin/sh /etc/rc.shutdown jail");
		conf_put_tmpl(&b, "exec.poststop", "=",
		    "ifconfig ${bridge} deletem epair${id}a");
		conf_put_tmpl(&b, "exec.poststop", "+=",
		    "ifconfig epair${id}a destroy");
		break;
	}
	if (s->type != NET_EB) {
		conf_put(&b, "exec.start", "=", "/bin/sh /etc/rc");
		conf_put(&b, "exec.stop", "=", "/bin/sh /etc/rc.shutdown jail");
	}
	buf_adds(&b, "  persist;\n");
	conf_hooks_render(&b);
	buf_adds(&b, "}\n");
	return (buf_steal(&b));
}

/*
 * The hooks that make a start or stop by jail(8) itself (rc.d/jail at
 * boot, service jail, jail -c/-r by hand) load and flush the jail's pf
 * rules: the last lines of every jail's block (jailer init adds them to
 * older files, before the closing brace).
 */
void
conf_hooks_render(struct buf *b)
{
	conf_put_tmpl(b, "exec.poststart", "+=", JAILER_BIN " hook start ${name}");
	conf_put_tmpl(b, "exec.poststop", "+=", JAILER_BIN " hook stop ${name}");
}

/* Does the parsed jail cj run both hooks (as jail(8) expands them)? */
int
conf_has_hooks(const struct conf_jail *cj)
{
	static const char *const which[2][2] = {
		{ "exec.poststart", "start" }, { "exec.poststop", "stop" } };
	const struct conf_param *cp;
	char *want;
	size_t i, k;
	int found, all;

	all = 1;
	for (k = 0; k < 2 && all; k++) {
		want = xasprintf("%s hook %s %s", JAILER_BIN, which[k][1],
		    cj->name);
		found = 0;
		if ((cp = conf_param(cj, which[k][0])) != NULL)
			for (i = 0; i < cp->nvals && !found; i++)
				found = strcmp(cp->vals[i], want) == 0;
		free(want);
		all = found;
	}
	return (all);
}
