"""AppendBlobService: append blobs, which only grow, one appended block at a time."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import IO, Any, Callable, Optional, Union

from azure.common import AzureHttpError
from azure.storage.common._common_conversion import _int_to_str, _to_str
from azure.storage.common._error import _ambiguous_error, _validate_encryption_unsupported, _validate_not_none
from azure.storage.common._serialization import _add_metadata_headers, _get_data_bytes_only
from azure.storage.common._validation import _validate_text, _validate_upload
from azure.storage.common.models import _OperationContext

from ._async_io import _content_md5, _file_size, _open_file, _validate_count_within
from ._deserialization import _parse_append_block, _parse_base_properties
from ._error import _ERROR_APPEND_UNKNOWN
from ._serialization import (
    _bytes_as_stream,
    _lease_and_conditional_headers,
    _source_conditional_headers,
    _validate_and_format_range_headers,
)
from ._upload_chunking import _AppendBlobChunkUploader, _upload_blob_chunks
from .baseblobservice import BaseBlobService
from .models import (
    AppendBlockProperties,
    ContentSettings,
    CustomerProvidedEncryptionKey,
    ResourceProperties,
    _BlobTypes,
)


def _landed_append(blob, block, appendpos):
    """
    The AppendBlockProperties of ``block`` appended at ``appendpos``, when ``blob`` (read back
    from that offset to its end) shows exactly that append as the blob's last; else None.
    """
    if blob.properties.content_length is None or bytes(blob.content or b'') != block:
        return None
    if blob.properties.content_range != 'bytes {}-{}/{}'.format(appendpos, appendpos + len(block) - 1,
                                                                appendpos + len(block)):
        return None
    properties = AppendBlockProperties()
    properties.etag = blob.properties.etag
    properties.last_modified = blob.properties.last_modified
    properties.append_offset = appendpos
    properties.committed_block_count = blob.properties.append_blob_committed_block_count
    return properties


class AppendBlobService(BaseBlobService):
    """
    An append blob is made of blocks and built for appending: each appended block goes at
    the end of the blob, and existing blocks are never changed or deleted. It suits logs,
    where many writers add records to one blob. Blocks are up to 4 MB each, and an append
    blob holds at most 50,000 of them, so up to about 195 GB.

    :ivar int MAX_BLOCK_SIZE:
        The size of the blocks appended by the append_blob_from_* methods (less for the last
        one). The service accepts blocks of at most 4MB.
    """

    MAX_BLOCK_SIZE = 4 * 1024 * 1024

    #: The x-ms-blob-type of the blobs this service creates.
    blob_type = _BlobTypes.AppendBlob

    async def create_blob(self, container_name: str, blob_name: str, content_settings: Optional[ContentSettings] = None,
                          metadata: Optional[dict[str, str]] = None, lease_id: Optional[str] = None,
                          if_modified_since: Optional[datetime] = None, if_unmodified_since: Optional[datetime] = None,
                          if_match: Optional[str] = None, if_none_match: Optional[str] = None,
                          timeout: Optional[int] = None,
                          cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates an empty append blob, or replaces an existing blob of that name with one.
        To append to a blob that may already exist, create it with if_none_match='*' (and
        ignore the conflict), or check first with exists().

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or replace.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
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
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the service encrypts the blob with (HTTPS only).
        :return: ETag and last modified properties for the new Append Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        headers['x-ms-blob-type'] = _to_str(self.blob_type)
        if content_settings is not None:
            headers.update(content_settings._to_headers())
        request = self._blob_request('PUT', container_name, blob_name, {'timeout': _int_to_str(timeout)}, headers,
                                     cpk=cpk)
        _add_metadata_headers(metadata, request)
        return await self._perform_request(request, _parse_base_properties)

    async def append_block(self, container_name: str, blob_name: str, block: bytes, validate_content: bool = False,
                           maxsize_condition: Optional[int] = None, appendpos_condition: Optional[int] = None,
                           lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                           if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                           if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                           cpk: Optional[CustomerProvidedEncryptionKey] = None) -> AppendBlockProperties:
        """
        Appends a block to the end of an append blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param bytes block: Content of the block, at most 4MB.
        :param bool validate_content:
            If true, calculates an MD5 hash of the block content. The storage service checks
            the hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param int maxsize_condition:
            The largest size, in bytes, the blob may reach: an append that would make it
            longer fails with 412 (Precondition Failed).
        :param int appendpos_condition:
            Only append if the blob's current length is exactly this (the offset the block
            would land at); otherwise the append fails with 412 (Precondition Failed). With
            it, a retry of an append whose answer was lost cannot append the block twice:
            when the retry fails on its conditions, the blob is read back, and the call
            succeeds if the earlier attempt landed (the blob ends with exactly this block at
            this offset); otherwise the 412 says that the earlier attempt's outcome is unknown.
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
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag, last modified, append offset, and committed block count properties
            for the updated Append Blob
        :rtype: :class:`~azure.storage.blob.models.AppendBlockProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('block', block)
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        request = self._append_request(container_name, blob_name, maxsize_condition, appendpos_condition, lease_id,
                                       if_modified_since, if_unmodified_since, if_match, if_none_match, timeout,
                                       cpk)
        request.body = _get_data_bytes_only('block', block)
        if validate_content:
            request.headers['Content-MD5'] = await _content_md5(request.body)
        context = _OperationContext()
        try:
            return await self._perform_request(request, _parse_append_block, operation_context=context)
        except AzureHttpError as ex:
            if appendpos_condition is None or not context.retried or ex.status_code != HTTPStatus.PRECONDITION_FAILED:
                raise
            landed = await self._find_landed_append(container_name, blob_name, request.body, appendpos_condition,
                                                    timeout, cpk)
            if landed is None:
                raise _ambiguous_error(ex, _ERROR_APPEND_UNKNOWN.format(appendpos_condition)) from ex
            return landed

    async def _find_landed_append(self, container_name, blob_name, block, appendpos, timeout, cpk):
        """
        After a retried append failed on its conditions: the earlier attempt's result if it
        landed (read back from ``appendpos``), else None.
        """
        try:
            blob = await self._get_blob(container_name, blob_name, start_range=appendpos,
                                        end_range=appendpos + len(block) * 2, timeout=timeout, cpk=cpk)
        except AzureHttpError:
            return None
        return _landed_append(blob, block, appendpos)

    async def append_block_from_url(self, container_name: str, blob_name: str, copy_source_url: str,
                                    source_range_start: Optional[int] = None, source_range_end: Optional[int] = None,
                                    source_content_md5: Optional[str] = None,
                                    source_if_modified_since: Optional[datetime] = None,
                                    source_if_unmodified_since: Optional[datetime] = None,
                                    source_if_match: Optional[str] = None, source_if_none_match: Optional[str] = None,
                                    maxsize_condition: Optional[int] = None, appendpos_condition: Optional[int] = None,
                                    lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                    if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                    cpk: Optional[CustomerProvidedEncryptionKey] = None) -> AppendBlockProperties:
        """
        Appends a block whose content the service reads from a URL.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str copy_source_url:
            The URL of the source data: any Azure blob or file that is public or carries a
            shared access signature.
        :param int source_range_start: The first byte of the source to append (inclusive).
        :param int source_range_end: The last byte of the source to append (inclusive).
        :param str source_content_md5:
            If given, the service checks that the MD5 of the source content matches it.
        :param datetime source_if_modified_since: Only append if the source was modified since this time.
        :param datetime source_if_unmodified_since: Only append if the source was not modified since this time.
        :param str source_if_match: Only append if the source's ETag matches this value.
        :param str source_if_none_match: Only append if the source's ETag does not match this value.
        :param int maxsize_condition:
            The largest size, in bytes, the blob may reach: an append that would make it
            longer fails with 412 (Precondition Failed).
        :param int appendpos_condition:
            Only append if the blob's current length is exactly this; otherwise the append
            fails with 412 (Precondition Failed).
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
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag, last modified, append offset, and committed block count properties
            for the updated Append Blob
        :rtype: :class:`~azure.storage.blob.models.AppendBlockProperties`
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('copy_source_url', copy_source_url)
        request = self._append_request(container_name, blob_name, maxsize_condition, appendpos_condition, lease_id,
                                       if_modified_since, if_unmodified_since, if_match, if_none_match, timeout,
                                       cpk)
        request.headers['x-ms-copy-source'] = copy_source_url
        request.headers['x-ms-source-content-md5'] = source_content_md5
        request.headers.update(_source_conditional_headers(source_if_modified_since, source_if_unmodified_since,
                                                           source_if_match, source_if_none_match))
        _validate_and_format_range_headers(request, source_range_start, source_range_end, start_range_required=False,
                                           end_range_required=False, range_header_name='x-ms-source-range')
        return await self._perform_request(request, _parse_append_block)

    # Uploads

    async def append_blob_from_path(self, container_name: str, blob_name: str, file_path: str,
                                    validate_content: bool = False, maxsize_condition: Optional[int] = None,
                                    progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                    lease_id: Optional[str] = None, timeout: Optional[int] = None,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                    if_none_match: Optional[str] = None,
                                    cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Appends the content of a file to an existing append blob, in blocks of
        MAX_BLOCK_SIZE, with progress notifications. The file is read in a worker thread,
        block by block.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str file_path: Path of the file to append.
        :param bool validate_content:
            If true, calculates an MD5 hash for each block. The storage service checks the
            hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param int maxsize_condition:
            The largest size, in bytes, the blob may reach: the append that would make it
            longer fails with 412 (Precondition Failed), and the blocks before it stay.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the file. A
            plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param datetime if_modified_since:
            Only append if the blob has been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param datetime if_unmodified_since:
            Only append if the blob has not been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param str if_match: Only append if the blob's ETag matches this value (first append only).
        :param str if_none_match: Only append if the blob's ETag does not match this value (first append only).
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag and last modified properties for the Append Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('file_path', file_path)
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        count = await _file_size(file_path)
        async with _open_file(file_path, 'rb', self._file_slots.get(self.MAX_OPEN_FILES)) as stream:
            return await self.append_blob_from_stream(
                container_name, blob_name, stream, count=count, validate_content=validate_content,
                maxsize_condition=maxsize_condition, progress_callback=progress_callback, lease_id=lease_id,
                timeout=timeout, if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since,
                if_match=if_match, if_none_match=if_none_match, cpk=cpk)

    async def append_blob_from_bytes(self, container_name: str, blob_name: str, blob: bytes, index: int = 0,
                                     count: Optional[int] = None, validate_content: bool = False,
                                     maxsize_condition: Optional[int] = None,
                                     progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                     lease_id: Optional[str] = None, timeout: Optional[int] = None,
                                     if_modified_since: Optional[datetime] = None,
                                     if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                     if_none_match: Optional[str] = None,
                                     cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Appends an array of bytes to an existing append blob, in blocks of MAX_BLOCK_SIZE,
        with progress notifications.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param bytes blob: Content to append, as an array of bytes.
        :param int index: Start index in the array of bytes.
        :param int count:
            Number of bytes to append. Set to None or negative value to append all bytes
            starting from index.
        :param bool validate_content:
            If true, calculates an MD5 hash for each block. The storage service checks the
            hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param int maxsize_condition:
            The largest size, in bytes, the blob may reach: the append that would make it
            longer fails with 412 (Precondition Failed), and the blocks before it stay.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the number of bytes to
            append. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param datetime if_modified_since:
            Only append if the blob has been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param datetime if_unmodified_since:
            Only append if the blob has not been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param str if_match: Only append if the blob's ETag matches this value (first append only).
        :param str if_none_match: Only append if the blob's ETag does not match this value (first append only).
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag and last modified properties for the Append Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        stream, count = _bytes_as_stream(blob, index, count)
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        return await self.append_blob_from_stream(
            container_name, blob_name, stream, count=count, validate_content=validate_content,
            maxsize_condition=maxsize_condition, progress_callback=progress_callback, lease_id=lease_id,
            timeout=timeout, if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since,
            if_match=if_match, if_none_match=if_none_match, cpk=cpk)

    async def append_blob_from_text(self, container_name: str, blob_name: str, text: Union[str, bytes],
                                    encoding: str = 'utf-8', validate_content: bool = False,
                                    maxsize_condition: Optional[int] = None,
                                    progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                    lease_id: Optional[str] = None, timeout: Optional[int] = None,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                    if_none_match: Optional[str] = None,
                                    cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Appends text to an existing append blob, encoded, in blocks of MAX_BLOCK_SIZE, with
        progress notifications.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str text: Text to append to the blob.
        :param str encoding: Python encoding to use to convert the text to bytes.
        :param bool validate_content:
            If true, calculates an MD5 hash for each block. The storage service checks the
            hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param int maxsize_condition:
            The largest size, in bytes, the blob may reach: the append that would make it
            longer fails with 412 (Precondition Failed), and the blocks before it stay.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the number of bytes to
            append. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param datetime if_modified_since:
            Only append if the blob has been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param datetime if_unmodified_since:
            Only append if the blob has not been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param str if_match: Only append if the blob's ETag matches this value (first append only).
        :param str if_none_match: Only append if the blob's ETag does not match this value (first append only).
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag and last modified properties for the Append Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('text', text)
        _validate_text('text', text)
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        if not isinstance(text, bytes):
            _validate_not_none('encoding', encoding)
            text = text.encode(encoding)
        return await self.append_blob_from_bytes(
            container_name, blob_name, text, index=0, count=len(text), validate_content=validate_content,
            maxsize_condition=maxsize_condition, progress_callback=progress_callback, lease_id=lease_id,
            timeout=timeout, if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since,
            if_match=if_match, if_none_match=if_none_match, cpk=cpk)

    async def append_blob_from_stream(self, container_name: str, blob_name: str, stream: IO[bytes],
                                      count: Optional[int] = None, validate_content: bool = False,
                                      maxsize_condition: Optional[int] = None,
                                      progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                      lease_id: Optional[str] = None, timeout: Optional[int] = None,
                                      if_modified_since: Optional[datetime] = None,
                                      if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                      if_none_match: Optional[str] = None,
                                      cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Appends the content of a stream to an existing append blob, in blocks of
        MAX_BLOCK_SIZE read one at a time, with progress notifications. The blocks are
        appended in order, one after the other, each pinned to the offset it must land at
        (appendpos, from the blob's length read up front): a block whose answer was lost is
        never appended twice by a retry, and a concurrent writer makes the upload fail rather
        than interleave with it. Blocks appended before a failure stay in the blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param io.IOBase stream: Opened stream whose content to append.
        :param int count: Number of bytes to read from the stream; up to its end when None.
        :param bool validate_content:
            If true, calculates an MD5 hash for each block. The storage service checks the
            hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param int maxsize_condition:
            The largest size, in bytes, the blob may reach: the append that would make it
            longer fails with 412 (Precondition Failed), and the blocks before it stay.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is count, or None when count is
            not given. A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param datetime if_modified_since:
            Only append if the blob has been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param datetime if_unmodified_since:
            Only append if the blob has not been modified since this time (UTC; a datetime
            without timezone is taken as UTC). Checked by the first append only.
        :param str if_match: Only append if the blob's ETag matches this value (first append only).
        :param str if_none_match: Only append if the blob's ETag does not match this value (first append only).
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag and last modified properties for the Append Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_upload(container_name, blob_name, stream)
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        _validate_count_within(stream, count)
        properties = ResourceProperties()
        # Every block is pinned to its offset, the first one included: that needs the length now.
        blob = await self.get_blob_properties(container_name, blob_name, timeout=timeout, cpk=cpk)
        # Appends depend on the length the previous one left: they cannot run in parallel.
        await _upload_blob_chunks(
            blob_service=self, container_name=container_name, blob_name=blob_name, blob_size=count,
            block_size=self.MAX_BLOCK_SIZE, stream=stream, max_connections=1, progress_callback=progress_callback,
            validate_content=validate_content, lease_id=lease_id, uploader_class=_AppendBlobChunkUploader,
            maxsize_condition=maxsize_condition, timeout=timeout, resource_properties=properties,
            if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since, if_match=if_match,
            if_none_match=if_none_match, cpk=cpk, append_start=blob.properties.content_length)
        return properties

    def _append_request(self, container_name, blob_name, maxsize_condition, appendpos_condition, lease_id,
                        if_modified_since, if_unmodified_since, if_match, if_none_match, timeout, cpk):
        """An Append Block request with its conditions, without its content."""
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        headers['x-ms-blob-condition-maxsize'] = _to_str(maxsize_condition)
        headers['x-ms-blob-condition-appendpos'] = _to_str(appendpos_condition)
        return self._blob_request('PUT', container_name, blob_name, {
            'comp': 'appendblock',
            'timeout': _int_to_str(timeout),
        }, headers, cpk=cpk)
