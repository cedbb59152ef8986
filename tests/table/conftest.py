"""Fixtures of the table tests: a service with quick retries, a fresh table, an unreachable service."""
import pytest

from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.retry import LinearRetry, no_retry
from azure.storage.table import TableService

from azurite import free_port


def quick_retry():
    """The legacy retry decisions with backoffs of a tenth of a second."""
    return LinearRetry(backoff=0.1, random_jitter_range=0.05).retry


@pytest.fixture
def proxied_service():
    """What the ``fault_proxy`` and ``proxied`` fixtures (tests/conftest.py) stand in front of."""
    return 'table', TableService


@pytest.fixture
async def table_service(connection_string):
    async with TableService(connection_string=connection_string) as service:
        service.retry = quick_retry()
        yield service


@pytest.fixture
async def table_name(table_service, unique_name):
    """A new table, deleted after the test."""
    name = unique_name('tab')
    await table_service.create_table(name, fail_on_exist=True)
    yield name
    await table_service.delete_table(name)


@pytest.fixture
async def offline_service():
    """A service whose endpoint is a closed port: any request it sent would fail with AzureException."""
    connection_string = (
        'DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};'
        'TableEndpoint=http://127.0.0.1:{port}/{name};'
    ).format(name=DEV_ACCOUNT_NAME, key=DEV_ACCOUNT_KEY, port=free_port())
    async with TableService(connection_string=connection_string) as service:
        service.retry = no_retry
        yield service


@pytest.fixture
def sas_service(table_service):
    """``sas_service(token)``: a service on the test account's endpoint that has only that SAS token."""
    def make(sas_token):
        connection_string = 'TableEndpoint={}://{};SharedAccessSignature={}'.format(
            table_service.protocol, table_service.primary_endpoint, sas_token)
        service = TableService(connection_string=connection_string)
        service.retry = no_retry
        return service
    return make
