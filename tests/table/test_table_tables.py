"""Tables: create, exists, delete, list with paging, ACLs, service properties and stats."""
import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureConflictHttpError, AzureException, AzureMissingResourceHttpError

from azure.storage.common.models import AccessPolicy, CorsRule, ListGenerator, Logging, Metrics, RetentionPolicy
from azure.storage.table import Table, TablePermissions, TableService


async def test_create_exists_delete(table_service, unique_name):
    name = unique_name('tab')
    assert not await table_service.exists(name)
    assert await table_service.create_table(name)
    assert not await table_service.create_table(name)
    with pytest.raises(AzureConflictHttpError) as conflict:
        await table_service.create_table(name, fail_on_exist=True)
    assert conflict.value.error_code == 'TableAlreadyExists'
    assert await table_service.exists(name)
    assert await table_service.delete_table(name)
    assert not await table_service.exists(name)
    assert not await table_service.delete_table(name)
    with pytest.raises(AzureMissingResourceHttpError):
        await table_service.delete_table(name, fail_not_exist=True)


async def test_list_tables_pages_lazily(table_service, unique_name):
    prefix = unique_name('lst')
    names = ['{}{}'.format(prefix, i) for i in range(5)]
    await asyncio.gather(*(table_service.create_table(name, fail_on_exist=True) for name in names))
    try:
        listed = [table.name async for table in table_service.list_tables() if table.name.startswith(prefix)]
        assert listed == names

        first = await table_service.list_tables(num_results=2)
        assert isinstance(first, ListGenerator) and len(first.items) == 2
        assert all(isinstance(table, Table) for table in first)
        assert first.next_marker

        # Pages of 2 from the start: every table, each once, in order.
        paged = []
        async for table in table_service.list_tables(num_results=2):
            paged.append(table.name)
        assert len(paged) == 2
        marker = first.next_marker
        while marker:
            page = await table_service.list_tables(num_results=2, marker=marker)
            paged.extend(table.name for table in page)
            marker = page.next_marker
        assert [name for name in paged if name.startswith(prefix)] == names

        limited = table_service.list_tables(num_results=3)
        assert len([table async for table in limited]) == 3
    finally:
        await asyncio.gather(*(table_service.delete_table(name) for name in names))


async def test_list_tables_walks_every_page(table_service, unique_name):
    """``async for`` follows the NextTableName continuation lazily: pages of two here."""
    prefix = unique_name('pg')
    names = ['{}{}'.format(prefix, i) for i in range(5)]
    await asyncio.gather(*(table_service.create_table(name, fail_on_exist=True) for name in names))
    pages = []
    original = table_service._list_tables

    async def two_per_page(**kwargs):
        kwargs['max_results'] = 2
        page = await original(**kwargs)
        pages.append(len(page))
        return page

    table_service._list_tables = two_per_page
    try:
        listed = [table.name async for table in table_service.list_tables()]
        assert [name for name in listed if name.startswith(prefix)] == names
        assert len(listed) == len(set(listed)) and len(pages) >= 3 and set(pages[:-1]) == {2}
    finally:
        del table_service._list_tables
        await asyncio.gather(*(table_service.delete_table(name) for name in names))


async def test_table_acl_round_trip(table_service, table_name):
    assert await table_service.get_table_acl(table_name) == {}
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    expiry = datetime(2030, 6, 1, 12, 30, tzinfo=timezone.utc)
    await table_service.set_table_acl(table_name, {
        'readers': AccessPolicy(TablePermissions.QUERY, expiry, start),
        'writers': AccessPolicy(TablePermissions(add=True, update=True, delete=True), expiry, start),
    })
    acl = await table_service.get_table_acl(table_name)
    assert sorted(acl) == ['readers', 'writers']
    assert acl['readers'].permission == 'r' and acl['writers'].permission == 'aud'
    assert acl['readers'].start == start and acl['readers'].expiry == expiry
    await table_service.set_table_acl(table_name, {})
    assert await table_service.get_table_acl(table_name) == {}


async def test_table_acl_validation(offline_service):
    policies = {str(i): AccessPolicy(TablePermissions.QUERY, '2030-01-01') for i in range(6)}
    with pytest.raises(AzureException, match='Too many access policies'):
        await offline_service.set_table_acl('t1', policies)
    with pytest.raises(ValueError):
        await offline_service.get_table_acl(None)


@pytest.mark.emulator_only
async def test_service_properties(table_service):
    original = await table_service.get_table_service_properties()
    try:
        # Azurite refuses CORS rules with empty header lists; Azure takes them.
        await table_service.set_table_service_properties(
            logging=Logging(read=True, write=True, retention_policy=RetentionPolicy(True, 3)),
            hour_metrics=Metrics(True, True, RetentionPolicy(True, 2)),
            minute_metrics=Metrics(False),
            cors=[CorsRule(['https://example.com'], ['GET', 'PUT'], 60, ['x-ms-meta-*'], ['x-ms-meta-abc'])])
        props = await table_service.get_table_service_properties()
        assert (props.logging.read, props.logging.write, props.logging.delete) == (True, True, False)
        assert (props.logging.retention_policy.enabled, props.logging.retention_policy.days) == (True, 3)
        assert (props.hour_metrics.enabled, props.hour_metrics.include_apis) == (True, True)
        assert props.hour_metrics.retention_policy.days == 2 and not props.minute_metrics.enabled
        assert [(rule.allowed_origins, rule.allowed_methods, rule.max_age_in_seconds) for rule in props.cors] == [
            (['https://example.com'], ['GET', 'PUT'], 60)]
    finally:
        await table_service.set_table_service_properties(
            original.logging, original.hour_metrics, original.minute_metrics, original.cors or [])


@pytest.mark.emulator_only
async def test_service_stats_come_from_the_secondary(table_service):
    table_service.secondary_endpoint = table_service.primary_endpoint + '-secondary'
    stats = await table_service.get_table_service_stats()
    assert stats.geo_replication.status == 'live'
    assert abs(stats.geo_replication.last_sync_time - datetime.now(timezone.utc)) < timedelta(days=1)


async def test_missing_table_errors(table_service, unique_name):
    name = unique_name('none')
    with pytest.raises(AzureMissingResourceHttpError):
        await table_service.insert_entity(name, {'PartitionKey': 'p', 'RowKey': 'r'})
    with pytest.raises(AzureMissingResourceHttpError):
        await table_service.query_entities(name)
    with pytest.raises(AzureMissingResourceHttpError):
        await table_service.get_table_acl(name)


async def test_bad_input_is_refused_before_any_request(offline_service):
    with pytest.raises(ValueError):
        await offline_service.create_table(None)
    with pytest.raises(ValueError):
        await offline_service.delete_table(None)
    with pytest.raises(ValueError):
        await offline_service.exists(None)
    with pytest.raises(ValueError):
        offline_service.query_entities(None)
    with pytest.raises(ValueError):
        offline_service.query_entities('t1', accept=None)
    # The offline service really is offline: a valid call fails with no response.
    with pytest.raises(AzureException):
        await offline_service.exists('t1')


def test_credentials_are_required():
    with pytest.raises(ValueError):
        TableService()
    with pytest.raises(ValueError):
        TableService(account_name='acct')
    with pytest.raises(ValueError):
        TableService(connection_string='AccountName=acct;EndpointSuffix=core.windows.net')


def test_endpoints_and_version():
    service = TableService(account_name='acct', account_key='a2V5', endpoint_suffix='core.chinacloudapi.cn')
    assert service.primary_endpoint == 'acct.table.core.chinacloudapi.cn'
    assert service.secondary_endpoint == 'acct-secondary.table.core.chinacloudapi.cn'
    assert service.protocol == 'https' and service._X_MS_VERSION == '2017-04-17'
    assert (service.require_encryption, service.key_encryption_key, service.key_resolver_function,
            service.encryption_resolver_function) == (False, None, None, None)
