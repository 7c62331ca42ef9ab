# jailer destroy: what it removes, what it refuses, the dry run, jails
# that are already half gone, several names and busy datasets.

# assert_no_mutation, make_bridge, mkjail, jroot, jconf and assert_running are in jailer.subr.

# assert_gone NAME [ID]: no dataset, snapshot, conf file, console log,
# running jail or epair (of id ID) is left of the jail.
assert_gone()
{
	atf_check -s exit:0 -o not-match:"^zroot/jails/$1([@/]|\$)" \
	    zfs list -H -o name -t all
	atf_check -s not-exit:0 -o ignore test -e "$(jconf "$1")"
	atf_check -s not-exit:0 -o ignore test -e "$JAILER_ROOT/var/log/jail/$1.log"
	atf_check -s not-exit:0 -o ignore -e ignore jls -j "$1"
	atf_check -s not-exit:0 -o ignore test -e "$(jroot "$1")"
	if [ -n "${2:-}" ]; then
		atf_check -s exit:0 -o not-match:"epair$2[ab]" ifconfig -l
	fi
}

atf_test_case destroy_running
destroy_running_head()
{
	atf_set descr 'destroy stops the jail and removes dataset, snapshots, conf and console log'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
destroy_running_body()
{
	require_sim
	host_with_image
	mkjail a
	mkjail keep
	atf_check -s exit:0 -o ignore jailer snap a@one
	atf_check -s exit:0 -o ignore test -f "$JAILER_ROOT/var/log/jail/a.log"
	calls_reset
	atf_check -s exit:0 -o inline:'Destroying a: Done!\n' -e empty \
	    jailer destroy a
	assert_gone a
	atf_check -s exit:0 -o ignore \
	    grep -x 'zfs destroy -r zroot/jails/a' "$JAILER_ROOT/.fakebsd/calls.log"
	# Nothing else was touched.
	assert_running keep
	atf_check -s exit:0 -o ignore zfs list zroot/jails/keep zroot/jails/image/14.3-RELEASE@base
	atf_check -s exit:0 -o ignore test -f "$(jconf keep)"
	fs_outside_untouched
}

atf_test_case destroy_new
destroy_new_head()
{
	atf_set descr 'destroying a -t new jail removes its address from the interface'
	sim_only "names the simulated host's pool, zroot"
}
destroy_new_body()
{
	require_sim
	host_with_image
	mkjail n1 -t new -b vtnet0
	atf_check -s exit:0 -o match:'inet 192\.168\.64\.3 ' ifconfig vtnet0
	atf_check -s exit:0 -o inline:'Destroying n1: Done!\n' -e empty \
	    jailer destroy n1
	assert_gone n1
	atf_check -s exit:0 -o not-match:'192\.168\.64\.3' ifconfig vtnet0
	atf_check -s exit:0 -o match:'inet 192\.168\.64\.2 ' ifconfig vtnet0
}

atf_test_case destroy_eb_running
destroy_eb_running_head()
{
	atf_set descr 'destroying a running eb jail removes its epair too'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
destroy_eb_running_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail e1 -t eb
	atf_check -s exit:0 -o match:'epair1a' ifconfig -l
	atf_check -s exit:0 -o inline:'Destroying e1: Done!\n' -e empty \
	    jailer destroy e1
	assert_gone e1 1
	atf_check -s exit:0 -o not-match:'member: epair1a' ifconfig bridge0
}

atf_test_case destroy_eb_stopped
destroy_eb_stopped_head()
{
	atf_set descr 'destroying a stopped eb jail, and one whose epair was left behind'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
destroy_eb_stopped_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail e1 -t eb
	mkjail e2 -t eb
	atf_check -s exit:0 -o ignore jailer stop e1 e2
	atf_check -s exit:0 -o inline:'Destroying e1: Done!\n' -e empty \
	    jailer destroy e1
	assert_gone e1 1
	# A stale epair2 (as a crash would leave it) goes with the jail.
	atf_check -s exit:0 -o ignore ifconfig epair2 create
	atf_check -s exit:0 -o match:'epair2a' ifconfig -l
	atf_check -s exit:0 -o inline:'Destroying e2: Done!\n' -e empty \
	    jailer destroy e2
	assert_gone e2 2
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'destroy -D lists what it would remove and changes nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
dry_run_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail e1 -t eb
	mkjail s1
	atf_check -s exit:0 -o ignore jailer stop s1
	atf_check -s exit:0 -o ignore jailer snap e1@x
	save_host
	calls_reset
	cat >expected <<EOF
Destroying e1 would:
  stop the jail (JID $(jls -j e1 jid))
  destroy the interface epair1a
  destroy the dataset zroot/jails/e1 and its snapshots
  remove /etc/jail.conf.d/e1.conf
  remove /var/log/jail/e1.log
Destroying s1 would:
  destroy the dataset zroot/jails/s1 and its snapshots
  remove /etc/jail.conf.d/s1.conf
  remove /var/log/jail/s1.log
EOF
	atf_check -s exit:0 -o file:expected -e empty jailer destroy -D e1 s1
	assert_no_mutation
	assert_host_unchanged
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no such jail\n' \
	    jailer destroy -D nosuch
	assert_host_unchanged
}

atf_test_case foreign_dataset_refused
foreign_dataset_refused_head()
{
	atf_set descr 'datasets jailer did not create, and the images, are never destroyed'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
foreign_dataset_refused_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore zfs create zroot/jails/foreign
	sed -e 's/^a {$/foreign {/' -e 's|/jails/a"|/jails/foreign"|' \
	    "$(jconf a)" >"$(jconf foreign)"
	atf_check -s exit:0 -o ignore grep -x 'foreign {' "$(jconf foreign)"
	atf_check -s exit:0 -o ignore zfs set jailer:managed=image zroot/jails/a
	save_host
	calls_reset
	atf_check -s exit:1 -o inline:'Destroying foreign: Failed!\n' \
	    -e match:'^jailer: foreign: zroot/jails/foreign was not created by jailer' \
	    jailer destroy foreign
	atf_check -s exit:1 -o inline:'Destroying a: Failed!\n' \
	    -e match:'^jailer: a: zroot/jails/a was not created by jailer' \
	    jailer destroy a
	assert_no_mutation
	atf_check -s exit:1 -o empty -e match:"'image': reserved" \
	    jailer destroy image
	atf_check -s exit:1 -o empty -e match:'^jailer: ' jailer destroy -D foreign
	assert_no_mutation
	assert_host_unchanged
	assert_running a
}

atf_test_case nullfs_refused
nullfs_refused_head()
{
	atf_set descr 'a jail with a foreign mount below its root is refused, left running'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
nullfs_refused_body()
{
	require_sim
	host_with_image
	mkjail a
	mkdir -p "$(jroot a)/mnt"
	atf_check -s exit:0 -o ignore -e ignore \
	    mount -t nullfs /tmp /usr/local/jails/a/mnt
	save_host
	calls_reset
	atf_check -s exit:1 -o inline:'Destroying a: Failed!\n' \
	    -e match:'^jailer: a: /usr/local/jails/a/mnt is mounted inside the jail' \
	    jailer destroy a
	assert_no_mutation
	atf_check -s exit:1 -o empty -e match:'/usr/local/jails/a/mnt is mounted' \
	    jailer destroy -D a
	atf_check -s exit:1 -o ignore -e match:'mounted inside the jail' \
	    jailer destroy -f a
	assert_host_unchanged
	assert_running a
	atf_check -s exit:0 -o ignore -e ignore umount /usr/local/jails/a/mnt
	atf_check -s exit:0 -o inline:'Destroying a: Done!\n' -e empty \
	    jailer destroy a
	assert_gone a
}

atf_test_case half_destroyed
half_destroyed_head()
{
	atf_set descr 'a jail whose conf file or dataset was removed by hand can be destroyed'
	sim_only "names the simulated host's pool, zroot"
}
half_destroyed_body()
{
	require_sim
	host_with_image
	mkjail a
	mkjail b
	atf_check -s exit:0 -o ignore jailer stop a b
	rm "$(jconf a)"
	atf_check -s exit:0 -o inline:'Destroying a: Done!\n' -e empty \
	    jailer destroy a
	assert_gone a
	atf_check -s exit:0 -o ignore zfs destroy -r zroot/jails/b
	atf_check -s exit:0 -o inline:'Destroying b: Done!\n' -e empty \
	    jailer destroy b
	assert_gone b
	# Both gone: now it is unknown.
	atf_check -s exit:1 -o inline:'Destroying b: Failed!\n' \
	    -e inline:'jailer: b: no such jail\n' jailer destroy b
}

atf_test_case several_names
several_names_head()
{
	atf_set descr 'destroy a nosuch b destroys a and b, reports nosuch, exits 1'
	sim_only "names the simulated host's pool, zroot"
}
several_names_body()
{
	require_sim
	host_with_image
	mkjail a
	mkjail b
	mkjail c
	atf_check -s exit:1 \
	    -o inline:'Destroying a: Done!\nDestroying nosuch: Failed!\nDestroying b: Done!\n' \
	    -e inline:'jailer: nosuch: no such jail\n' jailer destroy a nosuch b
	assert_gone a
	assert_gone b
	assert_running c
	atf_check -s exit:0 -o inline:'Destroying c: Done!\n' -e empty \
	    jailer destroy c
	atf_check -s exit:2 -o empty -e match:'no jail named' jailer destroy
	atf_check -s exit:2 -o empty -e match:'unknown option -x' jailer destroy -x c
}

# destroy_busy_host: the stopped jail a, whose dataset is busy: another
# jail (squat) runs on it.
destroy_busy_host()
{
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore jailer stop a
	atf_check -s exit:0 -o ignore -e ignore \
	    jail -c name=squat path=/usr/local/jails/a persist
}

atf_test_case busy_needs_force
busy_needs_force_head()
{
	atf_set descr 'a busy dataset is refused with the reason and a hint; -f destroys it'
	sim_only "names the simulated host's pool, zroot"
}
busy_needs_force_body()
{
	require_sim
	destroy_busy_host
	atf_check -s exit:1 -o inline:'Destroying a: Failed!\n' -e save:err \
	    jailer destroy a
	atf_check -s exit:0 -o ignore zfs list zroot/jails/a
	atf_check -s exit:0 -o ignore test -f "$(jconf a)"
	atf_check -s exit:0 -o ignore grep -- '-f' err
	atf_check -s exit:0 -o inline:'Destroying a: Done!\n' -e empty \
	    jailer destroy -f a
	atf_check -s not-exit:0 -o ignore -e ignore zfs list zroot/jails/a
	atf_check -s not-exit:0 -o ignore test -f "$(jconf a)"
}

atf_test_case busy_message
busy_message_head()
{
	atf_set descr 'the busy error keeps the reason zfs gave'
}
busy_message_body()
{
	destroy_busy_host
	atf_check -s exit:1 -o ignore \
	    -e match:'^jailer: a: .*busy.*; use -f to force it$' jailer destroy a
}

atf_test_case leftover_devfs
leftover_devfs_head()
{
	atf_set descr 'a jail whose stop failed to unmount its devfs can still be destroyed'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
leftover_devfs_body()
{
	require_sim
	host_with_image
	mkjail a
	# The stop removes the jail but its devfs stays mounted.
	atf_check -s exit:1 -o inline:'Stopping a: Failed!\n' -e match:'umount' \
	    env FAKEBSD_FAIL=umount jailer stop a
	atf_check -s exit:0 -o match:' /usr/local/jails/a/dev ' -x 'mount -p | tr "\t" " "'
	atf_check -s exit:0 -o inline:'Destroying a: Done!\n' -e empty \
	    jailer destroy a
	assert_gone a
}

atf_test_case clone_origin_refused
clone_origin_refused_head()
{
	atf_set descr 'a jail whose snapshot has a clone is refused up front, with the reason'
	sim_only "names the simulated host's pool, zroot"
}
clone_origin_refused_body()
{
	require_sim
	host_with_clone
	atf_check -s exit:1 -o inline:'Destroying app0: Failed!\n' -e save:err \
	    jailer destroy app0
	atf_check -s exit:0 -o ignore zfs list zroot/jails/app0@prod
	atf_check -s exit:0 -o ignore grep app02 err
	atf_check -s exit:0 -o ignore grep -i clone err
	assert_running app0
}

atf_test_case destroy_clone
destroy_clone_head()
{
	atf_set descr 'a -C jail is destroyed without touching its origin'
	sim_only "names the simulated host's pool, zroot"
}
destroy_clone_body()
{
	require_sim
	host_with_image
	mkjail c1 -C
	atf_check -s exit:0 -o inline:'Destroying c1: Done!\n' -e empty \
	    jailer destroy c1
	assert_gone c1
	atf_check -s exit:0 -o ignore zfs list zroot/jails/image/14.3-RELEASE@base
}

atf_test_case recreate_same_name
recreate_same_name_head()
{
	atf_set descr 'after destroy the name and the id can be used again'
}
recreate_same_name_body()
{
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore jailer destroy a
	mkjail a
	atf_check -s exit:0 -o match:'^  \$id += "1";$' cat "$(jconf a)"
	assert_running a
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case destroy_running
	atf_add_test_case destroy_new
	atf_add_test_case destroy_eb_running
	atf_add_test_case destroy_eb_stopped
	atf_add_test_case dry_run
	atf_add_test_case foreign_dataset_refused
	atf_add_test_case nullfs_refused
	atf_add_test_case half_destroyed
	atf_add_test_case several_names
	atf_add_test_case busy_needs_force
	atf_add_test_case busy_message
	atf_add_test_case leftover_devfs
	atf_add_test_case clone_origin_refused
	atf_add_test_case destroy_clone
	atf_add_test_case recreate_same_name
}
