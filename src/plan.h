/*
 * Dry-run plans (-D) for people and for programs (-D -j).  A command's
 * dry run reports each change through plan_item() and each program it
 * would run through exec.c: printed at once as the text of the plan,
 * or, when the command was given -j, kept and printed at the end as one
 * JSON object (plan_print_json()).
 */
#ifndef JAILER_PLAN_H
#define JAILER_PLAN_H

#include <stdio.h>

#include "jailer.h"

struct plan_item {
	char	 *action;	/* "create", "change", "remove", "run", ... */
	char	 *object;	/* "dataset", "file", "jail", ... */
	char	 *name;		/* what it acts on */
	char	 *before;	/* the value now, or NULL */
	char	 *after;	/* the value it gets, or NULL */
	char	 *text;		/* the line of the text plan */
	char	**argv;		/* a program it would run, or NULL */
};

struct plan {
	char		 *command;	/* "destroy", "zfs attach", ... */
	struct plan_item *v;
	size_t		  n;
};

struct plan	*plan_new(const char *);
void	 plan_free(struct plan *);
void	 plan_item(struct jailer *, struct buf *, const char *, const char *,
	    const char *, const char *, const char *, const char *, ...)
	    PRINTFLIKE(8, 9);
void	 plan_flat(struct jailer *, const char *, const char *, const char *,
	    const char *, const char *, const char *, ...) PRINTFLIKE(7, 8);
void	 plan_file(struct jailer *, struct buf *, const char *, const char *,
	    const char *);
void	 plan_title(struct jailer *, const char *, ...) PRINTFLIKE(2, 3);
void	 plan_run(struct jailer *, const char *const *, const char *const *);
void	 plan_print_json(const struct plan *, FILE *);

#endif /* !JAILER_PLAN_H */
