#!/bin/sh
#
# Build and run jailer's fuzz targets (tests/fuzz/fuzz_*.c).
#
#   sh tests/fuzz/run.sh [--time SECONDS] [--jobs N] [TARGET ...]
#	Build every target (or those named) with clang and
#	-fsanitize=fuzzer,address,undefined into build/fuzz/, and run each
#	for SECONDS (default 30) on a copy of its seed corpus
#	tests/fuzz/corpus/TARGET/ (the committed corpus is never modified),
#	N targets at a time (default: the number of CPUs).  Prints, per
#	target, the executions done and the crashes found; crash inputs are
#	left in build/fuzz/work/TARGET/artifacts/.
#
#   sh tests/fuzz/run.sh --replay-only [--cc gcc|clang] [--no-sanitize]
#	Build replay drivers (replay.c + each target) with the compiler
#	(default gcc, else clang) and AddressSanitizer + UBSan (none with
#	--no-sanitize), and replay the committed corpora and every
#	regression input tests/fuzz/regress/TARGET-*.  No libFuzzer needed.
#	This is what CI runs; it takes a few seconds.
#
# Exit status: 0 when nothing crashed and every replay passed, 1 when a
# target crashed or a replay failed, 2 on a usage or build error.
#
# Everything is built here, without the Makefile: the library sources are
# read from LIBSRCS in the Makefile (falling back to src/*.c without
# main.c and cmd_*.c).

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
fz=$top/tests/fuzz
out=$top/build/fuzz
seconds=30
replay=0
cc=
sanitize=1
jobs=
targets=

usage()
{
	sed -n 's/^#   //p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--time)		[ $# -ge 2 ] || usage; seconds=$2; shift ;;
	--time=*)	seconds=${1#--time=} ;;
	--jobs|-j)	[ $# -ge 2 ] || usage; jobs=$2; shift ;;
	--replay-only)	replay=1 ;;
	--cc)		[ $# -ge 2 ] || usage; cc=$2; shift ;;
	--cc=*)		cc=${1#--cc=} ;;
	--no-sanitize)	sanitize=0 ;;
	-h|--help)	usage ;;
	-*)		echo "run.sh: unknown option $1" >&2; usage ;;
	*)		targets="$targets $1" ;;
	esac
	shift
done
case $seconds in
''|*[!0-9]*)	echo "run.sh: --time needs a number of seconds" >&2; exit 2 ;;
esac

all=$(cd "$fz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
if [ -z "$targets" ]; then
	targets=$all
else
	for t in $targets; do
		[ -f "$fz/fuzz_$t.c" ] || {
			echo "run.sh: no target $t (have: $(echo $all))" >&2
			exit 2
		}
	done
fi
if [ -z "$jobs" ]; then
	jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
fi

# The library: LIBSRCS from the Makefile, continuation lines joined.
libsrcs=$(awk '
	/^LIBSRCS[ \t]*[?:]?=/ { on = 1; sub(/^LIBSRCS[ \t]*[?:]?=/, "") }
	on { line = $0; cont = sub(/\\$/, "", line); printf "%s ", line;
	     if (!cont) exit }' "$top/Makefile")
if [ -z "$(echo $libsrcs)" ]; then
	libsrcs=$(cd "$top" && ls src/*.c | grep -v -e '^src/main\.c$' \
	    -e '^src/cmd_')
fi

warns="-std=c11 -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes
    -Wmissing-prototypes -Wformat=2"
defs="-D_DEFAULT_SOURCE -I$top/src -I$fz"

# build FLAVOUR CC "CFLAGS" "LDFLAGS" EXTRA_SOURCE: compile the library
# once per flavour (in parallel), then link build/fuzz/FLAVOUR/TARGET
# for every target.  Prints what failed.
build()
{
	flavour=$1 bcc=$2 bcflags=$3 bldflags=$4 extra=$5
	dir=$out/$flavour
	mkdir -p "$dir/obj" || return 1
	(cd "$top" && for s in $libsrcs; do echo "$s"; done) |
	    xargs -P "$jobs" -I{} sh -c '
		s=$1; o=$2/obj/$(basename "$s" .c).o
		if [ ! -f "$o" ] || [ "$3/$s" -nt "$o" ] ||
		    [ -n "$(find "$3/src" -name "*.h" -newer "$o")" ]; then
			$4 $5 -c -o "$o" "$3/$s" || exit 255
		fi' sh {} "$dir" "$top" "$bcc" "$bcflags" || {
		echo "run.sh: $flavour: building the library failed" >&2
		return 1
	}
	objs=
	for s in $libsrcs; do
		objs="$objs $dir/obj/$(basename "$s" .c).o"
	done
	for t in $targets; do
		if [ -f "$dir/$t" ] && [ -z "$(find "$fz/fuzz_$t.c" \
		    "$fz/fuzz.h" $extra $objs -newer "$dir/$t")" ]; then
			continue
		fi
		$bcc $bcflags -Werror -o "$dir/$t" "$fz/fuzz_$t.c" $extra \
		    $objs $bldflags || {
			echo "run.sh: $flavour: building $t failed" >&2
			return 1
		}
	done
}

LSAN_OPTIONS="print_suppressions=0"
# A single allocation over 256 MB is a bug (an input of a few KB never
# needs one); failing it keeps a runaway input from eating the machine.
ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:allocator_may_return_null=0"
ASAN_OPTIONS="$ASAN_OPTIONS:max_allocation_size_mb=256:hard_rss_limit_mb=2048"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS

# ---------------------------------------------------------------------
# Replay.
if [ $replay -eq 1 ]; then
	if [ -z "$cc" ]; then
		if command -v gcc >/dev/null 2>&1; then cc=gcc; else cc=clang; fi
	fi
	command -v "$cc" >/dev/null 2>&1 || {
		echo "run.sh: no compiler $cc" >&2
		exit 2
	}
	start=$(date +%s)
	if [ $sanitize -eq 1 ]; then
		san="-fsanitize=address,undefined -fno-sanitize-recover=all"
		flavour=replay-$cc-san
	else
		san=
		flavour=replay-$cc
	fi
	flags="$warns $defs -O1 -g -fno-omit-frame-pointer $san"
	build "$flavour" "$cc" "$flags" "" "$fz/replay.c" || exit 2
	mkdir -p "$out/tmp"
	TMPDIR=$out/tmp
	export TMPDIR
	fail=0
	for t in $targets; do
		bin=$out/$flavour/$t
		if [ -d "$fz/corpus/$t" ]; then
			if res=$("$bin" "$fz/corpus/$t" 2>"$out/$flavour/$t.log")
			then
				printf '%-9s corpus:     %s\n' "$t" "$res"
			else
				printf '%-9s corpus:     FAILED (%s)\n' "$t" \
				    "$out/$flavour/$t.log"
				sed -n '/replay: this input failed/p;
				    /property failed/,+1p; /ERROR: /p;
				    /runtime error/p' \
				    "$out/$flavour/$t.log" | head -5
				fail=1
			fi
		fi
		for r in "$fz/regress/$t"-*; do
			[ -f "$r" ] || continue
			log=$out/$flavour/$(basename "$r").log
			if "$bin" "$r" >/dev/null 2>"$log"; then
				printf '%-9s regression: %s: ok\n' "$t" \
				    "$(basename "$r")"
			else
				printf '%-9s regression: %s: FAILED (%s)\n' \
				    "$t" "$(basename "$r")" "$log"
				sed -n '/property failed/,+1p; /ERROR: /p;
				    /runtime error/p' "$log" | head -3
				fail=1
			fi
		done
	done
	echo "replay with $cc$([ $sanitize -eq 1 ] && echo ' + ASan/UBSan'):" \
	    "$(($(date +%s) - start)) s"
	exit $fail
fi

# ---------------------------------------------------------------------
# Fuzz.
cc=${cc:-clang}
command -v "$cc" >/dev/null 2>&1 || {
	echo "run.sh: $cc not found; on Debian: apt-get install clang" >&2
	exit 2
}
probe=$out/probe
mkdir -p "$probe"
cat > "$probe/p.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
EOF
if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" \
    >"$probe/log" 2>&1; then
	ver=$("$cc" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
	echo "run.sh: $cc cannot link libFuzzer:" >&2
	sed 's/^/  /' "$probe/log" | head -5 >&2
	echo "run.sh: on Debian install it as root:" \
	    "apt-get install libclang-rt-${ver:-14}-dev" \
	    "(Debian 12: libclang-rt-14-dev; Debian 11: libclang-common-11-dev)" >&2
	exit 2
fi
flags="$warns $defs -O1 -g -fno-omit-frame-pointer
    -fsanitize=address,undefined -fno-sanitize-recover=all"
build fuzz "$cc" "$flags -fsanitize=fuzzer-no-link" "-fsanitize=fuzzer" "" ||
    exit 2

maxlen()
{
	case $1 in
	validate)	echo 256 ;;
	addr)		echo 1100 ;;
	conf|manifest|ifconfig) echo 4096 ;;
	index)		echo 8192 ;;
	*)		echo 2048 ;;
	esac
}

# run_one TARGET: fuzz it for $seconds on a copy of its corpus.
run_one()
{
	t=$1
	w=$out/work/$t
	rm -rf "$w"
	mkdir -p "$w/corpus" "$w/artifacts" "$w/tmp"
	if [ -d "$fz/corpus/$t" ]; then
		cp -R "$fz/corpus/$t/." "$w/corpus/"
	fi
	dict=
	[ -f "$fz/dict/$t.dict" ] && dict=-dict=$fz/dict/$t.dict
	TMPDIR=$w/tmp "$out/fuzz/$t" "$w/corpus" $dict \
	    -max_total_time="$seconds" -max_len="$(maxlen "$t")" \
	    -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 \
	    -print_final_stats=1 \
	    -artifact_prefix="$w/artifacts/" >"$w/log" 2>&1
	echo $? >"$w/status"
}

start=$(date +%s)
echo "fuzzing $(echo $targets | wc -w) targets for $seconds s each," \
    "$jobs at a time"
running=0
for t in $targets; do
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

fail=0
printf '%-9s %12s %8s %7s  %s\n' TARGET EXECUTIONS CORPUS CRASHES STATUS
for t in $targets; do
	w=$out/work/$t
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" |
	    tail -1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' \
	    "$w/log" | tail -1)
	ncorp=$(ls "$w/corpus" | wc -l)
	ncrash=$(ls "$w/artifacts" | grep -c -e '^crash-' -e '^leak-' \
	    -e '^timeout-' -e '^oom-')
	st=$(cat "$w/status" 2>/dev/null || echo '?')
	if [ "$ncrash" -gt 0 ] || [ "$st" != 0 ]; then
		status="FAILED (exit $st): $w/log"
		fail=1
	else
		status=ok
	fi
	printf '%-9s %12s %8s %7s  %s\n' "$t" "${execs:-?}" "$ncorp" \
	    "$ncrash" "$status"
	for a in $(ls "$w/artifacts"); do
		echo "          $w/artifacts/$a"
	done
done
echo "fuzzing took $(($(date +%s) - start)) s"
exit $fail
