"""Fixtures of the blob tests: services with quick retries, a fresh container, SAS-only services."""
import pytest

from azure.storage.blob import BlockBlobService
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.retry import LinearRetry, no_retry

from azurite import free_port


@pytest.fixture
def make_service():
    """``make_service(**kwargs)``: a BlockBlobService that retries transport hiccups (Azurite
    drops idle connections) without the legacy 15 s waits. Close it (``async with``)."""
    def make(**kwargs):
        service = BlockBlobService(**kwargs)
        service.retry = LinearRetry(backoff=0.1, max_attempts=3, random_jitter_range=0).retry
        return service
    return make


@pytest.fixture
async def service(make_service, connection_string):
    async with make_service(connection_string=connection_string) as blob_service:
        yield blob_service


@pytest.fixture
async def container(service, unique_name):
    """A container created for the test and deleted after it."""
    name = unique_name('c')
    await service.create_container(name, fail_on_exist=True)
    yield name
    await service.delete_container(name)


@pytest.fixture
def small_chunks():
    """``small_chunks(service)``: make a service upload and download in 64 KiB pieces."""
    def shrink(blob_service, put=256 * 1024, block=64 * 1024, get=128 * 1024, chunk=64 * 1024):
        blob_service.MAX_SINGLE_PUT_SIZE = put
        blob_service.MAX_BLOCK_SIZE = block
        blob_service.MAX_SINGLE_GET_SIZE = get
        blob_service.MAX_CHUNK_GET_SIZE = chunk
        return blob_service
    return shrink


@pytest.fixture
async def offline_service():
    """
    A service whose endpoint is a closed port and which never retries: validation errors
    must be raised before any request, and a request that does go out fails at once.
    """
    connection_string = (
        'DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};'
        'BlobEndpoint=http://127.0.0.1:{port}/{name}').format(name=DEV_ACCOUNT_NAME, key=DEV_ACCOUNT_KEY,
                                                              port=free_port())
    async with BlockBlobService(connection_string=connection_string) as blob_service:
        blob_service.retry = no_retry
        yield blob_service


@pytest.fixture
def sas_service_for(make_service, service):
    """``sas_service_for(token)``: a BlockBlobService at the same endpoint that holds only ``token``
    (or no credential at all for None)."""
    def make(token):
        connection_string = 'BlobEndpoint={}://{}'.format(service.protocol, service.primary_endpoint)
        if token is not None:
            connection_string += ';SharedAccessSignature=' + token
        return make_service(connection_string=connection_string)
    return make
