# jailer network use: the default network type of new jails.

NETTYPE=root/usr/local/jails/.default_nettype

atf_test_case default_inherit
default_inherit_head()
{
	atf_set descr 'network use without a setting prints inherit and writes nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
default_inherit_body()
{
	require_sim
	host_ready
	save_host
	calls_reset
	atf_check -s exit:0 -o inline:'inherit\n' -e empty jailer network use
	assert_host_unchanged
	test ! -e $NETTYPE || atf_fail ".default_nettype was created"
	# One look-up of the dataset, nothing else.
	[ "$(calls_count)" = 1 ] || atf_fail "$(calls_count) calls"
	atf_check -s exit:0 -o match:'^zfs (get|list) .*zroot/jails$' \
	    cat root/.fakebsd/calls.log
}

atf_test_case set_each_type
set_each_type_head()
{
	atf_set descr 'network use eb, new and inherit write the file and are printed back'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
set_each_type_body()
{
	require_sim
	host_ready
	for t in eb new inherit eb; do
		calls_reset
		atf_check -s exit:0 -o empty -e empty jailer network use $t
		atf_check -s exit:0 -o inline:"$t\n" cat $NETTYPE
		atf_check -s exit:0 -o inline:"$t\n" -e empty jailer network use
		# Written by jailer itself: no tool changes anything.
		atf_check -s exit:1 -o empty \
		    grep -vE '^(zfs get|zfs list) ' root/.fakebsd/calls.log
	done
	host_state >state
	atf_check -s exit:0 -o ignore \
	    grep -E '^f 0644 [0-9a-f]+ usr/local/jails/\.default_nettype$' state
	# No temporary file is left next to it.
	atf_check -s exit:0 -o inline:'.default_nettype\n' \
	    ls -A root/usr/local/jails
	# Prefixes work: jailer n u = jailer network use.
	atf_check -s exit:0 -o empty -e empty jailer network u new
	atf_check -s exit:0 -o inline:'new\n' -e empty jailer netw use
}

atf_test_case set_same_twice
set_same_twice_head()
{
	atf_set descr 'setting the type it already has changes nothing'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
set_same_twice_body()
{
	require_sim
	host_ready
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	save_host
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	assert_host_unchanged
}

atf_test_case ng_refused
ng_refused_head()
{
	atf_set descr 'network use ng is refused: netgraph is not supported'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
ng_refused_body()
{
	require_sim
	host_ready
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: network type 'ng': netgraph is not supported; use inherit, new or eb\n" \
	    jailer network use ng
	assert_host_unchanged
	atf_check -s exit:0 -o inline:'eb\n' -e empty jailer network use
}

atf_test_case unknown_refused
unknown_refused_head()
{
	atf_set descr 'unknown types (foo, none, EB, " eb") are refused with the valid ones named'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
unknown_refused_body()
{
	require_sim
	host_ready
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid network type 'foo': use inherit, new or eb\n" \
	    jailer network use foo
	for t in none EB Eb ' eb' 'eb ' 'new;' vnet epair bridge; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: invalid network type '$t': use inherit, new or eb\n" \
		    jailer network use "$t"
	done
	assert_host_unchanged
	test ! -e $NETTYPE || atf_fail ".default_nettype was created"
}

atf_test_case usage_errors
usage_errors_head()
{
	atf_set descr 'two types or an option are usage errors (exit 2)'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
usage_errors_body()
{
	require_sim
	host_ready
	save_host
	atf_check -s exit:2 -o empty -e save:err jailer network use eb new
	atf_check -s exit:0 \
	    -o inline:'jailer network use: at most one network type\n' head -1 err
	atf_check -s exit:0 -o match:'^usage:' sed -n 2p err
	atf_check -s exit:0 -o match:'^  jailer network use \[-D\] \[-j\] \[inherit \| new \| eb\]$' \
	    sed -n 3p err
	atf_check -s exit:2 -o empty -e match:'^jailer network use: unknown option -x$' \
	    jailer network use -x
	atf_check -s exit:2 -o empty -e match:'-D needs the network type' \
	    jailer network use -D
	atf_check -s exit:2 -o empty -e match:'missing sub-command' jailer network
	atf_check -s exit:2 -o empty -e match:"unknown command 'frob'" \
	    jailer network frob
	assert_host_unchanged
}

atf_test_case garbage_file
garbage_file_head()
{
	atf_set descr 'a garbled .default_nettype is reported, not printed'
	sim_only "reboots the simulated host"
}
garbage_file_body()
{
	require_sim
	host_ready
	printf 'ng\n' >$NETTYPE
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: .default_nettype: network type 'ng': netgraph is not supported; use inherit, new or eb\n" \
	    jailer network use
	printf '$(reboot)\n' >$NETTYPE
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: .default_nettype: invalid network type '\$(reboot)': use inherit, new or eb\n" \
	    jailer network use
	# Setting a type repairs it.
	atf_check -s exit:0 -o empty -e empty jailer network use new
	atf_check -s exit:0 -o inline:'new\n' -e empty jailer network use
}

atf_test_case trailing_space_in_file
trailing_space_in_file_head()
{
	atf_set descr 'a file written by hand with blanks around the type is read'
	sim_only "edits the host's files under JAILER_ROOT"
}
trailing_space_in_file_body()
{
	require_sim
	host_ready
	printf '  eb \n' >$NETTYPE
	atf_check -s exit:0 -o inline:'eb\n' -e empty jailer network use
	# A file from the shell jailer (echo eb > file) reads the same.
	echo new >$NETTYPE
	atf_check -s exit:0 -o inline:'new\n' -e empty jailer network use
}

atf_test_case other_mountpoint
other_mountpoint_head()
{
	atf_set descr 'the file lives under the mount point of jailer_dir (init -m)'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
other_mountpoint_body()
{
	require_sim
	host_fresh
	atf_check -s exit:0 -o ignore -e empty jailer init -y -m /srv/jails
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	atf_check -s exit:0 -o inline:'eb\n' cat root/srv/jails/.default_nettype
	test ! -e $NETTYPE || atf_fail "written under /usr/local/jails"
}

atf_test_case needs_init
needs_init_head()
{
	atf_set descr 'network use on a host without jailer says to run init'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
needs_init_body()
{
	require_sim
	host_fresh
	save_host
	for a in '' eb; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: this host is not initialised: run 'jailer init'\n" \
		    jailer network use $a
	done
	assert_host_unchanged
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case default_inherit
	atf_add_test_case set_each_type
	atf_add_test_case set_same_twice
	atf_add_test_case ng_refused
	atf_add_test_case unknown_refused
	atf_add_test_case usage_errors
	atf_add_test_case garbage_file
	atf_add_test_case trailing_space_in_file
	atf_add_test_case other_mountpoint
	atf_add_test_case needs_init
}
