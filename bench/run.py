"""The benchmark: ours vs the official async SDKs vs a raw-aiohttp floor, on one Azurite.

Blob, queue and table: small operations, listing and queries, batches, 256 MiB transfers.

    .venv/bin/python bench/run.py              # everything; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --rounds 1   # quicker, noisier

Each client runs each workload in a subprocess of its own, so CPU time and RSS are that
client's alone. See bench/README.md.
"""
import argparse
import datetime
import filecmp
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / 'out'
OFFICIAL_VENV = BENCH / '.venv-official'
OFFICIAL_REQUIREMENTS = ('azure-storage-blob>=12,<13', 'azure-storage-queue>=12,<13', 'azure-data-tables>=12,<13',
                         'aiohttp')
OURS_PACKAGES = ('azure-storage-common', 'azure-storage-blob', 'azure-storage-queue', 'azure-storage-table')
sys.path.insert(0, str(ROOT / 'devtools'))
sys.path.insert(0, str(BENCH))

import common  # noqa: E402

CLIENTS = ('ours', 'official', 'raw')
# The queue and table cases: (label, unit, workload, phase, target CPU ratio ours / raw).
SERVICE_CASES = (
    ('queue put, 16 concurrent', 'message', 'queue', 'put', 1.3),
    ('queue get 32 + delete, 16 concurrent', 'message', 'queue', 'get_delete', 1.3),
    ('table insert, 64 concurrent (7 properties incl. a DateTime)', 'entity', 'table', 'insert', 1.3),
    ('table query, one partition of 2,000 (typed values)', 'entity', 'table', 'query', 2.5),
    ('table batch of 100 inserts, 4 batches in flight', 'entity', 'table', 'batch', 1.5),
)
SERVICE_WORKLOADS = ('queue', 'table')
LIST_TARGET = 2.0
LABELS = {'ours': 'ours (aio-azure-storage)', 'official': 'official 12.x aio', 'raw': 'raw aiohttp floor'}
SUBPROCESS_TIMEOUT = 300
MIB = 1024 * 1024
# Peak RSS growth allowed for the big transfer: max_connections x chunk size + 50 MB.
RSS_LIMIT_MIB = (common.MAX_CONNECTIONS * common.CHUNK_GET_SIZE + 50 * 10 ** 6) / MIB


def log(message):
    print('[bench {:>6.1f}s] {}'.format(time.monotonic() - START, message), flush=True)


START = time.monotonic()


def official_python():
    return OFFICIAL_VENV / 'bin' / 'python'


def ensure_official_venv():
    """bench/.venv-official with the official SDKs 12.x and aiohttp from PyPI (never the project venv)."""
    python = official_python()
    if python.exists() and subprocess.run([str(python), '-c', 'import azure.storage.blob.aio, '
                                           'azure.storage.queue.aio, azure.data.tables.aio, aiohttp'],
                                          capture_output=True).returncode == 0:
        return
    log('creating {} ({})'.format(OFFICIAL_VENV.relative_to(ROOT), ', '.join(OFFICIAL_REQUIREMENTS)))
    if not python.exists():
        subprocess.run([sys.executable, '-m', 'venv', str(OFFICIAL_VENV)], check=True)
    subprocess.run([str(python), '-m', 'pip', 'install', '--quiet', *OFFICIAL_REQUIREMENTS], check=True)


# Where ours is imported from: a snapshot of the committed packages (see snapshot_ours), so
# commits landing while the bench runs cannot mix versions; empty means the working tree.
OURS_PATH = []


def snapshot_ours():
    """``git archive HEAD`` of our packages into bench/out/snapshot; returns the commit."""
    commit = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'], capture_output=True,
                            text=True, check=True).stdout.strip()
    snapshot = OUT / 'snapshot'
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir()
    archive = subprocess.run(['git', '-C', str(ROOT), 'archive', commit, '--', *OURS_PACKAGES],
                             capture_output=True, check=True).stdout
    subprocess.run(['tar', '-x', '-C', str(snapshot)], input=archive, check=True)
    OURS_PATH[:] = [str(snapshot / package) for package in OURS_PACKAGES]
    return commit


def client_env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(OURS_PATH + [str(BENCH)]), PYTHONDONTWRITEBYTECODE='1')


def ours_available():
    """Whether ours imports (and from where): (True, path of azure.storage.blob) or (False, why not)."""
    probe = subprocess.run([sys.executable, '-c', 'import azure.storage.blob as blob; '
                            'from azure.storage.blob import BlockBlobService; '
                            'from azure.storage.queue import QueueService; '
                            'from azure.storage.table import TableService; print(blob.__file__)'],
                           capture_output=True, text=True, env=client_env())
    if probe.returncode:
        return False, probe.stderr.strip().splitlines()[-1:]
    return True, probe.stdout.strip()


def pip_version(python, package):
    code = 'import importlib.metadata as m; print(m.version({!r}))'.format(package)
    probe = subprocess.run([str(python), '-c', code], capture_output=True, text=True)
    return probe.stdout.strip() or 'n/a'


def azurite_version():
    return json.loads((ROOT / 'node_modules' / 'azurite' / 'package.json').read_text())['version']


def azurite_api_version():
    """The newest blob x-ms-version this Azurite accepts (the official SDK's may be newer)."""
    constants = ROOT / 'node_modules' / 'azurite' / 'dist' / 'src' / 'blob' / 'utils' / 'constants.js'
    match = re.search(r'BLOB_API_VERSION = "([^"]+)"', constants.read_text())
    return match.group(1) if match else None


def machine_facts():
    model = ''
    with open('/proc/cpuinfo') as cpuinfo:
        for line in cpuinfo:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    node = subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'],
                            capture_output=True, text=True).stdout.strip()
    mem_kib = 0
    with open('/proc/meminfo') as meminfo:
        mem_kib = int(meminfo.readline().split()[1])
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'cores': os.cpu_count(),
        'cpu': model,
        'memory': '{:.0f} GiB'.format(mem_kib / 1024 / 1024),
        'kernel': platform.release(),
        'python': platform.python_version(),
        'aiohttp (project venv)': pip_version(sys.executable, 'aiohttp'),
        'aiohttp (official venv)': pip_version(official_python(), 'aiohttp'),
        'azure-storage-blob (official venv)': pip_version(official_python(), 'azure-storage-blob'),
        'azure-storage-queue (official venv)': pip_version(official_python(), 'azure-storage-queue'),
        'azure-data-tables (official venv)': pip_version(official_python(), 'azure-data-tables'),
        'azure-core (official venv)': pip_version(official_python(), 'azure-core'),
        'Azurite': '{} (node {}, in memory)'.format(azurite_version(), node),
        'git commit': commit,
        'load average at start (1/5/15 min)': load_average(),
    }


def load_average():
    with open('/proc/loadavg') as loadavg:
        return ' '.join(loadavg.read().split()[:3])


def make_source(path):
    if path.exists() and path.stat().st_size == common.BIG_SIZE:
        return
    log('writing the 256 MiB source file')
    with open(path, 'wb') as source:
        for _ in range(common.BIG_SIZE // (16 * MIB)):
            source.write(os.urandom(16 * MIB))


def run_client(client, workload, conn, container, extra=(), profile=None):
    """One client process on one workload; a failed run is tried once more (a loaded emulator may reset)."""
    try:
        return _run_client(client, workload, conn, container, extra, profile)
    except RuntimeError as ex:
        log('{} {} failed, run again once: {}'.format(client, workload, str(ex).strip().splitlines()[-1:]))
        # A queue or table of its own: the failed run may have left messages or entities behind.
        fresh = container + 'x' if workload in SERVICE_WORKLOADS else container
        return _run_client(client, workload, conn, fresh, extra, profile)


def _run_client(client, workload, conn, container, extra=(), profile=None):
    python = official_python() if client == 'official' else Path(sys.executable)
    args = [str(python), str(BENCH / 'client_{}.py'.format(client)), workload, '--conn', conn,
            '--container', container, *extra]
    if profile:
        args += ['--profile', str(profile)]
    env = client_env() if client == 'ours' else dict(os.environ, PYTHONPATH=str(BENCH), PYTHONDONTWRITEBYTECODE='1')
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=str(BENCH))
    try:
        stdout, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError('{} {} timed out after {} s'.format(client, workload, SUBPROCESS_TIMEOUT))
    for line in stdout.splitlines():
        if line.startswith('BENCH-RESULT '):
            return json.loads(line[len('BENCH-RESULT '):])
    raise RuntimeError('{} {} failed (exit {}):\n{}'.format(client, workload, process.returncode, stderr[-3000:]))


def median_of(runs, *keys):
    values = []
    for run in runs:
        for key in keys:
            run = run[key]
        values.append(run)
    return statistics.median(values)


def hotspots(profile_path, limit=15):
    """The top functions of a cProfile dump by own time, as (file:function, ncalls, tottime, cumtime)."""
    stats = pstats.Stats(str(profile_path))
    rows = []
    for (filename, line, function), (_, ncalls, tottime, cumtime, _) in stats.stats.items():
        rows.append((tottime, cumtime, ncalls, _short(filename), line, function))
    rows.sort(reverse=True)
    cumulative = sorted(rows, key=lambda row: row[1], reverse=True)
    return rows[:limit], cumulative


def _short(filename):
    for marker in ('/site-packages/', *('/{}/'.format(package) for package in OURS_PACKAGES), '/lib/python3'):
        if marker in filename:
            return filename.split(marker, 1)[1] if marker != '/lib/python3' else 'stdlib/' + \
                filename.split(marker, 1)[1].split('/', 1)[-1]
    return filename.replace(str(ROOT) + '/', '')


def ours_cumulative(cumulative, limit=15):
    """Cumulative-time rows of our own package code (azure/storage/...), the owner's entry points."""
    ours = [row for row in cumulative if row[3].startswith('azure/storage/')]
    return ours[:limit]


def fmt(value, digits=0):
    return '{:,.{}f}'.format(value, digits)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--rounds', type=int, default=3,
                        help='rounds of the small-op and listing workloads (median reported)')
    parser.add_argument('--big-rounds', type=int, default=5,
                        help='rounds of the 256 MiB transfers, each on a fresh Azurite (median MiB/s, max RSS)')
    parser.add_argument('--no-profile', action='store_true', help='skip profiling ours when it misses a target')
    parser.add_argument('--clients', default=','.join(CLIENTS),
                        help='comma-separated subset of {} (targets are judged only with all three)'.format(
                            ', '.join(CLIENTS)))
    parser.add_argument('--worktree', action='store_true',
                        help='measure ours from the working tree instead of a snapshot of the HEAD commit')
    parser.add_argument('--results', default=str(BENCH / 'RESULTS.md'))
    options = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    ensure_official_venv()
    if options.worktree:
        ours_source = 'the working tree of {} (uncommitted changes included)'.format(ROOT)
    else:
        ours_source = 'commit {} (git archive of {})'.format(snapshot_ours(), ', '.join(OURS_PACKAGES))
    have_ours, why_not = ours_available()
    if have_ours:
        log('ours: {} -> {}'.format(ours_source, why_not))
    wanted = options.clients.split(',')
    clients = tuple(client for client in CLIENTS if client in wanted and (have_ours or client != 'ours'))
    if not have_ours:
        log('ours is not importable yet ({}): left out'.format(why_not))
    source = OUT / 'source-256MiB.bin'
    make_source(source)
    facts = machine_facts()
    facts['ours measured at'] = ours_source

    from azurite import Azurite
    api = ['--api-version', azurite_api_version()]
    small_runs = {client: [] for client in clients}
    list_runs = {client: [] for client in clients}
    big_runs = {client: [] for client in clients}
    service_runs = {client: {workload: [] for workload in SERVICE_WORKLOADS} for client in clients}
    profiles = {}

    def start_azurite():
        emulator = Azurite.start()
        log('Azurite on 127.0.0.1:{} (pid {})'.format(
            emulator.blob_port, emulator.process.pid if emulator.process else 'reused'))
        return emulator

    def extra_for(client, workload):
        # The official SDKs' newest x-ms-version may be newer than the emulator's (the table SDK's is not).
        extra = list(api) if client == 'official' and workload != 'table' else []
        if workload == 'big':
            extra += ['--source', str(source), '--outdir', str(OUT)]
        return extra

    def rotated(round_no):
        return clients[round_no % len(clients):] + clients[:round_no % len(clients)]

    for round_no in range(options.rounds):
        # Rotate the order so no client always runs first (or last).
        for client in rotated(round_no):
            # A fresh emulator for each client's run: Azurite's in-memory state grows with every
            # client's blobs and entities, and its speed with it changes the client's CPU per
            # unit (fewer answers per event-loop wake-up). Every client meets the same state.
            azurite = start_azurite()
            try:
                conn = azurite.connection_string
                run_client('raw', 'populate', conn, common.LIST_CONTAINER)
                result = run_client(client, 'small', conn, 'small{}{}'.format(client, round_no),
                                    extra_for(client, 'small'))
                small_runs[client].append(result)
                log('round {} small {:9}: up {:6.0f} ops/s {:5.0f} us/op, down {:6.0f} ops/s {:5.0f} us/op'.format(
                    round_no, client, result['upload']['ops_per_s'], result['upload']['cpu_us_per_op'],
                    result['download']['ops_per_s'], result['download']['cpu_us_per_op']))
                result = run_client(client, 'list', conn, common.LIST_CONTAINER, extra_for(client, 'list'))
                list_runs[client].append(result)
                log('round {} list  {:9}: {:.3f} s, cpu {:.3f} s'.format(
                    round_no, client, result['seconds'], result['cpu_seconds']))
                # Every result so far, in case the run is stopped before the end.
                (OUT / 'raw-results.json').write_text(json.dumps(
                    {'small': small_runs, 'list': list_runs, 'services': service_runs}, indent=1))
                for workload in SERVICE_WORKLOADS:
                    result = run_client(client, workload, conn, '{}{}{}'.format(workload[0], client, round_no),
                                        extra_for(client, workload))
                    service_runs[client][workload].append(result)
                    log('round {} {:5} {:9}: {}'.format(round_no, workload, client, ', '.join(
                        '{} {:.0f} us/unit'.format(phase, values['cpu_us_per_unit'])
                        for phase, values in result.items())))
            finally:
                azurite.stop()

    for round_no in range(options.big_rounds):
        # A fresh emulator each round: in memory it frees overwritten blob data only every 10 minutes.
        azurite = start_azurite()
        try:
            for client in rotated(round_no):
                # Each transfer in a process of its own: a clean baseline for its peak RSS.
                result = {}
                path_dest, stream_dest = common.big_paths(str(OUT), client)
                for transfer in common.TRANSFERS:
                    result.update(run_client(client, 'big', azurite.connection_string, 'big' + client,
                                             extra_for(client, 'big') + ['--transfer', transfer]))
                    if transfer.startswith('download'):
                        dest = path_dest if transfer == 'download_path' else stream_dest
                        if not filecmp.cmp(str(source), dest, shallow=False):
                            raise RuntimeError('{}: downloaded file differs from the source'.format(dest))
                        os.remove(dest)
                big_runs[client].append(result)
                for name, transfer in result.items():
                    log('round {} big {:9} {:15}: {:6.1f} MiB/s, peak RSS +{:6.1f} MiB, cpu {:.2f} s'.format(
                        round_no, client, name, transfer['mib_per_s'], transfer['rss_peak_growth_mib'],
                        transfer['cpu_seconds']))
        finally:
            azurite.stop()
            log('Azurite stopped')

    summary = summarize(clients, small_runs, list_runs, big_runs, service_runs)
    verdicts = judge(summary, small_runs, list_runs, big_runs, service_runs) if set(clients) == set(CLIENTS) else []
    missed = sorted({verdict['workload'] for verdict in verdicts if not verdict['passed']})
    if missed and not options.no_profile:
        azurite = start_azurite()
        try:
            conn = azurite.connection_string
            for workload in missed:
                path = OUT / 'profile-ours-{}.prof'.format(workload)
                log('profiling ours on {} (cProfile)'.format(workload))
                container = 'prof' + workload
                try:
                    if workload == 'list':
                        container = common.LIST_CONTAINER
                        run_client('raw', 'populate', conn, container)
                    run_client('ours', workload, conn, container, extra_for('ours', workload), profile=path)
                except RuntimeError as ex:
                    log('profiling ours on {} failed: {}'.format(workload, ex))
                    continue
                profiles[workload] = hotspots(path)
                for dest in common.big_paths(str(OUT), 'ours'):
                    if os.path.exists(dest):
                        os.remove(dest)
        finally:
            azurite.stop()
            log('Azurite stopped')

    facts['load average at end (1/5/15 min)'] = load_average()
    report = render(facts, clients, summary, verdicts, profiles, options, None if have_ours else why_not,
                    (small_runs, list_runs, big_runs, service_runs))
    Path(options.results).write_text(report)
    (OUT / 'raw-results.json').write_text(json.dumps(
        {'facts': facts, 'small': small_runs, 'list': list_runs, 'big': big_runs, 'services': service_runs},
        indent=1))
    print(report)
    log('wrote {}'.format(options.results))


def summarize(clients, small_runs, list_runs, big_runs, service_runs):
    summary = {}
    for client in clients:
        entry = {}
        for _, _, workload, phase, _ in SERVICE_CASES:
            runs = service_runs[client][workload]
            if runs:
                entry[(workload, phase)] = {'cpu_us': median_of(runs, phase, 'cpu_us_per_unit'),
                                            'per_s': median_of(runs, phase, 'per_s')}
        for phase in ('upload', 'download', 'all') if small_runs[client] else ():
            entry['small_' + phase + '_ops'] = median_of(small_runs[client], phase, 'ops_per_s')
            entry['small_' + phase + '_cpu_us'] = median_of(small_runs[client], phase, 'cpu_us_per_op')
        if list_runs[client]:
            entry['list_seconds'] = median_of(list_runs[client], 'seconds')
            entry['list_cpu'] = median_of(list_runs[client], 'cpu_seconds')
        runs = big_runs.get(client) or []
        for transfer in (runs[0] if runs else {}):
            entry[transfer] = {
                'mib_per_s': median_of(runs, transfer, 'mib_per_s'),
                'seconds': median_of(runs, transfer, 'seconds'),
                'cpu_seconds': median_of(runs, transfer, 'cpu_seconds'),
                # The worst round: the target is a bound.
                'rss_peak_growth_mib': max(run[transfer]['rss_peak_growth_mib'] for run in runs),
                'rss_median_mib': median_of(runs, transfer, 'rss_peak_growth_mib'),
                'all_mib_per_s': [run[transfer]['mib_per_s'] for run in runs],
            }
        summary[client] = entry
    return summary


def paired(runs_a, runs_b, *keys):
    """Median and range of the per-round ratios a/b (the same round shares emulator and machine load)."""
    ratios = []
    for run_a, run_b in zip(runs_a, runs_b):
        value_a, value_b = run_a, run_b
        for key in keys:
            value_a, value_b = value_a[key], value_b[key]
        ratios.append(value_a / value_b)
    return '{:.2f}x ({:.2f}-{:.2f})'.format(statistics.median(ratios), min(ratios), max(ratios))


def judge(summary, small_runs, list_runs, big_runs, service_runs):
    ours, official, raw = summary['ours'], summary['official'], summary['raw']
    verdicts = []

    def add(workload, target, value, limit, passed, ratio=''):
        verdicts.append({'workload': workload, 'target': target, 'value': value, 'limit': limit, 'passed': passed,
                         'paired': ratio})

    for label, unit, workload, phase, target in SERVICE_CASES:
        if (workload, phase) not in ours:
            continue
        value = ours[(workload, phase)]['cpu_us']
        for other, factor, name in (('raw', target, '{} x raw floor'.format(target)),
                                    ('official', 1 / 3, '1/3 x official')):
            limit = factor * summary[other][(workload, phase)]['cpu_us']
            add(workload, 'CPU/{}, {} <= {}'.format(unit, label, name), '{:.1f} us'.format(value),
                '{:.1f} us'.format(limit), value <= limit,
                paired(service_runs['ours'][workload], service_runs[other][workload], phase, 'cpu_us_per_unit'))
    if 'list_cpu' in ours:
        add('list', 'CPU/blob, listing <= {} x raw floor'.format(LIST_TARGET),
            '{:.1f} us'.format(ours['list_cpu'] / common.LIST_COUNT * 1e6),
            '{:.1f} us'.format(LIST_TARGET * raw['list_cpu'] / common.LIST_COUNT * 1e6),
            ours['list_cpu'] <= LIST_TARGET * raw['list_cpu'],
            paired(list_runs['ours'], list_runs['raw'], 'cpu_seconds'))

    for phase in ('upload', 'download', 'all') if 'small_all_cpu_us' in ours else ():
        key = 'small_{}_cpu_us'.format(phase)
        add('small', 'CPU/op, small {} <= 1.3 x raw floor'.format(phase),
            '{:.0f} us'.format(ours[key]), '{:.0f} us'.format(1.3 * raw[key]), ours[key] <= 1.3 * raw[key],
            paired(small_runs['ours'], small_runs['raw'], phase, 'cpu_us_per_op'))
        add('small', 'CPU/op, small {} <= 1/3 x official'.format(phase),
            '{:.0f} us'.format(ours[key]), '{:.0f} us'.format(official[key] / 3), ours[key] <= official[key] / 3,
            paired(small_runs['ours'], small_runs['official'], phase, 'cpu_us_per_op'))
    measured = common.TRANSFERS if 'upload_path' in ours else ()
    for transfer in measured:
        add('big', '256 MiB {} MiB/s >= official'.format(transfer),
            '{:.1f}'.format(ours[transfer]['mib_per_s']), '{:.1f}'.format(official[transfer]['mib_per_s']),
            ours[transfer]['mib_per_s'] >= official[transfer]['mib_per_s'],
            paired(big_runs['ours'], big_runs['official'], transfer, 'mib_per_s'))
    for transfer in measured:
        growth = ours[transfer]['rss_peak_growth_mib']
        add('big', '256 MiB {} peak RSS growth <= 4 x 4 MiB + 50 MB (worst round)'.format(transfer),
            '{:.1f} MiB'.format(growth), '{:.1f} MiB'.format(RSS_LIMIT_MIB), growth <= RSS_LIMIT_MIB,
            'median {:.1f} MiB'.format(ours[transfer]['rss_median_mib']))
    return verdicts


def render(facts, clients, summary, verdicts, profiles, options, missing_ours, runs):
    small_runs, list_runs, big_runs, service_runs = runs
    rounds = options.rounds
    lines = ['# Benchmark results: blob, queue, table', '',
             'Written by `bench/run.py` (see bench/README.md for how to run it and what each number means).', '']
    if missing_ours:
        lines += ['**Ours was not measured**: `from azure.storage.blob import BlockBlobService` failed '
                  '({}).'.format(missing_ours), '']
    lines += ['## Machine', '', '| fact | value |', '| --- | --- |']
    lines += ['| {} | {} |'.format(name, value) for name, value in facts.items()]
    lines += ['', '## Settings', '',
              '- Small ops: {:,} x {} B Put Blob, then {:,} Get Blob (ranged, like both SDKs), a fixed pool of '
              '{} worker tasks, after {} untimed warm-up round trips; median of {} round(s), client order '
              'rotated each round.'.format(common.SMALL_COUNT, common.SMALL_SIZE, common.SMALL_COUNT,
                                           common.CONCURRENCY, common.WARMUP_COUNT, rounds),
              '- CPU is `time.process_time()` of the client process (all its threads) around the timed '
              'workload only, divided by the operations.',
              '- Listing: {:,} blobs in one container, created beforehand (untimed); every page walked, '
              'default page size (Azurite: up to 5,000 a page); median of {} round(s).'.format(
                  common.LIST_COUNT, rounds),
              '- 256 MiB: max_connections=4 (official: max_concurrency=4); blocks of {} MiB (Put Block), '
              'single Put Blob up to {} MiB, first ranged GET {} MiB then {} MiB ranges: the legacy 2.1 '
              'and 12.x defaults, set explicitly on every client. Upload from a path (official: the opened '
              'file) and from an opened file stream; download to a path and to an opened file stream. '
              'Files on disk; each download is compared to the source byte for byte.'.format(
                  common.BLOCK_SIZE // MIB, common.SINGLE_PUT_SIZE // MIB, common.SINGLE_GET_SIZE // MIB,
                  common.CHUNK_GET_SIZE // MIB),
              '- 256 MiB rounds: {}, each on a fresh Azurite, client order rotated; MiB/s and CPU are the '
              'median, peak RSS growth the largest of the rounds (every round\'s MiB/s in brackets).'.format(
                  options.big_rounds),
              '- Each 256 MiB transfer runs in a fresh client process (after one untimed 1 KiB upload and '
              'download that opens the connection and does the lazy imports), so no transfer inherits '
              'memory freed by another. Peak RSS growth: `VmHWM` after the transfer minus `VmRSS` before '
              'it, the high-water mark reset by writing 5 to /proc/self/clear_refs just before. '
              'Limit: 4 x 4 MiB + 50 MB = '
              '{:.1f} MiB.'.format(RSS_LIMIT_MIB),
              '- MiB = 2^20 bytes. Azurite (in memory) on 127.0.0.1, a fresh one for each client\'s '
              'small-op, listing, queue and table run of each round (the listing container populated '
              'anew), so that every client meets the same emulator state; it shares '
              'the {} cores with the client, so ops/s is bounded by the emulator and CPU/op is the '
              'number to compare. The machine may be shared with other work (other test runs with their '
              'own emulator): the load averages above say how busy it was; per-round ratios (in the '
              'targets table) are less sensitive to that than the medians.'.format(facts['cores']), '']

    lines += ['## Small operations (1 KiB, concurrency 64)', '',
              '| client | upload ops/s | upload CPU µs/op | download ops/s | download CPU µs/op | '
              'all ops/s | all CPU µs/op |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |']
    for client in clients:
        entry = summary[client]
        if 'small_all_ops' not in entry:
            continue
        lines.append('| {} | {} | {} | {} | {} | {} | {} |'.format(
            LABELS[client], fmt(entry['small_upload_ops']), fmt(entry['small_upload_cpu_us']),
            fmt(entry['small_download_ops']), fmt(entry['small_download_cpu_us']),
            fmt(entry['small_all_ops']), fmt(entry['small_all_cpu_us'])))
    if all('small_all_ops' in summary.get(client, {}) for client in CLIENTS):
        ratios = []
        for other in ('raw', 'official'):
            ratios.append('ours / {}: upload {:.2f}x, download {:.2f}x, all {:.2f}x'.format(
                other, *(summary['ours']['small_{}_cpu_us'.format(p)] / summary[other]['small_{}_cpu_us'.format(p)]
                         for p in ('upload', 'download', 'all'))))
        lines += ['', 'CPU ratios: ' + '; '.join(ratios) + '.']

    lines += ['', '## Listing 5,000 blobs', '', '| client | seconds | CPU seconds | CPU µs/blob |',
              '| --- | ---: | ---: | ---: |']
    for client in clients:
        entry = summary[client]
        if 'list_seconds' not in entry:
            continue
        lines.append('| {} | {:.3f} | {:.3f} | {:.1f} |'.format(
            LABELS[client], entry['list_seconds'], entry['list_cpu'], entry['list_cpu'] / common.LIST_COUNT * 1e6))

    lines += ['', '## Queue and table', '',
              '- Queue: {:,} Put Message ({}-character text) by {} worker tasks, then Get Messages of {} at a '
              'time, each got message deleted, by {} worker tasks (a worker stops at its first empty get), '
              'after {} untimed messages put, got and deleted.'.format(
                  common.QUEUE_COUNT, len(common.queue_text(0)), common.QUEUE_CONCURRENCY, common.QUEUE_GET,
                  common.QUEUE_CONCURRENCY, common.QUEUE_WARMUP),
              '- Table: {:,} Insert Entity by {} worker tasks into one partition, each entity with 7 '
              'properties (PartitionKey, RowKey, a string, an Int64, a Double, a DateTime with microseconds, '
              'a Guid); then Query Entities of that partition, every page (Azurite: up to 1,000 a page), the '
              'typed values converted (the raw floor: DateTime, Int64, Double and Timestamp only, with the '
              'standard library); then {:,} more inserts in entity group transactions of {}, {} in flight. '
              'After {} untimed inserts and a query of them.'.format(
                  common.TABLE_COUNT, common.CONCURRENCY, common.TABLE_COUNT, common.TABLE_BATCH,
                  common.TABLE_BATCH_CONCURRENCY, common.TABLE_WARMUP),
              '- Ours: QueueService and TableService with their defaults. Official: QueueClient '
              '(send_message, receive_messages, delete_message) and TableClient (create_entity, '
              'query_entities, submit_transaction). Raw: the same requests, hand-signed.', '',
              '| case (unit) | client | units/s | CPU µs/unit |', '| --- | --- | ---: | ---: |']
    for label, unit, workload, phase, _ in SERVICE_CASES:
        for client in clients:
            values = summary[client].get((workload, phase))
            if values:
                lines.append('| {} ({}) | {} | {} | {:.1f} |'.format(
                    label, unit, LABELS[client], fmt(values['per_s']), values['cpu_us']))
    if all(summary.get(client) for client in CLIENTS):
        lines += ['', '## Every case: client CPU per unit, side by side', '',
                  'Medians of the rounds. "ours/raw per round" is the median (min-max) of the ratio within each '
                  'round.', '',
                  '| case (unit) | official | ours | raw | ours/raw | ours/raw per round | target ours/raw | '
                  'ours/official |', '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |']
        ours, official, raw = summary['ours'], summary['official'], summary['raw']
        rows = []
        if 'small_upload_cpu_us' in ours:
            for phase, label in (('upload', 'blob put 1 KiB, 64 concurrent'),
                                 ('download', 'blob get 1 KiB, 64 concurrent')):
                key = 'small_{}_cpu_us'.format(phase)
                rows.append((label + ' (blob)', official[key], ours[key], raw[key],
                             paired(small_runs['ours'], small_runs['raw'], phase, 'cpu_us_per_op'), 1.3))
        if 'list_cpu' in ours:
            rows.append(('list 5,000 blobs (blob)',
                         *(summary[c]['list_cpu'] / common.LIST_COUNT * 1e6 for c in ('official', 'ours', 'raw')),
                         paired(list_runs['ours'], list_runs['raw'], 'cpu_seconds'), LIST_TARGET))
        for label, unit, workload, phase, target in SERVICE_CASES:
            if (workload, phase) in ours:
                rows.append(('{} ({})'.format(label, unit),
                             *(summary[c][(workload, phase)]['cpu_us'] for c in ('official', 'ours', 'raw')),
                             paired(service_runs['ours'][workload], service_runs['raw'][workload], phase,
                                    'cpu_us_per_unit'), target))
        if 'download_path' in ours:
            rows.append(('256 MiB download to a path, 4 connections (CPU s)',
                         *(summary[c]['download_path']['cpu_seconds'] for c in ('official', 'ours', 'raw')),
                         paired(big_runs['ours'], big_runs['raw'], 'download_path', 'cpu_seconds'), 1.2))
        for label, off, our, floor, per_round, target in rows:
            digits = 2 if our < 10 else 1 if our < 100 else 0
            lines.append('| {} | {} | {} | {} | {:.2f} | {} | {} | {:.2f} |'.format(
                label, fmt(off, digits), fmt(our, digits), fmt(floor, digits), our / floor, per_round,
                '<= {}'.format(target), our / off))

    lines += ['', '## 256 MiB transfer (max_connections=4, 4 MiB chunks)', '',
              '| client | transfer | MiB/s | (rounds) | seconds | CPU seconds | peak RSS growth MiB, worst | median |',
              '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |']
    for client in clients:
        for transfer in ('upload_path', 'upload_stream', 'download_path', 'download_stream'):
            values = summary[client].get(transfer)
            if values:
                lines.append('| {} | {} | {:.1f} | {} | {:.2f} | {:.2f} | {:.1f} | {:.1f} |'.format(
                    LABELS[client], transfer.replace('_', ' from ' if transfer.startswith('up') else ' to ', 1),
                    values['mib_per_s'], ', '.join('{:.0f}'.format(v) for v in values['all_mib_per_s']),
                    values['seconds'], values['cpu_seconds'], values['rss_peak_growth_mib'],
                    values['rss_median_mib']))

    if verdicts:
        lines += ['', '## Targets (ours)', '',
                  'Judged on the medians above. "Per round" is the median (min-max) of the ratio ours / other '
                  'within each round, where both ran on the same emulator under the same machine load.', '',
                  '| target | ours | limit | result | per round |', '| --- | ---: | ---: | --- | --- |']
        for verdict in verdicts:
            lines.append('| {} | {} | {} | {} | {} |'.format(
                verdict['target'], verdict['value'], verdict['limit'],
                'PASS' if verdict['passed'] else '**FAIL**', verdict['paired']))
    for workload, (by_own, cumulative) in sorted(profiles.items()):
        lines += ['', '## Hotspots of ours: {} workload'.format(workload), '',
                  'cProfile, clocking CPU time, of one whole `client_ours.py {}` run (set-up and warm-up '
                  'included; the profiler inflates the cost of many small calls, so read the ranking, not the seconds; '
                  'it counts '
                  'every resumption of a coroutine as a call). '
                  'Paths are relative to site-packages or to the package directory.'.format(workload), '',
                  'By own time:', '', '| file:function (line) | calls | own s | cumulative s |',
                  '| --- | ---: | ---: | ---: |']
        for tottime, cumtime, ncalls, filename, line, function in by_own:
            lines.append('| {}:{} ({}) | {:,} | {:.3f} | {:.3f} |'.format(filename, function, line, ncalls,
                                                                          tottime, cumtime))
        lines += ['', 'Our package code by cumulative time:', '',
                  '| file:function (line) | calls | own s | cumulative s |',
                  '| --- | ---: | ---: | ---: |']
        for tottime, cumtime, ncalls, filename, line, function in ours_cumulative(cumulative):
            lines.append('| {}:{} ({}) | {:,} | {:.3f} | {:.3f} |'.format(filename, function, line, ncalls,
                                                                          tottime, cumtime))
    lines.append('')
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
