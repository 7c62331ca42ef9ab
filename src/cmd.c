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
#include "plan.h"
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
 * Parse the options in spec (see struct cmd_optspec).  Returns 0 with
 * *ind at the first operand, or the status of cmd_bad_option().
 */
int
cmd_getopts(int argc, char **argv, const struct cmd_optspec *spec, int *ind)
{
	const struct cmd_optspec *s;
	struct opt o;
	char optstr[64];
	size_t n;
	int c;

	for (s = spec, n = 0; s != NULL && s->letter != '\0' &&
	    n + 2 < sizeof(optstr); s++) {
		optstr[n++] = s->letter;
		if (s->arg != NULL)
			optstr[n++] = ':';
	}
	optstr[n] = '\0';
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, optstr)) != -1) {
		if (c == '?' || c == ':')
			return (cmd_bad_option(&o, c));
		for (s = spec; s->letter != c; s++)
			continue;
		if (s->arg != NULL)
			*s->arg = o.arg;
		else
			*s->flag = s->val != 0 ? s->val : 1;
	}
	*ind = o.ind;
	return (0);
}

/*
 * The options in spec (NULL: none), then the operands: *argc and *argv
 * are left at them, and fewer than min or more than max (-1: any) is the
 * usage error msg (NULL: "unexpected argument").  0, or the exit status.
 */
int
cmd_parse(int *argc, char ***argv, const struct cmd_optspec *spec, int min,
    int max, const char *msg)
{
	int c, ind;

	if ((c = cmd_getopts(*argc, *argv, spec, &ind)) != 0)
		return (c);
	*argc -= ind;
	*argv += ind;
	if (msg == NULL && max != -1 && *argc > max)
		return (cmd_no_operands(*argc, *argv, max));
	if (*argc < min || (max != -1 && *argc > max))
		return (cmd_usage_error("%s", msg));
	return (0);
}

/*
 * The operands of a listing: -j (into *json) and at most one valid jail
 * name (*name, or NULL).  0, or the exit status.
 */
int
cmd_json_jail(struct jailer *jp, int argc, char **argv, int *json,
    const char **name)
{
	const struct cmd_optspec spec[] = { { 'j', json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };
	int c;

	*json = 0;
	*name = NULL;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 1,
	    "at most one jail name")) != 0)
		return (c);
	if (argc == 1 && valid_jail_name(jp, argv[0]) == -1)
		return (cmd_fail(jp, NULL));
	if (argc == 1)
		*name = argv[0];
	return (0);
}

/*
 * A dry run's plan as JSON (-D -j): kept from here on and printed by
 * cmd_plan_close(); -j without -D is a usage error.  0, or the status.
 */
int
cmd_plan_open(struct jailer *jp, int dry, int json, const char *command)
{
	if (json && !dry)
		return (cmd_usage_error("-j goes with -D (the plan as JSON)"));
	if (json)
		jp->plan = plan_new(command);
	return (0);
}

/* The end of a command: its JSON plan on stdout when it succeeded. */
int
cmd_plan_close(struct jailer *jp, int rc)
{
	if (jp->plan == NULL)
		return (rc);
	if (rc == 0)
		plan_print_json(jp->plan, stdout);
	plan_free(jp->plan);
	jp->plan = NULL;
	return (rc);
}

/* After the options: any operand is a usage error. */
int
cmd_no_operands(int argc, char **argv, int ind)
{
	if (ind < argc)
		return (cmd_usage_error("unexpected argument '%s'",
		    vis(argv[ind])));
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

