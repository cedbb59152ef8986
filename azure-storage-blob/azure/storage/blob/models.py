"""The models of the blob service: containers, blobs, their properties, permissions and options."""
from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Optional

from azure.storage.common._common_conversion import _to_str
from azure.storage.common._http import HTTPResponse
from azure.storage.common.models import _Flags


class Container:
    """
    A blob container.

    :ivar str name: the name of the container.
    :ivar metadata: the container's name-value metadata. Left as None by list_containers
        unless include_metadata was asked for; an empty dict when asked for and there is none.
    :vartype metadata: dict(str, str)
    :ivar ContainerProperties properties: the system properties of the container.
    """

    name: Optional[str]
    properties: ContainerProperties
    metadata: Optional[dict[str, str]]

    def __init__(self, name: Optional[str] = None, props: Optional[ContainerProperties] = None,
                 metadata: Optional[dict[str, str]] = None) -> None:
        self.name = name
        self.properties = props or ContainerProperties()
        self.metadata = metadata


class ContainerProperties:
    """
    The system properties of a container.

    :ivar datetime last_modified: when the container was last modified.
    :ivar str etag: the ETag, for conditional operations.
    :ivar LeaseProperties lease: the lease state of the container.
    :ivar str public_access: the public access level ('container', 'blob' or None).
    :ivar bool has_immutability_policy: whether the container has an immutability policy.
    :ivar bool has_legal_hold: whether the container has a legal hold.
    """

    last_modified: Optional[datetime]
    etag: Optional[str]
    lease: LeaseProperties
    public_access: Optional[str]
    has_immutability_policy: Optional[bool]
    has_legal_hold: Optional[bool]

    def __init__(self) -> None:
        self.last_modified = None
        self.etag = None
        self.lease = LeaseProperties()
        self.public_access = None
        self.has_immutability_policy = None
        self.has_legal_hold = None


class Blob:
    """
    A blob: its name, content (after a download), properties and metadata.

    :ivar str name: the name of the blob.
    :ivar str snapshot: the opaque DateTime value naming the snapshot, None for the base blob.
    :ivar content: the downloaded content (bytes, or str from get_blob_to_text).
    :vartype content: str or bytes
    :ivar BlobProperties properties: the system properties of the blob.
    :ivar metadata: the blob's name-value metadata.
    :vartype metadata: dict(str, str)
    :ivar bool deleted: whether the blob is soft deleted (kept by a delete retention policy,
        so it can still be undeleted until the service collects it).
    """

    name: Optional[str]
    snapshot: Optional[str]
    content: Any
    properties: BlobProperties
    metadata: Optional[dict[str, str]]
    deleted: bool

    def __init__(self, name: Optional[str] = None, snapshot: Optional[str] = None, content: Any = None,
                 props: Optional[BlobProperties] = None, metadata: Optional[dict[str, str]] = None,
                 deleted: bool = False) -> None:
        self.name = name
        self.snapshot = snapshot
        self.content = content
        self.properties = props or BlobProperties()
        self.metadata = metadata
        self.deleted = deleted


class BlobProperties:
    """
    The system properties of a blob.

    :ivar str blob_type: 'BlockBlob', 'PageBlob' or 'AppendBlob'.
    :ivar datetime last_modified: when the blob was last modified.
    :ivar str etag: the ETag, for conditional operations.
    :ivar int content_length: the size of the blob, or of the range that was downloaded.
    :ivar str content_range: the range returned when part of the blob was asked for.
    :ivar int append_blob_committed_block_count: (append blobs) the number of committed blocks.
    :ivar int page_blob_sequence_number: (page blobs) the sequence number, for concurrent writers.
    :ivar bool server_encrypted: whether the service encrypted the blob at rest.
    :ivar str encryption_key_sha256: the SHA-256 of the customer-provided key the service used.
    :ivar CopyProperties copy: the state of the last copy into this blob.
    :ivar ContentSettings content_settings: the content headers of the blob.
    :ivar LeaseProperties lease: the lease state of the blob.
    :ivar StandardBlobTier blob_tier: the access tier (Hot, Cool, Archive; P4..P60 for premium
        page blobs).
    :ivar datetime blob_tier_change_time: when the tier last changed.
    :ivar bool blob_tier_inferred: whether the tier was inferred by the service rather than set.
    :ivar datetime deleted_time: when a soft deleted blob was deleted.
    :ivar int remaining_retention_days: days until a soft deleted blob is removed for good.
    :ivar datetime creation_time: when the blob was created.
    """

    blob_type: Optional[str]
    last_modified: Optional[datetime]
    etag: Optional[str]
    content_length: Optional[int]
    content_range: Optional[str]
    append_blob_committed_block_count: Optional[int]
    page_blob_sequence_number: Optional[int]
    server_encrypted: Optional[bool]
    encryption_key_sha256: Optional[str]
    copy: CopyProperties
    content_settings: ContentSettings
    lease: LeaseProperties
    blob_tier: Optional[str]
    blob_tier_change_time: Optional[datetime]
    blob_tier_inferred: bool
    deleted_time: Optional[datetime]
    remaining_retention_days: Optional[int]
    creation_time: Optional[datetime]

    def __init__(self) -> None:
        self.blob_type = None
        self.last_modified = None
        self.etag = None
        self.content_length = None
        self.content_range = None
        self.append_blob_committed_block_count = None
        self.page_blob_sequence_number = None
        self.server_encrypted = None
        self.encryption_key_sha256 = None
        self.copy = CopyProperties()
        self.content_settings = ContentSettings()
        self.lease = LeaseProperties()
        self.blob_tier = None
        self.blob_tier_change_time = None
        self.blob_tier_inferred = False
        self.deleted_time = None
        self.remaining_retention_days = None
        self.creation_time = None


class ContentSettings:
    """
    The content headers of a blob, as stored and as returned on download.

    :param str content_type: the MIME type; the service defaults it to application/octet-stream.
    :param str content_encoding: the Content-Encoding, e.g. 'gzip'.
    :param str content_language: the Content-Language.
    :param str content_disposition: the Content-Disposition, e.g. 'attachment; filename=a.txt'.
    :param str cache_control: the Cache-Control.
    :param str content_md5: the base64 MD5 of the whole blob content, if known.
    """

    content_type: Optional[str]
    content_encoding: Optional[str]
    content_language: Optional[str]
    content_disposition: Optional[str]
    cache_control: Optional[str]
    content_md5: Optional[str]

    def __init__(self, content_type: Optional[str] = None, content_encoding: Optional[str] = None,
                 content_language: Optional[str] = None, content_disposition: Optional[str] = None,
                 cache_control: Optional[str] = None, content_md5: Optional[str] = None) -> None:
        self.content_type = content_type
        self.content_encoding = content_encoding
        self.content_language = content_language
        self.content_disposition = content_disposition
        self.cache_control = cache_control
        self.content_md5 = content_md5

    def _to_headers(self):
        return {
            'x-ms-blob-cache-control': _to_str(self.cache_control),
            'x-ms-blob-content-type': _to_str(self.content_type),
            'x-ms-blob-content-disposition': _to_str(self.content_disposition),
            'x-ms-blob-content-md5': _to_str(self.content_md5),
            'x-ms-blob-content-encoding': _to_str(self.content_encoding),
            'x-ms-blob-content-language': _to_str(self.content_language),
        }


class CopyProperties:
    """
    The last copy operation that had this blob as its destination. The values disappear once
    the blob is changed by Set Blob Properties, Put Blob or Put Block List.

    :ivar str id: the copy id, for abort_copy_blob.
    :ivar str source: the URL of the source blob.
    :ivar str status: 'pending', 'success', 'aborted' or 'failed'.
    :ivar str progress: bytes copied out of the total, as 'copied/total'.
    :ivar datetime completion_time: when the copy completed, was aborted or failed.
    :ivar str status_description: why a copy failed or is stalled (failed or pending only).
    """

    id: Optional[str]
    source: Optional[str]
    status: Optional[str]
    progress: Optional[str]
    completion_time: Optional[datetime]
    status_description: Optional[str]

    def __init__(self) -> None:
        self.id = None
        self.source = None
        self.status = None
        self.progress = None
        self.completion_time = None
        self.status_description = None


class LeaseProperties:
    """
    The lease state of a container or blob.

    :ivar str status: 'locked' or 'unlocked'.
    :ivar str state: 'available', 'leased', 'expired', 'breaking' or 'broken'.
    :ivar str duration: 'infinite' or 'fixed', while leased.
    """

    status: Optional[str]
    state: Optional[str]
    duration: Optional[str]

    def __init__(self) -> None:
        self.status = None
        self.state = None
        self.duration = None


class BlobPrefix:
    """
    A virtual directory in a blob listing made with a delimiter: every blob whose name starts
    with this prefix (up to the delimiter) is summarised by it.

    :ivar str name: the prefix, delimiter included.
    """

    name: Optional[str]

    def __init__(self) -> None:
        self.name = None


class BlobBlockState:
    """Where a block of a block blob is: committed, uncommitted, or the latest of either."""

    Committed = 'Committed'
    Latest = 'Latest'
    Uncommitted = 'Uncommitted'


class BlobBlock:
    """
    A block of a block blob, as put in or read from a block list.

    :ivar str id: the block id (as given to put_block, before base64).
    :ivar str state: a :class:`BlobBlockState`; in a put_block_list call, which list the
        service takes the block from.
    :ivar int size: the size of the block in bytes (blocks read by get_block_list).
    """

    id: Optional[str]
    state: str
    size: int

    def __init__(self, id: Optional[str] = None, state: str = BlobBlockState.Latest) -> None:  # noqa: A002
        self.id = id
        self.state = state

    def _set_size(self, size: int) -> None:
        self.size = size


class BlobBlockList:
    """
    The block list of a block blob.

    :ivar list(BlobBlock) committed_blocks: the blocks the blob is made of.
    :ivar list(BlobBlock) uncommitted_blocks: blocks uploaded but not committed yet.
    """

    committed_blocks: list[BlobBlock]
    uncommitted_blocks: list[BlobBlock]

    def __init__(self) -> None:
        self.committed_blocks = []
        self.uncommitted_blocks = []


class PageRange:
    """
    A range of a page blob.

    :ivar int start: the first byte of the range.
    :ivar int end: the last byte of the range (inclusive).
    :ivar bool is_cleared: whether the range was cleared (get_page_ranges_diff only).
    """

    start: Optional[int]
    end: Optional[int]
    is_cleared: bool

    def __init__(self, start: Optional[int] = None, end: Optional[int] = None, is_cleared: bool = False) -> None:
        self.start = start
        self.end = end
        self.is_cleared = is_cleared


class ResourceProperties:
    """
    What a write to a container or blob returns.

    :ivar str etag: the new ETag.
    :ivar datetime last_modified: when the resource was modified.
    :ivar bool request_server_encrypted: whether the service encrypted what this request wrote.
    :ivar str encryption_key_sha256: the SHA-256 of the customer-provided key the service used.
    """

    last_modified: Optional[datetime]
    etag: Optional[str]
    request_server_encrypted: Optional[bool]
    encryption_key_sha256: Optional[str]

    def __init__(self) -> None:
        self.last_modified = None
        self.etag = None
        self.request_server_encrypted = None
        self.encryption_key_sha256 = None

    def clone(self, src: ResourceProperties) -> None:
        """Copy the common properties of ``src`` (another ResourceProperties) into this one."""
        self.last_modified = src.last_modified
        self.etag = src.etag
        self.request_server_encrypted = src.request_server_encrypted
        self.encryption_key_sha256 = src.encryption_key_sha256


class AppendBlockProperties(ResourceProperties):
    """
    What an append block request returns.

    :ivar int append_offset: where the block was appended.
    :ivar int committed_block_count: the number of committed blocks after the append.
    """

    append_offset: Optional[int]
    committed_block_count: Optional[int]

    def __init__(self) -> None:
        super().__init__()
        self.append_offset = None
        self.committed_block_count = None


class PageBlobProperties(ResourceProperties):
    """
    What a page write returns.

    :ivar int sequence_number: the sequence number of the page blob.
    """

    sequence_number: Optional[int]

    def __init__(self) -> None:
        super().__init__()
        self.sequence_number = None


class PublicAccess:
    """Whether and how anonymous clients may read a container."""

    #: No anonymous access.
    OFF = 'off'
    #: Anonymous reads of blobs, but not of the container or its listing.
    Blob = 'blob'
    #: Anonymous reads of blobs and of the container, including listing its blobs.
    Container = 'container'


class DeleteSnapshot:
    """What to do with the snapshots of a blob being deleted."""

    #: Delete the blob and all of its snapshots.
    Include = 'include'
    #: Delete the snapshots only, keep the blob.
    Only = 'only'


class BlockListType:
    """Which block lists get_block_list returns."""

    All = 'all'
    Committed = 'committed'
    Uncommitted = 'uncommitted'


class SequenceNumberAction:
    """How set_sequence_number changes the sequence number of a page blob."""

    #: Add 1 (no sequence number is given).
    Increment = 'increment'
    #: Take the larger of the given and the stored value.
    Max = 'max'
    #: Take the given value.
    Update = 'update'


class _LeaseActions:
    """The x-ms-lease-action values."""

    Acquire = 'acquire'
    Break = 'break'
    Change = 'change'
    Release = 'release'
    Renew = 'renew'


class _BlobTypes:
    """The x-ms-blob-type values."""

    AppendBlob = 'AppendBlob'
    BlockBlob = 'BlockBlob'
    PageBlob = 'PageBlob'


class Include(_Flags):
    """
    The extra datasets a blob listing returns, combinable with ``|`` or ``+``.

    :param bool snapshots: list snapshots too, oldest first.
    :param bool metadata: return each blob's metadata.
    :param bool uncommitted_blobs: list blobs that have uploaded but uncommitted blocks.
    :param bool copy: return the properties of any current or previous copy into each blob.
    :param bool deleted: list soft deleted blobs too.
    :param str _str: the datasets as the service names them, comma-separated
        (e.g. 'snapshots,metadata').
    """

    COPY: ClassVar[Include]
    METADATA: ClassVar[Include]
    SNAPSHOTS: ClassVar[Include]
    UNCOMMITTED_BLOBS: ClassVar[Include]
    DELETED: ClassVar[Include]

    snapshots: bool
    metadata: bool
    uncommitted_blobs: bool
    copy: bool
    deleted: bool

    _FLAGS = (('snapshots', 'snapshots'), ('metadata', 'metadata'), ('uncommitted_blobs', 'uncommittedblobs'),
              ('copy', 'copy'), ('deleted', 'deleted'))

    def __init__(self, snapshots: bool = False, metadata: bool = False, uncommitted_blobs: bool = False,
                 copy: bool = False, deleted: bool = False, _str: Optional[str] = None) -> None:
        names = (_str or '').split(',')
        given = {'snapshots': snapshots, 'metadata': metadata, 'uncommitted_blobs': uncommitted_blobs,
                 'copy': copy, 'deleted': deleted}
        for attribute, name in self._FLAGS:
            setattr(self, attribute, bool(given[attribute]) or name in names)

    def __or__(self, other: object) -> Include:
        return Include(_str='{},{}'.format(self, other))

    def __add__(self, other: object) -> Include:
        return Include(_str='{},{}'.format(self, other))

    def __str__(self) -> str:
        return ','.join(name for attribute, name in self._FLAGS if getattr(self, attribute))


Include.COPY = Include(copy=True)
Include.METADATA = Include(metadata=True)
Include.SNAPSHOTS = Include(snapshots=True)
Include.UNCOMMITTED_BLOBS = Include(uncommitted_blobs=True)
Include.DELETED = Include(deleted=True)


class BlobPermissions(_Flags):
    """
    The permissions of a blob SAS (generate_blob_shared_access_signature), combinable with
    ``|`` or ``+``.

    :param bool read: read the content, properties, metadata and block list; use the blob as
        the source of a copy.
    :param bool add: add a block to an append blob.
    :param bool create: write a new blob, snapshot a blob, or copy to a new blob.
    :param bool write: create or write content, properties, metadata or block list; snapshot
        or lease the blob; resize a page blob; be the destination of a copy in the account.
    :param bool delete: delete the blob.
    :param str _str: the permissions as letters, e.g. 'rw'.
    """

    ADD: ClassVar[BlobPermissions]
    CREATE: ClassVar[BlobPermissions]
    DELETE: ClassVar[BlobPermissions]
    READ: ClassVar[BlobPermissions]
    WRITE: ClassVar[BlobPermissions]

    read: bool
    add: bool
    create: bool
    write: bool
    delete: bool

    _FLAGS = (('read', 'r'), ('add', 'a'), ('create', 'c'), ('write', 'w'), ('delete', 'd'))

    def __init__(self, read: bool = False, add: bool = False, create: bool = False, write: bool = False,
                 delete: bool = False, _str: Optional[str] = None) -> None:
        self._set(_str, read=read, add=add, create=create, write=write, delete=delete)


BlobPermissions.ADD = BlobPermissions(add=True)
BlobPermissions.CREATE = BlobPermissions(create=True)
BlobPermissions.DELETE = BlobPermissions(delete=True)
BlobPermissions.READ = BlobPermissions(read=True)
BlobPermissions.WRITE = BlobPermissions(write=True)


class ContainerPermissions(_Flags):
    """
    The permissions of a container SAS or of a stored access policy set with
    set_container_acl, combinable with ``|`` or ``+``. A container SAS cannot grant the
    right to create, delete, lease or change the container itself: use an account SAS.

    :param bool read: read the content, properties, metadata or block list of any blob in
        the container; use any of them as the source of a copy.
    :param bool add: add a block to any append blob in the container.
    :param bool create: write a new blob to the container, snapshot or copy to a new blob.
    :param bool write: for any blob in the container, write content, properties, metadata or
        block list; snapshot or lease it; resize a page blob; be the destination of a copy.
    :param bool delete: delete any blob in the container.
    :param bool list: list the blobs of the container.
    :param str _str: the permissions as letters, e.g. 'rl'.
    """

    DELETE: ClassVar[ContainerPermissions]
    LIST: ClassVar[ContainerPermissions]
    READ: ClassVar[ContainerPermissions]
    WRITE: ClassVar[ContainerPermissions]
    ADD: ClassVar[ContainerPermissions]
    CREATE: ClassVar[ContainerPermissions]

    read: bool
    add: bool
    create: bool
    write: bool
    delete: bool
    list: bool

    _FLAGS = (('read', 'r'), ('add', 'a'), ('create', 'c'), ('write', 'w'), ('delete', 'd'), ('list', 'l'))

    def __init__(self, read: bool = False, add: bool = False, create: bool = False, write: bool = False,
                 delete: bool = False, list: bool = False, _str: Optional[str] = None) -> None:  # noqa: A002
        self._set(_str, read=read, add=add, create=create, write=write, delete=delete, list=list)


ContainerPermissions.DELETE = ContainerPermissions(delete=True)
ContainerPermissions.LIST = ContainerPermissions(list=True)
ContainerPermissions.READ = ContainerPermissions(read=True)
ContainerPermissions.WRITE = ContainerPermissions(write=True)
ContainerPermissions.ADD = ContainerPermissions(add=True)
ContainerPermissions.CREATE = ContainerPermissions(create=True)


class PremiumPageBlobTier:
    """The tiers of page blobs on premium storage accounts (they set IOPS and throughput)."""

    P4 = 'P4'
    P6 = 'P6'
    P10 = 'P10'
    P20 = 'P20'
    P30 = 'P30'
    P40 = 'P40'
    P50 = 'P50'
    P60 = 'P60'


class StandardBlobTier:
    """The access tiers of block blobs on standard storage accounts."""

    #: For data rarely read and kept at least six months; must be rehydrated before reading.
    Archive = 'Archive'
    #: For data read infrequently and kept at least a month.
    Cool = 'Cool'
    #: For data read frequently.
    Hot = 'Hot'


class RehydratePriority:
    """How urgently an archived blob is rehydrated."""

    Standard = 'Standard'
    High = 'High'


class AccountInformation:
    """
    Information about the storage account.

    :ivar str sku_name: the SKU (account type), e.g. Standard_LRS or Standard_RAGRS.
    :ivar str account_kind: the account kind, e.g. Storage, StorageV2 or BlobStorage.
    """

    sku_name: Optional[str]
    account_kind: Optional[str]

    def __init__(self) -> None:
        self.sku_name = None
        self.account_kind = None


class UserDelegationKey:
    """
    A user delegation key, given by the service to an Azure AD identity, to sign SAS tokens
    with instead of the account key. Pass it whole to the generate_*_shared_access_signature
    methods; the fields are kept as the strings the service returned.

    :ivar str signed_oid: the object id of the identity the key was issued to.
    :ivar str signed_tid: the tenant id of the identity.
    :ivar str signed_start: when the key becomes valid.
    :ivar str signed_expiry: when the key expires.
    :ivar str signed_service: the service the key is valid for.
    :ivar str signed_version: the REST version that issued the key.
    :ivar str value: the key itself (base64).
    """

    signed_oid: Optional[str]
    signed_tid: Optional[str]
    signed_start: Optional[str]
    signed_expiry: Optional[str]
    signed_service: Optional[str]
    signed_version: Optional[str]
    value: Optional[str]

    def __init__(self) -> None:
        self.signed_oid = None
        self.signed_tid = None
        self.signed_start = None
        self.signed_expiry = None
        self.signed_service = None
        self.signed_version = None
        self.value = None


class BatchDeleteSubRequest:
    """
    One delete of a batch_delete_blobs call.

    :ivar str container_name: the container of the blob.
    :ivar str blob_name: the blob to delete.
    :ivar str snapshot: the snapshot to delete instead of the blob.
    :ivar str lease_id: required if the blob has an active lease.
    :ivar DeleteSnapshot delete_snapshots: required if the blob has snapshots.
    :ivar datetime if_modified_since: delete only if modified since this time (naive: UTC).
    :ivar datetime if_unmodified_since: delete only if not modified since this time.
    :ivar str if_match: delete only if the ETag matches (or '*').
    :ivar str if_none_match: delete only if the ETag does not match.
    """

    container_name: str
    blob_name: str
    snapshot: Optional[str]
    lease_id: Optional[str]
    delete_snapshots: Optional[str]
    if_modified_since: Optional[datetime]
    if_unmodified_since: Optional[datetime]
    if_match: Optional[str]
    if_none_match: Optional[str]

    def __init__(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                 lease_id: Optional[str] = None, delete_snapshots: Optional[str] = None,
                 if_modified_since: Optional[datetime] = None, if_unmodified_since: Optional[datetime] = None,
                 if_match: Optional[str] = None, if_none_match: Optional[str] = None) -> None:
        self.container_name = container_name
        self.blob_name = blob_name
        self.snapshot = snapshot
        self.lease_id = lease_id
        self.delete_snapshots = delete_snapshots
        self.if_modified_since = if_modified_since
        self.if_unmodified_since = if_unmodified_since
        self.if_match = if_match
        self.if_none_match = if_none_match


class BatchSubResponse:
    """
    The outcome of one sub-request of a batch.

    :ivar bool is_successful: whether the sub-request succeeded (2xx).
    :ivar ~azure.storage.common._http.HTTPResponse http_response: the sub-response: status,
        message (the error code of a failure), headers and body.
    :ivar batch_sub_request: the sub-request this answers (e.g. a BatchDeleteSubRequest).
    """

    is_successful: bool
    http_response: HTTPResponse
    batch_sub_request: Any

    def __init__(self, is_successful: bool, http_response: HTTPResponse, batch_sub_request: Any) -> None:
        self.is_successful = is_successful
        self.http_response = http_response
        self.batch_sub_request = batch_sub_request


class BatchSetBlobTierSubRequest:
    """
    One tier change of a batch_set_standard_blob_tier call.

    :ivar str container_name: the container of the blob.
    :ivar str blob_name: the block blob to change.
    :ivar StandardBlobTier standard_blob_tier: the tier to set.
    :ivar RehydratePriority rehydrate_priority: how fast to rehydrate an archived blob.
    """

    container_name: str
    blob_name: str
    standard_blob_tier: str
    rehydrate_priority: Optional[str]

    def __init__(self, container_name: str, blob_name: str, standard_blob_tier: str,
                 rehydrate_priority: Optional[str] = None) -> None:
        self.container_name = container_name
        self.blob_name = blob_name
        self.standard_blob_tier = standard_blob_tier
        self.rehydrate_priority = rehydrate_priority


class CustomerProvidedEncryptionKey:
    """
    An AES-256 key of your own that the service encrypts a blob's content and metadata with
    (service version 2018-06-17 and later). The service keeps only a SHA-256 of the key, to
    check that later requests use the same one; requests carrying a key must use HTTPS.

    :ivar str key_value: the base64 AES-256 key.
    :ivar str key_hash: the base64 SHA-256 of the key.
    :ivar str algorithm: the encryption algorithm; always AES256.
    """

    key_value: str
    key_hash: str
    algorithm: str

    def __init__(self, key_value: str, key_hash: str) -> None:
        self.key_value = key_value
        self.key_hash = key_hash
        self.algorithm = 'AES256'
