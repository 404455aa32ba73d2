#!/bin/bash
# End-to-end tests of `acctctl serve`: a temporary SQLite store, the server on
# a free loopback port with its generated self-signed certificate, driven by
# curl and by libacct's own HTTPS transport (`acctctl packet --remote`).
# Covers every agent operator, the partner accounts API with each validation
# failure, authentication failures and lockout, an oversize body, slow
# clients, and SIGTERM while writes are in flight.
set -u

top_builddir=${top_builddir:-.}
acctctl=$top_builddir/src/cli/acctctl
for tool in curl python3; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
done
[ -x "$acctctl" ] || { echo "FAIL: no $acctctl"; exit 1; }

dir=$(mktemp -d)
pid=
passed=0
failed=0
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$pid" ] && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

export ACCT_STORE="sqlite:$dir/acct.db" ACCT_PASSWORD_COST=4
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() { # expect NAME HAYSTACK NEEDLE
	case $2 in *"$3"*) ok ;; *) bad "$1: expected '$3' in: $2" ;; esac
}
refute() {
	case $2 in *"$3"*) bad "$1: did not expect '$3' in: $2" ;; *) ok ;; esac
}

"$acctctl" -q init --admin-login admin --admin-password 'Admin-pass1' >/dev/null || { echo "FAIL: init"; exit 1; }
"$acctctl" -q reseller add --login res1 --name 'Reseller One' --email r1@example.com --password 'Res1-pass1' \
	--country FI --phone '+358.91234567' >/dev/null || bad "reseller add"
"$acctctl" -q perm grant res1 remote_access_interface >/dev/null || bad "perm grant remote_access_interface"
"$acctctl" -q customer add --login cust1 --name 'Customer One' --password 'Cust1-pass1' >/dev/null || bad "customer add"
"$acctctl" -q customer add --login victim --name 'Locked Out' --password 'Victim-pass1' >/dev/null || bad "customer add victim"

start_server() {
	"$acctctl" serve --listen 127.0.0.1:0 --threads 2 --timeout 2 --max-body 65536 \
		--access-log "$dir/access.log" "$@" 2>"$dir/serve.log" &
	pid=$!
	port=
	for _ in $(seq 1 40); do
		port=$(sed -n 's/.*serving https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$dir/serve.log"; echo "FAIL: the server did not start"; exit 1; }
	url="https://127.0.0.1:$port/enterprise/control/agent.php"
	purl="https://127.0.0.1:$port/1.3/partner/accounts"
}
start_server
cert=$dir/acctctl-serve.crt
[ -s "$cert" ] && [ -s "$dir/acctctl-serve.key" ] && ok || bad "no generated certificate beside the store"

# agent <login> <password> <packet>: the reply body (certificate verified against the generated one)
agent() {
	curl -sS --cacert "$cert" -H 'Content-Type: text/xml' -H "HTTP_AUTH_LOGIN: $1" -H "HTTP_AUTH_PASSWD: $2" \
		--data-binary "$3" "$url"
}

# ---- every agent operator at least once ----
r=$(agent admin Admin-pass1 '<packet><customer><add><gen_info><pname>Web Customer</pname><login>webcust</login><passwd>Web-pass1</passwd><email>w@example.com</email></gen_info></add></customer></packet>')
expect "customer add" "$r" "<status>ok</status>"
expect "customer add guid" "$r" "<guid>"
r=$(agent admin Admin-pass1 '<packet><customer><get><filter><login>webcust</login></filter><dataset><gen_info/></dataset></get></customer></packet>')
expect "customer get" "$r" "<pname>Web Customer</pname>"
expect "customer get filter-id" "$r" "<filter-id>webcust</filter-id>"
r=$(agent admin Admin-pass1 '<packet><reseller><get><filter><login>res1</login></filter><dataset><gen-info/><permissions/></dataset></get></reseller></packet>')
expect "reseller get" "$r" "<login>res1</login>"
expect "reseller get permissions" "$r" "<name>remote_access_interface</name><value>true</value>"
r=$(agent admin Admin-pass1 '<packet version="1.4.2.0"><client><get><filter><login>cust1</login></filter><dataset><gen_info/></dataset></get></client></packet>')
expect "legacy client get" "$r" '<packet version="1.4.2.0">'
expect "legacy client get data" "$r" "<login>cust1</login>"
r=$(agent admin Admin-pass1 '<packet><user><add><gen-info><login>helper1</login><passwd>Helper-pass1</passwd><name>Helper</name></gen-info><roles><name>Accountant</name></roles></add></user><user><get><filter><all/></filter><dataset><roles/></dataset></get></user></packet>')
expect "user add+get" "$r" "<name>Accountant</name>"
r=$(agent admin Admin-pass1 '<packet><secret_key><create><ip_address>127.0.0.1</ip_address><description>e2e</description></create></secret_key></packet>')
expect "secret_key create" "$r" "<key>"
key=$(printf '%s' "$r" | sed -n 's/.*<key>\([^<]*\)<\/key>.*/\1/p')
r=$(agent admin Admin-pass1 '<packet><server><get_protos/></server><server><create_session><login>cust1</login></create_session></server><session><get/></session></packet>')
expect "server get_protos" "$r" "<proto>1.6.9.1</proto>"
expect "session get" "$r" "<login>cust1</login>"
r=$(agent res1 Res1-pass1 '<packet><customer><add><gen_info><pname>Res Cust</pname><login>rescust</login><passwd>Rescust-pass1</passwd></gen_info></add></customer></packet>')
expect "reseller adds a customer" "$r" "<status>ok</status>"

# ---- headers: Content-Type, KEY auth, unknown key ----
h=$(curl -sS -D - -o /dev/null --cacert "$cert" -H "HTTP_AUTH_LOGIN: admin" -H "HTTP_AUTH_PASSWD: Admin-pass1" \
	--data-binary '<packet><server><get_protos/></server></packet>' "$url")
expect "content type" "$h" "text/xml; charset=UTF-8"
expect "http 200" "$h" "HTTP/1.1 200"
r=$(curl -sS --cacert "$cert" -H "KEY: $key" --data-binary '<packet><server><get_protos/></server></packet>' "$url")
expect "secret key auth" "$r" "<status>ok</status>"
r=$(curl -sS --cacert "$cert" -H "KEY: 00000000-0000-4000-8000-000000000000" --data-binary '<packet><server><get_protos/></server></packet>' "$url")
expect "bad secret key" "$r" "<errcode>11003</errcode>"

# ---- authentication failures and lockout ----
r=$(curl -sS --cacert "$cert" --data-binary '<packet><server><get_protos/></server></packet>' "$url")
expect "no credentials" "$r" "<errcode>1029</errcode>"
r=$(agent admin wrong-password '<packet><server><get_protos/></server></packet>')
expect "wrong password" "$r" "<errcode>1001</errcode>"
for _ in 1 2 3 4 5; do agent victim nope '<packet><server><get_protos/></server></packet>' >/dev/null; done
r=$(agent victim Victim-pass1 '<packet><server><get_protos/></server></packet>')
expect "lockout after 5 failures" "$r" "<errcode>1012</errcode>"
r=$(curl -sS --cacert "$cert" -u victim:Victim-pass1 "$purl")
expect "lockout applies to the partner API" "$r" "AUTHENTICATION_FAILED"
r=$(agent cust1 Cust1-pass1 '<packet><server><get_protos/></server></packet>')
expect "no remote_access_interface" "$r" "<errcode>1006</errcode>"
r=$(agent admin Admin-pass1 '<packet><customer><get><filter/><dataset><gen_inf/></dataset></get></customer></packet>')
expect "schema error" "$r" "<errcode>1014</errcode>"

# ---- the HTTPS transport: acctctl packet --remote ----
printf '%s' '<packet><customer><get><filter><login>cust1</login></filter><dataset><gen_info/></dataset></get></customer></packet>' >"$dir/get.xml"
out=$("$acctctl" packet --remote "https://127.0.0.1:$port" --login admin --password Admin-pass1 --ca-file "$cert" "$dir/get.xml" 2>&1)
expect "transport with the CA file" "$out" "<login>cust1</login>"
out=$("$acctctl" packet --remote "https://127.0.0.1:$port" --login admin --password Admin-pass1 "$dir/get.xml" 2>&1)
rc=$?
[ $rc -ne 0 ] && ok || bad "an unverified self-signed certificate must be refused"
expect "certificate refusal message" "$out" "certificate"
out=$("$acctctl" packet --remote "https://127.0.0.1:$port" --login admin --password Admin-pass1 --insecure "$dir/get.xml" 2>&1)
expect "transport --insecure" "$out" "<login>cust1</login>"
out=$("$acctctl" packet --remote "https://127.0.0.1:$port" --key "$key" --ca-file "$cert" "$dir/get.xml" 2>&1)
expect "transport with a key" "$out" "<login>cust1</login>"

# ---- partner accounts API ----
pcurl() { curl -sS --cacert "$cert" -u res1:Res1-pass1 -w ' HTTP=%{http_code}' "$@" "$purl"; }
r=$(pcurl)
expect "partner list" "$r" '"username":"rescust"'
expect "partner list status" "$r" "HTTP=200"
r=$(pcurl -H 'Content-Type: application/json' --data '{"username":"sdk_test_partner_account","password":"superSecret123","contact_details":{"first_name":"Test","last_name":"User","country":"FIN","email":"test@myhost.mydomain","phone":"+358.31245434"}}')
expect "partner create" "$r" "HTTP=201"
expect "partner create body" "$r" '"username":"sdk_test_partner_account"'
expect "partner create country" "$r" '"country":"FIN"'
r=$(pcurl --data '{"username":"defaults_copy","password":"superSecret123"}')
expect "partner create without contact" "$r" "HTTP=201"
expect "contact copied from the partner" "$r" '"first_name":"Reseller","last_name":"One"'
expect "country copied from the partner" "$r" '"country":"FIN"'
check_400() { # NAME BODY CODE
	local r
	r=$(pcurl --data "$2")
	expect "$1 status" "$r" "HTTP=$4"
	expect "$1 code" "$r" "\"error_code\":\"$3\""
	expect "$1 envelope" "$r" '"error_message":'
}
check_400 "no username" '{"password":"superSecret123"}' USERNAME_MISSING 400
check_400 "bad username" '{"username":"Bad__Name","password":"superSecret123"}' INVALID_USERNAME 400
check_400 "short username" '{"username":"abc","password":"superSecret123"}' INVALID_USERNAME 400
check_400 "no password" '{"username":"valid_name"}' PASSWORD_MISSING 400
check_400 "weak password" '{"username":"valid_name","password":"alllowercase1"}' INVALID_PASSWORD 400
check_400 "no first name" '{"username":"valid_name","password":"superSecret123","contact_details":{"last_name":"U","email":"a@b.fi","country":"FIN","phone":"+358.1234567"}}' INVALID_FIRST_NAME 400
check_400 "no last name" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","email":"a@b.fi","country":"FIN","phone":"+358.1234567"}}' INVALID_LAST_NAME 400
check_400 "bad email" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"nope","country":"FIN","phone":"+358.1234567"}}' INVALID_EMAIL 400
check_400 "bad country" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","country":"FI","phone":"+358.1234567"}}' INVALID_COUNTRY 400
check_400 "USA without state" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.us","country":"USA","phone":"+1.5551234567"}}' INVALID_STATE 400
check_400 "bad phone" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","country":"FIN","phone":"0401234567"}}' INVALID_PHONE 400
check_400 "bad postal code" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","postal_code":"123456789012345678901"}}' INVALID_POSTAL_CODE 400
check_400 "bad company" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","company":""}}' INVALID_COMPANY 400
check_400 "bad address" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","address":"one\ntwo\nthree"}}' INVALID_ADDRESS 400
check_400 "bad city" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","city":""}}' INVALID_CITY 400
check_400 "bad state" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","state":""}}' INVALID_STATE 400
check_400 "wrong types" '{"username":12,"password":"superSecret123"}' INVALID_JSON 400
check_400 "bad vat" '{"username":"valid_name","password":"superSecret123","contact_details":{"first_name":"T","last_name":"U","email":"a@b.fi","vat_number":"12"}}' INVALID_VAT_NUMBER 400
check_400 "not json" 'username=x' INVALID_JSON 400
check_400 "duplicate" '{"username":"sdk_test_partner_account","password":"superSecret123"}' USERNAME_EXISTS 409
r=$(curl -sS --cacert "$cert" -u res1:wrong -w ' HTTP=%{http_code}' "$purl")
expect "partner bad auth" "$r" "HTTP=401"
r=$(curl -sS --cacert "$cert" -w ' HTTP=%{http_code}' "$purl")
expect "partner no auth" "$r" "HTTP=401"
r=$(curl -sS --cacert "$cert" -u res1:Res1-pass1 -X DELETE -w ' HTTP=%{http_code}' "$purl")
expect "partner method" "$r" "HTTP=405"

# ---- limits: an oversize body, slow clients ----
head -c 100000 /dev/zero | tr '\0' 'x' >"$dir/big.xml"
# With Expect: 100-continue the server refuses before the body is sent, so
# the 413 cannot be lost to a reset while the client is still writing.
code=$(curl -sS --cacert "$cert" -o /dev/null -w '%{http_code}' -H 'Expect: 100-continue' -H "HTTP_AUTH_LOGIN: admin" \
	-H "HTTP_AUTH_PASSWD: Admin-pass1" --data-binary @"$dir/big.xml" "$url")
[ "$code" = 413 ] && ok || bad "oversize body: expected 413, got $code"
start=$(date +%s)
timeout 15 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; cat <&3 >/dev/null" 2>/dev/null
took=$(($(date +%s) - start))
[ "$took" -lt 10 ] && ok || bad "a silent client was not dropped (took ${took}s, timeout 2s)"
# Half a header over TLS, then silence: the server must hang up after --timeout.
took=$(python3 - "$port" <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15))
s.sendall(b"POST /enterprise/control/agent.php HTTP/1.1\r\nHost: x\r\n")
start = time.time()
try:
    s.recv(100)
except OSError:
    pass
print(int(time.time() - start))
PY
)
[ -n "$took" ] && [ "$took" -lt 10 ] && ok || bad "a slow client (half a header) was not dropped (took ${took}s)"
r=$(agent admin Admin-pass1 '<packet><server><get_protos/></server></packet>')
expect "serving after slow clients" "$r" "<status>ok</status>"

# ---- the access log ----
log=$(cat "$dir/access.log")
expect "access log agent line" "$log" '"POST /enterprise/control/agent.php" 200'
expect "access log partner line" "$log" '"POST /1.3/partner/accounts" 201'
expect "access log login" "$log" " admin "

# ---- the CLI side: acctctl partner account and acctctl packet (local) ----
cli() { # cli WANT-EXIT ARGS...: runs acctctl, output in $out and $err
	local want=$1
	shift
	out=$("$acctctl" "$@" 2>"$dir/err")
	local rc=$?
	err=$(cat "$dir/err")
	[ $rc -eq "$want" ] && ok || bad "acctctl $*: exit $rc, wanted $want ($err)"
}
cli 2 --as res1 partner account create
expect "upctl: required flags" "$err" 'required flag(s) "username", "password" not set'
cli 2 --as res1 partner account create --username cli_partner
expect "upctl: password required" "$err" 'required flag(s) "password" not set'
cli 2 --as res1 partner account create --username cli_partner --password superSecret123 --email a@b.fi
expect "upctl: contact flags" "$err" 'when contact details are given, the following flags are required: "first-name", "last-name", "country", "phone"'
cli 2 --as res1 partner account create --username cli_partner --password superSecret123 --first-name A \
	--last-name B --country USA --phone +1.5551234 --email a@b.us
expect "upctl: USA state" "$err" 'when contact country is "USA", flag "state" is also required'
cli 1 --as res1 partner account create --username Cli --password superSecret123
expect "server-side rule via the CLI" "$err" "INVALID_USERNAME"
cli 0 --as res1 pr account create --username cli_partner --password superSecret123 --first-name Cli \
	--last-name Partner --country FIN --phone +358.401234567 --email cli@example.fi --vat-number FI12345678
expect "upctl: progress line" "$out" "Creating partner account cli_partner"
cli 0 --as res1 partner account list
expect "list table header" "$out" "Username"
expect "list table row" "$out" "cli_partner"
cli 0 --as res1 -o json partner account list
expect "list json" "$out" '"vat_number": "FI12345678"'
printf '%s' '<packet><customer><get><filter><login>cli_partner</login></filter><dataset><gen_info/></dataset></get></customer></packet>' >"$dir/local.xml"
cli 0 packet "$dir/local.xml"
expect "local packet" "$out" "<login>cli_partner</login>"
cli 1 --as cust1 packet "$dir/local.xml"
expect "local packet as a customer without remote access refused" "$err" "error 1006"
printf '%s' '<packet><customer><get><filter><login>nobody</login></filter><dataset><gen_info/></dataset></get></customer></packet>' | {
	out=$("$acctctl" packet - 2>"$dir/err"); rc=$?
	[ $rc -eq 1 ] && echo ok >"$dir/stdin.rc" || echo "exit $rc" >"$dir/stdin.rc"
}
[ "$(cat "$dir/stdin.rc")" = ok ] && ok || bad "packet from stdin with a failed result: $(cat "$dir/stdin.rc")"
expect "failed result on stderr" "$(cat "$dir/err")" "error 1013"
cli 2 packet --login admin "$dir/local.xml"
expect "remote options without --remote" "$err" "go with --remote"

# ---- SIGTERM with writes in flight: every acknowledged write is stored ----
for i in $(seq 1 30); do
	agent admin Admin-pass1 "<packet><customer><add><gen_info><pname>Term $i</pname><login>term$i</login><passwd>Term-pass1</passwd></gen_info></add></customer></packet>" \
		>"$dir/term$i.out" 2>/dev/null &
done
sleep 0.05
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] && ok || bad "serve exited $rc after SIGTERM"
wait
expect "SIGTERM message" "$(cat "$dir/serve.log")" "SIGTERM"
acked=0
for i in $(seq 1 30); do
	if grep -q '<status>ok</status>' "$dir/term$i.out"; then
		acked=$((acked + 1))
		"$acctctl" -q customer get "term$i" >/dev/null 2>&1 && ok || bad "term$i was acknowledged but is not stored"
	fi
done
echo "SIGTERM: $acked of 30 writes were acknowledged before the server stopped"

echo "serve: $passed passed, $failed failed"
[ $failed -eq 0 ]
