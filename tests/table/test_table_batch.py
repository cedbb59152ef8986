"""Entity group transactions: every operation kind, 100 at once, failures naming their operation."""
import pytest
from azure.common import AzureHttpError

from azure.storage.table import AzureBatchOperationError, AzureBatchValidationError, TableBatch


async def seed(table_service, table_name, row_keys, partition_key='p'):
    batch = TableBatch()
    for row_key in row_keys:
        batch.insert_entity({'PartitionKey': partition_key, 'RowKey': row_key, 'old': True, 'keep': 'k'})
    await table_service.commit_batch(table_name, batch)


async def rows(table_service, table_name):
    return {entity.RowKey: entity async for entity in table_service.query_entities(table_name)}


async def test_batch_of_100_mixed_operations(table_service, table_name):
    existing = ['{:03}'.format(i) for i in range(100) if i % 6 != 0]
    await seed(table_service, table_name, existing)
    batch = TableBatch()
    kinds = []
    for i in range(100):
        row_key = '{:03}'.format(i)
        entity = {'PartitionKey': 'p', 'RowKey': row_key, 'new': i}
        kind = i % 6
        if kind == 0:
            batch.insert_entity(entity)
        elif kind == 1:
            batch.update_entity(entity)
        elif kind == 2:
            batch.merge_entity(entity)
        elif kind == 3:
            batch.delete_entity('p', row_key)
        elif kind == 4:
            batch.insert_or_replace_entity(entity)
        else:
            batch.insert_or_merge_entity(entity)
        kinds.append(kind)
    results = await table_service.commit_batch(table_name, batch)

    assert len(results) == 100
    assert all((etag is None) == (kind == 3) for etag, kind in zip(results, kinds))
    stored = await rows(table_service, table_name)
    assert len(stored) == 100 - kinds.count(3)
    for i, kind in enumerate(kinds):
        entity = stored.get('{:03}'.format(i))
        if kind == 3:
            assert entity is None
            continue
        assert entity.new == i and entity.etag == results[i]
        assert ('keep' in entity) == (kind in (2, 5)), (i, kind, entity)


async def test_failed_operation_is_named_by_index(table_service, table_name):
    await seed(table_service, table_name, ['exists'])
    batch = TableBatch()
    for row_key in ('a', 'b', 'c'):
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': row_key})
    batch.insert_entity({'PartitionKey': 'p', 'RowKey': 'exists'})
    batch.insert_entity({'PartitionKey': 'p', 'RowKey': 'd'})
    with pytest.raises(AzureBatchOperationError) as failure:
        await table_service.commit_batch(table_name, batch)
    error = failure.value
    assert isinstance(error, AzureHttpError)
    assert error.index == 3 and str(error).startswith('3:')
    assert error.status_code == 409 and error.code == 'EntityAlreadyExists'


async def test_failed_conditional_operation(table_service, table_name):
    await seed(table_service, table_name, ['a', 'b'])
    batch = TableBatch()
    batch.merge_entity({'PartitionKey': 'p', 'RowKey': 'a', 'x': 1})
    stale = 'W/"datetime\'2000-01-01T00%3A00%3A00Z\'"'
    batch.update_entity({'PartitionKey': 'p', 'RowKey': 'b', 'x': 1}, if_match=stale)
    with pytest.raises(AzureBatchOperationError) as failure:
        await table_service.commit_batch(table_name, batch)
    assert failure.value.index == 1 and failure.value.status_code == 412


async def test_batch_with_etags_and_unusual_keys(table_service, table_name):
    partition_key = "it's é 中"
    await seed(table_service, table_name, ["a'b", 'c d'], partition_key=partition_key)
    stored = await rows(table_service, table_name)
    batch = TableBatch()
    batch.update_entity({'PartitionKey': partition_key, 'RowKey': "a'b", 'v': 1}, if_match=stored["a'b"].etag)
    batch.delete_entity(partition_key, 'c d', if_match=stored['c d'].etag)
    batch.insert_entity({'PartitionKey': partition_key, 'RowKey': '%2F+🙂', 'v': 2})
    etags = await table_service.commit_batch(table_name, batch)
    stored = await rows(table_service, table_name)
    assert sorted(stored) == ['%2F+🙂', "a'b"]
    assert stored["a'b"].v == 1 and stored["a'b"].etag == etags[0] and etags[1] is None


async def test_context_manager_commits_on_success_only(table_service, table_name):
    async with table_service.batch(table_name) as batch:
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': '1'})
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': '2'})
        assert isinstance(batch, TableBatch)
    assert sorted(await rows(table_service, table_name)) == ['1', '2']

    with pytest.raises(RuntimeError, match='stop'):
        async with table_service.batch(table_name) as batch:
            batch.insert_entity({'PartitionKey': 'p', 'RowKey': '3'})
            raise RuntimeError('stop')
    assert sorted(await rows(table_service, table_name)) == ['1', '2']

    with pytest.raises(AzureBatchValidationError):
        async with table_service.batch(table_name) as batch:
            batch.insert_entity({'PartitionKey': 'p', 'RowKey': '4'})
            batch.insert_entity({'PartitionKey': 'q', 'RowKey': '5'})
    assert sorted(await rows(table_service, table_name)) == ['1', '2']


async def test_batch_input_is_checked_before_any_request(offline_service):
    assert await offline_service.commit_batch('t1', TableBatch()) == []
    async with offline_service.batch('t1'):
        pass
    batch = TableBatch()
    batch.insert_entity({'PartitionKey': 'p', 'RowKey': 'r'})
    with pytest.raises(ValueError):
        await offline_service.commit_batch(None, batch)
    with pytest.raises(ValueError):
        await offline_service.commit_batch('t1', None)
