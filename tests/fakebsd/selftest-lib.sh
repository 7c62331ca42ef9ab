# selftest-lib.sh: what selftest-jail.sh and selftest-pf.sh share, sourced
# by them (not a test itself):
#
#	SELFTEST=NAME
#	. "$(dirname "$0")/selftest-lib.sh"
#
# A fresh simulated host in a temporary directory (JAILER_ROOT, R; removed
# on exit), the simulated tools first in PATH (run by /usr/bin/python3
# where there is one: skip a version manager's shim), VERBOSE (-v), TAB,
# and the checks below; each counts in n (checks) and fails (failed ones).
# The script ends with selftest_end.  SELFTEST_NULL_STDIN: see
# selftest_run.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/selftest-$SELFTEST.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
export JAILER_ROOT="$TMP/root"
# the tools run through `env python3`: skip a version manager's shim
PY=${FAKEBSD_PYTHON:-}
[ -z "$PY" ] && [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if [ -n "$PY" ]; then
	mkdir -p "$TMP/pybin" && ln -s "$PY" "$TMP/pybin/python3"
	PATH="$HERE/bin:$TMP/pybin:$PATH"
else
	PATH="$HERE/bin:$PATH"
fi
export PATH
unset FAKEBSD_FAIL IFCONFIG_FORMAT ASSUME_ALWAYS_YES
"$HERE/mkhost" "$JAILER_ROOT" >/dev/null || { echo "mkhost failed"; exit 1; }
R=$JAILER_ROOT
TAB=$(printf '\t')

# vnet_conf_lines: the VNET part of the jail.conf block jailer writes for
# an eb jail (epair${id}, on ${bridge}).
vnet_conf_lines() {
	cat <<'EOF'
  vnet;
  vnet.interface  = "epair${id}b";
  exec.prestart   = "ifconfig epair${id} create up";
  exec.prestart  += "ifconfig epair${id}a up descr vnet-${name}";
  exec.prestart  += "ifconfig ${bridge} addm epair${id}a up";
  exec.start      = "/sbin/ifconfig lo0 127.0.0.1 up";
  exec.start     += "/bin/sh /etc/rc";
  exec.stop       = "/bin/sh /etc/rc.shutdown jail";
  exec.poststop   = "ifconfig ${bridge} deletem epair${id}a";
  exec.poststop  += "ifconfig epair${id}a destroy";
EOF
}

n=0
fails=0

bad() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "FAIL: $1"
	shift
	for l in "$@"; do
		printf '    %s\n' "$l"
	done
}

good() {
	n=$((n + 1))
	[ "$VERBOSE" = 1 ] && echo "ok: $1"
	return 0
}

# selftest_run COMMAND...: COMMAND, with its stdin from /dev/null where
# SELFTEST_NULL_STDIN is set (else the caller's: a check may be fed a pipe)
selftest_run() {
	if [ -n "${SELFTEST_NULL_STDIN:-}" ]; then
		"$@" </dev/null
	else
		"$@"
	fi
}

# check DESC STATUS STDOUT STDERR COMMAND...: exact status, stdout, stderr
check() {
	_d=$1 _s=$2 _o=$3 _e=$4
	shift 4
	selftest_run "$@" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	if [ "$_rc" != "$_s" ] || [ "$(cat "$TMP/out")" != "$_o" ] ||
	    [ "$(cat "$TMP/err")" != "$_e" ]; then
		bad "$_d" "command: $*" "status $_rc, want $_s" \
		    "stdout: $(cat "$TMP/out")" "want:   $_o" \
		    "stderr: $(cat "$TMP/err")" "want:   $_e"
	else
		good "$_d"
	fi
}

# status DESC STATUS COMMAND...: exact status only (output kept in out/err)
status() {
	_d=$1 _s=$2
	shift 2
	selftest_run "$@" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	if [ "$_rc" != "$_s" ]; then
		bad "$_d" "command: $*" "status $_rc, want $_s" \
		    "stdout: $(cat "$TMP/out")" "stderr: $(cat "$TMP/err")"
	else
		good "$_d"
	fi
}

# has DESC TEXT FILE / hasnot DESC TEXT FILE: fixed-string line search
has() {
	if grep -qF -- "$2" "$3"; then
		good "$1"
	else
		bad "$1" "no '$2' in $3:" "$(cat "$3")"
	fi
}

hasnot() {
	if grep -qF -- "$2" "$3"; then
		bad "$1" "unexpected '$2' in $3:" "$(cat "$3")"
	else
		good "$1"
	fi
}

# same DESC GOT WANT
same() {
	if [ "$2" = "$3" ]; then
		good "$1"
	else
		bad "$1" "got:  $2" "want: $3"
	fi
}

# file_is DESC FILE TEXT / nofile DESC FILE
file_is() {
	if [ -f "$2" ] && [ "$(cat "$2")" = "$3" ]; then
		good "$1"
	else
		bad "$1" "$2:" "$(cat "$2" 2>&1)" "want:" "$3"
	fi
}

nofile() {
	if [ -e "$2" ] || [ -L "$2" ]; then
		bad "$1" "$2 exists"
	else
		good "$1"
	fi
}

# calls: the call log; lastcalls: empty it
calls() { cat "$R/.fakebsd/calls.log"; }
lastcalls() { : >"$R/.fakebsd/calls.log"; }

# selftest_end: the count, and the exit status (0: no check failed)
selftest_end() {
	echo "$n checks, $fails failed"
	[ "$fails" = 0 ]
}
