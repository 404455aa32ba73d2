"""Context.postgres: the PostgreSQL store (runs when ACCT_TEST_PG names a database)."""

import os
import unittest
import uuid

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct

PG = os.environ.get("ACCT_TEST_PG")


class PostgresUnreachable(unittest.TestCase):
    def test_no_server_is_a_storage_error(self) -> None:
        try:
            libacct.Context.postgres("host=/nonexistent-libacct-dir dbname=acct connect_timeout=2",
                                     S.ADMIN, S.ADMIN_PW, password_cost=S.COST)
        except libacct.NotSupportedError:
            self.skipTest("libacct built without libpq")
        except libacct.StorageError as e:
            self.assertIn("PostgreSQL", str(e))
        else:
            self.fail("a context opened without a server")


@unittest.skipUnless(PG, "ACCT_TEST_PG is not set: no PostgreSQL server to test against")
class PostgresStore(unittest.TestCase):
    def test_two_contexts_see_each_other(self) -> None:
        login = "py" + uuid.uuid4().hex[:12]
        with libacct.Context.postgres(PG, S.ADMIN, S.ADMIN_PW, password_cost=S.COST) as a, \
                libacct.Context.postgres(PG, S.ADMIN, S.ADMIN_PW, password_cost=S.COST) as b:
            sa, sb = a.session_as(1), b.session_as(1)
            made = sa.add_customer(1, login, "Python Customer")
            seen = sb.get_by_login(login)
            self.assertEqual(int(seen.id), int(made.id))
            with self.assertRaises(libacct.ExistsError):
                sb.add_customer(1, login, "Twice")
            sb.delete(seen.id)
            with self.assertRaises(libacct.NotFoundError):
                sa.get_by_login(login)
            sa.close()
            sb.close()


if __name__ == "__main__":
    unittest.main()
