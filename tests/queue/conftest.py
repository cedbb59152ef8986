"""Fixtures of the queue tests: a service with quick retries, a fresh queue, and helpers."""
import pytest

from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.retry import no_retry
from azure.storage.queue import QueueService

from azurite import free_port
from testkit import fast_retry


@pytest.fixture
def make_service():
    """``make_service(**kwargs)``: a QueueService that retries transport hiccups (Azurite drops
    idle connections) without the legacy 15 s waits. Close it (``async with``)."""
    def make(**kwargs):
        service = QueueService(**kwargs)
        service.retry = fast_retry()
        return service
    return make


@pytest.fixture
def proxied_service():
    """What the ``fault_proxy`` and ``proxied`` fixtures (tests/conftest.py) stand in front of."""
    return 'queue', QueueService


@pytest.fixture
async def queue_service(make_service, connection_string):
    async with make_service(connection_string=connection_string) as service:
        yield service


@pytest.fixture
async def queue_name(queue_service, unique_name):
    """A queue created for the test and deleted after it."""
    name = unique_name('q')
    await queue_service.create_queue(name)
    yield name
    await queue_service.delete_queue(name)


@pytest.fixture
async def offline_service():
    """
    A service whose endpoint is a closed port and which never retries: validation errors
    must be raised before any request, and a request that does go out fails at once.
    """
    connection_string = (
        'DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};'
        'QueueEndpoint=http://127.0.0.1:{port}/{name}').format(name=DEV_ACCOUNT_NAME, key=DEV_ACCOUNT_KEY,
                                                               port=free_port())
    async with QueueService(connection_string=connection_string) as service:
        service.retry = no_retry
        yield service


@pytest.fixture
def sas_service_for(make_service, queue_service):
    """``sas_service_for(token)``: a QueueService at the same endpoint that holds only ``token``."""
    def make(token):
        return make_service(connection_string='QueueEndpoint={}://{};SharedAccessSignature={}'.format(
            queue_service.protocol, queue_service.primary_endpoint, token))
    return make
