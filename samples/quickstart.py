"""Quickstart: a blob, a queue message and a table entity, round trip, with asyncio.

    python samples/quickstart.py                     # starts Azurite (the emulator) itself
    python samples/quickstart.py "<connection str>"  # or uses the account you name
    AZURE_STORAGE_CONNECTION_STRING=... python samples/quickstart.py

Code written for the legacy SDK (azure-storage-blob/queue 2.1, azure-cosmosdb-table) runs
after adding ``await`` in front of every call that talks to the service.
"""
import asyncio
import os
import sys
import uuid
from pathlib import Path

from azure.storage.blob import BlockBlobService
from azure.storage.queue import QueueService
from azure.storage.table import TableService


async def blob_round_trip(connection_string, suffix):
    async with BlockBlobService(connection_string=connection_string) as blobs:
        container = 'quickstart' + suffix
        await blobs.create_container(container)
        await blobs.create_blob_from_text(container, 'hello.txt', 'Hello, async Azure Storage!')
        blob = await blobs.get_blob_to_text(container, 'hello.txt')
        print('blob   :', blob.name, '->', repr(blob.content))
        async for item in blobs.list_blobs(container):
            print('         listed', item.name, item.properties.content_length, 'bytes')
        await blobs.delete_container(container)


async def queue_round_trip(connection_string, suffix):
    async with QueueService(connection_string=connection_string) as queues:
        queue = 'quickstart' + suffix
        await queues.create_queue(queue)
        await queues.put_message(queue, 'Hello from the queue')
        for message in await queues.get_messages(queue):
            print('queue  :', repr(message.content), 'dequeued', message.dequeue_count, 'time(s)')
            await queues.delete_message(queue, message.id, message.pop_receipt)
        await queues.delete_queue(queue)


async def table_round_trip(connection_string, suffix):
    async with TableService(connection_string=connection_string) as tables:
        table = 'quickstart' + suffix
        await tables.create_table(table)
        await tables.insert_entity(table, {'PartitionKey': 'tasks', 'RowKey': '1',
                                           'description': 'Take out the trash', 'priority': 200})
        task = await tables.get_entity(table, 'tasks', '1')
        print('table  :', task.description, 'priority', task.priority)
        await tables.delete_table(table)


async def main(connection_string):
    suffix = uuid.uuid4().hex[:8]
    # The three services are independent: run them concurrently.
    await asyncio.gather(blob_round_trip(connection_string, suffix),
                         queue_round_trip(connection_string, suffix),
                         table_round_trip(connection_string, suffix))
    print('done.')


def run():
    connection_string = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if connection_string:
        asyncio.run(main(connection_string))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'devtools'))
    from azurite import Azurite
    print('Starting Azurite, the storage emulator, on 127.0.0.1 ...')
    emulator = Azurite.start()
    try:
        asyncio.run(main(emulator.connection_string))
    finally:
        emulator.stop()


if __name__ == '__main__':
    run()
