#!/bin/sh
# acctctl end to end: every local command, its output, exit status and
# messages, against temporary SQLite stores (and memory:).
#
# Run from the build tree: make check TESTS=tests/cli/test_acctctl.sh
# or by hand: top_builddir=_build/cli sh tests/cli/test_acctctl.sh

set -u

top_builddir=${top_builddir:-.}
ACCTCTL=$(cd "$top_builddir" && pwd)/src/cli/acctctl
if ! test -x "$ACCTCTL"; then
	echo "acctctl not built: $ACCTCTL" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/acctctl-test.XXXXXX") || exit 99
trap 'cd /; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
cd "$tmp" || exit 99

# Fast password hashing, and no store from the caller's environment.
ACCT_PASSWORD_COST=4
export ACCT_PASSWORD_COST
unset ACCT_STORE

HAVE_PYTHON=no
if command -v python3 >/dev/null 2>&1; then
	HAVE_PYTHON=yes
fi

passed=0
failed=0
skipped=0
last=

ok() { passed=$((passed + 1)); }
bad() {
	failed=$((failed + 1))
	echo "FAIL: $*"
	echo "  command: acctctl $last"
	sed 's/^/  stdout: /' out
	sed 's/^/  stderr: /' err
}

# t STATUS ARGS...: run acctctl (stdin from /dev/null), expect the exit status.
t() {
	want=$1
	shift
	last="$*"
	"$ACCTCTL" "$@" >out 2>err </dev/null
	rc=$?
	if test "$rc" = "$want"; then ok; else bad "exit status $rc, wanted $want"; fi
}

# tin FILE STATUS ARGS...: as t, with standard input from FILE.
tin() {
	input=$1
	want=$2
	shift 2
	last="$* < $input"
	"$ACCTCTL" "$@" >out 2>err <"$input"
	rc=$?
	if test "$rc" = "$want"; then ok; else bad "exit status $rc, wanted $want"; fi
}

# has out|err TEXT: the last run printed TEXT (a fixed string) there.
has() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; fi
}

# hasnt out|err TEXT
hasnt() {
	if grep -qF -- "$2" "$1"; then bad "$1 has '$2'"; else ok; fi
}

# is out|err TEXT: the whole of it is the one line TEXT.
is() {
	if test "$(cat "$1")" = "$2"; then ok; else bad "$1 is not '$2'"; fi
}

# json PYTHON-EXPRESSION: true of `d`, the JSON document on stdout of the last run.
json() {
	if test $HAVE_PYTHON = no; then
		skipped=$((skipped + 1))
		return
	fi
	if python3 -c 'import json, sys
d = json.load(open("out"))
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" 2>pyerr; then ok; else bad "JSON: $1 ($(cat pyerr))"; fi
}

# rows: the data lines of a table (without the header).
rows() { tail -n +2 out; }

echo "== help and version"
t 0 --help
has out "Usage: acctctl [global options] COMMAND"
has out "Exit status:"
t 0 --version
has out "acctctl 0.1"
t 0 help customer add
has out "Usage: acctctl [global options] customer add --login LOGIN --name NAME [options]"
t 2 help nosuch
has err "no command 'nosuch'"
t 2
has err "Usage: acctctl"
t 2 customer
has err "customer: a command is needed"

# --help for every command and subcommand, found in the help itself.
groups=$("$ACCTCTL" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { sub(",", "", $1); print $1 }')
for g in $groups; do
	t 0 "$g" --help
	has out "Usage: acctctl [global options] $g"
	subs=$("$ACCTCTL" "$g" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { sub(",", "", $1); print $1 }')
	for s in $subs; do
		t 0 "$g" "$s" --help
		has out "Usage: acctctl [global options] $g $s"
		t 0 help "$g" "$s"
		has out "Usage: acctctl [global options] $g $s"
	done
done
t 0 customer delete --help
has out "customer del"

echo "== an uninitialised store"
t 1 customer list
is err "acctctl: store 'sqlite:./acct.db' is not initialised; run 'acctctl init --admin-login LOGIN'"
if test -e acct.db; then bad "a command other than init created acct.db"; else ok; fi
t 1 --store sqlite:other.db export
is err "acctctl: store 'sqlite:other.db' is not initialised; run 'acctctl --store sqlite:other.db init --admin-login LOGIN'"
t 1 --store memory: reseller list
has err "a memory store starts empty each time acctctl runs"
t 2 --store redis://x customer list
has err "unknown store 'redis://x'"

echo "== usage errors"
t 2 init --admin-password secret1
has err "acctctl: init: required option --admin-login not given"
has err "Try 'acctctl init --help'."
t 2 init --admin-login admin
has err "no password given"
if test -e acct.db; then bad "a refused init created acct.db"; else ok; fi
t 2 frobnicate
is err "acctctl: unknown command 'frobnicate'
Try 'acctctl --help'."
t 2 customer frobnicate
has err "unknown command 'customer frobnicate'"
t 2 customer list --bogus
has err "acctctl: customer list: unknown option '--bogus'"
has err "Try 'acctctl customer list --help'."
t 2 customer get
has err "missing argument: LOGIN"
t 2 customer get a b
has err "unexpected argument 'b'"
t 2 -o yaml customer list
has err "unknown output format 'yaml'"
t 2 customer list --owner
has err "option --owner needs a value"
t 2 customer list --all=yes
has err "option --all takes no value"
ACCT_PASSWORD_COST=99 t 2 customer list
has err "ACCT_PASSWORD_COST must be a number from 1 to 20"

echo "== init"
t 2 init --admin-login admin --admin-password x1 --generate-password
has err "give only one of"
t 0 init --admin-login admin --admin-password secret1
is err "initialised store 'sqlite:./acct.db'; administrator 'admin' (id 1)"
test -f acct.db && ok || bad "no acct.db after init"
t 1 init --admin-login admin --admin-password secret1
is err "acctctl: store 'sqlite:./acct.db' is already initialised"
t 0 --store sqlite:gen.db init --admin-login root --generate-password
test "$(wc -c <out)" -eq 21 && ok || bad "generated password is not 20 characters"
has err "whose password is printed once"
t 1 --store sqlite:badlogin.db init --admin-login 'bad login' --admin-password secret1
has err "login"
if test -e badlogin.db; then bad "a failed init left badlogin.db"; else ok; fi
echo "stdin-secret" >init-pw.txt
tin init-pw.txt 0 --store sqlite:stdin.db init --admin-login admin --admin-password -
has err "initialised store 'sqlite:stdin.db'"
t 0 --store memory: init --admin-login admin --admin-password secret1 -o json
json 'd["login"] == "admin" and d["id"] == 1 and d["store"] == "memory:"'

echo "== accounts: add"
t 0 reseller add --login r1 --name "Reseller One" --email r1@example.com --company "R1 Ltd" --password secret1
is err "added reseller 'r1' (id 2)"
t 0 reseller add --login r2 --name "Reseller Two" --password secret1
t 0 customer add --login c1 --name "Customer One" --owner r1 --password secret1 --country DE
is err "added customer 'c1' (id 4)"
t 0 customer add --login c2 --name "Customer Two" --no-password --external-id ext-2
t 0 user add --login u1 --name "User One" --owner c1 --password secret1 --role Webmaster
is err "added user 'u1' (id 6)"
t 1 customer add --login c1 --name Again --no-password
has err "acctctl: "
has err "'c1'"
t 2 user add --login u2 --name "User Two" --no-password
has err "required option --owner not given"
t 2 customer add --login c3 --name C3
has err "no password given"
t 1 customer add --login c3 --name C3 --no-password --country XX
has err "country"
t 1 user add --login u9 --name U9 --owner c1 --no-password --role NoSuchRole
has err "no role 'NoSuchRole'"
has err "user 'u9' was not added"
t 1 user get u9
has err "no account with login 'u9'"
echo "secret-from-stdin" >pw.txt
tin pw.txt 0 customer add --login c3 --name "Customer Three" --password -
t 0 customer add --login c4 --name "Customer Four" --generate-password
test "$(wc -c <out)" -eq 21 && ok || bad "generated password is not 20 characters"
t 0 -o json customer add --login c5 --name "Customer Five" --owner r2 --generate-password
json 'd["login"] == "c5" and d["owner"] == "r2" and len(d["password"]) == 20'

echo "== accounts: list and get"
t 0 customer list
has out "ID  LOGIN"
has out "c2"
hasnt out "c1"
t 0 customer list --all
has out "c1"
has out "c5"
t 0 customer list --owner r1
test "$(rows | wc -l)" -eq 1 && ok || bad "customer list --owner r1 is not one row"
has out "Customer One"
t 0 -o json customer list --all
json 'sorted(a["login"] for a in d) == ["c1", "c2", "c3", "c4", "c5"]'
json 'all(set(a) >= {"id", "login", "owner", "status"} for a in d)'
t 0 reseller list
has out "r1@example.com"
t 0 user list --all
has out "u1"
t 0 customer get c1
has out "login:"
has out "country:           DE"
has out "owner:             r1"
t 0 customer get '#4'
has out "Customer One"
t 0 -o json user get u1
json 'd["roles"] == ["Webmaster"] and d["type"] == "user" and d["owner"] == "c1"'
t 0 -o json customer get c2
json 'd["external_id"] == "ext-2" and d["status"] == 0 and d["status_text"] == "active"'
t 1 reseller get c1
is err "acctctl: 'c1' is a customer, not a reseller"
t 1 customer get nobody
is err "acctctl: no account with login 'nobody'"
t 1 customer get '#x'
has err "is not an account id"
t 0 customer get c1 -o json
json 'd["login"] == "c1"'

echo "== accounts: set"
t 0 customer set c1 --email c1@example.com --phone "+49 30 1234" --description "first customer" --vat-number DE123456789
is err "updated customer 'c1' (id 4)"
t 0 -o json customer get c1
json 'd["email"] == "c1@example.com" and d["phone"] == "+49 30 1234" and d["description"] == "first customer"'
json 'd["vat_number"] == "DE123456789"'
t 0 customer set c1 --country ''
t 0 -o json customer get c1
json 'd["country"] is None'
t 2 customer set c1
has err "nothing to change"
t 1 customer set c1 --email not-an-email
has err "mail"
t 0 customer set c2 --generate-password
test "$(wc -c <out)" -eq 21 && ok || bad "generated password is not 20 characters"
tin pw.txt 0 user set u1 --password - --subscription example.com
t 0 -o json user get u1
json 'd["subscription"] == "example.com"'

echo "== accounts: suspend and activate"
t 0 customer suspend c1
is err "suspended customer 'c1'"
t 0 -o json customer get c1
json 'd["status"] == 16 and d["status_text"] == "disabled by admin"'
t 0 user get u1
has out "inherited: disabled by admin"
t 0 customer activate c1
is err "activated customer 'c1'"
t 0 -o json user get u1
json 'd["effective_status"] == 0'
t 1 reseller suspend c1
has err "is a customer, not a reseller"
t 1 --as r1 customer suspend c2
has err "c2"

echo "== accounts: move and convert"
t 0 customer move c1 --to r2
is err "moved customer 'c1' to 'r2'"
t 0 -o json customer get c1
json 'd["owner"] == "r2"'
t 0 customer move c1 --to r1
t 2 customer move c1
has err "required option --to not given"
t 1 customer move c1 --to c2
has err "acctctl: "
t 0 customer convert c2
is err "converted customer 'c2' to a reseller"
t 0 -o json reseller get c2
json 'd["type"] == "reseller"'
t 0 reseller convert c2
is err "converted reseller 'c2' to a customer"
t 1 reseller convert r1
has err "r1"
t 0 customer get c2

echo "== roles"
t 0 role list
has out "Webmaster"
has out "Accountant"
t 0 role create Support --perm browseStats --perm mailManagement
is err "created role 'Support' (id 5)"
t 0 -o json role show Support
json 'd["name"] == "Support" and d["permissions"] == ["browseStats", "mailManagement"] and d["editable"]'
t 0 role grant Support dnsManagement
is err "granted dnsManagement to role 'Support'"
t 0 role revoke Support browseStats
t 0 -o json role show Support
json 'd["permissions"] == ["dnsManagement", "mailManagement"]'
t 1 role grant Support noSuchPermission
has err "unknown permission 'noSuchPermission'"
t 1 role grant Support manage_dns
is err "acctctl: 'manage_dns' is an account permission, not a role permission"
t 1 role grant Admin dnsManagement
has err "acctctl: "
t 1 role create Support
has err "Support"
t 0 role create CustRole --owner c1
t 0 role list --owner c1
has out "CustRole"
t 0 role assign u1 CustRole Accountant
is err "gave CustRole, Accountant to user 'u1'"
t 0 -o json user get u1
json 'sorted(d["roles"]) == ["Accountant", "CustRole", "Webmaster"]'
t 1 role assign u1 Support
has err "no role 'Support' for the users of 'c1'"
t 0 role unassign u1 CustRole
is err "took CustRole from user 'u1'"
t 1 role assign c1 Accountant
has err "'c1' is a customer, not a user"
t 0 role delete CustRole --owner c1
is err "deleted role 'CustRole'"
t 1 role show CustRole --owner c1
has err "no role 'CustRole'"
t 0 role delete Support
t 0 user move u1 --to r1
is err "moved user 'u1' to 'r1'"
t 0 -o json user get u1
json 'd["owner"] == "r1"'
t 1 user move u1 --to r2
has err "acctctl: "
t 0 user move u1 --to c1

echo "== permissions"
t 0 perm list
has out "create_clients"
has out "userManagement"
has out "license.upgrade"
t 0 perm list --catalog partner
hasnt out "create_clients"
has out "license.search"
t 2 perm list --catalog nosuch
has err "unknown catalog 'nosuch'"
t 0 perm grant r1 create_clients manage_dns
is err "granted create_clients, manage_dns to reseller 'r1'"
t 0 -o json perm list r1
json '{p["name"]: p["granted"] for p in d}["manage_dns"] is True'
t 0 perm revoke r1 manage_dns
is err "revoked manage_dns from reseller 'r1'"
t 0 perm list r1
has out "manage_dns"
t 1 perm grant c1 create_clients
has err "create_clients"
t 1 perm grant r1 nosuch
has err "unknown permission 'nosuch'"
t 0 -o json perm list u1
json '{p["name"]: p["granted"] for p in d}["browseStats"] is True'
t 0 perm grant c1 manage_dns

echo "== limits"
t 0 limit set r1 max_cl 2
is err "set max_cl of 'r1' to 2"
t 0 customer add --login c6 --name "Customer Six" --owner r1 --no-password
t 1 customer add --login c7 --name "Customer Seven" --owner r1 --no-password
is err "acctctl: reseller 'r1' has reached max_cl (2)"
t 0 limit set r1 max_cl 5
t 0 limit set r1 disk_space 10G
t 0 -o json limit get r1 disk_space
json 'd["value"] == 10737418240 and d["set"] is True'
t 1 limit set c1 disk_space 11G
has err "reseller 'r1' has disk_space 10737418240; its customers would have"
t 0 limit set c1 disk_space 5G
t 0 limit set r1 expiration 2030-12-31
t 0 limit get r1
has out "expiration       2030-12-31   yes"
has out "max_dom          unlimited    no"
t 0 limit set r1 max_dom unlimited
t 0 limit set r1 max_db -1
t 0 -o json limit get r1
json '{l["name"]: l["value"] for l in d}["max_db"] == -1'
t 2 limit set r1 max_dom lots
has err "'lots' is not a limit value"
t 2 limit set r1 expiration 2030-02-30
has err "or a date (YYYY-MM-DD)"
t 1 limit set r1 no_such_limit 1
has err "no_such_limit"
t 1 limit set c1 max_cl 3
has err "max_cl"
t 0 limit unset c1 disk_space
is err "unset disk_space of 'c1'"
t 0 -o json limit get c1 disk_space
json 'd["set"] is False and d["value"] == -1'
t 0 limit policy r1
has out "oversell:  no"
t 0 limit policy r1 --oversell yes --overuse block
is err "changed the resource policy of reseller 'r1'"
t 0 -o json limit policy r1
json 'd["oversell"] is True and d["overuse"] == "block"'
t 2 limit policy r1 --overuse sometimes
has err "unknown overuse policy 'sometimes'"
t 1 limit policy c1
has err "is a customer, not a reseller"

echo "== IP pools"
t 0 ip add admin 10.0.0.1
is err "added 10.0.0.1 to the pool of 'admin' (shared)"
t 0 ip add admin 10.0.0.2 --type exclusive
t 0 ip add r1 10.0.0.2 -t exclusive
t 0 ip add c1 10.0.0.2
t 1 ip add r2 10.0.0.2
is err "acctctl: IP address 10.0.0.2 is exclusive: reseller 'r1' already has it"
t 1 ip add r1 192.0.2.9
has err "is not in the pool of"
t 1 ip add admin not-an-ip
has err "not-an-ip"
t 2 ip add admin 10.0.0.3 --type private
has err "unknown address type 'private'"
t 0 ip list r1
has out "10.0.0.2  exclusive"
t 0 -o json ip list admin
json '[(a["ip"], a["type"]) for a in d] == [("10.0.0.1", "shared"), ("10.0.0.2", "exclusive")]'
t 1 ip del r1 10.0.0.2
is err "acctctl: IP address 10.0.0.2 is still used by customer 'c1'; take it away there first"
t 0 ip set r1 10.0.0.2 --type shared
is err "10.0.0.2 is now shared in the pool of 'r1'"
t 0 ip del c1 10.0.0.2
is err "removed 10.0.0.2 from the pool of 'c1'"
t 1 ip del c1 10.0.0.2
has err "10.0.0.2"

echo "== secret keys"
t 0 key create c1 --ip 192.0.2.1 --ip "192.0.2.2, 192.0.2.3" --description billing
grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' out && ok || bad "the key is not a UUID"
has err "the key is printed once"
key1=$(cat out)
t 0 key list
has out "192.0.2.1,192.0.2.2,192.0.2.3"
has out "billing"
hasnt out "$key1"
t 0 -o json key create r1 --ip 198.51.100.7
json 'd["account"] == "r1" and len(d["secret"]) == 36 and d["ips"] == "198.51.100.7"'
t 0 -o json key list c1
json 'len(d) == 1 and d[0]["account"] == "c1" and "secret" not in d[0]'
t 2 key create c1
has err "required option --ip not given"
t 1 key create c1 --ip 999.1.1.1
has err "999.1.1.1"
t 0 key delete 1
is err "deleted key 1"
t 1 key delete 1
has err "not found"
t 2 key delete abc
has err "is not a key id"

echo "== API logins"
t 0 apilogin add r1api --account r1 --role standard-reseller
grep -Eq '^[A-Za-z0-9]{20}$' out && ok || bad "the API login password is not 20 letters and digits"
has err "created API login 'r1api'"
t 0 apilogin add c1api --account c1 --role "All Commands for Client"
t 1 apilogin add c1bad --account c1 --role all-reseller
has err "needs a reseller"
t 2 apilogin add x --account c1 --role superuser
has err "unknown Partner API role 'superuser'"
t 1 apilogin add r1api --account r1 --role 5
has err "r1api"
t 0 apilogin list
has out "r1api  r1       standard-reseller  yes"
has out "c1api"
t 0 -o json apilogin show r1api
json 'd["role"] == "standard-reseller" and "license.upgrade" in d["operations"] and d["enabled"]'
t 0 apilogin disable r1api
is err "disabled API login 'r1api'"
t 0 -o json apilogin list r1
json 'len(d) == 1 and d[0]["enabled"] is False'
t 0 apilogin enable r1api
t 0 apilogin role r1api limited-reseller
is err "API login 'r1api' now has the role Limited Commands for Reseller"
t 0 apilogin passwd r1api
grep -Eq '^[A-Za-z0-9]{20}$' out && ok || bad "the new API login password is not 20 letters and digits"
t 0 -o json apilogin passwd c1api
json 'len(d["password"]) == 20 and d["login"] == "c1api"'
t 0 apilogin del c1api
is err "deleted API login 'c1api'"
t 1 apilogin show c1api
has err "c1api"

echo "== check"
t 0 check --as r1 create_clients c1
is out "allowed"
t 1 check --as r1 manage_dns c1
is out "denied: permission manage_dns is not granted to reseller 'r1'"
t 0 check --as c1 manage_dns c1
is out "allowed"
t 1 check --as c1 create_domains c2
has out "denied: "
t 0 check manage_dns c1
is out "allowed"
t 1 -o json check --as r1 manage_dns c1
json 'd["allowed"] is False and d["deny_kind"] == "method" and d["plesk_code"] == 1006 and d["actor"] == "r1"'
t 0 -o json check --as r1 create_clients c1
json 'd["allowed"] is True and d["deny_kind"] == "none"'
t 3 check --as r1 no_such_permission c1
has err "no_such_permission"
t 3 check --as r1 manage_dns nobody
has err "no account with login 'nobody'"
t 3 check --as nobody manage_dns c1
has err "nobody"
t 2 check manage_dns
has err "missing argument"
t 0 customer suspend c1
t 1 check --as c1 manage_dns c1
has out "denied: "
t 0 customer activate c1

echo "== acting as another account (--as)"
t 0 --as r1 customer list
has out "c1"
hasnt out "c2"
t 1 --as r1 customer get c2
has err "acctctl: "
t 1 --as c1 reseller add --login r9 --name R9 --no-password
has err "acctctl: "
t 0 --as r1 customer add --login c8 --name "Customer Eight" --no-password
t 0 -o json customer get c8
json 'd["owner"] == "r1"'
t 1 --as nobody customer list
is err "acctctl: no account with login 'nobody'"

echo "== audit"
t 0 --audit audit.log customer set c8 --city Berlin
if test $HAVE_PYTHON = yes; then
	python3 -c 'import json, sys
events = [json.loads(l) for l in open("audit.log")]
sys.exit(0 if any(e["result"] == 0 and e["target"] for e in events) else 1)' && ok || bad "audit.log has no event"
fi

echo "== delete"
t 0 -o json user add --login u3 --name "User Three" --owner c8 --no-password
t 0 customer del c8
is err "deleted customer 'c8' and the 1 account below it"
t 1 user get u3
has err "no account with login 'u3'"
t 0 customer delete c6
is err "deleted customer 'c6'"
t 1 customer del nobody
has err "no account with login 'nobody'"

echo "== export and import"
t 0 customer list --all
cp out before-customers
t 0 user list --all
cp out before-users
t 0 export dump.json
has err "records (9 accounts) from 'sqlite:./acct.db' to 'dump.json'"
is out ""
records=$(sed -n 's/^exported \([0-9]*\) records.*/\1/p' err)
if test $HAVE_PYTHON = yes; then
	python3 -c 'import json, sys
d = json.load(open("dump.json"))
ok = d["format"] == "libacct-export" and d["version"] == 1 and len(d["records"]) == int(sys.argv[1])
ok = ok and sorted(a["login"] for a in d["accounts"]) == ["admin", "c1", "c2", "c3", "c4", "c5", "r1", "r2", "u1"]
ok = ok and "secret1" not in open("dump.json").read()
sys.exit(0 if ok else 1)' "$records" && ok || bad "dump.json is not the expected export"
fi
perms=$(ls -l dump.json | cut -c1-10)
test "$perms" = "-rw-------" && ok || bad "dump.json is $perms, not private"
t 0 --store sqlite:copy.db import dump.json
is err "imported $records records (9 accounts) into 'sqlite:copy.db'"
t 0 --store sqlite:copy.db customer list --all
cmp -s out before-customers && ok || bad "customer list differs after import"
t 0 --store sqlite:copy.db user list --all
cmp -s out before-users && ok || bad "user list differs after import"
t 0 --store sqlite:copy.db -o json user get u1
json 'd["subscription"] == "example.com"'
t 1 --store sqlite:copy.db import dump.json
is err "acctctl: store 'sqlite:copy.db' is not empty; import needs an empty store"
# A pipe, as between two backends.
"$ACCTCTL" -q export | "$ACCTCTL" -q --store sqlite:piped.db import
test $? -eq 0 && ok || bad "export | import failed"
t 0 --store sqlite:piped.db customer list --all
cmp -s out before-customers && ok || bad "customer list differs after export | import"
tin dump.json 0 --store memory: import -
has err "into 'memory:'"
t 0 export
json 'd["format"] == "libacct-export" and len(d["accounts"]) == 9'
echo '{"format": "libacct-export", "version": 2, "records": []}' >v2.json
t 1 --store sqlite:v2.db import v2.json
is err "acctctl: v2.json has export version 2; this acctctl reads version 1"
echo 'not json' >garbage.json
t 1 --store sqlite:garbage.db import garbage.json
has err "garbage.json: "
t 1 --store sqlite:none.db import no-such-file.json
has err "no-such-file.json"
if test $HAVE_PYTHON = yes; then
	python3 -c 'import json
d = json.load(open("dump.json"))
d["records"][1]["value"] = "AQEBAgIB"
json.dump(d, open("corrupt.json", "w"))
d = json.load(open("dump.json"))
d["records"][3] = d["records"][2]
json.dump(d, open("repeated.json", "w"))'
	t 1 --store sqlite:corrupt.db import corrupt.json
	has err "the imported records do not open as a store; nothing was imported"
	t 1 --store sqlite:repeated.db import repeated.json
	has err "record 4: keys are not in ascending order"
fi
for f in v2.db garbage.db none.db corrupt.db repeated.db; do
	if test -e "$f"; then bad "a failed import left $f"; else ok; fi
done
t 2 --as r1 export
has err "--as does not apply"

echo "== PostgreSQL"
# Only with a server (build.sh check starts one and sets ACCT_TEST_PG) and
# psql, in a database of this test's own: other tests share ACCT_TEST_PG's.
if test -n "${ACCT_TEST_PG:-}" && command -v psql >/dev/null 2>&1 &&
	psql "$ACCT_TEST_PG" -qAt -c "CREATE DATABASE acctctl_test_$$" >/dev/null 2>&1; then
	pg="postgresql:$ACCT_TEST_PG dbname=acctctl_test_$$"
	t 1 --store "$pg password=hunter2" customer list
	has err "password=***' is not initialised; run 'acctctl --store \"postgresql:"
	hasnt err "hunter2"
	"$ACCTCTL" -q export | "$ACCTCTL" -q --store "$pg" import
	test $? -eq 0 && ok || bad "export | import into PostgreSQL failed"
	t 0 --store "$pg" customer list --all
	cmp -s out before-customers && ok || bad "customer list differs after an import into PostgreSQL"
	t 1 --store "$pg" import dump.json
	has err "is not empty; import needs an empty store"
	t 0 --store "$pg" customer add --login pgc --name "PG Customer" --owner r2 --no-password
	t 0 --store "$pg" -o json customer get pgc
	json 'd["owner"] == "r2"'
	psql "$ACCT_TEST_PG" -qAt -c "DROP DATABASE acctctl_test_$$" >/dev/null 2>&1
else
	skipped=$((skipped + 1))
fi

echo "== ACCT_STORE"
ACCT_STORE=sqlite:copy.db t 0 customer get c1
has out "Customer One"
ACCT_STORE=sqlite:copy.db t 0 --store sqlite:piped.db customer list
has out "c2"

echo "== terminal prompts"
if test $HAVE_PYTHON = yes && python3 -c 'import pty' 2>/dev/null; then
	# Answers typed at a terminal (a pseudo-terminal), echo off.
	cat >answer.py <<'EOF'
import os, pty, signal, sys
answers = [a.encode() + b"\n" for a in sys.argv[2].split(",")]
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1]] + sys.argv[3:])
def hung(*_):
    os.kill(pid, signal.SIGKILL)
    sys.stdout.write("acctctl hung at a prompt\n")
    sys.exit(98)
signal.signal(signal.SIGALRM, hung)
signal.alarm(30)
seen = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if answers and seen.rstrip().endswith(b":"):
        os.write(fd, answers.pop(0))
        seen += b"<answered>"
status = os.waitpid(pid, 0)[1]
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
EOF
	last="init on a terminal"
	python3 answer.py "$ACCTCTL" "typed-secret,typed-secret" --store sqlite:tty.db init --admin-login admin >out 2>err
	test $? -eq 0 && ok || bad "init with a prompted password failed"
	has out "Administrator password:"
	has out "Retype it:"
	hasnt out "typed-secret"
	last="init on a terminal, mismatch"
	python3 answer.py "$ACCTCTL" "typed-secret,other-secret" --store sqlite:tty2.db init --admin-login admin >out 2>err
	test $? -eq 1 && ok || bad "mismatched passwords were accepted"
	has out "the passwords do not match"
	if test -e tty2.db; then bad "a refused init left tty2.db"; else ok; fi
	last="customer add on a terminal"
	python3 answer.py "$ACCTCTL" "typed-secret,typed-secret" --store sqlite:tty.db customer add --login tc --name TC >out 2>err
	test $? -eq 0 && ok || bad "customer add with a prompted password failed"
	has out "Password for customer 'tc':"
else
	skipped=$((skipped + 1))
fi

echo
echo "acctctl tests: $passed passed, $failed failed, $skipped skipped"
test $failed -eq 0
