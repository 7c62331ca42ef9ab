# Fault sweeps of the commands that change the host and are not swept
# elsewhere (create/destroy: fault_test; init family: init_test,
# hostnet_test; nat/rdr: pf_test; start/stop/restart: lifecycle_test):
# the k-th external command fails, for every k of a clean run, and the
# host is left as it was (sweep in jailer.subr).

# A host with the image and two jails: i1 (inherit, running, with a
# snapshot s0) and e1 (eb, stopped).
sweep_host()
{
	host_with_services
	jailer create i1 >/dev/null 2>&1 || atf_fail "create i1 failed"
	jailer create -t eb e1 >/dev/null 2>&1 || atf_fail "create e1 failed"
	jailer stop e1 >/dev/null 2>&1 || atf_fail "stop e1 failed"
	jailer snap i1@s0 >/dev/null 2>&1 || atf_fail "snap failed"
}

atf_test_case snap
snap_head()
{
	atf_set descr 'every fault in snap (running and stopped jail) leaves the host as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
snap_body()
{
	require_sim
	sweep_host
	host_sweep jailer snap i1@s1
	host_sweep jailer snap e1@s1
	host_sweep jailer snap i1
}

atf_test_case snap_destroy
snap_destroy_head()
{
	atf_set descr 'every fault in snap destroy leaves the host as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
snap_destroy_body()
{
	require_sim
	sweep_host
	host_sweep jailer snap destroy i1@s0
}

atf_test_case rollback
rollback_head()
{
	atf_set descr 'every fault in rollback of a stopped jail leaves the host as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
rollback_body()
{
	require_sim
	sweep_host
	jailer snap e1@s0 >/dev/null 2>&1 || atf_fail "snap e1 failed"
	host_sweep jailer rollback e1@s0
}

atf_test_case gc
gc_head()
{
	atf_set descr 'every fault in gc -y after a killed stop and start leaves the host as it was (and a rerun completes)'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
gc_body()
{
	require_sim
	sweep_host
	jailer rdr add -p tcp -r 80 e1 >/dev/null 2>&1 || atf_fail "rdr add failed"
	jailer start e1 >/dev/null 2>&1 || atf_fail "start e1 failed"
	# leftovers: a stop killed after jail -r, an epair of a killed start
	jail -f /etc/jail.conf.d/e1.conf -r e1 >/dev/null 2>&1 ||
	    atf_fail "jail -r failed"
	ifconfig epair2 create up >/dev/null 2>&1 ||
	    atf_fail "ifconfig epair2 create failed"
	SWEEP_RERUN=1 host_sweep jailer gc -y
}

atf_test_case edit
edit_head()
{
	atf_set descr 'every fault in edit (a change saved) leaves the host as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
edit_body()
{
	require_sim
	sweep_host
	cat >"$PWD/ed.sh" <<'EOS'
#!/bin/sh
echo "# edited" >>"$1"
EOS
	chmod +x "$PWD/ed.sh"
	EDITOR="$PWD/ed.sh" SWEEP_MIN=1 host_sweep jailer edit e1
}

atf_test_case image_use
image_use_head()
{
	atf_set descr 'every fault in image use leaves the host as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
image_use_body()
{
	require_sim
	sweep_host
	host_sweep jailer image use 14.3-RELEASE
}

atf_test_case network_use
network_use_head()
{
	atf_set descr 'every fault in network use leaves the host as it was'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
network_use_body()
{
	require_sim
	sweep_host
	SWEEP_MIN=1 host_sweep jailer network use eb
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case snap
	atf_add_test_case snap_destroy
	atf_add_test_case rollback
	atf_add_test_case gc
	atf_add_test_case edit
	atf_add_test_case image_use
	atf_add_test_case network_use
}
