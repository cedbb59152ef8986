"""Bad input and migration traps (issue 11): each fails with a clear error before any request.

Every case runs against Azurite with a container, a blob, a queue and a table already there,
counts the requests the services send while the bad call runs, and checks that what existed
is untouched afterwards.
"""
import asyncio
import io
import logging
import sys

import pytest
from azure.common import AzureException

from azure.storage.blob import AppendBlobService, BlockBlobService, PageBlobService
from azure.storage.queue import QueueService
from azure.storage.table import TableService

from testkit import AsyncKeyWrapper, KeyWrapper, fast_retry

BLOB = 'existing'
CONTENT = b'keep me'


class _Services:
    """One service of each kind on the same account, all counting the requests they send."""

    def __init__(self, connection_string, names):
        self.sent = []
        self.container, self.queue, self.table = names
        self.blob = BlockBlobService(connection_string=connection_string)
        self.page = PageBlobService(connection_string=connection_string)
        self.append = AppendBlobService(connection_string=connection_string)
        self.queues = QueueService(connection_string=connection_string)
        self.tables = TableService(connection_string=connection_string)
        for service in self.all():
            service.retry = fast_retry()
            service.request_callback = self.sent.append

    def all(self):
        return self.blob, self.page, self.append, self.queues, self.tables

    async def close(self):
        for service in self.all():
            await service.close()


@pytest.fixture
async def services(connection_string, unique_name):
    svc = _Services(connection_string, (unique_name('c'), unique_name('q'), unique_name('tab')))
    await svc.blob.create_container(svc.container)
    await svc.blob.create_blob_from_bytes(svc.container, BLOB, CONTENT, metadata={'k': 'v'})
    await svc.queues.create_queue(svc.queue)
    await svc.tables.create_table(svc.table)
    svc.sent.clear()
    yield svc
    await svc.blob.delete_container(svc.container)
    await svc.queues.delete_queue(svc.queue)
    await svc.tables.delete_table(svc.table)
    await svc.close()


def _encrypting(s):
    s.blob.key_encryption_key = KeyWrapper()
    return s.blob.create_blob_from_stream(s.container, BLOB, io.StringIO('text'))


def _with_sync_for(listing):
    return [item for item in listing]


# (id, call, exception type, what the message must say)
CASES = [
    ('negative start_range', lambda s: s.blob.get_blob_to_bytes(s.container, BLOB, start_range=-5),
     ValueError, 'start_range should not be negative.'),
    ('end before start', lambda s: s.blob.get_blob_to_bytes(s.container, BLOB, start_range=8, end_range=3),
     ValueError, 'end_range (3) should not be less than start_range (8).'),
    ('start_range as str', lambda s: s.blob.get_blob_to_bytes(s.container, BLOB, start_range='0'),
     TypeError, 'start_range should be an int, not str.'),
    ('end_range without start', lambda s: s.blob.get_blob_to_bytes(s.container, BLOB, end_range=3),
     ValueError, 'start_range should not be None.'),
    ('download max_connections None', lambda s: s.blob.get_blob_to_bytes(s.container, BLOB, max_connections=None),
     TypeError, 'max_connections should be an int, not NoneType.'),
    ('upload max_connections 0', lambda s: s.blob.create_blob_from_bytes(s.container, 'n', b'x', max_connections=0),
     ValueError, 'max_connections should be at least 1, not 0.'),
    ('metadata value with u-umlaut',
     lambda s: s.blob.create_blob_from_bytes(s.container, 'n', b'x', metadata={'k': '\u00fc'}),
     ValueError, "metadata value of 'k' should be ASCII without control characters"),
    ('metadata value with euro sign', lambda s: s.blob.set_blob_metadata(s.container, BLOB, {'k': '\u20ac'}),
     ValueError, "metadata value of 'k' should be ASCII"),
    ('metadata value with newline', lambda s: s.blob.set_container_metadata(s.container, {'k': 'a\nb'}),
     ValueError, "metadata value of 'k' should be ASCII without control characters"),
    ('metadata name not an identifier', lambda s: s.queues.set_queue_metadata(s.queue, {'my-key': 'v'}),
     ValueError, "metadata name 'my-key' should be a C# identifier"),
    ('metadata name as bytes', lambda s: s.blob.create_blob_from_bytes(s.container, 'n', b'x', metadata={b'k': 'v'}),
     TypeError, "metadata names should be str, not bytes (b'k')."),
    ('metadata value as bytes',
     lambda s: s.page.create_blob_from_bytes(s.container, 'n', b'x' * 512, metadata={'k': b'v'}),
     TypeError, "metadata value of 'k' should be a str, not bytes."),
    ('text as int', lambda s: s.blob.create_blob_from_text(s.container, 'n', text=123),
     TypeError, 'text should be a str or bytes, not int.'),
    ('append text as int', lambda s: s.append.append_blob_from_text(s.container, BLOB, text=123),
     TypeError, 'text should be a str or bytes, not int.'),
    ('block list of str', lambda s: s.blob.put_block_list(s.container, BLOB, ['a', 'b']),
     TypeError, 'block_list should hold BlobBlock objects, not str: write BlobBlock(...) for each item.'),
    ('table name as bytes', lambda s: s.tables.create_table(b'x'),
     TypeError, 'table_name should be a str, not bytes: decode it first.'),
    ('table name as bytes in insert',
     lambda s: s.tables.insert_entity(s.table.encode(), {'PartitionKey': 'p', 'RowKey': 'r'}),
     TypeError, 'table_name should be a str, not bytes'),
    ('blob name as bytes', lambda s: s.blob.create_blob_from_bytes(s.container, BLOB.encode(), b'new'),
     TypeError, 'blob_name should be a str, not bytes: decode it first.'),
    ('blob name as bytes, no transfer', lambda s: s.blob.delete_blob(s.container, BLOB.encode()),
     TypeError, 'blob_name should be a str, not bytes'),
    ('container name as bytes', lambda s: s.blob.delete_container(s.container.encode()),
     TypeError, 'container_name should be a str, not bytes'),
    ('queue name as bytes', lambda s: s.queues.delete_queue(s.queue.encode()),
     TypeError, 'queue_name should be a str, not bytes'),
    ('stream given as bytes', lambda s: s.blob.create_blob_from_stream(s.container, BLOB, stream=b'raw'),
     TypeError, 'stream should be a file-like/io.IOBase type stream object with a read method.'),
    ('page stream given as bytes', lambda s: s.page.create_blob_from_stream(s.container, BLOB, b'raw', 512),
     TypeError, 'stream should be a file-like/io.IOBase type stream object with a read method.'),
    ('append stream given as bytes', lambda s: s.append.append_blob_from_stream(s.container, BLOB, b'raw'),
     TypeError, 'stream should be a file-like/io.IOBase type stream object with a read method.'),
    ('encrypted upload of a text stream', _encrypting,
     TypeError, 'stream should be a binary stream: open the file with mode "rb"'),
]


@pytest.mark.parametrize('call, exception_type, message', [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
async def test_bad_input_fails_before_any_request(services, call, exception_type, message):
    with pytest.raises(exception_type) as info:
        await call(services)
    assert message in str(info.value)
    assert services.sent == []
    services.blob.key_encryption_key = None
    blob = await services.blob.get_blob_to_bytes(services.container, BLOB)
    assert (blob.content, blob.metadata) == (CONTENT, {'k': 'v'})
    assert [b.name async for b in services.blob.list_blobs(services.container)] == [BLOB]


async def test_a_download_to_a_path_with_a_bad_range_leaves_the_file_alone(services, tmp_path):
    target = tmp_path / 'kept'
    target.write_bytes(b'local data')
    with pytest.raises(ValueError, match='start_range should not be negative'):
        await services.blob.get_blob_to_path(services.container, BLOB, str(target), start_range=-1)
    assert target.read_bytes() == b'local data'
    assert services.sent == []


# Migration traps: the legacy spelling without async/await says what to write instead.
TRAPS = [
    ('for over list_blobs', lambda s: _with_sync_for(s.blob.list_blobs(s.container)),
     'write "async for item in service.list_blobs(...)"'),
    ('list() of list_containers', lambda s: list(s.blob.list_containers()),
     'write "async for item in service.list_containers(...)"'),
    ('next() of list_queues', lambda s: next(s.queues.list_queues()),
     'write "async for item in service.list_queues(...)"'),
    ('len() of query_entities', lambda s: len(s.tables.query_entities(s.table)),
     'write "async for item in service.query_entities(...)"'),
    ('for over list_tables', lambda s: _with_sync_for(s.tables.list_tables()),
     'write "async for item in service.list_tables(...)"'),
]


@pytest.mark.parametrize('call, message', [trap[1:] for trap in TRAPS], ids=[trap[0] for trap in TRAPS])
async def test_a_listing_without_async_says_to_write_async_for(services, call, message):
    with pytest.raises(TypeError) as info:
        call(services)
    assert message in str(info.value)
    assert services.sent == []


async def test_a_batch_without_async_says_to_write_async_with(services):
    with pytest.raises(TypeError) as info:
        with services.tables.batch(services.table) as batch:
            batch.insert_entity({'PartitionKey': 'p', 'RowKey': 'r'})
    assert str(info.value) == ('The batch commits over the network: write '
                               '"async with table_service.batch(table_name) as batch:", not "with".')
    assert services.sent == []
    assert [e async for e in services.tables.query_entities(services.table)] == []


async def test_an_expected_failure_prints_nothing_without_logging_configured(connection_string):
    # A fresh interpreter: no logging configuration, so only a missing NullHandler would print.
    script = '''
import asyncio
from azure.common import AzureMissingResourceHttpError
from azure.storage.blob import BlockBlobService
from azure.storage.common.retry import no_retry

async def main():
    async with BlockBlobService(connection_string={!r}) as service:
        service.retry = no_retry
        try:
            await service.get_container_properties('never-created-container')
        except AzureMissingResourceHttpError:
            print('handled')

asyncio.run(main())
'''.format(connection_string)
    process = await asyncio.create_subprocess_exec(sys.executable, '-c', script, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await process.communicate()
    assert (stdout, stderr) == (b'handled\n', b'')


def test_the_package_loggers_keep_their_levels_and_propagate():
    logger = logging.getLogger('azure.storage.common')
    assert any(isinstance(handler, logging.NullHandler) for handler in logger.handlers)
    assert logger.propagate and logger.level == logging.NOTSET


class _VaultDown(Exception):
    pass


def _failing_hook(coroutine):
    """A key hook that fails as an unreachable key vault would: a plain or a coroutine function."""
    def fail(*args):
        raise _VaultDown('key vault unreachable')

    async def fail_later(*args):
        await asyncio.sleep(0)
        fail()

    return fail_later if coroutine else fail


def _failing_key(hook, coroutine):
    key = AsyncKeyWrapper() if coroutine else KeyWrapper()
    setattr(key, hook, _failing_hook(coroutine))
    return key


async def _batch_insert(s):
    async with s.tables.batch(s.table) as batch:
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': 'r', 'v': 'secret'})


ENCRYPTED_WRITES = [
    ('blob', lambda s: s.blob.create_blob_from_bytes(s.container, BLOB, b'secret')),
    # No count: the chunked upload.
    ('blob-chunked', lambda s: s.blob.create_blob_from_stream(s.container, BLOB, io.BytesIO(b'secret' * 100))),
    ('page-blob', lambda s: s.page.create_blob_from_bytes(s.container, BLOB, b'secret'.ljust(512))),
    ('queue', lambda s: s.queues.put_message(s.queue, 'secret')),
    ('table', lambda s: s.tables.insert_entity(s.table, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 'secret'})),
    ('table-batch', _batch_insert),
]


@pytest.mark.parametrize('coroutine', [False, True], ids=['plain', 'coroutine'])
@pytest.mark.parametrize('hook', ['get_kid', 'wrap_key', 'get_key_wrap_algorithm'])
@pytest.mark.parametrize('call', [write[1] for write in ENCRYPTED_WRITES], ids=[write[0] for write in ENCRYPTED_WRITES])
async def test_a_failing_wrap_hook_raises_its_error_before_any_request(services, call, hook, coroutine):
    # As legacy: the hook's own exception, nothing sent, nothing changed.
    for service in (services.blob, services.page, services.queues, services.tables):
        service.key_encryption_key = _failing_key(hook, coroutine)
    services.tables.encryption_resolver_function = lambda pk, rk, name: name == 'v'
    with pytest.raises(_VaultDown, match='key vault unreachable'):
        await call(services)
    assert services.sent == []
    services.blob.key_encryption_key = None
    assert (await services.blob.get_blob_to_bytes(services.container, BLOB)).content == CONTENT


async def _read_blob(s):
    return await s.blob.get_blob_to_bytes(s.container, 'secret')


async def _read_blob_range(s):
    return await s.blob.get_blob_to_bytes(s.container, 'secret', start_range=17, end_range=20)


async def _peek(s):
    return await s.queues.peek_messages(s.queue)


async def _get(s):
    return await s.queues.get_messages(s.queue)


async def _get_entity(s):
    return await s.tables.get_entity(s.table, 'p', 'r')


async def _query_entities(s):
    return await s.tables.query_entities(s.table)


@pytest.mark.parametrize('read', [_read_blob, _read_blob_range, _peek, _get, _get_entity, _query_entities],
                         ids=['blob', 'blob-range', 'queue-peek', 'queue-get', 'table-get', 'table-query'])
@pytest.mark.parametrize('coroutine', [False, True], ids=['plain', 'coroutine'])
@pytest.mark.parametrize('hook', ['key_resolver_function', 'get_kid', 'unwrap_key'])
async def test_a_failing_unwrap_hook_is_the_legacy_decryption_failure_without_retries(services, read, hook, coroutine):
    kek = KeyWrapper()
    for service in (services.blob, services.queues, services.tables):
        service.key_encryption_key = kek
    services.tables.encryption_resolver_function = lambda pk, rk, name: name == 'v'
    await services.blob.create_blob_from_bytes(services.container, 'secret', b'a secret of 32 bytes, or nearly')
    await services.queues.put_message(services.queue, 'secret')
    await services.tables.insert_entity(services.table, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 'secret'})
    for service in (services.blob, services.queues, services.tables):
        if hook == 'key_resolver_function':
            service.key_encryption_key = None
            service.key_resolver_function = _failing_hook(coroutine)
        else:
            service.key_encryption_key = _failing_key(hook, coroutine)
    services.sent.clear()
    with pytest.raises(AzureException) as info:
        await read(services)
    assert str(info.value) == 'Decryption failed'
    assert isinstance(info.value.__cause__, _VaultDown)
    assert len(services.sent) == 1
