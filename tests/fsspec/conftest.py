"""Fixtures of the fsspec file system tests: a sync-mode file system on the test Azurite and a
container of its own for each test."""
import pytest

pytest.importorskip('fsspec')

from azure.storage.blob.fsspec_filesystem import BlobFileSystem  # noqa: E402

from testkit import fast_retry  # noqa: E402


@pytest.fixture
def make_fs(connection_string):
    """``make_fs(**options)``: a BlobFileSystem on the test account (fresh, not from fsspec's
    instance cache), with quick retries; closed after the test."""
    made = []

    def make(**options):
        options.setdefault('connection_string', connection_string)
        options.setdefault('retry', fast_retry())
        filesystem = BlobFileSystem(skip_instance_cache=True, **options)
        made.append(filesystem)
        return filesystem
    yield make
    for filesystem in made:
        if not filesystem.asynchronous:
            filesystem.close()


@pytest.fixture
def blob_fs(make_fs):
    return make_fs()


@pytest.fixture
def fs_container(blob_fs, unique_name):
    """A container made for the test through the file system, removed with everything in it after."""
    name = unique_name('fs')
    blob_fs.mkdir(name)
    yield name
    blob_fs.rm(name, recursive=True)
