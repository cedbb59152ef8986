"""BlockBlobService: block blobs, uploaded whole or in blocks, with tiers and batches."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any, Callable, Optional, Union

from aiohttp import ClientSession

from azure.storage.common._common_conversion import _encode_base64, _int_to_str, _invoke_callback, _to_str
from azure.storage.common._constants import DEFAULT_PROTOCOL, SERVICE_HOST_BASE
from azure.storage.common._error import (
    _validate_encryption_required,
    _validate_encryption_unsupported,
    _validate_not_none,
)
from azure.storage.common._serialization import (
    _add_metadata_headers,
    _get_data_bytes_only,
    _get_data_bytes_or_stream_only,
    _len_plus,
)
from azure.storage.common.tokencredential import TokenCredential
from azure.storage.common._validation import _validate_items_type, _validate_text, _validate_upload

from ._async_io import _content_md5, _file_size, _open_file, _read_stream, _validate_count_within
from ._deserialization import _convert_xml_to_block_list, _parse_base_properties
from ._encryption import _encrypt_blob, _generate_blob_encryption_data
from ._error import _ERROR_COUNT_TOO_LARGE
from ._serialization import (
    _bytes_as_stream,
    _convert_block_list_to_xml,
    _lease_and_conditional_headers,
    _validate_and_format_range_headers,
)
from ._upload_chunking import _BlockBlobChunkUploader, _upload_blob_chunks, _upload_blob_substream_blocks
from .baseblobservice import BaseBlobService
from .models import (
    BatchSetBlobTierSubRequest,
    BatchSubResponse,
    BlobBlock,
    BlobBlockList,
    ContentSettings,
    CopyProperties,
    CustomerProvidedEncryptionKey,
    ResourceProperties,
    _BlobTypes,
)

# How much of an unseekable block stream is read per step while it is collected into memory.
_READ_STEP = 4 * 1024 * 1024


def _is_seekable(stream):
    if hasattr(stream, 'seekable') and not stream.seekable():
        return False
    return hasattr(stream, 'seek') and hasattr(stream, 'tell')


async def _read_exactly(stream, count):
    """Read ``count`` bytes of ``stream`` (in as many reads as it takes); fail if it has fewer."""
    pieces, length = [], 0
    while length < count:
        piece = await _read_stream(stream, count - length)
        if not piece:
            raise ValueError(_ERROR_COUNT_TOO_LARGE)
        pieces.append(piece)
        length += len(piece)
    return b''.join(pieces)[:count]


async def _read_to_end(stream):
    pieces = []
    while True:
        piece = await _read_stream(stream, _READ_STEP)
        if not piece:
            return b''.join(pieces)
        pieces.append(piece)


class BlockBlobService(BaseBlobService):
    """
    Block blobs let you upload large blobs efficiently. Block blobs are comprised of blocks,
    each of which is identified by a block ID. You create or modify a block blob by writing
    a set of blocks and committing them by their block IDs. Each block can be a different
    size, up to a maximum of 100 MB, and a block blob can include up to 50,000 blocks. The
    maximum size of a block blob is therefore approximately 4.75 TB (100 MB X 50,000 blocks).
    If you are writing a block blob that is no more than 64 MB in size, you can upload it in
    its entirety with a single write operation; see create_blob_from_bytes.

    :ivar int MAX_SINGLE_PUT_SIZE:
        The largest size upload supported in a single put call. This is used by the
        create_blob_from_* methods if the content length is known and is less than this value.
    :ivar int MAX_BLOCK_SIZE:
        The size of the blocks put by create_blob_from_* methods if the content length is
        unknown or is larger than MAX_SINGLE_PUT_SIZE. Smaller blocks may be put. The maximum
        block size the service supports is 100MB.
    :ivar int MIN_LARGE_BLOCK_UPLOAD_THRESHOLD:
        The minimum block size at which the memory-optimized block upload algorithm is
        considered: when MAX_BLOCK_SIZE is at least this, a seekable stream is uploaded
        without buffering whole blocks in memory, each block read straight from its part of
        the stream. The algorithm is not used with validate_content or encryption.
    """

    MAX_SINGLE_PUT_SIZE = 64 * 1024 * 1024
    MAX_BLOCK_SIZE = 4 * 1024 * 1024
    MIN_LARGE_BLOCK_UPLOAD_THRESHOLD = 4 * 1024 * 1024 + 1

    def __init__(self, account_name: Optional[str] = None, account_key: Optional[str] = None,
                 sas_token: Optional[str] = None, is_emulated: bool = False, protocol: str = DEFAULT_PROTOCOL,
                 endpoint_suffix: str = SERVICE_HOST_BASE, custom_domain: Optional[str] = None,
                 request_session: Optional[ClientSession] = None, connection_string: Optional[str] = None,
                 socket_timeout: Union[float, tuple[float, float], None] = None,
                 token_credential: Optional[TokenCredential] = None) -> None:
        """
        :param str account_name:
            The storage account name. It signs requests made with the account key and makes
            the endpoint. Required unless a connection string is given, or a custom domain is
            used with anonymous access.
        :param str account_key:
            The storage account key, for shared key authentication. Without it and without a
            SAS token, requests are anonymous.
        :param str sas_token:
            A shared access signature token to authenticate with instead of the account key.
            If both are given, the account key signs.
        :param bool is_emulated:
            Whether to use the emulator. Defaults to False. If specified, it overrides every
            other parameter except the connection string and the request session.
        :param str protocol:
            The protocol to use for requests. Defaults to https.
        :param str endpoint_suffix:
            The host base of the endpoint, after the account name. Defaults to Azure
            (core.windows.net); e.g. core.chinacloudapi.cn for the China cloud.
        :param str custom_domain:
            The custom domain to use, as set in the Azure Portal, e.g. 'www.mydomain.com'.
        :param aiohttp.ClientSession request_session:
            The aiohttp session to send requests with. The caller closes it.
        :param str connection_string:
            If specified, it overrides every other parameter except the request session. See
            http://azure.microsoft.com/en-us/documentation/articles/storage-configure-connection-string/
            for the format.
        :param int socket_timeout:
            The socket timeout in seconds (or a (connect, read) pair), instead of the default
            in azure.storage.common._constants.DEFAULT_SOCKET_TIMEOUT.
        :param ~azure.storage.common.TokenCredential token_credential:
            A token credential to authenticate HTTPS requests with. Its token must be renewed
            before it expires.
        """
        self.blob_type = _BlobTypes.BlockBlob
        super().__init__(account_name, account_key, sas_token, is_emulated, protocol, endpoint_suffix,
                         custom_domain, request_session, connection_string, socket_timeout, token_credential)

    # Blocks

    async def put_block(self, container_name: str, blob_name: str, block: Union[bytes, IO[bytes]], block_id: str,
                        validate_content: bool = False, lease_id: Optional[str] = None, timeout: Optional[int] = None,
                        cpk: Optional[CustomerProvidedEncryptionKey] = None) -> None:
        """
        Creates a new block to be committed as part of a blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob.
        :param block: Content of the block.
        :type block: io.IOBase or bytes
        :param str block_id:
            A string value that identifies the block. The string should be less than or equal
            to 64 bytes in size. For a given blob, the block_id must be the same size for each
            block.
        :param bool validate_content:
            If true, calculates an MD5 hash of the block content. The storage service checks
            the hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is not
            stored with the blob.
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the block with (HTTPS only).
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        await self._put_block(container_name, blob_name, block, block_id, validate_content=validate_content,
                              lease_id=lease_id, timeout=timeout, cpk=cpk)

    async def put_block_list(self, container_name: str, blob_name: str, block_list: list[BlobBlock],
                             content_settings: Optional[ContentSettings] = None,
                             metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                             lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                             if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                             if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                             standard_blob_tier: Optional[str] = None,
                             cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Writes a blob by specifying the list of block IDs that make up the blob. In order to
        be written as part of a blob, a block must have been successfully written to the
        server in a prior put_block operation.

        You can call put_block_list to update a blob by uploading only those blocks that have
        changed, then committing the new and existing blocks together. You can do this by
        specifying whether to commit a block from the committed block list or from the
        uncommitted block list, or to commit the most recently uploaded version of the block,
        whichever list it may belong to.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param block_list: A list of :class:`~azure.storage.blob.models.BlobBlock` containing the block ids and
            block state.
        :type block_list: list(:class:`~azure.storage.blob.models.BlobBlock`)
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set properties on the blob.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash of the block list content. The storage service
            checks the hash of the block list content that has arrived with the hash that was
            sent. This is primarily valuable for detecting bitflips on the wire if using http
            instead of https as https (the default) will already validate. Note that this
            check is associated with the block list content, and not with the content of the
            blob itself.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the blob with (HTTPS only).
        :return: ETag and last modified properties for the updated Block Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        _validate_not_none('block_list', block_list)
        _validate_items_type('block_list', block_list, BlobBlock)
        return await self._put_block_list(
            container_name, blob_name, block_list, content_settings=content_settings, metadata=metadata,
            validate_content=validate_content, lease_id=lease_id, if_modified_since=if_modified_since,
            if_unmodified_since=if_unmodified_since, if_match=if_match, if_none_match=if_none_match,
            timeout=timeout, standard_blob_tier=standard_blob_tier, cpk=cpk)

    async def get_block_list(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                             block_list_type: Optional[str] = None, lease_id: Optional[str] = None,
                             timeout: Optional[int] = None) -> BlobBlockList:
        """
        Retrieves the list of blocks that have been uploaded as part of a block blob. There
        are two block lists maintained for a blob: the committed block list (blocks that have
        been successfully committed by put_block_list) and the uncommitted block list (blocks
        uploaded by put_block but not yet committed).

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to read the committed blocks of.
        :param str block_list_type:
            Specifies whether to return the list of committed blocks, the list of uncommitted
            blocks, or both lists together. Valid values are: committed, uncommitted, or all.
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: list committed and/or uncommitted blocks for Block Blob
        :rtype: :class:`~azure.storage.blob.models.BlobBlockList`
        """
        request = self._blob_request('GET', container_name, blob_name, {
            'comp': 'blocklist',
            'snapshot': _to_str(snapshot),
            'blocklisttype': _to_str(block_list_type),
            'timeout': _int_to_str(timeout),
        }, {'x-ms-lease-id': _to_str(lease_id)}, secondary=True)
        return await self._perform_request(request, _convert_xml_to_block_list)

    async def put_block_from_url(self, container_name: str, blob_name: str, copy_source_url: str, block_id: str,
                                 source_range_start: Optional[int] = None, source_range_end: Optional[int] = None,
                                 source_content_md5: Optional[str] = None, lease_id: Optional[str] = None,
                                 timeout: Optional[int] = None,
                                 cpk: Optional[CustomerProvidedEncryptionKey] = None) -> None:
        """
        Creates a new block to be committed as part of a blob, its content read by the
        service from a URL.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob.
        :param str copy_source_url:
            The URL of the source data. It can point to any Azure Blob or File, that is
            either public or has a shared access signature attached.
        :param int source_range_start: This indicates the start of the range of bytes (inclusive) that has to be
            taken from the copy source.
        :param int source_range_end: This indicates the end of the range of bytes (inclusive) that has to be
            taken from the copy source.
        :param str block_id:
            A string value that identifies the block. The string should be less than or equal
            to 64 bytes in size. For a given blob, the block_id must be the same size for each
            block.
        :param str source_content_md5: If given, the service will calculate the MD5 hash of the block content and
            compare against this value.
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the block with (HTTPS only).
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        _validate_not_none('copy_source_url', copy_source_url)
        _validate_not_none('block_id', block_id)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'block',
            'blockid': _encode_base64(_to_str(block_id)),
            'timeout': _int_to_str(timeout),
        }, {
            'x-ms-lease-id': _to_str(lease_id),
            'x-ms-copy-source': copy_source_url,
            'x-ms-source-content-md5': source_content_md5,
        }, cpk=cpk)
        _validate_and_format_range_headers(request, source_range_start, source_range_end,
                                           start_range_required=False, end_range_required=False,
                                           range_header_name='x-ms-source-range')
        await self._perform_request(request)

    # Uploads

    async def create_blob_from_path(self, container_name: str, blob_name: str, file_path: str,
                                    content_settings: Optional[ContentSettings] = None,
                                    metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                    progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                    max_connections: int = 2, lease_id: Optional[str] = None,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                    if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                    standard_blob_tier: Optional[str] = None,
                                    cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new blob from a file path, or updates the content of an existing blob, with
        automatic chunking and progress notifications. The file is read in a worker thread,
        chunk by chunk.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param str file_path: Path of the file to upload as the blob content.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each chunk of the blob. The storage service
            checks the hash of the content that has arrived with the hash that was sent. This
            is primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is not
            stored with the blob. Also note that if enabled, the memory-efficient upload
            algorithm will not be used, because computing the MD5 hash requires buffering
            entire blocks, and doing so defeats the purpose of the memory-efficient algorithm.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob, or None
            if the total size is unknown. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections: Maximum number of chunks uploaded at once, when the blob
            size exceeds 64MB.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the blob with (HTTPS only).
        :return: ETag and last modified properties for the Block Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('file_path', file_path)
        count = await _file_size(file_path)
        async with _open_file(file_path, 'rb', self._file_slots.get(self.MAX_OPEN_FILES)) as stream:
            return await self.create_blob_from_stream(
                container_name=container_name, blob_name=blob_name, stream=stream, count=count,
                content_settings=content_settings, metadata=metadata, validate_content=validate_content,
                progress_callback=progress_callback, max_connections=max_connections, lease_id=lease_id,
                if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since, if_match=if_match,
                if_none_match=if_none_match, timeout=timeout, standard_blob_tier=standard_blob_tier, cpk=cpk)

    async def create_blob_from_stream(self, container_name: str, blob_name: str, stream: IO[bytes],
                                      count: Optional[int] = None, content_settings: Optional[ContentSettings] = None,
                                      metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                      progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                      max_connections: int = 2, lease_id: Optional[str] = None,
                                      if_modified_since: Optional[datetime] = None,
                                      if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                      if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                      use_byte_buffer: bool = False, standard_blob_tier: Optional[str] = None,
                                      cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new blob from a file/stream, or updates the content of an existing blob,
        with automatic chunking and progress notifications.

        A blob of known size below MAX_SINGLE_PUT_SIZE is sent in one request. Otherwise it
        is sent in blocks of MAX_BLOCK_SIZE, up to max_connections at once and read from the
        stream only as they can be sent, and the block list is committed once every block has
        landed: a failed upload leaves the blob as it was.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param io.IOBase stream: Opened file/stream to upload as the blob content.
        :param int count:
            Number of bytes to read from the stream. This is optional, but should be supplied
            for optimal performance.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each chunk of the blob. The storage service
            checks the hash of the content that has arrived with the hash that was sent. This
            is primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is not
            stored with the blob. Also note that if enabled, the memory-efficient upload
            algorithm will not be used, because computing the MD5 hash requires buffering
            entire blocks, and doing so defeats the purpose of the memory-efficient algorithm.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob, or None
            if the total size is unknown. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections:
            Maximum number of chunks uploaded at once, when the blob size exceeds 64MB or is
            unknown. Note that parallel upload requires the stream to be seekable; an
            unseekable stream needs max_connections=1.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param bool use_byte_buffer:
            If True, this will force usage of the original full block buffering upload path.
            By default, this value is False and will employ a memory-efficient, streaming
            upload algorithm under the following conditions: the provided stream is seekable,
            'require_encryption' is False, and MAX_BLOCK_SIZE >= MIN_LARGE_BLOCK_UPLOAD_THRESHOLD.
            One should consider the drawbacks of using this approach. In order to achieve
            memory-efficiency, an IOBase stream or file-like object is segmented into logical
            blocks using a SubStream wrapper. In order to read the correct data, each SubStream
            must acquire a lock so that it can safely seek to the right position on the shared,
            underlying stream. If max_connections > 1, the concurrency will result in a
            considerable amount of seeking on the underlying stream. For the most common inputs
            such as a file-like stream object, seeking is an inexpensive operation and this is
            not much of a concern. However, for other variants of streams this may not be the
            case. The trade-off for memory-efficiency must be weighed against the cost of
            seeking with your input stream. The SubStream class will attempt to buffer up to 4
            MB internally to reduce the amount of seek and read calls to the underlying stream.
            This is particularly beneficial when uploading larger blocks.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the blob with (HTTPS only).
        :return: ETag and last modified properties for the Block Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_upload(container_name, blob_name, stream, metadata, max_connections)
        _validate_encryption_required(self.require_encryption, self.key_encryption_key)
        _validate_count_within(stream, count)
        conditions = dict(if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since,
                          if_match=if_match, if_none_match=if_none_match)

        # Encryption pads the content up to the next whole AES block.
        adjusted_count = count
        if self.key_encryption_key is not None and adjusted_count is not None:
            adjusted_count += 16 - count % 16  # type: ignore[operator]

        if adjusted_count is not None and adjusted_count < self.MAX_SINGLE_PUT_SIZE:
            if progress_callback:
                await _invoke_callback(progress_callback, 0, count)
            data = await _read_exactly(stream, count)
            resp = await self._put_blob(container_name, blob_name, data, content_settings=content_settings,
                                        metadata=metadata, validate_content=validate_content, lease_id=lease_id,
                                        standard_blob_tier=standard_blob_tier, cpk=cpk, timeout=timeout,
                                        **conditions)
            if progress_callback:
                await _invoke_callback(progress_callback, count, count)
            return resp

        encryption_data = None
        buffer_blocks = (use_byte_buffer or validate_content or self.require_encryption
                         or self.key_encryption_key is not None
                         or self.MAX_BLOCK_SIZE < self.MIN_LARGE_BLOCK_UPLOAD_THRESHOLD
                         or not _is_seekable(stream))
        if buffer_blocks:
            cek, iv, encryption_data = await _generate_blob_encryption_data(self.key_encryption_key)
            block_ids = await _upload_blob_chunks(
                blob_service=self, container_name=container_name, blob_name=blob_name, blob_size=count,
                block_size=self.MAX_BLOCK_SIZE, stream=stream, max_connections=max_connections,
                progress_callback=progress_callback, validate_content=validate_content, lease_id=lease_id,
                uploader_class=_BlockBlobChunkUploader, timeout=timeout, content_encryption_key=cek,
                initialization_vector=iv, cpk=cpk)
        else:
            block_ids = await _upload_blob_substream_blocks(
                blob_service=self, container_name=container_name, blob_name=blob_name, blob_size=count,
                block_size=self.MAX_BLOCK_SIZE, stream=stream, max_connections=max_connections,
                progress_callback=progress_callback, validate_content=validate_content, lease_id=lease_id,
                uploader_class=_BlockBlobChunkUploader, timeout=timeout, cpk=cpk)

        return await self._put_block_list(container_name, blob_name, block_ids, content_settings=content_settings,
                                          metadata=metadata, validate_content=validate_content, lease_id=lease_id,
                                          timeout=timeout, encryption_data=encryption_data,
                                          standard_blob_tier=standard_blob_tier, cpk=cpk, **conditions)

    async def create_blob_from_bytes(self, container_name: str, blob_name: str, blob: bytes, index: int = 0,
                                     count: Optional[int] = None, content_settings: Optional[ContentSettings] = None,
                                     metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                     progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                     max_connections: int = 2, lease_id: Optional[str] = None,
                                     if_modified_since: Optional[datetime] = None,
                                     if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                     if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                     standard_blob_tier: Optional[str] = None,
                                     cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new blob from an array of bytes, or updates the content of an existing
        blob, with automatic chunking and progress notifications.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param bytes blob: Content of blob as an array of bytes.
        :param int index: Start index in the array of bytes.
        :param int count: Number of bytes to upload. Set to None or negative value to upload all bytes starting
            from index.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each chunk of the blob. The storage service
            checks the hash of the content that has arrived with the hash that was sent. This
            is primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is not
            stored with the blob.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob, or None
            if the total size is unknown. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections: Maximum number of chunks uploaded at once, when the blob
            size exceeds 64MB.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the blob with (HTTPS only).
        :return: ETag and last modified properties for the Block Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        stream, count = _bytes_as_stream(blob, index, count)
        return await self.create_blob_from_stream(
            container_name=container_name, blob_name=blob_name, stream=stream, count=count,
            content_settings=content_settings, metadata=metadata, validate_content=validate_content,
            progress_callback=progress_callback, max_connections=max_connections, lease_id=lease_id,
            if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since, if_match=if_match,
            if_none_match=if_none_match, timeout=timeout, use_byte_buffer=True,
            standard_blob_tier=standard_blob_tier, cpk=cpk)

    async def create_blob_from_text(self, container_name: str, blob_name: str, text: Union[str, bytes],
                                    encoding: str = 'utf-8', content_settings: Optional[ContentSettings] = None,
                                    metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                    progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                    max_connections: int = 2, lease_id: Optional[str] = None,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                    if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                    standard_blob_tier: Optional[str] = None,
                                    cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new blob from str/unicode, or updates the content of an existing blob, with
        automatic chunking and progress notifications.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param str text: Text to upload to the blob.
        :param str encoding: Python encoding to use to convert the text to bytes.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each chunk of the blob. The storage service
            checks the hash of the content that has arrived with the hash that was sent. This
            is primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is not
            stored with the blob.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob, or None
            if the total size is unknown. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections: Maximum number of chunks uploaded at once, when the blob
            size exceeds 64MB.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key to encrypt the blob with (HTTPS only).
        :return: ETag and last modified properties for the Block Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('text', text)
        _validate_text('text', text)
        if not isinstance(text, bytes):
            _validate_not_none('encoding', encoding)
            text = text.encode(encoding)
        return await self.create_blob_from_bytes(
            container_name=container_name, blob_name=blob_name, blob=text, index=0, count=len(text),
            content_settings=content_settings, metadata=metadata, validate_content=validate_content,
            progress_callback=progress_callback, max_connections=max_connections, lease_id=lease_id,
            if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since, if_match=if_match,
            if_none_match=if_none_match, timeout=timeout, standard_blob_tier=standard_blob_tier, cpk=cpk)

    # Tiers

    async def set_standard_blob_tier(self, container_name: str, blob_name: str, standard_blob_tier: str,
                                     timeout: Optional[int] = None, rehydrate_priority: Optional[str] = None) -> None:
        """
        Sets the block blob tiers on the blob. This API is only supported for block blobs on
        standard storage accounts.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to update.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param RehydratePriority rehydrate_priority: How fast to rehydrate an archived blob.
        """
        request = self._get_basic_set_blob_tier_http_request(container_name, blob_name, standard_blob_tier,
                                                             timeout=timeout, rehydrate_priority=rehydrate_priority)
        await self._perform_request(request)

    async def batch_set_standard_blob_tier(self, batch_set_blob_tier_sub_requests: list[BatchSetBlobTierSubRequest],
                                           timeout: Optional[int] = None) -> list[BatchSubResponse]:
        """
        Sends a batch of multiple set block blob tier requests, in one request. This API is
        only supported for block blobs on standard storage accounts.

        :param list(BatchSetBlobTierSubRequest) batch_set_blob_tier_sub_requests:
            The set block blob tier requests to send as a batch (1 to 256).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: the outcome of each sub-request: whether it succeeded, its response and the
            sub-request it answers.
        :rtype: list(:class:`~azure.storage.blob.models.BatchSubResponse`)
        """
        self._check_batch_request(batch_set_blob_tier_sub_requests)
        sub_http_requests = [self._construct_batch_set_blob_tier_sub_http_request(content_id, sub_request)
                             for content_id, sub_request in enumerate(batch_set_blob_tier_sub_requests)]
        return await self._perform_batch_request(sub_http_requests, batch_set_blob_tier_sub_requests, timeout)

    def _construct_batch_set_blob_tier_sub_http_request(self, content_id, batch_set_blob_tier_sub_request):
        """
        The signed sub-request of one tier change of a batch.

        :param int content_id: The index of the sub-request in the batch.
        :param BatchSetBlobTierSubRequest batch_set_blob_tier_sub_request: The tier change to send.
        :return: the signed sub-request.
        :rtype: ~azure.storage.common._http.HTTPRequest
        """
        sub = batch_set_blob_tier_sub_request
        request = self._get_basic_set_blob_tier_http_request(sub.container_name, sub.blob_name,
                                                             sub.standard_blob_tier,
                                                             rehydrate_priority=sub.rehydrate_priority)
        return self._sign_batch_sub_request(request, content_id)

    def _get_basic_set_blob_tier_http_request(self, container_name, blob_name, standard_blob_tier, timeout=None,
                                              rehydrate_priority=None):
        """
        The Set Blob Tier request, unsigned (see :func:`set_standard_blob_tier` for the parameters).

        :return: the request.
        :rtype: ~azure.storage.common._http.HTTPRequest
        """
        _validate_not_none('standard_blob_tier', standard_blob_tier)
        return self._blob_request('PUT', container_name, blob_name, {
            'comp': 'tier',
            'timeout': _int_to_str(timeout),
        }, {
            'x-ms-access-tier': _to_str(standard_blob_tier),
            'x-ms-rehydrate-priority': _to_str(rehydrate_priority),
        })

    async def copy_blob(self, container_name: str, blob_name: str, copy_source: str,
                        metadata: Optional[dict[str, str]] = None, source_if_modified_since: Optional[datetime] = None,
                        source_if_unmodified_since: Optional[datetime] = None, source_if_match: Optional[str] = None,
                        source_if_none_match: Optional[str] = None,
                        destination_if_modified_since: Optional[datetime] = None,
                        destination_if_unmodified_since: Optional[datetime] = None,
                        destination_if_match: Optional[str] = None, destination_if_none_match: Optional[str] = None,
                        destination_lease_id: Optional[str] = None, source_lease_id: Optional[str] = None,
                        timeout: Optional[int] = None, requires_sync: Optional[bool] = None,
                        standard_blob_tier: Optional[str] = None,
                        rehydrate_priority: Optional[str] = None) -> CopyProperties:
        """
        Copies a blob. This operation returns a copy operation properties object. The copy
        operation may be configured to either be an asynchronous, best-effort operation, or a
        synchronous operation.

        The source must be a block blob if requires_sync is true. Any existing destination
        blob will be overwritten. The destination blob cannot be modified while a copy
        operation is in progress.

        When copying from a block blob, all committed blocks and their block IDs are copied.
        Uncommitted blocks are not copied. At the end of the copy operation, the destination
        blob will have the same committed block count as the source.

        You can call get_blob_properties on the destination blob to check the status of the
        copy operation. The final blob will be committed when the copy completes.

        :param str container_name: Name of the destination container. The container must exist.
        :param str blob_name: Name of the destination blob. If it exists, it is overwritten.
        :param str copy_source:
            A URL of up to 2 KB that names the source: a blob, or a snapshot of one
            (?snapshot=). Another account's blob must be public or carry a SAS.
            Blob: https://myaccount.blob.core.windows.net/mycontainer/myblob
            Snapshot: https://myaccount.blob.core.windows.net/mycontainer/myblob?snapshot=<DateTime>
            A '/account/container/blob' path names a blob of this service's account.
        :param metadata:
            Name-value pairs for the destination blob. Without them, the source blob's
            metadata is copied; with them, only these are stored.
        :type metadata: dict(str, str)
        :param datetime source_if_modified_since: Only copy if the source blob was modified since this time.
        :param datetime source_if_unmodified_since: Only copy if the source blob was not modified since this time.
        :param ETag source_if_match: Only copy if the source blob's ETag matches this value.
        :param ETag source_if_none_match: Only copy if the source blob's ETag does not match this value.
        :param datetime destination_if_modified_since:
            Only copy if the destination blob was modified since this time; 412 (Precondition
            Failed) if not.
        :param datetime destination_if_unmodified_since:
            Only copy if the destination blob was not modified since this time; 412
            (Precondition Failed) if it was.
        :param ETag destination_if_match:
            Only copy if the destination blob's ETag matches this value; 412 (Precondition
            Failed) if not.
        :param ETag destination_if_none_match:
            Only copy if the destination blob's ETag does not match this value ('*': only if
            it does not exist); 412 (Precondition Failed) if it does.
        :param str destination_lease_id: The lease ID of the destination blob, required if it has an active lease.
        :param str source_lease_id: The lease ID of the source blob: only copy if it matches the active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param bool requires_sync: Enforces that the service will not return a response until the copy is complete.
        :param StandardBlobTier standard_blob_tier:
            A standard blob tier value to set the blob to. For this version of the library,
            this is only applicable to block blobs on standard storage accounts.
        :param RehydratePriority rehydrate_priority:
            Indicates the priority with which to rehydrate an archived blob
        :return: Copy operation properties such as status, source, and ID.
        :rtype: :class:`~azure.storage.blob.models.CopyProperties`
        """
        return await self._copy_blob(
            container_name, blob_name, copy_source, metadata, premium_page_blob_tier=None,
            source_if_modified_since=source_if_modified_since, source_if_unmodified_since=source_if_unmodified_since,
            source_if_match=source_if_match, source_if_none_match=source_if_none_match,
            destination_if_modified_since=destination_if_modified_since,
            destination_if_unmodified_since=destination_if_unmodified_since,
            destination_if_match=destination_if_match, destination_if_none_match=destination_if_none_match,
            destination_lease_id=destination_lease_id, source_lease_id=source_lease_id, timeout=timeout,
            incremental_copy=False, requires_sync=requires_sync, standard_blob_tier=standard_blob_tier,
            rehydrate_priority=rehydrate_priority)

    # Requests

    def _upload_headers(self, lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match,
                        standard_blob_tier, content_settings):
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        headers['x-ms-access-tier'] = _to_str(standard_blob_tier)
        if content_settings is not None:
            headers.update(content_settings._to_headers())
        return headers

    async def _put_blob(self, container_name, blob_name, blob, content_settings=None, metadata=None,
                        validate_content=False, lease_id=None, if_modified_since=None, if_unmodified_since=None,
                        if_match=None, if_none_match=None, cpk=None, timeout=None, standard_blob_tier=None):
        """
        Creates a blob or updates an existing blob with one request (Put Blob); the content
        is encrypted first when a key-encryption-key is set. See create_blob_from_bytes for
        the parameters.

        :param bytes blob: Content of blob as bytes (size < 64MB). For larger size, you
            must call put_block and put_block_list to set content of blob.
        :return: ETag and last modified properties for the new Block Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_encryption_required(self.require_encryption, self.key_encryption_key)
        headers = self._upload_headers(lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match,
                                       standard_blob_tier, content_settings)
        headers['x-ms-blob-type'] = _to_str(self.blob_type)
        request = self._blob_request('PUT', container_name, blob_name, {'timeout': _int_to_str(timeout)}, headers,
                                     cpk=cpk)
        _add_metadata_headers(metadata, request)
        blob = _get_data_bytes_only('blob', blob)
        if self.key_encryption_key:
            encryption_data, blob = await _encrypt_blob(blob, self.key_encryption_key)
            request.headers['x-ms-meta-encryptiondata'] = encryption_data
        if validate_content:
            request.headers['Content-MD5'] = await _content_md5(blob)
        request.body = blob
        return await self._perform_request(request, _parse_base_properties)

    async def _put_block(self, container_name, blob_name, block, block_id, validate_content=False, lease_id=None,
                         cpk=None, timeout=None):
        """
        Uploads one block (Put Block). See put_block for the parameters; a stream whose
        length cannot be told is read into memory first.
        """
        _validate_not_none('block', block)
        _validate_not_none('block_id', block_id)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'block',
            'blockid': _encode_base64(_to_str(block_id)),
            'timeout': _int_to_str(timeout),
        }, {'x-ms-lease-id': _to_str(lease_id)}, cpk=cpk)
        body = _get_data_bytes_or_stream_only('block', block)
        if hasattr(body, 'read') and _len_plus(body) is None:
            body = await _read_to_end(body)
        if validate_content:
            request.headers['Content-MD5'] = await _content_md5(body)
        request.body = body
        await self._perform_request(request)

    async def _put_block_list(self, container_name, blob_name, block_list, content_settings=None, metadata=None,
                              validate_content=False, lease_id=None, if_modified_since=None,
                              if_unmodified_since=None, if_match=None, if_none_match=None, timeout=None,
                              encryption_data=None, cpk=None, standard_blob_tier=None):
        """
        Commits the blocks of a blob (Put Block List). See put_block_list for the parameters.

        :param str encryption_data:
            The encryption metadata (JSON) of a blob whose blocks were encrypted client side.
        """
        _validate_not_none('block_list', block_list)
        headers = self._upload_headers(lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match,
                                       standard_blob_tier, content_settings)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'blocklist',
            'timeout': _int_to_str(timeout),
        }, headers, cpk=cpk)
        _add_metadata_headers(metadata, request)
        body = _convert_block_list_to_xml(block_list)
        if validate_content:
            request.headers['Content-MD5'] = await _content_md5(body)
        request.body = body
        if encryption_data is not None:
            request.headers['x-ms-meta-encryptiondata'] = encryption_data
        return await self._perform_request(request, _parse_base_properties)
