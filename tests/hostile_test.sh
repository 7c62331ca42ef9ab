# Hostile input for init, image and network: every argument is fed values
# that must never reach a tool, a file name or the terminal unescaped.
#
# Each value must be refused with one error line (exit 1), or with a usage
# error (exit 2: one "jailer CMD: why" line, then the usage block), leave
# the host as it was and run no command that changes anything.

# hostile_value N: the N-th generic hostile value (1..HOSTILE_N).
HOSTILE_N=14
hostile_value()
{
	case $1 in
	1) printf '%s' '../../etc' ;;
	2) printf '%s' 'x;y' ;;
	3) printf '%s' 'a b' ;;
	4) printf '%s' '$(id)' ;;
	5) printf "'" ;;
	6) printf 'a\nb' ;;
	7) printf '%065d' 0 | tr 0 a ;;		# 65 characters
	8) printf '%s' '-x' ;;
	9) printf '' ;;
	10) printf '\303\251t\303\251' ;;	# UTF-8 "été"
	11) printf '%s' '%s%n%x' ;;
	12) printf '%s' '*' ;;
	13) printf 'a\tb' ;;
	14) printf '%s' '`id`' ;;
	esac
}

# The call log holds no command that changes the host.
assert_no_mutation_hostile()
{
	if calls | grep -E '^(zfs (create|destroy|snapshot|snap|set|inherit|rename|clone|promote|rollback|recv|receive|mount|unmount|umount)|zpool (create|destroy)|fetch|tar|sysrc|service|ifconfig|jail|pkg|pfctl)( |$)' \
	    >"$PWD/.mutating"; then
		cat "$PWD/.mutating"
		atf_fail "$2: a mutating command ran for [$1]"
	fi
}

# check_refused VALUE RUNNER: RUNNER VALUE must be refused cleanly.
check_refused()
{
	local v="$1" fn="$2" rc shown
	shown=$(printf '%s' "$v" | od -An -c | tr -s ' ' | head -c 120)
	calls_reset
	"$fn" "$v" >out 2>err
	rc=$?
	case $rc in
	1)
		[ "$(wc -l <err | tr -d ' ')" = 1 ] ||
		    { cat err; atf_fail "$fn [$shown]: not one line on stderr"; }
		grep -q '^jailer: ' err ||
		    { cat err; atf_fail "$fn [$shown]: the error does not start with 'jailer: '"; }
		;;
	2)
		head -1 err | grep -qE '^jailer( [a-z]+)*: ' ||
		    { cat err; atf_fail "$fn [$shown]: bad usage error line"; }
		sed -n 2p err | grep -qx 'usage:' ||
		    { cat err; atf_fail "$fn [$shown]: no usage after the error"; }
		[ "$(sed -n '3,$p' err | grep -vc '^  jailer ')" = 0 ] ||
		    { cat err; atf_fail "$fn [$shown]: stray lines after the usage"; }
		;;
	*)
		cat out err
		atf_fail "$fn [$shown]: exit status $rc, expected 1 or 2"
		;;
	esac
	# No terminal control characters in the message.
	if LC_ALL=C grep -q '[[:cntrl:]]' err; then
		od -c err
		atf_fail "$fn [$shown]: control characters on stderr"
	fi
	[ -s out ] && [ -z "$HOSTILE_STDOUT_OK" ] &&
	    { cat out; atf_fail "$fn [$shown]: output on stdout"; }
	assert_no_mutation_hostile "$shown" "$fn"
	assert_host_unchanged
}

# hostile_table RUNNER [EXTRA VALUE...]: every generic value, then the
# extras, except the generic values listed in HOSTILE_SKIP (numbers).
hostile_table()
{
	local fn="$1" i
	shift
	save_host
	i=1
	while [ $i -le $HOSTILE_N ]; do
		case " $HOSTILE_SKIP " in
		*" $i "*) ;;
		*) check_refused "$(hostile_value $i)" "$fn" ;;
		esac
		i=$((i + 1))
	done
	for v in "$@"; do
		check_refused "$v" "$fn"
	done
	fs_outside_untouched
}

# --------------------------------------------------------------- runners

run_init_z() { jailer init -y -z "$1"; }
run_init_d() { jailer init -y -d "$1"; }
run_init_m() { jailer init -y -m "$1"; }
run_fetch() { jailer image fetch "$1"; }
run_use() { jailer image use "$1"; }
run_list() { jailer image list "$1"; }
run_network() { jailer network use "$1"; }
run_mirror_fetch() { env FreeBSD_mirror="$1" jailer image fetch; }
run_mirror_remote() { env FreeBSD_mirror="$1" jailer image list remote; }

# ---------------------------------------------------------------- tables

atf_test_case init_z
init_z_head()
{
	atf_set descr 'hostile values for init -z POOL'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
init_z_body()
{
	require_sim
	host_fresh
	# 7: a 65-character pool name is a valid name; there is no such pool.
	hostile_table run_init_z 'zroot/jails' 'zroot ' ' zroot' 'zroot@x' \
	    'zroot#x' 'zr%oot' '.zroot'
}

atf_test_case init_d
init_d_head()
{
	atf_set descr 'hostile values for init -d POOL/DATASET'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
init_d_body()
{
	require_sim
	host_fresh
	hostile_table run_init_d 'zroot/a b' 'zroot/x;y' 'zroot/$(id)' \
	    'zroot/../etc' 'zroot/./x' 'zroot//x' 'zroot/' '/zroot/jails' \
	    'zroot/jails@snap' 'zroot/jails#bm' "zroot/it's" \
	    "$(printf 'zroot/a\nb')" "$(printf 'zroot/\303\251t\303\251')" \
	    'nope/jails' "zroot/$(printf '%0250d' 0)"
}

atf_test_case init_m
init_m_head()
{
	atf_set descr 'hostile values for init -m MOUNTPOINT'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
init_m_body()
{
	require_sim
	host_fresh
	hostile_table run_init_m /etc relative / /usr /usr/local /var /boot \
	    /etc/jails /dev/x /boot/jails /usr/local/jails/../../etc \
	    /usr/./local/jails /usr/local/jails/ //usr/local/jails \
	    '/usr/local/a b' '/usr/local/x;y' '/usr/local/$(id)' \
	    "/usr/local/it's" "$(printf '/usr/local/a\nb')" \
	    "$(printf '/usr/local/\303\251t\303\251')" '/usr/local/*'
}

atf_test_case image_fetch
image_fetch_head()
{
	atf_set descr 'hostile values for image fetch RELEASE'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
image_fetch_body()
{
	require_sim
	host_ready
	hostile_table run_fetch '14.3-RELEASE;id' '14.3-RELEASE/../../x' \
	    '../14.3-RELEASE' ' 14.3-RELEASE' '14.3-RELEASE ' \
	    "$(printf '14.3-RELEASE\nx')" '14.3-RELEASE-p1' '14.3-release' \
	    '14.3-STABLE' '99999.0-RELEASE' '14.3-RC99999' '15.0-RELEASE'
	test ! -e root/usr/local/jails/image || atf_fail "image/ was created"
}

atf_test_case image_use
image_use_head()
{
	atf_set descr 'hostile values for image use RELEASE'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
image_use_body()
{
	require_sim
	host_with_image
	hostile_table run_use '14.3-RELEASE;id' '14.3-RELEASE/../dist-files' \
	    'dist-files' ' 14.3-RELEASE' '14.3-RELEASE ' \
	    "$(printf '14.3-RELEASE\nx')" '14.3-RELEASE@base' '14.2-RELEASE'
	test ! -e root/usr/local/jails/image/.default ||
	    atf_fail "image/.default was written"
}

atf_test_case image_list
image_list_head()
{
	atf_set descr 'hostile values for image list [remote]'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
image_list_body()
{
	require_sim
	host_with_image
	hostile_table run_list 'Remote' 'remote;id' ' remote' '14.3-RELEASE'
}

atf_test_case network_use
network_use_head()
{
	atf_set descr 'hostile values for network use TYPE'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
network_use_body()
{
	require_sim
	host_ready
	hostile_table run_network foo ng 'eb;id' ' eb' 'eb ' \
	    "$(printf 'eb\nnew')" EB 'inherit\' none
	test ! -e root/usr/local/jails/.default_nettype ||
	    atf_fail ".default_nettype was written"
}

atf_test_case mirror_fetch
mirror_fetch_head()
{
	atf_set descr 'hostile FreeBSD_mirror values for image fetch'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
mirror_fetch_body()
{
	require_sim
	host_ready
	# 9: an empty FreeBSD_mirror means the default mirror.  Output on
	# stdout is checked in mirror_checked_first.
	HOSTILE_SKIP=9
	HOSTILE_STDOUT_OK=yes
	hostile_table run_mirror_fetch 'file:///x;rm' 'javascript:x' \
	    'http://127.0.0.1/a b' 'http://127.0.0.1/$(id)' \
	    "http://127.0.0.1/'" "$(printf 'http://127.0.0.1/a\nb')" \
	    'file:///../../etc' 'http://127.0.0.1/../../x' 'file://relative' \
	    'ftp:/x' '/usr/local/mirror' 'HTTP://127.0.0.1/' \
	    'http://127.0.0.1/`id`' "$(printf 'http://\303\251t\303\251/')" \
	    "http://127.0.0.1/$(printf '%0600d' 0)"
}

atf_test_case mirror_remote
mirror_remote_head()
{
	atf_set descr 'hostile FreeBSD_mirror values for image list remote'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (hostile_table)"
}
mirror_remote_body()
{
	require_sim
	host_ready
	HOSTILE_SKIP=9
	hostile_table run_mirror_remote 'file:///x;rm' 'javascript:x' \
	    'http://127.0.0.1/a b' 'http://127.0.0.1/$(id)' \
	    "$(printf 'http://127.0.0.1/a\nb')" 'file:///../../etc' \
	    'file://relative' "$(printf 'http://\303\251t\303\251/')"
}

# ------------------------------------------------------- exact messages

atf_test_case brief_examples
brief_examples_head()
{
	atf_set descr 'the exact errors for the examples of the brief'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
brief_examples_body()
{
	require_sim
	host_fresh
	save_host
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid dataset name 'zroot/a b': invalid character\n" \
	    jailer init -d 'zroot/a b'
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid mount point '/etc': a system directory\n" \
	    jailer init -m /etc
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid mount point 'relative': must be an absolute path\n" \
	    jailer init -m relative
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid mount point '/usr/local/jails/../../etc': '.' and '..' are not allowed\n" \
	    jailer init -m /usr/local/jails/../../etc
	assert_host_unchanged

	atf_check -s exit:0 -o ignore -e empty jailer init -y
	atf_check -s exit:0 -o ignore -e empty jailer image fetch
	save_host
	calls_reset
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid release '../../etc': expected a version like 14.3-RELEASE or 15.0-RC1\n" \
	    jailer image fetch ../../etc
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid release 'x;y': expected a version like 14.3-RELEASE or 15.0-RC1\n" \
	    jailer image use 'x;y'
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid release 'a\\\\nb': expected a version like 14.3-RELEASE or 15.0-RC1\n" \
	    jailer image use "$(printf 'a\nb')"
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: invalid network type 'foo': use inherit, new or eb\n" \
	    jailer network use foo
	atf_check -s exit:1 -o ignore \
	    -e inline:"jailer: FreeBSD_mirror 'file:///x;rm': invalid character in URL\n" \
	    env FreeBSD_mirror='file:///x;rm' jailer image fetch 14.2-RELEASE
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: FreeBSD_mirror 'file:///x;rm': invalid character in URL\n" \
	    env FreeBSD_mirror='file:///x;rm' jailer image list remote
	atf_check -s exit:1 -o ignore \
	    -e inline:"jailer: FreeBSD_mirror 'javascript:x': must be an http://, https://, ftp:// or file:/// URL\n" \
	    env FreeBSD_mirror=javascript:x jailer image fetch 14.2-RELEASE
	atf_check -s exit:1 -o empty \
	    -e inline:"jailer: FreeBSD_mirror 'javascript:x': must be an http://, https://, ftp:// or file:/// URL\n" \
	    env FreeBSD_mirror=javascript:x jailer image list remote
	assert_no_mutation_hostile "brief" "brief_examples"
	assert_host_unchanged
}

atf_test_case long_value_shortened
long_value_shortened_head()
{
	atf_set descr 'a very long hostile value is cut short in the error message'
}
long_value_shortened_body()
{
	host_ready
	long=$(printf '%04000d' 0 | tr 0 x)
	atf_check -s exit:1 -o empty -e save:err jailer network use "$long"
	[ "$(wc -c <err)" -lt 400 ] || atf_fail "the message is $(wc -c <err) bytes"
	atf_check -s exit:0 -o ignore grep -F "xxx...'" err
}

atf_test_case mirror_checked_first
mirror_checked_first_head()
{
	atf_set descr 'a hostile FreeBSD_mirror is refused before the fetch starts'
	sim_only "asserts the commands jailer runs (the simulated host's call log) (calls_reset)"
}
mirror_checked_first_body()
{
	require_sim
	host_ready
	save_host
	calls_reset
	atf_check -s exit:1 -o save:out -e match:'^jailer: FreeBSD_mirror' \
	    env FreeBSD_mirror='file:///x;rm' jailer image fetch
	assert_host_unchanged
	atf_check -s exit:0 -o empty cat out
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case init_z
	atf_add_test_case init_d
	atf_add_test_case init_m
	atf_add_test_case image_fetch
	atf_add_test_case image_use
	atf_add_test_case image_list
	atf_add_test_case network_use
	atf_add_test_case mirror_fetch
	atf_add_test_case mirror_remote
	atf_add_test_case brief_examples
	atf_add_test_case long_value_shortened
	atf_add_test_case mirror_checked_first
}
