"""fakebsd.jail: jail(8), jls(8), jexec(8), mount(8) and umount(8).

The jail.conf(5) parser follows FreeBSD 14's jaillex.l/jailparse.y and
config.c: the same tokens, the same grammar (nested blocks, `.include`),
the same merging of global, wildcard and per-jail parameters, the same
variable substitution and the same messages.  Kernel parameters are
checked against PARAMS (one table, below) like libjail does.

State (st['jails'][NAME]):

    jid, name, path (FreeBSD path), hostname, vnet (bool), persist (bool),
    params ({kernel parameter: exported value} as `jls -n` shows them),
    interfaces / routes (the VNET stack, see net.py), created (epoch),
    consolelog (path or None), rc ({'started': bool, 'time': epoch}),
    commands ([{via, command, status, time}], the in-jail commands:
    exec.start/exec.stop/command and jexec; the last 200 are kept).

st['mounts'] holds the non-ZFS mounts: [{fstype, special, node,
options}] (devfs on PATH/dev, nullfs, fdescfs, procfs), in mount order.

Host-side hooks (exec.prepare, exec.prestart, exec.created,
exec.poststart, exec.prestop, exec.poststop, exec.release) never reach a
shell: a hook must be a simple command (sh(1) words, no operators,
redirections or expansions) whose program is a fakebsd tool; it runs as a
subprocess of bin/TOOL with the simulated environment.  In-jail commands
are recorded and simulated by a tiny shell (jexec, exec.start/stop).
"""

import fnmatch
import glob
import ipaddress
import json
import os
import shlex
import subprocess
import sys
import time

from . import core
from . import net


BIN_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))), 'bin')

CONF_FILE = '/etc/jail.conf'

# ---------------------------------------------------------------------------
# THE parameter table: every name jail(8) accepts.
#
# kind 'k' = kernel parameter (passed to jail_set, shown by jls),
#      'p' = pseudo-parameter (used by jail(8) only).
# type: bool, int, str, jailsys (disable|new|inherit), ip4, ip6 (lists),
#       list (pseudo-parameter with several values).
# flags: ro (read-only, jls -s skips it), rdtun (cannot change after
#        creation), imm (immutable in jail.conf: name, jid), rev (undone
#        in reverse order), opt (kernel module parameter, not in `jls all`).

PARAMS = {
    # core kernel parameters
    'jid': ('k', 'int', 'rdtun imm'),
    'name': ('k', 'str', 'imm'),
    'path': ('k', 'str', 'rdtun'),
    'host': ('k', 'jailsys', ''),
    'host.hostname': ('k', 'str', ''),
    'host.domainname': ('k', 'str', ''),
    'host.hostuuid': ('k', 'str', ''),
    'host.hostid': ('k', 'int', ''),
    'ip4': ('k', 'jailsys', ''),
    'ip4.addr': ('k', 'ip4', ''),
    'ip4.saddrsel': ('k', 'bool', ''),
    'ip6': ('k', 'jailsys', ''),
    'ip6.addr': ('k', 'ip6', ''),
    'ip6.saddrsel': ('k', 'bool', ''),
    'vnet': ('k', 'jailsys', 'rdtun'),
    'securelevel': ('k', 'int', ''),
    'devfs_ruleset': ('k', 'int', ''),
    'children.max': ('k', 'int', ''),
    'children.cur': ('k', 'int', 'ro'),
    'enforce_statfs': ('k', 'int', ''),
    'persist': ('k', 'bool', ''),
    'cpuset.id': ('k', 'int', 'ro'),
    'dying': ('k', 'bool', 'ro'),
    'parent': ('k', 'int', 'ro'),
    'osrelease': ('k', 'str', 'rdtun'),
    'osreldate': ('k', 'int', 'rdtun'),
    'meta': ('k', 'str', 'opt'),
    'env': ('k', 'str', 'opt'),
    'allow.set_hostname': ('k', 'bool', ''),
    'allow.sysvipc': ('k', 'bool', ''),
    'allow.raw_sockets': ('k', 'bool', ''),
    'allow.chflags': ('k', 'bool', ''),
    'allow.mount': ('k', 'bool', ''),
    'allow.mount.devfs': ('k', 'bool', ''),
    'allow.quotas': ('k', 'bool', ''),
    'allow.read_msgbuf': ('k', 'bool', ''),
    'allow.socket_af': ('k', 'bool', ''),
    'allow.mlock': ('k', 'bool', ''),
    'allow.nfsd': ('k', 'bool', ''),
    'allow.reserved_ports': ('k', 'bool', ''),
    'allow.unprivileged_parent_tampering': ('k', 'bool', ''),
    'allow.unprivileged_proc_debug': ('k', 'bool', ''),
    'allow.suser': ('k', 'bool', ''),
    'allow.extattr': ('k', 'bool', ''),
    'allow.adjtime': ('k', 'bool', ''),
    'allow.settime': ('k', 'bool', ''),
    'allow.routing': ('k', 'bool', ''),
    'allow.setaudit': ('k', 'bool', ''),
    # kernel module parameters
    'allow.mount.fdescfs': ('k', 'bool', ''),
    'allow.mount.fusefs': ('k', 'bool', 'opt'),
    'allow.mount.nullfs': ('k', 'bool', ''),
    'allow.mount.procfs': ('k', 'bool', ''),
    'allow.mount.linprocfs': ('k', 'bool', 'opt'),
    'allow.mount.linsysfs': ('k', 'bool', 'opt'),
    'allow.mount.tmpfs': ('k', 'bool', ''),
    'allow.mount.zfs': ('k', 'bool', ''),
    'allow.vmm': ('k', 'bool', 'opt'),
    'allow.vmm_ppt': ('k', 'bool', 'opt'),
    'linux': ('k', 'jailsys', 'opt'),
    'linux.osname': ('k', 'str', 'opt'),
    'linux.osrelease': ('k', 'str', 'opt'),
    'linux.oss_version': ('k', 'int', 'opt'),
    'sysvmsg': ('k', 'jailsys', ''),
    'sysvsem': ('k', 'jailsys', ''),
    'sysvshm': ('k', 'jailsys', ''),
    'zfs.mount_snapshot': ('k', 'int', ''),
    # pseudo-parameters
    'allow.dying': ('p', 'bool', ''),
    'command': ('p', 'list', ''),
    'depend': ('p', 'list', ''),
    'exec.clean': ('p', 'bool', ''),
    'exec.consolelog': ('p', 'str', ''),
    'exec.fib': ('p', 'int', ''),
    'exec.jail_user': ('p', 'str', ''),
    'exec.poststart': ('p', 'list', ''),
    'exec.poststop': ('p', 'list', ''),
    'exec.prepare': ('p', 'list', ''),
    'exec.prestart': ('p', 'list', ''),
    'exec.prestop': ('p', 'list', ''),
    'exec.release': ('p', 'list', ''),
    'exec.created': ('p', 'list', ''),
    'exec.start': ('p', 'list', ''),
    'exec.stop': ('p', 'list', ''),
    'exec.system_jail_user': ('p', 'bool', ''),
    'exec.system_user': ('p', 'str', ''),
    'exec.timeout': ('p', 'int', ''),
    'interface': ('p', 'str', ''),
    'ip_hostname': ('p', 'bool', ''),
    'mount': ('p', 'list', 'rev'),
    'mount.devfs': ('p', 'bool', ''),
    'mount.fdescfs': ('p', 'bool', ''),
    'mount.procfs': ('p', 'bool', ''),
    'mount.fstab': ('p', 'list', ''),
    'stop.timeout': ('p', 'int', ''),
    'vnet.interface': ('p', 'list', ''),
    'zfs.dataset': ('p', 'list', ''),
}

# kernel parameters that jail(8) itself looks at (config.c intparams)
WATCHED_KERNEL = ('allow.chflags', 'allow.mount', 'allow.raw_sockets',
                  'allow.set_hostname', 'allow.socket_af', 'allow.sysvipc',
                  'devfs_ruleset', 'host.hostname', 'ip4.addr', 'ip6.addr',
                  'jid', 'name', 'path', 'persist', 'securelevel', 'vnet')

# defaults of a new jail on FreeBSD 14 (what jls shows when unset)
KERNEL_DEFAULTS = {
    'allow.set_hostname': 'true', 'allow.reserved_ports': 'true',
    'allow.suser': 'true', 'ip4.saddrsel': 'true', 'ip6.saddrsel': 'true',
    'securelevel': '-1', 'enforce_statfs': '2', 'children.max': '0',
    'children.cur': '0', 'devfs_ruleset': '0', 'host.domainname': '',
    'host.hostid': '0', 'dying': 'false', 'parent': '0',
    'sysvmsg': 'disable', 'sysvsem': 'disable', 'sysvshm': 'disable',
    'zfs.mount_snapshot': '0', 'persist': 'false',
}

JAILSYS = ('disable', 'new', 'inherit')


def pflags(name):
    return PARAMS[name][2].split()


def is_internal(name):
    """The pseudo-parameter NAME may be spelled as (with a no- prefix for
    booleans): its canonical name, or None."""
    for n, (kind, typ, _) in PARAMS.items():
        if kind == 'p' and equalopts(name, n):
            return n
    return None


def equalopts(o1, o2):
    """config.c equalopts(): equal, or equal but for a 'no' prefix on the
    last (or any matching) dotted component."""
    if o1 == o2:
        return True
    if o1.startswith('no') and o1[2:] == o2:
        return True
    if o2.startswith('no') and o1 == o2[2:]:
        return True
    while True:
        p = o1.find('.')
        if p < 0 or o1[:p + 1] != o2[:p + 1]:
            return False
        o1, o2 = o1[p + 1:], o2[p + 1:]
        if o1.startswith('no') and o1[2:] == o2:
            return True
        if o2.startswith('no') and o1 == o2[2:]:
            return True


def nononame(name):
    """'foo.nobar' -> 'foo.bar'; None if there is no 'no' prefix."""
    head, dot, last = name.rpartition('.')
    if not last.startswith('no'):
        return None
    return head + dot + last[2:]


def noname(name):
    head, dot, last = name.rpartition('.')
    return head + dot + 'no' + last


def kernel_param(name):
    """(canonical name, negated) of the kernel parameter NAME, or None
    (libjail's jailparam_type: unknown parameter)."""
    if name in PARAMS and PARAMS[name][0] == 'k':
        return name, False
    for pre in ('meta.', 'env.'):
        if name.startswith(pre) and len(name) > len(pre):
            return name, False
    nn = nononame(name)
    if nn and nn in PARAMS and PARAMS[nn][0] == 'k' and \
            PARAMS[nn][1] == 'bool':
        return nn, True
    return None


def strtol_prefix(s):
    """C strtol(s, NULL, 10) value (0 when no digits)."""
    s = s.lstrip(' \t\n\r\f\v')
    i = 0
    if s[:1] in '+-':
        i = 1
    j = i
    while j < len(s) and s[j].isdigit():
        j += 1
    if j == i:
        return 0
    return int(s[:j])


def strtol_full(s):
    """C strtol(s, &ep, 10) with *ep == 0 required: int or None."""
    t = s.lstrip(' \t\n\r\f\v')
    if t[:1] in '+-':
        t2 = t[1:]
    else:
        t2 = t
    if not t2 or not t2.isdigit():
        return None
    return int(t)


# ---------------------------------------------------------------------------
# jail.conf lexer (jaillex.l)

class ConfError(Exception):
    """A message jail(8) prints (without 'jail: ') before exit 1."""


ATOM = set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
           '_!%&()-.:<>?@[]^`|~')
VARSTART = set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_')
VARCHAR = VARSTART | set('0123456789')


class Tok(object):
    __slots__ = ('type', 'val', 'text', 'line')

    def __init__(self, type_, val, text, line):
        self.type = type_      # STR STR1 VAR VAR1 PLEQ EOF or the char
        self.val = val
        self.text = text
        self.line = line


def _unescape(s):
    """text2lval(): backslash escapes of jail.conf strings."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c != '\\':
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= len(s):
            break
        c = s[i]
        if c in '01234567':
            v = int(c)
            k = 1
            while k < 3 and i + 1 < len(s) and s[i + 1] in '01234567':
                i += 1
                v = v * 8 + int(s[i])
                k += 1
            out.append(chr(v & 0xff))
        elif c in 'abfnrtv':
            out.append({'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n',
                        'r': '\r', 't': '\t', 'v': '\v'}[c])
        elif c == '\n':
            pass
        elif c == 'x':
            v = 0
            k = 0
            while k < 2 and i + 1 < len(s) and \
                    s[i + 1] in '0123456789abcdefABCDEF':
                i += 1
                v = v * 16 + int(s[i], 16)
                k += 1
            out.append(chr(v))
        else:
            out.append(c)
        i += 1
    return ''.join(out)


def lex(text, fname):
    """Tokens of a jail.conf TEXT.  Lexical errors raise ConfError."""
    toks = []
    i = 0
    n = len(text)
    line = 1
    instr = False

    def emit(kind_first, kind_next, val, raw, ln):
        nonlocal instr
        toks.append(Tok(kind_next if instr else kind_first, val, raw, ln))
        instr = True

    while i < n:
        c = text[i]
        if c in ' \t\r\n':
            j = i
            while j < n and text[j] in ' \t\r\n':
                j += 1
            line += text.count('\n', i, j)
            i = j
            instr = False
            continue
        if c == '#' or text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
            instr = False
            continue
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            if j < 0:
                raise ConfError('%s line %d: unterminated comment'
                                % (fname, line + text.count('\n', i)))
            line += text.count('\n', i, j + 2)
            i = j + 2
            instr = False
            continue
        if text.startswith('+=', i):
            toks.append(Tok('PLEQ', None, '+=', line))
            instr = False
            i += 2
            continue
        if c in ',;={}':
            toks.append(Tok(c, None, c, line))
            instr = False
            i += 1
            continue
        if c in ATOM:
            j = i
            while j < n and text[j] in ATOM:
                j += 1
            emit('STR', 'STR1', text[i:j], text[i:j], line)
            i = j
            continue
        if c == '\\':
            j = i + 1
            if j < n and text[j] in '01234567':
                k = j
                while k < n and k < j + 3 and text[k] in '01234567':
                    k += 1
                j = k
            elif j < n and text[j] == 'x':
                k = j + 1
                while k < n and k < j + 3 and \
                        text[k] in '0123456789abcdefABCDEF':
                    k += 1
                j = k
            elif j < n:
                j += 1
            raw = text[i:j]
            line += raw.count('\n')
            emit('STR', 'STR1', _unescape(raw), raw, line)
            i = j
            continue
        if c == '$':
            if i + 1 < n and text[i + 1] in VARSTART:
                j = i + 1
                while j < n and text[j] in VARCHAR:
                    j += 1
                emit('VAR', 'VAR1', text[i + 1:j], text[i:j], line)
                i = j
                continue
            if i + 1 < n and text[i + 1] == '{':
                j, name = _scan_brace_var(text, i, fname, line, False)
                emit('VAR', 'VAR1', name, text[i:j], line)
                i = j
                continue
            emit('STR', 'STR1', '$', '$', line)
            i += 1
            continue
        if c in '*+/':
            emit('STR', 'STR1', c, c, line)
            i += 1
            continue
        if c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == '\\' else 1
            if j >= n:
                raise ConfError('%s line %d: unterminated string'
                                % (fname, line))
            raw = text[i:j + 1]
            emit('STR', 'STR1', _unescape(raw[1:-1]), raw, line)
            line += raw.count('\n')
            i = j + 1
            continue
        if c == '"':
            i, line = _lex_dq(text, i, fname, line, toks, emit)
            continue
        toks.append(Tok(c, None, c, line))
        instr = False
        i += 1
    toks.append(Tok('EOF', None, '', line))
    return toks


def _scan_brace_var(text, i, fname, line, indq):
    """${...} starting at I: (end index, variable name)."""
    j = i + 2
    n = len(text)
    while j < n and text[j] != '}':
        if text[j] == '\\':
            j += 2
            continue
        if text[j] in '\n{' or (indq and text[j] == '"'):
            break
        j += 1
    if j >= n or text[j] != '}':
        raise ConfError('%s line %d: unterminated variable' % (fname, line))
    return j + 1, _unescape(text[i + 2:j])


def _lex_dq(text, i, fname, line, toks, emit):
    """A double-quoted string: literal pieces and variables."""
    n = len(text)
    j = i + 1
    # find the closing quote first: an unterminated string is an error
    k = j
    while k < n and text[k] != '"':
        k += 2 if text[k] == '\\' else 1
    if k >= n:
        raise ConfError('%s line %d: unterminated string' % (fname, line))
    start_line = line
    piece = []
    first = True
    while j < k:
        c = text[j]
        if c == '\\':
            piece.append(text[j:j + 2])
            j += 2
            continue
        if c == '$' and j + 1 < k and (text[j + 1] in VARSTART or
                                         text[j + 1] == '{'):
            if piece or first:
                raw = ''.join(piece)
                emit('STR', 'STR1', _unescape(raw), '"' + raw, start_line)
                piece = []
                first = False
            if text[j + 1] == '{':
                e, name = _scan_brace_var(text, j, fname, line, True)
                if e > k + 1:
                    raise ConfError('%s line %d: unterminated variable'
                                    % (fname, line))
            else:
                e = j + 1
                while e < k and text[e] in VARCHAR:
                    e += 1
                name = text[j + 1:e]
            emit('VAR', 'VAR1', name, text[j:e], start_line)
            j = e
            continue
        piece.append(c)
        j += 1
    if piece or first:
        raw = ''.join(piece)
        emit('STR', 'STR1', _unescape(raw), '"' + raw + '"', start_line)
    line += text.count('\n', i, k + 1)
    return k + 1, line


# ---------------------------------------------------------------------------
# jail.conf parser (jailparse.y) and loader (config.c)

class CfParam(object):
    __slots__ = ('name', 'vals', 'flags')

    def __init__(self, name, vals=None, flags=None):
        self.name = name
        self.vals = vals if vals is not None else []   # list of part lists
        self.flags = set(flags or ())

    def copy(self):
        return CfParam(self.name, [list(v) for v in self.vals], self.flags)


class CfJail(object):
    def __init__(self, name):
        self.name = name          # None for a command-line jail
        self.params = []          # CfParam, in order
        self.intparams = {}       # watched name -> CfParam
        self.failed = False
        self.seq = 0
        self.parent = None

    def get(self, name):
        return self.intparams.get(name)

    def string(self, name):
        p = self.intparams.get(name)
        return p.vals[-1] if p is not None and p.vals else None

    def strings(self, name):
        p = self.intparams.get(name)
        return list(p.vals) if p is not None else []

    def bool(self, name):
        return bool_param(self.intparams.get(name))

    def label(self):
        return self.name


def bool_param(p):
    if p is None:
        return False
    last = p.name.rpartition('.')[2]
    neg = last.startswith('no')
    val = (not p.vals or p.vals[-1].lower() == 'true' or
           strtol_prefix(p.vals[-1]) != 0)
    return neg != val


class Parser(object):
    def __init__(self):
        self.jails = []           # CfJail in order (incl. wildcards, '*')
        self.global_jail = None
        self.current = None
        self.depth = 0

    def parse_file(self, fname, text):
        """Parse TEXT (the contents of FNAME, a FreeBSD path or 'STDIN')."""
        self.depth += 1
        if self.depth > 32:
            raise ConfError('maximum include depth exceeded')
        toks = lex(text, fname)
        self.toks = toks
        pos = self._conf(toks, 0, fname, top=True)
        if toks[pos].type != 'EOF':
            self._syntax(toks[pos], fname)
        self.depth -= 1

    def _syntax(self, tok, fname):
        if tok.type == 'EOF':
            raise ConfError('%s: unexpected EOF' % fname)
        raise ConfError('%s line %d: %s: syntax error'
                        % (fname, tok.line, tok.text))

    def _conf(self, toks, pos, fname, top):
        while True:
            t = toks[pos]
            if t.type == 'EOF' or t.type == '}':
                return pos
            if t.type == ';':
                pos += 1
                continue
            if t.type == 'STR' and toks[pos + 1].type == '{':
                pos = self._jail(toks, pos, fname)
                continue
            if t.type in ('STR', 'VAR'):
                p, pos = self._param(toks, pos, fname)
                if toks[pos].type != ';':
                    self._syntax(toks[pos], fname)
                pos += 1
                self._add_conf_param(p, fname, toks[pos - 1].line)
                continue
            self._syntax(t, fname)

    def _jail(self, toks, pos, fname):
        name = toks[pos].val
        j = CfJail(name if self.current is None
                   else self.current.name + '.' + name)
        j.parent = self.current
        self.jails.append(j)
        self.current = j
        pos = self._conf(toks, pos + 2, fname, top=False)
        if toks[pos].type != '}':
            self._syntax(toks[pos], fname)
        self.current = j.parent
        return pos + 1

    def _param(self, toks, pos, fname):
        t = toks[pos]
        p = CfParam(t.val, flags=['var'] if t.type == 'VAR' else [])
        pos += 1
        t = toks[pos]
        if t.type == ';':
            return p, pos
        if t.type == '=':
            pos += 1
        elif t.type == 'PLEQ':
            p.flags.add('append')
            pos += 1
        elif t.type in ('STR', 'VAR'):
            p.flags.add('nameval')
        else:
            self._syntax(t, fname)
        while True:
            t = toks[pos]
            if t.type not in ('STR', 'VAR'):
                self._syntax(t, fname)
            parts = [('v' if t.type == 'VAR' else 's', t.val)]
            pos += 1
            while toks[pos].type in ('STR1', 'VAR1'):
                parts.append(('v' if toks[pos].type == 'VAR1' else 's',
                              toks[pos].val))
                pos += 1
            p.vals.append(parts)
            if toks[pos].type != ',':
                return p, pos
            pos += 1

    def _add_conf_param(self, p, fname, line):
        if p.flags & {'var', 'append', 'nameval'} == {'nameval'} and \
                p.name == '.include':
            for parts in p.vals:
                if any(k == 'v' for k, _ in parts):
                    raise ConfError("%s line %d: variables not permitted in "
                                    "'.include' filename" % (fname, line))
                self._include(''.join(v for _, v in parts), fname)
            return
        j = self.current
        if j is None:
            if self.global_jail is None:
                self.global_jail = CfJail('*')
                self.jails.append(self.global_jail)
            j = self.global_jail
        j.params.append(p)

    def _include(self, path, fname):
        if fname != 'STDIN' and not path.startswith('/'):
            d = fname.rpartition('/')[0]
            if '/' in fname:
                path = d + '/' + path
        saved = self.toks
        if any(ch in path for ch in '*?['):
            base = core.host_path('/')
            pat = core.host_path(path.rpartition('/')[0] or '/') + '/' + \
                path.rpartition('/')[2]
            for real in sorted(glob.glob(pat)):
                sim = core.sim_path(real)
                if not sim.startswith('/'):
                    continue
                self.parse_file(sim, read_conf_file(sim))
            del base
        else:
            self.parse_file(path, read_conf_file(path))
        self.toks = saved


def read_conf_file(path):
    """Contents of the FreeBSD path PATH (err(1, "%s", path) if missing)."""
    try:
        real = core.host_path(path)
        with open(real, encoding='utf-8', errors='surrogateescape') as f:
            return f.read()
    except IsADirectoryError:
        raise ConfError('%s: Is a directory' % path)
    except FileNotFoundError:
        raise ConfError('%s: No such file or directory' % path)
    except PermissionError:
        raise ConfError('%s: Permission denied' % path)


def wild_jail_name(w):
    i = w.find('*')
    while i >= 0:
        if (i == 0 or w[i - 1] == '.') and (i + 1 == len(w) or
                                             w[i + 1] == '.'):
            return True
        i = w.find('*', i + 1)
    return False


def wild_jail_match(jname, wname):
    jc, wc = jname, wname
    while '.' in jc and '.' in wc:
        jd = jc.index('.')
        wd = wc.index('.')
        if jc[:jd + 1] != wc[:jd + 1] and not wc.startswith('*.'):
            return False
        jc, wc = jc[jd + 1:], wc[wd + 1:]
    return jc == wc or wc == '*'


class Warn(object):
    """Collects jail(8) warnings (printed as they come)."""

    def __init__(self):
        self.count = 0

    def __call__(self, j, msg):
        self.count += 1
        if j is not None and j.name is not None:
            sys.stderr.write('jail: %s: %s\n' % (j.name, msg))
        else:
            sys.stderr.write('jail: %s\n' % msg)
        sys.stderr.flush()


WARN = Warn()


def add_param(j, p=None, ipname=None, value=None, nvalue=False):
    """config.c add_param().  P: a CfParam from the file; else IPNAME (a
    watched/internal name) with VALUE, or VALUE 'name=value' / 'name'."""
    if p is not None:
        name = p.name
        flags = set(p.flags)
        vals = [list(v) for v in p.vals]
    else:
        flags = {'append'}
        vals = []
        if ipname is not None:
            name = ipname if not ipname.startswith('_') else \
                _CONV[ipname]
            flags |= _int_flags(ipname)
            if value is not None:
                vals = [value]
        elif '=' in value:
            name, _, v = value.partition('=')
            vals = [v]
        else:
            name = value
    dp = None
    if ipname is not None:
        dp = j.intparams.get(ipname)
    else:
        for q in j.params:
            if 'conv' not in q.flags and equalopts(q.name, name):
                dp = q
                break
    if dp is not None:
        if ('var' in flags) != ('var' in dp.flags):
            WARN(j, 'variable "$%s" cannot have the same name as a '
                    'parameter.' % name)
            j.failed = True
            return
        if 'imm' in dp.flags:
            WARN(j, 'cannot redefine parameter "%s".' % dp.name)
            j.failed = True
            return
        dp.name = name
        if 'append' not in flags or not vals:
            dp.vals = []
        dp.vals.extend(vals)
        dp.flags |= flags
        return
    np = CfParam(name, vals, flags)
    j.params.append(np)
    if ipname is not None:
        j.intparams[ipname] = np
        return
    for iname in _WATCHED:
        if equalopts(name, iname):
            if 'var' in flags:
                WARN(j, 'variable "$%s" cannot have the same name as a '
                        'parameter.' % name)
                j.failed = True
                return
            j.intparams[iname] = np
            np.flags |= _int_flags(iname)
            break


_CONV = {'_ip4_ifaddr': 'ip4.addr', '_ip6_ifaddr': 'ip6.addr',
         '_mount_from_fstab': 'mount.fstab'}

_WATCHED = [n for n, v in PARAMS.items() if v[0] == 'p'] + list(WATCHED_KERNEL)


def _int_flags(iname):
    if iname in _CONV:
        return {'internal', 'conv', 'rev'}
    kind, typ, fl = PARAMS[iname]
    out = set()
    if kind == 'p':
        out.add('internal')
        if typ in ('bool', 'int'):
            out.add(typ)
    if 'rev' in fl.split():
        out.add('rev')
    if 'imm' in fl.split():
        out.add('imm')
    return out


def load_config(cfname):
    """Parse CFNAME (a FreeBSD path, or '-' for stdin) and return the list
    of non-wildcard CfJail with their resolved parameters."""
    parser = Parser()
    if cfname == '-':
        parser.parse_file('STDIN', sys.stdin.read())
    else:
        parser.parse_file(cfname, read_conf_file(cfname))
    jails = parser.jails
    for seq, j in enumerate(jails, 1):
        j.seq = seq
    wild = [j for j in jails if wild_jail_name(j.name)]
    real = [j for j in jails if not wild_jail_name(j.name)]
    for j in real:
        opp = j.params
        j.params = []
        j.intparams = {}
        add_param(j, ipname='jid' if strtol_full(j.name) not in (None, 0)
                  else 'name', value=j.name)
        did_self = False
        for wj in wild:
            if j.seq < wj.seq and not did_self:
                for p in opp:
                    add_param(j, p)
                did_self = True
            if wild_jail_match(j.name, wj.name):
                for p in wj.params:
                    add_param(j, p)
        if not did_self:
            for p in opp:
                add_param(j, p)
        if j.intparams.get('name') is None:
            add_param(j, ipname='name', value=j.name)
        resolve_vars(j)
    return real


def resolve_vars(j):
    """Substitute $var / ${var} in every value of J (config.c)."""
    done = set()
    busy = set()

    def find(name):
        for q in j.params:
            if q.name == name:
                return q
        return None

    def resolve(p):
        if id(p) in done:
            return True
        busy.add(id(p))
        newvals = []
        ok = True
        for parts in p.vals:
            if isinstance(parts, str):
                newvals.append(parts)
                continue
            nvars = sum(1 for k, _ in parts if k == 'v')
            lit = ''.join(v for k, v in parts if k == 's')
            expanded = ['']
            for k, v in parts:
                if k == 's':
                    expanded = [e + v for e in expanded]
                    continue
                vp = find(v)
                if vp is None or not vp.vals:
                    WARN(j, '%s: variable "%s" not found' % (p.name, v))
                    j.failed = True
                    ok = False
                    break
                if id(vp) in busy:
                    WARN(j, '%s: variable loop' % v)
                    j.failed = True
                    ok = False
                    break
                if not resolve(vp):
                    j.failed = True
                    ok = False
                    break
                if len(vp.vals) > 1:
                    if lit != '' or nvars > 1:
                        WARN(j, '%s: array cannot be substituted inline'
                             % p.name)
                        j.failed = True
                        ok = False
                        break
                    expanded = list(vp.vals)
                else:
                    expanded = [e + vp.vals[0] for e in expanded]
            if not ok:
                break
            newvals.extend(expanded)
        busy.discard(id(p))
        if ok:
            p.vals = newvals
            done.add(id(p))
        else:
            p.vals = [v if isinstance(v, str) else
                      ''.join(x for k, x in v if k == 's') for v in p.vals]
            done.add(id(p))
        return ok

    for p in list(j.params):
        resolve(p)
    j.params = [p for p in j.params if 'var' not in p.flags]
    for k in [k for k, p in j.intparams.items() if 'var' in p.flags]:
        del j.intparams[k]


def cmdline_jail(args):
    """A jail given as name=value arguments (command-line form)."""
    j = CfJail(None)
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith('command') and (len(a) == 7 or a[7] == '='):
            if len(a) > 7:
                add_param(j, ipname='command', value=a[8:])
            for rest in args[i + 1:]:
                add_param(j, ipname='command', value=rest)
            break
        listp = None
        for lp in ('ip4.addr', 'ip6.addr', 'vnet.interface', 'zfs.dataset'):
            if a.startswith(lp + '='):
                listp = lp
                break
        if listp:
            for v in a[len(listp) + 1:].split(','):
                add_param(j, ipname=listp, value=v)
        else:
            add_param(j, value=a)
        i += 1
    for p in j.params:
        p.vals = [v if isinstance(v, str) else
                  ''.join(x for _, x in v) for v in p.vals]
    return j


# ---------------------------------------------------------------------------
# checking parameters before an operation (check_intparams, import_params)

def check_intparams(j):
    err = False
    for p in j.params:
        if p.vals and ('bool' in p.flags or 'int' in p.flags):
            val = p.vals[-1]
            if 'bool' in p.flags:
                if val.lower() not in ('true', 'false') and \
                        strtol_full(val) is None:
                    WARN(j, '%s: unknown boolean value "%s"' % (p.name, val))
                    err = True
            elif strtol_full(val) is None:
                WARN(j, '%s: non-integer value "%s"' % (p.name, val))
                err = True
    if j.bool('ip_hostname') and j.string('host.hostname'):
        WARN(j, 'ip_hostname: unsupported by fakebsd (no resolver)')
        err = True
    defif = j.string('interface') is not None
    for fam, key in (('ip4.addr', '_ip4_ifaddr'), ('ip6.addr', '_ip6_ifaddr')):
        p = j.get(fam)
        if p is None:
            continue
        newvals = []
        for s in p.vals:
            if '|' in s or defif:
                add_param(j, ipname=key, value=s)
            if '|' in s:
                s = s.split('|', 1)[1]
            s = s.split('/')[0].split(' ')[0]
            newvals.append(s)
        p.vals = newvals
    for f in j.strings('mount.fstab'):
        if not f:
            continue
        try:
            with open(core.host_path(f)) as fh:
                lines = fh.read().splitlines()
        except OSError as e:
            WARN(j, 'mount.fstab: %s: %s' % (f, e.strerror))
            err = True
            continue
        for ln in lines:
            ln = ln.split('#', 1)[0]
            add_param(j, ipname='_mount_from_fstab', value=ln)
    if err:
        j.failed = True
    return not err


def _release_major():
    """The major of the running kernel's release (uname -r)."""
    rel = core.load_state().get('uname', {}).get('release', '')
    return strtol_prefix(rel)


def import_params(j):
    """Check the kernel parameters of J like libjail; return
    {canonical name: exported value} or None."""
    err = False
    out = {}
    for p in j.params:
        if p.name == 'zfs.dataset' and _release_major() < 15:
            # zfs.dataset is in jail(8) of FreeBSD 15.0, not before.
            WARN(j, 'unknown parameter: %s' % p.name)
            err = True
            continue
        if 'internal' in p.flags:
            continue
        kp = kernel_param(p.name)
        if kp is None:
            WARN(j, 'unknown parameter: %s' % p.name)
            err = True
            continue
        name, neg = kp
        typ = PARAMS[name][1] if name in PARAMS else 'str'
        if name in PARAMS and 'ro' in pflags(name):
            WARN(j, 'jail_set: %s: Operation not permitted' % p.name)
            err = True
            continue
        vals = p.vals
        if typ in ('ip4', 'ip6'):
            value = ','.join(vals)
        else:
            value = vals[-1] if vals else None
        try:
            out[name] = export_value(name, typ, value, neg, p.name)
        except ValueError as e:
            WARN(j, str(e))
            err = True
    if err:
        j.failed = True
        return None
    return out


def export_value(name, typ, value, neg, given):
    if typ == 'bool':
        if value is None or value == '':
            v = True if value is None else None
            if v is None:
                raise ValueError('%s: unknown boolean value ""' % given)
        elif value.lower() in ('true', 'false'):
            v = value.lower() == 'true'
        elif strtol_full(value) is not None:
            v = strtol_full(value) != 0
        else:
            raise ValueError('%s: unknown boolean value "%s"'
                             % (given, value))
        return 'false' if v == neg else 'true'
    if typ == 'jailsys':
        if value is None or value == '':
            return 'new'
        if value.lower() in JAILSYS:
            return value.lower()
        n = strtol_full(value)
        if n is not None and 0 <= n < 3:
            return JAILSYS[n]
        raise ValueError('%s: unknown jailsys value "%s"' % (given, value))
    if typ == 'int':
        if value is None:
            value = ''
        if strtol_full(value) is None:
            raise ValueError('%s: non-integer value "%s"' % (given, value))
        return str(strtol_full(value))
    if typ in ('ip4', 'ip6'):
        if value is None or value == '':
            return ''
        addrs = []
        for a in value.split(','):
            try:
                if typ == 'ip4':
                    addrs.append(str(ipaddress.IPv4Address(a)))
                else:
                    addrs.append(str(ipaddress.IPv6Address(a)))
            except ValueError:
                raise ValueError('%s: not an IPv%s address: %s'
                                 % (given, typ[2], a))
        return ','.join(addrs)
    return value if value is not None else ''


# ---------------------------------------------------------------------------
# hooks: host-side commands, without a shell

SHELL_META = set(';&|<>()`$*?[]{}~!\n')


def split_command(cmd):
    """sh(1) words of the simple command CMD, or raise ValueError when CMD
    needs a shell (operators, redirections, expansions, globs)."""
    q = None
    i = 0
    word_start = True
    while i < len(cmd):
        c = cmd[i]
        if q == "'":
            if c == "'":
                q = None
        elif q == '"':
            if c == '\\':
                i += 1
            elif c == '"':
                q = None
            elif c in '$`':
                raise ValueError('expansion %r' % c)
        else:
            if c in ('"', "'"):
                q = c
            elif c == '\\':
                i += 1
            elif c == '#' and word_start:
                raise ValueError('comment')
            elif c in SHELL_META:
                raise ValueError('shell syntax %r' % c)
            word_start = c in ' \t'
        i += 1
    if q:
        raise ValueError('unterminated quote')
    words = shlex.split(cmd, posix=True)
    if words and '=' in words[0] and not words[0].startswith('='):
        raise ValueError('variable assignment')
    return words


def comline(cmd):
    """How jail(8) shows command CMD (what it would exec)."""
    if any(c in '!"$&\'()*;<>?[\\]`{|}~' for c in cmd) and \
            not cmd.rstrip().endswith('&'):
        return '/bin/sh -c %s' % cmd
    return ' '.join(cmd.split())


def tool_for(prog):
    """The fakebsd tool a hook's program maps to, or None."""
    from . import TOOL_MODULES
    base = os.path.basename(prog)
    if base in TOOL_MODULES and os.path.exists(os.path.join(BIN_DIR, base)):
        return base
    return None


def host_program(prog):
    """The real file behind PROG, an absolute pathname of an executable
    installed on the simulated host (such as /usr/local/sbin/jailer), or
    None.  jail(8) execs such a pathname directly."""
    if not prog.startswith('/'):
        return None
    real = core.host_path(prog)
    if os.path.isfile(real) and os.access(real, os.X_OK):
        return real
    return None


# What exec.clean keeps of the simulator's own environment besides what
# jail(8) sets: the simulated host's root, fault injection, and the
# sanitizers' options (the programs under test run under them).
CLEAN_KEEP = ('TERM', 'JAILER_ROOT', 'FAKEBSD_FAIL', 'HOME', 'ASAN_OPTIONS',
              'UBSAN_OPTIONS', 'LSAN_OPTIONS')


def tool_env(extra=None, clean=False):
    """The environment of the simulated tools (PATH starts with bin/)."""
    if clean:
        env = {k: os.environ[k] for k in CLEAN_KEEP if k in os.environ}
        env['PATH'] = net.tool_bin() + ':/bin:/usr/bin'
    else:
        env = dict(os.environ)
        env['PATH'] = net.tool_path(env.get('PATH', ''))
    env['JAILER_ROOT'] = core.ROOT
    if extra:
        env.update(extra)
    return env


# ---------------------------------------------------------------------------
# the state of a running jail

def running(st, key):
    return net.find_jail(st, key)


def jail_root(rec):
    return core.host_path(rec.get('path') or '/')


def record_command(rec, via, cmd, status):
    cmds = rec.setdefault('commands', [])
    cmds.append({'via': via, 'command': cmd, 'status': status,
                 'time': int(time.time())})
    del cmds[:-200]


def all_mounts(st):
    """Every mount of the simulated host: (special, node, fstype, options)
    in mount order: the host's /dev, mounted ZFS datasets, then devfs,
    nullfs, fdescfs and procfs mounts."""
    out = [('devfs', '/dev', 'devfs', [])]
    zm = []
    for ds, mp, rec in zfs_mounts(st):
        opts = ['local']
        if prop(st, ds, 'atime') == 'off':
            opts.append('noatime')
        if prop(st, ds, 'readonly') == 'on':
            opts.append('read-only')
        opts.append('nfsv4acls')
        zm.append((ds, mp, 'zfs', opts))
    zm.sort(key=lambda m: (m[1].count('/') if m[1] != '/' else 0, m[1]))
    out += zm
    for m in st.get('mounts', []):
        out.append((m['special'], m['node'], m['fstype'],
                    list(m.get('options', []))))
    return out


def prop(st, ds, name):
    """Value of ZFS property NAME of DS (local or inherited), or None."""
    from . import zfs as zfsmod
    try:
        return zfsmod._walk(st, ds, name)[0]
    except (KeyError, IndexError):
        return None


def zfs_mounts(st):
    """(dataset, mountpoint, record) of every mounted ZFS filesystem."""
    from . import zfs as zfsmod
    for ds, rec in sorted(st.get('datasets', {}).items()):
        if rec.get('type', 'filesystem') != 'filesystem':
            continue
        if not rec.get('mounted') or not zfsmod.mountable(st, ds):
            continue
        yield ds, zfsmod.mountpoint(st, ds)[0], rec


def path_inside(p, top):
    top = top.rstrip('/') or '/'
    return p == top or top == '/' or p.startswith(top + '/')


def dataset_busy_paths(st, ds):
    """Why dataset DS cannot be unmounted: running jails whose root and
    devfs/nullfs/... mounts lying inside its mountpoint (simulated paths).
    Used by zfs.py's dataset_busy hook and by umount."""
    mp = None
    for d, m, _ in zfs_mounts(st):
        if d == ds:
            mp = m
    if mp is None:
        return []
    out = []
    for n, j in sorted(st.get('jails', {}).items()):
        if path_inside(j.get('path') or '/', mp):
            out.append(j.get('path') or '/')
    for m in st.get('mounts', []):
        if path_inside(m['node'], mp) and m['node'] != mp:
            out.append(m['node'])
    return out


# ---------------------------------------------------------------------------
# the jail's own little shell (jexec, exec.start, exec.stop, command)

class NotFound(Exception):
    pass


class ShellUnsupported(Exception):
    pass


def jail_real_path(st, jname, p, cwd='/'):
    """Real path of path P inside jail JNAME; symlinks are resolved
    inside the jail root, never leading out of it."""
    root = jail_root(st['jails'][jname])
    if not p.startswith('/'):
        p = cwd.rstrip('/') + '/' + p
    def loop():
        raise OSError(62, 'Too many levels of symbolic links')
    return core.resolve_under(root, p, True, loop)


def read_rcconf(st, jname):
    """Variables of the jail's /etc/defaults/rc.conf, /etc/rc.conf and
    /etc/rc.conf.local (plain NAME=value assignments)."""
    vals = {}
    for f in ('/etc/defaults/rc.conf', '/etc/rc.conf', '/etc/rc.conf.local'):
        try:
            with open(jail_real_path(st, jname, f)) as fh:
                text = fh.read()
        except OSError:
            continue
        for ln in text.splitlines():
            ln = ln.strip()
            if not ln or ln.startswith('#') or '=' not in ln:
                continue
            name, _, v = ln.partition('=')
            name = name.strip()
            if not name.replace('_', 'a').isalnum():
                continue
            try:
                w = shlex.split(v, comments=True)
            except ValueError:
                continue
            vals[name] = ' '.join(w)
    return vals


def dhcp_lease(st, jail, ifname, mac):
    """Hook for a DHCP server simulation: jail JAIL asks for a lease on
    interface IFNAME with address MAC (rc.conf SYNCDHCP/DHCP).

    Return None (no answer: the interface stays without an address) or a
    dict {'addr': '10.0.0.5', 'prefixlen': 24, 'router': '10.0.0.1'}
    ('router' optional); the caller configures the interface and the
    jail's default route.  It runs with ST locked and may change it (and
    write the jail's /var/db/dhclient.leases.IFNAME).

    The answer comes from the simulated dhcpd (pkgpf.dhcp_lease): it needs
    /dev/bpf in the jail (devfs ruleset), a running dhcpd serving the
    bridge the host end of the epair is a member of, and a subnet with a
    free address in its ranges."""
    from . import pkgpf
    return pkgpf.dhcp_lease(st, jail, ifname, mac)


def simulate_rc(st, jname, out):
    """The network part of `/bin/sh /etc/rc` in a VNET jail: lo0, each
    interface's start_if.IF, ifconfig_IF (inet/DHCP), defaultrouter."""
    rec = st['jails'][jname]
    rec['rc'] = {'started': True, 'time': int(time.time())}
    if not rec.get('vnet'):
        return 0
    conf = read_rcconf(st, jname)
    stack = net.Stack(st, jname)
    gw_set = False
    names = [n for n, _ in net.ordered(stack)]
    for ifname in names:
        if ifname not in stack.ifaces:
            continue
        ir = stack.ifaces[ifname]
        if ir.get('type') == 'loopback':
            v = conf.get('ifconfig_' + ifname, 'inet 127.0.0.1'
                         if ifname == 'lo0' else '')
            if v:
                _rc_ifconfig(st, jname, [ifname] + v.split(), out)
            continue
        try:
            with open(jail_real_path(st, jname, '/etc/start_if.' + ifname)) \
                    as fh:
                for ln in fh.read().splitlines():
                    try:
                        w = shlex.split(ln, comments=True)
                    except ValueError:
                        continue
                    if w and os.path.basename(w[0]) == 'ifconfig':
                        _rc_ifconfig(st, jname, w[1:], out)
        except OSError:
            pass
        v = conf.get('ifconfig_' + ifname, conf.get('ifconfig_DEFAULT', ''))
        words = v.split()
        dhcp = [w for w in words if w.upper() in ('DHCP', 'SYNCDHCP',
                                                   'NOSYNCDHCP')]
        words = [w for w in words if w.upper() not in (
            'DHCP', 'SYNCDHCP', 'NOSYNCDHCP', 'NOAUTO', 'WPA', 'HOSTAP')]
        if words:
            _rc_ifconfig(st, jname, [ifname] + words, out)
        if dhcp:
            _rc_ifconfig(st, jname, [ifname, 'up'], out)
            ir = stack.ifaces.get(ifname)
            lease = dhcp_lease(st, jname, ifname, ir.get('ether') if ir
                               else None)
            if lease:
                _rc_ifconfig(st, jname, [ifname, 'inet', '%s/%d' % (
                    lease['addr'], lease.get('prefixlen', 24))], out)
                if lease.get('router'):
                    net.run_route(st, ['add', 'default', lease['router']],
                                  jname)
                    gw_set = True
        n = 0
        while 'ifconfig_%s_alias%d' % (ifname, n) in conf:
            _rc_ifconfig(st, jname, [ifname] + conf[
                'ifconfig_%s_alias%d' % (ifname, n)].split() + ['alias'],
                out)
            n += 1
        # ifconfig_IF_ipv6 (network.subr enables IPv6 on IF first);
        # ipv6_defaultrouter and rtsold are not modelled.
        v6 = conf.get('ifconfig_%s_ipv6' % ifname, '').split()
        if v6:
            _rc_ifconfig(st, jname, [ifname, 'inet6', '-ifdisabled'], out)
            _rc_ifconfig(st, jname, [ifname] + v6, out)
    gw = conf.get('defaultrouter', 'NO')
    if gw and gw.upper() != 'NO' and not gw_set:
        code, o, e = net.run_route(st, ['add', 'default', gw], jname)
        out.append(o + e)
    return 0


def _rc_ifconfig(st, jname, args, out):
    code, o, e = net.run_ifconfig(st, args, jname)
    out.append(o + e)
    return code


def _freebsd_version(st, jname):
    try:
        with open(jail_real_path(st, jname, '/bin/freebsd-version')) as fh:
            for ln in fh:
                if ln.startswith('USERLAND_VERSION='):
                    return shlex.split(ln.partition('=')[2])[0]
    except (OSError, IndexError, ValueError):
        pass
    rec = st['jails'][jname]
    return rec.get('params', {}).get('osrelease') or \
        st.get('freebsd_version', {}).get('userland', '14.3-RELEASE')


STD_DIRS = ('/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin',
            '/usr/local/sbin')


def _builtin(prog):
    if '/' in prog:
        d, _, b = prog.rpartition('/')
        if d not in STD_DIRS:
            return None
        prog = b
    return prog if prog in BUILTINS else None


def shell_exec(st, jname, argv, ctx):
    """Run ARGV in jail JNAME: (status, stdout, stderr).  Raises NotFound
    for a program the simulation does not have."""
    if not argv:
        return 0, '', ''
    b = _builtin(argv[0])
    if b is None:
        raise NotFound(argv[0])
    return BUILTINS[b](st, jname, argv, ctx)


def shell_line(st, jname, line, ctx):
    """Run one command line the way sh(1) would (simple commands only)."""
    try:
        words = split_command(line)
    except ValueError as e:
        raise ShellUnsupported('%s (%s)' % (line, e))
    if not words:
        return 0, '', ''
    try:
        return shell_exec(st, jname, words, ctx)
    except NotFound as e:
        return 127, '', 'sh: %s: not found\n' % e.args[0]


def shell_script(st, jname, text, ctx):
    """Run the lines of TEXT; `exit N` ends it.  (status, out, err)."""
    rc = 0
    out = []
    err = []
    for ln in text.splitlines():
        s = ln.strip()
        if not s or s.startswith('#'):
            continue
        try:
            rc, o, e = shell_line(st, jname, s, ctx)
        except ShellUnsupported as x:
            rc, o, e = 2, '', 'sh: unsupported by fakebsd: %s\n' % x
        out.append(o)
        err.append(e)
        if ctx.get('exit') is not None:
            rc = ctx['exit']
            break
    return rc, ''.join(out), ''.join(err)


def b_sh(st, jname, argv, ctx):
    args = argv[1:]
    while args and args[0] in ('-e', '-x', '-l'):
        args = args[1:]
    if args[:1] == ['-c']:
        if len(args) < 2:
            return 2, '', 'sh: -c: option requires an argument\n'
        sub = dict(ctx)
        sub['exit'] = None
        try:
            rc, o, e = shell_line(st, jname, args[1], sub)
        except ShellUnsupported as x:
            return 2, '', 'sh: unsupported by fakebsd: %s\n' % x
        if sub.get('exit') is not None:
            rc = sub['exit']
        return rc, o, e
    if not args:
        sub = dict(ctx)
        sub['exit'] = None
        return shell_script(st, jname, ctx.get('stdin') or '', sub)
    script = args[0]
    if script == '/etc/rc':
        out = []
        simulate_rc(st, jname, out)
        return 0, ''.join(out), ''
    if script == '/etc/rc.shutdown':
        st['jails'][jname].setdefault('rc', {})['started'] = False
        return 0, '', ''
    try:
        with open(jail_real_path(st, jname, script, ctx.get('cwd', '/'))) \
                as fh:
            text = fh.read()
    except OSError:
        return 127, '', 'sh: cannot open %s: No such file or directory\n' \
            % script
    sub = dict(ctx)
    sub['exit'] = None
    return shell_script(st, jname, text, sub)


def b_exit(st, jname, argv, ctx):
    n = strtol_full(argv[1]) if len(argv) > 1 else 0
    ctx['exit'] = (n or 0) & 0xff
    return ctx['exit'], '', ''


def b_echo(st, jname, argv, ctx):
    args = argv[1:]
    nl = '\n'
    if args[:1] == ['-n']:
        args = args[1:]
        nl = ''
    return 0, ' '.join(args) + nl, ''


def b_true(st, jname, argv, ctx):
    return 0, '', ''


def b_false(st, jname, argv, ctx):
    return 1, '', ''


def b_hostname(st, jname, argv, ctx):
    rec = st['jails'][jname]
    h = rec.get('hostname', '')
    args = argv[1:]
    if args and args[0] == '-s':
        return 0, h.split('.')[0] + '\n', ''
    if args and args[0] == '-d':
        return 0, h.partition('.')[2] + '\n', ''
    if args and args[0] == '-f':
        args = args[1:]
    if args:
        if rec.get('params', {}).get('allow.set_hostname', 'true') != 'true':
            return 1, '', 'hostname: sethostname: Operation not permitted\n'
        rec['hostname'] = args[0]
        rec.setdefault('params', {})['host.hostname'] = args[0]
        return 0, '', ''
    return 0, h + '\n', ''


def b_cat(st, jname, argv, ctx):
    out = []
    err = []
    rc = 0
    for f in argv[1:] or ['-']:
        if f == '-':
            out.append(ctx.get('stdin') or '')
            continue
        try:
            with open(jail_real_path(st, jname, f, ctx.get('cwd', '/')),
                      errors='surrogateescape') as fh:
                out.append(fh.read())
        except IsADirectoryError:
            err.append('cat: %s: Is a directory\n' % f)
            rc = 1
        except OSError as e:
            err.append('cat: %s: %s\n' % (f, e.strerror or
                                          'No such file or directory'))
            rc = 1
    return rc, ''.join(out), ''.join(err)


def b_ifconfig(st, jname, argv, ctx):
    return net.run_ifconfig(st, argv[1:], jname)


def b_route(st, jname, argv, ctx):
    return net.run_route(st, argv[1:], jname)


def b_freebsd_version(st, jname, argv, ctx):
    args = argv[1:] or ['-u']
    out = []
    for a in args:
        for c in a.lstrip('-'):
            if c == 'u':
                out.append(_freebsd_version(st, jname))
            elif c == 'k':
                out.append(st.get('freebsd_version', {}).get('kernel', ''))
            elif c == 'r':
                out.append(st.get('uname', {}).get('release', ''))
            else:
                return 1, '', ('freebsd-version: illegal option -- %s\n'
                               'usage: freebsd-version [-kru] [-j jail]\n'
                               % c)
    return 0, ''.join(x + '\n' for x in out), ''


def b_uname(st, jname, argv, ctx):
    u = st.get('uname', {})
    rec = st['jails'][jname]
    rel = rec.get('params', {}).get('osrelease') or u.get('release', '')
    vals = {'s': u.get('sysname', 'FreeBSD'), 'n': rec.get('hostname', ''),
            'r': rel, 'v': u.get('version', ''), 'm': u.get('machine', ''),
            'p': u.get('processor', ''),
            'K': str(u.get('osreldate', '')),
            'U': str(rec.get('params', {}).get('osreldate') or
                     u.get('osreldate', '')), 'i': 'GENERIC'}
    flags = ''.join(a.lstrip('-') for a in argv[1:]) or 's'
    if 'a' in flags:
        flags = 'snrvm'
    out = []
    for c in 'snrvmpiKU':
        if c in flags:
            out.append(vals[c])
    bad = [c for c in flags if c not in 'asnrvmpiKU']
    if bad:
        return 1, '', 'uname: illegal option -- %s\n' % bad[0]
    return 0, ' '.join(out) + '\n', ''


def b_id(st, jname, argv, ctx):
    args = ''.join(a.lstrip('-') for a in argv[1:])
    if 'u' in args:
        return 0, ('root' if 'n' in args else '0') + '\n', ''
    if 'g' in args:
        return 0, ('wheel' if 'n' in args else '0') + '\n', ''
    return 0, 'uid=0(root) gid=0(wheel) groups=0(wheel),5(operator)\n', ''


def b_pwd(st, jname, argv, ctx):
    return 0, ctx.get('cwd', '/') + '\n', ''


BUILTINS = {
    'sh': b_sh, 'exit': b_exit, 'echo': b_echo, 'true': b_true,
    ':': b_true, 'false': b_false, 'hostname': b_hostname, 'cat': b_cat,
    'ifconfig': b_ifconfig, 'route': b_route,
    'freebsd-version': b_freebsd_version, 'uname': b_uname, 'id': b_id,
    'pwd': b_pwd,
}


# ---------------------------------------------------------------------------
# jail(8): creating and removing

class Runner(object):
    """Runs the start or stop list of one jail, like jail(8)'s
    next_command()/run_command()."""

    def __init__(self, j, verbose, note_remove=False, iflag=False):
        self.j = j
        self.verbose = verbose          # -1 quiet, 0 normal, 1 -v
        self.note_remove = note_remove
        self.iflag = iflag
        self.name = None                # kernel name of the jail
        self.jid = None
        self.stopping = False           # running the stop list

    # -- messages
    def note(self, msg):
        if self.j.name is not None:
            sys.stdout.write('%s: %s\n' % (self.j.name, msg))
        else:
            sys.stdout.write('%s\n' % msg)
        sys.stdout.flush()

    def warn(self, msg):
        WARN(self.j, msg)

    # -- the pieces
    def host_command(self, pname, cmd):
        """Run host command CMD (one value of exec.PNAME): True if it
        succeeded."""
        j = self.j
        shown = comline(cmd)
        if self.verbose > 0:
            user = j.string('exec.system_user')
            self.note('run command%s%s: %s' % (' as ' if user else '',
                                              user or '', shown))
        try:
            words = split_command(cmd)
        except ValueError as e:
            self.warn('%s: fakebsd runs hooks without a shell and refuses '
                      '"%s": %s' % (pname, cmd, e))
            self.warn('%s: failed' % shown)
            return False
        if not words:
            return True
        tool = tool_for(words[0])
        installed = None if tool is not None else host_program(words[0])
        if tool is None and installed is None:
            self.warn('%s: fakebsd refuses to run "%s": neither a simulated '
                      'tool nor a program installed on the simulated host'
                      % (pname, words[0]))
            self.warn('%s: failed' % shown)
            return False
        extra = {}
        if not j.bool('exec.clean'):
            extra = {'JID': str(self.jid or ''), 'JNAME': self.name or '',
                     'JPATH': j.string('path') or ''}
        env = tool_env(extra, clean=j.bool('exec.clean'))
        timeout = strtol_full(j.string('exec.timeout') or '') or None
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            argv = [installed] if installed else net.tool_cmd(tool)
            r = subprocess.run(argv + words[1:], env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.warn('%s: timed out' % shown)
            return False
        if r.returncode != 0:
            if r.returncode < 0:
                self.warn('%s: exited on signal %d' % (shown, -r.returncode))
            else:
                self.warn('%s: failed' % shown)
            return False
        return True

    def internal(self, argv, fn):
        """A command jail(8) runs itself (/sbin/ifconfig, /sbin/mount,
        /sbin/umount): logged and subject to FAKEBSD_FAIL like a real
        process, applied in-process by FN(st) -> (status, out, err)."""
        shown = ' '.join(argv)
        if self.verbose > 0:
            self.note('run command: %s' % shown)
        tool = os.path.basename(argv[0])
        logged = [tool] + list(argv[1:])
        core.log_call(logged)
        if core.fault_check(logged):
            sys.stderr.write('%s: simulated failure (FAKEBSD_FAIL)\n' % tool)
            self.warn('%s: failed' % shown)
            return False
        with core.state() as st:
            code, out, err = fn(st)
        if out:
            sys.stdout.write(out)
            sys.stdout.flush()
        if err:
            sys.stderr.write(err)
            sys.stderr.flush()
        if code != 0:
            self.warn('%s: failed' % shown)
            return False
        return True

    def jail_command(self, pname, cmd, argv=None):
        """An in-jail command (exec.start, exec.stop, command): recorded
        and simulated; its output goes to exec.consolelog."""
        j = self.j
        shown = ' '.join(argv) if argv is not None else comline(cmd)
        if self.verbose > 0:
            user = j.string('exec.jail_user')
            self.note('run command in jail%s%s: %s' % (
                ' as ' if user else '', user or '', shown))
        log = j.string('exec.consolelog')
        logreal = None
        if log is not None:
            if not log.startswith('/'):
                self.warn('exec.consolelog: %s: not an absolute pathname'
                          % log)
                return False
            logreal = core.host_path(log)
            if not os.path.isdir(os.path.dirname(logreal)):
                self.warn('open %s: No such file or directory' % log)
                return False
        with core.state() as st:
            if self.name not in st.get('jails', {}):
                self.warn('jail_attach: Invalid argument')
                return False
            rec = st['jails'][self.name]
            ctx = {'cwd': '/', 'stdin': '', 'exit': None}
            try:
                words = argv if argv is not None else split_command(cmd)
                code, out, err = shell_exec(st, self.name, words, ctx)
                simulated = True
            except (ValueError, NotFound, ShellUnsupported):
                code, out, err = 0, '', ''
                simulated = False
            record_command(rec, pname, shown if argv is None else
                           ' '.join(core.quote(a) for a in argv), code)
            rec['commands'][-1]['simulated'] = simulated
        text = out + err
        if logreal is not None:
            with open(logreal, 'a') as fh:
                fh.write(shown + '\n' + text)
        elif text:
            sys.stdout.write(out)
            sys.stdout.flush()
            sys.stderr.write(err)
        if code != 0:
            self.warn('%s: failed' % shown)
            return False
        return True

    # -- check_path() of command.c
    def devpath(self, what, sub, down, fstype):
        path = self.j.string('path')
        if path is None:
            self.warn('%s: no jail root path defined' % what)
            return None
        p = path.rstrip('/') + sub
        real = core.host_path(p, follow=False)
        if os.path.islink(real):
            self.warn('%s: %s is a symbolic link' % (what, p))
            return None
        if down:
            with core.state(readonly=True) as st:
                ok = any(m['node'] == p and m['fstype'] == fstype
                         for m in st.get('mounts', []))
            if not os.path.exists(real):
                self.warn('%s: %s: No such file or directory' % (what, p))
                return None
            if not ok:
                self.warn('%s: %s: not a mount point' % (what, p))
                return None
        elif not os.path.isdir(real):
            os.makedirs(real, exist_ok=True)
        return p

    def mount_special(self, what, fstype, sub, down, opts=()):
        p = self.devpath(what, sub, down, fstype)
        if p is None:
            return False
        if down:
            return self.internal(['/sbin/umount', p],
                                 lambda st: do_umount(st, [p]))
        argv = ['/sbin/mount', '-t', fstype] + list(opts) + ['.', p]
        return self.internal(argv, lambda st: do_mount(st, argv[1:]))

    def fstab_mount(self, what, line, down):
        w = line.split()
        if not w:
            return True
        if len(w) < 3:
            self.warn('%s: %s: missing information' % (what, line))
            return False
        special, node, fstype = w[0], w[1], w[2]
        if down:
            return self.internal(['/sbin/umount', '-t', fstype, node],
                                 lambda st: do_umount(st, ['-t', fstype,
                                                           node]))
        args = ['-t', fstype]
        if len(w) > 3:
            args += ['-o', w[3]]
        args += [special, node]
        return self.internal(['/sbin/mount'] + args,
                             lambda st: do_mount(st, args))

    def ifaddr(self, fam, val, down):
        j = self.j
        parts = val.split(' ')
        head, extra = parts[0], [x for x in parts[1:] if x]
        if '|' in head:
            ifn, _, addr = head.partition('|')
        else:
            ifn, addr = j.string('interface'), head
        if fam == 'inet':
            argv = ['/sbin/ifconfig', ifn or '', 'inet']
            if '/' not in addr:
                argv += [addr, 'netmask', '255.255.255.255']
            elif '.' in addr.split('/', 1)[1]:
                a, _, m = addr.partition('/')
                argv += [a, 'netmask', m]
            else:
                argv += [addr]
        else:
            argv = ['/sbin/ifconfig', ifn or '', 'inet6', addr]
            if '/' not in addr:
                argv += ['prefixlen', '128']
        if not down:
            argv += extra
        argv.append('-alias' if down else 'alias')
        return self.internal(argv, lambda st: net.run_ifconfig(st, argv[1:]))

    def vnet_if(self, ifname, down):
        key = self.j.string('jid') or self.name
        argv = ['/sbin/ifconfig', ifname, '-vnet' if down else 'vnet', key]
        return self.internal(argv, lambda st: net.run_ifconfig(st, argv[1:]))

    # -- the kernel side
    def create(self, kparams):
        """IP__OP up: create the jail in the simulated kernel."""
        j = self.j
        path = j.string('path')
        if path is not None:
            if j.name is not None and not path.startswith('/'):
                self.warn('path %s: not an absolute pathname' % path)
                return False
            real = core.host_path(path)
            if not os.path.exists(real):
                self.warn('path %s: No such file or directory' % path)
                return False
            if not os.path.isdir(real):
                self.warn('path %s: Not a directory' % path)
                return False
        if self.verbose > 0:
            shown = ' '.join('%s=%s' % (k, v) for k, v in kparams.items())
            self.note('jail_set(JAIL_CREATE) %s' % shown)
        with core.state() as st:
            jails = st.setdefault('jails', {})
            name = kparams.get('name')
            jid = strtol_full(kparams.get('jid') or '') or 0
            used = set(r.get('jid') for r in jails.values())
            if name is not None and name in jails:
                self.warn('jail_set: File exists')
                return False
            if jid and jid in used:
                self.warn('jail_set: File exists')
                return False
            if not jid:
                jid = core.next_counter(st, 'jid')
                while jid in used:
                    jid = core.next_counter(st, 'jid')
            if name is None:
                name = str(jid)
            if '.' in name:
                parent = name.rsplit('.', 1)[0]
                if parent not in jails:
                    self.warn('jail "%s" not found' % parent)
                    return False
            u = st.get('uname', {})
            params = dict(kparams)
            params['name'] = name
            params['jid'] = str(jid)
            params.setdefault('path', path or '/')
            params.setdefault('host.hostname', st.get('hostname', ''))
            params.setdefault('host', 'new')
            params.setdefault('vnet', 'inherit')
            for fam in ('ip4', 'ip6'):
                # kern_jail.c: a new non-VNET jail that does not mention
                # ipN gets PR_IPN_USER without addresses (disable);
                # jls shows new/disable/inherit
                addrs = params.get(fam + '.addr')
                given = params.get(fam)
                if params['vnet'] == 'new' and given is None:
                    params[fam] = 'inherit'
                elif given == 'inherit':
                    params[fam] = 'inherit'
                elif given == 'disable':
                    params[fam] = 'disable'
                    params[fam + '.addr'] = ''
                else:
                    params[fam] = 'new' if addrs else 'disable'
            params.setdefault('osrelease', u.get('release', ''))
            params.setdefault('osreldate', str(u.get('osreldate', '')))
            persist = params.get('persist') == 'true'
            rec = {
                'jid': jid, 'name': name, 'path': params['path'],
                'hostname': params['host.hostname'],
                'vnet': params['vnet'] == 'new',
                'persist': persist, 'params': params,
                'created': int(time.time()),
                'consolelog': j.string('exec.consolelog'),
                'rc': {'started': False}, 'commands': [],
            }
            jails[name] = rec
            if rec['vnet']:
                rec['interfaces'] = {'lo0': net.loopback_record(
                    st, vnet=name)}
                rec['routes'] = []
        self.name = name
        self.jid = jid
        if self.iflag:
            sys.stdout.write('%d\n' % jid)
            sys.stdout.flush()
        if self.verbose >= 0 and (j.name is not None or self.verbose > 0):
            self.note('created')
        return True

    def remove(self, stopping):
        """IP__OP down: remove the jail (its VNET interfaces go home)."""
        with core.state() as st:
            if self.name in st.get('jails', {}):
                if st['jails'][self.name].get('vnet'):
                    net.vnet_teardown(st, self.name)
                del st['jails'][self.name]
                from . import zfs as zfsmod   # zfs jail: the kernel forgets
                zfsmod.forget_jail(st, self.name)
        show = self.note_remove if stopping else self.j.name is not None
        if self.verbose > 0 or (self.verbose == 0 and show):
            self.note('removed')
        return True

    # -- the lists
    def start_steps(self):
        j = self.j
        s = []

        def each(*names):
            for n in names:
                for v in j.strings(n):
                    s.append((n, v))
        each('exec.prepare', '_ip4_ifaddr', '_ip6_ifaddr', 'mount',
             '_mount_from_fstab')
        for b in ('mount.devfs', 'mount.fdescfs', 'mount.procfs'):
            if j.bool(b):
                s.append((b, None))
        each('exec.prestart')
        s.append(('_op', None))
        each('exec.created', 'zfs.dataset', 'vnet.interface', 'exec.start')
        if j.get('command') is not None and j.strings('command'):
            if j.name is None:
                s.append(('command', list(j.strings('command'))))
            else:
                each('command')
        each('exec.poststart')
        return [x for x in s if x[1] != '' or x[0].startswith('mount.')
                or x[0] == '_op']

    def run_step(self, kind, val, down, kparams=None):
        if kind in ('exec.prepare', 'exec.prestart', 'exec.created',
                    'exec.poststart', 'exec.prestop', 'exec.poststop',
                    'exec.release'):
            return self.host_command(kind, val)
        if kind in ('exec.start', 'exec.stop'):
            return self.jail_command(kind, val)
        if kind == 'command':
            if isinstance(val, list):
                return self.jail_command(kind, None, argv=val)
            return self.jail_command(kind, val)
        if kind == '_ip4_ifaddr':
            return self.ifaddr('inet', val, down)
        if kind == '_ip6_ifaddr':
            return self.ifaddr('inet6', val, down)
        if kind in ('mount', '_mount_from_fstab'):
            return self.fstab_mount('mount' if kind == 'mount'
                                    else 'mount.fstab', val, down)
        if kind == 'mount.devfs':
            rs = self.j.string('devfs_ruleset') or '4'
            return self.mount_special('mount.devfs', 'devfs', '/dev', down,
                                      ['-oruleset=%s' % rs])
        if kind == 'mount.fdescfs':
            return self.mount_special('mount.fdescfs', 'fdescfs', '/dev/fd',
                                      down)
        if kind == 'mount.procfs':
            return self.mount_special('mount.procfs', 'procfs', '/proc',
                                      down)
        if kind == '_op':
            return self.remove(self.stopping) if down \
                else self.create(kparams)
        if kind == 'vnet.interface':
            return self.vnet_if(val, down)
        if kind == 'zfs.dataset':
            if not down:
                return self.internal(['/sbin/zfs', 'jail', self.name, val],
                                     lambda st: zfs_jail(st, self.name, val))
            return True
        raise AssertionError(kind)

    def start(self, kparams):
        steps = self.start_steps()
        done = []
        ok = True
        for kind, val in steps:
            if not self.run_step(kind, val, False, kparams):
                ok = False
                break
            done.append((kind, val))
        if ok:
            return True
        # undo, in reverse, what can be undone (jail(8)'s create_failed)
        for kind, val in reversed(done):
            if kind in ('exec.prepare', 'exec.prestart', 'exec.created',
                        'exec.start', 'command', 'exec.poststart',
                        'zfs.dataset'):
                continue
            self.run_step(kind, val, True)
        return False

    def stop(self, from_config=True):
        """jail -r (from_config) or -R: True on success."""
        j = self.j
        self.stopping = True
        if not from_config:
            return self.remove(True)
        for c in j.strings('exec.prestop'):
            if c and not self.host_command('exec.prestop', c):
                return False
        for c in j.strings('exec.stop'):
            if c and not self.jail_command('exec.stop', c):
                return False
        self.remove(True)
        ok = True
        rev = []
        for c in j.strings('exec.poststop'):
            if c:
                rev.append(('exec.poststop', c))
        for b, fs, sub in (('mount.procfs', 'procfs', '/proc'),
                           ('mount.fdescfs', 'fdescfs', '/dev/fd'),
                           ('mount.devfs', 'devfs', '/dev')):
            if j.bool(b):
                rev.append((b, None))
        for v in reversed(j.strings('_mount_from_fstab')):
            rev.append(('_mount_from_fstab', v))
        for v in reversed(j.strings('mount')):
            rev.append(('mount', v))
        for v in reversed(j.strings('_ip6_ifaddr')):
            rev.append(('_ip6_ifaddr', v))
        for v in reversed(j.strings('_ip4_ifaddr')):
            rev.append(('_ip4_ifaddr', v))
        for c in j.strings('exec.release'):
            if c:
                rev.append(('exec.release', c))
        for kind, val in rev:
            if val == '':
                continue
            if not self.run_step(kind, val, True):
                ok = False
        return ok


def zfs_jail(st, jname, ds):
    d = st.get('datasets', {}).get(ds)
    if d is None:
        return 1, '', "cannot open '%s': dataset does not exist\n" % ds
    v = prop(st, ds, 'jailed')
    if v != 'on':
        return 1, '', ("cannot jail '%s': dataset is not jailed "
                       "(jailed property must be 'on')\n" % ds)
    d['jail'] = jname
    return 0, '', ''


def jail_usage():
    sys.stderr.write(
        'usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n'
        '            -[cmr] param=value ... [command=command ...]\n'
        '       jail [-dqv] [-f file] -[cmr] [jail]\n'
        '       jail [-qv] [-f file] -[rR] [\'*\' | jail ...]\n'
        '       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n'
        '            [-n jailname] [-s securelevel]\n'
        '            path hostname ip[,...] command ...\n'
        '       jail [-f file] -e separator\n')
    sys.stderr.flush()
    raise SystemExit(1)


def quoted(s):
    """jail.c quoted_print()."""
    qc = '"' if s == '' else '"' if "'" in s else "'" if '"' in s else \
        '"' if (' ' in s or '\t' in s) else ''
    out = []
    for c in s:
        if c == '\\' or (qc and c == qc):
            out.append('\\')
        out.append(c)
    return qc + ''.join(out) + qc


def print_jail(fp, j, jid, sep):
    parts = []
    if jid is not None:
        parts.append('jid=%d' % jid)
    for p in j.params:
        if p.name == 'jid' or 'conv' in p.flags:
            continue
        if p.vals:
            parts.append('%s=%s' % (p.name, ','.join(quoted(v)
                                                     for v in p.vals)))
        else:
            parts.append(p.name)
    fp.write(sep.join(parts) + '\n')


@core.tool('jail')
def jail_main(argv):
    opts, args = core.getopt(argv[1:], 'cCde:f:hiJ:lmn:p:qrRs:u:U:v',
                             lambda kind, c: jail_usage())
    op = set()
    cfname = CONF_FILE
    docf = True
    verbose = 0
    iflag = False
    rflag = False
    eflag = None
    jidfile = None
    cl = CfJail(None)          # parameters from options
    for c, v in opts:
        if c == 'c':
            op.add('start')
        elif c == 'm':
            op.add('set')
        elif c == 'r':
            op.add('stop')
        elif c == 'R':
            op.add('stop')
            rflag = True
        elif c == 'C':
            core.unsupported('jail -C')
        elif c == 'e':
            eflag = v
        elif c == 'f':
            cfname = v
        elif c == 'q':
            verbose = -1
        elif c == 'v':
            verbose = 1
        elif c == 'i':
            iflag = True
            verbose = -1
        elif c == 'J':
            jidfile = v
        elif c == 'p':
            pass
        elif c == 'd':
            sys.stderr.write("jail: the 'allow.dying' parameter and '-d' "
                             "flag are deprecated and have no effect.\n")
        elif c == 'h':
            core.unsupported('jail -h (ip_hostname: no resolver)')
        elif c == 'l':
            add_param(cl, ipname='exec.clean')
            docf = False
        elif c == 'n':
            add_param(cl, ipname='name', value=v)
            docf = False
        elif c == 's':
            add_param(cl, ipname='securelevel', value=v)
            docf = False
        elif c in 'uU':
            add_param(cl, ipname='exec.jail_user', value=v)
            add_param(cl, ipname='exec.system_jail_user',
                      value=None if c == 'u' else 'false')
            docf = False
    if eflag is not None:
        if op or args:
            jail_usage()
        try:
            jails = load_config(cfname)
        except ConfError as e:
            core.die('jail: %s' % e)
        for j in jails:
            print_jail(sys.stdout, j, None, eflag)
        return 0
    if not op:
        if len(args) < 4 or not args[0].startswith('/'):
            jail_usage()
        core.unsupported('jail: the backward compatible command line '
                         '(path hostname ip command)')
    if op == {'stop'}:
        if not docf or not args:
            jail_usage()
        if not rflag and any('=' in a for a in args):
            jail_usage()
        return jail_remove(args, cfname, rflag, verbose)
    if rflag:
        jail_usage()
    if len(args) > 1 or (len(args) == 1 and '=' in args[0]):
        j = cmdline_jail(args)
        for p in cl.params:
            add_param(j, p)
        return jail_operate([j], op, None, False, verbose, iflag, jidfile)
    if not docf:
        jail_usage()
    try:
        jails = load_config(cfname)
    except ConfError as e:
        core.die('jail: %s' % e)
    if args:
        target = args[0]
        if wild_jail_name(target) and target != '*':
            sel = [j for j in jails if wild_jail_match(j.name, target)]
            wild = True
        elif target == '*':
            sel, wild = jails, True
        else:
            sel = [j for j in jails if j.name == target]
            if not sel:
                core.die('jail: "%s" not found' % target)
            sel = sel[-1:]
            wild = False
    else:
        sel, wild = jails, True
    return jail_operate(sel, op, jails, wild, verbose, iflag, jidfile)


def prepare(j):
    """check_intparams + import_params: kernel parameters or None."""
    if j.failed:
        return None
    if not check_intparams(j):
        return None
    return import_params(j)


def jail_operate(sel, op, alljails, wild, verbose, iflag, jidfile):
    """-c, -m, -cm, -rc, -cmr on the jails SEL."""
    error = 0
    jfp = None
    if jidfile is not None:
        try:
            jfp = open(core.host_path(jidfile), 'w')
        except OSError as e:
            core.fail('open %s: %s' % (jidfile, e.strerror))
    started = set()

    def start_one(j, depchain):
        nonlocal error
        key = j.name
        if key in started:
            return True
        started.add(key)
        for d in j.strings('depend') if j.name is not None else []:
            dj = [x for x in (alljails or []) if x.name == d]
            if not dj:
                WARN(j, 'depends on undefined jail "%s"' % d)
                return False
            with core.state(readonly=True) as st:
                up = running(st, d)[0] is not None
            if not up and not start_one(dj[-1], depchain + [key]):
                WARN(j, 'skipped')
                return False
        kparams = prepare(j)
        if kparams is None:
            return False
        with core.state(readonly=True) as st:
            rname = kparams.get('name')
            jidp = kparams.get('jid')
            cur = running(st, jidp or rname or '')[0] if (jidp or rname) \
                else None
        r = Runner(j, verbose, iflag=iflag)
        if cur is not None:
            if 'set' in op and 'stop' in op:
                r.name = cur
                with core.state(readonly=True) as st:
                    r.jid = st['jails'][cur]['jid']
                if not r.stop(True):
                    return False
            elif 'set' in op:
                return modify(j, cur, kparams, verbose)
            elif 'stop' in op:
                r.name = cur
                with core.state(readonly=True) as st:
                    r.jid = st['jails'][cur]['jid']
                if not r.stop(True):
                    return False
            else:
                if not wild:
                    if j.name is not None:
                        sys.stderr.write('jail: "%s" already exists\n'
                                         % j.name)
                    else:
                        sys.stderr.write('jail: "%s" already exists\n'
                                         % (jidp or rname))
                    return False
                return True
        elif op == {'set'} or op == {'set', 'stop'}:
            sys.stderr.write('jail: "%s" not found\n'
                             % (j.name or jidp or rname))
            return False
        if not r.start(kparams):
            return False
        _settle(r, j)
        if jfp is not None:
            print_jail(jfp, j, r.jid, '\t')
        return True

    for j in sel:
        if not start_one(j, []):
            error = 1
    if jfp is not None:
        jfp.close()
    return error


def _settle(r, j):
    """After creation: a jail without persist, exec.start and command
    has no process and dies at once (documented simplification)."""
    with core.state() as st:
        rec = st.get('jails', {}).get(r.name)
        if rec is None:
            return
        if rec.get('persist'):
            return
        if j.strings('exec.start') or j.strings('command'):
            return
        if rec.get('vnet'):
            net.vnet_teardown(st, r.name)
        del st['jails'][r.name]


def modify(j, cur, kparams, verbose):
    with core.state() as st:
        rec = st['jails'][cur]
        for k, v in kparams.items():
            if k in PARAMS and 'rdtun' in pflags(k) and \
                    rec['params'].get(k) != v and k != 'jid':
                WARN(j, '%s cannot be changed after creation' % k)
                raise SystemExit(1)
        # securelevel may only be raised on a running jail (EPERM)
        if 'securelevel' in kparams:
            old = int(rec['params'].get('securelevel', '-1') or -1)
            if int(kparams['securelevel']) < old:
                WARN(j, 'jail_set: Operation not permitted')
                raise SystemExit(1)
        for k, v in kparams.items():
            rec['params'][k] = v
        if 'host.hostname' in kparams:
            rec['hostname'] = kparams['host.hostname']
        if 'persist' in kparams:
            rec['persist'] = kparams['persist'] == 'true'
    if verbose >= 0 and (j.name is not None or verbose > 0):
        if j.name is not None:
            sys.stdout.write('%s: updated\n' % j.name)
        else:
            sys.stdout.write('updated\n')
    return True


def jail_remove(args, cfname, rflag, verbose):
    """jail -r / -R NAME|JID ..."""
    docf = False
    jails = []
    if not rflag and (cfname == '-' or
                      os.path.exists(core.host_path(cfname))):
        docf = True
        try:
            jails = load_config(cfname)
        except ConfError as e:
            core.die('jail: %s' % e)
    note_remove = docf or len(args) > 1 or wild_jail_name(args[0])
    error = 0
    targets = []
    for a in args:
        if wild_jail_name(a):
            if rflag:
                with core.state(readonly=True) as st:
                    for n in sorted(st.get('jails', {}),
                                    key=lambda x: st['jails'][x]['jid']):
                        if wild_jail_match(n, a):
                            targets.append((CfJail(n), True, n))
            else:
                for j in jails:
                    if wild_jail_match(j.name, a):
                        targets.append((j, True, None))
            continue
        cj = [j for j in jails if j.name == a] if docf else []
        if cj:
            targets.append((cj[-1], False, None))
            continue
        with core.state(readonly=True) as st:
            n, _ = running(st, a)
        if n is None:
            sys.stderr.write('jail: "%s" not found\n' % a)
            error = 1
            continue
        targets.append((CfJail(a), False, n))
    for j, wild, known in targets:
        if j.failed:
            error = 1
            continue
        if docf and known is None:
            if not check_intparams(j):
                error = 1
                continue
        with core.state(readonly=True) as st:
            key = known
            if key is None:
                key = j.string('jid') or j.string('name') or j.name
            n, rec = running(st, key)
            jid = rec['jid'] if rec else None
        if n is None:
            if not wild:
                if verbose >= 0:
                    sys.stderr.write('jail: "%s" not found\n' % j.name)
                error = 1
            continue
        r = Runner(j, verbose, note_remove=note_remove)
        r.name = n
        r.jid = jid
        if not r.stop(from_config=docf and known is None):
            error = 1
    return error


# ---------------------------------------------------------------------------
# jls(8)

def jls_all_params():
    names = [n for n, v in PARAMS.items() if v[0] == 'k' and
             'opt' not in v[2].split()]
    return sorted(names, key=lambda n: ('.' in n, n))


def jls_type(name):
    kp = kernel_param(name)
    if kp is None:
        return None, False
    n, neg = kp
    return (PARAMS[n][1] if n in PARAMS else 'str'), neg


def jls_value(st, rec, name):
    """Exported value (as libjail's jailparam_export) of parameter NAME of
    the running jail REC."""
    kp = kernel_param(name)
    n, neg = kp
    p = rec.get('params', {})
    if n == 'jid':
        v = str(rec['jid'])
    elif n == 'name':
        v = rec['name']
    elif n == 'path':
        v = rec.get('path') or '/'
    elif n == 'host.hostname':
        v = rec.get('hostname', '')
    elif n == 'persist':
        v = 'true' if rec.get('persist') else 'false'
    elif n == 'cpuset.id':
        v = str(rec['jid'] + 1)
    elif n == 'host.hostuuid':
        v = p.get(n, '00000000-0000-0000-0000-000000000000')
    elif n in p:
        v = p[n]
    elif n in KERNEL_DEFAULTS:
        v = KERNEL_DEFAULTS[n]
    else:
        typ = PARAMS.get(n, ('k', 'str', ''))[1]
        v = {'bool': 'false', 'int': '0', 'jailsys': 'new'}.get(typ, '')
    if neg:
        v = 'false' if v == 'true' else 'true'
    return v


def jls_usage():
    core.die('jls: usage: jls [-dhNnqv] [-j jail] [param ...]')


def _q(v, quoted):
    """jls quoted_print()."""
    if v == '':
        return '""'
    qc = '"' if "'" in v else "'" if '"' in v else \
        '"' if (' ' in v or '\t' in v) else ''
    if qc and quoted:
        return qc + v + qc
    return v


@core.tool('jls')
def jls_main(argv):
    args = argv[1:]
    style = None
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--libxo':
            if i + 1 >= len(args):
                jls_usage()
            style = args[i + 1]
            i += 2
            continue
        if a.startswith('--libxo=') or a.startswith('--libxo:'):
            style = a[8:]
            i += 1
            continue
        rest.append(a)
        i += 1
    if style is not None:
        style = style.split(',')[0]
        if style not in ('json', 'text'):
            core.unsupported('jls --libxo %s' % style)
        if style == 'text':
            style = None
    opts, params = core.getopt(rest, 'acdj:hNnqsv',
                               lambda kind, c: jls_usage())
    pf = set()
    jkey = None
    check = False
    for c, v in opts:
        if c in 'ad':
            pass
        elif c == 'j':
            jkey = v
        elif c == 'h':
            pf -= {'skip', 'verbose'}
            pf.add('header')
        elif c == 'N':
            pf.add('jname')
        elif c == 'n':
            pf -= {'verbose'}
            pf.add('nameval')
        elif c == 'q':
            pf.add('quoted')
        elif c == 's':
            pf -= {'header', 'verbose'}
            pf |= {'nameval', 'quoted', 'skip'}
        elif c == 'v':
            pf -= {'header', 'nameval', 'skip'}
            pf.add('verbose')
        elif c == 'c':
            check = True
    names = []
    if not params:
        if pf & {'header', 'nameval'}:
            names = jls_all_params()
        elif 'verbose' not in pf:
            pf.add('default')
    else:
        pf.discard('verbose')
        for p in params:
            if p == 'all':
                names += [n for n in jls_all_params() if n not in names]
                continue
            if jls_type(p)[0] is None:
                if check:
                    return 1
                core.die('jls: unknown parameter: %s' % p)
            if p not in names:
                names.append(p)
    with core.state(readonly=True) as st:
        if jkey is not None:
            n, rec = running(st, jkey)
            if n is None:
                if check:
                    return 1
                core.die('jls: %s' % net.jail_not_found(jkey))
            jails = [rec]
        else:
            jails = sorted(st.get('jails', {}).values(),
                           key=lambda r: r['jid'])
        if check:
            return 0 if jails else 1
        rows = [(rec, {n: jls_value(st, rec, n) for n in
                       set(names) | {'jid', 'name', 'ip4.addr',
                                     'ip6.addr', 'host.hostname', 'path',
                                     'ip4', 'ip6', 'host', 'vnet'}})
                for rec in jails]
    if style == 'json':
        return jls_json(rows, names, pf)
    out = []
    if 'verbose' in pf:
        out.append('   JID  Hostname                      Path')
        out.append('        Name                          State')
        out.append('        CPUSetID')
        out.append('        IP Address(es)')
    elif 'default' in pf:
        if 'jname' in pf:
            out.append(' JID             IP Address      '
                       'Hostname                      Path')
        else:
            out.append('   JID  IP Address      '
                       'Hostname                      Path')
    elif 'header' in pf:
        out.append(' '.join(names))
    for rec, vals in rows:
        if 'verbose' in pf:
            out.append('%6d  %-29.29s %.74s' % (rec['jid'],
                                                vals['host.hostname'],
                                                vals['path']))
            out.append('        %-29.29s %.74s' % (rec['name'], 'ACTIVE'))
            out.append('        %d' % (rec['jid'] + 1))
            for fam in ('ip4.addr', 'ip6.addr'):
                for a in (vals[fam].split(',') if vals[fam] else []):
                    out.append('        %s' % a)
        elif 'default' in pf:
            ip = vals['ip4.addr'].split(',')[0] if vals['ip4.addr'] else ''
            if 'jname' in pf:
                first = ' %-15s ' % rec['name']
            else:
                first = '%6d  ' % rec['jid']
            out.append('%s%-15.15s %-29.29s %.74s' % (
                first, ip, vals['host.hostname'], vals['path']))
        else:
            cols = []
            for n in names:
                v = vals[n]
                typ, neg = jls_type(n)
                if 'skip' in pf:
                    canon = kernel_param(n)[0]
                    if canon in PARAMS and 'ro' in pflags(canon):
                        continue
                    parent = canon.split('.')[0]
                    if '.' in canon and parent in PARAMS and \
                            PARAMS[parent][1] == 'jailsys' and \
                            vals.get(parent, jls_value(
                                {}, rec, parent)) != 'new':
                        continue
                if 'nameval' in pf:
                    if typ == 'bool':
                        cols.append(n if v == 'true' else noname(n)
                                    if not neg else nononame(n))
                        continue
                    if v == '' and typ in ('ip4', 'ip6'):
                        # an empty list: special_print()
                        cols.append(n + '=' + ('""' if 'quoted' in pf
                                               else ''))
                        continue
                    cols.append(n + '=' + _q(v, 'quoted' in pf))
                    continue
                if v == '' and typ in ('ip4', 'ip6'):
                    cols.append('""' if 'quoted' in pf else '-')
                    continue
                cols.append(_q(v, 'quoted' in pf))
            out.append(' '.join(cols))
    sys.stdout.write(''.join(x + '\n' for x in out))
    return 0


def jls_json(rows, names, pf):
    lst = []
    for rec, vals in rows:
        if 'verbose' in pf:
            d = {'jid': rec['jid'], 'hostname': vals['host.hostname'],
                 'path': vals['path'], 'name': rec['name'],
                 'state': 'ACTIVE', 'cpusetid': rec['jid'] + 1,
                 'ipv4_addrs': [a for a in vals['ip4.addr'].split(',') if a],
                 'ipv6_addrs': [a for a in vals['ip6.addr'].split(',') if a]}
        elif 'default' in pf:
            d = {}
            if 'jname' in pf:
                d['name'] = rec['name']
            else:
                d['jid'] = rec['jid']
            d['ipv4'] = vals['ip4.addr'].split(',')[0] if vals['ip4.addr'] \
                else ''
            d['hostname'] = vals['host.hostname']
            d['path'] = vals['path']
        else:
            d = {}
            for n in names:
                v = vals[n]
                typ, _ = jls_type(n)
                if typ in ('ip4', 'ip6'):
                    d[n] = [a for a in v.split(',') if a]
                elif typ == 'bool' and 'nameval' in pf:
                    d[n] = v == 'true'
                else:
                    d[n] = v
        lst.append(d)
    sys.stdout.write(json.dumps({'__version': '2', 'jail-information':
                                 {'jail': lst}}) + '\n')
    return 0


# ---------------------------------------------------------------------------
# jexec(8)

def jexec_usage():
    core.die('usage: jexec [-l] [-d working-directory] [-u username | '
             '-U username] jail [command ...]')


@core.tool('jexec')
def jexec_main(argv):
    opts, args = core.getopt(argv[1:], 'ld:u:U:',
                             lambda kind, c: jexec_usage())
    cwd = '/'
    users = 0
    for c, v in opts:
        if c == 'd':
            cwd = v
        elif c in 'uU':
            users += 1
    if users > 1 or not args:
        jexec_usage()
    key = args[0]
    cmd = args[1:]
    with core.state(readonly=True) as st:
        jname, rec = running(st, key)
        if jname is None:
            core.die('jexec: %s' % net.jail_not_found(key))
        if cwd != '/' and not os.path.isdir(jail_real_path(st, jname, cwd)):
            core.die('jexec: chdir: %s: No such file or directory' % cwd)
    interactive = not cmd or (len(cmd) == 1 and _builtin(cmd[0]) == 'sh') \
        or (os.path.basename(cmd[0]) == 'login' and '-f' in cmd)
    if interactive:
        return jexec_stdin(jname, cwd, ' '.join(cmd) or '(shell)')
    with core.state() as st:
        if jname not in st.get('jails', {}):
            core.die('jexec: jail_attach(%s): Invalid argument' % key)
        ctx = {'cwd': cwd, 'stdin': None, 'exit': None}
        if _builtin(cmd[0]) == 'cat' and (len(cmd) == 1 or '-' in cmd[1:]):
            ctx['stdin'] = sys.stdin.read()
        try:
            code, out, err = shell_exec(st, jname, cmd, ctx)
        except NotFound:
            code, out, err = 1, '', ('jexec: execvp: %s: No such file or '
                                     'directory\n' % cmd[0])
        record_command(st['jails'][jname], 'jexec',
                       ' '.join(core.quote(a) for a in cmd), code)
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


def jexec_stdin(jname, cwd, what):
    """`jexec JAIL` / `jexec -l JAIL sh`: run command lines from stdin."""
    code = 0
    ctx = {'cwd': cwd, 'stdin': '', 'exit': None}
    tty = sys.stdin.isatty()
    while True:
        if tty:
            sys.stderr.write('root@%s:%s # ' % (jname, cwd))
            sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            break
        s = line.strip()
        if not s or s.startswith('#'):
            continue
        with core.state() as st:
            if jname not in st.get('jails', {}):
                break
            try:
                code, out, err = shell_line(st, jname, s, ctx)
            except ShellUnsupported as x:
                code, out, err = 2, '', 'sh: unsupported by fakebsd: %s\n' % x
            record_command(st['jails'][jname], 'jexec', s, code)
        sys.stdout.write(out)
        sys.stdout.flush()
        sys.stderr.write(err)
        sys.stderr.flush()
        if ctx.get('exit') is not None:
            return ctx['exit']
    return code


# ---------------------------------------------------------------------------
# mount(8) and umount(8)

MOUNT_TYPES = ('devfs', 'nullfs', 'fdescfs', 'procfs', 'tmpfs')


def do_mount(st, args):
    """`mount ARGS` (-t TYPE [-o OPTS] SPECIAL NODE) on ST:
    (status, out, err)."""
    try:
        opts, rest = core.getopt(args, 'dfo:rt:uvw',
                                 lambda kind, c: (_ for _ in ()).throw(
                                     ValueError(c)))
    except ValueError as e:
        return 1, '', 'mount: illegal option -- %s\n' % e
    fstype = None
    o = []
    for c, v in opts:
        if c == 't':
            fstype = v
        elif c == 'o':
            o += [x for x in v.split(',') if x]
        elif c == 'r':
            o.append('ro')
        elif c in 'uw':
            return 2, '', 'mount: unsupported by fakebsd: -%s\n' % c
    if fstype is None or len(rest) != 2:
        return 2, '', 'mount: unsupported by fakebsd: %s\n' % ' '.join(args)
    if fstype not in MOUNT_TYPES:
        return 2, '', 'mount: unsupported by fakebsd: -t %s\n' % fstype
    special, node = rest
    prog = 'mount' if fstype in ('devfs',) else 'mount_' + fstype
    # mount(8)/mount_nullfs(8) realpath(3) the mount point (checkpath):
    # a symlink on the way is followed and the kernel records the target.
    node = core.sim_path(core.host_path(core.sim_abspath(node)))
    if not os.path.isdir(core.host_path(node)):
        return 1, '', '%s: %s: No such file or directory\n' % (prog, node)
    if fstype == 'nullfs':
        special = core.sim_abspath(special)
        if not os.path.exists(core.host_path(special)):
            return 1, '', '%s: %s: No such file or directory\n' % (
                prog, special)
    if fstype != 'nullfs':
        special = fstype
    entry = {'fstype': fstype, 'special': special, 'node': node,
             'options': []}
    if fstype in ('nullfs', 'procfs', 'tmpfs'):
        entry['options'].append('local')
    for x in o:
        if x == 'ro':
            entry['options'].append('read-only')
        elif x.startswith('ruleset='):
            entry['ruleset'] = x.split('=', 1)[1]
        elif x in ('rw',):
            pass
        else:
            entry['options'].append(x)
    st.setdefault('mounts', []).append(entry)
    return 0, '', ''


def do_umount(st, args):
    try:
        opts, rest = core.getopt(args, 'afnt:v',
                                 lambda kind, c: (_ for _ in ()).throw(
                                     ValueError(c)))
    except ValueError as e:
        return 1, '', 'umount: illegal option -- %s\n' % e
    force = False
    for c, v in opts:
        if c == 'f':
            force = True
        elif c == 'a':
            return 2, '', 'umount: unsupported by fakebsd: -a\n'
    if not rest:
        return 1, '', ('usage: umount [-fNnv] special ... | node ... | '
                       'fsid ...\n       umount -a | -A [-F fstab] [-fnv] '
                       '[-h host] [-t type]\n')
    code = 0
    err = []
    for p in rest:
        p = core.sim_abspath(p)
        mounts = st.setdefault('mounts', [])
        idx = [i for i, m in enumerate(mounts) if m['node'] == p]
        if idx:
            inside = [m for m in mounts if path_inside(m['node'], p)
                      and m['node'] != p]
            if inside and not force:
                err.append('umount: unmount of %s failed: Device busy\n' % p)
                code = 1
                continue
            del mounts[idx[-1]]
            continue
        ds = [d for d, mp, _ in zfs_mounts(st) if mp == p]
        if ds:
            busy = dataset_busy_paths(st, ds[-1])
            if busy and not force:
                err.append('umount: unmount of %s failed: Device busy\n' % p)
                code = 1
                continue
            from . import zfs as zfsmod
            if zfsmod.nested_mounts(st, ds[-1]) and not force:
                err.append('umount: unmount of %s failed: Device busy\n' % p)
                code = 1
                continue
            zfsmod.do_unmount(st, ds[-1])
            continue
        if not os.path.exists(core.host_path(p)):
            err.append('umount: %s: statfs: No such file or directory\n' % p)
        else:
            err.append('umount: %s: not a file system root directory\n' % p)
        code = 1
    return code, '', ''.join(err)


def mount_list(st, fstab):
    out = []
    for special, node, fstype, opts in all_mounts(st):
        if not fstab:
            out.append('%s on %s (%s)\n' % (special, node,
                                            ', '.join([fstype] + opts)))
            continue
        o = ['ro' if 'read-only' in opts else 'rw'] + [
            x for x in opts if x not in ('local', 'read-only')]
        ot = ','.join(o)
        line = special + ('\t' if len(special) < 8 else '') + \
            ('\t' if len(special) < 16 else '') + \
            ('\t' if len(special) < 24 else ' ')
        line += node + ('\t' if len(node) < 8 else '') + \
            ('\t' if len(node) < 16 else '') + \
            ('\t' if len(node) < 24 else ' ')
        line += fstype + '\t' + ot + ('\t' if len(ot) < 8 else ' ')
        line += '\t0 0\n'
        out.append(line)
    return ''.join(out)


@core.tool('mount')
def mount_main(argv):
    args = argv[1:]
    if all(a in ('-p', '-v', '-l') for a in args):
        with core.state(readonly=True) as st:
            sys.stdout.write(mount_list(st, '-p' in args))
        return 0
    with core.state() as st:
        code, out, err = do_mount(st, args)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


@core.tool('umount')
def umount_main(argv):
    with core.state() as st:
        code, out, err = do_umount(st, argv[1:])
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


# ---------------------------------------------------------------------------
# rc.d/jail for service(8) (called by misc.py)

def _rc_jail_conf(name, rc):
    """The configuration rc.d/jail uses for jail NAME (FreeBSD 14)."""
    own = rc.get('jail_%s_conf' % name) or '/etc/jail.%s.conf' % name
    if os.path.isfile(core.host_path(own)):
        return own
    main = rc.get('jail_conf') or CONF_FILE
    d = '/etc/jail.conf.d/%s.conf' % name
    if os.path.isfile(core.host_path(d)):
        try:
            with open(core.host_path(main)) as fh:
                text = fh.read()
        except OSError:
            text = ''
        included = any(ln.split('#')[0].strip().startswith('.include') and
                       '/etc/jail.conf.d/' in ln for ln in text.splitlines())
        if not included:
            return d
    return main


def service_jail(cmd, args):
    """rc.d/jail start|stop|restart|status [NAME ...]."""
    base, pre = net._rc_base(cmd)
    rc = core.rc_vars()
    if base not in ('start', 'stop', 'restart', 'status', 'config'):
        core.unsupported('service jail %s' % cmd)
    if base == 'config':
        for n in args:
            print('%s: parameters are in %s.' % (n, _rc_jail_conf(n, rc)))
        return 0
    if base != 'status' and pre not in ('one', 'force') and \
            rc.get('jail_enable', 'NO').lower() not in ('yes', 'true', 'on',
                                                        '1'):
        if pre != 'quiet':
            print("Cannot '%s' jail. Set jail_enable to YES in /etc/rc.conf "
                  "or use 'one%s' instead of '%s'." % (base, base, base))
        return 0
    if base == 'status':
        return net.run_tool(['jls', '-N'])
    if base in ('stop', 'restart'):
        _rc_jail_stop(args, rc)
    if base in ('start', 'restart'):
        _rc_jail_start(args, rc)
    return 0


def _rc_jail_start(names, rc):
    sys.stdout.write('Starting jails:')
    sys.stdout.flush()
    if not names:
        names = rc.get('jail_list', '').split()
    if not names:
        conf = rc.get('jail_conf') or CONF_FILE
        argv = ['jail', '-f', conf, '-c']
        if rc.get('jail_parallel_start', 'NO').lower() != 'yes':
            argv.append('-p1')
        code, out, err = net.run_tool(argv, capture=True,
                                      stdin=subprocess.DEVNULL)
        if code == 0:
            with core.state(readonly=True) as st:
                jl = sorted(st.get('jails', {}).values(),
                            key=lambda r: r['jid'])
            for r in jl:
                sys.stdout.write(' %s' % r['name'])
                _write_id(r['name'], r['jid'])
        else:
            sys.stdout.write(out + err)
        sys.stdout.write('.\n')
        return
    for n in names:
        conf = _rc_jail_conf(n, rc)
        code, out, err = net.run_tool(['jail', '-i', '-f', conf, '-c', n],
                                      capture=True, stdin=subprocess.DEVNULL)
        if code == 0:
            sys.stdout.write(' %s' % n)
            jid = out.strip().splitlines()[-1] if out.strip() else ''
            _write_id(n, jid)
        else:
            sys.stdout.write(' cannot start jail "%s": \n%s' % (n,
                                                               out + err))
        sys.stdout.flush()
    sys.stdout.write('.\n')


def _rc_jail_stop(names, rc):
    sys.stdout.write('Stopping jails:')
    sys.stdout.flush()
    if not names:
        with core.state(readonly=True) as st:
            names = [r['name'] for r in sorted(
                st.get('jails', {}).values(), key=lambda r: r['jid'])]
        if rc.get('jail_reverse_stop', 'NO').lower() == 'yes':
            names.reverse()
    for n in names:
        with core.state(readonly=True) as st:
            up = running(st, n)[0] is not None
        if not up:
            continue
        conf = _rc_jail_conf(n, rc)
        code, out, err = net.run_tool(['jail', '-q', '-f', conf, '-r', n],
                                      capture=True, stdin=subprocess.DEVNULL)
        if code == 0:
            sys.stdout.write(' %s' % n)
            try:
                os.unlink(core.host_path('/var/run/jail_%s.id' % n))
            except OSError:
                pass
        else:
            sys.stdout.write(' cannot stop jail %s. Attempted methods:\n%s'
                             % (n, out + err))
        sys.stdout.flush()
    sys.stdout.write('.\n')


def _write_id(name, jid):
    d = core.host_path('/var/run')
    if os.path.isdir(d):
        with open(os.path.join(d, 'jail_%s.id' % name), 'w') as fh:
            fh.write('%s\n' % jid)
