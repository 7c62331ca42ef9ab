/*
 * jail.conf(5): conf_parse, conf_value, conf_flag, and the round trip
 * conf_render -> conf_parse.
 *
 * Input: TEXT [\0 NAME \0 DOMAIN \0 PATH \0 IFACE \0 IP4 \0 "TYPE ID DEVFS"]
 *   TEXT (up to the first NUL) is parsed as the file
 *   /etc/jail.conf.d/fuzz.conf.  When the input has more NUL-separated
 *   fields, they make a jail_spec (missing fields get realistic
 *   defaults); if the fields are ones create would accept (the name
 *   passes valid_jail_name, the domain valid_domain, the path is
 *   absolute and has no newline, as a zfs mount point plus a name), the
 *   rendered file must parse and give back exactly the values put in
 *   (for a VNET jail also $mac, and $ip4/$gateway when IP4 is "A/P").
 * A file that does not parse must give a one-line, printable error
 * (JAILER_FUZZ_SKIP=conf-error-vis leaves that check out while
 * regress/conf-error-message-control-character fails).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "lifecycle.h"
#include "validate.h"

/* Walk everything a successful parse returned. */
static void
walk(const struct conf_file *cf)
{
	static const char *const names[] = { "path", "$id", "$bridge",
	    "$domain", "vnet", "ip4.addr", "interface", "host.hostname",
	    "persist", "exec.start", "ip4", "nonexistent" };
	const struct conf_jail *j;
	const struct conf_param *p;
	size_t i, k, v;

	for (i = 0; i < cf->njails; i++) {
		j = &cf->jails[i];
		FUZZ_CHECK(j->name != NULL, "jail %zu", i);
		FUZZ_CHECK(strchr(j->name, '.') == NULL &&
		    strchr(j->name, '*') == NULL, "jail name '%s'", j->name);
		for (k = 0; k < i; k++)
			FUZZ_CHECK(strcmp(cf->jails[k].name, j->name) != 0,
			    "jail %s listed twice", j->name);
		for (k = 0; k < j->nparams; k++) {
			p = &j->params[k];
			FUZZ_CHECK(p->name != NULL && *p->name != '\0',
			    "param %zu", k);
			FUZZ_CHECK(p->nvals == 0 || p->vals != NULL, "vals");
			for (v = 0; v < p->nvals; v++)
				FUZZ_CHECK(p->vals[v] != NULL, "value %zu", v);
		}
		for (k = 0; k < nitems(names); k++) {
			p = conf_param(j, names[k]);
			FUZZ_CHECK(conf_value(j, names[k]) == (p != NULL &&
			    p->nvals > 0 ? p->vals[0] : NULL), "conf_value");
			(void)conf_flag(j, names[k]);
		}
	}
}

static void
expect_val(const struct conf_jail *j, const char *name, size_t idx,
    const char *want)
{
	const struct conf_param *p;

	p = conf_param(j, name);
	FUZZ_CHECK(p != NULL, "round trip: %s missing", name);
	FUZZ_CHECK(idx < p->nvals, "round trip: %s has %zu values, want "
	    "more than %zu", name, p->nvals, idx);
	FUZZ_CHECK(strcmp(p->vals[idx], want) == 0,
	    "round trip: %s[%zu] is \"%s\", rendered from \"%s\"", name, idx,
	    p->vals[idx], want);
}

static void
expect_n(const struct conf_jail *j, const char *name, size_t n)
{
	const struct conf_param *p;

	p = conf_param(j, name);
	FUZZ_CHECK(p != NULL && p->nvals == n, "round trip: %s should have "
	    "%zu values", name, n);
}

static void
round_trip(const struct jail_spec *s)
{
	struct jailer j;
	struct conf_file cf;
	const struct conf_jail *cj;
	char *text, *want;
	char num[16];

	fuzz_reset(&j);
	text = conf_render(s);
	if (conf_parse(&j, text, "/etc/jail.conf.d/rt.conf", &cf) == -1)
		FUZZ_CHECK(0, "round trip: the rendered file does not parse: "
		    "%s\n--- rendered:\n%s---", j.err, text);
	FUZZ_CHECK(cf.njails == 1 && strcmp(cf.jails[0].name, s->name) == 0,
	    "round trip: %zu jails, want just %s", cf.njails, s->name);
	cj = &cf.jails[0];
	snprintf(num, sizeof(num), "%d", s->id);
	expect_val(cj, "$id", 0, num);
	expect_val(cj, "$domain", 0, s->domain);
	expect_val(cj, "path", 0, s->path);
	want = xasprintf("%s.%s", s->name, s->domain);
	expect_val(cj, "host.hostname", 0, want);
	free(want);
	want = xasprintf("/var/log/jail/%s.log", s->name);
	expect_val(cj, "exec.consolelog", 0, want);
	free(want);
	snprintf(num, sizeof(num), "%d", s->devfs_ruleset);
	expect_val(cj, "devfs_ruleset", 0, num);
	expect_n(cj, "exec.clean", 0);
	expect_n(cj, "mount.devfs", 0);
	expect_n(cj, "persist", 0);
	FUZZ_CHECK(conf_flag(cj, "vnet") == (s->type == NET_EB), "vnet flag");
	switch (s->type) {
	case NET_INHERIT:
		FUZZ_CHECK(conf_param(cj, "$bridge") == NULL, "inherit bridge");
		expect_val(cj, "ip4", 0, "inherit");
		expect_val(cj, "ip6", 0, "inherit");
		break;
	case NET_NEW:
		expect_val(cj, "$bridge", 0, s->iface);
		expect_val(cj, "interface", 0, s->iface);
		expect_val(cj, "ip4.addr", 0, s->ip4);
		expect_n(cj, "ip4.addr", 1);
		break;
	case NET_EB:
		expect_val(cj, "$bridge", 0, s->iface);
		want = xasprintf("epair%db", s->id);
		expect_val(cj, "vnet.interface", 0, want);
		free(want);
		expect_val(cj, "$mac", 0, s->mac);
		if (s->ip4 != NULL) {
			expect_val(cj, "$ip4", 0, s->ip4);
			expect_val(cj, "$gateway", 0, s->gateway);
		} else
			FUZZ_CHECK(conf_param(cj, "$ip4") == NULL &&
			    conf_param(cj, "$gateway") == NULL, "dhcp: $ip4");
		expect_n(cj, "exec.prestart", 4);
		want = xasprintf("ifconfig epair%db ether %s", s->id, s->mac);
		expect_val(cj, "exec.prestart", 1, want);
		free(want);
		want = xasprintf("ifconfig %s addm epair%da up", s->iface,
		    s->id);
		expect_val(cj, "exec.prestart", 3, want);
		free(want);
		want = xasprintf("ifconfig %s deletem epair%da", s->iface,
		    s->id);
		expect_val(cj, "exec.poststop", 0, want);
		free(want);
		break;
	}
	conf_free(&cf);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const defaults[] = { "www0", "example.org",
	    "/usr/local/jails/www0", "bridge0", "192.168.64.3" };
	struct jailer j;
	struct conf_file cf;
	struct jail_spec s;
	const uint8_t *p;
	char *text, *f[6], *end;
	size_t rest, i;
	long v[3];

	text = fuzz_cstr(data, size);
	fuzz_reset(&j);
	if (conf_parse(&j, text, "/etc/jail.conf.d/fuzz.conf", &cf) == 0) {
		walk(&cf);
		conf_free(&cf);
		FUZZ_CHECK(cf.njails == 0 && cf.jails == NULL, "conf_free");
	} else {
		FUZZ_CHECK(j.err[0] != '\0', "conf_parse failed silently");
		if (!fuzz_known("conf-error-vis"))
			fuzz_check_err(&j, "conf_parse");
	}
	free(text);

	/* The round trip, when the input has fields after the text. */
	p = data;
	rest = size;
	if ((text = fuzz_field(&p, &rest)) == NULL)
		return (0);
	free(text);
	for (i = 0; i < nitems(f); i++)
		f[i] = NULL;
	for (i = 0; i < nitems(f); i++)
		if ((f[i] = fuzz_field(&p, &rest)) == NULL) {
			/* The tail after the last NUL is the last field. */
			if (rest > 0)
				f[i] = fuzz_cstr(p, rest);
			break;
		}
	memset(&s, 0, sizeof(s));
	s.name = f[0] != NULL ? f[0] : defaults[0];
	s.domain = f[1] != NULL ? f[1] : defaults[1];
	s.path = f[2] != NULL ? f[2] : defaults[2];
	s.iface = f[3] != NULL ? f[3] : defaults[3];
	s.ip4 = f[4] != NULL ? f[4] : defaults[4];
	v[0] = 2;
	v[1] = 1;
	v[2] = 4;
	if (f[5] != NULL) {
		end = f[5];
		for (i = 0; i < 3; i++)
			v[i] = strtol(end, &end, 10);
	}
	s.type = v[0] == 0 ? NET_INHERIT : v[0] == 1 ? NET_NEW : NET_EB;
	if (s.type == NET_EB) {
		/* As create_plan: a MAC; $ip4 "A/P" and $gateway if static. */
		s.mac = "58:9c:fc:00:00:01";
		if (strchr(s.ip4, '/') != NULL)
			s.gateway = "10.0.0.1";
		else
			s.ip4 = NULL;
	}
	s.id = v[1] < INT_MIN || v[1] > INT_MAX ? 1 : (int)v[1];
	s.devfs_ruleset = v[2] < INT_MIN || v[2] > INT_MAX ? 4 : (int)v[2];
	/* What create_plan would let through to conf_render. */
	fuzz_reset(&j);
	if (valid_jail_name(&j, s.name) == 0 &&
	    valid_domain(&j, s.domain) == 0 &&
	    s.path[0] == '/' && strchr(s.path, '\n') == NULL)
		round_trip(&s);
	for (i = 0; i < nitems(f); i++)
		free(f[i]);
	return (0);
}
