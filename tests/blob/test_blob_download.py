"""Downloads: whole and ranged, single and chunked, to bytes, text, streams and paths."""
import asyncio
import base64
import gzip
import hashlib
import io
import os

import pytest
from azure.common import AzureException, AzureHttpError

from azure.storage.blob import BlockBlobService, ContentSettings

MiB = 1024 * 1024
DATA = os.urandom(MiB + 4321)


class WriteOnlyStream(io.RawIOBase):
    """A sink that cannot seek, like a pipe or a socket."""

    def __init__(self):
        super().__init__()
        self.received = bytearray()

    def writable(self):
        return True

    def seekable(self):
        return False

    def write(self, data):
        self.received += data
        return len(data)


@pytest.fixture
async def stored(service, container, small_chunks):
    """A 1 MiB blob, and the service set to read it in 64 KiB ranges after a 128 KiB first get."""
    await service.create_blob_from_bytes(container, 'data', DATA)
    small_chunks(service)
    return container, 'data'


@pytest.mark.parametrize('connections', [1, 4])
async def test_whole_blob_in_ranges(service, stored, connections):
    progress = []
    blob = await service.get_blob_to_bytes(*stored, max_connections=connections,
                                           progress_callback=lambda *a: progress.append(a))
    assert blob.content == DATA
    assert blob.properties.content_length == len(DATA)
    assert blob.properties.content_range == 'bytes 0-{}/{}'.format(len(DATA) - 1, len(DATA))
    assert blob.properties.content_settings.content_md5 == \
        base64.b64encode(hashlib.md5(DATA).digest()).decode()
    assert progress[0] == (128 * 1024, len(DATA))
    assert progress[-1] == (len(DATA), len(DATA))
    currents = [current for current, _ in progress]
    assert currents == sorted(currents)
    assert len(progress) == 1 + -(-(len(DATA) - 128 * 1024) // (64 * 1024))


@pytest.mark.parametrize('connections', [1, 4])
@pytest.mark.parametrize('start, end', [
    (0, 0), (0, 64 * 1024 - 1), (64 * 1024 - 1, 64 * 1024), (128 * 1024 - 1, 128 * 1024),
    (128 * 1024, 256 * 1024 - 1), (5, 128 * 1024 + 5), (100, 700 * 1024 + 3), (MiB, None), (0, 10 * MiB),
    (len(DATA) - 1, None),
])
async def test_ranges_at_chunk_boundaries(service, stored, connections, start, end):
    blob = await service.get_blob_to_bytes(*stored, start_range=start, end_range=end, max_connections=connections)
    expected = DATA[start:None if end is None else end + 1]
    assert blob.content == expected
    assert blob.properties.content_length == len(expected)


async def test_parallel_download_bounds_ranges_in_flight_and_writes_each_as_it_arrives(service, stored):
    gets = {'now': 0, 'max': 0, 'started': 0}
    get_blob = service._get_blob

    async def counting_get_blob(*args, **kwargs):
        # Counted around the whole call, so a retried request still counts once.
        gets['now'] += 1
        gets['started'] += 1
        gets['max'] = max(gets['max'], gets['now'])
        try:
            return await get_blob(*args, **kwargs)
        finally:
            gets['now'] -= 1

    class RecordingStream(io.BytesIO):
        def write(self, data):
            writes.append(gets['started'])
            return super().write(data)

    writes = []
    service._get_blob = counting_get_blob
    stream = RecordingStream()
    await service.get_blob_to_stream(*stored, stream, max_connections=3)
    del service._get_blob
    assert stream.getvalue() == DATA
    ranges = 1 + -(-(len(DATA) - 128 * 1024) // (64 * 1024))
    assert gets['started'] == ranges and gets['max'] == 3
    # The first range after the first get is written while the others are still to come,
    # not once they have all arrived: at most three are ever held in memory.
    assert len(writes) == ranges and writes[1] <= 1 + 3


async def test_text_and_stream_targets(service, container, small_chunks):
    text = 'ünïcødé text, ' * 20000
    await service.create_blob_from_text(container, 'text', text, encoding='utf-8')
    small_chunks(service)
    assert (await service.get_blob_to_text(container, 'text', max_connections=3)).content == text
    assert (await service.get_blob_to_text(container, 'text', start_range=0, end_range=5)).content == 'ünïc'

    stream = io.BytesIO(b'prefix:')
    stream.seek(7)
    blob = await service.get_blob_to_stream(container, 'text', stream, max_connections=4)
    assert stream.getvalue() == b'prefix:' + text.encode('utf-8')
    assert blob.content is None and blob.name == 'text'

    sink = WriteOnlyStream()
    await service.get_blob_to_stream(container, 'text', sink, max_connections=1)
    assert bytes(sink.received) == text.encode('utf-8')


async def test_parallel_download_needs_a_seekable_stream(offline_service):
    with pytest.raises(ValueError, match='Parallel operations require a seekable stream'):
        await offline_service.get_blob_to_stream('c', 'b', WriteOnlyStream(), max_connections=2)
    with pytest.raises(ValueError, match='Parallel operations require a seekable stream'):
        await offline_service.get_blob_to_path('c', 'b', '/tmp/never-written', open_mode='ab', max_connections=2)


async def test_big_blob_to_path_and_bytes(service, container, small_chunks, tmp_path):
    data = os.urandom(20 * MiB + 17)
    await service.create_blob_from_bytes(container, 'big', data)
    small_chunks(service, get=MiB, chunk=256 * 1024)
    path = tmp_path / 'big.bin'
    blob = await service.get_blob_to_path(container, 'big', str(path), max_connections=4)
    assert blob.properties.content_length == len(data)
    assert hashlib.md5(path.read_bytes()).hexdigest() == hashlib.md5(data).hexdigest()
    sequential = await service.get_blob_to_bytes(container, 'big', max_connections=1)
    assert hashlib.md5(sequential.content).hexdigest() == hashlib.md5(data).hexdigest()


async def test_to_path_modes(service, stored, tmp_path):
    path = tmp_path / 'out.bin'
    path.write_bytes(b'old content that is longer than the range')
    await service.get_blob_to_path(*stored, str(path), start_range=0, end_range=9)
    assert path.read_bytes() == DATA[:10]
    await service.get_blob_to_path(*stored, str(path), open_mode='ab', start_range=10, end_range=300 * 1024,
                                   max_connections=1)
    assert path.read_bytes() == DATA[:300 * 1024 + 1]


async def test_validate_content_checks_every_range(service, stored):
    progress = []
    blob = await service.get_blob_to_bytes(*stored, validate_content=True, max_connections=4,
                                           progress_callback=lambda *a: progress.append(a))
    assert blob.content == DATA
    # With validation the first request is a chunk-sized one too.
    assert progress[0] == (64 * 1024, len(DATA))

    def corrupt(response):
        if response.body:
            response.body = b'X' + response.body[1:]

    service.response_callback = corrupt
    with pytest.raises(AzureException, match='MD5 mismatch'):
        await service.get_blob_to_bytes(*stored, validate_content=True)
    service.response_callback = None


async def test_validated_ranges_must_fit_what_the_service_hashes(offline_service):
    offline_service.MAX_CHUNK_GET_SIZE = 5 * MiB
    with pytest.raises(ValueError, match='greater than 4MB'):
        await offline_service.get_blob_to_bytes('c', 'b', validate_content=True)


async def test_conditions_on_downloads(service, stored):
    etag = (await service.get_blob_properties(*stored)).properties.etag
    with pytest.raises(AzureHttpError) as info:
        await service.get_blob_to_bytes(*stored, if_match='"0x0"')
    assert info.value.status_code == 412
    with pytest.raises(AzureHttpError) as info:
        await service.get_blob_to_bytes(*stored, if_none_match=etag)
    assert info.value.status_code == 304
    assert (await service.get_blob_to_bytes(*stored, if_match=etag, max_connections=3)).content == DATA


async def test_blob_changed_during_a_chunked_download_fails(service, stored, make_service, connection_string):
    ranges = []

    async with make_service(connection_string=connection_string) as writer:
        async def change_blob(request):
            # Distinct ranges: a retried request must not count twice.
            if 'x-ms-range' in request.headers and request.headers['x-ms-range'] not in ranges:
                ranges.append(request.headers['x-ms-range'])
                if len(ranges) == 2:
                    await writer.create_blob_from_bytes(*stored, b'replaced')

        service.request_callback = change_blob
        with pytest.raises(AzureHttpError) as info:
            await service.get_blob_to_bytes(*stored, max_connections=1)
        service.request_callback = None
    assert info.value.status_code == 412


async def test_snapshots_and_leases(service, stored):
    snapshot = (await service.snapshot_blob(*stored)).snapshot
    await service.create_blob_from_bytes(*stored, b'new content')
    old = await service.get_blob_to_bytes(*stored, snapshot=snapshot, max_connections=4)
    assert old.content == DATA and old.snapshot == snapshot
    lease_id = await service.acquire_blob_lease(*stored)
    assert (await service.get_blob_to_bytes(*stored, lease_id=lease_id)).content == b'new content'
    with pytest.raises(AzureHttpError) as info:
        await service.get_blob_to_bytes(*stored, lease_id='00000000-0000-0000-0000-000000000000')
    assert info.value.status_code in (409, 412)
    await service.release_blob_lease(*stored, lease_id)


async def test_empty_blob(service, container):
    await service.create_blob_from_bytes(container, 'empty', b'')
    progress = []
    blob = await service.get_blob_to_bytes(container, 'empty', progress_callback=lambda *a: progress.append(a))
    assert blob.content == b''
    assert blob.properties.content_length == 0
    assert progress == [(0, 0)]
    with pytest.raises(AzureHttpError) as info:
        await service.get_blob_to_bytes(container, 'empty', start_range=0)
    assert info.value.status_code == 416


async def test_gzip_content_comes_back_byte_for_byte(service, container, small_chunks):
    payload = gzip.compress(b'compressible ' * 50000)
    await service.create_blob_from_bytes(container, 'data.gz', payload,
                                         content_settings=ContentSettings('text/plain', content_encoding='gzip'))
    blob = await service.get_blob_to_bytes(container, 'data.gz')
    assert blob.content == payload
    assert blob.properties.content_settings.content_encoding == 'gzip'
    small_chunks(service, get=1024, chunk=700)
    assert (await service.get_blob_to_bytes(container, 'data.gz', max_connections=4)).content == payload
    assert (await service.get_blob_to_bytes(container, 'data.gz', start_range=3, end_range=2000)).content == \
        payload[3:2001]


async def test_coroutine_progress_callback_is_awaited(service, stored):
    seen = []

    async def report(current, total):
        await asyncio.sleep(0)
        seen.append(current)

    await service.get_blob_to_bytes(*stored, max_connections=4, progress_callback=report)
    assert seen == sorted(seen) and seen[-1] == len(DATA)


async def test_cancelled_download_leaves_the_service_usable(service, stored, tmp_path):
    started = asyncio.Event()

    def sent(request):
        if request.headers.get('x-ms-range', '').startswith('bytes=131072'):
            started.set()

    service.request_callback = sent
    download = asyncio.ensure_future(service.get_blob_to_path(*stored, str(tmp_path / 'partial'), max_connections=4))
    await started.wait()
    download.cancel()
    with pytest.raises(asyncio.CancelledError):
        await download
    service.request_callback = None
    assert [task for task in asyncio.all_tasks() if task is not asyncio.current_task()] == []
    assert (await service.get_blob_to_bytes(*stored)).content == DATA


@pytest.mark.parametrize('call, message', [
    (lambda s: s.get_blob_to_bytes(None, 'b'), 'container_name should not be None.'),
    (lambda s: s.get_blob_to_bytes('c', None), 'blob_name should not be None.'),
    (lambda s: s.get_blob_to_bytes('c', 'b', end_range=10), 'start_range should not be None.'),
    (lambda s: s.get_blob_to_text('c', 'b', encoding=None), 'encoding should not be None.'),
    (lambda s: s.get_blob_to_stream('c', 'b', None), 'stream should not be None.'),
    (lambda s: s.get_blob_to_path('c', 'b', None), 'file_path should not be None.'),
    (lambda s: s.get_blob_to_path('c', 'b', '/tmp/x', open_mode=None), 'open_mode should not be None.'),
])
async def test_bad_input_fails_before_any_request(offline_service, call, message):
    with pytest.raises(ValueError) as info:
        await call(offline_service)
    assert message in str(info.value)


async def test_require_encryption_without_keys_refuses_downloads(offline_service):
    offline_service.require_encryption = True
    with pytest.raises(ValueError, match='Decryption required but neither key nor resolver was provided'):
        await offline_service.get_blob_to_bytes('c', 'b')


async def test_services_can_be_reused_after_close(connection_string, stored):
    blob_service = BlockBlobService(connection_string=connection_string)
    assert (await blob_service.get_blob_to_bytes(*stored, start_range=0, end_range=3)).content == DATA[:4]
    await blob_service.close()
    async with blob_service:
        assert (await blob_service.get_blob_to_bytes(*stored, start_range=4, end_range=7)).content == DATA[4:8]
