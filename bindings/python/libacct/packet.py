"""Plesk XML API packets for clients: typed requests and typed replies (acct/packet.h).

:class:`Request` builds a request packet without writing XML; its
:meth:`~Request.encode` emits every element in schema order, with the
operator's own spelling (``gen_info`` or ``gen-info``)::

    req = (Request()
           .add(Op.CUSTOMER_GET).filter(FilterKind.LOGIN, "acme").dataset(Dataset.GEN_INFO)
           .add(Op.SERVER_GET_PROTOS))
    xml = req.encode()

:meth:`Response.parse` reads a reply back: one :class:`Result` per
``<result>``, in document order, with its status, errcode, errtext,
filter-id, id, and every data field under the same field numbers used to
build requests (:class:`~libacct.Field` or :class:`~libacct.PacketField`).

The server side of the protocol is :meth:`Context.agent_handle
<libacct.Context.agent_handle>` (:mod:`libacct.agent`).

Wherever an operation, filter kind, dataset, field or item kind is taken,
the enum member, its int, or its name is accepted: ``Op.CUSTOMER_GET``,
``102``, ``"customer get"`` or ``"CUSTOMER_GET"``; ``Field.EMAIL`` or
``"email"``; ``PacketField.OWNER_LOGIN`` or ``"owner_login"``. Values are
``str``; an ``int`` is sent in decimal and a ``bool`` as ``"true"`` or
``"false"`` (the protocol's booleans).
"""

from __future__ import annotations

import ctypes
import weakref
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type, TypeVar, Union, overload

from . import _ffi
from ._ffi import lib, raw
from ._handle import Handle
from ._util import as_c_int, as_c_uint, cstr, pystr
from .enums import Dataset, Field, FilterKind, ItemKind, Op, PacketField
from .errors import InvalidError

__all__ = ["Request", "Response", "Result", "op_name"]

OpRef = Union[Op, int, str]
FilterRef = Union[FilterKind, int, str]
DatasetRef = Union[Dataset, int, str]
FieldRef = Union[Field, PacketField, int, str]
ItemRef = Union[ItemKind, int, str]
Value = Union[str, int, bool, None]

E = TypeVar("E", bound=int)


def op_name(op: OpRef) -> Optional[str]:
    """The wire name of operation ``op``, "customer get" (``acct_op_name``); None for one libacct does not know."""
    if isinstance(op, str):
        op = _enum(Op, op, "operation")
    return pystr(raw.acct_op_name(as_c_int(op, "operation")))


def _enum(cls: Type[E], value: Any, what: str) -> int:
    """The C value of ``value``: a member of ``cls``, a plain int, or a member name ("CUSTOMER_GET", "customer get")."""
    if isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        try:
            return int(cls[key])  # type: ignore[index]
        except KeyError:
            known = ", ".join(m.name.lower() for m in cls)  # type: ignore[attr-defined]
            raise InvalidError(f"unknown {what} {value!r} (known: {known})") from None
    return as_c_int(value, what)


def _field(value: Any) -> int:
    """A field number: a :class:`Field`, a :class:`PacketField`, an int, or the name of either ("email", "owner_id")."""
    if isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        for cls in (Field, PacketField):
            if key in cls.__members__:
                return int(cls[key])
        known = ", ".join([m.name.lower() for m in Field] + [m.name.lower() for m in PacketField])
        raise InvalidError(f"unknown field {value!r} (known: {known})")
    return as_c_int(value, "field")


def _datasets(values: Tuple[DatasetRef, ...]) -> int:
    """The bits of several datasets (members, ints or names), OR-ed."""
    bits = 0
    for v in values:
        bits |= _enum(Dataset, v, "dataset") if isinstance(v, str) else as_c_uint(v, "dataset")
    return bits


def _value(value: Value, what: str) -> Optional[bytes]:
    """A text value for C: str as is, int in decimal, bool as "true"/"false", None as NULL."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, int):
        value = str(int(value))
    return cstr(value, what)


def _label(cls: Any, value: int) -> Any:
    """A member of ``cls`` for ``value``, or the plain int (a value newer than the bindings)."""
    try:
        return cls(value)
    except ValueError:
        return value


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------


class Request:
    """A request packet being built (``acct_request``).

    :meth:`add` starts an operation; :meth:`filter`, :meth:`dataset`,
    :meth:`set` and :meth:`item` fill the newest one. Every method returns
    the request, so calls chain. Each call is checked at once against the
    operation's schema: a filter kind, dataset, field or item kind the
    operation does not have raises :class:`~libacct.InvalidError` with
    libacct's message; what the schema requires (a filter, a login ...) is
    checked by :meth:`encode`.

    Consecutive operations of one operator share one operator element, as
    Plesk's own clients send them. The request is freed by :meth:`close`
    (or ``with``), or when collected.
    """

    def __init__(self, version: Optional[str] = None) -> None:
        """An empty request packet (``acct_request_new``).

        :param version: the packet's ``version`` attribute, e.g. ``"1.6.9.1"``;
            None for none (the server answers with its newest, and every
            operation is available)
        :raises InvalidError: not a protocol version
        """
        vb = cstr(version, "version")
        out = ctypes.POINTER(_ffi.acct_request)()
        lib.acct_request_new(ctypes.byref(out), vb)
        self._h = Handle(out, lib.acct_request_free, "Request", exclusive=True)
        self._finalizer = weakref.finalize(self, self._h.finalize)
        self._version = version
        self._ops: List[Union[Op, int]] = []

    @property
    def version(self) -> Optional[str]:
        """The version given to the constructor (None: none)."""
        return self._version

    @property
    def operations(self) -> List[Union[Op, int]]:
        """The operations added so far, in order (a copy)."""
        return list(self._ops)

    def __len__(self) -> int:
        """The number of operations added."""
        return len(self._ops)

    def add(self, op: OpRef) -> "Request":
        """Append operation ``op`` (``acct_request_add``); the calls that follow fill it.

        :raises InvalidError: an unknown operation
        """
        o = _enum(Op, op, "operation")
        with self._h as p:
            lib.acct_request_add(p, o)
        self._ops.append(_label(Op, o))
        return self

    def filter(self, kind: FilterRef, value: Union[str, int, None] = None) -> "Request":
        """Add a filter value of ``kind`` to the current operation (``acct_request_filter``).

        Call it again for more values of the same kind (one result each).
        :attr:`FilterKind.ALL <libacct.FilterKind.ALL>` takes no value.

        :raises InvalidError: no operation yet, a kind the operation does not
            filter by, a second kind, a missing value
        """
        k = _enum(FilterKind, kind, "filter kind")
        vb = _value(value, "the filter value")
        with self._h as p:
            lib.acct_request_filter(p, k, vb)
        return self

    def dataset(self, *datasets: DatasetRef) -> "Request":
        """Ask for ``datasets`` in the current get operation (``acct_request_dataset``).

        ``dataset(Dataset.GEN_INFO, Dataset.STAT)``, ``dataset(Dataset.GEN_INFO | Dataset.STAT)``
        and ``dataset("gen_info", "stat")`` are the same.

        :raises InvalidError: none given, or a dataset the operation does not have
        """
        bits = _datasets(datasets)
        with self._h as p:
            lib.acct_request_dataset(p, bits)
        return self

    def set(self, field: FieldRef, value: Value) -> "Request":
        """Set ``field`` of the current operation to ``value`` (``acct_request_set``).

        ``""`` (or None) sends an empty element: for ``Field.GUID`` in a set
        operation, "regenerate the GUID". Values are escaped on encoding.

        :raises InvalidError: a field the operation does not carry, a value
            that is not text (control characters)
        """
        f = _field(field)
        vb = _value(value, "the value")
        with self._h as p:
            lib.acct_request_set(p, f, vb)
        return self

    def item(self, kind: ItemRef, name: str, value: Value = None) -> "Request":
        """Append an item of ``kind`` to the current operation (``acct_request_item``).

        A limit (``name``, ``value`` a number, -1 unlimited), a permission
        (``name``, True/False), an IP address (``name`` the address,
        ``value`` its type or None), a role (``name``, no value).

        :raises InvalidError: a kind the operation does not carry, no name,
            a limit or permission without a value
        """
        k = _enum(ItemKind, kind, "item kind")
        nb = cstr(name, "the item name")
        vb = _value(value, "the item value")
        with self._h as p:
            lib.acct_request_item(p, k, nb, vb)
        return self

    def encode(self) -> bytes:
        """The XML packet, UTF-8, in schema order (``acct_request_encode``).

        The request stays usable: add more and encode again.

        :raises InvalidError: no operation, or one missing what the schema
            requires (named in the message)
        """
        buf = _ffi.acct_buf()
        try:
            with self._h as p:
                lib.acct_request_encode(ctypes.byref(buf), p)
            return _ffi.buf_bytes(buf)
        finally:
            _ffi.buf_wipe_dispose(buf)  # it may hold passwords

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Free the C request now. Further use raises :class:`~libacct.InvalidError`."""
        self._h.close()

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._h.closed

    def __enter__(self) -> "Request":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h.closed:
            return "<Request closed>"
        ops = ", ".join(o.label if isinstance(o, Op) else str(o) for o in self._ops)
        v = f" version={self._version!r}" if self._version is not None else ""
        return f"<Request{v} [{ops}]>"


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


def _reply_bytes(data: Any) -> bytes:
    """The bytes of a reply: bytes-like as is, str encoded as UTF-8."""
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"a packet must be bytes or str, not {type(data).__name__}")


class Response:
    """A parsed reply packet (``acct_response``): a sequence of :class:`Result`.

    Made by :meth:`parse`. ``len(resp)``, ``resp[i]`` and ``for r in resp``
    give the results of every operation, in document order. A reply that a
    check-up error replaced (authentication, version, a bad packet) has no
    results and a :attr:`system_error`.

    Results borrow from the response: a :class:`Result` keeps its response
    alive, and raises :class:`~libacct.InvalidError` once the response was
    closed. Reading is safe from several threads at once.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use Response.parse()")

    @classmethod
    def parse(cls, data: Union[bytes, bytearray, memoryview, str]) -> "Response":
        """Parse a reply packet (``acct_response_parse``).

        The parser is the agent's, hardened: no DTD, no entities, no network,
        bounded size and depth.

        :raises ParseError: not a reply packet (the message says where)
        """
        b = _reply_bytes(data)
        out = ctypes.POINTER(_ffi.acct_response)()
        lib.acct_response_parse(ctypes.byref(out), b, len(b))
        return cls._wrap(out)

    @classmethod
    def _wrap(cls, out: Any) -> "Response":
        """Own an ``acct_response *`` libacct made (``acct_response_parse``, ``acct_client_send``)."""
        self = cls.__new__(cls)
        self._h = Handle(out, lib.acct_response_free, "Response")
        self._finalizer = weakref.finalize(self, self._h.finalize)
        return self

    @property
    def version(self) -> str:
        """The reply's ``version`` attribute ("" when absent)."""
        with self._h as p:
            return pystr(lib.acct_response_version(p)) or ""

    @property
    def system_error(self) -> Optional[Tuple[int, str]]:
        """``(errcode, errtext)`` of a check-up error that replaced the whole reply, else None.

        1029 no credentials, 1001 wrong login or password, 1012 locked login,
        1011 disabled account, 11003 a bad secret key or address, 1006 no
        ``remote_access_interface`` permission, 1005 an unsupported version,
        1014 a packet that is too large, not well-formed, has a DTD or breaks
        the schema.
        """
        code, text = ctypes.c_int(), ctypes.c_char_p()
        with self._h as p:
            if not lib.acct_response_system_error(ctypes.byref(code), ctypes.byref(text), p):
                return None
            return int(code.value), pystr(text.value) or ""

    def __len__(self) -> int:
        """The number of results (every ``<result>`` of every operation)."""
        with self._h as p:
            return int(lib.acct_response_count(p))

    @overload
    def __getitem__(self, index: int) -> "Result": ...

    @overload
    def __getitem__(self, index: slice) -> List["Result"]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union["Result", List["Result"]]:
        """Result ``index`` (negative counts from the end), or a list for a slice."""
        n = len(self)
        if isinstance(index, slice):
            return [Result(self, i) for i in range(*index.indices(n))]
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"result indices must be integers, not {type(index).__name__}")
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(f"result {index} is out of range (the reply has {n})")
        return Result(self, i)

    def __iter__(self) -> Iterator["Result"]:
        """The results, in document order."""
        for i in range(len(self)):
            yield Result(self, i)

    @property
    def results(self) -> List["Result"]:
        """Every result, as a list."""
        return list(self)

    def _result(self, p: Any, index: int) -> Any:
        """The ``acct_result *`` of ``index``; the caller holds the handle (``p``)."""
        r = lib.acct_response_result(p, index)
        if not r:  # pragma: no cover - indices come from len()
            raise IndexError(f"result {index} is out of range")
        return r

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Free the C response now; its results raise :class:`~libacct.InvalidError` from then on."""
        self._h.close()

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._h.closed

    def __enter__(self) -> "Response":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h.closed:
            return "<Response closed>"
        err = self.system_error
        if err is not None:
            return f"<Response version={self.version!r} system_error={err[0]}>"
        return f"<Response version={self.version!r} results={len(self)}>"


class Result:
    """One ``<result>`` of a :class:`Response` (``acct_result``), borrowed from it.

    Holds a reference to its response, which therefore lives at least as long.
    Every property reads the C result at the time of the call.
    """

    __slots__ = ("_resp", "_index")

    def __init__(self, response: Response, index: int) -> None:
        """Result ``index`` of ``response`` (use ``response[index]``)."""
        self._resp = response
        self._index = index

    @property
    def response(self) -> Response:
        """The response this result belongs to."""
        return self._resp

    @property
    def index(self) -> int:
        """Its position among the response's results."""
        return self._index

    def _call(self, fn: Any, *args: Any) -> Any:
        """``fn(result, *args)`` with the response held."""
        resp = self._resp
        with resp._h as p:
            return fn(resp._result(p, self._index), *args)

    @property
    def op(self) -> Union[Op, int]:
        """The operation the result answers (an :class:`~libacct.Op`; 0 for one libacct does not know)."""
        return _label(Op, int(self._call(lib.acct_result_op)))

    @property
    def operation(self) -> int:
        """Which operation of the packet (0-based, in document order) the result answers."""
        return int(self._call(lib.acct_result_operation))

    @property
    def ok(self) -> bool:
        """True when the result's status is ok."""
        return bool(self._call(lib.acct_result_ok))

    @property
    def errcode(self) -> int:
        """The Plesk errcode of a failed result (1013 not found, 1006 denied ...); 0 when ok."""
        return int(self._call(lib.acct_result_errcode))

    @property
    def errtext(self) -> str:
        """The error text of a failed result (libacct's message); "" when ok."""
        return pystr(self._call(lib.acct_result_errtext)) or ""

    @property
    def filter_id(self) -> Optional[str]:
        """The filter value that produced the result, or None."""
        return pystr(self._call(lib.acct_result_filter_id))

    @property
    def id(self) -> int:
        """The object id of the result (0 when absent)."""
        return int(self._call(lib.acct_result_id))

    def get(self, field: FieldRef) -> Optional[str]:
        """A data field (``acct_result_get``): None when absent, "" when present and empty.

        ``Field.GUID`` is the result's guid.
        """
        f = _field(field)
        return pystr(self._call(lib.acct_result_get, f))

    def to_dict(self) -> Dict[str, str]:
        """Every data field present, by lower-case name (``"email"``, ``"owner_login"``)."""
        out: Dict[str, str] = {}
        resp = self._resp
        with resp._h as p:
            r = resp._result(p, self._index)
            for f in list(Field) + list(PacketField):
                v = lib.acct_result_get(r, int(f))
                if v is not None:
                    out[f.name.lower()] = v.decode("utf-8", "replace")
        return out

    def item_count(self, kind: ItemRef) -> int:
        """The number of items of ``kind`` (``acct_result_item_count``)."""
        k = _enum(ItemKind, kind, "item kind")
        return int(self._call(lib.acct_result_item_count, k))

    def items(self, kind: ItemRef) -> List[Tuple[Optional[str], Optional[str]]]:
        """The items of ``kind`` as ``(name, value)`` pairs: their two main values (``acct_result_item``).

        What they are depends on the kind (:class:`~libacct.ItemKind`): a
        limit's name and value, an IP's address and type, a button's id and
        label, a protocol version and None ... A value the item lacks is None.
        """
        k = _enum(ItemKind, kind, "item kind")
        name, value = ctypes.c_char_p(), ctypes.c_char_p()
        out: List[Tuple[Optional[str], Optional[str]]] = []
        resp = self._resp
        with resp._h as p:
            r = resp._result(p, self._index)
            for i in range(int(lib.acct_result_item_count(r, k))):
                lib.acct_result_item(ctypes.byref(name), ctypes.byref(value), r, k, i)
                out.append((pystr(name.value), pystr(value.value)))
        return out

    def item_get(self, kind: ItemRef, index: int, element: str) -> Optional[str]:
        """Any child element of item ``index`` of ``kind``, by its element name (``acct_result_item_get``).

        For example ``"description"`` of a key_info, ``"login-time"`` of a
        session, ``"label"`` of a descriptor property. None when absent
        (or past the last item).
        """
        k = _enum(ItemKind, kind, "item kind")
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"index must be an int, not {type(index).__name__}")
        if index < 0:
            return None
        eb = cstr(element, "element")
        if eb is None:
            raise InvalidError("element is required")
        if index > _ffi.SIZE_MAX:
            return None
        return pystr(self._call(lib.acct_result_item_get, k, index, eb))

    def __repr__(self) -> str:
        try:
            op = self.op
            name = op.label if isinstance(op, Op) else str(op)
            if self.ok:
                return f"<Result {name} ok id={self.id}>"
            return f"<Result {name} error {self.errcode}: {self.errtext!r}>"
        except InvalidError:
            return "<Result of a closed Response>"
