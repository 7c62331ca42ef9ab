/*
 * The library keeps its last error in the handle; the command layer
 * prints it as "jailer: OBJECT: message".
 *
 * Depends on: vis.c only.  util.c and validate.c use err.c, never the
 * other way round.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jailer.h"
#include "vis.h"

/* Set the handle's error message; always returns -1. */
int
jailer_seterr(struct jailer *jp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(jp->err, sizeof(jp->err), fmt, ap);
	va_end(ap);
	return (-1);
}

/* Like jailer_seterr, with ": strerror(errno)" appended. */
int
jailer_seterrno(struct jailer *jp, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	int saved;

	saved = errno;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(jp->err, sizeof(jp->err), "%s: %s", msg, strerror(saved));
	errno = saved;
	return (-1);
}

/* Print "jailer: OBJECT: message" (or "jailer: message") to stderr. */
void
jailer_warnx(const char *object, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("jailer: ", stderr);
	if (object != NULL && *object != '\0')
		fprintf(stderr, "%s: ", vis(object));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
