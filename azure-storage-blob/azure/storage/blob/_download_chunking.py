"""
Chunked downloads: the ranges after the first GET of get_blob_to_stream.

Each range is one ranged GET, run as an asyncio task with at most ``max_connections`` in
flight, and written into the destination stream as soon as it arrives: at its own offset in
parallel (the stream must seek), in order when sequential. Only the ranges in flight are in
memory. Every range after the first is pinned to the ETag the first GET saw (If-Match), so a
blob that changes midway fails the download instead of mixing versions.

A blob type whose ranges need special reading (e.g. skipping empty pages) plugs in by
subclassing a downloader and overriding ``_download_chunk``.
"""
import asyncio

from ._async_io import _ProgressReporter, _run_bounded, _write_stream


async def _download_blob_chunks(blob_service, container_name, blob_name, snapshot, download_size, block_size,
                                progress, start_range, end_range, stream, max_connections, progress_callback,
                                validate_content, lease_id, if_modified_since, if_unmodified_since, if_match,
                                if_none_match, timeout, operation_context, cpk):
    """
    Download bytes ``start_range`` (inclusive) to ``end_range`` (exclusive) of the blob in
    ranges of ``block_size`` into ``stream``; ``progress`` bytes were already reported out
    of ``download_size``.
    """
    downloader_class = _ParallelBlobChunkDownloader if max_connections > 1 else _SequentialBlobChunkDownloader
    downloader = downloader_class(blob_service, container_name, blob_name, snapshot, download_size, block_size,
                                  progress, start_range, end_range, stream, progress_callback, validate_content,
                                  lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match,
                                  timeout, operation_context, cpk)
    await _run_bounded((downloader.process_chunk(offset) for offset in downloader.get_chunk_offsets()),
                       max_connections)


class _BlobChunkDownloader:
    """Fetches the ranges of a blob; subclasses decide how they reach the stream."""

    def __init__(self, blob_service, container_name, blob_name, snapshot, download_size, chunk_size, progress,
                 start_range, end_range, stream, progress_callback, validate_content, lease_id, if_modified_since,
                 if_unmodified_since, if_match, if_none_match, timeout, operation_context, cpk):
        self.blob_service = blob_service
        self.container_name = container_name
        self.blob_name = blob_name
        self.snapshot = snapshot
        self.chunk_size = chunk_size
        self.download_size = download_size
        self.start_index = start_range
        self.blob_end = end_range
        self.stream = stream
        self.progress_callback = progress_callback
        self.progress = _ProgressReporter(progress_callback, download_size, progress)
        self.timeout = timeout
        self.operation_context = operation_context
        self.validate_content = validate_content
        self.lease_id = lease_id
        self.if_modified_since = if_modified_since
        self.if_unmodified_since = if_unmodified_since
        self.if_match = if_match
        self.if_none_match = if_none_match
        self.cpk = cpk

    def get_chunk_offsets(self):
        index = self.start_index
        while index < self.blob_end:
            yield index
            index += self.chunk_size

    async def process_chunk(self, chunk_start):
        chunk_end = min(chunk_start + self.chunk_size, self.blob_end)
        chunk_data = (await self._download_chunk(chunk_start, chunk_end)).content
        length = chunk_end - chunk_start
        if length > 0:
            await self._write_to_stream(chunk_data, chunk_start)
            await self.progress.add(length)

    async def _write_to_stream(self, chunk_data, chunk_start):
        raise NotImplementedError

    async def _download_chunk(self, chunk_start, chunk_end):
        response = await self.blob_service._get_blob(
            self.container_name, self.blob_name, snapshot=self.snapshot, start_range=chunk_start,
            end_range=chunk_end - 1, validate_content=self.validate_content, lease_id=self.lease_id,
            if_modified_since=self.if_modified_since, if_unmodified_since=self.if_unmodified_since,
            if_match=self.if_match, if_none_match=self.if_none_match, timeout=self.timeout,
            _context=self.operation_context, cpk=self.cpk)
        self.if_match = response.properties.etag
        return response


class _ParallelBlobChunkDownloader(_BlobChunkDownloader):
    """Writes each range at its own offset of a seekable stream, in whatever order they arrive."""

    def __init__(self, *args):
        super().__init__(*args)
        self.stream_start = self.stream.tell()
        self.stream_lock = asyncio.Lock()

    async def _write_to_stream(self, chunk_data, chunk_start):
        async with self.stream_lock:
            await _write_stream(self.stream, chunk_data, self.stream_start + (chunk_start - self.start_index))


class _SequentialBlobChunkDownloader(_BlobChunkDownloader):
    """Appends the ranges in order; the stream need not seek."""

    async def _write_to_stream(self, chunk_data, chunk_start):
        await _write_stream(self.stream, chunk_data)
