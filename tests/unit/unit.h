/*
 * Helpers shared by jailer's atf-c unit tests (tests/unit/X_test.c).
 */
#ifndef JAILER_UNIT_H
#define JAILER_UNIT_H

#include <dirent.h>
#include <string.h>

#include <atf-c.h>

/* Number of entries in a directory, "." and ".." not counted. */
static inline int
dir_entries(const char *path)
{
	struct dirent *de;
	DIR *d;
	int n;

	ATF_REQUIRE((d = opendir(path)) != NULL);
	n = 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return (n);
}

#endif /* !JAILER_UNIT_H */
