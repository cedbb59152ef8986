"""pandas and Dask on blob storage through the fsspec file system (protocol ``aioblob``).

    pip install ./azure-storage-blob[fsspec] pandas pyarrow "dask[dataframe,distributed]"
    python samples/pandas_dask_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/pandas_dask_usage.py
    python samples/pandas_dask_usage.py             # starts Azurite (the emulator) itself

Engines take ``aioblob://container/path`` URLs and the credentials as ``storage_options``;
Dask pickles those plain options to its worker processes, which rebuild the file system there.
The sample creates one container of its own and deletes it at the end, whatever happens.
"""
import os
import sys
import uuid
from pathlib import Path

import dask.dataframe as dd
import fsspec
import pandas as pd
from distributed import Client, LocalCluster


def main(connection_string):
    options = {'connection_string': connection_string}
    fs = fsspec.filesystem('aioblob', **options)
    container = 'pandas' + uuid.uuid4().hex[:8]
    fs.mkdir(container)
    try:
        frame = pd.DataFrame({'city': ['Oslo', 'Lima', 'Pune', 'Kobe'] * 2500, 'reading': range(10000)})
        frame.to_parquet('aioblob://{}/raw/readings.parquet'.format(container), storage_options=options)
        frame.to_csv('aioblob://{}/raw/readings.csv'.format(container), index=False, storage_options=options)
        back = pd.read_csv('aioblob://{}/raw/readings.csv'.format(container), storage_options=options)
        print('pandas : read back', len(back), 'rows; files:', fs.ls(container + '/raw', detail=False))

        with LocalCluster(n_workers=2, threads_per_worker=1, host='127.0.0.1', dashboard_address='127.0.0.1:0') \
                as cluster, Client(cluster):
            readings = dd.read_parquet('aioblob://{}/raw/readings.parquet'.format(container), storage_options=options)
            readings['doubled'] = readings['reading'] * 2
            readings.to_parquet('aioblob://{}/doubled'.format(container), storage_options=options)
            means = dd.read_parquet('aioblob://{}/doubled'.format(container), storage_options=options) \
                .groupby('city')['doubled'].mean().compute()
        print('dask   : mean of doubled readings per city:', means.sort_index().to_dict())
        print('         written:', fs.find(container + '/doubled'))
    finally:
        fs.rm(container, recursive=True)
    print('done.')


def run():
    connection_string = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if connection_string:
        main(connection_string)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'devtools'))
    from azurite import Azurite
    print('Starting Azurite, the storage emulator, on 127.0.0.1 ...')
    emulator = Azurite.start()
    try:
        main(emulator.connection_string)
    finally:
        emulator.stop()


if __name__ == '__main__':
    run()
