/*
 * IPv4 addresses are kept in host byte order as uint32_t; they are
 * parsed with inet_pton and printed with inet_ntop, never passed through
 * as text.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "net.h"
#include "validate.h"

void
ipv4_str(uint32_t a, char out[16])
{
	struct in_addr in;

	in.s_addr = htonl(a);
	inet_ntop(AF_INET, &in, out, 16);
}

/* The dotted netmask of a prefix length. */
void
mask_str(int prefix, char out[16])
{
	ipv4_str(prefix == 0 ? 0 : 0xffffffffU << (32 - prefix), out);
}

/*
 * Parse ifconfig(8) output: "name: flags=..." starts an interface,
 * "\tinet A netmask 0xM ..." lines give its addresses.  Lines before the
 * first interface header count for the interface named by deflt (the
 * output of "ifconfig IF" names it too, but be lenient).
 */
void
net_parse_ifconfig(const char *text, const char *deflt,
    struct hostaddr4 **out, size_t *n)
{
	struct in_addr a;
	const char *line, *end;
	char buf[256], *colon, *w[4], *save, *tok, cur[16];
	unsigned long mask;
	size_t k, len;
	int prefix;

	*out = NULL;
	*n = 0;
	snprintf(cur, sizeof(cur), "%s", deflt != NULL ? deflt : "");
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		len = (size_t)(end - line);
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;	/* a long line still counts */
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (buf[0] != ' ' && buf[0] != '\t') {
			cur[0] = '\0';
			if ((colon = strchr(buf, ':')) != NULL &&
			    (size_t)(colon - buf) < sizeof(cur)) {
				memcpy(cur, buf, (size_t)(colon - buf));
				cur[colon - buf] = '\0';
			}
			continue;
		}
		k = 0;
		for (tok = strtok_r(buf, " \t", &save); tok != NULL && k < 4;
		    tok = strtok_r(NULL, " \t", &save))
			w[k++] = tok;
		if (cur[0] == '\0' || k < 4 || strcmp(w[0], "inet") != 0 ||
		    strcmp(w[2], "netmask") != 0 || strlen(w[1]) > 15 ||
		    inet_pton(AF_INET, w[1], &a) != 1)
			continue;
		mask = strtoul(w[3], NULL, 16);
		for (prefix = 0; prefix < 32 && (mask & (0x80000000UL >>
		    prefix)); prefix++)
			;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		snprintf((*out)[*n].ifname, sizeof((*out)[*n].ifname), "%s",
		    cur);
		(*out)[*n].addr = ntohl(a.s_addr);
		(*out)[(*n)++].prefix = prefix;
	}
}

/* The IPv4 addresses of one interface ("ifconfig IF"). */
int
net_if_addrs(struct jailer *jp, const char *ifname, struct ifaddr4 **addrs,
    size_t *n)
{
	const char *argv[] = { "ifconfig", ifname, NULL };
	struct hostaddr4 *h;
	struct buf out;
	size_t nh, i;

	*addrs = NULL;
	*n = 0;
	buf_init(&out);
	if (run(jp, argv, &out, RUN_RO) != 0) {
		buf_free(&out);
		return (-1);
	}
	net_parse_ifconfig(out.data, ifname, &h, &nh);
	buf_free(&out);
	for (i = 0; i < nh; i++) {
		if (strcmp(h[i].ifname, ifname) != 0)
			continue;
		*addrs = xrealloc(*addrs, (*n + 1) * sizeof(**addrs));
		(*addrs)[*n].addr = h[i].addr;
		(*addrs)[(*n)++].prefix = h[i].prefix;
	}
	free(h);
	return (0);
}

/* Every IPv4 address of every interface, from one "ifconfig" call. */
int
net_all_addrs(struct jailer *jp, struct hostaddr4 **out, size_t *n)
{
	static const char *const argv[] = { "ifconfig", NULL };
	struct buf b;

	*out = NULL;
	*n = 0;
	buf_init(&b);
	if (run(jp, argv, &b, RUN_RO) != 0) {
		buf_free(&b);
		return (-1);
	}
	net_parse_ifconfig(b.data, NULL, out, n);
	buf_free(&b);
	return (0);
}

/* Do the subnets a/pa and b/pb share any address? */
int
net_overlap(uint32_t a, int pa, uint32_t b, int pb)
{
	int p;
	uint32_t m;

	p = pa < pb ? pa : pb;
	m = p == 0 ? 0 : 0xffffffffU << (32 - p);
	return ((a & m) == (b & m));
}

/* The names of all interfaces, space-separated ("ifconfig -l"). */
int
net_if_list(struct jailer *jp, struct buf *out)
{
	static const char *const argv[] = { "ifconfig", "-l", NULL };

	return (run(jp, argv, out, RUN_RO) == 0 ? 0 : -1);
}

/*
 * The lowest host address of the subnet of base/prefix that is not in
 * used[]: neither the network nor the broadcast address.  Returns -1 when
 * the subnet is full (or has no host addresses).
 */
int
net_alloc_ipv4(uint32_t base, int prefix, const uint32_t *used, size_t nused,
    uint32_t *out)
{
	uint32_t net, bcast, a;
	size_t i;

	if (prefix < 1 || prefix > 30)
		return (-1);
	net = base & (0xffffffffU << (32 - prefix));
	bcast = net | ~(0xffffffffU << (32 - prefix));
	for (a = net + 1; a < bcast; a++) {
		for (i = 0; i < nused; i++)
			if (used[i] == a)
				break;
		if (i == nused) {
			*out = a;
			return (0);
		}
	}
	return (-1);
}

/*
 * Random bytes from the kernel, read from /dev/urandom (random(4)): POSIX
 * open and read, where getentropy(3) is a BSD and POSIX.1-2024 interface
 * that _POSIX_C_SOURCE=200809L hides.  On failure, prints why and returns
 * -1 with errno set.
 */
int
net_random(void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t r;
	int fd, saved;

	while ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1 &&
	    errno == EINTR)
		;
	if (fd == -1) {
		saved = errno;
		goto fail;
	}
	while (n > 0) {
		if ((r = read(fd, b, n)) == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			saved = r == 0 ? EIO : errno;
			close(fd);
			goto fail;
		}
		b += r;
		n -= (size_t)r;
	}
	close(fd);
	return (0);
fail:
	jailer_warnx("/dev/urandom", "%s", strerror(saved));
	errno = saved;
	return (-1);
}

/* A MAC in the FreeBSD Foundation's OUI: 58:9c:fc:xx:xx:xx. */
void
net_mac(char out[18])
{
	unsigned char r[3];

	if (net_random(r, sizeof(r)) == -1)
		abort();
	snprintf(out, 18, "58:9c:fc:%02x:%02x:%02x", r[0], r[1], r[2]);
}

/* A netmask as 255.255.255.0, /24 or 24. */
int
parse_netmask(struct jailer *jp, const char *s, int *prefix)
{
	struct in_addr a;
	const char *p;
	uint32_t m;
	int n;

	p = s[0] == '/' ? s + 1 : s;
	if (strchr(p, '.') == NULL) {
		for (n = 0; *p >= '0' && *p <= '9' && n <= 32; p++)
			n = n * 10 + (*p - '0');
		if (*p != '\0' || p == s || n > 32 || n < 1 ||
		    strlen(s) > 3)
			return (jailer_seterr(jp, "invalid netmask '%s'",
			    vis(s)));
		*prefix = n;
		return (0);
	}
	if (strlen(p) > 15 || inet_pton(AF_INET, p, &a) != 1)
		return (jailer_seterr(jp, "invalid netmask '%s'", vis(s)));
	m = ntohl(a.s_addr);
	for (n = 0; n < 32 && (m & (0x80000000U >> n)); n++)
		;
	if (n == 0 || (n < 32 && (m << n) != 0))
		return (jailer_seterr(jp, "invalid netmask '%s': not "
		    "contiguous", vis(s)));
	*prefix = n;
	return (0);
}
