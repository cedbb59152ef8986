"""The transport: the only module of the port that imports aiohttp.

One ``aiohttp.ClientSession`` per service, created lazily inside the running loop on first
use, reused for every request of that service and closed by ``await service.close()``. A
caller may hand in a session of their own (``request_session``); then the caller closes it.
"""
from __future__ import annotations

import asyncio
import base64
import inspect
import logging
import warnings
from io import UnsupportedOperation
from typing import IO, Any, Mapping, Optional, Union
from urllib.parse import quote

import aiohttp
from yarl import URL

from . import HTTPRequest, HTTPResponse
from .._constants import DEFAULT_SOCKET_TIMEOUT

logger = logging.getLogger(__name__)

# aiohttp would add these on its own. Content-Type and the others it picks are not what was
# signed, and Accept-Encoding would make the service compress: never let it add them.
_SKIP_AUTO_HEADERS = frozenset(('Content-Type', 'Accept', 'Accept-Encoding', 'User-Agent'))

# Per-request auto_decompress exists from aiohttp 3.10; on older versions our own sessions are
# created without decompression and a caller's session is used as the caller configured it.
_PER_REQUEST_DECOMPRESS = 'auto_decompress' in inspect.signature(aiohttp.ClientSession._request).parameters

# aiohttp's threshold for its large-bytes-body warning.
_LARGE_BODY = 1024 * 1024

#: The legacy socket_timeout: seconds for both connect and read, or a (connect, read) pair.
SocketTimeout = Union[float, tuple[float, float]]


def _client_timeout(timeout: Optional[SocketTimeout]) -> aiohttp.ClientTimeout:
    """Legacy socket_timeout (a number, or a (connect, read) pair) as socket-level timeouts.

    Never a total timeout: that would cap a whole multi-gigabyte transfer.
    """
    if timeout is None:
        timeout = DEFAULT_SOCKET_TIMEOUT
    if isinstance(timeout, (tuple, list)):
        connect, read = timeout
    else:
        connect = read = timeout
    return aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)


def _read_stream(stream: IO[bytes], length: Optional[int]) -> bytes:
    """``length`` bytes of a synchronous file object from its position (all the rest if None)."""
    if length is None:
        return stream.read()
    pieces = []
    remaining = length
    while remaining > 0:
        piece = stream.read(remaining)
        if not piece:
            break
        pieces.append(piece)
        remaining -= len(piece)
    return b''.join(pieces)


async def _stream_body(stream: IO[bytes], length: Optional[int]) -> bytes:
    """A file object's part of the request as bytes, read off the loop when it is a real file."""
    if not _has_fileno(stream):
        return _read_stream(stream, length)
    reading = asyncio.get_running_loop().run_in_executor(None, _read_stream, stream, length)
    try:
        return await asyncio.shield(reading)
    except asyncio.CancelledError:
        # The read goes on in its thread and moves the file's position: let it end before the
        # cancellation goes on, so a caller (or a retry) never sees the file move under it.
        await asyncio.wait([reading])
        raise


def _bytes_payload(body: bytes) -> aiohttp.payload.BytesPayload:
    """A bytes body as aiohttp's payload, sent whole.

    aiohttp warns that a large bytes body "might lock the event loop": that holds when it
    compresses the body, which it never does here (the transport asks for no compression).
    """
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ResourceWarning)
        return aiohttp.payload.BytesPayload(body)


def _has_fileno(stream: Any) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, UnsupportedOperation):
        return False
    return True


async def _read_body(response: aiohttp.ClientResponse, method: str) -> Union[bytes, bytearray]:
    """The response body; a large one is read into a single buffer of its announced size.

    aiohttp's ``read()`` keeps the pieces it receives and joins them at the end, so a large
    body (the first 32 MiB range of a download) would be held twice at the peak.
    """
    length = response.content_length
    if length is None or length <= _LARGE_BODY or method == 'HEAD':
        return await response.read()
    buffer = bytearray(length)
    with memoryview(buffer) as view:
        position = 0
        async for piece in response.content.iter_any():
            end = position + len(piece)
            if end > length:
                raise aiohttp.ClientPayloadError('Response body is longer than its Content-Length')
            view[position:end] = piece
            position = end
    if position != length:
        raise aiohttp.ClientPayloadError(
            'Response body ended after {} of {} bytes'.format(position, length))
    return buffer


def _response_headers(raw_headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case header names, except metadata names, whose case is the user's."""
    headers = {}
    for name, value in raw_headers.items():
        lowered = name.lower()
        headers[name if lowered.startswith('x-ms-meta-') else lowered] = value
    return headers


def _encode_query(query: Mapping[str, str]) -> str:
    return '&'.join('{}={}'.format(quote(name, safe=''), quote(value, safe=''))
                    for name, value in query.items())


class _HTTPClient:
    """Sends an :class:`HTTPRequest` over aiohttp and returns an :class:`HTTPResponse`."""

    protocol: str
    proxy: Optional[str]
    proxy_headers: Optional[dict[str, str]]
    _session: Optional[aiohttp.ClientSession]
    _own_session: bool
    _session_loop: Optional[asyncio.AbstractEventLoop]
    _retired_sessions: list[aiohttp.ClientSession]
    _timeout: Optional[SocketTimeout]
    _client_timeout: aiohttp.ClientTimeout

    def __init__(self, protocol: str, session: Optional[aiohttp.ClientSession] = None,
                 timeout: Optional[SocketTimeout] = None) -> None:
        self.protocol = protocol
        self._session = session
        self._own_session = session is None
        self._session_loop = None
        self._retired_sessions = []
        self.timeout = timeout
        self.proxy = None
        self.proxy_headers = None

    @property
    def timeout(self) -> Optional[SocketTimeout]:
        return self._timeout

    @timeout.setter
    def timeout(self, value: Optional[SocketTimeout]) -> None:
        self._timeout = value
        self._client_timeout = _client_timeout(value)

    @property
    def session(self) -> Optional[aiohttp.ClientSession]:
        """The aiohttp session: the caller's, or ours once the first request created it."""
        return self._session

    @session.setter
    def session(self, value: Optional[aiohttp.ClientSession]) -> None:
        if self._own_session and self._session is not None and not self._session.closed:
            # Replaced, but still ours to close: close() does it.
            self._retired_sessions.append(self._session)
        self._session = value
        self._own_session = value is None
        self._session_loop = None

    def set_proxy(self, host: str, port: int, user: Optional[str] = None, password: Optional[str] = None) -> None:
        """Send requests through the proxy at host:port, with basic auth if user and password are given."""
        self.proxy = 'http://{}:{}'.format(host, port)
        self.proxy_headers = None
        if user and password:
            # The header itself: aiohttp.BasicAuth is deprecated (3.14) and goes away in 4.0.
            credentials = base64.b64encode('{}:{}'.format(user, password).encode('utf-8')).decode('ascii')
            self.proxy_headers = {'Proxy-Authorization': 'Basic ' + credentials}

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._own_session and (self._session is None or self._session.closed or self._session_loop is not loop):
            # A session belongs to the loop it was made in; a service reused under a new
            # asyncio.run gets a new one (the old loop, and its connections, are gone).
            self._session = aiohttp.ClientSession(
                auto_decompress=False,
                skip_auto_headers=_SKIP_AUTO_HEADERS,
                trust_env=False,
            )
            self._session_loop = loop
        return self._session  # type: ignore[return-value]  # only our own session is ever None

    async def close(self) -> None:
        """Close the sessions this client created; a caller's own session is left open."""
        retired, self._retired_sessions = self._retired_sessions, []
        if self._own_session and self._session is not None:
            retired.append(self._session)
            self._session = None
        for session in retired:
            if not session.closed:
                await session.close()

    async def perform_request(self, request: HTTPRequest) -> HTTPResponse:
        """
        Send a request and read its response whole.

        :param HTTPRequest request: the request, signed; its path is already encoded.
        :return: the response (any status; the caller maps errors).
        :rtype: HTTPResponse
        """
        session = self._get_session()
        url = '{}://{}{}'.format(self.protocol.lower(), request.host, request.path)
        if request.query:
            url += '?' + _encode_query(request.query)
        # Request bodies go out as bytes: aiohttp before 3.14 does not notice a connection reset
        # while it streams a body from an iterable or file, and the request then waits for the
        # read timeout (2000 s by default) instead of failing at once and being retried.
        # Chunked uploads keep what is in memory bounded by sending chunk-sized requests.
        body = request.body
        if body is not None and not isinstance(body, bytes) and hasattr(body, 'read'):
            length = request.headers.get('Content-Length')
            body = await _stream_body(body, int(length) if length is not None else None)
        if isinstance(body, bytes) and len(body) > _LARGE_BODY:
            body = _bytes_payload(body)
        headers = request.headers
        if self.proxy_headers and self.protocol.lower() == 'http':
            # aiohttp gives proxy_headers to the proxy only in the CONNECT of an https tunnel;
            # a plain http request is itself what the proxy reads.
            headers = dict(headers, **self.proxy_headers)
        kwargs: dict[str, Any] = {}
        if not self._own_session:
            # Our own session has these settings already; a caller's gets them per request.
            kwargs['skip_auto_headers'] = _SKIP_AUTO_HEADERS
            if _PER_REQUEST_DECOMPRESS:
                kwargs['auto_decompress'] = False
        async with session.request(
                request.method,
                URL(url, encoded=True),
                headers=headers,
                data=body if body != b'' else None,
                timeout=self._client_timeout,
                proxy=self.proxy,
                proxy_headers=self.proxy_headers,
                allow_redirects=False,
                # A caller's session may raise for statuses: ours map them to the legacy errors.
                raise_for_status=False,
                **kwargs) as response:
            content = await _read_body(response, request.method)
            return HTTPResponse(response.status, response.reason, _response_headers(response.headers), content)
