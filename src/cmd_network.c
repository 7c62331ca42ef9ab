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
	struct opt o;
	char *v, *path, *fpath;
	int c, rc;

	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "")) != -1)
		return (cmd_bad_option(&o, c));
	argc -= o.ind;
	argv += o.ind;
	if (argc > 1)
		return (cmd_usage_error("at most one network type"));
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
	path = config_path(NETTYPE_FILE);
	fpath = host_path(path);
	v = xasprintf("%s\n", argv[0]);
	rc = file_write_atomic(jp, fpath, v, strlen(v), 0644);
	free(v);
	free(path);
	free(fpath);
	return (rc == 0 ? 0 : cmd_fail(jp, NULL));
}
