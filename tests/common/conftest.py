"""Fixtures of the azure.storage.common tests: a bare blob client, containers, the fault proxy."""
import pytest

from .rawclient import RawBlobClient, endpoint_connection_string, fast_retry


@pytest.fixture
async def client(connection_string):
    """A RawBlobClient on the account under test (Azurite or live)."""
    async with RawBlobClient(connection_string=connection_string) as raw:
        raw.retry = fast_retry()
        yield raw


@pytest.fixture
async def container(client, unique_name):
    """A fresh container, deleted after the test."""
    name = unique_name('common')
    await client.create_container(name)
    yield name
    await client.delete_container(name)


@pytest.fixture
def proxied_service():
    """What the shared ``fault_proxy`` (tests/conftest.py) stands in front of: the blob endpoint."""
    return 'blob', RawBlobClient


@pytest.fixture
async def proxied_client(fault_proxy):
    """A RawBlobClient whose endpoint is the fault proxy, with short linear retries."""
    async with RawBlobClient(connection_string=endpoint_connection_string(fault_proxy.address)) as raw:
        raw.retry = fast_retry()
        yield raw
