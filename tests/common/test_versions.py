"""One version per package: ``__version__``, the installed distribution and the User-Agent sent agree."""
import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import azure.storage.blob
import azure.storage.common
import azure.storage.queue
import azure.storage.table
from azure.storage.blob import BlockBlobService
from azure.storage.queue import QueueService
from azure.storage.table import TableService

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    'common': azure.storage.common,
    'blob': azure.storage.blob,
    'queue': azure.storage.queue,
    'table': azure.storage.table,
}
COMMON_DISTRIBUTION = 'aio-azure-storage-common'


@pytest.mark.parametrize('name', sorted(PACKAGES))
def test_distribution_version_is_the_package_version(name):
    assert metadata.version('aio-azure-storage-' + name) == PACKAGES[name].__version__


@pytest.mark.parametrize('name', sorted(PACKAGES))
def test_pyproject_writes_no_version_of_its_own(name):
    pyproject = (ROOT / 'azure-storage-{}'.format(name) / 'pyproject.toml').read_text()
    assert re.search(r'^version\s*=\s*["\']', pyproject, re.MULTILINE) is None
    assert 'dynamic = ["version"]' in pyproject
    assert 'azure.storage.{}._constants.__version__'.format(name) in pyproject


@pytest.mark.parametrize('name', ['blob', 'queue', 'table'])
def test_service_requires_the_common_it_is_released_with(name):
    requirements = [Requirement(text) for text in metadata.requires('aio-azure-storage-' + name)]
    on_common = [requirement for requirement in requirements if requirement.name == COMMON_DISTRIBUTION]
    assert len(on_common) == 1
    assert on_common[0].specifier.contains(azure.storage.common.__version__)


@pytest.mark.parametrize('service_class, package, name', [
    (BlockBlobService, azure.storage.blob, 'container'),
    (QueueService, azure.storage.queue, 'queue'),
    (TableService, azure.storage.table, 'table'),
])
async def test_user_agent_sent_names_common_and_service_versions(connection_string, unique_name,
                                                                 service_class, package, name):
    sent = []
    async with service_class(connection_string=connection_string) as service:
        service.request_callback = lambda request: sent.append(request.headers['User-Agent'])
        assert await service.exists(unique_name(name)) is False
    expected = 'aio-azure-storage/{}-{} (Python '.format(azure.storage.common.__version__, package.__version__)
    assert len(sent) == 1 and sent[0].startswith(expected)
