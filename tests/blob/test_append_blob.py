"""AppendBlobService against Azurite: appends, their conditions, sequential uploads, concurrent writers."""
import asyncio
import base64
import hashlib
import io
import os
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureException, AzureHttpError

from azure.storage.blob import AppendBlobService, BlobPermissions, ContentSettings
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common._error import _ERROR_UNSUPPORTED_METHOD_FOR_ENCRYPTION
from azure.storage.common.retry import LinearRetry, no_retry

from azurite import free_port
from testkit import PipeStream

KIB = 1024
MIB = 1024 * KIB


@pytest.fixture
async def appends(connection_string):
    """An AppendBlobService with quick retries."""
    async with AppendBlobService(connection_string=connection_string) as service:
        service.retry = LinearRetry(backoff=0.1, max_attempts=3, random_jitter_range=0).retry
        yield service


@pytest.fixture
async def offline_appends():
    """An AppendBlobService at a closed port that never retries: any request fails with AzureException."""
    connection_string = 'DefaultEndpointsProtocol=http;AccountName={0};AccountKey={1};' \
                        'BlobEndpoint=http://127.0.0.1:{2}/{0}'.format(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, free_port())
    async with AppendBlobService(connection_string=connection_string) as service:
        service.retry = no_retry
        yield service


@pytest.fixture
async def log_blob(appends, container):
    """An empty append blob in the test's container."""
    await appends.create_blob(container, 'log')
    return 'log'


def appended_blocks(service):
    """The Append Block requests the service sends, as they are signed."""
    sent = []
    service.request_callback = lambda request: sent.append(request) \
        if request.query.get('comp') == 'appendblock' else None
    return sent


async def content_of(service, container, blob_name):
    return (await service.get_blob_to_bytes(container, blob_name)).content


# Validation before any request


async def test_bad_arguments_fail_before_any_request(offline_appends):
    with pytest.raises(ValueError, match='block'):
        await offline_appends.append_block('c', 'b', None)
    with pytest.raises(TypeError):
        await offline_appends.append_block('c', 'b', 'text is not bytes')
    with pytest.raises(ValueError, match='blob_name'):
        await offline_appends.create_blob('c', None)
    with pytest.raises(ValueError, match='copy_source_url'):
        await offline_appends.append_block_from_url('c', 'b', None)
    with pytest.raises(ValueError, match='start_range'):
        await offline_appends.append_block_from_url('c', 'b', 'http://x/c/s', source_range_end=10)
    with pytest.raises(IndexError):
        await offline_appends.append_blob_from_bytes('c', 'b', b'abc', index=-1)
    with pytest.raises(TypeError):
        await offline_appends.append_blob_from_bytes('c', 'b', 'not bytes')
    with pytest.raises(ValueError, match='text'):
        await offline_appends.append_blob_from_text('c', 'b', None)
    with pytest.raises(ValueError, match='encoding'):
        await offline_appends.append_blob_from_text('c', 'b', 'text', encoding=None)
    with pytest.raises(ValueError, match='stream'):
        await offline_appends.append_blob_from_stream('c', 'b', None)
    with pytest.raises(ValueError, match='file_path'):
        await offline_appends.append_blob_from_path('c', 'b', None)
    offline_appends.require_encryption = True
    for call in (offline_appends.create_blob('c', 'b'), offline_appends.append_block('c', 'b', b'x'),
                 offline_appends.append_blob_from_bytes('c', 'b', b'x'),
                 offline_appends.append_block_from_url('c', 'b', 'http://x/c/s')):
        with pytest.raises(ValueError, match=_ERROR_UNSUPPORTED_METHOD_FOR_ENCRYPTION):
            await call
    offline_appends.require_encryption = False
    # A request that does go out fails: the checks above really came first.
    with pytest.raises(AzureException):
        await offline_appends.append_block('c', 'b', b'x')


# Blocks


async def test_create_blob_with_properties(appends, container):
    resp = await appends.create_blob(container, 'log.txt', metadata={'Kind': 'log'},
                                     content_settings=ContentSettings(content_type='text/plain'))
    assert resp.etag and resp.last_modified
    blob = await appends.get_blob_properties(container, 'log.txt')
    assert blob.properties.blob_type == 'AppendBlob'
    assert blob.properties.content_length == 0
    assert blob.properties.append_blob_committed_block_count == 0
    assert blob.properties.content_settings.content_type == 'text/plain'
    assert blob.metadata == {'Kind': 'log'}

    with pytest.raises(AzureHttpError) as failure:
        await appends.create_blob(container, 'log.txt', if_none_match='*')
    assert failure.value.status_code == 409


async def test_append_blocks_and_read_back(appends, container, log_blob):
    sent = appended_blocks(appends)
    first = await appends.append_block(container, log_blob, b'first line\n', validate_content=True)
    assert (first.append_offset, first.committed_block_count) == (0, 1)
    assert sent[-1].headers['Content-MD5'] == base64.b64encode(hashlib.md5(b'first line\n').digest()).decode()
    second = await appends.append_block(container, log_blob, b'second line\n', if_match=first.etag)
    assert (second.append_offset, second.committed_block_count) == (11, 2)
    assert second.etag != first.etag

    assert await content_of(appends, container, log_blob) == b'first line\nsecond line\n'
    text = await appends.get_blob_to_text(container, log_blob, start_range=11)
    assert text.content == 'second line\n'
    props = (await appends.get_blob_properties(container, log_blob)).properties
    assert props.append_blob_committed_block_count == 2 and props.content_length == 23


async def test_append_conditions_give_the_service_errors(appends, container, log_blob):
    await appends.append_block(container, log_blob, b'12345')
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_block(container, log_blob, b'x', appendpos_condition=4)
    assert failure.value.status_code == 412
    assert failure.value.error_code == 'AppendPositionConditionNotMet'
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_block(container, log_blob, b'678', maxsize_condition=7)
    assert failure.value.status_code == 412
    assert failure.value.error_code == 'MaxBlobSizeConditionNotMet'
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_block(container, log_blob, b'6', if_match='"0x0"')
    assert failure.value.status_code == 412
    assert await content_of(appends, container, log_blob) == b'12345'

    resp = await appends.append_block(container, log_blob, b'67', appendpos_condition=5, maxsize_condition=7)
    assert resp.append_offset == 5
    assert await content_of(appends, container, log_blob) == b'1234567'


async def test_append_to_a_leased_blob(appends, container, log_blob):
    lease_id = await appends.acquire_blob_lease(container, log_blob)
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_block(container, log_blob, b'no lease')
    assert failure.value.status_code == 412
    await appends.append_block(container, log_blob, b'leased ', lease_id=lease_id)
    await appends.append_blob_from_text(container, log_blob, 'writer', lease_id=lease_id)
    await appends.release_blob_lease(container, log_blob, lease_id)
    assert await content_of(appends, container, log_blob) == b'leased writer'


async def test_concurrent_appends_all_land(appends, container, log_blob):
    pieces = [bytes([65 + index]) * (100 + index) for index in range(20)]
    results = await asyncio.gather(*(appends.append_block(container, log_blob, piece) for piece in pieces))

    content = await content_of(appends, container, log_blob)
    assert len(content) == sum(len(piece) for piece in pieces)
    assert sorted(result.append_offset for result in results) == sorted({result.append_offset for result in results})
    for piece, result in zip(pieces, results):
        assert content[result.append_offset:result.append_offset + len(piece)] == piece
    # Not the committed block count each append reports: Azurite reads it before the append
    # lands, so concurrent appends can report the same count (the service's final count is right).
    props = (await appends.get_blob_properties(container, log_blob)).properties
    assert props.append_blob_committed_block_count == 20


# Sequential uploads


async def test_large_append_matches_by_md5(appends, container, log_blob):
    appends.MAX_BLOCK_SIZE = 256 * KIB
    appends.MAX_SINGLE_GET_SIZE = 1 * MIB
    appends.MAX_CHUNK_GET_SIZE = 512 * KIB
    head = b'existing head\n'
    await appends.append_block(container, log_blob, head)
    data = os.urandom(20 * MIB)
    progress = []

    async def report(current, total):
        progress.append((current, total))

    sent = appended_blocks(appends)
    resp = await appends.append_blob_from_bytes(container, log_blob, data, progress_callback=report)
    blocks = len(data) // appends.MAX_BLOCK_SIZE
    assert len(sent) == blocks
    # Every append, the first included, is pinned to the offset it must land at.
    assert [int(request.headers['x-ms-blob-condition-appendpos']) for request in sent] == \
        [len(head) + index * appends.MAX_BLOCK_SIZE for index in range(blocks)]
    assert progress[0] == (0, len(data)) and progress[-1] == (len(data), len(data))
    assert [current for current, _ in progress] == sorted(current for current, _ in progress)
    assert resp.etag == (await appends.get_blob_properties(container, log_blob)).properties.etag

    sink = io.BytesIO()
    blob = await appends.get_blob_to_stream(container, log_blob, sink, max_connections=4)
    assert blob.properties.content_length == len(head) + len(data)
    assert blob.properties.append_blob_committed_block_count == 1 + blocks
    assert hashlib.md5(sink.getvalue()).hexdigest() == hashlib.md5(head + data).hexdigest()
    await appends.delete_blob(container, log_blob)


async def test_append_from_bytes_index_count_and_text(appends, container, log_blob):
    await appends.append_blob_from_bytes(container, log_blob, b'0123456789', index=2, count=3)
    await appends.append_blob_from_bytes(container, log_blob, b'0123456789', index=8)
    await appends.append_blob_from_text(container, log_blob, 'é€', encoding='utf-16-le')
    await appends.append_blob_from_text(container, log_blob, b'raw')
    assert await content_of(appends, container, log_blob) == b'23489' + 'é€'.encode('utf-16-le') + b'raw'


async def test_append_from_unseekable_stream_of_unknown_length(appends, container, log_blob):
    appends.MAX_BLOCK_SIZE = 4 * KIB
    data = os.urandom(10 * KIB + 7)
    progress = []
    await appends.append_blob_from_stream(container, log_blob, PipeStream(data), validate_content=True,
                                          progress_callback=lambda current, total: progress.append((current, total)))
    assert await content_of(appends, container, log_blob) == data
    assert progress == [(0, None), (4 * KIB, None), (8 * KIB, None), (len(data), None)]

    resp = await appends.append_blob_from_stream(container, log_blob, io.BytesIO(b'abcdef'), count=4)
    assert resp.etag
    assert await content_of(appends, container, log_blob) == data + b'abcd'


async def test_append_from_path(appends, container, log_blob, tmp_path):
    appends.MAX_BLOCK_SIZE = 16 * KIB
    data = os.urandom(50 * KIB)
    source = tmp_path / 'events.log'
    source.write_bytes(data)
    await appends.append_blob_from_path(container, log_blob, str(source))
    await appends.append_blob_from_path(container, log_blob, str(source), maxsize_condition=2 * len(data))
    assert await content_of(appends, container, log_blob) == data + data


async def test_upload_stops_at_maxsize_keeping_earlier_blocks(appends, container, log_blob):
    appends.MAX_BLOCK_SIZE = 1 * KIB
    data = os.urandom(5 * KIB)
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_blob_from_bytes(container, log_blob, data, maxsize_condition=3 * KIB + 100)
    assert failure.value.error_code == 'MaxBlobSizeConditionNotMet'
    assert await content_of(appends, container, log_blob) == data[:3 * KIB]


async def test_upload_conditions_apply_to_the_first_append(appends, container, log_blob):
    appends.MAX_BLOCK_SIZE = 1 * KIB
    etag = (await appends.append_block(container, log_blob, b'head')).etag
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_blob_from_bytes(container, log_blob, b'x' * 3000, if_match='"0x0"')
    assert failure.value.status_code == 412
    past = datetime.now(timezone.utc) - timedelta(days=1)
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_blob_from_bytes(container, log_blob, b'x' * 3000, if_unmodified_since=past)
    assert failure.value.status_code == 412
    assert await content_of(appends, container, log_blob) == b'head'

    sent = appended_blocks(appends)
    await appends.append_blob_from_bytes(container, log_blob, b'y' * 3000, if_match=etag)
    assert [request.headers.get('If-Match') for request in sent] == [etag, None, None]
    assert await content_of(appends, container, log_blob) == b'head' + b'y' * 3000


async def test_upload_fails_rather_than_interleave_with_another_writer(appends, container, log_blob):
    appends.MAX_BLOCK_SIZE = 1 * KIB

    async def intrude(current, total):
        if current == KIB:
            await appends.append_block(container, log_blob, b'<other writer>')

    with pytest.raises(AzureHttpError) as failure:
        await appends.append_blob_from_bytes(container, log_blob, b'z' * 3 * KIB, progress_callback=intrude)
    assert failure.value.error_code == 'AppendPositionConditionNotMet'
    assert await content_of(appends, container, log_blob) == b'z' * KIB + b'<other writer>'


# Appends from a URL


@pytest.mark.emulator_only
async def test_append_block_from_url_on_azurite(appends, container, log_blob):
    # Azurite 3 answers Append Block From URL with 501: check what is sent.
    sent = appended_blocks(appends)
    source = appends.make_blob_url(container, 'source')
    with pytest.raises(AzureHttpError) as failure:
        await appends.append_block_from_url(container, log_blob, source, source_range_start=10, source_range_end=19,
                                            source_if_none_match='*', maxsize_condition=100, appendpos_condition=0)
    assert failure.value.status_code == 501
    headers = sent[-1].headers
    assert headers['x-ms-copy-source'] == source and headers['x-ms-source-range'] == 'bytes=10-19'
    assert headers['x-ms-source-if-none-match'] == '*'
    assert headers['x-ms-blob-condition-maxsize'] == '100' and headers['x-ms-blob-condition-appendpos'] == '0'


async def test_append_block_from_url(appends, container, log_blob, azurite):
    if azurite is not None:
        pytest.skip('Azurite does not implement Append Block From URL (501)')
    await appends.create_blob(container, 'source')
    await appends.append_block(container, 'source', b'0123456789')
    token = appends.generate_blob_shared_access_signature(
        container, 'source', permission=BlobPermissions.READ, expiry=datetime.now(timezone.utc) + timedelta(hours=1))
    url = appends.make_blob_url(container, 'source', sas_token=token)
    resp = await appends.append_block_from_url(container, log_blob, url, source_range_start=2, source_range_end=5)
    assert resp.append_offset == 0 and resp.committed_block_count == 1
    await appends.append_block_from_url(container, log_blob, url, appendpos_condition=4)
    assert await content_of(appends, container, log_blob) == b'2345' + b'0123456789'
