# jailer apply and create -T: templates (jailer-template(5)) checked
# whole before anything runs, applied after a snapshot, rolled back at
# the first failing line; the examples of share/templates.

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# tmpl NAME: write stdin to the host file /tmpl/NAME (under JAILER_ROOT).
tmpl()
{
	mkdir -p "$JAILER_ROOT/tmpl"
	cat >"$JAILER_ROOT/tmpl/$1"
}

# example NAME: share/templates/NAME installed as make install does.
example()
{
	mkdir -p "$JAILER_ROOT/usr/local/share/jailer/templates"
	cp "$(atf_get_srcdir)/src/../share/templates/$1" \
	    "$JAILER_ROOT/usr/local/share/jailer/templates/$1" ||
	    atf_fail "no share/templates/$1"
}

# snaps NAME: the jail's jailer-apply snapshots.
snaps()
{
	zfs list -H -o name -t snapshot -r "zroot/jails/$1" |
	    sed -n 's/.*@\(jailer-apply-.*\)/\1/p'
}

# pkg_ready: the host's pkg(8) bootstrapped (pkg -j needs it).
pkg_ready()
{
	env ASSUME_ALWAYS_YES=yes pkg bootstrap -y >/dev/null 2>&1 ||
	    atf_fail "pkg bootstrap failed"
}

# t_norm [KEY.PATH...]: host_norm_state with what a restart of a jail and
# the clock change left out: the jails' console logs, the times create
# and jail(8) record, the time in the name of apply's snapshot.
t_norm()
{
	host_norm_state rctl "$@" | sed -E \
	    -e '\|^f [0-7]+ [0-9a-f]+ var/log/jail/[^/]+\.log$|d' \
	    -e '/^ *"(creation|created)": /d' \
	    -e 's/jailer-apply-[0-9]{8}-[0-9]{6}/jailer-apply-STAMP/'
}

# The keys of a running jail a restart changes.
RESTARTED='jails.w1.jid jails.w1.params.jid jails.w1.commands'

# no_apply_snaps NAME: no jailer-apply snapshot of the jail is left.
no_apply_snaps()
{
	[ -z "$(snaps "$1")" ] || atf_fail "snapshot left: $(snaps "$1")"
}

# ---------------------------------------------------------------- cases

atf_test_case nginx_example
nginx_example_head()
{
	atf_set descr 'share/templates/nginx: package, rc.conf, service, rdr; the snapshot is kept'
	sim_only "pf and packages of the simulated host (require_sim)"
}
nginx_example_body()
{
	require_sim
	pf_host
	mkjail w1 -t eb -a 10.0.0.10
	example nginx
	atf_check -s exit:0 -o save:out -e empty \
	    jailer apply -a port=8081 w1 /usr/local/share/jailer/templates/nginx
	atf_check -s exit:0 -o match:'^/usr/local/share/jailer/templates/nginx:11: PKG install -y nginx$' \
	    -o match:'^/usr/local/share/jailer/templates/nginx:14: RDR tcp 8081 80$' \
	    -o match:'^Applied /usr/local/share/jailer/templates/nginx to w1; the snapshot before it: w1@jailer-apply-[0-9]{8}-[0-9]{6}$' \
	    cat out
	[ -f "$(jroot w1)/usr/local/sbin/nginx" ] || atf_fail "nginx not installed"
	check_rc w1 nginx_enable YES
	atf_check -s exit:0 -o match:'^nginx is running as pid' -e empty \
	    jailer service w1 nginx status
	atf_check -s exit:0 -o match:'8081' -e empty jailer rdr list w1
	[ "$(snaps w1 | wc -l)" = 1 ] || atf_fail "expected one snapshot"
	# The host's own packages and rc.conf are not the jail's.
	grep -q nginx "$JAILER_ROOT/etc/rc.conf" && atf_fail "host rc.conf changed"
	[ -e "$JAILER_ROOT/usr/local/sbin/nginx" ] && atf_fail "nginx on the host"
	return 0
}

atf_test_case postgresql_example
postgresql_example_head()
{
	atf_set descr 'share/templates/postgresql: package, nullfs data mount, memory limit, sysvipc, service'
	sim_only "mounts, rctl and packages of the simulated host (require_sim)"
}
postgresql_example_body()
{
	require_sim
	host_with_image --racct
	pkg_ready
	mkjail d1
	mkdir -p "$JAILER_ROOT/srv/pg"
	example postgresql
	# data has no default.
	refused "no data" jailer apply d1 /usr/local/share/jailer/templates/postgresql
	atf_check -s exit:0 -o ignore -e empty jailer apply -a data=/srv/pg \
	    --arg memory=1g d1 /usr/local/share/jailer/templates/postgresql
	grep -q '^/srv/pg /usr/local/jails/d1/var/db/postgres nullfs rw' \
	    "$JAILER_ROOT/etc/jail.conf.d/d1.fstab" ||
	    atf_fail "no fstab line"
	mount -p | grep -q '/usr/local/jails/d1/var/db/postgres' ||
	    atf_fail "not mounted"
	grep -q 'rctl -a jail:${name}:memoryuse:deny=1g' "$(jconf d1)" ||
	    { cat "$(jconf d1)"; atf_fail "no limit"; }
	grep -q 'allow.sysvipc' "$(jconf d1)" || atf_fail "no allow.sysvipc"
	atf_check -s exit:0 -o match:'is running' -e empty \
	    jailer service d1 postgresql status
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'apply -D prints the snapshot and every command and runs nothing'
	sim_only "reads the simulated call log (require_sim)"
}
dry_run_body()
{
	require_sim
	host_with_image --racct
	mkjail t1
	mkdir -p "$JAILER_ROOT/srv/data"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl t <<'EOF2'
ARG who=world
PKG install -y nginx
SYSRC "greeting=hello ${who}"
SERVICE nginx start
CMD /bin/echo ${name}
CP /srv/f /etc/f
MOUNT /srv/data /data
LIMIT memoryuse=1g
RDR tcp 8080 80
SET allow.sysvipc=true
EOF2
	save_host
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer apply -D -a who=you t1 /tmpl/t
	cat >expected <<'EOF2'
Snapshot =>
  zfs snapshot zroot/jails/t1@jailer-apply-STAMP
/tmpl/t:2: PKG install -y nginx
  pkg -j t1 install -y nginx
/tmpl/t:3: SYSRC 'greeting=hello you'
  sysrc -j t1 'greeting=hello you'
/tmpl/t:4: SERVICE nginx start
  service -j t1 nginx start
/tmpl/t:5: CMD /bin/echo t1
  jexec -l -U root t1 /bin/echo t1
/tmpl/t:6: CP /srv/f /etc/f
  copy /srv/f to /usr/local/jails/t1/etc/f (mode 0644, no symlink followed)
/tmpl/t:7: MOUNT /srv/data /data
  jailer mount t1 /srv/data /data
/tmpl/t:8: LIMIT memoryuse=1g
  jailer limit t1 memoryuse=1g
/tmpl/t:9: RDR tcp 8080 80
  jailer rdr add -p tcp -r 8080 -d 80 t1
/tmpl/t:10: SET allow.sysvipc=true
  jailer set t1 allow.sysvipc=true
EOF2
	sed -E 's/jailer-apply-[0-9]{8}-[0-9]{6}/jailer-apply-STAMP/' out >out.n
	atf_check -s exit:0 -o empty diff -u expected out.n
	assert_no_mutation "apply -D"
	assert_host_unchanged
}

atf_test_case hostile_lines
hostile_lines_head()
{
	atf_set descr 'a hostile or wrong line is refused with its line number before anything runs'
	sim_only "reads the simulated call log (refused)"
}
hostile_lines_body()
{
	require_sim
	host_with_image
	mkjail t1
	cat >lines <<'EOF2'
CMD /bin/echo a; rm -rf /
CMD /bin/echo $(id)
CMD /bin/echo `id`
CMD /bin/echo a | cat
CMD /bin/echo a && id
CMD /bin/echo a > /etc/x
CMD /bin/echo a\ b
CMD /bin/echo $HOME
CP /srv/../etc/master.passwd /etc/x
CP /srv/f /etc/../x
CP /srv/f ../x
MOUNT /srv/../etc /data
MOUNT /srv /data/../..
CMD ../bin/sh
PKG install ${y}
PKG install "unterminated
FROB x
pkg install nginx
SYSRC a;b=1
SERVICE -x start
RDR icmp 80
RDR tcp 80x
MOUNT relative /data
MOUNT /srv /data xx
LIMIT ../x
SET a
CP /srv/f
ARG x=2
ARG name=web
EOF2
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf 'ARG x=1\nSYSRC a=1\n%s\n' "$line" | tmpl "h$n"
	done <lines
	printf 'ARG v=1\nCMD /bin/echo ${v}\n' | tmpl a1
	printf '# only a comment\n\n' | tmpl empty
	printf 'SYSRC a=1\r\n' | tmpl cr
	printf 'SYSRC a=1\nCMD /bin/echo \001\n' | tmpl ctl
	save_host
	refused "carriage return" jailer apply t1 /tmpl/cr
	refused "control character" jailer apply t1 /tmpl/ctl
	grep -q '^jailer: /tmpl/ctl:2: a control character' .err || atf_fail "ctl"
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		refused "line '$line'" jailer apply t1 "/tmpl/h$n"
		grep -q "^jailer: /tmpl/h$n:3: " .err ||
		    { cat .err; atf_fail "'$line': no line number"; }
	done <lines
	# An ARG value from -a is checked the same way.
	refused "-a ;" jailer apply -a 'v=a;b' t1 /tmpl/a1
	refused "-a newline" jailer apply -a 'v=a
b' t1 /tmpl/a1
	refused "-a \$(" jailer apply -a 'v=$(id)' t1 /tmpl/a1
	refused "-a .." jailer apply -a 'v=/x/../y' t1 /tmpl/a1
	refused "-a undeclared" jailer apply -a 'w=1' t1 /tmpl/a1
	refused "-a no =" jailer apply -a 'v' t1 /tmpl/a1
	refused "no instructions" jailer apply t1 /tmpl/empty
	refused "no file" jailer apply t1 /tmpl/nosuch
	refused "no jail" jailer apply nosuch /tmpl/a1
	refused "usage" jailer apply t1
	assert_host_unchanged
}

atf_test_case quoting_and_args
quoting_and_args_head()
{
	atf_set descr 'words, quotes, ${NAME} and ARG defaults become the programs'"'"' argv, without a shell'
	sim_only "reads the simulated call log (require_sim)"
}
quoting_and_args_body()
{
	require_sim
	host_with_image
	mkjail t1
	tmpl q <<'EOF2'
# comment
   # indented comment

ARG greeting=hello
ARG who
SYSRC "motd=${greeting}, ${who}!" 'raw=${greeting}' plain=a"b c"d
CMD /bin/echo ${name}
EOF2
	calls_reset
	atf_check -s exit:0 -o save:out -e empty jailer apply --arg who=you t1 /tmpl/q
	assert_called "sysrc -j t1 'motd=hello, you!' 'raw=\${greeting}' 'plain=ab cd'"
	assert_called "jexec -l -U root t1 /bin/echo t1"
	check_rc t1 motd 'hello, you!'
	atf_check -s exit:0 -o match:'^t1$' cat out
}

atf_test_case failure_rolls_back_running
failure_rolls_back_running_head()
{
	atf_set descr 'the first failing line: its error, the jail'"'"'s files and the host as before, the jail running again, no snapshot left'
	sim_only "compares the simulated host (require_sim)"
}
failure_rolls_back_running_body()
{
	require_sim
	pf_host --racct
	mkjail w1 -t new -b vtnet0
	mkdir -p "$JAILER_ROOT/srv/data"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl bad <<'EOF2'
SYSRC a=1
CP /srv/f /etc/f
MOUNT /srv/data /data rw
LIMIT maxproc=100
RDR tcp 8080 80
SET allow.sysvipc=true
PKG install -y nosuchpackage
SYSRC b=2
EOF2
	NORM_STATE=t_norm save_norm before $RESTARTED
	atf_check -s exit:1 -o save:out -e save:err jailer apply w1 /tmpl/bad
	one_error err
	atf_check -s exit:0 -o match:"^jailer: /tmpl/bad:7: PKG install -y nosuchpackage: pkg -j w1 install -y nosuchpackage: pkg: No packages available" cat err
	grep -q 'SYSRC b=2' out && atf_fail "a line after the failure ran"
	assert_running w1
	[ -e "$(jroot w1)/etc/f" ] && atf_fail "the copied file is left"
	check_rc w1 a ''
	no_apply_snaps w1
	NORM_STATE=t_norm assert_norm before $RESTARTED
}

atf_test_case failure_rolls_back_stopped
failure_rolls_back_stopped_head()
{
	atf_set descr 'a failing host-side line on a stopped jail: the host exactly as before'
	sim_only "compares the simulated host (require_sim)"
}
failure_rolls_back_stopped_body()
{
	require_sim
	host_with_image --racct
	mkjail s1
	atf_check -s exit:0 -o ignore -e empty jailer stop s1
	mkdir -p "$JAILER_ROOT/srv/data"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl bad <<'EOF2'
CP /srv/f /etc/f
MOUNT /srv/data /data
LIMIT maxproc=100
SET allow.sysvipc=true
MOUNT /srv/missing /other
EOF2
	save_host
	atf_check -s exit:1 -o ignore -e save:err jailer apply s1 /tmpl/bad
	one_error err
	atf_check -s exit:0 -o match:'^jailer: /tmpl/bad:5: MOUNT /srv/missing /other: ' cat err
	assert_stopped s1
	assert_host_unchanged
	# In-jail lines need a running jail: refused before anything runs.
	printf 'SYSRC a=1\n' | tmpl injail
	refused "stopped" jailer apply s1 /tmpl/injail
}

atf_test_case sweep_apply_stopped
sweep_apply_stopped_head()
{
	atf_set descr 'fault sweep of apply (CP, MOUNT, LIMIT, SET) on a stopped jail'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_apply_stopped_body()
{
	require_sim
	host_with_image --racct
	mkjail s1
	atf_check -s exit:0 -o ignore -e empty jailer stop s1
	mkdir -p "$JAILER_ROOT/srv/data"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl t <<'EOF2'
CP /srv/f /etc/f
MOUNT /srv/data /data
LIMIT maxproc=100
SET allow.sysvipc=true
EOF2
	NORM_STATE=t_norm host_sweep jailer apply s1 /tmpl/t
}

atf_test_case sweep_apply_running
sweep_apply_running_head()
{
	atf_set descr 'fault sweep of apply (PKG, SYSRC, SERVICE, CP, MOUNT, LIMIT, RDR, CMD) on a running jail: always rolled back and running'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_apply_running_body()
{
	require_sim
	pf_host --racct
	mkjail w1 -t new -b vtnet0
	mkdir -p "$JAILER_ROOT/srv/data"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl t <<'EOF2'
PKG install -y nginx
SYSRC nginx_enable=YES
CP /srv/f /usr/local/www/index.html
MOUNT /srv/data /data
LIMIT maxproc=100
RDR tcp 8080 80
SERVICE nginx start
CMD /bin/echo done
EOF2
	NORM_STATE=t_norm SWEEP_DROP=$RESTARTED host_sweep \
	    jailer apply w1 /tmpl/t
	assert_running w1
}

# isweep JAIL [KEY.PATH...]: SIGTERM apply JAIL /tmpl/t at each of its
# calls (a copy of the host each time); every apply the signal ends must
# exit 1 with an error and leave the host as before (t_norm, without the
# keys given).
isweep()
{
	local j=$1 n k hits
	shift
	NORM_STATE=t_norm save_norm before "$@"
	rm -rf "$PWD/base"
	cp -a "$JAILER_ROOT" "$PWD/base" || atf_fail "cannot copy the host"
	calls_reset
	jailer apply "$j" /tmpl/t >out 2>err || { cat err; atf_fail "apply failed"; }
	n=$(calls_count)
	hits=0
	k=2
	while [ "$k" -lt "$n" ]; do
		rm -rf "$JAILER_ROOT"
		cp -a "$PWD/base" "$JAILER_ROOT"
		KILL_SIG=TERM kill_at_call $k apply "$j" /tmpl/t
		k=$((k + 1))
		[ "$KILLED" = yes ] && [ "$RC" != 0 ] || continue
		hits=$((hits + 1))
		[ "$RC" = 1 ] && grep -q '^jailer: ' run.err ||
		    { cat run.out run.err; atf_fail "at $AT: exit $RC"; }
		NORM_STATE=t_norm assert_norm before "$@"
	done
	[ "$hits" -gt 0 ] || atf_fail "no signal came in time"
}

atf_test_case interrupted
interrupted_head()
{
	atf_set descr 'SIGTERM in the middle of an apply (stopped and running jail): the lines done are rolled back'
	sim_only "signals jailer at a call of the simulated host (kill_at_call)"
}
interrupted_body()
{
	require_sim
	host_with_image --racct
	mkjail s1
	atf_check -s exit:0 -o ignore -e empty jailer stop s1
	mkdir -p "$JAILER_ROOT/srv/data"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl t <<'EOF2'
CP /srv/f /etc/f
MOUNT /srv/data /data
LIMIT maxproc=100
SET allow.sysvipc=true
EOF2
	isweep s1
	rm -rf "$JAILER_ROOT"
	cp -a "$PWD/base" "$JAILER_ROOT"
	atf_check -s exit:0 -o ignore -e empty jailer destroy s1
	mkjail w1 -t new -b vtnet0
	tmpl t <<'EOF2'
SYSRC a=1
CP /srv/f /etc/f
MOUNT /srv/data /data
LIMIT maxproc=100
CMD /bin/echo done
EOF2
	isweep w1 $RESTARTED
	assert_running w1
}

atf_test_case create_template
create_template_head()
{
	atf_set descr 'create -T applies a template to the new jail; a failing one destroys it again; a bad one is refused before create'
	sim_only "reads the simulated call log (require_sim)"
}
create_template_body()
{
	require_sim
	host_with_image
	tmpl ok <<'EOF2'
ARG greeting=hi
SYSRC motd=${greeting}
CMD /bin/echo ${name}
EOF2
	atf_check -s exit:0 -o save:out -e empty \
	    jailer create -T /tmpl/ok -A greeting=hello c1
	atf_check -s exit:0 -o match:'^Creating c1: Done!$' \
	    -o match:'^Applied /tmpl/ok to c1' cat out
	check_rc c1 motd hello
	assert_running c1
	atf_check -s exit:0 -o match:'^Template /tmpl/ok =>$' \
	    -o match:'^  SYSRC motd=hi$' -e empty jailer create -D -T /tmpl/ok c9
	# A failing template: one error, the jail destroyed.
	printf 'SYSRC a=1\nCMD /bin/false\n' | tmpl fails
	save_host_restorable
	atf_check -s exit:1 -o match:'^Creating c2: Failed!$' -e save:err \
	    jailer create -T /tmpl/fails c2
	one_error err
	atf_check -s exit:0 -o match:'^jailer: c2: /tmpl/fails:2: CMD /bin/false: ' cat err
	[ -e "$(jconf c2)" ] && atf_fail "c2's conf file is left"
	zfs list zroot/jails/c2 >/dev/null 2>&1 && atf_fail "c2's dataset is left"
	# A bad template: refused before create runs anything.
	printf 'CMD /bin/echo a;b\n' | tmpl bad
	refused "bad template" jailer create -T /tmpl/bad c3
	refused "undeclared -A" jailer create -T /tmpl/ok -A nosuch=1 c3
	refused "-A without -T" jailer create -A greeting=x c3
	refused "hostile -A" jailer create -T /tmpl/ok -A 'greeting=a;b' c3
}

atf_test_case sweep_create_template
sweep_create_template_head()
{
	atf_set descr 'fault sweep of create -T: the host as before, or the jail made and the template applied'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_create_template_body()
{
	require_sim
	host_with_image
	mkdir -p "$JAILER_ROOT/srv"
	echo x >"$JAILER_ROOT/srv/f"
	tmpl t <<'EOF2'
SYSRC a=1
CP /srv/f /etc/f
CMD /bin/echo ok
EOF2
	NORM_STATE=t_norm host_sweep jailer create -T /tmpl/t c1
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case nginx_example
	atf_add_test_case postgresql_example
	atf_add_test_case dry_run
	atf_add_test_case hostile_lines
	atf_add_test_case quoting_and_args
	atf_add_test_case failure_rolls_back_running
	atf_add_test_case failure_rolls_back_stopped
	atf_add_test_case sweep_apply_stopped
	atf_add_test_case sweep_apply_running
	atf_add_test_case interrupted
	atf_add_test_case create_template
	atf_add_test_case sweep_create_template
}
