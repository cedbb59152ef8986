"""Pure logic of the blob package, without the network: request bodies and headers, response
parsing, batches, substreams, the bounded task runner and ranged decryption."""
import asyncio
import io
import json
import os
import time
from datetime import datetime, timezone

import pytest

from azure.storage.blob import Blob, BlobBlock, BlobPrefix, Container
from azure.storage.blob._async_io import _ProgressReporter, _run_bounded
from azure.storage.blob._deserialization import (
    _convert_xml_to_blob_list,
    _convert_xml_to_blob_name_list,
    _convert_xml_to_block_list,
    _convert_xml_to_containers,
    _convert_xml_to_page_ranges,
    _ingest_batch_response,
    _parse_blob,
    _parse_container,
    _parse_lease,
)
from azure.storage.blob._encryption import _decrypt_blob, _encrypt_blob
from azure.storage.blob._serialization import (
    _convert_block_list_to_xml,
    _convert_delegation_key_info_to_xml,
    _get_path,
    _serialize_batch_body,
    _validate_and_format_range_headers,
)
from azure.storage.blob._upload_chunking import _BlobChunkUploader, _SubStream
from azure.storage.blob.blockblobservice import _read_exactly
from azure.storage.blob.models import BatchDeleteSubRequest, BlobBlockState, BlobProperties
from azure.storage.blob.pageblobservice import _landed_pages
from azure.storage.common._http import HTTPRequest, HTTPResponse
from testkit import PipeStream

XML = b"<?xml version='1.0' encoding='utf-8'?>\n"


def test_paths_are_left_unencoded():
    assert _get_path() == '/'
    assert _get_path('c') == '/c'
    assert _get_path('c', 'a b/%é?#') == '/c/a b/%é?#'


def test_block_list_body():
    body = _convert_block_list_to_xml([BlobBlock('a'), BlobBlock('b<&>', BlobBlockState.Committed),
                                       BlobBlock('c', BlobBlockState.Uncommitted)])
    assert body == XML + (b'<BlockList><Latest>YQ==</Latest><Committed>YjwmPg==</Committed>'
                          b'<Uncommitted>Yw==</Uncommitted></BlockList>')
    with pytest.raises(ValueError, match='valid block ids'):
        _convert_block_list_to_xml([BlobBlock()])


def test_delegation_key_body():
    body = _convert_delegation_key_info_to_xml(datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
                                               '2021-01-01T00:00:00Z')
    assert body == XML + b'<KeyInfo><Start>2020-01-02T03:04:05Z</Start><Expiry>2021-01-01T00:00:00Z</Expiry></KeyInfo>'


@pytest.mark.parametrize('start, end, kwargs, header', [
    (0, 511, {}, 'bytes=0-511'),
    (100, None, {'end_range_required': False}, 'bytes=100-'),
    (None, None, {'start_range_required': False, 'end_range_required': False}, None),
    (512, 1023, {'align_to_page': True}, 'bytes=512-1023'),
])
def test_range_headers(start, end, kwargs, header):
    request = HTTPRequest()
    _validate_and_format_range_headers(request, start, end, **kwargs)
    assert request.headers.get('x-ms-range') == header


def test_range_header_errors_and_md5_flag():
    request = HTTPRequest()
    _validate_and_format_range_headers(request, 0, 4 * 1024 * 1024, check_content_md5=True,
                                       range_header_name='x-ms-source-range')
    assert request.headers == {'x-ms-source-range': 'bytes=0-4194304', 'x-ms-range-get-content-md5': 'true'}
    with pytest.raises(ValueError, match='greater than 4MB'):
        _validate_and_format_range_headers(HTTPRequest(), 0, 4 * 1024 * 1024 + 1, check_content_md5=True)
    with pytest.raises(ValueError, match='Both end_range and start_range'):
        _validate_and_format_range_headers(HTTPRequest(), 0, None, end_range_required=False, check_content_md5=True)
    with pytest.raises(ValueError, match='start_range should not be None'):
        _validate_and_format_range_headers(HTTPRequest(), None, 10, start_range_required=False)
    with pytest.raises(ValueError, match='start_range must align'):
        _validate_and_format_range_headers(HTTPRequest(), 1, 511, align_to_page=True)
    with pytest.raises(ValueError, match='end_range must align'):
        _validate_and_format_range_headers(HTTPRequest(), 0, 512, align_to_page=True)


def test_batch_body():
    request = HTTPRequest('DELETE', '/acct/c/b%20x', {'snapshot': '2020-01-01T00:00:00.0000000Z', 'sig': 'a+b/c='},
                          {'Content-ID': '0', 'Content-Transfer-Encoding': 'binary', 'x-ms-date': 'D',
                           'Authorization': 'SharedKey a:b', 'Content-Length': '0'})
    assert _serialize_batch_body([request], 'id1') == (
        b'--batch_id1\r\nContent-Type: application/http\r\nContent-ID: 0\r\nContent-Transfer-Encoding: binary\r\n'
        b'\r\nDELETE /acct/c/b%20x?snapshot=2020-01-01T00%3A00%3A00.0000000Z&sig=a%2Bb%2Fc%3D HTTP/1.1\r\n'
        b'x-ms-date: D\r\nAuthorization: SharedKey a:b\r\nContent-Length: 0\r\n\r\n\r\n--batch_id1--\r\n')
    with pytest.raises(ValueError):
        _serialize_batch_body([], 'id1')


BATCH_RESPONSE = (
    '--batchresponse_66925647\r\n'
    'Content-Type: application/http\r\n'
    'Content-ID: 1\r\n'
    '\r\n'
    'HTTP/1.1 404 The specified blob does not exist.\r\n'
    'x-ms-error-code: BlobNotFound\r\n'
    'x-ms-request-id: 778fdc83\r\n'
    'Content-Type: application/xml\r\n'
    '\r\n'
    '<?xml version="1.0" encoding="utf-8"?>\r\n'
    '<Error><Code>BlobNotFound</Code></Error>\r\n'
    '--batchresponse_66925647\r\n'
    'Content-Type: application/http\r\n'
    'Content-ID: 0\r\n'
    '\r\n'
    'HTTP/1.1 202 Accepted\r\n'
    'x-ms-delete-type-permanent: true\r\n'
    'x-ms-request-id: 778fdc84\r\n'
    '\r\n'
    '--batchresponse_66925647--\r\n')


def test_batch_response_parsing():
    requests = [BatchDeleteSubRequest('c', 'first'), BatchDeleteSubRequest('c', 'second')]
    response = HTTPResponse(202, 'Accepted', {'content-type': 'multipart/mixed; boundary=batchresponse_66925647'},
                            BATCH_RESPONSE.encode())
    missing, deleted = _ingest_batch_response(response, requests)
    assert (missing.is_successful, missing.http_response.status, missing.http_response.message) == \
        (False, 404, 'BlobNotFound')
    assert missing.batch_sub_request is requests[1]
    assert missing.http_response.body == (b'<?xml version="1.0" encoding="utf-8"?>\r\n'
                                          b'<Error><Code>BlobNotFound</Code></Error>')
    assert (deleted.is_successful, deleted.http_response.status, deleted.http_response.message) == (True, 202, '')
    assert deleted.batch_sub_request is requests[0]
    assert deleted.http_response.headers['x-ms-request-id'] == '778fdc84'
    assert deleted.http_response.body == b''


CONTAINERS = b'''<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://a.blob.core.windows.net/"><Prefix>p</Prefix><MaxResults>2</MaxResults>
<Containers>
<Container><Name>p1</Name><Properties><Last-Modified>Wed, 26 Oct 2016 20:39:39 GMT</Last-Modified><Etag>"0x1"</Etag>
<LeaseStatus>locked</LeaseStatus><LeaseState>leased</LeaseState><LeaseDuration>infinite</LeaseDuration>
<PublicAccess>blob</PublicAccess><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>true</HasLegalHold>
</Properties><Metadata><Color>blue</Color></Metadata></Container>
<Container><Name>p2</Name><Properties><Last-Modified>Wed, 26 Oct 2016 20:39:39 GMT</Last-Modified><Etag>"0x2"</Etag>
</Properties></Container>
</Containers><NextMarker>/a/p3</NextMarker></EnumerationResults>'''


def test_container_list_parsing():
    containers = _convert_xml_to_containers(HTTPResponse(200, 'OK', {}, CONTAINERS))
    assert containers.next_marker == '/a/p3'
    first, second = containers
    assert isinstance(first, Container) and first.name == 'p1'
    assert first.metadata == {'Color': 'blue'}
    props = first.properties
    assert (props.etag, props.public_access, props.has_immutability_policy, props.has_legal_hold) == \
        ('"0x1"', 'blob', False, True)
    assert (props.lease.status, props.lease.state, props.lease.duration) == ('locked', 'leased', 'infinite')
    assert props.last_modified == datetime(2016, 10, 26, 20, 39, 39, tzinfo=timezone.utc)
    assert second.metadata is None and second.properties.public_access is None


BLOBS = b'''<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://a.blob.core.windows.net/" ContainerName="c"><Delimiter>/</Delimiter>
<Blobs>
<Blob><Name>a b.txt</Name><Snapshot>2020-01-01T00:00:00.0000000Z</Snapshot><Deleted>true</Deleted><Properties>
<Creation-Time>Wed, 26 Oct 2016 20:39:39 GMT</Creation-Time><Last-Modified>Wed, 26 Oct 2016 20:39:39 GMT</Last-Modified>
<Etag>0x3</Etag><Content-Length>12</Content-Length><Content-Type>text/plain</Content-Type><Content-Encoding />
<Content-MD5>abc=</Content-MD5><BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus>
<LeaseState>available</LeaseState><CopyId>id-1</CopyId><CopyStatus>success</CopyStatus>
<CopyProgress>12/12</CopyProgress><ServerEncrypted>true</ServerEncrypted><AccessTier>Cool</AccessTier>
<AccessTierInferred>false</AccessTierInferred><DeletedTime>Wed, 26 Oct 2016 20:40:00 GMT</DeletedTime>
<RemainingRetentionDays>3</RemainingRetentionDays><NewProperty>kept</NewProperty></Properties>
<Metadata><Key>value</Key></Metadata></Blob>
<BlobPrefix><Name>dir/</Name></BlobPrefix>
</Blobs><NextMarker /></EnumerationResults>'''


def test_blob_list_parsing():
    blobs = _convert_xml_to_blob_list(HTTPResponse(200, 'OK', {}, BLOBS))
    assert blobs.next_marker is None
    prefix, blob = blobs
    assert isinstance(prefix, BlobPrefix) and prefix.name == 'dir/'
    assert isinstance(blob, Blob)
    assert (blob.name, blob.snapshot, blob.deleted, blob.metadata) == \
        ('a b.txt', '2020-01-01T00:00:00.0000000Z', True, {'Key': 'value'})
    props = blob.properties
    assert (props.content_length, props.blob_type, props.etag, props.server_encrypted, props.blob_tier,
            props.blob_tier_inferred, props.remaining_retention_days) == \
        (12, 'BlockBlob', '0x3', True, 'Cool', False, 3)
    assert (props.content_settings.content_type, props.content_settings.content_encoding,
            props.content_settings.content_md5) == ('text/plain', None, 'abc=')
    assert (props.copy.id, props.copy.status, props.copy.progress) == ('id-1', 'success', '12/12')
    assert props.deleted_time == datetime(2016, 10, 26, 20, 40, tzinfo=timezone.utc)
    assert props.NewProperty == 'kept'
    assert list(_convert_xml_to_blob_name_list(HTTPResponse(200, 'OK', {}, BLOBS))) == ['dir/', 'a b.txt']


def test_block_and_page_range_parsing():
    body = (b'<?xml version="1.0" encoding="utf-8"?><BlockList><CommittedBlocks><Block><Name>YQ==</Name>'
            b'<Size>3</Size></Block></CommittedBlocks><UncommittedBlocks><Block><Name>Yg==</Name><Size>4</Size>'
            b'</Block></UncommittedBlocks></BlockList>')
    blocks = _convert_xml_to_block_list(HTTPResponse(200, 'OK', {}, body))
    assert [(b.id, b.state, b.size) for b in blocks.committed_blocks] == [('a', 'Committed', 3)]
    assert [(b.id, b.state, b.size) for b in blocks.uncommitted_blocks] == [('b', 'Uncommitted', 4)]
    pages = (b'<?xml version="1.0" encoding="utf-8"?><PageList><PageRange><Start>0</Start><End>511</End></PageRange>'
             b'<ClearRange><Start>512</Start><End>1023</End></ClearRange></PageList>')
    ranges = _convert_xml_to_page_ranges(HTTPResponse(200, 'OK', {}, pages))
    assert [(r.start, r.end, r.is_cleared) for r in ranges] == [(0, 511, False), (512, 1023, True)]


def test_blob_and_container_headers():
    headers = {'content-range': 'bytes 0-3/10', 'content-md5': 'range-md5', 'x-ms-blob-content-md5': 'blob-md5',
               'content-length': '4', 'x-ms-blob-type': 'PageBlob', 'x-ms-access-tier': 'p10', 'etag': '"e"',
               'last-modified': 'Wed, 26 Oct 2016 20:39:39 GMT', 'x-ms-lease-state': 'leased',
               'x-ms-copy-completion-time': 'Wed, 26 Oct 2016 20:39:39 GMT', 'x-ms-meta-Name': 'Value',
               'x-ms-server-encrypted': 'true'}
    blob = _parse_blob(HTTPResponse(206, 'Partial', headers, b'abcd'), 'b', 'snap')
    assert (blob.name, blob.snapshot, blob.content, blob.metadata) == ('b', 'snap', b'abcd', {'Name': 'Value'})
    props = blob.properties
    assert props.content_settings.content_md5 == 'blob-md5'
    assert (props.content_range, props.content_length, props.blob_tier, props.server_encrypted) == \
        ('bytes 0-3/10', 4, 'P10', True)
    assert props.lease.state == 'leased' and props.copy.completion_time.year == 2016

    container = _parse_container(HTTPResponse(200, 'OK', {'etag': '"c"', 'x-ms-blob-public-access': 'container',
                                                          'x-ms-has-legal-hold': 'false', 'x-ms-meta-a': 'b',
                                                          'content-length': '0'}, b''), 'name')
    assert (container.name, container.properties.etag, container.properties.public_access,
            container.properties.has_legal_hold, container.metadata) == \
        ('name', '"c"', 'container', False, {'a': 'b'})
    assert _parse_lease(HTTPResponse(200, 'OK', {'x-ms-lease-id': 'id', 'x-ms-lease-time': '7'}, b'')) == \
        {'id': 'id', 'time': 7}


def test_substream_windows():
    source = io.BytesIO(bytes(range(100)))
    window = _SubStream(source, 10, 20, None)
    assert len(window) == 20 and window.seekable() and window.readable()
    assert window.read(5) == bytes(range(10, 15))
    assert window.tell() == 5
    assert window.read() == bytes(range(15, 30))
    assert window.read(1) == b''
    assert window.seek(-4, io.SEEK_END) == 16
    assert window.read(100) == bytes(range(26, 30))
    assert window.seek(3) == 3 and window.seek(2, io.SEEK_CUR) == 5
    assert window.seek(500) == 20
    window.close()
    with pytest.raises(ValueError):
        window.read(1)


class _Trickle(PipeStream):
    """A pipe-like stream that returns at most 256 bytes per read."""

    def read(self, size=-1):
        return super().read(min(256, size) if size is not None and size >= 0 else 256)


def test_a_page_write_landed_only_when_its_range_holds_exactly_its_pages():
    properties = BlobProperties()
    properties.content_range = 'bytes 512-1023/4096'
    properties.etag = '"after"'
    properties.page_blob_sequence_number = 0
    read_back = Blob('b', content=b'x' * 512, props=properties)
    landed = _landed_pages(read_back, b'x' * 512, 512)
    assert (landed.etag, landed.sequence_number) == ('"after"', 0)
    assert _landed_pages(read_back, b'y' * 512, 512) is None
    assert _landed_pages(read_back, b'x' * 512, 0) is None
    assert _landed_pages(read_back, b'x' * 1024, 512) is None


async def test_short_reads_are_collected_in_linear_time():
    # 16384 short reads per 4 MiB: adding them up one by one copies tens of gigabytes.
    data = os.urandom(4 * 1024 * 1024)
    started = time.perf_counter()
    assert await _read_exactly(_Trickle(data), len(data)) == data
    uploader = _BlobChunkUploader(None, 'c', 'b', None, len(data), _Trickle(data + b'tail'), False, None, False,
                                  None, None, None, None, None)
    assert [chunk async for chunk in uploader.get_chunk_streams()] == [(0, data), (len(data), b'tail')]
    assert time.perf_counter() - started < 1


async def test_bounded_runner_keeps_order_and_bound():
    running = {'now': 0, 'max': 0}

    async def job(index):
        running['now'] += 1
        running['max'] = max(running['max'], running['now'])
        await asyncio.sleep(0.001 * (10 - index))
        running['now'] -= 1
        return index

    assert await _run_bounded((job(i) for i in range(10)), 3) == list(range(10))
    assert running['max'] == 3


async def test_bounded_runner_cancels_siblings_on_failure():
    cancelled = []

    async def slow(index):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(index)
            raise

    async def failing():
        await asyncio.sleep(0)
        raise RuntimeError('boom')

    async def jobs():
        yield slow(0)
        yield slow(1)
        yield failing()
        yield slow(3)

    with pytest.raises(RuntimeError, match='boom'):
        await _run_bounded(jobs(), 3)
    assert sorted(cancelled) == [0, 1]


async def test_progress_reports_grow():
    seen = []

    async def report(current, total):
        await asyncio.sleep(0)
        seen.append((current, total))

    progress = _ProgressReporter(report, 30, current=5)
    await asyncio.gather(*(progress.add(length) for length in (10, 5, 10)))
    assert seen == [(15, 30), (20, 30), (30, 30)]
    await _ProgressReporter(None, 1).add(1)


@pytest.mark.parametrize('start, end', [(0, 99), (3, 8), (16, 31), (17, 40), (90, 99), (50, 98),
                                        # Past the end: the service stops at the blob's last byte.
                                        (17, 128), (99, 1025), (84, 146), (0, 127), (1, 111), (5, 200)])
async def test_ranged_decryption(key_wrapper, start, end):
    kek = key_wrapper('kid')
    data = os.urandom(100)
    envelope, ciphertext = await _encrypt_blob(data, kek)
    assert json.loads(envelope)['EncryptionMode'] == 'FullBlob' and len(ciphertext) == 112
    # Widen the range as the service would be asked to: whole blocks and the IV block in front.
    start_offset, end_offset = start % 16, 15 - end % 16
    first = start - start_offset
    if first > 0:
        start_offset += 16
        first -= 16
    asked = end + end_offset
    last = min(asked, len(ciphertext) - 1)
    headers = {'x-ms-meta-encryptiondata': envelope, 'x-ms-blob-type': 'BlockBlob',
               'content-range': 'bytes {}-{}/{}'.format(first, last, len(ciphertext))}
    assert await _decrypt_blob(ciphertext[first:last + 1], headers, True, kek, None, start_offset, end_offset,
                               asked) == data[start:end + 1]
