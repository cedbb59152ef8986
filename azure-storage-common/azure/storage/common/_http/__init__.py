"""Transport-neutral request and response objects.

Request builders fill an :class:`HTTPRequest`; parsers read an :class:`HTTPResponse`.
Neither knows about aiohttp: only :mod:`.httpclient` does.
"""
from __future__ import annotations

from typing import Any, Optional, Union


class TransportError(Exception):
    """A request that got no response: its connection failed, broke or timed out.

    The transport raises these instead of its HTTP library's own errors, with any SAS
    signature of the URL redacted from the message and nothing else chained.
    """


class ConnectError(TransportError):
    """The connection could not be made (refused, unreachable, or the connect timeout)."""


class SendTimeoutError(TransportError):
    """The peer took no more of the request body for the read timeout of ``socket_timeout``."""


class ReadTimeoutError(TransportError):
    """No byte of the response arrived for the read timeout of ``socket_timeout``."""


class ConnectionBrokenError(TransportError):
    """The connection was reset or closed before the whole response arrived."""


class HTTPError(Exception):
    """
    Represents an HTTP Exception when response status code >= 300.

    :ivar int status: the status code of the response
    :ivar str message: the reason phrase
    :ivar dict respheader: the returned headers (lower-case names)
    :ivar bytes respbody: the body of the response
    """

    status: int
    respheader: dict[str, str]
    respbody: Union[bytes, bytearray, None]

    def __init__(self, status: int, message: Optional[str], respheader: dict[str, str],
                 respbody: Union[bytes, bytearray, None]) -> None:
        self.status = status
        self.respheader = respheader
        self.respbody = respbody
        super().__init__(message)


class HTTPResponse:
    """
    A response, read whole.

    :ivar int status: the status code of the response
    :ivar str message: the reason phrase
    :ivar dict headers: the returned headers, names in lower case
    :ivar bytes body: the body of the response; a ``bytearray`` when it is large (over
        1 MiB), which the transport reads into one buffer rather than holding it twice
    """

    __slots__ = ('status', 'message', 'headers', 'body')

    status: int
    message: Optional[str]
    headers: dict[str, str]
    body: Union[bytes, bytearray]

    def __init__(self, status: int, message: Optional[str], headers: dict[str, str],
                 body: Union[bytes, bytearray]) -> None:
        self.status = status
        self.message = message
        self.headers = headers
        self.body = body


class HTTPRequest:
    """
    A request as the service methods build it.

    :ivar str host: the host (and port) to send to; set from ``host_locations`` when sent
    :ivar dict host_locations: location mode -> host, the hosts this request may go to
    :ivar str method: GET, PUT, POST, DELETE, HEAD or MERGE
    :ivar str path: the URL path, already percent-encoded exactly as it is signed and sent
    :ivar dict query: query parameters, unencoded; ``None`` values are left out
    :ivar dict headers: header values; ``None`` values are left out
    :ivar body: ``bytes``, a readable file object, an async iterable of ``bytes``, or ``None``
    """

    __slots__ = ('host', 'host_locations', 'method', 'path', 'query', 'headers', 'body')

    host: str
    host_locations: dict[str, str]
    method: str
    path: str
    query: dict[str, Any]
    headers: dict[str, Any]
    body: Any

    def __init__(self, method: str = '', path: str = '', query: Optional[dict[str, Any]] = None,
                 headers: Optional[dict[str, Any]] = None, body: Any = None,
                 host_locations: Optional[dict[str, str]] = None) -> None:
        self.host = ''
        self.host_locations = host_locations or {}
        self.method = method
        self.path = path
        self.query = query if query is not None else {}
        self.headers = headers if headers is not None else {}
        self.body = body
