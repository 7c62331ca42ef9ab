"""fakebsd.pkgpf: pfctl(8), OpenBSD's dhcpd(8) and devfs(8), and the rc.d
scripts pf, pflog, devfs and dhcpd (service hooks).  pkg(7)/pkg(8) live in
pkg.py (st['packages'], the host's package database, is pkg.py's).

State (see ../README.md):

    st['kld']       'pf.ko' / 'pflog.ko' appear when rc.d/pf or rc.d/pflog
                     load them (/dev/pf exists only then).
    st['pf']        {enabled, since, rules, anchors, options}: rules is the
                     main ruleset, anchors {PATH: ruleset}, a ruleset being
                     {scrub, filter, nat, rdr, binat: [rule text as
                     pfctl -s prints it], tables: {NAME: {flags, addrs}},
                     refs: [anchor paths its anchor rules call]}.
    st['pflog']     {running, pid}
    st['devfs']     {rulesets: {N: [[rnum, spec], ...]}, names: {NAME: N},
                     dev_ruleset: N, errors: [...]} (the kernel's rulesets:
                     1-5 from /etc/defaults/devfs.rules are loaded at boot)
    st['dhcpd']     {running, pid, interfaces[], conf, subnets[], started,
                     leases: {MAC: {addr, interface, jail, hostname,
                     starts, ends}}}

jail.dhcp_lease() calls dhcp_lease() below for a VNET jail's
DHCP/SYNCDHCP interface.
"""

import fnmatch
import ipaddress
import os
import re
import socket
import sys
import time

from . import core


# ---------------------------------------------------------------------------
# small helpers

def _yes(v):
    return (v or '').strip().lower() in ('yes', 'true', 'on', '1')


_rc_base = core.rc_base


def _rc_service_base(name, cmd):
    """_rc_base of an rc.d script that knows start, stop, restart and
    status (with their prefixes)."""
    base, pre = _rc_base(cmd)
    if base not in ('start', 'stop', 'restart', 'status'):
        core.unsupported('service %s %s' % (name, cmd))
    return base, pre


def _rc_daemon_status(d, daemon):
    """rc.subr's status of the daemon whose state is d."""
    if d.get('running'):
        print('%s is running as pid %d.' % (daemon, d['pid']))
        return 0
    print('%s is not running.' % daemon)
    return 1


def _rc_daemon_stop(d, daemon):
    """rc.subr's stop of the running daemon whose state is d."""
    print('Stopping %s.' % daemon)
    print('Waiting for PIDS: %d.' % d['pid'])
    d['running'] = False


def _rcvar_refused(name, rcvar, cmd, base, pre, rc):
    """rc.subr's run_rc_command: a service whose rcvar is not YES only
    runs with the one/force prefixes; otherwise it prints its message on
    stdout and returns 0."""
    if pre in ('one', 'force'):
        return False
    if _yes(rc.get(rcvar)):
        return False
    if pre == 'quiet':
        return True
    print("Cannot '%s' %s. Set %s to YES in /etc/rc.conf or use 'one%s' "
          "instead of '%s'." % (base, name, rcvar, base, base))
    return True


def _run_tool(argv, capture=False, stdin=None):
    from . import net
    return net.run_tool(argv, capture=capture, stdin=stdin)


def _internal(argv):
    """A command an rc.d script runs, applied in-process: logged in
    calls.log like any call and subject to FAKEBSD_FAIL.  Returns False
    when the simulated failure fires (the message is printed)."""
    core.log_call(argv)
    if core.fault_check(argv):
        sys.stderr.write('%s: simulated failure (FAKEBSD_FAIL)\n' % argv[0])
        return False
    return True


def _read_sim(path):
    """Text of simulated file PATH, or None."""
    try:
        with open(core.host_path(path), encoding='utf-8',
                  errors='surrogateescape') as f:
            return f.read()
    except OSError:
        return None


def _kld(st):
    return st.setdefault('kld', ['kernel'])


def _next_pid(st):
    return core.next_counter(st, 'pid', 1200) + 0


# ---------------------------------------------------------------------------
# pf.conf(5): the lexer and parser of pfctl (FreeBSD 14 sbin/pfctl/parse.y)
#
# yylex() is followed character for character (macros expanded in the
# input, numbers, strings, the tokens '<>' '><' '->'); the grammar is a
# recursive-descent version of the yacc grammar for the statements listed
# in the README.  Messages are yyerror()'s "FILE:LINE: MESSAGE"; after an
# error the rest of the line is skipped (the grammar's `error '\n'`).

PF_KEYWORDS = {
    'all', 'allow-opts', 'altq', 'anchor', 'antispoof', 'any', 'bandwidth',
    'binat', 'binat-anchor', 'bitmask', 'block', 'block-policy',
    'bridge-to', 'buckets', 'cbq', 'code', 'codelq', 'debug',
    'divert-reply', 'divert-to', 'dnpipe', 'dnqueue', 'drop', 'dup-to',
    'ether', 'fail-policy', 'fairq', 'fastroute', 'file', 'fingerprints',
    'flags', 'floating', 'flush', 'for', 'fragment', 'from', 'global',
    'group', 'hfsc', 'hogs', 'hostid', 'icmp-type', 'icmp6-type',
    'if-bound', 'in', 'include', 'inet', 'inet6', 'interval', 'keep',
    'keepcounters', 'l3', 'label', 'limit', 'linkshare', 'load', 'log',
    'loginterface', 'map-e-portset', 'match', 'max', 'max-mss',
    'max-src-conn', 'max-src-conn-rate', 'max-src-nodes', 'max-src-states',
    'min-ttl', 'modulate', 'nat', 'nat-anchor', 'no', 'no-df', 'no-route',
    'no-sync', 'on', 'optimization', 'os', 'out', 'overload', 'pass',
    'port', 'prio', 'priority', 'priq', 'probability', 'proto', 'qlimit',
    'queue', 'quick', 'random', 'random-id', 'rdr', 'rdr-anchor',
    'realtime', 'reassemble', 'reply-to', 'require-order', 'return',
    'return-icmp', 'return-icmp6', 'return-rst', 'ridentifier',
    'round-robin', 'route', 'route-to', 'rtable', 'rule',
    'ruleset-optimization', 'scrub', 'set', 'set-tos', 'skip', 'sloppy',
    'source-hash', 'source-track', 'state', 'state-defaults',
    'state-policy', 'static-port', 'sticky-address', 'syncookies',
    'synproxy', 'table', 'tag', 'tagged', 'target', 'tbrsize', 'timeout',
    'to', 'tos', 'ttl', 'upperlimit', 'urpf-failed', 'user',
}

# /etc/protocols (the entries a pf.conf is likely to name)
PROTOCOLS = {
    'ip': 0, 'icmp': 1, 'igmp': 2, 'ggp': 3, 'ipencap': 4, 'st2': 5,
    'tcp': 6, 'egp': 8, 'pup': 12, 'udp': 17, 'ipv6': 41, 'ipv6-route': 43,
    'ipv6-frag': 44, 'rsvp': 46, 'gre': 47, 'esp': 50, 'ah': 51,
    'ipv6-icmp': 58, 'icmp6': 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60,
    'ospf': 89, 'ipip': 94, 'etherip': 97, 'encap': 98, 'pim': 103,
    'ipcomp': 108, 'vrrp': 112, 'carp': 112, 'l2tp': 115, 'sctp': 132,
    'pfsync': 240, 'divert': 258,
}
PROTO_NAMES = {0: 'ip', 1: 'icmp', 2: 'igmp', 3: 'ggp', 4: 'ipencap',
               5: 'st2', 6: 'tcp', 8: 'egp', 12: 'pup', 17: 'udp',
               41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 46: 'rsvp',
               47: 'gre', 50: 'esp', 51: 'ah', 58: 'ipv6-icmp',
               59: 'ipv6-nonxt', 60: 'ipv6-opts', 89: 'ospf', 94: 'ipip',
               97: 'etherip', 98: 'encap', 103: 'pim', 108: 'ipcomp',
               112: 'carp', 115: 'l2tp', 132: 'sctp', 240: 'pfsync'}

# /etc/services (a subset): name -> port, and port -> name for -s output
SERVICES = {
    'ftp-data': 20, 'ftp': 21, 'ssh': 22, 'telnet': 23, 'smtp': 25,
    'time': 37, 'domain': 53, 'bootps': 67, 'bootpc': 68, 'tftp': 69,
    'gopher': 70, 'finger': 79, 'http': 80, 'www': 80, 'kerberos': 88,
    'pop3': 110, 'sunrpc': 111, 'auth': 113, 'nntp': 119, 'ntp': 123,
    'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139,
    'imap': 143, 'snmp': 161, 'snmptrap': 162, 'bgp': 179, 'ldap': 389,
    'https': 443, 'microsoft-ds': 445, 'syslog': 514, 'submission': 587,
    'ldaps': 636, 'rsync': 873, 'imaps': 993, 'pop3s': 995,
    'openvpn': 1194, 'nfsd': 2049, 'mysql': 3306, 'postgresql': 5432,
    'http-alt': 8080,
}
SERVICE_NAMES = {}
for _n, _p in sorted(SERVICES.items(), key=lambda x: (x[1], x[0])):
    if _p not in SERVICE_NAMES and _n != 'www':
        SERVICE_NAMES[_p] = _n

ICMP_TYPES = {'echorep': 0, 'unreach': 3, 'squench': 4, 'redir': 5,
              'althost': 6, 'echoreq': 8, 'routeradv': 9, 'routersol': 10,
              'timex': 11, 'paramprob': 12, 'timereq': 13, 'timerep': 14,
              'inforeq': 15, 'inforep': 16, 'maskreq': 17, 'maskrep': 18,
              'trace': 30}
ICMP6_TYPES = {'unreach': 1, 'toobig': 2, 'timex': 3, 'paramprob': 4,
               'echoreq': 128, 'echorep': 129, 'groupqry': 130,
               'grouprep': 131, 'groupterm': 132, 'routersol': 133,
               'routeradv': 134, 'neighbrsol': 135, 'neighbradv': 136,
               'redir': 137}

PF_TIMEOUTS = ('tcp.first', 'tcp.opening', 'tcp.established',
               'tcp.closing', 'tcp.finwait', 'tcp.closed', 'tcp.tsdiff',
               'sctp.first', 'sctp.opening', 'sctp.established',
               'sctp.closing', 'sctp.closed', 'udp.first', 'udp.single',
               'udp.multiple', 'icmp.first', 'icmp.error', 'other.first',
               'other.single', 'other.multiple', 'frag', 'interval',
               'adaptive.start', 'adaptive.end', 'src.track')
PF_LIMITS = ('states', 'src-nodes', 'frags', 'table-entries')

ST_NONE, ST_OPTION, ST_ETHER, ST_SCRUB, ST_QUEUE, ST_NAT, ST_FILTER = range(7)


class PfSyntax(Exception):
    """A statement that yacc could not parse or whose action said
    YYERROR: the message (already printed when None)."""
    def __init__(self, msg=None):
        Exception.__init__(self, msg)
        self.msg = msg


class Tok(object):
    __slots__ = ('t', 'v', 'line')

    def __init__(self, t, v=None, line=0):
        self.t, self.v, self.line = t, v, line

    def __repr__(self):
        return 'Tok(%r, %r, %d)' % (self.t, self.v, self.line)


def _isalnum(c):
    return c != '' and c.isascii() and c.isalnum()


def _ispunct(c):
    return c != '' and c.isascii() and c.isprintable() and \
        not c.isalnum() and c != ' '


def _allowed_in_string(c):
    return _isalnum(c) or (_ispunct(c) and c not in '(){}<>!=/#,')


def _allowed_to_end_number(c):
    return c in ' \t\n\r\f\v),/}='


class PfLexer(object):
    """pfctl's yylex/lgetc/lungetc, with a stack of files (include)."""

    def __init__(self, out):
        self.files = []
        self.out = out            # the parser (yyerror, symbols)
        self.parsebuf = None
        self.parseindex = 0
        self.pushback = []
        self.yylineno = 0

    def pushfile(self, name, text):
        self.files.append({'name': name, 'text': text, 'pos': 0,
                           'lineno': 1})

    @property
    def file(self):
        return self.files[-1]

    def _getc(self):
        f = self.file
        if f['pos'] >= len(f['text']):
            return ''
        c = f['text'][f['pos']]
        f['pos'] += 1
        return c

    def popfile(self):
        if len(self.files) > 1:
            self.files.pop()
            return True
        return False

    def lgetc(self, quotec=None):
        if self.parsebuf is not None:
            if self.parseindex >= 0:
                if self.parseindex < len(self.parsebuf):
                    c = self.parsebuf[self.parseindex]
                    self.parseindex += 1
                    return c
                self.parsebuf = None
            else:
                self.parseindex += 1
        if self.pushback:
            return self.pushback.pop()
        if quotec:
            c = self._getc()
            if c == '':
                self.out.yyerror('reached end of file while parsing quoted '
                                 'string')
                if not self.popfile():
                    return ''
                return quotec
            return c
        c = self._getc()
        while c == '\\':
            nxt = self._getc()
            if nxt != '\n':
                c = nxt
                break
            self.yylineno = self.file['lineno']
            self.file['lineno'] += 1
            c = self._getc()
        while c == '':
            if not self.popfile():
                return ''
            c = self._getc()
        return c

    def lungetc(self, c):
        if c == '':
            return
        if self.parsebuf is not None:
            self.parseindex -= 1
            if self.parseindex >= 0:
                return
        self.pushback.append(c)

    def findeol(self):
        self.parsebuf = None
        while True:
            if self.pushback:
                c = self.pushback.pop()
            else:
                c = self.lgetc()
            if c == '\n':
                self.file['lineno'] += 1
                break
            if c == '':
                break
        return Tok('ERROR', None, self.yylineno)

    def lex(self):
        while True:
            buf = ''
            c = self.lgetc()
            while c in (' ', '\t'):
                c = self.lgetc()
            self.yylineno = self.file['lineno']
            if c == '#':
                c = self.lgetc()
                while c not in ('\n', ''):
                    c = self.lgetc()
            if c == '$' and self.parsebuf is None:
                while True:
                    c = self.lgetc()
                    if c == '':
                        return Tok('EOF', None, self.yylineno)
                    if _isalnum(c) or c == '_':
                        buf += c
                        continue
                    self.lungetc(c)
                    break
                val = self.out.symget(buf)
                if val is None:
                    self.out.yyerror("macro '%s' not defined" % buf)
                    return self.findeol()
                self.parsebuf = val
                self.parseindex = 0
                continue
            break
        line = self.yylineno
        if c in ("'", '"'):
            quotec = c
            while True:
                c = self.lgetc(quotec)
                if c == '':
                    return Tok('EOF', None, line)
                if c == '\n':
                    self.file['lineno'] += 1
                    continue
                if c == '\\':
                    nxt = self.lgetc(quotec)
                    if nxt == '':
                        return Tok('EOF', None, line)
                    if nxt == quotec:
                        c = nxt
                    elif nxt == '\n':
                        self.file['lineno'] += 1
                        continue
                    else:
                        self.lungetc(nxt)
                elif c == quotec:
                    break
                buf += c
            return Tok('STRING', buf, line)
        if c == '<':
            nxt = self.lgetc()
            if nxt == '>':
                return Tok('PORTBINARY', '<>', line)
            self.lungetc(nxt)
        elif c == '>':
            nxt = self.lgetc()
            if nxt == '<':
                return Tok('PORTBINARY', '><', line)
            self.lungetc(nxt)
        elif c == '-':
            nxt = self.lgetc()
            if nxt == '>':
                return Tok('ARROW', '->', line)
            self.lungetc(nxt)
        if c == '-' or (c != '' and c.isdigit()):
            buf = c
            c = self.lgetc()
            while c != '' and c.isdigit():
                buf += c
                c = self.lgetc()
            self.lungetc(c)
            if not (buf == '-'):
                if c == '' or _allowed_to_end_number(c):
                    v = int(buf)
                    if v > 2 ** 63 - 1:
                        self.out.yyerror('"%s" invalid number: too large'
                                         % buf)
                        return self.findeol()
                    if v < -2 ** 63:
                        self.out.yyerror('"%s" invalid number: too small'
                                         % buf)
                        return self.findeol()
                    return Tok('NUMBER', v, line)
            for ch in reversed(buf[1:]):
                self.lungetc(ch)
            c = buf[0]
            if c == '-':
                return Tok('-', '-', line)
        if _isalnum(c) or c in (':', '_'):
            buf = c
            c = self.lgetc()
            while c != '' and _allowed_in_string(c):
                buf += c
                c = self.lgetc()
            self.lungetc(c)
            if buf in PF_KEYWORDS:
                return Tok(buf, buf, line)
            return Tok('STRING', buf, line)
        if c == '\n':
            self.yylineno = self.file['lineno']
            self.file['lineno'] += 1
            return Tok('\n', '\n', self.yylineno)
        if c == '':
            return Tok('EOF', None, line)
        return Tok(c, c, line)


# --- addresses

def _inet_pton4(s):
    """inet_pton(AF_INET): four decimal octets, no leading zeros."""
    parts = s.split('.')
    if len(parts) != 4:
        return None
    out = []
    for p in parts:
        if not p.isdigit() or not p.isascii() or (len(p) > 1 and p[0] == '0'):
            return None
        v = int(p)
        if v > 255:
            return None
        out.append(v)
    return '.'.join(str(v) for v in out)


def _inet_net_pton4(s):
    """inet_net_pton(AF_INET, "a[.b[.c[.d]]]/bits"): (addr, bits)."""
    a, _, b = s.partition('/')
    parts = a.split('.')
    if not 1 <= len(parts) <= 4 or not b.isdigit():
        return None
    vals = []
    for p in parts:
        if not p.isdigit() or not p.isascii() or int(p) > 255:
            return None
        vals.append(int(p))
    bits = int(b)
    if bits > 32:
        return None
    vals += [0] * (4 - len(vals))
    return '.'.join(str(v) for v in vals), bits


def _inet_pton6(s):
    try:
        return socket.inet_ntop(socket.AF_INET6,
                                socket.inet_pton(socket.AF_INET6, s))
    except (OSError, ValueError):
        return None


def _host_ifaces(st):
    return st.get('interfaces', {})


def _hosts_file_lookup(name):
    text = _read_sim('/etc/hosts') or ''
    out = []
    for ln in text.splitlines():
        w = ln.split('#')[0].split()
        if len(w) >= 2 and name in w[1:]:
            out.append(w[0])
    if not out and name == 'localhost':
        out = ['127.0.0.1', '::1']
    return out


def _node(t, af=0, **kw):
    n = {'type': t, 'af': af, 'not': False}
    n.update(kw)
    return n


def _add_net_own(net, own, af, a, bits):
    """To net, the network of the interface address a (of family af, 4 or
    6); to own, the address itself (bits: the family's width)."""
    n = ipaddress.ip_interface('%s/%d' % (a['addr'], a['prefixlen']))
    net.append(_node('addrmask', af, addr=str(n.network.network_address),
                     bits=a['prefixlen']))
    own.append(_node('addrmask', af, addr=a['addr'], bits=bits))


class PfParser(object):
    """One pfctl parse_config() run over a file (and its includes)."""

    def __init__(self, st, anchor='', opts=None, macros=None):
        self.st = st
        self.anchor = anchor          # the ruleset loaded ('' = main)
        self.opts = opts or {}
        self.errors = 0
        self.rulestate = ST_NONE
        self.require_order = True
        self.blockpolicy = 'drop'
        self.symbols = dict(macros or {})
        self.persist = set(macros or {})
        self.rules = {'scrub': [], 'filter': [], 'nat': [], 'rdr': [],
                      'binat': []}
        self.tables = {}
        self.refs = []
        self.loads = []              # [(anchor, file)]
        self.options = {}
        self.verbose_out = []
        self.lex = PfLexer(self)
        self.tok = None

    # -- plumbing
    def yyerror(self, msg):
        self.errors += 1
        f = self.lex.file
        sys.stderr.write('%s:%d: %s\n' % (f['name'], self.lex.yylineno, msg))

    def symget(self, name):
        return self.symbols.get(name)

    def next(self):
        self.tok = self.lex.lex()
        return self.tok

    def peek(self):
        return self.tok.t

    def take(self, t=None):
        tok = self.tok
        if t is not None and tok.t != t:
            raise PfSyntax('syntax error')
        self.next()
        return tok

    def accept(self, t):
        if self.tok.t == t:
            return self.take()
        return None

    def fail(self, msg='syntax error'):
        raise PfSyntax(msg)

    def semantic(self, msg):
        """yyerror() then YYERROR."""
        self.yyerror(msg)
        raise PfSyntax(None)

    def check_rulestate(self, desired):
        if self.require_order and self.rulestate > desired:
            self.semantic('Rules must be in order: options, ethernet, '
                          'normalization, queueing, translation, filtering')
        self.rulestate = desired

    def item_list(self, item, opened=False):
        """A list of what item() parses: "{ a, b ... }" (its "{" already
        taken when opened) or a lone item."""
        if opened or self.accept('{'):
            self.optnl()
            out = []
            while True:
                out.append(item())
                self.optnl()
                if self.accept('}'):
                    return out
                self.comma()
                self.optnl()
        return [item()]

    def option_string(self):
        """After a "set" option's name: its STRING value (the option must
        come where options may)."""
        self.next()
        v = self.take('STRING').v
        self.check_rulestate(ST_OPTION)
        return v

    def choice(self, words):
        """After the option's name, one of words: the word."""
        self.next()
        if self.tok.t not in words:
            self.fail()
        return self.take().v

    def optnl(self):
        while self.tok.t == '\n':
            self.next()

    def comma(self):
        self.accept(',')

    # -- top level
    def parse(self, name, text):
        self.lex.pushfile(name, text)
        self.next()
        while self.tok.t != 'EOF':
            if self.tok.t == '\n':
                self.next()
                continue
            try:
                self.statement()
                if self.tok.t != '\n':
                    self.fail()
                self.next()
            except PfSyntax as e:
                if e.msg is not None:
                    self.yyerror(e.msg)
                # ruleset error '\n': skip to the end of the line
                self.errors += 1
                while self.tok.t not in ('\n', 'EOF'):
                    self.next()
                if self.tok.t == '\n':
                    self.next()
        return self.errors == 0

    def statement(self):
        t = self.tok.t
        if t == 'include':
            return self.include()
        if t == 'set':
            return self.option()
        if t in ('ether', 'altq', 'queue'):
            core.unsupported('pf.conf: %s rules' % t)
        if t == 'scrub':
            return self.scrubrule(False)
        if t == 'no':
            self.next()
            if self.tok.t == 'scrub':
                return self.scrubrule(True)
            if self.tok.t in ('nat', 'rdr'):
                return self.natrule(True)
            if self.tok.t == 'binat':
                return self.binatrule(True)
            self.fail()
        if t in ('nat', 'rdr'):
            return self.natrule(False)
        if t == 'binat':
            return self.binatrule(False)
        if t in ('pass', 'block', 'match'):
            return self.pfrule()
        if t in ('anchor', 'nat-anchor', 'rdr-anchor', 'binat-anchor'):
            return self.anchorrule()
        if t == 'load':
            return self.loadrule()
        if t == 'antispoof':
            return self.antispoof()
        if t == 'table':
            return self.tabledef()
        if t == '{':
            core.unsupported('pf.conf: brace anchors')
        if t == 'STRING':
            name = self.take().v
            if self.tok.t == '=':
                return self.varset(name)
        self.fail()

    def include(self):
        self.take('include')
        name = self.take('STRING').v
        try:
            with open(core.read_path(name), encoding='utf-8',
                      errors='surrogateescape') as fh:
                text = fh.read()
        except OSError as e:
            sys.stderr.write('pfctl: %s: %s\n' % (name, e.strerror))
            self.semantic('failed to include file %s' % name)
        self.lex.pushfile(name, text)
        # the grammar wants the '\n' of the include line first
        self.tok = Tok('\n', '\n', self.lex.yylineno)

    def varset(self, name):
        self.take('=')
        vals = []
        while self.tok.t in ('STRING', 'NUMBER'):
            vals.append(str(self.take().v))
        if not vals:
            self.fail()
        if any(c.isspace() for c in name[1:]):
            self.semantic('macro name cannot contain whitespace')
        if name not in self.persist:
            self.symbols[name] = ' '.join(vals)

    def string(self):
        """string: STRING string | STRING (concatenated with spaces)."""
        v = [self.take('STRING').v]
        while self.tok.t == 'STRING':
            v.append(self.take().v)
        return ' '.join(v)

    def number(self):
        if self.tok.t == 'NUMBER':
            return self.take().v
        if self.tok.t == 'STRING':
            s = self.take().v
            v = _strtoul(s)
            if v is None:
                self.semantic('%s is not a number' % s)
            return v
        self.fail()

    # -- options
    def option(self):
        self.take('set')
        t = self.tok.t
        o = self.options
        if t == 'skip':
            self.next()
            self.take('on')
            ifs = self.interface_list()
            o.setdefault('skip', [])
            for i in ifs:
                if i['not']:
                    self.yyerror('skip on ! <interface> is not supported')
                    self.semantic('error setting skip interface(s)')
                o['skip'].append(i['name'])
            return
        if t == 'block-policy':
            v = self.choice(('drop', 'return'))
            self.check_rulestate(ST_OPTION)
            self.blockpolicy = v
            o['block-policy'] = v
            return
        if t == 'fail-policy':
            v = self.choice(('drop', 'return'))
            self.check_rulestate(ST_OPTION)
            o['fail-policy'] = v
            return
        if t == 'state-policy':
            o['state-policy'] = self.choice(('if-bound', 'floating'))
            return
        if t == 'require-order':
            self.next()
            self.require_order = self.yesno()
            return
        if t == 'loginterface':
            self.next()
            if self.tok.t == 'all':
                self.next()
                v = 'all'
            else:
                v = self.take('STRING').v
            self.check_rulestate(ST_OPTION)
            o['loginterface'] = v
            return
        if t == 'optimization':
            v = self.option_string()
            if v.lower() not in ('normal', 'satellite', 'high-latency',
                                 'conservative', 'aggressive'):
                sys.stderr.write('pfctl: invalid state timeouts '
                                 'optimization\n')
                self.semantic('unknown optimization %s' % v)
            o['optimization'] = v
            return
        if t == 'ruleset-optimization':
            self.next()
            v = self.take('STRING').v
            if v not in ('none', 'basic', 'profile'):
                self.semantic('unknown ruleset-optimization %s' % v)
            o['ruleset-optimization'] = v
            return
        if t == 'debug':
            v = self.option_string()
            if v not in ('none', 'urgent', 'misc', 'loud'):
                sys.stderr.write('pfctl: unknown debug level "%s"\n' % v)
                self.semantic('error setting debuglevel %s' % v)
            o['debug'] = v
            return
        if t == 'hostid':
            self.next()
            v = self.number()
            if v == 0 or v > 0xffffffff:
                self.semantic('hostid must be non-zero')
            o['hostid'] = v
            return
        if t == 'reassemble':
            self.next()
            v = self.yesno()
            nodf = bool(self.accept('no-df'))
            self.check_rulestate(ST_OPTION)
            o['reassemble'] = [v, nodf]
            return
        if t == 'keepcounters':
            self.next()
            o['keepcounters'] = True
            return
        if t in ('timeout', 'limit'):
            self.next()
            if self.accept('{'):
                self.optnl()
                while True:
                    self.timeout_limit(t)
                    self.optnl()
                    if self.accept('}'):
                        break
                    self.comma()
                    self.optnl()
            else:
                self.timeout_limit(t)
            return
        if t == 'fingerprints':
            self.next()
            self.take('STRING')
            self.check_rulestate(ST_OPTION)
            return
        if t in ('state-defaults', 'syncookies'):
            core.unsupported('pf.conf: set %s' % t)
        self.fail()

    def timeout_limit(self, kind):
        if kind == 'timeout' and self.tok.t == 'interval':
            self.next()
            name = 'interval'
        else:
            name = self.take('STRING').v
        v = self.take('NUMBER').v
        self.check_rulestate(ST_OPTION)
        if v < 0 or v > 0xffffffff:
            self.semantic('only positive values permitted')
        if kind == 'timeout':
            if name.lower() not in PF_TIMEOUTS:
                sys.stderr.write('pfctl: Bad timeout name.\n')
                self.semantic('unknown timeout %s' % name)
            self.options.setdefault('timeout', {})[name] = v
        else:
            if name.lower() not in PF_LIMITS:
                sys.stderr.write('pfctl: Bad pool name.\n')
                self.semantic('unable to set limit %s %u' % (name, v))
            self.options.setdefault('limit', {})[name] = v

    def yesno(self):
        if self.accept('no'):
            return False
        v = self.take('STRING').v
        if v != 'yes':
            self.semantic("invalid value '%s', expected 'yes' or 'no'" % v)
        return True

    # -- interfaces, af, proto
    def if_item(self):
        name = self.take('STRING').v
        if len(name) >= 16:
            self.semantic('interface name too long')
        return name

    def interface_list(self):
        """ON's argument: if_item_not | '{' if_list '}'."""
        out = []
        if self.accept('{'):
            self.optnl()
            while True:
                neg = bool(self.accept('!'))
                out.append({'name': self.if_item(), 'not': neg})
                self.optnl()
                if self.accept('}'):
                    break
                self.comma()
                self.optnl()
            return out
        neg = bool(self.accept('!'))
        return [{'name': self.if_item(), 'not': neg}]

    def interface(self):
        if self.accept('on'):
            return self.interface_list()
        return [None]

    def af(self):
        if self.accept('inet'):
            return 4
        if self.accept('inet6'):
            return 6
        return 0

    def proto_item(self):
        if self.tok.t == 'NUMBER':
            v = self.take().v
            if v < 0 or v > 255:
                self.semantic('protocol outside range')
        else:
            name = self.take('STRING').v
            if name not in PROTOCOLS:
                self.semantic('unknown protocol %s' % name)
            v = PROTOCOLS[name]
        if v == 0:
            self.semantic('proto 0 cannot be used')
        return v

    def proto(self):
        if not self.accept('proto'):
            return [None]
        return self.item_list(self.proto_item)

    # -- hosts and ports
    def host_lookup(self, s):
        """pfctl_parser.c host(): interface, IPv4, IPv6, name."""
        mask = None
        base = s
        if '/' in s:
            base, _, m = s.rpartition('/')
            if not m.isdigit() or int(m) > 128:
                sys.stderr.write("invalid netmask '/%s'\n" % m)
                return None
            mask = int(m)
        ifs = _host_ifaces(self.st)
        if base in ifs or base == 'self':
            out = []
            sel = ifs.items() if base == 'self' else [(base, ifs[base])]
            for n, r in sel:
                for a in r.get('inet', []):
                    out.append(_node('addrmask', 4, addr=a['addr'],
                                     bits=32 if mask is None else
                                     min(mask, 32)))
                for a in r.get('inet6', []):
                    if a['addr'].startswith('fe80:'):
                        continue
                    out.append(_node('addrmask', 6, addr=a['addr'],
                                     bits=128 if mask is None else mask))
            if out:
                return out
        if mask is not None:
            r = _inet_net_pton4(s)
            if r is not None:
                return [_node('addrmask', 4, addr=r[0], bits=r[1])]
        else:
            a = _inet_pton4(s)
            if a is not None:
                return [_node('addrmask', 4, addr=a, bits=32)]
        a6 = _inet_pton6(base)
        if a6 is not None:
            return [_node('addrmask', 6, addr=a6,
                          bits=128 if mask is None else mask)]
        out = []
        for a in _hosts_file_lookup(base):
            if _inet_pton4(a):
                out.append(_node('addrmask', 4, addr=a,
                                 bits=32 if mask is None else min(mask, 32)))
            elif _inet_pton6(a):
                out.append(_node('addrmask', 6, addr=_inet_pton6(a),
                                 bits=128 if mask is None else mask))
        if out:
            return out
        sys.stderr.write('no IP address found for %s\n' % s)
        return None

    def host(self):
        t = self.tok.t
        if t == '<':
            self.next()
            name = self.take('STRING').v
            self.take('>')
            if len(name) >= 32:
                self.semantic("table name '%s' too long" % name)
            return [_node('table', 0, table=name)]
        if t == '(':
            h = self.dynaddr()
            if self.accept('/'):
                bits = self.take('NUMBER').v
                if bits < 0 or bits > 128:
                    self.semantic('bit number too big')
                h[0]['bits'] = bits
            return h
        if t == 'NUMBER':
            a = self.take().v
            self.take('/')
            b = self.take('NUMBER').v
            hs = self.host_lookup('%d/%d' % (a, b))
            if hs is None:
                self.semantic('could not parse host specification')
            return hs
        s = self.take('STRING').v
        if self.tok.t == '/':
            self.next()
            b = self.take('NUMBER').v
            hs = self.host_lookup('%s/%d' % (s, b))
            if hs is None:
                self.semantic('could not parse host specification')
            return hs
        if self.tok.t == '-':
            self.next()
            e = self.take('STRING').v
            b, en = self.host_lookup(s), self.host_lookup(e)
            if b is None or en is None or len(b) != 1 or len(en) != 1 or \
                    b[0]['af'] != en[0]['af'] or \
                    b[0]['bits'] != (32 if b[0]['af'] == 4 else 128) or \
                    en[0]['bits'] != (32 if en[0]['af'] == 4 else 128):
                if b is None or en is None:
                    self.semantic('could not parse host specification')
                self.semantic('invalid address range')
            return [_node('range', b[0]['af'], addr=b[0]['addr'],
                          end=en[0]['addr'])]
        hs = self.host_lookup(s)
        if hs is None:
            self.semantic('could not parse host specification')
        return hs

    def dynaddr(self):
        self.take('(')
        s = self.take('STRING').v
        self.take(')')
        if not s[:1].isalpha():
            self.semantic("invalid interface name '%s'" % s)
        flags = []
        name = s
        while ':' in name:
            name, _, mod = name.rpartition(':')
            if mod not in ('network', 'broadcast', 'peer', '0'):
                self.semantic('interface %s has bad modifier' % s)
            flags.append(mod)
        if len([f for f in flags if f != '0']) > 1:
            self.semantic('illegal combination of interface modifiers')
        if len(name) >= 16:
            self.semantic('interface name too long')
        order = [f for f in ('network', 'broadcast', 'peer', '0')
                 if f in flags]
        return [_node('dynif', 0, ifname=name, iflags=order, bits=128)]

    def xhost(self):
        neg = bool(self.accept('!'))
        if self.accept('no-route'):
            hs = [_node('noroute')]
        elif self.accept('urpf-failed'):
            hs = [_node('urpf')]
        else:
            hs = self.host()
        for h in hs:
            h['not'] = neg
        return hs

    def ipspec(self):
        """ANY (None) | xhost | '{' host_list '}'."""
        if self.accept('any'):
            return None
        if self.accept('{'):
            self.optnl()
            out = None
            while True:
                h = self.ipspec()
                if h is not None:
                    out = (out or []) + h
                self.optnl()
                if self.accept('}'):
                    return out
                self.comma()
                self.optnl()
        return self.xhost()

    def getservice(self, s):
        v = _strtoul(s)
        if v is not None:
            if v > 65535:
                self.semantic('illegal port value %d' % v)
            return v
        if s in SERVICES:
            return SERVICES[s]
        self.semantic('unknown port %s' % s)

    def numberstring(self):
        if self.tok.t == 'NUMBER':
            return str(self.take().v)
        return self.take('STRING').v

    def parseport(self, s, rng=False, star=False):
        """(a, b, t) as parseport(): t None, 'IRG' (a:*), 'RRG' (a:b)."""
        if ':' not in s:
            return self.getservice(s), 0, None
        a, _, b = s.partition(':')
        if star and b == '*':
            return self.getservice(a), 0, 'IRG'
        if rng:
            pa, pb = self.getservice(a), self.getservice(b)
            if pa == pb:
                return pa, 0, None
            return pa, pb, 'RRG'
        self.fail()

    def port_item(self):
        op = None
        t = self.tok.t
        if t == '=':
            self.next()
            op = 'EQ'
        elif t == '!':
            self.next()
            self.take('=')
            op = 'NE'
        elif t == '<':
            self.next()
            op = 'LE' if self.accept('=') else 'LT'
        elif t == '>':
            self.next()
            op = 'GE' if self.accept('=') else 'GT'
        a, b, rt = self.parseport(self.numberstring(), rng=True)
        if op is not None:
            if rt:
                self.semantic("':' cannot be used with an other port "
                              "operator")
            return {'op': op, 'a': a, 'b': b}
        if self.tok.t == 'PORTBINARY':
            bop = self.take().v
            a2, _, rt2 = self.parseport(self.numberstring(), rng=True)
            if rt or rt2:
                self.semantic("':' cannot be used with an other port "
                              "operator")
            return {'op': 'XRG' if bop == '<>' else 'IRG', 'a': a, 'b': a2}
        return {'op': 'RRG' if rt else 'EQ', 'a': a, 'b': b}

    def portspec(self):
        return self.item_list(self.port_item)

    def ipportspec(self):
        if self.accept('port'):
            return None, self.portspec()
        h = self.ipspec()
        p = None
        if self.accept('port'):
            p = self.portspec()
        return h, p

    def fromto(self):
        """(src hosts, src ports, dst hosts, dst ports)."""
        if self.accept('all'):
            return None, None, None, None
        sh = sp = dh = dp = None
        if self.accept('from'):
            sh, sp = self.ipportspec()
        if self.tok.t == 'os':
            core.unsupported('pf.conf: os fingerprints')
        if self.accept('to'):
            dh, dp = self.ipportspec()
            for h in dh or []:
                if h['type'] == 'urpf':
                    self.semantic('"urpf-failed" is not permitted in a '
                                  'destination address')
        return sh, sp, dh, dp

    # -- filter options
    def flag_set(self, s):
        v = ''
        for c in s:
            if c not in 'FSRPAUEW':
                self.semantic('bad flags %s' % s)
            if c not in v:
                v += c
        return ''.join(c for c in 'FSRPAUEW' if c in v)

    def keep_opts(self):
        if not self.accept('('):
            return []
        out = []
        while True:
            t = self.tok.t
            if t == 'max':
                self.next()
                out.append('max %d' % self.take('NUMBER').v)
            elif t == 'no-sync':
                self.next()
                out.append('no-sync')
            elif t == 'source-track':
                self.next()
                if self.tok.t in ('rule', 'global'):
                    out.append('source-track %s' % self.take().v)
                else:
                    out.append('source-track')
            elif t in ('max-src-nodes', 'max-src-states', 'max-src-conn'):
                self.next()
                out.append('%s %d' % (t, self.take('NUMBER').v))
            elif t == 'max-src-conn-rate':
                self.next()
                a = self.take('NUMBER').v
                self.take('/')
                out.append('max-src-conn-rate %d/%d'
                           % (a, self.take('NUMBER').v))
            elif t == 'overload':
                self.next()
                self.take('<')
                tb = self.take('STRING').v
                self.take('>')
                s = 'overload <%s>' % tb
                if self.accept('flush'):
                    s += ' flush'
                    if self.accept('global'):
                        s += ' global'
                out.append(s)
            elif t in ('if-bound', 'floating', 'sloppy'):
                self.next()
                out.append(t)
            elif t == 'STRING':
                name = self.take().v
                v = self.take('NUMBER').v
                if name not in PF_TIMEOUTS:
                    self.semantic('illegal timeout name %s' % name)
                if '.' not in name:
                    self.semantic('illegal state timeout %s' % name)
                out.append('%s %d' % (name, v))
            else:
                self.fail()
            if self.accept(')'):
                return out
            self.comma()

    def number_upto(self, hi, what):
        """A NUMBER from 0 to hi, the value of the option what."""
        v = self.take('NUMBER').v
        if v < 0 or v > hi:
            self.semantic('illegal %s value %d' % (what, v))
        return v

    def scrub_opts(self, r, inparen):
        """scrub_opt list: no-df, min-ttl N, max-mss N, set-tos, random-id,
        reassemble tcp, fragment reassemble|no reassemble, rtable N."""
        while True:
            t = self.tok.t
            if t == 'no-df':
                self.next()
                r['nodf'] = True
            elif t == 'min-ttl':
                self.next()
                r['minttl'] = self.number_upto(255, 'min-ttl')
            elif t == 'max-mss':
                self.next()
                r['maxmss'] = self.number_upto(65535, 'max-mss')
            elif t == 'random-id':
                self.next()
                r['randomid'] = True
            elif t == 'reassemble':
                self.next()
                v = self.take('STRING').v
                if v.lower() != 'tcp':
                    self.semantic("scrub reassemble supports only tcp, not "
                                  "'%s'" % v)
                r['reass_tcp'] = True
            elif t == 'fragment' and not inparen:
                self.next()
                if self.accept('no'):
                    self.take('reassemble')
                    r['fragnoreass'] = True
                else:
                    self.take('reassemble')
            elif t == 'set-tos':
                self.next()
                r['settos'] = self.tos()
            elif t == 'rtable':
                self.next()
                r['rtable'] = self.rtable_value()
            else:
                return
            if inparen:
                self.comma()

    def tos(self):
        if self.tok.t == 'NUMBER':
            v = self.take().v
        else:
            s = self.take('STRING').v
            names = {'lowdelay': 0x10, 'throughput': 0x08,
                     'reliability': 0x04}
            if s.lower() in names:
                v = names[s.lower()]
            elif s.startswith('0x'):
                try:
                    v = int(s, 16)
                except ValueError:
                    v = 256
            else:
                v = 256
            if v > 255:
                self.semantic('illegal tos value %s' % s)
        if v < 0 or v > 255:
            self.semantic('illegal tos value %s' % v)
        return v

    def rtable_value(self):
        v = self.take('NUMBER').v
        fibs = self.st.get('sysctl', {}).get('net.fibs', [1])[0]
        if v < 0 or v > fibs - 1:
            self.semantic('invalid rtable id')
        return v

    def filter_opts(self, r):
        while True:
            t = self.tok.t
            if t == 'flags':
                self.next()
                if 'flags' in r:
                    self.semantic('flags cannot be redefined')
                if self.accept('any'):
                    r['flags'] = ('', '')
                else:
                    a = ''
                    if self.tok.t == 'STRING':
                        a = self.flag_set(self.take().v)
                    self.take('/')
                    b = self.flag_set(self.take('STRING').v)
                    r['flags'] = (a, b)
            elif t in ('keep', 'modulate', 'synproxy', 'no'):
                self.next()
                self.take('state')
                if 'keep' in r:
                    self.semantic('modulate or keep cannot be redefined')
                r['keep'] = {'keep': 'keep', 'modulate': 'modulate',
                             'synproxy': 'synproxy', 'no': None}[t]
                r['state_opts'] = self.keep_opts() if t != 'no' else []
            elif t == 'label':
                self.next()
                r.setdefault('labels', []).append(self.take('STRING').v)
                if len(r['labels']) > 5:
                    self.semantic('label can only be used 5 times')
            elif t == 'tag':
                self.next()
                r['tag'] = self.string()
            elif t == '!' or t == 'tagged':
                neg = bool(self.accept('!'))
                self.take('tagged')
                r['tagged'] = ('!' if neg else '', self.string())
            elif t == 'fragment':
                self.next()
                r['fragment'] = True
            elif t == 'allow-opts':
                self.next()
                r['allowopts'] = True
            elif t == 'rtable':
                self.next()
                r['rtable'] = self.rtable_value()
            elif t == 'ridentifier':
                self.next()
                r['ridentifier'] = self.number()
            elif t == 'prio':
                self.next()
                v = self.take('NUMBER').v
                if v < 0 or v > 7:
                    self.semantic('prio must be 0 - 7')
                r['prio'] = v
            elif t == 'tos':
                self.next()
                r['tos'] = self.tos()
            elif t == 'probability':
                self.next()
                if self.tok.t == 'NUMBER':
                    p = float(self.take().v)
                    txt = None
                else:
                    txt = self.take('STRING').v
                    m = re.match(r'^([0-9.]+)(%?)$', txt)
                    if not m:
                        self.semantic('invalid probability: %s' % txt)
                    p = float(m.group(1)) * (0.01 if m.group(2) else 1)
                if p < 0 or p > 1:
                    self.semantic('invalid probability: %f'
                                  % (p * 0xffffffff))
                r['prob'] = p
            elif t == 'queue':
                self.next()
                if self.accept('('):
                    q = [self.take('STRING').v]
                    if self.accept(','):
                        q.append(self.take('STRING').v)
                    self.take(')')
                else:
                    q = [self.take('STRING').v]
                r['queue'] = q
            elif t == 'icmp-type' or t == 'icmp6-type':
                self.next()
                r['icmp'] = (t, self.icmp_list(t))
            elif t == 'scrub':
                self.next()
                self.take('(')
                sc = {}
                self.scrub_opts(sc, True)
                self.take(')')
                r['scrub'] = sc
            elif t == 'set':
                self.next()
                if self.accept('('):
                    while not self.accept(')'):
                        self.filter_set(r)
                        self.comma()
                else:
                    self.filter_set(r)
            elif t in ('user', 'group', 'divert-to', 'divert-reply',
                       'dnpipe', 'dnqueue', 'max-mss', 'min-ttl'):
                core.unsupported('pf.conf: %s' % t)
            else:
                return

    def filter_set(self, r):
        if self.accept('prio'):
            if self.accept('('):
                a = self.take('NUMBER').v
                self.comma()
                b = self.take('NUMBER').v
                self.take(')')
            else:
                a = b = self.take('NUMBER').v
            if not (0 <= a <= 7 and 0 <= b <= 7):
                self.semantic('prio must be 0 - 7')
            r['setprio'] = (a, b)
        elif self.accept('tos'):
            r['settos'] = self.tos()
        else:
            self.fail()

    def icmp_list(self, kind):
        table = ICMP_TYPES if kind == 'icmp-type' else ICMP6_TYPES

        def item():
            if self.tok.t == 'NUMBER':
                v = self.take().v
                if v < 0 or v > 255:
                    self.semantic('illegal %s %d' % (kind, v))
                name = str(v)
            else:
                name = self.take('STRING').v
                if name not in table:
                    self.semantic('unknown %s %s' % (kind, name))
            if self.accept('code'):
                c = self.take().v
                name += ' code %s' % c
            return name
        return self.item_list(item)

    # -- logquick, dir
    def dir(self):
        if self.accept('in'):
            return 'in'
        if self.accept('out'):
            return 'out'
        return None

    def log(self):
        if not self.accept('log'):
            return None
        if self.accept('('):
            opts = []
            while True:
                if self.tok.t in ('all', 'user', 'group'):
                    opts.append(self.take().v)
                elif self.accept('to'):
                    s = self.string()
                    if not s.startswith('pflog'):
                        self.semantic('%s: should be a pflog interface' % s)
                    opts.append('to %s' % s)
                else:
                    self.fail()
                if self.accept(')'):
                    break
                self.comma()
            return opts
        return []

    def logquick(self):
        log = quick = None
        if self.tok.t == 'quick':
            self.next()
            quick = True
            log = self.log()
        else:
            log = self.log()
            if self.accept('quick'):
                quick = True
        return log, bool(quick)

    # -- the rules
    def pfrule(self):
        r = {'kind': 'filter'}
        t = self.take().t
        r['action'] = t
        if t == 'block':
            bt = self.tok.t
            if bt in ('drop', 'return', 'return-rst', 'return-icmp',
                      'return-icmp6'):
                self.next()
                r['block'] = bt
                if bt in ('return-rst', 'return-icmp', 'return-icmp6') and \
                        self.tok.t == '(':
                    self.next()
                    parts = []
                    while not self.accept(')'):
                        parts.append(str(self.take().v))
                    r['block'] += '(%s)' % ' '.join(parts)
            else:
                r['block'] = self.blockpolicy
        r['direction'] = self.dir()
        r['log'], r['quick'] = self.logquick()
        ifs = self.interface()
        if self.tok.t in ('route-to', 'reply-to', 'dup-to', 'fastroute'):
            core.unsupported('pf.conf: %s' % self.tok.t)
        r['af'] = self.af()
        protos = self.proto()
        sh, sp, dh, dp = self.fromto()
        self.filter_opts(r)
        self.check_rulestate(ST_FILTER)
        fl = r.get('flags')
        if fl is not None:
            a, b = fl
            if not set(a) <= set(b):
                self.semantic('flags always false')
            if (a or b) and protos != [None] and 6 not in protos:
                self.semantic('flags only apply to tcp')
        keep = r.get('keep', 'unset')
        if keep == 'unset':
            r['keep'] = 'keep' if t == 'pass' else None
            r['state_opts'] = []
        if t == 'pass' and fl is None and not r.get('fragment') and \
                r['keep']:
            r['flags'] = ('S', 'SA')
        self.expand(r, ifs, None, protos, sh, sp, dh, dp)

    def anchorrule(self):
        t = self.take().t
        if t == 'anchor':
            name = None
            if self.tok.t == 'STRING':
                name = self.take().v
            r = {'kind': 'filter', 'action': 'anchor'}
            r['direction'] = self.dir()
            r['quick'] = bool(self.accept('quick'))
            r['log'] = None
            ifs = self.interface()
            r['af'] = self.af()
            protos = self.proto()
            sh, sp, dh, dp = self.fromto()
            self.filter_opts(r)
            if self.tok.t == '{':
                core.unsupported('pf.conf: brace anchors')
            self.check_rulestate(ST_FILTER)
            if name and (name[0] == '_' or '/_' in name):
                self.semantic("anchor names beginning with '_' are "
                              "reserved for internal use")
            if not name:
                self.semantic('anchors without explicit rules must specify '
                              'a name')
            if r.get('keep', 'unset') not in ('unset',):
                self.semantic('cannot specify state handling on anchors')
            r['keep'] = None
            r['state_opts'] = []
            r['anchor'] = name
            self.refs.append(['filter', self.resolve_anchor(name)])
            self.expand(r, ifs, None, protos, sh, sp, dh, dp)
            return
        name = self.string()
        kind = {'nat-anchor': 'nat', 'rdr-anchor': 'rdr',
                'binat-anchor': 'binat'}[t]
        ifs = self.interface()
        af = self.af()
        protos = self.proto()
        sh, sp, dh, dp = self.fromto()
        rt = None
        if self.accept('rtable'):
            rt = self.rtable_value()
        self.check_rulestate(ST_NAT)
        r = {'kind': kind, 'action': kind, 'anchor': name, 'af': af,
             'direction': None, 'log': None, 'quick': False,
             'keep': None, 'state_opts': []}
        if rt is not None:
            r['rtable'] = rt
        if kind == 'rdr':
            if sp:
                self.semantic('source port parameter not supported in '
                              'rdr-anchor')
            if dp:
                if len(dp) > 1:
                    self.semantic('destination port list expansion not '
                                  'supported in rdr-anchor')
                if dp[0]['op'] != 'EQ':
                    self.semantic('destination port operators not '
                                  'supported in rdr-anchor')
        if kind == 'binat':
            if protos != [None] and len(protos) > 1:
                self.semantic('proto list expansion not supported in '
                              'binat-anchor')
            if sh or sp or dh or dp:
                self.semantic('fromto parameter not supported in '
                              'binat-anchor')
        self.refs.append([kind, self.resolve_anchor(name)])
        self.expand(r, ifs, None, protos, sh, sp, dh, dp)

    def resolve_anchor(self, name):
        """pf_anchor_setup(): the ruleset path an anchor rule calls."""
        if name.startswith('/'):
            path = name[1:]
        else:
            path = self.anchor
            while name.startswith('../'):
                path = path.rpartition('/')[0] if '/' in path else ''
                name = name[3:]
            path = (path + '/' + name) if path else name
        if path.endswith('/*'):
            path = path[:-2]
        elif path == '*':
            path = ''
        return path

    def loadrule(self):
        self.take('load')
        self.take('anchor')
        name = self.string()
        self.take('from')
        fname = self.string()
        full = ('%s/%s' % (self.anchor, name)) if self.anchor else name
        self.loads.append((full, fname))

    def scrubrule(self, no):
        self.take('scrub')
        r = {'kind': 'scrub', 'action': 'no scrub' if no else 'scrub'}
        r['direction'] = self.dir()
        r['log'], quick = self.logquick()
        ifs = self.interface()
        r['af'] = self.af()
        protos = self.proto()
        sh, sp, dh, dp = self.fromto()
        sc = {}
        self.scrub_opts(sc, False)
        self.check_rulestate(ST_SCRUB)
        if quick:
            self.semantic("scrub rules do not support 'quick'")
        if sc.get('reass_tcp') and r['direction']:
            self.semantic('reassemble tcp rules can not specify direction')
        r['quick'] = False
        r['keep'] = None
        r['state_opts'] = []
        r['scrubopts'] = sc
        self.expand(r, ifs, None, protos, sh, sp, dh, dp)

    def natpasslog(self):
        natpass = bool(self.accept('pass'))
        log = self.log()
        return natpass, log

    def pool_opts(self):
        p = {'type': None, 'static': False, 'sticky': False}

        def once(key, value, what):
            self.next()
            if p[key]:
                self.semantic('%s cannot be redefined' % what)
            p[key] = value
        while True:
            t = self.tok.t
            if t in ('bitmask', 'random', 'round-robin'):
                once('type', t, 'pool type')
            elif t == 'source-hash':
                once('type', 'source-hash', 'pool type')
                if self.tok.t == 'STRING':
                    k = self.string()
                    if k.startswith('0x') and len(k) != 34:
                        self.semantic('hex key must be 128 bits (32 hex '
                                      'digits) long')
                    p['key'] = k
            elif t == 'static-port':
                once('static', True, 'static-port')
            elif t == 'sticky-address':
                once('sticky', True, 'sticky-address')
            elif t == 'map-e-portset':
                core.unsupported('pf.conf: map-e-portset')
            else:
                return p

    def redirspec(self):
        if self.accept('{'):
            return [h for hs in self.item_list(self.host, True) for h in hs]
        return self.host()

    def nat_head(self, kind, no, natpass, log):
        """The rule dict of a nat, rdr or binat rule, with its tag, tagged
        and rtable options parsed."""
        r = {'kind': kind, 'action': ('no ' + kind) if no else kind,
             'natpass': natpass, 'log': log, 'direction': None,
             'quick': False, 'keep': None, 'state_opts': []}
        if self.accept('tag'):
            r['tag'] = self.take('STRING').v
        if self.tok.t in ('!', 'tagged'):
            neg = bool(self.accept('!'))
            self.take('tagged')
            r['tagged'] = ('!' if neg else '', self.string())
        if self.accept('rtable'):
            r['rtable'] = self.rtable_value()
        return r

    def natrule(self, no):
        t = self.take().t
        natpass, log = self.natpasslog()
        if no and natpass:
            self.semantic('"pass" not valid with "no"')
        ifs = self.interface()
        af = self.af()
        protos = self.proto()
        sh, sp, dh, dp = self.fromto()
        r = self.nat_head(t, no, natpass, log)
        redir = None
        if self.accept('ARROW'):
            redir = {'hosts': self.redirspec(), 'a': 0, 'b': 0, 't': None}
            if self.accept('port'):
                a, b, rt = self.parseport(self.numberstring(), rng=True,
                                          star=True)
                redir.update(a=a, b=b, t=rt)
        pool = self.pool_opts()
        self.check_rulestate(ST_NAT)
        if not af:
            for hs in (sh, dh):
                for h in hs or []:
                    if h['af']:
                        af = h['af']
                        break
                if af:
                    break
        if no:
            if redir is not None:
                self.semantic("translation rule with 'no' does not need "
                              "'->'")
            hosts = None
        else:
            if redir is None or not redir['hosts']:
                self.semantic("translation rule requires '-> address'")
            hosts = redir['hosts']
            if not af and hosts[0]['af']:
                af = hosts[0]['af']
            hosts = [h for h in hosts if not (af and h['af'] and
                                               h['af'] != af)]
            for h in hosts:
                if h['af'] and not af:
                    af = h['af']
            if not af:
                for h in hosts:
                    if h['type'] not in ('table', 'dynif'):
                        self.semantic('address family not given and '
                                      'translation address expands to '
                                      'multiple address families')
            if not hosts:
                self.semantic('no translation address with matching '
                              'address family found.')
            p1 = redir['a']
            if t == 'rdr':
                if not redir['b'] and redir['t'] and dp:
                    p2 = p1 + ((dp[0]['b'] or dp[0]['a']) - dp[0]['a'])
                else:
                    p2 = redir['b']
            else:
                p2 = redir['b']
                if not p1 and not p2:
                    p1, p2 = 50001, 65535
                elif not p2:
                    p2 = p1
            ptype = pool['type']

            def multi(h):
                return h['type'] == 'dynif' and (
                    '0' not in h['iflags'] or
                    not h['ifname'][-1:].isdigit())
            if ptype is None and (len(hosts) > 1 or
                                  hosts[0]['type'] == 'table' or
                                  multi(hosts[0])):
                ptype = 'round-robin'
            if ptype != 'round-robin':
                for h in hosts:
                    if h['type'] == 'table':
                        self.semantic('tables are only supported in '
                                      'round-robin redirection pools')
                    if multi(h):
                        self.semantic('interface (%s) is only supported in '
                                      'round-robin redirection pools'
                                      % h['ifname'])
                if len(hosts) > 1:
                    self.semantic('only round-robin valid for multiple '
                                  'redirection addresses')
            if pool['static']:
                if t != 'nat':
                    self.semantic("the 'static-port' option is only valid "
                                  "with nat rules")
                if (p1, p2) != (50001, 65535):
                    self.semantic("the 'static-port' option can't be used "
                                  "when specifying a port range")
                p1 = p2 = 0
            r['pool'] = {'type': ptype, 'sticky': pool['sticky'],
                         'key': pool.get('key'), 'p1': p1, 'p2': p2}
        r['af'] = af
        self.expand(r, ifs, hosts, protos, sh, sp, dh, dp)

    def binatrule(self, no):
        self.take('binat')
        natpass, log = self.natpasslog()
        ifs = self.interface()
        af = self.af()
        proto = None
        if self.accept('proto'):
            proto = self.proto_item()
        self.take('from')
        src = self.ipspec()
        dst = None
        if self.accept('to'):
            dst = self.ipspec()
        r = self.nat_head('binat', no, natpass, log)
        redir = None
        if self.accept('ARROW'):
            redir = self.host()
            if self.accept('port'):
                self.parseport(self.numberstring(), rng=True, star=True)
        self.check_rulestate(ST_NAT)
        for h in dst or []:
            if h['type'] == 'urpf':
                self.semantic('"urpf-failed" is not permitted as a binat '
                              'destination')
        if no and natpass:
            self.semantic('"pass" not valid with "no"')
        if not af and src and src[0]['af']:
            af = src[0]['af']
        if not af and dst and dst[0]['af']:
            af = dst[0]['af']
        if not af and redir and redir[0]['af']:
            af = redir[0]['af']
        if not af:
            self.semantic('address family (inet/inet6) undefined')
        if src:
            if src[0]['type'] == 'table':
                self.semantic('invalid use of table <%s> as the source '
                              'address of a binat rule' % src[0]['table'])
            if len(src) > 1:
                self.semantic('multiple binat ip addresses')
            if src[0]['type'] == 'dynif':
                src[0]['af'] = af
            if src[0]['af'] != af:
                self.semantic('binat ip versions must match')
        if dst:
            if len(dst) > 1:
                self.semantic('multiple binat ip addresses')
            if dst[0]['af'] and dst[0]['af'] != af:
                self.semantic('binat ip versions must match')
        if no:
            if redir is not None:
                self.semantic("'no binat' rule does not need '->'")
        else:
            if not redir:
                self.semantic("'binat' rule requires '-> address'")
            redir = [h for h in redir if not (h['af'] and h['af'] != af)]
            if not redir:
                self.semantic('no translation address with matching '
                              'address family found.')
            if redir[0]['type'] == 'table':
                self.semantic('invalid use of table <%s> as the redirect '
                              'address of a binat rule' % redir[0]['table'])
            if len(redir) > 1:
                self.semantic('binat rule must redirect to a single '
                              'address')
            if src and src[0].get('bits') not in (None, redir[0].get('bits')):
                self.semantic("'binat' source mask and redirect mask must "
                              "be the same")
            r['pool'] = {'type': None, 'sticky': False, 'key': None,
                         'p1': 0, 'p2': 0}
        r['af'] = af
        ifs = ifs[:1]
        self.expand(r, ifs, redir if not no else None,
                    [proto] if proto else [None], src, None, dst, None)

    def antispoof(self):
        self.take('antispoof')
        log, quick = self.logquick()
        self.take('for')
        ifs = []

        def one():
            if self.accept('('):
                n = self.if_item()
                self.take(')')
                return {'name': n, 'dynamic': True}
            return {'name': self.if_item(), 'dynamic': False}
        if self.accept('{'):
            self.optnl()
            while True:
                ifs.append(one())
                self.optnl()
                if self.accept('}'):
                    break
                self.comma()
                self.optnl()
        else:
            ifs.append(one())
        af = self.af()
        extra = {}
        while True:
            if self.accept('label'):
                extra.setdefault('labels', []).append(
                    self.take('STRING').v)
            elif self.accept('ridentifier'):
                extra['ridentifier'] = self.number()
            elif self.accept('rtable'):
                extra['rtable'] = self.rtable_value()
            else:
                break
        self.check_rulestate(ST_FILTER)
        hostifs = _host_ifaces(self.st)
        for i in ifs:
            base = {'kind': 'filter', 'action': 'block', 'block': 'drop',
                    'direction': 'in', 'log': log, 'quick': quick,
                    'af': af, 'keep': None, 'state_opts': []}
            base.update(extra)
            rec = hostifs.get(i['name'])
            if i['dynamic']:
                net = [_node('dynif', 0, ifname=i['name'],
                             iflags=['network'], bits=128)]
                own = [_node('dynif', 0, ifname=i['name'], iflags=[],
                             bits=128)]
            elif rec is None:
                net = own = None
            else:
                net, own = [], []
                for a in rec.get('inet', []):
                    _add_net_own(net, own, 4, a, 32)
                for a in rec.get('inet6', []):
                    if a['addr'].startswith('fe80:'):
                        continue
                    _add_net_own(net, own, 6, a, 128)
                net = net or None
                own = own or None
            if net:
                r1 = dict(base)
                self.expand(r1, [{'name': i['name'], 'not': True}], None,
                            [None], net, None, None, None)
            loop = rec is not None and rec.get('type') == 'loopback'
            if own and not loop:
                r2 = dict(base)
                self.expand(r2, [None], None, [None], own, None, None, None)

    def tabledef(self):
        self.take('table')
        self.take('<')
        name = self.take('STRING').v
        self.take('>')
        flags = []
        addrs = []
        while True:
            t = self.tok.t
            if t == 'STRING':
                v = self.take().v
                if v not in ('const', 'persist', 'counters'):
                    self.semantic("invalid table option '%s'" % v)
                if v not in flags:
                    flags.append(v)
            elif t == '{':
                self.next()
                self.optnl()
                hs = []
                while not self.accept('}'):
                    h = self.ipspec()
                    if h is not None:
                        hs += h
                    self.optnl()
                    self.comma()
                    self.optnl()
                for h in hs:
                    msg = {'range': 'address ranges are not permitted '
                                    'inside tables',
                           'dynif': 'dynamic addresses are not permitted '
                                    'inside tables',
                           'table': 'tables cannot contain tables',
                           'noroute': '"no-route" is not permitted inside '
                                      'tables',
                           'urpf': '"urpf-failed" is not permitted inside '
                                   'tables'}.get(h['type'])
                    if msg:
                        self.semantic(msg)
                    addrs.append(('!' if h['not'] else '') +
                                 _fmt_addrmask(h))
            elif t == 'file':
                self.next()
                fname = self.take('STRING').v
                text = None
                try:
                    with open(core.read_path(fname)) as fh:
                        text = fh.read()
                except OSError as e:
                    self.semantic('cannot load "%s": %s' % (fname,
                                                            e.strerror))
                for ln in text.splitlines():
                    ln = re.split(r'[#;]', ln)[0].strip()
                    for w in ln.replace(',', ' ').split():
                        hs = self.host_lookup(w)
                        if hs is None:
                            self.semantic('file "%s" contains bad data'
                                          % fname)
                        addrs += [_fmt_addrmask(h) for h in hs]
            else:
                break
        if len(name) >= 32:
            self.semantic('table name too long, max 31 chars')
        self.tables[name] = {'flags': flags, 'addrs': addrs}

    # -- expand_rule() and rule_consistent()
    def expand(self, r, ifs, rpool, protos, sh, sp, dh, dp):
        added = 0
        af0 = r.get('af') or 0
        icmps = [None]
        if r.get('icmp'):
            icmps = r['icmp'][1]
        for i in ifs or [None]:
            for pr in protos or [None]:
                for ic in icmps:
                    for s in sh or [None]:
                        for spo in sp or [None]:
                            for d in dh or [None]:
                                for dpo in dp or [None]:
                                    saf = s['af'] if s else 0
                                    daf = d['af'] if d else 0
                                    if (af0 and saf and af0 != saf) or \
                                            (af0 and daf and af0 != daf) or \
                                            (saf and daf and saf != daf):
                                        continue
                                    af = af0 or saf or daf
                                    c = dict(r)
                                    c.update(af=af, iface=i, proto=pr,
                                             src=s, sport=spo, dst=d,
                                             dport=dpo, icmptype=ic,
                                             pool_hosts=rpool)
                                    if pr is not None and pr != 6:
                                        if c.get('flags') is not None:
                                            c['flags'] = None
                                        if c.get('keep') in ('modulate',
                                                             'synproxy'):
                                            c['keep'] = 'keep'
                                    if self.consistent(c) < 0:
                                        self.yyerror('skipping rule due to '
                                                     'errors')
                                        continue
                                    self.append(c)
                                    added += 1
        if not added:
            self.yyerror('rule expands to no valid combination')

    def consistent(self, r):
        problems = 0
        kind = r['kind']
        pr = r.get('proto')
        act = r['action']
        if kind in ('filter', 'scrub') and act not in ('anchor',):
            if pr not in (6, 17) and (r.get('sport') or r.get('dport')):
                self.yyerror('port only applies to tcp/udp')
                problems += 1
            if r.get('icmptype') is not None:
                want = 1 if r['icmp'][0] == 'icmp-type' else 58
                if pr != want:
                    self.yyerror('icmp-type/code only applies to icmp')
                    problems += 1
                if not r.get('af'):
                    self.yyerror('must indicate address family with '
                                 'icmp-type/code')
                    problems += 1
            if (pr == 1 and r.get('af') == 6) or (pr == 58 and
                                                 r.get('af') == 4):
                self.yyerror("proto %s doesn't match address family %s"
                             % ('icmp' if pr == 1 else 'icmp6',
                                'inet' if r['af'] == 4 else 'inet6'))
                problems += 1
            if r.get('allowopts') and act != 'pass':
                self.yyerror('allow-opts can only be specified for pass '
                             'rules')
                problems += 1
            if r.get('fragment') and (r.get('sport') or r.get('dport') or
                                      (r.get('flags') and r['flags'][1])):
                self.yyerror('fragments can be filtered only on IP header '
                             'fields')
                problems += 1
            if (r.get('block') or '').startswith('return-rst') and pr != 6:
                self.yyerror('return-rst can only be applied to TCP rules')
                problems += 1
            if act != 'pass' and r.get('keep'):
                self.yyerror('keep state is great, but only for pass rules')
                problems += 1
        if kind == 'rdr' and act == 'rdr':
            if pr not in (6, 17):
                if r.get('sport'):
                    self.yyerror('src port only applies to tcp/udp')
                    problems += 1
                if r.get('dport'):
                    self.yyerror('dst port only applies to tcp/udp')
                    problems += 1
                if r.get('pool') and r['pool']['p1']:
                    self.yyerror('rpool port only applies to tcp/udp')
                    problems += 1
            if r.get('dport') and r['dport']['op'] not in ('EQ', 'RRG'):
                self.yyerror('invalid port operator for rdr destination '
                             'port')
                problems += 1
        return -problems

    def append(self, r):
        text = print_rule(r)
        rec = {'text': text}
        ntext = print_rule(r, True)
        if ntext != text:
            rec['numeric'] = ntext
        self.rules[r['kind']].append(rec)
        if self.opts.get('verbose'):
            self.verbose_out.append(ntext if self.opts.get('numeric')
                                    else text)


# --- printing rules the way pfctl -s rules|nat does (print_rule)

def _strtoul(s):
    """atoul(): strtoul(s, &ep, 0) consuming all of S, else None."""
    t = s.strip(' \t\n')
    if t != s or not s:
        return None
    neg = False
    if s[0] in '+-':
        neg = s[0] == '-'
        s = s[1:]
    try:
        if s[:2].lower() == '0x':
            v = int(s[2:], 16) if s[2:] else None
        elif len(s) > 1 and s[0] == '0':
            v = int(s, 8)
        else:
            v = int(s, 10) if s.isdigit() else None
    except ValueError:
        return None
    if v is None:
        return None
    if neg:
        v = (1 << 64) - v if v else 0
    return v


def _fmt_addrmask(h):
    full = 32 if h['af'] == 4 else 128
    if h.get('bits', full) < full:
        return '%s/%d' % (h['addr'], h['bits'])
    return h['addr']


def print_addr(h, af):
    if h is None:
        return 'any'
    t = h['type']
    if t == 'addrmask':
        return _fmt_addrmask(h)
    if t == 'dynif':
        s = '(%s%s)' % (h['ifname'], ''.join(':' + f for f in h['iflags']))
        if af and h.get('bits', 128) < (32 if af == 4 else 128):
            s += '/%d' % h['bits']
        return s
    if t == 'table':
        return '<%s>' % h['table']
    if t == 'noroute':
        return 'no-route'
    if t == 'urpf':
        return 'urpf-failed'
    if t == 'range':
        return '%s - %s' % (h['addr'], h['end'])
    return '?'


def print_port(p, proto, numeric):
    a, b = str(p['a']), str(p['b'])
    op = p['op']
    if not numeric and op in ('EQ', 'NE') and p['a'] in SERVICE_NAMES:
        a = SERVICE_NAMES[p['a']]
    return ' port' + {
        'IRG': ' %s >< %s' % (a, b), 'XRG': ' %s <> %s' % (a, b),
        'EQ': ' = %s' % a, 'NE': ' != %s' % a, 'LT': ' < %s' % a,
        'LE': ' <= %s' % a, 'GT': ' > %s' % a, 'GE': ' >= %s' % a,
        'RRG': ' %s:%s' % (a, b)}[op]


def print_fromto(r, numeric):
    s, d = r.get('src'), r.get('dst')
    sp, dp = r.get('sport'), r.get('dport')
    if s is None and d is None and sp is None and dp is None:
        return ' all'
    out = ' from '
    if s is not None and s['not']:
        out += '! '
    out += print_addr(s, r.get('af'))
    if sp is not None:
        out += print_port(sp, r.get('proto'), numeric)
    out += ' to '
    if d is not None and d['not']:
        out += '! '
    out += print_addr(d, r.get('af'))
    if dp is not None:
        out += print_port(dp, r.get('proto'), numeric)
    return out


def print_pool(r):
    p = r['pool']
    hosts = r.get('pool_hosts') or []
    s = ''
    if len(hosts) > 1:
        s += '{ '
    s += ', '.join(print_addr(h, r.get('af')) for h in hosts)
    if len(hosts) > 1:
        s += ' }'
    p1, p2 = p['p1'], p['p2']
    if r['action'] == 'nat':
        if (p1 != 50001 or p2 != 65535) and (p1 or p2):
            s += ' port %u' % p1 if p1 == p2 else ' port %u:%u' % (p1, p2)
    elif r['action'] == 'rdr':
        if p1:
            s += ' port %u' % p1
            if p2 and p2 != p1:
                s += ':%u' % p2
    if p['type'] == 'source-hash':
        s += ' source-hash'
    elif p['type']:
        s += ' ' + p['type']
    if p.get('sticky'):
        s += ' sticky-address'
    if r['action'] == 'nat' and p1 == 0 and p2 == 0:
        s += ' static-port'
    return s


def print_rule(r, numeric=False):
    act = r['action']
    kind = r['kind']
    if act == 'match':
        s = 'match'
    elif r.get('anchor'):
        s = '%s "%s"' % ({'filter': 'anchor', 'nat': 'nat-anchor',
                          'rdr': 'rdr-anchor',
                          'binat': 'binat-anchor'}[kind], r['anchor'])
    else:
        s = act
        if r.get('natpass'):
            s += ' pass'
    if act == 'block':
        s += ' ' + r.get('block', 'drop')
    if r.get('direction'):
        s += ' ' + r['direction']
    if r.get('log') is not None:
        s += ' log'
        lo = [x for x in ('all', 'user') if x in r['log']]
        if 'group' in r['log'] and 'user' not in lo:
            lo.append('user')
        lo += [x for x in r['log'] if x.startswith('to ')]
        if lo:
            s += ' (%s)' % ', '.join(lo)
    if r.get('quick'):
        s += ' quick'
    i = r.get('iface')
    if i:
        s += ' on ! %s' % i['name'] if i['not'] else ' on %s' % i['name']
    if r.get('af'):
        s += ' inet' if r['af'] == 4 else ' inet6'
    if r.get('proto'):
        s += ' proto %s' % PROTO_NAMES.get(r['proto'], str(r['proto']))
    s += print_fromto(r, numeric)
    fl = r.get('flags')
    if fl and (fl[0] or fl[1]):
        s += ' flags %s/%s' % fl
    elif act == 'pass' and r.get('proto') in (None, 6) and \
            not r.get('fragment') and not r.get('anchor') and r.get('keep'):
        s += ' flags any'
    if r.get('icmptype') is not None:
        s += ' %s %s' % ('icmp6-type' if r['icmp'][0] == 'icmp6-type'
                         else 'icmp-type', r['icmptype'])
    if r.get('tos') is not None:
        s += ' tos 0x%2.2x' % r['tos']
    if r.get('prio') is not None:
        s += ' prio %u' % r['prio']
    if r.get('setprio') is not None or r.get('settos') is not None:
        parts = []
        if r.get('setprio') is not None:
            a, b = r['setprio']
            parts.append(' prio %u' % a if a == b else
                         ' prio(%u, %u)' % (a, b))
        if r.get('settos') is not None and kind != 'scrub':
            parts.append(' tos 0x%2.2x' % r['settos'])
        if parts:
            s += ' set (%s )' % ','.join(parts)
    if not r.get('keep') and act == 'pass' and not r.get('anchor'):
        s += ' no state'
    elif r.get('keep') == 'keep':
        s += ' keep state'
    elif r.get('keep') == 'modulate':
        s += ' modulate state'
    elif r.get('keep') == 'synproxy':
        s += ' synproxy state'
    if r.get('prob'):
        v = ('%f' % (r['prob'] * 100.0)).rstrip('0').rstrip('.')
        s += ' probability %s%%' % v
    if r.get('state_opts'):
        s += ' (%s)' % ', '.join(r['state_opts'])
    sc = r.get('scrub')
    if sc:
        w = []
        if sc.get('nodf'):
            w.append('no-df')
        if sc.get('randomid'):
            w.append('random-id')
        if sc.get('minttl'):
            w.append('min-ttl %d' % sc['minttl'])
        if sc.get('settos') is not None:
            w.append('set-tos 0x%2.2x' % sc['settos'])
        if sc.get('reass_tcp'):
            w.append('reassemble tcp')
        if sc.get('maxmss'):
            w.append('max-mss %d' % sc['maxmss'])
        s += ' scrub (%s)' % ' '.join(w)
    if r.get('fragment'):
        s += ' fragment'
    so = r.get('scrubopts') or {}
    if so.get('nodf'):
        s += ' no-df'
    if so.get('randomid'):
        s += ' random-id'
    if so.get('minttl'):
        s += ' min-ttl %d' % so['minttl']
    if so.get('maxmss'):
        s += ' max-mss %d' % so['maxmss']
    if so.get('settos') is not None:
        s += ' set-tos 0x%2.2x' % so['settos']
    if r.get('allowopts'):
        s += ' allow-opts'
    if act == 'scrub':
        if so.get('reass_tcp'):
            s += ' reassemble tcp'
        s += ' fragment %sreassemble' % ('no ' if so.get('fragnoreass')
                                         else '')
    for lb in r.get('labels', []):
        s += ' label "%s"' % lb
    if r.get('ridentifier'):
        s += ' ridentifier %u' % r['ridentifier']
    q = r.get('queue')
    if q:
        s += ' queue(%s, %s)' % tuple(q) if len(q) > 1 else ' queue %s' % q[0]
    if r.get('tag'):
        s += ' tag %s' % r['tag']
    if r.get('tagged'):
        s += '%s tagged %s' % (' !' if r['tagged'][0] else '',
                               r['tagged'][1])
    rt = r.get('rtable', so.get('rtable'))
    if rt is not None:
        s += ' rtable %u' % rt
    if not r.get('anchor') and act in ('nat', 'rdr', 'binat') and \
            r.get('pool'):
        s += ' -> ' + print_pool(r)
    return s


# ---------------------------------------------------------------------------
# pfctl(8)

PF_RULESETS = ('scrub', 'filter', 'nat', 'rdr', 'binat')

PFCTL_USAGE = (
    'usage: pfctl [-AdeghMmNnOPqRSrvz] [-a anchor] [-D macro=value] '
    '[-F modifier]\n'
    '\t[-f file] [-i interface] [-K host | network]\n'
    '\t[-k host | network | gateway | label | id] [-o level] [-p device]\n'
    '\t[-s modifier] [-t table -T command [address ...]] [-x level]')

PF_CLEAROPTS = ('nat', 'queue', 'rules', 'Sources', 'states', 'info',
                'Tables', 'osfp', 'all', 'ethernet', 'Reset')
PF_SHOWOPTS = ('ether', 'nat', 'queue', 'rules', 'Anchors', 'Sources',
               'states', 'info', 'Interfaces', 'labels', 'timeouts',
               'memory', 'Tables', 'osfp', 'Running', 'all', 'creatorids')

PF_FCOUNTERS = ('searches', 'inserts', 'removals')
PF_REASONS = ('match', 'bad-offset', 'fragment', 'short', 'normalize',
              'memory', 'bad-timestamp', 'congestion', 'ip-option',
              'proto-cksum', 'state-mismatch', 'state-insert',
              'state-limit', 'src-limit', 'synproxy', 'map-failed')


def _pf(st):
    pf = st.setdefault('pf', {})
    pf.setdefault('enabled', False)
    pf.setdefault('rules', None)
    pf.setdefault('anchors', {})
    pf.setdefault('tables', {})
    pf.setdefault('options', {})
    return pf


def _empty_ruleset():
    rs = {k: [] for k in PF_RULESETS}
    rs['tables'] = {}
    rs['refs'] = []
    return rs


def _ruleset(pf, path):
    """The ruleset at PATH ('' = main) or None."""
    if path == '':
        return pf['rules'] or _empty_ruleset()
    return pf['anchors'].get(path)


def _rs_empty(rs):
    return not any(rs.get(k) for k in PF_RULESETS) and not rs.get('tables')


def pf_anchors(pf):
    """Every ruleset path that exists in the kernel besides the main one:
    rulesets with rules, those anchor rules call, and their parents."""
    have = set(p for p, rs in pf['anchors'].items() if not _rs_empty(rs))
    todo = [''] + sorted(have)
    seen = set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        rs = _ruleset(pf, p)
        if rs is None:
            continue
        for _, ref in rs.get('refs', []):
            if ref and ref not in have:
                have.add(ref)
                todo.append(ref)
    out = set()
    for p in have:
        parts = p.split('/')
        for k in range(1, len(parts) + 1):
            out.add('/'.join(parts[:k]))
    return out


def _pf_status_lines(pf, opts):
    if pf['enabled']:
        run = max(0, int(time.time()) - int(pf.get('since', time.time())))
        d, rem = divmod(run, 86400)
        h, rem = divmod(rem, 3600)
        m, sec = divmod(rem, 60)
        line = 'Status: Enabled for %u days %.2u:%.2u:%.2u' % (d, h, m, sec)
    else:
        line = 'Status: Disabled'
    dbg = {'none': 'Debug: None', 'urgent': 'Debug: Urgent',
           'misc': 'Debug: Misc', 'loud': 'Debug: Loud'}.get(
        pf['options'].get('debug', 'urgent'), 'Debug: Urgent')
    out = ['%-44s%15s' % (line, dbg), '']
    li = pf['options'].get('loginterface')
    if li:
        out.append('Interface Stats for %-16s %5s %16s' % (li, 'IPv4',
                                                          'IPv6'))
        out.append('  %-25s %14u %16u' % ('Bytes In', 0, 0))
        out.append('  %-25s %14u %16u' % ('Bytes Out', 0, 0))
        out.append('  Packets In')
        out.append('    %-23s %14u %16u' % ('Passed', 0, 0))
        out.append('    %-23s %14u %16u' % ('Blocked', 0, 0))
        out.append('  Packets Out')
        out.append('    %-23s %14u %16u' % ('Passed', 0, 0))
        out.append('    %-23s %14u %16u' % ('Blocked', 0, 0))
        out.append('')
    out.append('%-27s %14s %16s' % ('State Table', 'Total', 'Rate'))
    out.append('  %-25s %14u %14s' % ('current entries', 0, ''))
    for n in PF_FCOUNTERS:
        out.append('  %-25s %14u %14.1f/s' % (n, 0, 0.0))
    out.append('Counters')
    for n in PF_REASONS:
        out.append('  %-25s %14u %14.1f/s' % (n, 0, 0.0))
    return out


def _pf_lookup(opt, table):
    for t in table:
        if opt and t.startswith(opt):
            return t
    return None


def pf_parse_text(st, name, text, anchor, opts, macros=None):
    """Parse TEXT (named NAME) as a ruleset for ANCHOR; returns the
    parser (its .errors tell the outcome; messages already printed)."""
    p = PfParser(st, anchor, opts, macros)
    p.parse(name, text)
    return p


def _pf_read(name):
    """Text of -f NAME ('-' = stdin) or (None, errno string)."""
    if name == '-':
        return sys.stdin.read(), None
    try:
        real = core.read_path(name)
        if os.path.isdir(real):
            return None, 'Is a directory'
        with open(real, encoding='utf-8', errors='surrogateescape') as f:
            return f.read(), None
    except OSError as e:
        return None, e.strerror


def _pf_load(st, fname, anchor, opts, macros):
    """pfctl_rules(): parse FNAME into ANCHOR (with `load anchor`
    files); commit unless -n.  Returns 0 or exits 1 the way pfctl does."""
    text, err = _pf_read(fname)
    if text is None:
        sys.stderr.write('pfctl: %s: %s\n' % (fname, err))
        sys.stderr.write('pfctl: cannot open the main config file!: %s\n'
                         % err)
        if not opts.get('noaction'):
            sys.stderr.write('pfctl: Syntax error in config file: pf rules '
                             'not loaded\n')
        return 1
    p = pf_parse_text(st, 'stdin' if fname == '-' else fname, text, anchor,
                      opts, macros)
    if p.errors:
        if not opts.get('noaction'):
            sys.stderr.write('pfctl: Syntax error in config file: pf rules '
                             'not loaded\n')
        return 1
    for ln in p.verbose_out:
        print(ln)
    loaded = [(anchor, p)]
    queue = list(p.loads)
    while queue:
        an, fn = queue.pop(0)
        if opts.get('verbose'):
            sys.stderr.write('\nLoading anchor %s from %s\n' % (an, fn))
        t2, err = _pf_read(fn)
        sub = None
        if t2 is None:
            sys.stderr.write('pfctl: %s: %s\n' % (fn, err))
            sys.stderr.write('pfctl: cannot open the main config file!: '
                             '%s\n' % err)
        else:
            sub = pf_parse_text(st, fn, t2, an, opts, macros)
            for ln in sub.verbose_out:
                print(ln)
        if sub is None or sub.errors:
            if not opts.get('noaction'):
                sys.stderr.write('pfctl: Syntax error in config file: pf '
                                 'rules not loaded\n')
            sys.stderr.write('pfctl: load anchors\n')
            return 1
        loaded.append((an, sub))
        queue += sub.loads
    if opts.get('noaction'):
        return 0
    pf = _pf(st)
    for an, q in loaded:
        rs = dict(q.rules)
        rs['tables'] = q.tables
        rs['refs'] = q.refs
        if an == '':
            pf['rules'] = rs
            if not opts.get('merge'):
                pf['options'] = dict(q.options)
            else:
                pf['options'].update(q.options)
        elif _rs_empty(rs) and not rs['refs']:
            pf['anchors'].pop(an, None)
        else:
            pf['anchors'][an] = rs
    return 0


def _pf_flush(pf, anchor, what, quiet, recurse):
    """-F rules|nat|Tables on ANCHOR (and, recursing, its sub-anchors)."""
    paths = [anchor]
    if recurse:
        paths += sorted(p for p in pf_anchors(pf)
                        if anchor == '' or p.startswith(anchor + '/'))
    for path in paths:
        rs = _ruleset(pf, path)
        if rs is None:
            rs = _empty_ruleset()
        rs = dict(rs)
        if what == 'rules':
            rs['scrub'] = []
            rs['filter'] = []
            rs['refs'] = [x for x in rs.get('refs', [])
                          if x[0] not in ('scrub', 'filter')]
        elif what == 'nat':
            rs['nat'] = []
            rs['rdr'] = []
            rs['binat'] = []
            rs['refs'] = [x for x in rs.get('refs', [])
                          if x[0] not in ('nat', 'rdr', 'binat')]
        elif what == 'Tables':
            rs['tables'] = {}
        if path == '':
            pf['rules'] = rs
        elif _rs_empty(rs) and not rs.get('refs'):
            pf['anchors'].pop(path, None)
        else:
            pf['anchors'][path] = rs


@core.tool('pfctl')
def pfctl_main(argv):
    def usage(kind=None, c=None):
        if kind == 'invalid':
            sys.stderr.write('pfctl: illegal option -- %s\n' % c)
        elif kind == 'missing':
            sys.stderr.write('pfctl: option requires an argument -- %s\n'
                             % c)
        core.die(PFCTL_USAGE, 1)
    if len(argv) < 2:
        usage()
    optlist, rest = core.getopt(
        argv[1:], 'a:AdD:eqf:F:ghi:k:K:mMnNOo:Pp:rRs:St:T:vx:z', usage)
    o = {'verbose': 0}
    anchoropt = clearopt = showopt = rulesopt = None
    macros = {}
    mode_rw = False
    for c, v in optlist:
        if c == 'a':
            anchoropt = v
        elif c == 'd':
            o['disable'] = True
            mode_rw = True
        elif c == 'e':
            o['enable'] = True
            mode_rw = True
        elif c == 'q':
            o['quiet'] = True
        elif c == 'n':
            o['noaction'] = True
        elif c == 'v':
            o['verbose'] += 1
        elif c == 'P':
            o['numeric'] = True
        elif c == 'm':
            o['merge'] = True
        elif c == 'D':
            if '=' not in v:
                sys.stderr.write('pfctl: could not parse macro definition '
                                 '%s\n' % v)
            else:
                k, _, val = v.rpartition('=')
                macros[k] = val
        elif c == 'F':
            clearopt = _pf_lookup(v, PF_CLEAROPTS)
            if clearopt is None:
                sys.stderr.write("pfctl: Unknown flush modifier '%s'\n" % v)
                usage()
            mode_rw = True
        elif c == 's':
            showopt = _pf_lookup(v, PF_SHOWOPTS)
            if showopt is None:
                sys.stderr.write("pfctl: Unknown show modifier '%s'\n" % v)
                usage()
        elif c == 'f':
            rulesopt = v
            mode_rw = True
        elif c == 'h':
            usage()
        else:
            core.unsupported('pfctl -%s' % c)
    if rest:
        sys.stderr.write('pfctl: unknown command line argument: %s ...\n'
                         % rest[0])
        usage()
    anchor = ''
    recurse = False
    if anchoropt is not None:
        if anchoropt == '':
            core.die('pfctl: anchor name must not be empty', 1)
        if not mode_rw and showopt is None:
            sys.stderr.write('pfctl: anchors apply to -f, -F, -s, and -T '
                             'only\n')
            usage()
        if mode_rw and (anchoropt[0] == '_' or '/_' in anchoropt):
            core.die("pfctl: anchor names beginning with '_' cannot be "
                     "modified from the command line", 1)
        a = anchoropt
        if a.endswith('*'):
            a = a[:-2] if a.endswith('/*') else a[:-1]
            recurse = True
        anchor = a.strip('/') if a != '/' else ''
    if o.get('noaction'):
        o.pop('disable', None)
        o.pop('enable', None)
        clearopt = showopt = None
    quiet = o.get('quiet')
    exit_val = 0
    with core.state() as st:
        pf = _pf(st)
        if not o.get('noaction') and 'pf.ko' not in _kld(st):
            core.die('pfctl: /dev/pf: No such file or directory', 1)

        def bail(msg, code=1):
            core.save_state(st)
            core.die(msg, code)
        if o.get('disable'):
            if not pf['enabled']:
                bail('pfctl: pf not enabled')
            pf['enabled'] = False
            if not quiet:
                sys.stderr.write('pf disabled\n')
        if showopt is not None:
            r = _pf_show(st, pf, showopt, anchor, recurse, o)
            if showopt == 'Running':
                exit_val = r
        if clearopt is not None:
            _pf_clear(st, pf, clearopt, anchor, recurse, quiet)
        if rulesopt is not None:
            if _pf_load(st, rulesopt, anchor, o, macros):
                core.save_state(st)
                sys.exit(1)
        if o.get('enable'):
            if pf['enabled']:
                bail('pfctl: pf already enabled')
            pf['enabled'] = True
            pf['since'] = int(time.time())
            if not quiet:
                sys.stderr.write('pf enabled\n')
    return exit_val


def _pf_show(st, pf, what, anchor, recurse, o):
    numeric = o.get('numeric')
    exists = anchor == '' or anchor in pf_anchors(pf)

    def txt(rule):
        return rule.get('numeric', rule['text']) if numeric else \
            rule['text']
    if what == 'info':
        print('\n'.join(_pf_status_lines(pf, o)))
        return 0
    if what == 'Running':
        print('Enabled' if pf['enabled'] else 'Disabled')
        return 0 if pf['enabled'] else 1
    if what == 'Anchors':
        if not exists:
            sys.stderr.write("Anchor '%s' not found.\n" % anchor)
            return 0
        allp = sorted(pf_anchors(pf))

        def kids(parent):
            return [p for p in allp if p.rpartition('/')[0] == parent
                    and p != parent]
        todo = kids(anchor)
        while todo:
            p = todo.pop(0)
            print('  %s' % p)
            if o.get('verbose'):
                todo = kids(p) + todo
        return 0
    if what in ('rules', 'nat'):
        if not exists:
            sys.stderr.write('pfctl: DIOCGETRULES: Invalid argument\n')
            return 0
        paths = [anchor]
        if recurse:
            paths = sorted(p for p in pf_anchors(pf)
                           if p.rpartition('/')[0] == anchor)
        for path in paths:
            rs = _ruleset(pf, path) or _empty_ruleset()
            indent = ''
            if recurse:
                head = {'rules': 'anchor', 'nat': 'nat-anchor'}[what]
                print('%s "%s" all {' % (head, path.rpartition('/')[2]))
                indent = '  '
            kinds = ('scrub', 'filter') if what == 'rules' else \
                ('nat', 'rdr', 'binat')
            for k in kinds:
                for rule in rs.get(k, []):
                    print(indent + txt(rule))
            if recurse:
                print('}')
        return 0
    if what == 'Tables':
        rs = _ruleset(pf, anchor) or _empty_ruleset()
        for n in sorted(rs.get('tables', {})):
            print(n)
        return 0
    core.unsupported('pfctl -s %s' % what)


def _pf_clear(st, pf, what, anchor, recurse, quiet):
    def say(msg):
        if not quiet:
            sys.stderr.write(msg + '\n')
    if recurse and what in ('rules', 'all', 'Tables'):
        paths = sorted(p for p in pf_anchors(pf)
                       if anchor == '' or p == anchor or
                       p.startswith(anchor + '/'))
        print('Removing:')
        for p in [anchor] + [p for p in paths if p != anchor]:
            print('  %s' % (p or '/'))
    if what == 'rules':
        _pf_flush(pf, anchor, 'rules', quiet, recurse)
        say('rules cleared')
    elif what == 'nat':
        _pf_flush(pf, anchor, 'nat', quiet, False)
        say('nat cleared')
    elif what == 'Tables':
        rs = _ruleset(pf, anchor) or {}
        n = len(rs.get('tables', {}))
        _pf_flush(pf, anchor, 'Tables', quiet, recurse)
        say('%d tables deleted.' % n)
    elif what == 'ethernet':
        say('Ethernet rules cleared')
    elif what == 'all':
        rs = _ruleset(pf, anchor) or {}
        n = len(rs.get('tables', {}))
        say('Ethernet rules cleared')
        _pf_flush(pf, anchor, 'rules', quiet, recurse)
        say('rules cleared')
        _pf_flush(pf, anchor, 'nat', quiet, recurse)
        say('nat cleared')
        _pf_flush(pf, anchor, 'Tables', quiet, recurse)
        say('%d tables deleted.' % n)
        if anchor == '':
            say('0 states cleared')
            say('source tracking entries cleared')
            say('pf: statistics cleared')
            say('pf: interface flags reset')
            pf['options'] = {}
    elif what == 'states':
        say('0 states cleared')
    elif what == 'Sources':
        say('source tracking entries cleared')
    elif what == 'info':
        say('pf: statistics cleared')
    elif what == 'Reset':
        pf['options'] = {}
        say('pf: interface flags reset')
    elif what in ('osfp', 'queue'):
        pass


# --- rc.d/pf and rc.d/pflog

def _load_kld(st_mod):
    """rc.subr load_kld for required_modules: kldload MOD unless loaded."""
    with core.state() as st:
        k = _kld(st)
        if st_mod + '.ko' not in k:
            k.append(st_mod + '.ko')


def service_pf(cmd, args):
    """rc.d/pf: start|stop|restart|reload|resync|check|status."""
    base, pre = _rc_base(cmd)
    if base not in ('start', 'stop', 'restart', 'reload', 'resync', 'check',
                    'status'):
        core.unsupported('service pf %s' % cmd)
    rc = core.rc_vars()
    if _rcvar_refused('pf', 'pf_enable', cmd, base, pre, rc):
        return 0
    rules = rc.get('pf_rules', '/etc/pf.conf')
    flags = rc.get('pf_flags', '').split()

    def check():
        return _run_tool(['pfctl', '-n', '-f', rules] + flags) == 0

    def fallback():
        sys.stderr.write('/etc/rc.d/pf: WARNING: Unable to load %s.\n'
                         % rules)

    def enabled():
        with core.state(readonly=True) as st:
            return _pf(st)['enabled'] and 'pf.ko' in _kld(st)

    def start():
        _load_kld('pf')
        if not check():
            fallback()
        sys.stdout.write('Enabling pf')
        sys.stdout.flush()
        _run_tool(['pfctl', '-F', 'all'], capture=True)
        if _run_tool(['pfctl', '-f', rules] + flags) != 0:
            fallback()
        if not enabled():
            _run_tool(['pfctl', '-eq'])
        sys.stdout.write('.\n')
        return 0

    def stop():
        if enabled():
            sys.stdout.write('Disabling pf')
            sys.stdout.flush()
            _run_tool(['pfctl', '-dq'])
            sys.stdout.write('.\n')
        return 0
    if base == 'status':
        with core.state(readonly=True) as st:
            loaded = 'pf.ko' in _kld(st)
        if not loaded:
            print('pf.ko is not loaded')
            return 1
        _run_tool(['pfctl', '-s', 'info'])
        return _run_tool(['pfctl', '-s', 'Running'], capture=True)[0]
    if base == 'check':
        return 0 if check() else 1
    if base == 'start':
        return start()
    if base == 'stop':
        return stop()
    if base == 'restart':
        stop()
        return start()
    if base == 'reload':
        if not check():
            return 1
        print('Reloading pf rules.')
        if not check():
            return 1
        _run_tool(['pfctl', '-Fnat', '-Fqueue', '-Frules', '-FSources',
                   '-Finfo', '-FTables', '-Fosfp'], capture=True)
        return _run_tool(['pfctl', '-f', rules] + flags)
    if base == 'resync':
        if not check():
            return 1
        return _run_tool(['pfctl', '-f', rules] + flags)
    return 0


def service_pflog(cmd, args):
    """rc.d/pflog: start|stop|restart|status (pflogd on pflog0)."""
    base, pre = _rc_service_base('pflog', cmd)
    rc = core.rc_vars()
    if _rcvar_refused('pflog', 'pflog_enable', cmd, base, pre, rc):
        return 0
    with core.state() as st:
        pl = st.setdefault('pflog', {'running': False})
        if base == 'status':
            return _rc_daemon_status(pl, 'pflogd')
        if base in ('stop', 'restart'):
            if pl.get('running'):
                _rc_daemon_stop(pl, 'pflogd')
            elif base == 'stop':
                print('pflogd not running? (check /var/run/pflogd.pid).')
                return 1
        if base in ('start', 'restart'):
            if pl.get('running'):
                print('pflogd already running? (pid=%d).' % pl['pid'])
                return 1
            k = _kld(st)
            if 'pflog.ko' not in k:
                k.append('pflog.ko')
            print('Starting pflogd.')
            pl['running'] = True
            pl['pid'] = _next_pid(st)
    return 0


# ---------------------------------------------------------------------------
# devfs(8), devfs.rules(5) and rc.d/devfs

# The standard rulesets of FreeBSD's /etc/defaults/devfs.rules
# (sbin/devfs/devfs.rules); mkhost writes this file, and the simulated
# kernel has them loaded from boot.
DEFAULT_DEVFS_RULES = '''\
#
# The default rulesets for devfs(5) mounts (/etc/defaults/devfs.rules).
# Override or extend them in /etc/devfs.rules; see devfs.rules(5).
# A line "[name=number]" starts a ruleset; the other lines are devfs(8)
# rule specifications.  "$name" refers to a ruleset defined earlier.
#

# Hide everything: the basis of the other rulesets.
[devfsrules_hide_all=1]
add hide

# Basic devices (requires devfsrules_hide_all).
[devfsrules_unhide_basic=2]
add path null unhide
add path zero unhide
add path crypto unhide
add path random unhide
add path urandom unhide

# Devices of logged-in users (requires devfsrules_hide_all).
[devfsrules_unhide_login=3]
add path 'ptyp*' unhide
add path 'ptyq*' unhide
add path 'ptyr*' unhide
add path 'ptys*' unhide
add path 'ptyP*' unhide
add path 'ptyQ*' unhide
add path 'ptyR*' unhide
add path 'ptyS*' unhide
add path 'ptyl*' unhide
add path 'ptym*' unhide
add path 'ptyn*' unhide
add path 'ptyo*' unhide
add path 'ptyL*' unhide
add path 'ptyM*' unhide
add path 'ptyN*' unhide
add path 'ptyO*' unhide
add path 'ttyp*' unhide
add path 'ttyq*' unhide
add path 'ttyr*' unhide
add path 'ttys*' unhide
add path 'ttyP*' unhide
add path 'ttyQ*' unhide
add path 'ttyR*' unhide
add path 'ttyS*' unhide
add path 'ttyl*' unhide
add path 'ttym*' unhide
add path 'ttyn*' unhide
add path 'ttyo*' unhide
add path 'ttyL*' unhide
add path 'ttyM*' unhide
add path 'ttyN*' unhide
add path 'ttyO*' unhide
add path ptmx unhide
add path pts unhide
add path 'pts/*' unhide
add path fd unhide
add path 'fd/*' unhide
add path stdin unhide
add path stdout unhide
add path stderr unhide

# Devices of a jail.
[devfsrules_jail=4]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add path fuse unhide
add path zfs unhide

# Devices of a VNET jail.
[devfsrules_jail_vnet=5]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add path pf unhide
'''

DEVFS_USAGE = ('usage: \tdevfs [-m mount-point] [-s ruleset] rule ...\n'
               '\tdevfs [-m mount-point] ruleset ...')
DEVFS_TYPES = ('disk', 'mem', 'tape', 'tty')


class DevfsError(Exception):
    """errx/err of devfs(8): message (without the program name) and
    whether usage() should be printed instead."""
    def __init__(self, msg, usage=False):
        Exception.__init__(self, msg)
        self.msg = msg
        self.usage = usage


def _devfs_boot(st):
    """The kernel's rulesets: those of /etc/defaults/devfs.rules, loaded
    when the host booted (rc.d/devfs), unless the state has them."""
    d = st.get('devfs')
    if d is None:
        d = st['devfs'] = {'rulesets': {}, 'names': {}, 'dev_ruleset': 0,
                           'errors': []}
        env = {}
        for _ in _devfs_rules_file(d, env, '/etc/defaults/devfs.rules',
                                   DEFAULT_DEVFS_RULES, log=False):
            pass
    return d


def _atonum(s):
    """devfs.c atonum(): strtoul(s, &cp, 10) fully consumed, <= 65535."""
    m = re.match(r'^\s*([+-]?)(\d*)', s)
    digits = m.group(2)
    rest = s[m.end():]
    if rest:
        return None
    v = int(digits) if digits else 0
    if m.group(1) == '-':
        v = (1 << 64) - v if v else 0
    if v > 65535:
        return None
    return v


def _eatonum(s):
    v = _atonum(s)
    if v is None:
        raise DevfsError('error converting to number: %s' % s)
    return v


def _devfs_exists(st, d):
    """Ruleset numbers that exist in the kernel: those with rules, those
    included by a rule and those a devfs mount uses (created empty)."""
    out = set()
    for n, rules in d['rulesets'].items():
        if rules:
            out.add(int(n))
            for r in rules:
                if r.get('include') is not None:
                    out.add(r['include'])
    for m in st.get('mounts', []):
        if m.get('fstype') == 'devfs' and str(m.get('ruleset', '0')) \
                not in ('', '0'):
            try:
                out.add(int(m['ruleset']))
            except ValueError:
                pass
    if d.get('dev_ruleset'):
        out.add(int(d['dev_ruleset']))
    out.discard(0)
    return out


def _devfs_fmt(r):
    s = '%d' % r['n']
    for t in r.get('type', []):
        s += ' type %s' % t
    if r.get('path') is not None:
        s += ' path %s' % r['path']
    if r.get('hide'):
        s += ' hide'
    if r.get('unhide'):
        s += ' unhide'
    if r.get('user') is not None:
        s += ' user %s' % r['user']
    if r.get('group') is not None:
        s += ' group %s' % r['group']
    if r.get('mode') is not None:
        s += ' mode %o' % r['mode']
    if r.get('include') is not None:
        s += ' include %d' % r['include']
    return s


def _devfs_rulespec(av):
    """rulespec_intok(): a rule from words AV ([num] conditions actions)."""
    if not av:
        raise DevfsError('unexpected end of rulespec')
    r = {'n': 0}
    n = _atonum(av[0])
    if n is not None:
        r['n'] = n
        av = av[1:]
    i = 0
    while i < len(av):
        w = av[i]
        if w == 'type':
            if i + 1 >= len(av):
                raise DevfsError('expecting argument for type')
            if av[i + 1] not in DEVFS_TYPES:
                raise DevfsError('unknown type: %s' % av[i + 1])
            r.setdefault('type', []).append(av[i + 1])
            i += 2
        elif w == 'path':
            if i + 1 >= len(av):
                raise DevfsError('expecting argument for path')
            r['path'] = av[i + 1]
            i += 2
        else:
            break
    while i < len(av):
        w = av[i]
        if w in ('hide', 'unhide'):
            r[w] = True
            i += 1
        elif w in ('user', 'group', 'mode', 'include'):
            if i + 1 >= len(av):
                raise DevfsError('expecting argument for %s' % w)
            a = av[i + 1]
            if w == 'include':
                r['include'] = _eatonum(a)
            elif w == 'mode':
                if not re.match(r'^[0-7]+$', a):
                    raise DevfsError('invalid mode: %s' % a)
                r['mode'] = int(a, 8)
            else:
                r[w] = a
            i += 2
        else:
            raise DevfsError('unknown argument: %s' % w)
    return r


def _devfs_mount_ruleset(st, d, mountpt):
    """(ruleset number of the devfs mounted at MOUNTPT, mount record or
    None for the host's /dev); DevfsError when it is no devfs."""
    if mountpt == '/dev':
        return int(d.get('dev_ruleset', 0)), None
    for m in st.get('mounts', []):
        if m.get('fstype') == 'devfs' and m['node'] == mountpt:
            try:
                return int(m.get('ruleset', 0) or 0), m
            except ValueError:
                return 0, m
    return None, None


def devfs_command(st, args):
    """devfs(8) ARGS (after the program name) on ST: (status, stdout).
    Errors raise DevfsError."""
    d = _devfs_boot(st)
    mountpt = '/dev'
    i = 0
    while i < len(args) and args[i].startswith('-') and args[i] != '-':
        a = args[i]
        if a == '--':
            i += 1
            break
        if a.startswith('-m'):
            if len(a) > 2:
                mountpt = a[2:]
            elif i + 1 < len(args):
                i += 1
                mountpt = args[i]
            else:
                raise DevfsError('option requires an argument -- m', True)
        else:
            raise DevfsError('illegal option -- %s' % a[1:2], True)
        i += 1
    av = args[i:]
    if not av:
        raise DevfsError('', True)
    mp = core.sim_abspath(mountpt)
    if not os.path.exists(core.host_path(mp)):
        raise DevfsError('open: %s: No such file or directory' % mountpt)
    cur, mrec = _devfs_mount_ruleset(st, d, mp)
    if av[0] == 'ruleset':
        prog = 'devfs ruleset'
        if len(av) < 2:
            raise DevfsError('', True)
        n = _eatonum(av[1])
        if cur is None:
            raise DevfsError('%s: ioctl DEVFSIO_SUSE: Inappropriate ioctl '
                             'for device' % prog)
        if mrec is None:
            d['dev_ruleset'] = n
        else:
            mrec['ruleset'] = str(n)
        return 0, ''
    if av[0] not in ('rule', 'rules'):
        raise DevfsError('unknown command: %s' % av[0])
    prog = 'devfs rule'
    av = av[1:]
    rs = 0
    while av and av[0].startswith('-') and av[0] != '-':
        a = av.pop(0)
        if a == '--':
            break
        if a.startswith('-s'):
            v = a[2:] or (av.pop(0) if av else None)
            if v is None:
                raise DevfsError('%s: option requires an argument -- s'
                                 % prog, True)
            try:
                rs = _eatonum(v)
            except DevfsError as e:
                raise DevfsError('%s: %s' % (prog, e.msg))
        else:
            raise DevfsError('%s: illegal option -- %s' % (prog, a[1:2]),
                             True)
    if not av:
        raise DevfsError('', True)
    sub, sargs = av[0], av[1:]

    def ioctl_fail(name, err):
        raise DevfsError('%s: ioctl %s: %s' % (prog, name, err))
    if cur is None:
        ioctl_fail({'add': 'DEVFSIO_RADD', 'del': 'DEVFSIO_RDEL',
                    'delset': 'DEVFSIO_RGETNEXT', 'show': 'DEVFSIO_RGETNEXT',
                    'showsets': 'DEVFSIO_SGETNEXT',
                    'applyset': 'DEVFSIO_SAPPLY',
                    'apply': 'DEVFSIO_RAPPLY'}.get(sub, 'DEVFSIO_RGETNEXT'),
                   'Inappropriate ioctl for device')
    target = rs if rs else cur
    key = str(target)
    try:
        if sub == 'add':
            if not sargs:
                raise DevfsError('', True)
            if sargs[0] == '-':
                core.unsupported('devfs rule add - (rules from stdin)')
            r = _devfs_rulespec(sargs)
            if target == 0:
                ioctl_fail('DEVFSIO_RADD', 'Input/output error')
            if r.get('include') is not None and \
                    r['include'] not in _devfs_exists(st, d):
                ioctl_fail('DEVFSIO_RADD', 'No such process')
            rules = d['rulesets'].setdefault(key, [])
            if r['n'] == 0:
                r['n'] = (rules[-1]['n'] + 100) if rules else 100
                if r['n'] > 65535:
                    ioctl_fail('DEVFSIO_RADD', 'Result too large')
            elif any(x['n'] == r['n'] for x in rules):
                ioctl_fail('DEVFSIO_RADD', 'File exists')
            rules.append(r)
            rules.sort(key=lambda x: x['n'])
            return 0, ''
        if sub == 'del':
            if not sargs:
                raise DevfsError('', True)
            try:
                n = int(sargs[0])
            except ValueError:
                raise DevfsError('%s: error converting to integer: %s'
                                 % (prog, sargs[0]))
            rules = d['rulesets'].get(key, [])
            left = [x for x in rules if x['n'] != n]
            if len(left) == len(rules):
                ioctl_fail('DEVFSIO_RDEL', 'No such file or directory')
            d['rulesets'][key] = left
            return 0, ''
        if sub == 'delset':
            if sargs:
                raise DevfsError('', True)
            d['rulesets'].pop(key, None)
            # Names are rc.subr's, known to the kernel only through
            # their numbers: a deleted set has no name any more.
            for name in [x for x, v in d['names'].items()
                         if str(v) == str(key)]:
                del d['names'][name]
            return 0, ''
        if sub == 'show':
            rules = d['rulesets'].get(key, [])
            if sargs:
                try:
                    n = int(sargs[0])
                except ValueError:
                    raise DevfsError('%s: error converting to integer: %s'
                                     % (prog, sargs[0]))
                if target not in _devfs_exists(st, d):
                    ioctl_fail('DEVFSIO_RGETNEXT',
                               'No such file or directory')
                rules = [x for x in rules if x['n'] == n]
            return 0, ''.join(_devfs_fmt(x) + '\n' for x in rules)
        if sub == 'showsets':
            if sargs:
                raise DevfsError('', True)
            return 0, ''.join('%d\n' % n
                              for n in sorted(_devfs_exists(st, d)))
        if sub == 'applyset':
            if sargs:
                raise DevfsError('', True)
            if target not in _devfs_exists(st, d):
                ioctl_fail('DEVFSIO_SAPPLY', 'No such process')
            if mrec is not None:
                mrec.setdefault('applied', []).append(target)
            return 0, ''
        if sub == 'apply':
            if not sargs:
                raise DevfsError('', True)
            _devfs_rulespec(sargs)
            return 0, ''
    except DevfsError as e:
        if e.usage or e.msg.startswith(prog):
            raise
        raise DevfsError('%s: %s' % (prog, e.msg))
    raise DevfsError('%s: unknown command: %s' % (prog, sub))


@core.tool('devfs')
def devfs_main(argv):
    # Showing rules changes nothing: do not write the state back (its
    # lazily made defaults would otherwise appear as a change).
    readonly = any(a in ('show', 'showsets') for a in argv[1:])
    with core.state(readonly=readonly) as st:
        try:
            code, out = devfs_command(st, argv[1:])
        except DevfsError as e:
            if e.usage:
                if e.msg:
                    sys.stderr.write(e.msg + '\n')
                core.die(DEVFS_USAGE, 1)
            if not e.msg.startswith('devfs'):
                core.die('devfs: %s' % e.msg, 1)
            core.die(e.msg, 1)
        sys.stdout.write(out)
    return code


# --- sh(1) as rc.subr's devfs_rulesets_from_file uses it: `read line`,
# then `eval /sbin/devfs rule -s $rulenum $rulecmd` (globbing off)

def _sh_read_line(text, pos):
    """`read line` without -r: (line, newpos) or (None, pos) at EOF.
    Backslash-newline joins lines, other backslashes escape a char;
    leading and trailing blanks go."""
    if pos >= len(text):
        return None, pos
    out = ''
    while pos < len(text):
        c = text[pos]
        if c == '\\':
            if pos + 1 < len(text):
                if text[pos + 1] == '\n':
                    pos += 2
                    continue
                out += text[pos + 1]
                pos += 2
                continue
            pos += 1
            continue
        if c == '\n':
            pos += 1
            break
        out += c
        pos += 1
    return out.strip(' \t'), pos


def _sh_words(s, env):
    """The words of eval'd command S: quotes, backslashes, $var and
    ${var} (unquoted empty expansions vanish), '#' comments."""
    words = []
    cur = None
    i = 0
    while i < len(s):
        c = s[i]
        if c in ' \t':
            if cur is not None:
                words.append(cur)
                cur = None
            i += 1
            continue
        if c == '#' and cur is None:
            break
        if c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                raise DevfsError('eval: Syntax error: Unterminated quoted '
                                 'string')
            cur = (cur or '') + s[i + 1:j]
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            part = ''
            while j < len(s) and s[j] != '"':
                if s[j] == '\\' and j + 1 < len(s) and s[j + 1] in '$`"\\':
                    part += s[j + 1]
                    j += 2
                    continue
                if s[j] == '$':
                    name, j = _sh_var(s, j)
                    part += env.get(name, '') if name else '$'
                    continue
                part += s[j]
                j += 1
            if j >= len(s):
                raise DevfsError('eval: Syntax error: Unterminated quoted '
                                 'string')
            cur = (cur or '') + part
            i = j + 1
            continue
        if c == '\\' and i + 1 < len(s):
            cur = (cur or '') + s[i + 1]
            i += 2
            continue
        if c == '$':
            name, j = _sh_var(s, i)
            if name:
                v = env.get(name, '')
                if v:
                    parts = v.split()
                    if parts:
                        cur = (cur or '') + parts[0]
                        for p in parts[1:]:
                            words.append(cur)
                            cur = p
                i = j
                continue
        cur = (cur or '') + c
        i += 1
    if cur is not None:
        words.append(cur)
    return words


def _sh_var(s, i):
    """$name or ${name} at S[i]: (name or None, end)."""
    if i + 1 < len(s) and s[i + 1] == '{':
        e = s.find('}', i + 2)
        if e < 0:
            return None, i + 1
        return s[i + 2:e], e + 1
    j = i + 1
    while j < len(s) and (s[j].isalnum() or s[j] == '_'):
        j += 1
    if j == i + 1:
        return None, i + 1
    return s[i + 1:j], j


def _devfs_rules_file(d, env, fname, text, log=True, st=None):
    """rc.subr devfs_rulesets_from_file: yields the warnings/errors (as
    lines for stderr); stops at the first error (yielding 'ERROR')."""
    pos = 0
    rulenum = ''
    lineno = 0
    while True:
        line, pos2 = _sh_read_line(text, pos)
        if line is None:
            return
        lineno += text.count('\n', pos, pos2) if pos2 > pos else 0
        pos = pos2
        if line.startswith('#'):
            continue
        if line.startswith('[') and ']' in line[1:]:
            m = re.match(r'^\[.*=([0-9]*)\]', line)
            rulenum = m.group(1) if m else ''
            if not rulenum:
                d.setdefault('errors', []).append(
                    '%s line %d: cannot extract rule number' % (fname,
                                                                lineno))
                yield ('/etc/rc.d/devfs: WARNING: devfs_rulesets_from_file: '
                       'cannot extract rule number (%s)' % line)
                yield 'ERROR'
                return
            m = re.match(r'^\[(.*)=[0-9]*\]', line)
            rulename = m.group(1) if m else ''
            if not rulename:
                yield ('/etc/rc.d/devfs: WARNING: devfs_rulesets_from_file: '
                       'cannot extract rule name (%s)' % line)
                yield 'ERROR'
                return
            if not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', rulename):
                d.setdefault('errors', []).append(
                    '%s line %d: bad ruleset name' % (fname, lineno))
                yield '/etc/rc.d/devfs: %s=%s: not found' % (rulename,
                                                             rulenum)
            else:
                env[rulename] = rulenum
                d.setdefault('names', {})[rulename] = int(rulenum)
            cmd = ['devfs', 'rule', '-s', rulenum, 'delset']
            err = _devfs_apply_at(d, st, cmd, log, fname, lineno)
            if err:
                yield err
                yield 'ERROR'
                return
            continue
        if not line:
            continue
        try:
            words = _sh_words(line, env)
        except DevfsError as e:
            yield '/etc/rc.d/devfs: %s' % e.msg
            yield 'ERROR'
            return
        if not words:
            continue
        cmd = ['devfs', 'rule', '-s'] + ([rulenum] if rulenum else []) + \
            words
        err = _devfs_apply_at(d, st, cmd, log, fname, lineno)
        if err:
            yield err
            yield 'ERROR'
            return


def _devfs_apply_at(d, st, cmd, log, fname, lineno):
    """_devfs_apply for line LINENO of FNAME: its error, if any, is also
    recorded in d['errors']."""
    err = _devfs_apply(d, st, cmd, log)
    if err:
        d.setdefault('errors', []).append('%s line %d: %s' % (
            fname, lineno, err))
    return err


def _devfs_apply(d, st, cmd, log):
    """Run devfs(8) CMD in-process (logged): None or its error text."""
    if log:
        if not _internal(cmd):
            return 'devfs: simulated failure (FAKEBSD_FAIL)'
    fake = {'devfs': d, 'mounts': (st or {}).get('mounts', [])}
    try:
        devfs_command(fake if st is None else st, cmd[1:])
    except DevfsError as e:
        if e.usage:
            return DEVFS_USAGE
        return e.msg if e.msg.startswith('devfs') else 'devfs: ' + e.msg
    return None


def service_devfs(cmd, args):
    """rc.d/devfs start|restart: load the rulesets of $devfs_rulesets,
    set $devfs_system_ruleset on /dev.  Like rc.subr, a bad rule file is
    reported (the devfs error, then a WARNING) and the script still
    exits 0; the rulesets read before the error stay loaded."""
    base, pre = _rc_base(cmd)
    if base == 'stop':
        return 0
    if base not in ('start', 'restart'):
        core.unsupported('service devfs %s' % cmd)
    rc = core.rc_vars()
    with core.state() as st:
        d = _devfs_boot(st)
        d['errors'] = []
        if rc.get('devfs_system_ruleset') or rc.get('devfs_set_rulesets') \
                or _yes(rc.get('devfs_load_rulesets', 'YES')):
            env = dict(rc)
            env.update({k: str(v) for k, v in d.get('names', {}).items()})
            for f in rc.get('devfs_rulesets', '/etc/defaults/devfs.rules '
                            '/etc/devfs.rules').split():
                text = _read_sim(f)
                if text is None:
                    continue
                bad = False
                for msg in _devfs_rules_file(d, env, f, text, True, st):
                    if msg == 'ERROR':
                        bad = True
                        continue
                    sys.stderr.write(msg + '\n')
                if bad:
                    sys.stderr.write('/etc/rc.d/devfs: WARNING: '
                                     'devfs_init_rulesets: could not read '
                                     'rules from %s\n' % f)
                    break
            for what, mp in ([('devfs_system_ruleset', '/dev')] +
                             [tuple(reversed(x.split('=', 1)))
                              for x in rc.get('devfs_set_rulesets',
                                              '').split() if '=' in x]):
                name = rc.get(what) if what == 'devfs_system_ruleset' \
                    else what
                if what == 'devfs_system_ruleset' and not name:
                    continue
                n = env.get(name, '')
                if not n:
                    sys.stderr.write('/etc/rc.d/devfs: WARNING: '
                                     'devfs_set_ruleset: you must specify '
                                     'a ruleset number\n')
                    sys.stderr.write('/etc/rc.d/devfs: WARNING: '
                                     'devfs_apply_ruleset: you must specify '
                                     'a ruleset\n')
                    continue
                for c in (['devfs', '-m', mp, 'ruleset', n],
                          ['devfs', '-m', mp, 'rule', '-s', n, 'applyset']):
                    err = _devfs_apply(d, st, c, True)
                    if err:
                        sys.stderr.write(err + '\n')
    return 0


def devfs_visible(st, ruleset, name, applied=()):
    """Is device NAME visible in a devfs mounted with RULESET (plus the
    rulesets applied to it)?  devfs_rule_run(): rules in order, the last
    matching hide/unhide wins, include recurses (depth 100)."""
    d = _devfs_boot(st)
    vis = [True]

    def run(rs, depth):
        for r in d['rulesets'].get(str(rs), []):
            if r.get('type'):
                continue        # no type conditions for pseudo-devices
            if r.get('path') is not None and not fnmatch.fnmatchcase(
                    name, r['path']):
                continue
            if r.get('hide'):
                vis[0] = False
            if r.get('unhide'):
                vis[0] = True
            if r.get('include') is not None and depth > 0:
                run(r['include'], depth - 1)
    if ruleset:
        run(ruleset, 100)
    for a in applied:
        run(a, 100)
    return vis[0]


# ---------------------------------------------------------------------------
# OpenBSD's dhcpd(8) (ports net/dhcpd), dhcpd.conf(5) and rc.d/dhcpd

DHCPD_CONF = '/usr/local/etc/dhcpd.conf'
DHCPD_LEASES = '/var/db/dhcpd.leases'
DHCPD_USAGE = ('usage: dhcpd [-dfn] [-A abandoned_ip_table] '
               '[-C changed_ip_table]\n'
               '\t[-c config-file] [-L leased_ip_table] [-l lease-file] '
               '[-p pf-device]\n\t[-u[bind_address]] [if0 [... ifN]]')
DEFAULT_LEASE_TIME = 43200
MAX_LEASE_TIME = 86400

DHCP_OPTIONS = {
    # name: (code, kind) kind: ip, ips, str, int, bool
    'subnet-mask': (1, 'ip'), 'time-offset': (2, 'int'),
    'routers': (3, 'ips'), 'time-servers': (4, 'ips'),
    'domain-name-servers': (6, 'ips'), 'log-servers': (7, 'ips'),
    'host-name': (12, 'str'), 'domain-name': (15, 'str'),
    'root-path': (17, 'str'), 'interface-mtu': (26, 'int'),
    'broadcast-address': (28, 'ip'), 'static-routes': (33, 'ips'),
    'nis-domain': (40, 'str'), 'nis-servers': (41, 'ips'),
    'ntp-servers': (42, 'ips'), 'netbios-name-servers': (44, 'ips'),
    'netbios-node-type': (46, 'int'), 'dhcp-lease-time': (51, 'int'),
    'tftp-server-name': (66, 'str'), 'bootfile-name': (67, 'str'),
    'domain-search': (119, 'str'),
}
DHCP_PARAMS = ('default-lease-time', 'max-lease-time', 'authoritative',
               'get-lease-hostnames', 'use-host-decl-names',
               'always-reply-rfc1048', 'boot-unknown-clients',
               'dynamic-bootp-lease-cutoff', 'dynamic-bootp-lease-length',
               'server-identifier', 'next-server', 'server-name',
               'filename', 'allow', 'deny', 'echo-client-id')


class DhcpError(Exception):
    """error(): a fatal message, dhcpd exits 1 at once."""


class DhcpConf(object):
    """confpars.c: parse a dhcpd.conf; warnings like parse_warn()."""

    def __init__(self, name, text):
        self.name = name
        self.lines = text.split('\n')
        self.toks = self._lex(text)
        self.i = 0
        self.warnings = []
        self.subnets = []
        self.hosts = []
        self.globals = {'options': {}}

    def _lex(self, text):
        toks = []
        for ln, line in enumerate(text.split('\n'), 1):
            j = 0
            while j < len(line):
                c = line[j]
                if c in ' \t\r':
                    j += 1
                    continue
                if c == '#':
                    break
                if c == '"':
                    k = line.find('"', j + 1)
                    if k < 0:
                        k = len(line)
                    toks.append(('STRING', line[j + 1:k], ln, k + 1))
                    j = k + 1
                    continue
                if c.isalnum() or c in '_-':
                    k = j
                    while k < len(line) and (line[k].isalnum() or
                                             line[k] in '_-'):
                        k += 1
                    w = line[j:k]
                    toks.append(('NUMBER' if w.isdigit() else 'NAME', w, ln,
                                 k))
                    j = k
                    continue
                toks.append((c, c, ln, j + 1))
                j += 1
        return toks

    def peek(self):
        if self.i < len(self.toks):
            return self.toks[self.i]
        last = self.toks[-1] if self.toks else (None, None, 1, 0)
        return ('EOF', None, last[2], last[3])

    def next(self):
        t = self.peek()
        if self.i < len(self.toks):
            self.i += 1
        return t

    def warn(self, msg, tok=None):
        tok = tok or (self.toks[self.i - 1] if self.i else self.peek())
        ln = tok[2]
        line = self.lines[ln - 1] if 0 < ln <= len(self.lines) else ''
        col = tok[3]
        self.warnings.append('%s line %d: %s\n%s\n%s^' % (
            self.name, ln, msg, line,
            ' ' * max(col - 1, 0)))

    def drop(self, msg, tok=None):
        """Warn about the statement and skip to its end (returns None)."""
        self.warn(msg, tok)
        self.skip_to_semi()

    def skip_to_semi(self):
        depth = 0
        while True:
            t = self.next()
            if t[0] == 'EOF':
                return
            if t[0] == '{':
                depth += 1
            elif t[0] == '}':
                depth -= 1
                if depth <= 0:
                    return
            elif t[0] == ';' and depth == 0:
                return

    def semi(self):
        t = self.peek()
        if t[0] != ';':
            self.next()
            self.warn('expecting semicolon.', t)
            self.skip_to_semi()
            return False
        self.next()
        return True

    def ip(self):
        """parse_numeric_aggregate(cfile, ..., '.', 10, 8): 4 numbers."""
        vals = []
        for k in range(4):
            if k:
                t = self.peek()
                if t[0] != '.':
                    if t[0] not in ('{', '}'):
                        self.next()
                    self.warn('too few numbers.', t)
                    if t[0] != ';':
                        self.skip_to_semi()
                    return None
                self.next()
            t = self.next()
            if t[0] == 'EOF':
                self.warn('unexpected end of file', t)
                return None
            if t[0] != 'NUMBER':
                return self.drop('expecting numeric value.', t)
            v = int(t[1])
            if v > 255:
                self.warn('value %d exceeds max (255) for precision.' % v,
                          t)
            vals.append(v & 0xff)
        return '.'.join(str(v) for v in vals)

    def parse(self):
        while True:
            t = self.peek()
            if t[0] == 'EOF':
                break
            self.statement(self.globals, 'root')
        return not self.warnings

    def statement(self, scope, kind):
        t = self.next()
        w = t[1] if t[0] == 'NAME' else None
        if w == 'subnet':
            if kind in ('subnet', 'host'):
                return self.drop('subnet declarations not allowed here.', t)
            return self.subnet(scope)
        if w == 'shared-network':
            if kind != 'root':
                return self.drop(
                    'shared-network parameters not allowed here.', t)
            n = self.next()
            if n[0] not in ('NAME', 'STRING', 'NUMBER'):
                return self.drop('expecting a name for shared-network', n)
            return self.block({'options': {}, 'parent': scope}, 'shared')
        if w == 'group':
            return self.block({'options': {}, 'parent': scope}, 'group')
        if w == 'host':
            if kind == 'host':
                return self.drop('host declarations not allowed here.', t)
            n = self.next()
            if n[0] not in ('NAME', 'STRING', 'NUMBER'):
                return self.drop('expecting a name for host declaration.', n)
            h = {'name': n[1], 'options': {}, 'parent': scope}
            self.block(h, 'host')
            self.hosts.append(h)
            return
        if w == 'range':
            if kind != 'subnet':
                return self.drop('range declaration not allowed here.', t)
            lo = self.ip()
            if lo is None:
                return
            hi = lo
            if self.peek()[0] != ';':
                hi = self.ip()
                if hi is None:
                    return
            if not self.semi():
                return
            return self.range(scope, lo, hi)
        if w == 'option':
            n = self.next()
            if n[0] != 'NAME':
                return self.drop(
                    'expecting identifier after option keyword.', n)
            if n[1] not in DHCP_OPTIONS:
                return self.drop('no option named %s' % n[1], n)
            code, k = DHCP_OPTIONS[n[1]]
            vals = []
            while True:
                if k in ('ip', 'ips'):
                    if self.peek()[0] == 'NAME':
                        a = self.next()
                        vals.append(a[1])
                    else:
                        a = self.ip()
                        if a is None:
                            return
                        vals.append(a)
                elif k == 'str':
                    a = self.next()
                    if a[0] != 'STRING':
                        return self.drop('expecting string.', a)
                    vals.append(a[1])
                else:
                    a = self.next()
                    if a[0] != 'NUMBER':
                        return self.drop('expecting numeric value.', a)
                    vals.append(int(a[1]))
                if k == 'ips' and self.peek()[0] == ',':
                    self.next()
                    continue
                break
            if not self.semi():
                return
            scope['options'][n[1]] = vals
            return
        if w in ('default-lease-time', 'max-lease-time',
                 'dynamic-bootp-lease-length'):
            n = self.next()
            if n[0] != 'NUMBER':
                return self.drop('Expecting numeric lease time', n)
            if self.semi():
                scope[w] = int(n[1])
            return
        if w == 'hardware':
            if kind != 'host':
                return self.drop('expecting a declaration.', t)
            h = self.next()
            if h[1] not in ('ethernet', 'token-ring', 'fddi'):
                return self.drop('expecting a network hardware type', h)
            parts = []
            while True:
                x = self.next()
                if x[0] not in ('NUMBER', 'NAME') or not re.match(
                        r'^[0-9a-fA-F]{1,2}$', x[1]):
                    return self.drop('expecting numeric value.', x)
                parts.append('%02x' % int(x[1], 16))
                if self.peek()[0] == ':':
                    self.next()
                    continue
                break
            if len(parts) != 6:
                self.warn('expecting 6 octets.')
            if self.semi():
                scope['hardware'] = ':'.join(parts)
            return
        if w == 'fixed-address':
            if kind != 'host':
                return self.drop('expecting a declaration.', t)
            a = self.ip()
            if a is not None and self.semi():
                scope['fixed-address'] = a
            return
        if w == 'authoritative':
            if self.semi():
                scope['authoritative'] = True
            return
        if w in ('get-lease-hostnames', 'use-host-decl-names',
                 'always-reply-rfc1048', 'boot-unknown-clients',
                 'echo-client-id'):
            b = self.next()
            if b[1] not in ('true', 'false', 'on', 'off'):
                return self.drop(
                    'boolean value (true/false/on/off) expected', b)
            self.semi()
            return
        if w in ('server-identifier', 'next-server'):
            a = self.ip()
            if a is not None and self.semi():
                scope[w] = a
            return
        if w in ('server-name', 'filename'):
            s = self.next()
            if s[0] != 'STRING':
                return self.drop('expecting string.', s)
            self.semi()
            return
        if w in ('allow', 'deny'):
            self.next()
            self.semi()
            return
        if t[0] == 'EOF':
            self.warn('unexpected end of file', t)
            return
        self.warn('expecting a declaration.' if kind == 'root' else
                  'expecting a parameter or declaration.', t)
        self.skip_to_semi()

    def block(self, scope, kind):
        t = self.next()
        if t[0] != '{':
            return self.drop('expecting left brace.', t)
        while True:
            t = self.peek()
            if t[0] == '}':
                self.next()
                return
            if t[0] == 'EOF':
                self.warn('unexpected end of file', t)
                return
            self.statement(scope, kind)

    def subnet(self, parent):
        net = self.ip()
        if net is None:
            return
        t = self.next()
        if t[1] != 'netmask':
            return self.drop('Expecting netmask', t)
        mask = self.ip()
        if mask is None:
            return
        try:
            n = ipaddress.ip_network('%s/%s' % (net, mask), strict=False)
        except ValueError:
            self.warn('bad netmask %s' % mask)
            return
        s = {'net': str(n.network_address), 'mask': mask,
             'prefixlen': n.prefixlen, 'ranges': [], 'options': {},
             'parent': parent}
        self.subnets.append(s)
        self.block(s, 'subnet')

    def range(self, s, lo, hi):
        """new_address_range(): fatal when the range leaves the subnet."""
        net = ipaddress.ip_network('%s/%s' % (s['net'], s['mask']))
        a, b = ipaddress.ip_address(lo), ipaddress.ip_address(hi)
        na = ipaddress.ip_network('%s/%s' % (lo, s['mask']), strict=False)
        nb = ipaddress.ip_network('%s/%s' % (hi, s['mask']), strict=False)
        if na != nb:
            raise DhcpError('Address range %s to %s, netmask %s spans '
                            'multiple subnets!' % (lo, hi, s['mask']))
        if na != net:
            raise DhcpError('Address range %s to %s not on net %s/%s!'
                            % (lo, hi, s['net'], s['mask']))
        if a > b:
            a, b = b, a
        s['ranges'].append([str(a), str(b)])

    def effective(self, s, key, default=None):
        while s is not None:
            if key in s:
                return s[key]
            s = s.get('parent')
        return default

    def options_of(self, s):
        chain = []
        while s is not None:
            chain.append(s)
            s = s.get('parent')
        out = {}
        for sc in reversed(chain):
            out.update(sc.get('options', {}))
        return out

    def export(self):
        """The subnets as state: [{net, prefixlen, mask, ranges, options,
        default-lease-time, max-lease-time}]."""
        out = []
        for s in self.subnets:
            out.append({
                'net': s['net'], 'mask': s['mask'],
                'prefixlen': s['prefixlen'], 'ranges': s['ranges'],
                'options': self.options_of(s),
                'default-lease-time': self.effective(
                    s, 'default-lease-time', DEFAULT_LEASE_TIME),
                'max-lease-time': self.effective(s, 'max-lease-time',
                                                 MAX_LEASE_TIME),
            })
        hosts = []
        for h in self.hosts:
            if h.get('hardware') and h.get('fixed-address'):
                hosts.append({'name': h['name'], 'mac': h['hardware'],
                              'addr': h['fixed-address'],
                              'options': self.options_of(h)})
        return out, hosts


def dhcpd_readconf(path):
    """readconf(): (subnets, hosts) or raises DhcpError with the messages
    (parse warnings, then the fatal line)."""
    text = _read_sim(path)
    if text is None:
        raise DhcpError("Can't open %s: No such file or directory" % path)
    c = DhcpConf(path, text)
    try:
        ok = c.parse()
    except DhcpError as e:
        raise DhcpError('\n'.join(c.warnings + [str(e)]))
    if not ok:
        raise DhcpError('\n'.join(c.warnings + [
            'Configuration file errors encountered -- exiting']))
    return c.export()


def _dhcpd_installed(st):
    return 'dhcpd' in st.get('packages', {}) and os.path.exists(
        core.host_path('/usr/local/sbin/dhcpd'))


def _dhcpd_interfaces(st, subnets, wanted):
    """discover_interfaces(DISCOVER_SERVER): the interfaces to serve with
    their subnet, or raises DhcpError."""
    ifs = st.get('interfaces', {})
    out = []
    if wanted:
        names = list(wanted)
    else:
        names = [n for n, r in sorted(ifs.items())
                 if r.get('type') != 'loopback' and r.get('inet')]
    for n in names:
        r = ifs.get(n)
        if r is None or not r.get('inet'):
            raise DhcpError('%s: not found' % n)
        addr = r['inet'][0]['addr']
        sub = None
        for s in subnets:
            if ipaddress.ip_address(addr) in ipaddress.ip_network(
                    '%s/%d' % (s['net'], s['prefixlen'])):
                sub = s
                break
        if sub is None:
            raise DhcpError(
                'No subnet declaration for %s (%s).\nPlease write a subnet '
                'declaration in your dhcpd.conf file for the\nnetwork '
                'segment to which interface %s is attached.' % (n, addr, n))
        out.append(n)
    return out


def _dhcpd_start(st, argv):
    """Run `dhcpd ARGS` as a daemon: 0, or 1 with messages printed."""
    conf = DHCPD_CONF
    try:
        opts, ifs = core.getopt(argv, 'A:C:L:c:dfl:np:u', lambda k, c: (
            _ for _ in ()).throw(DhcpError(DHCPD_USAGE)))
    except DhcpError as e:
        sys.stderr.write(str(e) + '\n')
        return 1
    for c, v in opts:
        if c == 'c':
            conf = v
        elif c in 'df':
            core.unsupported('dhcpd -%s (foreground)' % c)
        elif c in 'ACLlpu':
            core.unsupported('dhcpd -%s' % c)
    d = st.setdefault('dhcpd', {'running': False, 'leases': {}})
    if d.get('running'):
        sys.stderr.write("Can't bind to dhcp address: Address already in "
                         "use\n")
        return 1
    try:
        subnets, hosts = dhcpd_readconf(conf)
        served = _dhcpd_interfaces(st, subnets, ifs)
    except DhcpError as e:
        sys.stderr.write(str(e) + '\n')
        return 1
    real = core.host_path(DHCPD_LEASES)
    os.makedirs(os.path.dirname(real), exist_ok=True)
    if not os.path.exists(real):
        core.write_atomic(real, '')
    d.update(running=True, pid=_next_pid(st), interfaces=served,
             conf=core.sim_abspath(conf), subnets=subnets, hosts=hosts,
             started=int(time.time()))
    d.setdefault('leases', {})
    return 0


@core.tool('dhcpd')
def dhcpd_main(argv):
    with core.state() as st:
        if not _dhcpd_installed(st):
            core.die('dhcpd: not found', 127)
        opts, ifs = core.getopt(argv[1:], 'A:C:L:c:dfl:np:u',
                                lambda k, c: core.die(DHCPD_USAGE, 1))
        if any(c == 'n' for c, v in opts):
            conf = DHCPD_CONF
            for c, v in opts:
                if c == 'c':
                    conf = v
            try:
                dhcpd_readconf(conf)
            except DhcpError as e:
                core.die(str(e), 1)
            return 0
        return _dhcpd_start(st, argv[1:])


def _dhcpd_write_leases(d):
    real = core.host_path(DHCPD_LEASES)
    if not os.path.isdir(os.path.dirname(real)):
        return
    out = []
    for mac, l in sorted(d.get('leases', {}).items(),
                         key=lambda x: ipaddress.ip_address(x[1]['addr'])):
        out.append('lease %s {' % l['addr'])
        for k in ('starts', 'ends'):
            t = time.gmtime(l[k])
            out.append('\t%s %d %d/%02d/%02d %02d:%02d:%02d;' % (
                k, (t.tm_wday + 1) % 7, t.tm_year, t.tm_mon, t.tm_mday,
                t.tm_hour, t.tm_min, t.tm_sec))
        out.append('\thardware ethernet %s;' % mac)
        if l.get('hostname'):
            out.append('\tclient-hostname "%s";' % l['hostname'])
        out.append('}')
    core.write_atomic(real, '\n'.join(out) + ('\n' if out else ''))


def service_dhcpd(cmd, args):
    """/usr/local/etc/rc.d/dhcpd (installed by the dhcpd package):
    start|stop|restart|status, the one/force prefixes."""
    base, pre = _rc_service_base('dhcpd', cmd)
    rc = core.rc_vars()
    with core.state(readonly=True) as st:
        running = st.get('dhcpd', {}).get('running')
    if not (base == 'stop' and running):
        if _rcvar_refused('dhcpd', 'dhcpd_enable', cmd, base, pre, rc):
            return 0
    flags = rc.get('dhcpd_flags', '').split()
    status = 0
    with core.state() as st:
        d = st.setdefault('dhcpd', {'running': False, 'leases': {}})
        if base == 'status':
            return _rc_daemon_status(d, 'dhcpd')
        if base in ('stop', 'restart'):
            if d.get('running'):
                _rc_daemon_stop(d, 'dhcpd')
            else:
                print('dhcpd not running? (check /var/run/dhcpd.pid).')
                if base == 'stop':
                    return 1
        if base in ('start', 'restart'):
            if d.get('running'):
                print('dhcpd already running? (pid=%d).' % d['pid'])
                return 1
            print('Starting dhcpd.')
            sys.stdout.flush()
            argv = ['dhcpd'] + flags
            if not _internal(argv):
                status = 1
            else:
                status = _dhcpd_start(st, flags)
    return status


# --- the DHCP exchange of a VNET jail's dhclient (jail.dhcp_lease)

def _addrs_in_use(st):
    used = set()
    tables = [st.get('interfaces', {})]
    for j in st.get('jails', {}).values():
        if j.get('vnet'):
            tables.append(j.get('interfaces', {}))
    for t in tables:
        for r in t.values():
            for a in r.get('inet', []):
                used.add(a['addr'])
    return used


def _write_in_jail(root, rel, text):
    """Write ROOT/REL (REL relative, '/'-separated) without following any
    symlink: missing directories are created, a symlink anywhere on the
    way makes it fail.  Returns None or an error text."""
    parts = [p for p in rel.split('/') if p]
    flags = os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0) | \
        getattr(os, 'O_NOFOLLOW', 0)
    try:
        fd = os.open(root, flags)
    except OSError as e:
        return '%s: %s' % (root, e.strerror)
    try:
        for p in parts[:-1]:
            try:
                nfd = os.open(p, flags, dir_fd=fd)
            except FileNotFoundError:
                os.mkdir(p, 0o755, dir_fd=fd)
                nfd = os.open(p, flags, dir_fd=fd)
            os.close(fd)
            fd = nfd
        name = parts[-1]
        tmp = '.%s.fakebsd.%d' % (name, os.getpid())
        ffd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC |
                      getattr(os, 'O_NOFOLLOW', 0), 0o644, dir_fd=fd)
        try:
            os.write(ffd, text.encode())
        finally:
            os.close(ffd)
        try:
            st_ = os.stat(name, dir_fd=fd, follow_symlinks=False)
            import stat as _stat
            if _stat.S_ISLNK(st_.st_mode) or _stat.S_ISDIR(st_.st_mode):
                os.unlink(tmp, dir_fd=fd)
                return '%s: is a symbolic link or directory' % rel
        except FileNotFoundError:
            pass
        os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        return None
    except OSError as e:
        return '%s: %s' % (rel, e.strerror)
    finally:
        os.close(fd)


def _lease_time_line(word, t):
    g = time.gmtime(t)
    return '  %s %d %d/%d/%d %02d:%02d:%02d;' % (
        word, (g.tm_wday + 1) % 7, g.tm_year, g.tm_mon, g.tm_mday,
        g.tm_hour, g.tm_min, g.tm_sec)


def dhcp_lease(st, jail, ifname, mac):
    """dhclient IFNAME in VNET jail JAIL: the DHCPDISCOVER/REQUEST answered
    by the simulated dhcpd.  Returns {'addr', 'prefixlen', 'router'} and
    writes the jail's /var/db/dhclient.leases.IFNAME, or None (no lease;
    why is kept in st['jails'][JAIL]['dhclient'][IFNAME])."""
    rec = st['jails'][jail]
    note = rec.setdefault('dhclient', {})
    now = int(time.time())

    def nolease(why):
        note[ifname] = {'status': 'no lease', 'reason': why, 'time': now}
        return None
    # dhclient needs /dev/bpf inside the jail
    node = (rec.get('path') or '/').rstrip('/') + '/dev'
    mnt = None
    for m in st.get('mounts', []):
        if m.get('fstype') == 'devfs' and m.get('node') == node:
            mnt = m
    if mnt is None:
        return nolease('no /dev/bpf: no devfs mounted on %s' % node)
    try:
        rs = int(mnt.get('ruleset', 0) or 0)
    except ValueError:
        rs = 0
    if not devfs_visible(st, rs, 'bpf', mnt.get('applied', [])):
        return nolease('no /dev/bpf: hidden by devfs ruleset %d' % rs)
    d = st.get('dhcpd') or {}
    if not d.get('running'):
        return nolease('no DHCPOFFERS received (no DHCP server running)')
    jif = rec.get('interfaces', {}).get(ifname) or {}
    peer = jif.get('peer')
    ifs = st.get('interfaces', {})
    bridge = None
    for n, r in sorted(ifs.items()):
        if r.get('type') == 'bridge' and peer in r.get('members', []):
            bridge = n
    if bridge is None:
        return nolease('no DHCPOFFERS received (%s is not on a bridge of '
                       'the host)' % peer)
    if bridge not in d.get('interfaces', []):
        return nolease('no DHCPOFFERS received (dhcpd does not serve %s)'
                       % bridge)
    baddrs = [a['addr'] for a in ifs[bridge].get('inet', [])]
    sub = None
    for s in d.get('subnets', []):
        net = ipaddress.ip_network('%s/%d' % (s['net'], s['prefixlen']))
        if any(ipaddress.ip_address(a) in net for a in baddrs):
            sub = s
            break
    if sub is None:
        return nolease('no DHCPOFFERS received (no subnet for %s)' % bridge)
    net = ipaddress.ip_network('%s/%d' % (sub['net'], sub['prefixlen']))
    server = [a for a in baddrs if ipaddress.ip_address(a) in net][0]
    mac = (mac or '').lower()
    leases = d.setdefault('leases', {})
    used = _addrs_in_use(st)
    taken = set(l['addr'] for m, l in leases.items() if m != mac)
    fixed = [h for h in d.get('hosts', []) if h['mac'] == mac and
             ipaddress.ip_address(h['addr']) in net]
    addr = None
    opts = dict(sub.get('options', {}))
    if fixed:
        addr = fixed[0]['addr']
        opts.update(fixed[0].get('options', {}))
    else:
        old = leases.get(mac)
        if old and ipaddress.ip_address(old['addr']) in net and \
                old['addr'] not in used:
            addr = old['addr']
        else:
            for lo, hi in sub.get('ranges', []):
                a = ipaddress.ip_address(lo)
                while a <= ipaddress.ip_address(hi):
                    s_ = str(a)
                    if s_ not in taken and s_ not in used:
                        addr = s_
                        break
                    a += 1
                if addr:
                    break
    if addr is None:
        return nolease('no free leases on subnet %s' % sub['net'])
    ltime = int(sub.get('default-lease-time', DEFAULT_LEASE_TIME))
    hostname = rec.get('hostname') or ''
    if not fixed:
        leases[mac] = {'addr': addr, 'interface': bridge, 'jail': jail,
                       'hostname': hostname.split('.')[0], 'starts': now,
                       'ends': now + ltime}
        _dhcpd_write_leases(d)
    mask = opts.get('subnet-mask', [sub['mask']])[0]
    prefixlen = ipaddress.ip_network('0.0.0.0/%s' % mask).prefixlen
    routers = opts.get('routers', [])
    lines = ['lease {', '  interface "%s";' % ifname,
             '  fixed-address %s;' % addr, '  next-server %s;' % server]
    order = sorted(opts, key=lambda k: DHCP_OPTIONS[k][0])
    if 'subnet-mask' not in opts:
        order = ['subnet-mask'] + order
        opts['subnet-mask'] = [mask]
    for k in order:
        if DHCP_OPTIONS[k][0] > 51:
            continue
        kind = DHCP_OPTIONS[k][1]
        v = opts[k]
        if kind == 'str':
            val = '"%s"' % v[0]
        else:
            val = ','.join(str(x) for x in v)
        lines.append('  option %s %s;' % (k, val))
    lines.append('  option dhcp-lease-time %d;' % ltime)
    lines.append('  option dhcp-message-type 5;')
    lines.append('  option dhcp-server-identifier %s;' % server)
    lines.append(_lease_time_line('renew', now + ltime // 2))
    lines.append(_lease_time_line('rebind', now + ltime * 7 // 8))
    lines.append(_lease_time_line('expire', now + ltime))
    lines.append('}')
    root = core.host_path(rec.get('path') or '/')
    err = _write_in_jail(root, 'var/db/dhclient.leases.%s' % ifname,
                         '\n'.join(lines) + '\n')
    dns = opts.get('domain-name-servers')
    if dns:
        rv = ''
        if opts.get('domain-search') or opts.get('domain-name'):
            rv += 'search %s\n' % (opts.get('domain-search') or
                                   opts.get('domain-name'))[0]
        rv += ''.join('nameserver %s\n' % x for x in dns)
        _write_in_jail(root, 'etc/resolv.conf', rv)
    note[ifname] = {'status': 'bound', 'addr': addr, 'server': server,
                    'time': now}
    if err:
        note[ifname]['lease_file_error'] = err
    out = {'addr': addr, 'prefixlen': prefixlen}
    if routers:
        out['router'] = routers[0]
    return out
