/*
 * pf rules per jail.  The rule file is jailer's own, one rule a line:
 *
 *	nat IF ADDR
 *	rdr NUM IF ADDR PROTO PORT[:PORT] DPORT
 *
 * (ADDR "-" for the interface's own address).  The rules are rendered
 * with the jail's current address and loaded with "pfctl -a jailer/NAME
 * -f -" after "pfctl -n" has checked them; a DHCP jail's address can
 * change, so they are loaded again whenever the jail starts.
 */
#include <sys/file.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "host.h"
#include "net6.h"
#include "pf.h"
#include "validate.h"

static int
by_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Loads and flushes of anchors are serialised by an flock(2) on the rules
 * directory: a jail(8) hook (jailer hook start, which takes no state
 * lock: the jailer that ran jail(8) may hold it) and a command changing
 * the same rules then never interleave a read of the rules with the
 * other's load.  Nested calls share the lock; no directory, no rules.
 */
static int pf_lock_fd = -1, pf_lock_depth;

static void
pf_lock(void)
{
	char *dir;
	int fd;

	if (pf_lock_depth++ > 0)
		return;
	dir = host_path(PF_RULES_DIR);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return;
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			close(fd);
			return;
		}
	pf_lock_fd = fd;
}

static void
pf_unlock(void)
{
	if (--pf_lock_depth > 0 || pf_lock_fd == -1)
		return;
	close(pf_lock_fd);
	pf_lock_fd = -1;
}

static char *
rules_path(const char *name)
{
	return (xasprintf("%s/%s.rules", PF_RULES_DIR, name));
}

void
pf_rules_free(struct pf_rules *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* PORT or PORT:PORT, 1 to 65535, the second not below the first. */
int
pf_parse_ports(struct jailer *jp, const char *s, int *p1, int *p2)
{
	char *end;
	long a, b;

	if (strlen(s) > 11 || *s < '0' || *s > '9')
		goto bad;
	a = strtol(s, &end, 10);
	b = a;
	if (*end == ':') {
		if (end[1] < '0' || end[1] > '9')
			goto bad;
		b = strtol(end + 1, &end, 10);
	}
	if (*end != '\0' || a < 1 || a > 65535 || b < a || b > 65535)
		goto bad;
	*p1 = (int)a;
	*p2 = (int)b;
	return (0);
bad:
	return (jailer_seterr(jp, "invalid port '%s': use 1-65535 or "
	    "FIRST:LAST", vis(s)));
}

/* Parse one line of a rule file; -1 if it is not well-formed. */
static int
parse_rule(struct jailer *jp, char *line, struct pf_rule *r)
{
	struct in_addr a;
	struct in6_addr a6;
	char *f[8], *save, *tok, *ifn, *addr;
	size_t k;
	int p;

	memset(r, 0, sizeof(*r));
	k = 0;
	for (tok = strtok_r(line, " \t", &save); tok != NULL && k < 8;
	    tok = strtok_r(NULL, " \t", &save))
		f[k++] = tok;
	if (k == 3 && strcmp(f[0], "nat") == 0) {
		r->kind = 'n';
		ifn = f[1];
		addr = f[2];
	} else if (k == 7 && strcmp(f[0], "rdr") == 0) {
		r->kind = 'r';
		r->num = atoi(f[1]);
		ifn = f[2];
		addr = f[3];
		if (r->num < 1 || r->num > 9999 ||
		    (strcmp(f[4], "tcp") != 0 && strcmp(f[4], "udp") != 0) ||
		    pf_parse_ports(jp, f[5], &r->port1, &r->port2) == -1 ||
		    pf_parse_ports(jp, f[6], &r->dport, &p) == -1 ||
		    p != r->dport)
			return (-1);
		snprintf(r->proto, sizeof(r->proto), "%s", f[4]);
	} else
		return (-1);
	if (valid_ifname(jp, ifn) == -1)
		return (-1);
	snprintf(r->ifname, sizeof(r->ifname), "%s", ifn);
	if (strcmp(addr, "-") != 0) {
		if (strlen(addr) >= sizeof(r->addr) ||
		    (inet_pton(AF_INET, addr, &a) != 1 && (r->kind != 'r' ||
		    inet_pton(AF_INET6, addr, &a6) != 1)))
			return (-1);
		snprintf(r->addr, sizeof(r->addr), "%s", addr);
	}
	return (0);
}

/* Parse the text of a rule file (file names it in errors). */
int
pf_rules_parse(struct jailer *jp, char *text, const char *file,
    struct pf_rules *rs)
{
	char *line, *save;
	size_t lineno;
	const char *p;

	rs->v = NULL;
	rs->n = 0;
	lineno = 0;
	for (line = text; line != NULL; line = save) {
		lineno++;
		if ((save = strchr(line, '\n')) != NULL)
			*save++ = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
		if (parse_rule(jp, line, &rs->v[rs->n]) == -1) {
			jailer_seterr(jp, "%s line %zu: not a jailer pf rule",
			    file, lineno);
			pf_rules_free(rs);
			return (-1);
		}
		rs->n++;
	}
	return (0);
}

/* The rules of one jail (none if it has no file). */
int
pf_rules_read(struct jailer *jp, const char *name, struct pf_rules *rs)
{
	struct buf b;
	char *path, *fpath;
	int rc;

	rs->v = NULL;
	rs->n = 0;
	path = rules_path(name);
	fpath = host_path(path);
	buf_init(&b);
	rc = file_read(jp, fpath, &b);
	free(fpath);
	if (rc == -1) {
		rc = errno == ENOENT ? 0 : -1;
		buf_free(&b);
		free(path);
		return (rc);
	}
	rc = pf_rules_parse(jp, b.data, path, rs);
	buf_free(&b);
	free(path);
	return (rc);
}

/*
 * The jails that have a rule file (NAME.rules with a valid jail name),
 * sorted.  Caller frees each name and the array.
 */
int
pf_rule_jails(struct jailer *jp, char ***names, size_t *n)
{
	struct jailer scratch;
	struct dirent *de;
	char *dir, name[128];
	size_t len;
	DIR *d;

	*names = NULL;
	*n = 0;
	dir = host_path(PF_RULES_DIR);
	d = opendir(dir);
	free(dir);
	if (d == NULL)
		return (errno == ENOENT ? 0 : jailer_seterrno(jp, "%s",
		    PF_RULES_DIR));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 6 || len - 6 >= sizeof(name) ||
		    strcmp(de->d_name + len - 6, ".rules") != 0)
			continue;
		memcpy(name, de->d_name, len - 6);
		name[len - 6] = '\0';
		if (valid_jail_name(&scratch, name) == -1)
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(name);
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), by_str);
	return (0);
}

/* The rule file of a jail with the rules rs, into b. */
void
pf_rules_text(const char *name, const struct pf_rules *rs, struct buf *b)
{
	const struct pf_rule *r;
	size_t i;

	buf_addf(b, "# pf rules of the jail %s, kept by jailer(8) and loaded "
	    "into the anchor jailer/%s.\n", name, name);
	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		if (r->kind == 'n')
			buf_addf(b, "nat %s %s\n", r->ifname,
			    *r->addr != '\0' ? r->addr : "-");
		else if (r->port1 == r->port2)
			buf_addf(b, "rdr %d %s %s %s %d %d\n", r->num,
			    r->ifname, *r->addr != '\0' ? r->addr : "-",
			    r->proto, r->port1, r->dport);
		else
			buf_addf(b, "rdr %d %s %s %s %d:%d %d\n", r->num,
			    r->ifname, *r->addr != '\0' ? r->addr : "-",
			    r->proto, r->port1, r->port2, r->dport);
	}
}

/* Save a jail's rules; no rules remove the file. */
int
pf_rules_write(struct jailer *jp, const char *name, const struct pf_rules *rs)
{
	struct buf b;
	char *path, *fpath;
	int rc;

	path = rules_path(name);
	fpath = host_path(path);
	free(path);
	if (rs->n == 0) {
		rc = unlink(fpath) == -1 && errno != ENOENT ?
		    jailer_seterrno(jp, "%s", fpath) : 0;
		free(fpath);
		return (rc);
	}
	path = host_path(PF_RULES_DIR);
	rc = mkdir_p(jp, path, 0755, NULL);
	free(path);
	if (rc == -1) {
		free(fpath);
		return (-1);
	}
	buf_init(&b);
	pf_rules_text(name, rs, &b);
	rc = file_write_atomic(jp, fpath, b.data, b.len, 0644);
	buf_free(&b);
	free(fpath);
	return (rc);
}

/*
 * pf.conf(5) rules for the jail at jaddr (IPv4) and jaddr6 (its static
 * IPv6 address, for the inet6 redirections): translation rules (nat
 * before rdr) in the order pf wants them.  A rule of a family the jail
 * has no address of (NULL) is left out.
 */
void
pf_render(const struct pf_rules *rs, const char *jaddr, const char *jaddr6,
    struct buf *out)
{
	const struct pf_rule *r;
	const char *to;
	size_t i;
	int v6;

	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		if (r->kind != 'n' || jaddr == NULL)
			continue;
		buf_addf(out, "nat on %s inet from %s to any -> ", r->ifname,
		    jaddr);
		if (*r->addr != '\0')
			buf_addf(out, "%s\n", r->addr);
		else
			buf_addf(out, "(%s:0)\n", r->ifname);
	}
	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		v6 = strchr(r->addr, ':') != NULL;
		if (r->kind != 'r' || (to = v6 ? jaddr6 : jaddr) == NULL)
			continue;
		buf_addf(out, "rdr pass on %s %s proto %s from any to ",
		    r->ifname, v6 ? "inet6" : "inet", r->proto);
		if (*r->addr != '\0')
			buf_addf(out, "%s", r->addr);
		else
			buf_addf(out, "(%s:0)", r->ifname);
		if (r->port1 == r->port2)
			buf_addf(out, " port %d -> %s port %d\n", r->port1,
			    to, r->dport);
		else
			buf_addf(out, " port %d:%d -> %s port %d:*\n", r->port1,
			    r->port2, to, r->dport);
	}
}

/*
 * The jail's IPv4 address: 1 with the address, 0 when it has none yet
 * (a DHCP jail without a lease), -1 for a jail that cannot have one.
 */
int
pf_jail_addr(struct jailer *jp, const struct jail *j, char addr[16])
{
	char *ip, *gw, *slash;
	struct in_addr a;
	int rc;

	if (j->type == NET_INHERIT)
		return (jailer_seterr(jp, "an inherit jail uses the host's "
		    "addresses; NAT and redirection need -t new or -t eb"));
	if (jail_net(jp, j, &ip, &gw) == -1)
		return (-1);
	if ((slash = strchr(ip, '/')) != NULL)
		*slash = '\0';
	rc = 0;
	if (inet_pton(AF_INET, ip, &a) == 1 && strlen(ip) < 16) {
		snprintf(addr, 16, "%s", ip);
		rc = 1;
	}
	free(ip);
	free(gw);
	return (rc);
}

/* Empty the jail's anchor. */
int
pf_jail_flush(struct jailer *jp, const char *name)
{
	char anchor[96];
	const char *argv[] = { "pfctl", "-q", "-a", anchor, "-F", "all", NULL };

	int rc;

	snprintf(anchor, sizeof(anchor), "jailer/%s", name);
	pf_lock();
	rc = run(jp, argv, NULL, 0) == 0 ? 0 : -1;
	pf_unlock();
	return (rc);
}

/*
 * The anchors under jailer/ that hold rules, one "jailer/NAME" per line
 * of out ("pfctl -a jailer -s Anchors" lists only non-empty anchors):
 * 1 when read, 0 when /etc/pf.conf has no jailer anchors (nothing can be
 * loaded; out stays empty), -1 when pfctl failed.
 */
int
pf_loaded_anchors(struct jailer *jp, struct buf *out)
{
	static const char *const argv[] = { "pfctl", "-a", "jailer", "-s",
	    "Anchors", NULL };
	struct jailer scratch;

	buf_reset(out);
	scratch = *jp;
	if (pf_ready(&scratch) == -1)
		return (0);
	if (run(jp, argv, out, RUN_RO) != 0) {
		buf_reset(out);
		return (-1);
	}
	return (1);
}

/* Is jailer/NAME among the anchors pf_loaded_anchors() read? */
int
pf_anchor_listed(const char *anchors, const char *name)
{
	const char *p, *q, *e, *r;
	size_t n;

	n = strlen(name);
	for (p = anchors; *p != '\0'; p = *e == '\n' ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		for (q = p; q < e && (*q == ' ' || *q == '\t'); q++)
			;
		for (r = e; r > q && (r[-1] == ' ' || r[-1] == '\t' ||
		    r[-1] == '\r'); r--)
			;
		if ((size_t)(r - q) == n + 7 && strncmp(q, "jailer/", 7) == 0 &&
		    strncmp(q + 7, name, n) == 0)
			return (1);
	}
	return (0);
}

/*
 * What pf holds of the jail's rules in rs, in the anchor jailer/NAME the
 * caller found listed (pf_anchor_listed()), given the jail's address now
 * (jaddr, NULL when it has none or does not run).  For each kind, st[0]
 * NAT and st[1] redirections: YES when the anchor holds as many rules of
 * that kind as rs and each names jaddr; STALE when it holds some that
 * differ (another address, a rule removed since, a jail that does not
 * run); NO when it holds none.  -1 (both UNKNOWN) when pfctl failed.
 */
int
pf_jail_loaded(struct jailer *jp, const char *name, const struct pf_rules *rs,
    const char *jaddr, const char *jaddr6, enum pf_loaded st[2])
{
	const char *want6;
	char anchor[96];
	const char *argv[] = { "pfctl", "-a", anchor, "-s", "nat", NULL };
	struct buf out;
	char *line;
	size_t pos, want[2], have[2], k;
	int match[2], i;

	want[0] = want[1] = have[0] = have[1] = 0;
	for (k = 0; k < rs->n; k++)
		want[rs->v[k].kind == 'n' ? 0 : 1]++;
	snprintf(anchor, sizeof(anchor), "jailer/%s", name);
	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		st[0] = st[1] = PF_LOADED_UNKNOWN;
		return (-1);
	}
	match[0] = match[1] = jaddr != NULL || jaddr6 != NULL;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		line = str_trim(line);
		if (str_has_prefix(line, "nat "))
			i = 0;
		else if (str_has_prefix(line, "rdr "))
			i = 1;
		else
			continue;
		have[i]++;
		want6 = str_word_in(line, "inet6") ? jaddr6 : jaddr;
		if (want6 == NULL || !str_word_in(line, want6))
			match[i] = 0;
	}
	buf_free(&out);
	for (i = 0; i < 2; i++)
		st[i] = have[i] == 0 ? (want[i] == 0 ? PF_LOADED_YES :
		    PF_LOADED_NO) : have[i] == want[i] && match[i] ?
		    PF_LOADED_YES : PF_LOADED_STALE;
	return (0);
}

/* The word rdr list and nat list print for a pf_loaded value. */
const char *
pf_loaded_word(enum pf_loaded v)
{
	switch (v) {
	case PF_LOADED_YES:
		return ("yes");
	case PF_LOADED_STALE:
		return ("stale");
	case PF_LOADED_NO:
		return ("no");
	default:
		return ("unknown");
	}
}

/*
 * Load the jail's rules into its anchor, checked with pfctl -n first.
 * Nothing to do for a jail without rules; a jail without an address yet
 * gets an empty anchor.
 */
static int	jail_load_locked(struct jailer *, const struct jail *);

int
pf_jail_load(struct jailer *jp, const struct jail *j)
{
	int rc;

	pf_lock();
	rc = jail_load_locked(jp, j);
	pf_unlock();
	return (rc);
}

static int
jail_load_locked(struct jailer *jp, const struct jail *j)
{
	struct pf_rules rs;
	struct buf text;
	char addr[16], addr6[NET6_STRLEN], anchor[96];
	const char *check[] = { "pfctl", "-n", "-a", anchor, "-f", "-", NULL };
	const char *load[] = { "pfctl", "-a", anchor, "-f", "-", NULL };
	int rc;

	if (pf_rules_read(jp, j->name, &rs) == -1)
		return (-1);
	if (rs.n == 0) {
		pf_rules_free(&rs);
		return (0);
	}
	snprintf(anchor, sizeof(anchor), "jailer/%s", j->name);
	if ((rc = pf_jail_addr(jp, j, addr)) == -1) {
		pf_rules_free(&rs);
		return (-1);
	}
	buf_init(&text);
	pf_render(&rs, rc == 1 ? addr : NULL, net6_addr_of(j, addr6) ? addr6 :
	    NULL, &text);
	pf_rules_free(&rs);
	if (text.len == 0) {
		buf_free(&text);
		return (pf_jail_flush(jp, j->name));
	}
	rc = -1;
	if (run_input(jp, check, text.data, text.len, NULL, 0) == 0 &&
	    run_input(jp, load, text.data, text.len, NULL, 0) == 0)
		rc = 0;
	buf_free(&text);
	return (rc);
}

/*
 * Which of the three anchor lines the pf.conf text has.  Returns the
 * number found (0 to 3).
 */
int
pf_conf_has_anchors(const char *text, int *nat, int *rdr, int *filt)
{
	const char *line, *end;
	char buf[128], *p, *q;
	size_t n;

	*nat = *rdr = *filt = 0;
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		n = (size_t)(end - line);
		if (n >= sizeof(buf))
			continue;
		memcpy(buf, line, n);
		buf[n] = '\0';
		/* Compare with runs of blanks squeezed to one space. */
		for (p = q = buf; *p != '\0'; p++) {
			if (*p != ' ' && *p != '\t')
				*q++ = *p;
			else if (q > buf && q[-1] != ' ')
				*q++ = ' ';
		}
		*q = '\0';
		p = str_trim(buf);
		if (strcmp(p, "nat-anchor \"jailer/*\"") == 0)
			*nat = 1;
		else if (strcmp(p, "rdr-anchor \"jailer/*\"") == 0)
			*rdr = 1;
		else if (strcmp(p, "anchor \"jailer/*\"") == 0)
			*filt = 1;
	}
	return (*nat + *rdr + *filt);
}

/* 0 if /etc/pf.conf has jailer's anchors, else an error with advice. */
int
pf_ready(struct jailer *jp)
{
	struct buf b;
	char *path;
	int nat, rdr, filt;

	path = host_path(PF_CONF);
	buf_init(&b);
	if (file_read(jp, path, &b) == -1)
		buf_reset(&b);
	free(path);
	pf_conf_has_anchors(b.data, &nat, &rdr, &filt);
	buf_free(&b);
	if (!nat || !rdr || !filt)
		return (jailer_seterr(jp, "/etc/pf.conf has no jailer anchors: "
		    "run 'jailer init pf' first"));
	return (0);
}

/* The interface of the default route ("route -n get default"). */
int
pf_default_if(struct jailer *jp, char out[16])
{
	static const char *const argv[] = { "route", "-n", "get", "default",
	    NULL };
	struct buf b;
	char *line, *p;
	size_t pos;
	int rc;

	buf_init(&b);
	if (run(jp, argv, &b, RUN_RO) != 0) {
		buf_free(&b);
		return (jailer_seterr(jp, "the host has no default route: "
		    "name the interface with -i"));
	}
	rc = jailer_seterr(jp, "route -n get default: no interface");
	pos = 0;
	while ((line = buf_nextline(&b, &pos)) != NULL) {
		line = str_trim(line);
		if (!str_has_prefix(line, "interface:"))
			continue;
		p = str_trim(line + 10);
		if (valid_ifname(jp, p) == 0) {
			snprintf(out, 16, "%s", p);
			rc = 0;
		}
		break;
	}
	buf_free(&b);
	return (rc);
}
