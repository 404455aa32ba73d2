"""Secret keys, Partner API logins and password reset tokens (acct/credential.h) through the Pythonic layer."""

from __future__ import annotations

import ctypes
import re
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct
from libacct import ApiLoginInfo, KeyInfo, PartnerRole, _ffi

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class Tree(unittest.TestCase):
    """admin(1) > reseller r1 > customers c1, c2; reseller r2; user u1 of c1. Passwords: "<login>-secret"."""

    def setUp(self):
        self.now = 1_700_000_000
        self.ctx = S.memory_ctx(clock=lambda: self.now)
        self.admin = a = self.ctx.session_as(1)
        self.r1 = a.add_reseller(1, "r1", "Reseller One", password="r1-secret").id
        self.r2 = a.add_reseller(1, "r2", "Reseller Two", password="r2-secret").id
        self.c1 = a.add_customer(self.r1, "c1", "Customer One", password="c1-secret").id
        self.c2 = a.add_customer(self.r1, "c2", "Customer Two", password="c2-secret").id
        self.u1 = a.add_user(self.c1, "u1", "User One", password="u1-secret").id
        self.rs = self.ctx.session_as(self.r1)

    def tearDown(self):
        self.ctx.close()


class TestSecretKeys(Tree):
    def test_create_describe_find_list_delete(self):
        a = self.admin
        secret, kid = a.create_key(self.c1, "127.0.0.1, ::1", "deploy bot")
        self.assertRegex(secret, UUID)
        self.assertEqual(a.key_info(kid), KeyInfo(kid, self.c1, ("127.0.0.1", "::1"), "deploy bot"))
        self.assertEqual(a.find_key(secret), kid)
        secret2, kid2 = self.rs.create_key(self.r1, ["192.0.2.1", "2001:DB8::7"])  # an iterable, canonicalised
        self.assertEqual(a.key_info(kid2), KeyInfo(kid2, self.r1, ("192.0.2.1", "2001:db8::7"), None))
        self.assertNotEqual(secret, secret2)
        self.assertEqual(list(a.keys()), [kid, kid2])
        self.assertEqual(list(a.keys(self.c1)), [kid])
        self.assertEqual(list(self.rs.keys()), [kid, kid2], "a reseller sees the keys in its scope")
        cs = self.ctx.session_as(self.c2)
        self.assertEqual(list(cs.keys()), [])
        with self.assertRaises(libacct.NotFoundError):
            cs.find_key(secret)  # not the session's to see
        with self.assertRaises(libacct.NotFoundError):
            cs.key_info(kid)
        a.delete_key(kid)
        with self.assertRaises(libacct.NotFoundError):
            a.delete_key(kid)
        with self.assertRaises(libacct.NotFoundError):
            a.find_key(secret)
        self.assertEqual(list(a.keys()), [kid2])

    def test_session_from_the_right_and_wrong_ip(self):
        secret, _ = self.admin.create_key(self.c1, ["10.1.2.3", "2001:db8::1"])
        with self.ctx.login_key(secret, "10.1.2.3") as ks:
            self.assertEqual(ks.account_id, self.c1)
            self.assertIsNone(ks.api_role)
            self.assertEqual(ks.get(self.c1).login, "c1")  # acts as the account
        with self.ctx.login_key(secret, "2001:DB8:0::1") as ks:  # compared in canonical form
            self.assertEqual(ks.account_id, self.c1)
        for key, ip in ((secret, "10.1.2.4"), (secret, "not-an-ip"), ("00000000-0000-4000-8000-000000000000",
                                                                      "10.1.2.3")):
            with self.assertRaises(libacct.SecretKeyError, msg=(key, ip)) as cm:
                self.ctx.login_key(key, ip)
            e = cm.exception
            self.assertEqual((e.code, e.plesk_code), (libacct.ErrorCode.EKEY, 11003))
            self.assertEqual(e.message, "secret key validation failed", "unknown key and wrong address look alike")
        self.assertFalse(issubclass(libacct.SecretKeyError, KeyError))
        self.admin.suspend(self.r1)
        with self.assertRaises(libacct.DisabledError):
            self.ctx.login_key(secret, "10.1.2.3")
        self.assertEqual(len(self.ctx._h._children), 2, "no session leaked from the failed opens")

    def test_deleting_the_account_deletes_its_keys(self):
        _, kid = self.admin.create_key(self.c2, "127.0.0.1")
        self.admin.delete(self.c2)
        with self.assertRaises(libacct.NotFoundError):
            self.admin.key_info(kid)

    def test_refusals(self):
        a = self.admin
        for ips in ("", [], "127.0.0.1, nope", ["1.2.3.4,5.6.7.8"]):
            with self.assertRaises(libacct.InvalidError, msg=ips):
                a.create_key(self.c1, ips)
        with self.assertRaises(TypeError):
            a.create_key(self.c1, b"127.0.0.1")
        with self.assertRaises(TypeError):
            a.create_key(self.c1, [127])
        with self.assertRaises(libacct.InvalidError):
            a.create_key(self.c1, "127.0.0.1", "x" * 256)
        with self.assertRaises(libacct.DeniedError):
            self.ctx.session_as(self.u1).create_key(self.u1, "127.0.0.1")  # users manage none
        with self.assertRaises(libacct.DeniedError):
            self.ctx.session_as(self.c1).create_key(self.u1, "127.0.0.1")  # a customer only its own
        with self.assertRaises(libacct.NotFoundError):
            self.ctx.session_as(self.c1).create_key(self.c2, "127.0.0.1")  # outside its scope
        with self.assertRaises(libacct.NotFoundError):
            self.rs.create_key(self.r2, "127.0.0.1")  # outside the reseller's scope
        with self.assertRaises(TypeError):
            a.key_info("1")
        with self.assertRaises(libacct.InvalidError):
            self.ctx.login_key(None, "127.0.0.1")


class TestApiLogins(Tree):
    def test_lifecycle(self):
        a = self.admin
        password, lid = a.create_api_login(self.r1, "r1-api", PartnerRole.STANDARD_RESELLER)
        self.assertGreaterEqual(len(password), 16)
        self.assertEqual(a.api_login_info(lid), ApiLoginInfo(lid, "r1-api", self.r1, PartnerRole.STANDARD_RESELLER,
                                                             True))
        self.assertEqual(a.find_api_login("R1-API"), lid)
        _, lid2 = self.rs.create_api_login(self.c1, "c1-api", PartnerRole.LIMITED_CLIENT)
        self.assertEqual(list(a.api_logins()), [lid, lid2])
        self.assertEqual(list(a.api_logins(self.c1)), [lid2])
        self.assertEqual(list(self.ctx.session_as(self.c2).api_logins()), [])

        with self.ctx.login_api("r1-api", password) as api:
            self.assertEqual(api.account_id, self.r1)
            self.assertIs(api.api_role, PartnerRole.STANDARD_RESELLER)
            # Only the role's Partner API operations, on the reseller and its own customers.
            self.assertTrue(api.check("license.upgrade", self.r1))
            self.assertTrue(api.check("customer.create", self.r1))
            self.assertFalse(api.check("license.suspend", self.r1))  # not in Standard
            self.assertFalse(api.check("manage_dns", self.r1))  # not a Partner API operation
            self.assertTrue(api.check("license.upgrade", self.c1))
            self.assertFalse(api.check("license.upgrade", self.r2))
            e = api.explain("license.suspend", self.r1)
            self.assertEqual(e.kind, libacct.DenyKind.METHOD)

            a.set_api_login_role(lid, PartnerRole.ALL_RESELLER)
            self.assertIs(a.api_login_info(lid).role, PartnerRole.ALL_RESELLER)

            a.set_api_login_enabled(lid, False)
            self.assertFalse(a.api_login_info(lid).enabled)
            self.assertFalse(api.check("license.upgrade", self.r1), "open sessions stop at once")
            with self.assertRaises(libacct.DisabledError):
                self.ctx.login_api("r1-api", password)
            a.set_api_login_enabled(lid)
            self.assertTrue(api.check("license.upgrade", self.r1))

        new = a.new_api_password(lid)
        self.assertNotEqual(new, password)
        with self.assertRaises(libacct.AuthError):
            self.ctx.login_api("r1-api", password)
        self.ctx.login_api("r1-api", new).close()
        a.delete_api_login(lid)
        with self.assertRaises(libacct.AuthError):
            self.ctx.login_api("r1-api", new)
        with self.assertRaises(libacct.NotFoundError):
            a.api_login_info(lid)
        with self.assertRaises(libacct.NotFoundError):
            a.find_api_login("r1-api")

    def test_account_login_and_api_login_are_apart(self):
        password, _ = self.admin.create_api_login(self.c1, "c1-api", PartnerRole.ALL_CLIENT)
        with self.assertRaises(libacct.AuthError):
            self.ctx.login("c1-api", password)
        with self.assertRaises(libacct.AuthError):
            self.ctx.login_api("c1", "c1-secret")
        with self.ctx.login("c1", "c1-secret") as s:
            self.assertIsNone(s.api_role)

    def test_lockout(self):
        with S.memory_ctx(lockout_attempts=2, lockout_window=60, lockout_duration=60) as ctx, ctx.session_as(1) as a:
            r = a.add_reseller(1, "lr", "R").id
            password, _ = a.create_api_login(r, "lr-api", PartnerRole.ALL_RESELLER)
            for _ in range(2):
                with self.assertRaises(libacct.AuthError):
                    ctx.login_api("lr-api", "wrong-password")
            with self.assertRaises(libacct.LockedError):
                ctx.login_api("lr-api", password)

    def test_refusals(self):
        a = self.admin
        a.create_api_login(self.r1, "taken", PartnerRole.ALL_RESELLER)
        with self.assertRaises(libacct.ExistsError):
            a.create_api_login(self.r2, "TAKEN", PartnerRole.ALL_RESELLER)
        with self.assertRaises(libacct.InvalidError):
            a.create_api_login(self.c1, "c1-res", PartnerRole.ALL_RESELLER)  # reseller roles need a reseller
        with self.assertRaises(libacct.InvalidError):
            a.create_api_login(self.r1, "bad-role", 9)
        with self.assertRaises(libacct.InvalidError):
            a.create_api_login(self.u1, "u1-api", PartnerRole.ALL_CLIENT)
        with self.assertRaises(libacct.InvalidError):
            a.create_api_login(self.r1, "white space", PartnerRole.ALL_CLIENT)
        with self.assertRaises(libacct.DeniedError) as cm:
            self.ctx.session_as(self.u1).create_api_login(self.u1, "u-api", PartnerRole.ALL_CLIENT)
        self.assertEqual(cm.exception.deny_kind, libacct.DenyKind.METHOD)
        with self.assertRaises(libacct.NotFoundError):
            self.rs.create_api_login(self.r2, "r2-api", PartnerRole.ALL_RESELLER)
        with self.assertRaises(libacct.InvalidError):
            a.set_api_login_role(a.find_api_login("taken"), 0)
        with self.assertRaises(libacct.NotFoundError):
            a.set_api_login_enabled(999, True)
        with self.assertRaises(TypeError):
            a.delete_api_login(True)


class TestResetTokens(Tree):
    def test_create_and_redeem(self):
        token = self.rs.create_reset_token(self.c1)
        self.assertIsInstance(token, str)
        self.ctx.redeem_reset_token(token, "brand-new-secret")
        self.ctx.login("c1", "brand-new-secret").close()
        with self.assertRaises(libacct.AuthError):
            self.ctx.login("c1", "c1-secret")
        with self.assertRaises(libacct.AuthError):
            self.ctx.redeem_reset_token(token, "another-secret")  # one time only
        with self.assertRaises(libacct.AuthError):
            self.ctx.redeem_reset_token("1.nonsense", "another-secret")

    def test_expiry(self):
        token = self.admin.create_reset_token(self.c1, ttl=60)
        default = self.admin.create_reset_token(self.c2)  # an hour
        self.now += 61
        with self.assertRaises(libacct.AuthError) as cm:
            self.ctx.redeem_reset_token(token, "brand-new-secret")
        self.assertIn("expired", cm.exception.message)
        self.ctx.redeem_reset_token(default, "brand-new-secret")
        token = self.admin.create_reset_token(self.c1, ttl=0)  # <= 0: an hour
        self.now += 3599
        self.ctx.redeem_reset_token(token, "brand-new-secret")

    def test_refusals(self):
        with self.assertRaises(libacct.DeniedError):
            self.rs.create_reset_token(self.r1)  # never for itself: its owner does that
        with self.assertRaises(libacct.DeniedError):
            self.ctx.session_as(self.u1).create_reset_token(self.u1)
        with self.assertRaises(libacct.NotFoundError):
            self.rs.create_reset_token(self.r2)
        token = self.admin.create_reset_token(self.c1)
        with self.assertRaises(libacct.InvalidError):
            self.ctx.redeem_reset_token(token, "shrt")  # the password rules apply
        self.ctx.redeem_reset_token(token, "long-enough-now")  # and the token is still good
        with self.assertRaises(TypeError):
            self.admin.create_reset_token(self.c1, ttl=1.5)


class TestSecretsAreWiped(Tree):
    def test_buffers_are_zeroed_before_dispose(self):
        """Every method that returns a secret wipes libacct's buffer, then disposes it (even when it raises)."""
        seen = []
        real = _ffi.raw.acct_buf_dispose

        def spy(ref):
            buf = ref._obj
            seen.append(ctypes.string_at(buf.ptr, buf.size) if buf.ptr and buf.size else b"")
            real(ref)

        _ffi.raw.acct_buf_dispose = spy
        try:
            secret, _ = self.admin.create_key(self.c1, "127.0.0.1")
            password, lid = self.admin.create_api_login(self.c1, "c1-api", PartnerRole.ALL_CLIENT)
            new = self.admin.new_api_password(lid)
            token = self.admin.create_reset_token(self.c1)
            with self.assertRaises(libacct.InvalidError):
                self.admin.create_key(self.c1, "nope")
        finally:
            _ffi.raw.acct_buf_dispose = real
        self.assertEqual(len(seen), 5)
        for got, secret_text in zip(seen, (secret, password, new, token)):
            self.assertEqual(got, b"\0" * len(secret_text))
        self.assertEqual(seen[4], b"")


if __name__ == "__main__":
    unittest.main()
