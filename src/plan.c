/*
 * Dry-run plans: the text a person reads, or one JSON object a program
 * parses.  With jp->plan NULL every item is printed as it comes, so
 * the text of each command's plan is what its own code writes; with a
 * plan, nothing reaches stdout until plan_print_json().
 *
 * Depends on: util, err.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

struct plan *
plan_new(const char *command)
{
	struct plan *p;

	p = xcalloc(1, sizeof(*p));
	p->command = xstrdup(command);
	return (p);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

void
plan_free(struct plan *p)
{
	size_t i, k;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].action);
		free(p->v[i].object);
		free(p->v[i].name);
		free(p->v[i].before);
		free(p->v[i].after);
		free(p->v[i].text);
		for (k = 0; p->v[i].argv != NULL && p->v[i].argv[k] != NULL;
		    k++)
			free(p->v[i].argv[k]);
		free(p->v[i].argv);
	}
	free(p->v);
	free(p->command);
	free(p);
}

static struct plan_item *
plan_grow(struct plan *p)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	memset(&p->v[p->n], 0, sizeof(p->v[p->n]));
	return (&p->v[p->n++]);
}

/* Keep a change in the JSON plan (text: taken). */
static void
record(struct jailer *jp, const char *action, const char *object,
    const char *name, const char *before, const char *after, char *text)
{
	struct plan_item *it;

	it = plan_grow(jp->plan);
	it->action = xstrdup(action);
	it->object = xstrdup(object);
	it->name = dup_or_null(name);
	it->before = dup_or_null(before);
	it->after = dup_or_null(after);
	it->text = text;
}

/*
 * One change: ACTION on OBJECT NAME (BEFORE and AFTER when a value
 * changes), and the line of the text plan, indented by two: printed, or
 * added to b when b is not NULL (a plan printed only if it succeeds).
 */
void
plan_item(struct jailer *jp, struct buf *b, const char *action,
    const char *object, const char *name, const char *before,
    const char *after, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (jp->plan != NULL) {
		record(jp, action, object, name, before, after, text);
		return;
	}
	if (b != NULL)
		buf_addf(b, "  %s\n", text);
	else
		printf("  %s\n", text);
	free(text);
}

/* The same for a plan whose text lines are not indented. */
void
plan_flat(struct jailer *jp, const char *action, const char *object,
    const char *name, const char *before, const char *after,
    const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (jp->plan != NULL) {
		record(jp, action, object, name, before, after, text);
		return;
	}
	printf("%s\n", text);
	free(text);
}

/*
 * A host file jailer would write (after: its new text) or remove (after
 * NULL): path as shown, hostpath as opened; its text now is "before".
 */
void
plan_file(struct jailer *jp, struct buf *b, const char *path,
    const char *hostpath, const char *after)
{
	struct buf old;
	const char *before;

	before = NULL;
	buf_init(&old);
	if (file_exists(hostpath) && file_read(jp, hostpath, &old) == 0)
		before = old.data;
	if (after == NULL)
		plan_item(jp, b, "remove", "file", path, before, NULL,
		    "remove %s", path);
	else
		plan_item(jp, b, before != NULL ? "change" : "create", "file",
		    path, before, after, "write %s", path);
	buf_free(&old);
}

/* The heading of a text plan ("Destroying w1 would:"); not in JSON. */
void
plan_title(struct jailer *jp, const char *fmt, ...)
{
	va_list ap;

	if (jp->plan != NULL)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
argv_add(char ***v, size_t *n, const char *const *a)
{
	for (; a != NULL && *a != NULL; a++) {
		*v = xrealloc(*v, (*n + 2) * sizeof(**v));
		(*v)[(*n)++] = xstrdup(*a);
		(*v)[*n] = NULL;
	}
}

/* A program the dry run would run (a2: the second half of a pipe). */
void
plan_run(struct jailer *jp, const char *const *a1, const char *const *a2)
{
	static const char *const bar[] = { "|", NULL };
	struct plan_item *it;
	size_t n;

	it = plan_grow(jp->plan);
	it->action = xstrdup("run");
	it->object = xstrdup("program");
	it->name = xstrdup(a1[0]);
	n = 0;
	argv_add(&it->argv, &n, a1);
	if (a2 != NULL) {
		argv_add(&it->argv, &n, bar);
		argv_add(&it->argv, &n, a2);
	}
}

static void
key(struct buf *b, const char *k, const char *v, int *first)
{
	if (v == NULL)
		return;
	buf_adds(b, *first ? "" : ", ");
	*first = 0;
	json_quote(b, k);
	buf_adds(b, ": ");
	json_quote(b, v);
}

static void
item_json(struct buf *b, const struct plan_item *it)
{
	size_t k;
	int first;

	first = 1;
	buf_adds(b, "{");
	key(b, "action", it->action, &first);
	key(b, "object", it->object, &first);
	key(b, "name", it->name, &first);
	key(b, "before", it->before, &first);
	key(b, "after", it->after, &first);
	key(b, "text", it->text, &first);
	if (it->argv != NULL) {
		buf_adds(b, ", \"argv\": [");
		for (k = 0; it->argv[k] != NULL; k++) {
			buf_adds(b, k > 0 ? ", " : "");
			json_quote(b, it->argv[k]);
		}
		buf_adds(b, "]");
	}
	buf_adds(b, "}");
}

/*
 * {"command": ..., "changed": true|false, "changes": [...]}: changed is
 * whether the command would change anything (the programs it would run
 * count as changes).
 */
void
plan_print_json(const struct plan *p, FILE *fp)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, "{\"command\": ");
	json_quote(&b, p->command);
	buf_addf(&b, ", \"changed\": %s, \"changes\": [",
	    p->n > 0 ? "true" : "false");
	for (i = 0; i < p->n; i++) {
		buf_adds(&b, i > 0 ? ",\n  " : "\n  ");
		item_json(&b, &p->v[i]);
	}
	buf_adds(&b, p->n > 0 ? "\n]}\n" : "]}\n");
	fputs(b.data, fp);
	buf_free(&b);
}
