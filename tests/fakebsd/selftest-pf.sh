#!/bin/sh
# selftest-pf.sh: exercise the simulated pkg, pfctl, dhcpd, devfs and the
# rc.d scripts pf, pflog, devfs and dhcpd of fakebsd (pkgpf.py), and a
# DHCP lease end to end (jail.dhcp_lease), on a fresh simulated host.
# Prints one line per failed check and exits non-zero on any mismatch.
#
# usage: tests/fakebsd/selftest-pf.sh [-v]

SELFTEST=pf
SELFTEST_NULL_STDIN=yes
# the prologue and the checks (check, status, has, ...)
. "$(dirname "$0")/selftest-lib.sh"

conf() {
	cat >"$R/tmp/t.conf"
}

# ======================================================================
# pkg(7) and pkg(8)

NOBOOT='The package management tool is not yet installed on your system.
Please set ASSUME_ALWAYS_YES=yes environment variable to be able to bootstrap in non-interactive (stdin not being a tty)'
check "pkg info -e before the bootstrap" 1 "" "$NOBOOT" pkg info -e dhcpd
check "pkg install without -y cannot bootstrap" 1 "" "$NOBOOT" \
    pkg install dhcpd
check "pkg -N on a fresh host" 1 "" "pkg: pkg is not installed" pkg -N
nofile "no pkg(8) yet" "$R/usr/local/sbin/pkg"
check "pkg bootstrap" 0 "Bootstrapping pkg from pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/quarterly, please wait...
Verifying signature with trusted certificate pkg.freebsd.org.2013102301... done
Installing pkg-2.1.2...
Extracting pkg-2.1.2: 100%" "" pkg bootstrap
check "pkg bootstrap again" 0 "pkg already bootstrapped at /usr/local/sbin/pkg" "" \
    pkg bootstrap
check "pkg -N" 0 "1 packages installed" "" pkg -N
check "pkg info -e missing" 1 "" "" pkg info -e dhcpd
check "dhcpd before the package" 127 "" "dhcpd: not found" dhcpd -n
check "service dhcpd before the package" 1 \
    "dhcpd does not exist in /etc/rc.d or the local startup
directories (/usr/local/etc/rc.d), or is not executable" "" service dhcpd start
UPD='Updating FreeBSD repository catalogue...
FreeBSD repository is up to date.
All repositories are up to date.'
check "pkg install unknown" 1 "$UPD" \
    "pkg: No packages available to install matching 'nosuchpkg' have been found in the repositories" \
    pkg install -y nosuchpkg
PLAN="$UPD
The following 1 package(s) will be affected (of 0 checked):

New packages to be INSTALLED:
${TAB}dhcpd: 6.9.1 [FreeBSD]

Number of packages to be installed: 1

The process will require 221 KiB more space.
62 KiB to be downloaded."
check "pkg install without -y and no tty: no" 1 "$PLAN

Proceed with this action? [y/N]: " "" pkg install dhcpd
check "declined: not installed" 1 "" "" pkg info -e dhcpd
FAKEBSD_FAIL='pkg install' check "pkg install under fault injection" 1 "" \
    "pkg: simulated failure (FAKEBSD_FAIL)" pkg install -y dhcpd
check "fault: not installed" 1 "" "" pkg info -e dhcpd
nofile "fault: no files" "$R/usr/local/sbin/dhcpd"
check "pkg install -y dhcpd" 0 "$PLAN
[1/1] Fetching dhcpd-6.9.1.pkg: 100%   62 KiB  63.5kB/s    00:01    
Checking integrity... done (0 conflicting)
[1/1] Installing dhcpd-6.9.1...
[1/1] Extracting dhcpd-6.9.1: 100%" "" pkg install -y dhcpd
check "pkg info -e dhcpd" 0 "" "" pkg info -e dhcpd
if [ -f "$R/usr/local/sbin/dhcpd" ] && [ -x "$R/usr/local/etc/rc.d/dhcpd" ]
then good "package files"; else bad "package files" "$(ls -lR "$R/usr/local")"; fi
check "pkg info" 0 "dhcpd-6.9.1                    OpenBSD's DHCP server
pkg-2.1.2                      Package manager" "" pkg info
check "pkg install again" 0 "$UPD
Checking integrity... done (0 conflicting)
The most recent versions of packages are already installed" "" \
    pkg install -y dhcpd
check "pkg info NAME missing" 1 "" "pkg: No package(s) matching nginx" \
    pkg info nginx
check "pkg which" 0 "/usr/local/sbin/dhcpd was installed by package dhcpd-6.9.1" "" \
    pkg which /usr/local/sbin/dhcpd
check "pkg delete -y" 0 "Checking integrity... done (0 conflicting)
Deinstallation has been requested for the following 1 packages (of 0 packages in the universe):

Installed packages to be REMOVED:
${TAB}dhcpd: 6.9.1

Number of packages to be removed: 1

The operation will free 221 KiB.
[1/1] Deinstalling dhcpd-6.9.1...
[1/1] Deleting files for dhcpd-6.9.1: 100%" "" pkg delete -y dhcpd
nofile "pkg delete removes files" "$R/usr/local/etc/rc.d/dhcpd"
status "pkg delete missing" 1 pkg delete -y dhcpd
has "pkg delete missing says so" "No packages matched for pattern 'dhcpd'" "$TMP/err"
check "pkg install -q -y dhcpd" 0 "" "" pkg install -q -y dhcpd

# ======================================================================
# dhcpd -n (dhcpd.conf(5) of OpenBSD's dhcpd)

check "dhcpd -n without a config" 1 "" \
    "Can't open /usr/local/etc/dhcpd.conf: No such file or directory" dhcpd -n
cat >"$R/usr/local/etc/dhcpd.conf" <<'EOF'
# Written by jailer(8) for bridge0: jailer rewrites this file on "jailer init dhcp".
subnet 10.0.0.0 netmask 255.255.255.0 {
	option routers 10.0.0.1;
	option subnet-mask 255.255.255.0;
	range 10.0.0.2 10.0.0.254;
}
EOF
check "dhcpd -n" 0 "" "" dhcpd -n
check "dhcpd -n -c FILE" 0 "" "" dhcpd -n -c /usr/local/etc/dhcpd.conf
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\toption routers 10.0.0.1\n\trange 10.0.0.2 10.0.0.9;\n}\n' | conf
check "dhcpd: missing semicolon" 1 "" "/tmp/t.conf line 3: expecting semicolon.
${TAB}range 10.0.0.2 10.0.0.9;
     ^
Configuration file errors encountered -- exiting" dhcpd -n -c /tmp/t.conf
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\trange 10.0.1.2 10.0.1.9;\n}\n' | conf
check "dhcpd: range off the subnet" 1 "" \
    "Address range 10.0.1.2 to 10.0.1.9 not on net 10.0.0.0/255.255.255.0!" \
    dhcpd -n -c /tmp/t.conf
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\trange 10.0.0.2 10.0.1.9;\n}\n' | conf
check "dhcpd: range spans subnets" 1 "" \
    "Address range 10.0.0.2 to 10.0.1.9, netmask 255.255.255.0 spans multiple subnets!" \
    dhcpd -n -c /tmp/t.conf
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\trange 10.0.0.9 10.0.0.2;\n}\n' | conf
check "dhcpd: a high-to-low range is fine" 0 "" "" dhcpd -n -c /tmp/t.conf
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\toption domain-name-server 10.0.0.1;\n}\n' | conf
check "dhcpd: unknown option" 1 "" "/tmp/t.conf line 2: no option named domain-name-server
${TAB}option domain-name-server 10.0.0.1;
                         ^
Configuration file errors encountered -- exiting" dhcpd -n -c /tmp/t.conf
printf 'subnet 10.0.0.0 network 255.255.255.0 {\n}\n' | conf
check "dhcpd: netmask expected" 1 "" "/tmp/t.conf line 1: Expecting netmask
subnet 10.0.0.0 network 255.255.255.0 {
                      ^
Configuration file errors encountered -- exiting" dhcpd -n -c /tmp/t.conf
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\trange 10.0.0.2 10.0.0.300;\n}\n' | conf
status "dhcpd: bad octet" 1 dhcpd -n -c /tmp/t.conf
has "dhcpd: bad octet message" "value 300 exceeds max (255) for precision." "$TMP/err"
printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\n\trange 10.0.0.2 10.0.0.9;\n' | conf
status "dhcpd: unexpected end of file" 1 dhcpd -n -c /tmp/t.conf
has "dhcpd: eof message" "line 2: unexpected end of file" "$TMP/err"

# ======================================================================
# rc.d/dhcpd

check "service dhcpd start, not enabled" 0 \
    "Cannot 'start' dhcpd. Set dhcpd_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'." \
    "" service dhcpd start
check "service dhcpd status, not enabled" 0 \
    "Cannot 'status' dhcpd. Set dhcpd_enable to YES in /etc/rc.conf or use 'onestatus' instead of 'status'." \
    "" service dhcpd status
check "service dhcpd onestatus" 1 "dhcpd is not running." "" \
    service dhcpd onestatus
sysrc dhcpd_enable=YES dhcpd_flags=bridge0 >/dev/null
check "dhcpd: the bridge is missing" 1 "Starting dhcpd." "bridge0: not found" \
    service dhcpd start
ifconfig bridge0 create >/dev/null
ifconfig bridge0 inet 192.168.99.1/24 up
check "dhcpd: no subnet for the bridge" 1 "Starting dhcpd." \
    "No subnet declaration for bridge0 (192.168.99.1).
Please write a subnet declaration in your dhcpd.conf file for the
network segment to which interface bridge0 is attached." service dhcpd start
ifconfig bridge0 inet 192.168.99.1/24 -alias
ifconfig bridge0 inet 10.0.0.1/24 up
check "service dhcpd start" 0 "Starting dhcpd." "" service dhcpd start
has "service runs dhcpd with dhcpd_flags" "dhcpd bridge0" "$R/.fakebsd/calls.log"
PID=$(sed -n 's/^dhcpd is running as pid \([0-9]*\)\.$/\1/p' \
    "$(service dhcpd status >"$TMP/st"; echo "$TMP/st")")
check "service dhcpd status" 0 "dhcpd is running as pid $PID." "" \
    service dhcpd status
check "service dhcpd start twice" 1 "dhcpd already running? (pid=$PID)." "" \
    service dhcpd start
check "service dhcpd stop" 0 "Stopping dhcpd.
Waiting for PIDS: $PID." "" service dhcpd stop
check "service dhcpd stop twice" 1 \
    "dhcpd not running? (check /var/run/dhcpd.pid)." "" service dhcpd stop
check "service dhcpd restart (not running)" 0 \
    "dhcpd not running? (check /var/run/dhcpd.pid).
Starting dhcpd." "" service dhcpd restart
service dhcpd status >"$TMP/st"
PID=$(sed -n 's/^dhcpd is running as pid \([0-9]*\)\.$/\1/p' "$TMP/st")
check "service dhcpd onestart while running" 1 \
    "dhcpd already running? (pid=$PID)." "" service dhcpd onestart
check "service dhcpd restart" 0 "Stopping dhcpd.
Waiting for PIDS: $PID.
Starting dhcpd." "" service dhcpd restart
status "status after restart" 0 service dhcpd status
if [ -f "$R/var/db/dhcpd.leases" ]; then good "lease database"; else
	bad "lease database" "no /var/db/dhcpd.leases"; fi

# ======================================================================
# devfs(8) and rc.d/devfs

check "devfs rule showsets (boot)" 0 "1
2
3
4
5" "" devfs rule showsets
check "devfs rule -s 4 show" 0 "100 include 1
200 include 2
300 include 3
400 path fuse unhide
500 path zfs unhide" "" devfs rule -s 4 show
check "devfs rule -s 5 show 500" 0 "500 path pf unhide" "" \
    devfs rule -s 5 show 500
check "devfs rule -s 1 show" 0 "100 hide" "" devfs rule -s 1 show
check "devfs rule -s 9 show (no such ruleset)" 0 "" "" devfs rule -s 9 show
check "devfs usage" 1 "" "usage: ${TAB}devfs [-m mount-point] [-s ruleset] rule ...
${TAB}devfs [-m mount-point] ruleset ..." devfs
check "devfs bad ruleset number" 1 "" \
    "devfs rule: error converting to number: ten" devfs rule -s ten show
check "devfs unknown command" 1 "" "devfs: unknown command: frob" devfs frob
check "devfs -m missing" 1 "" "devfs: open: /nope: No such file or directory" \
    devfs -m /nope rule showsets
check "devfs add to ruleset 0" 1 "" \
    "devfs rule: ioctl DEVFSIO_RADD: Input/output error" devfs rule add hide
check "devfs add include of a missing ruleset" 1 "" \
    "devfs rule: ioctl DEVFSIO_RADD: No such process" \
    devfs rule -s 20 add include 19
check "devfs add" 0 "" "" devfs rule -s 20 add path 'tun*' unhide
check "devfs add numbered" 0 "" "" devfs rule -s 20 add 50 hide
check "devfs add existing number" 1 "" \
    "devfs rule: ioctl DEVFSIO_RADD: File exists" devfs rule -s 20 add 50 hide
check "devfs show 20" 0 "50 hide
100 path tun* unhide" "" devfs rule -s 20 show
check "devfs del" 0 "" "" devfs rule -s 20 del 50
check "devfs del missing" 1 "" \
    "devfs rule: ioctl DEVFSIO_RDEL: No such file or directory" \
    devfs rule -s 20 del 50
check "devfs delset" 0 "" "" devfs rule -s 20 delset
check "an empty ruleset disappears" 0 "1
2
3
4
5" "" devfs rule showsets

cat >"$R/etc/devfs.rules" <<'EOF'
# Written by jailer(8): what devfsrules_jail_vnet shows, plus bpf for DHCP.
[jailer_vnet=10]
add include $devfsrules_jail_vnet
add path 'bpf*' unhide
EOF
check "devfs.rules is not loaded before the restart" 0 "" "" \
    devfs rule -s 10 show
check "service devfs restart" 0 "" "" service devfs restart
has "rc.d/devfs runs devfs rule" "devfs rule -s 10 add include 5" \
    "$R/.fakebsd/calls.log"
check "jailer_vnet loaded" 0 "100 include 5
200 path bpf* unhide" "" devfs rule -s 10 show
check "showsets with 10" 0 "1
2
3
4
5
10" "" devfs rule showsets
cp "$R/etc/devfs.rules" "$TMP/devfs.rules.good"
printf '[broken=11]\nadd include $devfsrules_nonexistent\n' >>"$R/etc/devfs.rules"
check "devfs.rules: include of an unknown ruleset" 0 "" \
    "devfs rule: expecting argument for include
/etc/rc.d/devfs: WARNING: devfs_init_rulesets: could not read rules from /etc/devfs.rules" \
    service devfs restart
check "the broken ruleset is not loaded" 0 "" "" devfs rule -s 11 show
printf '[broken=11]\nadd path foo hide\nadd include 77\n' >"$R/etc/devfs.rules"
check "devfs.rules: include of a missing number" 0 "" \
    "devfs rule: ioctl DEVFSIO_RADD: No such process
/etc/rc.d/devfs: WARNING: devfs_init_rulesets: could not read rules from /etc/devfs.rules" \
    service devfs restart
check "rules before the error stay" 0 "100 path foo hide" "" \
    devfs rule -s 11 show
printf '[broken]\nadd hide\n' >"$R/etc/devfs.rules"
check "devfs.rules: header without a number" 0 "" \
    "/etc/rc.d/devfs: WARNING: devfs_rulesets_from_file: cannot extract rule number ([broken])
/etc/rc.d/devfs: WARNING: devfs_init_rulesets: could not read rules from /etc/devfs.rules" \
    service devfs restart
printf '[broken=11]\nadd path foo hide # comment\nfrob this\n' >"$R/etc/devfs.rules"
check "devfs.rules: malformed line" 0 "" \
    "devfs rule: unknown command: frob
/etc/rc.d/devfs: WARNING: devfs_init_rulesets: could not read rules from /etc/devfs.rules" \
    service devfs restart
devfs rule -s 11 delset
cp "$TMP/devfs.rules.good" "$R/etc/devfs.rules"
check "service devfs restart (good again)" 0 "" "" service devfs restart

# ======================================================================
# DHCP for a VNET jail, end to end

mkdir -p "$R/etc/jail.conf.d" "$R/var/log/jail"
ebconf() {
	cat <<EOF
# The jail $1, written by jailer(8).  See jail.conf(5).
$1 {
  \$id             = "$2";
  \$domain         = "example.org";
  \$bridge         = "bridge0";
  host.hostname   = "\${name}.\${domain}";
  path            = "/usr/local/jails/$1";
  exec.consolelog = "/var/log/jail/\${name}.log";
  exec.clean;
  mount.devfs;
  devfs_ruleset   = $3;
EOF
	vnet_conf_lines
	cat <<EOF
  persist;
}
EOF
}
mkjail() {
	mkdir -p "$R/usr/local/jails/$1/etc"
	ebconf "$1" "$2" "$3" >"$R/etc/jail.conf.d/$1.conf"
	printf 'ifconfig_epair%sb="SYNCDHCP"\n' "$2" \
	    >"$R/usr/local/jails/$1/etc/rc.conf"
	printf 'ifconfig epair%sb ether 58:9c:fc:00:00:%02x\n' "$2" "$2" \
	    >"$R/usr/local/jails/$1/etc/start_if.epair$2b"
}
mkjail app0 1 10
mkjail app1 2 10
mkjail vn5 3 5
check "start the DHCP jail" 0 "epair1a
app0: created" "" jail -f /etc/jail.conf.d/app0.conf -c app0
check "the jail got 10.0.0.2" 0 "epair1b: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
${TAB}inet 10.0.0.2 netmask 0xffffff00 broadcast 10.0.0.255" "" \
    jexec app0 ifconfig epair1b inet
jexec app0 route -n get default >"$TMP/route"
has "default route from the lease" "    gateway: 10.0.0.1" "$TMP/route"
L="$R/usr/local/jails/app0/var/db/dhclient.leases.epair1b"
if [ -f "$L" ]; then good "lease file written"; else bad "lease file written" "no $L"; fi
head -4 "$L" >"$TMP/lease"
file_is "lease file head" "$TMP/lease" 'lease {
  interface "epair1b";
  fixed-address 10.0.0.2;
  next-server 10.0.0.1;'
has "lease: subnet mask" "  option subnet-mask 255.255.255.0;" "$L"
has "lease: routers" "  option routers 10.0.0.1;" "$L"
has "lease: server" "  option dhcp-server-identifier 10.0.0.1;" "$L"
if grep -Eq '^  expire [0-6] [0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2};$' "$L"
then good "lease: expire line"; else bad "lease: expire line" "$(cat "$L")"; fi
check "lease ends the file" 0 "}" "" tail -1 "$L"
has "dhcpd's lease database" "hardware ethernet 58:9c:fc:00:00:01;" \
    "$R/var/db/dhcpd.leases"
check "a second jail gets the next address" 0 "epair2a
app1: created" "" jail -f /etc/jail.conf.d/app1.conf -c app1
check "10.0.0.3" 0 "${TAB}inet 10.0.0.3 netmask 0xffffff00 broadcast 10.0.0.255" "" \
    sh -c 'jexec app1 ifconfig epair2b inet | grep inet'
check "stop the first jail" 0 "app0: removed" "" \
    jail -f /etc/jail.conf.d/app0.conf -r app0
check "restart it" 0 "epair1a
app0: created" "" jail -f /etc/jail.conf.d/app0.conf -c app0
check "same address again" 0 "${TAB}inet 10.0.0.2 netmask 0xffffff00 broadcast 10.0.0.255" "" \
    sh -c 'jexec app0 ifconfig epair1b inet | grep inet'
check "devfs_ruleset 5 hides bpf: no lease" 0 "epair3a
vn5: created" "" jail -f /etc/jail.conf.d/vn5.conf -c vn5
check "no address without bpf" 0 "epair3b: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500" "" \
    jexec vn5 ifconfig epair3b inet
nofile "no lease file without bpf" \
    "$R/usr/local/jails/vn5/var/db/dhclient.leases.epair3b"
jail -f /etc/jail.conf.d/vn5.conf -r vn5 >/dev/null
# a ruleset that is not loaded: the kernel creates it empty (no device
# hidden), as devfs_ruleset_use() does; jail(8) does not fail
mkjail nors 5 33
check "a jail with an unloaded devfs ruleset starts" 0 "epair5a
nors: created" "" jail -f /etc/jail.conf.d/nors.conf -c nors
has "mounted with ruleset 33" \
    "mount -t devfs -oruleset=33 . /usr/local/jails/nors/dev" \
    "$R/.fakebsd/calls.log"
check "the empty ruleset exists while mounted" 0 "1
2
3
4
5
10
33" "" devfs rule showsets
check "devfs -m JAIL/dev rule show: nothing hidden" 0 "" "" \
    devfs -m /usr/local/jails/nors/dev rule show
check "bpf is visible: a lease" 0 "${TAB}inet 10.0.0.4 netmask 0xffffff00 broadcast 10.0.0.255" "" \
    sh -c 'jexec nors ifconfig epair5b inet | grep inet'
jail -f /etc/jail.conf.d/nors.conf -r nors >/dev/null
check "... and disappears with the mount" 0 "1
2
3
4
5
10" "" devfs rule showsets
# a jail root whose /var/db is a symlink: the lease is not written through it
mkjail evil 4 10
mkdir -p "$R/usr/local/jails/evil/var" "$R/tmp/outside"
ln -s /tmp/outside "$R/usr/local/jails/evil/var/db"
status "start a jail with a /var/db symlink" 0 \
    jail -f /etc/jail.conf.d/evil.conf -c evil
nofile "no lease through the symlink" "$R/tmp/outside/dhclient.leases.epair4b"
check "the address is configured all the same" 0 "${TAB}inet 10.0.0.5 netmask 0xffffff00 broadcast 10.0.0.255" "" \
    sh -c 'jexec evil ifconfig epair4b inet | grep inet'
jail -f /etc/jail.conf.d/evil.conf -r evil >/dev/null
check "dhcpd stopped: no lease" 0 "Stopping dhcpd.
Waiting for PIDS: $(sed -n 's/^dhcpd is running as pid \([0-9]*\)\.$/\1/p' "$(service dhcpd status >"$TMP/st"; echo "$TMP/st")")." "" \
    service dhcpd stop
jail -f /etc/jail.conf.d/app1.conf -r app1 >/dev/null
jail -f /etc/jail.conf.d/app1.conf -c app1 >/dev/null
check "no server, no address" 1 "" "" \
    sh -c 'jexec app1 ifconfig epair2b inet | grep inet'
service dhcpd start >/dev/null
jail -f /etc/jail.conf.d/app1.conf -r app1 >/dev/null
jail -f /etc/jail.conf.d/app0.conf -r app0 >/dev/null

# ======================================================================
# pfctl(8) and rc.d/pf

check "pfctl -s info without pf.ko" 1 "" "pfctl: /dev/pf: No such file or directory" \
    pfctl -s info
printf 'pass all\n' | conf
check "pfctl -n works without pf.ko" 0 "" "" pfctl -n -f /tmp/t.conf
check "pfctl without arguments" 1 "" "usage: pfctl [-AdeghMmNnOPqRSrvz] [-a anchor] [-D macro=value] [-F modifier]
${TAB}[-f file] [-i interface] [-K host | network]
${TAB}[-k host | network | gateway | label | id] [-o level] [-p device]
${TAB}[-s modifier] [-t table -T command [address ...]] [-x level]" pfctl
check "service pf start, not enabled" 0 \
    "Cannot 'start' pf. Set pf_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'." \
    "" service pf start
check "service pf onestatus without pf.ko" 1 "pf.ko is not loaded" "" \
    service pf onestatus
cat >"$R/etc/pf.conf" <<'EOF'
# pf.conf of the simulated host
ext_if = "vtnet0"
jail_net = "10.0.0.0/24"
table <blocked> persist { 192.0.2.0/24, 198.51.100.7 }
set skip on lo0
set block-policy drop
scrub in all
# jailer(8): NAT and redirection for jails
nat-anchor "jailer/*"
rdr-anchor "jailer/*"
nat on $ext_if inet from $jail_net to any -> ($ext_if:0)
rdr pass on $ext_if inet proto tcp from any to ($ext_if) port 8080 -> 10.0.0.9 port 80
block in all
pass out all keep state
pass in on $ext_if proto tcp from any to any port { 22, 8000:8010 } \
	flags S/SA modulate state label "in"
pass in quick on $ext_if proto udp to port domain
block in quick from <blocked>
antispoof for $ext_if
match in all scrub (no-df random-id max-mss 1440)
anchor "jailer/*"
EOF
sysrc pf_enable=YES >/dev/null
check "service pf start" 0 "Enabling pf." "" service pf start
check "pf.ko loaded" 0 "" "" kldstat -q -m pf
status "pfctl -s info" 0 pfctl -s info
if head -1 "$TMP/out" | grep -Eq '^Status: Enabled for 0 days 00:00:0[0-9] +Debug: Urgent$'
then good "pfctl -s info status line"; else bad "pfctl -s info status line" "$(cat "$TMP/out")"; fi
has "pfctl -s info state table" "State Table                          Total             Rate" "$TMP/out"
check "pfctl -s Running" 0 "Enabled" "" pfctl -s Running
check "pfctl -s rules" 0 'scrub in all fragment reassemble
block drop in all
pass out all flags S/SA keep state
pass in on vtnet0 proto tcp from any to any port = ssh flags S/SA modulate state label "in"
pass in on vtnet0 proto tcp from any to any port 8000:8010 flags S/SA modulate state label "in"
pass in quick on vtnet0 proto udp from any to any port = domain keep state
block drop in quick from <blocked> to any
block drop in on ! vtnet0 inet from 192.168.64.0/24 to any
block drop in inet from 192.168.64.2 to any
match in all scrub (no-df random-id max-mss 1440)
anchor "jailer/*" all' "" pfctl -sr
check "pfctl -s nat" 0 'nat-anchor "jailer/*" all
nat on vtnet0 inet from 10.0.0.0/24 to any -> (vtnet0:0)
rdr-anchor "jailer/*" all
rdr pass on vtnet0 inet proto tcp from any to (vtnet0) port = http-alt -> 10.0.0.9 port 80' "" \
    pfctl -s nat
check "pfctl -P -s nat" 0 'nat-anchor "jailer/*" all
nat on vtnet0 inet from 10.0.0.0/24 to any -> (vtnet0:0)
rdr-anchor "jailer/*" all
rdr pass on vtnet0 inet proto tcp from any to (vtnet0) port = 8080 -> 10.0.0.9 port 80' "" \
    pfctl -P -s nat
check "pfctl -s Tables" 0 "blocked" "" pfctl -s Tables
check "pfctl -sA (the anchor jailer/* calls)" 0 "  jailer" "" pfctl -sA
check "pfctl -e when enabled" 1 "" "pfctl: pf already enabled" pfctl -e
check "pfctl -q -e when enabled" 1 "" "pfctl: pf already enabled" pfctl -q -e

# --- strict parsing: pfctl's messages
pfbad() {
	_d=$1 _l=$2
	shift 2
	printf '%s\n' "$@" | conf
	check "$_d" 1 "" "$_l" pfctl -n -f /tmp/t.conf
	printf '%s\n' "$@" | conf
	check "$_d (load)" 1 "" "$_l
pfctl: Syntax error in config file: pf rules not loaded" pfctl -f /tmp/t.conf
}
pfbad "port 65536" "/tmp/t.conf:1: illegal port value 65536" \
    "pass in proto tcp to port 65536"
pfbad "port range to 65536" "/tmp/t.conf:1: illegal port value 65536" \
    "pass in proto tcp to port 1000:65536"
pfbad "port '80;'" "/tmp/t.conf:1: unknown port 80;" \
    "rdr pass on vtnet0 proto tcp to port 80; -> 10.0.0.2"
pfbad "unknown service" "/tmp/t.conf:1: unknown port nosuchservice" \
    "pass in proto tcp to port nosuchservice"
pfbad "translation after filtering" \
    "/tmp/t.conf:2: Rules must be in order: options, ethernet, normalization, queueing, translation, filtering" \
    "pass all" 'nat on vtnet0 from 10.0.0.0/24 to any -> (vtnet0:0)'
pfbad "nat-anchor after anchor" \
    "/tmp/t.conf:2: Rules must be in order: options, ethernet, normalization, queueing, translation, filtering" \
    'anchor "jailer/*"' 'nat-anchor "jailer/*"'
pfbad "option after rules" \
    "/tmp/t.conf:2: Rules must be in order: options, ethernet, normalization, queueing, translation, filtering" \
    "pass all" "set block-policy return"
pfbad "bad address" "no IP address found for 10.0.0.300
/tmp/t.conf:1: could not parse host specification" \
    "pass from 10.0.0.300 to any"
pfbad "bad address in a redirection" "no IP address found for 10.0.0.256
/tmp/t.conf:1: could not parse host specification" \
    "rdr on vtnet0 proto tcp to port 80 -> 10.0.0.256"
pfbad "port without proto" "/tmp/t.conf:1: port only applies to tcp/udp
/tmp/t.conf:1: skipping rule due to errors
/tmp/t.conf:1: rule expands to no valid combination" "pass in to port 22"
pfbad "nat without ->" "/tmp/t.conf:1: translation rule requires '-> address'" \
    "nat on vtnet0 from 10.0.0.0/24 to any"
pfbad "unknown keyword" "/tmp/t.conf:1: syntax error" "pass frobnicate all"
pfbad "undefined macro" "/tmp/t.conf:1: macro 'nope' not defined
/tmp/t.conf:1: syntax error" 'pass in on $nope all'
pfbad "unknown protocol" "/tmp/t.conf:1: unknown protocol tcpx" \
    "pass proto tcpx all"
pfbad "flags on udp" "/tmp/t.conf:1: flags only apply to tcp" \
    "pass proto udp all flags S/SA"
pfbad "keep state on block" "/tmp/t.conf:1: keep state is great, but only for pass rules
/tmp/t.conf:1: skipping rule due to errors
/tmp/t.conf:1: rule expands to no valid combination" "block all keep state"
pfbad "two errors" "/tmp/t.conf:1: illegal port value 70000
/tmp/t.conf:3: syntax error" "pass proto tcp to port 70000" "pass all" "pass al"
printf 'pass all' | conf
check "no newline at the end" 1 "" "/tmp/t.conf:1: syntax error" \
    pfctl -n -f /tmp/t.conf
printf 'pass in proto tcp to port 0\n' | conf
check "port 0 is accepted (as pfctl does)" 0 "" "" pfctl -n -f /tmp/t.conf
printf 'pass in on nosuchif all\n' | conf
check "an unknown interface in 'on' is fine" 0 "" "" pfctl -n -f /tmp/t.conf
check "pfctl -f missing file" 1 "" "pfctl: /etc/nope.conf: No such file or directory
pfctl: cannot open the main config file!: No such file or directory
pfctl: Syntax error in config file: pf rules not loaded" pfctl -f /etc/nope.conf
check "pfctl -n -f missing file" 1 "" "pfctl: /etc/nope.conf: No such file or directory
pfctl: cannot open the main config file!: No such file or directory" \
    pfctl -n -f /etc/nope.conf
check "the failed loads left the rules alone" 0 'nat-anchor "jailer/*" all
nat on vtnet0 inet from 10.0.0.0/24 to any -> (vtnet0:0)
rdr-anchor "jailer/*" all
rdr pass on vtnet0 inet proto tcp from any to (vtnet0) port = http-alt -> 10.0.0.9 port 80' "" \
    pfctl -s nat
check "pfctl -nv prints the rules" 0 "pass in on vtnet0 inet proto tcp from any to any port = ssh flags S/SA keep state" "" \
    sh -c 'echo "pass in on vtnet0 inet proto tcp to port ssh" | pfctl -nvf -'
check "stdin errors are named stdin" 1 "" "stdin:1: syntax error" \
    sh -c 'echo "pass al" | pfctl -nf -'

# --- anchors: what jailer loads for a jail
printf '%s\n' 'nat on vtnet0 inet from 10.0.0.2 to any -> (vtnet0:0)' \
    'rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 8080 -> 10.0.0.2 port 80' \
    'rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 9000:9009 -> 10.0.0.2 port 7000:*' \
    >"$R/tmp/jail.rules"
check "pfctl -n -a jailer/app0 -f -" 0 "" "" \
    sh -c 'pfctl -n -a jailer/app0 -f - <"$JAILER_ROOT/tmp/jail.rules"'
check "pfctl -n did not load" 0 "  jailer" "" pfctl -sA
check "pfctl -a jailer/app0 -f -" 0 "" "" \
    sh -c 'pfctl -a jailer/app0 -f - <"$JAILER_ROOT/tmp/jail.rules"'
check "pfctl -a jailer/app0 -s nat" 0 'nat on vtnet0 inet from 10.0.0.2 to any -> (vtnet0:0)
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = http-alt -> 10.0.0.2 port 80
rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 9000:9009 -> 10.0.0.2 port 7000:7009' "" \
    pfctl -a jailer/app0 -s nat
check "pfctl -a jailer/app0 -s rules (none)" 0 "" "" \
    pfctl -a jailer/app0 -s rules
check "pfctl -sA" 0 "  jailer" "" pfctl -sA
check "pfctl -a jailer -sA" 0 "  jailer/app0" "" pfctl -a jailer -sA
check "pfctl -v -sA" 0 "  jailer
  jailer/app0" "" pfctl -v -sA
check "pfctl -a 'jailer/*' -s nat" 0 'nat-anchor "app0" all {
  nat on vtnet0 inet from 10.0.0.2 to any -> (vtnet0:0)
  rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port = http-alt -> 10.0.0.2 port 80
  rdr pass on vtnet0 inet proto tcp from any to (vtnet0:0) port 9000:9009 -> 10.0.0.2 port 7000:7009
}' "" pfctl -a 'jailer/*' -s nat
check "pfctl -a missing -s nat" 0 "" "pfctl: DIOCGETRULES: Invalid argument" \
    pfctl -a jailer/nope -s nat
check "pfctl -a missing -sA" 0 "" "Anchor 'jailer/nope' not found." \
    pfctl -a jailer/nope -sA
echo 'set skip on lo0' | conf
check "options in an anchor are accepted (and ignored)" 0 "" "" \
    pfctl -a jailer/opt -f /tmp/t.conf
check "... and an empty anchor does not stay" 0 "  jailer/app0" "" \
    pfctl -a jailer -sA
printf 'pass all\n' | conf
check "main ruleset without jailer's anchors" 0 "" "" pfctl -f /tmp/t.conf
check "the jail anchors survive it" 0 "  jailer
  jailer/app0" "" pfctl -v -sA
check "pfctl -f /etc/pf.conf again" 0 "" "" pfctl -f /etc/pf.conf
check "pfctl -a jailer/app0 -F all" 0 "" "Ethernet rules cleared
rules cleared
nat cleared
0 tables deleted." pfctl -a jailer/app0 -F all
check "flushed: the anchor is gone" 0 "" \
    "pfctl: DIOCGETRULES: Invalid argument" pfctl -a jailer/app0 -s nat
check "the flushed anchor is gone" 0 "" "" pfctl -a jailer -sA
sh -c 'pfctl -a jailer/app0 -f - <"$JAILER_ROOT/tmp/jail.rules"'
check "pfctl -q -a jailer/app0 -F all" 0 "" "" pfctl -q -a jailer/app0 -F all
check "pfctl -a jailer/x -F nat (missing anchor)" 0 "" "nat cleared" \
    pfctl -a jailer/x -F nat
check "-a needs -f -F -s or -T" 1 "" "pfctl: anchors apply to -f, -F, -s, and -T only
usage: pfctl [-AdeghMmNnOPqRSrvz] [-a anchor] [-D macro=value] [-F modifier]
${TAB}[-f file] [-i interface] [-K host | network]
${TAB}[-k host | network | gateway | label | id] [-o level] [-p device]
${TAB}[-s modifier] [-t table -T command [address ...]] [-x level]" \
    pfctl -a jailer/x
check "reserved anchor names" 1 "" \
    "pfctl: anchor names beginning with '_' cannot be modified from the command line" \
    pfctl -a _x -F all

# --- load anchor and include
mkdir -p "$R/etc/pf"
printf 'pass in on vtnet0 proto tcp to port 443\n' >"$R/etc/pf/web.conf"
printf 'block in quick from 203.0.113.1\n' >"$R/etc/pf/inc.conf"
cat >"$R/tmp/t.conf" <<'EOF'
include "/etc/pf/inc.conf"
anchor "web"
load anchor "web" from "/etc/pf/web.conf"
EOF
check "include and load anchor" 0 "" "" pfctl -f /tmp/t.conf
check "the included rule" 0 'block drop in quick inet from 203.0.113.1 to any
anchor "web" all' "" pfctl -s rules
check "the loaded anchor" 0 "pass in on vtnet0 proto tcp from any to any port = https flags S/SA keep state" "" \
    pfctl -a web -s rules
printf 'pass in proto tcp to port 99999\n' >"$R/etc/pf/web.conf"
check "a broken load anchor file" 1 "" "/etc/pf/web.conf:1: illegal port value 99999
pfctl: Syntax error in config file: pf rules not loaded
pfctl: load anchors" pfctl -f /tmp/t.conf
check "nothing was committed" 0 "pass in on vtnet0 proto tcp from any to any port = https flags S/SA keep state" "" \
    pfctl -a web -s rules
check "pfctl -f /etc/pf.conf" 0 "" "" pfctl -f /etc/pf.conf

# --- fault injection, -d, rc.d/pf
FAKEBSD_FAIL='pfctl -f' check "pfctl -f under fault injection" 1 "" \
    "pfctl: simulated failure (FAKEBSD_FAIL)" pfctl -f /tmp/t.conf
check "rules unchanged" 0 'anchor "jailer/*" all' "" \
    sh -c 'pfctl -s rules | tail -1'
check "pfctl -d" 0 "" "pf disabled" pfctl -d
check "pfctl -d twice" 1 "" "pfctl: pf not enabled" pfctl -d
check "pfctl -s Running (disabled)" 1 "Disabled" "" pfctl -s Running
check "pfctl -s info (disabled)" 0 "Status: Disabled                              Debug: Urgent" "" \
    sh -c 'pfctl -s info | head -1'
check "pfctl -e" 0 "" "pf enabled" pfctl -e
check "service pf stop" 0 "Disabling pf." "" service pf stop
check "service pf status (disabled)" 1 "Status: Disabled                              Debug: Urgent" "" \
    sh -c 'service pf status | head -1; exit $(service pf status >/dev/null; echo $?)'
check "service pf reload" 0 "Reloading pf rules." "" service pf reload
check "service pf restart" 0 "Enabling pf." "" service pf restart
cp "$R/etc/pf.conf" "$TMP/pf.conf.good"
printf 'pass all\nnat on vtnet0 from any to any -> (vtnet0)\n' >"$R/etc/pf.conf"
check "service pf restart with a broken pf.conf" 0 "Disabling pf.
Enabling pf." \
    "/etc/pf.conf:2: Rules must be in order: options, ethernet, normalization, queueing, translation, filtering
/etc/rc.d/pf: WARNING: Unable to load /etc/pf.conf.
/etc/pf.conf:2: Rules must be in order: options, ethernet, normalization, queueing, translation, filtering
pfctl: Syntax error in config file: pf rules not loaded
/etc/rc.d/pf: WARNING: Unable to load /etc/pf.conf." service pf restart
check "pf is enabled with no rules" 0 "" "" pfctl -s rules
cp "$TMP/pf.conf.good" "$R/etc/pf.conf"
check "service pflog onestart" 0 "Starting pflogd." "" service pflog onestart
check "service pflog onestatus" 0 "" "" sh -c 'service pflog onestatus | grep -q "^pflogd is running as pid [0-9]*\.$"'
check "net.inet.ip.forwarding" 0 "net.inet.ip.forwarding: 0 -> 1" "" \
    sysctl net.inet.ip.forwarding=1

selftest_end
