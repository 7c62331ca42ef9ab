"""fakebsd.zfs: simulated zfs(8) and zpool(8).

State (see README.md, "state.json"):

  st['pools'][POOL]      {'guid', 'size', 'health', 'altroot'}
  st['datasets'][NAME]   {'type': 'filesystem', 'guid', 'createtxg',
                          'creation', 'props': {local props; None marks an
                          explicit 'zfs inherit' that hides a received
                          value}, 'received': {props from a stream},
                          'mounted': bool, 'origin': 'ds@snap' or None}
  st['snapshots'][DS@S]  {'guid', 'createtxg', 'creation', 'props': {user
                          props}, 'referenced': bytes}

Files: a mounted dataset's files are the directory at its mountpoint under
JAILER_ROOT; an unmounted one keeps them in .fakebsd/data/GUID; what a
mount hid (files that were in the directory before) waits in
.fakebsd/under/GUID; a snapshot's files are in .fakebsd/snap/GUID.

Hook for jail.py: dataset_busy(st, name) below.
"""

import os
import sys
import time

from . import core

# ---------------------------------------------------------------------------
# hooks


def dataset_busy(st, name, force=False):
    """True when dataset NAME cannot be unmounted because something (a
    running jail whose path or mounts lie on its mountpoint) uses it.

    The zfs tool runs in its own process, so the jail module cannot patch
    this function: instead, when the state has jails or mounts, it asks
    fakebsd.jail.dataset_busy_paths(st, name) (a list of the simulated
    paths that keep NAME busy) if that module and function exist.
    Called with the state loaded (under the lock) before `zfs destroy`,
    `zfs unmount`, `zfs rename` and mountpoint changes unmount NAME.
    FORCE (zfs destroy -f, zfs unmount -f): a jail's root alone no longer
    keeps the dataset busy (unmount(MNT_FORCE)); mounts inside it still do.
    """
    if not st.get('jails') and not st.get('mounts'):
        return False
    try:
        from . import jail
    except ImportError:
        return False
    f = getattr(jail, 'dataset_busy_paths', None)
    if f is None:
        return False
    paths = f(st, name)
    if force:
        roots = set(j.get('path') for j in st.get('jails', {}).values()
                    if isinstance(j, dict))
        paths = [p for p in paths if p not in roots]
    return bool(paths)


# ---------------------------------------------------------------------------
# usage and errors

USAGE = {
    'create': '\tcreate [-Pnpuv] [-o property=value] ... <filesystem>\n'
              '\tcreate [-Pnpsv] [-b blocksize] [-o property=value] ... '
              '-V <size> <volume>\n',
    'destroy': '\tdestroy [-fnpRrv] <filesystem|volume>\n'
               '\tdestroy [-dnpRrv] <filesystem|volume>@<snap>'
               '[%<snap>][,...]\n'
               '\tdestroy <filesystem|volume>#<bookmark>\n',
    'snapshot': '\tsnapshot [-r] [-o property=value] ... '
                '<filesystem|volume>@<snap> ...\n',
    'rollback': '\trollback [-rRf] <snapshot>\n',
    'clone': '\tclone [-p] [-o property=value] ... <snapshot> '
             '<filesystem|volume>\n',
    'promote': '\tpromote <clone-filesystem>\n',
    'jail': '\tjail <jailid|jailname> <filesystem>\n',
    'unjail': '\tunjail <jailid|jailname> <filesystem>\n',
    'rename': '\trename [-f] <filesystem|volume|snapshot> '
              '<filesystem|volume|snapshot>\n'
              '\trename -p [-f] <filesystem|volume> <filesystem|volume>\n'
              '\trename -u [-f] <filesystem> <filesystem>\n'
              '\trename -r <snapshot> <snapshot>\n',
    'list': '\tlist [-Hp] [-r|-d max] [-o property[,...]] '
            '[-s property]...\n'
            '\t    [-S property]... [-t type[,...]] '
            '[filesystem|volume|snapshot] ...\n',
    'set': '\tset [-u] <property=value> ... '
           '<filesystem|volume|snapshot> ...\n',
    'get': '\tget [-rHp] [-d max] [-o "all" | field[,...]]\n'
           '\t    [-t type[,...]] [-s source[,...]]\n'
           '\t    <"all" | property[,...]> '
           '[filesystem|volume|snapshot|bookmark] ...\n',
    'inherit': '\tinherit [-rS] <property> '
               '<filesystem|volume|snapshot> ...\n',
    'send': '\tsend [-DLPbcehnpsVvw] [-i|-I snapshot]\n'
            '\t     [-R [-X dataset[#snapshot][,dataset[#snapshot]]...]] '
            '<snapshot>\n'
            '\tsend [-DnVvPLecw] [-i snapshot|bookmark] '
            '<filesystem|volume|snapshot>\n',
    'receive': '\treceive [-vMnsFhu] [-o <property>=<value>] ... '
               '[-x <property>] ...\n'
               '\t    <filesystem|volume|snapshot>\n'
               '\treceive [-vMnsFhu] [-o <property>=<value>] ... '
               '[-x <property>] ... \n'
               '\t    [-d | -e] <filesystem>\n'
               '\treceive -A <filesystem|volume>\n',
    'mount': '\tmount\n'
             '\tmount [-flvO] [-o opts] <-a|-R filesystem|filesystem>\n',
    'unmount': '\tunmount [-fu] <-a | filesystem|mountpoint>\n',
}
USAGE['snap'] = USAGE['snapshot']
USAGE['recv'] = USAGE['receive']
USAGE['umount'] = USAGE['unmount']

ZPOOL_USAGE = {
    'list': '\tlist [-gHLpPv] [-o property[,...]] [-T d|u] [pool] ... \n'
            '\t    [interval [count]]\n',
}

CMD = None          # current subcommand (for usage)


def usage(code=2):
    if core.TOOL == 'zpool':
        text = ZPOOL_USAGE.get(CMD, '')
    else:
        text = USAGE.get(CMD, '')
    msg = 'usage:\n' + text
    if core.TOOL == 'zfs':
        msg += ('\nFor the property list, run: zfs set|get\n'
                '\nFor the delegated permission list, run: zfs allow|unallow\n')
    sys.stderr.write(msg)
    sys.exit(code)


def _opterr(kind, c):
    if kind == 'invalid':
        sys.stderr.write("invalid option '%s'\n" % c)
    else:
        sys.stderr.write("missing argument for '%s' option\n" % c)
    usage()


def getopt(args, optstring):
    return core.getopt(args, optstring, _opterr)


def getopts(args, optstring):
    """core.getopts with zfs's messages: (core.Opts, rest)."""
    return core.getopts(args, optstring, _opterr)


def parse_depth(v):
    """The value of -d (list, get): a depth, or a usage error."""
    if not v.isdigit():
        err_usage("invalid depth '%s'" % v)
    return int(v)


def err_usage(msg):
    sys.stderr.write(msg + '\n')
    usage()


def one_arg(args, what):
    """The one operand of a subcommand (usage error when there are none
    or more): what names it in the message."""
    if not args:
        err_usage('missing %s argument' % what)
    if len(args) > 1:
        err_usage('too many arguments')
    return args[0]


die = core.die


# ---------------------------------------------------------------------------
# names

_VALID = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
             '0123456789_.:- ')
_VALID.discard(' ')


def name_problem(name, kind='fs'):
    """Why NAME is not a valid dataset (kind 'fs'), snapshot ('snap') or
    either ('any') name, in the words of libzfs; None when valid."""
    if len(name) >= 256:
        return 'name is too long'
    if name == '':
        return 'name is too short'
    if name.startswith('/'):
        return 'leading slash in name'
    for c in name:
        if c not in _VALID and c not in '/@#':
            return "invalid character '%s' in name" % c
    if name.count('@') + name.count('#') > 1:
        return "multiple '@' and/or '#' delimiters in name"
    if '#' in name:
        return "invalid character '#' in name"
    base, at, snap = name.partition('@')
    if at and snap == '':
        return "empty component or misplaced '@' or '#' delimiter in name"
    if at and '/' in snap:
        return "empty component or misplaced '@' or '#' delimiter in name"
    comps = base.split('/')
    for i, c in enumerate(comps):
        if c == '':
            if i == len(comps) - 1 and not at:
                return 'trailing slash in name'
            return ("empty component or misplaced '@' or '#' "
                    "delimiter in name")
        if c == '.':
            return "self reference, '.' is found in name"
        if c == '..':
            return "parent reference, '..' is found in name"
    if snap in ('.', '..'):
        return "self reference, '.' is found in name"
    if not comps[0][0].isalpha():
        return "pool doesn't begin with a letter"
    if kind == 'fs' and at:
        return "snapshot delimiter '@' is not expected here"
    if kind == 'snap' and not at:
        return "missing '@' delimiter in snapshot name"
    return None


def parent(name):
    return name.rsplit('/', 1)[0] if '/' in name else None


def pool_of(name):
    return name.split('@')[0].split('/')[0]


def depth(name):
    return name.split('@')[0].count('/')


def ds_of(snap):
    return snap.split('@')[0]


# ---------------------------------------------------------------------------
# properties

ON_OFF = ('on', 'off')
COMPRESS = tuple(['on', 'off', 'lzjb', 'lz4', 'zle', 'gzip', 'zstd',
                  'zstd-fast'] + ['gzip-%d' % i for i in range(1, 10)] +
                 ['zstd-%d' % i for i in range(1, 20)] +
                 ['zstd-fast-%d' % i for i in list(range(1, 11)) +
                  [20, 30, 40, 50, 60, 70, 80, 90, 100, 500, 1000]])

# name: (column, kind, default, inheritable, values)
#   kind: 'ro' read-only string, 'ronum' read-only size/number,
#         'str' settable string, 'idx' settable with fixed VALUES,
#         'size' settable size ('none' = 0 when NONE is allowed),
#         'mp' mountpoint, 'once' only settable at create time
PROPS = {
    'type': ('TYPE', 'ro', None, False, None),
    'creation': ('CREATION', 'ro', None, False, None),
    'used': ('USED', 'ronum', None, False, None),
    'available': ('AVAIL', 'ronum', None, False, None),
    'referenced': ('REFER', 'ronum', None, False, None),
    'compressratio': ('RATIO', 'ro', None, False, None),
    'mounted': ('MOUNTED', 'ro', None, False, None),
    'quota': ('QUOTA', 'size', 0, False, None),
    'reservation': ('RESERV', 'size', 0, False, None),
    'recordsize': ('RECSIZE', 'size', 131072, True, None),
    'mountpoint': ('MOUNTPOINT', 'mp', None, True, None),
    'sharenfs': ('SHARENFS', 'str', 'off', True, None),
    'checksum': ('CHECKSUM', 'idx', 'on', True,
                 ('on', 'off', 'fletcher2', 'fletcher4', 'sha256', 'noparity',
                  'sha512', 'skein', 'edonr', 'blake3')),
    'compression': ('COMPRESS', 'idx', 'on', True, COMPRESS),
    'atime': ('ATIME', 'idx', 'on', True, ON_OFF),
    'devices': ('DEVICES', 'idx', 'on', True, ON_OFF),
    'exec': ('EXEC', 'idx', 'on', True, ON_OFF),
    'setuid': ('SETUID', 'idx', 'on', True, ON_OFF),
    'readonly': ('RDONLY', 'idx', 'off', True, ON_OFF),
    'jailed': ('JAILED', 'idx', 'off', True, ON_OFF),
    'snapdir': ('SNAPDIR', 'idx', 'hidden', True,
                ('hidden', 'visible', 'disabled')),
    'aclmode': ('ACLMODE', 'idx', 'discard', True,
                ('discard', 'groupmask', 'passthrough', 'restricted')),
    'aclinherit': ('ACLINHERIT', 'idx', 'restricted', True,
                   ('discard', 'noallow', 'restricted', 'passthrough',
                    'passthrough-x')),
    'createtxg': ('CREATETXG', 'ronum', None, False, None),
    'canmount': ('CANMOUNT', 'idx', 'on', False, ('on', 'off', 'noauto')),
    'xattr': ('XATTR', 'idx', 'on', True, ('on', 'off', 'sa', 'dir')),
    'copies': ('COPIES', 'idx', '1', True, ('1', '2', '3')),
    'version': ('VERSION', 'ro', None, False, None),
    'utf8only': ('UTF8ONLY', 'once', 'off', False, ON_OFF),
    'normalization': ('NORMALIZATION', 'once', 'none', False,
                      ('none', 'formC', 'formD', 'formKC', 'formKD')),
    'casesensitivity': ('CASE', 'once', 'sensitive', False,
                        ('sensitive', 'insensitive', 'mixed')),
    'vscan': ('VSCAN', 'idx', 'off', True, ON_OFF),
    'nbmand': ('NBMAND', 'idx', 'off', True, ON_OFF),
    'sharesmb': ('SHARESMB', 'str', 'off', True, None),
    'refquota': ('REFQUOTA', 'size', 0, False, None),
    'refreservation': ('REFRESERV', 'size', 0, False, None),
    'guid': ('GUID', 'ronum', None, False, None),
    'primarycache': ('PRIMARYCACHE', 'idx', 'all', True,
                     ('all', 'none', 'metadata')),
    'secondarycache': ('SECONDARYCACHE', 'idx', 'all', True,
                       ('all', 'none', 'metadata')),
    'usedbysnapshots': ('USEDSNAP', 'ronum', None, False, None),
    'usedbydataset': ('USEDDS', 'ronum', None, False, None),
    'usedbychildren': ('USEDCHILD', 'ronum', None, False, None),
    'usedbyrefreservation': ('USEDREFRESERV', 'ronum', None, False, None),
    'logbias': ('LOGBIAS', 'idx', 'latency', True, ('latency', 'throughput')),
    'objsetid': ('OBJSETID', 'ronum', None, False, None),
    'dedup': ('DEDUP', 'idx', 'off', True,
              ('on', 'off', 'verify', 'sha256', 'sha256,verify', 'sha512',
               'skein', 'edonr', 'blake3')),
    'sync': ('SYNC', 'idx', 'standard', True,
             ('standard', 'always', 'disabled')),
    'dnodesize': ('DNSIZE', 'idx', 'legacy', True,
                  ('legacy', 'auto', '1k', '2k', '4k', '8k', '16k')),
    'refcompressratio': ('REFRATIO', 'ro', None, False, None),
    'written': ('WRITTEN', 'ronum', None, False, None),
    'logicalused': ('LUSED', 'ronum', None, False, None),
    'logicalreferenced': ('LREFER', 'ronum', None, False, None),
    'volmode': ('VOLMODE', 'idx', 'default', True,
                ('default', 'full', 'geom', 'dev', 'none')),
    'filesystem_limit': ('FSLIMIT', 'size', 0, False, None),
    'snapshot_limit': ('SSLIMIT', 'size', 0, False, None),
    'filesystem_count': ('FSCOUNT', 'ronum', None, False, None),
    'snapshot_count': ('SSCOUNT', 'ronum', None, False, None),
    'acltype': ('ACLTYPE', 'idx', 'nfsv4', True,
                ('off', 'nfsv4', 'posix', 'noacl', 'posixacl')),
    'redundant_metadata': ('REDUND_MD', 'idx', 'all', True,
                           ('all', 'most', 'some', 'none')),
    'overlay': ('OVERLAY', 'idx', 'on', True, ON_OFF),
    'encryption': ('ENCRYPTION', 'once', 'off', False,
                   ('off', 'on', 'aes-128-ccm', 'aes-192-ccm', 'aes-256-ccm',
                    'aes-128-gcm', 'aes-192-gcm', 'aes-256-gcm')),
    'keylocation': ('KEYLOCATION', 'ro', None, False, None),
    'keyformat': ('KEYFORMAT', 'ro', None, False, None),
    'special_small_blocks': ('SPECIAL_SMALL_BLOCKS', 'size', 0, True, None),
    'prefetch': ('PREFETCH', 'idx', 'all', True, ('all', 'none', 'metadata')),
}

ALIASES = {'avail': 'available', 'refer': 'referenced',
           'compress': 'compression', 'rdonly': 'readonly',
           'ratio': 'compressratio', 'refratio': 'refcompressratio',
           'recsize': 'recordsize', 'reserv': 'reservation',
           'refreserv': 'refreservation', 'lused': 'logicalused',
           'lrefer': 'logicalreferenced', 'dnsize': 'dnodesize',
           'usedsnap': 'usedbysnapshots', 'usedds': 'usedbydataset',
           'usedchild': 'usedbychildren', 'usedrefreserv':
           'usedbyrefreservation'}

# the order of `zfs get all`
ALL_ORDER = ['type', 'creation', 'used', 'available', 'referenced',
             'compressratio', 'mounted', 'origin', 'quota', 'reservation',
             'recordsize', 'mountpoint', 'sharenfs', 'checksum',
             'compression', 'atime', 'devices', 'exec', 'setuid', 'readonly',
             'jailed', 'snapdir', 'aclmode', 'aclinherit', 'createtxg',
             'canmount', 'xattr', 'copies', 'version', 'utf8only',
             'normalization', 'casesensitivity', 'vscan', 'nbmand',
             'sharesmb', 'refquota', 'refreservation', 'guid',
             'primarycache', 'secondarycache', 'usedbysnapshots',
             'usedbydataset', 'usedbychildren', 'usedbyrefreservation',
             'logbias', 'objsetid', 'dedup', 'sync', 'dnodesize',
             'refcompressratio', 'written', 'logicalused',
             'logicalreferenced', 'volmode', 'filesystem_limit',
             'snapshot_limit', 'filesystem_count', 'snapshot_count',
             'acltype', 'redundant_metadata', 'overlay', 'encryption',
             'keylocation', 'keyformat', 'special_small_blocks', 'prefetch']
PROPS['origin'] = ('ORIGIN', 'ro', None, False, None)

# properties that apply to snapshots
SNAP_PROPS = {'type', 'creation', 'used', 'referenced', 'compressratio',
              'createtxg', 'guid', 'version', 'utf8only', 'normalization',
              'casesensitivity', 'refcompressratio', 'written',
              'logicalreferenced', 'objsetid', 'defer_destroy', 'userrefs',
              'devices', 'exec', 'setuid', 'xattr', 'nbmand', 'acltype',
              'encryption', 'keylocation', 'keyformat', 'mlslabel'}

RIGHT = {'used', 'available', 'referenced', 'compressratio', 'quota',
         'reservation', 'recordsize', 'refquota', 'refreservation',
         'usedbysnapshots', 'usedbydataset', 'usedbychildren',
         'usedbyrefreservation', 'refcompressratio', 'written',
         'logicalused', 'logicalreferenced', 'filesystem_limit',
         'snapshot_limit', 'filesystem_count', 'snapshot_count', 'copies',
         'createtxg', 'guid', 'objsetid', 'special_small_blocks'}


def is_user_prop(p):
    if ':' not in p or len(p) > 256 or p.startswith('-'):
        return False
    return all(c in 'abcdefghijklmnopqrstuvwxyz0123456789:-._' for c in p)


def canon_prop(p):
    """Canonical property name, or None when P is not a property."""
    p = ALIASES.get(p, p)
    if p in PROPS or p == 'name' or is_user_prop(p):
        return p
    return None


def parse_size(v):
    """'10G', '1.5m', '512' -> bytes; None when invalid."""
    import re
    m = re.match(r'^([0-9]+(?:\.[0-9]*)?)\s*([bkmgtpez]?)b?$', v.lower())
    if not m:
        return None
    n = float(m.group(1))
    mult = 1024 ** ('bkmgtpez'.index(m.group(2)) if m.group(2) else 0)
    return int(n * mult)


def nicenum(n):
    """zfs_nicenum(): 96K, 1.50M, 99.5G, 0B."""
    n = int(n)
    if n < 1024:
        return '%dB' % n
    units = 'BKMGTPE'
    i = 0
    v = n
    while v >= 1024 and i < 6:
        v //= 1024
        i += 1
    div = 1024 ** i
    if n % div == 0:
        return '%d%s' % (n // div, units[i])
    for prec in (2, 1, 0):
        s = '%.*f%s' % (prec, n / div, units[i])
        if len(s) <= 5:
            return s
    return '%.0f%s' % (n / div, units[i])


def validate_value(prop, val, at_create=False):
    """Normalised value to store for PROP=VAL, or an error string (the
    part after "cannot set property for 'X': ")."""
    if is_user_prop(prop):
        if len(val) > 8191:
            return ValueError('property value too long')
        return val
    col, kind, default, inh, values = PROPS[prop]
    if kind in ('ro', 'ronum') or (kind == 'once' and not at_create):
        return ValueError("'%s' is readonly" % prop)
    if kind == 'mp':
        if val in ('none', 'legacy'):
            return val
        if not val.startswith('/'):
            return ValueError("'mountpoint' must be an absolute path, "
                              "'none', or 'legacy'")
        comps = [c for c in val.split('/') if c]
        return '/' + '/'.join(comps)
    if kind in ('idx', 'once'):
        if val not in values:
            return ValueError("'%s' must be one of '%s'"
                              % (prop, ' | '.join(values)))
        return val
    if kind == 'size':
        if val == 'none':
            return 0
        n = parse_size(val)
        if n is None:
            return ValueError("bad numeric value '%s'" % val)
        if prop == 'recordsize' and (n < 512 or n > (16 << 20) or
                                     n & (n - 1)):
            return ValueError("'recordsize' must be power of 2 from 512B "
                              "to 16M")
        return n
    return val


# ---------------------------------------------------------------------------
# property lookup

def _walk(st, name, prop):
    """(value, source) of an inheritable/settable property of dataset
    NAME; value None means 'not set anywhere'."""
    inh = is_user_prop(prop) or PROPS[prop][3]
    node = name
    first = True
    dsets = st['datasets']
    while node is not None:
        d = dsets[node]
        if prop in d['props']:
            v = d['props'][prop]
            if v is not None:
                return v, node, ('local' if first else
                                 'inherited from %s' % node)
        elif prop in d.get('received', {}):
            return d['received'][prop], node, (
                'received' if first else 'inherited from %s' % node)
        if not inh:
            break
        node = parent(node)
        first = False
    return None, None, 'default'


def mountpoint(st, name):
    """(mountpoint value, source) of dataset NAME: a path, 'none' or
    'legacy'."""
    v, at, src = _walk(st, name, 'mountpoint')
    if v is None:
        return '/' + name, 'default'
    if v in ('none', 'legacy'):
        return v, src
    rel = name[len(at) + 1:] if name != at else ''
    if rel:
        v = (v.rstrip('/') + '/' + rel)
    return v, src


def canmount(st, name):
    v = st['datasets'][name]['props'].get('canmount')
    if v is None:
        v = st['datasets'][name].get('received', {}).get('canmount')
    return v or 'on'


def mountable(st, name):
    mp, _ = mountpoint(st, name)
    return mp not in ('none', 'legacy') and canmount(st, name) != 'off'


def tree_size(real):
    """Bytes used by the files under REAL (regular files' sizes)."""
    total = 0
    for dp, dns, fns in os.walk(real):
        for f in fns:
            try:
                st = os.lstat(os.path.join(dp, f))
            except OSError:
                continue
            total += st.st_size
    return total


BASE_SIZE = 98304        # an empty file system: 96K


class Sizes(object):
    """Lazy size computation (walks dataset directories)."""

    def __init__(self, st):
        self.st = st
        self.ref = {}
        self.used = {}
        self.kids = None

    def referenced(self, name):
        if name not in self.ref:
            if '@' in name:
                s = self.st['snapshots'][name]
                r = s.get('referenced')
                if r is None:
                    r = BASE_SIZE + tree_size(core.fb_path('snap',
                                                           str(s['guid'])))
                self.ref[name] = r
            else:
                self.ref[name] = BASE_SIZE + tree_size_own(self.st, name)
        return self.ref[name]

    def used_(self, name):
        if '@' in name:
            return 0
        if name not in self.used:
            if self.kids is None:
                self.kids = children_index(self.st)
            u = self.referenced(name)
            for c in self.kids.get(name, []):
                u += self.used_(c)
            self.used[name] = u
        return self.used[name]

    def available(self, name):
        pool = pool_of(name)
        size = self.st['pools'].get(pool, {}).get('size', 100 << 30)
        if pool in self.st['datasets']:
            return max(0, size - self.used_(pool))
        return size


def tree_size_own(st, name):
    real = ds_dir(st, name)
    if not os.path.isdir(real):
        return 0
    prune = nested_mounts(st, name)
    if not prune:
        return tree_size(real)
    total = 0
    for dp, dns, fns in os.walk(real):
        dns[:] = [d for d in dns if os.path.join(dp, d) not in prune]
        for f in fns:
            try:
                total += os.lstat(os.path.join(dp, f)).st_size
            except OSError:
                pass
    return total


def get_prop(st, name, prop, sizes, parsable=False):
    """(display value, source) of PROP for dataset/snapshot NAME."""
    issnap = '@' in name
    obj = st['snapshots'][name] if issnap else st['datasets'][name]
    if prop == 'name':
        return name, '-'
    if is_user_prop(prop):
        if issnap:
            if prop in obj.get('props', {}):
                return obj['props'][prop], 'local'
            v, at, src = _walk(st, ds_of(name), prop)
            if v is None:
                return '-', '-'
            return v, 'inherited from %s' % at
        v, at, src = _walk(st, name, prop)
        if v is None:
            return '-', '-'
        return v, src
    if issnap and prop not in SNAP_PROPS:
        return '-', '-'
    kind = PROPS[prop][1]
    if prop == 'type':
        return ('snapshot' if issnap else 'filesystem'), '-'
    if prop == 'creation':
        t = obj['creation']
        if parsable:
            return str(t), '-'
        return time.strftime('%a %b %e %H:%M %Y', time.localtime(t)), '-'
    if prop in ('used', 'referenced', 'available', 'usedbydataset',
                'usedbysnapshots', 'usedbychildren', 'usedbyrefreservation',
                'written', 'logicalused', 'logicalreferenced'):
        if prop == 'used':
            n = sizes.used_(name)
        elif prop == 'available':
            n = sizes.available(name)
        elif prop in ('referenced', 'logicalreferenced', 'usedbydataset'):
            n = sizes.referenced(name)
        elif prop == 'logicalused':
            n = sizes.used_(name)
        elif prop == 'usedbychildren':
            n = sizes.used_(name) - sizes.referenced(name)
        elif prop == 'written':
            n = 0 if issnap else sizes.referenced(name)
        else:
            n = 0
        return (str(n) if parsable else nicenum(n)), '-'
    if prop in ('compressratio', 'refcompressratio'):
        return ('1.00' if parsable else '1.00x'), '-'
    if prop == 'mounted':
        return ('yes' if obj.get('mounted') else 'no'), '-'
    if prop == 'origin':
        return (obj.get('origin') or '-'), '-'
    if prop in ('createtxg', 'guid', 'objsetid'):
        return str(obj['createtxg'] if prop == 'createtxg' else
                   obj['guid']), '-'
    if prop == 'version':
        return '5', '-'
    if prop in ('filesystem_count', 'snapshot_count'):
        return ('-' if not parsable else '18446744073709551615'), '-'
    if prop in ('keylocation', 'keyformat'):
        return 'none', 'default'
    if prop == 'mountpoint':
        mp, src = mountpoint(st, name)
        return mp, src
    base = ds_of(name)
    if kind == 'once':
        v, at, src = _walk(st, base, prop)
        return (PROPS[prop][2] if v is None else v), '-'
    v, at, src = _walk(st, base, prop)
    if issnap and v is not None and at is not None:
        src = 'inherited from %s' % at
    if v is None:
        v = PROPS[prop][2]
    if kind == 'size':
        if v == 0 and prop not in ('recordsize', 'special_small_blocks'):
            return ('0' if parsable else 'none'), src
        return (str(v) if parsable else nicenum(v)), src
    return str(v), src


# ---------------------------------------------------------------------------
# file handling: mount, unmount, copies

def guid_of(st, name):
    o = st['snapshots'][name] if '@' in name else st['datasets'][name]
    return str(o['guid'])


def data_dir(st, name):
    return core.fb_path('data', guid_of(st, name))


def mp_real(st, name):
    mp, _ = mountpoint(st, name)
    return core.host_path(mp)


def ds_dir(st, name):
    """Real directory holding the files of dataset NAME right now."""
    if st['datasets'][name].get('mounted'):
        return mp_real(st, name)
    return data_dir(st, name)


def _under(a, b):
    return a != b and a.startswith(b.rstrip('/') + '/')


# An index of the mounted datasets by (simulated) mountpoint, rebuilt
# after anything that mounts, unmounts, renames or moves datasets (touch()).
_GEN = [0]
_IDX = {'gen': -1, 'st': None, 'keys': [], 'names': []}


def touch():
    """Invalidate the mount index (call after mount-related changes)."""
    _GEN[0] += 1


def _mount_index(st):
    if _IDX['gen'] != _GEN[0] or _IDX['st'] is not st:
        lst = sorted((mountpoint(st, n)[0], n)
                     for n, d in st['datasets'].items() if d.get('mounted'))
        _IDX.update(gen=_GEN[0], st=st, keys=[x[0] for x in lst],
                    names=[x[1] for x in lst])
    return _IDX


def mounted_under(st, mp):
    """Names of mounted datasets whose mountpoint lies strictly under the
    simulated path MP."""
    import bisect
    idx = _mount_index(st)
    pre = mp.rstrip('/') + '/'
    keys = idx['keys']
    i = bisect.bisect_left(keys, pre)
    out = []
    while i < len(keys) and keys[i].startswith(pre):
        out.append(idx['names'][i])
        i += 1
    return out


def nested_mounts(st, name, exclude=()):
    """Real mountpoints of mounted datasets (other than NAME and EXCLUDE)
    that lie under the mountpoint of NAME."""
    if not st['datasets'][name].get('mounted'):
        return set()
    exclude = set(exclude)
    return set(mp_real(st, o)
               for o in mounted_under(st, mountpoint(st, name)[0])
               if o != name and o not in exclude)


def _move_entries(src, dst):
    os.makedirs(dst, exist_ok=True)
    for e in os.listdir(src):
        os.rename(os.path.join(src, e), os.path.join(dst, e))


def _clear(real):
    import shutil
    for e in os.listdir(real):
        p = os.path.join(real, e)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)


def rmtree(real):
    import shutil
    if os.path.lexists(real):
        if os.path.isdir(real) and not os.path.islink(real):
            shutil.rmtree(real)
        else:
            os.unlink(real)


def do_mount(st, name):
    """Mount dataset NAME: its files appear at its mountpoint; what the
    directory held before is hidden in .fakebsd/under/GUID."""
    d = st['datasets'][name]
    if d.get('mounted'):
        return True
    real = mp_real(st, name)
    mp = mountpoint(st, name)[0]
    why = None
    if mounted_under(st, mp) or mp in _mount_index(st)['keys']:
        why = 'mountpoint or dataset is busy'
    elif os.path.lexists(real) and not os.path.isdir(real):
        why = 'Not a directory'
    if why:
        # like zfs: report, leave the dataset unmounted, carry on (the
        # command then exits 1); the state stays consistent with the disk
        sys.stderr.write("cannot mount '%s': %s\n" % (mp, why))
        MOUNT_FAILED[0] = True
        os.makedirs(data_dir(st, name), exist_ok=True)
        return False
    os.makedirs(real, exist_ok=True)
    if os.listdir(real):
        under = core.fb_path('under', guid_of(st, name))
        _move_entries(real, under)
    src = data_dir(st, name)
    if os.path.isdir(src):
        _move_entries(src, real)
        os.rmdir(src)
    d['mounted'] = True
    touch()
    return True


MOUNT_FAILED = [False]


def busy_check(st, name, exclude=(), force=False):
    """Die like unmount(2) when NAME cannot be unmounted."""
    d = st['datasets'][name]
    if not d.get('mounted'):
        return
    if dataset_busy(st, name, force) or nested_mounts(st, name, exclude):
        die("cannot unmount '%s': pool or dataset is busy"
            % mountpoint(st, name)[0])


def do_unmount(st, name, discard=False):
    """Unmount NAME: its files move to .fakebsd/data/GUID (or are removed
    when DISCARD), hidden files come back, and the mountpoint directory
    is removed when empty and not set locally (like libzfs)."""
    d = st['datasets'][name]
    if not d.get('mounted'):
        if discard:
            rmtree(data_dir(st, name))
        return
    real = mp_real(st, name)
    if os.path.isdir(real):
        if discard:
            _clear(real)
        else:
            _move_entries(real, data_dir(st, name))
    elif not discard:
        os.makedirs(data_dir(st, name), exist_ok=True)
    under = core.fb_path('under', guid_of(st, name))
    if os.path.isdir(under):
        _move_entries(under, real)
        os.rmdir(under)
    d['mounted'] = False
    touch()
    _, src = mountpoint(st, name)
    if src == 'default' or src.startswith('inherited'):
        try:
            os.rmdir(real)
        except OSError:
            pass


def copy_tree(src, dst, prune=()):
    """Copy the tree SRC to DST (created): regular files, dirs, symlinks
    with their modes; directories in PRUNE (real paths) are copied as
    empty directories; other file types are skipped."""
    import shutil
    os.makedirs(dst, exist_ok=True)
    try:
        shutil.copystat(src, dst)
    except OSError:
        pass
    for e in os.listdir(src):
        s = os.path.join(src, e)
        t = os.path.join(dst, e)
        if os.path.islink(s):
            os.symlink(os.readlink(s), t)
            try:
                m = os.lstat(s).st_mtime
                os.utime(t, (m, m), follow_symlinks=False)
            except OSError:
                pass
        elif os.path.isdir(s):
            if s in prune:
                os.mkdir(t)
                shutil.copystat(s, t)
            else:
                copy_tree(s, t, prune)
        elif os.path.isfile(s):
            shutil.copy2(s, t)
    try:
        shutil.copystat(src, dst)
    except OSError:
        pass


def replace_content(st, name, src):
    """Make the files of dataset NAME a copy of the tree SRC (rollback,
    receive): other datasets mounted inside are unmounted meanwhile."""
    real = ds_dir(st, name)
    inside = []
    if st['datasets'][name].get('mounted'):
        inside = [o for o in mounted_under(st, mountpoint(st, name)[0])
                  if o != name]
        inside.sort(key=lambda o: -mp_real(st, o).count('/'))
        for o in inside:
            do_unmount(st, o)
    if os.path.isdir(real):
        _clear(real)
    copy_tree(src, real)
    for o in reversed(inside):
        do_mount(st, o)


# ---------------------------------------------------------------------------
# state helpers

def new_guid(st):
    return core.next_counter(st, 'guid', 1000)


def new_txg(st):
    return core.next_counter(st, 'txg', 1)


def now():
    return int(time.time())


def must_exist(st, name, what='open'):
    if '@' in name:
        ok = name in st['snapshots']
    else:
        ok = name in st['datasets']
    if not ok:
        die("cannot %s '%s': dataset does not exist" % (what, name))


def check_name(name, kind, verb='open'):
    why = name_problem(name, kind)
    if why:
        die("cannot %s '%s': %s" % (verb, name, why))


def children_index(st):
    kids = {}
    for d in st['datasets']:
        p = parent(d)
        if p is not None:
            kids.setdefault(p, []).append(d)
    for v in kids.values():
        v.sort()
    return kids


def snaps_index(st):
    out = {}
    for s, o in st['snapshots'].items():
        out.setdefault(ds_of(s), []).append(s)
    for v in out.values():
        v.sort(key=lambda s: st['snapshots'][s]['createtxg'])
    return out


def snapshots_of(st, ds):
    return sorted([s for s in st['snapshots'] if ds_of(s) == ds],
                  key=lambda s: st['snapshots'][s]['createtxg'])


def clones_of(st, snap):
    return sorted(d for d, o in st['datasets'].items()
                  if o.get('origin') == snap)


def descendants(st, name):
    return sorted(d for d in st['datasets'] if d.startswith(name + '/'))


def zfs_sort_key(st):
    """Key implementing libzfs zfs_compare(): dataset part by strcmp,
    a filesystem before its snapshots, snapshots by createtxg."""
    def key(name):
        base, at, snap = name.partition('@')
        if not at:
            return (base.encode(), 0, 0)
        return (base.encode(), 1, st['snapshots'][name]['createtxg'])
    return key


def parse_o_props(pairs, verb, target, at_create=True):
    """-o prop=value list -> dict; dies on errors like zfs does."""
    props = {}
    for pv in pairs:
        if '=' not in pv:
            err_usage("missing '=' for property=value argument")
        p, _, v = pv.partition('=')
        cp = canon_prop(p)
        if cp is None or cp == 'name':
            die("cannot %s '%s': invalid property '%s'" % (verb, target, p))
        if cp in props:
            err_usage("property '%s' specified multiple times" % p)
        nv = validate_value(cp, v, at_create)
        if isinstance(nv, ValueError):
            die("cannot %s '%s': %s" % (verb, target, nv))
        props[cp] = nv
    return props


# ---------------------------------------------------------------------------
# zfs list / get output

def print_table(headers, rows, right, scripted):
    """Print like zfs list: -H: tab separated; else aligned columns, two
    spaces apart, numeric columns right-aligned, last column unpadded."""
    out = []
    if not rows:
        return
    if scripted:
        for r in rows:
            out.append('\t'.join(r))
    else:
        n = len(headers)
        w = [len(h) for h in headers]
        for r in rows:
            for i in range(n):
                w[i] = max(w[i], len(r[i]))

        def fmt(r):
            cells = []
            for i in range(n):
                if right[i]:
                    cells.append(r[i].rjust(w[i]))
                elif i == n - 1:
                    cells.append(r[i])
                else:
                    cells.append(r[i].ljust(w[i]))
            return '  '.join(cells)
        out.append(fmt(headers))
        for r in rows:
            out.append(fmt(r))
    if out:
        sys.stdout.write('\n'.join(out) + '\n')


TYPE_WORDS = {'filesystem': 'filesystem', 'fs': 'filesystem',
              'snapshot': 'snapshot', 'snap': 'snapshot',
              'volume': 'volume', 'vol': 'volume', 'bookmark': 'bookmark',
              'all': 'all'}


def parse_types(arg):
    types = set()
    for t in arg.split(','):
        w = TYPE_WORDS.get(t)
        if w is None:
            err_usage("invalid type '%s'" % t)
        if w == 'all':
            types |= {'filesystem', 'snapshot', 'volume', 'bookmark'}
        else:
            types.add(w)
    return types


def parse_proplist(arg, extra=()):
    out = []
    for p in arg.split(','):
        if p == 'space' and not extra:
            out += ['name', 'available', 'used', 'usedbysnapshots',
                    'usedbydataset', 'usedbyrefreservation', 'usedbychildren']
            continue
        if p in extra:
            out.append(p)
            continue
        cp = canon_prop(p)
        if cp is None:
            sys.stderr.write("bad property list: invalid property '%s'\n" % p)
            usage()
        out.append(cp)
    return out


def collect(st, args, types, recurse, maxdepth, verb='open'):
    """Names to list (zfs_for_each): ARGS (or all pools) with their
    descendants when RECURSE, limited to MAXDEPTH levels below each
    argument; only TYPES.  Returns (names, error_seen)."""
    kids = None
    snaps = None
    names = []
    seen = set()
    bad = False

    def add(n):
        if n not in seen:
            seen.add(n)
            names.append(n)

    def walk(n, lvl):
        nonlocal kids, snaps
        if kids is None:
            kids = children_index(st)
            snaps = snaps_index(st)
        if 'filesystem' in types:
            add(n)
        if maxdepth is not None and lvl >= maxdepth:
            return
        if 'snapshot' in types:
            for s in snaps.get(n, []):
                add(s)
        for c in kids.get(n, []):
            walk(c, lvl + 1)

    if not args:
        roots = sorted(d for d in st['datasets'] if '/' not in d)
        for r in roots:
            walk(r, 0)
        return names, False
    for a in args:
        why = name_problem(a, 'any')
        if why:
            sys.stderr.write("cannot %s '%s': %s\n" % (verb, a, why))
            bad = True
            continue
        if '@' in a:
            if a not in st['snapshots']:
                sys.stderr.write("cannot %s '%s': dataset does not exist\n"
                                 % (verb, a))
                bad = True
                continue
            add(a)
            continue
        if a not in st['datasets']:
            sys.stderr.write("cannot %s '%s': dataset does not exist\n"
                             % (verb, a))
            bad = True
            continue
        if recurse:
            walk(a, 0)
        else:
            add(a)
    return names, bad


def zfs_list(argv):
    opts, args = getopts(argv, 'Hprd:o:s:S:t:')
    scripted = 'H' in opts
    parsable = 'p' in opts
    recurse = 'r' in opts
    maxdepth = None
    fields = ['name', 'used', 'available', 'referenced', 'mountpoint']
    sorts = []
    types = None
    for c, v in opts:
        if c == 'd':
            recurse = True
            maxdepth = parse_depth(v)
        elif c == 'o':
            fields = parse_proplist(v)
        elif c in 'sS':
            cp = canon_prop(v)
            if cp is None:
                sys.stderr.write("invalid property '%s'\n" % v)
                usage()
            sorts.append((cp, c == 'S'))
        elif c == 't':
            types = parse_types(v)
    with core.state(readonly=True) as st:
        if types is None:
            types = {'filesystem', 'volume'}
            if any('@' in a for a in args):
                types.add('snapshot')
        if types == {'snapshot'} and args and not recurse:
            # `zfs list -t snapshot FS` lists the snapshots of FS
            recurse = True
            maxdepth = 1
        names, bad = collect(st, args, types, recurse, maxdepth, 'open')
        names = [n for n in names if ('@' in n and 'snapshot' in types) or
                 ('@' not in n and 'filesystem' in types)]
        key = zfs_sort_key(st)
        names.sort(key=key)
        sizes = Sizes(st)
        if sorts:
            for prop, desc in reversed(sorts):
                def sk(n, prop=prop):
                    v, _ = get_prop(st, n, prop, sizes, True)
                    try:
                        return (0, float(v), '')
                    except ValueError:
                        return (1 if v == '-' else 0, 0.0, v)
                names.sort(key=sk, reverse=desc)
        rows = []
        for n in names:
            rows.append([get_prop(st, n, f, sizes, parsable)[0]
                         for f in fields])
    headers = [f.upper() if f == 'name' else
               (PROPS[f][0] if f in PROPS else f.upper()) for f in fields]
    right = [f in RIGHT for f in fields]
    print_table(headers, rows, right, scripted)
    if not rows and not scripted and not bad:
        sys.stderr.write('no datasets available\n')
    return 1 if bad else 0


def zfs_get(argv):
    opts, args = getopts(argv, 'rHpd:o:t:s:')
    scripted = 'H' in opts
    parsable = 'p' in opts
    recurse = 'r' in opts
    maxdepth = None
    fields = ['name', 'property', 'value', 'source']
    types = {'filesystem', 'snapshot', 'volume'}
    sources = None
    for c, v in opts:
        if c == 'd':
            recurse = True
            maxdepth = parse_depth(v)
        elif c == 'o':
            if v == 'all':
                fields = ['name', 'property', 'value', 'received', 'source']
            else:
                fields = []
                for f in v.split(','):
                    if f not in ('name', 'property', 'value', 'received',
                                 'source'):
                        sys.stderr.write("invalid column name '%s'\n" % f)
                        usage()
                    fields.append(f)
        elif c == 't':
            types = parse_types(v)
        elif c == 's':
            sources = set()
            for s in v.split(','):
                if s not in ('local', 'default', 'inherited', 'temporary',
                             'received', 'none'):
                    sys.stderr.write("invalid source '%s'\n" % s)
                    usage()
                sources.add(s)
    if not args:
        err_usage('missing property argument')
    plist = args[0]
    targets = args[1:]
    props = None
    if plist != 'all':
        props = parse_proplist(plist, extra=('all',))
        if 'all' in props:
            props = None
    with core.state(readonly=True) as st:
        names, bad = collect(st, targets, types, recurse or not targets,
                             maxdepth)
        names.sort(key=zfs_sort_key(st))
        sizes = Sizes(st)
        rows = []
        for n in names:
            if props is None:
                issnap = '@' in n
                plist_n = [p for p in ALL_ORDER
                           if not issnap or p in SNAP_PROPS]
                users = set()
                if issnap:
                    users |= set(st['snapshots'][n].get('props', {}))
                node = ds_of(n)
                while node is not None:
                    dd = st['datasets'][node]
                    users |= {p for p in dd['props'] if is_user_prop(p)}
                    users |= {p for p in dd.get('received', {})
                              if is_user_prop(p)}
                    node = parent(node)
                plist_n += sorted(u for u in users
                                  if get_prop(st, n, u, sizes)[1] != '-')
            else:
                plist_n = props
            for p in plist_n:
                if p == 'name':
                    val, src = n, '-'
                else:
                    val, src = get_prop(st, n, p, sizes, parsable)
                if sources is not None:
                    kind = src.split()[0] if src != '-' else 'none'
                    if kind not in sources:
                        continue
                rec = '-'
                if '@' not in n and p in st['datasets'][n].get('received',
                                                                {}):
                    rec = str(st['datasets'][n]['received'][p])
                cells = {'name': n, 'property': p, 'value': val,
                         'received': rec, 'source': src}
                rows.append([cells[f] for f in fields])
    headers = [f.upper() for f in fields]
    print_table(headers, rows, [False] * len(fields), scripted)
    return 1 if bad else 0


# ---------------------------------------------------------------------------
# create

def make_parents(st, name, makeparents, what):
    """Create (and mount) the missing parents of NAME (create -p, clone -p,
    rename -p); without MAKEPARENTS a missing one is "cannot WHAT 'NAME':
    parent does not exist"."""
    p = parent(name)
    missing = []
    while p is not None and p not in st['datasets']:
        missing.append(p)
        p = parent(p)
    if missing and not makeparents:
        die("cannot %s '%s': parent does not exist" % (what, name))
    for m in reversed(missing):
        create_dataset(st, m, {})


def create_dataset(st, name, props, mount=True, origin=None, guid=None):
    """Add dataset NAME to ST with local PROPS and mount it (unless not
    MOUNT or not mountable).  Returns its record."""
    d = {'type': 'filesystem', 'guid': guid or new_guid(st),
         'createtxg': new_txg(st), 'creation': now(), 'props': dict(props),
         'received': {}, 'mounted': False, 'origin': origin}
    st['datasets'][name] = d
    touch()
    os.makedirs(data_dir(st, name), exist_ok=True)
    if mount and mountable(st, name) and canmount(st, name) == 'on':
        do_mount(st, name)
    return d


def zfs_create(argv):
    opts, args = getopts(argv, 'Pnpuvo:V:sb:')
    c = opts.other('puo')
    if c is not None and c in 'Vsb':
        core.unsupported('zfs create -%s (volumes)' % c)
    elif c is not None:
        core.unsupported('zfs create -%s' % c)
    makeparents = 'p' in opts
    nomount = 'u' in opts
    pairs = opts.values('o')
    name = one_arg(args, 'filesystem')
    check_name(name, 'fs', 'create')
    props = parse_o_props(pairs, 'create', name)
    with core.state() as st:
        pool = pool_of(name)
        if pool not in st['pools']:
            die("cannot create '%s': no such pool '%s'" % (name, pool))
        if '/' not in name:
            die("cannot create '%s': missing dataset name" % name)
        if name in st['datasets']:
            if makeparents:
                return 0
            die("cannot create '%s': dataset already exists" % name)
        make_parents(st, name, makeparents, 'create')
        create_dataset(st, name, props, mount=not nomount)
    if MOUNT_FAILED[0]:
        sys.stderr.write('filesystem successfully created, but not mounted\n')
    return 0


# ---------------------------------------------------------------------------
# destroy

class Index(object):
    """Children, snapshots and clones of every dataset, built once."""

    def __init__(self, st):
        self.kids = children_index(st)
        self.snaps = snaps_index(st)
        self.clones = {}
        for d in sorted(st['datasets']):
            o = st['datasets'][d].get('origin')
            if o:
                self.clones.setdefault(o, []).append(d)


def dependents(st, target, idx):
    """Post-order list of what depends on TARGET (libzfs
    zfs_iter_dependents): children, snapshots, clones of snapshots."""
    out = []
    seen = set()

    def visit(n, top):
        if n in seen:
            return
        seen.add(n)
        if '@' in n:
            for c in idx.clones.get(n, []):
                visit(c, False)
        else:
            for c in idx.kids.get(n, []):
                visit(c, False)
            for s in idx.snaps.get(n, []):
                visit(s, False)
        if not top:
            out.append(n)
    visit(target, True)
    return out


def _is_descendant(n, target):
    """A direct descendant of TARGET, not a clone elsewhere."""
    return n.startswith(target + '/') or n.startswith(target + '@')


def destroy_check(st, target, recurse, doclones, idx):
    """Refuse like destroy_check_dependent() does."""
    deps = dependents(st, target, idx)
    first = True
    msgs = []
    for n in deps:
        if '@' not in target and _is_descendant(n, target):
            if recurse:
                continue
            if first:
                msgs.append("cannot destroy '%s': filesystem has children"
                            % target)
                msgs.append("use '-r' to destroy the following datasets:")
                first = False
            msgs.append(n)
        else:
            if doclones:
                continue
            if not recurse and '@' not in target:
                continue
            if first:
                msgs.append("cannot destroy '%s': %s has dependent clones"
                            % (target, 'snapshot' if '@' in target
                               else 'filesystem'))
                msgs.append("use '-R' to destroy the following datasets:")
                first = False
            msgs.append(n)
    if msgs:
        die('\n'.join(msgs))


def destroy_set(st, target, recurse, doclones, idx=None):
    """Post-order list of everything `zfs destroy` removes for TARGET."""
    if idx is None:
        idx = Index(st)
    if not recurse and not doclones:
        return [target]
    deps = dependents(st, target, idx)
    out = []
    for n in deps:
        if _is_descendant(n, target) or doclones:
            out.append(n)
    out.append(target)
    # with -R, whatever depends on removed items goes too
    if doclones:
        final = []
        seen = set()
        for n in out:
            for m in dependents(st, n, idx) + [n]:
                if m not in seen:
                    seen.add(m)
                    final.append(m)
        out = final
    return out


def remove_items(st, items, force=False):
    """Destroy datasets and snapshots ITEMS (post-order) in ST and on
    disk.  Checks busy first so that nothing changes on failure."""
    fss = [n for n in items if '@' not in n]
    for n in fss:
        busy_check(st, n, exclude=fss, force=force)
    for n in items:
        if '@' in n:
            rmtree(core.fb_path('snap', guid_of(st, n)))
            del st['snapshots'][n]
        else:
            do_unmount(st, n, discard=True)
            rmtree(data_dir(st, n))
            rmtree(core.fb_path('under', guid_of(st, n)))
            del st['datasets'][n]
            touch()


def zfs_destroy(argv):
    opts, args = getopts(argv, 'dfnpRrv')
    if 'd' in opts:
        core.unsupported('zfs destroy -d (deferred destroy)')
    doclones = 'R' in opts
    recurse = doclones or 'r' in opts
    force = 'f' in opts
    dryrun = 'n' in opts
    verbose = 'v' in opts
    parsable = 'p' in opts
    target = one_arg(args, 'dataset')
    if '#' in target:
        core.unsupported('zfs destroy of bookmarks')
    with core.state() as st:
        if '@' in target:
            base, _, snapspec = target.partition('@')
            if '%' in snapspec:
                core.unsupported('zfs destroy of snapshot ranges')
            why = name_problem(base, 'fs')
            if why:
                die("cannot open '%s': %s" % (base, why))
            if base not in st['datasets']:
                die("cannot open '%s': dataset does not exist" % base)
            targets = []
            for sn in snapspec.split(','):
                bases = [base] + (descendants(st, base) if recurse else [])
                for b in bases:
                    if '%s@%s' % (b, sn) in st['snapshots']:
                        targets.append('%s@%s' % (b, sn))
            if not targets:
                die('could not find any snapshots to destroy; check snapshot '
                    'names.')
            items = []
            seen = set()
            idx = Index(st)
            for t in targets:
                if not doclones:
                    destroy_check(st, t, False, False, idx)
                for n in destroy_set(st, t, False, doclones, idx):
                    if n not in seen:
                        seen.add(n)
                        items.append(n)
        else:
            why = name_problem(target, 'fs')
            if why:
                die("cannot open '%s': %s" % (target, why))
            if target not in st['datasets']:
                die("cannot open '%s': dataset does not exist" % target)
            if '/' not in target and not recurse:
                die("cannot destroy '%s': operation does not apply to pools\n"
                    "use 'zfs destroy -r %s' to destroy all datasets in the "
                    "pool\nuse 'zpool destroy %s' to destroy the pool itself"
                    % (target, target, target))
            idx = Index(st)
            destroy_check(st, target, recurse, doclones, idx)
            items = destroy_set(st, target, recurse, doclones, idx)
            if '/' not in target:
                items = [i for i in items if i != target]
        if verbose or (dryrun and parsable):
            for n in items:
                if parsable:
                    print('destroy\t%s' % n)
                else:
                    print('%s destroy %s' % ('would' if dryrun else 'will',
                                             n))
            if '@' in target:
                if parsable:
                    print('reclaim\t0')
                else:
                    print('%s reclaim 0B' % ('would' if dryrun else 'will'))
        if dryrun:
            raise _NoSave()
        remove_items(st, items, force)
    return 0


class _NoSave(Exception):
    """Raised inside `with core.state()` to leave without saving."""


# ---------------------------------------------------------------------------
# snapshot / rollback / clone / promote

def take_snapshot(st, snap, props=None):
    base = ds_of(snap)
    g = new_guid(st)
    dst = core.fb_path('snap', str(g))
    rmtree(dst)
    src = ds_dir(st, base)
    if os.path.isdir(src):
        copy_tree(src, dst, nested_mounts(st, base))
    else:
        os.makedirs(dst)
    st['snapshots'][snap] = {'guid': g, 'createtxg': new_txg(st),
                             'creation': now(), 'props': dict(props or {}),
                             'referenced': None}


def zfs_snapshot(argv):
    opts, args = getopts(argv, 'ro:')
    recurse = 'r' in opts
    pairs = opts.values('o')
    if not args:
        err_usage('missing snapshot argument')
    with core.state() as st:
        todo = []
        for a in args:
            if '@' not in a:
                usage()
            base, _, sn = a.partition('@')
            why = name_problem(base, 'fs')
            if why:
                sys.stderr.write("cannot open '%s': %s\n" % (base, why))
                usage()
            if base not in st['datasets']:
                sys.stderr.write("cannot open '%s': dataset does not exist\n"
                                 % base)
                usage()
            bases = [base] + (descendants(st, base) if recurse else [])
            for b in bases:
                todo.append('%s@%s' % (b, sn))
        props = {}
        for pv in pairs:
            if '=' not in pv:
                err_usage("missing '=' for property=value argument")
            p, _, v = pv.partition('=')
            if not is_user_prop(p):
                if canon_prop(p) is None:
                    die("cannot create snapshot '%s': invalid property '%s'"
                        % (todo[0], p))
                die("cannot create snapshot '%s': property '%s' can not be "
                    "set at snapshot creation" % (todo[0], p))
            props[p] = v
        for s in todo:
            why = name_problem(s, 'snap')
            if why:
                die("cannot create snapshot '%s': %s" % (s, why))
        for s in todo:
            if s in st['snapshots']:
                die("cannot create snapshot '%s': dataset already exists" % s)
        for s in todo:
            take_snapshot(st, s, props)
    return 0


def must_be_snapshot(st, name):
    """Die unless NAME is a valid snapshot name of an existing snapshot
    (zfs_open with ZFS_TYPE_SNAPSHOT)."""
    if '@' not in name:
        why = name_problem(name, 'any')
        die("cannot open '%s': %s" % (name, why or
            'operation not applicable to datasets of this type'))
    check_name(name, 'snap')
    must_exist(st, name)


def zfs_rollback(argv):
    opts, args = getopts(argv, 'rRf')
    doclones = 'R' in opts
    recurse = doclones or 'r' in opts
    snap = one_arg(args, 'dataset')
    with core.state() as st:
        must_be_snapshot(st, snap)
        base = ds_of(snap)
        txg = st['snapshots'][snap]['createtxg']
        newer = [s for s in snapshots_of(st, base)
                 if st['snapshots'][s]['createtxg'] > txg]
        if newer and not recurse:
            die("cannot rollback to '%s': more recent snapshots or bookmarks "
                "exist\nuse '-r' to force deletion of the following snapshots "
                "and bookmarks:\n%s" % (snap, '\n'.join(newer)))
        items = []
        if newer:
            clones = []
            idx = Index(st)
            for s in newer:
                for n in dependents(st, s, idx):
                    if n not in clones:
                        clones.append(n)
            if clones and not doclones:
                die("cannot rollback to '%s': clones of previous snapshots "
                    "exist\nuse '-R' to force deletion of the following "
                    "clones and dependents:\n%s" % (snap, '\n'.join(clones)))
            items = clones + list(reversed(newer))
        remove_items(st, items)
        replace_content(st, base, core.fb_path('snap', guid_of(st, snap)))
    return 0


def zfs_clone(argv):
    opts, args = getopts(argv, 'po:u')
    if 'u' in opts:
        core.unsupported('zfs clone -u')
    makeparents = 'p' in opts
    pairs = opts.values('o')
    if len(args) < 1:
        err_usage('missing source dataset argument')
    if len(args) < 2:
        err_usage('missing target dataset argument')
    if len(args) > 2:
        err_usage('too many arguments')
    src, dst = args
    with core.state() as st:
        must_be_snapshot(st, src)
        check_name(dst, 'fs', 'create')
        props = parse_o_props(pairs, 'create', dst)
        if pool_of(dst) != pool_of(src):
            die("cannot create '%s': source and target pools differ" % dst)
        if dst in st['datasets']:
            die("cannot create '%s': dataset already exists" % dst)
        make_parents(st, dst, makeparents, 'create')
        create_dataset(st, dst, props, mount=False, origin=src)
        rmtree(data_dir(st, dst))
        copy_tree(core.fb_path('snap', guid_of(st, src)), data_dir(st, dst))
        if mountable(st, dst) and canmount(st, dst) == 'on':
            do_mount(st, dst)
    if MOUNT_FAILED[0]:
        sys.stderr.write('filesystem successfully created, but not mounted\n')
    return 0


def zfs_promote(argv):
    opts, args = getopt(argv, '')
    if len(args) != 1:
        err_usage('missing clone filesystem argument' if not args
                  else 'too many arguments')
    name = args[0]
    with core.state() as st:
        check_name(name, 'fs')
        must_exist(st, name)
        d = st['datasets'][name]
        origin = d.get('origin')
        if not origin:
            die("cannot promote '%s': not a cloned filesystem" % name)
        obase = ds_of(origin)
        otxg = st['snapshots'][origin]['createtxg']
        moving = [s for s in snapshots_of(st, obase)
                  if st['snapshots'][s]['createtxg'] <= otxg]
        for s in moving:
            new = '%s@%s' % (name, s.partition('@')[2])
            if new in st['snapshots']:
                die("cannot promote '%s': snapshot name '%s' from origin "
                    "conflicts with '%s' from target"
                    % (name, s.partition('@')[2], new))
        renames = {}
        for s in moving:
            new = '%s@%s' % (name, s.partition('@')[2])
            st['snapshots'][new] = st['snapshots'].pop(s)
            renames[s] = new
        old_origin_of_origin = st['datasets'][obase].get('origin')
        for o, od in st['datasets'].items():
            if od.get('origin') in renames:
                od['origin'] = renames[od['origin']]
        st['datasets'][obase]['origin'] = renames[origin]
        d['origin'] = old_origin_of_origin
    return 0


# ---------------------------------------------------------------------------
# remounting (rename, set mountpoint/canmount, inherit)

def remount(st, names, change, remount_after=True, mount_always=False):
    """Unmount the mounted datasets NAMES (deepest mountpoint first),
    apply CHANGE() to the state, then mount again those that were mounted
    (all of NAMES with canmount=on when MOUNT_ALWAYS, as libzfs does after
    a mountpoint change), shallowest first.  CHANGE may return a dict
    old name -> new name."""
    mounted = [n for n in names if st['datasets'][n].get('mounted')]
    for n in mounted:
        busy_check(st, n, exclude=names)
    mounted.sort(key=lambda n: -mp_real(st, n).count('/'))
    for n in mounted:
        do_unmount(st, n)
    ren = change() or {}
    touch()
    if not remount_after:
        return
    again = [ren.get(n, n) for n in mounted]
    again = [n for n in again if n in st['datasets'] and mountable(st, n)]
    if mount_always:
        again += [ren.get(n, n) for n in names
                  if ren.get(n, n) not in again and
                  mountable(st, ren.get(n, n)) and
                  canmount(st, ren.get(n, n)) == 'on']
    again.sort(key=lambda n: mp_real(st, n).count('/'))
    for n in again:
        do_mount(st, n)


def zfs_rename(argv):
    opts, args = getopts(argv, 'fpur')
    makeparents = 'p' in opts
    nomount = 'u' in opts
    recurse = 'r' in opts
    if len(args) < 2:
        err_usage('missing %s dataset argument' %
                  ('source' if not args else 'target'))
    if len(args) > 2:
        err_usage('too many arguments')
    src, dst = args
    with core.state() as st:
        if '@' in src:
            check_name(src, 'snap')
            if '@' not in dst:
                dst = ds_of(src) + '@' + dst if '/' not in dst else dst
            check_name(dst, 'snap', 'rename to')
            if ds_of(dst) != ds_of(src):
                die("cannot rename to '%s': snapshots must be part of same "
                    "dataset" % dst)
            base = ds_of(src)
            if base not in st['datasets']:
                die("cannot open '%s': dataset does not exist" % base)
            oldsn = src.partition('@')[2]
            newsn = dst.partition('@')[2]
            bases = [base] + (descendants(st, base) if recurse else [])
            pairs = [('%s@%s' % (b, oldsn), '%s@%s' % (b, newsn))
                     for b in bases
                     if '%s@%s' % (b, oldsn) in st['snapshots']]
            if not pairs:
                die("cannot open '%s': dataset does not exist" % src)
            for o, n in pairs:
                if n in st['snapshots']:
                    die("cannot rename to '%s': dataset already exists" % n)
            for o, n in pairs:
                st['snapshots'][n] = st['snapshots'].pop(o)
                for dd in st['datasets'].values():
                    if dd.get('origin') == o:
                        dd['origin'] = n
            return 0
        if recurse:
            err_usage('-r can only be used on snapshots')
        check_name(src, 'fs')
        must_exist(st, src)
        check_name(dst, 'fs', 'rename to')
        if pool_of(dst) != pool_of(src):
            die("cannot rename to '%s': datasets must be within same pool"
                % dst)
        if '/' not in src:
            die("cannot rename to '%s': operation not supported on pools"
                % dst)
        if dst.startswith(src + '/'):
            die("cannot rename to '%s': New dataset name cannot be a "
                "descendant of current dataset name" % dst)
        if dst in st['datasets']:
            die("cannot rename to '%s': dataset already exists" % dst)
        make_parents(st, dst, makeparents, 'rename to')
        tree = [src] + descendants(st, src)

        def change():
            ren = {}
            for n in tree:
                new = dst + n[len(src):]
                st['datasets'][new] = st['datasets'].pop(n)
                ren[n] = new
            for s in list(st['snapshots']):
                b, _, sn = s.partition('@')
                if b in ren:
                    ns = ren[b] + '@' + sn
                    st['snapshots'][ns] = st['snapshots'].pop(s)
                    for dd in st['datasets'].values():
                        if dd.get('origin') == s:
                            dd['origin'] = ns
            return ren
        remount(st, tree, change, remount_after=not nomount)
    return 0


# ---------------------------------------------------------------------------
# set / inherit

def zfs_set(argv):
    opts, args = getopts(argv, 'u')
    nomount = 'u' in opts
    pairs = []
    i = 0
    while i < len(args) and '=' in args[i]:
        pairs.append(args[i])
        i += 1
    targets = args[i:]
    if not pairs:
        err_usage('missing property=value argument(s)')
    if not targets:
        err_usage('missing dataset name(s)')
    with core.state() as st:
        for t in targets:
            why = name_problem(t, 'any')
            if why:
                die("cannot open '%s': %s" % (t, why))
            must_exist(st, t)
        for t in targets:
            props = {}
            for pv in pairs:
                p, _, v = pv.partition('=')
                cp = canon_prop(p)
                if cp is None or cp == 'name':
                    die("cannot set property for '%s': invalid property '%s'"
                        % (t, p))
                if '@' in t and not is_user_prop(cp):
                    if PROPS[cp][1] in ('ro', 'ronum', 'once'):
                        die("cannot set property for '%s': '%s' is readonly"
                            % (t, cp))
                    die("cannot set property for '%s': this property can "
                        "not be modified for snapshots" % t)
                nv = validate_value(cp, v)
                if isinstance(nv, ValueError):
                    die("cannot set property for '%s': %s" % (t, nv))
                props[cp] = nv
            if '@' in t:
                st['snapshots'][t].setdefault('props', {}).update(props)
                continue
            apply_props(st, t, props, nomount)
    return 0


def change_props(st, name, touched, change, nomount=False):
    """Run CHANGE() (which edits the properties TOUCHED of dataset NAME)
    and remount what a mountpoint or canmount change affects: for
    mountpoint NAME and its descendants (mounted afterwards when
    canmount=on), for canmount NAME alone (mounted again if it was)."""
    if 'mountpoint' in touched:
        tree = [name] + [n for n in descendants(st, name)
                         if _walk(st, n, 'mountpoint')[1] != n]
        remount(st, tree, change, remount_after=not nomount,
                mount_always=True)
    elif 'canmount' in touched:
        remount(st, [name], change, remount_after=not nomount)
    else:
        change()


def apply_props(st, name, props, nomount=False):
    """Set the local PROPS of dataset NAME."""
    d = st['datasets'][name]

    def change():
        d['props'].update(props)
    change_props(st, name, set(props), change, nomount)


def zfs_inherit(argv):
    opts, args = getopts(argv, 'rS')
    recurse = 'r' in opts
    received = 'S' in opts
    if not args:
        err_usage('missing property argument')
    if len(args) < 2:
        err_usage('missing dataset argument')
    prop = args[0]
    cp = canon_prop(prop)
    if cp is None or cp == 'name':
        err_usage("invalid property '%s'" % prop)
    if not is_user_prop(cp):
        kind = PROPS[cp][1]
        if kind in ('ro', 'ronum', 'once'):
            die("'%s' property is read-only" % cp)
        if not PROPS[cp][3] and not received:
            msg = "'%s' property cannot be inherited" % cp
            if cp in ('quota', 'reservation', 'refquota', 'refreservation'):
                msg += "\nuse 'zfs set %s=none' to clear" % cp
            die(msg)
    with core.state() as st:
        for t in args[1:]:
            why = name_problem(t, 'any')
            if why:
                die("cannot open '%s': %s" % (t, why))
            must_exist(st, t)
        for t in args[1:]:
            if '@' in t:
                st['snapshots'][t].get('props', {}).pop(cp, None)
                continue
            tree = [t] + (descendants(st, t) if recurse else [])
            for n in tree:
                d = st['datasets'][n]

                def change(d=d):
                    if received or cp not in d.get('received', {}):
                        d['props'].pop(cp, None)
                    else:
                        d['props'][cp] = None   # hide the received value
                change_props(st, n, {cp}, change)
    return 0


# ---------------------------------------------------------------------------
# mount / unmount

def zfs_mount(argv):
    opts, args = getopt(argv, 'aflvOo:R:')
    doall = any(c == 'a' for c, v in opts)
    for c, v in opts:
        if c in 'oORl':
            core.unsupported('zfs mount -%s' % c)
    if not args and not doall:
        with core.state(readonly=True) as st:
            for n in sorted(st['datasets']):
                if st['datasets'][n].get('mounted'):
                    print('%-30s  %s' % (n, mountpoint(st, n)[0]))
        return 0
    with core.state() as st:
        if doall:
            names = [n for n in st['datasets']
                     if not st['datasets'][n].get('mounted') and
                     mountable(st, n) and canmount(st, n) == 'on']
            names.sort(key=lambda n: mp_real(st, n).count('/'))
            for n in names:
                do_mount(st, n)
            return 0
        if len(args) > 1:
            err_usage('too many arguments')
        n = args[0]
        check_name(n, 'fs')
        must_exist(st, n)
        mp, _ = mountpoint(st, n)
        if mp == 'legacy':
            die("cannot mount '%s': legacy mountpoint\nuse mount(8) to mount "
                "this filesystem" % n)
        if mp == 'none' or canmount(st, n) == 'off':
            die("cannot mount '%s': 'canmount' property is set to 'off'"
                % n if mp != 'none' else
                "cannot mount '%s': no mountpoint set" % n)
        if st['datasets'][n].get('mounted'):
            die("cannot mount '%s': filesystem already mounted" % n)
        do_mount(st, n)
    return 0


def zfs_unmount(argv):
    opts, args = getopts(argv, 'afu')
    doall = 'a' in opts
    force = 'f' in opts
    with core.state() as st:
        if doall:
            names = [n for n in st['datasets']
                     if st['datasets'][n].get('mounted')]
            for n in names:
                busy_check(st, n, exclude=names, force=force)
            names.sort(key=lambda n: -mp_real(st, n).count('/'))
            for n in names:
                do_unmount(st, n)
            return 0
        if len(args) != 1:
            err_usage('missing filesystem argument' if not args
                      else 'too many arguments')
        a = args[0]
        if a.startswith('/'):
            real = core.host_path(a)
            hit = [n for n in st['datasets']
                   if st['datasets'][n].get('mounted') and
                   mp_real(st, n) == real]
            if not hit:
                die("cannot unmount '%s': not a mounted filesystem" % a)
            n = hit[0]
        else:
            check_name(a, 'fs')
            must_exist(st, a)
            n = a
            if not st['datasets'][n].get('mounted'):
                die("cannot unmount '%s': not currently mounted" % n)
        busy_check(st, n, force=force)
        do_unmount(st, n)
    return 0


# ---------------------------------------------------------------------------
# send / receive

MAGIC = b'FAKEBSD-ZFS-STREAM 1\n'


def _tar_bytes(src):
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for e in sorted(os.listdir(src)):
            t.add(os.path.join(src, e), arcname=e, recursive=True)
    return buf.getvalue()


def _untar_bytes(data, dst):
    """Extract our own tar stream into DST, refusing anything that would
    land outside it."""
    import io
    import tarfile
    os.makedirs(dst, exist_ok=True)
    base = os.path.realpath(dst)
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:') as t:
        members = t.getmembers()
        for m in members:
            n = m.name
            if n.startswith('/') or '..' in n.split('/'):
                raise ValueError('bad member %r' % n)
            if m.islnk() and (m.linkname.startswith('/') or
                              '..' in m.linkname.split('/')):
                raise ValueError('bad link %r' % n)
            if m.isdev():
                continue
            parent_real = os.path.realpath(os.path.join(dst,
                                                        os.path.dirname(n)))
            if parent_real != base and not parent_real.startswith(base + '/'):
                raise ValueError('member %r escapes' % n)
            target = os.path.join(dst, n)
            if not m.isdir() and os.path.islink(target):
                os.unlink(target)       # never write through a symlink
            t.extract(m, dst, set_attrs=True)
        # directory modes/mtimes after their content
        for m in members:
            if m.isdir():
                p = os.path.join(dst, m.name)
                try:
                    os.chmod(p, m.mode)
                    os.utime(p, (m.mtime, m.mtime))
                except OSError:
                    pass


def send_props(st, name):
    d = st['datasets'][name]
    out = {}
    for p, v in d.get('received', {}).items():
        out[p] = v
    for p, v in d['props'].items():
        if v is None:
            out.pop(p, None)
        else:
            out[p] = v
    return out


def zfs_send(argv):
    import json
    opts, args = getopt(argv, 'DLPbcehnpsVvwRi:I:X:t:S')
    recursive = props = verbose = False
    fromarg = None
    inter = False
    for c, v in opts:
        if c == 'R':
            recursive = props = True
        elif c == 'p':
            props = True
        elif c == 'v':
            verbose = True
        elif c in 'iI':
            fromarg, inter = v, c == 'I'
        elif c in 'Lce':
            pass        # stream encoding options: same stream here
        else:
            core.unsupported('zfs send -%s' % c)
    snap = one_arg(args, 'snapshot')
    if fromarg is not None:
        return _send_incr(snap, fromarg, inter, recursive, props, verbose)
    if core.isatty(1):
        die('Error: Stream can not be written to a terminal.\n'
            'You must redirect standard output.')
    with core.state(readonly=True) as st:
        if '@' not in snap:
            check_name(snap, 'fs')
            must_exist(st, snap)
            core.unsupported('zfs send of a filesystem (name a snapshot)')
        check_name(snap, 'snap')
        must_exist(st, snap)
        base, _, sn = snap.partition('@')
        entries = []
        blobs = []
        if recursive:
            bases = [base] + descendants(st, base)
        else:
            bases = [base]
        for b in bases:
            s_end = '%s@%s' % (b, sn)
            if s_end not in st['snapshots']:
                continue
            if recursive:
                end_txg = st['snapshots'][s_end]['createtxg']
                snaps = [s for s in snapshots_of(st, b)
                         if st['snapshots'][s]['createtxg'] <= end_txg]
            else:
                snaps = [s_end]
            for s in snaps:
                data = _tar_bytes(core.fb_path('snap', guid_of(st, s)))
                entries.append({
                    'rel': b[len(base):].lstrip('/'),
                    'snap': s.partition('@')[2],
                    'guid': snap_ident(st, s),
                    'props': send_props(st, b) if props else None,
                    'snapprops': st['snapshots'][s].get('props', {}),
                    'creation': st['snapshots'][s]['creation'],
                    'size': len(data)})
                blobs.append(data)
        hdr = json.dumps({'toname': snap, 'recursive': recursive,
                          'entries': entries}).encode()
    total = sum(len(b) for b in blobs)
    if verbose:
        for e in entries:
            nm = (base + ('/' + e['rel'] if e['rel'] else '') + '@' +
                  e['snap'])
            sys.stderr.write('full send of %s estimated size is %s\n'
                             % (nm, nicenum(e['size'])))
        sys.stderr.write('total estimated size is %s\n' % nicenum(total))
    out = sys.stdout.buffer
    out.write(MAGIC + b'%d\n' % len(hdr) + hdr)
    for b in blobs:
        out.write(b)
    out.flush()
    return 0


def snap_ident(st, s):
    """The guid a stream gives snapshot S: the one it was received with,
    else one made of this host's record of it (guids are per host here:
    a counter; the host name, dataset, txg and creation time keep those
    of two hosts apart)."""
    import hashlib
    r = st['snapshots'][s]
    if r.get('sguid'):
        return r['sguid']
    key = '%s|%s|%s|%s|%s' % (st.get('hostname'), s.partition('@')[0],
                              r['guid'], r['createtxg'], r['creation'])
    return str(int(hashlib.sha256(key.encode()).hexdigest()[:15], 16))


def _send_incr(snap, fromarg, inter, recursive, props, verbose):
    """zfs send -i|-I FROM SNAP: an incremental stream (every snapshot
    after FROM up to SNAP with -I, SNAP alone with -i).  The simulated
    stream holds each snapshot's whole tree; what makes it incremental is
    its source guid, which the receiving side must have."""
    import json
    if core.isatty(1):
        die('Error: Stream can not be written to a terminal.\n'
            'You must redirect standard output.')
    with core.state(readonly=True) as st:
        check_name(snap, 'snap')
        must_exist(st, snap)
        base, _, sn = snap.partition('@')
        frm = base + fromarg if fromarg.startswith('@') else fromarg
        if '@' not in frm:
            core.unsupported('zfs send -i of a bookmark or file system')
        check_name(frm, 'snap')
        if ds_of(frm) != base:
            die("cannot send '%s': incremental source must be in same "
                "filesystem" % snap)
        must_exist(st, frm)
        ftxg = st['snapshots'][frm]['createtxg']
        ttxg = st['snapshots'][snap]['createtxg']
        if ftxg >= ttxg:
            die("cannot send '%s': incremental source (%s) is not earlier "
                "than it" % (snap, frm))
        if recursive and descendants(st, base):
            core.unsupported('zfs send -R -i of a dataset with children')
        if inter:
            snaps = [s for s in snapshots_of(st, base)
                     if ftxg < st['snapshots'][s]['createtxg'] <= ttxg]
        else:
            snaps = [snap]
        entries, blobs = [], []
        for s in snaps:
            data = _tar_bytes(core.fb_path('snap', guid_of(st, s)))
            entries.append({
                'rel': '', 'snap': s.partition('@')[2],
                'guid': snap_ident(st, s),
                'props': send_props(st, base) if props else None,
                'snapprops': st['snapshots'][s].get('props', {}),
                'creation': st['snapshots'][s]['creation'],
                'size': len(data)})
            blobs.append(data)
        hdr = json.dumps({'toname': snap, 'recursive': recursive,
                          'from': {'snap': frm.partition('@')[2],
                                   'guid': snap_ident(st, frm)},
                          'entries': entries}).encode()
    total = sum(len(b) for b in blobs)
    if verbose:
        prev = frm
        for e in entries:
            sys.stderr.write('send from %s to %s@%s estimated size is %s\n'
                             % (prev, base, e['snap'], nicenum(e['size'])))
            prev = '%s@%s' % (base, e['snap'])
        sys.stderr.write('total estimated size is %s\n' % nicenum(total))
    out = sys.stdout.buffer
    out.write(MAGIC + b'%d\n' % len(hdr) + hdr)
    for b in blobs:
        out.write(b)
    out.flush()
    return 0


def _tree_sig(real, prune):
    """What a tree holds (names, types, modes, contents, link targets),
    to tell whether a dataset changed since a snapshot."""
    import hashlib
    sig = []
    if not os.path.isdir(real):
        return sig
    for top, dirs, files in os.walk(real):
        rel = os.path.relpath(top, real)
        dirs[:] = sorted(d for d in dirs
                         if os.path.join(top, d) not in prune)
        for n in sorted(files) + [d for d in dirs
                                  if os.path.islink(os.path.join(top, d))]:
            p = os.path.join(top, n)
            s = os.lstat(p)
            if os.path.islink(p):
                sig.append((rel, n, 'l', os.readlink(p)))
            elif os.path.isfile(p):
                with open(p, 'rb') as f:
                    h = hashlib.sha256(f.read()).hexdigest()
                sig.append((rel, n, 'f', s.st_mode, h))
            else:
                sig.append((rel, n, 'o', s.st_mode))
        sig.append((rel, 'd', os.lstat(top).st_mode))
    return sig


def _recv_incr(st, hdr, blobs, tbase, tsnap, force, nomount, verbose,
               xprops=()):
    """zfs receive of an incremental stream onto the existing TBASE."""
    frm = hdr['from']
    if tbase not in st['datasets']:
        die("cannot receive incremental stream: destination '%s' does not "
            "exist" % tbase)
    have = snapshots_of(st, tbase)
    match = [s for s in have if snap_ident(st, s) == frm['guid']]
    if not match or (match[0] != have[-1] and not force):
        die("cannot receive incremental stream: most recent snapshot of %s "
            "does not\nmatch incremental source" % tbase)
    base = match[0]
    newer = have[have.index(base) + 1:]
    real = ds_dir(st, tbase)
    prune = [mp_real(st, o) for o in nested_mounts(st, tbase)]
    if not force and _tree_sig(real, prune) != _tree_sig(
            core.fb_path('snap', guid_of(st, base)), []):
        die("cannot receive incremental stream: destination %s has been "
            "modified\nsince most recent snapshot" % tbase)
    for e in hdr['entries']:
        sname = '%s@%s' % (tbase, tsnap or e['snap'])
        if sname in st['snapshots'] and sname not in newer:
            die("cannot receive incremental stream: destination snapshot "
                "'%s' exists" % sname)
    if newer:
        idx = Index(st)
        for s in newer:
            if dependents(st, s, idx):
                die("cannot receive incremental stream: destination %s "
                    "has clones of newer snapshots" % tbase)
        remove_items(st, list(reversed(newer)))
    replace_content(st, tbase, core.fb_path('snap', guid_of(st, base)))
    prev = base
    for e, blob in zip(hdr['entries'], blobs):
        sname = '%s@%s' % (tbase, tsnap or e['snap'])
        tmp = core.fb_path('data', 'recv.%d' % os.getpid())
        rmtree(tmp)
        try:
            _untar_bytes(blob, tmp)
        except Exception:
            rmtree(tmp)
            die('cannot receive incremental stream: invalid backup stream')
        replace_content(st, tbase, tmp)
        rmtree(tmp)
        take_snapshot(st, sname, e.get('snapprops'))
        st['snapshots'][sname]['creation'] = e.get('creation', now())
        st['snapshots'][sname]['sguid'] = e.get('guid')
        if e.get('props') is not None:
            rec = dict(e['props'])
            for x in xprops:
                rec.pop(x, None)
            st['datasets'][tbase]['received'] = rec
        if verbose:
            print('receiving incremental stream of %s@%s into %s'
                  % (hdr['toname'].partition('@')[0], e['snap'], sname))
        prev = sname
    del prev
    if not nomount and mountable(st, tbase) and \
            canmount(st, tbase) == 'on' and \
            not st['datasets'][tbase].get('mounted'):
        do_mount(st, tbase)
    return 0


def read_stream(raw):
    """Parse a stream made by zfs_send: (header, [blob...]); dies with
    zfs's messages on an empty or foreign stream."""
    import json
    if not raw:
        die('cannot receive: failed to read from stream')
    if not raw.startswith(MAGIC):
        die('cannot receive: invalid stream (bad magic number)')
    rest = raw[len(MAGIC):]
    try:
        nl = rest.index(b'\n')
        n = int(rest[:nl])
        hdr = json.loads(rest[nl + 1:nl + 1 + n].decode())
        pos = nl + 1 + n
        blobs = []
        for e in hdr['entries']:
            b = rest[pos:pos + e['size']]
            if len(b) != e['size']:
                raise ValueError('short')
            blobs.append(b)
            pos += e['size']
    except (ValueError, KeyError, TypeError):
        die('cannot receive: invalid stream (checksum mismatch)')
    return hdr, blobs


def zfs_recv(argv):
    opts, args = getopt(argv, 'AcdeFhMnsuvo:x:')
    force = nomount = verbose = dryrun = False
    mode = None
    opairs = []
    excl = []
    for c, v in opts:
        if c == 'F':
            force = True
        elif c == 'u':
            nomount = True
        elif c == 'v':
            verbose = True
        elif c == 'n':
            dryrun = True
        elif c in 'de':
            mode = c
        elif c == 'o':
            opairs.append(v)
        elif c == 'x':
            excl.append(v)
        else:
            core.unsupported('zfs receive -%s' % c)
    target = one_arg(args, 'snapshot')
    if core.isatty(0):
        die('Error: Backup stream can not be read from a terminal.\n'
            'You must redirect standard input.')
    raw = sys.stdin.buffer.read()
    if core.FAULT:
        core.simulated_failure()
    hdr, blobs = read_stream(raw)
    why = name_problem(target, 'any')
    if why:
        die("cannot open '%s': %s" % (target, why))
    oprops = {}
    for pv in opairs:
        if '=' not in pv:
            err_usage("missing '=' for property=value argument")
        p, _, v = pv.partition('=')
        if p == 'origin':
            core.unsupported('zfs receive -o origin=')
        cp = canon_prop(p)
        if cp is None:
            die("cannot receive: invalid property '%s'" % p)
        nv = validate_value(cp, v, True)
        if isinstance(nv, ValueError):
            die("cannot receive: %s" % nv)
        oprops[cp] = nv
    xprops = []
    for p in excl:
        cp = canon_prop(p)
        if cp is None:
            die("cannot receive: invalid property '%s'" % p)
        xprops.append(cp)
    toname = hdr['toname']
    sbase, _, ssnap = toname.partition('@')
    if '@' in target:
        if mode or hdr['recursive']:
            die("cannot receive: cannot specify snapshot name for multi-"
                "snapshot stream")
        tbase, _, tsnap = target.partition('@')
    else:
        tbase, tsnap = target, None
        if mode == 'd':
            tail = sbase.split('/', 1)[1] if '/' in sbase else ''
            tbase = target + ('/' + tail if tail else '')
        elif mode == 'e':
            tbase = target + '/' + sbase.rsplit('/', 1)[-1]
    if hdr.get('from') is not None:
        if mode:
            core.unsupported('zfs receive -d/-e of an incremental stream')
        if dryrun:
            core.unsupported('zfs receive -n of an incremental stream')
        with core.state() as st:
            return _recv_incr(st, hdr, blobs, tbase, tsnap, force, nomount,
                              verbose, xprops)
    with core.state() as st:
        if pool_of(tbase) not in st['pools']:
            die("cannot open '%s': dataset does not exist\n"
                "cannot receive new filesystem stream: unable to restore to "
                "destination" % pool_of(tbase))
        p = parent(tbase)
        if p is not None and p not in st['datasets'] and not mode:
            die("cannot receive new filesystem stream: parent of '%s' does "
                "not exist" % tbase)
        if p is not None and p not in st['datasets'] and mode:
            # -d / -e create the missing parents of the target
            missing = []
            while p is not None and p not in st['datasets']:
                missing.append(p)
                p = parent(p)
            for m in reversed(missing):
                create_dataset(st, m, {})
        if tbase in st['datasets']:
            if not force:
                die("cannot receive new filesystem stream: destination '%s' "
                    "exists\nmust specify -F to overwrite it" % tbase)
            if '/' not in tbase:
                core.unsupported('zfs receive -F into a pool root dataset')
            have = snapshots_of(st, tbase)
            if have:
                die("cannot receive new filesystem stream: destination has "
                    "snapshots (eg. %s)\nmust destroy them to overwrite it"
                    % have[0])
        if dryrun:
            for e in hdr['entries']:
                if verbose:
                    nm = tbase + ('/' + e['rel'] if e['rel'] else '')
                    print('would receive full stream of %s@%s into %s@%s'
                          % (sbase + ('/' + e['rel'] if e['rel'] else ''),
                             e['snap'], nm, tsnap or e['snap']))
            raise _NoSave()
        if tbase in st['datasets'] and force:
            items = destroy_set(st, tbase, True, False)
            remove_items(st, items)
        done = set()
        for e, blob in zip(hdr['entries'], blobs):
            name = tbase + ('/' + e['rel'] if e['rel'] else '')
            sname = '%s@%s' % (name, tsnap or e['snap'])
            if name not in done and name not in st['datasets']:
                if parent(name) not in st['datasets']:
                    die("cannot receive new filesystem stream: parent of "
                        "'%s' does not exist" % name)
                d = create_dataset(st, name, {}, mount=False)
                rec = dict(e['props'] or {})
                for x in xprops:
                    rec.pop(x, None)
                d['received'] = rec
                if name == tbase:
                    d['props'].update(oprops)
                done.add(name)
            elif name not in done:
                done.add(name)
            if sname in st['snapshots']:
                die("cannot receive new filesystem stream: destination "
                    "snapshot '%s' exists" % sname)
            tmp = core.fb_path('data', 'recv.%d' % os.getpid())
            rmtree(tmp)
            try:
                _untar_bytes(blob, tmp)
            except Exception:
                rmtree(tmp)
                die('cannot receive new filesystem stream: invalid backup '
                    'stream')
            replace_content(st, name, tmp)
            rmtree(tmp)
            take_snapshot(st, sname, e.get('snapprops'))
            st['snapshots'][sname]['creation'] = e.get('creation', now())
            if e.get('guid'):
                st['snapshots'][sname]['sguid'] = e['guid']
            if verbose:
                print('receiving full stream of %s@%s into %s'
                      % (sbase + ('/' + e['rel'] if e['rel'] else ''),
                         e['snap'], sname))
        if not nomount:
            order = sorted(done, key=lambda n: n.count('/'))
            for n in order:
                if mountable(st, n) and canmount(st, n) == 'on':
                    do_mount(st, n)
        if verbose:
            print('received %s stream in 1 seconds (%s/sec)'
                  % (nicenum(sum(len(b) for b in blobs)),
                     nicenum(sum(len(b) for b in blobs))))
    return 0


# ---------------------------------------------------------------------------
# zpool

ZPOOL_PROPS = {
    'name': ('NAME', False), 'size': ('SIZE', True),
    'allocated': ('ALLOC', True), 'free': ('FREE', True),
    'checkpoint': ('CKPOINT', True), 'expandsize': ('EXPANDSZ', True),
    'fragmentation': ('FRAG', True), 'capacity': ('CAP', True),
    'dedupratio': ('DEDUP', True), 'health': ('HEALTH', False),
    'altroot': ('ALTROOT', False), 'guid': ('GUID', True),
    'readonly': ('RDONLY', False), 'freeing': ('FREEING', True),
    'leaked': ('LEAKED', True), 'bootfs': ('BOOTFS', False),
}
ZPOOL_ALIASES = {'alloc': 'allocated', 'cap': 'capacity',
                 'frag': 'fragmentation', 'dedup': 'dedupratio',
                 'expandsz': 'expandsize', 'ckpoint': 'checkpoint',
                 'rdonly': 'readonly'}


def zpool_list(argv):
    global CMD
    CMD = 'list'
    opts, args = getopt(argv, 'gHLpPvo:T:')
    scripted = parsable = False
    fields = ['name', 'size', 'allocated', 'free', 'checkpoint',
              'expandsize', 'fragmentation', 'capacity', 'dedupratio',
              'health', 'altroot']
    for c, v in opts:
        if c == 'H':
            scripted = True
        elif c == 'p':
            parsable = True
        elif c == 'o':
            fields = []
            for f in v.split(','):
                f = ZPOOL_ALIASES.get(f, f)
                if f not in ZPOOL_PROPS:
                    sys.stderr.write("property '%s' is not a valid pool or "
                                     "vdev property\n" % f)
                    usage()
                fields.append(f)
        elif c in 'gLPvT':
            core.unsupported('zpool list -%s' % c)
    if any(a.isdigit() for a in args):
        core.unsupported('zpool list interval/count')
    bad = False
    with core.state(readonly=True) as st:
        pools = sorted(st['pools'])
        if args:
            sel = []
            for a in args:
                if a not in st['pools']:
                    sys.stderr.write("cannot open '%s': no such pool\n" % a)
                    bad = True
                else:
                    sel.append(a)
            pools = sel
        sizes = Sizes(st)
        rows = []
        for p in pools:
            info = st['pools'][p]
            size = info.get('size', 100 << 30)
            alloc = sizes.used_(p) if p in st['datasets'] else 0
            free = size - alloc
            cap = int(alloc * 100 // size) if size else 0
            vals = {
                'name': p,
                'size': str(size) if parsable else nicenum(size),
                'allocated': str(alloc) if parsable else nicenum(alloc),
                'free': str(free) if parsable else nicenum(free),
                'checkpoint': '-', 'expandsize': '-',
                'fragmentation': '0' if parsable else '0%',
                'capacity': str(cap) if parsable else '%d%%' % cap,
                'dedupratio': '1.00' if parsable else '1.00x',
                'health': info.get('health', 'ONLINE'),
                'altroot': info.get('altroot') or '-',
                'guid': str(info.get('guid', 0)),
                'readonly': 'off', 'freeing': '0', 'leaked': '0',
                'bootfs': '-',
            }
            rows.append([vals[f] for f in fields])
    if not rows and not args:
        if not scripted:
            print('no pools available')
        return 0
    print_table([ZPOOL_PROPS[f][0] for f in fields], rows,
                [ZPOOL_PROPS[f][1] for f in fields], scripted)
    return 1 if bad else 0


def _subcommand(argv, prog, table):
    """zpool/zfs argv[1] and its function in table (None when unknown);
    (None, None) after the usage message when there is no subcommand."""
    if len(argv) < 2:
        sys.stderr.write('missing command\n')
        sys.stderr.write('usage: %s command args ...\n' % prog)
        return None, None
    return argv[1], table.get(argv[1])


ZPOOL_CMDS = {'list': zpool_list}


@core.tool('zpool')
def zpool_main(argv):
    global CMD
    cmd, f = _subcommand(argv, 'zpool', ZPOOL_CMDS)
    if cmd is None:
        return 2
    if f is None:
        core.unsupported('zpool %s' % cmd)
    CMD = cmd
    return f(argv[2:])


# ---------------------------------------------------------------------------
# jail / unjail (zfs-jail(8)): st['datasets'][FS]['jail'] is the name of
# the jail FS is attached to; jail removal and reboot forget it.

def _jail_named(st, arg):
    jails = st.get('jails', {})
    if arg in jails:
        return arg
    for n, r in jails.items():
        if str(r.get('jid')) == arg:
            return n
    return None


def _jail_cmd(argv, unjail):
    opts, args = getopts(argv, '')
    if len(args) < 2:
        err_usage('missing argument(s)')
    if len(args) > 2:
        err_usage('too many arguments')
    jarg, fs = args
    verb = 'unjail' if unjail else 'jail'
    with core.state() as st:
        jname = _jail_named(st, jarg)
        if jname is None:
            sys.stderr.write('invalid jail id or name\n')
            usage()
        check_name(fs, 'fs')
        must_exist(st, fs)
        d = st['datasets'][fs]
        if unjail:
            if d.get('jail') != jname:
                die("cannot unjail '%s': not attached to jail %s"
                    % (fs, jarg))
            d.pop('jail')
            return 0
        v = _walk(st, fs, 'jailed')[0]
        if v != 'on':
            die("cannot jail '%s': dataset is not jailed (jailed property "
                "must be 'on')" % fs)
        for a in [fs] + [fs[:i] for i in range(len(fs)) if fs[i] == '/']:
            att = st['datasets'].get(a, {}).get('jail')
            if att is not None:
                die("cannot jail '%s': %s is attached to jail %s"
                    % (fs, a, att))
        d['jail'] = jname
    return 0


def zfs_jail(argv):
    return _jail_cmd(argv, False)


def zfs_unjail(argv):
    return _jail_cmd(argv, True)


def forget_jail(st, jname):
    """The jail JNAME is gone: so are its attachments (the kernel's)."""
    for d in st.get('datasets', {}).values():
        if d.get('jail') == jname or jname is None:
            d.pop('jail', None)


# ---------------------------------------------------------------------------
# zfs dispatch

ZFS_CMDS = {
    'list': zfs_list, 'get': zfs_get, 'create': zfs_create,
    'destroy': zfs_destroy, 'snapshot': zfs_snapshot, 'snap': zfs_snapshot,
    'rollback': zfs_rollback, 'clone': zfs_clone, 'promote': zfs_promote,
    'rename': zfs_rename, 'set': zfs_set, 'inherit': zfs_inherit,
    'mount': zfs_mount, 'unmount': zfs_unmount, 'umount': zfs_unmount,
    'send': zfs_send, 'receive': zfs_recv, 'recv': zfs_recv,
    'jail': zfs_jail, 'unjail': zfs_unjail,
}
KNOWN_UNSUPPORTED = {'upgrade', 'userspace', 'groupspace', 'projectspace',
                     'project', 'hold', 'holds', 'release', 'diff',
                     'bookmark', 'program', 'load-key', 'unload-key',
                     'change-key', 'redact', 'wait', 'allow', 'unallow',
                     'share', 'unshare', 'version'}


@core.tool('zfs', faults='self')
def zfs_main(argv):
    global CMD
    cmd, f = _subcommand(argv, 'zfs', ZFS_CMDS)
    if cmd is None:
        return 2
    if f is None:
        if cmd in KNOWN_UNSUPPORTED:
            core.unsupported('zfs %s' % cmd)
        sys.stderr.write("unrecognized command '%s'\n" % cmd)
        sys.stderr.write('usage: zfs command args ...\n'
                         "where 'command' is one of the following:\n")
        return 2
    CMD = cmd
    if core.FAULT and f is not zfs_recv:
        core.simulated_failure()
    try:
        rc = f(argv[2:])
    except _NoSave:
        rc = 0
    if MOUNT_FAILED[0] and not rc:
        rc = 1
    return rc
