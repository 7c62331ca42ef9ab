# jailer's dry runs as JSON (-D -j): one object on stdout, parsed here
# with python3's json; the changes it names are the ones the command
# makes, and nothing changes the host.

JAIL_DOMAIN=

READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig$|ifconfig -l$|route -n get |pfctl -s |ifconfig [A-Za-z0-9_.]+$|rctl (-u )?jail:|cpuset -g |pkg info -e |service [a-z]+ (status|enabled)$|devfs rule showsets$|xz -d )'

# plan_check FILE PYTHON: FILE is one JSON plan object (keys command,
# changed, changes; each change has action and object); PYTHON then runs
# with the object as p and fails the test when it raises.
plan_check()
{
	python3 - "$1" "$2" <<'PYEOF' || atf_fail "plan check failed: $2"
import json, sys
text = open(sys.argv[1], encoding='utf-8').read()
p = json.loads(text)
assert isinstance(p, dict), 'not one object'
assert set(p) == {'command', 'changed', 'changes'}, sorted(p)
assert p['changed'] == (len(p['changes']) > 0)
for c in p['changes']:
    assert isinstance(c['action'], str) and isinstance(c['object'], str), c
    assert set(c) <= {'action', 'object', 'name', 'before', 'after',
                      'text', 'argv'}, c
    if c['action'] == 'run':
        assert isinstance(c['argv'], list) and c['argv'], c
exec(sys.argv[2])
PYEOF
}

# dry_json WHAT CMD...: jailer CMD exits 0 with a plan in plan.json,
# nothing on stderr, only read-only programs run and the host unchanged.
dry_json()
{
	local what=$1
	shift
	save_norm
	calls_reset
	atf_check -s exit:0 -o save:plan.json -e empty jailer "$@"
	assert_no_mutation "$what"
	assert_norm
}

atf_test_case destroy
destroy_head()
{
	atf_set descr 'destroy -D -j: the jail, dataset and files it would remove, as JSON; nothing runs'
	sim_only "the simulated host's state and call log"
}
destroy_body()
{
	require_sim
	host_with_image
	mkjail p1
	dry_json destroy destroy -D -j p1
	plan_check plan.json '
assert p["command"] == "destroy"
got = [(c["action"], c["object"], c.get("name")) for c in p["changes"]]
assert got == [("stop", "jail", "p1"),
               ("remove", "dataset", "zroot/jails/p1"),
               ("remove", "file", "/etc/jail.conf.d/p1.conf"),
               ("remove", "file", "/var/log/jail/p1.log")], got
'
	# the text plan is unchanged
	atf_check -s exit:0 -o match:'^Destroying p1 would:$' \
	    -o match:'^  destroy the dataset zroot/jails/p1 and its snapshots$' \
	    -e empty jailer destroy -D p1
}

atf_test_case set_before_after
set_before_after_head()
{
	atf_set descr 'set -D -j: the conf file before and after (hostile bytes in it still make JSON), and the jail -m it would run'
	sim_only "the simulated host's state and call log"
}
set_before_after_body()
{
	require_sim
	host_with_image
	mkjail p1
	# a comment with quotes, a backslash, a control character and a
	# byte that is not UTF-8
	printf '# "q" \\ \001 \377 end\n' >>"$(jconf p1)"
	dry_json set set -D -j p1 children.max=3
	plan_check plan.json '
assert p["command"] == "set"
f = [c for c in p["changes"] if c["object"] == "file"]
assert len(f) == 1 and f[0]["action"] == "change", f
b, a = f[0]["before"], f[0]["after"]
assert b == open("'"$(jconf p1)"'", encoding="utf-8", errors="replace").read(), "before is the file"
assert "children.max" not in b and "children.max    = \"3\";" in a
assert "\"q\" \\ \u0001 \ufffd end" in b
r = [c["argv"] for c in p["changes"] if c["action"] == "run"]
assert r == [["jail", "-m", "name=p1", "children.max=3"]], r
'
}

atf_test_case mount_umount
mount_umount_head()
{
	atf_set descr 'mount -D -j and umount -D -j: the fstab and conf file changes and the mount(8) call'
	sim_only "the simulated host's state and call log"
}
mount_umount_body()
{
	require_sim
	host_with_image
	mkjail p1
	mkdir -p "$JAILER_ROOT/srv/data"
	dry_json mount mount -D -j p1 /srv/data /data rw
	plan_check plan.json '
fs = [c for c in p["changes"] if c["name"] == "/etc/jail.conf.d/p1.fstab"]
assert fs and fs[0]["action"] == "create" and "before" not in fs[0], fs
assert fs[0]["after"] == "/srv/data /usr/local/jails/p1/data nullfs rw 0 0\n"
r = [c["argv"] for c in p["changes"] if c["action"] == "run"]
assert r == [["mount", "-t", "nullfs", "-o", "rw", "/srv/data",
              "/usr/local/jails/p1/data"]], r
'
	atf_check -s exit:0 -o ignore -e empty jailer mount p1 /srv/data /data rw
	dry_json umount umount -D -j p1 /data
	plan_check plan.json '
fs = [c for c in p["changes"] if c["name"] == "/etc/jail.conf.d/p1.fstab"]
assert fs[0]["action"] == "remove" and fs[0]["before"].startswith("/srv/data "), fs
assert any(c["action"] == "run" and c["argv"][0] == "umount" for c in p["changes"])
'
}

atf_test_case rename_zfs
rename_zfs_head()
{
	atf_set descr 'rename -D -j and zfs attach -D -j: renames with before and after, the property change'
	sim_only "the simulated host's state and call log"
}
rename_zfs_body()
{
	require_sim
	host_with_image
	mkjail p1
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	dry_json rename rename -D -j p1 p2
	plan_check plan.json '
d = [c for c in p["changes"] if c["object"] == "dataset"]
assert d == [{"action": "rename", "object": "dataset",
              "name": "zroot/jails/p1", "before": "zroot/jails/p1",
              "after": "zroot/jails/p2", "text": d[0]["text"]}], d
'
	atf_check -s exit:0 -o ignore -e empty zfs create zroot/data
	dry_json zfs zfs -D -j p1 attach zroot/data
	plan_check plan.json '
assert p["command"] == "zfs attach"
d = [c for c in p["changes"] if c["object"] == "dataset"]
assert d[0]["before"] == "jailed=off" and d[0]["after"] == "jailed=on", d
assert any(c["object"] == "file" for c in p["changes"])
'
}

atf_test_case limit_cpuset
limit_cpuset_head()
{
	atf_set descr 'limit, limit del and cpuset -D -j: the conf file change and the rctl and cpuset calls'
	sim_only "the simulated kernel's rctl and the call log"
}
limit_cpuset_body()
{
	require_sim
	host_with_image --racct
	mkjail p1
	dry_json limit limit -D -j p1 memoryuse=1g
	plan_check plan.json '
assert any(c["action"] == "run" and c["argv"][:2] == ["rctl", "-a"] for c in p["changes"]), p
f = [c for c in p["changes"] if c["object"] == "file"]
assert "memoryuse:deny=1g" in f[0]["after"] and "memoryuse" not in f[0]["before"]
'
	atf_check -s exit:0 -o ignore -e empty jailer limit p1 memoryuse=1g
	dry_json 'limit del' limit del -D -j p1 memoryuse
	plan_check plan.json 'assert p["command"] == "limit del" and p["changed"]'
	dry_json cpuset cpuset -D -j p1 0
	plan_check plan.json '
assert any(c["action"] == "run" and c["argv"][0] == "cpuset" for c in p["changes"]), p
'
	# plain -j still shows the CPU list
	atf_check -s exit:0 -o inline:'{"jail": "p1", "cpuset": null}\n' \
	    -e empty jailer cpuset -j p1
}

atf_test_case gc_leftovers
gc_leftovers_head()
{
	atf_set descr 'gc -D -j: every leftover as a change; nothing to clean is changed=false'
	sim_only "the simulated host's state and call log"
}
gc_leftovers_body()
{
	require_sim
	host_with_image
	dry_json gc gc -D -j
	plan_check plan.json 'assert p == {"command": "gc", "changed": False, "changes": []}, p'
	# a dataset with no conf file: what a killed create leaves
	atf_check -s exit:0 -o ignore -e empty \
	    zfs create -o jailer:managed=jail zroot/jails/lost
	dry_json gc gc -D -j
	plan_check plan.json '
assert [c["action"] for c in p["changes"]] == ["remove"], p
assert "zroot/jails/lost" in p["changes"][0]["name"], p
'
}

atf_test_case snapshots
snapshots_head()
{
	atf_set descr 'snap, snap destroy and rollback -D -j: the snapshot and the stop and start around a forced rollback'
	sim_only "the simulated host's state and call log"
}
snapshots_body()
{
	require_sim
	host_with_image
	mkjail p1
	dry_json snap snap -D -j p1@one
	plan_check plan.json '
assert p["changes"] == [{"action": "create", "object": "snapshot",
    "name": "zroot/jails/p1@one", "text": "zfs snapshot -r -o jailer:release=14.3-RELEASE zroot/jails/p1@one"}], p
'
	atf_check -s exit:0 -o 'inline:Taking the snapshot p1@one would:\n  zfs snapshot -r -o jailer:release=14.3-RELEASE zroot/jails/p1@one\n' \
	    -e empty jailer snap -D p1@one
	atf_check -s exit:0 -o ignore -e empty jailer snap p1@one
	dry_json 'snap destroy' snap destroy -D -j p1@one
	plan_check plan.json 'assert [c["action"] for c in p["changes"]] == ["remove"]'
	dry_json rollback rollback -D -j -f p1@one
	plan_check plan.json '
assert [(c["action"], c["object"]) for c in p["changes"]] == [
    ("stop", "jail"), ("rollback", "dataset"), ("start", "jail")], p
assert p["changes"][1]["after"] == "zroot/jails/p1@one"
'
	# refused: running without -f, a snapshot that is not there
	refused rollback jailer rollback -D -j p1@one
	refused 'snap destroy' jailer snap destroy -D -j p1@two
	refused snap jailer snap -D -j p1@one
}

atf_test_case pf_rules
pf_rules_head()
{
	atf_set descr 'nat and rdr add and del -D -j: the rule file before and after, the anchor load of a running jail'
	sim_only "changes the host's network (bridge0, pf) in the simulated host"
}
pf_rules_body()
{
	require_sim
	pf_host
	mkjail p1 -t eb -a 10.0.0.10
	rules=/usr/local/etc/jailer/pf/p1.rules
	dry_json 'nat add' nat add -D -j p1
	plan_check plan.json '
f, a = p["changes"]
assert (f["action"], f["name"], "before" in f) == ("create", "'$rules'", False), f
assert f["after"].endswith("\nnat vtnet0 -\n"), f
assert (a["action"], a["object"], a["name"]) == ("change", "pf anchor", "jailer/p1"), a
'
	atf_check -s exit:0 -o ignore -e empty jailer nat add p1
	dry_json 'rdr add' rdr add -D -j -p tcp -r 80 -d 8080 p1
	plan_check plan.json '
f = p["changes"][0]
assert f["action"] == "change" and f["before"].endswith("nat vtnet0 -\n"), f
assert f["after"].endswith("nat vtnet0 -\nrdr 1 vtnet0 - tcp 80 8080\n"), f
'
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	dry_json 'nat del' nat del -D -j p1
	plan_check plan.json '
assert [(c["action"], c["object"]) for c in p["changes"]] == [("remove", "file")], p
'
	refused 'rdr del' jailer rdr del -D -j p1 -f
	atf_check -s exit:0 -o 'inline:Removing NAT of p1 would:\n  remove '$rules'\n' \
	    -e empty jailer nat del -D p1
}

atf_test_case start_stop
start_stop_head()
{
	atf_set descr 'start, stop, restart, startall and stopall -D -j: the jails in order (dependencies first), nothing for a jail already so'
	sim_only "the simulated host's jails and call log"
}
start_stop_body()
{
	require_sim
	host_with_image
	mkjail p1
	mkjail p2
	atf_check -s exit:0 -o ignore -e empty jailer set p2 depend=p1
	atf_check -s exit:0 -o ignore -e empty jailer stopall
	dry_json start start -D -j p2
	plan_check plan.json '
assert [(c["action"], c["name"]) for c in p["changes"]] == [
    ("start", "p1"), ("start", "p2")], p
assert p["changes"][0]["text"] == "jail -f /etc/jail.conf.d/p1.conf -c p1"
'
	dry_json startall startall -D -j
	plan_check plan.json 'assert [c["name"] for c in p["changes"]] == ["p1", "p2"], p'
	dry_json stop stop -D -j p1
	plan_check plan.json 'assert p["changed"] is False, p'
	atf_check -s exit:0 -o 'inline:Stopping p1 would:\n  nothing: it is stopped\n' \
	    -e empty jailer stop -D p1
	atf_check -s exit:0 -o ignore -e empty jailer start p2
	# stop refuses while p2 depends on p1, as stop itself does
	refused stop jailer stop -D -j p1
	dry_json stop stop -D -j p2 p1
	plan_check plan.json '
assert [(c["action"], c["name"]) for c in p["changes"]] == [
    ("stop", "p2"), ("stop", "p1")], p
'
	dry_json restart restart -D -j p1
	plan_check plan.json '
assert [c["action"] for c in p["changes"]] == ["stop", "start"], p
'
	dry_json stopall stopall -D -j
	plan_check plan.json 'assert len(p["changes"]) == 2, p'
	refused start jailer start -D -j nosuch
}

atf_test_case refusals
refusals_head()
{
	atf_set descr '-j without -D is a usage error; a refused dry run prints nothing on stdout'
	sim_only "the simulated host's call log"
}
refusals_body()
{
	require_sim
	host_with_image
	mkjail p1
	for c in "destroy -j p1" "set -j p1 children.max=3" "rename -j p1 p2" \
	    "mount -j p1 /srv /srv" "umount -j p1 /srv" "limit -j p1 maxproc=1" \
	    "limit del -j p1 maxproc" "gc -j" "snap -j p1@x" \
	    "snap destroy -j p1@x" "rollback -j p1@x" "nat add -j p1" \
	    "nat del -j p1" "rdr add -j -p tcp -r 80 p1" "rdr del -j p1 -f" \
	    "start -j p1" "stop -j p1" "restart -j p1" "startall -j" \
	    "stopall -j" "create -j p9" "init -j" "init bridge -j" \
	    "init dhcp -j" "init pf -j" "image fetch -j" \
	    "image use -j 14.3-RELEASE" "image update -j" \
	    "image destroy -j 14.3-RELEASE" "update -j p1" \
	    "upgrade -j p1 14.3-RELEASE" "network use -j eb" \
	    "cp -j p1 /etc/hosts /etc/h2" "apply -j p1 /nonexistent" \
	    "export -j p1 /tmp/x" "import -j /tmp/x"; do
		# shellcheck disable=SC2086
		atf_check -s exit:2 -o empty \
		    -e match:'-j goes with -D \(the plan as JSON\)' jailer $c
	done
	# a running jail cannot be renamed: the error, nothing on stdout
	refused rename jailer rename -D -j p1 p2
	refused destroy jailer destroy -D -j nosuch
	# an existing name: the create error, nothing on stdout
	refused create jailer create -D -j p1
}

atf_test_case create
create_head()
{
	atf_set descr 'create -D -j: the image to fetch, conf file, dataset, jail-root files, start and template lines as JSON; hostile template text still makes JSON; nothing runs'
	sim_only "the simulated host's state and call log"
}
create_body()
{
	require_sim
	host_ready
	make_bridge
	# no image yet: it would be fetched first
	dry_json create create -D -j -t eb -a 10.0.0.50 -e 192.0.2.53 c1
	plan_check plan.json '
assert p["command"] == "create" and p["changed"]
got = [(c["action"], c["object"], c.get("name")) for c in p["changes"]]
assert got[0] == ("create", "image", "14.3-RELEASE"), got
assert ("create", "file", "/etc/jail.conf.d/c1.conf") in got, got
assert ("create", "dataset", "zroot/jails/c1") in got, got
assert ("create", "file", "/usr/local/jails/c1/etc/resolv.conf") in got
assert got[-1] == ("start", "jail", "c1"), got
conf = [c for c in p["changes"] if c["name"] == "/etc/jail.conf.d/c1.conf"][0]
assert "\nc1 {\n" in conf["after"] and "10.0.0.50/24" in conf["after"], conf
r = [c for c in p["changes"] if c["name"].endswith("/etc/resolv.conf")][0]
assert r["after"] == "nameserver 192.0.2.53\n", r
rc = [c["after"] for c in p["changes"] if c["name"] == "/usr/local/jails/c1/etc/rc.conf"]
assert any("inet 10.0.0.50 netmask" in a for a in rc), rc
'
	# the text plan is the seed's, unchanged
	atf_check -s exit:0 -o match:'^jail.conf file =>$' \
	    -o match:'^ZFS commands =>$' -o match:'^  \(zfs send ' \
	    -o match:'^Start commands =>$' -e empty jailer create -D -t eb c1
	atf_check -s exit:0 -o ignore -e ignore jailer image fetch
	mkjail src1
	atf_check -s exit:0 -o ignore -e empty jailer snap src1@s1
	# a clone of a snapshot, and a template whose text has quotes and
	# a character that is not ASCII
	printf 'SYSRC motd="a b \303\251"\nCMD /bin/echo "q"\n' >t1
	dry_json 'create -C' create -D -j -C -s src1@s1 -T t1 c2
	plan_check plan.json '
got = [(c["action"], c["object"]) for c in p["changes"]]
assert ("create", "image") not in got, got
d = [c for c in p["changes"] if c["object"] == "dataset"][0]
assert d["after"] == "zroot/jails/src1@s1" and d["text"].startswith("zfs clone "), d
t = [c for c in p["changes"] if c["action"] == "apply"]
assert [c["object"] for c in t] == ["template line"] * 2, t
assert t[0]["text"] == "SYSRC \x27motd=a b \u00e9\x27", t
'
}

atf_test_case host_and_images
host_and_images_head()
{
	atf_set descr 'init, init bridge/dhcp/pf, image fetch, use and destroy -D -j: what they would do, changed=false once done; nothing runs'
	sim_only "the simulated host's state and call log"
}
host_and_images_body()
{
	require_sim
	host_fresh
	dry_json init init -D -j
	plan_check plan.json '
got = [(c["action"], c["object"], c["name"]) for c in p["changes"]]
assert got[0] == ("create", "dataset", "zroot/jails"), got
assert ("change", "rc.conf variable", "jail_enable") in got, got
'
	atf_check -s exit:0 -o match:'^Jailer init would:$' \
	    -o match:'^  Enabling the jail service$' -e empty jailer init -D
	atf_check -s exit:0 -o ignore -e empty jailer init -y
	dry_json 'init again' init -D -j
	plan_check plan.json 'assert p == {"command": "init", "changed": False, "changes": []}, p'
	atf_check -s exit:0 \
	    -o inline:'Jailer is already initialised on zfs:zroot/jails; nothing to do.\n' \
	    -e empty jailer init -D
	dry_json 'image fetch' image fetch -D -j
	plan_check plan.json '
assert [(c["object"], c["name"]) for c in p["changes"]] == [
    ("image", "14.3-RELEASE"), ("dataset", "zroot/jails/image/14.3-RELEASE"),
    ("snapshot", "zroot/jails/image/14.3-RELEASE@base")], p
'
	atf_check -s exit:0 -o ignore -e ignore jailer image fetch
	# an image that exists: fetch refuses, and so does its plan
	refused 'image fetch again' jailer image fetch -D -j
	atf_check -s exit:0 -o 'inline:{"default": null}\n' -e empty \
	    jailer image use -j
	dry_json 'image use' image use -D -j 14.3-RELEASE
	plan_check plan.json '
assert [(c["action"], c["object"], c["after"]) for c in p["changes"]] == [
    ("create", "default image", "14.3-RELEASE")], p
'
	atf_check -s exit:0 -o empty -e empty jailer image use 14.3-RELEASE
	atf_check -s exit:0 -o 'inline:{"default": "14.3-RELEASE"}\n' -e empty \
	    jailer image use -j
	dry_json 'image use again' image use -D -j 14.3-RELEASE
	plan_check plan.json 'assert not p["changed"], p'
	dry_json 'image destroy' image destroy -D -j 14.3-RELEASE
	plan_check plan.json '
got = [(c["action"], c["object"]) for c in p["changes"]]
assert got[:2] == [("remove", "default image"), ("remove", "dataset")], got
'
	# a clone of the image depends on it
	atf_check -s exit:0 -o ignore -e empty jailer create -C p1
	refused 'image destroy in use' jailer image destroy -D -j 14.3-RELEASE
	dry_json 'init bridge' init bridge -D -j
	plan_check plan.json '
assert [(c["object"], c["name"], c["after"]) for c in p["changes"]] == [
    ("interface", "bridge0", "10.0.0.1/24"),
    ("rc.conf variable", "ifconfig_bridge0", "inet 10.0.0.1/24 up")], p
'
	refused 'init dhcp without a bridge' jailer init dhcp -D -j
	atf_check -s exit:0 -o ignore -e empty jailer init bridge -y
	dry_json 'init bridge again' init bridge -D -j
	plan_check plan.json 'assert not p["changed"], p'
	dry_json 'init dhcp' init dhcp -D -j
	plan_check plan.json '
got = [(c["action"], c["name"]) for c in p["changes"]]
assert ("install", "dhcpd") in got and ("change", "/usr/local/etc/dhcpd.conf") in got, got
conf = [c for c in p["changes"] if c["name"] == "/usr/local/etc/dhcpd.conf"][0]
assert "subnet 10.0.0.0 netmask 255.255.255.0" in conf["after"], conf
'
	dry_json 'init pf' init pf -D -j
	plan_check plan.json '
assert [c["name"] for c in p["changes"]] == ["/etc/pf.conf", "pf"], p
'
	# the text of -D is what init pf shows before it asks
	atf_check -s exit:0 -o match:'^Jailer will$' \
	    -o match:'^ - Enable pf and IP forwarding, now and at boot\.$' \
	    -e empty jailer init pf -D
}

atf_test_case updates
updates_head()
{
	atf_set descr 'update, upgrade and image update -D -j: the stop, snapshot, freebsd-update runs with their argv, the record before and after; nothing runs'
	sim_only "the simulated host's state and call log"
}
updates_body()
{
	require_sim
	host_with_image
	mkjail p1
	dry_json update update -D -j p1
	plan_check plan.json '
got = [(c["action"], c["object"]) for c in p["changes"]]
assert got[0] == ("stop", "jail") and got[-1] == ("start", "jail"), got
r = [c["argv"] for c in p["changes"] if c["action"] == "run"]
assert len(r) == 2 and r[0][0] == "freebsd-update" and r[0][-1] == "fetch", r
assert r[1][-1] == "install" and "-b" in r[0] and "/usr/local/jails/p1" in r[0], r
d = [c for c in p["changes"] if c["object"] == "dataset"][0]
assert d["before"] == "jailer:release=14.3-RELEASE", d
'
	atf_check -s exit:0 -o ignore -e empty jailer stop p1
	dry_json 'update stopped' update -D -j p1
	plan_check plan.json '
assert "stop" not in [c["action"] for c in p["changes"]], p
'
	dry_json 'image update' image update -D -j
	plan_check plan.json '
s = [c for c in p["changes"] if c["object"] == "snapshot"]
assert s[0]["name"] == "zroot/jails/image/14.3-RELEASE@pN", s
assert [c["argv"][0] for c in p["changes"] if c["action"] == "run"] == [
    "freebsd-update", "freebsd-update"], p
'
	refused 'upgrade to a newer release than the host' \
	    jailer upgrade -D -j p1 15.0-RELEASE
}

atf_test_case inside_and_files
inside_and_files_head()
{
	atf_set descr 'network use, cp, apply, export and import -D -j: the runs with their argv, the files, the conf file an import writes; nothing runs'
	sim_only "the simulated host's state and call log"
}
inside_and_files_body()
{
	require_sim
	host_with_image
	mkjail p1
	atf_check -s exit:0 -o 'inline:{"default": "inherit"}\n' -e empty \
	    jailer network use -j
	dry_json 'network use' network use -D -j eb
	plan_check plan.json '
assert [(c["action"], c.get("before"), c["after"]) for c in p["changes"]] == [
    ("create", None, "eb")], p
'
	atf_check -s exit:0 -o empty -e empty jailer network use eb
	dry_json 'network use again' network use -D -j eb
	plan_check plan.json 'assert not p["changed"], p'
	echo hello >"$JAILER_ROOT/tmp/hello"
	dry_json cp cp -D -j p1 /tmp/hello /etc/hello
	plan_check plan.json '
assert [(c["object"], c["name"]) for c in p["changes"]] == [
    ("file", "/usr/local/jails/p1/etc/hello")], p
'
	printf 'PKG install -y nginx\nSYSRC nginx_enable=YES\nCP /tmp/hello /etc/x\n' \
	    >"$JAILER_ROOT/tmp/t1"
	dry_json apply apply -D -j p1 /tmp/t1
	plan_check plan.json '
r = [c["argv"] for c in p["changes"] if c["action"] == "run"]
assert r[0][:2] == ["zfs", "snapshot"] and r[0][2].startswith("zroot/jails/p1@"), r
assert r[1:] == [["pkg", "-j", "p1", "install", "-y", "nginx"],
                 ["sysrc", "-j", "p1", "nginx_enable=YES"]], r
f = [c["name"] for c in p["changes"] if c["object"] == "file"]
assert f == ["/usr/local/jails/p1/etc/x"], f
'
	dry_json export export -D -j p1 /tmp/p1.jx
	plan_check plan.json '
r = [c["argv"] for c in p["changes"] if c["action"] == "run"]
assert r[0][:3] == ["zfs", "send", "-R"] and r[0][4:6] == ["|", "xz"], r
assert p["changes"][-1]["name"] == "/tmp/p1.jx", p
'
	atf_check -s exit:0 -o ignore -e empty jailer export p1 /tmp/p1.jx
	dry_json import import -D -j /tmp/p1.jx p2
	plan_check plan.json '
got = [(c["action"], c["object"], c["name"]) for c in p["changes"]]
assert got[0] == ("check", "file", "/tmp/p1.jx"), got
assert ("create", "dataset", "zroot/jails/p2") in got, got
conf = [c for c in p["changes"] if c["name"] == "/etc/jail.conf.d/p2.conf"][0]
assert "\np2 {\n" in conf["after"], conf
'
	refused 'import over a jail' jailer import -D -j /tmp/p1.jx p1
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case destroy
	atf_add_test_case set_before_after
	atf_add_test_case mount_umount
	atf_add_test_case rename_zfs
	atf_add_test_case limit_cpuset
	atf_add_test_case gc_leftovers
	atf_add_test_case snapshots
	atf_add_test_case pf_rules
	atf_add_test_case start_stop
	atf_add_test_case refusals
	atf_add_test_case create
	atf_add_test_case host_and_images
	atf_add_test_case updates
	atf_add_test_case inside_and_files
}
