/*
 * jailer image update [-D] [release], jailer image destroy [-D] release,
 * jailer update [-D] name, jailer upgrade [-D] name release.
 *
 * The checks and the steps are in imgupdate.c, update.c and
 * update_fbu.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "host.h"
#include "image.h"
#include "imgupdate.h"
#include "lifecycle.h"
#include "update.h"
#include "validate.h"

/* The lines of notes, each indented, on stdout. */
static void
print_notes(const struct buf *notes)
{
	const char *p, *e;

	for (p = notes->data; p != NULL && *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p) - 1;
		printf("  %.*s\n", (int)(e - p + (e[0] != '\n')), p);
	}
}

/* The image a command without a release means: the default, or the host's. */
static int
image_arg(struct jailer *jp, int argc, char **argv, char *rel, size_t len)
{
	const struct host *h;
	char *def;
	int rc;

	if (argc == 1) {
		snprintf(rel, len, "%s", argv[0]);
		return (valid_image_release(jp, rel, NULL));
	}
	if ((rc = image_default(jp, &def)) == -1)
		return (-1);
	if (rc == 1) {
		snprintf(rel, len, "%s", def);
		free(def);
		return (0);
	}
	if (host_get(jp, &h) == -1)
		return (-1);
	release_name(&h->release, rel, len);
	return (valid_image_release(jp, rel, NULL));
}

/* image update -D: the plan of the image's update. */
static int
image_update_dry(struct jailer *jp, int argc, char **argv)
{
	struct buf notes;
	char rel[64];
	int c;

	if (image_arg(jp, argc, argv, rel, sizeof(rel)) == -1)
		return (cmd_fail(jp, NULL));
	buf_init(&notes);
	c = image_update(jp, rel, 1, &notes);
	buf_free(&notes);
	return (c != -1 ? 0 : cmd_fail(jp, rel));
}

/* jailer image update [-D [-j]] [release] */
int
cmd_image_update(struct jailer *jp, int argc, char **argv)
{
	struct buf notes;
	char rel[64];
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 1,
	    "at most one release")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "image update")) != 0)
		return (c);
	if (dry)
		return (cmd_plan_close(jp, image_update_dry(jp, argc, argv)));
	if (image_arg(jp, argc, argv, rel, sizeof(rel)) == -1)
		return (cmd_fail(jp, NULL));
	lifecycle_signals();
	buf_init(&notes);
	if (image_update(jp, rel, 2, &notes) == -1) {
		buf_free(&notes);
		return (cmd_fail(jp, rel));
	}
	ui_begin("Updating the image %s", rel);
	c = image_update(jp, rel, 0, &notes);
	ui_end(c != -1);
	if (c != -1)
		print_notes(&notes);
	buf_free(&notes);
	return (c != -1 ? 0 : cmd_fail(jp, rel));
}

/* jailer image destroy [-D [-j]] release */
int
cmd_image_destroy(struct jailer *jp, int argc, char **argv)
{
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected the release of the image")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "image destroy")) != 0)
		return (c);
	if (valid_image_release(jp, argv[0], NULL) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	lifecycle_signals();
	if (!dry && image_destroy(jp, argv[0], 2) == -1)
		return (cmd_fail(jp, argv[0]));
	if (!dry)
		ui_begin("Destroying the image %s", argv[0]);
	c = image_destroy(jp, argv[0], dry);
	if (!dry)
		ui_end(c == 0);
	return (cmd_plan_close(jp, c == 0 ? 0 : cmd_fail(jp, argv[0])));
}

/* update and upgrade: name [release] */
static int
jail_update_cmd(struct jailer *jp, const char *name, const char *target,
    int dry)
{
	struct jupdate *r;
	struct buf notes;
	int rc;

	if (valid_jail_name(jp, name) == -1)
		return (cmd_fail(jp, NULL));
	lifecycle_signals();
	if ((r = jail_update_open(jp, name, target)) == NULL)
		return (cmd_fail(jp, name));
	if (dry) {
		jail_update_print(jp, r);
		jail_update_free(r);
		return (0);
	}
	buf_init(&notes);
	ui_begin("%s %s", target != NULL ? "Upgrading" : "Updating", name);
	rc = jail_update_run(jp, r, &notes);
	ui_end(rc != -1);
	if (rc != -1)
		print_notes(&notes);
	buf_free(&notes);
	jail_update_free(r);
	return (rc != -1 ? 0 : cmd_fail(jp, name));
}

/* jailer update [-D [-j]] name: the newest patch level of its release. */
int
cmd_update(struct jailer *jp, int argc, char **argv)
{
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 1,
	    "expected the jail's name")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "update")) != 0)
		return (c);
	return (cmd_plan_close(jp, jail_update_cmd(jp, argv[0], NULL, dry)));
}

/* jailer upgrade [-D [-j]] name release: a newer release. */
int
cmd_upgrade(struct jailer *jp, int argc, char **argv)
{
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 2, 2,
	    "expected the jail's name and the release")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "upgrade")) != 0)
		return (c);
	if (valid_image_release(jp, argv[1], NULL) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	return (cmd_plan_close(jp, jail_update_cmd(jp, argv[0], argv[1],
	    dry)));
}
