"""Pure response parsers shared by every service."""
from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Optional
from xml.etree import ElementTree as ETree

from dateutil import parser as date_parser
from dateutil import tz

from ._http import HTTPResponse
from .models import (
    AccessPolicy,
    CorsRule,
    DeleteRetentionPolicy,
    GeoReplication,
    Logging,
    Metrics,
    RetentionPolicy,
    ServiceProperties,
    ServiceStats,
    StaticWebsite,
    _dict,
)


def _to_int(value: Optional[str]) -> Optional[int]:
    return value if value is None else int(value)


def _bool(value: str) -> bool:
    return value.lower() == 'true'


def _to_upper_str(value: Optional[str]) -> Optional[str]:
    return value.upper() if value is not None else None


# dateutil may read a trailing 'Z' as the machine's local zone when that zone is UTC; the
# service always means UTC.
_UTC_NAMES = {'Z': tz.UTC, 'UTC': tz.UTC, 'GMT': tz.UTC}


# The two shapes the service writes (RFC 1123 in headers, ISO 8601 with up to seven
# fractional digits in bodies), read directly: dateutil takes ~50 us a date, several times a
# small operation's whole client cost. Anything else goes to dateutil, as in legacy.
_RFC1123 = re.compile(r'[A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT\Z', re.ASCII)
_ISO8601_UTC = re.compile(r'(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?Z\Z', re.ASCII)
_MONTHS = {name: number for number, name in enumerate(
    ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'), 1)}


# Responses repeat dates (the times of messages put in the same second, of blobs written
# together): a parsed one is reused. datetimes are immutable, so sharing one is safe.
@functools.lru_cache(maxsize=4096)
def _parse_service_date(value: str) -> Optional[datetime]:
    """A datetime in UTC (dateutil's tzutc, as legacy gave) for the service's own formats, else None."""
    match = _RFC1123.match(value)
    if match is not None:
        day, month, year, hour, minute, second = match.groups()
        month = _MONTHS.get(month)
        if month is None:
            return None
        return datetime(int(year), month, int(day), int(hour), int(minute), int(second), tzinfo=tz.UTC)
    match = _ISO8601_UTC.match(value)
    if match is not None:
        year, month, day, hour, minute, second, fraction = match.groups()
        # Truncated to microseconds, as dateutil does.
        microsecond = int(fraction[:6].ljust(6, '0')) if fraction else 0
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), microsecond,
                        tzinfo=tz.UTC)
    return None


def _parse_date(value: Optional[str]) -> Optional[datetime]:
    if not value:
        return None
    try:
        parsed = _parse_service_date(value)
    except ValueError:  # out of range (day 31 of a short month...): let dateutil say so
        parsed = None
    return parsed if parsed is not None else date_parser.parse(value, tzinfos=_UTC_NAMES)


def _get_download_size(start_range, end_range, resource_size):
    """How many bytes a ranged download will return (inclusive end means exclusive here)."""
    if start_range is None:
        return resource_size
    end = end_range if end_range else resource_size
    return end - start_range if end is not None else None


def _parse_metadata(response):
    """``x-ms-meta-*`` headers as a dict, names in the case they were stored with."""
    if response is None or response.headers is None:
        return None
    metadata = _dict()
    for name, value in response.headers.items():
        if name.lower().startswith('x-ms-meta-'):
            metadata[name[10:]] = value
    return metadata


def _parse_properties(response, result_class, attribute_map):
    """Build ``result_class()`` from response headers.

    ``attribute_map`` maps a lower-case header name to ``(group, attribute, convert)``;
    ``group`` is None for a top-level attribute or the name of a sub-object (for example
    ``content_settings``) that the result already has.
    """
    if response is None or response.headers is None:
        return None
    props = result_class()
    for name, value in response.headers.items():
        info = attribute_map.get(name)
        if info is None:
            continue
        group, attribute, convert = info
        target = props if group is None else getattr(props, group)
        setattr(target, attribute, convert(value))
    return props


def _parse_length_from_content_range(content_range: Optional[str]) -> Optional[int]:
    """The whole resource's length from a Content-Range such as ``bytes 1-3/65537``."""
    if content_range is None:
        return None
    return int(content_range.split(' ', 1)[1].split('/', 1)[1])


def _xml_root(body):
    return ETree.fromstring(body) if body else None


def _text(element, tag, default=None):
    child = element.find(tag)
    return child.text if child is not None and child.text is not None else default


def _convert_xml_to_signed_identifiers(response: HTTPResponse) -> _dict:
    """``{id: AccessPolicy}`` from a Get ACL body."""
    root = _xml_root(response.body)
    identifiers = _dict()
    if root is None:
        return identifiers
    for element in root.findall('SignedIdentifier'):
        policy = AccessPolicy()
        access = element.find('AccessPolicy')
        if access is not None:
            policy.start = _parse_date(_text(access, 'Start'))
            policy.expiry = _parse_date(_text(access, 'Expiry'))
            policy.permission = _text(access, 'Permission')
        identifiers[_text(element, 'Id')] = policy
    return identifiers


def _convert_xml_to_service_stats(response: HTTPResponse) -> ServiceStats:
    """ServiceStats with ``geo_replication`` (status, last_sync_time)."""
    root = _xml_root(response.body)
    stats = ServiceStats()
    geo = GeoReplication()
    element = root.find('GeoReplication') if root is not None else None
    geo.status = _text(element, 'Status') if element is not None else None
    geo.last_sync_time = _parse_date(_text(element, 'LastSyncTime')) if element is not None else None
    stats.geo_replication = geo
    return stats


def _retention_from_xml(element: Optional[ETree.Element]) -> RetentionPolicy:
    if element is None:
        return RetentionPolicy()
    enabled = _bool(_text(element, 'Enabled', 'false'))
    days = _text(element, 'Days')
    policy = RetentionPolicy()
    policy.enabled = enabled
    policy.days = int(days) if days is not None else None
    return policy


def _metrics_from_xml(element: Optional[ETree.Element]) -> Metrics:
    metrics = Metrics()
    if element is None:
        return metrics
    metrics.version = _text(element, 'Version', metrics.version)
    metrics.enabled = _bool(_text(element, 'Enabled', 'false'))
    include_apis = _text(element, 'IncludeAPIs')
    metrics.include_apis = _bool(include_apis) if include_apis is not None else None
    metrics.retention_policy = _retention_from_xml(element.find('RetentionPolicy'))
    return metrics


def _split_list(text: Optional[str]) -> list[str]:
    return [item.strip() for item in text.split(',')] if text else []


def _convert_xml_to_service_properties(response: HTTPResponse) -> ServiceProperties:
    """ServiceProperties from a Get Service Properties body (any service)."""
    root = _xml_root(response.body)
    props = ServiceProperties()
    logging_element = root.find('Logging')
    if logging_element is not None:
        log = Logging()
        log.version = _text(logging_element, 'Version', log.version)
        log.delete = _bool(_text(logging_element, 'Delete', 'false'))
        log.read = _bool(_text(logging_element, 'Read', 'false'))
        log.write = _bool(_text(logging_element, 'Write', 'false'))
        log.retention_policy = _retention_from_xml(logging_element.find('RetentionPolicy'))
        props.logging = log
    else:
        props.logging = None
    for attribute, tag in (('hour_metrics', 'HourMetrics'), ('minute_metrics', 'MinuteMetrics')):
        element = root.find(tag)
        setattr(props, attribute, _metrics_from_xml(element) if element is not None else None)
    cors_element = root.find('Cors')
    if cors_element is not None:
        props.cors = [
            CorsRule(_split_list(_text(rule, 'AllowedOrigins')), _split_list(_text(rule, 'AllowedMethods')),
                     int(_text(rule, 'MaxAgeInSeconds', '0')), _split_list(_text(rule, 'ExposedHeaders')),
                     _split_list(_text(rule, 'AllowedHeaders')))
            for rule in cors_element.findall('CorsRule')
        ]
    else:
        props.cors = None
    props.target_version = _text(root, 'DefaultServiceVersion')
    delete_element = root.find('DeleteRetentionPolicy')
    if delete_element is not None:
        policy = DeleteRetentionPolicy()
        policy.enabled = _bool(_text(delete_element, 'Enabled', 'false'))
        days = _text(delete_element, 'Days')
        policy.days = int(days) if days is not None else None
        props.delete_retention_policy = policy
    else:
        props.delete_retention_policy = None
    website_element = root.find('StaticWebsite')
    if website_element is not None:
        props.static_website = StaticWebsite(
            _bool(_text(website_element, 'Enabled', 'false')),
            _text(website_element, 'IndexDocument'),
            _text(website_element, 'ErrorDocument404Path'))
    else:
        props.static_website = None
    return props
