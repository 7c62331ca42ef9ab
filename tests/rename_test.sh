# jailer rename: a stopped jail gets a new name, with its dataset and
# snapshots, root, conf file, pf rule file, console log, fstab and
# rc.conf's jail_list; refusals, the dry run, a fault sweep.

# mkjail, jroot, jconf, refused, host_sweep, save_norm, assert_norm,
# consistent and pf_host are in jailer.subr.

# The jails have no domain (no -d).
JAIL_DOMAIN=

# assert_moved OLD NEW: nothing of OLD is left, NEW has a dataset, a
# conf file naming it with its path, and a root.
assert_moved()
{
	atf_check -s exit:0 -o not-match:"^zroot/jails/$1([@/]|\$)" \
	    zfs list -H -o name -t all
	atf_check -s exit:0 -o ignore zfs list "zroot/jails/$2"
	atf_check -s exit:0 -o inline:"/usr/local/jails/$2\n" \
	    zfs get -H -o value mountpoint "zroot/jails/$2"
	atf_check -s not-exit:0 test -e "$(jconf "$1")"
	atf_check -s not-exit:0 test -e "$(jroot "$1")"
	atf_check -s exit:0 test -d "$(jroot "$2")/etc"
	atf_check -s exit:0 -o match:"^$2 \{\$" cat "$(jconf "$2")"
	atf_check -s exit:0 \
	    -o match:"^  path +\= \"/usr/local/jails/$2\";\$" cat "$(jconf "$2")"
}

# idmac NAME: the $id and $mac lines of the jail's conf file.
idmac()
{
	grep -E '^  \$(id|mac) ' "$(jconf "$1")"
}

atf_test_case renames_everything
renames_everything_head()
{
	atf_set descr 'rename moves dataset, snapshots, root, conf, rules, console log; start, list, snap list, nat/rdr list work under the new name'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
renames_everything_body()
{
	require_sim
	pf_host
	mkjail w1 -t eb -a 10.0.0.10
	mkjail keep -t eb -a 10.0.0.11
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:0 -o ignore -e empty jailer snap w1@one
	atf_check -s exit:0 -o ignore -e empty jailer stop w1
	idmac w1 >idmac.before
	atf_check -s exit:0 -o save:rules.before cat "$JAILER_ROOT/usr/local/etc/jailer/pf/w1.rules"
	atf_check -s exit:0 -o save:log.before cat "$JAILER_ROOT/var/log/jail/w1.log"
	echo marker >"$(jroot w1)/root/marker"
	calls_reset
	atf_check -s exit:0 -o inline:'Renaming w1 to w9: Done!\n' -e empty \
	    jailer rename w1 w9
	assert_called 'zfs rename zroot/jails/w1 zroot/jails/w9'
	assert_moved w1 w9
	atf_check -s exit:0 -o inline:'marker\n' cat "$(jroot w9)/root/marker"
	atf_check -s exit:0 -o ignore zfs list zroot/jails/w9@one
	idmac w9 >idmac.after
	atf_check -s exit:0 cmp idmac.before idmac.after
	atf_check -s exit:0 -o match:'^# The jail w9, written by jailer' \
	    head -1 "$(jconf w9)"
	# The rule file under the new name, the old one gone.
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/usr/local/etc/jailer/pf/w1.rules"
	sed 's/w1/w9/g' rules.before >rules.want
	atf_check -s exit:0 -o file:rules.want \
	    cat "$JAILER_ROOT/usr/local/etc/jailer/pf/w9.rules"
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/var/log/jail/w1.log"
	atf_check -s exit:0 -o file:log.before cat "$JAILER_ROOT/var/log/jail/w9.log"
	# It starts under the new name, with its rules in jailer/w9.
	atf_check -s exit:0 -o inline:'Starting w9: Done!\n' -e empty jailer start w9
	assert_running w9
	atf_check -s exit:0 -o match:'^w9 ' -o not-match:'^w1 ' jailer list
	atf_check -s exit:0 -o match:'^rdr pass .* -> 10.0.0.10 port 80$' -o match:'^nat on vtnet0 inet from 10.0.0.10 ' \
	    pfctl -a jailer/w9 -s nat
	atf_check -s exit:0 -o not-match:'w1' -e empty pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o match:'^w9 +vtnet0 .*yes$' -e empty jailer nat list
	atf_check -s exit:0 -o match:'^w9 +1 +tcp +80 ' -e empty jailer rdr list
	atf_check -s exit:0 -o match:'^w9 +one ' -e empty jailer snap list w9
	consistent rename
}

atf_test_case dry_run
dry_run_head()
{
	atf_set descr 'rename -D prints the plan and changes nothing'
	sim_only "compares the simulated host's state before and after"
}
dry_run_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore -e empty jailer stop a
	save_norm before
	calls_reset
	cat >want <<'EOF'
Renaming a to b would:
  write /etc/jail.conf.d/b.conf (the jail b, path /usr/local/jails/b)
  rename the dataset zroot/jails/a to zroot/jails/b, with its snapshots (its root moves to /usr/local/jails/b)
  remove /etc/jail.conf.d/a.conf
  move /var/log/jail/a.log to /var/log/jail/b.log
EOF
	atf_check -s exit:0 -o file:want -e empty jailer rename -D a b
	assert_no_mutation "rename -D"
	assert_norm before
}

atf_test_case refusals
refusals_head()
{
	atf_set descr 'rename refuses a running jail, a taken or invalid new name, an unknown jail, a dependency, bad usage'
	sim_only "asserts the commands jailer runs (the simulated host's call log)"
}
refusals_body()
{
	require_sim
	host_with_image
	mkjail a
	mkjail run
	mkjail other
	atf_check -s exit:0 -o ignore -e empty jailer stop a other
	save_norm before
	refused running jailer rename run x
	atf_check -s exit:1 -o empty \
	    -e match:'^jailer: run: running \(JID [0-9]+\); stop it first$' \
	    jailer rename run x
	refused "taken by a jail" jailer rename a other
	refused "taken by a running jail" jailer rename a run
	touch "$JAILER_ROOT/etc/jail.conf.d/cf.conf"
	refused "a conf file" jailer rename a cf
	rm "$JAILER_ROOT/etc/jail.conf.d/cf.conf"
	zfs create zroot/jails/ds
	refused "a dataset" jailer rename a ds
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: a: the dataset zroot/jails/ds exists\n' \
	    jailer rename a ds
	zfs destroy zroot/jails/ds
	touch "$JAILER_ROOT/var/log/jail/lg.log"
	refused "a console log" jailer rename a lg
	rm "$JAILER_ROOT/var/log/jail/lg.log"
	for bad in all 123 -x 'a/b' '../x' "$(printf 'a\tb')" "$(printf 'a\033[2J')" \
	    a.b "" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; do
		refused "new name '$bad'" jailer rename a "$bad"
		refused "old name '$bad'" jailer rename "$bad" z
	done
	atf_check -s exit:1 -o empty -e match:'^jailer: invalid jail name' \
	    jailer rename a "$(printf 'a\033[2J')"
	refused "unknown jail" jailer rename nosuch z
	refused "same name" jailer rename a a
	atf_check -s exit:0 -o ignore -e empty jailer set other depend=a
	save_norm before
	refused "a dependency" jailer rename a z
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: a: the jail other depends on it ($depend_on); change that first\n' \
	    jailer rename a z
	atf_check -s exit:2 -o empty -e match:'^jailer rename: ' jailer rename a
	atf_check -s exit:2 -o empty -e match:'^jailer rename: ' jailer rename a b c
	atf_check -s exit:2 -o empty -e match:'^jailer rename: ' jailer rename -x a b
	assert_norm before
}

atf_test_case unsettled_refused
unsettled_refused_head()
{
	atf_set descr 'rename refuses a jail whose start or stop was interrupted, or whose mount point is set on its dataset'
	sim_only "makes the mark an interrupted stop leaves"
}
unsettled_refused_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore -e empty jailer stop a
	mkdir -p "$JAILER_ROOT/var/run/jailer/unsettled"
	touch "$JAILER_ROOT/var/run/jailer/unsettled/a"
	refused unsettled jailer rename a b
	atf_check -s exit:1 -o empty -e match:'interrupted' jailer rename a b
	rm "$JAILER_ROOT/var/run/jailer/unsettled/a"
	# A mount point set on the dataset itself would not follow the name.
	atf_check -s exit:0 zfs set mountpoint=/usr/local/jails/a zroot/jails/a
	refused "local mount point" jailer rename a b
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: a: the mount point of zroot/jails/a is not inherited from zroot/jails\n' \
	    jailer rename a b
	atf_check -s exit:0 zfs inherit mountpoint zroot/jails/a
	atf_check -s exit:0 -o ignore -e empty jailer rename a b
}

atf_test_case sweep
sweep_head()
{
	atf_set descr 'a failure of any program rename runs leaves the host as it was'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
sweep_body()
{
	require_sim
	pf_host
	mkjail w1 -t eb -a 10.0.0.10
	mkjail w2 -t eb -a 10.0.0.11
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:0 -o ignore -e empty jailer snap w1@one
	atf_check -s exit:0 -o ignore -e empty jailer set w2 boot=off
	atf_check -s exit:0 -o ignore -e empty jailer stop w1
	SWEEP_MIN=3 host_sweep jailer rename w1 w9
	# A failure after the last program (rc.conf's jail_list): the
	# rename is undone too.
	atf_check -s exit:0 -o ignore -e empty jailer rename w1 w9
	atf_check -s exit:0 -o match:'^jail_list="w9"$' cat "$JAILER_ROOT/etc/rc.conf"
	assert_moved w1 w9
}

atf_test_case clone_keeps_origin
clone_keeps_origin_head()
{
	atf_set descr 'a renamed clone keeps its origin; the clones of a renamed jail follow its snapshot'
	sim_only "reads the simulated host's datasets directly"
}
clone_keeps_origin_body()
{
	require_sim
	host_with_clone
	atf_check -s exit:0 -o ignore -e empty jailer stop app0 app02
	atf_check -s exit:0 -o ignore -e empty jailer rename app02 app03
	atf_check -s exit:0 -o inline:'zroot/jails/app0@prod\n' \
	    zfs get -H -o value origin zroot/jails/app03
	atf_check -s exit:0 -o ignore -e empty jailer rename app0 app1
	atf_check -s exit:0 -o inline:'zroot/jails/app1@prod\n' \
	    zfs get -H -o value origin zroot/jails/app03
	atf_check -s exit:0 -o ignore -e empty jailer start app1 app03
	consistent clones
}

atf_test_case fstab_moves
fstab_moves_head()
{
	atf_set descr "the jail's fstab moves, its mount points follow the root, mount.fstab names the new file"
	sim_only "writes the simulated host's files directly"
}
fstab_moves_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore -e empty jailer stop a
	printf '# mine\n/data\t/usr/local/jails/a/mnt\tnullfs\tro\t0\t0\n/x /usr/local/jails/ab nullfs ro 0 0\n' \
	    >"$JAILER_ROOT/etc/jail.conf.d/a.fstab"
	sed 's|^  exec.clean;|  mount.fstab     = "/etc/jail.conf.d/a.fstab";\n  exec.clean;|' \
	    "$(jconf a)" >conf.new
	cp conf.new "$(jconf a)"
	atf_check -s exit:0 -o ignore -e empty jailer rename a b
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/etc/jail.conf.d/a.fstab"
	printf '# mine\n/data\t/usr/local/jails/b/mnt\tnullfs\tro\t0\t0\n/x /usr/local/jails/ab nullfs ro 0 0\n' >want
	atf_check -s exit:0 -o file:want cat "$JAILER_ROOT/etc/jail.conf.d/b.fstab"
	atf_check -s exit:0 -o match:'^  mount.fstab += "/etc/jail.conf.d/b.fstab";$' \
	    cat "$(jconf b)"
}

atf_test_case hostile_root
hostile_root_head()
{
	atf_set descr "what the jail's root holds cannot make rename touch host files"
	sim_only "compares the simulated host's files"
}
hostile_root_body()
{
	require_sim
	host_with_image
	mkjail a
	atf_check -s exit:0 -o ignore -e empty jailer stop a
	r=$(jroot a)
	rm -rf "$r/var/log"
	ln -s /etc "$r/var/log"
	ln -s /etc/master.passwd "$r/b.conf"
	mkdir -p "$r/etc/jail.conf.d"
	ln -s /etc/rc.conf "$r/etc/jail.conf.d/b.conf"
	cp "$JAILER_ROOT/etc/rc.conf" rc.before
	atf_check -s exit:0 -o ignore -e empty jailer rename a b
	atf_check -s exit:0 cmp rc.before "$JAILER_ROOT/etc/rc.conf"
	atf_check -s exit:0 test -h "$(jroot b)/var/log"
	atf_check -s exit:0 test -h "$(jroot b)/etc/jail.conf.d/b.conf"
	atf_check -s exit:0 -o inline:'/etc\n' readlink "$(jroot b)/var/log"
	atf_check -s exit:0 -o ignore -e empty jailer start b
	consistent hostile
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case renames_everything
	atf_add_test_case dry_run
	atf_add_test_case refusals
	atf_add_test_case unsettled_refused
	atf_add_test_case sweep
	atf_add_test_case clone_keeps_origin
	atf_add_test_case fstab_moves
	atf_add_test_case hostile_root
}
