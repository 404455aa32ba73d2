"""Machinery shared by every Python callback that C calls.

Rules (see docs/python.md, "Callbacks"):

* A trampoline never lets an exception escape into C (ctypes would print it
  and return 0, i.e. "success"). It catches everything, **stashes** the
  exception in a thread-local slot, records an ``ACCT_EUSER`` error with
  ``acct_error_set_str()`` and returns ``ACCT_EUSER``. The errcheck of the C
  call that led to the callback re-raises the stashed exception once that call
  has returned. C calls a callback on the thread that made the outer call, so
  a thread-local slot always meets its caller.
* An :class:`~libacct.errors.AcctError` raised on purpose by host code is
  passed to C as its own code and message instead (no stash): the caller then
  gets the error libacct reports, as a C host would.
* A callback whose failure C never sees (the audit hook returns ``void``)
  stashes with ``reraise=True``: the C call's errcheck raises that exception
  even when the call succeeded, instead of turning it into a warning.
* The CFUNCTYPE objects are module-level singletons, created once and never
  collected. What they act on is found through the ``payload`` pointer, which
  holds a token of :data:`REGISTRY`; the registry keeps the Python objects
  alive while C holds the vtable, and the vtable's ``free`` drops them.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any, Dict, List, Optional

from . import _ffi
from ._ffi import raw


class _State(threading.local):
    """Per-thread state. The class attributes are the defaults each thread starts with: reading an
    attribute a thread never set finds them instead of raising (and catching) AttributeError, which
    costs more than the rest of a short C call (every errcheck and every handle use reads here)."""

    exc: Optional[BaseException] = None  # the stashed exception
    busy: Optional[List[Any]] = None  # roots of the contexts whose callbacks this thread runs
    audit: int = 0  # depth of audit hooks this thread is running (see Handle.close)


_tls = _State()

#: Longest message handed to acct_error_set_str (libacct keeps 512 bytes).
_MAX_MESSAGE = 400


def add_note(exc: BaseException, note: str) -> None:
    """``exc.add_note(note)`` where Python has it (3.11+)."""
    adder = getattr(exc, "add_note", None)
    if adder is not None:
        try:
            adder(note)
        except Exception:  # pragma: no cover - a broken exception class
            pass


#: Attribute that marks a stashed exception the caller must get even after a successful C call.
_RERAISE = "_libacct_reraise"


def stash(exc: BaseException, where: str, reraise: bool = False) -> None:
    """Keep ``exc`` for the caller on this thread; the first one wins, later ones become notes.

    With ``reraise`` the exception is raised to the caller whatever the C call
    returns (see :func:`must_reraise`); it makes the first one so too.
    """
    first = _tls.exc
    if first is None:
        _tls.exc = exc
        first = exc
    elif first is not exc:
        add_note(first, f"then {where} also raised {type(exc).__name__}: {exc}")
    if reraise:
        try:
            setattr(first, _RERAISE, True)
        except Exception:  # pragma: no cover - an exception class that refuses attributes
            pass


def must_reraise(exc: BaseException) -> bool:
    """True for a stashed exception that a successful C call must still raise (not only warn about)."""
    return bool(getattr(exc, _RERAISE, False))


def pending() -> bool:
    """True when a callback on this thread stashed an exception not yet re-raised."""
    return _tls.exc is not None


def take() -> Optional[BaseException]:
    """Remove and return this thread's stashed exception, if any."""
    exc = _tls.exc
    if exc is not None:
        _tls.exc = None
    return exc


def restore(exc: Optional[BaseException]) -> None:
    """Put back an exception taken with :func:`take` (for nested C calls)."""
    if exc is not None:
        stash(exc, "an outer callback")


def _message(text: str) -> bytes:
    """A message for acct_error_set_str: no NULs, UTF-8, short enough for libacct's buffer."""
    b = text.replace("\0", "\\0").encode("utf-8", "replace")
    if len(b) > _MAX_MESSAGE:
        b = b[: _MAX_MESSAGE - 3].decode("utf-8", "ignore").encode() + b"..."
    return b


def report(exc: BaseException, where: str, passthrough: bool = True) -> int:
    """Turn an exception raised in a callback into the ``ACCT_E*`` code to return to C.

    With ``passthrough`` (storage backends), an :class:`~libacct.AcctError`
    becomes its own code and message; anything else (and every exception when
    ``passthrough`` is false) is stashed and reported as ``ACCT_EUSER``.
    """
    from .errors import AcctError  # late: errors imports this module

    try:
        if passthrough and isinstance(exc, AcctError) and exc.code < 0 and exc.code != _ffi.ACCT_ITEROVER:
            return int(raw.acct_error_set_str(exc.code, _message(exc.message)))
        stash(exc, where)
        return int(raw.acct_error_set_str(_ffi.ACCT_EUSER, _message(f"{where} raised {type(exc).__name__}: {exc}")))
    except BaseException:  # pragma: no cover - e.g. MemoryError while formatting
        return _ffi.ACCT_EUSER


# ---------------------------------------------------------------------------
# Re-entrancy: a callback runs while libacct holds the context's lock, so
# calling back into the same context from it would deadlock. Handles check.
# ---------------------------------------------------------------------------


def enter(root: Any) -> None:
    """Mark that this thread runs a callback of the context ``root`` (a handle or None)."""
    busy = _tls.busy
    if busy is None:
        busy = _tls.busy = []
    busy.append(root)


def leave() -> None:
    """End the innermost :func:`enter`."""
    _tls.busy.pop()


def busy_with(root: Any) -> bool:
    """True when this thread is inside a callback of the context ``root``."""
    busy = _tls.busy
    return bool(busy) and root in busy


def in_callback() -> bool:
    """True when this thread is inside any libacct callback."""
    return bool(_tls.busy)


# ---------------------------------------------------------------------------
# Tokens for payload pointers
# ---------------------------------------------------------------------------


class Registry:
    """Python objects that C refers to through an integer token in a ``void *payload``."""

    def __init__(self) -> None:
        self._items: Dict[int, Any] = {}
        self._tokens = itertools.count(1)

    def add(self, obj: Any) -> int:
        """Keep ``obj`` alive and return its token (never 0, so never NULL)."""
        token = next(self._tokens)
        self._items[token] = obj
        return token

    def get(self, token: Optional[int]) -> Any:
        """The object for ``token``; :class:`KeyError` once it was dropped."""
        return self._items[token]  # type: ignore[index]

    def drop(self, token: Optional[int]) -> Any:
        """Forget ``token``; returns its object or None."""
        return self._items.pop(token, None)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, token: object) -> bool:
        return token in self._items

    def values(self) -> List[Any]:
        """The registered objects (a copy)."""
        return list(self._items.values())


#: Every Python object C currently refers to through a payload.
REGISTRY = Registry()
