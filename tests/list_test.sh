# jailer list and jailer info: the seed's table, JSON, tab-separated rows,
# addresses of every network type (a DHCP lease included), which files are
# jails, jails jailer does not know, and the number of processes spawned.

# make_bridge, jroot, mkjail and jid are in jailer.subr.

# check_table FILE: a header and rows whose columns all start where the
# header's do, separated by at least two spaces, without trailing blanks.
check_table()
{
	awk '
	function starts(line, pos,    n, i, c, inw) {
		n = 0
		inw = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (c != " " && !inw) {
				pos[++n] = i
				inw = 1
			} else if (c == " ")
				inw = 0
		}
		return n
	}
	NR == 1 { nh = starts($0, h) }
	{
		n = starts($0, p)
		if (n > nh) {
			print "line " NR ": " n " fields, header has " nh
			bad = 1
		}
		for (i = 1; i <= n; i++) {
			if (p[i] != h[i]) {
				print "line " NR ": field " i " starts at " p[i] \
				    ", its header at " h[i]
				bad = 1
			}
			if (i > 1 && substr($0, p[i] - 2, 2) != "  ") {
				print "line " NR ": field " i " not two spaces apart"
				bad = 1
			}
		}
		if ($0 ~ / $/) {
			print "line " NR ": trailing blank"
			bad = 1
		}
	}
	END { exit bad }' "$1" || { cat "$1"; atf_fail "the table is not aligned"; }
}

# A dhclient(8) lease file with fixed-address ADDR in the jail NAME for
# epairIDb: write_lease NAME ID ADDR...  (one lease per address, in order)
write_lease()
{
	local n=$1 id=$2 a
	shift 2
	mkdir -p "$(jroot "$n")/var/db"
	for a in "$@"; do
		cat <<EOF
lease {
  interface "epair${id}b";
  fixed-address $a;
  option subnet-mask 255.255.255.0;
  option routers 10.0.0.1;
  option domain-name-servers 10.0.0.1;
  option dhcp-lease-time 3600;
  option dhcp-message-type 5;
  option dhcp-server-identifier 10.0.0.1;
  renew 4 2026/11/26 12:00:00;
  rebind 4 2026/11/26 12:30:00;
  expire 4 2026/11/26 12:40:00;
}
EOF
	done >"$(jroot "$n")/var/db/dhclient.leases.epair${id}b"
}

# Five jails, one of each kind: i1 inherit, n1 new, e1 eb static,
# d1 eb DHCP (no lease), s1 stopped.
five_jails()
{
	host_with_image
	make_bridge
	mkjail i1
	mkjail n1 -t new -b vtnet0
	mkjail e1 -t eb -a 10.0.0.10
	mkjail d1 -t eb
	mkjail s1
	atf_check -s exit:0 -o ignore jailer stop s1
}

atf_test_case empty
empty_head()
{
	atf_set descr 'no jails: the header, [] and nothing'
}
empty_body()
{
	host_ready
	atf_check -s exit:0 -o match:'^NAME +STATE +JID +HOSTNAME +IPv4 +GW$' \
	    -e empty jailer list
	atf_check -s exit:0 -o inline:'1\n' -e empty \
	    sh -c 'jailer list | wc -l | tr -d " "'
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer list -j
	atf_check -s exit:0 -o empty -e empty jailer list -H
}

atf_test_case table
table_head()
{
	atf_set descr 'the seed table: aligned columns, Active/Stopped, the address of every network type'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
table_body()
{
	require_sim
	five_jails
	atf_check -s exit:0 -o save:out -e empty jailer list
	check_table out
	atf_check -s exit:0 -o match:'^NAME +STATE +JID +HOSTNAME +IPv4 +GW$' \
	    head -1 out
	cat >expected <<EOF
d1 Active $(jid d1) d1.example.org - -
e1 Active $(jid e1) e1.example.org 10.0.0.10/24 10.0.0.1
i1 Active $(jid i1) i1.example.org - -
n1 Active $(jid n1) n1.example.org 192.168.64.3 -
s1 Stopped
EOF
	atf_check -s exit:0 -o file:expected sed '1d;s/  */ /g' out
}

atf_test_case dhcp_lease
dhcp_lease_head()
{
	atf_set descr 'a DHCP jail shows the address and router of its last lease'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
dhcp_lease_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail app0 -t eb
	atf_check -s exit:0 -o match:'^app0 +Active +[0-9]+ +app0\.example\.org +- +-$' \
	    jailer list
	# The jail's own dhclient lease is its claim: shown by info, never
	# taken as its address (the host's dhcpd has no binding for it).
	write_lease app0 1 10.0.0.7 10.0.0.2
	atf_check -s exit:0 -o save:out -e empty jailer list
	check_table out
	atf_check -s exit:0 \
	    -o match:'^app0 +Active +[0-9]+ +app0\.example\.org +- +-$' \
	    cat out
	atf_check -s exit:0 -o match:'^IPv4: -$' \
	    -o match:'^Jail claims: 10\.0\.0\.2/24 via 10\.0\.0\.1 \(the jail.s own files; not used\)$' \
	    -e empty jailer info app0
	atf_check -s exit:0 -o match:'"jail_claims":"10\.0\.0\.2/24 via 10\.0\.0\.1"' \
	    -e empty jailer info -j app0
}

atf_test_case json
json_head()
{
	atf_set descr 'list -j: keys in order, strings only, stopped jails have name and state'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
json_body()
{
	require_sim
	five_jails
	atf_check -s exit:0 -o save:out -e empty jailer list -j
	atf_check -s exit:0 -o inline:'ok\n' -e empty python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [j["name"] for j in d] == ["d1", "e1", "i1", "n1", "s1"], d
for j in d:
    for v in j.values():
        assert isinstance(v, str), j
    if j["state"] == "Stopped":
        assert list(j) == ["name", "state"], j
    else:
        assert j["state"] == "Active", j
        assert list(j) == ["name", "state", "jid", "hostname", "ipv4",
                           "gateway"], j
        assert j["hostname"] == j["name"] + ".example.org", j
e1 = d[1]
assert (e1["ipv4"], e1["gateway"]) == ("10.0.0.10/24", "10.0.0.1"), e1
n1 = d[3]
assert (n1["ipv4"], n1["gateway"]) == ("192.168.64.3", "-"), n1
assert (d[0]["ipv4"], d[2]["ipv4"]) == ("-", "-"), d
print("ok")' out
	atf_check -s exit:0 -o inline:"\"jid\":\"$(jid e1)\"\n" \
	    grep -o '"jid":"'"$(jid e1)"'"' out
}

atf_test_case tab_separated
tab_separated_head()
{
	atf_set descr 'list -H: one tab-separated row per jail, no header'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
tab_separated_body()
{
	require_sim
	five_jails
	atf_check -s exit:0 -o save:out -e empty jailer list -H
	atf_check -s exit:0 -o inline:'5\n' sh -c 'wc -l <out | tr -d " "'
	atf_check -s not-exit:0 grep -q NAME out
	printf 'e1\tActive\t%s\te1.example.org\t10.0.0.10/24\t10.0.0.1\n' \
	    "$(jid e1)" >expected
	atf_check -s exit:0 -o file:expected grep '^e1	' out
	atf_check -s exit:0 -o inline:'s1\tStopped\n' \
	    sh -c 'grep "^s1	" out | cut -f1,2'
	atf_check -s exit:0 -o inline:'n1\t192.168.64.3\t-\n' \
	    sh -c 'grep "^n1	" out | cut -f1,5,6'
}

atf_test_case not_jails
not_jails_head()
{
	atf_set descr 'dot files, pf files, backups and other files in jail.conf.d are not jails'
	sim_only "edits the host's files under JAILER_ROOT"
}
not_jails_body()
{
	require_sim
	host_with_image
	mkjail real
	d="$JAILER_ROOT/etc/jail.conf.d"
	for f in .hidden.conf .pf.nat.jailer.conf .pf.rdr.jailer.conf \
	    .pf.nat.jailer.conf.1700000000 x.conf.bak 'x.conf~' notes.txt \
	    '#y.conf#'; do
		printf 'x {\n  path = "/tmp";\n  persist;\n}\n' >"$d/$f"
	done
	atf_check -s exit:0 -o save:out -e ignore jailer list
	atf_check -s exit:0 -o inline:'real\n' sh -c 'sed 1d out | cut -d" " -f1'
	atf_check -s exit:0 -o inline:'[{"name":"real","state":"Active","jid":"1","hostname":"real.example.org","ipv4":"-","gateway":"-"}]\n' \
	    -e ignore jailer list -j
}

atf_test_case original_pf_files
original_pf_files_head()
{
	atf_set descr 'the shell jailer pf files in jail.conf.d are neither jails nor leftovers'
	sim_only "edits the host's files under JAILER_ROOT"
}
original_pf_files_body()
{
	require_sim
	host_with_image
	mkjail real
	d="$JAILER_ROOT/etc/jail.conf.d"
	echo 'nat on vtnet0 from 10.0.0.0/24 to any -> (vtnet0)' \
	    >"$d/.pf.nat.jailer.conf"
	echo 'rdr pass on vtnet0 proto tcp to port 80 -> 10.0.0.2 port 80' \
	    >"$d/.pf.rdr.jailer.conf"
	cp "$d/.pf.nat.jailer.conf" "$d/.pf.nat.jailer.conf.1700000000"
	atf_check -s exit:0 -o match:'^real ' -o not-match:'pf' -e ignore jailer list
	atf_check -s exit:0 -o ignore -e empty jailer list
}

atf_test_case not_jails_directory
not_jails_directory_head()
{
	atf_set descr 'a directory called NAME.conf in jail.conf.d is not a jail'
	sim_only "edits the host's files under JAILER_ROOT"
}
not_jails_directory_body()
{
	require_sim
	host_with_image
	mkjail real
	mkdir "$JAILER_ROOT/etc/jail.conf.d/dir.conf"
	atf_check -s exit:0 -o save:out -e empty jailer list
	atf_check -s exit:0 -o inline:'real\n' sh -c 'sed 1d out | cut -d" " -f1'
}

atf_test_case foreign_running_jail
foreign_running_jail_head()
{
	atf_set descr 'a running jail jailer does not know is listed and shown by info'
}
foreign_running_jail_body()
{
	host_with_image
	mkjail mine
	atf_check -s exit:0 -o ignore -e ignore \
	    jail -c name=foo path=/tmp host.hostname=foo.example.net persist
	atf_check -s exit:0 -o save:out -e empty jailer list
	check_table out
	atf_check -s exit:0 \
	    -o match:"^foo +Active +$(jid foo) +- +- +-\$" cat out
	atf_check -s exit:0 -o match:'^mine +Active' cat out
	atf_check -s exit:0 -o match:'^State: Active$' -o match:'^Path: /tmp$' \
	    -e empty jailer info foo
}

atf_test_case spawns_constant
spawns_constant_head()
{
	atf_set descr 'list runs at most 3 programs and no jexec, however many jails'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
spawns_constant_body()
{
	require_sim
	host_with_image
	make_bridge
	mkjail j1
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer list
	one=$(calls_count)
	mkjail j2 -t new -b vtnet0
	mkjail j3 -t eb -a 10.0.0.10
	mkjail j4 -t eb
	mkjail j5
	write_lease j4 4 10.0.0.2
	for style in "" -j -H; do
		calls_reset
		atf_check -s exit:0 -o ignore -e empty jailer list $style
		n=$(calls_count)
		[ "$n" -le 3 ] || { calls; atf_fail "list $style ran $n programs"; }
		[ "$n" -eq "$one" ] ||
		    { calls; atf_fail "list $style: $n programs for 5 jails, $one for 1"; }
		atf_check -s not-exit:0 grep -q '^jexec' "$JAILER_ROOT/.fakebsd/calls.log"
	done
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer info j4
	# zfs list, jls (records), jls (JIDs), zfs get (its release)
	[ "$(calls_count)" -le 4 ] || { calls; atf_fail "info ran $(calls_count) programs"; }
}

atf_test_case usage
usage_head()
{
	atf_set descr 'list takes no arguments; info takes one name'
}
usage_body()
{
	host_ready
	atf_check -s exit:2 -o empty -e match:"unexpected argument 'x'" jailer list x
	atf_check -s exit:2 -o empty -e match:'unknown option -x' jailer list -x
	atf_check -s exit:2 -o empty -e match:'expected one jail name' jailer info
	atf_check -s exit:2 -o empty -e match:'expected one jail name' \
	    jailer info a b
}

atf_test_case info_fields
info_fields_head()
{
	atf_set descr 'info: every field of a running new jail, an eb jail in JSON, stopped jails (their conf file and dataset), a release without a record'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
info_fields_body()
{
	require_sim
	five_jails
	cat >expected <<EOF
Name: n1
State: Active
JID: $(jid n1)
Hostname: n1.example.org
IPv4: 192.168.64.3
Netmask: 255.255.255.255
Gateway: -
Network: new
Interface: vtnet0
Release: 14.3-RELEASE
Path: /usr/local/jails/n1
EOF
	atf_check -s exit:0 -o file:expected -e empty jailer info n1
	printf '{"name":"e1","state":"Active","jid":"%s","hostname":"e1.example.org","ipv4":"10.0.0.10","netmask":"255.255.255.0","gateway":"10.0.0.1","network":"eb","interface":"bridge0","release":"14.3-RELEASE","path":"/usr/local/jails/e1"}\n' \
	    "$(jid e1)" >expected
	atf_check -s exit:0 -o file:expected -e empty jailer info -j e1
	cat >expected <<EOF
Name: s1
State: Stopped
Hostname: s1.example.org
IPv4: -
Netmask: -
Gateway: -
Network: inherit
Interface: -
Release: 14.3-RELEASE
Path: /usr/local/jails/s1
EOF
	atf_check -s exit:0 -o file:expected -e empty jailer info s1
	# Stopped, a jail's address is what its conf file gives, never
	# what its own files say; its release is its dataset's record.
	atf_check -s exit:0 -o ignore jailer stop n1 e1
	echo 'ifconfig_epair0b="inet 10.0.0.99/24"' >>"$JAILER_ROOT/usr/local/jails/e1/etc/rc.conf"
	zfs inherit jailer:release zroot/jails/s1
	atf_check -s exit:0 -o inline:'ok\n' -e empty python3 -c '
import json, subprocess
def info(n):
    return json.loads(subprocess.check_output(["jailer", "info", "-j", n]))
d = info("s1")
assert d == {"name": "s1", "state": "Stopped", "hostname": "s1.example.org",
             "ipv4": "-", "netmask": "-", "gateway": "-", "network": "inherit",
             "interface": "-", "release": "-",
             "path": "/usr/local/jails/s1"}, d
d = info("n1")
assert d["state"] == "Stopped" and "jid" not in d, d
assert (d["ipv4"], d["netmask"], d["interface"], d["release"]) == \
    ("192.168.64.3", "255.255.255.255", "vtnet0", "14.3-RELEASE"), d
d = info("e1")
assert (d["ipv4"], d["netmask"], d["gateway"]) == \
    ("10.0.0.10", "255.255.255.0", "10.0.0.1"), d
assert "jail_claims" not in d and d["release"] == "14.3-RELEASE", d
print("ok")'
}

atf_test_case info_unknown
info_unknown_head()
{
	atf_set descr 'info of an unknown jail is an error'
}
info_unknown_body()
{
	host_ready
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no such jail\n' \
	    jailer info nosuch
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no such jail\n' \
	    jailer info -j nosuch
}

atf_test_case forged_jls_record
forged_jls_record_head()
{
	atf_set descr "a jail whose name holds a newline (a child jail's name is its parent's root's choice) forges no jls record: a stopped jail stays stopped, a running one keeps its own JID and path, and list -j stays JSON"
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
forged_jls_record_body()
{
	require_sim
	host_with_image
	mkjail p0
	mkjail w0
	atf_check -s exit:0 -o ignore -e empty jailer stop w0
	pj=$(jid p0)
	# What the rest of each name reads as: a record of its own (jls -q
	# quotes such a name, so the record's name ends in the quote): an
	# unknown JID, p0's JID again, p0's JID after a blank.
	for n in "x\n77 w0" "y\n$pj p0" "z\n $pj w0"; do
		atf_check -s exit:0 -o ignore -e ignore jail -c \
		    "$(printf "name=p0.$n")" path=/tmp persist
	done
	jls -q jid name vnet ip4.addr path >jls.out
	atf_check -s exit:0 -o ignore grep -c "^$pj p0\" " jls.out
	calls_reset
	atf_check -s exit:0 -o save:out \
	    -e match:"more than one record for JID $pj" jailer list -j
	atf_check -s exit:0 -o inline:'ok\n' python3 -c '
import json, sys
d = dict((j["name"], j) for j in json.load(open("out")))
assert sorted(d) == ["p0", "w0"], sorted(d)
assert d["w0"] == {"name": "w0", "state": "Stopped"}, d["w0"]
assert d["p0"]["state"] == "Active" and d["p0"]["jid"] == sys.argv[1], d
print("ok")' "$pj"
	atf_check -s exit:0 -o match:"^jls -j $pj -q " grep '^jls ' "$JAILER_ROOT/.fakebsd/calls.log"
	atf_check -s exit:0 -o match:'^State: Stopped$' -o not-match:'^JID' \
	    -e ignore jailer info w0
	atf_check -s exit:0 -o match:'^Path: /usr/local/jails/p0$' \
	    -o match:"^JID: $pj\$" -e ignore jailer info p0
	# start believes no forged record: w0 starts
	atf_check -s exit:0 -o match:'Done' -e ignore jailer start w0
	[ "$(jid w0)" != 77 ] || atf_fail "w0 has the forged JID"
}

atf_test_case json_hostile_names
json_hostile_names_head()
{
	atf_set descr 'list -j, info -j, snap list -j, image list -j, nat list -j and rdr list -j stay JSON with hostile names in the data: a jail named with quotes, backslashes, control bytes, UTF-8 and a byte that is not, snapshot names with every character zfs allows'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
json_hostile_names_body()
{
	require_sim
	pf_host
	mkjail e1 -t eb -a 10.0.0.10
	atf_check -s exit:0 -o ignore -e empty jailer nat add e1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 8080 -d 80 e1
	evil=$(printf 'f"o\\o\001\033[31m\tz\303\251\377')
	atf_check -s exit:0 -o ignore -e ignore jail -c "name=$evil" path=/tmp persist
	atf_check -s exit:0 -o ignore -e empty zfs snapshot 'zroot/jails/e1@a:b.c-d_e'
	# the JID of the jail e1 claims in its own files does not matter
	echo 'ifconfig_epair0b="inet 10.0.0.99/24 \"x\\"' >>"$JAILER_ROOT/usr/local/jails/e1/etc/rc.conf"
	for c in 'list -j' 'info -j e1' 'snap list -j' 'image list -j' \
	    'nat list -j' 'rdr list -j'; do
		jailer $c >"out.$c" 2>err || atf_fail "jailer $c: $(cat err)"
	done
	atf_check -s exit:0 -o inline:'ok\n' python3 -c '
import json
def load(c):
    return json.load(open("out." + c, encoding="utf-8"))
names = [j["name"] for j in load("list -j")]
assert "f\"o\\o\x01\x1b[31m\tz\u00e9\ufffd" in names, names
assert load("info -j e1")["ipv4"] == "10.0.0.10"
snaps = [s["snapshot"] for s in load("snap list -j")]
assert "a:b.c-d_e" in snaps, snaps
assert [i["name"] for i in load("image list -j")] == ["14.3-RELEASE"]
assert [r["jail"] for r in load("nat list -j")] == ["e1"]
assert [r["jail"] for r in load("rdr list -j")] == ["e1"]
print("ok")'
	# the text list shows the name made visible, on one line, aligned
	jailer list >table || atf_fail "list failed"
	atf_check -s exit:0 -o inline:'ok\n' python3 -c '
lines = open("table", "rb").read().split(b"\n")[:-1]
assert len(lines) == 3, lines
assert all(c >= 0x20 and c != 0x7f for l in lines for c in l), lines
want = "f\"o\\\\o\\x01\\x1b[31m\\tz\u00e9\\xff".encode()
row = [l for l in lines if l.startswith(want)]
assert row, lines
assert row[0].decode().index("Active") == lines[0].decode().index("STATE"), lines
print("ok")'
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case empty
	atf_add_test_case table
	atf_add_test_case dhcp_lease
	atf_add_test_case json
	atf_add_test_case tab_separated
	atf_add_test_case not_jails
	atf_add_test_case not_jails_directory
	atf_add_test_case original_pf_files
	atf_add_test_case foreign_running_jail
	atf_add_test_case spawns_constant
	atf_add_test_case usage
	atf_add_test_case info_fields
	atf_add_test_case info_unknown
	atf_add_test_case forged_jls_record
	atf_add_test_case json_hostile_names
}
