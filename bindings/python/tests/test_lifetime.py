"""Objects used after close() raise InvalidError, never crash; close() is safe against concurrent use."""

from __future__ import annotations

import gc
import sys
import threading
import time
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import Account, AccountType


def closed_error(test: unittest.TestCase, fn, *args):
    with test.assertRaises(libacct.InvalidError) as cm:
        fn(*args)
    test.assertIn("closed", cm.exception.message)
    test.assertIsInstance(cm.exception, ValueError)


class TestClosedObjects(unittest.TestCase):
    def test_context(self):
        ctx = S.memory_ctx()
        ctx.close()
        self.assertTrue(ctx.closed)
        for fn, args in ((ctx.login, (S.ADMIN, S.ADMIN_PW)), (ctx.session_as, (1,)), (ctx.refresh, ())):
            closed_error(self, fn, *args)
        for prop in ("generation", "account_count", "index_bytes"):
            closed_error(self, getattr, ctx, prop)
        self.assertEqual(repr(ctx), "<Context closed>")
        ctx.close()
        with ctx:
            pass

    def test_session(self):
        ctx = S.memory_ctx()
        s = ctx.session_as(1)
        c = s.add_customer(1, "life-c", "C")
        s.close()
        self.assertTrue(s.closed)
        self.assertEqual(repr(s), "<Session closed>")
        new = Account(AccountType.CUSTOMER, login="life-n", name="N")
        calls = [
            (getattr, (s, "account_id")), (getattr, (s, "account")),
            (s.add, (1, new)), (s.add_reseller, (1, "x1", "X")), (s.add_customer, (1, "x2", "X")),
            (s.add_user, (1, "x3", "X")), (s.get, (1,)), (s.get_by_login, ("life-c",)),
            (s.get_by_guid, (c.guid,)), (s.get_by_external_id, ("e",)), (s.update, (c,)), (s.delete, (c,)),
            (s.set_status, (c, 16)), (s.suspend, (c,)), (s.activate, (c,)), (s.effective_status, (c,)),
            (s.change_owner, (c, 1)), (s.convert, (c, AccountType.RESELLER)), (s.children, (1,)),
            (s.descendants, (1,)), (s.foreach, (1, print)), (c.save, ()),
        ]
        for fn, args in calls:
            closed_error(self, fn, *args)
        # the account object is detached: still readable after its session closed
        self.assertEqual(c.login, "life-c")
        self.assertEqual(new.id, 0, "nothing was stored")
        s.close()
        ctx.close()

    def test_closing_the_context_closes_its_sessions(self):
        ctx = S.memory_ctx()
        s1, s2 = ctx.session_as(1), ctx.login(S.ADMIN, S.ADMIN_PW)
        c = s1.add_customer(1, "life-c", "C")
        ctx.close()
        self.assertTrue(s1.closed and s2.closed)
        closed_error(self, s1.get, 1)
        closed_error(self, s2.get, 1)
        # accounts outlive the context (they are copies)
        self.assertEqual((c.login, c.id), ("life-c", 2))
        c.city = "Oslo"
        closed_error(self, c.save)

    def test_account(self):
        a = Account(AccountType.CUSTOMER, login="acc", name="A")
        a.close()
        self.assertTrue(a.closed)
        for prop in ("id", "type", "owner", "status", "created_at", "login", "name", "guid", "created"):
            closed_error(self, getattr, a, prop)
        closed_error(self, setattr, a, "name", "B")
        closed_error(self, a.get, libacct.Field.NAME)
        closed_error(self, a.set, libacct.Field.NAME, "B")
        closed_error(self, a.description, 1)
        closed_error(self, a.set_description, 1, "x")
        closed_error(self, a.to_dict)
        with S.memory_ctx() as ctx, ctx.session_as(1) as s:
            closed_error(self, s.add, 1, a)
        a.close()
        with Account(AccountType.USER, login="w", name="W") as b:
            pass
        self.assertTrue(b.closed)

    def test_generators(self):
        ctx = S.memory_ctx()
        s = ctx.session_as(1)
        for i in range(3):
            s.add_customer(1, f"gen{i}", "G")
        g = s.children(1)
        self.assertEqual(next(g), 2)
        s.close()
        closed_error(self, next, g)
        # breaking out of a loop frees the C iterator at once
        s = ctx.session_as(1)
        for _ in s.descendants(1):
            break
        gc.collect()
        self.assertEqual(len(s._h._children), 0)
        # an unstarted generator frees it when collected
        g = s.children(1)
        self.assertEqual(len(s._h._children), 1)
        del g
        gc.collect()
        self.assertEqual(len(s._h._children), 0)
        ctx.close()

    def test_finalizers(self):
        store = S.DictStorage()
        ctx = S.dict_ctx(store)
        s = ctx.session_as(1)
        a = s.add_customer(1, "fin", "F")
        h_ctx, h_s, h_a = ctx._h, s._h, a._h
        del ctx, s, a
        gc.collect()
        self.assertTrue(h_ctx.closed and h_s.closed and h_a.closed)
        self.assertEqual(store.closed, 1)


class TestCollectedInsideCallbacks(unittest.TestCase):
    def test_objects_collected_inside_a_storage_callback(self):
        holder = {}
        unraisable = []

        class Collector(S.DictStorage):
            armed = False

            def get(self, key):
                if self.armed:
                    self.armed = False
                    holder.clear()  # the last references: the finalizers run here, inside the callback
                    gc.collect()
                return super().get(key)

        store = Collector()
        old_hook = sys.unraisablehook
        sys.unraisablehook = unraisable.append
        try:
            with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
                other = ctx.session_as(1)
                gen = other.children(1)
                handles = (other._h, gen.gi_frame.f_locals["h"] if gen.gi_frame else None)
                holder["objects"] = [other, gen]
                del other, gen
                store.armed = True
                self.assertEqual(s.get(1).id, 1)
                self.assertTrue(handles[0].closed)
        finally:
            sys.unraisablehook = old_hook
        self.assertEqual(unraisable, [])


class SlowStorage(S.DictStorage):
    """get() blocks on `gate` once `armed`, so a test can hold a call in progress."""

    def __init__(self):
        super().__init__()
        self.armed = False
        self.entered = threading.Event()
        self.gate = threading.Event()

    def get(self, key):
        if self.armed and threading.current_thread().name == "slow":
            self.entered.set()
            self.gate.wait(10)
        return super().get(key)


class TestConcurrentClose(unittest.TestCase):
    def test_close_waits_for_calls_in_progress(self):
        store = SlowStorage()
        ctx = S.dict_ctx(store)
        s = ctx.session_as(1)
        result = {}

        def slow_reader():
            try:
                result["login"] = s.get(1).login
            except BaseException as e:  # pragma: no cover - reported below
                result["error"] = e

        store.armed = True
        t = threading.Thread(target=slow_reader, name="slow")
        t.start()
        self.assertTrue(store.entered.wait(10))
        closer = threading.Thread(target=ctx.close)
        closer.start()
        time.sleep(0.2)
        self.assertTrue(closer.is_alive(), "close() must wait for the call in progress")
        self.assertTrue(ctx.closed, "but new calls are refused at once")
        closed_error(self, ctx.session_as, 1)
        store.gate.set()
        t.join(10)
        closer.join(10)
        self.assertEqual(result, {"login": S.ADMIN})
        self.assertEqual(store.closed, 1)
        closed_error(self, s.get, 1)

    def test_close_from_a_callback_is_refused(self):
        holder = {}

        class Closer(S.DictStorage):
            armed = False

            def get(self, key):
                if self.armed:
                    self.armed = False
                    holder["ctx"].close()
                return super().get(key)

        store = Closer()
        ctx = holder["ctx"] = S.dict_ctx(store)
        s = ctx.session_as(1)
        store.armed = True
        with self.assertRaises(libacct.InvalidError):
            s.get(1)
        self.assertFalse(ctx.closed, "the refused close() left the context usable")
        self.assertEqual(s.get(1).id, 1)
        ctx.close()

    def test_close_session_from_foreach_is_refused(self):
        with S.memory_ctx() as ctx, ctx.session_as(1) as s:
            s.add_customer(1, "fe", "F")
            with self.assertRaises(libacct.InvalidError):
                s.foreach(1, lambda i: s.close())
            self.assertFalse(s.closed)
            with self.assertRaises(libacct.InvalidError):
                s.foreach(1, lambda i: ctx.close())
            self.assertFalse(ctx.closed)


if __name__ == "__main__":
    unittest.main()
