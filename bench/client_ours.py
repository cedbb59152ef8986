"""Ours: aio-azure-storage's BlockBlobService, QueueService and TableService (legacy API, awaited).

``--profile FILE`` runs the workload under cProfile and dumps the stats to FILE. The profiler
clocks CPU time (``time.process_time``), not wall time: a send() that loses the core to the
emulator it just woke should not look like work.
"""
import asyncio
import cProfile
import sys
import time

from azure.storage.blob import BlockBlobService
from azure.storage.queue import QueueService
from azure.storage.table import TableService

import common


def service_for(connection_string):
    service = BlockBlobService(connection_string=connection_string)
    service.MAX_SINGLE_PUT_SIZE = common.SINGLE_PUT_SIZE
    service.MAX_BLOCK_SIZE = common.BLOCK_SIZE
    service.MAX_SINGLE_GET_SIZE = common.SINGLE_GET_SIZE
    service.MAX_CHUNK_GET_SIZE = common.CHUNK_GET_SIZE
    return service


async def small(service, container):
    await service.create_container(container)

    async def upload(i):
        await service.create_blob_from_bytes(container, common.small_name(i), common.SMALL_PAYLOAD)

    async def download(i):
        blob = await service.get_blob_to_bytes(container, common.small_name(i))
        assert len(blob.content) == common.SMALL_SIZE

    async def warm(i):
        await service.create_blob_from_bytes(container, 'warm-{}'.format(i), common.SMALL_PAYLOAD)
        await service.get_blob_to_bytes(container, 'warm-{}'.format(i))

    await common.run_pool(common.WARMUP_COUNT, warm)
    up = await common.measure(lambda: common.run_pool(common.SMALL_COUNT, upload))
    down = await common.measure(lambda: common.run_pool(common.SMALL_COUNT, download))
    return common.small_result(up, down)


async def listing(service, container):
    async def walk():
        return [blob.name async for blob in service.list_blobs(container)]

    wall, cpu, names = await common.measure(walk)
    assert len(names) == common.LIST_COUNT, len(names)
    return {'seconds': wall, 'cpu_seconds': cpu, 'count': len(names)}


async def big(service, container, transfer, source, outdir):
    await service.create_container(container)

    async def warm_up():
        await service.create_blob_from_bytes(container, 'warm', common.SMALL_PAYLOAD)
        await service.get_blob_to_bytes(container, 'warm')

    async def upload_stream():
        with open(source, 'rb') as stream:
            await service.create_blob_from_stream(container, 'big-stream', stream,
                                                  max_connections=common.MAX_CONNECTIONS)

    path_dest, stream_dest = common.big_paths(outdir, 'ours')

    async def download_stream():
        with open(stream_dest, 'wb') as stream:
            await service.get_blob_to_stream(container, 'big', stream, max_connections=common.MAX_CONNECTIONS)

    return await common.run_big(transfer, {
        'upload_path': lambda: service.create_blob_from_path(container, 'big', source,
                                                             max_connections=common.MAX_CONNECTIONS),
        'upload_stream': upload_stream,
        'download_path': lambda: service.get_blob_to_path(container, 'big', path_dest,
                                                          max_connections=common.MAX_CONNECTIONS),
        'download_stream': download_stream,
    }, warm_up)


async def queue(args):
    async with QueueService(connection_string=args.conn) as service:
        name = args.container
        await service.create_queue(name)

        async def put(i):
            await service.put_message(name, common.queue_text(i))

        async def get_batch():
            return await service.get_messages(name, num_messages=common.QUEUE_GET)

        async def delete(message):
            await service.delete_message(name, message.id, message.pop_receipt)

        await common.run_pool(common.QUEUE_WARMUP, put, common.QUEUE_CONCURRENCY)
        await common.queue_get_delete(get_batch, delete)
        put_phase = await common.measure(lambda: common.run_pool(common.QUEUE_COUNT, put, common.QUEUE_CONCURRENCY))
        get_phase = await common.measure(lambda: common.queue_get_delete(get_batch, delete))
        assert get_phase[2] == common.QUEUE_COUNT, get_phase[2]
        return {'put': common.phase_result(put_phase, common.QUEUE_COUNT),
                'get_delete': common.phase_result(get_phase, common.QUEUE_COUNT)}


async def table(args):
    async with TableService(connection_string=args.conn) as service:
        name = args.container
        await service.create_table(name)

        async def insert(i):
            await service.insert_entity(name, common.table_values(common.TABLE_INSERT_PARTITION, i))

        async def query(partition_key):
            return [entity async for entity in service.query_entities(
                name, filter="PartitionKey eq '{}'".format(partition_key))]

        async def commit(start):
            async with service.batch(name) as batch:
                for i in range(start, start + common.TABLE_BATCH):
                    batch.insert_entity(common.table_values(common.TABLE_BATCH_PARTITION, i))

        async def warm(i):
            await service.insert_entity(name, common.table_values('warm', i))

        await common.run_pool(common.TABLE_WARMUP, warm)
        await query('warm')
        insert_phase = await common.measure(lambda: common.run_pool(common.TABLE_COUNT, insert))
        query_phase = await common.measure(lambda: query(common.TABLE_INSERT_PARTITION))
        entities = query_phase[2]
        common.check_queried(len(entities), entities[-1]['Created'], entities[-1]['Count'])
        batch_phase = await common.measure(lambda: common.table_batches(commit))
        return {'insert': common.phase_result(insert_phase, common.TABLE_COUNT),
                'query': common.phase_result(query_phase, common.TABLE_COUNT),
                'batch': common.phase_result(batch_phase, common.TABLE_COUNT)}


async def run(args):
    if args.workload == 'queue':
        return await queue(args)
    if args.workload == 'table':
        return await table(args)
    async with service_for(args.conn) as service:
        if args.workload == 'small':
            return await small(service, args.container)
        if args.workload == 'list':
            return await listing(service, args.container)
        if args.workload == 'big':
            return await big(service, args.container, args.transfer, args.source, args.outdir)
        raise SystemExit('populate is done by the raw client')


def main():
    argv = sys.argv[1:]
    profile_path = None
    if '--profile' in argv:
        at = argv.index('--profile')
        profile_path = argv[at + 1]
        del argv[at:at + 2]
    args = common.parse_args(argv)
    if profile_path:
        profiler = cProfile.Profile(time.process_time)
        result = profiler.runcall(asyncio.run, run(args))
        profiler.dump_stats(profile_path)
    else:
        result = asyncio.run(run(args))
    common.emit(result)


if __name__ == '__main__':
    main()
