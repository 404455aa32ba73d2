"""Find and load the libacct shared library.

The order, first hit wins:

1. ``$LIBACCT_PATH``: a file (loaded as is) or a directory (its
   ``libacct.so.0``, then ``libacct.so``, ...). When the variable is set it is
   the only place looked at, so a wrong value is an error and never silently
   falls back to another copy of the library.
2. The build tree the package sits in, when it is used from a source checkout:
   ``<repo>/_build/*/src/.libs/libacct.so.0`` (``_build/default`` first, then
   the others, newest first) and ``<repo>/src/.libs/libacct.so.0`` (an in-tree
   build). ``<repo>`` is two directories above ``bindings/python``.
3. The installed soname, ``libacct.so.0``, through the dynamic linker's search.
4. ``ctypes.util.find_library("acct")``, then the macOS and Windows names.

Every failure is remembered; if nothing loads, one :class:`ImportError` lists
every place tried and why it failed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from typing import List, Optional, Tuple

__all__ = ["SONAME", "load", "candidates"]

#: The runtime name of the library this package binds (libtool current - age = 0).
SONAME = "libacct.so.0"

#: File names tried inside a directory given by $LIBACCT_PATH, in order.
_DIR_NAMES = (SONAME, "libacct.so", "libacct.0.dylib", "libacct.dylib", "libacct-0.dll", "acct.dll")

#: Names handed to the dynamic linker after the build tree, in order.
_SYSTEM_NAMES = {
    "darwin": ("libacct.0.dylib", "libacct.dylib"),
    "win32": ("libacct-0.dll", "acct.dll"),
}


def _repo_root() -> str:
    """The source tree root, two levels above ``bindings/python``."""
    here = os.path.dirname(os.path.abspath(__file__))  # .../bindings/python/libacct
    return os.path.normpath(os.path.join(here, os.pardir, os.pardir, os.pardir))


def _sanitizer_runtime(path: str) -> Optional[str]:
    """The sanitizer runtime a library was linked with (``"libasan"``...), or None.

    An AddressSanitizer build cannot be dlopen()ed into a Python that was not
    started with the ASan runtime: the runtime aborts the whole process instead
    of failing the load. Such build trees (``_build/asan``) are skipped unless
    the runtime is already in the process (``LD_PRELOAD``).
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    for rt in ("libasan", "libtsan", "libmsan"):
        if (rt + ".so").encode() in data:
            try:
                with open("/proc/self/maps", "r", encoding="utf-8", errors="replace") as m:
                    if rt + ".so" in m.read():
                        return None
            except OSError:
                pass
            return rt
    return None


def _in_source_tree() -> bool:
    """True when this package is ``<repo>/bindings/python/libacct`` (not an installed copy)."""
    here = os.path.dirname(os.path.abspath(__file__))
    python_dir = os.path.dirname(here)
    return os.path.basename(python_dir) == "python" and os.path.basename(os.path.dirname(python_dir)) == "bindings"


def _build_tree_candidates() -> List[str]:
    """Shared objects of the build trees next to this package, best first (none for an installed copy)."""
    if not _in_source_tree():
        return []
    root = _repo_root()
    found: List[str] = []
    build = os.path.join(root, "_build")
    if os.path.isdir(build):
        dirs = []
        for name in os.listdir(build):
            so = os.path.join(build, name, "src", ".libs", SONAME)
            if os.path.exists(so):
                dirs.append((name, so))
        # The official tree first, then the most recently built.
        dirs.sort(key=lambda d: (d[0] != "default", -os.path.getmtime(d[1]), d[0]))
        found.extend(so for _, so in dirs)
    in_tree = os.path.join(root, "src", ".libs", SONAME)
    if os.path.exists(in_tree):
        found.append(in_tree)
    return found


def candidates() -> List[Tuple[str, str]]:
    """The places :func:`load` would try, as ``(where, path or name)`` pairs."""
    env = os.environ.get("LIBACCT_PATH")
    if env:
        if os.path.isdir(env):
            return [("LIBACCT_PATH", os.path.join(env, n)) for n in _DIR_NAMES]
        return [("LIBACCT_PATH", env)]
    out = [("build tree", p) for p in _build_tree_candidates()]
    out.append(("soname", SONAME))
    found = ctypes.util.find_library("acct")
    if found:
        out.append(("find_library", found))
    else:
        out.append(("find_library", "find_library('acct') found nothing"))
    for name in _SYSTEM_NAMES.get(sys.platform, ()):
        out.append(("platform name", name))
    return out


def load() -> Tuple[ctypes.CDLL, str]:
    """Load libacct and return ``(library, path or name it was loaded from)``.

    :raises ImportError: nothing could be loaded; the message lists every
        attempt and its error.
    """
    tried: List[str] = []
    env = os.environ.get("LIBACCT_PATH")
    for where, target in candidates():
        if where == "find_library" and target.startswith("find_library("):
            tried.append(f"  {where}: {target}")
            continue
        if where in ("LIBACCT_PATH", "build tree") and not os.path.exists(target):
            tried.append(f"  {where}: {target}: no such file")
            continue
        if where == "build tree":
            rt = _sanitizer_runtime(target)
            if rt:
                tried.append(f"  {where}: {target}: skipped, built with {rt} (load it through LIBACCT_PATH "
                             f"with the runtime in LD_PRELOAD)")
                continue
        try:
            return ctypes.CDLL(target), target
        except OSError as e:
            tried.append(f"  {where}: {target}: {e}")
    hint = (
        "LIBACCT_PATH is set, so no other place was tried; fix or unset it"
        if env
        else "build libacct (./build.sh demo), install it (make install), "
        "or set LIBACCT_PATH to the library file or its directory"
    )
    raise ImportError("libacct: cannot load the shared library. Tried:\n" + "\n".join(tried) + "\n" + hint)
