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
    assert (list(generator), generator.items, generator.next_marker) == ([1, 2], [1, 2], '1')
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
