"""User roles and Partner API roles (acct/role.h).

The role operations are methods of :class:`~libacct.Session`
(``create_role``, ``delete_role``, ``set_role_permission``,
``role_has_permission``, ``role_info``, ``roles``, ``user_roles``,
``set_user_role``); the Partner API role tables need no session and are
module functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from . import _ffi
from ._ffi import lib, raw
from ._util import as_c_int, pystr
from .enums import PartnerRole
from .errors import InvalidError
from .perm import perm_name

__all__ = ["RoleInfo", "partner_role_name", "partner_role_permits"]


@dataclass(frozen=True)
class RoleInfo:
    """What :meth:`Session.role_info <libacct.Session.role_info>` tells about a role.

    :ivar name: e.g. ``"Webmaster"``
    :ivar owner: the account whose users may be given the role (the admin, 1, for the built-in roles)
    :ivar editable: whether its permissions may be changed (False for Admin and Accountant)
    """

    name: str
    owner: int
    editable: bool


def as_role_id(value: Any, what: str = "role id") -> int:
    """An ``acct_role_id`` from an int (a :class:`~libacct.BuiltinRole` is one).

    :raises TypeError: not an int (bool is refused too); :raises InvalidError: outside ``0 .. 2**63 - 1``
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= _ffi.ACCT_ID_MAX:
        raise InvalidError(f"{what} {value} is out of range")
    return int(value)


def partner_role_name(role: Union[PartnerRole, int]) -> Optional[str]:
    """The name of Partner API role ``role`` (``acct_partner_role_name``), e.g.
    "Standard Commands for Reseller"; None for an unknown role."""
    if isinstance(role, bool) or not isinstance(role, int):
        raise TypeError(f"role must be a PartnerRole or an int, not {type(role).__name__}")
    if not _ffi.INT_MIN <= role <= _ffi.INT_MAX:
        return None
    return pystr(raw.acct_partner_role_name(int(role)))


def partner_role_permits(role: Union[PartnerRole, int], operation: str) -> bool:
    """Does Partner API role ``role`` permit ``operation`` (e.g. "license.upgrade")? (``acct_partner_role_permits``)

    :raises NotFoundError: an unknown role or operation
    """
    r = as_c_int(role, "role")
    return lib.acct_partner_role_permits(r, perm_name(operation, "operation")) == 1
