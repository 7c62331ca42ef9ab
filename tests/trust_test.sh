# The trust boundary: nothing a jail's root can write chooses a value
# the host acts on.  A jail rewrites its own rc.conf, its dhclient lease
# and its start_if file to another jail's address, to the host's
# 127.0.0.1 or to another jail's MAC; jailer's pf rules, list, info,
# address allocation and dhcpd.conf keep to the host's record.

# pf_host, mkjail and jroot are in jailer.subr.

# ip_of NAME: the IPv4 column of list -H.
ip_of()
{
	jailer list -H | awk -v n="$1" '$1 == n { print $5 }'
}

# check_ip NAME WANT: list shows WANT as the IPv4 address of NAME.
check_ip()
{
	local got
	got=$(ip_of "$1")
	[ "$got" = "$2" ] || atf_fail "list shows $1 with '$got', not '$2'"
}

# Every address in every rule of every jailer anchor, one per line.
rule_addrs()
{
	for a in $(pfctl -a jailer -s Anchors 2>/dev/null); do
		pfctl -a "$a" -s nat 2>/dev/null
	done | grep -Eo '([0-9]+\.){3}[0-9]+' | sort -u
}

# rewrite_rc NAME ID ADDR GW: the jail's root sets its own rc.conf.
rewrite_rc()
{
	local r
	r=$(jroot "$1")/etc/rc.conf
	sed -i -e "/^ifconfig_epair$2b=/d" -e '/^defaultrouter=/d' "$r"
	printf 'ifconfig_epair%sb="inet %s netmask 255.255.255.0"\ndefaultrouter="%s"\n' \
	    "$2" "$3" "$4" >>"$r"
}

# rewrite_lease NAME ID ADDR: the jail's root forges its dhclient lease.
rewrite_lease()
{
	printf 'lease {\n  interface "epair%sb";\n  fixed-address %s;\n  option subnet-mask 255.255.255.0;\n  option routers %s;\n}\n' \
	    "$2" "$3" "$3" >"$(jroot "$1")/var/db/dhclient.leases.epair$2b"
}

atf_test_case static_rc_conf
static_rc_conf_head()
{
	atf_set descr 'a static VNET jail that rewrites its rc.conf to another jail or 127.0.0.1 does not move its rules, list or info'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
static_rc_conf_body()
{
	require_sim
	pf_host
	mkjail s1 -t eb -a 10.0.0.10
	mkjail s2 -t eb -a 10.0.0.20
	atf_check -s exit:0 -o ignore jailer rdr add -p tcp -r 80 -d 8080 s1
	atf_check -s exit:0 -o ignore jailer nat add s1
	for evil in 10.0.0.20 127.0.0.1; do
		rewrite_rc s1 1 "$evil" "$evil"
		atf_check -s exit:0 -o ignore -e empty jailer restart s1
		atf_check -s exit:0 -o ignore -e empty \
		    jailer rdr add -p udp -r 5000 s1
		atf_check -s exit:0 -o inline:'10.0.0.10\n' -x \
		    "pfctl -a jailer/s1 -s nat | grep -Eo '([0-9]+\.){3}[0-9]+' | sort -u"
		atf_check -s exit:0 -o not-match:"$evil" pfctl -a jailer/s1 -s nat
		check_ip s1 10.0.0.10/24
		check_ip s2 10.0.0.20/24
		atf_check -s exit:0 -o match:'^IPv4: 10\.0\.0\.10$' \
		    -o match:'^Gateway: 10\.0\.0\.1$' \
		    -o match:"^Jail claims: $evil/24 via $evil \\(the jail's own files; not used\\)\$" \
		    jailer info s1
		atf_check -s exit:0 -o match:'"ipv4":"10\.0\.0\.10"' \
		    -o match:"\"jail_claims\":\"$evil/24 via $evil\"" jailer info -j s1
		atf_check -s exit:0 -o match:'^s1 .* 10\.0\.0\.10 +yes$' jailer rdr list
		jailer rdr del -n 2 s1 >/dev/null || atf_fail "rdr del failed"
	done
	# A jail that agrees with the host has no claim shown.
	atf_check -s exit:0 -o not-match:'Jail claims' jailer info s2
}

atf_test_case dhcp_lease_file
dhcp_lease_file_head()
{
	atf_set descr "a DHCP jail's forged dhclient lease never reaches a rule; the host's dhcpd binding does"
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
dhcp_lease_file_body()
{
	require_sim
	pf_host
	mkjail d1 -t eb
	mkjail d2 -t eb
	d1=$(ip_of d1)
	d2=$(ip_of d2)
	[ "$d1" = 10.0.0.2/24 ] && [ "$d2" = 10.0.0.3/24 ] ||
	    atf_fail "unexpected leases: $d1 $d2"
	# The host's view is dhcpd's binding for the MAC in the conf file.
	mac=$(sed -n 's/^  \$mac *= "\(.*\)";$/\1/p' "$JAILER_ROOT/etc/jail.conf.d/d1.conf")
	atf_check -s exit:0 -o match:"hardware ethernet $mac;" \
	    -x "grep -A4 'lease 10.0.0.2 ' '$JAILER_ROOT/var/db/dhcpd.leases'"
	for evil in 10.0.0.3 127.0.0.1; do
		rewrite_lease d1 1 "$evil"
		atf_check -s exit:0 -o ignore -e empty \
		    jailer rdr add -p tcp -r 80 d1
		atf_check -s exit:0 -o match:'-> 10\.0\.0\.2 port' \
		    -o not-match:"$evil" pfctl -a jailer/d1 -s nat
		check_ip d1 10.0.0.2/24
		check_ip d2 10.0.0.3/24
		atf_check -s exit:0 -o match:"^Jail claims: $evil/24 via $evil " \
		    jailer info d1
		jailer rdr del -f d1 >/dev/null || atf_fail "rdr del failed"
	done
	# The jail stops asking dhcpd and claims a static 127.0.0.1: the
	# host's view stays its binding (dhcpd keeps it for that MAC).
	atf_check -s exit:0 -o ignore jailer rdr add -p tcp -r 80 d1
	rewrite_rc d1 1 127.0.0.1 127.0.0.1
	atf_check -s exit:0 -o ignore -e empty jailer restart d1
	atf_check -s exit:0 -o match:'-> 10\.0\.0\.2 port' \
	    -o not-match:'127\.0\.0\.1' pfctl -a jailer/d1 -s nat
	check_ip d1 10.0.0.2/24
	rule_addrs >addrs
	atf_check -s exit:1 -o empty grep -F 127.0.0.1 addrs
}

atf_test_case dhcp_expired
dhcp_expired_head()
{
	atf_set descr 'a DHCP jail whose binding expired has no address on the host: its rules are not loaded'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
dhcp_expired_body()
{
	require_sim
	pf_host
	mkjail d1 -t eb
	atf_check -s exit:0 -o ignore jailer rdr add -p tcp -r 80 d1
	atf_check -s exit:0 -o match:'10\.0\.0\.2' pfctl -a jailer/d1 -s nat
	# The binding ended yesterday (dhcpd keeps the record).
	sed -i 's|^\tends .*|\tends 5 2020/01/01 00:00:00;|' \
	    "$JAILER_ROOT/var/db/dhcpd.leases"
	check_ip d1 -
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 81 d1
	atf_check -s exit:0 -o empty -x 'pfctl -a jailer/d1 -s nat 2>/dev/null'
}

# binding MAC: the address dhcpd's lease database binds to MAC now.
binding()
{
	awk -v m="$1" '$1 == "lease" { a = $2 } $1 == "hardware" && $3 == m ";" { b = a } END { print b }' \
	    "$JAILER_ROOT/var/db/dhcpd.leases"
}

conf_mac()
{
	sed -n 's/^  \$mac *= "\(.*\)";$/\1/p' "$JAILER_ROOT/etc/jail.conf.d/$1.conf"
}

atf_test_case mac_spoof
mac_spoof_head()
{
	atf_set descr "a jail that gives itself another jail's MAC: the host set its recorded MAC first, and rules follow dhcpd's bindings (docs/SECURITY.md 5)"
	sim_only "uses the simulated host's own tools and files (.fakebsd/)"
}
mac_spoof_body()
{
	require_sim
	pf_host
	mkjail d1 -t eb
	mkjail d2 -t eb
	atf_check -s exit:0 -o ignore jailer rdr add -p tcp -r 80 d1
	atf_check -s exit:0 -o ignore jailer rdr add -p tcp -r 81 d2
	mac1=$(conf_mac d1)
	mac2=$(conf_mac d2)
	# The host sets the recorded MAC on epair1b (exec.prestart, before
	# the jail's own rc runs).
	grep -qx "ifconfig epair1b ether $mac1" "$JAILER_ROOT/.fakebsd/calls.log" ||
	    atf_fail "no ifconfig epair1b ether $mac1 in the call log"
	echo "ifconfig epair1b ether $mac2" >"$(jroot d1)/etc/start_if.epair1b"
	atf_check -s exit:0 -o ignore -e empty jailer restart d1
	# The jail changed its MAC inside its own stack; dhcpd answered it.
	atf_check -s exit:0 -o match:"ether $mac2" jexec d1 ifconfig epair1b
	# d1's rules keep to the binding of d1's recorded MAC, d2's to the
	# binding of d2's: dhcpd's records, never the jails' files.
	b1=$(binding "$mac1")
	b2=$(binding "$mac2")
	[ "$b1" = 10.0.0.2 ] || atf_fail "d1's binding is '$b1'"
	[ -n "$b2" ] || atf_fail "d2 has no binding"
	atf_check -s exit:0 -o match:"-> $b1 port" pfctl -a jailer/d1 -s nat
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 82 d2
	atf_check -s exit:0 -o match:"-> $b2 port 81" pfctl -a jailer/d2 -s nat
	check_ip d1 10.0.0.2/24
	check_ip d2 "$b2/24"
}

atf_test_case allocation
allocation_head()
{
	atf_set descr "addresses a jail claims in its own files do not reserve them: create and dhcpd.conf follow the host's records"
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
allocation_body()
{
	require_sim
	pf_host
	mkjail s1 -t eb -a 10.0.0.10
	rewrite_rc s1 1 10.0.0.30 10.0.0.1
	# s1 claims .30; the host never gave it: a static jail may have it.
	mkjail s2 -t eb -a 10.0.0.30
	check_ip s2 10.0.0.30/24
	check_ip s1 10.0.0.10/24
	# The DHCP ranges leave out the recorded static addresses only.
	atf_check -s exit:0 -o match:'range 10\.0\.0\.2 10\.0\.0\.9;' \
	    -o match:'range 10\.0\.0\.11 10\.0\.0\.29;' \
	    -o match:'range 10\.0\.0\.31 10\.0\.0\.254;' \
	    cat "$JAILER_ROOT/usr/local/etc/dhcpd.conf"
	# Recorded addresses are refused, whatever the jails' files say.
	atf_check -s exit:1 -o empty -e match:'10\.0\.0\.10 is already in use' \
	    jailer create -t eb -a 10.0.0.10 s3
}

atf_test_case legacy_conf
legacy_conf_head()
{
	atf_set descr 'a VNET conf file without $mac/$ip4 (an older jailer) has no host-known address; no rule is built from its files'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
legacy_conf_body()
{
	require_sim
	pf_host
	mkjail s1 -t eb -a 10.0.0.10
	atf_check -s exit:0 -o ignore jailer rdr add -p tcp -r 80 s1
	sed -i -e '/^  \$ip4 /d' -e '/^  \$gateway /d' -e '/^  \$mac /d' \
	    -e '/ether \${mac}/d' "$JAILER_ROOT/etc/jail.conf.d/s1.conf"
	atf_check -s exit:0 -o ignore -e empty jailer restart s1
	check_ip s1 -
	atf_check -s exit:0 -o empty -x 'pfctl -a jailer/s1 -s nat 2>/dev/null'
	atf_check -s exit:0 -o match:'^Jail claims: 10\.0\.0\.10/24 via 10\.0\.0\.1 ' \
	    jailer info s1
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case static_rc_conf
	atf_add_test_case dhcp_lease_file
	atf_add_test_case dhcp_expired
	atf_add_test_case mac_spoof
	atf_add_test_case allocation
	atf_add_test_case legacy_conf
}
