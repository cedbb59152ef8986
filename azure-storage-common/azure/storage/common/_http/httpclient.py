"""The transport: the only module of the port that imports aiohttp.

One ``aiohttp.ClientSession`` per service, created lazily inside the running loop on first
use, reused for every request of that service and closed by ``await service.close()``. A
caller may hand in a session of their own (``request_session``); then the caller closes it.
"""
import asyncio
import base64
import inspect
import logging
from io import UnsupportedOperation
from urllib.parse import quote

import aiohttp
from yarl import URL

from . import HTTPResponse
from .._constants import DEFAULT_SOCKET_TIMEOUT

logger = logging.getLogger(__name__)

# aiohttp would add these on its own. Content-Type and the others it picks are not what was
# signed, and Accept-Encoding would make the service compress: never let it add them.
_SKIP_AUTO_HEADERS = frozenset(('Content-Type', 'Accept', 'Accept-Encoding', 'User-Agent'))

# Per-request auto_decompress exists from aiohttp 3.10; on older versions our own sessions are
# created without decompression and a caller's session is used as the caller configured it.
_PER_REQUEST_DECOMPRESS = 'auto_decompress' in inspect.signature(aiohttp.ClientSession._request).parameters

_STREAM_CHUNK = 256 * 1024


def _client_timeout(timeout):
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


class _SyncStreamBody:
    """``length`` bytes of a synchronous file object from its current position, as an async iterable.

    Files with a descriptor are read in a worker thread so a slow disk does not stall the
    loop; in-memory streams are read directly. The stream is never closed here.
    """

    def __init__(self, stream, length):
        self._stream = stream
        self._length = length
        self._reading = None

    def __aiter__(self):
        return self._chunks()

    async def _chunks(self):
        stream = self._stream
        in_thread = _has_fileno(stream)
        remaining = self._length
        while remaining is None or remaining > 0:
            size = _STREAM_CHUNK if remaining is None else min(_STREAM_CHUNK, remaining)
            if in_thread:
                self._reading = asyncio.get_running_loop().run_in_executor(None, stream.read, size)
                # Shielded: when the send is cancelled the read goes on in its thread, and
                # settled() must still be able to wait for it.
                data = await asyncio.shield(self._reading)
            else:
                data = stream.read(size)
            if not data:
                break
            if remaining is not None:
                remaining -= len(data)
            yield data

    async def settled(self):
        """Wait for a read still running in its thread after the send ended early.

        Until it is done it moves the file's position: a retry must not rewind the file
        under it, nor a caller close the file, before then.
        """
        if self._reading is not None and not self._reading.done():
            await asyncio.wait([self._reading])


async def _bytes_in_pieces(data):
    """A large bytes body, piece by piece: aiohttp warns that sending it whole may block the loop."""
    view = memoryview(data)
    for start in range(0, len(view), _STREAM_CHUNK):
        yield view[start:start + _STREAM_CHUNK]


def _has_fileno(stream):
    try:
        stream.fileno()
    except (AttributeError, OSError, UnsupportedOperation):
        return False
    return True


def _response_headers(raw_headers):
    """Lower-case header names, except metadata names, whose case is the user's."""
    headers = {}
    for name, value in raw_headers.items():
        lowered = name.lower()
        headers[name if lowered.startswith('x-ms-meta-') else lowered] = value
    return headers


def _encode_query(query):
    return '&'.join('{}={}'.format(quote(name, safe=''), quote(value, safe=''))
                    for name, value in query.items())


class _HTTPClient:
    """Sends an :class:`HTTPRequest` over aiohttp and returns an :class:`HTTPResponse`."""

    def __init__(self, protocol=None, session=None, timeout=None):
        self.protocol = protocol
        self._session = session
        self._own_session = session is None
        self._session_loop = None
        self._retired_sessions = []
        self.timeout = timeout
        self.proxy = None
        self.proxy_headers = None

    @property
    def timeout(self):
        return self._timeout

    @timeout.setter
    def timeout(self, value):
        self._timeout = value
        self._client_timeout = _client_timeout(value)

    @property
    def session(self):
        """The aiohttp session: the caller's, or ours once the first request created it."""
        return self._session

    @session.setter
    def session(self, value):
        if self._own_session and self._session is not None and not self._session.closed:
            # Replaced, but still ours to close: close() does it.
            self._retired_sessions.append(self._session)
        self._session = value
        self._own_session = value is None
        self._session_loop = None

    def set_proxy(self, host, port, user=None, password=None):
        """Send requests through the proxy at host:port, with basic auth if user and password are given."""
        self.proxy = 'http://{}:{}'.format(host, port)
        self.proxy_headers = None
        if user and password:
            # The header itself: aiohttp.BasicAuth is deprecated (3.14) and goes away in 4.0.
            credentials = base64.b64encode('{}:{}'.format(user, password).encode('utf-8')).decode('ascii')
            self.proxy_headers = {'Proxy-Authorization': 'Basic ' + credentials}

    def _get_session(self):
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
        return self._session

    async def close(self):
        """Close the sessions this client created; a caller's own session is left open."""
        retired, self._retired_sessions = self._retired_sessions, []
        if self._own_session and self._session is not None:
            retired.append(self._session)
            self._session = None
        for session in retired:
            if not session.closed:
                await session.close()

    async def perform_request(self, request):
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
        body = request.body
        stream_body = None
        if isinstance(body, bytes):
            if len(body) > _STREAM_CHUNK:
                body = _bytes_in_pieces(body)
        elif body is not None and hasattr(body, 'read'):
            length = request.headers.get('Content-Length')
            body = stream_body = _SyncStreamBody(body, int(length) if length is not None else None)
        headers = request.headers
        if self.proxy_headers and self.protocol.lower() == 'http':
            # aiohttp gives proxy_headers to the proxy only in the CONNECT of an https tunnel;
            # a plain http request is itself what the proxy reads.
            headers = dict(headers, **self.proxy_headers)
        kwargs = {}
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
                    proxy=self.proxy,
                    proxy_headers=self.proxy_headers,
                    allow_redirects=False,
                    # A caller's session may raise for statuses: ours map them to the legacy errors.
                    raise_for_status=False,
                    **kwargs) as response:
                content = await response.read()
                return HTTPResponse(response.status, response.reason, _response_headers(response.headers), content)
        finally:
            if stream_body is not None:
                await stream_body.settled()
