"""Secrets never reach the logs, even at DEBUG: keys, Shared Key signatures, SAS signatures."""
import logging
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote

import pytest
from azure.common import AzureMissingResourceHttpError
from azure.storage.common import AccountPermissions, ResourceTypes, Services, SharedAccessSignature
from azure.common import AzureException
from azure.storage.common._http import HTTPRequest
from azure.storage.common.retry import LinearRetry, no_retry

from .badpeers import full_backlog
from .faultproxy import FaultProxy
from .rawclient import RawBlobClient, blob_parameters, blob_url, sas_connection_string


def forms(secret):
    """A secret as it may appear in a log: as is, and percent-encoded."""
    return {secret, quote(secret, safe=''), quote(secret)}


async def test_secrets_are_scrubbed_from_debug_logs(caplog, connection_string, client, container):
    params = blob_parameters(connection_string)
    token = SharedAccessSignature(params.account_name, params.account_key).generate_account(
        Services.BLOB, ResourceTypes(container=True, object=True), AccountPermissions(read=True, write=True),
        datetime.now(timezone.utc) + timedelta(hours=1))
    sas_signature = dict(parse_qsl(token))['sig']
    await client.put_blob(container, 'source', b'copy me')

    caplog.set_level(logging.DEBUG)
    copy = HTTPRequest('PUT', '/{}/copy'.format(container), headers={
        'x-ms-copy-source': '{}/{}/source?{}'.format(blob_url(connection_string), container, token)},
        host_locations=client._get_host_locations())
    await client._perform_request(copy)
    shared_key_signature = copy.headers['Authorization'].rsplit(':', 1)[1]
    async with RawBlobClient(connection_string=sas_connection_string(connection_string, token)) as sas_client:
        assert (await sas_client.get_blob(container, 'source')).body == b'copy me'
        with pytest.raises(AzureMissingResourceHttpError):
            await sas_client.get_blob(container, 'missing')

    logged = caplog.text
    # The requests were logged (so the check below is not vacuous), with their secrets redacted.
    assert 'Outgoing request' in logged and 'String-to-sign' in logged and 'x-ms-copy-source' in logged
    assert logged.count('REDACTED') >= 4
    for secret in forms(sas_signature) | forms(shared_key_signature) | forms(params.account_key):
        assert secret not in logged


async def test_a_connect_timeout_does_not_leak_the_sas_signature(caplog):
    # A connect that hangs until it times out: aiohttp's timeout error quotes the whole URL,
    # query and SAS signature included.
    with full_backlog() as port:
        caplog.set_level(logging.DEBUG)
        async with RawBlobClient(connection_string='BlobEndpoint=http://127.0.0.1:{}/account;SharedAccessSignature='
                                 'sv=2019-02-02&sig=TOP%2BSECRET'.format(port), socket_timeout=(0.2, 0.2)) as client:
            client.retry = no_retry
            with pytest.raises(AzureException) as info:
                await client.container_properties('container')
    if 'Connection timeout' not in str(info.value):
        pytest.skip('this platform did not time out the connect: {}'.format(info.value))
    assert 'sig=REDACTED' in str(info.value)
    for text in (str(info.value), caplog.text):
        assert 'SECRET' not in text


async def test_a_customer_provided_encryption_key_is_scrubbed_from_the_logs(caplog):
    key = 'Q1VTVE9NRVItS0VZLU9GLVRISVJUWS1UV08tQllURVMhIQ=='
    caplog.set_level(logging.DEBUG)
    async with FaultProxy() as forward_proxy:
        forward_proxy.inject('respond', status=201, reason='Created')
        async with RawBlobClient(connection_string='DefaultEndpointsProtocol=http;AccountName=acc;AccountKey=a2V5;'
                                 'EndpointSuffix=core.windows.net') as client:
            client.set_proxy('127.0.0.1', forward_proxy.port)
            await client.put_blob('container', 'blob', b'data', {'x-ms-encryption-key': key,
                                                                 'x-ms-encryption-key-sha256': 'hash=',
                                                                 'x-ms-encryption-algorithm': 'AES256'})
    assert forward_proxy.requests[0].header('x-ms-encryption-key') == key  # sent, but never logged
    assert 'Outgoing request' in caplog.text and 'String-to-sign' in caplog.text
    assert 'hash=' in caplog.text and key not in caplog.text


async def test_only_a_final_failure_is_logged_as_an_error(caplog):
    caplog.set_level(logging.WARNING)
    async with FaultProxy() as forward_proxy:
        for status in (503, 503, 404, 404):
            forward_proxy.inject('respond', status=status, reason='status', headers={'x-ms-error-code': 'BlobNotFound'})
        async with RawBlobClient(connection_string='DefaultEndpointsProtocol=http;AccountName=acc;AccountKey=a2V5;'
                                 'EndpointSuffix=core.windows.net') as client:
            client.set_proxy('127.0.0.1', forward_proxy.port)
            client.retry = LinearRetry(backoff=0, random_jitter_range=0).retry
            with pytest.raises(AzureMissingResourceHttpError):
                await client.get_blob('container', 'blob')  # retried twice, then a final 404
            errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
            assert [record.levelno for record in errors] == [logging.ERROR]
            assert 'Retry policy did not allow for a retry' in errors[0].getMessage()
            assert 'HTTP status code=404' in errors[0].getMessage()
            caplog.clear()
            request = HTTPRequest('GET', '/container/blob', host_locations=client._get_host_locations())
            with pytest.raises(AzureMissingResourceHttpError):
                await client._perform_request(request, expected_errors=['BlobNotFound'])  # as exists() does
            assert not caplog.records
