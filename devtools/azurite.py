"""Start and stop Azurite, the Azure Storage emulator, for the test session.

Azurite is installed by the project (``npm ci`` at the repository root, see package.json) and
started on 127.0.0.1 on free ports, in memory, without telemetry. Set
``AZURITE_REUSE=blob_port,queue_port,table_port`` to use an Azurite already running on
127.0.0.1 instead.
"""
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_for(port, deadline, process):
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class Azurite:
    """One Azurite process (or a reused one) and the connection string that reaches it."""

    def __init__(self, ports, process=None, workdir=None):
        self.blob_port, self.queue_port, self.table_port = ports
        self.process = process
        self.workdir = workdir

    @property
    def connection_string(self):
        return ('DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};'
                'BlobEndpoint=http://127.0.0.1:{b}/{name};QueueEndpoint=http://127.0.0.1:{q}/{name};'
                'TableEndpoint=http://127.0.0.1:{t}/{name};').format(
            name=DEV_ACCOUNT_NAME, key=DEV_ACCOUNT_KEY, b=self.blob_port, q=self.queue_port, t=self.table_port)

    @classmethod
    def start(cls, extra_args=()):
        reuse = os.environ.get('AZURITE_REUSE')
        if reuse:
            return cls(tuple(int(port) for port in reuse.split(',')))
        executable = ROOT / 'node_modules' / '.bin' / 'azurite'
        if not executable.exists():
            raise RuntimeError('Azurite is not installed: run `npm ci` at the repository root '
                               '(the README test command does it for you).')
        ports = (free_port(), free_port(), free_port())
        workdir = Path(os.environ.get('TMPDIR', '/tmp')) / 'aio-azurite-{}'.format(os.getpid())
        workdir.mkdir(parents=True, exist_ok=True)
        args = [str(executable), '--disableTelemetry', '--inMemoryPersistence', '--silent',
                '--blobHost', '127.0.0.1', '--blobPort', str(ports[0]),
                '--queueHost', '127.0.0.1', '--queuePort', str(ports[1]),
                '--tableHost', '127.0.0.1', '--tablePort', str(ports[2]), *extra_args]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(workdir))
        deadline = time.monotonic() + 60
        if not all(_wait_for(port, deadline, process) for port in ports):
            process.kill()
            _, err = process.communicate()
            raise RuntimeError('Azurite did not start: {}'.format(err.decode(errors='replace')[-2000:]))
        return cls(ports, process, workdir)

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.process = None
