"""The loader: $LIBACCT_PATH (file or directory), the build tree, the soname, find_library; one ImportError."""

from __future__ import annotations

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
from libacct import _loader


def run_python(code: str, env_update: dict) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter that imports libacct from this source tree."""
    env = dict(os.environ)
    env.pop("LIBACCT_PATH", None)
    env["PYTHONPATH"] = S.BINDINGS + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(env_update)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


LOADED = os.path.realpath(libacct.library_path) if os.path.exists(libacct.library_path) else None


class TestLibacctPath(unittest.TestCase):
    @unittest.skipUnless(LOADED, "the library was loaded by name, not from a file")
    def test_file(self):
        r = run_python("import libacct; print(libacct.library_path)", {"LIBACCT_PATH": LOADED})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), LOADED)

    @unittest.skipUnless(LOADED, "the library was loaded by name, not from a file")
    def test_directory(self):
        d = os.path.dirname(LOADED)
        r = run_python("import libacct; print(libacct.library_path)", {"LIBACCT_PATH": d})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.path.dirname(r.stdout.strip()), d)
        self.assertIn(os.path.basename(r.stdout.strip()), _loader._DIR_NAMES)

    def test_missing_path_is_an_import_error_listing_it(self):
        bad = "/nonexistent/libacct-test/libacct.so.0"
        r = run_python("import libacct", {"LIBACCT_PATH": bad})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError", r.stderr)
        self.assertIn(bad, r.stderr)
        self.assertIn("LIBACCT_PATH is set", r.stderr)

    def test_not_a_library(self):
        with tempfile.TemporaryDirectory() as tmp:
            junk = os.path.join(tmp, "libacct.so.0")
            with open(junk, "w") as f:
                f.write("not an ELF file\n")
            r = run_python("import libacct", {"LIBACCT_PATH": tmp})
        self.assertIn("ImportError", r.stderr)
        self.assertIn(junk, r.stderr)
        # every name tried in the directory is listed
        for name in _loader._DIR_NAMES:
            self.assertIn(name, r.stderr)

    def test_relative_directory_from_the_repo_root(self):
        if not LOADED or not LOADED.startswith(S.REPO + os.sep):
            self.skipTest("the loaded library is not in this source tree")
        rel = os.path.relpath(os.path.dirname(LOADED), S.REPO)
        env = dict(os.environ)
        env["LIBACCT_PATH"] = rel
        env["PYTHONPATH"] = S.BINDINGS
        r = subprocess.run([sys.executable, "-c", "import libacct; print(libacct.version)"], cwd=S.REPO, env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)


class TestSearchOrder(unittest.TestCase):
    def test_order_without_libacct_path(self):
        saved = os.environ.pop("LIBACCT_PATH", None)
        try:
            where = [w for w, _ in _loader.candidates()]
        finally:
            if saved is not None:
                os.environ["LIBACCT_PATH"] = saved
        # build tree entries, then the soname, then find_library
        self.assertIn("soname", where)
        self.assertIn("find_library", where)
        i = where.index("soname")
        self.assertTrue(all(w == "build tree" for w in where[:i]))
        self.assertLess(i, where.index("find_library"))

    def test_build_tree_prefers_default(self):
        trees = _loader._build_tree_candidates()
        default = os.path.join(S.REPO, "_build", "default", "src", ".libs", _loader.SONAME)
        if os.path.exists(default):
            self.assertEqual(trees[0], default)
        for t in trees:
            self.assertTrue(t.endswith(os.path.join("src", ".libs", _loader.SONAME)))

    def test_libacct_path_is_exclusive(self):
        saved = os.environ.get("LIBACCT_PATH")
        os.environ["LIBACCT_PATH"] = "/some/file.so"
        try:
            self.assertEqual(_loader.candidates(), [("LIBACCT_PATH", "/some/file.so")])
        finally:
            if saved is None:
                del os.environ["LIBACCT_PATH"]
            else:
                os.environ["LIBACCT_PATH"] = saved

    def test_without_libacct_path_loads_from_the_build_tree(self):
        if not _loader._build_tree_candidates():
            self.skipTest("no build tree")
        r = run_python("import libacct; print(libacct.library_path)", {})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(os.path.join("src", ".libs"), r.stdout)

    def test_sanitizer_builds_are_recognised(self):
        try:
            with open("/proc/self/maps") as m:
                preloaded = "libasan.so" in m.read()
        except OSError:
            preloaded = False
        with tempfile.NamedTemporaryFile("wb", suffix=".so") as f:
            f.write(b"\x7fELF....libasan.so.8\x00....")
            f.flush()
            # with the runtime already in the process (LD_PRELOAD) such a build loads fine
            self.assertEqual(_loader._sanitizer_runtime(f.name), None if preloaded else "libasan")
        with tempfile.NamedTemporaryFile("wb", suffix=".so") as f:
            f.write(b"\x7fELF....libc.so.6\x00")
            f.flush()
            self.assertIsNone(_loader._sanitizer_runtime(f.name))


if __name__ == "__main__":
    unittest.main()
