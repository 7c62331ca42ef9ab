/*
 * Loading jails costs one readdir of /etc/jail.conf.d, one read per conf
 * file, two jls(8) calls (jls.c) and, when there are DHCP jails, one read of
 * dhcpd's lease database, however many jails there are.
 *
 * Every address jailer shows or acts on is the host's view: a static
 * VNET address is the one jailer recorded in the conf file ($ip4), a
 * DHCP one the binding the host's dhcpd holds for the MAC jailer gave
 * the jail ($mac).  What the jail's own files say (its rc.conf, its
 * dhclient lease) is only read by jail_net_claimed(), to be shown as
 * the jail's claim; see docs/SECURITY.md.
 */
#include <arpa/inet.h>

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "host.h"
#include "jail.h"
#include "jls.h"
#include "lease.h"
#include "rcconf.h"
#include "safe.h"
#include "validate.h"

static int valid_addr_prefix(const char *);
static void load_leases(struct jailer *, struct jail *, size_t);

/* /etc/jail.conf.d/NAME.conf as the host sees it; caller frees. */
char *
jail_conf_path(const char *name)
{
	return (xasprintf("%s/%s.conf", JAIL_CONF_D, name));
}

static struct jail *
add(struct jails *js, const char *name)
{
	struct jail *j;

	js->v = xrealloc(js->v, (js->n + 1) * sizeof(*js->v));
	j = &js->v[js->n++];
	memset(j, 0, sizeof(*j));
	j->name = xstrdup(name);
	j->id = -1;
	return (j);
}

/* Jail NAME from its conf file alone, into js (free with jails_free). */
int
jail_load_one(struct jailer *jp, struct jails *js, const char *name)
{
	struct jail *j;
	char *path, *fpath;
	int ok;

	memset(js, 0, sizeof(*js));
	j = add(js, name);
	path = jail_conf_path(name);
	fpath = host_path(path);
	ok = file_exists(fpath);
	free(fpath);
	free(path);
	if (!ok) {
		jails_free(js);
		return (jailer_seterr(jp, "no such jail"));
	}
	if (jail_load_conf(jp, j) == -1) {
		jails_free(js);
		return (-1);
	}
	return (0);
}

struct jail *
jails_find(struct jails *js, const char *name)
{
	size_t i;

	for (i = 0; i < js->n; i++)
		if (strcmp(js->v[i].name, name) == 0)
			return (&js->v[i]);
	return (NULL);
}

static void
jail_free(struct jail *j)
{
	free(j->name);
	free(j->conf_err);
	free(j->path);
	free(j->iface);
	free(j->ip4);
	free(j->mac);
	free(j->eb_ip4);
	free(j->eb_gw);
	free(j->lease_ip4);
	free(j->lease_gw);
	free(j->jid);
	free(j->hostname);
	free(j->run_ip4);
	free(j->run_path);
	conf_free(&j->conf);
}

void
jails_free(struct jails *js)
{
	size_t i;

	for (i = 0; i < js->n; i++)
		jail_free(&js->v[i]);
	free(js->v);
	js->v = NULL;
	js->n = 0;
}

/* Parse /etc/jail.conf.d/NAME.conf. */
int
jail_conf_read(struct jailer *jp, const char *name, struct conf_file *cf)
{
	struct buf b;
	char *path, *fpath;
	int rc;

	path = jail_conf_path(name);
	fpath = host_path(path);
	buf_init(&b);
	rc = file_read(jp, fpath, &b);
	if (rc == 0)
		rc = conf_parse(jp, b.data, path, cf);
	buf_free(&b);
	free(path);
	free(fpath);
	return (rc);
}

/*
 * The VNET network identity jailer recorded in the conf file: $mac, and
 * for a static address $ip4 ("A/P") and $gateway.  A value that does not
 * parse is left out (the jail then has no host-known address).
 */
static void
conf_eb_net(struct jail *j, const struct conf_jail *cj)
{
	struct in_addr a;
	const char *v;
	char mac[18];

	if ((v = conf_value(cj, "$mac")) != NULL && mac_normalize(v, mac) == 0)
		j->mac = xstrdup(mac);
	if ((v = conf_value(cj, "$ip4")) != NULL && strchr(v, '/') != NULL &&
	    valid_addr_prefix(v))
		j->eb_ip4 = xstrdup(v);
	if (j->eb_ip4 != NULL && (v = conf_value(cj, "$gateway")) != NULL &&
	    strlen(v) < 16 && inet_pton(AF_INET, v, &a) == 1)
		j->eb_gw = xstrdup(v);
}

/*
 * Fill in what the conf file says.  A file that does not parse, or does
 * not define exactly this jail, is noted in conf_err.
 */
int
jail_load_conf(struct jailer *jp, struct jail *j)
{
	const struct conf_jail *cj;
	struct conf_file cf;
	const char *v;
	char *end;
	long id;

	j->has_conf = 1;
	if (jail_conf_read(jp, j->name, &cf) == -1) {
		j->conf_err = xstrdup(jp->err);
		return (-1);
	}
	if (cf.njails != 1 || strcmp(cf.jails[0].name, j->name) != 0 ||
	    cf.nglobals > 0) {
		char *path = jail_conf_path(j->name);

		j->conf_err = xasprintf("%s: must define the jail %s and "
		    "nothing else", path, j->name);
		free(path);
		conf_free(&cf);
		return (jailer_seterr(jp, "%s", j->conf_err));
	}
	cj = &cf.jails[0];
	if ((v = conf_value(cj, "$id")) != NULL) {
		errno = 0;
		id = strtol(v, &end, 10);
		if (errno == 0 && *end == '\0' && id > 0 && id < 100000)
			j->id = (int)id;
	}
	if ((v = conf_value(cj, "path")) != NULL)
		j->path = xstrdup(v);
	if ((v = conf_value(cj, "host.hostname")) != NULL)
		j->hostname = xstrdup(v);
	if ((v = conf_value(cj, "$bridge")) != NULL)
		j->iface = xstrdup(v);
	if (conf_flag(cj, "vnet")) {
		j->type = NET_EB;
		conf_eb_net(j, cj);
	} else if ((v = conf_value(cj, "ip4.addr")) != NULL) {
		j->type = NET_NEW;
		j->ip4 = xstrdup(v);
		if ((v = conf_value(cj, "interface")) != NULL) {
			free(j->iface);
			j->iface = xstrdup(v);
		}
	} else
		j->type = NET_INHERIT;
	j->has_hooks = conf_has_hooks(cj);
	j->conf = cf;
	return (0);
}

/* The running jails (jls.c), merged into js. */
static int
load_running(struct jailer *jp, struct jails *js)
{
	struct jls_rec *r;
	struct jail *j;
	size_t i, n;

	if (jls_records(jp, &r, &n) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if ((j = jails_find(js, r[i].name)) == NULL)
			j = add(js, r[i].name);
		if (j->running)
			continue;	/* the first record of a name counts */
		j->running = 1;
		j->jid = xstrdup(r[i].jid);
		j->run_vnet = strcmp(r[i].vnet, "new") == 0;
		if (*r[i].ip4 != '\0' && strcmp(r[i].ip4, "-") != 0)
			j->run_ip4 = xstrdup(r[i].ip4);
		j->run_path = xstrdup(r[i].path);
	}
	jls_records_free(r, n);
	return (0);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(((const struct jail *)a)->name,
	    ((const struct jail *)b)->name));
}

/*
 * Load the jails: conf files (JAILS_CONF) and running jails
 * (JAILS_RUNNING), sorted by name.  Files that are not NAME.conf with a
 * valid jail name (dot files, backups, pf files) are not jails.
 */
int
jails_load(struct jailer *jp, struct jails *js, int what)
{
	struct dirent *de;
	struct jailer scratch;
	struct stat sb;
	struct jail *j;
	char *dir, name[JAIL_NAME_MAX + 1];
	size_t len;
	DIR *d;

	memset(js, 0, sizeof(*js));
	if (what & JAILS_CONF) {
		dir = host_path(JAIL_CONF_D);
		if ((d = opendir(dir)) == NULL && errno != ENOENT) {
			jailer_seterrno(jp, "%s", JAIL_CONF_D);
			free(dir);
			return (-1);
		}
		free(dir);
		while (d != NULL && (de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			if (de->d_name[0] == '.' || len <= 5 ||
			    len - 5 > JAIL_NAME_MAX ||
			    strcmp(de->d_name + len - 5, ".conf") != 0)
				continue;
			memcpy(name, de->d_name, len - 5);
			name[len - 5] = '\0';
			if (valid_jail_name(&scratch, name) == -1 ||
			    fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(sb.st_mode))
				continue;
			j = add(js, name);
			(void)jail_load_conf(&scratch, j);
		}
		if (d != NULL)
			closedir(d);
	}
	if (what & JAILS_CONF)
		load_leases(&scratch, js->v, js->n);
	if ((what & JAILS_RUNNING) && load_running(jp, js) == -1) {
		jails_free(js);
		return (-1);
	}
	if (js->n > 1)
		qsort(js->v, js->n, sizeof(*js->v), by_name);
	return (0);
}

/*
 * The lowest id no conf file uses, and whose epair is not on the host
 * (ifaces: "ifconfig -l" output, or NULL).
 */
int
jails_next_id(const struct jails *js, const char *ifaces)
{
	char want[32];
	size_t i;
	int id, used;

	for (id = 1;; id++) {
		used = 0;
		for (i = 0; i < js->n && !used; i++)
			used = js->v[i].id == id;
		if (!used && ifaces != NULL) {
			snprintf(want, sizeof(want), "epair%da", id);
			used = str_word_in(ifaces, want);
		}
		if (!used)
			return (id);
	}
}

static int
mask_prefix(const char *mask)
{
	struct in_addr a;
	unsigned long m;
	int n;

	if (inet_pton(AF_INET, mask, &a) != 1)
		return (-1);
	m = ntohl(a.s_addr);
	for (n = 0; m & 0x80000000UL; m = (m << 1) & 0xffffffffUL)
		n++;
	return (m == 0 ? n : -1);
}

/* Is s "A/P" with an IPv4 address and a prefix of 0 to 32? */
static int
valid_addr_prefix(const char *s)
{
	struct jailer scratch;
	struct in_addr a;
	int prefix;

	return (parse_cidr4(&scratch, s, &a, &prefix) == 0);
}

/*
 * "inet A netmask M ..." or "inet A/P ..." as "A/P"; NULL for anything
 * else (DHCP, SYNCDHCP, no address).
 */
char *
inet_words(char *v)
{
	char *w[8], *save, *tok;
	size_t k;
	int prefix;

	k = 0;
	for (tok = strtok_r(v, " \t", &save); tok != NULL && k < 8;
	    tok = strtok_r(NULL, " \t", &save))
		w[k++] = tok;
	if (k < 2 || strcmp(w[0], "inet") != 0)
		return (NULL);
	if (strchr(w[1], '/') != NULL)
		return (valid_addr_prefix(w[1]) ? xstrdup(w[1]) : NULL);
	if (k >= 4 && strcmp(w[2], "netmask") == 0 &&
	    (prefix = mask_prefix(w[3])) >= 0)
		return (xasprintf("%s/%d", w[1], prefix));
	return (xstrdup(w[1]));
}

/*
 * What a VNET jail's own rc.conf claims as its static address and
 * gateway (ifconfig_epairNb="inet A netmask M", defaultrouter="G").
 * Returns 1 with "A/P" and G (NULL if unset), 0 if it uses DHCP or has
 * no address.  The jail's root writes this file: shown, never used.
 */
static int
claimed_static(struct jailer *jp, const struct jail *j, char **addr,
    char **gw)
{
	struct buf b;
	char *root, *line, *n, *v, var[40];
	size_t pos;
	int found;

	*addr = *gw = NULL;
	if (j->path == NULL || j->id < 0)
		return (0);
	snprintf(var, sizeof(var), "ifconfig_epair%db", j->id);
	root = host_path(j->path);
	buf_init(&b);
	found = 0;
	if (safe_read(jp, root, "etc/rc.conf", &b) == 0) {
		pos = 0;
		while ((line = buf_nextline(&b, &pos)) != NULL) {
			if (!rc_parse_line(line, &n, &v))
				continue;
			if (strcmp(n, "defaultrouter") == 0) {
				free(*gw);
				*gw = v;
				v = NULL;
			} else if (strcmp(n, var) == 0) {
				free(*addr);
				*addr = inet_words(v);
			}
			free(n);
			free(v);
		}
	}
	found = *addr != NULL;
	if (!found) {
		free(*gw);
		*gw = NULL;
	}
	buf_free(&b);
	free(root);
	return (found);
}

/*
 * The last lease in the text of a dhclient(8) lease file: fixed-address
 * (as A/P when the subnet mask is known) and the first router.
 */
int
lease_parse(char *text, char **addr, char **gw)
{
	char *line, *p, *e, *mask, *save;
	int prefix;

	*addr = *gw = NULL;
	mask = NULL;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line = str_trim(line);
		if (str_has_prefix(line, "lease {")) {
			free(*addr);
			free(*gw);
			free(mask);
			*addr = *gw = mask = NULL;
			continue;
		}
		if ((e = strchr(line, ';')) == NULL)
			continue;
		*e = '\0';
		if (str_has_prefix(line, "fixed-address ")) {
			struct in_addr a;

			free(*addr);
			*addr = NULL;
			p = str_trim(line + 14);
			if (strlen(p) <= 15 && inet_pton(AF_INET, p, &a) == 1)
				*addr = xstrdup(p);
		} else if (str_has_prefix(line, "option subnet-mask ")) {
			free(mask);
			mask = xstrdup(str_trim(line + 19));
		} else if (str_has_prefix(line, "option routers ")) {
			p = str_trim(line + 15);
			if ((e = strchr(p, ',')) != NULL)
				*e = '\0';
			free(*gw);
			*gw = xstrdup(p);
		}
	}
	if (*addr != NULL && mask != NULL && (prefix = mask_prefix(mask)) >= 0) {
		p = xasprintf("%s/%d", *addr, prefix);
		free(*addr);
		*addr = p;
	}
	free(mask);
	return (*addr != NULL);
}

/* The DHCP lease the jail's dhclient claims, from under its root. */
static int
lease_read(struct jailer *jp, const struct jail *j, char **addr, char **gw)
{
	struct buf b;
	char *root, rel[64];
	int rc;

	*addr = *gw = NULL;
	snprintf(rel, sizeof(rel), "var/db/dhclient.leases.epair%db", j->id);
	root = host_path(j->path);
	buf_init(&b);
	rc = 0;
	if (safe_read(jp, root, rel, &b) == 0)
		rc = lease_parse(b.data, addr, gw);
	buf_free(&b);
	free(root);
	return (rc);
}

/* Keep an address only if it is "A", "A/P" or a list jls printed. */
static void
keep_if_address(char **ip4)
{
	struct in_addr a;
	char *slash, tmp[64];

	if (*ip4 == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s", *ip4);
	if ((slash = strchr(tmp, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, tmp, &a) != 1 && strchr(tmp, ',') == NULL) {
		free(*ip4);
		*ip4 = NULL;
	}
}

/* Unknown values are shown as "-". */
static void
dash_unknown(char **ip4, char **gw)
{
	struct in_addr a;

	keep_if_address(ip4);
	if (*gw != NULL && inet_pton(AF_INET, *gw, &a) != 1) {
		free(*gw);
		*gw = NULL;
	}
	if (*ip4 == NULL)
		*ip4 = xstrdup("-");
	if (*gw == NULL)
		*gw = xstrdup("-");
}

/*
 * The host's view of a jail's IPv4 address and gateway, what list and
 * info show and what pf rules point at: for a new jail the kernel's
 * ip4.addr (running) or the conf file's; for a VNET jail the $ip4 and
 * $gateway jailer recorded, or dhcpd's binding for its $mac.  "-" when
 * the host does not know.  Nothing under the jail's root is read.
 */
int
jail_net(struct jailer *jp, const struct jail *j, char **ip4, char **gw)
{
	(void)jp;
	*ip4 = *gw = NULL;
	if (j->type == NET_EB) {
		if (j->eb_ip4 != NULL) {
			*ip4 = xstrdup(j->eb_ip4);
			if (j->eb_gw != NULL)
				*gw = xstrdup(j->eb_gw);
		} else if (j->lease_ip4 != NULL) {
			*ip4 = xstrdup(j->lease_ip4);
			if (j->lease_gw != NULL)
				*gw = xstrdup(j->lease_gw);
		}
	} else if (j->running && j->run_vnet)
		;	/* a VNET jail jailer did not set up: unknown */
	else if (j->running && j->run_ip4 != NULL)
		*ip4 = xstrdup(j->run_ip4);
	else if (j->ip4 != NULL)
		*ip4 = xstrdup(j->ip4);
	dash_unknown(ip4, gw);
	return (0);
}

/*
 * Read dhcpd's binding for one jail again (after it started and asked
 * for one).
 */
void
jail_leases_reload(struct jailer *jp, struct jail *j)
{
	load_leases(jp, j, 1);
}

/*
 * What a VNET jail's own files claim as its address and gateway (its
 * rc.conf, else its dhclient lease): only ever shown, next to the host's
 * view, when the two disagree.  "-" when it claims nothing.
 */
int
jail_net_claimed(struct jailer *jp, const struct jail *j, char **ip4,
    char **gw)
{
	*ip4 = *gw = NULL;
	if (j->type == NET_EB || j->run_vnet) {
		if (claimed_static(jp, j, ip4, gw) != 1)
			(void)lease_read(jp, j, ip4, gw);
	}
	dash_unknown(ip4, gw);
	return (0);
}

/*
 * The host's dhcpd bindings for the DHCP jails' MACs, with the prefix
 * and router of the dhcpd.conf subnet they are in: one read of each
 * file for all jails.
 */
static void
load_leases(struct jailer *jp, struct jail *v, size_t nv)
{
	struct dhcpd_leases ls;
	const struct dhcpd_lease *l;
	struct buf lb, cb;
	char *path, router[16];
	size_t i;
	time_t now;
	int prefix, any;

	any = 0;
	for (i = 0; i < nv; i++)
		if (v[i].type == NET_EB && v[i].eb_ip4 == NULL &&
		    v[i].mac != NULL)
			any = 1;
	if (!any)
		return;
	buf_init(&lb);
	buf_init(&cb);
	path = host_path(DHCPD_LEASES);
	if (file_read(jp, path, &lb) == -1)
		buf_reset(&lb);
	free(path);
	path = host_path(DHCPD_CONF);
	if (file_read(jp, path, &cb) == -1)
		buf_reset(&cb);
	free(path);
	(void)dhcpd_leases_parse(lb.data != NULL ? lb.data : "", &ls);
	now = time(NULL);
	for (i = 0; i < nv; i++) {
		struct jail *j = &v[i];

		free(j->lease_ip4);
		free(j->lease_gw);
		j->lease_ip4 = j->lease_gw = NULL;
		if (j->type != NET_EB || j->eb_ip4 != NULL || j->mac == NULL ||
		    (l = dhcpd_lease_find(&ls, j->mac, now)) == NULL)
			continue;
		if (cb.data != NULL && dhcpd_subnet_for(cb.data, l->addr,
		    &prefix, router) == 1) {
			j->lease_ip4 = xasprintf("%s/%d", l->addr, prefix);
			if (router[0] != '\0')
				j->lease_gw = xstrdup(router);
		} else
			j->lease_ip4 = xstrdup(l->addr);
	}
	dhcpd_leases_free(&ls);
	buf_free(&lb);
	buf_free(&cb);
}
