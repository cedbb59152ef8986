"""
Chunked uploads.

An uploader reads its source stream chunk by chunk, lazily, and sends each chunk with one
request of its blob type: a block (block blobs), a page write (page blobs) or an append
(append blobs). ``_upload_blob_chunks`` runs those requests as asyncio tasks, at most
``max_connections`` at a time; a chunk is only read once a slot is free, so no more than
``max_connections`` chunks are in memory. The first failure cancels the other requests and is
raised. ``_upload_blob_substream_blocks`` is the block blob variant for large blocks of a
seekable stream: each block is sent straight from its part of the stream.

A new blob type plugs in by subclassing :class:`_BlobChunkUploader` and implementing
``_upload_chunk`` (and ``_upload_substream_block`` if it uses substreams).
"""
import threading
import uuid
from io import SEEK_CUR, SEEK_END, SEEK_SET, IOBase, UnsupportedOperation

from azure.storage.common._error import _ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM
from azure.storage.common._serialization import _get_data_bytes_only, _len_plus

from ._async_io import _ProgressReporter, _process_data, _read_stream, _run_bounded, _validate_seekable_for_parallel
from ._constants import _LARGE_BLOB_UPLOAD_MAX_READ_BUFFER_SIZE
from ._error import _ERROR_COUNT_TOO_LARGE
from ._encryption import _get_blob_encryptor_and_padder
from .models import BlobBlock


async def _upload_blob_chunks(blob_service, container_name, blob_name, blob_size, block_size, stream,
                              max_connections, progress_callback, validate_content, lease_id, uploader_class,
                              maxsize_condition=None, if_modified_since=None, if_unmodified_since=None,
                              if_match=None, if_none_match=None, timeout=None, cpk=None,
                              content_encryption_key=None, initialization_vector=None, resource_properties=None,
                              append_start=0):
    """
    Upload ``stream`` (``blob_size`` bytes, or up to its end when None) in chunks of
    ``block_size`` with ``uploader_class``; return what each chunk's upload returned, in
    stream order (the BlobBlock list to commit, for block blobs).

    The access conditions only apply to a sequential upload: in parallel the order of the
    writes is not known, so they are dropped, as legacy did. ``append_start`` is the blob's
    length before an append upload.
    """
    parallel = max_connections > 1
    if parallel:
        _validate_seekable_for_parallel(stream)
    encryptor, padder = _get_blob_encryptor_and_padder(content_encryption_key, initialization_vector,
                                                       uploader_class is not _PageBlobChunkUploader)
    uploader = uploader_class(blob_service, container_name, blob_name, blob_size, block_size, stream, parallel,
                              progress_callback, validate_content, lease_id, timeout, encryptor, padder, cpk)
    uploader.maxsize_condition = maxsize_condition
    uploader.append_start = append_start
    if not parallel:
        uploader.if_match = if_match
        uploader.if_none_match = if_none_match
        uploader.if_modified_since = if_modified_since
        uploader.if_unmodified_since = if_unmodified_since

    await uploader.progress.add(0)
    chunks = uploader.get_chunk_streams()
    try:
        range_ids = await _run_bounded((uploader.process_chunk(chunk) async for chunk in chunks), max_connections)
    finally:
        await chunks.aclose()
    if resource_properties is not None and uploader.response_properties is not None:
        resource_properties.clone(uploader.response_properties)
    return range_ids


async def _upload_blob_substream_blocks(blob_service, container_name, blob_name, blob_size, block_size, stream,
                                        max_connections, progress_callback, validate_content, lease_id,
                                        uploader_class, maxsize_condition=None, if_match=None, timeout=None,
                                        cpk=None):
    """
    Upload the blocks of a seekable ``stream`` each straight from its own part of the stream
    (a :class:`_SubStream`), at most ``max_connections`` at a time; return the BlobBlock list.
    """
    _validate_seekable_for_parallel(stream)
    uploader = uploader_class(blob_service, container_name, blob_name, blob_size, block_size, stream,
                              max_connections > 1, progress_callback, validate_content, lease_id, timeout,
                              None, None, cpk)
    uploader.maxsize_condition = maxsize_condition
    uploader.if_match = if_match if max_connections <= 1 else None
    await uploader.progress.add(0)
    blocks = uploader.get_substream_blocks()
    return await _run_bounded((uploader.process_substream_block(block) for block in blocks), max_connections)


def _block_id(upload_id, index):
    """
    The id of block ``index`` of one upload: the upload's own random part, then the index.
    Blocks of two uploads of the same blob (concurrent, or a late block of an earlier one)
    never share an id, so neither can end up in the other's block list. Every id has the
    same length (42 characters; the service takes up to 64 before base64).
    """
    return '{}{:010d}'.format(upload_id, index)


class _BlobChunkUploader:
    """Reads the chunks of a stream and uploads them; subclasses know how, per blob type."""

    def __init__(self, blob_service, container_name, blob_name, blob_size, chunk_size, stream, parallel,
                 progress_callback, validate_content, lease_id, timeout, encryptor, padder, cpk):
        self.blob_service = blob_service
        self.container_name = container_name
        self.blob_name = blob_name
        self.blob_size = blob_size
        self.chunk_size = chunk_size
        self.stream = stream
        self.parallel = parallel
        self.stream_start = stream.tell() if parallel else None
        self.stream_lock = threading.Lock() if parallel else None
        self.progress_callback = progress_callback
        self.progress = _ProgressReporter(progress_callback, blob_size)
        self.validate_content = validate_content
        self.lease_id = lease_id
        self.timeout = timeout
        self.encryptor = encryptor
        self.padder = padder
        self.response_properties = None
        self.cpk = cpk
        self.upload_id = uuid.uuid4().hex
        self.maxsize_condition = None
        self.if_match = None
        self.if_none_match = None
        self.if_modified_since = None
        self.if_unmodified_since = None

    async def get_chunk_streams(self):
        """Yield ``(offset, bytes)`` chunks of the stream (encrypted when an encryptor is set)."""
        index = 0
        while True:
            # Pieces are joined once: a stream that returns short reads (a pipe, a socket)
            # would make adding them up one by one quadratic.
            pieces, length = [], 0
            while length < self.chunk_size:
                read_size = self.chunk_size - length
                if self.blob_size is not None:
                    read_size = min(read_size, self.blob_size - (index + length))
                    if read_size <= 0:
                        break
                piece = _get_data_bytes_only('chunk', await _read_stream(self.stream, read_size))
                if not piece:
                    if self.blob_size is not None:
                        # An unseekable stream shorter than count: nothing may be committed.
                        raise ValueError(_ERROR_COUNT_TOO_LARGE)
                    break
                pieces.append(piece)
                length += len(piece)
            data = b''.join(pieces)
            last = length < self.chunk_size
            if self.encryptor:
                data = await _process_data(self._transform, data, last)
            if data:
                yield index, data
            if last:
                return
            index += len(data)

    def _transform(self, data, last):
        """Pad and encrypt a chunk for client-side encryption; the last chunk finalises both."""
        if self.padder:
            data = self.padder.update(data) + (self.padder.finalize() if last else b'')
        if self.encryptor:
            data = self.encryptor.update(data) + (self.encryptor.finalize() if last else b'')
        return data

    async def process_chunk(self, chunk_data):
        chunk_offset, chunk_bytes = chunk_data
        return await self._upload_chunk_with_progress(chunk_offset, chunk_bytes)

    async def _upload_chunk_with_progress(self, chunk_offset, chunk_data):
        range_id = await self._upload_chunk(chunk_offset, chunk_data)
        await self.progress.add(len(chunk_data))
        return range_id

    async def _upload_chunk(self, chunk_offset, chunk_data):
        raise NotImplementedError

    async def _upload_substream_block(self, block_id, block_stream):
        raise NotImplementedError

    def get_substream_blocks(self):
        """Yield ``(block id, _SubStream)`` for each block of the stream, without reading it."""
        blob_length = self.blob_size
        if blob_length is None:
            blob_length = _len_plus(self.stream)
            if blob_length is None:
                raise ValueError(_ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM.format('stream'))
        start = self.stream.tell()
        blocks = -(-blob_length // self.chunk_size)
        for i in range(blocks):
            length = min(self.chunk_size, blob_length - i * self.chunk_size)
            yield (_block_id(self.upload_id, i),
                   _SubStream(self.stream, start + i * self.chunk_size, length, self.stream_lock))

    async def process_substream_block(self, block_data):
        block_id, block_stream = block_data
        range_id = await self._upload_substream_block(block_id, block_stream)
        await self.progress.add(len(block_stream))
        return range_id

    def set_response_properties(self, resp):
        self.response_properties = resp


class _BlockBlobChunkUploader(_BlobChunkUploader):
    """Each chunk is a block; the blocks are committed by the caller once all have landed."""

    async def _upload_chunk(self, chunk_offset, chunk_data):
        block_id = _block_id(self.upload_id, chunk_offset // self.chunk_size)
        await self.blob_service._put_block(self.container_name, self.blob_name, chunk_data, block_id,
                                           validate_content=self.validate_content, lease_id=self.lease_id,
                                           timeout=self.timeout, cpk=self.cpk)
        return BlobBlock(block_id)

    async def _upload_substream_block(self, block_id, block_stream):
        try:
            await self.blob_service._put_block(self.container_name, self.blob_name, block_stream, block_id,
                                               validate_content=self.validate_content, lease_id=self.lease_id,
                                               timeout=self.timeout, cpk=self.cpk)
        finally:
            block_stream.close()
        return BlobBlock(block_id)


class _PageBlobChunkUploader(_BlobChunkUploader):
    """Each chunk is a page write at its offset; chunks of zeros are skipped (pages read as zero)."""

    @staticmethod
    def _is_chunk_empty(chunk_data):
        return not any(chunk_data)

    async def _upload_chunk(self, chunk_offset, chunk_data):
        if self._is_chunk_empty(chunk_data):
            return None
        chunk_end = chunk_offset + len(chunk_data) - 1
        resp = await self.blob_service._update_page(self.container_name, self.blob_name, chunk_data, chunk_offset,
                                                    chunk_end, validate_content=self.validate_content,
                                                    lease_id=self.lease_id, if_match=self.if_match,
                                                    timeout=self.timeout, cpk=self.cpk, _in_new_blob=not self.parallel)
        if not self.parallel:
            self.if_match = resp.etag
        self.set_response_properties(resp)
        return None


class _AppendBlobChunkUploader(_BlobChunkUploader):
    """
    Each chunk is appended in order (append uploads are sequential), pinned to the offset it
    must land at (appendpos, from ``append_start``, the blob's length before the upload): a
    retried append whose answer was lost cannot land twice, and a concurrent writer fails the
    upload instead of interleaving with it. The first append also carries the caller's
    access conditions.
    """

    async def _upload_chunk(self, chunk_offset, chunk_data):
        conditions = {}
        if chunk_offset == 0:
            conditions = dict(if_modified_since=self.if_modified_since, if_unmodified_since=self.if_unmodified_since,
                              if_match=self.if_match, if_none_match=self.if_none_match)
        resp = await self.blob_service.append_block(
            self.container_name, self.blob_name, chunk_data, validate_content=self.validate_content,
            lease_id=self.lease_id, maxsize_condition=self.maxsize_condition,
            appendpos_condition=self.append_start + chunk_offset, timeout=self.timeout, cpk=self.cpk, **conditions)
        self.set_response_properties(resp)
        return None


class _SubStream(IOBase):
    """
    A read-only window of ``length`` bytes of a seekable stream, from ``stream_begin_index``.

    Several windows of one stream may be read at once (by the transport, possibly from worker
    threads): each read seeks the shared stream under ``lock`` and reads at most
    ``_LARGE_BLOB_UPLOAD_MAX_READ_BUFFER_SIZE`` bytes.
    """

    def __init__(self, wrapped_stream, stream_begin_index, length, lock):
        super().__init__()
        self._wrapped_stream = wrapped_stream
        self._stream_begin_index = stream_begin_index
        self._length = length
        self._position = 0
        self._lock = lock or threading.Lock()

    def __len__(self):
        return self._length

    def close(self):
        self._wrapped_stream = None
        super().close()

    def fileno(self):
        return self._wrapped_stream.fileno()

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=SEEK_SET):
        if whence == SEEK_SET:
            position = offset
        elif whence == SEEK_CUR:
            position = self._position + offset
        elif whence == SEEK_END:
            position = self._length + offset
        else:
            raise ValueError("Invalid argument for the 'whence' parameter.")
        self._position = max(0, min(position, self._length))
        return self._position

    def read(self, size=-1):
        if self.closed:
            raise ValueError('Stream is closed.')
        remaining = self._length - self._position
        if size is None or size < 0 or size > remaining:
            size = remaining
        size = min(size, _LARGE_BLOB_UPLOAD_MAX_READ_BUFFER_SIZE)
        if size <= 0:
            return b''
        with self._lock:
            absolute = self._stream_begin_index + self._position
            self._wrapped_stream.seek(absolute, SEEK_SET)
            if self._wrapped_stream.tell() != absolute:
                raise OSError('Stream failed to seek to the desired location.')
            data = self._wrapped_stream.read(size)
        self._position += len(data)
        return data

    def readinto(self, b):
        raise UnsupportedOperation

    def write(self, b):
        raise UnsupportedOperation

    def writable(self):
        return False
