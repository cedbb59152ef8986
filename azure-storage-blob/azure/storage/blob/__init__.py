"""azure.storage.blob: the blob service of aio-azure-storage, an asyncio port of azure-storage-blob 2.1."""
from ._constants import __version__
from .appendblobservice import AppendBlobService
from .blockblobservice import BlockBlobService
from .models import (
    AppendBlockProperties,
    BatchDeleteSubRequest,
    BatchSetBlobTierSubRequest,
    BatchSubResponse,
    Blob,
    BlobBlock,
    BlobBlockList,
    BlobPermissions,
    BlobPrefix,
    BlobProperties,
    BlockListType,
    Container,
    ContainerPermissions,
    ContainerProperties,
    ContentSettings,
    CopyProperties,
    CustomerProvidedEncryptionKey,
    DeleteSnapshot,
    Include,
    PageBlobProperties,
    PageRange,
    PublicAccess,
    RehydratePriority,
    ResourceProperties,
    SequenceNumberAction,
)
from .pageblobservice import PageBlobService
from .models import _LeaseActions  # noqa: F401 - the legacy package exported it too

__all__ = [
    'AppendBlobService', 'PageBlobService',
    'AppendBlockProperties', 'BatchDeleteSubRequest', 'BatchSetBlobTierSubRequest', 'BatchSubResponse', 'Blob',
    'BlobBlock', 'BlobBlockList', 'BlobPermissions', 'BlobPrefix', 'BlobProperties', 'BlockBlobService',
    'BlockListType', 'Container', 'ContainerPermissions', 'ContainerProperties', 'ContentSettings', 'CopyProperties',
    'CustomerProvidedEncryptionKey', 'DeleteSnapshot', 'Include', 'PageBlobProperties', 'PageRange', 'PublicAccess',
    'RehydratePriority', 'ResourceProperties', 'SequenceNumberAction', '__version__',
]
