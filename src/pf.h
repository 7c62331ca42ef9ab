/*
 * NAT and port redirection through pf(4) anchors.  Each jail's rules are
 * kept in a file jailer owns and loaded into the anchor jailer/NAME; the
 * user's /etc/pf.conf only holds the three anchor lines.
 */
#ifndef JAILER_PF_H
#define JAILER_PF_H

#include "jail.h"
#include "jailer.h"

#define	PF_CONF		"/etc/pf.conf"
#define	PF_RULES_DIR	"/usr/local/etc/jailer/pf"

struct pf_rule {
	char	kind;		/* 'n' nat, 'r' rdr */
	int	num;		/* rdr: the rule's number, from 1 */
	char	ifname[16];
	char	addr[46];	/* external address, "" for the interface's;
				   IPv6 (rdr only): an inet6 rule */
	char	proto[4];	/* rdr: tcp or udp */
	int	port1, port2;	/* rdr: external ports (port2 == port1) */
	int	dport;		/* rdr: the jail's port (the first of a range) */
};

struct pf_rules {
	struct pf_rule	*v;
	size_t		 n;
};

int	pf_rules_read(struct jailer *, const char *, struct pf_rules *);
int	pf_rule_jails(struct jailer *, char ***, size_t *);
int	pf_rules_parse(struct jailer *, char *, const char *,
	    struct pf_rules *);
int	pf_rules_write(struct jailer *, const char *, const struct pf_rules *);
void	pf_rules_text(const char *, const struct pf_rules *, struct buf *);
void	pf_rules_free(struct pf_rules *);
void	pf_render(const struct pf_rules *, const char *, const char *,
	    struct buf *);
int	pf_jail_addr(struct jailer *, const struct jail *, char [16]);
int	pf_jail_load(struct jailer *, const struct jail *);
int	pf_jail_flush(struct jailer *, const char *);
int	pf_ready(struct jailer *);
int	pf_default_if(struct jailer *, char [16]);
int	pf_parse_ports(struct jailer *, const char *, int *, int *);
int	pf_conf_has_anchors(const char *, int *, int *, int *);

/* What pf holds of a jail's rules of one kind (rdr list, nat list). */
enum pf_loaded { PF_LOADED_NO, PF_LOADED_YES, PF_LOADED_STALE,
	PF_LOADED_UNKNOWN };

int	pf_loaded_anchors(struct jailer *, struct buf *);
int	pf_anchor_listed(const char *, const char *);
int	pf_jail_loaded(struct jailer *, const char *,
	    const struct pf_rules *, const char *, const char *,
	    enum pf_loaded [2]);
const char *pf_loaded_word(enum pf_loaded);

#endif /* !JAILER_PF_H */
