"""PageBlobService: page blobs, written and cleared in 512-byte pages at any offset."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import IO, Any, Callable, Optional, Union

from azure.common import AzureHttpError

from azure.storage.common._common_conversion import _int_to_str, _to_str
from azure.storage.common._error import (
    _ERROR_VALUE_NEGATIVE,
    _ambiguous_error,
    _validate_encryption_required,
    _validate_encryption_unsupported,
    _validate_not_none,
)
from azure.storage.common._serialization import _add_metadata_headers, _get_data_bytes_only
from azure.storage.common._validation import _validate_upload
from azure.storage.common.models import _OperationContext

from ._async_io import _content_md5, _file_size, _open_file, _validate_count_within, _validate_seekable_for_parallel
from ._deserialization import _convert_xml_to_page_ranges, _parse_base_properties, _parse_blob, _parse_page_properties
from ._encryption import _generate_blob_encryption_data
from ._error import _ERROR_PAGE_BLOB_SIZE_ALIGNMENT, _ERROR_PAGES_UNKNOWN
from ._serialization import (
    _bytes_as_stream,
    _lease_and_conditional_headers,
    _sequence_number_headers,
    _source_conditional_headers,
    _validate_and_format_range_headers,
)
from ._upload_chunking import _PageBlobChunkUploader, _upload_blob_chunks
from .baseblobservice import BaseBlobService
from .models import (
    ContentSettings,
    CopyProperties,
    CustomerProvidedEncryptionKey,
    PageBlobProperties,
    PageRange,
    ResourceProperties,
    _BlobTypes,
)

# Page blobs are read and written in whole pages of this many bytes.
_PAGE_ALIGNMENT = 512


def _landed_pages(blob, pages, start_range):
    """
    The PageBlobProperties of a write of ``pages`` at ``start_range``, when ``blob`` (that
    range read back) holds exactly them; else None.
    """
    end_range = start_range + len(pages) - 1
    if bytes(blob.content or b'') != pages:
        return None
    if not (blob.properties.content_range or '').startswith('bytes {}-{}/'.format(start_range, end_range)):
        return None
    properties = PageBlobProperties()
    properties.etag = blob.properties.etag
    properties.last_modified = blob.properties.last_modified
    properties.sequence_number = blob.properties.page_blob_sequence_number
    return properties


class PageBlobService(BaseBlobService):
    """
    Page blobs are collections of 512-byte pages, made for random reads and writes. A page
    blob is created with the largest size it may grow to (a multiple of 512 bytes, up to
    8 TB; it can be resized later); its content is then written or cleared by ranges that
    start and end on page boundaries, up to 4 MB per write. Writes land in place and are
    committed at once. Pages never written read as zeros, and cost nothing to store.

    :ivar int MAX_PAGE_SIZE:
        The size of the page writes made by the create_blob_from_* methods (less for the
        last one). Pages of the source that hold only zeros are not sent. The service
        accepts at most 4MB per write.
    """

    MAX_PAGE_SIZE = 4 * 1024 * 1024

    #: The x-ms-blob-type of the blobs this service creates.
    blob_type = _BlobTypes.PageBlob

    async def create_blob(self, container_name: str, blob_name: str, content_length: int,
                          content_settings: Optional[ContentSettings] = None, sequence_number: Optional[int] = None,
                          metadata: Optional[dict[str, str]] = None, lease_id: Optional[str] = None,
                          if_modified_since: Optional[datetime] = None, if_unmodified_since: Optional[datetime] = None,
                          if_match: Optional[str] = None, if_none_match: Optional[str] = None,
                          timeout: Optional[int] = None, premium_page_blob_tier: Optional[str] = None,
                          cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new page blob of the given size, all zeros; an existing blob of that name
        is replaced. The create_blob_from_* methods create and fill a blob in one call.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param int content_length:
            Required. The size of the page blob, which is also the largest it can grow to
            without a resize. It must be a multiple of 512.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set properties on the blob.
        :param int sequence_number:
            A number of your choosing (0 to 2^63 - 1, 0 by default) kept with the blob, to
            coordinate writers; see set_sequence_number and the if_sequence_number_*
            conditions of the page writes.
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
        :param PremiumPageBlobTier premium_page_blob_tier:
            The tier to give the blob, which sets its size class and IOPS. Only for page
            blobs on premium storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the service encrypts the blob with (HTTPS only).
        :return: ETag and last modified properties for the new Page Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        return await self._create_blob(
            container_name, blob_name, content_length, content_settings=content_settings,
            sequence_number=sequence_number, metadata=metadata, lease_id=lease_id,
            premium_page_blob_tier=premium_page_blob_tier, if_modified_since=if_modified_since,
            if_unmodified_since=if_unmodified_since, if_match=if_match, if_none_match=if_none_match,
            timeout=timeout, cpk=cpk)

    async def incremental_copy_blob(self, container_name: str, blob_name: str, copy_source: str,
                                    metadata: Optional[dict[str, str]] = None,
                                    destination_if_modified_since: Optional[datetime] = None,
                                    destination_if_unmodified_since: Optional[datetime] = None,
                                    destination_if_match: Optional[str] = None,
                                    destination_if_none_match: Optional[str] = None,
                                    destination_lease_id: Optional[str] = None, source_lease_id: Optional[str] = None,
                                    timeout: Optional[int] = None) -> CopyProperties:
        """
        Starts an incremental copy of a page blob snapshot into the destination blob, and
        returns the copy operation properties (with the copy id, to follow or abort the
        copy). The first incremental copy copies the whole snapshot; each later one copies
        only the pages that changed since the snapshot copied before, and the destination
        gets a new snapshot of its own each time. The service copies on a best-effort basis:
        follow the copy with get_blob_properties on the destination.

        :param str container_name: Name of the destination container. The container must exist.
        :param str blob_name:
            Name of the destination blob, created if it does not exist, else overwritten.
        :param str copy_source:
            The URL (up to 2 KB, URL-encoded as in a request) of a snapshot of a page blob,
            public or with a SAS, e.g.
            https://myaccount.blob.core.windows.net/mycontainer/myblob?snapshot=<DateTime>&sastoken
        :param metadata:
            Name-value pairs for the destination blob. Without them, the source blob's
            metadata is copied; with them, only these are stored.
        :type metadata: dict(str, str)
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
        :param str destination_lease_id:
            The lease ID of the destination blob, required if it has an active lease (412
            otherwise).
        :param str source_lease_id: The lease ID of the source blob: only copy if it matches the active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: Copy operation properties such as status, source, and ID.
        :rtype: :class:`~azure.storage.blob.models.CopyProperties`
        """
        return await self._copy_blob(
            container_name, blob_name, copy_source, metadata,
            destination_if_modified_since=destination_if_modified_since,
            destination_if_unmodified_since=destination_if_unmodified_since,
            destination_if_match=destination_if_match, destination_if_none_match=destination_if_none_match,
            destination_lease_id=destination_lease_id, source_lease_id=source_lease_id, timeout=timeout,
            incremental_copy=True)

    async def update_page(self, container_name: str, blob_name: str, page: bytes, start_range: int, end_range: int,
                          validate_content: bool = False, lease_id: Optional[str] = None,
                          if_sequence_number_lte: Optional[int] = None, if_sequence_number_lt: Optional[int] = None,
                          if_sequence_number_eq: Optional[int] = None, if_modified_since: Optional[datetime] = None,
                          if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                          if_none_match: Optional[str] = None, cpk: Optional[CustomerProvidedEncryptionKey] = None,
                          timeout: Optional[int] = None) -> PageBlobProperties:
        """
        Writes a range of pages.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param bytes page: The content of the pages, as long as the range.
        :param int start_range:
            The first byte of the range to write. Ranges follow page boundaries: the start
            is a multiple of 512 and the end a multiple of 512, minus 1 (0-511, 512-1023,
            0-1023, ...).
        :param int end_range:
            The last byte of the range to write (inclusive, a multiple of 512 minus 1).
        :param bool validate_content:
            If true, calculates an MD5 hash of the page content. The storage service checks
            the hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param str lease_id: Required if the blob has an active lease.
        :param int if_sequence_number_lte:
            Only write if the blob's sequence number is less than or equal to this value.
        :param int if_sequence_number_lt:
            Only write if the blob's sequence number is less than this value.
        :param int if_sequence_number_eq:
            Only write if the blob's sequence number equals this value.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only write if the blob's ETag matches this value (or '*').
        :param str if_none_match: Only write if the blob's ETag does not match this value.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: ETag, last modified and sequence number of the updated Page Blob
        :rtype: :class:`~azure.storage.blob.models.PageBlobProperties`
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        return await self._update_page(
            container_name, blob_name, page, start_range, end_range, validate_content=validate_content,
            lease_id=lease_id, if_sequence_number_lte=if_sequence_number_lte,
            if_sequence_number_lt=if_sequence_number_lt, if_sequence_number_eq=if_sequence_number_eq,
            if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since, if_match=if_match,
            if_none_match=if_none_match, cpk=cpk, timeout=timeout)

    async def update_page_from_url(self, container_name: str, blob_name: str, start_range: int, end_range: int,
                                   copy_source_url: str, source_range_start: int,
                                   source_content_md5: Optional[str] = None,
                                   source_if_modified_since: Optional[datetime] = None,
                                   source_if_unmodified_since: Optional[datetime] = None,
                                   source_if_match: Optional[str] = None, source_if_none_match: Optional[str] = None,
                                   lease_id: Optional[str] = None, if_sequence_number_lte: Optional[int] = None,
                                   if_sequence_number_lt: Optional[int] = None,
                                   if_sequence_number_eq: Optional[int] = None,
                                   if_modified_since: Optional[datetime] = None,
                                   if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                   if_none_match: Optional[str] = None,
                                   cpk: Optional[CustomerProvidedEncryptionKey] = None,
                                   timeout: Optional[int] = None) -> PageBlobProperties:
        """
        Writes a range of pages with content the service reads from a URL.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param int start_range:
            The first byte of the range to write (a multiple of 512).
        :param int end_range:
            The last byte of the range to write (inclusive, a multiple of 512 minus 1).
        :param str copy_source_url:
            The URL of the source data: any Azure blob or file that is public or carries a
            shared access signature.
        :param int source_range_start:
            Where the content starts in the source; as many bytes as the destination range
            holds are read from there.
        :param str source_content_md5:
            If given, the service checks that the MD5 of the source range matches it.
        :param datetime source_if_modified_since: Only write if the source was modified since this time.
        :param datetime source_if_unmodified_since: Only write if the source was not modified since this time.
        :param str source_if_match: Only write if the source's ETag matches this value.
        :param str source_if_none_match: Only write if the source's ETag does not match this value.
        :param str lease_id: Required if the blob has an active lease.
        :param int if_sequence_number_lte:
            Only write if the blob's sequence number is less than or equal to this value.
        :param int if_sequence_number_lt:
            Only write if the blob's sequence number is less than this value.
        :param int if_sequence_number_eq:
            Only write if the blob's sequence number equals this value.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only write if the blob's ETag matches this value (or '*').
        :param str if_none_match: Only write if the blob's ETag does not match this value.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: ETag, last modified and sequence number of the updated Page Blob
        :rtype: :class:`~azure.storage.blob.models.PageBlobProperties`
        """
        _validate_encryption_unsupported(self.require_encryption, self.key_encryption_key)
        _validate_not_none('copy_source_url', copy_source_url)
        request = self._page_write_request('update', container_name, blob_name, start_range, end_range, lease_id,
                                           if_sequence_number_lte, if_sequence_number_lt, if_sequence_number_eq,
                                           if_modified_since, if_unmodified_since, if_match, if_none_match,
                                           timeout, cpk)
        _validate_not_none('source_range_start', source_range_start)
        request.headers['x-ms-copy-source'] = copy_source_url
        request.headers['x-ms-source-content-md5'] = source_content_md5
        request.headers.update(_source_conditional_headers(source_if_modified_since, source_if_unmodified_since,
                                                           source_if_match, source_if_none_match))
        _validate_and_format_range_headers(request, source_range_start,
                                           source_range_start + (end_range - start_range),
                                           range_header_name='x-ms-source-range')
        return await self._perform_request(request, _parse_page_properties)

    async def clear_page(self, container_name: str, blob_name: str, start_range: int, end_range: int,
                         lease_id: Optional[str] = None, if_sequence_number_lte: Optional[int] = None,
                         if_sequence_number_lt: Optional[int] = None, if_sequence_number_eq: Optional[int] = None,
                         if_modified_since: Optional[datetime] = None, if_unmodified_since: Optional[datetime] = None,
                         if_match: Optional[str] = None, if_none_match: Optional[str] = None,
                         timeout: Optional[int] = None) -> PageBlobProperties:
        """
        Clears a range of pages: they read as zeros again and are no longer stored.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param int start_range:
            The first byte of the range to clear. Ranges follow page boundaries: the start
            is a multiple of 512 and the end a multiple of 512, minus 1 (0-511, 512-1023, ...).
        :param int end_range:
            The last byte of the range to clear (inclusive, a multiple of 512 minus 1).
        :param str lease_id: Required if the blob has an active lease.
        :param int if_sequence_number_lte:
            Only clear if the blob's sequence number is less than or equal to this value.
        :param int if_sequence_number_lt:
            Only clear if the blob's sequence number is less than this value.
        :param int if_sequence_number_eq:
            Only clear if the blob's sequence number equals this value.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only clear if the blob's ETag matches this value (or '*').
        :param str if_none_match: Only clear if the blob's ETag does not match this value.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: ETag, last modified and sequence number of the updated Page Blob
        :rtype: :class:`~azure.storage.blob.models.PageBlobProperties`
        """
        request = self._page_write_request('clear', container_name, blob_name, start_range, end_range, lease_id,
                                           if_sequence_number_lte, if_sequence_number_lt, if_sequence_number_eq,
                                           if_modified_since, if_unmodified_since, if_match, if_none_match, timeout)
        return await self._perform_request(request, _parse_page_properties)

    async def get_page_ranges(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                              start_range: Optional[int] = None, end_range: Optional[int] = None,
                              lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                              if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                              if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> list[PageRange]:
        """
        Returns the ranges of a page blob (or of a snapshot of it) that hold written pages,
        in order; pages never written or cleared are not part of any range.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to read the ranges of.
        :param int start_range:
            Only look at the blob from this byte on (a multiple of 512); without end_range,
            up to its end.
        :param int end_range:
            Only look at the blob up to this byte (inclusive, a multiple of 512 minus 1).
            Only used with start_range.
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
        :return: A list of valid Page Ranges for the Page Blob.
        :rtype: list(:class:`~azure.storage.blob.models.PageRange`)
        """
        return await self._get_page_ranges(container_name, blob_name, snapshot, None, start_range, end_range,
                                           lease_id, if_modified_since, if_unmodified_since, if_match,
                                           if_none_match, timeout)

    async def get_page_ranges_diff(self, container_name: str, blob_name: str, previous_snapshot: str,
                                   snapshot: Optional[str] = None, start_range: Optional[int] = None,
                                   end_range: Optional[int] = None, lease_id: Optional[str] = None,
                                   if_modified_since: Optional[datetime] = None,
                                   if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                   if_none_match: Optional[str] = None,
                                   timeout: Optional[int] = None) -> list[PageRange]:
        """
        Returns the ranges that changed between an earlier snapshot and a later one (or the
        blob itself): pages written since, and pages cleared since (``is_cleared``).

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str previous_snapshot:
            The earlier snapshot (an opaque DateTime value) to compare against.
        :param str snapshot:
            The later snapshot (an opaque DateTime value) to compare with previous_snapshot;
            the blob itself when None.
        :param int start_range:
            Only look at the blob from this byte on (a multiple of 512); without end_range,
            up to its end.
        :param int end_range:
            Only look at the blob up to this byte (inclusive, a multiple of 512 minus 1).
            Only used with start_range.
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
        :return: A list of different Page Ranges for the Page Blob.
        :rtype: list(:class:`~azure.storage.blob.models.PageRange`)
        """
        _validate_not_none('previous_snapshot', previous_snapshot)
        return await self._get_page_ranges(container_name, blob_name, snapshot, previous_snapshot, start_range,
                                           end_range, lease_id, if_modified_since, if_unmodified_since, if_match,
                                           if_none_match, timeout)

    async def set_sequence_number(self, container_name: str, blob_name: str, sequence_number_action: str,
                                  sequence_number: Union[int, str, None] = None, lease_id: Optional[str] = None,
                                  if_modified_since: Optional[datetime] = None,
                                  if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                  if_none_match: Optional[str] = None,
                                  timeout: Optional[int] = None) -> PageBlobProperties:
        """
        Sets the sequence number of a page blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str sequence_number_action:
            How the service changes the sequence number: see
            :class:`~azure.storage.blob.models.SequenceNumberAction` (max, update, or
            increment, which takes no sequence_number).
        :param str sequence_number:
            The value for the max and update actions. The sequence number is a property of
            your own, to track requests and coordinate concurrent writers.
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
        :return: ETag, last modified and sequence number of the updated Page Blob
        :rtype: :class:`~azure.storage.blob.models.PageBlobProperties`
        """
        _validate_not_none('sequence_number_action', sequence_number_action)
        return await self._set_page_blob_properties(container_name, blob_name, {
            'x-ms-blob-sequence-number': _to_str(sequence_number),
            'x-ms-sequence-number-action': _to_str(sequence_number_action),
        }, lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match, timeout)

    async def resize_blob(self, container_name: str, blob_name: str, content_length: int,
                          lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                          if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                          if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> PageBlobProperties:
        """
        Resizes a page blob: pages past a smaller size are dropped; a larger size adds pages
        of zeros.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param int content_length: The new size of the blob, a multiple of 512.
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
        :return: ETag, last modified and sequence number of the updated Page Blob
        :rtype: :class:`~azure.storage.blob.models.PageBlobProperties`
        """
        _validate_not_none('content_length', content_length)
        return await self._set_page_blob_properties(container_name, blob_name, {
            'x-ms-blob-content-length': _to_str(content_length),
        }, lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match, timeout)

    # Uploads

    async def create_blob_from_path(self, container_name: str, blob_name: str, file_path: str,
                                    content_settings: Optional[ContentSettings] = None,
                                    metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                    progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                    max_connections: int = 2, lease_id: Optional[str] = None,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                    if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                    premium_page_blob_tier: Optional[str] = None,
                                    cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new page blob from a file path, or replaces an existing one, with
        automatic chunking and progress notifications. The file size must be a multiple of
        512; the file is read in a worker thread, chunk by chunk.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param str file_path: Path of the file to upload as the blob content.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each page write. The storage service checks
            the hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob. A plain
            or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections: Maximum number of page writes in flight at once.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only create the blob if it has been modified since this time (UTC; a datetime
            without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only create the blob if it has not been modified since this time (UTC; a
            datetime without timezone is taken as UTC).
        :param str if_match: Only create the blob if its ETag matches this value (or '*').
        :param str if_none_match:
            Only create the blob if its ETag does not match this value; '*' means only if
            the blob does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param PremiumPageBlobTier premium_page_blob_tier:
            The tier to give the blob, which sets its size class and IOPS. Only for page
            blobs on premium storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the service encrypts the blob with (HTTPS only).
        :return: ETag and last modified properties for the Page Blob
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
                if_none_match=if_none_match, timeout=timeout, premium_page_blob_tier=premium_page_blob_tier,
                cpk=cpk)

    async def create_blob_from_stream(self, container_name: str, blob_name: str, stream: IO[bytes], count: int,
                                      content_settings: Optional[ContentSettings] = None,
                                      metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                      progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                      max_connections: int = 2, lease_id: Optional[str] = None,
                                      if_modified_since: Optional[datetime] = None,
                                      if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                      if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                      premium_page_blob_tier: Optional[str] = None,
                                      cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new page blob from a stream, or replaces an existing one, with automatic
        chunking and progress notifications. The blob is created first (the access
        conditions apply to that), then written in pages of MAX_PAGE_SIZE; source pages of
        zeros are skipped. At most max_connections pages are read and in flight at once.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param io.IOBase stream: Opened stream to upload as the blob content.
        :param int count:
            Number of bytes to read from the stream. Required; a multiple of 512, as the
            size of a page blob must be.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each page write. The storage service checks
            the hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob. A plain
            or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections:
            Maximum number of page writes in flight at once. Parallel upload requires the
            stream to be seekable; an unseekable stream needs max_connections=1.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only create the blob if it has been modified since this time (UTC; a datetime
            without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only create the blob if it has not been modified since this time (UTC; a
            datetime without timezone is taken as UTC).
        :param str if_match: Only create the blob if its ETag matches this value (or '*').
        :param str if_none_match:
            Only create the blob if its ETag does not match this value; '*' means only if
            the blob does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param PremiumPageBlobTier premium_page_blob_tier:
            The tier to give the blob, which sets its size class and IOPS. Only for page
            blobs on premium storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the service encrypts the blob with (HTTPS only).
        :return: ETag and last modified properties for the Page Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_upload(container_name, blob_name, stream, metadata, max_connections)
        _validate_not_none('count', count)
        _validate_encryption_required(self.require_encryption, self.key_encryption_key)
        if count < 0:
            raise ValueError(_ERROR_VALUE_NEGATIVE.format('count'))
        if count % _PAGE_ALIGNMENT != 0:
            raise ValueError(_ERROR_PAGE_BLOB_SIZE_ALIGNMENT.format(count))
        if max_connections > 1:
            _validate_seekable_for_parallel(stream)
        _validate_count_within(stream, count)

        cek, iv, encryption_data = await _generate_blob_encryption_data(self.key_encryption_key)
        properties = await self._create_blob(
            container_name, blob_name, count, content_settings=content_settings, metadata=metadata,
            lease_id=lease_id, premium_page_blob_tier=premium_page_blob_tier, if_modified_since=if_modified_since,
            if_unmodified_since=if_unmodified_since, if_match=if_match, if_none_match=if_none_match,
            timeout=timeout, encryption_data=encryption_data, cpk=cpk)
        if count == 0:
            return properties
        # Each write is pinned to the ETag of the one before it (in sequence). The last write's
        # properties are returned; a blob of zeros only keeps those of its creation.
        await _upload_blob_chunks(
            blob_service=self, container_name=container_name, blob_name=blob_name, blob_size=count,
            block_size=self.MAX_PAGE_SIZE, stream=stream, max_connections=max_connections,
            progress_callback=progress_callback, validate_content=validate_content, lease_id=lease_id,
            uploader_class=_PageBlobChunkUploader, if_match=properties.etag, timeout=timeout,
            content_encryption_key=cek, initialization_vector=iv, resource_properties=properties, cpk=cpk)
        return properties

    async def create_blob_from_bytes(self, container_name: str, blob_name: str, blob: bytes, index: int = 0,
                                     count: Optional[int] = None, content_settings: Optional[ContentSettings] = None,
                                     metadata: Optional[dict[str, str]] = None, validate_content: bool = False,
                                     progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                     max_connections: int = 2, lease_id: Optional[str] = None,
                                     if_modified_since: Optional[datetime] = None,
                                     if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                     if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                     premium_page_blob_tier: Optional[str] = None,
                                     cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Creates a new page blob from an array of bytes, or replaces an existing one, with
        automatic chunking and progress notifications.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to create or update.
        :param bytes blob: Content of blob as an array of bytes.
        :param int index: Start index in the byte array.
        :param int count:
            Number of bytes to upload (a multiple of 512). Set to None or negative value to
            upload all bytes starting from index.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            ContentSettings object used to set blob properties.
        :param metadata: Name-value pairs associated with the blob as metadata.
        :type metadata: dict(str, str)
        :param bool validate_content:
            If true, calculates an MD5 hash for each page write. The storage service checks
            the hash of the content that has arrived with the hash that was sent. This is
            primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. Note that this MD5 hash is
            not stored with the blob.
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob. A plain
            or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections: Maximum number of page writes in flight at once.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only create the blob if it has been modified since this time (UTC; a datetime
            without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only create the blob if it has not been modified since this time (UTC; a
            datetime without timezone is taken as UTC).
        :param str if_match: Only create the blob if its ETag matches this value (or '*').
        :param str if_none_match:
            Only create the blob if its ETag does not match this value; '*' means only if
            the blob does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param PremiumPageBlobTier premium_page_blob_tier:
            The tier to give the blob, which sets its size class and IOPS. Only for page
            blobs on premium storage accounts.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the service encrypts the blob with (HTTPS only).
        :return: ETag and last modified properties for the Page Blob
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
            if_none_match=if_none_match, timeout=timeout, premium_page_blob_tier=premium_page_blob_tier, cpk=cpk)

    # Tiers and copies

    async def set_premium_page_blob_tier(self, container_name: str, blob_name: str, premium_page_blob_tier: str,
                                         timeout: Optional[int] = None) -> None:
        """
        Sets the tier of a page blob. Only for page blobs on premium storage accounts.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of blob to update.
        :param PremiumPageBlobTier premium_page_blob_tier:
            The tier to give the blob, which sets its size class and IOPS.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        _validate_not_none('premium_page_blob_tier', premium_page_blob_tier)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'tier',
            'timeout': _int_to_str(timeout),
        }, {'x-ms-access-tier': _to_str(premium_page_blob_tier)})
        await self._perform_request(request)

    async def copy_blob(self, container_name: str, blob_name: str, copy_source: str,
                        metadata: Optional[dict[str, str]] = None, source_if_modified_since: Optional[datetime] = None,
                        source_if_unmodified_since: Optional[datetime] = None, source_if_match: Optional[str] = None,
                        source_if_none_match: Optional[str] = None,
                        destination_if_modified_since: Optional[datetime] = None,
                        destination_if_unmodified_since: Optional[datetime] = None,
                        destination_if_match: Optional[str] = None, destination_if_none_match: Optional[str] = None,
                        destination_lease_id: Optional[str] = None, source_lease_id: Optional[str] = None,
                        timeout: Optional[int] = None, premium_page_blob_tier: Optional[str] = None) -> CopyProperties:
        """
        Copies a blob asynchronously. This operation returns a copy operation properties
        object, including a copy ID you can use to check or abort the copy operation. The
        Blob service copies blobs on a best-effort basis.

        The source must be a page blob. The service creates the destination page blob with
        the size of the source, all zeros, then copies the source's written ranges into it.
        An existing destination blob is overwritten, and cannot be modified while the copy
        is pending. Follow the copy with get_blob_properties on the destination.

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
        :param PremiumPageBlobTier premium_page_blob_tier:
            The tier of the destination blob (premium storage accounts only).
        :return: Copy operation properties such as status, source, and ID.
        :rtype: :class:`~azure.storage.blob.models.CopyProperties`
        """
        return await self._copy_blob(
            container_name, blob_name, copy_source, metadata, premium_page_blob_tier,
            source_if_modified_since=source_if_modified_since, source_if_unmodified_since=source_if_unmodified_since,
            source_if_match=source_if_match, source_if_none_match=source_if_none_match,
            destination_if_modified_since=destination_if_modified_since,
            destination_if_unmodified_since=destination_if_unmodified_since,
            destination_if_match=destination_if_match, destination_if_none_match=destination_if_none_match,
            destination_lease_id=destination_lease_id, source_lease_id=source_lease_id, timeout=timeout)

    # Requests

    async def _create_blob(self, container_name, blob_name, content_length, content_settings=None,
                           sequence_number=None, metadata=None, lease_id=None, premium_page_blob_tier=None,
                           if_modified_since=None, if_unmodified_since=None, if_match=None, if_none_match=None,
                           timeout=None, encryption_data=None, cpk=None):
        """
        Creates the page blob (Put Blob with no content); see create_blob for the parameters.

        :param str encryption_data:
            The encryption metadata (JSON) of a blob whose pages are encrypted client side.
        :return: ETag and last modified properties for the new Page Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('content_length', content_length)
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        headers.update({
            'x-ms-blob-type': _to_str(self.blob_type),
            'x-ms-blob-content-length': _to_str(content_length),
            'x-ms-blob-sequence-number': _to_str(sequence_number),
            'x-ms-access-tier': _to_str(premium_page_blob_tier),
        })
        if content_settings is not None:
            headers.update(content_settings._to_headers())
        request = self._blob_request('PUT', container_name, blob_name, {'timeout': _int_to_str(timeout)}, headers,
                                     cpk=cpk)
        _add_metadata_headers(metadata, request)
        if encryption_data is not None:
            request.headers['x-ms-meta-encryptiondata'] = encryption_data
        return await self._perform_request(request, _parse_base_properties)

    async def _update_page(self, container_name, blob_name, page, start_range, end_range, validate_content=False,
                           lease_id=None, if_sequence_number_lte=None, if_sequence_number_lt=None,
                           if_sequence_number_eq=None, if_modified_since=None, if_unmodified_since=None,
                           if_match=None, if_none_match=None, cpk=None, timeout=None, _in_new_blob=False):
        """
        Writes a range of pages (Put Page, update); see update_page for the parameters. Used
        by update_page and by the chunked uploads, which may write encrypted pages.

        ``_in_new_blob``: the write is one of an upload in sequence into the blob it created,
        each pinned to the ETag of the write before. A retry of a write whose answer was lost
        then fails on that ETag (412) when the earlier attempt landed: the range is read back,
        and the write counts as done only when it holds exactly ``page``.

        :return: ETag, last modified and sequence number of the updated Page Blob
        :rtype: :class:`~azure.storage.blob.models.PageBlobProperties`
        """
        request = self._page_write_request('update', container_name, blob_name, start_range, end_range, lease_id,
                                           if_sequence_number_lte, if_sequence_number_lt, if_sequence_number_eq,
                                           if_modified_since, if_unmodified_since, if_match, if_none_match,
                                           timeout, cpk)
        request.body = _get_data_bytes_only('page', page)
        if validate_content:
            request.headers['Content-MD5'] = await _content_md5(request.body)
        context = _OperationContext()
        try:
            return await self._perform_request(request, _parse_page_properties, operation_context=context)
        except AzureHttpError as ex:
            if not _in_new_blob or not context.retried or ex.status_code != HTTPStatus.PRECONDITION_FAILED:
                raise
            landed = await self._find_landed_pages(container_name, blob_name, request.body, start_range, lease_id,
                                                   timeout, cpk)
            if landed is None:
                raise _ambiguous_error(ex, _ERROR_PAGES_UNKNOWN.format(start_range, end_range)) from ex
            return landed

    async def _find_landed_pages(self, container_name, blob_name, pages, start_range, lease_id, timeout, cpk):
        """
        After a retried page write failed on its ETag: the earlier attempt's result if the
        range holds exactly ``pages`` (read back from the primary, as stored: not decrypted),
        else None.
        """
        request = self._blob_request('GET', container_name, blob_name, {'timeout': _int_to_str(timeout)},
                                     _lease_and_conditional_headers(lease_id, None, None, None, None), cpk=cpk)
        _validate_and_format_range_headers(request, start_range, start_range + len(pages) - 1)
        try:
            blob = await self._perform_request(request, _parse_blob, [blob_name, None])
        except AzureHttpError:
            return None
        return _landed_pages(blob, pages, start_range)

    def _page_write_request(self, page_write, container_name, blob_name, start_range, end_range, lease_id,
                            if_sequence_number_lte, if_sequence_number_lt, if_sequence_number_eq,
                            if_modified_since, if_unmodified_since, if_match, if_none_match, timeout, cpk=None):
        """A Put Page request ('update' or 'clear') of a page-aligned range, without its content."""
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        headers.update(_sequence_number_headers(if_sequence_number_lte, if_sequence_number_lt,
                                                if_sequence_number_eq))
        headers['x-ms-page-write'] = page_write
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'page',
            'timeout': _int_to_str(timeout),
        }, headers, cpk=cpk)
        _validate_and_format_range_headers(request, start_range, end_range, align_to_page=True)
        return request

    async def _get_page_ranges(self, container_name, blob_name, snapshot, previous_snapshot, start_range,
                               end_range, lease_id, if_modified_since, if_unmodified_since, if_match, if_none_match,
                               timeout):
        """Get Page Ranges, of the blob or (with ``previous_snapshot``) of its changes since that snapshot."""
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        request = self._blob_request('GET', container_name, blob_name, {
            'comp': 'pagelist',
            'snapshot': _to_str(snapshot),
            'prevsnapshot': _to_str(previous_snapshot),
            'timeout': _int_to_str(timeout),
        }, headers, secondary=True)
        if start_range is not None:
            _validate_and_format_range_headers(request, start_range, end_range, start_range_required=False,
                                               end_range_required=False, align_to_page=True)
        return await self._perform_request(request, _convert_xml_to_page_ranges)

    async def _set_page_blob_properties(self, container_name, blob_name, properties, lease_id, if_modified_since,
                                        if_unmodified_since, if_match, if_none_match, timeout):
        """Set Blob Properties with page blob ``properties`` headers (size or sequence number)."""
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since, if_match,
                                                 if_none_match)
        headers.update(properties)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'properties',
            'timeout': _int_to_str(timeout),
        }, headers)
        return await self._perform_request(request, _parse_page_properties)
