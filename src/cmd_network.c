/*
 * jailer network use [inherit | new | eb]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "host.h"
#include "validate.h"

#define	NETTYPE_FILE	".default_nettype"

int
cmd_network_use(struct jailer *jp, int argc, char **argv)
{
	char *v;
	int rc;

	if ((rc = cmd_parse(&argc, &argv, NULL, 0, 1,
	    "at most one network type")) != 0)
		return (rc);
	if (argc == 0) {
		if ((rc = config_file_read(jp, NETTYPE_FILE, &v)) == -1)
			return (cmd_fail(jp, NULL));
		if (rc == 1 && valid_nettype(jp, v) == -1) {
			free(v);
			return (cmd_fail(jp, NETTYPE_FILE));
		}
		printf("%s\n", rc == 1 ? v : "inherit");
		free(v);
		return (0);
	}
	if (valid_nettype(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if (config_file_write(jp, NETTYPE_FILE, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	return (0);
}
