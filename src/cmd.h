/*
 * The command layer: one table row per command, sub-verbs in tables of
 * their own, and the helpers every command uses to talk to people.
 */
#ifndef JAILER_CMD_H
#define JAILER_CMD_H

#include <stdio.h>

#include "jailer.h"

struct cmd {
	const char	*name;
	int		(*fn)(struct jailer *, int, char **);
	const char	*usage;		/* operands after the name */
	const char	*desc;		/* one line for help */
	unsigned	 flags;
#define	CMD_INIT	0x01		/* needs an initialised host */
#define	CMD_LOCK	0x02		/* holds the state lock */
#define	CMD_ALIAS	0x04		/* not shown in the usage text */
#define	CMD_NAMES	0x08		/* operands are names: sub-verbs
					   only match exactly */
	const struct cmd *sub;		/* sub-verbs, or NULL */
	size_t		 nsub;
};

/* Options: a small POSIX getopt that stops at the first operand. */
struct opt {
	int	 ind;		/* next argv index */
	int	 pos;		/* position inside a cluster like -yv */
	char	*arg;		/* the option's argument */
	int	 bad;		/* the unknown or incomplete option */
};

void	 opt_init(struct opt *);
int	 opt_get(struct opt *, int, char **, const char *);

/*
 * A command's options as a table, ended by a zero letter: a letter with
 * arg takes an argument (*arg points at it), one without sets *flag to
 * val, or to 1 when val is 0.
 */
struct cmd_optspec {
	char		  letter;
	int		 *flag;
	const char	**arg;
	int		  val;
};

int	 cmd_getopts(int, char **, const struct cmd_optspec *, int *);
int	 cmd_no_operands(int, char **, int);
int	 cmd_parse(int *, char ***, const struct cmd_optspec *, int, int,
	    const char *);
int	 cmd_plan_open(struct jailer *, int, int, const char *);
int	 cmd_plan_close(struct jailer *, int);
int	 cmd_json_jail(struct jailer *, int, char **, int *, const char **);

int	 cmd_dispatch(struct jailer *, const char *, const struct cmd *,
	    size_t, int, char **);
int	 cmd_usage_error(const char *, ...) PRINTFLIKE(1, 2);
int	 cmd_bad_option(struct opt *, int);
int	 cmd_fail(struct jailer *, const char *);
void	 cmd_print_usage(FILE *, const char *, const struct cmd *, size_t);
void	 cmd_print_rows(FILE *, const char *, const char *, const struct cmd *,
	    size_t);

/* The command being run, for usage errors (set by cmd_dispatch()). */
extern const char	*cmd_cur_prefix;
extern const struct cmd	*cmd_cur;

/* People: progress lines, prompts, colour. */
void	 ui_begin(const char *, ...) PRINTFLIKE(1, 2);
void	 ui_end(int);
int	 ui_confirm(void);
int	 ui_tty(void);
const char *ui_color(const char *);

/* The command families. */
int	 cmd_init(struct jailer *, int, char **);
int	 cmd_init_info(struct jailer *, int, char **);
int	 cmd_image_fetch(struct jailer *, int, char **);
int	 cmd_image_list(struct jailer *, int, char **);
int	 cmd_image_use(struct jailer *, int, char **);
int	 cmd_network_use(struct jailer *, int, char **);
int	 cmd_create(struct jailer *, int, char **);
int	 cmd_destroy(struct jailer *, int, char **);
int	 cmd_list(struct jailer *, int, char **);
int	 cmd_info(struct jailer *, int, char **);
int	 cmd_start(struct jailer *, int, char **);
int	 cmd_stop(struct jailer *, int, char **);
int	 cmd_restart(struct jailer *, int, char **);
int	 cmd_startall(struct jailer *, int, char **);
int	 cmd_stopall(struct jailer *, int, char **);
int	 cmd_console(struct jailer *, int, char **);
int	 cmd_hook(struct jailer *, int, char **);
int	 cmd_exec(struct jailer *, int, char **);
int	 cmd_edit(struct jailer *, int, char **);
int	 cmd_snap(struct jailer *, int, char **);
int	 cmd_snap_list(struct jailer *, int, char **);
int	 cmd_snap_destroy(struct jailer *, int, char **);
int	 cmd_rollback(struct jailer *, int, char **);
int	 cmd_init_bridge(struct jailer *, int, char **);
int	 cmd_init_dhcp(struct jailer *, int, char **);
int	 cmd_init_pf(struct jailer *, int, char **);
int	 cmd_nat_add(struct jailer *, int, char **);
int	 cmd_nat_list(struct jailer *, int, char **);
int	 cmd_nat_del(struct jailer *, int, char **);
int	 cmd_rdr_add(struct jailer *, int, char **);
int	 cmd_rdr_list(struct jailer *, int, char **);
int	 cmd_rdr_del(struct jailer *, int, char **);
int	 cmd_gc(struct jailer *, int, char **);
/* cmd_param.c: set, get */
int	 cmd_set(struct jailer *, int, char **);
int	 cmd_get(struct jailer *, int, char **);
/* cmd_limit.c: limit, cpuset */
int	 cmd_limit(struct jailer *, int, char **);
int	 cmd_limit_list(struct jailer *, int, char **);
int	 cmd_limit_del(struct jailer *, int, char **);
int	 cmd_cpuset(struct jailer *, int, char **);
/* cmd_mount.c: mount, umount */
int	 cmd_mount(struct jailer *, int, char **);
int	 cmd_mount_list(struct jailer *, int, char **);
int	 cmd_umount(struct jailer *, int, char **);
/* cmd_rename.c: rename, zfs */
int	 cmd_rename(struct jailer *, int, char **);
int	 cmd_zfs(struct jailer *, int, char **);

/* cmd_update.c: image update, image destroy, update, upgrade */
int	 cmd_image_update(struct jailer *, int, char **);
int	 cmd_image_destroy(struct jailer *, int, char **);
int	 cmd_update(struct jailer *, int, char **);
int	 cmd_upgrade(struct jailer *, int, char **);
/* cmd_inside.c: pkg, service, sysrc, cp, apply */
int	 cmd_pkg(struct jailer *, int, char **);
int	 cmd_service(struct jailer *, int, char **);
int	 cmd_sysrc(struct jailer *, int, char **);
int	 cmd_cp(struct jailer *, int, char **);
int	 cmd_apply(struct jailer *, int, char **);
int	 cmd_tmpl_sets(int, char **, const char *, int, char ***, size_t *);
struct tmpl;
struct tmpl *cmd_create_tmpl(struct jailer *, int, char **, const char *,
	    const char *, const char *, int *);
int	 cmd_create_apply(struct jailer *, struct tmpl *, const char *, int,
	    struct buf *);
/* cmd_export.c: export, import */
int	 cmd_export(struct jailer *, int, char **);
int	 cmd_import(struct jailer *, int, char **);

#endif /* !JAILER_CMD_H */
