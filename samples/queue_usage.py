"""The queue service, call by call: queues, messages, encodings, SAS, with asyncio.

    python samples/queue_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/queue_usage.py

(``./dev demo`` starts Azurite, the emulator, for the quickstart; any Azurite's connection
string works here too.)

Legacy code (azure-storage-queue 2.1) reads the same: add ``await`` in front of every call
that talks to the service. Everything this sample creates it deletes again.
"""
import asyncio
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone

from azure.storage.common import AccessPolicy
from azure.storage.queue import QueueMessageFormat, QueuePermissions, QueueService


async def queues(service, prefix):
    names = ['{}-{}'.format(prefix, index) for index in range(3)]
    for name in names:
        await service.create_queue(name, metadata={'purpose': 'sample'})
    print('created', names)
    print('create again returns', await service.create_queue(names[0]))
    print('exists:', await service.exists(names[0]))

    # list_queues: `await` it for the first page, or `async for` over every page.
    page = await service.list_queues(prefix=prefix, num_results=2, include_metadata=True)
    print('first page:', [(queue.name, queue.metadata) for queue in page], 'next_marker', page.next_marker)
    print('all:', [queue.name async for queue in service.list_queues(prefix=prefix)])

    await service.set_queue_metadata(names[0], {'purpose': 'demo', 'owner': 'sample'})
    metadata = await service.get_queue_metadata(names[0])
    print('metadata:', dict(metadata), 'about', metadata.approximate_message_count, 'messages')

    for name in names[1:]:
        await service.delete_queue(name)
    return names[0]


async def messages(service, queue):
    put = await service.put_message(queue, 'Hello, <queue> & friends!')
    print('put', put.id, 'expires', put.expiration_time)
    await service.put_message(queue, 'never expires', time_to_live=-1)
    await service.put_message(queue, 'visible in 1 s', visibility_timeout=1)

    peeked = await service.peek_messages(queue, num_messages=32)
    print('peek:', [message.content for message in peeked])

    # A got message is hidden for visibility_timeout seconds; delete it once it is handled.
    for message in await service.get_messages(queue, num_messages=32, visibility_timeout=30):
        print('got', repr(message.content), 'dequeued', message.dequeue_count, 'time(s)')
        if message.content == 'never expires':
            # Change the content and make it visible again at once.
            updated = await service.update_message(queue, message.id, message.pop_receipt, 0, 'updated')
            print('updated; new pop receipt', updated.pop_receipt[:8] + '...')
        else:
            await service.delete_message(queue, message.id, message.pop_receipt)

    await asyncio.sleep(1.5)
    print('left:', [message.content for message in await service.peek_messages(queue, 32)])
    await service.clear_messages(queue)


async def encodings(service, queue):
    # Base64 is what most other Azure Storage libraries write and read.
    service.encode_function = QueueMessageFormat.binary_base64encode
    service.decode_function = QueueMessageFormat.binary_base64decode
    await service.put_message(queue, b'\x00\x01 binary \xff')
    [message] = await service.get_messages(queue)
    print('binary round trip:', message.content)
    await service.delete_message(queue, message.id, message.pop_receipt)
    service.encode_function = QueueMessageFormat.text_xmlencode
    service.decode_function = QueueMessageFormat.text_xmldecode


async def shared_access(service, queue):
    in_one_hour = datetime.now(timezone.utc) + timedelta(hours=1)
    await service.set_queue_acl(queue, {'readers': AccessPolicy(QueuePermissions.READ, in_one_hour)})
    print('stored policies:', list(await service.get_queue_acl(queue)))
    token = service.generate_queue_shared_access_signature(
        queue, QueuePermissions.ADD | QueuePermissions.PROCESS, in_one_hour)
    sas_connection_string = 'QueueEndpoint={}://{};SharedAccessSignature={}'.format(
        service.protocol, service.primary_endpoint, token)
    async with QueueService(connection_string=sas_connection_string) as limited:
        await limited.put_message(queue, 'sent with a SAS')
        [message] = await limited.get_messages(queue)
        print('SAS client got', repr(message.content))
        await limited.delete_message(queue, message.id, message.pop_receipt)


async def main(connection_string):
    prefix = 'sample' + uuid.uuid4().hex[:8]
    async with QueueService(connection_string=connection_string) as service:
        queue = await queues(service, prefix)
        try:
            await messages(service, queue)
            await encodings(service, queue)
            if service.account_key:
                await shared_access(service, queue)
            properties = await service.get_queue_service_properties()
            print('service logging: read', properties.logging.read, 'write', properties.logging.write)
        finally:
            await service.delete_queue(queue)
    print('done.')


def run():
    connection_string = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if not connection_string:
        sys.exit(__doc__)
    asyncio.run(main(connection_string))


if __name__ == '__main__':
    run()
