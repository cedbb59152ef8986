"""One fsspec workload with one file system, in a process of its own; prints a JSON result.

    python bench/fsspec_client.py {ours|adlfs} WORKLOAD --conn CONNECTION_STRING --container NAME

Run by bench/run_fsspec.py: ours with the project venv's python, adlfs with bench/.venv-adlfs's.
CPU is ``time.process_time()`` of this process (all threads, fsspec's loop thread included)
around the timed part only; both file systems run in fsspec's sync mode, as pandas and Dask use them.
"""
import argparse
import json
import time

PREFIXES = 100
PER_PREFIX = 100
PROBES = 200


def prefix_name(index):
    return 'p{:03d}'.format(index)


def blob_name(prefix, index):
    return '{}/b{:03d}.bin'.format(prefix_name(prefix), index)


def make_fs(client, conn):
    if client == 'ours':
        from azure.storage.blob.fsspec_filesystem import BlobFileSystem
        return BlobFileSystem(connection_string=conn, skip_instance_cache=True), 'aioblob'
    from adlfs import AzureBlobFileSystem
    return AzureBlobFileSystem(connection_string=conn, skip_instance_cache=True, use_listings_cache=False), 'az'


def workload(name, fs, protocol, conn, container):
    """The timed callable of a workload, after its warm-up (the session and connections exist)."""
    if name == 'ls':
        fs.ls(container + '/' + prefix_name(0))
        return lambda: sum(len(fs.ls(container + '/' + prefix_name(p), detail=True)) for p in range(PREFIXES))
    if name == 'find':
        fs.find(container + '/' + prefix_name(0))
        return lambda: len(fs.find(container))
    if name == 'info':
        fs.info(container + '/' + blob_name(0, 0))
        return lambda: sum(fs.info(container + '/' + blob_name(i % PREFIXES, i % PER_PREFIX))['size']
                           for i in range(PROBES))
    if name == 'exists':
        fs.exists(container + '/' + blob_name(0, 0))
        return lambda: sum(fs.exists(container + '/' + blob_name(i % PREFIXES, i % PER_PREFIX)) +
                           fs.exists(container + '/missing/{}'.format(i)) for i in range(PROBES // 2))
    options = {'connection_string': conn}
    if name == 'read_parquet':
        import pandas as pd
        url = '{}://{}/big/frame.parquet'.format(protocol, container)
        return lambda: len(pd.read_parquet(url, storage_options=options))
    if name == 'dask':
        import dask
        import dask.dataframe as dd
        source = '{}://{}/dask-in'.format(protocol, container)
        target = '{}://{}/dask-out-{}'.format(protocol, container, protocol)

        def round_trip():
            with dask.config.set(scheduler='threads', num_workers=4):
                frame = dd.read_parquet(source, storage_options=options)
                frame['double'] = frame['value'] * 2
                frame.to_parquet(target, storage_options=options, write_index=False)
            return len(fs.find(container + '/dask-out-' + protocol))
        return round_trip
    raise SystemExit('unknown workload ' + name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('client', choices=('ours', 'adlfs'))
    parser.add_argument('workload')
    parser.add_argument('--conn', required=True)
    parser.add_argument('--container', required=True)
    args = parser.parse_args()
    fs, protocol = make_fs(args.client, args.conn)
    timed = workload(args.workload, fs, protocol, args.conn, args.container)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = timed()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(json.dumps({'client': args.client, 'workload': args.workload, 'wall': wall, 'cpu': cpu, 'result': result}))


if __name__ == '__main__':
    main()
