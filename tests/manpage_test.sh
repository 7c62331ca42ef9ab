# The manual page: clean under mandoc -Tlint, and documenting every
# command and flag the binary has.

atf_test_case lint
lint_head()
{
	atf_set descr 'mandoc -Tlint finds nothing in jailer.8'
	atf_set require.progs mandoc
}
lint_body()
{
	atf_check -s exit:0 -o empty -e empty \
	    mandoc -Tlint -Wwarning "$(atf_get_srcdir)/man/jailer.8"
	# jailer-template(5), from the source tree (run.sh links src there).
	atf_check -s exit:0 -o empty -e empty mandoc -Tlint -Wwarning \
	    "$(atf_get_srcdir)/src/../man/jailer-template.5"
}

atf_test_case every_command_documented
every_command_documented_head()
{
	atf_set descr 'every command in jailer help has its entry in jailer.8'
	atf_set require.progs mandoc
}
every_command_documented_body()
{
	host_fresh
	mandoc -Tascii "$(atf_get_srcdir)/man/jailer.8" | col -b >page ||
	    atf_fail "mandoc failed"
	jailer help | sed -n 's/^  //p' >usage
	[ -s usage ] || atf_fail "jailer help printed no commands"
	while read -r line; do
		# "image fetch [release]" -> "image fetch"
		words=$(echo "$line" | awk '{
			out = $1
			for (i = 2; i <= NF; i++) {
				if ($i ~ /^[a-z]+$/) out = out " " $i
				else break
			}
			print out
		}')
		grep -q "jailer.* $words" page ||
		    grep -q "^ *$words" page ||
		    atf_fail "jailer.8 does not document '$words'"
	done <usage
}

atf_test_case every_flag_documented
every_flag_documented_head()
{
	atf_set descr 'every flag in a usage line appears in jailer.8'
	atf_set require.progs mandoc
}
every_flag_documented_body()
{
	host_fresh
	mandoc -Tascii "$(atf_get_srcdir)/man/jailer.8" | col -b >page ||
	    atf_fail "mandoc failed"
	for c in $(jailer help | sed -n 's/^  \([a-z]*\).*/\1/p' | sort -u); do
		jailer help $c
	done >usage
	# Flags stand after '[' or a blank: "[-CDn]", " -p tcp".
	grep -o -- '[[ ]-[A-Za-z]\{1,\}' usage | cut -c3- | sed 's/./&\n/g' |
	    sort -u | grep . >letters
	[ -s letters ] || atf_fail "found no flags in the usage lines"
	: >missing
	while read -r l; do
		grep -q -- "-$l" page || echo "-$l" >>missing
	done <letters
	[ -s missing ] && atf_fail "jailer.8 does not document: $(tr '\n' ' ' <missing)"
	return 0
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case lint
	atf_add_test_case every_command_documented
	atf_add_test_case every_flag_documented
}
