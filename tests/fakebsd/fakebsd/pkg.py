"""fakebsd.pkg: pkg(7), the bootstrapper, and pkg(8), the package manager,
on the host and, with -j jail, -c chroot or -r rootdir, on another root.

State (see ../README.md, "pkg"):

    st['packages']   the HOST's package database {NAME: {version, origin,
                     comment, files[], flatsize, time, automatic, ...}};
                     'pkg' itself once pkg(7) has bootstrapped it (a fresh
                     host has no pkg(8)).
    ROOT/var/db/pkg/local.sqlite
                     the database of another root (-j, -c, -r): a FILE in
                     that root (the simulation keeps JSON in it), so that
                     zfs snapshot, rollback and send capture it.  The host's
                     database is never touched by -j/-c/-r.

Repositories are read from the repository configuration files (pkg.7:
REPOS_DIR, default /etc/pkg then /usr/local/etc/pkg/repos; -R DIR and
-o REPOS_DIR=... override it).  With -j and -c they are the files INSIDE
the jail or chroot (pkg runs there); with -r and on the host they are the
host's.  /etc/pkg/FreeBSD.conf is part of FreeBSD's base: when it is
missing (the simulated base trees are abridged) the stock one is used.

* A repository whose url is on pkg.FreeBSD.org (other than the base
  repositories) is the built-in ports catalogue CATALOGUE below.
* A file:// repository is a directory made by make_repo() (see mkpkgbase):
  packagesite.pkg (the catalogue, signed) and All/NAME-VERSION.pkg.
  With signature_type "fingerprints" the catalogue's public key must have
  its SHA-256 fingerprint in FINGERPRINTS/trusted and not in
  FINGERPRINTS/revoked (FINGERPRINTS = the repo's `fingerprints`
  directory, read in the configuration's namespace).  The simulated
  signature is a digest over the public key and the catalogue: it
  detects tampering; trust comes from the fingerprints alone.
* Any other url has no network: the update fails.
"""

import fnmatch
import hashlib
import json
import os
import re
import sys
import time

from . import core


PKG_VERSION = '2.1.2'
PKG_ABI = 'FreeBSD:14:%s'

DB_PATH = '/var/db/pkg/local.sqlite'
DEFAULT_REPOS_DIR = ['/etc/pkg', '/usr/local/etc/pkg/repos']

STOCK_FREEBSD_CONF = '''\
FreeBSD: {
  url: "pkg+https://pkg.FreeBSD.org/${ABI}/quarterly",
  mirror_type: "srv",
  signature_type: "fingerprints",
  fingerprints: "/usr/share/keys/pkg",
  enabled: yes
}
FreeBSD-base: {
  url: "pkg+https://pkg.FreeBSD.org/${ABI}/base_release_${VERSION_MINOR}",
  mirror_type: "srv",
  signature_type: "fingerprints",
  fingerprints: "/usr/share/keys/pkgbase-${VERSION_MAJOR}",
  enabled: no
}
'''

RC_DHCPD = '''#!/bin/sh
#
# PROVIDE: dhcpd
# REQUIRE: DAEMON
# KEYWORD: shutdown
#
# Add the following lines to /etc/rc.conf to enable dhcpd:
#
# dhcpd_enable="YES"
# dhcpd_flags="<interfaces>"
#
# (fakebsd: `service dhcpd ...` is simulated by fakebsd/pkgpf.py.)

. /etc/rc.subr

name=dhcpd
rcvar=dhcpd_enable

load_rc_config $name

: ${dhcpd_enable:="NO"}
: ${dhcpd_flags:=""}

command="/usr/local/sbin/${name}"

run_rc_command "$1"
'''


RC_SCRIPT = '''#!/bin/sh
#
# PROVIDE: %(name)s
# REQUIRE: %(require)s
# KEYWORD: shutdown
#
# Add the following lines to /etc/rc.conf to enable %(name)s:
#
# %(name)s_enable="YES"
#
# (fakebsd: installed by the simulated pkg from the %(pkg)s package.)

. /etc/rc.subr

name=%(name)s
rcvar=%(name)s_enable

load_rc_config $name

: ${%(name)s_enable:="NO"}

command="%(command)s"

run_rc_command "$1"
'''


def _port(version, origin, comment, files, flatsize, pkgsize, www,
          maintainer, licenses, desc, deps=(), rcd=None, require='DAEMON',
          config=()):
    return {'version': version, 'origin': origin, 'comment': comment,
            'files': files, 'flatsize': flatsize, 'pkgsize': pkgsize,
            'www': www, 'maintainer': maintainer, 'licenses': licenses,
            'categories': origin.split('/')[0], 'desc': desc,
            'deps': list(deps), 'rcd': rcd, 'require': require,
            'config': list(config)}


# The ports repository the simulation knows (built in: no network).  dhcpd
# is OpenBSD's dhcpd (ports net/dhcpd); the versions are the simulation's.
CATALOGUE = {
    'pkg': _port(PKG_VERSION, 'ports-mgmt/pkg', 'Package manager',
                 ['/usr/local/sbin/pkg', '/usr/local/sbin/pkg-static'],
                 34 << 20, 6900 << 10, 'https://github.com/freebsd/pkg',
                 'pkg@FreeBSD.org', 'BSD2CLAUSE', 'Package management tool'),
    'dhcpd': _port('6.9.1', 'net/dhcpd', "OpenBSD's DHCP server",
                   ['/usr/local/sbin/dhcpd', '/usr/local/etc/rc.d/dhcpd',
                    '/usr/local/share/man/man5/dhcpd.conf.5.gz',
                    '/usr/local/share/man/man5/dhcpd.leases.5.gz',
                    '/usr/local/share/man/man8/dhcpd.8.gz'],
                   221 << 10, 62 << 10, 'https://www.openbsd.org/',
                   'koue@chaosophia.net', 'ISCL',
                   "OpenBSD's DHCP server, a DHCPv4 server with pf table "
                   'support.', rcd='dhcpd'),
    'pcre2': _port('10.45', 'devel/pcre2', 'Perl Compatible Regular '
                   'Expressions library, version 2',
                   ['/usr/local/lib/libpcre2-8.so.0',
                    '/usr/local/bin/pcre2grep'],
                   5 << 20, 1800 << 10, 'https://www.pcre.org/',
                   'ports@FreeBSD.org', 'BSD3CLAUSE',
                   'The PCRE2 library is a set of functions that implement '
                   'regular expression pattern matching.'),
    'nginx': _port('1.28.0_3,3', 'www/nginx', 'Robust and small WWW server',
                   ['/usr/local/sbin/nginx', '/usr/local/etc/rc.d/nginx',
                    '/usr/local/etc/nginx/nginx.conf',
                    '/usr/local/etc/nginx/mime.types',
                    '/usr/local/www/nginx-dist/index.html',
                    '/usr/local/share/man/man8/nginx.8.gz'],
                   1900 << 10, 560 << 10, 'https://nginx.org/',
                   'joneum@FreeBSD.org', 'BSD2CLAUSE',
                   'NGINX is a high performance edge web server.',
                   deps=['pcre2'], rcd='nginx',
                   config=['/usr/local/etc/nginx/nginx.conf']),
    'postgresql17-client': _port(
        '17.5', 'databases/postgresql17-client',
        'PostgreSQL database (client)',
        ['/usr/local/bin/psql', '/usr/local/bin/pg_dump',
         '/usr/local/lib/libpq.so.5'],
        13 << 20, 3400 << 10, 'https://www.postgresql.org/',
        'pgsql@FreeBSD.org', 'PostgreSQL',
        'PostgreSQL is the most advanced open-source database available '
        'anywhere.'),
    'postgresql17-server': _port(
        '17.5', 'databases/postgresql17-server',
        'PostgreSQL is the most advanced open-source database available '
        'anywhere',
        ['/usr/local/bin/postgres', '/usr/local/bin/initdb',
         '/usr/local/bin/pg_ctl', '/usr/local/etc/rc.d/postgresql'],
        55 << 20, 14 << 20, 'https://www.postgresql.org/',
        'pgsql@FreeBSD.org', 'PostgreSQL',
        'PostgreSQL is a sophisticated Object-Relational DBMS.',
        deps=['postgresql17-client'], rcd='postgresql', require='LOGIN'),
    'sudo': _port('1.9.17p1', 'security/sudo', 'Allow others to run '
                  'commands as root', ['/usr/local/bin/sudo',
                                       '/usr/local/etc/sudoers'],
                  6 << 20, 1700 << 10, 'https://www.sudo.ws/',
                  'garga@FreeBSD.org', 'sudo',
                  'Sudo is a program designed to allow a sysadmin to give '
                  'limited root privileges to users.',
                  config=['/usr/local/etc/sudoers']),
}


# ---------------------------------------------------------------------------
# small helpers

def _yes(v):
    return str(v or '').strip().lower() in ('yes', 'true', 'on', '1')


def _sha256(data):
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


def _kib(n):
    if n >= 1 << 20:
        return '%d MiB' % (n >> 20)
    return '%d KiB' % (n >> 10)


def _usage():
    core.die('Usage: pkg [-v] [-d] [-l] [-N] [-j <jail name or id>|'
             '-c <chroot path>|-r <rootdir>] [-C <configuration file>] '
             '[-R <repo config dir>] [-o var=value] [-4|-6] <command> '
             '[<args>]\n\nFor more information on available commands and '
             'options see \'pkg help\'.', 1)


def vercmp(a, b):
    """pkg_version_cmp(3), enough for the versions of the simulation:
    [epoch,]version[_revision]; 'p'/'pl' sort after a plain number,
    alpha/beta/pre/rc before it.  Returns -1, 0 or 1."""
    def split(v):
        epoch = 0
        if ',' in v:
            v, _, e = v.rpartition(',')
            epoch = int(e) if e.isdigit() else 0
        rev = 0
        if '_' in v:
            v, _, r = v.rpartition('_')
            rev = int(r) if r.isdigit() else 0
        toks = []
        for t in re.findall(r'\d+|[A-Za-z]+', v):
            if t.isdigit():
                toks.append((0, int(t)))
            elif t.lower() in ('p', 'pl', 'patch'):
                toks.append((0.5, 0))
            else:
                toks.append((-1, t.lower()))
        return epoch, toks, rev

    ea, ta, ra = split(a)
    eb, tb, rb = split(b)
    if ea != eb:
        return -1 if ea < eb else 1
    n = max(len(ta), len(tb))
    for i in range(n):
        x = ta[i] if i < len(ta) else (0, 0)
        y = tb[i] if i < len(tb) else (0, 0)
        if x != y:
            if x[0] != y[0]:
                return -1 if x[0] < y[0] else 1
            return -1 if x[1] < y[1] else 1
    if ra != rb:
        return -1 if ra < rb else 1
    return 0


# ---------------------------------------------------------------------------
# signing keys (the simulation's stand-in for RSA keys)

def key_pubkey(name):
    """The public key of the signing key NAME."""
    return ('-----BEGIN PUBLIC KEY-----\nfakebsd-rsa-%s\n'
            '-----END PUBLIC KEY-----\n' % _sha256('fakebsd key ' + name))


def key_fingerprint(name):
    return _sha256(key_pubkey(name))


def fingerprint_file(name):
    """A pkg fingerprint file (/usr/share/keys/pkg*/trusted/NAME)."""
    return 'function: "sha256"\nfingerprint: "%s"\n' % key_fingerprint(name)


def _signature(pubkey, site):
    return _sha256('fakebsd-signature\0' + pubkey + '\0' +
                   _sha256(json.dumps(site, sort_keys=True)))


# ---------------------------------------------------------------------------
# UCL, as far as pkg's configuration files use it

def ucl_parse(text):
    """NAME: { key: value, ... } blocks and top-level key: value pairs
    (pkg.conf).  Returns a list of (key, value) in order; a block's value
    is a dict, a list [a, b] a list of strings.  Raises ValueError."""
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[{}\[\],:;=]|'
                      r'#[^\n]*|//[^\n]*|/\*.*?\*/|[^\s{}\[\],:;="\']+',
                      text, re.S)
    toks = [t for t in toks if not (t.startswith('#') or t.startswith('//')
                                    or t.startswith('/*'))]
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        t = peek()
        if t is None:
            raise ValueError('unexpected end of file')
        pos[0] += 1
        return t

    def atom(t):
        if t[:1] in ('"', "'"):
            s = t[1:-1]
            if t[0] == '"':
                s = re.sub(r'\\(.)', r'\1', s)
            return s
        if t in '{}[],:;=':
            raise ValueError('unexpected %s' % t)
        return t

    def value():
        t = take()
        if t == '{':
            return dict(pairs('}'))
        if t == '[':
            out = []
            while peek() != ']':
                out.append(atom(take()))
                if peek() == ',':
                    take()
            take()
            return out
        return atom(t)

    def pairs(end):
        out = []
        while True:
            t = peek()
            if t == end:
                if end is not None:
                    take()
                return out
            if t is None:
                raise ValueError('unexpected end of file')
            k = atom(take())
            if peek() in (':', '='):
                take()
            out.append((k, value()))
            while peek() in (',', ';'):
                take()

    return pairs(None)


# ---------------------------------------------------------------------------
# the context: which root, which database, which configuration

class Ctx(object):
    """Where this pkg call works.  mode: host | jail | chroot | rootdir."""

    def __init__(self, st, mode, target, opts):
        self.st = st
        self.mode = mode
        self.opts = opts               # -o VAR=VALUE and the environment
        self.root_sim = None           # the other root, simulated path
        self.root_real = None
        if mode == 'jail':
            from . import net
            name, rec = net.find_jail(st, target)
            if rec is None:
                core.die('pkg: %s' % net.jail_not_found(target), 1)
            self.jail = name
            self.root_sim = core.sim_abspath(rec.get('path') or '/')
        elif mode in ('chroot', 'rootdir'):
            self.root_sim = core.sim_abspath(target)
        if self.root_sim is not None:
            self.root_real = core.host_path(self.root_sim)
            if not os.path.isdir(self.root_real):
                if mode == 'chroot':
                    core.die('pkg: chroot failed: No such file or '
                             'directory', 1)
                if mode == 'rootdir':
                    core.die('pkg: Impossible to open %s' % target, 1)
                core.die('pkg: jail_attach(%s): No such file or directory'
                         % target, 1)
        self.inside = mode in ('jail', 'chroot')
        self._abi = None

    # --- paths -------------------------------------------------------
    def cfg_real(self, p):
        """Real path of configuration path P (pkg's namespace: inside the
        jail or chroot, else the host)."""
        if self.inside:
            return core.resolve_under(self.root_real, core.sim_abspath(p),
                                      True, self._loop)
        return core.host_path(p)

    def file_real(self, p, follow=True):
        """Real path where the file P of a package goes.  -j/-c: inside
        the root (pkg runs chrooted there).  -r: ROOT/P as the host sees
        it: like pkg -r, an absolute symlink in ROOT is followed on the
        host."""
        if self.inside:
            return core.resolve_under(self.root_real, core.sim_abspath(p),
                                      follow, self._loop)
        if self.root_sim is not None:
            return core.host_path(self.root_sim.rstrip('/') + p, follow)
        return core.host_path(p, follow)

    @staticmethod
    def _loop():
        core.die('pkg: Too many levels of symbolic links', 1)

    # --- the database ------------------------------------------------
    def load_db(self):
        if self.root_sim is None:
            self.db = self.st.setdefault('packages', {})
            return
        real = self.file_real(DB_PATH)
        try:
            with open(real, encoding='utf-8', errors='surrogateescape') as f:
                data = json.load(f)
            db = data['packages']
            if not isinstance(db, dict) or not all(
                    isinstance(v, dict) and isinstance(
                        v.get('version'), str) for v in db.values()):
                raise ValueError('bad database')
        except FileNotFoundError:
            db = {}
        except (OSError, ValueError, KeyError, TypeError):
            core.die('pkg: sqlite error while executing PRAGMA '
                     'user_version; in file pkgdb.c:2475: file is not a '
                     'database', 1)
        self.db = db

    def save_db(self):
        if self.root_sim is None:
            return                      # st is written by core.state()
        real = self.file_real(DB_PATH)
        os.makedirs(os.path.dirname(real), exist_ok=True)
        core.write_atomic(real, json.dumps(
            {'fakebsd': 'pkg local database (simulated: JSON)',
             'packages': self.db}, indent=1, sort_keys=True) + '\n', 0o644)

    # --- ABI ---------------------------------------------------------
    def arch(self):
        return self.st.get('uname', {}).get('machine', 'amd64')

    def userland(self):
        """USERLAND_VERSION of the target root's /bin/freebsd-version
        (None when it has none); the host's for the host."""
        if self.root_sim is None:
            return self.st.get('freebsd_version', {}).get('userland')
        try:
            with open(self.file_real('/bin/freebsd-version')) as f:
                for ln in f:
                    if ln.startswith('USERLAND_VERSION='):
                        return ln.partition('=')[2].strip().strip('"\'')
        except OSError:
            pass
        return None

    def abi(self):
        if self._abi is None:
            self._abi = self.opts.get('ABI')
            if not self._abi:
                v = self.userland()
                if v is None and self.mode == 'jail':
                    v = self.st.get('uname', {}).get('release')
                if v is None:
                    core.die('pkg: Unable to determine the ABI, /bin/sh '
                             'not found in %s' % (self.root_sim or '/'), 1)
                self._abi = 'FreeBSD:%s:%s' % (v.split('.')[0], self.arch())
        return self._abi

    def version_vars(self):
        abi = self.abi()
        parts = abi.split(':')
        major = parts[1] if len(parts) > 1 else ''
        minor = ''
        osv = self.opts.get('OSVERSION', '')
        if osv.isdigit():
            minor = str(int(osv) // 1000 % 100)
        else:
            v = self.userland() or ''
            m = re.match(r'^(\d+)\.(\d+)', v)
            if m and m.group(1) == major:
                minor = m.group(2)
        return {'ABI': abi, 'ARCH': parts[-1], 'VERSION_MAJOR': major,
                'VERSION_MINOR': minor, 'OSNAME': 'FreeBSD'}


# ---------------------------------------------------------------------------
# repositories

class RepoError(Exception):
    pass


def _expand(s, vars_):
    return re.sub(r'\$\{([A-Z_]+)\}', lambda m: vars_.get(m.group(1), ''),
                  s)


def repo_confs(ctx):
    """The repositories in configuration order: [(name, {key: value})]."""
    dirs = ctx.opts.get('REPOS_DIR')
    if isinstance(dirs, str):
        dirs = [d for d in dirs.split(',') if d]
    if not dirs:
        dirs = DEFAULT_REPOS_DIR
    repos = []
    index = {}
    for d in dirs:
        real = ctx.cfg_real(d)
        try:
            names = sorted(n for n in os.listdir(real) if n.endswith('.conf'))
        except OSError:
            names = []
        texts = []
        for n in names:
            try:
                with open(os.path.join(real, n), encoding='utf-8',
                          errors='replace') as f:
                    texts.append((d.rstrip('/') + '/' + n, f.read()))
            except OSError:
                pass
        if core.sim_abspath(d) == '/etc/pkg' and 'FreeBSD.conf' not in names:
            texts.insert(0, ('/etc/pkg/FreeBSD.conf', STOCK_FREEBSD_CONF))
        for fname, text in texts:
            try:
                pairs = ucl_parse(text)
            except ValueError as e:
                core.die('pkg: Error parsing: \'%s\': %s' % (fname, e), 1)
            for name, conf in pairs:
                if not isinstance(conf, dict):
                    continue
                if name not in index:
                    index[name] = {}
                    repos.append((name, index[name]))
                index[name].update(conf)
    return repos


def active_repos(ctx, only=None):
    out = []
    for name, conf in repo_confs(ctx):
        if only is not None and name != only:
            continue
        if not _yes(conf.get('enabled', 'yes')):
            continue
        if not conf.get('url') and not conf.get('packagesite'):
            continue
        out.append((name, conf))
    if only is not None and not out:
        core.die("pkg: No repositories are enabled.\npkg: repository '%s' "
                 "does not exist" % only, 1)
    return out


def _file_dir(ctx, url):
    """Real directory of a file:// url, as fetch(1) would open it."""
    p = url[len('file://'):]
    if not p.startswith('/'):
        raise RepoError('%s: Invalid URL' % url)
    if ctx.inside:
        inroot = ctx.cfg_real(p)
        return inroot if os.path.exists(inroot) else p
    if core._strip_root(p) is not None:
        return p
    inroot = core.host_path(p)
    return inroot if os.path.exists(inroot) else p


def _trusted(ctx, conf, pubkey, vars_):
    stype = str(conf.get('signature_type', 'none')).lower()
    if stype == 'none':
        return
    if stype != 'fingerprints':
        core.unsupported('pkg signature_type %s' % stype)
    fdir = _expand(str(conf.get('fingerprints', '')), vars_)
    if not fdir:
        raise RepoError('No fingerprints directory set for the repository')
    fp = _sha256(pubkey) if pubkey else None

    def prints(sub):
        out = set()
        real = ctx.cfg_real(fdir.rstrip('/') + '/' + sub)
        try:
            names = os.listdir(real)
        except OSError:
            return out
        for n in names:
            try:
                with open(os.path.join(real, n), errors='replace') as f:
                    d = dict(ucl_parse(f.read()))
            except (OSError, ValueError):
                continue
            if str(d.get('function', '')).lower() == 'sha256' and \
                    d.get('fingerprint'):
                out.add(str(d['fingerprint']).lower())
        return out

    if fp in prints('revoked'):
        raise RepoError('At least one of the certificates has been revoked')
    if fp is None or fp not in prints('trusted'):
        raise RepoError('No trusted public keys found')


def load_repo(ctx, name, conf):
    """The catalogue of repository NAME: {pkgname: package dict}."""
    vars_ = ctx.version_vars()
    url = _expand(str(conf.get('url') or conf.get('packagesite')), vars_)
    base = re.sub(r'^pkg\+', '', url)
    if re.match(r'^(https?|pkg\+https?)://pkg\.freebsd\.org/', url, re.I) \
            and not re.search(r'/base_', url):
        return dict((n, dict(c, name=n, repo=name, builtin=True))
                    for n, c in CATALOGUE.items())
    if not base.startswith('file://'):
        raise RepoError('%s/meta.conf: Non-recoverable resolver failure'
                        % base)
    d = _file_dir(ctx, base)
    site_path = os.path.join(d, 'packagesite.pkg')
    try:
        with open(site_path, encoding='utf-8') as f:
            site = json.load(f)
        pkgs = site['packagesite']
        pubkey = site.get('pubkey')
        sig = site.get('signature')
    except FileNotFoundError:
        raise RepoError('%s/packagesite.pkg: No such file or directory'
                        % base)
    except (OSError, ValueError, KeyError, TypeError):
        raise RepoError('%s/packagesite.pkg: not a valid repository '
                        'catalogue' % base)
    _trusted(ctx, conf, pubkey, vars_)
    if str(conf.get('signature_type', 'none')).lower() != 'none' and \
            (not pubkey or sig != _signature(pubkey, pkgs)):
        raise RepoError('Invalid signature')
    out = {}
    for p in pkgs:
        if not isinstance(p, dict) or not isinstance(p.get('name'), str):
            continue
        if p.get('abi') not in (None, ctx.abi()):
            continue
        out[p['name']] = dict(p, repo=name, repodir=d, builtin=False)
    return out


def update_repos(ctx, quiet, only=None):
    """pkg update: every active repository's catalogue (dies on the first
    one that cannot be read).  Returns [(name, {pkgname: package})]."""
    repos = active_repos(ctx, only)
    if not repos:
        core.die('pkg: No active remote repositories configured.', 3)
    out = []
    for name, conf in repos:
        if not quiet:
            print('Updating %s repository catalogue...' % name)
        try:
            out.append((name, load_repo(ctx, name, conf)))
        except RepoError as e:
            sys.stdout.flush()
            sys.stderr.write('pkg: %s\n' % e)
            core.die('Unable to update repository %s\nError updating '
                     'repositories!' % name, 1)
        if not quiet:
            print('%s repository is up to date.' % name)
    if not quiet:
        print('All repositories are up to date.')
    return out


def _catalogue(repos):
    """First repository wins (pkg-install(8))."""
    cat = {}
    for name, pkgs in repos:
        for n, p in pkgs.items():
            cat.setdefault(n, p)
    return cat


# ---------------------------------------------------------------------------
# package contents

def pkg_contents(ctx, p):
    """[(path, type, mode, content)] of remote package P."""
    if p.get('builtin'):
        out = []
        for f in p['files']:
            if f == '/usr/local/etc/rc.d/dhcpd':
                out.append((f, 'file', 0o555, RC_DHCPD))
            elif f.startswith('/usr/local/etc/rc.d/'):
                n = os.path.basename(f)
                cmd = [x for x in p['files'] if '/bin/' in x or
                       '/sbin/' in x][0]
                out.append((f, 'file', 0o555, RC_SCRIPT % {
                    'name': n, 'pkg': p['name'], 'require': p['require'],
                    'command': cmd}))
            elif '/sbin/' in f or '/bin/' in f:
                out.append((f, 'file', 0o555, '#!/bin/sh\n# fakebsd: %s '
                            'from the %s package (simulated by fakebsd)\n'
                            % (os.path.basename(f), p['name'])))
            elif f in p.get('config', []):
                out.append((f, 'file', 0o644, '# %s: configuration of %s '
                            '%s (fakebsd)\n' % (os.path.basename(f),
                                                p['name'], p['version'])))
            else:
                out.append((f, 'file', 0o444, ''))
        return out
    path = os.path.join(p['repodir'], p.get('path', ''))
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError:
        core.die('pkg: %s-%s: %s: No such file or directory'
                 % (p['name'], p['version'], p.get('path')), 1)
    if _sha256(raw) != p.get('sum'):
        core.die('pkg: cached package %s-%s: checksum mismatch, cannot '
                 'continue\nConsider running \'pkg update -f\''
                 % (p['name'], p['version']), 1)
    data = json.loads(raw.decode())
    return [(f[0], f[1], int(f[2]), f[3]) for f in data['files']]


def _record(p, automatic, contents):
    return {'version': p['version'], 'origin': p['origin'],
            'comment': p['comment'], 'files': [f for f, t, m, c in contents
                                               if t != 'dir'],
            'dirs': [f for f, t, m, c in contents if t == 'dir'],
            'config': {f: _sha256(c) for f, t, m, c in contents
                       if f in p.get('config', [])},
            'flatsize': p['flatsize'], 'time': int(time.time()),
            'automatic': bool(automatic), 'repository': p['repo'],
            'deps': list(p.get('deps', [])), 'prefix': p.get('prefix',
                                                           '/usr/local'),
            'desc': p.get('desc', ''), 'www': p.get('www', ''),
            'maintainer': p.get('maintainer', ''),
            'licenses': p.get('licenses', ''),
            'categories': p.get('categories', '')}


def _write_contents(ctx, contents, old=None):
    """Install CONTENTS; a config file the admin changed (its digest is
    not the one OLD installed) is kept and the new one written as
    FILE.pkgnew.  Returns the .pkgnew files."""
    kept = []
    oldconf = (old or {}).get('config', {})
    for f, t, mode, c in contents:
        if t == 'dir':
            real = ctx.file_real(f)
            os.makedirs(real, exist_ok=True)
            os.chmod(real, mode)
            continue
        real = ctx.file_real(f, follow=False)
        os.makedirs(os.path.dirname(real), exist_ok=True)
        if t == 'symlink':
            if os.path.lexists(real):
                os.unlink(real)
            os.symlink(c, real)
            continue
        if f in oldconf and os.path.isfile(real):
            with open(real, 'rb') as fh:
                cur = _sha256(fh.read())
            if cur != oldconf[f] and cur != _sha256(c):
                core.write_atomic(real + '.pkgnew', c, mode)
                kept.append(f)
                continue
        if os.path.islink(real):
            os.unlink(real)
        core.write_atomic(real, c, mode)
    return kept


def _remove_files(ctx, rec, keep=()):
    for f in rec.get('files', []):
        if f in keep:
            continue
        try:
            os.unlink(ctx.file_real(f, follow=False))
        except OSError:
            pass


# ---------------------------------------------------------------------------
# pkg(7) and the global options

LONGOPTS = {'--version': 'v', '--debug': 'd', '--list': 'l',
            '--option': 'o', '--jail': 'j', '--chroot': 'c',
            '--rootdir': 'r', '--config': 'C', '--repo-conf-dir': 'R'}
ARG_OPTS = 'ojcrCR'
OPTIONS = ('ABI', 'OSVERSION', 'IGNORE_OSVERSION', 'ASSUME_ALWAYS_YES',
           'REPOS_DIR', 'HANDLE_RC_SCRIPTS', 'DEFAULT_ALWAYS_YES')


def parse_global(args):
    """pkg(8)'s options before the command: ([(c, value)], rest)."""
    opts = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--':
            i += 1
            break
        if a.startswith('--'):
            k, eq, v = a.partition('=')
            c = LONGOPTS.get(k)
            if c is None:
                core.die('pkg: unrecognized option \'%s\'' % a, 1)
            if c in ARG_OPTS and not eq:
                i += 1
                if i >= len(args):
                    _usage()
                v = args[i]
            opts.append((c, v if c in ARG_OPTS else None))
            i += 1
            continue
        if not a.startswith('-') or a == '-':
            break
        j = 1
        while j < len(a):
            c = a[j]
            if c in ARG_OPTS:
                v = a[j + 1:]
                if not v:
                    i += 1
                    if i >= len(args):
                        _usage()
                    v = args[i]
                opts.append((c, v))
                break
            if c not in 'dlNv46':
                sys.stderr.write('pkg: illegal option -- %s\n' % c)
                _usage()
            opts.append((c, None))
            j += 1
        i += 1
    return opts, args[i:]


def _bootstrap_output(st):
    arch = st.get('uname', {}).get('machine', 'amd64')
    print('Bootstrapping pkg from pkg+https://pkg.FreeBSD.org/%s/quarterly, '
          'please wait...' % (PKG_ABI % arch))
    print('Verifying signature with trusted certificate '
          'pkg.freebsd.org.2013102301... done')
    print('Installing pkg-%s...' % PKG_VERSION)
    print('Extracting pkg-%s: 100%%' % PKG_VERSION)


def _pkg7(st, cmd, activation, yes):
    """pkg(7): the host has no pkg(8) yet.  Returns True when the command
    is to be forwarded to pkg(8) (bootstrapped), False when done."""
    if activation:
        core.die('pkg: pkg is not installed', 1)
    if not yes and cmd != 'bootstrap':
        if not core.isatty(0):
            core.die('The package management tool is not yet installed on '
                     'your system.\nPlease set ASSUME_ALWAYS_YES=yes '
                     'environment variable to be able to bootstrap in '
                     'non-interactive (stdin not being a tty)', 1)
        sys.stdout.write('The package management tool is not yet installed '
                         'on your system.\nDo you want to fetch and install '
                         'it now? [y/N]: ')
        sys.stdout.flush()
        if sys.stdin.readline()[:1] not in ('y', 'Y'):
            return False
    _bootstrap_output(st)
    ctx = Ctx(st, 'host', None, {})
    p = dict(CATALOGUE['pkg'], name='pkg', repo='FreeBSD', builtin=True)
    contents = pkg_contents(ctx, p)
    _write_contents(ctx, contents)
    rec = _record(p, False, contents)
    st.setdefault('packages', {})['pkg'] = rec
    return cmd != 'bootstrap'


def _options(gopts):
    o = {}
    for k in OPTIONS:
        if k in os.environ:
            o[k] = os.environ[k]
    for c, v in gopts:
        if c == 'o':
            k, eq, val = v.partition('=')
            if not eq:
                core.die('pkg: Bad option: %s' % v, 1)
            if k not in OPTIONS:
                core.unsupported('pkg -o %s' % k)
            o[k] = val
        elif c == 'R':
            o['REPOS_DIR'] = [v]
    return o


def _conf_file(ctx, path):
    """-C FILE: pkg.conf(5) settings (REPOS_DIR, ABI, ASSUME_ALWAYS_YES)."""
    try:
        with open(ctx.cfg_real(path), errors='replace') as f:
            pairs = ucl_parse(f.read())
    except OSError:
        core.die('pkg: Unable to open configuration file %s' % path, 1)
    except ValueError as e:
        core.die('pkg: Invalid configuration file: %s' % e, 1)
    for k, v in pairs:
        if k in OPTIONS and k not in ctx.opts:
            ctx.opts[k] = v


@core.tool('pkg')
def pkg_main(argv):
    gopts, rest = parse_global(argv[1:])
    flags = set(c for c, v in gopts)
    if 'l' in flags:
        core.unsupported('pkg -l')
    targets = [(c, v) for c, v in gopts if c in 'jcr']
    if len(targets) > 1:
        _usage()
    if 'v' in flags:
        with core.state(readonly=True) as st:
            if 'pkg' not in st.get('packages', {}):
                core.die('pkg: pkg is not installed', 1)
        print(PKG_VERSION)
        return 0
    cmd = rest[0] if rest else ''
    opts = _options(gopts)
    yes_any = _yes(opts.get('ASSUME_ALWAYS_YES')) or \
        any(a in ('-y', '--yes') for a in rest)
    with core.state() as st:
        if 'pkg' not in st.setdefault('packages', {}):
            if not _pkg7(st, cmd, 'N' in flags, yes_any):
                return 1 if cmd != 'bootstrap' else 0
    mode, target = 'host', None
    if targets:
        mode = {'j': 'jail', 'c': 'chroot', 'r': 'rootdir'}[targets[0][0]]
        target = targets[0][1]
    ro = mode != 'host'
    with core.state(readonly=ro) as st:
        ctx = Ctx(st, mode, target, opts)
        if ctx.root_sim == '/' and mode != 'jail':
            ctx = Ctx(st, 'host', None, opts)
            if ro:
                core.unsupported('pkg -%s /' % targets[0][0])
        for c, v in gopts:
            if c == 'C':
                _conf_file(ctx, v)
        ctx.load_db()
        rc = _command(ctx, cmd, rest, 'N' in flags)
        if ctx.dirty:
            ctx.save_db()
        return rc


COMMANDS = {}


def command(name, *aliases):
    def deco(fn):
        for n in (name,) + aliases:
            COMMANDS[n] = fn
        return fn
    return deco


def _command(ctx, cmd, rest, activation):
    ctx.dirty = False
    if activation and not rest:
        if not ctx.db:
            core.die('pkg: No packages installed', 1)
        print('%d packages installed' % len(ctx.db))
        return 0
    if not rest:
        _usage()
    fn = COMMANDS.get(cmd)
    if fn is None:
        cands = [c for c in COMMANDS if c.startswith(cmd)] if cmd else []
        if len(cands) == 1:
            fn = COMMANDS[cands[0]]
        elif cmd in ('add', 'annotate', 'alias', 'audit', 'autoremove',
                     'check', 'create', 'fetch', 'lock', 'plugins',
                     'register', 'repo', 'search', 'set', 'shell', 'shlib',
                     'stats', 'unlock', 'updating', 'version', 'help'):
            core.unsupported('pkg %s' % cmd)
        else:
            sys.stderr.write('pkg: unknown command: %s\n' % cmd)
            _usage()
    return fn(ctx, rest[1:])


# ---------------------------------------------------------------------------
# commands

def _ask(question, yes):
    """pkg's query_yesno: the answer from stdin (EOF: no)."""
    if yes:
        return True
    sys.stdout.write(question)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not core.isatty(0):
        sys.stdout.write('\n')
    return line[:1] in ('y', 'Y')


def _plan(head, title, items, count):
    print(head)
    print('')
    print(title)
    for line in items:
        print('\t' + line)
    print('')
    print(count)
    print('')


def _base(db, n):
    """The installed package n names: n, or n without its -VERSION."""
    if n not in db:
        m = re.match(r'^(.*)-[0-9][^-]*$', n)
        if m and m.group(1) in db:
            return m.group(1)
    return n


def _match(names, pattern, how, origins=None):
    """Names of NAMES matching PATTERN: exact (name, name-version or
    origin), -g glob, -x regex; -C case insensitive."""
    fold = 'C' in how
    out = []
    for n in sorted(names):
        cands = [n] + ([origins[n]] if origins and origins.get(n) else [])
        for c in cands:
            a, b = (c.lower(), pattern.lower()) if fold else (c, pattern)
            if 'g' in how:
                ok = fnmatch.fnmatchcase(a, b)
            elif 'x' in how:
                ok = re.search(b, a) is not None
            else:
                ok = a == b
            if ok:
                out.append(n)
                break
    return out


_NAME_CMDS = {
    'install': ('AfInFMqRUyr:Cgix', 'AfnqUyrCgix',
                'Usage: pkg install [-AfInFMqRUy] [-r reponame] '
                '[-Cgix] <pkg-origin|pkg-name> ...\n\nFor more '
                'information see \'pkg help install\'.'),
    'delete': ('aCDfginqRxy', 'yqfnCgix',
               'Usage: pkg delete [-DfnqRy] [-Cgix] <pkg-name> '
               '...\n       pkg delete [-Dnqy] -a\n\nFor more '
               'information see \'pkg help delete\'.'),
    'upgrade': ('fInFqUyr:CgixV', 'fnqUyrCgix',
                'Usage: pkg upgrade [-fInFqUy] [-r reponame] [-Cgix] '
                '<pkg-name> ...\n\nFor more information see \'pkg help '
                'upgrade\'.'),
}


def _cmd_args(ctx, sub, args, need_names=True):
    optstring, allowed, usage = _NAME_CMDS[sub]
    bad = core.usage_die(usage)
    opts, names = core.getopts(args, optstring, bad)
    opts.refuse_others(allowed, 'pkg ' + sub)
    if need_names and not names:
        bad('usage', '')
    opts.yes = 'y' in opts or _yes(ctx.opts.get('ASSUME_ALWAYS_YES'))
    opts.quiet = 'q' in opts
    opts.how = ''.join(c for c in 'Cgix' if c in opts)
    return opts, names


def _resolve_deps(cat, db, want, force):
    """WANT (names) plus their missing dependencies, dependencies first:
    [(name, automatic)]."""
    out = []
    seen = set()

    def visit(n, auto):
        if n in seen:
            return
        seen.add(n)
        p = cat.get(n)
        if p is None:
            core.die('pkg: %s has a missing dependency: %s' % (n, n), 1)
        for d in p.get('deps', []):
            if d not in db:
                visit(d, True)
        if force or n not in db:
            out.append((n, auto))
    for n in want:
        visit(n, False)
    return out


def _fetch_lines(items, quiet):
    if quiet:
        return
    total = len(items)
    for k, p in enumerate(items, 1):
        print('[%d/%d] Fetching %s-%s.pkg: 100%%  %7s %5.1fkB/s    00:01    '
              % (k, total, p['name'], p['version'], _kib(p['pkgsize']),
                 p['pkgsize'] / 1000.0))
    print('Checking integrity... done (0 conflicting)')


def _report_pkgnew(kept):
    for f in kept:
        sys.stderr.write('pkg: %s: the file was modified locally: the new '
                         'version is %s.pkgnew\n' % (f, f))


@command('install')
def cmd_install(ctx, args):
    o, names = _cmd_args(ctx, 'install', args)
    repos = update_repos(ctx, o.quiet or 'U' in o, o.value('r'))
    cat = _catalogue(repos)
    origins = {n: p.get('origin') for n, p in cat.items()}
    want = []
    for pat in names:
        m = _match(cat, pat, o.how, origins)
        if not m and not o.how:
            base = re.sub(r'-[0-9][^-/]*$', '', pat)
            if base in cat and '%s-%s' % (base, cat[base]['version']) == pat:
                m = [base]
        if not m:
            core.die("pkg: No packages available to install matching '%s' "
                     "have been found in the repositories" % pat, 1)
        want += [n for n in m if n not in want]
    plan = _resolve_deps(cat, ctx.db, want, 'f' in o)
    if not plan:
        if not o.quiet:
            print('Checking integrity... done (0 conflicting)')
            print('The most recent versions of packages are already '
                  'installed')
        return 0
    items = [cat[n] for n, a in plan]
    if not o.quiet:
        _plan('The following %d package(s) will be affected (of 0 '
              'checked):' % len(plan), 'New packages to be %s:'
              % ('REINSTALLED' if 'f' in o and all(n in ctx.db for n, a
                                                   in plan) else
                 'INSTALLED'),
              ['%s: %s [%s]' % (p['name'], p['version'], p['repo'])
               for p in items],
              'Number of packages to be installed: %d' % len(plan))
        print('The process will require %s more space.'
              % _kib(sum(p['flatsize'] for p in items)))
        print('%s to be downloaded.' % _kib(sum(p['pkgsize']
                                                 for p in items)))
    if 'n' in o:
        return 1
    if not _ask('\nProceed with this action? [y/N]: ', o.yes):
        return 1
    _fetch_lines(items, o.quiet)
    contents = [pkg_contents(ctx, p) for p in items]
    kept = []
    for k, (p, c) in enumerate(zip(items, contents), 1):
        if not o.quiet:
            print('[%d/%d] Installing %s-%s...' % (k, len(items), p['name'],
                                                    p['version']))
            print('[%d/%d] Extracting %s-%s: 100%%'
                  % (k, len(items), p['name'], p['version']))
        old = ctx.db.get(p['name'])
        if old:
            _remove_files(ctx, old, keep=[f for f, t, m, x in c])
        kept += _write_contents(ctx, c, old)
        auto = dict(plan)[p['name']] or 'A' in o
        if old and not old.get('automatic'):
            auto = False
        ctx.db[p['name']] = _record(p, auto, c)
        ctx.dirty = True
    _report_pkgnew(kept)
    return 0


@command('delete', 'remove')
def cmd_delete(ctx, args):
    o, names = _cmd_args(ctx, 'delete', args)
    db = ctx.db
    gone = []
    for n in names:
        m = _match(db, n, o.how) if o.how else [_base(db, n)]
        m = [x for x in m if x in db]
        if not m:
            sys.stderr.write("No packages matched for pattern '%s'\n\n" % n)
            continue
        gone += [x for x in m if x not in gone]
    if not o.quiet:
        print('Checking integrity... done (0 conflicting)')
    if not gone:
        if not o.quiet:
            print('No packages matched')
        return 1
    if 'pkg' in gone and ctx.root_sim is None and 'f' not in o:
        core.unsupported('pkg delete pkg')
    if not o.quiet:
        _plan('Deinstallation has been requested for the following %d '
              'packages (of 0 packages in the universe):' % len(gone),
              'Installed packages to be REMOVED:',
              ['%s: %s' % (n, db[n]['version']) for n in gone],
              'Number of packages to be removed: %d' % len(gone))
        print('The operation will free %s.'
              % _kib(sum(db[n].get('flatsize', 0) for n in gone)))
    if 'n' in o:
        return 1
    if not _ask('\nProceed with deinstalling packages? [y/N]: ', o.yes):
        return 1
    for k, n in enumerate(gone, 1):
        if not o.quiet:
            print('[%d/%d] Deinstalling %s-%s...'
                  % (k, len(gone), n, db[n]['version']))
            print('[%d/%d] Deleting files for %s-%s: 100%%'
                  % (k, len(gone), n, db[n]['version']))
        _remove_files(ctx, db[n])
        del db[n]
        ctx.dirty = True
    return 0


@command('upgrade')
def cmd_upgrade(ctx, args):
    o, names = _cmd_args(ctx, 'upgrade', args, need_names=False)
    repos = update_repos(ctx, o.quiet or 'U' in o, o.value('r'))
    cat = _catalogue(repos)
    db = ctx.db
    cands = sorted(db)
    if names:
        cands = []
        for n in names:
            m = _match(db, n, o.how) if o.how else [_base(db, n)]
            cands += [x for x in m if x in db and x not in cands]
    if not o.quiet:
        print('Checking for upgrades (%d candidates): 100%%' % len(cands))
        print('Processing candidates (%d candidates): 100%%' % len(cands))
    up = []
    for n in cands:
        p = cat.get(n)
        if p is None:
            continue
        if 'f' in o or vercmp(p['version'], db[n]['version']) > 0:
            up.append(n)
    new = [n for n, a in _resolve_deps(cat, db, up, False) if n not in db]
    if not up and not new:
        if not o.quiet:
            print('Checking integrity... done (0 conflicting)')
            print('Your packages are up to date.')
        return 0
    if not o.quiet:
        lines = ['%s: %s -> %s [%s]' % (n, db[n]['version'],
                                        cat[n]['version'], cat[n]['repo'])
                 for n in up]
        print('The following %d package(s) will be affected (of 0 '
              'checked):' % (len(up) + len(new)))
        print('')
        if new:
            print('New packages to be INSTALLED:')
            for n in new:
                print('\t%s: %s [%s]' % (n, cat[n]['version'],
                                         cat[n]['repo']))
            print('')
        print('Installed packages to be UPGRADED:')
        for line in lines:
            print('\t' + line)
        print('')
        print('Number of packages to be upgraded: %d' % len(up))
        if new:
            print('Number of packages to be installed: %d' % len(new))
        print('')
    if 'n' in o:
        return 1
    if not _ask('\nProceed with this action? [y/N]: ', o.yes):
        return 1
    items = [cat[n] for n in new + up]
    _fetch_lines(items, o.quiet)
    contents = [pkg_contents(ctx, p) for p in items]
    kept = []
    total = len(items)
    for k, (p, c) in enumerate(zip(items, contents), 1):
        n = p['name']
        old = db.get(n)
        if not o.quiet:
            if old:
                print('[%d/%d] Upgrading %s from %s to %s...'
                      % (k, total, n, old['version'], p['version']))
            else:
                print('[%d/%d] Installing %s-%s...' % (k, total, n,
                                                        p['version']))
            print('[%d/%d] Extracting %s-%s: 100%%' % (k, total, n,
                                                        p['version']))
        if old:
            _remove_files(ctx, old, keep=[f for f, t, m, x in c])
        kept += _write_contents(ctx, c, old)
        db[n] = _record(p, old.get('automatic') if old else True, c)
        ctx.dirty = True
    _report_pkgnew(kept)
    return 0


@command('update')
def cmd_update(ctx, args):
    opts, rest = core.getopts(args, 'fqr:', core.usage_die(
        'Usage: pkg update [-fq] [-r reponame]\n\nFor more information, '
        'see \'pkg help update\'.'))
    if rest:
        core.die('Usage: pkg update [-fq] [-r reponame]\n\nFor more '
                 'information, see \'pkg help update\'.', 1)
    update_repos(ctx, 'q' in opts, opts.value('r'))
    return 0


@command('info')
def cmd_info(ctx, args):
    opts, names = core.getopt(args, 'aAbBcdDeEfgiIklL:MopqrRsx',
                              lambda k, c: core.die(
                                  'Usage: pkg info <pkg-name>\n       pkg '
                                  'info -a\n       pkg info -F <pkg-file>'
                                  '\n\nFor more information see \'pkg help '
                                  'info\'.', 1))
    flags = set(c for c, v in opts)
    db = ctx.db
    if 'e' in flags:
        if not names:
            return 1
        return 0 if all(_base(db, n) in db for n in names) else 1
    bad = flags - set('aqE')
    if bad:
        core.unsupported('pkg info -%s' % ''.join(sorted(bad)))
    if not names or 'a' in flags:
        for n in sorted(db):
            if 'q' in flags or 'E' in flags:
                print('%s-%s' % (n, db[n]['version']))
            else:
                print('%-30s %s' % ('%s-%s' % (n, db[n]['version']),
                                    db[n].get('comment', '')))
        return 0
    status = 0
    for n in names:
        base = _base(db, n)
        if base not in db:
            sys.stderr.write('pkg: No package(s) matching %s\n' % n)
            status = 1
            continue
        _info_long(ctx, base, db[base], 'q' in flags or 'E' in flags)
    return status


def _info_long(ctx, name, r, short):
    if short:
        print('%s-%s' % (name, r['version']))
        return
    c = CATALOGUE.get(name, {}) if ctx.root_sim is None else {}

    def get(k):
        return r.get(k) or c.get(k, '')
    print('%s-%s' % (name, r['version']))
    for k, v in (('Name', name), ('Version', r['version']),
                 ('Installed on', time.strftime(
                     '%a %b %d %H:%M:%S %Y %Z',
                     time.localtime(r.get('time', 0)))),
                 ('Origin', r['origin']),
                 ('Architecture', ctx.abi() if ctx.root_sim else
                  PKG_ABI % ctx.arch()),
                 ('Prefix', r.get('prefix', '/usr/local')),
                 ('Categories', get('categories')),
                 ('Licenses', get('licenses')),
                 ('Maintainer', get('maintainer')),
                 ('WWW', get('www')),
                 ('Comment', r.get('comment', '')),
                 ('Annotations', ''),
                 ('Flat size', _kib(r.get('flatsize', 0)))):
        print('%-12s: %s' % (k, v) if v != '' else '%-12s:' % k)
    if r.get('repository'):
        print('%-12s: %s' % ('Repository', r['repository']))
    print('Description :')
    print(get('desc') or r.get('comment', ''))


def _query_fmt(fmt, name, r):
    def sub(m):
        k = m.group(1)
        if k == '%':
            return '%'
        v = {'n': name, 'v': r.get('version', ''),
             'o': r.get('origin', ''), 'c': r.get('comment', ''),
             'a': '1' if r.get('automatic') else '0',
             'R': r.get('repository') or r.get('repo') or 'unknown-repository',
             'p': r.get('prefix', '/usr/local'),
             's': str(r.get('flatsize', 0)) if 'sh' not in k else
             _kib(r.get('flatsize', 0))}.get(k[-1])
        if v is None:
            core.unsupported('pkg query format %%%s' % k)
        return v
    return re.sub(r'%(sh|[%a-zA-Z])', sub, fmt)


def _query(db, args, what):
    opts, rest = core.getopt(args, 'aCegixr:U', core.usage_die(
        'Usage: pkg %s <query-format> <pkg-name>\n       pkg %s -a '
        '<query-format>\n\nFor more information see \'pkg help %s\'.'
        % (what, what, what)))
    flags = set(c for c, v in opts)
    if 'e' in flags:
        core.unsupported('pkg %s -e' % what)
    if not rest:
        core.die('Usage: pkg %s <query-format> <pkg-name>' % what, 1)
    fmt, pats = rest[0], rest[1:]
    how = ''.join(c for c in 'Cgix' if c in flags)
    if pats and 'a' not in flags:
        names = []
        for p in pats:
            m = _match(db, p, how) if how else [_base(db, p)]
            names += [n for n in m if n in db and n not in names]
    else:
        names = sorted(db)
    for n in names:
        print(_query_fmt(fmt, n, db[n]))
    return 0 if names else 1


@command('query')
def cmd_query(ctx, args):
    return _query(ctx.db, args, 'query')


@command('rquery')
def cmd_rquery(ctx, args):
    opts, _ = core.getopt(args, 'aCegixr:U', core.usage_die(
        'Usage: pkg rquery <query-format> <pkg-name>'))
    repo = dict(opts).get('r')
    cat = _catalogue(update_repos(ctx, True, repo))
    return _query(cat, args, 'rquery')


@command('which')
def cmd_which(ctx, args):
    opts, files = core.getopt(args, 'qgop', None)
    quiet = any(c == 'q' for c, v in opts)
    status = 0
    for f in files:
        p = core.sim_abspath(f) if ctx.root_sim is None else \
            '/' + '/'.join(x for x in f.split('/') if x)
        owner = None
        for n, r in ctx.db.items():
            if p in r.get('files', []):
                owner = '%s-%s' % (n, r['version'])
        if owner is None:
            print('%s was not found in the database' % p)
            status = 1
        elif quiet:
            print(owner)
        else:
            print('%s was installed by package %s' % (p, owner))
    return status


@command('bootstrap')
def cmd_bootstrap(ctx, args):
    print('pkg already bootstrapped at /usr/local/sbin/pkg')
    return 0


@command('clean')
def cmd_clean(ctx, args):
    opts, rest = core.getopt(args, 'anqy', None)
    if not any(c == 'q' for c, v in opts):
        print('Nothing to do.')
    return 0


# ---------------------------------------------------------------------------
# the FreeBSD-base repository (pkgbase): what mkpkgbase writes

BASE_FILES = {
    # package: [(path, type, mode, template)]; %(rel)s = the release with
    # its patch level, %(arch)s
    'FreeBSD-runtime': [
        ('/bin', 'dir', 0o755, ''), ('/boot', 'dir', 0o755, ''),
        ('/dev', 'dir', 0o555, ''), ('/etc', 'dir', 0o755, ''),
        ('/etc/defaults', 'dir', 0o755, ''), ('/libexec', 'dir', 0o755, ''),
        ('/root', 'dir', 0o750, ''), ('/sbin', 'dir', 0o755, ''),
        ('/tmp', 'dir', 0o1777, ''), ('/usr', 'dir', 0o755, ''),
        ('/usr/bin', 'dir', 0o755, ''), ('/usr/sbin', 'dir', 0o755, ''),
        ('/usr/share', 'dir', 0o755, ''),
        ('/usr/share/misc', 'dir', 0o755, ''), ('/var', 'dir', 0o755, ''),
        ('/var/log', 'dir', 0o755, ''), ('/var/run', 'dir', 0o755, ''),
        ('/var/tmp', 'dir', 0o1777, ''),
        ('/COPYRIGHT', 'file', 0o444, 'COPYRIGHT'),
        ('/bin/sh', 'file', 0o555, 'SH'),
        ('/bin/freebsd-version', 'file', 0o555, 'FREEBSD_VERSION'),
        ('/etc/termcap', 'symlink', 0o777, '/usr/share/misc/termcap'),
        ('/usr/share/misc/termcap', 'file', 0o444, 'TERMCAP'),
    ],
    'FreeBSD-rc': [
        ('/etc/rc', 'file', 0o644, 'RC'),
        ('/etc/defaults/rc.conf', 'file', 0o444, 'DEFAULTS_RC_CONF'),
    ],
    'FreeBSD-clibs': [
        ('/lib', 'dir', 0o755, ''),
        ('/lib/libc.so.7', 'file', 0o444, '# fakebsd: libc.so.7 of '
         'FreeBSD %(rel)s (%(arch)s)\n'),
    ],
    'FreeBSD-utilities': [
        ('/usr/bin/env', 'file', 0o555, '#!/bin/sh\n# fakebsd: env(1) of '
         'FreeBSD %(rel)s\n'),
        ('/usr/sbin/service', 'file', 0o555, '#!/bin/sh\n# fakebsd: '
         'service(8) of FreeBSD %(rel)s\n'),
    ],
    'FreeBSD-pkg-bootstrap': [
        ('/usr/sbin/pkg', 'file', 0o555, '#!/bin/sh\n# fakebsd: pkg(7) of '
         'FreeBSD %(rel)s\n'),
        ('/etc/pkg', 'dir', 0o755, ''),
        ('/etc/pkg/FreeBSD.conf', 'file', 0o644, STOCK_FREEBSD_CONF.replace(
            '%', '%%')),
    ],
}
BASE_COMMENTS = {
    'FreeBSD-runtime': 'FreeBSD runtime: the minimal base system',
    'FreeBSD-rc': 'FreeBSD rc(8) scripts and rc.conf defaults',
    'FreeBSD-clibs': 'FreeBSD core C libraries',
    'FreeBSD-utilities': 'FreeBSD base utilities',
    'FreeBSD-pkg-bootstrap': 'FreeBSD pkg(7) bootstrap and repository '
                             'configuration',
    'FreeBSD-set-minimal-jail': 'Minimal set of packages for a FreeBSD '
                                'jail (meta package)',
}
BASE_DEPS = {
    'FreeBSD-runtime': ['FreeBSD-clibs'],
    'FreeBSD-rc': ['FreeBSD-runtime'],
    'FreeBSD-utilities': ['FreeBSD-runtime'],
    'FreeBSD-set-minimal-jail': ['FreeBSD-clibs', 'FreeBSD-runtime',
                                 'FreeBSD-rc', 'FreeBSD-utilities',
                                 'FreeBSD-pkg-bootstrap'],
}
# the packages a patch level changes (FreeBSD-runtime carries
# freebsd-version, so it changes with every patch)
BASE_PATCHED = ('FreeBSD-runtime', 'FreeBSD-utilities')
BASE_CONFIG = ('/etc/pkg/FreeBSD.conf',)


def _mirror_templates():
    """The file templates of mkmirror (one base tree for both ways)."""
    import importlib.machinery
    import importlib.util
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    loader = importlib.machinery.SourceFileLoader(
        'fakebsd_mkmirror', os.path.join(here, 'mkmirror'))
    spec = importlib.util.spec_from_loader('fakebsd_mkmirror', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def make_repo(outdir, release='15.0-RELEASE', patch=0, arch='amd64',
              key=None, offer_keys=False):
    """Write the FreeBSD-base repository of RELEASE at patch level PATCH
    to OUTDIR/FreeBSD:MAJOR:ARCH/base_release_MINOR (replacing what was
    there) and return that directory.  KEY: the signing key's name
    (default awskms-MAJOR, the key the host's
    /usr/share/keys/pkgbase-MAJOR/trusted names).  OFFER_KEYS: the mirror
    also ships a keys/ directory with its key's fingerprint (a mirror
    must never be trusted for that)."""
    import shutil
    m = re.match(r'^(\d+)\.(\d+)-RELEASE$', release)
    if not m:
        raise ValueError('release must be N.N-RELEASE: %s' % release)
    major, minor = m.group(1), m.group(2)
    key = key or 'awskms-%s' % major
    abi = 'FreeBSD:%s:%s' % (major, arch)
    rel = release + ('-p%d' % patch if patch else '')
    tpl = _mirror_templates()
    v = {'rel': rel, 'arch': arch}
    d = os.path.join(outdir, abi, 'base_release_' + minor)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(os.path.join(d, 'All'))
    site = []
    for name in sorted(set(BASE_FILES) | set(BASE_DEPS)):
        version = '%s.%s' % (major, minor)
        if patch and name in BASE_PATCHED:
            version += 'p%d' % patch
        files = []
        for path, t, mode, text in BASE_FILES.get(name, []):
            if t == 'file':
                text = getattr(tpl, text, text) % v
            files.append([path, t, mode, text])
        raw = json.dumps({'name': name, 'version': version,
                          'files': files}, sort_keys=True).encode()
        fname = 'All/%s-%s.pkg' % (name, version)
        with open(os.path.join(d, fname), 'wb') as f:
            f.write(raw)
        site.append({'name': name, 'origin': 'base/' + name[len('FreeBSD-'):],
                     'version': version, 'comment': BASE_COMMENTS.get(
                         name, 'FreeBSD base system: ' + name),
                     'desc': BASE_COMMENTS.get(name, name), 'abi': abi,
                     'prefix': '/', 'flatsize': 4096 + sum(
                         len(f[3]) for f in files),
                     'pkgsize': len(raw), 'path': fname, 'sum': _sha256(raw),
                     'deps': BASE_DEPS.get(name, []),
                     'config': [p for p, t, mo, x in BASE_FILES.get(name, [])
                                if p in BASE_CONFIG],
                     'maintainer': 're@FreeBSD.org',
                     'www': 'https://www.FreeBSD.org',
                     'licenses': 'BSD2CLAUSE', 'categories': 'base'})
    pub = key_pubkey(key)
    with open(os.path.join(d, 'meta.conf'), 'w') as f:
        f.write('version = 2;\npacking_format = "tzst";\n'
                'manifests = "packagesite.yaml";\n'
                'filesite = "filesite.yaml";\n'
                '# fakebsd: the simulated catalogue is packagesite.pkg '
                '(JSON)\n')
    with open(os.path.join(d, 'packagesite.pkg'), 'w') as f:
        json.dump({'format': 'fakebsd-packagesite-1', 'pubkey': pub,
                   'signature': _signature(pub, site),
                   'packagesite': site}, f, indent=1, sort_keys=True)
        f.write('\n')
    if offer_keys:
        kd = os.path.join(d, 'keys', 'trusted')
        os.makedirs(kd)
        with open(os.path.join(kd, key), 'w') as f:
            f.write(fingerprint_file(key))
    return d
