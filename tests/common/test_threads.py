"""Work handed to a worker thread (common/_threads.py): never outlived by a cancelled caller."""
import pytest

from azure.storage.common._threads import _in_thread

from testkit import Gate, cancel_at_the_gate


def through(gate, answer):
    gate.wait()
    return answer


async def test_the_answer_of_the_thread_is_returned():
    gate = Gate()
    gate.opened.set()
    assert await _in_thread(through, gate, 'answer') == 'answer'


@pytest.mark.parametrize('times', [1, 3])
async def test_a_cancelled_caller_returns_only_after_the_thread(times):
    gate = Gate()
    await cancel_at_the_gate(gate, _in_thread(through, gate, 'x'), times)


async def test_what_a_cancelled_caller_acquired_is_undone_before_the_cancellation_goes_on():
    gate = Gate()
    undone = []
    await cancel_at_the_gate(gate, _in_thread(through, gate, 'opened file', undo=undone.append), times=2)
    assert undone == ['opened file']


async def test_nothing_is_undone_when_the_work_failed_or_was_not_cancelled():
    undone = []
    assert await _in_thread(str.upper, 'kept', undo=undone.append) == 'KEPT'

    def fail(gate):
        gate.wait()
        raise OSError('no such file')

    gate = Gate()
    await cancel_at_the_gate(gate, _in_thread(fail, gate, undo=undone.append))
    assert undone == []
