# Fault sweeps: make the k-th program jailer runs fail, for every k of a
# successful run (FAKEBSD_FAIL='#k' counts every call, also those the
# simulated jail(8) makes for its hooks).  A failed create must leave the
# host as it was; after a failed destroy, a second destroy must finish the
# job.  And parallel creates must never collide.

# host_state_norm, make_bridge and mkjail are in jailer.subr.

# Keep a copy of the whole host (with an empty call log), and put it back.
keep_host()
{
	calls_reset
	rm -rf "$PWD/base"
	cp -a "$JAILER_ROOT" "$PWD/base" || atf_fail "cannot copy the host"
}

restore_host()
{
	rm -rf "$JAILER_ROOT"
	cp -a "$PWD/base" "$JAILER_ROOT" || atf_fail "cannot restore the host"
}

# The k-th call of the last run, for messages.
nth_call()
{
	sed -n "${1}p" "$JAILER_ROOT/.fakebsd/calls.log"
}

# sweep_create CREATE-OPTIONS: the create of f0 fails cleanly at every
# program it runs.
sweep_create()
{
	local n k rc what
	keep_host
	atf_check -s exit:0 -o inline:'Creating f0: Done!\n' -e empty \
	    jailer create -d example.org "$@" f0
	n=$(calls_count)
	[ "$n" -ge 8 ] || { calls; atf_fail "a create ran only $n programs"; }
	restore_host
	host_state_norm >before || atf_fail "host_state failed"
	k=1
	while [ "$k" -le "$n" ]; do
		restore_host
		env FAKEBSD_FAIL="#$k" jailer create -d example.org "$@" f0 \
		    >out 2>err
		rc=$?
		what="#$k of $n ($(nth_call "$k"))"
		if [ "$rc" -ne 1 ]; then
			cat out err
			atf_fail "$what: exit status $rc"
		fi
		if grep -q 'Done!' out || ! grep -q '^jailer: ' err; then
			cat out err
			atf_fail "$what: no clean failure"
		fi
		if grep -q '^Creating f0: ' out &&
		    ! grep -qx 'Creating f0: Failed!' out; then
			cat out err
			atf_fail "$what: no Failed!"
		fi
		host_state_norm >after || atf_fail "host_state failed"
		if ! diff -u before after; then
			cat out err
			atf_fail "$what: the host changed"
		fi
		k=$((k + 1))
	done
	restore_host
}

# left_of NAME ID ADDR: print what is left of a destroyed jail.
left_of()
{
	local n=$1 id=$2 addr=$3
	zfs list -H -o name -t all | grep -E "^zroot/jails/$n([@/]|\$)"
	[ -e "$JAILER_ROOT/etc/jail.conf.d/$n.conf" ] && echo "conf file"
	[ -e "$JAILER_ROOT/var/log/jail/$n.log" ] && echo "console log"
	jls -j "$n" >/dev/null 2>&1 && echo "running jail"
	mount -p | grep "/usr/local/jails/$n[/ 	]"
	if [ -n "$id" ]; then
		ifconfig -l | tr ' ' '\n' | grep -x "epair${id}[ab]"
	fi
	if [ -n "$addr" ]; then
		ifconfig vtnet0 | grep -F "inet $addr "
	fi
	return 0
}

# sweep_destroy NAME ID ADDR KNOWN BUG: the destroy of NAME fails at
# every program it runs, then a second destroy completes and leaves no
# dataset, conf, log, jail, mount, epair ID or address ADDR.  Failures of
# calls matching the ERE KNOWN are the known bug BUG.
sweep_destroy()
{
	local name=$1 id=$2 addr=$3 known=$4 bug=$5 n k rc rc2 what left
	keep_host
	atf_check -s exit:0 -o inline:"Destroying $name: Done!\n" -e empty \
	    jailer destroy "$name"
	[ -z "$(left_of "$name" "$id" "$addr")" ] ||
	    atf_fail "a successful destroy left: $(left_of "$name" "$id" "$addr")"
	n=$(calls_count)
	: >problems
	k=1
	while [ "$k" -le "$n" ]; do
		restore_host
		env FAKEBSD_FAIL="#$k" jailer destroy "$name" >out 2>err
		rc=$?
		what="#$k of $n ($(nth_call "$k"))"
		if [ "$rc" -ne 0 ] && { grep -q 'Done!' out ||
		    ! grep -q '^jailer: ' err; }; then
			echo "$what: exit $rc without a clean failure" >>problems
		fi
		jailer destroy "$name" >out2 2>err2
		rc2=$?
		if [ "$rc" -ne 0 ] && [ "$rc2" -ne 0 ]; then
			echo "$what: the second destroy failed: $(cat out2 err2 | tr '\n' ' ')" >>problems
		fi
		left=$(left_of "$name" "$id" "$addr" | tr '\n' ' ')
		if [ -n "$left" ]; then
			echo "$what: left behind: $left" >>problems
		fi
		k=$((k + 1))
	done
	restore_host
	if [ -s problems ]; then
		cat problems
		if [ -n "$known" ] && ! grep -Ev "^#[0-9]+ of [0-9]+ \(($known)" \
		    problems >/dev/null; then
			atf_expect_fail "$bug"
		fi
		atf_fail "$(wc -l <problems | tr -d ' ') failed destroys were not recovered: $(head -1 problems)"
	fi
}

atf_test_case create_inherit
create_inherit_head()
{
	atf_set descr 'a create (inherit) that fails at any step leaves the host as it was'
	atf_set timeout 600
	sim_only "fault injection (sweep_create)"
}
create_inherit_body()
{
	require_sim
	host_with_image
	sweep_create
}

atf_test_case create_new
create_new_head()
{
	atf_set descr 'a create (-t new) that fails at any step leaves the host as it was'
	atf_set timeout 600
	sim_only "fault injection (sweep_create)"
}
create_new_body()
{
	require_sim
	host_with_image
	sweep_create -t new -b vtnet0
}

atf_test_case create_eb_dhcp
create_eb_dhcp_head()
{
	atf_set descr 'a create (-t eb, DHCP) that fails at any step leaves the host as it was'
	atf_set timeout 600
	sim_only "fault injection (sweep_create)"
}
create_eb_dhcp_body()
{
	require_sim
	host_with_image
	make_bridge
	sweep_create -t eb
}

atf_test_case create_eb_static
create_eb_static_head()
{
	atf_set descr 'a create (-t eb -a) that fails at any step leaves the host as it was'
	atf_set timeout 600
	sim_only "fault injection (sweep_create)"
}
create_eb_static_body()
{
	require_sim
	host_with_image
	make_bridge
	sweep_create -t eb -a 10.0.0.10
}

atf_test_case create_clone_snapshot
create_clone_snapshot_head()
{
	atf_set descr 'a create -C -s that fails at any step leaves the host as it was'
	atf_set timeout 600
	sim_only "fault injection (sweep_create)"
}
create_clone_snapshot_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail src -t eb
	atf_check -s exit:0 -o ignore jailer snap src@s
	sweep_create -t eb -C -s src@s
}

atf_test_case destroy_inherit
destroy_inherit_head()
{
	atf_set descr 'after a destroy (running inherit jail) fails at any step, a second one finishes'
	atf_set timeout 600
	sim_only "fault injection (sweep_destroy)"
}
destroy_inherit_body()
{
	require_sim
	host_with_image
	mkjail f0
	atf_check -s exit:0 -o ignore jailer snap f0@s
	sweep_destroy f0 "" "" "" ""
}

atf_test_case destroy_new
destroy_new_head()
{
	atf_set descr 'after a destroy (running -t new jail) fails at any step, a second one finishes'
	atf_set timeout 600
	sim_only "fault injection (sweep_destroy)"
}
destroy_new_body()
{
	require_sim
	host_with_image
	mkjail f0 -t new -b vtnet0
	sweep_destroy f0 "" 192.168.64.3 "" ""
}

atf_test_case destroy_eb_stopped
destroy_eb_stopped_head()
{
	atf_set descr 'after a destroy (stopped eb jail) fails at any step, a second one finishes'
	atf_set timeout 600
	sim_only "fault injection (sweep_destroy)"
}
destroy_eb_stopped_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail f0 -t eb
	atf_check -s exit:0 -o ignore jailer snap f0@s
	atf_check -s exit:0 -o ignore jailer stop f0
	sweep_destroy f0 1 "" "" ""
}

atf_test_case destroy_eb_running
destroy_eb_running_head()
{
	atf_set descr 'after a destroy (running eb jail) fails at any step, a second one finishes'
	atf_set timeout 600
	sim_only "fault injection (sweep_destroy)"
}
destroy_eb_running_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail f0 -t eb
	sweep_destroy f0 1 "" "" ""
}

# Background creates: pcreate N CREATE-OPTIONS, waiting for all.
pcreate()
{
	local n=$1 i
	shift
	i=1
	while [ "$i" -le "$n" ]; do
		(jailer create -d example.org "$@" >out.$i 2>err.$i; echo $? >rc.$i) &
		i=$((i + 1))
	done
	wait
	i=1
	while [ "$i" -le "$n" ]; do
		if [ "$(cat rc.$i)" != 0 ] ||
		    ! grep -Eqx 'Creating [0-9a-f]{8}: Done!' out.$i ||
		    [ -s err.$i ]; then
			cat out.$i err.$i
			atf_fail "create $i of $n failed"
		fi
		i=$((i + 1))
	done
}

atf_test_case parallel_eb
parallel_eb_head()
{
	atf_set descr '20 parallel create -t eb: 20 running jails, distinct ids, epairs and MACs'
	atf_set timeout 600
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
parallel_eb_body()
{
	require_sim
	host_with_image
	make_bridge
	pcreate 20 -t eb
	cat out.* | sed 's/^Creating \(.*\): Done!$/\1/' | sort >names
	atf_check -s exit:0 -o inline:'20\n' -x 'sort -u names | wc -l | tr -d " "'
	atf_check -s exit:0 -o inline:'20\n' \
	    -x 'ls "$JAILER_ROOT/etc/jail.conf.d" | grep -c "\.conf$"'
	for n in $(cat names); do
		atf_check -s exit:0 -o ignore jls -j "$n"
	done
	for n in $(cat names); do
		sed -n 's/^  \$id *= "\([0-9]*\)";$/\1/p' \
		    "$JAILER_ROOT/etc/jail.conf.d/$n.conf"
	done | sort -n >ids
	atf_check -s exit:0 -o inline:"$(seq 1 20)\n" cat ids
	atf_check -s exit:0 -o inline:"$(seq 1 20 | sed 's/.*/epair&a/' | sort)\n" \
	    -x 'ifconfig -l | tr " " "\n" | grep "^epair" | sort'
	atf_check -s exit:0 -o inline:'20\n' \
	    -x 'ifconfig bridge0 | grep -c "member: epair"'
	for n in $(cat names); do
		cat "$JAILER_ROOT"/usr/local/jails/$n/etc/start_if.epair*b
	done | awk '{print $4}' >macs
	atf_check -s exit:0 -o inline:'20\n' -x 'sort -u macs | wc -l | tr -d " "'
	atf_check -s exit:0 -o inline:'20\n' \
	    -x 'grep -Ec "^58:9c:fc:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$" macs'
}

atf_test_case parallel_new
parallel_new_head()
{
	atf_set descr '10 parallel create -t new: distinct addresses, the lowest ones'
	atf_set timeout 600
	sim_only "edits the host's files under JAILER_ROOT"
}
parallel_new_body()
{
	require_sim
	host_with_image
	pcreate 10 -t new -b vtnet0
	cat "$JAILER_ROOT"/etc/jail.conf.d/*.conf |
	    sed -n 's/^  ip4\.addr *= "\(.*\)";$/\1/p' | sort -t. -k4n >addrs
	atf_check -s exit:0 -o inline:"$(seq 3 12 | sed 's/^/192.168.64./')\n" \
	    cat addrs
	atf_check -s exit:0 -o inline:'10\n' \
	    -x 'jls -q name | wc -l | tr -d " "'
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case create_inherit
	atf_add_test_case create_new
	atf_add_test_case create_eb_dhcp
	atf_add_test_case create_eb_static
	atf_add_test_case create_clone_snapshot
	atf_add_test_case destroy_inherit
	atf_add_test_case destroy_new
	atf_add_test_case destroy_eb_stopped
	atf_add_test_case destroy_eb_running
	atf_add_test_case parallel_eb
	atf_add_test_case parallel_new
}
