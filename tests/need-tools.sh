#!/bin/sh
#
# Make sure the programs the test suite and the demo need are there:
# Kyua and ATF, mandoc, bsdtar (FreeBSD's tar), python3 (the simulated
# host) and ansible-core (the playbook tests of the Ansible collection).
# On Debian, as root, they are installed; elsewhere this says how.
#
# usage: sh tests/need-tools.sh [demo]
#
set -u

progs="bsdtar python3"
[ "${1:-}" = demo ] || progs="$progs kyua atf-sh mandoc ansible-playbook"
missing=""
for p in $progs; do
	command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# The atf-c headers are needed to build the unit tests.
if [ "${1:-}" != demo ] && ! [ -f /usr/include/atf-c.h ] &&
    ! [ -f /usr/local/include/atf-c.h ]; then
	missing="$missing atf-c.h"
fi
[ -z "$missing" ] && exit 0

pkgs="kyua atf-sh libatf-dev mandoc libarchive-tools python3 ansible-core"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "need-tools: installing$missing (Debian packages: $pkgs)" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $pkgs >/dev/null 2>&1 ||
	    { apt-get update -q >/dev/null 2>&1 &&
	    apt-get install -y -q $pkgs >/dev/null 2>&1; } ||
	    { echo "need-tools: apt-get install $pkgs failed" >&2; exit 1; }
	exit 0
fi
echo "need-tools: missing:$missing" >&2
echo "need-tools: Debian: apt-get install $pkgs" >&2
echo "need-tools: FreeBSD: Kyua and ATF are in base; pkg install mandoc python3 py311-ansible-core" >&2
exit 1
