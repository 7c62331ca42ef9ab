/*
 * jailer cpuset: a jail's CPU set in cpuset(1)'s list syntax, each CPU
 * below hw.ncpu, kept in its conf file as
 *     exec.created += "cpuset -j ${name} -l LIST";
 * (jail(8) runs it once the jail exists, before its rc) and applied live
 * to a running jail with cpuset -l, undone with the conf file when that
 * fails.  -u removes the line and gives a running jail every CPU again.
 *
 * Depends on: rctl (limit_commit, limit_sysctl), confedit, conf, jail,
 * exec, undo, validate.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "exec.h"
#include "jail.h"
#include "rctl.h"
#include "undo.h"
#include "validate.h"

#define	HOOK_KEY	"exec.created"

#define	MAXCPU	1024

/* cpuset(1)'s list syntax "0-3,6": each CPU below ncpu, normalized. */
static int
parse_cpus(struct jailer *jp, const char *list, long ncpu, struct buf *out)
{
	char set[MAXCPU];
	const char *p;
	char *end;
	long a, b, i;

	memset(set, 0, sizeof(set));
	for (p = list; ; p = end + 1) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		a = b = strtol(p, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				goto bad;
			b = strtol(end + 1, &end, 10);
		}
		if (a > b || (*end != ',' && *end != '\0'))
			goto bad;
		if (b >= ncpu)
			return (jailer_seterr(jp, "CPU %ld does not exist: the "
			    "host has %ld (0-%ld)", b, ncpu, ncpu - 1));
		for (i = a; i <= b; i++)
			set[i] = 1;
		if (*end == '\0')
			break;
	}
	for (a = 0; a < ncpu; a = b) {
		for (; a < ncpu && !set[a]; a++)
			;
		for (b = a; b < ncpu && set[b]; b++)
			;
		if (a < ncpu)
			buf_addf(out, "%s%ld", out->len > 0 ? "," : "", a);
		if (b - 1 > a)
			buf_addf(out, "-%ld", b - 1);
	}
	return (0);
bad:
	return (jailer_seterr(jp, "bad CPU list '%s': numbers and ranges "
	    "such as 0-3,6 (cpuset(1))", vis(list)));
}

static int
cpuset_line(const struct conf_stmt *s, void *arg)
{
	(void)arg;
	return (s->nvals == 1 && str_has_prefix(s->vals[0],
	    "cpuset -j ${name} -l "));
}

/* The running jail's CPUs (cpuset -g), as a list, into out. */
static int
live_cpus(struct jailer *jp, const char *name, struct buf *out)
{
	const char *argv[] = { "cpuset", "-g", "-j", name, NULL };
	struct buf b;
	char *p, *q;

	if (run_read(jp, argv, &b) == -1)
		return (-1);
	if ((p = strstr(b.data, "mask: ")) == NULL) {
		buf_free(&b);
		return (jailer_seterr(jp, "cpuset -g -j %s: no mask", name));
	}
	p += strlen("mask: ");
	p[strcspn(p, "\n")] = '\0';
	for (q = p; *q != '\0'; q++)
		if (*q != ' ')
			buf_addc(out, *q);
	buf_free(&b);
	return (0);
}

static int
cpuset_live(struct jailer *jp, struct undo *u, const char *name, void *arg)
{
	const char *argv[] = { "cpuset", "-l", arg, "-j", name, NULL };
	const char *uargv[] = { "cpuset", "-l", NULL, "-j", name, NULL };
	struct buf old;
	int rc;

	buf_init(&old);
	if (live_cpus(jp, name, &old) == -1) {
		buf_free(&old);
		return (-1);
	}
	rc = run(jp, argv, NULL, 0) == 0 ? 0 : -1;
	if (rc == 0) {
		uargv[2] = old.data;
		undo_cmd(u, uargv);
	}
	buf_free(&old);
	return (rc);
}

/* jailer cpuset NAME LIST, or (list NULL) -u: all CPUs again. */
int
cpuset_set(struct jailer *jp, const char *name, const char *list,
    struct limit_done *d)
{
	struct confedit e;
	struct buf norm;
	char *tmpl;
	long ncpu;
	int rc;

	memset(d, 0, sizeof(*d));
	buf_init(&d->diff);
	if (valid_jail_name(jp, name) == -1)
		return (-1);
	if ((ncpu = limit_sysctl(jp, "hw.ncpu")) < 1 || ncpu > MAXCPU)
		return (jailer_seterr(jp, "cannot read hw.ncpu"));
	buf_init(&norm);
	if (list != NULL && parse_cpus(jp, list, ncpu, &norm) == -1) {
		buf_free(&norm);
		return (-1);
	}
	if (list == NULL)
		buf_addf(&norm, "0-%ld", ncpu - 1);
	if (confedit_open(jp, name, &e) == -1) {
		buf_free(&norm);
		return (-1);
	}
	d->changed = confedit_del_match(&e, HOOK_KEY, cpuset_line, NULL,
	    NULL);
	if (list != NULL) {
		tmpl = xasprintf("cpuset -j ${name} -l %s", norm.data);
		confedit_append(&e, HOOK_KEY, tmpl);
		free(tmpl);
		d->changed = 1;
	}
	if (d->changed == 0)
		rc = jailer_seterr(jp, "no CPU set");
	else if (!confedit_changed(&e))
		rc = 0;
	else
		rc = limit_commit(jp, &e, name, cpuset_live, norm.data, d);
	confedit_free(&e);
	buf_free(&norm);
	return (rc);
}

/* jailer cpuset NAME: the list of its conf file, or NULL (all CPUs). */
int
cpuset_get(struct jailer *jp, const char *name, char **list)
{
	struct conf_file cf;
	const struct conf_param *p;
	const char *pre;
	size_t i;

	*list = NULL;
	if (valid_jail_name(jp, name) == -1 ||
	    jail_conf_read(jp, name, &cf) == -1)
		return (-1);
	if ((p = conf_param(&cf.jails[0], HOOK_KEY)) != NULL)
		for (i = 0; i < p->nvals; i++) {
			pre = p->vals[i];
			if (str_has_prefix(pre, "cpuset -j ") &&
			    strncmp(pre + 10, name, strlen(name)) == 0 &&
			    str_has_prefix(pre + 10 + strlen(name), " -l ")) {
				free(*list);
				*list = xstrdup(pre + 14 + strlen(name));
			}
		}
	conf_free(&cf);
	return (0);
}
