"""Real engines through the aioblob protocol: pandas (parquet and CSV) and a Dask cluster whose
worker processes (spawned) rebuild the file system from its pickled options."""
import io

import pytest

pd = pytest.importorskip('pandas')
pytest.importorskip('pyarrow')

from testkit import fast_retry  # noqa: E402


def _frame(rows):
    return pd.DataFrame({
        'id': range(rows),
        'value': [index * 0.5 for index in range(rows)],
        'label': ['row {}'.format(index) for index in range(rows)],
    })


@pytest.fixture
def storage_options(connection_string):
    return {'connection_string': connection_string, 'retry': fast_retry(), 'skip_instance_cache': True}


def test_pandas_parquet_and_csv_round_trip(blob_fs, fs_container, storage_options):
    frame = _frame(50000)
    url = 'aioblob://{}/tables/frame.parquet'.format(fs_container)
    frame.to_parquet(url, storage_options=storage_options)
    pd.testing.assert_frame_equal(pd.read_parquet(url, storage_options=storage_options), frame)
    local = io.BytesIO()
    frame.to_parquet(local)
    assert blob_fs.cat_file(url) == local.getvalue()

    csv_url = 'aioblob://{}/tables/frame.csv'.format(fs_container)
    blob_fs.pipe_file(csv_url, frame.to_csv(index=False).encode())
    pd.testing.assert_frame_equal(pd.read_csv(csv_url, storage_options=storage_options), frame)


# Older dask-expr (the versions Python 3.9 gets) warns about annotations its own to_parquet sets.
@pytest.mark.filterwarnings('ignore:Dask annotations:UserWarning')
def test_dask_round_trip_on_spawned_workers(blob_fs, fs_container, storage_options):
    dd = pytest.importorskip('dask.dataframe')
    distributed = pytest.importorskip('distributed')
    import dask

    frame = _frame(200000)
    source = 'aioblob://{}/in'.format(fs_container)
    target = 'aioblob://{}/out'.format(fs_container)
    dd.from_pandas(frame, npartitions=4).to_parquet(source, storage_options=storage_options, write_index=False)
    with dask.config.set({'distributed.worker.multiprocessing-method': 'spawn'}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                           dashboard_address='127.0.0.1:0')
        with cluster, distributed.Client(cluster):
            data = dd.read_parquet(source, storage_options=storage_options)
            data['double'] = data['value'] * 2
            data.to_parquet(target, storage_options=storage_options, write_index=False)
            pids = set(distributed.get_client().run(lambda: __import__('os').getpid()).values())
    assert len(pids) == 2
    written = sorted(blob_fs.find(target))
    assert len([name for name in written if name.endswith('.parquet')]) == 4
    expected = frame.assign(double=frame['value'] * 2)
    result = pd.concat([pd.read_parquet(io.BytesIO(blob_fs.cat_file(name)))
                        for name in written if name.endswith('.parquet')], ignore_index=True)
    result = result.sort_values('id').reset_index(drop=True)
    # Byte for byte: every value the workers wrote, in a text form that shows any difference.
    assert result.to_csv(index=False).encode() == expected.to_csv(index=False).encode()
