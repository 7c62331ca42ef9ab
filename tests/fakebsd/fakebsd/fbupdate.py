"""fakebsd.fbupdate: freebsd-update(8), as FreeBSD 14.3 ships it, against
a simulated update server.

The server is part of the simulated world: st['freebsd_update']
['releases'] maps a release to its newest patch level (absent: SERVER
below, never written back, so a fresh host's state is unchanged).  Tests
add a patch level or an upgrade target by setting that key.  What a
release at patch level N ships is computed from mkmirror's release tree
(the same templates): bin/freebsd-version says RELEASE-pN, and etc/rc
carries one comment line per patch level; every other file is the one of
the release.

Commands: fetch, upgrade, updatesready, install, rollback (cron, IDS and
showconfig: unsupported).  Working files live in WORKDIR (-d, default
/var/db/freebsd-update) only: BDHASH-install.json (the fetched, not yet
installed update: the files and the install steps left) and
BDHASH-rollback.json (what the last install replaced), BDHASH being the
sha256 of BASEDIR as the real tool names them.

Behaviour kept from the real tool:
  * the current release is --currently-running, else -j's jail's
    freebsd-version, else the running kernel (uname -r): with -b and
    without --currently-running the host's release is assumed;
  * fetch refuses without a tty on stdin unless --not-running-from-cron;
  * a file under UpdateIfUnmodified (/etc/ /var/ /root/ by default) that
    matches no version of its release is locally modified: a patch level
    leaves it alone and lists it (the BUGS section of freebsd-update.8);
  * upgrade merges locally modified files under MergeChanges (/etc/
    /boot/device.hints by default) three ways, non-interactively: a local
    change that only appends lines to the file as the old release shipped
    it is kept on top of the new file; any other local change is a
    conflict: the files are listed and the upgrade stops (exit 1, nothing
    fetched);
  * install exits 2 with nothing to install; an upgrade installs in steps
    (kernel when Components lists it, world, then the old libraries when
    the major changes), each install printing that it must be run again;
  * a file is written through a temp file and rename(2) in its directory
    (a symlink as last component is replaced, not followed; directories
    are followed, as the real tool does).

FAKEBSD_FAIL: install writes the first file of its step, then fails
(exit 1), the way an interrupted install leaves a half-updated tree;
every other command fails before it does anything.
"""

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys

from . import core

SERVER = {'13.5-RELEASE': 1, '14.2-RELEASE': 2, '14.3-RELEASE': 3,
          '15.0-RELEASE': 1}

ME = '/usr/sbin/freebsd-update'

USAGE = '''usage: freebsd-update [options] command ...

Options:
  -b basedir   -- Operate on a system mounted at basedir
                  (default: /)
  -d workdir   -- Store working files in workdir
                  (default: /var/db/freebsd-update/)
  -f conffile  -- Read configuration options from conffile
                  (default: /etc/freebsd-update.conf)
  -F           -- Force a fetch operation to proceed in the
                  case of an unfinished upgrade
  -j jail      -- Operate on the given jail specified by jid or name
  -k KEY       -- Trust an RSA key with SHA256 hash of KEY
  -r release   -- Target for upgrade (e.g., 13.2-RELEASE)
  -s server    -- Server from which to fetch updates
                  (default: update.FreeBSD.org)
  -t address   -- Mail output of cron command, if any, to address
                  (default: root)
  -v level     -- Set output verbosity (stats, nostats or debug)
  --not-running-from-cron
               -- Run without a tty, for use by automated tools
  --currently-running release
               -- Update as if currently running this release
Commands:
  fetch        -- Fetch updates from server
  cron         -- Sleep rand(3600) seconds, fetch updates, and send an
                  email if updates were found
  upgrade      -- Fetch upgrades to FreeBSD version specified via -r option
  updatesready -- Check if there are fetched updates ready to install
  install      -- Install downloaded updates or upgrades
  rollback     -- Uninstall most recently installed updates
  IDS          -- Compare the system against an index of "known good" files
  showconfig   -- Show configuration'''

COMMANDS = ('fetch', 'cron', 'upgrade', 'updatesready', 'install',
            'rollback', 'IDS', 'showconfig')

_mkmirror = None


def mkmirror():
    """mkmirror's templates (the release tree), loaded once."""
    global _mkmirror
    if _mkmirror is None:
        path = os.path.join(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))), 'mkmirror')
        loader = importlib.machinery.SourceFileLoader('fb_mkmirror', path)
        spec = importlib.util.spec_from_loader('fb_mkmirror', loader)
        mod = importlib.util.module_from_spec(spec)
        loader.exec_module(mod)
        _mkmirror = mod
    return _mkmirror


def managed_files():
    m = mkmirror()
    return {'COPYRIGHT': m.COPYRIGHT, 'bin/sh': m.SH,
            'bin/freebsd-version': m.FREEBSD_VERSION, 'etc/rc': m.RC,
            'etc/defaults/rc.conf': m.DEFAULTS_RC_CONF,
            'usr/share/misc/termcap': m.TERMCAP}


def content(rel, level, path, arch):
    """What RELEASE at patch LEVEL ships as PATH (bytes)."""
    tmpl = managed_files()[path]
    name = rel if level == 0 else '%s-p%d' % (rel, level)
    v = {'rel': name if path == 'bin/freebsd-version' else rel,
         'arch': arch}
    text = tmpl % v
    if path == 'etc/rc':
        text += ''.join('# %s-p%d: fakebsd security fix %d\n' % (rel, k, k)
                        for k in range(1, level + 1))
    return text.encode()


def server(st):
    fu = st.get('freebsd_update')
    if isinstance(fu, dict) and isinstance(fu.get('releases'), dict):
        return fu['releases']
    return SERVER


def split_release(r):
    """'14.3-RELEASE-p2' -> ('14.3-RELEASE', 2); None if not a release."""
    parts = r.split('-')
    level = 0
    if len(parts) == 3 and parts[2].startswith('p') and parts[2][1:].isdigit():
        level = int(parts[2][1:])
        parts = parts[:2]
    if len(parts) != 2 or not parts[1]:
        return None
    num = parts[0].split('.')
    if len(num) != 2 or not all(x.isdigit() for x in num):
        return None
    return '-'.join(parts), level


def vers(rel):
    a, b = rel.split('-')[0].split('.')
    return int(a), int(b)


# ---------------------------------------------------------------------------
# options and configuration

class Opts:
    basedir = None
    workdir = None
    conffile = '/etc/freebsd-update.conf'
    force = False
    jail = None
    target = None
    nottyok = False
    running = None
    verbose = 'stats'


def usage(code=1):
    sys.stdout.flush()
    sys.stderr.write(USAGE + '\n')
    sys.exit(code)


def parse_args(argv):
    o = Opts()
    cmds = []
    args = list(argv[1:])
    takes = {'-b': 'basedir', '-d': 'workdir', '-f': 'conffile',
             '-j': 'jail', '-k': None, '-r': 'target', '-s': None,
             '-t': None, '-v': 'verbose', '--currently-running': 'running'}
    while args:
        a = args.pop(0)
        if a in takes:
            if not args:
                usage()
            v = args.pop(0)
            if takes[a]:
                setattr(o, takes[a], v)
        elif a == '-F':
            o.force = True
        elif a == '--not-running-from-cron':
            o.nottyok = True
        elif a in COMMANDS:
            cmds.append(a)
        elif len(a) > 2 and a[0] == '-' and a[1] != '-' and a[:2] in takes:
            # -bDIR: getopts style
            args.insert(0, a[2:])
            args.insert(0, a[:2])
        else:
            usage()
    if not cmds or o.verbose not in ('stats', 'nostats', 'debug'):
        usage()
    return o, cmds


def read_conf(o):
    conf = {'Components': ['src', 'world', 'kernel'],
            'UpdateIfUnmodified': ['/etc/', '/var/', '/root/', '/.cshrc',
                                   '/.profile'],
            'MergeChanges': ['/etc/', '/boot/device.hints'],
            'WorkDir': ['/var/db/freebsd-update'], 'BaseDir': ['/']}
    try:
        with open(core.host_path(o.conffile), encoding='utf-8',
                  errors='surrogateescape') as f:
            text = f.read()
    except OSError:
        core.die('Config file does not exist: %s' % o.conffile)
    for line in text.splitlines():
        line = line.split('#', 1)[0].split()
        if line and line[0] in conf:
            conf[line[0]] = line[1:]
    if o.workdir is None:
        o.workdir = (conf['WorkDir'] or ['/var/db/freebsd-update'])[0]
    if o.basedir is None:
        o.basedir = (conf['BaseDir'] or ['/'])[0]
    return conf


def jail_base(st, o):
    """-j: the jail's path and the release its freebsd-version claims."""
    for name, j in st.get('jails', {}).items():
        if name == o.jail or str(j.get('jid')) == o.jail:
            path = j.get('path', '/')
            try:
                with open(core.host_path(os.path.join(
                        path, 'bin/freebsd-version')), 'rb') as f:
                    for line in f.read().decode(errors='replace').split('\n'):
                        if line.startswith('USERLAND_VERSION='):
                            return path, line.split('=', 1)[1].strip('"')
            except OSError:
                pass
            return path, None
    core.die('jls: jail "%s" not found' % o.jail)


def setup(o):
    """Check the options, read the configuration: (conf, basedir real)."""
    st = core.load_state()
    if o.jail is not None:
        o.basedir, claimed = jail_base(st, o)
        if o.running is None:
            o.running = claimed
    conf = read_conf(o)
    wd = core.host_path(o.workdir)
    if not (os.path.isdir(wd) and os.access(wd, os.W_OK)):
        core.die('freebsd-update: Directory does not exist or is not '
                 'writable: %s' % o.workdir)
    bd = core.host_path(o.basedir)
    if not os.path.isdir(bd):
        core.die('freebsd-update: Directory does not exist or is not '
                 'writable: %s' % o.basedir)
    if o.running is None:
        o.running = st['uname']['release']
    return st, conf


def bdhash(o):
    b = os.path.normpath(core.sim_abspath(o.basedir))
    return hashlib.sha256((b + '\n').encode()).hexdigest()


def wfile(o, kind):
    return os.path.join(core.host_path(o.workdir),
                        '%s-%s.json' % (bdhash(o), kind))


def jload(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def jsave(path, obj):
    core.write_atomic(path, json.dumps(obj, sort_keys=True, indent=1) + '\n',
                      0o600)


def bfile(o, f):
    """Real path of BASEDIR/f: directories followed, the file not."""
    return core.host_path(os.path.join(core.sim_abspath(o.basedir), f),
                          follow=False)


def bread(o, f):
    try:
        with open(core.host_path(os.path.join(
                core.sim_abspath(o.basedir), f)), 'rb') as fh:
            return fh.read()
    except OSError:
        return None


def under(f, prefixes):
    p = '/' + f
    return any(p.startswith(x) if x.endswith('/') else p == x
               for x in prefixes)


def header(rel):
    print('Looking up update.FreeBSD.org mirrors... 3 mirrors found.')
    print('Fetching metadata signature for %s from update1.freebsd.org... '
          'done.' % rel)
    print('Fetching metadata index... done.')
    print('Inspecting system... done.')
    print('Preparing to download files... done.')


def unsupported_release(st, rel, target=None):
    arch = st['uname']['machine']
    print('Looking up update.FreeBSD.org mirrors... 3 mirrors found.')
    print('Fetching metadata signature for %s from update1.freebsd.org... '
          'failed.' % (target or rel))
    print('No mirrors remaining, giving up.')
    print()
    print('This may be because upgrading from this platform (%s)' % arch)
    print('or release (%s) is unsupported by freebsd-update. Only' % rel)
    print('platforms with Tier 1 support can be upgraded by freebsd-update.')
    print('See https://www.freebsd.org/platforms/ for more info.')
    print()
    print('If unsupported, FreeBSD must be upgraded by source.')
    sys.stdout.flush()
    sys.exit(1)


def pending_guard(o):
    p = jload(wfile(o, 'install'))
    if p is not None and p.get('kind') == 'upgrade' and not o.force:
        print('You have a partially completed upgrade pending')
        print("Run '%s install' first." % ME)
        print("Run '%s fetch -F' to proceed anyway." % ME)
        sys.stdout.flush()
        sys.exit(1)


def print_list(title, files):
    if files:
        print()
        print(title)
        for f in files:
            print('/' + f)


# ---------------------------------------------------------------------------
# commands

def cmd_fetch(o, st, conf):
    if not o.nottyok and not core.isatty(0):
        print('`%s fetch` should not be run non-interactively.' %
              os.path.basename(ME))
        print('Run `%s cron` instead.' % os.path.basename(ME))
        sys.stdout.flush()
        sys.exit(1)
    pending_guard(o)
    sr = split_release(o.running)
    srv = server(st)
    if sr is None or sr[0] not in srv:
        unsupported_release(st, o.running)
    rel = sr[0]
    latest = int(srv[rel])
    arch = st['uname']['machine']
    header(rel)
    updates, modified, files = [], [], {}
    for f in sorted(managed_files()):
        cur = bread(o, f)
        if cur is None:
            continue
        want = content(rel, latest, f, arch)
        if cur == want:
            continue
        known = [content(rel, k, f, arch) for k in range(latest + 1)]
        if under(f, conf['UpdateIfUnmodified']) and cur not in known:
            modified.append(f)
            continue
        updates.append(f)
        files[f] = want.decode('latin-1')
    target = '%s-p%d' % (rel, latest) if latest else rel
    print_list('The following files are affected by updates. No changes '
               'have been\ndownloaded, however, because the files have '
               'been modified locally:', modified)
    if not updates:
        print()
        print('No updates needed to update system to %s.' % target)
        try:
            os.unlink(wfile(o, 'install'))
        except OSError:
            pass
        return 0
    print_list('The following files will be updated as part of updating '
               'to\n%s:' % target, updates)
    jsave(wfile(o, 'install'), {'kind': 'update', 'target': target,
                                'steps': ['all'], 'files': files})
    return 0


def merge(o, f, cur, old_versions, new):
    """Three-way merge of a locally modified file: the local lines added
    at the end of a shipped version go on top of the new file."""
    for old in sorted(old_versions, key=len, reverse=True):
        if cur.startswith(old):
            return new + cur[len(old):]
    return None


def cmd_upgrade(o, st, conf):
    if o.target is None:
        core.die("freebsd-update: Release target must be specified via "
                 "'-r' option.")
    pending_guard(o)
    srv = server(st)
    sr, tr = split_release(o.running), split_release(o.target)
    if sr is None or sr[0] not in srv:
        unsupported_release(st, o.running)
    if tr is None or tr[1] != 0 or tr[0] not in srv:
        unsupported_release(st, sr[0], o.target)
    cur_rel, new_rel = sr[0], tr[0]
    if new_rel == cur_rel:
        core.die('freebsd-update: Cannot upgrade from %s to itself' %
                 cur_rel)
    if vers(new_rel) < vers(cur_rel):
        core.die('freebsd-update: Cannot upgrade from %s to %s (a '
                 'downgrade)' % (cur_rel, new_rel))
    arch = st['uname']['machine']
    level = int(srv[new_rel])
    header(cur_rel)
    print('The following components of FreeBSD seem to be installed:')
    print(' '.join(c if c != 'world' else 'world/base'
                   for c in conf['Components'] if c != 'src'))
    files, updates, merged, conflicts = {}, [], [], []
    for f in sorted(managed_files()):
        cur = bread(o, f)
        if cur is None:
            continue
        new = content(new_rel, level, f, arch)
        olds = [content(cur_rel, k, f, arch)
                for k in range(int(srv[cur_rel]) + 1)]
        if cur not in olds and cur != new and \
                under(f, conf['MergeChanges']):
            m = merge(o, f, cur, olds, new)
            if m is None:
                conflicts.append(f)
                continue
            merged.append(f)
            new = m
        if cur != new:
            updates.append(f)
            files[f] = new.decode('latin-1')
    if conflicts:
        print_list('The following files could not be merged '
                   'automatically:', conflicts)
        sys.stdout.flush()
        core.die('freebsd-update: %d file(s) with conflicting local '
                 'changes; resolve them and run upgrade again' %
                 len(conflicts))
    target = '%s-p%d' % (new_rel, level) if level else new_rel
    print_list('The following files have been merged, their local changes '
               'kept:', merged)
    print_list('The following files will be updated as part of updating '
               'to\n%s:' % target, updates)
    steps = ['kernel'] if 'kernel' in conf['Components'] else []
    steps.append('world')
    if vers(new_rel)[0] != vers(cur_rel)[0]:
        steps.append('cleanup')
    print()
    print("To install the downloaded upgrades, run '%s [options] "
          "install'." % ME)
    jsave(wfile(o, 'install'), {'kind': 'upgrade', 'target': target,
                                'steps': steps, 'files': files})
    return 0


def no_updates():
    print('No updates are available to install.')
    print("Run '%s fetch' first." % ME)
    return 2


def cmd_updatesready(o, st, conf):
    if jload(wfile(o, 'install')) is None:
        return no_updates()
    print('There are updates available to install.')
    print("Run '%s install' to proceed." % ME)
    return 0


def put(o, f, data, saved):
    """Write BASEDIR/f, its old content kept in saved (once)."""
    real = bfile(o, f)
    if f not in saved:
        old = bread(o, f)
        saved[f] = None if old is None else old.decode('latin-1')
    os.makedirs(os.path.dirname(real), exist_ok=True)
    if os.path.islink(real):
        os.unlink(real)
    core.write_atomic(real, data)


def cmd_install(o, st, conf):
    path = wfile(o, 'install')
    p = jload(path)
    if p is None or not p.get('steps'):
        return no_updates()
    step = p['steps'].pop(0)
    rbpath = wfile(o, 'rollback')
    rb = jload(rbpath) if p.get('started') else None
    saved = rb['files'] if rb else {}
    p['started'] = True
    sys.stdout.write('Installing updates...')
    sys.stdout.flush()
    todo = []
    if step == 'kernel':
        rel = p['target']
        todo = [('boot/kernel/kernel', 'fakebsd kernel of %s\n' % rel)]
    elif step in ('all', 'world'):
        todo = sorted(p['files'].items())
    for i, (f, data) in enumerate(todo):
        put(o, f, data.encode('latin-1'), saved)
        if core.FAULT:
            jsave(rbpath, {'files': saved})
            print()
            core.simulated_failure()
    jsave(rbpath, {'files': saved})
    if core.FAULT:
        print()
        core.simulated_failure()
    if p['steps']:
        jsave(path, p)
        print()
        if step == 'kernel':
            print('Kernel updates have been installed.  Please reboot and '
                  'run')
        else:
            print('Completing this upgrade requires removing old shared '
                  'object files.')
            print('Please rebuild all installed 3rd party software (e.g., '
                  'programs')
            print('installed from the ports tree) and then run')
        print('"%s install" again to finish installing updates.' % ME)
    else:
        os.unlink(path)
        print(' done.')
    return 0


def cmd_rollback(o, st, conf):
    rbpath = wfile(o, 'rollback')
    rb = jload(rbpath)
    if rb is None:
        core.die('No rollback directory found.')
    sys.stdout.write('Uninstalling updates...')
    for f, data in sorted(rb['files'].items()):
        if data is None:
            try:
                os.unlink(bfile(o, f))
            except OSError:
                pass
        else:
            put(o, f, data.encode('latin-1'), {})
    os.unlink(rbpath)
    print(' done.')
    return 0


HANDLERS = {'fetch': cmd_fetch, 'upgrade': cmd_upgrade,
            'updatesready': cmd_updatesready, 'install': cmd_install,
            'rollback': cmd_rollback}


@core.tool('freebsd-update', faults='self')
def freebsd_update_main(argv):
    o, cmds = parse_args(argv)
    for c in cmds:
        if c not in HANDLERS:
            core.unsupported('freebsd-update %s' % c)
    if core.FAULT and 'install' not in cmds:
        core.simulated_failure()
    st, conf = setup(o)
    rc = 0
    for c in cmds:
        rc = HANDLERS[c](o, st, conf)
        if rc == 2 and c == 'install' and \
                ('fetch' in cmds or 'upgrade' in cmds):
            rc = 0
        if rc != 0:
            break
    return rc
