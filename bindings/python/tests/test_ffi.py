"""The raw layer: declarations against the headers, struct layouts, and every C function called directly."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from ctypes import POINTER, byref, c_int, c_void_p

try:
    from . import _support as S
except ImportError:  # run with the tests directory as the top level
    import _support as S

import libacct
from libacct import _ffi, errors
from libacct._ffi import lib, raw

INCLUDE = os.path.join(S.REPO, "include")


def public_headers():
    """The public API: acct.h, the headers it includes, and every acct/sys/*.h.

    A header that exists but is not included by acct.h yet (work in progress
    of a later issue) is not part of the API.
    """
    umbrella = os.path.join(INCLUDE, "acct.h")
    if not os.path.exists(umbrella):
        return []
    with open(umbrella, encoding="utf-8") as f:
        included = re.findall(r'#include\s+"(acct/[\w/]+\.h)"', f.read())
    sys_dir = os.path.join(INCLUDE, "acct", "sys")
    sys_headers = sorted(os.path.join(sys_dir, f) for f in os.listdir(sys_dir) if f.endswith(".h"))
    return [umbrella] + [os.path.join(INCLUDE, h) for h in included] + sys_headers


HEADERS = public_headers()

_EXTERN = re.compile(r"ACCT_EXTERN\(([^)]*)\)\s*(acct_\w+)\s*\(([^;]*)\)\s*;", re.S)


def header_functions():
    """{name: (return type text, parameter text)} for every ACCT_EXTERN in the public headers."""
    out = {}
    for h in HEADERS:
        with open(h, encoding="utf-8") as f:
            text = f.read()
        for m in _EXTERN.finditer(text):
            out[m.group(2)] = (m.group(1).strip(), " ".join(m.group(3).split()))
    return out


@unittest.skipUnless(os.path.isdir(INCLUDE), "the headers are not next to the bindings")
class TestDeclarations(unittest.TestCase):
    def test_every_header_function_is_declared(self):
        """Every function of the public headers that the loaded library exports has a declaration.

        A function declared in a header but not yet exported (the work in
        progress of a later issue) is left out until the library has it; once
        it is exported, this test fails until _ffi declares it.
        """
        declared = set(_ffi.SIGNATURES)
        in_headers = set(header_functions())
        exported = {n for n in in_headers if hasattr(_ffi._dll, n)}
        self.assertEqual(exported - declared, set(),
                         "functions of the public headers that the library exports but the bindings do not declare: "
                         "add them to SIGNATURES in bindings/python/libacct/_ffi.py (with since=(major, minor) "
                         "when they are new)")
        self.assertEqual(declared - in_headers, set(), "declarations of functions not in the public headers")

    def test_loaded_library_exports_every_declaration(self):
        for name, sig in _ffi.SIGNATURES.items():
            if sig.since <= (0, 1):
                self.assertTrue(hasattr(_ffi._dll, name), name)

    def test_arity_and_void_returns_match_headers(self):
        for name, (ret, params) in header_functions().items():
            sig = _ffi.SIGNATURES.get(name)
            if sig is None:
                continue  # not declared (see test_every_header_function_is_declared)
            n = 0 if params.strip() in ("void", "") else params.count(",") + 1
            self.assertEqual(len(sig.argtypes), n, name)
            self.assertEqual(ret == "void", sig.restype is None, name)
            self.assertEqual(ret == "int" and sig.fallible, sig.fallible, name)

    def test_handles_are_typed_pointers(self):
        opaque = (_ffi.acct_ctx, _ffi.acct_session, _ffi.acct_account, _ffi.acct_account_iterator,
                  _ffi.acct_role_iterator, _ffi.acct_ip_iterator, _ffi.acct_button_iterator, _ffi.acct_key_iterator,
                  _ffi.acct_apilogin_iterator, _ffi.acct_request, _ffi.acct_response, _ffi.acct_result,
                  _ffi.acct_transport)
        for name, (ret, params) in header_functions().items():
            sig = _ffi.SIGNATURES.get(name)
            if sig is None:
                continue
            for i, p in enumerate(params.split(",")):
                for t in opaque:
                    if re.search(r"\b%s\b" % t.__name__, p):
                        stars = p.count("*")
                        want = POINTER(t) if stars == 1 else POINTER(POINTER(t))
                        self.assertIs(sig.argtypes[i], want, f"{name} parameter {i}")
            for t in sig.argtypes:
                if t is c_void_p:
                    self.assertIn(name, ("acct_buf_set", "acct_account_foreach", "acct_ctx_set_audit"),
                                  "only data and payload are void *")

    def test_bound_functions_carry_their_types(self):
        for name, sig in _ffi.SIGNATURES.items():
            for copy in (lib, raw):
                fn = getattr(copy, name)
                self.assertEqual(list(fn.argtypes), list(sig.argtypes), name)
                self.assertIs(fn.restype, sig.restype, name)
            self.assertIs(getattr(lib, name).errcheck is errors.errcheck, sig.fallible, name)
            self.assertFalse(getattr(raw, name).errcheck is errors.errcheck, name)

    def test_optional_symbol_mechanism(self):
        fake = "acct_some_future_function"
        _ffi.SIGNATURES[fake] = _ffi.Sig(c_int, [], True, since=(0, 9))
        try:
            newer = _ffi._Lib(_ffi._dll)
            with self.assertRaises(NotImplementedError) as cm:
                newer.acct_some_future_function()
            self.assertIn("0.9", str(cm.exception))
            with self.assertRaises(AttributeError):
                newer.acct_not_declared_at_all  # noqa: B018
        finally:
            del _ffi.SIGNATURES[fake]
        self.assertTrue(_ffi.has("acct_ctx_new"))
        self.assertFalse(_ffi.has("acct_nothing"))
        self.assertIs(_ffi.require("acct_ctx_new"), lib.acct_ctx_new)

    def test_constants_match_headers(self):
        text = ""
        for h in HEADERS:
            with open(h, encoding="utf-8") as f:
                text += f.read()
        values = dict(re.findall(r"\b(ACCT_[A-Z0-9_]+)\s*=\s*(-?\d+)", text))
        values.update(re.findall(r"#define\s+(ACCT_[A-Z_]+_VERSION)\s+(\d+)", text))
        self.assertGreater(len(values), 40)
        for k, v in values.items():
            if hasattr(_ffi, k):
                self.assertEqual(getattr(_ffi, k), int(v), k)
        for k, v in values.items():
            # every error code (a new one needs an exception class too), type, status bit, field, iter mode,
            # catalog, permission type (and ACCT_PERM_DESC_VERSION), denial kind, built-in role, Partner role
            if (k.startswith("ACCT_E") and int(v) < 0) or k in ("ACCT_OK", "ACCT_ERROR", "ACCT_ITEROVER") or \
                    k.startswith(("ACCT_TYPE_", "ACCT_STATUS_", "ACCT_FIELD_", "ACCT_ITER_", "ACCT_CATALOG_",
                                  "ACCT_PERM_", "ACCT_DENY_", "ACCT_ROLE_", "ACCT_PARTNER_", "ACCT_OVERUSE_",
                                  "ACCT_IP_", "ACCT_SQLITE_", "ACCT_AUDIT_", "ACCT_OP_", "ACCT_FILTER_",
                                  "ACCT_DATASET_", "ACCT_PFIELD_", "ACCT_ITEM_", "ACCT_CRED_", "ACCT_AGENT_",
                                  "ACCT_TRANSPORT_", "ACCT_HTTPS_", "ACCT_CTX_")):
                self.assertTrue(hasattr(_ffi, k), k)
        # The struct versions these mirrors implement, and ACCT_UNLIMITED ((int64_t)-1).
        for k in ("ACCT_SQLITE_OPTIONS_VERSION", "ACCT_AUDIT_EVENT_VERSION", "ACCT_PERM_DESC_VERSION",
                  "ACCT_CREDENTIALS_VERSION", "ACCT_AGENT_OPTIONS_VERSION", "ACCT_CTX_OPTIONS_VERSION",
                  "ACCT_TRANSPORT_VERSION", "ACCT_HTTPS_OPTIONS_VERSION"):
            self.assertEqual(getattr(_ffi, k), int(values[k]), k)
        self.assertRegex(text, r"#define ACCT_UNLIMITED \(\(int64_t\)-1\)")
        self.assertEqual(_ffi.ACCT_UNLIMITED, -1)
        # The writable_by bits are macros over the account types.
        macros = dict(re.findall(r"#define\s+(ACCT_WRITABLE_BY_[A-Z]+)\s+\(1u << (ACCT_TYPE_[A-Z]+)\)", text))
        self.assertEqual(len(macros), 3)
        for k, t in macros.items():
            self.assertEqual(getattr(_ffi, k), 1 << getattr(_ffi, t), k)

    def test_enums_match_constants(self):
        pairs = ((libacct.Catalog, "ACCT_CATALOG_"), (libacct.PermType, "ACCT_PERM_"),
                 (libacct.DenyKind, "ACCT_DENY_"), (libacct.BuiltinRole, "ACCT_ROLE_"),
                 (libacct.PartnerRole, "ACCT_PARTNER_"), (libacct.Overuse, "ACCT_OVERUSE_"),
                 (libacct.IpType, "ACCT_IP_"), (libacct.SqliteSync, "ACCT_SQLITE_SYNC_"),
                 (libacct.Op, "ACCT_OP_"), (libacct.FilterKind, "ACCT_FILTER_"), (libacct.Dataset, "ACCT_DATASET_"),
                 (libacct.PacketField, "ACCT_PFIELD_"), (libacct.ItemKind, "ACCT_ITEM_"),
                 (libacct.CredKind, "ACCT_CRED_"))
        for enum, prefix in pairs:
            names = {k[len(prefix):]: getattr(_ffi, k) for k in dir(_ffi)
                     if k.startswith(prefix) and isinstance(getattr(_ffi, k), int) and not k.endswith("_VERSION")}
            self.assertEqual({m.name: int(m) for m in enum}, names, enum.__name__)


LAYOUT_PROGRAM = r"""
#include <stdio.h>
#include <stddef.h>
#include <acct/buf.h>
#include <acct/errors.h>
#include <acct/ctx.h>
#include <acct/sys/storage.h>
#include <acct/sys/alloc.h>
#include <acct/sys/errors.h>
#include <acct/perm.h>
#include <acct/storage.h>
#include <acct/audit.h>
#include <acct/agent.h>
#include <acct/transport.h>
#include <acct/sys/transport.h>
#define F(T, m) printf(#T "." #m " %zu\n", offsetof(T, m));
int main(void) {
    printf("acct_buf %zu\n", sizeof(acct_buf)); F(acct_buf, ptr) F(acct_buf, reserved) F(acct_buf, size)
    printf("acct_error %zu\n", sizeof(acct_error)); F(acct_error, code) F(acct_error, plesk_code) F(acct_error, message)
    F(acct_error, deny_kind)
    printf("acct_storage %zu\n", sizeof(acct_storage)); F(acct_storage, version) F(acct_storage, payload)
    F(acct_storage, begin) F(acct_storage, commit) F(acct_storage, rollback) F(acct_storage, get) F(acct_storage, put)
    F(acct_storage, del) F(acct_storage, iterate) F(acct_storage, free)
    printf("acct_storage_iterator %zu\n", sizeof(acct_storage_iterator)); F(acct_storage_iterator, version)
    F(acct_storage_iterator, payload) F(acct_storage_iterator, next) F(acct_storage_iterator, free)
    printf("acct_allocator %zu\n", sizeof(acct_allocator)); F(acct_allocator, version) F(acct_allocator, payload)
    F(acct_allocator, malloc) F(acct_allocator, realloc) F(acct_allocator, free)
    printf("acct_ctx_options %zu\n", sizeof(acct_ctx_options)); F(acct_ctx_options, version)
    F(acct_ctx_options, admin_login) F(acct_ctx_options, admin_password) F(acct_ctx_options, password_cost)
    F(acct_ctx_options, clock) F(acct_ctx_options, clock_payload)
    F(acct_ctx_options, lockout_attempts) F(acct_ctx_options, lockout_window) F(acct_ctx_options, lockout_duration)
    F(acct_ctx_options, auth_cache_seconds)
    printf("acct_perm_desc %zu\n", sizeof(acct_perm_desc)); F(acct_perm_desc, version) F(acct_perm_desc, catalog)
    F(acct_perm_desc, name) F(acct_perm_desc, label) F(acct_perm_desc, type) F(acct_perm_desc, default_value)
    F(acct_perm_desc, writable_by) F(acct_perm_desc, reseller_only)
    printf("acct_sqlite_options %zu\n", sizeof(acct_sqlite_options)); F(acct_sqlite_options, version)
    F(acct_sqlite_options, synchronous) F(acct_sqlite_options, busy_timeout_ms)
    printf("acct_audit_event %zu\n", sizeof(acct_audit_event)); F(acct_audit_event, version)
    F(acct_audit_event, time) F(acct_audit_event, actor) F(acct_audit_event, operation) F(acct_audit_event, target)
    F(acct_audit_event, result) F(acct_audit_event, text) F(acct_audit_event, detail)
    printf("acct_credentials %zu\n", sizeof(acct_credentials)); F(acct_credentials, version)
    F(acct_credentials, kind) F(acct_credentials, login) F(acct_credentials, password)
    F(acct_credentials, secret_key) F(acct_credentials, client_ip) F(acct_credentials, session)
    printf("acct_agent_options %zu\n", sizeof(acct_agent_options)); F(acct_agent_options, version)
    F(acct_agent_options, max_packet_bytes) F(acct_agent_options, max_depth) F(acct_agent_options, max_elements)
    F(acct_agent_options, max_operations) F(acct_agent_options, max_text_bytes) F(acct_agent_options, server_name)
    F(acct_agent_options, pretty)
    printf("acct_transport %zu\n", sizeof(acct_transport)); F(acct_transport, version) F(acct_transport, payload)
    F(acct_transport, send) F(acct_transport, free)
    printf("acct_https_options %zu\n", sizeof(acct_https_options)); F(acct_https_options, version)
    F(acct_https_options, url) F(acct_https_options, ca_file) F(acct_https_options, insecure)
    F(acct_https_options, connect_timeout_ms) F(acct_https_options, timeout_ms)
    return 0;
}
"""

MIRRORS = {
    "acct_buf": _ffi.acct_buf,
    "acct_error": _ffi.acct_error,
    "acct_storage": _ffi.acct_storage,
    "acct_storage_iterator": _ffi.acct_storage_iterator,
    "acct_allocator": _ffi.acct_allocator,
    "acct_ctx_options": _ffi.acct_ctx_options,
    "acct_perm_desc": _ffi.acct_perm_desc,
    "acct_sqlite_options": _ffi.acct_sqlite_options,
    "acct_audit_event": _ffi.acct_audit_event,
    "acct_credentials": _ffi.acct_credentials,
    "acct_agent_options": _ffi.acct_agent_options,
    "acct_transport": _ffi.acct_transport,
    "acct_https_options": _ffi.acct_https_options,
}

#: The header that defines each mirrored struct (for the field-list comparison).
STRUCT_HEADERS = {
    "acct_buf": "buf.h",
    "acct_error": "errors.h",
    "acct_storage": "sys/storage.h",
    "acct_storage_iterator": "sys/storage.h",
    "acct_allocator": "sys/alloc.h",
    "acct_ctx_options": "ctx.h",
    "acct_perm_desc": "perm.h",
    "acct_sqlite_options": "storage.h",
    "acct_audit_event": "audit.h",
    "acct_credentials": "agent.h",
    "acct_agent_options": "agent.h",
    "acct_transport": "sys/transport.h",
    "acct_https_options": "transport.h",
}


class TestStructLayouts(unittest.TestCase):
    def test_first_field_is_version(self):
        for name, cls in MIRRORS.items():
            if name not in ("acct_buf", "acct_error"):
                self.assertEqual(cls._fields_[0][0], "version", name)
                self.assertEqual(cls.version.offset, 0, name)

    def test_lp64_sizes(self):
        if ctypes.sizeof(c_void_p) != 8:
            self.skipTest("not an LP64 platform")
        sizes = {"acct_buf": 24, "acct_error": 24, "acct_storage": 80, "acct_storage_iterator": 32,
                 "acct_allocator": 40, "acct_ctx_options": 64, "acct_perm_desc": 40, "acct_sqlite_options": 12,
                 "acct_audit_event": 64, "acct_credentials": 48, "acct_agent_options": 64,
                 "acct_transport": 32, "acct_https_options": 48}
        self.assertEqual(set(sizes), set(MIRRORS))
        for name, size in sizes.items():
            self.assertEqual(ctypes.sizeof(MIRRORS[name]), size, name)

    @unittest.skipUnless(os.path.isdir(INCLUDE) and shutil.which("cc"), "needs the headers and a C compiler")
    def test_layouts_match_the_c_compiler(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "layout.c")
            exe = os.path.join(tmp, "layout")
            with open(src, "w") as f:
                f.write(LAYOUT_PROGRAM)
            subprocess.run(["cc", "-I", INCLUDE, "-o", exe, src], check=True, capture_output=True)
            out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
        checked = 0
        for line in out.splitlines():
            what, value = line.split()
            if "." in what:
                struct, field = what.split(".")
                field = "del_" if field == "del" else field
                self.assertEqual(getattr(MIRRORS[struct], field).offset, int(value), what)
            else:
                self.assertEqual(ctypes.sizeof(MIRRORS[what]), int(value), what)
            checked += 1
        # A size line plus one line per field: buf 3, error 4, storage 10, storage_iterator 4, allocator 5,
        # ctx_options 10, perm_desc 8, sqlite_options 3, audit_event 8, credentials 7, agent_options 8,
        # transport 4, https_options 6.
        self.assertEqual(checked, sum(1 + n for n in (3, 4, 10, 4, 5, 10, 8, 3, 8, 7, 8, 4, 6)))

    @unittest.skipUnless(os.path.isdir(INCLUDE), "the headers are not next to the bindings")
    def test_mirrors_cover_the_c_structs(self):
        """Every field of each mirrored struct in its header is in the mirror, in order (catches an appended field).

        acct_error has no version field, so a field appended to it (deny_kind)
        changes what the bindings read: the mirror must hold them all.
        """
        for name, header in STRUCT_HEADERS.items():
            with open(os.path.join(INCLUDE, "acct", header), encoding="utf-8") as f:
                m = re.search(r"(?:typedef )?struct %s \{(.*?)\}( %s)?;" % (name, name), f.read(), re.S)
            self.assertIsNotNone(m, name)
            body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
            # A function pointer member "int (*begin)(...)" is named by its "(*name)".
            body = re.sub(r"\(\*(\w+)\)\s*\([^;]*\)", r"\1", body)
            fields = re.findall(r"(\w+)\s*;", body)
            mirror = ["del" if n == "del_" else n for n, _ in MIRRORS[name]._fields_]
            self.assertEqual(fields, mirror, name)


class TestInitFunctions(unittest.TestCase):
    def test_storage_init(self):
        s = _ffi.acct_storage()
        s.payload = 1234
        lib.acct_storage_init(byref(s), 1)
        self.assertEqual(s.version, 1)
        self.assertIsNone(s.payload)
        for name, _ in _ffi.acct_storage._fields_[2:]:
            self.assertFalse(getattr(s, name), name)
        for bad in (0, 2):
            with self.assertRaises(libacct.InvalidError) as cm:
                lib.acct_storage_init(byref(s), bad)
            self.assertIn(str(bad), cm.exception.message)

    def test_storage_iterator_init(self):
        it = _ffi.acct_storage_iterator()
        self.assertEqual(lib.acct_storage_iterator_init(byref(it), 1), 0)
        self.assertEqual(it.version, 1)
        self.assertFalse(it.next)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_storage_iterator_init(byref(it), 2)

    def test_ctx_options_init(self):
        o = _ffi.acct_ctx_options()
        o.password_cost = 9
        lib.acct_ctx_options_init(byref(o), 1)
        self.assertEqual((o.version, o.admin_login, o.admin_password, o.password_cost, o.lockout_attempts,
                          o.lockout_window, o.lockout_duration), (1, None, None, 0, 0, 0, 0))
        self.assertFalse(o.clock)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_ctx_options_init(byref(o), 0)
        o.auth_cache_seconds = 9
        lib.acct_ctx_options_init(byref(o), 1)
        self.assertEqual(o.auth_cache_seconds, 9, "a version 1 caller's struct ends before auth_cache_seconds")
        lib.acct_ctx_options_init(byref(o), _ffi.ACCT_CTX_OPTIONS_VERSION)
        self.assertEqual((o.version, o.auth_cache_seconds), (2, 0))

    def test_perm_desc_init(self):
        d = _ffi.acct_perm_desc()
        d.catalog, d.reseller_only, d.name = 7, 1, b"x"
        lib.acct_perm_desc_init(byref(d), _ffi.ACCT_PERM_DESC_VERSION)
        # ACCT_PERM_DESC_INIT: { 1, 0, NULL, NULL, ACCT_PERM_BOOL, 0, ACCT_WRITABLE_BY_ADMIN, 0 }
        self.assertEqual((d.version, d.catalog, d.name, d.label, d.type, d.default_value, d.writable_by,
                          d.reseller_only), (1, 0, None, None, _ffi.ACCT_PERM_BOOL, 0, _ffi.ACCT_WRITABLE_BY_ADMIN, 0))
        for bad in (0, 2):
            with self.assertRaises(libacct.InvalidError):
                lib.acct_perm_desc_init(byref(d), bad)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_perm_desc_init(None, 1)

    def test_sqlite_options_init(self):
        o = _ffi.acct_sqlite_options()
        o.synchronous, o.busy_timeout_ms = 7, 7
        lib.acct_sqlite_options_init(byref(o), _ffi.ACCT_SQLITE_OPTIONS_VERSION)
        # ACCT_SQLITE_OPTIONS_INIT: { 1, ACCT_SQLITE_SYNC_FULL, 0 }
        self.assertEqual((o.version, o.synchronous, o.busy_timeout_ms), (1, _ffi.ACCT_SQLITE_SYNC_FULL, 0))
        for bad in (0, 2):
            with self.assertRaises(libacct.InvalidError):
                lib.acct_sqlite_options_init(byref(o), bad)

    def test_allocator_init(self):
        a = _ffi.acct_allocator()
        lib.acct_allocator_init(byref(a), 1)
        self.assertEqual(a.version, 1)
        self.assertFalse(a.malloc)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_allocator_init(byref(a), 7)


class TestBuf(unittest.TestCase):
    def test_set_and_dispose(self):
        b = _ffi.acct_buf()
        b.size = 99
        lib.acct_buf_init(byref(b))
        self.assertEqual((b.ptr, b.reserved, b.size), (None, 0, 0))
        data = b"ab\0cd"
        lib.acct_buf_set(byref(b), data, len(data))
        self.assertEqual(b.size, 5)
        self.assertGreaterEqual(b.reserved, 6)
        self.assertEqual(_ffi.buf_bytes(b), data)
        self.assertEqual(ctypes.string_at(b.ptr + 5, 1), b"\0", "always NUL-terminated")
        lib.acct_buf_set(byref(b), None, 0)
        self.assertEqual(_ffi.buf_bytes(b), b"")
        lib.acct_buf_dispose(byref(b))
        self.assertEqual((b.ptr, b.size), (None, 0))
        lib.acct_buf_dispose(byref(b))  # twice is fine
        lib.acct_buf_dispose(None)  # and NULL

    def test_set_refuses_null_data_with_length(self):
        b = _ffi.acct_buf()
        lib.acct_buf_init(byref(b))
        with self.assertRaises(libacct.InvalidError):
            lib.acct_buf_set(byref(b), None, 3)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_buf_set(None, b"x", 1)


class TestErrorsAndStrings(unittest.TestCase):
    def test_version(self):
        major, minor, patch = c_int(), c_int(), c_int()
        text = lib.acct_version(byref(major), byref(minor), byref(patch)).decode()
        self.assertEqual(text, f"{major.value}.{minor.value}.{patch.value}")
        self.assertEqual(lib.acct_version(None, None, None).decode(), text)
        self.assertEqual(libacct.version, text)
        self.assertEqual(libacct.version_info, (major.value, minor.value, patch.value))

    def test_strerror_and_plesk_code(self):
        plesk = {0: 0, -1: 1023, -2: 1013, -3: 1007, -4: 1019, -5: 1023, -6: 1006, -7: 1014, -8: 1017, -9: 1023,
                 -10: 0, -11: 1001, -12: 1011, -13: 1012, -14: 1024, -15: 1025, -16: 1015, -17: 1023, -18: 11003,
                 -19: 1005}
        for code, p in plesk.items():
            self.assertEqual(lib.acct_error_plesk_code(code), p, code)
            self.assertEqual(libacct.plesk_code(code), p)
            text = lib.acct_strerror(code)
            self.assertTrue(text and text != b"unknown error", code)
            self.assertEqual(libacct.strerror(code), text.decode())
        self.assertEqual(lib.acct_strerror(-12345), b"unknown error")
        self.assertEqual(lib.acct_error_plesk_code(-12345), 1023)

    def test_error_last_clear_set_str(self):
        lib.acct_error_clear()
        e = lib.acct_error_last().contents
        self.assertEqual((e.code, e.plesk_code, e.message), (0, 0, b""))
        self.assertEqual(lib.acct_error_set_str(_ffi.ACCT_EDENIED, b"no, really"), _ffi.ACCT_EDENIED)
        self.assertEqual(errors.last_error(), (-6, 1006, "no, really"))
        self.assertEqual(lib.acct_error_set_str(_ffi.ACCT_ENOTFOUND, None), _ffi.ACCT_ENOTFOUND)
        self.assertEqual(errors.last_error(), (-2, 1013, libacct.strerror(-2)))
        lib.acct_error_clear()
        self.assertEqual(errors.last_error(), (0, 0, ""))

    def test_type_and_field_names(self):
        self.assertEqual([lib.acct_account_type_name(t) for t in range(0, 6)],
                         [b"unknown", b"admin", b"reseller", b"customer", b"user", b"unknown"])
        for f in libacct.Field:
            label = lib.acct_field_name(int(f)).decode()
            # Names for people, not identifiers: "postal code", "creation date".
            self.assertEqual(label.split()[0], f.name.lower().split("_")[0] if f != libacct.Field.CREATED else "creation")
            self.assertEqual(f.label, label)
        self.assertIsNone(lib.acct_field_name(0))
        self.assertIsNone(lib.acct_field_name(_ffi.ACCT_FIELD_LAST + 1))
        self.assertEqual(libacct.AccountType.CUSTOMER.label, "customer")


class TestNullSafety(unittest.TestCase):
    """The C functions documented to accept NULL do, through the declarations."""

    def test_frees_accept_null(self):
        for name in ("acct_ip_iterator_free", "acct_button_iterator_free", "acct_key_iterator_free",
                     "acct_apilogin_iterator_free"):
            getattr(lib, name)(None)
        lib.acct_role_iterator_free(None)
        lib.acct_ctx_free(None)
        lib.acct_session_free(None)
        lib.acct_account_free(None)
        lib.acct_account_iterator_free(None)
        lib.acct_storage_free(None)

    def test_getters_on_null(self):
        self.assertEqual(lib.acct_ctx_generation(None), 0)
        self.assertEqual(lib.acct_ctx_account_count(None), 0)
        self.assertEqual(lib.acct_ctx_index_bytes(None), 0)
        self.assertEqual(lib.acct_session_account(None), 0)
        self.assertEqual(lib.acct_account_id(None), 0)
        self.assertEqual(lib.acct_account_type(None), 0)
        self.assertEqual(lib.acct_account_owner(None), 0)
        self.assertEqual(lib.acct_account_status(None), 0)
        self.assertEqual(lib.acct_account_created(None), 0)
        self.assertIsNone(lib.acct_account_get(None, 1))
        self.assertIsNone(lib.acct_account_description(None, 1))
        self.assertEqual(lib.acct_session_api_role(None), 0)

    def test_fallible_functions_refuse_null(self):
        with self.assertRaises(libacct.InvalidError):
            lib.acct_ctx_new(None, None, None)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_ctx_refresh(None)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_account_set(None, 1, b"x")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_account_iterator_next(None, None)
        allowed = c_int(1)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_check(byref(allowed), None, b"manage_dns", 1)
        self.assertEqual(allowed.value, 0, "fail closed: the out-parameter is written 0")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_check_explain(None, None, None, None, b"manage_dns", 1)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_perm_count(None, 1)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_perm_describe(None, None, 1, 0)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_perm_lookup(None, None, b"manage_dns")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_catalog_register(None, None, b"x")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_perm_register(None, None)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_perm_get(None, None, 1, b"manage_dns")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_role_get_permission(None, None, 1, b"browseStats")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_role_iterator_new(None, None, 1)
        with self.assertRaises(libacct.InvalidError):
            lib.acct_role_iterator_next(None, None)
        for call in (lambda: lib.acct_ctx_set_audit(None, _ffi.acct_audit_fn(), None),
                     lambda: lib.acct_limit_get(None, None, None, 1, b"max_dom"),
                     lambda: lib.acct_limit_check(None, None, 1, b"max_dom", 0),
                     lambda: lib.acct_ip_iterator_next(None, None, None),
                     lambda: lib.acct_button_iterator_next(None, None, None, None),
                     lambda: lib.acct_key_iterator_next(None, None),
                     lambda: lib.acct_apilogin_iterator_next(None, None),
                     lambda: lib.acct_key_create(None, None, None, 1, b"127.0.0.1", None),
                     lambda: lib.acct_session_open_key(None, None, b"k", b"127.0.0.1"),
                     lambda: lib.acct_session_open_api(None, None, b"l", b"p"),
                     lambda: lib.acct_reset_token_redeem(None, b"t", b"password"),
                     lambda: lib.acct_storage_sqlite_new(None, b"x.db", None),
                     lambda: lib.acct_storage_postgres_new(None, b"dbname=x")):
            with self.assertRaises((libacct.InvalidError, libacct.NotSupportedError)):
                call()

    def test_code_tables_without_a_context(self):
        self.assertEqual([lib.acct_deny_plesk_code(k) for k in range(0, 7)], [0, 1001, 1011, 1013, 1006, 1006, 0])
        self.assertEqual([lib.acct_deny_partner_code(k) for k in range(0, 7)], [0, 200, 200, 202, 201, 201, 0])
        self.assertEqual(lib.acct_partner_role_name(_ffi.ACCT_PARTNER_STANDARD_RESELLER),
                         b"Standard Commands for Reseller")
        self.assertIsNone(lib.acct_partner_role_name(0))
        self.assertIsNone(lib.acct_partner_role_name(9))
        self.assertEqual(lib.acct_partner_role_permits(_ffi.ACCT_PARTNER_ALL_CLIENT, b"license.suspend"), 1)
        self.assertEqual(lib.acct_partner_role_permits(_ffi.ACCT_PARTNER_LIMITED_CLIENT, b"license.suspend"), 0)
        with self.assertRaises(libacct.NotFoundError):
            lib.acct_partner_role_permits(0, b"license.search")
        with self.assertRaises(libacct.NotFoundError):
            lib.acct_partner_role_permits(1, b"license.fly")
        with self.assertRaises(libacct.InvalidError):
            lib.acct_partner_role_permits(1, None)


class TestRawLifecycle(unittest.TestCase):
    """The whole C API driven through the raw declarations only, as a C host would."""

    def test_memory_store_never_attached(self):
        st = POINTER(_ffi.acct_storage)()
        lib.acct_storage_memory_new(byref(st))
        self.assertTrue(st)
        self.assertEqual(st[0].version, 1)
        lib.acct_storage_free(st)

    def test_ctx_new_failure_leaves_the_backend_to_the_caller(self):
        st = POINTER(_ffi.acct_storage)()
        lib.acct_storage_memory_new(byref(st))
        ctx = POINTER(_ffi.acct_ctx)()
        with self.assertRaises(libacct.InvalidError) as cm:
            lib.acct_ctx_new(byref(ctx), st, None)  # empty store, no administrator given
        self.assertIn("admin_login", cm.exception.message)
        self.assertFalse(ctx)
        lib.acct_storage_free(st)

    def test_full_raw_session(self):
        st = POINTER(_ffi.acct_storage)()
        lib.acct_storage_memory_new(byref(st))
        opts = _ffi.acct_ctx_options()
        lib.acct_ctx_options_init(byref(opts), 1)
        opts.admin_login, opts.admin_password, opts.password_cost = b"root", b"rootpw", S.COST
        ctx = POINTER(_ffi.acct_ctx)()
        lib.acct_ctx_new(byref(ctx), st, byref(opts))
        try:
            self.assertEqual(lib.acct_ctx_account_count(ctx), 1)
            self.assertEqual(lib.acct_ctx_generation(ctx), 1)
            self.assertGreater(lib.acct_ctx_index_bytes(ctx), 0)
            lib.acct_ctx_refresh(ctx)
            s = POINTER(_ffi.acct_session)()
            lib.acct_session_open(byref(s), ctx, b"root", b"rootpw")
            self.assertEqual(lib.acct_session_account(s), 1)
            a = POINTER(_ffi.acct_account)()
            lib.acct_account_new(byref(a), _ffi.ACCT_TYPE_CUSTOMER)
            lib.acct_account_set(a, _ffi.ACCT_FIELD_LOGIN, b"c1")
            lib.acct_account_set(a, _ffi.ACCT_FIELD_NAME, b"Customer One")
            lib.acct_account_set_description(a, 1, b"first")
            new_id = _ffi.acct_id()
            lib.acct_account_add(byref(new_id), s, 1, a)
            self.assertEqual(new_id.value, 2)
            self.assertEqual(lib.acct_account_id(a), 2)
            self.assertEqual(lib.acct_account_owner(a), 1)
            self.assertEqual(lib.acct_account_description(a, 1), b"first")
            lib.acct_account_free(a)

            got = POINTER(_ffi.acct_account)()
            lib.acct_account_lookup_login(byref(got), s, b"C1")
            self.assertEqual(lib.acct_account_get(got, _ffi.ACCT_FIELD_NAME), b"Customer One")
            lib.acct_account_free(got)

            seen = []

            @_ffi.acct_account_foreach_cb
            def cb(id_, payload):
                seen.append((id_, payload))
                return 0

            self.assertEqual(lib.acct_account_foreach(s, 1, _ffi.ACCT_ITER_DESCENDANTS, cb, 77), 0)
            self.assertEqual(seen, [(2, 77)])

            it = POINTER(_ffi.acct_account_iterator)()
            lib.acct_account_iterator_new(byref(it), s, 1, _ffi.ACCT_ITER_CHILDREN)
            out = _ffi.acct_id()
            self.assertEqual(lib.acct_account_iterator_next(byref(out), it), 0)
            self.assertEqual(out.value, 2)
            self.assertEqual(lib.acct_account_iterator_next(byref(out), it), _ffi.ACCT_ITEROVER)
            lib.acct_account_iterator_free(it)

            status = ctypes.c_uint()
            lib.acct_account_suspend(s, 2)
            lib.acct_account_effective_status(byref(status), s, 2)
            self.assertEqual(status.value, _ffi.ACCT_STATUS_BY_ADMIN)
            lib.acct_account_activate(s, 2)
            lib.acct_account_set_status(s, 2, _ffi.ACCT_STATUS_EXPIRED)
            lib.acct_account_set_status(s, 2, 0)
            lib.acct_account_convert(s, 2, _ffi.ACCT_TYPE_RESELLER)
            lib.acct_account_convert(s, 2, _ffi.ACCT_TYPE_CUSTOMER)
            with self.assertRaises(libacct.OwnerError):
                lib.acct_account_change_owner(s, 2, 2)
            s2 = POINTER(_ffi.acct_session)()
            lib.acct_session_open_as(byref(s2), ctx, 2)
            lib.acct_session_free(s2)
            lib.acct_account_delete(s, 2)
            self.assertEqual(lib.acct_ctx_account_count(ctx), 1)
            lib.acct_session_free(s)
        finally:
            lib.acct_ctx_free(ctx)


class TestRawPermissionsAndRoles(unittest.TestCase):
    """acct/perm.h and acct/role.h through the raw declarations only."""

    def setUp(self):
        st = POINTER(_ffi.acct_storage)()
        lib.acct_storage_memory_new(byref(st))
        opts = _ffi.acct_ctx_options()
        lib.acct_ctx_options_init(byref(opts), 1)
        opts.admin_login, opts.admin_password, opts.password_cost = b"root", b"rootpw", S.COST
        self.ctx = POINTER(_ffi.acct_ctx)()
        lib.acct_ctx_new(byref(self.ctx), st, byref(opts))
        self.s = POINTER(_ffi.acct_session)()
        lib.acct_session_open_as(byref(self.s), self.ctx, 1)
        self.ids = {}
        for login, type_, owner in (("r1", _ffi.ACCT_TYPE_RESELLER, 1), ("c1", _ffi.ACCT_TYPE_CUSTOMER, "r1"),
                                    ("u1", _ffi.ACCT_TYPE_USER, "c1")):
            a = POINTER(_ffi.acct_account)()
            lib.acct_account_new(byref(a), type_)
            lib.acct_account_set(a, _ffi.ACCT_FIELD_LOGIN, login.encode())
            lib.acct_account_set(a, _ffi.ACCT_FIELD_NAME, b"N")
            out = _ffi.acct_id()
            lib.acct_account_add(byref(out), self.s, self.ids.get(owner, 1), a)
            lib.acct_account_free(a)
            self.ids[login] = out.value

    def tearDown(self):
        lib.acct_session_free(self.s)
        lib.acct_ctx_free(self.ctx)

    def test_catalogs(self):
        d = _ffi.acct_perm_desc()
        counts = {c: lib.acct_perm_count(self.ctx, c) for c in (1, 2, 3)}
        self.assertEqual(counts, {1: 31, 2: 17, 3: 10})
        lib.acct_perm_describe(byref(d), self.ctx, _ffi.ACCT_CATALOG_ACCOUNT, 0)
        self.assertEqual((d.version, d.catalog, d.type), (1, 1, _ffi.ACCT_PERM_BOOL))
        with self.assertRaises(libacct.NotFoundError):
            lib.acct_perm_describe(byref(d), self.ctx, _ffi.ACCT_CATALOG_ACCOUNT, 31)
        with self.assertRaises(libacct.NotFoundError):
            lib.acct_perm_count(self.ctx, 4)
        lib.acct_perm_lookup(byref(d), self.ctx, b"create_clients")
        self.assertEqual((d.name, d.default_value, d.reseller_only, d.writable_by),
                         (b"create_clients", 1, 1, _ffi.ACCT_WRITABLE_BY_ADMIN))
        cat = c_int()
        lib.acct_catalog_register(byref(cat), self.ctx, b"hosting")
        self.assertEqual(cat.value, 4)
        self.assertEqual(lib.acct_perm_count(self.ctx, 4), 0)
        new = _ffi.acct_perm_desc()
        lib.acct_perm_desc_init(byref(new), 1)
        new.catalog, new.name, new.label = cat.value, b"manage_git", b"Git"
        new.writable_by = _ffi.ACCT_WRITABLE_BY_RESELLER
        lib.acct_perm_register(self.ctx, byref(new))
        del new  # libacct copied the strings
        lib.acct_perm_lookup(byref(d), self.ctx, b"manage_git")
        self.assertEqual((d.catalog, d.name, d.label, d.writable_by),
                         (4, b"manage_git", b"Git", _ffi.ACCT_WRITABLE_BY_ADMIN | _ffi.ACCT_WRITABLE_BY_RESELLER))

    def test_check_grant_explain(self):
        r, c = self.ids["r1"], self.ids["c1"]
        rs = POINTER(_ffi.acct_session)()
        lib.acct_session_open_as(byref(rs), self.ctx, r)
        try:
            allowed, kind, text = c_int(7), c_int(7), _ffi.acct_buf()
            self.assertEqual(lib.acct_check(byref(allowed), rs, b"manage_dns", c), 0)
            self.assertEqual(allowed.value, 0)
            lib.acct_check_explain(byref(allowed), byref(kind), byref(text), rs, b"manage_dns", c)
            self.assertEqual((allowed.value, kind.value), (0, _ffi.ACCT_DENY_METHOD))
            self.assertEqual(_ffi.buf_bytes(text), b"permission manage_dns is not granted to reseller 'r1'")
            lib.acct_perm_grant(self.s, r, b"manage_dns", 1)
            lib.acct_perm_grant(rs, c, b"manage_dns", 1)
            granted = c_int()
            lib.acct_perm_get(byref(granted), rs, c, b"manage_dns")
            self.assertEqual(granted.value, 1)
            lib.acct_check_explain(byref(allowed), None, byref(text), rs, b"manage_dns", c)
            self.assertEqual((allowed.value, _ffi.buf_bytes(text)), (1, b""))
            lib.acct_buf_dispose(byref(text))
            with self.assertRaises(libacct.NotFoundError):
                lib.acct_check(byref(allowed), rs, b"no_such_permission", c)
        finally:
            lib.acct_session_free(rs)

    def test_roles(self):
        c, u = self.ids["c1"], self.ids["u1"]
        role = _ffi.acct_role_id()
        lib.acct_role_create(byref(role), self.s, c, b"Mail only")
        self.assertGreater(role.value, _ffi.ACCT_ROLE_APPLICATION_USER)
        lib.acct_role_set_permission(self.s, role, b"mailManagement", 1)
        granted = c_int()
        lib.acct_role_get_permission(byref(granted), self.s, role, b"mailManagement")
        self.assertEqual(granted.value, 1)
        name, owner, editable = _ffi.acct_buf(), _ffi.acct_id(), c_int()
        lib.acct_role_info(byref(name), byref(owner), byref(editable), self.s, role)
        self.assertEqual((_ffi.buf_bytes(name), owner.value, editable.value), (b"Mail only", c, 1))
        lib.acct_buf_dispose(byref(name))
        lib.acct_role_info(None, None, None, self.s, _ffi.ACCT_ROLE_ADMIN)
        lib.acct_user_set_role(self.s, u, role, 1)

        def drain(new, arg):
            it = POINTER(_ffi.acct_role_iterator)()
            new(byref(it), self.s, arg)
            ids, out = [], _ffi.acct_role_id()
            while lib.acct_role_iterator_next(byref(out), it) == 0:
                ids.append(out.value)
            self.assertEqual(out.value, 0)
            lib.acct_role_iterator_free(it)
            return ids

        self.assertEqual(drain(lib.acct_role_iterator_new, c), [1, 2, 3, 4, role.value])
        self.assertEqual(drain(lib.acct_role_iterator_new_user, u), [role.value])
        with self.assertRaises(libacct.DeniedError):
            lib.acct_role_delete(self.s, role)  # still given to u1
        lib.acct_user_set_role(self.s, u, role, 0)
        lib.acct_role_delete(self.s, role)
        with self.assertRaises(libacct.NotFoundError):
            lib.acct_role_delete(self.s, role)


class TestRawLimitsCredentialsAudit(unittest.TestCase):
    """acct/limit.h, acct/credential.h, acct/audit.h and the SQLite store through the raw declarations only."""

    def setUp(self):
        st = POINTER(_ffi.acct_storage)()
        lib.acct_storage_memory_new(byref(st))
        opts = _ffi.acct_ctx_options()
        lib.acct_ctx_options_init(byref(opts), 1)
        opts.admin_login, opts.admin_password, opts.password_cost = b"root", b"rootpw", S.COST
        self.ctx = POINTER(_ffi.acct_ctx)()
        lib.acct_ctx_new(byref(self.ctx), st, byref(opts))
        self.s = POINTER(_ffi.acct_session)()
        lib.acct_session_open_as(byref(self.s), self.ctx, 1)
        self.ids = {}
        for login, type_, owner in (("r1", _ffi.ACCT_TYPE_RESELLER, 1), ("c1", _ffi.ACCT_TYPE_CUSTOMER, "r1")):
            a = POINTER(_ffi.acct_account)()
            lib.acct_account_new(byref(a), type_)
            lib.acct_account_set(a, _ffi.ACCT_FIELD_LOGIN, login.encode())
            lib.acct_account_set(a, _ffi.ACCT_FIELD_NAME, b"N")
            out = _ffi.acct_id()
            lib.acct_account_add(byref(out), self.s, self.ids.get(owner, 1), a)
            lib.acct_account_free(a)
            self.ids[login] = out.value

    def tearDown(self):
        lib.acct_session_free(self.s)
        lib.acct_ctx_free(self.ctx)

    def test_limits_and_policy(self):
        r, c = self.ids["r1"], self.ids["c1"]
        names = [lib.acct_limit_name(i) for i in range(lib.acct_limit_count())]
        self.assertEqual(names[0], b"max_cl")
        self.assertIn(b"expiration", names)
        self.assertIsNone(lib.acct_limit_name(len(names)))
        lib.acct_limit_set(self.s, r, b"max_dom", 10)
        value, is_set = ctypes.c_int64(7), c_int(7)
        lib.acct_limit_get(byref(value), byref(is_set), self.s, r, b"max_dom")
        self.assertEqual((value.value, is_set.value), (10, 1))
        lib.acct_limit_get(byref(value), None, self.s, c, b"max_dom")
        self.assertEqual(value.value, _ffi.ACCT_UNLIMITED)
        with self.assertRaises(libacct.LimitError) as cm:
            lib.acct_limit_set(self.s, c, b"max_dom", 11)
        self.assertEqual(lib.acct_error_last().contents.deny_kind, _ffi.ACCT_DENY_RULE)
        self.assertEqual(cm.exception.deny_kind, libacct.DenyKind.RULE)
        allowed = c_int(7)
        lib.acct_limit_check(byref(allowed), self.s, r, b"max_dom", 11)
        self.assertEqual(allowed.value, 0)
        lib.acct_limit_unset(self.s, r, b"max_dom")
        lib.acct_limit_check(byref(allowed), self.s, r, b"max_dom", 11)
        self.assertEqual(allowed.value, 1)
        self.assertEqual(lib.acct_overuse_name(_ffi.ACCT_OVERUSE_NOT_SUSPEND_NOTIFY), b"not_suspend_notify")
        self.assertIsNone(lib.acct_overuse_name(0))
        lib.acct_reseller_policy_set(self.s, r, 1, _ffi.ACCT_OVERUSE_BLOCK)
        oversell, overuse = c_int(), c_int()
        lib.acct_reseller_policy_get(byref(oversell), byref(overuse), self.s, r)
        self.assertEqual((oversell.value, overuse.value), (1, _ffi.ACCT_OVERUSE_BLOCK))

    def test_ip_pool_and_buttons(self):
        r = self.ids["r1"]
        lib.acct_ip_add(self.s, 1, b"192.0.2.10", _ffi.ACCT_IP_SHARED)
        lib.acct_ip_add(self.s, 1, b"2001:DB8:0::5", _ffi.ACCT_IP_SHARED)
        lib.acct_ip_add(self.s, r, b"192.0.2.10", _ffi.ACCT_IP_EXCLUSIVE)
        it = POINTER(_ffi.acct_ip_iterator)()
        lib.acct_ip_iterator_new(byref(it), self.s, 1)
        ip, t, seen = ctypes.c_char_p(), c_int(), []
        while lib.acct_ip_iterator_next(byref(ip), byref(t), it) == 0:
            seen.append((ip.value, t.value))
        lib.acct_ip_iterator_free(it)
        self.assertEqual(seen, [(b"192.0.2.10", _ffi.ACCT_IP_SHARED), (b"2001:db8::5", _ffi.ACCT_IP_SHARED)])
        bid = ctypes.c_int64()
        lib.acct_button_add(byref(bid), self.s, r, b"Docs", b"https://docs.example")
        self.assertEqual(bid.value, 1)
        bt = POINTER(_ffi.acct_button_iterator)()
        lib.acct_button_iterator_new(byref(bt), self.s, r)
        label, url = ctypes.c_char_p(), ctypes.c_char_p()
        self.assertEqual(lib.acct_button_iterator_next(byref(bid), byref(label), byref(url), bt), 0)
        self.assertEqual((bid.value, label.value, url.value), (1, b"Docs", b"https://docs.example"))
        self.assertEqual(lib.acct_button_iterator_next(None, None, None, bt), _ffi.ACCT_ITEROVER)
        lib.acct_button_iterator_free(bt)
        lib.acct_button_remove(self.s, r, 1)
        lib.acct_ip_set_type(self.s, r, b"192.0.2.10", _ffi.ACCT_IP_SHARED)
        lib.acct_ip_remove(self.s, r, b"192.0.2.10")

    def test_keys_api_logins_and_reset_tokens(self):
        r, c = self.ids["r1"], self.ids["c1"]
        secret, kid = _ffi.acct_buf(), _ffi.acct_id()
        lib.acct_key_create(byref(secret), byref(kid), self.s, c, b"127.0.0.1, ::1", b"ci")
        key = _ffi.buf_bytes(secret)
        _ffi.buf_wipe_dispose(secret)
        self.assertEqual(len(key), 36)
        found = _ffi.acct_id()
        lib.acct_key_find(byref(found), self.s, key)
        self.assertEqual(found.value, kid.value)
        account, ips, desc = _ffi.acct_id(), _ffi.acct_buf(), _ffi.acct_buf()
        lib.acct_key_info(byref(account), byref(ips), byref(desc), self.s, kid)
        self.assertEqual((account.value, _ffi.buf_bytes(ips), _ffi.buf_bytes(desc)), (c, b"127.0.0.1,::1", b"ci"))
        lib.acct_buf_dispose(byref(ips))
        lib.acct_buf_dispose(byref(desc))
        ks = POINTER(_ffi.acct_session)()
        lib.acct_session_open_key(byref(ks), self.ctx, key, b"::1")
        self.assertEqual((lib.acct_session_account(ks), lib.acct_session_api_role(ks)), (c, 0))
        lib.acct_session_free(ks)
        with self.assertRaises(libacct.SecretKeyError) as cm:
            lib.acct_session_open_key(byref(ks), self.ctx, key, b"127.0.0.2")
        self.assertEqual(cm.exception.plesk_code, 11003)
        self.assertFalse(ks)
        it = POINTER(_ffi.acct_key_iterator)()
        lib.acct_key_iterator_new(byref(it), self.s, 0)
        self.assertEqual(lib.acct_key_iterator_next(byref(found), it), 0)
        self.assertEqual(lib.acct_key_iterator_next(byref(found), it), _ffi.ACCT_ITEROVER)
        lib.acct_key_iterator_free(it)
        lib.acct_key_delete(self.s, kid)

        pw, lid = _ffi.acct_buf(), _ffi.acct_id()
        lib.acct_apilogin_create(byref(pw), byref(lid), self.s, r, b"r1-api", _ffi.ACCT_PARTNER_ALL_RESELLER)
        password = _ffi.buf_bytes(pw)
        _ffi.buf_wipe_dispose(pw)
        api = POINTER(_ffi.acct_session)()
        lib.acct_session_open_api(byref(api), self.ctx, b"R1-API", password)
        self.assertEqual(lib.acct_session_api_role(api), _ffi.ACCT_PARTNER_ALL_RESELLER)
        lib.acct_session_free(api)
        name, role, enabled = _ffi.acct_buf(), c_int(), c_int()
        lib.acct_apilogin_info(byref(name), byref(account), byref(role), byref(enabled), self.s, lid)
        self.assertEqual((_ffi.buf_bytes(name), account.value, role.value, enabled.value),
                         (b"r1-api", r, _ffi.ACCT_PARTNER_ALL_RESELLER, 1))
        lib.acct_buf_dispose(byref(name))
        lib.acct_apilogin_set_role(self.s, lid, _ffi.ACCT_PARTNER_LIMITED_CLIENT)
        lib.acct_apilogin_set_enabled(self.s, lid, 0)
        lib.acct_apilogin_new_password(byref(pw), self.s, lid)
        _ffi.buf_wipe_dispose(pw)
        lib.acct_apilogin_lookup(byref(found), self.s, b"r1-api")
        self.assertEqual(found.value, lid.value)
        ait = POINTER(_ffi.acct_apilogin_iterator)()
        lib.acct_apilogin_iterator_new(byref(ait), self.s, r)
        self.assertEqual(lib.acct_apilogin_iterator_next(byref(found), ait), 0)
        lib.acct_apilogin_iterator_free(ait)
        lib.acct_apilogin_delete(self.s, lid)

        token = _ffi.acct_buf()
        lib.acct_reset_token_create(byref(token), self.s, c, 0)
        t = _ffi.buf_bytes(token)
        _ffi.buf_wipe_dispose(token)
        lib.acct_reset_token_redeem(self.ctx, t, b"brand-new-pw")
        with self.assertRaises(libacct.AuthError):
            lib.acct_reset_token_redeem(self.ctx, t, b"brand-new-pw")

    def test_audit_callback(self):
        seen = []

        @_ffi.acct_audit_fn
        def hook(ev, payload):
            e = ev[0]
            seen.append((e.version, e.actor, e.operation, e.target, e.result, e.detail, payload))

        lib.acct_ctx_set_audit(self.ctx, hook, 99)
        lib.acct_limit_set(self.s, self.ids["r1"], b"max_cl", 5)
        with self.assertRaises(libacct.LimitError):
            lib.acct_limit_set(self.s, self.ids["r1"], b"max_cl", 0)  # it already has a customer
        lib.acct_ctx_set_audit(self.ctx, _ffi.acct_audit_fn(), None)
        lib.acct_limit_set(self.s, self.ids["r1"], b"max_cl", 6)
        self.assertEqual(seen, [(1, 1, b"limit.set", self.ids["r1"], 0, b"", 99),
                                (1, 1, b"limit.set", self.ids["r1"], _ffi.ACCT_ELIMIT, b"", 99)])

    def test_postgres_store_refuses_cleanly(self):
        """acct_storage_postgres_new without a server: a clean error, no backend (a socket directory that does not
        exist fails at once, without touching the network)."""
        st = POINTER(_ffi.acct_storage)()
        with self.assertRaises((libacct.StorageError, libacct.NotSupportedError)) as cm:
            lib.acct_storage_postgres_new(byref(st), b"host=/nonexistent-libacct-test-dir dbname=acct connect_timeout=2")
        self.assertFalse(st)
        self.assertTrue(cm.exception.message)

    def test_sqlite_store(self):
        with tempfile.TemporaryDirectory() as tmp:
            st = POINTER(_ffi.acct_storage)()
            o = _ffi.acct_sqlite_options()
            lib.acct_sqlite_options_init(byref(o), 1)
            o.synchronous = _ffi.ACCT_SQLITE_SYNC_NORMAL
            try:
                lib.acct_storage_sqlite_new(byref(st), os.path.join(tmp, "raw.db").encode(), byref(o))
            except libacct.NotSupportedError:
                self.assertFalse(st)
                self.skipTest("libacct was built without SQLite")
            self.assertEqual(st[0].version, 1)
            lib.acct_storage_free(st)  # never attached
            o.synchronous = 9
            with self.assertRaises(libacct.InvalidError):
                lib.acct_storage_sqlite_new(byref(st), os.path.join(tmp, "raw.db").encode(), byref(o))


class TestGlobalState(unittest.TestCase):
    """acct_global_init/shutdown and the allocator hook (only allowed while libacct is not initialised)."""

    def _drop_to_zero(self):
        # The package holds exactly one reference (taken at import).
        n = lib.acct_global_shutdown()
        self.assertEqual(n, 0, "something else holds a global reference")

    def test_refcount(self):
        self.assertEqual(lib.acct_global_init(), 2)
        self.assertEqual(lib.acct_global_shutdown(), 1)

    def test_allocator_refused_while_initialised(self):
        with self.assertRaises(libacct.InvalidError) as cm:
            lib.acct_global_set_allocator(None)
        self.assertIn("initialised", cm.exception.message)

    def test_allocator_while_uninitialised(self):
        self._drop_to_zero()
        try:
            with self.assertRaises(libacct.AcctError) as cm:
                lib.acct_global_shutdown()  # one more than init
            self.assertEqual(cm.exception.code, _ffi.ACCT_ERROR)
            a = _ffi.acct_allocator()
            with self.assertRaises(libacct.InvalidError):
                lib.acct_global_set_allocator(byref(a))  # version 0
            lib.acct_allocator_init(byref(a), 1)
            with self.assertRaises(libacct.InvalidError):
                lib.acct_global_set_allocator(byref(a))  # no functions

            # A counting allocator over libc's own malloc, so memory can cross
            # back to the default allocator afterwards.
            libc = ctypes.CDLL(None)
            libc.malloc.restype = c_void_p
            libc.malloc.argtypes = [ctypes.c_size_t]
            libc.realloc.restype = c_void_p
            libc.realloc.argtypes = [c_void_p, ctypes.c_size_t]
            libc.free.restype = None
            libc.free.argtypes = [c_void_p]
            counts = {"malloc": 0, "realloc": 0, "free": 0, "payload": set()}

            @_ffi.allocator_malloc_fn
            def my_malloc(payload, size):
                counts["malloc"] += 1
                counts["payload"].add(payload)
                return libc.malloc(size)

            @_ffi.allocator_realloc_fn
            def my_realloc(payload, ptr, size):
                counts["realloc"] += 1
                return libc.realloc(ptr, size)

            @_ffi.allocator_free_fn
            def my_free(payload, ptr):
                counts["free"] += 1
                libc.free(ptr)

            a.payload, a.malloc, a.realloc, a.free = 42, my_malloc, my_realloc, my_free
            lib.acct_global_set_allocator(byref(a))
            self.assertEqual(lib.acct_global_init(), 1)
            try:
                with S.memory_ctx() as ctx, ctx.session_as(1) as s:
                    s.add_customer(1, "alloc1", "Allocated").close()
                    self.assertEqual(s.get_by_login("alloc1").name, "Allocated")
            finally:
                self.assertEqual(lib.acct_global_shutdown(), 0)
                lib.acct_global_set_allocator(None)  # back to the C library's
            self.assertGreater(counts["malloc"], 0)
            self.assertGreater(counts["free"], 0)
            self.assertEqual(counts["payload"], {42})
        finally:
            self.assertEqual(lib.acct_global_init(), 1)


if __name__ == "__main__":
    unittest.main()
