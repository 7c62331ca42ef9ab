/*
 * jailer's pf rule files and pf.conf: pf_rules_parse, pf_render,
 * pf_parse_ports, pf_conf_has_anchors, and the round trip
 * pf_rules_write -> pf_rules_read.
 *
 * Input: text (up to the first NUL), used as
 *   - a rule file (/usr/local/etc/jailer/pf/NAME.rules: root may edit
 *     it).  Rules that parse must be well-formed; pf_render of them must
 *     give one line per rule, each of characters from a whitelist (the
 *     text goes to pfctl), and writing them with pf_rules_write and
 *     reading the file back must give the same rules;
 *   - rules as "nat add" and "rdr add" make them: each line "nat IF
 *     ADDR|-" or "rdr NUM IF ADDR|- tcp|udp PORT[:PORT] DPORT" whose
 *     fields pass the same checks as the command line (valid_ifname,
 *     parse_ipv4, pf_parse_ports) becomes a rule; the rules are written
 *     with pf_rules_write and must read back (pf_rules_read) unchanged;
 *   - words for pf_parse_ports (each blank-separated word, and the
 *     whole text): an accepted port range is 1 <= first <= last <= 65535;
 *   - /etc/pf.conf for pf_conf_has_anchors.
 * (JAILER_FUZZ_SKIP=pf-rdr-roundtrip leaves rdr rules out of the made
 * rules while regress/pf-rdr-rule-does-not-read-back fails.)
 * The rule files are written under a private JAILER_ROOT made in $TMPDIR
 * by LLVMFuzzerInitialize and removed at exit.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "pf.h"
#include "validate.h"

static char *root;

/* Remove the rule file and the directories above it, up to root. */
static void
cleanup(void)
{
	char *p, *slash;

	if (root == NULL)
		return;
	p = xasprintf("%s%s/fuzz.rules", root, PF_RULES_DIR);
	(void)unlink(p);
	while ((slash = strrchr(p, '/')) != NULL &&
	    (size_t)(slash - p) > strlen(root)) {
		*slash = '\0';
		(void)rmdir(p);
	}
	(void)rmdir(root);
	free(p);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct jailer j;
	const char *tmp;

	(void)argc;
	(void)argv;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	root = xasprintf("%s/jailer-fuzz-pf.XXXXXX", tmp);
	if (mkdtemp(root) == NULL) {
		perror(root);
		abort();
	}
	atexit(cleanup);
	setenv("JAILER_ROOT", root, 1);
	fuzz_reset(&j);
	if (host_root_init(&j) == -1) {
		fprintf(stderr, "%s\n", j.err);
		abort();
	}
	return (0);
}

static void
check_rule(const struct pf_rule *r)
{
	struct jailer j;
	struct in_addr a;

	fuzz_reset(&j);
	FUZZ_CHECK(r->kind == 'n' || r->kind == 'r', "kind %d", r->kind);
	FUZZ_CHECK(memchr(r->ifname, '\0', sizeof(r->ifname)) != NULL &&
	    valid_ifname(&j, r->ifname) == 0, "interface \"%s\"", r->ifname);
	FUZZ_CHECK(memchr(r->addr, '\0', sizeof(r->addr)) != NULL &&
	    (r->addr[0] == '\0' || parse_ipv4(&j, r->addr, &a) == 0),
	    "address \"%s\"", r->addr);
	if (r->kind == 'r') {
		FUZZ_CHECK(r->num >= 1 && r->num <= 9999, "number %d", r->num);
		FUZZ_CHECK(strcmp(r->proto, "tcp") == 0 ||
		    strcmp(r->proto, "udp") == 0, "proto \"%s\"", r->proto);
		FUZZ_CHECK(r->port1 >= 1 && r->port1 <= r->port2 &&
		    r->port2 <= 65535, "ports %d:%d", r->port1, r->port2);
		FUZZ_CHECK(r->dport >= 1 && r->dport <= 65535, "dport %d",
		    r->dport);
	}
}

static void
check_render(const struct pf_rules *rs)
{
	struct buf out;
	const char *p, *line;
	size_t nl;

	buf_init(&out);
	pf_render(rs, "10.0.0.5", "2001:db8::5", &out);
	for (nl = 0, p = out.data; *p != '\0'; p++) {
		if (*p == '\n') {
			nl++;
			continue;
		}
		FUZZ_CHECK((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
		    *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(" .:()_*>/-", *p) != NULL,
		    "pf_render: character 0x%02x in\n%s", (unsigned char)*p,
		    out.data);
	}
	FUZZ_CHECK(nl == rs->n, "pf_render: %zu lines for %zu rules:\n%s",
	    nl, rs->n, out.data);
	FUZZ_CHECK(out.len == 0 || out.data[out.len - 1] == '\n', "no "
	    "final newline");
	for (line = out.data; *line != '\0'; line = strchr(line, '\n') + 1)
		FUZZ_CHECK(strncmp(line, "nat on ", 7) == 0 ||
		    strncmp(line, "rdr pass on ", 12) == 0, "pf_render: line "
		    "\"%.*s\"", (int)strcspn(line, "\n"), line);
	buf_free(&out);
}

static int
same_rule(const struct pf_rule *a, const struct pf_rule *b)
{
	return (a->kind == b->kind && strcmp(a->ifname, b->ifname) == 0 &&
	    strcmp(a->addr, b->addr) == 0 && (a->kind != 'r' ||
	    (a->num == b->num && strcmp(a->proto, b->proto) == 0 &&
	    a->port1 == b->port1 && a->port2 == b->port2 &&
	    a->dport == b->dport)));
}

/* Write rs with pf_rules_write, read it back, compare. */
static void
round_trip(const struct pf_rules *rs, const char *how)
{
	struct jailer j;
	struct pf_rules back;
	size_t i;

	fuzz_reset(&j);
	FUZZ_CHECK(pf_rules_write(&j, "fuzz", rs) == 0, "%s: "
	    "pf_rules_write: %s", how, j.err);
	fuzz_reset(&j);
	if (pf_rules_read(&j, "fuzz", &back) == -1) {
		struct buf b;
		char *path;

		path = xasprintf("%s%s/fuzz.rules", root, PF_RULES_DIR);
		buf_init(&b);
		(void)file_read(&j, path, &b);
		FUZZ_CHECK(0, "%s: the file pf_rules_write wrote does not "
		    "read back: %s\n--- the file:\n%s---", how, j.err,
		    b.data);
	}
	FUZZ_CHECK(back.n == rs->n, "%s: %zu rules written, %zu read", how,
	    rs->n, back.n);
	for (i = 0; i < rs->n; i++)
		FUZZ_CHECK(same_rule(&rs->v[i], &back.v[i]), "%s: rule %zu "
		    "changed", how, i + 1);
	pf_rules_free(&back);
}

/* Rules the way nat add / rdr add build them from checked arguments. */
static void
made_rules(const char *text)
{
	struct jailer j;
	struct pf_rules rs;
	struct pf_rule r;
	struct in_addr a;
	char *copy, *line, *next, *f[8], *save, *tok, *end;
	size_t k;
	long num;
	int p;

	rs.v = NULL;
	rs.n = 0;
	copy = xstrdup(text);
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		k = 0;
		for (tok = strtok_r(line, " \t", &save); tok != NULL && k < 8;
		    tok = strtok_r(NULL, " \t", &save))
			f[k++] = tok;
		memset(&r, 0, sizeof(r));
		fuzz_reset(&j);
		if (k == 3 && strcmp(f[0], "nat") == 0) {
			r.kind = 'n';
			if (valid_ifname(&j, f[1]) == -1 ||
			    (strcmp(f[2], "-") != 0 &&
			    parse_ipv4(&j, f[2], &a) == -1))
				continue;
			snprintf(r.ifname, sizeof(r.ifname), "%s", f[1]);
			if (strcmp(f[2], "-") != 0)
				snprintf(r.addr, sizeof(r.addr), "%s", f[2]);
		} else if (k == 7 && strcmp(f[0], "rdr") == 0 &&
		    !fuzz_known("pf-rdr-roundtrip")) {
			r.kind = 'r';
			num = strtol(f[1], &end, 10);
			if (*end != '\0' || num < 1 || num > 9999 ||
			    valid_ifname(&j, f[2]) == -1 ||
			    (strcmp(f[3], "-") != 0 &&
			    parse_ipv4(&j, f[3], &a) == -1) ||
			    (strcmp(f[4], "tcp") != 0 &&
			    strcmp(f[4], "udp") != 0) ||
			    pf_parse_ports(&j, f[5], &r.port1, &r.port2) ==
			    -1 || pf_parse_ports(&j, f[6], &r.dport, &p) ==
			    -1 || p != r.dport)
				continue;
			r.num = (int)num;
			snprintf(r.ifname, sizeof(r.ifname), "%s", f[2]);
			if (strcmp(f[3], "-") != 0)
				snprintf(r.addr, sizeof(r.addr), "%s", f[3]);
			snprintf(r.proto, sizeof(r.proto), "%s", f[4]);
		} else
			continue;
		rs.v = xrealloc(rs.v, (rs.n + 1) * sizeof(*rs.v));
		rs.v[rs.n++] = r;
	}
	free(copy);
	if (rs.n > 0) {
		check_render(&rs);
		round_trip(&rs, "rules made as nat/rdr add makes them");
	}
	pf_rules_free(&rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jailer j;
	struct pf_rules rs;
	char *text, *copy, *tok, *save;
	size_t i;
	int p1, p2, nat, rdr, filt, n;

	text = fuzz_cstr(data, size);

	/* The text as a rule file. */
	copy = xstrdup(text);
	fuzz_reset(&j);
	if (pf_rules_parse(&j, copy, PF_RULES_DIR "/fuzz.rules", &rs) == 0) {
		for (i = 0; i < rs.n; i++)
			check_rule(&rs.v[i]);
		check_render(&rs);
		if (rs.n > 0)
			round_trip(&rs, "rules read from a file");
		pf_rules_free(&rs);
	} else {
		FUZZ_CHECK(rs.n == 0 && rs.v == NULL, "rules left after an "
		    "error");
		fuzz_check_err(&j, "pf_rules_parse");
	}
	free(copy);

	made_rules(text);

	/* Port ranges. */
	copy = xstrdup(text);
	for (tok = strtok_r(copy, " \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\n", &save)) {
		fuzz_reset(&j);
		if (pf_parse_ports(&j, tok, &p1, &p2) == 0) {
			FUZZ_CHECK(p1 >= 1 && p1 <= p2 && p2 <= 65535,
			    "\"%s\" gives %d:%d", tok, p1, p2);
			FUZZ_CHECK(strspn(tok, "0123456789:") == strlen(tok),
			    "\"%s\" accepted", tok);
		} else
			fuzz_check_err(&j, "pf_parse_ports");
	}
	free(copy);
	fuzz_reset(&j);
	if (pf_parse_ports(&j, text, &p1, &p2) == 0)
		FUZZ_CHECK(p1 >= 1 && p1 <= p2 && p2 <= 65535, "%d:%d", p1,
		    p2);
	else
		fuzz_check_err(&j, "pf_parse_ports");

	/* pf.conf. */
	n = pf_conf_has_anchors(text, &nat, &rdr, &filt);
	FUZZ_CHECK(n == nat + rdr + filt && n >= 0 && n <= 3 &&
	    (nat == 0 || nat == 1) && (rdr == 0 || rdr == 1) &&
	    (filt == 0 || filt == 1), "pf_conf_has_anchors %d", n);
	if (nat)
		FUZZ_CHECK(strstr(text, "nat-anchor") != NULL, "nat anchor");
	if (rdr)
		FUZZ_CHECK(strstr(text, "rdr-anchor") != NULL, "rdr anchor");
	free(text);
	return (0);
}
