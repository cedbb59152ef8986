"""Work handed to a worker thread (common/_threads.py): never outlived by a cancelled caller."""
import asyncio
import threading

import pytest

from azure.storage.common._threads import _in_thread


class Blocked:
    """A function that runs in its thread until the test releases it, and says whether it is still running."""

    def __init__(self):
        self.started = threading.Event()
        self.release = threading.Event()
        self.running = False

    def __call__(self, answer):
        self.running = True
        self.started.set()
        try:
            self.release.wait(30)
            return answer
        finally:
            self.running = False


async def cancel_while_running(blocked, call, times):
    """Cancel ``call`` ``times`` times while ``blocked`` runs; check it waits for it each time."""
    task = asyncio.ensure_future(call)
    try:
        assert await asyncio.to_thread(blocked.started.wait, 30)
        for _ in range(times):
            task.cancel()
            done, _ = await asyncio.wait([task], timeout=0.1)
            assert not done
    finally:
        blocked.release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not blocked.running


async def test_the_answer_of_the_thread_is_returned():
    blocked = Blocked()
    blocked.release.set()
    assert await _in_thread(blocked, 'answer') == 'answer'


@pytest.mark.parametrize('times', [1, 3])
async def test_a_cancelled_caller_returns_only_after_the_thread(times):
    blocked = Blocked()
    await cancel_while_running(blocked, _in_thread(blocked, 'x'), times)


async def test_what_a_cancelled_caller_acquired_is_undone_before_the_cancellation_goes_on():
    blocked = Blocked()
    undone = []
    await cancel_while_running(blocked, _in_thread(blocked, 'opened file', undo=undone.append), 2)
    assert undone == ['opened file']


async def test_nothing_is_undone_when_the_work_failed_or_was_not_cancelled():
    undone = []
    assert await _in_thread(str.upper, 'kept', undo=undone.append) == 'KEPT'

    def fail(blocked):
        blocked('x')
        raise OSError('no such file')

    blocked = Blocked()
    await cancel_while_running(blocked, _in_thread(fail, blocked, undo=undone.append), 1)
    assert undone == []
