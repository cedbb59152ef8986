"""PageBlobService against Azurite: pages, ranges, sequence numbers, resizes, chunked uploads."""
import base64
import hashlib
import io
import os
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureException, AzureHttpError
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap

from azure.storage.blob import BlobPermissions, ContentSettings, PageBlobService, SequenceNumberAction
from azure.storage.blob._deserialization import _convert_xml_to_page_ranges
from azure.storage.blob._error import (
    _ERROR_PAGE_BLOB_END_ALIGNMENT,
    _ERROR_PAGE_BLOB_SIZE_ALIGNMENT,
    _ERROR_PAGE_BLOB_START_ALIGNMENT,
)
from azure.storage.blob._serialization import _sequence_number_headers, _source_conditional_headers
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common._error import _ERROR_PARALLEL_NOT_SEEKABLE, _ERROR_UNSUPPORTED_METHOD_FOR_ENCRYPTION
from azure.storage.common._http import HTTPResponse
from azure.storage.common.retry import LinearRetry, no_retry

from azurite import free_port
from testkit import PipeStream

KIB = 1024
MIB = 1024 * KIB


@pytest.fixture
async def pages(connection_string):
    """A PageBlobService with quick retries."""
    async with PageBlobService(connection_string=connection_string) as service:
        service.retry = LinearRetry(backoff=0.1, max_attempts=3, random_jitter_range=0).retry
        yield service


@pytest.fixture
async def offline_pages():
    """A PageBlobService at a closed port that never retries: any request fails with AzureException."""
    connection_string = 'DefaultEndpointsProtocol=http;AccountName={0};AccountKey={1};' \
                        'BlobEndpoint=http://127.0.0.1:{2}/{0}'.format(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, free_port())
    async with PageBlobService(connection_string=connection_string) as service:
        service.retry = no_retry
        yield service


def record_requests(service):
    """Collect every request the service sends (method, query and headers as signed)."""
    sent = []
    service.request_callback = lambda request: sent.append(request)
    return sent


def page_writes(sent):
    return [request for request in sent if request.query.get('comp') == 'page']


class LocalKeyWrapper:
    """A key-encryption-key held in memory (AES key wrap), for client-side encryption tests."""

    def __init__(self, kid='local:page-kek'):
        self.key = os.urandom(32)
        self.kid = kid

    def wrap_key(self, key):
        return aes_key_wrap(self.key, key)

    def unwrap_key(self, key, algorithm):
        return aes_key_unwrap(self.key, key)

    def get_key_wrap_algorithm(self):
        return 'A256KW'

    def get_kid(self):
        return self.kid


def sparse_content(size, written):
    """``size`` zero bytes with ``{offset: bytes}`` written over them."""
    content = bytearray(size)
    for offset, data in written.items():
        content[offset:offset + len(data)] = data
    return bytes(content)


def spans(ranges):
    return [(page_range.start, page_range.end, page_range.is_cleared) for page_range in ranges]


# Pure logic


def test_page_ranges_parse_written_and_cleared_ranges():
    body = (b'<?xml version="1.0" encoding="utf-8"?><PageList>'
            b'<PageRange><Start>0</Start><End>511</End></PageRange>'
            b'<ClearRange><Start>512</Start><End>1023</End></ClearRange>'
            b'<PageRange><Start>4096</Start><End>8191</End></PageRange></PageList>')
    ranges = _convert_xml_to_page_ranges(HTTPResponse(200, 'OK', {}, body))
    assert spans(ranges) == [(0, 511, False), (512, 1023, True), (4096, 8191, False)]
    assert _convert_xml_to_page_ranges(HTTPResponse(200, 'OK', {}, b'<PageList />')) == []


def test_condition_headers():
    assert _sequence_number_headers(7, None, 0) == {
        'x-ms-if-sequence-number-le': '7', 'x-ms-if-sequence-number-lt': None, 'x-ms-if-sequence-number-eq': '0'}
    assert _source_conditional_headers(datetime(2020, 1, 2, 3, 4, 5), None, '"etag"', '*') == {
        'x-ms-source-if-modified-since': 'Thu, 02 Jan 2020 03:04:05 GMT',
        'x-ms-source-if-unmodified-since': None,
        'x-ms-source-if-match': '"etag"',
        'x-ms-source-if-none-match': '*',
    }


# Validation before any request


async def test_alignment_is_checked_before_any_request(offline_pages):
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_START_ALIGNMENT):
        await offline_pages.update_page('c', 'b', b'x' * 512, 1, 512)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_END_ALIGNMENT):
        await offline_pages.update_page('c', 'b', b'x' * 512, 0, 510)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_END_ALIGNMENT):
        await offline_pages.clear_page('c', 'b', 512, 1024)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_START_ALIGNMENT):
        await offline_pages.update_page_from_url('c', 'b', 100, 611, 'http://x/c/b', 0)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_START_ALIGNMENT):
        await offline_pages.get_page_ranges('c', 'b', start_range=3)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_END_ALIGNMENT):
        await offline_pages.get_page_ranges_diff('c', 'b', 'snap', start_range=0, end_range=512)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_SIZE_ALIGNMENT.format(1000).replace('.', r'\.')):
        await offline_pages.create_blob_from_bytes('c', 'b', b'x' * 1000)
    with pytest.raises(ValueError, match=_ERROR_PAGE_BLOB_SIZE_ALIGNMENT.format(100).replace('.', r'\.')):
        await offline_pages.create_blob_from_stream('c', 'b', io.BytesIO(b'x' * 512), 100)


async def test_bad_arguments_fail_before_any_request(offline_pages, tmp_path):
    with pytest.raises(ValueError, match='start_range'):
        await offline_pages.update_page('c', 'b', b'x' * 512, None, 511)
    with pytest.raises(ValueError, match='end_range'):
        await offline_pages.clear_page('c', 'b', 0, None)
    with pytest.raises(TypeError):
        await offline_pages.update_page('c', 'b', 'text is not bytes', 0, 511)
    with pytest.raises(ValueError, match='container_name'):
        await offline_pages.create_blob(None, 'b', 512)
    with pytest.raises(ValueError, match='content_length'):
        await offline_pages.create_blob('c', 'b', None)
    with pytest.raises(ValueError, match='content_length'):
        await offline_pages.resize_blob('c', 'b', None)
    with pytest.raises(ValueError, match='sequence_number_action'):
        await offline_pages.set_sequence_number('c', 'b', None)
    with pytest.raises(ValueError, match='premium_page_blob_tier'):
        await offline_pages.set_premium_page_blob_tier('c', 'b', None)
    with pytest.raises(ValueError, match='previous_snapshot'):
        await offline_pages.get_page_ranges_diff('c', 'b', None)
    with pytest.raises(ValueError, match='copy_source_url'):
        await offline_pages.update_page_from_url('c', 'b', 0, 511, None, 0)
    with pytest.raises(ValueError, match='source_range_start'):
        await offline_pages.update_page_from_url('c', 'b', 0, 511, 'http://x/c/b', None)
    with pytest.raises(ValueError, match='copy_source'):
        await offline_pages.incremental_copy_blob('c', 'b', None)
    with pytest.raises(ValueError, match='count'):
        await offline_pages.create_blob_from_stream('c', 'b', io.BytesIO(), None)
    with pytest.raises(ValueError, match='count should not be negative'):
        await offline_pages.create_blob_from_stream('c', 'b', io.BytesIO(), -512)
    with pytest.raises(IndexError):
        await offline_pages.create_blob_from_bytes('c', 'b', b'x' * 512, index=-1)
    with pytest.raises(TypeError):
        await offline_pages.create_blob_from_bytes('c', 'b', 'not bytes')
    with pytest.raises(ValueError, match='file_path'):
        await offline_pages.create_blob_from_path('c', 'b', None)
    with pytest.raises(ValueError, match=_ERROR_PARALLEL_NOT_SEEKABLE):
        await offline_pages.create_blob_from_stream('c', 'b', PipeStream(b'x' * 1024), 1024, max_connections=2)
    odd_file = tmp_path / 'odd.bin'
    odd_file.write_bytes(b'x' * 513)
    with pytest.raises(ValueError, match='513'):
        await offline_pages.create_blob_from_path('c', 'b', str(odd_file))
    # A request that does go out fails: the checks above really came first.
    with pytest.raises(AzureException):
        await offline_pages.create_blob('c', 'b', 512)


async def test_encryption_is_refused_where_legacy_refused_it(offline_pages):
    offline_pages.require_encryption = True
    offline_pages.key_encryption_key = LocalKeyWrapper()
    for call in (offline_pages.create_blob('c', 'b', 512),
                 offline_pages.update_page('c', 'b', b'x' * 512, 0, 511),
                 offline_pages.update_page_from_url('c', 'b', 0, 511, 'http://x/c/b', 0)):
        with pytest.raises(ValueError, match=_ERROR_UNSUPPORTED_METHOD_FOR_ENCRYPTION):
            await call
    offline_pages.key_encryption_key = None
    with pytest.raises(ValueError, match='Encryption required'):
        await offline_pages.create_blob_from_bytes('c', 'b', b'x' * 512)


# Creating


async def test_create_blob_with_properties(pages, container):
    resp = await pages.create_blob(container, 'disk.vhd', 2 * KIB, sequence_number=7, metadata={'Kind': 'disk'},
                                   content_settings=ContentSettings(content_type='application/x-vhd'))
    assert resp.etag and resp.last_modified

    blob = await pages.get_blob_properties(container, 'disk.vhd')
    assert blob.properties.blob_type == 'PageBlob'
    assert blob.properties.content_length == 2 * KIB
    assert blob.properties.page_blob_sequence_number == 7
    assert blob.properties.content_settings.content_type == 'application/x-vhd'
    assert blob.metadata == {'Kind': 'disk'}
    assert (await pages.get_blob_to_bytes(container, 'disk.vhd')).content == bytes(2 * KIB)
    assert await pages.get_page_ranges(container, 'disk.vhd') == []


async def test_create_blob_conditions(pages, container):
    first = await pages.create_blob(container, 'b', 512)
    with pytest.raises(AzureHttpError) as failure:
        await pages.create_blob(container, 'b', 1024, if_none_match='*')
    assert failure.value.status_code == 409
    with pytest.raises(AzureHttpError) as failure:
        await pages.create_blob(container, 'b', 1024, if_match='"0x1234"')
    assert failure.value.status_code == 412
    await pages.create_blob(container, 'b', 1024, if_match=first.etag)
    assert (await pages.get_blob_properties(container, 'b')).properties.content_length == 1024


# Pages


async def test_update_and_clear_pages_read_back_exactly(pages, container):
    await pages.create_blob(container, 'b', 4 * KIB)
    first = os.urandom(1024)
    resp = await pages.update_page(container, 'b', first, 512, 1535)
    assert resp.etag and resp.sequence_number == 0
    await pages.clear_page(container, 'b', 512, 1023)
    last = os.urandom(512)
    await pages.update_page(container, 'b', last, 3584, 4095)

    expected = sparse_content(4 * KIB, {1024: first[512:], 3584: last})
    assert (await pages.get_blob_to_bytes(container, 'b')).content == expected
    assert spans(await pages.get_page_ranges(container, 'b')) == [(1024, 1535, False), (3584, 4095, False)]
    assert spans(await pages.get_page_ranges(container, 'b', start_range=2048)) == [(3584, 4095, False)]
    assert spans(await pages.get_page_ranges(container, 'b', start_range=0, end_range=1535)) == \
        [(1024, 1535, False)]
    ranged = await pages.get_blob_to_bytes(container, 'b', start_range=1000, end_range=1100)
    assert ranged.content == expected[1000:1101]


async def test_update_page_sends_the_content_md5(pages, container):
    await pages.create_blob(container, 'b', 1024)
    sent = record_requests(pages)
    page = os.urandom(512)
    await pages.update_page(container, 'b', page, 0, 511, validate_content=True)
    assert sent[-1].headers['Content-MD5'] == base64.b64encode(hashlib.md5(page).digest()).decode()
    assert sent[-1].headers['x-ms-range'] == 'bytes=0-511'
    assert sent[-1].headers['x-ms-page-write'] == 'update'


async def test_page_write_conditions_and_lease(pages, container):
    created = await pages.create_blob(container, 'b', 1024)
    with pytest.raises(AzureHttpError) as failure:
        await pages.update_page(container, 'b', b'x' * 512, 0, 511, if_match='"0x0"')
    assert failure.value.status_code == 412
    future = datetime.now(timezone.utc) + timedelta(hours=1)
    with pytest.raises(AzureHttpError) as failure:
        await pages.clear_page(container, 'b', 0, 511, if_modified_since=future)
    assert failure.value.status_code == 412
    await pages.update_page(container, 'b', b'x' * 512, 0, 511, if_match=created.etag)

    lease_id = await pages.acquire_blob_lease(container, 'b')
    with pytest.raises(AzureHttpError) as failure:
        await pages.update_page(container, 'b', b'y' * 512, 512, 1023)
    assert failure.value.status_code == 412
    await pages.update_page(container, 'b', b'y' * 512, 512, 1023, lease_id=lease_id)
    await pages.clear_page(container, 'b', 0, 511, lease_id=lease_id)
    await pages.release_blob_lease(container, 'b', lease_id)
    assert (await pages.get_blob_to_bytes(container, 'b')).content == bytes(512) + b'y' * 512


async def test_page_ranges_of_a_snapshot(pages, container):
    await pages.create_blob(container, 'b', 4 * KIB)
    await pages.update_page(container, 'b', b'a' * 1024, 0, 1023)
    snapshot = (await pages.snapshot_blob(container, 'b')).snapshot
    await pages.clear_page(container, 'b', 0, 511)
    await pages.update_page(container, 'b', b'b' * 512, 2048, 2559)

    assert spans(await pages.get_page_ranges(container, 'b', snapshot=snapshot)) == [(0, 1023, False)]
    assert spans(await pages.get_page_ranges(container, 'b')) == [(512, 1023, False), (2048, 2559, False)]
    old = await pages.get_blob_to_bytes(container, 'b', snapshot=snapshot)
    assert old.content == sparse_content(4 * KIB, {0: b'a' * 1024})
    await pages.delete_blob(container, 'b', delete_snapshots='include')


async def test_page_ranges_diff_lists_written_and_cleared_pages(pages, container, azurite):
    if azurite is not None:
        pytest.skip('Azurite ignores prevsnapshot: it lists the current ranges instead of the changes')
    await pages.create_blob(container, 'b', 4 * KIB)
    await pages.update_page(container, 'b', b'a' * 1024, 0, 1023)
    earlier = (await pages.snapshot_blob(container, 'b')).snapshot
    await pages.clear_page(container, 'b', 0, 511)
    await pages.update_page(container, 'b', b'b' * 512, 2048, 2559)
    later = (await pages.snapshot_blob(container, 'b')).snapshot
    await pages.update_page(container, 'b', b'c' * 512, 3584, 4095)

    assert spans(await pages.get_page_ranges_diff(container, 'b', earlier, snapshot=later)) == \
        [(0, 511, True), (2048, 2559, False)]
    assert spans(await pages.get_page_ranges_diff(container, 'b', later)) == [(3584, 4095, False)]
    await pages.delete_blob(container, 'b', delete_snapshots='include')


@pytest.mark.emulator_only
async def test_page_ranges_diff_request_on_azurite(pages, container):
    await pages.create_blob(container, 'b', 2 * KIB)
    earlier = (await pages.snapshot_blob(container, 'b')).snapshot
    await pages.update_page(container, 'b', b'b' * 512, 1024, 1535)
    sent = record_requests(pages)
    ranges = await pages.get_page_ranges_diff(container, 'b', earlier, start_range=0, end_range=2047)
    assert spans(ranges) == [(1024, 1535, False)]
    assert sent[-1].query['prevsnapshot'] == earlier
    assert sent[-1].headers['x-ms-range'] == 'bytes=0-2047'
    await pages.delete_blob(container, 'b', delete_snapshots='include')


# Sequence numbers


async def test_sequence_number_conditions(pages, container):
    await pages.create_blob(container, 'b', 1024, sequence_number=5)
    page = b'p' * 512
    for condition in ({'if_sequence_number_lt': 5}, {'if_sequence_number_lte': 4}, {'if_sequence_number_eq': 6}):
        with pytest.raises(AzureHttpError) as failure:
            await pages.update_page(container, 'b', page, 0, 511, **condition)
        assert failure.value.status_code == 412
        assert failure.value.error_code == 'SequenceNumberConditionNotMet'
    with pytest.raises(AzureHttpError) as failure:
        await pages.clear_page(container, 'b', 0, 511, if_sequence_number_eq=4)
    assert failure.value.error_code == 'SequenceNumberConditionNotMet'
    assert await pages.get_page_ranges(container, 'b') == []

    for condition in ({'if_sequence_number_lt': 6}, {'if_sequence_number_lte': 5}, {'if_sequence_number_eq': 5}):
        resp = await pages.update_page(container, 'b', page, 0, 511, **condition)
        assert resp.sequence_number == 5
    await pages.clear_page(container, 'b', 0, 511, if_sequence_number_lte=5)
    assert await pages.get_page_ranges(container, 'b') == []


async def test_set_sequence_number_actions(pages, container):
    await pages.create_blob(container, 'b', 512)
    assert (await pages.set_sequence_number(container, 'b', SequenceNumberAction.Update, 3)).sequence_number == 3
    assert (await pages.set_sequence_number(container, 'b', SequenceNumberAction.Max, 2)).sequence_number == 3
    assert (await pages.set_sequence_number(container, 'b', SequenceNumberAction.Max, 10)).sequence_number == 10
    assert (await pages.set_sequence_number(container, 'b', SequenceNumberAction.Increment)).sequence_number == 11
    assert (await pages.get_blob_properties(container, 'b')).properties.page_blob_sequence_number == 11
    with pytest.raises(AzureHttpError) as failure:
        await pages.set_sequence_number(container, 'b', SequenceNumberAction.Update, 1, if_match='"0x0"')
    assert failure.value.status_code == 412


# Sizes


async def test_resize_up_and_down(pages, container):
    data = os.urandom(1024)
    await pages.create_blob_from_bytes(container, 'b', data)
    resp = await pages.resize_blob(container, 'b', 3 * KIB)
    assert resp.etag
    assert (await pages.get_blob_to_bytes(container, 'b')).content == data + bytes(2 * KIB)
    await pages.update_page(container, 'b', b'z' * 512, 2560, 3071)

    await pages.resize_blob(container, 'b', 512)
    blob = await pages.get_blob_to_bytes(container, 'b')
    assert blob.content == data[:512]
    assert blob.properties.content_length == 512
    assert spans(await pages.get_page_ranges(container, 'b')) == [(0, 511, False)]
    await pages.resize_blob(container, 'b', 1024)
    assert (await pages.get_blob_to_bytes(container, 'b')).content == data[:512] + bytes(512)


# Chunked uploads


@pytest.mark.parametrize('max_connections', [1, 3])
async def test_create_from_bytes_skips_zero_pages_and_reads_back_sparse(pages, container, max_connections):
    pages.MAX_PAGE_SIZE = 4 * KIB
    pages.MAX_SINGLE_GET_SIZE = 8 * KIB
    pages.MAX_CHUNK_GET_SIZE = 4 * KIB
    chunk = pages.MAX_PAGE_SIZE
    written = {0: os.urandom(chunk), 3 * chunk: os.urandom(chunk), 7 * chunk + 512: os.urandom(512)}
    content = sparse_content(8 * chunk, written)
    sent = record_requests(pages)
    progress = []

    resp = await pages.create_blob_from_bytes(container, 'sparse', content, max_connections=max_connections,
                                              progress_callback=lambda current, total: progress.append(
                                                  (current, total)))
    writes = page_writes(sent)
    assert sorted(request.headers['x-ms-range'] for request in writes) == \
        ['bytes=0-4095', 'bytes=12288-16383', 'bytes=28672-32767']
    if max_connections == 1:
        # Each write is pinned to the ETag the previous request left, and the last one's is returned
        # (in parallel, that of the write answered last, as legacy did).
        assert all(request.headers.get('If-Match') for request in writes)
        assert resp.etag == (await pages.get_blob_properties(container, 'sparse')).properties.etag
    assert resp.etag and resp.last_modified
    assert progress[0] == (0, len(content)) and progress[-1] == (len(content), len(content))

    assert spans(await pages.get_page_ranges(container, 'sparse')) == \
        [(0, 4095, False), (12288, 16383, False), (28672, 32767, False)]
    assert (await pages.get_blob_to_bytes(container, 'sparse', max_connections=max_connections)).content == content


async def test_create_from_bytes_of_zeros_and_of_nothing(pages, container):
    resp = await pages.create_blob_from_bytes(container, 'zeros', bytes(2048))
    assert resp.etag == (await pages.get_blob_properties(container, 'zeros')).properties.etag
    assert await pages.get_page_ranges(container, 'zeros') == []
    assert (await pages.get_blob_to_bytes(container, 'zeros')).content == bytes(2048)

    resp = await pages.create_blob_from_bytes(container, 'empty', b'')
    assert resp.etag
    assert (await pages.get_blob_to_bytes(container, 'empty')).content == b''


async def test_create_from_bytes_index_and_count(pages, container):
    data = os.urandom(2048)
    await pages.create_blob_from_bytes(container, 'b', data, index=512, count=1024)
    assert (await pages.get_blob_to_bytes(container, 'b')).content == data[512:1536]
    await pages.create_blob_from_bytes(container, 'b', data, index=1024)
    assert (await pages.get_blob_to_bytes(container, 'b')).content == data[1024:]


async def test_create_from_stream_conditions_apply_to_the_creation(pages, container):
    await pages.create_blob(container, 'b', 512)
    with pytest.raises(AzureHttpError) as failure:
        await pages.create_blob_from_stream(container, 'b', io.BytesIO(b'x' * 1024), 1024, if_none_match='*')
    assert failure.value.status_code == 409
    assert (await pages.get_blob_properties(container, 'b')).properties.content_length == 512

    metadata = {'source': 'stream'}
    await pages.create_blob_from_stream(container, 'b', PipeStream(b'y' * 1536), 1024, max_connections=1,
                                        metadata=metadata, validate_content=True)
    blob = await pages.get_blob_to_bytes(container, 'b')
    assert blob.content == b'y' * 1024 and blob.metadata == metadata


async def test_upload_bounds_pages_in_flight_and_in_memory(pages, container):
    pages.MAX_PAGE_SIZE = 16 * KIB
    data = os.urandom(40 * pages.MAX_PAGE_SIZE)
    stream = io.BytesIO(data)
    in_flight = []
    peak = {'flight': 0, 'read_ahead': 0}
    acknowledged = []

    def on_request(request):
        if request.query.get('comp') == 'page':
            in_flight.append(request)
            peak['flight'] = max(peak['flight'], len(in_flight))
            unacknowledged = stream.tell() - sum(acknowledged)
            peak['read_ahead'] = max(peak['read_ahead'], unacknowledged)

    def on_response(response):
        if in_flight and response.headers.get('x-ms-blob-sequence-number') is not None:
            in_flight.pop()
            acknowledged.append(pages.MAX_PAGE_SIZE)

    pages.request_callback = on_request
    pages.response_callback = on_response
    await pages.create_blob_from_stream(container, 'b', stream, len(data), max_connections=3)
    assert 1 < peak['flight'] <= 3
    assert peak['read_ahead'] <= 3 * pages.MAX_PAGE_SIZE
    assert (await pages.get_blob_to_bytes(container, 'b')).content == data


async def test_large_upload_and_download_match_by_md5(pages, container):
    pages.MAX_PAGE_SIZE = 256 * KIB
    pages.MAX_SINGLE_GET_SIZE = 1 * MIB
    pages.MAX_CHUNK_GET_SIZE = 512 * KIB
    data = os.urandom(20 * MIB)
    progress = []

    async def report(current, total):
        progress.append(current)

    await pages.create_blob_from_bytes(container, 'big', data, max_connections=4, progress_callback=report)
    assert progress == sorted(progress) and progress[-1] == len(data)
    assert len(progress) == 1 + len(data) // pages.MAX_PAGE_SIZE

    sink = io.BytesIO()
    blob = await pages.get_blob_to_stream(container, 'big', sink, max_connections=4)
    assert blob.properties.content_length == len(data)
    assert hashlib.md5(sink.getvalue()).hexdigest() == hashlib.md5(data).hexdigest()
    await pages.delete_blob(container, 'big')


async def test_create_from_path_and_download_to_path(pages, container, tmp_path):
    pages.MAX_PAGE_SIZE = 64 * KIB
    data = sparse_content(512 * KIB, {0: os.urandom(100 * KIB), 300 * KIB: os.urandom(64 * KIB)})
    source = tmp_path / 'disk.img'
    source.write_bytes(data)
    await pages.create_blob_from_path(container, 'disk.img', str(source), max_connections=2,
                                      content_settings=ContentSettings(content_type='application/octet-stream'))
    target = tmp_path / 'copy.img'
    await pages.get_blob_to_path(container, 'disk.img', str(target))
    assert target.read_bytes() == data


async def test_client_side_encrypted_page_blob_round_trip(pages, container):
    pages.MAX_PAGE_SIZE = 2 * KIB
    pages.key_encryption_key = LocalKeyWrapper()
    data = os.urandom(8 * KIB)
    await pages.create_blob_from_bytes(container, 'secret', data, max_connections=2)
    assert (await pages.get_blob_to_bytes(container, 'secret')).content == data
    ranged = await pages.get_blob_to_bytes(container, 'secret', start_range=100, end_range=5000)
    assert ranged.content == data[100:5001]

    pages.key_encryption_key = None
    raw = await pages.get_blob_to_bytes(container, 'secret')
    assert len(raw.content) == len(data) and raw.content != data
    assert 'encryptiondata' in raw.metadata


# Copies and tiers


async def test_copy_page_blob(pages, container):
    data = sparse_content(4 * KIB, {1024: os.urandom(1024)})
    await pages.create_blob_from_bytes(container, 'source', data)
    copy = await pages.copy_blob(container, 'copy', pages.make_blob_url(container, 'source'),
                                 metadata={'copied': 'yes'})
    assert copy.status == 'success' and copy.id
    blob = await pages.get_blob_to_bytes(container, 'copy')
    assert blob.content == data and blob.properties.blob_type == 'PageBlob'
    assert blob.metadata == {'copied': 'yes'}


async def test_premium_tiers_reach_the_service(pages, container):
    # Premium tiers only exist on premium accounts: Azurite (and a standard account) refuse them.
    await pages.create_blob(container, 'b', 512)
    sent = record_requests(pages)
    with pytest.raises(AzureHttpError) as failure:
        await pages.set_premium_page_blob_tier(container, 'b', 'P10')
    assert failure.value.status_code == 400
    assert sent[-1].query['comp'] == 'tier' and sent[-1].headers['x-ms-access-tier'] == 'P10'
    with pytest.raises(AzureHttpError):
        await pages.create_blob(container, 'c', 512, premium_page_blob_tier='P20')
    assert sent[-1].headers['x-ms-access-tier'] == 'P20'
    with pytest.raises(AzureHttpError):
        await pages.copy_blob(container, 'd', pages.make_blob_url(container, 'b'), premium_page_blob_tier='P30')
    assert sent[-1].headers['x-ms-access-tier'] == 'P30'


@pytest.mark.emulator_only
async def test_copy_from_url_operations_on_azurite(pages, container):
    # Azurite 3 answers Put Page From URL and Incremental Copy with 501: check what is sent.
    await pages.create_blob(container, 'b', 2048)
    sent = record_requests(pages)
    source = pages.make_blob_url(container, 'src')
    with pytest.raises(AzureHttpError) as failure:
        await pages.update_page_from_url(container, 'b', 1024, 2047, source, 512, source_if_match='"0x1"',
                                         if_sequence_number_lte=3)
    assert failure.value.status_code == 501
    headers = sent[-1].headers
    assert headers['x-ms-range'] == 'bytes=1024-2047' and headers['x-ms-source-range'] == 'bytes=512-1535'
    assert headers['x-ms-copy-source'] == source and headers['x-ms-page-write'] == 'update'
    assert headers['x-ms-source-if-match'] == '"0x1"' and headers['x-ms-if-sequence-number-le'] == '3'

    with pytest.raises(AzureHttpError) as failure:
        await pages.incremental_copy_blob(container, 'inc', source + '?snapshot=x', metadata={'a': 'b'})
    assert failure.value.status_code == 501
    assert sent[-1].query['comp'] == 'incrementalcopy' and sent[-1].headers['x-ms-meta-a'] == 'b'


def source_url_with_sas(pages, container, blob_name, snapshot=None):
    token = pages.generate_blob_shared_access_signature(
        container, blob_name, snapshot=snapshot, permission=BlobPermissions.READ,
        expiry=datetime.now(timezone.utc) + timedelta(hours=1))
    return pages.make_blob_url(container, blob_name, sas_token=token, snapshot=snapshot)


async def test_update_page_from_url(pages, container, azurite):
    if azurite is not None:
        pytest.skip('Azurite does not implement Put Page From URL (501)')
    source = os.urandom(2048)
    await pages.create_blob_from_bytes(container, 'src', source)
    await pages.create_blob(container, 'dst', 2048)
    url = source_url_with_sas(pages, container, 'src')
    resp = await pages.update_page_from_url(container, 'dst', 1024, 2047, url, 512)
    assert resp.etag
    assert (await pages.get_blob_to_bytes(container, 'dst')).content == bytes(1024) + source[512:1536]


async def test_incremental_copy_blob(pages, container, azurite):
    if azurite is not None:
        pytest.skip('Azurite does not implement Incremental Copy Blob (501)')
    data = os.urandom(2048)
    await pages.create_blob_from_bytes(container, 'src', data)
    snapshot = (await pages.snapshot_blob(container, 'src')).snapshot
    url = source_url_with_sas(pages, container, 'src', snapshot=snapshot)
    copy = await pages.incremental_copy_blob(container, 'inc', url)
    assert copy.id and copy.status in ('pending', 'success')
    assert (await pages.get_blob_properties(container, 'inc')).properties.blob_type == 'PageBlob'
    await pages.delete_blob(container, 'inc', delete_snapshots='include')
    await pages.delete_blob(container, 'src', delete_snapshots='include')
