"""fsspec's own abstract tests (copy, get, put, pipe, open) on the aioblob file system, as s3fs and gcsfs run them."""
import pytest

pytest.importorskip('fsspec')

from fsspec.tests.abstract import (  # noqa: E402
    AbstractCopyTests,
    AbstractFixtures,
    AbstractGetTests,
    AbstractOpenTests,
    AbstractPipeTests,
    AbstractPutTests,
)


class BlobFixtures(AbstractFixtures):
    @pytest.fixture
    def fs(self, blob_fs):
        return blob_fs

    @pytest.fixture
    def fs_path(self, fs_container):
        return fs_container + '/root'

    @pytest.fixture
    def fs_join(self):
        return lambda *parts: '/'.join(parts)

    @pytest.fixture
    def supports_empty_directories(self):
        # Directories are blob-name prefixes: one exists only while a blob is below it.
        return False


class TestBlobCopy(AbstractCopyTests, BlobFixtures):
    pass


class TestBlobGet(AbstractGetTests, BlobFixtures):
    pass


class TestBlobPut(AbstractPutTests, BlobFixtures):
    pass


class TestBlobPipe(AbstractPipeTests, BlobFixtures):
    pass


class TestBlobOpen(AbstractOpenTests, BlobFixtures):
    pass
