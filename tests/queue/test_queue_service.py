"""Queues against the service: create, delete, exists, metadata, ACLs, listing, service settings."""
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import (
    AzureConflictHttpError,
    AzureException,
    AzureHttpError,
    AzureMissingResourceHttpError,
)

from azure.storage.common import AccessPolicy, CorsRule, Logging, Metrics, RetentionPolicy
from azure.storage.common.models import ListGenerator
from azure.storage.queue import Queue, QueuePermissions, QueueService


async def test_create_queue_reports_whether_it_created(queue_service, unique_name):
    name = unique_name('q')
    try:
        assert await queue_service.create_queue(name) is True
        assert await queue_service.create_queue(name) is False
        with pytest.raises(AzureConflictHttpError):
            await queue_service.create_queue(name, fail_on_exist=True)
    finally:
        await queue_service.delete_queue(name)


async def test_create_existing_queue_with_other_metadata(queue_service, unique_name):
    # The service answers 409 QueueAlreadyExists here (204 when the metadata is the same).
    name = unique_name('q')
    try:
        assert await queue_service.create_queue(name, metadata={'a': '1'}) is True
        assert await queue_service.create_queue(name, metadata={'a': '2'}) is False
        with pytest.raises(AzureConflictHttpError) as info:
            await queue_service.create_queue(name, metadata={'a': '2'}, fail_on_exist=True)
        assert info.value.error_code == 'QueueAlreadyExists'
        assert await queue_service.get_queue_metadata(name) == {'a': '1'}
    finally:
        await queue_service.delete_queue(name)


async def test_delete_queue_reports_whether_it_deleted(queue_service, unique_name):
    name = unique_name('q')
    await queue_service.create_queue(name)
    assert await queue_service.delete_queue(name) is True
    assert await queue_service.delete_queue(name) is False
    with pytest.raises(AzureMissingResourceHttpError) as info:
        await queue_service.delete_queue(name, fail_not_exist=True)
    assert info.value.status_code == 404
    assert info.value.error_code == 'QueueNotFound'


async def test_exists(queue_service, queue_name, unique_name):
    assert await queue_service.exists(queue_name) is True
    assert await queue_service.exists(unique_name('missing')) is False


async def test_invalid_queue_name_is_the_service_error(queue_service):
    with pytest.raises(AzureHttpError) as info:
        await queue_service.create_queue('Invalid_Name')
    assert info.value.status_code == 400


async def test_metadata_round_trip_and_message_count(queue_service, queue_name):
    metadata = await queue_service.get_queue_metadata(queue_name)
    assert metadata == {}
    assert metadata.approximate_message_count == 0

    await queue_service.set_queue_metadata(queue_name, {'Color': 'blue', 'size': '2'})
    for content in ('one', 'two', 'three'):
        await queue_service.put_message(queue_name, content)
    metadata = await queue_service.get_queue_metadata(queue_name)
    assert metadata == {'Color': 'blue', 'size': '2'}
    assert metadata.approximate_message_count == 3

    await queue_service.set_queue_metadata(queue_name)
    assert await queue_service.get_queue_metadata(queue_name) == {}


async def test_metadata_of_a_missing_queue(queue_service, unique_name):
    with pytest.raises(AzureMissingResourceHttpError):
        await queue_service.get_queue_metadata(unique_name('missing'))


async def test_acl_round_trip(queue_service, queue_name):
    assert await queue_service.get_queue_acl(queue_name) == {}
    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    await queue_service.set_queue_acl(queue_name, {
        'readers': AccessPolicy(QueuePermissions.READ, start + timedelta(days=1), start),
        'workers': AccessPolicy(QueuePermissions.PROCESS | QueuePermissions.UPDATE, '2031-01-01T00:00:00Z'),
    })
    acl = await queue_service.get_queue_acl(queue_name)
    assert set(acl) == {'readers', 'workers'}
    assert acl['readers'].permission == 'r'
    assert acl['readers'].start == start
    assert acl['readers'].expiry == start + timedelta(days=1)
    assert acl['workers'].permission == 'up'
    assert acl['workers'].expiry == datetime(2031, 1, 1, tzinfo=timezone.utc)
    assert acl['workers'].start is None

    await queue_service.set_queue_acl(queue_name, {})
    assert await queue_service.get_queue_acl(queue_name) == {}


async def test_list_queues_with_prefix_metadata_and_markers(queue_service, unique_name):
    prefix = unique_name('ls')
    names = ['{}-{}'.format(prefix, index) for index in range(5)]
    for index, name in enumerate(names):
        await queue_service.create_queue(name, metadata={'index': str(index)})
    try:
        listed = [queue async for queue in queue_service.list_queues(prefix=prefix)]
        assert [queue.name for queue in listed] == names
        assert all(isinstance(queue, Queue) and queue.metadata is None for queue in listed)

        with_metadata = [queue async for queue in queue_service.list_queues(prefix, include_metadata=True)]
        assert [queue.metadata for queue in with_metadata] == [{'index': str(index)} for index in range(5)]

        first = await queue_service.list_queues(prefix=prefix, num_results=2)
        assert isinstance(first, ListGenerator)
        assert [queue.name for queue in first] == names[:2]
        assert first.next_marker
        assert [queue.name async for queue in first] == names[:2]  # num_results caps the walk

        rest = await queue_service.list_queues(prefix=prefix, marker=first.next_marker)
        assert [queue.name async for queue in rest] == names[2:]
        assert rest.next_marker is None
    finally:
        for name in names:
            await queue_service.delete_queue(name)


async def test_list_queues_walks_every_page(queue_service, unique_name):
    """The walk follows next_marker lazily: pages of two, five queues, three requests."""
    prefix = unique_name('pg')
    names = ['{}-{}'.format(prefix, index) for index in range(5)]
    for name in names:
        await queue_service.create_queue(name)
    pages = []

    original = queue_service._list_queues

    async def two_per_page(**kwargs):
        kwargs['max_results'] = 2
        page = await original(**kwargs)
        pages.append([queue.name for queue in page])
        return page

    queue_service._list_queues = two_per_page
    try:
        assert [queue.name async for queue in queue_service.list_queues(prefix=prefix)] == names
        assert pages == [names[0:2], names[2:4], names[4:5]]
    finally:
        del queue_service._list_queues
        for name in names:
            await queue_service.delete_queue(name)


async def test_service_properties_round_trip(queue_service):
    original = await queue_service.get_queue_service_properties()
    try:
        await queue_service.set_queue_service_properties(
            logging=Logging(delete=True, write=True, retention_policy=RetentionPolicy(True, 5)),
            hour_metrics=Metrics(True, True, RetentionPolicy(True, 3)),
            minute_metrics=Metrics(False),
            cors=[CorsRule(['https://example.com'], ['GET', 'PUT'], 60, ['x-ms-meta-a'], ['x-ms-meta-b'])])
        props = await queue_service.get_queue_service_properties()
        assert (props.logging.delete, props.logging.read, props.logging.write) == (True, False, True)
        assert (props.logging.retention_policy.enabled, props.logging.retention_policy.days) == (True, 5)
        assert (props.hour_metrics.enabled, props.hour_metrics.include_apis) == (True, True)
        assert props.hour_metrics.retention_policy.days == 3
        assert props.minute_metrics.enabled is False
        [rule] = props.cors
        assert rule.allowed_origins == ['https://example.com']
        assert rule.allowed_methods == ['GET', 'PUT']
        assert rule.max_age_in_seconds == 60
        assert (rule.exposed_headers, rule.allowed_headers) == (['x-ms-meta-a'], ['x-ms-meta-b'])

        # Parts left as None are kept.
        await queue_service.set_queue_service_properties(cors=[])
        props = await queue_service.get_queue_service_properties()
        assert props.cors == []
        assert props.logging.delete is True
    finally:
        await queue_service.set_queue_service_properties(original.logging, original.hour_metrics,
                                                         original.minute_metrics, original.cors)


@pytest.mark.emulator_only
async def test_service_stats_from_the_secondary(azurite, make_service):
    # Azurite serves the secondary at /devstoreaccount1-secondary when addressed the
    # emulator's way; a real account needs RA-GRS for this.
    connection_string = 'UseDevelopmentStorage=true;QueueEndpoint=http://127.0.0.1:{}'.format(azurite.queue_port)
    async with make_service(connection_string=connection_string) as service:
        assert service.secondary_endpoint.endswith('/devstoreaccount1-secondary')
        stats = await service.get_queue_service_stats()
    assert stats.geo_replication.status == 'live'
    assert stats.geo_replication.last_sync_time is not None


# -- input validated before any request ---------------------------------------------------

@pytest.mark.parametrize('call', [
    lambda svc: svc.create_queue(None),
    lambda svc: svc.delete_queue(None),
    lambda svc: svc.exists(None),
    lambda svc: svc.get_queue_metadata(None),
    lambda svc: svc.set_queue_metadata(None, {'a': 'b'}),
    lambda svc: svc.get_queue_acl(None),
    lambda svc: svc.set_queue_acl(None, {}),
])
async def test_none_queue_name_is_rejected_before_any_request(offline_service, call):
    with pytest.raises(ValueError, match='queue_name should not be None'):
        await call(offline_service)


async def test_too_many_access_policies_rejected_before_any_request(offline_service):
    policies = {'p{}'.format(index): AccessPolicy('r', '2030-01-01') for index in range(6)}
    with pytest.raises(AzureException, match='Too many access policies'):
        await offline_service.set_queue_acl('queue', policies)


async def test_offline_service_really_is_offline(offline_service):
    """The offline fixture fails a request that goes out, so the tests above do prove something."""
    with pytest.raises(AzureException) as info:
        await offline_service.exists('queue')
    assert not isinstance(info.value, AzureHttpError)


async def test_constructor_needs_credentials():
    with pytest.raises(ValueError, match='account_key or sas_token'):
        QueueService(account_name='acct')
    with pytest.raises(ValueError):
        QueueService()


async def test_constructor_builds_endpoints_and_defaults():
    async with QueueService('acct', 'a2V5', endpoint_suffix='core.chinacloudapi.cn') as service:
        assert service.primary_endpoint == 'acct.queue.core.chinacloudapi.cn'
        assert service.secondary_endpoint == 'acct-secondary.queue.core.chinacloudapi.cn'
        assert service.protocol == 'https'
        assert service.require_encryption is False
        assert service.key_encryption_key is None and service.key_resolver_function is None
        assert 'aio-azure-storage' in service._USER_AGENT_STRING
    async with QueueService(is_emulated=True) as service:
        assert service.primary_endpoint == '127.0.0.1:10001/devstoreaccount1'
