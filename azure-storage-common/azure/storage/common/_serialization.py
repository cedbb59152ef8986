"""Pure request-building helpers shared by every service."""
from __future__ import annotations

import os
import re
import time
from datetime import date, timezone
from email.utils import formatdate
from io import IOBase
from typing import IO, Any, Mapping, Optional, Union
from urllib.parse import quote
from xml.etree import ElementTree as ETree

from ._constants import _CLIENT_REQUEST_ID_HEADER_NAME
from ._error import (
    _ERROR_VALUE_SHOULD_BE_BYTES,
    _ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM,
    _ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM,
)
from ._http import HTTPRequest
from .models import AccessPolicy, CorsRule, DeleteRetentionPolicy, Logging, Metrics, RetentionPolicy, StaticWebsite
from ._validation import _validate_metadata

# Characters left as they are when the path is encoded: table keys use ()$=' literally.
_PATH_SAFE = "/()$=',~"


def _to_utc_datetime(value):
    if getattr(value, 'tzinfo', None):
        value = value.astimezone(timezone.utc)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


# Paths made only of characters that need no encoding (most names) skip quote().
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.~/()$=',-]*\Z")


def _encode_path(path: str) -> str:
    if _PLAIN_PATH.match(path):
        return path
    return quote(path, safe=_PATH_SAFE)


# The RFC 4122 variant digit for each hex digit of random bits: 10xx in binary.
_VARIANT_DIGIT = {digit: '89ab'[int(digit, 16) & 3] for digit in '0123456789abcdef'}


def _new_client_request_id() -> str:
    """A random (version 4) UUID in its text form, as ``str(uuid.uuid4())`` gives.

    Random, not uuid1: as unique, and it does not carry the host's MAC address. Formatted
    from the random bytes directly: ``uuid.UUID`` costs three times as much, on every request.
    """
    digits = os.urandom(16).hex()
    return '{}-{}-4{}-{}{}-{}'.format(digits[:8], digits[8:12], digits[13:16], _VARIANT_DIGIT[digits[16]],
                                      digits[17:20], digits[20:])


def _update_request(request: HTTPRequest, x_ms_version: Optional[str], user_agent_string: str) -> None:
    """Fill in what every request carries, once per operation (retries keep it).

    The path given by the service methods is unencoded; here it is percent-encoded once, and
    that encoded form is what is both signed and sent.
    """
    body = request.body
    if body is not None and not isinstance(body, bytes):
        if isinstance(body, (bytearray, memoryview)):
            request.body = bytes(body)
        elif isinstance(body, str):
            request.body = body.encode('utf-8')
    if isinstance(request.body, bytes):
        if request.method in ('PUT', 'POST', 'MERGE', 'DELETE') and 'Content-Length' not in request.headers:
            request.headers['Content-Length'] = str(len(request.body))
    elif hasattr(request.body, 'read') and 'Content-Length' not in request.headers:
        length = _len_plus(request.body)
        if length is None:
            raise ValueError(_ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM.format('request.body'))
        request.headers['Content-Length'] = str(length)
    elif request.body is None and request.method in ('PUT', 'POST', 'MERGE', 'DELETE'):
        # aiohttp sends a zero length for these methods anyway: it is set here to be signed.
        request.headers.setdefault('Content-Length', '0')

    request.headers['x-ms-version'] = x_ms_version
    request.headers['User-Agent'] = user_agent_string
    request.headers[_CLIENT_REQUEST_ID_HEADER_NAME] = _new_client_request_id()
    request.headers = {name: str(value) for name, value in request.headers.items() if value is not None}
    request.query = {name: str(value) for name, value in request.query.items() if value is not None}
    request.path = _encode_path(request.path)


_date_cache = (None, None)


def _now_rfc1123():
    """The current time as an HTTP date, formatted once a second rather than once a request."""
    global _date_cache
    now = int(time.time())
    second, text = _date_cache
    if second != now:
        text = formatdate(now, usegmt=True)
        _date_cache = (now, text)
    return text


def _add_date_header(request: HTTPRequest) -> None:
    request.headers['x-ms-date'] = _now_rfc1123()


def _add_metadata_headers(metadata: Optional[Mapping[str, str]], request: HTTPRequest) -> None:
    _validate_metadata(metadata)
    if metadata:
        for name, value in metadata.items():
            request.headers['x-ms-meta-' + name] = value


def _get_data_bytes_only(param_name: str, param_value: Optional[bytes]) -> bytes:
    if param_value is None:
        return b''
    if isinstance(param_value, bytes):
        return param_value
    raise TypeError(_ERROR_VALUE_SHOULD_BE_BYTES.format(param_name))


def _get_data_bytes_or_stream_only(param_name: str,
                                   param_value: Union[bytes, IO[bytes], None]) -> Union[bytes, IO[bytes]]:
    if param_value is None:
        return b''
    if isinstance(param_value, bytes) or hasattr(param_value, 'read'):
        return param_value
    raise TypeError(_ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM.format(param_name))


def _get_request_body(request_body: Any) -> Union[bytes, IOBase]:
    """bytes for a request body: None is empty, text is UTF-8, streams pass through."""
    if request_body is None:
        return b''
    if isinstance(request_body, (bytes, IOBase)):
        return request_body
    if isinstance(request_body, str):
        return request_body.encode('utf-8')
    return str(request_body).encode('utf-8')


def _xml_to_bytes(root: ETree.Element) -> bytes:
    return ETree.tostring(root, encoding='utf-8', xml_declaration=True)


def _sub(parent: ETree.Element, tag: str, text: Optional[str] = None) -> ETree.Element:
    element = ETree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _bool_text(value: Optional[bool]) -> str:
    return 'true' if value else 'false'


def _convert_signed_identifiers_to_xml(signed_identifiers: Optional[Mapping[str, Optional[AccessPolicy]]]) -> bytes:
    """The body of a set-ACL request from ``{id: AccessPolicy}``."""
    if signed_identifiers is None:
        return b''
    root = ETree.Element('SignedIdentifiers')
    for identifier, policy in signed_identifiers.items():
        element = _sub(root, 'SignedIdentifier')
        _sub(element, 'Id', identifier)
        access = _sub(element, 'AccessPolicy')
        if policy is None:
            continue
        for tag, value in (('Start', policy.start), ('Expiry', policy.expiry)):
            if value:
                _sub(access, tag, _to_utc_datetime(value) if isinstance(value, date) else str(value))
        if policy.permission:
            _sub(access, 'Permission', str(policy.permission))
    return _xml_to_bytes(root)


def _retention_policy_to_xml(policy: Union[RetentionPolicy, DeleteRetentionPolicy], parent: ETree.Element) -> None:
    _sub(parent, 'Enabled', _bool_text(policy.enabled))
    if policy.enabled and policy.days is not None:
        _sub(parent, 'Days', str(policy.days))


def _metrics_to_xml(metrics: Metrics, parent: ETree.Element) -> None:
    _sub(parent, 'Version', metrics.version)
    _sub(parent, 'Enabled', _bool_text(metrics.enabled))
    if metrics.enabled and metrics.include_apis is not None:
        _sub(parent, 'IncludeAPIs', _bool_text(metrics.include_apis))
    _retention_policy_to_xml(metrics.retention_policy, _sub(parent, 'RetentionPolicy'))


def _convert_service_properties_to_xml(logging: Optional[Logging], hour_metrics: Optional[Metrics],
                                       minute_metrics: Optional[Metrics], cors: Optional[list[CorsRule]],
                                       target_version: Optional[str] = None,
                                       delete_retention_policy: Optional[DeleteRetentionPolicy] = None,
                                       static_website: Optional[StaticWebsite] = None) -> bytes:
    """The body of a Set Service Properties request; parts left as None are not changed."""
    root = ETree.Element('StorageServiceProperties')
    if logging:
        element = _sub(root, 'Logging')
        _sub(element, 'Version', logging.version)
        _sub(element, 'Delete', _bool_text(logging.delete))
        _sub(element, 'Read', _bool_text(logging.read))
        _sub(element, 'Write', _bool_text(logging.write))
        _retention_policy_to_xml(logging.retention_policy, _sub(element, 'RetentionPolicy'))
    if hour_metrics:
        _metrics_to_xml(hour_metrics, _sub(root, 'HourMetrics'))
    if minute_metrics:
        _metrics_to_xml(minute_metrics, _sub(root, 'MinuteMetrics'))
    if cors is not None:
        element = _sub(root, 'Cors')
        for rule in cors:
            rule_element = _sub(element, 'CorsRule')
            _sub(rule_element, 'AllowedOrigins', ','.join(rule.allowed_origins))
            _sub(rule_element, 'AllowedMethods', ','.join(rule.allowed_methods))
            _sub(rule_element, 'MaxAgeInSeconds', str(rule.max_age_in_seconds))
            _sub(rule_element, 'ExposedHeaders', ','.join(rule.exposed_headers))
            _sub(rule_element, 'AllowedHeaders', ','.join(rule.allowed_headers))
    if target_version:
        _sub(root, 'DefaultServiceVersion', target_version)
    if delete_retention_policy:
        _retention_policy_to_xml(delete_retention_policy, _sub(root, 'DeleteRetentionPolicy'))
    if static_website:
        element = _sub(root, 'StaticWebsite')
        _sub(element, 'Enabled', _bool_text(static_website.enabled))
        if static_website.enabled:
            if static_website.index_document is not None:
                _sub(element, 'IndexDocument', str(static_website.index_document))
            if static_website.error_document_404_path is not None:
                _sub(element, 'ErrorDocument404Path', str(static_website.error_document_404_path))
    return _xml_to_bytes(root)


def _len_plus(data: Any) -> Optional[int]:
    """Bytes left in ``data`` (bytes or a seekable stream), or None if it cannot tell."""
    if isinstance(data, bytes):
        return len(data)
    try:
        current = data.tell()
        end = data.seek(0, 2)
        data.seek(current)
    except (AttributeError, OSError, ValueError):
        return None
    return end - current
