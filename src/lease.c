/*
 * dhcpd.leases(5) and dhcpd.conf(5) of OpenBSD's dhcpd, read for the
 * host's view of a DHCP jail's address: the binding dhcpd holds for the
 * MAC jailer gave the jail, and the subnet (prefix, router) it was given
 * from.  Both files are the host's; the values a client sends (its host
 * name, its uid) are quoted strings or words that are skipped whole, so
 * they cannot forge a record.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailer.h"
#include "lease.h"

enum ltok { L_EOF, L_WORD, L_STR, L_LBRACE, L_RBRACE, L_SEMI, L_COMMA };

struct ltoken {
	enum ltok	 kind;
	char		 text[64];	/* cut, for words; empty for strings */
};

/* The next token of dhcpd's grammar; '#' starts a comment. */
static const char *
lnext(const char *p, struct ltoken *t)
{
	size_t n;

	t->text[0] = '\0';
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '#')
			break;
		while (*p != '\0' && *p != '\n')
			p++;
	}
	switch (*p) {
	case '\0':
		t->kind = L_EOF;
		return (p);
	case '{':
		t->kind = L_LBRACE;
		return (p + 1);
	case '}':
		t->kind = L_RBRACE;
		return (p + 1);
	case ';':
		t->kind = L_SEMI;
		return (p + 1);
	case ',':
		t->kind = L_COMMA;
		return (p + 1);
	case '"':
		/* A string is skipped whole, escapes included. */
		t->kind = L_STR;
		for (p++; *p != '\0' && *p != '"'; p++)
			if (*p == '\\' && p[1] != '\0')
				p++;
		return (*p == '"' ? p + 1 : p);
	}
	t->kind = L_WORD;
	n = 0;
	while (*p != '\0' && !isspace((unsigned char)*p) &&
	    strchr("{};,\"#", *p) == NULL) {
		if (n < sizeof(t->text) - 1)
			t->text[n++] = *p;
		p++;
	}
	t->text[n] = '\0';
	return (p);
}

/* Days from 1970-01-01 to Y-M-D of the proleptic Gregorian calendar. */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* UTC date and time as seconds since the epoch (timegm is not POSIX). */
long long
civil_to_epoch(int y, int mo, int d, int h, int mi, int s)
{
	return (days_from_civil(y, mo, d) * 86400LL + h * 3600LL +
	    mi * 60LL + s);
}

/* "Y/M/D" and "H:M:S" as dhcpd writes them (UTC); -2 if malformed. */
static long long
lease_time(const char *date, const char *clock)
{
	int y, mo, d, h, mi, s;
	char c;

	if (sscanf(date, "%4d/%2d/%2d%c", &y, &mo, &d, &c) != 3 ||
	    sscanf(clock, "%2d:%2d:%2d%c", &h, &mi, &s, &c) != 3 ||
	    y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return (-2);
	return (civil_to_epoch(y, mo, d, h, mi, s));
}

/* A MAC as six hex pairs separated by colons, lower case; -1 if not. */
int
mac_normalize(const char *s, char out[18])
{
	int i;

	if (strlen(s) != 17)
		return (-1);
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':')
				return (-1);
			out[i] = ':';
		} else if (isxdigit((unsigned char)s[i]))
			out[i] = (char)tolower((unsigned char)s[i]);
		else
			return (-1);
	}
	out[17] = '\0';
	return (0);
}

/*
 * The statements of one lease block, after its "{".  Returns where the
 * block ends (after its "}"), or NULL if the block is cut or malformed.
 */
static const char *
lease_block(const char *p, struct dhcpd_lease *l, int *abandoned)
{
	struct ltoken w[5], t;
	size_t k;

	*abandoned = 0;
	l->mac[0] = '\0';
	l->ends = -2;
	for (;;) {
		k = 0;
		for (;;) {
			p = lnext(p, &t);
			if (t.kind == L_EOF || t.kind == L_LBRACE)
				return (NULL);
			if (t.kind == L_RBRACE)
				return (k == 0 ? p : NULL);
			if (t.kind == L_SEMI)
				break;
			if (k < nitems(w))
				w[k] = t;
			k++;
		}
		if (k == 0 || w[0].kind != L_WORD)
			continue;
		if (strcmp(w[0].text, "abandoned") == 0 && k == 1)
			*abandoned = 1;
		else if (strcmp(w[0].text, "ends") == 0) {
			if (k == 2 && strcmp(w[1].text, "never") == 0)
				l->ends = -1;
			else if (k == 4 && w[2].kind == L_WORD &&
			    w[3].kind == L_WORD)
				l->ends = lease_time(w[2].text, w[3].text);
		} else if (strcmp(w[0].text, "hardware") == 0 && k == 3 &&
		    strcmp(w[1].text, "ethernet") == 0 && w[2].kind == L_WORD &&
		    mac_normalize(w[2].text, l->mac) == -1)
			l->mac[0] = '\0';
	}
}

/*
 * Parse dhcpd.leases(5).  dhcpd appends a record whenever a binding
 * changes, so the last record of an address is its state; records that
 * are cut, abandoned, or lack a MAC or an end time are left out.
 */
int
dhcpd_leases_parse(const char *text, struct dhcpd_leases *ls)
{
	struct dhcpd_lease l;
	struct ltoken t, a;
	struct in_addr in;
	const char *p, *end;
	size_t i;
	int abandoned;

	ls->v = NULL;
	ls->n = 0;
	p = text;
	for (;;) {
		p = lnext(p, &t);
		if (t.kind == L_EOF)
			break;
		if (t.kind != L_WORD || strcmp(t.text, "lease") != 0)
			continue;
		p = lnext(p, &a);
		if (a.kind != L_WORD)
			continue;
		p = lnext(p, &t);
		if (t.kind != L_LBRACE)
			continue;
		memset(&l, 0, sizeof(l));
		if ((end = lease_block(p, &l, &abandoned)) == NULL)
			break;
		p = end;
		if (strlen(a.text) >= sizeof(l.addr) ||
		    inet_pton(AF_INET, a.text, &in) != 1)
			continue;
		memcpy(l.addr, a.text, strlen(a.text) + 1);
		for (i = 0; i < ls->n; i++)
			if (strcmp(ls->v[i].addr, l.addr) == 0)
				break;
		if (i < ls->n) {
			/* A later record of the address replaces it. */
			memmove(&ls->v[i], &ls->v[i + 1],
			    (ls->n - i - 1) * sizeof(*ls->v));
			ls->n--;
		}
		if (abandoned || l.mac[0] == '\0' || l.ends == -2)
			continue;
		ls->v = xrealloc(ls->v, (ls->n + 1) * sizeof(*ls->v));
		ls->v[ls->n++] = l;
	}
	return (0);
}

/*
 * The binding dhcpd holds for MAC at NOW: of the unexpired ones, the one
 * that lasts longest.  NULL if there is none.
 */
const struct dhcpd_lease *
dhcpd_lease_find(const struct dhcpd_leases *ls, const char *mac, time_t now)
{
	const struct dhcpd_lease *best;
	char m[18];
	size_t i;

	if (mac_normalize(mac, m) == -1)
		return (NULL);
	best = NULL;
	for (i = 0; i < ls->n; i++) {
		if (strcmp(ls->v[i].mac, m) != 0 ||
		    (ls->v[i].ends != -1 && ls->v[i].ends <= (long long)now))
			continue;
		if (best == NULL || ls->v[i].ends == -1 ||
		    (best->ends != -1 && ls->v[i].ends > best->ends))
			best = &ls->v[i];
	}
	return (best);
}

void
dhcpd_leases_free(struct dhcpd_leases *ls)
{
	free(ls->v);
	ls->v = NULL;
	ls->n = 0;
}

static int
mask_bits(const char *s)
{
	struct in_addr a;
	uint32_t m;
	int n;

	if (inet_pton(AF_INET, s, &a) != 1)
		return (-1);
	m = ntohl(a.s_addr);
	for (n = 0; m & 0x80000000U; m <<= 1)
		n++;
	return (m == 0 ? n : -1);
}

/* A subnet statement being read: its network and what it sets. */
struct subnet {
	uint32_t	net;
	int		prefix;		/* from "netmask" */
	int		optprefix;	/* from "option subnet-mask", or -1 */
	char		router[16];
	int		depth;		/* the brace depth inside it */
};

/* One statement (words up to ";") inside a subnet block. */
static void
subnet_option(struct subnet *s, struct ltoken *w, size_t k)
{
	struct in_addr a;

	if (k < 3 || strcmp(w[0].text, "option") != 0)
		return;
	if (strcmp(w[1].text, "routers") == 0 && s->router[0] == '\0' &&
	    strlen(w[2].text) < sizeof(s->router) &&
	    inet_pton(AF_INET, w[2].text, &a) == 1)
		memcpy(s->router, w[2].text, strlen(w[2].text) + 1);
	else if (strcmp(w[1].text, "subnet-mask") == 0)
		s->optprefix = mask_bits(w[2].text);
}

/*
 * The subnet of dhcpd.conf(5) TEXT that holds ADDR: its prefix (the
 * subnet-mask option if given, else the netmask) and its first router
 * ("" if none).  Returns 1 if found, 0 if not.
 */
int
dhcpd_subnet_for(const char *text, const char *addr, int *prefix,
    char router[16])
{
	struct ltoken w[6], t;
	struct subnet cur;
	struct in_addr a, n;
	uint32_t ha;
	size_t k;
	const char *p;
	int depth, in;

	if (inet_pton(AF_INET, addr, &a) != 1)
		return (0);
	ha = ntohl(a.s_addr);
	p = text;
	depth = in = 0;
	k = 0;
	memset(&cur, 0, sizeof(cur));
	for (;;) {
		p = lnext(p, &t);
		if (t.kind == L_EOF)
			return (0);
		if (t.kind == L_WORD || t.kind == L_STR) {
			if (k < nitems(w))
				w[k] = t;
			k++;
			continue;
		}
		if (t.kind == L_COMMA)
			continue;
		if (t.kind == L_LBRACE) {
			depth++;
			if (!in && k == 4 && strcmp(w[0].text, "subnet") == 0 &&
			    strcmp(w[2].text, "netmask") == 0 &&
			    inet_pton(AF_INET, w[1].text, &n) == 1 &&
			    (cur.prefix = mask_bits(w[3].text)) >= 0) {
				in = 1;
				cur.net = ntohl(n.s_addr);
				cur.optprefix = -1;
				cur.router[0] = '\0';
				cur.depth = depth;
			}
		} else if (t.kind == L_SEMI) {
			if (in && depth == cur.depth)
				subnet_option(&cur, w, k < nitems(w) ?
				    k : nitems(w));
		} else if (t.kind == L_RBRACE) {
			if (in && depth == cur.depth) {
				in = 0;
				if (cur.prefix == 0 || ((ha ^ cur.net) >>
				    (32 - cur.prefix)) == 0) {
					*prefix = cur.optprefix >= 0 ?
					    cur.optprefix : cur.prefix;
					snprintf(router, 16, "%s", cur.router);
					return (1);
				}
			}
			if (depth > 0)
				depth--;
		}
		k = 0;
	}
}
