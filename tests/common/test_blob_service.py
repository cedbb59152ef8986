"""azure.storage.common under a real service class: BlockBlobService."""
import base64
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureHttpError

from azure.storage.common import AccountPermissions, ResourceTypes, Services, SharedAccessSignature

from azure.storage.blob import BlockBlobService

from .rawclient import blob_parameters, blob_url


async def test_account_sas_service_lifecycle(connection_string, unique_name):
    params = blob_parameters(connection_string)
    token = SharedAccessSignature(params.account_name, params.account_key).generate_account(
        Services.BLOB, ResourceTypes(service=True, container=True),
        AccountPermissions(read=True, write=True, delete=True, list=True, create=True),
        datetime.now(timezone.utc) + timedelta(hours=1))
    container = unique_name('svc')
    async with BlockBlobService(account_name=params.account_name, sas_token=token,
                                custom_domain=blob_url(connection_string)) as service:
        assert await service.create_container(container)
        assert await service.exists(container)
        assert container in [listed.name async for listed in service.list_containers(prefix=container)]
        assert await service.delete_container(container)
        assert not await service.exists(container)


async def test_a_wrong_key_fails_authentication_through_the_service(connection_string):
    params = blob_parameters(connection_string)
    async with BlockBlobService(account_name=params.account_name, account_key=base64.b64encode(b'k' * 64).decode(),
                                custom_domain=blob_url(connection_string)) as service:
        with pytest.raises(AzureHttpError) as info:
            await service.create_container('never')
    assert info.value.status_code == 403


@pytest.mark.parametrize('max_connections', [1, 3])
async def test_chunked_download_stays_on_a_path_style_endpoint(connection_string, unique_name, max_connections):
    # The ranges of one download share a location-locked operation context.
    data = bytes(range(256)) * 20
    container = unique_name('chunks')
    async with BlockBlobService(connection_string=connection_string) as service:
        service.MAX_SINGLE_GET_SIZE = 1024
        service.MAX_CHUNK_GET_SIZE = 512
        await service.create_container(container)
        try:
            await service.create_blob_from_bytes(container, 'blob', data)
            downloaded = await service.get_blob_to_bytes(container, 'blob', max_connections=max_connections)
            assert downloaded.content == data
        finally:
            await service.delete_container(container)
