"""The Python examples run and say what they should."""

import os
import subprocess
import sys
import tempfile
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

import libacct

REPO = S.REPO


class ResellerPortalExample(unittest.TestCase):
    def test_runs_and_shows_the_policy(self) -> None:
        script = os.path.join(REPO, "examples", "python", "reseller_portal.py")
        env = dict(os.environ)
        # The example must load the same library these tests load.
        env["LIBACCT_PATH"] = libacct.library_path
        with tempfile.TemporaryDirectory() as d:
            out = subprocess.run([sys.executable, script, os.path.join(d, "portal.db")], env=env,
                                 capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("has reached max_cl (2)", out.stdout)
        self.assertIn("cannot grant manage_dns", out.stdout)
        self.assertIn("designer may manage DNS after the grant:  True", out.stdout)
        self.assertIn("carol cannot log in", out.stdout)
        self.assertIn("only the administrator can", out.stdout)
        self.assertIn("acme's tree: ['bob', 'bob.web']", out.stdout)


if __name__ == "__main__":
    unittest.main()
