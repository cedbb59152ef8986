"""Helpers the test areas share (``tests/`` is on the import path)."""
import asyncio
import io
import os
import threading

import pytest
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap

from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.retry import LinearRetry


def fast_retry(max_attempts=3, backoff=0.1):
    """The legacy LinearRetry, with a backoff short enough for tests (Azurite drops idle connections)."""
    return LinearRetry(backoff=backoff, max_attempts=max_attempts, random_jitter_range=0).retry


class KeyWrapper:
    """A key-encryption key as the legacy docs describe it: AES key wrap (RFC 3394) with a local key."""

    def __init__(self, kid='key1', key=None):
        self.kid = kid
        self.key = key or os.urandom(32)

    def wrap_key(self, key):
        return aes_key_wrap(self.key, key)

    def unwrap_key(self, key, algorithm):
        assert algorithm == 'A256KW'
        return aes_key_unwrap(self.key, key)

    def get_key_wrap_algorithm(self):
        return 'A256KW'

    def get_kid(self):
        return self.kid


def emulator_connection_string(service, address):
    """The emulator account with its ``service`` ('blob', 'queue', 'table') endpoint at ``address`` (host:port)."""
    endpoint = {'blob': 'BlobEndpoint', 'queue': 'QueueEndpoint', 'table': 'TableEndpoint'}[service]
    return 'DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};{endpoint}=http://{address}/{name};' \
        .format(name=DEV_ACCOUNT_NAME, key=DEV_ACCOUNT_KEY, endpoint=endpoint, address=address)


class PipeStream(io.RawIOBase):
    """A stream that only reads, like a pipe: it cannot seek or tell its length."""

    def __init__(self, data):
        super().__init__()
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, size=-1):
        return self._data.read(size)


class AsyncKeyWrapper(KeyWrapper):
    """The same key behind coroutine functions, as a key vault client holds it.

    Each hook yields to the loop before it answers (an await of the vault), and records
    its name in ``calls``: a hook that was called but not awaited would record nothing.
    """

    def __init__(self, kid='key1', key=None):
        super().__init__(kid, key)
        self.calls = []

    async def _answer(self, name, answer, *args):
        await asyncio.sleep(0)
        self.calls.append(name)
        return answer(*args)

    async def wrap_key(self, key):
        return await self._answer('wrap_key', super().wrap_key, key)

    async def unwrap_key(self, key, algorithm):
        return await self._answer('unwrap_key', super().unwrap_key, key, algorithm)

    async def get_key_wrap_algorithm(self):
        return await self._answer('get_key_wrap_algorithm', super().get_key_wrap_algorithm)

    async def get_kid(self):
        return await self._answer('get_kid', super().get_kid)

    def resolver(self):
        """A coroutine ``key_resolver_function`` that knows this key only."""
        async def resolve(kid):
            await asyncio.sleep(0)
            self.calls.append('resolve')
            return self if kid == self.kid else None
        return resolve


class Gate:
    """
    Holds the worker threads that reach it (a hung disk) until the test opens it: ``reached``
    is set when one arrives, ``held`` counts those still waiting.
    """

    def __init__(self):
        self.reached = threading.Event()
        self.opened = threading.Event()
        self.held = 0
        self._lock = threading.Lock()

    def wait(self):
        with self._lock:
            self.held += 1
        self.reached.set()
        try:
            self.opened.wait(30)
        finally:
            with self._lock:
                self.held -= 1


async def cancel_at_the_gate(gate, call, times=1):
    """
    Run ``call`` and cancel it ``times`` times while a worker thread it started waits at
    ``gate``: it must not end before the gate opens, then end cancelled with nothing held.
    """
    task = asyncio.ensure_future(call)
    try:
        assert await asyncio.to_thread(gate.reached.wait, 30)
        for _ in range(times):
            task.cancel()
            done, _ = await asyncio.wait([task], timeout=0.1)
            assert not done
    finally:
        gate.opened.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert gate.held == 0
