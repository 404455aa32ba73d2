"""Account objects: detached copies of one account record (acct/account.h)."""

from __future__ import annotations

import ctypes
import weakref
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

from . import _ffi
from ._ffi import lib
from ._handle import Handle
from ._util import as_c_int, as_id, cstr, pystr
from .enums import AccountType, Field, Status
from .errors import InvalidError

if TYPE_CHECKING:  # pragma: no cover
    from .session import Session

__all__ = ["Account"]


class _Text:
    """A text field as a property: reads give ``str`` or None, writes take ``str`` or None (clears)."""

    def __init__(self, field: Field, doc: str, readable: bool = True, writable: bool = True) -> None:
        self.field = field
        self.readable = readable
        self.writable = writable
        self.__doc__ = doc
        self.name = field.name.lower()

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Optional["Account"], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        if not self.readable:
            raise AttributeError(f"{self.name} is write-only: libacct never gives a password back")
        return obj.get(self.field)

    def __set__(self, obj: "Account", value: Optional[str]) -> None:
        if not self.writable:
            raise AttributeError(f"{self.name} is read-only")
        obj.set(self.field, value)

    def __delete__(self, obj: "Account") -> None:
        self.__set__(obj, None)


class Account:
    """One account, as a detached object.

    Reading never touches the store, and changes stay on the object until
    :meth:`save` (or :meth:`Session.add` for a new one). Objects come from
    :class:`~libacct.Session` lookups and ``add_*`` methods, or are built with
    ``Account(AccountType.CUSTOMER, login=..., name=...)`` and stored with
    :meth:`Session.add`.

    Text fields are properties (``login``, ``name``, ``email`` ...; None when
    unset; assigning None or ``""`` clears an optional field). Values are
    validated when set: a bad one raises :class:`~libacct.InvalidError` at
    once. ``password`` is write-only; ``guid`` can be given on a new account
    only; ``created`` is read-only.

    The object is freed by :meth:`close` (or ``with``), or when collected.
    """

    login = _Text(Field.LOGIN, "Unique login: an e-mail address or [A-Za-z0-9._-], 1..60.")
    password = _Text(Field.PASSWORD, "Write-only: set to change the password (hashed on save).", readable=False)
    name = _Text(Field.NAME, "Personal name (Plesk pname), 1..60.")
    company = _Text(Field.COMPANY, "Company name (Plesk cname), 0..60.")
    phone = _Text(Field.PHONE, "Phone, 0..30.")
    fax = _Text(Field.FAX, "Fax, 0..30.")
    email = _Text(Field.EMAIL, "An e-mail address, 0..255.")
    address = _Text(Field.ADDRESS, "Postal address, 0..255.")
    city = _Text(Field.CITY, "City, 0..255.")
    state = _Text(Field.STATE, "State, 0..255.")
    postal_code = _Text(Field.POSTAL_CODE, "Postal code (Plesk pcode), 0..16.")
    country = _Text(Field.COUNTRY, 'ISO 3166-1 alpha-2, upper case, e.g. "US".')
    locale = _Text(Field.LOCALE, 'Locale, e.g. "en" or "en-US".')
    external_id = _Text(Field.EXTERNAL_ID, "The host's own id; unique when set, 0..255.")
    guid = _Text(Field.GUID, "UUID v4, assigned by libacct; may be given on a new account only.")
    created = _Text(Field.CREATED, 'Creation date, "YYYY-MM-DD" (UTC); read-only.', writable=False)
    subscription = _Text(Field.SUBSCRIPTION, "Users only: the subscription (domain) they are restricted to.")
    vat_number = _Text(Field.VAT_NUMBER, "A VAT number (UpCloud partner accounts), 0..32.")

    #: Property name -> Field, for the keyword arguments of the constructor and the add_* methods.
    FIELDS: Dict[str, Field] = {f.name.lower(): f for f in Field}

    def __init__(self, type: Union[AccountType, int], **fields: Optional[str]) -> None:
        """A new, unsaved account of ``type`` (reseller, customer or user), with ``fields`` set.

        :raises InvalidError: the admin type or an unknown one; a bad field value
        :raises TypeError: an unknown field name
        """
        out = ctypes.POINTER(_ffi.acct_account)()
        lib.acct_account_new(ctypes.byref(out), as_c_int(type, "account type"))
        self._adopt(out, None)
        try:
            self.update_fields(**fields)
        except BaseException:
            self.close()
            raise

    @classmethod
    def _wrap(cls, ptr: Any, session: Optional["Session"]) -> "Account":
        """An Account owning ``ptr`` (from a lookup), bound to ``session``."""
        self = cls.__new__(cls)
        self._adopt(ptr, session)
        return self

    def _adopt(self, ptr: Any, session: Optional["Session"]) -> None:
        """Own ``ptr``: a handle, the session for save(), and a finalizer."""
        self._h = Handle(ptr, lib.acct_account_free, "Account", exclusive=True)
        self._session = session
        self._finalizer = weakref.finalize(self, self._h.finalize)

    # -- integer properties --------------------------------------------------

    @property
    def id(self) -> int:
        """The id (0 while unsaved)."""
        with self._h as p:
            return int(lib.acct_account_id(p))

    @property
    def type(self) -> AccountType:
        """The type."""
        with self._h as p:
            t = int(lib.acct_account_type(p))
        try:
            return AccountType(t)
        except ValueError:  # a type a later libacct added
            return t  # type: ignore[return-value]

    @property
    def owner(self) -> int:
        """The owner's id (0 for the admin and unsaved accounts)."""
        with self._h as p:
            return int(lib.acct_account_owner(p))

    @property
    def status(self) -> Status:
        """The account's own status bits (not those inherited from its owners)."""
        with self._h as p:
            return Status(int(lib.acct_account_status(p)))

    @property
    def created_at(self) -> int:
        """Creation time, seconds since the Unix epoch (0 while unsaved)."""
        with self._h as p:
            return int(lib.acct_account_created(p))

    # -- text fields ---------------------------------------------------------

    def get(self, field: Union[Field, int]) -> Optional[str]:
        """A text field by :class:`Field` (None when unset, unknown, or the password)."""
        f = as_c_int(field, "field")
        with self._h as p:
            return pystr(lib.acct_account_get(p, f))

    def set(self, field: Union[Field, int], value: Optional[str]) -> None:
        """Set a text field on the object (validated now; stored on :meth:`save`). None or ``""`` clears.

        :raises InvalidError: read-only field, or a value the field's rule refuses
        """
        f = as_c_int(field, "field")
        try:
            what = Field(f).name.lower()
        except ValueError:  # a field a later libacct added
            what = f"field {f}"
        v = cstr(value, what)
        with self._h as p:
            lib.acct_account_set(p, f, v)

    def update_fields(self, **fields: Optional[str]) -> None:
        """Set several fields by property name: ``a.update_fields(email="x@example.com", city="Oslo")``.

        :raises TypeError: an unknown field name
        """
        for key, value in fields.items():
            f = self.FIELDS.get(key)
            if f is None:
                raise TypeError(f"unknown account field {key!r} (known: {', '.join(self.FIELDS)})")
            self.set(f, value)

    def description(self, author: Union[int, "Account"]) -> Optional[str]:
        """The description written by account ``author`` (None when there is none)."""
        aid = as_id(author, "author")
        with self._h as p:
            return pystr(lib.acct_account_description(p, aid))

    def set_description(self, author: Union[int, "Account"], text: Optional[str]) -> None:
        """Set (or with None or ``""`` remove) the description written by ``author``; stored on :meth:`save`."""
        aid = as_id(author, "author")
        t = cstr(text, "description")
        with self._h as p:
            lib.acct_account_set_description(p, aid, t)

    def to_dict(self) -> Dict[str, Any]:
        """Every readable field and property as a dict (unset fields are None)."""
        d: Dict[str, Any] = {"id": self.id, "type": self.type, "owner": self.owner, "status": self.status,
                             "created_at": self.created_at}
        for name, f in self.FIELDS.items():
            if f != Field.PASSWORD:
                d[name] = self.get(f)
        return d

    # -- store ---------------------------------------------------------------

    @property
    def session(self) -> Optional["Session"]:
        """The session that loaded or stored this account (used by :meth:`save`), or None."""
        return self._session

    def save(self) -> None:
        """Write the changed fields back to the store (``acct_account_update``), with the session it came from.

        :raises InvalidError: the account was never stored, or its session is closed
        """
        if self._session is None:
            raise InvalidError("this account is not stored yet: store it with Session.add()")
        self._session.update(self)

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Free the C object now. Further use raises :class:`~libacct.InvalidError`."""
        self._h.close()

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._h.closed

    def __enter__(self) -> "Account":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h.closed:
            return "<Account closed>"
        try:
            t = self.type
            tname = t.name.lower() if isinstance(t, AccountType) else str(t)
            return f"<Account {tname} id={self.id} login={self.login!r}>"
        except Exception:  # pragma: no cover - e.g. closed by another thread meanwhile
            return "<Account>"
