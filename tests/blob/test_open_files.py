"""Path transfers open their files only when they can start: any number of them fits `ulimit -n 1024`.

Each scenario runs in a subprocess whose open-file limit is lowered to 1,024 (resource.setrlimit),
with 2,000 concurrent calls on one service.
"""
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.emulator_only

_SCRIPT = textwrap.dedent('''
    import asyncio, os, resource, sys
    from azure.storage.blob import BlockBlobService

    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    connection_string, container, folder, calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

    async def main():
        async with BlockBlobService(connection_string=connection_string) as service:
            source = os.path.join(folder, 'source.bin')
            with open(source, 'wb') as f:
                f.write(os.urandom(2048))
            uploads = await asyncio.gather(
                *(service.create_blob_from_path(container, 'b{}'.format(i), source) for i in range(calls)),
                return_exceptions=True)
            downloads = await asyncio.gather(
                *(service.get_blob_to_path(container, 'b{}'.format(i), os.path.join(folder, 'd{}'.format(i)))
                  for i in range(calls)),
                return_exceptions=True)
            failures = [repr(r) for r in uploads + downloads if isinstance(r, BaseException)]
            expected = open(source, 'rb').read()
            wrong = [i for i in range(calls) if open(os.path.join(folder, 'd{}'.format(i)), 'rb').read() != expected]
            print(len(failures), len(wrong), failures[:3])
            return 1 if failures or wrong else 0

    sys.exit(asyncio.run(main()))
''')


async def test_two_thousand_concurrent_path_transfers_fit_in_1024_open_files(service, container, tmp_path,
                                                                             connection_string):
    result = subprocess.run([sys.executable, '-c', _SCRIPT, connection_string, container, str(tmp_path), '2000'],
                            capture_output=True, text=True, timeout=280)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert result.stdout.startswith('0 0 ')
