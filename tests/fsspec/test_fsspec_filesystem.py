"""The aioblob fsspec file system: listings, metadata, ranged reads, writes through open(),
errors, credentials, pickling, fork and the asynchronous mode."""
import asyncio
import os
import pickle
import warnings
from datetime import datetime, timedelta, timezone

import pytest

fsspec = pytest.importorskip('fsspec')

from azure.storage.blob import BlobPermissions, BlockBlobService, PublicAccess  # noqa: E402
from azure.storage.blob.fsspec_filesystem import BlobFileSystem  # noqa: E402
from azure.storage.common import TokenCredential  # noqa: E402
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME  # noqa: E402

SOON = datetime.now(timezone.utc) + timedelta(hours=2)


def record_requests(filesystem):
    """The (method, path and query) of every request the file system's service sends from now on."""
    sent = []
    filesystem.service.request_callback = lambda request: sent.append((request.method, request.path,
                                                                       dict(request.query)))
    return sent


def test_registered_under_its_own_protocol(connection_string):
    assert fsspec.get_filesystem_class('aioblob') is BlobFileSystem
    filesystem, path = fsspec.core.url_to_fs('aioblob://box/dir/name.csv', connection_string=connection_string)
    assert isinstance(filesystem, BlobFileSystem) and path == 'box/dir/name.csv'


def test_ls_info_and_find_over_several_pages(make_fs, fs_container):
    filesystem = make_fs(list_page_size=4)
    names = ['{}/d{}/f{:02d}'.format(fs_container, index % 3, index) for index in range(14)]
    filesystem.pipe({name: name.encode() for name in names + [fs_container + '/top']})
    sent = record_requests(filesystem)
    assert filesystem.ls(fs_container, detail=False) == [fs_container + '/d0', fs_container + '/d1',
                                                         fs_container + '/d2', fs_container + '/top']
    assert sorted(filesystem.ls(fs_container + '/d1', detail=False)) == sorted(n for n in names if '/d1/' in n)
    assert filesystem.find(fs_container) == sorted(names + [fs_container + '/top'])
    assert len([query for _, _, query in sent if query.get('marker')]) >= 4
    assert fs_container in filesystem.ls('', detail=False)
    info = filesystem.info(names[0])
    assert info['type'] == 'file' and info['size'] == len(names[0]) and info['etag']
    assert filesystem.info(fs_container + '/d2')['type'] == 'directory'
    assert filesystem.info(fs_container)['type'] == 'directory'
    assert filesystem.isdir(fs_container + '/d0') and not filesystem.isfile(fs_container + '/d0')
    assert set(filesystem.find(fs_container, withdirs=True)) >= {fs_container + '/d0', fs_container + '/d1'}
    assert filesystem.find(names[0]) == [names[0]]
    assert filesystem.find(fs_container + '/nothing') == []
    assert filesystem.du(fs_container + '/d0') == sum(len(n) for n in names if '/d0/' in n)


def test_ls_and_find_over_the_service_pages_at_the_default_page_size(make_fs, unique_name, connection_string):
    # No list_page_size: the service's own page size (Azurite: 5,000), so the first page is
    # not the whole listing and carries no num_results.
    container = unique_name('pages')
    names = ['d/f{:05d}'.format(index) for index in range(5003)]

    async def seed():
        async with BlockBlobService(connection_string=connection_string) as service:
            await service.create_container(container)
            semaphore = asyncio.Semaphore(64)

            async def put(name):
                async with semaphore:
                    await service.create_blob_from_bytes(container, name, b'')
            await asyncio.gather(*(put(name) for name in names))

    async def remove():
        async with BlockBlobService(connection_string=connection_string) as service:
            await service.delete_container(container)
    asyncio.run(seed())
    try:
        filesystem = make_fs()
        assert filesystem.find(container) == [container + '/' + name for name in names]
        assert len(filesystem.ls(container + '/d', detail=False)) == len(names)
    finally:
        asyncio.run(remove())


def test_info_asks_for_the_blob_before_it_lists(blob_fs, fs_container):
    blob_fs.pipe_file(fs_container + '/a/b', b'x')
    sent = record_requests(blob_fs)
    assert blob_fs.info(fs_container + '/a/b')['type'] == 'file'
    assert [method for method, _, _ in sent] == ['HEAD']
    del sent[:]
    assert blob_fs.info(fs_container + '/a')['type'] == 'directory'
    assert [method for method, _, _ in sent] == ['HEAD', 'GET'] and sent[1][2]['comp'] == 'list'
    assert blob_fs.exists(fs_container + '/a') and not blob_fs.exists(fs_container + '/b')


def test_ranged_reads(blob_fs, fs_container):
    path = fs_container + '/data.bin'
    data = os.urandom(300 * 1024)
    blob_fs.pipe_file(path, data)
    assert blob_fs.cat_file(path, start=10, end=1000) == data[10:1000]
    assert blob_fs.cat_file(path, start=-100) == data[-100:]
    assert blob_fs.cat_file(path, start=5, end=-5) == data[5:-5]
    assert blob_fs.cat_file(path, start=len(data) + 10) == b''
    assert blob_fs.cat_file(path, start=50, end=50) == b''
    assert blob_fs.cat_file(path) == data
    with blob_fs.open(path, 'rb', block_size=64 * 1024) as stream:
        stream.seek(200 * 1024)
        assert stream.read(70 * 1024) == data[200 * 1024:270 * 1024]
        stream.seek(17)
        assert stream.read(10) == data[17:27]


def test_a_file_read_fails_when_the_blob_is_replaced_meanwhile(blob_fs, fs_container):
    path = fs_container + '/changing'
    blob_fs.pipe_file(path, b'a' * 100000)
    with blob_fs.open(path, 'rb', block_size=1000, cache_type='none') as stream:
        assert stream.read(10) == b'a' * 10
        blob_fs.pipe_file(path, b'b' * 100000)
        with pytest.raises(Exception, match='ConditionNotMet'):
            stream.read(10)


def test_large_write_through_open_stages_blocks_and_commits_on_close(make_fs, fs_container):
    filesystem = make_fs(max_concurrency=3)
    path = fs_container + '/big.bin'
    data = os.urandom(3 * 1024 * 1024 + 123)
    with filesystem.open(path, 'wb', block_size=256 * 1024) as stream:
        for offset in range(0, len(data), 100003):
            stream.write(data[offset:offset + 100003])
        assert not filesystem.exists(path)
    assert filesystem.cat_file(path) == data
    container, blob = path.split('/', 1)
    blocks = _committed_blocks(filesystem, container, blob)
    assert len(blocks) == 13 and len({block.id for block in blocks}) == 13


def _committed_blocks(filesystem, container, blob):
    return fsspec.asyn.sync(filesystem.loop, filesystem.service.get_block_list, container, blob,
                            block_list_type='committed').committed_blocks


def test_concurrent_writers_to_one_blob_never_mix_blocks(blob_fs, fs_container):
    path = fs_container + '/contended'
    first = blob_fs.open(path, 'wb', block_size=64 * 1024)
    second = blob_fs.open(path, 'wb', block_size=64 * 1024)
    for _ in range(4):
        first.write(b'1' * 64 * 1024)
        second.write(b'2' * 64 * 1024)
    second.close()
    assert blob_fs.cat_file(path) == b'2' * 256 * 1024
    # The service dropped the first writer's uncommitted blocks when the second committed:
    # its commit fails loudly instead of taking anyone's blocks.
    first.write(b'1')
    with pytest.raises(Exception, match='InvalidBlockList'):
        first.close()
    assert blob_fs.cat_file(path) == b'2' * 256 * 1024


def test_a_write_left_by_an_exception_commits_nothing(blob_fs, fs_container):
    path = fs_container + '/kept'
    blob_fs.pipe_file(path, b'original')
    with pytest.raises(RuntimeError):
        with blob_fs.open(path, 'wb', block_size=64 * 1024) as stream:
            stream.write(b'x' * 200 * 1024)
            raise RuntimeError('the producer failed')
    assert blob_fs.cat_file(path) == b'original'
    with pytest.raises(RuntimeError):
        with blob_fs.open(fs_container + '/never', 'wb') as stream:
            stream.write(b'small')
            raise RuntimeError('the producer failed')
    assert not blob_fs.exists(fs_container + '/never')


def test_exclusive_create(blob_fs, fs_container):
    path = fs_container + '/once'
    with blob_fs.open(path, 'xb', block_size=64 * 1024) as stream:
        stream.write(b'first' * 30000)
    with pytest.raises(FileExistsError):
        blob_fs.open(path, 'xb')
    # Created by someone else between open and close: the commit is refused, theirs stays.
    for size in (10, 200 * 1024):
        racing = fs_container + '/race{}'.format(size)
        stream = blob_fs.open(racing, 'xb', block_size=64 * 1024)
        stream.write(b'm' * size)
        blob_fs.pipe_file(racing, b'theirs')
        with pytest.raises(FileExistsError, match='BlobAlreadyExists|ConditionNotMet'):
            stream.close()
        assert blob_fs.cat_file(racing) == b'theirs'


def test_unsupported_modes_fail_before_any_request(blob_fs):
    sent = record_requests(blob_fs)
    with pytest.raises(NotImplementedError, match='ab'):
        blob_fs.open('box/name', 'ab')
    with pytest.raises(ValueError, match='container/blob'):
        blob_fs.cat_file('box')
    with pytest.raises(ValueError, match='max_concurrency'):
        BlobFileSystem(connection_string='UseDevelopmentStorage=true', max_concurrency=0)
    with pytest.raises(ValueError, match='list_page_size'):
        BlobFileSystem(connection_string='UseDevelopmentStorage=true', list_page_size='5')
    assert sent == []


def test_errors_map_to_python_exceptions_with_the_error_code(blob_fs, fs_container, make_fs, connection_string):
    with pytest.raises(FileNotFoundError, match='BlobNotFound'):
        blob_fs.cat_file(fs_container + '/missing')
    with pytest.raises(FileNotFoundError, match='ContainerNotFound'):
        blob_fs.ls('nocontainer' + fs_container)
    with pytest.raises(FileNotFoundError):
        blob_fs.info(fs_container + '/missing')
    with pytest.raises(FileNotFoundError, match='BlobNotFound'):
        blob_fs.rm_file(fs_container + '/missing')
    with pytest.raises(FileExistsError, match='ContainerAlreadyExists'):
        blob_fs.mkdir(fs_container)
    blob_fs.pipe_file(fs_container + '/there', b'1')
    with pytest.raises(FileExistsError, match='BlobAlreadyExists'):
        blob_fs.pipe_file(fs_container + '/there', b'2', mode='create')
    account = BlockBlobService(connection_string=connection_string)
    token = account.generate_container_shared_access_signature(fs_container, BlobPermissions.READ, SOON)
    reader = make_fs(connection_string=None, account_name=DEV_ACCOUNT_NAME, sas_token=token, scheme='http',
                     custom_domain=blob_fs.service.primary_endpoint)
    assert reader.cat_file(fs_container + '/there') == b'1'
    with pytest.raises(PermissionError, match='AuthorizationPermissionMismatch'):
        reader.pipe_file(fs_container + '/there', b'3')
    assert blob_fs.cat_file(fs_container + '/there') == b'1'


def test_credentials_name_and_key_and_anonymous(blob_fs, make_fs, unique_name):
    endpoint = blob_fs.service.primary_endpoint
    keyed = make_fs(connection_string=None, account_name=DEV_ACCOUNT_NAME, account_key=DEV_ACCOUNT_KEY,
                    scheme='http', custom_domain=endpoint)
    container = unique_name('pub')
    fsspec.asyn.sync(keyed.loop, keyed.service.create_container, container, public_access=PublicAccess.Container)
    try:
        keyed.pipe_file(container + '/open', b'for everyone')
        anonymous = make_fs(connection_string=None, account_name=DEV_ACCOUNT_NAME, scheme='http',
                            custom_domain=endpoint)
        assert anonymous.cat_file(container + '/open') == b'for everyone'
        assert anonymous.ls(container, detail=False) == [container + '/open']
    finally:
        keyed.rm(container, recursive=True)
    assert not blob_fs.exists(container)


def test_pickles_with_plain_options_and_is_rebuilt(make_fs, fs_container):
    filesystem = make_fs()
    filesystem.pipe_file(fs_container + '/p', b'pickled')
    copy = pickle.loads(pickle.dumps(filesystem))
    assert copy is not filesystem and set(copy.storage_options) == {'connection_string', 'retry'}
    assert copy.storage_options['connection_string'] == filesystem.storage_options['connection_string']
    assert copy.service is not filesystem.service
    assert copy.cat_file(fs_container + '/p') == b'pickled'
    copy.close()
    token = BlobFileSystem(account_name='acct', token_credential=TokenCredential('abc'), skip_instance_cache=True)
    restored = pickle.loads(pickle.dumps(token))
    assert restored.service.token_credential.token == 'abc'


def test_token_credential_must_be_plain(connection_string):
    class Credential:
        def get_token(self, *scopes):
            raise AssertionError('not called')
    with pytest.raises(TypeError, match='token_credential'):
        BlobFileSystem(account_name='acct', token_credential=Credential())


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='needs os.fork')
def test_a_forked_child_leaves_the_inherited_session_alone(make_fs, fs_container):
    filesystem = make_fs()
    filesystem.pipe_file(fs_container + '/before', b'parent')
    inherited = filesystem.service
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process that has threads (fsspec's loop thread).
        warnings.simplefilter('ignore', DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            data = filesystem.cat_file(fs_container + '/before')
            filesystem.pipe_file(fs_container + '/from-child', b'child')
            session = inherited._httpclient.session
            ok = data == b'parent' and filesystem.service is not inherited and not session.closed
            filesystem.close()
            os.write(write_end, b'ok' if ok else b'bad')
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    answer = os.read(read_end, 10)
    os.close(read_end)
    assert status == 0 and answer == b'ok'
    assert filesystem.service is inherited and not inherited._httpclient.session.closed
    assert filesystem.cat_file(fs_container + '/from-child') == b'child'


async def test_asynchronous_mode(make_fs, unique_name):
    container = unique_name('async')
    async with make_fs(asynchronous=True) as filesystem:
        await filesystem._mkdir(container)
        await filesystem._pipe_file(container + '/a/b', b'awaited')
        assert await filesystem._cat_file(container + '/a/b', start=1) == b'waited'
        assert await filesystem._ls(container, detail=False) == [container + '/a']
        await filesystem._rm(container, recursive=True)
        assert not await filesystem._exists(container)
    assert filesystem.service._httpclient.session is None
