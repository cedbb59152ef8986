"""Queue writes whose answer is lost: the request was applied, the connection reset before the response.

Put Message has no condition that would make a retry safe: a retried put may deliver the
message twice (at-least-once, as the service documents; the README says so). The other
writes retried after a lost answer either succeed or say that the first attempt may have landed.
"""
import pytest
from azure.common import AzureMissingResourceHttpError

pytestmark = pytest.mark.emulator_only


async def test_put_retried_after_a_lost_answer_is_delivered_at_least_once(fault_proxy, proxied, queue_service,
                                                                          queue_name):
    fault_proxy.inject('lose')
    message = await proxied.put_message(queue_name, 'hello')
    assert message.content == 'hello'
    contents = [m.content for m in await queue_service.peek_messages(queue_name, num_messages=32)]
    assert contents == ['hello', 'hello']  # the documented at-least-once outcome


async def test_delete_message_retried_after_a_lost_answer(fault_proxy, proxied, queue_service, queue_name):
    await queue_service.put_message(queue_name, 'hello')
    message = (await queue_service.get_messages(queue_name))[0]
    fault_proxy.inject('lose')
    # The first attempt deleted it: the retry finds it gone (documented in the README).
    with pytest.raises(AzureMissingResourceHttpError):
        await proxied.delete_message(queue_name, message.id, message.pop_receipt)
    assert await queue_service.peek_messages(queue_name) == []


async def test_clear_messages_retried_after_a_lost_answer_succeeds(fault_proxy, proxied, queue_service, queue_name):
    await queue_service.put_message(queue_name, 'hello')
    fault_proxy.inject('lose')
    await proxied.clear_messages(queue_name)
    assert await queue_service.peek_messages(queue_name) == []
