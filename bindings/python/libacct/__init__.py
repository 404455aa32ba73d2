"""Python bindings of libacct (ctypes, no compiled code).

libacct is the account layer of a hosting control panel: the administrator,
resellers, customers and users, their ownership hierarchy, status and
credentials, and the policy that decides who may do what.

>>> import libacct
>>> with libacct.Context.memory("admin", "change-me", password_cost=4) as ctx:
...     with ctx.login("admin", "change-me") as s:
...         c = s.add_customer(1, "acme", "ACME Ltd", password="s3cret!", email="ops@acme.example")
...         s.get_by_login("acme").name
'ACME Ltd'

The surface:

* :class:`Context` (``Context.memory(...)``, ``Context.open(backend, ...)``)
  and :class:`Session` (``ctx.login(...)``, ``ctx.session_as(id)``);
* :class:`Account`, a detached copy of one record, with a property per field;
* :class:`StorageBackend`, the base class of storage backends written in Python;
  ``Context.sqlite(path, ...)`` for libacct's own SQLite store;
* permissions and roles: ``Session.check()``/``explain()``/``grant()`` and the
  role methods, ``Context.permissions()``/``register_permission()``, with
  :class:`PermissionDescriptor`, :class:`Explanation`, :class:`RoleInfo`,
  :func:`partner_role_name` and :func:`partner_role_permits`;
* limits, resource policies, IP pools and custom buttons: ``Session.set_limit()``
  and the rest (:mod:`libacct.limits`), :func:`limit_names`, :data:`UNLIMITED`,
  :class:`Button`;
* credentials: secret keys, Partner API logins and reset tokens
  (``Session.create_key()`` ..., ``Context.login_key()``, ``Context.login_api()``,
  ``Context.redeem_reset_token()``; :mod:`libacct.credentials`), with
  :class:`KeyInfo` and :class:`ApiLoginInfo`;
* the audit hook: ``Context.set_audit(callable)``, which receives :class:`AuditEvent` objects;
* Plesk XML API packets: :class:`Request` (a typed request builder),
  :class:`Response` and :class:`Result` (a typed reply reader), :func:`op_name`;
  the agent: ``Context.agent_handle()`` (a packet in, a reply out),
  ``Context.agent_call()``, ``Context.agent_configure()``,
  :func:`agent_protocol_version` (:mod:`libacct.packet`, :mod:`libacct.agent`);
* client transports: :class:`Transport` (``Transport.loopback(ctx)``,
  ``Transport.https(url, ...)``, ``Transport.custom(send)``; ``send()`` bytes,
  ``call()`` a :class:`Request` into a :class:`Response`), with
  :class:`Credentials` for custom transports (:mod:`libacct.transport`);
* the enums :class:`AccountType`, :class:`Status`, :class:`Field`,
  :class:`IterMode`, :class:`ErrorCode`, :class:`Catalog`, :class:`PermType`,
  :class:`DenyKind`, :class:`BuiltinRole`, :class:`PartnerRole`, :class:`Overuse`,
  :class:`IpType`, :class:`SqliteSync`, and for packets :class:`Op`,
  :class:`FilterKind`, :class:`Dataset`, :class:`PacketField`,
  :class:`ItemKind`, :class:`CredKind`;
* :class:`AcctError` and one subclass per ``ACCT_E*`` code (:mod:`libacct.errors`).

The raw C declarations are in :mod:`libacct._ffi` (``libacct._ffi.lib``).
The loader (:mod:`libacct._loader`) finds the shared library: see
``docs/python.md``.
"""

from __future__ import annotations

from typing import Tuple

from . import _ffi
from .errors import (
    AcctError,
    AuthError,
    DeniedError,
    DisabledError,
    ExistsError,
    InvalidError,
    LimitError,
    LockedError,
    NoMemoryError,
    NotFoundError,
    NotSupportedError,
    OwnerError,
    ParseError,
    SecretKeyError,
    StatusError,
    StorageError,
    UserError,
    VersionError,
    NetworkError,
    plesk_code,
    strerror,
)
from .enums import (
    AccountType,
    BuiltinRole,
    Catalog,
    CredKind,
    Dataset,
    DenyKind,
    ErrorCode,
    Field,
    FilterKind,
    IpType,
    ItemKind,
    IterMode,
    Op,
    Overuse,
    PacketField,
    PartnerRole,
    PermType,
    SqliteSync,
    Status,
)
from .perm import Explanation, PermissionDescriptor
from .roles import RoleInfo, partner_role_name, partner_role_permits
from .limits import UNLIMITED, Button, limit_names
from .credentials import ApiLoginInfo, KeyInfo
from .audit import AuditEvent
from .account import Account
from .storage import StorageBackend
from .session import Session
from .packet import Request, Response, Result, op_name
from .agent import agent_protocol_version
from .transport import Credentials, Transport
from .context import Context

__all__ = [
    "Context",
    "Session",
    "Account",
    "StorageBackend",
    "AccountType",
    "Status",
    "Field",
    "IterMode",
    "ErrorCode",
    "Catalog",
    "PermType",
    "DenyKind",
    "BuiltinRole",
    "PartnerRole",
    "Overuse",
    "IpType",
    "SqliteSync",
    "Op",
    "FilterKind",
    "Dataset",
    "PacketField",
    "ItemKind",
    "CredKind",
    "Request",
    "Response",
    "Result",
    "op_name",
    "agent_protocol_version",
    "Transport",
    "Credentials",
    "PermissionDescriptor",
    "Explanation",
    "RoleInfo",
    "partner_role_name",
    "partner_role_permits",
    "UNLIMITED",
    "Button",
    "limit_names",
    "KeyInfo",
    "ApiLoginInfo",
    "AuditEvent",
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
    "strerror",
    "plesk_code",
    "version",
    "version_info",
    "library_path",
    "__version__",
]

#: The version of these bindings.
__version__ = "0.1.0"

#: The version of the loaded C library, e.g. "0.1.0" (``acct_version()``).
version: str = _ffi.version_string

#: The same as ``(major, minor, patch)``.
version_info: Tuple[int, int, int] = _ffi.version_info

#: Where the C library was loaded from.
library_path: str = _ffi.library_path
