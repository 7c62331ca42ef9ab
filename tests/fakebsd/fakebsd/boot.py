"""fakebsd.boot: reboot(8) of the simulated host.

    reboot [-q]

Without -q the host shuts down first, as init(8) does on SIGINT from
reboot(8): rc.shutdown runs the rc.d scripts with "KEYWORD: shutdown" in
the reverse of their boot order, each with "faststop" (of the modelled
ones: jail, then dhcpd).  -q skips that, like a crash or a power cut:
nothing is stopped, the kernel just forgets.

Then the kernel state is lost (forget() below): every jail, every cloned
interface (epair, bridge, ...), every address of the physical interfaces,
every route, pf's rules, anchors and tables, the loaded devfs rulesets,
every mount but the ZFS datasets (which are unmounted), the writable
sysctls (back to their boot values), the running daemons (dhcpd,
pflogd), the loaded kernel modules but those loaded at boot, the JID
counter.  The files stay.  The kernel installed by freebsd-update is the
one that runs.

Then rc(8) runs: boot_order() sorts the rc.d scripts of BASE_SCRIPTS and
LOCAL_SCRIPTS that exist on the host the way rcorder(8) does, and run()
starts each modelled one with "start", so that each honours its rcvar
(pf_enable, dhcpd_enable, jail_enable, ...) exactly as a boot does.  What
jailer wrote where no rc.d script reads it is therefore not read.

The PROVIDE/REQUIRE/BEFORE/KEYWORD lines are those of FreeBSD 14.3's
libexec/rc/rc.d scripts and of the dhcpd ports' rc.d scripts (which
declare "REQUIRE: DAEMON", "BEFORE: LOGIN", "KEYWORD: shutdown"); the
requirements on scripts that are not modelled here (fsck, iovctl, ppp,
...) are kept, they just have no provider, as rcorder(8) allows.
See ../README.md, "reboot".
"""

import os
import sys

from . import core
from . import net

# name: (PROVIDE, REQUIRE, BEFORE, KEYWORD) of /etc/rc.d/NAME
BASE_SCRIPTS = {
    'sysctl': (['sysctl'], [], [], []),
    'root': (['root'], ['fsck'], [], ['nojail']),
    'mountcritlocal': (['mountcritlocal'], ['root', 'hostid_save',
                                            'mdconfig'], [],
                       ['nojail', 'shutdown']),
    'zfsbe': (['zfsbe'], ['mountcritlocal'], [], []),
    'zfs': (['zfs'], ['zfsbe'], ['FILESYSTEMS', 'var'], ['nojail']),
    'var': (['var'], ['mountcritlocal'], [], []),
    'cleanvar': (['cleanvar'], ['var'], [], []),
    'tmp': (['tmp'], ['mountcritlocal'], [], []),
    'FILESYSTEMS': (['FILESYSTEMS'], ['root', 'mountcritlocal', 'cleanvar',
                                      'tmp'], [], []),
    'hostname': (['hostname'], ['FILESYSTEMS'], ['netif'], []),
    'netif': (['netif'], ['FILESYSTEMS', 'iovctl', 'serial', 'sppp',
                          'sysctl', 'hostid'], [], ['nojailvnet']),
    'netwait': (['netwait'], ['devd', 'ipfw', 'pf', 'routing'], [], []),
    'pflog': (['pflog'], ['FILESYSTEMS', 'netif'], [], ['nojailvnet']),
    'pfsync': (['pfsync'], ['FILESYSTEMS', 'netif'], [], ['nojailvnet']),
    'routing': (['routing'], ['faith', 'netif', 'ppp', 'stf'], [],
                ['nojailvnet']),
    'pf': (['pf'], ['FILESYSTEMS', 'netif', 'pflog', 'pfsync', 'routing'],
           [], ['nojailvnet']),
    'NETWORKING': (['NETWORKING', 'NETWORK'],
                   ['netif', 'netwait', 'netoptions', 'routing', 'ppp',
                    'ipfw', 'stf', 'defaultroute', 'route6d', 'resolv',
                    'bridge', 'static_arp', 'static_ndp'], [], []),
    'mountcritremote': (['mountcritremote'], ['NETWORKING', 'FILESYSTEMS',
                                              'ipsec', 'netwait'], [],
                        ['nojail']),
    'devfs': (['devfs'], ['mountcritremote'], ['SERVERS', 'securelevel'],
              ['nojail']),
    'SERVERS': (['SERVERS'], ['mountcritremote', 'abi', 'ldconfig',
                              'savecore', 'watchdogd'], [], []),
    'DAEMON': (['DAEMON'], ['NETWORKING', 'SERVERS'], [], []),
    'LOGIN': (['LOGIN'], ['DAEMON'], [], []),
    'jail': (['jail'], ['LOGIN', 'FILESYSTEMS'], ['securelevel'],
             ['nojail', 'shutdown']),
    'securelevel': (['securelevel'], ['sysctl'], [], []),
}

# name: (PROVIDE, REQUIRE, BEFORE, KEYWORD) of /usr/local/etc/rc.d/NAME,
# for the scripts the packages jailer installs put there
LOCAL_SCRIPTS = {
    'dhcpd': (['dhcpd'], ['DAEMON'], ['LOGIN'], ['shutdown']),
    'isc-dhcpd': (['dhcpd'], ['DAEMON'], ['LOGIN'], ['shutdown']),
}


def host_scripts():
    """[(path, name, header)] of the modelled rc.d scripts on the host, in
    the order rc(8) hands them to rcorder(8): /etc/rc.d/* then the
    local_startup directories, each sorted by name (the shell's glob)."""
    out = [('/etc/rc.d/' + n, n, BASE_SCRIPTS[n])
           for n in sorted(BASE_SCRIPTS)]
    d = core.host_path('/usr/local/etc/rc.d')
    names = sorted(os.listdir(d)) if os.path.isdir(d) else []
    for n in names:
        p = os.path.join(d, n)
        if n in LOCAL_SCRIPTS and os.path.isfile(p) and os.access(p, os.X_OK):
            out.append(('/usr/local/etc/rc.d/' + n, n, LOCAL_SCRIPTS[n]))
    return out


def rcorder(scripts, keyword=None):
    """The scripts (host_scripts() entries) in rcorder(8)'s order: each
    file after every file that provides what it REQUIREs and every file
    that declares it BEFORE; ties in the order given.  With KEYWORD, only
    the scripts that carry it (rcorder -k), still ordered by all."""
    providers = {}
    for s in scripts:
        for p in s[2][0]:
            providers.setdefault(p, []).append(s)
    before = {}
    for s in scripts:
        for b in s[2][2]:
            for t in providers.get(b, []):
                before.setdefault(t[0], []).append(s)
    order, state = [], {}

    def visit(s):
        if state.get(s[0]) == 'done':
            return
        if state.get(s[0]) == 'active':
            sys.stderr.write('rcorder: Circular dependency on file %s.\n'
                             % s[0])
            return
        state[s[0]] = 'active'
        deps = []
        for r in s[2][1]:
            deps += providers.get(r, [])
        for d in deps + before.get(s[0], []):
            visit(d)
        state[s[0]] = 'done'
        order.append(s)
    for s in scripts:
        visit(s)
    if keyword is not None:
        order = [s for s in order if keyword in s[2][3]]
    return order


def boot_order():
    """The names of the rc.d scripts in the order rc(8) runs them."""
    return [s[1] for s in rcorder(host_scripts())]


# ---------------------------------------------------------------------------
# what the kernel forgets

PHYSICAL = ('ethernet', 'loopback')


def forget(st):
    """Drop the kernel state of ST (see the module's docstring)."""
    ifs = st.get('interfaces', {})
    for j in st.get('jails', {}).values():
        for n, r in (j.get('interfaces') or {}).items():
            if r.get('type') == 'ethernet':      # vnet.interface: back home
                ifs[n] = r
    st['jails'] = {}
    for n in list(ifs):
        r = ifs[n]
        if r.get('type') not in PHYSICAL or (r['type'] == 'loopback' and
                                             n != 'lo0'):
            del ifs[n]
            continue
        r['vnet'] = None
        if r.get('type') == 'ethernet':
            r['inet'], r['inet6'] = [], []
            r['description'] = None
            r['groups'] = [g for g in r.get('groups', []) if g != 'epair']
    st['routes'] = []
    st['pf'] = {'enabled': False, 'rules': None, 'anchors': {},
                'tables': {}}
    st.pop('pflog', None)
    st.pop('devfs', None)               # rc.d/devfs loads them again
    if st.get('dhcpd') is not None:
        st['dhcpd'] = {'running': False, 'leases': read_leases()}
    st['mounts'] = []
    from . import zfs
    names = [n for n, ds in st.get('datasets', {}).items()
             if ds.get('mounted')]
    zfs.forget_jail(st, None)           # zfs jail: the jails are gone
    names.sort(key=lambda n: -zfs.mp_real(st, n).count('/'))
    for n in names:                     # rc.d/zfs mounts them again
        zfs.do_unmount(st, n)
    boot = st.get('sysctl_boot', {})
    for mib, ent in st.get('sysctl', {}).items():
        if ent[1] and mib in boot:
            ent[0] = boot[mib]
    st['rctl'] = []                     # rctl(8) rules (rctl.py)
    if 'kern.racct.enable' in st.get('sysctl', {}):
        st['sysctl']['kern.racct.enable'][0] = loader_racct()
    st['kld'] = ['kernel'] + (['zfs.ko'] if st.get('pools') else [])
    st.setdefault('counters', {})['jid'] = 1
    fv = st.get('freebsd_version', {})
    if fv.get('kernel'):
        st['uname']['release'] = fv['kernel']
        st['uname']['osreldate'] = fv.get('osreldate',
                                          st['uname'].get('osreldate'))


def loader_racct():
    """kern.racct.enable after a boot: the tunable of /boot/loader.conf
    (loader.conf(5): kern.racct.enable="1" or =1), else 0."""
    try:
        with open(core.host_path('/boot/loader.conf')) as f:
            text = f.read()
    except OSError:
        return 0
    val = 0
    for ln in text.splitlines():
        ln = ln.split('#', 1)[0].strip()
        k, sep, v = ln.partition('=')
        if sep and k.strip() == 'kern.racct.enable':
            val = 1 if v.strip().strip('"') == '1' else 0
    return val


def read_leases():
    """The bindings of /var/db/dhcpd.leases (dhcpd.leases(5)), which dhcpd
    reads when it starts: {MAC: {addr, hostname, starts, ends}}."""
    import calendar
    import time
    from . import pkgpf
    try:
        with open(core.host_path(pkgpf.DHCPD_LEASES)) as f:
            text = f.read()
    except OSError:
        return {}
    leases, cur = {}, None
    for ln in text.splitlines():
        w = ln.strip().rstrip(';').split()
        if not w:
            continue
        if w[0] == 'lease' and len(w) >= 2:
            cur = {'addr': w[1], 'hostname': '', 'starts': 0, 'ends': 0,
                   'interface': '', 'jail': ''}
        elif cur is None:
            continue
        elif w[0] in ('starts', 'ends') and len(w) == 4:
            try:
                t = time.strptime(w[2] + ' ' + w[3], '%Y/%m/%d %H:%M:%S')
                cur[w[0]] = calendar.timegm(t)
            except ValueError:
                pass
        elif w[:2] == ['hardware', 'ethernet'] and len(w) == 3:
            cur['mac'] = w[2].lower()
        elif w[0] == 'client-hostname' and len(w) >= 2:
            cur['hostname'] = w[1].strip('"')
        elif w[0] == '}':
            mac = cur.pop('mac', None)
            if mac:
                leases[mac] = cur
            cur = None
    return leases


def purgedir(real):
    """rc.d/cleanvar's purgedir: every file under REAL goes, the
    directories stay."""
    for top, dirs, files in os.walk(real):
        for f in files:
            try:
                os.unlink(os.path.join(top, f))
            except OSError:
                pass


# ---------------------------------------------------------------------------
# the modelled rc.d scripts

def rc_zfs(cmd):
    rc = core.rc_vars()
    if cmd != 'start' or rc.get('zfs_enable', 'NO').lower() not in (
            'yes', 'true', 'on', '1'):
        return 0
    return net.run_tool(['zfs', 'mount', '-va'])


def rc_cleanvar(cmd):
    if cmd == 'start':
        purgedir(core.host_path('/var/run'))
    return 0


def rc_hostname(cmd):
    if cmd != 'start':
        return 0
    name = core.rc_vars().get('hostname', '')
    if not name:
        return 0
    sys.stdout.write('Setting hostname: %s.\n' % name)
    return net.run_tool(['hostname', name])


def rc_sysctl(cmd):
    from . import misc
    return misc.sysctl_conf_apply() if cmd == 'start' else 0


def run_script(name, cmd):
    """Run the modelled rc.d script NAME with CMD (the others do nothing
    here)."""
    from . import misc
    own = {'zfs': rc_zfs, 'cleanvar': rc_cleanvar, 'hostname': rc_hostname,
           'sysctl': rc_sysctl}
    sys.stdout.flush()
    rc = 0
    if name in own:
        rc = own[name](cmd)
    elif name in misc.SERVICE_HOOKS:
        rc = misc.call_hook(name, cmd, [])
    sys.stdout.flush()
    return rc


def shutdown():
    """rc.shutdown: the "shutdown" scripts, last started first stopped."""
    for s in reversed(rcorder(host_scripts(), keyword='shutdown')):
        run_script(s[1], 'faststop')


def boot():
    for name in boot_order():
        run_script(name, 'start')


@core.tool('reboot')
def reboot_main(argv):
    opts, args = core.getopt(argv[1:], 'q', lambda kind, c: core.die(
        'usage: reboot [-q]', 1))
    if args:
        core.die('usage: reboot [-q]', 1)
    quick = any(c == 'q' for c, v in opts)
    if not quick:
        shutdown()
    with core.state() as st:
        forget(st)
    boot()
    return 0
