# Boot order: set NAME boot=off keeps a jail from starting at boot (rc.conf
# jail_list, kept by jailer while some jail is boot=off), and $depend
# orders start, startall and boot.

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# sim_reboot [ARGS]: the simulated host's reboot, by its full name.
sim_reboot()
{
	[ -x "$FAKEBSD_BIN/reboot" ] && [ -n "${JAILER_ROOT:-}" ] ||
	    atf_fail "no simulated reboot in $FAKEBSD_BIN"
	atf_check -s exit:0 -o save:boot.out -e save:boot.err \
	    "$FAKEBSD_BIN/reboot" "$@"
}

# jail_list: rc.conf's jail_list, as sysrc shows it.
jail_list()
{
	sed -n 's/^jail_list="\(.*\)"$/\1/p' "$JAILER_ROOT/etc/rc.conf"
}

assert_jail_list()
{
	[ "$(jail_list)" = "$1" ] || atf_fail "jail_list is '$(jail_list)', not '$1'"
}

# start_calls: the jail names of the "jail -f ... -c NAME" calls, in order.
start_calls()
{
	sed -n 's|^jail -f /etc/jail.conf.d/\([^ ]*\)\.conf -c .*|\1|p' \
	    "$JAILER_ROOT/.fakebsd/calls.log" | tr '\n' ' '
}

# ---------------------------------------------------------------- cases

atf_test_case boot_off_reboot
boot_off_reboot_head()
{
	atf_set descr 'boot=off: jail_list names the others; after a reboot it is stopped and the others run; boot=on empties jail_list again'
	sim_only "reboots the simulated host (sim_reboot)"
}
boot_off_reboot_body()
{
	require_sim
	host_with_image
	mkjail a1
	mkjail b1
	mkjail c1
	atf_check -s exit:0 -o inline:'Setting parameters of b1: Done!\n' \
	    -e empty jailer set b1 boot=off
	assert_jail_list "a1 c1"
	atf_check -s exit:0 -o inline:'PARAM  VALUE\nboot   off\n' jailer get b1 boot
	# create and destroy follow a managed jail_list.
	mkjail d1
	assert_jail_list "a1 c1 d1"
	atf_check -s exit:0 -o ignore -e empty jailer destroy d1
	assert_jail_list "a1 c1"
	sim_reboot
	assert_running a1
	assert_running c1
	assert_stopped b1
	# startall starts it all the same (boot=off is only about booting).
	atf_check -s exit:0 -o inline:'Starting jails: b1.\n' -e empty \
	    jailer startall
	atf_check -s exit:0 -o ignore -e empty jailer set b1 boot=on
	assert_jail_list ""
	sim_reboot
	assert_running a1
	assert_running b1
	assert_running c1
}

atf_test_case depend_start
depend_start_head()
{
	atf_set descr 'jailer start starts the dependencies first; stop refuses while a dependent runs'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
depend_start_body()
{
	require_sim
	host_with_image
	mkjail a1
	mkjail b1
	mkjail c1
	atf_check -s exit:0 -o ignore -e empty jailer set a1 depend=b1
	atf_check -s exit:0 -o ignore -e empty jailer set b1 depend=c1
	atf_check -s exit:0 -o ignore -e empty jailer stopall
	calls_reset
	atf_check -s exit:0 \
	    -o inline:'Starting c1: Done!\nStarting b1: Done!\nStarting a1: Done!\n' \
	    -e empty jailer start a1
	[ "$(start_calls)" = "c1 b1 a1 " ] || atf_fail "start order: $(start_calls)"
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: b1: the running jail a1 depends on it; stop a1 first\n' \
	    jailer stop b1
	assert_running b1
	atf_check -s exit:0 -o inline:'Stopping a1: Done!\nStopping b1: Done!\n' \
	    -e empty jailer stop a1 b1
	# startall: dependencies first.
	atf_check -s exit:0 -o ignore -e empty jailer stop c1
	calls_reset
	atf_check -s exit:0 -o inline:'Starting jails: c1 b1 a1.\n' -e empty \
	    jailer startall
	[ "$(start_calls)" = "c1 b1 a1 " ] || atf_fail "start order: $(start_calls)"
}

atf_test_case depend_boot
depend_boot_head()
{
	atf_set descr 'a managed jail_list puts dependencies first, and the reboot starts them in that order'
	sim_only "reboots the simulated host (sim_reboot)"
}
depend_boot_body()
{
	require_sim
	host_with_image
	mkjail a1
	mkjail b1
	mkjail z1
	atf_check -s exit:0 -o ignore -e empty jailer set a1 depend=b1
	atf_check -s exit:0 -o ignore -e empty jailer set z1 boot=off
	assert_jail_list "b1 a1"
	sim_reboot
	atf_check -s exit:0 -o match:'Starting jails: b1 a1\.' cat boot.out
	assert_running a1
	assert_running b1
	assert_stopped z1
}

atf_test_case cycles
cycles_head()
{
	atf_set descr 'depend cycles, itself and unknown jails are refused with the host unchanged'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
cycles_body()
{
	require_sim
	host_with_image
	mkjail a1
	mkjail b1
	atf_check -s exit:0 -o ignore -e empty jailer set a1 depend=b1
	save_norm before
	refused "cycle" jailer set b1 depend=a1
	refused "itself" jailer set b1 depend=b1
	refused "unknown" jailer set b1 depend=x1
	assert_norm before
}

atf_test_case foreign_jail_list
foreign_jail_list_head()
{
	atf_set descr 'a jail_list the administrator wrote is not managed: boot=off is refused'
	sim_only "asserts the simulated host's files (require_sim)"
}
foreign_jail_list_body()
{
	require_sim
	host_with_image
	mkjail a1
	echo 'jail_list="other"' >>"$JAILER_ROOT/etc/rc.conf"
	save_norm before
	cp "$(jconf a1)" before.conf
	atf_check -s exit:1 -o match:'Failed!' \
	    -e inline:"jailer: a1: rc.conf's jail_list names 'other', not a jailer jail: jailer does not manage it\n" \
	    jailer set a1 boot=off
	atf_check -s exit:0 -o empty diff -u before.conf "$(jconf a1)"
	assert_norm before
}

atf_test_case startall_parallel
startall_parallel_head()
{
	atf_set descr 'startall -p: several starts at a time, dependencies first, one line per jail; a failed start is undone alone and its dependents are not started'
	sim_only "asserts the simulated host's call log (require_sim)"
}
startall_parallel_body()
{
	require_sim
	host_with_image
	mkjail a1
	mkjail b1
	mkjail c1
	mkjail d1
	atf_check -s exit:0 -o ignore -e empty jailer set b1 depend=a1
	atf_check -s exit:0 -o ignore -e empty jailer stopall
	calls_reset
	atf_check -s exit:0 -o save:par.out -e empty jailer startall -p 3
	[ "$(sort par.out | tr '\n' ' ')" = \
	    "a1: started b1: started c1: started d1: started " ] ||
	    atf_fail "startall -p printed: $(cat par.out)"
	# b1 after a1, in the output and in the calls.
	[ "$(grep -n '' par.out | sed -n 's/:a1: started$//p')" -lt \
	    "$(grep -n '' par.out | sed -n 's/:b1: started$//p')" ] ||
	    atf_fail "b1 started before a1: $(cat par.out)"
	start_calls | grep -q 'a1 .*b1 ' || atf_fail "start order: $(start_calls)"
	for j in a1 b1 c1 d1; do assert_running $j; done
	consistent "startall -p"
	# Nothing left to start: no line, exit 0.
	atf_check -s exit:0 -o empty -e empty jailer startall -p 2
	atf_check -s exit:0 -o ignore -e empty jailer stopall
	# a1's jail -c fails: a1 is undone, b1 (depends on a1) is not
	# started, c1 and d1 are.
	FAKEBSD_FAIL='jail -f /etc/jail.conf.d/a1.conf' \
	    atf_check -s exit:1 -o save:par.out -e ignore jailer startall -p 2
	atf_check -s exit:0 -o ignore \
	    grep -qx 'a1: failed: .*' par.out
	atf_check -s exit:0 -o ignore \
	    grep -qx 'b1: not started: it depends on a1, which did not start' par.out
	atf_check -s exit:0 -o ignore grep -qx 'c1: started' par.out
	atf_check -s exit:0 -o ignore grep -qx 'd1: started' par.out
	[ "$(wc -l <par.out | tr -d ' ')" = 4 ] || atf_fail "$(cat par.out)"
	assert_stopped a1
	assert_stopped b1
	assert_running c1
	assert_running d1
	consistent "startall -p with a failing start"
	# Bad -p values: usage errors, nothing runs.
	calls_reset
	for v in 0 65 x 1x '' -1; do
		atf_check -s exit:2 -o empty \
		    -e match:"^jailer startall: -p: '.*' is not a number from 1 to 64" \
		    jailer startall -p "$v"
	done
	atf_check -s exit:2 -o empty -e match:'no arguments' \
	    jailer startall -p 2 a1
	assert_no_mutation
}

atf_test_case startall_parallel_sweep
startall_parallel_sweep_head()
{
	atf_set descr 'startall -p with the k-th program failing, every k: each jail is running with its rules or stopped with nothing left behind, and a rerun starts them all'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
startall_parallel_sweep_body()
{
	require_sim
	pf_host
	mkjail a1 -t eb
	mkjail b1 -t eb
	mkjail c1
	atf_check -s exit:0 -o ignore -e empty jailer set b1 depend=a1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 8080 -d 80 b1
	atf_check -s exit:0 -o ignore -e empty jailer stopall
	rm -rf base
	cp -a "$JAILER_ROOT" base
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer startall -p 2
	n=$(calls | wc -l | tr -d ' ')
	[ "$n" -ge 6 ] || atf_fail "only $n programs ran"
	k=1
	while [ "$k" -le "$n" ]; do
		rm -rf "$JAILER_ROOT"
		cp -a base "$JAILER_ROOT"
		env FAKEBSD_FAIL="#$k" jailer startall -p 2 >out 2>err
		rc=$?
		[ "$rc" -le 1 ] || { cat out err; atf_fail "#$k: exit $rc"; }
		# A failure before any start (reading the jails): one
		# error; otherwise one line per jail.
		if [ -s out ]; then
			[ "$(wc -l <out | tr -d ' ')" = 3 ] ||
			    { cat out err; atf_fail "#$k: not one line per jail"; }
		else
			[ "$rc" = 1 ] && [ "$(grep -c '^jailer: ' err)" = 1 ] ||
			    { cat out err; atf_fail "#$k: no clean failure"; }
		fi
		consistent "#$k of $n"
		atf_check -s exit:0 -o ignore -e empty jailer startall -p 2
		for j in a1 b1 c1; do assert_running $j; done
		atf_check -s exit:0 -o match:'8080' jailer rdr list b1
		consistent "the rerun after #$k"
		k=$((k + 1))
	done
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case boot_off_reboot
	atf_add_test_case depend_start
	atf_add_test_case depend_boot
	atf_add_test_case cycles
	atf_add_test_case foreign_jail_list
	atf_add_test_case startall_parallel
	atf_add_test_case startall_parallel_sweep
}
