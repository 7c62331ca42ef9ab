/*
 * The jail model: every jail jailer knows (its conf file) and every
 * running jail, loaded with one directory scan and one jls(8) call.
 */
#ifndef JAILER_JAIL_H
#define JAILER_JAIL_H

#include "conf.h"
#include "jailer.h"

struct jail {
	char		*name;
	int		 has_conf;	/* /etc/jail.conf.d/NAME.conf exists */
	char		*conf_err;	/* why the conf file does not parse */
	struct conf_file conf;		/* its one block, parsed, when it does */
	int		 has_hooks;	/* the conf file runs jailer hook */
	int		 id;		/* $id, or -1 */
	enum nettype	 type;
	char		*path;		/* the root, as the host sees it */
	char		*iface;		/* $bridge: new: interface, eb: bridge */
	char		*ip4;		/* new: ip4.addr from the conf */
	char		*mac;		/* eb: $mac, the MAC jailer gave it */
	char		*eb_ip4;	/* eb: $ip4 "A/P", its static address */
	char		*eb_gw;		/* eb: $gateway */
	char		*lease_ip4;	/* eb, DHCP: "A/P" of dhcpd's binding */
	char		*lease_gw;	/* eb, DHCP: the router dhcpd gives */
	int		 running;
	char		*jid;
	char		*hostname;	/* host.hostname from the conf file */
	char		*run_ip4;	/* running: ip4.addr */
	int		 run_vnet;
	char		*run_path;
};

struct jails {
	struct jail	*v;
	size_t		 n;
};

#define	JAILS_CONF	0x01	/* read the conf files */
#define	JAILS_RUNNING	0x02	/* ask jls(8) which jails run */

int	jails_load(struct jailer *, struct jails *, int);
struct jail *jails_find(struct jails *, const char *);
void	jails_free(struct jails *);
int	jail_load_conf(struct jailer *, struct jail *);
int	jail_load_one(struct jailer *, struct jails *, const char *);
int	jail_conf_read(struct jailer *, const char *, struct conf_file *);
char	*jail_conf_path(const char *);
int	jails_next_id(const struct jails *, const char *);
int	jail_net(struct jailer *, const struct jail *, char **, char **);
void	jail_leases_reload(struct jailer *, struct jail *);
int	jail_net_claimed(struct jailer *, const struct jail *, char **,
	    char **);
char	*inet_words(char *);
int	lease_parse(char *, char **, char **);

#endif /* !JAILER_JAIL_H */
