#!/bin/sh
#
# Run jailer's test suite: stage the test programs in the layout FreeBSD
# installs tests in (BUILD/tests, like /usr/tests/jailer), run them with
# Kyua and print "N passed, N failed" from Kyua's report.
#
# usage: sh tests/run.sh [BUILD [PROGRAM[:CASE] ...]]
#
# MODE=sim (the default) runs the suite on the simulated host (fakebsd/).
# MODE=real runs it on this FreeBSD host, as root, against the installed
# jailer (README.md, "Running the tests on a real FreeBSD host"; the
# modes: tests/jailer.subr), one test at a time:
#   JAILER_BIN  the jailer under test (default /usr/local/sbin/jailer,
#               where make install puts it)
#   MIRROR      a local release mirror (default BUILD/mirror): the host's
#               release is fetched into it from MIRROR_SITE (default
#               https://download.FreeBSD.org/ftp) when it is not there
#
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
case $build in
/*) ;;
*) build=$top/$build ;;
esac
stage=$build/tests
results=$build/results.db
mode=${MODE:-sim}
case $mode in
sim|real) ;;
*) echo "run.sh: MODE is '$mode', not sim or real" >&2; exit 2 ;;
esac

sh "$top/tests/need-tools.sh" || exit 1

rm -rf "$stage"
mkdir -p "$stage/sbin" "$stage/man"
cp "$build/jailer" "$stage/sbin/jailer"
cp "$top/man/jailer.8" "$stage/man/jailer.8"
cp "$top/tests/common.subr" "$top/tests/jailer.subr" "$top/tests/real.subr" \
    "$stage/"
cp -R "$top/tests/golden" "$stage/golden"
ln -s "$top/tests/fakebsd" "$stage/fakebsd"
ln -s "$top/src" "$stage/src"		# for house_test
# The simulated host's fast client (make fakebsd), built here if missing
# (real mode has no simulated host).
if [ "$mode" = sim ] && [ ! -x "$build/fakebsd/bin/_tool" ]; then
	(cd "$top" && ${MAKE:-make} -s BUILD="$build" fakebsd) || exit 1
fi
[ -x "$build/fakebsd/bin/_tool" ] && cp -R "$build/fakebsd/bin" "$stage/fbbin"
{
	echo 'syntax(2)'
	echo 'test_suite("jailer")'
	for t in "$build"/unit/*_test; do
		[ -x "$t" ] || continue
		cp "$t" "$stage/"
		echo "atf_test_program{name=\"$(basename "$t")\"}"
	done
	for t in "$top"/tests/*_test.sh; do
		[ -f "$t" ] || continue
		n=$(basename "$t" .sh)
		if [ -e "$stage/$n" ]; then
			echo "run.sh: tests/$n.sh and the unit test $n share a" \
			    "name: one would hide the other" >&2
			exit 1
		fi
		{ echo '#! /usr/bin/env atf-sh'; cat "$t"; } >"$stage/$n"
		chmod 755 "$stage/$n"
		echo "atf_test_program{name=\"$n\"}"
	done
} >"$stage/Kyuafile"

# Sanitizer builds: leaks in libatf-c are not ours; stop at the first error.
LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
ASAN_OPTIONS="abort_on_error=0:detect_leaks=1"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS

# One mirror for the whole run (Kyua gives each test its own TMPDIR).
FAKEBSD_CACHE=$build/fakebsd-cache
export FAKEBSD_CACHE

# real_mirror DIR: DIR holds the release of this host, as a mirror
# (releases/ARCH/MACHINE_ARCH/RELEASE/{MANIFEST,base.txz}) for
# FreeBSD_mirror=file://DIR; fetched from MIRROR_SITE when missing.
real_mirror()
{
	local rel d site f
	[ "$(uname -s)" = FreeBSD ] || return 0	# the tests skip
	rel=$(uname -r | sed -E 's/-p[0-9]+$//')
	d="$1/releases/$(uname -m)/$(uname -p)/$rel"
	site=${MIRROR_SITE:-https://download.FreeBSD.org/ftp}
	mkdir -p "$d" || return 1
	for f in MANIFEST base.txz; do
		[ -s "$d/$f" ] && continue
		echo "run.sh: fetching $site/releases/$(uname -m)/$(uname -p)/$rel/$f" >&2
		fetch -q -o "$d/$f.part" \
		    "$site/releases/$(uname -m)/$(uname -p)/$rel/$f" &&
		    mv "$d/$f.part" "$d/$f" || return 1
	done
}

# real_leftovers: the pools and md devices of tests that could not clean
# up after themselves (killed by a timeout; real.subr).
real_leftovers()
{
	local p u
	[ "$(uname -s)" = FreeBSD ] && [ "$(id -u)" = 0 ] || return 0
	for p in $(zpool list -H -o name 2>/dev/null | grep '^jailertest[0-9]*$')
	do
		echo "run.sh: destroying the leftover pool $p" >&2
		zpool destroy -f "$p"
	done
	for u in $(mdconfig -l -v 2>/dev/null |
	    awk '$4 ~ /\/jailertest[0-9]+\.img$/ { print $1 }'); do
		echo "run.sh: detaching the leftover $u" >&2
		mdconfig -d -u "${u#md}"
	done
}

set -- -v parallelism="${JOBS:-2}" test -k "$stage/Kyuafile" -r "$results" "$@"
if [ "$mode" = real ]; then
	mirror=${MIRROR:-$build/mirror}
	case $mirror in
	/*) ;;
	*) mirror=$top/$mirror ;;
	esac
	real_mirror "$mirror" ||
	    { echo "run.sh: cannot fill the mirror $mirror" >&2; exit 1; }
	# One test at a time: they share the host's /etc and /usr/local/jails.
	shift 2
	set -- -v parallelism=1 \
	    -v test_suites.jailer.mode=real \
	    -v test_suites.jailer.mirror="$mirror" \
	    -v test_suites.jailer.jailer="${JAILER_BIN:-/usr/local/sbin/jailer}" \
	    "$@"
fi

rm -f "$results"
kyua "$@" >"$build/kyua.log" 2>&1
status=$?
[ "$mode" = real ] && real_leftovers
grep -E '(failed|broken)' "$build/kyua.log" | grep -v '^Results' || true
kyua report -r "$results" --verbose --results-filter=broken,failed \
    >"$build/report.txt" 2>&1
grep -q 'Test cases:' "$build/report.txt" || cat "$build/kyua.log"
summary=$(grep '^Test cases:' "$build/report.txt")
if grep -qE '(broken|failed)$' "$build/kyua.log"; then
	sed -n '/===> Failed tests/,$p;/===> Broken tests/,$p' \
	    "$build/report.txt" | head -200
fi
echo "$summary"
# "Test cases: T total, S skipped, X expected failures, B broken, F failed"
echo "$summary" | awk '{
	for (i = 1; i <= NF; i++) {
		gsub(",", "", $i)
		if ($(i + 1) ~ /^total/) t = $i
		if ($(i + 1) ~ /^skipped/) s = $i
		if ($(i + 1) ~ /^expected/) x = $i
		if ($(i + 1) ~ /^broken/) b = $i
		if ($(i + 1) ~ /^failed/) f = $i
	}
	printf "%d passed, %d failed, %d skipped\n", t - s - x - b - f, b + f, s
}'
exit $status
