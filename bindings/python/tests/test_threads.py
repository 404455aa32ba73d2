"""Several threads on one Context: adds and lookups, shared sessions, duplicates, errors per thread, close."""

from __future__ import annotations

import threading
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct

THREADS = 8
PER_THREAD = 25


def run_threads(target, n=THREADS):
    errors = []

    def wrap(i):
        try:
            target(i)
        except BaseException as e:  # reported by the test
            errors.append((i, e))

    threads = [threading.Thread(target=wrap, args=(i,), name=f"worker-{i}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
        if t.is_alive():
            raise AssertionError(f"{t.name} is stuck")
    return errors


class TestAddsAndLookups(unittest.TestCase):
    def _adds_and_lookups(self, ctx, shared_session=None):
        start = threading.Barrier(THREADS)

        def work(i):
            s = shared_session or ctx.session_as(1)
            start.wait()
            owner = s.add_reseller(1, f"t{i}-r", f"Reseller {i}").id
            for j in range(PER_THREAD):
                c = s.add_customer(owner, f"t{i}-c{j}", f"Customer {i}.{j}", email=f"c{j}@t{i}.example")
                got = s.get_by_login(f"t{i}-c{j}")
                assert got.id == c.id and got.owner == owner, (got, c)
                assert s.get(c.id).email == f"c{j}@t{i}.example"
                if j % 5 == 0:
                    assert s.effective_status(c) == 0
                    ctx.account_count  # noqa: B018
            kids = list(s.children(owner))
            assert len(kids) == PER_THREAD and kids == sorted(kids), kids
            if shared_session is None:
                s.close()

        errors = run_threads(work)
        self.assertEqual(errors, [])
        self.assertEqual(ctx.account_count, 1 + THREADS * (1 + PER_THREAD))
        with ctx.session_as(1) as s:
            self.assertEqual(len(list(s.descendants(1))), THREADS * (1 + PER_THREAD))

    def test_memory_store(self):
        with S.memory_ctx() as ctx:
            self._adds_and_lookups(ctx)

    def test_python_backend(self):
        store = S.DictStorage()
        with S.dict_ctx(store) as ctx:
            self._adds_and_lookups(ctx)
        self.assertEqual(store.concurrent, 0, "libacct never calls a backend from two threads at once")
        self.assertGreater(len(store.threads), 1)
        self.assertEqual(store.closed, 1)

    def test_one_session_shared_by_threads(self):
        with S.memory_ctx() as ctx, ctx.session_as(1) as s:
            self._adds_and_lookups(ctx, shared_session=s)


class TestContention(unittest.TestCase):
    def test_duplicate_logins_race(self):
        with S.memory_ctx() as ctx:
            start = threading.Barrier(THREADS)
            outcome = []

            def work(i):
                with ctx.session_as(1) as s:
                    start.wait()
                    try:
                        s.add_customer(1, "the-one", f"Thread {i}")
                        outcome.append("ok")
                    except libacct.ExistsError as e:
                        assert "the-one" in e.message, e.message
                        outcome.append("exists")

            self.assertEqual(run_threads(work), [])
            self.assertEqual(sorted(outcome), ["exists"] * (THREADS - 1) + ["ok"])

    def test_callback_exceptions_stay_on_their_thread(self):
        class Picky(S.DictStorage):
            def get(self, key):
                if threading.current_thread().name.endswith(("-0", "-2", "-4", "-6")):
                    raise LookupError(f"refused for {threading.current_thread().name}")
                return super().get(key)

        store = Picky()
        with S.dict_ctx(store) as ctx:
            def work(i):
                with ctx.session_as(1) as s:
                    for _ in range(30):
                        name = threading.current_thread().name
                        if i % 2 == 0:
                            try:
                                s.get(1)
                            except LookupError as e:
                                assert str(e) == f"refused for {name}", (str(e), name)
                            else:
                                raise AssertionError("no exception")
                        else:
                            assert s.get(1).login == S.ADMIN

            self.assertEqual(run_threads(work), [])

    def test_close_while_threads_work(self):
        ctx = S.memory_ctx()
        with ctx.session_as(1) as s:
            for i in range(20):
                s.add_customer(1, f"pre{i}", "P")
        started = threading.Barrier(THREADS + 1)
        done = []

        def work(i):
            try:
                s = ctx.session_as(1)
            except libacct.InvalidError:
                started.wait()
                done.append(i)
                return
            started.wait()
            try:
                n = 0
                while True:
                    s.get(2 + n % 20)
                    list(s.children(1))
                    if n % 10 == 0:
                        s.add_customer(1, f"w{i}-{n}", "W")
                    n += 1
            except libacct.InvalidError as e:
                assert "closed" in e.message, e.message
                done.append(i)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        started.wait()
        ctx.close()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(done), list(range(THREADS)))
        self.assertTrue(ctx.closed)


if __name__ == "__main__":
    unittest.main()
