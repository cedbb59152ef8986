"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1, for the transport tests.

It sits in front of Azurite (as the endpoint a service talks to) or is used as a forward
proxy (``service.set_proxy``; aiohttp then sends absolute-form request targets). Every
request is captured as it arrived on the wire, then handled by the next queued fault, or
forwarded upstream when none is queued:

``forward``  forward as usual (to let the faults queued after it hit later requests)
``respond``  answer with ``status`` (and ``headers``/``body``) without asking upstream
``reset``    read the request, then reset the connection (no response at all)
``stall``    read the request, then never answer (until the client goes away)
``drip``     forward, but hand the response back ``chunk`` bytes every ``delay`` seconds
``truncate`` forward, then hand back only the head and half the body of the response, and close
``lose``     forward (the service applies the request), then reset the connection instead
             of answering: the request's outcome is lost to the client
``late``     reset the connection at once (the client gives up and may retry), and forward
             the request later: once the event ``until`` is set, or after ``delay`` seconds.
             ``late_delivered`` counts the requests delivered so; ``wait_for`` can wait on it.

Instead of a queue, ``choose_fault`` may pick a fault per request: a function of the
``CapturedRequest`` returning ``(kind, options)``, or None to forward (the seeded soak test).

Each connection carries one request: the proxy asks upstream to close and tells the client
so, which keeps the capture and the fault queue in step with the requests.
"""
import asyncio
import collections
import socket
import struct
from urllib.parse import urlsplit

_LOOPBACK = ('127.0.0.1', 'localhost')
_HOP_BY_HOP = ('connection', 'keep-alive', 'proxy-authorization', 'proxy-connection')


class CapturedRequest:
    """One request as the client sent it: request line, raw header lines in order, body."""

    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body

    def header(self, name, default=None):
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return default

    @property
    def header_names(self):
        return [key.lower() for key, _ in self.headers]

    @property
    def origin_target(self):
        """The path and query, also when the target arrived in absolute form."""
        if self.target.startswith('/'):
            return self.target
        parts = urlsplit(self.target)
        return parts.path + ('?' + parts.query if parts.query else '')


class _Fault:
    def __init__(self, kind, options):
        self.kind = kind
        self.options = options


async def _read_body(reader, headers):
    """The request body (dechunked) and its raw bytes as they were framed on the wire."""
    lowered = {key.lower(): value for key, value in headers}
    if 'chunked' in lowered.get('transfer-encoding', '').lower():
        raw = bytearray()
        body = bytearray()
        while True:
            size_line = await reader.readuntil(b'\r\n')
            raw += size_line
            size = int(size_line.split(b';')[0].strip(), 16)
            data = await reader.readexactly(size + 2)
            raw += data
            body += data[:-2]
            if size == 0:
                return bytes(body), bytes(raw)
    length = int(lowered.get('content-length', '0') or 0)
    body = await reader.readexactly(length) if length else b''
    return body, body


def _close_response_head(raw_response):
    """The response with its Connection header set to close (the proxy carries one request per connection)."""
    head, sep, rest = raw_response.partition(b'\r\n\r\n')
    lines = head.split(b'\r\n')
    kept = [lines[0]] + [line for line in lines[1:]
                         if line.split(b':', 1)[0].strip().lower() not in (b'connection', b'keep-alive')]
    kept.append(b'Connection: close')
    return b'\r\n'.join(kept) + sep + rest


def _reset(writer):
    """Reset the connection (RST, not FIN): the client sees no response at all."""
    sock = writer.get_extra_info('socket')
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    writer.transport.abort()


class FaultProxy:
    """
    :param upstream: ``(host, port)`` to forward origin-form requests to (the Azurite endpoint),
        or None when the proxy is only used as a forward proxy or answers every request itself.
    :param ssl: an ``ssl.SSLContext`` to serve TLS with (the proxy then terminates it).
    """

    def __init__(self, upstream=None, ssl=None):
        self.upstream = upstream
        self.ssl = ssl
        self.requests = []
        self.port = None
        self.open_connections = 0
        self.late_delivered = 0
        self.choose_fault = None
        self._faults = collections.deque()
        self._late = set()
        self._server = None
        self._handlers = set()
        self._changed = asyncio.Condition()

    async def start(self):
        self._server = await asyncio.start_server(self._handle, '127.0.0.1', 0, ssl=self.ssl)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self):
        self._server.close()
        for task in list(self._handlers) + list(self._late):
            task.cancel()
        await asyncio.gather(*self._handlers, *self._late, return_exceptions=True)
        await self._server.wait_closed()

    async def __aenter__(self):
        return await self.start()

    async def __aexit__(self, *exc_info):
        await self.close()

    @property
    def address(self):
        return '127.0.0.1:{}'.format(self.port)

    def inject(self, kind, times=1, **options):
        """Handle the next ``times`` requests with fault ``kind`` (see the module docstring)."""
        if kind not in ('forward', 'respond', 'reset', 'stall', 'drip', 'truncate', 'lose', 'late'):
            raise ValueError('unknown fault: {}'.format(kind))
        for _ in range(times):
            self._faults.append(_Fault(kind, options))

    async def wait_for(self, predicate, timeout=5):
        """Wait until ``predicate(proxy)`` holds (checked whenever a request or connection changes)."""
        async def until():
            async with self._changed:
                await self._changed.wait_for(lambda: predicate(self))
        await asyncio.wait_for(until(), timeout)

    async def _notify(self):
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, reader, writer):
        task = asyncio.current_task()
        self._handlers.add(task)
        self.open_connections += 1
        try:
            await self._serve_one(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._handlers.discard(task)
            self.open_connections -= 1
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass
            await self._notify()

    async def _serve_one(self, reader, writer):
        head = await reader.readuntil(b'\r\n\r\n')
        # UTF-8 with surrogateescape: header values read as the client's str, and re-encoded byte for byte.
        lines = head.decode('utf-8', 'surrogateescape').split('\r\n')[:-2]
        method, target, version = lines[0].split(' ', 2)
        headers = [tuple(part.strip() for part in line.split(':', 1)) for line in lines[1:]]
        body, raw_body = await _read_body(reader, headers)
        request = CapturedRequest(method, target, headers, body)
        self.requests.append(request)
        await self._notify()

        chosen = self.choose_fault(request) if self.choose_fault is not None and not self._faults else None
        if self._faults:
            fault = self._faults.popleft()
        else:
            fault = _Fault(*chosen) if chosen is not None else _Fault('forward', {})
        if fault.kind == 'respond':
            await self._respond(writer, **fault.options)
        elif fault.kind == 'reset':
            _reset(writer)
        elif fault.kind == 'lose':
            await self._forward(request, version, raw_body)
            _reset(writer)
        elif fault.kind == 'late':
            task = asyncio.ensure_future(self._deliver_late(request, version, raw_body, **fault.options))
            self._late.add(task)
            task.add_done_callback(self._late.discard)
            _reset(writer)
        elif fault.kind == 'stall':
            # Hold the connection until the client closes it (read returns b'') or the proxy closes.
            while await reader.read(65536):
                pass
        else:
            response = await self._forward(request, version, raw_body)
            if fault.kind == 'drip':
                chunk, delay = fault.options.get('chunk', 64), fault.options.get('delay', 0.1)
                for start in range(0, len(response), chunk):
                    writer.write(response[start:start + chunk])
                    await writer.drain()
                    await asyncio.sleep(delay)
            elif fault.kind == 'truncate':
                head, _, body = response.partition(b'\r\n\r\n')
                writer.write(head + b'\r\n\r\n' + body[:len(body) // 2])
                await writer.drain()
            else:
                writer.write(response)
                await writer.drain()

    async def _deliver_late(self, request, version, raw_body, until=None, delay=0.5):
        if until is not None:
            await until.wait()
        else:
            await asyncio.sleep(delay)
        await self._forward(request, version, raw_body)
        self.late_delivered += 1
        await self._notify()

    @staticmethod
    async def _respond(writer, status=503, reason='Service Unavailable', headers=None, body=b''):
        lines = ['HTTP/1.1 {} {}'.format(status, reason), 'Content-Length: {}'.format(len(body)),
                 'Connection: close']
        lines += ['{}: {}'.format(name, value) for name, value in (headers or {}).items()]
        writer.write(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body)
        await writer.drain()

    async def _forward(self, request, version, raw_body):
        if request.target.startswith('/'):
            if self.upstream is None:
                raise ConnectionError('the fault proxy has no upstream to forward {} to'.format(request.target))
            host, port = self.upstream
        else:
            parts = urlsplit(request.target)
            host, port = parts.hostname, parts.port or 80
            if host not in _LOOPBACK:
                raise ConnectionError('the fault proxy only forwards to loopback, not {}'.format(host))
        lines = ['{} {} {}'.format(request.method, request.origin_target, version)]
        lines += ['{}: {}'.format(name, value) for name, value in request.headers
                  if name.lower() not in _HOP_BY_HOP]
        lines.append('Connection: close')
        upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
        try:
            upstream_writer.write(('\r\n'.join(lines) + '\r\n\r\n').encode('utf-8', 'surrogateescape') + raw_body)
            await upstream_writer.drain()
            response = await upstream_reader.read()
        finally:
            upstream_writer.close()
            await upstream_writer.wait_closed()
        return _close_response_head(response)
