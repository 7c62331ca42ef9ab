"""fakebsd.misc: uname, hostname, freebsd-version, sysrc, service, sysctl,
kldstat, fetch, sha256, tar.

Hooks for the other modules (see service_main): `service jail ...` calls
fakebsd.jail.service_jail(cmd, args), `service netif ...` calls
fakebsd.net.service_netif(cmd, args), and so on (SERVICE_HOOKS); each
returns an exit status.  A hook that does not exist yet makes the command
fail as unsupported.
"""

import os
import sys

from . import core


# ---------------------------------------------------------------------------
# uname / hostname / freebsd-version

@core.tool('uname')
def uname_main(argv):
    bad, opts, args = core.tool_getopt(
        argv, 'uname', 'abiKmnoprsUv',
        'usage: uname [-abiKmnoprsUv]')
    if args:
        bad('extra', '')
    flags = set()
    for c, v in opts:
        if c == 'a':
            flags |= set('snrvm')
        elif c == 'o':
            flags.add('s')
        else:
            flags.add(c)
    if not flags:
        flags.add('s')
    st = core.load_state()
    u = st['uname']
    vals = {
        's': u['sysname'],
        'n': st['hostname'],
        'r': u['release'],
        'v': u['version'].replace('\n', ' ').replace('\t', ' ').strip(),
        'm': u['machine'],
        'p': u['processor'],
        'i': u.get('ident', 'GENERIC'),
        'K': str(u['osreldate']),
        'U': str(st['freebsd_version']['osreldate']),
        'b': u.get('buildid', '5a1a9d5e5ba0c1f2d3e4f5a6b7c8d9e0f1a2b3c4'),
    }
    print(' '.join(vals[c] for c in 'snrvmpiKUb' if c in flags))
    return 0


@core.tool('hostname')
def hostname_main(argv):
    bad, opts, args = core.tool_getopt(
        argv, 'hostname', 'fsd',
        'usage: hostname [-f] [-s | -d] [name-of-host]')
    mode = 'f'
    for c, v in opts:
        if c in 'sd':
            if mode != 'f' and mode != c:
                bad('usage', '')
            mode = c
    if len(args) > 1:
        bad('usage', '')
    if args:
        if mode != 'f':
            bad('usage', '')
        with core.state() as st:
            st['hostname'] = args[0]
            if 'kern.hostname' in st.get('sysctl', {}):
                st['sysctl']['kern.hostname'][0] = args[0]
        return 0
    h = core.load_state()['hostname']
    if mode == 's':
        h = h.split('.')[0]
    elif mode == 'd':
        h = h.partition('.')[2]
    print(h)
    return 0


@core.tool('freebsd-version')
def freebsd_version_main(argv):
    bad, opts, args = core.tool_getopts(
        argv, 'freebsd-version', 'kruj:',
        'usage: freebsd-version [-kru] [-j jail]')
    if args:
        bad('usage', '')
    if 'j' in opts:
        core.unsupported('freebsd-version -j')
    flags = set(c for c, v in opts) or {'u'}
    st = core.load_state()
    fv = st['freebsd_version']
    if 'k' in flags:
        print(fv['kernel'])
    if 'r' in flags:
        print(st['uname']['release'])
    if 'u' in flags:
        print(fv['userland'])
    return 0


# ---------------------------------------------------------------------------
# sysrc

SYSRC_USAGE = ('Usage: sysrc [OPTIONS] {name[[+|-]=value] ... | -a | -A | '
               '-l | -L [name ...]}\nTry `sysrc --help\' for more '
               'information.')


# The tree sysrc and service act on: None for the host's, else the real
# path of a running jail's root (-j: the jail's own sysrc(8) or
# service(8), run by jexec; its symlinks resolve inside that root).
_RC_ROOT = None


def _rc_real(sim):
    """Real path of the simulated path SIM in the tree sysrc acts on."""
    if _RC_ROOT is None:
        return core.host_path(sim)

    def loop():
        raise OSError(62, 'Too many levels of symbolic links')
    return core.resolve_under(_RC_ROOT, sim, True, loop)


def _rc_jail_root(key):
    """-j KEY: the real root of the running jail KEY (name or jid), or
    jexec's error."""
    from . import net
    with core.state(readonly=True) as st:
        jname, rec = net.find_jail(st, key)
    if jname is None:
        core.die('jexec: %s' % net.jail_not_found(key))
    return jname, core.host_path(rec.get('path') or '/')


def _rc_read(sim):
    try:
        with open(_rc_real(sim), encoding='utf-8',
                  errors='surrogateescape') as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _rc_find(files, defaults_sim, name):
    """sysrc's f_sysrc_find: last file (in reverse order, then the
    defaults file) that assigns NAME."""
    import re
    rx = re.compile(r'^[ \t]*' + re.escape(name) + '=', re.M)
    for f in list(reversed(files)) + [defaults_sim]:
        t = _rc_read(f)
        if t is not None and rx.search(t):
            return f
    return None


def _rc_get(files, defaults_sim, name):
    """Value of NAME after sourcing defaults and FILES; None if unset."""
    env = {}
    t = _rc_read(defaults_sim)
    if t is not None:
        core.rc_parse(t, env)
    for f in files:
        t = _rc_read(f)
        if t is not None:
            core.rc_parse(t, env)
    return env.get(name)


def _rc_set(files, defaults_sim, name, value):
    """sysrc's f_sysrc_set: replace the last assignment in the last file
    holding NAME, else append name="value" to the first file."""
    import re
    f = _rc_find(files, defaults_sim, name)
    if f is None or f == defaults_sim:
        f = files[0]
        real = _rc_real(f)
        old = _rc_read(f)
        if old is None:
            d = os.path.dirname(real)
            if not os.path.isdir(d):
                core.die('sysrc: cannot create %s: No such file or directory'
                         % f)
            old = ''
        if old and not old.endswith('\n'):
            old += '\n'
        core.write_atomic(real, old + '%s="%s"\n' % (name, value))
        return
    real = _rc_real(f)
    text = _rc_read(f)
    lines = text.split('\n')
    rx = re.compile(r'^([ \t]*' + re.escape(name) + '=)(.*)$')
    for i in range(len(lines) - 1, -1, -1):
        m = rx.match(lines[i])
        if not m:
            continue
        head, val = m.group(1), m.group(2)
        t1 = val[:1]
        if t1 and t1 in '`$\\':
            break           # not ours to edit: append below
        if t1 == "'":
            j = val.find("'", 1)
            rest = val[j + 1:] if j >= 0 else ''
            q1 = q2 = "'"
        elif t1 == '"':
            j = 1
            while j < len(val) and val[j] != '"':
                j += 2 if val[j] == '\\' else 1
            rest = val[j + 1:] if j < len(val) else ''
            q1 = q2 = '"'
        elif t1 and t1 not in ' \t;':
            j = 0
            while j < len(val) and val[j] not in ' \t':
                j += 1
            rest = val[j:]
            q1 = q2 = '"'
        else:
            rest = val
            q1 = q2 = '"'
        lines[i] = '%s%s%s%s%s' % (head, q1, value, q2, rest)
        core.write_atomic(real, '\n'.join(lines))
        return
    if text and not text.endswith('\n'):
        text += '\n'
    core.write_atomic(real, text + '%s="%s"\n' % (name, value))


def _rc_delete(files, name):
    import re
    rx = re.compile(r'^[ \t]*' + re.escape(name) + '=')
    for f in files:
        text = _rc_read(f)
        if text is None:
            continue
        lines = text.split('\n')
        keep = [ln for ln in lines if not rx.match(ln)]
        if len(keep) != len(lines):
            core.write_atomic(_rc_real(f), '\n'.join(keep))


def _split_items(value, delim_char):
    if delim_char in ('', ' ', '\t', '\n') or delim_char.isalnum() or \
            delim_char in './':
        return value.split(), ' '
    return value.split(delim_char), delim_char


@core.tool('sysrc')
def sysrc_main(argv):
    """sysrc(8); -j JAIL: the jail's own sysrc (jexec), on its files."""
    global _RC_ROOT
    opts, _ = core.getopts(argv[1:], 'aAcdDeEf:Fhij:lLnNqR:s:vxX',
                           core.usage_die(SYSRC_USAGE))
    jail = opts.value('j')
    if jail is None:
        return _sysrc_run(argv)
    _, root = _rc_jail_root(jail)
    _RC_ROOT = root
    try:
        return _sysrc_run(argv)
    finally:
        _RC_ROOT = None


def _sysrc_run(argv):
    args = argv[1:]
    if not args:
        core.die(SYSRC_USAGE, 1)

    opts, names = core.getopts(args, 'aAcdDeEf:Fhij:lLnNqR:s:vxX',
                               core.usage_die(SYSRC_USAGE))
    c = opts.other('fnNeqcxij')
    if c == 'h':
        core.die(SYSRC_USAGE, 1)
    elif c is not None:
        core.unsupported('sysrc -%s' % c)
    files = None
    for v in opts.values('f'):
        files = (files or []) + v.split()
    show_name = 'n' not in opts
    show_value = 'N' not in opts
    equals = 'e' in opts
    quiet = 'q' in opts
    check = 'c' in opts
    delete = 'x' in opts
    ignore = 'i' in opts
    if not names:
        core.die(SYSRC_USAGE, 1)
    if not show_name:
        equals = False
    if not show_value:
        show_name = True
        equals = False
    defaults = '/etc/defaults/rc.conf'
    if files is None:
        env = {}
        t = _rc_read(defaults)
        if t is not None:
            core.rc_parse(t, env)
        files = env.get('rc_conf_files',
                        '/etc/rc.conf /etc/rc.conf.local').split()
    import re
    for a in names:
        n = re.split(r'[%#+=-]', a.split(':')[0] if ':' in a else a)[0]
        if not re.match(r'^[A-Za-z0-9_]*$', n):
            core.die('sysrc: %s: name contains characters not allowed in '
                     'shell' % n, 1)
    status = 0
    out = []
    for a in names:
        name = a.split('=', 1)[0]
        mode = 'assign'
        if name.endswith('+'):
            mode, name = 'append', name[:-1]
        elif name.endswith('-'):
            mode, name = 'remove', name[:-1]
        if '=' in a:
            value = a.split('=', 1)[1]
            if delete:
                _rc_delete(files, name)
                continue
            if check:
                cur = _rc_get(files, defaults, name)
                if cur is None or cur != value:
                    status = 1
                continue
            before = _rc_get(files, defaults, name) or ''
            if mode == 'append':
                items, delim = _split_items(before, value[:1])
                new_items, _ = _split_items(value, value[:1])
                new = before
                for it in new_items:
                    if it and it not in items:
                        new = new + delim + it
                if new.startswith(delim):
                    new = new[len(delim):]
            elif mode == 'remove':
                items, delim = _split_items(before, value[:1])
                rem, _ = _split_items(value, value[:1])
                new = delim.join(b for b in items if b and b not in rem)
            else:
                new = value
            if not show_value:
                out.append(name)
                _rc_set(files, defaults, name, new)
                continue
            _rc_set(files, defaults, name, new)
            after = _rc_get(files, defaults, name) or ''
            if equals:
                out.append('%s="%s" # -> "%s"' % (name, before, after))
            elif show_name:
                out.append('%s: %s -> %s' % (name, before, after))
            else:
                out.append('%s -> %s' % (before, after))
            continue
        cur = _rc_get(files, defaults, name)
        if cur is None:
            if not (ignore or quiet):
                sys.stdout.write(''.join(x + '\n' for x in out))
                out = []
                sys.stderr.write("sysrc: unknown variable '%s'\n" % name)
            status = 1
            continue
        if check:
            continue
        if delete:
            _rc_delete(files, name)
            continue
        if not show_value:
            out.append(name)
        elif equals:
            out.append('%s="%s"' % (name, cur))
        elif show_name:
            out.append('%s: %s' % (name, cur))
        else:
            out.append(cur)
    sys.stdout.write(''.join(x + '\n' for x in out))
    return status


# ---------------------------------------------------------------------------
# service

BASE_RCD = {
    'jail': 'jail_enable', 'netif': None, 'routing': None, 'sysctl': None,
    'pf': 'pf_enable', 'pflog': 'pflog_enable', 'devfs': None,
    'sshd': 'sshd_enable', 'syslogd': 'syslogd_enable',
    'cron': 'cron_enable', 'ntpd': 'ntpd_enable', 'zfs': 'zfs_enable',
    'zfsd': 'zfsd_enable', 'sendmail': 'sendmail_enable',
    'rctl': 'rctl_enable', 'hostname': None, 'resolv': None,
    'local': None, 'defaultroute': None, 'dhclient': None,
    'ipfw': 'firewall_enable', 'mountd': 'mountd_enable',
    'nfsd': 'nfs_server_enable', 'ntpdate': 'ntpdate_enable',
    'powerd': 'powerd_enable', 'moused': 'moused_enable',
    'linux': 'linux_enable', 'gateway_enable': None,
}

# service -> (module, function): fn(cmd, args) -> exit status
SERVICE_HOOKS = {
    'jail': ('jail', 'service_jail'),
    'netif': ('net', 'service_netif'),
    'routing': ('net', 'service_routing'),
    'pf': ('pkgpf', 'service_pf'),
    'pflog': ('pkgpf', 'service_pflog'),
    'devfs': ('pkgpf', 'service_devfs'),
    'dhcpd': ('pkgpf', 'service_dhcpd'),
    'isc-dhcpd': ('pkgpf', 'service_dhcpd'),
}

RC_COMMANDS = ('start', 'stop', 'restart', 'rcvar', 'enable', 'disable',
               'delete', 'enabled', 'describe', 'extracommands', 'status',
               'poll', 'reload', 'config')


def service_usage():
    print('')
    print('Usage:')
    for ln in ('service [-j <jail name or id>] -e',
               'service [-j <jail name or id>] -R',
               'service [-j <jail name or id>] [-v] -l | -r',
               'service [-j <jail name or id>] [-v] <rc.d script> '
               'start|stop|etc.',
               'service -h'):
        print(ln)
    print('')
    print('-j\tPerform actions within the named jail')
    print('-e\tShow services that are enabled')
    print('-R\tStop and start enabled /usr/local/etc/rc.d services')
    print('-l\tList all scripts in /etc/rc.d and /usr/local/etc/rc.d')
    print('-r\tShow the results of boot time rcorder')
    print('-v\tVerbose')
    print('')


def _service_script(name):
    """'/etc/rc.d/NAME' or '/usr/local/etc/rc.d/NAME' if the service
    exists on the simulated host, else None."""
    if name in BASE_RCD:
        return '/etc/rc.d/' + name
    for d in ('/etc/rc.d', '/usr/local/etc/rc.d'):
        p = core.host_path(d + '/' + name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return d + '/' + name
    return None


def _service_rcvar(name):
    if name in BASE_RCD:
        return BASE_RCD[name]
    return name.replace('-', '_') + '_enable'


def _yes(v):
    return (v or '').lower() in ('yes', 'true', 'on', '1')


def call_hook(name, cmd, args):
    """Run SERVICE_HOOKS[NAME] or fail as unsupported."""
    import importlib
    mod, fn = SERVICE_HOOKS.get(name, (None, None))
    func = None
    if mod:
        try:
            m = importlib.import_module('fakebsd.' + mod)
            func = getattr(m, fn, None)
        except ModuleNotFoundError as e:
            if e.name != 'fakebsd.' + mod:
                raise
    if func is None:
        core.unsupported('service %s %s' % (name, cmd))
    return func(cmd, args)


def sysctl_conf_apply():
    """rc.d/sysctl: apply /etc/sysctl.conf and /etc/sysctl.conf.local."""
    with core.state() as st:
        for f in ('/etc/sysctl.conf', '/etc/sysctl.conf.local'):
            t = _rc_read(f)
            if t is None:
                continue
            for ln in t.split('\n'):
                ln = ln.split('#')[0].strip()
                if not ln or '=' not in ln:
                    continue
                mib, _, val = ln.partition('=')
                ent = st['sysctl'].get(mib.strip())
                if ent is None:
                    continue
                if not ent[1]:
                    sys.stderr.write('sysctl: unable to set %s\n' % ln)
                    continue
                nv = _sysctl_value(ent[0], val.strip())
                if isinstance(nv, ValueError):
                    sys.stderr.write('sysctl: %s\n' % nv)
                    continue
                ent[0] = nv
    return 0


@core.tool('service')
def service_main(argv):
    args = argv[1:]

    def bad(kind, c):
        service_usage()
        sys.exit(1)
    opts, rest = core.getopt(args, 'j:ehlrRv', bad)
    jail = None
    for c, v in opts:
        if c == 'h':
            service_usage()
            return 0
        if c == 'v':
            continue
        if c == 'j':
            jail = v
            continue
        core.unsupported('service -%s' % c)
    if jail is not None:
        return _service_jail(jail, rest)
    if len(rest) < 2:
        service_usage()
        return 1
    name, cmd, extra = rest[0], rest[1], rest[2:]
    script = _service_script(name)
    if script is None:
        print('%s does not exist in /etc/rc.d or the local startup' % name)
        print('directories (/usr/local/etc/rc.d), or is not executable')
        return 1
    base = cmd
    for pre in ('one', 'force', 'fast', 'quiet'):
        if base.startswith(pre) and base[len(pre):] in RC_COMMANDS:
            base = base[len(pre):]
            break
    if base not in RC_COMMANDS:
        sys.stderr.write('Usage: %s [fast|force|one|quiet](start|stop|'
                         'restart|rcvar|enable|disable|delete|enabled|'
                         'describe|extracommands|status|poll)\n' % script)
        return 1
    rcvar = _service_rcvar(name)
    if base in ('enable', 'disable', 'delete', 'enabled'):
        if rcvar is None:
            core.unsupported('service %s %s (no rcvar)' % (name, cmd))
        files = core.rc_conf_files()
        defaults = '/etc/defaults/rc.conf'
        if base == 'enabled':
            return 0 if _yes(_rc_get(files, defaults, rcvar)) else 1
        if base == 'delete':
            _rc_delete(files, rcvar)
            print('%s deleted in %s' % (name, files[0]))
            return 0
        where = _rc_find(files, defaults, rcvar)
        if where is None or where == defaults:
            where = files[0]
        _rc_set([where], defaults, rcvar,
                'YES' if base == 'enable' else 'NO')
        print('%s %sd in %s' % (name, base, where))
        return 0
    if name == 'sysctl':
        if base in ('start', 'restart', 'reload'):
            return sysctl_conf_apply()
        core.unsupported('service sysctl %s' % cmd)
    return call_hook(name, cmd, extra)


# service -j JAIL: the jail's service(8) (FreeBSD runs it with jexec -l).
# Its rc.d scripts and rc.conf are files under the jail's root; a started
# service is a process of the jail, kept in its record of state.json
# ('services': {NAME: {'pid': N}}), gone when the jail is removed.

def _jail_script(name):
    for d in ('/etc/rc.d', '/usr/local/etc/rc.d'):
        try:
            p = _rc_real(d + '/' + name)
        except OSError:
            continue
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return d + '/' + name
    if name in BASE_RCD:
        return '/etc/rc.d/' + name
    return None


def _jail_rc_files():
    env = {}
    t = _rc_read('/etc/defaults/rc.conf')
    if t is not None:
        core.rc_parse(t, env)
    return env.get('rc_conf_files', '/etc/rc.conf /etc/rc.conf.local').split()


def _service_jail(key, rest):
    global _RC_ROOT
    jname, root = _rc_jail_root(key)
    _RC_ROOT = root
    try:
        return _service_in_jail(jname, rest)
    finally:
        _RC_ROOT = None


def _service_in_jail(jname, rest):
    if len(rest) < 2:
        service_usage()
        return 1
    name, cmd = rest[0], rest[1]
    script = _jail_script(name)
    if script is None:
        print('%s does not exist in /etc/rc.d or the local startup' % name)
        print('directories (/usr/local/etc/rc.d), or is not executable')
        return 1
    base, pre = core.rc_base(cmd)
    if base not in RC_COMMANDS:
        sys.stderr.write('Usage: %s [fast|force|one|quiet](start|stop|'
                         'restart|rcvar|enable|disable|delete|enabled|'
                         'describe|extracommands|status|poll)\n' % script)
        return 1
    rcvar = _service_rcvar(name)
    files = _jail_rc_files()
    defaults = '/etc/defaults/rc.conf'
    if base in ('enable', 'disable', 'delete', 'enabled'):
        if rcvar is None:
            core.unsupported('service -j %s %s (no rcvar)' % (name, cmd))
        if base == 'enabled':
            return 0 if _yes(_rc_get(files, defaults, rcvar)) else 1
        if base == 'delete':
            _rc_delete(files, rcvar)
            print('%s deleted in %s' % (name, files[0]))
            return 0
        where = _rc_find(files, defaults, rcvar)
        if where is None or where == defaults:
            where = files[0]
        _rc_set([where], defaults, rcvar,
                'YES' if base == 'enable' else 'NO')
        print('%s %sd in %s' % (name, base, where))
        return 0
    if base not in ('start', 'stop', 'restart', 'status'):
        core.unsupported('service -j %s %s' % (name, cmd))
    enabled = rcvar is None or _yes(_rc_get(files, defaults, rcvar)) or \
        pre in ('one', 'force')
    return _jail_daemon(jname, name, base, pre, rcvar, enabled)


def _jail_daemon(jname, name, base, pre, rcvar, enabled):
    """rc.subr's start, stop, restart and status of the jail's service
    NAME, a process of the jail."""
    with core.state() as st:
        rec = st.get('jails', {}).get(jname)
        if rec is None:
            core.die('jexec: jail "%s" not found' % jname)
        svcs = rec.setdefault('services', {})
        cur = svcs.get(name)
        if base == 'status':
            if cur is None:
                print('%s is not running.' % name)
                return 1
            print('%s is running as pid %d.' % (name, cur['pid']))
            return 0
        if not enabled and (base != 'stop' or cur is None):
            if pre != 'quiet':
                print("Cannot '%s' %s. Set %s to YES in /etc/rc.conf or "
                      "use 'one%s' instead of '%s'." % (base, name, rcvar,
                                                        base, base))
            return 0
        if base in ('stop', 'restart') and cur is not None:
            print('Stopping %s.' % name)
            print('Waiting for PIDS: %d.' % cur['pid'])
            del svcs[name]
            cur = None
        elif base == 'stop':
            sys.stderr.write('%s not running? (check /var/run/%s.pid).\n'
                             % (name, name))
            return 1
        if base == 'stop':
            return 0
        if cur is not None:
            sys.stderr.write('%s already running? (pid=%d).\n'
                             % (name, cur['pid']))
            return 1
        svcs[name] = {'pid': core.next_counter(st, 'pid', 1200)}
        print('Starting %s.' % name)
        return 0


# ---------------------------------------------------------------------------
# sysctl

def _sysctl_value(old, new):
    if isinstance(old, int):
        try:
            return int(new, 0)
        except ValueError:
            return ValueError("invalid integer '%s'" % new)
    return new


def _sysctl_fmt(v):
    return str(v).rstrip('\n') if not isinstance(v, str) else v.rstrip('\n')


@core.tool('sysctl')
def sysctl_main(argv):
    bad, opts, names = core.tool_getopts(
        argv, 'sysctl', 'abB:dehf:iNnoqRTtWx',
        'usage: sysctl [-bdehiNnoRTtqx] [ -B <bufsize> ] '
        '[-f filename] name[=value] ...\n'
        '       sysctl [-bdehNnoRTtqx] [ -B <bufsize> ] '
        '-a')
    opts.refuse_others('nNeqiah', 'sysctl')
    showname = 'n' not in opts
    showvalue = 'N' not in opts
    equals = 'e' in opts
    quiet = 'q' in opts
    ignore = 'i' in opts
    doall = 'a' in opts
    if not names and not doall:
        bad('usage', '')
    sep = '=' if equals else ': '
    status = 0
    sets = [n for n in names if '=' in n]
    ctx = core.state(readonly=not sets)
    with ctx as st:
        table = st['sysctl']
        if 'kern.hostname' in table:
            table['kern.hostname'][0] = st['hostname']

        def show(k, v):
            if showname and showvalue:
                return '%s%s%s' % (k, sep, _sysctl_fmt(v))
            if showname:
                return k
            return _sysctl_fmt(v)
        out = []
        if doall:
            names = sorted(table) + names
        for a in names:
            if '=' in a:
                k, _, v = a.partition('=')
                ent = table.get(k)
                if ent is None:
                    if not (quiet or ignore):
                        sys.stderr.write("sysctl: unknown oid '%s'\n" % k)
                    if not ignore:
                        status = 1
                    continue
                if not ent[1]:
                    sys.stderr.write("sysctl: oid '%s' is read only\n" % k)
                    status = 1
                    continue
                nv = _sysctl_value(ent[0], v)
                if isinstance(nv, ValueError):
                    sys.stderr.write('sysctl: %s\n' % nv)
                    status = 1
                    continue
                old = ent[0]
                ent[0] = nv
                if k == 'kern.hostname':
                    st['hostname'] = nv
                if showname:
                    out.append('%s: %s -> %s' % (k, _sysctl_fmt(old),
                                                 _sysctl_fmt(nv)))
                else:
                    out.append('%s -> %s' % (_sysctl_fmt(old),
                                             _sysctl_fmt(nv)))
                continue
            if a in table:
                out.append(show(a, table[a][0]))
                continue
            sub = sorted(k for k in table if k.startswith(a + '.'))
            if sub:
                out.extend(show(k, table[k][0]) for k in sub)
                continue
            if not (quiet or ignore):
                sys.stderr.write("sysctl: unknown oid '%s'\n" % a)
            if not ignore:
                status = 1
    sys.stdout.write(''.join(x + '\n' for x in out))
    return status


# ---------------------------------------------------------------------------
# kldstat

@core.tool('kldstat')
def kldstat_main(argv):
    bad, opts, args = core.tool_getopts(
        argv, 'kldstat', 'dhi:m:n:qv',
        'usage: kldstat [-dhqv] [-i id] [-n filename]\n'
        '       kldstat [-dq] [-m modname]')
    opts.refuse_others('qmnh', 'kldstat')
    quiet = 'q' in opts
    mod = opts.value('m')
    fname = opts.value('n')
    if args:
        bad('usage', '')
    st = core.load_state()
    files = st.get('kld', ['kernel'])
    if mod is not None:
        ids = [i for i, f in enumerate(files, 1)
               if f == mod or f == mod + '.ko']
        if not ids:
            if not quiet:
                sys.stderr.write('kldstat: can\'t find module %s: No such '
                                 'file or directory\n' % mod)
            return 1
        if not quiet:
            print('Id  Refs Name')
            print('%3d %4d %s' % (500 + ids[0], 1, mod))
        return 0
    sel = list(enumerate(files, 1))
    if fname is not None:
        sel = [(i, f) for i, f in sel if f == fname or f == fname + '.ko']
        if not sel:
            if not quiet:
                sys.stderr.write('kldstat: can\'t find file %s: No such file '
                                 'or directory\n' % fname)
            return 1
        if quiet:
            return 0
    print('Id Refs Address                Size Name')
    for i, f in sel:
        addr = 0xffffffff80200000 + (i - 1) * 0x2000000
        print('%2d %4d 0x%016x %8x %s' % (i, len(files) + 1 if i == 1 else 1,
                                          addr, 0x1f3e2d8 if i == 1
                                          else 0x5e3a78, f))
    return 0


# ---------------------------------------------------------------------------
# fetch

def _fetch_usage():
    sys.stderr.write(
        'usage: fetch [-146AadFlMmnPpqRrsUv] [-B bytes] '
        '[--bind-address=host]\n'
        '       [--ca-cert=file] [--ca-path=dir] [--cert=file] '
        '[--crl=file]\n'
        '       [-i file] [--key=file] [-N file] [--no-passive] '
        '[--no-proxy=list]\n'
        '       [--no-sslv3] [--no-tlsv1] [--no-verify-hostname] '
        '[--no-verify-peer]\n'
        '       [-o file] [--referer=URL] [-S bytes] [-T seconds]\n'
        '       [--user-agent=agent-string] [-w seconds] URL ...\n'
        '       fetch [-146AadFlMmnPpqRrsUv] [-B bytes] '
        '[--bind-address=host]\n'
        '       [--ca-cert=file] [--ca-path=dir] [--cert=file] '
        '[--crl=file]\n'
        '       [-i file] [--key=file] [-N file] [--no-passive] '
        '[--no-proxy=list]\n'
        '       [--no-sslv3] [--no-tlsv1] [--no-verify-hostname] '
        '[--no-verify-peer]\n'
        '       [-o file] [--referer=URL] [-S bytes] [-T seconds]\n'
        '       [--user-agent=agent-string] [-w seconds] -h host -f file '
        '[-c dir]\n')
    sys.exit(1)


def _dir_index(real, urlpath):
    """HTML index of a directory, like a web mirror's autoindex."""
    title = urlpath if urlpath.endswith('/') else urlpath + '/'
    lines = ['<html>', '<head><title>Index of %s</title></head>' % title,
             '<body>', '<h1>Index of %s</h1><hr><pre>' % title,
             '<a href="../">../</a>']
    for e in sorted(os.listdir(real)):
        if e.startswith('.'):
            continue
        if os.path.isdir(os.path.join(real, e)):
            lines.append('<a href="%s/">%s/</a>' % (e, e))
        else:
            lines.append('<a href="%s">%s</a>' % (e, e))
    lines += ['</pre><hr></body>', '</html>', '']
    return '\n'.join(lines).encode()


class FetchError(Exception):
    pass


def _file_url_path(path):
    """Real path of a file:// URL path: under JAILER_ROOT when it names
    the simulated host (or a file there exists), else the real path (read
    only: this is how a mirror cached outside the root is reached)."""
    from urllib.parse import unquote
    path = unquote(path)
    if core._strip_root(path) is not None:
        return core.host_path(path)
    sim = core.host_path(path)
    if os.path.exists(sim):
        return sim
    return path


def _fetch_data(url, timeout):
    """(bytes, name for messages) of URL; raises FetchError(msg)."""
    from urllib.parse import urlsplit
    u = urlsplit(url)
    if u.scheme == 'file':
        real = _file_url_path(u.path)
        if os.path.isdir(real):
            return _dir_index(real, u.path)
        try:
            with open(real, 'rb') as f:
                return f.read()
        except OSError:
            raise FetchError('File unavailable (e.g., file not found, no '
                             'access)')
    if u.scheme == 'http':
        host = u.hostname or ''
        if host not in ('127.0.0.1', 'localhost', '::1'):
            core.unsupported('fetch %s: only file:// and http:// to '
                             '127.0.0.1, localhost or ::1 are simulated'
                             % url)
        import http.client
        import socket
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port or 80,
                                              timeout=timeout or 30)
            path = u.path or '/'
            if u.query:
                path += '?' + u.query
            for _ in range(10):
                conn.request('GET', path, headers={
                    'User-Agent': 'fetch libfetch/2.0',
                    'Connection': 'close'})
                r = conn.getresponse()
                if r.status in (301, 302, 303, 307, 308):
                    loc = r.getheader('Location') or ''
                    r.read()
                    nu = urlsplit(loc)
                    if nu.scheme and (nu.scheme != 'http' or nu.hostname
                                      not in ('127.0.0.1', 'localhost',
                                              '::1')):
                        core.unsupported('fetch: redirect to %s' % loc)
                    conn.close()
                    conn = http.client.HTTPConnection(
                        nu.hostname or u.hostname,
                        nu.port or u.port or 80, timeout=timeout or 30)
                    path = nu.path or '/'
                    continue
                data = r.read()
                conn.close()
                if r.status != 200:
                    # libfetch prints its own text for the status code
                    raise FetchError(http.client.responses.get(
                        r.status, 'Unknown HTTP error'))
                return data
            raise FetchError('Too many redirects')
        except socket.timeout:
            raise FetchError('Operation timed out')
        except ConnectionRefusedError:
            raise FetchError('Connection refused')
        except OSError as e:
            raise FetchError(e.strerror or str(e))
    if u.scheme in ('https', 'ftp'):
        core.unsupported('fetch %s: only file:// and http:// to 127.0.0.1, '
                         'localhost or ::1 are simulated' % url)
    if not u.scheme:
        raise FetchError('No address record' if '/' in url else
                         'Invalid URL')
    raise FetchError('Invalid URL')


@core.tool('fetch', faults='self')
def fetch_main(argv):
    args = argv[1:]
    # long options
    rest = []
    timeout = None
    for a in args:
        if a.startswith('--'):
            if a == '--':
                rest.append(a)
                continue
            if a.startswith('--timeout='):
                timeout = int(a.split('=', 1)[1] or 0)
                continue
            if a in ('--no-verify-peer', '--no-verify-hostname'):
                continue
            core.unsupported('fetch %s' % a.split('=')[0])
        rest.append(a)
    opts, urls = core.getopt(rest, '146AadFlMmnPpqRrsUvB:i:N:o:S:T:w:h:f:c:',
                             lambda k, c: (_fetch_usage() if k == 'invalid'
                                           else _fetch_usage()))
    quiet = False
    verbose = False
    out = None
    for c, v in opts:
        if c == 'q':
            quiet = True
        elif c == 'v':
            verbose = True
        elif c == 'o':
            out = v
        elif c == 'T':
            timeout = int(v)
        elif c in 'aAmp':
            pass        # retries / redirects / mirror / passive: no effect
        else:
            core.unsupported('fetch -%s' % c)
    if not urls:
        _fetch_usage()
    status = 0
    for url in urls:
        if verbose:
            sys.stderr.write('looking up %s\n' % url)
        try:
            data = _fetch_data(url, timeout)
        except FetchError as e:
            sys.stderr.write('fetch: %s: %s\n' % (url, e))
            status = 1
            continue
        if out == '-':
            dest = None
        else:
            base = url.rstrip('/').rsplit('/', 1)[-1] or 'fetch.out'
            if out is None:
                dest = core.host_path(base)
            else:
                dest = core.host_path(out)
                if os.path.isdir(dest):
                    dest = os.path.join(dest, base)
        if core.FAULT:
            if dest is not None:
                _write_file(dest, data[:len(data) // 2])
            core.simulated_failure()
        if dest is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            try:
                _write_file(dest, data)
            except OSError as e:
                sys.stderr.write('fetch: %s: open(): %s\n'
                                 % (core.sim_path(dest), e.strerror))
                status = 1
                continue
        if not quiet and core.isatty(2):
            name = '-' if dest is None else core.sim_path(dest)
            sys.stderr.write('%-40s %9s %10s %6s\n'
                             % (name, _kb(len(data)), _kb(len(data)) + 'ps',
                                '00s'))
    return status


def _kb(n):
    if n < 1024 * 10:
        return '%d B' % n
    if n < 1024 * 1024 * 10:
        return '%d kB' % (n // 1024)
    return '%d MB' % (n // (1024 * 1024))


def _write_file(dest, data):
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# sha256

@core.tool('sha256')
def sha256_main(argv):
    import hashlib

    bad, opts, files = core.tool_getopts(
        argv, 'sha256', 'c:pqrs:tx',
        'usage: sha256 [-pqrtx] [-c string] [-s string] '
        '[files ...]')
    opts.refuse_others('qrcs', 'sha256')
    quiet = 'q' in opts
    reverse = 'r' in opts
    check = opts.value('c')
    strings = opts.values('s')
    failed = checkfailed = False
    lines = []

    def emit(name, digest):
        nonlocal checkfailed
        if quiet:
            s = digest
        elif reverse:
            s = '%s %s' % (digest, name)
        else:
            s = 'SHA256 (%s) = %s' % (name, digest)
        if check is not None:
            bad_sum = check.lower() != digest
            if bad_sum:
                checkfailed = True
                if not quiet:
                    s += ' [ Failed ]'
        lines.append(s)
    for s in strings:
        emit('"%s"' % s, hashlib.sha256(s.encode()).hexdigest())
    for f in files:
        try:
            with open(core.read_path(f), 'rb') as fh:
                h = hashlib.sha256()
                while True:
                    b = fh.read(1 << 20)
                    if not b:
                        break
                    h.update(b)
        except OSError as e:
            sys.stdout.write(''.join(x + '\n' for x in lines))
            lines = []
            sys.stderr.write('sha256: %s: %s\n' % (f, e.strerror))
            failed = True
            continue
        emit(f, h.hexdigest())
    if not files and not strings:
        d = hashlib.sha256(sys.stdin.buffer.read()).hexdigest()
        if check is not None and check.lower() != d:
            checkfailed = True
        lines.append(d)
    sys.stdout.write(''.join(x + '\n' for x in lines))
    return 1 if failed else (2 if checkfailed else 0)


# ---------------------------------------------------------------------------
# tar (bsdtar)

# short options of bsdtar that take an argument
TAR_ARG_SHORT = set('bCfIsTX')
# of those, the ones whose argument is a path on the host
TAR_PATH_SHORT = set('CfTX')
TAR_LONG_ARG = {'--directory': True, '--file': True, '--files-from': True,
                '--exclude-from': True, '--exclude': False,
                '--include': False, '--format': False, '--options': False,
                '--strip-components': False, '--uname': False,
                '--gname': False, '--uid': False, '--gid': False,
                '--newer': False, '--newer-mtime': False,
                '--newer-than': True, '--newer-mtime-than': True,
                '--use-compress-program': False, '--block-size': False}
TAR_LONG_MODES = {'--extract': 'x', '--create': 'c', '--list': 't',
                  '--append': 'r', '--update': 'u', '--get': 'x'}
TAR_REFUSED = {'P': 'tar -P (absolute paths could leave JAILER_ROOT)',
               '--absolute-paths': 'tar --absolute-paths',
               '--insecure': 'tar --insecure',
               '--chroot': 'tar --chroot',
               '--use-compress-program': 'tar --use-compress-program'}


def _bsdtar():
    import shutil
    mine = os.path.dirname(os.path.realpath(sys.argv[0]))
    path = os.pathsep.join(
        d for d in os.environ.get('PATH', '').split(os.pathsep)
        if d and os.path.realpath(d) != mine)
    for name in ('bsdtar',):
        p = shutil.which(name, path=path + os.pathsep + '/usr/bin:/bin')
        if p:
            return p
    core.fail('bsdtar not found (Debian: apt-get install libarchive-tools)')


def _tar_normalise(args):
    """Old-style bundled first argument ('xzf FILE') -> new style."""
    if args and not args[0].startswith('-') and args[0]:
        bundle = args[0]
        rest = args[1:]
        out = []
        for c in bundle:
            out.append('-' + c)
            if c in TAR_ARG_SHORT:
                if not rest:
                    core.die('tar: Option -%s requires an argument' % c, 1)
                out.append(rest.pop(0))
        return out + rest
    return list(args)


@core.tool('tar', faults='self')
def tar_main(argv):
    if argv[1:] in (['--version'], ['--help']):
        return _run_bsdtar(argv[1:])
    args = _tar_normalise(argv[1:])
    out = []
    mode = None
    archive = None
    cdir = None
    i = 0
    positional = []
    while i < len(args):
        a = args[i]
        if a == '--':
            positional.extend(args[i + 1:])
            break
        if a.startswith('--'):
            name, eq, val = a.partition('=')
            if name in TAR_REFUSED:
                core.unsupported(TAR_REFUSED[name])
            if name in TAR_LONG_MODES:
                mode = TAR_LONG_MODES[name]
                out.append(a)
            elif name in TAR_LONG_ARG:
                if not eq:
                    i += 1
                    if i >= len(args):
                        core.die('tar: Option %s requires an argument'
                                 % name, 1)
                    val = args[i]
                if TAR_LONG_ARG[name] and val != '-':
                    if name in ('--file',):
                        archive = val
                    mapped = core.host_path(val)
                    if name == '--directory':
                        cdir = mapped
                    val = mapped
                out.append('%s=%s' % (name, val))
            else:
                out.append(a)
            i += 1
            continue
        if a.startswith('-') and len(a) > 1:
            j = 1
            while j < len(a):
                c = a[j]
                if c in TAR_REFUSED:
                    core.unsupported(TAR_REFUSED[c])
                if c in 'xctru':
                    mode = c
                if c in TAR_ARG_SHORT:
                    val = a[j + 1:]
                    if not val:
                        i += 1
                        if i >= len(args):
                            core.die('tar: Option -%s requires an argument'
                                     % c, 1)
                        val = args[i]
                    if c in TAR_PATH_SHORT and val != '-':
                        if c == 'f':
                            archive = val
                        val = core.host_path(val)
                        if c == 'C':
                            cdir = val
                    out.extend(['-' + c, val])
                    break
                out.append('-' + c)
                j += 1
            i += 1
            continue
        if a.startswith('@') and mode in ('c', 'r', 'u'):
            out.append('@' + core.read_path(a[1:]))
            i += 1
            continue
        positional.append(a)
        out.append(a)
        i += 1
    if mode is None:
        core.die('tar: Must specify one of -c, -r, -t, -u, -x', 1)
    if mode in ('c', 'r', 'u'):
        for p in positional:
            if p.startswith('/'):
                core.unsupported('tar -%s with absolute member paths' % mode)
    if mode == 'x' and cdir is None:
        if core._strip_root(os.getcwd()) is None:
            core.fail('refusing to extract outside JAILER_ROOT '
                      '(use -C DIR)')
    if mode in ('c', 'r', 'u') and archive is None:
        core.unsupported('tar -%s without -f' % mode)
    if mode == 'x' and core.FAULT:
        return _tar_partial(out, archive)
    if core.FAULT:
        core.simulated_failure()
    return _run_bsdtar(out)


def _run_bsdtar(args, stdin=None):
    import subprocess
    p = subprocess.Popen(['tar'] + args, executable=_bsdtar(),
                         stderr=subprocess.PIPE, stdin=stdin)
    _, err = p.communicate()
    if err:
        msg = err.decode('utf-8', 'surrogateescape')
        msg = msg.replace(core.ROOT + '/', '/')
        sys.stderr.write(msg)
    return p.returncode


def _tar_partial(args, archive):
    """FAKEBSD_FAIL on tar -x: extract the first two entries, then fail."""
    import io
    import tarfile
    import subprocess
    if archive is None or archive == '-':
        data = sys.stdin.buffer.read()
    else:
        with open(core.read_path(archive), 'rb') as f:
            data = f.read()
    src = tarfile.open(fileobj=io.BytesIO(data), mode='r:*')
    buf = io.BytesIO()
    dst = tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT)
    n = 0
    for m in src:
        f = src.extractfile(m) if m.isfile() else None
        dst.addfile(m, f)
        n += 1
        if n == 2:
            break
    dst.close()
    new = []
    skip = False
    for a in args:
        if skip:
            new.append('-')
            skip = False
            continue
        if a == '-f':
            new.append(a)
            skip = True
            continue
        if a.startswith('--file='):
            new.append('--file=-')
            continue
        new.append(a)
    p = subprocess.Popen(['tar'] + new, executable=_bsdtar(),
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = p.communicate(buf.getvalue())
    if err:
        sys.stderr.write(err.decode('utf-8', 'surrogateescape')
                         .replace(core.ROOT + '/', '/'))
    sys.stderr.write('tar: simulated failure (FAKEBSD_FAIL): Truncated '
                     'input file (needed 512 bytes, only 0 available)\n'
                     'tar: Error exit delayed from previous errors.\n')
    return 1
