# The simulated host's fast client and server (tests/fakebsd/client.c,
# tests/fakebsd/server): the same tools as the python launcher, and the
# process behaviour the other tests rely on (exit status, descriptors,
# signals, a killed caller, parallel calls, a server that goes with its
# host).

# client_setup: a fresh host, the tools through the client (skip when it
# is not built: common.subr then runs the python launcher).
client_setup()
{
	fakebsd_setup
	[ "$FAKEBSD_BIN" != "$FAKEBSD_DIR/bin" ] ||
	    atf_skip "the fast client is not built (make fakebsd)"
	[ -x "$FAKEBSD_BIN/_tool" ] || atf_fail "no client in $FAKEBSD_BIN"
}

# server_pid: the pid of the host's server, from its log.
server_pid()
{
	sed -n 's/^server \([0-9]*\): serving .*/\1/p' \
	    "$JAILER_ROOT/.fakebsd/server.log" | tail -n 1
}

# wait_gone PID: wait up to 5 s for PID to end.
wait_gone()
{
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || atf_fail "process $1 is still there"
		sleep 0.1
	done
}

atf_test_case refuses_without_host
refuses_without_host_head()
{
	atf_set descr 'the client refuses to run without a simulated host, as the tools do, and starts no server'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
refuses_without_host_body()
{
	require_sim
	client_setup
	atf_check -s exit:1 -o empty \
	    -e inline:"zfs: JAILER_ROOT is not set: refusing to run outside a simulated host (create one with tests/fakebsd/mkhost)\n" \
	    env -u JAILER_ROOT zfs list
	atf_check -s exit:1 -o empty -e match:'^zfs: JAILER_ROOT is empty: refusing' \
	    env JAILER_ROOT= zfs list
	atf_check -s exit:1 -o empty -e match:'^jls: JAILER_ROOT is /: refusing' \
	    env JAILER_ROOT=/ jls
	mkdir nohost
	atf_check -s exit:1 -o empty \
	    -e match:"^jls: JAILER_ROOT=$PWD/nohost has no .fakebsd/state.json: refusing" \
	    env JAILER_ROOT="$PWD/nohost" jls
	[ ! -e "$JAILER_ROOT/.fakebsd/server.sock" ] ||
	    atf_fail "a refused call started a server"
	[ ! -e nohost/.fakebsd ] || atf_fail "a refused call wrote to nohost"
}

atf_test_case same_as_launcher
same_as_launcher_head()
{
	atf_set descr 'output, errors, exit status, stdin and the call log are the same through the client and through the python launcher'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
same_as_launcher_body()
{
	require_sim
	client_setup
	for mode in client launcher; do
		d=''
		[ $mode = launcher ] && d=1
		calls_reset
		{
			FAKEBSD_DIRECT=$d zfs list -H -o name
			echo "rc=$?"
			FAKEBSD_DIRECT=$d zfs list -H nope
			echo "rc=$?"
			echo hello | FAKEBSD_DIRECT=$d sha256
			echo "rc=$?"
			FAKEBSD_DIRECT=$d uname -r
			FAKEBSD_DIRECT=$d zfs frobnicate
			echo "rc=$?"
		} >out.$mode 2>err.$mode
		calls >calls.$mode
	done
	atf_check -o file:out.launcher cat out.client
	atf_check -o file:err.launcher cat err.client
	atf_check -o file:calls.launcher cat calls.client
	grep -qx 'rc=1' out.client || atf_fail "a failing zfs did not exit 1"
	grep -q "dataset does not exist" err.client ||
	    atf_fail "zfs's error did not reach stderr"
	grep -qx '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' \
	    out.client || atf_fail "sha256 did not read stdin"
}

atf_test_case descriptors_and_cwd
descriptors_and_cwd_head()
{
	atf_set descr 'the tool gets the caller working directory, umask, closed stdout and extra descriptors'
	sim_only "uses the simulated host's own tools and files (client_setup)"
}
descriptors_and_cwd_body()
{
	require_sim
	client_setup
	mkdir "$JAILER_ROOT/tmp/w"
	echo data >"$JAILER_ROOT/tmp/w/f"
	# a relative path is taken from the caller's directory
	(cd "$JAILER_ROOT/tmp/w" && sha256 -q f) >out ||
	    atf_fail "sha256 of a relative path failed"
	atf_check -o file:out sh -c "sha256 -q '$JAILER_ROOT/tmp/w/f'"
	# a closed stdout stays closed: the tool fails to write, as it would
	atf_check -s not-exit:0 -o empty -e not-empty sh -c 'uname -r >&-'
	# descriptors keep their numbers: stdout made the caller's stderr
	atf_check -o empty -e inline:"14.3-RELEASE-p2\n" \
	    sh -c 'uname -r 3>&1 1>&2 2>&3'
}

atf_test_case signals
signals_head()
{
	atf_set descr 'TERM and HUP to the client end the tool and the client dies of them; SIGKILL of the client kills the tool'
	atf_set timeout 120
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls)"
}
signals_body()
{
	require_sim
	client_setup
	mkfifo in
	for sig in TERM HUP KILL; do
		rm -f tool.pid
		# sha256 blocks reading the fifo, which sleep holds open
		sleep 30 >in &
		holder=$!
		sh -c 'echo $$ >client.pid; exec sha256' <in &
		client=$!
		i=0
		until [ -s client.pid ] && calls | grep -q '^sha256$'; do
			i=$((i + 1))
			[ $i -lt 100 ] || atf_fail "sha256 never started"
			sleep 0.1
		done
		kill -$sig $client
		wait $client
		rc=$?
		case $sig in
		TERM)	want=143 ;;
		HUP)	want=129 ;;
		KILL)	want=137 ;;
		esac
		[ $rc -eq $want ] || atf_fail "SIG$sig: client exit $rc, want $want"
		kill $holder 2>/dev/null
		wait $holder 2>/dev/null
		calls_reset
	done
	# The tools that ran are gone: the server has no child left.
	pid=$(server_pid)
	[ -n "$pid" ] || atf_fail "no server pid in server.log"
	i=0
	while [ "$(ps -o pid= --ppid "$pid" | wc -l)" -ne 0 ]; do
		i=$((i + 1))
		[ $i -lt 50 ] || { ps -o pid,pgid,args --ppid "$pid"; \
		    atf_fail "tool processes left under the server"; }
		sleep 0.1
	done
}

atf_test_case parallel_calls
parallel_calls_head()
{
	atf_set descr 'twenty parallel zfs create calls all land in the state (the state lock works through the server)'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls)"
}
parallel_calls_body()
{
	require_sim
	client_setup
	for i in $(seq 20); do
		zfs create "zroot/p$i" &
	done
	wait
	atf_check -o inline:"20\n" sh -c \
	    "zfs list -H -o name -r zroot | grep -c '^zroot/p[0-9]*\$'"
	[ "$(grep -c '^zfs create zroot/p' "$JAILER_ROOT/.fakebsd/calls.log")" \
	    -eq 20 ] || atf_fail "the call log lost calls"
}

atf_test_case one_server_per_host
one_server_per_host_head()
{
	atf_set descr 'racing first calls start one server; it leaves when its host is removed or replaced'
	atf_set timeout 60
	sim_only "uses the simulated host's own tools and files (.fakebsd/)"
}
one_server_per_host_body()
{
	require_sim
	client_setup
	for i in 1 2 3 4 5 6; do
		uname -r >/dev/null &
	done
	wait
	[ "$(grep -c '^server [0-9]*: serving' \
	    "$JAILER_ROOT/.fakebsd/server.log")" -eq 1 ] ||
	    atf_fail "more than one server started"
	pid=$(server_pid)
	kill -0 "$pid" || atf_fail "the server is not running"
	# a new host in the same place: the old server goes, a new one comes
	rm -rf "$JAILER_ROOT"
	"$FAKEBSD_DIR/mkhost" "$JAILER_ROOT" || atf_fail "mkhost failed"
	wait_gone "$pid"
	atf_check -o inline:"14.3-RELEASE-p2\n" uname -r
	pid2=$(server_pid)
	[ -n "$pid2" ] && [ "$pid2" != "$pid" ] || atf_fail "no new server"
	rm -rf "$JAILER_ROOT"
	wait_gone "$pid2"
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/common.subr"
	atf_add_test_case refuses_without_host
	atf_add_test_case same_as_launcher
	atf_add_test_case descriptors_and_cwd
	atf_add_test_case signals
	atf_add_test_case parallel_calls
	atf_add_test_case one_server_per_host
}
