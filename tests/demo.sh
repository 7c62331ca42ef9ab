#!/bin/sh
#
# The guided tour of jailer: the seed README's session, replayed command
# by command on a fresh simulated FreeBSD 14.3 host (tests/fakebsd) in a
# temporary directory.  Every command shown is really run; nothing on
# this machine outside the temporary directory is touched.
#
# usage: sh tests/demo.sh [path/to/jailer]
#
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
jailer=${1:-$top/build/jailer}
case $jailer in
/*) ;;
*) jailer=$(pwd)/$jailer ;;
esac
[ -x "$jailer" ] || { echo "demo: $jailer: not built; run make" >&2; exit 1; }

demo=$(mktemp -d "${TMPDIR:-/tmp}/jailer-demo.XXXXXX") || exit 1
trap 'rm -rf "$demo"' EXIT INT TERM
fake=$top/tests/fakebsd
"$fake/mkhost" "$demo/root" >/dev/null || exit 1
"$fake/mkmirror" "$demo/mirror" --arch amd64 >/dev/null 2>&1 || {
	echo "demo: building the release mirror failed (bsdtar missing?)" >&2
	exit 1
}
mkdir -p "$demo/bin" "$demo/root/usr/local/sbin"
ln -s "$jailer" "$demo/bin/jailer"
# jailer installed on the host: the jails' conf files run it from hooks.
printf '#!/bin/sh\nexec "%s" "$@"\n' "$jailer" \
    >"$demo/root/usr/local/sbin/jailer"
chmod 555 "$demo/root/usr/local/sbin/jailer"
JAILER_ROOT=$demo/root
# The simulated tools: the fast client next to jailer (make fakebsd) when
# it is built, else the python launcher.
tools=$(dirname "$jailer")/fakebsd/bin
[ -x "$tools/_tool" ] || tools=$fake/bin
PATH=$tools:$demo/bin:$PATH
FreeBSD_mirror=file://$demo/mirror
NO_COLOR=1
export JAILER_ROOT PATH FreeBSD_mirror NO_COLOR

prompt="root@armbsd14:~ #"

# say TEXT: a line of narration.
say()
{
	printf '\n\033[1m%s\033[0m\n' "$*"
}

# show CMD...: the prompt and the command, quoted like a shell user would.
show()
{
	printf '%s' "$prompt"
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./@:=+-]*|"") printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
}

# run CMD...: show the command, then run it.
run()
{
	show "$@"
	"$@" 2>&1
}

# answer WORD CMD...: run CMD and answer its OK? prompt with WORD.
answer()
{
	w=$1
	shift
	show "$@"
	echo "$w" | "$@" 2>&1 | sed "s/^\(.*OK? (y\/N) \)/\1$w\n/"
}

# inside JAIL LINE...: type lines into a jail's console.
inside()
{
	j=$1
	shift
	printf '%s jailer console %s\n' "$prompt" "$j"
	for l in "$@"; do
		printf 'root@%s:~ # %s\n' "$j" "$l"
		echo "$l" | jailer console "$j" 2>&1
	done
}

say "Prepare the host (FreeBSD 14.3, one ZFS pool called zroot):"
answer y jailer init
say "Check the host:"
run jailer init info
say "Create a jail; the host's release is fetched and verified first:"
run jailer create
run jailer image list
say "Other releases on the mirror, and fetching one:"
run jailer image list remote
run jailer image fetch 14.2-RELEASE
run jailer list
say "Patch an image: freebsd-update -b on the image, its own work dir, a snapshot @pN:"
run jailer image update -D 14.3-RELEASE
run jailer image update 14.3-RELEASE
run jailer image list
say "A jail on 14.2-RELEASE, its patch level, then an upgrade to 14.3 (snapshot first):"
run jailer create -r 14.2-RELEASE old0
run jailer update old0
run jailer upgrade -D old0 14.3-RELEASE
run jailer upgrade old0 14.3-RELEASE
run zfs get -H -o value jailer:release zroot/jails/old0
run jailer snap list old0
say "The way back is the snapshot it took; the release jailer records comes back too:"
run jailer rollback -f old0@jailer-14.2-RELEASE-p2
run zfs get -H -o value jailer:release zroot/jails/old0
say "An image a clone depends on cannot be destroyed:"
run jailer create -C -r 14.2-RELEASE clone0
run jailer image destroy 14.2-RELEASE
say "A jail with an address on the host interface vtnet0:"
run jailer create -t new -b vtnet0 -a 192.168.64.15 www0
run jailer list
inside www0 hostname ifconfig
say "Advanced networking: check the host, then set up a bridge for VNET jails:"
run jailer init info
answer y jailer init bridge
say "A VNET jail on bridge0 with a static address:"
run jailer create -t eb -a 10.0.0.10 fd1dafdc
run jailer list
say "DHCP for VNET jails (OpenBSD's dhcpd, dhcpd.conf, a devfs ruleset with bpf):"
answer y jailer init dhcp
run jailer create -t eb app0
run jailer list
say "NAT and port redirection through pf anchors:"
answer y jailer init pf
run jailer nat add app0
run jailer rdr add -p tcp -r 80 -d 8080 app0
run jailer rdr list
run pfctl -a jailer/app0 -s nat
say "Stopping, starting and destroying:"
run jailer stop www0
run jailer stopall
run jailer startall
run jailer destroy www0
say "Snapshots and jails made from them, copied or cloned:"
run jailer snap app0@prod
run jailer create -t eb -s app0@prod app01
run jailer create -C -t eb -s app0@prod app02
run jailer snap list
run jailer list
say "Defaults:"
run jailer image list
run jailer image use 14.3-RELEASE
run jailer image list
run jailer network use eb
run jailer network use
say "A dry run shows everything create would do, and does nothing:"
run jailer create -D db0
say "JSON output:"
run jailer list -j
say "Jail parameters, in the conf file and live where jail(8) allows it; boot order:"
run jailer set app0 allow.raw_sockets=on enforce_statfs=1 osrelease=13.2-RELEASE
run jailer get app0
run jailer set -D app01 securelevel=2
run jailer set app01 depend=app0
run jailer set app02 boot=off
run sysrc jail_list
say "Resource limits need the kernel's resource accounting, off by default;
jailer says what to set, and the reboot below turns it on:"
run jailer limit app0 memoryuse=1g
show sh -c 'echo kern.racct.enable=1 >>/boot/loader.conf'
mkdir -p "$JAILER_ROOT/boot"
echo kern.racct.enable=1 >>"$JAILER_ROOT/boot/loader.conf"
say "A reboot (the simulated host's): rc(8) brings back bridge0, pf, dhcpd and
every jail but app02 (boot=off); the hooks in the conf files load each
jail's rules again:"
# Never the build machine's own reboot: the simulated one, by its path.
[ -x "$tools/reboot" ] || { echo "demo: no simulated reboot in $tools" >&2; exit 1; }
show reboot
"$tools/reboot" 2>&1
run jailer list
run pfctl -a jailer/app0 -s nat
say "Resource limits (rctl) and CPU sets: in the conf file, applied live:"
run jailer limit app0 memoryuse=1g maxproc=200 pcpu=50:log
run jailer limit list app0
run jailer cpuset app0 0-1
run jailer cpuset app0
say "A host directory in a jail (nullfs, listed in the jail's own fstab):"
mkdir -p "$JAILER_ROOT/srv/www"
run jailer mount app0 /srv/www /usr/local/www ro
run jailer mount list
say "A path through a symlink the jail's root planted (made here from the host)
is refused, and nothing is mounted:"
show ln -s /etc /usr/local/jails/app0/evil
ln -s /etc "$JAILER_ROOT/usr/local/jails/app0/evil"
run jailer mount app0 /srv/www /evil/www
say "Programs inside a running jail: pkg, sysrc and service with -j (the
arguments as given, the program's exit status passed through):"
run jailer pkg app0 install -y nginx
run jailer sysrc app0 nginx_enable=YES
run jailer service app0 nginx start
run jailer service app0 nginx status
say "A host file copied into a jail; through the symlink the jail planted, refused:"
echo '<h1>app0</h1>' >"$JAILER_ROOT/root/index.html"
run jailer cp app0 /root/index.html /usr/local/www/nginx-dist/index.html
run jailer cp app0 /root/index.html /evil/master.passwd
say "Templates (jailer-template(5)); the examples are installed in
/usr/local/share/jailer/templates:"
mkdir -p "$JAILER_ROOT/usr/local/share/jailer/templates"
cp "$top"/share/templates/* "$JAILER_ROOT/usr/local/share/jailer/templates/"
show cat /usr/local/share/jailer/templates/nginx
cat "$JAILER_ROOT/usr/local/share/jailer/templates/nginx"
run jailer create -t eb web0
run jailer apply -D -a port=8081 web0 /usr/local/share/jailer/templates/nginx
run jailer apply -a port=8081 web0 /usr/local/share/jailer/templates/nginx
run jailer rdr list web0
say "A failing line rolls the jail and the host back (and the snapshot goes):"
printf 'SYSRC motd=hello\nPKG install -y nosuchpackage\n' \
    >"$JAILER_ROOT/root/bad.tmpl"
run jailer apply web0 /root/bad.tmpl
run jailer sysrc web0 -n motd
run jailer snap list web0
say "A hostile line is refused, with its line number, before anything runs:"
printf 'ARG who=you\nCMD /bin/echo $(id) ${who}\n' >"$JAILER_ROOT/root/evil.tmpl"
run jailer apply web0 /root/evil.tmpl
say "A ZFS dataset delegated to a jail (zfs-jail(8)): the jail manages it itself:"
run zfs create zroot/appdata
run jailer zfs app0 attach zroot/appdata
run jailer zfs app0
say "IPv4 and IPv6 together; list -l shows the IPv6 column:"
run jailer create -t new -b vtnet0 -a 192.168.64.16 -a 2001:db8::16/64 www6
run jailer list -l
say "Renaming a stopped jail moves its dataset, snapshots, conf file and logs:"
run jailer rename app02 cache0
run jailer snap list
say "startall -p starts several jails at a time, each after its dependencies:"
run jailer stopall
run jailer startall -p 4
cd "$demo" || exit 1
say "Export a running jail to one file (it is snapshotted first):"
run jailer export fd1dafdc fd1dafdc.jexp
run head -16 fd1dafdc.jexp
say "Import it under another name: verified first, then renumbered (id, MAC, address):"
run jailer import fd1dafdc.jexp copy0
run jailer list
say "An incremental file from that snapshot (a nightly backup from cron):"
run jailer export -i "$(sed -n 's/^snapshot //p' fd1dafdc.jexp)" fd1dafdc fd1dafdc-1.jexp
say "A damaged file is refused before anything is received:"
head -c 2000 fd1dafdc.jexp >short.jexp
run jailer import short.jexp copy1
cd - >/dev/null || exit 1
say "What a destroy would remove, as text and as JSON (-D -j, for scripts and Ansible):"
run jailer destroy -D fd1dafdc
run jailer destroy -D -j fd1dafdc
say "Bad input is refused before anything runs:"
run jailer create 'a;b'
run jailer image fetch ../../etc
run jailer create -t new -b vtnet0 -a 999.1.1.1 www9
run jailer rdr add -p tcp -r '80;' app0
run jailer set app0 'securelevel=1;reboot'
say "pkgbase: a FreeBSD 15.0 host, pkg(8) bootstrapped, a FreeBSD-base mirror:"
"$fake/mkhost" "$demo/root15" --release 15.0-RELEASE --hostname bsd15 >/dev/null || exit 1
mkdir -p "$demo/root15/usr/local/sbin"
cp "$demo/root/usr/local/sbin/jailer" "$demo/root15/usr/local/sbin/jailer"
"$fake/mkpkgbase" "$demo/pkgmirror" >/dev/null || exit 1
JAILER_ROOT=$demo/root15
FreeBSD_pkgbase_mirror=file://$demo/pkgmirror
export JAILER_ROOT FreeBSD_pkgbase_mirror
prompt="root@bsd15:~ #"
jailer init -y >/dev/null 2>&1
run pkg bootstrap -y
run ls "$JAILER_ROOT/usr/share/keys/pkgbase-15/trusted"
say "An image from FreeBSD-base, trusted only with the host's keys (pkg -r, jailer's own repo conf):"
run jailer image fetch -p 15.0-RELEASE
run zfs get -H -o value jailer:source zroot/jails/image/15.0-RELEASE
run pkg -r /usr/local/jails/image/15.0-RELEASE info
run jailer create -d example.org base0
run jexec base0 freebsd-version
say "Packages inside the jail (pkg -j: the jail's own database, the host's untouched):"
run pkg -j base0 install -y nginx
run pkg -j base0 info
run pkg info
say "15.0-RELEASE-p1 appears on the mirror: the image and the jail get it with pkg -r upgrade:"
"$fake/mkpkgbase" "$demo/pkgmirror" --patch 1 >/dev/null
run jailer image update 15.0-RELEASE
run jailer update base0
run jexec base0 freebsd-version
say "A mirror signed by a key the host does not ship is refused:"
"$fake/mkpkgbase" "$demo/pkgmirror" --release 15.0-RELEASE --key evil --offer-keys >/dev/null
run jailer image destroy 15.0-RELEASE
run jailer image fetch -p 15.0-RELEASE
printf '\n(The simulated hosts lived in %s; it is removed now.)\n' "$demo"
