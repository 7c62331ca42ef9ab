/*
 * Validators.  Everything is a whitelist: a value is accepted only when
 * every character and the overall shape are known to be safe for ZFS
 * names, jail.conf(5), ifconfig(8) and file paths.
 *
 * Depends on: util.c, err.c, vis.c (one way: none of them uses
 * validate.c).
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

/* Names jailer uses for itself, never jail names. */
static const char *const reserved_names[] = {
	"all", "default", "dist-files", "help", "image", "none", "remote",
};

/* Directories a jailer mount point must never cover. */
static const char *const system_dirs[] = {
	"/bin", "/boot", "/compat", "/dev", "/etc", "/lib", "/libexec",
	"/media", "/mnt", "/net", "/proc", "/rescue", "/root", "/sbin",
	"/sys", "/tmp", "/usr", "/usr/bin", "/usr/include", "/usr/lib",
	"/usr/lib32", "/usr/libexec", "/usr/local", "/usr/local/bin",
	"/usr/local/etc", "/usr/local/lib", "/usr/local/sbin", "/usr/sbin",
	"/usr/share", "/usr/src", "/var", "/var/db", "/var/log", "/var/run",
	"/var/tmp", "/home", "/usr/home", "/usr/ports", "/usr/obj",
	"/var/cache", "/var/mail",
};

/* Directories nothing of jailer's may be mounted below. */
static const char *const system_trees[] = {
	"/dev/", "/proc/", "/boot/", "/etc/", "/bin/", "/sbin/", "/lib/",
	"/libexec/", "/rescue/", "/root/", "/usr/bin/", "/usr/sbin/",
	"/usr/lib/", "/usr/libexec/", "/usr/include/", "/usr/share/",
	"/usr/local/etc/", "/usr/local/bin/", "/usr/local/sbin/",
	"/usr/local/lib/", "/var/db/", "/var/run/",
};

static int
all_in(const char *s, const char *set)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr(set, *s) == NULL)
			return (0);
	return (1);
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return (0);
	return (1);
}

int
valid_jail_name(struct jailer *jp, const char *s)
{
	size_t i, n;

	n = strlen(s);
	if (n == 0)
		return (jailer_seterr(jp, "invalid jail name: empty"));
	if (n > JAIL_NAME_MAX)
		return (jailer_seterr(jp, "invalid jail name '%s': longer "
		    "than %d characters", vis(s), JAIL_NAME_MAX));
	if (!all_in(s, "_-"))
		return (jailer_seterr(jp, "invalid jail name '%s': use only "
		    "letters, digits, '_' and '-'", vis(s)));
	if (s[0] == '-')
		return (jailer_seterr(jp, "invalid jail name '%s': must not "
		    "start with '-'", vis(s)));
	if (all_digits(s))
		return (jailer_seterr(jp, "invalid jail name '%s': a number "
		    "would be taken for a jail ID", vis(s)));
	for (i = 0; i < nitems(reserved_names); i++)
		if (strcmp(s, reserved_names[i]) == 0)
			return (jailer_seterr(jp, "invalid jail name '%s': "
			    "reserved", s));
	return (0);
}

/* Parse a non-negative decimal of at most 4 digits; -1 if there is none. */
static int
small_number(const char **sp)
{
	const char *s;
	int n, digits;

	s = *sp;
	for (n = 0, digits = 0; isdigit((unsigned char)*s); s++, digits++) {
		if (digits == 4)
			return (-1);
		n = n * 10 + (*s - '0');
	}
	if (digits == 0)
		return (-1);
	*sp = s;
	return (n);
}

/*
 * Parse any FreeBSD version string, including the host's (patch levels,
 * -STABLE, -CURRENT).  Returns 0 or -1.
 */
int
release_parse(const char *s, struct release *r)
{
	static const struct {
		const char	*word;
		enum rel_kind	 kind;
		int		 numbered;
	} kinds[] = {
		{ "RELEASE", REL_RELEASE, 0 }, { "RC", REL_RC, 1 },
		{ "BETA", REL_BETA, 1 }, { "ALPHA", REL_ALPHA, 1 },
		{ "STABLE", REL_STABLE, 0 }, { "CURRENT", REL_CURRENT, 0 },
		{ "PRERELEASE", REL_PRERELEASE, 0 },
	};
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if ((r->major = small_number(&s)) <= 0 || *s++ != '.')
		return (-1);
	if ((r->minor = small_number(&s)) < 0 || *s++ != '-')
		return (-1);
	for (i = 0; i < nitems(kinds); i++) {
		n = strlen(kinds[i].word);
		if (strncmp(s, kinds[i].word, n) == 0)
			break;
	}
	if (i == nitems(kinds))
		return (-1);
	s += n;
	r->kind = kinds[i].kind;
	if (kinds[i].numbered && (r->n = small_number(&s)) <= 0)
		return (-1);
	if (strncmp(s, "-p", 2) == 0) {
		s += 2;
		if ((r->patch = small_number(&s)) <= 0)
			return (-1);
	}
	return (*s == '\0' ? 0 : -1);
}

/* Order versions: 14.3-RC1 < 14.3-RELEASE < 14.3-RELEASE-p1 < 15.0-... */
int
release_cmp(const struct release *a, const struct release *b)
{
	if (a->major != b->major)
		return (a->major < b->major ? -1 : 1);
	if (a->minor != b->minor)
		return (a->minor < b->minor ? -1 : 1);
	if (a->kind != b->kind)
		return (a->kind < b->kind ? -1 : 1);
	if (a->n != b->n)
		return (a->n < b->n ? -1 : 1);
	if (a->patch != b->patch)
		return (a->patch < b->patch ? -1 : 1);
	return (0);
}

/* The image name of a release, without any patch level. */
void
release_name(const struct release *r, char *buf, size_t len)
{
	static const char *const words[] = {
		[REL_CURRENT] = "CURRENT", [REL_PRERELEASE] = "PRERELEASE",
		[REL_ALPHA] = "ALPHA",
		[REL_BETA] = "BETA", [REL_RC] = "RC",
		[REL_RELEASE] = "RELEASE", [REL_STABLE] = "STABLE",
	};

	if (r->n > 0)
		snprintf(buf, len, "%d.%d-%s%d", r->major, r->minor,
		    words[r->kind], r->n);
	else
		snprintf(buf, len, "%d.%d-%s", r->major, r->minor,
		    words[r->kind]);
}

/*
 * An image that can be fetched: X.Y-RELEASE, -RCn, -BETAn or -ALPHAn,
 * written exactly as on the mirror (no patch level).
 */
int
valid_image_release(struct jailer *jp, const char *s, struct release *r)
{
	struct release tmp;
	char canon[64];

	if (r == NULL)
		r = &tmp;
	if (strlen(s) > 32 || release_parse(s, r) == -1)
		return (jailer_seterr(jp, "invalid release '%s': expected "
		    "a version like 14.3-RELEASE or 15.0-RC1", vis(s)));
	if (r->kind == REL_STABLE || r->kind == REL_CURRENT ||
	    r->kind == REL_PRERELEASE)
		return (jailer_seterr(jp, "%s: -STABLE, -PRERELEASE and "
		    "-CURRENT have no release images; use an X.Y-RELEASE", s));
	release_name(r, canon, sizeof(canon));
	if (r->patch != 0 || strcmp(canon, s) != 0)
		return (jailer_seterr(jp, "invalid release '%s': write it "
		    "as %s", vis(s), canon));
	return (0);
}

int
valid_ifname(struct jailer *jp, const char *s)
{
	size_t n;

	n = strlen(s);
	if (n == 0)
		return (jailer_seterr(jp, "invalid interface name: empty"));
	if (n > IFNAME_MAX)
		return (jailer_seterr(jp, "invalid interface name '%s': "
		    "longer than %d characters", vis(s), IFNAME_MAX));
	if (!isalpha((unsigned char)s[0]) || !all_in(s, "_."))
		return (jailer_seterr(jp, "invalid interface name '%s'",
		    vis(s)));
	return (0);
}

/* A ZFS file system name: pool/a/b, components of [A-Za-z0-9_.:-]. */
int
valid_dataset(struct jailer *jp, const char *s)
{
	const char *c, *e, *p;

	if (*s == '\0')
		return (jailer_seterr(jp, "invalid dataset name: empty"));
	if (strlen(s) > 200)
		return (jailer_seterr(jp, "invalid dataset name '%s': too "
		    "long", vis(s)));
	if (!isalpha((unsigned char)s[0]))
		return (jailer_seterr(jp, "invalid dataset name '%s': must "
		    "start with a letter", vis(s)));
	for (c = s;; c = e + 1) {
		if ((e = strchr(c, '/')) == NULL)
			e = c + strlen(c);
		if (e == c || (e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return (jailer_seterr(jp, "invalid dataset name "
			    "'%s': empty or dot component", vis(s)));
		for (p = c; p < e; p++)
			if (!isalnum((unsigned char)*p) &&
			    strchr("_.:-", *p) == NULL)
				return (jailer_seterr(jp, "invalid dataset "
				    "name '%s': invalid character", vis(s)));
		if (*e == '\0')
			break;
	}
	return (0);
}

/* The part after '@' of a snapshot name. */
int
valid_snapname(struct jailer *jp, const char *s)
{
	if (*s == '\0' || strlen(s) > 64 || s[0] == '-' || s[0] == '.' ||
	    !all_in(s, "_.:-"))
		return (jailer_seterr(jp, "invalid snapshot name '%s': use "
		    "up to 64 letters, digits, '_', '.', ':' and '-'",
		    vis(s)));
	return (0);
}

int
valid_mountpoint(struct jailer *jp, const char *s)
{
	const char *c;
	size_t i, n;

	n = strlen(s);
	if (strcmp(s, "/") == 0)
		return (jailer_seterr(jp, "invalid mount point '/': the root "
		    "directory"));
	if (s[0] != '/' || n < 2 || n > 200)
		return (jailer_seterr(jp, "invalid mount point '%s': must be "
		    "an absolute path", vis(s)));
	if (!all_in(s, "/_.,+:@-") || strstr(s, "//") != NULL ||
	    s[n - 1] == '/')
		return (jailer_seterr(jp, "invalid mount point '%s'",
		    vis(s)));
	for (c = s; (c = strchr(c, '/')) != NULL; c++)
		if (strncmp(c, "/./", 3) == 0 || strncmp(c, "/../", 4) == 0 ||
		    strcmp(c, "/.") == 0 || strcmp(c, "/..") == 0)
			return (jailer_seterr(jp, "invalid mount point '%s': "
			    "'.' and '..' are not allowed", vis(s)));
	for (i = 0; i < nitems(system_dirs); i++)
		if (strcmp(s, system_dirs[i]) == 0)
			return (jailer_seterr(jp, "invalid mount point '%s': "
			    "a system directory", s));
	for (i = 0; i < nitems(system_trees); i++)
		if (str_has_prefix(s, system_trees[i]))
			return (jailer_seterr(jp, "invalid mount point '%s': "
			    "inside a system directory", s));
	return (0);
}

int
valid_nettype(struct jailer *jp, const char *s)
{
	if (strcmp(s, "inherit") == 0 || strcmp(s, "new") == 0 ||
	    strcmp(s, "eb") == 0)
		return (0);
	if (strcmp(s, "ng") == 0)
		return (jailer_seterr(jp, "network type 'ng': netgraph is not "
		    "supported; use inherit, new or eb"));
	return (jailer_seterr(jp, "invalid network type '%s': use inherit, "
	    "new or eb", vis(s)));
}

/* FreeBSD_mirror: an http, https, ftp or file URL of plain characters. */
int
valid_mirror(struct jailer *jp, const char *s)
{
	if (!str_has_prefix(s, "http://") && !str_has_prefix(s, "https://") &&
	    !str_has_prefix(s, "ftp://") && !str_has_prefix(s, "file:///"))
		return (jailer_seterr(jp, "FreeBSD_mirror '%s': must be an "
		    "http://, https://, ftp:// or file:/// URL", vis(s)));
	if (strlen(s) > 512 || !all_in(s, ":/._~%+@=-") ||
	    strstr(s, "/../") != NULL)
		return (jailer_seterr(jp, "FreeBSD_mirror '%s': invalid "
		    "character in URL", vis(s)));
	return (0);
}

int
parse_ipv4(struct jailer *jp, const char *s, struct in_addr *a)
{
	if (strlen(s) > 15 || inet_pton(AF_INET, s, a) != 1)
		return (jailer_seterr(jp, "invalid IPv4 address '%s'",
		    vis(s)));
	return (0);
}

/* ADDR/PREFIX with a prefix of 0 to 32. */
int
parse_cidr4(struct jailer *jp, const char *s, struct in_addr *a, int *prefix)
{
	char addr[16];
	const char *slash, *p;
	int n;

	if ((slash = strchr(s, '/')) == NULL || slash - s > 15)
		return (jailer_seterr(jp, "invalid address '%s': expected "
		    "ADDRESS/PREFIX", vis(s)));
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	p = slash + 1;
	if (inet_pton(AF_INET, addr, a) != 1 ||
	    (n = small_number(&p)) < 0 || *p != '\0' || n > 32 ||
	    (slash[1] == '0' && slash[2] != '\0'))
		return (jailer_seterr(jp, "invalid address '%s': expected "
		    "ADDRESS/PREFIX with a prefix of 0 to 32", vis(s)));
	*prefix = n;
	return (0);
}

/*
 * A DNS name of at most max characters: labels of 1 to 63 letters, digits
 * and '-' (not at either end), joined by dots.  1 if it is one.
 */
int
dns_name_ok(const char *s, size_t max)
{
	const char *p, *label;

	if (*s == '\0' || strlen(s) > max)
		return (0);
	for (label = p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || *label == '-' ||
			    p[-1] == '-')
				return (0);
			if (*p == '\0')
				return (1);
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			return (0);
	}
}
