"""Table writes whose answer is lost: the request was applied, the connection reset before the response.

A retried write may then fail because its own first attempt landed. The error says so (the
README's "Data safety" section lists these cases); idempotent writes simply succeed.
"""
import pytest
from azure.common import AzureConflictHttpError, AzureMissingResourceHttpError

from azure.storage.table import AzureBatchOperationError

pytestmark = pytest.mark.emulator_only

AMBIGUOUS = 'sent again after an attempt whose answer was lost'


def entity(row_key, **properties):
    return dict(PartitionKey='p', RowKey=row_key, **properties)


async def test_insert_retried_after_a_lost_answer_says_it_may_have_landed(fault_proxy, proxied, table_service,
                                                                          table_name):
    fault_proxy.inject('lose')
    with pytest.raises(AzureConflictHttpError, match=AMBIGUOUS) as caught:
        await proxied.insert_entity(table_name, entity('1', value=1))
    assert caught.value.error_code == 'EntityAlreadyExists'
    assert (await table_service.get_entity(table_name, 'p', '1')).value == 1


async def test_a_plain_conflict_says_nothing_of_retries(proxied, table_service, table_name):
    await table_service.insert_entity(table_name, entity('1'))
    with pytest.raises(AzureConflictHttpError) as caught:
        await proxied.insert_entity(table_name, entity('1'))
    assert AMBIGUOUS not in str(caught.value)


async def test_delete_retried_after_a_lost_answer_says_it_may_have_landed(fault_proxy, proxied, table_service,
                                                                          table_name):
    await table_service.insert_entity(table_name, entity('1'))
    # Twice: the retry policy sees the loss whether or not aiohttp resends a DELETE once by itself.
    fault_proxy.inject('lose', times=2)
    with pytest.raises(AzureMissingResourceHttpError, match=AMBIGUOUS):
        await proxied.delete_entity(table_name, 'p', '1')
    assert not [e async for e in table_service.query_entities(table_name)]


@pytest.mark.parametrize('write', ['merge_entity', 'update_entity', 'insert_or_replace_entity',
                                   'insert_or_merge_entity'])
async def test_idempotent_writes_retried_after_a_lost_answer_succeed(fault_proxy, proxied, table_service,
                                                                     table_name, write):
    await table_service.insert_entity(table_name, entity('1', value=1, kept='yes'))
    fault_proxy.inject('lose')
    etag = await getattr(proxied, write)(table_name, entity('1', value=2))
    stored = await table_service.get_entity(table_name, 'p', '1')
    assert stored.value == 2
    assert stored.etag == etag
    assert len(fault_proxy.requests) == 2


async def test_batch_retried_after_a_lost_answer_says_it_may_have_landed(fault_proxy, proxied, table_service,
                                                                         table_name):
    fault_proxy.inject('lose')
    with pytest.raises(AzureBatchOperationError, match=AMBIGUOUS) as caught:
        async with proxied.batch(table_name) as batch:
            batch.insert_entity(entity('1'))
            batch.insert_entity(entity('2'))
    assert caught.value.status_code == 409
    assert caught.value.index == 0
    assert sorted([e.RowKey async for e in table_service.query_entities(table_name)]) == ['1', '2']
