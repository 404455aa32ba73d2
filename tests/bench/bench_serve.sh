#!/bin/sh
# bench_serve.sh: `acctctl serve` under wrk, HTTPS with keep-alive, the
# agent's `customer get` by id with gen_info (DESIGN.md section 8: >= 15,000
# requests/s on 2 cores). Last line: requests_per_s=N p99_ms=X
#
#   tests/bench/bench_serve.sh [ACCTCTL]     (default: $top_builddir/src/cli/acctctl)
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_THREADS=2 SERVE_THREADS=2
set -eu

acctctl=${1:-${top_builddir:-.}/src/cli/acctctl}
[ -x "$acctctl" ] || { echo "bench_serve: no acctctl at $acctctl (build it first)" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || { echo "bench_serve: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "bench_serve: curl is not installed" >&2; exit 1; }

dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || :
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

export ACCT_STORE="sqlite:$dir/acct.db" ACCT_PASSWORD_COST=10
"$acctctl" -q init --admin-login admin --admin-password 'bench-Pass1' >/dev/null
i=0
while [ $i -lt 100 ]; do
	i=$((i + 1))
	"$acctctl" -q customer add --login "cust$i" --name "Customer $i" --email "c$i@example.com" \
		--password 'cust-Pass1' >/dev/null
done

"$acctctl" serve --listen 127.0.0.1:0 --access-log off --threads "${SERVE_THREADS:-2}" 2>"$dir/serve.log" &
pid=$!
port=
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	port=$(sed -n 's/.*serving https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.log")
	[ -n "$port" ] && break
	sleep 0.25
done
[ -n "$port" ] || { cat "$dir/serve.log" >&2; echo "bench_serve: the server did not start" >&2; exit 1; }

url="https://127.0.0.1:$port/enterprise/control/agent.php"
body='<packet><customer><get><filter><id>50</id></filter><dataset><gen_info/></dataset></get></customer></packet>'
reply=$(curl -sk --data "$body" -H 'Content-Type: text/xml' -H 'HTTP_AUTH_LOGIN: admin' \
	-H 'HTTP_AUTH_PASSWD: bench-Pass1' "$url")
case $reply in
*'<status>ok</status>'*) ;;
*) echo "bench_serve: the agent did not answer ok: $reply" >&2; exit 1 ;;
esac

cat >"$dir/get.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "text/xml"
wrk.headers["HTTP_AUTH_LOGIN"] = "admin"
wrk.headers["HTTP_AUTH_PASSWD"] = "bench-Pass1"
LUA

wrk -t "${BENCH_THREADS:-2}" -c "${BENCH_CONNECTIONS:-64}" -d "${BENCH_SECONDS:-10}s" --latency \
	-s "$dir/get.lua" "$url" | tee "$dir/wrk.out"

rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$dir/wrk.out")
p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	if (u == "us") v = v / 1000; else if (u == "s") v = v * 1000; printf "%.2f", v }' "$dir/wrk.out")
errors=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$dir/wrk.out")
[ -z "$errors" ] || { echo "bench_serve: $errors requests failed" >&2; exit 1; }
echo "requests_per_s=${rps%.*} p99_ms=$p99"
