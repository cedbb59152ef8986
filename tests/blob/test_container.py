"""Containers: create, exists, delete, properties, metadata, ACLs and public access, leases, listing."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureConflictHttpError, AzureException, AzureHttpError, AzureMissingResourceHttpError

from azure.storage.blob import Container, ContainerPermissions, PublicAccess
from azure.storage.common.models import AccessPolicy, ListGenerator

FUTURE = datetime.now(timezone.utc) + timedelta(days=1)
PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)


async def test_create_exists_delete(service, unique_name):
    name = unique_name('c')
    assert not await service.exists(name)
    assert await service.create_container(name)
    assert await service.exists(name)
    assert not await service.create_container(name)
    with pytest.raises(AzureConflictHttpError) as info:
        await service.create_container(name, fail_on_exist=True)
    assert info.value.error_code == 'ContainerAlreadyExists'
    assert await service.delete_container(name)
    assert not await service.delete_container(name)
    with pytest.raises(AzureMissingResourceHttpError) as info:
        await service.delete_container(name, fail_not_exist=True)
    assert info.value.status_code == 404
    assert not await service.exists(name)


async def test_create_with_metadata_and_public_access(service, unique_name):
    name = unique_name('c')
    await service.create_container(name, metadata={'Category': 'test', 'n_1': 'v'}, public_access=PublicAccess.Blob)
    try:
        container = await service.get_container_properties(name)
        assert isinstance(container, Container)
        assert container.name == name
        assert container.metadata == {'Category': 'test', 'n_1': 'v'}
        assert container.properties.public_access == 'blob'
        assert container.properties.etag.startswith('"')
        assert container.properties.last_modified.tzinfo is not None
        assert container.properties.lease.state == 'available'
        assert container.properties.lease.status == 'unlocked'
    finally:
        await service.delete_container(name)


async def test_metadata_round_trip_and_replace(service, container):
    assert await service.get_container_metadata(container) == {}
    props = await service.set_container_metadata(container, {'hello': 'world', 'number': '42'})
    assert props.etag and props.last_modified
    assert await service.get_container_metadata(container) == {'hello': 'world', 'number': '42'}
    await service.set_container_metadata(container)
    assert await service.get_container_metadata(container) == {}


async def test_set_metadata_if_modified_since_fails_when_unmodified(service, container):
    with pytest.raises(AzureHttpError) as info:
        await service.set_container_metadata(container, {'a': 'b'}, if_modified_since=FUTURE)
    assert info.value.status_code == 412
    await service.set_container_metadata(container, {'a': 'b'}, if_modified_since=PAST)
    assert await service.get_container_metadata(container) == {'a': 'b'}


async def test_missing_container_raises_missing_resource(service, unique_name):
    with pytest.raises(AzureMissingResourceHttpError) as info:
        await service.get_container_properties(unique_name('none'))
    assert info.value.error_code == 'ContainerNotFound'


async def test_acl_stored_policies_round_trip(service, container):
    assert dict(await service.get_container_acl(container)) == {}
    expiry = datetime(2035, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    policies = {
        'reader': AccessPolicy(ContainerPermissions.READ | ContainerPermissions.LIST, expiry),
        'writer': AccessPolicy(ContainerPermissions(write=True, delete=True), expiry,
                               datetime(2020, 1, 1, tzinfo=timezone.utc)),
    }
    resp = await service.set_container_acl(container, policies)
    assert resp.etag
    acl = await service.get_container_acl(container)
    assert set(acl) == {'reader', 'writer'}
    assert acl['reader'].permission == 'rl'
    assert acl['reader'].expiry == expiry
    assert acl['writer'].permission == 'wd'
    assert acl['writer'].start == datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert acl.public_access is None
    await service.set_container_acl(container, {})
    assert dict(await service.get_container_acl(container)) == {}


async def test_too_many_policies_fail_before_any_request(offline_service):
    policies = {str(i): AccessPolicy('r', FUTURE) for i in range(6)}
    with pytest.raises(AzureException) as info:
        await offline_service.set_container_acl('c', policies)
    assert 'Too many access policies' in str(info.value)


async def test_public_access_allows_anonymous_reads(service, container, sas_service_for):
    await service.create_blob_from_bytes(container, 'public.txt', b'open data')
    async with sas_service_for(None) as anonymous:
        with pytest.raises(AzureHttpError):
            await anonymous.get_blob_to_bytes(container, 'public.txt')

        await service.set_container_acl(container, public_access=PublicAccess.Blob)
        assert (await service.get_container_acl(container)).public_access == 'blob'
        assert (await anonymous.get_blob_to_bytes(container, 'public.txt')).content == b'open data'
        with pytest.raises(AzureHttpError):
            await anonymous.list_blob_names(container)

        await service.set_container_acl(container, public_access=PublicAccess.Container)
        assert list(await anonymous.list_blob_names(container)) == ['public.txt']
        with pytest.raises(AzureHttpError):
            await anonymous.create_blob_from_bytes(container, 'intruder.txt', b'no')


async def test_container_lease_lifecycle(service, container):
    proposed = str(uuid.uuid4())
    lease_id = await service.acquire_container_lease(container, lease_duration=15, proposed_lease_id=proposed)
    assert lease_id == proposed
    props = (await service.get_container_properties(container)).properties
    assert (props.lease.state, props.lease.status, props.lease.duration) == ('leased', 'locked', 'fixed')

    with pytest.raises(AzureHttpError) as info:
        await service.delete_container(container)
    assert info.value.status_code == 412
    assert await service.get_container_properties(container, lease_id=lease_id)

    assert await service.renew_container_lease(container, lease_id) == lease_id
    changed = str(uuid.uuid4())
    await service.change_container_lease(container, lease_id, changed)
    with pytest.raises(AzureHttpError):
        await service.renew_container_lease(container, lease_id)
    await service.release_container_lease(container, changed)
    assert (await service.get_container_properties(container)).properties.lease.state == 'available'


async def test_container_lease_break(service, unique_name):
    name = unique_name('c')
    await service.create_container(name)
    lease_id = await service.acquire_container_lease(name)
    assert (await service.get_container_properties(name)).properties.lease.duration == 'infinite'
    assert await service.break_container_lease(name, lease_break_period=10) == 10
    assert (await service.get_container_properties(name)).properties.lease.state == 'breaking'
    assert await service.break_container_lease(name, lease_break_period=0) == 0
    assert (await service.get_container_properties(name)).properties.lease.state == 'broken'
    await service.release_container_lease(name, lease_id)
    assert await service.delete_container(name, fail_not_exist=True)


async def test_delete_with_lease_and_conditions(service, unique_name):
    name = unique_name('c')
    await service.create_container(name)
    lease_id = await service.acquire_container_lease(name)
    with pytest.raises(AzureHttpError) as info:
        await service.delete_container(name, lease_id=lease_id, if_unmodified_since=PAST)
    assert info.value.status_code == 412
    assert await service.delete_container(name, lease_id=lease_id, if_modified_since=PAST)


@pytest.mark.parametrize('call, message', [
    (lambda s: s.create_container(None), 'container_name should not be None.'),
    (lambda s: s.delete_container(None), 'container_name should not be None.'),
    (lambda s: s.get_container_properties(None), 'container_name should not be None.'),
    (lambda s: s.set_container_metadata(None, {}), 'container_name should not be None.'),
    (lambda s: s.get_container_acl(None), 'container_name should not be None.'),
    (lambda s: s.acquire_container_lease('c', lease_duration=10), 'lease_duration param needs to be'),
    (lambda s: s.acquire_container_lease('c', lease_duration=61), 'lease_duration param needs to be'),
    (lambda s: s.acquire_container_lease('c', lease_duration=None), 'lease_duration should not be None.'),
    (lambda s: s.break_container_lease('c', lease_break_period=61), 'lease_break_period param needs to be'),
    (lambda s: s.renew_container_lease('c', None), 'lease_id should not be None.'),
    (lambda s: s.release_container_lease('c', None), 'lease_id should not be None.'),
    (lambda s: s.change_container_lease('c', None, 'x'), 'lease_id should not be None.'),
    (lambda s: s.exists(None), 'container_name should not be None.'),
])
async def test_bad_input_fails_before_any_request(offline_service, call, message):
    with pytest.raises(ValueError) as info:
        await call(offline_service)
    assert message in str(info.value)


async def test_list_containers_pages_prefix_and_metadata(service, unique_name):
    prefix = unique_name('lst')
    names = ['{}-{}'.format(prefix, i) for i in range(5)]
    for i, name in enumerate(names):
        await service.create_container(name, metadata={'index': str(i)})
    try:
        first = await service.list_containers(prefix=prefix, num_results=2)
        assert isinstance(first, ListGenerator)
        assert [c.name for c in first] == names[:2]
        assert first.next_marker
        assert first[0].metadata is None

        walked = [c.name async for c in await service.list_containers(prefix=prefix, num_results=3)]
        assert walked == names[:3]

        rest = await service.list_containers(prefix=prefix, marker=first.next_marker)
        assert [c.name for c in rest] == names[2:]
        assert rest.next_marker is None

        everything = [c async for c in service.list_containers(prefix=prefix, include_metadata=True)]
        assert [c.name for c in everything] == names
        assert [c.metadata for c in everything] == [{'index': str(i)} for i in range(5)]
        assert all(c.properties.etag and c.properties.last_modified for c in everything)
        assert everything[0].properties.lease.state == 'available'

        paged = [c.name async for c in service.list_containers(prefix=prefix, num_results=None, timeout=30)]
        assert paged == names
    finally:
        for name in names:
            await service.delete_container(name)


async def test_list_containers_walks_every_page(service, unique_name):
    prefix = unique_name('pg')
    names = ['{}-{:02d}'.format(prefix, i) for i in range(7)]
    for name in names:
        await service.create_container(name)
    try:
        generator = await service.list_containers(prefix=prefix, num_results=3)
        assert len(generator) == 3
        assert [c.name async for c in generator] == names[:3]
        # The service pages by its own page size too: walk with a tiny page size by hand.
        seen, marker = [], None
        while True:
            page = await service._list_containers(prefix=prefix, max_results=2, marker=marker)
            seen.extend(c.name for c in page)
            marker = page.next_marker
            if not marker:
                break
        assert seen == names
    finally:
        for name in names:
            await service.delete_container(name)
