"""Fixtures shared by every test: the service endpoint, unique names, leak checks.

By default the suite runs against an Azurite it starts itself. With
``AZURE_STORAGE_CONNECTION_STRING`` set it runs against that account instead, and tests
marked ``emulator_only`` are skipped.
"""
import asyncio
import gc
import os
import uuid

import aiohttp
import pytest

from azurite import Azurite
from common.faultproxy import FaultProxy
from testkit import emulator_connection_string, fast_retry

LIVE_CONNECTION_STRING = os.environ.get('AZURE_STORAGE_CONNECTION_STRING')


def pytest_report_header(config):
    """The combination under test, for CI logs that run the suite on several."""
    return 'aiohttp {}'.format(aiohttp.__version__)


def pytest_configure(config):
    config.addinivalue_line('markers', 'emulator_only: needs Azurite (fault injection, emulator specifics)')


def pytest_collection_modifyitems(config, items):
    if not LIVE_CONNECTION_STRING:
        return
    skip = pytest.mark.skip(reason='needs the emulator; AZURE_STORAGE_CONNECTION_STRING points at a real account')
    for item in items:
        if 'emulator_only' in item.keywords:
            item.add_marker(skip)


def pytest_collection_finish(session):
    """Move everything collection made (every test module and what it imports: pandas, Dask...)
    out of the collector's reach: the leak check's full collection after each test then walks
    only what tests made since, instead of the whole heap (seconds per hundred tests)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope='session')
def azurite():
    """The Azurite process of this test session (None in live mode)."""
    if LIVE_CONNECTION_STRING:
        yield None
        return
    emulator = Azurite.start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture(scope='session')
def connection_string(azurite):
    """A connection string for the account under test: Azurite's, or the live one."""
    return LIVE_CONNECTION_STRING or azurite.connection_string


@pytest.fixture
async def fault_proxy(azurite, proxied_service):
    """A FaultProxy in front of Azurite's endpoint for ``proxied_service`` (which a test package defines)."""
    endpoint, _ = proxied_service
    async with FaultProxy(upstream=('127.0.0.1', getattr(azurite, endpoint + '_port'))) as proxy:
        yield proxy


@pytest.fixture
async def proxied(fault_proxy, proxied_service):
    """A client of ``proxied_service`` whose endpoint is the fault proxy, with quick retries."""
    endpoint, service_class = proxied_service
    async with service_class(connection_string=emulator_connection_string(endpoint, fault_proxy.address)) as service:
        service.retry = fast_retry()
        yield service


@pytest.fixture
def unique_name():
    """Make names unique to a test: ``unique_name('cont')`` -> 'cont1a2b3c...' (lowercase, letters and digits)."""
    def make(prefix='t'):
        return '{}{}'.format(prefix, uuid.uuid4().hex[:16])
    return make


@pytest.fixture(autouse=True)
async def _fail_on_unclosed_resources():
    """Turn asyncio's 'Unclosed client session' / 'Unclosed connector' reports into failures.

    aiohttp reports a session or connector that was never closed when it is collected, through
    the loop's exception handler; collecting at teardown, while the loop still runs, makes such
    a leak fail the test that caused it.
    """
    loop = asyncio.get_running_loop()
    reports = []
    previous = loop.get_exception_handler()

    def handler(running_loop, context):
        reports.append(context.get('message', ''))
        if previous:
            previous(running_loop, context)
        else:
            running_loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
    yield
    gc.collect()
    loop.set_exception_handler(previous)
    unclosed = [message for message in reports if 'Unclosed' in message]
    assert not unclosed, 'resources left open: {}'.format(unclosed)
