# jailer edit: $EDITOR on a copy of the conf file, saved only when it
# still parses and defines just this jail; hostile EDITOR values refused.

# mkjail and jconf are in jailer.subr.

# editor NAME BODY: an editor script ($1 is the file) in the work
# directory; prints its path.
editor()
{
	printf '#!/bin/sh\n%s\n' "$2" >"$PWD/$1"
	chmod +x "$PWD/$1"
	echo "$PWD/$1"
}

# edit_a_refused SCRIPT BODY PATTERN: "jailer edit a" with an editor
# SCRIPT (running BODY on the file) fails with an error matching PATTERN,
# and the host is unchanged.
edit_a_refused()
{
	local ed
	ed=$(editor "$1" "$2")
	atf_check -s exit:1 -o empty -e match:"$3" env EDITOR="$ed" jailer edit a
	assert_host_unchanged
}

# No edit copy may be left in TMPDIR, except the one an error names.
no_edit_copies()
{
	if ls "${TMPDIR:-/tmp}"/jailer-edit.* >/dev/null 2>&1; then
		ls -l "${TMPDIR:-/tmp}"/jailer-edit.*
		atf_fail "an edit copy was left behind"
	fi
}

atf_test_case saved
saved_head()
{
	atf_set descr 'an edit that parses is saved, and applies at the next start'
}
saved_body()
{
	host_with_image
	mkjail a
	cp "$(jconf a)" orig
	EDITOR=$(editor ed.sh 'echo "# edited by the test" >>"$1"')
	export EDITOR
	atf_check -s exit:0 \
	    -o inline:'/etc/jail.conf.d/a.conf: saved; the changes apply when the jail next starts\n' \
	    -e empty jailer edit a
	{ cat orig; echo '# edited by the test'; } >expected
	atf_check -s exit:0 -o file:expected cat "$(jconf a)"
	no_edit_copies
	# A real change: the new host name shows after a restart.
	EDITOR=$(editor ed2.sh 'sed -i.bak "s/\${name}\.\${domain}/renamed.example.org/" "$1" && rm -f "$1.bak"')
	atf_check -s exit:0 -o match:'saved' -e empty jailer edit a
	atf_check -s exit:0 -o inline:'a.example.org\n' jls -j a host.hostname
	atf_check -s exit:0 -o ignore -e empty jailer restart a
	atf_check -s exit:0 -o inline:'renamed.example.org\n' jls -j a host.hostname
	no_edit_copies
}

atf_test_case no_changes
no_changes_head()
{
	atf_set descr 'an editor that changes nothing leaves the file alone'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
no_changes_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	atf_check -s exit:0 \
	    -o inline:'/etc/jail.conf.d/a.conf: no changes\n' -e empty \
	    env EDITOR=true jailer edit a
	assert_host_unchanged
	no_edit_copies
}

atf_test_case syntax_error
syntax_error_head()
{
	atf_set descr 'an edit that does not parse is refused, the file kept, the edit kept aside'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
syntax_error_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	ed=$(editor ed.sh 'echo "oops {" >>"$1"')
	atf_check -s exit:1 -o empty -e save:err env EDITOR="$ed" jailer edit a
	atf_check -s exit:0 -o match:'^jailer: a: /etc/jail.conf.d/a.conf line [0-9]+: ' \
	    head -1 err
	atf_check -s exit:0 -o match:'was not changed' cat err
	assert_host_unchanged
	# The edit is where the message says.
	kept=$(sed -n 's/.*your edit is in \(.*\)$/\1/p' err)
	[ -n "$kept" ] || atf_fail "the message does not say where the edit is"
	atf_check -s exit:0 -o match:'^oops \{$' cat "$kept"
	rm -f "$kept"
	edit_a_refused ed2.sh \
	    'echo "a { path = /x }" >"$1"' \
	    '^jailer: a: '
}

atf_test_case rename_refused
rename_refused_head()
{
	atf_set descr 'an edit that renames the jail or adds another one is refused'
	sim_only "compares the simulated host's files and state.json (edit_a_refused)"
}
rename_refused_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	edit_a_refused ed.sh \
	    'sed -i.bak "s/^a {/other {/" "$1"; rm -f "$1.bak"' \
	    '^jailer: a: the file must define the jail a and nothing else'
	edit_a_refused ed2.sh \
	    'echo "b { path = /tmp; }" >>"$1"' \
	    'must define the jail a and nothing else'
}

atf_test_case global_statement_refused
global_statement_refused_head()
{
	atf_set descr 'an edit that adds a parameter outside the block (it would apply to every jail) is refused'
	sim_only "compares the simulated host's files and state.json (edit_a_refused)"
}
global_statement_refused_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	edit_a_refused ed.sh \
	    'echo "allow.raw_sockets;" >>"$1"' \
	    '^jailer: a: '
}

atf_test_case hostile_editor
hostile_editor_head()
{
	atf_set descr 'EDITOR must name a program: shell command lines are refused, never run'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
hostile_editor_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	for e in 'vi; rm -rf /' "touch $PWD/ran" 'vi $(touch ran)' 'vi`id`' \
	    '-x' 'vi|sh' 'a&b'; do
		atf_check -s exit:1 -o empty \
		    -e match:'^jailer: EDITOR=.*must be the name or path of a program$' \
		    env EDITOR="$e" jailer edit a
	done
	atf_check -s not-exit:0 -o ignore test -e ran
	atf_check -s not-exit:0 -o ignore test -e "$PWD/ran"
	assert_host_unchanged
	no_edit_copies
}

atf_test_case editor_fails
editor_fails_head()
{
	atf_set descr 'a failing editor leaves the file unchanged, exit 1'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
editor_fails_body()
{
	require_sim
	host_with_image
	mkjail a
	save_host
	ed=$(editor ed.sh 'echo "# half" >>"$1"; exit 3')
	atf_check -s exit:1 -o empty -e match:'^jailer: a: ' env EDITOR="$ed" jailer edit a
	atf_check -s exit:1 -o empty -e match:'^jailer: a: ' env EDITOR=false jailer edit a
	assert_host_unchanged
	no_edit_copies
}

atf_test_case unknown_jail
unknown_jail_head()
{
	atf_set descr 'edit of an unknown jail is an error; usage errors exit 2'
	sim_only "compares the simulated host's files and state.json (assert_host_unchanged)"
}
unknown_jail_body()
{
	require_sim
	host_with_image
	save_host
	atf_check -s exit:1 -o empty -e inline:'jailer: nosuch: no such jail\n' \
	    env EDITOR=true jailer edit nosuch
	atf_check -s exit:2 -o empty -e match:'expected one jail name' jailer edit
	atf_check -s exit:2 -o empty -e match:'expected one jail name' \
	    jailer edit a b
	assert_host_unchanged
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case saved
	atf_add_test_case no_changes
	atf_add_test_case syntax_error
	atf_add_test_case rename_refused
	atf_add_test_case global_statement_refused
	atf_add_test_case hostile_editor
	atf_add_test_case editor_fails
	atf_add_test_case unknown_jail
}
