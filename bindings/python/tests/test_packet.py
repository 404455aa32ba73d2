"""Packets and the agent (acct/packet.h, acct/agent.h): the raw declarations, Request, Response/Result, and
Context.agent_handle/agent_call/agent_configure, with round trips through the agent."""

from __future__ import annotations

import ctypes
import gc
import os
import re
import threading
import unittest
from ctypes import POINTER, byref, c_char_p, c_int

try:
    from . import _support as S
except ImportError:  # run with the tests directory as the top level
    import _support as S

import libacct
from libacct import (CredKind, Dataset, Field, FilterKind, ItemKind, Op, PacketField, Request, Response, Result,
                     _ffi)
from libacct._ffi import lib

ADMIN = {"login": S.ADMIN, "password": S.ADMIN_PW}
PACKAGE = os.path.dirname(os.path.abspath(libacct.__file__))


def closed_error(test: unittest.TestCase, fn, *args, **kw):
    with test.assertRaises(libacct.InvalidError) as cm:
        fn(*args, **kw)
    test.assertIn("closed", cm.exception.message)


# ---------------------------------------------------------------------------
# The raw layer
# ---------------------------------------------------------------------------


class TestRawDeclarations(unittest.TestCase):
    """Every acct/packet.h and acct/agent.h function through _ffi, as a C host would call it."""

    def test_every_new_function_is_wrapped(self):
        """Each packet and agent function is called by the Pythonic layer (not only declared)."""
        names = {n for n, s in _ffi.SIGNATURES.items() if s.header in ("acct/packet.h", "acct/agent.h")}
        self.assertEqual(len(names), 31)
        text = ""
        for mod in ("packet.py", "agent.py", "enums.py"):
            with open(os.path.join(PACKAGE, mod), encoding="utf-8") as f:
                text += f.read()
        called = set(re.findall(r"\b(?:lib|raw)\.(acct_\w+)", text))
        self.assertEqual(names - called, set(), "declared but not wrapped")

    def test_handles_are_typed(self):
        sig = _ffi.SIGNATURES
        self.assertEqual(sig["acct_request_new"].argtypes[0], POINTER(POINTER(_ffi.acct_request)))
        self.assertEqual(sig["acct_response_parse"].argtypes[0], POINTER(POINTER(_ffi.acct_response)))
        self.assertIs(sig["acct_response_result"].restype, POINTER(_ffi.acct_result))
        self.assertIs(sig["acct_agent_handle"].argtypes[1], POINTER(_ffi.acct_credentials))
        self.assertEqual(_ffi.acct_credentials.session.offset, 40 if ctypes.sizeof(ctypes.c_void_p) == 8 else 24)
        req = POINTER(_ffi.acct_request)()
        with self.assertRaises(ctypes.ArgumentError):
            lib.acct_request_add(12345, _ffi.ACCT_OP_SERVER_GET_PROTOS)  # an int is not a handle
        with self.assertRaises(ctypes.ArgumentError):
            lib.acct_response_count(req)  # nor is a request a response

    def test_credentials_init(self):
        c = _ffi.acct_credentials()
        c.kind, c.login, c.client_ip = 3, b"x", b"y"
        lib.acct_credentials_init(byref(c), _ffi.ACCT_CREDENTIALS_VERSION)
        # ACCT_CREDENTIALS_INIT: { 1, ACCT_CRED_NONE, NULL, NULL, NULL, NULL, NULL }
        self.assertEqual((c.version, c.kind, c.login, c.password, c.secret_key, c.client_ip),
                         (1, _ffi.ACCT_CRED_NONE, None, None, None, None))
        self.assertFalse(c.session)
        for bad in (0, 2):
            with self.assertRaises(libacct.InvalidError) as cm:
                lib.acct_credentials_init(byref(c), bad)
            self.assertIn(f"version {bad}", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_credentials_init(None, 1)

    def test_agent_options_init(self):
        o = _ffi.acct_agent_options()
        o.max_packet_bytes, o.max_depth, o.pretty, o.server_name = 9, 9, 1, b"x"
        lib.acct_agent_options_init(byref(o), _ffi.ACCT_AGENT_OPTIONS_VERSION)
        # ACCT_AGENT_OPTIONS_INIT: { 1, 0, 0, 0, 0, 0, NULL, 0 }
        self.assertEqual((o.version, o.max_packet_bytes, o.max_depth, o.max_elements, o.max_operations,
                          o.max_text_bytes, o.server_name, o.pretty), (1, 0, 0, 0, 0, 0, None, 0))
        for bad in (0, 2):
            with self.assertRaises(libacct.InvalidError) as cm:
                lib.acct_agent_options_init(byref(o), bad)
            self.assertIn("acct_agent_options", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_agent_options_init(None, 1)

    def test_null_safety(self):
        lib.acct_request_free(None)
        lib.acct_response_free(None)
        self.assertEqual(lib.acct_response_version(None), b"")
        self.assertEqual(lib.acct_response_count(None), 0)
        self.assertFalse(lib.acct_response_result(None, 0))
        code, text = c_int(7), c_char_p(b"x")
        self.assertEqual(lib.acct_response_system_error(byref(code), byref(text), None), 0)
        self.assertEqual((code.value, text.value), (0, b""))
        self.assertEqual((lib.acct_result_op(None), lib.acct_result_operation(None), lib.acct_result_ok(None),
                          lib.acct_result_errcode(None), lib.acct_result_errtext(None), lib.acct_result_filter_id(None),
                          lib.acct_result_id(None), lib.acct_result_get(None, 1), lib.acct_result_item_count(None, 1),
                          lib.acct_result_item_get(None, 1, 0, b"name")), (0, 0, 0, 0, b"", None, 0, None, 0, None))
        with self.assertRaises(libacct.NotFoundError):
            lib.acct_result_item(None, None, None, 1, 0)
        for call in (lambda: lib.acct_request_new(None, None), lambda: lib.acct_request_add(None, 101),
                     lambda: lib.acct_request_filter(None, 0, None), lambda: lib.acct_request_dataset(None, 1),
                     lambda: lib.acct_request_set(None, 1, b"x"), lambda: lib.acct_request_item(None, 1, b"a", b"1"),
                     lambda: lib.acct_request_encode(None, None), lambda: lib.acct_response_parse(None, b"", 0),
                     lambda: lib.acct_agent_configure(None, None),
                     lambda: lib.acct_agent_handle(None, None, b"", 0, None)):
            with self.assertRaises(libacct.InvalidError):
                call()

    def test_names(self):
        self.assertEqual(lib.acct_op_name(_ffi.ACCT_OP_CUSTOMER_GET), b"customer get")
        self.assertEqual(lib.acct_op_name(_ffi.ACCT_OP_CLIENT_IPPOOL_ADD_IP), b"client ippool_add_ip")
        self.assertIsNone(lib.acct_op_name(0))
        self.assertIsNone(lib.acct_op_name(199))
        self.assertRegex(lib.acct_agent_protocol_version().decode(), r"^\d+\.\d+\.\d+\.\d+$")

    def test_raw_round_trip(self):
        """Build, encode, answer, parse and read a packet with the raw functions only."""
        with S.memory_ctx() as ctx:
            req = POINTER(_ffi.acct_request)()
            with self.assertRaises(libacct.InvalidError) as cm:
                lib.acct_request_new(byref(req), b"one")
            self.assertIn("not a protocol version", cm.exception.message)
            self.assertFalse(req)
            lib.acct_request_new(byref(req), b"1.6.9.1")
            try:
                lib.acct_request_add(req, _ffi.ACCT_OP_CUSTOMER_ADD)
                lib.acct_request_set(req, _ffi.ACCT_FIELD_LOGIN, b"raw1")
                lib.acct_request_set(req, _ffi.ACCT_FIELD_NAME, b"Raw One")
                lib.acct_request_set(req, _ffi.ACCT_FIELD_PASSWORD, b"raw1-secret")
                lib.acct_request_add(req, _ffi.ACCT_OP_RESELLER_ADD)
                lib.acct_request_set(req, _ffi.ACCT_FIELD_LOGIN, b"rr1")
                lib.acct_request_set(req, _ffi.ACCT_FIELD_NAME, b"Raw Reseller")
                lib.acct_request_set(req, _ffi.ACCT_FIELD_PASSWORD, b"rr1-secret")
                lib.acct_request_add(req, _ffi.ACCT_OP_RESELLER_SET)
                lib.acct_request_filter(req, _ffi.ACCT_FILTER_LOGIN, b"rr1")
                lib.acct_request_item(req, _ffi.ACCT_ITEM_LIMIT, b"max_cl", b"4")
                lib.acct_request_add(req, _ffi.ACCT_OP_RESELLER_GET)
                lib.acct_request_filter(req, _ffi.ACCT_FILTER_LOGIN, b"rr1")
                lib.acct_request_dataset(req, _ffi.ACCT_DATASET_GEN_INFO | _ffi.ACCT_DATASET_LIMITS)
                packet = _ffi.acct_buf()
                lib.acct_request_encode(byref(packet), req)
                data = _ffi.buf_bytes(packet)
                lib.acct_buf_dispose(byref(packet))
            finally:
                lib.acct_request_free(req)
            self.assertIn(b"<customer>", data)

            cred = _ffi.acct_credentials()
            lib.acct_credentials_init(byref(cred), 1)
            cred.kind, cred.login, cred.password = _ffi.ACCT_CRED_PASSWORD, S.ADMIN.encode(), S.ADMIN_PW.encode()
            opts = _ffi.acct_agent_options()
            lib.acct_agent_options_init(byref(opts), 1)
            opts.pretty = 1
            reply = _ffi.acct_buf()
            with ctx._h as cp:
                lib.acct_agent_configure(cp, byref(opts))
                self.assertEqual(lib.acct_agent_handle(cp, byref(cred), data, len(data), byref(reply)), 0)
            xml = _ffi.buf_bytes(reply)
            lib.acct_buf_dispose(byref(reply))
            self.assertIn(b"\n  <customer>", xml, "pretty")

            resp = POINTER(_ffi.acct_response)()
            lib.acct_response_parse(byref(resp), xml, len(xml))
            try:
                self.assertEqual(lib.acct_response_version(resp), b"1.6.9.1")
                self.assertEqual(lib.acct_response_system_error(None, None, resp), 0)
                self.assertEqual(lib.acct_response_count(resp), 4)
                self.assertFalse(lib.acct_response_result(resp, 4))
                first = lib.acct_response_result(resp, 0)
                self.assertEqual((lib.acct_result_op(first), lib.acct_result_operation(first),
                                  lib.acct_result_ok(first), lib.acct_result_errcode(first),
                                  lib.acct_result_errtext(first)),
                                 (_ffi.ACCT_OP_CUSTOMER_ADD, 0, 1, 0, b""))
                self.assertEqual(lib.acct_result_id(first), 2)
                self.assertRegex(lib.acct_result_get(first, _ffi.ACCT_FIELD_GUID).decode(), r"^[0-9a-f-]{36}$")
                last = lib.acct_response_result(resp, 3)
                self.assertEqual(lib.acct_result_filter_id(last), b"rr1")
                self.assertEqual(lib.acct_result_get(last, _ffi.ACCT_FIELD_NAME), b"Raw Reseller")
                n = lib.acct_result_item_count(last, _ffi.ACCT_ITEM_LIMIT)
                self.assertGreater(n, 1)
                name, value = c_char_p(), c_char_p()
                lib.acct_result_item(byref(name), byref(value), last, _ffi.ACCT_ITEM_LIMIT, 0)
                self.assertEqual((name.value, value.value), (b"max_cl", b"4"))
                lib.acct_result_item(None, None, last, _ffi.ACCT_ITEM_LIMIT, n - 1)  # either out may be NULL
                with self.assertRaises(libacct.NotFoundError):
                    lib.acct_result_item(byref(name), byref(value), last, _ffi.ACCT_ITEM_LIMIT, n)
                self.assertEqual((name.value, value.value), (None, None), "NULL past the end")
                self.assertEqual(lib.acct_result_item_get(last, _ffi.ACCT_ITEM_LIMIT, 0, b"value"), b"4")
                self.assertIsNone(lib.acct_result_item_get(last, _ffi.ACCT_ITEM_LIMIT, 0, b"nope"))
            finally:
                lib.acct_response_free(resp)

    def test_raw_system_error(self):
        with S.memory_ctx() as ctx:
            data = b'<packet version="1.6.9.1"><server><get_protos/></server></packet>'
            reply = _ffi.acct_buf()
            with ctx._h as cp:
                lib.acct_agent_handle(cp, None, data, len(data), byref(reply))  # no credentials at all
            xml = _ffi.buf_bytes(reply)
            lib.acct_buf_dispose(byref(reply))
            resp = POINTER(_ffi.acct_response)()
            lib.acct_response_parse(byref(resp), xml, len(xml))
            code, text = c_int(), c_char_p()
            self.assertEqual(lib.acct_response_system_error(byref(code), byref(text), resp), 1)
            self.assertEqual(code.value, 1029)
            self.assertIn(b"Authentication", text.value)
            self.assertEqual(lib.acct_response_count(resp), 0)
            lib.acct_response_free(resp)


class TestRawTransport(unittest.TestCase):
    """acct/transport.h and acct/sys/transport.h through the raw layer, as a C host would call them (the Pythonic
    face, libacct.Transport, is tested in test_transport.py)."""

    def setUp(self):
        self.ctx = S.memory_ctx()
        self.cred = _ffi.acct_credentials()
        lib.acct_credentials_init(byref(self.cred), 1)
        self.cred.kind, self.cred.login, self.cred.password = (_ffi.ACCT_CRED_PASSWORD, S.ADMIN.encode(),
                                                               S.ADMIN_PW.encode())
        self.req = POINTER(_ffi.acct_request)()
        lib.acct_request_new(byref(self.req), None)
        lib.acct_request_add(self.req, _ffi.ACCT_OP_SERVER_GET_PROTOS)

    def tearDown(self):
        lib.acct_request_free(self.req)
        self.ctx.close()

    def _protos(self, t):
        resp = POINTER(_ffi.acct_response)()
        lib.acct_client_send(byref(resp), t, byref(self.cred), self.req)
        try:
            self.assertEqual(lib.acct_response_system_error(None, None, resp), 0)
            return lib.acct_result_item_count(lib.acct_response_result(resp, 0), _ffi.ACCT_ITEM_PROTO)
        finally:
            lib.acct_response_free(resp)

    def test_loopback(self):
        t = POINTER(_ffi.acct_transport)()
        with self.ctx._h as cp:
            lib.acct_transport_loopback_new(byref(t), cp)
            try:
                self.assertEqual(t[0].version, _ffi.ACCT_TRANSPORT_VERSION)
                self.assertGreater(self._protos(t), 10)
                data = b"<packet><server><get_protos/></server></packet>"
                reply = _ffi.acct_buf()
                lib.acct_transport_send(t, data, len(data), byref(self.cred), byref(reply))
                self.assertIn(b"<proto>", _ffi.buf_bytes(reply))
                lib.acct_buf_dispose(byref(reply))
            finally:
                lib.acct_transport_free(t)
        lib.acct_transport_free(None)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_transport_loopback_new(byref(t), None)

    def test_a_transport_written_in_python(self):
        seen = []
        ctx_ptr = self.ctx._h.acquire()
        try:
            @_ffi.transport_send_fn
            def send(t, request, length, cred, response):
                seen.append((t[0].payload, cred[0].login))
                data = ctypes.string_at(request, length)  # a real transport would send these bytes
                return raw_handle(ctx_ptr, cred, data, len(data), response)

            @_ffi.transport_free_fn
            def free(t):
                seen.append("free")

            raw_handle = _ffi.raw.acct_agent_handle
            t = _ffi.acct_transport()
            lib.acct_transport_init(byref(t), _ffi.ACCT_TRANSPORT_VERSION)
            self.assertEqual((t.version, t.payload), (1, None))
            self.assertFalse(t.send)
            with self.assertRaises(libacct.InvalidError):
                lib.acct_client_send(byref(POINTER(_ffi.acct_response)()), byref(t), byref(self.cred), self.req)
            t.payload, t.send, t.free = 77, send, free
            self.assertGreater(self._protos(byref(t)), 10)
            lib.acct_transport_free(byref(t))
        finally:
            self.ctx._h.release()
        self.assertEqual(seen, [(77, S.ADMIN.encode()), "free"])
        with self.assertRaises(libacct.InvalidError):
            lib.acct_transport_init(byref(t), 2)

    def test_https(self):
        o = _ffi.acct_https_options()
        o.insecure = 1
        lib.acct_https_options_init(byref(o), _ffi.ACCT_HTTPS_OPTIONS_VERSION)
        self.assertEqual((o.version, o.url, o.ca_file, o.insecure, o.connect_timeout_ms, o.timeout_ms),
                         (1, None, None, 0, 0, 0))
        with self.assertRaises(libacct.InvalidError):
            lib.acct_https_options_init(byref(o), 0)
        t = POINTER(_ffi.acct_transport)()
        o.url = b"ftp://example.invalid/"
        with self.assertRaises((libacct.InvalidError, libacct.NotSupportedError)):
            lib.acct_transport_https_new(byref(t), byref(o))
        self.assertFalse(t)
        o.url, o.connect_timeout_ms, o.timeout_ms = b"http://127.0.0.1:9/", 2000, 2000  # discard: refused at once
        try:
            lib.acct_transport_https_new(byref(t), byref(o))
        except libacct.NotSupportedError:
            self.skipTest("libacct was built without libcurl")
        try:
            with self.assertRaises(libacct.NetworkError) as cm:
                self._protos(t)
            self.assertIn("127.0.0.1", cm.exception.message)
            self.assertEqual(cm.exception.plesk_code, 1023)
        finally:
            lib.acct_transport_free(t)


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------


class TestRequest(unittest.TestCase):
    def test_build_and_encode(self):
        with Request() as req:
            self.assertIs(req.add(Op.CUSTOMER_GET), req, "chainable")
            self.assertIs(req.filter(FilterKind.LOGIN, "acme").filter("login", "b&c"), req)
            self.assertIs(req.dataset(Dataset.GEN_INFO, "stat"), req)
            req.add("customer add").set(Field.LOGIN, "new1").set("name", "New <One>").set(Field.PASSWORD, "pw-123456")
            req.add("SERVER_GET_PROTOS")
            xml = req.encode().decode()
            self.assertEqual(len(req), 3)
            self.assertEqual(req.operations, [Op.CUSTOMER_GET, Op.CUSTOMER_ADD, Op.SERVER_GET_PROTOS])
            self.assertIsNone(req.version)
            self.assertEqual(repr(req), "<Request [customer get, customer add, server get_protos]>")
            self.assertEqual(req.encode().decode(), xml, "encoding twice gives the same packet")
        self.assertTrue(xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<packet>'))
        self.assertEqual(xml.count("<customer>"), 1, "consecutive operations of one operator share its element")
        self.assertIn("<login>acme</login>", xml)
        self.assertIn("<login>b&amp;c</login>", xml, "escaped")
        self.assertIn("<pname>New &lt;One&gt;</pname>", xml)
        self.assertLess(xml.index("<gen_info/>"), xml.index("<stat/>"))
        self.assertLess(xml.index("<pname>"), xml.index("<login>new1"), "schema order, not call order")

    def test_version_and_spelling(self):
        req = Request("1.6.9.1").add(Op.RESELLER_GET).filter(FilterKind.ALL).dataset(Dataset.GEN_INFO)
        self.assertEqual(req.version, "1.6.9.1")
        xml = req.encode().decode()
        self.assertIn('<packet version="1.6.9.1">', xml)
        self.assertIn("<gen-info/>", xml, "the reseller operator spells it gen-info")
        self.assertIn("<filter/>", xml)
        self.assertIn("version='1.6.9.1'", repr(req))
        with self.assertRaises(libacct.InvalidError) as cm:
            Request("1")
        self.assertIn("not a protocol version", cm.exception.message)

    def test_values(self):
        xml = (Request().add(Op.RESELLER_SET).filter(FilterKind.ID, 7)
               .set(PacketField.OVERSELL, True).set("power_user", False)
               .item(ItemKind.LIMIT, "max_cl", 5).item("limit", "max_dom", libacct.UNLIMITED)
               .item(ItemKind.PERMISSION, "manage_dns", True)).encode().decode()
        for part in ("<id>7</id>", "<oversell>true</oversell>", "<power-user>false</power-user>",
                     "<name>max_cl</name>", "<value>5</value>", "<value>-1</value>", "<name>manage_dns</name>",
                     "<value>true</value>"):
            self.assertIn(part, xml)
        xml = Request().add(Op.CUSTOMER_SET).filter("login", "a").set(Field.GUID, "").encode().decode()
        self.assertIn("<guid/>", xml, '"" sends an empty element')
        xml = Request().add(Op.USER_ADD).set("login", "u").set("name", "U").set("password", "pw-123456") \
            .set(PacketField.OWNER_GUID, "g").item(ItemKind.ROLE, "WebMaster").encode().decode()
        self.assertIn("<roles><name>WebMaster</name></roles>", xml.replace("\n", "").replace(" ", ""))

    def test_schema_errors_carry_libacct_messages(self):
        req = Request()
        with self.assertRaises(libacct.InvalidError) as cm:
            req.filter(FilterKind.LOGIN, "x")
        self.assertIn("acct_request_add", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.encode()
        self.assertIn("no operation", cm.exception.message)
        req.add(Op.RESELLER_GET)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.filter(FilterKind.OWNER_ID, "1")
        self.assertIn("reseller get does not filter by", cm.exception.message)
        req.filter(FilterKind.LOGIN, "a")
        with self.assertRaises(libacct.InvalidError) as cm:
            req.filter(FilterKind.ID, "1")
        self.assertIn("one kind", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.filter(FilterKind.LOGIN)
        self.assertIn("needs a value", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.dataset(Dataset.ROLES)
        self.assertIn("no such dataset", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            req.dataset()
        with self.assertRaises(libacct.InvalidError) as cm:
            req.set(PacketField.KEY, "k")
        self.assertIn("carries no field", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.item(ItemKind.ROLE, "r")
        self.assertIn("carries no items", cm.exception.message)
        req.add(Op.CUSTOMER_ADD).set("login", "x")
        with self.assertRaises(libacct.InvalidError) as cm:
            req.encode()
        self.assertIn("customer add needs pname", cm.exception.message)
        req.add(Op.RESELLER_SET).filter("login", "r")
        with self.assertRaises(libacct.InvalidError) as cm:
            req.item(ItemKind.LIMIT, "max_cl")
        self.assertIn("needs a value", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.item(ItemKind.LIMIT, "", 1)
        self.assertIn("needs a name", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            req.add(999)
        self.assertIn("unknown operation 999", cm.exception.message)
        self.assertEqual(len(req), 3, "a refused add adds nothing")
        req.close()

    def test_argument_checks(self):
        with Request() as req:
            with self.assertRaises(libacct.InvalidError) as cm:
                req.add("customer fly")
            self.assertIn("unknown operation 'customer fly'", cm.exception.message)
            req.add(Op.CUSTOMER_GET)
            with self.assertRaises(libacct.InvalidError):
                req.filter("nonsense", "x")
            with self.assertRaises(libacct.InvalidError):
                req.set("no_such_field", "x")
            with self.assertRaises(libacct.InvalidError):
                req.filter(FilterKind.LOGIN, "a\0b")  # C would cut it short
            with self.assertRaises(libacct.InvalidError) as cm:
                req.filter(FilterKind.LOGIN, "a\x01b")
            self.assertIn("control character", cm.exception.message)
            with self.assertRaises(TypeError):
                req.add(1.5)
            with self.assertRaises(TypeError):
                req.add(True)
            with self.assertRaises(TypeError):
                req.filter(FilterKind.LOGIN, b"bytes")
            with self.assertRaises(libacct.InvalidError):
                req.add(2**40)
            with self.assertRaises(libacct.InvalidError):
                req.dataset(-1)
            with self.assertRaises(TypeError):
                Request(b"1.6.9.1")

    def test_op_names(self):
        self.assertEqual(libacct.op_name(Op.RESELLER_IPPOOL_ADD_IP), "reseller ippool-add-ip")
        self.assertEqual(libacct.op_name(102), "customer get")
        self.assertEqual(libacct.op_name("secret_key get_info"), "secret_key get_info")
        self.assertIsNone(libacct.op_name(0))
        for op in Op:
            self.assertEqual(op.label, lib.acct_op_name(int(op)).decode())
            # the wire name leads back to the member
            self.assertIs(Op(Request().add(op.label).operations[0]), op)


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------

REPLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<packet version="1.6.9.1">
  <customer>
    <get>
      <result><status>ok</status><filter-id>acme</filter-id><id>5</id>
        <data><gen_info><pname>ACME</pname><login>acme</login><email/><owner-login>admin</owner-login></gen_info></data>
      </result>
      <result><status>error</status><errcode>1013</errcode><errtext>customer 'x' was not found</errtext>
        <filter-id>x</filter-id></result>
    </get>
  </customer>
  <server><get_protos><result><status>ok</status><protos><proto>1.6.9.0</proto><proto>1.6.9.1</proto></protos>
  </result></get_protos></server>
  <secret_key><get_info><result><status>ok</status>
    <key_info><key>k1</key><ip_address>192.0.2.1</ip_address><description>bot</description><login>a</login></key_info>
    <key_info><key>k2</key><ip_address>192.0.2.2</ip_address></key_info>
  </result></get_info></secret_key>
  <unknown><thing><result><status>ok</status></result></thing></unknown>
</packet>
"""


class TestResponse(unittest.TestCase):
    def test_read(self):
        resp = Response.parse(REPLY)
        self.assertEqual(resp.version, "1.6.9.1")
        self.assertIsNone(resp.system_error)
        self.assertEqual(len(resp), 5)
        self.assertEqual(repr(resp), "<Response version='1.6.9.1' results=5>")
        ok, err, protos, keys, unknown = resp
        self.assertIsInstance(ok, Result)
        self.assertEqual((ok.op, ok.operation, ok.ok, ok.errcode, ok.errtext, ok.filter_id, ok.id),
                         (Op.CUSTOMER_GET, 0, True, 0, "", "acme", 5))
        self.assertEqual((ok.get(Field.NAME), ok.get("login"), ok.get(Field.EMAIL), ok.get(Field.CITY)),
                         ("ACME", "acme", "", None), "None when absent, '' when empty")
        self.assertEqual(ok.get(PacketField.OWNER_LOGIN), "admin")
        self.assertEqual(ok.to_dict(), {"name": "ACME", "login": "acme", "email": "", "owner_login": "admin"})
        self.assertEqual(repr(ok), "<Result customer get ok id=5>")
        self.assertEqual((err.op, err.operation, err.ok, err.errcode, err.errtext, err.filter_id, err.id),
                         (Op.CUSTOMER_GET, 0, False, 1013, "customer 'x' was not found", "x", 0))
        self.assertIn("error 1013", repr(err))
        self.assertEqual((protos.op, protos.operation), (Op.SERVER_GET_PROTOS, 1))
        self.assertEqual(protos.items(ItemKind.PROTO), [("1.6.9.0", None), ("1.6.9.1", None)])
        self.assertEqual(protos.item_count("proto"), 2)
        self.assertEqual(keys.items(ItemKind.KEY_INFO), [("k1", "192.0.2.1"), ("k2", "192.0.2.2")])
        self.assertEqual(keys.item_get(ItemKind.KEY_INFO, 0, "description"), "bot")
        self.assertIsNone(keys.item_get(ItemKind.KEY_INFO, 1, "description"))
        self.assertIsNone(keys.item_get(ItemKind.KEY_INFO, 2, "key"), "past the end")
        self.assertIsNone(keys.item_get(ItemKind.KEY_INFO, -1, "key"))
        self.assertEqual(keys.items(ItemKind.LIMIT), [])
        self.assertEqual((unknown.op, unknown.operation, unknown.ok), (0, 3, True), "0 for an unknown operation")
        self.assertIn("<Result 0 ok", repr(unknown))
        resp.close()

    def test_sequence(self):
        resp = Response.parse(REPLY.decode())  # str works too
        self.assertEqual([r.index for r in resp[1:3]], [1, 2])
        self.assertEqual(resp[-1].index, 4)
        self.assertEqual(len(resp.results), 5)
        self.assertIs(resp[0].response, resp)
        with self.assertRaises(IndexError):
            resp[5]
        with self.assertRaises(IndexError):
            resp[-6]
        with self.assertRaises(TypeError):
            resp["0"]
        with self.assertRaises(TypeError):
            Response.parse(42)
        with self.assertRaises(TypeError):
            Response()
        self.assertEqual(len(Response.parse(bytearray(REPLY))), 5)
        self.assertEqual(len(Response.parse(memoryview(REPLY))), 5)

    def test_system_error(self):
        xml = (b'<packet version="1.6.9.1"><system><status>error</status><errcode>1001</errcode>'
               b"<errtext>wrong login or password</errtext></system></packet>")
        resp = Response.parse(xml)
        self.assertEqual(resp.system_error, (1001, "wrong login or password"))
        self.assertEqual(len(resp), 0)
        self.assertEqual(list(resp), [])
        self.assertEqual(repr(resp), "<Response version='1.6.9.1' system_error=1001>")

    def test_parse_errors(self):
        for bad in (b"", b"<packet>", b"not xml", b"<html/>",
                    b'<!DOCTYPE packet [<!ENTITY x "y">]><packet version="1.6.9.1"></packet>'):
            with self.assertRaises(libacct.ParseError) as cm:
                Response.parse(bad)
            self.assertTrue(cm.exception.message)
            self.assertEqual(cm.exception.plesk_code, 1014)
        with self.assertRaises(libacct.ParseError) as cm:
            Response.parse(b"<reply/>")
        self.assertIn("not <packet>", cm.exception.message)

    def test_results_keep_the_response_alive(self):
        results = list(Response.parse(REPLY))  # no reference to the response is kept here
        gc.collect()
        self.assertEqual(results[0].get(Field.LOGIN), "acme")
        self.assertEqual(results[2].items("proto")[1], ("1.6.9.1", None))
        r = Response.parse(REPLY)[3]
        gc.collect()
        self.assertEqual(r.item_get("key_info", 0, "login"), "a")

    def test_threads_read_one_response(self):
        resp = Response.parse(REPLY)
        errors = []

        def read():
            try:
                for _ in range(200):
                    self.assertEqual(resp[0].get("login"), "acme")
                    self.assertEqual(len(resp[2].items("proto")), 2)
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


# ---------------------------------------------------------------------------
# The agent
# ---------------------------------------------------------------------------


class TestAgent(unittest.TestCase):
    def setUp(self):
        self.ctx = S.memory_ctx()
        self.admin = self.ctx.session_as(1)

    def tearDown(self):
        self.ctx.close()

    def call(self, req, **cred):
        if not cred:
            cred = {"session": self.admin}
        resp = self.ctx.agent_call(req, **cred)
        self.assertIsNone(resp.system_error)
        return resp

    def test_protocol_version(self):
        v = libacct.agent_protocol_version()
        self.assertEqual(v, lib.acct_agent_protocol_version().decode())
        self.assertRegex(v, r"^1\.\d+\.\d+\.\d+$")

    def _customer_round_trip(self, **cred):
        add = (Request().add(Op.CUSTOMER_ADD).set(Field.LOGIN, "acme").set(Field.NAME, "ACME Ltd")
               .set(Field.PASSWORD, "acme-secret").set(Field.EMAIL, "ops@acme.example"))
        (added,) = self.call(add, **cred)
        self.assertTrue(added.ok, added.errtext)
        self.assertEqual(added.op, Op.CUSTOMER_ADD)
        cid = added.id
        self.assertGreater(cid, 1)
        guid = added.get(Field.GUID)
        self.assertEqual(self.admin.get(cid).guid, guid, "stored through the engine")

        get = Request().add(Op.CUSTOMER_GET).filter(FilterKind.ID, cid).filter(FilterKind.ID, 999).dataset(
            Dataset.GEN_INFO, Dataset.STAT)
        found, missing = self.call(get, **cred)
        self.assertEqual((found.ok, found.id, found.filter_id), (True, cid, str(cid)))
        self.assertEqual((found.get("login"), found.get("name"), found.get("email"), found.get("guid")),
                         ("acme", "ACME Ltd", "ops@acme.example", guid))
        self.assertEqual(found.get(PacketField.OWNER_LOGIN), S.ADMIN)
        self.assertEqual(found.get(PacketField.STATUS), "0")
        self.assertTrue(found.items(ItemKind.STAT))
        self.assertEqual((missing.ok, missing.errcode, missing.filter_id), (False, 1013, "999"))
        self.assertTrue(missing.errtext)

        upd = (Request().add(Op.CUSTOMER_SET).filter(FilterKind.LOGIN, "acme").set(Field.CITY, "Oslo")
               .set(PacketField.DESCRIPTION, "key account")
               .add(Op.CUSTOMER_GET).filter(FilterKind.LOGIN, "acme").dataset(Dataset.GEN_INFO))
        set_, got = self.call(upd, **cred)
        self.assertTrue(set_.ok, set_.errtext)
        self.assertEqual((set_.operation, got.operation), (0, 1))
        self.assertEqual((got.get(Field.CITY), got.get(PacketField.DESCRIPTION)), ("Oslo", "key account"))
        self.assertEqual(self.admin.get(cid).city, "Oslo")

        delete = (Request().add(Op.CUSTOMER_DEL).filter(FilterKind.LOGIN, "acme").add(Op.CUSTOMER_GET)
                  .filter(FilterKind.LOGIN, "acme").dataset(Dataset.GEN_INFO))
        deleted, gone = self.call(delete, **cred)
        self.assertTrue(deleted.ok, deleted.errtext)
        self.assertEqual((gone.ok, gone.errcode), (False, 1013))
        with self.assertRaises(libacct.NotFoundError):
            self.admin.get(cid)

    def test_customer_round_trip_with_a_trusted_session(self):
        self._customer_round_trip(session=self.admin)

    def test_customer_round_trip_with_login_and_password(self):
        self._customer_round_trip(**ADMIN)

    def test_reseller_get_with_datasets(self):
        r = self.admin.add_reseller(1, "r1", "Reseller One", password="r1-secret")
        self.admin.set_limit(r, "max_cl", 5)
        self.admin.grant(r, "manage_dns")
        self.admin.add_ip(1, "192.0.2.10")
        self.admin.add_ip(r, "192.0.2.10")
        req = Request().add(Op.RESELLER_GET).filter(FilterKind.LOGIN, "r1").dataset(
            Dataset.GEN_INFO | Dataset.STAT | Dataset.PERMISSIONS | Dataset.LIMITS | Dataset.IPPOOL)
        (res,) = self.call(req, **ADMIN)
        self.assertTrue(res.ok, res.errtext)
        self.assertEqual((res.op, res.id, res.get("login"), res.get("name")), (Op.RESELLER_GET, r.id, "r1",
                                                                              "Reseller One"))
        self.assertEqual(dict(res.items(ItemKind.LIMIT))["max_cl"], "5")
        self.assertEqual(dict(res.items(ItemKind.PERMISSION))["manage_dns"], "true")
        self.assertEqual(res.items(ItemKind.IP), [("192.0.2.10", "shared")])
        self.assertEqual(res.item_get(ItemKind.IP, 0, "ip-address"), "192.0.2.10")
        self.assertEqual(res.get(PacketField.OVERUSE), "normal")
        # Every reseller: the filter ALL.
        (all_,) = self.call(Request().add(Op.RESELLER_GET).filter(FilterKind.ALL).dataset("gen_info"))
        self.assertEqual((all_.ok, all_.id, all_.filter_id), (True, r.id, None))

    def test_secret_keys(self):
        c = self.admin.add_customer(1, "keyed", "Keyed", password="keyed-secret")
        self.admin.grant(c, "remote_access_interface")
        create = (Request().add(Op.SECRET_KEY_CREATE).set(PacketField.IP_ADDRESS, "192.0.2.7")
                  .set(PacketField.DESCRIPTION, "deploy bot").set(Field.LOGIN, "keyed"))
        (made,) = self.call(create, **ADMIN)
        self.assertTrue(made.ok, made.errtext)
        key = made.get(PacketField.KEY)
        self.assertRegex(key, r"^[0-9a-f-]{36}$")
        self.assertEqual(self.admin.key_info(self.admin.find_key(key)).description, "deploy bot")

        info = Request().add(Op.SECRET_KEY_GET_INFO).filter(FilterKind.KEY, key)
        (got,) = self.call(info, secret_key=key, client_ip="192.0.2.7")  # the key is the credential
        self.assertTrue(got.ok, got.errtext)
        self.assertEqual(got.items(ItemKind.KEY_INFO), [(key, "192.0.2.7")])
        self.assertEqual(got.item_get(ItemKind.KEY_INFO, 0, "description"), "deploy bot")
        self.assertEqual(got.item_get(ItemKind.KEY_INFO, 0, "login"), "keyed")

        for ip in ("192.0.2.8", None):
            resp = self.ctx.agent_call(info, secret_key=key, client_ip=ip)
            self.assertEqual(resp.system_error[0], 11003)

        (deleted,) = self.call(Request().add(Op.SECRET_KEY_DELETE).filter(FilterKind.KEY, key))
        self.assertTrue(deleted.ok, deleted.errtext)
        with self.assertRaises(libacct.NotFoundError):
            self.admin.find_key(key)

    def test_server_operations(self):
        self.ctx.agent_configure(server_name="panel.example")
        req = (Request().add(Op.SERVER_GET_PROTOS).add(Op.SERVER_GET).dataset(Dataset.GEN_INFO | Dataset.KEY)
               .add(Op.SERVER_CREATE_SESSION).set(Field.LOGIN, S.ADMIN).set(PacketField.IP_ADDRESS, "192.0.2.1")
               .add(Op.SESSION_GET))
        protos, server, created, sessions = self.call(req, **ADMIN)
        versions = [v for v, _ in protos.items(ItemKind.PROTO)]
        self.assertIn(libacct.agent_protocol_version(), versions)
        self.assertEqual(versions[-1], libacct.agent_protocol_version())
        self.assertEqual(server.get(PacketField.SERVER_NAME), "panel.example")
        self.assertIn("lim_cl", dict(server.items(ItemKind.KEY_PROPERTY)))
        self.assertTrue(created.ok, created.errtext)
        sid = created.get(PacketField.SESSION_ID)
        self.assertTrue(sid)
        self.assertIn((sid, S.ADMIN), sessions.items(ItemKind.SESSION))
        self.assertEqual(sessions.item_get(ItemKind.SESSION, 0, "ip-address"), "192.0.2.1")

    def test_results_fail_one_by_one(self):
        c = self.admin.add_customer(1, "c1", "C1", password="c1-secret")
        self.admin.grant(c, "remote_access_interface")
        req = (Request().add(Op.RESELLER_ADD).set("login", "r9").set("name", "R9").set("password", "r9-secret")
               .add(Op.CUSTOMER_GET).filter(FilterKind.LOGIN, "c1").dataset("gen_info"))
        denied, own = self.call(req, login="c1", password="c1-secret")
        self.assertFalse(denied.ok)
        self.assertEqual(denied.errcode, 1006)
        self.assertTrue(denied.errtext, "the policy's message")
        self.assertTrue(own.ok, "one failing operation does not stop the next")
        self.assertEqual(own.id, c.id)

    def test_older_protocol_versions(self):
        (res,) = self.call(Request("1.4.0.0").add(Op.CUSTOMER_GET).filter("all").dataset("gen_info"))
        self.assertEqual(res.errcode, 1017)
        self.assertIn("1.4.0.0", res.errtext)
        resp = self.call(Request("1.6.3.0").add(Op.SERVER_GET_PROTOS))
        self.assertEqual(resp.version, "1.6.3.0")

    # -- system errors -------------------------------------------------------

    def test_1029_no_credentials(self):
        for cred in ({}, {"login": S.ADMIN}, {"password": S.ADMIN_PW}, {"client_ip": "192.0.2.1"}):
            resp = self.ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS), **cred)
            code, text = resp.system_error
            self.assertEqual(code, 1029, cred)
            self.assertIn("Authentication method is not specified", text)
            self.assertEqual(len(resp), 0)

    def test_1001_wrong_password(self):
        resp = self.ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS), login=S.ADMIN, password="wrong-password")
        self.assertEqual(resp.system_error, (1001, "wrong login or password"))
        resp = self.ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS), login="nobody", password="wrong-password")
        self.assertEqual(resp.system_error[0], 1001)

    def test_1006_no_remote_access(self):
        self.admin.add_customer(1, "c2", "C2", password="c2-secret")
        resp = self.ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS), login="c2", password="c2-secret")
        code, text = resp.system_error
        self.assertEqual(code, 1006)
        self.assertIn("remote_access_interface", text)

    def test_1005_version(self):
        for version in ("0.1.0.0", "9.9.9.9"):
            reply = self.ctx.agent_handle(f'<packet version="{version}"><server><get_protos/></server></packet>',
                                          **ADMIN)
            code, text = Response.parse(reply).system_error
            self.assertEqual(code, 1005)
            self.assertIn(version, text)
        # Checked before the credentials, as Plesk does.
        reply = self.ctx.agent_handle(b'<packet version="9.9.9.9"><server><get_protos/></server></packet>')
        self.assertEqual(Response.parse(reply).system_error[0], 1005)

    def test_1014_doctype_and_bad_packets(self):
        doctype = b'<!DOCTYPE packet><packet version="1.6.9.1"><server><get_protos/></server></packet>'
        code, text = self.ctx.agent_call(doctype, **ADMIN).system_error
        self.assertEqual(code, 1014)
        self.assertIn("DOCTYPE", text)
        for bad in (b"", b"<packet><server>", "<packet><server><fly/></server></packet>", b"\xff\xfe"):
            code, text = self.ctx.agent_call(bad, **ADMIN).system_error
            self.assertEqual(code, 1014, bad)
            self.assertIn("Request is invalid", text)
        # Strangers learn nothing: the credentials are checked before the packet's validity.
        self.assertEqual(self.ctx.agent_call(doctype).system_error[0], 1029)
        # A packet larger than the configured limit.
        self.ctx.agent_configure(max_packet_bytes=64)
        big = Request().add(Op.SERVER_GET_PROTOS).add(Op.SERVER_GET).dataset("gen_info")
        code, text = self.ctx.agent_call(big, **ADMIN).system_error
        self.assertEqual(code, 1014)
        self.assertIn("limit of 64", text)
        self.ctx.agent_configure()  # defaults again
        self.assertIsNone(self.ctx.agent_call(big, **ADMIN).system_error)

    # -- arguments -----------------------------------------------------------

    def test_request_types(self):
        req = Request().add(Op.SERVER_GET_PROTOS)
        packet = req.encode()
        replies = [self.ctx.agent_handle(r, **ADMIN) for r in (req, packet, packet.decode(), bytearray(packet),
                                                                 memoryview(packet))]
        self.assertTrue(all(isinstance(r, bytes) for r in replies))
        self.assertEqual(len(set(replies)), 1)
        with self.assertRaises(TypeError):
            self.ctx.agent_handle(42, **ADMIN)
        with self.assertRaises(TypeError):
            self.ctx.agent_handle(packet, S.ADMIN, S.ADMIN_PW)  # credentials are keyword-only

    def test_credential_checks(self):
        req = Request().add(Op.SERVER_GET_PROTOS)
        with self.assertRaises(libacct.InvalidError) as cm:
            self.ctx.agent_handle(req, session=self.admin, **ADMIN)
        self.assertIn("one kind of credentials", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.agent_handle(req, secret_key="k", login="x")
        with self.assertRaises(TypeError):
            self.ctx.agent_handle(req, session=1)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.agent_handle(req, login="admin\0", password="x")
        with S.memory_ctx() as other, other.session_as(1) as foreign:
            with self.assertRaises(libacct.InvalidError) as cm:
                self.ctx.agent_handle(req, session=foreign)
            self.assertIn("another context", cm.exception.message)

    def test_agent_configure(self):
        self.ctx.agent_configure(pretty=True)
        reply = self.ctx.agent_handle(Request().add(Op.SERVER_GET_PROTOS), **ADMIN).decode()
        self.assertIn("\n  <server>\n", reply)
        self.ctx.agent_configure()
        reply = self.ctx.agent_handle(Request().add(Op.SERVER_GET_PROTOS), **ADMIN).decode()
        self.assertNotIn("\n  <server>", reply, "every call sets every option")
        self.ctx.agent_configure(max_depth=256, max_elements=10, max_operations=1, max_text_bytes=100)
        resp = self.ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS).add(Op.SESSION_GET), **ADMIN)
        self.assertEqual(resp.system_error[0], 1014, "two operations, more than max_operations")
        with self.assertRaises(libacct.InvalidError) as cm:
            self.ctx.agent_configure(max_depth=257)
        self.assertIn("256", cm.exception.message)
        with self.assertRaises(libacct.InvalidError) as cm:
            self.ctx.agent_configure(server_name="x" * 1000)
        self.assertIn("server_name", cm.exception.message)
        for bad in ({"max_packet_bytes": -1}, {"max_depth": 2**32}, {"max_elements": 2**64}):
            with self.assertRaises(libacct.InvalidError):
                self.ctx.agent_configure(**bad)
        with self.assertRaises(TypeError):
            self.ctx.agent_configure(max_depth="3")
        with self.assertRaises(TypeError):
            self.ctx.agent_configure(max_dpth=3)

    def test_python_backend_and_threads(self):
        """The agent over a store written in Python, answering from several threads at once."""
        with S.dict_ctx() as ctx:
            errors = []

            def work(n):
                try:
                    for i in range(3):
                        login = f"t{n}-{i}"
                        req = (Request().add(Op.CUSTOMER_ADD).set("login", login).set("name", "T")
                               .set("password", "t-secret")
                               .add(Op.CUSTOMER_GET).filter("login", login).dataset("gen_info"))
                        added, got = ctx.agent_call(req, **ADMIN)
                        assert added.ok and got.get("login") == login, (added.errtext, got.errtext)
                except BaseException as e:  # pragma: no cover - reported below
                    errors.append(e)

            threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(ctx.account_count, 13)
            self.assertGreater(ctx.storage_backend.calls["put"], 0)

    def test_audit_sees_agent_operations(self):
        seen = []
        self.ctx.set_audit(lambda ev: seen.append(ev.operation))
        self.call(Request().add(Op.CUSTOMER_ADD).set("login", "aud").set("name", "A").set("password", "aud-secret"),
                  **ADMIN)
        self.assertIn("session.open", seen)
        self.assertTrue(any(op.startswith("account.") for op in seen), seen)

    def test_a_failing_python_backend_gives_a_failed_result(self):
        """The agent answers a storage failure with a result error (1023, the backend's words); the exception
        itself, which C cannot carry, arrives as a RuntimeWarning. An audit hook's exception is raised."""
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx:
            store.fail["put"] = RuntimeError("disk full")
            add = Request().add(Op.CUSTOMER_ADD).set("login", "x1").set("name", "X").set("password", "x1-secret")
            with self.assertWarns(RuntimeWarning) as cm:
                (res,) = ctx.agent_call(add, **ADMIN)
            self.assertIn("disk full", str(cm.warning))
            self.assertEqual((res.ok, res.errcode), (False, 1023))
            self.assertIn("disk full", res.errtext)
            del store.fail["put"]
            (res,) = ctx.agent_call(add, **ADMIN)
            self.assertTrue(res.ok, res.errtext)

            def hook(ev):
                raise ValueError("hook boom")

            ctx.set_audit(hook)
            with self.assertRaises(ValueError):
                ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS), **ADMIN)
            ctx.set_audit(None)

    def test_cred_kind_enum(self):
        self.assertEqual([int(k) for k in CredKind], [0, 1, 2, 3])


# ---------------------------------------------------------------------------
# Use after close
# ---------------------------------------------------------------------------


class TestClosed(unittest.TestCase):
    def test_request(self):
        req = Request().add(Op.SERVER_GET_PROTOS)
        req.close()
        self.assertTrue(req.closed)
        self.assertEqual(repr(req), "<Request closed>")
        for fn, args in ((req.add, (Op.SERVER_GET,)), (req.filter, (FilterKind.ALL,)), (req.dataset, (1,)),
                         (req.set, (Field.LOGIN, "x")), (req.item, (ItemKind.LIMIT, "max_cl", 1)), (req.encode, ())):
            closed_error(self, fn, *args)
        req.close()  # idempotent
        with S.memory_ctx() as ctx:
            closed_error(self, ctx.agent_handle, req, **ADMIN)

    def test_response_and_results(self):
        resp = Response.parse(REPLY)
        first = resp[0]
        resp.close()
        self.assertTrue(resp.closed)
        self.assertEqual(repr(resp), "<Response closed>")
        for prop in ("version", "system_error", "results"):
            closed_error(self, getattr, resp, prop)
        closed_error(self, len, resp)
        closed_error(self, resp.__getitem__, 0)
        for prop in ("op", "operation", "ok", "errcode", "errtext", "filter_id", "id"):
            closed_error(self, getattr, first, prop)
        for fn, args in ((first.get, (Field.LOGIN,)), (first.items, (ItemKind.PROTO,)),
                         (first.item_count, (ItemKind.PROTO,)), (first.item_get, (ItemKind.PROTO, 0, "x")),
                         (first.to_dict, ())):
            closed_error(self, fn, *args)
        self.assertEqual(repr(first), "<Result of a closed Response>")
        with Response.parse(REPLY) as r2:
            pass
        self.assertTrue(r2.closed)

    def test_context_and_session(self):
        ctx = S.memory_ctx()
        s = ctx.session_as(1)
        s.close()
        closed_error(self, ctx.agent_handle, Request().add(Op.SERVER_GET_PROTOS), session=s)
        ctx.close()
        closed_error(self, ctx.agent_handle, Request().add(Op.SERVER_GET_PROTOS), **ADMIN)
        closed_error(self, ctx.agent_call, b"<packet/>", **ADMIN)
        closed_error(self, ctx.agent_configure, pretty=True)
        # Packets do not depend on a context: they outlive it.
        self.assertIn(b"get_protos", Request().add(Op.SERVER_GET_PROTOS).encode())

    def test_closing_the_context_closes_a_session_in_use(self):
        ctx = S.memory_ctx()
        s = ctx.session_as(1)
        (res,) = ctx.agent_call(Request().add(Op.SERVER_GET_PROTOS), session=s)
        self.assertTrue(res.ok)
        ctx.close()
        self.assertTrue(s.closed)
        self.assertTrue(res.ok, "the reply is independent of the context")


if __name__ == "__main__":
    unittest.main()
