# jailer create: conf files (golden), datasets, files in the jail root,
# network types, addresses, ids, images, the dry run, and the refusal of
# every hostile argument before anything runs.

# assert_no_mutation, refused, host_state_norm, make_bridge, jroot, jconf,
# mkjail, assert_running and check_rc are in jailer.subr.

save_host_norm()
{
	host_state_norm >"$PWD/.host_norm.saved" || atf_fail "host_state failed"
}

assert_host_norm_unchanged()
{
	host_state_norm >"$PWD/.host_norm.now" || atf_fail "host_state failed"
	if ! diff -u "$PWD/.host_norm.saved" "$PWD/.host_norm.now"; then
		atf_fail "${1:+$1: }the simulated host changed"
	fi
}

# golden FILE: the path of an expected file in tests/golden (staged next
# to the test programs, or reached through the fakebsd link).
golden()
{
	local d
	for d in "$(atf_get_srcdir)/golden" "$(atf_get_srcdir)/fakebsd/../golden"; do
		if [ -f "$d/$1" ]; then
			echo "$d/$1"
			return 0
		fi
	done
	atf_fail "golden file $1 not found"
}

atf_test_case inherit_golden
inherit_golden_head()
{
	atf_set descr 'an inherit jail: golden conf, managed dataset with @base, files, running'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
inherit_golden_body()
{
	require_sim
	host_with_image
	calls_reset
	mkjail db0
	atf_check -s exit:0 -o file:"$(golden inherit.conf)" cat "$(jconf db0)"
	assert_running db0
	atf_check -s exit:0 -o inline:'db0.example.org\n' \
	    jls -j db0 host.hostname
	atf_check -s exit:0 -o inline:'jail\n' \
	    zfs get -H -o value jailer:managed zroot/jails/db0
	atf_check -s exit:0 -o inline:'/usr/local/jails/db0\n' \
	    zfs get -H -o value mountpoint zroot/jails/db0
	atf_check -s exit:0 -o inline:'zroot/jails/db0@base\n' \
	    zfs list -H -o name -t snapshot -r zroot/jails/db0
	# A copy, not a clone.
	atf_check -s exit:0 -o inline:'-\n' \
	    zfs get -H -o value origin zroot/jails/db0
	# The image's files are there.
	atf_check -s exit:0 -o match:'14.3-RELEASE' cat "$(jroot db0)/COPYRIGHT"
	atf_check -s exit:0 -o empty \
	    cmp "$JAILER_ROOT/etc/resolv.conf" "$(jroot db0)/etc/resolv.conf"
	check_rc db0 sendmail_enable 'NONE'
	check_rc db0 syslogd_flags '-ss'
	check_rc db0 cron_enable ''
	atf_check -s not-exit:0 -o ignore test -e "$(jroot db0)/etc/start_if.epair1b"
	calls >log
	atf_check -s exit:0 -o ignore \
	    grep -x 'zfs send zroot/jails/image/14.3-RELEASE@base' log
	atf_check -s exit:0 -o ignore \
	    grep -x 'zfs recv -o jailer:managed=jail zroot/jails/db0' log
	atf_check -s exit:0 -o ignore \
	    grep -x 'jail -f /etc/jail.conf.d/db0.conf -c db0' log
	# No fetch: the image was there.
	atf_check -s not-exit:0 grep -q '^fetch' log
	fs_outside_untouched
}

atf_test_case new_golden
new_golden_head()
{
	atf_set descr '-t new: golden conf, the first free address, an alias on vtnet0'
	sim_only "names the simulated host's pool, zroot"
}
new_golden_body()
{
	require_sim
	host_with_image
	mkjail www0 -t new -b vtnet0
	atf_check -s exit:0 -o file:"$(golden new.conf)" cat "$(jconf www0)"
	assert_running www0
	atf_check -s exit:0 -o inline:'192.168.64.3\n' jls -j www0 ip4.addr
	atf_check -s exit:0 -o match:'inet 192\.168\.64\.3 netmask 0xffffffff' \
	    ifconfig vtnet0
	atf_check -s exit:0 -o inline:'jail\n' \
	    zfs get -H -o value jailer:managed zroot/jails/www0
}

atf_test_case eb_dhcp_golden
eb_dhcp_golden_head()
{
	atf_set descr '-t eb: golden conf, SYNCDHCP, a 58:9c:fc MAC in start_if, epair on the bridge'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
eb_dhcp_golden_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail app0 -t eb
	mac=$(awk '{print $4}' "$(jroot app0)/etc/start_if.epair1b")
	sed "s/\"MAC\"/\"$mac\"/" "$(golden eb.conf)" >expected
	atf_check -s exit:0 -o file:expected cat "$(jconf app0)"
	assert_running app0
	check_rc app0 ifconfig_epair1b 'SYNCDHCP'
	check_rc app0 defaultrouter ''
	atf_check -s exit:0 \
	    -o match:'^ifconfig epair1b ether 58:9c:fc:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$' \
	    cat "$(jroot app0)/etc/start_if.epair1b"
	atf_check -s exit:0 -o inline:'1\n' \
	    sh -c "wc -l <'$(jroot app0)/etc/start_if.epair1b' | tr -d ' '"
	# The MAC is recorded on the host (the conf file, which sets it on
	# epair1b before the jail gets it) and in the jail's start_if, and
	# in no other file but dhcpd's lease database.
	atf_check -s exit:0 -o inline:"$(jconf app0)\n$(jroot app0)/etc/start_if.epair1b\n" \
	    sh -c "grep -rlF --exclude-dir=.fakebsd '$mac' '$JAILER_ROOT' | grep -v '/var/db/dhcpd.leases\$' | sort"
	atf_check -s exit:0 -o match:"ether $mac" jexec app0 ifconfig epair1b
	atf_check -s exit:0 -o match:'member: epair1a ' ifconfig bridge0
	atf_check -s exit:0 -o match:'epair1a' ifconfig -l
	check_rc app0 sendmail_enable 'NONE'
}

atf_test_case eb_static
eb_static_head()
{
	atf_set descr '-t eb -a: static address, netmask and gateway from the bridge, or -g/-m'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
eb_static_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail s1 -t eb -a 10.0.0.10
	mac=$(awk '{print $4}' "$(jroot s1)/etc/start_if.epair1b")
	sed -e 's/app0/s1/g' -e "s/\"MAC\"/\"$mac\"/" \
	    -e 's|^  \$mac .*|&\n  $ip4            = "10.0.0.10/24";\n  $gateway        = "10.0.0.1";|' \
	    "$(golden eb.conf)" >expected
	atf_check -s exit:0 -o file:expected cat "$(jconf s1)"
	assert_running s1
	check_rc s1 ifconfig_epair1b 'inet 10.0.0.10 netmask 255.255.255.0'
	check_rc s1 defaultrouter '10.0.0.1'
	mkjail s2 -t eb -a 10.0.0.20 -g 10.0.0.254 -m 255.255.0.0
	check_rc s2 ifconfig_epair2b 'inet 10.0.0.20 netmask 255.255.0.0'
	check_rc s2 defaultrouter '10.0.0.254'
	# The host's record of the address, in the conf file.
	atf_check -s exit:0 -o inline:'  $ip4            = "10.0.0.20/16";\n  $gateway        = "10.0.0.254";\n' \
	    grep -E '^  \$(ip4|gateway) ' "$(jconf s2)"
	mkjail s3 -t eb -a 10.0.0.30 -m 16
	check_rc s3 ifconfig_epair3b 'inet 10.0.0.30 netmask 255.255.0.0'
	# An address another jail has, or the bridge's own, is refused.
	save_host
	atf_check -s exit:1 -o empty -e match:'10\.0\.0\.10 is already in use' \
	    jailer create -t eb -a 10.0.0.10 s4
	atf_check -s exit:1 -o empty -e match:'10\.0\.0\.1 is already in use' \
	    jailer create -t eb -a 10.0.0.1 s4
	# -g and -m need a static address.
	atf_check -s exit:1 -o empty -e match:'static address' \
	    jailer create -t eb -g 10.0.0.1 s4
	assert_host_unchanged
}

atf_test_case eb_needs_bridge
eb_needs_bridge_head()
{
	atf_set descr '-t eb without bridge0 is a clear error and changes nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
eb_needs_bridge_body()
{
	require_sim
	host_with_image
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e match:'^jailer: x: bridge0: no such bridge' \
	    jailer create -t eb x
	assert_no_mutation
	atf_check -s exit:1 -o empty -e match:'br9: no such bridge' \
	    jailer create -t eb -b br9 x
	assert_host_unchanged
}

atf_test_case eb_devfs_ruleset
eb_devfs_ruleset_head()
{
	atf_set descr 'eb jails use the jailer_vnet devfs ruleset when /etc/devfs.rules has one, else 5'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
eb_devfs_ruleset_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail v1 -t eb
	atf_check -s exit:0 -o match:'^  devfs_ruleset += 5;$' cat "$(jconf v1)"
	printf '[jailer_vnet=11]\nadd include $devfsrules_jail_vnet\nadd path '"'"'bpf*'"'"' unhide\n' \
	    >"$JAILER_ROOT/etc/devfs.rules"
	mkjail v2 -t eb
	atf_check -s exit:0 -o match:'^  devfs_ruleset += 11;$' cat "$(jconf v2)"
	assert_running v2
	# inherit jails keep devfsrules_jail.
	mkjail v3
	atf_check -s exit:0 -o match:'^  devfs_ruleset += 4;$' cat "$(jconf v3)"
}

atf_test_case random_name
random_name_head()
{
	atf_set descr 'without a name: 8 hex digits, not all digits, hostname NAME.HOST'
	sim_only "assumes the simulated host's name (armbsd14)"
}
random_name_body()
{
	require_sim
	host_with_image
	for i in 1 2; do
		atf_check -s exit:0 -o save:out$i -e empty jailer create
		atf_check -s exit:0 -o match:'^Creating [0-9a-f]{8}: Done!$' cat out$i
	done
	n1=$(sed 's/^Creating \(.*\): Done!$/\1/' out1)
	n2=$(sed 's/^Creating \(.*\): Done!$/\1/' out2)
	[ "$n1" != "$n2" ] || atf_fail "two jails got the name $n1"
	for n in $n1 $n2; do
		echo "$n" | grep -q '[a-f]' || atf_fail "$n is all digits"
		atf_check -s exit:0 -o ignore test -f "$(jconf "$n")"
		# The default domain is the host's name.
		atf_check -s exit:0 -o inline:"$n.armbsd14\n" jls -j "$n" host.hostname
	done
	atf_check -s exit:0 -o inline:"$(printf '%s\n%s' "$n1" "$n2" | sort)\n" \
	    sh -c 'jailer list -H | cut -f1'
}

atf_test_case new_lowest_free_address
new_lowest_free_address_head()
{
	atf_set descr '-t new takes the lowest address no jail (running or not), host or router has'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
new_lowest_free_address_body()
{
	require_sim
	host_with_image
	mkjail n1 -t new -b vtnet0
	atf_check -s exit:0 -o match:'^  ip4\.addr += "192\.168\.64\.3";$' \
	    cat "$(jconf n1)"
	atf_check -s exit:0 -o ignore jailer stop n1
	mkjail n2 -t new -b vtnet0
	atf_check -s exit:0 -o match:'^  ip4\.addr += "192\.168\.64\.4";$' \
	    cat "$(jconf n2)"
	save_host
	for a in 192.168.64.1 192.168.64.2 192.168.64.3 192.168.64.4; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: n3: $a is already in use\n" \
		    jailer create -t new -b vtnet0 -a "$a" n3
	done
	assert_host_unchanged
	mkjail n3 -t new -b vtnet0 -a 192.168.64.50
	atf_check -s exit:0 -o inline:'192.168.64.50\n' jls -j n3 ip4.addr
	# A gap below is reused.
	atf_check -s exit:0 -o ignore jailer destroy n1
	mkjail n4 -t new -b vtnet0
	atf_check -s exit:0 -o match:'^  ip4\.addr += "192\.168\.64\.3";$' \
	    cat "$(jconf n4)"
}

atf_test_case new_subnet_full
new_subnet_full_head()
{
	atf_set descr '-t new on a full /30 is an error that changes nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
new_subnet_full_body()
{
	require_sim
	host_with_image
	ifconfig lo1 create >/dev/null && ifconfig lo1 inet 10.9.9.1/30 >/dev/null ||
	    atf_fail "cannot make lo1"
	mkjail n1 -t new -b lo1
	atf_check -s exit:0 -o inline:'10.9.9.2\n' jls -j n1 ip4.addr
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: n2: no free address left in the subnet of lo1\n' \
	    jailer create -t new -b lo1 n2
	assert_no_mutation
	assert_host_unchanged
}

atf_test_case new_needs_interface
new_needs_interface_head()
{
	atf_set descr '-t new needs -b; options of other types are refused'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
new_needs_interface_body()
{
	require_sim
	host_with_image
	save_host
	atf_check -s exit:1 -o empty -e match:'^jailer: x: -t new needs .*-b' \
	    jailer create -t new x
	atf_check -s exit:1 -o empty -e match:'nosuch0' \
	    jailer create -t new -b nosuch0 x
	atf_check -s exit:1 -o empty -e match:'^jailer: x: ' \
	    jailer create -t new -b vtnet0 -g 192.168.64.1 x
	atf_check -s exit:1 -o empty -e match:'^jailer: x: ' \
	    jailer create -t new -b vtnet0 -a dhcp x
	atf_check -s exit:1 -o empty -e match:'do not apply to an inherit jail' \
	    jailer create -a 192.168.64.9 x
	atf_check -s exit:1 -o empty -e match:'do not apply to an inherit jail' \
	    jailer create -t inherit -b vtnet0 x
	atf_check -s exit:1 -o empty -e match:'netgraph is not supported' \
	    jailer create -t ng x
	atf_check -s exit:2 -o empty -e match:'-r and -s' \
	    jailer create -r 14.3-RELEASE -s a@b x
	atf_check -s exit:2 -o empty -e match:'at most one jail name' \
	    jailer create x y
	assert_host_unchanged
}

atf_test_case network_use_eb_default
network_use_eb_default_head()
{
	atf_set descr 'network use eb makes eb the default type; -t still wins'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
network_use_eb_default_body()
{
	require_sim
	host_with_image
	make_bridge
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	mkjail d1
	atf_check -s exit:0 -o match:'^  vnet;$' cat "$(jconf d1)"
	check_rc d1 ifconfig_epair1b 'SYNCDHCP'
	mkjail d2 -t inherit
	atf_check -s exit:0 -o match:'^  ip4 += "inherit";$' cat "$(jconf d2)"
}

atf_test_case id_lowest_unused
id_lowest_unused_head()
{
	atf_set descr '$id is the lowest unused: a destroyed jail frees its id; host epairs count'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
id_lowest_unused_body()
{
	require_sim
	host_with_image
	mkjail i1
	mkjail i2
	mkjail i3
	for n in 1 2 3; do
		atf_check -s exit:0 -o match:"^  \\\$id += \"$n\";\$" \
		    cat "$(jconf i$n)"
	done
	atf_check -s exit:0 -o ignore jailer destroy i2
	mkjail i4
	atf_check -s exit:0 -o match:'^  \$id += "2";$' cat "$(jconf i4)"
	# An epair on the host takes its number too.
	ifconfig epair4 create >/dev/null || atf_fail "cannot create epair4"
	mkjail i5
	atf_check -s exit:0 -o match:'^  \$id += "5";$' cat "$(jconf i5)"
}

atf_test_case fetches_missing_image
fetches_missing_image_head()
{
	atf_set descr 'the image is fetched on demand, before Creating'
	sim_only "names the simulated host's pool, zroot"
}
fetches_missing_image_body()
{
	require_sim
	host_ready
	atf_check -s exit:0 \
	    -o inline:'Fetching 14.3-RELEASE: Done!\nCreating f1: Done!\n' \
	    -e empty jailer create -d example.org f1
	atf_check -s exit:0 -o inline:'zroot/jails/image/14.3-RELEASE@base\n' \
	    zfs list -H -o name -t snapshot zroot/jails/image/14.3-RELEASE
	assert_running f1
	# Not again.
	mkjail f2
}

atf_test_case release_flag
release_flag_head()
{
	atf_set descr '-r 14.2-RELEASE fetches and uses that image'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
release_flag_body()
{
	require_sim
	host_ready
	calls_reset
	atf_check -s exit:0 \
	    -o inline:'Fetching 14.2-RELEASE: Done!\nCreating r1: Done!\n' \
	    -e empty jailer create -r 14.2-RELEASE -d example.org r1
	atf_check -s exit:0 -o match:'14\.2-RELEASE' cat "$(jroot r1)/COPYRIGHT"
	atf_check -s exit:0 -o ignore \
	    grep -x 'zfs send zroot/jails/image/14.2-RELEASE@base' \
	    "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s not-exit:0 -o ignore -e ignore \
	    zfs list zroot/jails/image/14.3-RELEASE
	assert_running r1
}

atf_test_case default_image
default_image_head()
{
	atf_set descr 'without -r, create uses the image chosen with image use'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
default_image_body()
{
	require_sim
	host_ready
	atf_check -s exit:0 -o ignore -e ignore jailer image fetch 14.2-RELEASE
	atf_check -s exit:0 -o empty -e empty jailer image use 14.2-RELEASE
	calls_reset
	mkjail d1
	atf_check -s exit:0 -o match:'14\.2-RELEASE' cat "$(jroot d1)/COPYRIGHT"
	atf_check -s not-exit:0 grep -q '^fetch' "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s not-exit:0 -o ignore -e ignore \
	    zfs list zroot/jails/image/14.3-RELEASE
}

atf_test_case release_refused
release_refused_head()
{
	atf_set descr 'a release newer than the host, or not a release, is refused without fetching'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
release_refused_body()
{
	require_sim
	host_ready
	save_host
	for r in 15.0-RELEASE 14.4-RELEASE 14.3-STABLE 14.3-RELEASE-p2 14.3; do
		refused "-r $r" jailer create -r "$r" x
	done
	assert_host_unchanged
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr '-D prints every section and changes nothing, not even a fetch'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
dry_run_body()
{
	require_sim
	host_ready
	make_bridge
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	save_host
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer create -D -d example.org db0
	assert_no_mutation
	assert_host_unchanged
	atf_check -s not-exit:0 grep -q '^fetch' "$JAILER_ROOT/.fakebsd/calls.log"
	# The missing image is reported, not fetched.
	atf_check -s exit:0 -o match:'14\.3-RELEASE.*fetch' cat out
	atf_check -s not-exit:0 grep -Eq 'Creating|Fetching|Done!' out
	# The sections, in this order.
	grep -n -e '^jail.conf file =>$' -e '^ZFS commands =>$' \
	    -e '^Resolver commands =>$' -e '^Network setup commands =>$' \
	    -e '^Post-Installation =>$' out | cut -d: -f2 >sections
	atf_check -s exit:0 -o inline:'jail.conf file =>\nZFS commands =>\nResolver commands =>\nNetwork setup commands =>\nPost-Installation =>\n' \
	    cat sections
	# The conf file it would write, in full, with the MAC of the
	# network setup commands.
	sed -n '/^jail.conf file =>$/,/^ZFS commands =>$/p' out | sed '1d;$d' \
	    >conf
	mac=$(sed -n 's/.*ifconfig epair1b ether \(58:9c:fc:[0-9a-f:]*\).*/\1/p' out)
	sed -e 's/app0/db0/g' -e "s/\"MAC\"/\"$mac\"/" "$(golden eb.conf)" >expected
	atf_check -s exit:0 -o file:expected cat conf
	atf_check -s exit:0 -o match:'zfs send zroot/jails/image/14\.3-RELEASE@base' cat out
	atf_check -s exit:0 -o match:'zfs recv .*zroot/jails/db0' cat out
	atf_check -s exit:0 -o match:'/usr/local/jails/db0/etc/resolv\.conf' cat out
	atf_check -s exit:0 \
	    -o match:'ifconfig epair1b ether 58:9c:fc:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}' \
	    cat out
	atf_check -s exit:0 -o match:'ifconfig_epair1b="SYNCDHCP"' cat out
	atf_check -s exit:0 -o match:'sendmail_enable="NONE"' cat out
	atf_check -s exit:0 -o match:'syslogd_flags="-ss"' cat out
}

atf_test_case dry_run_new
dry_run_new_head()
{
	atf_set descr '-D of a -t new jail shows the address it would take; nothing changes'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
dry_run_new_body()
{
	require_sim
	host_with_image
	save_host
	calls_reset
	atf_check -s exit:0 -o save:out -e empty \
	    jailer create -D -n -e 9.9.9.9 -t new -b vtnet0 -d example.org www0
	assert_no_mutation
	assert_host_unchanged
	sed -n '/^jail.conf file =>$/,/^ZFS commands =>$/p' out | sed '1d;$d' \
	    >conf
	atf_check -s exit:0 -o file:"$(golden new.conf)" cat conf
	atf_check -s exit:0 -o match:'nameserver 9\.9\.9\.9' cat out
	atf_check -s exit:0 -o match:'cron_enable="NO"' cat out
	atf_check -s not-exit:0 grep -q 'Image =>' out
}

atf_test_case existing_name_refused
existing_name_refused_head()
{
	atf_set descr 'an existing jail or dataset name is refused before anything runs'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
existing_name_refused_body()
{
	require_sim
	host_with_image
	mkjail a1
	atf_check -s exit:0 -o ignore zfs create zroot/jails/orphan
	save_host
	refused "existing jail" jailer create a1
	atf_check -s exit:1 -o empty -e match:'already exists' jailer create a1
	refused "existing dataset" jailer create orphan
	atf_check -s exit:1 -o empty -e match:'zroot/jails/orphan already exists' \
	    jailer create orphan
	assert_host_unchanged
}

atf_test_case reserved_names_refused
reserved_names_refused_head()
{
	atf_set descr 'reserved and malformed names are refused'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
reserved_names_refused_body()
{
	require_sim
	host_with_image
	save_host
	for n in all default dist-files image none remote 12345 -- ''; do
		refused "name '$n'" jailer create -- "$n"
	done
	atf_check -s exit:1 -o empty -e match:"'image': reserved" \
	    jailer create image
	assert_host_unchanged
}

atf_test_case create_help
create_help_head()
{
	atf_set descr 'create -h shows the usage and creates nothing'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
create_help_body()
{
	require_sim
	host_with_image
	save_host
	atf_check -s exit:0 -o match:'^  jailer create \[-CDn\]' -e empty \
	    jailer create -h
	assert_host_unchanged
}

atf_test_case resolver_and_quiet
resolver_and_quiet_head()
{
	atf_set descr '-e writes the nameserver, -n disables cron'
}
resolver_and_quiet_body()
{
	host_with_image
	mkjail q1 -n -e 9.9.9.9
	atf_check -s exit:0 -o inline:'nameserver 9.9.9.9\n' \
	    cat "$(jroot q1)/etc/resolv.conf"
	check_rc q1 cron_enable 'NO'
	check_rc q1 sendmail_enable 'NONE'
	check_rc q1 syslogd_flags '-ss'
	mkjail q2 -e 2001:db8::53
	atf_check -s exit:0 -o inline:'nameserver 2001:db8::53\n' \
	    cat "$(jroot q2)/etc/resolv.conf"
}

atf_test_case clone_image
clone_image_head()
{
	atf_set descr '-C makes a ZFS clone of the image snapshot'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
clone_image_body()
{
	require_sim
	host_with_image
	calls_reset
	mkjail c1 -C
	atf_check -s exit:0 -o inline:'zroot/jails/image/14.3-RELEASE@base\n' \
	    zfs get -H -o value origin zroot/jails/c1
	atf_check -s exit:0 -o inline:'jail\n' \
	    zfs get -H -o value jailer:managed zroot/jails/c1
	atf_check -s exit:0 -o ignore grep -x \
	    'zfs clone -o jailer:managed=jail zroot/jails/image/14.3-RELEASE@base zroot/jails/c1' \
	    "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s not-exit:0 grep -q '^zfs send' "$JAILER_ROOT/.fakebsd/calls.log"
	assert_running c1
	atf_check -s exit:0 -o match:'14\.3-RELEASE' cat "$(jroot c1)/COPYRIGHT"
}

atf_test_case start_failure_undone
start_failure_undone_head()
{
	atf_set descr 'when the jail does not start, create says Failed!, exits 1 and undoes everything'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
start_failure_undone_body()
{
	require_sim
	host_with_image
	make_bridge
	save_host_norm
	atf_check -s exit:1 -o inline:'Creating x: Failed!\n' \
	    -e match:'^jailer: x: ' env FAKEBSD_FAIL='jail -f' jailer create -t eb x
	assert_host_norm_unchanged
	atf_check -s exit:1 -o inline:'Creating x: Failed!\n' \
	    -e match:'^jailer: x: ' \
	    env FAKEBSD_FAIL='ifconfig bridge0 addm' jailer create -t eb x
	assert_host_norm_unchanged
}

# Every hostile value, one call of FUNC each.
each_hostile()
{
	local nl long
	nl='
'
	long=$(printf '%065d' 0 | tr 0 a)
	for v in '../x' 'a;b' 'a b' '$(id)' "a'b" 'a"b' "a${nl}b" "$long" \
	    image -x 999.1.1.1 10.0.0.1/33 abcdefghijklmnop; do
		"$1" "$v"
	done
}

# The hostile value is refused as every argument that cannot take it.
hostile_create_one()
{
	local v="$1"
	case $v in
	abcdefghijklmnop) ;;			# a valid jail name
	*) refused "NAME=$v" jailer create "$v" ;;
	esac
	refused "-r $v" jailer create -r "$v" x
	refused "-s $v" jailer create -s "$v" x
	refused "-s jail@$v" jailer create -s "base@$v" x
	refused "-s $v@snap" jailer create -s "$v@snap" x
	case $v in
	image|999.1.1.1|abcdefghijklmnop) ;;	# valid domains
	*) refused "-d $v" jailer create -d "$v" x ;;
	esac
	refused "-t $v" jailer create -t "$v" x
	refused "-b $v (new)" jailer create -t new -b "$v" x
	refused "-b $v (eb)" jailer create -t eb -b "$v" x
	refused "-a $v" jailer create -t new -b vtnet0 -a "$v" x
	refused "-a $v (eb)" jailer create -t eb -a "$v" x
	refused "-g $v" jailer create -t eb -a 10.0.0.9 -g "$v" x
	refused "-m $v" jailer create -t eb -a 10.0.0.9 -m "$v" x
	refused "-e $v" jailer create -e "$v" x
}

atf_test_case hostile_arguments
hostile_arguments_head()
{
	atf_set descr 'hostile names, releases, addresses, interfaces are refused before anything runs'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_create_one)"
}
hostile_arguments_body()
{
	require_sim
	host_with_image
	make_bridge
	save_host
	each_hostile hostile_create_one
	assert_host_unchanged
	fs_outside_untouched
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case inherit_golden
	atf_add_test_case new_golden
	atf_add_test_case eb_dhcp_golden
	atf_add_test_case eb_static
	atf_add_test_case eb_needs_bridge
	atf_add_test_case eb_devfs_ruleset
	atf_add_test_case random_name
	atf_add_test_case new_lowest_free_address
	atf_add_test_case new_subnet_full
	atf_add_test_case new_needs_interface
	atf_add_test_case network_use_eb_default
	atf_add_test_case id_lowest_unused
	atf_add_test_case fetches_missing_image
	atf_add_test_case release_flag
	atf_add_test_case default_image
	atf_add_test_case release_refused
	atf_add_test_case dry_run
	atf_add_test_case dry_run_new
	atf_add_test_case existing_name_refused
	atf_add_test_case reserved_names_refused
	atf_add_test_case create_help
	atf_add_test_case resolver_and_quiet
	atf_add_test_case clone_image
	atf_add_test_case start_failure_undone
	atf_add_test_case hostile_arguments
}
