"""Accounts and every session operation: fields, add, lookups, update, delete, status, owners, iteration."""

from __future__ import annotations

import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import Account, AccountType, Field, IterMode, Status

ALL_FIELDS = dict(
    company="Acme Ltd",
    phone="+47 123 45 678",
    fax="+47 123 45 679",
    email="ops@acme.example",
    address="1 Main Street",
    city="Oslo",
    state="Oslo",
    postal_code="0150",
    country="NO",
    locale="nb-NO",
    external_id="crm-42",
)


class Base(unittest.TestCase):
    def setUp(self):
        self.ctx = S.memory_ctx()
        self.s = self.ctx.session_as(1)

    def tearDown(self):
        self.ctx.close()


class TestAccountObject(Base):
    def test_unsaved_account(self):
        with Account(AccountType.CUSTOMER, login="new1", name="New") as a:
            self.assertEqual((a.id, a.owner, a.created_at, a.status), (0, 0, 0, Status.ACTIVE))
            self.assertIs(a.type, AccountType.CUSTOMER)
            self.assertEqual((a.login, a.name), ("new1", "New"))
            self.assertIsNone(a.email)
            self.assertIsNone(a.created)
            self.assertIsNone(a.session)
            with self.assertRaises(libacct.InvalidError):
                a.save()  # never stored

    def test_types(self):
        for t in (AccountType.RESELLER, AccountType.CUSTOMER, AccountType.USER):
            Account(t).close()
        with self.assertRaises(libacct.InvalidError):
            Account(AccountType.ADMIN)
        with self.assertRaises(libacct.InvalidError):
            Account(9)
        with self.assertRaises(libacct.InvalidError):
            Account(2**32 + 3)  # not silently a customer
        with self.assertRaises(TypeError):
            Account("customer")  # type: ignore[arg-type]

    def test_every_field_round_trips(self):
        c = self.s.add_customer(1, "fields1", "Field Tester", password="pw-12345", **ALL_FIELDS)
        got = self.s.get(c.id)
        for name, value in ALL_FIELDS.items():
            self.assertEqual(getattr(got, name), value, name)
            self.assertEqual(got.get(Field[name.upper()]), value, name)
        self.assertRegex(got.guid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertRegex(got.created, r"^\d{4}-\d{2}-\d{2}$")
        self.assertGreater(got.created_at, 0)
        self.assertIsNone(got.subscription)
        d = got.to_dict()
        self.assertEqual(d["login"], "fields1")
        self.assertNotIn("password", d)
        self.assertEqual(set(d), {"id", "type", "owner", "status", "created_at"} | set(Account.FIELDS) - {"password"})

    def test_subscription_is_for_users(self):
        u = self.s.add_user(1, "sub-user", "U", subscription="example.com")
        self.assertEqual(self.s.get(u).subscription, "example.com")
        with self.assertRaises(libacct.InvalidError):
            Account(AccountType.CUSTOMER, subscription="example.com")

    def test_clearing_optional_fields(self):
        c = self.s.add_customer(1, "clear1", "C", email="a@b.example", city="Oslo")
        c.email = None
        del c.city
        c.save()
        got = self.s.get(c)
        self.assertIsNone(got.email)
        self.assertIsNone(got.city)
        with self.assertRaises(libacct.InvalidError):
            got.name = ""  # required

    def test_password_is_write_only(self):
        c = self.s.add_customer(1, "pw1", "C", password="first-pw")
        with self.assertRaises(AttributeError):
            c.password  # noqa: B018
        self.assertIsNone(c.get(Field.PASSWORD))
        c.password = "second-pw"
        c.save()
        with self.assertRaises(libacct.AuthError):
            self.ctx.login("pw1", "first-pw")
        self.ctx.login("pw1", "second-pw").close()
        with self.assertRaises(libacct.InvalidError):
            c.password = "abc"  # too short

    def test_created_is_read_only(self):
        c = self.s.add_customer(1, "ro1", "C")
        with self.assertRaises(AttributeError):
            c.created = "2000-01-01"
        with self.assertRaises(libacct.InvalidError):
            c.set(Field.CREATED, "2000-01-01")

    def test_guid(self):
        guid = "12345678-1234-4234-8234-123456789abc"
        c = self.s.add_customer(1, "guid1", "C", guid=guid)
        self.assertEqual(c.guid, guid)
        self.assertEqual(self.s.get_by_guid(guid).id, c.id)
        with self.assertRaises(libacct.InvalidError):
            c.guid = "12345678-1234-4234-8234-123456789abd"  # read-only once stored
        with self.assertRaises(libacct.InvalidError):
            Account(AccountType.CUSTOMER, guid="not-a-uuid")
        with self.assertRaises(libacct.ExistsError):
            self.s.add_customer(1, "guid2", "C", guid=guid)

    def test_validation(self):
        a = Account(AccountType.CUSTOMER)
        for field, bad in (("login", "has space"), ("email", "nope"), ("country", "Norway"), ("phone", "1" * 31)):
            with self.assertRaises(libacct.InvalidError, msg=field):
                setattr(a, field, bad)
        with self.assertRaises(libacct.InvalidError):
            a.name = "nul\0inside"
        with self.assertRaises(TypeError):
            a.name = 42  # type: ignore[assignment]
        with self.assertRaises(TypeError):
            Account(AccountType.CUSTOMER, colour="blue")
        with self.assertRaises(libacct.InvalidError):
            a.set(99, "x")
        self.assertIsNone(a.get(99))

    def test_unicode(self):
        c = self.s.add_customer(1, "uni1", "Åse Ødegård", city="Tromsø", company="Ñandú 株式会社")
        got = self.s.get(c)
        self.assertEqual((got.name, got.city, got.company), ("Åse Ødegård", "Tromsø", "Ñandú 株式会社"))
        with self.assertRaises(libacct.InvalidError):
            got.city = "\udcff"  # a lone surrogate is not UTF-8

    def test_descriptions(self):
        c = self.s.add_customer(1, "desc1", "C")
        self.assertIsNone(c.description(1))
        c.set_description(1, "from the admin")
        c.set_description(c, "about myself")
        c.save()
        got = self.s.get(c)
        self.assertEqual(got.description(1), "from the admin")
        self.assertEqual(got.description(c.id), "about myself")
        got.set_description(1, None)
        got.save()
        self.assertIsNone(self.s.get(c).description(1))
        with self.assertRaises(libacct.InvalidError):
            got.set_description(0, "no author")
        with self.assertRaises(libacct.InvalidError):
            got.set_description(-5, "no author")

    def test_repr(self):
        c = self.s.add_customer(1, "repr1", "C")
        self.assertEqual(repr(c), f"<Account customer id={c.id} login='repr1'>")
        c.close()
        self.assertEqual(repr(c), "<Account closed>")


class TestAddAndLookups(Base):
    def test_add_variants(self):
        r = self.s.add_reseller(1, "r1", "Reseller", password="pw-r1xx")
        c = self.s.add_customer(r, "c1", "Customer")
        u = self.s.add_user(c.id, "u1", "User")
        self.assertEqual([(x.type, x.owner) for x in (r, c, u)],
                         [(AccountType.RESELLER, 1), (AccountType.CUSTOMER, r.id), (AccountType.USER, c.id)])
        self.assertIs(r.session, self.s)
        a = Account(AccountType.CUSTOMER, login="c2", name="Built")
        new_id = self.s.add(1, a)
        self.assertEqual((new_id, a.id, a.owner), (a.id, new_id, 1))
        self.assertEqual(self.ctx.account_count, 5)

    def test_add_failure_stores_nothing(self):
        with self.assertRaises(libacct.InvalidError):
            self.s.add_customer(1, "c-missing-name", "")
        with self.assertRaises(libacct.NotFoundError):
            self.s.add_customer(999, "c-orphan", "Orphan")
        with self.assertRaises(libacct.OwnerError):
            self.s.add_reseller(self.s.add_customer(1, "c-owner", "C"), "r-under-c", "R")
        self.assertEqual(self.ctx.account_count, 2)

    def test_lookups(self):
        c = self.s.add_customer(1, "Look.Up", "C", external_id="ext-1")
        self.assertEqual(self.s.get(c.id).login, "Look.Up")
        self.assertEqual(self.s.get(c).id, c.id)
        self.assertEqual(self.s.get_by_login("look.up").id, c.id)  # ASCII case-insensitive
        self.assertEqual(self.s.get_by_guid(c.guid).id, c.id)
        self.assertEqual(self.s.get_by_external_id("ext-1").id, c.id)
        for fn, key in ((self.s.get_by_login, "nobody"), (self.s.get_by_guid, "12345678-1234-4234-8234-123456789abc"),
                        (self.s.get_by_external_id, "ext-2")):
            with self.assertRaises(libacct.NotFoundError):
                fn(key)
        with self.assertRaises(libacct.ExistsError):
            self.s.add_customer(1, "other", "C", external_id="ext-1")

    def test_ids_are_range_checked(self):
        self.s.add_customer(1, "rng1", "C")  # id 2
        for bad in (2**64 + 2, -1, 2**63):
            with self.assertRaises(libacct.InvalidError):
                self.s.get(bad)
            with self.assertRaises(libacct.InvalidError):
                self.s.delete(bad)
        with self.assertRaises(TypeError):
            self.s.get(True)  # type: ignore[arg-type]
        with self.assertRaises(TypeError):
            self.s.get(2.0)  # type: ignore[arg-type]
        self.assertEqual(self.s.get(2).login, "rng1")  # still there

    def test_scope_hides_other_trees(self):
        r1 = self.s.add_reseller(1, "r1", "R1", password="pw-r1xx")
        r2 = self.s.add_reseller(1, "r2", "R2")
        c2 = self.s.add_customer(r2, "c2", "C2")
        with self.ctx.login("r1", "pw-r1xx") as rs:
            self.assertEqual(rs.get(r1).login, "r1")
            with self.assertRaises(libacct.NotFoundError):
                rs.get(c2)
            with self.assertRaises(libacct.NotFoundError):
                rs.get_by_login("c2")


class TestChanges(Base):
    def test_update(self):
        c = self.s.add_customer(1, "upd1", "Before")
        c.name = "After"
        c.email = "after@x.example"
        c.save()
        got = self.s.get(c)
        self.assertEqual((got.name, got.email), ("After", "after@x.example"))
        got.city = "Bergen"
        self.s.update(got)
        self.assertEqual(self.s.get(c).city, "Bergen")

    def test_update_only_writes_changed_fields(self):
        c = self.s.add_customer(1, "upd2", "C")
        stale = self.s.get(c)
        c.city = "Bergen"
        c.save()
        stale.phone = "123"
        stale.save()
        got = self.s.get(c)
        self.assertEqual((got.city, got.phone), ("Bergen", "123"))

    def test_update_rules(self):
        c = self.s.add_customer(1, "upd3", "C")
        u = self.s.add_user(c, "upd3-user", "U", password="pw-user1")
        self.s.add_customer(1, "taken", "T")
        c.login = "taken"
        with self.assertRaises(libacct.ExistsError):
            c.save()
        with self.ctx.login("upd3-user", "pw-user1") as us:
            me = us.get(u)
            me.phone = "555"
            me.save()
            me.login = "renamed"
            with self.assertRaises(libacct.DeniedError):
                me.save()

    def test_delete(self):
        r = self.s.add_reseller(1, "del-r", "R")
        c = self.s.add_customer(r, "del-c", "C")
        self.s.add_user(c, "del-u", "U")
        self.assertEqual(self.ctx.account_count, 4)
        self.s.delete(r)  # the whole subtree
        self.assertEqual(self.ctx.account_count, 1)
        with self.assertRaises(libacct.NotFoundError):
            self.s.get_by_login("del-u")
        with self.assertRaises(libacct.NotFoundError):
            self.s.delete(r)
        with self.assertRaises(libacct.DeniedError):
            self.s.delete(1)

    def test_suspend_activate_and_effective_status(self):
        r = self.s.add_reseller(1, "st-r", "R", password="pw-reseller")
        c = self.s.add_customer(r, "st-c", "C")
        self.s.suspend(r)
        self.assertEqual(self.s.get(r).status, Status.BY_ADMIN)
        self.assertEqual(self.s.get(c).status, Status.ACTIVE)
        self.assertEqual(self.s.effective_status(c), Status.BY_ADMIN)
        self.s.activate(r)
        self.assertEqual(self.s.effective_status(c), Status.ACTIVE)
        with self.ctx.login("st-r", "pw-reseller") as rs:
            rs.suspend(c)
            self.assertEqual(self.s.get(c).status, Status.BY_RESELLER)
            self.s.activate(c)  # the admin's activate clears only its own bit
            self.assertEqual(self.s.get(c).status, Status.BY_RESELLER)
            rs.activate(c)
        self.assertEqual(self.s.get(c).status, Status.ACTIVE)

    def test_set_status(self):
        c = self.s.add_customer(1, "set-st", "C")
        self.s.set_status(c, Status.BY_ADMIN | Status.EXPIRED)
        st = self.s.get(c).status
        self.assertEqual(st, 272)
        self.assertIn(Status.EXPIRED, st)
        self.assertEqual(self.s.effective_status(c), 272)
        self.s.set_status(c, 0)
        with self.assertRaises(libacct.StatusError):
            self.s.set_status(c, 8)
        with self.assertRaises(libacct.InvalidError):
            self.s.set_status(c, 2**32 + 16)  # not silently 16
        with self.assertRaises(libacct.InvalidError):
            self.s.set_status(c, -1)
        with self.assertRaises(TypeError):
            self.s.set_status(c, "16")  # type: ignore[arg-type]
        with self.assertRaises(libacct.DeniedError):
            self.s.set_status(1, Status.BY_ADMIN)

    def test_change_owner(self):
        r1 = self.s.add_reseller(1, "co-r1", "R1")
        r2 = self.s.add_reseller(1, "co-r2", "R2")
        c = self.s.add_customer(r1, "co-c", "C")
        u = self.s.add_user(c, "co-u", "U")
        self.s.change_owner(c, r2)
        self.assertEqual(self.s.get(c).owner, r2.id)
        self.assertEqual(list(self.s.descendants(r2)), [c.id, u.id])
        self.s.change_owner(c, 1)
        with self.assertRaises(libacct.OwnerError):
            self.s.change_owner(c, u)
        with self.assertRaises(libacct.DeniedError):
            self.s.change_owner(r1, 1)

    def test_convert(self):
        c = self.s.add_customer(1, "cv-c", "C")
        self.s.add_user(c, "cv-u", "U")
        self.s.convert(c, AccountType.RESELLER)
        self.assertIs(self.s.get(c).type, AccountType.RESELLER)
        self.s.add_customer(c, "cv-c2", "C2")
        with self.assertRaises(libacct.DeniedError):
            self.s.convert(c, AccountType.CUSTOMER)  # still owns customers
        self.s.delete(self.s.get_by_login("cv-c2"))
        self.s.convert(c, AccountType.CUSTOMER)
        with self.assertRaises(libacct.InvalidError):
            self.s.convert(c, AccountType.USER)


class TestHierarchy(Base):
    def setUp(self):
        super().setUp()
        s = self.s
        self.r = s.add_reseller(1, "h-r", "R", password="pw-reseller").id
        self.c1 = s.add_customer(self.r, "h-c1", "C1").id
        self.c2 = s.add_customer(1, "h-c2", "C2").id
        self.u1 = s.add_user(self.c1, "h-u1", "U1").id
        self.c3 = s.add_customer(self.r, "h-c3", "C3").id

    def test_children_and_descendants(self):
        self.assertEqual(list(self.s.children(1)), [self.r, self.c2])
        self.assertEqual(list(self.s.children(self.r)), [self.c1, self.c3])
        self.assertEqual(list(self.s.descendants(1)), [self.r, self.c1, self.u1, self.c3, self.c2])
        self.assertEqual(list(self.s.children(self.u1)), [])

    def test_generators_are_lazy_snapshots(self):
        gen = self.s.descendants(1)
        self.assertEqual(next(gen), self.r)
        self.s.delete(self.c2)  # later writes do not show up
        self.s.add_customer(1, "h-late", "Late")
        self.assertEqual(list(gen), [self.c1, self.u1, self.c3, self.c2])
        self.assertEqual(list(gen), [])

    def test_parent_is_checked_at_call_time(self):
        with self.assertRaises(libacct.NotFoundError):
            self.s.children(999)
        with self.ctx.login("h-r", "pw-reseller") as rs:
            self.assertEqual(list(rs.descendants(self.r)), [self.c1, self.u1, self.c3])
            with self.assertRaises(libacct.NotFoundError):
                rs.children(self.c2)

    def test_temporary_session(self):
        # the generator keeps its session alive
        self.assertEqual(list(self.ctx.session_as(1).children(self.r)), [self.c1, self.c3])

    def test_foreach(self):
        seen = []
        self.assertEqual(self.s.foreach(1, seen.append), 0)
        self.assertEqual(seen, [self.r, self.c2])
        seen.clear()
        self.assertEqual(self.s.foreach(1, seen.append, IterMode.DESCENDANTS), 0)
        self.assertEqual(seen, list(self.s.descendants(1)))
        # a true result stops the walk and comes back
        self.assertEqual(self.s.foreach(1, lambda i: 7 if i == self.c1 else None, IterMode.DESCENDANTS), 7)
        self.assertEqual(self.s.foreach(1, lambda i: True), 1)
        # the callback may use the session (the walk holds no lock)
        names = []
        self.s.foreach(self.r, lambda i: names.append(self.s.get(i).login))
        self.assertEqual(names, ["h-c1", "h-c3"])

    def test_foreach_exceptions(self):
        before = len(libacct._callbacks.REGISTRY)

        class Stop(Exception):
            pass

        def boom(i):
            raise Stop(f"at {i}")

        with self.assertRaises(Stop) as cm:
            self.s.foreach(1, boom)
        self.assertEqual(str(cm.exception), f"at {self.r}")
        with self.assertRaises(libacct.NotFoundError):  # the callback's own AcctError, unchanged
            self.s.foreach(1, lambda i: self.s.get(999))
        with self.assertRaises(libacct.InvalidError):
            self.s.foreach(1, lambda i: -3)
        with self.assertRaises(libacct.NotFoundError):
            self.s.foreach(999, print)
        self.assertEqual(len(libacct._callbacks.REGISTRY), before)


if __name__ == "__main__":
    unittest.main()
