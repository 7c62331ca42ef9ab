/*
 * Changing a jail's own conf file in place (confedit.c).
 */
#ifndef JAILER_CONFEDIT_H
#define JAILER_CONFEDIT_H

#include <sys/types.h>

#include "conf.h"
#include "jailer.h"

struct confedit_ins;
struct undo;

struct confedit {
	char			*name;	/* the jail */
	char			*path;	/* /etc/jail.conf.d/NAME.conf */
	char			*text;	/* the file as read */
	mode_t			 mode;
	struct conf_stmts	 st;	/* its statements, as written */
	char			*drop;	/* st.n flags: removed */
	struct confedit_ins	*ins;	/* new statements */
	size_t			 nins;
};

int	confedit_open(struct jailer *, const char *, struct confedit *);
void	confedit_free(struct confedit *);
size_t	confedit_del(struct confedit *, const char *);
size_t	confedit_del_match(struct confedit *, const char *,
	    int (*)(const struct conf_stmt *, void *), void *, size_t *);
void	confedit_set(struct confedit *, const char *, const char *const *,
	    size_t);
void	confedit_append(struct confedit *, const char *, const char *);
char	*confedit_text(const struct confedit *);
int	confedit_changed(const struct confedit *);
void	confedit_diff(const struct confedit *, struct buf *);
void	confedit_plan(struct jailer *, const struct confedit *, struct buf *);
int	confedit_commit(struct jailer *, struct undo *, struct confedit *);

#endif /* !JAILER_CONFEDIT_H */
