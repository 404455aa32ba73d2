#!/usr/bin/env bash
# build.sh — build, demo and check libacct from a clean checkout.
#
#   ./build.sh demo    build, then run examples/quickstart
#   ./build.sh check   every gate CI runs (see below); exit status non-zero on any failure
#   ./build.sh help    this text
#
# Both first install missing Debian packages (apt-get; root, or sudo), run
# autoreconf when needed and build out of tree in _build/default.
#
# Gates of `check`, each logged to _build/logs/<gate>.log:
#   build+check  _build/default, -Werror, `make check`
#   asan         _build/asan, ASan+UBSan (-O1, no recovery), `make check`
#   valgrind     each check program of _build/default under valgrind, CK_FORK=no
#   python       python3 -m unittest in bindings/python/tests (when it exists)
#   distcheck    `make distcheck` in _build/default
#
# Environment: JOBS (default: nproc) for make -j.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_ROOT=$TOP/_build
LOG_DIR=$BUILD_ROOT/logs
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Debian packages a build and every gate need.
DEB_PACKAGES=(
	build-essential g++ autoconf automake libtool pkg-config
	libxml2-dev libssl-dev check valgrind libsqlite3-dev libpq-dev postgresql
	libclang-rt-14-dev python3
)

ASAN_CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'build.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------

# Print the packages of DEB_PACKAGES that dpkg does not report as installed.
missing_packages() {
	local p
	for p in "${DEB_PACKAGES[@]}"; do
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
	missing=$(missing_packages)
	if [ -z "$missing" ]; then
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
	missing=$(missing_packages)
	if [ -n "$missing" ]; then
		# shellcheck disable=SC2086
		die "still missing after apt-get install: $(printf "%s " $missing)"
	fi
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
	local p log failed=0
	for p in "${programs[@]}"; do
		log=$LOG_DIR/valgrind/$(basename "$p").log
		echo "valgrind $p (log: $log)"
		if (cd "$dir" && CK_FORK=no ./libtool --mode=execute \
			valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible \
			--error-exitcode=1 --track-origins=yes --num-callers=30 \
			--gen-suppressions=all "${supp[@]}" \
			"./$p") > "$log" 2>&1; then
			echo "  ok"
		else
			echo "  FAILED"
			tail -n 60 "$log"
			failed=1
		fi
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
	run_gate build+check gate_check
	run_gate asan gate_asan
	run_gate valgrind gate_valgrind
	run_gate python run_python_tests
	run_gate distcheck gate_distcheck

	local i failed=0
	echo
	echo "Summary ($(( $(date +%s) - start ))s, logs in ${LOG_DIR#"$TOP"/}/):"
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
	"$prog"
}

main() {
	case ${1:-help} in
	demo) cmd_demo ;;
	check) cmd_check ;;
	help|-h|--help) usage ;;
	*) usage >&2; exit 2 ;;
	esac
}

# Run main unless sourced (sourcing gives the functions, e.g. for testing).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
