"""azure.storage.queue: the queue service of aio-azure-storage (legacy azure-storage-queue 2.1 on asyncio)."""
from ._constants import __version__
from .models import Queue, QueueMessage, QueueMessageFormat, QueuePermissions
from .queueservice import QueueService
from .sharedaccesssignature import QueueSharedAccessSignature

__all__ = [
    'Queue', 'QueueMessage', 'QueueMessageFormat', 'QueuePermissions', 'QueueService',
    'QueueSharedAccessSignature', '__version__',
]
