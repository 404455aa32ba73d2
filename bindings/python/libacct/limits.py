"""Limits, the reseller resource policy, IP pools and custom buttons (acct/limit.h).

The operations are methods of :class:`~libacct.Session` (defined here in
:class:`LimitMethods`, which Session inherits); :func:`limit_names` needs no
session.

Limits are named int64 values, as in Plesk (sizes in bytes, ``expiration`` a
Unix time); :data:`UNLIMITED` (-1) has no bound. libacct enforces ``max_cl``
(customers a reseller may own) and the reseller sum rule: for each limit a
reseller has set to a finite value, its customers' values for that limit (a
limit never set on a customer does not count, -1 counts as infinite) add up
to no more than the reseller's own, unless its resource policy allows
overselling. Breaking either raises :class:`~libacct.LimitError`. The other
limits are stored and checked on request with :meth:`LimitMethods.limit_allows`.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generator, List, Tuple, Union

from . import _ffi
from . import _iters
from ._ffi import lib, raw
from ._util import as_id, as_int64, cstr, pystr
from .enums import IpType, Overuse
from .errors import InvalidError

if TYPE_CHECKING:  # pragma: no cover
    from ._handle import Handle

__all__ = ["UNLIMITED", "Button", "limit_names"]

#: The value of a limit without a bound (``ACCT_UNLIMITED``).
UNLIMITED = _ffi.ACCT_UNLIMITED


def limit_names() -> List[str]:
    """The names of the limits libacct knows, in its order (``acct_limit_count``/``acct_limit_name``):
    ``max_cl``, ``max_dom``, ... ``expiration``. ``max_cl`` applies to resellers only."""
    return [(raw.acct_limit_name(i) or b"").decode() for i in range(int(raw.acct_limit_count()))]


@dataclass(frozen=True)
class Button:
    """A custom button of an account (copied out of libacct).

    :ivar id: unique within the account
    :ivar label: the text on the button
    :ivar url: an http or https URL
    """

    id: int
    label: str
    url: str


def _limit(name: Any) -> bytes:
    """A limit name for C (libacct checks that it is one of :func:`limit_names`)."""
    b = cstr(name, "limit name")
    if b is None:
        raise TypeError("limit name must be a str, not None")
    return b


def _ip(ip: Any) -> bytes:
    """An IP address for C (libacct validates and canonicalises it)."""
    b = cstr(ip, "IP address")
    if b is None:
        raise TypeError("IP address must be a str, not None")
    return b


def _ip_type(value: Any) -> int:
    """An :class:`IpType` (an ``int``), checked before it reaches C."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"IP type must be an IpType, not {type(value).__name__}")
    try:
        return int(IpType(value))
    except ValueError:
        raise InvalidError(f"IP type {value} is not IpType.SHARED or IpType.EXCLUSIVE") from None


def _as_ip_type(value: int) -> Union[IpType, int]:
    try:
        return IpType(value)
    except ValueError:  # a type a later libacct added
        return int(value)


def _as_overuse(value: int) -> Union[Overuse, int]:
    try:
        return Overuse(value)
    except ValueError:
        return int(value)


class LimitMethods:
    """The acct/limit.h methods of :class:`~libacct.Session`. Accounts are given by id or :class:`~libacct.Account`."""

    _h: "Handle"

    # -- limits ------------------------------------------------------------------

    def set_limit(self, target: Any, name: str, value: int) -> None:
        """Set limit ``name`` of reseller or customer ``target`` to ``value`` (:data:`UNLIMITED`, -1, for no bound).

        The admin sets limits in scope; a reseller sets its customers' limits
        within its own (the sum rule); nobody sets its own.

        :raises LimitError: the sum rule or ``max_cl`` would break (the
            message gives the numbers; ``deny_kind`` is ``DenyKind.RULE``)
        :raises InvalidError: an unknown name, a value below -1, ``max_cl`` on a customer
        :raises DeniedError:, :raises NotFoundError:
        """
        tid, nb, v = as_id(target, "target"), _limit(name), as_int64(value, "limit value")
        with self._h as sp:
            lib.acct_limit_set(sp, tid, nb, v)

    def unset_limit(self, target: Any, name: str) -> None:
        """Remove limit ``name`` from ``target``: it reads as unlimited and no longer counts in its owner's sums."""
        tid, nb = as_id(target, "target"), _limit(name)
        with self._h as sp:
            lib.acct_limit_unset(sp, tid, nb)

    def _get_limit(self, target: Any, name: str) -> Tuple[int, bool]:
        tid, nb = as_id(target, "target"), _limit(name)
        value, is_set = ctypes.c_int64(), ctypes.c_int()
        with self._h as sp:
            lib.acct_limit_get(ctypes.byref(value), ctypes.byref(is_set), sp, tid, nb)
        return int(value.value), is_set.value != 0

    def get_limit(self, target: Any, name: str) -> int:
        """The value of limit ``name`` of ``target``: -1 (:data:`UNLIMITED`) when unlimited or never set.

        :raises InvalidError: an unknown name; :raises NotFoundError:
        """
        return self._get_limit(target, name)[0]

    def limit_is_set(self, target: Any, name: str) -> bool:
        """Was limit ``name`` set on ``target`` explicitly (even to -1)? Only set limits count in sums."""
        return self._get_limit(target, name)[1]

    def limit_allows(self, target: Any, name: str, in_use: int) -> bool:
        """May ``target`` use ``in_use`` units of ``name``? (``acct_limit_check``, for hosts that own the resource)

        True when the limit is unlimited or ``in_use`` is at most the limit.
        For ``"expiration"``, ``in_use`` is a Unix time that must be before the
        target's expiration and every owner's above it.

        :raises InvalidError: an unknown name; :raises NotFoundError:
        """
        tid, nb, n = as_id(target, "target"), _limit(name), as_int64(in_use, "in_use")
        allowed = ctypes.c_int()
        with self._h as sp:
            lib.acct_limit_check(ctypes.byref(allowed), sp, tid, nb, n)
        return allowed.value != 0

    # -- the reseller resource policy --------------------------------------------------

    def set_reseller_policy(self, reseller: Any, oversell: bool, overuse: Union[Overuse, int]) -> None:
        """Set the resource policy of ``reseller`` (admin only) (``acct_reseller_policy_set``).

        :param oversell: let the sum of its customers' limits exceed its own
            (``max_cl`` binds all the same); turning it off is refused with
            :class:`~libacct.LimitError` while the reseller is oversold
        :param overuse: an :class:`~libacct.Overuse`, stored for the host
        :raises InvalidError: not a reseller, or an unknown overuse value; :raises DeniedError:
        """
        rid = as_id(reseller, "reseller")
        if isinstance(overuse, bool) or not isinstance(overuse, int):
            raise TypeError(f"overuse must be an Overuse, not {type(overuse).__name__}")
        if not _ffi.INT_MIN <= overuse <= _ffi.INT_MAX:
            raise InvalidError(f"overuse {overuse} is out of range")
        with self._h as sp:
            lib.acct_reseller_policy_set(sp, rid, 1 if oversell else 0, int(overuse))

    def reseller_policy(self, reseller: Any) -> Tuple[bool, Union[Overuse, int]]:
        """``(oversell, overuse)`` of ``reseller`` (defaults: ``(False, Overuse.NORMAL)``).

        :raises InvalidError: not a reseller; :raises NotFoundError:
        """
        rid = as_id(reseller, "reseller")
        oversell, overuse = ctypes.c_int(), ctypes.c_int()
        with self._h as sp:
            lib.acct_reseller_policy_get(ctypes.byref(oversell), ctypes.byref(overuse), sp, rid)
        return oversell.value != 0, _as_overuse(overuse.value)

    # -- IP pools ----------------------------------------------------------------

    def add_ip(self, account: Any, ip: str, exclusive: bool = False) -> None:
        """Put IPv4 or IPv6 address ``ip`` into the pool of ``account`` (stored in canonical form).

        The admin's pool is the server's address list; any other account's
        addresses must be in its owner's pool. Only the account's owner (or
        the admin) changes a pool. An exclusive address is in at most one
        pool besides the admin's.

        :raises ExistsError: already in this pool, or exclusive elsewhere
        :raises InvalidError: not an IP address, or not in the owner's pool
        :raises DeniedError:, :raises NotFoundError:
        """
        aid, b = as_id(account, "account"), _ip(ip)
        t = _ffi.ACCT_IP_EXCLUSIVE if exclusive else _ffi.ACCT_IP_SHARED
        with self._h as sp:
            lib.acct_ip_add(sp, aid, b, t)

    def set_ip_type(self, account: Any, ip: str, type: Union[IpType, int]) -> None:
        """Make ``ip`` in the pool of ``account`` shared or exclusive (Plesk ippool-set-ip).

        :raises NotFoundError: not in the pool; otherwise as :meth:`add_ip`
        """
        aid, b, t = as_id(account, "account"), _ip(ip), _ip_type(type)
        with self._h as sp:
            lib.acct_ip_set_type(sp, aid, b, t)

    def remove_ip(self, account: Any, ip: str) -> None:
        """Take ``ip`` out of the pool of ``account``.

        :raises DeniedError: an account below still has it (take it away there first)
        :raises NotFoundError: not in the pool
        """
        aid, b = as_id(account, "account"), _ip(ip)
        with self._h as sp:
            lib.acct_ip_remove(sp, aid, b)

    def ips(self, account: Any) -> Generator[Tuple[str, Union[IpType, int]], None, None]:
        """``(ip, IpType)`` pairs of the pool of ``account``, in the order added.

        A generator over a snapshot taken now; ``account`` is checked at once
        (:class:`~libacct.NotFoundError` from this call, not from ``next()``).
        """
        aid = as_id(account, "account")
        h = _iters.open_iterator(self, _ffi.acct_ip_iterator, lib.acct_ip_iterator_new, lib.acct_ip_iterator_free,
                                 "IP iterator", aid)
        ip, t = ctypes.c_char_p(), ctypes.c_int()
        ip_ref, t_ref = ctypes.byref(ip), ctypes.byref(t)

        def step(p: Any) -> Any:
            if lib.acct_ip_iterator_next(ip_ref, t_ref, p) == _ffi.ACCT_ITEROVER:
                return _iters.END
            return pystr(ip.value) or "", _as_ip_type(t.value)  # borrowed until the next call: copied now

        return _iters.generator(h, self, step)

    # -- custom buttons ----------------------------------------------------------

    def add_button(self, account: Any, label: str, url: str) -> int:
        """Add a custom button to ``account``; returns its id (unique within the account).

        Whoever may edit the account may do this.

        :raises InvalidError: an empty or long label (1..60), a URL that is not
            http:// or https:// (or holds a space); :raises DeniedError:, :raises NotFoundError:
        """
        aid, lb, ub = as_id(account, "account"), cstr(label, "button label"), cstr(url, "button URL")
        out = ctypes.c_int64()
        with self._h as sp:
            lib.acct_button_add(ctypes.byref(out), sp, aid, lb, ub)
        return int(out.value)

    def remove_button(self, account: Any, id: int) -> None:
        """Remove button ``id`` from ``account``. :raises NotFoundError: no such button"""
        aid, bid = as_id(account, "account"), as_int64(id, "button id")
        with self._h as sp:
            lib.acct_button_remove(sp, aid, bid)

    def buttons(self, account: Any) -> Generator[Button, None, None]:
        """The :class:`Button` objects of ``account``, by id (a generator over a snapshot, like :meth:`ips`)."""
        aid = as_id(account, "account")
        h = _iters.open_iterator(self, _ffi.acct_button_iterator, lib.acct_button_iterator_new,
                                 lib.acct_button_iterator_free, "button iterator", aid)
        bid, label, url = ctypes.c_int64(), ctypes.c_char_p(), ctypes.c_char_p()
        refs = (ctypes.byref(bid), ctypes.byref(label), ctypes.byref(url))

        def step(p: Any) -> Any:
            if lib.acct_button_iterator_next(*refs, p) == _ffi.ACCT_ITEROVER:
                return _iters.END
            return Button(id=int(bid.value), label=pystr(label.value) or "", url=pystr(url.value) or "")

        return _iters.generator(h, self, step)
