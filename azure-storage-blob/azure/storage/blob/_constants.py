"""Constants of the blob service."""

__author__ = 'aio-azure-storage contributors'
#: The version of this distribution (pyproject.toml reads it from here).
__version__ = '2.1.0'

#: The blob service REST version every request of this package asks for.
X_MS_VERSION = '2019-02-02'

# How much of a large block (see MIN_LARGE_BLOCK_UPLOAD_THRESHOLD) one read of the source
# stream may pull into memory while that block is sent.
_LARGE_BLOB_UPLOAD_MAX_READ_BUFFER_SIZE = 4 * 1024 * 1024
