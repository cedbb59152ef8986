"""Small misbehaving HTTP/1.1 servers on 127.0.0.1, for the transport's failure paths.

Unlike the fault proxy, these never forward: each misbehaves the same way on every
connection, and counts what it saw.

``stop_reading``          read the request head, then read nothing more (the peer's buffers fill)
``reset_after_head``      read the request head, then reset the connection
``reset_after_request``   read the whole request (it is applied), then reset: the answer is lost
``answer``                answer 201 after ``delay`` seconds, keeping the connection open
"""
import asyncio
import contextlib
import socket
import struct

_BEHAVIOURS = ('stop_reading', 'reset_after_head', 'reset_after_request', 'answer')


def _reset(writer):
    sock = writer.get_extra_info('socket')
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    writer.transport.abort()


@contextlib.contextmanager
def full_backlog():
    """The port of a listener that never accepts, its backlog filled: a connect to it hangs."""
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen(0)
        fillers = [socket.socket() for _ in range(8)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                filler.connect_ex(listener.getsockname())
            yield listener.getsockname()[1]
        finally:
            for filler in fillers:
                filler.close()


def client_sockets_to(port):
    """Open sockets of this process's clients connected to ``port`` on loopback (Linux).

    A socket whose file descriptor was closed while the kernel still sends its data is an
    orphan (inode 0) and not counted: only sockets something still holds open are.
    """
    count = 0
    with open('/proc/net/tcp') as table:
        next(table)
        for line in table:
            fields = line.split()
            remote_port = int(fields[2].split(':')[1], 16)
            if remote_port == port and fields[9] != '0':
                count += 1
    return count


class BadPeer:
    """
    :param str behaviour: one of the behaviours in the module docstring.
    :param float delay: for ``answer``, seconds before answering.
    """

    def __init__(self, behaviour, delay=0.0):
        if behaviour not in _BEHAVIOURS:
            raise ValueError('unknown behaviour: {}'.format(behaviour))
        self.behaviour = behaviour
        self.delay = delay
        self.heads = []
        self.bodies = []
        self.connections = 0
        self.concurrent = 0
        self.most_concurrent = 0
        self.port = None
        self._server = None
        self._handlers = set()
        self._seen = asyncio.Event()

    async def __aenter__(self):
        self._server = await asyncio.start_server(self._handle, '127.0.0.1', 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info):
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def address(self):
        return '127.0.0.1:{}'.format(self.port)

    async def request_seen(self, timeout=10):
        """Wait until a request head arrived."""
        await asyncio.wait_for(self._seen.wait(), timeout)

    async def _handle(self, reader, writer):
        task = asyncio.current_task()
        self._handlers.add(task)
        self.connections += 1
        self.concurrent += 1
        self.most_concurrent = max(self.most_concurrent, self.concurrent)
        try:
            while await self._serve_one(reader, writer):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.concurrent -= 1
            self._handlers.discard(task)
            writer.transport.abort()

    async def _serve_one(self, reader, writer):
        head = await reader.readuntil(b'\r\n\r\n')
        self.heads.append(head)
        self._seen.set()
        if self.behaviour == 'stop_reading':
            await asyncio.Event().wait()  # until the server closes
        if self.behaviour == 'reset_after_head':
            _reset(writer)
            return False
        length = 0
        for line in head.split(b'\r\n'):
            name, _, value = line.partition(b':')
            if name.strip().lower() == b'content-length':
                length = int(value)
        self.bodies.append(await reader.readexactly(length))
        if self.behaviour == 'reset_after_request':
            _reset(writer)
            return False
        await asyncio.sleep(self.delay)
        writer.write(b'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n')
        await writer.drain()
        return True
