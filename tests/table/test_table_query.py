"""Queries over 2,500 entities: pages of 1,000, continuation markers, filters, num_results."""
import asyncio

import pytest

from azure.storage.common.models import ListGenerator
from azure.storage.table import TableBatch

PARTITIONS = 25
PER_PARTITION = 100
TOTAL = PARTITIONS * PER_PARTITION


@pytest.fixture
async def big_table(table_service, table_name):
    """2,500 entities in 25 partitions, inserted with one batch per partition."""
    async def fill(partition):
        batch = TableBatch()
        for row in range(PER_PARTITION):
            batch.insert_entity({'PartitionKey': 'p{:02}'.format(partition), 'RowKey': 'r{:03}'.format(row),
                                 'n': partition * PER_PARTITION + row, 'even': row % 2 == 0})
        return await table_service.commit_batch(table_name, batch)

    results = await asyncio.gather(*(fill(partition) for partition in range(PARTITIONS)))
    assert sum(len(etags) for etags in results) == TOTAL
    return table_name


async def test_walk_every_page(table_service, big_table):
    numbers = [entity.n async for entity in table_service.query_entities(big_table)]
    assert numbers == list(range(TOTAL))


async def test_first_page_and_markers(table_service, big_table):
    first = await table_service.query_entities(big_table)
    assert isinstance(first, ListGenerator)
    assert len(first.items) == 1000 and first.items[-1].n == 999
    assert set(first.next_marker) == {'nextpartitionkey', 'nextrowkey'}

    # Following the markers by hand gives the same pages the generator walks (a page that is
    # not the whole result is read through .items: a plain for over it refuses).
    seen = [entity.n for entity in first.items]
    marker = first.next_marker
    pages = 1
    while marker:
        page = await table_service.query_entities(big_table, marker=marker)
        seen.extend(entity.n for entity in page.items)
        marker = page.next_marker
        pages += 1
    assert pages == 3 and seen == list(range(TOTAL))


async def test_num_results_stops_and_leaves_a_marker(table_service, big_table):
    tops = []
    table_service.request_callback = lambda request: tops.append(request.query.get('$top'))
    generator = await table_service.query_entities(big_table, num_results=1500, select='n')
    numbers = [entity.n async for entity in generator]
    table_service.request_callback = None
    assert numbers == list(range(1500))
    # Azure answers $top above 1,000 with 400: the rest comes from the continuation.
    assert tops == ['1000', '500']
    assert generator.next_marker
    rest = [entity.n async for entity in table_service.query_entities(
        big_table, marker=generator.next_marker, select='n')]
    assert rest == list(range(1500, TOTAL))

    small = await table_service.query_entities(big_table, num_results=10)
    assert [entity.n for entity in small] == list(range(10)) and small.next_marker


async def test_filters_across_pages(table_service, big_table):
    even = [entity.n async for entity in table_service.query_entities(big_table, filter='even eq true')]
    assert even == list(range(0, TOTAL, 2))

    ranged = [entity.RowKey async for entity in table_service.query_entities(
        big_table, filter="PartitionKey ge 'p03' and PartitionKey lt 'p05' and RowKey lt 'r002'", select='RowKey')]
    assert ranged == ['r000', 'r001', 'r000', 'r001']

    numbers = [entity.n async for entity in table_service.query_entities(
        big_table, filter='n ge 2400L', num_results=50)]
    assert numbers == list(range(2400, 2450))

    nothing = await table_service.query_entities(big_table, filter="PartitionKey eq 'none'")
    assert list(nothing) == [] and not nothing.next_marker


async def test_a_plain_for_over_an_awaited_query_never_truncates_silently(table_service, big_table):
    # Legacy list(ts.query_entities(t)) returned everything; "adding await" must not give 1,000 quietly.
    for num_results in (None, 1500):
        page = await table_service.query_entities(big_table, num_results=num_results)
        assert len(page.items) == 1000 and page.next_marker
        with pytest.raises(TypeError) as info:
            list(page)
        assert 'async for item in service.query_entities(...)' in str(info.value)
        assert '.next_marker' in str(info.value)
    capped = await table_service.query_entities(big_table, num_results=10)
    assert [entity.RowKey for entity in capped] == ['r{:03}'.format(row) for row in range(10)]
    assert len([entity async for entity in table_service.query_entities(big_table, num_results=1500)]) == 1500
