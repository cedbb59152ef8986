"""A blob endpoint driven through nothing but StorageClient, as the service packages drive it."""
from azure.storage.common._connection import _ServiceParameters
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common._http import HTTPRequest
from azure.storage.common.retry import LinearRetry
from azure.storage.common.storageclient import StorageClient


def fast_retry(max_attempts=3):
    """The legacy LinearRetry with a backoff short enough for tests."""
    return LinearRetry(backoff=0.05, max_attempts=max_attempts, random_jitter_range=0).retry


def blob_parameters(connection_string):
    return _ServiceParameters.get_service_parameters('blob', connection_string=connection_string)


def blob_url(connection_string):
    """``protocol://host[/path]`` of the blob endpoint a connection string names."""
    params = blob_parameters(connection_string)
    return '{}://{}'.format(params.protocol, params.primary_endpoint)


def endpoint_connection_string(endpoint, account_key=DEV_ACCOUNT_KEY):
    """The emulator account's blob endpoint at ``endpoint`` (host:port), path style, signed with ``account_key``."""
    return ('DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};'
            'BlobEndpoint=http://{endpoint}/{name}').format(name=DEV_ACCOUNT_NAME, key=account_key, endpoint=endpoint)


def sas_connection_string(connection_string, sas_token):
    """The blob endpoint of ``connection_string`` with nothing but a SAS token as credentials."""
    return 'BlobEndpoint={};SharedAccessSignature={}'.format(blob_url(connection_string), sas_token)


def response_of(response):
    return response


class RawBlobClient(StorageClient):
    """Blob requests built by hand: paths are unencoded, common encodes and signs them."""

    def __init__(self, **kwargs):
        super().__init__(_ServiceParameters.get_service_parameters('blob', **kwargs))
        self.authentication = self._build_authentication()

    async def send(self, method, path, query=None, headers=None, body=None, parser=response_of,
                   secondary=False, operation_context=None):
        request = HTTPRequest(method, path, query, headers, body, self._get_host_locations(secondary=secondary))
        return await self._perform_request(request, parser, operation_context=operation_context)

    async def create_container(self, container, metadata=None):
        headers = {'x-ms-meta-' + name: value for name, value in (metadata or {}).items()}
        return await self.send('PUT', '/' + container, {'restype': 'container'}, headers)

    async def delete_container(self, container):
        return await self.send('DELETE', '/' + container, {'restype': 'container'})

    async def container_properties(self, container, **kwargs):
        return await self.send('HEAD', '/' + container, {'restype': 'container'}, **kwargs)

    async def put_blob(self, container, blob, data, headers=None):
        headers = dict(headers or {})
        headers['x-ms-blob-type'] = 'BlockBlob'
        return await self.send('PUT', '/{}/{}'.format(container, blob), headers=headers, body=data)

    async def get_blob(self, container, blob, **kwargs):
        return await self.send('GET', '/{}/{}'.format(container, blob), **kwargs)
