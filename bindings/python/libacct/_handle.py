"""Native handles with a safe close().

A :class:`Handle` owns one C pointer and the function that frees it. Every
use of the pointer is bracketed by :meth:`Handle.acquire` /
:meth:`Handle.release`; :meth:`Handle.close` waits until no thread uses the
pointer, closes the handle's children first (a context's sessions, a
session's iterators), then frees it exactly once. After that, acquire()
raises :class:`~libacct.errors.InvalidError` ("... is closed") instead of
handing out a dangling pointer, so no object used after close() can crash
the process, whichever thread closed it.

*Shared* handles (the context) let many threads use the pointer at once: the
C library locks. *Exclusive* handles (sessions, accounts, iterators) admit one
thread at a time, as the C API asks ("a session, an account object, an
iterator belongs to one thread at a time"); the same thread may re-enter.

The **lane** is a lock-free way in for the one call that must cost next to
nothing, ``Session.check()`` (``acct_check``: it only reads the session, which
C never changes after opening it, and takes the context's read lock). The
caller appends to :attr:`Handle.lane`, *then* tests ``_state``; :meth:`_close`
sets ``_state``, *then* waits for the lane to empty. Under the GIL these steps
are sequentially consistent, so either the caller sees the handle closing and
backs out, or the closer sees the caller and waits for it: the pointer is
never freed under a call. A caller leaving the lane of a closing handle
notifies the closer (:meth:`lane_left`). Lane calls do not take the exclusive
turn: the C function is safe to run in parallel on one session, and it runs
no storage or clock callback (it reads the in-memory index only). It does run
the audit hook for a denial, which may call libacct: close() refuses, from
inside an audit hook, a handle whose lane (or a child's) is in use, rather
than wait for the check that is running the hook; check() reports what the
hook stashed.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Set

from . import _callbacks
from .errors import InvalidError

_get_ident = threading.get_ident
_tls = _callbacks._tls

#: Handles whose finalizer ran while the collecting thread was using them (see Handle.finalize).
_deferred: List["Handle"] = []


class Handle:
    """One owned C pointer (see the module docstring)."""

    __slots__ = ("what", "_ptr", "_free", "_lock", "_cond", "_waiters", "_users", "_state", "_exclusive",
                 "_children", "_parent", "root", "lane", "__weakref__")

    def __init__(self, ptr: Any, free: Callable[[Any], None], what: str, parent: Optional["Handle"] = None,
                 exclusive: bool = False) -> None:
        """Own ``ptr``; ``free(ptr)`` runs once on close. ``parent`` must be acquired by the caller."""
        self.what = what
        self._ptr = ptr
        self._free = free
        # _lock is _cond's lock: `with self._lock` is `with self._cond`, minus a Python-level call.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._waiters = 0  # threads in _cond.wait(): release() notifies only when there are some
        self.lane: List[None] = []  # one entry per call in progress through the lane (module docstring)
        self._users: Dict[int, int] = {}
        self._state = 0  # 0 open, 1 closing, 2 closed
        self._exclusive = exclusive
        self._children: Set[Handle] = set()
        self._parent = parent
        self.root: Handle = parent.root if parent is not None else self
        if parent is not None:
            parent._adopt(self)

    # -- children ----------------------------------------------------------

    def _adopt(self, child: "Handle") -> None:
        """Register ``child`` to be closed before this handle."""
        with self._cond:
            if self._state:
                raise InvalidError(f"{self.what} is closed")
            self._children.add(child)

    def _forget(self, child: "Handle") -> None:
        """Unregister a child that closed on its own."""
        with self._cond:
            self._children.discard(child)

    # -- use ---------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once close() has started."""
        return self._state != 0

    def acquire(self) -> Any:
        """Start a use of the pointer and return it; pair with :meth:`release`.

        :raises InvalidError: the handle is closed, or this thread is inside a
            storage callback of the same context (the context is locked; calling
            into it would deadlock)
        """
        # Every call into C passes here (Session.check() on its fast path too): keep it short.
        busy = _tls.busy
        if busy and self.root in busy:
            raise self.in_callback_error()
        me = _get_ident()
        with self._lock:
            users = self._users
            while True:
                if self._state:
                    raise InvalidError(f"{self.what} is closed")
                if self._exclusive and users and me not in users:
                    self._wait()
                    continue
                break
            users[me] = users.get(me, 0) + 1
            return self._ptr

    def release(self) -> None:
        """End a use started by :meth:`acquire`."""
        me = _get_ident()
        with self._lock:
            users = self._users
            n = users[me] - 1
            if n:
                users[me] = n
            else:
                del users[me]
                if self._waiters:
                    self._cond.notify_all()

    def in_callback_error(self) -> InvalidError:
        """The error for a use from inside a storage or clock callback of the handle's own context."""
        return InvalidError(
            f"{self.what} cannot be used from inside a callback of its own context: libacct holds the "
            "context's lock while it runs storage and clock callbacks"
        )

    def lane_left(self) -> None:
        """Called by a lane user that found the handle closing on its way out: wake the closer."""
        with self._lock:
            self._cond.notify_all()

    def _wait(self) -> None:
        """``_cond.wait()``, counted in ``_waiters``; the caller holds the lock."""
        self._waiters += 1
        try:
            self._cond.wait()
        finally:
            self._waiters -= 1

    def __enter__(self) -> Any:
        """``with handle as ptr:`` is acquire() ... release()."""
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def _used_by(self, me: int) -> bool:
        """True when thread ``me`` is using this handle or one of its children."""
        with self._cond:
            if me in self._users:
                return True
            children = list(self._children)
        return any(c._used_by(me) for c in children)

    # -- close -------------------------------------------------------------

    def close(self) -> None:
        """Free the pointer once no thread uses it; children first. Idempotent.

        :raises InvalidError: called from a callback of the handle's own context,
            or by a thread that is itself using the handle or one of its children
            (it would wait for itself)
        """
        if self._state == 2:
            return
        me = _get_ident()
        if _callbacks.busy_with(self.root) or self._used_by(me):
            raise InvalidError(f"{self.what} cannot be closed from a callback that is using it or its context")
        if _tls.audit and self._lane_busy():
            # acct_check runs the audit hook for a denial while the check is in
            # the session's lane; closing would wait for that very check.
            raise InvalidError(f"{self.what} cannot be closed from an audit callback while a check() on it is in "
                               "progress")
        self._close()

    def _lane_busy(self) -> bool:
        """True when a lane call is in progress on this handle or one of its children."""
        if self.lane:
            return True
        with self._cond:
            children = list(self._children)
        return any(c._lane_busy() for c in children)

    def finalize(self) -> None:
        """close() for a garbage-collected owner (``weakref.finalize``): never raises for a use in progress.

        The owner is unreachable, so no call can be using the handle, except in
        the odd case of a collection that runs inside a callback on this very
        handle: then the close is put off until the next close or finalize.
        """
        while _deferred:
            h = _deferred.pop()
            if not h._used_by(_get_ident()):
                h._close()
        if self._state == 2:
            return
        if self._used_by(_get_ident()):
            _deferred.append(self)
            return
        self._close()

    def _close(self) -> None:
        """The close itself: refuse new uses, wait for uses in progress, close children, free."""
        with self._cond:
            if self._state:
                # Closed, or another thread is closing it: wait for that to end.
                while self._state != 2:
                    self._wait()
                return
            self._state = 1
            while self._users or self.lane:
                self._wait()
            children = list(self._children)
            self._children.clear()
        try:
            for child in children:
                child._close()
        finally:
            with self._cond:
                ptr, self._ptr = self._ptr, None
            try:
                if self._parent is not None:
                    self._parent._forget(self)
                self._free(ptr)
            finally:
                with self._cond:
                    self._state = 2
                    self._cond.notify_all()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<Handle {self.what} {state}>"
