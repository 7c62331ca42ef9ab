/*
 * jailer pkg | service | sysrc NAME ARGS..., jailer cp [-D] NAME HOSTPATH
 * JAILPATH, jailer apply [-D] [-a NAME=VALUE ...] NAME FILE, and the
 * template part of create -T.  The work is in inside.c and template.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "inside.h"
#include "plan.h"
#include "lifecycle.h"
#include "template.h"
#include "validate.h"

/*
 * pkg, service, sysrc: "PROG -j NAME ARGS..." with jailer's stdin,
 * stdout and stderr; the program's exit status is jailer's.
 */
static int
passthrough(struct jailer *jp, int argc, char **argv, const char *prog)
{
	int rc;

	if (argc < 3)
		return (cmd_usage_error("expected a jail name and %s's "
		    "arguments", prog));
	if (inside_need(jp, argv[1], 1) == -1)
		return (cmd_fail(jp, argv[1]));
	rc = inside_run(jp, prog, argv[1], (const char *const *)argv + 2,
	    (size_t)argc - 2, NULL);
	return (rc == -1 ? cmd_fail(jp, argv[1]) : rc);
}

int
cmd_pkg(struct jailer *jp, int argc, char **argv)
{
	return (passthrough(jp, argc, argv, "pkg"));
}

int
cmd_service(struct jailer *jp, int argc, char **argv)
{
	return (passthrough(jp, argc, argv, "service"));
}

int
cmd_sysrc(struct jailer *jp, int argc, char **argv)
{
	return (passthrough(jp, argc, argv, "sysrc"));
}

/* jailer cp [-D [-j]] NAME HOSTPATH JAILPATH */
int
cmd_cp(struct jailer *jp, int argc, char **argv)
{
	struct buf plan;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 3, 3,
	    "expected a jail name, a host path and a path in the jail")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "cp")) != 0)
		return (c);
	jp->dryrun = dry;
	buf_init(&plan);
	c = inside_cp(jp, argv[0], argv[1], argv[2], &plan);
	if (c == 0 && dry)
		fputs(plan.data, stdout);
	buf_free(&plan);
	if (c == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, argv[0])));
	if (!dry)
		printf("Copied %s to %s:%s\n", argv[1], argv[0], argv[2]);
	return (cmd_plan_close(jp, 0));
}

/*
 * The -LETTER NAME=VALUE options among argv (optstring: all the
 * command's options), in order; 0 or the usage error's status.
 */
int
cmd_tmpl_sets(int argc, char **argv, const char *optstring, int letter,
    char ***sets, size_t *n)
{
	struct opt o;
	int c;

	*sets = NULL;
	*n = 0;
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, optstring)) != -1) {
		if (c == '?' || c == ':')
			return (cmd_bad_option(&o, c));
		if (c == letter)
			strv_push(sets, n, xstrdup(o.arg));
	}
	return (0);
}

static void
print_note(void *arg, const char *s)
{
	struct buf *b = arg;

	if (b != NULL)
		buf_addf(b, "%s\n", s);
	else {
		printf("%s\n", s);
		fflush(stdout);
	}
}

/* apply -D -j: the headings of the text plan are not in the JSON. */
static void
drop_note(void *arg, const char *s)
{
	(void)arg;
	(void)s;
}

/* apply's argv with --arg spelled -a. */
static char **
long_args(int argc, char **argv)
{
	char **v;
	int i;

	v = xcalloc((size_t)argc + 1, sizeof(*v));
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			memcpy(v + i, argv + i, (size_t)(argc - i) *
			    sizeof(*v));
			break;
		}
		v[i] = strcmp(argv[i], "--arg") == 0 ? "-a" : argv[i];
	}
	return (v);
}

/* Who an apply error is about: none for FILE:LINE errors. */
static const char *
about(struct jailer *jp, const char *file, const char *name)
{
	return (strncmp(jp->err, file, strlen(file)) == 0 ? NULL : name);
}

/* jailer apply [-D [-j]] [-a NAME=VALUE | --arg NAME=VALUE ...] NAME FILE */
int
cmd_apply(struct jailer *jp, int argc, char **argv)
{
	struct tmpl t;
	struct tmpl_out o = { print_note, NULL };
	char **all, **v, **sets, *snap;
	size_t nsets;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'a', NULL, (const char **)&snap, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	memset(&t, 0, sizeof(t));
	v = all = long_args(argc, argv);
	if ((c = cmd_tmpl_sets(argc, v, "Da:j", 'a', &sets, &nsets)) != 0 ||
	    (c = cmd_parse(&argc, &v, spec, 2, 2,
	    "expected a jail name and a template file")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "apply")) != 0)
		goto out;
	if (json)
		o.note = drop_note;	/* the plan has the runs and copies */
	c = 1;
	if (valid_jail_name(jp, v[0]) == -1 ||
	    tmpl_load(jp, v[1], sets, nsets, v[0], &t) == -1) {
		cmd_fail(jp, NULL);
		goto out;
	}
	jp->dryrun = dry;
	lifecycle_signals();
	if (inside_apply(jp, &t, v[0], &o, &snap) == 0) {
		if (!dry)
			printf("Applied %s to %s; the snapshot before it: "
			    "%s\n", v[1], v[0], snap);
		free(snap);
		c = 0;
	} else
		cmd_fail(jp, about(jp, t.file, v[0]));
out:
	tmpl_free(&t);
	strv_free(sets, nsets);
	free(all);
	return (cmd_plan_close(jp, c));
}

/*
 * create -T FILE [-A NAME=VALUE ...]: the template read and checked for
 * the new jail before create changes anything (argv: create's, optstring
 * its options).  NULL after reporting the error (*rc: the exit status).
 */
struct tmpl *
cmd_create_tmpl(struct jailer *jp, int argc, char **argv,
    const char *optstring, const char *file, const char *name, int *rc)
{
	struct tmpl *t;
	char **sets;
	size_t nsets;

	if ((*rc = cmd_tmpl_sets(argc, argv, optstring, 'A', &sets,
	    &nsets)) != 0)
		return (NULL);
	t = xcalloc(1, sizeof(*t));
	if (tmpl_load(jp, file, sets, nsets, name, t) == -1) {
		*rc = cmd_fail(jp, NULL);
		tmpl_free(t);
		free(t);
		t = NULL;
	}
	strv_free(sets, nsets);
	return (t);
}

/*
 * create -T: apply t to the jail create made (-D: print what it would
 * run, nothing else); a failure destroys the new jail again.  Its lines
 * go to notes; frees t (name NULL: only that).  0 or -1 (the error in
 * the handle); t NULL: nothing to do.
 */
int
cmd_create_apply(struct jailer *jp, struct tmpl *t, const char *name,
    int dry, struct buf *notes)
{
	struct tmpl_out o = { print_note, notes };
	char *snap;
	int rc;

	if (t == NULL)
		return (0);
	if (name == NULL)		/* create failed: only free t */
		rc = 0;
	else if (dry) {
		size_t i;

		plan_title(jp, "Template %s =>", t->file);
		for (i = 0; i < t->n; i++) {
			buf_reset(notes);
			tmpl_line_text(&t->v[i], notes);
			plan_item(jp, NULL, "apply", "template line", t->file,
			    NULL, NULL, "%s", notes->data);
		}
		buf_reset(notes);
		rc = 0;
	} else
		rc = inside_apply_new(jp, t, name, &o, &snap);
	if (rc == 0 && !dry && name != NULL) {
		buf_addf(notes, "Applied %s to %s; the snapshot after create: "
		    "%s\n", t->file, name, snap);
		free(snap);
	}
	tmpl_free(t);
	free(t);
	return (rc);
}
