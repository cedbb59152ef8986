"""Shared access signatures and URLs: known tokens, and what SAS-only services may and may not do."""
import base64
import json
import ssl
import time
import uuid
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest
from azure.common import AzureHttpError

from azure.storage.blob import BlobPermissions, BlockBlobService, ContainerPermissions
from azure.storage.blob.models import UserDelegationKey
from azure.storage.blob.sharedaccesssignature import BlobSharedAccessSignature
from azure.storage.common import AccountPermissions, ResourceTypes, TokenCredential
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.models import AccessPolicy

EXPIRY = datetime(2030, 1, 2, 3, 4, 5)
SOON = datetime.now(timezone.utc) + timedelta(hours=1)

# Tokens the legacy SDK (azure-storage-blob 2.1.0) generates for the same inputs.
LEGACY_BLOB_TOKEN = (
    'st=2020-01-01T00%3A00%3A00Z&se=2030-01-02T03%3A04%3A05Z&sp=rw&sip=168.1.5.60-168.1.5.70&spr=https'
    '&sv=2019-02-02&sr=b&rscc=no-cache&rscd=inline&rsce=gzip&rscl=en&rsct=text/plain'
    '&sig=wNojrqB%2Bie47vayvJ3eFzpCgaK%2BQ9tNi1DnITngQhJU%3D')
LEGACY_SNAPSHOT_TOKEN = \
    'se=2030-01-01T00%3A00%3A00Z&sp=r&sv=2019-02-02&sr=bs&sig=5k5XlqAMAnjhcQPQXlwyHJc6CjqHoOotK8f%2BusvZB50%3D'
LEGACY_CONTAINER_TOKEN = \
    'se=2030-01-02T03%3A04%3A05Z&sp=rdl&sv=2019-02-02&sr=c&sig=uHA0nCn02aQbe1Rr5/pMJiOY1foVYwgUYrU/oeb7XjE%3D'
LEGACY_POLICY_TOKEN = 'sv=2019-02-02&si=policy1&sr=c&sig=4OxbmFz8EC9WieCGBMgsF/v5kDwPmwYlqTZdyh7j7RI%3D'
LEGACY_ACCOUNT_TOKEN = \
    'se=2030-01-02T03%3A04%3A05Z&sp=rl&sv=2019-02-02&ss=b&srt=co&sig=A86WBFTIrASCBc8trFSh727jcygoUuE3koKtMNSDogI%3D'
LEGACY_DELEGATION_TOKEN = (
    'se=2030-01-01T00%3A00%3A00Z&sp=r&sv=2019-02-02&sr=b&skoid=11111111-2222-3333-4444-555555555555'
    '&sktid=66666666-7777-8888-9999-000000000000&skt=2020-01-01T00%3A00%3A00Z&ske=2030-01-01T00%3A00%3A00Z'
    '&sks=b&skv=2019-02-02&sig=W6J4KbnAbpY0jHV%2BX%2Bf9ksNmyiWa4YISoDCJkDs58HY%3D')


def _delegation_key():
    key = UserDelegationKey()
    key.signed_oid = '11111111-2222-3333-4444-555555555555'
    key.signed_tid = '66666666-7777-8888-9999-000000000000'
    key.signed_start = '2020-01-01T00:00:00Z'
    key.signed_expiry = '2030-01-01T00:00:00Z'
    key.signed_service = 'b'
    key.signed_version = '2019-02-02'
    key.value = 'a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='
    return key


@pytest.fixture
def keyed_service():
    return BlockBlobService(account_name=DEV_ACCOUNT_NAME, account_key=DEV_ACCOUNT_KEY)


def test_blob_token_matches_legacy(keyed_service):
    token = keyed_service.generate_blob_shared_access_signature(
        'cont', 'dir/blob name é.txt', permission=BlobPermissions(read=True, write=True), expiry=EXPIRY,
        start='2020-01-01T00:00:00Z', ip='168.1.5.60-168.1.5.70', protocol='https', cache_control='no-cache',
        content_disposition='inline', content_encoding='gzip', content_language='en', content_type='text/plain')
    assert token == LEGACY_BLOB_TOKEN


def test_snapshot_token_signs_but_leaves_out_the_snapshot(keyed_service):
    token = keyed_service.generate_blob_shared_access_signature(
        'cont', 'b', snapshot='2020-01-01T00:00:00.0000000Z', permission=BlobPermissions.READ,
        expiry='2030-01-01T00:00:00Z')
    assert token == LEGACY_SNAPSHOT_TOKEN


def test_container_and_policy_tokens_match_legacy(keyed_service):
    assert keyed_service.generate_container_shared_access_signature(
        'cont', permission=ContainerPermissions(read=True, list=True, delete=True), expiry=EXPIRY) == \
        LEGACY_CONTAINER_TOKEN
    assert keyed_service.generate_container_shared_access_signature('cont', id='policy1') == LEGACY_POLICY_TOKEN


def test_account_token_matches_legacy(keyed_service):
    token = keyed_service.generate_account_shared_access_signature(
        ResourceTypes(container=True, object=True), AccountPermissions(read=True, list=True), EXPIRY)
    assert token == LEGACY_ACCOUNT_TOKEN


def test_user_delegation_token_matches_legacy(keyed_service):
    key = _delegation_key()
    token = keyed_service.generate_blob_shared_access_signature(
        'cont', 'b', permission=BlobPermissions.READ, expiry='2030-01-01T00:00:00Z', user_delegation_key=key)
    assert token == LEGACY_DELEGATION_TOKEN
    direct = BlobSharedAccessSignature(DEV_ACCOUNT_NAME, user_delegation_key=key).generate_blob(
        'cont', 'b', permission=BlobPermissions.READ, expiry='2030-01-01T00:00:00Z')
    assert direct == LEGACY_DELEGATION_TOKEN


def test_sas_generation_needs_the_legacy_inputs():
    anonymous = BlockBlobService(account_name=DEV_ACCOUNT_NAME)
    with pytest.raises(ValueError, match='self.account_key should not be None'):
        anonymous.generate_blob_shared_access_signature('c', 'b', permission=BlobPermissions.READ, expiry=EXPIRY)
    with pytest.raises(ValueError, match='self.account_key should not be None'):
        anonymous.generate_account_shared_access_signature(ResourceTypes.OBJECT, AccountPermissions.READ, EXPIRY)
    with pytest.raises(ValueError, match='blob_name should not be None'):
        anonymous.generate_blob_shared_access_signature('c', None)
    with pytest.raises(ValueError, match='container_name should not be None'):
        anonymous.generate_container_shared_access_signature(None)
    incomplete = _delegation_key()
    incomplete.value = None
    with pytest.raises(ValueError, match='user_delegation_key.value should not be None'):
        anonymous.generate_container_shared_access_signature('c', user_delegation_key=incomplete)


def test_permissions_combine_in_service_order():
    assert str(BlobPermissions.WRITE | BlobPermissions.READ | BlobPermissions.DELETE) == 'rwd'
    assert str(BlobPermissions(_str='dwcar')) == 'racwd'
    assert str(ContainerPermissions.LIST + ContainerPermissions.READ) == 'rl'
    assert str(ContainerPermissions(read=True, add=True, create=True, write=True, delete=True, list=True)) == \
        'racwdl'
    assert ContainerPermissions(_str='lr') == ContainerPermissions.READ | ContainerPermissions.LIST


def test_urls():
    service = BlockBlobService(account_name='myaccount', account_key=DEV_ACCOUNT_KEY)
    assert service.make_blob_url('c', 'dir/b.txt') == 'https://myaccount.blob.core.windows.net/c/dir/b.txt'
    assert service.make_blob_url('c', 'b', protocol='http', sas_token='sig=x', snapshot='2020') == \
        'http://myaccount.blob.core.windows.net/c/b?snapshot=2020&sig=x'
    assert service.make_blob_url('c', 'b', snapshot='2020') == \
        'https://myaccount.blob.core.windows.net/c/b?snapshot=2020'
    assert service.make_blob_url('c', 'b', sas_token='sig=x') == 'https://myaccount.blob.core.windows.net/c/b?sig=x'
    assert service.make_container_url('c') == 'https://myaccount.blob.core.windows.net/c?restype=container'
    assert service.make_container_url('c', sas_token='sig=x', protocol='http') == \
        'http://myaccount.blob.core.windows.net/c?restype=container&sig=x'


async def test_container_sas_allows_what_it_grants(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'a.txt', b'aaa')
    token = service.generate_container_shared_access_signature(
        container, permission=ContainerPermissions.READ | ContainerPermissions.LIST, expiry=SOON)
    async with sas_service_for(token) as reader:
        assert [b.name async for b in reader.list_blobs(container)] == ['a.txt']
        assert (await reader.get_blob_to_bytes(container, 'a.txt')).content == b'aaa'
        with pytest.raises(AzureHttpError) as info:
            await reader.create_blob_from_bytes(container, 'b.txt', b'no')
        assert info.value.status_code == 403
        with pytest.raises(AzureHttpError):
            await reader.delete_blob(container, 'a.txt')
    assert await service.exists(container, 'a.txt')
    assert not await service.exists(container, 'b.txt')


async def test_blob_sas_is_limited_to_its_blob(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'mine', b'mine')
    await service.create_blob_from_bytes(container, 'other', b'other')
    token = service.generate_blob_shared_access_signature(
        container, 'mine', permission=BlobPermissions(read=True, write=True), expiry=SOON)
    async with sas_service_for(token) as writer:
        await writer.create_blob_from_bytes(container, 'mine', b'rewritten')
        assert (await writer.get_blob_to_bytes(container, 'mine')).content == b'rewritten'
        with pytest.raises(AzureHttpError) as info:
            await writer.get_blob_to_bytes(container, 'other')
        assert info.value.status_code == 403


async def test_expired_sas_is_refused(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'a', b'a')
    token = service.generate_blob_shared_access_signature(
        container, 'a', permission=BlobPermissions.READ, expiry=datetime.now(timezone.utc) - timedelta(minutes=5))
    async with sas_service_for(token) as late:
        with pytest.raises(AzureHttpError) as info:
            await late.get_blob_to_bytes(container, 'a')
    assert info.value.status_code == 403


async def test_sas_overrides_response_headers(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'doc', b'%PDF')
    token = service.generate_blob_shared_access_signature(
        container, 'doc', permission=BlobPermissions.READ, expiry=SOON,
        content_disposition='attachment; filename=doc.pdf', content_type='application/pdf',
        cache_control='max-age=60', content_language='fr')
    async with sas_service_for(token) as reader:
        settings = (await reader.get_blob_to_bytes(container, 'doc')).properties.content_settings
    assert settings.content_disposition == 'attachment; filename=doc.pdf'
    assert settings.content_type == 'application/pdf'
    assert settings.cache_control == 'max-age=60'
    assert settings.content_language == 'fr'


async def test_stored_access_policy_sas(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'a', b'policy read')
    await service.set_container_acl(container, {'readers': AccessPolicy(ContainerPermissions.READ, SOON)})
    token = service.generate_container_shared_access_signature(container, id='readers')
    async with sas_service_for(token) as reader:
        assert (await reader.get_blob_to_bytes(container, 'a')).content == b'policy read'
        with pytest.raises(AzureHttpError):
            await reader.create_blob_from_bytes(container, 'b', b'no')


async def test_snapshot_sas_reads_the_snapshot(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'a', b'version 1')
    snapshot = (await service.snapshot_blob(container, 'a')).snapshot
    await service.create_blob_from_bytes(container, 'a', b'version 2')
    token = service.generate_blob_shared_access_signature(container, 'a', snapshot=snapshot,
                                                          permission=BlobPermissions.READ, expiry=SOON)
    async with sas_service_for(token) as reader:
        assert (await reader.get_blob_to_bytes(container, 'a', snapshot=snapshot)).content == b'version 1'


async def test_account_sas_service(service, unique_name, sas_service_for):
    token = service.generate_account_shared_access_signature(
        ResourceTypes(service=True, container=True, object=True),
        AccountPermissions(read=True, write=True, delete=True, list=True, create=True), SOON)
    name = unique_name('acct')
    async with sas_service_for(token) as account:
        assert await account.create_container(name)
        await account.create_blob_from_text(name, 'x.txt', 'through the account SAS')
        assert (await account.get_blob_to_text(name, 'x.txt')).content == 'through the account SAS'
        assert name in [c.name async for c in account.list_containers(prefix=name)]
        assert await account.delete_container(name)

    read_only = service.generate_account_shared_access_signature(
        ResourceTypes(container=True, object=True), AccountPermissions.READ | AccountPermissions.LIST, SOON)
    async with sas_service_for(read_only) as reader:
        with pytest.raises(AzureHttpError) as info:
            await reader.create_container(unique_name('denied'))
        assert info.value.status_code == 403


async def test_account_information_with_container_sas(service, container, sas_service_for):
    token = service.generate_container_shared_access_signature(container, permission=ContainerPermissions.READ,
                                                               expiry=SOON)
    async with sas_service_for(token) as reader:
        info = await reader.get_blob_account_information(container)
    assert info.sku_name and info.account_kind


def _bearer_token():
    """A token with the claims Azurite checks (its signature is not checked in 'basic' mode)."""
    def part(claims):
        return base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b'=').decode()

    now = int(time.time())
    tenant = str(uuid.uuid4())
    claims = {'aud': 'https://storage.azure.com', 'iss': 'https://sts.windows.net/{}/'.format(tenant),
              'iat': now - 60, 'nbf': now - 60, 'exp': now + 3600, 'oid': str(uuid.uuid4()), 'tid': tenant}
    return '.'.join((part({'alg': 'HS256', 'typ': 'JWT'}), part(claims), 'c2lnbmF0dXJl'))


@pytest.mark.emulator_only
async def test_user_delegation_key_signs_sas_tokens(oauth_blob_endpoint, unique_name):
    endpoint, cert_path = oauth_blob_endpoint
    connector = aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=cert_path))
    async with aiohttp.ClientSession(connector=connector) as session:
        async with BlockBlobService(account_name=DEV_ACCOUNT_NAME, token_credential=TokenCredential(_bearer_token()),
                                    custom_domain=endpoint, request_session=session) as service:
            container = unique_name('udk')
            await service.create_container(container)
            await service.create_blob_from_bytes(container, 'b', b'read with a delegated SAS')
            start = datetime.now(timezone.utc) - timedelta(minutes=5)
            key = await service.get_user_delegation_key(start, SOON)
            assert isinstance(key, UserDelegationKey)
            assert key.signed_service == 'b' and key.signed_oid and key.signed_tid and key.value

            blob_token = service.generate_blob_shared_access_signature(
                container, 'b', permission=BlobPermissions.READ, expiry=SOON, user_delegation_key=key)
            assert 'skoid=' + key.signed_oid in blob_token
            list_token = service.generate_container_shared_access_signature(
                container, permission=ContainerPermissions.LIST, expiry=SOON, user_delegation_key=key)
            async with BlockBlobService(sas_token=blob_token, custom_domain=endpoint,
                                        request_session=session) as reader:
                assert (await reader.get_blob_to_bytes(container, 'b')).content == b'read with a delegated SAS'
                with pytest.raises(AzureHttpError) as info:
                    await reader.create_blob_from_bytes(container, 'other', b'no')
                assert info.value.status_code == 403
            async with BlockBlobService(sas_token=list_token, custom_domain=endpoint,
                                        request_session=session) as lister:
                assert [blob.name async for blob in lister.list_blobs(container)] == ['b']
            await service.delete_container(container)
        assert not session.closed
