/*
 * Unit tests for out.c: the aligned table, the tab-separated rows and
 * the JSON array, captured through open_memstream(3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "jailer.h"
#include "out.h"

static const struct out_col cols3[] = {
	{ "NAME", "name" }, { "STATE", "state" }, { "JID", "jid" },
};

/* Print t in a style into a string; caller frees. */
static char *
render(struct out_table *t, enum out_style style)
{
	char *s;
	size_t n;
	FILE *fp;

	ATF_REQUIRE((fp = open_memstream(&s, &n)) != NULL);
	out_print(t, fp, style);
	ATF_REQUIRE(fclose(fp) == 0);
	ATF_CHECK_EQ(strlen(s), n);
	return (s);
}

/* No line ends in a blank or a tab. */
static void
check_no_trailing_blanks(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '\n' && p > s && (p[-1] == ' ' || p[-1] == '\t')) {
			ATF_CHECK_MSG(0, "trailing blank in:\n%s", s);
			return;
		}
}

/*
 * A table of cols with rows (a NULL-terminated list) prints as want in
 * OUT_TABLE, and no line of it ends in a blank.
 */
static void
check_table(const struct out_col *cols, size_t ncols, const char **rows[],
    const char *want)
{
	struct out_table *t;
	char *s;
	size_t i;

	t = out_new(cols, ncols);
	for (i = 0; rows[i] != NULL; i++)
		out_row(t, rows[i]);
	s = render(t, OUT_TABLE);
	ATF_CHECK_STREQ(s, want);
	check_no_trailing_blanks(s);
	free(s);
	out_free(t);
}

ATF_TC_WITHOUT_HEAD(table_align);
ATF_TC_BODY(table_align, tc)
{
	const char *r1[] = { "www0", "running", "1" };
	const char *r2[] = { "a-much-longer-name", "stopped", NULL };
	const char *r3[] = { "x", NULL, "123" };
	const char **rows[] = { r1, r2, r3, NULL };

	check_table(cols3, nitems(cols3), rows,
	    "NAME                STATE    JID\n"
	    "www0                running  1\n"
	    "a-much-longer-name  stopped\n"
	    "x                            123\n");
}

/* The header can be the widest cell; two spaces always separate. */
ATF_TC_WITHOUT_HEAD(table_header_widest);
ATF_TC_BODY(table_header_widest, tc)
{
	static const struct out_col cols[] = {
		{ "HOSTNAME", "hostname" }, { "IPv4", "ipv4" }, { "GW", "gw" },
	};
	const char *r1[] = { "a", "10.0.0.25/24", "10.0.0.1" };
	const char *r2[] = { "b", NULL, NULL };
	const char *r3[] = { NULL, NULL, NULL };
	const char **rows[] = { r1, r2, r3, NULL };

	check_table(cols, nitems(cols), rows,
	    "HOSTNAME  IPv4          GW\n"
	    "a         10.0.0.25/24  10.0.0.1\n"
	    "b\n"
	    "\n");
}

/* Widths count characters, not bytes. */
ATF_TC_WITHOUT_HEAD(table_utf8);
ATF_TC_BODY(table_utf8, tc)
{
	static const struct out_col cols[] = {
		{ "A", "a" }, { "B", "b" },
	};
	const char *r1[] = { "j\xc3\xa4il", "x" };
	const char *r2[] = { "abc", "y" };
	const char **rows[] = { r1, r2, NULL };

	check_table(cols, nitems(cols), rows,
	    "A     B\n"
	    "j\xc3\xa4il  x\n"
	    "abc   y\n");
}

ATF_TC_WITHOUT_HEAD(table_empty);
ATF_TC_BODY(table_empty, tc)
{
	struct out_table *t;
	char *s;

	t = out_new(cols3, nitems(cols3));
	s = render(t, OUT_TABLE);
	ATF_CHECK_STREQ(s, "NAME  STATE  JID\n");
	free(s);
	s = render(t, OUT_TAB);
	ATF_CHECK_STREQ(s, "");
	free(s);
	s = render(t, OUT_JSON);
	ATF_CHECK_STREQ(s, "[]\n");
	free(s);
	out_free(t);
	out_free(NULL);
}

/* An empty (not NULL) last cell must not leave blanks at the line's end. */
ATF_TC_WITHOUT_HEAD(table_empty_string_last);
ATF_TC_BODY(table_empty_string_last, tc)
{
	static const struct out_col cols[] = {
		{ "NAME", "name" }, { "GW", "gw" },
	};
	const char *r1[] = { "www0", "" };
	const char *r2[] = { "db", "10.0.0.1" };
	const char **rows[] = { r1, r2, NULL };

	check_table(cols, nitems(cols), rows,
	    "NAME  GW\n"
	    "www0\n"
	    "db    10.0.0.1\n");
}

ATF_TC_WITHOUT_HEAD(table_many_rows);
ATF_TC_BODY(table_many_rows, tc)
{
	struct out_table *t;
	char name[16], jid[16], *s, *last;
	const char *row[3];
	int i;

	t = out_new(cols3, nitems(cols3));
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "jail%d", i);
		snprintf(jid, sizeof(jid), "%d", i + 1);
		row[0] = name;
		row[1] = i % 2 ? "running" : "stopped";
		row[2] = jid;
		out_row(t, row);
	}
	/* The strings were copied. */
	memset(name, 'Z', sizeof(name) - 1);
	s = render(t, OUT_TABLE);
	ATF_CHECK(strstr(s, "Z") == NULL);
	ATF_CHECK(strncmp(s, "NAME    STATE    JID\n", 21) == 0);
	last = strstr(s, "jail99");
	ATF_REQUIRE(last != NULL);
	ATF_CHECK_STREQ(last, "jail99  running  100\n");
	check_no_trailing_blanks(s);
	free(s);
	out_free(t);
}

ATF_TC_WITHOUT_HEAD(tab_style);
ATF_TC_BODY(tab_style, tc)
{
	const char *r1[] = { "www0", "running", "1" };
	const char *r2[] = { "db", NULL, NULL };
	const char *r3[] = { NULL, "x", "" };
	struct out_table *t;
	char *s;

	t = out_new(cols3, nitems(cols3));
	out_row(t, r1);
	out_row(t, r2);
	out_row(t, r3);
	s = render(t, OUT_TAB);
	ATF_CHECK_STREQ(s,
	    "www0\trunning\t1\n"
	    "db\t\t\n"
	    "\tx\t\n");
	free(s);
	out_free(t);
}

ATF_TC_WITHOUT_HEAD(json_style);
ATF_TC_BODY(json_style, tc)
{
	const char *r1[] = { "www0", "running", "1" };
	const char *r2[] = { "db", "stopped", NULL };
	const char *r3[] = { NULL, "a\"b\\c\nd\x01", NULL };
	struct out_table *t;
	char *s;

	t = out_new(cols3, nitems(cols3));
	out_row(t, r1);
	s = render(t, OUT_JSON);
	ATF_CHECK_STREQ(s,
	    "[{\"name\":\"www0\",\"state\":\"running\",\"jid\":\"1\"}]\n");
	free(s);
	out_row(t, r2);
	out_row(t, r3);
	s = render(t, OUT_JSON);
	ATF_CHECK_STREQ(s,
	    "[{\"name\":\"www0\",\"state\":\"running\",\"jid\":\"1\"},"
	    "{\"name\":\"db\",\"state\":\"stopped\"},"
	    "{\"state\":\"a\\\"b\\\\c\\nd\\u0001\"}]\n");
	free(s);
	out_free(t);
}

ATF_TC_WITHOUT_HEAD(json_object);
ATF_TC_BODY(json_object, tc)
{
	static const struct out_col cols[] = {
		{ "A", "a" }, { "B", "k\"ey" }, { "C", "c" },
	};
	const char *all_null[] = { NULL, NULL, NULL };
	const char *first_null[] = { NULL, "1", "2" };
	const char *empty[] = { "", NULL, "" };
	char *s;
	size_t n;
	FILE *fp;

	ATF_REQUIRE((fp = open_memstream(&s, &n)) != NULL);
	out_json_object(fp, cols, all_null, 3);
	fputc('\n', fp);
	out_json_object(fp, cols, first_null, 3);
	fputc('\n', fp);
	out_json_object(fp, cols, empty, 3);
	fputc('\n', fp);
	out_json_object(fp, cols, first_null, 0);
	ATF_REQUIRE(fclose(fp) == 0);
	ATF_CHECK_STREQ(s,
	    "{}\n"
	    "{\"k\\\"ey\":\"1\",\"c\":\"2\"}\n"
	    "{\"a\":\"\",\"c\":\"\"}\n"
	    "{}");
	free(s);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, table_align);
	ATF_TP_ADD_TC(tp, table_header_widest);
	ATF_TP_ADD_TC(tp, table_utf8);
	ATF_TP_ADD_TC(tp, table_empty);
	ATF_TP_ADD_TC(tp, table_empty_string_last);
	ATF_TP_ADD_TC(tp, table_many_rows);
	ATF_TP_ADD_TC(tp, tab_style);
	ATF_TP_ADD_TC(tp, json_style);
	ATF_TP_ADD_TC(tp, json_object);
	return (atf_no_error());
}
