"""TableBatch: the operations of one entity group transaction, collected before commit."""
from __future__ import annotations

from typing import Any, Callable, Optional

from azure.storage.common._http import HTTPRequest

from ._error import (
    _ERROR_DUPLICATE_ROW_KEY_IN_BATCH,
    _ERROR_INCORRECT_PARTITION_KEY_IN_BATCH,
    _ERROR_TOO_MANY_ENTITIES_IN_BATCH,
)
from ._request import (
    _delete_entity,
    _insert_entity,
    _insert_or_merge_entity,
    _insert_or_replace_entity,
    _merge_entity,
    _update_entity,
)
from .models import AzureBatchValidationError

_MAX_BATCH_OPERATIONS = 100


class TableBatch:
    """
    The operations of a batch (an entity group transaction) on one table.

    The service applies all operations of a batch or none of them. They must all be on
    entities of the same table and partition, each entity at most once; a batch holds at
    most 100 operations and 4 MB of payload. Adding an operation that breaks these rules
    raises :class:`~azure.storage.table.models.AzureBatchValidationError` at once.

    Nothing is sent until the batch is committed with
    :func:`~azure.storage.table.tableservice.TableService.commit_batch`, or on leaving
    ``async with table_service.batch(table_name) as batch:``.

    :param bool require_encryption: whether inserts and replaces must be encrypted.
    :param object key_encryption_key: the key encryption key to encrypt entities with; see
        :class:`~azure.storage.table.tableservice.TableService`.
    :param encryption_resolver: ``(partition_key, row_key, property_name) -> bool``: whether
        to encrypt a property.
    """

    _requests: list[tuple[str, HTTPRequest]]
    _partition_key: Optional[str]
    _row_keys: set[str]

    def __init__(self, require_encryption: bool = False, key_encryption_key: Any = None,
                 encryption_resolver: Optional[Callable[[str, str, str], bool]] = None) -> None:
        self._requests = []
        self._partition_key = None
        self._row_keys = set()
        self._require_encryption = require_encryption
        self._key_encryption_key = key_encryption_key
        self._encryption_resolver = encryption_resolver

    def insert_entity(self, entity: dict[str, Any]) -> None:
        """
        Adds an insert of ``entity`` to the batch; see
        :func:`~azure.storage.table.tableservice.TableService.insert_entity`.

        :param entity: the entity to insert: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        """
        request = _insert_entity(entity, self._require_encryption, self._key_encryption_key,
                                 self._encryption_resolver)
        self._add_to_batch(entity['PartitionKey'], entity['RowKey'], request)

    def update_entity(self, entity: dict[str, Any], if_match: str = '*') -> None:
        """
        Adds a replace of an existing entity to the batch; see
        :func:`~azure.storage.table.tableservice.TableService.update_entity`.

        :param entity: the entity to update: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param str if_match: the etag the entity must still have for the update to happen
            (optimistic concurrency); the wildcard '*' (the default) updates unconditionally.
        """
        request = _update_entity(entity, if_match, self._require_encryption, self._key_encryption_key,
                                 self._encryption_resolver)
        self._add_to_batch(entity['PartitionKey'], entity['RowKey'], request)

    def merge_entity(self, entity: dict[str, Any], if_match: str = '*') -> None:
        """
        Adds a merge into an existing entity to the batch; see
        :func:`~azure.storage.table.tableservice.TableService.merge_entity`.

        :param entity: the properties to merge: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param str if_match: the etag the entity must still have for the merge to happen;
            the wildcard '*' (the default) merges unconditionally.
        """
        request = _merge_entity(entity, if_match, self._require_encryption, self._key_encryption_key)
        self._add_to_batch(entity['PartitionKey'], entity['RowKey'], request)

    def delete_entity(self, partition_key: str, row_key: str, if_match: str = '*') -> None:
        """
        Adds a delete to the batch; see
        :func:`~azure.storage.table.tableservice.TableService.delete_entity`.

        :param str partition_key: the PartitionKey of the entity.
        :param str row_key: the RowKey of the entity.
        :param str if_match: the etag the entity must still have for the delete to happen;
            the wildcard '*' (the default) deletes unconditionally.
        """
        request = _delete_entity(partition_key, row_key, if_match)
        self._add_to_batch(partition_key, row_key, request)

    def insert_or_replace_entity(self, entity: dict[str, Any]) -> None:
        """
        Adds an upsert that replaces any existing entity to the batch; see
        :func:`~azure.storage.table.tableservice.TableService.insert_or_replace_entity`.

        :param entity: the entity to insert or replace: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        """
        request = _insert_or_replace_entity(entity, self._require_encryption, self._key_encryption_key,
                                            self._encryption_resolver)
        self._add_to_batch(entity['PartitionKey'], entity['RowKey'], request)

    def insert_or_merge_entity(self, entity: dict[str, Any]) -> None:
        """
        Adds an upsert that merges into any existing entity to the batch; see
        :func:`~azure.storage.table.tableservice.TableService.insert_or_merge_entity`.

        :param entity: the entity to insert or merge: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        """
        request = _insert_or_merge_entity(entity, self._require_encryption, self._key_encryption_key)
        self._add_to_batch(entity['PartitionKey'], entity['RowKey'], request)

    def _add_to_batch(self, partition_key: str, row_key: str, request: HTTPRequest) -> None:
        """Check the batch rules, then keep the operation; a refused operation changes nothing."""
        if self._requests and self._partition_key != partition_key:
            raise AzureBatchValidationError(_ERROR_INCORRECT_PARTITION_KEY_IN_BATCH)
        if row_key in self._row_keys:
            raise AzureBatchValidationError(_ERROR_DUPLICATE_ROW_KEY_IN_BATCH)
        if len(self._requests) >= _MAX_BATCH_OPERATIONS:
            raise AzureBatchValidationError(_ERROR_TOO_MANY_ENTITIES_IN_BATCH)
        self._partition_key = partition_key
        self._row_keys.add(row_key)
        self._requests.append((row_key, request))
