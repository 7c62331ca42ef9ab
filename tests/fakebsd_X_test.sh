# The simulated tools export and import use, as strict as their manual
# pages: xz(1) (fakebsd/archive.py) and zfs send -i/-I with the receive
# of an incremental stream (fakebsd/zfs.py).

atf_test_case xz_tool
xz_tool_head()
{
	atf_set descr 'xz: -z/-d round trip, files with .xz, -k; unknown options, corrupt, truncated and foreign input refused with xz messages'
	sim_only "the simulated xz"
}
xz_tool_body()
{
	require_sim
	host_fresh
	printf 'hello\n' >in.txt
	xz -z -c -q -T 1 <in.txt >in.xz || atf_fail "xz -z failed"
	atf_check -s exit:0 -o inline:'fd377a585a\n' \
	    sh -c "head -c 5 in.xz | od -An -tx1 | tr -d ' \\n'; echo"
	atf_check -s exit:0 -o inline:'hello\n' xz -d -c <in.xz
	atf_check -s exit:0 -o inline:'hello\n' xz -dc in.xz
	cp in.txt "$JAILER_ROOT/f"
	atf_check -s exit:0 xz -k /f
	atf_check -s exit:0 test -f "$JAILER_ROOT/f" -a -f "$JAILER_ROOT/f.xz"
	atf_check -s exit:1 -e inline:'xz: /f.xz: File exists\n' xz /f
	atf_check -s exit:1 -e inline:"xz: invalid option -- 'y'\nxz: Try \`xz --help' for more information.\n" xz -y
	atf_check -s exit:1 -e match:"unrecognized option '--best'" xz --best
	atf_check -s exit:1 -e inline:'xz: (stdin): File format not recognized\n' \
	    sh -c 'echo abc | xz -d -c'
	head -c 20 in.xz >short.xz
	atf_check -s exit:1 -e inline:'xz: (stdin): Unexpected end of input\n' \
	    sh -c 'xz -d -c <short.xz'
	python3 -c 'import sys
d = bytearray(open("in.xz", "rb").read()); d[30] ^= 1
open("bad.xz", "wb").write(d)'
	atf_check -s exit:1 -e inline:'xz: (stdin): Compressed data is corrupt\n' \
	    sh -c 'xz -d -c <bad.xz'
	assert_called 'xz -z -c -q -T 1'
}

atf_test_case zfs_incremental
zfs_incremental_head()
{
	atf_set descr 'zfs send -i/-I and receive: onto the base only, a modified target refused without -F, a missing or later base refused, with zfs messages'
	sim_only "the simulated zfs"
}
zfs_incremental_body()
{
	require_sim
	host_fresh
	atf_check -s exit:0 zfs create zroot/a
	echo one >"$JAILER_ROOT/zroot/a/f"
	atf_check -s exit:0 zfs snapshot zroot/a@1
	echo two >"$JAILER_ROOT/zroot/a/f"
	atf_check -s exit:0 zfs snapshot zroot/a@2
	echo three >"$JAILER_ROOT/zroot/a/f"
	atf_check -s exit:0 zfs snapshot zroot/a@3
	zfs send zroot/a@1 >full || atf_fail "full send failed"
	zfs send -i @1 zroot/a@2 >i12 || atf_fail "send -i failed"
	zfs send -I zroot/a@1 zroot/a@3 >i13 || atf_fail "send -I failed"
	atf_check -s exit:1 -e match:"incremental source \\(zroot/a@3\\) is not earlier than it" \
	    sh -c 'zfs send -i @3 zroot/a@1 >/dev/null'
	atf_check -s exit:0 zfs create zroot/o
	atf_check -s exit:0 zfs snapshot zroot/o@1
	atf_check -s exit:1 -e match:'incremental source must be in same filesystem' \
	    sh -c 'zfs send -i zroot/o@1 zroot/a@3 >/dev/null'
	atf_check -s exit:1 -e match:"destination 'zroot/b' does not exist" \
	    sh -c 'zfs recv zroot/b <i12'
	atf_check -s exit:0 sh -c 'zfs recv zroot/b <full'
	atf_check -s exit:1 -e match:'most recent snapshot of zroot/o does not' \
	    sh -c 'zfs recv zroot/o <i12'
	echo local >"$JAILER_ROOT/zroot/b/g"
	atf_check -s exit:1 -e match:'destination zroot/b has been modified' \
	    sh -c 'zfs recv zroot/b <i12'
	atf_check -s exit:0 sh -c 'zfs recv -F zroot/b <i12'
	atf_check -s exit:0 -o inline:'two\n' cat "$JAILER_ROOT/zroot/b/f"
	atf_check -s not-exit:0 test -e "$JAILER_ROOT/zroot/b/g"
	atf_check -s exit:1 -e match:'most recent snapshot of zroot/b does not' \
	    sh -c 'zfs recv zroot/b <i13'
	atf_check -s exit:0 sh -c 'zfs rollback -r zroot/b@1'
	atf_check -s exit:0 sh -c 'zfs recv zroot/b <i13'
	atf_check -s exit:0 -o inline:'zroot/b@1\nzroot/b@2\nzroot/b@3\n' \
	    zfs list -H -o name -t snapshot -s createtxg -r zroot/b
	atf_check -s exit:0 -o inline:'three\n' cat "$JAILER_ROOT/zroot/b/f"
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case xz_tool
	atf_add_test_case zfs_incremental
}
