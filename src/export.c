/*
 * jailer export [-D] [-i snapshot] NAME [FILE | -]: one file holding a
 * jail.  The file format is described here; exfile.c writes the manifest
 * and reads and verifies files (export_read(), for import.c).
 *
 * The file is a manifest of text lines, then the members, one after the
 * other, with no padding:
 *
 *	jailer-export 1			the format version
 *	version 0.2.0			the jailer that wrote it
 *	host NAME			hostname(1) of the source host
 *	created SECONDS			when (time(3))
 *	jail NAME			the jail's name
 *	release 14.3-RELEASE		jailer:release of its dataset, or -
 *	network eb			inherit, new or eb
 *	id 1				$id
 *	mac 58:9c:fc:...		$mac (eb), or -
 *	ip4 10.0.0.10/24		eb: $ip4 or dhcp; new: ip4.addr; or -
 *	gateway 10.0.0.1		eb: $gateway, or -
 *	iface bridge0			$bridge or the interface, or -
 *	domain example.org		$domain, or -
 *	snapshot jailer-export-...	the stream's last snapshot
 *	from one			incremental: the base snapshot, or -
 *	member conf SIZE SHA256		/etc/jail.conf.d/NAME.conf
 *	member fstab SIZE SHA256	its nullfs fstab (may be empty)
 *	member rules SIZE SHA256	its pf rule file (may be empty)
 *	member stream SIZE SHA256	the xz(1)-compressed zfs send stream
 *	manifest SHA256			of every byte before this line
 *
 * Values are printable ASCII without blanks; SHA256 is 64 lowercase hex
 * digits (sha256.c).  export_read() refuses anything else before it
 * returns: another version, an unknown or missing line, a manifest or
 * member whose checksum differs, a short or long file.
 *
 * Export takes the snapshot NAME@jailer-export-YYYYMMDD-HHMMSS first
 * (running or not, so the file holds the jail as it is; the snapshot is
 * kept: it is the base of the next incremental export), sends the
 * dataset with every snapshot (zfs send -R) or, with -i SNAPSHOT, the
 * snapshots after SNAPSHOT (zfs send -I), compresses it (xz -z), and
 * writes FILE through a temporary file renamed into place.  A failure
 * destroys the snapshot and leaves no FILE.
 *
 * Nothing of the stream is held in memory: zfs send | xz writes into an
 * unlinked temporary file (next to FILE, or in /var/tmp for standard
 * output), which is then read in chunks for its size and SHA-256 (the
 * manifest, before the stream, holds both) and copied in chunks after
 * the manifest and the small members.  The cost: disk space for the
 * compressed stream twice, and one more read and write of it.
 *
 * Depends on: jail, conf, lifecycle (jail_managed), nullfs (the fstab
 * path), pf (the rules path), zfs, exec, undo, exfile, validate, plan.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "exec.h"
#include "export.h"
#include "host.h"
#include "jail.h"
#include "lifecycle.h"
#include "nullfs.h"
#include "pf.h"
#include "plan.h"
#include "undo.h"
#include "validate.h"
#include "zfs.h"


struct export {
	struct jails	 js;
	struct jail	*j;
	char		*ds, *snap, *from, *path;
	char		*v[EXF_N];
};

/* ---------------------------------------------------------------- export */

static void
ex_free(struct export *e)
{
	int i;

	jails_free(&e->js);
	free(e->ds);
	free(e->snap);
	free(e->from);
	free(e->path);
	for (i = 0; i < EXF_N; i++)
		free(e->v[i]);
}

void
export_free(struct export *e)
{
	if (e == NULL)
		return;
	ex_free(e);
	free(e);
}

/* -i SNAPSHOT, NAME@SNAPSHOT or @SNAPSHOT: it must exist. */
static int
ex_from(struct jailer *jp, struct export *e, const char *from)
{
	const char *at;
	char *s;
	int rc;

	if ((at = strchr(from, '@')) != NULL) {
		if (at != from && (strncmp(from, e->j->name, (size_t)(at -
		    from)) != 0 || strlen(e->j->name) != (size_t)(at - from)))
			return (jailer_seterr(jp, "-i %s: not a snapshot of %s",
			    vis(from), e->j->name));
		from = at + 1;
	}
	if (valid_snapname(jp, from) == -1)
		return (-1);
	e->from = xstrdup(from);
	s = xasprintf("%s@%s", e->ds, from);
	rc = zfs_exists(jp, s);
	free(s);
	if (rc == 0)
		return (jailer_seterr(jp, "no snapshot %s@%s", e->j->name,
		    from));
	return (rc == 1 ? 0 : -1);
}

/* The snapshot export takes: jailer-export-TIME, -2, -3 if taken. */
static int
ex_snapname(struct jailer *jp, struct export *e)
{
	char stamp[32], *s;
	time_t t;
	int i, rc;

	t = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&t));
	for (i = 1; i < 100; i++) {
		free(e->snap);
		e->snap = i == 1 ? xasprintf("jailer-export-%s", stamp) :
		    xasprintf("jailer-export-%s-%d", stamp, i);
		s = xasprintf("%s@%s", e->ds, e->snap);
		rc = zfs_exists(jp, s);
		free(s);
		if (rc != 1)
			return (rc);
	}
	return (jailer_seterr(jp, "too many exports of %s this second",
	    e->j->name));
}

static char *
dash(const char *s)
{
	return (xstrdup(s != NULL && *s != '\0' ? s : "-"));
}

/* The manifest's values from the host's records (never the jail root). */
static int
ex_values(struct jailer *jp, struct export *e)
{
	static const char *const hostname[] = { "hostname", NULL };
	struct jail *j = e->j;
	struct buf b;
	char *rel;

	if (run_read(jp, hostname, &b) == -1)
		return (-1);
	e->v[EXF_HOST] = dash(str_trim(b.data));
	buf_free(&b);
	if (zfs_get(jp, e->ds, "jailer:release", &rel) == -1)
		return (-1);
	e->v[EXF_RELEASE] = dash(rel);
	free(rel);
	e->v[EXF_VERSION] = xstrdup(JAILER_VERSION);
	e->v[EXF_CREATED] = xasprintf("%lld", (long long)time(NULL));
	e->v[EXF_JAIL] = xstrdup(j->name);
	e->v[EXF_NETWORK] = xstrdup(nettype_name(j->type));
	e->v[EXF_ID] = xasprintf("%d", j->id);
	e->v[EXF_MAC] = dash(j->type == NET_EB ? j->mac : NULL);
	e->v[EXF_IP4] = dash(j->type == NET_NEW ? j->ip4 : j->type ==
	    NET_EB ? (j->eb_ip4 != NULL ? j->eb_ip4 : "dhcp") : NULL);
	e->v[EXF_GATEWAY] = dash(j->type == NET_EB ? j->eb_gw : NULL);
	e->v[EXF_IFACE] = dash(j->type != NET_INHERIT ? j->iface : NULL);
	e->v[EXF_DOMAIN] = dash(j->conf.njails == 1 ?
	    conf_value(&j->conf.jails[0], "$domain") : NULL);
	e->v[EXF_SNAPSHOT] = xstrdup(e->snap);
	e->v[EXF_FROM] = dash(e->from);
	return (0);
}

/*
 * Every check of an export, before anything changes: the jail (jailer's,
 * its conf file parsed), -i's snapshot, FILE (- must not be a terminal).
 */
struct export *
export_open(struct jailer *jp, const char *name, const char *from,
    const char *path)
{
	const struct config *cf;
	struct export *e;
	int rc;

	e = xcalloc(1, sizeof(*e));
	if (config_get(jp, &cf) == -1 || jails_load(jp, &e->js,
	    JAILS_CONF | JAILS_RUNNING) == -1)
		goto fail;
	if ((e->j = jails_find(&e->js, name)) == NULL) {
		jailer_seterr(jp, "no such jail");
		goto fail;
	}
	if (e->j->conf_err != NULL || e->j->conf.njails != 1) {
		jailer_seterr(jp, "its conf file does not parse: %s",
		    e->j->conf_err != NULL ? e->j->conf_err : "no jail");
		goto fail;
	}
	e->ds = xasprintf("%s/%s", cf->dataset, name);
	if ((rc = jail_managed(jp, e->ds)) != 1) {
		if (rc != -1)
			jailer_seterr(jp, "%s is not a jail dataset of jailer",
			    e->ds);
		goto fail;
	}
	if (strcmp(path, "-") == 0 && isatty(STDOUT_FILENO)) {
		jailer_seterr(jp, "will not write an export file to a "
		    "terminal: name a FILE or redirect the output");
		goto fail;
	}
	e->path = xstrdup(path);
	if ((from != NULL && ex_from(jp, e, from) == -1) ||
	    ex_snapname(jp, e) == -1 || ex_values(jp, e) == -1)
		goto fail;
	return (e);
fail:
	export_free(e);
	return (NULL);
}

const char *
export_snapshot(const struct export *e)
{
	return (e->snap);
}

/* -D: what export would run and write. */
void
export_print(struct jailer *jp, const struct export *e)
{
	const char *xz[] = { "xz", "-z", "-c", "-q", "-T", "1", NULL };
	const char *send[] = { "zfs", "send", "-R", NULL, NULL, NULL };
	char *snap, *from;

	snap = xasprintf("%s@%s", e->ds, e->snap);
	from = e->from != NULL ? xasprintf("@%s", e->from) : NULL;
	plan_flat(jp, "create", "snapshot", snap, NULL, NULL,
	    "zfs snapshot %s", snap);
	if (jp->plan == NULL && from != NULL)
		printf("zfs send -I %s %s | xz -z -c -q -T 1\n", from, snap);
	else if (jp->plan == NULL)
		printf("zfs send -R %s | xz -z -c -q -T 1\n", snap);
	else {
		send[2] = from != NULL ? "-I" : "-R";
		send[3] = from != NULL ? from : snap;
		send[4] = from != NULL ? snap : NULL;
		plan_run(jp, send, xz);
	}
	plan_flat(jp, "create", "file", strcmp(e->path, "-") == 0 ? "-" :
	    e->path, NULL, NULL, "write %s: manifest (format %d), members "
	    "conf, fstab, rules, stream", strcmp(e->path, "-") == 0 ?
	    "standard output" : vis(e->path), EXPORT_FORMAT);
	free(snap);
	free(from);
}

/* A host file of the jail, or nothing when it does not exist. */
static int
ex_member(struct jailer *jp, char *plain, struct buf *b)
{
	char *p;
	int rc;

	p = host_path(plain);
	free(plain);
	rc = file_read(jp, p, b);
	if (rc == -1 && errno == ENOENT) {
		buf_reset(b);
		rc = 0;
	}
	free(p);
	return (rc);
}

/*
 * An unlinked temporary file for the compressed stream: next to FILE, or
 * for standard output in /var/tmp (/var/run when there is none).  It is
 * gone when jailer exits, whatever happens.
 */
static int
ex_tempfd(struct jailer *jp, const char *path)
{
	char *dir, *tmp;
	int fd;

	if (strcmp(path, "-") != 0)
		tmp = xasprintf("%s.jailer.XXXXXX", path);
	else {
		dir = host_path("/var/tmp");
		if (!dir_exists(dir)) {
			free(dir);
			dir = host_path("/var/run");
		}
		tmp = xasprintf("%s/jailer-export.XXXXXX", dir);
		free(dir);
	}
	if ((fd = mkstemp(tmp)) == -1)
		jailer_seterrno(jp, "%s", tmp);
	else
		(void)unlink(tmp);
	free(tmp);
	return (fd);
}

/*
 * zfs send | xz, straight into the temporary file sfd (nothing of the
 * stream passes through jailer), then its size and SHA-256 read back.
 */
static int
ex_stream(struct jailer *jp, struct export *e, int sfd, off_t *len,
    char hex[65])
{
	static const char *const xz[] = { "xz", "-z", "-c", "-q", "-T", "1",
	    NULL };
	const char *full[] = { "zfs", "send", "-R", NULL, NULL };
	const char *incr[] = { "zfs", "send", "-I", NULL, NULL, NULL };
	char *snap, *from;
	int rc;

	snap = xasprintf("%s@%s", e->ds, e->snap);
	from = e->from != NULL ? xasprintf("@%s", e->from) : NULL;
	full[3] = snap;
	incr[3] = from;
	incr[4] = snap;
	rc = -1;
	if (run_pipe_fd(jp, from != NULL ? incr : full, xz, -1, sfd, 0) == 0 &&
	    fd_digest(jp, sfd, 0, -1, -1, len, hex, "the stream") == 0)
		rc = 0;
	free(snap);
	free(from);
	return (rc);
}

/*
 * The file: head (manifest and small members), then the stream copied
 * from sfd; to standard output, or a temporary file renamed into place.
 */
static int
ex_write(struct jailer *jp, struct undo *u, const char *path,
    const struct buf *head, int sfd, off_t slen)
{
	char hex[65], *tmp;
	off_t got;
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return (write_all(jp, STDOUT_FILENO, head->data, head->len,
		    "standard output") == -1 || fd_digest(jp, sfd, 0, slen,
		    STDOUT_FILENO, &got, hex, "the stream") == -1 ? -1 : 0);
	tmp = xasprintf("%s.jailer.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		jailer_seterrno(jp, "%s", path);
		free(tmp);
		return (-1);
	}
	undo_unlink(u, tmp);
	rc = -1;
	if (write_all(jp, fd, head->data, head->len, path) == 0 &&
	    fd_digest(jp, sfd, 0, slen, fd, &got, hex, path) == 0) {
		if (fchmod(fd, 0600) == -1 || fsync(fd) == -1)
			jailer_seterrno(jp, "%s", path);
		else
			rc = 0;
	}
	if (close(fd) == -1 && rc == 0)
		rc = jailer_seterrno(jp, "%s", path);
	if (rc == 0 && rename(tmp, path) == -1)
		rc = jailer_seterrno(jp, "%s", path);
	free(tmp);
	return (rc);
}

/* The host files of the jail: conf, fstab, rules. */
static int
ex_members(struct jailer *jp, struct export *e, struct buf *m)
{
	if (ex_member(jp, jail_conf_path(e->j->name), &m[EXM_CONF]) == -1 ||
	    ex_member(jp, nullfs_fstab_path(e->j->name), &m[EXM_FSTAB]) ==
	    -1 || ex_member(jp, xasprintf("%s/%s.rules", PF_RULES_DIR,
	    e->j->name), &m[EXM_RULES]) == -1)
		return (-1);
	return (0);
}

/* Snapshot, stream, members, file; the snapshot goes again on failure. */
int
export_run(struct jailer *jp, struct export *e)
{
	struct buf m[EXM_STREAM], head;
	struct undo u;
	char *snap, hex[65], err[sizeof(jp->err)];
	off_t slen;
	int i, rc, sfd;

	undo_init(&u);
	for (i = 0; i < EXM_STREAM; i++)
		buf_init(&m[i]);
	buf_init(&head);
	snap = xasprintf("%s@%s", e->ds, e->snap);
	rc = -1;
	sfd = -1;
	if (zfs(jp, 0, NULL, "snapshot", snap, NULL) != 0)
		goto out;
	undo_zfs_destroy(&u, snap);
	if ((sfd = ex_tempfd(jp, e->path)) == -1 ||
	    ex_stream(jp, e, sfd, &slen, hex) == -1 ||
	    ex_members(jp, e, m) == -1 ||
	    export_header(jp, e->v, m, slen, hex, &head) == -1 ||
	    ex_write(jp, &u, e->path, &head, sfd, slen) == -1)
		goto out;
	rc = 0;
out:
	if (sfd != -1)
		close(sfd);
	if (rc == 0)
		undo_commit(&u);
	else {
		memcpy(err, jp->err, sizeof(err));
		undo_run(jp, &u);
		memcpy(jp->err, err, sizeof(err));
	}
	for (i = 0; i < EXM_STREAM; i++)
		buf_free(&m[i]);
	buf_free(&head);
	free(snap);
	return (rc);
}
