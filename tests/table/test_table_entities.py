"""Entities on the service: every write, reads at each metadata level, types, etags and keys."""
import asyncio
import math
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureConflictHttpError, AzureException, AzureHttpError, AzureMissingResourceHttpError

from azure.storage.table import EdmType, Entity, EntityProperty, TablePayloadFormat

GUID = uuid.UUID('c9da6455-213d-42c9-9a79-3e9149a57833')
WHEN = datetime(2021, 3, 4, 5, 6, 7, 891011, tzinfo=timezone.utc)


def typed_entity(partition_key='p', row_key='r'):
    return {
        'PartitionKey': partition_key, 'RowKey': row_key,
        'text': 'héllo wörld ✓', 'empty': '', 'yes': True, 'no': False,
        'int64': 42, 'big': 2 ** 53 + 1, 'min64': -2 ** 63, 'max64': 2 ** 63 - 1,
        'int32': EntityProperty(EdmType.INT32, -2 ** 31), 'int64_explicit': EntityProperty(EdmType.INT64, 7),
        'double': 3.5, 'whole_double': 1e20, 'tiny': 5e-324, 'nan': float('nan'),
        'inf': float('inf'), 'neg_inf': float('-inf'),
        'when': WHEN, 'when_eastern': datetime(2021, 3, 4, 0, 6, 7, 1, tzinfo=timezone(timedelta(hours=-5))),
        'guid': EntityProperty(EdmType.GUID, GUID), 'guid_inferred': GUID,
        'binary': EntityProperty(EdmType.BINARY, bytes(range(256))), 'bytes_inferred': b'\x00\xff',
    }


def assert_round_trip(entity):
    assert entity.text == 'héllo wörld ✓' and entity.empty == ''
    assert entity.yes is True and entity.no is False
    assert entity.int64 == 42 and type(entity.int64) is int
    assert (entity.big, entity.min64, entity.max64) == (2 ** 53 + 1, -2 ** 63, 2 ** 63 - 1)
    assert entity.int32 == EntityProperty(EdmType.INT32, -2 ** 31)
    assert entity.int64_explicit == 7
    assert entity.double == 3.5 and entity.whole_double == 1e20 and type(entity.whole_double) is float
    assert entity.tiny == 5e-324
    assert math.isnan(entity.nan) and entity.inf == float('inf') and entity.neg_inf == float('-inf')
    assert entity.when == WHEN and entity.when.utcoffset() == timedelta(0)
    assert entity.when_eastern == datetime(2021, 3, 4, 5, 6, 7, 1, tzinfo=timezone.utc)
    assert entity.guid == EntityProperty(EdmType.GUID, str(GUID))
    assert entity.guid_inferred == EntityProperty(EdmType.GUID, str(GUID))
    assert entity.binary == EntityProperty(EdmType.BINARY, bytes(range(256)))
    assert entity.bytes_inferred == EntityProperty(EdmType.BINARY, b'\x00\xff')


async def test_every_type_round_trips(table_service, table_name):
    etag = await table_service.insert_entity(table_name, typed_entity())
    entity = await table_service.get_entity(table_name, 'p', 'r')
    assert isinstance(entity, Entity)
    assert entity.PartitionKey == 'p' and entity['RowKey'] == 'r'
    assert entity.etag == etag and etag.startswith('W/"datetime')
    assert isinstance(entity.Timestamp, datetime) and entity.Timestamp.tzinfo is not None
    assert_round_trip(entity)
    # An entity as read can be written back as it is: etag and Timestamp are not properties.
    await table_service.update_entity(table_name, entity, if_match=entity.etag)
    again = await table_service.get_entity(table_name, 'p', 'r')
    assert_round_trip(again)
    assert 'etag' in again and again.etag != etag


async def test_query_returns_the_same_types(table_service, table_name):
    await table_service.insert_entity(table_name, typed_entity())
    entities = [entity async for entity in table_service.query_entities(table_name)]
    assert len(entities) == 1
    assert_round_trip(entities[0])


async def test_metadata_levels_and_property_resolver(table_service, table_name):
    await table_service.insert_entity(table_name, typed_entity())
    full = await table_service.get_entity(table_name, 'p', 'r', accept=TablePayloadFormat.JSON_FULL_METADATA)
    assert_round_trip(full)
    bare = await table_service.get_entity(table_name, 'p', 'r', accept=TablePayloadFormat.JSON_NO_METADATA)
    # Without metadata the service does not say which strings are Int64, DateTime...
    assert bare.int64 == '42' and bare.when == '2021-03-04T05:06:07.891011Z'
    assert bare.etag == full.etag

    types = {'int64': EdmType.INT64, 'when': EdmType.DATETIME, 'guid': EdmType.GUID, 'nan': EdmType.DOUBLE,
             'binary': EdmType.BINARY}
    seen = []

    def resolver(partition_key, row_key, name, value, edm_type):
        seen.append((partition_key, row_key, name))
        return types.get(name)

    resolved = await table_service.get_entity(table_name, 'p', 'r', accept=TablePayloadFormat.JSON_NO_METADATA,
                                              property_resolver=resolver)
    assert resolved.int64 == 42 and resolved.when == WHEN
    assert resolved.guid == EntityProperty(EdmType.GUID, str(GUID)) and math.isnan(resolved.nan)
    assert resolved.binary.value == bytes(range(256))
    assert ('p', 'r', 'text') in seen

    queried = [entity async for entity in table_service.query_entities(
        table_name, accept=TablePayloadFormat.JSON_NO_METADATA, property_resolver=resolver)]
    assert queried[0].when == WHEN

    with pytest.raises(AzureException, match='invalid type'):
        await table_service.get_entity(table_name, 'p', 'r', property_resolver=lambda *args: EdmType.INT64)


async def test_select(table_service, table_name):
    await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'a': 'x', 'b': 'y', 'c': 1})
    entity = await table_service.get_entity(table_name, 'p', 'r', select='a,c')
    assert entity.a == 'x' and entity.c == 1 and 'b' not in entity
    [queried] = [entity async for entity in table_service.query_entities(table_name, select='b')]
    assert queried.b == 'y' and 'a' not in queried


async def test_insert_conflict_and_missing_entity(table_service, table_name):
    await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r'})
    with pytest.raises(AzureConflictHttpError) as conflict:
        await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r'})
    assert conflict.value.status_code == 409 and conflict.value.error_code == 'EntityAlreadyExists'
    for call in (table_service.get_entity(table_name, 'p', 'missing'),
                 table_service.delete_entity(table_name, 'p', 'missing'),
                 table_service.update_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'missing'}),
                 table_service.merge_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'missing'})):
        with pytest.raises(AzureMissingResourceHttpError):
            await call


async def test_update_replaces_and_merge_keeps(table_service, table_name):
    await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'a': 1, 'b': 'x'})
    await table_service.update_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'c': 2})
    entity = await table_service.get_entity(table_name, 'p', 'r')
    assert 'a' not in entity and 'b' not in entity and entity.c == 2
    await table_service.merge_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'd': 'new'})
    entity = await table_service.get_entity(table_name, 'p', 'r')
    assert entity.c == 2 and entity.d == 'new'


async def test_etags_guard_writes(table_service, table_name):
    first = await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 1})
    second = await table_service.update_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 2},
                                               if_match=first)
    assert second != first and (await table_service.get_entity(table_name, 'p', 'r')).etag == second

    for stale_write in (
            table_service.update_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 3}, if_match=first),
            table_service.merge_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 3}, if_match=first),
            table_service.delete_entity(table_name, 'p', 'r', if_match=first)):
        with pytest.raises(AzureHttpError) as refused:
            await stale_write
        assert refused.value.status_code == 412
        assert refused.value.error_code == 'UpdateConditionNotSatisfied'
    assert (await table_service.get_entity(table_name, 'p', 'r')).v == 2

    third = await table_service.merge_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'w': 1},
                                             if_match=second)
    await table_service.delete_entity(table_name, 'p', 'r', if_match=third)
    with pytest.raises(AzureMissingResourceHttpError):
        await table_service.get_entity(table_name, 'p', 'r')


async def test_upserts(table_service, table_name):
    replaced = await table_service.insert_or_replace_entity(table_name, {'PartitionKey': 'p', 'RowKey': '1', 'a': 1})
    merged = await table_service.insert_or_merge_entity(table_name, {'PartitionKey': 'p', 'RowKey': '2', 'a': 1})
    assert replaced and merged
    await table_service.insert_or_replace_entity(table_name, {'PartitionKey': 'p', 'RowKey': '1', 'b': 2})
    await table_service.insert_or_merge_entity(table_name, {'PartitionKey': 'p', 'RowKey': '2', 'b': 2})
    one = await table_service.get_entity(table_name, 'p', '1')
    two = await table_service.get_entity(table_name, 'p', '2')
    assert 'a' not in one and one.b == 2
    assert two.a == 1 and two.b == 2


KEYS = ["it's", "''", 'a b', 'é ü 中文 🙂', '%25 + & = ; , $ ( ) ~ ! * @ [ ]', ' ', '']


@pytest.mark.parametrize('key', KEYS)
async def test_unusual_keys(table_service, table_name, key):
    await table_service.insert_entity(table_name, {'PartitionKey': key, 'RowKey': key, 'v': 1})
    assert (await table_service.get_entity(table_name, key, key)).v == 1
    await table_service.update_entity(table_name, {'PartitionKey': key, 'RowKey': key, 'v': 2})
    await table_service.merge_entity(table_name, {'PartitionKey': key, 'RowKey': key, 'w': 3})
    await table_service.insert_or_merge_entity(table_name, {'PartitionKey': key, 'RowKey': key, 'x': 4})
    entity = await table_service.get_entity(table_name, key, key)
    assert (entity.PartitionKey, entity.RowKey, entity.v, entity.w, entity.x) == (key, key, 2, 3, 4)
    [queried] = [e async for e in table_service.query_entities(
        table_name, filter="PartitionKey eq '{}'".format(key.replace("'", "''")))]
    assert queried.RowKey == key
    await table_service.delete_entity(table_name, key, key)
    with pytest.raises(AzureMissingResourceHttpError):
        await table_service.get_entity(table_name, key, key)


@pytest.mark.parametrize('key', ['a/b', 'a\\b', 'a#b', 'a?b', 'tab\there', 'new\nline', '\x7f', '\x9f'])
async def test_forbidden_key_characters_are_refused_before_any_request(offline_service, key):
    entity = {'PartitionKey': 'p', 'RowKey': key}
    for call in (offline_service.get_entity('t1', 'p', key), offline_service.delete_entity('t1', key, 'r'),
                 offline_service.insert_entity('t1', entity), offline_service.update_entity('t1', entity),
                 offline_service.merge_entity('t1', entity), offline_service.insert_or_replace_entity('t1', entity),
                 offline_service.insert_or_merge_entity('t1', entity)):
        with pytest.raises(ValueError, match='does not allow in keys'):
            await call


async def test_invalid_entities_are_refused_before_any_request(offline_service):
    with pytest.raises(TypeError):
        await offline_service.insert_entity('t1', ['PartitionKey', 'RowKey'])
    with pytest.raises(ValueError):
        await offline_service.insert_entity('t1', {'PartitionKey': 'p'})
    with pytest.raises(TypeError):
        await offline_service.insert_entity('t1', {'PartitionKey': 'p', 'RowKey': 'r', 'x': object()})
    with pytest.raises(TypeError):
        await offline_service.insert_entity('t1', {'PartitionKey': 'p', 'RowKey': 'r', 'x': 2 ** 64})
    with pytest.raises(TypeError):
        await offline_service.get_entity('t1', 1, 'r')
    with pytest.raises(ValueError):
        await offline_service.get_entity('t1', 'p', 'r', accept=None)
    with pytest.raises(ValueError):
        await offline_service.update_entity('t1', {'PartitionKey': 'p', 'RowKey': 'r'}, if_match=None)
    with pytest.raises(ValueError):
        await offline_service.delete_entity('t1', 'p', 'r', if_match=None)
    with pytest.raises(ValueError):
        await offline_service.insert_entity(None, {'PartitionKey': 'p', 'RowKey': 'r'})


async def test_200_concurrent_inserts(table_service, table_name):
    etags = await asyncio.gather(*(
        table_service.insert_entity(table_name, {'PartitionKey': 'p{}'.format(i % 7), 'RowKey': '{:03}'.format(i),
                                                 'n': i})
        for i in range(200)))
    assert len(set(etags)) == 200
    entities = [entity async for entity in table_service.query_entities(table_name, select='n')]
    assert sorted(entity.n for entity in entities) == list(range(200))


def test_entity_attribute_access():
    entity = Entity(PartitionKey='p')
    entity.RowKey = 'r'
    assert entity == {'PartitionKey': 'p', 'RowKey': 'r'} and entity.PartitionKey == 'p'
    del entity.RowKey
    assert 'RowKey' not in entity
    with pytest.raises(AttributeError, match="'Entity' object has no attribute 'missing'"):
        entity.missing
    with pytest.raises(AttributeError):
        del entity.missing
    assert 'PartitionKey' in dir(entity) and 'keys' in dir(entity)
