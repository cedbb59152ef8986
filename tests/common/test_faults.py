"""The transport under faults: a proxy in front of Azurite fails, stalls or drips on demand."""
import asyncio
import base64
import datetime
import hashlib
import hmac
import io
import logging
import ssl
import time
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import pytest
from azure.common import AzureException, AzureHttpError

from azure.storage.common import LinearRetry, TokenCredential
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common._http import ConnectionBrokenError, HTTPRequest

from .faultproxy import FaultProxy
from .rawclient import RawBlobClient, endpoint_connection_string, fast_retry
from testkit import Gate, cancel_at_the_gate

pytestmark = pytest.mark.emulator_only


def busy(times=1, status=503, code='ServerBusy'):
    return dict(kind='respond', times=times, status=status, reason='Busy', headers={'x-ms-error-code': code})


async def test_server_errors_are_retried_until_one_succeeds(fault_proxy, proxied_client, container):
    fault_proxy.inject(**busy(times=2))
    counts = []
    proxied_client.retry_callback = lambda context: counts.append(context.count)
    assert (await proxied_client.container_properties(container)).status == 200
    assert counts == [1, 2]
    assert len(fault_proxy.requests) == 3


async def test_connection_resets_are_retried_and_the_body_resent(fault_proxy, proxied_client, client, container):
    data = b'payload ' * 1000
    fault_proxy.inject('reset', times=3)
    retries = []
    proxied_client.retry_callback = lambda context: retries.append(context.count)
    await proxied_client.put_blob(container, 'blob', data)
    assert retries == [1, 2, 3]  # every resend is the policy's
    assert [request.body for request in fault_proxy.requests] == [data] * 4
    assert (await client.get_blob(container, 'blob')).body == data


async def test_gives_up_after_max_attempts_with_the_last_error(fault_proxy, proxied_client, container):
    for status, code in ((500, 'First'), (502, 'Second'), (503, 'Last'), (503, 'NeverSent')):
        fault_proxy.inject(**busy(status=status, code=code))
    proxied_client.retry = fast_retry(max_attempts=2)
    counts = []

    async def on_retry(context):
        await asyncio.sleep(0)
        counts.append(context.count)

    proxied_client.retry_callback = on_retry
    with pytest.raises(AzureHttpError) as info:
        await proxied_client.container_properties(container)
    assert (info.value.status_code, info.value.error_code) == (503, 'Last')
    assert counts == [1, 2] and len(fault_proxy.requests) == 3


async def test_gives_up_on_connection_failures_with_an_azure_exception(fault_proxy, proxied_client, container):
    fault_proxy.inject('reset', times=100)
    proxied_client.retry = fast_retry(max_attempts=2)
    retries = []
    proxied_client.retry_callback = retries.append
    with pytest.raises(AzureException) as info:
        await proxied_client.container_properties(container)
    assert not isinstance(info.value, AzureHttpError)
    assert isinstance(info.value.__cause__, ConnectionBrokenError)
    assert len(retries) == 2 and len(fault_proxy.requests) == 3


@pytest.mark.parametrize('status', [501, 505, 409])
async def test_final_statuses_are_not_retried(fault_proxy, proxied_client, container, status):
    fault_proxy.inject(**busy(status=status, code='Final'))
    with pytest.raises(AzureHttpError) as info:
        await proxied_client.container_properties(container)
    assert info.value.status_code == status and len(fault_proxy.requests) == 1


@pytest.mark.parametrize('fault', [busy(status=500), dict(kind='reset')], ids=['500', 'reset'])
async def test_a_stream_body_is_rewound_to_its_start_for_the_retry(
        fault_proxy, proxied_client, client, container, fault):
    data = bytes(range(256)) * 40
    stream = io.BytesIO(data)
    stream.seek(3)
    fault_proxy.inject(**fault)
    await proxied_client.put_blob(container, 'streamed', stream)
    assert [request.body for request in fault_proxy.requests] == [data[3:], data[3:]]
    assert (await client.get_blob(container, 'streamed')).body == data[3:]


async def test_retry_to_secondary_on_the_emulator_reads_the_secondary_account(fault_proxy, client, container):
    await client.put_blob(container, 'blob', b'replicated')
    async with RawBlobClient(connection_string='UseDevelopmentStorage=true;BlobEndpoint=http://' +
                             fault_proxy.address) as emulated:
        emulated.retry = LinearRetry(backoff=0.05, random_jitter_range=0, retry_to_secondary=True).retry
        fault_proxy.inject(**busy())
        response = await emulated.get_blob(container, 'blob', secondary=True)
    assert response.body == b'replicated'
    assert [request.target for request in fault_proxy.requests] == [
        '/devstoreaccount1/{}/blob'.format(container), '/devstoreaccount1-secondary/{}/blob'.format(container)]


class _SlowDiskFile(io.BytesIO):
    """A file whose reads are slow (a network share): the transport reads it in a worker thread."""

    def fileno(self):
        return 0

    def read(self, size=-1):
        time.sleep(0.2)
        return super().read(size)


async def test_a_file_body_answered_early_is_resent_whole():
    # The first answer comes before the body was read, while a read of the file is still
    # running in its thread: the retry must not rewind the file under that read.
    data = bytes(range(256)) * 2048  # two of the transport's read chunks
    bodies = []

    async def serve(reader, writer):
        head = await reader.readuntil(b'\r\n\r\n')
        if not bodies:
            bodies.append(None)
            writer.write(b'HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        else:
            length = int(head.lower().split(b'content-length:')[1].split(b'\r\n')[0])
            try:
                bodies.append(await asyncio.wait_for(reader.readexactly(length), 3))
            except (asyncio.TimeoutError, asyncio.IncompleteReadError) as ex:
                bodies.append(ex)
            writer.write(b'HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, '127.0.0.1', 0)
    try:
        async with RawBlobClient(connection_string=endpoint_connection_string(
                '127.0.0.1:{}'.format(server.sockets[0].getsockname()[1]))) as client:
            client.retry = fast_retry()
            stream = _SlowDiskFile(data)
            await client.put_blob('container', 'blob', stream)
    finally:
        server.close()
        await server.wait_closed()
    assert len(bodies) == 2 and bodies[1] == data


class _StuckDiskFile(io.BytesIO):
    """A file whose read hangs (a network share) at ``gate`` until the test opens it."""

    def __init__(self, data, gate):
        super().__init__(data)
        self.gate = gate

    def fileno(self):
        return 0

    def read(self, size=-1):
        self.gate.wait()
        return super().read(size)


async def test_a_call_cancelled_while_its_file_body_is_read_returns_only_after_the_read(
        fault_proxy, proxied_client, client, container):
    gate = Gate()
    # A second cancellation does not cut the wait short either.
    await cancel_at_the_gate(gate, proxied_client.put_blob(container, 'stuck', _StuckDiskFile(b'body', gate)), 2)
    assert fault_proxy.requests == []
    assert (await proxied_client.put_blob(container, 'stuck', io.BytesIO(b'next'))).status == 201
    assert (await client.get_blob(container, 'stuck')).body == b'next'


async def test_retry_to_secondary_on_a_path_style_endpoint_reads_the_secondary_account(
        fault_proxy, client, container):
    # Not the emulator: an endpoint with the account in its path, whose secondary is the
    # '-secondary' account on the same host.
    await client.put_blob(container, 'blob', b'replicated')
    async with RawBlobClient(connection_string=endpoint_connection_string(fault_proxy.address)) as path_style:
        path_style.retry = LinearRetry(backoff=0.05, random_jitter_range=0, retry_to_secondary=True).retry
        fault_proxy.inject(**busy(times=2))
        response = await path_style.get_blob(container, 'blob', secondary=True)
    assert response.body == b'replicated'
    assert [request.target for request in fault_proxy.requests] == [
        '/devstoreaccount1/{}/blob'.format(container), '/devstoreaccount1-secondary/{}/blob'.format(container),
        '/devstoreaccount1/{}/blob'.format(container)]


async def test_an_async_iterable_body_is_not_retried(fault_proxy, proxied_client, container):
    async def chunks():
        yield b'first '
        yield b'second'

    fault_proxy.inject(**busy())
    retries = []
    proxied_client.retry_callback = retries.append
    with pytest.raises(AzureHttpError):
        await proxied_client.put_blob(container, 'once', chunks(), {'Content-Length': '12'})
    assert retries == [] and [request.body for request in fault_proxy.requests] == [b'first second']


async def test_socket_timeout_ends_a_stalled_request_quickly(fault_proxy, proxied_client, container):
    proxied_client.socket_timeout = 0.2
    proxied_client.retry = fast_retry(max_attempts=1)
    fault_proxy.inject('stall', times=2)
    started = time.monotonic()
    with pytest.raises(AzureException) as info:
        await proxied_client.container_properties(container)
    assert time.monotonic() - started < 2
    assert not isinstance(info.value, AzureHttpError) and 'Timeout' in str(info.value)
    assert len(fault_proxy.requests) == 2


async def test_socket_timeout_does_not_cap_a_slow_but_moving_transfer(fault_proxy, proxied_client, client, container):
    data = bytes(range(250)) * 8
    await client.put_blob(container, 'slow', data)
    proxied_client.socket_timeout = (5, 0.4)
    proxied_client.retry = fast_retry(max_attempts=0)
    fault_proxy.inject('drip', chunk=200, delay=0.1)  # a gap of 0.1 s, a dozen times
    started = time.monotonic()
    assert (await proxied_client.get_blob(container, 'slow')).body == data
    assert time.monotonic() - started > 0.8  # twice the read timeout, without timing out


async def test_cancelling_a_stalled_request_leaves_the_service_usable(fault_proxy, proxied_client, container):
    retries = []
    proxied_client.retry_callback = retries.append
    fault_proxy.inject('stall')
    task = asyncio.create_task(proxied_client.container_properties(container))
    await fault_proxy.wait_for(lambda proxy: len(proxy.requests) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The stalled connection is closed, not left in the pool or leaked.
    await fault_proxy.wait_for(lambda proxy: proxy.open_connections == 0)
    assert (await proxied_client.container_properties(container)).status == 200
    assert retries == [] and len(fault_proxy.requests) == 2


async def test_cancelling_during_the_retry_backoff(fault_proxy, proxied_client, container):
    proxied_client.retry = LinearRetry(backoff=30, random_jitter_range=0).retry
    retrying = asyncio.Event()
    proxied_client.retry_callback = lambda context: retrying.set()
    fault_proxy.inject(**busy())
    task = asyncio.create_task(proxied_client.container_properties(container))
    await asyncio.wait_for(retrying.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 2)
    assert len(fault_proxy.requests) == 1


async def test_cancelled_error_from_a_callback_is_neither_wrapped_nor_retried(fault_proxy, proxied_client, container):
    decisions = []
    policy = fast_retry()

    def retry(context):
        decisions.append(context.count)
        return policy(context)

    def cancel(request):
        raise asyncio.CancelledError()

    proxied_client.retry = retry
    proxied_client.request_callback = cancel
    with pytest.raises(asyncio.CancelledError):
        await proxied_client.container_properties(container)
    assert decisions == [] and fault_proxy.requests == []


@pytest.mark.parametrize('user, password', [(None, None), ('proxyuser', 'p@ss word:1')])
async def test_set_proxy_sends_through_a_forward_proxy(azurite, client, container, user, password):
    async with FaultProxy() as forward_proxy:
        async with RawBlobClient(connection_string=endpoint_connection_string(
                '127.0.0.1:{}'.format(azurite.blob_port))) as direct:
            direct.set_proxy('127.0.0.1', forward_proxy.port, user, password)
            assert (await direct.container_properties(container)).status == 200
    [request] = forward_proxy.requests
    assert request.target == 'http://127.0.0.1:{}/{}/{}?restype=container'.format(
        azurite.blob_port, DEV_ACCOUNT_NAME, container)
    if user:
        credentials = base64.b64encode('{}:{}'.format(user, password).encode()).decode()
        assert request.header('Proxy-Authorization') == 'Basic ' + credentials
    else:
        assert 'proxy-authorization' not in request.header_names


def _string_to_sign(captured):
    """Shared Key string-to-sign of a request as it arrived, built from the specification."""
    headers = {name.lower(): value for name, value in captured.headers}
    standard = ('content-encoding', 'content-language', 'content-length', 'content-md5', 'content-type', 'date',
                'if-modified-since', 'if-match', 'if-none-match', 'if-unmodified-since', 'range')
    if headers.get('content-length') == '0':
        headers['content-length'] = ''
    lines = [captured.method] + [headers.get(name, '') for name in standard]
    canonical_headers = ''.join('{}:{}\n'.format(name, headers[name]) for name in sorted(headers)
                                if name.startswith('x-ms-'))
    target = urlsplit(captured.origin_target)
    query = ''.join('\n{}:{}'.format(name.lower(), value) for name, value in sorted(parse_qsl(target.query)))
    return '\n'.join(lines) + '\n' + canonical_headers + '/' + DEV_ACCOUNT_NAME + target.path + query


def _sent_headers(fault_proxy, request):
    """The headers of the one request the proxy saw, checked to be the request's own (and Host)."""
    [captured] = fault_proxy.requests
    sent = {name.lower(): value for name, value in captured.headers}
    assert sent.pop('host') == fault_proxy.address
    assert sent == {name.lower(): value for name, value in request.headers.items()}
    return captured, sent


@pytest.mark.parametrize('method, path, query, headers, body', [
    ('PUT', '/{container}/a blob é.txt', {}, {'x-ms-blob-type': 'BlockBlob', 'Content-Type': 'text/plain',
                                              'x-ms-meta-first': 'one', 'x-ms-meta-second': 'two  words'}, b'body'),
    ('PUT', '/{container}', {'restype': 'container', 'comp': 'metadata'}, {'x-ms-meta-key': 'value'}, None),
    ('GET', '/{container}', {'restype': 'container', 'comp': 'list', 'prefix': 'a b'}, {}, None),
])
async def test_the_headers_sent_are_exactly_the_signed_ones(fault_proxy, proxied_client, container, method, path,
                                                            query, headers, body):
    request = HTTPRequest(method, path.format(container=container), query, headers, body,
                          proxied_client._get_host_locations())
    await proxied_client._perform_request(request)
    captured, sent = _sent_headers(fault_proxy, request)
    # Nothing of aiohttp's own: no compression negotiation, no guessed content type.
    assert not {'accept-encoding', 'accept'} & set(sent)
    assert ('content-type' in sent) == ('Content-Type' in headers)
    digest = hmac.new(base64.b64decode(DEV_ACCOUNT_KEY), _string_to_sign(captured).encode('utf-8'),
                      hashlib.sha256).digest()
    assert captured.header('Authorization') == 'SharedKey {}:{}'.format(
        DEV_ACCOUNT_NAME, base64.b64encode(digest).decode())


async def test_a_callers_session_sends_only_the_signed_headers_too(fault_proxy, container):
    async with aiohttp.ClientSession() as session:
        async with RawBlobClient(connection_string=endpoint_connection_string(fault_proxy.address),
                                 request_session=session) as client:
            request = HTTPRequest('PUT', '/{}/blob'.format(container), {}, {'x-ms-blob-type': 'BlockBlob'}, b'data',
                                  client._get_host_locations())
            await client._perform_request(request)
    _sent_headers(fault_proxy, request)


async def test_a_delete_sends_exactly_the_signed_headers(fault_proxy, proxied_client, client, container):
    await client.put_blob(container, 'doomed', b'data')
    request = HTTPRequest('DELETE', '/{}/doomed'.format(container), {}, {}, None,
                          proxied_client._get_host_locations())
    await proxied_client._perform_request(request)
    _sent_headers(fault_proxy, request)


def _self_signed_context(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from ipaddress import IPv4Address

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, '127.0.0.1')])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address('127.0.0.1'))]), False)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / 'cert.pem', directory / 'key.pem'
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


async def test_a_token_credential_updated_between_requests_signs_the_next_one(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    credential = TokenCredential('first-token')
    async with FaultProxy(ssl=_self_signed_context(tmp_path)) as tls_server:
        tls_server.inject('respond', times=2, status=200, reason='OK')
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session:
            async with RawBlobClient(account_name=DEV_ACCOUNT_NAME, token_credential=credential,
                                     custom_domain='https://' + tls_server.address, request_session=session) as client:
                await client.container_properties('container')
                credential.token = 'second-token'
                await client.container_properties('container')
    assert [request.header('Authorization') for request in tls_server.requests] == [
        'Bearer first-token', 'Bearer second-token']
    assert 'Outgoing request' in caplog.text and '-token' not in caplog.text
