"""The context: one store, its in-memory hierarchy index, and settings (acct/ctx.h)."""

from __future__ import annotations

import ctypes
import os
import time
import weakref
from typing import Any, Callable, Generator, Iterable, List, Optional, Tuple, Union

from . import _callbacks
from . import _ffi
from ._callbacks import REGISTRY
from ._ffi import lib, raw
from ._handle import Handle
from ._util import as_c_int, as_id, cstr
from .agent import AgentMethods
from .audit import AuditCallback, AuditSlot, _AUDIT
from .enums import AccountType, SqliteSync
from .errors import InvalidError, check
from .perm import CatalogRef, PermissionDescriptor, catalog_id, optional_label, perm_name, writable_by_mask
from .session import Session
from .storage import StorageBackend, _Adapter

__all__ = ["Context"]

Clock = Callable[[], int]

#: A NULL ``acct_audit_fn`` (ctypes does not take None for a function pointer argument).
_NO_AUDIT = _ffi.acct_audit_fn()


class _ClockEntry:
    """A host clock and the context it belongs to (for the re-entrancy check)."""
    __slots__ = ("fn", "root")

    def __init__(self, fn: Clock) -> None:
        self.fn = fn
        self.root: Any = None


@_ffi.acct_clock_fn
def _CLOCK(payload: Optional[int]) -> int:
    """The ``acct_clock_fn`` trampoline shared by every context with a Python clock."""
    # A clock cannot fail in C: on an exception, stash it (the caller gets a
    # RuntimeWarning, or the exception itself if it is not an Exception) and
    # answer with the system clock.
    try:
        entry = REGISTRY.get(payload)
    except BaseException:
        return int(time.time())
    _callbacks.enter(entry.root)
    try:
        v = entry.fn()
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"the clock must return seconds since the epoch as an int, not {type(v).__name__}")
        return int(v)
    except BaseException as e:
        _callbacks.stash(e, "clock")
        return int(time.time())
    finally:
        _callbacks.leave()


def _sqlite_path(path: Any) -> bytes:
    """A file name for ``acct_storage_sqlite_new``: str, bytes or os.PathLike, without NUL."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"path must be a str, bytes or os.PathLike, not {type(path).__name__}")
    b = os.fsencode(path)
    if b"\0" in b:
        raise InvalidError("path must not contain a NUL character")
    return b


def _sqlite_sync(value: Any) -> int:
    """A :class:`SqliteSync` from a member, an int, or a name ("normal")."""
    if isinstance(value, str):
        try:
            return int(SqliteSync[value.upper()])
        except KeyError:
            raise InvalidError(f"synchronous {value!r} is not one of {', '.join(m.name.lower() for m in SqliteSync)}") \
                from None
    return as_c_int(value, "synchronous")


def _open_session(ctx: "Context", fn: Any, *args: Any) -> Session:
    """Call a session constructor (``fn(&out, ctx, *args)``) and wrap the session it opens.

    Session opening is audited: an exception from the audit hook is raised by
    the call after the session was opened, so the session is freed then.
    """
    out = ctypes.POINTER(_ffi.acct_session)()
    with ctx._h as cp:
        try:
            fn(ctypes.byref(out), cp, *args)
        except BaseException:
            if out:
                lib.acct_session_free(out)
            raise
        return Session._wrap(ctx, out)


def _free_ctx(ptr: Any, adapter: Optional[_Adapter], clock_token: Optional[int], audit: AuditSlot) -> None:
    """Free a context; re-raise what the backend's close() raised. ``adapter`` is kept alive until C is done."""
    outer = _callbacks.take()  # a finalizer may run in the middle of another call's callbacks
    try:
        lib.acct_ctx_free(ptr)
    finally:
        if clock_token is not None:
            REGISTRY.drop(clock_token)
        audit.drop()  # C no longer refers to the hook
        inner = _callbacks.take()
        _callbacks.restore(outer)
    del adapter
    if inner is not None:
        raise inner


class Context(AgentMethods):
    """A libacct context: a store, its hierarchy index and settings.

    Make one with :meth:`memory` (the built-in memory store) or :meth:`open`
    (a :class:`~libacct.StorageBackend` written in Python), then open sessions
    with :meth:`login` or :meth:`session_as`.

    The Plesk XML API agent answers packets on it: :meth:`agent_handle`,
    :meth:`agent_call` and :meth:`agent_configure` (:mod:`libacct.agent`).

    A Context may be shared by threads: libacct lets reads run in parallel and
    serializes writes. :meth:`close` waits for calls in progress on other
    threads, closes the context's sessions, then frees it; objects used after
    that raise :class:`~libacct.InvalidError`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use Context.memory(), Context.sqlite() or Context.open()")

    # -- construction --------------------------------------------------------

    @classmethod
    def memory(cls, admin_login: str, admin_password: str, password_cost: Optional[int] = None, *,
               clock: Optional[Clock] = None, lockout_attempts: Optional[int] = None,
               lockout_window: Optional[int] = None, lockout_duration: Optional[int] = None) -> "Context":
        """A context over a new, empty in-memory store (nothing survives :meth:`close`).

        :param admin_login: login of the administrator created in the empty store
        :param admin_password: its password (hashed at once; 5..255 characters)
        :param password_cost: log2 of scrypt's N, 1..20 (None: libacct's default, 15).
            Tests use 4 to stay fast; never use low values in production.
        :param clock: a callable giving seconds since the epoch (None: the system clock).
            It is called with the context locked: it must not call libacct.
        :param lockout_attempts: failed password checks for one login within
            ``lockout_window`` seconds that lock it for ``lockout_duration`` seconds
            (:class:`~libacct.LockedError` even with the right password). None:
            libacct's defaults (5, 60, 900); ``lockout_attempts=-1`` turns lockout off.
        """
        st = ctypes.POINTER(_ffi.acct_storage)()
        lib.acct_storage_memory_new(ctypes.byref(st))
        try:
            return cls._new(st, None, admin_login, admin_password, password_cost, clock,
                            (lockout_attempts, lockout_window, lockout_duration))
        except BaseException:
            lib.acct_storage_free(st)  # acct_ctx_new failed: the caller still owns the backend
            raise

    @classmethod
    def sqlite(cls, path: Union[str, bytes, "os.PathLike[Any]"], admin_login: Optional[str] = None,
               admin_password: Optional[str] = None, password_cost: Optional[int] = None, *,
               synchronous: Union[SqliteSync, int, str, None] = None, busy_timeout_ms: Optional[int] = None,
               clock: Optional[Clock] = None, lockout_attempts: Optional[int] = None,
               lockout_window: Optional[int] = None, lockout_duration: Optional[int] = None) -> "Context":
        """A context over libacct's SQLite store in the file ``path`` (created if needed).

        One file, WAL journal, prepared statements, a schema version with
        migrations; several processes (or contexts) may open one file and
        writers take turns. A new file is initialised with an administrator,
        for which ``admin_login`` and ``admin_password`` are then required; a
        file that holds data is loaded and they are ignored.

        :param synchronous: a :class:`~libacct.SqliteSync` (or its name,
            ``"normal"``); None: libacct's default, ``FULL``
        :param busy_timeout_ms: how long to wait for another writer; None or 0: 5000
        :raises NotSupportedError: this libacct was built without SQLite
        :raises StorageError: the file cannot be opened, is not a libacct
            database, or is locked; :raises VersionError: its schema is newer
            than this libacct; :raises InvalidError: a bad option
        Other parameters: as :meth:`memory`.
        """
        pb = _sqlite_path(path)
        opts = _ffi.acct_sqlite_options()
        lib.acct_sqlite_options_init(ctypes.byref(opts), _ffi.ACCT_SQLITE_OPTIONS_VERSION)
        if synchronous is not None:
            opts.synchronous = _sqlite_sync(synchronous)
        if busy_timeout_ms is not None:
            opts.busy_timeout_ms = as_c_int(busy_timeout_ms, "busy_timeout_ms")
        st = ctypes.POINTER(_ffi.acct_storage)()
        lib.acct_storage_sqlite_new(ctypes.byref(st), pb, ctypes.byref(opts))
        try:
            return cls._new(st, None, admin_login, admin_password, password_cost, clock,
                            (lockout_attempts, lockout_window, lockout_duration), kind="sqlite")
        except BaseException:
            lib.acct_storage_free(st)  # acct_ctx_new failed: the caller still owns the backend
            raise

    @classmethod
    def postgres(cls, conninfo: str, admin_login: Optional[str] = None, admin_password: Optional[str] = None,
                 password_cost: Optional[int] = None, *, clock: Optional[Clock] = None,
                 lockout_attempts: Optional[int] = None, lockout_window: Optional[int] = None,
                 lockout_duration: Optional[int] = None) -> "Context":
        """A context over libacct's PostgreSQL store, for nodes sharing one database.

        ``conninfo`` is a libpq connection string or URI
        (``"postgresql://acct@db/acct"``, ``"host=/tmp dbname=acct"``). The
        table is created if missing; an empty database is initialised with an
        administrator, for which ``admin_login`` and ``admin_password`` are
        then required.

        :raises NotSupportedError: this libacct was built without libpq
        :raises StorageError: the server refused or cannot be reached (its message)
        Other parameters: as :meth:`memory`.
        """
        cb = cstr(conninfo, "conninfo")
        st = ctypes.POINTER(_ffi.acct_storage)()
        lib.acct_storage_postgres_new(ctypes.byref(st), cb)
        try:
            return cls._new(st, None, admin_login, admin_password, password_cost, clock,
                            (lockout_attempts, lockout_window, lockout_duration), kind="postgres")
        except BaseException:
            lib.acct_storage_free(st)  # acct_ctx_new failed: the caller still owns the backend
            raise

    @classmethod
    def open(cls, storage_backend: StorageBackend, admin_login: Optional[str] = None,
             admin_password: Optional[str] = None, password_cost: Optional[int] = None, *,
             clock: Optional[Clock] = None, lockout_attempts: Optional[int] = None,
             lockout_window: Optional[int] = None, lockout_duration: Optional[int] = None) -> "Context":
        """A context over a storage backend written in Python.

        An empty store is initialised with an administrator, for which
        ``admin_login`` and ``admin_password`` are then required; a store that
        holds data is loaded and they are ignored. On success the context owns
        the backend and calls its ``close()`` once, when the context is closed;
        on failure the backend is left untouched (not closed).

        Exceptions raised by the backend while the context opens propagate
        from this call. Other parameters: as :meth:`memory`.
        """
        if not isinstance(storage_backend, StorageBackend):
            raise TypeError(f"storage_backend must be a libacct.StorageBackend, not {type(storage_backend).__name__}")
        adapter = _Adapter(storage_backend)
        try:
            return cls._new(adapter.pointer(), adapter, admin_login, admin_password, password_cost, clock,
                            (lockout_attempts, lockout_window, lockout_duration), kind=adapter.label)
        except BaseException:
            outer = _callbacks.take()
            lib.acct_storage_free(adapter.pointer())  # drops the vtable's references; not attached: no close()
            _callbacks.take()
            _callbacks.restore(outer)
            raise

    @classmethod
    def _new(cls, storage: Any, adapter: Optional[_Adapter], admin_login: Optional[str],
             admin_password: Optional[str], password_cost: Optional[int], clock: Optional[Clock],
             lockout: Tuple[Optional[int], Optional[int], Optional[int]], kind: str = "memory") -> "Context":
        """Fill ``acct_ctx_options`` and call ``acct_ctx_new``; the caller frees ``storage`` on failure."""
        opts = _ffi.acct_ctx_options()
        # Version 1: the bindings set no later field, and a library that predates them accepts it.
        lib.acct_ctx_options_init(ctypes.byref(opts), 1)
        login_b = cstr(admin_login, "admin_login")
        password_b = cstr(admin_password, "admin_password")
        opts.admin_login = login_b
        opts.admin_password = password_b
        if password_cost is not None:
            opts.password_cost = as_c_int(password_cost, "password_cost")
        for name, value in zip(("lockout_attempts", "lockout_window", "lockout_duration"), lockout):
            if value is not None:
                setattr(opts, name, as_c_int(value, name))
        entry: Optional[_ClockEntry] = None
        clock_token: Optional[int] = None
        if clock is not None:
            if not callable(clock):
                raise TypeError("clock must be callable")
            entry = _ClockEntry(clock)
            clock_token = REGISTRY.add(entry)
            opts.clock = _CLOCK
            opts.clock_payload = clock_token
        out = ctypes.POINTER(_ffi.acct_ctx)()
        try:
            lib.acct_ctx_new(ctypes.byref(out), storage, ctypes.byref(opts))
        except BaseException:
            if clock_token is not None:
                REGISTRY.drop(clock_token)
            raise
        # Success: the context owns the backend now.
        self = cls.__new__(cls)
        self._adapter = adapter
        self._kind = kind
        self._audit = audit = AuditSlot()
        if adapter is not None:
            adapter.attached = True

        def free(ptr: Any, adapter: Optional[_Adapter] = adapter, token: Optional[int] = clock_token,
                 audit: AuditSlot = audit) -> None:
            """The handle's free function: ``acct_ctx_free`` plus the Python-side clean-up."""
            _free_ctx(ptr, adapter, token, audit)

        self._h = Handle(out, free, "Context")
        if adapter is not None:
            adapter.root = self._h
        if entry is not None:
            entry.root = self._h
        self._finalizer = weakref.finalize(self, self._h.finalize)
        return self

    # -- sessions ------------------------------------------------------------

    def login(self, login: str, password: str) -> Session:
        """Open a session by login and password.

        :raises AuthError: unknown login or wrong password (not told apart)
        :raises DisabledError: the account or an owner above it is disabled
        """
        lb, pb = cstr(login, "login"), cstr(password, "password")
        if lb is None or pb is None:
            raise InvalidError("login and password are required")
        return _open_session(self, lib.acct_session_open, lb, pb)

    def session_as(self, id: Union[int, Any]) -> Session:
        """Open a session as account ``id`` without a password (for host code that authenticated the person).

        :raises NotFoundError: no such account; :raises DisabledError:
        """
        aid = as_id(id)
        return _open_session(self, lib.acct_session_open_as, aid)

    def login_key(self, secret: str, client_ip: str) -> Session:
        """Open a session with a secret key (:meth:`Session.create_key`) from client address ``client_ip``.

        :raises SecretKeyError: an unknown key, or an address the key is not
            bound to (not told apart; Plesk errcode 11003)
        :raises DisabledError: the key's account is (effectively) disabled
        """
        sb, ib = cstr(secret, "secret"), cstr(client_ip, "client_ip")
        if sb is None or ib is None:
            raise InvalidError("secret and client_ip are required")
        return _open_session(self, lib.acct_session_open_key, sb, ib)

    def login_api(self, login: str, password: str) -> Session:
        """Open a session with a Partner API login (:meth:`Session.create_api_login`).

        The session holds only its role's Partner API operations
        (:attr:`Session.api_role`): a client role on its own account, a
        reseller role on the reseller and its own customers. Login lockout applies.

        :raises AuthError: unknown login or wrong password; :raises LockedError:
        :raises DisabledError: the API login or its account is disabled
        """
        lb, pb = cstr(login, "login"), cstr(password, "password")
        if lb is None or pb is None:
            raise InvalidError("login and password are required")
        return _open_session(self, lib.acct_session_open_api, lb, pb)

    def redeem_reset_token(self, token: str, new_password: str) -> None:
        """Set the password of the token's account to ``new_password`` and invalidate the token.

        No session is needed: the token (:meth:`Session.create_reset_token`) is the credential.

        :raises AuthError: an unknown, used or expired token
        :raises InvalidError: a password that breaks the rules
        """
        tb, pb = cstr(token, "token"), cstr(new_password, "new_password")
        if tb is None or pb is None:
            raise InvalidError("token and new_password are required")
        with self._h as cp:
            lib.acct_reset_token_redeem(cp, tb, pb)

    # -- audit (acct/audit.h) -------------------------------------------------

    def set_audit(self, callback: Optional[AuditCallback]) -> None:
        """Install ``callback`` as the context's audit hook, replacing any; None removes it (``acct_ctx_set_audit``).

        ``callback(event)`` receives an :class:`~libacct.AuditEvent` for every
        operation that writes (successful or not), every refused read, every
        denied check (which then formats its explanation, costing time) and
        every session opening. It runs on the thread of the operation, after
        it finished, with no libacct lock held: it may call libacct.

        An exception raised by ``callback`` does not reach C: it is raised by
        the call that produced the event, once that call has returned. The
        operation's effect stands (a note on the exception says whether it
        succeeded); a session that was being opened is closed again, and a
        secret that was being created is not returned (the key, API login or
        token exists: find it by listing and delete it).
        """
        if callback is not None and not callable(callback):
            raise TypeError(f"the audit callback must be callable, not {type(callback).__name__}")
        slot = self._audit
        with slot.lock:
            with self._h as cp:
                if callback is None:
                    lib.acct_ctx_set_audit(cp, _NO_AUDIT, None)  # NULL removes the hook
                    slot.drop()
                    return
                token = AuditSlot.register(callback)
                try:
                    lib.acct_ctx_set_audit(cp, _AUDIT, token)
                except BaseException:
                    REGISTRY.drop(token)
                    raise
                old, slot.token = slot.token, token
                if old is not None:
                    REGISTRY.drop(old)  # a delivery in progress on another thread then finds nothing: it does nothing

    @property
    def audit(self) -> Optional[AuditCallback]:
        """The installed audit callback, or None."""
        token = self._audit.token
        if token is None:
            return None
        try:
            return REGISTRY.get(token).fn
        except KeyError:  # removed meanwhile
            return None

    # -- state ---------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the hierarchy index if another context or process changed the store."""
        with self._h as cp:
            lib.acct_ctx_refresh(cp)

    @property
    def generation(self) -> int:
        """The store's generation as last seen by this context (bumped by every write)."""
        with self._h as cp:
            return int(lib.acct_ctx_generation(cp))

    @property
    def account_count(self) -> int:
        """Number of accounts in the index."""
        with self._h as cp:
            return int(lib.acct_ctx_account_count(cp))

    @property
    def index_bytes(self) -> int:
        """Bytes of memory the hierarchy index uses."""
        with self._h as cp:
            return int(lib.acct_ctx_index_bytes(cp))

    # -- permission catalogs (acct/perm.h) -----------------------------------

    def permission_count(self, catalog: CatalogRef) -> int:
        """Number of permissions in ``catalog`` (``acct_perm_count``).

        :raises NotFoundError: no such catalog
        """
        cid = catalog_id(catalog)
        with self._h as cp:
            return int(lib.acct_perm_count(cp, cid))

    def permissions(self, catalog: CatalogRef) -> Generator[PermissionDescriptor, None, None]:
        """The permissions of ``catalog``, as :class:`~libacct.PermissionDescriptor` objects.

        A generator over a snapshot taken now, in libacct's order (the
        built-in names first, then the host's in order of registration).
        ``catalog`` is checked at once: :class:`~libacct.NotFoundError` is
        raised by this call, not by the first ``next()``.
        """
        cid = catalog_id(catalog)
        out: List[PermissionDescriptor] = []
        d = _ffi.acct_perm_desc()
        with self._h as cp:
            lib.acct_perm_count(cp, cid)  # checks the catalog
            # Up to ACCT_ENOTFOUND rather than up to the count: a name registered
            # meanwhile only makes the snapshot one longer.
            while True:
                rc = raw.acct_perm_describe(ctypes.byref(d), cp, cid, len(out))
                if rc == _ffi.ACCT_ENOTFOUND:
                    break
                check(rc)
                out.append(PermissionDescriptor._from_c(d))  # copied now: the strings are borrowed
        return (p for p in out)

    def permission(self, name: str) -> PermissionDescriptor:
        """The descriptor of the permission called ``name``, whichever catalog holds it (``acct_perm_lookup``).

        :raises NotFoundError: no catalog has it
        """
        nb = perm_name(name, "name")
        d = _ffi.acct_perm_desc()
        with self._h as cp:
            lib.acct_perm_lookup(ctypes.byref(d), cp, nb)
            return PermissionDescriptor._from_c(d)

    def register_catalog(self, name: str) -> int:
        """Register a host catalog called ``name`` on this context and return its id (> 3) (``acct_catalog_register``).

        Registration lives as long as the context (it is not stored): register
        the same catalogs and permissions each time a context is opened.

        :raises ExistsError: the name is taken; :raises InvalidError: a bad name
            (1 to 64 letters, digits, ``.``, ``_`` or ``-``)
        """
        nb = cstr(name, "catalog name")
        out = ctypes.c_int()
        with self._h as cp:
            lib.acct_catalog_register(ctypes.byref(out), cp, nb)
        return int(out.value)

    def register_permission(self, catalog: CatalogRef, name: str, label: Optional[str] = None,
                            writable_by: Union[AccountType, Iterable[AccountType]] = (AccountType.ADMIN,),
                            reseller_only: bool = False, default: bool = False) -> PermissionDescriptor:
        """Register a host permission (``acct_perm_register``) and return its descriptor.

        :param catalog: :attr:`Catalog.ACCOUNT <libacct.Catalog.ACCOUNT>` or a
            host catalog (granted to resellers and customers like Plesk's own),
            or :attr:`Catalog.ROLE <libacct.Catalog.ROLE>` (put into user roles).
            The Partner API catalog is fixed.
        :param name: unique across all catalogs; 1 to 64 letters, digits, ``.``, ``_`` or ``-``
        :param label: a short text for people
        :param writable_by: the account types that may grant it (an
            :class:`~libacct.AccountType` or several); the admin always may
        :param reseller_only: only resellers may hold it
        :param default: an account permission granted to the resellers (and,
            unless ``reseller_only``, the customers) created from now on
        :raises ExistsError: the name is taken; :raises InvalidError: a bad
            name or catalog; :raises LimitError: the catalog's kind is full
            (64 account or 64 role permissions per context)
        """
        d = _ffi.acct_perm_desc()
        lib.acct_perm_desc_init(ctypes.byref(d), _ffi.ACCT_PERM_DESC_VERSION)
        d.catalog = catalog_id(catalog)
        name_b = perm_name(name, "name")
        label_b = optional_label(label)
        d.name = name_b
        d.label = label_b
        d.writable_by = writable_by_mask(writable_by)
        d.reseller_only = 1 if reseller_only else 0
        d.default_value = 1 if default else 0
        with self._h as cp:
            lib.acct_perm_register(cp, ctypes.byref(d))
        return self.permission(name)

    @property
    def storage_backend(self) -> Optional[StorageBackend]:
        """The Python backend given to :meth:`open` (None for the built-in memory and SQLite stores)."""
        return self._adapter.backend if self._adapter is not None else None

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Close the sessions still open on this context, then free it and its store.

        Waits for calls in progress on other threads. Idempotent. An exception
        raised by the backend's ``close()`` propagates from here (after
        everything was freed).
        """
        self._h.close()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has started."""
        return self._h.closed

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h.closed:
            return "<Context closed>"
        return f"<Context {self._kind} accounts={self.account_count}>"
