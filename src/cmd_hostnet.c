/*
 * jailer init bridge | init dhcp | init pf
 *
 * Like init, each works out what the host still needs, shows it, asks,
 * and does only that; a failure undoes the steps already done, and a
 * second run changes nothing.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "dhcp.h"
#include "exec.h"
#include "host.h"
#include "jail.h"
#include "lifecycle.h"
#include "net.h"
#include "pf.h"
#include "rcconf.h"
#include "undo.h"
#include "validate.h"

#define	DEFAULT_BRIDGE		"bridge0"
#define	DEFAULT_BRIDGE_ADDR	"10.0.0.1/24"
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

/* Ask, unless -y; a "no" leaves everything as it is. */
static int
confirm(int yes)
{
	if (yes || ui_confirm())
		return (1);
	printf("Nothing changed.\n");
	return (0);
}

/* jailer init bridge [-y] [-i bridge] [-a address/prefix] */
int
cmd_init_bridge(struct jailer *jp, int argc, char **argv)
{
	struct hostaddr4 *ha;
	struct in_addr in;
	struct undo u;
	struct opt o;
	const char *bridge, *cidr;
	char *cloned, *cur, *want, *words, s[16];
	uint32_t addr, net, bcast;
	size_t nha, i;
	int c, yes, prefix, exists, has_addr, rc, ok;
	const char *create[] = { "ifconfig", NULL, "create", NULL };
	const char *destroy[] = { "ifconfig", NULL, "destroy", NULL };
	const char *inet[] = { "ifconfig", NULL, "inet", NULL, "up", NULL };
	const char *unalias[] = { "ifconfig", NULL, "inet", NULL, "-alias",
	    NULL };

	yes = 0;
	bridge = DEFAULT_BRIDGE;
	cidr = DEFAULT_BRIDGE_ADDR;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "a:i:y")) != -1) {
		switch (c) {
		case 'a':
			cidr = o.arg;
			break;
		case 'i':
			bridge = o.arg;
			break;
		case 'y':
			yes = 1;
			break;
		default:
			return (cmd_bad_option(&o, c));
		}
	}
	if (o.ind < argc)
		return (cmd_usage_error("unexpected argument '%s'",
		    vis(argv[o.ind])));
	if (valid_bridge(jp, bridge) == -1 ||
	    parse_cidr4(jp, cidr, &in, &prefix) == -1)
		return (cmd_fail(jp, NULL));
	addr = ntohl(in.s_addr);
	net = addr & (0xffffffffU << (32 - (prefix == 0 ? 32 : prefix)));
	bcast = net | ~(0xffffffffU << (32 - (prefix == 0 ? 32 : prefix)));
	if (prefix < 8 || prefix > 30 || addr == net || addr == bcast) {
		jailer_seterr(jp, "%s: the bridge needs a host address in a "
		    "subnet of /8 to /30", cidr);
		return (cmd_fail(jp, NULL));
	}
	if (net_all_addrs(jp, &ha, &nha) == -1)
		return (cmd_fail(jp, NULL));
	exists = has_addr = 0;
	rc = 0;
	for (i = 0; i < nha; i++) {
		if (strcmp(ha[i].ifname, bridge) == 0) {
			exists = 1;
			if (ha[i].addr == addr && ha[i].prefix == prefix)
				has_addr = 1;
			else
				rc = jailer_seterr(jp, "%s already has another "
				    "address; configure it by hand", bridge);
		} else if (net_overlap(addr, prefix, ha[i].addr,
		    ha[i].prefix)) {
			ipv4_str(ha[i].addr, s);
			rc = jailer_seterr(jp, "%s overlaps %s/%d on %s; choose "
			    "another subnet with -a", cidr, s, ha[i].prefix,
			    ha[i].ifname);
		}
	}
	free(ha);
	if (rc == -1)
		return (cmd_fail(jp, bridge));
	/* ifconfig -l tells whether the bridge exists without an address. */
	if (!exists) {
		struct buf l;

		buf_init(&l);
		if (net_if_list(jp, &l) == -1) {
			buf_free(&l);
			return (cmd_fail(jp, NULL));
		}
		exists = has_word(l.data, bridge);
		buf_free(&l);
	}
	want = xasprintf("inet %s up", cidr);
	words = xasprintf("ifconfig_%s", bridge);
	if (host_rc_get(jp, "cloned_interfaces", &cloned) == -1 ||
	    host_rc_get(jp, words, &cur) == -1) {
		free(want);
		free(words);
		return (cmd_fail(jp, NULL));
	}
	rc = 1;
	if (cur != NULL && strcmp(cur, want) != 0) {
		jailer_seterr(jp, "%s is already set to \"%s\" in rc.conf; "
		    "remove it, or pick another bridge with -i", words,
		    vis(cur));
		cmd_fail(jp, bridge);
		goto out;
	}
	if (has_word(cloned, bridge) && cur != NULL && exists && has_addr) {
		printf("%s is already configured with %s; nothing to do.\n",
		    bridge, cidr);
		rc = 0;
		goto out;
	}
	printf("Jailer will configure\n network interface : %s\n"
	    " network address   : %s\n", bridge, cidr);
	if (!confirm(yes))
		goto out;
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Configuring interface %s with IP address %s", bridge, cidr);
	ok = 1;
	if (!has_word(cloned, bridge)) {
		char *v = cloned != NULL && *cloned != '\0' ?
		    xasprintf("%s %s", cloned, bridge) : xstrdup(bridge);

		ok = host_rc_set(jp, &u, "cloned_interfaces", v) == 0;
		free(v);
	}
	if (ok && cur == NULL)
		ok = host_rc_set(jp, &u, words, want) == 0;
	create[1] = destroy[1] = inet[1] = unalias[1] = bridge;
	inet[3] = unalias[3] = cidr;
	if (ok && !exists) {
		ok = run(jp, create, NULL, 0) == 0;
		if (ok)
			undo_cmd(&u, destroy);
	}
	if (ok && !has_addr) {
		ok = run(jp, inet, NULL, 0) == 0;
		if (ok && exists)
			undo_cmd(&u, unalias);
	}
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
	free(want);
	free(words);
	free(cloned);
	free(cur);
	return (rc);
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

/* jailer init dhcp [-y] [-i bridge] */
int
cmd_init_dhcp(struct jailer *jp, int argc, char **argv)
{
	struct ifaddr4 *ifa;
	struct undo u;
	struct opt o;
	struct buf cur, rules;
	const char *bridge;
	char *conf, *newrules, *path, *tmp, *flags, *v;
	uint32_t *used;
	size_t nifa, nused;
	int c, yes, installed, running, conf_same, ok, rc, num, loaded;
	const char *pkginfo[] = { "pkg", "info", "-e", "dhcpd", NULL };
	const char *pkgadd[] = { "pkg", "install", "-y", "dhcpd", NULL };
	const char *pkgdel[] = { "pkg", "delete", "-y", "dhcpd", NULL };
	const char *check[] = { "dhcpd", "-n", "-c", NULL, NULL };
	const char *status[] = { "service", "dhcpd", "status", NULL };
	const char *start[] = { "service", "dhcpd", "start", NULL };
	const char *restart[] = { "service", "dhcpd", "restart", NULL };
	const char *stop[] = { "service", "dhcpd", "stop", NULL };
	const char *devfs[] = { "service", "devfs", "restart", NULL };

	yes = 0;
	bridge = DEFAULT_BRIDGE;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "i:y")) != -1) {
		switch (c) {
		case 'i':
			bridge = o.arg;
			break;
		case 'y':
			yes = 1;
			break;
		default:
			return (cmd_bad_option(&o, c));
		}
	}
	if (o.ind < argc)
		return (cmd_usage_error("unexpected argument '%s'",
		    vis(argv[o.ind])));
	if (valid_bridge(jp, bridge) == -1)
		return (cmd_fail(jp, NULL));
	if (net_if_addrs(jp, bridge, &ifa, &nifa) == -1 || nifa == 0) {
		if (nifa == 0)
			free(ifa);
		jailer_seterr(jp, "no such bridge with an IPv4 address; run "
		    "'jailer init bridge' first");
		return (cmd_fail(jp, bridge));
	}
	dhcp_static_addrs(jp, &used, &nused);
	conf = dhcp_conf_text(bridge, ifa[0].addr, ifa[0].prefix, used, nused);
	free(ifa);
	free(used);
	buf_init(&cur);
	buf_init(&rules);
	newrules = tmp = flags = NULL;
	rc = 1;
	/* An existing dhcpd.conf that jailer did not write is not touched. */
	path = host_path(DHCPD_CONF);
	conf_same = 0;
	if (file_read(jp, path, &cur) == 0) {
		if (!str_has_prefix(cur.data, DHCPD_MARK)) {
			jailer_seterr(jp, "%s was not written by jailer; move it "
			    "away (or add the subnet of %s to it yourself) and "
			    "run this again", DHCPD_CONF, bridge);
			cmd_fail(jp, NULL);
			goto out;
		}
		conf_same = strcmp(cur.data, conf) == 0;
	} else if (errno != ENOENT) {
		cmd_fail(jp, NULL);
		goto out;
	}
	free(path);
	path = host_path(DEVFS_RULES);
	if (file_read(jp, path, &rules) == -1 && errno != ENOENT) {
		cmd_fail(jp, NULL);
		goto out;
	}
	newrules = devfs_rules_add(rules.data);
	num = devfs_rules_num(newrules != NULL ? newrules : rules.data);
	loaded = num != -1 && devfs_loaded(jp, num);
	installed = run(jp, pkginfo, NULL, RUN_RO) == 0;
	running = run(jp, status, NULL, RUN_RO) == 0;
	if (host_rc_get(jp, "dhcpd_flags", &flags) == -1 ||
	    host_rc_get(jp, "dhcpd_enable", &v) == -1) {
		cmd_fail(jp, NULL);
		goto out;
	}
	c = v != NULL && strcmp(v, "YES") == 0;
	free(v);
	if (installed && conf_same && newrules == NULL && loaded && running &&
	    c && flags != NULL && strcmp(flags, bridge) == 0) {
		printf("dhcpd already serves %s; nothing to do.\n", bridge);
		rc = 0;
		goto out;
	}
	printf("Jailer will\n");
	if (!installed)
		printf(" - Install OpenBSD's dhcpd from packages.\n");
	printf(" - Setup dhcpd.conf.\n");
	if (newrules != NULL)
		printf(" - Create /etc/devfs.rules for VNET Jails.\n");
	else if (!loaded)
		printf(" - Load the devfs ruleset for VNET Jails.\n");
	if (!confirm(yes))
		goto out;
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Setting up dhcpd, dhcpd.conf and devfs.rules");
	ok = 1;
	/* A running dhcpd gets the restored dhcpd.conf back on undo. */
	if (running)
		undo_cmd(&u, restart);
	if (!installed) {
		ok = run(jp, pkgadd, NULL, 0) == 0;
		if (ok)
			undo_cmd(&u, pkgdel);
	}
	/* Check the new dhcpd.conf before it replaces the old one. */
	if (ok) {
		char *hp = xasprintf("%s.jailer-new", DHCPD_CONF);

		tmp = host_path(hp);
		check[3] = hp;
		ok = file_write_atomic(jp, tmp, conf, strlen(conf), 0644) == 0;
		if (ok)
			undo_unlink(&u, tmp);
		ok = ok && run(jp, check, NULL, 0) == 0;
		free(hp);
		ok = ok && replace_file(jp, &u, DHCPD_CONF, conf) == 0;
		unlink(tmp);
	}
	if (ok) {
		ok = host_rc_set(jp, &u, "dhcpd_enable", "YES") == 0 &&
		    host_rc_set(jp, &u, "dhcpd_flags", bridge) == 0;
	}
	if (ok && (newrules != NULL || !loaded)) {
		char nstr[16];
		const char *delset[] = { "devfs", "rule", "-s", nstr, "delset",
		    NULL };

		snprintf(nstr, sizeof(nstr), "%d", num);
		if (newrules != NULL)
			ok = replace_file(jp, &u, DEVFS_RULES, newrules) == 0;
		if (ok && !loaded)
			undo_cmd(&u, delset);
		/* rc.d/devfs exits 0 even when a rule fails: check. */
		ok = ok && run(jp, devfs, NULL, 0) == 0;
		if (ok && !devfs_loaded(jp, num)) {
			jailer_seterr(jp, "service devfs restart did not load "
			    "the devfs ruleset %s=%d", DEVFS_NAME, num);
			ok = 0;
		}
	}
	if (ok) {
		ok = run(jp, running ? restart : start, NULL, 0) == 0;
		if (ok && !running)
			undo_cmd(&u, stop);
	}
	ui_end(ok);
	if (!ok) {
		undo_run(jp, &u);
		cmd_fail(jp, NULL);
		goto out;
	}
	undo_commit(&u);
	rc = 0;
out:
	free(path);
	free(tmp);
	free(conf);
	free(newrules);
	free(flags);
	buf_free(&cur);
	buf_free(&rules);
	return (rc);
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
			buf_adds(&b, "# jailer(8): NAT and redirection for jails\n");
			if (!nat)
				buf_adds(&b, "nat-anchor \"jailer/*\"\n");
			if (!rdr)
				buf_adds(&b, "rdr-anchor \"jailer/*\"\n");
			placed = 1;
		}
		buf_add(&b, line, (size_t)(end - line));
		buf_addc(&b, '\n');
	}
	if (!placed) {
		buf_adds(&b, "# jailer(8): NAT and redirection for jails\n");
		if (!nat)
			buf_adds(&b, "nat-anchor \"jailer/*\"\n");
		if (!rdr)
			buf_adds(&b, "rdr-anchor \"jailer/*\"\n");
	}
	if (!filt)
		buf_adds(&b, "anchor \"jailer/*\"\n");
	return (buf_steal(&b));
}

/* jailer init pf [-y] */
int
cmd_init_pf(struct jailer *jp, int argc, char **argv)
{
	struct undo u;
	struct opt o;
	struct buf cur, out;
	char *path, *newconf, *tmp, *v1, *v2, *backup, *fbackup;
	int c, yes, nat, rdr, filt, enabled, forwarding, existed, ok, rc;
	const char *check[] = { "pfctl", "-n", "-f", PF_CONF ".jailer-new",
	    NULL };
	const char *load[] = { "pfctl", "-f", PF_CONF, NULL };
	const char *info[] = { "pfctl", "-s", "info", NULL };
	const char *pfstart[] = { "service", "pf", "start", NULL };
	const char *pfstop[] = { "service", "pf", "stop", NULL };
	const char *fwd_get[] = { "sysctl", "-n", "net.inet.ip.forwarding",
	    NULL };
	const char *fwd_on[] = { "sysctl", "net.inet.ip.forwarding=1", NULL };
	const char *fwd_off[] = { "sysctl", "net.inet.ip.forwarding=0", NULL };

	yes = 0;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "y")) != -1) {
		if (c != 'y')
			return (cmd_bad_option(&o, c));
		yes = 1;
	}
	if (o.ind < argc)
		return (cmd_usage_error("unexpected argument '%s'",
		    vis(argv[o.ind])));
	buf_init(&cur);
	buf_init(&out);
	path = host_path(PF_CONF);
	newconf = tmp = v1 = v2 = backup = fbackup = NULL;
	rc = 1;
	existed = file_read(jp, path, &cur) == 0;
	if (!existed && errno != ENOENT) {
		cmd_fail(jp, NULL);
		goto out;
	}
	pf_conf_has_anchors(cur.data, &nat, &rdr, &filt);
	/* Without the pf module there is no /dev/pf: pf is not running. */
	enabled = run(jp, info, &out, RUN_RO) == 0 &&
	    strstr(out.data, "Status: Enabled") != NULL;
	buf_reset(&out);
	if (run(jp, fwd_get, &out, RUN_RO) != 0) {
		cmd_fail(jp, NULL);
		goto out;
	}
	forwarding = strcmp(str_trim(out.data), "1") == 0;
	if (host_rc_get(jp, "pf_enable", &v1) == -1 ||
	    host_rc_get(jp, "gateway_enable", &v2) == -1) {
		cmd_fail(jp, NULL);
		goto out;
	}
	c = v1 != NULL && strcmp(v1, "YES") == 0 && v2 != NULL &&
	    strcmp(v2, "YES") == 0;
	if (nat && rdr && filt && enabled && forwarding && c) {
		printf("pf already has jailer's anchors and IP forwarding is "
		    "on; nothing to do.\n");
		rc = 0;
		goto out;
	}
	printf("Jailer will\n");
	if (!(nat && rdr && filt))
		printf(" - Add anchors for jailer's NAT and redirection rules "
		    "to /etc/pf.conf%s.\n", existed ? " (keeping a backup)" : "");
	printf(" - Enable pf and IP forwarding, now and at boot.\n");
	if (!confirm(yes))
		goto out;
	lifecycle_signals();
	undo_init(&u);
	ui_begin("Setting up pf and IP forwarding");
	ok = 1;
	/* Undo reloads the rules after pf.conf is restored, so push it first. */
	if (enabled)
		undo_cmd(&u, load);
	if (!(nat && rdr && filt)) {
		newconf = pf_conf_add(cur.data, nat, rdr, filt);
		tmp = host_path(PF_CONF ".jailer-new");
		ok = file_write_atomic(jp, tmp, newconf, strlen(newconf),
		    0600) == 0;
		ok = ok && run(jp, check, NULL, 0) == 0;
		unlink(tmp);
		if (ok && existed) {
			backup = xasprintf("%s.jailer-backup.%lld", PF_CONF,
			    (long long)time(NULL));
			fbackup = host_path(backup);
			ok = file_write_atomic(jp, fbackup, cur.data, cur.len,
			    0600) == 0;
		}
		ok = ok && replace_file(jp, &u, PF_CONF, newconf) == 0;
	}
	if (ok) {
		ok = host_rc_set(jp, &u, "pf_enable", "YES") == 0 &&
		    host_rc_set(jp, &u, "gateway_enable", "YES") == 0;
	}
	if (ok && !forwarding) {
		ok = run(jp, fwd_on, NULL, 0) == 0;
		if (ok)
			undo_cmd(&u, fwd_off);
	}
	if (ok && enabled)
		ok = run(jp, load, NULL, 0) == 0;
	else if (ok) {
		/*
		 * rc.d/pf loads the module and the rules, then enables pf,
		 * even when the rules do not load: load them again to know.
		 */
		undo_cmd(&u, pfstop);
		buf_reset(&out);
		ok = run(jp, pfstart, NULL, 0) == 0 &&
		    run(jp, load, NULL, 0) == 0;
		if (ok && (run(jp, info, &out, RUN_RO) != 0 ||
		    strstr(out.data, "Status: Enabled") == NULL)) {
			jailer_seterr(jp, "service pf start: pf is not enabled");
			ok = 0;
		}
	}
	ui_end(ok);
	if (!ok) {
		undo_run(jp, &u);
		if (fbackup != NULL)
			unlink(fbackup);
		cmd_fail(jp, NULL);
		goto out;
	}
	undo_commit(&u);
	if (backup != NULL)
		printf("The previous /etc/pf.conf is in %s\n", backup);
	rc = 0;
out:
	free(path);
	free(newconf);
	free(tmp);
	free(v1);
	free(v2);
	free(backup);
	free(fbackup);
	buf_free(&cur);
	buf_free(&out);
	return (rc);
}
