"""Table-specific error messages and the validations that run before a request goes out."""
from __future__ import annotations

import re
from typing import Any, Optional

from azure.storage.common._error import _ERROR_VALUE_NONE_OR_EMPTY, _validate_not_none

from ._constants import ENCRYPTION_METADATA_PROPERTIES

_ERROR_AMBIGUOUS_RETRY = (
    'This request was sent again after an attempt whose answer was lost, and that attempt may have been '
    'applied: this error may be its consequence (an insert finding the entity it created, a delete finding '
    'the entity gone). Read the entity to learn its state.')
_ERROR_ATTRIBUTE_MISSING = '\'{0}\' object has no attribute \'{1}\''
_ERROR_BATCH_COMMIT_FAIL = 'Batch Commit Fail'
_ERROR_CANNOT_SERIALIZE_VALUE_TO_ENTITY = \
    'Cannot serialize the specified value ({0}) to an entity.  Please use ' + \
    'an EntityProperty (which can specify custom types), int, str, bool, ' + \
    'or datetime.'
_ERROR_DUPLICATE_ROW_KEY_IN_BATCH = 'Row Keys should not be the same in a batch operations'
_ERROR_INCORRECT_PARTITION_KEY_IN_BATCH = 'Partition Key should be the same in a batch operations'
_ERROR_INVALID_ENTITY_TYPE = 'The entity must be either in dict format or an entity object.'
_ERROR_INVALID_PROPERTY_RESOLVER = \
    'The specified property resolver returned an invalid type. Name: {0}, Value: {1}, EdmType: {2}'
_ERROR_PROPERTY_NAME_TOO_LONG = 'The property name exceeds the maximum allowed length.'
_ERROR_TOO_MANY_ENTITIES_IN_BATCH = 'Batches may only contain 100 operations'
_ERROR_TOO_MANY_PROPERTIES = 'The entity contains more properties than allowed.'
_ERROR_TYPE_NOT_SUPPORTED = 'Type not supported when sending data to the service: {0}.'
_ERROR_VALUE_TOO_LARGE = '{0} is too large to be cast to type {1}.'
_ERROR_UNSUPPORTED_TYPE_FOR_ENCRYPTION = 'Encryption is only supported for not None strings.'
_ERROR_ENTITY_NOT_ENCRYPTED = 'Entity was not encrypted.'
_ERROR_KEY_NOT_STR = '{0} should be of type str.'
_ERROR_KEY_FORBIDDEN_CHARACTER = \
    '{0} contains {1!r}, which the table service does not allow in keys: ' \
    'no /, \\, #, ? or control characters.'

# The service's limits: 252 custom properties plus PartitionKey, RowKey and Timestamp, and
# property names of up to 255 characters. Encryption adds two metadata properties.
_MAX_PROPERTIES = 255
_MAX_PROPERTY_NAME_LENGTH = 255
_ENCRYPTION_PROPERTIES = len(ENCRYPTION_METADATA_PROPERTIES)


# '/', '\\', '#', '?' and the control characters (C0, DEL and C1).
_FORBIDDEN_KEY_CHARACTER = re.compile(r'[/\\#?\x00-\x1f\x7f-\x9f]')


def _validate_key(name: str, value: object) -> None:
    """PartitionKey and RowKey values: strings without the characters the service rejects.

    Keys go into the URL of single-entity requests, where the service could not even tell
    such characters from the path and query separators; rejecting them here gives a clear
    error before any request instead of a 400 (or an operation on the wrong resource).
    """
    _validate_not_none(name, value)
    if not isinstance(value, str):
        raise TypeError(_ERROR_KEY_NOT_STR.format(name))
    forbidden = _FORBIDDEN_KEY_CHARACTER.search(value)
    if forbidden is not None:
        raise ValueError(_ERROR_KEY_FORBIDDEN_CHARACTER.format(name, forbidden.group()))


def _validate_entity(entity: Any, encrypt: Optional[bool] = None) -> None:
    """What every entity written must be: a dict with valid keys, within the service's limits."""
    _validate_not_none('entity', entity)
    if not isinstance(entity, dict):
        raise TypeError(_ERROR_INVALID_ENTITY_TYPE)
    for key_name in ('PartitionKey', 'RowKey'):
        if entity.get(key_name) is None:
            raise ValueError(_ERROR_VALUE_NONE_OR_EMPTY.format(key_name))
        _validate_key(key_name, entity[key_name])
    max_properties = _MAX_PROPERTIES - (_ENCRYPTION_PROPERTIES if encrypt else 0)
    # The client-side 'etag' is not sent; Timestamp is counted only if the entity has it.
    count = len(entity) - (1 if 'etag' in entity else 0)
    if count > max_properties or (count == max_properties and 'Timestamp' not in entity):
        raise ValueError(_ERROR_TOO_MANY_PROPERTIES)
    if max(map(len, entity)) > _MAX_PROPERTY_NAME_LENGTH:
        raise ValueError(_ERROR_PROPERTY_NAME_TOO_LONG)
