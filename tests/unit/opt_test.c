/*
 * Unit tests for opt.c, the small POSIX getopt every command uses.
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "cmd.h"

/*
 * Parse argv (NULL-terminated) with spec and describe what came back:
 * "y", "r=ARG", "?x" (unknown), ":r" (missing argument), then "|IND".
 */
static void
check_parse(const char *spec, const char *const *args, const char *want)
{
	char *argv[16], got[256];
	struct opt o;
	int argc, c;
	size_t n;

	for (argc = 0; args[argc] != NULL; argc++)
		argv[argc] = (char *)args[argc];
	argv[argc] = NULL;
	opt_init(&o);
	got[0] = '\0';
	n = 0;
	while ((c = opt_get(&o, argc, argv, spec)) != -1 && n < 200) {
		if (c == '?')
			n += (size_t)snprintf(got + n, sizeof(got) - n, "?%c ",
			    o.bad);
		else if (c == ':')
			n += (size_t)snprintf(got + n, sizeof(got) - n, ":%c ",
			    o.bad);
		else if (o.arg != NULL)
			n += (size_t)snprintf(got + n, sizeof(got) - n,
			    "%c=%s ", c, o.arg);
		else
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%c ",
			    c);
	}
	snprintf(got + n, sizeof(got) - n, "|%d", o.ind);
	ATF_CHECK_MSG(strcmp(got, want) == 0, "spec '%s' %s...: got '%s', "
	    "want '%s'", spec, args[1] != NULL ? args[1] : "", got, want);
	/* Exhausted stays exhausted at the same place. */
	if (c == -1) {
		int ind = o.ind;

		if (strcmp(argv[ind - 1], "--") != 0) {
			ATF_CHECK_EQ(opt_get(&o, argc, argv, spec), -1);
			ATF_CHECK_EQ(o.ind, ind);
		}
	}
}

#define	A(...)	((const char *const []){ "cmd", __VA_ARGS__, NULL })

ATF_TC_WITHOUT_HEAD(flags_and_clusters);
ATF_TC_BODY(flags_and_clusters, tc)
{
	check_parse("yv", A("-y"), "y |2");
	check_parse("yv", A("-y", "-v"), "y v |3");
	check_parse("yv", A("-yv"), "y v |2");
	check_parse("yv", A("-vyv", "name"), "v y v |2");
	check_parse("yv", A("-y", "name", "-v"), "y |2");
	check_parse("yv", ((const char *const []){ "cmd", NULL }), "|1");
	check_parse("yv", A("name"), "|1");
	check_parse("yv", A("-"), "|1");
	check_parse("yv", A("-y", "-", "-v"), "y |2");
}

ATF_TC_WITHOUT_HEAD(arguments);
ATF_TC_BODY(arguments, tc)
{
	check_parse("r:y", A("-rbase"), "r=base |2");
	check_parse("r:y", A("-r", "base"), "r=base |3");
	check_parse("r:y", A("-yrbase", "name"), "y r=base |2");
	check_parse("r:y", A("-yr", "base", "name"), "y r=base |3");
	check_parse("r:y", A("-ry"), "r=y |2");
	check_parse("r:y", A("-r", "-y"), "r=-y |3");
	check_parse("r:y", A("-r", "--"), "r=-- |3");
	check_parse("r:y", A("-r", ""), "r= |3");
	check_parse("r:y", A("-r", "a", "-r", "b"), "r=a r=b |5");
	check_parse("a:b:", A("-a1", "-b", "2", "x"), "a=1 b=2 |4");
}

ATF_TC_WITHOUT_HEAD(double_dash);
ATF_TC_BODY(double_dash, tc)
{
	check_parse("yv", A("--"), "|2");
	check_parse("yv", A("-y", "--", "-v"), "y |3");
	check_parse("yv", A("--", "--"), "|2");
	check_parse("r:", A("-r", "x", "--", "-r"), "r=x |4");
}

ATF_TC_WITHOUT_HEAD(bad_options);
ATF_TC_BODY(bad_options, tc)
{
	check_parse("yv", A("-x"), "?x |2");
	check_parse("yv", A("-yxv"), "y ?x v |2");
	check_parse("yv", A("-yx", "name"), "y ?x |2");
	check_parse("yv", A("-:"), "?: |2");
	check_parse("y:", A("-:"), "?: |2");
	check_parse("r:", A("-r"), ":r |2");
	check_parse("yr:", A("-yr"), "y :r |2");
	check_parse("r:", A("-y"), "?y |2");
}

ATF_TC_WITHOUT_HEAD(fields);
ATF_TC_BODY(fields, tc)
{
	char *argv[] = { "cmd", "-r", "base", "-x", NULL };
	struct opt o;

	opt_init(&o);
	ATF_CHECK_EQ(o.ind, 1);
	ATF_CHECK_EQ(o.pos, 0);
	ATF_CHECK(o.arg == NULL);
	ATF_CHECK_EQ(o.bad, 0);
	ATF_CHECK_EQ(opt_get(&o, 4, argv, "r:"), 'r');
	ATF_CHECK(o.arg == argv[2]);
	/* The argument does not stick to the next option. */
	ATF_CHECK_EQ(opt_get(&o, 4, argv, "r:"), '?');
	ATF_CHECK(o.arg == NULL);
	ATF_CHECK_EQ(o.bad, 'x');
	ATF_CHECK_EQ(opt_get(&o, 4, argv, "r:"), -1);
	ATF_CHECK_EQ(o.ind, 4);

	/* opt_init makes a handle reusable for a sub-command. */
	opt_init(&o);
	ATF_CHECK_EQ(opt_get(&o, 2, argv, "r:"), ':');
	ATF_CHECK_EQ(o.bad, 'r');
	opt_init(&o);
	ATF_CHECK_EQ(o.bad, 0);
	ATF_CHECK_EQ(opt_get(&o, 3, argv + 1, ""), -1);
	ATF_CHECK_EQ(o.ind, 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, flags_and_clusters);
	ATF_TP_ADD_TC(tp, arguments);
	ATF_TP_ADD_TC(tp, double_dash);
	ATF_TP_ADD_TC(tp, bad_options);
	ATF_TP_ADD_TC(tp, fields);
	return (atf_no_error());
}
