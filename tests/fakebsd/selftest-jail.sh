#!/bin/sh
# selftest-jail.sh: exercise the simulated ifconfig, route, jail, jls, jexec,
# mount and umount of fakebsd (net.py, jail.py) on a fresh simulated host.
# Prints one line per failed check and exits non-zero on any mismatch.
#
# usage: tests/fakebsd/selftest-jail.sh [-v]

SELFTEST=jail
# the prologue and the checks (check, status, has, ...)
. "$(dirname "$0")/selftest-lib.sh"

ROUTE_HDR=' recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire'
ROUTE_VAL='       0         0         0         0      1500         1         0 '

# ===========================================================================
# ifconfig

check "ifconfig -l" 0 "vtnet0 lo0" "" ifconfig -l
check "ifconfig vtnet0" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
${TAB}ether 52:88:80:9b:bb:00
${TAB}inet 192.168.64.2 netmask 0xffffff00 broadcast 192.168.64.255
${TAB}media: Ethernet autoselect (10Gbase-T <full-duplex>)
${TAB}status: active
${TAB}nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>" "" ifconfig vtnet0
check "ifconfig -f inet:cidr" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.2/24 broadcast 192.168.64.255" "" \
    ifconfig -f inet:cidr vtnet0 inet
check "ifconfig -f inet:dotted" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.2 netmask 255.255.255.0 broadcast 192.168.64.255" "" \
    ifconfig -f inet:dotted vtnet0 inet
check "ifconfig -f ether:dash" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}ether 52-88-80-9b-bb-00" "" ifconfig -f ether:dash vtnet0 ether
check "ifconfig missing interface" 1 "" \
    "ifconfig: interface epair9a does not exist" ifconfig epair9a
check "ifconfig epair create prints the a side" 0 "epair0a" "" \
    ifconfig epair create
check "ifconfig epair create up picks the lowest free unit" 0 "epair1a" "" \
    ifconfig epair create up
check "ifconfig epair5 create" 0 "epair5a" "" ifconfig epair5 create
check "ifconfig epair5 create again" 1 "" \
    "ifconfig: SIOCIFCREATE2 (epair5): File exists" ifconfig epair5 create
check "ifconfig epair destroy b side" 0 "" "" ifconfig epair0b destroy
check "ifconfig epair create reuses unit 0" 0 "epair0a" "" \
    ifconfig epair create
check "ifconfig destroy a side removes both" 0 "" "" ifconfig epair5a destroy
check "epair5b is gone" 1 "" "ifconfig: interface epair5b does not exist" \
    ifconfig epair5b
check "ifconfig bridge create" 0 "bridge0" "" ifconfig bridge create
check "ifconfig bridge0 create again" 1 "" \
    "ifconfig: SIOCIFCREATE2 (bridge0): File exists" ifconfig bridge0 create
check "ifconfig bridge1 create" 0 "" "" ifconfig bridge1 create
check "bridge address" 0 "" "" ifconfig bridge0 inet 10.0.0.1/24 up
check "bridge addm" 0 "" "" ifconfig bridge0 addm epair1a up
check "bridge addm twice" 1 "" "ifconfig: BRDGADD epair1a: File exists" \
    ifconfig bridge0 addm epair1a
check "addm to a second bridge" 1 "" "ifconfig: BRDGADD epair1a: Device busy" \
    ifconfig bridge1 addm epair1a
check "addm missing member" 1 "" \
    "ifconfig: BRDGADD epair7a: No such file or directory" \
    ifconfig bridge0 addm epair7a
check "descr" 0 "" "" ifconfig epair1a up descr vnet-www0
check "show bridge0" 0 "bridge0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}options=0
$(ifconfig bridge0 ether | sed -n 2p)
${TAB}inet 10.0.0.1 netmask 0xffffff00 broadcast 10.0.0.255
$(ifconfig bridge0 | grep -E '^.(id|maxage|root id) ')
${TAB}member: epair1a flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>
${TAB}        ifmaxaddr 0 port $(ifconfig bridge0 | sed -n 's/.*ifmaxaddr 0 port \([0-9]*\) .*/\1/p') priority 128 path cost 2000
${TAB}groups: bridge
${TAB}nd6 options=9<PERFORMNUD,IFDISABLED>" "" ifconfig bridge0
ifconfig epair1a >"$TMP/o" 2>&1
has "member is promiscuous" "epair1a: flags=1008943<UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500" "$TMP/o"
has "description shown" "${TAB}description: vnet-www0" "$TMP/o"
has "epair groups" "${TAB}groups: epair" "$TMP/o"
has "epair media" "${TAB}media: Ethernet 10Gbase-T (10Gbase-T <full-duplex>)" "$TMP/o"
check "ifconfig -g epair (group order)" 0 "epair1a
epair1b
epair0a
epair0b" "" ifconfig -g epair
check "ifconfig -g bridge" 0 "bridge0
bridge1" "" ifconfig -g bridge
check "ifconfig -g none" 0 "" "" ifconfig -g nosuchgroup
check "ether" 0 "" "" ifconfig epair1b ether 58:9c:fc:01:02:03
ifconfig epair1b >"$TMP/o"
has "ether changed" "${TAB}ether 58:9c:fc:01:02:03" "$TMP/o"
has "hwaddr kept" "${TAB}hwaddr 02:" "$TMP/o"
check "bad ether" 1 "" "ifconfig: malformed link-level address" \
    ifconfig epair1b ether 58:9c:fc
check "inet alias" 0 "" "" ifconfig bridge0 inet 10.0.1.1/24 alias
check "inet -alias" 0 "" "" ifconfig bridge0 inet 10.0.1.1 -alias
check "bad address" 1 "" "ifconfig: 10.0.0.300: bad value" \
    ifconfig bridge0 inet 10.0.0.300/24 alias
check "bad netmask" 1 "" "ifconfig: 255.0.255.0: bad value" \
    ifconfig bridge0 inet 10.0.2.1 netmask 255.0.255.0 alias
check "netmask form" 0 "" "" \
    ifconfig bridge1 inet 10.9.0.1 netmask 255.255.0.0 up
check "netmask shown as hex" 0 "bridge1: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
${TAB}inet 10.9.0.1 netmask 0xffff0000 broadcast 10.9.255.255" "" \
    ifconfig bridge1 inet
check "rename" 0 "uplink0" "" ifconfig bridge1 name uplink0
check "group" 0 "" "" ifconfig uplink0 group uplinks
check "-g group" 0 "uplink0" "" ifconfig -g uplinks
check "destroy renamed bridge" 0 "" "" ifconfig uplink0 destroy
check "destroy vtnet0 refused" 1 "" "ifconfig: SIOCIFDESTROY: Invalid argument" \
    ifconfig vtnet0 destroy
status "unsupported parameter fails loudly" 2 ifconfig bridge0 stp epair1a
has "unsupported message" "ifconfig: unsupported by fakebsd:" "$TMP/err"
check "deletem" 0 "" "" ifconfig bridge0 deletem epair1a
check "deletem again" 1 "" \
    "ifconfig: BRDGDEL epair1a: No such file or directory" \
    ifconfig bridge0 deletem epair1a
ifconfig epair1a >"$TMP/o"
hasnot "not promiscuous after deletem" "PROMISC" "$TMP/o"
check "cleanup epairs" 0 "" "" ifconfig epair1a destroy
check "cleanup epair0" 0 "" "" ifconfig epair0a destroy
check "ifconfig -l after cleanup" 0 "vtnet0 lo0 bridge0" "" ifconfig -l
FAKEBSD_FAIL='ifconfig epair create' \
    check "fault injection" 1 "" "ifconfig: simulated failure (FAKEBSD_FAIL)" \
    ifconfig epair create
check "fault left no epair" 0 "" "" ifconfig -g epair

# ===========================================================================
# route

check "route -n get default" 0 "   route to: default
destination: default
       mask: default
    gateway: 192.168.64.1
        fib: 0
  interface: vtnet0
      flags: <UP,GATEWAY,DONE,STATIC>
$ROUTE_HDR
$ROUTE_VAL" "" route -n get default
check "route get on-link" 0 "   route to: 10.0.0.9
destination: 10.0.0.0
       mask: 255.255.255.0
        fib: 0
  interface: bridge0
      flags: <UP,DONE,PINNED>
$ROUTE_HDR
$ROUTE_VAL" "" route -n get 10.0.0.9
check "route delete default" 0 "delete net default: gateway 192.168.64.1" "" \
    route delete default
check "route get without default" 1 "" "route: route has not been found" \
    route -n get default
check "route delete again" 1 "delete net default: not in table" \
    "route: writing to routing socket: No such process" route delete default
check "route add default" 0 "add net default: gateway 192.168.64.1" "" \
    route add default 192.168.64.1
check "route add twice" 1 \
    "add net default: gateway 192.168.64.1 fib 0: route already in table" \
    "route: writing to routing socket: File exists" \
    route add default 192.168.64.1

# ===========================================================================
# jail.conf parser

mkdir -p "$R/jails/p" "$R/etc/jail.conf.d"
conf() { printf '%s\n' "$1" >"$R/tmp/t.conf"; }
conf 'p { path = /jails/p; persist; foo = 1; }'
check "unknown parameter" 1 "" "jail: p: unknown parameter: foo" \
    jail -f /tmp/t.conf -c p
conf 'p { path = /jails/p; persist }'
check "syntax error" 1 "" "jail: /tmp/t.conf line 1: }: syntax error" \
    jail -f /tmp/t.conf -c p
conf 'p {
  path = /jails/p;
  persist;
  exec.start = "/bin/sh /etc/rc;
}'
check "unterminated string" 1 "" \
    "jail: /tmp/t.conf line 4: unterminated string" jail -f /tmp/t.conf -c p
conf 'p { path = /jails/p;'
check "unexpected EOF" 1 "" "jail: /tmp/t.conf: unexpected EOF" \
    jail -f /tmp/t.conf -c p
conf 'p { path = $nope; persist; }'
check "unknown variable" 1 "" 'jail: p: path: variable "nope" not found' \
    jail -f /tmp/t.conf -c p
conf 'p { $a = "${b}"; $b = "$a"; path = "$a"; persist; }'
status "variable loop" 1 jail -f /tmp/t.conf -c p
has "variable loop message" "variable loop" "$TMP/err"
conf 'p { $l = x, y; path = "/jails/$l"; persist; }'
check "array inline" 1 "" "jail: p: path: array cannot be substituted inline" \
    jail -f /tmp/t.conf -c p
conf 'p { path = /jails/p; persist; mount.devfs = yes; }'
check "bad boolean" 1 "" 'jail: p: mount.devfs: unknown boolean value "yes"' \
    jail -f /tmp/t.conf -c p
conf 'p { path = /jails/p; persist; devfs_ruleset = four; }'
check "bad integer" 1 "" 'jail: p: devfs_ruleset: non-integer value "four"' \
    jail -f /tmp/t.conf -c p
conf 'p { path = /jails/p; persist; ip4.addr = 10.0.0.300; }'
check "bad ip4.addr" 1 "" \
    "jail: p: ip4.addr: not an IPv4 address: 10.0.0.300" \
    jail -f /tmp/t.conf -c p
conf 'p { path = /jails/nope; persist; }'
check "missing path" 1 "" \
    "jail: p: path /jails/nope: No such file or directory" \
    jail -f /tmp/t.conf -c p
conf 'p { persist; mount.devfs; }'
check "mount.devfs needs a path" 1 "" \
    "jail: p: mount.devfs: no jail root path defined" jail -f /tmp/t.conf -c p
check "missing config file" 1 "" "jail: /etc/nope.conf: No such file or directory" \
    jail -f /etc/nope.conf -c p
check "jail not in config" 1 "" 'jail: "q" not found' jail -f /tmp/t.conf -c q
# globals, wildcards, +=, no- prefix, comments, quoting, variables: jail -e
cat >"$R/tmp/t.conf" <<'EOF'
# shell comment
// C++ comment
/* C comment
   over two lines */
exec.clean;
path = "/jails/$name";
$dom = "example.org";
* { mount.devfs; devfs_ruleset = 4; }
p {
	host.hostname = "${name}.${dom}";
	ip4.addr = 10.0.0.5, 10.0.0.6;
	ip4.addr += 10.0.0.7;
	exec.start = '/bin/sh /etc/rc $x';
	exec.stop = "a\tb \"q\" \101";
	allow.noraw_sockets;
	mount.nodevfs;
	persist;
}
* { devfs_ruleset = 5; }
EOF
check "jail -e shows the merged parameters" 0 \
    "name=p${TAB}exec.clean${TAB}path=/jails/p${TAB}mount.nodevfs${TAB}devfs_ruleset=5${TAB}host.hostname=p.example.org${TAB}ip4.addr=10.0.0.5,10.0.0.6,10.0.0.7${TAB}exec.start=\"/bin/sh /etc/rc \$x\"${TAB}exec.stop='a${TAB}b \"q\" A'${TAB}allow.noraw_sockets${TAB}persist" "" \
    jail -f /tmp/t.conf -e "$TAB"
# .include with a glob, relative includes, a missing plain include
printf 'exec.clean;\n.include "/etc/jail.conf.d/*.conf";\n' >"$R/etc/jail.conf"
printf 'i1 { path = /jails/p; persist; }\n' >"$R/etc/jail.conf.d/i1.conf"
printf 'i2 { path = /jails/p; persist; }\n.include "sub/x.conf";\n' \
    >"$R/etc/jail.conf.d/i2.conf"
mkdir -p "$R/etc/jail.conf.d/sub"
printf 'i3 { path = /jails/p; persist; }\n' >"$R/etc/jail.conf.d/sub/x.conf"
check ".include glob and relative include" 0 "name=i1 exec.clean path=/jails/p persist
name=i2 exec.clean path=/jails/p persist
name=i3 exec.clean path=/jails/p persist" "" jail -e ' '
printf 'i4 { path = /jails/p; persist; }\n.include "nope.conf";\n' \
    >"$R/etc/jail.conf.d/i4.conf"
check "missing include" 1 "" \
    "jail: /etc/jail.conf.d/nope.conf: No such file or directory" jail -e ' '
rm -rf "$R/etc/jail.conf.d/i4.conf" "$R/etc/jail.conf.d/sub" \
    "$R/etc/jail.conf.d/i2.conf"
printf 'i5 { path = /jails/p; persist; }\n.include "$x.conf";\n' \
    >"$R/etc/jail.conf.d/i5.conf"
check "variables in .include" 1 "" \
    "jail: /etc/jail.conf.d/i5.conf line 2: variables not permitted in '.include' filename" \
    jail -e ' '
rm -f "$R/etc/jail.conf.d/i5.conf"
check "jail -c from /etc/jail.conf" 0 "i1: created" "" jail -c i1
check "already exists" 1 "" 'jail: "i1" already exists' jail -c i1
check "jail -q -r" 0 "" "" jail -q -r i1
check "jail -r not running" 1 "" 'jail: "i1" not found' jail -r i1
check "jail -i" 0 "$(($(sed -n 's/.*"jid": \([0-9]*\).*/\1/p' "$R/.fakebsd/state.json" | tail -1)))" "" jail -i -c i1
check "jail -R (no message for a single name)" 0 "" "" jail -R i1
printf 'i1 { path = /jails/p; persist; }\n' | \
    check "config from stdin" 0 "i1: created" "" jail -f - -c i1
printf 'i1 { path = /jails/p; persist; }\n' | \
    check "remove with config from stdin" 0 "i1: removed" "" jail -f - -r i1
rm -f "$R/etc/jail.conf.d/i1.conf"
echo 'p { path = /jails/p; persist; }' >"$R/tmp/t.conf"
check "jail -J" 0 "p: created" "" jail -f /tmp/t.conf -J /tmp/jid -c p
has "jid file" "name=p${TAB}path=/jails/p${TAB}persist" "$R/tmp/jid"
check "jail -r with config" 0 "p: removed" "" jail -f /tmp/t.conf -r p

# command-line jails
check "jail -c param=value" 0 "" "" \
    jail -c name=cl path=/jails/p host.hostname=cl.example.org persist \
    ip4.addr=10.1.1.1,10.1.1.2
check "jls of command-line jail" 0 "cl cl.example.org 10.1.1.1,10.1.1.2" "" \
    jls -j cl name host.hostname ip4.addr
check "command-line unknown parameter" 1 "" "jail: unknown parameter: bogus" \
    jail -c name=cl2 path=/jails/p persist bogus=1
check "jail -m" 0 "" "" jail -m name=cl host.hostname=other.example.org
check "modified" 0 "other.example.org" "" jls -j cl host.hostname
check "jail -r command-line jail" 0 "cl: removed" "" jail -r cl

# ===========================================================================
# the three jailer network types (jailer-original.md 3.1)

zfs create -o mountpoint=/usr/local/jails zroot/jails
for j in inh0 new0 www0 dhc0; do
	zfs create "zroot/jails/$j"
	mkdir -p "$R/usr/local/jails/$j/etc" "$R/usr/local/jails/$j/bin"
	printf 'USERLAND_VERSION="14.2-RELEASE-p1"\n' \
	    >"$R/usr/local/jails/$j/bin/freebsd-version"
done
mkdir -p "$R/var/log/jail"
# skeleton header of jailer's generated files
hdr='# vim: set syntax=sh:
exec.clean;
allow.raw_sockets;
mount.devfs;
'
# plainconf NAME ID BRIDGE NETLINES: the jail.conf file of an inherit or
# new jail, its network in NETLINES.
plainconf() {
	printf '%s\n' "$hdr"
	cat <<EOF
$1 {
  \$id             = "$2";

  \$bridge         = "$3";
  \$domain         = "example.org";
$4
  exec.start      = "/bin/sh /etc/rc";
  exec.stop       = "/bin/sh /etc/rc.shutdown jail";

  host.hostname   = "\${name}.\${domain}";
  path            = "/usr/local/jails/$1";
  exec.consolelog = "/var/log/jail/\${name}.log";
  persist;
}
EOF
}
plainconf inh0 1 "" '  ip4             = "inherit";' \
    >"$R/etc/jail.conf.d/inh0.conf"
plainconf new0 2 vtnet0 '  interface       = ${bridge};
  ip4.addr        = 192.168.64.50;' >"$R/etc/jail.conf.d/new0.conf"
ebconf() {
	printf '%s\n' "$hdr"
	cat <<EOF
$1 {
  \$id             = "$2";
  devfs_ruleset   = 10;
  \$bridge         = "bridge0";
  \$domain         = "example.org";
EOF
	vnet_conf_lines
	cat <<EOF

  host.hostname   = "\${name}.\${domain}";
  path            = "/usr/local/jails/$1";
  exec.consolelog = "/var/log/jail/\${name}.log";
  persist;
}
EOF
}
ebconf www0 3 >"$R/etc/jail.conf.d/www0.conf"
ebconf dhc0 4 >"$R/etc/jail.conf.d/dhc0.conf"
printf 'ifconfig_epair3b="inet 10.0.0.5 netmask 255.255.255.0"\ndefaultrouter="10.0.0.1"\nsendmail_enable="NONE"\n' \
    >"$R/usr/local/jails/www0/etc/rc.conf"
printf 'ifconfig epair3b ether 58:9c:fc:a1:8a:3a\n' \
    >"$R/usr/local/jails/www0/etc/start_if.epair3b"
printf 'ifconfig_epair4b="SYNCDHCP"\n' >"$R/usr/local/jails/dhc0/etc/rc.conf"
printf 'ifconfig epair4b ether 58:9c:fc:00:00:04\n' \
    >"$R/usr/local/jails/dhc0/etc/start_if.epair4b"
echo 'secret of the jail' >"$R/usr/local/jails/www0/etc/motd"
ln -s /../../../../etc/motd "$R/usr/local/jails/www0/escape"
mkdir -p "$R/usr/local/jails/www0/usr/share"
ln -s ../../etc "$R/usr/local/jails/www0/usr/share/up"

# --- inherit
lastcalls
check "start inherit jail" 0 "inh0: created" "" jail -c inh0
has "devfs mounted by jail(8)" \
    "mount -t devfs -oruleset=4 . /usr/local/jails/inh0/dev" \
    "$R/.fakebsd/calls.log"
JID1=$(jls -j inh0 jid)
check "jls default line" 0 "   JID  IP Address      Hostname                      Path
$(printf '%6d  %-15s %-29s %s' "$JID1" "" inh0.example.org /usr/local/jails/inh0)" \
    "" jls
check "jls -N" 0 " JID             IP Address      Hostname                      Path
$(printf ' %-15s %-15s %-29s %s' inh0 "" inh0.example.org /usr/local/jails/inh0)" \
    "" jls -N
check "jexec hostname" 0 "inh0.example.org" "" jexec inh0 hostname
check "jexec by jid" 0 "inh0.example.org" "" jexec "$JID1" hostname
check "inherit jail sees host interfaces" 0 "vtnet0 lo0 bridge0" "" \
    jexec inh0 ifconfig -l
check "inherit jail sees host addresses" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.2 netmask 0xffffff00 broadcast 192.168.64.255" "" \
    jexec inh0 ifconfig vtnet0 inet
has "console log" "/bin/sh /etc/rc" "$R/var/log/jail/inh0.log"
check "jls params" 0 "inherit inherit /usr/local/jails/inh0" "" \
    jls -j inh0 ip4 vnet path

# --- new (alias on a host interface)
lastcalls
check "start new jail" 0 "new0: created" "" jail -c new0
has "alias added by jail(8)" \
    "ifconfig vtnet0 inet 192.168.64.50 netmask 255.255.255.255 alias" \
    "$R/.fakebsd/calls.log"
check "host has the /32 alias" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.2 netmask 0xffffff00 broadcast 192.168.64.255
${TAB}inet 192.168.64.50 netmask 0xffffffff broadcast 192.168.64.50" "" \
    ifconfig vtnet0 inet
check "new jail sees only its address" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.50 netmask 0xffffffff broadcast 192.168.64.50" "" \
    jexec new0 ifconfig vtnet0 inet
check "jexec -f inet:cidr" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.50/32 broadcast 192.168.64.50" "" \
    jexec new0 ifconfig -f inet:cidr vtnet0 inet
check "new jail cannot change interfaces" 1 "" \
    "ifconfig: ioctl (SIOCAIFADDR): Operation not permitted" \
    jexec new0 ifconfig vtnet0 inet 192.168.64.60/32 alias
JID2=$(jls -j new0 jid)
check "jls with address" 0 "$(printf '%6d  %-15s %-29s %s' "$JID2" 192.168.64.50 new0.example.org /usr/local/jails/new0)" \
    "" sh -c 'jls | grep new0'
check "jls parameter list" 0 "new0 $JID2 new0.example.org 192.168.64.50 inherit /usr/local/jails/new0" \
    "" jls -j new0 name jid host.hostname ip4.addr vnet path
check "jls -n" 0 "name=new0 ip4=new persist" "" jls -n -j new0 name ip4 persist

# --- eb (VNET on an epair attached to a bridge)
lastcalls
check "start eb jail" 0 "epair3a
www0: created" "" jail -c www0
calls >"$TMP/calls"
has "prestart hook ran" "ifconfig epair3 create up" "$TMP/calls"
has "prestart hook 2" "ifconfig epair3a up descr vnet-www0" "$TMP/calls"
has "prestart hook 3" "ifconfig bridge0 addm epair3a up" "$TMP/calls"
has "vnet.interface moved by jail(8)" "ifconfig epair3b vnet www0" "$TMP/calls"
has "devfs ruleset 10" "mount -t devfs -oruleset=10 . /usr/local/jails/www0/dev" \
    "$TMP/calls"
hasnot "in-jail commands never run on the host" "ifconfig lo0 127.0.0.1 up" \
    "$TMP/calls"
check "epair3b left the host" 1 "" "ifconfig: interface epair3b does not exist" \
    ifconfig epair3b
check "host side member" 0 "epair3a" "" sh -c "ifconfig bridge0 | sed -n 's/^${TAB}member: \([^ ]*\) .*/\1/p'"
check "jail interfaces" 0 "lo0 epair3b" "" jexec www0 ifconfig -l
check "ifconfig -g epair in the jail" 0 "epair3b" "" jexec www0 ifconfig -g epair
check "jail address from rc.conf" 0 "epair3b: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 10.0.0.5/24 broadcast 10.0.0.255" "" \
    jexec www0 ifconfig -f inet:cidr epair3b inet
check "-j JAIL" 0 "epair3b: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 10.0.0.5 netmask 255.255.255.0 broadcast 10.0.0.255" "" \
    ifconfig -j www0 -f inet:dotted epair3b inet
jexec www0 ifconfig epair3b >"$TMP/o"
has "MAC from start_if" "${TAB}ether 58:9c:fc:a1:8a:3a" "$TMP/o"
jexec www0 ifconfig lo0 >"$TMP/o"
has "lo0 up in the jail" "${TAB}inet 127.0.0.1 netmask 0xff000000" "$TMP/o"
check "route in the jail" 0 "   route to: default
destination: default
       mask: default
    gateway: 10.0.0.1
        fib: 0
  interface: epair3b
      flags: <UP,GATEWAY,DONE,STATIC>
$ROUTE_HDR
$ROUTE_VAL" "" jexec www0 route -n get default
check "route -j" 0 "    gateway: 10.0.0.1" "" \
    sh -c 'route -j www0 -n get default | grep gateway'
check "jls vnet" 0 "new" "" jls -j www0 vnet
check "jls devfs_ruleset" 0 "10" "" jls -j www0 devfs_ruleset
has "console log of the eb jail" "/bin/sh /etc/rc" "$R/var/log/jail/www0.log"
check "mount shows the devfs" 0 "devfs on /usr/local/jails/www0/dev (devfs)" "" \
    sh -c 'mount | grep www0/dev'
check "mount shows the datasets" 0 "zroot/jails/www0 on /usr/local/jails/www0 (zfs, local, noatime, nfsv4acls)" "" \
    sh -c 'mount | grep "^zroot/jails/www0 "'
mount -p >"$TMP/o"
has "mount -p" "zroot/jails/www0${TAB}/usr/local/jails/www0${TAB}zfs${TAB}rw,noatime,nfsv4acls ${TAB}0 0" "$TMP/o"
has "mount -p devfs" "devfs${TAB}${TAB}${TAB}/usr/local/jails/www0/dev devfs${TAB}rw${TAB}${TAB}0 0" "$TMP/o"

# --- DHCP: the hook answers nothing for now
check "start dhcp jail" 0 "epair4a
dhc0: created" "" jail -c dhc0
check "dhcp jail is up without an address" 0 "epair4b: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500" "" \
    jexec dhc0 ifconfig epair4b inet
check "dhcp jail has no default route" 1 "" "route: route has not been found" \
    jexec dhc0 route -n get default
check "stop dhcp jail" 0 "dhc0: removed" "" jail -r dhc0

# --- jexec and the jail's shell
check "jexec missing jail" 1 "" 'jexec: jail "nope" not found' jexec nope hostname
check "jexec missing jid" 1 "" 'jexec: jail 999 not found' jexec 999 hostname
check "jexec unknown program" 1 "" \
    "jexec: execvp: /usr/local/bin/nginx: No such file or directory" \
    jexec www0 /usr/local/bin/nginx -t
check "jexec exit status" 3 "" "" jexec www0 sh -c 'exit 3'
check "jexec false" 1 "" "" jexec www0 /usr/bin/false
check "jexec echo" 0 "a b" "" jexec www0 echo a b
check "jexec sh -c" 0 "www0.example.org" "" jexec www0 /bin/sh -c hostname
check "jexec cat inside the jail" 0 "secret of the jail" "" \
    jexec www0 cat /etc/motd
check "symlink cannot leave the jail" 0 "secret of the jail" "" \
    jexec www0 cat /escape
check "relative symlink stays inside" 0 "secret of the jail" "" \
    jexec www0 cat /usr/share/up/motd
check "dot-dot stays inside" 0 "secret of the jail" "" \
    jexec www0 cat /../../../../etc/motd
check "cat missing" 1 "" "cat: /etc/nope: No such file or directory" \
    jexec www0 cat /etc/nope
check "freebsd-version" 0 "14.2-RELEASE-p1" "" jexec www0 freebsd-version
check "id" 0 "uid=0(root) gid=0(wheel) groups=0(wheel),5(operator)" "" \
    jexec -l www0 id
check "jexec reads stdin" 0 "www0.example.org
hi" "sh: nope: not found" sh -c 'printf "hostname\nnope\necho hi\n" | jexec -l www0'
check "jexec stdin exit" 4 "" "" sh -c 'printf "exit 4\necho no\n" | jexec www0 sh'
check "shell syntax refused" 2 "" \
    "sh: unsupported by fakebsd: hostname; id (shell syntax ';')" \
    jexec www0 sh -c 'hostname; id'
grep -c '"via": "jexec"' "$R/.fakebsd/state.json" >"$TMP/o"
same "jexec recorded in the jail state" "$(test "$(cat "$TMP/o")" -ge 10 && echo yes)" yes
has "jexec in the call log" "jexec www0 cat /etc/motd" "$R/.fakebsd/calls.log"

# --- stop
lastcalls
check "stop eb jail" 0 "www0: removed" "" jail -r www0
calls >"$TMP/calls"
has "poststop deletem" "ifconfig bridge0 deletem epair3a" "$TMP/calls"
has "poststop destroy" "ifconfig epair3a destroy" "$TMP/calls"
has "devfs unmounted" "umount /usr/local/jails/www0/dev" "$TMP/calls"
check "no epair left" 0 "" "" ifconfig -g epair
check "no devfs left" 1 "" "" sh -c 'mount | grep www0/dev'
check "stop new jail" 0 "new0: removed" "" jail -r new0
has "alias removed by jail(8)" \
    "ifconfig vtnet0 inet 192.168.64.50 netmask 255.255.255.255 -alias" \
    "$R/.fakebsd/calls.log"
check "alias gone" 0 "vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 192.168.64.2 netmask 0xffffff00 broadcast 192.168.64.255" "" \
    ifconfig vtnet0 inet
check "stop inherit jail" 0 "inh0: removed" "" jail -r inh0
check "no jails" 0 "   JID  IP Address      Hostname                      Path" "" jls

# ===========================================================================
# failures and clean-up (jail(8) undoes what it did)

FAKEBSD_FAIL='ifconfig epair3b vnet' \
    check "vnet.interface fails" 1 "epair3a
www0: created
www0: removed" "ifconfig: simulated failure (FAKEBSD_FAIL)
jail: www0: /sbin/ifconfig epair3b vnet www0: failed" jail -c www0
check "no jail after the failure" 0 "" "" jls name
check "devfs unmounted after the failure" 1 "" "" sh -c 'mount | grep www0/dev'
check "exec.poststop is not run on a failed start" 0 "epair3a
epair3b" "" ifconfig -g epair
ifconfig epair3a destroy
FAKEBSD_FAIL='ifconfig bridge0 addm' \
    check "prestart hook fails" 1 "epair3a" \
    "ifconfig: simulated failure (FAKEBSD_FAIL)
jail: www0: ifconfig bridge0 addm epair3a up: failed" jail -c www0
check "no devfs after a prestart failure" 1 "" "" sh -c 'mount | grep www0/dev'
ifconfig epair3a destroy
rm -rf "$R/var/log/jail"
check "exec.consolelog directory missing" 1 "epair3a
www0: created
www0: removed" "jail: www0: open /var/log/jail/www0.log: No such file or directory" \
    jail -c www0
mkdir "$R/var/log/jail"
ifconfig epair3a destroy
check "epairs cleaned" 0 "" "" ifconfig -g epair

# --- hooks never reach a shell or a real tool
cat >"$R/tmp/h.conf" <<EOF
h1 { path = /jails/p; persist; exec.prestart = "touch $TMP/pwned"; }
h2 { path = /jails/p; persist; exec.prestart = "ifconfig -l > $TMP/pwned"; }
h3 { path = /jails/p; persist; exec.prestart = "sh -c 'touch $TMP/pwned'"; }
h4 { path = /jails/p; persist; exec.prestart = "/sbin/ifconfig \$(touch $TMP/pwned)"; }
h5 { path = /jails/p; persist; exec.poststart = "/sbin/ifconfig epair create"; exec.poststart += "/usr/sbin/jexec h5 hostname"; }
EOF
for h in h1 h2 h3 h4; do
	status "hook $h refused" 1 jail -f /tmp/h.conf -c $h
	has "hook $h message" "fakebsd" "$TMP/err"
done
same "no hook reached a real tool" "$(ls "$TMP/pwned" 2>/dev/null)" ""
check "hooks run simulated tools by path" 0 "h5: created
epair0a
armbsd14" "" jail -f /tmp/h.conf -c h5
jail -f /tmp/h.conf -q -r h5
ifconfig epair0a destroy

# ===========================================================================
# mount, umount and busy datasets

mkdir -p "$R/data" "$R/usr/local/jails/www0/mnt"
check "mount -t nullfs" 0 "" "" mount -t nullfs /data /usr/local/jails/www0/mnt
check "nullfs listed" 0 "/data on /usr/local/jails/www0/mnt (nullfs, local)" "" \
    sh -c 'mount | grep nullfs'
check "zfs destroy refuses a busy dataset" 1 "" \
    "cannot unmount '/usr/local/jails/www0': pool or dataset is busy" \
    zfs destroy zroot/jails/www0
check "umount not a mount point" 1 "" \
    "umount: /usr/local/jails/www0/etc: not a file system root directory" \
    umount /usr/local/jails/www0/etc/
check "umount of a busy dataset" 1 "" \
    "umount: unmount of /usr/local/jails failed: Device busy" \
    umount /usr/local/jails
check "umount missing" 1 "" \
    "umount: /nope: statfs: No such file or directory" umount /nope
check "umount nullfs" 0 "" "" umount /usr/local/jails/www0/mnt
check "zfs destroy works again" 0 "" "" zfs destroy zroot/jails/www0
zfs create zroot/jails/www0
mkdir -p "$R/usr/local/jails/www0/etc"
jail -q -c inh0
check "running jail makes its dataset busy" 1 "" \
    "cannot unmount '/usr/local/jails/inh0': pool or dataset is busy" \
    zfs destroy zroot/jails/inh0
jail -q -r inh0
check "stopped jail's dataset can go" 0 "" "" zfs destroy zroot/jails/inh0

# ===========================================================================
# jls details

mkdir -p "$R/jails/with space"
jail -c 'name=q1' 'path=/jails/with space' persist host.hostname=q1
check "jls -q quotes values with spaces" 0 'q1 "/jails/with space"' "" \
    jls -q -j q1 name path
check "jls without -q" 0 'q1 /jails/with space' "" jls -j q1 name path
check "jls - for empty" 0 '-' "" jls -j q1 ip4.addr
check "no ip4/ip6 given: disable (kern_jail.c)" 0 "disable disable inherit" "" \
    jls -j q1 ip4 ip6 vnet
check "a jail with ip4=disable sees no address" 1 "" "" \
    sh -c 'jexec q1 ifconfig | grep inet' 
check "jls -q empty" 0 '""' "" jls -q -j q1 ip4.addr
check "jls empty string" 0 '""' "" jls -j q1 host.domainname
check "jls -n empty list and string" 0 'ip4.addr= host.domainname=""' "" \
    jls -n -j q1 ip4.addr host.domainname
check "jls -h" 0 "name jid
q1 $(jls -j q1 jid)" "" jls -h -j q1 name jid
check "jls unknown parameter" 1 "" "jls: unknown parameter: exec.start" \
    jls -j q1 exec.start
check "jls missing jail" 1 "" 'jls: jail "nope" not found' jls -j nope
check "jls -c running" 0 "" "" jls -c -j q1
check "jls -c missing" 1 "" "" jls -c -j nope
jls --libxo json -j q1 name path >"$TMP/o"
has "jls json" '"name": "q1"' "$TMP/o"
status "jls -s" 0 jls -s -j q1
has "jls -s has jail(8) form" "path=\"/jails/with space\"" "$TMP/out"
hasnot "jls -s skips read-only" "cpuset.id" "$TMP/out"
jail -q -r q1

# ===========================================================================
# more ifconfig: -a/-u/-d/-G, moving interfaces in and out of a VNET jail

check "ifconfig -a -u -G lo" 0 "vtnet0 bridge0" "" \
    sh -c "ifconfig -a -u -G lo | sed -n 's/^\([a-z0-9]*\): .*/\1/p' | xargs"
ifconfig bridge0 down
check "ifconfig -l -d" 0 "bridge0" "" ifconfig -l -d
ifconfig bridge0 up
printf '%s\n' 'v1 { path = /jails/p; vnet; persist; }' \
    'n1 { path = /jails/p; persist; }' >"$R/tmp/v.conf"
jail -q -f /tmp/v.conf -c v1
jail -q -f /tmp/v.conf -c n1
check "epair for a manual move" 0 "epair0a" "" ifconfig epair create
check "ifconfig IF vnet JAIL" 0 "" "" ifconfig epair0b vnet v1
check "moved into the jail" 0 "lo0 epair0b" "" jexec v1 ifconfig -l
check "configure inside the jail" 0 "" "" \
    jexec v1 ifconfig epair0b inet 10.0.0.77/24 up
check "vnet to a non-VNET jail" 1 "" "ifconfig: SIOCSIFVNET: File exists" \
    ifconfig epair0a vnet n1
check "vnet to a missing jail" 1 "" 'ifconfig: jail "zz" not found' \
    ifconfig epair0a vnet zz
check "ifconfig IF -vnet JAIL" 0 "" "" ifconfig epair0b -vnet v1
check "back on the host, without addresses" 0 "epair0b: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500" "" \
    ifconfig epair0b inet
check "gone from the jail" 0 "lo0" "" jexec v1 ifconfig -l
ifconfig epair0b vnet v1
check "removing the jail returns the interface" 0 "v1: removed" "" \
    jail -f /tmp/v.conf -r v1
check "epair0b is home" 0 "epair0a
epair0b" "" ifconfig -g epair
check "destroy" 0 "" "" ifconfig epair0a destroy
jail -q -f /tmp/v.conf -r n1

# ===========================================================================
# the order of the hooks, exec.start failures, persist, -rc, wildcards

printf '%s\n' 'o1 {' '	path = /jails/p;' '	persist;' \
    '	exec.prepare = "uname -n";' '	exec.prestart = "uname -s";' \
    '	exec.created = "uname -m";' '	exec.start = "/bin/sh -c true";' \
    '	exec.poststart = "uname -p";' '	exec.prestop = "uname -r";' \
    '	exec.stop = "/bin/sh /etc/rc.shutdown jail";' \
    '	exec.poststop = "uname -v";' '	exec.release = "uname -K";' '}' \
    "o2 { path = /jails/p; exec.start = \"/bin/sh -c 'exit 1'\"; mount.devfs; }" \
    'o3 { path = /jails/p; }' \
    'o4 { path = /jails/p; exec.start = "/usr/local/bin/daemon -f"; depend = o5; }' \
    'o5 { path = /jails/p; persist; }' >"$R/tmp/o.conf"
lastcalls
status "start o1" 0 jail -f /tmp/o.conf -c o1
status "stop o1" 0 jail -f /tmp/o.conf -r o1
check "hook order" 0 "uname -n
uname -s
uname -m
uname -p
uname -r
uname -v
uname -K" "" sh -c "grep ^uname '$R/.fakebsd/calls.log'"
check "failing exec.start undoes the start" 1 "o2: created
o2: removed" "jail: o2: /bin/sh -c /bin/sh -c 'exit 1': failed" \
    jail -f /tmp/o.conf -c o2
check "its devfs is unmounted" 1 "" "" sh -c 'mount | grep /jails/p/dev'
check "no persist, no process: gone at once" 0 "o3: created" "" \
    jail -f /tmp/o.conf -c o3
check "o3 is not running" 1 "" 'jls: jail "o3" not found' jls -j o3 name
check "depend starts o5 first" 0 "o5: created
o4: created" "" jail -f /tmp/o.conf -c o4
has "unknown in-jail program recorded" "/usr/local/bin/daemon -f" \
    "$R/.fakebsd/state.json"
check "jail -rc restarts (no removed line, like jail(8))" 0 "o5: created" "" \
    jail -f /tmp/o.conf -rc o5
check "jail -r of several" 0 "o4: removed
o5: removed" "" jail -f /tmp/o.conf -r o4 o5
printf '%s\n' 'w1 { path = /jails/p; persist; }' \
    'w2 { path = /jails/p; persist; }' >"$R/tmp/w.conf"
check "jail -c starts every jail" 0 "w1: created
w2: created" "" jail -f /tmp/w.conf -c
check "jail -c again skips running ones" 0 "" "" jail -f /tmp/w.conf -c
check "jail -r '*'" 0 "w1: removed
w2: removed" "" jail -f /tmp/w.conf -r '*'
status "usage" 1 jail
has "usage text" "usage: jail [-dhilqv]" "$TMP/err"
jail -q -f /tmp/w.conf -c w1
check "jexec login -f root reads commands" 0 "armbsd14" "" \
    sh -c 'echo hostname | jexec -l w1 login -f root'
jail -q -f /tmp/w.conf -r w1

# ===========================================================================
# service(8) hooks: rc.d/jail, rc.d/netif, rc.d/routing

check "service jail start when disabled" 0 \
    "Cannot 'start' jail. Set jail_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'." \
    "" service jail start new0
printf 'jail_enable="YES"\ncloned_interfaces="bridge5"\nifconfig_bridge5="inet 10.5.0.1/24 up"\n' \
    >>"$R/etc/rc.conf"
lastcalls
check "service jail start NAME" 0 "Starting jails: new0." "" \
    service jail start new0
has "rc.d/jail uses jail.conf when it includes jail.conf.d" \
    "jail -i -f /etc/jail.conf -c new0" "$R/.fakebsd/calls.log"
check "jail id file" 0 "$(jls -j new0 jid)" "" cat "$R/var/run/jail_new0.id"
check "service jail stop NAME" 0 "Stopping jails: new0." "" \
    service jail stop new0
has "rc.d/jail stops with -q -r" "jail -q -f /etc/jail.conf -r new0" \
    "$R/.fakebsd/calls.log"
check "service jail config" 0 "new0: parameters are in /etc/jail.conf." "" \
    service jail config new0
check "service netif start IF" 0 "Created clone interfaces: bridge5." "" \
    service netif start bridge5
check "bridge5 configured" 0 "bridge5: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
${TAB}inet 10.5.0.1 netmask 0xffffff00 broadcast 10.5.0.255" "" \
    ifconfig bridge5 inet
check "service routing restart" 0 "delete net default: gateway 192.168.64.1
add net default: gateway 192.168.64.1" "" service routing restart

# ===========================================================================
# nothing escaped JAILER_ROOT
same "no host jail.conf.d touched" "$(ls -d /etc/jail.conf.d/www0.conf 2>/dev/null)" ""

selftest_end
