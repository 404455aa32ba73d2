"""Argument conversion: strings and integers checked before they reach C.

ctypes truncates out-of-range integers silently (an id of ``2**64 + 5``
would arrive as 5) and C strings end at the first NUL (a login
``"admin\\0x"`` would arrive as ``"admin"``), so both are checked here.
"""

from __future__ import annotations

from typing import Any, Optional

from . import _ffi
from .errors import InvalidError


def cstr(value: Optional[str], what: str = "value") -> Optional[bytes]:
    """Encode ``value`` for a ``const char *`` parameter; None stays NULL.

    :raises TypeError: not a str
    :raises InvalidError: it holds a NUL character, or cannot be encoded as UTF-8
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    try:
        b = value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidError(f"{what} is not valid Unicode text: {e}") from None
    if b"\0" in b:
        raise InvalidError(f"{what} must not contain a NUL character")
    return b


def pystr(value: Optional[bytes]) -> Optional[str]:
    """Decode a ``const char *`` result; NULL stays None."""
    return None if value is None else value.decode("utf-8", "replace")


def as_id(value: Any, what: str = "account id") -> int:
    """An ``acct_id`` from an int or anything with an ``id`` attribute (an :class:`~libacct.Account`).

    :raises TypeError: not an int (bool is refused too)
    :raises InvalidError: outside ``0 .. 2**63 - 1``
    """
    if not isinstance(value, int) and hasattr(value, "id"):
        value = value.id
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int or an Account, not {type(value).__name__}")
    if not 0 <= value <= _ffi.ACCT_ID_MAX:
        raise InvalidError(f"{what} {value} is out of range")
    return int(value)


def as_c_int(value: Any, what: str) -> int:
    """A C ``int``; refuses what ctypes would truncate."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not _ffi.INT_MIN <= value <= _ffi.INT_MAX:
        raise InvalidError(f"{what} {value} is out of range")
    return int(value)


def as_c_uint(value: Any, what: str) -> int:
    """A C ``unsigned int``; refuses negatives and what ctypes would truncate."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= _ffi.UINT_MAX:
        raise InvalidError(f"{what} {value} is out of range")
    return int(value)


def as_int64(value: Any, what: str) -> int:
    """A C ``int64_t``; refuses bools, non-ints and what ctypes would truncate."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not _ffi.INT64_MIN <= value <= _ffi.INT64_MAX:
        raise InvalidError(f"{what} {value} is out of range")
    return int(value)


def as_size_t(value: Any, what: str) -> int:
    """A C ``size_t``; refuses bools, non-ints, negatives and what ctypes would truncate."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= _ffi.SIZE_MAX:
        raise InvalidError(f"{what} {value} is out of range")
    return int(value)
