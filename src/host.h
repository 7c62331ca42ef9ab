/*
 * Facts about the host (release, architecture, host name) and jailer's
 * own configuration on it (jailer_dir: the dataset and its mount point).
 */
#ifndef JAILER_HOST_H
#define JAILER_HOST_H

#include "jailer.h"
#include "validate.h"

#define	RC_CONF		"/etc/rc.conf"
#define	RC_CONF_LOCAL	"/etc/rc.conf.local"
#define	JAIL_CONF	"/etc/jail.conf"
#define	JAIL_CONF_D	"/etc/jail.conf.d"
#define	JAIL_LOG_DIR	"/var/log/jail"
#define	JAIL_CONF_INCLUDE ".include \"/etc/jail.conf.d/*.conf\";"
#define	DEFAULT_MOUNTPOINT "/usr/local/jails"
#define	DEFAULT_MIRROR	"https://download.FreeBSD.org/ftp"

struct host {
	char		release_str[64];	/* 14.3-RELEASE-p2 */
	struct release	release;
	char		arch[32];		/* amd64, arm64: uname -m */
	char		machine_arch[32];	/* amd64, aarch64: uname -p */
};

struct config {
	char		*dataset;		/* zroot/jails */
	char		*mountpoint;		/* /usr/local/jails */
	char		**children;		/* the datasets below it */
	char		**managed;		/* their jailer:managed */
	size_t		 nchildren;
};

int	host_get(struct jailer *, const struct host **);
int	host_rc_get(struct jailer *, const char *, char **);
struct undo;
int	host_rc_set(struct jailer *, struct undo *, const char *,
	    const char *);
int	config_read_dir(struct jailer *, char **);
int	config_get(struct jailer *, const struct config **);
void	config_parse_children(struct config *, const char *, char *, char **);
void	config_free_children(struct config *);
char	*config_path(const char *, ...) PRINTFLIKE(1, 2);
int	config_file_read(struct jailer *, const char *, char **);
int	config_file_write(struct jailer *, const char *, const char *);

#endif /* !JAILER_HOST_H */
