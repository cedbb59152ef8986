"""
What the chunked transfers share: a bounded runner for concurrent chunk requests, and stream
reads, writes and hashes that keep slow disks and large buffers off the event loop.
"""
import asyncio
import os
import shutil
import uuid
from contextlib import asynccontextmanager
from io import UnsupportedOperation

from azure.storage.common._common_conversion import _get_content_md5, _invoke_callback
from azure.storage.common._error import _ERROR_PARALLEL_NOT_SEEKABLE
from azure.storage.common._serialization import _len_plus
from azure.storage.common._threads import _in_thread, _is_file_backed

from ._error import _ERROR_COUNT_TOO_LARGE

# Hashing or encrypting more than this on the loop would stall it noticeably: use a thread.
_ON_LOOP_LIMIT = 1024 * 1024


async def _read_stream(stream, size):
    """``stream.read(size)``, in a worker thread when the stream is backed by a file."""
    if _is_file_backed(stream):
        return await _in_thread(stream.read, size)
    return stream.read(size)


async def _file_size(file_path):
    """The size of a file, asked for in a worker thread: a network disk may be slow to answer."""
    return await _in_thread(os.path.getsize, file_path)


class _FileSlots:
    """
    Bounds how many files the path transfers of one service hold open at once: a file is
    opened only when its transfer gets a slot, so any number of concurrent calls stay within
    the process's open-file limit. A semaphore belongs to one event loop; a service reused
    under a new loop gets a new one.
    """

    def __init__(self):
        self._loop = None
        self._semaphore = None

    def get(self, limit):
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._semaphore = loop, asyncio.Semaphore(max(1, limit))
        return self._semaphore


@asynccontextmanager
async def _open_file(file_path, mode, slots):
    """A file opened and closed in a worker thread (both may block on a slow disk), once a slot is free."""
    async with slots:
        stream = await _in_thread(open, file_path, mode, undo=lambda opened: opened.close())
        try:
            yield stream
        finally:
            await _in_thread(stream.close)


def _replaceable_path(file_path):
    """
    The path a download to ``file_path`` may replace atomically: the file itself, or the file
    a symlink leads to (the link stays a link); None when that is not a regular file (a
    device, a pipe, ``/dev/null``), which must be written into, never replaced.
    """
    target = os.path.realpath(file_path)
    if os.path.exists(target) and not os.path.isfile(target):
        return None
    return target


def _temporary_file_next_to(file_path):
    """
    A new, empty file in the directory of ``file_path``, opened for writing, with the mode
    ``open(file_path, 'wb')`` would have left: the file's own when it exists, else the umask's.
    """
    folder, name = os.path.split(os.path.abspath(file_path))
    temp_path = os.path.join(folder, '.{}.{}.part'.format(name, uuid.uuid4().hex[:12]))
    handle = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_BINARY', 0), 0o666)
    stream = open(handle, 'wb', closefd=True)
    try:
        try:
            shutil.copymode(file_path, temp_path)
        except FileNotFoundError:
            pass
    except BaseException:
        _discard_file(stream, temp_path)
        raise
    return stream, temp_path


def _commit_file(stream, temp_path, file_path):
    """Flush and fsync ``stream``, close it, then rename it over ``file_path`` (atomic on one file system)."""
    try:
        stream.flush()
        os.fsync(stream.fileno())
    finally:
        stream.close()
    os.replace(temp_path, file_path)


def _discard_file(stream, temp_path):
    stream.close()
    try:
        os.remove(temp_path)
    except FileNotFoundError:
        pass


@asynccontextmanager
async def _atomic_file(file_path, slots):
    """
    A temporary file in the directory of ``file_path`` that replaces ``file_path`` only when
    the block inside ends without an error: an existing file is never seen half written,
    and a failed or cancelled download leaves it as it was, with no temporary file behind.
    """
    async with slots:
        stream, temp_path = await _in_thread(_temporary_file_next_to, file_path,
                                             undo=lambda opened: _discard_file(*opened))
        try:
            yield stream
            await _in_thread(_commit_file, stream, temp_path, file_path)
        except BaseException:
            await _in_thread(_discard_file, stream, temp_path)
            raise


async def _write_stream(stream, data, offset=None):
    """Write ``data`` at the current position, or at ``offset`` when given (seek first)."""
    def write():
        if offset is not None:
            stream.seek(offset)
        stream.write(data)

    if _is_file_backed(stream):
        await _in_thread(write)
    else:
        write()


async def _process_data(function, data, *args):
    """``function(data, *args)`` for CPU-bound work: in a thread unless ``data`` is small bytes."""
    if isinstance(data, bytes) and len(data) <= _ON_LOOP_LIMIT:
        return function(data, *args)
    return await _in_thread(function, data, *args)


async def _content_md5(data):
    """The base64 MD5 of bytes or of a seekable stream (read from its position and rewound)."""
    return await _process_data(_get_content_md5, data)


def _validate_count_within(stream, count):
    """
    Fail before any request when ``count`` is more than a seekable stream holds from its
    position: the upload would store less than declared (or pad it with zeros).
    """
    if count is None:
        return
    remaining = _len_plus(stream)
    if remaining is not None and count > remaining:
        raise ValueError(_ERROR_COUNT_TOO_LARGE)


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
