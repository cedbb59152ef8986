"""Blob listings: pages, prefixes, delimiters, markers and the extra datasets of Include."""
import pytest

from azure.storage.blob import Blob, BlobPrefix, ContentSettings, Include
from azure.storage.common.models import ListGenerator

NAMES = ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'c.txt', 'd/4.txt']


@pytest.fixture
async def populated(service, container):
    for name in NAMES:
        await service.create_blob_from_text(container, name, name, content_settings=ContentSettings('text/plain'))
    return container


async def test_list_blobs_returns_blobs_with_properties(service, populated):
    listing = await service.list_blobs(populated)
    assert isinstance(listing, ListGenerator)
    assert listing.next_marker is None
    assert [blob.name for blob in listing] == NAMES
    blob = listing[0]
    assert isinstance(blob, Blob)
    assert blob.properties.blob_type == 'BlockBlob'
    assert blob.properties.content_length == len('a/1.txt')
    assert blob.properties.content_settings.content_type == 'text/plain'
    assert blob.properties.content_settings.content_md5
    assert blob.properties.etag and blob.properties.last_modified
    assert blob.properties.lease.state == 'available'
    assert blob.metadata is None
    assert blob.snapshot is None
    assert blob.deleted is False


async def test_prefix_and_delimiter(service, populated):
    top = await service.list_blobs(populated, delimiter='/')
    assert [type(item) for item in top] == [BlobPrefix, BlobPrefix, Blob]
    assert [item.name for item in top] == ['a/', 'd/', 'c.txt']
    nested = await service.list_blobs(populated, prefix='a/', delimiter='/')
    assert [item.name for item in nested] == ['a/b/', 'a/1.txt', 'a/2.txt']
    assert list(await service.list_blob_names(populated, prefix='a/', delimiter='/')) == ['a/b/', 'a/1.txt', 'a/2.txt']
    names = [name async for name in service.list_blob_names(populated, prefix='a/')]
    assert names == ['a/1.txt', 'a/2.txt', 'a/b/3.txt']


async def test_num_results_and_marker(service, populated):
    first = await service.list_blob_names(populated, num_results=2)
    assert list(first) == NAMES[:2]
    assert first.next_marker
    assert [name async for name in first] == NAMES[:2]
    second = await service.list_blob_names(populated, num_results=2, marker=first.next_marker)
    assert list(second) == NAMES[2:4]
    rest = await service.list_blobs(populated, marker=second.next_marker)
    assert [blob.name for blob in rest] == NAMES[4:]
    assert rest.next_marker is None
    assert [blob.name async for blob in service.list_blobs(populated, timeout=20)] == NAMES


async def test_include_metadata_snapshots_uncommitted_and_copy(service, container):
    await service.create_blob_from_bytes(container, 'base', b'v1', metadata={'Kind': 'base'})
    snapshot = await service.snapshot_blob(container, 'base')
    await service.put_block(container, 'uncommitted', b'block', 'block-1')
    source = service.make_blob_url(container, 'base')
    await service.copy_blob(container, 'copied', source)

    plain = [blob.name for blob in await service.list_blobs(container)]
    assert plain == ['base', 'copied']

    everything = await service.list_blobs(
        container, include=Include.METADATA | Include.SNAPSHOTS | Include.UNCOMMITTED_BLOBS | Include.COPY)
    by_name = {}
    for blob in everything:
        by_name.setdefault(blob.name, []).append(blob)
    assert sorted(by_name) == ['base', 'copied', 'uncommitted']
    assert [blob.snapshot for blob in by_name['base']] == [snapshot.snapshot, None]
    assert all(blob.metadata == {'Kind': 'base'} for blob in by_name['base'])
    assert by_name['copied'][0].properties.copy.status == 'success'
    assert by_name['copied'][0].properties.copy.source == source
    assert by_name['copied'][0].properties.copy.id

    names = list(await service.list_blob_names(container, include=Include(snapshots=True)))
    assert names == ['base', 'base', 'copied']


async def test_include_deleted_is_accepted(service, container):
    await service.create_blob_from_bytes(container, 'kept', b'x')
    listed = await service.list_blobs(container, include=Include.DELETED)
    assert [(blob.name, blob.deleted) for blob in listed] == [('kept', False)]


async def test_unusual_names_list_as_they_were_written(service, container):
    names = sorted(["a b", "per%cent", "plus+sign", "hash#tag", "ques?tion", "quote's", "ünï/cødé", "x/y/z"])
    for name in names:
        await service.create_blob_from_bytes(container, name, name.encode())
    assert [name async for name in service.list_blob_names(container)] == names
    for name in names:
        assert (await service.get_blob_to_bytes(container, name)).content == name.encode()


async def test_a_long_page_with_item_tags_as_metadata_names(service, container):
    # A page far longer than one parser feed (items are converted and dropped as they are parsed),
    # metadata keys named like the listing's own elements, prefixes interleaved with blobs.
    metadata = {'Blob': 'b', 'BlobPrefix': 'p', 'NextMarker': 'm', 'Name': 'n'}
    names = ['d{:03d}/x'.format(i) if i % 7 == 0 else 'f{:03d}'.format(i) for i in range(150)]
    for name in names:
        await service.create_blob_from_bytes(container, name, b'x' * (len(name) + 1), metadata=metadata)
    listing = await service.list_blobs(container, include=Include.METADATA)
    assert listing.next_marker is None
    assert [blob.name for blob in listing] == sorted(names)
    assert {blob.name: blob.metadata for blob in listing} == {name: metadata for name in names}
    assert [blob.properties.content_length for blob in listing] == [len(name) + 1 for name in sorted(names)]
    top = await service.list_blobs(container, delimiter='/', include=Include.METADATA, num_results=100)
    assert top.next_marker
    expected = sorted(name.split('/')[0] + '/' if '/' in name else name for name in names)[:100]
    assert [item.name for item in top] == ([name for name in expected if name.endswith('/')] +
                                           [name for name in expected if not name.endswith('/')])
    assert all(item.metadata == metadata for item in top if isinstance(item, Blob))
    assert list(await service.list_blob_names(container, delimiter='/', num_results=100)) == [item.name for item in top]


def test_include_strings():
    assert str(Include.SNAPSHOTS | Include.METADATA) == 'snapshots,metadata'
    assert str(Include(copy=True, deleted=True) + Include.UNCOMMITTED_BLOBS) == 'uncommittedblobs,copy,deleted'
    assert str(Include(_str='deleted,snapshots')) == 'snapshots,deleted'
    everything = Include(_str='snapshots,metadata,uncommittedblobs,copy,deleted')
    assert (everything.snapshots, everything.metadata, everything.uncommitted_blobs, everything.copy,
            everything.deleted) == (True, True, True, True, True)
    assert str(Include()) == ''


async def test_listing_a_missing_container_name_fails_at_once(offline_service):
    with pytest.raises(ValueError, match='container_name should not be None'):
        offline_service.list_blobs(None)
    with pytest.raises(ValueError, match='container_name should not be None'):
        offline_service.list_blob_names(None)
