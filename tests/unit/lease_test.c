/*
 * Unit tests for lease.c: the host's dhcpd lease database and
 * dhcpd.conf, read for the host's view of a DHCP jail's address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "lease.h"

/* 2026-12-05 12:00:00 UTC. */
#define	NOON	1796472000LL

ATF_TC_WITHOUT_HEAD(epoch);
ATF_TC_BODY(epoch, tc)
{
	ATF_CHECK_EQ(civil_to_epoch(1970, 1, 1, 0, 0, 0), 0);
	ATF_CHECK_EQ(civil_to_epoch(2000, 3, 1, 0, 0, 0), 951868800LL);
	ATF_CHECK_EQ(civil_to_epoch(2026, 12, 5, 12, 0, 0), NOON);
	ATF_CHECK_EQ(civil_to_epoch(2024, 2, 29, 23, 59, 59), 1709251199LL);
}

ATF_TC_WITHOUT_HEAD(mac);
ATF_TC_BODY(mac, tc)
{
	char m[18];

	ATF_REQUIRE(mac_normalize("58:9C:fc:0A:bb:01", m) == 0);
	ATF_CHECK_STREQ(m, "58:9c:fc:0a:bb:01");
	ATF_CHECK(mac_normalize("58:9c:fc:0a:bb", m) == -1);
	ATF_CHECK(mac_normalize("58:9c:fc:0a:bb:0g", m) == -1);
	ATF_CHECK(mac_normalize("58-9c-fc-0a-bb-01", m) == -1);
	ATF_CHECK(mac_normalize("58:9c:fc:0a:bb:011", m) == -1);
}

static const char leases[] =
    "lease 10.0.0.2 {\n"
    "\tstarts 6 2026/12/05 11:00:00;\n"
    "\tends 6 2026/12/05 23:00:00;\n"
    "\thardware ethernet 58:9c:fc:00:00:01;\n"
    "\tclient-hostname \"d1\";\n"
    "}\n"
    /* Expired. */
    "lease 10.0.0.3 {\n"
    "\tstarts 5 2026/12/04 11:00:00;\n"
    "\tends 5 2026/12/04 23:00:00;\n"
    "\thardware ethernet 58:9c:fc:00:00:02;\n"
    "}\n"
    /* A client's host name cannot forge a statement or a record. */
    "lease 10.0.0.4 {\n"
    "\tstarts 6 2026/12/05 11:00:00;\n"
    "\tends never;\n"
    "\thardware ethernet 58:9c:fc:00:00:03;\n"
    "\tclient-hostname \"x\\\"; hardware ethernet 58:9c:fc:00:00:01; } "
    "lease 127.0.0.1 { ends never; hardware ethernet 58:9c:fc:00:00:01;\";\n"
    "}\n"
    /* Abandoned. */
    "lease 10.0.0.5 {\n"
    "\tends never;\n"
    "\thardware ethernet 58:9c:fc:00:00:05;\n"
    "\tabandoned;\n"
    "}\n"
    /* The address went to another MAC later: the last record wins. */
    "lease 10.0.0.6 {\n"
    "\tends never;\n"
    "\thardware ethernet 58:9c:fc:00:00:06;\n"
    "}\n"
    "lease 10.0.0.6 {\n"
    "\tends never;\n"
    "\thardware ethernet 58:9c:fc:00:00:07;\n"
    "}\n"
    /* Not an address. */
    "lease 10.0.0.300 {\n"
    "\tends never;\n"
    "\thardware ethernet 58:9c:fc:00:00:08;\n"
    "}\n";

static const char *
addr_of(const struct dhcpd_leases *ls, const char *mac)
{
	const struct dhcpd_lease *l;

	l = dhcpd_lease_find(ls, mac, (time_t)NOON);
	return (l != NULL ? l->addr : "none");
}

ATF_TC_WITHOUT_HEAD(leases_host_view);
ATF_TC_BODY(leases_host_view, tc)
{
	struct dhcpd_leases ls;

	ATF_REQUIRE(dhcpd_leases_parse(leases, &ls) == 0);
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:01"), "10.0.0.2");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9C:FC:00:00:01"), "10.0.0.2");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:02"), "none");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:03"), "10.0.0.4");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:05"), "none");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:06"), "none");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:07"), "10.0.0.6");
	ATF_CHECK_STREQ(addr_of(&ls, "58:9c:fc:00:00:08"), "none");
	ATF_CHECK_STREQ(addr_of(&ls, "bogus"), "none");
	for (size_t i = 0; i < ls.n; i++)
		ATF_CHECK_MSG(strcmp(ls.v[i].addr, "127.0.0.1") != 0,
		    "a forged record was read");
	dhcpd_leases_free(&ls);
}

ATF_TC_WITHOUT_HEAD(leases_cut);
ATF_TC_BODY(leases_cut, tc)
{
	struct dhcpd_leases ls;

	/* A record cut short (dhcpd killed while writing) is not used. */
	ATF_REQUIRE(dhcpd_leases_parse("lease 10.0.0.2 {\n\tends never;\n"
	    "\thardware ethernet 58:9c:fc:00:00:01;\n", &ls) == 0);
	ATF_CHECK_EQ(ls.n, 0);
	dhcpd_leases_free(&ls);
	ATF_REQUIRE(dhcpd_leases_parse("lease 10.0.0.2 { ends never; "
	    "hardware ethernet 58:9c:fc:00:00:01; { } }", &ls) == 0);
	ATF_CHECK_EQ(ls.n, 0);
	dhcpd_leases_free(&ls);
	ATF_REQUIRE(dhcpd_leases_parse("", &ls) == 0);
	ATF_CHECK_EQ(ls.n, 0);
	dhcpd_leases_free(&ls);
}

static const char dconf[] =
    "# Written by jailer(8) for bridge0: jailer rewrites this file.\n"
    "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
    "\toption routers 10.0.0.1, 10.0.0.254;\n"
    "\toption subnet-mask 255.255.255.0;\n"
    "\trange 10.0.0.2 10.0.0.254;\n"
    "\thost fixed { hardware ethernet 58:9c:fc:00:00:09; "
    "option routers 10.0.0.9; }\n"
    "}\n"
    "subnet 192.168.0.0 netmask 255.255.0.0 {\n"
    "\trange 192.168.1.1 192.168.1.9;\n"
    "}\n";

ATF_TC_WITHOUT_HEAD(subnet);
ATF_TC_BODY(subnet, tc)
{
	char r[16];
	int p;

	ATF_REQUIRE(dhcpd_subnet_for(dconf, "10.0.0.7", &p, r) == 1);
	ATF_CHECK_EQ(p, 24);
	ATF_CHECK_STREQ(r, "10.0.0.1");
	ATF_REQUIRE(dhcpd_subnet_for(dconf, "192.168.1.3", &p, r) == 1);
	ATF_CHECK_EQ(p, 16);
	ATF_CHECK_STREQ(r, "");
	ATF_CHECK(dhcpd_subnet_for(dconf, "10.0.1.7", &p, r) == 0);
	ATF_CHECK(dhcpd_subnet_for(dconf, "not an address", &p, r) == 0);
	ATF_CHECK(dhcpd_subnet_for("subnet 10.0.0.0 netmask 255.255.255.0 {",
	    "10.0.0.7", &p, r) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, epoch);
	ATF_TP_ADD_TC(tp, mac);
	ATF_TP_ADD_TC(tp, leases_host_view);
	ATF_TP_ADD_TC(tp, leases_cut);
	ATF_TP_ADD_TC(tp, subnet);
	return (atf_no_error());
}
