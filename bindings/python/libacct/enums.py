"""The C enums as Python enums (values identical to the headers; all append-only)."""

from __future__ import annotations

from enum import IntEnum, IntFlag

from . import _ffi

__all__ = ["AccountType", "Status", "Field", "IterMode", "ErrorCode", "Catalog", "PermType", "DenyKind", "BuiltinRole",
           "PartnerRole", "Overuse", "IpType", "SqliteSync", "Op", "FilterKind", "Dataset", "PacketField", "ItemKind",
           "CredKind"]


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
    VAT_NUMBER = _ffi.ACCT_FIELD_VAT_NUMBER

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
    ENETWORK = _ffi.ACCT_ENETWORK


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


class Op(IntEnum):
    """``acct_op`` (acct/packet.h): the operations of a packet, operator * 100 + operation.

    ``Op.CUSTOMER_GET.label`` is the name on the wire, ``"customer get"``.
    Wherever an operation is taken, that name (or the member name,
    ``"CUSTOMER_GET"``) is accepted too.
    """

    CUSTOMER_ADD = _ffi.ACCT_OP_CUSTOMER_ADD
    CUSTOMER_GET = _ffi.ACCT_OP_CUSTOMER_GET
    CUSTOMER_SET = _ffi.ACCT_OP_CUSTOMER_SET
    CUSTOMER_DEL = _ffi.ACCT_OP_CUSTOMER_DEL
    CUSTOMER_CONVERT_TO_RESELLER = _ffi.ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER
    CUSTOMER_CHANGE_OWNER = _ffi.ACCT_OP_CUSTOMER_CHANGE_OWNER
    CUSTOMER_GET_DOMAIN_LIST = _ffi.ACCT_OP_CUSTOMER_GET_DOMAIN_LIST
    RESELLER_ADD = _ffi.ACCT_OP_RESELLER_ADD
    RESELLER_GET = _ffi.ACCT_OP_RESELLER_GET
    RESELLER_SET = _ffi.ACCT_OP_RESELLER_SET
    RESELLER_DEL = _ffi.ACCT_OP_RESELLER_DEL
    RESELLER_IPPOOL_ADD_IP = _ffi.ACCT_OP_RESELLER_IPPOOL_ADD_IP
    RESELLER_IPPOOL_DEL_IP = _ffi.ACCT_OP_RESELLER_IPPOOL_DEL_IP
    RESELLER_IPPOOL_SET_IP = _ffi.ACCT_OP_RESELLER_IPPOOL_SET_IP
    RESELLER_CFORM_BUTTONS_LIST = _ffi.ACCT_OP_RESELLER_CFORM_BUTTONS_LIST
    RESELLER_GET_LIMIT_DESCRIPTOR = _ffi.ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR
    RESELLER_GET_PERMISSION_DESCRIPTOR = _ffi.ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR
    RESELLER_CONVERT_TO_CUSTOMER = _ffi.ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER
    CLIENT_ADD = _ffi.ACCT_OP_CLIENT_ADD
    CLIENT_GET = _ffi.ACCT_OP_CLIENT_GET
    CLIENT_SET = _ffi.ACCT_OP_CLIENT_SET
    CLIENT_DEL = _ffi.ACCT_OP_CLIENT_DEL
    CLIENT_IPPOOL_ADD_IP = _ffi.ACCT_OP_CLIENT_IPPOOL_ADD_IP
    CLIENT_IPPOOL_DEL_IP = _ffi.ACCT_OP_CLIENT_IPPOOL_DEL_IP
    CLIENT_CFORM_BUTTONS_LIST = _ffi.ACCT_OP_CLIENT_CFORM_BUTTONS_LIST
    CLIENT_GET_LIMIT_DESCRIPTOR = _ffi.ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR
    CLIENT_GET_PERMISSION_DESCRIPTOR = _ffi.ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR
    CLIENT_CONVERT_TO_RESELLER = _ffi.ACCT_OP_CLIENT_CONVERT_TO_RESELLER
    CLIENT_CHANGE_OWNER = _ffi.ACCT_OP_CLIENT_CHANGE_OWNER
    USER_ADD = _ffi.ACCT_OP_USER_ADD
    USER_GET = _ffi.ACCT_OP_USER_GET
    USER_SET = _ffi.ACCT_OP_USER_SET
    USER_DEL = _ffi.ACCT_OP_USER_DEL
    SECRET_KEY_CREATE = _ffi.ACCT_OP_SECRET_KEY_CREATE
    SECRET_KEY_GET_INFO = _ffi.ACCT_OP_SECRET_KEY_GET_INFO
    SECRET_KEY_DELETE = _ffi.ACCT_OP_SECRET_KEY_DELETE
    SERVER_GET_PROTOS = _ffi.ACCT_OP_SERVER_GET_PROTOS
    SERVER_GET = _ffi.ACCT_OP_SERVER_GET
    SERVER_CREATE_SESSION = _ffi.ACCT_OP_SERVER_CREATE_SESSION
    SESSION_GET = _ffi.ACCT_OP_SESSION_GET
    SESSION_TERMINATE = _ffi.ACCT_OP_SESSION_TERMINATE

    @property
    def label(self) -> str:
        """libacct's name for the operation (``acct_op_name``): operator and operation as on the wire."""
        return (_ffi.raw.acct_op_name(int(self)) or b"").decode()


class FilterKind(IntEnum):
    """``acct_filter_kind`` (acct/packet.h): what the values of a ``<filter>`` are (one kind per filter)."""

    ALL = _ffi.ACCT_FILTER_ALL  #: every object the requester sees: <filter/> (or <all/> where the schema has it)
    ID = _ffi.ACCT_FILTER_ID  #: <id>
    LOGIN = _ffi.ACCT_FILTER_LOGIN  #: <login>
    GUID = _ffi.ACCT_FILTER_GUID  #: <guid>
    OWNER_ID = _ffi.ACCT_FILTER_OWNER_ID  #: <owner-id> (customer)
    OWNER_LOGIN = _ffi.ACCT_FILTER_OWNER_LOGIN  #: <owner-login> (customer)
    EXTERNAL_ID = _ffi.ACCT_FILTER_EXTERNAL_ID  #: <external-id>
    OWNER_GUID = _ffi.ACCT_FILTER_OWNER_GUID  #: <owner-guid> (user)
    OWNER_EXTERNAL_ID = _ffi.ACCT_FILTER_OWNER_EXTERNAL_ID  #: <owner-external-id> (user)
    KEY = _ffi.ACCT_FILTER_KEY  #: <key> (secret_key)
    IP_ADDRESS = _ffi.ACCT_FILTER_IP_ADDRESS  #: <ip-address> (reseller ippool-set-ip)


class Dataset(IntFlag):
    """``acct_dataset`` (acct/packet.h): the datasets a get operation asks for, as bits (``GEN_INFO | STAT``)."""

    GEN_INFO = _ffi.ACCT_DATASET_GEN_INFO  #: gen_info / gen-info
    STAT = _ffi.ACCT_DATASET_STAT  #: stat
    PERMISSIONS = _ffi.ACCT_DATASET_PERMISSIONS  #: permissions
    LIMITS = _ffi.ACCT_DATASET_LIMITS  #: limits
    IPPOOL = _ffi.ACCT_DATASET_IPPOOL  #: ippool
    ROLES = _ffi.ACCT_DATASET_ROLES  #: roles (user)
    KEY = _ffi.ACCT_DATASET_KEY  #: key (server get: license properties)


class PacketField(IntEnum):
    """``acct_pfield`` (acct/packet.h): packet fields beyond :class:`Field`.

    Wherever a packet takes or gives a field, a :class:`Field` (``Field.EMAIL``)
    or one of these is accepted, or its name in lower case (``"email"``,
    ``"owner_login"``).
    """

    STATUS = _ffi.ACCT_PFIELD_STATUS  #: status: Plesk bits ("0", "16"), or "enabled"/"disabled" for users
    OWNER_ID = _ffi.ACCT_PFIELD_OWNER_ID  #: owner-id
    OWNER_LOGIN = _ffi.ACCT_PFIELD_OWNER_LOGIN  #: owner-login
    OWNER_GUID = _ffi.ACCT_PFIELD_OWNER_GUID  #: owner-guid (user)
    OWNER_EXTERNAL_ID = _ffi.ACCT_PFIELD_OWNER_EXTERNAL_ID  #: owner-external-id
    DESCRIPTION = _ffi.ACCT_PFIELD_DESCRIPTION  #: description (an account's, by the requester; a secret key's)
    POWER_USER = _ffi.ACCT_PFIELD_POWER_USER  #: power-user (reseller), "true"/"false"
    IS_BUILT_IN = _ffi.ACCT_PFIELD_IS_BUILT_IN  #: is-built-in (user), "true"/"false"
    NEW_OWNER_LOGIN = _ffi.ACCT_PFIELD_NEW_OWNER_LOGIN  #: new-owner-login (change-owner)
    PLAN_NAME = _ffi.ACCT_PFIELD_PLAN_NAME  #: plan-name / reseller-plan-name
    ACCOUNT_ID = _ffi.ACCT_PFIELD_ACCOUNT_ID  #: reseller-id / client_id of the ippool operations
    #: ip_address (secret_key), ip-address (ippool results), the client address of create_session
    IP_ADDRESS = _ffi.ACCT_PFIELD_IP_ADDRESS
    IP_TYPE = _ffi.ACCT_PFIELD_IP_TYPE  #: ip-type: "shared" or "exclusive"
    KEY = _ffi.ACCT_PFIELD_KEY  #: key: a secret key (secret_key create result)
    SESSION_ID = _ffi.ACCT_PFIELD_SESSION_ID  #: session-id (terminate), id of a created session
    OVERSELL = _ffi.ACCT_PFIELD_OVERSELL  #: resource-policy oversell, "true"/"false"
    #: resource-policy overuse: block, notify, normal, not_suspend, not_suspend_notify
    OVERUSE = _ffi.ACCT_PFIELD_OVERUSE
    SERVER_NAME = _ffi.ACCT_PFIELD_SERVER_NAME  #: server get gen_info: server_name


class ItemKind(IntEnum):
    """``acct_item_kind`` (acct/packet.h): the lists inside an operation or a result.

    The comment of each member names its two main values, the ``(name, value)``
    of :meth:`Result.items <libacct.Result.items>`, and further elements
    :meth:`Result.item_get <libacct.Result.item_get>` reads.
    """

    LIMIT = _ffi.ACCT_ITEM_LIMIT  #: limit: name, value
    PERMISSION = _ffi.ACCT_ITEM_PERMISSION  #: permission: name, value ("true"/"false")
    IP = _ffi.ACCT_ITEM_IP  #: IP address: ip-address, ip-type (ippool, change-owner addresses)
    ROLE = _ffi.ACCT_ITEM_ROLE  #: role name (user)
    BUTTON = _ffi.ACCT_ITEM_BUTTON  #: custom button: id, label (more: url)
    KEY_INFO = _ffi.ACCT_ITEM_KEY_INFO  #: key_info: key, ip_address (more: description, login)
    PROTO = _ffi.ACCT_ITEM_PROTO  #: a protocol version (get_protos)
    SESSION = _ffi.ACCT_ITEM_SESSION  #: login session: id, login (more: type, ip-address, login-time, idle)
    DOMAIN = _ffi.ACCT_ITEM_DOMAIN  #: domain: id, name (more: ascii-name, type, main, guid, ...)
    PROPERTY = _ffi.ACCT_ITEM_PROPERTY  #: descriptor property: name, type (more: label, default-value, writable-by)
    STAT = _ffi.ACCT_ITEM_STAT  #: stat counter: name, value
    KEY_PROPERTY = _ffi.ACCT_ITEM_KEY_PROPERTY  #: server key property: name, value


class CredKind(IntEnum):
    """``acct_cred_kind`` (acct/agent.h): how a request to the agent authenticates."""

    NONE = _ffi.ACCT_CRED_NONE  #: none given: the agent answers 1029
    PASSWORD = _ffi.ACCT_CRED_PASSWORD  #: login + password (HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD)
    KEY = _ffi.ACCT_CRED_KEY  #: secret key + the client's address (KEY)
    SESSION = _ffi.ACCT_CRED_SESSION  #: a session the host already trusts
