#!/bin/sh
# bench/run.sh: jailer's benchmarks on the simulated FreeBSD host.
#
#	sh bench/run.sh [--sizes 10,100,1000] [--reps 5]
#	sh bench/run.sh --check-populate [N]
#
# For each size N: a fresh simulated host (tests/fakebsd/mkhost, jailer
# init -y, jailer image fetch from the cached mkmirror mirror, bridge0),
# N jails made by bench/populate, then, for list, list -j, create, start,
# stop and destroy: the processes spawned (jailer's own, and those jail(8)
# spawns for its mounts, addresses and exec.* hooks), the wall time,
# jailer's own CPU time and its maximum resident set size.  Prints
# figures only: nothing here passes or fails on time.  See bench/README.md.
#
# --check-populate N makes N jails twice, with jailer create and with
# bench/populate, and compares the two hosts (exit 1 if they differ).
#
# Builds nothing: uses build/jailer (or $JAILER).  Needs python3 and
# bsdtar, like the test suite.

set -eu

usage()
{
	echo "usage: sh bench/run.sh [--sizes 10,100,1000] [--reps 5]"
	echo "       sh bench/run.sh --check-populate [N]"
}

sizes=10,100,1000
reps=5
check=
while [ $# -gt 0 ]; do
	case $1 in
	--sizes)	[ $# -ge 2 ] || { usage >&2; exit 2; }
			sizes=$2; shift 2 ;;
	--sizes=*)	sizes=${1#--sizes=}; shift ;;
	--reps)		[ $# -ge 2 ] || { usage >&2; exit 2; }
			reps=$2; shift 2 ;;
	--reps=*)	reps=${1#--reps=}; shift ;;
	--check-populate)
			check=12; shift
			case ${1:-} in
			[0-9]*) check=$1; shift ;;
			esac ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
done
case $sizes in
*[!0-9,]*|'') echo "run.sh: --sizes: comma-separated numbers" >&2; exit 2 ;;
esac
case $reps in
*[!0-9]*|''|0) echo "run.sh: --reps: a number" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd -P)
jailer=${JAILER:-$top/build/jailer}
if [ ! -x "$jailer" ]; then
	echo "run.sh: $jailer not found: run make first" >&2
	exit 1
fi
for t in python3 bsdtar; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "run.sh: $t is needed (see README.md, Try it)" >&2
		exit 1
	fi
done

# The simulated host's environment, as the tests get it (common.subr):
# the simulated tools first in PATH, the system python3 for them, and
# the release mirror built once by mkmirror and cached.
FAKEBSD_DIR=$top/tests/fakebsd
export FAKEBSD_DIR
. "$top/tests/common.subr"
_fakebsd_cache_dir
_fakebsd_python
_fakebsd_mirror
# The tools through the fast client next to jailer (make fakebsd) when it
# is built, as make check runs them; else through the python launcher.
FAKEBSD_BIN=$(dirname "$jailer")/fakebsd/bin
[ -x "$FAKEBSD_BIN/_tool" ] || FAKEBSD_BIN=$FAKEBSD_DIR/bin
PATH="$FAKEBSD_BIN${_FAKEBSD_PYBIN:+:$_FAKEBSD_PYBIN}:$PATH"
export FAKEBSD_BIN
FreeBSD_mirror="file://$FAKEBSD_MIRROR"
export PATH FreeBSD_mirror
unset FAKEBSD_FAIL JAILER_ROOT

work=$(mktemp -d "${TMPDIR:-/tmp}/jailer-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
# A copy, so that a rebuild during the run cannot change what is measured.
cp "$jailer" "$work/jailer"
JAILER=$work/jailer
export JAILER

if [ -n "$check" ]; then
	python3 "$top/bench/populate" check "$check"
	exit $?
fi

cat >"$work/measure.py" <<'EOF'
"""The measuring half of bench/run.sh (see there and bench/README.md)."""
import collections
import ctypes
import os
import shlex
import signal
import statistics
import subprocess
import sys
import time

top, work, sizes, REPS = (sys.argv[1], sys.argv[2],
                          [int(x) for x in sys.argv[3].split(',') if x],
                          int(sys.argv[4]))
JAILER = os.environ['JAILER']
POPULATE = os.path.join(top, 'bench', 'populate')
MUT_REPS = 3            # runs of each command that changes the host

# --- jailer's maximum RSS and CPU time, without its children's ---------
# wait4()/getrusage() (and so /usr/bin/time %M) report the largest of the
# process and its waited-for children: here a ~19 MB python tool, never
# jailer.  So jailer runs under ptrace with PTRACE_O_TRACEEXIT: when it
# exits, before its memory is released, VmHWM in /proc/PID/status is its
# own peak RSS and /proc/PID/schedstat its own time on a CPU.
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
                        ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long
PTRACE_TRACEME, PTRACE_CONT, PTRACE_SETOPTIONS = 0, 7, 0x4200
PTRACE_O_TRACEEXIT, PTRACE_EVENT_EXIT = 0x40, 6


def traceme():
    if libc.ptrace(PTRACE_TRACEME, 0, None, None) != 0:
        os._exit(126)


def ptrace_works():
    """Can this process trace its children (no seccomp or Yama veto)?"""
    try:
        p = subprocess.Popen(['true'], preexec_fn=traceme)
        _, st = os.waitpid(p.pid, 0)
        if not os.WIFSTOPPED(st):
            return False
        libc.ptrace(PTRACE_CONT, p.pid, None, None)
        _, st = os.waitpid(p.pid, 0)
        p.returncode = 0
        return os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0
    except (OSError, AttributeError):
        return False


PTRACE = os.path.isdir('/proc/self') and ptrace_works()


class Result(object):
    pass


def logpath():
    return os.path.join(os.environ['JAILER_ROOT'], '.fakebsd', 'calls.log')


def run_jailer(args, instrument):
    """Run jailer ARGS; returns a Result with wall (s), rc, the call log
    lines it added, and, when INSTRUMENT (jailer -v, under ptrace),
    jailer's own commands, hwm (KB) and cpu (s)."""
    r = Result()
    log = logpath()
    off = os.path.getsize(log)
    outp = os.path.join(work, 'out')
    errp = os.path.join(work, 'err')
    argv = [JAILER] + (['-v'] if instrument else []) + args
    r.hwm = r.cpu = None
    with open(outp, 'w') as fo, open(errp, 'w') as fe, \
            open(os.devnull) as fi:
        t0 = time.perf_counter()
        if not instrument or not PTRACE:
            p = subprocess.Popen(argv, stdin=fi, stdout=fo, stderr=fe)
            _, st, ru = os.wait4(p.pid, 0)
            p.returncode = r.rc = os.waitstatus_to_exitcode(st)
        else:
            p = subprocess.Popen(argv, stdin=fi, stdout=fo, stderr=fe,
                                 preexec_fn=traceme)
            pid = p.pid
            _, st = os.waitpid(pid, 0)          # stopped at exec
            libc.ptrace(PTRACE_SETOPTIONS, pid, None,
                        ctypes.c_void_p(PTRACE_O_TRACEEXIT))
            libc.ptrace(PTRACE_CONT, pid, None, None)
            while True:
                _, st, ru = os.wait4(pid, 0)
                if os.WIFEXITED(st) or os.WIFSIGNALED(st):
                    break
                sig = os.WSTOPSIG(st)
                if sig == signal.SIGTRAP and st >> 16 == PTRACE_EVENT_EXIT:
                    with open('/proc/%d/status' % pid) as f:
                        for l in f:
                            if l.startswith('VmHWM:'):
                                r.hwm = int(l.split()[1])
                    with open('/proc/%d/schedstat' % pid) as f:
                        r.cpu = int(f.read().split()[0]) / 1e9
                    sig = 0
                libc.ptrace(PTRACE_CONT, pid, None,
                            ctypes.c_void_p(sig) if sig else None)
            p.returncode = r.rc = os.waitstatus_to_exitcode(st)
        r.wall = time.perf_counter() - t0
    r.cpu_all = ru.ru_utime + ru.ru_stime
    with open(log, 'rb') as f:
        f.seek(off)
        r.log = [l for l in f.read().decode('utf-8', 'replace').split('\n')
                 if l]
    with open(outp) as f:
        r.out = f.read()
    with open(errp) as f:
        r.err = f.read()
    if instrument:
        r.cmds = []
        for l in r.err.split('\n'):
            if l.startswith('+ '):
                r.cmds += [c for c in l[2:].split(' | ')]
        r.err = '\n'.join(l for l in r.err.split('\n')
                          if not l.startswith('+ '))
    return r


def words(line):
    try:
        return tuple(shlex.split(line))
    except ValueError:
        return tuple(line.split())


def jail_own(w):
    """A command jail(8) runs itself: mount.devfs, ip4.addr aliases on
    `interface`, vnet.interface moves (not an exec.* hook)."""
    if w[0] in ('mount', 'umount'):
        return True
    return w[0] == 'ifconfig' and (w[-1] in ('alias', '-alias') or
                                   (len(w) >= 3 and w[2] in ('vnet',
                                                             '-vnet')))


def key(w):
    """How a spawn is named in the detail lines: the tool, and the
    subcommand for zfs, and the what for ifconfig."""
    if w[0] in ('zfs', 'zpool') and len(w) > 1:
        return '%s %s' % (w[0], w[1])
    if w[0] == 'ifconfig':
        if len(w) == 2 and w[1] == '-l':
            return 'ifconfig -l'
        if len(w) == 2:
            return 'ifconfig IF'
        for a in ('create', 'destroy', 'addm', 'deletem', 'vnet', 'alias',
                  '-alias', 'descr'):
            if a in w:
                return 'ifconfig %s' % a
    return w[0]


def classify(r):
    """Split the call log lines of an instrumented run R: jailer's own
    (matched against its -v trace), jail(8)'s own, and hooks."""
    pool = collections.Counter(words(l) for l in r.log)
    r.own, r.unmatched = [], 0
    for c in r.cmds:
        w = words(c)
        if pool[w] > 0:
            pool[w] -= 1
        else:
            r.unmatched += 1
        r.own.append(w)
    rest = list(pool.elements())
    r.jail = [w for w in rest if jail_own(w)]
    r.hooks = [w for w in rest if not jail_own(w)]


def fmt_counts(ws):
    c = collections.Counter(key(w) for w in ws)
    return ', '.join('%s%s' % (k, ' x%d' % n if n > 1 else '')
                     for k, n in c.items()) or '-'


def median_ms(xs):
    return statistics.median(xs) * 1000


# Are the tools coming through the fast client (make fakebsd)?
CLIENT = os.path.realpath(os.environ['FAKEBSD_BIN']) != \
    os.path.realpath(os.path.join(top, 'tests', 'fakebsd', 'bin'))


def tool_cost(reps):
    """Median wall time of a few simulated tool calls run directly:
    through the fast client and its server (the way the tests and this
    benchmark run them) and, for comparison, through the python launcher
    (FAKEBSD_DIRECT=1: a python start-up per call)."""
    def t(argv, direct=False):
        env = dict(os.environ)
        if direct:
            env['FAKEBSD_DIRECT'] = '1'
        xs = []
        for _ in range(max(reps, 9)):
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=True,
                           env=env)
            xs.append(time.perf_counter() - t0)
        return median_ms(xs)
    calls = (('uname -r', ['uname', '-r']),
             ('zfs get mountpoint', ['zfs', 'get', '-H', '-o', 'value',
                                     'mountpoint', 'zroot/jails']),
             ('jls -q (as list)', ['jls', '-q', 'jid', 'name',
                                   'host.hostname', 'vnet', 'ip4.addr',
                                   'path']))
    out = {'python3 -c pass': t(['python3', '-c', 'pass'])}
    for label, argv in calls:
        out[label] = t(argv)
        if CLIENT:
            out[label + ' [launcher]'] = t(argv, True)
    return out


def loadavg():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def row(label, runs, plain=None):
    """Summarise instrumented RUNS (and PLAIN timing runs if given)."""
    for r in runs:
        classify(r)
    r0 = runs[0]
    d = {'label': label, 'n': len(plain or runs),
         'own': [len(r.own) for r in runs],
         'jail': [len(r.jail) for r in runs],
         'hooks': [len(r.hooks) for r in runs],
         'total': [len(r.log) for r in runs],
         'wall': median_ms([r.wall for r in (plain or runs)]),
         'cpu': median_ms([r.cpu for r in runs if r.cpu is not None]
                          or [float('nan')]),
         'cpu_all': median_ms([r.cpu_all for r in (plain or runs)]),
         'hwm': max(r.hwm or 0 for r in runs),
         'rc': [r.rc for r in runs if r.rc != 0],
         'err': next((r.err.strip() for r in runs if r.rc != 0), ''),
         'unmatched': sum(r.unmatched for r in runs),
         'own_detail': fmt_counts(r0.own),
         'jail_detail': fmt_counts(r0.jail),
         'hooks_detail': fmt_counts(r0.hooks)}
    return d


def spread(xs):
    lo, hi = min(xs), max(xs)
    return str(lo) if lo == hi else '%d-%d' % (lo, hi)


def print_table(n, rows):
    print('  %-30s %4s  %-24s  %7s  %-15s  %6s' % (
        '', '', '-------- spawns --------', '', '---- CPU ms ---', ''))
    print('  %-30s %4s  %6s %7s %5s %5s  %7s  %7s %7s  %6s' % (
        'command', 'runs', 'jailer', 'jail(8)', 'hooks', 'total',
        'wall ms', 'jailer', 'all', 'RSS KB'))
    for d in rows:
        flag = ' !' if d['rc'] else ''
        print('  %-30s %4d  %6s %7s %5s %5s  %7.0f  %7.1f %7.0f  %6d%s' % (
            d['label'], d['n'], spread(d['own']), spread(d['jail']),
            spread(d['hooks']), spread(d['total']), d['wall'], d['cpu'],
            d['cpu_all'], d['hwm'], flag))
    print()
    print('  what jailer spawned itself, per run (from jailer -v):')
    for d in rows:
        extra = ''
        if d['jail_detail'] != '-' or d['hooks_detail'] != '-':
            extra = '\n  %-30s   jail(8): %s; hooks: %s' % (
                '', d['jail_detail'], d['hooks_detail'])
        print('  %-30s %s%s' % (d['label'], d['own_detail'], extra))
    for d in rows:
        if d['rc']:
            print('  ! %s: exit %s in %d of %d runs: %s' % (
                d['label'], d['rc'][0], len(d['rc']), d['n'],
                d['err'].replace('\n', ' / ')))
        if d['unmatched']:
            print('  ? %s: %d commands of the -v trace not in the call log'
                  % (d['label'], d['unmatched']))


def bench_size(n):
    host = os.path.join(work, 'host-%d' % n)
    os.environ['JAILER_ROOT'] = host
    subprocess.run([POPULATE, 'host', host], check=True)
    t0 = time.time()
    pop = subprocess.run([POPULATE, 'jails', str(n)], check=True,
                         stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.strip()
    tpop = time.time() - t0
    stsize = os.path.getsize(os.path.join(host, '.fakebsd', 'state.json'))
    print('=== %d jails (inherit, new and eb in turn; %d running; every '
          '4th a clone)' % (n, (n + 1) // 2))
    print('  bench/populate took %.1f s:' % tpop)
    for l in pop.split('\n'):
        print('    ' + l)
    print('  state.json %d KB; load average %s' % (stsize // 1024,
                                                  loadavg()))
    cost = tool_cost(REPS)
    print('  one simulated tool call (median of %d): %s' % (REPS, ', '.join(
        '%s %.1f ms' % kv for kv in cost.items())))
    print()
    rows = []
    # read-only: REPS timed runs, then one instrumented run
    for label, args in (('list', ['list']), ('list -j', ['list', '-j'])):
        plain = [run_jailer(args, False) for _ in range(REPS)]
        rows.append(row(label, [run_jailer(args, True)], plain))
        if label == 'list':
            lines = plain[0].out.split('\n')[1:]
            print('  jailer list shows %d jails, %d Active' % (
                sum(1 for l in lines if l.strip()),
                sum(1 for l in lines if ' Active ' in l)))
            print()
    # the population's first running jail of each type
    first = {}
    for i in range(1, n + 1):
        t = ('inherit', 'new', 'eb')[(i - 1) % 3]
        if i % 2 == 1 and t not in first:
            first[t] = 'j%04d' % i
    runs = collections.OrderedDict()

    def mut(label, args):
        runs.setdefault(label, []).append(run_jailer(args, True))
        r = runs[label][-1]
        return r.rc
    for k in range(1, MUT_REPS + 1):
        mut('create -C -t eb', ['create', '-C', '-t', 'eb',
                                        'bench-c%d' % k])
        mut('create -t inherit', ['create', '-t', 'inherit',
                                              'bench-f%d' % k])
    for t in ('eb', 'new', 'inherit'):
        if t not in first:
            continue
        for k in range(MUT_REPS):
            mut('stop (%s, running)' % t, ['stop', first[t]])
            mut('start (%s, stopped)' % t, ['start', first[t]])
    # set: a live jail -m on a running jail, and boot=off, which makes
    # rc.conf's jail_list name every other jail
    if 'eb' in first:
        for k in range(MUT_REPS):
            mut('set (running, live)', ['set', first['eb'],
                                        'allow.raw_sockets=on'])
            mut('set -u (running, live)', ['set', first['eb'], '-u',
                                           'allow.raw_sockets'])
            mut('set boot=off', ['set', first['eb'], 'boot=off'])
            mut('set boot=on', ['set', first['eb'], 'boot=on'])
    # limit: one rctl rule on a running jail among N (the conf file, the
    # kernel's rules read, one rctl -a), list with the rule present (it
    # must not run rctl), then the rule removed again
    if 'eb' in first:
        for k in range(MUT_REPS):
            mut('limit (running, live)', ['limit', first['eb'],
                                          'memoryuse=%dm' % (512 + k)])
            if k == 0:
                rows.append(row('list (a jail with limits)',
                                [run_jailer(['list'], True)]))
        for k in range(MUT_REPS):
            mut('limit del (running, live)', ['limit', 'del',
                                              first['eb'], 'memoryuse'])
            if k < MUT_REPS - 1:
                run_jailer(['limit', first['eb'], 'memoryuse=1g'], False)
    # mount: a live nullfs mount into a running jail among N (fstab file,
    # mount.fstab, mount -p checks, mount), list with the mount present
    # (it must not run mount), then umount
    if 'eb' in first:
        os.makedirs(os.path.join(host, 'srv', 'bench'), exist_ok=True)
        for k in range(MUT_REPS):
            mut('mount (running, live)', ['mount', first['eb'],
                                          '/srv/bench', '/bench%d' % k])
            if k == 0:
                rows.append(row('list (a jail with mounts)',
                                [run_jailer(['list'], True)]))
        for k in range(MUT_REPS):
            mut('umount (running, live)', ['umount', first['eb'],
                                           '/bench%d' % k])
    for k in range(1, MUT_REPS + 1):
        if mut('destroy (eb clone, running)',
               ['destroy', 'bench-c%d' % k]) != 0:
            run_jailer(['destroy', 'bench-c%d' % k], False)
        mut('destroy (inherit, running)',
            ['destroy', 'bench-f%d' % k])
    for label, rs in runs.items():
        rows.append(row(label, rs))
    print_table(n, rows)
    print('  load average after: %s' % loadavg())
    print()
    subprocess.run(['rm', '-rf', host])
    return {'rows': rows, 'cost': cost}


def main():
    rev = subprocess.run(['git', '-C', top, 'describe', '--always',
                          '--dirty'], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL,
                         universal_newlines=True).stdout.strip()
    ver = subprocess.run([JAILER, 'version'], stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.strip()
    print('jailer benchmarks: %s (tree %s), %d CPUs, python %s, %s' % (
        ver, rev or '?', os.cpu_count(), sys.version.split()[0],
        time.strftime('%Y-%m-%d %H:%M')))
    for l in (
            'spawns: the lines one command added to the simulated host\'s '
            'call log, i.e. processes:',
            '  jailer  = run by jailer itself (its -v trace, matched with '
            'the log)',
            '  jail(8) = run by jail(8) itself: mount/umount (mount.devfs), '
            'ifconfig alias (ip4.addr),',
            '            ifconfig vnet (vnet.interface)',
            '  hooks   = the exec.* hooks of the jail\'s conf file, run by '
            'jail(8)',
            'wall: median wall time (read-only commands: %d runs, the '
            'others: %d)' % (REPS, MUT_REPS),
            'CPU ms: jailer = jailer alone; all = jailer and every process '
            'under it (the simulation)',
            'RSS KB: jailer\'s own maximum resident set size.  '
            '"a-b": differs between runs; "!": failed'):
        print(l)
    if not PTRACE:
        print('(ptrace(2) is not available here: jailer\'s own CPU time and '
              'RSS are not measured: nan, 0)')
    print()
    res = collections.OrderedDict()
    for n in sizes:
        res[n] = bench_size(n)
    summary(res)


def summary(res):
    ns = list(res)
    print('=== summary, by number of jails: spawns (jailer\'s own / all), '
          'wall ms, jailer CPU ms, RSS KB')
    w = 7 * len(ns) - 1
    hdr = ' '.join('%6s' % n for n in ns)
    print('  %-30s %-*s  %-*s  %-*s  %-*s' % ('command', w, 'spawns', w,
                                             'wall ms', w, 'CPU ms', w,
                                             'RSS KB'))
    print('  %-30s %-*s  %-*s  %-*s  %-*s' % ('', w, hdr, w, hdr, w, hdr,
                                             w, hdr))
    labels = [d['label'] for d in res[ns[0]]['rows']]
    grows = []
    for lab in labels:
        ds = [next((d for d in res[n]['rows'] if d['label'] == lab), None)
              for n in ns]
        if None in ds:
            continue
        print('  %-30s %-*s  %-*s  %-*s  %-*s' % (
            lab, w, ' '.join('%6s' % ('%s/%s' % (spread(d['own']),
                                                 spread(d['total'])))
                             for d in ds),
            w, ' '.join('%6.0f' % d['wall'] for d in ds),
            w, ' '.join('%6.1f' % d['cpu'] for d in ds),
            w, ' '.join('%6d' % d['hwm'] for d in ds)))
        own = [max(d['own']) for d in ds]
        if len(set(own)) > 1:
            grows.append((lab, own, ds))
    print('  %-30s %-*s  %-*s' % ('one simulated tool call', w, '', w,
                                  ' '.join('%6.1f' % res[n]['cost'][
                                      'uname -r'] for n in ns)))
    print()
    for lab in ('list', 'list (a jail with limits)'):
        lst = [next((d for d in res[n]['rows'] if d['label'] == lab), None)
               for n in ns]
        if None in lst:
            continue
        print('  %s: %s processes at %s jails (design target: at most 3, '
              'whatever the number of jails).' % (
                  lab, ', '.join(spread(d['own']) for d in lst),
                  ', '.join(str(n) for n in ns)))
    if not grows:
        print('  jailer\'s own spawns do not change with the number of '
              'jails for any command measured.')
    for lab, own, ds in grows:
        print('  %s: jailer\'s own spawns change with the number of jails: '
              '%s (%s at the largest size).' % (
                  lab, ', '.join(str(x) for x in own),
                  ds[-1]['own_detail']))


main()
EOF
python3 "$work/measure.py" "$top" "$work" "$sizes" "$reps"
