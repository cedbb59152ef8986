"""Pure request-building helpers of the table service: entity JSON, paths, batch bodies."""
from __future__ import annotations

import json
import math
import uuid
from datetime import datetime, timezone
from typing import Any, Mapping, Optional, Sequence

from azure.storage.common._common_conversion import _encode_base64
from azure.storage.common._http import HTTPRequest
from azure.storage.common._serialization import _encode_path

from ._constants import DATA_SERVICE_VERSION, MAX_DATA_SERVICE_VERSION
from ._error import (
    _ERROR_CANNOT_SERIALIZE_VALUE_TO_ENTITY,
    _ERROR_TYPE_NOT_SUPPORTED,
    _ERROR_VALUE_TOO_LARGE,
    _validate_key,
)
from .models import EdmType, EntityProperty, TablePayloadFormat

_DEFAULT_ACCEPT_HEADER = ('Accept', TablePayloadFormat.JSON_MINIMAL_METADATA)
_DEFAULT_CONTENT_TYPE_HEADER = ('Content-Type', 'application/json')
_DEFAULT_PREFER_HEADER = ('Prefer', 'return-no-content')

# The headers of an entity request that also travel inside a batch, per sub-request.
_SUB_HEADERS = ('Content-Type', 'Accept', 'Prefer', 'If-Match')

_ODATA_TYPE_SUFFIX = '@odata.type'
_CRLF = '\r\n'
_CRLF_BYTES = b'\r\n'

_INT32_RANGE = (-2 ** 31, 2 ** 31)
_INT64_RANGE = (-2 ** 63, 2 ** 63)


def _get_entity_path(table_name: str, partition_key: str, row_key: str) -> str:
    """``/table(PartitionKey='pk',RowKey='rk')``, unencoded, with quotes in keys doubled."""
    _validate_key('partition_key', partition_key)
    _validate_key('row_key', row_key)
    return "/{}(PartitionKey='{}',RowKey='{}')".format(
        table_name, partition_key.replace("'", "''"), row_key.replace("'", "''"))


def _update_storage_table_header(request: HTTPRequest) -> None:
    """The OData versions every table request carries."""
    request.headers['DataServiceVersion'] = DATA_SERVICE_VERSION
    request.headers['MaxDataServiceVersion'] = MAX_DATA_SERVICE_VERSION


def _json_headers(if_match: Optional[str] = None, prefer: bool = False) -> dict[str, str]:
    """Content-Type and Accept of a JSON write, with If-Match and Prefer when asked for."""
    headers = {_DEFAULT_CONTENT_TYPE_HEADER[0]: _DEFAULT_CONTENT_TYPE_HEADER[1],
               _DEFAULT_ACCEPT_HEADER[0]: _DEFAULT_ACCEPT_HEADER[1]}
    if prefer:
        headers[_DEFAULT_PREFER_HEADER[0]] = _DEFAULT_PREFER_HEADER[1]
    if if_match is not None:
        headers['If-Match'] = str(if_match)
    return headers


# Each converter returns (EdmType to annotate the JSON value with, or None; JSON value).

def _to_entity_binary(value):
    # As in the legacy client, text is sent as its UTF-8 bytes.
    return EdmType.BINARY, _encode_base64(value if isinstance(value, str) else bytes(value))


def _to_entity_bool(value):
    return None, value


def _to_entity_datetime(value):
    if isinstance(value, str):
        return EdmType.DATETIME, value
    # isoformat keeps the microseconds (and pads years below 1000, unlike strftime).
    if value.tzinfo is None:
        return EdmType.DATETIME, value.isoformat() + 'Z'
    if value.tzinfo is timezone.utc and type(value) is datetime:
        # Already in UTC: its isoformat ends in +00:00, cut instead of converting a copy.
        return EdmType.DATETIME, value.isoformat()[:-6] + 'Z'
    return EdmType.DATETIME, value.astimezone(timezone.utc).replace(tzinfo=None).isoformat() + 'Z'


def _to_entity_float(value):
    value = float(value)
    if -math.inf < value < math.inf:
        # Always typed: an untyped whole number such as 1e+20 would be stored as an integer.
        return EdmType.DOUBLE, value
    if math.isnan(value):
        return EdmType.DOUBLE, 'NaN'
    return EdmType.DOUBLE, 'Infinity' if value > 0 else '-Infinity'


def _to_entity_guid(value):
    return EdmType.GUID, str(value)


def _checked_int(value, bounds, edm_type):
    number = int(value)
    if not bounds[0] <= number < bounds[1]:
        raise TypeError(_ERROR_VALUE_TOO_LARGE.format(str(value), edm_type))
    return number


def _to_entity_int32(value):
    return None, _checked_int(value, _INT32_RANGE, EdmType.INT32)


def _to_entity_int64(value):
    # JSON numbers cannot carry 64 bits exactly: Int64 values travel as strings.
    if type(value) is int and _INT64_RANGE[0] <= value < _INT64_RANGE[1]:
        return EdmType.INT64, str(value)
    return EdmType.INT64, str(_checked_int(value, _INT64_RANGE, EdmType.INT64))


def _to_entity_str(value):
    return None, value


def _to_entity_none(value):
    return None, None


_EDM_TO_ENTITY_CONVERSIONS = {
    EdmType.BINARY: _to_entity_binary,
    EdmType.BOOLEAN: _to_entity_bool,
    EdmType.DATETIME: _to_entity_datetime,
    EdmType.DOUBLE: _to_entity_float,
    EdmType.GUID: _to_entity_guid,
    EdmType.INT32: _to_entity_int32,
    EdmType.INT64: _to_entity_int64,
    EdmType.STRING: _to_entity_str,
}

# Checked in order, so that bool is matched before int (bool is a subclass of int).
_PYTHON_TO_ENTITY_CONVERSIONS = (
    (bool, _to_entity_bool),
    (int, _to_entity_int64),
    (float, _to_entity_float),
    (str, _to_entity_str),
    (datetime, _to_entity_datetime),
    (uuid.UUID, _to_entity_guid),
    ((bytes, bytearray), _to_entity_binary),
    (type(None), _to_entity_none),
)
# The same, looked up by exact type first: one dict lookup for the common values.
_EXACT_TYPE_CONVERSIONS = {
    bool: _to_entity_bool, int: _to_entity_int64, float: _to_entity_float, str: _to_entity_str,
    datetime: _to_entity_datetime, uuid.UUID: _to_entity_guid, bytes: _to_entity_binary,
    bytearray: _to_entity_binary, type(None): _to_entity_none,
}


def _convert_property(value):
    """``(edm_type_or_None, json_value)`` of one property value."""
    if isinstance(value, EntityProperty):
        converter = _EDM_TO_ENTITY_CONVERSIONS.get(value.type)
        if converter is None:
            raise TypeError(_ERROR_TYPE_NOT_SUPPORTED.format(value.type))
        return converter(value.value)
    converter = _EXACT_TYPE_CONVERSIONS.get(type(value))
    if converter is not None:
        return converter(value)
    for python_type, converter in _PYTHON_TO_ENTITY_CONVERSIONS:
        if isinstance(value, python_type):
            return converter(value)
    raise TypeError(_ERROR_CANNOT_SERIALIZE_VALUE_TO_ENTITY.format(type(value).__name__))


def _entity_to_dict(source: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object of an entity: each property, and ``name@odata.type`` where needed.

    The ``etag`` item that entities read from the service carry is client-side
    information, not a property, and is left out.
    """
    properties = {}
    for name, value in source.items():
        if name == 'etag':
            continue
        if type(value) is str:
            # Most values (the keys always) are plain strings: sent as they are, untyped.
            properties[name] = value
            continue
        edm_type, json_value = _EXACT_TYPE_CONVERSIONS.get(type(value), _convert_property)(value)
        properties[name] = json_value
        if edm_type:
            properties[name + _ODATA_TYPE_SUFFIX] = edm_type
    return properties


def _convert_entity_to_json(source: Mapping[str, Any]) -> bytes:
    """The JSON body (bytes) of an entity write, e.g.::

        {"PartitionKey": "pk", "RowKey": "rk", "Age": 23, "AmountDue": 200.23,
         "AmountDue@odata.type": "Edm.Double",
         "CustomerSince": "2008-07-10T00:00:00Z", "CustomerSince@odata.type": "Edm.DateTime"}
    """
    return json.dumps(_entity_to_dict(source)).encode('utf-8')


def _convert_table_to_json(table_name: str) -> bytes:
    """The JSON body of a create-table request."""
    return json.dumps({'TableName': table_name}).encode('utf-8')


# What every sub-request of a changeset starts with, up to its Content-ID, and its OData version line.
_OPERATION_START = ('--{}' + _CRLF + 'Content-Type: application/http' + _CRLF + 'Content-Transfer-Encoding: binary' +
                    _CRLF + _CRLF + '{} {} HTTP/1.1' + _CRLF + 'Content-ID: ')
_OPERATION_VERSION = 'DataServiceVersion: ' + DATA_SERVICE_VERSION + _CRLF


def _operation_frame(changeset_boundary, method, url, headers):
    """A sub-request's head around its Content-ID: the text before the ID, and the text after
    it up to the Content-Length line."""
    lines = ''.join(['{}: {}{}'.format(name, headers[name], _CRLF) for name in _SUB_HEADERS if name in headers])
    return _OPERATION_START.format(changeset_boundary, method, url), _CRLF + lines + _OPERATION_VERSION


def _convert_batch_to_json(operations: Sequence[tuple[str, str, Mapping[str, str], Optional[bytes]]], base_url: str,
                           batch_boundary: Optional[str] = None,
                           changeset_boundary: Optional[str] = None) -> tuple[bytes, str]:
    """
    The multipart/mixed body of an entity group transaction, and its Content-Type.

    :param operations: ``(method, path, headers, body)`` per operation, in order; ``path`` is
        unencoded (``/table`` or an entity path) and ``body`` is bytes or None.
    :param str base_url: the scheme, host and account path prefix, e.g.
        ``http://127.0.0.1:10002/devstoreaccount1``; sub-requests carry absolute URLs.
    :return: ``(body bytes, content type)``.
    """
    batch_boundary = batch_boundary or 'batch_{}'.format(uuid.uuid4())
    changeset_boundary = changeset_boundary or 'changeset_{}'.format(uuid.uuid4())
    parts = [
        '--{}{}'.format(batch_boundary, _CRLF).encode('utf-8'),
        'Content-Type: multipart/mixed; boundary={}{}{}'.format(changeset_boundary, _CRLF, _CRLF).encode('utf-8'),
    ]
    frames: dict[tuple[str, str, tuple[tuple[str, str], ...]], tuple[str, str]] = {}
    for content_id, (method, path, headers, body) in enumerate(operations, 1):
        # A batch mostly repeats one kind of operation on one table: its head is formatted once.
        key = (method, path, tuple(headers.items()))
        frame = frames.get(key)
        if frame is None:
            frame = frames[key] = _operation_frame(changeset_boundary, method, base_url + _encode_path(path), headers)
        if body is None:
            parts.append((frame[0] + str(content_id) + frame[1] + _CRLF).encode('utf-8'))
        else:
            parts.append((frame[0] + str(content_id) + frame[1] + 'Content-Length: ' + str(len(body)) + _CRLF +
                          _CRLF).encode('utf-8'))
            parts.append(body)
        parts.append(_CRLF_BYTES)
    parts.append('--{}--{}'.format(changeset_boundary, _CRLF).encode('utf-8'))
    parts.append('--{}--{}'.format(batch_boundary, _CRLF).encode('utf-8'))
    return b''.join(parts), 'multipart/mixed; boundary={}'.format(batch_boundary)
