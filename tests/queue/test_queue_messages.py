"""Messages against the service: put, get, peek, update, delete, clear, encodings, concurrency."""
import asyncio
import base64
import os
import time
from datetime import timedelta

import pytest
from azure.common import AzureException, AzureHttpError, AzureMissingResourceHttpError
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap

from azure.storage.queue import QueueMessage, QueueMessageFormat
from testkit import AsyncKeyWrapper

Format = QueueMessageFormat


async def wait_for_messages(service, queue_name, deadline_seconds=6, **kwargs):
    """Get messages, polling until some are visible (visibility times have 1 s resolution)."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        messages = await service.get_messages(queue_name, **kwargs)
        if messages or time.monotonic() > deadline:
            return messages
        await asyncio.sleep(0.25)


async def test_put_get_delete(queue_service, queue_name):
    put = await queue_service.put_message(queue_name, 'hello')
    assert isinstance(put, QueueMessage)
    assert put.id and put.pop_receipt
    assert put.content == 'hello'
    assert put.insertion_time and put.time_next_visible
    assert put.expiration_time - put.insertion_time == timedelta(days=7)
    assert put.dequeue_count is None

    [got] = await queue_service.get_messages(queue_name)
    assert (got.id, got.content, got.dequeue_count) == (put.id, 'hello', 1)
    assert got.pop_receipt and got.time_next_visible > got.insertion_time
    assert got.insertion_time == put.insertion_time

    await queue_service.delete_message(queue_name, got.id, got.pop_receipt)
    assert await queue_service.peek_messages(queue_name) == []
    assert (await queue_service.get_queue_metadata(queue_name)).approximate_message_count == 0


async def test_time_to_live(queue_service, queue_name):
    forever = await queue_service.put_message(queue_name, 'forever', time_to_live=-1)
    assert forever.expiration_time.year == 9999
    brief = await queue_service.put_message(queue_name, 'brief', time_to_live=60)
    assert brief.expiration_time - brief.insertion_time == timedelta(seconds=60)


async def test_put_with_visibility_timeout_hides_the_message_at_first(queue_service, queue_name):
    put = await queue_service.put_message(queue_name, 'later', visibility_timeout=1)
    assert put.time_next_visible > put.insertion_time
    assert await queue_service.peek_messages(queue_name) == []
    [got] = await wait_for_messages(queue_service, queue_name)
    assert got.id == put.id and got.dequeue_count == 1


async def test_visibility_timeout_hides_then_returns_with_higher_dequeue_count(queue_service, queue_name):
    await queue_service.put_message(queue_name, 'work')
    [first] = await queue_service.get_messages(queue_name, visibility_timeout=1)
    assert first.dequeue_count == 1
    assert await queue_service.get_messages(queue_name) == []
    assert await queue_service.peek_messages(queue_name) == []

    [again] = await wait_for_messages(queue_service, queue_name, visibility_timeout=1)
    assert again.id == first.id
    assert again.dequeue_count == 2
    assert again.pop_receipt != first.pop_receipt


async def test_peek_does_not_dequeue(queue_service, queue_name):
    for index in range(3):
        await queue_service.put_message(queue_name, 'm{}'.format(index))
    peeked = await queue_service.peek_messages(queue_name, num_messages=5)
    assert [message.content for message in peeked] == ['m0', 'm1', 'm2']
    assert all(message.pop_receipt is None and message.time_next_visible is None for message in peeked)
    assert all(message.dequeue_count == 0 for message in peeked)
    [single] = await queue_service.peek_messages(queue_name)
    assert single.content == 'm0'
    got = await queue_service.get_messages(queue_name, num_messages=3)
    assert [message.dequeue_count for message in got] == [1, 1, 1]


async def test_get_at_most_32_per_call(queue_service, queue_name):
    await asyncio.gather(*(queue_service.put_message(queue_name, str(index)) for index in range(40)))
    got = await queue_service.get_messages(queue_name, num_messages=32)
    assert len(got) == 32
    assert len(await queue_service.get_messages(queue_name, num_messages='32')) == 8


async def test_update_message_changes_content_and_pop_receipt(queue_service, queue_name):
    await queue_service.put_message(queue_name, 'draft')
    [got] = await queue_service.get_messages(queue_name)

    updated = await queue_service.update_message(queue_name, got.id, got.pop_receipt, 0, content='final <&>')
    assert updated.pop_receipt and updated.pop_receipt != got.pop_receipt
    assert updated.time_next_visible is not None
    assert (updated.id, updated.content) == (got.id, 'final <&>')

    [peeked] = await queue_service.peek_messages(queue_name)
    assert (peeked.id, peeked.content) == (got.id, 'final <&>')

    # A stale pop receipt fails as the legacy SDK reported it: the service's 400.
    with pytest.raises(AzureHttpError) as info:
        await queue_service.delete_message(queue_name, got.id, got.pop_receipt)
    assert info.value.status_code == 400
    assert info.value.error_code == 'PopReceiptMismatch'
    with pytest.raises(AzureHttpError) as info:
        await queue_service.update_message(queue_name, got.id, got.pop_receipt, 0)
    assert info.value.status_code == 400

    await queue_service.delete_message(queue_name, got.id, updated.pop_receipt)
    assert await queue_service.peek_messages(queue_name) == []


async def test_update_visibility_only_keeps_content(queue_service, queue_name):
    await queue_service.put_message(queue_name, 'keep me')
    [got] = await queue_service.get_messages(queue_name, visibility_timeout=30)
    updated = await queue_service.update_message(queue_name, got.id, got.pop_receipt, 0)
    assert updated.content is None
    [again] = await queue_service.get_messages(queue_name)
    assert (again.id, again.content, again.dequeue_count) == (got.id, 'keep me', 2)
    await queue_service.update_message(queue_name, again.id, again.pop_receipt, 60)
    assert await queue_service.peek_messages(queue_name) == []


async def test_delete_missing_message(queue_service, queue_name):
    put = await queue_service.put_message(queue_name, 'x')
    await queue_service.delete_message(queue_name, put.id, put.pop_receipt)
    with pytest.raises(AzureMissingResourceHttpError):
        await queue_service.delete_message(queue_name, put.id, put.pop_receipt)


async def test_clear_messages(queue_service, queue_name):
    for index in range(5):
        await queue_service.put_message(queue_name, str(index))
    await queue_service.clear_messages(queue_name)
    assert await queue_service.peek_messages(queue_name, 32) == []
    assert (await queue_service.get_queue_metadata(queue_name)).approximate_message_count == 0


async def test_messages_of_a_missing_queue(queue_service, unique_name):
    with pytest.raises(AzureMissingResourceHttpError) as info:
        await queue_service.put_message(unique_name('missing'), 'x')
    assert info.value.error_code == 'QueueNotFound'


async def test_oversized_message_is_a_clear_service_error(queue_service, queue_name):
    await queue_service.put_message(queue_name, 'x' * 65536)  # 64 KiB encoded is the limit
    with pytest.raises(AzureHttpError) as info:
        await queue_service.put_message(queue_name, 'x' * 65537)
    # Azurite refuses the body (413 RequestBodyTooLarge); Azure documents 400 MessageTooLarge.
    assert (info.value.status_code, info.value.error_code) in ((413, 'RequestBodyTooLarge'), (400, 'MessageTooLarge'))
    assert info.value.error_code in str(info.value)


# -- encodings ----------------------------------------------------------------------------

TEXT = 'Zoë <b class="x">&amp;</b> \'quoted\' 日本語 😀 tab\t end '

ENCODINGS = [
    pytest.param(Format.text_xmlencode, Format.text_xmldecode, TEXT, id='xml'),
    pytest.param(Format.text_base64encode, Format.text_base64decode, TEXT + '\r\n\x00', id='text-base64'),
    pytest.param(Format.binary_base64encode, Format.binary_base64decode, bytes(range(256)), id='binary-base64'),
    # Without an encoder the XML body still escapes the markup once, and the service unescapes it.
    pytest.param(Format.noencode, Format.nodecode, TEXT, id='none'),
]


@pytest.mark.parametrize('encode, decode, content', ENCODINGS)
async def test_content_round_trips_under_each_encoding(queue_service, queue_name, encode, decode, content):
    queue_service.encode_function, queue_service.decode_function = encode, decode
    put = await queue_service.put_message(queue_name, content)
    assert put.content == content
    [peeked] = await queue_service.peek_messages(queue_name)
    assert peeked.content == content
    [got] = await queue_service.get_messages(queue_name)
    assert got.content == content
    updated_content = content[::-1]
    await queue_service.update_message(queue_name, got.id, got.pop_receipt, 0, updated_content)
    [got] = await queue_service.get_messages(queue_name)
    assert got.content == updated_content


async def test_base64_interoperates_with_other_sdks(queue_service, queue_name):
    """What other SDKs put (plain base64 text) reads back; what we put is plain base64."""
    queue_service.encode_function = Format.noencode
    await queue_service.put_message(queue_name, base64.b64encode('from another SDK é'.encode()).decode())
    queue_service.encode_function = Format.text_base64encode
    await queue_service.put_message(queue_name, 'from us é')

    queue_service.decode_function = Format.nodecode
    raw = [message.content for message in await queue_service.peek_messages(queue_name, 2)]
    assert raw[1] == base64.b64encode('from us é'.encode()).decode()
    queue_service.decode_function = Format.text_base64decode
    assert [message.content for message in await queue_service.peek_messages(queue_name, 2)] == [
        'from another SDK é', 'from us é']


async def test_default_xml_encoding_matches_legacy_on_the_wire(queue_service, queue_name):
    await queue_service.put_message(queue_name, 'a<b&c')
    queue_service.decode_function = Format.nodecode
    [raw] = await queue_service.peek_messages(queue_name)
    assert raw.content == 'a&lt;b&amp;c'


async def test_decode_failure_is_raised_without_retrying_the_get(queue_service, queue_name):
    queue_service.encode_function = Format.noencode
    await queue_service.put_message(queue_name, 'not base64!!')
    queue_service.decode_function = Format.text_base64decode
    requests = []
    queue_service.request_callback = lambda request: requests.append(request.method)
    with pytest.raises(AzureException, match='not a valid base64'):
        await queue_service.get_messages(queue_name)
    assert requests == ['GET']  # a retry would dequeue more messages


# -- client-side encryption ---------------------------------------------------------------

class KeyWrapper:
    def __init__(self, kid):
        self.kid = kid
        self.key = os.urandom(32)

    def wrap_key(self, key):
        return aes_key_wrap(self.key, key)

    def unwrap_key(self, key, algorithm):
        return aes_key_unwrap(self.key, key)

    def get_key_wrap_algorithm(self):
        return 'A256KW'

    def get_kid(self):
        return self.kid


async def test_encrypted_messages(queue_service, queue_name, make_service, connection_string):
    kek = KeyWrapper('key1')
    queue_service.key_encryption_key = kek
    queue_service.require_encryption = True
    put = await queue_service.put_message(queue_name, 'top <secret>')
    assert put.content == 'top <secret>'

    async with make_service(connection_string=connection_string) as plain:
        [stored] = await plain.peek_messages(queue_name)
    assert 'secret' not in stored.content
    assert '"EncryptedMessageContents"' in stored.content

    [got] = await queue_service.get_messages(queue_name)
    assert got.content == 'top <secret>'
    await queue_service.update_message(queue_name, got.id, got.pop_receipt, 0, 'new secret')

    queue_service.key_encryption_key = None
    queue_service.key_resolver_function = {'key1': kek}.get
    [peeked] = await queue_service.peek_messages(queue_name)
    assert peeked.content == 'new secret'


async def test_coroutine_key_hooks_are_awaited(queue_service, queue_name, make_service, connection_string):
    # A key held in a key vault is only reachable asynchronously.
    kek = AsyncKeyWrapper('vault-key')
    queue_service.key_encryption_key = kek
    await queue_service.put_message(queue_name, 'first <secret>')
    assert kek.calls == ['get_kid', 'wrap_key', 'get_key_wrap_algorithm']

    kek.calls.clear()
    [peeked] = await queue_service.peek_messages(queue_name)
    [got] = await queue_service.get_messages(queue_name)
    assert peeked.content == got.content == 'first <secret>'
    assert kek.calls == ['get_kid', 'unwrap_key'] * 2
    await queue_service.update_message(queue_name, got.id, got.pop_receipt, 0, 'second secret')

    async with make_service(connection_string=connection_string) as plain:
        [stored] = await plain.peek_messages(queue_name)
    assert 'secret' not in stored.content and '"EncryptedMessageContents"' in stored.content
    queue_service.key_encryption_key = None
    queue_service.key_resolver_function = kek.resolver()
    kek.calls.clear()
    [peeked] = await queue_service.peek_messages(queue_name)
    assert peeked.content == 'second secret'
    assert kek.calls == ['resolve', 'get_kid', 'unwrap_key']


async def test_require_encryption_refuses_plain_messages(queue_service, queue_name):
    await queue_service.put_message(queue_name, 'plain')
    queue_service.key_encryption_key = KeyWrapper('key1')
    assert (await queue_service.peek_messages(queue_name))[0].content == 'plain'
    queue_service.require_encryption = True
    with pytest.raises(AzureException, match='not encrypted'):
        await queue_service.peek_messages(queue_name)


async def test_wrong_key_fails_decryption(queue_service, queue_name):
    queue_service.key_encryption_key = KeyWrapper('key1')
    await queue_service.put_message(queue_name, 'secret')
    queue_service.key_encryption_key = KeyWrapper('key2')
    with pytest.raises(AzureException, match='Decryption failed'):
        await queue_service.peek_messages(queue_name)


async def test_encryption_required_without_key_is_rejected_before_any_request(offline_service):
    offline_service.require_encryption = True
    with pytest.raises(ValueError, match='Encryption required'):
        await offline_service.put_message('queue', 'x')
    with pytest.raises(ValueError, match='Encryption required'):
        await offline_service.update_message('queue', 'id', 'receipt', 0, 'x')
    with pytest.raises(ValueError, match='Decryption required'):
        await offline_service.get_messages('queue')
    with pytest.raises(ValueError, match='Decryption required'):
        await offline_service.peek_messages('queue')


# -- input validated before any request ---------------------------------------------------

@pytest.mark.parametrize('call, error, match', [
    (lambda svc: svc.put_message(None, 'x'), ValueError, 'queue_name'),
    (lambda svc: svc.put_message('q', None), ValueError, 'content'),
    (lambda svc: svc.put_message('q', b'bytes'), TypeError, 'str'),
    (lambda svc: svc.get_messages(None), ValueError, 'queue_name'),
    (lambda svc: svc.get_messages('q', num_messages=0), ValueError, 'num_messages'),
    (lambda svc: svc.get_messages('q', num_messages=33), ValueError, 'num_messages'),
    (lambda svc: svc.peek_messages(None), ValueError, 'queue_name'),
    (lambda svc: svc.peek_messages('q', num_messages=40), ValueError, 'num_messages'),
    (lambda svc: svc.delete_message(None, 'id', 'receipt'), ValueError, 'queue_name'),
    (lambda svc: svc.delete_message('q', None, 'receipt'), ValueError, 'message_id'),
    (lambda svc: svc.delete_message('q', 'id', None), ValueError, 'pop_receipt'),
    (lambda svc: svc.clear_messages(None), ValueError, 'queue_name'),
    (lambda svc: svc.update_message(None, 'id', 'receipt', 0), ValueError, 'queue_name'),
    (lambda svc: svc.update_message('q', None, 'receipt', 0), ValueError, 'message_id'),
    (lambda svc: svc.update_message('q', 'id', None, 0), ValueError, 'pop_receipt'),
    (lambda svc: svc.update_message('q', 'id', 'receipt', None), ValueError, 'visibility_timeout'),
    (lambda svc: svc.update_message('q', 'id', 'receipt', 0, content=5), TypeError, 'str'),
])
async def test_bad_input_is_rejected_before_any_request(offline_service, call, error, match):
    with pytest.raises(error, match=match):
        await call(offline_service)


async def test_content_type_follows_the_encoder(offline_service):
    offline_service.encode_function = Format.binary_base64encode
    with pytest.raises(TypeError, match='bytes'):
        await offline_service.put_message('q', 'text')


# -- many producers and consumers ---------------------------------------------------------

async def test_concurrent_producers_and_consumers_lose_and_duplicate_nothing(queue_service, queue_name):
    producers, per_producer, consumers = 50, 20, 8
    expected = {'p{}-m{}'.format(producer, index) for producer in range(producers) for index in range(per_producer)}
    received = []
    producing_done = asyncio.Event()

    async def produce(producer):
        for index in range(per_producer):
            await queue_service.put_message(queue_name, 'p{}-m{}'.format(producer, index))

    async def consume():
        while True:
            # A long visibility timeout: nothing may come back while the test runs.
            messages = await queue_service.get_messages(queue_name, num_messages=32, visibility_timeout=300)
            if not messages:
                if producing_done.is_set() and len(received) >= len(expected):
                    return
                await asyncio.sleep(0.05)
                continue
            for message in messages:
                received.append((message.id, message.content))
                await queue_service.delete_message(queue_name, message.id, message.pop_receipt)

    async def run_producers():
        await asyncio.gather(*(produce(producer) for producer in range(producers)))
        producing_done.set()

    consumer_tasks = [asyncio.ensure_future(consume()) for _ in range(consumers)]
    try:
        await asyncio.wait_for(asyncio.gather(run_producers(), *consumer_tasks), timeout=120)
    finally:
        # A failed producer or consumer must not leave the others running past the test.
        for task in consumer_tasks:
            task.cancel()
        await asyncio.gather(*consumer_tasks, return_exceptions=True)

    contents = [content for _, content in received]
    assert len(received) == len(expected) == 1000
    assert len(set(contents)) == len(contents), 'a message was received twice'
    assert len({message_id for message_id, _ in received}) == 1000
    assert set(contents) == expected
    assert await queue_service.peek_messages(queue_name, 32) == []
