# jailer image fetch | list | use against the simulated host and mirror.

# host_state_nocounters, save_host_restorable and assert_host_restored
# are in jailer.subr.

DIST=root/usr/local/jails/image/dist-files
TARBALL=$DIST/base-14.3-RELEASE.txz

# The call log holds no command that changes the host.
assert_no_mutation_image()
{
	if calls | grep -E '^(zfs (create|destroy|snapshot|snap|set|inherit|rename|clone|promote|rollback|recv|receive|mount|unmount|umount)|fetch|tar|sysrc|service)' \
	    >"$PWD/.mutating"; then
		cat "$PWD/.mutating"
		atf_fail "a mutating command ran"
	fi
}

# A private copy of the mirror in ./mirror, used from now on.
mirror_copy()
{
	rm -rf mirror
	mkdir mirror || atf_fail "mkdir mirror"
	cp -R "$FAKEBSD_MIRROR/releases" mirror/ || atf_fail "cp mirror"
	FreeBSD_mirror="file://$PWD/mirror"
	export FreeBSD_mirror
}

# An image made by hand: DS/image/REL with @base (and COPYRIGHT).
fake_image()
{
	zfs create -p -o jailer:managed=image "zroot/jails/image/$1" &&
	    zfs snapshot "zroot/jails/image/$1@base" ||
	    atf_fail "cannot make the image $1"
}

# A free TCP port on 127.0.0.1 (nobody listens there afterwards).
free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Serve DIR over HTTP on 127.0.0.1 (bounded to 120 s); sets HTTP_PORT.
http_start()
{
	timeout 120 python3 -u -m http.server 0 --bind 127.0.0.1 \
	    --directory "$1" >http.log 2>&1 &
	echo $! >http.pid
	i=0
	while [ $i -lt 100 ]; do
		HTTP_PORT=$(sed -n 's/^Serving HTTP on 127\.0\.0\.1 port \([0-9][0-9]*\) .*/\1/p' http.log)
		[ -n "$HTTP_PORT" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	cat http.log
	atf_fail "the HTTP server did not start"
}

http_stop()
{
	if [ -f http.pid ]; then
		kill "$(cat http.pid)" 2>/dev/null
		rm -f http.pid
	fi
}

# ---------------------------------------------------------------- fetch

atf_test_case fetch_default
fetch_default_head()
{
	atf_set descr 'image fetch gets the host release without -pN into DS/image/REL@base'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_default_body()
{
	require_sim
	host_ready
	calls_reset
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' -e empty \
	    jailer image fetch
	cp root/.fakebsd/calls.log jailer.calls
	fs_outside_untouched
	m=$FAKEBSD_MIRROR/releases/amd64/amd64/14.3-RELEASE
	# The verified tarball is kept; nothing else is left in dist-files.
	atf_check -s exit:0 -o empty cmp "$m/base.txz" $TARBALL
	atf_check -s exit:0 -o inline:'base-14.3-RELEASE.txz\n' ls -A $DIST
	atf_check -s exit:0 \
	    -o inline:'zroot/jails/image/14.3-RELEASE\t/usr/local/jails/image/14.3-RELEASE\timage\n' \
	    zfs list -H -o name,mountpoint,jailer:managed zroot/jails/image/14.3-RELEASE
	atf_check -s exit:0 -o inline:'zroot/jails/image/14.3-RELEASE@base\n' \
	    zfs list -H -t snapshot -o name -r zroot/jails/image
	# base.txz is extracted.
	img=root/usr/local/jails/image/14.3-RELEASE
	atf_check -s exit:0 -o match:'FreeBSD 14.3-RELEASE' cat $img/COPYRIGHT
	test -f $img/bin/sh || atf_fail "bin/sh missing"
	test -f $img/etc/defaults/rc.conf || atf_fail "etc/defaults/rc.conf missing"
	atf_check -s exit:0 -o inline:'/usr/share/misc/termcap\n' \
	    readlink $img/etc/termcap
	# What ran: the MANIFEST, the tarball (to .part), its check, the
	# dataset, tar into its mount point, the snapshot.
	u="$FreeBSD_mirror/releases/amd64/amd64/14.3-RELEASE"
	for l in "fetch -q -o - $u/MANIFEST" \
	    "fetch -q -o /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz.part $u/base.txz" \
	    'sha256 -q /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz.part' \
	    'zfs create -o jailer:managed=image zroot/jails/image/14.3-RELEASE' \
	    'tar -x -f /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz -C /usr/local/jails/image/14.3-RELEASE' \
	    'zfs snapshot zroot/jails/image/14.3-RELEASE@base'; do
		grep -qFx "$l" jailer.calls || atf_fail "did not run: $l"
	done
	atf_check -s exit:0 -o inline:'2\n' grep -c '^fetch ' jailer.calls
	atf_check -s exit:0 -o inline:'  14.3-RELEASE\n' -e empty jailer image list
}

atf_test_case fetch_named_release
fetch_named_release_head()
{
	atf_set descr 'image fetch 14.2-RELEASE fetches an older release'
	sim_only "uses the simulated host's own tools and files (FAKEBSD_MIRROR)"
}
fetch_named_release_body()
{
	require_sim
	host_ready
	atf_check -s exit:0 -o inline:'Fetching 14.2-RELEASE: Done!\n' -e empty \
	    jailer image fetch 14.2-RELEASE
	atf_check -s exit:0 -o match:'FreeBSD 14.2-RELEASE' \
	    cat root/usr/local/jails/image/14.2-RELEASE/COPYRIGHT
	atf_check -s exit:0 -o empty cmp \
	    "$FAKEBSD_MIRROR/releases/amd64/amd64/14.2-RELEASE/base.txz" \
	    $DIST/base-14.2-RELEASE.txz
	atf_check -s exit:0 -o inline:'  14.2-RELEASE\n' -e empty jailer image list
}

atf_test_case fetch_other_mountpoint
fetch_other_mountpoint_head()
{
	atf_set descr 'images and tarballs live under the mount point chosen by init -m'
	sim_only "uses the simulated host's own tools and files (FAKEBSD_MIRROR)"
}
fetch_other_mountpoint_body()
{
	require_sim
	host_fresh
	atf_check -s exit:0 -o ignore -e empty jailer init -y -m /srv/jails
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' -e empty \
	    jailer image fetch
	atf_check -s exit:0 -o empty cmp \
	    "$FAKEBSD_MIRROR/releases/amd64/amd64/14.3-RELEASE/base.txz" \
	    root/srv/jails/image/dist-files/base-14.3-RELEASE.txz
	atf_check -s exit:0 -o match:'FreeBSD 14.3-RELEASE' \
	    cat root/srv/jails/image/14.3-RELEASE/COPYRIGHT
	atf_check -s exit:0 -o empty -e empty jailer image use 14.3-RELEASE
	atf_check -s exit:0 -o inline:'14.3-RELEASE\n' \
	    cat root/srv/jails/image/.default
	test ! -e root/usr/local/jails || atf_fail "/usr/local/jails was used"
}

atf_test_case fetch_already_exists
fetch_already_exists_head()
{
	atf_set descr 'a second fetch of the same release fails, exit 1, no download'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_already_exists_body()
{
	require_sim
	host_with_image
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: 14.3-RELEASE: image already exists\n' \
	    jailer image fetch
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: 14.3-RELEASE: image already exists\n' \
	    jailer image fetch 14.3-RELEASE
	assert_no_mutation_image
	assert_host_unchanged
}

atf_test_case fetch_newer_refused
fetch_newer_refused_head()
{
	atf_set descr 'releases newer than the host are refused before any download'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_newer_refused_body()
{
	require_sim
	host_ready
	save_host
	calls_reset
	for r in 15.0-RELEASE 15.0-RC1 14.4-RELEASE 16.0-BETA1; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: $r: newer than the host's release 14.3-RELEASE-p2; a jail runs the host's kernel\n" \
		    jailer image fetch $r
	done
	assert_no_mutation_image
	assert_host_unchanged
}

atf_test_case fetch_release_syntax
fetch_release_syntax_head()
{
	atf_set descr 'patch levels, -STABLE, -CURRENT and bare versions are refused'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_release_syntax_body()
{
	require_sim
	host_ready
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid release '14.3-RELEASE-p2': write it as 14.3-RELEASE\n" \
	    jailer image fetch 14.3-RELEASE-p2
	atf_check -s exit:1 -o empty \
	    -e match:'^jailer: 14\.3-STABLE: -STABLE.* have no release images; use an X\.Y-RELEASE$' \
	    jailer image fetch 14.3-STABLE
	atf_check -s exit:1 -o empty -e match:'^jailer: 15.0-CURRENT: -STABLE' \
	    jailer image fetch 15.0-CURRENT
	for r in 14.3 14.3-release 14.3-RC0 014.3-RELEASE 14.3-RELEASE/; do
		atf_check -s exit:1 -o empty -e match:"^jailer: invalid release" \
		    jailer image fetch "$r"
	done
	atf_check -s exit:2 -o empty -e match:'^jailer image fetch: at most one release$' \
	    jailer image fetch 14.2-RELEASE 14.3-RELEASE
	assert_no_mutation_image
	assert_host_unchanged
}

atf_test_case fetch_rc_release
fetch_rc_release_head()
{
	atf_set descr 'an RC of the host release is fetchable (15.0-RC1 on 15.0)'
	sim_only "a simulated host made to order (mkhost options)"
}
fetch_rc_release_body()
{
	require_sim
	host_ready --release 15.0-RELEASE
	atf_check -s exit:0 -o inline:'Fetching 15.0-RC1: Done!\n' -e empty \
	    jailer image fetch 15.0-RC1
	atf_check -s exit:0 -o match:'FreeBSD 15.0-RC1' \
	    cat root/usr/local/jails/image/15.0-RC1/COPYRIGHT
	atf_check -s exit:0 -o inline:'Fetching 15.0-RELEASE: Done!\n' -e empty \
	    jailer image fetch
	# An RC sorts before its release.
	atf_check -s exit:0 -o inline:'  15.0-RC1\n  15.0-RELEASE\n' -e empty \
	    jailer image list
}

atf_test_case fetch_cache_reused
fetch_cache_reused_head()
{
	atf_set descr 'a cached tarball that verifies is reused without downloading it'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_cache_reused_body()
{
	require_sim
	host_with_image
	zfs destroy -r zroot/jails/image/14.3-RELEASE || atf_fail "zfs destroy"
	touch -t 202001010000 $TARBALL
	touch marker
	calls_reset
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' -e empty \
	    jailer image fetch
	cp root/.fakebsd/calls.log jailer.calls
	atf_check -s exit:0 -o inline:'1\n' grep -c '^fetch ' jailer.calls
	atf_check -s exit:0 -o match:'/MANIFEST$' grep '^fetch ' jailer.calls
	atf_check -s exit:0 -o inline:'sha256 -q /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz\n' \
	    grep '^sha256 ' jailer.calls
	atf_check -s exit:0 -o empty find $TARBALL -newer marker
	atf_check -s exit:0 -o inline:'zroot/jails/image/14.3-RELEASE@base\n' \
	    zfs list -H -t snapshot -o name zroot/jails/image/14.3-RELEASE@base
	atf_check -s exit:0 -o match:'14.3-RELEASE' \
	    cat root/usr/local/jails/image/14.3-RELEASE/COPYRIGHT
}

atf_test_case fetch_cache_corrupt
fetch_cache_corrupt_head()
{
	atf_set descr 'a corrupt cached tarball is downloaded again and replaced'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_cache_corrupt_body()
{
	require_sim
	host_with_image
	zfs destroy -r zroot/jails/image/14.3-RELEASE || atf_fail "zfs destroy"
	echo garbage >$TARBALL
	calls_reset
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' -e empty \
	    jailer image fetch
	atf_check -s exit:0 -o match:'/base\.txz$' \
	    grep '^fetch -q -o /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz.part ' \
	    root/.fakebsd/calls.log
	atf_check -s exit:0 -o empty cmp \
	    "$FAKEBSD_MIRROR/releases/amd64/amd64/14.3-RELEASE/base.txz" $TARBALL
	atf_check -s exit:0 -o inline:'base-14.3-RELEASE.txz\n' ls -A $DIST
}

atf_test_case fetch_bad_checksum
fetch_bad_checksum_head()
{
	atf_set descr 'a tarball that does not match the MANIFEST leaves nothing behind'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_bad_checksum_body()
{
	require_sim
	host_ready
	mirror_copy
	m=mirror/releases/amd64/amd64/14.3-RELEASE
	good=$(sha256 -q $m/base.txz)
	sed -i.bak "s/^base\.txz	$good	/base.txz	$(echo "$good" | tr 0-9a-f 1-9a-f0)	/" \
	    $m/MANIFEST
	rm $m/MANIFEST.bak
	grep -q "$good" $m/MANIFEST && atf_fail "MANIFEST not tampered"
	save_host_restorable
	calls_reset
	atf_check -s exit:1 -o inline:'Fetching 14.3-RELEASE: Failed!\n' \
	    -e match:"^jailer: 14.3-RELEASE: /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz.part: SHA-256 mismatch: MANIFEST says [0-9a-f]{64}, the file has $good\$" \
	    jailer image fetch
	atf_check -s exit:1 -o empty -e ignore zfs list zroot/jails/image/14.3-RELEASE
	test ! -e $TARBALL || atf_fail "the tarball was kept"
	test ! -e $TARBALL.part || atf_fail "the .part file was kept"
	assert_host_restored
}

atf_test_case fetch_manifest_no_base
fetch_manifest_no_base_head()
{
	atf_set descr 'a MANIFEST without base.txz, or a missing MANIFEST, fails cleanly'
	sim_only "compares the simulated host's files and state.json (assert_host_restored)"
}
fetch_manifest_no_base_body()
{
	require_sim
	host_ready
	mirror_copy
	m=mirror/releases/amd64/amd64/14.3-RELEASE
	sed -i.bak '/^base\.txz	/d' $m/MANIFEST
	rm $m/MANIFEST.bak
	save_host_restorable
	atf_check -s exit:1 -o inline:'Fetching 14.3-RELEASE: Failed!\n' \
	    -e inline:"jailer: 14.3-RELEASE: $FreeBSD_mirror/releases/amd64/amd64/14.3-RELEASE/MANIFEST: MANIFEST: no entry for base.txz\n" \
	    jailer image fetch
	assert_host_restored
	# A malformed checksum.
	printf 'base.txz\tabc\t26\tbase\t"Base system"\ton\n' >$m/MANIFEST
	atf_check -s exit:1 -o inline:'Fetching 14.3-RELEASE: Failed!\n' \
	    -e match:'MANIFEST: malformed checksum for base.txz$' \
	    jailer image fetch
	assert_host_restored
	# No MANIFEST at all: fetch's own message.
	rm $m/MANIFEST
	atf_check -s exit:1 -o inline:'Fetching 14.3-RELEASE: Failed!\n' \
	    -e match:'^jailer: 14.3-RELEASE: fetch -q -o - .*/MANIFEST: fetch: .*File unavailable' \
	    jailer image fetch
	assert_host_restored
}

atf_test_case fetch_faults
fetch_faults_head()
{
	atf_set descr 'a failure at any external command of image fetch leaves the host as it was'
	atf_set timeout 600
	sim_only "fault injection (FAKEBSD_FAIL)"
}
fetch_faults_body()
{
	require_sim
	host_ready
	save_host_restorable
	k=1
	while :; do
		[ $k -le 40 ] || atf_fail "image fetch never succeeded"
		calls_reset
		FAKEBSD_FAIL="#$k" jailer image fetch >out 2>err
		rc=$?
		if [ $rc -eq 0 ]; then
			[ "$(calls_count)" -eq $((k - 1)) ] ||
			    atf_fail "the successful run made $(calls_count) calls, $((k - 1)) were failed"
			break
		fi
		failed=$(sed -n "${k}p" root/.fakebsd/calls.log)
		[ $rc -eq 1 ] || atf_fail "fault #$k ($failed): exit $rc"
		[ "$(wc -l <err)" -eq 1 ] && grep -q '^jailer: ' err ||
		    { cat err; atf_fail "fault #$k ($failed): not one jailer: line"; }
		if [ -s out ]; then
			atf_check -s exit:0 \
			    -o inline:'Fetching 14.3-RELEASE: Failed!\n' cat out
		fi
		test ! -e $TARBALL.part ||
		    atf_fail "fault #$k ($failed): .part left behind"
		assert_host_restored
		echo "$failed" >>failed.calls
		k=$((k + 1))
	done
	# Every step named in the brief was among the failed calls.
	for p in '^fetch .*/MANIFEST$' '^fetch .*/base\.txz$' '^sha256 ' \
	    '^zfs create -o jailer:managed=image ' '^tar -x ' '^zfs snapshot '; do
		grep -qE "$p" failed.calls || atf_fail "no fault at $p"
	done
}

atf_test_case fetch_fault_partial_download
fetch_fault_partial_download_head()
{
	atf_set descr 'a download that breaks halfway leaves no .part file and no tarball'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
fetch_fault_partial_download_body()
{
	require_sim
	host_ready
	save_host_restorable
	atf_check -s exit:1 -o inline:'Fetching 14.3-RELEASE: Failed!\n' \
	    -e match:'^jailer: 14\.3-RELEASE: fetch -q -o /usr/local/jails/image/dist-files/base-14\.3-RELEASE\.txz\.part .*/base\.txz: fetch: simulated failure' \
	    env FAKEBSD_FAIL='fetch -q -o /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz.part' \
	    jailer image fetch
	assert_host_restored
	# tar breaking halfway: the extracted entries go with the dataset.
	atf_check -s exit:1 -o inline:'Fetching 14.3-RELEASE: Failed!\n' \
	    -e match:'^jailer: 14\.3-RELEASE: tar -x ' \
	    env FAKEBSD_FAIL='tar' jailer image fetch
	assert_host_restored
	# Then a clean fetch works.
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' -e empty \
	    jailer image fetch
}

atf_test_case fetch_leftover_dataset
fetch_leftover_dataset_head()
{
	atf_set descr 'an incomplete image (jailer:managed=image, no @base) is cleaned and fetched again'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_leftover_dataset_body()
{
	require_sim
	host_ready
	zfs create -p -o jailer:managed=image zroot/jails/image/14.3-RELEASE ||
	    atf_fail "zfs create"
	echo junk >root/usr/local/jails/image/14.3-RELEASE/junk
	calls_reset
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' \
	    -e inline:'jailer: 14.3-RELEASE: removing zroot/jails/image/14.3-RELEASE, left incomplete by an earlier fetch\n' \
	    jailer image fetch
	atf_check -s exit:0 -o ignore grep -Fx \
	    'zfs destroy -r zroot/jails/image/14.3-RELEASE' root/.fakebsd/calls.log
	test ! -e root/usr/local/jails/image/14.3-RELEASE/junk ||
	    atf_fail "the old contents are still there"
	atf_check -s exit:0 -o ignore zfs list -t snapshot \
	    zroot/jails/image/14.3-RELEASE@base
	atf_check -s exit:0 -o inline:'  14.3-RELEASE\n' jailer image list
}

atf_test_case fetch_leftover_message
fetch_leftover_message_head()
{
	atf_set descr 'the warning about an incomplete image does not break the Fetching line'
	sim_only "names the simulated host's pool, zroot"
}
fetch_leftover_message_body()
{
	require_sim
	host_ready
	zfs create -p -o jailer:managed=image zroot/jails/image/14.3-RELEASE ||
	    atf_fail "zfs create"
	jailer image fetch >out 2>&1
	atf_check -s exit:0 -o ignore grep -Fx 'Fetching 14.3-RELEASE: Done!' out
}

atf_test_case fetch_foreign_dataset
fetch_foreign_dataset_head()
{
	atf_set descr 'a dataset jailer did not make in the image place is refused'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_foreign_dataset_body()
{
	require_sim
	host_ready
	zfs create -p zroot/jails/image/14.3-RELEASE || atf_fail "zfs create"
	echo precious >root/usr/local/jails/image/14.3-RELEASE/data
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: 14.3-RELEASE: zroot/jails/image/14.3-RELEASE exists and is not a jailer image; rename or destroy it first\n' \
	    jailer image fetch
	assert_no_mutation_image
	assert_host_unchanged
	# Another jailer: value is foreign as well.
	zfs set jailer:managed=yes zroot/jails/image/14.3-RELEASE
	save_host
	atf_check -s exit:1 -o ignore -e match:'is not a jailer image' \
	    jailer image fetch
	assert_host_unchanged
}

atf_test_case fetch_http
fetch_http_head()
{
	atf_set descr 'image fetch and list remote through a loopback HTTP mirror'
	atf_set require.progs python3 timeout
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
fetch_http_body()
{
	require_sim
	host_ready
	mirror_copy
	http_start "$PWD/mirror"
	url="http://127.0.0.1:$HTTP_PORT"
	calls_reset
	atf_check -s exit:0 -o inline:'Fetching 14.2-RELEASE: Done!\n' -e empty \
	    env FreeBSD_mirror="$url/" jailer image fetch 14.2-RELEASE
	atf_check -s exit:0 -o ignore grep -Fx \
	    "fetch -q -o - $url/releases/amd64/amd64/14.2-RELEASE/MANIFEST" \
	    root/.fakebsd/calls.log
	atf_check -s exit:0 -o empty cmp mirror/releases/amd64/amd64/14.2-RELEASE/base.txz \
	    $DIST/base-14.2-RELEASE.txz
	atf_check -s exit:0 -o match:'FreeBSD 14.2-RELEASE' \
	    cat root/usr/local/jails/image/14.2-RELEASE/COPYRIGHT
	atf_check -s exit:0 \
	    -o inline:'  13.5-RELEASE\n  14.2-RELEASE\n  14.3-RELEASE\n  15.0-RC1\n  15.0-RELEASE\n' \
	    -e empty env FreeBSD_mirror="$url" jailer image list remote
	# A release the mirror does not have: the server's answer.
	save_host_restorable
	atf_check -s exit:1 -o inline:'Fetching 14.1-RELEASE: Failed!\n' \
	    -e match:"^jailer: 14.1-RELEASE: fetch -q -o - $url/releases/amd64/amd64/14.1-RELEASE/MANIFEST: fetch: .*Not Found\$" \
	    env FreeBSD_mirror="$url" jailer image fetch 14.1-RELEASE
	assert_host_restored
	atf_check -s exit:0 -o match:'GET /releases/amd64/amd64/14.2-RELEASE/base.txz' \
	    cat http.log
	http_stop
}
fetch_http_cleanup()
{
	http_stop
}

# ----------------------------------------------------------------- list

atf_test_case list_installed
list_installed_head()
{
	atf_set descr 'image list: sorted by version, one line per image whatever its snapshots'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
list_installed_body()
{
	require_sim
	host_with_image
	zfs snapshot zroot/jails/image/14.3-RELEASE@extra || atf_fail snapshot
	zfs snapshot zroot/jails/image/14.3-RELEASE@zz || atf_fail snapshot
	for r in 9.3-RELEASE 14.3-RC1 10.4-RELEASE 14.2-RELEASE 14.3-BETA2; do
		fake_image $r
	done
	# Not images: no @base, or not a release name.
	zfs create zroot/jails/image/13.0-RELEASE || atf_fail "zfs create"
	zfs create zroot/jails/image/junk || atf_fail "zfs create"
	zfs snapshot zroot/jails/image/junk@base || atf_fail snapshot
	save_host
	calls_reset
	cat >expout <<'EOF'
  9.3-RELEASE
  10.4-RELEASE
  14.2-RELEASE
  14.3-BETA2
  14.3-RC1
  14.3-RELEASE
EOF
	atf_check -s exit:0 -o file:expout -e empty jailer image list
	assert_no_mutation_image
	assert_host_unchanged
	atf_check -s exit:0 -o file:expout -e empty jailer ima l
}

atf_test_case list_json
list_json_head()
{
	atf_set descr 'image list -j: name and default of every image'
	sim_only "names the simulated host's pool, zroot"
}
list_json_body()
{
	require_sim
	host_with_image
	fake_image 14.2-RELEASE
	atf_check -s exit:0 -o empty -e empty jailer image use 14.3-RELEASE
	atf_check -s exit:0 \
	    -o inline:'[{"name":"14.2-RELEASE","default":"no","patch":"0"},{"name":"14.3-RELEASE","default":"yes","patch":"0"}]\n' \
	    -e empty jailer image list -j
	atf_check -s exit:0 \
	    -o inline:'  14.2-RELEASE\n* 14.3-RELEASE\n' -e empty jailer image list
}

atf_test_case list_empty
list_empty_head()
{
	atf_set descr 'image list with no image prints nothing; -j prints []'
}
list_empty_body()
{
	host_ready
	atf_check -s exit:0 -o empty -e empty jailer image list
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer image list -j
	atf_check -s exit:2 -o empty -e match:"unexpected argument 'foo'" \
	    jailer image list foo
}

atf_test_case list_remote
list_remote_head()
{
	atf_set descr 'image list remote: the releases of the mirror, sorted, text and JSON'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
list_remote_body()
{
	require_sim
	host_ready
	save_host
	calls_reset
	atf_check -s exit:0 \
	    -o inline:'  13.5-RELEASE\n  14.2-RELEASE\n  14.3-RELEASE\n  15.0-RC1\n  15.0-RELEASE\n' \
	    -e empty jailer image list remote
	atf_check -s exit:0 \
	    -o inline:'[{"name":"13.5-RELEASE"},{"name":"14.2-RELEASE"},{"name":"14.3-RELEASE"},{"name":"15.0-RC1"},{"name":"15.0-RELEASE"}]\n' \
	    -e empty jailer image list -j remote
	atf_check -s exit:0 -o inline:"2\n" grep -c \
	    "^fetch -q -o - $FreeBSD_mirror/releases/amd64/amd64/\$" root/.fakebsd/calls.log
	assert_host_unchanged
}

atf_test_case list_remote_index
list_remote_index_head()
{
	atf_set descr 'image list remote parses an HTML index: sorted, unique, releases only'
	atf_set require.progs python3 timeout
	sim_only "assumes the releases of the simulated host and mirror"
}
list_remote_index_body()
{
	require_sim
	host_ready
	mkdir -p web/releases/amd64/amd64
	cat >web/releases/amd64/amd64/index.html <<'EOF'
<html><body><pre>
<a href="../">../</a>
<a href="15.0-RELEASE/">15.0-RELEASE/</a>
<a href="ISO-IMAGES/">ISO-IMAGES/</a>
<a href="9.3-RELEASE/">9.3-RELEASE/</a>
<a href="./14.3-RELEASE/">14.3-RELEASE/</a>
<a href="14.3-RELEASE/">14.3-RELEASE/</a>
<a href="10.4-RELEASE/">10.4-RELEASE/</a>
<a href="14.3-STABLE/">14.3-STABLE/</a>
<a href="15.0-RC1/">15.0-RC1/</a>
<a href="14.3-RELEASE-p2/">x</a>
<a href="$(id)/">x</a>
<a href="README.TXT">README.TXT</a>
</pre></body></html>
EOF
	http_start "$PWD/web"
	atf_check -s exit:0 \
	    -o inline:'  9.3-RELEASE\n  10.4-RELEASE\n  14.3-RELEASE\n  15.0-RC1\n  15.0-RELEASE\n' \
	    -e empty env FreeBSD_mirror="http://127.0.0.1:$HTTP_PORT" \
	    jailer image list remote
	http_stop
}
list_remote_index_cleanup()
{
	http_stop
}

atf_test_case list_remote_unreachable
list_remote_unreachable_head()
{
	atf_set descr 'image list remote with a mirror that does not answer: one clear error'
	atf_set require.progs python3
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
list_remote_unreachable_body()
{
	require_sim
	host_ready
	port=$(free_port)
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: fetch -q -o - http://127.0.0.1:$port/releases/amd64/amd64/: fetch: http://127.0.0.1:$port/releases/amd64/amd64/: Connection refused\n" \
	    env FreeBSD_mirror="http://127.0.0.1:$port" jailer image list remote
	# A file:// mirror that is not there.
	atf_check -s exit:1 -o empty -e match:'^jailer: fetch -q -o - file:///nonexistent/releases/amd64/amd64/: fetch: ' \
	    env FreeBSD_mirror=file:///nonexistent jailer image list remote
	assert_host_unchanged
}

atf_test_case list_remote_extra_argument
list_remote_extra_argument_head()
{
	atf_set descr 'image list remote x names x as the unexpected argument'
}
list_remote_extra_argument_body()
{
	host_ready
	atf_check -s exit:2 -o empty -e save:err jailer image list remote x
	atf_check -s exit:0 \
	    -o inline:"jailer image list: unexpected argument 'x'\n" head -1 err
}

# ------------------------------------------------------------------ use

atf_test_case use_no_default
use_no_default_head()
{
	atf_set descr 'image use without a default set: error, exit 1'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
use_no_default_body()
{
	require_sim
	host_with_image
	save_host
	atf_check -s exit:1 -o empty -e inline:'jailer: no default image set\n' \
	    jailer image use
	assert_host_unchanged
}

atf_test_case use_set_and_show
use_set_and_show_head()
{
	atf_set descr 'image use REL writes image/.default; image use prints it'
	sim_only "compares the simulated host's files and state.json (host_state)"
}
use_set_and_show_body()
{
	require_sim
	host_with_image
	fake_image 14.2-RELEASE
	atf_check -s exit:0 -o empty -e empty jailer image use 14.2-RELEASE
	atf_check -s exit:0 -o inline:'14.2-RELEASE\n' \
	    cat root/usr/local/jails/image/.default
	atf_check -s exit:0 -o inline:'14.2-RELEASE\n' -e empty jailer image use
	atf_check -s exit:0 -o inline:'* 14.2-RELEASE\n  14.3-RELEASE\n' \
	    jailer image list
	atf_check -s exit:0 -o empty -e empty jailer image use 14.3-RELEASE
	atf_check -s exit:0 -o inline:'14.3-RELEASE\n' -e empty jailer image use
	atf_check -s exit:0 -o inline:'  14.2-RELEASE\n* 14.3-RELEASE\n' \
	    jailer image list
	host_state >state
	atf_check -s exit:0 -o ignore \
	    grep -E '^f 0644 [0-9a-f]+ usr/local/jails/image/\.default$' state
	# No temporary file left next to it.
	atf_check -s exit:0 -o inline:'.default\n14.2-RELEASE\n14.3-RELEASE\ndist-files\n' \
	    env LC_ALL=C ls -A root/usr/local/jails/image
}

atf_test_case use_not_installed
use_not_installed_head()
{
	atf_set descr 'image use refuses a release that is not installed or is incomplete'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
use_not_installed_body()
{
	require_sim
	host_with_image
	zfs create -o jailer:managed=image zroot/jails/image/14.2-RELEASE ||
	    atf_fail "zfs create"
	save_host
	for r in 14.1-RELEASE 14.2-RELEASE; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: $r: no such image; fetch it with 'jailer image fetch $r'\n" \
		    jailer image use $r
	done
	atf_check -s exit:1 -o empty -e match:"^jailer: invalid release 'x;y'" \
	    jailer image use 'x;y'
	atf_check -s exit:2 -o empty -e match:'at most one release' \
	    jailer image use 14.3-RELEASE 14.2-RELEASE
	assert_host_unchanged
}

atf_test_case use_garbage_file
use_garbage_file_head()
{
	atf_set descr 'a garbled image/.default is reported, not printed'
	sim_only "assumes the releases of the simulated host and mirror"
}
use_garbage_file_body()
{
	require_sim
	host_with_image
	printf '$(id);\n' >root/usr/local/jails/image/.default
	atf_check -s exit:1 -o empty -e match:"^jailer: invalid release '\\\$\\(id\\);'" \
	    jailer image use
	atf_check -s exit:0 -o inline:'  14.3-RELEASE\n' \
	    -e match:'^jailer: ignoring the default image: ' jailer image list
}

# ------------------------------------------------------------- arm64

atf_test_case fetch_arm64_layout
fetch_arm64_layout_head()
{
	atf_set descr 'on arm64 the tarball comes from releases/arm64/aarch64/REL, as on the FreeBSD mirrors'
	sim_only "uses the simulated host's own tools and files (.fakebsd/)"
}
fetch_arm64_layout_body()
{
	require_sim
	# download.freebsd.org has releases/MACHINE/MACHINE_ARCH/REL
	# (releases/arm64/aarch64/14.3-RELEASE/base.txz); bsdinstall builds
	# its URL the same way.  The mirror made here has that layout only.
	host_ready --arch arm64
	atf_check -s exit:0 -o inline:'Fetching 14.3-RELEASE: Done!\n' -e empty \
	    jailer image fetch
	atf_check -s exit:0 -o ignore grep -F \
	    "fetch -q -o /usr/local/jails/image/dist-files/base-14.3-RELEASE.txz.part $FreeBSD_mirror/releases/arm64/aarch64/14.3-RELEASE/base.txz" \
	    root/.fakebsd/calls.log
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case fetch_default
	atf_add_test_case fetch_named_release
	atf_add_test_case fetch_other_mountpoint
	atf_add_test_case fetch_already_exists
	atf_add_test_case fetch_newer_refused
	atf_add_test_case fetch_release_syntax
	atf_add_test_case fetch_rc_release
	atf_add_test_case fetch_cache_reused
	atf_add_test_case fetch_cache_corrupt
	atf_add_test_case fetch_bad_checksum
	atf_add_test_case fetch_manifest_no_base
	atf_add_test_case fetch_faults
	atf_add_test_case fetch_fault_partial_download
	atf_add_test_case fetch_leftover_dataset
	atf_add_test_case fetch_leftover_message
	atf_add_test_case fetch_foreign_dataset
	atf_add_test_case fetch_http
	atf_add_test_case list_installed
	atf_add_test_case list_json
	atf_add_test_case list_empty
	atf_add_test_case list_remote
	atf_add_test_case list_remote_index
	atf_add_test_case list_remote_unreachable
	atf_add_test_case list_remote_extra_argument
	atf_add_test_case use_no_default
	atf_add_test_case use_set_and_show
	atf_add_test_case use_not_installed
	atf_add_test_case use_garbage_file
	atf_add_test_case fetch_arm64_layout
}
