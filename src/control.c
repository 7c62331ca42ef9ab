/*
 * jailer start, stop and restart (and so startall and stopall, which
 * the command layer builds from these): jail(8) -c and -r with the
 * jail's conf file, each followed by its pf rules, and the clean-up of
 * whatever a failed or killed start or stop left behind (anchor rules,
 * epair, devfs), so a jail can always be started or stopped again.
 *
 * Depends on: lifecycle.c (has_pf_rules), mount.c (own_devfs_unmount),
 * gc (marks), pf, jail, net, host, exec, util, err.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "gc.h"
#include "host.h"
#include "lifecycle.h"
#include "lifecycle_impl.h"
#include "mount.h"
#include "net.h"
#include "net6.h"
#include "nullfs.h"
#include "pf.h"
#include "rctl.h"
#include "validate.h"

#define	JAILER_TIMEOUT	120		/* seconds; rc.conf jailer_timeout */

static int	jail_exists(struct jailer *, const char *);

/*
 * The limit on the jail(8) calls jailer waits for: rc.conf's
 * jailer_timeout (seconds, default 120, 0 = none), into jp->timeout.
 */
static int
load_timeout(struct jailer *jp)
{
	char *v, *end;
	long t;
	int rc;

	if ((rc = host_rc_get(jp, "jailer_timeout", &v)) == -1)
		return (-1);
	if (rc == 0) {
		jp->timeout = JAILER_TIMEOUT;
		return (0);
	}
	errno = 0;
	t = strtol(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 ||
	    t > 86400) {
		jailer_seterr(jp, "jailer_timeout in /etc/rc.conf: '%s' is not "
		    "a number of seconds (0 to 86400)", vis(v));
		free(v);
		return (-1);
	}
	free(v);
	jp->timeout = (int)t;
	return (0);
}

/*
 * Stop a jail: with its conf file (so exec.stop and exec.poststop run),
 * or by name for a jail jailer does not know.  Whatever fails, a jail
 * that no longer runs keeps no rules in its anchor, no epair and no
 * devfs: when jail -r fails but the jail is gone, or with force after
 * jail -R, the leftovers are removed at once (the error is kept).
 */
int
jail_stop(struct jailer *jp, const struct jail *j, int force)
{
	const char *rm[] = { "jail", "-r", j->name, NULL };
	const char *rmf[] = { "jail", "-f", NULL, "-r", j->name, NULL };
	const char *rmR[] = { "jail", "-R", j->name, NULL };
	char *conf, err[sizeof(jp->err)];
	struct jailer scratch;
	struct buf did;
	int rc;

	if (load_timeout(jp) == -1 || jail_mark(jp, j->name) == -1)
		return (-1);
	conf = jail_conf_path(j->name);
	rmf[2] = conf;
	rc = run(jp, j->has_conf && j->conf_err == NULL ? rmf : rm, NULL,
	    RUN_TIMED);
	free(conf);
	if (rc == 0) {
		/* The jail is gone: its rules go too, even if interrupted. */
		scratch = *jp;
		scratch.undoing = 1;
		if (has_pf_rules(jp, j->name) &&
		    pf_jail_flush(&scratch, j->name) == -1) {
			snprintf(err, sizeof(err), "%s", scratch.err);
			snprintf(jp->err, sizeof(jp->err), "pf rules not "
			    "flushed: %.600s (rerun 'jailer stop')", err);
			return (-1);
		}
		jail_unmark(j->name);
		return (0);
	}
	snprintf(err, sizeof(err), "%s", jp->err);
	scratch = *jp;
	scratch.undoing = 1;
	if (jail_exists(&scratch, j->name)) {
		/* Timed out or interrupted: remove it all the same. */
		if (!force && rc != 124) {
			jail_unmark(j->name);	/* still running, as it was */
			return (-1);
		}
		if (run(&scratch, rmR, NULL, RUN_TIMED) != 0) {
			snprintf(jp->err, sizeof(jp->err), "%.500s; jail -R: "
			    "%.400s", err, scratch.err);
			return (-1);
		}
		if (force)
			rc = 0;		/* removed: the clean-up decides */
	}
	buf_init(&did);
	if (jail_leftovers(&scratch, j, &did) == -1) {
		buf_free(&did);
		snprintf(jp->err, sizeof(jp->err), "%s", scratch.err);
		return (-1);
	}
	buf_free(&did);
	if (rc != 0)
		snprintf(jp->err, sizeof(jp->err), "%.600s (the jail is gone; "
		    "cleaned up after it)", err);
	return (rc == 0 ? 0 : -1);
}

/* Does jls know a jail of this name (running or dying)? */
static int
jail_exists(struct jailer *jp, const char *name)
{
	struct jailer scratch;
	const char *argv[] = { "jls", "-d", "-j", name, "jid", NULL };

	scratch = *jp;
	return (run(&scratch, argv, NULL, RUN_RO) == 0);
}

/* Is the anchor jailer/NAME loaded (pf lists only non-empty anchors)? */
static int
anchor_loaded(struct jailer *jp, const char *name)
{
	struct buf out;
	int found;

	buf_init(&out);
	found = pf_loaded_anchors(jp, &out) == 1 &&
	    pf_anchor_listed(out.data, name);
	buf_free(&out);
	return (found);
}

/*
 * Does pf hold the rules of the running jail j (its leases read) as
 * pf_jail_load() would load them now?  No when pfctl cannot tell.
 */
static int
rules_current(struct jailer *jp, const struct jail *j)
{
	struct jailer scratch;
	struct pf_rules rs;
	enum pf_loaded st[2];
	struct buf a;
	char addr[16], addr6[NET6_STRLEN];
	int listed, ok, has4, has6;

	scratch = *jp;
	buf_init(&a);
	ok = pf_loaded_anchors(&scratch, &a);
	listed = pf_anchor_listed(a.data, j->name);
	buf_free(&a);
	if (ok != 1 || pf_rules_read(&scratch, j->name, &rs) == -1)
		return (0);
	has6 = net6_addr_of(j, addr6);
	if ((has4 = pf_jail_addr(&scratch, j, addr) == 1) == 0 && !has6)
		ok = !listed;	/* no address: an empty anchor */
	else if (!listed)
		ok = rs.n == 0;
	else
		ok = pf_jail_loaded(&scratch, j->name, &rs, has4 ? addr : NULL,
		    has6 ? addr6 : NULL, st) == 0 &&
		    st[0] == PF_LOADED_YES && st[1] == PF_LOADED_YES;
	pf_rules_free(&rs);
	return (ok);
}

/*
 * Load the rules of the running jail j for its address now: a DHCP
 * jail's is the binding dhcpd holds for it at this moment.  With
 * if_stale, only when pf does not hold them so already: 0 then.
 */
int
jail_rules_load(struct jailer *jp, const struct jail *j, int if_stale)
{
	struct jail running;
	int rc;

	running = *j;
	running.running = 1;
	running.lease_ip4 = running.lease_gw = NULL;
	jail_leases_reload(jp, &running);
	if (if_stale && rules_current(jp, &running))
		rc = 0;
	else
		rc = pf_jail_load(jp, &running) == -1 ? -1 : 1;
	free(running.lease_ip4);
	free(running.lease_gw);
	return (rc);
}

/*
 * A running jail whose anchor does not hold its rules as they are now
 * (a start killed between jail -c and the load, a flush or a load by
 * hand, a DHCP address that changed): load them.  1 if it loaded them,
 * 0 if there was nothing to do, -1 on error.
 */
int
jail_rules_repair(struct jailer *jp, const struct jail *j)
{
	int rc;

	rc = has_pf_rules(jp, j->name) ? jail_rules_load(jp, j, 1) : 0;
	if (rc != -1)
		jail_unmark(j->name);	/* running, with its rules */
	return (rc);
}

/*
 * What a stopped jail may have left on the host when a start or stop
 * failed or was killed: rules in its anchor, its epair pair, its devfs.
 * Removes each one (the jail must not be running) and appends what it
 * did to did ("anchor flushed, epair3a destroyed, ...").
 */
int
jail_leftovers(struct jailer *jp, const struct jail *j, struct buf *did)
{
	char ifn[32];
	const char *ifd[] = { "ifconfig", ifn, "destroy", NULL };
	struct buf l;
	const char *end;
	int rc, k;

	rc = 0;
	if (has_pf_rules(jp, j->name) && anchor_loaded(jp, j->name)) {
		if (pf_jail_flush(jp, j->name) == -1)
			return (-1);
		buf_adds(did, did->len > 0 ? ", anchor flushed" :
		    "anchor flushed");
	}
	if (j->type == NET_EB && j->id >= 0) {
		buf_init(&l);
		if (net_if_list(jp, &l) == -1) {
			buf_free(&l);
			return (-1);
		}
		/* Destroying either end destroys the pair. */
		for (k = 0, end = "ab"; end[k] != '\0'; k++) {
			snprintf(ifn, sizeof(ifn), "epair%d%c", j->id, end[k]);
			if (!str_word_in(l.data, ifn))
				continue;
			if (run(jp, ifd, NULL, 0) != 0) {
				rc = -1;
				break;
			}
			buf_addf(did, "%s%s destroyed", did->len > 0 ? ", " :
			    "", ifn);
			break;
		}
		buf_free(&l);
		if (rc == -1)
			return (-1);
	}
	if (j->path != NULL) {
		char *root = xstrdup(j->path);

		k = own_devfs_unmount(jp, root);
		free(root);
		if (k == -1)
			return (-1);
		if (k == 1)
			buf_addf(did, "%sdevfs unmounted", did->len > 0 ?
			    ", " : "");
	}
	jail_unmark(j->name);	/* stopped, nothing left */
	return (0);
}

/*
 * Start a jail from its conf file, then load its pf rules with its
 * current address.  Leftovers of an earlier failed start or stop are
 * removed first; a failed jail -c is undone (jail -R if the jail exists,
 * then the same clean-up), so the jail can always be started again.  If
 * its rules cannot be loaded the jail is stopped again and start fails,
 * unless keep is set (then a warning).
 */
int
jail_start(struct jailer *jp, const struct jail *j, int keep)
{
	struct buf did;
	char *conf, err[sizeof(jp->err)];
	const char *argv[] = { "jail", "-f", NULL, "-c", j->name, NULL };
	const char *rmR[] = { "jail", "-R", j->name, NULL };
	struct jailer scratch;
	int rc;

	if (!j->has_conf)
		return (jailer_seterr(jp, "no such jail"));
	if (j->conf_err != NULL)
		return (jailer_seterr(jp, "%s", j->conf_err));
	/* Its nullfs targets: no symlink the jail planted while it ran. */
	if (nullfs_start_check(jp, j) == -1 || rctl_start_check(jp, j) == -1)
		return (-1);
	buf_init(&did);
	if (jail_leftovers(jp, j, &did) == -1) {
		buf_free(&did);
		return (-1);
	}
	buf_free(&did);
	if (load_timeout(jp) == -1 || jail_mark(jp, j->name) == -1)
		return (-1);
	conf = jail_conf_path(j->name);
	argv[2] = conf;
	rc = run(jp, argv, NULL, RUN_TIMED) == 0 ? 0 : -1;
	free(conf);
	if (rc == -1) {
		/* Undo what jail -c did; keep its error. */
		snprintf(err, sizeof(err), "%s", jp->err);
		scratch = *jp;
		scratch.undoing = 1;
		if (jail_exists(&scratch, j->name))
			(void)run(&scratch, rmR, NULL, RUN_TIMED);
		buf_init(&did);
		(void)jail_leftovers(&scratch, j, &did);
		buf_free(&did);
		snprintf(jp->err, sizeof(jp->err), "%.900s%s", err,
		    strstr(err, "jailer_timeout") != NULL ||
		    strstr(err, "interrupted") != NULL ? "; removed it" : "");
		return (-1);
	}
	if (has_pf_rules(jp, j->name)) {
		/* exec.poststart (jailer hook start) has loaded them. */
		rc = jail_rules_load(jp, j, 1) == -1 ? -1 : 0;
		if (rc == -1 && keep) {
			jailer_warnx(j->name, "pf rules not loaded: %s",
			    jp->err);
			rc = 0;
		} else if (rc == -1) {
			snprintf(err, sizeof(err), "%s", jp->err);
			scratch = *jp;
			if (jail_stop(&scratch, j, 1) == -1)
				snprintf(jp->err, sizeof(jp->err), "pf rules not "
				    "loaded: %.400s; and stopping it failed: "
				    "%.400s", err, scratch.err);
			else
				snprintf(jp->err, sizeof(jp->err), "pf rules not "
				    "loaded: %.400s; stopped it again (start -f "
				    "keeps it running)", err);
			return (-1);
		}
	}
	jail_unmark(j->name);	/* running, with its rules */
	return (rc);
}

/*
 * jailer hook start|stop NAME, which the jail's conf file runs from
 * exec.poststart and exec.poststop: whoever starts or stops the jail
 * (rc.d/jail at boot, service jail, jail -c or -r by hand, jailer
 * itself), its rules are loaded for the address the host gives it, or
 * flushed.  Takes no state lock (the jailer that runs jail(8) holds it);
 * the pf lock in pf.c orders it with every other load.  Everything comes
 * from the host's files: the conf file, the rules file, dhcpd's leases.
 */
int
jail_hook(struct jailer *jp, const char *name, int start)
{
	struct jails js;
	struct jail *j;
	int rc;

	/* Stop: rctl keeps a jail's rules by name; remove them (rctl.c). */
	if (!start && rctl_jail_flush(jp, name) == -1)
		jailer_warnx(name, "rctl rules not removed: %s", jp->err);
	if (!has_pf_rules(jp, name))	/* name: checked by cmd_hook */
		return (0);		/* nothing to load or flush */
	if (!start)
		return (anchor_loaded(jp, name) ? pf_jail_flush(jp, name) : 0);
	if (jail_load_one(jp, &js, name) == -1)
		return (-1);
	j = &js.v[0];
	if (!jail_exists(jp, name))
		rc = jailer_seterr(jp, "not running");
	else
		rc = jail_rules_load(jp, j, 0) == -1 ? -1 : 0;
	jails_free(&js);
	return (rc);
}
