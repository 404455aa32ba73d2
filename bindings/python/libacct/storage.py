"""Storage backends written in Python.

Subclass :class:`StorageBackend`, implement its methods and open a context
over an instance with :meth:`libacct.Context.open`. libacct calls the methods
through the ``acct_storage`` vtable of acct/sys/storage.h:

* Keys and values are :class:`bytes`. Keys compare as unsigned bytes (the
  order of Python's ``bytes`` comparison, shorter first on a tie).
* Every access is bracketed by ``begin(write)`` and ``commit()`` or
  ``rollback()``; transactions are never nested. A write transaction must be
  atomic: after ``rollback()`` the store holds what it held before ``begin``.
* Methods are called one at a time (the context serializes them), possibly
  from different threads, so a backend attached to one context needs no lock.
* The keys and the record format are private to libacct: store them as
  opaque bytes.

Errors: an exception raised by a method is caught before it reaches C; libacct
is told ``ACCT_EUSER`` with the exception's text, rolls the operation back, and
the exception itself is re-raised to the Python caller of the operation. To
report a specific libacct error instead (e.g. :class:`~libacct.StorageError`
for "disk full"), raise that :class:`~libacct.AcctError` subclass: its code and
message are passed through and the caller gets the error libacct reports.
"""

from __future__ import annotations

import ctypes
from typing import Any, Dict, Iterable, Iterator, Optional, Tuple

from . import _callbacks
from . import _ffi
from ._callbacks import REGISTRY, report
from ._ffi import raw

__all__ = ["StorageBackend"]


class StorageBackend:
    """Base class of a storage backend written in Python (an ordered key-value store with transactions).

    Override every method but :meth:`close`. A backend instance can serve one
    context at a time; the context calls :meth:`close` once when it is closed.
    """

    def begin(self, write: bool) -> None:
        """Start a transaction; ``write`` is True for a write transaction."""
        raise NotImplementedError(f"{type(self).__name__}.begin")

    def commit(self) -> None:
        """Make the transaction's writes durable and end it."""
        raise NotImplementedError(f"{type(self).__name__}.commit")

    def rollback(self) -> None:
        """Discard the transaction's writes and end it (even when it raises)."""
        raise NotImplementedError(f"{type(self).__name__}.rollback")

    def get(self, key: bytes) -> Optional[bytes]:
        """The value of ``key``, or None when it is absent."""
        raise NotImplementedError(f"{type(self).__name__}.get")

    def put(self, key: bytes, value: bytes) -> None:
        """Insert or replace ``key`` (inside a write transaction)."""
        raise NotImplementedError(f"{type(self).__name__}.put")

    def delete(self, key: bytes) -> None:
        """Remove ``key``; removing an absent key succeeds."""
        raise NotImplementedError(f"{type(self).__name__}.delete")

    def iterate(self, prefix: bytes) -> Iterable[Tuple[bytes, bytes]]:
        """``(key, value)`` pairs whose key starts with ``prefix`` (all when empty), in ascending key order.

        A generator is fine: libacct reads it inside one transaction, writes
        nothing while it is open, and closes it (``close()``) when done.
        """
        raise NotImplementedError(f"{type(self).__name__}.iterate")

    def close(self) -> None:
        """Called once, when the context that owns this backend is closed. Optional."""


# ---------------------------------------------------------------------------
# The vtable adapter
# ---------------------------------------------------------------------------


class _Adapter:
    """What C's ``acct_storage`` stands for: the backend, the v1 struct and the open iterators."""

    __slots__ = ("backend", "struct", "token", "iterators", "attached", "root", "label")

    def __init__(self, backend: StorageBackend) -> None:
        self.backend = backend
        self.label = type(backend).__name__
        self.iterators: Dict[int, _IterState] = {}
        self.attached = False  # True once a context owns it (then free() calls backend.close())
        self.root: Any = None  # the context's handle, for the re-entrancy check
        self.struct = _ffi.acct_storage()
        # The C initialiser sets the version (and NULLs), as ACCT_STORAGE_INIT would.
        _ffi.lib.acct_storage_init(ctypes.byref(self.struct), _ffi.ACCT_STORAGE_VERSION)
        self.token = REGISTRY.add(self)
        s = self.struct
        s.payload = self.token
        s.begin = _BEGIN
        s.commit = _COMMIT
        s.rollback = _ROLLBACK
        s.get = _GET
        s.put = _PUT
        s.del_ = _DEL
        s.iterate = _ITERATE
        s.free = _FREE

    def pointer(self) -> Any:
        """``acct_storage *`` for C."""
        return ctypes.pointer(self.struct)


class _IterState:
    """One open ``acct_storage_iterator``: the Python iterator, the v1 struct, order checks."""
    __slots__ = ("it", "prefix", "last", "struct", "token", "adapter")

    def __init__(self, it: Iterator[Tuple[bytes, bytes]], prefix: bytes, adapter: _Adapter) -> None:
        self.it = it
        self.prefix = prefix
        self.last: Optional[bytes] = None
        self.adapter = adapter
        self.struct = _ffi.acct_storage_iterator()
        # raw: this runs inside a callback, where the errcheck must not consume a stashed exception
        if raw.acct_storage_iterator_init(ctypes.byref(self.struct), _ffi.ACCT_STORAGE_ITERATOR_VERSION) != 0:
            raise RuntimeError("acct_storage_iterator_init(1) failed")  # pragma: no cover
        self.token = REGISTRY.add(self)
        self.struct.payload = self.token
        self.struct.next = _ITER_NEXT
        self.struct.free = _ITER_FREE


def _bytes(key: Optional[int], n: int) -> bytes:
    """Copy ``n`` bytes at address ``key`` (NULL is fine when ``n`` is 0)."""
    return ctypes.string_at(key, n) if n else b""


def _as_bytes(value: Any, what: str) -> bytes:
    """Accept bytes-like values from a backend; refuse anything else with TypeError."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, not {type(value).__name__}")


# Each trampoline: find the adapter through the payload token, mark this
# thread as inside a callback of the adapter's context, run the method, and
# turn any exception into an ACCT_E* code (stashing it for the caller).


@_ffi.storage_begin_fn
def _BEGIN(s: Any, write: int) -> int:
    """Trampoline for ``acct_storage.begin``."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage begin()")
    _callbacks.enter(a.root)
    try:
        a.backend.begin(bool(write))
        return 0
    except BaseException as e:
        return report(e, f"{a.label}.begin()")
    finally:
        _callbacks.leave()


@_ffi.storage_commit_fn
def _COMMIT(s: Any) -> int:
    """Trampoline for ``acct_storage.commit``."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage commit()")
    _callbacks.enter(a.root)
    try:
        a.backend.commit()
        return 0
    except BaseException as e:
        return report(e, f"{a.label}.commit()")
    finally:
        _callbacks.leave()


@_ffi.storage_rollback_fn
def _ROLLBACK(s: Any) -> int:
    """Trampoline for ``acct_storage.rollback``."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage rollback()")
    _callbacks.enter(a.root)
    try:
        a.backend.rollback()
        return 0
    except BaseException as e:
        return report(e, f"{a.label}.rollback()")
    finally:
        _callbacks.leave()


@_ffi.storage_get_fn
def _GET(s: Any, key: Optional[int], key_len: int, value: Any) -> int:
    """Trampoline for ``acct_storage.get``: None means ACCT_ENOTFOUND; data goes out through acct_buf_set."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage get()")
    _callbacks.enter(a.root)
    try:
        v = a.backend.get(_bytes(key, key_len))
        if v is None:
            return _ffi.ACCT_ENOTFOUND
        v = _as_bytes(v, f"the value {a.label}.get() returned")
        return int(raw.acct_buf_set(value, v, len(v)))
    except BaseException as e:
        return report(e, f"{a.label}.get()")
    finally:
        _callbacks.leave()


@_ffi.storage_put_fn
def _PUT(s: Any, key: Optional[int], key_len: int, val: Optional[int], val_len: int) -> int:
    """Trampoline for ``acct_storage.put``."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage put()")
    _callbacks.enter(a.root)
    try:
        a.backend.put(_bytes(key, key_len), _bytes(val, val_len))
        return 0
    except BaseException as e:
        return report(e, f"{a.label}.put()")
    finally:
        _callbacks.leave()


@_ffi.storage_del_fn
def _DEL(s: Any, key: Optional[int], key_len: int) -> int:
    """Trampoline for ``acct_storage.del`` (``StorageBackend.delete``)."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage delete()")
    _callbacks.enter(a.root)
    try:
        a.backend.delete(_bytes(key, key_len))
        return 0
    except BaseException as e:
        return report(e, f"{a.label}.delete()")
    finally:
        _callbacks.leave()


@_ffi.storage_iterate_fn
def _ITERATE(out: Any, s: Any, prefix: Optional[int], prefix_len: int) -> int:
    """Trampoline for ``acct_storage.iterate``: wraps the backend's iterable in a v1 iterator struct."""
    try:
        a = REGISTRY.get(s[0].payload)
    except BaseException as e:
        return report(e, "storage iterate()")
    _callbacks.enter(a.root)
    try:
        p = _bytes(prefix, prefix_len)
        state = _IterState(iter(a.backend.iterate(p)), p, a)
        a.iterators[state.token] = state
        out[0] = ctypes.pointer(state.struct)
        return 0
    except BaseException as e:
        return report(e, f"{a.label}.iterate()")
    finally:
        _callbacks.leave()


@_ffi.storage_iterator_next_fn
def _ITER_NEXT(it: Any, key: Any, value: Any) -> int:
    """Trampoline for ``acct_storage_iterator.next``."""
    try:
        st = REGISTRY.get(it[0].payload)
    except BaseException as e:
        return report(e, "storage iterator next()")
    a = st.adapter
    _callbacks.enter(a.root)
    try:
        try:
            pair = next(st.it)
        except StopIteration:
            return _ffi.ACCT_ITEROVER
        k, v = pair
        k = _as_bytes(k, f"a key from {a.label}.iterate()")
        v = _as_bytes(v, f"a value from {a.label}.iterate()")
        # Cheap checks that turn a backend bug into a clear error instead of
        # a wrong index: keys carry the prefix and strictly ascend.
        if not k.startswith(st.prefix):
            return int(raw.acct_error_set_str(_ffi.ACCT_ESTORAGE, _callbacks._message(
                f"storage backend {a.label}.iterate({st.prefix!r}) returned key {k[:40]!r} without the prefix")))
        if st.last is not None and k <= st.last:
            return int(raw.acct_error_set_str(_ffi.ACCT_ESTORAGE, _callbacks._message(
                f"storage backend {a.label}.iterate() returned keys out of order ({st.last[:40]!r} then "
                f"{k[:40]!r}); keys must ascend as unsigned bytes")))
        st.last = k
        rc = int(raw.acct_buf_set(key, k, len(k)))
        if rc == 0:
            rc = int(raw.acct_buf_set(value, v, len(v)))
        return rc
    except BaseException as e:
        return report(e, f"{a.label}.iterate() iterator")
    finally:
        _callbacks.leave()


def _close_iter(st: _IterState) -> None:
    """Drop an iterator's references and close the backend's generator now."""
    REGISTRY.drop(st.token)
    st.adapter.iterators.pop(st.token, None)
    close = getattr(st.it, "close", None)
    st.it = iter(())
    if close is not None:
        close()  # a generator's finally blocks run now, not at some later GC


@_ffi.storage_iterator_free_fn
def _ITER_FREE(it: Any) -> None:
    """Trampoline for ``acct_storage_iterator.free``."""
    try:
        st = REGISTRY.get(it[0].payload)
    except BaseException:
        return
    _callbacks.enter(st.adapter.root)
    try:
        _close_iter(st)
    except BaseException as e:
        _callbacks.stash(e, f"closing the iterator of {st.adapter.label}.iterate()")
    finally:
        _callbacks.leave()


@_ffi.storage_free_fn
def _FREE(s: Any) -> None:
    """Trampoline for ``acct_storage.free``: drops every reference; calls backend.close() if a context owned it."""
    try:
        a = REGISTRY.drop(s[0].payload)
    except BaseException:
        return
    if a is None:
        return
    _callbacks.enter(a.root)
    try:
        for st in list(a.iterators.values()):
            _close_iter(st)
        if a.attached:
            a.attached = False
            a.backend.close()
    except BaseException as e:
        _callbacks.stash(e, f"{a.label}.close()")
    finally:
        _callbacks.leave()
