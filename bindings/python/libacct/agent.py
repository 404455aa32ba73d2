"""The Plesk XML API agent: a request packet in, a reply packet out (acct/agent.h).

The methods are :class:`~libacct.Context`'s (defined in :class:`AgentMethods`,
which Context inherits): :meth:`~AgentMethods.agent_handle` answers one
packet, :meth:`~AgentMethods.agent_call` also builds and parses it, and
:meth:`~AgentMethods.agent_configure` sets the agent's limits.
:func:`agent_protocol_version` is the newest protocol version libacct speaks.

The agent authenticates, decodes the packet, runs every operation through
the same engine calls as the rest of the API, in document order, and encodes
the reply in schema order. Every refusal comes from the policy, with its
message as errtext. A failure of authentication or of the packet itself
(a *system* error) is a reply too, not an exception: the agent always answers.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _ffi
from ._ffi import lib, raw
from ._util import as_c_uint, as_size_t, cstr
from .errors import InvalidError
from .packet import Request, Response
from .session import Session

if TYPE_CHECKING:  # pragma: no cover
    from ._handle import Handle

__all__ = ["AgentMethods", "agent_protocol_version"]

Packet = Union[bytes, bytearray, memoryview, str, Request]


def agent_protocol_version() -> str:
    """The newest protocol version libacct speaks, e.g. ``"1.6.9.1"`` (``acct_agent_protocol_version``)."""
    return (raw.acct_agent_protocol_version() or b"").decode("ascii", "replace")


def _packet_bytes(request: Any) -> bytes:
    """The bytes of a request: a :class:`Request` encoded, bytes-like as is, str as UTF-8."""
    if isinstance(request, Request):
        return request.encode()
    if isinstance(request, str):
        return request.encode("utf-8")
    if isinstance(request, (bytes, bytearray, memoryview)):
        return bytes(request)
    raise TypeError(f"request must be bytes, str or a libacct.Request, not {type(request).__name__}")


class AgentMethods:
    """The acct/agent.h methods of :class:`~libacct.Context`."""

    _h: "Handle"

    def agent_handle(self, request: Packet, *, login: Optional[str] = None, password: Optional[str] = None,
                     secret_key: Optional[str] = None, client_ip: Optional[str] = None,
                     session: Optional[Session] = None) -> bytes:
        """Answer one request packet as the Plesk agent would (``acct_agent_handle``); returns the reply packet.

        The credentials are those of one HTTP request, given as one of:

        * ``login`` and ``password`` (``HTTP_AUTH_LOGIN`` / ``HTTP_AUTH_PASSWD``);
        * ``secret_key`` and ``client_ip`` (``KEY``, from that address);
        * ``session``: a :class:`~libacct.Session` of this context the host
          already trusts (borrowed for the call);
        * none: the reply is system error 1029.

        ``client_ip`` may accompany the others too: ``server create_session``
        records it.

        Check-up failures replace the whole reply with a system error
        (:attr:`Response.system_error <libacct.Response.system_error>`):
        1029 no credentials, 1001 wrong login or password, 1012 locked login,
        1011 disabled account, 11003 a bad secret key or client address, 1006
        no ``remote_access_interface`` permission, 1005 an unsupported
        version, 1014 a packet that is too large, not well-formed, has a DTD
        or breaks the schema. Otherwise every operation gets its own results;
        one failing operation does not stop the next.

        :param request: the packet: bytes, str (sent as UTF-8) or a :class:`~libacct.Request`
        :raises InvalidError: credentials of two kinds, a session of another
            context, a closed context or session, a NUL in a credential
        """
        data = _packet_bytes(request)
        cred = _ffi.acct_credentials()
        lib.acct_credentials_init(ctypes.byref(cred), _ffi.ACCT_CREDENTIALS_VERSION)
        given = [name for name, v in (("session", session), ("secret_key", secret_key)) if v is not None]
        if login is not None or password is not None:
            given.append("login and password")
        if len(given) > 1:
            raise InvalidError(f"give one kind of credentials, not {' and '.join(given)}")
        # The bytes objects stay referenced here (and by the struct) for the whole call.
        login_b, password_b = cstr(login, "login"), cstr(password, "password")
        key_b, ip_b = cstr(secret_key, "secret_key"), cstr(client_ip, "client_ip")
        cred.client_ip = ip_b
        if session is not None:
            if not isinstance(session, Session):
                raise TypeError(f"session must be a libacct.Session, not {type(session).__name__}")
            if session.context is not self:
                raise InvalidError("the session belongs to another context")
            cred.kind = _ffi.ACCT_CRED_SESSION
        elif key_b is not None:
            cred.kind = _ffi.ACCT_CRED_KEY
            cred.secret_key = key_b
        elif login_b is not None or password_b is not None:
            cred.kind = _ffi.ACCT_CRED_PASSWORD  # one of the two missing: the agent answers 1029
            cred.login = login_b
            cred.password = password_b
        buf = _ffi.acct_buf()
        try:
            with self._h as cp:
                if session is not None:
                    with session._h as sp:
                        cred.session = sp
                        try:
                            lib.acct_agent_handle(cp, ctypes.byref(cred), data, len(data), ctypes.byref(buf))
                        finally:
                            cred.session = ctypes.POINTER(_ffi.acct_session)()
                else:
                    lib.acct_agent_handle(cp, ctypes.byref(cred), data, len(data), ctypes.byref(buf))
            return _ffi.buf_bytes(buf)
        finally:
            _ffi.buf_wipe_dispose(buf)  # a reply may hold a new secret key

    def agent_call(self, request: Packet, *, login: Optional[str] = None, password: Optional[str] = None,
                   secret_key: Optional[str] = None, client_ip: Optional[str] = None,
                   session: Optional[Session] = None) -> Response:
        """:meth:`agent_handle`, with the reply parsed: a :class:`~libacct.Response`.

        The loopback of a client: build a :class:`~libacct.Request`, answer it
        here, read the results. Arguments as :meth:`agent_handle`.
        """
        return Response.parse(self.agent_handle(request, login=login, password=password, secret_key=secret_key,
                                                 client_ip=client_ip, session=session))

    def agent_configure(self, *, max_packet_bytes: Optional[int] = None, max_depth: Optional[int] = None,
                        max_elements: Optional[int] = None, max_operations: Optional[int] = None,
                        max_text_bytes: Optional[int] = None, server_name: Optional[str] = None,
                        pretty: bool = False) -> None:
        """Set the agent's limits and settings on this context (``acct_agent_configure``).

        Every call sets all of them: an option not given (None or 0) is
        libacct's default again. Packets already being answered on other
        threads keep the options they started with.

        :param max_packet_bytes: larger packets get 1014 unread (default 1 MiB)
        :param max_depth: element nesting (default 32; at most 256)
        :param max_elements: elements per packet (default 20,000)
        :param max_operations: operation elements per packet (default 500)
        :param max_text_bytes: bytes of one element's text (default 65,536)
        :param server_name: ``server get`` gen_info's server name (None: the host name)
        :param pretty: indent replies (as ``HTTP_PRETTY_PRINT`` asks); False gives compact ones
        :raises InvalidError: ``max_depth`` above 256, a ``server_name`` too long
        """
        opts = _ffi.acct_agent_options()
        lib.acct_agent_options_init(ctypes.byref(opts), _ffi.ACCT_AGENT_OPTIONS_VERSION)
        for name, value in (("max_packet_bytes", max_packet_bytes), ("max_elements", max_elements),
                            ("max_text_bytes", max_text_bytes)):
            if value is not None:
                setattr(opts, name, as_size_t(value, name))
        for name, value in (("max_depth", max_depth), ("max_operations", max_operations)):
            if value is not None:
                setattr(opts, name, as_c_uint(value, name))
        name_b = cstr(server_name, "server_name")
        opts.server_name = name_b
        opts.pretty = 1 if pretty else 0
        with self._h as cp:
            lib.acct_agent_configure(cp, ctypes.byref(opts))
