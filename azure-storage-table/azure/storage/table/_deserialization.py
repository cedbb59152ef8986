"""Pure response parsers of the table service: entities, tables, continuations, batches."""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Collection, Optional
from urllib.parse import quote

from dateutil import parser as date_parser

from azure.common import AzureException

from azure.storage.common._common_conversion import _decode_base64_to_bytes
from azure.storage.common._deserialization import _parse_service_date
from azure.storage.common._error import _parse_error_body
from azure.storage.common._http import HTTPResponse
from azure.storage.common.models import _list

from ._constants import ENCRYPTION_METADATA_PROPERTIES
from ._error import _ERROR_INVALID_PROPERTY_RESOLVER, _ERROR_TYPE_NOT_SUPPORTED
from .models import AzureBatchOperationError, EdmType, Entity, EntityProperty, Table

_CONTINUATION_PREFIX = 'x-ms-continuation-'
_ODATA_PREFIX = 'odata.'
_ODATA_TYPE_SUFFIX = '@odata.type'
# Read before the other properties, in this order; never converted as properties.
_KEY_NAMES = frozenset(('PartitionKey', 'RowKey', 'Timestamp'))

#: ``(partition_key, row_key, property_name, value, edm_type_or_None) -> EdmType`` to read a property as.
_PropertyResolver = Callable[[str, str, str, Any, Optional[str]], Optional[str]]


def _get_continuation_from_response_headers(response: HTTPResponse) -> dict[str, str]:
    """``{'nextpartitionkey': ..., 'nextrowkey': ...}`` (or nexttablename); empty on the last page."""
    return {name[len(_CONTINUATION_PREFIX):]: value
            for name, value in response.headers.items() if name.startswith(_CONTINUATION_PREFIX)}


def _from_entity_binary(value):
    return EntityProperty(EdmType.BINARY, _decode_base64_to_bytes(value))


def _from_entity_int32(value):
    return EntityProperty(EdmType.INT32, int(value))


def _from_entity_datetime(value):
    # The service sends ISO 8601 UTC with up to 7 fractional digits; the result is tz-aware.
    # That shape is read directly (as dateutil reads it: tzutc, truncated to microseconds);
    # dateutil, several times slower, reads anything else.
    try:
        parsed = _parse_service_date(value)
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed
    try:
        return date_parser.isoparse(value)
    except ValueError:
        return date_parser.parse(value)


def _from_entity_double(value):
    # NaN and the infinities arrive as the strings 'NaN', 'Infinity' and '-Infinity'.
    return float(value)


_EDM_TYPES = frozenset((EdmType.BINARY, EdmType.INT64, EdmType.GUID, EdmType.DATETIME,
                        EdmType.STRING, EdmType.INT32, EdmType.DOUBLE, EdmType.BOOLEAN))

_ENTITY_TO_PYTHON_CONVERSIONS = {
    EdmType.BINARY: _from_entity_binary,
    EdmType.INT32: _from_entity_int32,
    EdmType.INT64: int,
    EdmType.DOUBLE: _from_entity_double,
    EdmType.DATETIME: _from_entity_datetime,
}


def _etag_from_timestamp(timestamp: str) -> str:
    """The entity's etag as the service derives it from its Timestamp."""
    return 'W/"datetime\'' + quote(timestamp) + '\'"'


def _resolve_type(property_resolver, partition_key, row_key, name, value, edm_type):
    if property_resolver is None or name in ENCRYPTION_METADATA_PROPERTIES:
        return edm_type
    resolved = property_resolver(partition_key, row_key, name, value, edm_type)
    if resolved and resolved not in _EDM_TYPES:
        raise AzureException(_ERROR_TYPE_NOT_SUPPORTED.format(resolved))
    return resolved


def _convert_value(name, value, edm_type, resolved_by_user):
    """The Python value of a property, as the legacy client mapped it.

    Untyped JSON values stay plain (an integer is an Int32 EntityProperty); Binary, Int32,
    Int64, Double and DateTime are converted; any other type, such as a Guid or a type a
    property resolver named, is kept in an EntityProperty of that type.
    """
    if not edm_type:
        if type(value) is int:
            # An untyped JSON integer is an Int32.
            return EntityProperty(EdmType.INT32, value)
        return value
    if value is None:
        return None
    converter = _ENTITY_TO_PYTHON_CONVERSIONS.get(edm_type)
    if converter is None:
        return EntityProperty(edm_type, value)
    try:
        return converter(value)
    except Exception as ex:
        if resolved_by_user:
            raise AzureException(_ERROR_INVALID_PROPERTY_RESOLVER.format(name, value, edm_type)) from ex
        raise


def _convert_json_to_entity(entry_element: dict[str, Any], property_resolver: Optional[_PropertyResolver],
                            encrypted_properties: Optional[Collection[str]] = None) -> Entity:
    """An :class:`Entity` from one JSON entity object of any metadata level.

    PartitionKey and RowKey are strings, Timestamp a datetime and ``etag`` the entity's
    etag. Other properties follow the legacy mapping: str, bool, float (Double), int
    (Int64), datetime (DateTime), and EntityProperty for Int32, Guid and Binary.
    """
    entity = Entity()
    partition_key = entry_element.get('PartitionKey')
    if partition_key is not None:
        entity['PartitionKey'] = partition_key
    row_key = entry_element.get('RowKey')
    if row_key is not None:
        entity['RowKey'] = row_key
    timestamp = entry_element.get('Timestamp')
    if timestamp:
        entity['Timestamp'] = _from_entity_datetime(timestamp)

    # One pass per entity of a query page: the names to skip are tested with one set lookup
    # and the annotation is looked up only by the property it types.
    resolved_by_user = property_resolver is not None
    for name, value in entry_element.items():
        if name in _KEY_NAMES or name.startswith(_ODATA_PREFIX) or name.endswith(_ODATA_TYPE_SUFFIX):
            continue
        edm_type = entry_element.get(name + _ODATA_TYPE_SUFFIX)
        if resolved_by_user:
            edm_type = _resolve_type(property_resolver, partition_key, row_key, name, value, edm_type)
        if encrypted_properties is not None and name in encrypted_properties:
            edm_type = EdmType.BINARY
        entity[name] = _convert_value(name, value, edm_type, resolved_by_user)

    etag = entry_element.get('odata.etag')
    if etag is None and timestamp:
        etag = _etag_from_timestamp(timestamp)
    entity['etag'] = etag
    return entity


def _load_json(response):
    return json.loads(response.body.decode('utf-8'))


def _convert_json_response_to_entity(response: Optional[HTTPResponse],
                                     property_resolver: Optional[_PropertyResolver]) -> Optional[Entity]:
    """The entity of a Get Entity response."""
    element = _convert_json_response_to_entity_json(response)
    return None if element is None else _convert_json_to_entity(element, property_resolver)


def _convert_json_response_to_entity_json(response: Optional[HTTPResponse]) -> Optional[dict[str, Any]]:
    """The JSON entity object of a Get Entity response, as it came (to decrypt)."""
    if response is None or not response.body:
        return None
    return _load_json(response)


def _convert_json_response_to_entities(response: HTTPResponse,
                                       property_resolver: Optional[_PropertyResolver]) -> _list:
    """A page of a query: a list of entities whose ``next_marker`` is the continuation dict."""
    elements = _convert_json_response_to_entities_json(response)
    entities = _list(_convert_json_to_entity(element, property_resolver) for element in elements)
    entities.next_marker = elements.next_marker
    return entities


def _convert_json_response_to_entities_json(response: HTTPResponse) -> _list:
    """A page of a query as its JSON entity objects (to decrypt), with ``next_marker`` as above."""
    elements = _list(_load_json(response).get('value', ()) if response.body else ())
    elements.next_marker = _get_continuation_from_response_headers(response)
    return elements


def _convert_json_response_to_tables(response: HTTPResponse) -> _list:
    """A page of tables whose ``next_marker`` is the next table name, or None."""
    tables = _list()
    tables.next_marker = _get_continuation_from_response_headers(response).get('nexttablename')
    if not response.body:
        return tables
    root = _load_json(response)
    elements = [root] if 'TableName' in root else root.get('value', ())
    for element in elements:
        tables.append(Table(element['TableName']))
    return tables


def _extract_etag(response: Optional[HTTPResponse]) -> Optional[str]:
    """The ETag header of a write's response."""
    if response is not None and response.headers:
        return response.headers.get('etag')
    return None


_BOUNDARY = re.compile(r'boundary=("?)([^";]+)\1', re.IGNORECASE)


def _boundary_of(content_type):
    match = _BOUNDARY.search(content_type or '')
    return match.group(2).strip() if match else None


def _split_head(block):
    """``(header block, rest)`` of a MIME part or HTTP message, as bytes."""
    head, separator, rest = block.partition(b'\r\n\r\n')
    if not separator:
        head, _, rest = block.partition(b'\n\n')
    return head, rest


def _parse_headers(head):
    """The headers of a header block, names in lower case."""
    headers = {}
    for line in head.splitlines():
        name, sep, value = line.decode('utf-8').partition(':')
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _split_multipart(body, boundary):
    """The raw parts (bytes) of a multipart body, without the boundary lines."""
    delimiter = b'--' + boundary.encode('utf-8')
    parts = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b'--'):
            break
        # The line break after the delimiter belongs to the delimiter.
        parts.append(chunk[2:] if chunk.startswith(b'\r\n') else chunk[1:] if chunk.startswith(b'\n') else chunk)
    return parts


def _status_of(message):
    """``(status, rest)`` of an HTTP message: the code of its status line, and what follows that line."""
    status_line, _, rest = message.partition(b'\n')
    return int(status_line.split(None, 2)[1]), rest


def _parse_http_part(mime_head, message):
    """The :class:`HTTPResponse` carried by an application/http part (its MIME header block
    and the HTTP message after it), and its Content-ID."""
    status_line, _, rest = message.partition(b'\n')
    version_status = status_line.decode('utf-8').strip().split(' ', 2)
    status = int(version_status[1])
    reason = version_status[2] if len(version_status) > 2 else ''
    head, body = _split_head(rest)
    headers = _parse_headers(head)
    content_id = headers.get('content-id') or _parse_headers(mime_head).get('content-id')
    return HTTPResponse(status, reason, headers, body.rstrip(b'\r\n')), content_id


def _http_messages(body, content_type):
    """``(MIME header block, HTTP message)`` of every application/http part of a batch
    response, changesets opened, in order.

    A part's headers are parsed only when they may name a nested multipart: a batch of 100
    operations has 100 parts that do not.
    """
    boundary = _boundary_of(content_type)
    if boundary is None:
        return []
    found = []
    for part in _split_multipart(body, boundary):
        head, rest = _split_head(part)
        if b'multipart/' in head.lower():
            part_type = _parse_headers(head).get('content-type', '')
            if part_type.lower().startswith('multipart/'):
                found.extend(_http_messages(rest, part_type))
                continue
        found.append((head, rest))
    return found


# An ETag line of a header block led by a line break (a multiline ^ is several times slower).
_ETAG_LINE = re.compile(rb'\n[ \t]*etag[ \t]*:([^\n]*)', re.IGNORECASE)


def _etag_of(head):
    """The ETag of a header block: the last one, as a dict of its headers would hold."""
    etags = _ETAG_LINE.findall(b'\n' + head)
    return etags[-1].decode('utf-8').strip() if etags else None


_INDEX_PREFIX = re.compile(r'^(\d+):')


def _batch_error(response, content_id, operation_count):
    """The AzureBatchOperationError of a failed sub-response, naming the failed operation.

    The service puts the index of the failed operation in front of its message ('1:...');
    when a service leaves it out, the sub-response's Content-ID (1-based) gives it.
    """
    code, message = _parse_error_body(response.body, response.headers.get('content-type', ''))
    message = (message or response.message or '').strip()
    match = _INDEX_PREFIX.match(message)
    index = int(match.group(1)) if match else None
    if index is None and content_id is not None and content_id.strip().isdigit():
        candidate = int(content_id) - 1
        if 0 <= candidate < operation_count:
            index = candidate
            message = '{}:{}'.format(index, message)
    return AzureBatchOperationError(message, response.status, code or '', index)


def _parse_batch_response(response: Optional[HTTPResponse], operation_count: int) -> Optional[list[Optional[str]]]:
    """The etags of a committed batch (None for deletes), in the order of its operations.

    Raises :class:`AzureBatchOperationError` for the first failed operation.
    """
    if response is None or not response.body:
        return None
    results = []
    for mime_head, message in _http_messages(response.body, response.headers.get('content-type')):
        status, rest = _status_of(message)
        if status >= 300:
            part, content_id = _parse_http_part(mime_head, message)
            raise _batch_error(part, content_id, operation_count)
        # A success is read for its ETag only.
        results.append(_etag_of(_split_head(rest)[0]))
    return results
