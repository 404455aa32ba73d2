"""Limits, the reseller resource policy, IP pools and custom buttons (acct/limit.h) through the Pythonic layer."""

from __future__ import annotations

import gc
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import Button, DenyKind, IpType, Overuse


class Tree(unittest.TestCase):
    """admin(1) > reseller r1 > customers c1, c2; reseller r2; a user u1 of c1."""

    def setUp(self):
        self.ctx = S.memory_ctx()
        self.admin = a = self.ctx.session_as(1)
        self.r1 = a.add_reseller(1, "r1", "Reseller One").id
        self.r2 = a.add_reseller(1, "r2", "Reseller Two").id
        self.c1 = a.add_customer(self.r1, "c1", "Customer One").id
        self.c2 = a.add_customer(self.r1, "c2", "Customer Two").id
        self.u1 = a.add_user(self.c1, "u1", "User One").id
        self.rs = self.ctx.session_as(self.r1)

    def tearDown(self):
        self.ctx.close()


class TestLimitNames(unittest.TestCase):
    def test_names(self):
        names = libacct.limit_names()
        self.assertEqual(names[0], "max_cl")
        for n in ("max_dom", "disk_space", "max_traffic", "mbox_quota", "expiration"):
            self.assertIn(n, names)
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(libacct.UNLIMITED, -1)


class TestLimits(Tree):
    def test_set_get_unset(self):
        a = self.admin
        self.assertEqual(a.get_limit(self.r1, "max_dom"), libacct.UNLIMITED)
        self.assertFalse(a.limit_is_set(self.r1, "max_dom"))
        a.set_limit(self.r1, "max_dom", 10)
        self.assertEqual(a.get_limit(self.r1, "max_dom"), 10)
        self.assertTrue(a.limit_is_set(self.r1, "max_dom"))
        a.set_limit(self.r1, "max_dom", -1)  # set, to unlimited
        self.assertEqual(a.get_limit(self.r1, "max_dom"), -1)
        self.assertTrue(a.limit_is_set(self.r1, "max_dom"))
        a.unset_limit(self.r1, "max_dom")
        self.assertFalse(a.limit_is_set(self.r1, "max_dom"))
        big = 2**40  # sizes are int64: a terabyte of disk space
        a.set_limit(self.c1, "disk_space", big)
        self.assertEqual(a.get_limit(self.c1, "disk_space"), big)
        # Accounts may be given as Account objects.
        self.assertEqual(a.get_limit(a.get(self.c1), "disk_space"), big)

    def test_bad_arguments(self):
        a = self.admin
        with self.assertRaises(libacct.InvalidError) as cm:
            a.set_limit(self.r1, "max_unicorns", 1)
        self.assertIn("max_unicorns", cm.exception.message)
        with self.assertRaises(libacct.InvalidError):
            a.get_limit(self.r1, "max_unicorns")
        with self.assertRaises(libacct.InvalidError):
            a.set_limit(self.r1, "max_dom", -2)
        with self.assertRaises(libacct.InvalidError):
            a.set_limit(self.c1, "max_cl", 3)  # resellers only
        with self.assertRaises(libacct.InvalidError):
            a.set_limit(self.u1, "max_dom", 3)
        with self.assertRaises(libacct.InvalidError):
            a.set_limit(self.r1, "max_dom", 2**63)  # would not fit int64_t: refused before C
        with self.assertRaises(TypeError):
            a.set_limit(self.r1, "max_dom", "10")
        with self.assertRaises(TypeError):
            a.set_limit(self.r1, "max_dom", True)
        with self.assertRaises(TypeError):
            a.set_limit(self.r1, None, 1)
        with self.assertRaises(libacct.NotFoundError):
            a.set_limit(999, "max_dom", 1)

    def test_who_may_set(self):
        self.admin.set_limit(self.r1, "max_dom", 10)
        self.rs.set_limit(self.c1, "max_dom", 4)  # a reseller on its customer, within its own
        self.assertEqual(self.rs.get_limit(self.c1, "max_dom"), 4)
        with self.assertRaises(libacct.DeniedError) as cm:
            self.rs.set_limit(self.r1, "max_dom", 100)  # nobody sets its own
        self.assertEqual(cm.exception.deny_kind, DenyKind.RULE)
        cs = self.ctx.session_as(self.c1)
        with self.assertRaises(libacct.DeniedError) as cm:
            cs.set_limit(self.c1, "max_dom", 100)
        self.assertEqual(cm.exception.deny_kind, DenyKind.METHOD)
        with self.assertRaises(libacct.NotFoundError) as cm:
            self.rs.set_limit(self.r2, "max_dom", 1)  # outside its scope
        self.assertEqual(cm.exception.deny_kind, DenyKind.OBJECT)

    def test_sum_rule(self):
        a = self.admin
        a.set_limit(self.r1, "max_dom", 10)
        a.set_limit(self.c1, "max_dom", 6)
        a.set_limit(self.c2, "max_dom", 4)  # 6 + 4 = 10: fits
        with self.assertRaises(libacct.LimitError) as cm:
            a.set_limit(self.c2, "max_dom", 5)
        e = cm.exception
        self.assertEqual((e.plesk_code, e.deny_kind), (1024, DenyKind.RULE))
        self.assertIn("11", e.message)  # the numbers are in the message
        self.assertEqual(a.get_limit(self.c2, "max_dom"), 4, "the refused change was not stored")
        with self.assertRaises(libacct.LimitError):
            a.set_limit(self.c2, "max_dom", -1)  # unlimited under a finite reseller
        with self.assertRaises(libacct.LimitError):
            a.set_limit(self.r1, "max_dom", 9)  # the reseller's own cap below the sum
        a.unset_limit(self.c2, "max_dom")  # no longer counts
        a.set_limit(self.r1, "max_dom", 6)

    def test_max_cl(self):
        a = self.admin
        a.set_limit(self.r1, "max_cl", 3)  # it owns 2
        a.add_customer(self.r1, "c3", "Third")
        with self.assertRaises(libacct.LimitError) as cm:
            a.add_customer(self.r1, "c4", "One too many")
        self.assertEqual(cm.exception.deny_kind, DenyKind.RULE)
        self.assertIn("max_cl", cm.exception.message)
        with self.assertRaises(libacct.LimitError):
            self.rs.add_customer(self.r1, "c4", "From the reseller itself")
        with self.assertRaises(libacct.NotFoundError):
            a.get_by_login("c4")
        # Moving a customer in counts too; overselling does not lift max_cl.
        c5 = a.add_customer(1, "c5", "Admin's customer").id
        a.set_reseller_policy(self.r1, True, Overuse.NORMAL)
        with self.assertRaises(libacct.LimitError):
            a.change_owner(c5, self.r1)
        with self.assertRaises(libacct.LimitError):
            a.set_limit(self.r1, "max_cl", 2)  # below the customers it has

    def test_limit_allows(self):
        a = self.admin
        self.assertTrue(a.limit_allows(self.c1, "max_db", 10**9))  # unlimited
        a.set_limit(self.c1, "max_db", 3)
        self.assertTrue(a.limit_allows(self.c1, "max_db", 3))
        self.assertFalse(a.limit_allows(self.c1, "max_db", 4))
        # expiration: the time must be before the account's and every owner's.
        a.set_limit(self.r1, "expiration", 2_000_000_000)
        self.assertTrue(a.limit_allows(self.c1, "expiration", 1_999_999_999))
        self.assertFalse(a.limit_allows(self.c1, "expiration", 2_000_000_000))
        with self.assertRaises(libacct.InvalidError):
            a.limit_allows(self.c1, "max_unicorns", 1)


class TestResellerPolicy(Tree):
    def test_defaults_and_set(self):
        a = self.admin
        self.assertEqual(a.reseller_policy(self.r1), (False, Overuse.NORMAL))
        a.set_reseller_policy(self.r1, True, Overuse.NOT_SUSPEND_NOTIFY)
        oversell, overuse = a.reseller_policy(self.r1)
        self.assertIs(oversell, True)
        self.assertIs(overuse, Overuse.NOT_SUSPEND_NOTIFY)
        self.assertEqual(overuse.label, "not_suspend_notify")
        self.assertEqual([o.label for o in Overuse], ["block", "notify", "normal", "not_suspend", "not_suspend_notify"])

    def test_oversell(self):
        a = self.admin
        a.set_limit(self.r1, "disk_space", 100)
        a.set_limit(self.c1, "disk_space", 80)
        with self.assertRaises(libacct.LimitError):
            a.set_limit(self.c2, "disk_space", 80)
        a.set_reseller_policy(self.r1, True, Overuse.NORMAL)
        a.set_limit(self.c2, "disk_space", 80)  # 160 > 100, allowed now
        with self.assertRaises(libacct.LimitError) as cm:
            a.set_reseller_policy(self.r1, False, Overuse.NORMAL)  # would leave it oversold
        self.assertEqual(cm.exception.deny_kind, DenyKind.RULE)
        self.assertEqual(a.reseller_policy(self.r1)[0], True)

    def test_refusals(self):
        a = self.admin
        with self.assertRaises(libacct.InvalidError):
            a.set_reseller_policy(self.c1, True, Overuse.NORMAL)  # not a reseller
        with self.assertRaises(libacct.InvalidError):
            a.reseller_policy(self.c1)
        with self.assertRaises(libacct.InvalidError):
            a.set_reseller_policy(self.r1, True, 99)
        with self.assertRaises(TypeError):
            a.set_reseller_policy(self.r1, True, "block")
        with self.assertRaises(libacct.DeniedError):
            self.rs.set_reseller_policy(self.r1, True, Overuse.NORMAL)  # admin only


class TestIpPools(Tree):
    def test_pools_follow_the_hierarchy(self):
        a = self.admin
        a.add_ip(1, "192.0.2.1")
        a.add_ip(1, "2001:DB8:0:0::1")  # stored in canonical form
        self.assertEqual(list(a.ips(1)), [("192.0.2.1", IpType.SHARED), ("2001:db8::1", IpType.SHARED)])
        with self.assertRaises(libacct.ExistsError):
            a.add_ip(1, "192.0.2.1")
        with self.assertRaises(libacct.InvalidError):
            a.add_ip(self.r1, "192.0.2.99")  # not in the admin's pool
        a.add_ip(self.r1, "192.0.2.1")
        self.rs.add_ip(self.c1, "192.0.2.1")  # the owner fills its customer's pool
        self.assertEqual(list(self.rs.ips(self.c1)), [("192.0.2.1", IpType.SHARED)])
        with self.assertRaises(libacct.DeniedError):
            self.ctx.session_as(self.c1).add_ip(self.c1, "192.0.2.1")  # not its own pool's keeper
        with self.assertRaises(libacct.DeniedError):
            self.rs.remove_ip(self.r1, "192.0.2.1")  # not the owner of its own pool
        with self.assertRaises(libacct.DeniedError) as cm:
            a.remove_ip(self.r1, "192.0.2.1")  # c1 still has it
        self.assertIn("c1", cm.exception.message)
        self.rs.remove_ip(self.c1, "192.0.2.1")
        a.remove_ip(self.r1, "192.0.2.1")
        with self.assertRaises(libacct.NotFoundError):
            a.remove_ip(self.r1, "192.0.2.1")
        self.assertEqual(list(a.ips(self.r1)), [])

    def test_exclusive(self):
        a = self.admin
        a.add_ip(1, "198.51.100.7")
        a.add_ip(self.r1, "198.51.100.7", exclusive=True)
        self.assertEqual(list(a.ips(self.r1)), [("198.51.100.7", IpType.EXCLUSIVE)])
        with self.assertRaises(libacct.ExistsError) as cm:
            a.add_ip(self.r2, "198.51.100.7")
        self.assertIn("exclusive", cm.exception.message)
        a.set_ip_type(self.r1, "198.51.100.7", IpType.SHARED)
        a.add_ip(self.r2, "198.51.100.7")
        with self.assertRaises(libacct.ExistsError):
            a.set_ip_type(self.r1, "198.51.100.7", IpType.EXCLUSIVE)  # r2 shares it now
        a.add_ip(1, "198.51.100.8")
        with self.assertRaises(libacct.NotFoundError):
            a.set_ip_type(self.r1, "198.51.100.8", IpType.SHARED)  # in the owner's pool, not in r1's
        with self.assertRaises(libacct.InvalidError):
            a.set_ip_type(self.r1, "198.51.100.9", IpType.SHARED)  # not even in the owner's

    def test_bad_arguments(self):
        a = self.admin
        for bad in ("not-an-ip", "300.1.1.1", ""):
            with self.assertRaises(libacct.InvalidError, msg=bad):
                a.add_ip(1, bad)
        with self.assertRaises(TypeError):
            a.add_ip(1, None)
        with self.assertRaises(libacct.InvalidError):
            a.add_ip(1, "192.0.2.1\0x")
        with self.assertRaises(libacct.InvalidError):
            a.set_ip_type(1, "192.0.2.1", 3)
        with self.assertRaises(libacct.InvalidError):
            a.add_ip(self.u1, "192.0.2.1")  # users have no pool
        with self.assertRaises(libacct.NotFoundError):
            a.ips(999)  # raised by the call, not by next()

    def test_iterator_is_a_snapshot_and_freed(self):
        a = self.admin
        for i in range(1, 4):
            a.add_ip(1, f"203.0.113.{i}")
        it = a.ips(1)
        self.assertEqual(next(it), ("203.0.113.1", IpType.SHARED))
        a.add_ip(1, "203.0.113.9")
        self.assertEqual([ip for ip, _ in it], ["203.0.113.2", "203.0.113.3"])
        unstarted = a.ips(1)
        del unstarted
        gc.collect()
        self.assertEqual(len(a._h._children), 0, "finished and collected iterators are freed")
        open_one = a.ips(1)
        next(open_one)
        a.close()  # the session frees the iterator it still has
        with self.assertRaises(libacct.InvalidError):
            next(open_one)


class TestButtons(Tree):
    def test_add_list_remove(self):
        a = self.admin
        b1 = a.add_button(self.c1, "Docs", "https://docs.example/x?y=1")
        b2 = self.rs.add_button(self.c1, "Status", "http://status.example")  # whoever may edit the account
        self.assertEqual((b1, b2), (1, 2))
        self.assertEqual(list(a.buttons(self.c1)), [Button(1, "Docs", "https://docs.example/x?y=1"),
                                                     Button(2, "Status", "http://status.example")])
        a.remove_button(self.c1, b1)
        self.assertEqual([b.id for b in a.buttons(self.c1)], [2])
        self.assertEqual(a.add_button(self.c1, "Again", "https://again.example"), 3)  # ids are not reused
        with self.assertRaises(libacct.NotFoundError):
            a.remove_button(self.c1, b1)
        self.assertEqual(list(a.buttons(self.r2)), [])

    def test_refusals(self):
        a = self.admin
        for label, url in (("", "https://x.example"), ("x" * 61, "https://x.example"), ("Ftp", "ftp://x.example"),
                           ("Space", "https://x.example/a b"), ("Short", "http://")):
            with self.assertRaises(libacct.InvalidError, msg=(label, url)):
                a.add_button(self.c1, label, url)
        with self.assertRaises(libacct.NotFoundError):
            self.rs.add_button(self.r2, "Docs", "https://docs.example")
        with self.assertRaises(libacct.NotFoundError):
            a.buttons(999)
        with self.assertRaises(TypeError):
            a.remove_button(self.c1, "1")


if __name__ == "__main__":
    unittest.main()
