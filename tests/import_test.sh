# jailer import of damaged and forged export files: refused before any
# zfs receive, nothing left behind; a forged file's conf member and
# stream properties are never trusted; fault sweeps of a full and an
# incremental import.  The round trip is in export_test.sh.

# mkjail, jroot, jconf, refused, host_sweep, pf_host, calls_reset,
# assert_called, assert_not_called and the exp_* helpers (export files,
# two hosts) are in jailer.subr.

JAIL_DOMAIN=
# xz -d only reads (import decompresses before it changes anything).
READONLY_CALLS='^(zfs (list|get) |zpool list|jls( |$)|uname |hostname$|freebsd-version|kldstat|sysctl -n|mount -p$|sysrc -n|ifconfig -l$|ifconfig [A-Za-z0-9_.]+$|xz -d )'

# ---------------------------------------------------------------- tests

atf_test_case damaged
damaged_head()
{
	atf_set descr 'a truncated file, a byte flipped in the stream, the manifest or the conf member, trailing bytes, another format version, not an export file: one line, no zfs receive, nothing left'
	sim_only "the call log"
}
damaged_body()
{
	require_sim
	exp_source
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/w1.jexp"
	rm -rf "$JAILER_ROOT"
	pf_host
	save_norm
	mlen=$(exp_manifest_len w1.jexp)
	size=$(wc -c <w1.jexp | tr -d ' ')

	head -c $((size - 100)) w1.jexp >short.jexp
	exp_refused truncated "$PWD/short.jexp"
	atf_check -s exit:0 -o match:'is truncated: 100 bytes missing' cat .err
	head -c $((mlen - 10)) w1.jexp >short2.jexp
	exp_refused 'truncated manifest' "$PWD/short2.jexp"

	cp w1.jexp stream.jexp
	exp_flip stream.jexp $((size - 50))
	exp_refused 'stream' "$PWD/stream.jexp"
	atf_check -s exit:0 -o match:'SHA-256 of its stream member does not match' cat .err

	cp w1.jexp manifest.jexp
	off=$(grep -a -b -m1 '^created ' w1.jexp | cut -d: -f1)
	exp_flip manifest.jexp $((off + 9))
	exp_refused 'manifest' "$PWD/manifest.jexp"
	atf_check -s exit:0 -o match:"manifest's SHA-256 does not match" cat .err

	cp w1.jexp conf.jexp
	exp_flip conf.jexp $((mlen + 20))
	exp_refused 'conf' "$PWD/conf.jexp"
	atf_check -s exit:0 -o match:'SHA-256 of its conf member' cat .err

	{ cat w1.jexp; echo extra; } >long.jexp
	exp_refused 'trailing' "$PWD/long.jexp"
	atf_check -s exit:0 -o match:'6 bytes after its last member' cat .err

	sed '1s/ 1$/ 2/' w1.jexp >v2.jexp
	exp_refused 'version' "$PWD/v2.jexp"
	atf_check -s exit:0 -o match:'export format 2 is not supported' cat .err

	echo hello >junk.jexp
	exp_refused 'junk' "$PWD/junk.jexp"
	atf_check -s exit:0 -o match:'not a jailer export file' cat .err
	exp_refused 'missing' "$PWD/nothere.jexp"
	assert_norm
}

atf_test_case forged
forged_head()
{
	atf_set descr 'a forged file (checksums right): hostile names, interfaces, domains and addresses in the manifest are refused, a conf member over 1 MiB too; its conf member (a path outside, pf rules) is never installed; a stream that is not xz'
	sim_only "the call log, a forged file"
}
forged_body()
{
	require_sim
	exp_source
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/w1.jexp"
	rm -rf "$JAILER_ROOT"
	pf_host
	save_norm
	exp_forge w1.jexp same.jexp
	exp_forge w1.jexp name.jexp "m['jail'] = '../../etc'"
	exp_refused 'jail ../../etc' "$PWD/name.jexp"
	exp_forge w1.jexp iface.jexp "m['iface'] = 'bridge0;rm'"
	exp_refused 'iface' "$PWD/iface.jexp"
	exp_forge w1.jexp dom.jexp "m['domain'] = '\$(reboot)'"
	exp_refused 'domain' "$PWD/dom.jexp"
	exp_forge w1.jexp ip.jexp "m['ip4'] = '10.0.0.300/24'"
	exp_refused 'ip4' "$PWD/ip.jexp"
	exp_forge w1.jexp net.jexp "m['network'] = 'host'"
	exp_refused 'network' "$PWD/net.jexp"
	exp_forge w1.jexp snap.jexp "m['snapshot'] = 'a/../b'"
	exp_refused 'snapshot' "$PWD/snap.jexp"
	exp_forge w1.jexp rel.jexp "m['release'] = '99.0-RELEASE'"
	exp_refused 'release' "$PWD/rel.jexp"
	exp_forge w1.jexp xz.jexp "mem['stream'] = b'not xz at all'"
	exp_refused 'stream not xz' "$PWD/xz.jexp"
	# Only the small members are read into memory: at most 1 MiB each.
	exp_forge w1.jexp big.jexp "mem['conf'] = b'#' * (1024 * 1024 + 1)"
	exp_refused 'conf over 1 MiB' "$PWD/big.jexp"
	atf_check -s exit:0 -o match:'damaged manifest \(member conf\)' cat .err
	assert_norm
	# The conf member says path = "/etc" and loads a pf file: ignored.
	exp_forge w1.jexp conf.jexp \
	    "mem['conf'] = mem['conf'].replace(b'/usr/local/jails/w1', b'/etc') + b'w1 { exec.prestart += \"pfctl -f /tmp/evil\"; }\n'"
	atf_check -s exit:0 -o ignore -e empty jailer import "$PWD/conf.jexp"
	conf_has 'path = "/usr/local/jails/w1";' w1
	conf_lacks '/tmp/evil' w1
	conf_lacks '"/etc"' w1
	atf_check -s exit:0 -o inline:'marker-one\n' cat "$(jroot w1)/root/marker"
	# A stream whose dataset claims mountpoint=/etc: the property is not
	# received, the jail's root is where jailer puts it.
	atf_check -s exit:0 -o ignore -e empty jailer destroy -f w1
	exp_forge w1.jexp mp.jexp '
import lzma, json
z = lzma.decompress(mem["stream"])
M = b"FAKEBSD-ZFS-STREAM 1\n"
rest = z[len(M):]
nl = rest.index(b"\n")
n = int(rest[:nl])
h = json.loads(rest[nl + 1:nl + 1 + n])
for e in h["entries"]:
    e["props"] = dict(e["props"] or {}, mountpoint="/etc", canmount="on")
hb = json.dumps(h).encode()
mem["stream"] = lzma.compress(M + b"%d\n" % len(hb) + hb + rest[nl + 1 + n:])
'
	atf_check -s exit:0 -o ignore -e empty jailer import "$PWD/mp.jexp"
	atf_check -s exit:0 -o inline:'/usr/local/jails/w1\tinherited from zroot/jails\n' \
	    zfs get -H -o value,source mountpoint zroot/jails/w1
	atf_check -s exit:0 -o ignore test -f "$JAILER_ROOT/etc/defaults/rc.conf"
	atf_check -s exit:0 -o inline:'marker-one\n' cat "$(jroot w1)/root/marker"
}

atf_test_case sweep_import
sweep_import_head()
{
	atf_set descr 'a fault at every call of a full import and of an incremental import leaves the host as it was'
	sim_only "fault injection"
}
sweep_import_body()
{
	require_sim
	exp_source
	atf_check -s exit:0 -o ignore -e empty jailer export w1 "$PWD/full.jexp"
	s1=$(exp_field full.jexp snapshot)
	sleep 1
	atf_check -s exit:0 -o ignore -e empty jailer export -i "$s1" w1 "$PWD/inc.jexp"
	rm -rf "$JAILER_ROOT"
	pf_host
	NORM_STATE=exp_norm host_sweep jailer import "$PWD/full.jexp"
	atf_check -s exit:0 -o ignore -e empty jailer import "$PWD/full.jexp"
	host_sweep jailer import "$PWD/inc.jexp"
}

atf_init_test_cases()
{
	. "$(atf_get_srcdir)/jailer.subr"
	atf_add_test_case damaged
	atf_add_test_case forged
	atf_add_test_case sweep_import
}
