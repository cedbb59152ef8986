"""azure.storage.table: the Azure Table service client of aio-azure-storage."""
from ._constants import __author__, __version__  # noqa: F401 - re-exported
from .models import (
    AzureBatchOperationError,
    AzureBatchValidationError,
    EdmType,
    Entity,
    EntityProperty,
    Table,
    TablePayloadFormat,
    TablePermissions,
)
from .tablebatch import TableBatch
from .tableservice import TableService

__all__ = [
    'AzureBatchOperationError', 'AzureBatchValidationError', 'EdmType', 'Entity', 'EntityProperty', 'Table',
    'TableBatch', 'TablePayloadFormat', 'TablePermissions', 'TableService',
]
