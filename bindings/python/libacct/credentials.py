"""Credentials beyond passwords: secret keys, Partner API logins and password reset tokens (acct/credential.h).

The management operations are methods of :class:`~libacct.Session` (defined
in :class:`CredentialMethods`, which Session inherits); opening a session
with a key or an API login and redeeming a reset token are methods of
:class:`~libacct.Context` (``login_key``, ``login_api``, ``redeem_reset_token``).

Secrets (keys, generated passwords, tokens) are returned once, as ``str``;
libacct stores only their hashes and listings never show them. The C buffer
a secret arrives in is wiped and disposed before the method returns (the
Python ``str`` is the caller's to keep safe).

Who manages them: the admin any account's; a reseller its own and those of
accounts in its scope; a customer its own; users none. Deleting an account
deletes its keys, API logins and reset tokens.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generator, Iterable, Optional, Tuple, Union

from . import _ffi
from . import _iters
from ._ffi import lib, raw
from ._util import as_c_int, as_id, as_int64, cstr
from .enums import PartnerRole
from .errors import InvalidError

if TYPE_CHECKING:  # pragma: no cover
    from ._handle import Handle

__all__ = ["KeyInfo", "ApiLoginInfo"]


@dataclass(frozen=True)
class KeyInfo:
    """What :meth:`Session.key_info <libacct.Session.key_info>` tells about a secret key (never the secret).

    :ivar id: the key's id
    :ivar account: the account the key opens sessions for
    :ivar ips: the client addresses it may be used from, canonical form
    :ivar description: the free text given at creation, or None
    """

    id: int
    account: int
    ips: Tuple[str, ...]
    description: Optional[str]


@dataclass(frozen=True)
class ApiLoginInfo:
    """What :meth:`Session.api_login_info <libacct.Session.api_login_info>` tells about a Partner API login.

    :ivar id: the API login's id
    :ivar login: its login name
    :ivar account: the reseller or customer it acts for
    :ivar role: its :class:`~libacct.PartnerRole`
    :ivar enabled: whether it may open sessions
    """

    id: int
    login: str
    account: int
    role: Union[PartnerRole, int]
    enabled: bool


def _partner_role(value: int) -> Union[PartnerRole, int]:
    try:
        return PartnerRole(value)
    except ValueError:  # a role a later libacct added
        return int(value)


def _secret(buf: "_ffi.acct_buf") -> str:
    """The secret text in ``buf`` (copied); the caller wipes and disposes the buffer."""
    return _ffi.buf_bytes(buf).decode("utf-8", "replace")


def _ip_list(ips: Union[str, Iterable[str]]) -> bytes:
    """A key's client addresses for C: a str as given ("a, b" or "a b"), or an iterable of str joined by commas."""
    if isinstance(ips, str):
        b = cstr(ips, "ips")
    else:
        if isinstance(ips, (bytes, bytearray)):
            raise TypeError("ips must be a str or an iterable of str, not bytes")
        parts = []
        for ip in ips:
            if not isinstance(ip, str):
                raise TypeError(f"each IP address must be a str, not {type(ip).__name__}")
            if "," in ip:
                raise InvalidError(f"IP address {ip!r} holds a comma")
            parts.append(ip)
        b = cstr(",".join(parts), "ips")
    assert b is not None
    return b


def _id(value: Any, what: str) -> int:
    """A credential id (keys and API logins have ids of their own, not account ids)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return as_id(value, what)


class CredentialMethods:
    """The acct/credential.h methods of :class:`~libacct.Session`."""

    _h: "Handle"

    # -- secret keys --------------------------------------------------------------

    def create_key(self, account: Any, ips: Union[str, Iterable[str]],
                   description: Optional[str] = None) -> Tuple[str, int]:
        """Create a secret key for ``account``, usable only from the client addresses ``ips``.

        :param ips: IPv4 or IPv6 addresses: a str separated by commas or
            spaces, or an iterable of str; at least one
        :param description: free text, up to 255 characters
        :return: ``(secret, key_id)``: the secret (a UUID) is shown this once
        :raises InvalidError: a bad address or an empty list; :raises DeniedError:; :raises NotFoundError:
        """
        aid, ib, db = as_id(account, "account"), _ip_list(ips), cstr(description, "description")
        buf, key_id = _ffi.acct_buf(), _ffi.acct_id()
        with self._h as sp:
            try:
                lib.acct_key_create(ctypes.byref(buf), ctypes.byref(key_id), sp, aid, ib, db)
                secret = _secret(buf)
            finally:
                _ffi.buf_wipe_dispose(buf)
        return secret, int(key_id.value)

    def delete_key(self, key_id: int) -> None:
        """Delete secret key ``key_id``. :raises NotFoundError:; :raises DeniedError:"""
        kid = _id(key_id, "key id")
        with self._h as sp:
            lib.acct_key_delete(sp, kid)

    def find_key(self, secret: str) -> int:
        """The id of the key whose secret is ``secret`` (Plesk get_info by key).

        :raises NotFoundError: no such key, or not the session's to see
        """
        sb = cstr(secret, "secret")
        if sb is None:
            raise TypeError("secret must be a str, not None")
        out = _ffi.acct_id()
        with self._h as sp:
            lib.acct_key_find(ctypes.byref(out), sp, sb)
        return int(out.value)

    def key_info(self, key_id: int) -> KeyInfo:
        """The account, client addresses and description of key ``key_id`` (a :class:`KeyInfo`).

        :raises NotFoundError:
        """
        kid = _id(key_id, "key id")
        account, ips, desc = _ffi.acct_id(), _ffi.acct_buf(), _ffi.acct_buf()
        with self._h as sp:
            try:
                lib.acct_key_info(ctypes.byref(account), ctypes.byref(ips), ctypes.byref(desc), sp, kid)
                ip_text = _ffi.buf_bytes(ips).decode("utf-8", "replace")
                d = _ffi.buf_bytes(desc).decode("utf-8", "replace")
            finally:
                raw.acct_buf_dispose(ctypes.byref(ips))
                raw.acct_buf_dispose(ctypes.byref(desc))
        return KeyInfo(id=kid, account=int(account.value), ips=tuple(p for p in ip_text.split(",") if p),
                       description=d or None)

    def keys(self, account: Any = 0) -> Generator[int, None, None]:
        """The ids of the keys of ``account``, or with 0 of every key the session may see, by id.

        A generator over a snapshot taken now; ``account`` is checked at once.
        """
        aid = as_id(account, "account")
        h = _iters.open_iterator(self, _ffi.acct_key_iterator, lib.acct_key_iterator_new, lib.acct_key_iterator_free,
                                 "key iterator", aid)
        return _iters.generator(h, self, _id_step(lib.acct_key_iterator_next))

    # -- Partner API logins ---------------------------------------------------------

    def create_api_login(self, account: Any, login: str, role: Union[PartnerRole, int]) -> Tuple[str, int]:
        """Create Partner API login ``login`` for ``account`` with ``role``; the server generates the password.

        Reseller roles need a reseller account; client roles a reseller or
        customer. The login is unique among API logins (the account login rules apply).

        :return: ``(password, id)``: the password is shown this once
        :raises ExistsError:; :raises InvalidError:; :raises DeniedError:; :raises NotFoundError:
        """
        aid, lb, r = as_id(account, "account"), cstr(login, "login"), as_c_int(role, "role")
        buf, out = _ffi.acct_buf(), _ffi.acct_id()
        with self._h as sp:
            try:
                lib.acct_apilogin_create(ctypes.byref(buf), ctypes.byref(out), sp, aid, lb, r)
                password = _secret(buf)
            finally:
                _ffi.buf_wipe_dispose(buf)
        return password, int(out.value)

    def new_api_password(self, id: int) -> str:
        """Generate a new password for API login ``id`` and return it (shown this once)."""
        lid = _id(id, "API login id")
        buf = _ffi.acct_buf()
        with self._h as sp:
            try:
                lib.acct_apilogin_new_password(ctypes.byref(buf), sp, lid)
                return _secret(buf)
            finally:
                _ffi.buf_wipe_dispose(buf)

    def set_api_login_enabled(self, id: int, enabled: bool = True) -> None:
        """Enable or disable API login ``id``; its open sessions stop at once when disabled."""
        lid = _id(id, "API login id")
        with self._h as sp:
            lib.acct_apilogin_set_enabled(sp, lid, 1 if enabled else 0)

    def set_api_login_role(self, id: int, role: Union[PartnerRole, int]) -> None:
        """Give API login ``id`` another Partner API role (the account rules of :meth:`create_api_login`)."""
        lid, r = _id(id, "API login id"), as_c_int(role, "role")
        with self._h as sp:
            lib.acct_apilogin_set_role(sp, lid, r)

    def delete_api_login(self, id: int) -> None:
        """Delete API login ``id``; its open sessions stop at once."""
        lid = _id(id, "API login id")
        with self._h as sp:
            lib.acct_apilogin_delete(sp, lid)

    def api_login_info(self, id: int) -> ApiLoginInfo:
        """The login, account, role and state of API login ``id`` (an :class:`ApiLoginInfo`).

        What its role permits: :func:`~libacct.partner_role_permits`.
        """
        lid = _id(id, "API login id")
        login, account, role, enabled = _ffi.acct_buf(), _ffi.acct_id(), ctypes.c_int(), ctypes.c_int()
        with self._h as sp:
            try:
                lib.acct_apilogin_info(ctypes.byref(login), ctypes.byref(account), ctypes.byref(role),
                                       ctypes.byref(enabled), sp, lid)
                name = _ffi.buf_bytes(login).decode("utf-8", "replace")
            finally:
                raw.acct_buf_dispose(ctypes.byref(login))
        return ApiLoginInfo(id=lid, login=name, account=int(account.value), role=_partner_role(role.value),
                            enabled=enabled.value != 0)

    def find_api_login(self, login: str) -> int:
        """The id of API login ``login`` (compared without regard to ASCII case). :raises NotFoundError:"""
        lb = cstr(login, "login")
        if lb is None:
            raise TypeError("login must be a str, not None")
        out = _ffi.acct_id()
        with self._h as sp:
            lib.acct_apilogin_lookup(ctypes.byref(out), sp, lb)
        return int(out.value)

    def api_logins(self, account: Any = 0) -> Generator[int, None, None]:
        """The ids of the API logins of ``account``, or with 0 of all the session may see, by id (like :meth:`keys`)."""
        aid = as_id(account, "account")
        h = _iters.open_iterator(self, _ffi.acct_apilogin_iterator, lib.acct_apilogin_iterator_new,
                                 lib.acct_apilogin_iterator_free, "API login iterator", aid)
        return _iters.generator(h, self, _id_step(lib.acct_apilogin_iterator_next))

    @property
    def api_role(self) -> Optional[Union[PartnerRole, int]]:
        """The Partner API role of a session opened with :meth:`Context.login_api <libacct.Context.login_api>`;
        None for any other session. Such a session holds only its role's Partner API operations."""
        with self._h as sp:
            r = int(lib.acct_session_api_role(sp))
        return _partner_role(r) if r else None

    # -- password reset ------------------------------------------------------------

    def create_reset_token(self, account: Any, ttl: int = 3600) -> str:
        """A one-time password reset token for ``account``, valid for ``ttl`` seconds (<= 0: one hour).

        Only an account's owner (or an owner above it) creates one, never the
        account itself. Nothing is sent anywhere: the host delivers the token,
        which :meth:`Context.redeem_reset_token <libacct.Context.redeem_reset_token>` redeems.

        :raises DeniedError:; :raises NotFoundError:
        """
        aid, t = as_id(account, "account"), as_int64(ttl, "ttl")
        buf = _ffi.acct_buf()
        with self._h as sp:
            try:
                lib.acct_reset_token_create(ctypes.byref(buf), sp, aid, t)
                return _secret(buf)
            finally:
                _ffi.buf_wipe_dispose(buf)


def _id_step(next_fn: Any) -> Any:
    """A step function for :func:`libacct._iters.generator` over an iterator of ids."""
    out = _ffi.acct_id()
    ref = ctypes.byref(out)

    def step(p: Any) -> Any:
        if next_fn(ref, p) == _ffi.ACCT_ITEROVER:
            return _iters.END
        return int(out.value)

    return step
