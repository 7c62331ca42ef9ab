# Crash safety: jailer killed with SIGKILL at points spread over a create
# or a destroy (of a jail with a snapshot and a NAT rule), the way a
# crashing jailer dies: the program it was running is left to finish on
# its own.  The next jailer list says what was left behind, jailer gc -y
# (or jailer destroy NAME) removes it, the host is consistent again and
# the name can be used again.

# consistent and no_jailer_left (the host-wide invariants) are in
# jailer.subr.

# now: seconds since the epoch, with fractions.
now()
{
	python3 -c 'import time; print("%.3f" % time.time())'
}

# spawn, group_wait, kill_after and kill_at_call are in jailer.subr.

# leftovers NAME: what exists of the jail NAME and of jailer's temporary
# files, as words.
leftovers()
{
	local n=$1 d="$JAILER_ROOT/etc/jail.conf.d" id
	zfs list -H -o name zroot/jails/$n >/dev/null 2>&1 && echo dataset
	zfs list -H -o name -t snapshot -r zroot/jails/$n 2>/dev/null |
	    grep -q @ && echo snapshots
	[ -e "$d/$n.conf" ] && echo conf
	jls -j "$n" >/dev/null 2>&1 && echo running
	ls -a "$d" | grep -q '\.jailer\.' && echo "tempfile"
	[ -e "$JAILER_ROOT/var/log/jail/$n.log" ] && echo console-log
	ifconfig | grep -q "description: vnet-$n\$" && echo epair
	[ -e "$JAILER_ROOT/usr/local/etc/jailer/pf/$n.rules" ] && echo pf-rules
	pfctl -a "jailer/$n" -s nat 2>/dev/null | grep -q . && echo pf-anchor
	return 0
}

# summary LEFT: a short form for the report.
summary()
{
	[ -n "$1" ] && echo "$1" | tr '\n' '+' | sed 's/+$//' || echo nothing
}

# expect_warnings LEFT: list warns about what it can see: a dataset
# without a conf file, a conf file without its dataset, temporary files
# in /etc/jail.conf.d; and says nothing when nothing is left.
expect_warnings()
{
	local left="$1" n=$2
	jailer list >list.out 2>list.err ||
	    atf_fail "$WHAT: list failed after the kill: $(cat list.err)"
	has() { echo "$left" | grep -qx "$1"; }
	if has dataset && ! has conf; then
		grep -q "zroot/jails/$n: .*jailer gc" list.err ||
		    atf_fail "$WHAT: list does not warn about the dataset without a conf file: $(cat list.err)"
	fi
	if has conf && ! has dataset; then
		grep -q "$n\.conf: .*jailer gc" list.err ||
		    atf_fail "$WHAT: list does not warn about the conf file without a dataset: $(cat list.err)"
	fi
	if has tempfile; then
		grep -q "\.jailer\..*jailer gc" list.err ||
		    atf_fail "$WHAT: list does not warn about the temporary file: $(cat list.err)"
	fi
	if [ -z "$left" ] && [ -s list.err ]; then
		atf_fail "$WHAT: nothing is left, but list warns: $(cat list.err)"
	fi
	if grep -q 'jailer gc' list.err; then
		WARNED=yes
	else
		WARNED=no
	fi
}

# clean_by MODE NAME: remove what is left, with jailer gc -y (MODE gc)
# or jailer destroy NAME (MODE destroy).  A complete jail (conf file and
# dataset) is not a leftover: gc leaves it and destroy removes it.
clean_by()
{
	local mode=$1 n=$2 left
	CLEANED=
	case $mode in
	gc)
		jailer gc -y </dev/null >gc.out 2>gc.err ||
		    atf_fail "$WHAT: gc -y failed: $(cat gc.out gc.err)"
		grep -q '^Nothing to clean up\.$' gc.out ||
		    CLEANED="gc removed $(sed -n 's/^  \([^ ]*\) (.*/\1/p' gc.out | tr '\n' ' ' | sed 's/ $//')"
		left=$(leftovers "$n")
		# What one gc left of a jail whose conf file it removed.
		if ! echo "$left" | grep -qx 'conf\|dataset'; then
			if echo "$left" | grep -qx pf-rules; then
				echo "pf-rules	$WHAT: gc removed the conf file, not the pf rules file of $n (a second gc does)" >>bugs
				jailer gc -y </dev/null >gc2.out 2>&1 ||
				    atf_fail "$WHAT: the second gc failed: $(cat gc2.out)"
				CLEANED="${CLEANED:+$CLEANED, }the pf rules left (a second gc removed them)"
			fi
			if echo "$left" | grep -qx console-log; then
				echo "console-log	$WHAT: gc left the console log /var/log/jail/$n.log" >>bugs
				rm "$JAILER_ROOT/var/log/jail/$n.log"
				CLEANED="${CLEANED:+$CLEANED, }the console log left (removed by hand)"
			fi
			left=$(leftovers "$n")
		fi
		if echo "$left" | grep -qx conf && echo "$left" | grep -qx dataset; then
			# A stopped jail's pf anchor is flushed at its stop.
			if ! echo "$left" | grep -qx running &&
			    echo "$left" | grep -qx pf-anchor; then
				echo "pf-anchor	$WHAT: gc left the loaded pf anchor jailer/$n of the stopped jail $n" >>bugs
			fi
			jailer destroy "$n" >d.out 2>d.err ||
			    atf_fail "$WHAT: destroy of the complete jail failed: $(cat d.out d.err)"
			CLEANED="${CLEANED:+$CLEANED, }a complete jail, destroyed"
		fi
		;;
	destroy)
		left=$(leftovers "$n" | grep -v tempfile)
		if [ -n "$left" ]; then
			jailer destroy "$n" >d.out 2>d.err ||
			    atf_fail "$WHAT: destroy $n failed: $(cat d.out d.err)"
			CLEANED="destroy removed $(summary "$left")"
		fi
		left=$(leftovers "$n" | grep -v tempfile)
		[ -z "$left" ] || atf_fail "$WHAT: destroy $n left $(summary "$left")"
		# What destroy does not know of (temporary files) is gc's.
		jailer gc -y </dev/null >gc.out 2>gc.err ||
		    atf_fail "$WHAT: gc -y failed: $(cat gc.out gc.err)"
		grep -q '^Nothing to clean up\.$' gc.out ||
		    CLEANED="${CLEANED:+$CLEANED, }gc removed $(sed -n 's/^  \([^ ]*\) (.*/\1/p' gc.out | tr '\n' ' ' | sed 's/ $//')"
		;;
	esac
	left=$(leftovers "$n")
	[ -z "$left" ] || atf_fail "$WHAT: still there after the clean-up: $(summary "$left")"
	: "${CLEANED:=nothing to do}"
}

crash_host()
{
	host_with_image
	for c in "init bridge -y" "init dhcp -y" "init pf -y" "create -t eb other" \
	    "create -t new -b vtnet0 other2"; do
		jailer $c >/dev/null 2>setup.err ||
		    atf_fail "setup: jailer $c: $(cat setup.err)"
	done
}

# duration ARGS...: how long jailer ARGS takes (it must succeed).
duration()
{
	local t0 t1
	t0=$(now)
	jailer "$@" >/dev/null 2>dur.err || atf_fail "jailer $*: $(cat dur.err)"
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }'
}

# delays D N: N delays spread evenly over (0, D), and one past D.
delays()
{
	awk -v d="$1" -v n="$2" 'BEGIN {
		for (k = 1; k <= n; k++)
			printf "%.3f\n", d * k / (n + 1)
	}'
}

NPOINTS=10

# sweep OP MODE POINTS: kill create or destroy (POINTS "time": at
# NPOINTS delays spread over its measured duration; "calls": as each of
# the programs it runs starts), clean up with MODE (gc or destroy), check
# the host and reuse the name; print a report.
sweep()
{
	local op=$1 mode=$2 points=$3 d k p n left ncalls
	crash_host
	calls_reset
	if [ "$op" = create ]; then
		d=$(duration create -t eb probe)
		ncalls=$(calls_count)
		jailer destroy probe >/dev/null 2>&1
	else
		jailer create -t eb probe >/dev/null 2>&1 || atf_fail "create probe"
		jailer snap probe@s >/dev/null 2>&1 || atf_fail "snap probe"
		jailer nat add probe >/dev/null 2>&1 || atf_fail "nat add probe"
		calls_reset
		d=$(duration destroy probe)
		ncalls=$(calls_count)
	fi
	if [ "$points" = time ]; then
		echo "jailer $op takes $d s; killing it at $NPOINTS points in that time"
		set -- $(delays "$d" $NPOINTS)
	else
		echo "jailer $op runs $ncalls programs; killing it as each starts"
		set -- $(seq 1 "$ncalls")
	fi
	: >report
	: >bugs
	k=0
	for p in "$@"; do
		k=$((k + 1))
		n=k$k
		if [ "$op" = destroy ]; then
			jailer create -t eb "$n" >/dev/null 2>&1 ||
			    atf_fail "create $n"
			jailer snap "$n@s" >/dev/null 2>&1 || atf_fail "snap $n@s"
			jailer nat add "$n" >/dev/null 2>&1 ||
			    atf_fail "nat add $n"
		fi
		if [ "$points" = time ]; then
			WHAT="$op killed at ${p}s (point $k)"
			AT="${p}s"
			kill_after "$p" $op $( [ $op = create ] && echo -t eb ) "$n"
		else
			WHAT="$op killed at program $p (point $k)"
			kill_at_call "$p" $op $( [ $op = create ] && echo -t eb ) "$n"
		fi
		grep -qE 'Sanitizer|runtime error' run.err &&
		    atf_fail "$WHAT: sanitizer report"
		left=$(leftovers "$n")
		expect_warnings "$left" "$n"
		clean_by "$mode" "$n"
		consistent "$WHAT"
		atf_check -s exit:0 -o inline:"Creating $n: Done!\n" -e empty \
		    jailer create -t eb "$n"
		atf_check -s exit:0 -o ignore -e empty jailer destroy "$n"
		printf '%-2s %-40s killed=%-3s left: %-30s list warned: %-3s %s\n' \
		    "$k" "$AT" "$KILLED" "$(summary "$left")" "$WARNED" \
		    "$CLEANED" >>report
	done
	cat report
	echo "$op: $k kill points, $(grep -c 'killed=yes' report) killed mid-way, $(grep -vc 'left: nothing' report) left something"
	fs_outside_untouched
	if [ -s bugs ]; then
		cut -f2 bugs
		markers=
		grep -q '^console-log' bugs && markers="BUG: orphan_remove() (src/gc.c) removes the conf file a killed destroy left, but not the jail's console log /var/log/jail/NAME.log, which gc never lists; a later jail of that name appends to the old log."
		grep -q '^pf-rules' bugs && markers="$markers BUG: orphans_find() (src/gc.c) judges stale_rules() before anything is removed, so the gc that removes a half-destroyed jail's conf file leaves its pf rules file /usr/local/etc/jailer/pf/NAME.rules; only a second gc removes it."
		grep -q '^pf-anchor' bugs && markers="$markers BUG: gc (src/gc.c) does not flush the pf anchor jailer/NAME of a jail that does not run (a destroy or stop killed after jail -r): its nat and rdr rules stay loaded for an address the jail no longer holds."
		atf_expect_fail "$markers"
		atf_fail "$(wc -l <bugs | tr -d ' ') leftovers that one gc -y did not remove"
	fi
}

atf_test_case create_killed_gc
create_killed_gc_head()
{
	atf_set descr 'create -t eb killed at 10 points in time: list warns, gc -y cleans up, the name works again'
	atf_set timeout 1200
	sim_only "asserts the commands jailer runs (the simulated host's call log) (sweep)"
}
create_killed_gc_body()
{
	require_sim
	sweep create gc time
}

atf_test_case create_killed_destroy
create_killed_destroy_head()
{
	atf_set descr 'create -t eb killed as each program it runs starts: destroy NAME cleans up, the name works again'
	atf_set timeout 1200
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls)"
}
create_killed_destroy_body()
{
	require_sim
	sweep create destroy calls
}

atf_test_case destroy_killed_gc
destroy_killed_gc_head()
{
	atf_set descr 'destroy killed as each program it runs starts: list warns, gc -y cleans up, the name works again'
	atf_set timeout 1200
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls)"
}
destroy_killed_gc_body()
{
	require_sim
	sweep destroy gc calls
}

atf_test_case destroy_killed_destroy
destroy_killed_destroy_head()
{
	atf_set descr 'destroy killed at 10 points in time: a second destroy finishes the job'
	atf_set timeout 1200
	sim_only "asserts the commands jailer runs (the simulated host's call log) (sweep)"
}
destroy_killed_destroy_body()
{
	require_sim
	sweep destroy destroy time
}

atf_test_case destroy_termed
destroy_termed_head()
{
	atf_set descr 'destroy sent SIGTERM as each program it runs starts: it undoes or finishes; what is left a second destroy removes, the name works again'
	atf_set timeout 1200
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls)"
}
destroy_termed_body()
{
	require_sim
	KILL_SIG=TERM
	sweep destroy destroy calls
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case create_killed_gc
	atf_add_test_case create_killed_destroy
	atf_add_test_case destroy_killed_gc
	atf_add_test_case destroy_killed_destroy
	atf_add_test_case destroy_termed
}
