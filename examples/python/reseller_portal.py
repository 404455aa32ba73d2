#!/usr/bin/env python3
"""A reseller portal's day, through the libacct Python bindings.

The administrator sets up a reseller with a customer limit; the reseller, in
its own session, signs up customers, gives one of them a web designer as an
additional user with the Webmaster role, grants DNS management, suspends a
customer that did not pay, and asks the policy what its users may do. Then
the administrator moves a customer to another reseller. Every refusal is an
exception whose message says why.

Run from a source tree after ./build.sh demo (or with libacct installed):
    python3 examples/python/reseller_portal.py [STORE.db]
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
import libacct  # noqa: E402


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.mkdtemp(prefix="portal-"), "portal.db")
    # password_cost keeps the demo quick; leave it out for the strong default.
    with libacct.Context.sqlite(path, admin_login="admin", admin_password="admin-secret-1", password_cost=10) as ctx:
        admin = ctx.login("admin", "admin-secret-1")
        acme = admin.add_reseller(1, "acme", "ACME Hosting", password="acme-secret-1")
        other = admin.add_reseller(1, "other", "Other Hosting")
        admin.set_limit(acme.id, "max_cl", 2)
        print(f"store {path}: reseller acme (id {acme.id}) may own 2 customers")

        reseller = ctx.login("acme", "acme-secret-1")
        bob = reseller.add_customer(acme.id, "bob", "Bob Builder", password="bob-secret-1",
                                    email="bob@example.com", country="DE")
        carol = reseller.add_customer(acme.id, "carol", "Carol Jones", password="carol-secret-1")
        try:
            reseller.add_customer(acme.id, "dave", "Dave Late")
        except libacct.LimitError as e:
            print(f"third customer refused: {e} (Plesk {e.plesk_code})")

        web = reseller.add_user(bob.id, "bob.web", "Web Designer", password="web-secret-1")
        reseller.set_user_role(web.id, libacct.BuiltinRole.WEBMASTER)
        designer = ctx.login("bob.web", "web-secret-1")
        print("designer may manage DNS before the grant:", designer.check("dnsManagement", web.id))
        try:
            reseller.grant(bob.id, "manage_dns")
        except libacct.DeniedError as e:
            print(f"grant refused: {e}")
        admin.grant(acme.id, "manage_dns")     # the reseller may pass on only what it holds
        reseller.grant(bob.id, "manage_dns")
        print("designer may manage DNS after the grant: ", designer.check("dnsManagement", web.id))
        why = designer.explain("userManagement", web.id)
        print(f"designer may manage users: {bool(why)} ({why.text})")

        reseller.suspend(carol.id)
        print("carol's status after suspension:", int(reseller.effective_status(carol.id)))
        try:
            ctx.login("carol", "carol-secret-1")
        except libacct.DisabledError as e:
            print(f"carol cannot log in: {e} (Plesk {e.plesk_code})")
        reseller.activate(carol.id)

        try:
            reseller.change_owner(carol.id, other.id)
        except libacct.DeniedError as e:
            print(f"reseller moving a customer refused: {e}")
        admin.change_owner(carol.id, other.id)
        print("carol now belongs to reseller", admin.get(carol.id).owner)
        print("acme's tree:", [admin.get(i).login for i in admin.descendants(acme.id)])
        for s in (designer, reseller, admin):
            s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
