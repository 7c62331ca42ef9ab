# jailer zfs NAME attach | detach DATASET: ZFS datasets delegated to a
# jail (zfs-jail(8)): jailed=on, the conf file's parameters and its
# exec.created hook (FreeBSD 14) or zfs.dataset (15), live on a running
# jail, at every start, after a reboot; refusals and fault sweeps.

# mkjail, jconf, refused, host_sweep, save_norm and assert_norm are in
# jailer.subr.

JAIL_DOMAIN=

# attached DATASET: the jail the simulated kernel has it attached to, or
# "-".
attached()
{
	python3 -c 'import json, sys
st = json.load(open(sys.argv[1]))
print(st["datasets"][sys.argv[2]].get("jail") or "-")' \
	    "$JAILER_ROOT/.fakebsd/state.json" "$1"
}

assert_attached()
{
	[ "$(attached "$1")" = "$2" ] ||
	    atf_fail "$1 is attached to '$(attached "$1")', not '$2'"
}

# sim_reboot: the simulated host's reboot.
zj_reboot()
{
	atf_check -s exit:0 -o ignore -e ignore "$FAKEBSD_BIN/reboot"
}

# zj_host [ARGS]: a host with the jail a (running) and the dataset
# zroot/data.
zj_host()
{
	host_with_image "$@"
	mkjail a
	atf_check -s exit:0 zfs create zroot/data
}

atf_test_case attach_stopped
attach_stopped_head()
{
	atf_set descr 'attach on a stopped jail: jailed=on, the conf file, attached at start, the list'
	sim_only "reads the simulated kernel's state"
}
attach_stopped_body()
{
	require_sim
	zj_host
	atf_check -s exit:0 -o ignore -e empty jailer stop a
	atf_check -s exit:0 -o inline:'Delegating zroot/data to a: Done!\n' \
	    -e empty jailer zfs a attach zroot/data
	atf_check -s exit:0 -o inline:'on\n' zfs get -H -o value jailed zroot/data
	atf_check -s exit:0 -o match:'^  allow.mount;$' \
	    -o match:'^  allow.mount.zfs;$' \
	    -o match:'^  enforce_statfs += "1";$' \
	    -o match:'^  exec.created +[+]= "zfs jail [$][{]name[}] zroot/data";$' \
	    cat "$(jconf a)"
	assert_attached zroot/data -
	atf_check -s exit:0 -o ignore -e empty jailer start a
	assert_attached zroot/data a
	printf 'DATASET     JAILED\nzroot/data  on\n' >want
	atf_check -s exit:0 -o file:want -e empty jailer zfs a
	atf_check -s exit:0 -o inline:'[{"dataset":"zroot/data","jailed":"on"}]\n' \
	    -e empty jailer zfs -j a
	atf_check -s exit:0 -o ignore -e empty jailer stop a
	assert_attached zroot/data -
}

atf_test_case attach_running
attach_running_head()
{
	atf_set descr 'attach on a running jail attaches at once; a reboot forgets it, the next start attaches again'
	sim_only "reboots the simulated host"
}
attach_running_body()
{
	require_sim
	zj_host
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/data
	assert_called 'zfs set jailed=on zroot/data'
	assert_called 'zfs jail a zroot/data'
	assert_attached zroot/data a
	# The reboot forgets the attachment; rc.d/jail starts a again and
	# its exec.created attaches it (it would fail if the kernel had not
	# forgotten).
	calls_reset
	zj_reboot
	assert_running a
	assert_called 'zfs jail a zroot/data'
	assert_attached zroot/data a
}

atf_test_case detach
detach_head()
{
	atf_set descr 'detach takes the dataset back from a running jail, removes the hook, keeps jailed=on'
	sim_only "reads the simulated kernel's state"
}
detach_body()
{
	require_sim
	zj_host
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/data
	calls_reset
	atf_check -s exit:0 -o inline:'Taking zroot/data back from a: Done!\n' \
	    -e empty jailer zfs a detach zroot/data
	assert_called 'zfs unjail a zroot/data'
	assert_attached zroot/data -
	atf_check -s exit:0 -o not-match:'zfs jail' cat "$(jconf a)"
	atf_check -s exit:0 -o inline:'on\n' zfs get -H -o value jailed zroot/data
	printf 'DATASET  JAILED\n' >want
	atf_check -s exit:0 -o file:want -e empty jailer zfs a
	atf_check -s exit:0 -o ignore -e empty jailer restart a
	assert_attached zroot/data -
}

atf_test_case release15
release15_head()
{
	atf_set descr 'on FreeBSD 15 the conf file gets zfs.dataset, and detach removes it'
	sim_only "a host made to order (mkhost --release)"
}
release15_body()
{
	require_sim
	zj_host --release 15.0-RELEASE
	atf_check -s exit:0 zfs create zroot/more
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/data
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/more
	atf_check -s exit:0 \
	    -o match:'^  zfs.dataset += "zroot/data", "zroot/more";$' \
	    -o not-match:'exec.created.*zfs' cat "$(jconf a)"
	atf_check -s exit:0 -o ignore -e empty jailer restart a
	assert_attached zroot/data a
	assert_attached zroot/more a
	atf_check -s exit:0 -o ignore -e empty jailer zfs a detach zroot/data
	atf_check -s exit:0 -o match:'^  zfs.dataset += "zroot/more";$' \
	    cat "$(jconf a)"
}

atf_test_case release14_no_zfs_dataset
release14_no_zfs_dataset_head()
{
	atf_set descr "jail(8) of FreeBSD 14 does not know zfs.dataset: attach writes the exec.created hook"
	sim_only "runs the simulated jail(8)"
}
release14_no_zfs_dataset_body()
{
	require_sim
	zj_host
	atf_check -s exit:0 zfs set jailed=on zroot/data
	atf_check -s exit:1 -o empty -e match:'unknown parameter: zfs.dataset' \
	    jail -c name=t path=/ zfs.dataset=zroot/data persist
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/data
	atf_check -s exit:0 -o not-match:'zfs.dataset' cat "$(jconf a)"
}

atf_test_case destroy_keeps
destroy_keeps_head()
{
	atf_set descr 'destroy never destroys a delegated dataset, and -D says so'
	sim_only "reads the simulated kernel's state"
}
destroy_keeps_body()
{
	require_sim
	zj_host
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/data
	atf_check -s exit:0 -o match:'^  keep the delegated dataset zroot/data$' \
	    -e empty jailer destroy -D a
	atf_check -s exit:0 -o ignore -e empty jailer destroy a
	atf_check -s exit:0 -o ignore zfs list zroot/data
	assert_attached zroot/data -
}

atf_test_case refusals
refusals_head()
{
	atf_set descr 'refused: missing dataset, pool root, jailer datasets, delegated elsewhere, hostile names, not delegated, usage'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
refusals_body()
{
	require_sim
	zj_host
	mkjail b
	atf_check -s exit:0 zfs create zroot/data/sub
	atf_check -s exit:0 -o ignore -e empty jailer zfs b attach zroot/data
	save_norm before
	refused missing jailer zfs a attach zroot/nosuch
	atf_check -s exit:1 -o empty -e inline:'jailer: a: no dataset zroot/nosuch\n' \
	    jailer zfs a attach zroot/nosuch
	refused "pool root" jailer zfs a attach zroot
	refused "own dataset" jailer zfs a attach zroot/jails/a
	refused "jailer's dataset" jailer zfs a attach zroot/jails
	refused "an image" jailer zfs a attach zroot/jails/image
	refused "delegated to b" jailer zfs a attach zroot/data
	refused "inside one delegated to b" jailer zfs a attach zroot/data/sub
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: a: zroot/data is delegated to the jail b\n' \
	    jailer zfs a attach zroot/data/sub
	refused "already delegated" jailer zfs b attach zroot/data
	refused "not delegated" jailer zfs a detach zroot/data
	refused "a snapshot" jailer zfs a attach zroot/jails/a@base
	for bad in '../x' 'zroot/$(id)' "$(printf 'zroot/a\033[2J')" 'zroot/a b' \
	    '/zroot/x' 'zroot//x'; do
		refused "dataset '$bad'" jailer zfs a attach "$bad"
	done
	refused "unknown jail" jailer zfs nosuch attach zroot/other
	refused "bad jail name" jailer zfs 'a/b' attach zroot/other
	atf_check -s exit:2 -o empty -e match:'^jailer zfs: ' jailer zfs a mount zroot/data
	atf_check -s exit:2 -o empty -e match:'^jailer zfs: ' jailer zfs a attach
	atf_check -s exit:2 -o empty -e match:'^jailer zfs: ' jailer zfs
	assert_norm before
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'zfs -D prints the plan and changes nothing'
	sim_only "compares the simulated host's state before and after"
}
dry_run_body()
{
	require_sim
	zj_host
	save_norm before
	calls_reset
	cat >want <<'EOF'
Delegating zroot/data to a would:
  run zfs set jailed=on zroot/data
  change /etc/jail.conf.d/a.conf:
    + allow.mount;
    + allow.mount.zfs;
    + enforce_statfs  = "1";
    + exec.created   += "zfs jail ${name} zroot/data";
  run zfs jail a zroot/data
EOF
	atf_check -s exit:0 -o file:want -e empty jailer zfs -D a attach zroot/data
	assert_no_mutation "zfs -D"
	assert_norm before
}

atf_test_case sweeps
sweeps_head()
{
	atf_set descr 'a failure of any program attach or detach runs leaves the host as it was'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
sweeps_body()
{
	require_sim
	zj_host
	mkjail b
	atf_check -s exit:0 -o ignore -e empty jailer stop b
	host_sweep jailer zfs a attach zroot/data
	host_sweep jailer zfs b attach zroot/data
	atf_check -s exit:0 -o ignore -e empty jailer zfs a attach zroot/data
	host_sweep jailer zfs a detach zroot/data
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case attach_stopped
	atf_add_test_case attach_running
	atf_add_test_case detach
	atf_add_test_case release15
	atf_add_test_case release14_no_zfs_dataset
	atf_add_test_case destroy_keeps
	atf_add_test_case refusals
	atf_add_test_case dry_run
	atf_add_test_case sweeps
}
