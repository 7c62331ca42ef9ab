/*
 * jailer import [-D] FILE [NAME]: a jail from an export file (export.c).
 *
 * The file is verified whole first (export_read(): the manifest's and
 * every member's SHA-256; only the manifest and the small members are
 * held in memory, the stream is hashed in chunks), its stream
 * decompressed to /dev/null (xz -d reading the file's descriptor), and
 * every manifest value checked as create checks its options; only then
 * does anything change.  The receive is xz -d | zfs receive with xz
 * reading that same descriptor (export_stream_fd(): refused if the file
 * changed since it was verified), so no stream size is too big.  The file comes from another host and
 * is not trusted: its conf file member is not installed.  The conf file
 * is jailer's own (create_plan(): the renderer, a free $id, a new MAC, the
 * address of the file if it is free here, else DHCP (eb) or a free
 * address (new)), with this host's dataset and path.  The stream is
 * received with the file's properties but mountpoint, canmount and
 * jailed (zfs receive -x), with jailer:managed=jail; a stream holding
 * any other dataset is undone.  The network files in the jail's root
 * (rc.conf's ifconfig_epair and defaultrouter, start_if, resolv.conf)
 * are written for this host through safe.c.  The jail is left stopped.
 * nullfs mounts and pf rules name the other host's paths and interfaces:
 * they are reported, not re-created.
 *
 * An incremental file (export -i) goes onto the existing jail of that
 * name, which must be stopped and whose newest snapshot must be the
 * file's base: zfs receive -F (changes since that snapshot are
 * discarded), then its network files again for this host.  Undone on
 * failure with zfs rollback -r to the base.
 *
 * Depends on: exfile.c (the file), create.c (create_plan), jail, conf,
 * param (jail_list), dhcp, safe, rcconf, image, zfs, exec, undo, validate,
 * plan.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dhcp.h"
#include "exec.h"
#include "export.h"
#include "host.h"
#include "image.h"
#include "jail.h"
#include "lifecycle.h"
#include "net.h"
#include "nullfs.h"
#include "param.h"
#include "pf.h"
#include "plan.h"
#include "rcconf.h"
#include "safe.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"

struct import {
	struct export_file	 f;
	struct create_plan	 p;	/* full: the new jail */
	int			 planned;
	struct jails		 js;
	struct jail		*j;	/* incremental: the jail */
	char			*name, *ds, *file;
	char			*release;	/* valid, or NULL */
	struct buf		 notes;
};

static const char *
fv(const struct import *im, int k)
{
	return (strcmp(im->f.v[k], "-") == 0 ? NULL : im->f.v[k]);
}

/* The manifest's values, checked as create checks its options. */
static int
im_values(struct jailer *jp, struct import *im)
{
	struct in_addr in;
	enum nettype t;
	const char *s;
	char *end;
	long id;
	int prefix;

	if (valid_jail_name(jp, im->f.v[EXF_JAIL]) == -1 ||
	    nettype_parse(im->f.v[EXF_NETWORK], &t) == -1 ||
	    valid_snapname(jp, im->f.v[EXF_SNAPSHOT]) == -1 ||
	    (fv(im, EXF_FROM) != NULL &&
	    valid_snapname(jp, im->f.v[EXF_FROM]) == -1) ||
	    (fv(im, EXF_IFACE) != NULL &&
	    valid_ifname(jp, im->f.v[EXF_IFACE]) == -1) ||
	    (fv(im, EXF_DOMAIN) != NULL &&
	    valid_domain(jp, im->f.v[EXF_DOMAIN]) == -1) ||
	    (fv(im, EXF_GATEWAY) != NULL &&
	    parse_ipv4(jp, im->f.v[EXF_GATEWAY], &in) == -1))
		return (-1);
	errno = 0;
	id = strtol(im->f.v[EXF_ID], &end, 10);
	if (errno != 0 || *end != '\0' || id < -1 || id > 65535)
		return (jailer_seterr(jp, "bad id '%s' in the manifest",
		    vis(im->f.v[EXF_ID])));
	if ((s = fv(im, EXF_IP4)) != NULL && strcmp(s, "dhcp") != 0 &&
	    (strchr(s, '/') != NULL ? parse_cidr4(jp, s, &in, &prefix) :
	    parse_ipv4(jp, s, &in)) == -1)
		return (-1);
	if ((s = fv(im, EXF_MAC)) != NULL && (strlen(s) != 17 ||
	    strspn(s, "0123456789abcdef:") != 17))
		return (jailer_seterr(jp, "bad MAC '%s' in the manifest",
		    vis(s)));
	if ((s = fv(im, EXF_RELEASE)) != NULL) {
		struct release r;
		char base[64];
		size_t n;

		/* A patched jail (14.3-RELEASE-p3): its release's base. */
		n = strlen(s);
		if (release_parse(s, &r) == 0 && r.patch > 0 &&
		    strstr(s, "-p") != NULL)
			n = (size_t)(strstr(s, "-p") - s);
		snprintf(base, sizeof(base), "%.*s", (int)n, s);
		if (image_check_host(jp, base) == -1) {
			char why[sizeof(jp->err)];

			memcpy(why, jp->err, sizeof(why));
			return (jailer_seterr(jp, "release %s: %s", vis(s),
			    why));
		}
		im->release = xstrdup(s);
	}
	return (0);
}

/* Anything of NAME on this host: jail, conf file, dataset, files. */
static int
im_name_free(struct jailer *jp, struct import *im)
{
	char *paths[3];
	struct stat sb;
	int i, rc;

	if (jails_find(&im->js, im->name) != NULL)
		return (jailer_seterr(jp, "a jail named %s exists", im->name));
	if ((rc = zfs_exists(jp, im->ds)) != 0)
		return (rc == 1 ? jailer_seterr(jp, "the dataset %s exists",
		    im->ds) : -1);
	paths[0] = jail_conf_path(im->name);
	paths[1] = nullfs_fstab_path(im->name);
	paths[2] = xasprintf("%s/%s.rules", PF_RULES_DIR, im->name);
	rc = 0;
	for (i = 0; i < 3; i++) {
		char *hp = host_path(paths[i]);

		if (rc == 0 && lstat(hp, &sb) == 0)
			rc = jailer_seterr(jp, "%s exists", paths[i]);
		free(hp);
		free(paths[i]);
	}
	return (rc);
}

/* The create request for the file's jail (addr: the file's or not). */
static void
im_req(struct import *im, struct create_req *rq, char *addr, int keep)
{
	const char *s;

	memset(rq, 0, sizeof(*rq));
	rq->name = im->name;
	rq->domain = fv(im, EXF_DOMAIN);
	rq->type = im->f.v[EXF_NETWORK];
	if (!keep)
		return;
	rq->iface = fv(im, EXF_IFACE);
	if ((s = fv(im, EXF_IP4)) != NULL && strcmp(s, "dhcp") != 0) {
		snprintf(addr, 16, "%.*s", (int)strcspn(s, "/"), s);
		rq->addr = addr;
	}
}

/* Plan the new jail as create would; the file's address if it is free. */
static int
im_plan(struct jailer *jp, struct import *im)
{
	struct create_req rq;
	char addr[16], err[sizeof(jp->err)];
	const char *old;

	im_req(im, &rq, addr, 1);
	if (create_plan(jp, &rq, &im->p) == -1) {
		create_plan_free(&im->p);
		if (strcmp(im->f.v[EXF_NETWORK], "inherit") == 0)
			return (-1);
		memcpy(err, jp->err, sizeof(err));
		/* Only a network that does not fit this host is replaced. */
		if (strstr(err, "already in use") == NULL &&
		    strstr(err, "no such") == NULL &&
		    strstr(err, "does not exist") == NULL)
			return (-1);
		im_req(im, &rq, addr, 0);
		if (create_plan(jp, &rq, &im->p) == -1) {
			create_plan_free(&im->p);
			memcpy(jp->err, err, sizeof(err));
			return (-1);
		}
		buf_addf(&im->notes, "  the network of the file (%s %s) does "
		    "not fit this host (%s): ", vis(im->f.v[EXF_IFACE]),
		    vis(im->f.v[EXF_IP4]), err);
		if (im->p.type == NET_EB && im->p.dhcp)
			buf_addf(&im->notes, "DHCP on %s\n", im->p.iface);
		else
			buf_addf(&im->notes, "%s on %s\n", im->p.ip4,
			    im->p.iface);
	}
	im->planned = 1;
	if (strcmp(im->f.v[EXF_ID], "-1") != 0 &&
	    atoi(im->f.v[EXF_ID]) != im->p.id)
		buf_addf(&im->notes, "  id %d (was %s)\n", im->p.id,
		    im->f.v[EXF_ID]);
	if (im->p.type == NET_EB && (old = fv(im, EXF_MAC)) != NULL)
		buf_addf(&im->notes, "  MAC %s (was %s)\n", im->p.mac, old);
	return (0);
}

/* The newest snapshot of the dataset must be the file's base. */
static int
im_base(struct jailer *jp, struct import *im)
{
	struct buf out;
	char *line, *last, *want;
	size_t pos;
	int rc;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    "snapshot", "-s", "createtxg", "-d", "1", im->ds, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	last = NULL;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL)
		if (*line != '\0')
			last = line;
	want = xasprintf("%s@%s", im->ds, im->f.v[EXF_FROM]);
	rc = 0;
	if (last == NULL || strcmp(last, want) != 0)
		rc = jailer_seterr(jp, "the file is incremental from @%s, but "
		    "the newest snapshot of %s is %s", im->f.v[EXF_FROM],
		    im->name, last != NULL ? strchr(last, '@') : "none");
	free(want);
	buf_free(&out);
	return (rc);
}

/* Incremental: the existing jail, jailer's, stopped, at the base. */
static int
im_onto(struct jailer *jp, struct import *im)
{
	char *s;
	int rc;

	if ((im->j = jails_find(&im->js, im->name)) == NULL)
		return (jailer_seterr(jp, "the file is incremental (from @%s): "
		    "it needs the jail %s here", im->f.v[EXF_FROM], im->name));
	if (im->j->running)
		return (jailer_seterr(jp, "the jail is running: stop it first"));
	if (im->j->conf_err != NULL)
		return (jailer_seterr(jp, "its conf file does not parse: %s",
		    im->j->conf_err));
	if ((rc = jail_managed(jp, im->ds)) != 1)
		return (rc == -1 ? -1 : jailer_seterr(jp, "%s is not a jail "
		    "dataset of jailer", im->ds));
	if (im_base(jp, im) == -1)
		return (-1);
	s = xasprintf("%s@%s", im->ds, im->f.v[EXF_SNAPSHOT]);
	rc = zfs_exists(jp, s);
	if (rc == 1)
		jailer_seterr(jp, "the snapshot %s exists", s);
	free(s);
	return (rc == 0 ? 0 : -1);
}

/* Does the member hold the text s? */
static int
mem_has(const char *m, size_t n, const char *s)
{
	size_t k, i;

	k = strlen(s);
	for (i = 0; i + k <= n; i++)
		if (memcmp(m + i, s, k) == 0)
			return (1);
	return (0);
}

/* The members that are reported, not re-created. */
static void
im_note_members(struct import *im)
{
	static const char *const what[][2] = {
	    { "rctl -a ", "its limits (see jailer limit)" },
	    { "cpuset -j ", "its CPU set (see jailer cpuset)" },
	    { "zfs.dataset", "its delegated datasets (see jailer zfs)" },
	    { "zfs jail ", "its delegated datasets (see jailer zfs)" } };
	const char *p, *nl;
	size_t n, k;

	for (k = 0; k < nitems(what); k++)
		if (mem_has(im->f.mem[EXM_CONF], im->f.memlen[EXM_CONF],
		    what[k][0]) && (k != 3 || !mem_has(im->f.mem[EXM_CONF],
		    im->f.memlen[EXM_CONF], what[2][0])))
			buf_addf(&im->notes, "  not re-created: %s\n",
			    what[k][1]);

	for (p = im->f.mem[EXM_FSTAB], n = im->f.memlen[EXM_FSTAB]; n > 0;
	    p = nl + 1) {
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) : n;
		if (k > 0) {
			char *line = xstrndup(p, k);

			buf_addf(&im->notes, "  not re-created: the nullfs "
			    "mount '%s' (see jailer mount)\n", vis(line));
			free(line);
		}
		if (nl == NULL)
			break;
		n -= k + 1;
	}
	for (k = 0, p = im->f.mem[EXM_RULES], n = im->f.memlen[EXM_RULES];
	    n > 0; p++, n--)
		if (*p == '\n' && n > 1 && (p[1] == 'r' || p[1] == 'n'))
			k++;
	if (k > 0)
		buf_addf(&im->notes, "  not re-created: %zu pf rule%s (see "
		    "jailer rdr add, jailer nat add)\n", k, k == 1 ? "" : "s");
}

/*
 * Read and verify FILE, check everything the import needs; changes
 * nothing (the state lock is held by the caller).
 */
struct import *
import_open(struct jailer *jp, const char *file, const char *name)
{
	static const char *const xz[] = { "xz", "-d", "-c", "-q", NULL };
	const struct config *cf;
	struct import *im;
	int fd;

	im = xcalloc(1, sizeof(*im));
	buf_init(&im->notes);
	im->file = xstrdup(file);
	if (export_read(jp, file, &im->f) == -1 || im_values(jp, im) == -1)
		goto fail;
	im->name = xstrdup(name != NULL ? name : im->f.v[EXF_JAIL]);
	if (valid_jail_name(jp, im->name) == -1 || config_get(jp, &cf) == -1)
		goto fail;
	im->ds = xasprintf("%s/%s", cf->dataset, im->name);
	if (jails_load(jp, &im->js, JAILS_CONF | JAILS_RUNNING) == -1)
		goto fail;
	if (fv(im, EXF_FROM) != NULL) {
		if (im_onto(jp, im) == -1)
			goto fail;
	} else if (im_name_free(jp, im) == -1 || im_plan(jp, im) == -1)
		goto fail;
	im_note_members(im);
	/* It decompresses (xz checks its own CRCs), to /dev/null. */
	if ((fd = export_stream_fd(jp, &im->f)) == -1 ||
	    run_fd(jp, xz, fd, -1, RUN_RO) != 0)
		goto fail;
	return (im);
fail:
	import_free(im);
	return (NULL);
}

void
import_free(struct import *im)
{
	if (im == NULL)
		return;
	export_file_free(&im->f);
	if (im->planned)
		create_plan_free(&im->p);
	jails_free(&im->js);
	free(im->name);
	free(im->ds);
	free(im->file);
	free(im->release);
	buf_free(&im->notes);
	free(im);
}

const char *
import_name(const struct import *im)
{
	return (im->name);
}

int
import_incremental(const struct import *im)
{
	return (im->j != NULL);
}

const char *
import_notes(const struct import *im)
{
	return (im->notes.len > 0 ? im->notes.data : "");
}

/* -D: what import would do. */
void
import_print(struct jailer *jp, const struct import *im)
{
	char *conf;

	plan_flat(jp, "check", "file", im->file, NULL, NULL, "verified %s: "
	    "export format %d from %s (jail %s, %s, snapshot @%s%s%s)",
	    vis(im->file), EXPORT_FORMAT, vis(im->f.v[EXF_HOST]),
	    im->f.v[EXF_JAIL], im->f.v[EXF_NETWORK], im->f.v[EXF_SNAPSHOT],
	    im->j != NULL ? ", incremental from @" : "", im->j != NULL ?
	    im->f.v[EXF_FROM] : "");
	if (im->j != NULL)
		plan_flat(jp, "change", "dataset", im->ds, NULL, NULL,
		    "zfs receive -F -x mountpoint -x canmount -x jailed %s",
		    im->ds);
	else
		plan_flat(jp, "create", "dataset", im->ds, NULL, NULL,
		    "zfs receive -x mountpoint -x canmount -x jailed -o "
		    "jailer:managed=jail%s%s %s", im->release != NULL ?
		    " -o jailer:release=" : "", im->release != NULL ?
		    im->release : "", im->ds);
	plan_flat(jp, "change", "directory", im->name, NULL, NULL,
	    "write the network files of %s into its root", im->name);
	if (im->j == NULL) {
		conf = xasprintf("/etc/jail.conf.d/%s.conf", im->name);
		if (jp->plan == NULL)
			printf("write %s:\n%s", conf, im->p.conf);
		else
			plan_flat(jp, "create", "file", conf, NULL, im->p.conf,
			    "write %s", conf);
		free(conf);
	}
	if (jp->plan == NULL)
		fputs(import_notes(im), stdout);
}

/* Drop the other host's network lines from the root's etc/rc.conf. */
static int
im_forget(struct jailer *jp, const char *root, const char *oldid)
{
	struct buf in;
	char *line, *n, *v, rel[64];
	char **drop;
	size_t pos, nd, i;
	int rc;

	buf_init(&in);
	drop = NULL;
	nd = 0;
	if (safe_read(jp, root, "etc/rc.conf", &in) == 0) {
		pos = 0;
		while ((line = buf_nextline(&in, &pos)) != NULL)
			if (rc_parse_line(line, &n, &v)) {
				if (str_has_prefix(n, "ifconfig_epair") ||
				    strcmp(n, "defaultrouter") == 0 ||
				    strcmp(n, "ipv6_defaultrouter") == 0 ||
				    strcmp(n, "rtsold_enable") == 0)
					strv_push(&drop, &nd, n);
				else
					free(n);
				free(v);
			}
	} else if (errno != ENOENT) {
		buf_free(&in);
		return (-1);
	}
	buf_free(&in);
	rc = 0;
	for (i = 0; i < nd && rc == 0; i++)
		rc = safe_rc_set(jp, root, "etc/rc.conf", drop[i], NULL);
	strv_free(drop, nd);
	if (rc == 0 && oldid != NULL && strcmp(oldid, "-1") != 0) {
		snprintf(rel, sizeof(rel), "etc/start_if.epair%sb", oldid);
		rc = safe_unlink(jp, root, rel);
	}
	return (rc);
}

/* What this host's jail looks like on its network (for its files). */
struct im_net {
	enum nettype	 type;
	int		 id;
	const char	*mac;
	const char	*ip4;		/* eb static: "A" */
	int		 prefix;
	const char	*gateway;
};

/* The network files in the jail's root, written for this host. */
static int
im_netfiles(struct jailer *jp, struct import *im, const char *path,
    const struct im_net *n)
{
	struct buf b;
	char *root, *hostres, rel[64], var[64], val[128], mask[16];
	int rc;

	root = host_path(path);
	buf_init(&b);
	rc = -1;
	if (im_forget(jp, root, fv(im, EXF_ID)) == -1)
		goto out;
	hostres = host_path("/etc/resolv.conf");
	if (file_read(jp, hostres, &b) == -1 && errno != ENOENT) {
		free(hostres);
		goto out;
	}
	free(hostres);
	if (safe_write(jp, root, "etc/resolv.conf", b.data, b.len, 0644) == -1)
		goto out;
	if (n->type == NET_EB) {
		snprintf(rel, sizeof(rel), "etc/start_if.epair%db", n->id);
		buf_reset(&b);
		buf_addf(&b, "ifconfig epair%db ether %s\n", n->id, n->mac);
		snprintf(var, sizeof(var), "ifconfig_epair%db", n->id);
		if (n->ip4 == NULL)
			snprintf(val, sizeof(val), "SYNCDHCP");
		else {
			mask_str(n->prefix, mask);
			snprintf(val, sizeof(val), "inet %s netmask %s", n->ip4,
			    mask);
		}
		if (safe_write(jp, root, rel, b.data, b.len, 0644) == -1 ||
		    safe_rc_set(jp, root, "etc/rc.conf", var, val) == -1 ||
		    safe_rc_set(jp, root, "etc/rc.conf", "defaultrouter",
		    n->ip4 != NULL ? n->gateway : NULL) == -1)
			goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	free(root);
	return (rc);
}

/*
 * xz -d | zfs receive with the options given, xz reading the stream from
 * the verified file's own descriptor (never through jailer).
 */
static int
im_recv(struct jailer *jp, struct import *im, const char *const *argv)
{
	static const char *const xz[] = { "xz", "-d", "-c", "-q", NULL };
	int fd;

	if ((fd = export_stream_fd(jp, &im->f)) == -1)
		return (-1);
	return (run_pipe_fd(jp, xz, argv, fd, -1, 0) == 0 ? 0 : -1);
}

/* The received dataset: exactly one, with the file's snapshot. */
static int
im_check_received(struct jailer *jp, struct import *im)
{
	struct buf out;
	char *s, *line;
	size_t pos, n;
	int rc;

	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-r", "-t",
	    "filesystem,volume", im->ds, NULL) != 0) {
		buf_free(&out);
		return (-1);
	}
	for (n = 0, pos = 0; (line = buf_nextline(&out, &pos)) != NULL;)
		n += *line != '\0';
	buf_free(&out);
	if (n != 1)
		return (jailer_seterr(jp, "the stream holds more than the "
		    "jail's dataset"));
	s = xasprintf("%s@%s", im->ds, im->f.v[EXF_SNAPSHOT]);
	rc = zfs_exists(jp, s);
	if (rc == 0)
		jailer_seterr(jp, "the stream has no snapshot @%s",
		    im->f.v[EXF_SNAPSHOT]);
	free(s);
	return (rc == 1 ? 0 : -1);
}

/* A new jail: receive, its files, its conf file, jail_list, dhcpd. */
static int
im_full(struct jailer *jp, struct import *im, struct undo *u)
{
	const char *recv[] = { "zfs", "recv", "-x", "mountpoint", "-x",
	    "canmount", "-x", "jailed", "-o", "jailer:managed=jail", NULL,
	    NULL, NULL, NULL };
	struct create_plan *p = &im->p;
	struct im_net n;
	char *rel, *conf;
	int rc, i;

	i = 10;
	rel = im->release != NULL ? xasprintf("jailer:release=%s",
	    im->release) : NULL;
	if (rel != NULL) {
		recv[i++] = "-o";
		recv[i++] = rel;
	}
	recv[i] = im->ds;
	undo_zfs_destroy(u, im->ds);
	rc = im_recv(jp, im, recv);
	free(rel);
	if (rc == -1 || im_check_received(jp, im) == -1)
		return (-1);
	memset(&n, 0, sizeof(n));
	n.type = p->type;
	n.id = p->id;
	n.mac = p->mac;
	n.ip4 = p->type == NET_EB && !p->dhcp ? p->ip4 : NULL;
	n.prefix = p->prefix;
	n.gateway = p->gateway;
	if (im_netfiles(jp, im, p->path, &n) == -1)
		return (-1);
	rel = jail_conf_path(p->name);
	conf = host_path(rel);
	free(rel);
	undo_unlink(u, conf);
	rc = file_write_atomic(jp, conf, p->conf, strlen(p->conf), 0644);
	free(conf);
	if (rc == -1 || param_bootlist_sync(jp, u) == -1)
		return (-1);
	if (((p->type == NET_EB && !p->dhcp) || p->type == NET_NEW) &&
	    dhcp_refresh(jp, u, p->iface) == -1)
		return (-1);
	return (0);
}

/* Onto the jail: receive -F, then its network files again. */
static int
im_incr(struct jailer *jp, struct import *im, struct undo *u)
{
	const char *recv[] = { "zfs", "recv", "-F", "-x", "mountpoint", "-x",
	    "canmount", "-x", "jailed", im->ds, NULL };
	const char *back[] = { "zfs", "rollback", "-r", NULL, NULL };
	struct jail *j = im->j;
	struct im_net n;
	struct in_addr in;
	char *base, *a;
	int rc;

	if (im_recv(jp, im, recv) == -1)
		return (-1);
	base = xasprintf("%s@%s", im->ds, im->f.v[EXF_FROM]);
	back[3] = base;
	undo_cmd(u, back);
	free(base);
	memset(&n, 0, sizeof(n));
	n.type = j->type;
	n.id = j->id;
	n.mac = j->mac;
	n.gateway = j->eb_gw;
	a = NULL;
	if (j->type == NET_EB && j->eb_ip4 != NULL) {
		if (parse_cidr4(jp, j->eb_ip4, &in, &n.prefix) == -1)
			return (-1);
		a = xstrndup(j->eb_ip4, strcspn(j->eb_ip4, "/"));
		n.ip4 = a;
	}
	if (j->type == NET_EB && j->mac == NULL)
		rc = jailer_seterr(jp, "its conf file has no $mac");
	else
		rc = im_netfiles(jp, im, j->path, &n);
	free(a);
	return (rc);
}

/* Carry the import out; on failure everything is undone. */
int
import_run(struct jailer *jp, struct import *im)
{
	struct undo u;
	int rc;

	undo_init(&u);
	rc = im->j != NULL ? im_incr(jp, im, &u) : im_full(jp, im, &u);
	if (rc == 0)
		undo_commit(&u);
	else
		undo_run(jp, &u);
	return (rc);
}
