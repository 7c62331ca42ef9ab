/*
 * Jail parameters a jail's conf file may set through jailer set/get, and
 * the boot order: boot=off and rc.conf's jail_list (param.c, bootorder.c).
 */
#ifndef JAILER_PARAM_H
#define JAILER_PARAM_H

#include <stddef.h>

#include "confedit.h"
#include "jail.h"
#include "jailer.h"

struct undo;

/* What a set changed: the parameters that wait for the next start. */
struct param_done {
	int	  running;	/* the jail runs: jail -m was run */
	char	**later;	/* not applied to the running jail */
	size_t	  nlater;
	struct buf *diff;	/* -D: the conf file change */
};

/* One parameter as get shows it. */
struct param_row {
	const char	*name;
	char		*value;		/* NULL: not set */
};

struct preq;

/* A checked set, ready to apply. */
struct param_change {
	struct jails	 js;
	struct jail	*j;
	struct confedit	 e;
	struct preq	*v;
	size_t		 n;
	int		 loaded, opened;
	struct param_done done;
};

int	param_prepare(struct jailer *, const char *, char **, size_t, int,
	    struct param_change *);
int	param_apply(struct jailer *, struct param_change *);
void	param_change_free(struct param_change *);
void	param_done_free(struct param_done *);
int	param_get(struct jailer *, const char *, char **, size_t,
	    struct param_row **, size_t *);
void	param_rows_free(struct param_row *, size_t);

/* rc.conf's jail_list, when jailer manages it (some jail is boot=off). */
int	param_bootlist_sync(struct jailer *, struct undo *);
int	param_bootlist_drop(struct jailer *, struct undo *, const char *);

/* The jails to start for name, dependencies first (name last). */
int	param_start_order(struct jailer *, struct jails *, const char *,
	    char ***, size_t *);
size_t	param_startall_todo(struct jails *, struct jail **);
const struct conf_param *param_depends(const struct jail *);
const char *param_dependent(struct jails *, const char *);

#endif /* !JAILER_PARAM_H */
