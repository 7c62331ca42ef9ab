/*
 * nat add | list | del and rdr add | list | del: the checks, the jail's
 * rule set as it will be, and the tables that show them.  A change is
 * saved and, if the jail runs, loaded; if loading fails the old rules
 * come back.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "image.h"
#include "net6.h"
#include "plan.h"
#include "rules.h"
#include "undo.h"
#include "validate.h"

/* The jail, loaded with its running state; NULL with an error. */
static struct jail *
find_jail(struct jailer *jp, struct jails *js, const char *name)
{
	struct jail *j;

	if (valid_jail_name(jp, name) == -1)
		return (NULL);
	if (jails_load(jp, js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (NULL);
	if ((j = jails_find(js, name)) == NULL || !j->has_conf) {
		jailer_seterr(jp, "no such jail");
		return (NULL);
	}
	if (j->type == NET_INHERIT) {
		jailer_seterr(jp, "an inherit jail uses the host's addresses; "
		    "NAT and redirection need -t new or -t eb");
		return (NULL);
	}
	return (j);
}

/*
 * Save the jail's new rules and, if it runs, load them; if loading fails
 * the old rules come back.
 */
static int
apply_rules(struct jailer *jp, const struct jail *j, const struct pf_rules *rs)
{
	struct undo u;
	char *path, *fpath;

	path = xasprintf("%s/%s.rules", PF_RULES_DIR, j->name);
	fpath = host_path(path);
	free(path);
	undo_init(&u);
	if (undo_save_file(jp, &u, fpath) == -1 ||
	    pf_rules_write(jp, j->name, rs) == -1 ||
	    (j->running && (rs->n > 0 ? pf_jail_load(jp, j) :
	    pf_jail_flush(jp, j->name)) == -1)) {
		undo_run(jp, &u);
		free(fpath);
		return (-1);
	}
	undo_commit(&u);
	free(fpath);
	return (0);
}

/* Does this redirection claim a port another jail's rule claims? */
static int
rdr_conflict(struct jailer *jp, const char *self, const struct pf_rule *r)
{
	struct pf_rules rs;
	const struct pf_rule *o;
	char **names;
	size_t i, k, n;
	int rc;

	if (pf_rule_jails(jp, &names, &n) == -1)
		return (-1);
	rc = 0;
	for (k = 0; k < n && rc == 0; k++) {
		if (pf_rules_read(jp, names[k], &rs) == -1)
			continue;
		for (i = 0; i < rs.n && rc == 0; i++) {
			o = &rs.v[i];
			if (o->kind != 'r' || strcmp(o->proto, r->proto) != 0 ||
			    (strchr(o->addr, ':') == NULL) !=
			    (strchr(r->addr, ':') == NULL) ||
			    strcmp(o->ifname, r->ifname) != 0 ||
			    (*o->addr != '\0' && *r->addr != '\0' &&
			    strcmp(o->addr, r->addr) != 0) ||
			    o->port2 < r->port1 || r->port2 < o->port1)
				continue;
			if (strcmp(names[k], self) == 0)
				rc = jailer_seterr(jp, "%s port %d on %s is "
				    "already redirected to this jail (rule "
				    "%d)", r->proto, o->port1, r->ifname,
				    o->num);
			else
				rc = jailer_seterr(jp, "%s port %d on %s is "
				    "already redirected to the jail %s",
				    r->proto, o->port1 > r->port1 ? o->port1 :
				    r->port1, r->ifname, names[k]);
		}
		pf_rules_free(&rs);
	}
	strv_free(names, n);
	return (rc);
}

/*
 * Check -i and -a; the interface goes into ifname, the address (IPv6 in
 * its canonical form) into addr ("" without -a).
 */
static int
check_common(struct jailer *jp, const struct rule_opts *po, char ifname[16],
    char addr[NET6_STRLEN])
{
	struct in_addr a;

	addr[0] = '\0';
	if (po->ifname != NULL) {
		if (valid_ifname(jp, po->ifname) == -1)
			return (-1);
		snprintf(ifname, 16, "%s", po->ifname);
	}
	if (po->addr != NULL && strchr(po->addr, ':') != NULL)
		return (net6_parse_addr(jp, po->addr, addr));
	if (po->addr != NULL && parse_ipv4(jp, po->addr, &a) == -1)
		return (-1);
	if (po->addr != NULL)
		snprintf(addr, NET6_STRLEN, "%s", po->addr);
	return (0);
}

/* pf must be set up; without -i the rule goes on the default interface. */
static int
pf_check(struct jailer *jp, const struct rule_opts *po, const char *name,
    struct rule_change *c)
{
	if (pf_ready(jp) == -1 || (po->ifname == NULL &&
	    pf_default_if(jp, c->ifname) == -1)) {
		c->who = name;
		return (-1);
	}
	return (0);
}

/* Load the jail (c->j) and its rules (c->rs). */
static int
load_jail(struct jailer *jp, const char *name, struct rule_change *c)
{
	if ((c->j = find_jail(jp, &c->js, name)) == NULL) {
		c->who = name;
		return (-1);
	}
	c->who = c->j->name;
	return (0);
}

static void
rules_append(struct pf_rules *rs, const struct pf_rule *r)
{
	rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
	rs->v[rs->n++] = *r;
}

/* The rules of the jail name with a NAT rule added (nat add). */
int
rules_nat_add(struct jailer *jp, const struct rule_opts *po, const char *name,
    struct rule_change *c)
{
	struct pf_rule r;
	char addr[NET6_STRLEN];
	size_t i;

	memset(c, 0, sizeof(*c));
	if (check_common(jp, po, c->ifname, addr) == -1 ||
	    valid_jail_name(jp, name) == -1)
		return (-1);
	if (strchr(addr, ':') != NULL)
		return (jailer_seterr(jp, "NAT is for IPv4 only: a jail's "
		    "IPv6 address is reachable as it is"));
	if (pf_check(jp, po, name, c) == -1 || load_jail(jp, name, c) == -1)
		return (-1);
	if (pf_rules_read(jp, c->j->name, &c->rs) == -1)
		return (-1);
	for (i = 0; i < c->rs.n; i++)
		if (c->rs.v[i].kind == 'n')
			return (jailer_seterr(jp, "already has a NAT rule; "
			    "remove it with 'jailer nat del %s' first",
			    c->j->name));
	memset(&r, 0, sizeof(r));
	r.kind = 'n';
	snprintf(r.ifname, sizeof(r.ifname), "%s", c->ifname);
	snprintf(r.addr, sizeof(r.addr), "%s", addr);
	rules_append(&c->rs, &r);
	return (0);
}

/* Check what rdr add was given and make its rule (without a number). */
static int
rdr_rule(struct jailer *jp, const struct rule_opts *po, const char *name,
    struct rule_change *c, struct pf_rule *r)
{
	int d2;

	memset(r, 0, sizeof(*r));
	r->kind = 'r';
	if (strcmp(po->proto, "tcp") != 0 && strcmp(po->proto, "udp") != 0)
		return (jailer_seterr(jp, "invalid protocol '%s': use tcp or "
		    "udp", vis(po->proto)));
	if (check_common(jp, po, c->ifname, r->addr) == -1 ||
	    pf_parse_ports(jp, po->ports, &r->port1, &r->port2) == -1 ||
	    (po->dport != NULL && (pf_parse_ports(jp, po->dport, &r->dport,
	    &d2) == -1 || (d2 != r->dport && jailer_seterr(jp, "-d takes "
	    "one port, the first of the jail's range") == -1))) ||
	    valid_jail_name(jp, name) == -1)
		return (-1);
	if (po->dport == NULL)
		r->dport = r->port1;
	if (r->dport + (r->port2 - r->port1) > 65535)
		return (jailer_seterr(jp, "the jail's ports would go past "
		    "65535"));
	snprintf(r->proto, sizeof(r->proto), "%s", po->proto);
	if (pf_check(jp, po, name, c) == -1)
		return (-1);
	snprintf(r->ifname, sizeof(r->ifname), "%s", c->ifname);
	return (0);
}

/* The rules of the jail name with a redirection added (rdr add). */
int
rules_rdr_add(struct jailer *jp, const struct rule_opts *po, const char *name,
    struct rule_change *c)
{
	struct pf_rule r;
	char addr6[NET6_STRLEN];
	size_t i;

	memset(c, 0, sizeof(*c));
	if (rdr_rule(jp, po, name, c, &r) == -1 ||
	    load_jail(jp, name, c) == -1)
		return (-1);
	if (strchr(r.addr, ':') != NULL && !net6_addr_of(c->j, addr6))
		return (jailer_seterr(jp, "an IPv6 redirection needs the "
		    "jail's static IPv6 address (create -a ADDRESS/PREFIX)"));
	if (rdr_conflict(jp, c->j->name, &r) == -1 ||
	    pf_rules_read(jp, c->j->name, &c->rs) == -1)
		return (-1);
	r.num = 1;
	for (i = 0; i < c->rs.n; i++)
		if (c->rs.v[i].kind == 'r' && c->rs.v[i].num >= r.num)
			r.num = c->rs.v[i].num + 1;
	rules_append(&c->rs, &r);
	return (0);
}

/* The rules of the jail name without kind 'n', or 'r' number num (0: all). */
int
rules_del(struct jailer *jp, const char *name, char kind, int num,
    struct rule_change *c)
{
	size_t i, k;
	int removed;

	memset(c, 0, sizeof(*c));
	if (jails_load(jp, &c->js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	if ((c->j = jails_find(&c->js, name)) == NULL) {
		c->none.name = (char *)name;
		c->none.id = -1;
		c->j = &c->none;
	}
	c->who = name;
	if (pf_rules_read(jp, name, &c->rs) == -1)
		return (-1);
	for (i = k = 0, removed = 0; i < c->rs.n; i++) {
		if (c->rs.v[i].kind == kind && (num == 0 ||
		    c->rs.v[i].num == num)) {
			removed++;
			continue;
		}
		c->rs.v[k++] = c->rs.v[i];
	}
	c->rs.n = k;
	if (removed > 0)
		return (0);
	if (kind == 'n')
		return (jailer_seterr(jp, "no NAT rule"));
	if (num == 0)
		return (jailer_seterr(jp, "no redirection rules"));
	return (jailer_seterr(jp, "no redirection rule %d", num));
}

/* Save and load the changed rules. */
int
rules_apply(struct jailer *jp, struct rule_change *c)
{
	return (apply_rules(jp, c->j, &c->rs));
}

/* -D: the rule file as it would be, and its load into a running jail. */
void
rules_plan(struct jailer *jp, const struct rule_change *c)
{
	struct buf b;
	char *path, *fpath, anchor[96];

	path = xasprintf("%s/%s.rules", PF_RULES_DIR, c->j->name);
	fpath = host_path(path);
	buf_init(&b);
	if (c->rs.n > 0)
		pf_rules_text(c->j->name, &c->rs, &b);
	plan_file(jp, NULL, path, fpath, c->rs.n > 0 ? b.data : NULL);
	snprintf(anchor, sizeof(anchor), "jailer/%s", c->j->name);
	if (c->j->running)
		plan_item(jp, NULL, c->rs.n > 0 ? "change" : "remove",
		    "pf anchor", anchor, NULL, NULL, c->rs.n > 0 ?
		    "load the rules into the anchor %s" :
		    "flush the anchor %s", anchor);
	buf_free(&b);
	free(path);
	free(fpath);
}

void
rules_change_free(struct rule_change *c)
{
	pf_rules_free(&c->rs);
	jails_free(&c->js);
}

/* The jails that have rule files, or just the one asked for. */
static int
rule_jails(struct jailer *jp, const char *only, char ***names, size_t *n)
{
	if (only == NULL)
		return (pf_rule_jails(jp, names, n));
	*names = xcalloc(1, sizeof(**names));
	(*names)[0] = xstrdup(only);
	*n = 1;
	return (0);
}

/*
 * The LOADED column of a jail's rules of one kind: have is what
 * pf_loaded_anchors() returned into anchors.  Only a running jail with
 * an address can have its rules loaded as they should be.
 */
static const char *
row_loaded(struct jailer *jp, int have, const char *anchors,
    const char *name, const struct jail *j, const struct pf_rules *rs,
    char kind, const char *jaddr, const char *jaddr6)
{
	struct jailer scratch;
	enum pf_loaded st[2];
	size_t k;
	int live;

	for (k = 0; k < rs->n && rs->v[k].kind != kind; k++)
		;
	if (k == rs->n)
		return ("-");	/* no rule of this kind: no row shows it */
	if (have == -1)
		return (pf_loaded_word(PF_LOADED_UNKNOWN));
	if (have == 0 || !pf_anchor_listed(anchors, name))
		return (pf_loaded_word(PF_LOADED_NO));
	live = j != NULL && j->running;
	scratch = *jp;
	pf_jail_loaded(&scratch, name, rs, live && strcmp(jaddr, "-") != 0 ?
	    jaddr : NULL, live && *jaddr6 != '\0' ? jaddr6 : NULL, st);
	return (pf_loaded_word(st[kind == 'n' ? 0 : 1]));
}

/* One row of nat list (kind 'n') or rdr list for the rule r. */
static void
rule_row(struct out_table *t, const char *name, const struct pf_rule *r,
    const char *jaddr, const char *loaded, const char *text)
{
	const char *row[10];
	char num[16], ports[16], dport[16];

	memset(row, 0, sizeof(row));
	row[0] = name;
	if (r->kind == 'n') {
		row[1] = r->ifname;
		row[2] = *r->addr != '\0' ? r->addr : "-";
		row[3] = jaddr;
		row[4] = loaded;
		row[5] = text;
		out_row(t, row);
		return;
	}
	snprintf(num, sizeof(num), "%d", r->num);
	if (r->port1 == r->port2)
		snprintf(ports, sizeof(ports), "%d", r->port1);
	else
		snprintf(ports, sizeof(ports), "%d:%d", r->port1, r->port2);
	snprintf(dport, sizeof(dport), "%d", r->dport);
	row[1] = num;
	row[2] = r->proto;
	row[3] = ports;
	row[4] = r->ifname;
	row[5] = *r->addr != '\0' ? r->addr : "-";
	row[6] = dport;
	row[7] = jaddr;
	row[8] = loaded;
	row[9] = text;
	out_row(t, row);
}

/* The rows of one jail's rules of one kind. */
static void
jail_rows(struct jailer *jp, struct out_table *t, const char *name,
    struct jails *js, char kind, int have, const char *anchors)
{
	struct pf_rules rs, one;
	struct jail *j;
	struct buf text;
	const char *loaded, *v4, *v6;
	char jaddr[16], jaddr6[NET6_STRLEN], *nl;
	size_t k;

	if (pf_rules_read(jp, name, &rs) == -1) {
		jailer_warnx(name, "%s", jp->err);
		return;
	}
	j = jails_find(js, name);
	strcpy(jaddr, "-");
	if (j != NULL && j->has_conf && pf_jail_addr(jp, j, jaddr) != 1)
		strcpy(jaddr, "-");
	if (j == NULL || !j->has_conf || !net6_addr_of(j, jaddr6))
		jaddr6[0] = '\0';
	loaded = row_loaded(jp, have, anchors, name, j, &rs, kind, jaddr,
	    jaddr6);
	v4 = strcmp(jaddr, "-") != 0 ? jaddr : "<no address>";
	v6 = jaddr6[0] != '\0' ? jaddr6 : "<no IPv6 address>";
	buf_init(&text);
	for (k = 0; k < rs.n; k++) {
		if (rs.v[k].kind != kind)
			continue;
		one.v = &rs.v[k];
		one.n = 1;
		buf_reset(&text);
		pf_render(&one, v4, v6, &text);
		if ((nl = strchr(text.data, '\n')) != NULL)
			*nl = '\0';
		rule_row(t, name, &rs.v[k], strchr(rs.v[k].addr, ':') == NULL ?
		    jaddr : jaddr6[0] != '\0' ? jaddr6 : "-", loaded,
		    text.data);
	}
	buf_free(&text);
	pf_rules_free(&rs);
}

/*
 * The table of nat list (kind 'n') or rdr list: the rules of every jail
 * that has rules, or of the jail only.
 */
int
rules_table(struct jailer *jp, const char *only, char kind,
    struct out_table **tp)
{
	static const struct out_col ncols[] = { { "JAIL", "jail" },
	    { "INTERFACE", "interface" }, { "ADDRESS", "address" },
	    { "JAIL-ADDRESS", "jail_address" }, { "LOADED", "loaded" },
	    { "RULE", "rule" } };
	static const struct out_col rcols[] = { { "JAIL", "jail" },
	    { "RULE", "number" }, { "PROTO", "proto" }, { "PORTS", "ports" },
	    { "INTERFACE", "interface" }, { "ADDRESS", "address" },
	    { "JAIL-PORT", "jail_port" }, { "JAIL-ADDRESS", "jail_address" },
	    { "LOADED", "loaded" }, { "PF", "rule" } };
	struct out_table *t;
	struct jails js;
	struct buf anchors;
	char **names;
	size_t n, i;
	int have;

	if (rule_jails(jp, only, &names, &n) == -1 ||
	    jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	t = kind == 'n' ? out_new(ncols, nitems(ncols)) :
	    out_new(rcols, nitems(rcols));
	buf_init(&anchors);
	have = pf_loaded_anchors(jp, &anchors);
	for (i = 0; i < n; i++)
		jail_rows(jp, t, names[i], &js, kind, have, anchors.data);
	buf_free(&anchors);
	jails_free(&js);
	strv_free(names, n);
	*tp = t;
	return (0);
}
