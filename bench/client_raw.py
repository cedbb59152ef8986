"""The raw-aiohttp floor: hand-signed SharedKey requests over one aiohttp.ClientSession.

It sends the same HTTP exchanges as the SDKs (Put Blob; ranged Get Blob; List Blobs page by
page; Put Block / Put Block List and ranged GETs for the big transfer; Put Message, Get
Messages and Delete Message; Insert Entity, Query Entities page by page and entity group
transactions) with as little client work as possible: no retries, no models, no logging,
bodies read as bytes, queried values converted to their Python types and nothing more.
"""
import asyncio
import base64
import datetime
import hashlib
import hmac
import json
import os
import time
import uuid
import xml.etree.ElementTree as ET
from email.utils import formatdate
from urllib.parse import quote

import aiohttp
from yarl import URL

import common

X_MS_VERSION = '2019-02-02'
# The versions ours sends, so that the service does the same work for both.
TABLE_X_MS_VERSION = '2017-04-17'
TABLE_HEADERS = {'DataServiceVersion': '3.0;NetFx', 'MaxDataServiceVersion': '3.0',
                 'Accept': 'application/json;odata=minimalmetadata'}
# aiohttp adds these on its own; they would be sent unsigned (Content-Type) or are unneeded.
SKIP_AUTO_HEADERS = ('Content-Type', 'Accept', 'Accept-Encoding', 'User-Agent')
STANDARD_HEADERS = ('content-encoding', 'content-language', 'content-length', 'content-md5',
                    'content-type', 'date', 'if-modified-since', 'if-match', 'if-none-match',
                    'if-unmodified-since', 'range')


class SharedKey:
    """SharedKey authorization for the blob service, written out plainly."""

    def __init__(self, account, key):
        self.account = account
        self.key = base64.b64decode(key)
        self._date_second = None
        self._date = None

    def date(self):
        now = int(time.time())
        if now != self._date_second:
            self._date_second, self._date = now, formatdate(now, usegmt=True)
        return self._date

    def sign(self, method, path, query, headers):
        """Add the Authorization header. ``path`` is the URL path, ``query`` unencoded values."""
        lower = {name.lower(): value for name, value in headers.items()}
        if lower.get('content-length') == '0':
            lower['content-length'] = ''
        parts = [method]
        parts.extend(lower.get(name, '') for name in STANDARD_HEADERS)
        parts.extend('{}:{}'.format(name, lower[name]) for name in sorted(lower) if name.startswith('x-ms-'))
        resource = '/' + self.account + path
        for name in sorted(query):
            resource += '\n{}:{}'.format(name, query[name])
        parts.append(resource)
        digest = hmac.new(self.key, '\n'.join(parts).encode('utf-8'), hashlib.sha256).digest()
        headers['Authorization'] = 'SharedKey {}:{}'.format(self.account, base64.b64encode(digest).decode())


class RawBlob:
    service = 'Blob'

    def __init__(self, connection_string):
        endpoint, account, key = common.endpoint(connection_string, self.service)
        self.origin, _, base = endpoint.partition('//')[2].partition('/')
        self.origin = 'http://' + self.origin
        self.base = '/' + base
        self.auth = SharedKey(account, key)
        self.session = aiohttp.ClientSession(skip_auto_headers=SKIP_AUTO_HEADERS, auto_decompress=False)

    async def close(self):
        await self.session.close()

    def _prepare(self, method, path, query, headers, body):
        path = self.base + path
        query = query or {}
        headers = headers or {}
        headers['x-ms-date'] = self.auth.date()
        headers['x-ms-version'] = X_MS_VERSION
        if body is not None:
            headers['Content-Length'] = str(len(body))
        self.auth.sign(method, path, query, headers)
        url = self.origin + path
        if query:
            url += '?' + '&'.join('{}={}'.format(name, quote(value, safe='')) for name, value in query.items())
        return URL(url, encoded=True), headers

    async def request(self, method, path, query=None, headers=None, body=None, expect=(200, 201, 206)):
        """One signed request; returns (status, headers, body bytes)."""
        url, headers = self._prepare(method, path, query, headers, body)
        async with self.session.request(method, url, headers=headers, data=body) as response:
            content = await response.read()
            if response.status not in expect:
                raise RuntimeError('{} {} -> {} {}'.format(method, url, response.status, content[:300]))
            return response.status, response.headers, content

    async def get_range_into(self, container, name, start, end, write_at):
        """A ranged GET whose body is written at its offset as it arrives; returns the headers."""
        url, headers = self._prepare('GET', '/{}/{}'.format(container, name), None,
                                     {'x-ms-range': 'bytes={}-{}'.format(start, end)}, None)
        async with self.session.get(url, headers=headers) as response:
            if response.status != 206:
                raise RuntimeError('GET {} -> {} {}'.format(url, response.status, (await response.read())[:300]))
            offset = start
            async for data in response.content.iter_any():
                await write_at(offset, data)
                offset += len(data)
            return response.headers

    async def create_container(self, container):
        await self.request('PUT', '/' + container, {'restype': 'container'}, expect=(201, 409))

    async def put_blob(self, container, name, data):
        await self.request('PUT', '/{}/{}'.format(container, name), headers={'x-ms-blob-type': 'BlockBlob'},
                           body=data)

    async def get_range(self, container, name, start, end):
        return await self.request('GET', '/{}/{}'.format(container, name),
                                  headers={'x-ms-range': 'bytes={}-{}'.format(start, end)})

    async def list_names(self, container):
        names, marker = [], None
        while True:
            query = {'restype': 'container', 'comp': 'list'}
            if marker:
                query['marker'] = marker
            _, _, body = await self.request('GET', '/' + container, query)
            root = ET.fromstring(body)
            names.extend(element.text for element in root.iter('Name'))
            marker = root.findtext('NextMarker')
            if not marker:
                return names

    async def upload_blocks(self, container, name, read_block, size):
        """Put Block of BLOCK_SIZE each, MAX_CONNECTIONS at a time, then Put Block List."""
        count = (size + common.BLOCK_SIZE - 1) // common.BLOCK_SIZE
        ids = [base64.b64encode('{:08d}'.format(i).encode()).decode() for i in range(count)]
        path = '/{}/{}'.format(container, name)

        async def put_block(i):
            data = await read_block(i * common.BLOCK_SIZE, common.BLOCK_SIZE)
            await self.request('PUT', path, {'comp': 'block', 'blockid': ids[i]}, body=data)

        await common.run_pool(count, put_block, common.MAX_CONNECTIONS)
        block_list = ('<?xml version="1.0" encoding="utf-8"?><BlockList>' +
                      ''.join('<Latest>{}</Latest>'.format(block_id) for block_id in ids) + '</BlockList>')
        await self.request('PUT', path, {'comp': 'blocklist'}, body=block_list.encode())

    async def download(self, container, name, write_at):
        """A first GET of SINGLE_GET_SIZE, then CHUNK_GET_SIZE ranges, MAX_CONNECTIONS at a time.

        Bodies are written as they arrive: the floor for memory too.
        """
        headers = await self.get_range_into(container, name, 0, common.SINGLE_GET_SIZE - 1, write_at)
        size = int(headers['Content-Range'].rsplit('/', 1)[1])
        starts = list(range(common.SINGLE_GET_SIZE, size, common.CHUNK_GET_SIZE))

        async def get_chunk(i):
            start = starts[i]
            await self.get_range_into(container, name, start, min(start + common.CHUNK_GET_SIZE, size) - 1, write_at)

        await common.run_pool(len(starts), get_chunk, common.MAX_CONNECTIONS)
        return size


class RawQueue(RawBlob):
    """Queue requests: signed with the same Shared Key rules as the blob service."""

    service = 'Queue'

    async def create_queue(self, name):
        await self.request('PUT', '/' + name, expect=(201, 204))

    async def put_message(self, name, text):
        body = ('<?xml version=\'1.0\' encoding=\'utf-8\'?>\n<QueueMessage><MessageText>{}</MessageText>'
                '</QueueMessage>'.format(text)).encode('utf-8')
        await self.request('POST', '/{}/messages'.format(name), body=body)

    async def get_messages(self, name, count):
        """(message id, pop receipt) of up to ``count`` messages."""
        _, _, body = await self.request('GET', '/{}/messages'.format(name), {'numofmessages': str(count)})
        return [(element.findtext('MessageId'), element.findtext('PopReceipt'))
                for element in ET.fromstring(body).iter('QueueMessage')]

    async def delete_message(self, name, message):
        message_id, pop_receipt = message
        await self.request('DELETE', '/{}/messages/{}'.format(name, message_id), {'popreceipt': pop_receipt},
                           expect=(204,))


def _table_datetime(value):
    # Up to 7 fractional digits and a Z: trimmed to what fromisoformat reads on every Python.
    date, _, fraction = value[:-1].partition('.')
    return datetime.datetime.fromisoformat(date + '.' + (fraction + '000000')[:6] + '+00:00')


_TABLE_CONVERSIONS = {'Edm.DateTime': _table_datetime, 'Edm.Int64': int, 'Edm.Binary': base64.b64decode,
                      'Edm.Double': float}


def _table_entity(element):
    """Typed values converted minimally: DateTime, Int64, Binary, Double; Timestamp a datetime."""
    entity = {}
    for name, value in element.items():
        if name.startswith('odata.'):
            continue
        if name.endswith('@odata.type'):
            convert = _TABLE_CONVERSIONS.get(value)
            if convert is not None:
                name = name[:-11]
                entity[name] = convert(element[name])
            continue
        entity.setdefault(name, value)
    entity['Timestamp'] = _table_datetime(entity['Timestamp'])
    return entity


def _table_json(values):
    """An entity's JSON object, typed as ours types it."""
    entity = {}
    for name, value in values.items():
        if isinstance(value, datetime.datetime):
            entity[name] = value.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat() + 'Z'
            entity[name + '@odata.type'] = 'Edm.DateTime'
        elif isinstance(value, uuid.UUID):
            entity[name] = str(value)
            entity[name + '@odata.type'] = 'Edm.Guid'
        elif isinstance(value, float):
            entity[name] = value
            entity[name + '@odata.type'] = 'Edm.Double'
        elif isinstance(value, int):
            entity[name] = str(value)
            entity[name + '@odata.type'] = 'Edm.Int64'
        else:
            entity[name] = value
    return json.dumps(entity).encode('utf-8')


class RawTable(RawBlob):
    """Table requests: JSON, the table service's Shared Key (date and resource only)."""

    service = 'Table'

    def _prepare(self, method, path, query, headers, body):
        path = self.base + path
        headers = dict(TABLE_HEADERS, **headers) if headers else dict(TABLE_HEADERS)
        date = self.auth.date()
        headers['x-ms-date'] = date
        headers['x-ms-version'] = TABLE_X_MS_VERSION
        if body is not None:
            headers['Content-Length'] = str(len(body))
        string_to_sign = '\n'.join((method, '', headers.get('Content-Type', ''), date,
                                    '/' + self.auth.account + path))
        digest = hmac.new(self.auth.key, string_to_sign.encode('utf-8'), hashlib.sha256).digest()
        headers['Authorization'] = 'SharedKey {}:{}'.format(self.auth.account, base64.b64encode(digest).decode())
        url = self.origin + path
        if query:
            url += '?' + '&'.join('{}={}'.format(name, quote(value, safe='')) for name, value in query.items())
        return URL(url, encoded=True), headers

    async def create_table(self, name):
        await self.request('POST', '/Tables', headers={'Content-Type': 'application/json',
                                                       'Prefer': 'return-no-content'},
                           body=json.dumps({'TableName': name}).encode('utf-8'), expect=(201, 204, 409))

    async def insert_entity(self, name, values):
        await self.request('POST', '/' + name, headers={'Content-Type': 'application/json',
                                                        'Prefer': 'return-no-content'},
                           body=_table_json(values), expect=(201, 204))

    async def query(self, name, partition_key):
        entities, query = [], {'$filter': "PartitionKey eq '{}'".format(partition_key)}
        while True:
            _, headers, body = await self.request('GET', '/{}()'.format(name), query)
            entities.extend(_table_entity(element) for element in json.loads(body)['value'])
            next_partition = headers.get('x-ms-continuation-NextPartitionKey')
            if not next_partition:
                return entities
            query = {'$filter': query['$filter'], 'NextPartitionKey': next_partition,
                     'NextRowKey': headers['x-ms-continuation-NextRowKey']}

    async def insert_batch(self, name, entities):
        """One entity group transaction of inserts; fails unless every insert succeeded."""
        batch, changeset = 'batch_{}'.format(uuid.uuid4()), 'changeset_{}'.format(uuid.uuid4())
        url = '{}{}/{}'.format(self.origin, self.base, name)
        parts = ['--{}\r\nContent-Type: multipart/mixed; boundary={}\r\n\r\n'.format(batch, changeset).encode()]
        for content_id, values in enumerate(entities, 1):
            body = _table_json(values)
            parts.append(('--{}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n'
                          'POST {} HTTP/1.1\r\nContent-ID: {}\r\nContent-Type: application/json\r\n'
                          'Accept: application/json;odata=minimalmetadata\r\nPrefer: return-no-content\r\n'
                          'DataServiceVersion: 3.0;NetFx\r\nContent-Length: {}\r\n\r\n').format(
                changeset, url, content_id, len(body)).encode())
            parts.append(body)
            parts.append(b'\r\n')
        parts.append('--{}--\r\n--{}--\r\n'.format(changeset, batch).encode())
        _, _, body = await self.request('POST', '/$batch', headers={
            'Content-Type': 'multipart/mixed; boundary=' + batch}, body=b''.join(parts), expect=(202,))
        if body.count(b'HTTP/1.1 204') != len(entities):
            raise RuntimeError('batch failed: {}'.format(body[:500]))


async def queue(raw, name):
    await raw.create_queue(name)

    async def put(i):
        await raw.put_message(name, common.queue_text(i))

    async def get_batch():
        return await raw.get_messages(name, common.QUEUE_GET)

    async def delete(message):
        await raw.delete_message(name, message)

    await common.run_pool(common.QUEUE_WARMUP, put, common.QUEUE_CONCURRENCY)
    await common.queue_get_delete(get_batch, delete)
    put_phase = await common.measure(lambda: common.run_pool(common.QUEUE_COUNT, put, common.QUEUE_CONCURRENCY))
    get_phase = await common.measure(lambda: common.queue_get_delete(get_batch, delete))
    assert get_phase[2] == common.QUEUE_COUNT, get_phase[2]
    return {'put': common.phase_result(put_phase, common.QUEUE_COUNT),
            'get_delete': common.phase_result(get_phase, common.QUEUE_COUNT)}


async def table(raw, name):
    await raw.create_table(name)

    async def insert(i):
        await raw.insert_entity(name, common.table_values(common.TABLE_INSERT_PARTITION, i))

    async def commit(start):
        await raw.insert_batch(name, [common.table_values(common.TABLE_BATCH_PARTITION, i)
                                      for i in range(start, start + common.TABLE_BATCH)])

    async def warm(i):
        await raw.insert_entity(name, common.table_values('warm', i))

    await common.run_pool(common.TABLE_WARMUP, warm)
    await raw.query(name, 'warm')
    insert_phase = await common.measure(lambda: common.run_pool(common.TABLE_COUNT, insert))
    query_phase = await common.measure(lambda: raw.query(name, common.TABLE_INSERT_PARTITION))
    entities = query_phase[2]
    common.check_queried(len(entities), entities[-1]['Created'], entities[-1]['Count'])
    batch_phase = await common.measure(lambda: common.table_batches(commit))
    return {'insert': common.phase_result(insert_phase, common.TABLE_COUNT),
            'query': common.phase_result(query_phase, common.TABLE_COUNT),
            'batch': common.phase_result(batch_phase, common.TABLE_COUNT)}


async def small(raw, container):
    await raw.create_container(container)

    async def upload(i):
        await raw.put_blob(container, common.small_name(i), common.SMALL_PAYLOAD)

    async def download(i):
        _, _, body = await raw.get_range(container, common.small_name(i), 0, common.SINGLE_GET_SIZE - 1)
        assert len(body) == common.SMALL_SIZE

    async def warm(i):
        await raw.put_blob(container, 'warm-{}'.format(i), common.SMALL_PAYLOAD)
        await raw.get_range(container, 'warm-{}'.format(i), 0, common.SINGLE_GET_SIZE - 1)

    await common.run_pool(common.WARMUP_COUNT, warm)
    up = await common.measure(lambda: common.run_pool(common.SMALL_COUNT, upload))
    down = await common.measure(lambda: common.run_pool(common.SMALL_COUNT, download))
    return common.small_result(up, down)


async def listing(raw, container):
    wall, cpu, names = await common.measure(lambda: raw.list_names(container))
    assert len(names) == common.LIST_COUNT, len(names)
    return {'seconds': wall, 'cpu_seconds': cpu, 'count': len(names)}


async def big(raw, container, transfer, source, outdir):
    await raw.create_container(container)
    size = os.path.getsize(source)
    path_dest, stream_dest = common.big_paths(outdir, 'raw')

    async def warm_up():
        await raw.put_blob(container, 'warm', common.SMALL_PAYLOAD)
        await raw.get_range(container, 'warm', 0, common.SINGLE_GET_SIZE - 1)

    async def upload_path():
        with open(source, 'rb') as src:
            fd = src.fileno()

            async def read_block(offset, length):
                return os.pread(fd, length, offset)

            await raw.upload_blocks(container, 'big', read_block, size)

    async def upload_stream():
        with open(source, 'rb') as src:
            lock = asyncio.Lock()

            async def read_block(offset, length):
                async with lock:
                    src.seek(offset)
                    return src.read(length)

            await raw.upload_blocks(container, 'big-stream', read_block, size)

    async def download_path():
        fd = os.open(path_dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            async def write_at(offset, data):
                os.pwrite(fd, data, offset)

            await raw.download(container, 'big', write_at)
        finally:
            os.close(fd)

    async def download_stream():
        with open(stream_dest, 'wb') as stream:
            async def write_at(offset, data):
                stream.seek(offset)
                stream.write(data)

            await raw.download(container, 'big', write_at)

    return await common.run_big(transfer, {
        'upload_path': upload_path, 'upload_stream': upload_stream,
        'download_path': download_path, 'download_stream': download_stream,
    }, warm_up)


async def populate(raw, container):
    """Create the listing container's blobs (not timed)."""
    await raw.create_container(container)

    async def put(i):
        await raw.put_blob(container, common.list_name(i), b'x' * 16)

    await common.run_pool(common.LIST_COUNT, put)
    return {'created': common.LIST_COUNT}


async def main():
    args = common.parse_args()
    raw = {'queue': RawQueue, 'table': RawTable}.get(args.workload, RawBlob)(args.conn)
    try:
        if args.workload == 'queue':
            result = await queue(raw, args.container)
        elif args.workload == 'table':
            result = await table(raw, args.container)
        elif args.workload == 'small':
            result = await small(raw, args.container)
        elif args.workload == 'list':
            result = await listing(raw, args.container)
        elif args.workload == 'big':
            result = await big(raw, args.container, args.transfer, args.source, args.outdir)
        else:
            result = await populate(raw, args.container)
    finally:
        await raw.close()
    common.emit(result)


if __name__ == '__main__':
    asyncio.run(main())
