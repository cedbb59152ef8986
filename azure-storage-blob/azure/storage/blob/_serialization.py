"""Pure request-building helpers of the blob service."""
from datetime import date
from io import BytesIO
from urllib.parse import quote
from xml.etree import ElementTree as ETree

from azure.storage.common._common_conversion import _datetime_to_utc_string, _encode_base64, _to_str
from azure.storage.common._error import (
    _ERROR_RANGE_TOO_LARGE_FOR_MD5,
    _ERROR_START_END_NEEDED_FOR_MD5,
    _ERROR_VALUE_NEGATIVE,
    _validate_not_none,
    _validate_type_bytes,
)
from azure.storage.common._serialization import _to_utc_datetime
from azure.storage.common._validation import _validate_not_bytes

from ._error import (
    _ERROR_CPK_OVER_HTTP,
    _ERROR_DELEGATION_KEY_TIMES,
    _ERROR_INVALID_BLOCK_ID,
    _ERROR_PAGE_BLOB_END_ALIGNMENT,
    _ERROR_PAGE_BLOB_START_ALIGNMENT,
)

_REQUEST_DELIMITER_PREFIX = 'batch_'
_HTTP1_1_IDENTIFIER = 'HTTP/1.1'
_HTTP_LINE_ENDING = '\r\n'

# A range whose MD5 the service computes on request may be at most 4 MiB long.
_MAX_RANGE_FOR_MD5 = 4 * 1024 * 1024


def _get_path(container_name=None, blob_name=None):
    """
    The unencoded request path of the account, a container or a blob ('/', '/c', '/c/b').
    The common layer percent-encodes it once, exactly as it is signed and sent.
    """
    _validate_not_bytes('container_name', container_name)
    _validate_not_bytes('blob_name', blob_name)
    if container_name and blob_name:
        return '/{}/{}'.format(_to_str(container_name), _to_str(blob_name))
    if container_name:
        return '/{}'.format(_to_str(container_name))
    return '/'


def _conditional_headers(if_modified_since=None, if_unmodified_since=None, if_match=None, if_none_match=None):
    """The standard conditional headers; conditions left as None are not sent."""
    return {
        'If-Modified-Since': _datetime_to_utc_string(if_modified_since),
        'If-Unmodified-Since': _datetime_to_utc_string(if_unmodified_since),
        'If-Match': _to_str(if_match),
        'If-None-Match': _to_str(if_none_match),
    }


def _lease_and_conditional_headers(lease_id=None, if_modified_since=None, if_unmodified_since=None, if_match=None,
                                   if_none_match=None):
    """The lease id and the standard conditional headers of a write to a blob."""
    headers = _conditional_headers(if_modified_since, if_unmodified_since, if_match, if_none_match)
    headers['x-ms-lease-id'] = _to_str(lease_id)
    return headers


def _source_conditional_headers(source_if_modified_since=None, source_if_unmodified_since=None,
                                source_if_match=None, source_if_none_match=None):
    """The conditions on the source blob of a write whose content the service reads from a URL."""
    return {
        'x-ms-source-if-modified-since': _datetime_to_utc_string(source_if_modified_since),
        'x-ms-source-if-unmodified-since': _datetime_to_utc_string(source_if_unmodified_since),
        'x-ms-source-if-match': _to_str(source_if_match),
        'x-ms-source-if-none-match': _to_str(source_if_none_match),
    }


def _sequence_number_headers(if_sequence_number_lte=None, if_sequence_number_lt=None, if_sequence_number_eq=None):
    """The sequence number conditions of a page write."""
    return {
        'x-ms-if-sequence-number-le': _to_str(if_sequence_number_lte),
        'x-ms-if-sequence-number-lt': _to_str(if_sequence_number_lt),
        'x-ms-if-sequence-number-eq': _to_str(if_sequence_number_eq),
    }


def _bytes_as_stream(blob, index, count):
    """
    ``(stream, count)`` for the *_from_bytes uploads: ``blob`` read from ``index``, ``count``
    bytes of it (all the rest when None or negative). Bad input fails before any request.
    """
    _validate_not_none('blob', blob)
    _validate_not_none('index', index)
    _validate_type_bytes('blob', blob)
    if index < 0:
        raise IndexError(_ERROR_VALUE_NEGATIVE.format('index'))
    if count is None or count < 0:
        count = len(blob) - index
    stream = BytesIO(blob)
    stream.seek(index)
    return stream, count


def _validate_and_add_cpk_headers(request, encryption_key, protocol):
    """Add the customer-provided key headers; such keys only travel over HTTPS."""
    if encryption_key is None:
        return
    if protocol.lower() != 'https':
        raise ValueError(_ERROR_CPK_OVER_HTTP)
    request.headers['x-ms-encryption-key'] = encryption_key.key_value
    request.headers['x-ms-encryption-key-sha256'] = encryption_key.key_hash
    request.headers['x-ms-encryption-algorithm'] = encryption_key.algorithm


def _validate_and_format_range_headers(request, start_range, end_range, start_range_required=True,
                                       end_range_required=True, check_content_md5=False, align_to_page=False,
                                       range_header_name='x-ms-range'):
    """Check a byte range (inclusive ends) and write it as the range header of ``request``."""
    if start_range_required or end_range is not None:
        _validate_not_none('start_range', start_range)
    if end_range_required:
        _validate_not_none('end_range', end_range)
    if align_to_page:
        if start_range is not None and start_range % 512 != 0:
            raise ValueError(_ERROR_PAGE_BLOB_START_ALIGNMENT)
        if end_range is not None and end_range % 512 != 511:
            raise ValueError(_ERROR_PAGE_BLOB_END_ALIGNMENT)

    if end_range is not None:
        request.headers[range_header_name] = 'bytes={}-{}'.format(start_range, end_range)
    elif start_range is not None:
        request.headers[range_header_name] = 'bytes={}-'.format(start_range)

    if check_content_md5:
        if start_range is None or end_range is None:
            raise ValueError(_ERROR_START_END_NEEDED_FOR_MD5)
        if end_range - start_range > _MAX_RANGE_FOR_MD5:
            raise ValueError(_ERROR_RANGE_TOO_LARGE_FOR_MD5)
        request.headers['x-ms-range-get-content-md5'] = 'true'


def _xml_bytes(root):
    return ETree.tostring(root, encoding='utf-8', xml_declaration=True)


def _convert_block_list_to_xml(block_id_list):
    """
    The body of a Put Block List request: one element per block, named after the list the
    service takes it from (Committed, Uncommitted or Latest), holding the base64 block id.
    """
    if block_id_list is None:
        return b''
    root = ETree.Element('BlockList')
    for block in block_id_list:
        if block.id is None:
            raise ValueError(_ERROR_INVALID_BLOCK_ID)
        ETree.SubElement(root, block.state).text = _encode_base64(_to_str(block.id))
    return _xml_bytes(root)


def _convert_delegation_key_info_to_xml(start_time, expiry_time):
    """The body of a Get User Delegation Key request."""
    if start_time is None or expiry_time is None:
        raise ValueError(_ERROR_DELEGATION_KEY_TIMES)
    root = ETree.Element('KeyInfo')
    for tag, value in (('Start', start_time), ('Expiry', expiry_time)):
        ETree.SubElement(root, tag).text = _to_utc_datetime(value) if isinstance(value, date) else value
    return _xml_bytes(root)


def _get_batch_request_delimiter(batch_id, is_prepend_dashes=False, is_append_dashes=False):
    """The multipart boundary of a batch ('batch_<id>'), with the dashes its position needs."""
    return '{}{}{}{}'.format('--' if is_prepend_dashes else '', _REQUEST_DELIMITER_PREFIX, batch_id,
                             '--' if is_append_dashes else '')


def _serialize_query(query):
    """A sub-request's query string, its names and values percent-encoded."""
    return '&'.join('{}={}'.format(quote(name, safe=''), quote(value, safe=''))
                    for name, value in query.items() if value is not None)


def _make_body_from_sub_request(sub_request):
    """
    One part of a batch body: the application/http part headers, then the sub-request as it
    would go over the wire (request line, headers, blank line, body).
    """
    headers = dict(sub_request.headers)
    lines = [
        'Content-Type: application/http',
        'Content-ID: {}'.format(headers.pop('Content-ID', '')),
        'Content-Transfer-Encoding: {}'.format(headers.pop('Content-Transfer-Encoding', '')),
        '',
        '{} {}{} {}'.format(sub_request.method, sub_request.path,
                            '?' + _serialize_query(sub_request.query) if sub_request.query else '',
                            _HTTP1_1_IDENTIFIER),
    ]
    lines.extend('{}: {}'.format(name, value) for name, value in headers.items() if value is not None)
    lines.append('')
    part = _HTTP_LINE_ENDING.join(lines) + _HTTP_LINE_ENDING
    body = sub_request.body
    if isinstance(body, str):
        body = body.encode('utf-8')
    return part.encode('utf-8') + (body or b'')


def _serialize_batch_body(requests, batch_id):
    """The multipart/mixed body of a blob batch request from its signed sub-requests."""
    if not requests:
        raise ValueError('Please provide sub-request(s) for this batch request')
    delimiter = (_get_batch_request_delimiter(batch_id, True, False) + _HTTP_LINE_ENDING).encode('utf-8')
    newline = _HTTP_LINE_ENDING.encode('utf-8')
    parts = []
    for request in requests:
        parts.extend((delimiter, _make_body_from_sub_request(request), newline))
    parts.append(_get_batch_request_delimiter(batch_id, True, True).encode('utf-8'))
    parts.append(newline)
    return b''.join(parts)
