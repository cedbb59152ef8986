"""Blob properties, metadata, snapshots, deletes, copies, leases, tiers, batches and the account."""
import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureConflictHttpError, AzureHttpError, AzureMissingResourceHttpError

from azure.storage.blob import (
    BatchDeleteSubRequest,
    BatchSetBlobTierSubRequest,
    BlobPermissions,
    ContentSettings,
    DeleteSnapshot,
    Include,
)
from azure.storage.blob.models import CopyProperties, StandardBlobTier
from azure.storage.common.models import CorsRule, DeleteRetentionPolicy, Logging, Metrics, RetentionPolicy

LIVE = bool(os.environ.get('AZURE_STORAGE_CONNECTION_STRING'))
FUTURE = datetime.now(timezone.utc) + timedelta(days=1)
PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
async def blob(service, container):
    await service.create_blob_from_bytes(container, 'blob', b'hello world', metadata={'Initial': 'yes'},
                                         content_settings=ContentSettings(content_type='text/plain'))
    return container, 'blob'


async def test_get_blob_properties(service, blob):
    result = await service.get_blob_properties(*blob)
    assert result.name == 'blob'
    assert result.content is None or result.content == b''
    assert result.metadata == {'Initial': 'yes'}
    props = result.properties
    assert props.blob_type == 'BlockBlob'
    assert props.content_length == 11
    assert props.content_settings.content_type == 'text/plain'
    assert props.content_settings.content_md5 == 'XrY7u+Ae7tCTyyK7j1rNww=='
    assert props.etag.startswith('"') and props.last_modified.tzinfo is not None
    assert props.server_encrypted is True
    assert props.creation_time is not None
    assert props.lease.state == 'available'


async def test_set_blob_properties_replaces_every_content_setting(service, blob):
    settings = ContentSettings(content_type='application/json', content_encoding='identity', content_language='de',
                               content_disposition='attachment', cache_control='no-store')
    resp = await service.set_blob_properties(*blob, content_settings=settings)
    assert resp.etag and resp.last_modified
    stored = (await service.get_blob_properties(*blob)).properties.content_settings
    assert (stored.content_type, stored.content_encoding, stored.content_language, stored.content_disposition,
            stored.cache_control) == ('application/json', 'identity', 'de', 'attachment', 'no-store')
    await service.set_blob_properties(*blob, content_settings=ContentSettings(content_type='text/csv'))
    stored = (await service.get_blob_properties(*blob)).properties.content_settings
    assert stored.content_type == 'text/csv'
    assert stored.content_language is None
    assert (await service.get_blob_to_bytes(*blob)).content == b'hello world'


async def test_blob_metadata(service, blob):
    assert await service.get_blob_metadata(*blob) == {'Initial': 'yes'}
    resp = await service.set_blob_metadata(*blob, metadata={'Upper': 'A', 'lower': 'b', 'with_underscore': 'c'})
    assert resp.etag
    assert await service.get_blob_metadata(*blob) == {'Upper': 'A', 'lower': 'b', 'with_underscore': 'c'}
    await service.set_blob_metadata(*blob)
    assert await service.get_blob_metadata(*blob) == {}


async def test_conditional_requests_fail_with_the_service_errors(service, blob):
    etag = (await service.get_blob_properties(*blob)).properties.etag
    with pytest.raises(AzureHttpError) as info:
        await service.set_blob_metadata(*blob, metadata={'a': 'b'}, if_match='"0x0"')
    assert (info.value.status_code, info.value.error_code) == (412, 'ConditionNotMet')
    with pytest.raises(AzureHttpError) as info:
        await service.get_blob_properties(*blob, if_none_match=etag)
    assert info.value.status_code == 304
    with pytest.raises(AzureHttpError) as info:
        await service.get_blob_metadata(*blob, if_modified_since=FUTURE)
    assert info.value.status_code == 304
    with pytest.raises(AzureHttpError) as info:
        await service.set_blob_properties(*blob, content_settings=ContentSettings('x/y'), if_unmodified_since=PAST)
    assert info.value.status_code == 412
    resp = await service.set_blob_metadata(*blob, metadata={'a': 'b'}, if_match=etag)
    assert resp.etag != etag
    await service.set_blob_metadata(*blob, metadata={'a': 'c'}, if_unmodified_since=FUTURE)
    await service.set_blob_metadata(*blob, metadata={'a': 'd'}, if_none_match='"0x0"')
    assert await service.get_blob_metadata(*blob, if_modified_since=PAST) == {'a': 'd'}


async def test_exists_for_blobs_and_snapshots(service, blob):
    container, name = blob
    assert await service.exists(container, name)
    assert not await service.exists(container, 'missing')
    assert not await service.exists('missing-container-' + uuid.uuid4().hex[:6], name)
    snapshot = await service.snapshot_blob(container, name)
    assert await service.exists(container, name, snapshot=snapshot.snapshot)
    await service.delete_blob(container, name, snapshot=snapshot.snapshot)
    assert not await service.exists(container, name, snapshot=snapshot.snapshot)
    assert await service.exists(container, name)


async def test_snapshots_keep_content_and_metadata(service, blob):
    container, name = blob
    first = await service.snapshot_blob(container, name)
    assert first.snapshot and first.name == name
    assert first.properties.etag and first.properties.last_modified
    second = await service.snapshot_blob(container, name, metadata={'snap': '2'})
    await service.create_blob_from_bytes(container, name, b'changed')

    assert (await service.get_blob_to_bytes(container, name, snapshot=first.snapshot)).content == b'hello world'
    assert await service.get_blob_metadata(container, name, snapshot=first.snapshot) == {'Initial': 'yes'}
    assert await service.get_blob_metadata(container, name, snapshot=second.snapshot) == {'snap': '2'}
    snap_props = await service.get_blob_properties(container, name, snapshot=second.snapshot)
    assert snap_props.snapshot == second.snapshot and snap_props.properties.content_length == 11
    assert (await service.get_blob_to_bytes(container, name)).content == b'changed'


async def test_delete_blob_and_snapshots(service, blob):
    container, name = blob
    await service.snapshot_blob(container, name)
    with pytest.raises(AzureConflictHttpError) as info:
        await service.delete_blob(container, name)
    assert info.value.error_code == 'SnapshotsPresent'

    await service.delete_blob(container, name, delete_snapshots=DeleteSnapshot.Only)
    assert [b.snapshot for b in await service.list_blobs(container, include=Include.SNAPSHOTS)] == [None]
    await service.snapshot_blob(container, name)
    await service.delete_blob(container, name, delete_snapshots=DeleteSnapshot.Include)
    assert list(await service.list_blobs(container, include=Include.SNAPSHOTS)) == []
    with pytest.raises(AzureMissingResourceHttpError) as info:
        await service.delete_blob(container, name)
    assert info.value.error_code == 'BlobNotFound'


async def test_delete_blob_conditions(service, blob):
    etag = (await service.get_blob_properties(*blob)).properties.etag
    with pytest.raises(AzureHttpError) as info:
        await service.delete_blob(*blob, if_match='"0x1"')
    assert info.value.status_code == 412
    with pytest.raises(AzureHttpError):
        await service.delete_blob(*blob, if_unmodified_since=PAST)
    await service.delete_blob(*blob, if_match=etag)
    assert not await service.exists(*blob)


@pytest.mark.emulator_only
async def test_undelete_reaches_the_service(service, blob):
    with pytest.raises(AzureHttpError) as info:
        await service.undelete_blob(*blob)
    # Azurite has no soft delete: the request is sent and its answer mapped.
    assert (info.value.status_code, info.value.error_code) == (501, 'APINotImplemented')


@pytest.mark.skipif(not LIVE, reason='Azurite has no soft delete')
async def test_soft_delete_and_undelete(service, blob):
    original = await service.get_blob_service_properties()
    await service.set_blob_service_properties(delete_retention_policy=DeleteRetentionPolicy(True, 1))
    try:
        await service.delete_blob(*blob)
        deleted = [b for b in await service.list_blobs(blob[0], include=Include.DELETED) if b.deleted]
        assert [b.name for b in deleted] == [blob[1]]
        assert deleted[0].properties.deleted_time is not None
        await service.undelete_blob(*blob)
        assert (await service.get_blob_to_bytes(*blob)).content == b'hello world'
    finally:
        await service.set_blob_service_properties(delete_retention_policy=original.delete_retention_policy)


async def test_copy_blob_in_account(service, blob):
    container, name = blob
    copy = await service.copy_blob(container, 'copy', service.make_blob_url(container, name),
                                   metadata={'copied': 'true'})
    assert isinstance(copy, CopyProperties)
    assert copy.id and copy.status in ('success', 'pending')
    props = (await service.get_blob_properties(container, 'copy')).properties
    assert props.copy.status == 'success'
    assert props.copy.id == copy.id
    assert props.copy.progress == '11/11'
    assert (await service.get_blob_to_bytes(container, 'copy')).content == b'hello world'
    assert await service.get_blob_metadata(container, 'copy') == {'copied': 'true'}

    path_copy = await service.copy_blob(container, 'copy2', '/{}/{}/{}'.format(service.account_name, container, name))
    assert path_copy.status in ('success', 'pending')
    assert (await service.get_blob_to_bytes(container, 'copy2')).content == b'hello world'


async def test_copy_blob_from_a_sas_url(service, blob, unique_name):
    container, name = blob
    token = service.generate_blob_shared_access_signature(container, name, permission=BlobPermissions.READ,
                                                          expiry=FUTURE)
    target = unique_name('dst')
    await service.create_container(target)
    try:
        copy = await service.copy_blob(target, 'from-sas', service.make_blob_url(container, name, sas_token=token),
                                       standard_blob_tier=StandardBlobTier.Cool, requires_sync=True)
        assert copy.status == 'success'
        copied = await service.get_blob_to_bytes(target, 'from-sas')
        assert copied.content == b'hello world'
        assert (await service.get_blob_properties(target, 'from-sas')).properties.blob_tier == 'Cool'
    finally:
        await service.delete_container(target)


async def test_copy_conditions_and_abort(service, blob):
    container, name = blob
    source = service.make_blob_url(container, name)
    with pytest.raises(AzureHttpError) as info:
        await service.copy_blob(container, 'never', source, source_if_match='"0x0"')
    assert info.value.status_code == 412
    await service.create_blob_from_bytes(container, 'existing', b'x')
    with pytest.raises(AzureHttpError) as info:
        await service.copy_blob(container, 'existing', source, destination_if_none_match='*')
    assert info.value.status_code in (409, 412)
    copy = await service.copy_blob(container, 'done', source)
    # A copy that already finished cannot be aborted; the service says so.
    with pytest.raises(AzureConflictHttpError) as info:
        await service.abort_copy_blob(container, 'done', copy.id)
    assert info.value.error_code == 'NoPendingCopyOperation'


async def test_blob_lease_lifecycle(service, blob):
    proposed = str(uuid.uuid4())
    lease_id = await service.acquire_blob_lease(*blob, lease_duration=20, proposed_lease_id=proposed)
    assert lease_id == proposed
    props = (await service.get_blob_properties(*blob)).properties
    assert (props.lease.state, props.lease.status, props.lease.duration) == ('leased', 'locked', 'fixed')

    with pytest.raises(AzureHttpError) as info:
        await service.set_blob_metadata(*blob, metadata={'a': 'b'})
    assert info.value.status_code == 412
    await service.set_blob_metadata(*blob, metadata={'a': 'b'}, lease_id=lease_id)
    await service.create_blob_from_bytes(*blob, b'with lease', lease_id=lease_id)

    assert await service.renew_blob_lease(*blob, lease_id) == lease_id
    changed = str(uuid.uuid4())
    await service.change_blob_lease(*blob, lease_id, changed)
    with pytest.raises(AzureHttpError):
        await service.release_blob_lease(*blob, lease_id)
    await service.release_blob_lease(*blob, changed)
    assert (await service.get_blob_properties(*blob)).properties.lease.state == 'available'

    infinite = await service.acquire_blob_lease(*blob)
    assert (await service.get_blob_properties(*blob)).properties.lease.duration == 'infinite'
    assert await service.break_blob_lease(*blob, lease_break_period=0) == 0
    assert (await service.get_blob_properties(*blob)).properties.lease.state == 'broken'
    await service.release_blob_lease(*blob, infinite)
    await service.delete_blob(*blob)


async def test_tiers(service, blob):
    await service.set_standard_blob_tier(*blob, StandardBlobTier.Cool)
    assert (await service.get_blob_properties(*blob)).properties.blob_tier == 'Cool'
    await service.set_standard_blob_tier(*blob, StandardBlobTier.Archive)
    assert (await service.get_blob_properties(*blob)).properties.blob_tier == 'Archive'
    with pytest.raises(AzureConflictHttpError) as info:
        await service.get_blob_to_bytes(*blob)
    assert info.value.error_code == 'BlobArchived'
    await service.set_standard_blob_tier(*blob, StandardBlobTier.Hot, rehydrate_priority='High')
    await service.create_blob_from_bytes(blob[0], 'cool-upload', b'x', standard_blob_tier=StandardBlobTier.Cool)
    assert (await service.get_blob_properties(blob[0], 'cool-upload')).properties.blob_tier == 'Cool'


async def test_batch_delete(service, container):
    for name in ('one', 'two', 'three'):
        await service.create_blob_from_bytes(container, name, name.encode())
    requests = [BatchDeleteSubRequest(container, 'one'), BatchDeleteSubRequest(container, 'missing'),
                BatchDeleteSubRequest(container, 'three', if_match='"0x0"'), BatchDeleteSubRequest(container, 'two')]
    responses = await service.batch_delete_blobs(requests)
    assert len(responses) == 4
    outcome = {r.batch_sub_request.blob_name: (r.is_successful, r.http_response.status, r.http_response.message)
               for r in responses}
    assert outcome['one'][:2] == (True, 202)
    assert outcome['two'][:2] == (True, 202)
    assert outcome['missing'] == (False, 404, 'BlobNotFound')
    assert outcome['three'][:2] == (False, 412)
    assert [b.name for b in await service.list_blobs(container)] == ['three']


async def test_batch_set_standard_blob_tier(service, container):
    for name in ('hot', 'cool'):
        await service.create_blob_from_bytes(container, name, b'x')
    responses = await service.batch_set_standard_blob_tier([
        BatchSetBlobTierSubRequest(container, 'hot', StandardBlobTier.Cool),
        BatchSetBlobTierSubRequest(container, 'cool', StandardBlobTier.Archive),
        BatchSetBlobTierSubRequest(container, 'missing', StandardBlobTier.Cool),
    ])
    assert [(r.batch_sub_request.blob_name, r.is_successful) for r in responses] == \
        [('hot', True), ('cool', True), ('missing', False)]
    assert (await service.get_blob_properties(container, 'hot')).properties.blob_tier == 'Cool'
    assert (await service.get_blob_properties(container, 'cool')).properties.blob_tier == 'Archive'


async def test_batch_with_unusual_names(service, container):
    names = ['a b', 'per%cent+plus', 'ünï?#']
    for name in names:
        await service.create_blob_from_bytes(container, name, b'x')
    responses = await service.batch_delete_blobs([BatchDeleteSubRequest(container, name) for name in names])
    assert all(r.is_successful for r in responses)
    assert list(await service.list_blobs(container)) == []


async def test_batch_through_a_sas_only_service(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'doomed', b'x')
    token = service.generate_account_shared_access_signature(
        'sco', 'rwdl', FUTURE)
    async with sas_service_for(token) as sas_service:
        responses = await sas_service.batch_delete_blobs([BatchDeleteSubRequest(container, 'doomed')])
    assert responses[0].is_successful
    assert not await service.exists(container, 'doomed')


@pytest.mark.parametrize('requests', [[], [BatchDeleteSubRequest('c', str(i)) for i in range(257)], None])
async def test_batch_size_is_checked_before_any_request(offline_service, requests):
    with pytest.raises(ValueError, match='Batch request should take 1 to 256 sub-requests'):
        await offline_service.batch_delete_blobs(requests)
    with pytest.raises(ValueError, match='Batch request should take 1 to 256 sub-requests'):
        await offline_service.batch_set_standard_blob_tier(requests)


async def test_account_information(service, blob):
    for args in ((), (blob[0],), blob):
        info = await service.get_blob_account_information(*args)
        assert info.sku_name and info.account_kind


@pytest.mark.emulator_only
async def test_service_stats_from_the_secondary(service):
    service.secondary_endpoint = service.primary_endpoint + '-secondary'
    stats = await service.get_blob_service_stats()
    assert stats.geo_replication.status == 'live'
    assert stats.geo_replication.last_sync_time is not None


async def test_service_properties_round_trip(service):
    original = await service.get_blob_service_properties()
    rule = CorsRule(['https://example.com'], ['GET', 'PUT'], max_age_in_seconds=60, exposed_headers=['x-ms-meta-*'],
                    allowed_headers=['x-ms-meta-target'])
    try:
        await service.set_blob_service_properties(
            logging=Logging(read=True, retention_policy=RetentionPolicy(True, 5)),
            hour_metrics=Metrics(True, True, RetentionPolicy(True, 3)), minute_metrics=Metrics(False),
            cors=[rule])
        props = await service.get_blob_service_properties()
        assert props.logging.read is True and props.logging.retention_policy.days == 5
        assert props.hour_metrics.enabled is True and props.hour_metrics.include_apis is True
        assert props.minute_metrics.enabled is False
        assert len(props.cors) == 1
        assert props.cors[0].allowed_origins == ['https://example.com']
        assert props.cors[0].allowed_methods == ['GET', 'PUT']
        assert props.cors[0].max_age_in_seconds == 60
    finally:
        await service.set_blob_service_properties(logging=original.logging, hour_metrics=original.hour_metrics,
                                                  minute_metrics=original.minute_metrics, cors=original.cors or [])


async def test_set_service_properties_needs_a_setting(offline_service):
    with pytest.raises(ValueError, match='at least one parameter'):
        await offline_service.set_blob_service_properties()


@pytest.mark.emulator_only
async def test_user_delegation_key_needs_a_token(service):
    with pytest.raises(AzureHttpError) as info:
        await service.get_user_delegation_key(datetime.now(timezone.utc), FUTURE)
    assert info.value.status_code == 403


@pytest.mark.parametrize('call, message', [
    (lambda s: s.get_blob_properties(None, 'b'), 'container_name should not be None.'),
    (lambda s: s.get_blob_properties('c', None), 'blob_name should not be None.'),
    (lambda s: s.set_blob_properties('c', None), 'blob_name should not be None.'),
    (lambda s: s.get_blob_metadata('c', None), 'blob_name should not be None.'),
    (lambda s: s.set_blob_metadata(None, 'b'), 'container_name should not be None.'),
    (lambda s: s.snapshot_blob('c', None), 'blob_name should not be None.'),
    (lambda s: s.delete_blob('c', None), 'blob_name should not be None.'),
    (lambda s: s.undelete_blob(None, 'b'), 'container_name should not be None.'),
    (lambda s: s.copy_blob('c', 'b', None), 'copy_source should not be None.'),
    (lambda s: s.abort_copy_blob('c', 'b', None), 'copy_id should not be None.'),
    (lambda s: s.acquire_blob_lease('c', 'b', lease_duration=14), 'lease_duration param needs to be'),
    (lambda s: s.acquire_blob_lease('c', None), 'blob_name should not be None.'),
    (lambda s: s.break_blob_lease('c', 'b', lease_break_period=-1), 'lease_break_period param needs to be'),
    (lambda s: s.renew_blob_lease('c', 'b', None), 'lease_id should not be None.'),
    (lambda s: s.release_blob_lease('c', 'b', None), 'lease_id should not be None.'),
    (lambda s: s.set_standard_blob_tier('c', 'b', None), 'standard_blob_tier should not be None.'),
    (lambda s: s.get_user_delegation_key(None, FUTURE), 'key_start_time should not be None.'),
    (lambda s: s.get_user_delegation_key(PAST, None), 'key_end_time should not be None.'),
])
async def test_bad_input_fails_before_any_request(offline_service, call, message):
    with pytest.raises(ValueError) as info:
        await call(offline_service)
    assert message in str(info.value)
