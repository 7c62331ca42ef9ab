/*
 * jailer nat add | list | del, jailer rdr add | list | del
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "exec.h"
#include "host.h"
#include "image.h"
#include "jail.h"
#include "out.h"
#include "pf.h"
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

/* Options shared by nat add and rdr add. */
struct pf_opts {
	const char	*ifname;
	const char	*addr;
	const char	*proto;
	const char	*ports;
	const char	*dport;
};

static int
check_common(struct jailer *jp, struct pf_opts *po, char ifname[16])
{
	struct in_addr a;

	if (po->ifname != NULL) {
		if (valid_ifname(jp, po->ifname) == -1)
			return (-1);
		snprintf(ifname, 16, "%s", po->ifname);
	}
	if (po->addr != NULL && parse_ipv4(jp, po->addr, &a) == -1)
		return (-1);
	return (0);
}

/* jailer nat add [-i interface] [-a address] jail */
int
cmd_nat_add(struct jailer *jp, int argc, char **argv)
{
	struct pf_opts po;
	struct pf_rules rs;
	struct pf_rule r;
	struct jails js;
	struct jail *j;
	struct opt o;
	char ifname[16];
	size_t i;
	int c, rc;

	memset(&po, 0, sizeof(po));
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "a:i:")) != -1) {
		switch (c) {
		case 'a':
			po.addr = o.arg;
			break;
		case 'i':
			po.ifname = o.arg;
			break;
		default:
			return (cmd_bad_option(&o, c));
		}
	}
	if (argc - o.ind != 1)
		return (cmd_usage_error("expected one jail name"));
	if (check_common(jp, &po, ifname) == -1 ||
	    valid_jail_name(jp, argv[o.ind]) == -1)
		return (cmd_fail(jp, NULL));
	if (pf_ready(jp) == -1 || (po.ifname == NULL &&
	    pf_default_if(jp, ifname) == -1))
		return (cmd_fail(jp, argv[o.ind]));
	if ((j = find_jail(jp, &js, argv[o.ind])) == NULL) {
		jails_free(&js);
		return (cmd_fail(jp, argv[o.ind]));
	}
	rc = 1;
	if (pf_rules_read(jp, j->name, &rs) == -1) {
		cmd_fail(jp, j->name);
		goto out;
	}
	for (i = 0; i < rs.n; i++)
		if (rs.v[i].kind == 'n') {
			jailer_seterr(jp, "already has a NAT rule; remove it "
			    "with 'jailer nat del %s' first", j->name);
			cmd_fail(jp, j->name);
			goto out;
		}
	memset(&r, 0, sizeof(r));
	r.kind = 'n';
	snprintf(r.ifname, sizeof(r.ifname), "%s", ifname);
	if (po.addr != NULL)
		snprintf(r.addr, sizeof(r.addr), "%s", po.addr);
	rs.v = xrealloc(rs.v, (rs.n + 1) * sizeof(*rs.v));
	rs.v[rs.n++] = r;
	ui_begin("Adding NAT for %s on %s", j->name, ifname);
	c = apply_rules(jp, j, &rs);
	ui_end(c == 0);
	rc = c == 0 ? 0 : cmd_fail(jp, j->name);
out:
	pf_rules_free(&rs);
	jails_free(&js);
	return (rc);
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
 * jailer rdr add [-i interface] [-a address] -p tcp|udp -r port[:port]
 *     [-d port] jail
 */
int
cmd_rdr_add(struct jailer *jp, int argc, char **argv)
{
	struct pf_opts po;
	struct pf_rules rs;
	struct pf_rule r;
	struct jails js;
	struct jail *j;
	struct opt o;
	char ifname[16];
	size_t i;
	int c, rc, d2;

	memset(&po, 0, sizeof(po));
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "a:d:i:p:r:")) != -1) {
		switch (c) {
		case 'a':
			po.addr = o.arg;
			break;
		case 'd':
			po.dport = o.arg;
			break;
		case 'i':
			po.ifname = o.arg;
			break;
		case 'p':
			po.proto = o.arg;
			break;
		case 'r':
			po.ports = o.arg;
			break;
		default:
			return (cmd_bad_option(&o, c));
		}
	}
	if (argc - o.ind != 1)
		return (cmd_usage_error("expected one jail name"));
	if (po.proto == NULL || po.ports == NULL)
		return (cmd_usage_error("-p tcp|udp and -r PORT are required"));
	memset(&r, 0, sizeof(r));
	r.kind = 'r';
	if (strcmp(po.proto, "tcp") != 0 && strcmp(po.proto, "udp") != 0) {
		jailer_seterr(jp, "invalid protocol '%s': use tcp or udp",
		    vis(po.proto));
		return (cmd_fail(jp, NULL));
	}
	if (check_common(jp, &po, ifname) == -1 ||
	    pf_parse_ports(jp, po.ports, &r.port1, &r.port2) == -1 ||
	    (po.dport != NULL && (pf_parse_ports(jp, po.dport, &r.dport,
	    &d2) == -1 || (d2 != r.dport && jailer_seterr(jp, "-d takes "
	    "one port, the first of the jail's range") == -1))) ||
	    valid_jail_name(jp, argv[o.ind]) == -1)
		return (cmd_fail(jp, NULL));
	if (po.dport == NULL)
		r.dport = r.port1;
	if (r.dport + (r.port2 - r.port1) > 65535) {
		jailer_seterr(jp, "the jail's ports would go past 65535");
		return (cmd_fail(jp, NULL));
	}
	snprintf(r.proto, sizeof(r.proto), "%s", po.proto);
	if (pf_ready(jp) == -1 || (po.ifname == NULL &&
	    pf_default_if(jp, ifname) == -1))
		return (cmd_fail(jp, argv[o.ind]));
	snprintf(r.ifname, sizeof(r.ifname), "%s", ifname);
	if (po.addr != NULL)
		snprintf(r.addr, sizeof(r.addr), "%s", po.addr);
	if ((j = find_jail(jp, &js, argv[o.ind])) == NULL) {
		jails_free(&js);
		return (cmd_fail(jp, argv[o.ind]));
	}
	rc = 1;
	memset(&rs, 0, sizeof(rs));
	if (rdr_conflict(jp, j->name, &r) == -1 ||
	    pf_rules_read(jp, j->name, &rs) == -1) {
		cmd_fail(jp, j->name);
		goto out;
	}
	r.num = 1;
	for (i = 0; i < rs.n; i++)
		if (rs.v[i].kind == 'r' && rs.v[i].num >= r.num)
			r.num = rs.v[i].num + 1;
	rs.v = xrealloc(rs.v, (rs.n + 1) * sizeof(*rs.v));
	rs.v[rs.n++] = r;
	ui_begin("Redirecting %s port %s on %s to %s", r.proto, po.ports,
	    ifname, j->name);
	c = apply_rules(jp, j, &rs);
	ui_end(c == 0);
	rc = c == 0 ? 0 : cmd_fail(jp, j->name);
out:
	pf_rules_free(&rs);
	jails_free(&js);
	return (rc);
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

/* nat list and rdr list: one table of the rules of one kind. */
/*
 * The LOADED column of a jail's rules of one kind: have is what
 * pf_loaded_anchors() returned into anchors.  Only a running jail with
 * an address can have its rules loaded as they should be.
 */
static const char *
row_loaded(struct jailer *jp, int have, const char *anchors,
    const char *name, const struct jail *j, const struct pf_rules *rs,
    char kind, const char *jaddr)
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
	live = j != NULL && j->running && strcmp(jaddr, "-") != 0;
	scratch = *jp;
	pf_jail_loaded(&scratch, name, rs, live ? jaddr : NULL, st);
	return (pf_loaded_word(st[kind == 'n' ? 0 : 1]));
}

static int
list_rules(struct jailer *jp, int argc, char **argv, char kind)
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
	struct pf_rules rs, one;
	struct jails js;
	struct jail *j;
	struct opt o;
	struct buf text, anchors;
	const char *row[10], *loaded;
	char **names, jaddr[16], num[16], ports[16], dport[16], *nl;
	size_t n, i, k;
	int c, json, have;

	json = 0;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "j")) != -1) {
		if (c != 'j')
			return (cmd_bad_option(&o, c));
		json = 1;
	}
	argc -= o.ind;
	argv += o.ind;
	if (argc > 1)
		return (cmd_usage_error("at most one jail name"));
	if (argc == 1 && valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if (rule_jails(jp, argc == 1 ? argv[0] : NULL, &names, &n) == -1 ||
	    jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (cmd_fail(jp, NULL));
	t = kind == 'n' ? out_new(ncols, nitems(ncols)) :
	    out_new(rcols, nitems(rcols));
	buf_init(&text);
	buf_init(&anchors);
	have = pf_loaded_anchors(jp, &anchors);
	for (i = 0; i < n; i++) {
		if (pf_rules_read(jp, names[i], &rs) == -1) {
			jailer_warnx(names[i], "%s", jp->err);
			continue;
		}
		j = jails_find(&js, names[i]);
		strcpy(jaddr, "-");
		if (j != NULL && j->has_conf && pf_jail_addr(jp, j, jaddr) != 1)
			strcpy(jaddr, "-");
		loaded = row_loaded(jp, have, anchors.data, names[i], j, &rs,
		    kind, jaddr);
		for (k = 0; k < rs.n; k++) {
			if (rs.v[k].kind != kind)
				continue;
			one.v = &rs.v[k];
			one.n = 1;
			buf_reset(&text);
			pf_render(&one, strcmp(jaddr, "-") != 0 ? jaddr :
			    "<no address>", &text);
			if ((nl = strchr(text.data, '\n')) != NULL)
				*nl = '\0';
			memset(row, 0, sizeof(row));
			row[0] = names[i];
			if (kind == 'n') {
				row[1] = rs.v[k].ifname;
				row[2] = *rs.v[k].addr != '\0' ?
				    rs.v[k].addr : "-";
				row[3] = jaddr;
				row[4] = loaded;
				row[5] = text.data;
			} else {
				snprintf(num, sizeof(num), "%d", rs.v[k].num);
				if (rs.v[k].port1 == rs.v[k].port2)
					snprintf(ports, sizeof(ports), "%d",
					    rs.v[k].port1);
				else
					snprintf(ports, sizeof(ports), "%d:%d",
					    rs.v[k].port1, rs.v[k].port2);
				snprintf(dport, sizeof(dport), "%d",
				    rs.v[k].dport);
				row[1] = num;
				row[2] = rs.v[k].proto;
				row[3] = ports;
				row[4] = rs.v[k].ifname;
				row[5] = *rs.v[k].addr != '\0' ?
				    rs.v[k].addr : "-";
				row[6] = dport;
				row[7] = jaddr;
				row[8] = loaded;
				row[9] = text.data;
			}
			out_row(t, row);
		}
		pf_rules_free(&rs);
	}
	/* The pf rule is for JSON; the table is wide enough without it. */
	if (json)
		out_print(t, stdout, OUT_JSON);
	else
		out_print_cols(t, stdout, kind == 'n' ? 5 : 9);
	out_free(t);
	buf_free(&text);
	buf_free(&anchors);
	jails_free(&js);
	strv_free(names, n);
	return (0);
}

int
cmd_nat_list(struct jailer *jp, int argc, char **argv)
{
	return (list_rules(jp, argc, argv, 'n'));
}

int
cmd_rdr_list(struct jailer *jp, int argc, char **argv)
{
	return (list_rules(jp, argc, argv, 'r'));
}

/* Remove rules of a jail: kind 'n', or 'r' number num (0: all). */
static int
del_rules(struct jailer *jp, const char *name, char kind, int num)
{
	struct pf_rules rs;
	struct jails js;
	struct jail *j, none;
	size_t i, k;
	int removed, rc;

	if (jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (cmd_fail(jp, NULL));
	if ((j = jails_find(&js, name)) == NULL) {
		memset(&none, 0, sizeof(none));
		none.name = (char *)name;
		none.id = -1;
		j = &none;
	}
	rc = 1;
	if (pf_rules_read(jp, name, &rs) == -1) {
		cmd_fail(jp, name);
		goto out;
	}
	for (i = k = 0, removed = 0; i < rs.n; i++) {
		if (rs.v[i].kind == kind && (num == 0 || rs.v[i].num == num)) {
			removed++;
			continue;
		}
		rs.v[k++] = rs.v[i];
	}
	rs.n = k;
	if (removed == 0) {
		if (kind == 'n')
			jailer_seterr(jp, "no NAT rule");
		else if (num == 0)
			jailer_seterr(jp, "no redirection rules");
		else
			jailer_seterr(jp, "no redirection rule %d", num);
		cmd_fail(jp, name);
		goto out;
	}
	ui_begin("Removing %s of %s", kind == 'n' ? "NAT" : "redirection",
	    name);
	i = apply_rules(jp, j, &rs) == 0;
	ui_end((int)i);
	rc = i ? 0 : cmd_fail(jp, name);
out:
	pf_rules_free(&rs);
	jails_free(&js);
	return (rc);
}

/* jailer nat del jail */
int
cmd_nat_del(struct jailer *jp, int argc, char **argv)
{
	if (argc != 2)
		return (cmd_usage_error("expected one jail name"));
	if (valid_jail_name(jp, argv[1]) == -1)
		return (cmd_fail(jp, NULL));
	return (del_rules(jp, argv[1], 'n', 0));
}

/* jailer rdr del jail -n rule | -f  (the options may come first) */
int
cmd_rdr_del(struct jailer *jp, int argc, char **argv)
{
	struct opt o;
	const char *name, *nstr;
	char *end;
	long num;
	int c, force, i;

	name = nstr = NULL;
	force = 0;
	/* Accept "rdr del JAIL -n 1" as the original did, and the usual order. */
	for (i = 1; i < argc; i = o.ind) {
		opt_init(&o);
		o.ind = i;
		while ((c = opt_get(&o, argc, argv, "fn:")) != -1) {
			switch (c) {
			case 'f':
				force = 1;
				break;
			case 'n':
				nstr = o.arg;
				break;
			default:
				return (cmd_bad_option(&o, c));
			}
		}
		if (o.ind < argc) {
			if (name != NULL)
				return (cmd_usage_error("expected one jail "
				    "name"));
			name = argv[o.ind++];
		}
	}
	if (name == NULL)
		return (cmd_usage_error("expected one jail name"));
	if ((nstr == NULL) == !force)
		return (cmd_usage_error("give -n RULE or -f (all rules)"));
	if (valid_jail_name(jp, name) == -1)
		return (cmd_fail(jp, NULL));
	num = 0;
	if (nstr != NULL) {
		num = strtol(nstr, &end, 10);
		if (*nstr < '0' || *nstr > '9' || *end != '\0' || num < 1 ||
		    num > 9999) {
			jailer_seterr(jp, "invalid rule number '%s'", vis(nstr));
			return (cmd_fail(jp, NULL));
		}
	}
	return (del_rules(jp, name, 'r', (int)num));
}
