"""Shared helpers of the libacct binding tests.

Makes ``import libacct`` work when the tests are run from the repository root
without PYTHONPATH (``python3 -m unittest discover -s bindings/python/tests``),
and holds the reference pure-Python storage backend the tests use.
"""

from __future__ import annotations

import bisect
import os
import sys
import threading
from typing import Dict, Iterator, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
BINDINGS = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(BINDINGS))
if BINDINGS not in sys.path:
    sys.path.insert(0, BINDINGS)

import libacct  # noqa: E402  (after the path set-up)

#: Cheap scrypt for tests (log2 N); production uses libacct's default.
COST = 4
ADMIN = "admin"
ADMIN_PW = "admin-secret"


def memory_ctx(**kw) -> "libacct.Context":
    """A fresh memory context with the test administrator."""
    kw.setdefault("password_cost", COST)
    return libacct.Context.memory(ADMIN, ADMIN_PW, **kw)


class DictStorage(libacct.StorageBackend):
    """A pure-Python ordered key-value store: a dict plus a sorted key list.

    Write transactions keep an undo journal, so rollback() restores exactly
    what begin() saw. `calls` counts method calls; `closed` counts close().
    Tests make any method fail by putting its name in `fail` (the value is
    the exception to raise).
    """

    def __init__(self, data: Optional[Dict[bytes, bytes]] = None, share: Optional["DictStorage"] = None) -> None:
        if share is not None:  # a second connection to the same store (for two contexts)
            self.data, self.keys = share.data, share.keys
        else:
            self.data: Dict[bytes, bytes] = dict(data or {})
            self.keys: List[bytes] = sorted(self.data)
        self.in_tx: Optional[bool] = None  # None, or True for a write transaction
        self.undo: Dict[bytes, Optional[bytes]] = {}
        self.calls: Dict[str, int] = {}
        self.closed = 0
        self.fail: Dict[str, BaseException] = {}
        self.threads = set()
        self.concurrent = 0
        self._active = 0
        self._lock = threading.Lock()

    # bookkeeping shared by every method
    def _enter(self, name: str) -> None:
        with self._lock:
            self._active += 1
            if self._active > 1:
                self.concurrent += 1
        self.calls[name] = self.calls.get(name, 0) + 1
        self.threads.add(threading.get_ident())
        exc = self.fail.get(name)
        if exc is not None:
            with self._lock:
                self._active -= 1
            raise exc

    def _leave(self) -> None:
        with self._lock:
            self._active -= 1

    def begin(self, write: bool) -> None:
        self._enter("begin")
        try:
            assert self.in_tx is None, "nested transaction"
            self.in_tx = bool(write)
            self.undo = {}
        finally:
            self._leave()

    def commit(self) -> None:
        self._enter("commit")
        try:
            assert self.in_tx is not None, "commit outside a transaction"
            self.in_tx = None
            self.undo = {}
        finally:
            self._leave()

    def rollback(self) -> None:
        self._enter("rollback")
        try:
            for k, old in self.undo.items():
                self._set(k, old)
            self.undo = {}
            self.in_tx = None
        finally:
            self._leave()

    def _set(self, key: bytes, value: Optional[bytes]) -> None:
        present = key in self.data
        if value is None:
            if present:
                del self.data[key]
                del self.keys[bisect.bisect_left(self.keys, key)]
        else:
            if not present:
                bisect.insort(self.keys, key)
            self.data[key] = value

    def get(self, key: bytes) -> Optional[bytes]:
        self._enter("get")
        try:
            assert self.in_tx is not None, "get outside a transaction"
            return self.data.get(key)
        finally:
            self._leave()

    def put(self, key: bytes, value: bytes) -> None:
        self._enter("put")
        try:
            assert self.in_tx is True, "put outside a write transaction"
            self.undo.setdefault(key, self.data.get(key))
            self._set(bytes(key), bytes(value))
        finally:
            self._leave()

    def delete(self, key: bytes) -> None:
        self._enter("delete")
        try:
            assert self.in_tx is True, "delete outside a write transaction"
            self.undo.setdefault(key, self.data.get(key))
            self._set(key, None)
        finally:
            self._leave()

    def iterate(self, prefix: bytes) -> Iterator[Tuple[bytes, bytes]]:
        self._enter("iterate")
        try:
            assert self.in_tx is not None, "iterate outside a transaction"
            start = bisect.bisect_left(self.keys, prefix)
            snapshot = []
            for k in self.keys[start:]:
                if not k.startswith(prefix):
                    break
                snapshot.append((k, self.data[k]))
        finally:
            self._leave()
        return iter(snapshot)

    def close(self) -> None:
        self.closed += 1


def dict_ctx(store: Optional[DictStorage] = None, **kw) -> "libacct.Context":
    """A context over a DictStorage (a new one unless given)."""
    kw.setdefault("password_cost", COST)
    kw.setdefault("admin_login", ADMIN)
    kw.setdefault("admin_password", ADMIN_PW)
    return libacct.Context.open(store if store is not None else DictStorage(), **kw)
