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
import re
import warnings
from typing import IO, Any, AsyncGenerator, Mapping, Optional, Union
from urllib.parse import quote
from urllib.request import getproxies_environment, proxy_bypass_environment  # type: ignore[attr-defined]

import aiohttp
from yarl import URL

from . import ConnectError, ConnectionBrokenError, HTTPRequest, HTTPResponse, ReadTimeoutError, SendTimeoutError
from .._constants import DEFAULT_CONNECTION_POOL_SIZE, DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_SOCKET_TIMEOUT
from .._error import _scrub_sas_signatures
from .._threads import _in_thread, _is_file_backed

logger = logging.getLogger(__name__)

# aiohttp would add these on its own. Content-Type and the others it picks are not what was
# signed, and Accept-Encoding would make the service compress: never let it add them.
_SKIP_AUTO_HEADERS = frozenset(('Content-Type', 'Accept', 'Accept-Encoding', 'User-Agent'))

# Per-request auto_decompress exists from aiohttp 3.10; on older versions our own sessions are
# created without decompression and a caller's session is used as the caller configured it.
_PER_REQUEST_DECOMPRESS = 'auto_decompress' in inspect.signature(aiohttp.ClientSession._request).parameters

# aiohttp's threshold for its large-bytes-body warning.
_LARGE_BODY = 1024 * 1024

# asyncio's write buffer high-water mark: a smaller body is handed to the socket whole and
# never waits for the peer to read; a larger one may, and is watched while it is sent.
_WATCHED_BODY = 64 * 1024

# Connect timeouts are ConnectionTimeoutError from aiohttp 3.10; before, ServerTimeoutError
# covered both, and a connect timeout is reported as a read timeout.
_CONNECT_TIMEOUT = getattr(aiohttp, 'ConnectionTimeoutError', ())

#: The legacy socket_timeout: seconds for both connect and read, or a (connect, read) pair.
SocketTimeout = Union[float, tuple[float, float]]


def _connect_and_read_timeouts(timeout: Optional[SocketTimeout]) -> tuple[float, float]:
    """Legacy socket_timeout (a number, or a (connect, read) pair) as ``(connect, read)``."""
    if timeout is None:
        timeout = DEFAULT_SOCKET_TIMEOUT
    if isinstance(timeout, (tuple, list)):
        connect, read = timeout
        return connect, read
    return timeout, timeout


def _client_timeout(connect, read):
    """Socket-level timeouts; never a total timeout, which would cap a multi-gigabyte transfer."""
    return aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)


def _transport_error(ex, body):
    """aiohttp's failure as one of the transport's own errors, its message free of SAS signatures.

    aiohttp's messages quote the whole URL, query included: the original is not chained.
    """
    if isinstance(body, _WatchedBody) and body.stalled:
        return SendTimeoutError('The peer stopped reading the request body: no progress for {} s'
                                .format(body.timeout))
    message = '{}: {}'.format(type(ex).__name__, _scrub_sas_signatures(str(ex))) if str(ex) else type(ex).__name__
    if isinstance(ex, _CONNECT_TIMEOUT) or isinstance(ex, aiohttp.ClientConnectorError):
        return ConnectError(message)
    if isinstance(ex, asyncio.TimeoutError):
        return ReadTimeoutError(message)
    return ConnectionBrokenError(message)


def _proxy_from_environment(protocol, host):
    """The proxy HTTP(S)_PROXY names for ``host``, unless NO_PROXY exempts it (as requests did)."""
    proxies = getproxies_environment()
    proxy = proxies.get(protocol)
    if not proxy or proxy_bypass_environment(host.partition('/')[0], proxies):
        return None
    return proxy


def _no_resend(session):
    """Turn off aiohttp's own resend of an idempotent request after a broken connection.

    The retry policy decides on every attempt (an append, a lost answer): nothing else may
    send a request again. aiohttp 3.9 never resends; 3.11 and later honour this switch.
    """
    if hasattr(session, '_retry_connection'):
        session._retry_connection = False


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
    if not _is_file_backed(stream):
        return _read_stream(stream, length)
    # The read moves the file's position: a cancellation waits for it to end, so a caller
    # (or a retry) never sees the file move under it.
    return await _in_thread(_read_stream, stream, length)


async def _closed_with_its_loop(session):
    """Closes ``session`` when its event loop shuts down, if nothing closed it before.

    The loop finalises its async generators as it shuts down (``asyncio.run`` does): a
    service used under one ``asyncio.run`` and then another leaves nothing open behind.
    """
    try:
        yield
    finally:
        if not session.closed:
            await session.close()


class _SendWatch:
    """Calls ``on_stall`` when a transport's unsent data stops shrinking for ``timeout`` seconds."""

    def __init__(self, transport, timeout, on_stall):
        self._loop = asyncio.get_running_loop()
        self._transport = transport
        self._timeout = timeout
        self._on_stall = on_stall
        self._unsent = None
        self._handle = self._loop.call_later(timeout, self._check)

    def _check(self):
        unsent = self._transport.get_write_buffer_size()
        if unsent and unsent == self._unsent:
            self._on_stall()
            return
        self._unsent = unsent
        self._handle = self._loop.call_later(self._timeout, self._check)

    def cancel(self):
        self._handle.cancel()


class _WatchedBody(aiohttp.payload.BytesPayload):
    """A bytes body that fails its request when the peer stops reading it: the send timeout
    the legacy SDK's socket timeout gave, which aiohttp's timeouts (connect, read) do not.

    aiohttp warns that a large bytes body "might lock the event loop": that holds when it
    compresses the body, which it never does here (the transport asks for no compression).
    """

    def __init__(self, value, timeout):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ResourceWarning)
            super().__init__(value)
        self.timeout = timeout
        self.stalled = False
        self._transport = None

    # aiohttp 3.12 and later call write_with_length; earlier versions call write.
    async def write(self, writer):
        await self._watched(writer, super().write)

    async def write_with_length(self, writer, content_length):
        await self._watched(writer, super().write_with_length, content_length)

    async def _watched(self, writer, write, *args):
        self._transport = writer.transport
        watch = _SendWatch(self._transport, self.timeout, self._stall) if self.timeout and self._transport else None
        try:
            await write(writer, *args)
        finally:
            if watch is not None:
                watch.cancel()

    def _stall(self):
        self.stalled = True
        self._transport.abort()

    def abort_unsent(self):
        """Abort the connection if part of the body is still unsent.

        Closing it instead would keep the socket open until the peer read that part, which
        a peer that stopped reading never does.
        """
        if self._transport is not None and self._transport.get_write_buffer_size():
            self._transport.abort()


async def _read_large_body(response: aiohttp.ClientResponse, length: int) -> bytearray:
    """A large response body (over ``_LARGE_BODY``), read into a single buffer of its announced size.

    aiohttp's ``read()`` keeps the pieces it receives and joins them at the end, so a large
    body (the first 32 MiB range of a download) would be held twice at the peak.
    """
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


# Response header names seen before and their key in HTTPResponse.headers: responses repeat
# the same few dozen names. Metadata names (the user's own) are not kept, and the size is bounded.
_HEADER_KEYS: dict[str, str] = {}
_HEADER_KEYS_MAX = 512


def _header_key(name: str) -> str:
    lowered = name.lower()
    if lowered.startswith('x-ms-meta-'):
        return name
    if len(_HEADER_KEYS) < _HEADER_KEYS_MAX:
        _HEADER_KEYS[name] = lowered
    return lowered


def _response_headers(raw_headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case header names, except metadata names, whose case is the user's."""
    keys = _HEADER_KEYS
    return {keys.get(name) or _header_key(name): value for name, value in raw_headers.items()}


# What quote(text, safe='') leaves as it is: most query names and values, which then skip it.
_PLAIN_QUERY_TEXT = re.compile(r'[A-Za-z0-9_.~-]*\Z')


def _quote_query_text(text: str) -> str:
    return text if _PLAIN_QUERY_TEXT.match(text) else quote(text, safe='')


def _encode_query(query: Mapping[str, str]) -> str:
    return '&'.join([_quote_query_text(name) + '=' + _quote_query_text(value) for name, value in query.items()])


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
        self._session = None
        self._own_session = True
        self._session_loop = None
        self._retired_sessions = []
        self._loop_guards: list[AsyncGenerator[None, None]] = []
        self.session = session
        self.timeout = timeout
        self.proxy = None
        self.proxy_headers = None
        self._environment_proxies: dict[str, Optional[str]] = {}
        self.pool_size = DEFAULT_CONNECTION_POOL_SIZE
        self.keepalive_timeout = DEFAULT_KEEPALIVE_TIMEOUT

    @property
    def timeout(self) -> Optional[SocketTimeout]:
        return self._timeout

    @timeout.setter
    def timeout(self, value: Optional[SocketTimeout]) -> None:
        self._timeout = value
        connect, self._read_timeout = _connect_and_read_timeouts(value)
        self._client_timeout = _client_timeout(connect, self._read_timeout)

    @property
    def session(self) -> Optional[aiohttp.ClientSession]:
        """The aiohttp session: the caller's, or ours once the first request created it."""
        return self._session

    @session.setter
    def session(self, value: Optional[aiohttp.ClientSession]) -> None:
        if value is not None and not isinstance(value, aiohttp.ClientSession):
            raise TypeError('request_session should be an aiohttp.ClientSession, not {}.'.format(
                type(value).__name__))
        if value is not None:
            _no_resend(value)
        if self._own_session and self._session is not None and not self._session.closed:
            # Replaced, but still ours to close: close() does it.
            self._retired_sessions.append(self._session)
        self._session = value
        self._own_session = value is None
        self._session_loop = None

    def retire_own_session(self):
        """The next request opens a new session of ours (its settings changed); close() closes this one."""
        if self._own_session and self._session is not None:
            if not self._session.closed:
                self._retired_sessions.append(self._session)
            self._session = None

    def abandon(self):
        """Close the connections of our open sessions without awaiting (the service is being
        collected, unclosed); True if there was any."""
        sessions = self._retired_sessions + ([self._session] if self._own_session else [])
        sessions = [session for session in sessions if session is not None and not session.closed]
        loop_alive = self._session_loop is not None and not self._session_loop.is_closed()
        for session in sessions:
            connector = session.connector
            session.detach()
            if connector is not None and loop_alive:
                # Synchronous in every aiohttp version; close() is a coroutine from 3.12.
                connector._close()
        return bool(sessions)

    def set_proxy(self, host: str, port: int, user: Optional[str] = None, password: Optional[str] = None) -> None:
        """Send requests through the proxy at host:port, with basic auth if user and password are given."""
        self.proxy = 'http://{}:{}'.format(host, port)
        self.proxy_headers = None
        if user and password:
            # The header itself: aiohttp.BasicAuth is deprecated (3.14) and goes away in 4.0.
            credentials = base64.b64encode('{}:{}'.format(user, password).encode('utf-8')).decode('ascii')
            self.proxy_headers = {'Proxy-Authorization': 'Basic ' + credentials}

    def _usable_session(self):
        """The session to send on; None when ours is to be opened (none yet, closed, or of an earlier loop)."""
        session = self._session
        if not self._own_session or (session is not None and not session.closed
                                     and self._session_loop is asyncio.get_running_loop()):
            return session
        return None

    async def _open_session(self):
        loop = asyncio.get_running_loop()
        if self._session_loop is not loop:
            # Sessions of an earlier loop were closed when it shut down (the guard below);
            # one whose loop was closed without that can no longer be closed from here.
            self._retired_sessions = []
            self._loop_guards = []
        # trust_env stays off: it would also apply ~/.netrc credentials over the signed
        # Authorization header; proxies from the environment are looked up here instead.
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.pool_size, keepalive_timeout=self.keepalive_timeout),
            auto_decompress=False,
            skip_auto_headers=_SKIP_AUTO_HEADERS,
            trust_env=False,
        )
        _no_resend(self._session)
        self._session_loop = loop
        self._environment_proxies = {}
        guard = _closed_with_its_loop(self._session)
        await guard.asend(None)
        self._loop_guards.append(guard)
        return self._session

    async def close(self) -> None:
        """Close the sessions this client created; a caller's own session is left open."""
        retired, self._retired_sessions = self._retired_sessions, []
        guards, self._loop_guards = self._loop_guards, []
        if self._own_session and self._session is not None:
            retired.append(self._session)
            self._session = None
        for session in retired:
            if not session.closed:
                await session.close()
        for guard in guards:
            await guard.aclose()

    async def perform_request(self, request: HTTPRequest) -> HTTPResponse:
        """
        Send a request and read its response whole.

        :param HTTPRequest request: the request, signed; its path is already encoded.
        :return: the response (any status; the caller maps errors).
        :rtype: HTTPResponse
        """
        # Opening a session awaits (its loop guard): only the first request of a session pays that.
        session = self._usable_session() or await self._open_session()
        proxy = self.proxy or self._environment_proxy(request.host)
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
        if isinstance(body, bytes) and len(body) > _WATCHED_BODY:
            body = _WatchedBody(body, self._read_timeout)
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
        try:
            async with session.request(
                    request.method,
                    URL(url, encoded=True),
                    headers=headers,
                    data=body if body != b'' else None,
                    timeout=self._client_timeout,
                    proxy=proxy,
                    proxy_headers=self.proxy_headers,
                    allow_redirects=False,
                    # A caller's session may raise for statuses: ours map them to the legacy errors.
                    raise_for_status=False,
                    **kwargs) as response:
                length = response.content_length
                if length is None or length <= _LARGE_BODY or request.method == 'HEAD':
                    content = await response.read()
                else:
                    content = await _read_large_body(response, length)
                return HTTPResponse(response.status, response.reason, _response_headers(response.headers), content)
        except (aiohttp.ClientError, asyncio.TimeoutError) as ex:
            error = _transport_error(ex, body)
        except BaseException:
            if isinstance(body, _WatchedBody):
                body.abort_unsent()
            raise
        if isinstance(body, _WatchedBody):
            body.abort_unsent()
        # Raised outside the except clause: aiohttp's error, which quotes the URL, is not chained.
        raise error

    def _environment_proxy(self, host):
        """The proxy from the environment for ``host``, looked up once per host and session."""
        try:
            return self._environment_proxies[host]
        except KeyError:
            proxy = self._environment_proxies[host] = _proxy_from_environment(self.protocol.lower(), host)
            return proxy
