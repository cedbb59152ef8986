"""The official async SDK (azure-storage-blob 12.x, azure.storage.blob.aio), run in its own venv."""
import asyncio

from azure.storage.blob.aio import BlobServiceClient

import common


def service_client(args):
    kwargs = dict(max_single_put_size=common.SINGLE_PUT_SIZE, max_block_size=common.BLOCK_SIZE,
                  max_single_get_size=common.SINGLE_GET_SIZE, max_chunk_get_size=common.CHUNK_GET_SIZE)
    if args.api_version:
        # The newest x-ms-version the SDK knows may be newer than the emulator's.
        kwargs['api_version'] = args.api_version
    return BlobServiceClient.from_connection_string(args.conn, **kwargs)


async def create_container(service, name):
    try:
        await service.create_container(name)
    except Exception as ex:  # ResourceExistsError on a rerun
        if type(ex).__name__ != 'ResourceExistsError':
            raise
    return service.get_container_client(name)


async def small(service, name):
    container = await create_container(service, name)

    async def upload(i):
        # overwrite=True: no If-None-Match, the same exchange as the legacy Put Blob.
        await container.upload_blob(common.small_name(i), common.SMALL_PAYLOAD, overwrite=True)

    async def download(i):
        downloader = await container.download_blob(common.small_name(i))
        assert len(await downloader.readall()) == common.SMALL_SIZE

    async def warm(i):
        await container.upload_blob('warm-{}'.format(i), common.SMALL_PAYLOAD, overwrite=True)
        await (await container.download_blob('warm-{}'.format(i))).readall()

    await common.run_pool(common.WARMUP_COUNT, warm)
    up = await common.measure(lambda: common.run_pool(common.SMALL_COUNT, upload))
    down = await common.measure(lambda: common.run_pool(common.SMALL_COUNT, download))
    return common.small_result(up, down)


async def listing(service, name):
    container = service.get_container_client(name)

    async def walk():
        return [blob.name async for blob in container.list_blobs()]

    wall, cpu, names = await common.measure(walk)
    assert len(names) == common.LIST_COUNT, len(names)
    return {'seconds': wall, 'cpu_seconds': cpu, 'count': len(names)}


async def big(service, name, transfer, source, outdir):
    container = await create_container(service, name)
    blob = container.get_blob_client('big')

    async def warm_up():
        await container.upload_blob('warm', common.SMALL_PAYLOAD, overwrite=True)
        await (await container.download_blob('warm')).readall()

    async def upload_from(blob_client):
        # The SDK has no path API: a path upload is an upload of the opened file.
        with open(source, 'rb') as stream:
            await blob_client.upload_blob(stream, overwrite=True, max_concurrency=common.MAX_CONNECTIONS)

    async def download_to(path):
        with open(path, 'wb') as stream:
            downloader = await blob.download_blob(max_concurrency=common.MAX_CONNECTIONS)
            await downloader.readinto(stream)

    path_dest, stream_dest = common.big_paths(outdir, 'official')
    return await common.run_big(transfer, {
        'upload_path': lambda: upload_from(blob),
        'upload_stream': lambda: upload_from(container.get_blob_client('big-stream')),
        'download_path': lambda: download_to(path_dest),
        'download_stream': lambda: download_to(stream_dest),
    }, warm_up)


async def main():
    args = common.parse_args()
    async with service_client(args) as service:
        if args.workload == 'small':
            result = await small(service, args.container)
        elif args.workload == 'list':
            result = await listing(service, args.container)
        elif args.workload == 'big':
            result = await big(service, args.container, args.transfer, args.source, args.outdir)
        else:
            raise SystemExit('populate is done by the raw client')
    common.emit(result)


if __name__ == '__main__':
    asyncio.run(main())
