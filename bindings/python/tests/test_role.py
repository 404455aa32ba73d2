"""User roles and Partner API roles (acct/role.h)."""

from __future__ import annotations

import gc
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import BuiltinRole, Catalog, DenyKind, PartnerRole, RoleInfo

BUILTIN = [int(r) for r in BuiltinRole]


class Tree(unittest.TestCase):
    """admin(1) > reseller r1 > customer c1 > users u1, u2; customer c2 of r1 > user u3."""

    def setUp(self):
        self.ctx = S.memory_ctx()
        self.admin = a = self.ctx.session_as(1)
        self.r1 = a.add_reseller(1, "r1", "Reseller One").id
        self.c1 = a.add_customer(self.r1, "c1", "Customer One").id
        self.c2 = a.add_customer(self.r1, "c2", "Customer Two").id
        self.u1 = a.add_user(self.c1, "u1", "User One").id
        self.u2 = a.add_user(self.c1, "u2", "User Two").id
        self.u3 = a.add_user(self.c2, "u3", "User Three").id

    def tearDown(self):
        self.ctx.close()

    def session(self, id):
        return self.ctx.session_as(id)


class TestBuiltinRoles(Tree):
    def test_listed_for_every_owner(self):
        for owner in (1, self.r1, self.c1):
            self.assertEqual(list(self.admin.roles(owner)), BUILTIN)

    def test_info(self):
        self.assertEqual(self.admin.role_info(BuiltinRole.ADMIN), RoleInfo("Admin", 1, False))
        self.assertEqual(self.admin.role_info(BuiltinRole.ACCOUNTANT), RoleInfo("Accountant", 1, False))
        self.assertEqual(self.admin.role_info(BuiltinRole.WEBMASTER), RoleInfo("Webmaster", 1, True))
        self.assertEqual(self.admin.role_info(BuiltinRole.APPLICATION_USER), RoleInfo("Application User", 1, True))
        # anyone may read the built-in roles
        self.assertEqual(self.session(self.u1).role_info(BuiltinRole.WEBMASTER).name, "Webmaster")
        with self.assertRaises(libacct.NotFoundError):
            self.admin.role_info(999)

    def test_contents(self):
        a = self.admin
        role_perms = [p.name for p in self.ctx.permissions(Catalog.ROLE)]
        self.assertTrue(all(a.role_has_permission(BuiltinRole.ADMIN, p) for p in role_perms))
        self.assertEqual([p for p in role_perms if a.role_has_permission(BuiltinRole.ACCOUNTANT, p)], ["browseStats"])
        self.assertEqual([p for p in role_perms if a.role_has_permission(BuiltinRole.APPLICATION_USER, p)],
                         ["applicationsManagement"])
        self.assertEqual([p for p in role_perms if not a.role_has_permission(BuiltinRole.WEBMASTER, p)],
                         ["userManagement"])
        with self.assertRaises(libacct.NotFoundError):
            a.role_has_permission(BuiltinRole.ADMIN, "manage_dns")  # an account permission
        with self.assertRaises(libacct.NotFoundError):
            a.role_has_permission(BuiltinRole.ADMIN, "flying")

    def test_only_the_admin_edits_webmaster(self):
        with self.assertRaises(libacct.DeniedError):
            self.admin.set_role_permission(BuiltinRole.ADMIN, "browseStats", False)
        with self.assertRaises(libacct.DeniedError):
            self.admin.set_role_permission(BuiltinRole.ACCOUNTANT, "mailManagement")
        # Denied (or, from libacct builds that scope the built-in roles to the admin, not found).
        with self.assertRaises((libacct.DeniedError, libacct.NotFoundError)):
            self.session(self.c1).set_role_permission(BuiltinRole.WEBMASTER, "userManagement")
        self.assertFalse(self.admin.role_has_permission(BuiltinRole.WEBMASTER, "userManagement"))
        self.admin.set_role_permission(BuiltinRole.WEBMASTER, "mailManagement", granted=False)
        self.assertFalse(self.admin.role_has_permission(BuiltinRole.WEBMASTER, "mailManagement"))
        self.admin.set_role_permission(BuiltinRole.WEBMASTER, "mailManagement")
        self.assertTrue(self.admin.role_has_permission(BuiltinRole.WEBMASTER, "mailManagement"))

    def test_builtin_roles_are_never_deleted(self):
        for r in BuiltinRole:
            with self.assertRaises(libacct.DeniedError):
                self.admin.delete_role(r)


class TestUserPermissions(Tree):
    def test_webmaster_needs_the_owner_to_hold_manage_dns(self):
        us = self.session(self.u1)
        self.admin.set_user_role(self.u1, BuiltinRole.WEBMASTER)
        self.assertFalse(us.check("dnsManagement", self.u1))
        e = us.explain("dnsManagement", self.u1)
        self.assertEqual((e.kind, e.text), (DenyKind.METHOD, "role permission dnsManagement is not granted to user 'u1'"))
        self.admin.grant(self.r1, "manage_dns")
        self.assertFalse(us.check("dnsManagement", self.u1), "the reseller holding it is not enough")
        self.session(self.r1).grant(self.c1, "manage_dns")
        self.assertTrue(us.check("dnsManagement", self.u1))
        self.assertTrue(us.explain("dnsManagement", self.u1))
        self.session(self.r1).revoke(self.c1, "manage_dns")
        self.assertFalse(us.check("dnsManagement", self.u1))
        # a role permission that needs no account permission
        self.assertTrue(us.check("databasesManagement", self.u1))

    def test_no_role_no_permission(self):
        us = self.session(self.u1)
        self.assertEqual(list(self.admin.user_roles(self.u1)), [])
        self.assertFalse(us.check("databasesManagement", self.u1))
        self.assertFalse(us.check("manage_dns", self.u1), "users never hold account permissions")
        self.admin.set_user_role(self.u1, BuiltinRole.ACCOUNTANT)
        self.assertTrue(us.check("browseStats", self.u1))
        self.assertFalse(us.check("databasesManagement", self.u1))

    def test_union_of_roles_and_taking_away(self):
        us = self.session(self.u1)
        self.admin.set_user_role(self.u1, BuiltinRole.APPLICATION_USER)
        self.admin.set_user_role(self.u1, BuiltinRole.ACCOUNTANT)
        self.assertEqual(list(self.admin.user_roles(self.u1)), [BuiltinRole.ACCOUNTANT, BuiltinRole.APPLICATION_USER])
        self.admin.grant(self.r1, "manage_webapps")
        self.admin.grant(self.c1, "manage_webapps")
        self.assertTrue(us.check("browseStats", self.u1))
        self.assertTrue(us.check("applicationsManagement", self.u1))
        self.admin.set_user_role(self.u1, BuiltinRole.ACCOUNTANT, assigned=False)
        self.assertEqual(list(self.admin.user_roles(self.u1)), [BuiltinRole.APPLICATION_USER])
        self.assertFalse(us.check("browseStats", self.u1))
        self.admin.set_user_role(self.u1, BuiltinRole.ACCOUNTANT, assigned=False)  # again: no error


class TestCustomRoles(Tree):
    def test_lifecycle(self):
        cs = self.session(self.c1)
        role = cs.create_role(self.c1, "Mail admins")
        self.assertIsInstance(role, int)
        self.assertGreater(role, max(BUILTIN))
        self.assertEqual(list(cs.roles(self.c1)), BUILTIN + [role])
        self.assertEqual(list(self.admin.roles(self.c2)), BUILTIN, "another owner's roles are not listed")
        self.assertEqual(cs.role_info(role), RoleInfo("Mail admins", self.c1, True))
        self.assertFalse(cs.role_has_permission(role, "mailManagement"), "a new role holds nothing")

        cs.set_role_permission(role, "mailManagement")
        cs.set_user_role(self.u1, role)
        self.assertEqual(list(cs.user_roles(self.u1)), [role])
        us = self.session(self.u1)
        self.assertTrue(us.check("mailManagement", self.u1))
        cs.set_role_permission(role, "mailManagement", granted=False)
        self.assertFalse(us.check("mailManagement", self.u1), "holders see the change at once")

        with self.assertRaises(libacct.DeniedError) as cm:
            cs.delete_role(role)
        self.assertIn("still given", cm.exception.message)
        cs.set_user_role(self.u1, role, assigned=False)
        cs.delete_role(role)
        self.assertEqual(list(cs.roles(self.c1)), BUILTIN)
        with self.assertRaises(libacct.NotFoundError):
            cs.role_info(role)
        with self.assertRaises(libacct.NotFoundError):
            cs.delete_role(role)
        self.assertGreater(cs.create_role(self.c1, "Mail admins"), role, "ids are never reused")

    def test_names(self):
        cs = self.session(self.c1)
        cs.create_role(self.c1, "Ops")
        with self.assertRaises(libacct.ExistsError):
            cs.create_role(self.c1, "OPS")
        with self.assertRaises(libacct.ExistsError):
            cs.create_role(self.c1, "webmaster")  # a built-in name
        self.admin.create_role(self.c2, "Ops")  # unique per owner
        for bad in ("", "x" * 61):
            with self.assertRaises(libacct.InvalidError, msg=bad):
                cs.create_role(self.c1, bad)
        with self.assertRaises(TypeError):
            cs.create_role(self.c1, 5)
        self.assertEqual(cs.role_info(cs.create_role(self.c1, "Équipe web")).name, "Équipe web")

    def test_who_manages_roles(self):
        rs, cs = self.session(self.r1), self.session(self.c1)
        rs.create_role(self.r1, "Reseller staff")
        self.admin.create_role(self.c1, "Made by the admin")
        with self.assertRaises(libacct.DeniedError):
            rs.create_role(self.c1, "Not yours")  # in its scope, but the customer's own business
        with self.assertRaises(libacct.NotFoundError):
            cs.create_role(self.c2, "Elsewhere")  # out of scope
        with self.assertRaises(libacct.InvalidError):
            self.admin.create_role(self.u1, "Users own no roles")
        with self.assertRaises(libacct.DeniedError):
            self.session(self.u1).create_role(self.c1, "No userManagement")

    def test_assignment_rules(self):
        other = self.admin.create_role(self.c2, "Other owner")
        with self.assertRaises(libacct.InvalidError):
            self.admin.set_user_role(self.u1, other)  # a role of another owner
        with self.assertRaises(libacct.InvalidError):
            self.admin.set_user_role(self.c1, BuiltinRole.ACCOUNTANT)  # not a user
        with self.assertRaises(libacct.NotFoundError):
            self.admin.set_user_role(self.u1, 999)
        with self.assertRaises(libacct.InvalidError):
            self.admin.set_role_permission(other, "manage_dns")  # an account permission
        with self.assertRaises(libacct.NotFoundError):
            self.admin.set_role_permission(other, "flying")
        with self.assertRaises(libacct.InvalidError) as cm:
            self.admin.user_roles(self.c1)
        self.assertIn("only users", cm.exception.message)

    def test_roles_are_stored(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx, ctx.session_as(1) as s:
            c = s.add_customer(1, "st-c", "C").id
            u = s.add_user(c, "st-u", "U").id
            role = s.create_role(c, "Stored")
            s.set_role_permission(role, "filesManagement")
            s.set_user_role(u, role)
        with libacct.Context.open(store, password_cost=S.COST) as ctx:
            with ctx.session_as(1) as s:
                self.assertEqual(s.role_info(role), RoleInfo("Stored", c, True))
                self.assertEqual(list(s.user_roles(u)), [role])
            with ctx.session_as(u) as us:
                self.assertTrue(us.check("filesManagement", u))


class TestUserManagement(Tree):
    """A user with userManagement acts for its owner, never beyond what it holds."""

    def setUp(self):
        super().setUp()
        self.managers = self.admin.create_role(self.c1, "Managers")
        self.admin.set_role_permission(self.managers, "userManagement")
        self.admin.set_role_permission(self.managers, "browseStats")
        self.admin.set_user_role(self.u1, self.managers)
        self.us = self.session(self.u1)

    def test_manages_its_owners_users_and_roles(self):
        us = self.us
        self.assertTrue(us.check("userManagement", self.u2), "a sibling is in scope")
        self.assertFalse(us.check("userManagement", self.c1), "never its owner")
        self.assertEqual(list(us.roles(self.c1)), BUILTIN + [self.managers])
        role = us.create_role(self.c1, "Viewers")
        us.set_role_permission(role, "browseStats")
        us.set_user_role(self.u2, role)
        self.assertTrue(self.session(self.u2).check("browseStats", self.u2))

    def test_escalation_is_refused(self):
        us = self.us
        role = us.create_role(self.c1, "Ambitious")
        with self.assertRaises(libacct.DeniedError) as cm:
            us.set_role_permission(role, "databasesManagement")  # it does not hold it itself
        self.assertIn("does not hold", cm.exception.message)
        with self.assertRaises(libacct.DeniedError) as cm:
            us.set_user_role(self.u1, BuiltinRole.ADMIN)  # itself
        self.assertEqual(cm.exception.plesk_code, 1006)
        with self.assertRaises(libacct.DeniedError):
            us.set_user_role(self.u2, BuiltinRole.ADMIN)  # a sibling, with more than it holds
        with self.assertRaises(libacct.DeniedError):
            us.set_user_role(self.u1, self.managers, assigned=False)  # nor take its own away
        self.assertEqual(list(self.admin.user_roles(self.u2)), [])
        self.assertEqual(list(self.admin.user_roles(self.u1)), [self.managers])


class TestRoleArguments(Tree):
    def test_role_ids(self):
        for bad in ("3", 3.0, None, True):
            with self.assertRaises(TypeError, msg=repr(bad)):
                self.admin.role_info(bad)
        for bad in (-1, 2**63):
            with self.assertRaises(libacct.InvalidError, msg=bad):
                self.admin.delete_role(bad)
        with self.assertRaises(libacct.NotFoundError):
            self.admin.role_info(0)

    def test_generators(self):
        s = self.session(1)
        with self.assertRaises(libacct.NotFoundError):
            s.roles(999)  # raised by the call, not by next()
        cs = self.session(self.c1)
        with self.assertRaises(libacct.NotFoundError):
            cs.roles(self.c2)
        gen = s.roles(self.c1)
        s.create_role(self.c1, "After the snapshot")
        self.assertEqual(list(gen), BUILTIN)
        # closing the session closes its role iterators
        gen = s.user_roles(self.u1)
        s.close()
        with self.assertRaises(libacct.InvalidError):
            next(gen)
        # an unstarted generator frees its C iterator when collected
        s = self.session(1)
        gen = s.roles(1)
        self.assertEqual(len(s._h._children), 1)
        del gen
        gc.collect()
        self.assertEqual(len(s._h._children), 0)
        for _ in s.roles(1):
            break
        gc.collect()
        self.assertEqual(len(s._h._children), 0)

    def test_closed_session(self):
        s = self.session(1)
        s.close()
        for fn, args in ((s.create_role, (1, "x")), (s.delete_role, (5,)), (s.set_role_permission, (3, "browseStats")),
                         (s.role_has_permission, (3, "browseStats")), (s.role_info, (3,)), (s.roles, (1,)),
                         (s.user_roles, (self.u1,)), (s.set_user_role, (self.u1, 3))):
            with self.assertRaises(libacct.InvalidError) as cm:
                fn(*args)
            self.assertIn("closed", cm.exception.message)


class TestPartnerRoles(unittest.TestCase):
    def test_names(self):
        self.assertEqual(libacct.partner_role_name(PartnerRole.STANDARD_RESELLER), "Standard Commands for Reseller")
        self.assertEqual(PartnerRole.ALL_CLIENT.label, "All Commands for Client")
        labels = [r.label for r in PartnerRole]
        self.assertEqual(len(set(labels)), 8)
        self.assertTrue(all(("Client" in l) == (r <= PartnerRole.LIMITED_CLIENT) for r, l in zip(PartnerRole, labels)))
        for unknown in (0, 9, -1, 2**40):
            self.assertIsNone(libacct.partner_role_name(unknown))
        with self.assertRaises(TypeError):
            libacct.partner_role_name("ALL_CLIENT")

    def test_permits(self):
        p = libacct.partner_role_permits
        self.assertTrue(p(PartnerRole.ALL_CLIENT, "license.suspend"))
        self.assertFalse(p(PartnerRole.ADVANCED_CLIENT, "license.suspend"))
        self.assertTrue(p(PartnerRole.STANDARD_CLIENT, "license.upgrade"))
        self.assertFalse(p(PartnerRole.LIMITED_CLIENT, "license.upgrade"))
        self.assertTrue(p(PartnerRole.LIMITED_RESELLER, "customer.search"))
        self.assertFalse(p(PartnerRole.LIMITED_RESELLER, "customer.create"))
        self.assertTrue(PartnerRole.ALL_RESELLER.permits("customer.modify"))
        with S.memory_ctx() as ctx:
            ops = [d.name for d in ctx.permissions(Catalog.PARTNER)]
        for role in PartnerRole:
            allowed = {op for op in ops if p(role, op)}
            self.assertIn("license.search", allowed, role)
            if role <= PartnerRole.LIMITED_CLIENT:
                self.assertFalse({op for op in allowed if op.startswith("customer.")}, role)
        self.assertEqual({op for op in ops if p(PartnerRole.ALL_RESELLER, op)}, set(ops))
        # each level permits no more than the one above it
        for hi, lo in ((1, 2), (2, 3), (3, 4), (5, 6), (6, 7), (7, 8)):
            self.assertLessEqual({op for op in ops if p(lo, op)}, {op for op in ops if p(hi, op)})

    def test_errors(self):
        with self.assertRaises(libacct.NotFoundError):
            libacct.partner_role_permits(0, "license.search")
        with self.assertRaises(libacct.NotFoundError) as cm:
            libacct.partner_role_permits(PartnerRole.ALL_CLIENT, "license.fly")
        self.assertIn("license.fly", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            libacct.partner_role_permits(2**40, "license.search")
        with self.assertRaises(TypeError):
            libacct.partner_role_permits(PartnerRole.ALL_CLIENT, None)


if __name__ == "__main__":
    unittest.main()
