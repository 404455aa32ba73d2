"""Context and Session: construction, options, state getters, sessions, clock."""

from __future__ import annotations

import datetime
import unittest
import warnings

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import _callbacks


class TestMemoryContext(unittest.TestCase):
    def setUp(self):
        self.ctx = S.memory_ctx()

    def tearDown(self):
        self.ctx.close()

    def test_fresh_store(self):
        self.assertEqual(self.ctx.account_count, 1)
        self.assertEqual(self.ctx.generation, 1)
        self.assertGreater(self.ctx.index_bytes, 0)
        self.assertIsNone(self.ctx.storage_backend)
        self.assertIn("memory", repr(self.ctx))
        self.assertFalse(self.ctx.closed)

    def test_generation_moves_with_writes(self):
        g = self.ctx.generation
        with self.ctx.session_as(1) as s:
            s.add_customer(1, "gen1", "G")
            self.assertEqual(self.ctx.generation, g + 1)
            s.get(1)  # a read does not move it
            self.assertEqual(self.ctx.generation, g + 1)
        self.ctx.refresh()  # nothing changed elsewhere: a no-op
        self.assertEqual(self.ctx.account_count, 2)

    def test_login(self):
        with self.ctx.login(S.ADMIN, S.ADMIN_PW) as s:
            self.assertEqual(s.account_id, 1)
            self.assertIs(s.context, self.ctx)
            admin = s.account
            self.assertEqual((admin.id, admin.type, admin.login, admin.name),
                             (1, libacct.AccountType.ADMIN, S.ADMIN, "Administrator"))
            self.assertIn("account=1", repr(s))
        with self.assertRaises(libacct.AuthError):
            self.ctx.login(S.ADMIN, "not-the-password")

    def test_login_arguments(self):
        with self.assertRaises(libacct.InvalidError):
            self.ctx.login(S.ADMIN + "\0x", S.ADMIN_PW)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.login(None, S.ADMIN_PW)  # type: ignore[arg-type]
        with self.assertRaises(TypeError):
            self.ctx.login(b"admin", S.ADMIN_PW)  # type: ignore[arg-type]

    def test_session_as(self):
        with self.ctx.session_as(1) as s:
            c = s.add_customer(1, "sa1", "Customer")
        with self.ctx.session_as(c) as cs:  # an Account works as an id
            self.assertEqual(cs.account_id, c.id)
        for bad in (0, 999):
            with self.assertRaises(libacct.NotFoundError):
                self.ctx.session_as(bad)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.session_as(-1)
        with self.assertRaises(TypeError):
            self.ctx.session_as("1")  # type: ignore[arg-type]

    def test_constructors_are_factories(self):
        with self.assertRaises(TypeError):
            libacct.Context()
        with self.assertRaises(TypeError):
            libacct.Session()


class TestOptions(unittest.TestCase):
    def test_password_cost_range(self):
        for bad in (-1, 21):
            with self.assertRaises(libacct.InvalidError) as cm:
                libacct.Context.memory(S.ADMIN, S.ADMIN_PW, bad)
            self.assertIn("password_cost", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            libacct.Context.memory(S.ADMIN, S.ADMIN_PW, 2**32 + 4)  # not silently 4

    def test_admin_password_rules(self):
        with self.assertRaises(libacct.InvalidError) as cm:
            libacct.Context.memory(S.ADMIN, "abc", S.COST)
        self.assertIn("password", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            libacct.Context.memory("bad login with spaces", S.ADMIN_PW, S.COST)

    def test_lockout_off(self):
        with S.memory_ctx(lockout_attempts=-1) as ctx:
            for _ in range(8):
                with self.assertRaises(libacct.AuthError):
                    ctx.login(S.ADMIN, "wrong-password")
            ctx.login(S.ADMIN, S.ADMIN_PW).close()

    def test_clock(self):
        t = int(datetime.datetime(2001, 2, 3, 12, tzinfo=datetime.timezone.utc).timestamp())
        with S.memory_ctx(clock=lambda: t) as ctx, ctx.session_as(1) as s:
            self.assertEqual(s.account.created_at, t)
            c = s.add_customer(1, "clock1", "C")
            self.assertEqual((c.created_at, c.created), (t, "2001-02-03"))

    def test_clock_failures_are_reported_not_fatal(self):
        calls = []

        def bad_clock():
            calls.append(1)
            if len(calls) > 1:
                raise RuntimeError("clock broke")
            return 1000

        with S.memory_ctx(clock=bad_clock) as ctx, ctx.session_as(1) as s:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                c = s.add_customer(1, "clock2", "C")
            self.assertTrue(any("clock broke" in str(x.message) for x in w), [str(x.message) for x in w])
            self.assertGreater(c.created_at, 1000)  # fell back to the system clock

    def test_clock_must_not_call_libacct(self):
        holder = {}

        def sneaky_clock():
            if "s" in holder:
                holder["s"].get(1)  # would deadlock: the context is locked
            return 5000

        with S.memory_ctx(clock=sneaky_clock) as ctx, ctx.session_as(1) as s:
            holder["s"] = s
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                s.add_customer(1, "clock3", "C")
            self.assertTrue(any("callback of its own context" in str(x.message) for x in w))

    def test_clock_type_checked(self):
        with self.assertRaises(TypeError):
            libacct.Context.memory(S.ADMIN, S.ADMIN_PW, S.COST, clock=5)  # type: ignore[arg-type]
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            with S.memory_ctx(clock=lambda: "soon") as ctx:  # type: ignore[arg-type,return-value]
                pass
        self.assertTrue(any("TypeError" in str(x.message) for x in w))
        self.assertEqual(ctx.closed, True)

    def test_clock_released_on_close(self):
        before = len(_callbacks.REGISTRY)
        ctx = S.memory_ctx(clock=lambda: 1)
        self.assertEqual(len(_callbacks.REGISTRY), before + 1)
        ctx.close()
        self.assertEqual(len(_callbacks.REGISTRY), before)
        with self.assertRaises(libacct.InvalidError):
            libacct.Context.memory(S.ADMIN, "x", S.COST, clock=lambda: 1)  # failed open
        self.assertEqual(len(_callbacks.REGISTRY), before)


class TestSharedStore(unittest.TestCase):
    """Two contexts over one store: the generation key tells each about the other's writes."""

    def test_refresh_and_automatic_reload(self):
        first = S.DictStorage()
        a = S.dict_ctx(first)
        b = S.dict_ctx(S.DictStorage(share=first))
        try:
            self.assertEqual(b.account_count, 1)
            with a.session_as(1) as sa:
                sa.add_customer(1, "shared1", "Shared")
            self.assertEqual(b.account_count, 1)  # b has not looked yet
            b.refresh()
            self.assertEqual(b.account_count, 2)
            self.assertEqual(b.generation, a.generation)
            with a.session_as(1) as sa:
                sa.add_customer(1, "shared2", "Shared")
            with b.session_as(1) as sb:
                self.assertEqual(sb.get_by_login("shared2").name, "Shared")  # reads reload on their own
        finally:
            a.close()
            b.close()


if __name__ == "__main__":
    unittest.main()
