/*
 * init bridge, init dhcp and init pf: each works out what the host still
 * needs (a plan the command shows and asks about), then does only that,
 * pushing an undo for every change so that a failure takes them back.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp.h"
#include "exec.h"
#include "host.h"
#include "hostnet.h"
#include "net.h"
#include "pf.h"
#include "undo.h"
#include "validate.h"

#define	DEVFS_RULES		"/etc/devfs.rules"
#define	DEVFS_NAME		"jailer_vnet"

/* A bridge name as if_bridge(4) clones them: bridgeN. */
static int
valid_bridge(struct jailer *jp, const char *s)
{
	const char *p;

	if (valid_ifname(jp, s) == -1)
		return (-1);
	if (!str_has_prefix(s, "bridge") || s[6] == '\0')
		goto bad;
	for (p = s + 6; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			goto bad;
	return (0);
bad:
	return (jailer_seterr(jp, "invalid bridge name '%s': bridges are "
	    "named bridgeN", vis(s)));
}

/* Is word one of the blank-separated words of list? */
static int
has_word(const char *list, const char *word)
{
	const char *p;
	size_t n, len;

	n = strlen(word);
	for (p = list; p != NULL && *p != '\0'; p += len) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len == n && strncmp(p, word, n) == 0)
			return (1);
	}
	return (0);
}

/*
 * Check cidr as the bridge's address against every address of the host:
 * the bridge may only have this one, and no other interface may overlap.
 */
static int
bridge_addr_check(struct jailer *jp, struct bridge_plan *p, uint32_t addr,
    int prefix)
{
	struct hostaddr4 *ha;
	char s[16];
	size_t nha, i;
	int rc;

	if (net_all_addrs(jp, &ha, &nha) == -1)
		return (-1);
	rc = 0;
	for (i = 0; i < nha; i++) {
		if (strcmp(ha[i].ifname, p->bridge) == 0) {
			p->exists = 1;
			if (ha[i].addr == addr && ha[i].prefix == prefix)
				p->has_addr = 1;
			else
				rc = jailer_seterr(jp, "%s already has another "
				    "address; configure it by hand", p->bridge);
		} else if (net_overlap(addr, prefix, ha[i].addr,
		    ha[i].prefix)) {
			ipv4_str(ha[i].addr, s);
			rc = jailer_seterr(jp, "%s overlaps %s/%d on %s; choose "
			    "another subnet with -a", p->cidr, s, ha[i].prefix,
			    ha[i].ifname);
		}
	}
	free(ha);
	if (rc == -1)
		p->who = p->bridge;
	return (rc);
}

/* Work out what init bridge has to do for bridge with address cidr. */
int
hostnet_bridge_plan(struct jailer *jp, const char *bridge, const char *cidr,
    struct bridge_plan *p)
{
	struct in_addr in;
	uint32_t addr, net, bcast;
	int prefix;

	memset(p, 0, sizeof(*p));
	p->bridge = bridge;
	p->cidr = cidr;
	if (valid_bridge(jp, bridge) == -1 ||
	    parse_cidr4(jp, cidr, &in, &prefix) == -1)
		return (-1);
	addr = ntohl(in.s_addr);
	net = addr & (0xffffffffU << (32 - (prefix == 0 ? 32 : prefix)));
	bcast = net | ~(0xffffffffU << (32 - (prefix == 0 ? 32 : prefix)));
	if (prefix < 8 || prefix > 30 || addr == net || addr == bcast)
		return (jailer_seterr(jp, "%s: the bridge needs a host address "
		    "in a subnet of /8 to /30", cidr));
	if (bridge_addr_check(jp, p, addr, prefix) == -1)
		return (-1);
	/* ifconfig -l tells whether the bridge exists without an address. */
	if (!p->exists) {
		struct buf l;

		buf_init(&l);
		if (net_if_list(jp, &l) == -1) {
			buf_free(&l);
			return (-1);
		}
		p->exists = has_word(l.data, bridge);
		buf_free(&l);
	}
	p->want = xasprintf("inet %s up", cidr);
	p->rcvar = xasprintf("ifconfig_%s", bridge);
	if (host_rc_get(jp, "cloned_interfaces", &p->cloned) == -1 ||
	    host_rc_get(jp, p->rcvar, &p->cur) == -1)
		return (-1);
	if (p->cur != NULL && strcmp(p->cur, p->want) != 0) {
		p->who = bridge;
		return (jailer_seterr(jp, "%s is already set to \"%s\" in "
		    "rc.conf; remove it, or pick another bridge with -i",
		    p->rcvar, vis(p->cur)));
	}
	p->done = has_word(p->cloned, bridge) && p->cur != NULL &&
	    p->exists && p->has_addr;
	return (0);
}

/* Configure the bridge: rc.conf for boot, ifconfig for now. */
int
hostnet_bridge_apply(struct jailer *jp, struct bridge_plan *p,
    struct undo *u)
{
	const char *create[] = { "ifconfig", NULL, "create", NULL };
	const char *destroy[] = { "ifconfig", NULL, "destroy", NULL };
	const char *inet[] = { "ifconfig", NULL, "inet", NULL, "up", NULL };
	const char *unalias[] = { "ifconfig", NULL, "inet", NULL, "-alias",
	    NULL };
	int ok;

	ok = 1;
	if (!has_word(p->cloned, p->bridge)) {
		char *v = p->cloned != NULL && *p->cloned != '\0' ?
		    xasprintf("%s %s", p->cloned, p->bridge) :
		    xstrdup(p->bridge);

		ok = host_rc_set(jp, u, "cloned_interfaces", v) == 0;
		free(v);
	}
	if (ok && p->cur == NULL)
		ok = host_rc_set(jp, u, p->rcvar, p->want) == 0;
	create[1] = destroy[1] = inet[1] = unalias[1] = p->bridge;
	inet[3] = unalias[3] = p->cidr;
	if (ok && !p->exists) {
		ok = run(jp, create, NULL, 0) == 0;
		if (ok)
			undo_cmd(u, destroy);
	}
	if (ok && !p->has_addr) {
		ok = run(jp, inet, NULL, 0) == 0;
		if (ok && p->exists)
			undo_cmd(u, unalias);
	}
	if (!ok)
		p->who = p->bridge;
	return (ok ? 0 : -1);
}

void
hostnet_bridge_free(struct bridge_plan *p)
{
	free(p->want);
	free(p->rcvar);
	free(p->cloned);
	free(p->cur);
}

/*
 * The devfs.rules text with jailer's ruleset added if it is missing:
 * devfsrules_jail_vnet plus bpf, numbered with the lowest free number
 * from 10.  Returns NULL when the ruleset is already there.
 */
static char *
devfs_rules_add(const char *text)
{
	struct buf b;
	const char *p, *eq;
	char name[64];
	int used[256], n, num;
	size_t len;

	memset(used, 0, sizeof(used));
	for (p = text; (p = strchr(p, '[')) != NULL; p++) {
		if ((eq = strchr(p, '=')) == NULL || eq - p > 60)
			continue;
		len = (size_t)(eq - p - 1);
		memcpy(name, p + 1, len);
		name[len] = '\0';
		if (strcmp(name, DEVFS_NAME) == 0)
			return (NULL);
		n = atoi(eq + 1);
		if (n > 0 && n < 256)
			used[n] = 1;
	}
	for (num = 10; num < 255 && used[num]; num++)
		;
	buf_init(&b);
	buf_adds(&b, text);
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		buf_addc(&b, '\n');
	buf_addf(&b, "\n# Written by jailer(8): what devfsrules_jail_vnet shows, "
	    "plus bpf for DHCP.\n[%s=%d]\nadd include $devfsrules_jail_vnet\n"
	    "add path 'bpf*' unhide\n", DEVFS_NAME, num);
	return (buf_steal(&b));
}

/* The number of jailer's ruleset in devfs.rules text, or -1. */
static int
devfs_rules_num(const char *text)
{
	const char *p;
	int n;

	if ((p = strstr(text, "[" DEVFS_NAME "=")) == NULL)
		return (-1);
	n = atoi(p + strlen("[" DEVFS_NAME "="));
	return (n > 0 && n < 65536 ? n : -1);
}

/* Is devfs ruleset num loaded in the kernel ("devfs rule showsets")? */
static int
devfs_loaded(struct jailer *jp, int num)
{
	const char *argv[] = { "devfs", "rule", "showsets", NULL };
	struct buf out;
	char want[16];
	int rc;

	buf_init(&out);
	snprintf(want, sizeof(want), "%d", num);
	rc = run(jp, argv, &out, RUN_RO) == 0 && has_word(out.data, want);
	buf_free(&out);
	return (rc);
}

/* Replace a file (saving it for undo first). */
static int
replace_file(struct jailer *jp, struct undo *u, const char *hostpath,
    const char *text)
{
	struct stat sb;
	char *path;
	int rc;

	path = host_path(hostpath);
	rc = undo_save_file(jp, u, path) == 0 &&
	    file_write_atomic(jp, path, text, strlen(text),
	    stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0644) == 0 ? 0 : -1;
	free(path);
	return (rc);
}

/*
 * Read dhcpd.conf and devfs.rules: *same is whether dhcpd.conf already
 * is p->conf.  An existing dhcpd.conf that jailer did not write is not
 * touched.
 */
static int
dhcp_read_files(struct jailer *jp, struct dhcp_plan *p, int *same)
{
	struct buf cur, rules;
	char *path;
	int rc;

	buf_init(&cur);
	buf_init(&rules);
	rc = -1;
	*same = 0;
	path = host_path(DHCPD_CONF);
	if (file_read(jp, path, &cur) == 0) {
		if (!str_has_prefix(cur.data, DHCPD_MARK)) {
			jailer_seterr(jp, "%s was not written by jailer; move it "
			    "away (or add the subnet of %s to it yourself) and "
			    "run this again", DHCPD_CONF, p->bridge);
			goto out;
		}
		*same = strcmp(cur.data, p->conf) == 0;
	} else if (errno != ENOENT)
		goto out;
	free(path);
	path = host_path(DEVFS_RULES);
	if (file_read(jp, path, &rules) == -1 && errno != ENOENT)
		goto out;
	p->newrules = devfs_rules_add(rules.data);
	p->num = devfs_rules_num(p->newrules != NULL ? p->newrules :
	    rules.data);
	rc = 0;
out:
	free(path);
	buf_free(&cur);
	buf_free(&rules);
	return (rc);
}

/* Work out what init dhcp has to do for bridge. */
int
hostnet_dhcp_plan(struct jailer *jp, const char *bridge, struct dhcp_plan *p)
{
	const char *pkginfo[] = { "pkg", "info", "-e", "dhcpd", NULL };
	const char *status[] = { "service", "dhcpd", "status", NULL };
	struct ifaddr4 *ifa;
	uint32_t *used;
	size_t nifa, nused;
	char *flags, *v;
	int same, enabled;

	memset(p, 0, sizeof(*p));
	p->bridge = bridge;
	p->num = -1;
	if (valid_bridge(jp, bridge) == -1)
		return (-1);
	if (net_if_addrs(jp, bridge, &ifa, &nifa) == -1 || nifa == 0) {
		if (nifa == 0)
			free(ifa);
		p->who = bridge;
		return (jailer_seterr(jp, "no such bridge with an IPv4 "
		    "address; run 'jailer init bridge' first"));
	}
	dhcp_static_addrs(jp, &used, &nused);
	p->conf = dhcp_conf_text(bridge, ifa[0].addr, ifa[0].prefix, used,
	    nused);
	free(ifa);
	free(used);
	if (dhcp_read_files(jp, p, &same) == -1)
		return (-1);
	p->loaded = p->num != -1 && devfs_loaded(jp, p->num);
	p->installed = run(jp, pkginfo, NULL, RUN_RO) == 0;
	p->running = run(jp, status, NULL, RUN_RO) == 0;
	flags = NULL;
	if (host_rc_get(jp, "dhcpd_flags", &flags) == -1 ||
	    host_rc_get(jp, "dhcpd_enable", &v) == -1) {
		free(flags);
		return (-1);
	}
	enabled = v != NULL && strcmp(v, "YES") == 0;
	free(v);
	p->done = p->installed && same && p->newrules == NULL && p->loaded &&
	    p->running && enabled && flags != NULL && strcmp(flags, bridge) == 0;
	free(flags);
	return (0);
}

/* Check the new dhcpd.conf with dhcpd -n before it replaces the old one. */
static int
dhcp_conf_install(struct jailer *jp, struct dhcp_plan *p, struct undo *u)
{
	const char *check[] = { "dhcpd", "-n", "-c", NULL, NULL };
	char *hp, *tmp;
	int ok;

	hp = xasprintf("%s.jailer-new", DHCPD_CONF);
	tmp = host_path(hp);
	check[3] = hp;
	ok = file_write_atomic(jp, tmp, p->conf, strlen(p->conf), 0644) == 0;
	if (ok)
		undo_unlink(u, tmp);
	ok = ok && run(jp, check, NULL, 0) == 0;
	free(hp);
	ok = ok && replace_file(jp, u, DHCPD_CONF, p->conf) == 0;
	unlink(tmp);
	free(tmp);
	return (ok ? 0 : -1);
}

/* Write jailer's devfs ruleset if needed and have devfs load it. */
static int
dhcp_devfs_install(struct jailer *jp, struct dhcp_plan *p, struct undo *u)
{
	const char *devfs[] = { "service", "devfs", "restart", NULL };
	char nstr[16];
	const char *delset[] = { "devfs", "rule", "-s", nstr, "delset",
	    NULL };
	int ok;

	snprintf(nstr, sizeof(nstr), "%d", p->num);
	ok = 1;
	if (p->newrules != NULL)
		ok = replace_file(jp, u, DEVFS_RULES, p->newrules) == 0;
	if (ok && !p->loaded)
		undo_cmd(u, delset);
	/* rc.d/devfs exits 0 even when a rule fails: check. */
	ok = ok && run(jp, devfs, NULL, 0) == 0;
	if (ok && !devfs_loaded(jp, p->num)) {
		jailer_seterr(jp, "service devfs restart did not load "
		    "the devfs ruleset %s=%d", DEVFS_NAME, p->num);
		ok = 0;
	}
	return (ok ? 0 : -1);
}

/* Install, configure and (re)start dhcpd on the bridge. */
int
hostnet_dhcp_apply(struct jailer *jp, struct dhcp_plan *p, struct undo *u)
{
	const char *pkgadd[] = { "pkg", "install", "-y", "dhcpd", NULL };
	const char *pkgdel[] = { "pkg", "delete", "-y", "dhcpd", NULL };
	const char *start[] = { "service", "dhcpd", "start", NULL };
	const char *restart[] = { "service", "dhcpd", "restart", NULL };
	const char *stop[] = { "service", "dhcpd", "stop", NULL };
	int ok;

	ok = 1;
	/* A running dhcpd gets the restored dhcpd.conf back on undo. */
	if (p->running)
		undo_cmd(u, restart);
	if (!p->installed) {
		ok = run(jp, pkgadd, NULL, 0) == 0;
		if (ok)
			undo_cmd(u, pkgdel);
	}
	ok = ok && dhcp_conf_install(jp, p, u) == 0;
	if (ok) {
		ok = host_rc_set(jp, u, "dhcpd_enable", "YES") == 0 &&
		    host_rc_set(jp, u, "dhcpd_flags", p->bridge) == 0;
	}
	if (ok && (p->newrules != NULL || !p->loaded))
		ok = dhcp_devfs_install(jp, p, u) == 0;
	if (ok) {
		ok = run(jp, p->running ? restart : start, NULL, 0) == 0;
		if (ok && !p->running)
			undo_cmd(u, stop);
	}
	return (ok ? 0 : -1);
}

void
hostnet_dhcp_free(struct dhcp_plan *p)
{
	free(p->conf);
	free(p->newrules);
}

/* Does a pf.conf line start a translation or filter rule? */
static int
pf_rule_line(const char *line)
{
	static const char *const words[] = { "nat", "rdr", "binat",
	    "nat-anchor", "rdr-anchor", "binat-anchor", "no", "pass", "block",
	    "match", "anchor", "antispoof", "load" };
	size_t i, n;

	while (*line == ' ' || *line == '\t')
		line++;
	for (i = 0; i < nitems(words); i++) {
		n = strlen(words[i]);
		if (strncmp(line, words[i], n) == 0 && (line[n] == ' ' ||
		    line[n] == '\t' || line[n] == '\0'))
			return (1);
	}
	return (0);
}

/* The translation anchors jailer adds, those of them pf.conf lacks. */
static void
pf_add_translation(struct buf *b, int nat, int rdr)
{
	buf_adds(b, "# jailer(8): NAT and redirection for jails\n");
	if (!nat)
		buf_adds(b, "nat-anchor \"jailer/*\"\n");
	if (!rdr)
		buf_adds(b, "rdr-anchor \"jailer/*\"\n");
}

/*
 * pf.conf with jailer's anchors: the translation anchors go before the
 * first translation or filter rule (pf wants translation first), the
 * filter anchor at the end.
 */
static char *
pf_conf_add(const char *text, int nat, int rdr, int filt)
{
	struct buf b;
	const char *line, *end;
	int placed;

	buf_init(&b);
	placed = nat && rdr;
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (!placed && pf_rule_line(line)) {
			pf_add_translation(&b, nat, rdr);
			placed = 1;
		}
		buf_add(&b, line, (size_t)(end - line));
		buf_addc(&b, '\n');
	}
	if (!placed)
		pf_add_translation(&b, nat, rdr);
	if (!filt)
		buf_adds(&b, "anchor \"jailer/*\"\n");
	return (buf_steal(&b));
}

/* Work out what init pf has to do. */
int
hostnet_pf_plan(struct jailer *jp, struct pf_plan *p)
{
	const char *info[] = { "pfctl", "-s", "info", NULL };
	const char *fwd_get[] = { "sysctl", "-n", "net.inet.ip.forwarding",
	    NULL };
	struct buf out;
	char *path, *v1, *v2;
	int rc;

	memset(p, 0, sizeof(*p));
	buf_init(&p->cur);
	buf_init(&out);
	v1 = v2 = NULL;
	rc = -1;
	path = host_path(PF_CONF);
	p->existed = file_read(jp, path, &p->cur) == 0;
	if (!p->existed && errno != ENOENT) {
		free(path);
		goto out;
	}
	free(path);
	pf_conf_has_anchors(p->cur.data, &p->nat, &p->rdr, &p->filt);
	/* Without the pf module there is no /dev/pf: pf is not running. */
	p->enabled = run(jp, info, &out, RUN_RO) == 0 &&
	    strstr(out.data, "Status: Enabled") != NULL;
	buf_reset(&out);
	if (run(jp, fwd_get, &out, RUN_RO) != 0)
		goto out;
	p->forwarding = strcmp(str_trim(out.data), "1") == 0;
	if (host_rc_get(jp, "pf_enable", &v1) == -1 ||
	    host_rc_get(jp, "gateway_enable", &v2) == -1)
		goto out;
	p->done = p->nat && p->rdr && p->filt && p->enabled &&
	    p->forwarding && v1 != NULL && strcmp(v1, "YES") == 0 &&
	    v2 != NULL && strcmp(v2, "YES") == 0;
	rc = 0;
out:
	free(v1);
	free(v2);
	buf_free(&out);
	return (rc);
}

/* Add the anchors to pf.conf, checked by pfctl -n, keeping a backup. */
static int
pf_conf_install(struct jailer *jp, struct pf_plan *p, struct undo *u)
{
	const char *check[] = { "pfctl", "-n", "-f", PF_CONF ".jailer-new",
	    NULL };
	char *newconf, *tmp;
	int ok;

	newconf = pf_conf_add(p->cur.data, p->nat, p->rdr, p->filt);
	tmp = host_path(PF_CONF ".jailer-new");
	ok = file_write_atomic(jp, tmp, newconf, strlen(newconf), 0600) == 0;
	ok = ok && run(jp, check, NULL, 0) == 0;
	unlink(tmp);
	if (ok && p->existed) {
		p->backup = xasprintf("%s.jailer-backup.%lld", PF_CONF,
		    (long long)time(NULL));
		p->fbackup = host_path(p->backup);
		ok = file_write_atomic(jp, p->fbackup, p->cur.data, p->cur.len,
		    0600) == 0;
	}
	ok = ok && replace_file(jp, u, PF_CONF, newconf) == 0;
	free(newconf);
	free(tmp);
	return (ok ? 0 : -1);
}

/*
 * rc.d/pf loads the module and the rules, then enables pf, even when the
 * rules do not load: load them again to know.
 */
static int
pf_start(struct jailer *jp, struct undo *u)
{
	const char *load[] = { "pfctl", "-f", PF_CONF, NULL };
	const char *info[] = { "pfctl", "-s", "info", NULL };
	const char *pfstart[] = { "service", "pf", "start", NULL };
	const char *pfstop[] = { "service", "pf", "stop", NULL };
	struct buf out;
	int ok;

	undo_cmd(u, pfstop);
	buf_init(&out);
	ok = run(jp, pfstart, NULL, 0) == 0 && run(jp, load, NULL, 0) == 0;
	if (ok && (run(jp, info, &out, RUN_RO) != 0 ||
	    strstr(out.data, "Status: Enabled") == NULL)) {
		jailer_seterr(jp, "service pf start: pf is not enabled");
		ok = 0;
	}
	buf_free(&out);
	return (ok ? 0 : -1);
}

/* Add the anchors, enable pf and IP forwarding now and at boot. */
int
hostnet_pf_apply(struct jailer *jp, struct pf_plan *p, struct undo *u)
{
	const char *load[] = { "pfctl", "-f", PF_CONF, NULL };
	const char *fwd_on[] = { "sysctl", "net.inet.ip.forwarding=1", NULL };
	const char *fwd_off[] = { "sysctl", "net.inet.ip.forwarding=0", NULL };
	int ok;

	ok = 1;
	/* Undo reloads the rules after pf.conf is restored, so push it first. */
	if (p->enabled)
		undo_cmd(u, load);
	if (!(p->nat && p->rdr && p->filt))
		ok = pf_conf_install(jp, p, u) == 0;
	if (ok) {
		ok = host_rc_set(jp, u, "pf_enable", "YES") == 0 &&
		    host_rc_set(jp, u, "gateway_enable", "YES") == 0;
	}
	if (ok && !p->forwarding) {
		ok = run(jp, fwd_on, NULL, 0) == 0;
		if (ok)
			undo_cmd(u, fwd_off);
	}
	if (ok && p->enabled)
		ok = run(jp, load, NULL, 0) == 0;
	else if (ok)
		ok = pf_start(jp, u) == 0;
	return (ok ? 0 : -1);
}

/* Take back what hostnet_pf_apply did, and the backup it made. */
void
hostnet_pf_abort(struct jailer *jp, struct pf_plan *p, struct undo *u)
{
	undo_run(jp, u);
	if (p->fbackup != NULL)
		unlink(p->fbackup);
}

void
hostnet_pf_free(struct pf_plan *p)
{
	buf_free(&p->cur);
	free(p->backup);
	free(p->fbackup);
}
