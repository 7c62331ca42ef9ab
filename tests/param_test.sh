# jailer set and get: the whitelisted jail(8) parameters of a jail's conf
# file, applied to a running jail with jail -m where jail(8) allows it.

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# p1 [ARGS]: a host with the image and the running jail p1 (mkjail ARGS).
p1()
{
	host_with_image
	mkjail p1 "$@"
}

# ---------------------------------------------------------------- cases

atf_test_case set_get_stopped
set_get_stopped_head()
{
	atf_set descr 'set and get of each type on a stopped jail: the conf file, get and get -j, and the jail starts with them'
	sim_only "starts the simulated jail and reads jls (require_sim)"
}
set_get_stopped_body()
{
	require_sim
	p1
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	calls_reset
	atf_check -s exit:0 -o inline:'Setting parameters of p1: Done!\n' \
	    -e empty jailer set p1 allow.raw_sockets=on allow.mount=false \
	    enforce_statfs=1 sysvshm=new osrelease=13.2-RELEASE \
	    host.hostname=web.example.org mount.procfs=true children.max=3
	assert_not_called '^jail '
	conf_has 'allow.raw_sockets;'
	conf_has 'allow.mount = "false";'
	conf_has 'enforce_statfs = "1";'
	conf_has 'sysvshm = "new";'
	conf_has 'mount.procfs;'
	conf_has 'children.max = "3";'
	conf_has 'osrelease = "13.2-RELEASE";'
	conf_has 'host.hostname = "web.example.org";'
	cat >want <<'W'
PARAM              VALUE
allow.raw_sockets  true
allow.mount        false
mount.procfs       true
enforce_statfs     1
children.max       3
devfs_ruleset      4
sysvshm            new
osrelease          13.2-RELEASE
host.hostname      web.example.org
boot               on
W
	jailer get p1 >got || atf_fail "get failed"
	atf_check -s exit:0 -o empty diff -u want got
	atf_check -s exit:0 -o inline:'PARAM           VALUE\nenforce_statfs  1\nsecurelevel     -\n' \
	    -e empty jailer get p1 enforce_statfs securelevel
	atf_check -s exit:0 \
	    -o inline:'{"enforce_statfs":"1","allow.raw_sockets":"true"}\n' \
	    -e empty jailer get -j p1 enforce_statfs securelevel allow.raw_sockets
	# The conf file still passes jail(8): the jail starts with them.
	atf_check -s exit:0 -o ignore -e empty jailer start p1
	atf_check -s exit:0 -o inline:'true 1 new 13.2-RELEASE web.example.org\n' \
	    jls -j p1 allow.raw_sockets enforce_statfs sysvshm osrelease host.hostname
	# -u removes them.
	atf_check -s exit:0 -o ignore -e empty \
	    jailer set p1 -u allow.raw_sockets osrelease
	conf_lacks allow.raw_sockets
	conf_lacks osrelease
	conf_has 'enforce_statfs = "1";'
}

atf_test_case set_running
set_running_head()
{
	atf_set descr 'set on a running jail: jail -m for what jail(8) changes on a running jail, the rest at the next start'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
set_running_body()
{
	require_sim
	p1
	mkjail p2
	calls_reset
	atf_check -s exit:0 -o inline:'Setting parameters of p1: Done!
osrelease takes effect at the next start of p1
depend takes effect at the next start of p1
' -e empty jailer set p1 allow.raw_sockets=true enforce_statfs=1 \
	    osrelease=13.2-RELEASE depend=p2 securelevel=2
	assert_called 'jail -m name=p1 allow.raw_sockets=true enforce_statfs=1 securelevel=2'
	atf_check -s exit:0 -o inline:'true 1 2\n' \
	    jls -j p1 allow.raw_sockets enforce_statfs securelevel
	# securelevel only goes up on a running jail.
	calls_reset
	atf_check -s exit:0 -o inline:'Setting parameters of p1: Done!
securelevel takes effect at the next start of p1
' -e empty jailer set p1 securelevel=1
	assert_not_called '^jail -m'
	conf_has 'securelevel = "1";'
	atf_check -s exit:0 -o inline:'2\n' jls -j p1 securelevel
	# -u on a running jail: the next start.
	atf_check -s exit:0 -o inline:'Setting parameters of p1: Done!
enforce_statfs takes effect at the next start of p1
' -e empty jailer set p1 -u enforce_statfs
	atf_check -s exit:0 -o ignore -e empty jailer restart p1
	atf_check -s exit:0 -o inline:'2 1 13.2-RELEASE\n' \
	    jls -j p1 enforce_statfs securelevel osrelease
}

atf_test_case jail_m_fails
jail_m_fails_head()
{
	atf_set descr 'a failing jail -m puts the conf file back'
	sim_only "makes the simulated jail -m fail (FAKEBSD_FAIL)"
}
jail_m_fails_body()
{
	require_sim
	p1
	cp "$(jconf p1)" before.conf
	save_norm before
	FAKEBSD_FAIL='jail -m' atf_check -s exit:1 -o match:'Failed!' \
	    -e match:'^jailer: p1: ' jailer set p1 allow.chflags=true
	atf_check -s exit:0 -o empty diff -u before.conf "$(jconf p1)"
	assert_norm before
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'set -D prints the conf change and the jail -m command and changes nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
dry_run_body()
{
	require_sim
	p1
	save_norm before
	calls_reset
	jailer set -D p1 allow.raw_sockets=on osrelease=13.2-RELEASE >out 2>err ||
	    { cat out err; atf_fail "set -D failed"; }
	atf_check -s exit:0 -o empty cat err
	atf_check -s exit:0 -o ignore grep -xF '+ allow.raw_sockets;' out
	atf_check -s exit:0 -o ignore grep -F 'jail -m name=p1 allow.raw_sockets=true' out
	atf_check -s exit:0 -o ignore \
	    grep -xF 'osrelease takes effect at the next start of p1' out
	assert_no_mutation "set -D"
	assert_norm before
	conf_lacks allow.raw_sockets
}

atf_test_case hostile
hostile_head()
{
	atf_set descr 'unknown parameters, bad types, out-of-range and hostile values: one error, host unchanged'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
hostile_body()
{
	require_sim
	p1
	mkjail p2
	save_norm before
	for a in 'path=/' 'exec.start=/bin/sh' 'allow.raw_sockets=maybe' \
	    'enforce_statfs=3' 'enforce_statfs=-1' 'enforce_statfs=1x' \
	    'securelevel=4' 'devfs_ruleset=70000' 'sysvmsg=yes' \
	    'osrelease=13.2 RELEASE' 'osrelease=a;b' 'host.hostname=a b' \
	    'host.hostname=x;exec.start=sh' 'host.hostname=$(id)' \
	    "host.hostname=a\"b" "host.hostname=$(printf 'a\nb')" \
	    'host.hostname=-bad' 'depend=p1' 'depend=nosuch' \
	    'depend=p2;x' 'boot=maybe' 'children.max=99999999999' \
	    'allow.raw_sockets' 'noparam=1' 'osreldate=0'; do
		refused "set $a" jailer set p1 "$a"
	done
	refused "-u with a value" jailer set p1 -u enforce_statfs=1
	refused "-u unknown" jailer set p1 -u path
	refused "twice" jailer set p1 enforce_statfs=1 enforce_statfs=0
	refused "no jail" jailer set nosuch enforce_statfs=1
	refused "no params" jailer set p1
	refused "get unknown" jailer get p1 path
	refused "get no jail" jailer get nosuch
	# A bad one among good ones changes nothing either.
	refused "mixed" jailer set p1 enforce_statfs=1 securelevel=9
	assert_norm before
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: p1: enforce_statfs: 3 is out of range (0 to 2)\n" \
	    jailer set p1 enforce_statfs=3
	atf_check -s exit:2 -o empty -e match:'^usage' jailer set p1
}

atf_test_case depend_checks
depend_checks_head()
{
	atf_set descr 'depend: existing jailer jails, not itself, no cycle; written as a list'
	sim_only "asserts the simulated host's state (require_sim)"
}
depend_checks_body()
{
	require_sim
	p1
	mkjail p2
	mkjail p3
	atf_check -s exit:0 -o ignore -e empty jailer set p1 depend=p2,p3
	conf_has '$depend_on = "p2", "p3";'
	atf_check -s exit:0 -o inline:'PARAM   VALUE\ndepend  p2,p3\n' \
	    jailer get p1 depend
	atf_check -s exit:0 -o ignore -e empty jailer set p2 depend=p3
	save_norm before
	atf_check -s exit:1 -o ignore \
	    -e inline:'jailer: p3: depend: p1 already depends on p3: that would be a cycle\n' \
	    jailer set p3 depend=p1
	refused "indirect cycle" jailer set p3 depend=p2
	assert_norm before
}

atf_test_case jail_m_strict
jail_m_strict_head()
{
	atf_set descr 'the simulated jail -m refuses what jail(8) refuses on a running jail'
	sim_only "tests the simulated jail(8) itself"
}
jail_m_strict_body()
{
	require_sim
	p1
	atf_check -s exit:0 -o ignore -e empty jail -m name=p1 securelevel=2
	atf_check -s exit:1 -o empty -e match:'Operation not permitted' \
	    jail -m name=p1 securelevel=1
	atf_check -s exit:1 -o empty -e match:'cannot be changed after creation' \
	    jail -m name=p1 osrelease=13.2-RELEASE
	atf_check -s exit:1 -o empty -e match:'unknown parameter' \
	    jail -m name=p1 nosuch=1
	atf_check -s exit:0 -o inline:'2\n' jls -j p1 securelevel
}

atf_test_case faults_running
faults_running_head()
{
	atf_set descr 'fault sweep of set on a running jail'
	sim_only "fault injection (FAKEBSD_FAIL) on the simulated host (host_sweep)"
}
faults_running_body()
{
	require_sim
	p1
	host_sweep jailer set p1 allow.raw_sockets=true enforce_statfs=1 \
	    osrelease=13.2-RELEASE
}

atf_test_case faults_boot
faults_boot_head()
{
	atf_set descr 'fault sweep of set boot=off (the conf file and rc.conf jail_list)'
	sim_only "fault injection (FAKEBSD_FAIL) on the simulated host (host_sweep)"
}
faults_boot_body()
{
	require_sim
	p1
	mkjail p2
	SWEEP_MIN=1 host_sweep jailer set p1 boot=off
}

atf_test_case set_unchanged
set_unchanged_head()
{
	atf_set descr 'set of values the conf file already has (and -u of unset ones) changes nothing and runs no jail -m; -D -j says changed false; a mixed set applies only the new value'
	sim_only "starts the simulated jail and reads jls (require_sim)"
}
set_unchanged_body()
{
	require_sim
	p1
	mkjail p2
	atf_check -s exit:0 -o ignore -e empty jailer set p1 \
	    allow.raw_sockets=on enforce_statfs=1 depend=p2 boot=off
	cp "$(jconf p1)" conf.before
	calls_reset
	atf_check -s exit:0 \
	    -o inline:'p1: the parameters are already set; nothing to do\n' \
	    -e empty jailer set p1 allow.raw_sockets=yes enforce_statfs=1 \
	    depend=p2 boot=off
	atf_check -s exit:0 \
	    -o inline:'p1: the parameters are already set; nothing to do\n' \
	    -e empty jailer set p1 -u allow.mount securelevel
	atf_check -s exit:0 -o inline:'{"command": "set", "changed": false, "changes": []}\n' \
	    -e empty jailer set -D -j p1 allow.raw_sockets=true boot=off
	assert_not_called '^(jail|sysrc) '
	atf_check -s exit:0 -o empty cmp conf.before "$(jconf p1)"
	calls_reset
	atf_check -s exit:0 -o inline:'Setting parameters of p1: Done!\n' \
	    -e empty jailer set p1 allow.raw_sockets=on allow.mount=on
	atf_check -s exit:0 -o match:'^jail -m name=p1 allow.mount=true$' \
	    grep '^jail ' "$JAILER_ROOT/.fakebsd/calls.log"
	conf_has 'allow.mount;'
	conf_has 'allow.raw_sockets;'
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case set_get_stopped
	atf_add_test_case set_running
	atf_add_test_case jail_m_fails
	atf_add_test_case dry_run
	atf_add_test_case set_unchanged
	atf_add_test_case hostile
	atf_add_test_case depend_checks
	atf_add_test_case jail_m_strict
	atf_add_test_case faults_running
	atf_add_test_case faults_boot
}
