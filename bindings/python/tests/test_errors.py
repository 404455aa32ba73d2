"""Exceptions: one class per ACCT_E* code, the errcheck, thread-local details, codes from real operations."""

from __future__ import annotations

import ctypes
import pickle
import threading
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import ErrorCode, _ffi, errors
from libacct._ffi import lib

CLASSES = {
    ErrorCode.ENOTFOUND: libacct.NotFoundError,
    ErrorCode.EEXISTS: libacct.ExistsError,
    ErrorCode.EINVALID: libacct.InvalidError,
    ErrorCode.ENOMEM: libacct.NoMemoryError,
    ErrorCode.EDENIED: libacct.DeniedError,
    ErrorCode.EPARSE: libacct.ParseError,
    ErrorCode.ENOTSUPPORTED: libacct.NotSupportedError,
    ErrorCode.EUSER: libacct.UserError,
    ErrorCode.EAUTH: libacct.AuthError,
    ErrorCode.EDISABLED: libacct.DisabledError,
    ErrorCode.ELOCKED: libacct.LockedError,
    ErrorCode.ELIMIT: libacct.LimitError,
    ErrorCode.ESTATUS: libacct.StatusError,
    ErrorCode.EOWNER: libacct.OwnerError,
    ErrorCode.ESTORAGE: libacct.StorageError,
    ErrorCode.EKEY: libacct.SecretKeyError,
    ErrorCode.EVERSION: libacct.VersionError,
    ErrorCode.ENETWORK: libacct.NetworkError,
}


class TestClasses(unittest.TestCase):
    def test_one_class_per_code(self):
        failures = {c for c in ErrorCode if c < 0 and c not in (ErrorCode.ERROR, ErrorCode.ITEROVER)}
        self.assertEqual(set(CLASSES), failures)
        self.assertEqual(set(errors.BY_CODE), {int(c) for c in failures})
        for code, cls in CLASSES.items():
            self.assertIs(errors.BY_CODE[code], cls)
            self.assertTrue(issubclass(cls, libacct.AcctError))
            self.assertEqual(cls.code, code)

    def test_attributes(self):
        for code, cls in CLASSES.items():
            e = errors.error_for(code, "it went wrong")
            self.assertIs(type(e), cls)
            self.assertEqual((e.code, e.plesk_code, e.message, str(e)),
                             (code, lib.acct_error_plesk_code(code), "it went wrong", "it went wrong"))
            self.assertIn(cls.__name__, repr(e))
            default = cls()
            self.assertEqual(default.message, libacct.strerror(code))

    def test_generic_and_unknown_codes(self):
        e = errors.error_for(_ffi.ACCT_ERROR, "generic")
        self.assertIs(type(e), libacct.AcctError)
        self.assertEqual(e.plesk_code, 1023)
        e = errors.error_for(-99, "")
        self.assertIs(type(e), libacct.AcctError)
        self.assertEqual((e.code, e.message), (-99, "unknown error"))

    def test_python_base_classes(self):
        self.assertTrue(issubclass(libacct.NotFoundError, LookupError))
        self.assertTrue(issubclass(libacct.InvalidError, ValueError))
        self.assertTrue(issubclass(libacct.NoMemoryError, MemoryError))
        self.assertFalse(issubclass(libacct.SecretKeyError, KeyError))

    def test_pickle(self):
        e = libacct.DeniedError("nope", plesk_code=1006)
        e2 = pickle.loads(pickle.dumps(e))
        self.assertIs(type(e2), libacct.DeniedError)
        self.assertEqual((e2.code, e2.plesk_code, e2.message), (e.code, e.plesk_code, e.message))
        self.assertIsNone(e2.deny_kind)
        e = libacct.LimitError("too many", deny_kind=libacct.DenyKind.RULE)
        e2 = pickle.loads(pickle.dumps(e))
        self.assertIs(e2.deny_kind, libacct.DenyKind.RULE)

    def test_deny_kind_attribute(self):
        self.assertIsNone(libacct.AcctError().deny_kind)
        self.assertIsNone(errors.error_for(ErrorCode.EDENIED, "x", deny_kind=0).deny_kind)
        e = errors.error_for(ErrorCode.EDENIED, "x", deny_kind=_ffi.ACCT_DENY_METHOD)
        self.assertIs(e.deny_kind, libacct.DenyKind.METHOD)
        self.assertIn("deny_kind=DenyKind.METHOD", repr(e))
        newer = errors.error_for(ErrorCode.EDENIED, "x", deny_kind=42)  # a kind newer than the bindings
        self.assertEqual((newer.deny_kind, type(newer.deny_kind)), (42, int))
        self.assertNotIn("deny_kind", repr(libacct.NotFoundError("x")))


class TestErrcheck(unittest.TestCase):
    def test_reads_the_message_of_this_failure(self):
        o = _ffi.acct_ctx_options()
        with self.assertRaises(libacct.InvalidError) as cm:
            lib.acct_ctx_options_init(ctypes.byref(o), 99)
        self.assertIn("99", cm.exception.message)
        self.assertEqual(cm.exception.plesk_code, 1019)

    def test_failure_without_details_uses_the_static_text(self):
        lib.acct_error_clear()
        with self.assertRaises(libacct.NotFoundError) as cm:
            errors.check(_ffi.ACCT_ENOTFOUND)
        self.assertEqual(cm.exception.message, libacct.strerror(_ffi.ACCT_ENOTFOUND))

    def test_passes_success_counts_and_iterover(self):
        self.assertEqual(errors.check(0), 0)
        self.assertEqual(errors.check(7), 7)
        self.assertEqual(errors.check(_ffi.ACCT_ITEROVER), _ffi.ACCT_ITEROVER)

    def test_details_are_per_thread(self):
        barrier = threading.Barrier(2)
        results = {}

        def worker(version):
            o = _ffi.acct_ctx_options()
            try:
                lib.acct_ctx_options_init(ctypes.byref(o), version)
            except libacct.InvalidError as e:
                results[version] = [e.message]
            barrier.wait()  # both threads have failed before either reads again
            results[version].append(errors.last_error()[2])

        threads = [threading.Thread(target=worker, args=(v,)) for v in (77, 88)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for v in (77, 88):
            self.assertIn(str(v), results[v][0])
            self.assertEqual(results[v][0], results[v][1])


class TestCodesFromOperations(unittest.TestCase):
    """Each code libacct 0.1 produces, reached through the Pythonic layer."""

    @classmethod
    def setUpClass(cls):
        cls.ctx = S.memory_ctx()
        cls.s = cls.ctx.session_as(1)
        cls.r = cls.s.add_reseller(1, "err-r1", "Reseller", password="secret-r1")
        cls.c = cls.s.add_customer(cls.r, "err-c1", "Customer", password="secret-c1")

    @classmethod
    def tearDownClass(cls):
        cls.ctx.close()

    def test_auth(self):
        with self.assertRaises(libacct.AuthError) as cm:
            self.ctx.login("err-c1", "wrong-password")
        self.assertEqual(cm.exception.plesk_code, 1001)
        with self.assertRaises(libacct.AuthError):
            self.ctx.login("nobody-at-all", "whatever")

    def test_not_found(self):
        with self.assertRaises(libacct.NotFoundError):
            self.s.get(999)
        with self.assertRaises(libacct.NotFoundError):
            self.s.get_by_login("nobody-at-all")

    def test_exists(self):
        with self.assertRaises(libacct.ExistsError) as cm:
            self.s.add_customer(1, "ERR-C1", "Same login, other case")
        self.assertIn("err-c1", cm.exception.message.lower())

    def test_invalid(self):
        with self.assertRaises(libacct.InvalidError) as cm:
            self.s.add_customer(1, "err-bad", "Bad", email="not an address")
        self.assertIn("mail", cm.exception.message)

    def test_denied(self):
        with self.ctx.login("err-r1", "secret-r1") as rs:
            with self.assertRaises(libacct.DeniedError) as cm:
                rs.add_reseller(1, "err-r2", "Nope")
        self.assertIn("resellers", cm.exception.message)

    def test_owner(self):
        with self.assertRaises(libacct.OwnerError):
            self.s.add_customer(self.c, "err-c2", "Customer of a customer")

    def test_status(self):
        with self.assertRaises(libacct.StatusError):
            self.s.set_status(self.c, 8)

    def test_disabled(self):
        self.s.suspend(self.r)
        try:
            with self.assertRaises(libacct.DisabledError) as cm:
                self.ctx.login("err-c1", "secret-c1")
            self.assertIn("err-r1", cm.exception.message)
        finally:
            self.s.activate(self.r)

    def test_locked(self):
        with S.memory_ctx(lockout_attempts=2, lockout_window=60, lockout_duration=60) as ctx:
            for _ in range(2):
                with self.assertRaises(libacct.AuthError):
                    ctx.login(S.ADMIN, "wrong-password")
            with self.assertRaises(libacct.LockedError) as cm:
                ctx.login(S.ADMIN, S.ADMIN_PW)
            self.assertEqual(cm.exception.plesk_code, 1012)

    def test_parse_error_from_a_corrupt_store(self):
        store = S.DictStorage()
        S.dict_ctx(store).close()
        key = next(k for k in store.keys if k.startswith(b"a"))
        store.data[key] = b"\x01\xff\xff\xff garbage"  # right format byte, broken TLV
        with self.assertRaises(libacct.ParseError):
            S.dict_ctx(store)

    def test_version_error_from_a_newer_store(self):
        store = S.DictStorage()
        S.dict_ctx(store).close()
        store.data[b"v"] = b"\x63"
        with self.assertRaises(libacct.VersionError) as cm:
            S.dict_ctx(store)
        self.assertIn("99", cm.exception.message)

    def test_deny_kind_says_which_rule_refused(self):
        """acct_error.deny_kind reaches AcctError.deny_kind; failures that are not refusals have None."""
        with self.ctx.login("err-r1", "secret-r1") as rs:
            with self.assertRaises(libacct.DeniedError) as cm:
                rs.add_reseller(1, "err-r2", "Nope")
            self.assertIsInstance(cm.exception.deny_kind, libacct.DenyKind)
            with self.assertRaises(libacct.NotFoundError) as cm:
                rs.get(1)  # outside its scope
            self.assertIs(cm.exception.deny_kind, libacct.DenyKind.OBJECT)
            with self.assertRaises(libacct.DeniedError) as cm:
                rs.set_limit(self.r, "max_dom", 1)  # its own limits
            self.assertIs(cm.exception.deny_kind, libacct.DenyKind.RULE)
            with self.assertRaises(libacct.InvalidError) as cm:
                rs.add_customer(self.r, "err-bad2", "Bad", email="not an address")
            self.assertIsNone(cm.exception.deny_kind, "a bad value is not a refusal by the policy")
        with self.assertRaises(libacct.AuthError) as cm:
            self.ctx.login("err-c1", "wrong-password")
        self.assertIsNone(cm.exception.deny_kind)
        self.s.set_limit(self.r, "max_cl", 1)
        try:
            with self.assertRaises(libacct.LimitError) as cm:
                self.s.add_customer(self.r, "err-c3", "One too many")
            self.assertIs(cm.exception.deny_kind, libacct.DenyKind.RULE)
        finally:
            self.s.unset_limit(self.r, "max_cl")
        cs = self.ctx.session_as(self.c)
        self.s.suspend(self.r)
        try:
            with self.assertRaises(libacct.DisabledError) as cm:
                cs.get(self.c)  # the session's account is disabled through its owner
            self.assertIs(cm.exception.deny_kind, libacct.DenyKind.DISABLED)
        finally:
            self.s.activate(self.r)
            cs.close()

    def test_every_code_passes_through_a_backend(self):
        """A backend raising an AcctError subclass: C returns its code, Python gets that class back."""
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            for code, cls in CLASSES.items():
                if code == ErrorCode.ENOTFOUND:
                    continue  # from get() it means "absent"; libacct reports a corrupt store instead
                store.fail["get"] = cls(f"backend says {code.name}")
                with self.assertRaises(cls) as cm:
                    s.get(1)
                self.assertIn(f"backend says {code.name}", cm.exception.message)
                self.assertEqual(cm.exception.code, code)
            del store.fail["get"]


if __name__ == "__main__":
    unittest.main()
