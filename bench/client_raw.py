"""The raw-aiohttp floor: hand-signed SharedKey requests over one aiohttp.ClientSession.

It sends the same HTTP exchanges as the SDKs (Put Blob; ranged Get Blob; List Blobs page by
page; Put Block / Put Block List and ranged GETs for the big transfer) with as little client
work as possible: no retries, no models, no logging, bodies read as bytes.
"""
import asyncio
import base64
import hashlib
import hmac
import os
import time
import xml.etree.ElementTree as ET
from email.utils import formatdate
from urllib.parse import quote

import aiohttp
from yarl import URL

import common

X_MS_VERSION = '2019-02-02'
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
    def __init__(self, connection_string):
        endpoint, account, key = common.blob_endpoint(connection_string)
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
    raw = RawBlob(args.conn)
    try:
        if args.workload == 'small':
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
