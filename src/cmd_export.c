/*
 * jailer export [-D] [-i snapshot] name [file | -]; jailer import [-D]
 * file [name].
 *
 * The file format, the checks and the steps are in export.c and import.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "lifecycle.h"
#include "validate.h"

/* jailer export [-D [-j]] [-i snapshot] name [file | -]: a jail in one file. */
int
cmd_export(struct jailer *jp, int argc, char **argv)
{
	struct export *e;
	const char *from, *file;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'i', NULL, &from, 0 }, { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	from = NULL;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 2,
	    "expected a jail name and a file (or -)")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "export")) != 0)
		return (c);
	if (valid_jail_name(jp, argv[0]) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	file = argc == 2 ? argv[1] : "-";
	lifecycle_signals();
	if ((e = export_open(jp, argv[0], from, file)) == NULL)
		return (cmd_plan_close(jp, cmd_fail(jp, argv[0])));
	if (dry) {
		export_print(jp, e);
		export_free(e);
		return (cmd_plan_close(jp, 0));
	}
	if (strcmp(file, "-") != 0)
		ui_begin("Exporting %s to %s", argv[0], file);
	c = export_run(jp, e);
	if (strcmp(file, "-") != 0) {
		ui_end(c == 0);
		if (c == 0)
			printf("  snapshot %s@%s\n", argv[0],
			    export_snapshot(e));
	}
	export_free(e);
	return (c == 0 ? 0 : cmd_fail(jp, argv[0]));
}

/* jailer import [-D [-j]] file [name]: a jail from an export file. */
int
cmd_import(struct jailer *jp, int argc, char **argv)
{
	struct import *im;
	int c, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 1, 2,
	    "expected an export file and maybe a jail name")) != 0 ||
	    (c = cmd_plan_open(jp, dry, json, "import")) != 0)
		return (c);
	if (argc == 2 && valid_jail_name(jp, argv[1]) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	lifecycle_signals();
	if ((im = import_open(jp, argv[0], argc == 2 ? argv[1] : NULL)) ==
	    NULL)
		return (cmd_plan_close(jp, cmd_fail(jp, argc == 2 ? argv[1] :
		    NULL)));
	if (dry) {
		import_print(jp, im);
		import_free(im);
		return (cmd_plan_close(jp, 0));
	}
	ui_begin("Importing %s from %s%s", import_name(im), argv[0],
	    import_incremental(im) ? " (incremental)" : "");
	c = import_run(jp, im);
	ui_end(c == 0);
	if (c == 0)
		fputs(import_notes(im), stdout);
	c = c == 0 ? 0 : cmd_fail(jp, import_name(im));
	import_free(im);
	return (c);
}
