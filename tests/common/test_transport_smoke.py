"""The transport against Azurite with a bare StorageClient (no service package involved)."""
from azure.storage.common._connection import _ServiceParameters
from azure.storage.common._http import HTTPRequest
from azure.storage.common.storageclient import StorageClient


class _RawBlobClient(StorageClient):
    def __init__(self, connection_string):
        super().__init__(_ServiceParameters.get_service_parameters('blob', connection_string=connection_string))
        self.authentication = self._build_authentication()

    async def send(self, method, path, query=None, headers=None, body=None, parser=None):
        request = HTTPRequest(method, path, query, headers, body, self._get_host_locations())
        return await self._perform_request(request, parser)


async def test_signed_requests_round_trip_unusual_names(connection_string, unique_name):
    container = unique_name('smoke')
    blob = "a b%+#?'é/ü.txt"
    async with _RawBlobClient(connection_string) as client:
        await client.send('PUT', '/' + container, {'restype': 'container'},
                          {'x-ms-meta-foo_bar': '1', 'x-ms-meta-foo2_bar': '2', 'x-ms-meta-Abc': 'x'})
        await client.send('PUT', '/{}/{}'.format(container, blob), headers={'x-ms-blob-type': 'BlockBlob'},
                          body=b'hello')
        body = await client.send('GET', '/{}/{}'.format(container, blob), parser=lambda response: response.body)
        assert body == b'hello'
        await client.send('DELETE', '/' + container, {'restype': 'container'})
