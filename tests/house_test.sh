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

atf_init_test_cases()
{
	atf_add_test_case file_sizes
	atf_add_test_case command_functions
	atf_add_test_case no_dependency_cycle
}
