# jailer pkg, service, sysrc (the programs' -j, their arguments as argv,
# stdin, stdout, stderr and exit status passed through) and jailer cp (a
# host file written into a jail's root, never following a symlink the
# jail planted).

# ---------------------------------------------------------------- helpers

JAIL_DOMAIN=

# i1: a host with the image and the running jail i1.
i1()
{
	host_with_image
	mkjail i1
}

# rcd NAME: an executable rc.d script NAME in i1 (as a package installs).
rcd()
{
	mkdir -p "$(jroot i1)/usr/local/etc/rc.d"
	printf '#!/bin/sh\n# PROVIDE: %s\n' "$1" \
	    >"$(jroot i1)/usr/local/etc/rc.d/$1"
	chmod 555 "$(jroot i1)/usr/local/etc/rc.d/$1"
}

# ---------------------------------------------------------------- cases

atf_test_case sysrc_passthrough
sysrc_passthrough_head()
{
	atf_set descr 'jailer sysrc runs sysrc -j on the jail: its rc.conf changes, not the host'"'"'s; output and exit status passed through'
	sim_only "reads the simulated call log (require_sim)"
}
sysrc_passthrough_body()
{
	require_sim
	i1
	cp "$JAILER_ROOT/etc/rc.conf" host.rc
	calls_reset
	atf_check -s exit:0 -o inline:'nginx_enable:  -> YES\n' -e empty \
	    jailer sysrc i1 nginx_enable=YES
	assert_called "sysrc -j i1 nginx_enable=YES"
	check_rc i1 nginx_enable YES
	atf_check -s exit:0 cmp -s host.rc "$JAILER_ROOT/etc/rc.conf"
	atf_check -s exit:0 -o inline:'YES\n' -e empty jailer sysrc i1 -n \
	    nginx_enable
	# The program's failure is its own: exit status and stderr.
	atf_check -s exit:1 -o empty \
	    -e inline:"sysrc: unknown variable 'no_such_var'\n" \
	    jailer sysrc i1 no_such_var
	# An argument with blanks and shell characters is one argv word.
	atf_check -s exit:0 -o ignore -e empty \
	    jailer sysrc i1 'motd="a; b $(x)"'
	assert_called "sysrc -j i1 'motd=\"a; b \$(x)\"'"
}

atf_test_case service_passthrough
service_passthrough_head()
{
	atf_set descr 'jailer service runs service -j: the jail'"'"'s rc.d scripts and rc.conf, its status passed through'
	sim_only "reads the simulated call log and state (require_sim)"
}
service_passthrough_body()
{
	require_sim
	i1
	rcd web
	atf_check -s exit:0 -o match:"^Cannot 'start' web" -e empty \
	    jailer service i1 web start
	atf_check -s exit:1 -o inline:'web is not running.\n' -e empty \
	    jailer service i1 web status
	atf_check -s exit:0 -o inline:'web enabled in /etc/rc.conf\n' \
	    -e empty jailer service i1 web enable
	check_rc i1 web_enable YES
	atf_check -s exit:0 -o inline:'Starting web.\n' -e empty \
	    jailer service i1 web start
	assert_called "service -j i1 web start"
	atf_check -s exit:0 -o match:'^web is running as pid [0-9]+\.$' \
	    -e empty jailer service i1 web status
	atf_check -s exit:1 -o empty -e match:'already running' \
	    jailer service i1 web start
	atf_check -s exit:1 -o match:'does not exist' -e empty \
	    jailer service i1 nosuch start
	# The host has no service web.
	atf_check -s exit:1 -o match:'does not exist' -e empty \
	    service web status
	# A stop forgets the jail's processes.
	atf_check -s exit:0 -o ignore -e empty jailer stop i1
	atf_check -s exit:0 -o ignore -e empty jailer start i1
	atf_check -s exit:1 -o inline:'web is not running.\n' -e empty \
	    jailer service i1 web status
}

atf_test_case pkg_options_passed
pkg_options_passed_head()
{
	atf_set descr 'jailer pkg NAME install -y x: -y goes to pkg, not to jailer'
	sim_only "reads the simulated call log (require_sim)"
}
pkg_options_passed_body()
{
	require_sim
	i1
	calls_reset
	jailer pkg i1 install -y nosuchpackage >out 2>err
	assert_called "pkg -j i1 install -y nosuchpackage"
	assert_not_called '^pkg install'
}

atf_test_case refusals
refusals_head()
{
	atf_set descr 'no such jail, a stopped jail, a bad name, missing arguments: one error, nothing run'
	sim_only "reads the simulated call log (refused)"
}
refusals_body()
{
	require_sim
	i1
	mkjail i2
	atf_check -s exit:0 -o ignore -e empty jailer stop i2
	for p in pkg service sysrc; do
		refused "$p no jail" jailer $p nosuch info
		refused "$p stopped" jailer $p i2 info
		refused "$p bad name" jailer $p 'a;b' info
		refused "$p no args" jailer $p i1
	done
	jailer sysrc i2 x=1 2>err
	atf_check -s exit:0 -o match:"^jailer: i2: not running; start it with 'jailer start i2'$" cat err
	jailer sysrc nosuch x=1 2>err
	atf_check -s exit:0 -o inline:'jailer: nosuch: no such jail\n' cat err
}

atf_test_case cp_basic
cp_basic_head()
{
	atf_set descr 'cp writes the file into the jail with its mode, on a running and a stopped jail, runs no program; -D writes nothing'
	sim_only "reads the simulated call log (require_sim)"
}
cp_basic_body()
{
	require_sim
	i1
	mkdir -p "$JAILER_ROOT/srv"
	printf 'hello\n' >"$JAILER_ROOT/srv/index.html"
	chmod 640 "$JAILER_ROOT/srv/index.html"
	calls_reset
	atf_check -s exit:0 -o inline:'  copy /srv/index.html to /usr/local/jails/i1/etc/index.html (mode 0640, no symlink followed)\n' \
	    -e empty jailer cp -D i1 /srv/index.html /etc/index.html
	[ -e "$(jroot i1)/etc/index.html" ] && atf_fail "-D wrote the file"
	atf_check -s exit:0 -o inline:'Copied /srv/index.html to i1:/etc/index.html\n' \
	    -e empty jailer cp i1 /srv/index.html /etc/index.html
	assert_no_mutation "cp"
	assert_not_called '^(jexec|sysrc|service|pkg|cp|install) '
	atf_check -s exit:0 -o inline:'hello\n' cat "$(jroot i1)/etc/index.html"
	atf_check -s exit:0 -o inline:'640\n' stat -c %a "$(jroot i1)/etc/index.html"
	# Replaced atomically, no temporary file left; a stopped jail too.
	printf 'new\n' >"$JAILER_ROOT/srv/index.html"
	atf_check -s exit:0 -o ignore -e empty jailer stop i1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer cp i1 /srv/index.html /etc/index.html
	atf_check -s exit:0 -o inline:'new\n' cat "$(jroot i1)/etc/index.html"
	ls -a "$(jroot i1)/etc" | grep -q jailer && atf_fail "a temporary file is left"
	return 0
}

atf_test_case cp_planted_symlink
cp_planted_symlink_head()
{
	atf_set descr 'cp through a symlink the jail planted (in a parent, at the target) is refused; nothing is written on the host'
	sim_only "compares the simulated host (require_sim)"
}
cp_planted_symlink_body()
{
	require_sim
	i1
	mkdir -p "$JAILER_ROOT/srv"
	echo evil >"$JAILER_ROOT/srv/payload"
	r=$(jroot i1)
	# The jail's root user points its directories and files at the host.
	ln -s /etc "$r/hostetc"
	ln -s ../../../../etc "$r/up"
	ln -s /etc/rc.conf "$r/etc/link.conf"
	mkdir -p "$r/var/x"
	ln -s /etc "$r/var/x/d"
	save_host
	refused "symlinked parent" jailer cp i1 /srv/payload /hostetc/rc.conf
	refused "relative symlinked parent" jailer cp i1 /srv/payload /up/rc.conf
	refused "symlinked target" jailer cp i1 /srv/payload /etc/link.conf
	refused "deep symlinked parent" jailer cp i1 /srv/payload /var/x/d/passwd
	assert_host_unchanged
	jailer cp i1 /srv/payload /etc/link.conf 2>err
	atf_check -s exit:0 -o inline:'jailer: i1: /etc/link.conf: a symlink in the jail; refusing\n' cat err
}

atf_test_case cp_refusals
cp_refusals_head()
{
	atf_set descr 'cp: relative, .. and / jail paths, a missing directory, a directory or missing host file, usage errors'
	sim_only "reads the simulated call log (refused)"
}
cp_refusals_body()
{
	require_sim
	i1
	mkdir -p "$JAILER_ROOT/srv/dir"
	echo x >"$JAILER_ROOT/srv/f"
	save_host
	refused "relative" jailer cp i1 /srv/f etc/f
	refused "dotdot" jailer cp i1 /srv/f /etc/../f
	refused "root" jailer cp i1 /srv/f /
	refused "trailing slash" jailer cp i1 /srv/f /etc/
	refused "no dir" jailer cp i1 /srv/f /nosuch/dir/f
	refused "onto a directory" jailer cp i1 /srv/f /etc
	refused "host dir" jailer cp i1 /srv/dir /etc/f
	refused "host missing" jailer cp i1 /srv/missing /etc/f
	refused "no jail" jailer cp nosuch /srv/f /etc/f
	refused "usage" jailer cp i1 /srv/f
	refused "newline" jailer cp i1 /srv/f "/etc/a
b"
	assert_host_unchanged
}

atf_test_case sweep_cp
sweep_cp_head()
{
	atf_set descr 'fault sweep of cp: it runs only the read of jailer'"'"'s dataset; when that fails nothing is written'
	sim_only "injects faults into the simulated host (FAKEBSD_FAIL)"
}
sweep_cp_body()
{
	require_sim
	i1
	mkdir -p "$JAILER_ROOT/srv"
	echo x >"$JAILER_ROOT/srv/f"
	SWEEP_MIN=1 host_sweep jailer cp i1 /srv/f /etc/f
	atf_check -s exit:0 -o ignore -e empty jailer cp i1 /srv/f /etc/f
	atf_check -s exit:0 -o inline:'x\n' cat "$(jroot i1)/etc/f"
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case sysrc_passthrough
	atf_add_test_case service_passthrough
	atf_add_test_case pkg_options_passed
	atf_add_test_case refusals
	atf_add_test_case cp_basic
	atf_add_test_case cp_planted_symlink
	atf_add_test_case cp_refusals
	atf_add_test_case sweep_cp
}
