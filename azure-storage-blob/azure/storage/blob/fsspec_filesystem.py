"""An fsspec filesystem over the blob service, so pandas, pyarrow, Dask, zarr and Ray read and write blobs.

Install with the ``fsspec`` extra (``pip install aio-azure-storage-blob[fsspec]``); the filesystem is
registered as the ``aioblob`` protocol::

    import pandas
    frame = pandas.read_parquet('aioblob://container/path/data.parquet',
                                storage_options={'connection_string': connection_string})

Paths are ``container/blob/name``. Directories are blob-name prefixes up to a ``/`` (a flat
namespace: there are no empty directories); containers are the top-level directories.
"""
import asyncio
import concurrent.futures
import errno
import io
import os
import uuid
import weakref
from typing import List

from fsspec.asyn import AsyncFileSystem, _run_coros_in_chunks, get_loop, sync
from fsspec.spec import AbstractBufferedFile

from azure.common import AzureHttpError
from azure.storage.common.tokencredential import TokenCredential

from .blockblobservice import BlockBlobService
from .models import BlobBlock, BlobPrefix

__all__ = ['BlobFileSystem', 'BlobFile']

_MiB = 1024 * 1024

# Services inherited through a fork: their sessions and sockets are the parent's. The child
# keeps them referenced for its whole life, so that they are never used, closed or collected
# (collecting would close the parent's connections, and TLS would send them a close_notify).
_INHERITED_SERVICES: List[BlockBlobService] = []

_NOT_FOUND_CODES = frozenset(('BlobNotFound', 'ContainerNotFound', 'ResourceNotFound'))
_EXISTS_CODES = frozenset(('BlobAlreadyExists', 'ContainerAlreadyExists', 'ConditionNotMet'))


def _split_path(path):
    """``(container, blob)`` of a stripped path; blob is '' for a container or the root."""
    container, _, blob = path.partition('/')
    return container, blob


def _os_error(ex, path, exclusive=False):
    """The Python exception fsspec users expect for a failed request, with the service's error code.

    ``exclusive``: the request carried If-None-Match: * (a failed condition means the blob exists).
    Errors that have no file-system meaning are returned unchanged.
    """
    code = getattr(ex, 'error_code', None) or str(getattr(ex, 'status_code', ''))
    status = getattr(ex, 'status_code', None)
    if status == 404 or code in _NOT_FOUND_CODES:
        mapped = FileNotFoundError(errno.ENOENT, code, path)
    elif code in _EXISTS_CODES and (exclusive or code != 'ConditionNotMet'):
        mapped = FileExistsError(errno.EEXIST, code, path)
    elif status == 403:
        mapped = PermissionError(errno.EACCES, code, path)
    else:
        return ex
    mapped.__cause__ = ex
    return mapped


def _absolute_range(start, end, size):
    """Python slice bounds (negative counts from the end) as absolute offsets within size."""
    start = 0 if start is None else start
    end = size if end is None else end
    if start < 0:
        start = max(size + start, 0)
    if end < 0:
        end = max(size + end, 0)
    return start, min(end, size)


def _file_info(container, blob):
    properties = blob.properties
    return {
        'name': '{}/{}'.format(container, blob.name),
        'size': properties.content_length,
        'type': 'file',
        'etag': properties.etag,
        'last_modified': properties.last_modified,
        'content_type': properties.content_settings.content_type,
        'blob_type': properties.blob_type,
    }


def _directory_info(name):
    return {'name': name, 'size': 0, 'type': 'directory'}


class _ServiceHolder:
    """The BlockBlobService of one process, made on first use; shared with the exit finalizer."""

    def __init__(self, options):
        self.options = options
        self.service = None
        self.pid = None

    def get(self):
        pid = os.getpid()
        if self.pid != pid:
            if self.service is not None:
                _INHERITED_SERVICES.append(self.service)
            self.service = _make_service(self.options)
            self.pid = pid
        return self.service

    def current(self):
        """The service of this process, or None (none made yet, or only the parent's)."""
        return self.service if self.pid == os.getpid() else None


def _make_service(options):
    options = dict(options)
    retry = options.pop('retry', None)
    scheme = options.pop('scheme', None)
    if scheme:
        options['protocol'] = scheme
    token = options.get('token_credential')
    if isinstance(token, str):
        options['token_credential'] = TokenCredential(token)
    service = BlockBlobService(**options)
    if retry is not None:
        service.retry = retry
    return service


def _close_when_collected(holder, loop):
    """Close the session of a sync-mode file system that is collected, or still open at exit.

    Engines (pandas, pyarrow) make file systems and drop them without closing; the close is
    handed to fsspec's loop thread, and waited for unless the collection happens on that thread.
    """
    service = holder.current()
    if service is None or loop.is_closed() or not loop.is_running():
        return
    closing = asyncio.run_coroutine_threadsafe(service.close(), loop)
    try:
        on_loop_thread = asyncio.get_running_loop() is loop
    except RuntimeError:
        on_loop_thread = False
    if not on_loop_thread:
        try:
            closing.result(timeout=1)
        except Exception:  # noqa: BLE001 - a collector has nobody to tell
            pass


class BlobFileSystem(AsyncFileSystem):
    """
    Blob storage as an fsspec file system (protocol ``aioblob``), on the async
    :class:`~azure.storage.blob.blockblobservice.BlockBlobService`.

    Credentials are those of the service: a connection string, an account name and key, a SAS
    token, a token credential, or none for anonymous access to public containers. Only plain
    values are kept, so the file system pickles and is rebuilt in Dask or Ray workers; each
    process makes its own service (a forked child never touches the parent's session).

    :param str account_name: The storage account name.
    :param str account_key: The storage account key (shared key authentication).
    :param str sas_token: A shared access signature token, instead of the account key.
    :param str connection_string: A storage connection string; it overrides the other account settings.
    :param token_credential:
        A bearer token (HTTPS only): a :class:`~azure.storage.common.TokenCredential`, or the token as a str.
    :param bool is_emulated: Use the local emulator's well-known account and endpoint.
    :param str endpoint_suffix: The host base of the endpoint, after the account name (core.windows.net).
    :param str custom_domain: A custom domain (or the full endpoint URL) to send requests to.
    :param str scheme: 'https' (the default) or 'http': the service's ``protocol`` setting.
    :param socket_timeout: The socket timeout in seconds, or a (connect, read) pair.
    :param retry: The service's retry policy function (picklable, e.g. ``LinearRetry().retry``).
    :param int list_page_size:
        How many names one listing request asks for (the service's maximum, 5000, by default).
        Every listing follows all its pages.
    :param int max_concurrency:
        How many requests one transfer (a download, an upload, a file written through open())
        runs at once. Defaults to 4.
    :param bool asynchronous:
        True to use the coroutines (``await fs._ls(...)``) from the caller's event loop; then
        the caller closes the file system with ``await fs.close()`` (or ``async with fs``).
    """

    protocol = ('aioblob',)
    root_marker = ''

    def __init__(self, account_name=None, account_key=None, sas_token=None, connection_string=None,
                 token_credential=None, is_emulated=False, endpoint_suffix=None, custom_domain=None, scheme=None,
                 socket_timeout=None, retry=None, list_page_size=None, max_concurrency=4, asynchronous=False,
                 loop=None,
                 **kwargs):
        if token_credential is not None and not isinstance(token_credential, (str, TokenCredential)):
            raise TypeError('token_credential must be an azure.storage.common.TokenCredential or a str token '
                            '(only plain values pickle to workers), not {}'.format(type(token_credential).__name__))
        for name, value in (('max_concurrency', max_concurrency), ('list_page_size', list_page_size)):
            if (value is not None or name == 'max_concurrency') and (not isinstance(value, int) or value < 1):
                raise ValueError('{} must be a positive int, not {!r}'.format(name, value))
        super().__init__(asynchronous=asynchronous, loop=loop, **kwargs)
        options = {
            'account_name': account_name, 'account_key': account_key, 'sas_token': sas_token,
            'connection_string': connection_string, 'token_credential': token_credential,
            'is_emulated': is_emulated, 'endpoint_suffix': endpoint_suffix, 'custom_domain': custom_domain,
            'scheme': scheme, 'socket_timeout': socket_timeout, 'retry': retry,
        }
        self._service_options = {key: value for key, value in options.items() if value not in (None, False)}
        self.max_concurrency = max_concurrency
        self.list_page_size = list_page_size
        self._holder = _ServiceHolder(self._service_options)
        # Bad credentials or endpoints fail here, before any request.
        _make_service(self._service_options)
        if not asynchronous:
            weakref.finalize(self, _close_when_collected, self._holder, self._loop)

    @property
    def loop(self):
        if self._pid != os.getpid():
            # A sync-mode file system inherited through a fork: fsspec's loop thread did not
            # survive it; use the child's own (its service is made anew on first use).
            self._pid = os.getpid()
            if not self.asynchronous:
                self._loop = get_loop()
        return self._loop

    @property
    def service(self):
        """The :class:`~azure.storage.blob.blockblobservice.BlockBlobService` of this process."""
        return self._holder.get()

    async def _close(self):
        service = self._holder.current()
        if service is not None:
            await service.close()

    def close(self):
        """Close this process's session: ``await fs.close()`` when asynchronous, ``fs.close()`` otherwise.
        The file system stays usable; a later call opens a new session."""
        if self.asynchronous:
            return self._close()
        return sync(self.loop, self._close)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self._close()

    @classmethod
    def _strip_protocol(cls, path):
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        path = str(path)
        for protocol in cls.protocol:
            if path.startswith(protocol + '://'):
                path = path[len(protocol) + 3:]
                break
        return path.strip('/')

    def _blob_path(self, path):
        """``(container, blob)`` of a path that must name a blob."""
        container, blob = _split_path(self._strip_protocol(path))
        if not container or not blob:
            raise ValueError('path must be container/blob, not {!r}'.format(path))
        return container, blob

    # Metadata and listings

    async def _list_all(self, list_method, *args, **kwargs):
        """Every item of a listing, page after page (list_page_size per request)."""
        marker = None
        while True:
            page = await list_method(*args, num_results=self.list_page_size, marker=marker, **kwargs)
            # .items: the page alone (a plain for over a page that is not the whole listing refuses).
            for item in page.items:
                yield item
            marker = page.next_marker
            if not marker:
                return

    async def _info(self, path, **kwargs):
        path = self._strip_protocol(path)
        container, blob = _split_path(path)
        if not container:
            return _directory_info('')
        try:
            if not blob:
                await self.service.get_container_properties(container)
                return _directory_info(container)
            try:
                properties = await self.service.get_blob_properties(container, blob)
                return _file_info(container, properties)
            except AzureHttpError as ex:
                if ex.status_code != 404:
                    raise
            page = await self.service.list_blob_names(container, prefix=blob + '/', num_results=1)
        except AzureHttpError as ex:
            raise _os_error(ex, path) from None
        if page.items:
            return _directory_info(path)
        raise FileNotFoundError(errno.ENOENT, 'BlobNotFound', path)

    async def _exists(self, path, **kwargs):
        try:
            await self._info(path)
            return True
        except FileNotFoundError:
            return False

    async def _ls(self, path, detail=True, **kwargs):
        path = self._strip_protocol(path)
        container, blob = _split_path(path)
        try:
            if not container:
                entries = [_directory_info(item.name) async for item in self._list_all(self.service.list_containers)]
            else:
                entries = []
                prefix = blob + '/' if blob else None
                async for item in self._list_all(self.service.list_blobs, container, prefix=prefix, delimiter='/'):
                    if isinstance(item, BlobPrefix):
                        entries.append(_directory_info('{}/{}'.format(container, item.name.rstrip('/'))))
                    else:
                        entries.append(_file_info(container, item))
                if not entries and blob:
                    entries = [await self._info(path)]
        except AzureHttpError as ex:
            raise _os_error(ex, path) from None
        return entries if detail else [entry['name'] for entry in entries]

    async def _find(self, path, maxdepth=None, withdirs=False, **kwargs):
        path = self._strip_protocol(path)
        container, blob = _split_path(path)
        detail = kwargs.pop('detail', False)
        if not container or maxdepth is not None:
            # Across containers, or depth-limited: fsspec walks directory by directory.
            return await super()._find(path, maxdepth=maxdepth, withdirs=withdirs, detail=detail, **kwargs)
        found = {}
        prefix = blob + '/' if blob else None
        try:
            async for item in self._list_all(self.service.list_blobs, container, prefix=prefix):
                info = _file_info(container, item)
                found[info['name']] = info
        except AzureHttpError as ex:
            error = _os_error(ex, path)
            if isinstance(error, FileNotFoundError):
                return {} if detail else []
            raise error from None
        if withdirs and found:
            found[path] = _directory_info(path)
            for name in list(found):
                parent = name.rpartition('/')[0]
                while len(parent) > len(path) and parent not in found:
                    found[parent] = _directory_info(parent)
                    parent = parent.rpartition('/')[0]
        if not found and blob:
            try:
                info = await self._info(path)
            except FileNotFoundError:
                info = None
            if info is not None and info['type'] == 'file':
                found[path] = info
        names = sorted(found)
        return {name: found[name] for name in names} if detail else names

    # Reads

    async def _cat_file(self, path, start=None, end=None, if_match=None, **kwargs):
        container, blob = self._blob_path(path)
        if (start is not None and start < 0) or (end is not None and end < 0):
            start, end = _absolute_range(start, end, (await self._info(path))['size'])
        if start is not None and end is not None and start >= end:
            return b''
        if end is not None and not start:
            start = 0
        try:
            result = await self.service.get_blob_to_bytes(
                container, blob, start_range=start, end_range=None if end is None else end - 1,
                max_connections=self.max_concurrency, if_match=if_match)
        except AzureHttpError as ex:
            if ex.status_code == 416:
                return b''
            raise _os_error(ex, path) from None
        return result.content

    async def _get_file(self, rpath, lpath, **kwargs):
        if os.path.isdir(lpath):
            return
        container, blob = self._blob_path(rpath)
        try:
            # Atomic: a failed or cancelled download leaves lpath as it was.
            await self.service.get_blob_to_path(container, blob, lpath, max_connections=self.max_concurrency)
        except AzureHttpError as ex:
            if ex.status_code == 404 and await self._isdir(rpath):
                # A directory of a recursive get: fsspec asks for every name it found.
                os.makedirs(lpath, exist_ok=True)
                return
            raise _os_error(ex, rpath) from None

    # Writes

    async def _pipe_file(self, path, value, mode='overwrite', **kwargs):
        container, blob = self._blob_path(path)
        exclusive = mode == 'create'
        try:
            await self.service.create_blob_from_bytes(container, blob, bytes(value),
                                                      max_connections=self.max_concurrency,
                                                      if_none_match='*' if exclusive else None)
        except AzureHttpError as ex:
            raise _os_error(ex, path, exclusive) from None

    async def _put_file(self, lpath, rpath, mode='overwrite', **kwargs):
        if os.path.isdir(lpath):
            return
        container, blob = self._blob_path(rpath)
        exclusive = mode == 'create'
        try:
            await self.service.create_blob_from_path(container, blob, lpath, max_connections=self.max_concurrency,
                                                     if_none_match='*' if exclusive else None)
        except AzureHttpError as ex:
            raise _os_error(ex, rpath, exclusive) from None

    async def _cp_file(self, path1, path2, **kwargs):
        source_container, source_blob = self._blob_path(path1)
        container, blob = self._blob_path(path2)
        service = self.service
        source = service.make_blob_url(source_container, source_blob, sas_token=service.sas_token)
        try:
            copy = await service.copy_blob(container, blob, source)
            while copy.status == 'pending':
                await asyncio.sleep(0.2)
                copy = (await service.get_blob_properties(container, blob)).properties.copy
        except AzureHttpError as ex:
            raise _os_error(ex, '{} -> {}'.format(path1, path2)) from None
        if copy.status != 'success':
            raise OSError(errno.EIO, 'copy {}: {}'.format(copy.status, copy.status_description), path2)

    async def _rm_file(self, path, **kwargs):
        container, blob = self._blob_path(path)
        try:
            await self.service.delete_blob(container, blob)
        except AzureHttpError as ex:
            raise _os_error(ex, path) from None

    async def _rm(self, path, recursive=False, maxdepth=None, batch_size=None, **kwargs):
        paths = await self._expand_path(path, recursive=recursive, maxdepth=maxdepth)
        # A name with others below it was listed as a directory; it may also be a blob of its own.
        parents = {p.rpartition('/')[0] for p in paths}
        blobs = [p for p in paths if '/' in p]
        results = await _run_coros_in_chunks([self._rm_file(p) for p in blobs], batch_size=batch_size,
                                             return_exceptions=True, nofiles=True)
        for name, result in zip(blobs, results):
            if isinstance(result, FileNotFoundError) and name in parents:
                continue
            if isinstance(result, BaseException):
                raise result
        # A container goes only when it was named itself and recursion was asked for.
        named = {self._strip_protocol(p) for p in ([path] if isinstance(path, str) else path)}
        for container in sorted(p for p in paths if recursive and '/' not in p and p in named):
            await self._rmdir(container)

    async def _mkdir(self, path, create_parents=True, **kwargs):
        path = self._strip_protocol(path)
        container, blob = _split_path(path)
        if not container:
            raise ValueError('path must name a container')
        if blob and not create_parents:
            # Directories exist only through their blobs: nothing to create.
            return
        try:
            created = await self.service.create_container(container)
        except AzureHttpError as ex:
            raise _os_error(ex, path) from None
        if not created and not blob:
            raise FileExistsError(errno.EEXIST, 'ContainerAlreadyExists', path)

    async def _makedirs(self, path, exist_ok=False):
        try:
            await self._mkdir(path, create_parents=True)
        except FileExistsError:
            if not exist_ok:
                raise

    async def _rmdir(self, path):
        path = self._strip_protocol(path)
        container, blob = _split_path(path)
        if blob:
            # A directory goes away with its last blob.
            return
        try:
            await self.service.delete_container(container, fail_not_exist=True)
        except AzureHttpError as ex:
            raise _os_error(ex, path) from None

    def rmdir(self, path):
        return sync(self.loop, self._rmdir, path)

    # Files

    def _open(self, path, mode='rb', block_size=None, autocommit=True, cache_options=None, **kwargs):
        if mode not in ('rb', 'wb', 'xb'):
            raise NotImplementedError('mode {!r} is not supported: use rb, wb or xb'.format(mode))
        if not autocommit:
            raise NotImplementedError('autocommit=False is not supported')
        return BlobFile(self, path, mode, block_size=block_size or 'default', cache_options=cache_options,
                        **kwargs)

    async def _stage_block(self, path, block_id, data):
        container, blob = self._blob_path(path)
        try:
            await self.service.put_block(container, blob, data, block_id)
        except AzureHttpError as ex:
            raise _os_error(ex, path) from None

    async def _commit_blocks(self, path, block_ids, exclusive):
        container, blob = self._blob_path(path)
        try:
            await self.service.put_block_list(container, blob, [BlobBlock(id=block_id) for block_id in block_ids],
                                              if_none_match='*' if exclusive else None)
        except AzureHttpError as ex:
            raise _os_error(ex, path, exclusive) from None


class BlobFile(AbstractBufferedFile):
    """
    A blob opened through :meth:`BlobFileSystem.open`.

    Reading fetches ranges of the blob version seen at open (a blob replaced meanwhile fails the
    read instead of mixing versions). Writing stages each full buffer as a block, up to
    ``max_concurrency`` of them at once, under block ids unique to this upload, and commits the
    block list on close; 'xb' commits only if no blob of that name exists. A file that is left
    through an exception, or dropped without close(), commits nothing.
    """

    DEFAULT_BLOCK_SIZE = 4 * _MiB

    def __init__(self, fs, path, mode='rb', block_size='default', cache_options=None, **kwargs):
        path = fs._strip_protocol(path)
        fs._blob_path(path)
        if mode == 'xb' and fs.exists(path):
            raise FileExistsError(errno.EEXIST, 'BlobAlreadyExists', path)
        super().__init__(fs, path, mode=mode, block_size=block_size, cache_options=cache_options, **kwargs)
        if mode != 'rb':
            self._upload_id = uuid.uuid4().hex
            self._block_ids = []
            self._pending = []

    def _call(self, coroutine_function, *args):
        return sync(self.fs.loop, coroutine_function, *args)

    def _fetch_range(self, start, end):
        return self._call(self.fs._cat_file, self.path, start, end, self.details.get('etag'))

    def _raise_failed_block(self):
        for future in self._pending:
            if future.done() and future.exception() is not None:
                raise future.exception()

    def _stage(self, data):
        block_id = '{}{:08d}'.format(self._upload_id, len(self._block_ids))
        self._block_ids.append(block_id)
        self._pending.append(asyncio.run_coroutine_threadsafe(self.fs._stage_block(self.path, block_id, data),
                                                              self.fs.loop))
        while len(self._pending) >= self.fs.max_concurrency:
            concurrent.futures.wait(self._pending, return_when=concurrent.futures.FIRST_COMPLETED)
            self._raise_failed_block()
            self._pending = [future for future in self._pending if not future.done()]

    def _upload_chunk(self, final=False):
        self._raise_failed_block()
        data = self.buffer.getvalue()
        exclusive = self.mode == 'xb'
        if final and not self._block_ids:
            self._call(self.fs._pipe_file, self.path, data, 'create' if exclusive else 'overwrite')
            return True
        # Blocks of blocksize each; before the end, the rest waits in the buffer for more data.
        whole = len(data) if final else len(data) - len(data) % self.blocksize
        for offset in range(0, whole, self.blocksize):
            self._stage(data[offset:offset + self.blocksize])
        if not final:
            self.buffer = io.BytesIO(data[whole:])
            self.buffer.seek(0, io.SEEK_END)
            return False
        concurrent.futures.wait(self._pending)
        self._raise_failed_block()
        self._pending = []
        self._call(self.fs._commit_blocks, self.path, self._block_ids, exclusive)
        return True

    def discard(self):
        """Give up a file being written: stop its block uploads and commit nothing."""
        if self.mode == 'rb' or self.closed:
            return
        self.closed = True
        # Blocks in flight are let finish (no more than max_concurrency): cancelling the
        # futures would not wait for the requests themselves. Uncommitted, they are never seen.
        concurrent.futures.wait(self._pending)
        self._pending = []
        self.buffer = None

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is not None:
            self.discard()
        self.close()

    def __del__(self):
        if not self.closed and self.mode != 'rb':
            self.discard()
        super().__del__()
