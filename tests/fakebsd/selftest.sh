#!/bin/sh
#
# selftest.sh: exercise the simulated FreeBSD host (tools, messages, state,
# call log, fault injection) and exit non-zero on any mismatch.
#
# usage: sh tests/fakebsd/selftest.sh [-v]
#
# Works from the source tree (tests/fakebsd/selftest.sh next to
# tests/common.subr) and from a Kyua staging directory (STAGE/fakebsd/ next
# to STAGE/common.subr).

set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)
VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fakebsd-selftest.XXXXXX") || exit 1
HTTPD_PID=""
cleanup()
{
	[ -n "$HTTPD_PID" ] && kill "$HTTPD_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1

FAKEBSD_DIR="$HERE"
. "$HERE/../common.subr"
# selftest failures must not exit at the first one
atf_fail() { echo "FAIL: $*" >&2; exit 1; }

FAILS=0
N=0
TAB=$(printf '\t')

fail()
{
	FAILS=$((FAILS + 1))
	echo "FAIL [$CASE]: $*" >&2
}

# run CMD...: run, keep stdout in $WORK/out, stderr in $WORK/err, rc in RC
run()
{
	CASE="$*"
	N=$((N + 1))
	"$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	[ $VERBOSE -eq 1 ] && echo "ran: $* (rc=$RC)"
	no_traceback
	return 0
}

# a tool must never die with a Python traceback
no_traceback()
{
	if grep -q 'Traceback (most recent call last)' "$WORK/err"; then
		fail "python traceback: $(cat "$WORK/err")"
	fi
}

# runin STDIN-FILE CMD...
runin()
{
	CASE="$* < $1"
	N=$((N + 1))
	_in=$1
	shift
	"$@" <"$_in" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	no_traceback
	return 0
}

rc_is()
{
	[ "$RC" = "$1" ] || fail "exit status $RC, expected $1; stderr: $(cat "$WORK/err")"
}

# stream_is out|err WHAT LINE...: the file $WORK/out or $WORK/err (WHAT:
# stdout or stderr) is exactly these lines
stream_is()
{
	local f=$1 what=$2
	shift 2
	printf '%s\n' "$@" >"$WORK/want"
	if ! cmp -s "$WORK/want" "$WORK/$f"; then
		fail "$what differs:
$(diff -u "$WORK/want" "$WORK/$f")"
	fi
}

# out_is LINE...: stdout is exactly these lines
out_is()
{
	stream_is out stdout "$@"
}

out_empty()
{
	[ -s "$WORK/out" ] && fail "stdout not empty: $(cat "$WORK/out")"
	return 0
}

err_is()
{
	stream_is err stderr "$@"
}

err_empty()
{
	[ -s "$WORK/err" ] && fail "stderr not empty: $(cat "$WORK/err")"
	return 0
}

out_has()
{
	grep -qF -- "$1" "$WORK/out" || fail "stdout lacks '$1': $(cat "$WORK/out")"
}

err_has()
{
	grep -qF -- "$1" "$WORK/err" || fail "stderr lacks '$1': $(cat "$WORK/err")"
}

first_err_is()
{
	[ "$(head -n 1 "$WORK/err")" = "$1" ] ||
	    fail "first stderr line '$(head -n 1 "$WORK/err")', expected '$1'"
}

exists() { [ -e "$JAILER_ROOT$1" ] || [ -L "$JAILER_ROOT$1" ] || fail "$1 missing"; }
absent() { [ -e "$JAILER_ROOT$1" ] && fail "$1 exists"; return 0; }
content_is()
{
	[ "$(cat "$JAILER_ROOT$1")" = "$2" ] ||
	    fail "$1 holds '$(cat "$JAILER_ROOT$1")', expected '$2'"
}

# ---------------------------------------------------------------------------
fakebsd_setup
R="$JAILER_ROOT"
M="$FreeBSD_mirror"

# --- the root guard
CASE="JAILER_ROOT unset"
(unset JAILER_ROOT; zfs list >"$WORK/out" 2>"$WORK/err"); RC=$?
rc_is 1; err_has "JAILER_ROOT is not set"
(JAILER_ROOT=/; export JAILER_ROOT; zfs list >"$WORK/out" 2>"$WORK/err"); RC=$?
rc_is 1; err_has "JAILER_ROOT is /"
(JAILER_ROOT=$WORK; export JAILER_ROOT; zfs list >"$WORK/out" 2>"$WORK/err"); RC=$?
rc_is 1; err_has "has no .fakebsd/state.json"

# --- call log
calls_reset
run zfs list -H -o name 'a b'
run sysrc -n 'x=it'"'"'s'
[ "$(calls)" = "zfs list -H -o name 'a b'
sysrc -n 'x=it'\"'\"'s'" ] || fail "call log: $(calls)"
[ "$(calls_count)" = 2 ] || fail "calls_count $(calls_count)"
calls_reset
[ "$(calls_count)" = 0 ] || fail "calls_reset"

# --- misc: uname, hostname, freebsd-version, kldstat, sysctl
run uname -a
out_is "FreeBSD armbsd14 14.3-RELEASE-p2 FreeBSD 14.3-RELEASE-p2 releng/14.3-n271437-5a1a9d5e5ba0 GENERIC amd64"
run uname -r; out_is 14.3-RELEASE-p2
run uname -m; out_is amd64
run uname -p; out_is amd64
run uname -K; out_is 1403000
run uname -U; out_is 1403000
run uname -mrs; out_is "FreeBSD 14.3-RELEASE-p2 amd64"
run uname -z; rc_is 1; err_is "uname: illegal option -- z" "usage: uname [-abiKmnoprsUv]"
run hostname; out_is armbsd14
run freebsd-version -k; out_is 14.3-RELEASE-p2
run freebsd-version -ku; out_is 14.3-RELEASE-p2 14.3-RELEASE-p2
run kldstat -qm zfs; rc_is 0; out_empty; err_empty
run kldstat -qm nosuch; rc_is 1; out_empty; err_empty
run kldstat -m nosuch; rc_is 1; err_is "kldstat: can't find module nosuch: No such file or directory"
run sysctl -n net.inet.ip.forwarding; out_is 0
run sysctl net.inet.ip.forwarding=1; out_is "net.inet.ip.forwarding: 0 -> 1"
run sysctl net.inet.ip.forwarding; out_is "net.inet.ip.forwarding: 1"
run sysctl kern.osrelease=1; rc_is 1; err_is "sysctl: oid 'kern.osrelease' is read only"
run sysctl no.such.oid; rc_is 1; err_is "sysctl: unknown oid 'no.such.oid'"
run sysctl -n hw.machine kern.osrelease; out_is amd64 14.3-RELEASE-p2

# --- sysrc
run sysrc -nq jailer_dir; rc_is 1; out_empty; err_empty
run sysrc jailer_dir; rc_is 1; err_is "sysrc: unknown variable 'jailer_dir'"
run sysrc jailer_dir="zfs:zroot/jails"; rc_is 0; out_is "jailer_dir:  -> zfs:zroot/jails"
run sysrc -n jailer_dir; out_is "zfs:zroot/jails"
run sysrc jail_enable; out_is "jail_enable: NO"
run sysrc cloned_interfaces+=bridge0; out_is "cloned_interfaces:  -> bridge0"
run sysrc cloned_interfaces+=bridge0; out_is "cloned_interfaces: bridge0 -> bridge0"
run sysrc cloned_interfaces+="epair0 bridge0"; out_is "cloned_interfaces: bridge0 -> bridge0 epair0"
run sysrc cloned_interfaces-=bridge0; out_is "cloned_interfaces: bridge0 epair0 -> epair0"
run sysrc ifconfig_bridge0="inet 10.0.0.1/24 up"; out_is "ifconfig_bridge0:  -> inet 10.0.0.1/24 up"
run sysrc -e ifconfig_bridge0; out_is 'ifconfig_bridge0="inet 10.0.0.1/24 up"'
grep -qx 'ifconfig_bridge0="inet 10.0.0.1/24 up"' "$R/etc/rc.conf" || fail "rc.conf: $(cat "$R/etc/rc.conf")"
grep -qx 'cloned_interfaces="epair0"' "$R/etc/rc.conf" || fail "rc.conf += -="
run sysrc -x ifconfig_bridge0; rc_is 0; out_empty
grep -q ifconfig_bridge0 "$R/etc/rc.conf" && fail "sysrc -x left the line"
mkdir -p "$R/usr/local/jails/x/etc"
run sysrc -q -f /usr/local/jails/x/etc/rc.conf sendmail_enable=NONE syslogd_flags="-ss"
out_is "sendmail_enable: NO -> NONE" "syslogd_flags: -s -> -ss"
content_is /usr/local/jails/x/etc/rc.conf 'sendmail_enable="NONE"
syslogd_flags="-ss"'
rm -rf "$R/usr/local/jails"
run sysrc 'bad.name=1'; rc_is 1; err_is "sysrc: bad.name: name contains characters not allowed in shell"

# --- service
run service jail enable; rc_is 0; out_is "jail enabled in /etc/rc.conf"
run sysrc -n jail_enable; out_is YES
run service nosuch start; rc_is 1
out_is "nosuch does not exist in /etc/rc.d or the local startup" "directories (/usr/local/etc/rc.d), or is not executable"
run service jail frobnicate; rc_is 1
echo 'net.inet.ip.forwarding=0' >"$R/etc/sysctl.conf"
run service sysctl restart; rc_is 0
run sysctl -n net.inet.ip.forwarding; out_is 0
run service -x; rc_is 1

# --- zpool / zfs basics
run zpool list -H -o name; out_is zroot
run zpool list -H -o name,health; out_is "zroot${TAB}ONLINE"
run zpool list nosuch; rc_is 1; err_is "cannot open 'nosuch': no such pool"
run zfs list -H -o name,mountpoint; out_is "zroot${TAB}/zroot"
run zfs list
out_is "NAME   USED  AVAIL  REFER  MOUNTPOINT" "zroot   96K   100G    96K  /zroot"
run zfs create -o mountpoint=/usr/local/jails zroot/jails; rc_is 0; out_empty; err_empty
[ -d "$R/usr/local/jails" ] || fail "mountpoint dir not created"
run zfs create zroot/jails; rc_is 1; err_is "cannot create 'zroot/jails': dataset already exists"
run zfs create -p zroot/jails; rc_is 0
run zfs create zroot/jails/a/b; rc_is 1; err_is "cannot create 'zroot/jails/a/b': parent does not exist"
run zfs create nopool/x; rc_is 1; err_is "cannot create 'nopool/x': no such pool 'nopool'"
run zfs create 'zroot/a b'; rc_is 1; err_is "cannot create 'zroot/a b': invalid character ' ' in name"
run zfs create 'zroot/a@b'; rc_is 1; err_is "cannot create 'zroot/a@b': snapshot delimiter '@' is not expected here"
run zfs create zroot/a/; rc_is 1; err_is "cannot create 'zroot/a/': trailing slash in name"
run zfs create -o canmount=maybe zroot/c; rc_is 1; err_is "cannot create 'zroot/c': 'canmount' must be one of 'on | off | noauto'"
run zfs create -V 1G zroot/vol; rc_is 2; err_has "unsupported by fakebsd"
run zfs list zroot/nope; rc_is 1; err_is "cannot open 'zroot/nope': dataset does not exist"
run zfs list -x; rc_is 2; first_err_is "invalid option 'x'"; err_has "usage:"
run zfs list -H -o space zroot
[ "$(awk -F"$TAB" '{ print NF }' "$WORK/out")" = 7 ] || fail "-o space: $(cat "$WORK/out")"
run zfs list -o name,bogus; rc_is 2; first_err_is "bad property list: invalid property 'bogus'"
run zfs frobnicate; rc_is 2
run zfs jail 1 zroot/jails; rc_is 2; err_has "unsupported by fakebsd"
run zfs list -H -t snapshot; rc_is 0; out_empty; err_empty
run zfs list -t snapshot; rc_is 0; out_empty; err_is "no datasets available"
run zfs list -t snapshot zroot; rc_is 0; out_empty; err_is "no datasets available"

# user properties are inherited
run zfs set jailer:managed=yes zroot/jails; rc_is 0
run zfs create -u zroot/jails/u; rc_is 0
absent /usr/local/jails/u
run zfs get -H -o value mounted zroot/jails/u; out_is no
run zfs mount zroot/jails/u; rc_is 0
exists /usr/local/jails/u
run zfs get -H -o name,property,value,source jailer:managed zroot/jails/u
out_is "zroot/jails/u${TAB}jailer:managed${TAB}yes${TAB}inherited from zroot/jails"
run zfs get -H -o value jailer:nothing zroot/jails; out_is -
run zfs get -H -o value,source mountpoint zroot/jails/u
out_is "/usr/local/jails/u${TAB}inherited from zroot/jails"
run zfs get -H -p -o value used zroot/jails/u
case "$(cat "$WORK/out")" in [0-9]*) ;; *) fail "used -p: $(cat "$WORK/out")" ;; esac
run zfs get mountpoint,compression zroot
out_is "NAME   PROPERTY     VALUE   SOURCE" "zroot  mountpoint   /zroot  default" "zroot  compression  lz4     local"
run zfs set readonly=maybe zroot/jails/u; rc_is 1; err_is "cannot set property for 'zroot/jails/u': 'readonly' must be one of 'on | off'"
run zfs set used=1 zroot/jails/u; rc_is 1; err_is "cannot set property for 'zroot/jails/u': 'used' is readonly"
run zfs inherit canmount zroot/jails/u; rc_is 1; err_is "'canmount' property cannot be inherited"
run zfs destroy zroot/jails/u; rc_is 0
absent /usr/local/jails/u

# --- image fetch: fetch, MANIFEST, sha256, tar, snapshot
run fetch -o - "$M/releases/amd64"
out_has '<a href="14.3-RELEASE/">14.3-RELEASE/</a>'
out_has '<a href="15.0-RC1/">15.0-RC1/</a>'
run zfs create -p zroot/jails/image/14.3-RELEASE; rc_is 0
mkdir -p "$R/usr/local/jails/image/dist-files"
T=/usr/local/jails/image/dist-files/base-14.3-RELEASE.txz
run fetch -qo $T "$M/releases/amd64/14.3-RELEASE/base.txz"; rc_is 0; out_empty; err_empty
cmp -s "$R$T" "$FAKEBSD_MIRROR/releases/amd64/14.3-RELEASE/base.txz" || fail "fetched file differs"
run fetch -o - "$M/releases/amd64/14.3-RELEASE/MANIFEST"
SUM=$(awk -F"$TAB" '$1 == "base.txz" { print $2 }' "$WORK/out")
[ ${#SUM} -eq 64 ] || fail "MANIFEST base.txz line: $(cat "$WORK/out")"
awk -F"$TAB" '$1 == "base.txz" && $4 == "base" && $5 == "\"Base system\"" && $6 == "on" { ok = 1 } END { exit !ok }' "$WORK/out" ||
    fail "MANIFEST format: $(cat "$WORK/out")"
grep -q "^lib32.txz$TAB" "$WORK/out" || fail "MANIFEST lacks lib32"
run sha256 $T; out_is "SHA256 ($T) = $SUM"
run sha256 -q $T; out_is "$SUM"
run sha256 -qc "$SUM" $T; rc_is 0; out_is "$SUM"
run sha256 -qc 0000 $T; rc_is 2; out_is "$SUM"
run sha256 -c 0000 $T; rc_is 2; out_is "SHA256 ($T) = $SUM [ Failed ]"
run sha256 /no/such; rc_is 1; err_is "sha256: /no/such: No such file or directory"
run fetch -qo /tmp/x "$M/releases/amd64/9.9-RELEASE/base.txz"; rc_is 1
err_is "fetch: $M/releases/amd64/9.9-RELEASE/base.txz: File unavailable (e.g., file not found, no access)"
run fetch -qo /tmp/x https://download.freebsd.org/x; rc_is 2; err_has "unsupported by fakebsd"
run fetch -qo /../x "$M/releases/amd64/14.3-RELEASE/MANIFEST"; rc_is 1; err_has "escapes JAILER_ROOT"
run tar -xf $T -C /usr/local/jails/image/14.3-RELEASE/; rc_is 0; err_empty
exists /usr/local/jails/image/14.3-RELEASE/bin/freebsd-version
exists /usr/local/jails/image/14.3-RELEASE/etc/termcap
grep -q 14.3-RELEASE "$R/usr/local/jails/image/14.3-RELEASE/COPYRIGHT" || fail "COPYRIGHT"
run tar -tf $T; out_has ./bin/sh
run tar xf $T -C /usr/local/jails/image/14.3-RELEASE ./COPYRIGHT; rc_is 0
run tar -xPf $T -C /tmp; rc_is 2; err_has "unsupported by fakebsd"
run tar -xf /no/such.txz -C /tmp; rc_is 1; err_has "/no/such.txz"
run zfs snapshot zroot/jails/image/14.3-RELEASE@base; rc_is 0
run zfs snapshot zroot/jails/image/14.3-RELEASE@base; rc_is 1
err_is "cannot create snapshot 'zroot/jails/image/14.3-RELEASE@base': dataset already exists"
run zfs snapshot zroot/nope@x; rc_is 2; first_err_is "cannot open 'zroot/nope': dataset does not exist"
run zfs snapshot 'zroot/jails@a b'; rc_is 1; err_is "cannot create snapshot 'zroot/jails@a b': invalid character ' ' in name"
run zfs list -t snap -Ho name -r zroot/jails/image; out_is zroot/jails/image/14.3-RELEASE@base
run zfs list -t snapshot -H -o name zroot/jails/image/14.3-RELEASE; out_is zroot/jails/image/14.3-RELEASE@base

# --- send | recv
IMG=zroot/jails/image/14.3-RELEASE
zfs send $IMG@base >"$WORK/stream" 2>"$WORK/err" || fail "zfs send: $(cat "$WORK/err")"
runin "$WORK/stream" zfs recv zroot/jails/www0; rc_is 0; err_empty
run zfs list -H -t all -o name -r zroot/jails/www0; out_is zroot/jails/www0 zroot/jails/www0@base
diff -r --no-dereference "$R/usr/local/jails/image/14.3-RELEASE" "$R/usr/local/jails/www0" >/dev/null || fail "received tree differs"
runin "$WORK/stream" zfs recv zroot/jails/www0; rc_is 1
err_is "cannot receive new filesystem stream: destination 'zroot/jails/www0' exists" "must specify -F to overwrite it"
runin "$WORK/stream" zfs recv zroot/jails/www1@snap1; rc_is 0
run zfs list -H -t snap -o name -r zroot/jails/www1; out_is zroot/jails/www1@snap1
: >"$WORK/empty"
runin "$WORK/empty" zfs recv zroot/jails/e; rc_is 1; err_is "cannot receive: failed to read from stream"
echo garbage >"$WORK/garbage"
runin "$WORK/garbage" zfs recv zroot/jails/e; rc_is 1; err_is "cannot receive: invalid stream (bad magic number)"
zfs send -p zroot/jails@nope >/dev/null 2>"$WORK/err"; RC=$?; CASE="send missing"
rc_is 1; err_is "cannot open 'zroot/jails@nope': dataset does not exist"
# -R with properties
zfs snapshot -r zroot/jails@rep || fail "snapshot -r"
zfs send -R zroot/jails@rep >"$WORK/rstream" 2>"$WORK/err" || fail "send -R: $(cat "$WORK/err")"
runin "$WORK/rstream" zfs recv -u -x mountpoint zroot/copy; rc_is 0; err_empty
run zfs list -H -o name,mounted -r zroot/copy
out_is "zroot/copy${TAB}no" "zroot/copy/image${TAB}no" "zroot/copy/image/14.3-RELEASE${TAB}no" "zroot/copy/www0${TAB}no" "zroot/copy/www1${TAB}no"
run zfs get -H -o value,source jailer:managed zroot/copy; out_is "yes${TAB}received"
run zfs destroy -r zroot/copy; rc_is 0
zfs destroy -r zroot/jails@rep || fail "destroy -r @rep"
run zfs list -H -t snap -o name; out_is zroot/jails/image/14.3-RELEASE@base zroot/jails/www0@base zroot/jails/www1@snap1

# --- destroy rules
run zfs destroy zroot/jails/www0; rc_is 1
err_is "cannot destroy 'zroot/jails/www0': filesystem has children" "use '-r' to destroy the following datasets:" "zroot/jails/www0@base"
run zfs destroy -nv -r zroot/jails/www0; rc_is 0; out_is "would destroy zroot/jails/www0@base" "would destroy zroot/jails/www0"
exists /usr/local/jails/www0/COPYRIGHT
run zfs destroy -r zroot/jails/www0; rc_is 0; out_empty; err_empty
absent /usr/local/jails/www0
run zfs destroy zroot/jails/www0; rc_is 1; err_is "cannot open 'zroot/jails/www0': dataset does not exist"
run zfs destroy zroot; rc_is 1; first_err_is "cannot destroy 'zroot': operation does not apply to pools"
run zfs destroy zroot/jails/www1@nope; rc_is 1; err_is "could not find any snapshots to destroy; check snapshot names."

# --- clone, promote
run zfs clone $IMG@base zroot/jails/c1; rc_is 0
run zfs get -H -o value origin zroot/jails/c1; out_is $IMG@base
exists /usr/local/jails/c1/bin/sh
run zfs clone $IMG@base zroot/jails/c1; rc_is 1; err_is "cannot create 'zroot/jails/c1': dataset already exists"
run zfs clone $IMG@nope zroot/jails/c2; rc_is 1; err_is "cannot open '$IMG@nope': dataset does not exist"
run zfs destroy $IMG@base; rc_is 1
err_is "cannot destroy '$IMG@base': snapshot has dependent clones" "use '-R' to destroy the following datasets:" "zroot/jails/c1"
run zfs destroy -r zroot/jails/image; rc_is 1
err_is "cannot destroy 'zroot/jails/image': filesystem has dependent clones" "use '-R' to destroy the following datasets:" "zroot/jails/c1"
run zfs promote zroot/jails/www1; rc_is 1; err_is "cannot promote 'zroot/jails/www1': not a cloned filesystem"
run zfs promote zroot/jails/c1; rc_is 0
run zfs get -H -o value origin zroot/jails/c1 $IMG; out_is - zroot/jails/c1@base
run zfs promote $IMG; rc_is 0
run zfs get -H -o value origin zroot/jails/c1; out_is $IMG@base
run zfs destroy -R $IMG@base; rc_is 0
run zfs list -H -o name -r zroot/jails; out_is zroot/jails zroot/jails/image zroot/jails/image/14.3-RELEASE zroot/jails/www1
absent /usr/local/jails/c1

# --- rollback
W=/usr/local/jails/www1
echo one >"$R$W/file"
zfs snapshot zroot/jails/www1@s1 || fail "snapshot s1"
echo two >"$R$W/file"
zfs snapshot zroot/jails/www1@s2 || fail "snapshot s2"
echo three >"$R$W/file"
run zfs rollback zroot/jails/www1@s1; rc_is 1
err_is "cannot rollback to 'zroot/jails/www1@s1': more recent snapshots or bookmarks exist" "use '-r' to force deletion of the following snapshots and bookmarks:" "zroot/jails/www1@s2"
run zfs rollback zroot/jails/www1@s2; rc_is 0; content_is $W/file two
run zfs rollback -r zroot/jails/www1@s1; rc_is 0; content_is $W/file one
run zfs list -H -t snap -o name -r zroot/jails/www1; out_is zroot/jails/www1@snap1 zroot/jails/www1@s1

# --- rename, mountpoint changes
run zfs rename zroot/jails/www1 zroot/jails/www2; rc_is 0
absent $W; content_is /usr/local/jails/www2/file one
run zfs list -H -t snap -o name -r zroot/jails/www2; out_is zroot/jails/www2@snap1 zroot/jails/www2@s1
run zfs set mountpoint=/srv/www2 zroot/jails/www2; rc_is 0
content_is /srv/www2/file one; absent /usr/local/jails/www2
run zfs inherit mountpoint zroot/jails/www2; rc_is 0
content_is /usr/local/jails/www2/file one; absent /srv/www2/file
run zfs set canmount=off zroot/jails/www2; rc_is 0; absent /usr/local/jails/www2
run zfs set canmount=on zroot/jails/www2; rc_is 0
run zfs mount zroot/jails/www2; rc_is 0; content_is /usr/local/jails/www2/file one
run zfs rename zroot/jails/www2 zroot/other/www2; rc_is 1; err_is "cannot rename to 'zroot/other/www2': parent does not exist"

# files a mount hides come back on unmount
mkdir -p "$R/srv/hidden" && echo under >"$R/srv/hidden/f"
run zfs create -o mountpoint=/srv/hidden zroot/hid; rc_is 0; absent /srv/hidden/f
echo mine >"$R/srv/hidden/g"
run zfs unmount zroot/hid; rc_is 0; content_is /srv/hidden/f under; absent /srv/hidden/g
run zfs mount zroot/hid; rc_is 0; content_is /srv/hidden/g mine; absent /srv/hidden/f
run zfs destroy zroot/hid; rc_is 0; content_is /srv/hidden/f under; absent /srv/hidden/g

# mountpoint none / back, received properties, inherit -S
run zfs create zroot/m; rc_is 0
run zfs create zroot/m/c; rc_is 0
echo keep >"$R/zroot/m/c/f"
run zfs set mountpoint=none zroot/m; rc_is 0; absent /zroot/m/c/f
run zfs list -H -o name,mountpoint,mounted -r zroot/m
out_is "zroot/m${TAB}none${TAB}no" "zroot/m/c${TAB}none${TAB}no"
run zfs set mountpoint=/srv/m zroot/m; rc_is 0; content_is /srv/m/c/f keep
run zfs list -H -o name -d 1 zroot; out_is zroot zroot/jails zroot/m
run zfs list -H -o name -s name -S used -d 1 zroot/jails
run zfs get -H -s local -o property mountpoint,compression,atime zroot
out_is compression atime
zfs snapshot -r zroot/m@s && zfs send -R zroot/m@s >"$WORK/mstream" || fail "send -R zroot/m"
runin "$WORK/mstream" zfs recv -u zroot/m2; rc_is 0
run zfs get -H -o value,source mountpoint zroot/m2; out_is "/srv/m${TAB}received"
run zfs inherit mountpoint zroot/m2; rc_is 0
run zfs get -H -o value,source mountpoint zroot/m2; out_is "/zroot/m2${TAB}default"
run zfs inherit -S mountpoint zroot/m2; rc_is 1
err_is "cannot mount '/srv/m': mountpoint or dataset is busy" "cannot mount '/srv/m/c': mountpoint or dataset is busy"
run zfs get -H -o value,source,name mountpoint zroot/m2 zroot/m2/c
out_is "/srv/m${TAB}received${TAB}zroot/m2" "/srv/m/c${TAB}inherited from zroot/m2${TAB}zroot/m2/c"
run zfs create -o mountpoint=/srv/m zroot/m3; rc_is 1
err_is "cannot mount '/srv/m': mountpoint or dataset is busy" "filesystem successfully created, but not mounted"
run zfs destroy -r zroot/m2; rc_is 0
run zfs destroy zroot/m3; rc_is 0
run zfs destroy -r zroot/m; rc_is 0; absent /srv/m/c

# --- fault injection
FAKEBSD_FAIL='zfs snapshot#2'; export FAKEBSD_FAIL
run zfs snapshot zroot/jails/www2@f1; rc_is 0
save_host
run zfs snapshot zroot/jails/www2@f2; rc_is 1; err_is "zfs: simulated failure (FAKEBSD_FAIL)"
assert_host_unchanged
run zfs snapshot zroot/jails/www2@f3; rc_is 0
FAKEBSD_FAIL='zfs snap'; export FAKEBSD_FAIL
run zfs snapshot zroot/jails/www2@f4; rc_is 1
FAKEBSD_FAIL='fetch'; export FAKEBSD_FAIL
run fetch -qo /tmp/half "$M/releases/amd64/14.3-RELEASE/base.txz"; rc_is 1
err_is "fetch: simulated failure (FAKEBSD_FAIL)"
FULL=$(wc -c <"$FAKEBSD_MIRROR/releases/amd64/14.3-RELEASE/base.txz")
HALF=$(wc -c <"$R/tmp/half")
[ $((FULL / 2)) -eq "$HALF" ] || fail "truncated fetch: $HALF of $FULL"
FAKEBSD_FAIL='tar'; export FAKEBSD_FAIL
mkdir "$R/tmp/part"
run tar -xf $T -C /tmp/part; rc_is 1; err_has "simulated failure (FAKEBSD_FAIL)"
[ "$(cd "$R/tmp/part" && find . | wc -l)" -eq 2 ] || fail "partial tar: $(cd "$R/tmp/part" && find .)"
FAKEBSD_FAIL='zfs recv'; export FAKEBSD_FAIL
runin "$WORK/stream" zfs recv zroot/jails/www9; rc_is 1
run zfs list zroot/jails/www9; rc_is 1
FAKEBSD_FAIL='zfs list -H, #3'; export FAKEBSD_FAIL
run zfs list -H -o name zroot; rc_is 1
run uname; rc_is 0
run hostname; rc_is 1; err_is "hostname: simulated failure (FAKEBSD_FAIL)"
unset FAKEBSD_FAIL

# --- parallel tools never lose an update
i=0
while [ $i -lt 16 ]; do
	zfs create zroot/jails/p$i &
	i=$((i + 1))
done
wait
run zfs list -H -o name -d 1 zroot/jails
[ "$(grep -c '^zroot/jails/p' "$WORK/out")" -eq 16 ] || fail "parallel creates: $(cat "$WORK/out")"

# --- symlinks cannot lead out of the root
ln -s /etc "$R/tmp/etclink"
run fetch -qo /tmp/etclink/fakebsd-selftest "$M/releases/amd64/14.3-RELEASE/MANIFEST"; rc_is 0
exists /etc/fakebsd-selftest
[ -e /etc/fakebsd-selftest ] && fail "wrote to the real /etc"

# --- host_state / save_host / assert_host_unchanged
save_host
run zfs list; run sysrc -n jailer_dir; run uname -a
CASE="assert_host_unchanged"
(assert_host_unchanged) >/dev/null 2>&1 || fail "host changed by read-only tools"
echo x >"$R/tmp/newfile"
(assert_host_unchanged) >/dev/null 2>&1 && fail "a new file went unnoticed"
rm "$R/tmp/newfile"
zfs set jailer:x=1 zroot
(assert_host_unchanged) >/dev/null 2>&1 && fail "a state change went unnoticed"
zfs inherit jailer:x zroot
(assert_host_unchanged) >/dev/null 2>&1 || fail "inherit did not restore the state"
fs_outside_untouched

# --- fetch over loopback http
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$FAKEBSD_MIRROR" "$PORT" >/dev/null 2>&1 &
HTTPD_PID=$!
i=0
while ! fetch -qo - "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
run fetch -qo - "http://127.0.0.1:$PORT/releases/amd64/14.3-RELEASE/MANIFEST"; rc_is 0; out_has "base.txz$TAB$SUM"
run fetch -qo - "http://127.0.0.1:$PORT/nope"; rc_is 1; err_is "fetch: http://127.0.0.1:$PORT/nope: Not Found"
kill $HTTPD_PID; HTTPD_PID=""

# ---------------------------------------------------------------------------
if [ $FAILS -ne 0 ]; then
	echo "selftest: $FAILS failure(s) in $N checks" >&2
	exit 1
fi
echo "selftest: all $N checks passed"
exit 0
