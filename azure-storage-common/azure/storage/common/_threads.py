"""Work handed to a worker thread, never outlived by the call that started it."""
import asyncio
from io import BytesIO, UnsupportedOperation


def _is_file_backed(stream):
    """Whether reads and writes of ``stream`` may block on a disk, pipe or socket (and so go to a thread)."""
    if type(stream) is BytesIO:
        # The buffers of the *_bytes calls: answered without raising UnsupportedOperation.
        return False
    try:
        stream.fileno()
    except (AttributeError, OSError, UnsupportedOperation, ValueError):
        return False
    return True


async def _in_thread(function, *args, undo=None):
    """
    ``function(*args)`` in a worker thread, awaited to its end even when the caller is
    cancelled, as many times as it is: the thread holds the caller's stream or file, and a
    call must not return (cancelled or not) while something it started still moves it.

    :param undo: for work that acquires something (opens a file): called in a thread with
        what ``function`` returned when the caller was cancelled while it ran, so nothing
        stays open behind the cancellation.
    """
    work = asyncio.ensure_future(asyncio.to_thread(function, *args))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        while not work.done():
            try:
                await asyncio.wait([work])
            except asyncio.CancelledError:
                pass
        if undo is not None and not work.cancelled() and work.exception() is None:
            await _in_thread(undo, work.result())
        raise
