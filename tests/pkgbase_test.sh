# jailer image fetch -p: an image installed from the FreeBSD-base
# repository (pkgbase) with pkg -r, trusting only the host's keys; its
# jails start and list like others; refusals; the host's own package
# database and /etc untouched; a fault sweep.

# pkgbase_host, pkgbase_mirror, refused, one_error, host_sweep, save_norm
# and assert_norm are in jailer.subr.

# Reading the host is fine; so is asking whether pkg(8) is there.
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig -l$|ifconfig [A-Za-z0-9_.]+$|pkg -N$)'

IMG=zroot/jails/image/15.0-RELEASE

# ready15: a FreeBSD 15.0 host after init, pkg(8) bootstrapped, the
# FreeBSD-base mirror (pkgbase_mirror ARGS), no image yet.
ready15()
{
	host_ready --release 15.0-RELEASE
	pkg bootstrap -y >/dev/null 2>&1 || atf_fail "pkg bootstrap failed"
	pkgbase_mirror "$@"
}

# host_own: what of the host pkgbase must never touch: its package
# database (state.json "packages") and every file under /etc and
# /usr/local/etc/pkg, /var/db.
host_own()
{
	python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["packages"], sort_keys=True))' \
	    "$JAILER_ROOT/.fakebsd/state.json" | sed 's/"time": [0-9]*//g'
	(cd "$JAILER_ROOT" && find etc usr/local/etc/pkg var/db usr/share/keys \
	    -type f 2>/dev/null | sort | xargs -r sha256sum)
}

atf_test_case fetch_makes_image
fetch_makes_image_head()
{
	atf_set descr 'image fetch -p installs FreeBSD-set-minimal-jail with pkg -r and a repo conf of its own; the jail starts and lists; the host is untouched'
	sim_only "a FreeBSD 15.0 host and a simulated FreeBSD-base mirror"
}
fetch_makes_image_body()
{
	require_sim
	ready15
	host_own >own.before
	calls_reset
	atf_check -s exit:0 -o inline:'Fetching 15.0-RELEASE: Done!\n' \
	    -e empty jailer image fetch -p
	atf_check -s exit:0 -o inline:'pkgbase\n' \
	    zfs get -H -o value jailer:source "$IMG"
	atf_check -s exit:0 -o inline:'image\n' \
	    zfs get -H -o value jailer:managed "$IMG"
	atf_check -s exit:0 -o ignore zfs list -t snapshot "$IMG@base"
	img="$JAILER_ROOT/usr/local/jails/image/15.0-RELEASE"
	atf_check -s exit:0 -o match:'^USERLAND_VERSION="15.0-RELEASE"$' \
	    cat "$img/bin/freebsd-version"
	atf_check -s exit:0 test -f "$img/var/db/pkg/local.sqlite"
	atf_check -s exit:0 test -f "$img/etc/rc"
	atf_check -s exit:0 -o match:'^FreeBSD-set-minimal-jail 15.0$' \
	    -o match:'^FreeBSD-runtime 15.0$' \
	    pkg -r /usr/local/jails/image/15.0-RELEASE query '%n %v'
	# The one pkg run: jailer's own repo directory (-R), the image root
	# (-r), an explicit ABI; no -j/-c, nothing on the host's root.
	calls >calls.out
	atf_check -s exit:0 \
	    -o match:'^pkg -o ABI=FreeBSD:15:amd64 -o IGNORE_OSVERSION=yes -R /var/run/jailer-pkgbase\.[A-Za-z0-9]+ -r /usr/local/jails/image/15.0-RELEASE install -y -r FreeBSD-base FreeBSD-set-minimal-jail$' \
	    cat calls.out
	# The repository configuration lived only for that run.
	atf_check -s exit:0 -o empty find "$JAILER_ROOT/var/run" -name 'jailer-pkgbase*'
	host_own >own.after
	atf_check -s exit:0 diff -u own.before own.after
	atf_check -s exit:0 -o match:'15\.0-RELEASE' jailer image list
	mkjail p1
	assert_running p1
	atf_check -s exit:0 -o inline:'15.0-RELEASE\n' jexec p1 freebsd-version
	atf_check -s exit:0 -o match:'^p1 +Active ' jailer list
	atf_check -s exit:0 -o match:'Stopping p1: Done!' jailer stop p1
	atf_check -s exit:0 -o match:'Starting p1: Done!' jailer start p1
}

atf_test_case untrusted_key_refused
untrusted_key_refused_head()
{
	atf_set descr 'a FreeBSD-base repository signed by a key the host does not ship is refused, with nothing left'
	sim_only "a simulated FreeBSD-base mirror signed by another key"
}
untrusted_key_refused_body()
{
	require_sim
	ready15 --key evil
	save_norm before
	jailer image fetch -p >out 2>err
	atf_check_equal 1 $?
	atf_check -s exit:0 -o inline:'Fetching 15.0-RELEASE: Failed!\n' cat out
	one_error err
	atf_check -s exit:0 -o match:'Error updating repositories|trusted' cat err
	assert_norm before
	atf_check -s exit:1 -o ignore -e ignore zfs list "$IMG"
}

atf_test_case mirror_keys_not_trusted
mirror_keys_not_trusted_head()
{
	atf_set descr 'a mirror that offers its own fingerprints is still refused: jailer trusts only /usr/share/keys/pkgbase-15 of the host'
	sim_only "a simulated FreeBSD-base mirror shipping keys"
}
mirror_keys_not_trusted_body()
{
	require_sim
	ready15 --key evil --offer-keys
	atf_check -s exit:0 test -f \
	    "$PWD/pkgmirror/FreeBSD:15:amd64/base_release_0/keys/trusted/evil"
	save_norm before
	atf_check -s exit:1 -o ignore -e save:err jailer image fetch -p
	one_error err
	assert_norm before
	# The same mirror signed with the key the host ships is fine.
	pkgbase_mirror
	atf_check -s exit:0 -o ignore -e empty jailer image fetch -p
}

atf_test_case tampered_refused
tampered_refused_head()
{
	atf_set descr 'a catalogue changed after signing, or a package that does not match its checksum, is refused with nothing left'
	sim_only "a tampered simulated mirror"
}
tampered_refused_body()
{
	require_sim
	ready15
	repo="$PWD/pkgmirror/FreeBSD:15:amd64/base_release_0"
	cp "$repo/packagesite.pkg" site.orig
	sed 's/"comment": "FreeBSD runtime/"comment": "Trojan runtime/' \
	    site.orig >"$repo/packagesite.pkg"
	save_norm before
	atf_check -s exit:1 -o ignore -e save:err jailer image fetch -p
	one_error err
	assert_norm before
	cp site.orig "$repo/packagesite.pkg"
	echo '{"name": "FreeBSD-runtime", "files": []}' \
	    >"$repo/All/FreeBSD-runtime-15.0.pkg"
	atf_check -s exit:1 -o ignore -e save:err jailer image fetch -p
	one_error err
	atf_check -s exit:0 -o match:"pkg update -f" cat err
	assert_norm before
}

atf_test_case refusals
refusals_head()
{
	atf_set descr 'fetch -p refuses releases before 15.0, non-releases and hostile strings, a host without keys or without pkg(8), before anything changes'
	sim_only "FreeBSD 15.0 and 14.3 simulated hosts"
}
refusals_body()
{
	require_sim
	ready15
	for r in 14.3-RELEASE 13.5-RELEASE 15.0-RC1 '../x' '15.0-RELEASE;x' \
	    '15.0-RELEASE/../x' "15.0-RELEASE
" '$(id)' 15.0-RELEASE-p1 -15.0 ''; do
		refused "fetch -p '$r'" jailer image fetch -p "$r"
	done
	jailer image fetch -p 14.3-RELEASE 2>err
	atf_check -s exit:0 -o match:'15\.0-RELEASE or later' cat err
	refused "two releases" jailer image fetch -p 15.0-RELEASE 15.1-RELEASE
	FreeBSD_pkgbase_mirror='file:///x"y' refused "bad mirror" \
	    jailer image fetch -p
	FreeBSD_pkgbase_mirror='gopher://x' refused "bad mirror" \
	    jailer image fetch -p
	# No FreeBSD-base keys on the host.
	mv "$JAILER_ROOT/usr/share/keys/pkgbase-15" keys.saved
	refused "no host keys" jailer image fetch -p
	jailer image fetch -p 2>err
	atf_check -s exit:0 -o match:'/usr/share/keys/pkgbase-15/trusted' cat err
	mv keys.saved "$JAILER_ROOT/usr/share/keys/pkgbase-15"
	atf_check -s exit:0 -o ignore jailer image fetch -p
	refused "already there" jailer image fetch -p
}

atf_test_case needs_host_pkg
needs_host_pkg_head()
{
	atf_set descr 'fetch -p on a host without pkg(8) says so and does not bootstrap it'
	sim_only "a simulated host without pkg(8)"
}
needs_host_pkg_body()
{
	require_sim
	host_ready --release 15.0-RELEASE
	pkgbase_mirror
	refused "no pkg(8)" jailer image fetch -p
	jailer image fetch -p 2>err
	atf_check -s exit:0 -o match:"pkg bootstrap" cat err
	atf_check -s exit:1 -o ignore -e ignore pkg -N
}

atf_test_case fourteen_host
fourteen_host_head()
{
	atf_set descr 'a FreeBSD 14.3 host cannot run 15.0 jails and ships no pkgbase keys: fetch -p is refused'
	sim_only "a FreeBSD 14.3 simulated host"
}
fourteen_host_body()
{
	require_sim
	host_ready
	pkg bootstrap -y >/dev/null 2>&1 || atf_fail "pkg bootstrap failed"
	pkgbase_mirror
	refused "15.0 on 14.3" jailer image fetch -p 15.0-RELEASE
	refused "14.3 from pkgbase" jailer image fetch -p
	atf_check -s exit:1 test -d "$JAILER_ROOT/usr/share/keys/pkgbase-14"
}

atf_test_case fetch_sweep
fetch_sweep_head()
{
	atf_set descr 'a fault at any program of image fetch -p leaves the host as it was'
	sim_only "fault injection"
}
fetch_sweep_body()
{
	require_sim
	ready15
	host_sweep jailer image fetch -p
	# After the sweep the host is back as it was: the fetch still works.
	atf_check -s exit:0 -o ignore jailer image fetch -p
}

atf_test_case patch_levels
patch_levels_head()
{
	atf_set descr 'a new patch level on FreeBSD-base: image update and update use pkg -r upgrade; the host is untouched; a planted symlink in the jail is refused'
	sim_only "a simulated FreeBSD-base mirror moved to p1"
}
patch_levels_body()
{
	require_sim
	pkgbase_host
	mkjail p1
	mkjail p2
	host_own >own.before
	atf_check -s exit:0 -o match:'nothing to install' jailer image update 15.0-RELEASE
	pkgbase_mirror --patch 1
	calls_reset
	atf_check -s exit:0 -o match:'15\.0-RELEASE-p1' jailer image update 15.0-RELEASE
	calls >calls.out
	atf_check -s exit:0 -o match:'^pkg .* -R /var/run/jailer-pkgbase\.[A-Za-z0-9]+ -r /usr/local/jails/image/15\.0-RELEASE upgrade -y -r FreeBSD-base$' \
	    cat calls.out
	atf_check -s exit:1 grep -q freebsd-update calls.out
	atf_check -s exit:0 -o ignore zfs list "$IMG@p1"
	atf_check -s exit:0 -o match:'15\.0-RELEASE-p1' jailer image list
	atf_check -s exit:0 -o match:'Done!' jailer update p1
	atf_check -s exit:0 -o inline:'15.0-RELEASE-p1\n' jexec p1 freebsd-version
	host_own >own.after
	atf_check -s exit:0 diff -u own.before own.after
	# A jail whose root planted a symlink where pkg -r writes.
	atf_check -s exit:0 -o ignore jailer stop p2
	r=$(jroot p2)
	mv "$r/usr/bin" "$r/usr/bin.real"
	ln -s /etc "$r/usr/bin"
	atf_check -s exit:0 -o ignore jailer start p2
	atf_check -s exit:1 -o ignore -e match:'usr/bin is not a directory' \
	    jailer update p2
	atf_check -s exit:0 test -L "$r/usr/bin"
	atf_check -s exit:1 test -e "$JAILER_ROOT/etc/env"
	assert_running p2
	host_own >own.after
	atf_check -s exit:0 diff -u own.before own.after
}

atf_test_case image_update_sweep
image_update_sweep_head()
{
	atf_set descr 'a fault at any program of image update of a pkgbase image leaves the host as it was'
	sim_only "fault injection"
}
image_update_sweep_body()
{
	require_sim
	pkgbase_host
	pkgbase_mirror --patch 1
	host_sweep jailer image update 15.0-RELEASE
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case fetch_makes_image
	atf_add_test_case untrusted_key_refused
	atf_add_test_case mirror_keys_not_trusted
	atf_add_test_case tampered_refused
	atf_add_test_case refusals
	atf_add_test_case needs_host_pkg
	atf_add_test_case fourteen_host
	atf_add_test_case fetch_sweep
	atf_add_test_case patch_levels
	atf_add_test_case image_update_sweep
}
