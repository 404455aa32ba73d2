"""Permissions (acct/perm.h): descriptors, explanations, and the helpers the Session and Context methods share.

The methods themselves are on :class:`~libacct.Session` (``check``,
``explain``, ``grant``, ``revoke``, ``has_permission``) and
:class:`~libacct.Context` (``permissions``, ``permission``,
``register_catalog``, ``register_permission``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, Optional, Union

from . import _ffi
from ._util import cstr, pystr
from .enums import AccountType, Catalog, DenyKind, PermType
from .errors import InvalidError

__all__ = ["PermissionDescriptor", "Explanation"]

#: A catalog argument: a :class:`Catalog` or the ``int`` id of a host catalog.
CatalogRef = Union[Catalog, int]

# ---------------------------------------------------------------------------
# Permission names
# ---------------------------------------------------------------------------

#: str -> the bytes handed to C. Permission names are few and reused (a page
#: of a panel checks the same dozen names over and over), so each is checked
#: and encoded once. Bounded, so a caller passing arbitrary strings cannot
#: grow it without limit: past the bound, names are encoded on every call.
_NAMES: Dict[str, bytes] = {}
_NAMES_MAX = 4096


def perm_name(permission: Any, what: str = "permission") -> bytes:
    """``permission`` encoded for C, from the cache when it is there.

    :raises TypeError: not a str; :raises InvalidError: a NUL character or unencodable text
    """
    b = _NAMES.get(permission) if type(permission) is str else None
    if b is not None:
        return b
    b = cstr(permission, what)
    if b is None:
        raise TypeError(f"{what} must be a str, not None")
    if type(permission) is str and len(_NAMES) < _NAMES_MAX:
        _NAMES[permission] = b
    return b


def catalog_id(catalog: Any) -> int:
    """A catalog id: a :class:`Catalog` or a host catalog's ``int``."""
    if isinstance(catalog, bool) or not isinstance(catalog, int):
        raise TypeError(f"catalog must be a Catalog or an int, not {type(catalog).__name__}")
    if not _ffi.INT_MIN <= catalog <= _ffi.INT_MAX:
        raise InvalidError(f"catalog {catalog} is out of range")
    return int(catalog)


def as_catalog(value: int) -> CatalogRef:
    """A :class:`Catalog` member for a built-in id, the plain ``int`` for a host catalog."""
    try:
        return Catalog(value)
    except ValueError:
        return int(value)


# writable_by: AccountType <-> ACCT_WRITABLE_BY_* bits (1 << type).
_WRITERS = (AccountType.ADMIN, AccountType.RESELLER, AccountType.CUSTOMER)


def writable_by_mask(writable_by: Union[AccountType, int, Iterable[Union[AccountType, int]]]) -> int:
    """The ``writable_by`` bits for account types (one, or an iterable of them).

    :raises InvalidError: a type that can never grant (users) or an unknown one
    """
    types = [writable_by] if isinstance(writable_by, int) else list(writable_by)
    mask = 0
    for t in types:
        if isinstance(t, bool) or not isinstance(t, int):
            raise TypeError(f"writable_by takes AccountType values, not {type(t).__name__}")
        if t not in _WRITERS:
            what = AccountType(t).label if t == AccountType.USER else f"account type {int(t)}"
            raise InvalidError(f"writable_by: {what} never grants permissions (only admin, reseller and customer)")
        mask |= 1 << int(t)
    return mask


def writers(mask: int) -> FrozenSet[AccountType]:
    """The account types whose ``ACCT_WRITABLE_BY_*`` bit is set in ``mask``."""
    return frozenset(t for t in _WRITERS if mask >> int(t) & 1)


# ---------------------------------------------------------------------------
# Descriptors and explanations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PermissionDescriptor:
    """One permission of a catalog (``acct_perm_desc``, copied out of libacct).

    :ivar catalog: :class:`~libacct.Catalog` (or a host catalog's ``int`` id)
    :ivar name: e.g. ``"manage_dns"``, ``"dnsManagement"``, ``"license.upgrade"``
    :ivar label: a short text for people (may be empty)
    :ivar type: :attr:`PermType.BOOL <libacct.PermType.BOOL>` (granted or not)
    :ivar default: granted to new accounts (``create_clients`` for resellers)
    :ivar writable_by: the account types that may grant it (the admin always can)
    :ivar reseller_only: only resellers may hold it
    """

    catalog: CatalogRef
    name: str
    label: str
    type: Union[PermType, int]
    default: bool
    writable_by: FrozenSet[AccountType]
    reseller_only: bool

    @classmethod
    def _from_c(cls, d: "_ffi.acct_perm_desc") -> "PermissionDescriptor":
        """Copy a filled ``acct_perm_desc`` (its strings are borrowed)."""
        try:
            ptype: Union[PermType, int] = PermType(d.type)
        except ValueError:
            ptype = int(d.type)
        return cls(
            catalog=as_catalog(d.catalog),
            name=pystr(d.name) or "",
            label=pystr(d.label) or "",
            type=ptype,
            default=bool(d.default_value),
            writable_by=writers(d.writable_by),
            reseller_only=bool(d.reseller_only),
        )


@dataclass(frozen=True)
class Explanation:
    """The answer of :meth:`Session.explain <libacct.Session.explain>`.

    True in a boolean context exactly when ``allowed`` is.

    :ivar allowed: the same answer :meth:`Session.check <libacct.Session.check>` gives
    :ivar kind: the first rule that failed (:attr:`DenyKind.NONE` when allowed)
    :ivar text: the sentence a user would read, e.g. "permission manage_dns is
        not granted to customer 'c1'" (empty when allowed)
    :ivar plesk_code: the Plesk errcode of ``kind`` (0 when allowed)
    :ivar partner_code: the Partner API result code of ``kind`` (0 when allowed)
    """

    allowed: bool
    kind: Union[DenyKind, int]
    text: str
    plesk_code: int
    partner_code: int

    def __bool__(self) -> bool:
        return self.allowed


def deny_kind(value: int) -> Union[DenyKind, int]:
    """A :class:`DenyKind`, or the plain int for a kind newer than the bindings."""
    try:
        return DenyKind(value)
    except ValueError:
        return int(value)


def optional_label(label: Optional[str]) -> Optional[bytes]:
    """A descriptor label for C (None: libacct stores an empty one)."""
    return cstr(label, "label")
