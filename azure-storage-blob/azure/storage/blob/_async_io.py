"""
What the chunked transfers share: a bounded runner for concurrent chunk requests, and stream
reads, writes and hashes that keep slow disks and large buffers off the event loop.
"""
import asyncio
import os
from contextlib import asynccontextmanager
from io import UnsupportedOperation

from azure.storage.common._common_conversion import _get_content_md5, _invoke_callback
from azure.storage.common._error import _ERROR_PARALLEL_NOT_SEEKABLE

# Hashing or encrypting more than this on the loop would stall it noticeably: use a thread.
_ON_LOOP_LIMIT = 1024 * 1024


def _is_file_backed(stream):
    """Whether reads and writes of ``stream`` may block on a disk, pipe or socket."""
    try:
        stream.fileno()
    except (AttributeError, OSError, UnsupportedOperation, ValueError):
        return False
    return True


async def _read_stream(stream, size):
    """``stream.read(size)``, in a worker thread when the stream is backed by a file."""
    if _is_file_backed(stream):
        return await asyncio.to_thread(stream.read, size)
    return stream.read(size)


async def _file_size(file_path):
    """The size of a file, asked for in a worker thread: a network disk may be slow to answer."""
    return await asyncio.to_thread(os.path.getsize, file_path)


@asynccontextmanager
async def _open_file(file_path, mode):
    """A file opened and closed in a worker thread: both may block on a slow disk."""
    stream = await asyncio.to_thread(open, file_path, mode)
    try:
        yield stream
    finally:
        await asyncio.to_thread(stream.close)


async def _write_stream(stream, data, offset=None):
    """Write ``data`` at the current position, or at ``offset`` when given (seek first)."""
    def write():
        if offset is not None:
            stream.seek(offset)
        stream.write(data)

    if _is_file_backed(stream):
        await asyncio.to_thread(write)
    else:
        write()


async def _process_data(function, data, *args):
    """``function(data, *args)`` for CPU-bound work: in a thread unless ``data`` is small bytes."""
    if isinstance(data, bytes) and len(data) <= _ON_LOOP_LIMIT:
        return function(data, *args)
    return await asyncio.to_thread(function, data, *args)


async def _content_md5(data):
    """The base64 MD5 of bytes or of a seekable stream (read from its position and rewound)."""
    return await _process_data(_get_content_md5, data)


def _validate_seekable_for_parallel(stream):
    """
    Parallel chunking reads or writes a stream at offsets, so the stream must tell and seek:
    fail with the legacy error, before any request, when it cannot.
    """
    try:
        seekable = stream.seekable() if hasattr(stream, 'seekable') else True
        if seekable:
            stream.seek(stream.tell())
    except (AttributeError, OSError, UnsupportedOperation, ValueError):
        seekable = False
    if not seekable:
        raise ValueError(_ERROR_PARALLEL_NOT_SEEKABLE)


class _ProgressReporter:
    """
    Adds up the bytes the chunks of one transfer moved and reports ``(current, total)`` to
    the caller's callback (plain or coroutine function). Concurrent chunks report one at a
    time, so the caller sees ``current`` grow.
    """

    def __init__(self, callback, total, current=0):
        self.callback = callback
        self.total = total
        self.current = current
        self._lock = asyncio.Lock()

    async def add(self, length):
        if self.callback is None:
            return
        async with self._lock:
            self.current += length
            await _invoke_callback(self.callback, self.current, self.total)


async def _run_bounded(jobs, max_connections):
    """
    Run the awaitables ``jobs`` yields (a plain or an async iterator) as tasks, at most
    ``max_connections`` at a time, and return their results in the order they were yielded.

    The next job is only pulled from ``jobs`` when a slot is free, so a job that holds data
    (a chunk read from a stream) is not made before it can start. The first failure cancels
    the jobs still running and is raised once they have ended; so is a cancellation of the
    caller. ``jobs`` is closed on the way out when it is an async generator.
    """
    is_async = hasattr(jobs, '__anext__')
    results = []
    running = {}
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < max(1, max_connections):
                try:
                    job = await jobs.__anext__() if is_async else next(jobs)
                except (StopIteration, StopAsyncIteration):
                    exhausted = True
                    break
                running[asyncio.ensure_future(job)] = len(results)
                results.append(None)
            if not running:
                return results
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[running.pop(task)] = task.result()
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        if hasattr(jobs, 'aclose'):
            await jobs.aclose()
