/*
 * A minimal POSIX getopt(3).  The C library's would do on FreeBSD, but
 * glibc permutes arguments and both need different resets between
 * sub-commands; this one behaves the same everywhere.
 */
#include <string.h>

#include "cmd.h"

void
opt_init(struct opt *o)
{
	o->ind = 1;
	o->pos = 0;
	o->arg = NULL;
	o->bad = 0;
}

/*
 * Return the next option character, -1 at the first operand or after
 * "--", '?' for an unknown option and ':' for a missing argument (the
 * option is in o->bad).
 */
int
opt_get(struct opt *o, int argc, char **argv, const char *spec)
{
	const char *s;
	char c;

	o->arg = NULL;
	if (o->pos == 0) {
		if (o->ind >= argc || argv[o->ind][0] != '-' ||
		    argv[o->ind][1] == '\0')
			return (-1);
		if (strcmp(argv[o->ind], "--") == 0) {
			o->ind++;
			return (-1);
		}
		o->pos = 1;
	}
	c = argv[o->ind][o->pos++];
	s = c == ':' ? NULL : strchr(spec, c);
	if (s == NULL) {
		o->bad = c;
		if (argv[o->ind][o->pos] == '\0') {
			o->ind++;
			o->pos = 0;
		}
		return ('?');
	}
	if (s[1] == ':') {
		if (argv[o->ind][o->pos] != '\0')
			o->arg = &argv[o->ind][o->pos];
		else if (o->ind + 1 < argc)
			o->arg = argv[++o->ind];
		else {
			o->bad = c;
			o->ind++;
			o->pos = 0;
			return (':');
		}
		o->ind++;
		o->pos = 0;
		return (c);
	}
	if (argv[o->ind][o->pos] == '\0') {
		o->ind++;
		o->pos = 0;
	}
	return (c);
}
