/*
 * Tables.  A NULL cell is a field that does not apply: blank in the
 * table, empty with -H, left out of the JSON object.  Every JSON value is
 * a string, as the original jailer printed them.
 */
#include <stdlib.h>
#include <string.h>

#include "jailer.h"
#include "out.h"

struct out_table {
	const struct out_col	*cols;
	size_t			 ncols;
	char			**cells;	/* nrows * ncols, NULL allowed */
	size_t			 nrows;
	size_t			 cap;
};

struct out_table *
out_new(const struct out_col *cols, size_t ncols)
{
	struct out_table *t;

	t = xcalloc(1, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
	return (t);
}

/* Add a row; the strings are copied. */
void
out_row(struct out_table *t, const char *const *vals)
{
	size_t i;

	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->cells = xrealloc(t->cells,
		    t->cap * t->ncols * sizeof(*t->cells));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] =
		    vals[i] != NULL ? xstrdup(vals[i]) : NULL;
	t->nrows++;
}

/* Print one JSON object of the given keys; NULL values are left out. */
void
out_json_object(FILE *fp, const struct out_col *cols, const char *const *vals,
    size_t n)
{
	struct buf b;
	size_t i;
	int first;

	buf_init(&b);
	buf_addc(&b, '{');
	first = 1;
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			continue;
		if (!first)
			buf_addc(&b, ',');
		first = 0;
		json_quote(&b, cols[i].key);
		buf_addc(&b, ':');
		json_quote(&b, vals[i]);
	}
	buf_addc(&b, '}');
	fputs(b.data, fp);
	buf_free(&b);
}

/* Display width of a UTF-8 string: one column per code point. */
static size_t
width(const char *s)
{
	size_t w;

	for (w = 0; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return (w);
}

/*
 * A value for a terminal: control characters (a jail may put them in
 * what jailer shows), C1 controls and bytes that are not UTF-8 become
 * \xNN, so nothing reaches the terminal as an escape sequence.
 */
static void
safe_buf(struct buf *b, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t n;

	buf_init(b);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p == '\t')
			buf_adds(b, "\\t");
		else if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p == '\\')
			buf_adds(b, "\\\\");
		else if (*p >= 0x80 && (n = utf8_len(p)) > 0 &&
		    !(*p == 0xc2 && p[1] < 0xa0)) {
			buf_add(b, p, n);
			p += n - 1;
		} else if (*p < 0x20 || *p >= 0x7f) {
			buf_adds(b, "\\x");
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		} else
			buf_addc(b, (char)*p);
	}
}

/* The columns v takes on a terminal, as put_safe() prints it. */
static size_t
safe_width(const char *v)
{
	struct buf b;
	size_t w;

	safe_buf(&b, v);
	w = width(b.data);
	buf_free(&b);
	return (w);
}

static void
put_safe(FILE *fp, const char *v)
{
	struct buf b;

	safe_buf(&b, v);
	fputs(b.data, fp);
	buf_free(&b);
}

/* The table of the first ncols columns. */
static void
print_table(struct out_table *t, FILE *fp, size_t ncols)
{
	size_t *w, r, c, last, n;
	const char *v;

	w = xcalloc(ncols, sizeof(*w));
	for (c = 0; c < ncols; c++)
		w[c] = width(t->cols[c].header);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < ncols; c++)
			if ((v = t->cells[r * t->ncols + c]) != NULL &&
			    safe_width(v) > w[c])
				w[c] = safe_width(v);
	for (r = 0; r <= t->nrows; r++) {
		/* Trailing NULL cells print nothing, not blanks. */
		for (last = ncols; last > 0; last--) {
			v = r == 0 ? t->cols[last - 1].header :
			    t->cells[(r - 1) * t->ncols + last - 1];
			if (v != NULL && *v != '\0')
				break;
		}
		for (c = 0; c < last; c++) {
			v = r == 0 ? t->cols[c].header :
			    t->cells[(r - 1) * t->ncols + c];
			if (v == NULL)
				v = "";
			put_safe(fp, v);
			if (c + 1 < last)
				for (n = safe_width(v); n < w[c] + 2; n++)
					fputc(' ', fp);
		}
		fputc('\n', fp);
	}
	free(w);
}

void
out_print(struct out_table *t, FILE *fp, enum out_style style)
{
	const char *v;
	size_t r, c;

	switch (style) {
	case OUT_TABLE:
		print_table(t, fp, t->ncols);
		break;
	case OUT_TAB:
		for (r = 0; r < t->nrows; r++) {
			for (c = 0; c < t->ncols; c++) {
				v = t->cells[r * t->ncols + c];
				if (c > 0)
					fputc('\t', fp);
				put_safe(fp, v != NULL ? v : "");
			}
			fputc('\n', fp);
		}
		break;
	case OUT_JSON:
		fputc('[', fp);
		for (r = 0; r < t->nrows; r++) {
			if (r > 0)
				fputc(',', fp);
			out_json_object(fp, t->cols,
			    (const char *const *)&t->cells[r * t->ncols],
			    t->ncols);
		}
		fputs("]\n", fp);
		break;
	}
}

/* An aligned table of only the first ncols columns. */
void
out_print_cols(struct out_table *t, FILE *fp, size_t ncols)
{
	print_table(t, fp, ncols < t->ncols ? ncols : t->ncols);
}

void
out_free(struct out_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
