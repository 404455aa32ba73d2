"""Storage backends written in Python: the vtable, a full lifecycle, failing callbacks, ownership."""

from __future__ import annotations

import gc
import unittest
import warnings

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import _callbacks


class Boom(Exception):
    """A host failure."""


class TestLifecycle(unittest.TestCase):
    def test_add_lookup_delete_iterate(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx:
            self.assertIs(ctx.storage_backend, store)
            self.assertIn("DictStorage", repr(ctx))
            with ctx.login(S.ADMIN, S.ADMIN_PW) as s:
                r = s.add_reseller(1, "ds-r", "Reseller", password="pw-reseller", email="r@ds.example")
                c = s.add_customer(r, "ds-c", "Customer")
                u = s.add_user(c, "ds-u", "User")
                self.assertEqual(s.get_by_login("DS-C").id, c.id)
                self.assertEqual(s.get_by_guid(u.guid).login, "ds-u")
                self.assertEqual(list(s.descendants(1)), [r.id, c.id, u.id])
                c.city = "Oslo"
                c.save()
                s.delete(u)
                self.assertEqual(list(s.children(c)), [])
                self.assertEqual(ctx.account_count, 3)
            self.assertEqual(store.in_tx, None, "every transaction ended")
            self.assertEqual(store.keys, sorted(store.data))
            for name in ("begin", "commit", "get", "put", "delete", "iterate"):
                self.assertGreater(store.calls.get(name, 0), 0, name)
        self.assertEqual(store.closed, 1)

    def test_reopen_loads_the_store(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            r = s.add_reseller(1, "keep-r", "R", password="pw-reseller")
            s.add_customer(r, "keep-c", "C", city="Bergen")
            gen = ctx.generation
        with libacct.Context.open(store, password_cost=S.COST) as ctx:  # no admin needed: the store has one
            self.assertEqual(ctx.account_count, 3)
            self.assertEqual(ctx.generation, gen)
            with ctx.login("keep-r", "pw-reseller") as rs:
                self.assertEqual(rs.get_by_login("keep-c").city, "Bergen")
        self.assertEqual(store.closed, 2)

    def test_empty_store_needs_an_admin(self):
        store = S.DictStorage()
        before = len(_callbacks.REGISTRY)
        with self.assertRaises(libacct.InvalidError) as cm:
            libacct.Context.open(store, password_cost=S.COST)
        self.assertIn("admin_login", cm.exception.message)
        self.assertEqual(store.closed, 0, "a failed open leaves the backend to the caller")
        self.assertEqual(len(_callbacks.REGISTRY), before, "the vtable's references were dropped")
        with S.dict_ctx(store) as ctx:  # the same backend can be used again
            self.assertEqual(ctx.account_count, 1)

    def test_not_a_backend(self):
        with self.assertRaises(TypeError):
            libacct.Context.open(object())  # type: ignore[arg-type]

    def test_base_class_methods_raise(self):
        with self.assertRaises(NotImplementedError):
            libacct.Context.open(libacct.StorageBackend(), S.ADMIN, S.ADMIN_PW, S.COST)
        libacct.StorageBackend().close()  # optional: a no-op

    def test_generator_backend_is_closed_by_libacct(self):
        finished = []

        class GenStorage(S.DictStorage):
            def iterate(self, prefix):
                items = list(super().iterate(prefix))
                try:
                    yield from items
                finally:
                    finished.append(prefix)

        store = GenStorage()
        with S.dict_ctx(store) as ctx:
            self.assertGreater(len(finished), 0)
            self.assertEqual(ctx.account_count, 1)

    def test_registry_is_released(self):
        before = len(_callbacks.REGISTRY)
        ctx = S.dict_ctx()
        self.assertEqual(len(_callbacks.REGISTRY), before + 1)
        ctx.close()
        self.assertEqual(len(_callbacks.REGISTRY), before)

    def test_garbage_collected_context_frees_its_backend(self):
        store = S.DictStorage()
        ctx = S.dict_ctx(store)
        s = ctx.session_as(1)
        s.add_customer(1, "gc-c", "C")
        del ctx, s
        gc.collect()
        self.assertEqual(store.closed, 1)


class TestFailingCallbacks(unittest.TestCase):
    """Every method raising: the exception reaches the caller, the store is unchanged."""

    def setUp(self):
        self.store = S.DictStorage()
        self.ctx = S.dict_ctx(self.store)
        self.s = self.ctx.session_as(1)
        self.c = self.s.add_customer(1, "fail-c", "C")

    def tearDown(self):
        self.store.fail.clear()
        self.ctx.close()

    def _assert_reraised(self, method, op, exc=None):
        exc = exc or Boom(f"{method} failed")
        snapshot = dict(self.store.data)
        self.store.fail[method] = exc
        try:
            with self.assertRaises(type(exc)) as cm:
                op()
        finally:
            del self.store.fail[method]
        self.assertIs(cm.exception, exc, "the very exception object is re-raised")
        notes = getattr(cm.exception, "__notes__", [])
        if notes:  # Python 3.11+: libacct's own words are attached
            self.assertTrue(any("libacct" in n for n in notes), notes)
        self.assertEqual(self.store.data, snapshot, "nothing changed")
        self.assertIsNone(self.store.in_tx)
        self.assertFalse(_callbacks.pending())
        return cm.exception

    def test_begin(self):
        self._assert_reraised("begin", lambda: self.s.get(self.c))

    def test_get(self):
        self._assert_reraised("get", lambda: self.s.get(self.c))

    def test_put(self):
        self._assert_reraised("put", lambda: self.s.add_customer(1, "fail-new", "N"))
        self.assertEqual(self.ctx.account_count, 2)

    def test_delete(self):
        self._assert_reraised("delete", lambda: self.s.delete(self.c))
        self.assertEqual(self.s.get(self.c).login, "fail-c")

    def test_commit_of_a_write(self):
        self._assert_reraised("commit", lambda: self.s.set_status(self.c, libacct.Status.BY_ADMIN))
        self.assertEqual(self.s.get(self.c).status, 0)

    def test_iterate(self):
        shared = S.DictStorage(share=self.store)
        shared.fail["iterate"] = Boom("no cursor")
        with self.assertRaises(Boom):
            libacct.Context.open(shared, password_cost=S.COST)
        self.assertEqual(shared.closed, 0)

    def test_iterator_next(self):
        class BadIter(S.DictStorage):
            def iterate(self, prefix):
                yield from super().iterate(prefix)
                raise Boom("cursor lost")

        with self.assertRaises(Boom):
            libacct.Context.open(BadIter(share=self.store), password_cost=S.COST)

    def test_base_exceptions_are_not_swallowed(self):
        exc = KeyboardInterrupt()
        self.store.fail["get"] = exc
        try:
            with self.assertRaises(KeyboardInterrupt):
                self.s.get(self.c)
        finally:
            del self.store.fail["get"]
        self.assertIsNone(self.store.in_tx)

    def test_rollback_failure_is_attached_to_the_first(self):
        self.store.fail["put"] = Boom("put failed")
        self.store.fail["rollback"] = Boom("rollback failed too")
        try:
            with self.assertRaises(Boom) as cm:
                self.s.add_customer(1, "fail-new", "N")
        finally:
            self.store.fail.clear()
        self.assertEqual(str(cm.exception), "put failed")
        notes = getattr(cm.exception, "__notes__", None)
        if notes is not None:
            self.assertTrue(any("rollback failed too" in n for n in notes), notes)
        self.store.in_tx = None  # the test backend's rollback really failed

    def test_rollback_failure_after_a_libacct_error(self):
        self.store.fail["rollback"] = Boom("rollback failed")
        try:
            with self.assertRaises(libacct.ExistsError) as cm:
                self.s.add_customer(1, "fail-c", "duplicate login")
        finally:
            self.store.fail.clear()
        self.assertIsInstance(cm.exception.__cause__, Boom)
        self.store.in_tx = None

    def test_commit_of_a_read_is_not_fatal(self):
        self.store.fail["commit"] = Boom("read commit failed")
        try:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                self.assertEqual(self.s.get(self.c).login, "fail-c")
        finally:
            self.store.fail.clear()
        self.assertTrue(any("read commit failed" in str(x.message) for x in w))
        self.assertTrue(all(issubclass(x.category, RuntimeWarning) for x in w))
        self.store.in_tx = None

    def test_acct_errors_pass_through_with_their_code(self):
        self.store.fail["put"] = libacct.StorageError("disk full")
        try:
            with self.assertRaises(libacct.StorageError) as cm:
                self.s.add_customer(1, "fail-new", "N")
        finally:
            self.store.fail.clear()
        self.assertIn("disk full", cm.exception.message)
        self.assertEqual(cm.exception.plesk_code, 1023)

    def test_message_reaches_libacct(self):
        exc = self._assert_reraised("get", lambda: self.s.get(self.c), Boom("the \0 database is down"))
        notes = getattr(exc, "__notes__", None)
        if notes is not None:
            self.assertTrue(any("Boom: the \\0 database is down" in n for n in notes), notes)

    def test_bad_return_types(self):
        class WrongGet(S.DictStorage):
            def get(self, key):
                v = super().get(key)
                return None if v is None else v.decode("latin-1")

        with self.assertRaises(TypeError):
            libacct.Context.open(WrongGet(share=self.store), password_cost=S.COST)

    def test_keys_out_of_order_are_refused(self):
        class Unsorted(S.DictStorage):
            def iterate(self, prefix):
                return list(reversed(list(super().iterate(prefix))))

        with self.assertRaises(libacct.StorageError) as cm:
            libacct.Context.open(Unsorted(share=self.store), password_cost=S.COST)
        self.assertIn("out of order", cm.exception.message)

    def test_keys_without_the_prefix_are_refused(self):
        class Sloppy(S.DictStorage):
            def iterate(self, prefix):
                return [(k, self.data[k]) for k in self.keys]  # ignores the prefix

        with self.assertRaises(libacct.StorageError) as cm:
            libacct.Context.open(Sloppy(share=self.store), password_cost=S.COST)
        self.assertIn("prefix", cm.exception.message)

    def test_calling_the_context_from_a_callback(self):
        s = self.s

        class Reentrant(S.DictStorage):
            armed = False

            def get(self, key):
                if self.armed:
                    s.get(1)  # libacct holds the context's lock: refused, not a deadlock
                return super().get(key)

        self.ctx.close()
        store = Reentrant(share=self.store)
        self.ctx = libacct.Context.open(store, password_cost=S.COST)
        s = self.s = self.ctx.session_as(1)
        store.armed = True
        with self.assertRaises(libacct.InvalidError) as cm:
            s.get(1)
        self.assertIn("callback", cm.exception.message)
        store.armed = False
        self.assertEqual(s.get(1).id, 1)


class TestBackendClose(unittest.TestCase):
    def test_close_called_once_and_its_exception_propagates(self):
        class BadClose(S.DictStorage):
            def close(self):
                super().close()
                raise Boom("close failed")

        store = BadClose()
        ctx = S.dict_ctx(store)
        with self.assertRaises(Boom):
            ctx.close()
        self.assertTrue(ctx.closed)
        ctx.close()  # already closed: nothing happens
        self.assertEqual(store.closed, 1)

    def test_context_manager_closes_sessions_first(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx:
            s = ctx.session_as(1)
            gen = s.children(1)
        self.assertTrue(s.closed)
        with self.assertRaises(libacct.InvalidError):
            next(gen)
        self.assertEqual(store.closed, 1)


if __name__ == "__main__":
    unittest.main()
