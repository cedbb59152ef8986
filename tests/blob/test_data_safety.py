"""No silent damage: cancellation, lost answers, late requests, concurrent writers, bad counts.

Each test is a reproduction of issue 9: it failed before the fix. Faults come from a proxy
in front of Azurite (tests/common/faultproxy.py); slow disks from a file object whose reads
and writes sleep in the worker thread that runs them.
"""
import asyncio
import io
import os
import threading
import time

import pytest
from azure.common import AzureException, AzureHttpError

from azure.storage.blob import AppendBlobService, BlockBlobService, PageBlobService
from azure.storage.common.retry import no_retry

from azurite import free_port
from common.rawclient import endpoint_connection_string
from testkit import KeyWrapper, PipeStream, fast_retry

KIB = 1024
MIB = 1024 * KIB


class SlowFile:
    """
    A real file (it has a fileno, so the port reads and writes it in a worker thread) whose
    reads and writes take ``delay`` seconds, like a busy or network disk. ``busy`` tells how
    many of them are running right now; ``started`` is set when one starts.
    """

    def __init__(self, path, mode, delay=0.5):
        self._file = open(path, mode)
        self.delay = delay
        self.busy = 0
        self.started = threading.Event()
        self._lock = threading.Lock()

    def _slowly(self, function, *args):
        with self._lock:
            self.busy += 1
        self.started.set()
        try:
            time.sleep(self.delay)
            return function(*args)
        finally:
            with self._lock:
                self.busy -= 1

    def read(self, size=-1):
        return self._slowly(self._file.read, size)

    def write(self, data):
        return self._slowly(self._file.write, data)

    def fileno(self):
        return self._file.fileno()

    def seek(self, *args):
        return self._file.seek(*args)

    def tell(self):
        return self._file.tell()

    def seekable(self):
        return True

    def truncate(self, *args):
        return self._file.truncate(*args)

    def close(self):
        self._file.close()


async def cancel_when_started(call, slow_file):
    """Run ``call``, cancel it while a slow read or write of ``slow_file`` runs, and await the cancellation."""
    task = asyncio.ensure_future(call)
    await asyncio.get_running_loop().run_in_executor(None, slow_file.started.wait, 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.fixture
def proxied_service():
    """What the shared ``fault_proxy`` (tests/conftest.py) stands in front of: the blob endpoint."""
    return 'blob', BlockBlobService


@pytest.fixture
def proxied(fault_proxy):
    """``proxied(ServiceClass)``: a service of that class whose endpoint is the fault proxy, with quick retries."""
    def make(service_class, **attributes):
        service = service_class(connection_string=endpoint_connection_string(fault_proxy.address))
        service.retry = fast_retry()
        for name, value in attributes.items():
            setattr(service, name, value)
        return service
    return make


def temporary_files(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith('.part'))


# 1. A cancelled transfer never touches the caller's stream after the cancellation returned.

async def test_cancelled_upload_leaves_no_read_running(service, container, tmp_path, small_chunks):
    small_chunks(service, put=MIB, block=MIB)
    data = os.urandom(8 * MIB)
    path = tmp_path / 'source.bin'
    path.write_bytes(data)
    stream = SlowFile(path, 'rb', delay=0.3)
    try:
        await cancel_when_started(
            service.create_blob_from_stream(container, 'blob', stream, count=len(data), max_connections=4), stream)
        assert stream.busy == 0
        position = stream.tell()
        await asyncio.sleep(0.5)
        assert stream.tell() == position
        # A retry from the start uploads the whole stream.
        stream.seek(0)
        stream.delay = 0
        await service.create_blob_from_stream(container, 'blob', stream, count=len(data), max_connections=4)
    finally:
        stream.close()
    assert (await service.get_blob_to_bytes(container, 'blob')).content == data


async def test_cancelled_download_leaves_no_write_running(service, container, tmp_path, small_chunks):
    small_chunks(service, get=MIB, chunk=MIB)
    data = os.urandom(8 * MIB)
    await service.create_blob_from_bytes(container, 'blob', data)
    path = tmp_path / 'target.bin'
    path.write_bytes(b'')
    stream = SlowFile(path, 'r+b', delay=0.3)
    try:
        await cancel_when_started(service.get_blob_to_stream(container, 'blob', stream, max_connections=4), stream)
        assert stream.busy == 0
        stream.seek(0)
        stream.truncate()
        stream.delay = 0
        await service.get_blob_to_stream(container, 'blob', stream, max_connections=4)
    finally:
        stream.close()
    assert path.read_bytes() == data


# 4. Downloads to a path are atomic.

async def test_download_of_a_missing_blob_leaves_the_file_as_it_was(service, container, tmp_path):
    path = tmp_path / 'precious.txt'
    path.write_bytes(b'keep me')
    with pytest.raises(AzureHttpError) as caught:
        await service.get_blob_to_path(container, 'missing', str(path))
    assert caught.value.status_code == 404
    assert path.read_bytes() == b'keep me'
    assert temporary_files(tmp_path) == []


async def test_cancelled_download_to_a_path_leaves_the_file_as_it_was(service, container, tmp_path, small_chunks):
    small_chunks(service)
    await service.create_blob_from_bytes(container, 'blob', os.urandom(4 * MIB))
    path = tmp_path / 'precious.bin'
    path.write_bytes(b'keep me')
    first_range = asyncio.Event()

    def on_progress(current, total):
        first_range.set()

    task = asyncio.ensure_future(service.get_blob_to_path(container, 'blob', str(path), max_connections=2,
                                                          progress_callback=on_progress))
    await first_range.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert path.read_bytes() == b'keep me'
    assert temporary_files(tmp_path) == []


async def test_failed_download_to_a_path_leaves_the_file_as_it_was(fault_proxy, proxied, service, container,
                                                                   tmp_path, small_chunks):
    small_chunks(service)
    await service.create_blob_from_bytes(container, 'blob', os.urandom(2 * MIB))
    path = tmp_path / 'precious.bin'
    path.write_bytes(b'keep me')
    async with small_chunks(proxied(BlockBlobService, retry=no_retry)) as through_proxy:
        fault_proxy.inject('forward', times=3)
        fault_proxy.inject('respond', status=500, reason='Internal Error')
        with pytest.raises(AzureHttpError):
            await through_proxy.get_blob_to_path(container, 'blob', str(path), max_connections=1)
    assert path.read_bytes() == b'keep me'
    assert temporary_files(tmp_path) == []


async def test_download_to_a_path_replaces_the_file_and_keeps_its_mode(service, container, tmp_path, small_chunks):
    small_chunks(service)
    data = os.urandom(MIB + 5)
    await service.create_blob_from_bytes(container, 'blob', data)
    path = tmp_path / 'target.bin'
    path.write_bytes(b'old content, longer than nothing')
    os.chmod(path, 0o640)
    blob = await service.get_blob_to_path(container, 'blob', str(path), max_connections=3)
    assert blob.properties.content_length == len(data)
    assert path.read_bytes() == data
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert temporary_files(tmp_path) == []


async def test_download_through_a_symlink_replaces_its_target(service, container, tmp_path):
    await service.create_blob_from_bytes(container, 'blob', b'new content')
    target, link = tmp_path / 'target.txt', tmp_path / 'link.txt'
    target.write_bytes(b'old')
    link.symlink_to(target)
    await service.get_blob_to_path(container, 'blob', str(link))
    assert link.is_symlink()
    assert target.read_bytes() == b'new content'
    assert temporary_files(tmp_path) == []


async def test_download_in_append_mode_keeps_the_legacy_behaviour(service, container, tmp_path):
    await service.create_blob_from_bytes(container, 'blob', b'-tail')
    path = tmp_path / 'log.txt'
    path.write_bytes(b'head')
    await service.get_blob_to_path(container, 'blob', str(path), open_mode='ab', max_connections=1)
    assert path.read_bytes() == b'head-tail'


# 2. Appends land exactly once, also when an answer is lost.

async def test_chunked_append_with_a_lost_answer_appends_each_block_once(fault_proxy, proxied, container,
                                                                         service):
    blocks = [bytes([65 + i]) * (64 * KIB) for i in range(3)]
    async with proxied(AppendBlobService, MAX_BLOCK_SIZE=64 * KIB) as appends:
        await appends.create_blob(container, 'log')
        fault_proxy.inject('forward')  # the length read up front
        # The first append is applied, its answer lost; twice, so that the retry policy sees the
        # loss whether or not aiohttp resends the request once by itself first.
        fault_proxy.inject('lose', times=2)
        await appends.append_blob_from_bytes(container, 'log', b''.join(blocks))
    assert (await service.get_blob_to_bytes(container, 'log')).content == b''.join(blocks)


async def test_chunked_append_without_retries_fails_loudly_after_a_lost_answer(fault_proxy, proxied, container,
                                                                               service):
    blocks = [bytes([65 + i]) * (64 * KIB) for i in range(3)]
    async with proxied(AppendBlobService, MAX_BLOCK_SIZE=64 * KIB, retry=no_retry) as appends:
        await appends.create_blob(container, 'log')
        fault_proxy.inject('forward')
        fault_proxy.inject('lose')
        # Whether aiohttp resends the append once by itself (it is then refused: its position
        # is taken) or not, the call fails and the block is in the blob once.
        with pytest.raises(AzureException):
            await appends.append_blob_from_bytes(container, 'log', b''.join(blocks))
    assert (await service.get_blob_to_bytes(container, 'log')).content == blocks[0]


async def test_chunked_append_starts_at_the_blob_length(proxied, container, service):
    async with proxied(AppendBlobService, MAX_BLOCK_SIZE=64 * KIB) as appends:
        await appends.create_blob(container, 'log')
        await appends.append_block(container, 'log', b'existing')
        sent = []
        appends.request_callback = lambda request: sent.append(request.headers.get('x-ms-blob-condition-appendpos'))
        await appends.append_blob_from_bytes(container, 'log', b'x' * (150 * KIB))
    assert sent == [None, '8', str(8 + 64 * KIB), str(8 + 128 * KIB)]


async def test_append_block_with_a_position_and_a_lost_answer_lands_once(fault_proxy, proxied, container, service):
    async with proxied(AppendBlobService) as appends:
        await appends.create_blob(container, 'log')
        fault_proxy.inject('lose', times=2)  # twice: see above
        result = await appends.append_block(container, 'log', b'record 1;', appendpos_condition=0)
        assert result.append_offset == 0
        assert result.committed_block_count == 1
    assert (await service.get_blob_to_bytes(container, 'log')).content == b'record 1;'


async def test_append_block_retried_after_another_writer_fails_loudly(fault_proxy, proxied, container, service,
                                                                      connection_string):
    async with proxied(AppendBlobService) as appends, \
            AppendBlobService(connection_string=connection_string) as other:
        await appends.create_blob(container, 'log')
        fault_proxy.inject('reset', times=2)  # not applied, and the client cannot know; twice: see above

        async def other_writer_first(context):
            if context.count == 1:
                await other.append_block(container, 'log', b'theirs;')

        appends.retry_callback = other_writer_first
        with pytest.raises(AzureHttpError, match='whether the earlier attempt was applied is unknown') as caught:
            await appends.append_block(container, 'log', b'mine;', appendpos_condition=0)
    assert caught.value.status_code == 412
    assert (await service.get_blob_to_bytes(container, 'log')).content == b'theirs;'


# Lost answers on the block and page write paths: the writes are idempotent, the result exact.

def lose_first(method_and_query):
    """A fault chooser that loses the answer of the first two requests whose target has ``method_and_query``."""
    method, query = method_and_query
    left = [2]

    def choose(request):
        if request.method == method and query in request.target and left[0]:
            left[0] -= 1
            return 'lose', {}
        return None
    return choose


@pytest.mark.parametrize('target', [('PUT', 'comp=block&'), ('PUT', 'comp=blocklist')])
async def test_block_upload_with_a_lost_answer_stores_exactly_the_data(fault_proxy, proxied, service, container,
                                                                       small_chunks, target):
    data = os.urandom(300 * KIB)
    async with small_chunks(proxied(BlockBlobService)) as through_proxy:
        fault_proxy.choose_fault = lose_first(target)
        await through_proxy.create_blob_from_bytes(container, 'blob', data, max_connections=2)
    assert (await service.get_blob_to_bytes(container, 'blob')).content == data
    assert sum(target[1] in request.target for request in fault_proxy.requests) >= 3


async def test_page_upload_with_a_lost_answer_stores_exactly_the_data(fault_proxy, proxied, service, container):
    data = os.urandom(512 * KIB)
    async with proxied(PageBlobService, MAX_PAGE_SIZE=64 * KIB) as pages:
        fault_proxy.choose_fault = lose_first(('PUT', 'comp=page'))
        await pages.create_blob_from_bytes(container, 'blob', data, max_connections=2)
    assert (await service.get_blob_to_bytes(container, 'blob')).content == data


@pytest.mark.parametrize('key', [None, KeyWrapper('local:kek')], ids=['plain', 'encrypted'])
async def test_page_upload_in_sequence_with_a_lost_answer_stores_exactly_the_data(fault_proxy, proxied, service,
                                                                                  container, key):
    # In sequence each page write carries the ETag of the write before it: the retry of a
    # write that landed fails on it (412), and the range is read back (as stored) instead.
    data = os.urandom(512 * KIB)
    async with proxied(PageBlobService, MAX_PAGE_SIZE=64 * KIB, key_encryption_key=key) as pages:
        fault_proxy.choose_fault = lose_first(('PUT', 'comp=page'))
        properties = await pages.create_blob_from_bytes(container, 'blob', data, max_connections=1)
    service.key_encryption_key = key
    stored = await service.get_blob_to_bytes(container, 'blob')
    assert stored.content == data
    assert properties.etag == stored.properties.etag
    assert [request.method for request in fault_proxy.requests].count('GET') == 1


async def test_page_upload_in_sequence_retried_after_another_writer_fails_loudly(fault_proxy, proxied, service,
                                                                                 container, connection_string):
    data = os.urandom(128 * KIB)
    async with proxied(PageBlobService, MAX_PAGE_SIZE=64 * KIB) as pages, \
            PageBlobService(connection_string=connection_string) as other:
        fault_proxy.inject('forward')  # the blob's creation
        fault_proxy.inject('reset', times=2)  # not applied, and the client cannot know; twice: see above

        async def other_writer_first(context):
            if context.count == 1:
                await other.update_page(container, 'blob', b'\x01' * 512, 64 * KIB, 64 * KIB + 511)

        pages.retry_callback = other_writer_first
        with pytest.raises(AzureHttpError, match='whether the earlier attempt was applied is unknown') as caught:
            await pages.create_blob_from_bytes(container, 'blob', data, max_connections=1)
    assert caught.value.status_code == 412
    stored = (await service.get_blob_to_bytes(container, 'blob')).content
    assert stored[:64 * KIB] == bytes(64 * KIB) and stored[64 * KIB:64 * KIB + 512] == b'\x01' * 512


# 3. Block ids are unique per upload: concurrent writers never mix.

async def test_an_upload_started_within_another_never_mixes_with_it(service, container, small_chunks):
    small_chunks(service)
    first, second = b'A' * (300 * KIB), b'B' * (300 * KIB)
    started_second = []

    async def start_second_upload(current, total):
        if current and not started_second:
            started_second.append(True)
            await service.create_blob_from_bytes(container, 'blob', second, max_connections=1)

    try:
        await service.create_blob_from_bytes(container, 'blob', first, max_connections=1,
                                             progress_callback=start_second_upload)
        first_failed = False
    except AzureHttpError:
        first_failed = True
    content = (await service.get_blob_to_bytes(container, 'blob')).content
    assert started_second
    assert content == (second if first_failed else first)


async def test_block_ids_of_one_blob_share_a_length_and_differ_between_uploads(service, container, small_chunks):
    small_chunks(service)
    ids = []
    for _ in range(2):
        await service.create_blob_from_bytes(container, 'blob', os.urandom(300 * KIB), max_connections=2)
        ids.append([block.id for block in (await service.get_block_list(container, 'blob')).committed_blocks])
    assert len(ids[0]) == 5
    assert {len(block_id) for block_id in ids[0] + ids[1]} == {42}
    assert not set(ids[0]) & set(ids[1])


# 5. count beyond the stream fails before anything is sent.

@pytest.mark.parametrize('upload', ['block', 'block-substreams', 'page', 'append'])
async def test_count_beyond_the_stream_fails_before_any_request(upload):
    service_class = {'page': PageBlobService, 'append': AppendBlobService}.get(upload, BlockBlobService)
    async with service_class(connection_string=endpoint_connection_string('127.0.0.1:{}'.format(free_port()))) \
            as offline:
        offline.retry = no_retry
        offline.MAX_SINGLE_PUT_SIZE = offline.MIN_LARGE_BLOCK_UPLOAD_THRESHOLD = offline.MAX_BLOCK_SIZE = MIB
        sent = []
        offline.request_callback = sent.append
        stream = io.BytesIO(b'x' * (2 * MIB))
        with pytest.raises(ValueError, match='count is greater than the amount of data in the stream'):
            if upload == 'append':
                await offline.append_blob_from_stream('c', 'b', stream, count=3 * MIB)
            elif upload == 'page':
                await offline.create_blob_from_stream('c', 'b', stream, count=3 * MIB)
            else:
                await offline.create_blob_from_stream('c', 'b', stream, count=3 * MIB,
                                                      use_byte_buffer=upload == 'block')
    assert sent == []


async def test_count_beyond_an_unseekable_stream_commits_nothing(service, container, small_chunks):
    small_chunks(service)
    with pytest.raises(ValueError, match='count is greater than the amount of data in the stream'):
        await service.create_blob_from_stream(container, 'short', PipeStream(b'x' * (2 * MIB)),
                                              count=3 * MIB, max_connections=1)
    assert not await service.exists(container, 'short')


# 7. URLs made by make_blob_url address exactly the blob named.

@pytest.mark.parametrize('name', ['a%25b', 'a%b', 'with space', 'hash#and?query', 'caf\u00e9/d\u00e9j\u00e0',
                                  'plus+sign'])
async def test_copy_from_make_blob_url_copies_exactly_that_blob(service, container, name):
    for other in ('a%25b', 'a%b', 'a'):
        await service.create_blob_from_bytes(container, other, other.encode())
    await service.create_blob_from_bytes(container, name, b'the one: ' + name.encode())
    copy = await service.copy_blob(container, 'copy', service.make_blob_url(container, name))
    assert copy.status == 'success'
    assert (await service.get_blob_to_bytes(container, 'copy')).content == b'the one: ' + name.encode()


def test_make_blob_url_encodes_names_as_the_service_expects(offline_service):
    url = offline_service.make_blob_url('c', 'a%25b c/d#e?f', snapshot='2020-01-01T00:00:00.0000000Z')
    assert url.endswith('/c/a%2525b%20c/d%23e%3Ff?snapshot=2020-01-01T00%3A00%3A00.0000000Z')
    assert offline_service.make_blob_url('c', 'plain/name.txt').endswith('/c/plain/name.txt')
