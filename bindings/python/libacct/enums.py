"""The C enums as Python enums (values identical to the headers; all append-only)."""

from __future__ import annotations

from enum import IntEnum, IntFlag

from . import _ffi

__all__ = ["AccountType", "Status", "Field", "IterMode", "ErrorCode"]


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
