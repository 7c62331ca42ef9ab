/*
 * The NAT and redirection rules of jails, as nat add | list | del and
 * rdr add | list | del change and show them (pf.c keeps and loads them).
 */
#ifndef JAILER_RULES_H
#define JAILER_RULES_H

#include "jail.h"
#include "jailer.h"
#include "out.h"
#include "pf.h"

/* What nat add and rdr add were given; NULL for "not given". */
struct rule_opts {
	const char	*ifname;	/* -i */
	const char	*addr;		/* -a */
	const char	*proto;		/* -p */
	const char	*ports;		/* -r */
	const char	*dport;		/* -d */
};

/* A jail's rules as they will be, worked out before they change. */
struct rule_change {
	struct jails	 js;
	struct jail	*j;		/* the jail, or none */
	struct jail	 none;		/* del: a jail jailer no longer has */
	struct pf_rules	 rs;		/* all of its rules, changed */
	char		 ifname[16];	/* add: the interface of the rule */
	const char	*who;		/* what an error is about, or NULL */
};

int	rules_nat_add(struct jailer *, const struct rule_opts *, const char *,
	    struct rule_change *);
int	rules_rdr_add(struct jailer *, const struct rule_opts *, const char *,
	    struct rule_change *);
int	rules_del(struct jailer *, const char *, char, int,
	    struct rule_change *);
int	rules_apply(struct jailer *, struct rule_change *);
void	rules_plan(struct jailer *, const struct rule_change *);
void	rules_change_free(struct rule_change *);
int	rules_table(struct jailer *, const char *, char, struct out_table **);

#endif /* !JAILER_RULES_H */
