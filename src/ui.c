/*
 * Talking to people: "Creating www0: Done!" lines, the OK? prompt and
 * colour (only on a terminal, never with NO_COLOR set).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"

int
ui_tty(void)
{
	return (isatty(STDOUT_FILENO));
}

/* The escape sequence for a colour, or "" when colour is off. */
const char *
ui_color(const char *seq)
{
	const char *nc, *term;

	nc = getenv("NO_COLOR");
	term = getenv("TERM");
	if ((nc != NULL && *nc != '\0') || !ui_tty() ||
	    (term != NULL && strcmp(term, "dumb") == 0))
		return ("");
	return (seq);
}

/* Print "What: " and keep the line open for ui_end(). */
void
ui_begin(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputs(": ", stdout);
	fflush(stdout);
}

void
ui_end(int ok)
{
	printf("%s%s%s\n", ui_color(ok ? "\033[0;32m" : "\033[0;31m"),
	    ok ? "Done!" : "Failed!", ui_color("\033[0m"));
	fflush(stdout);
}

/* Ask "OK? (y/N) "; only y or yes (any case) says yes. */
int
ui_confirm(void)
{
	char line[64];
	char *s;

	fputs("OK? (y/N) ", stdout);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL) {
		fputc('\n', stdout);
		return (0);
	}
	s = str_trim(line);
	return (strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0);
}
