"""The transport where production traffic goes wrong: peers that stop reading, reset after
applying a request, or drip; pool limits; proxies from the environment; secrets in tracebacks."""
import asyncio
import gc
import logging
import time
import traceback
import warnings

import aiohttp
import pytest
from azure.common import AzureException

from azure.storage.blob import BlockBlobService
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common._http import SendTimeoutError
from azure.storage.common.retry import no_retry
from azure.storage.queue import QueueService
from azure.storage.table import TableService

from .badpeers import BadPeer, client_sockets_to, full_backlog
from .faultproxy import FaultProxy
from .rawclient import RawBlobClient, endpoint_connection_string, fast_retry

pytestmark = pytest.mark.emulator_only

_BIG = bytes(range(256)) * (32 * 1024)  # 8 MiB: more than the socket buffers hold


def _client(peer, **kwargs):
    return RawBlobClient(connection_string=endpoint_connection_string(peer.address), **kwargs)


async def _no_client_sockets(port, timeout=5):
    deadline = time.monotonic() + timeout
    while client_sockets_to(port) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return client_sockets_to(port) == 0


@pytest.mark.parametrize('service_class', [BlockBlobService, QueueService, TableService])
@pytest.mark.parametrize('session', [object(), 'session'], ids=['object', 'str'])
def test_request_session_must_be_an_aiohttp_session(service_class, session):
    with pytest.raises(TypeError, match='request_session should be an aiohttp.ClientSession'):
        service_class(account_name=DEV_ACCOUNT_NAME, account_key=DEV_ACCOUNT_KEY, request_session=session)


async def test_an_upload_to_a_peer_that_stops_reading_times_out_and_is_retried():
    async with BadPeer('stop_reading') as peer:
        async with _client(peer, socket_timeout=(2, 0.5)) as client:
            client.retry = fast_retry(max_attempts=1)
            started = time.monotonic()
            with pytest.raises(AzureException) as info:
                await client.put_blob('container', 'blob', _BIG)
            elapsed = time.monotonic() - started
        assert isinstance(info.value.__cause__, SendTimeoutError)
        assert len(peer.heads) == 2  # the policy retried it like any transport error
        assert elapsed < 30  # two attempts of at most twice the read timeout each, with slack for load
        assert await _no_client_sockets(peer.port)


async def test_cancelling_an_upload_to_a_peer_that_stops_reading_closes_its_socket():
    async with BadPeer('stop_reading') as peer:
        async with _client(peer) as client:
            task = asyncio.create_task(client.put_blob('container', 'blob', _BIG))
            await peer.request_seen()
            await asyncio.sleep(0.2)  # the socket buffers fill up
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # Before close(): the cancelled call itself let go of the connection.
            assert await _no_client_sockets(peer.port)


@pytest.mark.parametrize('method, body', [('PUT', b'appended once'), ('DELETE', None), ('GET', None)])
async def test_a_request_whose_answer_is_lost_is_not_sent_again_behind_the_policy(method, body):
    # The peer applies the request, then resets: aiohttp would send an idempotent request
    # once more by itself, also with no_retry.
    async with BadPeer('reset_after_request') as peer:
        async with _client(peer) as client:
            client.retry = no_retry
            with pytest.raises(AzureException):
                await client.send(method, '/container/blob', body=body)
        assert len(peer.heads) == 1


async def test_a_callers_session_does_not_resend_either():
    async with BadPeer('reset_after_request') as peer:
        async with aiohttp.ClientSession() as session:
            async with _client(peer, request_session=session) as client:
                client.retry = no_retry
                with pytest.raises(AzureException):
                    await client.put_blob('container', 'blob', b'data')
        assert len(peer.heads) == 1


async def test_the_pool_size_bounds_the_connections_of_a_service():
    async with BadPeer('answer', delay=0.05) as peer:
        async with _client(peer) as client:
            assert client.connection_pool_size == 100
            client.connection_pool_size = 3
            await asyncio.gather(*(client.put_blob('container', 'blob', b'x') for _ in range(20)))
        assert len(peer.heads) == 20 and peer.most_concurrent == 3


async def test_an_idle_connection_is_dropped_after_the_keepalive_timeout():
    async with BadPeer('answer') as peer:
        async with _client(peer) as client:
            client.keepalive_timeout = 0.3
            await client.put_blob('container', 'blob', b'x')
            await client.put_blob('container', 'blob', b'x')
            assert peer.connections == 1  # reused while fresh
            await asyncio.sleep(0.6)
            await client.put_blob('container', 'blob', b'x')
        assert peer.connections == 2


def test_the_default_keepalive_ends_before_the_services_idle_cut_off():
    client = RawBlobClient(account_name=DEV_ACCOUNT_NAME, account_key=DEV_ACCOUNT_KEY)
    assert client.keepalive_timeout < 5  # Azurite closes idle connections after 5 s, Azure after 4 min


def _formatted_failure(info):
    """Everything a traceback or ``logger.exception`` of the failure prints, whole chain included."""
    text = ''.join(traceback.format_exception(info.type, info.value, info.tb))
    seen = info.value
    while seen is not None:  # contexts a traceback would not print (suppressed) count too
        text += repr(seen) + str(seen.args)
        seen = seen.__cause__ or seen.__context__
    return text


async def test_no_secret_reaches_a_traceback_of_a_transport_failure(caplog):
    signature = 'TOP%2BSECRET%2Fsig'
    customer_key = 'Q1VTVE9NRVItS0VZLU9GLVRISVJUWS1UV08tQllURVMhIQ=='
    caplog.set_level(logging.DEBUG)
    with full_backlog() as port:
        # A SAS: aiohttp's connect timeout quotes the URL, query and signature included.
        sas = 'BlobEndpoint=http://127.0.0.1:{}/{};SharedAccessSignature=sv=2019-02-02&sig={}'.format(
            port, DEV_ACCOUNT_NAME, signature)
        async with RawBlobClient(connection_string=sas, socket_timeout=(0.2, 0.2)) as client:
            client.retry = no_retry
            with pytest.raises(AzureException) as sas_failure:
                await client.container_properties('container')
    if 'timeout' not in str(sas_failure.value).lower():
        pytest.skip('this platform did not time out the connect: {}'.format(sas_failure.value))
    async with BadPeer('reset_after_head') as peer:
        # The account key and a customer-provided key, on a signed request.
        async with _client(peer) as client:
            client.retry = no_retry
            with pytest.raises(AzureException) as key_failure:
                await client.put_blob('container', 'blob', _BIG, {'x-ms-encryption-key': customer_key,
                                                                  'x-ms-encryption-key-sha256': 'hash=',
                                                                  'x-ms-encryption-algorithm': 'AES256'})
    logging.getLogger('test').error('logged', exc_info=sas_failure.value)
    texts = [_formatted_failure(sas_failure), _formatted_failure(key_failure), caplog.text]
    assert 'sig=REDACTED' in texts[0]
    for text in texts:
        for secret in ('TOP', 'SECRET', DEV_ACCOUNT_KEY, DEV_ACCOUNT_KEY[:20], customer_key):
            assert secret not in text


@pytest.fixture
def proxy_environment(monkeypatch, tmp_path):
    """No proxy variables but those a test sets, and a ~/.netrc that must never be used."""
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY'):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    netrc = tmp_path / '.netrc'
    netrc.write_text('machine 127.0.0.1 login netrc-user password netrc-password\n')
    netrc.chmod(0o600)
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setenv('NETRC', str(netrc))
    return monkeypatch


@pytest.mark.parametrize('variable', ['HTTP_PROXY', 'http_proxy'])
async def test_the_http_proxy_of_the_environment_is_used(azurite, proxy_environment, container, variable):
    async with FaultProxy() as forward_proxy:
        proxy_environment.setenv(variable, 'http://' + forward_proxy.address)
        async with RawBlobClient(connection_string=endpoint_connection_string(
                '127.0.0.1:{}'.format(azurite.blob_port))) as client:
            assert (await client.container_properties(container)).status == 200
    [request] = forward_proxy.requests
    assert request.target.startswith('http://127.0.0.1:{}/'.format(azurite.blob_port))
    assert request.header('Authorization').startswith('SharedKey ')  # never ~/.netrc's


@pytest.mark.parametrize('variable', ['NO_PROXY', 'no_proxy'])
async def test_no_proxy_exempts_a_host(azurite, proxy_environment, container, variable):
    async with FaultProxy() as forward_proxy:
        proxy_environment.setenv('HTTP_PROXY', 'http://' + forward_proxy.address)
        proxy_environment.setenv(variable, 'localhost,127.0.0.1')
        async with RawBlobClient(connection_string=endpoint_connection_string(
                '127.0.0.1:{}'.format(azurite.blob_port))) as client:
            assert (await client.container_properties(container)).status == 200
    assert forward_proxy.requests == []


async def test_set_proxy_overrides_the_environment(azurite, proxy_environment, container):
    async with FaultProxy() as environment_proxy, FaultProxy() as chosen_proxy:
        proxy_environment.setenv('HTTP_PROXY', 'http://' + environment_proxy.address)
        async with RawBlobClient(connection_string=endpoint_connection_string(
                '127.0.0.1:{}'.format(azurite.blob_port))) as client:
            client.set_proxy('127.0.0.1', chosen_proxy.port)
            assert (await client.container_properties(container)).status == 200
    assert environment_proxy.requests == [] and len(chosen_proxy.requests) == 1


async def test_no_netrc_credentials_without_a_proxy(proxy_environment, fault_proxy, proxied_client, container):
    assert (await proxied_client.container_properties(container)).status == 200
    [request] = fault_proxy.requests
    assert request.header('Authorization').startswith('SharedKey ')


async def test_asyncio_timeout_bounds_a_call_that_drips_and_cancels_it_cleanly(
        fault_proxy, proxied_client, client, container):
    await client.put_blob(container, 'slow', bytes(4096))
    fault_proxy.inject('drip', chunk=16, delay=0.2)  # never idle for the read timeout, and never done
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(proxied_client.get_blob(container, 'slow'), 1)
    await fault_proxy.wait_for(lambda proxy: proxy.open_connections == 0)
    assert (await proxied_client.get_blob(container, 'slow')).body == bytes(4096)


def test_a_service_reused_under_a_new_event_loop_leaves_nothing_open(connection_string, caplog):
    client = RawBlobClient(connection_string=connection_string)  # never closed by the caller

    async def list_containers():
        response = await client.send('GET', '/', {'comp': 'list'})
        assert response.status == 200
        return client.request_session

    first = asyncio.run(list_containers())
    assert first.closed  # closed as its loop shut down
    second = asyncio.run(list_containers())
    assert second is not first and second.closed
    del first, second
    gc.collect()
    assert 'Unclosed' not in caplog.text


async def test_a_service_collected_unclosed_warns_once_naming_itself(connection_string, caplog):
    client = RawBlobClient(connection_string=connection_string)
    assert (await client.send('GET', '/', {'comp': 'list'})).status == 200
    endpoint = client.primary_endpoint
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        del client
        gc.collect()
        await asyncio.sleep(0.1)  # the closed transports' callbacks run
        gc.collect()
    messages = [str(warning.message) for warning in caught if warning.category is ResourceWarning]
    assert messages == ['RawBlobClient for {} was not closed: use "async with" or "await service.close()".'.format(
        endpoint)]
    assert 'Unclosed' not in caplog.text
