/*
 * The host's mount table: read once with mount -p, split into fields,
 * and the one mount jailer itself removes (a jail's own devfs).
 *
 * Depends on: exec, util.
 */
#include <string.h>
#include <stdlib.h>

#include "exec.h"
#include "mount.h"

/* mount -p into out (initialised here; freed again on failure). */
int
mount_table(struct jailer *jp, struct buf *out)
{
	static const char *const argv[] = { "mount", "-p", NULL };

	return (run_read(jp, argv, out));
}

/*
 * The first three fields of a mount -p line (device, mount point, type),
 * split in place; how many of them the line has.
 */
size_t
mount_fields(char *line, char *f[3])
{
	char *tok, *save;
	size_t k;

	k = 0;
	for (tok = strtok_r(line, " \t", &save); tok != NULL && k < 3;
	    tok = strtok_r(NULL, " \t", &save))
		f[k++] = tok;
	return (k);
}

/*
 * Unmount the jail's own devfs if it is still mounted: jail -R does not
 * unmount it, and a failed stop may leave it behind.  1 if it unmounted
 * it, 0 if it was not mounted, -1 on error.
 */
int
own_devfs_unmount(struct jailer *jp, const char *path)
{
	struct buf out;
	char *dev, *line, *f[3];
	const char *um[] = { "umount", "-f", NULL, NULL };
	size_t pos;
	int mounted, rc;

	if (mount_table(jp, &out) == -1)
		return (-1);
	dev = xasprintf("%s/dev", path);
	mounted = 0;
	pos = 0;
	while ((line = buf_nextline(&out, &pos)) != NULL)
		if (mount_fields(line, f) == 3 && strcmp(f[1], dev) == 0 &&
		    strcmp(f[2], "devfs") == 0)
			mounted = 1;
	buf_free(&out);
	um[2] = dev;
	rc = !mounted ? 0 : run(jp, um, NULL, 0) == 0 ? 1 : -1;
	free(dev);
	return (rc);
}
