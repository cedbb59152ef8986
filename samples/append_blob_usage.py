"""Append blobs, call by call: a log that many writers append to, with conditions and uploads.

    python samples/append_blob_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/append_blob_usage.py

(``./dev demo`` starts Azurite, the emulator, for the quickstart; any Azurite's connection
string works here too.)

Legacy code (azure-storage-blob 2.1) reads the same: add ``await`` in front of every call
that talks to the service. Everything this sample creates it deletes again.
"""
import asyncio
import io
import os
import sys
import uuid

from azure.common import AzureHttpError

from azure.storage.blob import AppendBlobService, ContentSettings


async def blocks(service, container):
    await service.create_blob(container, 'app.log', content_settings=ContentSettings(content_type='text/plain'),
                              metadata={'purpose': 'sample'})
    first = await service.append_block(container, 'app.log', b'service started\n', validate_content=True)
    print('first block at offset', first.append_offset, '- blocks:', first.committed_block_count)

    # appendpos_condition: append only at the expected offset (a retry never appends twice).
    length = first.append_offset + len(b'service started\n')
    await service.append_block(container, 'app.log', b'config loaded\n', appendpos_condition=length)
    try:
        await service.append_block(container, 'app.log', b'duplicate?\n', appendpos_condition=length)
    except AzureHttpError as error:
        print('append at a stale offset refused:', error.status_code, error.error_code)
    try:
        await service.append_block(container, 'app.log', b'x' * 100, maxsize_condition=64)
    except AzureHttpError as error:
        print('append past the size limit refused:', error.status_code, error.error_code)


async def many_writers(service, container):
    # Appends from concurrent tasks each land whole, in whatever order the service takes them.
    async def worker(number):
        await service.append_block(container, 'app.log', 'worker {} checked in\n'.format(number).encode())

    await asyncio.gather(*(worker(number) for number in range(10)))
    properties = (await service.get_blob_properties(container, 'app.log')).properties
    print('blocks after the workers:', properties.append_blob_committed_block_count)


async def uploads(service, container):
    # append_blob_from_* append in blocks of MAX_BLOCK_SIZE, one after the other.
    service.MAX_BLOCK_SIZE = 64 * 1024
    await service.append_blob_from_text(container, 'app.log', 'a line of text, é and all\n')
    records = b''.join(b'record %06d\n' % number for number in range(20000))

    async def progress(current, total):
        if current in (0, total):
            print('  appended {} of {} bytes'.format(current, total))

    await service.append_blob_from_stream(container, 'app.log', io.BytesIO(records), count=len(records),
                                          progress_callback=progress)
    text = (await service.get_blob_to_text(container, 'app.log')).content
    print('log has', text.count('\n'), 'lines; the last one is', repr(text.splitlines()[-1]))


async def main(connection_string):
    container = 'sample-appends-' + uuid.uuid4().hex[:8]
    async with AppendBlobService(connection_string=connection_string) as service:
        await service.create_container(container)
        try:
            await blocks(service, container)
            await many_writers(service, container)
            await uploads(service, container)
        finally:
            await service.delete_container(container)
    print('done.')


def run():
    connection_string = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if not connection_string:
        sys.exit(__doc__)
    asyncio.run(main(connection_string))


if __name__ == '__main__':
    run()
