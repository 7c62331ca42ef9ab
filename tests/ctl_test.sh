# start, stop, restart, startall, stopall, console and exec; and every
# command that takes a jail name refusing hostile names.

# assert_no_mutation, refused, make_bridge, mkjail, jid, assert_running,
# assert_stopped, assert_called and assert_not_called are in jailer.subr.

atf_test_case stop_start
stop_start_head()
{
	atf_set descr 'stop and start one jail through its conf file'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
stop_start_body()
{
	require_sim
	host_with_image
	mkjail a
	calls_reset
	atf_check -s exit:0 -o inline:'Stopping a: Done!\n' -e empty jailer stop a
	assert_stopped a
	assert_called 'jail -f /etc/jail.conf.d/a.conf -r a'
	calls_reset
	atf_check -s exit:0 -o inline:'Starting a: Done!\n' -e empty jailer start a
	assert_running a
	assert_called 'jail -f /etc/jail.conf.d/a.conf -c a'
	atf_check -s exit:0 -o inline:'a.example.org\n' jls -j a host.hostname
}

atf_test_case already_in_state
already_in_state_head()
{
	atf_set descr 'stopping a stopped jail or starting a running one is a note, not a failure'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
already_in_state_body()
{
	require_sim
	host_with_image
	mkjail a
	j=$(jid a)
	calls_reset
	atf_check -s exit:0 -o inline:'Starting a: already running\n' -e empty \
	    jailer start a
	assert_not_called '^jail '
	atf_check -s exit:0 -o inline:"$j\n" jls -j a jid
	atf_check -s exit:0 -o ignore jailer stop a
	calls_reset
	atf_check -s exit:0 -o inline:'Stopping a: not running\n' -e empty \
	    jailer stop a
	assert_not_called '^jail '
}

# ctl_a_nosuch_b VERB GERUND: "jailer VERB a nosuch b" exits 1 with
# the error for nosuch alone, and its first three lines say a and b are
# done, nosuch not.
ctl_a_nosuch_b()
{
	atf_check -s exit:1 -o save:out -e inline:'jailer: nosuch: no such jail\n' \
	    jailer "$1" a nosuch b
	atf_check -s exit:0 -o inline:"$2 a: Done!\n" sed -n 1p out
	atf_check -s exit:0 -o match:"^$2 nosuch: " sed -n 2p out
	atf_check -s exit:0 -o inline:"$2 b: Done!\n" sed -n 3p out
}

atf_test_case several_names
several_names_head()
{
	atf_set descr 'each named jail gets its line; an unknown name fails only itself, exit 1'
}
several_names_body()
{
	host_with_image
	mkjail a
	mkjail b
	ctl_a_nosuch_b stop Stopping
	atf_check -s exit:0 -o inline:'3\n' sh -c 'wc -l <out | tr -d " "'
	assert_stopped a
	assert_stopped b
	ctl_a_nosuch_b start Starting
	assert_running a
	assert_running b
	atf_check -s exit:0 -o inline:'Stopping a: Done!\nStopping b: Done!\n' \
	    -e empty jailer stop a b
	atf_check -s exit:0 -o inline:'Starting a: Done!\nStarting b: Done!\n' \
	    -e empty jailer start a b
}

atf_test_case restart
restart_head()
{
	atf_set descr 'restart stops and starts a running jail (new JID) and starts a stopped one'
}
restart_body()
{
	host_with_image
	mkjail a
	mkjail b
	j=$(jid a)
	atf_check -s exit:0 -o ignore jailer stop b
	atf_check -s exit:0 \
	    -o inline:'Stopping a: Done!\nStarting a: Done!\nStarting b: Done!\n' \
	    -e empty jailer restart a b
	[ "$(jid a)" != "$j" ] || atf_fail "restart kept JID $j"
	assert_running b
	atf_check -s exit:1 -o ignore -e match:'no such jail' jailer restart nosuch
}

atf_test_case eb_epair_lifecycle
eb_epair_lifecycle_head()
{
	atf_set descr 'an eb jail has epairNa on the bridge while running, none when stopped'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
eb_epair_lifecycle_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail e1 -t eb
	atf_check -s exit:0 -o match:' epair1a( |$)' ifconfig -l
	atf_check -s exit:0 -o match:'member: epair1a ' ifconfig bridge0
	atf_check -s exit:0 -o ignore jailer stop e1
	atf_check -s exit:0 -o not-match:'epair1' ifconfig -l
	atf_check -s exit:0 -o not-match:'member: epair1a' ifconfig bridge0
	atf_check -s exit:0 -o ignore jailer start e1
	atf_check -s exit:0 -o match:' epair1a( |$)' ifconfig -l
	atf_check -s exit:0 -o match:'member: epair1a ' ifconfig bridge0
	atf_check -s exit:0 -o ignore jailer restart e1
	atf_check -s exit:0 -o match:' epair1a( |$)' ifconfig -l
	atf_check -s exit:0 -o not-match:'epair2' ifconfig -l
}

atf_test_case stop_force
stop_force_head()
{
	atf_set descr 'stop -f removes a jail whose stop commands fail (jail -R) and its epair'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
stop_force_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail e1 -t eb
	atf_check -s exit:1 -o inline:'Stopping e1: Failed!\n' \
	    -e match:'^jailer: e1: ' env FAKEBSD_FAIL='jail -f' jailer stop e1
	assert_running e1
	calls_reset
	atf_check -s exit:0 -o inline:'Stopping e1: Done!\n' -e empty \
	    env FAKEBSD_FAIL='jail -f' jailer stop -f e1
	assert_called 'jail -R e1'
	assert_stopped e1
	atf_check -s exit:0 -o not-match:'epair1' ifconfig -l
	atf_check -s exit:0 -o inline:'Starting e1: Done!\n' -e empty jailer start e1
	assert_running e1
}

atf_test_case stop_force_leaves_devfs
stop_force_leaves_devfs_head()
{
	atf_set descr 'after stop -f the jail devfs is unmounted, so start and destroy work'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
stop_force_leaves_devfs_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o inline:'Stopping a: Done!\n' -e empty \
	    env FAKEBSD_FAIL='jail -f' jailer stop -f a
	assert_stopped a
	atf_check -s exit:0 -o not-match:'/usr/local/jails/a/dev' mount -p
	atf_check -s exit:0 -o ignore jailer start a
	atf_check -s exit:0 -o ignore jailer stop a
	atf_check -s exit:0 -o inline:'Destroying a: Done!\n' -e empty jailer destroy a
}

# ctl_all CMD GERUND ORDER ASSERT: "jailer CMD" does a, b and c in ORDER
# (ASSERT then holds for each), and a second run has nothing left to do.
ctl_all()
{
	local j
	atf_check -s exit:0 -o inline:"$2 jails: $3.\n" -e empty jailer "$1"
	for j in a b c; do
		$4 $j
	done
	atf_check -s exit:0 -o inline:"$2 jails:.\n" -e empty jailer "$1"
}

atf_test_case startall_stopall
startall_stopall_head()
{
	atf_set descr 'startall in name order, stopall in JID order, one seed-style line each'
}
startall_stopall_body()
{
	host_with_image
	mkjail c
	mkjail a
	mkjail b
	ctl_all stopall Stopping 'c a b' assert_stopped
	ctl_all startall Starting 'a b c' assert_running
	atf_check -s exit:2 -o empty -e match:'no arguments' jailer startall a
}

atf_test_case startall_only_managed
startall_only_managed_head()
{
	atf_set descr 'startall starts only stopped jails; stopall leaves foreign jails alone'
}
startall_only_managed_body()
{
	host_with_image
	mkjail a
	mkjail b
	mkjail c
	atf_check -s exit:0 -o ignore jailer stop b c
	atf_check -s exit:0 -o ignore -e ignore jail -c name=foo path=/tmp persist
	j=$(jid a)
	atf_check -s exit:0 -o inline:'Starting jails: b c.\n' -e empty \
	    jailer startall
	atf_check -s exit:0 -o inline:"$j\n" jls -j a jid
	atf_check -s exit:0 -o inline:'Stopping jails: a b c.\n' -e empty \
	    jailer stopall
	assert_running foo
}

atf_test_case startall_failure
startall_failure_head()
{
	atf_set descr 'a jail that fails to start is left out of the line, reported, exit 1'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
startall_failure_body()
{
	require_sim
	host_with_image
	mkjail a
	mkjail b
	mkjail c
	atf_check -s exit:0 -o ignore jailer stopall
	atf_check -s exit:1 -o inline:'Starting jails: a c.\n' \
	    -e match:'^jailer: b: ' \
	    env FAKEBSD_FAIL='jail -f /etc/jail.conf.d/b.conf' jailer startall
	assert_running a
	assert_stopped b
	assert_running c
}

atf_test_case console
console_head()
{
	atf_set descr 'console runs a root login shell in the jail (jexec -l -U root)'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
console_body()
{
	require_sim
	host_with_image
	mkjail a
	calls_reset
	echo hostname >in
	atf_check -s exit:0 -o inline:'a.example.org\n' -e empty \
	    -x 'jailer console a <in'
	assert_called 'jexec -l -U root a'
	printf 'hostname\nexit 4\nhostname\n' >in
	atf_check -s exit:4 -o inline:'a.example.org\n' -e empty \
	    -x 'jailer console a <in'
}

atf_test_case exec
exec_head()
{
	atf_set descr 'exec runs one command in the jail, passes arguments as they are, returns its status'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
exec_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:3 -o empty -e empty jailer exec a sh -c 'exit 3'
	atf_check -s exit:0 -o inline:'a.example.org\n' -e empty jailer exec a hostname
	calls_reset
	atf_check -s exit:0 -o inline:'x  y $(id) ;\n' -e empty \
	    jailer exec a echo 'x  y' '$(id)' ';'
	assert_called "jexec -l -U root a echo 'x  y' '\$(id)' ';'"
	atf_check -s not-exit:0 -o empty -e match:'nosuchcmd' \
	    jailer exec a nosuchcmd
}

atf_test_case stopped_refused
stopped_refused_head()
{
	atf_set descr 'console and exec refuse a stopped or unknown jail without running jexec'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
stopped_refused_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore jailer stop a
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: a: not running; start it with 'jailer start a'\n" \
	    -x 'echo hostname | jailer console a'
	atf_check -s exit:1 -o empty -e match:'^jailer: a: not running' \
	    jailer exec a hostname
	atf_check -s exit:1 -o empty -e match:'^jailer: nosuch: ' \
	    jailer exec nosuch hostname
	assert_not_called '^jexec'
}

atf_test_case usage
usage_head()
{
	atf_set descr 'missing names and unknown options are usage errors (2)'
}
usage_body()
{
	host_ready
	atf_check -s exit:2 -o empty -e match:'no jail named' jailer start
	atf_check -s exit:2 -o empty -e match:'no jail named' jailer stop -f
	atf_check -s exit:2 -o empty -e match:'unknown option -x' jailer start -x a
	atf_check -s exit:2 -o empty -e match:'unknown option -x' jailer stop -x a
	atf_check -s exit:2 -o empty -e match:'no jail named' jailer restart
	atf_check -s exit:2 -o empty -e match:'expected one jail name' jailer console
	atf_check -s exit:2 -o empty -e match:'expected one jail name' \
	    jailer console a b
	atf_check -s exit:2 -o empty -e match:'expected a jail name and a command' \
	    jailer exec a
	atf_check -s exit:2 -o empty -e match:'no arguments' jailer stopall x
}

# Every hostile value but the newline (see hostile_newline), one call of
# FUNC each.
each_hostile()
{
	local long
	long=$(printf '%065d' 0 | tr 0 a)
	for v in '../x' 'a;b' 'a b' '$(id)' "a'b" 'a"b' "$long" image -x \
	    999.1.1.1 10.0.0.1/33 'x/../../etc' '*' ''; do
		"$1" "$v"
	done
}

hostile_name_one()
{
	local v="$1" c
	for c in start stop restart destroy info console edit snap 'snap list'; do
		refused "$c '$v'" jailer $c "$v"
	done
	refused "stop -f '$v'" jailer stop -f "$v"
	refused "destroy -D '$v'" jailer destroy -D "$v"
	refused "start a '$v'" jailer start a "$v"
	refused "exec '$v'" jailer exec "$v" hostname
	refused "snap '$v@s'" jailer snap "$v@s"
	case $v in
	image|999.1.1.1) ;;		# valid snapshot names
	*) refused "snap a@'$v'" jailer snap "a@$v" ;;
	esac
	refused "snap destroy '$v@s'" jailer snap destroy "$v@s"
	refused "snap destroy a@'$v'" jailer snap destroy "a@$v"
	refused "rollback '$v@s'" jailer rollback "$v@s"
	refused "rollback a@'$v'" jailer rollback "a@$v"
	refused "info -j '$v'" jailer info -j "$v"
}

atf_test_case hostile_names
hostile_names_head()
{
	atf_set descr 'every command that takes a jail name refuses hostile names before anything runs'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_name_one)"
}
hostile_names_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore jailer snap a@s
	EDITOR=true
	export EDITOR
	save_host
	each_hostile hostile_name_one
	assert_host_unchanged
	assert_running a
	fs_outside_untouched
}

atf_test_case hostile_newline
hostile_newline_head()
{
	atf_set descr 'a name with a newline gives one error line, never a raw newline'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
hostile_newline_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	nl='
'
	v="a${nl}b"
	for c in start stop destroy info edit; do
		refused "$c" jailer $c "$v"
	done
	refused console jailer console "$v"
	refused exec jailer exec "$v" hostname
	refused snap jailer snap "$v"
	refused "snap destroy" jailer snap destroy "$v@s"
	refused rollback jailer rollback "$v@s"
	assert_host_unchanged
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case stop_start
	atf_add_test_case already_in_state
	atf_add_test_case several_names
	atf_add_test_case restart
	atf_add_test_case eb_epair_lifecycle
	atf_add_test_case stop_force
	atf_add_test_case stop_force_leaves_devfs
	atf_add_test_case startall_stopall
	atf_add_test_case startall_only_managed
	atf_add_test_case startall_failure
	atf_add_test_case console
	atf_add_test_case exec
	atf_add_test_case stopped_refused
	atf_add_test_case usage
	atf_add_test_case hostile_names
	atf_add_test_case hostile_newline
}
