"""Client transports: sending packets to an agent, in this process or over HTTPS (acct/transport.h).

A :class:`Transport` moves the bytes of one request packet, with the
credentials of one HTTP request, to a Plesk-compatible agent and returns the
reply's bytes; it never looks inside. Three kinds:

* :meth:`Transport.loopback` hands each packet to the agent of a
  :class:`~libacct.Context` in this process (``acct_transport_loopback_new``):
  every client path runs without a network;
* :meth:`Transport.https` POSTs it to a real server, Plesk or ``acctctl
  serve`` (``acct_transport_https_new``, libcurl): ``Content-Type: text/xml``,
  the ``HTTP_AUTH_LOGIN``/``HTTP_AUTH_PASSWD`` or ``KEY`` headers, the
  connection kept alive between requests, certificates checked;
* :meth:`Transport.custom` wraps a Python function as the C vtable of
  acct/sys/transport.h, for hosts that carry packets their own way.

:meth:`Transport.send` sends raw bytes and returns the reply's bytes;
:meth:`Transport.call` sends a :class:`~libacct.Request` and returns the
parsed :class:`~libacct.Response` (``acct_client_send``)::

    with Transport.https("https://panel.example:8443", ca_file="panel.crt") as t:
        resp = t.call(Request().add(Op.SERVER_GET_PROTOS), login="admin", password="...")

A reply that holds XML errors (a system error, a failed result) is a
success for the transport: read it from the :class:`~libacct.Response`.
Failing to get a reply at all raises :class:`~libacct.NetworkError`
(connection, TLS, timeout, an HTTP status other than 200).

How :meth:`Transport.custom` runs the Python function follows the rules of
the package's other callbacks (:mod:`libacct._callbacks`): one
``CFUNCTYPE`` trampoline per vtable method, created once at import and never
collected; the vtable's ``payload`` is a registry token that keeps the
function and the ``acct_transport`` struct alive until C calls the vtable's
``free``; an exception never unwinds through C: it is stashed and raised by
:meth:`Transport.send` or :meth:`Transport.call` once the C call has
returned.
"""

from __future__ import annotations

import ctypes
import math
import os
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Union

from . import _callbacks
from . import _ffi
from ._callbacks import REGISTRY, report
from ._ffi import lib, raw
from ._handle import Handle
from ._util import cstr
from .agent import Packet, _packet_bytes
from .enums import CredKind
from .errors import InvalidError
from .packet import Request, Response

__all__ = ["Transport", "Credentials"]

#: The largest C ``long`` (timeouts in milliseconds).
_LONG_MAX = 2 ** (8 * ctypes.sizeof(ctypes.c_long) - 1) - 1


@dataclass(frozen=True)
class Credentials:
    """The credentials of one request, as a custom transport's ``send`` function receives them.

    A copy of the ``acct_credentials`` libacct lends the transport for the
    call. The password and the secret key are left out of ``repr()``.

    :ivar kind: a :class:`~libacct.CredKind`: ``PASSWORD`` (``login`` and
        ``password``, Plesk's ``HTTP_AUTH_LOGIN`` / ``HTTP_AUTH_PASSWD``),
        ``KEY`` (``secret_key``, Plesk's ``KEY``), ``NONE``; ``SESSION`` only
        when a C caller passed a session (not carried over a wire)
    :ivar login: the login, or None
    :ivar password: the password, or None
    :ivar secret_key: the secret key, or None
    :ivar client_ip: the client's address, or None (an HTTP server takes it from the connection)
    """

    kind: Union[CredKind, int] = CredKind.NONE
    login: Optional[str] = None
    password: Optional[str] = field(default=None, repr=False)
    secret_key: Optional[str] = field(default=None, repr=False)
    client_ip: Optional[str] = None

    def headers(self) -> Dict[str, str]:
        """The HTTP headers a Plesk agent expects for these credentials (what the HTTPS transport sends).

        ``{"HTTP_AUTH_LOGIN": ..., "HTTP_AUTH_PASSWD": ...}``, ``{"KEY": ...}``,
        or ``{}`` when there are none.
        """
        if self.kind == CredKind.PASSWORD and self.login is not None and self.password is not None:
            return {"HTTP_AUTH_LOGIN": self.login, "HTTP_AUTH_PASSWD": self.password}
        if self.kind == CredKind.KEY and self.secret_key is not None:
            return {"KEY": self.secret_key}
        return {}

    @classmethod
    def _from_c(cls, cred: Any) -> "Credentials":
        """Copy a borrowed ``acct_credentials *`` (version 1 fields; NULL gives no credentials)."""
        if not cred:
            return cls()
        c = cred[0]
        kind = int(c.kind)
        try:
            k: Union[CredKind, int] = CredKind(kind)
        except ValueError:  # a kind a later libacct added
            k = kind
        return cls(kind=k, login=_text(c.login), password=_text(c.password), secret_key=_text(c.secret_key),
                   client_ip=_text(c.client_ip))


def _text(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode("utf-8", "replace")


def _credentials(login: Optional[str], password: Optional[str], secret_key: Optional[str],
                 client_ip: Optional[str]) -> "_ffi.acct_credentials":
    """An ``acct_credentials`` for one request; it keeps the encoded strings alive (ctypes does)."""
    if (login is None) != (password is None):
        raise InvalidError("login and password go together: give both or neither")
    if secret_key is not None and login is not None:
        raise InvalidError("give one kind of credentials, not secret_key and login and password")
    cred = _ffi.acct_credentials()
    lib.acct_credentials_init(ctypes.byref(cred), _ffi.ACCT_CREDENTIALS_VERSION)
    login_b, password_b = cstr(login, "login"), cstr(password, "password")
    key_b, ip_b = cstr(secret_key, "secret_key"), cstr(client_ip, "client_ip")
    cred.client_ip = ip_b
    if key_b is not None:
        cred.kind = _ffi.ACCT_CRED_KEY
        cred.secret_key = key_b
    elif login_b is not None:
        cred.kind = _ffi.ACCT_CRED_PASSWORD
        cred.login = login_b
        cred.password = password_b
    return cred


def _timeout_ms(value: Any, what: str) -> int:
    """Seconds (an int or a float, > 0) as whole milliseconds, rounded up; None is 0 (libacct's default)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise InvalidError(f"{what} must be a positive number of seconds (None for the default), not {value!r}")
    ms = math.ceil(value * 1000)
    if ms > _LONG_MAX:
        raise InvalidError(f"{what} {value!r} is out of range")
    return int(ms)


def _path(value: Any, what: str) -> bytes:
    """A file name for C: str, bytes or os.PathLike, without NUL."""
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"{what} must be a str, bytes or os.PathLike, not {type(value).__name__}")
    b = os.fsencode(value)
    if b"\0" in b:
        raise InvalidError(f"{what} must not contain a NUL character")
    return b


# ---------------------------------------------------------------------------
# Transports written in Python: the vtable trampolines
# ---------------------------------------------------------------------------

SendFunction = Callable[[bytes, Credentials], Union[bytes, bytearray, memoryview, str]]


class _Custom:
    """What a custom transport's ``payload`` stands for: the functions and the v1 struct C points at."""

    __slots__ = ("send", "close", "label", "struct", "token")

    def __init__(self, send: SendFunction, close: Optional[Callable[[], Any]]) -> None:
        self.send = send
        self.close = close
        self.label = getattr(send, "__qualname__", None) or type(send).__name__
        self.struct = _ffi.acct_transport()
        # The C initialiser sets the version (and NULLs), as ACCT_TRANSPORT_INIT would.
        lib.acct_transport_init(ctypes.byref(self.struct), _ffi.ACCT_TRANSPORT_VERSION)
        self.token = REGISTRY.add(self)
        self.struct.payload = self.token
        self.struct.send = _SEND
        self.struct.free = _FREE


def _reply_bytes(value: Any, label: str) -> bytes:
    """What a send function returned, as bytes: bytes-like as is, str as UTF-8; anything else is a TypeError."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"the transport's send function {label} must return the reply as bytes, not "
                    f"{type(value).__name__}")


@_ffi.transport_send_fn
def _SEND(t: Any, request: Optional[int], length: int, cred: Any, response: Any) -> int:
    """Trampoline for ``acct_transport.send``: call the Python function, hand its reply to C, never raise."""
    try:
        c = REGISTRY.get(t[0].payload)
    except BaseException as e:
        return report(e, "transport send()")
    # An exception stashed earlier on this thread belongs to an outer call: the
    # libacct calls the function may make must not consume it. Set it aside.
    outer = _callbacks.take()
    try:
        data = ctypes.string_at(request, length) if length else b""
        reply = _reply_bytes(c.send(data, Credentials._from_c(cred)), c.label)
        rc = int(raw.acct_buf_set(response, reply, len(reply)))
    except BaseException as e:
        # An AcctError raised on purpose (NetworkError("...")) passes its code
        # and message to C; anything else is stashed for the caller.
        rc = report(e, f"the transport's send function {c.label}")
    leftover = _callbacks.take()
    _callbacks.restore(outer)
    if leftover is not None:
        _callbacks.stash(leftover, f"the transport's send function {c.label}")
    return rc


@_ffi.transport_free_fn
def _FREE(t: Any) -> None:
    """Trampoline for ``acct_transport.free``: drop the references; call the ``close`` function if there is one."""
    try:
        c = REGISTRY.drop(t[0].payload)
    except BaseException:  # pragma: no cover - nothing C could be told
        return
    if c is None or c.close is None:
        return
    try:
        c.close()
    except BaseException as e:
        _callbacks.stash(e, f"the transport's close function ({c.label})", reraise=True)


def _free_custom(ptr: Any, custom: _Custom) -> None:
    """A custom transport's handle free function: ``acct_transport_free``, then raise what ``close`` raised."""
    outer = _callbacks.take()  # a finalizer may run in the middle of another call's callbacks
    try:
        lib.acct_transport_free(ptr)
    finally:
        inner = _callbacks.take()
        _callbacks.restore(outer)
    del custom  # kept alive (with its struct) until C is done with it
    if inner is not None:
        raise inner


# ---------------------------------------------------------------------------
# Transport
# ---------------------------------------------------------------------------


class Transport:
    """A client transport (``acct_transport``): request packets out, reply packets in.

    Make one with :meth:`loopback`, :meth:`https` or :meth:`custom`; send
    with :meth:`send` (bytes) or :meth:`call` (a :class:`~libacct.Request`,
    parsed into a :class:`~libacct.Response`).

    A Transport may be shared by threads: the built-in transports serialize
    their requests internally (the HTTPS one keeps one connection), and a
    custom transport's function is called on the thread that sends.
    :meth:`close` waits for sends in progress on other threads; a transport
    used after it raises :class:`~libacct.InvalidError`. A loopback transport
    is also closed when its context is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use Transport.loopback(), Transport.https() or Transport.custom()")

    @classmethod
    def _wrap(cls, h: Handle, kind: str, url: Optional[str] = None, context: Any = None,
              custom: Optional[_Custom] = None) -> "Transport":
        self = cls.__new__(cls)
        self._h = h
        self._kind = kind
        self._url = url
        self._context = context  # a loopback transport keeps its context object alive
        self._custom = custom
        self._finalizer = weakref.finalize(self, h.finalize)
        return self

    # -- construction --------------------------------------------------------

    @classmethod
    def loopback(cls, context: Any) -> "Transport":
        """A transport that hands each packet to ``context``'s agent, in this process (``acct_transport_loopback_new``).

        The same as :meth:`Context.agent_handle <libacct.Context.agent_handle>`,
        through the client path: what works here works against a server.
        The transport belongs to the context: closing the context closes it.

        :param context: a :class:`~libacct.Context`
        :raises InvalidError: the context is closed
        """
        from .context import Context  # late: context imports agent, which this module imports

        if not isinstance(context, Context):
            raise TypeError(f"context must be a libacct.Context, not {type(context).__name__}")
        out = ctypes.POINTER(_ffi.acct_transport)()
        with context._h as cp:
            lib.acct_transport_loopback_new(ctypes.byref(out), cp)
            try:
                h = Handle(out, lib.acct_transport_free, "Transport", parent=context._h)
            except BaseException:
                lib.acct_transport_free(out)
                raise
        return cls._wrap(h, "loopback", context=context)

    @classmethod
    def https(cls, url: str, *, ca_file: Union[str, bytes, "os.PathLike[Any]", None] = None, insecure: bool = False,
              connect_timeout: Optional[float] = None, timeout: Optional[float] = None) -> "Transport":
        """A transport that POSTs each packet to a Plesk-compatible agent over HTTPS (``acct_transport_https_new``).

        Nothing is sent until the first request: a server that cannot be
        reached is reported by :meth:`send` or :meth:`call`.

        :param url: ``"https://host:8443"`` (the path defaults to
            ``/enterprise/control/agent.php``) or a full URL; ``http://`` works too
        :param ca_file: a PEM file of CA certificates to verify the server
            with (a self-signed server's own certificate will do); None: the system's
        :param insecure: turn certificate and host name verification off
            (self-signed test servers only)
        :param connect_timeout: seconds to wait for the connection (None: 10)
        :param timeout: seconds for a whole request (None: 60)
        :raises InvalidError: no URL, or not an ``https://`` or ``http://`` one;
            a timeout that is not a positive number
        :raises NotSupportedError: libacct was built without libcurl
        """
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        opts = _ffi.acct_https_options()
        lib.acct_https_options_init(ctypes.byref(opts), _ffi.ACCT_HTTPS_OPTIONS_VERSION)
        url_b = cstr(url, "url")
        ca_b = None if ca_file is None else _path(ca_file, "ca_file")
        opts.url = url_b
        opts.ca_file = ca_b
        opts.insecure = 1 if insecure else 0
        opts.connect_timeout_ms = _timeout_ms(connect_timeout, "connect_timeout")
        opts.timeout_ms = _timeout_ms(timeout, "timeout")
        out = ctypes.POINTER(_ffi.acct_transport)()
        lib.acct_transport_https_new(ctypes.byref(out), ctypes.byref(opts))  # copies the strings
        return cls._wrap(Handle(out, lib.acct_transport_free, "Transport"), "https", url=url)

    @classmethod
    def custom(cls, send: SendFunction, *, close: Optional[Callable[[], Any]] = None) -> "Transport":
        """A transport written in Python: ``send(request, credentials) -> reply`` (acct/sys/transport.h).

        ``send`` receives the request packet as :class:`bytes` and a
        :class:`Credentials`, and returns the reply packet (bytes, or str sent
        as UTF-8). It carries the bytes any way it likes; libacct does all the
        XML. It runs on the thread that sends, with no libacct lock held, so
        it may call libacct (``ctx.agent_handle(...)``); it must be
        thread-safe if the transport is shared.

        An exception raised by ``send`` does not reach C: the :meth:`send` or
        :meth:`call` that led to it raises it once the C call has returned.
        An :class:`~libacct.AcctError` raised on purpose (e.g.
        ``NetworkError("connection refused")``) is passed to libacct as its
        own code and message instead, so the caller gets that error as a C
        host would.

        :param close: called once, with no arguments, when the transport is
            closed (or collected); what it raises propagates from :meth:`close`
        """
        if not callable(send):
            raise TypeError(f"send must be callable, not {type(send).__name__}")
        if close is not None and not callable(close):
            raise TypeError(f"close must be callable, not {type(close).__name__}")
        custom = _Custom(send, close)
        ptr = ctypes.pointer(custom.struct)

        def free(p: Any, custom: _Custom = custom) -> None:
            """The handle's free function: ``acct_transport_free`` runs the vtable's ``free``."""
            _free_custom(p, custom)

        return cls._wrap(Handle(ptr, free, "Transport"), "custom", custom=custom)

    # -- properties ----------------------------------------------------------

    @property
    def kind(self) -> str:
        """``"loopback"``, ``"https"`` or ``"custom"``."""
        return self._kind

    @property
    def url(self) -> Optional[str]:
        """The URL an HTTPS transport was made with (None for the others)."""
        return self._url

    @property
    def context(self) -> Any:
        """The :class:`~libacct.Context` of a loopback transport (None for the others)."""
        return self._context

    # -- sending -------------------------------------------------------------

    def send(self, request: Packet, *, login: Optional[str] = None, password: Optional[str] = None,
             secret_key: Optional[str] = None, client_ip: Optional[str] = None) -> bytes:
        """Send one request packet and return the reply packet's bytes (``acct_transport_send``).

        The credentials are those of one HTTP request: ``login`` and
        ``password`` (``HTTP_AUTH_LOGIN`` / ``HTTP_AUTH_PASSWD``), or
        ``secret_key`` (``KEY``), or none (a Plesk agent answers 1029).
        ``client_ip`` goes with any of them to a loopback or custom transport
        (the loopback agent needs it with a secret key); over HTTPS the
        server sees the connection's address instead.

        The reply may hold XML errors: that is a success for the transport.

        :param request: the packet: bytes, str (sent as UTF-8) or a :class:`~libacct.Request` (encoded)
        :raises NetworkError: no reply (connection, TLS, timeout, an HTTP status other than 200)
        :raises InvalidError: the transport is closed; credentials of two kinds,
            a login without a password, a NUL or a line break in a credential
        """
        data = _packet_bytes(request)
        cred = _credentials(login, password, secret_key, client_ip)
        buf = _ffi.acct_buf()
        try:
            with self._h as tp:
                lib.acct_transport_send(tp, data, len(data), ctypes.byref(cred), ctypes.byref(buf))
            return _ffi.buf_bytes(buf)
        finally:
            _ffi.buf_wipe_dispose(buf)  # a reply may hold a new secret key

    def call(self, request: Packet, *, login: Optional[str] = None, password: Optional[str] = None,
             secret_key: Optional[str] = None, client_ip: Optional[str] = None) -> Response:
        """Send a request and parse the reply (``acct_client_send``): a :class:`~libacct.Response`.

        Check :attr:`Response.system_error <libacct.Response.system_error>`
        (authentication, version, a bad packet), then each result's ``ok``.
        A :class:`~libacct.Request` is encoded by libacct (and the encoded
        packet, which may hold passwords, wiped afterwards); bytes or str are
        sent as they are. Credentials as :meth:`send`.

        :raises NetworkError: no reply; :raises ParseError: the reply is not a reply packet
        :raises InvalidError: the request misses what its operations require;
            the transport or the request is closed; bad credentials
        """
        if not isinstance(request, Request):
            return Response.parse(self.send(request, login=login, password=password, secret_key=secret_key,
                                            client_ip=client_ip))
        cred = _credentials(login, password, secret_key, client_ip)
        out = ctypes.POINTER(_ffi.acct_response)()
        with self._h as tp, request._h as rp:
            try:
                lib.acct_client_send(ctypes.byref(out), tp, ctypes.byref(cred), rp)
            except BaseException:
                if out:  # a reply arrived, then something raised (an audit hook of a loopback context)
                    lib.acct_response_free(out)
                raise
        return Response._wrap(out)

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Free the transport (``acct_transport_free``): the HTTPS one closes its connection.

        Waits for sends in progress on other threads. Idempotent. What a
        custom transport's ``close`` function raises propagates from here.
        """
        self._h.close()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has started (or, for a loopback transport, its context was closed)."""
        return self._h.closed

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h.closed:
            return f"<Transport {self._kind} closed>"
        if self._kind == "https":
            return f"<Transport https {self._url}>"
        if self._kind == "custom" and self._custom is not None:
            return f"<Transport custom {self._custom.label}>"
        return f"<Transport {self._kind}>"
