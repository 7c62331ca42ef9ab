/*
 * jailer image fetch | list | use
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "exec.h"
#include "host.h"
#include "image.h"
#include "imgupdate.h"
#include "out.h"
#include "pkgbase.h"
#include "plan.h"
#include "validate.h"

/* The release the host runs, as an image name (patch level dropped). */
static int
host_image_name(struct jailer *jp, char *buf, size_t len)
{
	const struct host *h;

	if (host_get(jp, &h) == -1)
		return (-1);
	release_name(&h->release, buf, len);
	return (valid_image_release(jp, buf, NULL));
}

/* image fetch -D: what it would create (the checks already passed). */
static int
fetch_plan(struct jailer *jp, const char *rel, int pkgbase)
{
	const struct config *cf;
	char *ds, *snap;

	if (config_get(jp, &cf) == -1)
		return (-1);
	ds = xasprintf("%s/image/%s", cf->dataset, rel);
	snap = xasprintf("%s@base", ds);
	plan_title(jp, "Fetching %s would:", rel);
	plan_item(jp, NULL, "create", "image", rel, NULL, pkgbase ?
	    "pkgbase" : "base.txz", pkgbase ? "install the FreeBSD-base "
	    "packages of %s, signed by the host's own keys" : "fetch base.txz "
	    "of %s and check it against the release's MANIFEST", rel);
	plan_item(jp, NULL, "create", "dataset", ds, NULL, NULL,
	    "zfs create -o jailer:managed=image %s", ds);
	plan_item(jp, NULL, "create", "snapshot", snap, NULL, NULL,
	    "zfs snapshot %s", snap);
	free(snap);
	free(ds);
	return (0);
}

/* jailer image fetch [-p] [-D [-j]] [release] */
int
cmd_image_fetch(struct jailer *jp, int argc, char **argv)
{
	int pkgbase, dry, json;
	const struct cmd_optspec spec[] = { { 'p', &pkgbase, NULL, 0 },
	    { 'D', &dry, NULL, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };
	char rel[64], *mirror;
	int rc;

	pkgbase = dry = json = 0;
	if ((rc = cmd_parse(&argc, &argv, spec, 0, 1,
	    "at most one release")) != 0 ||
	    (rc = cmd_plan_open(jp, dry, json, "image fetch")) != 0)
		return (rc);
	if (argc == 1) {
		if (valid_image_release(jp, argv[0], NULL) == -1)
			return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
		snprintf(rel, sizeof(rel), "%s", argv[0]);
	} else if (host_image_name(jp, rel, sizeof(rel)) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if (image_check_host(jp, rel) == -1 ||
	    (pkgbase && pkgbase_check(jp, rel) == -1))
		return (cmd_plan_close(jp, cmd_fail(jp, rel)));
	if (!pkgbase && (mirror = mirror_get(jp)) == NULL)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if (!pkgbase)
		free(mirror);
	if ((rc = image_exists(jp, rel)) != 0) {
		if (rc == 1)
			jailer_seterr(jp, "image already exists");
		return (cmd_plan_close(jp, cmd_fail(jp, rel)));
	}
	if (dry)
		return (cmd_plan_close(jp, fetch_plan(jp, rel, pkgbase) == 0 ?
		    0 : cmd_fail(jp, rel)));
	if (image_clean_partial(jp, rel) == -1)
		return (cmd_fail(jp, rel));
	ui_begin("Fetching %s", rel);
	rc = pkgbase ? pkgbase_fetch(jp, rel) :
	    image_fetch(jp, rel, isatty(STDERR_FILENO));
	ui_end(rc == 0);
	return (rc == 0 ? 0 : cmd_fail(jp, rel));
}

static int
list_remote(struct jailer *jp, int json)
{
	static const struct out_col cols[] = { { "NAME", "name" } };
	const char *argv[] = { "fetch", "-q", "-o", "-", NULL, NULL };
	const struct host *h;
	struct out_table *t;
	struct buf html;
	char **names, *mirror, *url;
	size_t i, n;

	if (host_get(jp, &h) == -1 || (mirror = mirror_get(jp)) == NULL)
		return (cmd_fail(jp, NULL));
	url = xasprintf("%s/releases/%s/%s/", mirror, h->arch,
	    h->machine_arch);
	argv[4] = url;
	buf_init(&html);
	if (run(jp, argv, &html, RUN_RO) != 0) {
		free(mirror);
		free(url);
		buf_free(&html);
		return (cmd_fail(jp, NULL));
	}
	n = index_releases(html.data, &names);
	if (json) {
		t = out_new(cols, nitems(cols));
		for (i = 0; i < n; i++)
			out_row(t, (const char *const *)&names[i]);
		out_print(t, stdout, OUT_JSON);
		out_free(t);
	} else
		for (i = 0; i < n; i++)
			printf("  %s\n", names[i]);
	strv_free(names, n);
	free(mirror);
	free(url);
	buf_free(&html);
	return (0);
}

/* jailer image list [-j] [remote] */
int
cmd_image_list(struct jailer *jp, int argc, char **argv)
{
	static const struct out_col cols[] = { { "NAME", "name" },
	    { "DEFAULT", "default" }, { "PATCH", "patch" } };
	struct out_table *t;
	char **names, *def, lv[16];
	const char *row[3];
	int *levels;
	size_t i, n;
	int c, json;
	const struct cmd_optspec spec[] = { { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, -1, NULL)) != 0)
		return (c);
	if (argc >= 1 && strcmp(argv[0], "remote") == 0)
		return (argc > 1 ? cmd_no_operands(argc, argv, 1) :
		    list_remote(jp, json));
	if ((c = cmd_no_operands(argc, argv, 0)) != 0)
		return (c);
	if (image_local(jp, &names, &n) == -1)
		return (cmd_fail(jp, NULL));
	if (image_default(jp, &def) == -1) {
		jailer_warnx(NULL, "ignoring the default image: %s", jp->err);
		def = NULL;
	}
	/* The patch level (image update's newest @pN), 0: none. */
	levels = xcalloc(n + 1, sizeof(*levels));
	if (image_patch_levels(jp, names, n, levels) == -1)
		jailer_warnx(NULL, "patch levels: %s", jp->err);
	t = out_new(cols, nitems(cols));
	for (i = 0; i < n; i++) {
		row[0] = names[i];
		row[1] = def != NULL && strcmp(def, names[i]) == 0 ? "yes" :
		    "no";
		snprintf(lv, sizeof(lv), "%d", levels[i]);
		row[2] = lv;
		if (json)
			out_row(t, row);
		else if (levels[i] > 0)
			printf("%s %s-p%d\n", *row[1] == 'y' ? "*" : " ",
			    names[i], levels[i]);
		else
			printf("%s %s\n", *row[1] == 'y' ? "*" : " ", names[i]);
	}
	free(levels);
	if (json)
		out_print(t, stdout, OUT_JSON);
	out_free(t);
	strv_free(names, n);
	free(def);
	return (0);
}

/* image use without a release: the default (-j: as JSON). */
static int
show_default(struct jailer *jp, int json, int dry)
{
	struct buf b;
	char *def;
	int rc;

	if (dry)
		return (cmd_usage_error("-D needs the release to use"));
	def = NULL;
	if ((rc = image_default(jp, &def)) == -1)
		return (cmd_fail(jp, NULL));
	if (json) {
		buf_init(&b);
		buf_adds(&b, "{\"default\": ");
		if (rc == 1)
			json_quote(&b, def);
		else
			buf_adds(&b, "null");
		printf("%s}\n", b.data);
		buf_free(&b);
		free(def);
		return (0);
	}
	if (rc == 0) {
		jailer_warnx(NULL, "no default image set");
		return (1);
	}
	printf("%s\n", def);
	free(def);
	return (0);
}

/* jailer image use [-D [-j]] [release] */
int
cmd_image_use(struct jailer *jp, int argc, char **argv)
{
	char *def, *path;
	int rc, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((rc = cmd_parse(&argc, &argv, spec, 0, 1,
	    "at most one release")) != 0)
		return (rc);
	if (argc == 0)
		return (show_default(jp, json, dry));
	if ((rc = cmd_plan_open(jp, dry, json, "image use")) != 0)
		return (rc);
	if (valid_image_release(jp, argv[0], NULL) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if ((rc = image_exists(jp, argv[0])) != 1) {
		if (rc == 0)
			jailer_seterr(jp, "no such image; fetch it with "
			    "'jailer image fetch %s'", argv[0]);
		return (cmd_plan_close(jp, cmd_fail(jp, argv[0])));
	}
	if (dry) {
		def = NULL;
		if (image_default(jp, &def) == -1)
			return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
		path = config_path("image/.default");
		plan_title(jp, "Using %s as the default image would:",
		    argv[0]);
		if (def == NULL || strcmp(def, argv[0]) != 0)
			plan_item(jp, NULL, def != NULL ? "change" : "create",
			    "default image", path, def, argv[0], "write %s "
			    "(now: %s)", path, def != NULL ? def : "none");
		else
			plan_title(jp, "  nothing: it is the default image");
		free(def);
		free(path);
		return (cmd_plan_close(jp, 0));
	}
	if (config_file_write(jp, "image/.default", argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	return (0);
}
