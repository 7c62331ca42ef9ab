# jailer image update (freebsd-update -b on the image, a snapshot @pN),
# image list's patch level, create from the newest snapshot, image
# destroy; the simulated freebsd-update itself (fbupdate.py).

# mkjail, refused, host_sweep, assert_called are in jailer.subr.

JAIL_DOMAIN=

# upd_server REL=N ...: the simulated update server has patch level N as
# the newest of REL (the others as mkhost's host has them).
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

# upd_host_files: a digest of the host's own freebsd-update files and
# /etc (not /etc/jail.conf.d, /etc/rc.conf: jailer's own).
upd_host_files()
{
	(cd "$JAILER_ROOT" && find etc var/db/freebsd-update bin \
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

IMG=zroot/jails/image/14.3-RELEASE
IROOT=usr/local/jails/image/14.3-RELEASE

atf_test_case image_update
image_update_head()
{
	atf_set descr 'image update installs the newest patch level with -b on the image and its own work dir, snapshots @pN; list shows it; create copies it'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
image_update_body()
{
	require_sim
	host_with_image
	upd_seed_host
	upd_host_files >host.before
	calls_reset
	atf_check -s exit:0 -o match:'^Updating the image 14.3-RELEASE: Done!$' \
	    -o match:'the image is at 14.3-RELEASE-p3' -e empty \
	    jailer image update
	atf_check -s exit:0 -o ignore zfs list -t snapshot "$IMG@p3"
	atf_check -s exit:0 -o match:'USERLAND_VERSION="14.3-RELEASE-p3"' \
	    cat "$JAILER_ROOT/$IROOT/bin/freebsd-version"
	W=/usr/local/jails/.freebsd-update/image-14.3-RELEASE
	assert_called "freebsd-update -b /usr/local/jails/image/14.3-RELEASE -d $W -f $W/freebsd-update.conf --not-running-from-cron --currently-running 14.3-RELEASE fetch"
	assert_called "zfs snapshot $IMG@p3"
	# Every freebsd-update call names the image and jailer's work dir.
	calls | grep '^freebsd-update' | grep -v -- "-b /usr/local/jails/image/14.3-RELEASE -d $W " &&
	    atf_fail "a freebsd-update call without the image's -b and -d"
	# The work directory is gone; the host's own files are untouched.
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/usr/local/jails/.freebsd-update"
	upd_host_files >host.after
	atf_check -s exit:0 diff -u host.before host.after
	atf_check -s exit:0 -o inline:'  14.3-RELEASE-p3\n' -e empty jailer image list
	atf_check -s exit:0 -o match:'"patch": *"3"' -e empty jailer image list -j
	# Jails made now copy @p3 and record the release.
	calls_reset
	mkjail w1
	assert_called "zfs send $IMG@p3"
	atf_check -s exit:0 -o inline:'14.3-RELEASE-p3\n' \
	    zfs get -H -o value jailer:release zroot/jails/w1
	# Nothing new: a message, no snapshot.
	calls_reset
	atf_check -s exit:0 -o match:'nothing to install: the image is at 14.3-RELEASE-p3' \
	    -e empty jailer image update 14.3-RELEASE
	assert_not_called '^zfs snapshot'
	atf_check -s exit:0 -o inline:"$IMG@base\n$IMG@p3\n" \
	    zfs list -H -o name -t snapshot -d 1 "$IMG"
	# A new patch level on the server: @p4, the jails keep theirs.
	upd_server 14.3-RELEASE=4
	atf_check -s exit:0 -o match:'Done!' -e empty jailer image update
	assert_called "freebsd-update -b /usr/local/jails/image/14.3-RELEASE -d $W -f $W/freebsd-update.conf --not-running-from-cron --currently-running 14.3-RELEASE-p3 fetch"
	atf_check -s exit:0 -o inline:"$IMG@base\n$IMG@p3\n$IMG@p4\n" \
	    zfs list -H -o name -t snapshot -d 1 "$IMG"
	atf_check -s exit:0 -o inline:'14.3-RELEASE-p3\n' \
	    zfs get -H -o value jailer:release zroot/jails/w1
	mkjail w2 -C
	atf_check -s exit:0 -o inline:"$IMG@p4\n" \
	    zfs get -H -o value origin zroot/jails/w2
	assert_not_called '^freebsd-update( .*)? -b / '
	upd_host_files >host.after
	atf_check -s exit:0 diff -u host.before host.after
}

atf_test_case image_update_dry_run
image_update_dry_run_head()
{
	atf_set descr 'image update -D prints the plan and runs nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
image_update_dry_run_body()
{
	require_sim
	host_with_image
	save_norm before
	calls_reset
	atf_check -s exit:0 -o match:'^Updating the image zroot/jails/image/14.3-RELEASE \(at zroot/jails/image/14.3-RELEASE@base\) would:$' \
	    -o match:'freebsd-update -b /usr/local/jails/image/14.3-RELEASE .* fetch$' \
	    -o match:'zfs snapshot zroot/jails/image/14.3-RELEASE@pN' -e empty \
	    jailer image update -D
	assert_no_mutation
	assert_not_called '^freebsd-update'
	assert_norm before
}

atf_test_case image_update_refusals
image_update_refusals_head()
{
	atf_set descr 'image update refuses bad releases, missing images, a pkgbase 14.3 image (pkgbase needs 15.0), changing nothing'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
image_update_refusals_body()
{
	require_sim
	host_with_image
	save_norm before
	for r in '../x' '14.3-RELEASE;x' '14.3-RELEASE-p1' '' '14.3-release'; do
		refused "release '$r'" jailer image update "$r"
	done
	refused "no image" jailer image update 14.2-RELEASE
	atf_check -s exit:1 -e inline:'jailer: 14.2-RELEASE: no such image\n' \
	    jailer image update 14.2-RELEASE
	refused "two releases" jailer image update 14.3-RELEASE 14.2-RELEASE
	assert_norm before
	zfs set jailer:source=pkgbase "$IMG" || atf_fail "zfs set"
	save_norm pkg
	# A pkgbase image goes to pkgbase.c, which needs 15.0 or later.
	refused "pkgbase" jailer image update
	atf_check -s exit:1 -e match:'^jailer: 14.3-RELEASE: ' jailer image update
	assert_not_called '^freebsd-update'
	assert_norm pkg
}

atf_test_case image_update_fails_undone
image_update_fails_undone_head()
{
	atf_set descr 'a failing freebsd-update install (half the files written) leaves the image at its snapshot, no work dir'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
image_update_fails_undone_body()
{
	require_sim
	host_with_image
	save_norm before
	atf_check -s exit:1 -o ignore \
	    -e match:'^jailer: 14.3-RELEASE: freebsd-update .*install: freebsd-update: simulated failure' \
	    env FAKEBSD_FAIL='freebsd-update#2' jailer image update
	assert_norm before
}

atf_test_case image_update_sweep
image_update_sweep_head()
{
	atf_set descr 'a failure at any call of image update leaves the host as it was'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
image_update_sweep_body()
{
	require_sim
	host_with_image
	SWEEP_MIN=5 host_sweep jailer image update
}

atf_test_case image_destroy
image_destroy_head()
{
	atf_set descr 'image destroy refuses while a clone (or a clone of it) depends on the image; then removes dataset, cache, default'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
image_destroy_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o ignore -e empty jailer image update
	atf_check -s exit:0 -e empty jailer image use 14.3-RELEASE
	mkjail copy1
	mkjail c1 -C
	atf_check -s exit:0 -o ignore jailer snap c1@s
	mkjail c2 -C -s c1@s
	save_norm before
	refused "clone" jailer image destroy 14.3-RELEASE
	atf_check -s exit:1 \
	    -e inline:'jailer: 14.3-RELEASE: zroot/jails/c1 (a clone of zroot/jails/image/14.3-RELEASE@p3) depends on it; destroy that first\n' \
	    jailer image destroy 14.3-RELEASE
	for r in '../x' '14.3-RELEASE;x' 14.2-RELEASE; do
		refused "release '$r'" jailer image destroy "$r"
	done
	refused "no operand" jailer image destroy
	assert_norm before
	atf_check -s exit:0 -o ignore -e empty jailer destroy c2 c1
	calls_reset
	atf_check -s exit:0 -o match:'zfs destroy -r zroot/jails/image/14.3-RELEASE' \
	    -o match:'image/.default' -e empty jailer image destroy -D 14.3-RELEASE
	assert_no_mutation
	test -f "$JAILER_ROOT/usr/local/jails/image/dist-files/base-14.3-RELEASE.txz" ||
	    atf_fail "no cached base.txz to start with"
	atf_check -s exit:0 -o inline:'Destroying the image 14.3-RELEASE: Done!\n' \
	    -e empty jailer image destroy 14.3-RELEASE
	atf_check -s exit:1 -o ignore -e ignore zfs list "$IMG"
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/usr/local/jails/image/dist-files/base-14.3-RELEASE.txz"
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/usr/local/jails/image/.default"
	atf_check -s exit:0 -o empty -e empty jailer image list
	# The copy does not depend on the image; it still runs.
	assert_running copy1
}

atf_test_case image_destroy_sweep
image_destroy_sweep_head()
{
	atf_set descr 'a failure at any call of image destroy leaves the host as it was'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
image_destroy_sweep_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -e empty jailer image use 14.3-RELEASE
	SWEEP_MIN=2 host_sweep jailer image destroy 14.3-RELEASE
}

atf_test_case fbupdate_tool
fbupdate_tool_head()
{
	atf_set descr 'the simulated freebsd-update: tty check, work dir, exit 2, patch level keeps a modified /etc file, upgrade merges or stops on a conflict, installs in steps'
	sim_only "runs the simulated freebsd-update"
}
fbupdate_tool_body()
{
	require_sim
	host_with_image
	B=/usr/local/jails/image/14.3-RELEASE
	R=$JAILER_ROOT$B
	mkdir -p "$JAILER_ROOT/wd"
	printf 'Components world\n' >"$JAILER_ROOT/wd/c.conf"
	F="freebsd-update -b $B -d /wd -f /wd/c.conf"
	atf_check -s exit:1 -o match:'should not be run non-interactively' \
	    $F --currently-running 14.3-RELEASE fetch </dev/null
	atf_check -s exit:1 -e match:'Directory does not exist or is not writable: /nowhere' \
	    freebsd-update -b $B -d /nowhere -f /wd/c.conf --not-running-from-cron fetch
	atf_check -s exit:1 -e match:'^usage: freebsd-update' freebsd-update -x fetch
	atf_check -s exit:2 -e match:'unsupported by fakebsd' $F IDS
	atf_check -s exit:2 -o match:'No updates are available to install' $F install
	echo '# local' >>"$R/etc/rc"
	atf_check -s exit:0 -o match:'modified locally:' -o match:'^/etc/rc$' \
	    -o match:'^/bin/freebsd-version$' \
	    $F --not-running-from-cron --currently-running 14.3-RELEASE fetch
	atf_check -s exit:0 -o match:'There are updates' $F updatesready
	atf_check -s exit:0 -o match:'done' $F install
	atf_check -s exit:0 -o match:'# local' -o not-match:'security fix' cat "$R/etc/rc"
	atf_check -s exit:2 -o ignore $F updatesready
	# Upgrades: appended local lines are merged; 13.5 -> 14.3 is major.
	atf_check -s exit:1 -e match:'to itself' \
	    $F --currently-running 14.3-RELEASE-p3 -r 14.3-RELEASE upgrade
	atf_check -s exit:1 -e match:'downgrade' \
	    $F --currently-running 14.3-RELEASE-p3 -r 14.2-RELEASE upgrade
	atf_check -s exit:1 -o match:'unsupported by freebsd-update' \
	    $F --currently-running 14.3-RELEASE-p3 -r 16.0-RELEASE upgrade
	atf_check -s exit:0 -o match:'merged, their local changes' \
	    $F --currently-running 14.3-RELEASE-p3 -r 15.0-RELEASE upgrade
	atf_check -s exit:1 -o match:'partially completed upgrade' \
	    $F --not-running-from-cron --currently-running 14.3-RELEASE fetch
	atf_check -s exit:0 -o match:'removing old shared object files' $F install
	atf_check -s exit:0 -o match:'done' $F install
	atf_check -s exit:2 -o ignore $F install
	atf_check -s exit:0 -o match:'# local' -o match:'15.0-RELEASE-p1: fakebsd' cat "$R/etc/rc"
	atf_check -s exit:0 -o match:'"15.0-RELEASE-p1"' cat "$R/bin/freebsd-version"
	atf_check -s exit:0 -o match:'Uninstalling' $F rollback
	atf_check -s exit:0 -o match:'"14.3-RELEASE-p3"' cat "$R/bin/freebsd-version"
	# A conflicting local change stops the upgrade; nothing is fetched.
	sed -i 's/^HOME=/HOME=\/x #/' "$R/etc/rc"
	atf_check -s exit:1 -o match:'could not be merged automatically' \
	    -o match:'^/etc/rc$' -e match:'conflicting local changes' \
	    $F --currently-running 14.3-RELEASE-p3 -r 15.0-RELEASE upgrade
	atf_check -s exit:2 -o ignore $F updatesready
	# A symlink in the tree's place of a file is replaced, not followed.
	cp "$JAILER_ROOT/etc/rc.conf" rcconf.before
	rm "$R/bin/freebsd-version"
	ln -s /etc/rc.conf "$R/bin/freebsd-version"
	atf_check -s exit:0 -o ignore \
	    $F --not-running-from-cron --currently-running 14.3-RELEASE fetch install
	atf_check -s exit:0 cmp rcconf.before "$JAILER_ROOT/etc/rc.conf"
	atf_check -s exit:0 test -f "$R/bin/freebsd-version" -a ! -L "$R/bin/freebsd-version"
}

atf_test_case pkgbase_image_and_jail
pkgbase_image_and_jail_head()
{
	atf_set descr 'a pkgbase image and a jail made from it are updated with pkg -r (pkgbase.c), between the same snapshots and records; no freebsd-update'
	sim_only "a FreeBSD 15.0 host and a simulated FreeBSD-base mirror"
}
pkgbase_image_and_jail_body()
{
	require_sim
	pkgbase_host
	P=zroot/jails/image/15.0-RELEASE
	mkjail j1
	atf_check -s exit:0 -o inline:'15.0-RELEASE\n' \
	    zfs get -H -o value jailer:release zroot/jails/j1
	atf_check -s exit:0 -o match:'nothing to install' -e empty \
	    jailer image update
	pkgbase_mirror --patch 1
	calls_reset
	atf_check -s exit:0 -o match:'^Updating the image 15.0-RELEASE: Done!$' \
	    -o match:'the image is at 15.0-RELEASE-p1' -e empty jailer image update
	atf_check -s exit:0 -o ignore zfs list -t snapshot "$P@p1"
	atf_check -s exit:0 -o match:'USERLAND_VERSION="15.0-RELEASE-p1"' \
	    cat "$JAILER_ROOT/usr/local/jails/image/15.0-RELEASE/bin/freebsd-version"
	assert_not_called '^freebsd-update'
	atf_check -s exit:0 -o inline:'  15.0-RELEASE-p1\n' -e empty jailer image list
	calls_reset
	atf_check -s exit:0 -o match:'pkg -r /usr/local/jails/image/15.0-RELEASE upgrade' \
	    -o not-match:'freebsd-update' -e empty jailer image update -D
	atf_check -s exit:0 -o match:'^Updating j1: Done!$' \
	    -o match:'it runs 15.0-RELEASE-p1 now' -e empty jailer update j1
	atf_check -s exit:0 -o inline:'15.0-RELEASE-p1\n' \
	    zfs get -H -o value jailer:release zroot/jails/j1
	assert_not_called '^freebsd-update'
	atf_check -s exit:0 -o ignore zfs list zroot/jails/j1@jailer-15.0-RELEASE
	atf_check -s exit:0 -o match:'USERLAND_VERSION="15.0-RELEASE-p1"' \
	    cat "$JAILER_ROOT/usr/local/jails/j1/bin/freebsd-version"
	assert_running j1
}

# u_norm: host_norm_state without what a restart of a jail changes (its
# console log, creation times).
u_norm()
{
	host_norm_state "$@" | sed -E \
	    -e '\|^f [0-7]+ [0-9a-f]+ var/log/jail/[^/]+\.log$|d' \
	    -e '/^ *"(creation|created)": /d'
}

atf_test_case pkgbase_sweep
pkgbase_sweep_head()
{
	atf_set descr 'a failure at any call of image update and of update of a pkgbase image and jail leaves the host as it was (the jail running)'
	sim_only "injects faults (FAKEBSD_FAIL)"
}
pkgbase_sweep_body()
{
	require_sim
	pkgbase_host
	mkjail j1
	pkgbase_mirror --patch 1
	SWEEP_MIN=4 host_sweep jailer image update
	NORM_STATE=u_norm SWEEP_DROP='jails.j1.jid jails.j1.params.jid jails.j1.commands' \
	    SWEEP_MIN=6 host_sweep jailer update j1
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case image_update
	atf_add_test_case image_update_dry_run
	atf_add_test_case image_update_refusals
	atf_add_test_case image_update_fails_undone
	atf_add_test_case image_update_sweep
	atf_add_test_case image_destroy
	atf_add_test_case image_destroy_sweep
	atf_add_test_case fbupdate_tool
	atf_add_test_case pkgbase_image_and_jail
	atf_add_test_case pkgbase_sweep
}
