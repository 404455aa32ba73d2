#!/usr/bin/env bash
# build.sh — build, demo and check libacct from a clean checkout.
#
#   ./build.sh demo    build, then run examples/quickstart
#   ./build.sh check   every gate CI runs (see below); exit status non-zero on any failure
#   ./build.sh tsan    only the tsan gate
#   ./build.sh help    this text
#
# Both first install missing Debian packages (apt-get; root, or sudo), run
# autoreconf when needed and build out of tree in _build/default.
#
# Gates of `check`, each logged to _build/logs/<gate>.log:
#   build+check  _build/default, -Werror, `make check`
#   asan         _build/asan, ASan+UBSan (-O1, no recovery), `make check`
#   valgrind     each check program of _build/default under valgrind, CK_FORK=no
#   tsan         _build/tsan, ThreadSanitizer (-O1 -g): tests/check_concurrency
#                and tests/check_threads only (SKIP when TSan cannot run here)
#   fuzz         _build/fuzz, libFuzzer + ASan/UBSan over tests/fuzz/fuzz_store.c
#                and tests/fuzz/fuzz_agent.c, FUZZ_SECONDS (60) each, from the
#                committed corpora
#   python       python3 -m unittest in bindings/python/tests (when it exists)
#   distcheck    `make distcheck` in _build/default
#
# PostgreSQL: before the gates, `check` starts a throw-away PostgreSQL server
# (Debian's postgresql: initdb + pg_ctl as the unprivileged user `postgres`
# when run as root, in a mktemp -d directory, listening only on a Unix socket
# there, trust auth, fsync off) and exports ACCT_TEST_PG="host=DIR user=postgres
# dbname=acct_test" to every gate, so tests/check_conformance_pg runs in
# build+check, asan, valgrind and distcheck alike; the server is stopped and
# its directory removed on exit. If it cannot be installed or started, the
# reason is printed and ACCT_TEST_PG stays unset: the PostgreSQL tests then
# report SKIP, never PASS. An ACCT_TEST_PG already set is used as it is (the
# tests empty that database: give a scratch one).
#
# Environment: JOBS (default: nproc) for make -j; TSAN=0 leaves out the tsan
# gate; ACCT_TEST_PG (see above).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_ROOT=$TOP/_build
LOG_DIR=$BUILD_ROOT/logs
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Debian packages a build and every gate need.
DEB_PACKAGES=(
	build-essential g++ autoconf automake libtool pkg-config
	libxml2-dev libssl-dev check valgrind libsqlite3-dev libpq-dev
	libjansson-dev libevent-dev libcurl4-openssl-dev curl openssl
	libclang-rt-14-dev python3 clang
)
# Wanted but not required: without them the tests that need them report SKIP.
DEB_OPTIONAL_PACKAGES=(postgresql)

ASAN_CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
TSAN_CFLAGS="-O1 -g -fsanitize=thread"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'build.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------

# Print the packages among "$@" that dpkg does not report as installed.
missing_from() {
	local p
	for p in "$@"; do
		if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed$'; then
			printf '%s\n' "$p"
		fi
	done
}

ensure_packages() {
	if ! command -v dpkg >/dev/null 2>&1; then
		warn "dpkg not found: not a Debian system, skipping the package check (needed: ${DEB_PACKAGES[*]})"
		return 0
	fi
	local missing
	missing=$(missing_from "${DEB_PACKAGES[@]}")
	if [ -z "$missing" ]; then
		ensure_optional_packages
		return 0
	fi
	# shellcheck disable=SC2086
	set -- $missing
	local -a sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			die "missing Debian packages: $*
  run as root, or install them first:
  apt-get update && apt-get install -y --no-install-recommends $*"
		fi
	fi
	say "installing missing packages: $*${sudo:+ (with sudo)}"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "$@"
	missing=$(missing_from "${DEB_PACKAGES[@]}")
	if [ -n "$missing" ]; then
		# shellcheck disable=SC2086
		die "still missing after apt-get install: $(printf "%s " $missing)"
	fi
	ensure_optional_packages
}

# Try to install DEB_OPTIONAL_PACKAGES; a failure is reported, never fatal.
ensure_optional_packages() {
	local missing
	missing=$(missing_from "${DEB_OPTIONAL_PACKAGES[@]}")
	[ -n "$missing" ] || return 0
	# shellcheck disable=SC2086
	set -- $missing
	local -a sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			warn "optional packages missing (not root, no sudo): $*; the tests that need them will SKIP"
			return 0
		fi
	fi
	say "installing optional packages: $*${sudo:+ (with sudo)}"
	if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends "$@"; }; then
		warn "could not install $*; the tests that need them will SKIP"
	fi
	return 0
}

# ---------------------------------------------------------------------------
# Configure and build
# ---------------------------------------------------------------------------

# autoreconf when configure is missing or older than its inputs.
bootstrap() {
	local f need=no
	if [ ! -x "$TOP/configure" ] || [ ! -f "$TOP/Makefile.in" ]; then
		need=yes
	else
		for f in configure.ac Makefile.am tests/tests.am examples/examples.am; do
			if [ -f "$TOP/$f" ] && [ "$TOP/$f" -nt "$TOP/configure" ]; then
				need=yes
			fi
		done
	fi
	if [ "$need" = yes ]; then
		say "autoreconf -fi"
		mkdir -p "$TOP/m4"
		(cd "$TOP" && autoreconf -fi)
	fi
	if [ -f "$TOP/config.status" ]; then
		die "the source tree is configured in place (config.status exists);
  out-of-tree builds need a clean tree: run 'make distclean' in $TOP first"
	fi
}

# configure_tree NAME ARGS...: configure _build/NAME with ARGS unless it is
# already configured with exactly those arguments.
configure_tree() {
	local name=$1
	shift
	local dir=$BUILD_ROOT/$name
	local stamp=$dir/.build-sh-configure-args
	local want
	want=$(printf '%q ' "$@")
	if [ -f "$dir/Makefile" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	mkdir -p "$dir"
	say "configure ($name): $want"
	(cd "$dir" && "$TOP/configure" "$@")
	printf '%s' "$want" > "$stamp"
}

configure_default() {
	configure_tree default --enable-werror
}

configure_asan() {
	configure_tree asan --disable-werror \
		CFLAGS="$ASAN_CFLAGS" LDFLAGS="$ASAN_CFLAGS"
}

make_in() { # NAME ARGS...
	local name=$1
	shift
	make -C "$BUILD_ROOT/$name" -j"$JOBS" "$@"
}

build_default() {
	bootstrap
	configure_default
	make_in default
}

# ---------------------------------------------------------------------------
# Gates
# ---------------------------------------------------------------------------

gate_check() {
	build_default
	make_in default check
}

gate_asan() {
	bootstrap
	configure_asan
	make_in asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4} \
		make_in asan check
}

# The check programs that are tests, as listed in tests/tests.am.
check_programs() {
	make -s --no-print-directory -C "$BUILD_ROOT/default" print-check-programs
}

gate_valgrind() {
	build_default
	local dir=$BUILD_ROOT/default
	local -a programs
	mapfile -t programs < <(check_programs)
	if [ "${#programs[@]}" -eq 0 ]; then
		echo "no check programs (is the check package installed? are any listed in tests/tests.am?)"
		return 77
	fi
	# Build them without running the tests.
	make_in default "${programs[@]}"
	local -a supp=()
	if [ -f "$TOP/tests/valgrind.supp" ]; then
		supp=(--suppressions="$TOP/tests/valgrind.supp")
	fi
	mkdir -p "$LOG_DIR/valgrind"
	local p log rc failed=0
	for p in "${programs[@]}"; do
		log=$LOG_DIR/valgrind/$(basename "$p").log
		echo "valgrind $p (log: $log)"
		rc=0
		(cd "$dir" && CK_FORK=no ./libtool --mode=execute \
			valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible \
			--error-exitcode=1 --track-origins=yes --num-callers=30 \
			--gen-suppressions=all "${supp[@]}" \
			"./$p") > "$log" 2>&1 || rc=$?
		case $rc in
		0) echo "  ok" ;;
		77) echo "  SKIP: $(grep -m 1 -i 'skip' "$log" || echo 'exit status 77')" ;;
		*)
			echo "  FAILED"
			tail -n 60 "$log"
			failed=1
			;;
		esac
	done
	return "$failed"
}

# Hook for the Python bindings' tests; a no-op until they exist.
run_python_tests() {
	if [ ! -d "$TOP/bindings/python/tests" ]; then
		echo "no bindings/python/tests"
		return 77
	fi
	build_default
	local so=$BUILD_ROOT/default/src/.libs/libacct.so
	(cd "$TOP" &&
		LIBACCT_PATH=$so \
		LD_LIBRARY_PATH=$BUILD_ROOT/default/src/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
		PYTHONPATH=$TOP/bindings/python${PYTHONPATH:+:$PYTHONPATH} \
		PYTHONDONTWRITEBYTECODE=1 \
		python3 -m unittest discover -v -s bindings/python/tests)
}

gate_distcheck() {
	build_default
	make_in default distcheck
}

# Can this toolchain build and run a ThreadSanitizer program? Prints why not.
tsan_works() {
	local d rc=0
	d=$(mktemp -d)
	cat > "$d/t.c" <<'TSAN_EOF'
#include <pthread.h>
static int n;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *run(void *p) { pthread_mutex_lock(&m); n++; pthread_mutex_unlock(&m); return p; }
int main(void) { pthread_t t; pthread_create(&t, 0, run, 0); run(0); pthread_join(t, 0); return n != 2; }
TSAN_EOF
	# shellcheck disable=SC2086 # CC and TSAN_CFLAGS are word lists
	if ! ${CC:-cc} $TSAN_CFLAGS -pthread "$d/t.c" -o "$d/t" > "$d/log" 2>&1; then
		echo "ThreadSanitizer: cannot build with $TSAN_CFLAGS: $(head -n 3 "$d/log")"
		rc=1
	elif ! "$d/t" > "$d/log" 2>&1; then
		echo "ThreadSanitizer: a test program does not run here: $(head -n 3 "$d/log")"
		rc=1
	fi
	rm -rf "$d"
	return "$rc"
}

# ThreadSanitizer over the two tests that share contexts and stores between
# threads (and processes); only they and the library are built in _build/tsan.
gate_tsan() {
	if [ "${TSAN:-1}" = 0 ]; then
		echo "tsan: left out (TSAN=0)"
		return 77
	fi
	if ! tsan_works; then
		echo "tsan: ThreadSanitizer is not usable with this toolchain or kernel"
		return 77
	fi
	bootstrap
	configure_tree tsan --disable-werror CFLAGS="$TSAN_CFLAGS" LDFLAGS="$TSAN_CFLAGS"
	make_in tsan src/libacct.la tests/check_concurrency tests/check_threads
	local t failed=0
	for t in tests/check_concurrency tests/check_threads; do
		echo "== $t under ThreadSanitizer"
		if ! (cd "$BUILD_ROOT/tsan" &&
			TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
			CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4} "./$t"); then
			echo "FAILED: $t"
			failed=1
		fi
	done
	return "$failed"
}

# libFuzzer over two targets: the stored bytes (tests/fuzz/fuzz_store.c) and
# the agent's request packets and the client's reply parser
# (tests/fuzz/fuzz_agent.c). The library sources (src/ but the command-line
# tool in src/cli/) are compiled once with clang, coverage and ASan+UBSan, and
# linked with each target; each runs for FUZZ_SECONDS (default 60) from a copy
# of its committed corpus (tests/fuzz/corpus, tests/fuzz/corpus_agent). Any
# crash, leak, timeout (-timeout=10) or sanitizer report of either target
# fails the gate; both always run; new inputs stay in the copies.
gate_fuzz() {
	if ! command -v clang >/dev/null 2>&1; then
		echo "fuzz: clang is not installed"
		return 77
	fi
	local d=$BUILD_ROOT/fuzz src t failed=0
	local -a cflags libs srcs=()
	rm -rf "$d" && mkdir -p "$d/obj"
	for src in "$TOP"/src/*/*.c; do
		case $src in "$TOP"/src/cli/*) ;; *) srcs+=("$src") ;; esac
	done
	# shellcheck disable=SC2054,SC2207
	cflags=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -g -O1 -std=gnu99
		-DBUILDING_LIBACCT -I"$TOP/include" -I"$TOP/src" $(pkg-config --cflags libxml-2.0))
	# shellcheck disable=SC2207
	libs=($(pkg-config --libs libxml-2.0 libcrypto) -lpthread)
	# The library once (its file names are unique across src/), then each target.
	(cd "$d/obj" && clang -fsanitize=fuzzer-no-link "${cflags[@]}" -c "${srcs[@]}")
	for t in fuzz_store fuzz_agent; do
		clang -fsanitize=fuzzer "${cflags[@]}" "$TOP/tests/fuzz/$t.c" "$d"/obj/*.o "${libs[@]}" -o "$d/$t"
	done
	cp -r "$TOP/tests/fuzz/corpus" "$d/corpus"
	cp -r "$TOP/tests/fuzz/corpus_agent" "$d/corpus_agent"
	# -timeout: an input that runs for more than 10 s is a hang, reported as a failure.
	for t in fuzz_store:corpus fuzz_agent:corpus_agent; do
		echo "== ${t%%:*} (${FUZZ_SECONDS:-60} s)"
		if ! (cd "$d" && "./${t%%:*}" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 "${t#*:}"); then
			echo "FAILED: ${t%%:*} (the input that failed is in $d, named crash-*, leak-* or timeout-*)"
			failed=1
		fi
	done
	return "$failed"
}

# ---------------------------------------------------------------------------
# A throw-away PostgreSQL server for the PostgreSQL tests
# ---------------------------------------------------------------------------

PG_DIR=
PG_BIN=
PG_USER=
PG_STATUS="not started"

# The directory holding initdb and pg_ctl (Debian keeps them out of PATH).
pg_bindir() {
	local d
	# shellcheck disable=SC2012 # version-sorted; these names are plain
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	fi
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return 0
	fi
	return 1
}

# Run "$@" as PG_USER (set when we are root: the server refuses to run as root).
as_pg_user() {
	if [ -z "$PG_USER" ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$PG_USER" -- "$@"
	else
		su -s /bin/sh "$PG_USER" -c "$(printf '%q ' "$@")"
	fi
}

# Start the server; on success export ACCT_TEST_PG. Never fatal: on failure
# print why, clean up, and leave ACCT_TEST_PG unset (the tests then SKIP).
start_postgres() {
	if [ -n "${ACCT_TEST_PG:-}" ]; then
		PG_STATUS="using the caller's ACCT_TEST_PG=$ACCT_TEST_PG"
		say "postgres: $PG_STATUS"
		return 0
	fi
	if ! PG_BIN=$(pg_bindir); then
		PG_STATUS="SKIP: initdb/pg_ctl not found (Debian package postgresql not installed?)"
		warn "postgres: $PG_STATUS"
		return 0
	fi
	if [ "$(id -u)" -eq 0 ]; then
		if ! id -u postgres >/dev/null 2>&1; then
			PG_STATUS="SKIP: running as root and there is no unprivileged 'postgres' user to run the server"
			warn "postgres: $PG_STATUS"
			return 0
		fi
		PG_USER=postgres
	fi
	# Under /tmp whatever TMPDIR says: a Unix socket path must stay short.
	PG_DIR=$(mktemp -d /tmp/acct-pg.XXXXXX)
	if [ -n "$PG_USER" ]; then
		chown "$PG_USER" "$PG_DIR"
	fi
	chmod 700 "$PG_DIR"
	local log=$LOG_DIR/postgres.log
	say "postgres: initdb + pg_ctl in $PG_DIR${PG_USER:+ as $PG_USER} (log: ${log#"$TOP"/})"
	if as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync > "$log" 2>&1 &&
		as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
			-o "-k $PG_DIR -h '' -F -c max_connections=50" start >> "$log" 2>&1 &&
		as_pg_user "$PG_BIN/createdb" -h "$PG_DIR" -U postgres acct_test >> "$log" 2>&1; then
		export ACCT_TEST_PG="host=$PG_DIR user=postgres dbname=acct_test"
		PG_STATUS="ACCT_TEST_PG=\"$ACCT_TEST_PG\" ($("$PG_BIN/postgres" --version 2>/dev/null || echo postgres))"
		say "postgres: $PG_STATUS"
	else
		if [ -f "$PG_DIR/server.log" ]; then
			cat "$PG_DIR/server.log" >> "$log"
		fi
		PG_STATUS="SKIP: the server did not start ($(tail -n 1 "$log"); see ${log#"$TOP"/})"
		warn "postgres: $PG_STATUS"
		stop_postgres
	fi
	return 0
}

stop_postgres() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null 2>&1 || true
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}

# run_gate NAME FUNCTION: run FUNCTION with errexit in a subshell, output to
# _build/logs/NAME.log; record PASS, FAIL or SKIP (status 77).
declare -a GATE_NAMES=() GATE_RESULTS=()
run_gate() {
	local name=$1 fn=$2 log=$LOG_DIR/$1.log rc start
	start=$(date +%s)
	say "$name (log: ${log#"$TOP"/})"
	: > "$LOG_DIR/.gate-start"
	set +e
	(set -euo pipefail; "$fn") > "$log" 2>&1
	rc=$?
	set -e
	local secs=$(( $(date +%s) - start ))
	GATE_NAMES+=("$name")
	case $rc in
	0) GATE_RESULTS+=("PASS (${secs}s)") ;;
	77) GATE_RESULTS+=("SKIP: $(tail -n 1 "$log")") ;;
	*)
		GATE_RESULTS+=("FAIL (${secs}s, exit $rc, see ${log#"$TOP"/})")
		echo "---- last lines of $log ----"
		tail -n 80 "$log"
		# the harness's summary of failed tests, if any
		local tl
		while IFS= read -r tl; do
			grep -q '^# \(FAIL\|ERROR\|XPASS\): *[1-9]' "$tl" || continue
			echo "---- ${tl#"$TOP"/} ----"
			head -n 200 "$tl"
		done < <(find "$BUILD_ROOT" -name test-suite.log -newer "$LOG_DIR/.gate-start" 2>/dev/null)
		echo "----"
		;;
	esac
}

cmd_check() {
	local start
	start=$(date +%s)
	ensure_packages
	mkdir -p "$LOG_DIR"
	# One server for every gate (valgrind and asan included: the PostgreSQL
	# suite takes about half a minute under valgrind, affordable).
	trap stop_postgres EXIT
	trap 'stop_postgres; exit 130' INT TERM
	start_postgres
	run_gate build+check gate_check
	run_gate asan gate_asan
	run_gate valgrind gate_valgrind
	run_gate tsan gate_tsan
	run_gate fuzz gate_fuzz
	run_gate python run_python_tests
	run_gate distcheck gate_distcheck
	stop_postgres

	local i failed=0
	echo
	echo "Summary ($(( $(date +%s) - start ))s, logs in ${LOG_DIR#"$TOP"/}/):"
	echo "  postgres     $PG_STATUS"
	for i in "${!GATE_NAMES[@]}"; do
		printf '  %-12s %s\n' "${GATE_NAMES[$i]}" "${GATE_RESULTS[$i]}"
		case ${GATE_RESULTS[$i]} in FAIL*) failed=1 ;; esac
	done
	if [ "$failed" -ne 0 ]; then
		echo "check: FAILED"
		return 1
	fi
	echo "check: all gates passed"
}

cmd_demo() {
	ensure_packages
	mkdir -p "$LOG_DIR"
	build_default
	local prog=$BUILD_ROOT/default/examples/quickstart
	if [ ! -x "$prog" ]; then
		die "$prog was not built (is it in examples/examples.am as noinst_PROGRAMS += examples/quickstart?)"
	fi
	say "examples/quickstart"
	# Its SQLite store goes to the build tree, not the source tree.
	"$prog" "$BUILD_ROOT/default/quickstart.db"
}

cmd_tsan() {
	ensure_packages
	mkdir -p "$LOG_DIR"
	local rc=0
	gate_tsan || rc=$?
	return "$rc"
}

main() {
	case ${1:-help} in
	demo) cmd_demo ;;
	check) cmd_check ;;
	tsan) cmd_tsan ;;
	help|-h|--help) usage ;;
	*) usage >&2; exit 2 ;;
	esac
}

# Run main unless sourced (sourcing gives the functions, e.g. for testing).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
