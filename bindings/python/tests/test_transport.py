"""Client transports (acct/transport.h, acct/sys/transport.h): Transport.loopback/https/custom, send() and call(),
credentials, errors, lifetime; and, when an acctctl with `serve` is at hand, a live HTTPS round trip."""

from __future__ import annotations

import base64
import gc
import glob
import http.server
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
import weakref
from typing import Any, Dict, List, Optional, Tuple

try:
    from . import _support as S
except ImportError:  # run with the tests directory as the top level
    import _support as S

import libacct
from libacct import CredKind, Credentials, Dataset, Field, FilterKind, ItemKind, Op, Request, Response, Transport, _ffi
from libacct._callbacks import REGISTRY

ADMIN = {"login": S.ADMIN, "password": S.ADMIN_PW}
PACKAGE = os.path.dirname(os.path.abspath(libacct.__file__))
PROTOS = b'<packet><server><get_protos/></server></packet>'


def closed_error(test: unittest.TestCase, fn, *args, **kw) -> None:
    with test.assertRaises(libacct.InvalidError) as cm:
        fn(*args, **kw)
    test.assertIn("closed", cm.exception.message)


def add_customer(login: str, **fields: str) -> Request:
    req = Request().add(Op.CUSTOMER_ADD).set(Field.LOGIN, login).set(Field.NAME, f"{login} Ltd") \
        .set(Field.PASSWORD, f"{login}-secret1")
    for k, v in fields.items():
        req.set(k, v)
    return req


def get_customer(*logins: str) -> Request:
    req = Request().add(Op.CUSTOMER_GET)
    for login in logins:
        req.filter(FilterKind.LOGIN, login)
    return req.dataset(Dataset.GEN_INFO)


def https_or_skip(test: unittest.TestCase, url: str, **kw: Any) -> Transport:
    try:
        return Transport.https(url, **kw)
    except libacct.NotSupportedError:
        test.skipTest("libacct was built without libcurl: no HTTPS transport")
        raise  # not reached


class TestDeclarations(unittest.TestCase):
    def test_every_transport_function_is_wrapped(self):
        """Each acct/transport.h and acct/sys/transport.h function is called by libacct.transport."""
        names = {n for n, s in _ffi.SIGNATURES.items() if s.header in ("acct/transport.h", "acct/sys/transport.h")}
        self.assertEqual(len(names), 7)
        with open(os.path.join(PACKAGE, "transport.py"), encoding="utf-8") as f:
            called = set(re.findall(r"\b(?:lib|raw)\.(acct_\w+)", f.read()))
        self.assertEqual(names - called, set(), "declared but not wrapped")

    def test_exported(self):
        self.assertIs(libacct.Transport, Transport)
        self.assertIs(libacct.Credentials, Credentials)
        self.assertIn("Transport", libacct.__all__)
        self.assertIn("Credentials", libacct.__all__)
        with self.assertRaises(TypeError):
            Transport()


# ---------------------------------------------------------------------------
# Loopback
# ---------------------------------------------------------------------------


class TestLoopback(unittest.TestCase):
    def setUp(self):
        self.ctx = S.memory_ctx()
        self.t = Transport.loopback(self.ctx)

    def tearDown(self):
        self.t.close()
        self.ctx.close()

    def test_customer_add_and_get(self):
        resp = self.t.call(add_customer("acme", email="ops@acme.example", country="NO"), **ADMIN)
        self.assertIsInstance(resp, Response)
        self.assertIsNone(resp.system_error)
        (added,) = resp
        self.assertTrue(added.ok, added.errtext)
        self.assertEqual(added.op, Op.CUSTOMER_ADD)
        self.assertGreater(added.id, 1)
        self.assertTrue(added.get(Field.GUID))

        got, ghost = self.t.call(get_customer("acme", "ghost"), **ADMIN)
        self.assertTrue(got.ok)
        self.assertEqual((got.id, got.filter_id, got.get("email"), got.get(Field.COUNTRY)),
                         (added.id, "acme", "ops@acme.example", "NO"))
        self.assertEqual((ghost.ok, ghost.errcode), (False, 1013))
        self.assertIn("ghost", ghost.errtext)
        # The agent wrote it to the context's store: the Pythonic API sees it too.
        with self.ctx.session_as(1) as s:
            self.assertEqual(s.get_by_login("acme").email, "ops@acme.example")

    def test_send_returns_the_reply_bytes(self):
        reply = self.t.send(PROTOS, **ADMIN)
        self.assertIsInstance(reply, bytes)
        self.assertIn(b"<proto>1.6.9.1</proto>", reply)
        self.assertEqual(reply, self.ctx.agent_handle(PROTOS, **ADMIN))
        self.assertIn(b"<proto>", self.t.send(PROTOS.decode(), **ADMIN))                  # str: UTF-8
        self.assertIn(b"<proto>", self.t.send(bytearray(PROTOS), **ADMIN))
        self.assertIn(b"<proto>", self.t.send(Request().add(Op.SERVER_GET_PROTOS), **ADMIN))  # encoded
        with self.assertRaises(TypeError):
            self.t.send(12, **ADMIN)

    def test_call_takes_bytes_too(self):
        resp = self.t.call(PROTOS, **ADMIN)
        self.assertEqual(resp[0].items(ItemKind.PROTO)[-1], ("1.6.9.1", None))
        with self.assertRaises(libacct.ParseError):
            Transport.custom(lambda data, cred: b"not xml").call(PROTOS)

    def test_system_errors_are_replies(self):
        self.assertEqual(self.t.call(PROTOS).system_error[0], 1029)                      # no credentials
        self.assertEqual(self.t.call(PROTOS, login=S.ADMIN, password="wrong-pw").system_error[0], 1001)
        resp = self.t.call(b"<packet><nonsense/></packet>", **ADMIN)
        self.assertEqual(resp.system_error[0], 1014)
        self.assertEqual(len(resp), 0)

    def test_secret_key(self):
        with self.ctx.session_as(1) as admin:
            secret, _ = admin.create_key(1, "192.0.2.7")
        resp = self.t.call(Request().add(Op.SERVER_GET_PROTOS), secret_key=secret, client_ip="192.0.2.7")
        self.assertIsNone(resp.system_error)
        self.assertTrue(resp[0].ok)
        resp = self.t.call(Request().add(Op.SERVER_GET_PROTOS), secret_key=secret, client_ip="192.0.2.8")
        self.assertEqual(resp.system_error[0], 11003)

    def test_a_request_with_a_missing_login_is_refused_before_sending(self):
        with self.assertRaises(libacct.InvalidError) as cm:
            self.t.call(Request().add(Op.CUSTOMER_ADD).set(Field.NAME, "No Login"), **ADMIN)
        self.assertIn("login", cm.exception.message)

    def test_closing_the_context_closes_the_transport(self):
        ctx = S.memory_ctx()
        t = Transport.loopback(ctx)
        self.assertIs(t.context, ctx)
        self.assertEqual((t.kind, t.url), ("loopback", None))
        ctx.close()
        self.assertTrue(t.closed)
        closed_error(self, t.send, PROTOS, **ADMIN)
        closed_error(self, t.call, Request().add(Op.SERVER_GET_PROTOS), **ADMIN)
        t.close()  # idempotent
        closed_error(self, Transport.loopback, ctx)
        with self.assertRaises(TypeError):
            Transport.loopback("not a context")

    def test_the_transport_keeps_its_context(self):
        t = Transport.loopback(S.memory_ctx())
        gc.collect()
        self.assertFalse(t.context.closed)
        self.assertIn(b"<proto>", t.send(PROTOS, **ADMIN))
        ctx = t.context
        t.close()
        self.assertFalse(ctx.closed)  # closing the transport leaves the context alone
        ctx.close()

    def test_an_audit_hook_exception_arrives_after_the_call(self):
        def hook(ev):
            if ev.operation == "account.add":
                raise LookupError("audit hook failed")

        self.ctx.set_audit(hook)
        with self.assertRaises(LookupError):
            self.t.call(add_customer("audited"), **ADMIN)
        with self.ctx.session_as(1) as s:  # the operation's effect stands
            self.assertEqual(s.get_by_login("audited").login, "audited")

    def test_threads_share_a_transport(self):
        errors: List[BaseException] = []

        def worker(i: int) -> None:
            try:
                for j in range(5):
                    r = self.t.call(add_customer(f"t{i}x{j}"), **ADMIN)
                    assert r[0].ok, r[0].errtext
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(errors, [])
        self.assertEqual(self.ctx.account_count, 21)

    def test_context_manager_and_repr(self):
        with Transport.loopback(self.ctx) as t:
            self.assertEqual(repr(t), "<Transport loopback>")
        self.assertTrue(t.closed)
        self.assertEqual(repr(t), "<Transport loopback closed>")
        self.assertFalse(self.ctx.closed)

    def test_closed_request(self):
        req = Request().add(Op.SERVER_GET_PROTOS)
        req.close()
        closed_error(self, self.t.call, req, **ADMIN)


# ---------------------------------------------------------------------------
# Custom transports
# ---------------------------------------------------------------------------


class TestCustom(unittest.TestCase):
    def setUp(self):
        self.ctx = S.memory_ctx()
        self.seen: List[Tuple[bytes, Credentials]] = []

    def tearDown(self):
        self.ctx.close()

    def agent(self, data: bytes, cred: Credentials) -> bytes:
        """A transport that carries the packet to this process's agent, as an HTTP server would."""
        self.seen.append((data, cred))
        return self.ctx.agent_handle(data, login=cred.login, password=cred.password, secret_key=cred.secret_key,
                                     client_ip=cred.client_ip)

    def test_the_function_gets_the_bytes_and_the_credentials(self):
        with Transport.custom(self.agent) as t:
            self.assertEqual((t.kind, t.url, t.context), ("custom", None, None))
            self.assertIn("agent", repr(t))
            resp = t.call(add_customer("acme", email="ops@acme.example"), **ADMIN)
            self.assertTrue(resp[0].ok, resp[0].errtext)
            data, cred = self.seen[-1]
            self.assertIsInstance(data, bytes)
            self.assertIn(b"<login>acme</login>", data)
            self.assertEqual(cred, Credentials(CredKind.PASSWORD, S.ADMIN, S.ADMIN_PW, None, None))
            got = t.call(get_customer("acme"), **ADMIN)[0]
            self.assertEqual(got.get(Field.EMAIL), "ops@acme.example")
            self.assertEqual(t.send(PROTOS, **ADMIN), self.ctx.agent_handle(PROTOS, **ADMIN))
            self.assertEqual(self.seen[-1][0], PROTOS)

    def test_replies_of_every_bytes_like_kind(self):
        for reply in (b"<packet/>", bytearray(b"<packet/>"), memoryview(b"<packet/>"), "<packet/>"):
            with Transport.custom(lambda data, cred, r=reply: r) as t:
                self.assertEqual(t.send(b"x"), b"<packet/>")
        with Transport.custom(lambda data, cred: b"") as t:
            self.assertEqual(t.send(b""), b"")

    def test_a_raising_function_raises_after_the_call(self):
        boom = RuntimeError("the line is down")

        def send(data, cred):
            raise boom

        with Transport.custom(send) as t:
            with self.assertRaises(RuntimeError) as cm:
                t.call(Request().add(Op.SERVER_GET_PROTOS), **ADMIN)
            self.assertIs(cm.exception, boom)  # the very object
            notes = getattr(boom, "__notes__", None)
            if notes is not None:  # Python 3.11+
                self.assertTrue(any("UserError" in n for n in notes), notes)
            with self.assertRaises(RuntimeError):
                t.send(PROTOS)
            # Nothing is left behind for the next call.
            self.assertFalse(libacct._callbacks.pending())

    def test_an_acct_error_passes_through(self):
        def send(data, cred):
            raise libacct.NetworkError("gateway 10.0.0.1 unreachable")

        with Transport.custom(send) as t:
            with self.assertRaises(libacct.NetworkError) as cm:
                t.send(PROTOS, **ADMIN)
        self.assertEqual(cm.exception.message, "gateway 10.0.0.1 unreachable")
        self.assertEqual(cm.exception.plesk_code, 1023)

    def test_base_exceptions_too(self):
        def send(data, cred):
            raise KeyboardInterrupt

        with Transport.custom(send) as t, self.assertRaises(KeyboardInterrupt):
            t.send(PROTOS)

    def test_a_reply_of_the_wrong_type(self):
        with Transport.custom(lambda data, cred: 42) as t:
            with self.assertRaises(TypeError) as cm:
                t.send(PROTOS)
        self.assertIn("bytes", str(cm.exception))

    def test_credentials_forwarding(self):
        """KEY versus login and password: what the function receives, and the headers they make."""
        with self.ctx.session_as(1) as admin:
            secret, _ = admin.create_key(1, "192.0.2.7")
        with Transport.custom(self.agent) as t:
            self.assertTrue(t.call(PROTOS, secret_key=secret, client_ip="192.0.2.7")[0].ok)
            key = self.seen[-1][1]
            self.assertEqual((key.kind, key.login, key.password, key.secret_key, key.client_ip),
                             (CredKind.KEY, None, None, secret, "192.0.2.7"))
            self.assertEqual(key.headers(), {"KEY": secret})
            self.assertNotIn(secret, repr(key))

            self.assertTrue(t.call(PROTOS, client_ip="198.51.100.1", **ADMIN)[0].ok)
            pw = self.seen[-1][1]
            self.assertEqual((pw.kind, pw.login, pw.password, pw.secret_key, pw.client_ip),
                             (CredKind.PASSWORD, S.ADMIN, S.ADMIN_PW, None, "198.51.100.1"))
            self.assertEqual(pw.headers(), {"HTTP_AUTH_LOGIN": S.ADMIN, "HTTP_AUTH_PASSWD": S.ADMIN_PW})
            self.assertNotIn(S.ADMIN_PW, repr(pw))

            self.assertEqual(t.call(PROTOS).system_error[0], 1029)
            self.assertEqual(self.seen[-1][1], Credentials())
            self.assertEqual(self.seen[-1][1].kind, CredKind.NONE)
            self.assertEqual(self.seen[-1][1].headers(), {})

            n = len(self.seen)
            for bad in ({"login": "admin"}, {"password": "x"}, {"secret_key": secret, **ADMIN}):
                with self.assertRaises(libacct.InvalidError):
                    t.send(PROTOS, **bad)
            with self.assertRaises(libacct.InvalidError):
                t.send(PROTOS, login="ad\0min", password="x")
            with self.assertRaises(TypeError):
                t.send(PROTOS, login=b"admin", password="x")
            self.assertEqual(len(self.seen), n, "refused before anything was sent")

    def test_close_function(self):
        closed: List[int] = []
        t = Transport.custom(self.agent, close=lambda: closed.append(1))
        t.send(PROTOS, **ADMIN)
        self.assertEqual(closed, [])
        t.close()
        t.close()
        self.assertEqual(closed, [1])
        closed_error(self, t.send, PROTOS)

        def fail():
            raise OSError("socket close failed")

        t = Transport.custom(self.agent, close=fail)
        with self.assertRaises(OSError):
            t.close()
        self.assertTrue(t.closed)
        self.assertFalse(libacct._callbacks.pending())
        with self.assertRaises(TypeError):
            Transport.custom(self.agent, close=3)
        with self.assertRaises(TypeError):
            Transport.custom("not callable")

    def test_the_function_is_kept_alive_while_c_holds_it(self):
        before = len(REGISTRY)
        closed: List[int] = []

        def make() -> Transport:
            ctx = self.ctx

            def send(data, cred):  # a closure nothing else refers to
                return ctx.agent_handle(data, login=cred.login, password=cred.password)

            return Transport.custom(send, close=lambda: closed.append(1))

        t = make()
        self.assertEqual(len(REGISTRY), before + 1)
        gc.collect()
        self.assertTrue(t.call(PROTOS, **ADMIN)[0].ok)
        ref = weakref.ref(t)
        del t
        gc.collect()
        self.assertIsNone(ref())
        self.assertEqual(closed, [1], "collected: closed")
        self.assertEqual(len(REGISTRY), before, "the registry let go")

    def test_the_function_cannot_close_its_own_transport(self):
        errors: List[BaseException] = []
        box: Dict[str, Transport] = {}

        def send(data, cred):
            try:
                box["t"].close()
            except libacct.InvalidError as e:
                errors.append(e)
            return self.agent(data, cred)

        box["t"] = t = Transport.custom(send)
        self.assertTrue(t.call(PROTOS, **ADMIN)[0].ok)
        self.assertEqual(len(errors), 1)
        self.assertIn("cannot be closed", errors[0].message)
        t.close()

    def test_a_loopback_inside_a_custom_transport(self):
        """A custom transport may send through another transport (a relay)."""
        with Transport.loopback(self.ctx) as inner:
            def relay(data, cred):
                return inner.send(data, **({"login": cred.login, "password": cred.password}
                                           if cred.kind == CredKind.PASSWORD else {}))

            with Transport.custom(relay) as t:
                self.assertTrue(t.call(add_customer("relayed"), **ADMIN)[0].ok)
                self.assertEqual(t.call(PROTOS).system_error[0], 1029)


# ---------------------------------------------------------------------------
# HTTPS (and plain HTTP, to a small Python server)
# ---------------------------------------------------------------------------


class _AgentHandler(http.server.BaseHTTPRequestHandler):
    """A Plesk agent over HTTP, in Python: the headers become the agent's credentials."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        srv: Any = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        h = self.headers
        srv.requests.append({"path": self.path, "content_type": h.get("Content-Type"),
                             "login": h.get("HTTP_AUTH_LOGIN"), "password": h.get("HTTP_AUTH_PASSWD"),
                             "key": h.get("KEY"), "body": body, "port": self.client_address[1]})
        if srv.delay:
            time.sleep(srv.delay)
        if srv.status != 200:
            reply, status = b"no\n", srv.status
        else:
            login, password = h.get("HTTP_AUTH_LOGIN"), h.get("HTTP_AUTH_PASSWD")
            reply, status = srv.ctx.agent_handle(body, login=login, password=password, secret_key=h.get("KEY"),
                                                 client_ip=self.client_address[0]), 200
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except OSError:  # the client gave up (a timeout test)
            pass

    def log_message(self, *args: Any) -> None:
        pass


class TestHttps(unittest.TestCase):
    def test_unreachable_port(self):
        t = https_or_skip(self, "https://127.0.0.1:1", connect_timeout=5, timeout=5)
        with t:
            self.assertEqual((t.kind, t.url, t.context), ("https", "https://127.0.0.1:1", None))
            self.assertEqual(repr(t), "<Transport https https://127.0.0.1:1>")
            with self.assertRaises(libacct.NetworkError) as cm:
                t.call(Request().add(Op.SERVER_GET_PROTOS), **ADMIN)
            e = cm.exception
            self.assertEqual((e.code, e.plesk_code), (_ffi.ACCT_ENETWORK, 1023))
            self.assertIn("127.0.0.1", e.message)
            self.assertIn("/enterprise/control/agent.php", e.message)  # the default path was added
            with self.assertRaises(libacct.NetworkError):
                t.send(PROTOS)
        closed_error(self, t.send, PROTOS)
        self.assertEqual(repr(t), "<Transport https closed>")

    def test_bad_urls(self):
        for url in ("ftp://example.invalid/", "", "example.com:8443", "HTTPS//x"):
            with self.subTest(url=url):
                try:
                    with self.assertRaises(libacct.InvalidError) as cm:
                        Transport.https(url)
                except libacct.NotSupportedError:
                    self.skipTest("libacct was built without libcurl")
                self.assertIn("https://", cm.exception.message)
        with self.assertRaises(TypeError):
            Transport.https(None)
        with self.assertRaises(TypeError):
            Transport.https(b"https://127.0.0.1")
        with self.assertRaises(libacct.InvalidError):
            Transport.https("https://127.0.0.1\0x")

    def test_options(self):
        for bad in (0, -1, float("nan"), float("inf"), 1e300):
            with self.subTest(timeout=bad), self.assertRaises(libacct.InvalidError):
                Transport.https("https://127.0.0.1:1", timeout=bad)
            with self.subTest(connect_timeout=bad), self.assertRaises(libacct.InvalidError):
                Transport.https("https://127.0.0.1:1", connect_timeout=bad)
        for bad in (True, "5", [1]):
            with self.subTest(timeout=bad), self.assertRaises(TypeError):
                Transport.https("https://127.0.0.1:1", timeout=bad)
        with self.assertRaises(libacct.InvalidError):
            Transport.https("https://127.0.0.1:1", ca_file="ca\0.pem")
        with self.assertRaises(TypeError):
            Transport.https("https://127.0.0.1:1", ca_file=3)
        t = https_or_skip(self, "https://127.0.0.1:1/", ca_file=os.path.join(S.HERE, "none.pem"), insecure=True,
                          connect_timeout=0.0001, timeout=2.5)
        t.close()

    def serve(self, status: int = 200, delay: float = 0.0) -> Tuple[Any, str]:
        ctx = S.memory_ctx()
        self.addCleanup(ctx.close)
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AgentHandler)
        srv.daemon_threads = True
        srv.ctx, srv.requests, srv.status, srv.delay = ctx, [], status, delay
        th = threading.Thread(target=srv.serve_forever, daemon=True)
        th.start()

        def stop() -> None:
            srv.shutdown()
            srv.server_close()
            th.join(10)

        self.addCleanup(stop)
        return srv, f"http://127.0.0.1:{srv.server_address[1]}"

    def test_credentials_go_out_as_plesk_headers(self):
        srv, url = self.serve()
        t = https_or_skip(self, url, timeout=10)
        with t:
            resp = t.call(add_customer("wired", email="w@example.com"), **ADMIN)
            self.assertTrue(resp[0].ok, resp[0].errtext)
            r = srv.requests[-1]
            self.assertEqual((r["path"], r["content_type"], r["login"], r["password"], r["key"]),
                             ("/enterprise/control/agent.php", "text/xml", S.ADMIN, S.ADMIN_PW, None))
            self.assertIn(b"<login>wired</login>", r["body"])
            self.assertEqual(t.call(get_customer("wired"), **ADMIN)[0].get("email"), "w@example.com")

            with srv.ctx.session_as(1) as admin:
                secret, _ = admin.create_key(1, "127.0.0.1")
            self.assertTrue(t.call(PROTOS, secret_key=secret)[0].ok)
            r = srv.requests[-1]
            self.assertEqual((r["login"], r["password"], r["key"]), (None, None, secret))

            self.assertEqual(t.call(PROTOS).system_error[0], 1029)  # no headers at all
            r = srv.requests[-1]
            self.assertEqual((r["login"], r["password"], r["key"]), (None, None, None))
            self.assertEqual(t.call(PROTOS, login=S.ADMIN, password="wrong-pw").system_error[0], 1001)

            ports = {r["port"] for r in srv.requests}
            self.assertEqual(len(ports), 1, "one connection, kept alive")

            with self.assertRaises(libacct.InvalidError) as cm:  # a header cannot hold a line break
                t.send(PROTOS, login="admin\r\nX-Evil: 1", password="x")
            self.assertIn("line break", cm.exception.message)

    def test_a_full_url_is_kept(self):
        srv, url = self.serve()
        with https_or_skip(self, url + "/custom/agent", timeout=10) as t:
            self.assertIsNone(t.call(PROTOS, **ADMIN).system_error)
        self.assertEqual(srv.requests[-1]["path"], "/custom/agent")

    def test_http_status_other_than_200(self):
        srv, url = self.serve(status=500)
        with https_or_skip(self, url, timeout=10) as t:
            with self.assertRaises(libacct.NetworkError) as cm:
                t.send(PROTOS, **ADMIN)
        self.assertIn("HTTP 500", cm.exception.message)

    def test_timeout(self):
        srv, url = self.serve(delay=1.5)
        with https_or_skip(self, url, timeout=0.2) as t:
            start = time.monotonic()
            with self.assertRaises(libacct.NetworkError) as cm:
                t.send(PROTOS, **ADMIN)
            self.assertLess(time.monotonic() - start, 1.4)
        self.assertIn(url.split("//")[1], cm.exception.message)

    def test_https_against_a_plain_http_server(self):
        """TLS to a server that speaks plain HTTP: a NetworkError with curl's words, not a crash."""
        srv, url = self.serve()
        with https_or_skip(self, url.replace("http://", "https://"), timeout=5) as t:
            with self.assertRaises(libacct.NetworkError) as cm:
                t.send(PROTOS, **ADMIN)
        self.assertTrue(cm.exception.message)


# ---------------------------------------------------------------------------
# Live: acctctl serve
# ---------------------------------------------------------------------------


def _find_acctctl() -> Optional[str]:
    """$ACCTCTL, else the acctctl built beside the loaded library, else the newest _build/*/src/cli/acctctl."""
    env = os.environ.get("ACCTCTL")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    beside = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(libacct.library_path)), "..", "cli",
                                           "acctctl"))
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    found = [p for p in glob.glob(os.path.join(S.REPO, "_build", "*", "src", "cli", "acctctl"))
             if os.access(p, os.X_OK) and "asan" not in p and "tsan" not in p]
    return max(found, key=os.path.getmtime) if found else None


LIVE_ADMIN_PW = "Admin-pass1"


class TestAcctctlServe(unittest.TestCase):
    """The HTTPS transport against `acctctl serve` on a temporary SQLite store (skipped without one)."""

    proc: Optional["subprocess.Popen[str]"] = None

    @classmethod
    def setUpClass(cls) -> None:
        acctctl = _find_acctctl()
        if acctctl is None:
            raise unittest.SkipTest("no acctctl binary (set ACCTCTL or build one in _build/*/src/cli)")
        env = dict(os.environ, ACCT_PASSWORD_COST="4", LIBACCT_PATH=libacct.library_path)
        probe = subprocess.run([acctctl, "serve", "--help"], env=env, capture_output=True, text=True, timeout=30)
        if probe.returncode != 0 or "unknown command" in probe.stderr:
            raise unittest.SkipTest(f"{acctctl} has no 'serve' command yet")
        try:
            Transport.https("https://127.0.0.1:1").close()
        except libacct.NotSupportedError:
            raise unittest.SkipTest("libacct was built without libcurl: no HTTPS transport") from None
        cls.dir = tempfile.mkdtemp(prefix="acct-serve-")
        cls.env = env
        store = "sqlite:" + os.path.join(cls.dir, "acct.db")
        init = subprocess.run([acctctl, "--store", store, "init", "--admin-login", "admin", "--admin-password",
                               LIVE_ADMIN_PW], env=env, capture_output=True, text=True, timeout=60)
        if init.returncode != 0:
            shutil.rmtree(cls.dir, ignore_errors=True)
            raise AssertionError(f"acctctl init failed ({init.returncode}): {init.stderr}")
        cls.proc = subprocess.Popen([acctctl, "--store", store, "serve", "--listen", "127.0.0.1:0", "--threads", "1",
                                     "--access-log", "off"], env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        cls.stderr: List[str] = []

        def read() -> None:
            assert cls.proc is not None and cls.proc.stderr is not None
            for line in cls.proc.stderr:
                cls.stderr.append(line)
                lines.put(line)
            lines.put(None)

        cls.reader = threading.Thread(target=read, daemon=True)
        cls.reader.start()
        deadline = time.monotonic() + 60
        port = None
        while port is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                cls._stop()
                raise AssertionError("acctctl serve did not say where it serves: " + "".join(cls.stderr))
            m = re.match(r"acctctl: serving https://127\.0\.0\.1:(\d+) ", line)
            if m:
                port = int(m.group(1))
        cls.url = f"https://127.0.0.1:{port}"
        cls.cert = os.path.join(cls.dir, "acctctl-serve.crt")

    @classmethod
    def _stop(cls) -> None:
        if cls.proc is not None:
            if cls.proc.poll() is None:
                cls.proc.send_signal(signal.SIGTERM)
                try:
                    cls.proc.wait(20)
                except subprocess.TimeoutExpired:
                    cls.proc.kill()
                    cls.proc.wait(10)
            cls.reader.join(10)  # EOF once the server is gone
            if cls.proc.stderr is not None:
                cls.proc.stderr.close()
            cls.proc = None
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def tearDownClass(cls) -> None:
        cls._stop()

    def test_plesk_round_trip(self):
        live = {"login": "admin", "password": LIVE_ADMIN_PW}
        with Transport.https(self.url, ca_file=self.cert, timeout=30) as t:
            resp = t.call(add_customer("live1", email="live@example.com"), **live)
            self.assertIsNone(resp.system_error)
            self.assertTrue(resp[0].ok, resp[0].errtext)
            got, protos = t.call(get_customer("live1").add(Op.SERVER_GET_PROTOS), **live)
            self.assertEqual((got.id, got.get("email")), (resp[0].id, "live@example.com"))
            self.assertIn(("1.6.9.1", None), protos.items(ItemKind.PROTO))
            self.assertEqual(t.call(PROTOS, login="admin", password="wrong-pass1").system_error[0], 1001)
            self.assertEqual(t.call(PROTOS).system_error[0], 1029)

    def test_certificate_checks(self):
        with Transport.https(self.url, timeout=30) as t:  # the system's CAs do not know the self-signed one
            with self.assertRaises(libacct.NetworkError):
                t.send(PROTOS, login="admin", password=LIVE_ADMIN_PW)
        with Transport.https(self.url, insecure=True, timeout=30) as t:
            self.assertIsNone(t.call(PROTOS, login="admin", password=LIVE_ADMIN_PW).system_error)

    def test_partner_accounts_with_urllib(self):
        import ssl

        ssl_ctx = ssl.create_default_context(cafile=self.cert)
        auth = base64.b64encode(f"admin:{LIVE_ADMIN_PW}".encode()).decode()
        body = json.dumps({"username": "live_partner", "password": "Superse3cret",
                           "contact_details": {"first_name": "Live", "last_name": "Partner", "country": "FIN",
                                               "email": "lp@example.com", "phone": "+358.31245434"}}).encode()
        req = urllib.request.Request(self.url + "/1.3/partner/accounts", data=body, method="POST",
                                     headers={"Authorization": "Basic " + auth, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=ssl_ctx, timeout=30) as r:
            self.assertEqual(r.status, 201)
            created = json.load(r)
        self.assertEqual((created["username"], created["country"]), ("live_partner", "FIN"))
        req = urllib.request.Request(self.url + "/1.3/partner/accounts", headers={"Authorization": "Basic " + auth})
        with urllib.request.urlopen(req, context=ssl_ctx, timeout=30) as r:
            self.assertIn("live_partner", [a["username"] for a in json.load(r)])

    def test_the_example_client(self):
        script = os.path.join(S.REPO, "examples", "python", "serve_client.py")
        out = subprocess.run([sys.executable, script, "--url", self.url, "--login", "admin", "--password",
                              LIVE_ADMIN_PW, "--ca-file", self.cert], env=self.env, capture_output=True, text=True,
                             timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("customer add", out.stdout)
        self.assertIn("1.6.9.1", out.stdout)
        self.assertIn("partner accounts", out.stdout)
        # Run twice: what exists already is reported, not fatal.
        again = subprocess.run([sys.executable, script, "--url", self.url, "--login", "admin", "--password",
                                LIVE_ADMIN_PW, "--insecure"], env=self.env, capture_output=True, text=True,
                               timeout=120)
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn("1007", again.stdout)


if __name__ == "__main__":
    unittest.main()
