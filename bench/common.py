"""What the three bench clients share: workload sizes, the worker pool, CPU and RSS probes.

Standard library only: this module is imported both by the project venv's python (ours and
the raw floor) and by the official SDK's own venv.
"""
import argparse
import asyncio
import datetime
import gc
import json
import os
import sys
import time
import uuid

SMALL_COUNT = 2000
SMALL_SIZE = 1024
CONCURRENCY = 64
WARMUP_COUNT = 128
LIST_COUNT = 5000
BIG_SIZE = 256 * 1024 * 1024
MAX_CONNECTIONS = 4

# Chunking, the same for every client (these are also the legacy 2.1 and the 12.x defaults).
BLOCK_SIZE = 4 * 1024 * 1024            # upload block (Put Block) size
SINGLE_PUT_SIZE = 64 * 1024 * 1024      # above this an upload is split into blocks
SINGLE_GET_SIZE = 32 * 1024 * 1024      # the first ranged GET of a download
CHUNK_GET_SIZE = 4 * 1024 * 1024        # every later ranged GET

TRANSFERS = ('upload_path', 'upload_stream', 'download_path', 'download_stream')

# Queue: QUEUE_COUNT messages put by QUEUE_CONCURRENCY workers, then got QUEUE_GET at a time
# (each got message deleted) by as many workers.
QUEUE_COUNT = 1000
QUEUE_CONCURRENCY = 16
QUEUE_GET = 32
QUEUE_WARMUP = 64

# Table: TABLE_COUNT single inserts by CONCURRENCY workers into one partition, then a query of
# that whole partition (every page), then TABLE_COUNT more in batches of TABLE_BATCH, at most
# TABLE_BATCH_CONCURRENCY batches in flight.
TABLE_COUNT = 2000
TABLE_BATCH = 100
TABLE_BATCH_CONCURRENCY = 4
TABLE_WARMUP = 64
TABLE_INSERT_PARTITION = 'single'
TABLE_BATCH_PARTITION = 'batched'
# Int64 values beyond 32 bits, so that every client types them as Edm.Int64.
TABLE_INT64_BASE = 2 ** 40
TABLE_EPOCH = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)

LIST_CONTAINER = 'benchlist'
SMALL_PAYLOAD = bytes(range(256)) * (SMALL_SIZE // 256)


def small_name(i):
    return 'small-{:05d}'.format(i)


def list_name(i):
    return 'item-{:05d}'.format(i)


def queue_text(i):
    return 'message {:05d}: the same 64-character text for every client....'.format(i)


def table_values(partition_key, i):
    """The 7 properties of entity i: the keys, a string, an Int64, a Double, a DateTime, a Guid.

    Each client types them the way its API asks for (ours and the official SDK infer Int64,
    DateTime and Guid from the Python value); the JSON sent is the same.
    """
    return {
        'PartitionKey': partition_key,
        'RowKey': '{:06d}'.format(i),
        'Name': 'customer {}'.format(i),
        'Count': TABLE_INT64_BASE + i,
        'Price': i + 0.25,
        'Created': TABLE_EPOCH + datetime.timedelta(seconds=i, microseconds=i),
        'Ref': uuid.UUID(int=i),
    }


def check_queried(count, created, count_value):
    """What every client's query must give back: all entities, typed values read back."""
    assert count == TABLE_COUNT, count
    assert created == TABLE_EPOCH + datetime.timedelta(seconds=TABLE_COUNT - 1, microseconds=TABLE_COUNT - 1), created
    assert count_value == TABLE_INT64_BASE + TABLE_COUNT - 1, count_value


async def run_pool(count, op, concurrency=CONCURRENCY):
    """Run ``await op(i)`` for i in range(count) on a fixed pool of ``concurrency`` workers."""
    next_index = iter(range(count))

    async def worker():
        for i in next_index:
            await op(i)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def measure(coro_factory):
    """Wall seconds and process CPU seconds (all threads) around one awaited workload."""
    gc.collect()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = await coro_factory()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return wall, cpu, result


def _status_kib(field):
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def reset_peak_rss():
    """Reset VmHWM to the current RSS if the kernel lets us; returns whether it did."""
    gc.collect()
    try:
        with open('/proc/self/clear_refs', 'w') as clear_refs:
            clear_refs.write('5')
        return True
    except OSError:
        return False


async def measure_transfer(coro_factory, size=BIG_SIZE):
    """MiB/s, wall, CPU and peak RSS growth over the baseline for one big transfer."""
    hwm_reset = reset_peak_rss()
    baseline = _status_kib('VmRSS')
    if not hwm_reset:
        baseline = _status_kib('VmHWM')
    wall, cpu, _ = await measure(coro_factory)
    peak = _status_kib('VmHWM')
    return {
        'seconds': wall,
        'cpu_seconds': cpu,
        'mib_per_s': size / (1024 * 1024) / wall,
        'rss_baseline_mib': baseline / 1024,
        'rss_peak_growth_mib': (peak - baseline) / 1024,
        'hwm_reset': hwm_reset,
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('workload', choices=('small', 'list', 'big', 'populate', 'queue', 'table'))
    parser.add_argument('--conn', required=True, help='Azurite connection string')
    parser.add_argument('--container', default=None)
    parser.add_argument('--source', help='the 256 MiB source file (big)')
    parser.add_argument('--outdir', help='where downloads are written (big)')
    parser.add_argument('--api-version', help='x-ms-version for the official SDK')
    parser.add_argument('--transfer', choices=TRANSFERS + ('all',), default='all',
                        help='the big transfer to measure (each in a fresh process for a clean RSS baseline)')
    return parser.parse_args(argv)


def blob_endpoint(connection_string):
    """(http://host:port/account, account name, account key) from a connection string."""
    return endpoint(connection_string, 'Blob')


def endpoint(connection_string, service):
    """(http://host:port/account, account name, account key) of 'Blob', 'Queue' or 'Table'."""
    parts = dict(part.split('=', 1) for part in connection_string.split(';') if part)
    return parts[service + 'Endpoint'].rstrip('/'), parts['AccountName'], parts['AccountKey']


def phase_result(measured, units):
    """One timed phase: seconds, CPU seconds, units/s and CPU µs per unit."""
    wall, cpu = measured[:2]
    return {'seconds': wall, 'cpu_seconds': cpu, 'units': units, 'per_s': units / wall,
            'cpu_us_per_unit': cpu / units * 1e6}


async def queue_get_delete(get_batch, delete):
    """QUEUE_CONCURRENCY workers get QUEUE_GET messages at a time and delete each; returns how many.

    A worker stops at its first empty get: the rest is then held by other workers.
    """
    deleted = [0]

    async def worker():
        while True:
            messages = await get_batch()
            if not messages:
                return
            for message in messages:
                await delete(message)
            deleted[0] += len(messages)

    await asyncio.gather(*(worker() for _ in range(QUEUE_CONCURRENCY)))
    return deleted[0]


async def table_batches(commit):
    """Run ``await commit(start)`` for each batch of TABLE_BATCH entities, a few at a time."""
    starts = list(range(0, TABLE_COUNT, TABLE_BATCH))
    await run_pool(len(starts), lambda i: commit(starts[i]), TABLE_BATCH_CONCURRENCY)


def emit(result):
    """The client's answer: one JSON line on stdout, read by run.py."""
    sys.stdout.write('BENCH-RESULT ' + json.dumps(result) + '\n')
    sys.stdout.flush()


def small_result(upload, download):
    """ops/s and CPU µs per op for the upload and download phases of the small workload."""
    def phase(wall, cpu):
        return {'seconds': wall, 'cpu_seconds': cpu, 'ops_per_s': SMALL_COUNT / wall,
                'cpu_us_per_op': cpu / SMALL_COUNT * 1e6}
    up, down = phase(*upload[:2]), phase(*download[:2])
    both_cpu = upload[1] + download[1]
    return {'upload': up, 'download': down,
            'all': {'seconds': upload[0] + download[0], 'cpu_seconds': both_cpu,
                    'ops_per_s': 2 * SMALL_COUNT / (upload[0] + download[0]),
                    'cpu_us_per_op': both_cpu / (2 * SMALL_COUNT) * 1e6}}


async def run_big(transfer, transfers, warm_up):
    """Warm up (session, lazy imports), then measure ``transfer`` (or all, in order) of ``transfers``."""
    await warm_up()
    names = TRANSFERS if transfer == 'all' else (transfer,)
    return {name: await measure_transfer(transfers[name]) for name in names}


def big_paths(outdir, client):
    return (os.path.join(outdir, '{}-download-path.bin'.format(client)),
            os.path.join(outdir, '{}-download-stream.bin'.format(client)))
