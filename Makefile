# jailer: a portable Makefile for GNU make and BSD make.
#
#   make            build build/jailer
#   make check      run the test suite (Kyua + ATF) and lint the manual
#   make fakebsd    the simulated host's fast client (make check builds it)
#   make portable   build with gcc and clang as strict C11 + POSIX.1-2008
#   make sanitize   the same suite with AddressSanitizer and UBSan
#   make demo       the guided tour on a simulated FreeBSD host
#   make fuzz       every fuzz target for FUZZTIME seconds (clang)
#   make fuzz-replay  the fuzz corpora under ASan and UBSan (gcc)
#   make install    PREFIX=/usr/local, DESTDIR for staging
#   make clean

PREFIX?=	/usr/local
DESTDIR?=
CC?=		cc
BUILD?=		build
# Any of -O0, -O1, -O2, -O3, -Os (with or without -g) builds clean on gcc
# and clang; .ci/run checks them all.
OPT?=		-O2 -g
SANFLAGS?=
WARNS=		-std=c11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		-Wstrict-prototypes -Wmissing-prototypes -Wformat=2
JCFLAGS=	${WARNS} -D_DEFAULT_SOURCE -DJAILER_BIN='"${PREFIX}/sbin/jailer"' \
		${OPT} ${SANFLAGS} ${CFLAGS}

LIBSRCS=	src/conf.c src/confedit.c src/confrender.c src/control.c \
		src/create.c src/destroy.c src/dhcp.c src/err.c src/exec.c \
		src/gc.c src/host.c src/hostnet.c src/image.c src/info.c \
		src/initplan.c src/jail.c src/lease.c src/lifecycle.c \
		src/lock.c src/mount.c src/net.c src/netplan.c \
		src/opt.c src/out.c src/pf.c src/rcconf.c src/rules.c \
		src/safe.c src/snap.c src/ui.c src/undo.c src/upgrade.c \
		src/util.c src/validate.c src/vis.c src/zfs.c \
		src/param.c src/bootorder.c src/rctl.c src/cpuset.c src/nullfs.c \
		src/rename.c src/zfsjail.c src/net6.c src/startall.c src/plan.c \
		src/ctlplan.c src/update_fbu.c src/update.c src/imgupdate.c \
		src/pkgbase.c src/inside.c src/template.c src/export.c \
		src/exfile.c src/import.c src/sha256.c src/createplan.c \
		src/hostplan.c src/jls.c
CMDSRCS=	src/cmd.c src/cmd_hostnet.c src/cmd_image.c src/cmd_init.c \
		src/cmd_jail.c src/cmd_network.c src/cmd_pf.c src/cmd_snap.c \
		src/cmd_param.c src/cmd_limit.c src/cmd_mount.c src/cmd_rename.c \
		src/cmd_list.c src/cmd_update.c src/cmd_inside.c src/cmd_export.c
SRCS=		src/main.c ${CMDSRCS} ${LIBSRCS}
HDRS=		src/cmd.h src/conf.h src/confedit.h src/dhcp.h src/exec.h \
		src/gc.h src/host.h src/hostnet.h src/image.h src/info.h \
		src/initplan.h src/jail.h src/jailer.h src/lease.h \
		src/lifecycle.h src/lifecycle_impl.h src/lock.h \
		src/mount.h src/net.h src/out.h src/pf.h src/rcconf.h \
		src/rules.h src/safe.h src/snap.h src/undo.h src/upgrade.h \
		src/validate.h src/vis.h src/zfs.h \
		src/param.h src/rctl.h src/nullfs.h src/rename.h src/zfsjail.h \
		src/net6.h src/startall.h src/plan.h src/ctlplan.h src/update.h \
		src/imgupdate.h src/pkgbase.h src/inside.h src/template.h \
		src/export.h src/sha256.h
UNITS=		util validate out rcconf manifest exec opt lease confedit sha256

all: ${BUILD}/jailer

${BUILD}/jailer: ${SRCS} ${HDRS}
	@mkdir -p ${BUILD}
	${CC} ${JCFLAGS} -o ${BUILD}/jailer ${SRCS} ${LDFLAGS}

# The same program as "all", built by gcc and by clang as strict C11 with
# only POSIX.1-2008 visible (no glibc _DEFAULT_SOURCE extensions), each in
# its own directory; fails if either compiler fails.  See "Portability"
# in docs/ARCHITECTURE.md for what this does and does not prove.
PORTCCS=	gcc clang
PORTFLAGS=	-std=c11 -pedantic -U_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
		-Wall -Wextra -Werror

portable: ${SRCS} ${HDRS}
	@st=0; for cc in ${PORTCCS}; do \
		mkdir -p ${BUILD}/portable-$$cc || exit 1; \
		echo "$$cc ... ${PORTFLAGS} -o ${BUILD}/portable-$$cc/jailer"; \
		if $$cc ${JCFLAGS} ${PORTFLAGS} \
		    -o ${BUILD}/portable-$$cc/jailer ${SRCS} ${LDFLAGS}; then \
			echo "portable build with $$cc: ok"; \
		else \
			echo "portable build with $$cc: FAILED"; st=1; \
		fi; \
	done; exit $$st

# One atf-c program per library module; they need libatf-c.
units: ${SRCS} ${HDRS}
	@mkdir -p ${BUILD}/unit
	@rm -f ${BUILD}/unit/*_test	# none left from a renamed test
	@for u in ${UNITS}; do \
		echo "${CC} ... -o ${BUILD}/unit/$${u}_test tests/unit/$${u}_test.c"; \
		${CC} ${JCFLAGS} -Isrc -o ${BUILD}/unit/$${u}_test \
		    tests/unit/$${u}_test.c ${LIBSRCS} ${LDFLAGS} -latf-c \
		    || exit 1; \
	done

check: tools all units fakebsd
	sh tests/run.sh ${BUILD}

# The simulated host's fast client (tests/fakebsd/client.c): one program,
# one symlink per tool name, like tests/fakebsd/bin.  Test infrastructure:
# built without the sanitizers, which would only slow every call down.
# The links are made every time: a tool added to tests/fakebsd/bin must
# never be missing (the name would find the build machine's own program).
fakebsd: ${BUILD}/fakebsd/bin/_tool
	@for t in tests/fakebsd/bin/*; do n=$${t##*/}; \
		[ "$$n" = _tool ] || ln -sf _tool ${BUILD}/fakebsd/bin/$$n; \
	done

${BUILD}/fakebsd/bin/_tool: tests/fakebsd/client.c tests/fakebsd/bin/_tool
	@mkdir -p ${BUILD}/fakebsd/bin
	${CC} ${WARNS} -D_DEFAULT_SOURCE -O2 ${CFLAGS} \
	    -DFAKEBSD_SRCDIR="\"$$(pwd)/tests/fakebsd\"" \
	    -o ${BUILD}/fakebsd/bin/_tool tests/fakebsd/client.c ${LDFLAGS}

# Kyua, ATF, mandoc, bsdtar, python3: installed on Debian, or explained.
tools:
	sh tests/need-tools.sh

sanitize:
	${MAKE} check BUILD=build/sanitize OPT="-O1 -g -fno-omit-frame-pointer" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all"

demo: all fakebsd
	sh tests/need-tools.sh demo
	sh tests/demo.sh ${BUILD}/jailer

install: all
	install -d ${DESTDIR}${PREFIX}/sbin ${DESTDIR}${PREFIX}/share/man/man8
	install -m 555 ${BUILD}/jailer ${DESTDIR}${PREFIX}/sbin/jailer
	install -m 444 man/jailer.8 ${DESTDIR}${PREFIX}/share/man/man8/jailer.8
	install -d ${DESTDIR}${PREFIX}/share/man/man5 \
	    ${DESTDIR}${PREFIX}/share/jailer/templates
	install -m 444 man/jailer-template.5 \
	    ${DESTDIR}${PREFIX}/share/man/man5/jailer-template.5
	install -m 444 share/templates/nginx share/templates/postgresql \
	    ${DESTDIR}${PREFIX}/share/jailer/templates

lint:
	mandoc -Tlint -Wwarning man/jailer.8
	mandoc -Tlint -Wwarning man/jailer-template.5

# Fuzzing: tests/fuzz/run.sh builds the targets itself (libFuzzer, clang).
FUZZTIME?=	30

fuzz:
	sh tests/fuzz/run.sh --time ${FUZZTIME}

# Replay the committed corpora and regression inputs (gcc, ASan, UBSan).
fuzz-replay:
	sh tests/fuzz/run.sh --replay-only

clean:
	rm -rf build

# The suite on this FreeBSD host, as root, against the jailer make install
# put in place (README.md, "Running the tests on a real FreeBSD host");
# MIRROR: a local release mirror (default build/mirror, filled by
# tests/run.sh).
check-real: tools all units
	MODE=real MIRROR="${MIRROR}" sh tests/run.sh ${BUILD}

.PHONY: all portable units check fakebsd tools sanitize demo install lint fuzz fuzz-replay clean
.PHONY: check-real
