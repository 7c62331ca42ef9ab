# jailer export and import: the round trip to another host (files,
# snapshots, conf, network renumbered), a running jail, incremental files
# (a backup, then a cut-over), conflicts and refusals, the fault sweep of
# export.  Damaged and forged files, and the sweeps of import, are in
# import_test.sh.

# mkjail, jroot, jconf, refused, host_sweep, pf_host, calls_reset,
# assert_called, assert_not_called and the exp_* helpers (export files,
# two hosts) are in jailer.subr.

JAIL_DOMAIN=
# xz -d only reads (import decompresses before it changes anything).
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig -l$|ifconfig [A-Za-z0-9_.]+$|xz -d )'

# ---------------------------------------------------------------- tests

atf_test_case round_trip
round_trip_head()
{
	atf_set descr 'export a running jail, import it on another host: files, snapshots, conf for this host, the network kept where free; the file from stdout is the same format'
	sim_only "two simulated hosts, the call log"
}
round_trip_body()
{
	require_sim
	exp_source
	calls_reset
	atf_check -s exit:0 -o save:exp.out -e empty jailer export w1 "$PWD/w1.jexp"
	atf_check -s exit:0 -o match:"^Exporting w1 to $PWD/w1.jexp: Done!\$" \
	    -o match:'^  snapshot w1@jailer-export-[0-9]{8}-[0-9]{6}$' cat exp.out
	snap=$(exp_field w1.jexp snapshot)
	atf_check -s exit:0 -o ignore zfs list "zroot/jails/w1@$snap"
	assert_called "zfs snapshot zroot/jails/w1@$snap"
	assert_called "zfs send -R zroot/jails/w1@$snap"
	assert_called 'xz -z -c -q -T 1'
	assert_running w1
	atf_check -s exit:0 -o inline:'1\n' sed -n '1s/^jailer-export //p' w1.jexp
	for kv in 'jail w1' 'network eb' 'id 1' 'ip4 10.0.0.10/24' \
	    'gateway 10.0.0.1' 'iface bridge0' 'from -'; do
		exp_is w1.jexp "${kv%% *}" "${kv#* }"
	done
	mac=$(sed -n 's/^  \$mac *= "\(.*\)";$/\1/p' "$(jconf w1)")
	exp_is w1.jexp mac "$mac"
	# To standard output: the same format.
	atf_check -s exit:0 -o save:stdout.jexp -e empty jailer export w1 -
	atf_check -s exit:0 -o inline:'jailer-export 1\n' head -1 stdout.jexp

	# Another host, fresh.
	rm -rf "$JAILER_ROOT"
	pf_host
	calls_reset
	atf_check -s exit:0 -o save:imp.out -e empty jailer import "$PWD/w1.jexp"
	atf_check -s exit:0 -o match:'^Importing w1 from .*w1.jexp: Done!$' \
	    -o match:"^  MAC .* \\(was $mac\\)\$" \
	    -o match:"not re-created: the nullfs mount '/srv/data " \
	    -o match:'not re-created: 1 pf rule' cat imp.out
	# Verified and decompressed (to /dev/null) before the receive; then
	# xz -d | zfs recv, xz reading the file itself.
	calls | grep -nE '^(xz -d|zfs recv)' >order
	atf_check -s exit:0 -o match:'^[0-9]+:xz -d -c -q$' head -1 order
	atf_check -s exit:0 -o match:'^[0-9]+:zfs recv -x mountpoint -x canmount -x jailed -o jailer:managed=jail( -o jailer:release=[^ ]+)? zroot/jails/w1$' grep -m1 ':zfs recv' order
	atf_check -s exit:0 -o inline:'2\n' grep -c ':xz -d -c -q$' order
	atf_check -s exit:0 -o inline:'marker-one\n' cat "$(jroot w1)/root/marker"
	atf_check -s exit:0 -o inline:"zroot/jails/w1@base\nzroot/jails/w1@one\nzroot/jails/w1@$snap\n" \
	    zfs list -H -o name -t snapshot -s createtxg -r zroot/jails/w1
	atf_check -s exit:0 -o inline:'jail\n' zfs get -H -o value jailer:managed zroot/jails/w1
	conf_has 'path = "/usr/local/jails/w1";' w1
	conf_has '$ip4 = "10.0.0.10/24";' w1
	conf_has '$id = "1";' w1
	conf_lacks "$mac" w1
	conf_lacks 'mount.fstab' w1
	check_rc w1 ifconfig_epair1b "inet 10.0.0.10 netmask 255.255.255.0"
	atf_check -s exit:0 -o match:'^ifconfig epair1b ether ' \
	    -o not-match:"$mac" cat "$(jroot w1)/etc/start_if.epair1b"
	assert_stopped w1
	atf_check -s exit:0 -o ignore -e empty jailer start w1
	assert_running w1
	consistent
}

atf_test_case renumbered
renumbered_head()
{
	atf_set descr 'import under another name next to the original: a new id and MAC, DHCP instead of the address in use, its own conf file and root network files'
	sim_only "the simulated host's network"
}
renumbered_body()
{
	require_sim
	exp_source
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/w1.jexp"
	exp_refused 'same name' "$PWD/w1.jexp"
	atf_check -s exit:0 -o save:imp.out -e empty jailer import "$PWD/w1.jexp" w2
	atf_check -s exit:0 -o match:'^  id 2 \(was 1\)$' \
	    -o match:'10.0.0.10 is already in use.*DHCP on bridge0' cat imp.out
	conf_has '$id = "2";' w2
	conf_lacks '$ip4' w2
	conf_has 'path = "/usr/local/jails/w2";' w2
	check_rc w2 ifconfig_epair2b SYNCDHCP
	atf_check -s exit:0 -o not-match:'ifconfig_epair1b|defaultrouter' \
	    cat "$(jroot w2)/etc/rc.conf"
	atf_check -s not-exit:0 test -e "$(jroot w2)/etc/start_if.epair1b"
	atf_check -s exit:0 -o ignore -e empty jailer start w2
	assert_running w2
	assert_running w1
	consistent
}

atf_test_case patched_release
patched_release_head()
{
	atf_set descr 'a jail at a patch level (jailer:release 14.3-RELEASE-p3, what update records) exports and imports with its record'
	sim_only "the simulated host's ZFS properties"
}
patched_release_body()
{
	require_sim
	exp_source
	atf_check -s exit:0 zfs set jailer:release=14.3-RELEASE-p3 zroot/jails/w1
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/w1.jexp"
	exp_is "$PWD/w1.jexp" release 14.3-RELEASE-p3
	atf_check -s exit:0 -o ignore -e empty jailer import "$PWD/w1.jexp" w2
	atf_check -s exit:0 -o 'inline:14.3-RELEASE-p3\n' \
	    zfs get -H -o value jailer:release zroot/jails/w2
}

atf_test_case incremental
incremental_head()
{
	atf_set descr 'a full export, then export -i from its snapshot: import applies it onto the stopped copy (a backup, then a cut-over); a file whose base is not the newest snapshot is refused'
	sim_only "two simulated hosts, the call log"
}
incremental_body()
{
	require_sim
	exp_source
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/full.jexp"
	s1=$(exp_field full.jexp snapshot)
	exp_host_save hostA
	pf_host
	atf_check -s exit:0 -o ignore -e empty jailer import "$PWD/full.jexp"
	exp_host_save hostB
	exp_host_use hostA
	echo marker-two >"$(jroot w1)/root/marker"
	sleep 1
	atf_check -s exit:0 -o ignore -e empty jailer export -D -i "$s1" w1 "$PWD/inc.jexp"
	atf_check -s not-exit:0 test -e inc.jexp
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer export -i "$s1" w1 "$PWD/inc.jexp"
	s2=$(exp_field inc.jexp snapshot)
	assert_called "zfs send -I @$s1 zroot/jails/w1@$s2"
	exp_is inc.jexp from "$s1"
	exp_host_save hostA
	exp_host_use hostB
	calls_reset
	atf_check -s exit:0 -o match:'^Importing w1 from .*inc.jexp \(incremental\): Done!$' \
	    -e empty jailer import "$PWD/inc.jexp"
	assert_called 'zfs recv -F -x mountpoint -x canmount -x jailed zroot/jails/w1'
	atf_check -s exit:0 -o inline:'marker-two\n' cat "$(jroot w1)/root/marker"
	atf_check -s exit:0 -o inline:"zroot/jails/w1@$s1\nzroot/jails/w1@$s2\n" \
	    sh -c 'zfs list -H -o name -t snapshot -s createtxg -r zroot/jails/w1 | tail -2'
	# The network files are this host's again.
	check_rc w1 ifconfig_epair1b "inet 10.0.0.10 netmask 255.255.255.0"
	mac=$(sed -n 's/^  \$mac *= "\(.*\)";$/\1/p' "$(jconf w1)")
	atf_check -s exit:0 -o inline:"ifconfig epair1b ether $mac\n" \
	    cat "$(jroot w1)/etc/start_if.epair1b"
	# Again: its base is no longer the newest snapshot.
	exp_refused 'applied twice' "$PWD/inc.jexp"
	atf_check -s exit:0 -o match:"newest snapshot of w1 is @$s2" cat .err
	# Not onto a running jail.
	atf_check -s exit:0 -o ignore -e empty jailer start w1
	exp_refused 'running' "$PWD/inc.jexp"
	atf_check -s exit:0 -o match:'running' cat .err
	# Not without the jail.
	exp_refused 'no jail' "$PWD/inc.jexp" w7
	atf_check -s exit:0 -o match:'needs the jail w7' cat .err
}

atf_test_case clone_jail
clone_jail_head()
{
	atf_set descr 'a clone jail (create -C) exports as a whole file system and imports on a host without its origin'
	sim_only "two simulated hosts"
}
clone_jail_body()
{
	require_sim
	host_with_clone
	echo in-clone >"$(jroot app02)/root/marker"
	atf_check -s exit:0 -o ignore -e empty jailer export app02 "$PWD/c.jexp"
	rm -rf "$JAILER_ROOT"
	host_ready
	atf_check -s exit:0 -o match:'^Importing app02 .*Done!$' -e empty \
	    jailer import "$PWD/c.jexp"
	atf_check -s exit:0 -o inline:'in-clone\n' cat "$(jroot app02)/root/marker"
	atf_check -s exit:0 -o inline:'-\n' zfs get -H -o value origin zroot/jails/app02
	atf_check -s exit:0 -o ignore -e empty jailer start app02
	assert_running app02
}

atf_test_case refusals
refusals_head()
{
	atf_set descr 'export: no such jail, a missing -i snapshot, a bad name, usage; import: usage, a bad name; -D changes nothing'
	sim_only "the call log"
}
refusals_body()
{
	require_sim
	exp_source
	# Standard output a terminal (script(1) gives jailer a pty).
	calls_reset
	atf_check -s exit:1 -o match:'will not write an export file to a terminal' \
	    script -qec "jailer export w1 -" /dev/null
	assert_no_mutation 'export to a terminal'
	refused 'no jail' jailer export nope "$PWD/x.jexp"
	refused 'no snapshot' jailer export -i nope w1 "$PWD/x.jexp"
	atf_check -s exit:0 -o match:'no snapshot w1@nope' cat .err
	refused 'other jail' jailer export -i w2@one w1 "$PWD/x.jexp"
	refused 'bad name' jailer export '../w1' "$PWD/x.jexp"
	refused 'usage' jailer export
	refused 'import usage' jailer import
	refused 'import bad name' jailer import "$PWD/x.jexp" '../x'
	atf_check -s not-exit:0 test -e x.jexp
	calls_reset
	atf_check -s exit:0 -o match:'^zfs send -R zroot/jails/w1@jailer-export-' \
	    -e empty jailer export -D w1 "$PWD/x.jexp"
	assert_no_mutation 'export -D'
	atf_check -s not-exit:0 test -e x.jexp
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/x.jexp"
	calls_reset
	atf_check -s exit:0 -o match:'^zfs receive -x mountpoint' \
	    -o match:'^  \$id += "2";' -e empty jailer import -D "$PWD/x.jexp" w2
	assert_no_mutation 'import -D'
	atf_check -s not-exit:0 test -e "$(jconf w2)"
}

atf_test_case sweep_export
sweep_export_head()
{
	atf_set descr 'a fault at every call of export leaves the host as it was (no snapshot) and no file'
	sim_only "fault injection"
}
sweep_export_body()
{
	require_sim
	exp_source
	host_sweep jailer export w1 "$PWD/f.jexp"
	rm -f f.jexp
	for k in 1 2 3 4 5 6; do
		FAKEBSD_FAIL="#$k" jailer export w1 "$PWD/f.jexp" >/dev/null 2>&1
		atf_check -s not-exit:0 test -e f.jexp
	done
	atf_check -s exit:0 -o empty sh -c "ls | grep 'f.jexp' || true"
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case round_trip
	atf_add_test_case renumbered
	atf_add_test_case patched_release
	atf_add_test_case incremental
	atf_add_test_case clone_jail
	atf_add_test_case refusals
	atf_add_test_case sweep_export
}
