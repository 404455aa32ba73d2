"""Sessions: who is acting. Every account operation goes through one (acct/session.h, acct/account.h)."""

from __future__ import annotations

import ctypes
import weakref
from typing import TYPE_CHECKING, Any, Callable, Generator, Optional, Union

from . import _callbacks
from . import _ffi
from ._callbacks import REGISTRY
from ._ffi import lib
from ._handle import Handle
from ._util import as_c_int, as_c_uint, as_id, cstr
from .account import Account
from .enums import AccountType, IterMode, Status
from .errors import InvalidError

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Session"]

AccountRef = Union[int, Account]


class Session:
    """An authenticated session on a :class:`~libacct.Context`.

    Made by :meth:`Context.login` or :meth:`Context.session_as`. Every
    operation is decided by libacct's policy for the session's account;
    targets outside its scope are reported as :class:`~libacct.NotFoundError`.
    Methods taking an account accept its id or an :class:`Account`.

    A session belongs to one thread at a time, as in C: calls from several
    threads on one Session are serialized. Give each thread its own Session
    (they are cheap) to let reads run in parallel.

    Close it with :meth:`close` or ``with``; closing the context closes it too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("sessions are made by Context.login() or Context.session_as()")

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


def _drain(h: Handle, owner: Session) -> Generator[int, None, None]:
    """The generator behind children()/descendants(): next() until ACCT_ITEROVER, then free."""
    # `owner` keeps the session (and through it the context) alive while the
    # generator lives: `for i in ctx.session_as(1).children(1)` must work.
    out = _ffi.acct_id()
    try:
        while True:
            with h as p:
                rc = lib.acct_account_iterator_next(ctypes.byref(out), p)
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
