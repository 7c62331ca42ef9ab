# The shape of the source tree (docs/ARCHITECTURE.md, "The layers"): the
# command layer only parses, calls and prints; no file grows past what a
# reader takes in; the modules depend on each other in one direction.

# The sources: STAGE/src (tests/run.sh links it) or ../src.
src_dir()
{
	local d
	d="$(atf_get_srcdir)/src"
	[ -d "$d" ] || d="$(atf_get_srcdir)/../src"
	[ -f "$d/main.c" ] || atf_fail "no sources next to $(atf_get_srcdir)"
	echo "$d"
}

# long_functions MAX FILE...: "FILE: LINES: NAME" for each function
# definition (a line starting with its name, up to the first "}" in
# column 1) longer than MAX lines.
long_functions()
{
	local max=$1
	shift
	awk -v max="$max" '
	/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; start = FNR }
	/^}/ {
		if (name != "" && FNR - start > max)
			print FILENAME ": " FNR - start ": " name
		name = ""
	}' "$@"
}

atf_test_case file_sizes
file_sizes_head()
{
	atf_set descr 'no file in src/ is over 700 lines'
}
file_sizes_body()
{
	d=$(src_dir)
	wc -l "$d"/*.c "$d"/*.h | awk '$2 != "total" && $1 > 700' >big
	[ ! -s big ] || { cat big; atf_fail "files over 700 lines"; }
}

atf_test_case command_functions
command_functions_head()
{
	atf_set descr 'no function in src/cmd_*.c is over 60 lines, none in the library over 80'
}
command_functions_body()
{
	d=$(src_dir)
	long_functions 60 "$d"/cmd*.c >long
	[ ! -s long ] || { cat long; atf_fail "command functions over 60 lines"; }
	long_functions 80 "$d"/*.c >long
	[ ! -s long ] || { cat long; atf_fail "functions over 80 lines"; }
	# the check itself sees a long function
	{
		echo 'f(void)'
		echo '{'
		for i in $(seq 70); do echo '	x();'; done
		echo '}'
	} >probe.c
	long_functions 60 probe.c >probe.out
	grep -qx 'probe.c: 72: f(void)' probe.out ||
	    { cat probe.out; atf_fail "long_functions missed a 73-line function"; }
}

atf_test_case no_dependency_cycle
no_dependency_cycle_head()
{
	atf_set descr 'the modules of src/ (which file uses a symbol another defines) form no cycle'
	atf_set require.progs 'cc nm python3'
	atf_set timeout 300
}
no_dependency_cycle_body()
{
	d=$(src_dir)
	mkdir objs
	for f in "$d"/*.c; do
		cc -std=c11 -D_DEFAULT_SOURCE -c "$f" \
		    -o "objs/$(basename "$f" .c).o" || atf_fail "cc $f failed"
	done
	cat >cycles.py <<'EOF'
import glob, os, subprocess, sys
defs, used = {}, {}
for o in sorted(glob.glob(sys.argv[1] + '/*.o')):
    m = os.path.basename(o)[:-2]
    defs[m], used[m] = set(), set()
    out = subprocess.run(['nm', o], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'TDBRC':
            defs[m].add(f[2])
        elif len(f) == 2 and f[0] == 'U':
            used[m].add(f[1])
owner = {s: m for m, ss in defs.items() for s in ss}
deps = {m: {owner[s] for s in used[m] if s in owner} - {m} for m in defs}
# Tarjan: strongly connected components with more than one module.
index, low, stack, on, comps = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in sorted(deps[v]):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            comps.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(deps):
    if v not in index:
        visit(v)
for c in comps:
    print('cycle: ' + ' '.join(c))
print('%d modules' % len(deps))
EOF
	python3 cycles.py objs >out || atf_fail "cycles.py failed"
	grep -q '^[1-9][0-9]* modules$' out || { cat out; atf_fail "no modules read"; }
	! grep '^cycle:' out || atf_fail "the modules of src/ depend on each other in a cycle"
	# the check itself sees a cycle
	mkdir probe
	printf 'int b(void);\nint a(void) { return b(); }\n' >probe/a.c
	printf 'int a(void);\nint b(void) { return a(); }\n' >probe/b.c
	cc -c probe/a.c -o probe/a.o && cc -c probe/b.c -o probe/b.o ||
	    atf_fail "cc failed"
	atf_check -o match:'^cycle: a b$' python3 cycles.py probe
}

atf_test_case mode_marks
mode_marks_head()
{
	atf_set descr 'every test case that uses a simulated-only helper is marked sim_only in its head and starts its body with require_sim, and only those start with it'
	atf_set require.progs python3
}
mode_marks_body()
{
	d=$(atf_get_srcdir)
	cat >marks.py <<'PROBE'
# marks.py SUBR... -- PROGRAM...: check the mode marks (jailer.subr).
import re, sys
args = sys.argv[1:]
sep = args.index('--')
subrs, progs = args[:sep], args[sep + 1:]
# What only the simulated host has: a body that uses one of these,
# itself or through a helper, needs the marks.
SIM = re.compile(r'\b(host_state|save_host|assert_host_unchanged|calls|'
                 r'calls_reset|calls_count|assert_called|assert_not_called|'
                 r'FAKEBSD_FAIL|host_sweep|kill_at_call|host_norm_state\w*|'
                 r'mkhost|fakebsd_setup)\b(?![.])|state\.json|\.fakebsd/|'
                 r'(?:^|(?<=[\s;&|(]))reboot\b', re.M)
# Mode-aware: they call the simulated host's set-up only in sim mode.
AWARE = {'host_fresh', 'host_install_jailer', 'require_sim', 'sim_only',
         'jailer_mode'}
def strip(t):
    return '\n'.join(re.sub(r'(^|\s)#.*', '', l) for l in t.split('\n'))
def data_out(text):
    """text without the here-documents ending in PROBE (this test's own)."""
    out, skip = [], False
    for l in text.split('\n'):
        if skip:
            skip = l != 'PROBE'
            continue
        out.append(l)
        skip = re.search(r"<<-?\s*'?PROBE'?", l) is not None
    return '\n'.join(out)
def funcs(text):
    out, name = {}, None
    for l in text.split('\n'):
        m = re.match(r'^([A-Za-z_][A-Za-z0-9_]*)\(\)\s*$', l)
        if m and name is None:
            name, buf = m.group(1), []
        elif name is not None and not buf and l == '{':
            pass
        elif name is not None:
            if l == '}':
                out[name], name = '\n'.join(buf), None
            else:
                buf.append(l)
    return out
def sim_use(text, table, seen):
    m = SIM.search(strip(text))
    if m:
        return m.group(0)
    for w in sorted(set(re.findall(r'\b[A-Za-z_]\w*\b', strip(text)))):
        if w in table and w not in seen and w not in AWARE:
            seen.add(w)
            if sim_use(table[w], table, seen):
                return w
    return None
common = {}
for f in subrs:
    common.update(funcs(open(f).read()))
bad, ncases, nsim = [], 0, 0
for prog in progs:
    text = data_out(open(prog).read())
    fs = funcs(text)
    table = dict(common)
    table.update({k: v for k, v in fs.items()
                  if not k.endswith(('_head', '_body', '_cleanup'))})
    name = re.sub(r'.*/', '', prog)
    for c in re.findall(r'^atf_test_case\s+(\w+)', text, re.M):
        ncases += 1
        head = strip(fs.get(c + '_head', ''))
        body = fs.get(c + '_body', '')
        marked = re.search(r'^\s*sim_only\s+\S', head, re.M) is not None
        first = next((l.strip() for l in strip(body).split('\n')
                      if l.strip()), '')
        use = sim_use(body + '\n' + fs.get(c + '_cleanup', ''), table, set())
        nsim += marked
        if use and not marked:
            bad.append('%s:%s uses %s (simulated host only), its head has '
                       'no sim_only' % (name, c, use))
        if marked and first != 'require_sim':
            bad.append('%s:%s is sim_only, its body does not start with '
                       'require_sim' % (name, c))
        if not marked and re.search(r'\brequire_sim\b', strip(body)):
            bad.append('%s:%s calls require_sim, its head has no sim_only'
                       % (name, c))
for b in bad:
    print(b)
print('%d programs, %d test cases, %d sim_only' % (len(progs), ncases, nsim))
PROBE
	progs=
	for p in "$d"/*_test; do
		head -1 "$p" | grep -q atf-sh && progs="$progs $p"
	done
	[ -n "$progs" ] || atf_fail "no atf-sh test programs in $d"
	# shellcheck disable=SC2086
	python3 marks.py "$d/common.subr" "$d/jailer.subr" -- $progs >out ||
	    atf_fail "marks.py failed"
	grep -q '^[1-9][0-9]* programs, [1-9][0-9]* test cases, [1-9][0-9]* sim_only$' out ||
	    { cat out; atf_fail "no test cases read"; }
	! grep -v '^[0-9]* programs, [0-9]* test cases, [0-9]* sim_only$' out ||
	    atf_fail "test cases with missing or wrong mode marks"
	# the check itself sees each missing mark
	cat >probe_test <<'PROBE'
#! /usr/bin/env atf-sh
helper()
{
	calls_reset
}
atf_test_case a
a_head()
{
	atf_set descr 'unmarked, through a helper'
}
a_body()
{
	host_fresh
	helper
}
atf_test_case b
b_head()
{
	sim_only "reads the state"
}
b_body()
{
	host_fresh
	require_sim
	save_host
}
atf_test_case c
c_head()
{
	atf_set descr 'c'
}
c_body()
{
	require_sim
}
PROBE
	cat >expected <<'PROBE'
probe_test:a uses helper (simulated host only), its head has no sim_only
probe_test:b is sim_only, its body does not start with require_sim
probe_test:c calls require_sim, its head has no sim_only
1 programs, 3 test cases, 1 sim_only
PROBE
	atf_check -o file:expected \
	    python3 marks.py "$d/common.subr" "$d/jailer.subr" -- probe_test
}

atf_init_test_cases()
{
	atf_add_test_case file_sizes
	atf_add_test_case command_functions
	atf_add_test_case no_dependency_cycle
	atf_add_test_case mode_marks
}
