"""The audit hook (acct/audit.h): Context.set_audit() and AuditEvent."""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import AuditEvent, ErrorCode, _callbacks


class Base(unittest.TestCase):
    def setUp(self):
        self.now = 1_700_000_000
        self.ctx = S.memory_ctx(clock=lambda: self.now)
        self.admin = a = self.ctx.session_as(1)
        self.r1 = a.add_reseller(1, "r1", "Reseller One", password="r1-secret").id
        self.c1 = a.add_customer(self.r1, "c1", "Customer One", password="c1-secret").id
        self.events = []

    def tearDown(self):
        self.ctx.close()

    def ops(self):
        return [e.operation for e in self.events]


class TestEvents(Base):
    def test_writes_denials_and_logins(self):
        self.ctx.set_audit(self.events.append)
        self.assertEqual(self.ctx.audit, self.events.append)
        c2 = self.admin.add_customer(self.r1, "c2", "Customer Two").id
        ev = self.events[-1]
        self.assertIsInstance(ev, AuditEvent)
        self.assertEqual((ev.time, ev.actor, ev.operation, ev.result, ev.text, ev.ok),
                         (self.now, 1, "account.add", ErrorCode.OK, "", True))
        self.admin.set_limit(c2, "max_db", 3)
        self.admin.grant(self.r1, "manage_dns")
        self.admin.delete(c2)
        self.assertEqual(self.ops(), ["account.add", "limit.set", "perm.grant", "account.delete"])
        self.assertEqual(self.events[1].target, c2)

        del self.events[:]
        cs = self.ctx.login("c1", "c1-secret")
        self.assertFalse(cs.check("manage_dns", self.c1))  # a denied check is audited ...
        self.assertFalse(cs.check("manage_dns", 1))
        self.assertTrue(self.admin.check("manage_dns", self.c1))  # ... an allowed one is not
        with self.assertRaises(libacct.AuthError):
            self.ctx.login("c1", "wrong-password")
        with self.assertRaises(libacct.DeniedError):
            cs.set_limit(self.c1, "max_db", 1)
        login, check, check_outside, failed, refused = self.events
        self.assertEqual((login.operation, login.actor, login.target, login.detail, login.result),
                         ("session.open", self.c1, self.c1, "c1", 0))
        self.assertEqual((check.operation, check.actor, check.target, check.detail, check.result),
                         ("check", self.c1, self.c1, "manage_dns", ErrorCode.EDENIED))
        self.assertIn("manage_dns", check.text)
        self.assertEqual(check_outside.result, ErrorCode.ENOTFOUND)
        self.assertEqual((failed.operation, failed.actor, failed.result, failed.detail),
                         ("session.open", 0, ErrorCode.EAUTH, "c1"))
        self.assertEqual((refused.operation, refused.result, refused.ok), ("limit.set", ErrorCode.EDENIED, False))
        for e in self.events:
            for text in (e.text, e.detail):
                self.assertNotIn("secret", text, "passwords never appear in events")
        cs.close()

    def test_credentials_are_audited_without_secrets(self):
        self.ctx.set_audit(self.events.append)
        secret, kid = self.admin.create_key(self.c1, "127.0.0.1")
        self.ctx.login_key(secret, "127.0.0.1").close()
        with self.assertRaises(libacct.SecretKeyError):
            self.ctx.login_key(secret, "127.0.0.9")
        password, _ = self.admin.create_api_login(self.c1, "c1-api", libacct.PartnerRole.ALL_CLIENT)
        self.ctx.login_api("c1-api", password).close()
        token = self.admin.create_reset_token(self.c1)
        self.ctx.redeem_reset_token(token, "brand-new-secret")
        self.assertEqual(self.ops(), ["key.create", "session.open_key", "session.open_key", "apilogin.create",
                                      "session.open_api", "reset.create", "reset.redeem"])
        self.assertEqual(self.events[2].result, ErrorCode.EKEY)
        for e in self.events:
            for s in (secret, password, token, "brand-new-secret"):
                self.assertNotIn(s, e.text + e.detail)

    def test_event_is_a_frozen_copy(self):
        self.ctx.set_audit(self.events.append)
        with self.assertRaises(libacct.NotFoundError):
            self.admin.delete(999)
        ev = self.events[0]
        self.admin.add_customer(1, "later", "Later")  # libacct reuses its buffers: the copy must not change
        self.assertEqual((ev.operation, ev.target, ev.result), ("account.delete", 999, ErrorCode.ENOTFOUND))
        self.assertIn("999", ev.text)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            ev.operation = "x"

    def test_remove_and_replace(self):
        other = []
        self.ctx.set_audit(self.events.append)
        self.ctx.set_audit(other.append)
        self.admin.add_customer(1, "x1", "X")
        self.ctx.set_audit(None)
        self.assertIsNone(self.ctx.audit)
        self.admin.add_customer(1, "x2", "X")
        self.ctx.set_audit(None)  # twice is fine
        self.assertEqual((self.events, [e.operation for e in other]), ([], ["account.add"]))
        with self.assertRaises(TypeError):
            self.ctx.set_audit("not callable")

    def test_the_callback_is_kept_alive_while_installed(self):
        tokens = len(_callbacks.REGISTRY)
        seen = []
        self.ctx.set_audit(lambda e: seen.append(e.operation))  # the only reference is the bindings'
        self.assertEqual(len(_callbacks.REGISTRY), tokens + 1)
        first = self.ctx._audit.token
        gc.collect()
        self.admin.add_customer(1, "alive", "Alive")
        self.assertEqual(seen, ["account.add"])
        self.ctx.set_audit(lambda e: None)
        self.assertNotIn(first, _callbacks.REGISTRY, "replacing drops the old one")
        self.assertEqual(len(_callbacks.REGISTRY), tokens + 1)
        self.ctx.set_audit(None)
        self.assertEqual(len(_callbacks.REGISTRY), tokens)
        self.ctx.set_audit(seen.append)
        last = self.ctx._audit.token
        self.ctx.close()  # closing the context drops it too
        self.assertNotIn(last, _callbacks.REGISTRY)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.set_audit(None)

    def test_the_callback_may_call_libacct(self):
        logins = []
        inside = []

        def hook(ev):
            # The hook's own calls are audited too (a refused read below): do not recurse.
            if inside or not ev.target or ev.operation == "session.open":
                return
            inside.append(ev)
            try:
                with self.ctx.session_as(1) as s:
                    try:
                        logins.append(s.get(ev.target).login)
                    except libacct.NotFoundError as e:
                        logins.append(e.message)
            finally:
                inside.pop()

        self.ctx.set_audit(hook)
        self.admin.set_limit(self.c1, "max_db", 2)
        with self.assertRaises(libacct.DeniedError) as cm:
            self.ctx.session_as(self.c1).set_limit(self.c1, "max_db", 9)
        # libacct restores the caller's error after the hook, whatever the hook did.
        self.assertIn("limits", cm.exception.message)
        self.assertEqual(cm.exception.deny_kind, libacct.DenyKind.METHOD)
        with self.assertRaises(libacct.NotFoundError) as cm:
            self.admin.delete(4242)
        self.assertEqual(logins, ["c1", "c1", "account 4242 not found"])
        self.assertEqual(cm.exception.message, "account 4242 not found")

    def test_events_arrive_on_the_operation_thread(self):
        threads = []
        self.ctx.set_audit(lambda e: threads.append(threading.get_ident()))

        def work():
            with self.ctx.session_as(1) as s:
                s.add_customer(1, f"t{threading.get_ident()}", "T")

        t = threading.Thread(target=work)
        t.start()
        t.join()
        work()
        self.assertEqual(threads, [t.ident, threading.get_ident()])


class TestConcurrency(Base):
    def test_replacing_the_hook_while_threads_write(self):
        """Threads write while the main thread installs, replaces and removes hooks: no crash, no lost call."""
        counts = {"a": 0, "b": 0}
        lock = threading.Lock()

        def hook(name):
            def fn(ev):
                with lock:
                    counts[name] += 1
            return fn

        errors = []

        def work(n):
            try:
                with self.ctx.session_as(1) as s:
                    for i in range(40):
                        s.add_customer(1, f"w{n}-{i}", "W")
                        self.assertFalse(self.ctx.session_as(self.c1).check("manage_dns", 1))
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            self.ctx.set_audit(hook("a"))
            self.ctx.set_audit(hook("b"))
            self.ctx.set_audit(None)
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(self.ctx.account_count, 3 + 4 * 40)
        self.assertLessEqual(counts["a"] + counts["b"], 4 * 40 * 2)
        self.assertFalse(_callbacks.pending())


class Boom(Exception):
    pass


class TestRaisingCallback(Base):
    def setUp(self):
        super().setUp()
        self.calls = 0

        def hook(ev):
            self.calls += 1
            self.events.append(ev)
            raise Boom(ev.operation)

        self.ctx.set_audit(hook)

    def test_raised_after_a_successful_call(self):
        with self.assertRaises(Boom) as cm:
            self.admin.add_customer(1, "boom1", "Boom")
        self.assertEqual(str(cm.exception), "account.add")
        if sys.version_info >= (3, 11):
            self.assertTrue(any("succeeded" in n for n in cm.exception.__notes__), cm.exception.__notes__)
        self.ctx.set_audit(None)
        self.assertEqual(self.admin.get_by_login("boom1").name, "Boom", "the operation's effect stands")
        self.assertEqual(_callbacks.pending(), False, "nothing left over for the next call")
        self.admin.add_customer(1, "boom2", "Boom")  # works normally afterwards

    def test_raised_after_a_failed_call(self):
        with self.assertRaises(Boom) as cm:
            self.admin.delete(999)
        if sys.version_info >= (3, 11):
            self.assertTrue(any("NotFoundError" in n for n in cm.exception.__notes__), cm.exception.__notes__)
        self.assertEqual(self.events[0].result, ErrorCode.ENOTFOUND)

    def test_raised_by_check(self):
        cs = self.ctx.session_as(self.c1)
        with self.assertRaises(Boom):
            cs.check("manage_dns", self.c1)  # denied, so audited
        self.assertTrue(self.admin.check("manage_dns", self.c1))  # allowed: no event, no exception

    def test_a_session_being_opened_is_closed_again(self):
        before = len(self.ctx._h._children)
        for _ in range(3):
            with self.assertRaises(Boom):
                self.ctx.login("c1", "c1-secret")
        self.assertEqual(len(self.ctx._h._children), before, "no session leaked")
        self.assertEqual(self.calls, 3)

    def test_base_exceptions_too(self):
        def hook(ev):
            raise KeyboardInterrupt

        self.ctx.set_audit(hook)
        with self.assertRaises(KeyboardInterrupt):
            self.admin.add_customer(1, "kb", "KB")

    def test_with_a_failing_storage_backend(self):
        """A backend exception of the same call comes first; the hook's is noted on it."""
        store = S.DictStorage()
        seen = []

        def hook(ev):
            seen.append(ev)
            raise Boom(ev.operation)

        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            ctx.set_audit(hook)
            store.fail["commit"] = OSError("disk on fire")  # the write transaction fails at its end
            with self.assertRaises(OSError) as cm:
                s.add_customer(1, "st1", "Storage")
            del store.fail["commit"]
            if sys.version_info >= (3, 11):
                self.assertTrue(any("Boom" in n for n in cm.exception.__notes__), cm.exception.__notes__)
            self.assertEqual([(e.operation, e.result) for e in seen], [("account.add", ErrorCode.EUSER)])
            self.assertIn("disk on fire", seen[0].text)
            ctx.set_audit(None)
            s.add_customer(1, "st1", "Storage")


class TestReentrancy(Base):
    def test_closing_the_checking_session_from_the_hook_is_refused(self):
        """check() runs in the session's lane; closing it from the hook would wait for itself: refused instead."""
        cs = self.ctx.session_as(self.c1)
        caught = []

        def hook(ev):
            for what in (cs, self.ctx):
                try:
                    what.close()
                except libacct.InvalidError as e:
                    caught.append(e.message)

        self.ctx.set_audit(hook)
        self.assertFalse(cs.check("manage_dns", self.c1))
        self.assertEqual(len(caught), 2)
        self.assertIn("audit callback", caught[0])
        self.assertFalse(cs.closed)
        self.ctx.set_audit(None)
        cs.close()

    def test_closing_another_session_from_the_hook(self):
        other = self.ctx.session_as(self.r1)
        self.ctx.set_audit(lambda ev: other.close())
        self.admin.add_customer(1, "re1", "Re")
        self.assertTrue(other.closed)


if __name__ == "__main__":
    unittest.main()
