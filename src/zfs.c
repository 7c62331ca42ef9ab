/*
 * ZFS through zfs(8): commands are built as argv arrays and -H output is
 * parsed here.  libzfs is not used (design.md section 7).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "zfs.h"

#define	ZFS_MAXARGS	32

/*
 * Run "zfs ARG..." (NULL-terminated).  flags and out are as for run().
 */
int
zfs(struct jailer *jp, int flags, struct buf *out, ...)
{
	const char *argv[ZFS_MAXARGS + 2];
	va_list ap;
	size_t n;

	argv[0] = "zfs";
	n = 1;
	va_start(ap, out);
	while ((argv[n] = va_arg(ap, const char *)) != NULL)
		if (++n > ZFS_MAXARGS)
			abort();
	va_end(ap);
	return (run(jp, argv, out, flags));
}

/* A missing dataset is not an error for the callers that ask. */
static int
missing(struct jailer *jp)
{
	return (strstr(jp->err, "does not exist") != NULL);
}

/*
 * The value of one property.  Returns 1 and the value (caller frees), 0
 * if the dataset does not exist, -1 on error.
 */
int
zfs_get(struct jailer *jp, const char *ds, const char *prop, char **value)
{
	struct buf out;

	*value = NULL;
	buf_init(&out);
	if (zfs(jp, RUN_RO, &out, "get", "-H", "-o", "value", prop, ds,
	    NULL) != 0) {
		buf_free(&out);
		return (missing(jp) ? 0 : -1);
	}
	*value = xstrdup(str_trim(out.data));
	buf_free(&out);
	return (1);
}

/* 1 if the dataset or snapshot exists, 0 if not, -1 on error. */
int
zfs_exists(struct jailer *jp, const char *ds)
{
	struct buf out;
	int rc;

	buf_init(&out);
	rc = zfs(jp, RUN_RO, &out, "list", "-H", "-o", "name", "-t",
	    strchr(ds, '@') != NULL ? "snapshot" : "filesystem", ds, NULL);
	buf_free(&out);
	if (rc != 0)
		return (missing(jp) ? 0 : -1);
	return (1);
}

/* The names of the imported pools, one per line. */
int
zpool_names(struct jailer *jp, struct buf *out)
{
	static const char *const argv[] = { "zpool", "list", "-H", "-o",
	    "name", NULL };

	return (run(jp, argv, out, RUN_RO) == 0 ? 0 : -1);
}
