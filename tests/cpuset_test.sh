# jailer cpuset: a jail's CPU set, kept in its conf file as an
# exec.created cpuset(1) command (jail(8) applies it at every start) and
# applied live to a running jail; -u removes it (and gives a running jail
# every CPU again).

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# cpuset -g: read only
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig -l$|ifconfig [A-Za-z0-9_.]+$|rctl (-u )?jail:|cpuset -g )'

c1()
{
	host_with_image
	mkjail p1
}

# mask WANT: the running p1's CPUs as cpuset -g shows them.
mask()
{
	cpuset -g -j p1 | sed -n 's/^jail [0-9]* mask: //p' >mask.out
	atf_check -s exit:0 -o inline:"$1\n" cat mask.out
}

# ---------------------------------------------------------------- cases

atf_test_case running
running_head()
{
	atf_set descr 'cpuset on a running jail: the conf file, live, shown; -u gives every CPU back'
	sim_only "the simulated kernel's cpusets and the call log"
}
running_body()
{
	require_sim
	c1
	atf_check -s exit:0 -o inline:'all\n' -e empty jailer cpuset p1
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:'CPU set of p1: written to its conf file and applied to the running jail\n' \
	    jailer cpuset p1 3,0-1,1
	assert_called 'cpuset -l 0-1,3 -j p1'
	conf_has 'exec.created += "cpuset -j ${name} -l 0-1,3";'
	mask '0, 1, 3'
	atf_check -s exit:0 -o inline:'0-1,3\n' -e empty jailer cpuset p1
	atf_check -s exit:0 -o inline:'{"jail": "p1", "cpuset": "0-1,3"}\n' \
	    -e empty jailer cpuset -j p1
	# replaced, not added
	atf_check -s exit:0 -o ignore -e empty jailer cpuset p1 2
	conf_lacks '0-1,3'
	mask '2'
	atf_check -s exit:0 -o ignore -e empty jailer cpuset p1 -u
	conf_lacks 'cpuset'
	mask '0, 1, 2, 3'
	atf_check -s exit:0 -o inline:'{"jail": "p1", "cpuset": null}\n' \
	    -e empty jailer cpuset -j p1
	refused 'nothing to remove' jailer cpuset p1 -u
}

atf_test_case at_start
at_start_head()
{
	atf_set descr 'cpuset on a stopped jail: the conf file only; jail(8) applies it at start, and after a reboot'
	sim_only "the simulated host's reboot"
}
at_start_body()
{
	require_sim
	c1
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:'CPU set of p1: written to its conf file, applied at its next start\n' \
	    jailer cpuset p1 1-2
	assert_not_called '^cpuset -l'
	atf_check -s exit:0 -o ignore -e empty jailer start p1
	mask '1, 2'
	atf_check -s exit:0 -o ignore -e ignore "$FAKEBSD_BIN/reboot"
	assert_running p1
	mask '1, 2'
}

atf_test_case hostile
hostile_head()
{
	atf_set descr 'bad CPU lists and CPUs the host lacks, refused with one line, host unchanged'
	sim_only "the call log (refused)"
}
hostile_body()
{
	require_sim
	c1
	save_norm before
	for l in 4 0-4 3-1 '' a 1, ,1 1-- 0-1-2 -1 '1 2' '0;reboot' \
	    99999999999999999999 all; do
		refused "list '$l'" jailer cpuset p1 "$l"
	done
	atf_check -s exit:1 -o empty \
	    -e 'inline:jailer: p1: CPU 4 does not exist: the host has 4 (0-3)\n' \
	    jailer cpuset p1 0,4
	refused 'no jail' jailer cpuset nosuch 1
	refused 'bad name' jailer cpuset '../x' 1
	refused '-u and list' jailer cpuset -u p1 1
	refused '-j and list' jailer cpuset -j p1 1
	assert_norm before
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'cpuset -D shows the change and the cpuset command, runs nothing'
	sim_only "the call log"
}
dry_run_body()
{
	require_sim
	c1
	save_norm before
	calls_reset
	atf_check -s exit:0 -e empty -o save:raw jailer cpuset -D p1 0
	sed -E 's/^ +//; s/ +/ /g' raw >out
	assert_no_mutation
	grep -qxF '+ exec.created += "cpuset -j ${name} -l 0";' out ||
	    { cat out; atf_fail "no diff line"; }
	grep -qxF 'cpuset -l 0 -j p1' out || { cat out; atf_fail "no command"; }
	assert_norm before
}

atf_test_case faults
faults_head()
{
	atf_set descr 'fault sweep of cpuset and cpuset -u on a running jail'
	sim_only "fault injection (FAKEBSD_FAIL) on the simulated host (host_sweep)"
}
faults_body()
{
	require_sim
	c1
	host_sweep jailer cpuset p1 0-1
	atf_check -s exit:0 -o ignore -e empty jailer cpuset p1 1
	host_sweep jailer cpuset p1 -u
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case running
	atf_add_test_case at_start
	atf_add_test_case hostile
	atf_add_test_case dry_run
	atf_add_test_case faults
}
