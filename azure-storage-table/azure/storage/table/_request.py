"""Builders of the entity requests, shared by TableService and TableBatch.

Each returns an HTTPRequest with its method, headers and body; the caller adds the path,
the host and the timeout (a batch writes them into its multipart body instead). The body of
an encrypted write still has to be awaited for its wrapped key (``_entity_body``).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from azure.storage.common._common_conversion import _to_str
from azure.storage.common._error import (
    _validate_encryption_required,
    _validate_encryption_unsupported,
    _validate_not_none,
)
from azure.storage.common._http import HTTPRequest

from ._encryption import _encrypt_entity
from ._error import _validate_entity, _validate_key
from ._serialization import _DEFAULT_ACCEPT_HEADER, _convert_entity_to_json, _json_headers


def _entity_write(method: str, entity: dict[str, Any], headers: dict[str, str], key_encryption_key: Any = None,
                  encryption_resolver: Optional[Callable[[str, str, str], bool]] = None) -> HTTPRequest:
    if key_encryption_key is not None:
        return HTTPRequest(method, headers=headers,
                           body=_encrypt_entity(entity, key_encryption_key, encryption_resolver))
    return HTTPRequest(method, headers=headers, body=_convert_entity_to_json(entity))


def _get_entity(partition_key: str, row_key: str, select: Optional[str], accept: str) -> HTTPRequest:
    """A Get Entity request."""
    _validate_key('partition_key', partition_key)
    _validate_key('row_key', row_key)
    _validate_not_none('accept', accept)
    return HTTPRequest('GET', headers={'Accept': _to_str(accept)}, query={'$select': _to_str(select)})


def _insert_entity(entity: dict[str, Any], encryption_required: bool = False, key_encryption_key: Any = None,
                   encryption_resolver: Optional[Callable[[str, str, str], bool]] = None) -> HTTPRequest:
    """
    An Insert Entity request; with a key encryption key the entity is encrypted first.

    :param entity: the entity to insert: a dict or an :class:`~azure.storage.table.models.Entity`.
    :param object key_encryption_key: the KEK: ``wrap_key(key)``, ``get_key_wrap_algorithm()``
        and ``get_kid()``.
    :param encryption_resolver: ``(partition_key, row_key, property_name) -> bool``: whether
        to encrypt a property.
    """
    _validate_entity(entity, key_encryption_key is not None)
    _validate_encryption_required(encryption_required, key_encryption_key)
    return _entity_write('POST', entity, _json_headers(prefer=True), key_encryption_key, encryption_resolver)


def _update_entity(entity: dict[str, Any], if_match: str, encryption_required: bool = False,
                   key_encryption_key: Any = None,
                   encryption_resolver: Optional[Callable[[str, str, str], bool]] = None) -> HTTPRequest:
    """An Update Entity request (PUT with If-Match); encrypted as for inserts."""
    _validate_not_none('if_match', if_match)
    _validate_entity(entity, key_encryption_key is not None)
    _validate_encryption_required(encryption_required, key_encryption_key)
    return _entity_write('PUT', entity, _json_headers(if_match), key_encryption_key, encryption_resolver)


def _merge_entity(entity: dict[str, Any], if_match: str, require_encryption: bool = False,
                  key_encryption_key: Any = None) -> HTTPRequest:
    """A Merge Entity request (MERGE with If-Match); merges cannot be encrypted."""
    _validate_not_none('if_match', if_match)
    _validate_entity(entity)
    _validate_encryption_unsupported(require_encryption, key_encryption_key)
    return _entity_write('MERGE', entity, _json_headers(if_match))


def _delete_entity(partition_key: str, row_key: str, if_match: str) -> HTTPRequest:
    """A Delete Entity request (DELETE with If-Match)."""
    _validate_not_none('if_match', if_match)
    _validate_key('partition_key', partition_key)
    _validate_key('row_key', row_key)
    return HTTPRequest('DELETE', headers={_DEFAULT_ACCEPT_HEADER[0]: _DEFAULT_ACCEPT_HEADER[1],
                                          'If-Match': _to_str(if_match)})


def _insert_or_replace_entity(entity: dict[str, Any], require_encryption: bool = False, key_encryption_key: Any = None,
                              encryption_resolver: Optional[Callable[[str, str, str], bool]] = None) -> HTTPRequest:
    """An Insert Or Replace Entity request (PUT without If-Match); encrypted as for inserts."""
    _validate_entity(entity, key_encryption_key is not None)
    _validate_encryption_required(require_encryption, key_encryption_key)
    return _entity_write('PUT', entity, _json_headers(), key_encryption_key, encryption_resolver)


def _insert_or_merge_entity(entity: dict[str, Any], require_encryption: bool = False,
                            key_encryption_key: Any = None) -> HTTPRequest:
    """An Insert Or Merge Entity request (MERGE without If-Match); merges cannot be encrypted."""
    _validate_entity(entity)
    _validate_encryption_unsupported(require_encryption, key_encryption_key)
    return _entity_write('MERGE', entity, _json_headers())
