"""libacct's errors as Python exceptions.

Every fallible C function returns 0 or a negative ``ACCT_E*`` code; the
``errcheck`` installed here turns a negative code into the matching
:class:`AcctError` subclass. It reads ``acct_error_last()`` at once, on the
thread that made the call (the details are thread-local in C), so the
message is the one libacct wrote for this very failure.

When a Python callback (a storage backend method, a clock, a foreach
callback) raised during the C call, that exception is what the caller gets:
see :mod:`libacct._callbacks`.
"""

from __future__ import annotations

import warnings
from typing import Any, Dict, Optional, Tuple, Type, Union

from . import _callbacks
from . import _ffi
from ._ffi import raw
from .enums import DenyKind

__all__ = [
    "AcctError",
    "NotFoundError",
    "ExistsError",
    "InvalidError",
    "NoMemoryError",
    "DeniedError",
    "ParseError",
    "NotSupportedError",
    "UserError",
    "AuthError",
    "DisabledError",
    "LockedError",
    "LimitError",
    "StatusError",
    "OwnerError",
    "StorageError",
    "SecretKeyError",
    "VersionError",
    "NetworkError",
    "error_for",
    "strerror",
    "plesk_code",
    "last_error",
    "check",
]


def strerror(code: int) -> str:
    """The static description libacct gives an ``ACCT_E*`` code (``acct_strerror``)."""
    return (raw.acct_strerror(int(code)) or b"").decode("utf-8", "replace")


def plesk_code(code: int) -> int:
    """The Plesk XML API errcode an ``ACCT_E*`` code maps to (``acct_error_plesk_code``)."""
    return int(raw.acct_error_plesk_code(int(code)))


class AcctError(Exception):
    """A libacct failure.

    :ivar code: the negative ``ACCT_E*`` code (:data:`libacct.ErrorCode`)
    :ivar plesk_code: the Plesk XML API errcode it maps to
    :ivar message: the sentence libacct wrote (the same text C callers and
        packet clients see)
    :ivar deny_kind: for a refusal by the policy, the rule that refused
        (a :class:`~libacct.DenyKind`: ``OBJECT``, ``METHOD``, ``RULE`` ...;
        a plain ``int`` for a kind newer than the bindings); None for every
        other failure (``acct_error.deny_kind`` 0)
    """

    #: The ``ACCT_E*`` code a subclass stands for (``ACCT_ERROR`` for the base).
    code: int = _ffi.ACCT_ERROR

    def __init__(self, message: str = "", code: Optional[int] = None, plesk_code: Optional[int] = None,
                 deny_kind: Optional[int] = None) -> None:
        code = type(self).code if code is None else int(code)
        self.code = code
        self.plesk_code = _plesk(code) if plesk_code is None else int(plesk_code)
        self.message = message or strerror(code)
        self.deny_kind = _deny_kind(deny_kind)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        k = self.deny_kind
        kind = "" if k is None else f", deny_kind={f'DenyKind.{k.name}' if isinstance(k, DenyKind) else k}"
        return f"{type(self).__name__}({self.message!r}, code={self.code}, plesk_code={self.plesk_code}{kind})"

    def __reduce__(self) -> Tuple[Any, ...]:
        kind = None if self.deny_kind is None else int(self.deny_kind)
        return (type(self), (self.message, self.code, self.plesk_code, kind))


def _deny_kind(value: Optional[int]) -> Union[DenyKind, int, None]:
    """None for 0 (or None), a :class:`DenyKind`, or the plain int of a kind newer than the bindings."""
    if value is None:
        return None
    value = int(value)
    if value == _ffi.ACCT_DENY_NONE:
        return None
    try:
        return DenyKind(value)
    except ValueError:
        return value


def _plesk(code: int) -> int:
    """The Plesk errcode of ``code``."""
    return int(raw.acct_error_plesk_code(code))


class NotFoundError(AcctError, LookupError):
    """``ACCT_ENOTFOUND``: no such object, or outside the session's scope [1013]."""

    code = _ffi.ACCT_ENOTFOUND


class ExistsError(AcctError):
    """``ACCT_EEXISTS``: the object or a unique value already exists [1007]."""

    code = _ffi.ACCT_EEXISTS


class InvalidError(AcctError, ValueError):
    """``ACCT_EINVALID``: an argument or value is invalid [1019].

    Also raised for objects used after ``close()``.
    """

    code = _ffi.ACCT_EINVALID


class NoMemoryError(AcctError, MemoryError):
    """``ACCT_ENOMEM``: out of memory [1023]."""

    code = _ffi.ACCT_ENOMEM


class DeniedError(AcctError):
    """``ACCT_EDENIED``: permission denied [1006]."""

    code = _ffi.ACCT_EDENIED


class ParseError(AcctError):
    """``ACCT_EPARSE``: malformed input (XML, a stored record) [1014]."""

    code = _ffi.ACCT_EPARSE


class NotSupportedError(AcctError):
    """``ACCT_ENOTSUPPORTED``: not supported by this build, backend or protocol [1017]."""

    code = _ffi.ACCT_ENOTSUPPORTED


class UserError(AcctError):
    """``ACCT_EUSER``: a host callback or backend failed [1023]."""

    code = _ffi.ACCT_EUSER


class AuthError(AcctError):
    """``ACCT_EAUTH``: wrong login or password [1001]."""

    code = _ffi.ACCT_EAUTH


class DisabledError(AcctError):
    """``ACCT_EDISABLED``: the account is (effectively) disabled [1011]."""

    code = _ffi.ACCT_EDISABLED


class LockedError(AcctError):
    """``ACCT_ELOCKED``: the login is locked after failed attempts [1012]."""

    code = _ffi.ACCT_ELOCKED


class LimitError(AcctError):
    """``ACCT_ELIMIT``: a limit would be exceeded [1024]."""

    code = _ffi.ACCT_ELIMIT


class StatusError(AcctError):
    """``ACCT_ESTATUS``: a status value that may not be set [1025]."""

    code = _ffi.ACCT_ESTATUS


class OwnerError(AcctError):
    """``ACCT_EOWNER``: the owner does not exist or cannot own this [1015]."""

    code = _ffi.ACCT_EOWNER


class StorageError(AcctError):
    """``ACCT_ESTORAGE``: the storage backend failed [1023]."""

    code = _ffi.ACCT_ESTORAGE


class SecretKeyError(AcctError):
    """``ACCT_EKEY``: secret key validation failed [11003]. (Not a :class:`KeyError`.)"""

    code = _ffi.ACCT_EKEY


class VersionError(AcctError):
    """``ACCT_EVERSION``: protocol or store format version not supported [1005]."""

    code = _ffi.ACCT_EVERSION


class NetworkError(AcctError):
    """``ACCT_ENETWORK``: a transport could not reach the agent or got no reply [1023]."""

    code = _ffi.ACCT_ENETWORK


#: ACCT_E* code -> exception class. Codes libacct adds later map to AcctError.
BY_CODE: Dict[int, Type[AcctError]] = {
    cls.code: cls
    for cls in (
        NotFoundError,
        ExistsError,
        InvalidError,
        NoMemoryError,
        DeniedError,
        ParseError,
        NotSupportedError,
        UserError,
        AuthError,
        DisabledError,
        LockedError,
        LimitError,
        StatusError,
        OwnerError,
        StorageError,
        SecretKeyError,
        VersionError,
        NetworkError,
    )
}


def error_for(code: int, message: str = "", plesk_code: Optional[int] = None,
              deny_kind: Optional[int] = None) -> AcctError:
    """The exception for ``code``: its subclass, or :class:`AcctError` for ``ACCT_ERROR`` and unknown codes."""
    return BY_CODE.get(code, AcctError)(message, code, plesk_code, deny_kind)


def last_error() -> Tuple[int, int, str]:
    """``(code, plesk_code, message)`` of the calling thread's ``acct_error_last()``."""
    e = raw.acct_error_last().contents
    return e.code, e.plesk_code, (e.message or b"").decode("utf-8", "replace")


def _raise_for(result: int) -> None:
    """Raise for a negative result; call it right after the C call returned."""
    e = raw.acct_error_last().contents  # first, before anything else touches it
    code, plesk, msg, kind = e.code, e.plesk_code, e.message, e.deny_kind
    if code == result and msg:
        err = error_for(result, msg.decode("utf-8", "replace"), plesk, kind)
    else:  # the function failed without recording why: use the static text
        err = error_for(result, strerror(result))
    pending = _callbacks.take()
    if pending is not None:
        if result == _ffi.ACCT_EUSER or not isinstance(pending, Exception) or _callbacks.must_reraise(pending):
            # A Python callback failed and libacct passed the failure up (or
            # C could not be told, as with the audit hook): the caller gets
            # the callback's own exception, with libacct's words attached.
            _callbacks.add_note(pending, f"libacct: {type(err).__name__}: {err.message}")
            raise pending
        _callbacks.add_note(err, f"a Python callback also raised {type(pending).__name__}: {pending}")
        err.__cause__ = pending
    raise err


def _ignored(func: Any) -> None:
    """After a successful call: report callback exceptions libacct chose to ignore."""
    pending = _callbacks.take()
    if pending is None:
        return
    if _callbacks.must_reraise(pending):  # the audit hook: C could not be told, the call went through
        _callbacks.add_note(pending, f"libacct: {getattr(func, '__name__', 'the call')} itself succeeded")
        raise pending
    if not isinstance(pending, Exception):  # KeyboardInterrupt, SystemExit: never swallowed
        raise pending
    warnings.warn(
        f"libacct: {getattr(func, '__name__', 'a call')} succeeded although a Python callback raised "
        f"{type(pending).__name__}: {pending} (libacct does not treat that failure as fatal, e.g. the "
        f"commit or rollback of a read transaction)",
        RuntimeWarning,
        stacklevel=4,
    )


def errcheck(result: int, func: Any, args: Any) -> int:
    """ctypes ``errcheck`` for the functions in :data:`libacct._ffi.FALLIBLE`.

    Returns ``result`` when it is ``>= 0`` or ``ACCT_ITEROVER``; otherwise
    raises, reading ``acct_error_last()`` at once on this thread.
    """
    if result >= 0 or result == _ffi.ACCT_ITEROVER:
        if _callbacks.pending():
            _ignored(func)
        return result
    _raise_for(result)
    return result  # not reached


def check(result: int) -> int:
    """The same test as :func:`errcheck`, for a result obtained some other way."""
    return errcheck(result, None, ())


for _name in _ffi.FALLIBLE:
    if _ffi.has(_name):
        getattr(_ffi.lib, _name).errcheck = errcheck
del _name
