# A reboot of the simulated host (fakebsd's reboot: the kernel forgets,
# rc(8) starts what rc.conf, devfs.rules, pf.conf and jail.conf say), and
# the jail(8) hooks that load and flush a jail's pf rules whoever starts
# or stops it: rc.d/jail at boot, service jail, jail(8) by hand, jailer.

# ---------------------------------------------------------------- helpers

# sim_reboot [ARGS]: the simulated host's reboot, by its full name (never
# the build machine's own); its console output in boot.out and boot.err.
sim_reboot()
{
	[ -x "$FAKEBSD_BIN/reboot" ] && [ -n "${JAILER_ROOT:-}" ] ||
	    atf_fail "no simulated reboot in $FAKEBSD_BIN"
	atf_check -s exit:0 -o save:boot.out -e save:boot.err \
	    "$FAKEBSD_BIN/reboot" "$@"
}

JAIL_DOMAIN=

# tour: the guided tour's host: bridge, dhcpd, pf; an inherit jail (in0),
# a jail with an address on vtnet0 (www0), a static VNET jail (s1), a
# DHCP VNET jail (app0) and its clone (app02), NAT and redirections for
# s1, app0 and app02, and www0 stopped.
tour()
{
	host_with_services
	mkjail in0
	mkjail www0 -t new -b vtnet0 -a 192.168.64.15
	mkjail s1 -t eb -a 10.0.0.10
	mkjail app0 -t eb
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	mkjail app02 -C -t eb -s app0@prod
	for j in s1 app0 app02; do
		atf_check -s exit:0 -o ignore -e empty jailer nat add $j
	done
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -p tcp -r 80 -d 8080 app0
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -p tcp -r 22 -d 2210 s1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -p tcp -r 443 -d 8443 app02
	atf_check -s exit:0 -o ignore -e empty jailer stop www0
}

# jail_ip NAME: the address "jailer list" shows for NAME (host's view).
jail_ip()
{
	jailer list -H | awk -F'\t' -v n="$1" '$1 == n { sub("/.*", "", $5); print $5 }'
}

# rules_follow NAME WHAT: the anchor of NAME is loaded and every nat and
# rdr rule in it names the jail's address now, and only that one.
rules_follow()
{
	local ip
	ip=$(jail_ip "$1")
	[ -n "$ip" ] && [ "$ip" != "-" ] || atf_fail "$2: $1 has no address"
	pfctl -a "jailer/$1" -s nat >nat.$1 2>/dev/null ||
	    atf_fail "$2: pfctl -s nat failed for $1"
	grep -q . nat.$1 || atf_fail "$2: the rules of $1 are not loaded"
	if grep -vF "$ip" nat.$1 | grep -q .; then
		cat nat.$1
		atf_fail "$2: a rule of $1 does not name its address $ip"
	fi
	grep -Eo '([0-9]{1,3}\.){3}[0-9]{1,3}' nat.$1 | sort -u >addrs.$1
	grep -Evx "$(echo "$ip" | sed 's/\./\\./g')|192\.168\.64\.2" addrs.$1 \
	    | grep -v '^10\.0\.0\.0$' | grep -q . &&
	    { cat nat.$1; atf_fail "$2: a rule of $1 names another address"; }
	return 0
}

# list_norm FILE: "jailer list -H" without the JIDs and the addresses of the DHCP
# jails (app0 and app02: dhcpd may bind them others after a reboot).
list_norm()
{
	jailer list -H | awk -F'\t' 'BEGIN { OFS = "\t" }
	    $1 == "app0" || $1 == "app02" { $5 = "DHCP" } { $3 = "JID"; print }' >"$1"
}

# assert_after_boot WHAT: every jail runs, with its network and rules.
assert_after_boot()
{
	local j
	jls -q name | sort >running
	printf '%s\n' app0 app02 in0 s1 www0 >expected
	atf_check -s exit:0 -o file:expected cat running
	for j in s1 app0 app02; do
		rules_follow $j "$1"
	done
	# The host's network came back from rc.conf.
	ifconfig bridge0 | grep -q 'inet 10\.0\.0\.1 ' ||
	    atf_fail "$1: bridge0 lost its address"
	ifconfig vtnet0 | grep -q 'inet 192\.168\.64\.15 ' ||
	    atf_fail "$1: www0's address is not on vtnet0"
	route -n get default | grep -q 'gateway: 192\.168\.64\.1' ||
	    atf_fail "$1: no default route"
	atf_check -s exit:0 -o inline:'1\n' sysctl -n net.inet.ip.forwarding
	pfctl -s info | grep -q 'Status: Enabled' ||
	    atf_fail "$1: pf is not enabled"
	consistent "$1"
}

# strip_hooks: the conf files as the current release writes them (no
# hooks), as on a host not yet upgraded.
strip_hooks()
{
	local f
	for f in "$JAILER_ROOT"/etc/jail.conf.d/*.conf; do
		grep -v 'jailer hook' "$f" >"$f.old" && mv "$f.old" "$f"
	done
}

# ---------------------------------------------------------------- cases

atf_test_case tour_reboot
tour_reboot_head()
{
	atf_set descr 'after the whole tour, a reboot brings back every jail with its network and its rules, for its address after the boot; list is the same; gc finds nothing'
	atf_set timeout 600
	sim_only "reboots the simulated host"
}
tour_reboot_body()
{
	require_sim
	tour
	atf_check -s exit:0 -o ignore -e empty jailer start www0
	list_norm before
	atf_check -s exit:0 -o ignore -e empty jailer stop www0
	sim_reboot
	assert_after_boot "after reboot"
	list_norm after
	atf_check -s exit:0 -o file:before cat after
}

atf_test_case reboot_quick
reboot_quick_head()
{
	atf_set descr 'reboot -q (no shutdown: a crash): the same jails, network and rules come back, and nothing is left over'
	atf_set timeout 600
	sim_only "reboots the simulated host"
}
reboot_quick_body()
{
	require_sim
	tour
	sim_reboot -q
	assert_after_boot "after reboot -q"
}

atf_test_case reboot_new_address
reboot_new_address_head()
{
	atf_set descr 'a DHCP jail bound another address at boot: its rules name the new address, and gc finds nothing'
	atf_set timeout 600
	sim_only "reboots the simulated host"
}
reboot_new_address_body()
{
	require_sim
	local old l
	tour
	old=$(jail_ip app0)
	[ -n "$old" ] || atf_fail "app0 has no address"
	# Another client holds app0's address in dhcpd's leases at boot.
	l="$JAILER_ROOT/var/db/dhcpd.leases"
	printf 'lease %s {\n\tstarts 4 2030/01/01 00:00:00;\n\tends 4 2030/01/02 00:00:00;\n\thardware ethernet 02:00:00:00:00:99;\n}\n' \
	    "$old" >>"$l"
	python3 - "$l" "$old" <<'EOF'
import sys
p, old = sys.argv[1], sys.argv[2]
blocks = open(p).read().split('}\n')
keep = [b for b in blocks if b.strip() and
        not (b.startswith('lease %s {' % old) and '02:00:00:00:00:99' not in b)]
open(p, 'w').write('}\n'.join(keep) + '}\n')
EOF
	sim_reboot -q
	[ "$(jail_ip app0)" != "$old" ] ||
	    atf_fail "app0 kept $old, held by another client"
	assert_after_boot "after a reboot with a new address"
}

atf_test_case upgrade_reboot
upgrade_reboot_head()
{
	atf_set descr 'conf files written by the current release (no hooks): init adds the hooks and changes nothing else; then a reboot brings the rules back'
	atf_set timeout 600
	sim_only "compares the simulated host's files and state.json (save_host_restorable)"
}
upgrade_reboot_body()
{
	require_sim
	local f n
	tour
	strip_hooks
	mkdir old
	cp -p "$JAILER_ROOT"/etc/jail.conf.d/*.conf old/
	save_host_restorable
	atf_check -s exit:0 -o match:'Adding the pf hooks to the conf files? of 5 jails?' \
	    -e empty jailer init -y
	for f in old/*.conf; do
		n=${f##*/}
		grep -c 'jailer hook' "$JAILER_ROOT/etc/jail.conf.d/$n" >count
		atf_check -s exit:0 -o inline:'2\n' cat count
		grep -v 'jailer hook' "$JAILER_ROOT/etc/jail.conf.d/$n" >stripped
		atf_check -s exit:0 -o file:"$f" cat stripped
	done
	# Nothing else on the host changed: the jails run on, as they were.
	jls -q name | sort >running
	printf '%s\n' app0 app02 in0 s1 >expected
	atf_check -s exit:0 -o file:expected cat running
	atf_check -s exit:0 -o match:'nothing to do' -e empty jailer init -y
	sim_reboot
	assert_after_boot "after the upgrade and a reboot"
}

atf_test_case not_upgraded_loses_rules
not_upgraded_loses_rules_head()
{
	atf_set descr 'the case the hooks fix: conf files without them boot with empty anchors (start puts the rules back)'
	atf_set timeout 600
	sim_only "reboots the simulated host (sim_reboot)"
}
not_upgraded_loses_rules_body()
{
	require_sim
	tour
	strip_hooks
	sim_reboot -q
	atf_check -s exit:0 -o empty -e ignore pfctl -a jailer/app0 -s nat
	atf_check -s exit:0 -o ignore -e empty jailer stop app0
	atf_check -s exit:0 -o ignore -e empty jailer start app0
	rules_follow app0 "after jailer start"
}

atf_test_case service_jail
service_jail_head()
{
	atf_set descr 'service jail stop/start NAME and jail -r/-c by hand flush and load the rules, for the address now'
	atf_set timeout 600
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
service_jail_body()
{
	require_sim
	tour
	atf_check -s exit:0 -o ignore -e empty service jail stop app0
	atf_check -s exit:1 -o ignore -e ignore jls -j app0 jid
	atf_check -s exit:0 -o empty -e ignore pfctl -a jailer/app0 -s nat
	atf_check -s exit:0 -o match:'Starting jails: app0\.' -e empty \
	    service jail start app0
	rules_follow app0 "after service jail start"
	atf_check -s exit:0 -o ignore -e empty \
	    jail -f /etc/jail.conf.d/s1.conf -r s1
	atf_check -s exit:0 -o empty -e ignore pfctl -a jailer/s1 -s nat
	atf_check -s exit:0 -o ignore -e empty \
	    jail -f /etc/jail.conf.d/s1.conf -c s1
	rules_follow s1 "after jail -c"
	# jailer agrees: nothing to clean up, list shows them running.
	atf_check -s exit:0 -o match:'^s1 +Active' -o match:'^app0 +Active' \
	    -e empty jailer list
	consistent "after service jail and jail(8)"
	atf_check -s exit:0 -o ignore -e empty jailer stop s1
	atf_check -s exit:0 -o empty -e ignore pfctl -a jailer/s1 -s nat
}

atf_test_case hook_hostile
hook_hostile_head()
{
	atf_set descr 'hook start takes the address from the host (conf file, dhcpd leases), never from files the jail can write'
	atf_set timeout 600
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
hook_hostile_body()
{
	require_sim
	local r
	tour
	atf_check -s exit:0 -o ignore -e empty jailer stop app0
	atf_check -s exit:0 -o ignore -e empty jailer stop s1
	for j in app0 s1; do
		r=$(jroot $j)
		mkdir -p "$r/var/db" "$r/etc"
		printf 'ifconfig_epair9b="inet 6.6.6.6/24"\nifconfig_epair0b="inet 6.6.6.6/24"\n' >>"$r/etc/rc.conf"
		for i in epair0b epair1b epair2b epair3b epair4b; do
			printf 'lease {\n  interface "%s";\n  fixed-address 6.6.6.6;\n}\n' $i \
			    >"$r/var/db/dhclient.leases.$i"
		done
		ln -sf /etc/master.passwd "$r/var/db/dhclient.leases.epair9b"
	done
	atf_check -s exit:0 -o ignore -e ignore service jail start app0 s1
	rules_follow app0 "hostile app0"
	rules_follow s1 "hostile s1"
	pfctl -a jailer/app0 -s nat | grep -q 6.6.6.6 &&
	    atf_fail "the jail chose an address"
	atf_check -s exit:0 -o empty -e empty jailer hook start s1
	rules_follow s1 "hook by hand"
}

atf_test_case hook_errors
hook_errors_head()
{
	atf_set descr 'hook: usage errors exit 2, bad or unknown names exit 1 with one line, and nothing changes'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
hook_errors_body()
{
	require_sim
	host_with_services
	mkjail d1 -t eb
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 d1
	save_host
	atf_check -s exit:2 -o empty -e match:'^  jailer hook start \| stop name$' jailer hook
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer hook start
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer hook restart d1
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer hook start d1 d2
	atf_check -s exit:1 -o empty -e match:'^jailer: ' jailer hook start 'a;b'
	atf_check -s exit:1 -o empty -e match:'^jailer: ' jailer hook stop ../etc
	assert_host_unchanged
	# A jail without rules, or unknown: nothing to do.
	atf_check -s exit:0 -o empty -e empty jailer hook start nosuch
	atf_check -s exit:0 -o empty -e empty jailer hook stop nosuch
	assert_host_unchanged
	# A stopped jail's rules are not loaded by a start hook.
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	atf_check -s exit:0 -o empty -e match:'^jailer: d1: .*not running' \
	    jailer hook start d1
	atf_check -s exit:0 -o empty -e ignore pfctl -a jailer/d1 -s nat
}

# hsweep CMD...: a fault at each program CMD (a hook) runs: it still exits
# 0 with at most a warning, and the anchor is either loaded whole (as by
# a clean run) or as it was.
hsweep()
{
	local n k
	rm -rf base
	cp -a "$JAILER_ROOT" base
	calls_reset
	"$@" >out 2>err || { cat err; atf_fail "$*: failed"; }
	pfctl -a jailer/d1 -s nat >clean
	n=$(calls_count)
	[ "$n" -ge 2 ] || atf_fail "only $n calls"
	k=1
	while [ "$k" -le "$n" ]; do
		rm -rf "$JAILER_ROOT"
		cp -a base "$JAILER_ROOT"
		pfctl -a jailer/d1 -s nat >was
		env FAKEBSD_FAIL="#$k" "$@" >out 2>err ||
		    { cat err; atf_fail "#$k: $* exited non-zero"; }
		[ "$(wc -l <err)" -le 1 ] || { cat err; atf_fail "#$k: more than a warning"; }
		pfctl -a jailer/d1 -s nat >now
		cmp -s now clean || cmp -s now was ||
		    { cat now; atf_fail "#$k: the anchor is half loaded"; }
		k=$((k + 1))
	done
	rm -rf "$JAILER_ROOT"
	cp -a base "$JAILER_ROOT"
}

atf_test_case hook_sweep
hook_sweep_head()
{
	atf_set descr 'fault sweep of hook start and hook stop: exit 0, one warning at most, the anchor whole or as it was'
	atf_set timeout 900
	sim_only "fault injection (hsweep)"
}
hook_sweep_body()
{
	require_sim
	host_with_services
	mkjail d1 -t eb
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 d1
	atf_check -s exit:0 -o ignore -e empty jailer nat add d1
	atf_check -s exit:0 -o ignore -e ignore pfctl -a jailer/d1 -F all
	hsweep jailer hook start d1
	atf_check -s exit:0 -o ignore -e empty jailer hook start d1
	hsweep jailer hook stop d1
}

atf_test_case upgrade_sweep
upgrade_sweep_head()
{
	atf_set descr 'fault sweep of the init step that adds the hooks: a failed init leaves every conf file as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
upgrade_sweep_body()
{
	require_sim
	host_with_services
	mkjail d1 -t eb
	mkjail d2
	strip_hooks
	host_sweep jailer init -y
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case tour_reboot
	atf_add_test_case reboot_quick
	atf_add_test_case reboot_new_address
	atf_add_test_case upgrade_reboot
	atf_add_test_case not_upgraded_loses_rules
	atf_add_test_case service_jail
	atf_add_test_case hook_hostile
	atf_add_test_case hook_errors
	atf_add_test_case hook_sweep
	atf_add_test_case upgrade_sweep
}
