"""Shared access signatures against the service: a SAS-only client can do what it allows, no more."""
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureHttpError

from azure.storage.common import AccessPolicy, AccountPermissions, ResourceTypes
from azure.storage.queue import QueuePermissions


def in_one_hour():
    return datetime.now(timezone.utc) + timedelta(hours=1)


async def assert_forbidden(call):
    with pytest.raises(AzureHttpError) as info:
        await call
    assert info.value.status_code == 403


async def test_queue_sas_allows_add_update_process_only(queue_service, queue_name, sas_service_for):
    token = queue_service.generate_queue_shared_access_signature(
        queue_name, QueuePermissions.ADD | QueuePermissions.UPDATE | QueuePermissions.PROCESS, in_one_hour())
    async with sas_service_for(token) as sas_service:
        assert sas_service.account_key is None and sas_service.sas_token == token
        put = await sas_service.put_message(queue_name, 'via sas')
        [got] = await sas_service.get_messages(queue_name)
        assert (got.id, got.content) == (put.id, 'via sas')
        updated = await sas_service.update_message(queue_name, got.id, got.pop_receipt, 0, 'changed')
        # No read permission: no peeking, no metadata, no ACL.
        await assert_forbidden(sas_service.peek_messages(queue_name))
        await assert_forbidden(sas_service.get_queue_metadata(queue_name))
        await assert_forbidden(sas_service.get_queue_acl(queue_name))
        [got] = await sas_service.get_messages(queue_name)
        assert got.content == 'changed'
        assert got.id == updated.id
        await sas_service.delete_message(queue_name, got.id, got.pop_receipt)
        # A queue SAS is for its own queue only.
        await assert_forbidden(sas_service.create_queue(queue_name + 'x', fail_on_exist=True))
        with pytest.raises(ValueError, match='should not be None'):
            sas_service.generate_queue_shared_access_signature(queue_name, QueuePermissions.READ, in_one_hour())
    assert await queue_service.peek_messages(queue_name) == []


async def test_read_only_queue_sas(queue_service, queue_name, sas_service_for):
    await queue_service.put_message(queue_name, 'readable')
    token = queue_service.generate_queue_shared_access_signature(queue_name, QueuePermissions.READ, in_one_hour())
    async with sas_service_for(token) as sas_service:
        [peeked] = await sas_service.peek_messages(queue_name)
        assert peeked.content == 'readable'
        assert (await sas_service.get_queue_metadata(queue_name)).approximate_message_count == 1
        await assert_forbidden(sas_service.put_message(queue_name, 'x'))
        await assert_forbidden(sas_service.get_messages(queue_name))


async def test_expired_queue_sas_is_refused(queue_service, queue_name, sas_service_for):
    token = queue_service.generate_queue_shared_access_signature(
        queue_name, QueuePermissions.READ, datetime.now(timezone.utc) - timedelta(minutes=5))
    async with sas_service_for(token) as sas_service:
        await assert_forbidden(sas_service.peek_messages(queue_name))


@pytest.mark.emulator_only  # a new stored policy can take 30 s to apply on Azure
async def test_queue_sas_with_stored_access_policy(queue_service, queue_name, sas_service_for):
    await queue_service.set_queue_acl(queue_name, {'readers': AccessPolicy(QueuePermissions.READ, in_one_hour())})
    await queue_service.put_message(queue_name, 'policy')
    token = queue_service.generate_queue_shared_access_signature(queue_name, id='readers')
    async with sas_service_for(token) as sas_service:
        assert [message.content for message in await sas_service.peek_messages(queue_name)] == ['policy']
        await assert_forbidden(sas_service.put_message(queue_name, 'x'))


async def test_account_sas(queue_service, queue_name, sas_service_for, unique_name):
    token = queue_service.generate_account_shared_access_signature(
        ResourceTypes.OBJECT, AccountPermissions.READ | AccountPermissions.ADD | AccountPermissions.PROCESS,
        in_one_hour())
    assert 'ss=q' in token and 'srt=o' in token
    async with sas_service_for(token) as sas_service:
        await sas_service.put_message(queue_name, 'account sas')
        [peeked] = await sas_service.peek_messages(queue_name)
        assert peeked.content == 'account sas'
        [got] = await sas_service.get_messages(queue_name)
        assert got.content == 'account sas' and got.dequeue_count == 1
        # (Delete and Update Message are left out: Azurite files them under the container
        # resource type, Azure under object.)
        # Queues themselves are the container resource type, which this SAS leaves out.
        await assert_forbidden(sas_service.create_queue(unique_name('q'), fail_on_exist=True))
        await assert_forbidden(sas_service.get_queue_metadata(queue_name))


async def test_account_sas_for_the_service_and_queues(queue_service, sas_service_for, unique_name):
    token = queue_service.generate_account_shared_access_signature(
        ResourceTypes.SERVICE | ResourceTypes.CONTAINER,
        AccountPermissions.READ | AccountPermissions.LIST | AccountPermissions.CREATE | AccountPermissions.DELETE,
        in_one_hour())
    name = unique_name('q')
    async with sas_service_for(token) as sas_service:
        assert await sas_service.create_queue(name) is True
        try:
            assert [queue.name async for queue in sas_service.list_queues(prefix=name)] == [name]
            await assert_forbidden(sas_service.put_message(name, 'no object access'))
        finally:
            assert await sas_service.delete_queue(name) is True
