"""xz(1) of FreeBSD 14.3 (XZ Utils 5.4), the options jailer uses.

    xz [-z | -d] [-c] [-k] [-f] [-q] [-T threads] [file ...]

-z compresses (the default), -d decompresses, -c writes to standard
output and keeps the input, -k keeps the input files, -f overwrites and
allows a terminal, -q quiets warnings, -T sets the threads (0 = as many
as there are cores; the output is the same).  Without files: standard
input to standard output.  A file FILE compresses to FILE.xz (the input
removed unless -k or -c); FILE.xz decompresses to FILE.  python's lzma
writes real .xz data (CRC64 check), so `xz -t` elsewhere agrees.  Every
other option (long ones too) is refused as xz does: "xz: invalid option
-- 'x'" or "xz: unrecognized option '--x'", then "xz: Try `xz --help'
for more information.", exit 1.  Errors are xz's: "xz: (stdin): File
format not recognized", "... Unexpected end of input", "... Compressed
data is corrupt", "xz: Compressed data cannot be written to a terminal",
"xz: F: No such file or directory", exit 1.
"""
import lzma
import os
import sys

from . import core

TRY = "xz: Try `xz --help' for more information."


def _bad(msg):
    sys.stderr.write('xz: %s\n%s\n' % (msg, TRY))
    sys.exit(1)


def _parse(args):
    opts = {'mode': 'z', 'c': False, 'k': False, 'f': False, 'q': False}
    files = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--':
            files.extend(args[i + 1:])
            break
        if a.startswith('--'):
            _bad("unrecognized option '%s'" % a)
        if not a.startswith('-') or a == '-':
            files.append(a)
            i += 1
            continue
        j = 1
        while j < len(a):
            c = a[j]
            if c in 'zd':
                opts['mode'] = c
            elif c in 'ckfq':
                opts[c] = True
            elif c == 'T':
                v = a[j + 1:]
                if not v:
                    i += 1
                    if i >= len(args):
                        _bad("option requires an argument -- 'T'")
                    v = args[i]
                if not v.isdigit():
                    sys.stderr.write('xz: %s: Invalid argument to '
                                     '--threads\n' % v)
                    sys.exit(1)
                break
            else:
                _bad("invalid option -- '%s'" % c)
            j += 1
        i += 1
    return opts, files


def _convert(data, mode, name):
    if mode == 'z':
        return lzma.compress(data, format=lzma.FORMAT_XZ,
                             check=lzma.CHECK_CRC64)
    if not data.startswith(b'\xfd7zXZ\x00'):
        core.die('xz: %s: File format not recognized' % name)
    try:
        d = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
        out = d.decompress(data)
        while d.eof and d.unused_data:
            rest = d.unused_data
            if not rest.strip(b'\x00'):
                break
            d = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
            out += d.decompress(rest)
    except lzma.LZMAError:
        core.die('xz: %s: Compressed data is corrupt' % name)
    if not d.eof:
        core.die('xz: %s: Unexpected end of input' % name)
    return out


def _file(path, opts):
    mode = opts['mode']
    # -c only reads (a file outside the root is harmless to read)
    real = core.read_path(path) if opts['c'] else core.host_path(path)
    if mode == 'd' and not path.endswith('.xz'):
        if not opts['q']:
            sys.stderr.write('xz: %s: Filename has an unknown suffix, '
                             'skipping\n' % path)
        return 2
    try:
        with open(real, 'rb') as f:
            data = f.read()
    except FileNotFoundError:
        sys.stderr.write('xz: %s: No such file or directory\n' % path)
        return 1
    out = _convert(data, mode, path)
    if opts['c']:
        sys.stdout.buffer.write(out)
        return 0
    dst = real + '.xz' if mode == 'z' else real[:-3]
    if os.path.lexists(dst) and not opts['f']:
        sys.stderr.write('xz: %s: File exists\n'
                         % (path + '.xz' if mode == 'z' else path[:-3]))
        return 1
    with open(dst + '.tmp', 'wb') as f:
        f.write(out)
    os.rename(dst + '.tmp', dst)
    if not opts['k']:
        os.unlink(real)
    return 0


@core.tool('xz')
def xz_main(argv):
    opts, files = _parse(argv[1:])
    if not files:
        files = ['-']
    tocons = opts['c'] or files == ['-']
    if tocons and opts['mode'] == 'z' and core.isatty(1) and not opts['f']:
        core.die('xz: Compressed data cannot be written to a terminal\n'
                 + TRY)
    rc = 0
    for f in files:
        if f == '-':
            data = sys.stdin.buffer.read()
            sys.stdout.buffer.write(_convert(data, opts['mode'], '(stdin)'))
            continue
        rc = max(rc, _file(f, opts))
    sys.stdout.flush()
    return rc
