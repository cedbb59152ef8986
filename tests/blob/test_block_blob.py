"""Block blob uploads: single puts, blocks and block lists, chunked and parallel uploads."""
import asyncio
import hashlib
import io
import os
import threading

import pytest
from azure.common import AzureException, AzureHttpError

from azure.storage.blob import (
    AppendBlobService,
    BlobBlock,
    BlobPermissions,
    BlockBlobService,
    BlockListType,
    ContentSettings,
    PageBlobService,
    ResourceProperties,
)
from azure.storage.blob.models import BlobBlockState
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.retry import no_retry

MiB = 1024 * 1024


class UnseekableStream(io.RawIOBase):
    """A pipe-like stream: reads only, and at most ``step`` bytes per read."""

    def __init__(self, data, step=7000):
        super().__init__()
        self._data = memoryview(data)
        self._position = 0
        self._step = step

    def readable(self):
        return True

    def seekable(self):
        return False

    def tell(self):
        raise io.UnsupportedOperation('not seekable')

    def read(self, size=-1):
        size = self._step if size is None or size < 0 else min(size, self._step)
        chunk = bytes(self._data[self._position:self._position + size])
        self._position += len(chunk)
        return chunk


class FailingStream(io.BytesIO):
    """Fails once ``fail_at`` bytes have been read."""

    def __init__(self, data, fail_at):
        super().__init__(data)
        self._fail_at = fail_at

    def read(self, size=-1):
        if self.tell() >= self._fail_at:
            raise OSError('disk on fire')
        return super().read(size)


def md5(data):
    return hashlib.md5(data).hexdigest()


async def test_single_put_from_bytes_text_and_stream(service, container):
    resp = await service.create_blob_from_bytes(container, 'bytes', b'0123456789', index=2, count=5,
                                                metadata={'Source': 'bytes'},
                                                content_settings=ContentSettings(content_type='x/y'))
    assert isinstance(resp, ResourceProperties) and resp.etag and resp.last_modified
    blob = await service.get_blob_to_bytes(container, 'bytes')
    assert blob.content == b'23456'
    assert blob.metadata == {'Source': 'bytes'}
    assert blob.properties.content_settings.content_type == 'x/y'

    await service.create_blob_from_bytes(container, 'tail', b'0123456789', index=7)
    assert (await service.get_blob_to_bytes(container, 'tail')).content == b'789'

    await service.create_blob_from_text(container, 'text', 'héllo wörld', encoding='utf-16')
    assert (await service.get_blob_to_text(container, 'text', encoding='utf-16')).content == 'héllo wörld'
    assert (await service.get_blob_to_bytes(container, 'text')).content == 'héllo wörld'.encode('utf-16')

    stream = io.BytesIO(b'skip:streamed content and more')
    stream.seek(5)
    await service.create_blob_from_stream(container, 'stream', stream, count=16, validate_content=True)
    assert (await service.get_blob_to_bytes(container, 'stream')).content == b'streamed content'


async def test_single_put_progress_and_conditions(service, container):
    progress = []
    await service.create_blob_from_bytes(container, 'p', b'x' * 1000, progress_callback=lambda *a: progress.append(a))
    assert progress == [(0, 1000), (1000, 1000)]
    etag = (await service.get_blob_properties(container, 'p')).properties.etag
    with pytest.raises(AzureHttpError) as info:
        await service.create_blob_from_bytes(container, 'p', b'new', if_none_match='*')
    assert info.value.status_code == 409 or info.value.status_code == 412
    await service.create_blob_from_bytes(container, 'p', b'new', if_match=etag)
    assert (await service.get_blob_to_bytes(container, 'p')).content == b'new'


async def test_count_beyond_the_stream_fails(service, container):
    with pytest.raises(ValueError, match='count is greater than the amount of data'):
        await service.create_blob_from_stream(container, 'short', io.BytesIO(b'abc'), count=10)
    assert not await service.exists(container, 'short')


async def test_blocks_and_block_lists(service, container):
    await service.put_block(container, 'blocks', b'AAA', 'block-1')
    await service.put_block(container, 'blocks', io.BytesIO(b'BBBB'), 'block-2', validate_content=True)
    await service.put_block(container, 'blocks', UnseekableStream(b'CC', step=1), 'block-3')
    uncommitted = await service.get_block_list(container, 'blocks', block_list_type=BlockListType.All)
    assert uncommitted.committed_blocks == []
    assert [(b.id, b.state, b.size) for b in uncommitted.uncommitted_blocks] == [
        ('block-1', 'Uncommitted', 3), ('block-2', 'Uncommitted', 4), ('block-3', 'Uncommitted', 2)]

    resp = await service.put_block_list(container, 'blocks', [BlobBlock('block-3'), BlobBlock('block-1')],
                                        metadata={'kind': 'blocks'}, validate_content=True,
                                        content_settings=ContentSettings(content_type='text/plain'))
    assert resp.etag
    blob = await service.get_blob_to_bytes(container, 'blocks')
    assert blob.content == b'CCAAA'
    assert blob.metadata == {'kind': 'blocks'}
    committed = await service.get_block_list(container, 'blocks', block_list_type=BlockListType.Committed)
    assert [(b.id, b.state, b.size) for b in committed.committed_blocks] == [
        ('block-3', 'Committed', 2), ('block-1', 'Committed', 3)]

    # Re-commit one committed block and add a new one.
    await service.put_block(container, 'blocks', b'DD', 'block-4')
    await service.put_block_list(container, 'blocks', [BlobBlock('block-1', BlobBlockState.Committed),
                                                       BlobBlock('block-4', BlobBlockState.Uncommitted)])
    assert (await service.get_blob_to_bytes(container, 'blocks')).content == b'AAADD'
    with pytest.raises(AzureHttpError) as info:
        await service.put_block_list(container, 'blocks', [BlobBlock('block-2', BlobBlockState.Committed)])
    assert info.value.status_code == 400


async def test_put_block_from_url(service, container):
    await service.create_blob_from_bytes(container, 'source', b'0123456789')
    token = service.generate_blob_shared_access_signature(container, 'source', permission=BlobPermissions.READ,
                                                          expiry='2099-01-01T00:00:00Z')
    url = service.make_blob_url(container, 'source', sas_token=token)
    await service.put_block_from_url(container, 'target', url, 'from-url-1', source_range_start=2,
                                     source_range_end=5)
    await service.put_block_from_url(container, 'target', url, 'from-url-2')
    await service.put_block_list(container, 'target', [BlobBlock('from-url-1'), BlobBlock('from-url-2')])
    assert (await service.get_blob_to_bytes(container, 'target')).content == b'2345' + b'0123456789'


async def test_chunked_upload_sequential(service, container, small_chunks):
    small_chunks(service)
    data = os.urandom(20 * MiB + 1234)
    progress = []

    async def report(current, total):
        progress.append((current, total))

    await service.create_blob_from_bytes(container, 'big', data, max_connections=1, progress_callback=report)
    blocks = (await service.get_block_list(container, 'big')).committed_blocks
    assert len(blocks) == -(-len(data) // service.MAX_BLOCK_SIZE)
    assert all(block.size == service.MAX_BLOCK_SIZE for block in blocks[:-1])
    assert progress[0] == (0, len(data)) and progress[-1] == (len(data), len(data))
    assert [current for current, _ in progress] == sorted(current for current, _ in progress)
    service.MAX_SINGLE_GET_SIZE = 32 * MiB
    downloaded = await service.get_blob_to_bytes(container, 'big', max_connections=1)
    assert md5(downloaded.content) == md5(data)


async def test_parallel_upload_bounds_requests_and_reads(service, container, small_chunks):
    small_chunks(service)
    data = os.urandom(4 * MiB + 5)
    in_flight = {'now': 0, 'max': 0, 'done': 0}
    lead = []
    put_block = service._put_block

    async def counting_put_block(*args, **kwargs):
        # Counted around the whole call, so a retried request still counts once.
        in_flight['now'] += 1
        in_flight['max'] = max(in_flight['max'], in_flight['now'])
        try:
            return await put_block(*args, **kwargs)
        finally:
            in_flight['now'] -= 1
            in_flight['done'] += 1

    class TrackingStream(io.BytesIO):
        def read(self, size=-1):
            chunk = super().read(size)
            if chunk:
                # How many chunks were read ahead of the ones already uploaded.
                lead.append(-(-self.tell() // service.MAX_BLOCK_SIZE) - in_flight['done'])
            return chunk

    service._put_block = counting_put_block
    await service.create_blob_from_stream(container, 'parallel', TrackingStream(data), max_connections=4)
    del service._put_block
    assert in_flight['max'] == 4
    assert max(lead) <= 4
    assert md5((await service.get_blob_to_bytes(container, 'parallel')).content) == md5(data)


async def test_parallel_upload_of_unknown_length_and_unseekable_streams(service, container, small_chunks):
    small_chunks(service)
    data = os.urandom(MiB + 77)
    await service.create_blob_from_stream(container, 'unknown', io.BytesIO(data), max_connections=3)
    assert (await service.get_blob_to_bytes(container, 'unknown')).content == data

    await service.create_blob_from_stream(container, 'pipe', UnseekableStream(data), max_connections=1)
    assert (await service.get_blob_to_bytes(container, 'pipe')).content == data
    await service.create_blob_from_stream(container, 'pipe-count', UnseekableStream(data), count=len(data),
                                          max_connections=1)
    assert (await service.get_blob_to_bytes(container, 'pipe-count')).content == data
    small = UnseekableStream(b'small pipe')
    await service.create_blob_from_stream(container, 'small-pipe', small, count=10, max_connections=5)
    assert (await service.get_blob_to_bytes(container, 'small-pipe')).content == b'small pipe'


async def test_parallel_upload_refuses_unseekable_streams_before_any_request(offline_service, small_chunks):
    small_chunks(offline_service)
    with pytest.raises(ValueError, match='Parallel operations require a seekable stream'):
        await offline_service.create_blob_from_stream('c', 'b', UnseekableStream(b'x' * 300000), max_connections=2)
    with pytest.raises(ValueError, match='Parallel operations require a seekable stream'):
        await offline_service.create_blob_from_stream('c', 'b', UnseekableStream(b'x'), count=None)


async def test_large_block_upload_streams_from_the_source(service, container, small_chunks):
    small_chunks(service, put=100 * 1024, block=150 * 1024)
    service.MIN_LARGE_BLOCK_UPLOAD_THRESHOLD = 100 * 1024
    data = os.urandom(1000 * 1024 + 3)
    stream = io.BytesIO(b'head' + data)
    stream.seek(4)
    progress = []
    await service.create_blob_from_stream(container, 'substreams', stream, max_connections=3,
                                          progress_callback=lambda *a: progress.append(a))
    blocks = (await service.get_block_list(container, 'substreams')).committed_blocks
    upload_id = blocks[0].id[:32]
    assert [block.id for block in blocks] == ['{}{:010d}'.format(upload_id, i) for i in range(7)]
    assert (await service.get_blob_to_bytes(container, 'substreams')).content == data
    assert progress[-1] == (len(data), None)
    # validate_content needs whole blocks in memory: the buffered path is used instead.
    await service.create_blob_from_stream(container, 'validated', io.BytesIO(data), max_connections=2,
                                          validate_content=True)
    blocks = (await service.get_block_list(container, 'validated')).committed_blocks
    assert not blocks[0].id.startswith(upload_id)
    assert (await service.get_blob_to_bytes(container, 'validated')).content == data


async def test_upload_from_path(service, container, small_chunks, tmp_path):
    small_chunks(service)
    data = os.urandom(3 * MiB + 11)
    path = tmp_path / 'upload.bin'
    path.write_bytes(data)
    await service.create_blob_from_path(container, 'from-path', str(path), max_connections=4,
                                        content_settings=ContentSettings(content_type='application/x-test'),
                                        metadata={'origin': 'file'})
    blob = await service.get_blob_to_bytes(container, 'from-path')
    assert md5(blob.content) == md5(data)
    assert blob.properties.content_settings.content_type == 'application/x-test'
    assert blob.metadata == {'origin': 'file'}
    small = tmp_path / 'small.txt'
    small.write_bytes(b'tiny')
    await service.create_blob_from_path(container, 'small', str(small))
    assert (await service.get_blob_to_bytes(container, 'small')).content == b'tiny'


@pytest.mark.parametrize('service_class, upload', [
    (BlockBlobService, 'create_blob_from_path'),
    (PageBlobService, 'create_blob_from_path'),
    (AppendBlobService, 'append_blob_from_path'),
])
async def test_path_uploads_ask_for_the_file_size_off_the_loop(offline_service, tmp_path, monkeypatch,
                                                               service_class, upload):
    path = tmp_path / 'upload.bin'
    path.write_bytes(b'x' * 512)
    threads = []
    getsize = os.path.getsize

    def recording_getsize(file_path):
        threads.append(threading.current_thread())
        return getsize(file_path)

    monkeypatch.setattr(os.path, 'getsize', recording_getsize)
    connection_string = 'DefaultEndpointsProtocol=http;AccountName={};AccountKey={};BlobEndpoint=http://{}'.format(
        DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, offline_service.primary_endpoint)
    async with service_class(connection_string=connection_string) as blob_service:
        blob_service.retry = no_retry
        with pytest.raises(AzureException):
            await getattr(blob_service, upload)('c', 'b', str(path))
    assert len(threads) == 1 and threads[0] is not threading.main_thread()


async def test_failed_block_leaves_the_blob_untouched(service, container, small_chunks):
    await service.create_blob_from_bytes(container, 'guarded', b'original')
    await service.acquire_blob_lease(container, 'guarded')
    small_chunks(service)
    with pytest.raises(AzureHttpError) as info:
        await service.create_blob_from_bytes(container, 'guarded', os.urandom(MiB), max_connections=4)
    assert info.value.status_code == 412
    assert (await service.get_blob_to_bytes(container, 'guarded')).content == b'original'
    await service.break_blob_lease(container, 'guarded', lease_break_period=0)


async def test_failing_stream_commits_nothing(service, container, small_chunks):
    small_chunks(service)
    data = os.urandom(MiB)
    for connections in (1, 4):
        with pytest.raises(OSError, match='disk on fire'):
            await service.create_blob_from_stream(container, 'broken', FailingStream(data, 500 * 1024),
                                                  max_connections=connections)
        assert not await service.exists(container, 'broken')
    listed = await service.list_blobs(container, include='uncommittedblobs')
    assert [blob.properties.content_length for blob in listed] == [0]
    await service.create_blob_from_bytes(container, 'after', b'still works')
    assert (await service.get_blob_to_bytes(container, 'after')).content == b'still works'


async def test_cancelled_upload_leaves_the_service_usable(service, container, small_chunks):
    small_chunks(service)
    started = asyncio.Event()

    def sent(request):
        if request.query.get('comp') == 'block':
            started.set()

    service.request_callback = sent
    upload = asyncio.ensure_future(
        service.create_blob_from_bytes(container, 'cancelled', os.urandom(8 * MiB), max_connections=4))
    await started.wait()
    upload.cancel()
    with pytest.raises(asyncio.CancelledError):
        await upload
    service.request_callback = None
    assert [task for task in asyncio.all_tasks() if task is not asyncio.current_task()] == []
    assert not await service.exists(container, 'cancelled')
    await service.create_blob_from_bytes(container, 'after', b'fine')
    assert (await service.get_blob_to_bytes(container, 'after')).content == b'fine'


async def test_hundred_concurrent_uploads_through_one_service(service, container):
    payloads = {'blob-{:03d}'.format(i): os.urandom(1000 + i) for i in range(100)}
    await asyncio.gather(*(service.create_blob_from_bytes(container, name, data) for name, data in payloads.items()))
    listed = {blob.name: blob.properties.content_length async for blob in service.list_blobs(container)}
    assert listed == {name: len(data) for name, data in payloads.items()}
    downloaded = await asyncio.gather(*(service.get_blob_to_bytes(container, name) for name in payloads))
    assert [blob.content for blob in downloaded] == list(payloads.values())


async def test_unusual_names_round_trip(service, container):
    for name in ["a b.txt", "100%.txt", "c++", "#hash", "why?", "it's", "ünïcødé 日本", "dir/sub dir/file"]:
        await service.create_blob_from_text(container, name, name)
        assert (await service.get_blob_to_text(container, name)).content == name
        assert (await service.get_blob_properties(container, name)).name == name


async def test_require_encryption_refuses_unencrypted_block_methods(offline_service):
    offline_service.require_encryption = True
    with pytest.raises(ValueError, match='encryption is not supported for this method'):
        await offline_service.put_block('c', 'b', b'x', 'id')
    with pytest.raises(ValueError, match='encryption is not supported for this method'):
        await offline_service.put_block_list('c', 'b', [])
    with pytest.raises(ValueError, match='Encryption required but no key was provided'):
        await offline_service.create_blob_from_bytes('c', 'b', b'x')


@pytest.mark.parametrize('call, error, message', [
    (lambda s: s.create_blob_from_bytes(None, 'b', b'x'), ValueError, 'container_name should not be None.'),
    (lambda s: s.create_blob_from_bytes('c', None, b'x'), ValueError, 'blob_name should not be None.'),
    (lambda s: s.create_blob_from_bytes('c', 'b', None), ValueError, 'blob should not be None.'),
    (lambda s: s.create_blob_from_bytes('c', 'b', 'text'), TypeError, 'blob should be of type bytes.'),
    (lambda s: s.create_blob_from_bytes('c', 'b', b'x', index=-1), IndexError, 'index should not be negative.'),
    (lambda s: s.create_blob_from_text('c', 'b', None), ValueError, 'text should not be None.'),
    (lambda s: s.create_blob_from_text('c', 'b', 'x', encoding=None), ValueError, 'encoding should not be None.'),
    (lambda s: s.create_blob_from_stream('c', 'b', None), ValueError, 'stream should not be None.'),
    (lambda s: s.create_blob_from_path('c', 'b', None), ValueError, 'file_path should not be None.'),
    (lambda s: s.put_block('c', 'b', None, 'id'), ValueError, 'block should not be None.'),
    (lambda s: s.put_block('c', 'b', b'x', None), ValueError, 'block_id should not be None.'),
    (lambda s: s.put_block('c', 'b', 'not bytes', 'id'), TypeError, 'block should be of type bytes or'),
    (lambda s: s.put_block_list('c', 'b', None), ValueError, 'block_list should not be None.'),
    (lambda s: s.put_block_list('c', 'b', [BlobBlock()]), ValueError, 'valid block ids'),
    (lambda s: s.get_block_list('c', None), ValueError, 'blob_name should not be None.'),
    (lambda s: s.put_block_from_url('c', 'b', None, 'id'), ValueError, 'copy_source_url should not be None.'),
    (lambda s: s.put_block_from_url('c', 'b', 'http://x', 'id', source_range_end=5), ValueError,
     'start_range should not be None.'),
])
async def test_bad_input_fails_before_any_request(offline_service, call, error, message):
    with pytest.raises(error) as info:
        await call(offline_service)
    assert message in str(info.value)


async def test_customer_provided_keys_need_https(offline_service):
    from azure.storage.blob import CustomerProvidedEncryptionKey
    key = CustomerProvidedEncryptionKey('a2V5', 'aGFzaA==')
    with pytest.raises(ValueError, match='must be used over HTTPS'):
        await offline_service.create_blob_from_bytes('c', 'b', b'x', cpk=key)
    with pytest.raises(ValueError, match='must be used over HTTPS'):
        await offline_service.get_blob_properties('c', 'b', cpk=key)


async def test_transport_failure_is_wrapped(offline_service):
    with pytest.raises(AzureException):
        await offline_service.create_blob_from_bytes('c', 'b', b'x')
