# jailer update NAME (patch level) and jailer upgrade NAME RELEASE:
# freebsd-update -b on the stopped jail's root with jailer's own work dir
# and jailer's record of the release, a snapshot first, the jail started
# again; refusals, the dry run, a hostile jail root, /etc merges, clones,
# the host's own files untouched, fault sweeps.

# mkjail, jroot, refused, host_sweep, assert_called, assert_running are
# in jailer.subr.

JAIL_DOMAIN=

# upd_host_files: a digest of the host's own freebsd-update files and
# /etc (not /etc/jail.conf.d, /etc/rc.conf: jailer's own).
upd_host_files()
{
	(cd "$JAILER_ROOT" && find etc var/db/freebsd-update \
	    -path etc/jail.conf.d -prune -o -name rc.conf -prune -o \
	    -type f -print 2>/dev/null | LC_ALL=C sort | xargs sha256sum)
}

# upd_seed_host: the host's own /etc/freebsd-update.conf and work files.
upd_seed_host()
{
	mkdir -p "$JAILER_ROOT/var/db/freebsd-update"
	printf 'KeyPrint x\nServerName update.FreeBSD.org\nComponents src world kernel\n' \
	    >"$JAILER_ROOT/etc/freebsd-update.conf"
	echo host-tag >"$JAILER_ROOT/var/db/freebsd-update/tag"
}

# upd_version NAME: what the jail's bin/freebsd-version says.
upd_version()
{
	sed -n 's/^USERLAND_VERSION="\(.*\)"$/\1/p' "$(jroot "$1")/bin/freebsd-version"
}

# upd_release NAME: jailer's record.
upd_release()
{
	zfs get -H -o value jailer:release "zroot/jails/$1"
}

# upd_is FUNC NAME WANT: FUNC NAME prints WANT.
upd_is()
{
	local got
	got=$($1 "$2")
	[ "$got" = "$3" ] || atf_fail "$1 $2: '$got', expected '$3'"
}

# u_norm: host_norm_state without what a restart of a jail changes (its
# console log, creation times).
u_norm()
{
	host_norm_state "$@" | sed -E \
	    -e '\|^f [0-7]+ [0-9a-f]+ var/log/jail/[^/]+\.log$|d' \
	    -e '/^ *"(creation|created)": /d'
}

# restarted NAME: the state keys a restart of the jail changes.
restarted()
{
	echo "jails.$1.jid jails.$1.params.jid jails.$1.commands"
}

W=/usr/local/jails/.freebsd-update

atf_test_case update_patch_level
update_patch_level_head()
{
	atf_set descr 'update: snapshot, stop, freebsd-update -b on the root with its own work dir and the recorded release, record, start; nothing to do the second time'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
update_patch_level_body()
{
	require_sim
	host_with_image
	upd_seed_host
	mkjail w1
	upd_is upd_release w1 14.3-RELEASE
	upd_host_files >host.before
	calls_reset
	atf_check -s exit:0 -o match:'^Updating w1: Done!$' \
	    -o match:'it runs 14.3-RELEASE-p3 now; the snapshot jailer-14.3-RELEASE is the way back' \
	    -e empty jailer update w1
	assert_running w1
	upd_is upd_version w1 14.3-RELEASE-p3
	upd_is upd_release w1 14.3-RELEASE-p3
	atf_check -s exit:0 -o ignore zfs list zroot/jails/w1@jailer-14.3-RELEASE
	F="freebsd-update -b /usr/local/jails/w1 -d $W/jail-w1 -f $W/jail-w1/freebsd-update.conf --not-running-from-cron --currently-running 14.3-RELEASE"
	assert_called "$F fetch"
	assert_called "$F install"
	assert_called "zfs snapshot -o jailer:release=14.3-RELEASE zroot/jails/w1@jailer-14.3-RELEASE"
	assert_called "zfs set jailer:release=14.3-RELEASE-p3 zroot/jails/w1"
	# The order: stop, snapshot, freebsd-update, record, start.
	calls | grep -nE '^(jail -f .* -r w1|zfs snapshot|freebsd-update .* fetch|zfs set jailer:release|jail -f .* -c w1)' |
	    cut -d: -f2 | cut -c1-14 >order
	printf 'jail -f /etc/j\nzfs snapshot -\nfreebsd-update\nzfs set jailer\njail -f /etc/j\n' >order.want
	atf_check -s exit:0 diff -u order.want order
	atf_check -s not-exit:0 test -e "$JAILER_ROOT$W"
	upd_host_files >host.after
	atf_check -s exit:0 diff -u host.before host.after
	assert_not_called '^freebsd-update( .*)? -b / '
	assert_not_called '^freebsd-update .*-d /var/db/freebsd-update'
	# Nothing left: exit 0, a message, no snapshot kept, running.
	atf_check -s exit:0 -o match:'nothing to install: it runs 14.3-RELEASE-p3' \
	    -e empty jailer update w1
	atf_check -s exit:1 -o ignore -e ignore zfs list zroot/jails/w1@jailer-14.3-RELEASE-p3
	assert_running w1
	# A stopped jail stays stopped.
	atf_check -s exit:0 -o ignore jailer stop w1
	atf_check -s exit:0 -o ignore jailer rollback w1@jailer-14.3-RELEASE
	atf_check -s exit:0 -o match:'Done!' -e empty jailer update w1
	assert_stopped w1
}

atf_test_case update_dry_run
update_dry_run_head()
{
	atf_set descr 'update -D and upgrade -D print every step and run nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
update_dry_run_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o ignore -e empty jailer image fetch 14.2-RELEASE
	mkjail w1
	mkjail w2 -r 14.2-RELEASE
	save_norm before
	calls_reset
	atf_check -s exit:0 -o match:'^Updating w1 \(14.3-RELEASE, jailer.s record\)' \
	    -o match:'stop it' -o match:'zfs snapshot -o jailer:release=14.3-RELEASE zroot/jails/w1@jailer-14.3-RELEASE$' \
	    -o match:"freebsd-update -b /usr/local/jails/w1 -d $W/jail-w1 .*--currently-running 14.3-RELEASE fetch" \
	    -o match:'start it again' -o match:'On any failure: zfs rollback' \
	    -e empty jailer update -D w1
	atf_check -s exit:0 -o match:'^Upgrading w2 \(14.2-RELEASE, ' \
	    -o match:'-r 14.3-RELEASE upgrade$' -o match:'zfs set jailer:release=NEW zroot/jails/w2' \
	    -e empty jailer upgrade -D w2 14.3-RELEASE
	assert_no_mutation
	assert_not_called '^freebsd-update'
	assert_norm before
}

atf_test_case update_refusals
update_refusals_head()
{
	atf_set descr 'update and upgrade refuse hostile names and releases, same release, downgrades, releases newer than the host, changing nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
update_refusals_body()
{
	require_sim
	host_with_image
	mkjail w1
	save_norm before
	for n in '../x' 'a;b' '' 'nosuch' '-x'; do
		refused "update '$n'" jailer update "$n"
	done
	for r in '../x' '14.3-RELEASE;x' '14.3-RELEASE-p1' '14.2-RELEASE' \
	    '14.3-RELEASE' '15.0-RELEASE' '14.4-STABLE' ''; do
		refused "upgrade '$r'" jailer upgrade w1 "$r"
	done
	atf_check -s exit:1 -e match:'older than 14.3-RELEASE.*cannot downgrade' \
	    jailer upgrade w1 14.2-RELEASE
	atf_check -s exit:1 -e match:"runs 14.3-RELEASE already; 'jailer update w1'" \
	    jailer upgrade w1 14.3-RELEASE
	atf_check -s exit:1 -e match:'newer than the host' \
	    jailer upgrade w1 15.0-RELEASE
	refused "one operand" jailer upgrade w1
	refused "two operands" jailer update w1 w2
	# No record and no clone origin: refused, with the way out.
	zfs inherit jailer:release zroot/jails/w1 || atf_fail "zfs inherit"
	save_norm norecord
	refused "no record" jailer update w1
	atf_check -s exit:1 -e match:'no record of the release.*zfs set jailer:release' \
	    jailer update w1
	assert_norm norecord
}

atf_test_case hostile_root
hostile_root_head()
{
	atf_set descr "the jail's freebsd-version lies: ignored; a symlinked etc: refused, rolled back, running again, the host's /etc untouched"
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
hostile_root_body()
{
	require_sim
	host_with_image
	upd_seed_host
	mkjail w1
	sed -i 's/^USERLAND_VERSION=.*/USERLAND_VERSION="15.0-RELEASE-p9"/' \
	    "$(jroot w1)/bin/freebsd-version"
	calls_reset
	atf_check -s exit:0 -o match:'Done!' -e empty jailer update w1
	assert_called "freebsd-update -b /usr/local/jails/w1 -d $W/jail-w1 -f $W/jail-w1/freebsd-update.conf --not-running-from-cron --currently-running 14.3-RELEASE fetch"
	assert_not_called 'freebsd-version'
	upd_is upd_release w1 14.3-RELEASE-p3
	# Files planted as symlinks to host files: replaced, never written
	# through; the modified /etc one is left alone.
	upd_host_files >host.before
	upd_server 14.3-RELEASE=4
	rm "$(jroot w1)/bin/freebsd-version" "$(jroot w1)/etc/rc"
	ln -s /etc/freebsd-update.conf "$(jroot w1)/bin/freebsd-version"
	ln -s /etc/freebsd-update.conf "$(jroot w1)/etc/rc"
	atf_check -s exit:0 -o match:'Done!' \
	    -o match:'not updated, modified locally: /etc/rc' -e empty \
	    jailer update w1
	atf_check -s exit:0 test -f "$(jroot w1)/bin/freebsd-version" -a \
	    ! -L "$(jroot w1)/bin/freebsd-version"
	upd_is upd_version w1 14.3-RELEASE-p4
	upd_host_files >host.after
	atf_check -s exit:0 diff -u host.before host.after
	# etc planted as a symlink to the host's /etc.
	mv "$(jroot w1)/etc" "$(jroot w1)/etc.real"
	ln -s /etc "$(jroot w1)/etc"
	atf_check -s exit:0 -o ignore jailer snap w1@planted
	NORM_STATE=u_norm save_norm planted $(restarted w1)
	atf_check -s exit:1 -o match:'Failed' \
	    -e match:'^jailer: w1: /usr/local/jails/w1/etc is not a directory.*refusing$' \
	    jailer update w1
	NORM_STATE=u_norm assert_norm planted $(restarted w1)
	assert_running w1
	upd_host_files >host.after
	atf_check -s exit:0 diff -u host.before host.after
}

# upd_server REL=N ...: the simulated update server's newest patch level.
upd_server()
{
	python3 - "$JAILER_ROOT/.fakebsd/state.json" "$@" <<'EOF' ||
import json, sys
p = sys.argv[1]
st = json.load(open(p))
srv = st.setdefault('freebsd_update', {}).setdefault('releases', {
    '13.5-RELEASE': 1, '14.2-RELEASE': 2, '14.3-RELEASE': 3,
    '15.0-RELEASE': 1})
for a in sys.argv[2:]:
    r, n = a.split('=')
    srv[r] = int(n)
with open(p, 'w') as f:
    json.dump(st, f, indent=1, sort_keys=True)
EOF
	    atf_fail "upd_server failed"
}

atf_test_case etc_changes
etc_changes_head()
{
	atf_set descr 'a locally modified /etc file: a patch level lists it and leaves it; an upgrade merges appended lines, and stops on a conflict (rolled back, running, file named)'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
etc_changes_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o ignore -e empty jailer image fetch 14.2-RELEASE
	mkjail w1 -r 14.2-RELEASE
	echo '# mine' >>"$(jroot w1)/etc/rc"
	atf_check -s exit:0 -o match:'Done!' \
	    -o match:'not updated, modified locally: /etc/rc' -e empty \
	    jailer update w1
	upd_is upd_release w1 14.2-RELEASE-p2
	atf_check -s exit:0 -o not-match:'security fix' cat "$(jroot w1)/etc/rc"
	calls_reset
	atf_check -s exit:0 -o match:'^Upgrading w1: Done!$' \
	    -o match:'merged, local changes kept: /etc/rc' \
	    -o match:'it runs 14.3-RELEASE-p3 now' -e empty \
	    jailer upgrade w1 14.3-RELEASE
	assert_running w1
	upd_is upd_version w1 14.3-RELEASE-p3
	atf_check -s exit:0 -o match:'# mine' -o match:'14.3-RELEASE-p3: fakebsd' \
	    cat "$(jroot w1)/etc/rc"
	# A minor upgrade of world only: one install.
	atf_check -s exit:0 -o inline:'1\n' sh -c \
	    "grep -c '^freebsd-update .* install\$' '$JAILER_ROOT/.fakebsd/calls.log'"
	assert_called "zfs snapshot -o jailer:release=14.2-RELEASE-p2 zroot/jails/w1@jailer-14.2-RELEASE-p2"
	# A conflict: the upgrade stops, the jail is back at its snapshot.
	mkjail w2 -r 14.2-RELEASE
	sed -i 's/^HOME=/HOME=\/x #/' "$(jroot w2)/etc/rc"
	NORM_STATE=u_norm save_norm before $(restarted w2)
	atf_check -s exit:1 -o match:'Failed' \
	    -e inline:'jailer: w2: local changes conflict with the upgrade in /etc/rc (merge them by hand, or undo them, and upgrade again)\n' \
	    jailer upgrade w2 14.3-RELEASE
	NORM_STATE=u_norm assert_norm before $(restarted w2)
	assert_running w2
}

atf_test_case major_upgrade
major_upgrade_head()
{
	atf_set descr 'an upgrade across a major (13.5 to 14.3) runs install until nothing is left (world, then old libraries)'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
major_upgrade_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o ignore -e empty jailer image fetch 13.5-RELEASE
	mkjail old -r 13.5-RELEASE
	calls_reset
	atf_check -s exit:0 -o match:'Done!' -o match:'it runs 14.3-RELEASE-p3 now' \
	    -e empty jailer upgrade old 14.3-RELEASE
	atf_check -s exit:0 -o inline:'2\n' sh -c \
	    "grep -c '^freebsd-update .* install\$' '$JAILER_ROOT/.fakebsd/calls.log'"
	upd_is upd_version old 14.3-RELEASE-p3
	atf_check -s exit:0 -o match:'14.3-RELEASE' cat "$(jroot old)/COPYRIGHT"
	assert_running old
}

atf_test_case clone_keeps_origin
clone_keeps_origin_head()
{
	atf_set descr 'updating a clone writes only the clone: the image snapshot it came from is unchanged'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
clone_keeps_origin_body()
{
	require_sim
	host_with_image
	mkjail c1 -C
	# A clone made before the record existed: the origin tells.
	zfs inherit jailer:release zroot/jails/c1 || atf_fail "zfs inherit"
	mkjail c2 -C
	atf_check -s exit:0 -o match:'Done!' -e empty jailer update c1
	upd_is upd_version c1 14.3-RELEASE-p3
	upd_is upd_version c2 14.3-RELEASE
	atf_check -s exit:0 -o inline:'zroot/jails/image/14.3-RELEASE@base\n' \
	    zfs get -H -o value origin zroot/jails/c1
	atf_check -s exit:0 -o match:'USERLAND_VERSION="14.3-RELEASE"' \
	    cat "$JAILER_ROOT/usr/local/jails/image/14.3-RELEASE/bin/freebsd-version"
	# A clone of a jail's snapshot: the record of that jail.
	atf_check -s exit:0 -o ignore jailer snap c1@s
	mkjail c3 -C -s c1@s
	atf_check -s exit:0 -o match:'nothing to install: it runs 14.3-RELEASE-p3' \
	    -e empty jailer update c3
}

atf_test_case sweep_running
sweep_running_head()
{
	atf_set descr 'a failure at any call of update leaves a running jail at its snapshot, running'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
sweep_running_body()
{
	require_sim
	host_with_image
	mkjail w1
	NORM_STATE=u_norm SWEEP_DROP='jails.w1.jid jails.w1.params.jid jails.w1.commands' \
	    SWEEP_MIN=8 host_sweep jailer update w1
}

atf_test_case sweep_stopped
sweep_stopped_head()
{
	atf_set descr 'a failure at any call of update leaves a stopped jail at its snapshot, stopped'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
sweep_stopped_body()
{
	require_sim
	host_with_image
	mkjail w1
	atf_check -s exit:0 -o ignore jailer stop w1
	NORM_STATE=u_norm SWEEP_MIN=6 host_sweep jailer update w1
}

atf_test_case sweep_upgrade
sweep_upgrade_head()
{
	atf_set descr 'a failure at any call of upgrade leaves the jail at its snapshot, running'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
sweep_upgrade_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o ignore -e empty jailer image fetch 13.5-RELEASE
	mkjail old -r 13.5-RELEASE
	NORM_STATE=u_norm SWEEP_DROP='jails.old.jid jails.old.params.jid jails.old.commands' \
	    SWEEP_MIN=8 host_sweep jailer upgrade old 14.3-RELEASE
}

atf_test_case interrupted
interrupted_head()
{
	atf_set descr 'SIGINT while freebsd-update fetches: the jail is rolled back to its snapshot and runs again'
	sim_only "signals a running jailer (kill_at_call)"
}
interrupted_body()
{
	require_sim
	host_with_image
	mkjail w1
	# Which call is the fetch, in a clean run on a copy.
	rm -rf base0
	cp -a "$JAILER_ROOT" base0 || atf_fail "cp"
	calls_reset
	jailer update w1 >/dev/null 2>&1 || atf_fail "clean run failed"
	k=$(grep -n '^freebsd-update .* fetch$' "$JAILER_ROOT/.fakebsd/calls.log" |
	    head -1 | cut -d: -f1)
	[ -n "$k" ] || atf_fail "no fetch call"
	rm -rf "$JAILER_ROOT"
	cp -a base0 "$JAILER_ROOT" || atf_fail "cp back"
	NORM_STATE=u_norm save_norm before $(restarted w1)
	KILL_SIG=INT kill_at_call "$k" update w1
	[ "$RC" = 1 ] || { cat run.out run.err; atf_fail "exit $RC after SIGINT at $AT"; }
	# Usually "interrupted"; a signal that lands in the stop's hooks
	# makes jail_stop's own error the message.
	atf_check -s exit:0 -o match:'^jailer: w1: ' cat run.err
	NORM_STATE=u_norm assert_norm before $(restarted w1)
	assert_running w1
	upd_is upd_release w1 14.3-RELEASE
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case update_patch_level
	atf_add_test_case update_dry_run
	atf_add_test_case update_refusals
	atf_add_test_case hostile_root
	atf_add_test_case etc_changes
	atf_add_test_case major_upgrade
	atf_add_test_case clone_keeps_origin
	atf_add_test_case sweep_running
	atf_add_test_case sweep_stopped
	atf_add_test_case sweep_upgrade
	atf_add_test_case interrupted
}
