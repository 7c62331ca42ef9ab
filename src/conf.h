/*
 * jail.conf(5): the one grammar, rendered and parsed here.
 */
#ifndef JAILER_CONF_H
#define JAILER_CONF_H

#include "jailer.h"

/* A parameter or $variable of a jail, with its list of values. */
struct conf_param {
	char	 *name;		/* "path", "exec.start", "$id" */
	char	**vals;		/* expanded values; none for a bare flag */
	size_t	  nvals;
};

struct conf_jail {
	char			*name;
	struct conf_param	*params;
	size_t			 nparams;
};

struct conf_file {
	struct conf_jail	*jails;
	size_t			 njails;
	size_t			 nglobals;	/* statements outside blocks */
};

/* One statement as written, for editing a file in place (confedit.c). */
struct conf_stmt {
	char	 *jail;		/* its block; NULL or "*" outside one */
	char	 *name;
	char	**vals;		/* unexpanded, escapes decoded */
	size_t	  nvals;
	int	  append;	/* += */
	size_t	  start, end;	/* its bytes: the name through the ';' */
};

struct conf_stmts {
	struct conf_stmt	*v;
	size_t			 n;
	size_t			 close;	/* the last block's '}' */
};

enum nettype { NET_INHERIT, NET_NEW, NET_EB };

/* Everything jailer writes into a jail's conf file. */
struct jail_spec {
	const char	*name;
	int		 id;
	const char	*domain;
	const char	*path;		/* the jail's root, as the host sees it */
	enum nettype	 type;
	const char	*iface;		/* new: host interface; eb: bridge */
	const char	*ip4;		/* new: the address; eb: "A/P" or NULL */
	const char	*gateway;	/* eb with a static address */
	const char	*mac;		/* eb: the jail's MAC */
	const char	*ip6;		/* "A/P", eb also "slaac"; or NULL */
	const char	*gateway6;	/* eb with a static IPv6 address */
	int		 devfs_ruleset;
};

/* The installed jailer, which the jails' conf files call from hooks. */
#ifndef JAILER_BIN
#define	JAILER_BIN	"/usr/local/sbin/jailer"
#endif

char	*conf_render(const struct jail_spec *);
void	 conf_hooks_render(struct buf *);
void	 conf_put(struct buf *, const char *, const char *, const char *);
void	 conf_put_tmpl(struct buf *, const char *, const char *,
	    const char *);
int	 conf_has_hooks(const struct conf_jail *);
int	 conf_parse(struct jailer *, const char *, const char *,
	    struct conf_file *);
void	 conf_free(struct conf_file *);
int	 conf_statements(struct jailer *, const char *, const char *,
	    struct conf_stmts *);
void	 conf_stmts_free(struct conf_stmts *);
const struct conf_param *conf_param(const struct conf_jail *, const char *);
const char *conf_value(const struct conf_jail *, const char *);
int	 conf_flag(const struct conf_jail *, const char *);
void	 conf_quote(struct buf *, const char *);
const char *nettype_name(enum nettype);
int	 nettype_parse(const char *, enum nettype *);

#endif /* !JAILER_CONF_H */
