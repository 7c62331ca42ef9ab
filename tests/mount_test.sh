# jailer mount, mount list and umount: nullfs mounts of host directories
# into a jail, kept in the host file /etc/jail.conf.d/NAME.fstab (the
# jail's mount.fstab), mounted live on a running jail.

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# m1: a host with the image, the running jail m1 and the host directory
# /srv/data with two files.
m1()
{
	host_with_image
	mkjail m1
	mkdir -p "$JAILER_ROOT/srv/data/sub" "$JAILER_ROOT/srv/other"
	echo precious >"$JAILER_ROOT/srv/data/a.txt"
	echo more >"$JAILER_ROOT/srv/data/sub/b.txt"
}

fstab()
{
	echo "$JAILER_ROOT/etc/jail.conf.d/$1.fstab"
}

# host_files_intact: /srv/data still holds both files.
host_files_intact()
{
	[ "$(cat "$JAILER_ROOT/srv/data/a.txt" 2>/dev/null)" = precious ] &&
	    [ "$(cat "$JAILER_ROOT/srv/data/sub/b.txt" 2>/dev/null)" = more ] ||
	    atf_fail "the host's files in /srv/data are gone"
}

# mounted NODE: mount -p shows the nullfs /srv/data on NODE.
mounted()
{
	mount -p | awk -v n="$1" '$2 == n && $3 == "nullfs" &&
	    $1 == "/srv/data" { f = 1 } END { exit !f }' ||
	    { mount -p; atf_fail "/srv/data is not mounted on $1"; }
}

not_mounted()
{
	if mount -p | awk '$3 == "nullfs" { f = 1 } END { exit !f }'; then
		mount -p
		atf_fail "a nullfs mount is left"
	fi
}

# ---------------------------------------------------------------- cases

atf_test_case stopped
stopped_head()
{
	atf_set descr 'mount on a stopped jail: the fstab line, mount.fstab in the conf file, list, no mount call; start mounts it, stop unmounts it; umount removes both'
	sim_only "reads the simulated mount table and call log (require_sim)"
}
stopped_body()
{
	require_sim
	m1
	atf_check -s exit:0 -o ignore -e empty jailer stop m1
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:"Mounting /srv/data on /data in m1 (ro): Done!\n" \
	    jailer mount m1 /srv/data /data
	assert_not_called '^mount -t'
	atf_check -s exit:0 -e empty \
	    -o inline:"/srv/data /usr/local/jails/m1/data nullfs ro 0 0\n" \
	    cat "$(fstab m1)"
	grep -Eq '^  mount\.fstab +=  *"/etc/jail\.conf\.d/m1\.fstab";$' "$(jconf m1)" ||
	    { cat "$(jconf m1)"; atf_fail "no mount.fstab in m1.conf"; }
	[ -d "$(jroot m1)/data" ] || atf_fail "/data not made in the jail"
	atf_check -s exit:0 -e empty -o inline:"JAIL  PATH   HOST       MODE\nm1    /data  /srv/data  ro\n" \
	    jailer mount list
	atf_check -s exit:0 -e empty \
	    -o inline:'[{"jail":"m1","path":"/data","host":"/srv/data","mode":"ro"}]\n' \
	    jailer mount list -j m1
	# list and mount list never run mount: list its usual two programs,
	# mount list only the zfs list of jailer's dataset every command runs.
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer list
	assert_not_called '^mount'
	[ "$(calls | wc -l | tr -d ' ')" -le 3 ] || { calls; atf_fail "list ran too much"; }
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer mount list
	assert_not_called '^mount'
	[ "$(calls | wc -l | tr -d ' ')" -le 1 ] || { calls; atf_fail "mount list ran programs"; }
	atf_check -s exit:0 -o ignore -e empty jailer start m1
	mounted /usr/local/jails/m1/data
	mount -p | grep -q 'nullfs	ro' || { mount -p; atf_fail "not ro"; }
	atf_check -s exit:0 -o ignore -e empty jailer stop m1
	not_mounted
	atf_check -s exit:0 -e empty \
	    -o inline:"Unmounting /data in m1: Done!\n" jailer umount m1 /data
	[ ! -e "$(fstab m1)" ] || atf_fail "the fstab file is left"
	if grep -q mount.fstab "$(jconf m1)"; then
		atf_fail "mount.fstab is left in m1.conf"
	fi
	atf_check -s exit:0 -o ignore -e empty jailer start m1
	host_files_intact
}

atf_test_case running
running_head()
{
	atf_set descr 'mount and umount on a running jail: mounted live (rw), there after a restart and after a reboot, gone after umount'
	sim_only "reads the simulated mount table, reboots the simulated host (require_sim)"
}
running_body()
{
	require_sim
	m1
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:"Mounting /srv/data on /srv in m1 (rw): Done!\n" \
	    jailer mount m1 /srv/data /srv rw
	assert_called "mount -t nullfs -o rw /srv/data /usr/local/jails/m1/srv"
	mounted /usr/local/jails/m1/srv
	atf_check -s exit:0 -o ignore -e empty jailer restart m1
	mounted /usr/local/jails/m1/srv
	atf_check -s exit:0 -o ignore -e ignore "$FAKEBSD_BIN/reboot"
	assert_running m1
	mounted /usr/local/jails/m1/srv
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:"Unmounting /srv in m1: Done!\n" jailer umount m1 /srv
	assert_called "umount /usr/local/jails/m1/srv"
	not_mounted
	assert_running m1
	host_files_intact
}

atf_test_case planted_symlink
planted_symlink_head()
{
	atf_set descr 'a symlink the jail planted as the jail path or one of its parents: refused, nothing mounted or made; planted while it ran: start refuses'
	sim_only "reads the simulated mount table and call log (require_sim)"
}
planted_symlink_body()
{
	require_sim
	m1
	mkdir -p "$JAILER_ROOT/srv/victim"
	ln -s /srv/victim "$(jroot m1)/data"
	ln -s /srv/victim "$(jroot m1)/opt2"
	ln -s ../../srv/victim "$(jroot m1)/rel"
	save_norm before
	for p in /data /opt2/x /rel/y /data/a/b; do
		refused "symlink $p" jailer mount m1 /srv/data "$p"
		grep -q 'symlink' "$PWD/.err" || { cat "$PWD/.err"; atf_fail "$p: no reason"; }
	done
	assert_norm before
	not_mounted
	[ -z "$(ls -A "$JAILER_ROOT/srv/victim")" ] ||
	    atf_fail "something was made in /srv/victim"
	[ ! -e "$(fstab m1)" ] || atf_fail "an fstab file was written"
	# A stopped jail's mount; then the jail (while running) swaps the
	# directory for a symlink: start refuses.
	atf_check -s exit:0 -o ignore -e empty jailer stop m1
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /mnt/d
	rmdir "$(jroot m1)/mnt/d"
	ln -s /srv/victim "$(jroot m1)/mnt/d"
	atf_check -s exit:1 -o ignore -e match:'symlink' jailer start m1
	assert_stopped m1
	not_mounted
	[ -z "$(ls -A "$JAILER_ROOT/srv/victim")" ] ||
	    atf_fail "something was made in /srv/victim"
}

atf_test_case destroy_keeps_host_files
destroy_keeps_host_files_head()
{
	atf_set descr 'destroy (and destroy -f) of a jail with a foreign live nullfs mount of a host directory refuses and keeps every host file; with only its own fstab mount (rw, live) destroy stops it first, removes the jail and its fstab file, and every host file stays'
	sim_only "reads the simulated mount table (require_sim)"
}
destroy_keeps_host_files_body()
{
	require_sim
	m1
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /data rw
	mounted /usr/local/jails/m1/data
	# A foreign live mount too (an administrator's own).
	mkdir -p "$(jroot m1)/mnt"
	mount -t nullfs /srv/data "/usr/local/jails/m1/mnt" ||
	    atf_fail "cannot mount"
	for f in "" -f; do
		atf_check -s exit:1 -o ignore -e save:err jailer destroy $f m1
		one_error err
		grep -q 'mounted inside the jail' err || { cat err; atf_fail "no reason"; }
		host_files_intact
		assert_running m1
	done
	atf_check -s exit:0 -o empty -e empty umount /usr/local/jails/m1/mnt
	atf_check -s exit:0 -e empty \
	    -o match:'^  remove /etc/jail.conf.d/m1.fstab \(its nullfs mounts\)$' \
	    jailer destroy -D m1
	# Its own fstab mount: the stop unmounts it, then the dataset goes.
	atf_check -s exit:0 -o ignore -e empty jailer destroy m1
	not_mounted
	host_files_intact
	[ ! -e "$(fstab m1)" ] || atf_fail "the fstab file is left"
	[ ! -e "$(jconf m1)" ] || atf_fail "the conf file is left"
}

atf_test_case rollback_snap
rollback_snap_head()
{
	atf_set descr 'rollback -f and snap destroy of a jail with a live nullfs mount: the stop unmounts it first, the host files stay, the mount is back'
	sim_only "reads the simulated mount table (require_sim)"
}
rollback_snap_body()
{
	require_sim
	m1
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /data rw
	atf_check -s exit:0 -o ignore -e empty jailer snap m1@s1
	echo new >"$JAILER_ROOT/srv/data/c.txt"
	atf_check -s exit:1 -o ignore -e match:'running' jailer rollback m1@s1
	atf_check -s exit:0 -o ignore -e empty jailer rollback -f m1@s1
	assert_running m1
	mounted /usr/local/jails/m1/data
	host_files_intact
	[ -f "$JAILER_ROOT/srv/data/c.txt" ] || atf_fail "c.txt was rolled back"
	atf_check -s exit:0 -o ignore -e empty jailer snap destroy m1@s1
	mounted /usr/local/jails/m1/data
	host_files_intact
}

atf_test_case hostile
hostile_head()
{
	atf_set descr 'relative paths, .., blanks, newlines, #, the host /, a file, a missing directory, a jail root, the jail /, a second mount on a target: each refused, host unchanged'
	sim_only "compares the simulated host's state (require_sim)"
}
hostile_body()
{
	require_sim
	m1
	touch "$JAILER_ROOT/srv/file"
	ln -s /srv/data "$JAILER_ROOT/srv/link"
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /data
	save_norm before
	nl='
'
	for h in srv/data /srv/../srv/data /srv/./data /srv/data/ //srv/data \
	    "/srv/da ta" "/srv/da${nl}ta" "/srv/da	ta" "/srv/#data" / \
	    /srv/file /srv/missing /srv/link /usr/local/jails/m1 \
	    /usr/local/jails /usr/local /usr/local/jails/m1/usr; do
		refused "host $h" jailer mount m1 "$h" /x
	done
	for p in x /x/../y /x/./y / /x/ "/a b" "/a${nl}b" "/a#b" /data \
	    /data/sub; do
		refused "jail path $p" jailer mount m1 /srv/other "$p"
	done
	refused "bad mode" jailer mount m1 /srv/other /x xx
	refused "no such jail" jailer mount nosuch /srv/other /x
	refused "bad name" jailer mount 'a;b' /srv/other /x
	refused "umount unknown" jailer umount m1 /nothing
	refused "umount relative" jailer umount m1 data
	refused "list unknown" jailer mount list nosuch
	assert_norm before
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'mount -D and umount -D print what they would do and run nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
dry_run_body()
{
	require_sim
	m1
	save_norm before
	calls_reset
	atf_check -s exit:0 -e empty -o save:out \
	    jailer mount -D m1 /srv/data /data
	grep -qxF "  mount -t nullfs -o ro /srv/data /usr/local/jails/m1/data" out ||
	    { cat out; atf_fail "no mount line"; }
	grep -qxF "  write /etc/jail.conf.d/m1.fstab" out ||
	    { cat out; atf_fail "no fstab line"; }
	grep -qF '+ mount.fstab' out || { cat out; atf_fail "no conf diff"; }
	assert_no_mutation "mount -D"
	assert_norm before
	[ ! -e "$(jroot m1)/data" ] || atf_fail "-D made /data"
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /data
	save_norm mounted
	calls_reset
	atf_check -s exit:0 -e empty -o save:out jailer umount -D m1 /data
	grep -qxF "  umount /usr/local/jails/m1/data" out ||
	    { cat out; atf_fail "no umount line"; }
	assert_no_mutation "umount -D"
	assert_norm mounted
}

atf_test_case sweep_mount
sweep_mount_head()
{
	atf_set descr 'fault sweep of mount on a running jail: each failure leaves the host as it was'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_mount_body()
{
	require_sim
	m1
	SWEEP_MIN=2 host_sweep jailer mount m1 /srv/data /data/deep rw
}

atf_test_case sweep_umount
sweep_umount_head()
{
	atf_set descr 'fault sweep of umount on a running jail'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_umount_body()
{
	require_sim
	m1
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /data
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/other /o
	SWEEP_MIN=2 host_sweep jailer umount m1 /data
	SWEEP_MIN=2 host_sweep jailer umount m1 /o
}

atf_test_case sweep_destroy
sweep_destroy_head()
{
	atf_set descr 'fault sweep of destroy of a jail with nullfs mounts: the host files always stay'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_destroy_body()
{
	require_sim
	m1
	atf_check -s exit:0 -o ignore -e empty jailer mount m1 /srv/data /data rw
	SWEEP_RERUN=1 host_sweep jailer destroy m1
	host_files_intact
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case stopped
	atf_add_test_case running
	atf_add_test_case planted_symlink
	atf_add_test_case destroy_keeps_host_files
	atf_add_test_case rollback_snap
	atf_add_test_case hostile
	atf_add_test_case dry_run
	atf_add_test_case sweep_mount
	atf_add_test_case sweep_umount
	atf_add_test_case sweep_destroy
}
