#!/bin/sh
#
# Run jailer's test suite: stage the test programs in the layout FreeBSD
# installs tests in (BUILD/tests, like /usr/tests/jailer), run them with
# Kyua and print "N passed, N failed" from Kyua's report.
#
# usage: sh tests/run.sh [BUILD [PROGRAM[:CASE] ...]]
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

sh "$top/tests/need-tools.sh" || exit 1

rm -rf "$stage"
mkdir -p "$stage/sbin" "$stage/man"
cp "$build/jailer" "$stage/sbin/jailer"
cp "$top/man/jailer.8" "$stage/man/jailer.8"
cp "$top/tests/common.subr" "$top/tests/jailer.subr" "$stage/"
cp -R "$top/tests/golden" "$stage/golden"
ln -s "$top/tests/fakebsd" "$stage/fakebsd"
ln -s "$top/src" "$stage/src"		# for house_test
# The simulated host's fast client (make fakebsd), built here if missing.
if [ ! -x "$build/fakebsd/bin/_tool" ]; then
	(cd "$top" && ${MAKE:-make} -s BUILD="$build" fakebsd) || exit 1
fi
cp -R "$build/fakebsd/bin" "$stage/fbbin"
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

rm -f "$results"
kyua -v parallelism="${JOBS:-2}" test -k "$stage/Kyuafile" -r "$results" \
    "$@" >"$build/kyua.log" 2>&1
status=$?
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
