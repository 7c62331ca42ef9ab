"""fakebsd.rctl: rctl(8) and cpuset(1) (the jail targets).

rctl(8), as FreeBSD 14.3's usr.bin/rctl and kern_rctl.c:

    rctl [-h] [-n] [filter ...]     the rules (matching a filter)
    rctl -a rule ...                add rules
    rctl -r filter ...              remove the rules matching a filter
    rctl -u [-h] filter             a subject's resource usage

A rule is subject:subject-id:resource:action=amount[/per].  The
subjects, resources and actions are the tables of rctl(8); deny is
refused for cputime, wallclock and the four I/O resources, throttle is
allowed for the I/O resources only ("Operation not supported", as the
kernel's EOPNOTSUPP); an unknown subject, resource or action, or a rule
with an empty field, is EINVAL ("Invalid argument").  Amounts take the
expand_number(3) suffixes (k, m, g, t, p, e; powers of 1024).  Adding a
deny rule replaces the deny rule of the same subject, resource and per;
any other rule replaces only an identical one.  A filter that removes
nothing is ESRCH ("No such process").  With kern.racct.enable at 0 (the
tunable of /boot/loader.conf, read at boot) every call is ENOSYS, which
rctl(8) reports as "RACCT/RCTL present, but disabled; enable using
kern.racct.enable=1 tunable".

State: st['rctl'] is the kernel's rule list (canonical rules, amounts in
plain numbers, "/per" only when it differs from the subject), kept
sorted: rctl(8) defines no order (the kernel keeps a list per subject,
newest first), so a rule removed and added again leaves the same state.  Rules are
by name: removing a jail keeps its rules; a reboot forgets them
(boot.forget()).  Usage (-u) of a running jail is a fixed, plausible
set of numbers (maxproc from the jail's record), of anything else zeros.

cpuset(1), the jail target only:

    cpuset -l cpu-list -j jail      set a running jail's CPUs
    cpuset -g -j jail               "jail JID mask: 0, 1" and its domain line

jail is a JID or a name; cpu-list is numbers, ranges a-b and commas, or
"all".  A CPU at or beyond hw.ncpu is refused as the kernel does
(EDEADLK, "setaffinity: Resource deadlock avoided").  The set is kept in
the jail's record (st['jails'][NAME]['cpuset']), so it goes with the
jail and with a reboot.
"""

import sys

from . import core

SUBJECTS = ('process', 'user', 'loginclass', 'jail')

# kern_rctl.c / rctl(8): the resources, in the kernel's order
RESOURCES = ('cputime', 'datasize', 'stacksize', 'coredumpsize',
             'memoryuse', 'memorylocked', 'maxproc', 'openfiles',
             'vmemoryuse', 'pseudoterminals', 'swapuse', 'nthr',
             'msgqqueued', 'msgqsize', 'nmsgq', 'nsem', 'nsemop', 'nshm',
             'shmsize', 'wallclock', 'pcpu', 'readbps', 'writebps',
             'readiops', 'writeiops')
BYTES = ('datasize', 'stacksize', 'coredumpsize', 'memoryuse',
         'memorylocked', 'vmemoryuse', 'swapuse', 'msgqsize', 'shmsize',
         'readbps', 'writebps')
NO_DENY = ('cputime', 'wallclock', 'readbps', 'writebps', 'readiops',
           'writeiops')
THROTTLE = ('readbps', 'writebps', 'readiops', 'writeiops')
SIGNALS = ('hup', 'int', 'quit', 'ill', 'trap', 'abrt', 'emt', 'fpe',
           'kill', 'bus', 'segv', 'sys', 'pipe', 'alrm', 'term', 'urg',
           'stop', 'tstp', 'cont', 'chld', 'ttin', 'ttou', 'io', 'xcpu',
           'xfsz', 'vtalrm', 'prof', 'winch', 'info', 'usr1', 'usr2',
           'thr', 'librt')

USAGE = ('usage: rctl [ -h ] [-a rule | -l filter | -r filter | -u filter '
         '| filter]')

EINVAL = 'Invalid argument'
EOPNOTSUPP = 'Operation not supported'
ESRCH = 'No such process'


def expand_number(s):
    """expand_number(3): digits and an optional suffix; None if bad."""
    if not s:
        return None
    mult = 1
    suf = s[-1].lower()
    if suf in 'kmgtpe':
        mult = 1024 ** ('kmgtpe'.index(suf) + 1)
        s = s[:-1]
    if s == '' or not s.isdigit():
        return None
    v = int(s) * mult
    if v >= 1 << 63:
        return None
    return v


def action_ok(a):
    return a in ('deny', 'log', 'devctl', 'throttle') or \
        (a.startswith('sig') and a[3:] in SIGNALS)


class Bad(Exception):
    """errno text of a refused rule"""


def parse(text, full):
    """A rule (full) or filter as a dict; raises Bad or ValueError
    (a number rctl(8) itself cannot read)."""
    head, per = text, None
    if '/' in head:
        head, per = head.split('/', 1)
    amount = None
    if '=' in head:
        head, amount = head.split('=', 1)
    f = head.split(':')
    if len(f) > 4:
        raise Bad(EINVAL)
    f += [''] * (4 - len(f))
    subj, sid, res, act = f
    if amount is not None and amount != '':
        v = expand_number(amount)
        if v is None:
            raise ValueError(amount)
        amount = v
    else:
        amount = None
    if subj and subj not in SUBJECTS or res and res not in RESOURCES or \
            act and not action_ok(act) or per and per not in SUBJECTS:
        raise Bad(EINVAL)
    if full:
        if not subj or not sid or not res or not act or amount is None:
            raise Bad(EINVAL)
        if act == 'deny' and res in NO_DENY or \
                act == 'throttle' and res not in THROTTLE:
            raise Bad(EOPNOTSUPP)
    return {'subject': subj, 'id': sid, 'resource': res, 'action': act,
            'amount': amount, 'per': per or subj or None}


def render(r):
    s = '%s:%s:%s:%s=%d' % (r['subject'], r['id'], r['resource'],
                            r['action'], r['amount'])
    if r['per'] and r['per'] != r['subject']:
        s += '/' + r['per']
    return s


def matches(flt, r):
    for k in ('subject', 'id', 'resource', 'action'):
        if flt[k] and flt[k] != r[k]:
            return False
    if flt['amount'] is not None and flt['amount'] != r['amount']:
        return False
    return True


def humanize(res, v):
    if res not in BYTES:
        return str(v)
    units = 'BKMGTPE'
    i = 0
    while v >= 10000 and i < len(units) - 1:
        v //= 1024
        i += 1
    return '%d%s' % (v, units[i])


def racct_check(st):
    if st.get('sysctl', {}).get('kern.racct.enable', [0])[0] != 1:
        core.fail('RACCT/RCTL present, but disabled; enable using '
                  'kern.racct.enable=1 tunable')


def rules(st):
    return [parse(x, True) for x in st.setdefault('rctl', [])]


def usage_of(st, subj, sid):
    u = {k: 0 for k in RESOURCES}
    if subj == 'jail' and sid in st.get('jails', {}):
        u.update({'cputime': 1, 'datasize': 1343488, 'stacksize': 266240,
                  'memoryuse': 27336704, 'maxproc': 3, 'openfiles': 256,
                  'vmemoryuse': 111460352, 'nthr': 3,
                  'wallclock': 42})
    return u


def bad_usage(kind, c):
    core.die(USAGE, 1)


def rctl_add(st, args):
    have = rules(st)
    err = 0
    for a in args:
        try:
            r = parse(a, True)
        except ValueError as e:
            core.warn("malformed rule '%s': invalid numeric value '%s'"
                      % (a, e.args[0]))
            err = 1
            continue
        except Bad as e:
            core.warn("failed to add rule '%s': %s" % (a, e.args[0]))
            err = 1
            continue
        same = ('subject', 'id', 'resource', 'action', 'per')
        have = [h for h in have
                if not (all(h[k] == r[k] for k in same) and
                        (r['action'] == 'deny' or h['amount'] ==
                         r['amount']))]
        have.append(r)
    st['rctl'] = sorted(render(h) for h in have)
    return err


def rctl_remove(st, args):
    have = rules(st)
    err = 0
    for a in args:
        try:
            flt = parse(a, False)
        except ValueError as e:
            core.warn("malformed rule '%s': invalid numeric value '%s'"
                      % (a, e.args[0]))
            err = 1
            continue
        except Bad as e:
            core.warn("failed to remove rule '%s': %s" % (a, e.args[0]))
            err = 1
            continue
        keep = [h for h in have if not matches(flt, h)]
        if len(keep) == len(have):
            core.warn("failed to remove rule '%s': %s" % (a, ESRCH))
            err = 1
        have = keep
    st['rctl'] = sorted(render(h) for h in have)
    return err


@core.tool('rctl')
def rctl_main(argv):
    opts, args = core.getopt(argv[1:], 'ahlnru', bad_usage)
    flags = ''.join(c for c, _ in opts)
    modes = [c for c in flags if c in 'alru']
    if len(set(modes)) > 1:
        core.die(USAGE, 1)
    mode = modes[0] if modes else None
    if mode == 'l':
        core.unsupported('-l (the rules of a process)')
    if mode in ('a', 'r', 'u') and not args:
        core.die(USAGE, 1)
    ro = mode in (None, 'u')
    with core.state(readonly=ro) as st:
        racct_check(st)
        if mode == 'a':
            return rctl_add(st, args)
        if mode == 'r':
            return rctl_remove(st, args)
        if mode == 'u':
            if len(args) != 1:
                core.die(USAGE, 1)
            try:
                flt = parse(args[0], False)
            except (Bad, ValueError):
                core.fail("failed to get limits for '%s': %s"
                          % (args[0], EINVAL))
            if not flt['subject'] or not flt['id'] or flt['resource']:
                core.fail("failed to get limits for '%s': %s"
                          % (args[0], EINVAL))
            u = usage_of(st, flt['subject'], flt['id'])
            for k in RESOURCES:
                v = humanize(k, u[k]) if 'h' in flags else str(u[k])
                sys.stdout.write('%s=%s\n' % (k, v))
            return 0
        flts = []
        for a in args or [':']:
            try:
                flts.append(parse(a, False))
            except (Bad, ValueError):
                core.fail("failed to get rules for '%s': %s" % (a, EINVAL))
        for r in rules(st):
            if any(matches(f, r) for f in flts):
                s = render(r)
                if 'h' in flags:
                    s = s.split('=')[0] + '=' + \
                        humanize(r['resource'], r['amount']) + \
                        ('/' + s.split('/', 1)[1] if '/' in s else '')
                sys.stdout.write(s + '\n')
    return 0


# ---------------------------------------------------------------------------
# cpuset(1)

CPUSET_USAGE = (
    'usage: cpuset [-l cpu-list] [-n policy:domain-list] [-s setid] cmd ...\n'
    '       cpuset [-l cpu-list] [-n policy:domain-list] [-s setid] -p pid\n'
    '       cpuset [-c] [-l cpu-list] [-n policy:domain-list] -C -p pid\n'
    '       cpuset [-c] [-l cpu-list] [-n policy:domain-list]\n'
    '              [-j jail | -p pid | -t tid | -s setid | -x irq]\n'
    '       cpuset -g [-cir] [-d domain | -j jail | -p pid | -t tid |'
    ' -s setid | -x irq]')

CPU_SETSIZE = 1024


def cpu_list(text, ncpu):
    """cpuset.c's parselist: the CPUs of text, or die."""
    if text == 'all':
        return list(range(ncpu))
    cpus = set()
    for part in text.split(','):
        lo, sep, hi = part.partition('-')
        if not lo.isdigit() or (sep and not hi.isdigit()):
            core.fail('Malformed cpu-list %s' % text)
        a = int(lo)
        b = int(hi) if sep else a
        if a >= CPU_SETSIZE or b >= CPU_SETSIZE:
            core.fail('list value out of range: %s' % text)
        if b < a:
            core.fail('Malformed cpu-list %s' % text)
        cpus.update(range(a, b + 1))
    return sorted(cpus)


def find_jail(st, target):
    for name, j in st.get('jails', {}).items():
        if name == target or str(j.get('jid')) == target:
            return name, j
    core.fail('jail "%s" not found' % target)


@core.tool('cpuset')
def cpuset_main(argv):
    def bad(kind, c):
        core.die(CPUSET_USAGE, 1)
    opts, args = core.getopt(argv[1:], 'Ccd:gij:l:n:p:rs:t:x:', bad)
    o = dict(opts)
    other = set(o) - set('gjl')
    if other or args or 'j' not in o or ('g' in o) == ('l' in o):
        if other or args:
            core.unsupported('cpuset %s (only -l LIST -j JAIL and '
                             '-g -j JAIL)' % ' '.join(argv[1:]))
        core.die(CPUSET_USAGE, 1)
    with core.state(readonly='g' in o) as st:
        ncpu = st['sysctl']['hw.ncpu'][0]
        name, j = find_jail(st, o['j'])
        if 'g' in o:
            mask = j.get('cpuset') or list(range(ncpu))
            sys.stdout.write('jail %d mask: %s\n' % (
                j['jid'], ', '.join(str(c) for c in mask)))
            sys.stdout.write('jail %d domain policy: first-touch mask: 0\n'
                             % j['jid'])
            return 0
        cpus = cpu_list(o['l'], ncpu)
        if not cpus or cpus[-1] >= ncpu:
            core.fail('setaffinity: Resource deadlock avoided')
        j['cpuset'] = cpus
    return 0
