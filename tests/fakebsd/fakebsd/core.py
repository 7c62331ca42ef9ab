"""fakebsd.core: the machinery every simulated tool shares.

A tool module registers its entry points with the ``tool`` decorator:

    from . import core

    @core.tool('zfs', faults='self')
    def zfs_main(argv):          # argv[0] is the tool name
        ...
        return 0                 # exit status (None means 0)

bin/_tool calls ``launch(sys.argv)``, which, in this order:

1. checks JAILER_ROOT (unset, empty, '/', or no .fakebsd/state.json:
   refuse, exit 1) and sets ``ROOT`` (its realpath);
2. appends the call to .fakebsd/calls.log (``log_call``);
3. evaluates FAKEBSD_FAIL (``fault_check``).  When the call must fail and
   the tool registered with faults='die' (the default), it prints
   "TOOL: simulated failure (FAKEBSD_FAIL)" and exits 1 before the tool
   runs.  With faults='self' the tool runs with ``FAULT`` set to True and
   fails halfway itself (fetch -o FILE, tar -x, zfs recv), calling
   ``simulated_failure()`` at the right moment;
4. runs the entry point and exits with its return value.

State lives in .fakebsd/state.json and is only read or written under
.fakebsd/state.lock:

    with core.state() as st:            # LOCK_EX, saved if no exception
        st['jails'][name] = {...}
    with core.state(readonly=True) as st:   # LOCK_SH, never saved
        ...

``die()`` inside the with-block raises SystemExit, so nothing is saved:
validate first, change files and state last.  Never run another fakebsd
tool (a subprocess) while holding the lock: it would deadlock.

Paths: ``host_path('/etc/rc.conf')`` gives the real path of a simulated
host path.  Symlinks met on the way are resolved as the simulated host
would resolve them (an absolute target is taken from JAILER_ROOT, '..'
stops at the root), so no tool can be led out of JAILER_ROOT.
``sim_path(real)`` is the inverse, for messages.

Errors: ``die(msg, code)`` prints msg verbatim (zfs style messages have no
prefix), ``fail(msg, code)`` prints "TOOL: msg" (err(3) style),
``unsupported(what)`` prints "TOOL: unsupported by fakebsd: WHAT" and
exits 2.  ``getopt()`` parses BSD style options.
"""

import os
import sys
import json
import fcntl

TOOL = None          # name of the running tool (basename of argv[0])
ROOT = None          # realpath of $JAILER_ROOT
FAULT = False        # True when FAKEBSD_FAIL selected this call (faults='self')
REGISTRY = {}        # tool name -> (function, faults)

STATE_VERSION = 1


# ---------------------------------------------------------------------------
# registration and launch

def tool(name, faults='die'):
    """Decorator: register FUNC(argv) as the entry point of tool NAME.

    faults='die': a call selected by FAKEBSD_FAIL fails before FUNC runs.
    faults='self': FUNC runs with core.FAULT set and fails by itself.
    """
    def deco(func):
        REGISTRY[name] = (func, faults)
        return func
    return deco


def launch(argv):
    """Entry point used by bin/_tool: dispatch on basename(argv[0])."""
    global TOOL, FAULT
    import signal
    # Behave like a C tool on a closed pipe (zfs send | head).
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    TOOL = os.path.basename(argv[0])
    argv = [TOOL] + list(argv[1:])
    check_root()
    log_call(argv)
    from . import TOOL_MODULES
    modname = TOOL_MODULES.get(TOOL)
    if modname is None:
        unsupported('tool %s' % TOOL)
    import importlib
    try:
        importlib.import_module('fakebsd.' + modname)
    except ModuleNotFoundError as e:
        if e.name == 'fakebsd.' + modname:
            unsupported('tool %s (module %s.py not written yet)'
                        % (TOOL, modname))
        raise
    if TOOL not in REGISTRY:
        unsupported('tool %s' % TOOL)
    func, faults = REGISTRY[TOOL]
    if fault_check(argv):
        if faults == 'self':
            FAULT = True
        else:
            simulated_failure()
    try:
        rc = func(argv)
    except BrokenPipeError:
        os._exit(141)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os._exit(141)
    sys.exit(rc or 0)


# ---------------------------------------------------------------------------
# errors

def die(msg, code=1):
    """Print MSG (verbatim, newline added) to stderr and exit CODE."""
    try:
        sys.stdout.flush()
    except Exception:
        pass
    sys.stderr.write(msg + '\n')
    sys.stderr.flush()
    sys.exit(code)


def fail(msg, code=1):
    """err(3) style: print 'TOOL: MSG' to stderr and exit CODE."""
    die('%s: %s' % (TOOL, msg), code)


def warn(msg):
    """warnx(3) style: print 'TOOL: MSG' to stderr, keep going."""
    sys.stderr.write('%s: %s\n' % (TOOL, msg))


def unsupported(what):
    """A flag, subcommand or case the simulation does not implement."""
    die('%s: unsupported by fakebsd: %s' % (TOOL, what), 2)


def simulated_failure():
    """The failure FAKEBSD_FAIL asked for: message, exit 1."""
    die('%s: simulated failure (FAKEBSD_FAIL)' % TOOL, 1)


def getopt(args, optstring, on_error=None):
    """BSD getopt(3): parse ARGS (without argv[0]) against OPTSTRING.

    Options stop at the first non-option or after '--'.  Returns
    (opts, rest) with opts a list of (char, value-or-None).  On an unknown
    option or a missing argument calls on_error(kind, char) with kind
    'invalid' or 'missing' (it must not return); the default prints
    "TOOL: illegal option -- c" / "TOOL: option requires an argument -- c"
    and exits 1 (tools usually pass their own, printing usage).
    """
    opts = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--':
            i += 1
            break
        if not a.startswith('-') or a == '-':
            break
        j = 1
        while j < len(a):
            c = a[j]
            k = optstring.find(c)
            if c == ':' or k < 0:
                _opterr(on_error, 'invalid', c)
            if k + 1 < len(optstring) and optstring[k + 1] == ':':
                if j + 1 < len(a):
                    opts.append((c, a[j + 1:]))
                elif i + 1 < len(args):
                    i += 1
                    opts.append((c, args[i]))
                else:
                    _opterr(on_error, 'missing', c)
                break
            opts.append((c, None))
            j += 1
        i += 1
    return opts, args[i:]


def _opterr(on_error, kind, c):
    if on_error is not None:
        on_error(kind, c)
    if kind == 'invalid':
        fail('illegal option -- %s' % c)
    fail('option requires an argument -- %s' % c)


def usage_error(tool, usage, code=1):
    """An on_error for getopt, in the style of the BSD base tools: for an
    unknown option "TOOL: illegal option -- c", then USAGE (the usage
    text, newline added) on stderr, and exit CODE.  The tool calls it as
    bad('usage', '') for a usage error of its own (no first line)."""
    def bad(kind, c):
        if kind == 'invalid':
            sys.stderr.write('%s: illegal option -- %s\n' % (tool, c))
        sys.stderr.write(usage + '\n')
        sys.exit(code)
    return bad


def usage_die(msg, code=1):
    """An on_error for getopt that only says MSG (die: stdout flushed,
    newline added) and exits CODE, whatever went wrong (pkg, sysrc)."""
    def bad(kind, c):
        die(msg, code)
    return bad


class Opts(object):
    """The options getopt found, in order, with questions on them."""

    def __init__(self, opts):
        self.list = opts

    def __iter__(self):
        return iter(self.list)

    def __contains__(self, c):
        """Whether the option C was given at all."""
        return any(o == c for o, _ in self.list)

    def value(self, c, default=None):
        """The value of the last -C given (DEFAULT without one)."""
        for o, v in reversed(self.list):
            if o == c:
                return v
        return default

    def values(self, c):
        """The values of every -C, in order."""
        return [v for o, v in self.list if o == c]

    def other(self, known):
        """The first option given that is not one of the characters of
        KNOWN (None if there is none)."""
        for o, _ in self.list:
            if o not in known:
                return o
        return None

    def refuse_others(self, known, what):
        """core.unsupported('WHAT -c') for the first option that is not one
        of KNOWN."""
        c = self.other(known)
        if c is not None:
            unsupported('%s -%s' % (what, c))


def getopts(args, optstring, on_error=None):
    """getopt, with the options as an Opts: returns (opts, rest)."""
    opts, rest = getopt(args, optstring, on_error)
    return Opts(opts), rest


def tool_getopt(argv, tool, optstring, usage):
    """getopt of a tool's argv[1:] with usage_error(TOOL, USAGE) as its
    on_error: (bad, opts, operands)."""
    bad = usage_error(tool, usage)
    opts, rest = getopt(argv[1:], optstring, bad)
    return bad, opts, rest


def tool_getopts(argv, tool, optstring, usage):
    """tool_getopt, with the options as an Opts (getopts)."""
    bad = usage_error(tool, usage)
    opts, rest = getopts(argv[1:], optstring, bad)
    return bad, opts, rest


# ---------------------------------------------------------------------------
# the simulated root and paths

def check_root():
    """Refuse to run unless JAILER_ROOT names a simulated host."""
    global ROOT
    r = os.environ.get('JAILER_ROOT')
    why = None
    if r is None:
        why = 'JAILER_ROOT is not set'
    elif r == '':
        why = 'JAILER_ROOT is empty'
    elif os.path.realpath(r) == '/':
        why = 'JAILER_ROOT is /'
    elif not os.path.isfile(os.path.join(r, '.fakebsd', 'state.json')):
        why = 'JAILER_ROOT=%s has no .fakebsd/state.json' % r
    if why:
        sys.stderr.write('%s: %s: refusing to run outside a simulated '
                         'host (create one with tests/fakebsd/mkhost)\n'
                         % (TOOL, why))
        sys.exit(1)
    ROOT = os.path.realpath(r)
    return ROOT


def fb_path(*parts):
    """Real path of a file under $JAILER_ROOT/.fakebsd."""
    return os.path.join(ROOT, '.fakebsd', *parts)


def _strip_root(p):
    """Return P as a simulated absolute path if it names JAILER_ROOT."""
    for r in (ROOT, os.environ.get('JAILER_ROOT', '').rstrip('/')):
        if r and r.startswith('/') and (p == r or p.startswith(r + '/')):
            return p[len(r):] or '/'
    return None


def sim_abspath(p):
    """Turn P (absolute simulated, absolute real under the root, or
    relative to a cwd inside the root) into a normalised simulated
    absolute path.  Dies when P escapes the root through '..' or is
    relative while the cwd lies outside the root."""
    if p is None or p == '':
        fail('empty path')
    s = _strip_root(p)
    if s is None:
        if p.startswith('/'):
            s = p
        else:
            cwd = _strip_root(os.getcwd())
            if cwd is None:
                fail('%s: relative path used outside JAILER_ROOT' % p)
            s = cwd.rstrip('/') + '/' + p
    out = []
    for c in s.split('/'):
        if c in ('', '.'):
            continue
        if c == '..':
            if not out:
                fail('%s: path escapes JAILER_ROOT' % p)
            out.pop()
            continue
        out.append(c)
    return '/' + '/'.join(out)


def host_path(p, follow=True):
    """Real path, under JAILER_ROOT, of the simulated host path P.

    P may be absolute (a FreeBSD path), already under JAILER_ROOT (kept),
    or relative to a cwd inside JAILER_ROOT.  Symlinks in P are resolved
    inside the simulated root (chroot-like); the last component is
    followed only when FOLLOW is true.  The result never leaves ROOT.
    """
    def loop():
        fail('%s: Too many levels of symbolic links' % p)
    return resolve_under(ROOT, sim_abspath(p), follow, loop)


def resolve_under(root, p, follow, loop):
    """Real path of the absolute path P in the tree at the real directory
    ROOT, its symlinks resolved inside ROOT (chroot-like; the last
    component only when FOLLOW is true).  After 32 links loop() is
    called: it must not return."""
    comps = [c for c in p.split('/') if c]
    done = []             # resolved components
    hops = 0
    while comps:
        c = comps.pop(0)
        if c == '.':
            continue
        if c == '..':
            if done:
                done.pop()
            continue
        cand = done + [c]
        if not comps and not follow:
            done = cand
            break
        real = root + '/' + '/'.join(cand)
        try:
            target = os.readlink(real)
        except OSError:
            done = cand
            continue
        hops += 1
        if hops > 32:
            loop()
        tcomps = [x for x in target.split('/') if x]
        if target.startswith('/'):
            done = []
        comps = tcomps + comps
    return root + ('/' + '/'.join(done) if done else '')


def read_path(p):
    """Real path of a file a tool only reads.  Like host_path(), except
    that a relative path with the cwd outside JAILER_ROOT is taken as a
    real path (read-only access outside the root is harmless)."""
    if not p.startswith('/') and _strip_root(p) is None and \
            _strip_root(os.getcwd()) is None:
        return os.path.abspath(p)
    return host_path(p)


def sim_path(real):
    """Simulated path of a real path under ROOT (for messages)."""
    s = _strip_root(real)
    return s if s is not None else real


def write_atomic(real, data, mode=None):
    """Write DATA (str or bytes) to the real path REAL through a temp file
    in the same directory and rename(2).  Keeps the old file's mode unless
    MODE is given (new files: 0644)."""
    if isinstance(data, str):
        data = data.encode()
    if mode is None:
        try:
            mode = os.stat(real).st_mode & 0o7777
        except OSError:
            mode = 0o644
    d = os.path.dirname(real) or '.'
    tmp = os.path.join(d, '.%s.fakebsd.%d' % (os.path.basename(real),
                                              os.getpid()))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    os.rename(tmp, real)


# ---------------------------------------------------------------------------
# call log and fault injection

def quote(s):
    """shlex.quote, except that a newline is written as $'\\n' so that
    every call stays on one line of the log."""
    import shlex
    if '\n' not in s:
        return shlex.quote(s)
    return "$'\\n'".join(shlex.quote(x) if x else "''"
                         for x in s.split('\n'))


def log_call(argv):
    """Append one line (argv quoted, tool name first) to calls.log."""
    line = ' '.join(quote(a) for a in argv) + '\n'
    fd = os.open(fb_path('calls.log'),
                 os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode('utf-8', 'surrogateescape'))
    finally:
        os.close(fd)


# zfs subcommand spellings that name the same thing, so that a pattern
# 'zfs recv' also matches 'zfs receive' (and 'zfs snapshot', 'zfs snap').
_ALIASES = {
    ('zfs', 'snap'): 'snapshot',
    ('zfs', 'receive'): 'recv',
}


def _norm_words(words):
    if len(words) >= 2:
        a = _ALIASES.get((words[0], words[1]))
        if a:
            return [words[0], a] + list(words[2:])
    return list(words)


def _parse_patterns(spec):
    pats = []
    for i, raw in enumerate(spec.split(',')):
        raw = raw.strip()
        if not raw:
            continue
        nth = None
        text = raw
        if '#' in raw:
            text, _, n = raw.rpartition('#')
            try:
                nth = int(n)
            except ValueError:
                die('%s: FAKEBSD_FAIL: bad pattern %r' % (TOOL, raw), 2)
        pats.append(('%d:%s' % (i, raw), _norm_words(text.split()), nth))
    return pats


def fault_check(argv):
    """True when FAKEBSD_FAIL says this call (ARGV, tool first) must fail.

    Patterns are comma separated; each is words matched against the start
    of argv, optionally followed by #N (only the N-th matching call fails;
    '#N' alone counts every call).  Counters live in .fakebsd/faults, under
    flock, and restart when the value of FAKEBSD_FAIL changes.
    """
    spec = os.environ.get('FAKEBSD_FAIL', '')
    if not spec.strip():
        return False
    pats = _parse_patterns(spec)
    words = _norm_words(argv)
    matching = [(key, nth) for key, pw, nth in pats
                if words[:len(pw)] == pw]
    if not matching:
        return False
    fire = False
    fd = os.open(fb_path('faults'), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        raw = b''
        while True:
            b = os.read(fd, 65536)
            if not b:
                break
            raw += b
        try:
            data = json.loads(raw.decode()) if raw else {}
        except ValueError:
            data = {}
        if data.get('spec') != spec:
            data = {'spec': spec, 'counts': {}}
        counts = data['counts']
        for key, nth in matching:
            if nth is None:
                fire = True
                continue
            counts[key] = counts.get(key, 0) + 1
            if counts[key] == nth:
                fire = True
        out = json.dumps(data, sort_keys=True).encode() + b'\n'
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, out)
    finally:
        os.close(fd)
    return fire


# ---------------------------------------------------------------------------
# state

class state(object):
    """Context manager: the host state (a dict) under .fakebsd/state.lock.

    state() takes LOCK_EX and writes state.json back (temp file + rename)
    when the body finishes without an exception; state(readonly=True)
    takes LOCK_SH and never writes.
    """

    def __init__(self, readonly=False):
        self.readonly = readonly
        self.fd = None

    def __enter__(self):
        self.fd = os.open(fb_path('state.lock'), os.O_RDWR | os.O_CREAT,
                          0o644)
        fcntl.flock(self.fd, fcntl.LOCK_SH if self.readonly
                    else fcntl.LOCK_EX)
        with open(fb_path('state.json')) as f:
            self.st = json.load(f)
        return self.st

    def __exit__(self, etype, evalue, tb):
        try:
            if etype is None and not self.readonly:
                save_state(self.st)
        finally:
            os.close(self.fd)
        return False


def save_state(st):
    """Write ST to state.json atomically.  Only call under state()."""
    data = json.dumps(st, indent=1, sort_keys=True) + '\n'
    write_atomic(fb_path('state.json'), data, 0o644)


def load_state():
    """A read-only snapshot of the state (takes and drops LOCK_SH)."""
    with state(readonly=True) as st:
        return st


def next_counter(st, name, start=1):
    """Return and advance the integer counter st['counters'][NAME]."""
    c = st.setdefault('counters', {})
    v = c.get(name, start)
    c[name] = v + 1
    return v


# ---------------------------------------------------------------------------
# small helpers shared by tools

def isatty(fd):
    try:
        return os.isatty(fd)
    except Exception:
        return False


# rc.conf(5) style files (sh assignments), read the way sh would for the
# simple forms found in them: name=value, name="value", name='value',
# concatenations of those, $name / ${name} expanded in bare and double
# quoted parts, comments.  Anything fancier on a line is ignored.

def rc_parse(text, env=None):
    """Return [(name, value, lineno)] for the assignments in TEXT.
    ENV (a dict) provides variables for $expansion and is updated."""
    import re
    env = {} if env is None else env
    out = []
    for n, line in enumerate(text.split('\n'), 1):
        m = re.match(r'\s*([A-Za-z_][A-Za-z0-9_]*)=', line)
        if not m:
            continue
        val = _rc_value(line[m.end():], env)
        if val is None:
            continue
        env[m.group(1)] = val
        out.append((m.group(1), val, n))
    return out


def _rc_expand(s, env):
    import re
    return re.sub(r'\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))',
                  lambda m: env.get(m.group(1) or m.group(2), ''), s)


def _rc_value(s, env):
    val = ''
    i = 0
    while i < len(s):
        c = s[i]
        if c in ' \t;#':
            break
        if c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            val += s[i + 1:j]
            i = j + 1
        elif c == '"':
            j = i + 1
            part = ''
            while j < len(s) and s[j] != '"':
                if s[j] == '\\' and j + 1 < len(s) and s[j + 1] in '"\\$`':
                    part += s[j + 1]
                    j += 2
                    continue
                if s[j] == '$':
                    k = j + 1
                    if k < len(s) and s[k] == '{':
                        e = s.find('}', k)
                        if e < 0:
                            return None
                        part += env.get(s[k + 1:e], '')
                        j = e + 1
                        continue
                    e = k
                    while e < len(s) and (s[e].isalnum() or s[e] == '_'):
                        e += 1
                    if e > k:
                        part += env.get(s[k:e], '')
                        j = e
                        continue
                part += s[j]
                j += 1
            if j >= len(s):
                return None
            val += part
            i = j + 1
        elif c == '\\' and i + 1 < len(s):
            val += s[i + 1]
            i += 2
        else:
            j = i
            while j < len(s) and s[j] not in ' \t;#\'"\\':
                j += 1
            val += _rc_expand(s[i:j], env)
            i = j
    return val


def rc_defaults_path():
    return host_path('/etc/defaults/rc.conf')


def rc_conf_files(env=None):
    """The rc_conf_files list of the simulated host (simulated paths)."""
    if env is None:
        env = {}
        _rc_source(rc_defaults_path(), env)
    return env.get('rc_conf_files', '/etc/rc.conf /etc/rc.conf.local').split()


def _rc_source(real, env):
    try:
        with open(real, encoding='utf-8', errors='surrogateescape') as f:
            text = f.read()
    except OSError:
        return False
    rc_parse(text, env)
    return True


def rc_base(cmd):
    """An rc.d command and its prefix: 'onestart' -> ('start', 'one')."""
    for pre in ('one', 'force', 'fast', 'quiet'):
        if cmd.startswith(pre) and cmd != pre:
            return cmd[len(pre):], pre
    return cmd, ''


def rc_vars(files=None, defaults=True):
    """Variables as rc.subr's load_rc_config would see them: the host's
    /etc/defaults/rc.conf (when DEFAULTS), then FILES (simulated paths;
    default: rc_conf_files).  Returns a dict name -> value."""
    env = {}
    if defaults:
        _rc_source(rc_defaults_path(), env)
    if files is None:
        files = rc_conf_files(dict(env) if defaults else None)
    for f in files:
        _rc_source(host_path(f), env)
    return env
