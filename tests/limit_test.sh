# jailer limit, limit list, limit del: a jail's rctl(8) rules, kept in its
# conf file as exec.created commands (jail(8) applies them at every
# start), applied live to a running jail, removed by the stop hook.

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# rctl listing and usage, cpuset -g: read only
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig -l$|ifconfig [A-Za-z0-9_.]+$|rctl (-u )?jail:|cpuset -g )'

# r1 [MKHOST ARGS]: a host with racct on, the image and the running p1.
r1()
{
	host_with_image --racct "$@"
	mkjail p1
}

# kernel WANT: the simulated kernel's rules (rctl), exactly WANT.
kernel()
{
	atf_check -s exit:0 -o inline:"$1" -e empty rctl
}

MEM='exec.created += "rctl -a jail:${name}:memoryuse:deny=1g";'
PROC='exec.created += "rctl -a jail:${name}:maxproc:log=100";'

# ---------------------------------------------------------------- cases

atf_test_case stopped
stopped_head()
{
	atf_set descr 'limit on a stopped jail: the conf file only; jail(8) applies the rules at start, the stop hook removes them'
	sim_only "the simulated kernel's rctl rules and the call log"
}
stopped_body()
{
	require_sim
	r1
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:'Limits of p1: written to its conf file, applied at its next start\n' \
	    jailer limit p1 memoryuse=1g maxproc=100:log
	assert_not_called '^rctl -a'
	conf_has "$MEM"
	conf_has "$PROC"
	kernel ''
	atf_check -s exit:0 -e empty -o inline:'JAIL  RESOURCE   AMOUNT  ACTION  USAGE
p1    memoryuse  1g      deny    -
p1    maxproc    100     log     -
' jailer limit list
	assert_not_called '^rctl -u'
	# jail(8) runs the lines: by jailer, and by hand
	atf_check -s exit:0 -o ignore -e empty jailer start p1
	kernel 'jail:p1:maxproc:log=100\njail:p1:memoryuse:deny=1073741824\n'
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	kernel ''
	atf_check -s exit:0 -o ignore -e ignore jail -f "$(jconf p1)" -c p1
	kernel 'jail:p1:maxproc:log=100\njail:p1:memoryuse:deny=1073741824\n'
	atf_check -s exit:0 -o ignore -e ignore jail -f "$(jconf p1)" -r p1
	kernel ''
}

atf_test_case running
running_head()
{
	atf_set descr 'limit on a running jail: applied live, a changed amount replaces the rule, list shows the usage'
	sim_only "the simulated kernel's rctl rules and the call log"
}
running_body()
{
	require_sim
	r1
	calls_reset
	atf_check -s exit:0 -e empty \
	    -o inline:'Limits of p1: written to its conf file and applied to the running jail\n' \
	    jailer limit p1 memoryuse=1g maxproc=100:log
	assert_called 'rctl -a jail:p1:memoryuse:deny=1g'
	assert_called 'rctl -a jail:p1:maxproc:log=100'
	kernel 'jail:p1:maxproc:log=100\njail:p1:memoryuse:deny=1073741824\n'
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=2G
	conf_has 'exec.created += "rctl -a jail:${name}:memoryuse:deny=2g";'
	conf_lacks 'deny=1g'
	kernel 'jail:p1:maxproc:log=100\njail:p1:memoryuse:deny=2147483648\n'
	# the same again: nothing to do
	calls_reset
	atf_check -s exit:0 -e empty -o inline:'p1: nothing to change\n' \
	    jailer limit p1 memoryuse=2g
	assert_not_called '^rctl -[ar]'
	atf_check -s exit:0 -e empty -o inline:'JAIL  RESOURCE   AMOUNT  ACTION  USAGE
p1    maxproc    100     log     3
p1    memoryuse  2g      deny    27336704
' jailer limit list p1
	atf_check -s exit:0 -e empty \
	    -o inline:'[{"jail":"p1","resource":"maxproc","amount":"100","action":"log","usage":"3"},{"jail":"p1","resource":"memoryuse","amount":"2g","action":"deny","usage":"27336704"}]\n' \
	    jailer limit list -j
	# jailer list never asks rctl
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer list
	assert_not_called '^rctl'
}

atf_test_case del
del_head()
{
	atf_set descr 'limit del of one resource and -a, on running and stopped jails'
	sim_only "the simulated kernel's rctl rules and the call log"
}
del_body()
{
	require_sim
	r1
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=1g \
	    maxproc=100:log pcpu=50:sigterm
	atf_check -s exit:0 -e empty \
	    -o inline:'Removal of limits of p1: written to its conf file and applied to the running jail\n' \
	    jailer limit del p1 memoryuse
	conf_lacks memoryuse
	conf_has "$PROC"
	kernel 'jail:p1:maxproc:log=100\njail:p1:pcpu:sigterm=50\n'
	refused 'no such limit' jailer limit del p1 memoryuse
	atf_check -s exit:1 -o empty -e 'inline:jailer: p1: no limit on memoryuse\n' \
	    jailer limit del p1 memoryuse
	atf_check -s exit:0 -o ignore -e empty jailer limit del -a p1
	conf_lacks 'rctl'
	kernel ''
	atf_check -s exit:1 -o empty -e 'inline:jailer: p1: no limits\n' \
	    jailer limit del -a p1
	# stopped: the conf file only
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 openfiles=512
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	kernel ''
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer limit del p1 openfiles
	assert_not_called '^rctl'
	conf_lacks 'rctl'
	atf_check -s exit:0 -o ignore -e empty jailer start p1
	kernel ''
	# a line written by hand with the name instead of ${name}
	sed -i 's/^}$/  exec.created += "rctl -a jail:p1:nsem:deny=10";\n}/' \
	    "$(jconf p1)"
	atf_check -s exit:0 -e empty -o 'inline:JAIL  RESOURCE  AMOUNT  ACTION  USAGE\np1    nsem      10      deny    0\n' \
	    jailer limit list p1
	atf_check -s exit:0 -o ignore -e empty jailer limit del p1 nsem
	conf_lacks 'rctl'
}

atf_test_case reboot
reboot_head()
{
	atf_set descr 'after a reboot the kernel forgot the rules and rc.d/jail gets them back from the conf file'
	sim_only "the simulated host's reboot"
}
reboot_body()
{
	require_sim
	r1
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=1g \
	    readbps=10m:throttle
	kernel 'jail:p1:memoryuse:deny=1073741824\njail:p1:readbps:throttle=10485760\n'
	atf_check -s exit:0 -o ignore -e ignore "$FAKEBSD_BIN/reboot"
	assert_running p1
	kernel 'jail:p1:memoryuse:deny=1073741824\njail:p1:readbps:throttle=10485760\n'
	# racct off at the next boot: rc.d/jail's jail(8) fails the start
	# (documented); jailer start refuses before jail -c and says why.
	echo 'kern.racct.enable=0' >"$JAILER_ROOT/boot/loader.conf"
	atf_check -s exit:0 -o ignore -e ignore "$FAKEBSD_BIN/reboot"
	assert_stopped p1
	calls_reset
	atf_check -s exit:1 -o ignore \
	    -e match:'^jailer: p1: it has resource limits, but they are disabled in the kernel \(kern.racct.enable is not 1\): add kern.racct.enable=1 to /boot/loader.conf and reboot \(or remove them: jailer limit del -a p1\)$' \
	    jailer start p1
	assert_not_called 'jail -f'
	assert_stopped p1
	# limit del -a needs no racct, and then the jail starts.
	atf_check -s exit:0 -o ignore -e empty jailer limit del -a p1
	atf_check -s exit:0 -o ignore -e empty jailer start p1
}

atf_test_case hook_quiet
hook_quiet_head()
{
	atf_set descr 'the stop hook runs no rctl for a jail without limits, and no rctl -r when the kernel has none of its rules'
	sim_only "the call log"
}
hook_quiet_body()
{
	require_sim
	r1
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	assert_not_called '^rctl'
	atf_check -s exit:0 -o ignore -e empty jailer start p1
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 nthr=64
	atf_check -s exit:0 -o empty -e empty rctl -r jail:p1
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	assert_called 'rctl jail:p1:'
	assert_not_called '^rctl -r'
	atf_check -s exit:0 -o empty -e empty jailer hook stop p1
}

atf_test_case racct_off
racct_off_head()
{
	atf_set descr 'kern.racct.enable=0: limit refuses with the fix, host unchanged'
	sim_only "a host made by mkhost without --racct"
}
racct_off_body()
{
	require_sim
	host_with_image
	mkjail p1
	save_norm before
	refused racct jailer limit p1 memoryuse=1g
	atf_check -s exit:1 -o empty -e 'inline:jailer: p1: resource limits are disabled in the kernel (kern.racct.enable is not 1): add kern.racct.enable=1 to /boot/loader.conf and reboot\n' \
	    jailer limit p1 memoryuse=1g
	assert_norm before
	# listing without rules does not need racct
	atf_check -s exit:0 -o 'inline:JAIL  RESOURCE  AMOUNT  ACTION  USAGE\n' \
	    -e empty jailer limit list
}

atf_test_case hostile
hostile_head()
{
	atf_set descr 'bad resources, amounts and actions, each refused with one line, host unchanged'
	sim_only "the call log (refused)"
}
hostile_body()
{
	require_sim
	r1
	save_norm before
	for a in 'memoryuse' 'bogus=1' 'memoryuse=' 'memoryuse=1x' \
	    'memoryuse=-1' 'memoryuse=1gg' 'maxproc=10k' 'memoryuse=1g:nuke' \
	    'memoryuse=1g:sigfoo' 'cputime=10:deny' 'readbps=1m:deny' \
	    'memoryuse=1g:throttle' 'memoryuse=99999999999999999999' \
	    'memoryuse=9e' 'pcpu=1000000' 'memoryuse=1g;rm' \
	    "$(printf 'memoryuse=1\033[2J')" 'memoryuse=1g memoryuse=2g'; do
		# shellcheck disable=SC2086
		refused "$a" jailer limit p1 $a
	done
	refused 'deny twice' jailer limit p1 memoryuse=1g memoryuse=2g:deny
	refused 'bad jail' jailer limit '../x' memoryuse=1g
	refused 'no jail' jailer limit nosuch memoryuse=1g
	refused 'no args' jailer limit p1
	refused 'del bad' jailer limit del p1 bogus
	refused 'del both' jailer limit del -a p1 memoryuse
	refused 'del none' jailer limit del p1
	refused 'list no jail' jailer limit list nosuch
	atf_check -s exit:1 -o empty -e 'inline:jailer: nosuch: no such jail\n' \
	    jailer limit list nosuch
	refused 'list two' jailer limit list p1 p1
	atf_check -s exit:2 -o empty -e match:'^jailer limit: ' jailer limit p1
	atf_check -s exit:1 -o empty \
	    -e 'inline:jailer: p1: cputime cannot deny (rctl(8)); use log, devctl or a signal\n' \
	    jailer limit p1 cputime=10
	atf_check -s exit:1 -o empty \
	    -e 'inline:jailer: p1: unknown resource '"'"'bogus'"'"' (see jailer(8), LIMITS)\n' \
	    jailer limit p1 bogus=1
	assert_norm before
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'limit -D and limit del -D show the change and the rctl commands, run nothing'
	sim_only "the call log"
}
dry_run_body()
{
	require_sim
	r1
	save_norm before
	calls_reset
	atf_check -s exit:0 -e empty -o save:raw jailer limit -D p1 memoryuse=1g
	sed -E 's/^ +//; s/ +/ /g' raw >out
	assert_no_mutation
	grep -qxF '+ exec.created += "rctl -a jail:${name}:memoryuse:deny=1g";' out ||
	    { cat out; atf_fail "no diff line"; }
	grep -qxF 'rctl -a jail:p1:memoryuse:deny=1g' out ||
	    { cat out; atf_fail "no rctl line"; }
	assert_norm before
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=1g
	save_norm after
	calls_reset
	atf_check -s exit:0 -e empty -o save:out jailer limit del -D p1 memoryuse
	assert_no_mutation
	grep -q '^- exec.created *+= "rctl -a' out || { cat out; atf_fail "no diff"; }
	assert_norm after
}

atf_test_case faults_limit
faults_limit_head()
{
	atf_set descr 'fault sweep of limit on a running jail (new and replaced rules)'
	sim_only "fault injection (FAKEBSD_FAIL) on the simulated host (host_sweep)"
}
faults_limit_body()
{
	require_sim
	r1
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=1g
	host_sweep jailer limit p1 memoryuse=2g maxproc=50:sigkill
}

atf_test_case faults_del
faults_del_head()
{
	atf_set descr 'fault sweep of limit del and del -a on a running jail'
	sim_only "fault injection (FAKEBSD_FAIL) on the simulated host (host_sweep)"
}
faults_del_body()
{
	require_sim
	r1
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=1g \
	    maxproc=50 writeiops=100:throttle
	host_sweep jailer limit del p1 memoryuse
	host_sweep jailer limit del -a p1
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case stopped
	atf_add_test_case running
	atf_add_test_case del
	atf_add_test_case reboot
	atf_add_test_case hook_quiet
	atf_add_test_case racct_off
	atf_add_test_case hostile
	atf_add_test_case dry_run
	atf_add_test_case faults_limit
	atf_add_test_case faults_del
}
