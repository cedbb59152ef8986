"""The official async SDKs (azure-storage-blob and -queue 12.x, azure-data-tables 12.x), in their own venv."""
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


async def queue(args):
    from azure.storage.queue.aio import QueueClient

    kwargs = {'api_version': args.api_version} if args.api_version else {}
    async with QueueClient.from_connection_string(args.conn, args.container, **kwargs) as client:
        await client.create_queue()

        async def put(i):
            await client.send_message(common.queue_text(i))

        async def get_batch():
            return [message async for message in client.receive_messages(
                messages_per_page=common.QUEUE_GET, max_messages=common.QUEUE_GET)]

        await common.run_pool(common.QUEUE_WARMUP, put, common.QUEUE_CONCURRENCY)
        await common.queue_get_delete(get_batch, client.delete_message)
        put_phase = await common.measure(lambda: common.run_pool(common.QUEUE_COUNT, put, common.QUEUE_CONCURRENCY))
        get_phase = await common.measure(lambda: common.queue_get_delete(get_batch, client.delete_message))
        assert get_phase[2] == common.QUEUE_COUNT, get_phase[2]
        return {'put': common.phase_result(put_phase, common.QUEUE_COUNT),
                'get_delete': common.phase_result(get_phase, common.QUEUE_COUNT)}


def table_entity(partition_key, i):
    from azure.data.tables import EdmType

    entity = common.table_values(partition_key, i)
    # This SDK types a Python int as Int32 (and refuses larger values): Int64 is asked for.
    entity['Count'] = (entity['Count'], EdmType.INT64)
    return entity


async def table(args):
    from azure.data.tables.aio import TableClient

    # Azurite closes a connection idle for 5 s and this SDK's retries can meet only stale ones
    # (a reset fails the run): connections idle for 3 s are not reused.
    import aiohttp
    from azure.core.pipeline.transport import AioHttpTransport

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(keepalive_timeout=3))
    transport = AioHttpTransport(session=session, session_owner=True)
    async with TableClient.from_connection_string(args.conn, args.container, transport=transport) as client:
        await client.create_table()

        async def insert(i):
            await client.create_entity(table_entity(common.TABLE_INSERT_PARTITION, i))

        async def query(partition_key):
            return [entity async for entity in client.query_entities(
                "PartitionKey eq '{}'".format(partition_key))]

        async def commit(start):
            await client.submit_transaction([('create', table_entity(common.TABLE_BATCH_PARTITION, i))
                                             for i in range(start, start + common.TABLE_BATCH)])

        async def warm(i):
            await client.create_entity(table_entity('warm', i))

        await common.run_pool(common.TABLE_WARMUP, warm)
        await query('warm')
        insert_phase = await common.measure(lambda: common.run_pool(common.TABLE_COUNT, insert))
        query_phase = await common.measure(lambda: query(common.TABLE_INSERT_PARTITION))
        entities = query_phase[2]
        common.check_queried(len(entities), entities[-1]['Created'], entities[-1]['Count'].value)
        batch_phase = await common.measure(lambda: common.table_batches(commit))
        return {'insert': common.phase_result(insert_phase, common.TABLE_COUNT),
                'query': common.phase_result(query_phase, common.TABLE_COUNT),
                'batch': common.phase_result(batch_phase, common.TABLE_COUNT)}


async def main():
    args = common.parse_args()
    if args.workload in ('queue', 'table'):
        common.emit(await (queue if args.workload == 'queue' else table)(args))
        return
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
