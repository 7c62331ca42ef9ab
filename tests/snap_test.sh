# Snapshots, rollback and jails made from snapshots (create -s, -C -s).

# assert_no_mutation, make_bridge, mkjail, jroot, jid, assert_running and
# check_rc are in jailer.subr.

snapshots()
{
	zfs list -H -o name -t snapshot -r "zroot/jails/$1"
}

atf_test_case snap_named
snap_named_head()
{
	atf_set descr 'snap JAIL@NAME takes a recursive snapshot'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
snap_named_body()
{
	require_sim
	host_with_image
	mkjail app0
	calls_reset
	atf_check -s exit:0 -o inline:'Taking the snapshot app0@prod: Done!\n' \
	    -e empty jailer snap app0@prod
	atf_check -s exit:0 -o ignore grep -x 'zfs snapshot -r -o jailer:release=14.3-RELEASE zroot/jails/app0@prod' \
	    "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s exit:0 -o inline:'zroot/jails/app0@base\nzroot/jails/app0@prod\n' \
	    -x "zfs list -H -o name -t snapshot -r zroot/jails/app0 | sort"
	# snapshot is the same command.
	atf_check -s exit:0 -o inline:'Taking the snapshot app0@v2: Done!\n' \
	    -e empty jailer snapshot app0@v2
	atf_check -s exit:0 -o ignore zfs list zroot/jails/app0@v2
}

atf_test_case snap_default_name
snap_default_name_head()
{
	atf_set descr 'without @NAME the snapshot is named after the time'
	sim_only "names the simulated host's pool, zroot"
}
snap_default_name_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 -o save:out -e empty jailer snap app0
	atf_check -s exit:0 \
	    -o match:'^Taking the snapshot app0@[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}\.[0-9]{2}\.[0-9]{2}: Done!$' \
	    cat out
	name=$(sed 's/^Taking the snapshot \(.*\): Done!$/\1/' out)
	atf_check -s exit:0 -o ignore zfs list "zroot/jails/$name"
}

atf_test_case snap_refused
snap_refused_head()
{
	atf_set descr 'a duplicate, an unknown jail, a foreign dataset or an image are refused'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
snap_refused_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	atf_check -s exit:0 -o ignore zfs create zroot/jails/foreign
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: app0: the snapshot app0@prod already exists\n' \
	    jailer snap app0@prod
	atf_check -s exit:1 -o empty -e match:'no such jail' jailer snap nosuch@x
	atf_check -s exit:1 -o empty -e match:'no such jail' jailer snap foreign@x
	atf_check -s exit:1 -o empty -e match:'reserved' jailer snap image@x
	atf_check -s exit:1 -o empty -e match:'invalid snapshot name' \
	    jailer snap app0@-x
	atf_check -s exit:1 -o empty -e match:'invalid snapshot name' \
	    jailer snap app0@
	atf_check -s exit:1 -o empty -e match:'invalid snapshot name' \
	    jailer snap 'app0@a@b'
	atf_check -s exit:2 -o empty -e match:'expected JAIL' jailer snap
	assert_no_mutation
	assert_host_unchanged
}

atf_test_case snap_list
snap_list_head()
{
	atf_set descr 'snap list: every jail snapshot (not images), per jail, and as JSON'
}
snap_list_body()
{
	host_with_image
	mkjail app0
	mkjail web
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	atf_check -s exit:0 -o ignore jailer snap web@v1
	atf_check -s exit:0 -o save:out -e empty jailer snap list
	atf_check -s exit:0 -o match:'^JAIL +SNAPSHOT +CREATED +USED$' head -1 out
	atf_check -s exit:0 -o inline:'app0 base\napp0 prod\nweb base\nweb v1\n' \
	    -x "sed 1d out | awk '{print \$1, \$2}' | sort"
	atf_check -s not-exit:0 grep -q 'RELEASE' out
	atf_check -s exit:0 \
	    -o match:'^app0 +prod +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]' \
	    cat out
	atf_check -s exit:0 -o inline:'web base\nweb v1\n' \
	    -x "jailer snap list web | sed 1d | awk '{print \$1, \$2}' | sort"
	atf_check -s exit:0 -o inline:'ok\n' -e empty python3 -c '
import json, subprocess
d = json.loads(subprocess.check_output(["jailer", "snap", "list", "-j"]))
assert sorted((s["jail"], s["snapshot"]) for s in d) == [
    ("app0", "base"), ("app0", "prod"), ("web", "base"), ("web", "v1")], d
for s in d:
    assert list(s) == ["jail", "snapshot", "created", "used"], s
print("ok")'
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer snap list -j nosuch
}

atf_test_case snap_destroy
snap_destroy_head()
{
	atf_set descr 'snap destroy removes one snapshot; unknown ones are errors'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
snap_destroy_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	atf_check -s exit:0 -o ignore jailer snap app0@prod2
	atf_check -s exit:0 -o inline:'Destroying the snapshot app0@prod: Done!\n' \
	    -e empty jailer snap destroy app0@prod
	atf_check -s exit:0 -o inline:'zroot/jails/app0@base\nzroot/jails/app0@prod2\n' \
	    -x 'zfs list -H -o name -t snapshot -r zroot/jails/app0 | sort'
	save_host
	calls_reset
	atf_check -s exit:1 -o empty -e inline:'jailer: app0@prod: no such snapshot\n' \
	    jailer snap destroy app0@prod
	atf_check -s exit:1 -o empty -e match:'expected JAIL@SNAPSHOT' \
	    jailer snap destroy app0
	atf_check -s exit:1 -o empty -e match:'no such jail' \
	    jailer snap destroy nosuch@x
	atf_check -s exit:2 -o empty -e match:'expected JAIL@SNAPSHOT' \
	    jailer snap destroy
	assert_no_mutation
	assert_host_unchanged
	assert_running app0
}

# snap_cmd_refused OUT SNAP PATTERN CMD...: CMD fails with the line OUT, its
# error matches PATTERN (grep -Ei), and the snapshot SNAP of zroot/jails
# is still there.
snap_cmd_refused()
{
	local out=$1 snap=$2 pat=$3
	shift 3
	atf_check -s exit:1 -o inline:"$out" -e save:err "$@"
	atf_check -s exit:0 -o ignore zfs list "zroot/jails/$snap"
	atf_check -s exit:0 -o ignore grep -Ei "$pat" err
}

atf_test_case snap_destroy_clone_message
snap_destroy_clone_message_head()
{
	atf_set descr 'destroying a snapshot that has a clone says so'
	sim_only "names the simulated host's pool, zroot"
}
snap_destroy_clone_message_body()
{
	require_sim
	host_with_clone
	snap_cmd_refused 'Destroying the snapshot app0@prod: Failed!\n' app0@prod \
	    'clone' jailer snap destroy app0@prod
}

atf_test_case rollback_stopped
rollback_stopped_head()
{
	atf_set descr 'rollback restores the files of a stopped jail'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
rollback_stopped_body()
{
	require_sim
	host_with_image
	mkjail app0
	echo before >"$(jroot app0)/root/data"
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	echo after >"$(jroot app0)/root/data"
	echo new >"$(jroot app0)/root/new"
	atf_check -s exit:0 -o ignore jailer stop app0
	calls_reset
	atf_check -s exit:0 -o inline:'Rolling app0 back to prod: Done!\n' -e empty \
	    jailer rollback app0@prod
	atf_check -s exit:0 -o ignore grep -x 'zfs rollback zroot/jails/app0@prod' \
	    "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s exit:0 -o inline:'before\n' cat "$(jroot app0)/root/data"
	atf_check -s not-exit:0 -o ignore test -e "$(jroot app0)/root/new"
	atf_check -s exit:1 -o ignore -e ignore jls -j app0
}

atf_test_case rollback_running_refused
rollback_running_refused_head()
{
	atf_set descr 'rollback of a running jail is refused without -f'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
rollback_running_refused_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	echo after >"$(jroot app0)/root/data"
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: app0: running; stop it first or use -f\n' \
	    jailer rollback app0@prod
	assert_no_mutation
	assert_host_unchanged
	atf_check -s exit:1 -o empty -e match:'no such snapshot' \
	    jailer rollback app0@nosuch
	atf_check -s exit:1 -o empty -e match:'expected JAIL@SNAPSHOT' \
	    jailer rollback app0
	atf_check -s exit:2 -o empty -e match:'expected JAIL@SNAPSHOT' \
	    jailer rollback
	assert_host_unchanged
}

atf_test_case rollback_force
rollback_force_head()
{
	atf_set descr 'rollback -f stops the jail, rolls back and starts it again'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
rollback_force_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail app0 -t eb
	echo before >"$(jroot app0)/root/data"
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	echo after >"$(jroot app0)/root/data"
	j=$(jid app0)
	atf_check -s exit:0 -o inline:'Rolling app0 back to prod: Done!\n' -e empty \
	    jailer rollback -f app0@prod
	assert_running app0
	[ "$(jid app0)" != "$j" ] || atf_fail "the jail was not restarted (JID $j)"
	atf_check -s exit:0 -o inline:'before\n' cat "$(jroot app0)/root/data"
	atf_check -s exit:0 -o match:'epair1a' ifconfig -l
}

atf_test_case rollback_newer_snapshots
rollback_newer_snapshots_head()
{
	atf_set descr 'rollback past newer snapshots is refused, saying why; a running jail is left running'
	sim_only "names the simulated host's pool, zroot"
}
rollback_newer_snapshots_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 -o ignore jailer snap app0@one
	atf_check -s exit:0 -o ignore jailer snap app0@two
	snap_cmd_refused 'Rolling app0 back to one: Failed!\n' app0@two \
	    'more recent|newer' jailer rollback -f app0@one
	assert_running app0
}

atf_test_case rollback_restores_release
rollback_restores_release_head()
{
	atf_set descr 'snap keeps the jail'"'"'s jailer:release on the snapshot; rollback puts it back on the dataset'
	sim_only "the simulated host's ZFS properties"
}
rollback_restores_release_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 zfs set jailer:release=14.3-RELEASE-p1 zroot/jails/app0
	atf_check -s exit:0 -o ignore -e empty jailer snap app0@before
	atf_check -s exit:0 -o 'inline:14.3-RELEASE-p1\tlocal\n' \
	    zfs get -H -o value,source jailer:release zroot/jails/app0@before
	# what an update records after it patched the jail
	atf_check -s exit:0 zfs set jailer:release=14.3-RELEASE-p3 zroot/jails/app0
	atf_check -s exit:0 -o ignore -e empty jailer rollback -f app0@before
	atf_check -s exit:0 -o 'inline:14.3-RELEASE-p1\n' \
	    zfs get -H -o value jailer:release zroot/jails/app0
	assert_running app0
}

atf_test_case create_from_snapshot
create_from_snapshot_head()
{
	atf_set descr 'create -s copies the files of a jail snapshot but not its network identity'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
create_from_snapshot_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail app0 -t eb
	echo payload >"$(jroot app0)/root/marker"
	atf_check -s exit:0 -o inline:'Taking the snapshot app0@prod: Done!\n' \
	    jailer snap app0@prod
	calls_reset
	mkjail app01 -t eb -s app0@prod
	atf_check -s exit:0 -o ignore grep -x 'zfs send zroot/jails/app0@prod' \
	    "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s exit:0 -o inline:'payload\n' cat "$(jroot app01)/root/marker"
	atf_check -s exit:0 -o inline:'-\n' zfs get -H -o value origin zroot/jails/app01
	atf_check -s exit:0 -o inline:'jail\n' \
	    zfs get -H -o value jailer:managed zroot/jails/app01
	atf_check -s exit:0 -o match:'^  \$id += "2";$' \
	    cat "$JAILER_ROOT/etc/jail.conf.d/app01.conf"
	check_rc app01 ifconfig_epair1b ''
	check_rc app01 ifconfig_epair2b 'SYNCDHCP'
	atf_check -s not-exit:0 -o ignore test -e "$(jroot app01)/etc/start_if.epair1b"
	atf_check -s exit:0 \
	    -o match:'^ifconfig epair2b ether 58:9c:fc:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$' \
	    cat "$(jroot app01)/etc/start_if.epair2b"
	mac0=$(awk '{print $4}' "$(jroot app0)/etc/start_if.epair1b")
	mac1=$(awk '{print $4}' "$(jroot app01)/etc/start_if.epair2b")
	[ "$mac0" != "$mac1" ] || atf_fail "app01 has app0's MAC $mac0"
	check_rc app01 sendmail_enable 'NONE'
	assert_running app01
	atf_check -s exit:0 -o match:'epair2a' ifconfig -l
	# The source is untouched.
	check_rc app0 ifconfig_epair1b 'SYNCDHCP'
	atf_check -s exit:0 -o ignore test -f "$(jroot app0)/etc/start_if.epair1b"
}

atf_test_case create_from_static_snapshot
create_from_static_snapshot_head()
{
	atf_set descr 'a copy of a static eb jail drops its address and default router'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
create_from_static_snapshot_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail app0 -t eb -a 10.0.0.10
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	save_host
	atf_check -s exit:1 -o empty -e match:'10\.0\.0\.10 is already in use' \
	    jailer create -t eb -a 10.0.0.10 -s app0@prod app01
	assert_host_unchanged
	mkjail app01 -t eb -a 10.0.0.11 -s app0@prod
	check_rc app01 ifconfig_epair1b ''
	check_rc app01 ifconfig_epair2b 'inet 10.0.0.11 netmask 255.255.255.0'
	check_rc app01 defaultrouter '10.0.0.1'
	mkjail app02 -t eb -s app0@prod
	check_rc app02 ifconfig_epair3b 'SYNCDHCP'
	check_rc app02 defaultrouter ''
	mkjail app03 -s app0@prod
	check_rc app03 ifconfig_epair1b ''
	check_rc app03 defaultrouter ''
}

atf_test_case create_clone_from_snapshot
create_clone_from_snapshot_head()
{
	atf_set descr 'create -C -s clones a jail snapshot, and the clone is a jail like any other'
	sim_only "names the simulated host's pool, zroot"
}
create_clone_from_snapshot_body()
{
	require_sim
	host_with_image
	mkjail app0
	echo payload >"$(jroot app0)/root/marker"
	atf_check -s exit:0 -o ignore jailer snap app0@prod
	mkjail app02 -C -s app0@prod
	atf_check -s exit:0 -o inline:'zroot/jails/app0@prod\n' \
	    zfs get -H -o value origin zroot/jails/app02
	atf_check -s exit:0 -o inline:'jail\n' \
	    zfs get -H -o value jailer:managed zroot/jails/app02
	atf_check -s exit:0 -o inline:'payload\n' cat "$(jroot app02)/root/marker"
	assert_running app02
	atf_check -s exit:0 -o inline:'Destroying app02: Done!\n' -e empty \
	    jailer destroy app02
	atf_check -s exit:0 -o inline:'Destroying the snapshot app0@prod: Done!\n' \
	    -e empty jailer snap destroy app0@prod
}

atf_test_case create_from_missing_snapshot
create_from_missing_snapshot_head()
{
	atf_set descr 'create -s with an unknown jail or snapshot changes nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
create_from_missing_snapshot_body()
{
	require_sim
	host_with_image
	mkjail app0
	atf_check -s exit:0 -o ignore zfs create zroot/jails/foreign
	atf_check -s exit:0 -o ignore zfs snapshot zroot/jails/foreign@x
	save_host
	calls_reset
	atf_check -s exit:1 -o empty -e match:'app0@nosuch: no such snapshot' \
	    jailer create -s app0@nosuch x
	atf_check -s exit:1 -o empty -e match:'nosuch: no such jail' \
	    jailer create -s nosuch@x x
	atf_check -s exit:1 -o empty -e match:'foreign: no such jail' \
	    jailer create -s foreign@x x
	atf_check -s exit:1 -o empty -e match:'expected JAIL@SNAPSHOT' \
	    jailer create -s app0 x
	assert_no_mutation
	assert_host_unchanged
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case snap_named
	atf_add_test_case snap_default_name
	atf_add_test_case snap_refused
	atf_add_test_case snap_list
	atf_add_test_case snap_destroy
	atf_add_test_case snap_destroy_clone_message
	atf_add_test_case rollback_stopped
	atf_add_test_case rollback_running_refused
	atf_add_test_case rollback_force
	atf_add_test_case rollback_newer_snapshots
	atf_add_test_case rollback_restores_release
	atf_add_test_case create_from_snapshot
	atf_add_test_case create_from_static_snapshot
	atf_add_test_case create_clone_from_snapshot
	atf_add_test_case create_from_missing_snapshot
}
