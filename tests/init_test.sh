# jailer init and jailer init info against the simulated host.

# host_state_nocounters, save_host_restorable and assert_host_restored
# are in jailer.subr.

# The closing lines of every init that did something.
init_thanks_lines()
{
	cat <<'EOF'

You may run `jailer init info` to check system status
You may run `jailer init bridge` to setup advanced networking

Thank you for choosing Jailer!
EOF
}

# The transcript of an init, after the dataset: its last three steps
# and the closing lines.
init_rest_lines()
{
	cat <<'EOF'
Setting jailer_dir in rc.conf: Done!
Enabling the jail service: Done!
Including /etc/jail.conf.d in /etc/jail.conf: Done!
EOF
	init_thanks_lines
}

# The seed transcript of a first init, after the answer to the prompt.
init_done_lines()
{
	echo 'Creating ZFS dataset zroot/jails with the mount point /usr/local/jails: Done!'
	init_rest_lines
}

# The plan shown before the prompt: plan_lines VERB DATASET MOUNTPOINT
plan_lines()
{
	printf 'Jailer will %s\n dataset     : %s\n mount point : %s\n' \
	    "$1" "$2" "$3"
}

# The "init info" report of a host initialised with the defaults.
info_initialised()
{
	cat <<'EOF'
Checking system state...
 FreeBSD release         ==> 14.3-RELEASE-p2
 jail_enable in rc.conf  ==> YES!
 jail.conf.d included    ==> YES!
Checking jailer state...
 jailer_dir in rc.conf   ==> YES!
 jailer_dir is set to    ==> zfs:zroot/jails
 Jailer ZFS dataset      ==> zroot/jails
 Jailer ZFS mountpoint   ==> /usr/local/jails
 default image           ==> none
 default network type    ==> inherit
Checking network status...
 bridge0 in rc.conf      ==> NO :(
  If you want Jailer to auto-configure bridge interfaces, run `jailer init bridge`
EOF
}

# The call log holds no command that changes the host (init info asks
# pkg, service, pfctl and sysctl, read-only).
assert_no_mutation_init()
{
	if calls | grep -E '^(zfs (create|destroy|snapshot|snap|set|inherit|rename|clone|promote|rollback|recv|receive|mount|unmount|umount)|zpool (create|destroy|import|export|set)|fetch|tar|sysrc .*=|service [^ ]+ (start|stop|restart|enable|disable|delete|onestart|onestop|onerestart)|ifconfig [^ ]+ .|pkg (install|add|delete|remove|upgrade)|pfctl .*-[fFeda]|sysctl [^ ]*=|jail|kldload)( |$)' \
	    >"$PWD/.mutating"; then
		cat "$PWD/.mutating"
		atf_fail "a mutating command ran"
	fi
}

# assert_output_head EXPECTED ACTUAL: ACTUAL starts with the lines of
# EXPECTED (init info may report more after the sections tested here).
assert_output_head()
{
	head -n "$(wc -l <"$1")" "$2" >"$2.head"
	if ! diff -u "$1" "$2.head"; then
		atf_fail "unexpected output"
	fi
}

# The bridge part of an init info report.
bridge_lines()
{
	sed -n '/^Checking network status/,$p' "$1" |
	    grep -E '^Checking network status|bridge'
}

# ---------------------------------------------------------------- init

atf_test_case init_transcript_yes
init_transcript_yes_head()
{
	atf_set descr 'init answered y prints the seed transcript and prepares the host'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_transcript_yes_body()
{
	require_sim
	host_fresh
	cp root/etc/rc.conf rc.conf.before
	{
		plan_lines create zroot/jails /usr/local/jails
		printf 'OK? (y/N) '
		init_done_lines
	} >expout
	calls_reset
	echo y >answer
	atf_check -s exit:0 -o file:expout -e empty -x 'jailer init <answer'
	cp root/.fakebsd/calls.log jailer.calls
	fs_outside_untouched

	# rc.conf: the old lines untouched, the two settings appended once.
	{
		cat rc.conf.before
		echo 'jailer_dir="zfs:zroot/jails"'
		echo 'jail_enable="YES"'
	} >rc.conf.want
	atf_check -s exit:0 -o empty diff -u rc.conf.want root/etc/rc.conf
	atf_check -s exit:0 -o inline:'.include "/etc/jail.conf.d/*.conf";\n' \
	    cat root/etc/jail.conf
	test -d root/etc/jail.conf.d || atf_fail "/etc/jail.conf.d missing"
	test -d root/var/log/jail || atf_fail "/var/log/jail missing"
	test -d root/usr/local/jails || atf_fail "/usr/local/jails missing"
	atf_check -s exit:0 -o inline:'zroot/jails\t/usr/local/jails\tyes\n' \
	    zfs list -H -o name,mountpoint,mounted zroot/jails
	atf_check -s exit:0 -o inline:'jail_enable: YES\n' sysrc jail_enable
	atf_check -s exit:0 -o inline:'jailer_dir: zfs:zroot/jails\n' \
	    sysrc jailer_dir
	# Exactly one mutating command: the dataset (rc.conf and jail.conf
	# are written by jailer itself).
	cat >calls.want <<'EOF'
uname -m -p -r
zpool list -H -o name
zfs get -H -o value mountpoint zroot/jails
zfs create -o mountpoint=/usr/local/jails zroot/jails
EOF
	atf_check -s exit:0 -o empty diff -u calls.want jailer.calls
}

atf_test_case init_yes_words
init_yes_words_head()
{
	atf_set descr 'y, yes, Y, YES and " yes " (any case, trimmed) confirm'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
init_yes_words_body()
{
	require_sim
	for a in y yes Y YES ' yes '; do
		host_fresh
		printf '%s\n' "$a" >answer
		atf_check -s exit:0 -o match:'^Thank you for choosing Jailer!$' \
		    -e empty -x 'jailer init <answer'
		atf_check -s exit:0 -o ignore zfs list zroot/jails
	done
}

atf_test_case init_declined
init_declined_head()
{
	atf_set descr 'n, no, other words, an empty line and EOF decline: exit 1, Nothing changed'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_declined_body()
{
	require_sim
	host_fresh
	save_host
	for a in n no N yep nope 'y y' ''; do
		calls_reset
		printf '%s\n' "$a" >answer
		{
			plan_lines create zroot/jails /usr/local/jails
			printf 'OK? (y/N) Nothing changed.\n'
		} >expout
		atf_check -s exit:1 -o file:expout -e empty \
		    -x 'jailer init <answer'
		assert_no_mutation_init
		assert_host_unchanged
	done
	# EOF: the prompt's line is ended before the answer.
	{
		plan_lines create zroot/jails /usr/local/jails
		printf 'OK? (y/N) \nNothing changed.\n'
	} >expout
	atf_check -s exit:1 -o file:expout -e empty -x 'jailer init </dev/null'
	assert_host_unchanged
}

atf_test_case init_dash_y
init_dash_y_head()
{
	atf_set descr 'init -y shows the plan and does not ask'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
init_dash_y_body()
{
	require_sim
	host_fresh
	{
		plan_lines create zroot/jails /usr/local/jails
		init_done_lines
	} >expout
	atf_check -s exit:0 -o file:expout -e empty -x 'jailer init -y </dev/null'
	atf_check -s exit:0 -o ignore zfs list zroot/jails
}

atf_test_case init_jail_conf_appended
init_jail_conf_appended_head()
{
	atf_set descr 'an existing jail.conf keeps its lines; the include is appended once'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
init_jail_conf_appended_body()
{
	require_sim
	host_fresh
	# No newline at the end of the last line.
	printf 'exec.clean;\n# local jails\nold {\n\tpath = "/jails/old";\n}' \
	    >root/etc/jail.conf
	atf_check -s exit:0 -o ignore -e empty jailer init -y
	printf 'exec.clean;\n# local jails\nold {\n\tpath = "/jails/old";\n}\n.include "/etc/jail.conf.d/*.conf";\n' \
	    >want
	atf_check -s exit:0 -o empty cmp want root/etc/jail.conf
	atf_check -s exit:0 -o inline:'1\n' \
	    grep -c 'include' root/etc/jail.conf
}

atf_test_case init_jail_conf_mode
init_jail_conf_mode_head()
{
	atf_set descr 'appending the include keeps the mode of an existing jail.conf'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
init_jail_conf_mode_body()
{
	require_sim
	host_fresh
	printf 'exec.clean;\n' >root/etc/jail.conf
	chmod 0640 root/etc/jail.conf
	chmod 0600 root/etc/rc.conf
	atf_check -s exit:0 -o ignore -e empty jailer init -y
	ls -l root/etc/rc.conf | grep -q '^-rw-------' ||
	    atf_fail "rc.conf lost its mode"
	ls -l root/etc/jail.conf | grep -q '^-rw-r-----' ||
	    atf_fail "jail.conf is now $(ls -l root/etc/jail.conf | cut -c1-10)"
}

atf_test_case init_jail_conf_variant
init_jail_conf_variant_head()
{
	atf_set descr 'an include written with other spacing is not added again'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
init_jail_conf_variant_body()
{
	require_sim
	for v in '  .include   "/etc/jail.conf.d/*.conf" ;' \
	    '.include	"/etc/jail.conf.d/*.conf";'; do
		host_fresh
		printf 'exec.clean;\n%s\n' "$v" >root/etc/jail.conf
		cp root/etc/jail.conf before
		atf_check -s exit:0 -o save:out -e empty jailer init -y
		atf_check -s exit:0 -o empty cmp before root/etc/jail.conf
		# The directories are still made by that step.
		atf_check -s exit:0 -o ignore \
		    grep -Fx 'Including /etc/jail.conf.d in /etc/jail.conf: Done!' out
		test -d root/etc/jail.conf.d || atf_fail "jail.conf.d missing"
		test -d root/var/log/jail || atf_fail "/var/log/jail missing"
	done
}

atf_test_case init_directories
init_directories_head()
{
	atf_set descr 'init creates /etc/jail.conf.d and /var/log/jail with mode 0755'
	sim_only "compares the simulated host's files and state.json (host_state)"
}
init_directories_body()
{
	require_sim
	host_ready
	host_state >state
	atf_check -s exit:0 -o ignore \
	    grep -E '^d 0755 -+ etc/jail\.conf\.d$' state
	atf_check -s exit:0 -o ignore grep -E '^d 0755 -+ var/log/jail$' state
	atf_check -s exit:0 -o ignore \
	    grep -E '^f 0644 [0-9a-f]+ etc/jail\.conf$' state
}

atf_test_case init_mountpoint_hides
init_mountpoint_hides_head()
{
	atf_set descr 'init -m refuses a directory that is not empty or is a system directory, and changes nothing; an empty or new one works'
	sim_only "compares the simulated host's files and state.json (host_state)"
}
init_mountpoint_hides_body()
{
	require_sim
	host_fresh
	mkdir -p "$JAILER_ROOT/srv/data" "$JAILER_ROOT/srv/empty"
	echo precious >"$JAILER_ROOT/srv/data/file"
	echo x >"$JAILER_ROOT/srv/plainfile"
	host_state >before
	atf_check -s exit:1 -o empty \
	    -e 'inline:jailer: invalid mount point '"'"'/srv/data'"'"': the directory is not empty (the new dataset would hide what is there)\n' \
	    jailer init -y -m /srv/data
	atf_check -s exit:1 -o empty -e match:'it exists and is not a directory' \
	    jailer init -y -m /srv/plainfile
	for d in /var/db/pkg /usr/local/etc/rc.d /root/.ssh /home /usr/home \
	    /usr/local /boot/x /var/db; do
		atf_check -s exit:1 -o empty \
		    -e match:"^jailer: invalid mount point '$d': (inside )?a system directory\$" \
		    jailer init -y -m "$d"
	done
	host_state >after
	atf_check -s exit:0 -o empty diff before after
	atf_check -s exit:0 -o ignore -e empty jailer init -y -m /srv/empty
	atf_check -s exit:0 -o inline:'/srv/empty\n' zfs get -H -o value mountpoint zroot/jails
}

atf_test_case init_mountpoint_option
init_mountpoint_option_head()
{
	atf_set descr 'init -m sets the mount point of the new dataset'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
init_mountpoint_option_body()
{
	require_sim
	host_fresh
	{
		plan_lines create zroot/jails /srv/jails
		echo 'Creating ZFS dataset zroot/jails with the mount point /srv/jails: Done!'
		init_done_lines | sed 1d
	} >expout
	atf_check -s exit:0 -o file:expout -e empty jailer init -y -m /srv/jails
	atf_check -s exit:0 -o inline:'/srv/jails\n' \
	    zfs get -H -o value mountpoint zroot/jails
	test -d root/srv/jails || atf_fail "/srv/jails was not mounted"
	atf_check -s exit:0 \
	    -o match:'^ Jailer ZFS mountpoint   ==> /srv/jails$' jailer init info
	# Later runs accept the same -m and refuse another one.
	atf_check -s exit:0 -o match:'already initialised' jailer init -m /srv/jails
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: zroot/jails exists and is mounted on /srv/jails, not /usr/local/jails\n' \
	    jailer init -y -m /usr/local/jails
	assert_host_unchanged
}

atf_test_case init_second_run
init_second_run_head()
{
	atf_set descr 'a second init changes nothing and reports the state, exit 0'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_second_run_body()
{
	require_sim
	host_ready
	save_host
	calls_reset
	{
		echo 'Jailer is already initialised on zfs:zroot/jails; nothing to do.'
		echo
		info_initialised
	} >expout
	# No prompt: nothing to confirm.
	atf_check -s exit:0 -o save:out1 -e empty -x 'jailer init </dev/null'
	atf_check -s exit:0 -o save:out2 -e empty jailer init -y
	assert_no_mutation_init
	assert_host_unchanged
	assert_output_head expout out1
	assert_output_head expout out2
	# The rest is the info report.
	jailer init info >info || atf_fail "init info failed"
	sed 1,2d out1 >out1.info
	atf_check -s exit:0 -o empty diff -u info out1.info
}

atf_test_case init_partial_jail_enable
init_partial_jail_enable_head()
{
	atf_set descr 'a host lacking only jail_enable gets only that step'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_partial_jail_enable_body()
{
	require_sim
	host_ready
	sed -i.bak '/^jail_enable=/d' root/etc/rc.conf
	rm root/etc/rc.conf.bak
	cp root/etc/jail.conf jail.conf.before
	calls_reset
	{
		plan_lines use zroot/jails /usr/local/jails
		echo 'Enabling the jail service: Done!'
		init_thanks_lines
	} >expout
	atf_check -s exit:0 -o file:expout -e empty jailer init -y
	assert_no_mutation_init
	atf_check -s exit:0 -o inline:'jail_enable: YES\n' sysrc jail_enable
	atf_check -s exit:0 -o inline:'1\n' grep -c '^jail_enable=' root/etc/rc.conf
	atf_check -s exit:0 -o empty cmp jail.conf.before root/etc/jail.conf
}

atf_test_case init_partial_jail_enable_no
init_partial_jail_enable_no_head()
{
	atf_set descr 'jail_enable="NO" is turned into YES in place'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
init_partial_jail_enable_no_body()
{
	require_sim
	host_fresh
	sed -i.bak '1a\
jail_enable="NO"' root/etc/rc.conf
	rm root/etc/rc.conf.bak
	sed 's/^jail_enable="NO"$/jail_enable="YES"/' root/etc/rc.conf >want
	echo 'jailer_dir="zfs:zroot/jails"' >>want
	atf_check -s exit:0 -o ignore -e empty jailer init -y
	atf_check -s exit:0 -o empty diff -u want root/etc/rc.conf
}

atf_test_case init_partial_include
init_partial_include_head()
{
	atf_set descr 'a host lacking the jail.conf include gets only that step'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_partial_include_body()
{
	require_sim
	host_ready
	rm root/etc/jail.conf
	cp root/etc/rc.conf rc.conf.before
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer init -y
	atf_check -s exit:0 -o inline:'Including /etc/jail.conf.d in /etc/jail.conf: Done!\n' \
	    grep ': Done!$' out
	atf_check -s exit:0 -o inline:'.include "/etc/jail.conf.d/*.conf";\n' \
	    cat root/etc/jail.conf
	atf_check -s exit:0 -o empty cmp rc.conf.before root/etc/rc.conf
	assert_no_mutation_init
}

atf_test_case init_partial_dataset
init_partial_dataset_head()
{
	atf_set descr 'jailer_dir set but its dataset gone: only the dataset is created'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_partial_dataset_body()
{
	require_sim
	host_ready
	zfs destroy -r zroot/jails || atf_fail "zfs destroy failed"
	cp root/etc/rc.conf rc.conf.before
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer init -y
	atf_check -s exit:0 \
	    -o inline:'Creating ZFS dataset zroot/jails with the mount point /usr/local/jails: Done!\n' \
	    grep ': Done!$' out
	atf_check -s exit:0 -o empty cmp rc.conf.before root/etc/rc.conf
	atf_check -s exit:0 -o inline:'1\n' \
	    grep -c '^zfs create -o mountpoint=/usr/local/jails zroot/jails$' \
	    root/.fakebsd/calls.log
	# No pool inference: jailer_dir names the dataset.
	atf_check -s exit:1 -o empty grep zpool root/.fakebsd/calls.log
}

atf_test_case init_rc_conf_local
init_rc_conf_local_head()
{
	atf_set descr 'jail_enable="NO" in rc.conf.local: init enables the service where it takes effect'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
init_rc_conf_local_body()
{
	require_sim
	host_fresh
	echo 'jail_enable="NO"' >root/etc/rc.conf.local
	atf_check -s exit:0 -o ignore -e empty jailer init -y
	atf_check -s exit:0 -o inline:'jail_enable: YES\n' sysrc jail_enable
	save_host
	atf_check -s exit:0 -o match:'already initialised' -e empty jailer init -y
	assert_host_unchanged
}

atf_test_case init_several_pools
init_several_pools_head()
{
	atf_set descr 'with several pools init needs -z or -d and names the pools'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
init_several_pools_body()
{
	require_sim
	host_fresh --pools zroot,tank
	save_host
	for a in '' -y; do
		atf_check -s exit:1 -o empty \
		    -e inline:'jailer: several ZFS pools (tank zroot): choose one with -z POOL or -d POOL/DATASET\n' \
		    jailer init $a
	done
	assert_host_unchanged
}

atf_test_case init_z_option
init_z_option_head()
{
	atf_set descr 'init -z tank uses tank/jails'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
init_z_option_body()
{
	require_sim
	host_fresh --pools zroot,tank
	atf_check -s exit:0 -o save:out -e empty jailer init -y -z tank
	atf_check -s exit:0 -o ignore \
	    grep -Fx 'Creating ZFS dataset tank/jails with the mount point /usr/local/jails: Done!' out
	atf_check -s exit:0 -o inline:'tank/jails\t/usr/local/jails\n' \
	    zfs list -H -o name,mountpoint tank/jails
	atf_check -s exit:1 -o empty -e ignore zfs list zroot/jails
	atf_check -s exit:0 -o inline:'jailer_dir: zfs:tank/jails\n' sysrc jailer_dir
	# Later: init without -z is fine (jailer_dir decides), a different
	# pool is refused.
	atf_check -s exit:0 -o match:'already initialised on zfs:tank/jails' \
	    jailer init
	atf_check -s exit:0 -o match:'already initialised' jailer init -z tank
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: jailer is already initialised with zfs:tank/jails (jailer_dir in /etc/rc.conf)\n' \
	    jailer init -y -z zroot
	assert_host_unchanged
}

atf_test_case init_d_option
init_d_option_head()
{
	atf_set descr 'init -d tank/j uses that dataset'
	sim_only "a simulated host made to order (mkhost options)"
}
init_d_option_body()
{
	require_sim
	host_fresh --pools zroot,tank
	{
		plan_lines create tank/j /usr/local/jails
		init_done_lines | sed 's|zroot/jails|tank/j|'
	} >expout
	atf_check -s exit:0 -o file:expout -e empty jailer init -y -d tank/j
	atf_check -s exit:0 -o inline:'tank/j\t/usr/local/jails\n' \
	    zfs list -H -o name,mountpoint tank/j
	atf_check -s exit:0 -o match:'^jailer_dir="zfs:tank/j"$' \
	    cat root/etc/rc.conf
}

atf_test_case init_z_and_d
init_z_and_d_head()
{
	atf_set descr '-z together with -d is a usage error (exit 2)'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_z_and_d_body()
{
	require_sim
	host_fresh --pools zroot,tank
	save_host
	calls_reset
	atf_check -s exit:2 -o empty -e save:err jailer init -y -z tank -d tank/j
	atf_check -s exit:0 \
	    -o inline:'jailer init: -z and -d cannot be used together\n' \
	    head -1 err
	atf_check -s exit:0 -o match:'^usage:' sed -n 2p err
	[ "$(calls_count)" -eq 0 ] || atf_fail "a usage error ran commands"
	assert_host_unchanged
}

atf_test_case init_missing_pool
init_missing_pool_head()
{
	atf_set descr '-z or -d naming a pool that does not exist is an error'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (assert_no_mutation_init)"
}
init_missing_pool_body()
{
	require_sim
	host_fresh --pools zroot,tank
	save_host
	atf_check -s exit:1 -o empty -e inline:'jailer: no ZFS pool named nope\n' \
	    jailer init -y -z nope
	atf_check -s exit:1 -o empty -e inline:'jailer: no ZFS pool named nope\n' \
	    jailer init -y -d nope/jails
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: -z takes a pool name, not a dataset\n' \
	    jailer init -y -z tank/jails
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: -d takes POOL/DATASET, not a pool\n' \
	    jailer init -y -d tank
	assert_no_mutation_init
	assert_host_unchanged
}

atf_test_case init_no_pool
init_no_pool_head()
{
	atf_set descr 'a host without any pool is told to create one'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
init_no_pool_body()
{
	require_sim
	host_fresh --no-pool
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: no ZFS pool found; create one with zpool-create(8) first\n' \
	    jailer init -y
	assert_host_unchanged
}

atf_test_case init_freebsd13
init_freebsd13_head()
{
	atf_set descr 'FreeBSD 13.x is refused with a clear message, nothing changed'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_freebsd13_body()
{
	require_sim
	host_fresh --release 13.5-RELEASE-p1
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: FreeBSD 13.5-RELEASE-p1 is not supported: jailer needs FreeBSD 14.0 or later\n' \
	    jailer init -y
	atf_check -s exit:1 -o empty -e match:'not supported' \
	    -x 'echo y | jailer init'
	atf_check -s exit:0 -o inline:'uname -m -p -r\nuname -m -p -r\n' \
	    cat root/.fakebsd/calls.log
	assert_host_unchanged
	# init info still reports.
	atf_check -s exit:0 \
	    -o match:'^ FreeBSD release         ==> 13.5-RELEASE-p1$' \
	    -e empty jailer init info
}

atf_test_case init_jailer_dir_elsewhere
init_jailer_dir_elsewhere_head()
{
	atf_set descr 'jailer_dir already naming another dataset than -d is an error'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (assert_no_mutation_init)"
}
init_jailer_dir_elsewhere_body()
{
	require_sim
	host_fresh
	echo 'jailer_dir="zfs:zroot/other"' >>root/etc/rc.conf
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: jailer is already initialised with zfs:zroot/other (jailer_dir in /etc/rc.conf)\n' \
	    jailer init -y -d zroot/jails
	assert_no_mutation_init
	assert_host_unchanged
}

atf_test_case init_dataset_exists
init_dataset_exists_head()
{
	atf_set descr 'an existing POOL/jails is used with its own mount point'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_dataset_exists_body()
{
	require_sim
	host_fresh
	zfs create -o mountpoint=/srv/j zroot/jails || atf_fail "zfs create"
	calls_reset
	{
		plan_lines use zroot/jails /srv/j
		init_rest_lines
	} >expout
	atf_check -s exit:0 -o file:expout -e empty jailer init -y
	assert_no_mutation_init
	atf_check -s exit:0 -o inline:'/srv/j\n' \
	    zfs get -H -o value mountpoint zroot/jails
}

atf_test_case init_faults
init_faults_head()
{
	atf_set descr 'a failure of any external command of init leaves the host as it was'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
init_faults_body()
{
	require_sim
	host_fresh
	save_host
	k=1
	while :; do
		[ $k -le 30 ] || atf_fail "init never succeeded"
		calls_reset
		FAKEBSD_FAIL="#$k" jailer init -y >out 2>err
		rc=$?
		if [ $rc -eq 0 ]; then
			# Every call of the successful run has been failed once.
			[ "$(calls_count)" -eq $((k - 1)) ] ||
			    atf_fail "successful run made $(calls_count) calls, $((k - 1)) were failed"
			break
		fi
		[ $rc -eq 1 ] || atf_fail "fault #$k: exit $rc"
		[ "$(wc -l <err)" -eq 1 ] && grep -q '^jailer: ' err ||
		    { cat err; atf_fail "fault #$k: not one jailer: line"; }
		grep -q 'simulated failure' err ||
		    atf_fail "fault #$k: the tool's message is not shown"
		# A step in progress says Failed!, none says Done!.
		if grep -q ': ' out; then
			tail -1 out | grep -q ': Failed!$' ||
			    atf_fail "fault #$k: no Failed! line"
		fi
		grep -q 'Done!' out && atf_fail "fault #$k: a step was done"
		assert_host_unchanged
		k=$((k + 1))
	done
	# At least the dataset creation was failed.
	[ $k -ge 2 ] || atf_fail "no call was failed"
}

atf_test_case init_fault_zfs_create
init_fault_zfs_create_head()
{
	atf_set descr 'a failing zfs create prints Failed! and the message of the tool'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
init_fault_zfs_create_body()
{
	require_sim
	host_fresh
	save_host
	{
		plan_lines create zroot/jails /usr/local/jails
		echo 'Creating ZFS dataset zroot/jails with the mount point /usr/local/jails: Failed!'
	} >expout
	atf_check -s exit:1 -o file:expout \
	    -e inline:'jailer: zfs create -o mountpoint=/usr/local/jails zroot/jails: zfs: simulated failure (FAKEBSD_FAIL)\n' \
	    env FAKEBSD_FAIL='zfs create' jailer init -y
	assert_host_unchanged
}

atf_test_case init_rollback
init_rollback_head()
{
	atf_set descr 'a step failing after zfs create undoes the dataset and the rc.conf edits'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
init_rollback_body()
{
	require_sim
	host_fresh
	# /var/log/jail is a file: the last step cannot create the directory.
	: >root/var/log/jail
	cp root/etc/rc.conf rc.conf.before
	save_host_restorable
	calls_reset
	atf_check -s exit:1 -o save:out -e match:'^jailer: .*var/log/jail' \
	    jailer init -y
	atf_check -s exit:0 \
	    -o inline:'Including /etc/jail.conf.d in /etc/jail.conf: Failed!\n' \
	    tail -1 out
	atf_check -s exit:0 -o ignore \
	    grep -Fx 'zfs destroy -r zroot/jails' root/.fakebsd/calls.log
	atf_check -s exit:1 -o empty -e ignore zfs list zroot/jails
	atf_check -s exit:0 -o empty cmp rc.conf.before root/etc/rc.conf
	test ! -e root/etc/jail.conf || atf_fail "jail.conf left behind"
	test ! -e root/etc/jail.conf.d || atf_fail "jail.conf.d left behind"
}

atf_test_case init_rollback_mountpoint
init_rollback_mountpoint_head()
{
	atf_set descr 'a rolled back init leaves no empty mount point directory behind'
	sim_only "compares the simulated host's files and state.json (assert_host_restored)"
}
init_rollback_mountpoint_body()
{
	require_sim
	host_fresh
	: >root/var/log/jail
	save_host_restorable
	atf_check -s exit:1 -o ignore -e ignore jailer init -y
	assert_host_restored
}

# ----------------------------------------------------------- init info

atf_test_case info_before_init
info_before_init_head()
{
	atf_set descr 'init info on a fresh host'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
info_before_init_body()
{
	require_sim
	host_fresh
	save_host
	cat >expout <<'EOF'
Checking system state...
 FreeBSD release         ==> 14.3-RELEASE-p2
 jail_enable in rc.conf  ==> NO :(
 jail.conf.d included    ==> NO :(
Checking jailer state...
 jailer_dir in rc.conf   ==> NO :(
  Run `jailer init` to set up jailer
Checking network status...
 bridge0 in rc.conf      ==> NO :(
  If you want Jailer to auto-configure bridge interfaces, run `jailer init bridge`
EOF
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer init info
	assert_output_head expout out
	assert_no_mutation_init
	atf_check -s exit:0 -o inline:'1\n' grep -c '^uname ' root/.fakebsd/calls.log
	atf_check -s exit:1 -o empty grep -E '^(zpool|zfs) ' root/.fakebsd/calls.log
	assert_host_unchanged
}

atf_test_case info_after_init
info_after_init_head()
{
	atf_set descr 'init info on an initialised host, without colour'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
info_after_init_body()
{
	require_sim
	host_ready
	save_host
	info_initialised >expout
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer init info
	assert_output_head expout out
	assert_no_mutation_init
	assert_host_unchanged
	# No colour off a terminal, NO_COLOR or not.
	LC_ALL=C grep -q "$(printf '\033')" out && atf_fail "colour in a pipe"
	atf_check -s exit:0 -o file:out -e empty env NO_COLOR=1 jailer init info
	atf_check -s exit:2 -o empty -e match:'no arguments' jailer init info x
}

atf_test_case info_several_pools
info_several_pools_head()
{
	atf_set descr 'init info needs no -z on a host with several pools (issue #13)'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
info_several_pools_body()
{
	require_sim
	host_fresh --pools zroot,tank
	calls_reset
	atf_check -s exit:0 -o match:'^ jailer_dir in rc.conf   ==> NO :\($' \
	    -e empty jailer init info
	atf_check -s exit:1 -o empty grep '^zpool ' root/.fakebsd/calls.log
	atf_check -s exit:0 -o ignore -e empty jailer init -y -z tank
	atf_check -s exit:0 -o match:'^ Jailer ZFS dataset      ==> tank/jails$' \
	    -e empty jailer init info
}

atf_test_case info_dataset_missing
info_dataset_missing_head()
{
	atf_set descr 'init info when jailer_dir names a dataset that is gone'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
info_dataset_missing_body()
{
	require_sim
	host_ready
	zfs destroy -r zroot/jails || atf_fail "zfs destroy"
	atf_check -s exit:0 -o save:out -e empty jailer init info
	cat >want <<'EOF'
 jailer_dir in rc.conf   ==> YES!
 jailer_dir is set to    ==> zfs:zroot/jails
 Jailer ZFS dataset      ==> NO :(
  jailer_dir names the dataset zroot/jails, which does not exist: run 'jailer init'
Checking network status...
EOF
	atf_check -s exit:0 -o file:want sed -n '/jailer_dir in/,/network status/p' out
}

atf_test_case info_bridge_configured
info_bridge_configured_head()
{
	atf_set descr 'init info: bridge0 in cloned_interfaces, missing, then up with an address'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
info_bridge_configured_body()
{
	require_sim
	host_ready
	echo 'cloned_interfaces="lagg0 bridge0"' >>root/etc/rc.conf
	cat >want <<'EOF'
Checking network status...
 bridge0 in rc.conf      ==> YES!
 bridge0 is up           ==> NO :(
  Run `service netif start bridge0` to start the bridge
EOF
	atf_check -s exit:0 -o save:out -e empty jailer init info
	bridge_lines out >got
	atf_check -s exit:0 -o empty diff -u want got

	ifconfig bridge0 create || atf_fail "ifconfig create"
	ifconfig bridge0 inet 10.0.0.1/24 || atf_fail "ifconfig inet"
	cat >want <<'EOF'
Checking network status...
 bridge0 in rc.conf      ==> YES!
 bridge0 is up           ==> YES!
 bridge0 uses IP address ==> 10.0.0.1/24
EOF
	save_host
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer init info
	bridge_lines out >got
	atf_check -s exit:0 -o empty diff -u want got
	atf_check -s exit:0 -o ignore grep -Fx 'ifconfig bridge0' \
	    root/.fakebsd/calls.log
	assert_no_mutation_init
	assert_host_unchanged
}

atf_test_case info_bridge_no_address
info_bridge_no_address_head()
{
	atf_set descr 'init info: bridge0 up without an IPv4 address'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
info_bridge_no_address_body()
{
	require_sim
	host_ready
	echo 'cloned_interfaces="bridge0"' >>root/etc/rc.conf
	ifconfig bridge0 create || atf_fail "ifconfig create"
	ifconfig bridge0 up || atf_fail "ifconfig up"
	atf_check -s exit:0 -o save:out -e empty jailer init info
	atf_check -s exit:0 -o inline:' bridge0 uses IP address ==> NO :(\n' \
	    grep 'bridge0 uses' out
}

atf_test_case info_bridge_down
info_bridge_down_head()
{
	atf_set descr 'init info: an existing bridge0 that is down is not reported up'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
info_bridge_down_body()
{
	require_sim
	host_ready
	echo 'cloned_interfaces="bridge0"' >>root/etc/rc.conf
	ifconfig bridge0 create || atf_fail "ifconfig create"
	ifconfig bridge0 | head -1 | grep -q '<UP' &&
	    atf_fail "fakebsd: a created bridge should be down"
	atf_check -s exit:0 -o save:out -e empty jailer init info
	atf_check -s exit:0 -o match:'^ bridge0 is up           ==> NO :\($' cat out
}

atf_test_case info_bridge_word
info_bridge_word_head()
{
	atf_set descr 'init info: bridge01 in cloned_interfaces is not bridge0'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
info_bridge_word_body()
{
	require_sim
	host_ready
	echo 'cloned_interfaces="bridge01 xbridge0"' >>root/etc/rc.conf
	atf_check -s exit:0 -o match:'^ bridge0 in rc.conf      ==> NO :\($' \
	    -e empty jailer init info
	# rc.conf.local overrides rc.conf, as rc.subr reads them.
	echo 'cloned_interfaces="bridge0"' >root/etc/rc.conf.local
	atf_check -s exit:0 -o match:'^ bridge0 in rc.conf      ==> YES!$' \
	    -e empty jailer init info
}

atf_test_case info_defaults
info_defaults_head()
{
	atf_set descr 'init info shows the default image and network type'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
info_defaults_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o empty -e empty jailer image use 14.3-RELEASE
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	atf_check -s exit:0 -o save:out -e empty jailer init info
	printf ' default image           ==> 14.3-RELEASE\n default network type    ==> eb\n' >want
	atf_check -s exit:0 -o file:want grep '^ default' out
}

atf_init_test_cases()
{
	atf_add_test_case init_mountpoint_hides
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case init_transcript_yes
	atf_add_test_case init_yes_words
	atf_add_test_case init_declined
	atf_add_test_case init_dash_y
	atf_add_test_case init_jail_conf_appended
	atf_add_test_case init_jail_conf_mode
	atf_add_test_case init_jail_conf_variant
	atf_add_test_case init_directories
	atf_add_test_case init_mountpoint_option
	atf_add_test_case init_second_run
	atf_add_test_case init_partial_jail_enable
	atf_add_test_case init_partial_jail_enable_no
	atf_add_test_case init_partial_include
	atf_add_test_case init_partial_dataset
	atf_add_test_case init_rc_conf_local
	atf_add_test_case init_several_pools
	atf_add_test_case init_z_option
	atf_add_test_case init_d_option
	atf_add_test_case init_z_and_d
	atf_add_test_case init_missing_pool
	atf_add_test_case init_no_pool
	atf_add_test_case init_freebsd13
	atf_add_test_case init_jailer_dir_elsewhere
	atf_add_test_case init_dataset_exists
	atf_add_test_case init_faults
	atf_add_test_case init_fault_zfs_create
	atf_add_test_case init_rollback
	atf_add_test_case init_rollback_mountpoint
	atf_add_test_case info_before_init
	atf_add_test_case info_after_init
	atf_add_test_case info_several_pools
	atf_add_test_case info_dataset_missing
	atf_add_test_case info_bridge_configured
	atf_add_test_case info_bridge_no_address
	atf_add_test_case info_bridge_down
	atf_add_test_case info_bridge_word
	atf_add_test_case info_defaults
}
