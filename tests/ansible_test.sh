# The Ansible collection jailer.core (ansible/): its modules drive jailer
# on the simulated host through ansible-playbook, converge a host, change
# nothing when run again, change nothing in check mode, remove everything
# with state=absent, pass jailer's errors through, and never use a shell.

# Besides jailer.subr's read-only programs: what nat list and rdr list
# ask pf, what init info asks pkg, service and devfs, and limit list rctl.
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig$|ifconfig -l$|route -n get |pfctl (-a [A-Za-z0-9_/.-]+ )?-s |ifconfig [A-Za-z0-9_.]+$|pkg info -e [a-z]+$|service [a-z]+ status$|devfs rule showsets$|rctl (-u )?jail:[A-Za-z0-9_.-]+:?$)'

MODULES='jail image snapshot nat rdr jailer_facts host'

# ans_dir: the collection's sources (ansible/ of the source tree; the
# staged tests link src to the tree's src).
ans_dir()
{
	local d
	d=$(cd -P "$(atf_get_srcdir)/src/.." 2>/dev/null && pwd)/ansible
	[ -f "$d/galaxy.yml" ] || d=$(cd -P "$(atf_get_srcdir)/.." && pwd)/ansible
	[ -f "$d/galaxy.yml" ] || atf_fail "no ansible/ next to $(atf_get_srcdir)"
	echo "$d"
}

# ans_env: ANSIBLE_COLLECTIONS_PATH holds ansible_collections/jailer/core,
# a link to the sources; Ansible's own files stay in the work directory.
ans_env()
{
	mkdir -p "$PWD/coll/ansible_collections/jailer" "$PWD/.ansible/tmp"
	ln -sfn "$(ans_dir)" "$PWD/coll/ansible_collections/jailer/core"
	ANSIBLE_COLLECTIONS_PATH=$PWD/coll
	ANSIBLE_LOCAL_TEMP=$PWD/.ansible/tmp
	ANSIBLE_REMOTE_TEMP=$PWD/.ansible/tmp
	ANSIBLE_NOCOLOR=1
	ANSIBLE_RETRY_FILES_ENABLED=0
	HOME=$PWD
	export ANSIBLE_COLLECTIONS_PATH ANSIBLE_LOCAL_TEMP ANSIBLE_REMOTE_TEMP \
	    ANSIBLE_NOCOLOR ANSIBLE_RETRY_FILES_ENABLED HOME
}

# ans_host: a host after init, init bridge, init dhcp and init pf (no
# image: the play fetches them), and the collection set up.
ans_host()
{
	local s
	host_ready
	for s in bridge dhcp pf; do
		jailer init $s -y >/dev/null 2>&1 ||
		    atf_fail "jailer init $s -y failed"
	done
	ans_env
}

# play PLAYBOOK [ARGS...]: ansible-playbook on localhost with the json
# callback, its output in play.json; PLAY_RC its exit status.
play()
{
	local pb=$1
	shift
	case $pb in
	/*) ;;
	*) [ -f "$pb" ] || pb=$(ans_dir)/tests/$pb ;;
	esac
	ANSIBLE_STDOUT_CALLBACK=json ansible-playbook -i localhost, -c local \
	    -e ansible_python_interpreter=/usr/bin/python3 "$@" "$pb" \
	    >play.json 2>play.err
	PLAY_RC=$?
}

# play_ok PLAYBOOK [ARGS...]: play, which must succeed.
play_ok()
{
	play "$@"
	if [ "$PLAY_RC" -ne 0 ]; then
		cat play.err
		python3 -m json.tool play.json 2>/dev/null | tail -60
		atf_fail "ansible-playbook $1 failed (exit $PLAY_RC)"
	fi
}

# stat KEY: the host's KEY (changed, failures, ok) in the play's stats.
stat()
{
	python3 -c 'import json, sys
print(json.load(open("play.json"))["stats"]["localhost"][sys.argv[1]])' "$1" ||
	    atf_fail "no stats in play.json"
}

# check_json PYTHON: PYTHON with the jailer read command's JSON output in
# j (stdin).
check_json()
{
	python3 -c 'import json, sys
j = json.load(sys.stdin)
exec(sys.argv[1])' "$1" || atf_fail "check failed: $1"
}

# ans_norm: host_norm_state without what jailer keeps once it was used
# and the last image and jail are gone: the dataset that holds images
# with its dist-files directory, the directory of the jails' pf rule
# files, and dhcpd's lease of the DHCP jail (dhcpd's, as on a real host).
ans_norm()
{
	host_norm_state datasets.zroot/jails/image dhcpd.leases |
	    grep -vE ' (usr/local/etc/jailer(/pf)?|usr/local/jails/image(/dist-files)?|var/db/dhcpd\.leases)$'
}

atf_test_case converge
converge_head()
{
	atf_set descr 'a play takes a fresh host to two images, five jails over inherit, new and eb (DHCP and static), a snapshot, NAT and two redirections'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's network set-up and mirror"
}
converge_body()
{
	require_sim
	ans_host
	play_ok converge.yml
	[ "$(stat failures)" = 0 ] || atf_fail "failures in the play"
	[ "$(stat changed)" -ge 10 ] || atf_fail "changed is $(stat changed)"
	jailer image list -j | check_json '
assert [(i["name"], i["default"]) for i in j] == [
    ("14.2-RELEASE", "no"), ("14.3-RELEASE", "yes")], j'
	jailer list -j | check_json '
s = dict((x["name"], x) for x in j)
assert sorted(s) == ["app0", "db0", "db1", "web0", "web1"], sorted(s)
assert s["db1"]["state"] == "Stopped", s["db1"]
assert all(s[n]["state"] == "Active" for n in ("app0", "db0", "web0", "web1"))
assert s["web1"]["ipv4"] == "192.168.64.15", s["web1"]
assert s["web1"]["ip6"] == "2001:db8:1::15/64", s["web1"]
assert s["db0"]["ipv4"] == "10.0.0.10/24", s["db0"]
assert s["db0"]["gateway"] == "10.0.0.1", s["db0"]
assert s["app0"]["ipv4"].startswith("10.0.0."), s["app0"]'
	for n in web0:inherit web1:new app0:eb db0:eb db1:eb; do
		jailer info -j "${n%%:*}" | check_json "
assert j['network'] == '${n#*:}', j"
	done
	atf_check -s exit:0 -o inline:'14.2-RELEASE\n' -e empty \
	    zfs get -H -o value jailer:release zroot/jails/web0
	atf_check -s exit:0 -o match:'db0@base' -e empty \
	    zfs get -H -o value origin zroot/jails/db1
	jailer snap list -j app0 | check_json '
assert "s1" in [x["snapshot"] for x in j if x["jail"] == "app0"], j'
	jailer nat list -j | check_json '
assert [(x["jail"], x["interface"], x["loaded"]) for x in j] == [
    ("app0", "vtnet0", "yes")], j'
	jailer rdr list -j | check_json '
got = sorted((x["jail"], x["proto"], x["ports"], x["jail_port"]) for x in j)
assert got == [("app0", "tcp", "80", "8080"), ("db0", "tcp", "5432", "5432")], got'
}

atf_test_case idempotent
idempotent_head()
{
	atf_set descr 'the same play again: changed=0, and only read-only programs run'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's call log"
}
idempotent_body()
{
	require_sim
	ans_host
	play_ok converge.yml
	save_norm converged
	calls_reset
	play_ok converge.yml
	[ "$(stat changed)" = 0 ] || atf_fail "changed is $(stat changed)"
	[ "$(stat failures)" = 0 ] || atf_fail "failures in the play"
	[ "$(calls_count)" -gt 0 ] || atf_fail "no jailer read command ran"
	assert_no_mutation "the second run"
	assert_norm converged
}

atf_test_case check_mode
check_mode_head()
{
	atf_set descr '--check (and --diff) of a changed play (one more jail, another snapshot) reports changes and changes nothing'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
check_mode_body()
{
	require_sim
	ans_host
	play_ok converge.yml
	save_norm converged
	calls_reset
	play_ok converge.yml --check --diff -e snap_name=s2 -e extra_jail=yes
	[ "$(stat changed)" = 2 ] || atf_fail "changed is $(stat changed), not 2"
	assert_no_mutation "check mode"
	assert_norm converged
	# The jail's plan came from create -D -j: the conf file it would
	# write is in the diff.
	python3 - <<'PROBE' || atf_fail "no plan or diff for extra0"
import json
p = json.load(open('play.json'))
tasks = p['plays'][0]['tasks']
r = [t['hosts']['localhost'] for t in tasks
     if t['task']['name'] == 'One more jail (check mode case)'][0]
assert r['changed'], r
assert r['plans'] and r['plans'][0]['command'] == 'create', r
assert any(d['after_header'] == '/etc/jail.conf.d/extra0.conf'
           for d in r['diff']), r['diff']
PROBE
	# Another default image: image use's plan, the default before and after
	cat >default.yml <<'PROBE'
- hosts: all
  gather_facts: false
  tasks:
    - jailer.core.image:
        release: 14.2-RELEASE
        default: true
PROBE
	calls_reset
	play_ok default.yml --check --diff
	[ "$(stat changed)" = 1 ] || atf_fail "changed is $(stat changed), not 1"
	assert_no_mutation "check mode, image use"
	assert_norm converged
	python3 - <<'PROBE' || atf_fail "no plan or diff for image use"
import json
r = json.load(open('play.json'))['plays'][0]['tasks'][0]['hosts']['localhost']
assert r['plans'][0]['command'] == 'image use', r
assert [(d['before'], d['after']) for d in r['diff']] == \
    [('14.3-RELEASE', '14.2-RELEASE')], r['diff']
PROBE
	# and a fresh host in check mode: changes, nothing done
	ans_host
	save_norm fresh
	calls_reset
	play_ok converge.yml --check
	[ "$(stat changed)" -ge 1 ] || atf_fail "changed is $(stat changed)"
	assert_no_mutation "check mode on a fresh host"
	assert_norm fresh
}

atf_test_case absent
absent_head()
{
	atf_set descr 'state=absent removes what the play made: the host is the one init left'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state"
}
absent_body()
{
	require_sim
	ans_host
	NORM_STATE=ans_norm
	save_norm initialised
	play_ok converge.yml
	play_ok absent.yml
	[ "$(stat failures)" = 0 ] || atf_fail "failures in the play"
	[ "$(stat changed)" = 5 ] || atf_fail "changed is $(stat changed), not 5"
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer list -j
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer image list -j
	assert_norm initialised
	# and again: nothing to do
	calls_reset
	play_ok absent.yml
	[ "$(stat changed)" = 0 ] || atf_fail "changed is $(stat changed)"
	assert_no_mutation "absent again"
}

atf_test_case host
host_head()
{
	atf_set descr 'the host module: init, init bridge, dhcp and pf in check mode (nothing done), for real, and again (changed=0, only read-only programs)'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
host_body()
{
	require_sim
	host_fresh
	ans_env
	cat >host.yml <<'PROBE'
- hosts: all
  gather_facts: false
  tasks:
    - name: init
      jailer.core.host:
    - name: services
      jailer.core.host:
        service: "{{ item }}"
      loop: [bridge, dhcp, pf]
    - name: a second bridge, IPv4 and IPv6
      jailer.core.host:
        service: bridge
        bridge: bridge1
        address: [10.1.0.1/24, "fd00:1::1/64"]
PROBE
	save_norm fresh
	calls_reset
	play_ok host.yml --check
	[ "$(stat changed)" = 3 ] || atf_fail "changed is $(stat changed), not 3"
	assert_no_mutation "check mode"
	assert_norm fresh
	# init dhcp's plan needs the bridge an earlier task makes: a warning
	grep -q "check mode: jailer: bridge0: .*run 'jailer init bridge' first" play.json ||
	    atf_fail "no warning for init dhcp in check mode"
	play_ok host.yml
	[ "$(stat changed)" = 3 ] || atf_fail "changed is $(stat changed), not 3"
	jailer init info >info.txt
	if grep -F '==> NO' info.txt; then
		atf_fail "init info still has a NO"
	fi
	grep -q '^ifconfig_bridge1="inet 10.1.0.1/24 up"' root/etc/rc.conf ||
	    atf_fail "no bridge1 in rc.conf"
	python3 - <<'CHECK' || atf_fail "the result's info is not init info -j"
import json
t = json.load(open('play.json'))['plays'][0]['tasks']
r = t[1]['hosts']['localhost']['results'][2]
assert r['changed'] and r['info']['pf_enabled'] is True, r
assert r['commands'] == [['jailer', 'init', 'pf', '-y']], r['commands']
assert r['plans'][0]['command'] == 'init pf', r['plans']
CHECK
	save_norm ready
	calls_reset
	play_ok host.yml
	[ "$(stat changed)" = 0 ] || atf_fail "changed is $(stat changed)"
	assert_no_mutation "the second run"
	assert_norm ready
	calls_reset
	play_ok host.yml --check
	[ "$(stat changed)" = 0 ] || atf_fail "check mode: changed is $(stat changed)"
	assert_no_mutation "check mode, ready"
}

atf_test_case docs
docs_head()
{
	atf_set descr 'ansible-doc renders every module of the collection'
	atf_set require.progs ansible-doc
	sim_only "run with the simulated suite only (no jailer is run)"
}
docs_body()
{
	require_sim
	ans_env
	for m in $MODULES; do
		atf_check -s exit:0 -o match:"^> JAILER\.CORE\.$(echo $m |
		    tr a-z A-Z)" -o match:'EXAMPLES' -e empty \
		    ansible-doc "jailer.core.$m"
	done
	atf_check -s exit:0 -o match:'jailer\.core\.jail ' -e empty \
	    ansible-doc -l jailer.core
}

atf_test_case failure
failure_head()
{
	atf_set descr "a hostile jail name fails the task with jailer's message and exit status, and changes nothing"
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
failure_body()
{
	require_sim
	ans_host
	cat >bad.yml <<'PROBE'
- hosts: all
  gather_facts: false
  tasks:
    - name: hostile
      jailer.core.jail:
        name: "a;b"
PROBE
	save_norm before
	calls_reset
	play bad.yml
	[ "$PLAY_RC" -ne 0 ] || atf_fail "the play succeeded"
	[ "$(stat failures)" = 1 ] || atf_fail "failures is $(stat failures)"
	python3 - <<'PROBE' || atf_fail "not jailer's message and rc"
import json
r = json.load(open('play.json'))['plays'][0]['tasks'][0]['hosts']['localhost']
assert r['failed'], r
assert r['msg'] == "jailer: invalid jail name 'a;b': use only letters, digits, '_' and '-'", r['msg']
assert r['rc'] == 1, r
assert r['cmd'] == ['jailer', 'create', 'a;b'], r['cmd']
PROBE
	assert_no_mutation "a hostile name"
	assert_norm before
}

atf_test_case recreate_refused
recreate_refused_head()
{
	atf_set descr 'a jail that exists (stopped) with another release and address is a failure naming both; it is not recreated'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
recreate_refused_body()
{
	require_sim
	ans_host
	atf_check -s exit:0 -o ignore -e empty jailer create -t new -b vtnet0 \
	    -a 192.168.64.15 web1
	atf_check -s exit:0 -o ignore -e empty jailer stop web1
	# stopped: its conf file's address and its dataset's release count
	cat >other.yml <<'PROBE'
- hosts: all
  gather_facts: false
  tasks:
    - name: other
      jailer.core.jail:
        name: web1
        type: new
        interface: vtnet0
        release: 14.2-RELEASE
        address: [192.168.64.16]
PROBE
	save_norm before
	calls_reset
	play other.yml
	[ "$PLAY_RC" -ne 0 ] || atf_fail "the play succeeded"
	python3 - <<'PROBE' || atf_fail "the failure does not name the address"
import json
r = json.load(open('play.json'))['plays'][0]['tasks'][0]['hosts']['localhost']
assert r['failed'], r
assert r['differences'] == [
    'release: 14.2-RELEASE wanted, the jail has 14.3-RELEASE',
    'address: 192.168.64.16 wanted, the jail has 192.168.64.15'], r
PROBE
	assert_no_mutation "another address"
	assert_norm before
}

atf_test_case no_shell
no_shell_head()
{
	atf_set descr 'no module runs a command through a shell: argument lists to run_command only'
	sim_only "run with the simulated suite only (no jailer is run)"
}
no_shell_body()
{
	require_sim
	d=$(ans_dir)/plugins
	if grep -rnE 'use_unsafe_shell|shell *= *True|os\.system|subprocess|os\.popen' "$d"; then
		atf_fail "a shell in the modules"
	fi
	# every run_command call passes a list built from argv
	grep -rn 'run_command(' "$d" >calls.txt
	[ -s calls.txt ] || atf_fail "no run_command at all"
	if grep -v 'run_command(argv)' calls.txt; then
		atf_fail "a run_command not given the argv list"
	fi
	grep -q 'argv = \[self.path\] + ' "$d/module_utils/jailer.py" ||
	    atf_fail "argv is not a list"
}

atf_test_case fleet_example
fleet_example_head()
{
	atf_set descr "the README's fleet (inventory, group vars, site.yml) converges a web host and a db host, each a simulated host, and a second run changes nothing"
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
fleet_example_body()
{
	require_sim
	python3 - "$(ans_dir)/README.md" <<'EXTRACT' || atf_fail "no fleet in the README"
import os, re, sys
lines = open(sys.argv[1]).read().split('\n')
want = {'inventory/hosts.yml': 'inventory/hosts.yml',
        'inventory/group_vars/web.yml': 'inventory/group_vars/web.yml',
        'inventory/group_vars/db.yml': 'inventory/group_vars/db.yml',
        'site.yml': 'site.yml'}
done = set()
for i, l in enumerate(lines):
    m = re.search(r'`([a-z_/]+\.yml)`\)?:$', l)
    if not m or m.group(1) not in want:
        continue
    block, k = [], i + 1
    while k < len(lines) and (lines[k].startswith('    ') or not lines[k].strip()):
        block.append(lines[k][4:])
        k += 1
    path = want[m.group(1)]
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    open(path, 'w').write('\n'.join(block).strip('\n') + '\n')
    done.add(path)
assert done == set(want.values()), done
EXTRACT
	top=$PWD
	for h in web:bsd-web1.example.org db:bsd-db1.example.org; do
		mkdir "$top/${h%%:*}"
		cd "$top/${h%%:*}"
		host_fresh
		ans_env
		for pass in 1 2; do
			calls_reset
			ANSIBLE_STDOUT_CALLBACK=json ansible-playbook \
			    -i "$top/inventory/hosts.yml" --limit "${h#*:}" \
			    -c local -e ansible_python_interpreter=/usr/bin/python3 \
			    -e ansible_become=false "$top/site.yml" >play.json 2>play.err ||
			    { cat play.err; tail -c 3000 play.json; atf_fail "$h: pass $pass failed"; }
			c=$(python3 -c 'import json,sys; s=json.load(open("play.json"))["stats"]; print(list(s.values())[0]["changed"])')
			if [ $pass = 2 ]; then
				[ "$c" = 0 ] || atf_fail "$h: the second run changed $c"
				assert_no_mutation "$h, the second run"
			fi
		done
		cd "$top"
	done
	cd "$top/web"
	JAILER_ROOT=$PWD/root
	atf_check -s exit:0 -o match:'"state": *"Active"' -e empty jailer info -j web0
	atf_check -s exit:0 -o match:'web0' -e empty jailer nat list
	atf_check -s exit:0 -o match:'8080' -e empty jailer rdr list web0
	cd "$top/db"
	JAILER_ROOT=$PWD/root
	jailer info -j db0 | check_json '
assert j["state"] == "Active" and j["ipv4"] == "10.1.0.10", j
assert j["interface"] == "bridge1" and j["gateway"] == "10.1.0.1", j'
	atf_check -s exit:0 -o inline:"[]\n" -e empty jailer nat list -j
}

atf_test_case settings
settings_head()
{
	atf_set descr 'the jail module sets parameters, limits and mounts, changes nothing the second time, reports a change of each in check mode without making it, then makes it'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
settings_body()
{
	require_sim
	host_ready --racct
	ans_env
	mkdir -p root/srv/www root/srv/up
	cat >settings.yml <<'PROBE'
- hosts: all
  gather_facts: false
  tasks:
    - name: w1
      jailer.core.jail:
        name: w1
        type: inherit
        parameters:
          allow.raw_sockets: "{{ raw | default(true) }}"
          enforce_statfs: 1
          securelevel: "{{ level | default(omit) }}"
        limits: "{{ limits | default({'memoryuse': '1g', 'maxproc': '200'}) }}"
        mounts: "{{ mounts | default([{'host': '/srv/www', 'path': '/usr/local/www'}, {'host': '/srv/up', 'path': '/var/up', 'mode': 'rw'}]) }}"
PROBE
	play_ok settings.yml
	[ "$(stat changed)" = 1 ] || atf_fail "changed is $(stat changed), not 1"
	jailer get -j w1 | check_json '
assert j["allow.raw_sockets"] == "true" and j["enforce_statfs"] == "1", j'
	jailer limit list -j w1 | check_json '
assert sorted((r["resource"], r["amount"], r["action"]) for r in j) == [
    ("maxproc", "200", "deny"), ("memoryuse", "1g", "deny")], j'
	jailer mount list -j w1 | check_json '
assert sorted((m["path"], m["host"], m["mode"]) for m in j) == [
    ("/usr/local/www", "/srv/www", "ro"), ("/var/up", "/srv/up", "rw")], j'
	save_norm set
	calls_reset
	play_ok settings.yml
	[ "$(stat changed)" = 0 ] || atf_fail "the second run: changed is $(stat changed)"
	assert_no_mutation "the second run"
	assert_norm set
	# Another value of each: a change in check mode, nothing made
	cat >vars.yml <<'PROBE'
raw: false
limits: {maxproc: null, memoryuse: 2g}
mounts:
  - {path: /var/up, state: absent}
  - {host: /srv/www, path: /usr/local/www, mode: rw}
PROBE
	calls_reset
	play_ok settings.yml --check --diff -e @vars.yml
	[ "$(stat changed)" = 1 ] || atf_fail "check mode: changed is $(stat changed)"
	assert_no_mutation "check mode"
	assert_norm set
	python3 - <<'CHECK' || atf_fail "the plans of check mode"
import json
r = json.load(open('play.json'))['plays'][0]['tasks'][0]['hosts']['localhost']
cmds = [p['command'] for p in r['plans']]
assert cmds == ['set', 'limit', 'limit del', 'umount', 'umount'], cmds
CHECK
	play_ok settings.yml -e @vars.yml
	[ "$(stat changed)" = 1 ] || atf_fail "changed is $(stat changed), not 1"
	jailer get -j w1 | check_json 'assert j["allow.raw_sockets"] == "false", j'
	jailer limit list -j w1 | check_json '
assert [(r["resource"], r["amount"]) for r in j] == [("memoryuse", "2g")], j'
	jailer mount list -j w1 | check_json '
assert [(m["path"], m["host"], m["mode"]) for m in j] == [
    ("/usr/local/www", "/srv/www", "rw")], j'
	calls_reset
	play_ok settings.yml -e @vars.yml
	[ "$(stat changed)" = 0 ] || atf_fail "again: changed is $(stat changed)"
	assert_no_mutation "again"
}

atf_test_case facts
facts_head()
{
	atf_set descr 'jailer_facts: the version, init info, images and every jail, also a running jail with a name jailer refuses (as list -j shows it, with a warning); nothing changes'
	atf_set require.progs ansible-playbook
	sim_only "the simulated host's state and call log"
}
facts_body()
{
	require_sim
	host_with_image
	ans_env
	mkjail w0
	atf_check -s exit:0 -o ignore -e ignore jail -c \
	    "$(printf 'name=by"hand\001')" path=/tmp persist
	cat >facts.yml <<'PROBE'
- hosts: all
  gather_facts: false
  tasks:
    - jailer.core.jailer_facts:
PROBE
	calls_reset
	play_ok facts.yml
	assert_no_mutation "facts"
	python3 - "$(jailer version | cut -d' ' -f2)" <<'CHECK' || atf_fail "the facts"
import json, sys
r = json.load(open('play.json'))['plays'][0]['tasks'][0]['hosts']['localhost']
f = r['ansible_facts']['jailer']
assert f['version'] == sys.argv[1], f['version']
assert f['host']['jailer_dir'] == 'zfs:zroot/jails', f['host']
assert [i['name'] for i in f['images']] == ['14.3-RELEASE'], f['images']
assert f['jails']['w0']['release'] == '14.3-RELEASE', f['jails']['w0']
odd = f['jails']['by"hand\x01']
assert odd['state'] == 'Active' and 'network' not in odd, odd
assert any('by' in w for w in r.get('warnings', [])), r.get('warnings')
CHECK
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case converge
	atf_add_test_case idempotent
	atf_add_test_case check_mode
	atf_add_test_case absent
	atf_add_test_case host
	atf_add_test_case docs
	atf_add_test_case failure
	atf_add_test_case recreate_refused
	atf_add_test_case no_shell
	atf_add_test_case settings
	atf_add_test_case facts
	atf_add_test_case fleet_example
}
