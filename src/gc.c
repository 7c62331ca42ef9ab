/*
 * Leftovers of interrupted commands.  create and destroy undo what they
 * did when they fail or are interrupted, but not when they are killed
 * (kill -9, a crash, a power cut).  What can be left behind is always one
 * of these, and gc finds and removes each of them:
 *
 *	a jail dataset without its conf file	(create killed after zfs recv)
 *	a conf file without its dataset		(destroy killed after zfs destroy)
 *	an incomplete image dataset		(image fetch killed)
 *	an epair whose jail does not run	(a killed start or stop)
 *	rules in the anchor of a jail that does not run	(a killed stop)
 *	the devfs of a jail that does not run	(a killed stop)
 *	pf rules of a jail that does not exist	(destroy killed at the end)
 *	jailer's temporary files		(any write killed halfway)
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "gc.h"
#include "host.h"
#include "image.h"
#include "jail.h"
#include "mount.h"
#include "net.h"
#include "pf.h"
#include "validate.h"
#include "zfs.h"

static void
add(struct orphans *o, enum orphan_kind kind, const char *what,
    const char *why)
{
	o->v = xrealloc(o->v, (o->n + 1) * sizeof(*o->v));
	o->v[o->n].kind = kind;
	o->v[o->n].what = xstrdup(what);
	o->v[o->n].why = xstrdup(why);
	o->n++;
}

void
orphans_free(struct orphans *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].what);
		free(o->v[i].why);
	}
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

static int
child_index(const struct config *cf, const char *name)
{
	size_t i;

	for (i = 0; i < cf->nchildren; i++)
		if (strcmp(cf->children[i], name) == 0)
			return ((int)i);
	return (-1);
}

/*
 * Is name one of jailer's temporary files?  marker ".jailer." means
 * file_write_atomic()'s NAME.jailer.XXXXXX (six random characters at the
 * end); any other marker must end the name.
 */
static int
is_temp(const char *name, const char *marker)
{
	const char *p;
	size_t i, n;

	n = strlen(name);
	if (strcmp(marker, ".jailer.") != 0)
		return (n > strlen(marker) &&
		    strcmp(name + n - strlen(marker), marker) == 0);
	if (n < 15 || strncmp(name + n - 14, ".jailer.", 8) != 0)
		return (0);
	for (i = n - 6, p = name + i; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')))
			return (0);
	return (1);
}

/* Temporary files jailer's atomic writes leave when killed. */
static void
temp_files(struct orphans *o, const char *hostdir, const char *marker)
{
	struct dirent *de;
	char *dir, *p;
	DIR *d;

	dir = host_path(hostdir);
	d = opendir(dir);
	free(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!is_temp(de->d_name, marker))
			continue;
		p = xasprintf("%s/%s", hostdir, de->d_name);
		add(o, ORPHAN_FILE, p, "a temporary file left by an "
		    "interrupted write");
		free(p);
	}
	closedir(d);
}

/*
 * The leftovers that can be seen from what every command loads anyway:
 * the conf files, the running jails and the datasets below jailer's.
 */
void
orphans_cheap(const struct config *cf, const struct jails *js,
    struct orphans *o)
{
	const struct jail *j;
	char *p, *want;
	size_t i;
	int c;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < cf->nchildren; i++) {
		if (strcmp(cf->managed[i], "jail") != 0)
			continue;
		j = jails_find((struct jails *)js, cf->children[i]);
		if (j != NULL && (j->has_conf || j->running))
			continue;
		p = xasprintf("%s/%s", cf->dataset, cf->children[i]);
		add(o, ORPHAN_DATASET, p, "a jail dataset without a conf file, "
		    "left by an interrupted create");
		free(p);
	}
	for (i = 0; i < js->n; i++) {
		j = &js->v[i];
		if (!j->has_conf || j->running || j->path == NULL)
			continue;
		want = xasprintf("%s/%s", cf->mountpoint, j->name);
		c = child_index(cf, j->name);
		if (strcmp(j->path, want) == 0 && c == -1) {
			p = jail_conf_path(j->name);
			add(o, ORPHAN_CONF, p, "a conf file without its dataset, "
			    "left by an interrupted destroy");
			free(p);
		}
		free(want);
	}
	temp_files(o, JAIL_CONF_D, ".jailer.");
}

/* Mark the jail's start or stop as in progress (see gc.h). */
int
jail_mark(struct jailer *jp, const char *name)
{
	char *dir, *path;
	int fd, rc;

	dir = host_path(MARK_DIR);
	rc = mkdir_p(jp, dir, 0700, NULL);
	path = xasprintf("%s/%s", dir, name);
	free(dir);
	if (rc == 0) {
		fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (fd == -1)
			rc = jailer_seterrno(jp, "%s/%s", MARK_DIR, name);
		else
			close(fd);
	}
	free(path);
	return (rc);
}

/* The host is settled again for this jail. */
void
jail_unmark(const char *name)
{
	char *path, *rel;

	rel = xasprintf("%s/%s", MARK_DIR, name);
	path = host_path(rel);
	(void)unlink(path);
	free(path);
	free(rel);
}

/* The marked jails: a sorted list of valid names; caller frees. */
static void
marks_read(char ***names, size_t *n)
{
	struct jailer scratch;
	struct dirent *d;
	char *dir;
	DIR *dp;

	*names = NULL;
	*n = 0;
	dir = host_path(MARK_DIR);
	dp = opendir(dir);
	free(dir);
	if (dp == NULL)
		return;
	memset(&scratch, 0, sizeof(scratch));
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' ||
		    valid_jail_name(&scratch, d->d_name) == -1)
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(d->d_name);
	}
	closedir(dp);
}

/*
 * The marks of interrupted starts and stops, as orphans for list's
 * warnings (gc removes what they may have left, not the marks).
 */
void
orphans_marks(const struct jails *js, struct orphans *o)
{
	const struct jail *j;
	char **names, *why;
	size_t i, n;

	marks_read(&names, &n);
	for (i = 0; i < n; i++) {
		j = jails_find((struct jails *)js, names[i]);
		if (j != NULL && j->running)
			why = xasprintf("a start or stop was interrupted; run "
			    "'jailer start %s' or 'jailer stop %s'", names[i],
			    names[i]);
		else
			why = xstrdup("a start or stop was interrupted and may "
			    "have left pf rules, an epair or a devfs mount; "
			    "run 'jailer gc'");
		add(o, ORPHAN_MARK, names[i], why);
		free(why);
	}
	strv_free(names, n);
}

/*
 * After gc found (and removed) everything a stopped jail can leave:
 * forget the marks of jails that do not run.
 */
int
marks_sweep(struct jailer *jp)
{
	struct jails js;
	const struct jail *j;
	char **names;
	size_t i, n;

	marks_read(&names, &n);
	if (n > 0 && jails_load(jp, &js, JAILS_RUNNING) == -1) {
		strv_free(names, n);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		j = jails_find(&js, names[i]);
		if (j == NULL || !j->running)
			jail_unmark(names[i]);
	}
	if (n > 0)
		jails_free(&js);
	strv_free(names, n);
	return (0);
}

/* Image datasets without @base: the remains of a killed fetch. */
static int
bad_images(struct jailer *jp, const struct config *cf, struct orphans *o)
{
	struct buf out;
	char *parent, *line, *save, *tab, **names, *snap;
	size_t plen, n, i, k;
	int found;

	parent = xasprintf("%s/image", cf->dataset);
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name,jailer:managed",
	    "-t", "filesystem,snapshot", "-r", parent, NULL) != 0) {
		free(parent);
		buf_free(&out);
		return (strstr(jp->err, "does not exist") != NULL ? 0 : -1);
	}
	/* First the lines: "NAME<TAB>MANAGED". */
	names = NULL;
	n = 0;
	for (line = strtok_r(out.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = line;
	}
	plen = strlen(parent);
	for (i = 0; i < n; i++) {
		if ((tab = strchr(names[i], '\t')) == NULL ||
		    strcmp(tab + 1, "image") != 0 ||
		    strncmp(names[i], parent, plen) != 0 ||
		    names[i][plen] != '/' || strchr(names[i], '@') != NULL)
			continue;
		*tab = '\0';
		snap = xasprintf("%s@base", names[i]);
		found = 0;
		for (k = 0; k < n && !found; k++)
			found = strncmp(names[k], snap, strlen(snap)) == 0 &&
			    (names[k][strlen(snap)] == '\t' ||
			    names[k][strlen(snap)] == '\0');
		if (!found)
			add(o, ORPHAN_DATASET, names[i], "an image without "
			    "@base, left by an interrupted fetch");
		free(snap);
		*tab = '\t';
	}
	free(names);
	free(parent);
	buf_free(&out);
	return (0);
}

/*
 * The eb jail whose $id is N in the interface name "epairNa"/"epairNb"
 * (len bytes), or NULL.
 */
static const struct jail *
epair_owner(const struct jails *js, const char *name, size_t len)
{
	char *end;
	long id;
	size_t i;

	if (len < 7 || (name[len - 1] != 'a' && name[len - 1] != 'b') ||
	    !isdigit((unsigned char)name[5]))
		return (NULL);
	id = strtol(name + 5, &end, 10);
	if (end != name + len - 1)
		return (NULL);
	for (i = 0; i < js->n; i++)
		if (js->v[i].type == NET_EB && js->v[i].id == id)
			return (&js->v[i]);
	return (NULL);
}

/* Host-side epairs named vnet-NAME whose jail does not run. */
static int
stale_epairs(struct jailer *jp, const struct jails *js, struct orphans *o)
{
	static const char *const argv[] = { "ifconfig", NULL };
	const struct jail *j;
	struct buf out;
	char *line, *save, cur[32], *d;
	size_t n;
	int skip_id;

	if (run_read(jp, argv, &out) == -1)
		return (-1);
	cur[0] = '\0';
	skip_id = -1;
	for (line = strtok_r(out.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line != ' ' && *line != '\t') {
			n = strcspn(line, ":");
			cur[0] = '\0';
			if (n < sizeof(cur) && str_has_prefix(line, "epair") &&
			    (j = epair_owner(js, line, n)) != NULL &&
			    !j->running) {
				if (j->id == skip_id)
					continue;
				memcpy(cur, line, n);
				cur[n] = '\0';
				add(o, ORPHAN_EPAIR, cur, "the epair of a jail "
				    "that does not run");
				cur[0] = '\0';
				/* the other end goes with it */
				skip_id = j->id;
				continue;
			}
			if (n < sizeof(cur) && str_has_prefix(line, "epair") &&
			    line[n - 1] == 'a') {
				memcpy(cur, line, n);
				cur[n] = '\0';
			}
			continue;
		}
		d = str_trim(line);
		if (cur[0] == '\0' || !str_has_prefix(d, "description: vnet-"))
			continue;
		d += strlen("description: vnet-");
		j = jails_find((struct jails *)js, d);
		if (j == NULL || !j->running)
			add(o, ORPHAN_EPAIR, cur, "an epair whose jail does not "
			    "run");
		cur[0] = '\0';
	}
	buf_free(&out);
	return (0);
}

/* Rules in the anchor jailer/NAME of a jail that does not run. */
static int
stale_anchors(struct jailer *jp, const struct jails *js, struct orphans *o)
{
	struct jailer scratch;
	const struct jail *j;
	struct buf out;
	char *line, *name;
	size_t pos;
	int rc;

	buf_init(&out);
	if ((rc = pf_loaded_anchors(jp, &out)) != 1) {
		buf_free(&out);
		return (rc);	/* 0: no anchors in pf.conf, nothing loaded */
	}
	scratch = *jp;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		line = str_trim(line);
		if (!str_has_prefix(line, "jailer/"))
			continue;
		name = line + strlen("jailer/");
		if (valid_jail_name(&scratch, name) == -1)
			continue;
		j = jails_find((struct jails *)js, name);
		if (j == NULL || !j->running)
			add(o, ORPHAN_ANCHOR, line, "pf rules of a jail that "
			    "does not run");
	}
	buf_free(&out);
	return (0);
}

/* The devfs mounted at ROOT/dev of a jail that does not run. */
static int
stale_mounts(struct jailer *jp, const struct jails *js, struct orphans *o)
{
	struct buf out;
	char *line, *f[3], *dev;
	size_t pos, i;

	if (mount_table(jp, &out) == -1)
		return (-1);
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL) {
		if (mount_fields(line, f) < 3 || strcmp(f[2], "devfs") != 0)
			continue;
		for (i = 0; i < js->n; i++) {
			if (js->v[i].running || js->v[i].path == NULL)
				continue;
			dev = xasprintf("%s/dev", js->v[i].path);
			if (strcmp(dev, f[1]) == 0)
				add(o, ORPHAN_MOUNT, dev, "the devfs of a jail "
				    "that does not run");
			free(dev);
		}
	}
	buf_free(&out);
	return (0);
}

/* pf rule files of jails that have no conf file. */
static int
stale_rules(struct jailer *jp, const struct jails *js, struct orphans *o)
{
	const struct jail *j;
	char **names, *p;
	size_t i, n;

	if (pf_rule_jails(jp, &names, &n) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		j = jails_find((struct jails *)js, names[i]);
		if (j != NULL && j->has_conf)
			continue;
		p = xasprintf("%s/%s.rules", PF_RULES_DIR, names[i]);
		add(o, ORPHAN_RULES, p, "pf rules of a jail that does not exist");
		free(p);
	}
	strv_free(names, n);
	return (0);
}

/* Everything gc would remove. */
int
orphans_find(struct jailer *jp, struct orphans *o)
{
	const struct config *cf;
	struct jails js;
	char *dist;

	memset(o, 0, sizeof(*o));
	if (config_get(jp, &cf) == -1 ||
	    jails_load(jp, &js, JAILS_CONF | JAILS_RUNNING) == -1)
		return (-1);
	orphans_cheap(cf, &js, o);
	dist = config_path("image/dist-files");
	temp_files(o, dist, ".part");
	free(dist);
	temp_files(o, "/usr/local/etc", ".jailer-new");
	temp_files(o, "/etc", ".jailer-new");
	if (stale_rules(jp, &js, o) == -1 || bad_images(jp, cf, o) == -1 ||
	    stale_epairs(jp, &js, o) == -1 || stale_anchors(jp, &js, o) == -1 ||
	    stale_mounts(jp, &js, o) == -1) {
		jails_free(&js);
		orphans_free(o);
		return (-1);
	}
	jails_free(&js);
	return (0);
}

/* Remove one leftover. */
int
orphan_remove(struct jailer *jp, const struct orphan *it)
{
	const char *ifd[] = { "ifconfig", it->what, "destroy", NULL };
	const char *um[] = { "umount", "-f", it->what, NULL };
	struct pf_rules none = { NULL, 0 };
	char *path, *name, *dot;
	int rc;

	switch (it->kind) {
	case ORPHAN_DATASET:
		rc = zfs(jp, 0, NULL, "destroy", "-r", it->what, NULL);
		if (rc != 0 && strstr(jp->err, "does not exist") == NULL)
			return (-1);
		return (0);
	case ORPHAN_MARK:
		jail_unmark(it->what);
		return (0);
	case ORPHAN_EPAIR:
		return (run(jp, ifd, NULL, 0) == 0 ? 0 : -1);
	case ORPHAN_ANCHOR:
		return (pf_jail_flush(jp, it->what + strlen("jailer/")));
	case ORPHAN_MOUNT:
		return (run(jp, um, NULL, 0) == 0 ? 0 : -1);
	case ORPHAN_RULES:
		name = xstrdup(strrchr(it->what, '/') + 1);
		if ((dot = strrchr(name, '.')) != NULL)
			*dot = '\0';
		rc = pf_ready(jp) == 0 ? pf_jail_flush(jp, name) : 0;
		if (rc == 0)
			rc = pf_rules_write(jp, name, &none);
		free(name);
		return (rc);
	case ORPHAN_CONF:
		/* The jail's pf rules and console log go with its conf. */
		name = xstrdup(strrchr(it->what, '/') + 1);
		if ((dot = strrchr(name, '.')) != NULL)
			*dot = '\0';
		rc = 0;
		if (pf_rules_read(jp, name, &none) == 0 && none.n > 0) {
			pf_rules_free(&none);
			rc = (pf_ready(jp) == 0 ? pf_jail_flush(jp, name) : 0) ==
			    0 ? pf_rules_write(jp, name, &none) : -1;
		}
		path = xasprintf("%s/%s.log", JAIL_LOG_DIR, name);
		free(name);
		name = host_path(path);
		free(path);
		if (rc == 0 && unlink(name) == -1 && errno != ENOENT)
			rc = jailer_seterrno(jp, "%s", name);
		free(name);
		if (rc == -1)
			return (-1);
		/* FALLTHROUGH */
	case ORPHAN_FILE:
		path = host_path(it->what);
		rc = unlink(path) == -1 && errno != ENOENT ?
		    jailer_seterrno(jp, "%s", it->what) : 0;
		free(path);
		return (rc);
	}
	return (0);
}
