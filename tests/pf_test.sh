# jailer nat and rdr: rules kept per jail in /usr/local/etc/jailer/pf,
# loaded into the pf anchor jailer/NAME, following the jail's life.

# ---------------------------------------------------------------- helpers

# host_norm_state, host_sweep, save_norm, assert_norm, one_error, pf_host
# and mkjail are in jailer.subr.

# The jails have no domain (no -d).
JAIL_DOMAIN=

# No pfctl call that loads or flushes anything (a check with -n may run).
assert_no_pf_change()
{
	if grep -E '^pfctl .*-[fFed]' "$JAILER_ROOT/.fakebsd/calls.log" |
	    grep -v '^pfctl -n ' >"$PWD/.pfcalls"; then
		cat "$PWD/.pfcalls"
		atf_fail "pfctl changed something"
	fi
}

# Every "pfctl -a ANCHOR -f -" of the call log comes right after the
# "pfctl -n -a ANCHOR -f -" that checked the same rules.
assert_loads_checked()
{
	awk '
	/^pfctl -a [^ ]+ -f -$/ {
		if (prev != "pfctl -n -a " $3 " -f -") {
			print "unchecked: " $0
			bad = 1
		}
	}
	{ prev = $0 }
	END { exit bad }' "$JAILER_ROOT/.fakebsd/calls.log" ||
	    atf_fail "a pf load was not checked with pfctl -n first"
}

# The anchor's rules, as pfctl prints them, parse again (pfctl -n).  (Not
# through a pipe: two simulated tools on one pipe can deadlock on the
# state lock.)
assert_anchor_parses()
{
	pfctl -a "jailer/$1" -s nat >"$JAILER_ROOT/tmp/anchor.$1" ||
	    atf_fail "pfctl -s nat failed"
	atf_check -s exit:0 -o empty -e empty \
	    pfctl -n -a "jailer/$1" -f "/tmp/anchor.$1"
	rm -f "$JAILER_ROOT/tmp/anchor.$1"
}

# No anchor below jailer (jailer itself exists while pf.conf calls it).
assert_no_anchors()
{
	atf_check -s exit:0 -o empty -e empty pfctl -a jailer -s Anchors
}

rules_file()
{
	echo "root/usr/local/etc/jailer/pf/$1.rules"
}

rules_header()
{
	echo "# pf rules of the jail $1, kept by jailer(8) and loaded into the anchor jailer/$1."
}

# pf_w1 [w2|nat]: pf_host and the jail w1 (eb, 10.0.0.10); with w2, the
# jail w2 (eb, 10.0.0.11) too; with nat, a NAT rule for w1.
pf_w1()
{
	pf_host
	mkjail w1 -t eb -a 10.0.0.10
	case ${1:-} in
	w2)	mkjail w2 -t eb -a 10.0.0.11 ;;
	nat)	atf_check -s exit:0 -o ignore -e empty jailer nat add w1 ;;
	esac
}

# Give the DHCP lease of jail NAME to another client: the jail gets the
# next free address when it asks again (as dhcpd does once a lease has
# expired and was taken).
steal_lease()
{
	python3 - "$JAILER_ROOT/.fakebsd/state.json" "$1" <<'EOF'
import json, sys
path, jail = sys.argv[1], sys.argv[2]
st = json.load(open(path))
leases = st['dhcpd']['leases']
for mac, l in list(leases.items()):
    if l.get('jail') == jail:
        del leases[mac]
        l = dict(l, jail=None, hostname='laptop')
        leases['02:00:5e:00:00:99'] = l
json.dump(st, open(path, 'w'), indent=1)
EOF
}


# ---------------------------------------------------------------- nat

atf_test_case needs_init_pf
needs_init_pf_head()
{
	atf_set descr 'nat add and rdr add need the anchors of init pf; nothing is written without them'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
needs_init_pf_body()
{
	require_sim
	host_with_image
	atf_check -s exit:0 -o ignore -e empty jailer init bridge -y
	mkjail w1 -t eb -a 10.0.0.10
	save_norm before
	calls_reset
	msg="jailer: w1: /etc/pf.conf has no jailer anchors: run 'jailer init pf' first\n"
	atf_check -s exit:1 -o empty -e inline:"$msg" jailer nat add w1
	atf_check -s exit:1 -o empty -e inline:"$msg" \
	    jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:1 -o empty grep '^pfctl' root/.fakebsd/calls.log
	assert_norm before
	test -e root/usr/local/etc/jailer/pf && atf_fail "rules directory created"
	# A pf.conf with two of the three anchors is not enough.
	printf 'nat-anchor "jailer/*"\nrdr-anchor "jailer/*"\npass all\n' \
	    >root/etc/pf.conf
	save_norm before
	atf_check -s exit:1 -o empty -e inline:"$msg" jailer nat add w1
	assert_norm before
}

atf_test_case nat_add
nat_add_head()
{
	atf_set descr 'nat add: on the default route interface, the rule file, the anchor, checked with pfctl -n first'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
nat_add_body()
{
	require_sim
	pf_w1
	calls_reset
	atf_check -s exit:0 -o inline:'Adding NAT for w1 on vtnet0: Done!\n' \
	    -e empty jailer nat add w1
	cp root/.fakebsd/calls.log nat.calls
	{
		rules_header w1
		echo 'nat vtnet0 -'
	} >want
	atf_check -s exit:0 -o empty diff -u want "$(rules_file w1)"
	atf_check -s exit:0 \
	    -o inline:'nat on vtnet0 inet from 10.0.0.10 to any -> (vtnet0:0)\n' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/w1 -s rules 2>/dev/null"
	atf_check -s exit:0 -o inline:'  jailer/w1\n' pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o ignore grep -x 'route -n get default' nat.calls
	atf_check -s exit:0 -o inline:'pfctl -n -a jailer/w1 -f -\npfctl -a jailer/w1 -f -\n' \
	    grep "^pfctl" nat.calls
	assert_loads_checked
	assert_anchor_parses w1
	# pf.conf and the main ruleset are not touched.
	atf_check -s exit:0 -o inline:'anchor "jailer/*" all\n' pfctl -s rules
	atf_check -s exit:0 -o match:'^Status: Enabled' pfctl -s info
}

atf_test_case nat_default_route
nat_default_route_head()
{
	atf_set descr 'the interface defaults to the one of the default route; without one, -i is needed'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
nat_default_route_body()
{
	require_sim
	pf_w1 w2
	# The default route moves to another interface.
	ifconfig epair9 create >/dev/null
	ifconfig epair9a inet 172.16.0.2/24 up >/dev/null
	route change default 172.16.0.1 >/dev/null
	atf_check -s exit:0 -o match:'interface: epair9a' route -n get default
	atf_check -s exit:0 -o inline:'Adding NAT for w1 on epair9a: Done!\n' \
	    -e empty jailer nat add w1
	atf_check -s exit:0 \
	    -o match:'^nat on epair9a inet from 10\.0\.0\.10 to any -> \(epair9a:0\)' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	# No default route.
	route delete default >/dev/null
	save_norm before
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w2: the host has no default route: name the interface with -i\n' \
	    jailer nat add w2
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w2: the host has no default route: name the interface with -i\n' \
	    jailer rdr add -p tcp -r 80 w2
	assert_norm before
	calls_reset
	atf_check -s exit:0 -o inline:'Adding NAT for w2 on vtnet0: Done!\n' \
	    -e empty jailer nat add -i vtnet0 w2
	atf_check -s exit:1 -o empty grep '^route' root/.fakebsd/calls.log
}

atf_test_case nat_options
nat_options_head()
{
	atf_set descr 'nat add -i and -a: that interface, that address'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
nat_options_body()
{
	require_sim
	pf_w1 w2
	calls_reset
	atf_check -s exit:0 -o inline:'Adding NAT for w1 on vtnet0: Done!\n' \
	    -e empty jailer nat add -i vtnet0 -a 192.168.64.2 w1
	atf_check -s exit:1 -o empty grep '^route' root/.fakebsd/calls.log
	atf_check -s exit:0 -o inline:"$(rules_header w1)\nnat vtnet0 192.168.64.2\n" \
	    cat "$(rules_file w1)"
	atf_check -s exit:0 \
	    -o inline:'nat on vtnet0 inet from 10.0.0.10 to any -> 192.168.64.2\n' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	assert_anchor_parses w1
	# An interface pf does not know yet is fine (pf accepts it).
	atf_check -s exit:0 -o inline:'Adding NAT for w2 on em1: Done!\n' \
	    -e empty jailer nat add -a 192.168.64.2 -i em1 w2
	atf_check -s exit:0 \
	    -o inline:'nat on em1 inet from 10.0.0.11 to any -> 192.168.64.2\n' \
	    -x "pfctl -a jailer/w2 -s nat 2>/dev/null"
	assert_loads_checked
}

atf_test_case nat_twice
nat_twice_head()
{
	atf_set descr 'a second nat add for a jail is refused; nothing changes'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
nat_twice_body()
{
	require_sim
	pf_w1 nat
	save_norm before
	calls_reset
	for opts in '' '-i em1' '-a 192.168.64.2'; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: w1: already has a NAT rule; remove it with 'jailer nat del w1' first\n" \
		    jailer nat add $opts w1
	done
	assert_no_pf_change
	assert_norm before
}

atf_test_case nat_del
nat_del_head()
{
	atf_set descr 'nat del: the rule goes, the file too when it was the last, the anchor follows'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
nat_del_body()
{
	require_sim
	pf_w1 nat
	calls_reset
	atf_check -s exit:0 -o inline:'Removing NAT of w1: Done!\n' -e empty \
	    jailer nat del w1
	cp root/.fakebsd/calls.log del.calls
	test -e "$(rules_file w1)" && atf_fail "the empty rule file stayed"
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	assert_no_anchors
	atf_check -s exit:0 -o inline:'pfctl -q -a jailer/w1 -F all\n' \
	    grep "^pfctl" del.calls
	save_norm before
	atf_check -s exit:1 -o empty -e inline:'jailer: w1: no NAT rule\n' \
	    jailer nat del w1
	assert_norm before
	# With redirections left, they stay loaded.
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:0 -o ignore -e empty jailer nat del w1
	atf_check -s exit:0 -o inline:"$(rules_header w1)\nrdr 1 vtnet0 - tcp 80 80\n" \
	    cat "$(rules_file w1)"
	atf_check -s exit:0 \
	    -o inline:'rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = http -> 10.0.0.10 port 80\n' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	# Usage.
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer nat del
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer nat del w1 w2
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no NAT rule\n' \
	    jailer nat del nosuch
}

# ---------------------------------------------------------------- rdr

atf_test_case rdr_add
rdr_add_head()
{
	atf_set descr 'rdr add: numbered rules, ports and ranges, -d, tcp and udp on one port, the anchor'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
rdr_add_body()
{
	require_sim
	pf_w1
	calls_reset
	atf_check -s exit:0 \
	    -o inline:'Redirecting tcp port 80 on vtnet0 to w1: Done!\n' \
	    -e empty jailer rdr add -p tcp -r 80 -d 8080 w1
	atf_check -s exit:0 \
	    -o inline:'Redirecting udp port 80 on vtnet0 to w1: Done!\n' \
	    -e empty jailer rdr add -p udp -r 80 w1
	atf_check -s exit:0 \
	    -o inline:'Redirecting tcp port 1000:1010 on vtnet0 to w1: Done!\n' \
	    -e empty jailer rdr add -p tcp -r 1000:1010 w1
	atf_check -s exit:0 \
	    -o inline:'Redirecting tcp port 2000:2002 on vtnet0 to w1: Done!\n' \
	    -e empty jailer rdr add -p tcp -r 2000:2002 -d 3000 w1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -i em1 -a 198.51.100.7 -p tcp -r 80 w1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -p udp -r 65535 w1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -p udp -r 1 -d 65535 w1
	{
		rules_header w1
		cat <<'EOF'
rdr 1 vtnet0 - tcp 80 8080
rdr 2 vtnet0 - udp 80 80
rdr 3 vtnet0 - tcp 1000:1010 1000
rdr 4 vtnet0 - tcp 2000:2002 3000
rdr 5 em1 198.51.100.7 tcp 80 80
rdr 6 vtnet0 - udp 65535 65535
rdr 7 vtnet0 - udp 1 65535
EOF
	} >want
	atf_check -s exit:0 -o empty diff -u want "$(rules_file w1)"
	cat >want <<'EOF'
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = http -> 10.0.0.10 port 8080
rdr pass on vtnet0 inet proto udp from any to (vtnet0:0) port = http -> 10.0.0.10 port 80
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 1000:1010 -> 10.0.0.10 port 1000:1010
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 2000:2002 -> 10.0.0.10 port 3000:3002
rdr pass on em1 inet proto tcp from any to 198.51.100.7 port = http -> 10.0.0.10 port 80
rdr pass on vtnet0 inet proto udp from any to (vtnet0:0) port = 65535 -> 10.0.0.10 port 65535
rdr pass on vtnet0 inet proto udp from any to (vtnet0:0) port = 1 -> 10.0.0.10 port 65535
EOF
	atf_check -s exit:0 -o file:want -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	assert_loads_checked
	assert_anchor_parses w1
	# NAT comes first in the anchor, whatever the order of the adds.
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	atf_check -s exit:0 \
	    -o inline:'nat on vtnet0 inet from 10.0.0.10 to any -> (vtnet0:0)\n' \
	    -x 'pfctl -a jailer/w1 -s nat | head -1'
	atf_check -s exit:0 -o inline:'8\n' -x 'pfctl -a jailer/w1 -s nat | wc -l | tr -d " "'
	# Usage.
	atf_check -s exit:2 -o empty -e match:'-p tcp|udp and -r PORT are required' \
	    jailer rdr add -r 80 w1
	atf_check -s exit:2 -o empty -e match:'-p tcp|udp and -r PORT are required' \
	    jailer rdr add -p tcp w1
	atf_check -s exit:2 -o empty -e match:'expected one jail name' \
	    jailer rdr add -p tcp -r 81 w1 w2
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer rdr add -p tcp -r 81
}

atf_test_case rdr_conflicts
rdr_conflicts_head()
{
	atf_set descr 'two rules cannot claim one port and protocol on one interface address, in one jail or two'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
rdr_conflicts_body()
{
	require_sim
	pf_w1 w2
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -p tcp -r 1000:1010 w1
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -a 198.51.100.7 -p tcp -r 443 w1
	save_norm before
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w2: tcp port 80 on vtnet0 is already redirected to the jail w1\n' \
	    jailer rdr add -p tcp -r 80 w2
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w2: tcp port 80 on vtnet0 is already redirected to the jail w1\n' \
	    jailer rdr add -p tcp -r 80 -d 8080 w2
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w2: tcp port 1005 on vtnet0 is already redirected to the jail w1\n' \
	    jailer rdr add -p tcp -r 1005:2000 w2
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w2: tcp port 1000 on vtnet0 is already redirected to the jail w1\n' \
	    jailer rdr add -p tcp -r 990:1000 w2
	atf_check -s exit:1 -o empty \
	    -e match:'^jailer: w2: tcp port 79 on vtnet0 is already redirected to the jail w1$|^jailer: w2: tcp port 80 on vtnet0 is already redirected to the jail w1$' \
	    jailer rdr add -p tcp -r 70:90 w2
	# The same jail twice.
	atf_check -s exit:1 -o empty \
	    -e inline:'jailer: w1: tcp port 80 on vtnet0 is already redirected to this jail (rule 1)\n' \
	    jailer rdr add -p tcp -r 80 -d 81 w1
	atf_check -s exit:1 -o empty -e match:'^jailer: w1: tcp port [0-9]+ on vtnet0 is already redirected to this jail \(rule 2\)$' \
	    jailer rdr add -p tcp -r 1010 w1
	# The interface's address and an explicit one may be the same.
	atf_check -s exit:1 -o empty -e match:'already redirected to the jail w1$' \
	    jailer rdr add -a 192.168.64.2 -p tcp -r 80 w2
	atf_check -s exit:1 -o empty -e match:'already redirected to the jail w1$' \
	    jailer rdr add -p tcp -r 443 w2
	atf_check -s exit:1 -o empty -e match:'already redirected to the jail w1$' \
	    jailer rdr add -a 198.51.100.7 -p tcp -r 443 w2
	assert_no_pf_change
	assert_norm before
	# Allowed: the other protocol, another interface, another address,
	# the next port.
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p udp -r 80 w2
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -i em1 -p tcp -r 80 w2
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -a 198.51.100.8 -p tcp -r 443 w2
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 1011 w2
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 81:442 w2
	atf_check -s exit:0 -o inline:'5\n' -x 'pfctl -a jailer/w2 -s nat | wc -l | tr -d " "'
	assert_loads_checked
}

atf_test_case rdr_del
rdr_del_head()
{
	atf_set descr 'rdr del JAIL -n N, -n N JAIL, -f; numbers are not reused; usage errors'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
rdr_del_body()
{
	require_sim
	pf_w1
	for p in 80 81 82; do
		atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r $p w1
	done
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	calls_reset
	atf_check -s exit:0 -o inline:'Removing redirection of w1: Done!\n' \
	    -e empty jailer rdr del w1 -n 2
	assert_loads_checked
	{
		rules_header w1
		printf 'rdr 1 vtnet0 - tcp 80 80\nrdr 3 vtnet0 - tcp 82 82\nnat vtnet0 -\n'
	} >want
	atf_check -s exit:0 -o empty diff -u want "$(rules_file w1)"
	atf_check -s exit:0 -o not-match:'port = 81 ' -o match:'port = 82 ' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	# The next rule gets a new number.
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 81 w1
	atf_check -s exit:0 -o match:'^rdr 4 vtnet0 - tcp 81 81$' cat "$(rules_file w1)"
	atf_check -s exit:0 -o ignore -e empty jailer rdr del -n 1 w1
	atf_check -s exit:0 -o not-match:'port = http ' -x "pfctl -a jailer/w1 -s nat 2>/dev/null"

	save_norm before
	calls_reset
	atf_check -s exit:1 -o empty -e inline:'jailer: w1: no redirection rule 9\n' \
	    jailer rdr del w1 -n 9
	atf_check -s exit:1 -o empty -e inline:'jailer: w1: no redirection rule 1\n' \
	    jailer rdr del w1 -n 1
	for n in 0 -1 x 1x 10000 ''; do
		atf_check -s exit:1 -o empty -e save:err jailer rdr del w1 -n "$n"
		one_error err
		atf_check -s exit:0 -o ignore grep -F 'invalid rule number' err
	done
	atf_check -s exit:2 -o empty -e match:'give -n RULE or -f' jailer rdr del w1
	atf_check -s exit:2 -o empty -e match:'give -n RULE or -f' \
	    jailer rdr del w1 -n 3 -f
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer rdr del -f
	atf_check -s exit:2 -o empty -e match:'expected one jail name' \
	    jailer rdr del -f w1 w2
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer rdr del w1 -x
	assert_no_pf_change
	assert_norm before

	# -f: all redirections; the NAT rule stays.
	atf_check -s exit:0 -o inline:'Removing redirection of w1: Done!\n' \
	    -e empty jailer rdr del -f w1
	atf_check -s exit:0 -o inline:"$(rules_header w1)\nnat vtnet0 -\n" \
	    cat "$(rules_file w1)"
	atf_check -s exit:0 \
	    -o inline:'nat on vtnet0 inet from 10.0.0.10 to any -> (vtnet0:0)\n' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	atf_check -s exit:1 -o empty -e inline:'jailer: w1: no redirection rules\n' \
	    jailer rdr del w1 -f
	# The last rules gone: no file, no anchor; numbers start again.
	atf_check -s exit:0 -o ignore -e empty jailer nat del w1
	test -e "$(rules_file w1)" && atf_fail "the rule file stayed"
	assert_no_anchors
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:0 -o match:'^rdr 1 vtnet0 - tcp 80 80$' cat "$(rules_file w1)"
}

# ---------------------------------------------------------------- list

atf_test_case lists
lists_head()
{
	atf_set descr 'nat list and rdr list: tables, -j keys, one jail, no rules'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
lists_body()
{
	require_sim
	pf_host
	atf_check -s exit:0 -o inline:'JAIL  INTERFACE  ADDRESS  JAIL-ADDRESS  LOADED\n' \
	    -e empty jailer nat list
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer nat list -j
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer rdr list -j
	atf_check -s exit:0 \
	    -o inline:'JAIL  RULE  PROTO  PORTS  INTERFACE  ADDRESS  JAIL-PORT  JAIL-ADDRESS  LOADED\n' \
	    -e empty jailer rdr list
	mkjail web -t eb -a 10.0.0.10
	mkjail db -t eb -a 10.0.0.11
	atf_check -s exit:0 -o ignore -e empty jailer nat add web
	atf_check -s exit:0 -o ignore -e empty jailer nat add -a 192.168.64.2 db
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 -d 8080 web
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p udp -r 5000:5010 web
	atf_check -s exit:0 -o ignore -e empty \
	    jailer rdr add -i em1 -a 198.51.100.7 -p tcp -r 5432 db
	cat >want <<'EOF'
JAIL  INTERFACE  ADDRESS       JAIL-ADDRESS  LOADED
db    vtnet0     192.168.64.2  10.0.0.11     yes
web   vtnet0     -             10.0.0.10     yes
EOF
	atf_check -s exit:0 -o file:want -e empty jailer nat list
	cat >want <<'EOF'
JAIL  RULE  PROTO  PORTS      INTERFACE  ADDRESS       JAIL-PORT  JAIL-ADDRESS  LOADED
db    1     tcp    5432       em1        198.51.100.7  5432       10.0.0.11     yes
web   1     tcp    80         vtnet0     -             8080       10.0.0.10     yes
web   2     udp    5000:5010  vtnet0     -             5000       10.0.0.10     yes
EOF
	atf_check -s exit:0 -o file:want -e empty jailer rdr list
	cat >want <<'EOF'
JAIL  RULE  PROTO  PORTS  INTERFACE  ADDRESS       JAIL-PORT  JAIL-ADDRESS  LOADED
db    1     tcp    5432   em1        198.51.100.7  5432       10.0.0.11     yes
EOF
	atf_check -s exit:0 -o file:want -e empty jailer rdr list db
	atf_check -s exit:0 \
	    -o inline:'[{"jail":"web","interface":"vtnet0","address":"-","jail_address":"10.0.0.10","loaded":"yes","rule":"nat on vtnet0 inet from 10.0.0.10 to any -> (vtnet0:0)"}]\n' \
	    -e empty jailer nat list -j web
	atf_check -s exit:0 \
	    -o inline:'[{"jail":"db","number":"1","proto":"tcp","ports":"5432","interface":"em1","address":"198.51.100.7","jail_port":"5432","jail_address":"10.0.0.11","loaded":"yes","rule":"rdr pass on em1 inet proto tcp from any to 198.51.100.7 port 5432 -> 10.0.0.11 port 5432"}]\n' \
	    -e empty jailer rdr list -j db
	# -j on everything: valid JSON, one object per rule, sorted by jail.
	atf_check -s exit:0 -o save:rdr.json -e empty jailer rdr list -j
	atf_check -s exit:0 -o inline:'db 1\nweb 1\nweb 2\n' -x \
	    "python3 -c 'import json,sys; [print(r[\"jail\"], r[\"number\"]) for r in json.load(open(\"rdr.json\"))]'"
	atf_check -s exit:0 \
	    -o inline:'address interface jail jail_address jail_port loaded number ports proto rule\n' -x \
	    "python3 -c 'import json; print(*sorted(json.load(open(\"rdr.json\"))[0]))'"
	# A jail without rules, a jail that does not exist, a bad name.
	mkjail idle -t eb -a 10.0.0.12
	atf_check -s exit:0 -o inline:'JAIL  INTERFACE  ADDRESS  JAIL-ADDRESS  LOADED\n' \
	    -e empty jailer nat list idle
	atf_check -s exit:0 -o inline:'[]\n' -e empty jailer rdr list -j nosuch
	atf_check -s exit:1 -o empty -e match:"^jailer: invalid jail name '\.\./x'" \
	    jailer nat list ../x
	atf_check -s exit:2 -o empty -e match:'at most one jail name' \
	    jailer rdr list web db
	atf_check -s exit:2 -o empty -e match:'^usage:' jailer nat list -x
}

atf_test_case lists_loaded
lists_loaded_head()
{
	atf_set descr 'nat list and rdr list: LOADED says whether pf holds the rules as they are now'
	sim_only "fault injection (FAKEBSD_FAIL)"
}
lists_loaded_body()
{
	require_sim
	pf_host
	mkjail web -t eb -a 10.0.0.10
	atf_check -s exit:0 -o ignore -e empty jailer nat add web
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 -d 8080 web
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p udp -r 53 web
	atf_check -s exit:0 -o match:'^web +vtnet0 +- +10\.0\.0\.10 +yes$' \
	    -e empty jailer nat list
	atf_check -s exit:0 -o match:'^web +1 +tcp .* 10\.0\.0\.10 +yes$' \
	    -o match:'^web +2 +udp .* 10\.0\.0\.10 +yes$' -e empty jailer rdr list
	atf_check -s exit:0 -o match:'"loaded":"yes"' -e empty jailer rdr list -j
	# Flushed behind jailer's back: not loaded; a start loads them again.
	atf_check -s exit:0 -o ignore -e ignore pfctl -a jailer/web -F all
	atf_check -s exit:0 -o match:' no$' -o not-match:' yes$' -e empty \
	    jailer rdr list web
	atf_check -s exit:0 -o match:' no$' -e empty jailer nat list web
	atf_check -s exit:0 -o inline:'Starting web: already running; pf rules loaded\n' \
	    -e empty jailer start web
	atf_check -s exit:0 -o match:' yes$' -o not-match:' no$' -e empty \
	    jailer rdr list web
	# Other rules loaded by hand: the anchor no longer holds the jail's.
	echo 'rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 99 -> 10.0.0.99 port 99' |
	    atf_check -s exit:0 -o ignore -e ignore pfctl -a jailer/web -f -
	atf_check -s exit:0 -o match:'^web +1 .* stale$' -o match:'^web +2 .* stale$' \
	    -e empty jailer rdr list
	atf_check -s exit:0 -o match:'^web +vtnet0 +- +10\.0\.0\.10 +no$' \
	    -e empty jailer nat list
	atf_check -s exit:0 -o inline:'Starting web: already running; pf rules loaded\n' \
	    -e empty jailer start web
	atf_check -s exit:0 -o match:' yes$' -o not-match:' (no|stale)$' -e empty \
	    jailer rdr list
	atf_check -s exit:0 -o match:' yes$' -e empty jailer nat list
	# Nothing to repair: start only says so, and loads nothing.
	calls_reset
	atf_check -s exit:0 -o inline:'Starting web: already running\n' \
	    -e empty jailer start web
	atf_check -s exit:1 -o empty grep -E '^pfctl .*-f' root/.fakebsd/calls.log
	# A stopped jail holds no rules; any left in its anchor are stale.
	atf_check -s exit:0 -o ignore -e empty jailer stop web
	atf_check -s exit:0 -o match:' no$' -o not-match:' (yes|stale)$' -e empty \
	    jailer rdr list
	echo 'nat on vtnet0 inet from 10.0.0.10 to any -> (vtnet0:0)' |
	    atf_check -s exit:0 -o ignore -e ignore pfctl -a jailer/web -f -
	atf_check -s exit:0 -o match:'^web +vtnet0 +- +10\.0\.0\.10 +stale$' \
	    -e empty jailer nat list
	# pfctl cannot be asked: unknown, and the list still prints.
	save_host
	FAKEBSD_FAIL=pfctl atf_check -s exit:0 \
	    -o match:'^web +vtnet0 +- +10\.0\.0\.10 +unknown$' -e empty \
	    jailer nat list
	assert_host_unchanged
}

# ---------------------------------------------------------------- jails

atf_test_case inherit_refused
inherit_refused_head()
{
	atf_set descr 'an inherit jail, a missing jail: refused, nothing written'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
inherit_refused_body()
{
	require_sim
	pf_host
	mkjail i1
	save_norm before
	calls_reset
	msg="jailer: i1: an inherit jail uses the host's addresses; NAT and redirection need -t new or -t eb\n"
	atf_check -s exit:1 -o empty -e inline:"$msg" jailer nat add i1
	atf_check -s exit:1 -o empty -e inline:"$msg" jailer rdr add -p tcp -r 80 i1
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no such jail\n' \
	    jailer nat add nosuch
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no such jail\n' \
	    jailer rdr add -p tcp -r 80 nosuch
	assert_no_pf_change
	assert_norm before
}

atf_test_case new_jail
new_jail_head()
{
	atf_set descr 'a -t new jail: the rules use its address on the host interface'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
new_jail_body()
{
	require_sim
	pf_host
	mkjail www0 -t new -b vtnet0 -a 192.168.64.15
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 8443 -d 443 www0
	atf_check -s exit:0 -o ignore -e empty jailer nat add www0
	cat >want <<'EOF'
nat on vtnet0 inet from 192.168.64.15 to any -> (vtnet0:0)
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = 8443 -> 192.168.64.15 port 443
EOF
	atf_check -s exit:0 -o file:want -x "pfctl -a jailer/www0 -s nat 2>/dev/null"
	atf_check -s exit:0 -o ignore -e empty jailer stop www0
	assert_no_anchors
	atf_check -s exit:0 -o ignore -e empty jailer start www0
	atf_check -s exit:0 -o file:want -x "pfctl -a jailer/www0 -s nat 2>/dev/null"
}

# pf_d1_loaded ADDR PORT: d1 has the address ADDR/24, and its anchor,
# loaded after a check, holds its nat rule and its rdr of http to ADDR
# port PORT.
pf_d1_loaded()
{
	atf_check -s exit:0 -o inline:"$1/24\n" -x "jailer list -H | awk '\$1 == \"d1\" { print \$5 }'"
	cat >want <<EOF
nat on vtnet0 inet from $1 to any -> (vtnet0:0)
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = http -> $1 port $2
EOF
	atf_check -s exit:0 -o file:want -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
	assert_loads_checked
}

atf_test_case dhcp_no_lease
dhcp_no_lease_head()
{
	atf_set descr 'a DHCP jail without a lease: rules saved, anchor empty; loaded once it has an address'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
dhcp_no_lease_body()
{
	require_sim
	pf_host
	atf_check -s exit:0 -o ignore -e ignore service dhcpd stop
	mkjail d1 -t eb
	atf_check -s exit:0 -o inline:'-\n' -x "jailer list -H | awk '\$1 == \"d1\" { print \$5 }'"
	calls_reset
	atf_check -s exit:0 -o inline:'Adding NAT for d1 on vtnet0: Done!\n' \
	    -e empty jailer nat add d1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 d1
	atf_check -s exit:0 \
	    -o inline:"$(rules_header d1)\nnat vtnet0 -\nrdr 1 vtnet0 - tcp 80 80\n" \
	    cat "$(rules_file d1)"
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
	assert_no_anchors
	# No rule with a made-up address was ever loaded.
	atf_check -s exit:1 -o empty grep -E '^pfctl (-n )?-a jailer/d1 -f' \
	    root/.fakebsd/calls.log
	atf_check -s exit:0 -o match:'^d1 +vtnet0 +- +- +no$' jailer nat list
	atf_check -s exit:0 -o match:'"jail_address":"-","loaded":"no","rule":"nat on vtnet0 inet from <no address> to any' \
	    jailer nat list -j
	# dhcpd back, the jail restarted: it has an address, the rules load.
	atf_check -s exit:0 -o ignore -e ignore service dhcpd start
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer restart d1
	pf_d1_loaded 10.0.0.2 80
	assert_anchor_parses d1
	atf_check -s exit:0 -o match:'^d1 +vtnet0 +- +10\.0\.0\.2 +yes$' jailer nat list
}

atf_test_case stop_start
stop_start_head()
{
	atf_set descr 'stop flushes the anchor; start reloads it with the address the jail has then'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
stop_start_body()
{
	require_sim
	pf_host
	mkjail d1 -t eb
	atf_check -s exit:0 -o inline:'10.0.0.2/24\n' -x "jailer list -H | awk '\$1 == \"d1\" { print \$5 }'"
	atf_check -s exit:0 -o ignore -e empty jailer nat add d1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 -d 8080 d1
	cp "$(rules_file d1)" rules.before
	atf_check -s exit:0 -o match:'10\.0\.0\.2 ' -x "pfctl -a jailer/d1 -s nat 2>/dev/null"

	calls_reset
	atf_check -s exit:0 -o inline:'Stopping d1: Done!\n' -e empty jailer stop d1
	atf_check -s exit:0 -o ignore grep -x 'pfctl -q -a jailer/d1 -F all' \
	    root/.fakebsd/calls.log
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
	assert_no_anchors
	atf_check -s exit:0 -o empty cmp rules.before "$(rules_file d1)"

	# The lease went to another client meanwhile: a new address.
	steal_lease d1
	calls_reset
	atf_check -s exit:0 -o inline:'Starting d1: Done!\n' -e empty jailer start d1
	pf_d1_loaded 10.0.0.3 8080
	atf_check -s exit:0 -o match:'^d1 +vtnet0 +- +10\.0\.0\.3 +yes$' jailer nat list

	# A static address in the jail's own rc.conf is the jail's claim:
	# the anchor keeps to the host's record (dhcpd's binding).
	atf_check -s exit:0 -o ignore -e empty jailer stop d1
	atf_check -s exit:0 -o ignore sysrc -f /usr/local/jails/d1/etc/rc.conf \
	    ifconfig_epair1b="inet 10.0.0.50/24" defaultrouter=10.0.0.1
	atf_check -s exit:0 -o ignore -e empty jailer start d1
	atf_check -s exit:0 -o inline:'10.0.0.3/24\n' -x "jailer list -H | awk '\$1 == \"d1\" { print \$5 }'"
	atf_check -s exit:0 -o match:'from 10\.0\.0\.3 to any' \
	    -o match:'-> 10\.0\.0\.3 port 8080$' -o not-match:'10\.0\.0\.50' \
	    -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
	atf_check -s exit:0 -o match:'^Jail claims: 10\.0\.0\.50/24 via 10\.0\.0\.1 ' \
	    jailer info d1
	atf_check -s exit:0 -o empty cmp rules.before "$(rules_file d1)"

	# restart does both.
	atf_check -s exit:0 -o ignore -e empty jailer restart d1
	atf_check -s exit:0 -o match:'from 10\.0\.0\.3 to any' -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
}

atf_test_case stopped_jail
stopped_jail_head()
{
	atf_set descr 'rules added to a stopped jail are saved, not loaded, and loaded when it starts'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
stopped_jail_body()
{
	require_sim
	pf_w1
	atf_check -s exit:0 -o ignore -e empty jailer stop w1
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p udp -r 53 w1
	atf_check -s exit:1 -o empty grep '^pfctl' root/.fakebsd/calls.log
	assert_no_anchors
	atf_check -s exit:0 -o match:'^w1 +vtnet0 +- +10\.0\.0\.10 +no$' jailer nat list
	atf_check -s exit:0 -o ignore -e empty jailer start w1
	atf_check -s exit:0 -o match:'^nat on vtnet0 inet from 10\.0\.0\.10 ' \
	    -o match:'proto udp .* port = domain -> 10\.0\.0\.10 port 53$' -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	# Deleting from a stopped jail: no pfctl either.
	atf_check -s exit:0 -o ignore -e empty jailer stop w1
	calls_reset
	atf_check -s exit:0 -o ignore -e empty jailer rdr del -f w1
	atf_check -s exit:1 -o empty grep '^pfctl' root/.fakebsd/calls.log
}

atf_test_case stopall_startall
stopall_startall_head()
{
	atf_set descr 'stopall flushes every jail anchor, startall loads them again'
	sim_only "uses the simulated host's own tools and files (assert_loads_checked)"
}
stopall_startall_body()
{
	require_sim
	pf_w1
	mkjail w2 -t eb
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	atf_check -s exit:0 -o ignore -e empty jailer nat add w2
	atf_check -s exit:0 -o inline:'  jailer/w1\n  jailer/w2\n' \
	    pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o ignore -e ignore jailer stopall
	assert_no_anchors
	atf_check -s exit:0 -o ignore -e ignore jailer startall
	atf_check -s exit:0 -o inline:'  jailer/w1\n  jailer/w2\n' \
	    pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o match:'from 10\.0\.0\.10 ' -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	atf_check -s exit:0 -o match:'from 10\.0\.0\.2 ' -x "pfctl -a jailer/w2 -s nat 2>/dev/null"
	assert_loads_checked
}

atf_test_case destroy_cleans
destroy_cleans_head()
{
	atf_set descr 'destroy leaves no anchor rules, no rule file, no devfs mount or epair behind'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
destroy_cleans_body()
{
	require_sim
	pf_host
	devfs rule showsets >sets.before
	mkjail d1 -t eb
	mkjail s1 -t eb -a 10.0.0.10
	atf_check -s exit:0 -o ignore -e empty jailer nat add d1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 d1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 443 s1
	atf_check -s exit:0 -o ignore -e empty jailer stop s1

	calls_reset
	atf_check -s exit:0 -o inline:'Destroying d1: Done!\n' -e empty \
	    jailer destroy d1
	atf_check -s exit:0 -o inline:'Destroying s1: Done!\n' -e empty \
	    jailer destroy s1
	test -e "$(rules_file d1)" && atf_fail "d1's rule file stayed"
	test -e "$(rules_file s1)" && atf_fail "s1's rule file stayed"
	atf_check -s exit:0 -o empty -x 'ls root/usr/local/etc/jailer/pf'
	assert_no_anchors
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/s1 -s nat 2>/dev/null"
	atf_check -s exit:0 -o inline:'JAIL  INTERFACE  ADDRESS  JAIL-ADDRESS  LOADED\n' \
	    jailer nat list
	# pf.conf's anchors and the main ruleset are untouched.
	atf_check -s exit:0 -o inline:'anchor "jailer/*" all\n' pfctl -s rules
	atf_check -s exit:0 -o inline:'  jailer\n' pfctl -s Anchors
	# devfs: no mount of the jails, no ruleset made for them.
	atf_check -s exit:1 -o empty -x 'mount -p | grep -E "/usr/local/jails/(d1|s1)"'
	atf_check -s exit:0 -o file:sets.before devfs rule showsets
	atf_check -s exit:0 -o inline:'vtnet0 lo0 bridge0\n' ifconfig -l
	# dhcpd: still serving, its config unchanged; what it remembers of
	# d1 is the lease, which stays until it expires, as on a real host.
	atf_check -s exit:0 -o match:'is running' service dhcpd status
	atf_check -s exit:0 -o match:'client-hostname "d1";' cat root/var/db/dhcpd.leases
	atf_check -s exit:0 -o inline:'\trange 10.0.0.2 10.0.0.254;\n' \
	    grep range root/usr/local/etc/dhcpd.conf

	# A new jail of the same name starts without the old rules.
	mkjail d1 -t eb -a 10.0.0.20
	atf_check -s exit:0 -o empty -x "pfctl -a jailer/d1 -s nat 2>/dev/null"
	atf_check -s exit:0 -o inline:'[]\n' jailer rdr list -j d1
	assert_no_anchors
}

atf_test_case destroy_force
destroy_force_head()
{
	atf_set descr 'destroy -f of a running jail with rules flushes its anchor and removes the file'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
destroy_force_body()
{
	require_sim
	pf_w1 nat
	atf_check -s exit:0 -o ignore -e empty jailer destroy -f w1
	test -e "$(rules_file w1)" && atf_fail "the rule file stayed"
	assert_no_anchors
}

atf_test_case gc_orphan_rules
gc_orphan_rules_head()
{
	atf_set descr 'gc removes the rule file and flushes the anchor of a jail that no longer exists, and nothing else'
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
gc_orphan_rules_body()
{
	require_sim
	pf_w1 nat
	# What a destroy killed before its last step leaves.
	{ rules_header ghost; echo 'nat vtnet0 -'; } >"$(rules_file ghost)"
	echo 'nat on vtnet0 inet from 10.0.0.99 to any -> (vtnet0:0)' \
	    >root/tmp/ghost.pf
	atf_check -s exit:0 -o empty -e empty pfctl -a jailer/ghost -f /tmp/ghost.pf
	rm root/tmp/ghost.pf
	cat >want <<'EOF'
Left behind by interrupted commands:
  /usr/local/etc/jailer/pf/ghost.rules (pf rules of a jail that does not exist)
  jailer/ghost (pf rules of a jail that does not run)
EOF
	atf_check -s exit:0 -o file:want -e empty jailer gc -D
	test -e "$(rules_file ghost)" || atf_fail "gc -D removed the file"
	{
		cat want
		echo 'Removing /usr/local/etc/jailer/pf/ghost.rules: Done!'
		echo 'Removing jailer/ghost: Done!'
	} >want2
	atf_check -s exit:0 -o file:want2 -e empty jailer gc -y
	test -e "$(rules_file ghost)" && atf_fail "the orphan rule file stayed"
	atf_check -s exit:0 -o inline:'  jailer/w1\n' pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o match:'from 10\.0\.0\.10 ' \
	    -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	test -e "$(rules_file w1)" || atf_fail "gc removed w1's rules"
	atf_check -s exit:0 -o inline:'Nothing to clean up.\n' -e empty jailer gc -y
}

atf_test_case tampered_rules
tampered_rules_head()
{
	atf_set descr 'a rule file with anything but jailer rules is never loaded into pf'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
tampered_rules_body()
{
	require_sim
	pf_w1 nat
	atf_check -s exit:0 -o ignore -e empty jailer stop w1
	printf 'nat vtnet0 -\npass in all\n' >>"$(rules_file w1)"
	calls_reset
	atf_check -s exit:1 -o inline:'Starting w1: Failed!\n' \
	    -e match:'^jailer: w1: pf rules not loaded: /usr/local/etc/jailer/pf/w1\.rules line 4: not a jailer pf rule; stopped it again' \
	    jailer start w1
	atf_check -s exit:1 -o empty grep -E '^pfctl (-n )?-a jailer/w1 -f' \
	    root/.fakebsd/calls.log
	assert_no_anchors
	for bad in 'nat vtnet0 -;' 'nat vtnet0 1.2.3.4 x' 'rdr 1 vtnet0 - tcp 80;' \
	    'rdr 1 vtnet0 - icmp 80 80' 'rdr 1 vtnet0 - tcp 0 80' \
	    'rdr 1 vtnet0 - tcp 80 65536' 'nat vt;net0 -' 'rdr 0 vtnet0 - tcp 80 80'; do
		{ rules_header w1; echo "$bad"; } >"$(rules_file w1)"
		calls_reset
		atf_check -s exit:1 -o empty \
		    -e match:'line 2: not a jailer pf rule' jailer nat add w1
		atf_check -s exit:0 -o ignore -e match:'not a jailer pf rule' \
		    jailer rdr list
		# Only queries (rdr list's LOADED), nothing loaded or flushed.
		atf_check -s exit:1 -o empty -x \
		    "grep '^pfctl' root/.fakebsd/calls.log | grep -v ' -s '"
	done
}

# ---------------------------------------------------------------- hostile

# try_hostile CMD...: refused with one "jailer" line (exit 1, or exit 2
# with the usage), no pf change (pfctl -n may have refused it), the host
# unchanged.
try_hostile()
{
	local rc
	calls_reset
	"$@" >out 2>err
	rc=$?
	case $rc in
	1)	if [ "$(wc -l <err | tr -d ' ')" != 1 ] ||
		    ! grep -q '^jailer: ' err; then
			cat err
			atf_fail "$*: expected one 'jailer: ' line"
		fi ;;
	2)	if [ "$(grep -c '^jailer' err)" != 1 ] || ! grep -q '^usage:' err
		then
			cat err
			atf_fail "$*: expected a usage error"
		fi ;;
	*)	cat out err
		atf_fail "$*: exit $rc" ;;
	esac
	# Only the progress line of a step that failed may be on stdout.
	if grep -qv ': Failed!$' out; then
		cat out
		atf_fail "$*: unexpected output"
	fi
	assert_no_pf_change
	assert_norm before
}

atf_test_case hostile
hostile_head()
{
	atf_set descr 'hostile protocols, ports, interfaces, addresses and jail names are refused; nothing changes'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (try_hostile)"
}
hostile_body()
{
	require_sim
	pf_w1 nat
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	save_norm before
	long=abcdefghijklmnop
	nl=$(printf 'a\nb')
	# Protocols.
	for p in icmp TCP Udp '' 'tcp;' 'tcp udp' '{tcp,udp}' any 6; do
		try_hostile jailer rdr add -p "$p" -r 81 w1
	done
	# Ports.
	for r in 0 65536 '80;' '80; pass all' 90:80 80: :80 1:2:3 -1 ' 80' \
	    80x 99999999999999 0:10 65535:65536 '80 81' '' "$nl" 0x50 \
	    '80,81' '80-81' '80<>90' '$port' http; do
		try_hostile jailer rdr add -p tcp -r "$r" w1
	done
	for d in 0 65536 1:2 x '' '8080;' -5; do
		try_hostile jailer rdr add -p tcp -r 81 -d "$d" w1
	done
	try_hostile jailer rdr add -p tcp -r 65530:65535 -d 65534 w1
	# Interfaces (pf keywords pass the name check; pfctl -n refuses them).
	for i in 'a b' "$long" '' 'vtnet0;' '-x' 'em0/1' '$ext_if' '(vtnet0)' \
	    '{vtnet0}' 'vtnet0:0' "$nl" '!vtnet0' any all pass on inet; do
		try_hostile jailer rdr add -i "$i" -p tcp -r 81 w1
		try_hostile jailer nat add -i "$i" w1
	done
	# Addresses.
	for a in 999.1.1.1 1.2.3 '1.2.3.4;' '' 1.2.3.4/24 ' 1.2.3.4' ::1 \
	    010.0.0.1 any '(vtnet0)' '<tbl>' 'self' "$nl" '1.2.3.4 port 22'; do
		try_hostile jailer rdr add -a "$a" -p tcp -r 81 w1
		try_hostile jailer nat add -a "$a" w1
	done
	# Jail names.
	for j in ../x '../../etc/rc' 'a b' '' 'w1;' '-x' 'w1/../w1' 123 \
	    "$nl" '.' '*' "$(printf 'x%.0s' $(seq 1 70))"; do
		try_hostile jailer rdr add -p tcp -r 81 "$j"
		try_hostile jailer nat add "$j"
		try_hostile jailer nat del "$j"
		try_hostile jailer rdr del "$j" -f
		try_hostile jailer rdr del "$j" -n 1
	done
	# Options at the wrong place or missing values.
	try_hostile jailer rdr add -p tcp -r
	try_hostile jailer nat add -i
	try_hostile jailer nat add -z w1
	try_hostile jailer rdr add -p tcp -r 81 w1 extra
	test -e root/usr/local/etc/jailer/x.rules && atf_fail "x.rules written"
	true
}

# ---------------------------------------------------------------- faults

atf_test_case faults_nat
faults_nat_head()
{
	atf_set descr 'nat add and nat del fail cleanly at every program they run: the rule file and the anchor as before'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
faults_nat_body()
{
	require_sim
	pf_w1 w2
	atf_check -s exit:0 -o ignore -e empty jailer stop w2
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	host_sweep jailer nat add w1
	host_sweep jailer nat add -i em1 -a 192.168.64.2 w1
	host_sweep jailer nat add w2
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	host_sweep jailer nat del w1
	# The last rule of the jail: the file goes, the anchor is flushed.
	atf_check -s exit:0 -o ignore -e empty jailer rdr del -f w1
	host_sweep jailer nat del w1
}

atf_test_case faults_rdr
faults_rdr_head()
{
	atf_set descr 'rdr add and rdr del fail cleanly at every program they run: the rule file and the anchor as before'
	atf_set timeout 900
	sim_only "fault injection (host_sweep)"
}
faults_rdr_body()
{
	require_sim
	pf_host
	mkjail w1 -t eb
	mkjail w2 -t eb -a 10.0.0.11
	atf_check -s exit:0 -o ignore -e empty jailer nat add w1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 22 w2
	host_sweep jailer rdr add -p tcp -r 80 -d 8080 w1
	host_sweep jailer rdr add -p udp -r 5000:5010 w2
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 80 w1
	atf_check -s exit:0 -o ignore -e empty jailer rdr add -p tcp -r 81 w1
	host_sweep jailer rdr del w1 -n 1
	host_sweep jailer rdr del -f w1
	host_sweep jailer rdr del -f w2
}

atf_test_case faults_lifecycle
faults_lifecycle_head()
{
	atf_set descr 'a failed pfctl at start, stop or destroy of a jail with rules is a clean failure or a warning'
	atf_set timeout 600
	sim_only "fault injection (FAKEBSD_FAIL)"
}
faults_lifecycle_body()
{
	require_sim
	pf_w1 nat
	atf_check -s exit:0 -o ignore -e empty jailer stop w1
	# The load fails at start: the jail is stopped again and start
	# fails; with -f it runs and jailer warns; nothing is loaded half.
	atf_check -s exit:1 -o inline:'Starting w1: Failed!\n' \
	    -e match:'^jailer: w1: pf rules not loaded: .*stopped it again' \
	    env FAKEBSD_FAIL='pfctl -a' jailer start w1
	assert_no_anchors
	atf_check -s exit:1 -o ignore -e ignore jls -j w1 name
	atf_check -s exit:0 -o inline:'Starting w1: Done!\n' \
	    -e match:'^jailer: w1: pf rules not loaded: ' \
	    env FAKEBSD_FAIL='pfctl -a' jailer start -f w1
	assert_no_anchors
	atf_check -s exit:0 -o inline:'w1\n' jls -j w1 name
	atf_check -s exit:0 -o ignore -e empty jailer restart w1
	atf_check -s exit:0 -o match:'from 10\.0\.0\.10 ' -x "pfctl -a jailer/w1 -s nat 2>/dev/null"
	# The flush fails at stop: the jail stops all the same, but stop
	# fails, since the anchor still redirects; a rerun flushes it.
	atf_check -s exit:1 -o inline:'Stopping w1: Failed!\n' \
	    -e match:"^jailer: w1: pf rules not flushed: .*rerun 'jailer stop'" \
	    env FAKEBSD_FAIL='pfctl -q' jailer stop w1
	atf_check -s exit:1 -o ignore -e ignore jls -j w1 name
	atf_check -s exit:0 -o match:'jailer/w1' -e ignore \
	    pfctl -a jailer -s Anchors
	atf_check -s exit:0 -o inline:'Stopping w1: not running; cleaned up: anchor flushed\n' \
	    -e empty jailer stop w1
	assert_no_anchors
	atf_check -s exit:0 -o ignore -e empty jailer start w1
	# The flush fails at destroy: destroy fails, the rule file stays,
	# and a second destroy finishes the job.
	atf_check -s exit:1 -o ignore -e match:'^jailer: ' \
	    env FAKEBSD_FAIL='pfctl -q' jailer destroy w1
	test -e "$(rules_file w1)" || atf_fail "the rule file went before the flush"
	atf_check -s exit:0 -o ignore -e empty jailer destroy w1
	test -e "$(rules_file w1)" && atf_fail "the rule file stayed"
	assert_no_anchors
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case needs_init_pf
	atf_add_test_case nat_add
	atf_add_test_case nat_default_route
	atf_add_test_case nat_options
	atf_add_test_case nat_twice
	atf_add_test_case nat_del
	atf_add_test_case rdr_add
	atf_add_test_case rdr_conflicts
	atf_add_test_case rdr_del
	atf_add_test_case lists
	atf_add_test_case lists_loaded
	atf_add_test_case inherit_refused
	atf_add_test_case new_jail
	atf_add_test_case dhcp_no_lease
	atf_add_test_case stop_start
	atf_add_test_case stopped_jail
	atf_add_test_case stopall_startall
	atf_add_test_case destroy_cleans
	atf_add_test_case destroy_force
	atf_add_test_case gc_orphan_rules
	atf_add_test_case tampered_rules
	atf_add_test_case hostile
	atf_add_test_case faults_nat
	atf_add_test_case faults_rdr
	atf_add_test_case faults_lifecycle
}
