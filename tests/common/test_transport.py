"""StorageClient against the storage service (Azurite, or the live account): signing, SAS,
errors, sessions, callbacks and bodies, through a bare blob client."""
import asyncio
import base64
import gzip
import io
import socket
import types
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest
from azure.common import AzureConflictHttpError, AzureHttpError, AzureMissingResourceHttpError

from azure.storage.common import (
    AccountPermissions,
    AzureSigningError,
    LinearRetry,
    LocationMode,
    ResourceTypes,
    Services,
    SharedAccessSignature,
    TokenCredential,
)
from azure.storage.common import _serialization
from azure.storage.common._deserialization import _parse_metadata
from azure.storage.common.models import _OperationContext

from .faultproxy import FaultProxy
from .rawclient import RawBlobClient, blob_parameters, fast_retry, sas_connection_string


def account_sas(connection_string, permission):
    params = blob_parameters(connection_string)
    return SharedAccessSignature(params.account_name, params.account_key).generate_account(
        Services.BLOB, ResourceTypes(container=True, object=True), permission,
        datetime.now(timezone.utc) + timedelta(hours=1))


def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


async def test_unusual_names_and_metadata_round_trip(client, unique_name):
    container = unique_name('common')
    metadata = {'foo_bar': '1', 'foo2_bar': '2', 'Abc': 'x', 'spaced': 'two  spaces', 'tabbed': 'a\tb'}
    await client.create_container(container, metadata)
    try:
        assert _parse_metadata(await client.container_properties(container)) == metadata
        blob = "a b%+#?'é/ü (1).txt"
        await client.put_blob(container, blob, b'hello')
        assert (await client.get_blob(container, blob)).body == b'hello'
    finally:
        await client.delete_container(container)


async def test_missing_and_conflicting_resources(client, container):
    with pytest.raises(AzureMissingResourceHttpError) as missing:
        await client.container_properties(container + 'x')  # HEAD: the code comes from the header alone
    assert (missing.value.status_code, missing.value.error_code) == (404, 'ContainerNotFound')
    with pytest.raises(AzureMissingResourceHttpError) as missing_blob:
        await client.get_blob(container, 'nothing')
    assert missing_blob.value.error_code == 'BlobNotFound'
    assert 'The specified blob does not exist.' in str(missing_blob.value)
    with pytest.raises(AzureConflictHttpError) as conflict:
        await client.create_container(container)
    assert (conflict.value.status_code, conflict.value.error_code) == (409, 'ContainerAlreadyExists')


async def test_a_wrong_key_fails_authentication(connection_string):
    params = blob_parameters(connection_string)
    wrong_key = base64.b64encode(b'not the key of this account'.ljust(64, b'!')).decode()
    async with RawBlobClient(account_name=params.account_name, account_key=wrong_key, protocol=params.protocol,
                             custom_domain='{}://{}'.format(params.protocol, params.primary_endpoint)) as client:
        client.retry = fast_retry()
        with pytest.raises(AzureHttpError) as info:
            await client.container_properties('whatever')
    assert info.value.status_code == 403
    assert 'failed to authenticate' in str(info.value)


@pytest.mark.parametrize('prefix', ['', '?'])
async def test_account_sas_is_enough_to_work_with_blobs(connection_string, unique_name, prefix):
    token = account_sas(connection_string, AccountPermissions(read=True, write=True, delete=True, create=True))
    container = unique_name('sas')
    async with RawBlobClient(connection_string=sas_connection_string(connection_string, prefix + token)) as client:
        assert client.account_key is None
        await client.create_container(container)
        await client.put_blob(container, 'blob name', b'via sas')
        assert (await client.get_blob(container, 'blob name')).body == b'via sas'
        await client.delete_container(container)


async def test_account_sas_grants_no_more_than_its_permissions(connection_string, client, container):
    await client.put_blob(container, 'blob', b'data')
    token = account_sas(connection_string, AccountPermissions.READ)
    async with RawBlobClient(connection_string=sas_connection_string(connection_string, token)) as reader:
        assert (await reader.get_blob(container, 'blob')).body == b'data'
        with pytest.raises(AzureHttpError) as info:
            await reader.put_blob(container, 'other', b'no')
    assert info.value.status_code == 403


async def test_two_hundred_concurrent_requests_on_one_service(client, container):
    names = ['blob{:03}'.format(index) for index in range(200)]
    await asyncio.gather(*(client.put_blob(container, name, name.encode()) for name in names))
    responses = await asyncio.gather(*(client.get_blob(container, name) for name in names))
    assert [response.body for response in responses] == [name.encode() for name in names]


def test_services_in_two_sequential_event_loops(connection_string, unique_name):
    async def round_trip():
        container = unique_name('loop')
        async with RawBlobClient(connection_string=connection_string) as client:
            await client.create_container(container)
            status = (await client.container_properties(container)).status
            await client.delete_container(container)
        return status

    assert asyncio.run(round_trip()) == 200
    assert asyncio.run(round_trip()) == 200


async def test_close_closes_the_own_session_and_a_closed_service_can_start_again(connection_string, container):
    client = RawBlobClient(connection_string=connection_string)
    async with client:
        await client.container_properties(container)
        session = client.request_session
        assert not session.closed
    assert session.closed
    await client.close()  # closing twice is harmless
    await client.container_properties(container)
    assert client.request_session is not session
    await client.close()
    assert client.request_session is None


async def test_an_own_session_replaced_by_a_callers_is_still_closed(connection_string, container):
    async with aiohttp.ClientSession() as callers:
        async with RawBlobClient(connection_string=connection_string) as client:
            await client.container_properties(container)
            own = client.request_session
            client.request_session = callers
            await client.container_properties(container)
            assert not own.closed
        assert own.closed and not callers.closed
        assert client.request_session is callers


async def test_a_callers_session_is_used_and_left_open(connection_string, container):
    started = []

    async def on_request_start(session, context, params):
        started.append(params.method)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    # However the caller configured it, failed responses still map to the legacy errors.
    async with aiohttp.ClientSession(trace_configs=[trace], raise_for_status=True) as session:
        async with RawBlobClient(connection_string=connection_string, request_session=session) as client:
            assert client.request_session is session
            await client.container_properties(container)
        assert not session.closed
        assert started == ['HEAD']
        async with RawBlobClient(connection_string=connection_string, request_session=session) as client:
            with pytest.raises(AzureMissingResourceHttpError):
                await client.container_properties(container + 'missing')
        assert started == ['HEAD', 'HEAD'] and not session.closed


@pytest.mark.parametrize('own_session', [True, False], ids=['own-session', 'callers-session'])
async def test_gzip_content_comes_back_byte_for_byte(connection_string, client, container, own_session):
    compressed = gzip.compress(b'compressible text ' * 1000)
    await client.put_blob(container, 'zipped', compressed, {'x-ms-blob-content-encoding': 'gzip',
                                                            'x-ms-blob-content-type': 'text/plain'})
    async with aiohttp.ClientSession() as session:
        async with RawBlobClient(connection_string=connection_string,
                                 request_session=None if own_session else session) as reader:
            response = await reader.get_blob(container, 'zipped')
    assert response.headers['content-encoding'] == 'gzip'
    assert response.body == compressed


async def _add_metadata_async(request):
    await asyncio.sleep(0)
    request.headers['x-ms-meta-fromcallback'] = 'async'


def _add_metadata(request):
    request.headers['x-ms-meta-fromcallback'] = 'plain'


@pytest.mark.parametrize('request_callback, expected', [(_add_metadata, 'plain'), (_add_metadata_async, 'async')])
async def test_request_and_response_callbacks(client, unique_name, request_callback, expected):
    statuses = []

    async def record_async(response):
        statuses.append(('async', response.status))

    container = unique_name('callback')
    client.request_callback = request_callback  # runs before signing: what it adds is signed
    client.response_callback = (lambda response: statuses.append(('plain', response.status))) \
        if expected == 'plain' else record_async
    await client.create_container(container)
    client.request_callback = None
    assert _parse_metadata(await client.container_properties(container)) == {'fromcallback': expected}
    await client.delete_container(container)
    assert statuses == [(expected, 201), (expected, 200), (expected, 202)]


async def test_location_locked_operations_stay_on_the_first_location(client, container):
    # The pages of a listing or the chunks of a download share one operation context; on a
    # path-style endpoint the later requests must still carry the account in their path.
    context = _OperationContext(location_lock=True)
    for _ in range(3):
        response = await client.send('GET', '/' + container, {'restype': 'container', 'comp': 'list'},
                                     secondary=True, operation_context=context)
        assert response.status == 200 and b'<EnumerationResults' in response.body
    assert list(context.host_location) == [LocationMode.PRIMARY]


@pytest.mark.emulator_only
async def test_emulator_secondary_reads_go_to_the_secondary_account_path(azurite, client, container):
    await client.put_blob(container, 'blob', b'secondary data')
    connection_string = 'UseDevelopmentStorage=true;BlobEndpoint=http://127.0.0.1:{}'.format(azurite.blob_port)
    async with RawBlobClient(connection_string=connection_string) as emulated:
        emulated.location_mode = LocationMode.SECONDARY
        paths = []
        emulated.request_callback = lambda request: paths.append(request.path)
        response = await emulated.get_blob(container, 'blob', secondary=True)
    assert response.body == b'secondary data'
    assert paths == ['/devstoreaccount1-secondary/{}/blob'.format(container)]


async def _async_chunks(data, size):
    for start in range(0, len(data), size):
        await asyncio.sleep(0)
        yield data[start:start + size]


async def test_stream_bodies_are_sent_from_their_position(client, container, tmp_path):
    data = bytes(range(256)) * 2048
    stream = io.BytesIO(data)
    stream.seek(100)
    await client.put_blob(container, 'from-bytesio', stream)
    path = tmp_path / 'upload.bin'
    path.write_bytes(data)
    with open(path, 'rb') as file:
        await client.put_blob(container, 'from-file', file)
    await client.put_blob(container, 'from-async', _async_chunks(data, 70000), {'Content-Length': str(len(data))})
    assert (await client.get_blob(container, 'from-bytesio')).body == data[100:]
    assert (await client.get_blob(container, 'from-file')).body == data
    assert (await client.get_blob(container, 'from-async')).body == data


async def test_bearer_token_over_http_is_refused_before_any_request():
    retries = []
    async with RawBlobClient(account_name='acc', token_credential=TokenCredential('secret'),
                             custom_domain='http://127.0.0.1:{}'.format(closed_port())) as client:
        client.retry_callback = retries.append
        with pytest.raises(AzureSigningError):
            await client.container_properties('container')
        assert client.request_session is None  # no session: nothing was ever sent
    assert retries == []


async def test_a_large_bytes_body_goes_out_in_pieces_without_warnings(client, container):
    # aiohttp warns (an error in this suite) when a large bytes body is sent whole.
    data = bytes(range(256)) * (12 * 1024)  # 3 MiB
    path = '/{}/large'.format(container)
    await client.send('PUT', path, headers={'x-ms-blob-type': 'BlockBlob'}, body=data)
    body = await client.send('GET', path, parser=lambda response: response.body)
    assert body == data


async def test_retry_to_secondary_moves_the_request_between_endpoints_with_and_without_a_path():
    # The endpoints are names nobody resolves: a forward proxy answers for them.
    async with FaultProxy() as forward_proxy:
        forward_proxy.inject('respond', times=2, status=503)
        forward_proxy.inject('respond', status=200, reason='OK')
        async with RawBlobClient(connection_string='DefaultEndpointsProtocol=http;AccountName=acc;AccountKey=a2V5;'
                                 'BlobEndpoint=http://proxy.example.com/base/acc/;'
                                 'BlobSecondaryEndpoint=http://secondary.example.com') as client:
            client.set_proxy('127.0.0.1', forward_proxy.port)
            client.retry = LinearRetry(backoff=0, random_jitter_range=0, retry_to_secondary=True).retry
            await client.get_blob('container', 'a blob', secondary=True)
    assert [request.target for request in forward_proxy.requests] == [
        'http://proxy.example.com/base/acc/container/a%20blob',
        'http://secondary.example.com/container/a%20blob',
        'http://proxy.example.com/base/acc/container/a%20blob']


async def test_every_attempt_is_signed_again_with_a_fresh_date(monkeypatch):
    clock = iter([1795320173.5, 1795320193.5, 1795320213.5])
    monkeypatch.setattr(_serialization, 'time', types.SimpleNamespace(time=lambda: next(clock)))
    async with FaultProxy() as forward_proxy:
        forward_proxy.inject('respond', times=2, status=503)
        forward_proxy.inject('respond', status=201, reason='Created')
        async with RawBlobClient(connection_string='DefaultEndpointsProtocol=http;AccountName=acc;AccountKey=a2V5') \
                as client:
            client.set_proxy('127.0.0.1', forward_proxy.port)
            client.retry = LinearRetry(backoff=0, random_jitter_range=0).retry
            await client.put_blob('container', 'blob', b'data')
    sent = [(request.header('x-ms-date'), request.header('Authorization')) for request in forward_proxy.requests]
    assert [date for date, _ in sent] == ['Sun, 22 Nov 2026 04:02:53 GMT', 'Sun, 22 Nov 2026 04:03:13 GMT',
                                          'Sun, 22 Nov 2026 04:03:33 GMT']
    assert len({authorization for _, authorization in sent}) == 3
