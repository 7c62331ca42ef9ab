# Adversarial input: every argument and every environment variable jailer
# reads gets hostile values, from one table; and hostile data from the
# outside: a mirror whose MANIFEST lies or is broken, tarballs whose
# entries point outside the image, and jail roots whose files are
# symlinks to host files.
#
# A hostile value must be refused: exit 1 with one line "jailer: ..." on
# stderr, or exit 2 with "jailer CMD: reason" and the usage block; no
# control character on stderr but the newlines (and the tabs of the usage
# block), valid UTF-8 without C1 controls, no escape sequence on stdout,
# no crash, no sanitizer report, no program run that changes anything,
# and the simulated host exactly as it was.

# ------------------------------------------------------------ the table

# The generic hostile values, by tag.
GENERIC="dotdot semi space subst squote dquote bslash nl tab c65 c300 empty
	dash utf8 badutf8 esc fmt ip999 cidr33 if16 image help"

# hv TAG: print the hostile value TAG, byte for byte (no newline added).
hv()
{
	case $1 in
	dotdot)	printf '%s' '../x' ;;
	semi)	printf '%s' 'a;b' ;;
	space)	printf '%s' 'a b' ;;
	subst)	printf '%s' '$(id)' ;;
	squote)	printf "'" ;;
	dquote)	printf '"' ;;
	bslash)	printf '\\' ;;
	nl)	printf 'a\nb' ;;
	tab)	printf 'a\tb' ;;
	c65)	printf '%065d' 0 | tr 0 a ;;
	c300)	printf '%0300d' 0 | tr 0 a ;;
	empty)	;;
	dash)	printf '%s' '-x' ;;
	utf8)	printf '\303\251t\303\251' ;;		# "été"
	badutf8) printf 'a\377\376\233[1mb' ;;		# invalid UTF-8, a C1 CSI
	esc)	printf 'a\033[31mb\033]0;x\007' ;;	# ANSI colour, window title
	fmt)	printf '%s' '%s%n%x' ;;
	ip999)	printf '%s' '999.1.1.1' ;;
	cidr33)	printf '%s' '10.0.0.1/33' ;;
	if16)	printf '%s' 'abcdefghijklmnop' ;;	# IFNAMSIZ is 16 with NUL
	image)	printf image ;;
	help)	printf help ;;
	# Specials, named with + in the table.
	optesc)	printf -- '-\033[2J' ;;			# an option letter ESC
	nlonly)	printf '\n' ;;
	url_js)	printf '%s' 'javascript:alert(1)' ;;
	url_space) printf '%s' "file://$FAKEBSD_MIRROR/a b" ;;
	url_squote) printf '%s' "file://$FAKEBSD_MIRROR/it's" ;;
	url_dquote) printf '%s' 'http://127.0.0.1/"x"' ;;
	url_nl)	printf 'file://%s\nhttp://127.0.0.1/' "$FAKEBSD_MIRROR" ;;
	url_2000) printf 'http://127.0.0.1/'; printf '%01983d' 0 | tr 0 x ;;
	url_dotdot) printf '%s' 'file:///etc/../..' ;;
	url_subst) printf '%s' 'http://127.0.0.1/$(id)' ;;
	url_semi) printf '%s' 'file:///tmp;rm' ;;
	url_esc) printf 'http://127.0.0.1/\033[2J' ;;
	ed_semi) printf '%s' 'vi; id' ;;
	ed_subst) printf '%s' 'vi $(id)' ;;
	ed_nl)	printf 'true\nid' ;;
	ed_arg)	printf '%s' 'true -c id' ;;
	root_rel) printf '%s' 'root' ;;	# the simulated root, but relative
	root_missing) printf '%s' "$PWD/no-such-dir" ;;
	root_file) printf '%s' "$JAILER_ROOT/etc/rc.conf" ;;
	root_nl) printf '%s\n/x' "$JAILER_ROOT" ;;
	root_esc) printf '%s/\033[2J' "$JAILER_ROOT" ;;
	*)	atf_fail "hv: unknown value tag $1" ;;
	esac
}

# One table drives every case.  A row: the command line after "jailer",
# with {} where the hostile value goes (a leading NAME={} puts it in the
# environment variable NAME instead), then " | " and the values: * is
# every generic value, -TAG leaves one out (the value is valid there, and
# the command would rightly run), +TAG adds a special one.  A third
# column "ok" marks variables that must be ignored: the command works as
# without them (exit 0), still changing nothing it should not.
#
# The host: init, 14.3-RELEASE, bridge0, DHCP, pf; a1 (eb, DHCP, running,
# snapshot a1@s, a NAT and a redirection rule), n1 (new, running).
adversarial_table()
{
	cat <<'EOF'
{}					| * +optesc -help
help {}					| * -image -help
image {}				| * +optesc -help
network {}				| * -help
nat {}					| * -help
rdr {}					| * -help
init {}					| * +optesc
init -y -z {}				| * +optesc
init -y -d {}				| *
init -y -m {}				| *
init info {}				| *
init bridge -y -i {}			| *
init bridge -y -a {}			| *
init bridge -y {}			| * +optesc
init dhcp -y -i {}			| *
init dhcp -y {}				| *
init pf -y {}				| *
image fetch {}				| * +optesc
image list {}				| *
image list -j {}			| *
image use {}				| *
network use {}				| *
create {}				| * -if16 +optesc
create -r {} x9				| *
create -s {} x9				| *
create -s {}@s x9			| *
create -s a1@{} x9			| *
create -C -s a1@{} x9			| *
create -d {} x9				| * -ip999 -if16 -image -help
create -t {} x9				| *
create -t new -b {} x9			| *
create -t eb -b {} x9			| *
create -t new -b vtnet0 -a {} x9	| *
create -t eb -a {} x9			| *
create -t eb -a 10.0.0.50 -g {} x9	| *
create -t eb -a 10.0.0.50 -m {} x9	| *
create -e {} x9				| *
create -D {}				| * -if16
list {}					| * +optesc
list -j {}				| *
info {}					| *
info -j {}				| *
start {}				| * +optesc
stop {}					| *
stop -f {}				| *
restart {}				| *
startall {}				| *
stopall {}				| *
destroy {}				| * +optesc
destroy -D {}				| *
destroy -f {}				| *
destroy n1 {}				| * -if16
console {}				| *
exec {} true				| *
edit {}					| *
snap {}					| * +optesc
snap {}@s2				| *
snap a1@{}				| * -ip999 -if16 -image -help
snapshot {}				| *
snap list {}				| * -if16
snap list -j {}				| * -if16
snap destroy {}				| *
snap destroy {}@s			| *
snap destroy a1@{}			| *
rollback {}				| *
rollback {}@s				| *
rollback a1@{}				| *
rollback -f {}@s			| *
gc {}					| * +optesc
gc -D {}				| *
nat add {}				| *
nat add -i {} n1			| * -image -help
nat add -a {} n1			| *
nat del {}				| *
nat list {}				| * -if16
nat list -j {}				| * -if16
rdr add -p {} -r 8080 n1		| *
rdr add -p tcp -r {} n1			| *
rdr add -p tcp -r 8080 -d {} n1		| *
rdr add -i {} -p tcp -r 8080 n1		| * -image -help
rdr add -a {} -p tcp -r 8080 n1		| *
rdr add -p tcp -r 8080 {}		| *
rdr del {} -f				| *
rdr del a1 -n {}			| *
rdr list {}				| * -if16
rdr list -j {}				| * -if16
FreeBSD_mirror={} image fetch 14.2-RELEASE	| * -empty +url_js +url_space +url_squote +url_dquote +url_nl +url_2000 +url_dotdot +url_subst +url_semi +url_esc
FreeBSD_mirror={} image list remote	| * -empty +url_js +url_space +url_squote +url_dquote +url_nl +url_2000 +url_dotdot +url_subst +url_semi +url_esc
FreeBSD_mirror={} create -r 14.2-RELEASE x9	| * -empty +url_js +url_nl +url_2000 +url_dotdot +url_esc
EDITOR={} edit a1			| * -empty -dotdot -image -help -if16 +ed_semi +ed_subst +ed_nl +ed_arg +nlonly
JAILER_ROOT={} list			| * -empty +root_rel +root_missing +root_file +root_nl +root_esc
JAILER_ROOT={} create -t eb x9		| * -empty +root_rel +root_missing +root_file +root_nl +root_esc
JAILER_ROOT={} init -y			| * -empty +root_rel +root_missing +root_file +root_nl +root_esc
NO_COLOR={} list			| * +nlonly		| ok
TERM={} list				| * +nlonly		| ok
TMPDIR={} edit a1			| * +nlonly		| ok
EOF
}

# Known bugs: an ERE on the failure lines ("ROW<TAB>TAG<TAB>PROBLEM"),
# " => " and the marker.  Failures that match only these make the test an
# expected failure; any other failure fails it.
adversarial_known_bugs()
{
	cat <<'EOF'
	badutf8	stderr is not valid UTF-8 => BUG: vis() (src/validate.c) copies bytes >= 0x80 unescaped, so invalid UTF-8 and the 8-bit C1 control CSI (0x9b) of a hostile value reach the terminal
	optesc	control characters on stderr => BUG: cmd_bad_option() and main() (src/main.c) print an unknown option letter raw: jailer create -ESC[2J puts ESC on stderr
^JAILER_ROOT=\{\}[^	]*	(nl|tab|esc|badutf8|root_nl|root_esc)	 => BUG: host_root_init() (src/util.c) prints JAILER_ROOT without vis(): its newline or escape sequence reaches stderr
EOF
}

# Programs that change nothing; any other line in the call log is a
# mutation.
READONLY_CALLS='^(zfs (list|get)|zpool (list|get)|jls|uname|hostname$|freebsd-version|kldstat|sysctl( -[a-zA-Z]+)*( [^ =]+)*$|mount -p$|sha256|ifconfig( -l| -a| -g [a-z]+| [A-Za-z0-9_.]+)?$|pfctl( -[a-zA-Z]+)* -s|pfctl -a [^ ]+ -s|route -n get|fetch -q -o - |pkg info|service [^ ]+ (enabled|status|onestatus|rcvar)$|sysrc -n|devfs rule (show|showsets))( |$)'

# The file system entries changed since the stamp (the call log, fault
# counters and locks aside).
changed_since_stamp()
{
	find "$JAILER_ROOT" -newer "$PWD/.stamp" \
	    ! -path "$JAILER_ROOT/.fakebsd/calls.log" \
	    ! -path "$JAILER_ROOT/.fakebsd/faults" \
	    ! -path "$JAILER_ROOT/.fakebsd/state.lock" \
	    ! -path "$JAILER_ROOT/.fakebsd/server.*" \
	    ! -path "$JAILER_ROOT/var/run/jailer.lock" -print
}

# Keep a copy of the host to put back after a case that changed it.
keep_host()
{
	rm -rf "$PWD/.base"
	cp -a "$JAILER_ROOT" "$PWD/.base" || atf_fail "cannot copy the host"
	save_host table
	touch "$PWD/.stamp"
	sleep 0.05
}

restore_host()
{
	rm -rf "$JAILER_ROOT"
	cp -a "$PWD/.base" "$JAILER_ROOT" || atf_fail "cannot restore the host"
}

# bad ROW TAG PROBLEM: record a failure.
bad()
{
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$PWD/failures"
}

# check_stderr_text FILE: "" if FILE is printable UTF-8 without C1
# controls, else what is wrong.
check_utf8()
{
	python3 - "$1" <<'PYEOF'
import sys
data = open(sys.argv[1], 'rb').read()
try:
    text = data.decode('utf-8')
except UnicodeDecodeError as e:
    print('stderr is not valid UTF-8 (a raw byte 0x%02x)' % data[e.start])
    sys.exit(0)
for ch in text:
    if 0x80 <= ord(ch) <= 0x9f:
        print('stderr holds the C1 control U+%04X' % ord(ch))
        break
PYEOF
}

# run_case ROW VALUE: run the row's command with VALUE in place of {};
# leaves out, err and rc in $PWD.
run_case()
{
	local row="$1" v="$2" w envs
	set -f
	set --
	envs=yes
	for w in $row; do
		case $w in
		*'{}'*) w="${w%%\{\}*}$v${w#*\{\}}" ;;
		esac
		case "$envs:$w" in
		yes:[A-Za-z_]*=*) set -- "$@" "$w"; continue ;;
		yes:*) envs=no; set -- "$@" jailer ;;
		esac
		set -- "$@" "$w"
	done
	[ "$envs" = yes ] && set -- "$@" jailer
	set +f
	calls_reset
	timeout -k 5 60 env "$@" </dev/null >"$PWD/out" 2>"$PWD/err"
	echo $? >"$PWD/rc"
}

# check_case ROW TAG VALUE MODE: the checks of one case (few processes:
# there are two thousand cases).
check_case()
{
	local row="$1" tag="$2" v="$3" mode="$4" rc n first what
	read -r rc <"$PWD/rc"
	n=$(grep -c '' err)
	first=
	[ "$n" -gt 0 ] && IFS= read -r first <err
	if [ "$rc" -ge 124 ]; then
		bad "$row" "$tag" "crashed or hung: exit status $rc"
	elif [ "$mode" = ok ]; then
		[ "$rc" = 0 ] || bad "$row" "$tag" "exit status $rc, expected 0 (the variable must be ignored): $first"
		[ "$n" = 0 ] || bad "$row" "$tag" "stderr not empty: $first"
	elif [ "$rc" = 1 ]; then
		[ "$n" = 1 ] || bad "$row" "$tag" "exit 1 with $n lines on stderr: $(head -3 err | tr '\n' '|')"
		case $first in
		'jailer: '*) ;;
		*) bad "$row" "$tag" "the error does not start with 'jailer: ': $first" ;;
		esac
	elif [ "$rc" = 2 ]; then
		case $first in
		jailer:\ *|jailer\ [a-z]*:\ *) ;;
		*) bad "$row" "$tag" "bad usage error line: $first" ;;
		esac
		# The usage block: "usage:" and "  jailer CMD ..." lines
		# (continued with a tab), or jailer's own usage and its
		# list of commands.
		if [ "$n" -gt 1 ]; then
			sed -n 2p err | grep -q '^usage:' ||
			    bad "$row" "$tag" "no usage after the error: $(head -3 err | tr '\n' '|')"
			[ "$(sed -n '3,$p' err | grep -vc "^  \|^$TAB\|^commands:\$\|^\$")" = 0 ] ||
			    bad "$row" "$tag" "stray lines after the usage: $(head -5 err | tr '\n' '|')"
		fi
	else
		bad "$row" "$tag" "exit status $rc, expected 1 or 2; stderr: $first"
	fi
	if grep -qE "Done!|$ESC" out; then
		if grep -q "$ESC" out; then
			bad "$row" "$tag" "an escape sequence on stdout"
		elif [ "$mode" != ok ]; then
			bad "$row" "$tag" "Done! on stdout: $(grep 'Done!' out | head -1)"
		fi
	fi
	if grep -qE 'Sanitizer|runtime error:' err; then
		bad "$row" "$tag" "sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' err)"
	fi
	# Control characters: none but the newlines, and the tabs that
	# indent the usage block (never on the first line).  Bytes >= 0x80
	# must make valid UTF-8 without C1 controls.
	if LC_ALL=C grep -q "$SUSPECT" err; then
		case $first in
		*"$TAB"*) bad "$row" "$tag" "a tab in the error line: $(od -An -c err | tr -s ' \n' '  ' | head -c 200)" ;;
		esac
		if LC_ALL=C tr -d '\n\t' <err | LC_ALL=C grep -q '[[:cntrl:]]'; then
			bad "$row" "$tag" "control characters on stderr: $(od -An -c err | tr -s ' \n' '  ' | head -c 200)"
		fi
		if LC_ALL=C grep -q "$HIGH" err; then
			what=$(check_utf8 err)
			[ -n "$what" ] && bad "$row" "$tag" "$what: $(od -An -c err | tr -s ' \n' '  ' | head -c 200)"
		fi
	fi
	if [ -s "$JAILER_ROOT/.fakebsd/calls.log" ] &&
	    grep -Ev "$READONLY_CALLS" "$JAILER_ROOT/.fakebsd/calls.log" \
	    >"$PWD/mutating"; then
		bad "$row" "$tag" "a mutating program ran: $(head -3 mutating | tr '\n' '|')"
	fi
	what=$(changed_since_stamp)
	if [ -n "$what" ]; then
		bad "$row" "$tag" "the host changed: $(echo "$what" | head -5 | tr '\n' ' ')"
		restore_host
	fi
}

TAB=$(printf '\t')
ESC=$(printf '\033')
SUSPECT=$(printf '[\001-\037\177-\377]')
HIGH=$(printf '[\200-\377]')

# run_table [ROW-FILTER-ERE]: every case of the table (rows matching the
# filter); prints the number of cases and fails on any problem.
run_table()
{
	local filter="${1:-.}" row spec mode tags t v nrows ncases before
	: >"$PWD/failures"
	export EDITOR=true
	keep_host
	nrows=0
	ncases=0
	adversarial_table | grep -E "$filter" >"$PWD/table"
	while IFS= read -r line; do
		case $line in
		''|'#'*) continue ;;
		esac
		row=$(printf '%s' "$line" | awk -F'[ \t]+[|][ \t]+' '{ print $1 }' |
		    sed 's/[[:space:]]*$//')
		spec=$(printf '%s' "$line" | awk -F'[ \t]+[|][ \t]+' '{ print $2 }')
		mode=$(printf '%s' "$line" | awk -F'[ \t]+[|][ \t]+' '{ print $3 }' |
		    tr -d ' \t')
		tags=
		set -f
		for t in $spec; do
			case $t in
			'*') tags="$tags $GENERIC" ;;
			+*) tags="$tags ${t#+}" ;;
			-*) tags=$(echo $tags | tr ' ' '\n' | grep -vx "${t#-}" |
			    tr '\n' ' ') ;;
			esac
		done
		set +f
		before=$(ls -A "$PWD" | grep -v '^\.\|^out$\|^err$\|^rc$\|^mutating$')
		for t in $tags; do
			v=$(hv "$t"; echo x)
			v=${v%x}
			run_case "$row" "$v"
			check_case "$row" "$t" "$v" "$mode"
			ncases=$((ncases + 1))
		done
		nrows=$((nrows + 1))
		# Nothing appeared in the working directory (relative paths).
		[ "$(ls -A "$PWD" | grep -v '^\.\|^out$\|^err$\|^rc$\|^mutating$')" = "$before" ] ||
		    bad "$row" "-" "files appeared in the working directory"
		# And the whole host, to the byte.
		host_state >"$PWD/.host_state.now" || atf_fail "host_state failed"
		if ! diff -u "$PWD/.host_state.table" "$PWD/.host_state.now" \
		    >"$PWD/.host_state.diff"; then
			bad "$row" "-" "the host differs after the row: $(grep '^[-+][^-+]' .host_state.diff | head -3 | tr '\n' ' ')"
			restore_host
		fi
	done <"$PWD/table"
	fs_outside_untouched
	echo "adversarial: $ncases cases in $nrows rows"
	echo "$ncases" >"$PWD/ncases"
	report_failures
}

# Fail on the failures, as expected failures when each is a known bug.
report_failures()
{
	local line re marker
	[ -s "$PWD/failures" ] || return 0
	echo "$(wc -l <"$PWD/failures" | tr -d ' ') failed cases:"
	cat "$PWD/failures"
	cp "$PWD/failures" "$PWD/unknown"
	adversarial_known_bugs >"$PWD/known"
	while IFS= read -r line; do
		re="${line%% => *}"
		marker="${line#* => }"
		[ -n "$re" ] || continue
		if grep -Eq -- "$re" "$PWD/unknown"; then
			grep -Ev -- "$re" "$PWD/unknown" >"$PWD/unknown.new"
			mv "$PWD/unknown.new" "$PWD/unknown"
			echo "$marker" >>"$PWD/markers"
		fi
	done <"$PWD/known"
	if [ -s "$PWD/unknown" ]; then
		atf_fail "$(wc -l <"$PWD/unknown" | tr -d ' ') cases failed; the first: $(head -1 "$PWD/unknown")"
	fi
	atf_expect_fail "$(sort -u "$PWD/markers" | tr '\n' ' ')"
	atf_fail "known bugs"
}

# The host every table row runs against.
table_host()
{
	host_with_image
	for c in "init bridge -y" "init dhcp -y" "init pf -y" \
	    "create -t eb a1" "create -t new -b vtnet0 n1" "snap a1@s" \
	    "nat add a1" "rdr add -p tcp -r 80 a1"; do
		jailer $c >/dev/null 2>"$PWD/setup.err" ||
		    atf_fail "setup: jailer $c: $(cat "$PWD/setup.err")"
	done
}

atf_test_case table_arguments
table_arguments_head()
{
	atf_set descr 'every argument of every command refuses hostile values'
	atf_set timeout 1800
	sim_only "asserts the commands jailer runs (the simulated host's call log) (run_table)"
}
table_arguments_body()
{
	require_sim
	table_host
	run_table '^[a-z{]'
}

atf_test_case table_environment
table_environment_head()
{
	atf_set descr 'FreeBSD_mirror, EDITOR, JAILER_ROOT, NO_COLOR, TERM and TMPDIR with hostile values'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (run_table)"
}
table_environment_body()
{
	require_sim
	table_host
	run_table '^[A-Za-z_]+=\{\}'
}

# ------------------------------------------------------- colour and tty

atf_test_case no_color
no_color_head()
{
	atf_set descr 'no escape sequence in any output when stdout is not a terminal, NO_COLOR set or not'
	atf_set timeout 600
	sim_only "changes the host's network (bridge0, dhcpd, pf)"
}
no_color_body()
{
	require_sim
	host_with_image
	ifconfig bridge0 create >/dev/null &&
	    ifconfig bridge0 inet 10.0.0.1/24 up >/dev/null ||
	    atf_fail "cannot create bridge0"
	n=0
	for nc in unset 1 '' yes; do
		for term in unset xterm-256color; do
			n=$((n + 1))
			for c in "create -t eb c$n" "snap c$n@s" "snap list" \
			    "list" "list -j" "list -H" "info c$n" "image list" \
			    "init info" "stop c$n" "start c$n" "restart c$n" \
			    "gc -D" "destroy -D c$n" "destroy c$n" \
			    "create -t new -b vtnet0 c$n" "destroy c$n" \
			    "info c$n" "nosuchcommand" "create -q"; do
				if [ "$nc" = unset ]; then
					set -- env -u NO_COLOR
				else
					set -- env NO_COLOR="$nc"
				fi
				[ "$term" = unset ] && set -- "$@" -u TERM ||
				    set -- "$@" TERM="$term"
				"$@" jailer $c </dev/null >out 2>err
				if od -An -c out err | grep -q '033'; then
					od -c out err | head -20
					atf_fail "NO_COLOR=$nc TERM=$term jailer $c: an escape sequence in the output"
				fi
			done
		done
	done
	echo "no_color: $((n * 20)) commands, no escape sequence"
	# On a terminal the Done! is coloured, unless NO_COLOR is set.
	if script --version 2>/dev/null | grep -q util-linux; then
		TERM=xterm script -qec 'jailer create c99' /dev/null \
		    </dev/null >tty.out 2>&1
		grep -q "$(printf '\033')\[0;32mDone!" tty.out ||
		    { od -c tty.out | head; atf_fail "no colour on a terminal"; }
		TERM=xterm NO_COLOR=1 script -qec 'jailer destroy c99' \
		    /dev/null </dev/null >tty.out 2>&1
		grep -q 'Done!' tty.out && ! grep -q "$(printf '\033')" tty.out ||
		    { od -c tty.out | head; atf_fail "colour on a terminal with NO_COLOR=1"; }
	fi
}

# ----------------------------------------------- hostile data from outside

# A writable copy of the mirror's 14.2-RELEASE for the host's arch
# (amd64), at $PWD/mirror; FreeBSD_mirror points at it.
hostile_mirror()
{
	REL="$PWD/mirror/releases/amd64/amd64/14.2-RELEASE"
	mkdir -p "$REL"
	cp "$FAKEBSD_MIRROR/releases/amd64/amd64/14.2-RELEASE/MANIFEST" \
	    "$FAKEBSD_MIRROR/releases/amd64/amd64/14.2-RELEASE/base.txz" \
	    "$REL/" || atf_fail "cannot copy the mirror"
	cp "$REL/MANIFEST" "$PWD/MANIFEST.orig"
	FreeBSD_mirror="file://$PWD/mirror"
	export FreeBSD_mirror REL
}

# fetch_refused WHAT ERE: image fetch 14.2-RELEASE fails with one line
# matching ERE, and leaves the host as it was.
fetch_refused()
{
	local what="$1" ere="$2"
	host_state_norm >before
	jailer image fetch 14.2-RELEASE </dev/null >out 2>err
	rc=$?
	if [ "$rc" != 1 ]; then
		cat out err
		atf_fail "$what: exit status $rc, expected 1"
	fi
	[ "$(wc -l <err | tr -d ' ')" = 1 ] && grep -Eq "^jailer: 14\.2-RELEASE: .*$ere" err ||
	    { cat err; atf_fail "$what: not one line matching '$ere'"; }
	LC_ALL=C tr -d '\n' <err | LC_ALL=C grep -q '[[:cntrl:]]' &&
	    atf_fail "$what: control characters on stderr"
	grep -qx 'Fetching 14.2-RELEASE: Failed!' out ||
	    { cat out; atf_fail "$what: no Failed!"; }
	host_state_norm >after
	diff -u before after || atf_fail "$what: the host changed"
	test ! -e "$JAILER_ROOT/usr/local/jails/image/dist-files/base-14.2-RELEASE.txz" ||
	    atf_fail "$what: the tarball was kept"
	echo "$what: refused: $(cat err)"
}

# manifest_line: the MANIFEST's base.txz line.
set_manifest()
{
	printf '%b' "$1" >"$REL/MANIFEST"
}

atf_test_case manifest
manifest_head()
{
	atf_set descr 'a MANIFEST that is wrong, incomplete or malformed is refused and leaves nothing'
	atf_set timeout 300
	sim_only "asserts the commands jailer runs (the simulated host's call log) (fetch_refused)"
}
manifest_body()
{
	require_sim
	host_with_image
	hostile_mirror
	base=$(grep '^base.txz	' MANIFEST.orig)
	others=$(grep -v '^base.txz	' MANIFEST.orig)
	sum=$(echo "$base" | cut -f2)
	wrong=$(printf '%064d' 0 | tr 0 a)
	sed "s/$sum/$wrong/" MANIFEST.orig >"$REL/MANIFEST"
	fetch_refused "wrong sha256" "SHA-256 mismatch"
	printf '%s\n' "$others" >"$REL/MANIFEST"
	fetch_refused "no base.txz line" "MANIFEST: no entry for base.txz"
	printf '%s\n%s\n%s\n' "$others" "$base" "$base" >"$REL/MANIFEST"
	fetch_refused "two base.txz lines" "listed more than once"
	printf '%s\n%s\n' "$base" "$(echo "$base" | sed "s/$sum/$wrong/")" \
	    >"$REL/MANIFEST"
	fetch_refused "two base.txz lines, different sums" "listed more than once|SHA-256"
	printf '%s\n%s' "$others" "$(echo "$base" | cut -c1-40)" >"$REL/MANIFEST"
	fetch_refused "a truncated line" "malformed checksum"
	printf 'base.txz\t%s\n' "$(echo "$sum" | cut -c1-63)" >"$REL/MANIFEST"
	fetch_refused "a 63-digit sum" "malformed checksum"
	printf 'base.txz\t%s\n' "$(printf '%064d' 0 | tr 0 z)" >"$REL/MANIFEST"
	fetch_refused "a sum that is not hex" "malformed checksum"
	printf 'base.txz\t\033[2J%s\n' "$(echo "$sum" | cut -c5-)" >"$REL/MANIFEST"
	fetch_refused "an escape sequence in the sum" "malformed checksum"
	printf 'base.txz\n' >"$REL/MANIFEST"
	fetch_refused "no sum at all" "malformed checksum|no entry"
	: >"$REL/MANIFEST"
	fetch_refused "an empty MANIFEST" "no entry for base.txz"
	head -c 3000 /dev/urandom >"$REL/MANIFEST"
	fetch_refused "binary garbage" "no entry for base.txz|malformed"
	rm "$REL/MANIFEST"
	fetch_refused "no MANIFEST" "MANIFEST"
	# And the good one still works.
	cp MANIFEST.orig "$REL/MANIFEST"
	atf_check -s exit:0 -o inline:'Fetching 14.2-RELEASE: Done!\n' \
	    -e empty jailer image fetch 14.2-RELEASE
	fs_outside_untouched
}

# make_tarball KIND OUT: base.txz of 14.2-RELEASE plus hostile entries,
# all named after $TOKEN so that any escape is easy to find.
make_tarball()
{
	python3 - "$1" "$2" "$FAKEBSD_MIRROR/releases/amd64/amd64/14.2-RELEASE/base.txz" \
	    "$TOKEN" "$PWD/outside" <<'PYEOF'
import io, sys, tarfile
kind, out, orig, token, outside = sys.argv[1:6]
src = tarfile.open(orig, 'r:xz')
dst = tarfile.open(out, 'w:xz', format=tarfile.PAX_FORMAT)
def add_file(name, data=b'evil\n'):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mode = 0o644
    ti.mtime = 1735689600
    dst.addfile(ti, io.BytesIO(data))
def add_link(name, target, kind=tarfile.SYMTYPE):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = target
    ti.mode = 0o777
    ti.mtime = 1735689600
    dst.addfile(ti)
for m in src:
    if kind == 'links' and m.name.lstrip('./') in ('etc/rc.conf', 'etc/resolv.conf'):
        continue
    dst.addfile(m, src.extractfile(m) if m.isfile() else None)
ev = 'evil-' + token
if kind == 'absolute':
    add_file('/etc/' + ev)
    add_file('/' + ev)
    add_file('/tmp/' + ev)
elif kind == 'dotdot':
    add_file('../' + ev)
    add_file('../../' + ev)
    add_file('etc/../../../' + ev)
    add_file('./../../../../../etc/' + ev)
elif kind == 'symlink':
    add_link('escape', '../../../../..')
    add_file('escape/etc/' + ev)
    add_link('abs', outside)
    add_file('abs/' + ev)
elif kind == 'hardlink':
    add_link('etc/hard-' + token, '/etc/master.passwd', tarfile.LNKTYPE)
    add_link('etc/hard2-' + token, '../../../../../../etc/master.passwd',
             tarfile.LNKTYPE)
    add_link('etc/hard3-' + token, outside + '/victim', tarfile.LNKTYPE)
elif kind == 'links':
    # An image whose rc.conf and resolv.conf point at host files.
    add_link('etc/rc.conf', outside + '/victim')
    add_link('etc/resolv.conf', '../../../../../../etc/master.passwd')
    add_link('etc/start_if.epair1b', outside + '/victim2')
dst.close()
PYEOF
}

# Files named evil-TOKEN anywhere but inside the image's own tree, and
# hard links to the host files the tarballs aimed at.
escapes()
{
	local img="$JAILER_ROOT/usr/local/jails/image/14.2-RELEASE"
	find "$JAILER_ROOT" "$PWD/outside" -name "*$TOKEN*" |
	    grep -v "^$img/" | grep -v "^$JAILER_ROOT/.fakebsd/\(snap\|data\)/"
	for p in /etc/evil-$TOKEN /evil-$TOKEN /tmp/evil-$TOKEN \
	    "$PWD/evil-$TOKEN" "$(dirname "$PWD")/evil-$TOKEN"; do
		[ -e "$p" ] && echo "$p"
	done
	for f in "$JAILER_ROOT/etc/master.passwd" "$PWD/outside/victim"; do
		[ "$(stat -c %h "$f")" = 1 ] || echo "$f has $(stat -c %h "$f") links"
	done
	return 0
}

atf_test_case tarball
tarball_head()
{
	atf_set descr 'a base.txz with absolute, .. , symlink and hard link entries never writes outside the image'
	atf_set timeout 600
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
tarball_body()
{
	require_sim
	host_with_image
	hostile_mirror
	TOKEN=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	mkdir outside
	echo "the victim: must never change" >outside/victim
	echo "victim2" >outside/victim2
	echo "root:*:0:0::0:0:Charlie &:/root:/bin/csh" \
	    >"$JAILER_ROOT/etc/master.passwd"
	sums() { sha256sum outside/victim outside/victim2 "$JAILER_ROOT/etc/master.passwd"; }
	sums >victims
	: >report
	for kind in absolute dotdot symlink hardlink; do
		make_tarball $kind "$REL/base.txz" || atf_fail "cannot build $kind"
		sum=$(sha256sum "$REL/base.txz" | cut -d' ' -f1)
		sed "s/^\(base.txz	\)[0-9a-f]*/\1$sum/" MANIFEST.orig >"$REL/MANIFEST"
		host_state_norm >before
		jailer image fetch 14.2-RELEASE </dev/null >out 2>err
		rc=$?
		left=$(escapes | tr '\n' ' ')
		[ -z "$left" ] || atf_fail "$kind: written outside the image: $left"
		sums | diff - victims || atf_fail "$kind: a host file changed"
		grep -qE 'Sanitizer|runtime error' err && atf_fail "$kind: sanitizer"
		case $rc in
		0)
			inside=$(find "$JAILER_ROOT/usr/local/jails/image/14.2-RELEASE" \
			    -name "*$TOKEN*" | sed "s|^$JAILER_ROOT||" | tr '\n' ' ')
			echo "$kind: fetched; hostile entries inside the image: ${inside:-none}" >>report
			jailer list >/dev/null 2>&1
			atf_check -s exit:0 -o ignore -e empty zfs destroy -r \
			    zroot/jails/image/14.2-RELEASE
			rm "$JAILER_ROOT/usr/local/jails/image/dist-files/base-14.2-RELEASE.txz"
			;;
		1)
			[ "$(wc -l <err | tr -d ' ')" = 1 ] && grep -q '^jailer: ' err ||
			    { cat err; atf_fail "$kind: not one error line"; }
			host_state_norm >after
			diff -u before after || atf_fail "$kind: a refused fetch changed the host"
			echo "$kind: refused: $(cat err)" >>report
			;;
		*)
			cat out err
			atf_fail "$kind: exit status $rc"
			;;
		esac
	done
	cat report
	fs_outside_untouched
}

# ------------------------------------------------ symlinks in jail roots

# Bait: files outside the jails that hold what jailer would show (or use)
# if it followed a link to them: 6.6.6.6 from an rc.conf, 7.7.7.7 from a
# lease.  A FIFO stands for a file that must not even be opened: opening
# it blocks, and the command then hangs until the timeout.
make_bait()
{
	mkdir -p outside/etc outside/db
	cat >outside/rc.conf <<'EOT'
ifconfig_epair1b="inet 6.6.6.6 netmask 255.255.255.0"
ifconfig_epair2b="inet 6.6.6.6 netmask 255.255.255.0"
ifconfig_epair3b="inet 6.6.6.6 netmask 255.255.255.0"
defaultrouter="6.6.6.1"
EOT
	cp outside/rc.conf outside/etc/rc.conf
	echo 'nameserver 6.6.6.53' >outside/etc/resolv.conf
	echo 'ifconfig epair2b ether 58:9c:fc:66:66:66' >outside/etc/start_if.epair2b
	lease='lease {\n  interface "epair1b";\n  fixed-address 7.7.7.7;\n  option subnet-mask 255.255.255.0;\n  option routers 7.7.7.1;\n}\n'
	printf "$lease" >outside/lease
	printf "$lease" | sed 's/epair1b/epair3b/' >outside/db/dhclient.leases.epair3b
	echo "victim: must never change" >outside/victim
	echo "victim2" >outside/victim2
	mkfifo outside/fifo
	# The host's own file, with a lease in it as bait.
	{ echo "root:*:0:0::0:0:Charlie &:/root:/bin/csh"; printf "$lease"; } \
	    >"$JAILER_ROOT/etc/master.passwd"
}

# The checksums of every bait file (the FIFO by its type only).
bait_sums()
{
	find outside "$JAILER_ROOT/etc/master.passwd" "$JAILER_ROOT/etc/rc.conf" \
	    "$JAILER_ROOT/etc/resolv.conf" ! -type d | sort |
	    while read -r f; do
		if [ -p "$f" ]; then
			echo "fifo $f"
		else
			echo "$(sha256sum <"$f" | cut -d' ' -f1) $(stat -c '%a %h' "$f") $f"
		fi
	    done
}

# linked_run CMD...: run jailer CMD (30 s at most), then check that no
# bait leaked into the output, no host file changed and nothing hung.
linked_run()
{
	timeout -k 5 30 jailer "$@" </dev/null >out 2>err
	rc=$?
	echo "jailer $*: exit $rc: $(tr '\n' ' ' <out | cut -c1-150) $(tr '\n' ' ' <err | cut -c1-200)" >>report
	[ "$rc" -lt 124 ] ||
	    atf_fail "jailer $*: hung or crashed (exit $rc): it opened a FIFO behind a link?"
	grep -qE 'Sanitizer|runtime error' err && atf_fail "jailer $*: sanitizer"
	if grep -E '6\.6\.6|7\.7\.7|58:9c:fc:66' out err; then
		atf_fail "jailer $*: shows data read through a symlink"
	fi
	bait_sums | diff -u sums - || atf_fail "jailer $*: a file behind a link changed"
	return 0
}

# ip_of NAME: the IPv4 column of list -H for NAME.
ip_of()
{
	jailer list -H | awk -v n="$1" '$1 == n { print $5 }'
}

atf_test_case symlink_jail_root
symlink_jail_root_head()
{
	atf_set descr 'links in jail roots to host files (rc.conf, resolv.conf, start_if, the lease, etc/ also the host etc, var/db/) are never read or written'
	atf_set timeout 900
	sim_only "uses the simulated host's own tools and files (fs_outside_untouched)"
}
symlink_jail_root_body()
{
	require_sim
	host_with_image
	for c in "init bridge -y" "init dhcp -y" "init pf -y" "create -t eb a1" \
	    "create -t eb -a 10.0.0.20 b2" "create -t eb c3" \
	    "create -t eb -a 10.0.0.21 g7"; do
		jailer $c >/dev/null 2>setup.err ||
		    atf_fail "setup: jailer $c: $(cat setup.err)"
	done
	[ -n "$(ip_of a1 | grep '^10\.0\.0\.')" ] && [ "$(ip_of b2)" = 10.0.0.20/24 ] ||
	    atf_fail "setup: list does not show the addresses: $(jailer list)"
	# The host's view of the addresses, which no link may move.
	before=$(for n in a1 b2 c3 g7; do echo "$n $(ip_of $n)"; done)
	make_bait
	J="$JAILER_ROOT/usr/local/jails"
	# a1: rc.conf outside the root, the lease on the host's master.passwd
	ln -sf "$PWD/outside/rc.conf" "$J/a1/etc/rc.conf"
	ln -sf ../../../../../../etc/master.passwd \
	    "$J/a1/var/db/dhclient.leases.epair1b"
	ln -sf "$PWD/outside/fifo" "$J/a1/etc/resolv.conf"
	# b2: the whole etc directory
	rm -rf "$J/b2/etc"
	ln -s "$PWD/outside/etc" "$J/b2/etc"
	# c3: start_if is a FIFO, var/db a directory outside
	ln -sf "$PWD/outside/fifo" "$J/c3/etc/start_if.epair3b"
	rm -rf "$J/c3/var/db"
	ln -s "$PWD/outside/db" "$J/c3/var/db"
	# g7: etc is the host's own /etc
	rm -rf "$J/g7/etc"
	ln -s ../../../../etc "$J/g7/etc"
	[ -f "$J/g7/etc/master.passwd" ] || atf_fail "setup: g7/etc is not the host's etc"
	bait_sums >sums
	: >report
	linked_run list
	after=$(for n in a1 b2 c3 g7; do echo "$n $(ip_of $n)"; done)
	[ "$after" = "$before" ] ||
	    atf_fail "list moved addresses: '$before' -> '$after'"
	linked_run list -j
	python3 -m json.tool out >/dev/null || atf_fail "list -j: not JSON"
	linked_run list -H
	linked_run info a1
	linked_run info -j b2
	linked_run info c3
	linked_run info g7
	linked_run snap c3@s
	linked_run snap list
	# create reads the other jails' start_if (MACs) and rc.conf
	# (static addresses).
	linked_run create -t eb d4
	linked_run create -t eb -a 10.0.0.30 e5
	linked_run create -t eb -s c3@s f6
	linked_run nat add a1
	linked_run rdr add -p tcp -r 80 b2
	linked_run nat list
	linked_run rdr list -j
	linked_run stop a1
	linked_run start a1
	linked_run restart b2
	linked_run restart c3
	linked_run stopall
	linked_run startall
	linked_run rollback -f c3@s
	linked_run gc -D
	linked_run destroy -D a1
	linked_run destroy a1
	linked_run destroy -f b2
	linked_run destroy c3
	linked_run restart g7
	linked_run destroy g7
	linked_run list
	linked_run gc -y
	cat report
	fs_outside_untouched
}

# plant VARIANT ROOT ID: links of one kind in a jail root.
plant()
{
	local v=$1 r=$2 id=$3
	case $v in
	rcconf)
		ln -sf "$PWD/outside/victim" "$r/etc/rc.conf"
		;;
	files)
		ln -sf ../../../../../etc/master.passwd "$r/etc/resolv.conf"
		ln -sf "$PWD/outside/victim2" "$r/etc/start_if.epair${id}b"
		mkdir -p "$r/var/db"
		ln -sf "$PWD/outside/lease" "$r/var/db/dhclient.leases.epair${id}b"
		;;
	fifo)
		ln -sf "$PWD/outside/fifo" "$r/etc/resolv.conf"
		ln -sf "$PWD/outside/fifo" "$r/etc/start_if.epair${id}b"
		;;
	etcdir)
		rm -rf "$r/etc"
		ln -s "$PWD/outside/etc" "$r/etc"
		;;
	hostetc)
		rm -rf "$r/etc"
		ln -s ../../../../etc "$r/etc"
		;;
	esac
}

atf_test_case symlink_snapshot
symlink_snapshot_head()
{
	atf_set descr 'create -s from a snapshot whose root has links to host files never follows them'
	atf_set timeout 900
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
symlink_snapshot_body()
{
	require_sim
	host_with_image
	for c in "init bridge -y" "init dhcp -y" "create -t eb src"; do
		jailer $c >/dev/null 2>setup.err ||
		    atf_fail "setup: jailer $c: $(cat setup.err)"
	done
	make_bait
	R="$JAILER_ROOT/usr/local/jails/src"
	cp -a "$R/etc" etc.orig
	: >report
	k=0
	for v in rcconf files fifo etcdir hostetc; do
		rm -rf "$R/etc"
		cp -a etc.orig "$R/etc"
		plant $v "$R" 1
		bait_sums >sums
		atf_check -s exit:0 -o ignore -e empty jailer snap src@$v
		for t in eb new inherit; do
			k=$((k + 1))
			case $t in
			new) opts="-t new -b vtnet0" ;;
			*) opts="-t $t" ;;
			esac
			host_state_norm >before
			linked_run create $opts -s src@$v d$k
			case $rc in
			0)
				D="$JAILER_ROOT/usr/local/jails/d$k"
				for f in etc/rc.conf etc/resolv.conf; do
					[ -f "$D/$f" ] && [ ! -L "$D/$f" ] ||
					    atf_fail "$v/$t: $f of the copy is not a plain file"
				done
				ls "$D/etc" | grep -q '^start_if\.epair1b$' &&
				    atf_fail "$v/$t: the source's start_if was kept"
				cmp -s "$D/etc/resolv.conf" "$JAILER_ROOT/etc/resolv.conf" ||
				    atf_fail "$v/$t: resolv.conf is not the host's"
				echo "$v/$t: created; the links were replaced" >>report
				linked_run destroy d$k
				;;
			1)
				[ "$(grep -c '^jailer: ' err)" = 1 ] ||
				    atf_fail "$v/$t: refused without one error line: $(cat err)"
				host_state_norm >after
				diff -u before after ||
				    atf_fail "$v/$t: a refused create changed the host"
				echo "$v/$t: refused: $(cat err)" >>report
				;;
			*)
				atf_fail "$v/$t: exit status $rc: $(cat err)"
				;;
			esac
		done
	done
	cat report
	fs_outside_untouched
}

atf_test_case symlink_image
symlink_image_head()
{
	atf_set descr 'an image whose rc.conf and resolv.conf are links to host files: create never follows them'
	atf_set timeout 600
	sim_only "asserts the commands jailer runs (the simulated host's call log) (refused)"
}
symlink_image_body()
{
	require_sim
	host_with_image
	make_bait
	hostile_mirror
	TOKEN=x
	make_tarball links "$REL/base.txz" || atf_fail "cannot build the tarball"
	sum=$(sha256sum "$REL/base.txz" | cut -d' ' -f1)
	sed "s/^\(base.txz	\)[0-9a-f]*/\1$sum/" MANIFEST.orig >"$REL/MANIFEST"
	bait_sums >sums
	: >report
	linked_run image fetch 14.2-RELEASE
	[ "$rc" = 0 ] || atf_fail "the fetch failed: $(cat err)"
	ifconfig bridge0 create >/dev/null &&
	    ifconfig bridge0 inet 10.0.0.1/24 up >/dev/null ||
	    atf_fail "cannot create bridge0"
	for t in inherit eb; do
		host_state_norm >before
		linked_run create -t $t -r 14.2-RELEASE l$t
		if [ "$rc" = 0 ]; then
			D="$JAILER_ROOT/usr/local/jails/l$t"
			[ ! -L "$D/etc/rc.conf" ] && [ ! -L "$D/etc/resolv.conf" ] ||
			    atf_fail "$t: a link is left in the jail's etc"
			linked_run list
			linked_run destroy l$t
		else
			host_state_norm >after
			diff -u before after || atf_fail "$t: a refused create changed the host"
		fi
	done
	cat report
	fs_outside_untouched
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case table_arguments
	atf_add_test_case table_environment
	atf_add_test_case no_color
	atf_add_test_case manifest
	atf_add_test_case tarball
	atf_add_test_case symlink_jail_root
	atf_add_test_case symlink_snapshot
	atf_add_test_case symlink_image
}
