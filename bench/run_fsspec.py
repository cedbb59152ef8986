"""The fsspec benchmark: our aioblob file system against adlfs on the same Azurite.

    .venv/bin/python bench/run_fsspec.py [--rounds 3]

Starts its own Azurite (in memory, free 127.0.0.1 ports, stopped by PID at the end), creates
bench/.venv-adlfs with adlfs (which pulls the official SDK; never the project venv) on first
use, seeds 10,000 blobs in 100 prefixes, a ~100 MB parquet file and a Dask dataset, then runs
every workload of bench/fsspec_client.py for each file system in a process of its own, rounds
alternating the order, and writes the medians to bench/RESULTS-fsspec.md with the commit measured.
"""
import argparse
import asyncio
import datetime
import io
import json
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / 'devtools'))
sys.path.insert(0, str(BENCH))

import fsspec_client  # noqa: E402
from azurite import Azurite  # noqa: E402

ADLFS_VENV = BENCH / '.venv-adlfs'
ADLFS_REQUIREMENTS = ['adlfs', 'pandas', 'pyarrow', 'dask[dataframe,distributed]']
WORKLOADS = ('ls', 'find', 'info', 'exists', 'read_parquet', 'dask')
METADATA = ('ls', 'find', 'info', 'exists')
CONTAINER = 'fsbench'


def ensure_adlfs_venv():
    python = ADLFS_VENV / 'bin' / 'python'
    if not python.exists() or subprocess.run([str(python), '-c', 'import adlfs, pandas, dask.dataframe'],
                                             capture_output=True).returncode != 0:
        subprocess.run([sys.executable, '-m', 'venv', str(ADLFS_VENV)], check=True)
        subprocess.run([str(python), '-m', 'pip', 'install', '--quiet', *ADLFS_REQUIREMENTS], check=True)
    return python


def version(python, package):
    return subprocess.run([str(python), '-c', 'import importlib.metadata as m; print(m.version({!r}))'.format(
        package)], capture_output=True, text=True).stdout.strip()


async def seed(conn):
    import pandas as pd
    from azure.storage.blob import BlockBlobService
    async with BlockBlobService(connection_string=conn) as service:
        await service.create_container(CONTAINER)
        semaphore = asyncio.Semaphore(64)

        async def put(prefix, index):
            async with semaphore:
                await service.create_blob_from_bytes(CONTAINER, fsspec_client.blob_name(prefix, index), b'x' * 64)
        await asyncio.gather(*(put(p, i) for p in range(fsspec_client.PREFIXES)
                               for i in range(fsspec_client.PER_PREFIX)))
        rows = 4_000_000
        frame = pd.DataFrame({'id': range(rows), 'value': [i * 0.25 for i in range(rows)],
                              'text': ['row {:09d}'.format(i) for i in range(rows)]})
        buffer = io.BytesIO()
        frame.to_parquet(buffer, compression=None)
        await service.create_blob_from_bytes(CONTAINER, 'big/frame.parquet', buffer.getvalue(), max_connections=4)
        part_rows = rows // 8
        for part in range(8):
            buffer = io.BytesIO()
            frame.iloc[part * part_rows:(part + 1) * part_rows].to_parquet(buffer, index=False)
            await service.create_blob_from_bytes(CONTAINER, 'dask-in/part.{}.parquet'.format(part), buffer.getvalue())
        return len(buffer.getvalue()), (await service.get_blob_properties(CONTAINER, 'big/frame.parquet')) \
            .properties.content_length


def run(python, client, workload, conn):
    completed = subprocess.run([str(python), str(BENCH / 'fsspec_client.py'), client, workload, '--conn', conn,
                                '--container', CONTAINER], capture_output=True, text=True, timeout=900)
    if completed.returncode != 0:
        raise RuntimeError('{} {} failed:\n{}'.format(client, workload, completed.stderr[-3000:]))
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--workloads', default=','.join(WORKLOADS),
                        help='comma-separated subset of ' + ','.join(WORKLOADS))
    parser.add_argument('--results', help='where to write the results (default bench/RESULTS-fsspec.md)')
    options = parser.parse_args()
    workloads = [name for name in options.workloads.split(',') if name]
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        parser.error('unknown workloads: ' + ', '.join(sorted(unknown)))
    results = Path(options.results) if options.results else BENCH / 'RESULTS-fsspec.md'
    pythons = {'ours': Path(sys.executable), 'adlfs': ensure_adlfs_venv()}
    commit = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(['git', '-C', str(ROOT), 'status', '--porcelain', '--', 'azure-storage-common',
                            'azure-storage-blob'], capture_output=True, text=True).stdout.strip()
    with open('/proc/loadavg') as loadavg:
        load = ' '.join(loadavg.read().split()[:3])
    # adlfs's SDK sends an x-ms-version newer than this Azurite knows.
    emulator = Azurite.start(extra_args=('--skipApiVersionCheck',))
    try:
        conn = emulator.connection_string
        part_size, big_size = asyncio.run(seed(conn))
        runs = {(client, workload): [] for client in pythons for workload in workloads}
        for round_no in range(options.rounds):
            order = list(pythons) if round_no % 2 == 0 else list(reversed(list(pythons)))
            for workload in workloads:
                for client in order:
                    result = run(pythons[client], client, workload, conn)
                    runs[client, workload].append(result)
                    print(round_no, client, workload, '{:.3f}s wall'.format(result['wall']),
                          '{:.3f}s cpu'.format(result['cpu']), flush=True)
    finally:
        emulator.stop()
    write_results(runs, commit + (' (with uncommitted changes)' if dirty else ''), load, big_size, part_size,
                  pythons, options.rounds, results)


def write_results(runs, commit, load, big_size, part_size, pythons, rounds, results):
    def median(client, workload, key):
        return statistics.median(run[key] for run in runs[client, workload])
    described = {
        'ls': 'ls of each of 100 prefixes (100 blobs each, detail)',
        'find': 'find over the container (10,000 blobs)',
        'info': '200 × info of a blob',
        'exists': '100 × exists of a blob + 100 × exists of a missing name',
        'read_parquet': 'pandas read_parquet of one {:.0f} MB file'.format(big_size / 1e6),
        'dask': 'Dask read_parquet (8 parts) → column → to_parquet, threaded scheduler',
    }
    lines = [
        '# fsspec benchmark: aioblob (ours) against adlfs',
        '',
        'Written by `bench/run_fsspec.py`; medians of {} rounds, each workload in a process of its own, '
        'both file systems in fsspec\'s sync mode on the same Azurite (in memory, 127.0.0.1).'.format(rounds),
        '',
        '- date: {}'.format(datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')),
        '- ours: commit {}, fsspec {}'.format(commit, version(pythons['ours'], 'fsspec')),
        '- adlfs {}, azure-storage-blob {}, fsspec {}'.format(
            version(pythons['adlfs'], 'adlfs'), version(pythons['adlfs'], 'azure-storage-blob'),
            version(pythons['adlfs'], 'fsspec')),
        '- machine: 2 cores shared with other work; load average at start {}'.format(load),
        '',
        '| workload | ours wall s | adlfs wall s | ours CPU s | adlfs CPU s | CPU adlfs/ours | wall adlfs/ours |',
        '|---|---:|---:|---:|---:|---:|---:|',
    ]
    verdicts = []
    for workload in dict.fromkeys(workload for _, workload in runs):
        ours_wall, adlfs_wall = median('ours', workload, 'wall'), median('adlfs', workload, 'wall')
        ours_cpu, adlfs_cpu = median('ours', workload, 'cpu'), median('adlfs', workload, 'cpu')
        lines.append('| {} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.2f}x | {:.2f}x |'.format(
            described[workload], ours_wall, adlfs_wall, ours_cpu, adlfs_cpu, adlfs_cpu / ours_cpu,
            adlfs_wall / ours_wall))
        if workload in METADATA:
            verdicts.append('- {}: client CPU {:.2f}x lower than adlfs (target ≥ 2x): {}'.format(
                workload, adlfs_cpu / ours_cpu, 'met' if adlfs_cpu >= 2 * ours_cpu else 'MISSED'))
        else:
            verdicts.append('- {}: wall {:.2f}x of adlfs\'s speed (target ≥ 1x): {}'.format(
                workload, adlfs_wall / ours_wall, 'met' if ours_wall <= adlfs_wall else 'MISSED'))
    lines += ['', '## Targets', ''] + verdicts + ['']
    results.write_text('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
