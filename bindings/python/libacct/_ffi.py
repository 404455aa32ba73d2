"""Raw ctypes declarations of the libacct C API (include/acct.h, acct/*.h, acct/sys/*.h).

Nothing here is Pythonic: this module mirrors the headers one to one so the
rest of the package (and anyone who needs the bare C API) can call it safely.

* Every exported symbol has ``argtypes`` and ``restype`` (see :data:`SIGNATURES`).
* Handles are pointers to opaque :class:`ctypes.Structure` subclasses, never
  ``int``/``c_void_p``, so ctypes refuses to mix them up.
* The public structs are mirrored with every field of the headers:
  :class:`acct_buf`, :class:`acct_error`, :class:`acct_storage`,
  :class:`acct_storage_iterator`, :class:`acct_allocator`,
  :class:`acct_ctx_options` (version 2), :class:`acct_perm_desc`,
  :class:`acct_sqlite_options`, :class:`acct_audit_event`,
  :class:`acct_credentials`, :class:`acct_agent_options`,
  :class:`acct_transport`, :class:`acct_https_options` (version 1). libacct
  only ever appends fields and never reads past the version a caller
  declared, so a mirror stays valid against every later libacct 0.x, and the
  bindings declare version 1 wherever they use no later field (so a library
  that predates the later fields works too). (:class:`acct_error`
  has no version field: it is mirrored with every field of the 0.1 headers,
  ``deny_kind`` included, and libacct allocates it.)
* Functions that return ``0`` or a negative ``ACCT_E*`` code are listed in
  :data:`FALLIBLE`; :mod:`libacct.errors` installs the ``errcheck`` that turns
  their failures into exceptions.
* Symbols added after 0.1 go into :data:`SIGNATURES` with their ``since``
  version. A library that lacks one still loads; :func:`has` tells, and
  :func:`require` raises :class:`NotImplementedError`.

Importing this module loads the library (:mod:`libacct._loader`), checks
``acct_version()`` and takes one ``acct_global_init()`` reference for the life
of the process.
"""

from __future__ import annotations

import ctypes
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_int64,
    c_long,
    c_size_t,
    c_uint,
    c_uint64,
    c_void_p,
)
from typing import Any, Dict, List, NamedTuple, Sequence, Tuple

from . import _loader

# ---------------------------------------------------------------------------
# Constants (the headers' enums and macros; ctypes cannot expand macros)
# ---------------------------------------------------------------------------

#: The header version these declarations were written from (acct/common.h).
HEADER_VERSION = (0, 1, 0)

# acct/errors.h: acct_error_code. Append-only.
ACCT_OK = 0
ACCT_ERROR = -1
ACCT_ENOTFOUND = -2
ACCT_EEXISTS = -3
ACCT_EINVALID = -4
ACCT_ENOMEM = -5
ACCT_EDENIED = -6
ACCT_EPARSE = -7
ACCT_ENOTSUPPORTED = -8
ACCT_EUSER = -9
ACCT_ITEROVER = -10
ACCT_EAUTH = -11
ACCT_EDISABLED = -12
ACCT_ELOCKED = -13
ACCT_ELIMIT = -14
ACCT_ESTATUS = -15
ACCT_EOWNER = -16
ACCT_ESTORAGE = -17
ACCT_EKEY = -18
ACCT_EVERSION = -19
ACCT_ENETWORK = -20

# acct/account.h: acct_type
ACCT_TYPE_ADMIN = 1
ACCT_TYPE_RESELLER = 2
ACCT_TYPE_CUSTOMER = 3
ACCT_TYPE_USER = 4

# acct/account.h: acct_status_bit
ACCT_STATUS_ACTIVE = 0
ACCT_STATUS_BACKUP = 4
ACCT_STATUS_BY_ADMIN = 16
ACCT_STATUS_BY_RESELLER = 32
ACCT_STATUS_BY_CUSTOMER = 64
ACCT_STATUS_EXPIRED = 256

# acct/account.h: acct_field
ACCT_FIELD_LOGIN = 1
ACCT_FIELD_PASSWORD = 2
ACCT_FIELD_NAME = 3
ACCT_FIELD_COMPANY = 4
ACCT_FIELD_PHONE = 5
ACCT_FIELD_FAX = 6
ACCT_FIELD_EMAIL = 7
ACCT_FIELD_ADDRESS = 8
ACCT_FIELD_CITY = 9
ACCT_FIELD_STATE = 10
ACCT_FIELD_POSTAL_CODE = 11
ACCT_FIELD_COUNTRY = 12
ACCT_FIELD_LOCALE = 13
ACCT_FIELD_EXTERNAL_ID = 14
ACCT_FIELD_GUID = 15
ACCT_FIELD_CREATED = 16
ACCT_FIELD_SUBSCRIPTION = 17
ACCT_FIELD_VAT_NUMBER = 18
ACCT_FIELD_FIRST = ACCT_FIELD_LOGIN
ACCT_FIELD_LAST = ACCT_FIELD_VAT_NUMBER

# acct/account.h: acct_iter_mode
ACCT_ITER_CHILDREN = 0
ACCT_ITER_DESCENDANTS = 1

# acct/perm.h: acct_catalog (host catalogs get ids > ACCT_CATALOG_PARTNER)
ACCT_CATALOG_ACCOUNT = 1
ACCT_CATALOG_ROLE = 2
ACCT_CATALOG_PARTNER = 3

# acct/perm.h: acct_perm_type
ACCT_PERM_BOOL = 1

# acct/perm.h: the bits of acct_perm_desc.writable_by (macros: 1u << ACCT_TYPE_*)
ACCT_WRITABLE_BY_ADMIN = 1 << ACCT_TYPE_ADMIN
ACCT_WRITABLE_BY_RESELLER = 1 << ACCT_TYPE_RESELLER
ACCT_WRITABLE_BY_CUSTOMER = 1 << ACCT_TYPE_CUSTOMER

# acct/perm.h: acct_deny_kind
ACCT_DENY_NONE = 0
ACCT_DENY_SESSION = 1
ACCT_DENY_DISABLED = 2
ACCT_DENY_OBJECT = 3
ACCT_DENY_METHOD = 4
ACCT_DENY_RULE = 5

# acct/role.h: acct_builtin_role (the same ids in every store)
ACCT_ROLE_ADMIN = 1
ACCT_ROLE_ACCOUNTANT = 2
ACCT_ROLE_WEBMASTER = 3
ACCT_ROLE_APPLICATION_USER = 4

# acct/role.h: acct_partner_role
ACCT_PARTNER_ALL_CLIENT = 1
ACCT_PARTNER_ADVANCED_CLIENT = 2
ACCT_PARTNER_STANDARD_CLIENT = 3
ACCT_PARTNER_LIMITED_CLIENT = 4
ACCT_PARTNER_ALL_RESELLER = 5
ACCT_PARTNER_ADVANCED_RESELLER = 6
ACCT_PARTNER_STANDARD_RESELLER = 7
ACCT_PARTNER_LIMITED_RESELLER = 8

# acct/limit.h
ACCT_UNLIMITED = -1  # a macro: the value of a limit without a bound

# acct/limit.h: acct_overuse
ACCT_OVERUSE_BLOCK = 1
ACCT_OVERUSE_NOTIFY = 2
ACCT_OVERUSE_NORMAL = 3
ACCT_OVERUSE_NOT_SUSPEND = 4
ACCT_OVERUSE_NOT_SUSPEND_NOTIFY = 5

# acct/limit.h: acct_ip_type
ACCT_IP_SHARED = 1
ACCT_IP_EXCLUSIVE = 2

# acct/storage.h: acct_sqlite_sync
ACCT_SQLITE_SYNC_OFF = 0
ACCT_SQLITE_SYNC_NORMAL = 1
ACCT_SQLITE_SYNC_FULL = 2

# acct/packet.h: acct_op (operator * 100 + operation)
ACCT_OP_CUSTOMER_ADD = 101
ACCT_OP_CUSTOMER_GET = 102
ACCT_OP_CUSTOMER_SET = 103
ACCT_OP_CUSTOMER_DEL = 104
ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER = 105
ACCT_OP_CUSTOMER_CHANGE_OWNER = 106
ACCT_OP_CUSTOMER_GET_DOMAIN_LIST = 107
ACCT_OP_RESELLER_ADD = 201
ACCT_OP_RESELLER_GET = 202
ACCT_OP_RESELLER_SET = 203
ACCT_OP_RESELLER_DEL = 204
ACCT_OP_RESELLER_IPPOOL_ADD_IP = 205
ACCT_OP_RESELLER_IPPOOL_DEL_IP = 206
ACCT_OP_RESELLER_IPPOOL_SET_IP = 207
ACCT_OP_RESELLER_CFORM_BUTTONS_LIST = 208
ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR = 209
ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR = 210
ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER = 211
ACCT_OP_CLIENT_ADD = 301
ACCT_OP_CLIENT_GET = 302
ACCT_OP_CLIENT_SET = 303
ACCT_OP_CLIENT_DEL = 304
ACCT_OP_CLIENT_IPPOOL_ADD_IP = 305
ACCT_OP_CLIENT_IPPOOL_DEL_IP = 306
ACCT_OP_CLIENT_CFORM_BUTTONS_LIST = 307
ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR = 308
ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR = 309
ACCT_OP_CLIENT_CONVERT_TO_RESELLER = 310
ACCT_OP_CLIENT_CHANGE_OWNER = 311
ACCT_OP_USER_ADD = 401
ACCT_OP_USER_GET = 402
ACCT_OP_USER_SET = 403
ACCT_OP_USER_DEL = 404
ACCT_OP_SECRET_KEY_CREATE = 501
ACCT_OP_SECRET_KEY_GET_INFO = 502
ACCT_OP_SECRET_KEY_DELETE = 503
ACCT_OP_SERVER_GET_PROTOS = 601
ACCT_OP_SERVER_GET = 602
ACCT_OP_SERVER_CREATE_SESSION = 603
ACCT_OP_SESSION_GET = 701
ACCT_OP_SESSION_TERMINATE = 702

# acct/packet.h: acct_filter_kind
ACCT_FILTER_ALL = 0
ACCT_FILTER_ID = 1
ACCT_FILTER_LOGIN = 2
ACCT_FILTER_GUID = 3
ACCT_FILTER_OWNER_ID = 4
ACCT_FILTER_OWNER_LOGIN = 5
ACCT_FILTER_EXTERNAL_ID = 6
ACCT_FILTER_OWNER_GUID = 7
ACCT_FILTER_OWNER_EXTERNAL_ID = 8
ACCT_FILTER_KEY = 9
ACCT_FILTER_IP_ADDRESS = 10

# acct/packet.h: acct_dataset (bits)
ACCT_DATASET_GEN_INFO = 1
ACCT_DATASET_STAT = 2
ACCT_DATASET_PERMISSIONS = 4
ACCT_DATASET_LIMITS = 8
ACCT_DATASET_IPPOOL = 16
ACCT_DATASET_ROLES = 32
ACCT_DATASET_KEY = 64

# acct/packet.h: acct_pfield (packet fields beyond acct_field)
ACCT_PFIELD_STATUS = 100
ACCT_PFIELD_OWNER_ID = 101
ACCT_PFIELD_OWNER_LOGIN = 102
ACCT_PFIELD_OWNER_GUID = 103
ACCT_PFIELD_OWNER_EXTERNAL_ID = 104
ACCT_PFIELD_DESCRIPTION = 105
ACCT_PFIELD_POWER_USER = 106
ACCT_PFIELD_IS_BUILT_IN = 107
ACCT_PFIELD_NEW_OWNER_LOGIN = 108
ACCT_PFIELD_PLAN_NAME = 109
ACCT_PFIELD_ACCOUNT_ID = 110
ACCT_PFIELD_IP_ADDRESS = 111
ACCT_PFIELD_IP_TYPE = 112
ACCT_PFIELD_KEY = 113
ACCT_PFIELD_SESSION_ID = 114
ACCT_PFIELD_OVERSELL = 115
ACCT_PFIELD_OVERUSE = 116
ACCT_PFIELD_SERVER_NAME = 117

# acct/packet.h: acct_item_kind
ACCT_ITEM_LIMIT = 1
ACCT_ITEM_PERMISSION = 2
ACCT_ITEM_IP = 3
ACCT_ITEM_ROLE = 4
ACCT_ITEM_BUTTON = 5
ACCT_ITEM_KEY_INFO = 6
ACCT_ITEM_PROTO = 7
ACCT_ITEM_SESSION = 8
ACCT_ITEM_DOMAIN = 9
ACCT_ITEM_PROPERTY = 10
ACCT_ITEM_STAT = 11
ACCT_ITEM_KEY_PROPERTY = 12

# acct/agent.h: acct_cred_kind
ACCT_CRED_NONE = 0
ACCT_CRED_PASSWORD = 1
ACCT_CRED_KEY = 2
ACCT_CRED_SESSION = 3

# Struct versions (the *_VERSION macros) these mirrors implement.
ACCT_STORAGE_VERSION = 1
ACCT_STORAGE_ITERATOR_VERSION = 1
ACCT_ALLOCATOR_VERSION = 1
ACCT_CTX_OPTIONS_VERSION = 2  # the mirror holds version 2; the bindings declare 1 unless they use a v2 field
ACCT_PERM_DESC_VERSION = 1
ACCT_SQLITE_OPTIONS_VERSION = 1
ACCT_AUDIT_EVENT_VERSION = 1
ACCT_CREDENTIALS_VERSION = 1
ACCT_AGENT_OPTIONS_VERSION = 1
ACCT_TRANSPORT_VERSION = 1
ACCT_HTTPS_OPTIONS_VERSION = 1

# Ranges of the C integer types, for checking before ctypes silently truncates.
ACCT_ID_MAX = 2**63 - 1
UINT_MAX = 2**32 - 1
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
SIZE_MAX = 2 ** (8 * ctypes.sizeof(c_size_t)) - 1

# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------

acct_id = c_int64
acct_role_id = c_int64  # acct/role.h


class _Opaque(Structure):
    """Base of the incomplete C types: only ever used through POINTER()."""

    _fields_: List[Tuple[str, Any]] = []


class acct_ctx(_Opaque):
    """``acct_ctx`` (acct/ctx.h), opaque."""


class acct_session(_Opaque):
    """``acct_session`` (acct/session.h), opaque."""


class acct_account(_Opaque):
    """``acct_account`` (acct/account.h), opaque."""


class acct_account_iterator(_Opaque):
    """``acct_account_iterator`` (acct/account.h), opaque."""


class acct_role_iterator(_Opaque):
    """``acct_role_iterator`` (acct/role.h), opaque."""


class acct_ip_iterator(_Opaque):
    """``acct_ip_iterator`` (acct/limit.h), opaque."""


class acct_button_iterator(_Opaque):
    """``acct_button_iterator`` (acct/limit.h), opaque."""


class acct_key_iterator(_Opaque):
    """``acct_key_iterator`` (acct/credential.h), opaque."""


class acct_apilogin_iterator(_Opaque):
    """``acct_apilogin_iterator`` (acct/credential.h), opaque."""


class acct_request(_Opaque):
    """``acct_request`` (acct/packet.h), opaque: a request packet being built."""


class acct_response(_Opaque):
    """``acct_response`` (acct/packet.h), opaque: a parsed reply packet."""


class acct_result(_Opaque):
    """``acct_result`` (acct/packet.h), opaque: one ``<result>`` of a reply, borrowed from its response."""


class acct_buf(Structure):
    """``acct_buf`` (acct/buf.h): a buffer libacct fills and the caller disposes."""

    _fields_ = [
        ("ptr", c_void_p),  # char *; c_void_p so binary data with NULs is not cut short
        ("reserved", c_size_t),
        ("size", c_size_t),
    ]


class acct_error(Structure):
    """``acct_error`` (acct/errors.h); owned by libacct, read only.

    It has no version field: libacct allocates it and only appends fields, so
    the mirror holds every field of the 0.1 headers. ``deny_kind`` is part of
    0.1 (a library that exports the 0.1 functions has it).
    """

    _fields_ = [
        ("code", c_int),
        ("plesk_code", c_int),
        ("message", c_char_p),
        ("deny_kind", c_int),  # an acct_deny_kind for a refusal by the policy, else 0
    ]


class acct_storage(Structure):
    """``struct acct_storage`` (acct/sys/storage.h), version 1 layout. Fields set below."""


class acct_storage_iterator(Structure):
    """``struct acct_storage_iterator`` (acct/sys/storage.h), version 1 layout."""


class acct_allocator(Structure):
    """``acct_allocator`` (acct/sys/alloc.h), version 1 layout."""


class acct_ctx_options(Structure):
    """``acct_ctx_options`` (acct/ctx.h), version 1 layout."""


class acct_perm_desc(Structure):
    """``acct_perm_desc`` (acct/perm.h), version 1 layout.

    Filled by ``acct_perm_describe``/``acct_perm_lookup`` with strings borrowed
    from libacct (static, or owned by the context): copy them before the
    context goes away. For ``acct_perm_register`` the caller's strings only
    need to live for the call (libacct copies them).
    """

    _fields_ = [
        ("version", c_uint),
        ("catalog", c_int),
        ("name", c_char_p),
        ("label", c_char_p),
        ("type", c_int),
        ("default_value", c_int),
        ("writable_by", c_uint),
        ("reseller_only", c_int),
        # --- version 1 ends here; append only ---
    ]


class acct_sqlite_options(Structure):
    """``acct_sqlite_options`` (acct/storage.h), version 1 layout; start it with ``acct_sqlite_options_init``."""

    _fields_ = [
        ("version", c_uint),
        ("synchronous", c_int),  # an ACCT_SQLITE_SYNC_* value
        ("busy_timeout_ms", c_int),  # 0 means 5000
        # --- version 1 ends here; append only ---
    ]


class acct_audit_event(Structure):
    """``acct_audit_event`` (acct/audit.h), version 1 layout.

    libacct allocates it and lends it to the audit callback for the duration
    of the call; the strings are borrowed too. Fields past version 1 may
    follow, so only read what ``version`` promises (never allocate one).
    """

    _fields_ = [
        ("version", c_uint),
        ("time", c_int64),
        ("actor", acct_id),
        ("operation", c_char_p),
        ("target", acct_id),
        ("result", c_int),
        ("text", c_char_p),
        ("detail", c_char_p),
        # --- version 1 ends here; append only ---
    ]


class acct_credentials(Structure):
    """``acct_credentials`` (acct/agent.h), version 1 layout; start it with ``acct_credentials_init``.

    The strings and the session are borrowed for the ``acct_agent_handle``
    call only: keep the Python objects assigned to the fields alive until it
    returns (ctypes keeps a reference to bytes assigned to a ``c_char_p``
    field).
    """

    _fields_ = [
        ("version", c_uint),
        ("kind", c_int),  # an ACCT_CRED_* value
        ("login", c_char_p),  # ACCT_CRED_PASSWORD
        ("password", c_char_p),  # ACCT_CRED_PASSWORD
        ("secret_key", c_char_p),  # ACCT_CRED_KEY
        ("client_ip", c_char_p),  # ACCT_CRED_KEY: required; others: recorded by create_session
        ("session", POINTER(acct_session)),  # ACCT_CRED_SESSION: borrowed
        # --- version 1 ends here; append only ---
    ]


class acct_agent_options(Structure):
    """``acct_agent_options`` (acct/agent.h), version 1 layout; start it with ``acct_agent_options_init``.

    0 means the default in every numeric field; ``acct_agent_configure``
    copies the struct (``server_name`` included).
    """

    _fields_ = [
        ("version", c_uint),
        ("max_packet_bytes", c_size_t),  # default 1 MiB
        ("max_depth", c_uint),  # default 32, at most 256
        ("max_elements", c_size_t),  # default 20,000
        ("max_operations", c_uint),  # default 500
        ("max_text_bytes", c_size_t),  # default 65,536
        ("server_name", c_char_p),  # NULL: the host name
        ("pretty", c_int),  # indent replies
        # --- version 1 ends here; append only ---
    ]


class acct_transport(Structure):
    """``struct acct_transport`` (acct/sys/transport.h), version 1 layout; start it with ``acct_transport_init``.

    Also the handle of the built-in transports (``acct_transport_loopback_new``,
    ``acct_transport_https_new``): always used through ``POINTER(acct_transport)``.
    """


class acct_https_options(Structure):
    """``acct_https_options`` (acct/transport.h), version 1 layout; start it with ``acct_https_options_init``."""

    _fields_ = [
        ("version", c_uint),
        ("url", c_char_p),  # "https://host:8443" or a full URL; required
        ("ca_file", c_char_p),  # NULL: the system's CA certificates
        ("insecure", c_int),  # non-zero: no certificate or host name verification (test servers only)
        ("connect_timeout_ms", c_long),  # 0: 10,000
        ("timeout_ms", c_long),  # 0: 60,000
        # --- version 1 ends here; append only ---
    ]


# Function pointer types. Byte-string parameters (``const unsigned char *``)
# are declared c_void_p: the same ABI, and the callback receives a plain int
# address that ctypes.string_at() reads without building a pointer object.
acct_clock_fn = CFUNCTYPE(c_int64, c_void_p)
acct_account_foreach_cb = CFUNCTYPE(c_int, acct_id, c_void_p)
acct_audit_fn = CFUNCTYPE(None, POINTER(acct_audit_event), c_void_p)

storage_begin_fn = CFUNCTYPE(c_int, POINTER(acct_storage), c_int)
storage_commit_fn = CFUNCTYPE(c_int, POINTER(acct_storage))
storage_rollback_fn = CFUNCTYPE(c_int, POINTER(acct_storage))
storage_get_fn = CFUNCTYPE(c_int, POINTER(acct_storage), c_void_p, c_size_t, POINTER(acct_buf))
storage_put_fn = CFUNCTYPE(c_int, POINTER(acct_storage), c_void_p, c_size_t, c_void_p, c_size_t)
storage_del_fn = CFUNCTYPE(c_int, POINTER(acct_storage), c_void_p, c_size_t)
storage_iterate_fn = CFUNCTYPE(
    c_int, POINTER(POINTER(acct_storage_iterator)), POINTER(acct_storage), c_void_p, c_size_t
)
storage_free_fn = CFUNCTYPE(None, POINTER(acct_storage))
storage_iterator_next_fn = CFUNCTYPE(c_int, POINTER(acct_storage_iterator), POINTER(acct_buf), POINTER(acct_buf))
storage_iterator_free_fn = CFUNCTYPE(None, POINTER(acct_storage_iterator))

# acct/sys/transport.h: the request (const char *, len bytes) is c_void_p as above.
transport_send_fn = CFUNCTYPE(c_int, POINTER(acct_transport), c_void_p, c_size_t, POINTER(acct_credentials),
                              POINTER(acct_buf))
transport_free_fn = CFUNCTYPE(None, POINTER(acct_transport))

allocator_malloc_fn = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
allocator_realloc_fn = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
allocator_free_fn = CFUNCTYPE(None, c_void_p, c_void_p)

acct_storage._fields_ = [
    ("version", c_uint),
    ("payload", c_void_p),
    ("begin", storage_begin_fn),
    ("commit", storage_commit_fn),
    ("rollback", storage_rollback_fn),
    ("get", storage_get_fn),
    ("put", storage_put_fn),
    ("del_", storage_del_fn),  # "del" in C; a keyword in Python
    ("iterate", storage_iterate_fn),
    ("free", storage_free_fn),
    # --- version 1 ends here; append only ---
]

acct_storage_iterator._fields_ = [
    ("version", c_uint),
    ("payload", c_void_p),
    ("next", storage_iterator_next_fn),
    ("free", storage_iterator_free_fn),
    # --- version 1 ends here; append only ---
]

acct_transport._fields_ = [
    ("version", c_uint),
    ("payload", c_void_p),
    ("send", transport_send_fn),
    ("free", transport_free_fn),
    # --- version 1 ends here; append only ---
]

acct_allocator._fields_ = [
    ("version", c_uint),
    ("payload", c_void_p),
    ("malloc", allocator_malloc_fn),
    ("realloc", allocator_realloc_fn),
    ("free", allocator_free_fn),
    # --- version 1 ends here; append only ---
]

acct_ctx_options._fields_ = [
    ("version", c_uint),
    ("admin_login", c_char_p),
    ("admin_password", c_char_p),
    ("password_cost", c_int),
    ("clock", acct_clock_fn),
    ("clock_payload", c_void_p),
    ("lockout_attempts", c_int),
    ("lockout_window", c_int),
    ("lockout_duration", c_int),
    # --- version 1 ends here ---
    ("auth_cache_seconds", c_int),
    # --- version 2 ends here; append only ---
]

# ---------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------


class Sig(NamedTuple):
    """One C function: its types, whether it returns an ``ACCT_E*`` code, and since when it exists."""

    restype: Any
    argtypes: Sequence[Any]
    fallible: bool = False
    since: Tuple[int, int] = (0, 1)
    header: str = ""


def _p(t: Any) -> Any:
    """``POINTER(t)``."""
    return POINTER(t)


def _pp(t: Any) -> Any:
    """``POINTER(POINTER(t))``, for out-parameters."""
    return POINTER(POINTER(t))


#: Every function declared in the public headers, by name.
SIGNATURES: Dict[str, Sig] = {
    # acct/common.h
    "acct_version": Sig(c_char_p, [_p(c_int), _p(c_int), _p(c_int)], header="acct/common.h"),
    "acct_global_init": Sig(c_int, [], True, header="acct/common.h"),
    "acct_global_shutdown": Sig(c_int, [], True, header="acct/common.h"),
    # acct/errors.h
    "acct_strerror": Sig(c_char_p, [c_int], header="acct/errors.h"),
    "acct_error_plesk_code": Sig(c_int, [c_int], header="acct/errors.h"),
    "acct_error_last": Sig(_p(acct_error), [], header="acct/errors.h"),
    "acct_error_clear": Sig(None, [], header="acct/errors.h"),
    # acct/buf.h
    "acct_buf_init": Sig(None, [_p(acct_buf)], header="acct/buf.h"),
    "acct_buf_set": Sig(c_int, [_p(acct_buf), c_void_p, c_size_t], True, header="acct/buf.h"),
    "acct_buf_dispose": Sig(None, [_p(acct_buf)], header="acct/buf.h"),
    # acct/storage.h
    "acct_storage_memory_new": Sig(c_int, [_pp(acct_storage)], True, header="acct/storage.h"),
    "acct_sqlite_options_init": Sig(c_int, [_p(acct_sqlite_options), c_uint], True, header="acct/storage.h"),
    "acct_storage_sqlite_new": Sig(c_int, [_pp(acct_storage), c_char_p, _p(acct_sqlite_options)], True,
                                   header="acct/storage.h"),
    "acct_storage_postgres_new": Sig(c_int, [_pp(acct_storage), c_char_p], True, header="acct/storage.h"),
    "acct_storage_free": Sig(None, [_p(acct_storage)], header="acct/storage.h"),
    # acct/ctx.h
    "acct_ctx_options_init": Sig(c_int, [_p(acct_ctx_options), c_uint], True, header="acct/ctx.h"),
    "acct_ctx_new": Sig(c_int, [_pp(acct_ctx), _p(acct_storage), _p(acct_ctx_options)], True, header="acct/ctx.h"),
    "acct_ctx_free": Sig(None, [_p(acct_ctx)], header="acct/ctx.h"),
    "acct_ctx_refresh": Sig(c_int, [_p(acct_ctx)], True, header="acct/ctx.h"),
    "acct_ctx_generation": Sig(c_uint64, [_p(acct_ctx)], header="acct/ctx.h"),
    "acct_ctx_account_count": Sig(c_size_t, [_p(acct_ctx)], header="acct/ctx.h"),
    "acct_ctx_index_bytes": Sig(c_size_t, [_p(acct_ctx)], header="acct/ctx.h"),
    # acct/session.h
    "acct_session_open": Sig(c_int, [_pp(acct_session), _p(acct_ctx), c_char_p, c_char_p], True,
                             header="acct/session.h"),
    "acct_session_open_as": Sig(c_int, [_pp(acct_session), _p(acct_ctx), acct_id], True, header="acct/session.h"),
    "acct_session_account": Sig(acct_id, [_p(acct_session)], header="acct/session.h"),
    "acct_session_free": Sig(None, [_p(acct_session)], header="acct/session.h"),
    # acct/account.h
    "acct_account_type_name": Sig(c_char_p, [c_int], header="acct/account.h"),
    "acct_field_name": Sig(c_char_p, [c_int], header="acct/account.h"),
    "acct_account_new": Sig(c_int, [_pp(acct_account), c_int], True, header="acct/account.h"),
    "acct_account_free": Sig(None, [_p(acct_account)], header="acct/account.h"),
    "acct_account_id": Sig(acct_id, [_p(acct_account)], header="acct/account.h"),
    "acct_account_type": Sig(c_int, [_p(acct_account)], header="acct/account.h"),
    "acct_account_owner": Sig(acct_id, [_p(acct_account)], header="acct/account.h"),
    "acct_account_status": Sig(c_uint, [_p(acct_account)], header="acct/account.h"),
    "acct_account_created": Sig(c_int64, [_p(acct_account)], header="acct/account.h"),
    "acct_account_get": Sig(c_char_p, [_p(acct_account), c_int], header="acct/account.h"),
    "acct_account_set": Sig(c_int, [_p(acct_account), c_int, c_char_p], True, header="acct/account.h"),
    "acct_account_description": Sig(c_char_p, [_p(acct_account), acct_id], header="acct/account.h"),
    "acct_account_set_description": Sig(c_int, [_p(acct_account), acct_id, c_char_p], True,
                                        header="acct/account.h"),
    "acct_account_add": Sig(c_int, [_p(acct_id), _p(acct_session), acct_id, _p(acct_account)], True,
                            header="acct/account.h"),
    "acct_account_lookup": Sig(c_int, [_pp(acct_account), _p(acct_session), acct_id], True, header="acct/account.h"),
    "acct_account_lookup_login": Sig(c_int, [_pp(acct_account), _p(acct_session), c_char_p], True,
                                     header="acct/account.h"),
    "acct_account_lookup_guid": Sig(c_int, [_pp(acct_account), _p(acct_session), c_char_p], True,
                                    header="acct/account.h"),
    "acct_account_lookup_external_id": Sig(c_int, [_pp(acct_account), _p(acct_session), c_char_p], True,
                                           header="acct/account.h"),
    "acct_account_update": Sig(c_int, [_p(acct_session), _p(acct_account)], True, header="acct/account.h"),
    "acct_account_delete": Sig(c_int, [_p(acct_session), acct_id], True, header="acct/account.h"),
    "acct_account_set_status": Sig(c_int, [_p(acct_session), acct_id, c_uint], True, header="acct/account.h"),
    "acct_account_suspend": Sig(c_int, [_p(acct_session), acct_id], True, header="acct/account.h"),
    "acct_account_activate": Sig(c_int, [_p(acct_session), acct_id], True, header="acct/account.h"),
    "acct_account_effective_status": Sig(c_int, [_p(c_uint), _p(acct_session), acct_id], True,
                                         header="acct/account.h"),
    "acct_account_change_owner": Sig(c_int, [_p(acct_session), acct_id, acct_id], True, header="acct/account.h"),
    "acct_account_convert": Sig(c_int, [_p(acct_session), acct_id, c_int], True, header="acct/account.h"),
    "acct_account_iterator_new": Sig(c_int, [_pp(acct_account_iterator), _p(acct_session), acct_id, c_int], True,
                                     header="acct/account.h"),
    "acct_account_iterator_next": Sig(c_int, [_p(acct_id), _p(acct_account_iterator)], True,
                                      header="acct/account.h"),
    "acct_account_iterator_free": Sig(None, [_p(acct_account_iterator)], header="acct/account.h"),
    "acct_account_foreach": Sig(c_int, [_p(acct_session), acct_id, c_int, acct_account_foreach_cb, c_void_p], True,
                                header="acct/account.h"),
    # acct/perm.h
    "acct_perm_desc_init": Sig(c_int, [_p(acct_perm_desc), c_uint], True, header="acct/perm.h"),
    "acct_perm_count": Sig(c_int, [_p(acct_ctx), c_int], True, header="acct/perm.h"),  # a count or ACCT_E*
    "acct_perm_describe": Sig(c_int, [_p(acct_perm_desc), _p(acct_ctx), c_int, c_size_t], True,
                              header="acct/perm.h"),
    "acct_perm_lookup": Sig(c_int, [_p(acct_perm_desc), _p(acct_ctx), c_char_p], True, header="acct/perm.h"),
    "acct_catalog_register": Sig(c_int, [_p(c_int), _p(acct_ctx), c_char_p], True, header="acct/perm.h"),
    "acct_perm_register": Sig(c_int, [_p(acct_ctx), _p(acct_perm_desc)], True, header="acct/perm.h"),
    "acct_check": Sig(c_int, [_p(c_int), _p(acct_session), c_char_p, acct_id], True, header="acct/perm.h"),
    "acct_check_explain": Sig(c_int, [_p(c_int), _p(c_int), _p(acct_buf), _p(acct_session), c_char_p, acct_id],
                              True, header="acct/perm.h"),
    "acct_deny_partner_code": Sig(c_int, [c_int], header="acct/perm.h"),  # a code, never a failure
    "acct_deny_plesk_code": Sig(c_int, [c_int], header="acct/perm.h"),
    "acct_perm_grant": Sig(c_int, [_p(acct_session), acct_id, c_char_p, c_int], True, header="acct/perm.h"),
    "acct_perm_get": Sig(c_int, [_p(c_int), _p(acct_session), acct_id, c_char_p], True, header="acct/perm.h"),
    # acct/role.h
    "acct_partner_role_name": Sig(c_char_p, [c_int], header="acct/role.h"),
    "acct_partner_role_permits": Sig(c_int, [c_int, c_char_p], True, header="acct/role.h"),  # 1, 0 or ACCT_E*
    "acct_role_create": Sig(c_int, [_p(acct_role_id), _p(acct_session), acct_id, c_char_p], True,
                            header="acct/role.h"),
    "acct_role_delete": Sig(c_int, [_p(acct_session), acct_role_id], True, header="acct/role.h"),
    "acct_role_set_permission": Sig(c_int, [_p(acct_session), acct_role_id, c_char_p, c_int], True,
                                    header="acct/role.h"),
    "acct_role_get_permission": Sig(c_int, [_p(c_int), _p(acct_session), acct_role_id, c_char_p], True,
                                    header="acct/role.h"),
    "acct_role_info": Sig(c_int, [_p(acct_buf), _p(acct_id), _p(c_int), _p(acct_session), acct_role_id], True,
                          header="acct/role.h"),
    "acct_role_iterator_new": Sig(c_int, [_pp(acct_role_iterator), _p(acct_session), acct_id], True,
                                  header="acct/role.h"),
    "acct_role_iterator_new_user": Sig(c_int, [_pp(acct_role_iterator), _p(acct_session), acct_id], True,
                                       header="acct/role.h"),
    "acct_role_iterator_next": Sig(c_int, [_p(acct_role_id), _p(acct_role_iterator)], True, header="acct/role.h"),
    "acct_role_iterator_free": Sig(None, [_p(acct_role_iterator)], header="acct/role.h"),
    "acct_user_set_role": Sig(c_int, [_p(acct_session), acct_id, acct_role_id, c_int], True, header="acct/role.h"),
    # acct/limit.h
    "acct_limit_count": Sig(c_size_t, [], header="acct/limit.h"),
    "acct_limit_name": Sig(c_char_p, [c_size_t], header="acct/limit.h"),
    "acct_limit_set": Sig(c_int, [_p(acct_session), acct_id, c_char_p, c_int64], True, header="acct/limit.h"),
    "acct_limit_unset": Sig(c_int, [_p(acct_session), acct_id, c_char_p], True, header="acct/limit.h"),
    "acct_limit_get": Sig(c_int, [_p(c_int64), _p(c_int), _p(acct_session), acct_id, c_char_p], True,
                          header="acct/limit.h"),
    "acct_limit_check": Sig(c_int, [_p(c_int), _p(acct_session), acct_id, c_char_p, c_int64], True,
                            header="acct/limit.h"),
    "acct_overuse_name": Sig(c_char_p, [c_int], header="acct/limit.h"),
    "acct_reseller_policy_set": Sig(c_int, [_p(acct_session), acct_id, c_int, c_int], True, header="acct/limit.h"),
    "acct_reseller_policy_get": Sig(c_int, [_p(c_int), _p(c_int), _p(acct_session), acct_id], True,
                                    header="acct/limit.h"),
    "acct_ip_add": Sig(c_int, [_p(acct_session), acct_id, c_char_p, c_int], True, header="acct/limit.h"),
    "acct_ip_set_type": Sig(c_int, [_p(acct_session), acct_id, c_char_p, c_int], True, header="acct/limit.h"),
    "acct_ip_remove": Sig(c_int, [_p(acct_session), acct_id, c_char_p], True, header="acct/limit.h"),
    "acct_ip_iterator_new": Sig(c_int, [_pp(acct_ip_iterator), _p(acct_session), acct_id], True,
                                header="acct/limit.h"),
    "acct_ip_iterator_next": Sig(c_int, [_p(c_char_p), _p(c_int), _p(acct_ip_iterator)], True,
                                 header="acct/limit.h"),
    "acct_ip_iterator_free": Sig(None, [_p(acct_ip_iterator)], header="acct/limit.h"),
    "acct_button_add": Sig(c_int, [_p(c_int64), _p(acct_session), acct_id, c_char_p, c_char_p], True,
                           header="acct/limit.h"),
    "acct_button_remove": Sig(c_int, [_p(acct_session), acct_id, c_int64], True, header="acct/limit.h"),
    "acct_button_iterator_new": Sig(c_int, [_pp(acct_button_iterator), _p(acct_session), acct_id], True,
                                    header="acct/limit.h"),
    "acct_button_iterator_next": Sig(c_int, [_p(c_int64), _p(c_char_p), _p(c_char_p), _p(acct_button_iterator)],
                                     True, header="acct/limit.h"),
    "acct_button_iterator_free": Sig(None, [_p(acct_button_iterator)], header="acct/limit.h"),
    # acct/credential.h (secrets come back in an acct_buf: wipe, then dispose)
    "acct_key_create": Sig(c_int, [_p(acct_buf), _p(acct_id), _p(acct_session), acct_id, c_char_p, c_char_p], True,
                           header="acct/credential.h"),
    "acct_key_delete": Sig(c_int, [_p(acct_session), acct_id], True, header="acct/credential.h"),
    "acct_key_find": Sig(c_int, [_p(acct_id), _p(acct_session), c_char_p], True, header="acct/credential.h"),
    "acct_key_info": Sig(c_int, [_p(acct_id), _p(acct_buf), _p(acct_buf), _p(acct_session), acct_id], True,
                         header="acct/credential.h"),
    "acct_key_iterator_new": Sig(c_int, [_pp(acct_key_iterator), _p(acct_session), acct_id], True,
                                 header="acct/credential.h"),
    "acct_key_iterator_next": Sig(c_int, [_p(acct_id), _p(acct_key_iterator)], True, header="acct/credential.h"),
    "acct_key_iterator_free": Sig(None, [_p(acct_key_iterator)], header="acct/credential.h"),
    "acct_session_open_key": Sig(c_int, [_pp(acct_session), _p(acct_ctx), c_char_p, c_char_p], True,
                                 header="acct/credential.h"),
    "acct_apilogin_create": Sig(c_int, [_p(acct_buf), _p(acct_id), _p(acct_session), acct_id, c_char_p, c_int], True,
                                header="acct/credential.h"),
    "acct_apilogin_new_password": Sig(c_int, [_p(acct_buf), _p(acct_session), acct_id], True,
                                      header="acct/credential.h"),
    "acct_apilogin_set_enabled": Sig(c_int, [_p(acct_session), acct_id, c_int], True, header="acct/credential.h"),
    "acct_apilogin_set_role": Sig(c_int, [_p(acct_session), acct_id, c_int], True, header="acct/credential.h"),
    "acct_apilogin_delete": Sig(c_int, [_p(acct_session), acct_id], True, header="acct/credential.h"),
    "acct_apilogin_info": Sig(c_int, [_p(acct_buf), _p(acct_id), _p(c_int), _p(c_int), _p(acct_session), acct_id],
                              True, header="acct/credential.h"),
    "acct_apilogin_lookup": Sig(c_int, [_p(acct_id), _p(acct_session), c_char_p], True, header="acct/credential.h"),
    "acct_apilogin_iterator_new": Sig(c_int, [_pp(acct_apilogin_iterator), _p(acct_session), acct_id], True,
                                      header="acct/credential.h"),
    "acct_apilogin_iterator_next": Sig(c_int, [_p(acct_id), _p(acct_apilogin_iterator)], True,
                                       header="acct/credential.h"),
    "acct_apilogin_iterator_free": Sig(None, [_p(acct_apilogin_iterator)], header="acct/credential.h"),
    "acct_session_open_api": Sig(c_int, [_pp(acct_session), _p(acct_ctx), c_char_p, c_char_p], True,
                                 header="acct/credential.h"),
    "acct_session_api_role": Sig(c_int, [_p(acct_session)], header="acct/credential.h"),  # a role or 0, never a failure
    "acct_reset_token_create": Sig(c_int, [_p(acct_buf), _p(acct_session), acct_id, c_int64], True,
                                   header="acct/credential.h"),
    "acct_reset_token_redeem": Sig(c_int, [_p(acct_ctx), c_char_p, c_char_p], True, header="acct/credential.h"),
    # acct/audit.h
    "acct_ctx_set_audit": Sig(c_int, [_p(acct_ctx), acct_audit_fn, c_void_p], True, header="acct/audit.h"),
    # acct/packet.h: requests (built by the caller, owned)
    "acct_op_name": Sig(c_char_p, [c_int], header="acct/packet.h"),
    "acct_request_new": Sig(c_int, [_pp(acct_request), c_char_p], True, header="acct/packet.h"),
    "acct_request_free": Sig(None, [_p(acct_request)], header="acct/packet.h"),
    "acct_request_add": Sig(c_int, [_p(acct_request), c_int], True, header="acct/packet.h"),
    "acct_request_filter": Sig(c_int, [_p(acct_request), c_int, c_char_p], True, header="acct/packet.h"),
    "acct_request_dataset": Sig(c_int, [_p(acct_request), c_uint], True, header="acct/packet.h"),
    "acct_request_set": Sig(c_int, [_p(acct_request), c_int, c_char_p], True, header="acct/packet.h"),
    "acct_request_item": Sig(c_int, [_p(acct_request), c_int, c_char_p, c_char_p], True, header="acct/packet.h"),
    "acct_request_encode": Sig(c_int, [_p(acct_buf), _p(acct_request)], True, header="acct/packet.h"),
    # acct/packet.h: responses (strings and results borrowed from the response)
    "acct_response_parse": Sig(c_int, [_pp(acct_response), c_char_p, c_size_t], True, header="acct/packet.h"),
    "acct_response_free": Sig(None, [_p(acct_response)], header="acct/packet.h"),
    "acct_response_version": Sig(c_char_p, [_p(acct_response)], header="acct/packet.h"),
    # 1 for a system error, else 0: never a failure
    "acct_response_system_error": Sig(c_int, [_p(c_int), _p(c_char_p), _p(acct_response)], header="acct/packet.h"),
    "acct_response_count": Sig(c_size_t, [_p(acct_response)], header="acct/packet.h"),
    "acct_response_result": Sig(_p(acct_result), [_p(acct_response), c_size_t], header="acct/packet.h"),
    "acct_result_op": Sig(c_int, [_p(acct_result)], header="acct/packet.h"),
    "acct_result_operation": Sig(c_size_t, [_p(acct_result)], header="acct/packet.h"),
    "acct_result_ok": Sig(c_int, [_p(acct_result)], header="acct/packet.h"),  # 1 or 0
    "acct_result_errcode": Sig(c_int, [_p(acct_result)], header="acct/packet.h"),  # a Plesk errcode
    "acct_result_errtext": Sig(c_char_p, [_p(acct_result)], header="acct/packet.h"),
    "acct_result_filter_id": Sig(c_char_p, [_p(acct_result)], header="acct/packet.h"),
    "acct_result_id": Sig(acct_id, [_p(acct_result)], header="acct/packet.h"),
    "acct_result_get": Sig(c_char_p, [_p(acct_result), c_int], header="acct/packet.h"),
    "acct_result_item_count": Sig(c_size_t, [_p(acct_result), c_int], header="acct/packet.h"),
    "acct_result_item": Sig(c_int, [_p(c_char_p), _p(c_char_p), _p(acct_result), c_int, c_size_t], True,
                            header="acct/packet.h"),
    "acct_result_item_get": Sig(c_char_p, [_p(acct_result), c_int, c_size_t, c_char_p], header="acct/packet.h"),
    # acct/agent.h
    "acct_credentials_init": Sig(c_int, [_p(acct_credentials), c_uint], True, header="acct/agent.h"),
    "acct_agent_options_init": Sig(c_int, [_p(acct_agent_options), c_uint], True, header="acct/agent.h"),
    "acct_agent_configure": Sig(c_int, [_p(acct_ctx), _p(acct_agent_options)], True, header="acct/agent.h"),
    # 0 whenever a reply was written (system errors included)
    "acct_agent_handle": Sig(c_int, [_p(acct_ctx), _p(acct_credentials), c_char_p, c_size_t, _p(acct_buf)], True,
                             header="acct/agent.h"),
    "acct_agent_protocol_version": Sig(c_char_p, [], header="acct/agent.h"),
    # acct/transport.h (the Pythonic face: libacct.transport)
    "acct_transport_loopback_new": Sig(c_int, [_pp(acct_transport), _p(acct_ctx)], True, header="acct/transport.h"),
    "acct_https_options_init": Sig(c_int, [_p(acct_https_options), c_uint], True, header="acct/transport.h"),
    "acct_transport_https_new": Sig(c_int, [_pp(acct_transport), _p(acct_https_options)], True,
                                    header="acct/transport.h"),
    "acct_transport_send": Sig(c_int, [_p(acct_transport), c_char_p, c_size_t, _p(acct_credentials), _p(acct_buf)],
                               True, header="acct/transport.h"),
    "acct_transport_free": Sig(None, [_p(acct_transport)], header="acct/transport.h"),
    "acct_client_send": Sig(c_int, [_pp(acct_response), _p(acct_transport), _p(acct_credentials), _p(acct_request)],
                            True, header="acct/transport.h"),
    # acct/sys/transport.h
    "acct_transport_init": Sig(c_int, [_p(acct_transport), c_uint], True, header="acct/sys/transport.h"),
    # acct/sys/alloc.h
    "acct_allocator_init": Sig(c_int, [_p(acct_allocator), c_uint], True, header="acct/sys/alloc.h"),
    "acct_global_set_allocator": Sig(c_int, [_p(acct_allocator)], True, header="acct/sys/alloc.h"),
    # acct/sys/errors.h: returns the code it was given, not a failure of its own
    "acct_error_set_str": Sig(c_int, [c_int, c_char_p], header="acct/sys/errors.h"),
    # acct/sys/storage.h
    "acct_storage_init": Sig(c_int, [_p(acct_storage), c_uint], True, header="acct/sys/storage.h"),
    "acct_storage_iterator_init": Sig(c_int, [_p(acct_storage_iterator), c_uint], True,
                                      header="acct/sys/storage.h"),
}

#: Names of the functions that return 0 (or a count) or a negative ACCT_E* code.
FALLIBLE = frozenset(n for n, s in SIGNATURES.items() if s.fallible)

# ---------------------------------------------------------------------------
# Loading and binding
# ---------------------------------------------------------------------------


class _Lib:
    """The bound functions, as attributes named like the C symbols.

    Two copies of each fallible function exist: ``lib.acct_x`` gets the
    ``errcheck`` of :mod:`libacct.errors`; ``raw.acct_x`` returns the bare
    ``int`` (used inside callbacks, where raising is not an option).
    """

    def __init__(self, dll: ctypes.CDLL) -> None:
        self._dll = dll
        self._missing: Dict[str, Tuple[int, int]] = {}
        for name, sig in SIGNATURES.items():
            try:
                # dll[name] makes a new function object each time, so the two
                # copies keep separate errcheck settings.
                fn = dll[name]
            except AttributeError:
                if sig.since <= (0, 1):
                    raise ImportError(
                        f"libacct: {_path} lacks {name}, which every libacct 0.1 exports: not libacct, or a broken build"
                    ) from None
                self._missing[name] = sig.since
                continue
            fn.restype = sig.restype
            fn.argtypes = list(sig.argtypes)
            setattr(self, name, fn)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that were not bound.
        missing = self.__dict__.get("_missing", {})
        if name in missing:
            major, minor = missing[name]
            raise NotImplementedError(f"{name} needs libacct {major}.{minor} or later; the loaded one is {version_string}")
        raise AttributeError(name)


_dll, _path = _loader.load()

#: Where the library was loaded from (a path, or a name the dynamic linker resolved).
library_path: str = _path

lib = _Lib(_dll)
raw = _Lib(_dll)


def has(name: str) -> bool:
    """True when the loaded library exports C function ``name``."""
    return name in SIGNATURES and name not in lib._missing


def require(name: str) -> Any:
    """The bound function ``name``; :class:`NotImplementedError` when the library is too old."""
    return getattr(lib, name)


def _check_version() -> Tuple[str, Tuple[int, int, int]]:
    """Refuse a library whose ``acct_version()`` these declarations do not fit."""
    major, minor, patch = c_int(), c_int(), c_int()
    text = raw.acct_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    got = (major.value, minor.value, patch.value)
    if got[0] != HEADER_VERSION[0] or got[:2] < HEADER_VERSION[:2]:
        raise ImportError(
            f"libacct: {_path} is version {(text or b'?').decode()}; these bindings need "
            f"{HEADER_VERSION[0]}.{HEADER_VERSION[1]} or a later {HEADER_VERSION[0]}.x"
        )
    return (text or b"").decode("ascii", "replace"), got


version_string, version_info = _check_version()

# One reference for the life of the process: libacct never tears down libxml2
# or OpenSSL, so there is nothing to gain from dropping it at exit.
if raw.acct_global_init() < 1:
    raise ImportError("libacct: acct_global_init() failed: " + (raw.acct_error_last().contents.message or b"").decode())


# ---------------------------------------------------------------------------
# Small helpers shared by the Pythonic layer
# ---------------------------------------------------------------------------


def buf_bytes(buf: acct_buf) -> bytes:
    """The contents of a filled :class:`acct_buf` (copied)."""
    if not buf.ptr or not buf.size:
        return b""
    return ctypes.string_at(buf.ptr, buf.size)


def buf_wipe_dispose(buf: acct_buf) -> None:
    """Zero the bytes of ``buf`` (a secret libacct handed out), then ``acct_buf_dispose`` it.

    ``acct_buf_dispose`` frees without wiping; acct/credential.h asks the
    caller to wipe secrets. Safe on a buffer that was never filled.
    """
    if buf.ptr and buf.size:
        ctypes.memset(buf.ptr, 0, buf.size)
    raw.acct_buf_dispose(ctypes.byref(buf))

