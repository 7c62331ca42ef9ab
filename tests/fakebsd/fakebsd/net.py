"""fakebsd.net: ifconfig(8) and route(8) of the simulated FreeBSD host.

Every network stack ("vnet") has its own interface table and routing
table.  The host's are st['interfaces'] and st['routes'] (created by
mkhost); a VNET jail's are st['jails'][NAME]['interfaces'] and
st['jails'][NAME]['routes'] (created by jail.py).  A non-VNET jail uses
the host's stack and only sees its own addresses.

Interface record (one per name in a table):

    index, type ('ethernet'|'loopback'|'epair'|'bridge'), flags (list of
    names: UP BROADCAST LOOPBACK RUNNING NOARP PROMISC SIMPLEX MULTICAST),
    mtu, metric, options (capability names), ether (current MAC), hwaddr
    (the original MAC, shown when ether was changed), inet (list of
    {addr, prefixlen, broadcast}), inet6 (list of {addr, prefixlen,
    scopeid}), groups, media, status, description, vnet (the jail whose
    stack holds it, None on the host), nd6 (list of ND6 flag names),
    peer (epair: the other end), members (bridge: list of member names),
    bridge (a member: the bridge it is in), home (epair created inside a
    jail: that jail; None = the host).

Route record: {family, destination ('default' or 'A.B.C.D/P'), gateway,
interface, flags}.

Other modules call run_ifconfig(st, args, jail) and run_route(st, args,
jail) with the state already locked; they return (status, stdout, stderr)
and change ST in place.
"""

import ipaddress
import os
import sys
import zlib

from . import core


class NetError(Exception):
    """An error of a network tool: MSG without the 'TOOL: ' prefix."""

    def __init__(self, msg, code=1):
        Exception.__init__(self, msg)
        self.msg = msg
        self.code = code


class Unsupported(NetError):
    def __init__(self, what):
        NetError.__init__(self, 'unsupported by fakebsd: ' + what, 2)


# ---------------------------------------------------------------------------
# flag and capability bits, as ifconfig prints them

IFF_BITS = [
    ('UP', 0x1), ('BROADCAST', 0x2), ('DEBUG', 0x4), ('LOOPBACK', 0x8),
    ('POINTOPOINT', 0x10), ('RUNNING', 0x40), ('NOARP', 0x80),
    ('PROMISC', 0x100), ('ALLMULTI', 0x200), ('OACTIVE', 0x400),
    ('SIMPLEX', 0x800), ('LINK0', 0x1000), ('LINK1', 0x2000),
    ('LINK2', 0x4000), ('MULTICAST', 0x8000), ('PPROMISC', 0x20000),
    ('MONITOR', 0x40000), ('STATICARP', 0x80000), ('STICKYARP', 0x100000),
    ('LOWER_UP', 0x1000000),
]

IFCAP_BITS = [
    ('RXCSUM', 0x1), ('TXCSUM', 0x2), ('NETCONS', 0x4), ('VLAN_MTU', 0x8),
    ('VLAN_HWTAGGING', 0x10), ('JUMBO_MTU', 0x20), ('POLLING', 0x40),
    ('VLAN_HWCSUM', 0x80), ('TSO4', 0x100), ('TSO6', 0x200), ('LRO', 0x400),
    ('WOL_UCAST', 0x800), ('WOL_MCAST', 0x1000), ('WOL_MAGIC', 0x2000),
    ('TOE4', 0x4000), ('TOE6', 0x8000), ('VLAN_HWFILTER', 0x10000),
    ('VLAN_HWTSO', 0x40000), ('LINKSTATE', 0x80000), ('NETMAP', 0x100000),
    ('RXCSUM_IPV6', 0x200000), ('TXCSUM_IPV6', 0x400000),
]

ND6_BITS = [
    ('PERFORMNUD', 0x1), ('ACCEPT_RTADV', 0x2), ('PREFER_SOURCE', 0x4),
    ('IFDISABLED', 0x8), ('DONT_SET_IFROUTE', 0x10), ('AUTO_LINKLOCAL', 0x20),
    ('NO_RADR', 0x40), ('NO_PREFER_IFACE', 0x80), ('NO_DAD', 0x100),
]

ORDER_FLAGS = [n for n, _ in IFF_BITS]

BRIDGE_MEMBER_FLAGS = 'flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>'

EPAIR_MEDIA = 'Ethernet 10Gbase-T (10Gbase-T <full-duplex>)'

CLONERS = ('bridge', 'epair', 'lo')

DEFAULT_ND6 = {'ethernet': ['PERFORMNUD', 'IFDISABLED', 'AUTO_LINKLOCAL'],
               'epair': ['PERFORMNUD', 'IFDISABLED', 'AUTO_LINKLOCAL'],
               'loopback': ['PERFORMNUD', 'AUTO_LINKLOCAL'],
               'bridge': ['PERFORMNUD', 'IFDISABLED']}


def bits(names, table):
    """(hex value, '<A,B>' text) of the flag NAMES, in TABLE order."""
    v = 0
    out = []
    for n, b in table:
        if n in names:
            v |= b
            out.append(n)
    return v, '<%s>' % ','.join(out)


# ---------------------------------------------------------------------------
# network stacks

def find_jail(st, key):
    """The running jail named KEY or with jid KEY: (name, record) or
    (None, None)."""
    jails = st.get('jails', {})
    if key in jails:
        return key, jails[key]
    if key.isdigit():
        for n, j in jails.items():
            if str(j.get('jid')) == key:
                return n, j
    return None, None


def jail_not_found(key):
    if key.isdigit():
        return 'jail %s not found' % key
    return 'jail "%s" not found' % key


class Stack(object):
    """The network stack a command acts in: the host's, or a jail's.

    For a non-VNET jail the tables are the host's, but only the jail's
    own addresses are visible and nothing may be changed."""

    def __init__(self, st, jail=None):
        self.st = st
        self.jail = jail          # jail name or None
        self.jrec = None
        self.vnet = False
        if jail is not None:
            self.jrec = st['jails'][jail]
            self.vnet = bool(self.jrec.get('vnet'))
        if self.vnet:
            self.ifaces = self.jrec.setdefault('interfaces', {})
            self.routes = self.jrec.setdefault('routes', [])
        else:
            self.ifaces = st.setdefault('interfaces', {})
            self.routes = st.setdefault('routes', [])

    @property
    def readonly(self):
        return self.jail is not None and not self.vnet

    def visible_inet(self, rec):
        """The inet addresses of REC this stack may see."""
        return [a for a in rec.get('inet', []) if self._visible(a, 'ip4')]

    def visible_inet6(self, rec):
        return [a for a in rec.get('inet6', []) if self._visible(a, 'ip6')]

    def _visible(self, a, fam):
        if self.jail is None or self.vnet:
            return True
        p = self.jrec.get('params', {})
        mode = p.get(fam, 'inherit')
        addrs = p.get(fam + '.addr')
        if mode == 'inherit':
            return True
        if mode == 'disable' or not addrs:
            return False
        return a['addr'] in addrs.split(',')


def all_stacks(st):
    """Every (owner, interface table, route table): the host first."""
    out = [(None, st.setdefault('interfaces', {}),
            st.setdefault('routes', []))]
    for n, j in sorted(st.get('jails', {}).items()):
        if j.get('vnet'):
            out.append((n, j.setdefault('interfaces', {}),
                        j.setdefault('routes', [])))
    return out


def locate(st, name):
    """(owner, table) holding interface NAME in any stack, or (None, None)."""
    for owner, t, _ in all_stacks(st):
        if name in t:
            return owner, t
    return None, None


def new_index(st):
    used = set()
    for _, t, _ in all_stacks(st):
        for r in t.values():
            used.add(r.get('index', 0))
    c = st.setdefault('counters', {})
    i = max([c.get('ifindex', 0)] + list(used)) + 1
    c['ifindex'] = i
    return i


def loopback_record(st, up=False, vnet=None):
    """A fresh lo0 (a new VNET gets one, down and without addresses)."""
    return {
        'index': new_index(st), 'type': 'loopback',
        'flags': ['LOOPBACK', 'MULTICAST'] + (['UP', 'RUNNING'] if up
                                              else []),
        'mtu': 16384, 'metric': 0,
        'options': ['RXCSUM', 'TXCSUM', 'LINKSTATE', 'RXCSUM_IPV6',
                    'TXCSUM_IPV6'],
        'ether': None, 'hwaddr': None, 'inet': [], 'inet6': [],
        'groups': ['lo'], 'media': None, 'status': None,
        'description': None, 'vnet': vnet,
        'nd6': ['PERFORMNUD', 'AUTO_LINKLOCAL'],
    }


def _mac(seed, last):
    h = zlib.crc32(seed.encode())
    return '%02x:%02x:%02x:%02x:%02x:%02x' % (
        0x02, (h >> 24) & 0xff, (h >> 16) & 0xff, (h >> 8) & 0xff,
        h & 0xff, last)


def _bridge_mac(seed):
    h = zlib.crc32(seed.encode())
    return '58:9c:fc:%02x:%02x:%02x' % (0x10 | ((h >> 16) & 0x0f),
                                        (h >> 8) & 0xff, h & 0xff)


def epair_record(st, name, peer, last, vnet):
    mac = _mac('%s/%s/%s' % (st.get('hostname', ''), name,
                             core.next_counter(st, 'epair_serial')), last)
    return {
        'index': new_index(st), 'type': 'epair',
        'flags': ['BROADCAST', 'RUNNING', 'SIMPLEX', 'MULTICAST'],
        'mtu': 1500, 'metric': 0, 'options': ['VLAN_MTU'],
        'ether': mac, 'hwaddr': mac, 'inet': [], 'inet6': [],
        'groups': ['epair'], 'media': EPAIR_MEDIA, 'status': 'active',
        'description': None, 'vnet': vnet, 'peer': peer,
        'nd6': ['PERFORMNUD', 'IFDISABLED', 'AUTO_LINKLOCAL'],
        'home': vnet,
    }


def bridge_record(st, name, vnet):
    mac = _bridge_mac('%s/%s' % (st.get('hostname', ''), name))
    return {
        'index': new_index(st), 'type': 'bridge',
        'flags': ['BROADCAST', 'SIMPLEX', 'MULTICAST'],
        'mtu': 1500, 'metric': 0, 'options': [],
        'ether': mac, 'hwaddr': mac, 'inet': [], 'inet6': [],
        'groups': ['bridge'], 'media': None, 'status': None,
        'description': None, 'vnet': vnet, 'members': [],
        'nd6': ['PERFORMNUD', 'IFDISABLED'],
    }


def unit_in_use(st, cloner, unit):
    names = ['%s%d' % (cloner, unit)]
    if cloner == 'epair':
        names = ['epair%da' % unit, 'epair%db' % unit]
    for _, t, _ in all_stacks(st):
        for n, r in t.items():
            if n in names or r.get('clone') in names + [
                    '%s%d' % (cloner, unit)]:
                return True
    return False


def remove_iface(st, owner_table, name):
    """Remove interface NAME from OWNER_TABLE and every reference to it:
    bridge membership, routes through it, an epair's other end."""
    rec = owner_table.pop(name, None)
    if rec is None:
        return
    for _, t, routes in all_stacks(st):
        for r in t.values():
            if name in r.get('members', []):
                r['members'].remove(name)
        routes[:] = [x for x in routes if x.get('interface') != name]
    for m in rec.get('members', []):
        owner, t = locate(st, m)
        if t is not None:
            t[m].pop('bridge', None)
            _setflag(t[m], 'PROMISC', False)
    peer = rec.get('peer')
    if peer:
        owner, t = locate(st, peer)
        if t is not None and t[peer].get('peer') == name:
            t[peer]['peer'] = None
            remove_iface(st, t, peer)


def _setflag(rec, flag, on):
    fl = rec.setdefault('flags', [])
    if on and flag not in fl:
        fl.append(flag)
    elif not on and flag in fl:
        fl.remove(flag)


def set_up(rec, up):
    _setflag(rec, 'UP', up)
    if rec.get('type') in ('bridge', 'loopback'):
        _setflag(rec, 'RUNNING', up)
    if up and rec.get('type') == 'loopback' and not rec.get('inet6') \
            and 'IFDISABLED' not in rec.get('nd6', []):
        rec['inet6'] = [{'addr': '::1', 'prefixlen': 128},
                        {'addr': 'fe80::1', 'prefixlen': 64,
                         'scopeid': '0x%x' % rec.get('index', 1)}]


def move_iface(st, name, src, dst, dst_owner):
    """Move interface NAME from table SRC to table DST (if_vmove): its
    addresses are dropped and it leaves any bridge."""
    rec = src.pop(name)
    for _, t, routes in all_stacks(st):
        for r in t.values():
            if name in r.get('members', []):
                r['members'].remove(name)
        routes[:] = [x for x in routes if x.get('interface') != name]
    rec.pop('bridge', None)
    _setflag(rec, 'PROMISC', False)
    rec['inet'] = []
    rec['inet6'] = []
    rec['vnet'] = dst_owner
    rec['index'] = new_index(st)     # if_attach in the new vnet
    dst[name] = rec


def vnet_teardown(st, jail):
    """A VNET jail is removed: its interfaces go back to the stack they
    were created in (the host), the rest (its lo0, clones created inside)
    is destroyed."""
    j = st['jails'][jail]
    t = j.get('interfaces', {})
    for name in sorted(t, key=lambda n: t[n].get('index', 0)):
        if name not in t:
            continue
        rec = t[name]
        if rec.get('type') == 'loopback' or rec.get('home') == jail:
            remove_iface(st, t, name)
            continue
        host = st.setdefault('interfaces', {})
        if name in host:
            remove_iface(st, t, name)
            continue
        move_iface(st, name, t, host, None)
    j['interfaces'] = {}
    j['routes'] = []


# ---------------------------------------------------------------------------
# address helpers

def parse_inet(text, what=None):
    """'A.B.C.D' or 'A.B.C.D/P' -> (addr, prefixlen or None)."""
    addr, _, plen = text.partition('/')
    try:
        a = ipaddress.IPv4Address(addr)
    except ValueError:
        raise NetError('%s: bad value' % (what or addr))
    if plen == '':
        if '/' in text:
            raise NetError('%s: bad value' % (what or text))
        return str(a), None
    if not plen.isdigit() or int(plen) > 32:
        raise NetError('%s: bad value (width %s)' % (text, plen))
    return str(a), int(plen)


def parse_netmask(text):
    """Netmask as dotted quad or 0xHEX -> prefix length."""
    try:
        if text.lower().startswith('0x'):
            v = int(text, 16)
            if v > 0xffffffff:
                raise ValueError
        else:
            v = int(ipaddress.IPv4Address(text))
    except ValueError:
        raise NetError('%s: bad value' % text)
    b = bin(v)[2:].zfill(32)
    if '01' in b:
        raise NetError('%s: bad value' % text)
    return b.count('1')


def mask_of(plen):
    return (0xffffffff << (32 - plen)) & 0xffffffff if plen else 0


def dotted(v):
    return str(ipaddress.IPv4Address(v))


def broadcast_of(addr, plen):
    if plen >= 31:
        return addr
    n = ipaddress.IPv4Network('%s/%d' % (addr, plen), strict=False)
    return str(n.broadcast_address)


def parse_mac(text):
    parts = text.replace('-', ':').split(':')
    if len(parts) != 6 or not all(1 <= len(p) <= 2 for p in parts):
        raise NetError('malformed link-level address')
    try:
        octs = [int(p, 16) for p in parts]
    except ValueError:
        raise NetError('malformed link-level address')
    if octs[0] & 1:
        raise NetError('ioctl (SIOCSIFLLADDR): Invalid argument')
    return ':'.join('%02x' % o for o in octs)


def fmt_mac(mac, style):
    if style == 'dash':
        return mac.replace(':', '-')
    if style == 'dotted':
        h = mac.replace(':', '')
        return '%s.%s.%s' % (h[0:4], h[4:8], h[8:12])
    return mac


def onlink_iface(stack, addr):
    """The interface of STACK with a subnet containing ADDR, or None."""
    a = ipaddress.IPv4Address(addr)
    best = None
    for name, rec in sorted(stack.ifaces.items(),
                            key=lambda x: x[1].get('index', 0)):
        if 'UP' not in rec.get('flags', []):
            continue
        for ia in rec.get('inet', []):
            net = ipaddress.IPv4Network('%s/%d' % (ia['addr'],
                                                    ia['prefixlen']),
                                        strict=False)
            if a in net and (best is None or net.prefixlen > best[1]):
                best = (name, net.prefixlen)
    return best[0] if best else None


# ---------------------------------------------------------------------------
# ifconfig: output

def _formats(specs):
    fmt = {'inet': 'hex', 'inet6': 'numeric', 'ether': 'colon',
           'addr': 'numeric'}
    for spec in specs:
        for item in spec.split(','):
            if not item:
                continue
            t, _, f = item.partition(':')
            ok = {'inet': ('cidr', 'default', 'dotted', 'hex'),
                  'inet6': ('cidr', 'default', 'numeric'),
                  'ether': ('colon', 'dash', 'dotted', 'default'),
                  'addr': ('default', 'fqdn', 'host', 'numeric')}
            if t not in ok or f not in ok[t]:
                raise NetError('Invalid format type: %s' % item)
            if f == 'default':
                f = {'inet': 'hex', 'inet6': 'numeric', 'ether': 'colon',
                     'addr': 'numeric'}[t]
            fmt[t] = f
    return fmt


def link_up(rec):
    t = rec.get('type')
    if t == 'loopback' or t == 'epair':
        return True
    if t == 'bridge':
        return 'UP' in rec.get('flags', []) and bool(rec.get('members'))
    return rec.get('status') == 'active'


def status_lines(stack, name, rec, fmt, af=None):
    """The lines `ifconfig NAME` prints for REC."""
    fl = list(rec.get('flags', []))
    if link_up(rec):
        fl.append('LOWER_UP')
    v, txt = bits(fl, IFF_BITS)
    out = ['%s: flags=%x%s metric %d mtu %d' % (name, v, txt,
                                                 rec.get('metric', 0),
                                                 rec.get('mtu', 1500))]
    if af is None and rec.get('description'):
        out.append('\tdescription: %s' % rec['description'])
    if af is None and (rec.get('options') or rec.get('type') == 'bridge'):
        cv, ctxt = bits(rec.get('options', []), IFCAP_BITS)
        out.append('\toptions=%x%s' % (cv, ctxt if cv else ''))
    if af in (None, 'ether', 'link', 'lladdr') and rec.get('ether'):
        out.append('\tether %s' % fmt_mac(rec['ether'], fmt['ether']))
        if rec.get('hwaddr') and rec['hwaddr'] != rec['ether']:
            out.append('\thwaddr %s' % fmt_mac(rec['hwaddr'], fmt['ether']))
    if af in (None, 'inet'):
        for a in stack.visible_inet(rec):
            out.append('\t' + inet_text(a, rec, fmt['inet']))
    if af in (None, 'inet6'):
        for a in stack.visible_inet6(rec):
            out.append('\t' + inet6_text(name, a, fmt['inet6']))
    if af is not None:
        return out
    if rec.get('type') == 'bridge':
        bid = rec.get('ether') or '00:00:00:00:00:00'
        out.append('\tid %s priority 32768 hellotime 2 fwddelay 15' % bid)
        out.append('\tmaxage 20 holdcnt 6 proto rstp maxaddr 2000 '
                   'timeout 1200')
        out.append('\troot id %s priority 32768 ifcost 0 port 0' % bid)
        for m in rec.get('members', []):
            mrec = stack.ifaces.get(m)
            idx = mrec.get('index', 0) if mrec else 0
            out.append('\tmember: %s %s' % (m, BRIDGE_MEMBER_FLAGS))
            out.append('\t        ifmaxaddr 0 port %d priority 128 '
                       'path cost 2000' % idx)
    if rec.get('groups'):
        out.append('\tgroups: %s' % ' '.join(rec['groups']))
    if rec.get('media'):
        out.append('\tmedia: %s' % rec['media'])
    if rec.get('status'):
        out.append('\tstatus: %s' % rec['status'])
    nd6 = rec.get('nd6')
    if nd6 is None:
        nd6 = DEFAULT_ND6.get(rec.get('type'), [])
    if nd6:
        nv, ntxt = bits(nd6, ND6_BITS)
        out.append('\tnd6 options=%x%s' % (nv, ntxt))
    return out


def inet_text(a, rec, style):
    plen = a['prefixlen']
    if style == 'cidr':
        s = 'inet %s/%d' % (a['addr'], plen)
    elif style == 'dotted':
        s = 'inet %s netmask %s' % (a['addr'], dotted(mask_of(plen)))
    else:
        s = 'inet %s netmask 0x%08x' % (a['addr'], mask_of(plen))
    if 'BROADCAST' in rec.get('flags', []):
        s += ' broadcast %s' % (a.get('broadcast') or
                                broadcast_of(a['addr'], plen))
    return s


def inet6_text(name, a, style):
    addr = a['addr']
    if addr.lower().startswith('fe80:'):
        addr = '%s%%%s' % (addr, name)
    if style == 'cidr':
        s = 'inet6 %s/%d' % (addr, a['prefixlen'])
    else:
        s = 'inet6 %s prefixlen %d' % (addr, a['prefixlen'])
    if a.get('scopeid'):
        s += ' scopeid %s' % a['scopeid']
    return s


def ordered(stack):
    return sorted(stack.ifaces.items(), key=lambda x: x[1].get('index', 0))


def in_group(name, rec, group):
    import fnmatch
    if group == 'all':
        return True
    return any(fnmatch.fnmatchcase(g, group) for g in rec.get('groups', []))


# ---------------------------------------------------------------------------
# ifconfig: the command

def _usage():
    return ('usage: ifconfig [-j jail] [-f type:format] %s\n'
            '       ifconfig [-j jail] [-f type:format] %s\n'
            '       ifconfig [-j jail] %s\n'
            '       ifconfig [-j jail] -a [-dkLmuv] [-f type:format] '
            '[address_family]\n'
            '       ifconfig [-j jail] -C\n'
            '       ifconfig [-j jail] -g groupname\n'
            '       ifconfig [-j jail] -l [-du] [address_family]\n'
            '       ifconfig [-j jail] [-dkLmuv] [-f type:format]'
            % ('interface address_family [address [dest_address]]\n'
               '                [parameters]',
               'interface [parameters]', 'interface create'))


AFS = ('inet', 'inet6', 'link', 'ether', 'lladdr')


def parse_ifconfig_args(args):
    """Split ifconfig ARGS: (options dict, positional list)."""
    o = {'a': False, 'l': False, 'd': False, 'u': False, 'C': False,
         'g': None, 'G': None, 'j': None, 'f': [], 'g_first': False}
    i = 0
    seen_sig = False
    while i < len(args):
        a = args[i]
        if a == '--':
            i += 1
            break
        if not a.startswith('-') or a == '-' or len(a) < 2:
            break
        # a negative parameter (-alias) after the interface is not an option
        j = 1
        while j < len(a):
            c = a[j]
            if c in 'fgGj':
                val = a[j + 1:] if j + 1 < len(a) else None
                if val is None:
                    i += 1
                    if i >= len(args):
                        raise NetError('option requires an argument -- %s'
                                       % c + '\n' + _usage())
                    val = args[i]
                if c == 'f':
                    o['f'].append(val)
                elif c == 'g':
                    o['g'] = val
                    if not seen_sig:
                        o['g_first'] = True
                elif c == 'G':
                    o['G'] = val
                else:
                    o['j'] = val
                break
            if c in 'alC':
                o[c] = True
                seen_sig = True
            elif c in 'du':
                o[c] = True
            elif c in 'kLmnv':
                pass
            else:
                raise NetError('illegal option -- %s\n%s' % (c, _usage()))
            j += 1
        i += 1
    return o, args[i:]


def is_display(args):
    """True when ifconfig ARGS only display (no lock for writing needed)."""
    try:
        o, rest = parse_ifconfig_args(args)
    except NetError:
        return True
    if o['a'] or o['l'] or o['C'] or (o['g'] and o['g_first']) or not rest:
        return True
    params = rest[1:]
    if params and params[0] in AFS:
        params = params[1:]
    return not params


def run_ifconfig(st, args, jail=None):
    """Run `ifconfig ARGS` in the stack of JAIL (None: the host).
    Returns (status, stdout, stderr); changes ST in place."""
    out = []
    try:
        _ifconfig(st, args, jail, out)
    except NetError as e:
        text = ''.join(x + '\n' for x in out)
        return e.code, text, 'ifconfig: %s\n' % e.msg
    return 0, ''.join(x + '\n' for x in out), ''


def _ifconfig(st, args, jail, out):
    o, rest = parse_ifconfig_args(args)
    if o['j'] is not None:
        if jail is not None:
            raise Unsupported('ifconfig -j inside a jail')
        jname, _ = find_jail(st, o['j'])
        if jname is None:
            raise NetError(jail_not_found(o['j']))
        jail = jname
    stack = Stack(st, jail)
    fmt = _formats(([os.environ['IFCONFIG_FORMAT']]
                    if os.environ.get('IFCONFIG_FORMAT') else []) + o['f'])
    if o['C']:
        out.append(' '.join(CLONERS))
        return
    if o['g'] is not None and o['g_first'] and not o['a'] and not o['l']:
        for name, rec in ordered(stack):
            if in_group(name, rec, o['g']):
                out.append(name)
        return
    if o['l']:
        af = rest[0] if rest else None
        names = []
        for name, rec in ordered(stack):
            if not _selected(rec, name, o):
                continue
            if af == 'ether' and rec.get('type') == 'loopback':
                continue
            if af in ('inet', 'inet6') and not (
                    stack.visible_inet(rec) if af == 'inet'
                    else stack.visible_inet6(rec)):
                continue
            names.append(name)
        out.append(' '.join(names))
        return
    if o['a'] or not rest:
        af = rest[0] if rest else None
        if af is not None and af not in AFS:
            raise NetError('%s: bad address family' % af)
        for name, rec in ordered(stack):
            if not _selected(rec, name, o):
                continue
            if af == 'inet' and not stack.visible_inet(rec):
                continue
            out.extend(status_lines(stack, name, rec, fmt, af))
        return
    ifname = rest[0]
    params = rest[1:]
    if params and params[0] in ('create', 'plumb'):
        return _create(stack, ifname, params[1:], fmt, out)
    if params and params[0] == '-vnet' or \
            (len(params) >= 2 and params[-2] == '-vnet'):
        if ifname not in stack.ifaces:
            return _reclaim(stack, ifname, params, out)
    if ifname not in stack.ifaces:
        raise NetError('interface %s does not exist' % ifname)
    if params and params[0] in ('destroy', 'unplumb'):
        if len(params) > 1:
            raise Unsupported('parameters after destroy')
        return _destroy(stack, ifname)
    af = None
    if params and params[0] in AFS:
        af = params[0]
        params = params[1:]
    if not params:
        out.extend(status_lines(stack, ifname, stack.ifaces[ifname], fmt,
                                af))
        return
    if stack.readonly:
        raise NetError('ioctl (SIOCAIFADDR): Operation not permitted')
    _apply(stack, ifname, af, params, out)


def _selected(rec, name, o):
    up = 'UP' in rec.get('flags', [])
    if o['d'] and up:
        return False
    if o['u'] and not up:
        return False
    if o['g'] is not None and not in_group(name, rec, o['g']):
        return False
    if o['G'] is not None and in_group(name, rec, o['G']):
        return False
    return True


def _create(stack, ifname, params, fmt, out):
    st = stack.st
    if stack.readonly:
        raise NetError('SIOCIFCREATE2 (%s): Operation not permitted' % ifname)
    cloner = ifname.rstrip('0123456789')
    unit = ifname[len(cloner):]
    if cloner not in CLONERS:
        raise NetError('SIOCIFCREATE2 (%s): Invalid argument' % ifname)
    owner = stack.jail if stack.vnet else None
    if unit == '':
        u = 0
        while unit_in_use(st, cloner, u):
            u += 1
        unit = u
    else:
        if len(unit) > 1 and unit[0] == '0':
            raise NetError('SIOCIFCREATE2 (%s): Invalid argument' % ifname)
        unit = int(unit)
        if unit_in_use(st, cloner, unit):
            raise NetError('SIOCIFCREATE2 (%s): File exists' % ifname)
    if cloner == 'epair':
        a, b = 'epair%da' % unit, 'epair%db' % unit
        stack.ifaces[a] = epair_record(st, a, b, 0x0a, owner)
        stack.ifaces[b] = epair_record(st, b, a, 0x0b, owner)
        newname = a
    elif cloner == 'bridge':
        newname = 'bridge%d' % unit
        stack.ifaces[newname] = bridge_record(st, newname, owner)
    else:
        newname = 'lo%d' % unit
        stack.ifaces[newname] = loopback_record(st, vnet=owner)
    if stack.vnet:
        for n in (newname, newname[:-1] + 'b') if cloner == 'epair' \
                else (newname,):
            stack.ifaces[n]['home'] = stack.jail
    printed = newname != ifname
    if params:
        res = _apply(stack, newname, None, params, out)
        if res == 'renamed' or res == 'destroyed':
            printed = False
    if printed:
        out.insert(0, newname)


def _destroy(stack, ifname):
    rec = stack.ifaces[ifname]
    if rec.get('type') not in ('epair', 'bridge') and not (
            rec.get('type') == 'loopback' and ifname != 'lo0'):
        raise NetError('SIOCIFDESTROY: Invalid argument')
    if stack.readonly:
        raise NetError('SIOCIFDESTROY: Operation not permitted')
    remove_iface(stack.st, stack.ifaces, ifname)


def _reclaim(stack, ifname, params, out):
    """`ifconfig IF -vnet JAIL`: IF lives in JAIL's stack."""
    if params[0] != '-vnet' or len(params) != 2:
        raise Unsupported('-vnet combined with other parameters')
    st = stack.st
    jname, j = find_jail(st, params[1])
    if jname is None:
        raise NetError(jail_not_found(params[1]))
    if stack.readonly or not j.get('vnet'):
        raise NetError('SIOCSIFRVNET: Invalid argument')
    jt = j.setdefault('interfaces', {})
    if ifname not in jt:
        raise NetError('SIOCSIFRVNET: Device not configured')
    move_iface(st, ifname, jt, stack.ifaces,
               stack.jail if stack.vnet else None)


def _take(params, i, what):
    if i + 1 >= len(params):
        raise NetError("missing argument for '%s'" % what)
    return params[i + 1]


def _apply(stack, ifname, af, params, out):
    """Apply the parameters of `ifconfig IFNAME [af] PARAMS`."""
    st = stack.st
    rec = stack.ifaces[ifname]
    addr = None          # (address, prefixlen or None)
    netmask = None
    bcast = None
    alias = None         # None: replace the first address, True, False
    addr6 = None
    prefixlen6 = None
    i = 0
    fam = af or 'inet'
    while i < len(params):
        p = params[i]
        if p in ('up', 'down'):
            set_up(rec, p == 'up')
        elif p in ('alias', 'add'):
            alias = True
        elif p in ('-alias', 'delete', 'remove'):
            alias = False
        elif p == 'netmask':
            netmask = parse_netmask(_take(params, i, p))
            i += 1
        elif p == 'broadcast':
            bcast = _take(params, i, p)
            parse_inet(bcast)
            i += 1
        elif p == 'prefixlen':
            v = _take(params, i, p)
            if not v.isdigit() or int(v) > 128:
                raise NetError('%s: bad value' % v)
            prefixlen6 = int(v)
            i += 1
        elif p in ('description', 'descr'):
            rec['description'] = _take(params, i, p) or None
            i += 1
        elif p in ('-description', '-descr'):
            rec['description'] = None
        elif p in ('ether', 'lladdr', 'link'):
            v = _take(params, i, p)
            i += 1
            if v == 'random':
                v = _mac('%s/%s/random/%d' % (ifname, st.get('hostname'),
                                              core.next_counter(st, 'rnd')),
                         0x0c)
            if not rec.get('ether'):
                raise NetError('ioctl (SIOCSIFLLADDR): Invalid argument')
            rec['ether'] = parse_mac(v)
        elif p == 'mtu':
            v = _take(params, i, p)
            i += 1
            if not v.isdigit() or not 72 <= int(v) <= 65535:
                raise NetError('ioctl SIOCSIFMTU (set mtu): Invalid argument')
            rec['mtu'] = int(v)
            for m in rec.get('members', []):
                if m in stack.ifaces:
                    stack.ifaces[m]['mtu'] = int(v)
        elif p == 'metric':
            v = _take(params, i, p)
            i += 1
            if not v.lstrip('-').isdigit():
                raise NetError('%s: bad value' % v)
            rec['metric'] = int(v)
        elif p == 'name':
            new = _take(params, i, p)
            i += 1
            _rename(stack, ifname, new)
            out.append(new)
            if i + 1 < len(params):
                raise Unsupported('parameters after name')
            return 'renamed'
        elif p == 'group':
            g = _take(params, i, p)
            i += 1
            if len(g) > 15 or g[-1:].isdigit():
                raise NetError('setifgroup: group names may not end '
                               'in a digit')
            if g not in rec.setdefault('groups', []):
                rec['groups'].append(g)
        elif p == '-group':
            g = _take(params, i, p)
            i += 1
            if g in rec.get('groups', []):
                rec['groups'].remove(g)
        elif p == 'vnet':
            v = _take(params, i, p)
            i += 1
            _vnet(stack, ifname, v)
            if i + 1 < len(params):
                raise Unsupported('parameters after vnet')
            return 'moved'
        elif p == '-vnet':
            raise NetError('SIOCSIFRVNET: Invalid argument')
        elif p == 'addm':
            _addm(stack, ifname, _take(params, i, p))
            i += 1
        elif p == 'deletem':
            _deletem(stack, ifname, _take(params, i, p))
            i += 1
        elif p in ('promisc', '-promisc'):
            _setflag(rec, 'PPROMISC', p == 'promisc')
            _setflag(rec, 'PROMISC', p == 'promisc' or bool(rec.get('bridge')))
        elif p in ('arp', '-arp'):
            _setflag(rec, 'NOARP', p == '-arp')
        elif p in ('destroy', 'unplumb'):
            _destroy(stack, ifname)
            return 'destroyed'
        elif p in ('-ifdisabled', 'ifdisabled', 'auto_linklocal',
                   '-auto_linklocal', 'accept_rtadv', '-accept_rtadv',
                   'no_dad', '-no_dad'):
            if fam != 'inet6':
                raise NetError('%s: bad value' % p)
            name = p.lstrip('-').upper()
            nd6 = rec.setdefault('nd6', [])
            if p.startswith('-'):
                if name in nd6:
                    nd6.remove(name)
            elif name not in nd6:
                nd6.append(name)
        elif p in ('create', 'plumb'):
            raise NetError('SIOCIFCREATE2 (%s): File exists' % ifname)
        elif p in AFS and i == 0:
            fam = p
        elif fam == 'inet' and addr is None and _looks_inet(p):
            addr = parse_inet(p)
        elif fam == 'inet6' and addr6 is None and ':' in p:
            a, _, pl = p.partition('/')
            try:
                addr6 = str(ipaddress.IPv6Address(a))
            except ValueError:
                raise NetError('%s: bad value' % p)
            if pl:
                if not pl.isdigit() or int(pl) > 128:
                    raise NetError('%s: bad value' % p)
                prefixlen6 = int(pl)
        elif fam in ('link', 'ether', 'lladdr') and ':' in p:
            rec['ether'] = parse_mac(p)
        else:
            if fam == 'inet' and addr is None and not p.startswith('-') \
                    and p not in _KNOWN_UNSUPPORTED:
                raise NetError('%s: bad value' % p)
            raise Unsupported('ifconfig parameter %r' % p)
        i += 1
    if addr is not None:
        _set_inet(stack, ifname, rec, addr, netmask, bcast, alias)
    elif netmask is not None or alias is not None:
        if alias is not None and addr is None and addr6 is None:
            raise NetError('no address given')
    if addr6 is not None:
        _set_inet6(rec, addr6, prefixlen6 or 64, alias)
    return None


_KNOWN_UNSUPPORTED = ('stp', 'edge', 'autoedge', 'ptp', 'autoptp', 'span',
                      'private', 'sticky', 'learn', 'discover', 'maxaddr',
                      'timeout', 'maxage', 'fwddelay', 'hellotime',
                      'priority', 'proto', 'holdcnt', 'ifpriority',
                      'ifpathcost', 'ifmaxaddr', 'static', 'deladdr',
                      'flush', 'flushall', 'addr', 'vlan', 'vlandev',
                      'media', 'mediaopt', 'mode', 'tso', 'lro', 'rxcsum',
                      'txcsum', 'polling', 'fib', 'tunnelfib', 'monitor',
                      'debug', 'staticarp', 'stickyarp', 'anycast', 'eui64',
                      'vhid', 'pcp', 'wol')


def _looks_inet(p):
    c = p.split('/')[0]
    return c[:1].isdigit() or p in ('default',)


def _set_inet(stack, ifname, rec, addr, netmask, bcast, alias):
    a, plen = addr
    if plen is None:
        plen = netmask
    inet = rec.setdefault('inet', [])
    existing = [x for x in inet if x['addr'] == a]
    if alias is False:
        if not existing:
            raise NetError('ioctl (SIOCDIFADDR): Can\'t assign requested '
                           'address')
        inet.remove(existing[0])
        _drop_routes_via(stack, ifname)
        return
    if plen is None:
        if existing:
            plen = existing[0]['prefixlen']
        else:
            # classful default, as in_getaddr() does without a mask
            first = int(a.split('.')[0])
            plen = 8 if first < 128 else 16 if first < 192 else 24
            if alias:
                plen = 32 if inet else plen
    if rec.get('bridge') and False:
        raise NetError('ioctl (SIOCAIFADDR): Invalid argument')
    # the same address on another interface of this stack
    for n, r in stack.ifaces.items():
        if n != ifname and any(x['addr'] == a for x in r.get('inet', [])):
            raise NetError('ioctl (SIOCAIFADDR): File exists')
    if alias is None and inet and not existing:
        inet.pop(0)
    entry = {'addr': a, 'prefixlen': plen}
    if 'BROADCAST' in rec.get('flags', []):
        entry['broadcast'] = bcast or broadcast_of(a, plen)
    if existing:
        inet[inet.index(existing[0])] = entry
    else:
        inet.append(entry)
    set_up(rec, True)


def _set_inet6(rec, addr, plen, alias):
    inet6 = rec.setdefault('inet6', [])
    existing = [x for x in inet6 if x['addr'] == addr]
    if alias is False:
        if not existing:
            raise NetError('ioctl (SIOCDIFADDR_IN6): Can\'t assign '
                           'requested address')
        inet6.remove(existing[0])
        return
    if existing:
        existing[0]['prefixlen'] = plen
    else:
        inet6.append({'addr': addr, 'prefixlen': plen})
    set_up(rec, True)


def _drop_routes_via(stack, ifname):
    """Routes whose gateway is no longer on-link disappear."""
    keep = []
    for r in stack.routes:
        if r.get('interface') == ifname and r.get('gateway'):
            try:
                if onlink_iface(stack, r['gateway']) != ifname:
                    continue
            except ValueError:
                pass
        keep.append(r)
    stack.routes[:] = keep


def _rename(stack, old, new):
    st = stack.st
    if new in stack.ifaces:
        raise NetError('ioctl SIOCSIFNAME (set name): File exists')
    if not new or len(new) > 15:
        raise NetError('ioctl SIOCSIFNAME (set name): Invalid argument')
    rec = stack.ifaces.pop(old)
    stack.ifaces[new] = rec
    for _, t, routes in all_stacks(st):
        for r in t.values():
            if old in r.get('members', []):
                r['members'][r['members'].index(old)] = new
            if r.get('peer') == old:
                r['peer'] = new
            if r.get('bridge') == old:
                r['bridge'] = new
        for x in routes:
            if x.get('interface') == old:
                x['interface'] = new


def _vnet(stack, ifname, jkey):
    st = stack.st
    jname, j = find_jail(st, jkey)
    if jname is None:
        raise NetError(jail_not_found(jkey))
    if stack.readonly:
        raise NetError('SIOCSIFVNET: Operation not permitted')
    if not j.get('vnet') or jname == stack.jail:
        raise NetError('SIOCSIFVNET: File exists')
    rec = stack.ifaces[ifname]
    if rec.get('type') == 'loopback':
        raise NetError('SIOCSIFVNET: Invalid argument')
    dst = j.setdefault('interfaces', {})
    if ifname in dst:
        raise NetError('SIOCSIFVNET: File exists')
    move_iface(st, ifname, stack.ifaces, dst, jname)


def _addm(stack, bridge, member):
    rec = stack.ifaces[bridge]
    if rec.get('type') != 'bridge':
        raise NetError('BRDGADD %s: Invalid argument' % member)
    m = stack.ifaces.get(member)
    if m is None:
        raise NetError('BRDGADD %s: No such file or directory' % member)
    if member in rec.get('members', []):
        raise NetError('BRDGADD %s: File exists' % member)
    if m.get('bridge'):
        raise NetError('BRDGADD %s: Device busy' % member)
    if member == bridge or m.get('type') in ('bridge', 'loopback'):
        raise NetError('BRDGADD %s: Invalid argument' % member)
    rec.setdefault('members', []).append(member)
    m['bridge'] = bridge
    _setflag(m, 'PROMISC', True)
    if not rec.get('members')[1:]:
        pass
    m['mtu'] = rec.get('mtu', m.get('mtu'))


def _deletem(stack, bridge, member):
    rec = stack.ifaces[bridge]
    if rec.get('type') != 'bridge':
        raise NetError('BRDGDEL %s: Invalid argument' % member)
    if member not in rec.get('members', []):
        raise NetError('BRDGDEL %s: No such file or directory' % member)
    rec['members'].remove(member)
    m = stack.ifaces.get(member)
    if m is not None:
        m.pop('bridge', None)
        _setflag(m, 'PROMISC', 'PPROMISC' in m.get('flags', []))


# ---------------------------------------------------------------------------
# route

ROUTE_FLAG_NAMES = {'U': 'UP', 'G': 'GATEWAY', 'H': 'HOST', 'S': 'STATIC',
                    'D': 'DONE'}


def _route_usage():
    return ('usage: route [-46dnqtv] command [[modifiers] args]')


def lookup_route(stack, dest):
    """The route `route get DEST` reports: dict with keys destination,
    mask, gateway, interface, flags; or None."""
    if dest == 'default':
        for r in stack.routes:
            if r.get('destination') == 'default':
                return {'destination': 'default', 'mask': 'default',
                        'gateway': r.get('gateway'),
                        'interface': r.get('interface'),
                        'flags': '<UP,GATEWAY,DONE,STATIC>'}
        return None
    a = ipaddress.IPv4Address(dest)
    # local addresses of the stack
    for name, rec in stack.ifaces.items():
        for ia in stack.visible_inet(rec):
            if ia['addr'] == str(a):
                lo = 'lo0' if 'lo0' in stack.ifaces else name
                return {'destination': str(a), 'mask': None,
                        'gateway': None, 'interface': lo,
                        'flags': '<UP,HOST,DONE,STATIC,PINNED>'}
    best = None
    for r in stack.routes:
        d = r.get('destination')
        if d == 'default':
            continue
        net = ipaddress.IPv4Network(d if '/' in d else d + '/32',
                                    strict=False)
        if a in net and (best is None or net.prefixlen > best[0].prefixlen):
            best = (net, r)
    conn = None
    for name, rec in stack.ifaces.items():
        if 'UP' not in rec.get('flags', []):
            continue
        for ia in rec.get('inet', []):
            net = ipaddress.IPv4Network('%s/%d' % (ia['addr'],
                                                    ia['prefixlen']),
                                        strict=False)
            if net.prefixlen < 32 and a in net and (
                    conn is None or net.prefixlen > conn[0].prefixlen):
                conn = (net, name)
    if conn and (best is None or conn[0].prefixlen >= best[0].prefixlen):
        net, name = conn
        return {'destination': str(net.network_address),
                'mask': str(net.netmask), 'gateway': None,
                'interface': name, 'flags': '<UP,DONE,PINNED>'}
    if best:
        net, r = best
        return {'destination': str(net.network_address),
                'mask': str(net.netmask) if net.prefixlen < 32 else None,
                'gateway': r.get('gateway'), 'interface': r.get('interface'),
                'flags': '<UP,GATEWAY,DONE,STATIC>'}
    return lookup_route(stack, 'default')


def run_route(st, args, jail=None):
    """Run `route ARGS` in the stack of JAIL; (status, stdout, stderr)."""
    out = []
    err = []
    try:
        code = _route(st, args, jail, out, err)
    except NetError as e:
        return e.code, ''.join(out), ''.join(err) + 'route: %s\n' % e.msg
    return code, ''.join(out), ''.join(err)


def _route(st, args, jail, out, err):
    i = 0
    numeric = False
    while i < len(args) and args[i].startswith('-') and len(args[i]) > 1:
        a = args[i]
        if a == '-j':
            if i + 1 >= len(args):
                raise NetError('option requires an argument -- j\n'
                               + _route_usage())
            jname, _ = find_jail(st, args[i + 1])
            if jname is None:
                raise NetError(jail_not_found(args[i + 1]))
            jail = jname
            i += 2
            continue
        for c in a[1:]:
            if c == 'n':
                numeric = True
            elif c in '4qv':
                pass
            elif c in '6dt':
                raise Unsupported('route -%s' % c)
            else:
                raise NetError('illegal option -- %s\n%s'
                               % (c, _route_usage()))
        i += 1
    rest = args[i:]
    if not rest:
        raise NetError(_route_usage())
    stack = Stack(st, jail)
    cmd = rest[0]
    rest = rest[1:]
    if cmd == 'get':
        return _route_get(stack, rest, out)
    if cmd in ('add', 'delete', 'change'):
        return _route_mod(stack, cmd, rest, out, err)
    if cmd in ('show',):
        return _route_get(stack, rest, out)
    raise Unsupported('route %s' % cmd)


def _route_dest(rest, allow_net=True):
    kind = None
    while rest and rest[0] in ('-net', '-host', '-inet'):
        if rest[0] != '-inet':
            kind = rest[0]
        rest = rest[1:]
    if not rest:
        raise NetError('destination required')
    return kind, rest[0], rest[1:]


def _route_get(stack, rest, out):
    kind, dest, rest = _route_dest(rest)
    if rest:
        raise Unsupported('route get with extra arguments')
    shown = dest
    if dest in ('default', '0.0.0.0', '0.0.0.0/0'):
        dest = 'default'
        shown = 'default'
    else:
        try:
            dest = str(ipaddress.IPv4Address(dest.split('/')[0]))
        except ValueError:
            raise NetError('%s: bad address' % dest)
        shown = dest
    r = lookup_route(stack, dest)
    if r is None:
        raise NetError('route has not been found')
    out.append('   route to: %s\n' % shown)
    out.append('destination: %s\n' % r['destination'])
    if r.get('mask'):
        out.append('       mask: %s\n' % r['mask'])
    if r.get('gateway'):
        out.append('    gateway: %s\n' % r['gateway'])
    out.append('        fib: 0\n')
    out.append('  interface: %s\n' % r['interface'])
    mtu = 1500
    rec = stack.ifaces.get(r['interface'])
    if rec is not None:
        mtu = rec.get('mtu', 1500)
    out.append('      flags: %s\n' % r['flags'])
    out.append(' recvpipe  sendpipe  ssthresh  rtt,msec    mtu        '
               'weight    expire\n')
    out.append('%8d  %8d  %8d  %8d  %8d  %8d  %8d \n'
               % (0, 0, 0, 0, mtu, 1, 0))
    return 0


def _route_mod(stack, cmd, rest, out, err):
    if stack.readonly:
        raise NetError('writing to routing socket: Operation not permitted')
    kind, dest, rest = _route_dest(rest)
    if dest in ('default', '0.0.0.0', '0.0.0.0/0'):
        key = 'default'
        shown = 'net default'
    else:
        d, _, plen = dest.partition('/')
        try:
            d = str(ipaddress.IPv4Address(d))
        except ValueError:
            raise NetError('%s: bad address' % dest)
        if rest[:1] == ['-netmask'] or rest[:1] == ['netmask']:
            plen = str(parse_netmask(rest[1]))
            rest = rest[2:]
        if kind == '-host' or (not plen and kind != '-net'):
            key = '%s/32' % d
            shown = 'host %s' % d
        else:
            key = '%s/%s' % (d, plen or '24')
            shown = 'net %s' % (dest if plen else d)
    gw = rest[0] if rest else None
    if len(rest) > 1:
        raise Unsupported('route %s modifiers %s' % (cmd, ' '.join(rest[1:])))
    existing = [r for r in stack.routes if r.get('destination') == key]
    if cmd == 'delete':
        if not existing:
            err.append('route: writing to routing socket: No such process\n')
            out.append('%s %s: not in table\n' % (cmd, shown))
            return 1
        stack.routes.remove(existing[0])
        out.append('%s %s: gateway %s\n' % (cmd, shown,
                                            existing[0].get('gateway')))
        return 0
    if gw is None:
        raise NetError('gateway required')
    try:
        gw = str(ipaddress.IPv4Address(gw))
    except ValueError:
        raise NetError('%s: bad address' % gw)
    ifname = onlink_iface(stack, gw)
    if ifname is None:
        err.append('route: writing to routing socket: Network is '
                   'unreachable\n')
        out.append('%s %s: gateway %s fib 0: Network is unreachable\n'
                   % (cmd, shown, gw))
        return 1
    if cmd == 'add' and existing:
        err.append('route: writing to routing socket: File exists\n')
        out.append('%s %s: gateway %s fib 0: route already in table\n'
                   % (cmd, shown, gw))
        return 1
    if cmd == 'change' and not existing:
        err.append('route: writing to routing socket: No such process\n')
        out.append('%s %s: gateway %s fib 0: not in table\n'
                   % (cmd, shown, gw))
        return 1
    for r in existing:
        stack.routes.remove(r)
    stack.routes.append({'family': 'inet', 'destination': key,
                         'gateway': gw, 'interface': ifname,
                         'flags': 'UGS'})
    out.append('%s %s: gateway %s\n' % (cmd, shown, gw))
    return 0


def route_is_display(args):
    return 'get' in args or 'show' in args


# ---------------------------------------------------------------------------
# entry points

def _emit(res):
    code, out, err = res
    if out:
        sys.stdout.write(out)
    sys.stdout.flush()
    if err:
        sys.stderr.write(err)
    return code


def _run_emit(run, display, args):
    """Run run(st, args) on the state (read-only when display(args)) and
    print what it gives.  Like the real tools, what a change applied
    before an error stays."""
    with core.state(readonly=display(args)) as st:
        res = run(st, args)
    return _emit(res)


@core.tool('ifconfig')
def ifconfig_main(argv):
    return _run_emit(run_ifconfig, is_display, argv[1:])


@core.tool('route')
def route_main(argv):
    return _run_emit(run_route, route_is_display, argv[1:])


# ---------------------------------------------------------------------------
# rc.d hooks for service(8): netif and routing (called by misc.py)

BIN_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))), 'bin')


def tool_bin():
    """The directory the simulated tools are run from: the fast client's
    when this call came through it (core.CLIENT_BIN, set by ../server),
    else bin/ (the python launcher)."""
    return getattr(core, 'CLIENT_BIN', None) or BIN_DIR


def tool_cmd(tool):
    """The argv prefix that runs the simulated TOOL."""
    if getattr(core, 'CLIENT_BIN', None):
        return [os.path.join(core.CLIENT_BIN, tool)]
    return [sys.executable, os.path.join(BIN_DIR, tool)]


def tool_path(path):
    """PATH (a string) with the simulated tools first and only once."""
    ours = {os.path.realpath(BIN_DIR), os.path.realpath(tool_bin())}
    parts = [p for p in path.split(':')
             if p and os.path.realpath(p) not in ours]
    return ':'.join([tool_bin()] + parts)


def run_tool(argv, capture=False, stdin=None):
    """Run the fakebsd tool ARGV[0] as a subprocess (the way an rc.d script
    runs it): logged, subject to FAKEBSD_FAIL.  Returns the exit status,
    or (status, stdout, stderr) when CAPTURE."""
    import subprocess
    env = dict(os.environ)
    env['PATH'] = tool_path(env.get('PATH', ''))
    env['JAILER_ROOT'] = core.ROOT
    sys.stdout.flush()
    sys.stderr.flush()
    cmd = tool_cmd(argv[0]) + list(argv[1:])
    if capture:
        r = subprocess.run(cmd, env=env, stdin=stdin, capture_output=True,
                           text=True)
        return r.returncode, r.stdout, r.stderr
    return subprocess.run(cmd, env=env, stdin=stdin).returncode


_rc_base = core.rc_base


def service_netif(cmd, args):
    """rc.d/netif [start|stop|restart] [IF ...]: cloned_interfaces and
    ifconfig_IF from rc.conf (run as ifconfig processes)."""
    base, _ = _rc_base(cmd)
    if base not in ('start', 'stop', 'restart'):
        core.unsupported('service netif %s' % cmd)
    rc = core.rc_vars()
    cloned = rc.get('cloned_interfaces', '').split()
    with core.state(readonly=True) as st:
        have = list(st.get('interfaces', {}))
    ifs = list(args)
    if not ifs:
        ifs = [n for n in have] + [c for c in cloned if c not in have]
    status = 0
    if base in ('stop', 'restart'):
        gone = []
        for i in ifs:
            if i in cloned and i in have:
                if run_tool(['ifconfig', i, 'destroy']) == 0:
                    gone.append(i)
            elif i in have and i != 'lo0':
                run_tool(['ifconfig', i, 'down'])
        if gone:
            print('Destroyed clone interfaces: %s.' % ' '.join(gone))
        with core.state(readonly=True) as st:
            have = list(st.get('interfaces', {}))
    if base in ('start', 'restart'):
        made = []
        for i in ifs:
            if i in cloned and i not in have:
                if run_tool(['ifconfig', i, 'create']) == 0:
                    made.append(i)
                else:
                    status = 1
        if made:
            print('Created clone interfaces: %s.' % ' '.join(made))
        for i in ifs:
            v = rc.get('ifconfig_' + i)
            if not v:
                continue
            words = [w for w in v.split() if w.upper() not in (
                'DHCP', 'SYNCDHCP', 'NOSYNCDHCP', 'NOAUTO')]
            if words and run_tool(['ifconfig', i] + words) != 0:
                status = 1
            n = 0
            while 'ifconfig_%s_alias%d' % (i, n) in rc:
                run_tool(['ifconfig', i] + rc['ifconfig_%s_alias%d'
                                             % (i, n)].split() + ['alias'])
                n += 1
            v6 = rc.get('ifconfig_%s_ipv6' % i, '').split()
            if v6 and run_tool(['ifconfig', i] + v6) != 0:
                status = 1
    return status


def service_routing(cmd, args):
    """rc.d/routing [start|stop|restart]: the default route from
    defaultrouter, IP forwarding from gateway_enable (route and sysctl
    processes)."""
    base, _ = _rc_base(cmd)
    if base not in ('start', 'stop', 'restart'):
        core.unsupported('service routing %s' % cmd)
    rc = core.rc_vars()
    gw = rc.get('defaultrouter', 'NO')
    if base in ('stop', 'restart'):
        with core.state(readonly=True) as st:
            has = any(r.get('destination') == 'default'
                      for r in st.get('routes', []))
        if has:
            run_tool(['route', '-n', 'delete', 'default'])
    status = 0
    if base in ('start', 'restart') and gw.upper() != 'NO':
        status = run_tool(['route', 'add', 'default', gw])
    if base in ('start', 'restart'):
        # options_inet: IP forwarding is what gateway_enable says
        on = rc.get('gateway_enable', 'NO').lower() in ('yes', 'true', 'on',
                                                       '1')
        if on:
            print('Additional inet routing options: gateway=YES.')
        run_tool(['sysctl', 'net.inet.ip.forwarding=%d' % on], capture=True)
    return status
