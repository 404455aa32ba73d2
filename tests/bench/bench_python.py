#!/usr/bin/env python3
"""Session.check from Python on a 100,000-account memory store.

Builds 1 admin, 100 resellers, 20,000 customers and 79,899 users (users get
the Webmaster role), then times random Session.check calls over a fixed mix
of permissions and targets (allowed and denied) from a seeded generator; the
query list is built before timing so only check() is measured.
Last line: python_checks_per_s=N
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
import libacct  # noqa: E402


def main() -> None:
    checks = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    ctx = libacct.Context.memory("admin", "adminpass1", password_cost=1)
    admin = ctx.session_as(1)
    t0 = time.monotonic()
    ids = {"reseller": [], "customer": [], "user": []}
    # Targets are plain ints: check() takes an id or an Account.
    for r in range(100):
        rid = int(admin.add_reseller(1, f"r{r}", f"Reseller {r}").id)
        ids["reseller"].append(rid)
        for c in range(200):
            cid = int(admin.add_customer(rid, f"c{r}_{c}", "Customer").id)
            ids["customer"].append(cid)
            if c % 2 == 0:
                admin.grant(cid, "manage_dns")
    # Users round-robin over the customers until the store holds 100,000 accounts.
    n = 0
    while 1 + 100 + len(ids["customer"]) + n < 100_000:
        cid = ids["customer"][n % len(ids["customer"])]
        uid = int(admin.add_user(cid, f"u{n}", "User").id)
        ids["user"].append(uid)
        admin.set_user_role(uid, libacct.BuiltinRole.WEBMASTER)
        n += 1
    total = 1 + sum(len(v) for v in ids.values())
    print(f"build: {total} accounts in {time.monotonic() - t0:.1f} s")

    rng = random.Random(42)
    perms = ["manage_dns", "create_clients", "dnsManagement", "browseStats", "userManagement"]
    sessions = {kind: [ctx.session_as(i) for i in rng.sample(ids[kind], min(200, len(ids[kind])))] for kind in ids}
    everyone = ids["reseller"] + ids["customer"] + ids["user"]
    queries = []
    for _ in range(4096):
        kind = rng.choice(["reseller", "customer", "user"])
        s = rng.choice(sessions[kind])
        target = int(s.account_id) if rng.random() < 0.6 else rng.choice(everyone)
        queries.append((s, rng.choice(perms), target))
    allowed = 0
    t0 = time.monotonic()
    for i in range(checks):
        s, p, t = queries[i & 4095]
        allowed += s.check(p, t)
    dt = time.monotonic() - t0
    print(f"checks: {checks} ({allowed} allowed) in {dt:.2f} s")
    print(f"python_checks_per_s={int(checks / dt)}")


if __name__ == "__main__":
    main()
