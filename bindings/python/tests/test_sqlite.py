"""Context.sqlite(): libacct's SQLite store (acct_storage_sqlite_new) through the Pythonic layer."""

from __future__ import annotations

import gc
import os
import pathlib
import shutil
import tempfile
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import PartnerRole, SqliteSync, _callbacks


def _has_sqlite() -> bool:
    tmp = tempfile.mkdtemp(prefix="libacct-probe-")
    try:
        libacct.Context.sqlite(os.path.join(tmp, "probe.db"), S.ADMIN, S.ADMIN_PW, S.COST).close()
        return True
    except libacct.NotSupportedError:
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


HAS_SQLITE = _has_sqlite()


class TempDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="libacct-sqlite-")
        self.path = os.path.join(self.tmp, "acct.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def open(self, **kw):
        kw.setdefault("password_cost", S.COST)
        return libacct.Context.sqlite(self.path, S.ADMIN, S.ADMIN_PW, **kw)


@unittest.skipIf(HAS_SQLITE, "libacct was built with SQLite")
class TestWithoutSqlite(TempDir):
    def test_not_supported_is_clean(self):
        tokens = len(_callbacks.REGISTRY)
        with self.assertRaises(libacct.NotSupportedError) as cm:
            self.open(synchronous=SqliteSync.NORMAL, clock=lambda: 1)
        self.assertEqual(cm.exception.plesk_code, 1017)
        self.assertIn("SQLite", cm.exception.message)
        self.assertFalse(os.path.exists(self.path), "nothing created")
        self.assertEqual(len(_callbacks.REGISTRY), tokens, "nothing left behind")


@unittest.skipUnless(HAS_SQLITE, "libacct was built without SQLite")
class TestSqlite(TempDir):
    def test_persists_across_reopening(self):
        with self.open() as ctx:
            self.assertEqual(repr(ctx), "<Context sqlite accounts=1>")
            self.assertIsNone(ctx.storage_backend)
            with ctx.login(S.ADMIN, S.ADMIN_PW) as s:
                r = s.add_reseller(1, "r1", "Reseller One", password="r1-secret", email="r1@example.com").id
                c = s.add_customer(r, "c1", "Customer One").id
                s.set_limit(r, "max_dom", 10)
                s.set_limit(c, "max_dom", 4)
                s.add_ip(1, "192.0.2.1")
                s.add_ip(r, "192.0.2.1", exclusive=True)
                s.add_button(c, "Docs", "https://docs.example")
                s.grant(r, "manage_dns")
                secret, kid = s.create_key(c, "127.0.0.1")
                password, lid = s.create_api_login(r, "r1-api", PartnerRole.STANDARD_RESELLER)
                role = s.create_role(c, "Mail only")
        self.assertTrue(os.path.exists(self.path))

        # Reopened: the administrator arguments are not needed (and would be ignored).
        with libacct.Context.sqlite(pathlib.Path(self.path), password_cost=S.COST) as ctx:
            self.assertEqual(ctx.account_count, 3)
            with ctx.login("r1", "r1-secret") as rs:
                self.assertEqual(rs.get(r).email, "r1@example.com")
                self.assertEqual([rs.get(i).login for i in rs.children(r)], ["c1"])
                self.assertEqual(rs.get_limit(c, "max_dom"), 4)
                with self.assertRaises(libacct.LimitError):
                    rs.set_limit(c, "max_dom", 11)  # the sum rule sees the stored values
                self.assertTrue(rs.has_permission(r, "manage_dns"))
                self.assertEqual(list(rs.ips(r)), [("192.0.2.1", libacct.IpType.EXCLUSIVE)])
                self.assertEqual([b.label for b in rs.buttons(c)], ["Docs"])
                self.assertEqual(rs.key_info(kid).account, c)
                self.assertEqual(rs.role_info(role).name, "Mail only")
            with ctx.login_key(secret, "127.0.0.1") as ks:
                self.assertEqual(ks.account_id, c)
            with ctx.login_api("r1-api", password) as api:
                self.assertIs(api.api_role, PartnerRole.STANDARD_RESELLER)
                self.assertTrue(api.check("customer.create", r))
            with ctx.session_as(1) as s:
                self.assertEqual(s.api_login_info(lid).login, "r1-api")

    def test_two_contexts_on_one_file(self):
        with self.open() as a, libacct.Context.sqlite(self.path, busy_timeout_ms=2000) as b:
            with a.session_as(1) as s:
                s.add_customer(1, "from-a", "A")
            b.refresh()
            with b.session_as(1) as s:
                self.assertEqual(s.get_by_login("from-a").name, "A")
                s.add_customer(1, "from-b", "B")  # writers take turns
            with a.session_as(1) as s:
                self.assertEqual(s.get_by_login("from-b").name, "B")

    def test_options(self):
        for sync in (SqliteSync.OFF, SqliteSync.NORMAL, SqliteSync.FULL, 1, "full", "Normal"):
            with self.open(synchronous=sync, busy_timeout_ms=100) as ctx, ctx.session_as(1) as s:
                s.get(1)
        with self.assertRaises(libacct.InvalidError):
            self.open(synchronous=3)
        with self.assertRaises(libacct.InvalidError):
            self.open(synchronous="sometimes")
        with self.assertRaises(libacct.InvalidError):
            self.open(busy_timeout_ms=-1)
        with self.assertRaises(TypeError):
            self.open(busy_timeout_ms=1.5)

    def test_bad_paths_and_files(self):
        with self.assertRaises(TypeError):
            libacct.Context.sqlite(42, S.ADMIN, S.ADMIN_PW)
        with self.assertRaises(libacct.InvalidError):
            libacct.Context.sqlite(self.path + "\0x", S.ADMIN, S.ADMIN_PW)
        with self.assertRaises(libacct.StorageError):
            libacct.Context.sqlite(os.path.join(self.tmp, "no", "such", "dir.db"), S.ADMIN, S.ADMIN_PW)
        junk = os.path.join(self.tmp, "junk.db")
        with open(junk, "wb") as f:
            f.write(b"this is not an SQLite database, not at all" * 100)
        with self.assertRaises(libacct.StorageError):
            libacct.Context.sqlite(junk, S.ADMIN, S.ADMIN_PW)
        # A new file without an administrator: acct_ctx_new refuses, and the store is released.
        with self.assertRaises(libacct.InvalidError):
            libacct.Context.sqlite(os.path.join(self.tmp, "empty.db"))
        with self.open(), self.open():  # the file stays usable after all that
            pass

    def test_bytes_path(self):
        with libacct.Context.sqlite(os.fsencode(self.path), S.ADMIN, S.ADMIN_PW, S.COST) as ctx:
            self.assertEqual(ctx.account_count, 1)

    def test_audit_on_sqlite(self):
        events = []
        with self.open() as ctx, ctx.session_as(1) as s:
            ctx.set_audit(events.append)
            s.add_customer(1, "audited", "A")
        gc.collect()
        self.assertEqual([e.operation for e in events], ["account.add"])


if __name__ == "__main__":
    unittest.main()
