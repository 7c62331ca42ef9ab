# The seed README's "Advanced Networking" transcript, replayed step by
# step on the simulated host (named armbsd13 like the seed's), with the
# seed's output shapes asserted line by line where they are fixed.

# The list table as jailer prints it: columns padded to the widest cell
# plus two spaces, the last one not padded.  Rows are NAME STATE JID
# HOSTNAME IPv4 GW, one per line on stdin, sorted by name here.
list_table()
{
	{
		echo 'NAME STATE JID HOSTNAME IPv4 GW'
		LC_ALL=C sort
	} | awk '
	{ for (i = 1; i <= NF; i++) { c[NR, i] = $i
		if (length($i) > w[i]) w[i] = length($i) } n = NF }
	END { for (r = 1; r <= NR; r++) { line = ""
		for (i = 1; i < n; i++) line = line sprintf("%-" (w[i] + 2) "s", c[r, i])
		print line c[r, n] } }'
}

# The new jail's name from "Creating NAME: Done!" (a random name when
# create is given none: 8 hex digits, like the seed's fd1dafdc).
created_name()
{
	sed -n 's/^Creating \([0-9a-f]\{8\}\): Done!$/\1/p' "$1"
}

atf_test_case advanced_networking
advanced_networking_head()
{
	atf_set descr 'the seed transcript: init info, init bridge, create -t eb -a, list, init dhcp, create -t eb, list'
	sim_only "uses the simulated host's own tools and files (fs_outside_untouched)"
}
advanced_networking_body()
{
	require_sim
	host_with_image --hostname armbsd13
	# The jails of the seed's list: an inherit jail with a random name
	# (99d6c13c) and www0 on the host interface.
	atf_check -s exit:0 -o save:c1 -e empty jailer create
	atf_check -s exit:0 -o match:'^Creating [0-9a-f]{8}: Done!$' cat c1
	inh=$(created_name c1)
	atf_check -s exit:0 -o inline:'Creating www0: Done!\n' -e empty \
	    jailer create -t new -b vtnet0 -a 192.168.64.15 www0

	# root@armbsd13:~ # jailer init info
	atf_check -s exit:0 -o save:info -e empty jailer init info
	for l in 'Checking system state...' \
	    ' jail_enable in rc.conf  ==> YES!' \
	    'Checking jailer state...' \
	    ' jailer_dir in rc.conf   ==> YES!' \
	    ' Jailer ZFS dataset      ==> zroot/jails' \
	    ' Jailer ZFS mountpoint   ==> /usr/local/jails'; do
		grep -qxF "$l" info || { cat info; atf_fail "no line '$l'"; }
	done
	cat >want <<'EOF'
Checking network status...
 bridge0 in rc.conf      ==> NO :(
  If you want Jailer to auto-configure bridge interfaces, run `jailer init bridge`
EOF
	sed -n '/^Checking network status/,$p' info | head -3 >got
	atf_check -s exit:0 -o empty diff -u want got
	# The lines in between come in the seed's order.
	atf_check -s exit:0 -o inline:'Checking system state...\nChecking jailer state...\nChecking network status...\n' \
	    grep -E '^Checking ([a-z]+ state|network status)\.\.\.$' info

	# root@armbsd13:~ # jailer init bridge
	cat >want <<'EOF'
Jailer will configure
 network interface : bridge0
 network address   : 10.0.0.1/24
OK? (y/N) Configuring interface bridge0 with IP address 10.0.0.1/24: Done!

You may run `jailer init dhcp` to setup DHCP server for bridge0
EOF
	echo y >answer
	atf_check -s exit:0 -o file:want -e empty -x 'jailer init bridge <answer'

	# root@armbsd13:~ # jailer create -t eb -a 10.0.0.10
	atf_check -s exit:0 -o save:c2 -e empty jailer create -t eb -a 10.0.0.10
	atf_check -s exit:0 -o match:'^Creating [0-9a-f]{8}: Done!$' cat c2
	eb=$(created_name c2)
	[ -n "$eb" ] && [ "$eb" != "$inh" ] || atf_fail "no new jail name"

	# root@armbsd13:~ # jailer list
	{
		echo "$inh Active 1 $inh.armbsd13 - -"
		echo "$eb Active 3 $eb.armbsd13 10.0.0.10/24 10.0.0.1"
		echo "www0 Active 2 www0.armbsd13 192.168.64.15 -"
	} | list_table >want
	atf_check -s exit:0 -o file:want -e empty jailer list
	# The seed's header and the static jail's cells, literally.
	atf_check -s exit:0 \
	    -o match:'^NAME      STATE   JID  HOSTNAME           IPv4           GW$' \
	    -o match:"^$eb  Active  3    $eb\\.armbsd13  10\\.0\\.0\\.10/24   10\\.0\\.0\\.1\$" \
	    -o match:'^www0      Active  2    www0\.armbsd13      192\.168\.64\.15  -$' \
	    cat want

	# root@armbsd13:~ # jailer init dhcp
	cat >want <<'EOF'
Jailer will
 - Install OpenBSD's dhcpd from packages.
 - Setup dhcpd.conf.
 - Create /etc/devfs.rules for VNET Jails.
OK? (y/N) Setting up dhcpd, dhcpd.conf and devfs.rules: Done!
EOF
	atf_check -s exit:0 -o file:want -e empty -x 'jailer init dhcp <answer'

	# root@armbsd13:~ # jailer create -t eb app0
	atf_check -s exit:0 -o inline:'Creating app0: Done!\n' -e empty \
	    jailer create -t eb app0

	# root@armbsd13:~ # jailer list
	{
		echo "$inh Active 1 $inh.armbsd13 - -"
		echo "app0 Active 4 app0.armbsd13 10.0.0.2/24 10.0.0.1"
		echo "$eb Active 3 $eb.armbsd13 10.0.0.10/24 10.0.0.1"
		echo "www0 Active 2 www0.armbsd13 192.168.64.15 -"
	} | list_table >want
	atf_check -s exit:0 \
	    -o match:'^app0      Active  4    app0\.armbsd13      10\.0\.0\.2/24    10\.0\.0\.1$' \
	    cat want
	atf_check -s exit:0 -o file:want -e empty jailer list

	# "if -a address is not assigned, then Jailer defaults to -a dhcp"
	atf_check -s exit:0 -o inline:'Creating app1: Done!\n' -e empty \
	    jailer create -t eb -a dhcp app1
	atf_check -s exit:0 -o match:'^app1  +Active  5    app1\.armbsd13  +10\.0\.0\.3/24  +10\.0\.0\.1$' \
	    jailer list
	# The DHCP jails use jailer's devfs ruleset, as the seed's dry run
	# shows it (devfs_ruleset = 10).
	atf_check -s exit:0 -o match:'^  devfs_ruleset   = 10;$' \
	    cat root/etc/jail.conf.d/app0.conf
	atf_check -s exit:0 -o match:'^  devfs_ruleset   = 10;$' -e empty \
	    jailer create -D -t eb db0

	# init info now reports what was set up.
	atf_check -s exit:0 -o save:info -e empty jailer init info
	info_net_ready_lines >want
	sed -n '/^Checking network status/,/^Checking pf/p' info | sed '$d' >got
	atf_check -s exit:0 -o empty diff -u want got
	fs_outside_untouched
}

atf_test_case transcript_declined
transcript_declined_head()
{
	atf_set descr 'the seed prompts answered with the default (N): nothing is configured'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
transcript_declined_body()
{
	require_sim
	host_with_image --hostname armbsd13
	save_host
	printf '\n' >answer
	cat >want <<'EOF'
Jailer will configure
 network interface : bridge0
 network address   : 10.0.0.1/24
OK? (y/N) Nothing changed.
EOF
	atf_check -s exit:1 -o file:want -e empty -x 'jailer init bridge <answer'
	assert_host_unchanged
	atf_check -s exit:0 -o ignore -e empty jailer init bridge -y
	cat >want <<'EOF'
Jailer will
 - Install OpenBSD's dhcpd from packages.
 - Setup dhcpd.conf.
 - Create /etc/devfs.rules for VNET Jails.
OK? (y/N) Nothing changed.
EOF
	atf_check -s exit:1 -o file:want -e empty -x 'jailer init dhcp <answer'
	test -e root/usr/local/etc/dhcpd.conf && atf_fail "dhcpd.conf written"
	test -e root/etc/devfs.rules && atf_fail "devfs.rules written"
	# Without DHCP, a DHCP jail is created without an address.
	atf_check -s exit:0 -o inline:'Creating app0: Done!\n' -e empty \
	    jailer create -t eb app0
	atf_check -s exit:0 -o match:'^app0  +Active  +[0-9]+  +app0\.armbsd13  +-  +-$' \
	    jailer list
}

atf_test_case nat_instead_of_pf_conf
nat_instead_of_pf_conf_head()
{
	atf_set descr 'the seed NAT recipe done by jailer: init pf, nat add, rdr add (the manual page example)'
	sim_only "a simulated host made to order (mkhost options)"
}
nat_instead_of_pf_conf_body()
{
	require_sim
	host_with_image --hostname armbsd13
	for s in bridge dhcp; do
		atf_check -s exit:0 -o ignore -e empty jailer init $s -y
	done
	# The seed's recipe set net.inet.ip.forwarding, pf_enable and a nat
	# rule in /etc/pf.conf by hand; init pf does the first two and the
	# anchors.
	atf_check -s exit:0 -o match:'^Setting up pf and IP forwarding: Done!$' \
	    -e empty jailer init pf -y
	atf_check -s exit:0 -o inline:'1\n' sysctl -n net.inet.ip.forwarding
	atf_check -s exit:0 -o inline:'pf_enable: YES\n' sysrc pf_enable
	atf_check -s exit:0 -o inline:'Creating web: Done!\n' -e empty \
	    jailer create -t eb web
	atf_check -s exit:0 -o inline:'Adding NAT for web on vtnet0: Done!\n' \
	    -e empty jailer nat add web
	atf_check -s exit:0 \
	    -o inline:'Redirecting tcp port 80 on vtnet0 to web: Done!\n' \
	    -e empty jailer rdr add -p tcp -r 80 -d 8080 web
	cat >want <<'EOF'
nat on vtnet0 inet from 10.0.0.2 to any -> (vtnet0:0)
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = http -> 10.0.0.2 port 8080
EOF
	atf_check -s exit:0 -o file:want pfctl -a jailer/web -s nat
	cat >want <<'EOF'
JAIL  INTERFACE  ADDRESS  JAIL-ADDRESS  LOADED
web   vtnet0     -        10.0.0.2      yes
EOF
	atf_check -s exit:0 -o file:want -e empty jailer nat list
	cat >want <<'EOF'
JAIL  RULE  PROTO  PORTS  INTERFACE  ADDRESS  JAIL-PORT  JAIL-ADDRESS  LOADED
web   1     tcp    80     vtnet0     -        8080       10.0.0.2      yes
EOF
	atf_check -s exit:0 -o file:want -e empty jailer rdr list
	# The user's pf.conf holds only the anchors, not the jail's rules.
	atf_check -s exit:1 -o empty grep -E '^(nat|rdr) on' root/etc/pf.conf
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"

	atf_add_test_case advanced_networking
	atf_add_test_case transcript_declined
	atf_add_test_case nat_instead_of_pf_conf
}
