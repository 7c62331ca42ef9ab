# The simulated pkg(8) on other roots: -j jail (inside a running jail,
# with the jail's own configuration), -c chroot, -r rootdir (the host's
# configuration); the database and the files live under that root, the
# host's package database is never touched; the FreeBSD-base repository
# with its signatures and patch levels.

# mkjail, jroot, pkgbase_mirror and host_with_image are in jailer.subr.

# host_pkgs: the host's own package database (state.json "packages").
host_pkgs()
{
	python3 -c 'import json,sys; print(json.dumps(sorted(json.load(open(sys.argv[1]))["packages"])))' \
	    "$JAILER_ROOT/.fakebsd/state.json"
}

# jail_host: the host's image, pkg(8) on the host, the running jail w1.
jail_host()
{
	host_with_image
	pkg bootstrap -y >/dev/null 2>&1 || atf_fail "pkg bootstrap failed"
	mkjail w1
}

atf_test_case jail_install
jail_install_head()
{
	atf_set descr 'pkg -j installs into the running jail: files and database under its root, dependencies automatic, the host database untouched'
	sim_only "the simulated pkg and jails"
}
jail_install_body()
{
	require_sim
	jail_host
	host_pkgs >host.before
	atf_check -s exit:0 -o match:'Installing nginx-' \
	    -o match:'Installing pcre2-' -e empty pkg -j w1 install -y nginx
	r=$(jroot w1)
	atf_check -s exit:0 test -x "$r/usr/local/sbin/nginx"
	atf_check -s exit:0 -o match:'^rcvar=nginx_enable$' \
	    cat "$r/usr/local/etc/rc.d/nginx"
	atf_check -s exit:0 test -f "$r/var/db/pkg/local.sqlite"
	atf_check -s exit:0 -o inline:'nginx 0\npcre2 1\n' \
	    pkg -j w1 query '%n %a'
	atf_check -s exit:0 pkg -j w1 info -e nginx
	atf_check -s exit:0 pkg -j "$(jls -j w1 jid)" info -e nginx
	atf_check -s exit:1 pkg info -e nginx
	atf_check -s exit:1 test -e "$JAILER_ROOT/usr/local/sbin/nginx"
	host_pkgs >host.after
	atf_check -s exit:0 diff host.before host.after
	atf_check -s exit:0 -o match:'already installed' \
	    pkg -j w1 install -y nginx
	atf_check -s exit:0 -o match:'Deinstalling nginx-' \
	    pkg -j w1 delete -y nginx
	atf_check -s exit:1 test -e "$r/usr/local/sbin/nginx"
	atf_check -s exit:1 pkg -j w1 info -e nginx
	atf_check -s exit:1 -o ignore -e match:"No packages available to install matching 'nosuch'" \
	    pkg -j w1 install -y nosuch
	atf_check -s exit:0 -o match:'Installing postgresql17-client-' \
	    pkg -j w1 install -y databases/postgresql17-server
	atf_check -s exit:0 test -f "$r/usr/local/etc/rc.d/postgresql"
}

atf_test_case jail_must_run
jail_must_run_head()
{
	atf_set descr 'pkg -j needs a running jail; unknown jails, commands and options fail like pkg'
	sim_only "the simulated pkg and jails"
}
jail_must_run_body()
{
	require_sim
	jail_host
	atf_check -s exit:0 -o ignore jailer stop w1
	atf_check -s exit:1 -o empty -e inline:'pkg: jail "w1" not found\n' \
	    pkg -j w1 info
	atf_check -s exit:1 -o empty -e match:'not found' pkg -j nosuch info
	atf_check -s exit:1 -o empty -e match:'illegal option -- x' pkg -x info
	atf_check -s not-exit:0 -o empty -e match:'unsupported by fakebsd' \
	    pkg -r /tmp audit
	atf_check -s exit:1 -o empty -e match:'Usage: pkg' \
	    pkg -j w1 -r /tmp info
}

atf_test_case jail_config_counts
jail_config_counts_head()
{
	atf_set descr "pkg -j reads the jail's own repository files; pkg -r on the same root reads the host's"
	sim_only "the simulated pkg and jails"
}
jail_config_counts_body()
{
	require_sim
	jail_host
	r=$(jroot w1)
	mkdir -p "$r/usr/local/etc/pkg/repos"
	echo 'FreeBSD: { enabled: no }' >"$r/usr/local/etc/pkg/repos/FreeBSD.conf"
	atf_check -s exit:3 -o empty \
	    -e inline:'pkg: No active remote repositories configured.\n' \
	    pkg -j w1 install -y nginx
	atf_check -s exit:0 -o ignore -e empty \
	    pkg -r /usr/local/jails/w1 install -y nginx
	atf_check -s exit:0 pkg -j w1 info -e nginx
	# -c: the chroot's configuration, like -j.
	atf_check -s exit:3 -o empty -e ignore \
	    pkg -c /usr/local/jails/w1 install -y sudo
}

atf_test_case snapshot_captures
snapshot_captures_head()
{
	atf_set descr 'the database is a file in the jail dataset: a zfs rollback takes the packages back'
	sim_only "the simulated pkg and ZFS"
}
snapshot_captures_body()
{
	require_sim
	jail_host
	atf_check -s exit:0 -o ignore jailer snap w1@clean
	atf_check -s exit:0 -o ignore pkg -j w1 install -y nginx
	atf_check -s exit:0 -o ignore jailer stop w1
	atf_check -s exit:0 zfs rollback zroot/jails/w1@clean
	atf_check -s exit:0 -o ignore jailer start w1
	atf_check -s exit:1 pkg -j w1 info -e nginx
	atf_check -s exit:1 test -e "$(jroot w1)/usr/local/sbin/nginx"
}

atf_test_case chroot_confined
chroot_confined_head()
{
	atf_set descr 'pkg -c resolves symlinks inside the chroot; a damaged database is an error'
	sim_only "the simulated pkg"
}
chroot_confined_body()
{
	require_sim
	host_fresh
	pkg bootstrap -y >/dev/null 2>&1 || atf_fail "pkg bootstrap failed"
	mkdir -p "$JAILER_ROOT/c/usr" "$JAILER_ROOT/c/bin" "$JAILER_ROOT/elsewhere"
	printf 'USERLAND_VERSION="14.3-RELEASE"\n' >"$JAILER_ROOT/c/bin/freebsd-version"
	ln -s /elsewhere "$JAILER_ROOT/c/usr/local"
	atf_check -s exit:0 -o ignore pkg -c /c install -y sudo
	atf_check -s exit:0 test -f "$JAILER_ROOT/c/elsewhere/bin/sudo"
	atf_check -s exit:1 test -e "$JAILER_ROOT/elsewhere/bin/sudo"
	echo garbage >"$JAILER_ROOT/c/var/db/pkg/local.sqlite"
	atf_check -s exit:1 -o empty -e match:'file is not a database' \
	    pkg -c /c info
}

# base_repo: the FreeBSD-base repository conf in /repos of the host.
base_repo()
{
	pkgbase_mirror "$@"
	mkdir -p "$JAILER_ROOT/repos"
	cat >"$JAILER_ROOT/repos/base.conf" <<EOF
FreeBSD-base: {
  url: "file://$PWD/pkgmirror/\${ABI}/base_release_0",
  signature_type: "fingerprints",
  fingerprints: "/usr/share/keys/pkgbase-15",
  enabled: yes
}
EOF
}

atf_test_case base_patch_levels
base_patch_levels_head()
{
	atf_set descr 'pkg -r installs FreeBSD-set-minimal-jail from FreeBSD-base and upgrades it to a new patch level'
	sim_only "a simulated FreeBSD-base repository"
}
base_patch_levels_body()
{
	require_sim
	host_fresh --release 15.0-RELEASE
	pkg bootstrap -y >/dev/null 2>&1 || atf_fail "pkg bootstrap failed"
	base_repo
	mkdir "$JAILER_ROOT/img"
	host_pkgs >host.before
	atf_check -s exit:0 -o match:'Installing FreeBSD-runtime-15.0\.\.\.' \
	    pkg -o ABI=FreeBSD:15:amd64 -R /repos -r /img install -y \
	    FreeBSD-set-minimal-jail
	atf_check -s exit:0 -o match:'^USERLAND_VERSION="15.0-RELEASE"$' \
	    cat "$JAILER_ROOT/img/bin/freebsd-version"
	atf_check -s exit:0 -o match:'Your packages are up to date' \
	    pkg -R /repos -r /img upgrade -y
	pkgbase_mirror --patch 1
	atf_check -s exit:0 -o inline:'15.0p1\n' \
	    pkg -R /repos -r /img rquery %v FreeBSD-runtime
	atf_check -s exit:0 \
	    -o match:'FreeBSD-runtime: 15.0 -> 15.0p1 \[FreeBSD-base\]' \
	    pkg -R /repos -r /img upgrade -y
	atf_check -s exit:0 -o match:'^USERLAND_VERSION="15.0-RELEASE-p1"$' \
	    cat "$JAILER_ROOT/img/bin/freebsd-version"
	atf_check -s exit:0 -o inline:'15.0p1\n' \
	    pkg -r /img query %v FreeBSD-runtime
	# A locally changed configuration file is kept, the new one beside it.
	echo '# mine' >>"$JAILER_ROOT/img/etc/pkg/FreeBSD.conf"
	atf_check -s exit:0 -o ignore -e match:'FreeBSD.conf.pkgnew' \
	    pkg -R /repos -r /img install -fy FreeBSD-pkg-bootstrap
	atf_check -s exit:0 -o match:'# mine' cat "$JAILER_ROOT/img/etc/pkg/FreeBSD.conf"
	atf_check -s exit:0 test -f "$JAILER_ROOT/img/etc/pkg/FreeBSD.conf.pkgnew"
	host_pkgs >host.after
	atf_check -s exit:0 diff host.before host.after
}

atf_test_case base_signatures
base_signatures_head()
{
	atf_set descr 'FreeBSD-base is trusted only with a fingerprint in trusted/ and not in revoked/, and only with its catalogue unchanged'
	sim_only "a simulated FreeBSD-base repository"
}
base_signatures_body()
{
	require_sim
	host_fresh --release 15.0-RELEASE
	pkg bootstrap -y >/dev/null 2>&1 || atf_fail "pkg bootstrap failed"
	base_repo --key evil
	mkdir "$JAILER_ROOT/img"
	atf_check -s exit:1 -o ignore \
	    -e match:'No trusted public keys found' \
	    -e match:'Unable to update repository FreeBSD-base' \
	    pkg -o ABI=FreeBSD:15:amd64 -R /repos -r /img install -y FreeBSD-runtime
	atf_check -s exit:0 -o empty find "$JAILER_ROOT/img"  -mindepth 1
	base_repo
	keys="$JAILER_ROOT/usr/share/keys/pkgbase-15"
	cp "$keys/trusted/awskms-15" "$keys/revoked/"
	atf_check -s exit:1 -o ignore -e match:'revoked' \
	    pkg -o ABI=FreeBSD:15:amd64 -R /repos -r /img install -y FreeBSD-runtime
	rm "$keys/revoked/awskms-15"
	site="$PWD/pkgmirror/FreeBSD:15:amd64/base_release_0/packagesite.pkg"
	sed -i 's/"version": "15.0"/"version": "15.9"/' "$site"
	atf_check -s exit:1 -o ignore -e match:'Invalid signature' \
	    pkg -o ABI=FreeBSD:15:amd64 -R /repos -r /img install -y FreeBSD-runtime
	atf_check -s exit:0 -o empty find "$JAILER_ROOT/img"  -mindepth 1
	# The wrong ABI finds no repository.
	base_repo
	atf_check -s exit:1 -o ignore -e match:'No such file or directory' \
	    pkg -o ABI=FreeBSD:14:amd64 -R /repos -r /img install -y FreeBSD-runtime
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case jail_install
	atf_add_test_case jail_must_run
	atf_add_test_case jail_config_counts
	atf_add_test_case snapshot_captures
	atf_add_test_case chroot_confined
	atf_add_test_case base_patch_levels
	atf_add_test_case base_signatures
}
