/*
 * cmd.c: what every command file shares: usage errors, option errors,
 * printing a library error, usage text from a command table.  main.c
 * holds the tables and dispatch; the cmd_*.c files use this file, never
 * main.c, so the dependencies go one way: main -> cmd_*.c -> cmd.c.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "validate.h"

/* The command being run, for usage errors (set by cmd_dispatch()). */
const char *cmd_cur_prefix = "jailer";
const struct cmd *cmd_cur;

void
cmd_print_rows(FILE *fp, const char *indent, const char *prefix,
    const struct cmd *tab, size_t n)
{
	char *sub;
	size_t i;

	for (i = 0; i < n; i++) {
		if (tab[i].flags & CMD_ALIAS)
			continue;
		if (tab[i].fn != NULL || tab[i].sub == NULL)
			fprintf(fp, "%s%s%s%s%s%s\n", indent, prefix,
			    *prefix != '\0' ? " " : "", tab[i].name,
			    *tab[i].usage != '\0' ? " " : "", tab[i].usage);
		if (tab[i].sub != NULL) {
			sub = xasprintf("%s%s%s", prefix,
			    *prefix != '\0' ? " " : "", tab[i].name);
			cmd_print_rows(fp, indent, sub, tab[i].sub, tab[i].nsub);
			free(sub);
		}
	}
}

/* The usage of a table of sub-commands (n > 1) or of one command. */
void
cmd_print_usage(FILE *fp, const char *prefix, const struct cmd *tab,
    size_t n)
{
	fputs("usage:\n", fp);
	cmd_print_rows(fp, "  ", prefix, tab, n);
}

/* A usage error: the reason and the command's usage, exit status 2. */
int
cmd_usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", cmd_cur_prefix);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd_cur != NULL) {
		char *p = xstrdup(cmd_cur_prefix);
		char *sp = strrchr(p, ' ');

		if (sp != NULL)
			*sp = '\0';
		cmd_print_usage(stderr, p, cmd_cur, 1);
		free(p);
	}
	return (2);
}

/*
 * For commands without options: skip "--", report any option.  Returns
 * 0 with o->ind at the first operand, or the usage error's status.
 */
int
cmd_no_options(struct opt *o, int argc, char **argv)
{
	int c;

	opt_init(o);
	if ((c = opt_get(o, argc, argv, "")) != -1)
		return (cmd_bad_option(o, c));
	return (0);
}

/* Report what opt_get() found wrong (the letter shown safely). */
int
cmd_bad_option(struct opt *o, int c)
{
	char letter[2];

	letter[0] = (char)o->bad;
	letter[1] = '\0';
	if (c == ':')
		return (cmd_usage_error("option -%s needs an argument",
		    vis(letter)));
	return (cmd_usage_error("unknown option -%s", vis(letter)));
}

/* Print the library's error about object; returns exit status 1. */
int
cmd_fail(struct jailer *jp, const char *object)
{
	jailer_warnx(object, "%s", jp->err);
	return (1);
}

