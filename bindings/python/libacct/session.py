"""Sessions: who is acting. Every account operation goes through one (acct/session.h, acct/account.h)."""

from __future__ import annotations

import ctypes
import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable, Generator, Optional, Tuple, Union

from . import _callbacks
from . import _ffi
from ._callbacks import REGISTRY
from ._ffi import lib, raw
from ._handle import Handle
from ._util import as_c_int, as_c_uint, as_id, cstr
from .account import Account
from .credentials import CredentialMethods
from .enums import AccountType, IterMode, Status
from .errors import InvalidError, check as _check_rc
from .limits import LimitMethods
from .perm import _NAMES, Explanation, deny_kind, perm_name
from .roles import RoleInfo, as_role_id

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Session"]

AccountRef = Union[int, Account]

# Session.check()'s fast path: bound once, no errcheck (the result is tested
# inline), and an out-parameter per thread (lane calls on one session may run
# in parallel, so the session cannot own it).
_acct_check = raw.acct_check
_ID_MAX = _ffi.ACCT_ID_MAX
_cb_tls = _callbacks._tls


class _CheckOut(threading.local):
    """This thread's ``int allowed`` for acct_check and a pointer to it (made on first use)."""

    pair: Optional[Tuple[ctypes.c_int, Any]] = None


_check_out = _CheckOut()


def _new_check_out() -> Tuple[ctypes.c_int, Any]:
    """Make this thread's out-parameter."""
    out = ctypes.c_int()
    pair = (out, ctypes.pointer(out))
    _check_out.pair = pair
    return pair


class Session(LimitMethods, CredentialMethods):
    """An authenticated session on a :class:`~libacct.Context`.

    Made by :meth:`Context.login`, :meth:`Context.session_as`,
    :meth:`Context.login_key` or :meth:`Context.login_api`. Every
    operation is decided by libacct's policy for the session's account;
    targets outside its scope are reported as :class:`~libacct.NotFoundError`.
    Methods taking an account accept its id or an :class:`Account`.

    A session belongs to one thread at a time, as in C: calls from several
    threads on one Session are serialized. Give each thread its own Session
    (they are cheap) to let reads run in parallel.

    Close it with :meth:`close` or ``with``; closing the context closes it too.

    Limits, resource policies, IP pools and buttons: the methods of
    :class:`~libacct.limits.LimitMethods`; secret keys, API logins and reset
    tokens: :class:`~libacct.credentials.CredentialMethods`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("sessions are made by Context.login(), session_as(), login_key() or login_api()")

    @classmethod
    def _wrap(cls, ctx: "Context", ptr: Any) -> "Session":
        """A Session owning ``ptr``, a child of ``ctx`` (freed before it)."""
        self = cls.__new__(cls)
        self._ctx = ctx
        try:
            self._h = Handle(ptr, lib.acct_session_free, "Session", parent=ctx._h, exclusive=True)
        except BaseException:
            lib.acct_session_free(ptr)
            raise
        self._finalizer = weakref.finalize(self, self._h.finalize)
        return self

    # -- about the session ---------------------------------------------------

    @property
    def context(self) -> "Context":
        """The context this session acts on."""
        return self._ctx

    @property
    def account_id(self) -> int:
        """The id of the acting account."""
        with self._h as p:
            return int(lib.acct_session_account(p))

    @property
    def account(self) -> Account:
        """The acting account, loaded now."""
        return self.get(self.account_id)

    # -- adding --------------------------------------------------------------

    def add(self, owner: AccountRef, account: Account) -> int:
        """Store the new ``account`` under ``owner`` (``acct_account_add``).

        On success the object receives its id, GUID, owner and creation date
        and is bound to this session (for :meth:`Account.save`).

        :return: the new id
        :raises InvalidError: a missing or bad field; :raises ExistsError: login,
            GUID or external id taken; :raises OwnerError: the owner cannot own
            this type; :raises NotFoundError: owner outside scope; :raises DeniedError:
        """
        oid = as_id(owner, "owner")
        out = _ffi.acct_id()
        with account._h as ap, self._h as sp:
            lib.acct_account_add(ctypes.byref(out), sp, oid, ap)
        account._session = self
        return int(out.value)

    def _add(self, type: AccountType, owner: AccountRef, login: str, name: str, password: Optional[str],
             fields: Any) -> Account:
        """Build an Account of ``type`` from the arguments and store it."""
        acc = Account(type, login=login, name=name, **fields)
        try:
            if password is not None:
                acc.password = password
            self.add(owner, acc)
        except BaseException:
            acc.close()
            raise
        return acc

    def add_reseller(self, owner: AccountRef, login: str, name: str, password: Optional[str] = None,
                     **fields: Optional[str]) -> Account:
        """Create and store a reseller (the owner must be the admin); returns the stored :class:`Account`.

        ``fields`` are further text fields by property name (``email=``, ``company=`` ...).
        """
        return self._add(AccountType.RESELLER, owner, login, name, password, fields)

    def add_customer(self, owner: AccountRef, login: str, name: str, password: Optional[str] = None,
                     **fields: Optional[str]) -> Account:
        """Create and store a customer (owned by the admin or a reseller); returns the stored :class:`Account`."""
        return self._add(AccountType.CUSTOMER, owner, login, name, password, fields)

    def add_user(self, owner: AccountRef, login: str, name: str, password: Optional[str] = None,
                 **fields: Optional[str]) -> Account:
        """Create and store an additional user (of the admin, a reseller or a customer); returns it."""
        return self._add(AccountType.USER, owner, login, name, password, fields)

    # -- lookups -------------------------------------------------------------

    def _lookup(self, fn: Any, key: Any) -> Account:
        """Call a lookup function and wrap the account it gives."""
        out = ctypes.POINTER(_ffi.acct_account)()
        with self._h as sp:
            fn(ctypes.byref(out), sp, key)
        return Account._wrap(out, self)

    def get(self, id: AccountRef) -> Account:
        """Load account ``id``. :raises NotFoundError: absent or outside the session's scope."""
        return self._lookup(lib.acct_account_lookup, as_id(id))

    def get_by_login(self, login: str) -> Account:
        """Load the account with ``login`` (compared without regard to ASCII case)."""
        return self._lookup(lib.acct_account_lookup_login, cstr(login, "login"))

    def get_by_guid(self, guid: str) -> Account:
        """Load the account with ``guid``."""
        return self._lookup(lib.acct_account_lookup_guid, cstr(guid, "guid"))

    def get_by_external_id(self, external_id: str) -> Account:
        """Load the account with ``external_id``."""
        return self._lookup(lib.acct_account_lookup_external_id, cstr(external_id, "external_id"))

    # -- changes -------------------------------------------------------------

    def update(self, account: Account) -> None:
        """Write the fields changed on ``account`` back to the store (``acct_account_update``)."""
        with account._h as ap, self._h as sp:
            lib.acct_account_update(sp, ap)

    def delete(self, id: AccountRef) -> None:
        """Delete account ``id`` and its whole subtree, in one transaction."""
        aid = as_id(id)
        with self._h as sp:
            lib.acct_account_delete(sp, aid)

    def set_status(self, id: AccountRef, status: Union[Status, int]) -> None:
        """Set the status bits of ``id`` (every changed bit must be one the acting account may change)."""
        aid, st = as_id(id), as_c_uint(status, "status")
        with self._h as sp:
            lib.acct_account_set_status(sp, aid, st)

    def suspend(self, id: AccountRef) -> None:
        """Set the acting account's own disable bit (16, 32 or 64) on ``id``."""
        aid = as_id(id)
        with self._h as sp:
            lib.acct_account_suspend(sp, aid)

    def activate(self, id: AccountRef) -> None:
        """Clear the acting account's own disable bit on ``id``; other bits stay."""
        aid = as_id(id)
        with self._h as sp:
            lib.acct_account_activate(sp, aid)

    def effective_status(self, id: AccountRef) -> Status:
        """The status of ``id`` OR that of every owner above it; non-zero means effectively disabled."""
        aid = as_id(id)
        out = ctypes.c_uint()
        with self._h as sp:
            lib.acct_account_effective_status(ctypes.byref(out), sp, aid)
        return Status(out.value)

    def change_owner(self, id: AccountRef, new_owner: AccountRef) -> None:
        """Move ``id`` (a customer or a user) and its subtree under ``new_owner``. Admin only."""
        aid, oid = as_id(id), as_id(new_owner, "new owner")
        with self._h as sp:
            lib.acct_account_change_owner(sp, aid, oid)

    def convert(self, id: AccountRef, to: Union[AccountType, int]) -> None:
        """Convert ``id`` to type ``to`` (customer of the admin -> reseller, reseller without customers -> customer)."""
        aid, t = as_id(id), as_c_int(to, "type")
        with self._h as sp:
            lib.acct_account_convert(sp, aid, t)

    # -- the hierarchy ---------------------------------------------------------

    def _ids(self, parent: AccountRef, mode: IterMode) -> Generator[int, None, None]:
        """Create the C iterator now (so a bad parent raises here) and return the generator."""
        pid = as_id(parent, "parent")
        out = ctypes.POINTER(_ffi.acct_account_iterator)()
        with self._h as sp:
            lib.acct_account_iterator_new(ctypes.byref(out), sp, pid, int(mode))
            try:
                h = Handle(out, lib.acct_account_iterator_free, "account iterator", parent=self._h, exclusive=True)
            except BaseException:
                lib.acct_account_iterator_free(out)
                raise
        gen = _drain(h, self)
        # An unstarted generator never runs its finally: free the C iterator when it is collected.
        weakref.finalize(gen, h.finalize)
        return gen

    def children(self, parent: AccountRef) -> Generator[int, None, None]:
        """The ids of ``parent``'s direct children the session may see, ascending.

        A generator over a snapshot taken now (later writes neither break it nor
        show up in it). ``parent`` is checked at once: :class:`~libacct.NotFoundError`
        is raised by this call, not by the first ``next()``.
        """
        return self._ids(parent, IterMode.CHILDREN)

    def descendants(self, parent: AccountRef) -> Generator[int, None, None]:
        """The ids of the whole subtree below ``parent`` the session may see, depth first, children by id."""
        return self._ids(parent, IterMode.DESCENDANTS)

    def foreach(self, parent: AccountRef, callback: Callable[[int], Any],
                mode: Union[IterMode, int] = IterMode.CHILDREN) -> int:
        """Call ``callback(id)`` for each account :meth:`children` (or, by ``mode``, :meth:`descendants`) gives.

        A callback result that is true stops the walk: a positive int is
        returned as is, any other true value as 1; 0 when the walk completed.
        An exception raised by the callback stops the walk and is re-raised here.
        """
        pid = as_id(parent, "parent")
        m = as_c_int(mode, "mode")
        token = REGISTRY.add(callback)
        try:
            with self._h as sp:
                rc = lib.acct_account_foreach(sp, pid, m, _FOREACH, token)
        finally:
            REGISTRY.drop(token)
        return int(rc)

    # -- permissions (acct/perm.h) ----------------------------------------------

    def check(self, permission: str, target: AccountRef) -> bool:
        """May the session's account use ``permission`` on account ``target``? (``acct_check``)

        True or False; a denial is an answer, not an exception. Fail closed:
        anything that is not a clear yes is False, e.g. a target outside the
        session's scope or an account that has since been disabled. The rules
        and their order are in docs/policy.md; :meth:`explain` says which one
        failed.

        Built for hot paths: the name is checked and encoded once and cached,
        the out-parameter is made once per thread, ``acct_check`` is bound
        once without an ``errcheck``, and the call takes the session's
        lock-free lane instead of its exclusive turn (threads sharing a
        session check in parallel; ``close()`` still waits for them).

        :raises NotFoundError: ``permission`` is in no catalog of the context
        :raises InvalidError: the session is closed
        """
        h = self._h
        p = _NAMES.get(permission) if type(permission) is str else None
        if p is None:
            p = perm_name(permission)
        if type(target) is not int or not 0 <= target <= _ID_MAX:
            target = as_id(target, "target")
        pair = _check_out.pair or _new_check_out()
        lane = h.lane
        lane.append(None)
        try:
            if h._state:
                raise InvalidError(f"{h.what} is closed")
            busy = _cb_tls.busy
            if busy and h.root in busy:
                raise h.in_callback_error()
            rc = _acct_check(pair[1], h._ptr, p, target)
            allowed = pair[0].value
        finally:
            lane.pop()
            if h._state:
                h.lane_left()
        if rc or _cb_tls.exc is not None:  # an error, or a Python callback C ran on the way failed
            _check_rc(rc)
        return allowed != 0

    def explain(self, permission: str, target: AccountRef) -> Explanation:
        """As :meth:`check`, and say why (``acct_check_explain``).

        The :class:`~libacct.Explanation` has ``allowed``, ``kind`` (the first
        rule that failed, a :class:`~libacct.DenyKind`), ``text`` (the sentence
        a user would read, e.g. "permission manage_dns is not granted to
        customer 'c1'"), and the Plesk and Partner API codes of ``kind``. It
        is true in a boolean context when allowed.

        :raises NotFoundError: unknown permission name
        """
        p = perm_name(permission)
        tid = as_id(target, "target")
        allowed, kind, buf = ctypes.c_int(), ctypes.c_int(), _ffi.acct_buf()
        with self._h as sp:
            try:
                lib.acct_check_explain(ctypes.byref(allowed), ctypes.byref(kind), ctypes.byref(buf), sp, p, tid)
                text = _ffi.buf_bytes(buf).decode("utf-8", "replace")
            finally:
                raw.acct_buf_dispose(ctypes.byref(buf))
        k = kind.value
        return Explanation(allowed=allowed.value != 0, kind=deny_kind(k), text=text,
                           plesk_code=int(raw.acct_deny_plesk_code(k)), partner_code=int(raw.acct_deny_partner_code(k)))

    def grant(self, target: AccountRef, permission: str) -> None:
        """Grant account permission ``permission`` to reseller or customer ``target`` (``acct_perm_grant``).

        The admin grants anything in its scope; a reseller grants its own
        customers only what it holds itself; reseller-only permissions
        (``create_clients``, ``allow_oversell``) go to resellers only.
        Granting what is already granted succeeds.

        :raises DeniedError: the acting account may not grant it (it does not
            hold it, it is only the administrator's to grant, it is its own account)
        :raises InvalidError: a role permission or Partner operation, a target
            that is not a reseller or customer, a reseller-only permission for a customer
        :raises NotFoundError: unknown permission, or target outside the session's scope
        """
        self._grant(target, permission, 1)

    def revoke(self, target: AccountRef, permission: str) -> None:
        """Take account permission ``permission`` away from ``target``; the rules of :meth:`grant`."""
        self._grant(target, permission, 0)

    def _grant(self, target: AccountRef, permission: str, granted: int) -> None:
        tid, p = as_id(target, "target"), perm_name(permission)
        with self._h as sp:
            lib.acct_perm_grant(sp, tid, p, granted)

    def has_permission(self, target: AccountRef, permission: str) -> bool:
        """Is account permission ``permission`` granted to ``target``, as stored? (``acct_perm_get``)

        Disabled status does not count here (:meth:`check` says whether it may
        be used now); the admin holds every permission.

        :raises NotFoundError: not an account permission (role permissions are
            asked with :meth:`role_has_permission`), or target outside scope
        """
        tid, p = as_id(target, "target"), perm_name(permission)
        out = ctypes.c_int()
        with self._h as sp:
            lib.acct_perm_get(ctypes.byref(out), sp, tid, p)
        return out.value != 0

    # -- roles (acct/role.h) ---------------------------------------------------

    def create_role(self, owner: AccountRef, name: str) -> int:
        """Create a role called ``name`` for the users of ``owner``; returns its id (``acct_role_create``).

        The role starts with no permissions. Names are unique among the
        owner's roles and the built-in ones (without regard to ASCII case).
        The admin creates roles for anyone; a reseller or customer for itself;
        a user with userManagement for its owner.

        :raises ExistsError: the name is taken; :raises InvalidError: a bad
            name, or a user as owner; :raises DeniedError:, :raises NotFoundError:
        """
        oid = as_id(owner, "owner")
        nb = cstr(name, "role name")
        out = _ffi.acct_role_id()
        with self._h as sp:
            lib.acct_role_create(ctypes.byref(out), sp, oid, nb)
        return int(out.value)

    def delete_role(self, role: int) -> None:
        """Delete a custom role (``acct_role_delete``).

        :raises DeniedError: a built-in role, or a role still given to a user
        :raises NotFoundError: no such role in the session's view
        """
        rid = as_role_id(role)
        with self._h as sp:
            lib.acct_role_delete(sp, rid)

    def set_role_permission(self, role: int, permission: str, granted: bool = True) -> None:
        """Put role permission ``permission`` into ``role`` (or take it out with ``granted=False``).

        Every user holding the role sees the change at once. Refused
        (:class:`~libacct.DeniedError`) for the Admin and Accountant roles, for
        the other built-in roles unless the session is the admin's, and when a
        user would put in a permission it does not hold itself.

        :raises InvalidError: not a role permission; :raises NotFoundError: no such role or permission
        """
        rid, p = as_role_id(role), perm_name(permission)
        with self._h as sp:
            lib.acct_role_set_permission(sp, rid, p, 1 if granted else 0)

    def role_has_permission(self, role: int, permission: str) -> bool:
        """Does ``role`` contain role permission ``permission``? (``acct_role_get_permission``)

        What the role says, before it is cut to what a user's owner holds
        (:meth:`check` gives the effective answer).
        """
        rid, p = as_role_id(role), perm_name(permission)
        out = ctypes.c_int()
        with self._h as sp:
            lib.acct_role_get_permission(ctypes.byref(out), sp, rid, p)
        return out.value != 0

    def role_info(self, role: int) -> RoleInfo:
        """The name, owner and editability of ``role`` (``acct_role_info``)."""
        rid = as_role_id(role)
        buf, owner, editable = _ffi.acct_buf(), _ffi.acct_id(), ctypes.c_int()
        with self._h as sp:
            try:
                lib.acct_role_info(ctypes.byref(buf), ctypes.byref(owner), ctypes.byref(editable), sp, rid)
                name = _ffi.buf_bytes(buf).decode("utf-8", "replace")
            finally:
                raw.acct_buf_dispose(ctypes.byref(buf))
        return RoleInfo(name=name, owner=int(owner.value), editable=editable.value != 0)

    def roles(self, owner: AccountRef) -> Generator[int, None, None]:
        """The ids of the roles a user of ``owner`` may be given: the built-in ones, then ``owner``'s own, by id.

        A generator over a snapshot taken now; ``owner`` is checked at once
        (:class:`~libacct.NotFoundError` from this call, not from ``next()``).
        A user may list its own owner's roles.
        """
        return self._role_ids(lib.acct_role_iterator_new, owner, "owner")

    def user_roles(self, user: AccountRef) -> Generator[int, None, None]:
        """The ids of the roles given to ``user``, ascending (a snapshot, like :meth:`roles`).

        :raises InvalidError: ``user`` is not a user
        """
        return self._role_ids(lib.acct_role_iterator_new_user, user, "user")

    def _role_ids(self, fn: Any, account: AccountRef, what: str) -> Generator[int, None, None]:
        """Create a role iterator now and return the generator draining it."""
        aid = as_id(account, what)
        out = ctypes.POINTER(_ffi.acct_role_iterator)()
        with self._h as sp:
            fn(ctypes.byref(out), sp, aid)
            try:
                h = Handle(out, lib.acct_role_iterator_free, "role iterator", parent=self._h, exclusive=True)
            except BaseException:
                lib.acct_role_iterator_free(out)
                raise
        gen = _drain(h, self, lib.acct_role_iterator_next)
        weakref.finalize(gen, h.finalize)
        return gen

    def set_user_role(self, user: AccountRef, role: int, assigned: bool = True) -> None:
        """Give ``role`` to ``user`` (or take it away with ``assigned=False``) (``acct_user_set_role``).

        The role must be built in or belong to the user's owner. Whoever may
        edit the user may do this, but a user (with userManagement) never
        gives a role holding a permission it lacks, and never changes its own roles.

        :raises DeniedError:; :raises InvalidError: not a user, or a role of another owner;
            :raises NotFoundError:
        """
        uid, rid = as_id(user, "user"), as_role_id(role)
        with self._h as sp:
            lib.acct_user_set_role(sp, uid, rid, 1 if assigned else 0)

    # -- lifetime --------------------------------------------------------------

    def close(self) -> None:
        """Free the session (and any iterator still open on it). Idempotent."""
        self._h.close()

    @property
    def closed(self) -> bool:
        """True after :meth:`close` (or after its context was closed)."""
        return self._h.closed

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h.closed:
            return "<Session closed>"
        return f"<Session account={self.account_id}>"


def _drain(h: Handle, owner: Session, next_fn: Any = None) -> Generator[int, None, None]:
    """The generator behind children()/descendants() (and roles()/user_roles() with their
    ``next_fn``): next() until ACCT_ITEROVER, then free."""
    # `owner` keeps the session (and through it the context) alive while the
    # generator lives: `for i in ctx.session_as(1).children(1)` must work.
    fn = lib.acct_account_iterator_next if next_fn is None else next_fn
    out = _ffi.acct_id()  # acct_role_id is the same C type
    try:
        while True:
            with h as p:
                rc = fn(ctypes.byref(out), p)
            if rc == _ffi.ACCT_ITEROVER:
                return
            yield int(out.value)
    finally:
        h.finalize()  # never raises, even when the generator is collected inside a callback


@_ffi.acct_account_foreach_cb
def _FOREACH(id: int, payload: Optional[int]) -> int:
    """The ``acct_account_foreach_cb`` trampoline: calls the registered Python callback."""
    try:
        rv = REGISTRY.get(payload)(int(id))
        if not rv:
            return 0
        if rv is True:
            return 1
        if isinstance(rv, int):
            if rv < 0:
                raise InvalidError(f"a foreach callback must not return a negative value ({rv}): "
                                   "libacct would read it as an error code")
            return min(rv, _ffi.INT_MAX)
        return 1
    except BaseException as e:
        return _callbacks.report(e, "foreach callback", passthrough=False)
