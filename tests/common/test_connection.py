"""Where a service sends its requests: account settings, connection strings, CloudStorageAccount."""
import pytest

from azure.storage.common import CloudStorageAccount, TokenCredential
from azure.storage.common._auth import (
    _StorageNoAuthentication,
    _StorageSASAuthentication,
    _StorageSharedKeyAuthentication,
    _StorageTokenAuthentication,
)
from azure.storage.common._connection import _ServiceParameters
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME

from .rawclient import RawBlobClient

SAS = 'sv=2019-02-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig=abc%2Bdef%3D'


def params(service='blob', **kwargs):
    return _ServiceParameters.get_service_parameters(service, **kwargs)


def endpoints(parameters):
    return parameters.protocol, parameters.primary_endpoint, parameters.secondary_endpoint


@pytest.mark.parametrize('service, port', [('blob', 10000), ('queue', 10001), ('table', 10002)])
def test_use_development_storage(service, port):
    parameters = params(service, connection_string='UseDevelopmentStorage=true')
    assert parameters.is_emulated
    assert (parameters.account_name, parameters.account_key) == (DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY)
    assert endpoints(parameters) == ('http', '127.0.0.1:{}/devstoreaccount1'.format(port),
                                     '127.0.0.1:{}/devstoreaccount1-secondary'.format(port))


def test_development_storage_behind_a_proxy_uri_keeps_the_service_port():
    parameters = params('queue', connection_string=(
        'UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://ipv4.fiddler'))
    assert parameters.primary_endpoint == 'ipv4.fiddler:10001/devstoreaccount1'


def test_development_storage_at_a_custom_endpoint_with_a_sas():
    parameters = params(connection_string='UseDevelopmentStorage=true;BlobEndpoint=http://127.0.0.1:34567;'
                                          'SharedAccessSignature=' + SAS)
    assert parameters.is_emulated and parameters.account_key is None and parameters.sas_token == SAS
    assert endpoints(parameters) == ('http', '127.0.0.1:34567/devstoreaccount1',
                                     '127.0.0.1:34567/devstoreaccount1-secondary')


@pytest.mark.parametrize('value', ['false', 'no', ''])
def test_use_development_storage_must_say_true(value):
    parameters = params(connection_string='UseDevelopmentStorage={};AccountName=acc;AccountKey=a2V5'.format(value))
    assert not parameters.is_emulated and parameters.primary_endpoint == 'acc.blob.core.windows.net'


def test_account_name_and_key():
    parameters = params('queue', connection_string='DefaultEndpointsProtocol=http;AccountName=acc;AccountKey= a2V5 ;')
    assert (parameters.account_name, parameters.account_key, parameters.is_emulated) == ('acc', 'a2V5', False)
    assert endpoints(parameters) == ('http', 'acc.queue.core.windows.net', 'acc-secondary.queue.core.windows.net')


def test_https_is_the_default_protocol():
    assert params(connection_string='AccountName=acc;AccountKey=a2V5').protocol == 'https'
    assert params(account_name='acc', account_key='a2V5').protocol == 'https'


def test_endpoint_suffix():
    parameters = params('table', connection_string=(
        'AccountName=acc;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn'))
    assert endpoints(parameters) == ('https', 'acc.table.core.chinacloudapi.cn',
                                     'acc-secondary.table.core.chinacloudapi.cn')
    assert params(account_name='acc', endpoint_suffix='core.usgovcloudapi.net').primary_endpoint == \
        'acc.blob.core.usgovcloudapi.net'


def test_each_service_takes_its_own_endpoint():
    connection_string = ('DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=a2V5;'
                         'BlobEndpoint=http://127.0.0.1:1234/acc/;QueueEndpoint=https://queues.example.com;'
                         'TableEndpoint=tables.example.com')
    assert endpoints(params('blob', connection_string=connection_string)) == (
        'http', '127.0.0.1:1234/acc', '127.0.0.1:1234/acc-secondary')
    queue = params('queue', connection_string=connection_string)
    assert (queue.primary_endpoint, queue.secondary_endpoint) == \
        ('queues.example.com', 'acc-secondary.queue.core.windows.net')
    table = params('table', connection_string=connection_string)
    assert (table.protocol, table.primary_endpoint) == ('https', 'tables.example.com')


def test_secondary_endpoint():
    parameters = params(connection_string='AccountName=acc;AccountKey=a2V5;BlobEndpoint=https://blob.example.com;'
                                          'BlobSecondaryEndpoint=https://blob-secondary.example.com/')
    assert endpoints(parameters) == ('https', 'blob.example.com', 'blob-secondary.example.com')


def test_secondary_endpoint_needs_a_primary_one():
    with pytest.raises(ValueError):
        params(connection_string='AccountName=acc;AccountKey=a2V5;BlobSecondaryEndpoint=https://s.example.com')


def test_shared_access_signature_keeps_its_equals_signs():
    parameters = params(connection_string='BlobEndpoint=https://acc.blob.core.windows.net/;'
                                          'SharedAccessSignature=' + SAS)
    assert (parameters.sas_token, parameters.account_key) == (SAS, None)
    assert endpoints(parameters) == ('https', 'acc.blob.core.windows.net', None)


def test_custom_domain_argument():
    parameters = params(account_name='acc', account_key='a2V5', custom_domain='https://www.example.com/storage/')
    assert endpoints(parameters) == ('https', 'www.example.com/storage', 'acc-secondary.blob.core.windows.net')


@pytest.mark.parametrize('connection_string', [
    'this is not a connection string', 'AccountName=acc;garbage', 'AccountKey=a2V5', 'DefaultEndpointsProtocol=https'])
def test_bad_connection_strings(connection_string):
    with pytest.raises(ValueError):
        params(connection_string=connection_string)


@pytest.mark.parametrize('kwargs', [{}, {'account_key': 'a2V5'}, {'sas_token': SAS}])
def test_an_account_name_or_an_endpoint_is_required(kwargs):
    with pytest.raises(ValueError):
        params(**kwargs)


def test_token_credential_is_refused_over_http_at_construction():
    with pytest.raises(ValueError):
        params(account_name='acc', token_credential=TokenCredential('t'), protocol='http')


def test_request_session_and_socket_timeout_are_passed_on():
    session = object()
    parameters = params(account_name='acc', account_key='a2V5', request_session=session, socket_timeout=(3, 7))
    assert parameters.request_session is session and parameters.socket_timeout == (3, 7)


@pytest.mark.parametrize('kwargs, signer', [
    ({'account_name': 'acc', 'account_key': 'a2V5', 'sas_token': SAS}, _StorageSharedKeyAuthentication),
    ({'account_name': 'acc', 'sas_token': SAS}, _StorageSASAuthentication),
    ({'account_name': 'acc', 'token_credential': TokenCredential('t')}, _StorageTokenAuthentication),
    ({'account_name': 'acc'}, _StorageNoAuthentication),
    ({'is_emulated': True}, _StorageSharedKeyAuthentication),
    ({'is_emulated': True, 'sas_token': SAS}, _StorageSASAuthentication),
])
async def test_credentials_choose_the_signer(kwargs, signer):
    async with RawBlobClient(**kwargs) as client:
        assert type(client.authentication) is signer


async def test_client_settings_follow_the_parameters():
    async with RawBlobClient(connection_string='DefaultEndpointsProtocol=http;AccountName=acc;AccountKey=a2V5',
                             socket_timeout=9) as client:
        assert (client.account_name, client.account_key, client.protocol) == ('acc', 'a2V5', 'http')
        assert (client.primary_endpoint, client.secondary_endpoint) == (
            'acc.blob.core.windows.net', 'acc-secondary.blob.core.windows.net')
        assert client.socket_timeout == 9
        assert client.request_session is None  # created lazily, inside the running loop


@pytest.mark.parametrize('factory, service', [
    ('create_block_blob_service', 'blob'), ('create_page_blob_service', 'blob'),
    ('create_append_blob_service', 'blob'), ('create_queue_service', 'queue'), ('create_table_service', 'table')])
async def test_cloud_storage_account_creates_services(factory, service):
    account = CloudStorageAccount('acc', 'a2V5', endpoint_suffix='core.chinacloudapi.cn')
    created = getattr(account, factory)()
    async with created:
        assert (created.account_name, created.account_key) == ('acc', 'a2V5')
        assert created.primary_endpoint == 'acc.{}.core.chinacloudapi.cn'.format(service)


async def test_cloud_storage_account_on_the_emulator():
    created = CloudStorageAccount(is_emulated=True).create_block_blob_service()
    async with created:
        assert created.is_emulated and created.primary_endpoint == '127.0.0.1:10000/devstoreaccount1'


def test_cloud_storage_account_has_no_file_service():
    with pytest.raises(NotImplementedError, match='File service'):
        CloudStorageAccount('acc', 'a2V5').create_file_service()
