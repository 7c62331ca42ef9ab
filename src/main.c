/*
 * jailer: global options, the command table and the dispatcher.  Usage,
 * help and prefix matching all come from the tables.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "host.h"
#include "lock.h"
#include "validate.h"

static int	cmd_help(struct jailer *, int, char **);
static int	cmd_version(struct jailer *, int, char **);

static const struct cmd init_cmds[] = {
	{ "info", cmd_init_info, "[-j]", "report the state of the host", 0,
	    NULL, 0 },
	{ "bridge", cmd_init_bridge, "[-y] [-D [-j]] [-i bridge] [-a address/prefix]\n"
	    "\t[-a address6/prefix]", "create the bridge for VNET jails, now and at boot", CMD_LOCK,
	    NULL, 0 },
	{ "dhcp", cmd_init_dhcp, "[-y] [-D [-j]] [-i bridge]",
	    "serve DHCP on the bridge and allow it in VNET jails",
	    CMD_LOCK, NULL, 0 },
	{ "pf", cmd_init_pf, "[-y] [-D [-j]]",
	    "add jailer's anchors to pf.conf, enable pf and forwarding",
	    CMD_LOCK, NULL, 0 },
};

static const struct cmd nat_cmds[] = {
	{ "add", cmd_nat_add, "[-D [-j]] [-i interface] [-a address] jail",
	    "NAT the jail's address behind the host's", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
	{ "list", cmd_nat_list, "[-j] [jail]", "list the NAT rules",
	    CMD_INIT, NULL, 0 },
	{ "del", cmd_nat_del, "[-D [-j]] jail", "remove a jail's NAT rule",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
};

static const struct cmd rdr_cmds[] = {
	{ "add", cmd_rdr_add, "[-D [-j]] [-i interface] [-a address]\n"
	    "\t-p tcp | udp -r port[:port] [-d port] jail",
	    "redirect a port of the host to a jail", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
	{ "list", cmd_rdr_list, "[-j] [jail]", "list the redirections",
	    CMD_INIT, NULL, 0 },
	{ "del", cmd_rdr_del, "[-D [-j]] jail -n rule | -f",
	    "remove one or all (-f) of a jail's redirections",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
};

static const struct cmd image_cmds[] = {
	{ "fetch", cmd_image_fetch, "[-p] [-D [-j]] [release]",
	    "download, verify and install a release image",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "list", cmd_image_list, "[-j] [remote]",
	    "list the installed images, or those on the mirror",
	    CMD_INIT, NULL, 0 },
	{ "use", cmd_image_use, "[-j] | [-D [-j]] release",
	    "show or set the default image", CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "update", cmd_image_update, "[-D [-j]] [release]",
	    "install an image's newest patch level (a snapshot @pN)",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "destroy", cmd_image_destroy, "[-D [-j]] release",
	    "destroy an image no jail depends on", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
};

static const struct cmd network_cmds[] = {
	{ "use", cmd_network_use, "[-D] [-j] [inherit | new | eb]",
	    "show or set the default network type", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
};

static const struct cmd snap_cmds[] = {
	{ "list", cmd_snap_list, "[-j] [jail]", "list the jails' snapshots",
	    CMD_INIT, NULL, 0 },
	{ "destroy", cmd_snap_destroy, "[-D [-j]] jail@snapshot",
	    "destroy a snapshot of a jail", CMD_INIT | CMD_LOCK, NULL, 0 },
};

static const struct cmd limit_cmds[] = {
	{ "list", cmd_limit_list, "[-j] [jail]",
	    "list the jails' resource limits and their usage", CMD_INIT,
	    NULL, 0 },
	{ "del", cmd_limit_del, "[-D [-j]] jail resource | [-Da [-j]] jail",
	    "remove one or all (-a) of a jail's resource limits",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
};

static const struct cmd mount_cmds[] = {
	{ "list", cmd_mount_list, "[-j] [jail]",
	    "list the jails' nullfs mounts", CMD_INIT, NULL, 0 },
};

#define	CREATE_USAGE	"[-CDn] [-j] [-r release | -s jail@snapshot] " \
	"[-d domain]\n\t[-t inherit | new | eb] [-b interface] " \
	"[-a address | dhcp]\n\t[-a address6/prefix | slaac] " \
	"[-g gateway] [-g gateway6]\n\t[-m netmask] [-e resolver] " \
	"[-T file [-A arg=value ...]] [name]"

static const struct cmd commands[] = {
	{ "init", cmd_init, "[-y] [-D [-j]] [-z pool | -d pool/dataset] [-m mountpoint]",
	    "prepare the host for jailer", CMD_LOCK,
	    init_cmds, nitems(init_cmds) },
	{ "image", NULL, "", "manage release images", 0,
	    image_cmds, nitems(image_cmds) },
	{ "network", NULL, "", "default network settings", 0,
	    network_cmds, nitems(network_cmds) },
	{ "create", cmd_create, CREATE_USAGE, "create and start a jail",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "list", cmd_list, "[-H] [-j] [-l]", "list the jails", CMD_INIT, NULL,
	    0 },
	{ "info", cmd_info, "[-j] name", "show one jail", CMD_INIT, NULL, 0 },
	{ "start", cmd_start, "[-f] [-D [-j]] name ...", "start jails", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
	{ "stop", cmd_stop, "[-f] [-D [-j]] name ...", "stop jails", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
	{ "restart", cmd_restart, "[-f] [-D [-j]] name ...", "stop and start jails",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "startall", cmd_startall, "[-p n] [-D [-j]]", "start every stopped jail",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "stopall", cmd_stopall, "[-D [-j]]", "stop every running jail",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "console", cmd_console, "name", "open a login shell in a jail",
	    CMD_INIT, NULL, 0 },
	{ "exec", cmd_exec, "name command [argument ...]",
	    "run a command in a jail", CMD_INIT, NULL, 0 },
	{ "edit", cmd_edit, "name", "edit a jail's jail.conf file",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "destroy", cmd_destroy, "[-f] [-D [-j]] name ...",
	    "stop jails and remove everything they are made of",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "snap", cmd_snap, "[-D [-j]] jail[@snapshot]", "take a snapshot of a jail",
	    CMD_INIT | CMD_LOCK | CMD_NAMES, snap_cmds, nitems(snap_cmds) },
	{ "snapshot", cmd_snap, "[-D [-j]] jail[@snapshot]", "take a snapshot of a jail",
	    CMD_INIT | CMD_LOCK | CMD_NAMES | CMD_ALIAS, snap_cmds,
	    nitems(snap_cmds) },
	{ "rollback", cmd_rollback, "[-f] [-D [-j]] jail@snapshot",
	    "roll a jail back to a snapshot", CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "gc", cmd_gc, "[-y] [-D [-j]]",
	    "remove what interrupted commands left behind",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "nat", NULL, "", "NAT for jails through pf", 0, nat_cmds,
	    nitems(nat_cmds) },
	{ "rdr", NULL, "", "port redirection to jails through pf", 0,
	    rdr_cmds, nitems(rdr_cmds) },
	{ "set", cmd_set, "[-D [-j]] name param=value ... | [-D [-j]] name -u param ...",
	    "set or unset jail parameters", CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "get", cmd_get, "[-j] name [param ...]", "show jail parameters",
	    CMD_INIT, NULL, 0 },
	{ "limit", cmd_limit, "[-D [-j]] jail resource=amount[:action] ...",
	    "limit a jail's resources (rctl)",
	    CMD_INIT | CMD_LOCK | CMD_NAMES, limit_cmds, nitems(limit_cmds) },
	{ "cpuset", cmd_cpuset, "[-D [-j]] jail cpu-list | [-D [-j]] jail -u | [-j] jail",
	    "bind a jail to CPUs, or show its CPUs", CMD_INIT | CMD_LOCK,
	    NULL, 0 },
	{ "update", cmd_update, "[-D [-j]] name",
	    "install the newest patch level in a jail (snapshot first)",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "upgrade", cmd_upgrade, "[-D [-j]] name release",
	    "upgrade a jail to a newer release (snapshot first)",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "rename", cmd_rename, "[-D [-j]] name new-name",
	    "give a stopped jail a new name", CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "zfs", cmd_zfs,
	    "[-D [-j]] name attach | detach dataset | [-j] name",
	    "delegate ZFS datasets to a jail, or list them",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "export", cmd_export, "[-D [-j]] [-i snapshot] name [file | -]",
	    "write a jail (dataset, snapshots, conf) to one file",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "import", cmd_import, "[-D [-j]] file [name]",
	    "make a jail from an export file, or update it (incremental)",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "mount", cmd_mount, "[-D [-j]] jail host-path jail-path [ro | rw]",
	    "mount a host directory into a jail (nullfs, ro by default)",
	    CMD_INIT | CMD_LOCK | CMD_NAMES, mount_cmds, nitems(mount_cmds) },
	{ "umount", cmd_umount, "[-D [-j]] jail jail-path",
	    "remove a nullfs mount from a jail", CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "pkg", cmd_pkg, "name argument ...",
	    "run pkg(8) in a running jail (pkg -j)", CMD_INIT, NULL, 0 },
	{ "service", cmd_service, "name argument ...",
	    "run service(8) in a running jail (service -j)", CMD_INIT,
	    NULL, 0 },
	{ "sysrc", cmd_sysrc, "name argument ...",
	    "run sysrc(8) in a running jail (sysrc -j)", CMD_INIT, NULL, 0 },
	{ "cp", cmd_cp, "[-D [-j]] name host-path jail-path",
	    "copy a host file into a jail, following no symlink",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "apply", cmd_apply, "[-D [-j]] [-a arg=value ...] name file",
	    "apply a template to a jail (jailer-template(5))",
	    CMD_INIT | CMD_LOCK, NULL, 0 },
	{ "hook", cmd_hook, "start | stop name",
	    "load or flush a jail's pf rules (its conf file runs it)", 0,
	    NULL, 0 },
	{ "help", cmd_help, "[command [sub-command]]", "show help", 0,
	    NULL, 0 },
	{ "version", cmd_version, "[-j]", "show the version", 0, NULL, 0 },
};

/* Usage of the whole table, for jailer -h, help and a bad command. */
static void
print_commands(FILE *fp)
{
	fputs("usage: jailer [-v] command [argument ...]\n\n"
	    "commands:\n", fp);
	cmd_print_rows(fp, "  ", "", commands, nitems(commands));
}

/*
 * Find word in tab: an exact name, or the one name it is a prefix of.
 * Returns NULL after reporting an unknown or ambiguous word.
 */
static const struct cmd *
lookup(const char *prefix, const struct cmd *tab, size_t n, const char *word)
{
	const struct cmd *found;
	struct buf names;
	size_t i, matches;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, word) == 0)
			return (&tab[i]);
	found = NULL;
	matches = 0;
	buf_init(&names);
	for (i = 0; i < n && *word != '\0'; i++)
		if (str_has_prefix(tab[i].name, word)) {
			found = &tab[i];
			buf_addf(&names, "%s%s", matches++ ? ", " : "",
			    tab[i].name);
		}
	if (matches == 1) {
		buf_free(&names);
		return (found);
	}
	fflush(stdout);
	if (matches > 1)
		fprintf(stderr, "%s: ambiguous command '%s': %s\n", prefix,
		    vis(word), names.data);
	else
		fprintf(stderr, "%s: unknown command '%s'; run 'jailer help'\n",
		    prefix, vis(word));
	buf_free(&names);
	return (NULL);
}

/* Is word exactly one of the names in tab? */
static int
has_exact(const struct cmd *tab, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, word) == 0)
			return (1);
	return (0);
}

/*
 * Run argv[0] from tab.  "CMD -h" (and "GROUP help") prints the
 * command's help; a row with sub-verbs dispatches argv[1] one level down.
 */
int
cmd_dispatch(struct jailer *jp, const char *prefix, const struct cmd *tab,
    size_t n, int argc, char **argv)
{
	const struct cmd *c;
	char *sub;
	int rc;

	if ((c = lookup(prefix, tab, n, argv[0])) == NULL)
		return (2);
	sub = xasprintf("%s %s", prefix, c->name);
	/*
	 * "CMD -h" is the command's help.  "help" is the help only where a
	 * sub-command is expected (a group such as "nat"); where the command
	 * takes operands it is an operand, and "help" is no valid one.
	 */
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    (c->fn == NULL && strcmp(argv[1], "help") == 0))) {
		cmd_print_usage(stdout, prefix, c, 1);
		printf("\n%s\n", c->desc);
		free(sub);
		return (0);
	}
	if (c->sub != NULL && argc > 1 && argv[1][0] != '-' &&
	    (!(c->flags & CMD_NAMES) || has_exact(c->sub, c->nsub, argv[1]))) {
		rc = cmd_dispatch(jp, sub, c->sub, c->nsub, argc - 1,
		    argv + 1);
		free(sub);
		return (rc);
	}
	cmd_cur_prefix = sub;
	cmd_cur = c;
	if (c->fn == NULL) {
		rc = cmd_usage_error("missing sub-command");
		goto out;
	}
	if ((c->flags & CMD_INIT) && config_get(jp, NULL) == -1) {
		rc = cmd_fail(jp, NULL);
		goto out;
	}
	if ((c->flags & CMD_LOCK) && lock_acquire(jp) == -1) {
		rc = cmd_fail(jp, NULL);
		goto out;
	}
	rc = c->fn(jp, argc, argv);
	lock_release();
out:
	cmd_cur_prefix = "jailer";
	cmd_cur = NULL;
	free(sub);
	return (rc);
}

/* jailer help [command [sub-command]] */
static int
cmd_help(struct jailer *jp, int argc, char **argv)
{
	const struct cmd *tab, *c;
	size_t n;
	char *prefix, *p;
	int i;

	(void)jp;
	if (argc < 2) {
		print_commands(stdout);
		return (0);
	}
	tab = commands;
	n = nitems(commands);
	prefix = xstrdup("jailer");
	c = NULL;
	for (i = 1; i < argc && tab != NULL; i++) {
		if ((c = lookup(prefix, tab, n, argv[i])) == NULL) {
			free(prefix);
			return (2);
		}
		if (i + 1 < argc && c->sub != NULL) {
			p = xasprintf("%s %s", prefix, c->name);
			free(prefix);
			prefix = p;
			tab = c->sub;
			n = c->nsub;
		} else if (i + 1 < argc) {
			free(prefix);
			return (cmd_usage_error("%s has no sub-commands",
			    c->name));
		}
	}
	cmd_print_usage(stdout, prefix, c, 1);
	printf("\n%s\n", c->desc);
	free(prefix);
	return (0);
}

static int
cmd_version(struct jailer *jp, int argc, char **argv)
{
	int c, json;
	const struct cmd_optspec spec[] = { { 'j', &json, NULL, 0 },
	    { '\0', NULL, NULL, 0 } };

	(void)jp;
	json = 0;
	if ((c = cmd_parse(&argc, &argv, spec, 0, 0,
	    "no arguments expected")) != 0)
		return (c);
	if (json)
		printf("{\"version\":\"%s\"}\n", JAILER_VERSION);
	else
		printf("jailer %s\n", JAILER_VERSION);
	return (0);
}

/*
 * The system directories are appended to PATH, never prepended: the
 * caller's PATH decides which tools run.
 */
static void
path_init(void)
{
	static const char *const dirs[] = { "/sbin", "/bin", "/usr/sbin",
	    "/usr/bin", "/usr/local/sbin", "/usr/local/bin" };
	struct buf b, probe;
	const char *path;
	size_t i;

	path = getenv("PATH");
	buf_init(&b);
	buf_adds(&b, path != NULL ? path : "");
	buf_init(&probe);
	for (i = 0; i < nitems(dirs); i++) {
		buf_reset(&probe);
		buf_addf(&probe, ":%s:", dirs[i]);
		char *wrapped = xasprintf(":%s:", b.data);
		if (strstr(wrapped, probe.data) == NULL)
			buf_addf(&b, "%s%s", b.len > 0 ? ":" : "", dirs[i]);
		free(wrapped);
	}
	setenv("PATH", b.data, 1);
	buf_free(&b);
	buf_free(&probe);
}

static void
usage(void)
{
	print_commands(stderr);
}

int
main(int argc, char **argv)
{
	struct jailer j;
	struct opt o;
	int c;

	memset(&j, 0, sizeof(j));
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	path_init();
	opt_init(&o);
	while ((c = opt_get(&o, argc, argv, "hv")) != -1) {
		switch (c) {
		case 'h':
			print_commands(stdout);
			return (0);
		case 'v':
			j.verbose = 1;
			break;
		default: {
			char letter[2] = { (char)o.bad, '\0' };

			if (c == ':')
				fprintf(stderr, "jailer: option -%s needs an "
				    "argument\n", vis(letter));
			else
				fprintf(stderr, "jailer: unknown option -%s\n",
				    vis(letter));
		}
			usage();
			return (2);
		}
	}
	argc -= o.ind;
	argv += o.ind;
	if (argc == 0) {
		usage();
		return (2);
	}
	if (host_root_init(&j) == -1)
		return (cmd_fail(&j, NULL));
	return (cmd_dispatch(&j, "jailer", commands, nitems(commands), argc,
	    argv));
}
