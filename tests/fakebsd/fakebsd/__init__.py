"""fakebsd: a simulated FreeBSD 14.3 host for jailer's test suite.

See ../README.md for the contract.  This package only holds the table that
tells the launcher (bin/_tool) which module implements which tool, so that
a tool imports nothing but its own module and fakebsd.core.

To add a tool: create bin/TOOL -> _tool, add 'TOOL': 'MODULE' below, and
register the entry point in MODULE with @core.tool('TOOL').
"""

# tool name (basename of argv[0]) -> module of this package
TOOL_MODULES = {
    'zfs': 'zfs',
    'zpool': 'zfs',
    'uname': 'misc',
    'hostname': 'misc',
    'freebsd-version': 'misc',
    'sysrc': 'misc',
    'service': 'misc',
    'sysctl': 'misc',
    'kldstat': 'misc',
    'fetch': 'misc',
    'sha256': 'misc',
    'tar': 'misc',
    # provided by other modules (net.py, jail.py, pkgpf.py)
    'ifconfig': 'net',
    'route': 'net',
    'jail': 'jail',
    'jls': 'jail',
    'jexec': 'jail',
    'mount': 'jail',
    'umount': 'jail',
    'pkg': 'pkg',
    'pfctl': 'pkgpf',
    'dhcpd': 'pkgpf',
    'devfs': 'pkgpf',
    'freebsd-update': 'fbupdate',
    'reboot': 'boot',
    'xz': 'archive',
    'rctl': 'rctl',
    'cpuset': 'rctl',
}
