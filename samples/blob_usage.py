"""Blob service tour: containers, uploads and downloads (chunked and parallel), listings,
metadata, snapshots, leases, copies, SAS tokens and batches, with asyncio.

    python samples/blob_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/blob_usage.py

The sample creates one container of its own and deletes it at the end, whatever happens.
Code written for the legacy azure-storage-blob 2.1 runs after adding ``await`` in front of
every call that talks to the service.
"""
import asyncio
import hashlib
import io
import os
import sys
import tempfile
import uuid
from datetime import datetime, timedelta, timezone

from azure.storage.blob import (
    BatchDeleteSubRequest,
    BlobPermissions,
    BlobPrefix,
    BlockBlobService,
    ContainerPermissions,
    ContentSettings,
    DeleteSnapshot,
    Include,
)
from azure.storage.common.models import AccessPolicy


async def uploads_and_downloads(blobs, container):
    print('-- uploads and downloads')
    await blobs.create_blob_from_text(container, 'notes/hello.txt', 'Hello, async blobs!',
                                      content_settings=ContentSettings(content_type='text/plain'),
                                      metadata={'author': 'sample'})
    blob = await blobs.get_blob_to_text(container, 'notes/hello.txt')
    print('text      :', repr(blob.content), blob.properties.content_settings.content_type, blob.metadata)

    # Small limits so that 3 MiB goes up in blocks and comes down in ranges, 4 at a time.
    blobs.MAX_SINGLE_PUT_SIZE = blobs.MAX_BLOCK_SIZE = 512 * 1024
    blobs.MAX_SINGLE_GET_SIZE = blobs.MAX_CHUNK_GET_SIZE = 512 * 1024
    data = os.urandom(3 * 1024 * 1024)

    def report(current, total):
        print('progress  : {:>8} / {} bytes'.format(current, total))

    await blobs.create_blob_from_stream(container, 'data/random.bin', io.BytesIO(data), count=len(data),
                                        max_connections=4, progress_callback=report)
    blocks = await blobs.get_block_list(container, 'data/random.bin')
    print('blocks    :', len(blocks.committed_blocks), 'committed')

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'random.bin')
        await blobs.get_blob_to_path(container, 'data/random.bin', path, max_connections=4)
        with open(path, 'rb') as downloaded:
            same = hashlib.md5(downloaded.read()).digest() == hashlib.md5(data).digest()
        print('to path   : MD5 matches' if same else 'to path   : MD5 MISMATCH')

    part = await blobs.get_blob_to_bytes(container, 'data/random.bin', start_range=1000, end_range=1009)
    print('range     :', part.properties.content_range, part.content == data[1000:1010])


async def listings(blobs, container):
    print('-- listings')
    page = await blobs.list_blobs(container, delimiter='/')
    print('top level :', [item.name + (' (dir)' if isinstance(item, BlobPrefix) else '') for item in page])
    async for blob in blobs.list_blobs(container, include=Include.METADATA):
        print('blob      :', blob.name, blob.properties.content_length, 'bytes', blob.metadata)


async def snapshots_leases_copies(blobs, container):
    print('-- snapshots, leases and copies')
    snapshot = await blobs.snapshot_blob(container, 'notes/hello.txt')
    await blobs.create_blob_from_text(container, 'notes/hello.txt', 'Changed text')
    old = await blobs.get_blob_to_text(container, 'notes/hello.txt', snapshot=snapshot.snapshot)
    print('snapshot  :', snapshot.snapshot, '->', repr(old.content))

    lease_id = await blobs.acquire_blob_lease(container, 'notes/hello.txt', lease_duration=15)
    await blobs.set_blob_metadata(container, 'notes/hello.txt', {'leased': 'yes'}, lease_id=lease_id)
    await blobs.release_blob_lease(container, 'notes/hello.txt', lease_id)
    print('lease     : acquired, used and released')

    copy = await blobs.copy_blob(container, 'notes/copy.txt', blobs.make_blob_url(container, 'notes/hello.txt'))
    while copy.status == 'pending':
        await asyncio.sleep(1)
        copy = (await blobs.get_blob_properties(container, 'notes/copy.txt')).properties.copy
    print('copy      :', copy.status)
    await blobs.delete_blob(container, 'notes/hello.txt', delete_snapshots=DeleteSnapshot.Include)


async def shared_access(blobs, container):
    print('-- shared access signatures')
    expiry = datetime.now(timezone.utc) + timedelta(hours=1)
    await blobs.set_container_acl(container, {'read-only': AccessPolicy(ContainerPermissions.READ, expiry)})
    container_token = blobs.generate_container_shared_access_signature(container, id='read-only')
    blob_token = blobs.generate_blob_shared_access_signature(container, 'notes/copy.txt',
                                                             permission=BlobPermissions.READ, expiry=expiry)
    print('blob url  :', blobs.make_blob_url(container, 'notes/copy.txt', sas_token=blob_token)[:90], '...')
    endpoint = 'BlobEndpoint={}://{};SharedAccessSignature={}'.format(
        blobs.protocol, blobs.primary_endpoint, container_token)
    async with BlockBlobService(connection_string=endpoint) as reader:
        blob = await reader.get_blob_to_text(container, 'notes/copy.txt')
        print('via SAS   :', repr(blob.content))


async def batch_delete(blobs, container):
    print('-- batch')
    names = ['batch/{}.txt'.format(i) for i in range(3)]
    await asyncio.gather(*(blobs.create_blob_from_text(container, name, name) for name in names))
    responses = await blobs.batch_delete_blobs([BatchDeleteSubRequest(container, name) for name in names])
    print('deleted   :', [(r.batch_sub_request.blob_name, r.http_response.status) for r in responses])


async def main(connection_string):
    container = 'blob-usage-' + uuid.uuid4().hex[:12]
    async with BlockBlobService(connection_string=connection_string) as blobs:
        await blobs.create_container(container)
        try:
            await uploads_and_downloads(blobs, container)
            await listings(blobs, container)
            await snapshots_leases_copies(blobs, container)
            await shared_access(blobs, container)
            await batch_delete(blobs, container)
        finally:
            await blobs.delete_container(container)
            print('-- container', container, 'deleted')


if __name__ == '__main__':
    connection = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if not connection:
        sys.exit(__doc__)
    asyncio.run(main(connection))
