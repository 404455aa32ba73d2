"""The audit hook (acct/audit.h): every mutating operation and every denial, as :class:`AuditEvent` objects.

Install a callable with :meth:`Context.set_audit <libacct.Context.set_audit>`.
libacct calls it on the thread that ran the operation, after the operation
finished and with no libacct lock held, so it may call libacct itself (a
session or context in use by that very call cannot be closed from it). It
must be thread-safe if the context is shared.

How the bindings run it:

* One ``acct_audit_fn`` trampoline (:data:`_AUDIT`), created once and never
  collected, serves every context: C can never call a freed callback, even
  when :meth:`~libacct.Context.set_audit` replaces or removes the hook while
  another thread is delivering an event. The ``payload`` is a token of
  :data:`libacct._callbacks.REGISTRY` for the installed callable; a token that
  was dropped meanwhile makes the trampoline do nothing.
* The event and its strings are borrowed for the call: they are copied into a
  frozen :class:`AuditEvent` before the callable runs.
* C cannot be told that the callable failed (the hook returns ``void``), and
  an exception must never unwind through C. It is caught and stashed, and the
  C call that produced the event raises it once that call has returned,
  whether the operation succeeded (a note says so) or failed (libacct's error
  is noted on it). So the operation's effect stands: an exception from the
  hook does not undo it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from . import _callbacks
from . import _ffi
from ._callbacks import REGISTRY
from .enums import ErrorCode

__all__ = ["AuditEvent"]


@dataclass(frozen=True)
class AuditEvent:
    """One audited event (a copy of ``acct_audit_event``). Secrets never appear in it.

    :ivar time: seconds since the Unix epoch, from the context's clock
    :ivar actor: the acting account (0 when there is none, e.g. a failed login)
    :ivar operation: e.g. ``"account.add"``, ``"perm.grant"``, ``"check"``, ``"session.open"``
    :ivar target: the account acted on (0 when none)
    :ivar result: 0, or the :class:`~libacct.ErrorCode` the operation returned
    :ivar text: why it failed, as the caller was told (``""`` on success)
    :ivar detail: what, e.g. the permission checked or the login tried (``""`` when none)
    """

    time: int
    actor: int
    operation: str
    target: int
    result: Union[ErrorCode, int]
    text: str
    detail: str

    @property
    def ok(self) -> bool:
        """True when the operation succeeded (``result == 0``)."""
        return self.result == 0

    @classmethod
    def _from_c(cls, ev: "_ffi.acct_audit_event") -> "AuditEvent":
        """Copy a borrowed ``acct_audit_event`` (version 1 fields; later ones are ignored)."""
        result = int(ev.result)
        try:
            code: Union[ErrorCode, int] = ErrorCode(result)
        except ValueError:  # a code a later libacct added
            code = result
        return cls(
            time=int(ev.time),
            actor=int(ev.actor),
            operation=_text(ev.operation),
            target=int(ev.target),
            result=code,
            text=_text(ev.text),
            detail=_text(ev.detail),
        )


def _text(b: Optional[bytes]) -> str:
    return "" if b is None else b.decode("utf-8", "replace")


AuditCallback = Callable[[AuditEvent], Any]


class _Hook:
    """An installed audit callable, found by the trampoline through its registry token."""

    __slots__ = ("fn",)

    def __init__(self, fn: AuditCallback) -> None:
        self.fn = fn


class AuditSlot:
    """A context's audit state: the token of the installed hook (None when there is none).

    Owned by the context and by its handle's free function (which drops the
    token once ``acct_ctx_free`` has returned); :attr:`lock` serializes
    :meth:`Context.set_audit <libacct.Context.set_audit>` calls.
    """

    __slots__ = ("token", "lock")

    def __init__(self) -> None:
        self.token: Optional[int] = None
        self.lock = threading.Lock()

    @staticmethod
    def register(fn: AuditCallback) -> int:
        """Keep ``fn`` for the trampoline and return its token."""
        return REGISTRY.add(_Hook(fn))

    def drop(self) -> None:
        """Forget the installed hook (after C no longer refers to it)."""
        token, self.token = self.token, None
        if token is not None:
            REGISTRY.drop(token)


@_ffi.acct_audit_fn
def _AUDIT(event: Any, payload: Optional[int]) -> None:
    """The ``acct_audit_fn`` trampoline shared by every context: copy the event, call the hook, never raise."""
    try:
        try:
            hook = REGISTRY.get(payload)
        except KeyError:
            return  # removed meanwhile (set_audit on another thread, or the context is going away)
        if not isinstance(hook, _Hook):
            return
        # An exception stashed earlier in the same C call (a storage callback's)
        # must not be consumed by a libacct call the hook makes: set it aside.
        outer = _callbacks.take()
        err: Optional[BaseException] = None
        op = ""
        try:
            ev = AuditEvent._from_c(event[0])
            op = ev.operation
            _callbacks._tls.audit += 1
            try:
                hook.fn(ev)
            finally:
                _callbacks._tls.audit -= 1
        except BaseException as e:
            err = e
        leftover = _callbacks.take()  # nothing, unless a raw call inside the hook left one
        _callbacks.restore(outer)
        if leftover is not None:
            _callbacks.stash(leftover, "the audit callback")
        if err is not None:
            _callbacks.add_note(err, f"raised by the libacct audit callback for the event {op!r}")
            _callbacks.stash(err, f"the audit callback ({op})", reraise=True)
    except BaseException:  # pragma: no cover - e.g. MemoryError while stashing: C must not see it
        pass
