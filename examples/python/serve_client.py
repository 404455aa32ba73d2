#!/usr/bin/env python3
"""A client of `acctctl serve`, through the libacct Python bindings and the standard library.

`acctctl serve` answers two APIs over HTTPS on one port:

* the Plesk XML API (POST /enterprise/control/agent.php, credentials in the
  HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD or KEY headers): this client speaks it
  with libacct.Transport.https, building requests with libacct.Request and
  reading replies with libacct.Response: customer add, customer get and
  server get_protos;
* the UpCloud-style partner accounts API (GET and POST /1.3/partner/accounts,
  HTTP Basic authentication, JSON): this client speaks it with
  urllib.request, trusting the server's certificate file.

Nothing but the given server is contacted, and nothing needs installing
beyond libacct (no PyPI). Items that exist already (from an earlier run) are
reported and skipped, so the client can run again.

Run it against a store of your own (from a source tree after ./build.sh demo,
or with libacct and acctctl installed):

    acctctl --store sqlite:/tmp/demo/acct.db init --admin-login admin --admin-password Admin-pass1
    acctctl --store sqlite:/tmp/demo/acct.db serve --listen 127.0.0.1:8443 &
        # prints "acctctl: serving https://127.0.0.1:8443 ..." and, the first time, writes a
        # self-signed certificate beside the store: /tmp/demo/acctctl-serve.crt
    python3 examples/python/serve_client.py --url https://127.0.0.1:8443 \\
        --login admin --password Admin-pass1 --ca-file /tmp/demo/acctctl-serve.crt

--insecure instead of --ca-file turns certificate checks off (test servers only).
"""
import argparse
import base64
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
import libacct  # noqa: E402
from libacct import Dataset, Field, FilterKind, ItemKind, Op, PacketField, Request  # noqa: E402

PARTNER_PATH = "/1.3/partner/accounts"
EXISTS = 1007  # Plesk's errcode for "already exists"


def base_url(url: str) -> str:
    """scheme://host:port of --url (which may name the agent's path)."""
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("https", "http") or not u.netloc:
        raise SystemExit(f"--url must look like https://HOST:PORT, not {url!r}")
    return f"{u.scheme}://{u.netloc}"


# ---------------------------------------------------------------------------
# (a) The Plesk XML API, through libacct.Transport.https
# ---------------------------------------------------------------------------


def plesk(args: argparse.Namespace) -> bool:
    creds = {"login": args.login, "password": args.password}
    ok = True
    with libacct.Transport.https(base_url(args.url), ca_file=args.ca_file, insecure=args.insecure,
                                 connect_timeout=10, timeout=60) as t:
        print(f"Plesk XML API at {t.url} (path /enterprise/control/agent.php)")

        add = (Request()
               .add(Op.CUSTOMER_ADD)
               .set(Field.LOGIN, args.customer).set(Field.NAME, "Python Client Ltd")
               .set(Field.PASSWORD, "Py-client-secret1").set(Field.EMAIL, f"{args.customer}@example.com")
               .set(Field.COUNTRY, "NO"))
        resp = t.call(add, **creds)
        if resp.system_error is not None:  # authentication, version or a bad packet: the whole reply
            code, text = resp.system_error
            print(f"  the server refused the packet: {code} {text}")
            return False
        r = resp[0]
        if r.ok:
            print(f"  customer add {args.customer}: ok, id {r.id}, guid {r.get(Field.GUID)}")
        elif r.errcode == EXISTS:
            print(f"  customer add {args.customer}: exists already ({r.errcode}: {r.errtext})")
        else:
            print(f"  customer add {args.customer}: failed ({r.errcode}: {r.errtext})")
            ok = False

        # Two operations in one packet: one result each, in document order.
        get = (Request()
               .add(Op.CUSTOMER_GET).filter(FilterKind.LOGIN, args.customer).dataset(Dataset.GEN_INFO)
               .add(Op.SERVER_GET_PROTOS))
        got, protos = t.call(get, **creds)
        if got.ok:
            print(f"  customer get {got.filter_id}: id {got.id}, name {got.get(Field.NAME)!r}, "
                  f"email {got.get(Field.EMAIL)}, country {got.get(Field.COUNTRY)}, "
                  f"owner {got.get(PacketField.OWNER_LOGIN)}")
        else:
            print(f"  customer get {args.customer}: failed ({got.errcode}: {got.errtext})")
            ok = False
        if protos.ok:
            versions = [name for name, _ in protos.items(ItemKind.PROTO)]
            print(f"  server get_protos: {len(versions)} protocol versions, {versions[0]} .. {versions[-1]}")
        else:
            print(f"  server get_protos: failed ({protos.errcode}: {protos.errtext})")
            ok = False
    return ok


# ---------------------------------------------------------------------------
# (b) The partner accounts API, through urllib.request
# ---------------------------------------------------------------------------


def ssl_context(args: argparse.Namespace) -> ssl.SSLContext:
    """Trust the server's certificate file (or the system's CAs); --insecure checks nothing."""
    ctx = ssl.create_default_context(cafile=args.ca_file)
    if args.insecure:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def partner_request(args: argparse.Namespace, method: str, body: Optional[Any] = None) -> Tuple[int, Any]:
    """One request to /1.3/partner/accounts: (HTTP status, decoded JSON). Errors come back as their status."""
    auth = base64.b64encode(f"{args.login}:{args.password}".encode("utf-8")).decode("ascii")
    headers = {"Authorization": f"Basic {auth}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base_url(args.url) + PARTNER_PATH, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, context=ssl_context(args), timeout=60) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:  # 4xx/5xx: the body is {"error": {"error_code", "error_message"}}
        try:
            raw = e.read()
        finally:
            e.close()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, {"error": {"error_code": "HTTP_%d" % e.code, "error_message": raw.decode(errors="replace")}}


def partner(args: argparse.Namespace) -> bool:
    print(f"partner accounts API at {base_url(args.url)}{PARTNER_PATH}")
    account = {
        "username": args.partner_username,
        "password": "Partner-secret1",
        "contact_details": {"first_name": "Py", "last_name": "Partner", "country": "FIN",
                            "email": "py.partner@example.com", "phone": "+358.31245434",
                            "company": "Python Partner Oy", "city": "Helsinki"},
    }
    status, doc = partner_request(args, "POST", account)
    if status == 201:
        print(f"  POST {args.partner_username}: created: {json.dumps(doc, sort_keys=True)}")
    elif status == 409:
        err = doc.get("error", {})
        print(f"  POST {args.partner_username}: exists already ({err.get('error_code')}: {err.get('error_message')})")
    else:
        err = doc.get("error", {}) if isinstance(doc, dict) else {}
        print(f"  POST {args.partner_username}: HTTP {status} {err.get('error_code')}: {err.get('error_message')}")
        return False

    status, doc = partner_request(args, "GET")
    if status != 200:
        err = doc.get("error", {}) if isinstance(doc, dict) else {}
        print(f"  GET: HTTP {status} {err.get('error_code')}: {err.get('error_message')}")
        return False
    print(f"  GET: {len(doc)} partner accounts")
    for a in doc:
        name = f"{a['first_name']} {a['last_name']}".strip()
        print(f"    {a['username']:<24} {name:<24} {a['country']:<4} {a['email']}")
    return True


def main() -> int:
    p = argparse.ArgumentParser(description="Talk to `acctctl serve`: the Plesk XML API and the partner accounts API.")
    p.add_argument("--url", default="https://127.0.0.1:8443", help="the server, https://HOST:PORT (default: %(default)s)")
    p.add_argument("--login", default="admin", help="the account to act as (default: %(default)s)")
    p.add_argument("--password", required=True, help="its password")
    p.add_argument("--ca-file", help="a PEM file to verify the server with, e.g. the acctctl-serve.crt beside the store")
    p.add_argument("--insecure", action="store_true", help="do not verify the server's certificate (test servers only)")
    p.add_argument("--customer", default="pyclient", help="the Plesk customer to add and get (default: %(default)s)")
    p.add_argument("--partner-username", default="py_partner",
                   help="the partner account to create (default: %(default)s)")
    args = p.parse_args()
    try:
        ok = plesk(args)
        print()
        ok = partner(args) and ok
    except libacct.NetworkError as e:  # no reply at all: connection, TLS, timeout, HTTP status
        print(f"serve_client: {e}", file=sys.stderr)
        if "certificate" in e.message and not args.ca_file:
            print("serve_client: pass --ca-file with the server's certificate (acctctl serve writes "
                  "acctctl-serve.crt beside an SQLite store), or --insecure for a test server", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as e:
        print(f"serve_client: {base_url(args.url)}: {e}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
