"""The seeded soak: thousands of mixed operations through fault proxies, counting silent damage and leaks.

Excluded from the default run (marked ``slow``). Run it with::

    ./dev test tests/test_soak.py -m slow -s

``SOAK_SEED``, ``SOAK_OPERATIONS`` (2,000) and ``SOAK_FAULT_RATE`` (0.2) change the run. Every
request through a proxy meets a fault with that probability: answer lost after the request
was applied, reset before it, stall (until the read timeout), 503, truncated answer, or
delivered late after the client gave up. One operation in ten is also cancelled after a
random short time. After each operation the outcome is checked directly against Azurite:

- ``ok``: succeeded, and the data is exactly what the call reported;
- ``failed``: raised (or was cancelled), and left nothing half done that the call's
  documentation does not allow;
- ``apart``: an outcome no client can prevent, documented in the README (a put delivered
  twice, an insert or delete retried after it landed);
- ``damage``: anything else. The test fails unless there is none, and no leak either.
"""
import asyncio
import io
import os
import random
import uuid

import pytest
from azure.common import AzureException, AzureMissingResourceHttpError

from azure.storage.blob import AppendBlobService, BlockBlobService, PageBlobService
from azure.storage.queue import QueueService
from azure.storage.table import TableService

from common.faultproxy import FaultProxy
from testkit import emulator_connection_string, fast_retry

pytestmark = [pytest.mark.slow, pytest.mark.emulator_only]

SEED = int(os.environ.get('SOAK_SEED', '9'))
OPERATIONS = int(os.environ.get('SOAK_OPERATIONS', '2000'))
FAULT_RATE = float(os.environ.get('SOAK_FAULT_RATE', '0.2'))
CONCURRENCY = 16
KIB = 1024
AMBIGUOUS = 'sent again after an attempt whose answer was lost'

FAULTS = [
    ('lose', {}),
    ('reset', {}),
    ('stall', {}),
    ('respond', dict(status=503, reason='Busy', headers={'x-ms-error-code': 'ServerBusy'})),
    ('truncate', {}),
    ('late', dict(delay=0.3)),
]


def small_transfers(service):
    service.MAX_SINGLE_PUT_SIZE = 64 * KIB
    service.MAX_BLOCK_SIZE = 32 * KIB
    service.MAX_SINGLE_GET_SIZE = 64 * KIB
    service.MAX_CHUNK_GET_SIZE = 32 * KIB
    service.MAX_PAGE_SIZE = 32 * KIB
    service.MIN_LARGE_BLOCK_UPLOAD_THRESHOLD = 16 * KIB
    return service


class Soak:
    def __init__(self, rng, folder, direct, proxied, container, table):
        self.rng = rng
        self.folder = folder
        self.direct = direct
        self.proxied = proxied
        self.container = container
        self.table = table
        self.counts = {}
        self.damage = []

    def record(self, kind, outcome, detail=''):
        self.counts[(kind, outcome)] = self.counts.get((kind, outcome), 0) + 1
        if outcome == 'damage':
            self.damage.append('{}: {}'.format(kind, detail))

    async def run_one(self, kind):
        rng = self.rng
        cancel_after = rng.uniform(0.005, 0.3) if rng.random() < 0.1 else None
        check = getattr(self, kind)
        call, verify = await check(rng)
        try:
            if cancel_after is None:
                result = await call
            else:
                result = await asyncio.wait_for(call, cancel_after)
        except (AzureException, asyncio.TimeoutError, ValueError) as ex:
            await verify(False, ex)
        else:
            await verify(True, result)

    # Blob uploads: a fresh name each, so "before" is always "no blob".

    async def block(self, rng):
        name, data = uuid.uuid4().hex, os.urandom(rng.randint(1, 200 * KIB))
        call = self.proxied['block'].create_blob_from_bytes(self.container, name, data, max_connections=3)

        async def verify(succeeded, _):
            content = await self._content(name)
            if succeeded:
                self.record('block', 'ok' if content == data else 'damage', 'stored blob differs')
            else:
                self.record('block', 'failed' if content in (None, data) else 'damage', 'a mix after a failure')
        return call, verify

    async def page(self, rng):
        name, data = uuid.uuid4().hex, os.urandom(512 * rng.randint(1, 300))
        call = self.proxied['page'].create_blob_from_bytes(self.container, name, data, max_connections=3)

        async def verify(succeeded, _):
            content = await self._content(name)
            if succeeded:
                self.record('page', 'ok' if content == data else 'damage', 'stored blob differs')
            else:
                # Pages written before a failure stay (documented); never more than was given.
                whole = content is None or len(content) == len(data)
                self.record('page', 'failed' if whole else 'damage', 'wrong length after a failure')
        return call, verify

    async def append(self, rng):
        name, data = uuid.uuid4().hex, os.urandom(rng.randint(1, 150 * KIB))
        prefix = os.urandom(rng.randint(0, 100))
        await self.direct['append'].create_blob(self.container, name)
        if prefix:
            await self.direct['append'].append_block(self.container, name, prefix)
        call = self.proxied['append'].append_blob_from_bytes(self.container, name, data)

        async def verify(succeeded, _):
            content = await self._content(name)
            if succeeded:
                self.record('append', 'ok' if content == prefix + data else 'damage', 'appended blob differs')
                return
            block = self.proxied['append'].MAX_BLOCK_SIZE
            landed = len(content) - len(prefix)
            whole_blocks = landed == len(data) or (landed >= 0 and landed % block == 0)
            exact = content.startswith(prefix) and content[len(prefix):] == data[:landed]
            self.record('append', 'failed' if whole_blocks and exact else 'damage', 'duplicated or torn append')
        return call, verify

    # Downloads: to a path that holds an older file, and to a stream.

    async def download_path(self, rng):
        name, data = uuid.uuid4().hex, os.urandom(rng.randint(0, 200 * KIB))
        await self.direct['block'].create_blob_from_bytes(self.container, name, data)
        path = os.path.join(self.folder, name)
        with open(path, 'wb') as f:
            f.write(b'older file')
        call = self.proxied['block'].get_blob_to_path(self.container, name, path, max_connections=3)

        async def verify(succeeded, _):
            with open(path, 'rb') as f:
                content = f.read()
            os.remove(path)
            if succeeded:
                self.record('download_path', 'ok' if content == data else 'damage', 'file differs from blob')
            else:
                self.record('download_path', 'failed' if content == b'older file' else 'damage',
                            'destination changed by a failed download')
        return call, verify

    async def download_stream(self, rng):
        name, data = uuid.uuid4().hex, os.urandom(rng.randint(0, 200 * KIB))
        await self.direct['block'].create_blob_from_bytes(self.container, name, data)
        stream = io.BytesIO()
        call = self.proxied['block'].get_blob_to_stream(self.container, name, stream, max_connections=3)

        async def verify(succeeded, _):
            if succeeded:
                self.record('download_stream', 'ok' if stream.getvalue() == data else 'damage', 'stream differs')
            else:
                self.record('download_stream', 'failed')
        return call, verify

    # Queue and table writes.

    async def queue_put(self, rng):
        queue = 'soak' + uuid.uuid4().hex[:20]
        await self.direct['queue'].create_queue(queue)
        content = uuid.uuid4().hex
        call = self.proxied['queue'].put_message(queue, content)

        async def verify(succeeded, _):
            found = [m.content for m in await self.direct['queue'].peek_messages(queue, num_messages=32)]
            await self.direct['queue'].delete_queue(queue)
            if any(m != content for m in found):
                self.record('queue_put', 'damage', 'unexpected messages {}'.format(found))
            elif len(found) > 1:
                self.record('queue_put', 'apart')  # at-least-once: each lost answer may add one
            elif succeeded:
                self.record('queue_put', 'ok' if found else 'damage', 'put reported, nothing queued')
            else:
                self.record('queue_put', 'failed')
        return call, verify

    async def table_insert(self, rng):
        row, value = uuid.uuid4().hex, rng.randint(0, 10 ** 9)
        call = self.proxied['table'].insert_entity(self.table, dict(PartitionKey='p', RowKey=row, value=value))

        async def verify(succeeded, error):
            stored = await self._entity(row)
            if succeeded:
                self.record('table_insert', 'ok' if stored == value else 'damage', 'inserted entity differs')
            elif AMBIGUOUS in str(error):
                self.record('table_insert', 'apart' if stored == value else 'damage', 'ambiguous, not landed')
            else:
                self.record('table_insert', 'failed' if stored in (None, value) else 'damage', 'other value')
        return call, verify

    async def table_merge(self, rng):
        row = uuid.uuid4().hex
        await self.direct['table'].insert_entity(self.table, dict(PartitionKey='p', RowKey=row, value=-1))
        value = rng.randint(0, 10 ** 9)
        call = self.proxied['table'].merge_entity(self.table, dict(PartitionKey='p', RowKey=row, value=value))

        async def verify(succeeded, _):
            stored = await self._entity(row)
            if succeeded:
                self.record('table_merge', 'ok' if stored == value else 'damage', 'merged entity differs')
            else:
                self.record('table_merge', 'failed' if stored in (-1, value) else 'damage', 'other value')
        return call, verify

    async def table_delete(self, rng):
        row = uuid.uuid4().hex
        await self.direct['table'].insert_entity(self.table, dict(PartitionKey='p', RowKey=row, value=1))
        call = self.proxied['table'].delete_entity(self.table, 'p', row)

        async def verify(succeeded, error):
            stored = await self._entity(row)
            if succeeded:
                self.record('table_delete', 'ok' if stored is None else 'damage', 'deleted entity still there')
            elif AMBIGUOUS in str(error):
                self.record('table_delete', 'apart' if stored is None else 'damage', 'ambiguous, not landed')
            else:
                self.record('table_delete', 'failed')
        return call, verify

    async def _content(self, name):
        try:
            return bytes((await self.direct['block'].get_blob_to_bytes(self.container, name)).content or b'')
        except AzureMissingResourceHttpError:
            return None

    async def _entity(self, row):
        try:
            return (await self.direct['table'].get_entity(self.table, 'p', row)).value
        except AzureMissingResourceHttpError:
            return None


def open_files():
    """
    The sockets and files the process's descriptors point at. (Pipes and anonymous inodes
    that libraries open once, on first use, are not what a leak looks like.)
    """
    found = set()
    for fd in os.listdir('/proc/self/fd'):
        try:
            target = os.readlink('/proc/self/fd/' + fd)
        except OSError:
            continue
        if target.startswith(('socket:', '/')):
            found.add(target)
    return found


KINDS = ['block', 'page', 'append', 'download_path', 'download_stream', 'queue_put', 'table_insert',
         'table_merge', 'table_delete']


async def test_soak(azurite, connection_string, tmp_path):
    rng = random.Random(SEED)
    fault_rng = random.Random(SEED + 1)

    def choose_fault(request):
        return fault_rng.choice(FAULTS) if fault_rng.random() < FAULT_RATE else None

    fds_before = open_files()
    ports = {'blob': azurite.blob_port, 'queue': azurite.queue_port, 'table': azurite.table_port}
    proxies = {name: FaultProxy(upstream=('127.0.0.1', port)) for name, port in ports.items()}
    for proxy in proxies.values():
        await proxy.start()
    classes = {'block': (BlockBlobService, 'blob'), 'page': (PageBlobService, 'blob'),
               'append': (AppendBlobService, 'blob'), 'queue': (QueueService, 'queue'),
               'table': (TableService, 'table')}
    direct = {key: cls(connection_string=connection_string) for key, (cls, _) in classes.items()}
    proxied = {key: small_transfers(cls(connection_string=emulator_connection_string(service, proxies[service].address),
                                        socket_timeout=(2, 2)))
               for key, (cls, service) in classes.items()}
    for service in list(direct.values()) + list(proxied.values()):
        service.retry = fast_retry(max_attempts=4)
    container, table = 'soak' + uuid.uuid4().hex[:16], 'soak' + uuid.uuid4().hex[:16]
    try:
        await direct['block'].create_container(container)
        await direct['table'].create_table(table)
        for proxy in proxies.values():
            proxy.choose_fault = choose_fault
        soak = Soak(rng, str(tmp_path), direct, proxied, container, table)
        kinds = [rng.choice(KINDS) for _ in range(OPERATIONS)]
        pending = iter(kinds)

        async def worker():
            for kind in pending:
                await soak.run_one(kind)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        for proxy in proxies.values():
            proxy.choose_fault = None
    finally:
        for proxy in proxies.values():
            await proxy.close()
        await direct['block'].delete_container(container)
        await direct['table'].delete_table(table)
        for service in list(direct.values()) + list(proxied.values()):
            await service.close()

    leftovers = os.listdir(tmp_path)
    fds_after = open_files()
    totals = {}
    for (kind, outcome), count in sorted(soak.counts.items()):
        totals[outcome] = totals.get(outcome, 0) + count
    print('\nsoak seed={} operations={} fault rate={}'.format(SEED, OPERATIONS, FAULT_RATE))
    for (kind, outcome), count in sorted(soak.counts.items()):
        print('  {:16} {:8} {}'.format(kind, outcome, count))
    print('  totals:', totals, 'leftover files:', len(leftovers), 'new descriptors:', sorted(fds_after - fds_before))
    assert sum(totals.values()) == OPERATIONS
    assert soak.damage == []
    assert leftovers == []
    assert fds_after - fds_before == set()
