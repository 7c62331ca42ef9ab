# The command table: usage, help, prefixes, version, exit statuses.

atf_test_case usage_no_command
usage_no_command_head()
{
	atf_set descr 'no command prints the usage on stderr and exits 2'
}
usage_no_command_body()
{
	host_fresh
	atf_check -s exit:2 -o empty -e match:'^usage: jailer' jailer
	atf_check -s exit:0 -o match:'^usage: jailer' -e empty jailer -h
}

atf_test_case help_lists_every_command
help_lists_every_command_head()
{
	atf_set descr 'jailer help lists every command from the table'
}
help_lists_every_command_body()
{
	host_fresh
	atf_check -s exit:0 -o save:help -e empty jailer help
	for c in 'init \[-y\]' 'init info' 'image fetch' 'image list' \
	    'image use' 'network use' 'create ' 'list ' 'info ' 'start ' \
	    'stop ' 'restart ' 'startall' 'stopall' 'console ' 'exec ' \
	    'edit ' 'destroy ' 'snap \[-D' 'snap list' 'snap destroy' \
	    'rollback ' 'help ' 'version'; do
		grep -q "^  $c" help || atf_fail "help does not list '$c'"
	done
	# Aliases are not listed.
	atf_check -s exit:1 grep -q '^  snapshot' help
}

atf_test_case help_one_command
help_one_command_head()
{
	atf_set descr 'help CMD and CMD help print the same usage'
}
help_one_command_body()
{
	host_fresh
	atf_check -s exit:0 -o save:a -e empty jailer help image fetch
	atf_check -s exit:0 -o save:b -e empty jailer image fetch -h
	atf_check -s exit:0 -o empty cmp a b
	atf_check -s exit:0 -o match:'jailer image fetch \[-p\] \[-D \[-j\]\] \[release\]' cat a
	atf_check -s exit:0 -o match:'jailer create \[-CDn\]' -e empty \
	    jailer create -h
	atf_check -s exit:0 -o match:'jailer nat add' -e empty jailer nat help
	atf_check -s exit:0 -o match:'jailer nat add' -e empty jailer nat -h
	atf_check -s exit:2 -o empty -e match:"unknown command 'nosuch'" \
	    jailer help nosuch
}

atf_test_case help_is_no_operand
help_is_no_operand_head()
{
	atf_set descr 'help where a jail name or another operand is expected is refused, the host unchanged'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
help_is_no_operand_body()
{
	require_sim
	local row rc n first bad
	host_with_image
	jailer create -t inherit web >/dev/null 2>&1 ||
	    atf_fail "jailer create web failed"
	jailer snap web@s1 >/dev/null 2>&1 || atf_fail "jailer snap failed"
	save_host
	bad=
	while IFS= read -r row; do
		[ -n "$row" ] || continue
		# shellcheck disable=SC2086
		jailer $row >out 2>err </dev/null
		rc=$?
		n=$(grep -c '' err)
		IFS= read -r first <err || first=
		case $rc in
		1)	[ "$n" = 1 ] || bad="$bad|$row: $n lines on stderr" ;;
		2)	;;
		*)	bad="$bad|$row: exit status $rc" ;;
		esac
		case $rc:$first in
		1:'jailer: '*help*|2:'jailer '*) ;;
		*)	bad="$bad|$row: unexpected error: $first" ;;
		esac
		[ -s out ] && bad="$bad|$row: stdout not empty: $(head -1 out)"
	done <<EOF
destroy help
destroy -f help
destroy web help
start help
stop help
stop -f help
restart help
info help
info -j help
exec help true
exec help
console help
edit help
snap help
snap help@x
snapshot help@x
snap list help
snap list -j help
snap destroy help@x
snap destroy web@help
rollback help@x
rollback -f help@x
rollback web@help
create help
create -n help
create -s help@s1 x
rdr add -p tcp -r 8080 help
rdr list help
rdr del help -f
rdr del help -n 1
nat add help
nat list help
nat del help
image fetch help
image use help
image list help
network use help
init help
init info help
init pf help
init dhcp help
init bridge help
list help
gc help
startall help
stopall help
version help
EOF
	[ -z "$bad" ] || atf_fail "$(echo "$bad" | tr '|' '\n')"
	assert_host_unchanged
}

atf_test_case prefix_matching
prefix_matching_head()
{
	atf_set descr 'unambiguous prefixes run the command, ambiguous ones are named'
}
prefix_matching_body()
{
	host_fresh
	atf_check -s exit:0 -o match:'^jailer [0-9]' -e empty jailer v
	atf_check -s exit:0 -o match:'FreeBSD release' -e empty jailer ini inf
	atf_check -s exit:2 -o empty \
	    -e inline:"jailer: ambiguous command 'st': start, stop, startall, stopall\n" \
	    jailer st x
	atf_check -s exit:2 -o empty -e match:"unknown command 'frobnicate'" \
	    jailer frobnicate
	# Exact names win over longer ones.
	atf_check -s exit:1 -o empty -e match:'not initialised' jailer stop x
}

atf_test_case unknown_option
unknown_option_head()
{
	atf_set descr 'unknown options and missing arguments are usage errors (2)'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
unknown_option_body()
{
	require_sim
	host_fresh
	atf_check -s exit:2 -o empty -e match:'unknown option -x' jailer -x
	atf_check -s exit:2 -o empty -e match:'unknown option -q' jailer init -q
	atf_check -s exit:2 -o empty \
	    -e match:'option -z needs an argument' jailer init -z
	atf_check -s exit:2 -o empty -e match:'usage:' jailer init -q
}

atf_test_case needs_init
needs_init_head()
{
	atf_set descr 'commands that need an initialised host say to run jailer init'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
needs_init_body()
{
	require_sim
	host_fresh
	save_host
	for c in "image list" "image fetch" "image use" "network use" \
	    "list" "create x" "start x" "destroy x" "snap list"; do
		atf_check -s exit:1 -o empty \
		    -e inline:"jailer: this host is not initialised: run 'jailer init'\n" \
		    jailer $c
	done
	assert_host_unchanged
}

atf_test_case verbose_echoes_commands
verbose_echoes_commands_head()
{
	atf_set descr '-v echoes every external command on stderr'
	sim_only "runs jailer init, on a host whose pools and rc.conf it knows"
}
verbose_echoes_commands_body()
{
	require_sim
	host_fresh
	atf_check -s exit:0 -o ignore -e match:'^\+ uname -m -p -r$' \
	    jailer -v init info
}

atf_test_case version
version_head()
{
	atf_set descr 'version prints one line; -j one JSON object with the same version'
}
version_body()
{
	host_fresh
	atf_check -s exit:0 -o match:'^jailer [0-9]+\.[0-9]+\.[0-9]+$' \
	    -e empty jailer version
	v=$(jailer version | cut -d' ' -f2)
	atf_check -s exit:0 -o inline:"$v\n" -e empty python3 -c '
import json, subprocess
d = json.loads(subprocess.check_output(["jailer", "version", "-j"]))
assert list(d) == ["version"], d
print(d["version"])'
	atf_check -s exit:2 -o empty -e match:'no arguments' jailer version x
	atf_check -s exit:2 -o empty -e match:'no arguments' jailer version -j x
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case usage_no_command
	atf_add_test_case help_lists_every_command
	atf_add_test_case help_one_command
	atf_add_test_case help_is_no_operand
	atf_add_test_case prefix_matching
	atf_add_test_case unknown_option
	atf_add_test_case needs_init
	atf_add_test_case verbose_echoes_commands
	atf_add_test_case version
}
