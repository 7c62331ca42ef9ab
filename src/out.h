/*
 * One output path for people and programs: an aligned table, the same
 * rows tab-separated without a header (-H), or JSON (-j).
 */
#ifndef JAILER_OUT_H
#define JAILER_OUT_H

#include <stdio.h>

enum out_style {
	OUT_TABLE,	/* header and columns aligned with two spaces */
	OUT_TAB,	/* no header, one tab between fields */
	OUT_JSON	/* an array of objects */
};

struct out_col {
	const char	*header;	/* "IPv4" */
	const char	*key;		/* "ipv4" */
};

struct out_table;

struct out_table *out_new(const struct out_col *, size_t);
void	out_row(struct out_table *, const char *const *);
void	out_print(struct out_table *, FILE *, enum out_style);
void	out_print_cols(struct out_table *, FILE *, size_t);
void	out_free(struct out_table *);
void	out_json_object(FILE *, const struct out_col *, const char *const *,
	    size_t);

#endif /* !JAILER_OUT_H */
