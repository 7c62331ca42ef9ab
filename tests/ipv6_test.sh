# IPv6 for jails: create -a given once per address family (a static
# ADDRESS/PREFIX for -t new and -t eb, slaac for -t eb), the address
# recorded in the jail's conf file and never read back from its root.

# ---------------------------------------------------------------- helpers

# The jails have no domain (no -d).
JAIL_DOMAIN=

# Read-only: jailer.subr's list, plus "ifconfig" (the host's addresses,
# for the uniqueness of an IPv6 address), route and pfctl -s (rdr add).
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig$|ifconfig -l$|ifconfig [A-Za-z0-9_.]+$|route -n get |pfctl -a [^ ]+ -s |pfctl -s )'

# assert_rc J NAME VALUE: the rc.conf variable NAME in the root of the
# jail J is VALUE ("" if it is not set).
assert_rc()
{
	local v
	v=$(sed -n "s/^$2=\"\\(.*\\)\"\$/\\1/p" "$(jroot "$1")/etc/rc.conf")
	[ "$v" = "$3" ] || atf_fail "$1: rc.conf $2 is '$v', expected '$3'"
}

# ------------------------------------------------------------------ cases

atf_test_case new_static
new_static_head()
{
	atf_set descr "-t new with an IPv6 ADDRESS/PREFIX: ip6.addr on the host interface"
	sim_only "the host's network"
}
new_static_body()
{
	require_sim
	host_with_image
	mkjail n6 -t new -b vtnet0 -a 2001:DB8:0:0::10/64
	atf_check -s exit:0 -o match:'^  ip6.addr        = "2001:db8::10/64";$' \
	    cat "$(jconf n6)"
	atf_check -s exit:0 -o match:'ip4.addr' cat "$(jconf n6)"
	atf_check -s exit:0 -o match:'inet6 2001:db8::10 prefixlen 64' \
	    ifconfig vtnet0
	atf_check -s exit:0 -o match:'2001:db8::10' jls -j n6 ip6.addr
	atf_check -s exit:0 -o ignore -e empty jailer stop n6
	atf_check -s exit:0 -o not-match:'2001:db8::10' ifconfig vtnet0
	# An address left behind (its removal failed at stop) goes with
	# destroy.
	ifconfig vtnet0 inet6 2001:db8::10/64 alias >/dev/null ||
	    atf_fail "cannot add an address to vtnet0"
	atf_check -s exit:0 -o ignore -e empty jailer destroy n6
	atf_check -s exit:0 -o not-match:'2001:db8::10' ifconfig vtnet0
	assert_called 'ifconfig vtnet0 inet6 2001:db8::10 -alias'
}

atf_test_case eb_static
eb_static_head()
{
	atf_set descr "-t eb with a static IPv6 address and gateway: rc.conf and \$ip6"
	sim_only "the host's network"
}
eb_static_body()
{
	require_sim
	host_with_services
	mkjail e6 -t eb -a 2001:db8:1::20/64 -g 2001:db8:1::1
	atf_check -s exit:0 -o match:'^  \$ip6            = "2001:db8:1::20/64";$' \
	    -o match:'^  \$gateway6       = "2001:db8:1::1";$' cat "$(jconf e6)"
	id=$(sed -n 's/^  \$id *= "\(.*\)";$/\1/p' "$(jconf e6)")
	assert_rc e6 "ifconfig_epair${id}b_ipv6" "inet6 2001:db8:1::20/64"
	assert_rc e6 ipv6_defaultrouter "2001:db8:1::1"
	# IPv4 is still DHCP: -a gave only an IPv6 address.
	assert_rc e6 "ifconfig_epair${id}b" "SYNCDHCP"
	assert_rc e6 rtsold_enable ""
}

atf_test_case eb_slaac
eb_slaac_head()
{
	atf_set descr "-t eb -a slaac: accept_rtadv and rtsold in the jail's rc.conf"
	sim_only "the host's network"
}
eb_slaac_body()
{
	require_sim
	host_with_services
	mkjail s6 -t eb -a slaac
	atf_check -s exit:0 -o match:'^  \$ip6            = "slaac";$' \
	    cat "$(jconf s6)"
	id=$(sed -n 's/^  \$id *= "\(.*\)";$/\1/p' "$(jconf s6)")
	assert_rc s6 "ifconfig_epair${id}b_ipv6" "inet6 accept_rtadv"
	assert_rc s6 rtsold_enable "YES"
	assert_rc s6 ipv6_defaultrouter ""
	refused "-g with slaac" jailer create -t eb -a slaac -g 2001:db8::1 s7
	refused "slaac for new" jailer create -t new -b vtnet0 -a slaac s8
}

atf_test_case dual_stack
dual_stack_head()
{
	atf_set descr "-a twice: one IPv4 and one IPv6 address, in either order"
	sim_only "the host's network"
}
dual_stack_body()
{
	require_sim
	host_with_services
	mkjail d1 -t eb -a 2001:db8:2::5/64 -a 10.0.0.50 -g 2001:db8:2::1
	id=$(sed -n 's/^  \$id *= "\(.*\)";$/\1/p' "$(jconf d1)")
	assert_rc d1 "ifconfig_epair${id}b" "inet 10.0.0.50 netmask 255.255.255.0"
	assert_rc d1 defaultrouter "10.0.0.1"
	assert_rc d1 "ifconfig_epair${id}b_ipv6" "inet6 2001:db8:2::5/64"
	assert_rc d1 ipv6_defaultrouter "2001:db8:2::1"
	mkjail d2 -t new -b vtnet0 -a 10.0.2.77 -a 2001:db8:3::7/64
	atf_check -s exit:0 -o match:'ip4.addr        = "10.0.2.77";' \
	    -o match:'ip6.addr        = "2001:db8:3::7/64";' cat "$(jconf d2)"
	refused "two IPv4" jailer create -t eb -a 10.0.0.51 -a 10.0.0.52 d3
	refused "two IPv6" jailer create -t eb -a 2001:db8::1/64 -a slaac d3
	atf_check -s exit:2 -o empty -e match:'once per address family' \
	    jailer create -t eb -a 2001:db8::1/64 -a 2001:db8::2/64 d3
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr "create -D shows the IPv6 lines and changes nothing"
	sim_only "the call log"
}
dry_run_body()
{
	require_sim
	host_with_services
	save_host_restorable
	atf_check -s exit:0 -o match:'\$ip6 *= "2001:db8::9/64";' \
	    -o match:'ifconfig_epair[0-9]+b_ipv6="inet6 2001:db8::9/64" ipv6_defaultrouter="2001:db8::1"' \
	    -e empty jailer create -D -t eb -a 2001:db8::9/64 -g 2001:db8::1 x1
	assert_host_restored
}

atf_test_case hostile_addresses
hostile_addresses_head()
{
	atf_set descr "bad IPv6 addresses are refused with one line, host unchanged"
	sim_only "the call log"
}
hostile_addresses_body()
{
	require_sim
	host_with_services
	save_host_restorable
	for a in "::1/128" "::1" "fe80::1/64" "1::/129" "1:::2/64" "ff02::1/64" \
	    "::/64" "::ffff:10.0.0.9/96" "2001:db8::1/0" "2001:db8::1/064" \
	    "2001:db8::1/64 " " 2001:db8::1/64" "2001:db8::1
/64" "2001:db8::1/6
4" "2001:db8::1/64;" "2001:db8::1%lo0/64" "2001:db8::1/" \
	    "2001:db8::1/-1" "1.2.3.4/64" "2001:db8::1"; do
		refused "eb -a '$a'" jailer create -t eb -a "$a" bad
		refused "new -a '$a'" jailer create -t new -b vtnet0 -a "$a" bad
	done
	for g in "fe80::1" "::1" "ff02::2" "2001:db8::1/64" "2001:db8:::1"; do
		refused "-g '$g'" jailer create -t eb -a 2001:db8::5/64 -g "$g" bad
	done
	refused "-g v6 without -a v6" jailer create -t eb -g 2001:db8::1 bad
	refused "inherit" jailer create -t inherit -a 2001:db8::5/64 bad
	atf_check -s exit:1 -o empty -e match:"invalid IPv6 address '1:::2/64'" \
	    jailer create -t eb -a 1:::2/64 bad
	assert_host_restored
}

atf_test_case unique
unique_head()
{
	atf_set descr "an IPv6 address another jail or the host has is refused"
	sim_only "the host's network"
}
unique_body()
{
	require_sim
	host_with_services
	mkjail u1 -t eb -a 2001:db8::10/64
	mkjail u2 -t new -b vtnet0 -a 2001:db8:5::10/64
	atf_check -s exit:0 -o ignore -e empty jailer stop u2
	ifconfig vtnet0 inet6 2001:db8:7::1/64 alias >/dev/null ||
	    atf_fail "cannot add an address to vtnet0"
	for a in 2001:db8::10/64 2001:0db8:0000::0010/48 2001:db8:5::10/64 \
	    2001:db8:7::1/64; do
		refused "eb $a" jailer create -t eb -a "$a" u3
		refused "new $a" jailer create -t new -b vtnet0 -a "$a" u3
	done
	atf_check -s exit:1 -o empty -e match:'2001:db8::10 is already in use' \
	    jailer create -t eb -a 2001:0db8::0010/64 u3
	mkjail u3 -t eb -a 2001:db8::11/64
}

atf_test_case hostile_root
hostile_root_head()
{
	atf_set descr "a jail's root claiming another IPv6 address is ignored"
	sim_only "the host's network"
}
hostile_root_body()
{
	require_sim
	host_with_services
	mkjail h1 -t eb -a 2001:db8::10/64
	id=$(sed -n 's/^  \$id *= "\(.*\)";$/\1/p' "$(jconf h1)")
	printf 'ifconfig_epair%sb_ipv6="inet6 2001:db8::99/64"\nipv6_defaultrouter="2001:db8::98"\n' \
	    "$id" >>"$(jroot h1)/etc/rc.conf"
	# The jail's claim does not take 2001:db8::99, and .10 stays taken.
	mkjail h2 -t eb -a 2001:db8::99/64
	refused "taken" jailer create -t eb -a 2001:db8::10/64 h3
	atf_check -s exit:0 -o match:'"ip6":"2001:db8::10/64"' jailer info -j h1
	# A symlinked rc.conf in a new jail's root is not followed.
	rm "$(jroot h2)/etc/rc.conf"
	ln -s /etc/master.passwd "$(jroot h2)/etc/rc.conf"
	atf_check -s exit:0 -o match:'"ip6":"2001:db8::99/64"' jailer info -j h2
}

atf_test_case listing
listing_head()
{
	atf_set descr "list -j, list -l and info show the IPv6 address"
	sim_only "the host's network"
}
listing_body()
{
	require_sim
	host_with_services
	mkjail l4 -t eb -a 10.0.0.40
	jailer list >before || atf_fail "list failed"
	mkjail l6 -t eb -a 10.0.0.41 -a 2001:db8::41/64 -g 2001:db8::1
	mkjail ls -t eb -a slaac
	# The text columns of list are those of IPv4 jails.
	atf_check -s exit:0 -o not-match:'IP6' -o not-match:'2001' jailer list
	atf_check -s exit:0 -o match:'"name":"l6"[^}]*"ip6":"2001:db8::41/64"' \
	    -o match:'"name":"ls"[^}]*"ip6":"slaac"' \
	    -o not-match:'"name":"l4"[^}]*"ip6"' jailer list -j
	# -H keeps its six fields; -l -H adds the seventh.
	atf_check -s exit:0 -o match:'^l6	Active	2	[^	]*	10.0.0.41/24	10.0.0.1$' \
	    jailer list -H
	atf_check -s exit:0 \
	    -o match:'^l6	Active	2	[^	]*	10.0.0.41/24	10.0.0.1	2001:db8::41/64$' \
	    -o match:'^l4	Active	1	[^	]*	10.0.0.40/24	10.0.0.1	-$' \
	    jailer list -H -l
	atf_check -s exit:0 -o match:'IP6' \
	    -o match:'^l6 .* 2001:db8::41/64$' -o match:'^ls .* slaac$' \
	    -o match:'^l4 .* -$' jailer list -l
	atf_check -s exit:0 -o match:'"ip6":"2001:db8::41/64"' \
	    -o match:'"gateway6":"2001:db8::1"' jailer info -j l6
	atf_check -s exit:0 -o match:'^IPv6: 2001:db8::41/64$' \
	    -o match:'^IPv6 gateway: 2001:db8::1$' jailer info l6
	atf_check -s exit:0 -o match:'^IPv6: slaac$' \
	    -o not-match:'IPv6 gateway' jailer info ls
	atf_check -s exit:0 -o not-match:'ip6' jailer info -j l4
	atf_check -s exit:0 -o not-match:'IPv6' jailer info l4
}

atf_test_case rdr_inet6
rdr_inet6_head()
{
	atf_set descr "rdr add -a IPV6: an inet6 rule to the jail's static IPv6 address"
	sim_only "the host's pf"
}
rdr_inet6_body()
{
	require_sim
	host_with_services
	mkjail r6 -t eb -a 10.0.0.70 -a 2001:db8::70/64 -g 2001:db8::1
	mkjail rs -t eb -a slaac
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -a 2001:0DB8:0::0001 -p tcp -r 80 -d 8080 r6
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 r6
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -i vtnet0 -a 2001:db8:ff::1 -p udp -r 53:54 r6
	atf_check -s exit:0 -o match:'^rdr 1 vtnet0 2001:db8::1 tcp 80 8080$' \
	    -o match:'^rdr 2 vtnet0 - tcp 80 80$' \
	    -o match:'^rdr 3 vtnet0 2001:db8:ff::1 udp 53:54 53$' \
	    cat root/usr/local/etc/jailer/pf/r6.rules
	atf_check -s exit:0 \
	    -o match:'^rdr pass on vtnet0 inet6 proto tcp from any to 2001:db8::1 port = http -> 2001:db8::70 port 8080$' \
	    -o match:'^rdr pass on vtnet0 inet proto tcp from any to \(vtnet0:0\) port = http -> 10\.0\.0\.70 port 80$' \
	    -o match:'^rdr pass on vtnet0 inet6 proto udp from any to 2001:db8:ff::1 port 53:54 -> 2001:db8::70 port 53:54$' \
	    -x "pfctl -a jailer/r6 -s nat 2>/dev/null"
	atf_check -s exit:0 -o match:'2001:db8::70 +yes' \
	    -o match:'10\.0\.0\.70 +yes' jailer rdr list r6
	# The rules come back at start.
	atf_check -s exit:0 -o ignore -e empty jailer restart r6
	atf_check -s exit:0 -o match:'inet6 proto tcp .* -> 2001:db8::70 port 8080' \
	    -x "pfctl -a jailer/r6 -s nat 2>/dev/null"
	# An IPv4 and an IPv6 rule do not conflict on one port; two IPv6 do.
	mkjail r7 -t eb -a 2001:db8::71/64
	atf_check -s exit:1 -o empty \
	    -e match:'tcp port 80 on vtnet0 is already redirected to the jail r6' \
	    jailer rdr add -a 2001:db8::1 -p tcp -r 80 r7
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -a 2001:db8::2 -p tcp -r 80 r7
	refused "slaac jail" jailer rdr add -a 2001:db8::2 -p tcp -r 81 rs
	refused "link-local" jailer rdr add -a fe80::1 -p tcp -r 82 r6
	refused "bad v6" jailer rdr add -a 2001:db8:::1 -p tcp -r 82 r6
	refused "nat v6" jailer nat add -a 2001:db8::1 r6
	atf_check -s exit:1 -o empty -e match:'static IPv6 address' \
	    jailer rdr add -a 2001:db8::2 -p tcp -r 81 rs
	atf_check -s exit:1 -o empty -e match:'NAT is for IPv4 only' \
	    jailer nat add -a 2001:db8::1 r6
	host_sweep jailer rdr add -a 2001:db8::1 -p tcp -r 443 r6
}

atf_test_case bridge_inet6
bridge_inet6_head()
{
	atf_set descr "init bridge -a IPV6/PREFIX: rc.conf, the address now and at boot, eb's default -g"
	sim_only "the host's network and reboot"
}
bridge_inet6_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o match:'IPv6 address      : 2001:db8:10::1/64' \
	    -e empty jailer init bridge -y -a 2001:DB8:10::1/64
	atf_check -s exit:0 -o match:'^ifconfig_bridge0_ipv6="inet6 2001:db8:10::1/64"$' \
	    -o match:'^ifconfig_bridge0="inet 10.0.0.1/24 up"$' cat root/etc/rc.conf
	atf_check -s exit:0 -o match:'inet6 2001:db8:10::1 prefixlen 64' \
	    ifconfig bridge0
	atf_check -s exit:0 -o match:'nothing to do' -e empty \
	    jailer init bridge -y -a 2001:db8:10::1/64
	refused "another v6" jailer init bridge -y -a 2001:db8:11::1/64
	refused "two v6" jailer init bridge -y -a 2001:db8:10::1/64 -a 2001:db8:12::1/64
	refused "a /128" jailer init bridge -y -i bridge1 -a 2001:db8:13::1/128
	refused "link-local" jailer init bridge -y -i bridge1 -a fe80::1/64
	refused "taken" jailer init bridge -y -i bridge1 -a 2001:db8:10::1/64
	for s in dhcp pf; do
		jailer init $s -y >/dev/null 2>&1 || atf_fail "jailer init $s -y failed"
	done
	# -g defaults to the bridge's address on the jail's subnet.
	mkjail b1 -t eb -a 2001:db8:10::5/64
	atf_check -s exit:0 -o match:'^  \$gateway6       = "2001:db8:10::1";$' \
	    cat "$(jconf b1)"
	assert_rc b1 ipv6_defaultrouter "2001:db8:10::1"
	id=$(sed -n 's/^  \$id *= "\(.*\)";$/\1/p' "$(jconf b1)")
	atf_check -s exit:0 -o match:'inet6 2001:db8:10::5 prefixlen 64' \
	    ifconfig -j b1 "epair${id}b"
	# Another subnet: no default.
	mkjail b2 -t eb -a 2001:db8:20::5/64
	atf_check -s exit:0 -o not-match:'gateway6' cat "$(jconf b2)"
	# At boot the bridge gets its IPv6 address again.
	"$FAKEBSD_BIN/reboot" >/dev/null 2>&1 || atf_fail "reboot failed"
	atf_check -s exit:0 -o match:'inet6 2001:db8:10::1 prefixlen 64' \
	    ifconfig bridge0
}

atf_test_case faults_bridge
faults_bridge_head()
{
	atf_set descr "a fault sweep of init bridge with IPv6"
	sim_only "fault injection"
}
faults_bridge_body()
{
	require_sim
	host_with_image
	host_sweep jailer init bridge -y -a 2001:db8:10::1/64
}

atf_test_case faults_create
faults_create_head()
{
	atf_set descr "a fault sweep of create with IPv6 (eb static, new)"
	sim_only "fault injection"
}
faults_create_body()
{
	require_sim
	host_with_services
	host_sweep jailer create -t eb -a 10.0.0.60 -a 2001:db8::60/64 \
	    -g 2001:db8::1 f1
	host_sweep jailer create -t new -b vtnet0 -a 2001:db8:9::60/64 f2
	host_sweep jailer create -t eb -a slaac f3
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case new_static
	atf_add_test_case eb_static
	atf_add_test_case eb_slaac
	atf_add_test_case dual_stack
	atf_add_test_case dry_run
	atf_add_test_case hostile_addresses
	atf_add_test_case unique
	atf_add_test_case hostile_root
	atf_add_test_case listing
	atf_add_test_case rdr_inet6
	atf_add_test_case faults_create
	atf_add_test_case bridge_inet6
	atf_add_test_case faults_bridge
}
