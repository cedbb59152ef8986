"""Page blobs, call by call: pages, ranges, snapshots, sequence numbers, resizes, chunked uploads.

    python samples/page_blob_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/page_blob_usage.py

(``./dev demo`` starts Azurite, the emulator, for the quickstart; any Azurite's connection
string works here too.)

Legacy code (azure-storage-blob 2.1) reads the same: add ``await`` in front of every call
that talks to the service. Everything this sample creates it deletes again.
"""
import asyncio
import hashlib
import os
import sys
import uuid

from azure.common import AzureHttpError

from azure.storage.blob import ContentSettings, PageBlobService, SequenceNumberAction

PAGE = 512


def show_ranges(label, ranges):
    print(label, [(r.start, r.end) + (('cleared',) if r.is_cleared else ()) for r in ranges])


async def pages(service, container):
    # A page blob has a fixed size (a multiple of 512), all zeros until pages are written.
    await service.create_blob(container, 'disk.vhd', 16 * PAGE, sequence_number=1, metadata={'purpose': 'sample'},
                              content_settings=ContentSettings(content_type='application/octet-stream'))
    written = await service.update_page(container, 'disk.vhd', b'A' * 2 * PAGE, 0, 2 * PAGE - 1,
                                        validate_content=True)
    print('wrote pages 0-1, sequence number', written.sequence_number)
    await service.update_page(container, 'disk.vhd', b'B' * PAGE, 8 * PAGE, 9 * PAGE - 1)
    show_ranges('written ranges:', await service.get_page_ranges(container, 'disk.vhd'))

    snapshot = (await service.snapshot_blob(container, 'disk.vhd')).snapshot
    await service.clear_page(container, 'disk.vhd', 0, PAGE - 1)
    show_ranges('after clearing page 0:', await service.get_page_ranges(container, 'disk.vhd'))
    show_ranges('in the snapshot:', await service.get_page_ranges(container, 'disk.vhd', snapshot=snapshot))
    # Azure lists the cleared page 0 and nothing else; Azurite lists the current ranges.
    try:
        show_ranges('changed since the snapshot:',
                    await service.get_page_ranges_diff(container, 'disk.vhd', snapshot))
    except AzureHttpError as error:
        print('page range diff not available here:', error.error_code)

    content = (await service.get_blob_to_bytes(container, 'disk.vhd')).content
    print('content: page 0 is zeros again:', content[:PAGE] == bytes(PAGE), '- page 1:', content[PAGE:PAGE + 4])


async def sequence_numbers(service, container):
    # Writers can agree on a sequence number and make their writes conditional on it.
    await service.set_sequence_number(container, 'disk.vhd', SequenceNumberAction.Update, 10)
    await service.set_sequence_number(container, 'disk.vhd', SequenceNumberAction.Increment)
    number = (await service.get_blob_properties(container, 'disk.vhd')).properties.page_blob_sequence_number
    print('sequence number now', number)
    try:
        await service.update_page(container, 'disk.vhd', b'C' * PAGE, 0, PAGE - 1, if_sequence_number_lt=number)
    except AzureHttpError as error:
        print('stale writer refused:', error.status_code, error.error_code)
    await service.update_page(container, 'disk.vhd', b'C' * PAGE, 0, PAGE - 1, if_sequence_number_eq=number)

    await service.resize_blob(container, 'disk.vhd', 32 * PAGE)
    await service.resize_blob(container, 'disk.vhd', 4 * PAGE)
    print('resized to', (await service.get_blob_properties(container, 'disk.vhd')).properties.content_length)


async def uploads(service, container):
    # Chunked upload: pages of MAX_PAGE_SIZE, up to max_connections at once, zero pages skipped.
    service.MAX_PAGE_SIZE = 256 * 1024
    data = os.urandom(1024 * 1024) + bytes(2 * 1024 * 1024) + os.urandom(1024 * 1024)

    def progress(current, total):
        if current in (0, total):
            print('  uploaded {} of {} bytes'.format(current, total))

    await service.create_blob_from_bytes(container, 'image.bin', data, max_connections=4, progress_callback=progress)
    show_ranges('pages stored (the zeros are not):', await service.get_page_ranges(container, 'image.bin'))
    blob = await service.get_blob_to_bytes(container, 'image.bin', max_connections=4)
    print('download matches:', hashlib.md5(blob.content).digest() == hashlib.md5(data).digest())

    copy = await service.copy_blob(container, 'image-copy.bin', service.make_blob_url(container, 'image.bin'))
    print('copy', copy.status)


async def main(connection_string):
    container = 'sample-pages-' + uuid.uuid4().hex[:8]
    async with PageBlobService(connection_string=connection_string) as service:
        await service.create_container(container)
        try:
            await pages(service, container)
            await sequence_numbers(service, container)
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
