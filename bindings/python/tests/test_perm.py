"""Permissions: catalogs and descriptors, host registration, check/explain, grants (acct/perm.h)."""

from __future__ import annotations

import gc
import threading
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import AccountType, Catalog, DenyKind, PermissionDescriptor, PermType
from libacct import perm as _perm


class Tree(unittest.TestCase):
    """admin(1) > reseller r1 > customer c1 > user u1; customer c2 of r1; reseller r2 > customer c3."""

    def setUp(self):
        self.ctx = S.memory_ctx()
        self.admin = self.ctx.session_as(1)
        a = self.admin
        self.r1 = a.add_reseller(1, "r1", "Reseller One").id
        self.c1 = a.add_customer(self.r1, "c1", "Customer One").id
        self.c2 = a.add_customer(self.r1, "c2", "Customer Two").id
        self.u1 = a.add_user(self.c1, "u1", "User One").id
        self.r2 = a.add_reseller(1, "r2", "Reseller Two").id
        self.c3 = a.add_customer(self.r2, "c3", "Customer Three").id

    def tearDown(self):
        self.ctx.close()

    def session(self, id):
        return self.ctx.session_as(id)


class TestCatalogs(Tree):
    def test_builtin_catalogs(self):
        names = {c: [p.name for p in self.ctx.permissions(c)] for c in Catalog}
        for c, n in names.items():
            self.assertEqual(len(n), self.ctx.permission_count(c), c)
            self.assertEqual(len(n), len(set(n)), c)
        self.assertTrue({"create_clients", "manage_dns", "create_domains", "manage_webapps"} <= set(names[Catalog.ACCOUNT]))
        self.assertTrue({"userManagement", "dnsManagement", "browseStats"} <= set(names[Catalog.ROLE]))
        self.assertTrue({"license.search", "license.upgrade", "customer.create"} <= set(names[Catalog.PARTNER]))
        # names are unique across catalogs
        everything = sum(names.values(), [])
        self.assertEqual(len(everything), len(set(everything)))

    def test_descriptors(self):
        for c in Catalog:
            for p in self.ctx.permissions(c):
                self.assertIsInstance(p, PermissionDescriptor)
                self.assertIs(p.catalog, c)
                self.assertIs(p.type, PermType.BOOL)
                self.assertTrue(p.label, p.name)
                self.assertIn(AccountType.ADMIN, p.writable_by, p.name)
                self.assertNotIn(AccountType.USER, p.writable_by)
                self.assertEqual(self.ctx.permission(p.name), p)
        cc = self.ctx.permission("create_clients")
        self.assertEqual((cc.catalog, cc.default, cc.reseller_only, cc.writable_by),
                         (Catalog.ACCOUNT, True, True, frozenset({AccountType.ADMIN})))
        dns = self.ctx.permission("manage_dns")
        self.assertEqual((dns.default, dns.reseller_only, dns.writable_by),
                         (False, False, frozenset({AccountType.ADMIN, AccountType.RESELLER})))
        self.assertEqual(self.ctx.permission("license.upgrade").catalog, Catalog.PARTNER)
        with self.assertRaises(AttributeError):
            dns.name = "x"  # frozen: a copy, not a handle

    def test_generator_is_a_snapshot_checked_at_once(self):
        with self.assertRaises(libacct.NotFoundError):
            self.ctx.permissions(99)  # raised by the call, not by next()
        with self.assertRaises(libacct.NotFoundError):
            self.ctx.permission_count(0)
        with self.assertRaises(TypeError):
            self.ctx.permissions("account")
        with self.assertRaises(TypeError):
            self.ctx.permissions(True)
        cat = self.ctx.register_catalog("snap")
        gen = self.ctx.permissions(cat)
        self.ctx.register_permission(cat, "snap.one")
        self.assertEqual(list(gen), [])
        self.assertEqual([p.name for p in self.ctx.permissions(cat)], ["snap.one"])

    def test_lookup(self):
        with self.assertRaises(libacct.NotFoundError) as cm:
            self.ctx.permission("manage_everything")
        self.assertIn("manage_everything", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.permission("manage\0dns")
        with self.assertRaises(TypeError):
            self.ctx.permission(b"manage_dns")

    def test_closed_context(self):
        ctx = S.memory_ctx()
        ctx.close()
        for fn, args in ((ctx.permissions, (Catalog.ACCOUNT,)), (ctx.permission, ("manage_dns",)),
                         (ctx.permission_count, (1,)), (ctx.register_catalog, ("x",)),
                         (ctx.register_permission, (Catalog.ACCOUNT, "x"))):
            with self.assertRaises(libacct.InvalidError):
                fn(*args)


class TestRegistration(Tree):
    def test_host_catalog_and_permission(self):
        cat = self.ctx.register_catalog("mail-hosting")
        self.assertGreater(cat, Catalog.PARTNER)
        self.assertNotIsInstance(cat, Catalog)
        self.assertEqual(self.ctx.permission_count(cat), 0)
        d = self.ctx.register_permission(cat, "manage_mailboxes", label="Manage mailboxes",
                                         writable_by=[AccountType.ADMIN, AccountType.RESELLER])
        self.assertEqual(d, PermissionDescriptor(catalog=cat, name="manage_mailboxes", label="Manage mailboxes",
                                                 type=PermType.BOOL, default=False,
                                                 writable_by=frozenset({AccountType.ADMIN, AccountType.RESELLER}),
                                                 reseller_only=False))
        self.assertEqual(list(self.ctx.permissions(cat)), [d])
        # Granted like Plesk's own: the admin to the reseller, the reseller on to its customer.
        c1 = self.session(self.c1)
        self.assertFalse(c1.check("manage_mailboxes", self.c1))
        self.admin.grant(self.r1, "manage_mailboxes")
        self.session(self.r1).grant(self.c1, "manage_mailboxes")
        self.assertTrue(c1.check("manage_mailboxes", self.c1))
        self.assertTrue(self.admin.has_permission(self.c1, "manage_mailboxes"))

    def test_defaults_and_writers(self):
        d = self.ctx.register_permission(Catalog.ACCOUNT, "host.only_admin")
        self.assertEqual(d.writable_by, frozenset({AccountType.ADMIN}))
        self.assertEqual(self.ctx.register_permission(Catalog.ACCOUNT, "host.resellers", writable_by=AccountType.RESELLER)
                         .writable_by, frozenset({AccountType.ADMIN, AccountType.RESELLER}))
        self.admin.grant(self.r1, "host.only_admin")
        with self.assertRaises(libacct.DeniedError) as cm:
            self.session(self.r1).grant(self.c1, "host.only_admin")
        self.assertIn("administrator", cm.exception.message)
        ro = self.ctx.register_permission(Catalog.ACCOUNT, "host.big", reseller_only=True)
        self.assertTrue(ro.reseller_only)
        self.admin.grant(self.r1, "host.big")
        with self.assertRaises(libacct.InvalidError) as cm:
            self.admin.grant(self.c1, "host.big")
        self.assertIn("resellers only", cm.exception.message)

    def test_default_value(self):
        d = self.ctx.register_permission(Catalog.ACCOUNT, "host.welcome", default=True)
        if not d.default:
            self.skipTest("this libacct build ignores default_value when registering (older than the limits work)")
        old = self.c1
        new = self.admin.add_customer(self.r1, "c-new", "New").id
        self.assertTrue(self.admin.has_permission(new, "host.welcome"), "granted on creation from now on")
        self.assertFalse(self.admin.has_permission(old, "host.welcome"), "not to accounts that existed")

    def test_role_catalog_permission(self):
        self.ctx.register_permission(Catalog.ROLE, "ticketsManagement", label="Answer tickets")
        role = self.admin.create_role(self.c1, "Support")
        self.admin.set_role_permission(role, "ticketsManagement")
        self.admin.set_user_role(self.u1, role)
        # A role permission registered by the host needs no account permission of the owner.
        self.assertTrue(self.session(self.u1).check("ticketsManagement", self.u1))
        with self.assertRaises(libacct.InvalidError):
            self.admin.grant(self.c1, "ticketsManagement")  # granted through roles, not to accounts

    def test_refusals(self):
        with self.assertRaises(libacct.ExistsError):
            self.ctx.register_permission(Catalog.ACCOUNT, "manage_dns")
        self.ctx.register_permission(Catalog.ROLE, "uniqueName")
        with self.assertRaises(libacct.ExistsError):
            self.ctx.register_permission(Catalog.ACCOUNT, "uniqueName")  # unique across catalogs
        with self.assertRaises(libacct.InvalidError) as cm:
            self.ctx.register_permission(Catalog.PARTNER, "license.fly")
        self.assertIn("Partner", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.register_permission(42, "nowhere")
        for bad in ("", "has space", "x" * 65, "ünïcode"):
            with self.assertRaises(libacct.InvalidError, msg=bad):
                self.ctx.register_permission(Catalog.ACCOUNT, bad)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.register_permission(Catalog.ACCOUNT, "users.grant", writable_by=[AccountType.USER])
        with self.assertRaises(TypeError):
            self.ctx.register_permission(Catalog.ACCOUNT, "x.y", writable_by=["reseller"])
        with self.assertRaises(TypeError):
            self.ctx.register_permission(Catalog.ACCOUNT, None)
        cat = self.ctx.register_catalog("dup")
        with self.assertRaises(libacct.ExistsError):
            self.ctx.register_catalog("dup")
        with self.assertRaises(libacct.InvalidError):
            self.ctx.register_catalog("bad name")
        self.assertEqual(self.ctx.register_catalog("dup2"), cat + 1)

    def test_catalog_fills_up(self):
        n = 0
        with self.assertRaises((libacct.LimitError, libacct.InvalidError)) as cm:
            while n < 100:
                self.ctx.register_permission(Catalog.ACCOUNT, f"fill{n}")
                n += 1
        self.assertEqual(self.ctx.permission_count(Catalog.ACCOUNT), 64, "64 account permissions, built-in ones included")
        self.assertIn("fill", cm.exception.message)

    def test_registration_lasts_as_long_as_the_context(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            ctx.register_permission(Catalog.ACCOUNT, "host.kept")
            r = s.add_reseller(1, "keep-r", "R").id
            s.grant(r, "host.kept")
        with libacct.Context.open(store, password_cost=S.COST) as ctx, ctx.session_as(1) as s:
            with self.assertRaises(libacct.NotFoundError):
                s.has_permission(r, "host.kept")  # not registered on this context
            ctx.register_permission(Catalog.ACCOUNT, "host.kept")
            self.assertTrue(s.has_permission(r, "host.kept"), "the stored grant survived")
            with ctx.session_as(r) as rs:
                self.assertTrue(rs.check("host.kept", r))


class TestCheck(Tree):
    def test_reseller_grants_manage_dns_to_its_customer(self):
        rs, cs = self.session(self.r1), self.session(self.c1)
        self.assertFalse(cs.check("manage_dns", self.c1))
        with self.assertRaises(libacct.DeniedError):
            rs.grant(self.c1, "manage_dns")  # it does not hold it yet
        self.admin.grant(self.r1, "manage_dns")
        self.assertTrue(rs.check("manage_dns", self.c1))
        rs.grant(self.c1, "manage_dns")
        self.assertTrue(cs.check("manage_dns", self.c1))
        self.assertTrue(self.admin.has_permission(self.c1, "manage_dns"))
        self.assertFalse(self.admin.has_permission(self.c2, "manage_dns"))
        rs.grant(self.c1, "manage_dns")  # again: no change, no error
        rs.revoke(self.c1, "manage_dns")
        self.assertFalse(cs.check("manage_dns", self.c1))
        self.assertFalse(rs.has_permission(self.c1, "manage_dns"))

    def test_admin_holds_everything(self):
        for c in Catalog:
            for p in self.ctx.permissions(c):
                self.assertTrue(self.admin.check(p.name, self.u1), p.name)
                if c == Catalog.ACCOUNT:
                    self.assertTrue(self.admin.has_permission(1, p.name))

    def test_scope(self):
        self.admin.grant(self.r2, "manage_dns")
        r2 = self.session(self.r2)
        self.assertTrue(r2.check("manage_dns", self.c3))
        self.assertFalse(r2.check("manage_dns", self.c1), "another reseller's customer")
        self.assertFalse(r2.check("manage_dns", 1), "its owner")
        self.assertFalse(r2.check("manage_dns", 999), "absent")
        self.assertFalse(r2.check("manage_dns", 0))

    def test_targets_and_names(self):
        cs = self.session(self.c1)
        c1 = self.admin.get(self.c1)
        self.assertFalse(cs.check("manage_dns", c1))  # an Account works as target
        self.admin.grant(self.r1, "manage_dns")
        self.session(self.r1).grant(c1, "manage_dns")
        self.assertTrue(cs.check("manage_dns", c1))
        with self.assertRaises(libacct.NotFoundError) as cm:
            cs.check("manage_everything", self.c1)  # an unknown name is an error, not a denial
        self.assertIn("manage_everything", cm.exception.message)
        for bad in (None, b"manage_dns", 5, ["manage_dns"]):
            with self.assertRaises(TypeError, msg=repr(bad)):
                cs.check(bad, self.c1)
        with self.assertRaises(libacct.InvalidError):
            cs.check("manage_dns\0x", self.c1)
        for bad in (-1, 2**63, 2**64 + self.c1):
            with self.assertRaises(libacct.InvalidError, msg=bad):
                cs.check("manage_dns", bad)
        for bad in (True, "3", 3.0, None):
            with self.assertRaises(TypeError, msg=repr(bad)):
                cs.check("manage_dns", bad)

    def test_name_cache_is_bounded(self):
        cs = self.session(self.c1)
        for i in range(_perm._NAMES_MAX + 50):
            with self.assertRaises(libacct.NotFoundError):
                cs.check(f"unknown{i}", self.c1)
        self.assertLessEqual(len(_perm._NAMES), _perm._NAMES_MAX)
        self.assertFalse(cs.check("manage_dns", self.c1))

    def test_partner_operations(self):
        self.assertTrue(self.admin.check("license.upgrade", self.r1))
        e = self.session(self.r1).explain("license.upgrade", self.r1)
        self.assertEqual((e.allowed, e.kind), (False, DenyKind.METHOD))
        self.assertIn("license.upgrade", e.text)

    def test_closed_session(self):
        cs = self.session(self.c1)
        cs.close()
        for fn, args in ((cs.check, ("manage_dns", self.c1)), (cs.explain, ("manage_dns", self.c1)),
                         (cs.grant, (self.c1, "manage_dns")), (cs.revoke, (self.c1, "manage_dns")),
                         (cs.has_permission, (self.c1, "manage_dns"))):
            with self.assertRaises(libacct.InvalidError) as cm:
                fn(*args)
            self.assertIn("closed", cm.exception.message)


class TestExplain(Tree):
    def test_method(self):
        e = self.session(self.c1).explain("manage_dns", self.c1)
        self.assertFalse(e)
        self.assertEqual((e.allowed, e.kind, e.plesk_code, e.partner_code), (False, DenyKind.METHOD, 1006, 201))
        self.assertIs(type(e.kind), DenyKind)
        self.assertEqual(e.text, "permission manage_dns is not granted to customer 'c1'")

    def test_allowed(self):
        e = self.admin.explain("manage_dns", self.c1)
        self.assertTrue(e)
        self.assertEqual(e, libacct.Explanation(True, DenyKind.NONE, "", 0, 0))

    def test_object(self):
        e = self.session(self.c1).explain("manage_dns", self.c2)
        self.assertEqual((e.allowed, e.kind, e.plesk_code, e.partner_code), (False, DenyKind.OBJECT, 1013, 202))
        self.assertNotIn("c2", e.text, "existence does not leak")

    def test_disabled(self):
        cs = self.session(self.c1)
        self.admin.grant(self.r1, "manage_dns")
        self.session(self.r1).grant(self.c1, "manage_dns")
        self.assertTrue(cs.check("manage_dns", self.c1))
        self.admin.suspend(self.r1)
        self.assertFalse(cs.check("manage_dns", self.c1), "its reseller is suspended")
        e = cs.explain("manage_dns", self.c1)
        self.assertEqual((e.kind, e.plesk_code, e.partner_code), (DenyKind.DISABLED, 1011, 200))
        self.assertIn("c1", e.text)
        self.assertTrue(self.admin.has_permission(self.c1, "manage_dns"), "stored grants ignore status")
        self.admin.activate(self.r1)
        self.assertTrue(cs.check("manage_dns", self.c1))

    def test_session(self):
        cs = self.session(self.c2)
        self.admin.delete(self.c2)
        self.assertFalse(cs.check("manage_dns", self.c2))
        e = cs.explain("manage_dns", self.c2)
        self.assertEqual((e.kind, e.plesk_code, e.partner_code), (DenyKind.SESSION, 1001, 200))

    def test_unknown_permission(self):
        with self.assertRaises(libacct.NotFoundError):
            self.admin.explain("manage_everything", 1)

    def test_deny_kind_codes(self):
        self.assertEqual({k: (k.plesk_code, k.partner_code) for k in DenyKind},
                         {DenyKind.NONE: (0, 0), DenyKind.SESSION: (1001, 200), DenyKind.DISABLED: (1011, 200),
                          DenyKind.OBJECT: (1013, 202), DenyKind.METHOD: (1006, 201), DenyKind.RULE: (1006, 201)})


class TestGrants(Tree):
    def test_escalation_is_refused(self):
        rs = self.session(self.r1)
        with self.assertRaises(libacct.DeniedError) as cm:
            rs.grant(self.c1, "create_domains")
        self.assertEqual(cm.exception.plesk_code, 1006)
        self.assertIn("does not hold it", cm.exception.message)
        with self.assertRaises(libacct.DeniedError):
            rs.grant(self.r1, "create_domains")  # not to itself either
        self.admin.grant(self.r1, "create_domains")
        with self.assertRaises(libacct.DeniedError):
            rs.grant(self.r1, "manage_dns")  # nobody changes its own permissions
        with self.assertRaises(libacct.DeniedError):
            self.session(self.c1).grant(self.c1, "create_domains")  # customers grant nothing
        with self.assertRaises(libacct.InvalidError):
            rs.grant(self.c1, "allow_oversell")  # reseller-only: a rule about the target, before who holds what
        self.assertFalse(self.admin.has_permission(self.c1, "create_domains"))

    def test_refusals(self):
        rs = self.session(self.r1)
        with self.assertRaises(libacct.InvalidError):
            self.admin.grant(self.c1, "create_clients")  # reseller-only
        with self.assertRaises(libacct.InvalidError):
            self.admin.grant(self.u1, "manage_dns")  # users hold roles
        with self.assertRaises(libacct.InvalidError):
            self.admin.grant(self.c1, "dnsManagement")  # a role permission
        with self.assertRaises(libacct.NotFoundError):
            rs.grant(self.c3, "manage_dns")  # not its customer
        with self.assertRaises(libacct.NotFoundError):
            self.admin.grant(self.c1, "manage_everything")
        with self.assertRaises(libacct.NotFoundError):
            self.admin.has_permission(self.c1, "dnsManagement")  # not an account permission
        with self.assertRaises(libacct.NotFoundError):
            self.session(self.c1).has_permission(self.c2, "manage_dns")

    def test_create_clients(self):
        rs = self.session(self.r1)
        self.assertTrue(self.admin.has_permission(self.r1, "create_clients"), "resellers get it by default")
        self.assertTrue(rs.check("create_clients", self.r1))
        self.admin.revoke(self.r1, "create_clients")
        self.assertFalse(rs.check("create_clients", self.r1))
        with self.assertRaises(libacct.DeniedError) as cm:
            rs.add_customer(self.r1, "c-late", "Late")
        self.assertIn("create_clients", cm.exception.message)
        self.admin.grant(self.r1, "create_clients")
        rs.add_customer(self.r1, "c-late", "Late").close()

    def test_grants_are_stored(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            r = s.add_reseller(1, "st-r", "R").id
            s.grant(r, "manage_dns")
        with libacct.Context.open(store, password_cost=S.COST) as ctx, ctx.session_as(r) as rs:
            self.assertTrue(rs.check("manage_dns", r))


class TestCheckThreads(Tree):
    def test_shared_session_gives_each_thread_its_own_answer(self):
        self.admin.grant(self.r1, "manage_dns")
        rs = self.session(self.r1)
        failures = []
        start = threading.Barrier(4)

        def work(perm, want):
            start.wait()
            for _ in range(3000):
                if rs.check(perm, self.c1) is not want:
                    failures.append(perm)
                    return

        threads = [threading.Thread(target=work, args=a) for a in
                   (("manage_dns", True), ("create_domains", False), ("manage_dns", True), ("manage_log", False))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(failures, [])

    def test_close_during_checks(self):
        """Threads checking on a session another thread closes: answers, then InvalidError; never a crash."""
        self.admin.grant(self.r1, "manage_dns")
        for _ in range(5):
            rs = self.session(self.r1)
            outcomes, started = [], threading.Barrier(5)

            def work():
                started.wait()
                n = 0
                try:
                    while True:
                        assert rs.check("manage_dns", self.c1) is True
                        n += 1
                except libacct.InvalidError as e:
                    outcomes.append(("closed", n) if "closed" in e.message else e)
                except BaseException as e:  # reported below
                    outcomes.append(e)

            threads = [threading.Thread(target=work) for _ in range(4)]
            for t in threads:
                t.start()
            started.wait()
            rs.close()
            for t in threads:
                t.join(60)
            self.assertEqual([o[0] if isinstance(o, tuple) else o for o in outcomes], ["closed"] * 4)
            self.assertEqual(rs._h.lane, [])

    def test_closing_the_context_waits_for_checks(self):
        ctx = S.memory_ctx()
        s = ctx.session_as(1)
        r = s.add_reseller(1, "w-r", "R").id
        rs = ctx.session_as(r)
        stop, errors = threading.Event(), []

        def work():
            try:
                while not stop.is_set():
                    rs.check("create_clients", r)
            except libacct.InvalidError:
                pass
            except BaseException as e:  # reported below
                errors.append(e)

        t = threading.Thread(target=work)
        t.start()
        ctx.close()
        stop.set()
        t.join(60)
        self.assertEqual(errors, [])
        self.assertTrue(rs.closed)

    def test_check_from_a_storage_callback_is_refused(self):
        holder = {}

        class Reentrant(S.DictStorage):
            armed = False

            def get(self, key):
                if self.armed:
                    self.armed = False
                    holder["s"].check("manage_dns", 1)
                return super().get(key)

        store = Reentrant()
        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            holder["s"] = s
            store.armed = True
            with self.assertRaises(libacct.InvalidError) as cm:
                s.get(1)
            self.assertIn("callback", cm.exception.message)
            self.assertEqual(s._h.lane, [])
            self.assertTrue(s.check("manage_dns", 1))
        holder.clear()
        gc.collect()


if __name__ == "__main__":
    unittest.main()
