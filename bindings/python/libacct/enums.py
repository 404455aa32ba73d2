"""The C enums as Python enums (values identical to the headers; all append-only)."""

from __future__ import annotations

from enum import IntEnum, IntFlag

from . import _ffi

__all__ = ["AccountType", "Status", "Field", "IterMode", "ErrorCode", "Catalog", "PermType", "DenyKind", "BuiltinRole",
           "PartnerRole", "Overuse", "IpType", "SqliteSync"]


class AccountType(IntEnum):
    """``acct_type`` (acct/account.h)."""

    ADMIN = _ffi.ACCT_TYPE_ADMIN
    RESELLER = _ffi.ACCT_TYPE_RESELLER
    CUSTOMER = _ffi.ACCT_TYPE_CUSTOMER
    USER = _ffi.ACCT_TYPE_USER

    @property
    def label(self) -> str:
        """libacct's own name for the type (``acct_account_type_name``): "admin", "reseller", ..."""
        return (_ffi.raw.acct_account_type_name(int(self)) or b"").decode()


class Status(IntFlag):
    """``acct_status_bit`` (acct/account.h): Plesk status bits; 0 is active.

    An :class:`enum.IntFlag` (still an ``int``) because a status is a set of
    bits: ``Status.BY_ADMIN | Status.BY_RESELLER`` is 48. Bits a later libacct
    adds survive as plain values.
    """

    ACTIVE = _ffi.ACCT_STATUS_ACTIVE
    BACKUP = _ffi.ACCT_STATUS_BACKUP
    BY_ADMIN = _ffi.ACCT_STATUS_BY_ADMIN
    BY_RESELLER = _ffi.ACCT_STATUS_BY_RESELLER
    BY_CUSTOMER = _ffi.ACCT_STATUS_BY_CUSTOMER
    EXPIRED = _ffi.ACCT_STATUS_EXPIRED


class Field(IntEnum):
    """``acct_field`` (acct/account.h): the text fields of an account."""

    LOGIN = _ffi.ACCT_FIELD_LOGIN
    PASSWORD = _ffi.ACCT_FIELD_PASSWORD
    NAME = _ffi.ACCT_FIELD_NAME
    COMPANY = _ffi.ACCT_FIELD_COMPANY
    PHONE = _ffi.ACCT_FIELD_PHONE
    FAX = _ffi.ACCT_FIELD_FAX
    EMAIL = _ffi.ACCT_FIELD_EMAIL
    ADDRESS = _ffi.ACCT_FIELD_ADDRESS
    CITY = _ffi.ACCT_FIELD_CITY
    STATE = _ffi.ACCT_FIELD_STATE
    POSTAL_CODE = _ffi.ACCT_FIELD_POSTAL_CODE
    COUNTRY = _ffi.ACCT_FIELD_COUNTRY
    LOCALE = _ffi.ACCT_FIELD_LOCALE
    EXTERNAL_ID = _ffi.ACCT_FIELD_EXTERNAL_ID
    GUID = _ffi.ACCT_FIELD_GUID
    CREATED = _ffi.ACCT_FIELD_CREATED
    SUBSCRIPTION = _ffi.ACCT_FIELD_SUBSCRIPTION

    @property
    def label(self) -> str:
        """libacct's name for the field in messages (``acct_field_name``): "login", "postal code", "creation date"..."""
        return (_ffi.raw.acct_field_name(int(self)) or b"").decode()


class IterMode(IntEnum):
    """``acct_iter_mode`` (acct/account.h)."""

    CHILDREN = _ffi.ACCT_ITER_CHILDREN
    DESCENDANTS = _ffi.ACCT_ITER_DESCENDANTS


class ErrorCode(IntEnum):
    """``acct_error_code`` (acct/errors.h)."""

    OK = _ffi.ACCT_OK
    ERROR = _ffi.ACCT_ERROR
    ENOTFOUND = _ffi.ACCT_ENOTFOUND
    EEXISTS = _ffi.ACCT_EEXISTS
    EINVALID = _ffi.ACCT_EINVALID
    ENOMEM = _ffi.ACCT_ENOMEM
    EDENIED = _ffi.ACCT_EDENIED
    EPARSE = _ffi.ACCT_EPARSE
    ENOTSUPPORTED = _ffi.ACCT_ENOTSUPPORTED
    EUSER = _ffi.ACCT_EUSER
    ITEROVER = _ffi.ACCT_ITEROVER
    EAUTH = _ffi.ACCT_EAUTH
    EDISABLED = _ffi.ACCT_EDISABLED
    ELOCKED = _ffi.ACCT_ELOCKED
    ELIMIT = _ffi.ACCT_ELIMIT
    ESTATUS = _ffi.ACCT_ESTATUS
    EOWNER = _ffi.ACCT_EOWNER
    ESTORAGE = _ffi.ACCT_ESTORAGE
    EKEY = _ffi.ACCT_EKEY
    EVERSION = _ffi.ACCT_EVERSION


class Catalog(IntEnum):
    """``acct_catalog`` (acct/perm.h): the built-in permission catalogs.

    Catalogs a host registers (:meth:`Context.register_catalog`) have ids
    above :attr:`PARTNER` and are plain ints.
    """

    ACCOUNT = _ffi.ACCT_CATALOG_ACCOUNT  #: granted to resellers and customers (Plesk permissions)
    ROLE = _ffi.ACCT_CATALOG_ROLE  #: held by users through their roles
    PARTNER = _ffi.ACCT_CATALOG_PARTNER  #: Partner API operations


class PermType(IntEnum):
    """``acct_perm_type`` (acct/perm.h): the value type of a permission."""

    BOOL = _ffi.ACCT_PERM_BOOL


class DenyKind(IntEnum):
    """``acct_deny_kind`` (acct/perm.h): why a check was denied (the first rule that failed)."""

    NONE = _ffi.ACCT_DENY_NONE  #: allowed
    SESSION = _ffi.ACCT_DENY_SESSION  #: the session or its credential is not valid
    DISABLED = _ffi.ACCT_DENY_DISABLED  #: the acting account is effectively disabled
    OBJECT = _ffi.ACCT_DENY_OBJECT  #: the target is absent or outside the session's scope
    METHOD = _ffi.ACCT_DENY_METHOD  #: the acting account does not hold the permission
    RULE = _ffi.ACCT_DENY_RULE  #: the operation's own rule

    @property
    def plesk_code(self) -> int:
        """The Plesk errcode of this kind (``acct_deny_plesk_code``): 1001, 1011, 1013, 1006; 0 for NONE."""
        return int(_ffi.raw.acct_deny_plesk_code(int(self)))

    @property
    def partner_code(self) -> int:
        """The Partner API result code (``acct_deny_partner_code``): 200, 201, 202; 0 for NONE."""
        return int(_ffi.raw.acct_deny_partner_code(int(self)))


class BuiltinRole(IntEnum):
    """``acct_builtin_role`` (acct/role.h): the user roles every store has, with the same ids everywhere.

    Role ids are ints; these members can be passed wherever a role id is expected.
    """

    ADMIN = _ffi.ACCT_ROLE_ADMIN  #: every role permission; not editable
    ACCOUNTANT = _ffi.ACCT_ROLE_ACCOUNTANT  #: browseStats; not editable
    WEBMASTER = _ffi.ACCT_ROLE_WEBMASTER  #: everything but userManagement; editable by the administrator
    APPLICATION_USER = _ffi.ACCT_ROLE_APPLICATION_USER  #: applicationsManagement; editable by the administrator


class PartnerRole(IntEnum):
    """``acct_partner_role`` (acct/role.h): the eight Partner API roles."""

    ALL_CLIENT = _ffi.ACCT_PARTNER_ALL_CLIENT
    ADVANCED_CLIENT = _ffi.ACCT_PARTNER_ADVANCED_CLIENT
    STANDARD_CLIENT = _ffi.ACCT_PARTNER_STANDARD_CLIENT
    LIMITED_CLIENT = _ffi.ACCT_PARTNER_LIMITED_CLIENT
    ALL_RESELLER = _ffi.ACCT_PARTNER_ALL_RESELLER
    ADVANCED_RESELLER = _ffi.ACCT_PARTNER_ADVANCED_RESELLER
    STANDARD_RESELLER = _ffi.ACCT_PARTNER_STANDARD_RESELLER
    LIMITED_RESELLER = _ffi.ACCT_PARTNER_LIMITED_RESELLER

    @property
    def label(self) -> str:
        """The role's name (``acct_partner_role_name``), e.g. "Standard Commands for Reseller"."""
        return (_ffi.raw.acct_partner_role_name(int(self)) or b"").decode()

    def permits(self, operation: str) -> bool:
        """Does this role permit Partner API ``operation`` (e.g. "license.upgrade")? See :func:`partner_role_permits`."""
        from .roles import partner_role_permits  # late: roles imports this module

        return partner_role_permits(self, operation)


class Overuse(IntEnum):
    """``acct_overuse`` (acct/limit.h): what happens when a reseller uses more than its limits (stored for the host)."""

    BLOCK = _ffi.ACCT_OVERUSE_BLOCK
    NOTIFY = _ffi.ACCT_OVERUSE_NOTIFY
    NORMAL = _ffi.ACCT_OVERUSE_NORMAL  #: the default
    NOT_SUSPEND = _ffi.ACCT_OVERUSE_NOT_SUSPEND
    NOT_SUSPEND_NOTIFY = _ffi.ACCT_OVERUSE_NOT_SUSPEND_NOTIFY

    @property
    def label(self) -> str:
        """Plesk's name for the policy (``acct_overuse_name``): "block", "not_suspend_notify", ..."""
        return (_ffi.raw.acct_overuse_name(int(self)) or b"").decode()


class IpType(IntEnum):
    """``acct_ip_type`` (acct/limit.h): how an address sits in an IP pool."""

    SHARED = _ffi.ACCT_IP_SHARED  #: may also be in other pools
    EXCLUSIVE = _ffi.ACCT_IP_EXCLUSIVE  #: in at most one pool besides the administrator's


class SqliteSync(IntEnum):
    """``acct_sqlite_sync`` (acct/storage.h): SQLite's ``PRAGMA synchronous`` for :meth:`Context.sqlite`."""

    OFF = _ffi.ACCT_SQLITE_SYNC_OFF  #: fastest; a power cut may lose recent commits or corrupt the file
    NORMAL = _ffi.ACCT_SQLITE_SYNC_NORMAL  #: with WAL: survives a crash of the program, not a power cut
    FULL = _ffi.ACCT_SQLITE_SYNC_FULL  #: the default: every commit is on disk when it returns
