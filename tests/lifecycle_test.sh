# start, stop and restart as transactions: whatever fails, a jail that
# does not run keeps no pf anchor, epair or devfs on the host, and a jail
# whose start failed can be started again without manual clean-up.

# A host with bridge, dhcpd and pf, and the VNET jail d1 with an rdr rule,
# running.
vnet_host()
{
	host_with_services
	jailer create -t eb d1 >/dev/null 2>&1 || atf_fail "create d1 failed"
	jailer rdr add -p tcp -r 80 d1 >/dev/null 2>&1 ||
	    atf_fail "rdr add failed"
	pfctl -a jailer -s Anchors | grep -q 'jailer/d1' ||
	    atf_fail "setup: the anchor of d1 is not loaded"
}

# slow_jail OP: a jail(8) in $PWD/slow that hangs for 20 s around OP
# ("-c": after the jail was created, as a jail's rc that never returns;
# "-r": before it stops, as an exec.stop that never returns).  Put
# $PWD/slow first in PATH to use it.  The hanging sleep writes its pid to
# slow/hung.pid (tests run in parallel: never look for it by name).
slow_jail()
{
	local real
	real=$(command -v jail) || atf_fail "no jail(8)"
	mkdir -p slow
	rm -f slow/hung.pid
	cat >slow/jail <<EOS
#!/bin/sh
hang()
{
	sleep 20 &
	echo \$! >"$PWD/slow/hung.pid"
	wait \$!
}
case " \$* " in
*" $1 "*)
	if [ "$1" = -c ]; then "$real" "\$@"; rc=\$?; hang; exit \$rc; fi
	hang ;;
esac
exec "$real" "\$@"
EOS
	chmod +x slow/jail
}

# hung_wait: wait until the slow jail(8) hangs.
hung_wait()
{
	local i=0
	until [ -s slow/hung.pid ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || atf_fail "jail(8) never hung"
		sleep 0.1
	done
}

# hung_gone: true when the sleep of the slow jail(8) has ended (a zombie
# counts as ended); waits up to 3 s for it.
hung_gone()
{
	local i=0 st
	while [ $i -lt 30 ]; do
		st=$(ps -o stat= -p "$(cat slow/hung.pid)" 2>/dev/null)
		case $st in
		""|Z*) return 0 ;;
		esac
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# term_jail OP: a jail(8) in $PWD/slow that, once the real jail OP has
# succeeded and its output is closed, sends SIGTERM to jailer and exits
# half a second later: the signal comes while jailer waits for it, after
# the step itself was done.
term_jail()
{
	local real
	real=$(command -v jail) || atf_fail "no jail(8)"
	mkdir -p slow
	cat >slow/jail <<EOS
#!/bin/sh
case " \$* " in
*" $1 "*)
	"$real" "\$@"; rc=\$?
	exec >/dev/null 2>&1
	kill -TERM \$PPID
	sleep 0.5
	exit \$rc ;;
esac
exec "$real" "\$@"
EOS
	chmod +x slow/jail
}

set_timeout()
{
	atf_check -s exit:0 -o ignore sysrc jailer_timeout="$1"
}

# no_leftovers NAME ID WHAT: fail if the stopped jail NAME left anything.
no_leftovers()
{
	local what="$3"
	jls -j "$1" jid >/dev/null 2>&1 && atf_fail "$what: $1 still exists"
	[ -z "$(pfctl -a jailer -s Anchors 2>/dev/null | grep "jailer/$1\$")" ] ||
	    atf_fail "$what: the anchor jailer/$1 is still loaded"
	ifconfig -l | tr ' ' '\n' | grep -qx "epair$2[ab]" &&
	    atf_fail "$what: epair$2 is still there: $(ifconfig -l)"
	mount -p | grep -q " /usr/local/jails/$1/dev " &&
	    atf_fail "$what: the devfs of $1 is still mounted"
	return 0
}

# runs_with_rules NAME: the jail runs and its anchor holds its rules.
runs_with_rules()
{
	jls -j "$1" jid >/dev/null 2>&1 || atf_fail "$2: $1 does not run"
	pfctl -a "jailer/$1" -s nat 2>/dev/null | grep -q '^rdr ' ||
	    atf_fail "$2: the rules of $1 are not loaded"
}

# settled NAME ID: true when the jail runs with its rules loaded, or does
# not run and left nothing (no anchor, epair or devfs).
settled()
{
	if jls -j "$1" jid >/dev/null 2>&1; then
		pfctl -a "jailer/$1" -s nat 2>/dev/null | grep -q '^rdr '
		return
	fi
	[ -z "$(pfctl -a jailer -s Anchors 2>/dev/null | grep "jailer/$1\$")" ] &&
	    ! ifconfig -l | tr ' ' '\n' | grep -qx "epair$2[ab]" &&
	    ! mount -p | grep -q " /usr/local/jails/$1/dev "
}

# list_warns WHAT: after a kill, list warns about d1 exactly when the
# host is not settled for it, and names the command that settles it.
list_warns()
{
	jailer list >/dev/null 2>lw.err || atf_fail "$1: list failed"
	if settled d1 1; then
		return 0	# a mark alone may stay: its command was cut off
	fi
	if jls -j d1 jid >/dev/null 2>&1; then
		grep -q "^jailer: d1: a start or stop was interrupted; run 'jailer start d1'" lw.err ||
		    { cat lw.err; atf_fail "$1: list does not warn about d1 running without its rules"; }
	else
		grep -q "^jailer: d1: a start or stop was interrupted and may have left .*; run 'jailer gc'" lw.err ||
		    { cat lw.err; atf_fail "$1: list does not warn about what d1's killed command left"; }
	fi
}

# no_mark WHAT: once settled by a rerun, list warns about nothing.
no_mark()
{
	jailer list >/dev/null 2>lw.err || atf_fail "$1: list failed"
	[ -s lw.err ] && { cat lw.err; atf_fail "$1: list still warns"; }
	[ -e "$JAILER_ROOT/var/run/jailer/unsettled/d1" ] &&
	    atf_fail "$1: the mark of d1 stayed"
	return 0
}

# lc_baseline CMD...: keep a copy of the host in ./base, and run CMD on
# it without faults (it must succeed): LC_N is the number of calls it
# made (at least 3).
lc_baseline()
{
	rm -rf "$PWD/base"
	cp -a "$JAILER_ROOT" "$PWD/base"
	calls_reset
	"$@" >out 2>err || { cat out err; atf_fail "$*: fails without faults"; }
	LC_N=$(calls_count)
	[ "$LC_N" -ge 3 ] || atf_fail "only $LC_N calls"
}

# lc_stop_start WHAT [mark]: a rerun of "jailer stop d1" leaves no
# leftovers (with mark: nor the mark of d1), and a plain start brings d1
# back with its rules.
lc_stop_start()
{
	jailer stop d1 >out 2>err ||
	    { cat out err; atf_fail "$1: the rerun of stop failed"; }
	no_leftovers d1 1 "$1, then stop"
	[ -z "${2:-}" ] || no_mark "$1, then stop"
	jailer start d1 >out 2>err ||
	    { cat out err; atf_fail "$1: start after stop failed"; }
	runs_with_rules d1 "$1, stop, start"
}

# lc_start_with_rules WHAT: "jailer start d1" works, and d1 runs with its
# rules.
lc_start_with_rules()
{
	atf_check -s exit:0 -o 'inline:Starting d1: Done!\n' -e empty jailer start d1
	runs_with_rules d1 "$1"
}

# lc_clean_after_term: after a SIGTERM of jailer, d1 has no leftovers
# and no mark, and a start brings it back with its rules.
lc_clean_after_term()
{
	no_leftovers d1 1 "after SIGTERM"
	no_mark "after SIGTERM"
	lc_start_with_rules "then start"
}

# lsweep MODE CMD...: for k = 1..n (n: the calls of a clean run of CMD),
# run CMD with FAKEBSD_FAIL='#k' on a fresh copy of the host.  A run
# that fails must fail cleanly (exit 1, a "jailer: " line).  Then:
#   stop:  a rerun of "jailer stop d1" leaves no leftovers, and a plain
#          start brings d1 back with its rules;
#   start: a plain "jailer start d1" works and loads the rules.
lsweep()
{
	local mode=$1 n k rc
	shift
	lc_baseline "$@"
	n=$LC_N
	k=1
	while [ "$k" -le "$n" ]; do
		rm -rf "$JAILER_ROOT"
		cp -a "$PWD/base" "$JAILER_ROOT"
		env FAKEBSD_FAIL="#$k" "$@" >out 2>err
		rc=$?
		if [ "$rc" -ne 0 ]; then
			[ "$rc" -eq 1 ] && grep -q '^jailer: ' err || {
				cat out err
				atf_fail "#$k of $n: exit $rc, no clean failure"
			}
		fi
		case $mode in
		stop)
			lc_stop_start "#$k of $n of $*"
			;;
		start)
			jailer start d1 >out 2>err ||
			    { cat out err; atf_fail "#$k of $n of $*: a plain start failed"; }
			runs_with_rules d1 "#$k of $n of $*, then start"
			;;
		esac
		k=$((k + 1))
	done
}

# ksweep SIG MODE CMD...: for k = 1..n (n: the calls of a clean run of
# jailer CMD), send SIG (TERM or KILL) to jailer CMD as the k-th program
# it runs starts, on a fresh copy of the host, and wait for what it left
# running.  After SIGTERM, which jailer handles, d1 either runs with its
# rules or runs not at all and left nothing, at once.  After either, the
# lock is free, and then:
#   stop:   a rerun of "jailer stop d1" leaves no leftovers, and a plain
#           start brings d1 back with its rules;
#   rerun:  a rerun of CMD ends with d1 running with its rules, and a
#           stop leaves nothing.
ksweep()
{
	local sig=$1 mode=$2 n k
	shift 2
	lc_baseline jailer "$@"
	n=$LC_N
	k=1
	while [ "$k" -le "$n" ]; do
		rm -rf "$JAILER_ROOT"
		cp -a "$PWD/base" "$JAILER_ROOT"
		KILL_SIG=$sig kill_at_call "$k" "$@"
		WHAT="SIG$sig at #$k of $n ($AT) of $*"
		echo "$WHAT: killed=$KILLED, exit $RC"
		grep -qE 'Sanitizer|runtime error' run.err &&
		    { cat run.err; atf_fail "$WHAT: sanitizer report"; }
		flock -n "$JAILER_ROOT/var/run/jailer.lock" true ||
		    atf_fail "$WHAT: the lock is held"
		if [ "$sig" = TERM ]; then
			if jls -j d1 jid >/dev/null 2>&1; then
				runs_with_rules d1 "$WHAT"
			else
				no_leftovers d1 1 "$WHAT"
			fi
		fi
		list_warns "$WHAT"
		case $mode in
		stop)
			lc_stop_start "$WHAT" mark
			;;
		rerun)
			jailer "$@" >out 2>err ||
			    { cat out err; atf_fail "$WHAT: the rerun failed"; }
			runs_with_rules d1 "$WHAT, then a rerun"
			no_mark "$WHAT, then a rerun"
			jailer stop d1 >out 2>err ||
			    { cat out err; atf_fail "$WHAT: stop after the rerun failed"; }
			no_leftovers d1 1 "$WHAT, rerun, stop"
			;;
		esac
		k=$((k + 1))
	done
}

atf_test_case stop_sweep
stop_sweep_head()
{
	atf_set descr 'any single fault in stop: a rerun of stop leaves no anchor, epair or devfs, and the jail starts again with its rules'
	atf_set timeout 900
	sim_only "fault injection (lsweep)"
}
stop_sweep_body()
{
	require_sim
	vnet_host
	lsweep stop jailer stop d1
}

atf_test_case start_sweep
start_sweep_head()
{
	atf_set descr 'any single fault in start: a plain start then works and loads the rules (no epair or anchor left in the way)'
	atf_set timeout 900
	sim_only "fault injection (lsweep)"
}
start_sweep_body()
{
	require_sim
	vnet_host
	jailer stop d1 >/dev/null 2>&1 || atf_fail "stop failed"
	lsweep start jailer start d1
}

atf_test_case restart_sweep
restart_sweep_head()
{
	atf_set descr 'any single fault in restart: a plain start (or stop, then start) brings the jail back with its rules'
	atf_set timeout 900
	sim_only "fault injection (lsweep)"
}
restart_sweep_body()
{
	require_sim
	vnet_host
	lsweep stop jailer restart d1
}

atf_test_case stopall_sweep
stopall_sweep_head()
{
	atf_set descr 'any single fault in stopall: a rerun of stop leaves no leftovers and the jail starts again with its rules'
	atf_set timeout 900
	sim_only "fault injection (lsweep)"
}
stopall_sweep_body()
{
	require_sim
	vnet_host
	lsweep stop jailer stopall
}

atf_test_case startall_sweep
startall_sweep_head()
{
	atf_set descr 'any single fault in startall: a plain start then works and loads the rules'
	atf_set timeout 900
	sim_only "fault injection (lsweep)"
}
startall_sweep_body()
{
	require_sim
	vnet_host
	jailer stop d1 >/dev/null 2>&1 || atf_fail "stop failed"
	lsweep start jailer startall
}

atf_test_case sigterm_stop
sigterm_stop_head()
{
	atf_set descr 'SIGTERM during a stop whose exec.stop hangs: the jail is removed and cleaned up, exit 1'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
sigterm_stop_body()
{
	require_sim
	vnet_host
	set_timeout 0
	slow_jail -r
	env PATH="$PWD/slow:$PATH" jailer stop d1 >out 2>err &
	pid=$!
	hung_wait
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc -eq 1 ] || { cat out err; atf_fail "exit $rc after SIGTERM"; }
	no_leftovers d1 1 "after SIGTERM"
	hung_gone || atf_fail "the hung stop is still running"
	atf_check -s exit:0 -o 'inline:Starting d1: Done!\n' -e empty jailer start d1
}

atf_test_case failed_stop_hook
failed_stop_hook_head()
{
	atf_set descr 'a poststop hook that fails: the jail is gone, its anchor flushed and epair destroyed at once; stop exits 1 and says so'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
failed_stop_hook_body()
{
	require_sim
	vnet_host
	atf_check -s exit:1 -o ignore -e match:'^jailer: d1: .*the jail is gone; cleaned up after it' \
	    env FAKEBSD_FAIL='ifconfig bridge0 deletem' jailer stop d1
	no_leftovers d1 1 "after the failed hook"
	atf_check -s exit:0 -o 'inline:Stopping d1: not running\n' jailer stop d1
}

atf_test_case rerun_stop_cleans
rerun_stop_cleans_head()
{
	atf_set descr 'stop of a jail that is not running removes what a killed stop left (anchor, epair) and says what it did'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
rerun_stop_cleans_body()
{
	require_sim
	vnet_host
	# A stop by hand whose poststop hook could not flush the anchor (as
	# after a stop killed right after jail -r): the anchor stays loaded.
	atf_check -s exit:0 -o ignore -e match:'pf rules not flushed' \
	    env FAKEBSD_FAIL='pfctl -q -a jailer/d1 -F all' \
	    jail -f /etc/jail.conf.d/d1.conf -r d1
	atf_check -s exit:0 -o match:'jailer/d1' pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o 'inline:Stopping d1: not running; cleaned up: anchor flushed\n' \
	    -e empty jailer stop d1
	no_leftovers d1 1 "after the rerun"
	# An epair left by a start killed after its prestart hooks.
	atf_check -s exit:0 -o ignore ifconfig epair1 create up
	atf_check -s exit:0 -o 'inline:Stopping d1: not running; cleaned up: epair1a destroyed\n' \
	    -e empty jailer stop d1
	no_leftovers d1 1 "after the second rerun"
}

atf_test_case start_rules_fail
start_rules_fail_head()
{
	atf_set descr 'start fails (exit 1, jail stopped again) when its rules cannot be loaded; start -f keeps it running with a warning'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
start_rules_fail_body()
{
	require_sim
	vnet_host
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	atf_check -s exit:1 -o ignore \
	    -e match:'^jailer: d1: pf rules not loaded: .*stopped it again \(start -f keeps it running\)$' \
	    env FAKEBSD_FAIL='pfctl -n' jailer start d1
	no_leftovers d1 1 "after the failed start"
	atf_check -s exit:0 -o ignore -e match:'^jailer: d1: pf rules not loaded' \
	    env FAKEBSD_FAIL='pfctl -n' jailer start -f d1
	atf_check -s exit:0 -o ignore jls -j d1 jid
	# A plain restart loads them.
	atf_check -s exit:0 -o ignore -e empty jailer restart d1
	runs_with_rules d1 "after restart"
}

atf_test_case failed_start_epair
failed_start_epair_head()
{
	atf_set descr 'a prestart hook that fails after the epair was created: the epair is destroyed, a second start works'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
failed_start_epair_body()
{
	require_sim
	vnet_host
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	atf_check -s exit:1 -o ignore -e match:'^jailer: d1: ' \
	    env FAKEBSD_FAIL='ifconfig bridge0 addm' jailer start d1
	no_leftovers d1 1 "after the failed start"
	lc_start_with_rules "after the second start"
}

atf_test_case gc_leftovers
gc_leftovers_head()
{
	atf_set descr 'gc finds and removes the anchor rules, the epair (either end) and the devfs of a jail that does not run'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
gc_leftovers_body()
{
	require_sim
	vnet_host
	# A stop by hand whose poststop hook could not flush the anchor, a
	# start killed after its first prestart hook, then a devfs mounted by
	# hand.
	atf_check -s exit:0 -o ignore -e match:'pf rules not flushed' \
	    env FAKEBSD_FAIL='pfctl -q -a jailer/d1 -F all' \
	    jail -f /etc/jail.conf.d/d1.conf -r d1
	atf_check -s exit:0 -o ignore ifconfig epair1 create up
	atf_check -s exit:0 -o ignore mount -t devfs devfs /usr/local/jails/d1/dev
	atf_check -s exit:0 -o match:'jailer/d1' -o match:'epair1a' \
	    -o match:"/usr/local/jails/d1/dev" -e ignore jailer gc -D
	atf_check -s exit:0 -o ignore -e ignore jailer gc -y
	no_leftovers d1 1 "after gc -y"
	atf_check -s exit:0 -o match:'[Nn]othing' -e ignore jailer gc -y
	lc_start_with_rules "after gc and start"
}

atf_test_case start_timeout
start_timeout_head()
{
	atf_set descr 'a jail whose rc never returns: start fails after jailer_timeout naming the jail, removes it, releases the lock'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
start_timeout_body()
{
	require_sim
	vnet_host
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	set_timeout 2
	slow_jail -c
	atf_check -s exit:1 -o ignore \
	    -e match:'^jailer: d1: jail did not finish within 2 seconds \(jailer_timeout\); removed it$' \
	    env PATH="$PWD/slow:$PATH" jailer start d1
	no_leftovers d1 1 "after the timeout"
	# The lock is free and the jail starts normally.
	lc_start_with_rules "after the timeout and a start"
}

atf_test_case stop_timeout
stop_timeout_head()
{
	atf_set descr 'an exec.stop that never returns: stop fails after jailer_timeout and the jail is removed and cleaned up'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
stop_timeout_body()
{
	require_sim
	vnet_host
	set_timeout 2
	slow_jail -r
	atf_check -s exit:1 -o ignore \
	    -e match:'^jailer: d1: jail did not finish within 2 seconds \(jailer_timeout\)' \
	    env PATH="$PWD/slow:$PATH" jailer stop d1
	no_leftovers d1 1 "after the timeout"
	atf_check -s exit:0 -o 'inline:Stopping d1: not running\n' -e empty jailer stop d1
}

atf_test_case bad_timeout
bad_timeout_head()
{
	atf_set descr 'an invalid jailer_timeout is a one-line error and changes nothing'
	sim_only "uses the simulated host's own tools and files (.fakebsd/)"
}
bad_timeout_body()
{
	require_sim
	vnet_host
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	for v in abc -1 1x 99999999999; do
		set_timeout "$v"
		: >"$JAILER_ROOT/.fakebsd/calls.log"
		atf_check -s exit:1 -o ignore \
		    -e match:"^jailer: d1: jailer_timeout in /etc/rc.conf: .* is not a number of seconds" \
		    jailer start d1
		grep -q '^jail ' "$JAILER_ROOT/.fakebsd/calls.log" &&
		    atf_fail "jail(8) ran with jailer_timeout=$v"
	done
	atf_check -s exit:1 -o ignore -e ignore jls -j d1 jid
}

atf_test_case term_after_stop
term_after_stop_head()
{
	atf_set descr 'SIGTERM once jail -r has removed the jail: the rules are flushed all the same, the jail is stopped and leaves nothing'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
term_after_stop_body()
{
	require_sim
	vnet_host
	term_jail -r
	atf_check -s exit:1 -o 'inline:Stopping d1: Done!\n' \
	    -e 'inline:jailer: interrupted\n' \
	    env PATH="$PWD/slow:$PATH" jailer stop d1
	lc_clean_after_term
}

atf_test_case term_after_start
term_after_start_head()
{
	atf_set descr 'SIGTERM once jail -c has created the jail: the start is undone (no jail, anchor, epair or devfs left), exit 1'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
term_after_start_body()
{
	require_sim
	vnet_host
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	term_jail -c
	atf_check -s exit:1 -o 'inline:Starting d1: Failed!\n' \
	    -e 'match:^jailer: d1: ' \
	    env PATH="$PWD/slow:$PATH" jailer start d1
	lc_clean_after_term
}

# hung_start: the stopped d1 started in the background (pid in $pid)
# with a jail(8) whose rc hangs; returns once it hangs with d1 running.
hung_start()
{
	vnet_host
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	set_timeout 0
	slow_jail -c
	env PATH="$PWD/slow:$PATH" jailer start d1 >out 2>err &
	pid=$!
	hung_wait
	jls -j d1 jid >/dev/null 2>&1 || atf_fail "d1 does not run while its rc hangs"
}

atf_test_case sigterm_start
sigterm_start_head()
{
	atf_set descr 'SIGTERM during start: the jail(8) child and what it runs are ended, the half-started jail is removed, no orphan finishes the start'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
sigterm_start_body()
{
	require_sim
	hung_start
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc -eq 1 ] || { cat out err; atf_fail "exit $rc after SIGTERM"; }
	grep -q '^jailer: d1: jail: interrupted; removed it$' err ||
	    { cat err; atf_fail "no message"; }
	no_leftovers d1 1 "after SIGTERM"
	hung_gone || atf_fail "the hung rc is still running"
	atf_check -s exit:0 -o 'inline:Starting d1: Done!\n' -e empty jailer start d1
}

atf_test_case sigkill_start
sigkill_start_head()
{
	atf_set descr 'SIGKILL during start: a rerun of stop (or gc -y) completes, leaving no jail, anchor, epair or lock'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
sigkill_start_body()
{
	require_sim
	hung_start
	kill -KILL $pid
	wait $pid
	kill "$(cat slow/hung.pid)"
	hung_gone || atf_fail "the hung rc did not end"
	atf_check -s exit:0 -o ignore -e ignore jailer stop d1
	no_leftovers d1 1 "after SIGKILL and stop"
	lc_start_with_rules "after SIGKILL, stop, start"
}

atf_test_case kill_start
kill_start_head()
{
	atf_set descr 'SIGKILL as each program of start runs: a rerun of start brings the jail up with its rules (loading them if the jail runs already)'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (ksweep)"
}
kill_start_body()
{
	require_sim
	vnet_host
	jailer stop d1 >/dev/null 2>&1 || atf_fail "stop failed"
	ksweep KILL rerun start d1
}

atf_test_case term_start
term_start_head()
{
	atf_set descr 'SIGTERM as each program of start runs: the jail runs with its rules or left nothing; a rerun of start works'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (ksweep)"
}
term_start_body()
{
	require_sim
	vnet_host
	jailer stop d1 >/dev/null 2>&1 || atf_fail "stop failed"
	ksweep TERM rerun start d1
}

atf_test_case kill_stop
kill_stop_head()
{
	atf_set descr 'SIGKILL as each program of stop runs: a rerun of stop leaves no anchor, epair or devfs'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (ksweep)"
}
kill_stop_body()
{
	require_sim
	vnet_host
	ksweep KILL stop stop d1
}

atf_test_case killed_stop_gc
killed_stop_gc_head()
{
	atf_set descr 'a stop killed after jail -r: list warns without asking pf, gc removes the anchor and the warning goes'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
killed_stop_gc_body()
{
	require_sim
	vnet_host
	cp -a "$JAILER_ROOT" base
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	grep -q -x 'pfctl -q -a jailer/d1 -F all' "$JAILER_ROOT/.fakebsd/calls.log" ||
	    atf_fail "stop does not flush the anchor"
	k=$(grep -n -x 'jail -f /etc/jail.conf.d/d1.conf -r d1' "$JAILER_ROOT/.fakebsd/calls.log" | cut -d: -f1)
	[ -n "$k" ] || atf_fail "stop does not run jail -r"
	rm -rf "$JAILER_ROOT"
	cp -a base "$JAILER_ROOT"
	# Killed while jail -r runs, whose poststop hook cannot flush: jail -r
	# finishes, jailer's own flush never comes.
	FAKEBSD_FAIL='pfctl -q -a jailer/d1 -F all'
	export FAKEBSD_FAIL
	kill_at_call "$k" stop d1
	unset FAKEBSD_FAIL
	[ "$KILLED" = yes ] || atf_fail "stop was not killed"
	atf_check -s exit:1 -o ignore -e ignore jls -j d1 jid
	atf_check -s exit:0 -o match:'jailer/d1' pfctl -a jailer -s Anchors
	calls_reset
	atf_check -s exit:0 -o match:'^d1 +Stopped' \
	    -e inline:"jailer: d1: a start or stop was interrupted and may have left pf rules, an epair or a devfs mount; run 'jailer gc'\n" \
	    jailer list
	# list asked jls and zfs only: no pfctl, ifconfig or mount.
	atf_check -s exit:0 -o inline:'jls\nzfs\n' -x \
	    "cut -d' ' -f1 root/.fakebsd/calls.log | sort -u"
	atf_check -s exit:0 -o match:'^  jailer/d1 \(pf rules of a jail that does not run\)$' \
	    -e empty jailer gc -D
	test -e root/var/run/jailer/unsettled/d1 || atf_fail "gc -D removed the mark"
	atf_check -s exit:0 -o match:'Removing jailer/d1: Done!' -e empty jailer gc -y
	atf_check -s exit:0 -o ignore -e empty jailer list
	test -e root/var/run/jailer/unsettled/d1 && atf_fail "gc left the mark"
	atf_check -s exit:0 -o inline:'Nothing to clean up.\n' -e empty jailer gc
	atf_check -s exit:0 -o ignore -e empty jailer start d1
	runs_with_rules d1 "gc, start"
}

atf_test_case term_stop
term_stop_head()
{
	atf_set descr 'SIGTERM as each program of stop runs: the jail runs with its rules or left nothing; a rerun of stop works'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (ksweep)"
}
term_stop_body()
{
	require_sim
	vnet_host
	ksweep TERM stop stop d1
}

atf_test_case kill_restart
kill_restart_head()
{
	atf_set descr 'SIGKILL as each program of restart runs: a rerun of restart brings the jail back with its rules'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (ksweep)"
}
kill_restart_body()
{
	require_sim
	vnet_host
	ksweep KILL rerun restart d1
}

atf_test_case term_restart
term_restart_head()
{
	atf_set descr 'SIGTERM as each program of restart runs: the jail runs with its rules or left nothing; a rerun of restart works'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (ksweep)"
}
term_restart_body()
{
	require_sim
	vnet_host
	ksweep TERM rerun restart d1
}

atf_test_case start_loads_missing_rules
start_loads_missing_rules_head()
{
	atf_set descr 'start of a running jail whose anchor is empty (a start killed before the load) loads its rules and says so'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
start_loads_missing_rules_body()
{
	require_sim
	vnet_host
	atf_check -s exit:0 -o ignore -e ignore pfctl -a jailer/d1 -F all
	atf_check -s exit:0 -o 'inline:Starting d1: already running; pf rules loaded\n' \
	    -e empty jailer start d1
	runs_with_rules d1 "after the start"
	atf_check -s exit:0 -o 'inline:Starting d1: already running\n' \
	    -e empty jailer start d1
	# When they cannot be loaded, start says so and fails.
	atf_check -s exit:0 -o ignore -e ignore pfctl -a jailer/d1 -F all
	atf_check -s exit:1 -o 'inline:Starting d1: Failed!\n' \
	    -e match:'^jailer: d1: running, but its pf rules are not loaded: ' \
	    env FAKEBSD_FAIL='pfctl -a jailer/d1 -f' jailer start d1
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case failed_stop_hook
	atf_add_test_case term_after_stop
	atf_add_test_case term_after_start
	atf_add_test_case rerun_stop_cleans
	atf_add_test_case start_rules_fail
	atf_add_test_case failed_start_epair
	atf_add_test_case gc_leftovers
	atf_add_test_case start_timeout
	atf_add_test_case stop_timeout
	atf_add_test_case bad_timeout
	atf_add_test_case sigterm_start
	atf_add_test_case sigkill_start
	atf_add_test_case stop_sweep
	atf_add_test_case stopall_sweep
	atf_add_test_case startall_sweep
	atf_add_test_case sigterm_stop
	atf_add_test_case start_sweep
	atf_add_test_case restart_sweep
	atf_add_test_case start_loads_missing_rules
	atf_add_test_case killed_stop_gc
	for s in kill term; do
		for c in start stop restart; do
			atf_add_test_case ${s}_$c
		done
	done
}
