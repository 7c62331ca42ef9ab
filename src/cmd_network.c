/*
 * jailer network use [-j] | [-D [-j]] [inherit | new | eb]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "host.h"
#include "plan.h"
#include "validate.h"
#include "vis.h"

#define	NETTYPE_FILE	".default_nettype"

/* network use -D: whether the default would change. */
static int
use_plan(struct jailer *jp, const char *type)
{
	char *v, *path;
	int rc;

	if ((rc = config_file_read(jp, NETTYPE_FILE, &v)) == -1)
		return (cmd_fail(jp, NULL));
	path = config_path("%s", NETTYPE_FILE);
	plan_title(jp, "Using %s for new jails would:", type);
	if (rc == 1 && strcmp(v, type) == 0)
		plan_title(jp, "  nothing: it is the default network type");
	else
		plan_item(jp, NULL, rc == 1 ? "change" : "create",
		    "default network type", path, rc == 1 ? v : NULL, type,
		    "write %s (now: %s)", path, rc == 1 ? vis(v) : "inherit");
	if (rc == 1)
		free(v);
	free(path);
	return (0);
}

/* jailer network use [-j] | [-D [-j]] [inherit | new | eb] */
int
cmd_network_use(struct jailer *jp, int argc, char **argv)
{
	struct buf b;
	char *v;
	int rc, dry, json;
	const struct cmd_optspec spec[] = { { 'D', &dry, NULL, 0 },
	    { 'j', &json, NULL, 0 }, { '\0', NULL, NULL, 0 } };

	dry = json = 0;
	if ((rc = cmd_parse(&argc, &argv, spec, 0, 1,
	    "at most one network type")) != 0)
		return (rc);
	if (argc == 0) {
		if (dry)
			return (cmd_usage_error("-D needs the network type"));
		if ((rc = config_file_read(jp, NETTYPE_FILE, &v)) == -1)
			return (cmd_fail(jp, NULL));
		if (rc == 1 && valid_nettype(jp, v) == -1) {
			free(v);
			return (cmd_fail(jp, NETTYPE_FILE));
		}
		buf_init(&b);
		if (json) {
			buf_adds(&b, "{\"default\": ");
			json_quote(&b, rc == 1 ? v : "inherit");
			buf_adds(&b, "}");
		} else
			buf_adds(&b, rc == 1 ? v : "inherit");
		printf("%s\n", b.data);
		buf_free(&b);
		if (rc == 1)
			free(v);
		return (0);
	}
	if ((rc = cmd_plan_open(jp, dry, json, "network use")) != 0)
		return (rc);
	if (valid_nettype(jp, argv[0]) == -1)
		return (cmd_plan_close(jp, cmd_fail(jp, NULL)));
	if (dry)
		return (cmd_plan_close(jp, use_plan(jp, argv[0])));
	if (config_file_write(jp, NETTYPE_FILE, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	return (0);
}
