"""Shared models: permission flags and the paging objects behind every listing."""
import pytest

from azure.storage.common import (
    AccountPermissions,
    DeleteRetentionPolicy,
    ListGenerator,
    ResourceTypes,
    RetentionPolicy,
    Services,
)
from azure.storage.common.models import ListOperation, _list


def test_permissions_combine_with_or_and_plus_in_the_service_order():
    assert str(AccountPermissions.WRITE | AccountPermissions.READ) == 'rw'
    assert str(AccountPermissions.PROCESS + AccountPermissions.ADD + AccountPermissions.DELETE) == 'dap'
    combined = AccountPermissions.READ | AccountPermissions.WRITE | AccountPermissions.DELETE | \
        AccountPermissions.LIST | AccountPermissions.ADD | AccountPermissions.CREATE | \
        AccountPermissions.UPDATE | AccountPermissions.PROCESS
    assert str(combined) == 'rwdlacup'
    assert combined == AccountPermissions(_str='pucalwdr')
    assert isinstance(combined, AccountPermissions)


def test_permission_attributes_follow_the_string():
    permissions = AccountPermissions(_str='rl')
    assert (permissions.read, permissions.list, permissions.write, permissions.process) == (True, True, False, False)
    assert str(AccountPermissions(read=True, _str='w')) == 'rw'
    assert str(AccountPermissions()) == ''


def test_services_and_resource_types():
    assert str(Services.FILE + Services.TABLE + Services.QUEUE + Services.BLOB) == 'bqtf'
    assert str(Services(blob=True, table=True)) == 'bt'
    assert str(ResourceTypes.OBJECT | ResourceTypes.SERVICE | ResourceTypes.CONTAINER) == 'sco'
    assert ResourceTypes(_str='o').object and not ResourceTypes(_str='o').service


def test_flags_compare_by_kind_and_value():
    assert AccountPermissions(_str='rw') == AccountPermissions(write=True, read=True)
    assert AccountPermissions(_str='rw') != AccountPermissions(_str='r')
    assert Services(_str='b') != ResourceTypes(_str='b')
    assert len({AccountPermissions(_str='rw'), AccountPermissions(_str='wr')}) == 1


@pytest.mark.parametrize('policy_class', [RetentionPolicy, DeleteRetentionPolicy])
def test_an_enabled_retention_policy_needs_days(policy_class):
    with pytest.raises(ValueError):
        policy_class(enabled=True)
    assert policy_class(enabled=True, days=5).days == 5


class _Pages:
    """A list method over fixed pages (marker 'n' is page n, cut to max_results); records every call."""

    def __init__(self, *pages):
        self.pages = pages
        self.calls = []

    async def list_method(self, prefix, max_results=None, marker=None):
        self.calls.append((prefix, max_results, marker))
        index = int(marker or 0)
        page = _list(self.pages[index][:max_results])
        page.next_marker = str(index + 1) if index + 1 < len(self.pages) else None
        return page


async def test_awaiting_a_listing_gives_the_first_page():
    pages = _Pages([1, 2], [3, 4], [5])
    generator = await ListOperation(pages.list_method, ('p',), {})
    assert isinstance(generator, ListGenerator)
    assert (generator.items, generator.next_marker) == ([1, 2], '1')
    assert pages.calls == [('p', None, None)]


async def test_async_iteration_walks_every_page_lazily():
    pages = _Pages([1, 2], [3, 4], [5])
    seen = []
    async for item in ListOperation(pages.list_method, ('p',), {}):
        seen.append(item)
        if item == 2:
            assert len(pages.calls) == 1
    assert seen == [1, 2, 3, 4, 5]
    assert pages.calls == [('p', None, None), ('p', None, '1'), ('p', None, '2')]


async def test_iterating_a_generator_continues_from_its_first_page():
    pages = _Pages(['a'], ['b'])
    generator = await ListOperation(pages.list_method, ('p',), {})
    assert [item async for item in generator] == ['a', 'b']
    assert generator.next_marker is None


async def test_num_results_stops_the_walk_and_shrinks_later_pages():
    pages = _Pages([1, 2], [3, 4], [5, 6])
    assert [item async for item in ListOperation(pages.list_method, ('p',), {'max_results': 3})] == [1, 2, 3]
    # The second page is asked for what is still missing, the third never.
    assert pages.calls == [('p', 3, None), ('p', 1, '1')]


@pytest.mark.parametrize('use', [list, len, lambda generator: generator[0], lambda generator: [i for i in generator]])
async def test_a_partial_page_refuses_synchronous_use(use):
    # Legacy list(ts.query_entities(t)) walked every page; list(await ...) must not quietly stop at the first.
    pages = _Pages([1, 2], [3, 4])
    generator = await ListOperation(pages.list_method, ('p',), {})
    with pytest.raises(TypeError) as info:
        use(generator)
    assert 'async for item in service.list_method(...)' in str(info.value)
    assert 'next_marker' in str(info.value)
    assert pages.calls == [('p', None, None)]


@pytest.mark.parametrize('pages, kwargs, expected', [
    ([[1, 2]], {}, [1, 2]),
    ([[1, 2], [3]], {'max_results': 2}, [1, 2]),
    ([[1, 2, 3], [4]], {'max_results': 1}, [1]),
    ([[]], {}, []),
])
async def test_a_whole_or_capped_page_iterates_as_in_legacy(pages, kwargs, expected):
    generator = await ListOperation(_Pages(*pages).list_method, ('p',), kwargs)
    assert list(generator) == expected
    assert len(generator) == len(expected)


async def test_a_partial_page_capped_above_its_size_still_refuses():
    # num_results=1500 with 1,000 per page: the page is not what the caller asked for.
    generator = await ListOperation(_Pages([1, 2], [3, 4]).list_method, ('p',), {'max_results': 3})
    with pytest.raises(TypeError):
        list(generator)


async def test_after_an_async_walk_the_last_page_is_not_taken_for_the_whole():
    generator = await ListOperation(_Pages([1], [2]).list_method, ('p',), {})
    assert [item async for item in generator] == [1, 2]
    assert generator.items == [2]
    with pytest.raises(TypeError):
        list(generator)


@pytest.mark.parametrize('use', [list, iter, next, len, lambda operation: [i for i in operation]])
def test_a_listing_used_synchronously_says_to_write_async_for(use):
    pages = _Pages([1])
    with pytest.raises(TypeError) as info:
        use(ListOperation(pages.list_method, ('p',), {}))
    assert str(info.value) == ('A listing is asynchronous: write "async for item in service.list_method(...)", '
                               'or "page = await service.list_method(...)" for the first page.')
    assert pages.calls == []
