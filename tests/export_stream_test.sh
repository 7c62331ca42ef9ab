# jailer export and import stream a jail of any size: a jail with 20 MiB
# of random data round-trips, through a file and through standard output,
# while jailer's own peak memory stays far below the size of the file.
# The other export and import cases are in export_test.sh and
# import_test.sh.

# mkjail, jroot, pf_host are in jailer.subr.

JAIL_DOMAIN=

# ---------------------------------------------------------------- tests

atf_test_case streamed
streamed_head()
{
	atf_set descr 'a jail with 20 MiB of random data round-trips through a file and through standard output; export and import stream it: the peak memory of jailer itself (VmHWM, by a preloaded probe) stays far below the file size'
	sim_only "two simulated hosts; /proc and cc for the probe"
}
# exp_probe: build peak.so; it writes jailer's VmHWM (kB) to $S_PEAK when
# jailer exits (never its children's: they are other programs).
exp_probe()
{
	[ -r /proc/self/status ] && command -v cc >/dev/null 2>&1 || return 1
	# Under AddressSanitizer ("make sanitize") the runtime must come
	# first in the library list and its shadow memory dwarfs the
	# figure: the round trip is still checked, the peak is not.
	if command -v ldd >/dev/null 2>&1 &&
	    ldd "$(command -v jailer)" 2>/dev/null | grep -q libasan; then
		echo "jailer is built with AddressSanitizer: no peak probe"
		return 1
	fi
	cat >peak.c <<'PEAK'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void peak(void) __attribute__((destructor));

static void
peak(void)
{
	char line[256], comm[64];
	const char *out;
	FILE *f, *o;

	if ((out = getenv("S_PEAK")) == NULL ||
	    (f = fopen("/proc/self/comm", "r")) == NULL)
		return;
	if (fgets(comm, sizeof(comm), f) == NULL ||
	    strcmp(comm, "jailer\n") != 0) {
		fclose(f);
		return;
	}
	fclose(f);
	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0 &&
		    (o = fopen(out, "w")) != NULL) {
			fprintf(o, "%ld\n", strtol(line + 6, NULL, 10));
			fclose(o);
		}
	fclose(f);
}
PEAK
	cc -shared -fPIC -o "$PWD/peak.so" peak.c 2>/dev/null
}
# exp_peak_ok WHAT: the probe wrote a peak under 8 MiB.
exp_peak_ok()
{
	local kb
	[ -n "$probe" ] || return 0
	[ -s "$S_PEAK" ] || atf_fail "$1: the probe wrote nothing"
	kb=$(cat "$S_PEAK")
	echo "$1: the peak RSS of jailer: $kb kB"
	[ "$kb" -lt 8192 ] || atf_fail "$1: the peak RSS of jailer is $kb kB"
	rm -f "$S_PEAK"
}
streamed_body()
{
	require_sim
	pf_host
	mkjail w1 -t eb -a 10.0.0.10
	echo "jail made: $(date +%T)"
	head -c 20971520 /dev/urandom >"$(jroot w1)/root/big"
	cksum <"$(jroot w1)/root/big" >big.sum
	probe=
	S_PEAK=$PWD/peak.out
	export S_PEAK
	if exp_probe; then
		probe="LD_PRELOAD=$PWD/peak.so"
	fi
	atf_check -s exit:0 -o ignore -e empty env $probe jailer export w1 "$PWD/w1.jexp"
	exp_peak_ok export
	echo "exported: $(date +%T)"
	size=$(wc -c <w1.jexp | tr -d ' ')
	[ "$size" -gt 20971520 ] || atf_fail "the file has only $size bytes"
	atf_check -s exit:0 -o save:stdout.jexp -e empty env $probe jailer export w1 -
	exp_peak_ok 'export -'
	echo "exported to stdout: $(date +%T)"
	atf_check -s exit:0 -o inline:'jailer-export 1\n' head -1 stdout.jexp
	# No temporary file is left next to the file.
	atf_check -s exit:0 -o inline:'w1.jexp\n' sh -c 'ls | grep jexp | grep -v stdout'
	rm -rf "$JAILER_ROOT"
	pf_host
	atf_check -s exit:0 -o match:'^Importing w1 .*Done!$' -e empty \
	    env $probe jailer import "$PWD/stdout.jexp"
	exp_peak_ok import
	echo "imported: $(date +%T)"
	atf_check -s exit:0 -o file:big.sum sh -c 'cksum <"$1"' sh "$(jroot w1)/root/big"
	# The other file verifies too (its stream hashed in chunks, xz -d).
	atf_check -s exit:0 -o match:'^verified ' -e empty \
	    env $probe jailer import -D "$PWD/w1.jexp" w2
	exp_peak_ok 'import -D'
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case streamed
}
