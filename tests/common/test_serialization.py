"""Request building and response parsing helpers, without the network."""
import email.utils
import io
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from dateutil import parser as date_parser
from dateutil import tz
from multidict import CIMultiDict, CIMultiDictProxy

from azure.storage.common import (
    AccessPolicy,
    CorsRule,
    DeleteRetentionPolicy,
    Logging,
    Metrics,
    RetentionPolicy,
    StaticWebsite,
)
from azure.storage.common._common_conversion import (
    _datetime_to_utc_string,
    _get_content_md5,
    _invoke_callback,
)
from azure.storage.common._deserialization import (
    _convert_xml_to_service_properties,
    _convert_xml_to_service_stats,
    _convert_xml_to_signed_identifiers,
    _get_download_size,
    _parse_length_from_content_range,
    _parse_metadata,
    _parse_date,
    _parse_properties,
)
from azure.storage.common._http import HTTPRequest, HTTPResponse, httpclient
from azure.storage.common import _serialization
from azure.storage.common._serialization import (
    _add_date_header,
    _add_metadata_headers,
    _convert_service_properties_to_xml,
    _convert_signed_identifiers_to_xml,
    _get_data_bytes_only,
    _get_data_bytes_or_stream_only,
    _to_utc_datetime,
    _update_request,
)

DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"


def response(body=b'', headers=None):
    return HTTPResponse(200, 'OK', headers or {}, body)


def test_signed_identifiers_to_xml():
    body = _convert_signed_identifiers_to_xml({
        'id1': AccessPolicy('rl', datetime(2030, 1, 2, 3, 4, 5), '2020-01-01T00:00:00Z'),
        'id2': AccessPolicy(expiry=datetime(2030, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))),
    })
    assert body == DECLARATION + (
        b'<SignedIdentifiers><SignedIdentifier><Id>id1</Id><AccessPolicy><Start>2020-01-01T00:00:00Z</Start>'
        b'<Expiry>2030-01-02T03:04:05Z</Expiry><Permission>rl</Permission></AccessPolicy></SignedIdentifier>'
        b'<SignedIdentifier><Id>id2</Id><AccessPolicy><Expiry>2030-01-01T00:00:00Z</Expiry></AccessPolicy>'
        b'</SignedIdentifier></SignedIdentifiers>')


def test_signed_identifiers_round_trip():
    parsed = _convert_xml_to_signed_identifiers(response(_convert_signed_identifiers_to_xml(
        {'a': AccessPolicy('r', '2030-01-01T00:00:00Z'), 'b': AccessPolicy()})))
    assert list(parsed) == ['a', 'b']
    assert parsed['a'].permission == 'r'
    assert parsed['a'].expiry == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert (parsed['b'].start, parsed['b'].expiry, parsed['b'].permission) == (None, None, None)
    assert _convert_xml_to_signed_identifiers(response(b'')) == {}


def test_service_properties_to_xml():
    body = _convert_service_properties_to_xml(
        Logging(delete=True, write=True, retention_policy=RetentionPolicy(True, 5)),
        Metrics(enabled=True, include_apis=True, retention_policy=RetentionPolicy(True, 7)),
        Metrics(), [CorsRule(['https://a.example', 'https://b.example'], ['GET', 'PUT'], 300, ['x-ms-meta-*'])],
        target_version='2019-02-02', delete_retention_policy=DeleteRetentionPolicy(True, 3),
        static_website=StaticWebsite(True, 'index.html', 'errors/404.html'))
    assert body == DECLARATION + (
        b'<StorageServiceProperties>'
        b'<Logging><Version>1.0</Version><Delete>true</Delete><Read>false</Read><Write>true</Write>'
        b'<RetentionPolicy><Enabled>true</Enabled><Days>5</Days></RetentionPolicy></Logging>'
        b'<HourMetrics><Version>1.0</Version><Enabled>true</Enabled><IncludeAPIs>true</IncludeAPIs>'
        b'<RetentionPolicy><Enabled>true</Enabled><Days>7</Days></RetentionPolicy></HourMetrics>'
        b'<MinuteMetrics><Version>1.0</Version><Enabled>false</Enabled>'
        b'<RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></MinuteMetrics>'
        b'<Cors><CorsRule><AllowedOrigins>https://a.example,https://b.example</AllowedOrigins>'
        b'<AllowedMethods>GET,PUT</AllowedMethods><MaxAgeInSeconds>300</MaxAgeInSeconds>'
        b'<ExposedHeaders>x-ms-meta-*</ExposedHeaders><AllowedHeaders /></CorsRule></Cors>'
        b'<DefaultServiceVersion>2019-02-02</DefaultServiceVersion>'
        b'<DeleteRetentionPolicy><Enabled>true</Enabled><Days>3</Days></DeleteRetentionPolicy>'
        b'<StaticWebsite><Enabled>true</Enabled><IndexDocument>index.html</IndexDocument>'
        b'<ErrorDocument404Path>errors/404.html</ErrorDocument404Path></StaticWebsite>'
        b'</StorageServiceProperties>')


def test_unset_service_properties_are_left_out_but_an_empty_cors_list_clears_it():
    assert _convert_service_properties_to_xml(None, None, None, None) == \
        DECLARATION + b'<StorageServiceProperties />'
    assert _convert_service_properties_to_xml(None, None, None, []) == \
        DECLARATION + b'<StorageServiceProperties><Cors /></StorageServiceProperties>'


def test_service_properties_round_trip():
    body = _convert_service_properties_to_xml(
        Logging(read=True, retention_policy=RetentionPolicy(True, 2)), Metrics(True, False), None,
        [CorsRule(['*'], ['GET'], 60, ['a', 'b'], ['c'])], delete_retention_policy=DeleteRetentionPolicy(),
        static_website=StaticWebsite(True, 'home.html'))
    properties = _convert_xml_to_service_properties(response(body))
    assert (properties.logging.read, properties.logging.delete, properties.logging.version) == (True, False, '1.0')
    assert (properties.logging.retention_policy.enabled, properties.logging.retention_policy.days) == (True, 2)
    assert (properties.hour_metrics.enabled, properties.hour_metrics.include_apis) == (True, False)
    assert properties.minute_metrics is None and properties.target_version is None
    [rule] = properties.cors
    assert (rule.allowed_origins, rule.allowed_methods, rule.max_age_in_seconds, rule.exposed_headers,
            rule.allowed_headers) == (['*'], ['GET'], 60, ['a', 'b'], ['c'])
    assert (properties.delete_retention_policy.enabled, properties.delete_retention_policy.days) == (False, None)
    assert (properties.static_website.enabled, properties.static_website.index_document,
            properties.static_website.error_document_404_path) == (True, 'home.html', None)


def test_service_stats():
    stats = _convert_xml_to_service_stats(response(
        b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><StorageServiceStats><GeoReplication><Status>live'
        b'</Status><LastSyncTime>Wed, 19 Jan 2022 22:28:43 GMT</LastSyncTime></GeoReplication></StorageServiceStats>'))
    assert stats.geo_replication.status == 'live'
    assert stats.geo_replication.last_sync_time == datetime(2022, 1, 19, 22, 28, 43, tzinfo=timezone.utc)


class _Settings:
    def __init__(self):
        self.content_type = None


class _Properties:
    def __init__(self):
        self.etag = None
        self.content_length = None
        self.content_settings = _Settings()


def test_parse_properties_and_metadata_from_headers():
    headers = {'etag': '"0x1"', 'content-length': '42', 'content-type': 'text/plain', 'x-ms-meta-MixedCase': 'v',
               'x-ms-meta-other': 'w', 'x-ms-request-id': 'ignored'}
    properties = _parse_properties(response(headers=headers), _Properties, {
        'etag': (None, 'etag', str), 'content-length': (None, 'content_length', int),
        'content-type': ('content_settings', 'content_type', str)})
    assert (properties.etag, properties.content_length, properties.content_settings.content_type) == \
        ('"0x1"', 42, 'text/plain')
    assert _parse_metadata(response(headers=headers)) == {'MixedCase': 'v', 'other': 'w'}


@pytest.mark.parametrize('content_range, length', [('bytes 1-3/65537', 65537), ('bytes 0-0/1', 1), (None, None)])
def test_length_from_content_range(content_range, length):
    assert _parse_length_from_content_range(content_range) == length


@pytest.mark.parametrize('start, end, size, expected', [(None, None, 10, 10), (2, None, 10, 8), (2, 5, 10, 3)])
def test_download_size(start, end, size, expected):
    assert _get_download_size(start, end, size) == expected


@pytest.mark.parametrize('text', ['2030-01-02T03:04:05Z', '2030-01-02T03:04:05.1234567Z',
                                  'Wed, 02 Jan 2030 03:04:05 GMT'])
def test_service_dates_parse_as_utc(text):
    parsed = _parse_date(text)
    assert parsed.replace(microsecond=0) == datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    # Not the machine's zone, which dateutil picks for 'Z' or 'GMT' when that zone is UTC.
    assert parsed.utcoffset() == timedelta(0) and not isinstance(parsed.tzinfo, tz.tzlocal)
    assert _parse_date('') is None and _parse_date(None) is None


@pytest.mark.parametrize('text', [
    'Sun, 22 Nov 2026 04:02:53 GMT', 'Mon, 22 Nov 2026 04:02:53 GMT', 'Tue, 1 Feb 2000 00:00:00 GMT',
    'Thu, 29 Feb 2024 23:59:59 GMT', '2026-11-22T04:02:53Z', '2026-11-22T04:02:53.1Z', '2026-11-22T04:02:53.12Z',
    '2026-11-22T04:02:53.123456Z', '2026-11-22T04:02:53.1234567Z', '2026-11-22T04:02:53.9999999Z',
    # Not the service's own shapes: dateutil reads these, as in legacy.
    '2026-11-22T04:02:53.1234567+01:00', '2026-11-22 04:02:53', 'Sun, 22 Nov 2026 04:02:53 +0000',
    '2026-11-22T04:02:53.12345678Z', '2026-11-22T04:02:53',
])
def test_dates_parse_exactly_as_dateutil_reads_them(text):
    expected = date_parser.parse(text, tzinfos={'Z': tz.UTC, 'UTC': tz.UTC, 'GMT': tz.UTC})
    parsed = _parse_date(text)
    assert (parsed, type(parsed.tzinfo), parsed.utcoffset()) == (
        expected, type(expected.tzinfo), expected.utcoffset())


def test_the_services_date_formats_do_not_go_through_dateutil(monkeypatch):
    # dateutil costs ~50 us a date; a download parses three of them, a listing two a blob.
    def slow_parser(*args, **kwargs):
        raise AssertionError('dateutil was used')

    monkeypatch.setattr(date_parser, 'parse', slow_parser)
    assert _parse_date('Sun, 22 Nov 2026 04:02:53 GMT') == datetime(2026, 11, 22, 4, 2, 53, tzinfo=timezone.utc)
    assert _parse_date('2026-11-22T04:02:53.1234567Z') == datetime(2026, 11, 22, 4, 2, 53, 123456, tzinfo=timezone.utc)


@pytest.mark.parametrize('text', ['Fri, 31 Feb 2026 04:02:53 GMT', '2026-02-30T00:00:00Z',
                                  'Sun, 22 Foo 2026 04:02:53 GMT', 'not a date'])
def test_impossible_dates_fail_as_dateutil_fails(text):
    with pytest.raises(ValueError):
        _parse_date(text)


def test_a_date_read_again_is_the_same_and_a_bad_one_fails_again():
    # Parsed dates are reused: the second read of a text gives the same value; a failure is
    # not remembered as a value.
    for _ in range(2):
        assert _parse_date('Mon, 23 Nov 2026 04:02:53 GMT') == datetime(2026, 11, 23, 4, 2, 53, tzinfo=timezone.utc)
        with pytest.raises(ValueError):
            _parse_date('Fri, 31 Feb 2026 04:02:53 GMT')


def test_dates():
    moment = datetime(2026, 11, 22, 5, 6, 7, tzinfo=timezone(timedelta(hours=1)))
    assert _to_utc_datetime(moment) == '2026-11-22T04:06:07Z'
    assert _datetime_to_utc_string(moment) == 'Sun, 22 Nov 2026 04:06:07 GMT'
    assert _datetime_to_utc_string(datetime(2026, 11, 22, 4, 6, 7)) == 'Sun, 22 Nov 2026 04:06:07 GMT'


def test_content_md5_of_bytes_and_of_a_stream_from_its_position():
    assert _get_content_md5(b'hello') == 'XUFAKrxLKna5cZ2REBfFkg=='
    stream = io.BytesIO(b'..hello')
    stream.seek(2)
    assert _get_content_md5(stream) == 'XUFAKrxLKna5cZ2REBfFkg=='
    assert stream.tell() == 2


def test_update_request_encodes_the_path_and_drops_none():
    request = HTTPRequest('PUT', '/c/a b', {'comp': 'metadata', 'timeout': None, 'n': 5},
                          {'x-ms-meta-a': 'x', 'x-ms-lease-id': None, 'x-ms-meta-n': 1})
    _update_request(request, '2019-02-02', 'agent/1')
    assert request.path == '/c/a%20b'
    assert request.query == {'comp': 'metadata', 'n': '5'}
    assert {name: request.headers[name] for name in ('x-ms-meta-a', 'x-ms-meta-n', 'Content-Length', 'x-ms-version',
                                                     'User-Agent')} == {
        'x-ms-meta-a': 'x', 'x-ms-meta-n': '1', 'Content-Length': '0', 'x-ms-version': '2019-02-02',
        'User-Agent': 'agent/1'}
    assert 'x-ms-lease-id' not in request.headers and request.headers['x-ms-client-request-id']


def test_client_request_ids_are_random_uuids():
    ids = set()
    for _ in range(200):
        request = HTTPRequest('GET', '/c')
        _update_request(request, '2019-02-02', 'agent/1')
        text = request.headers['x-ms-client-request-id']
        value = uuid.UUID(text)
        # The text str(uuid.uuid4()) gives, formatted without building the UUID object.
        assert str(value) == text
        ids.add(value)
    # Version 4: no host MAC address in every request, and several times cheaper than uuid1.
    assert len(ids) == 200 and {value.version for value in ids} == {4}
    assert {value.variant for value in ids} == {uuid.RFC_4122}
    # Every variant digit occurs (8, 9, a, b): the two random bits below it are not lost.
    assert {str(value)[19] for value in ids} == set('89ab')


def test_the_date_header_is_the_current_second_formatted_once(monkeypatch):
    formatted = []

    def formatdate(timeval, usegmt):
        formatted.append(timeval)
        return email.utils.formatdate(timeval, usegmt=usegmt)

    clock = [1795320173.2]
    monkeypatch.setattr(_serialization, 'formatdate', formatdate)
    monkeypatch.setattr(_serialization, '_date_cache', (None, None))
    monkeypatch.setattr(_serialization.time, 'time', lambda: clock[0])
    dates = []
    for now in (1795320173.2, 1795320173.9, 1795320174.0, 1795320174.5):
        clock[0] = now
        request = HTTPRequest('GET', '/c')
        _add_date_header(request)
        dates.append(request.headers['x-ms-date'])
    assert dates == ['Sun, 22 Nov 2026 04:02:53 GMT'] * 2 + ['Sun, 22 Nov 2026 04:02:54 GMT'] * 2
    assert formatted == [1795320173, 1795320174]


@pytest.mark.parametrize('body, length', [(b'12345', '5'), (bytearray(b'123'), '3'), ('é', '2')])
def test_update_request_sets_the_length_of_byte_bodies(body, length):
    request = HTTPRequest('PUT', '/c/b', body=body)
    _update_request(request, 'v', 'ua')
    assert isinstance(request.body, bytes) and request.headers['Content-Length'] == length


def test_update_request_measures_a_stream_from_its_position():
    stream = io.BytesIO(b'0123456789')
    stream.seek(4)
    request = HTTPRequest('PUT', '/c/b', body=stream)
    _update_request(request, 'v', 'ua')
    assert request.headers['Content-Length'] == '6' and stream.tell() == 4


def test_update_request_refuses_a_stream_of_unknown_length():
    class Unseekable:
        def read(self, size=-1):
            return b''

    with pytest.raises(ValueError):
        _update_request(HTTPRequest('PUT', '/c/b', body=Unseekable()), 'v', 'ua')
    request = HTTPRequest('PUT', '/c/b', headers={'Content-Length': '3'}, body=Unseekable())
    _update_request(request, 'v', 'ua')
    assert request.headers['Content-Length'] == '3'


def test_get_has_no_content_length():
    request = HTTPRequest('GET', '/c/b')
    _update_request(request, 'v', 'ua')
    assert 'Content-Length' not in request.headers


def test_metadata_headers():
    request = HTTPRequest()
    _add_metadata_headers({'Name': 'v', 'other_one': '2'}, request)
    _add_metadata_headers(None, request)
    assert request.headers == {'x-ms-meta-Name': 'v', 'x-ms-meta-other_one': '2'}


def test_body_type_checks():
    assert _get_data_bytes_only('data', None) == b''
    with pytest.raises(TypeError):
        _get_data_bytes_only('data', 'text')
    stream = io.BytesIO()
    assert _get_data_bytes_or_stream_only('data', stream) is stream
    with pytest.raises(TypeError):
        _get_data_bytes_or_stream_only('data', 42)


async def test_callbacks_may_be_plain_or_coroutine_functions():
    seen = []

    async def coroutine_callback(value):
        seen.append(('async', value))

    await _invoke_callback(lambda value: seen.append(('plain', value)), 1)
    await _invoke_callback(coroutine_callback, 2)
    assert seen == [('plain', 1), ('async', 2)]


def test_response_header_names_are_lowered_except_metadata_names():
    raw = CIMultiDictProxy(CIMultiDict([('Content-Length', '3'), ('ETag', '"0x1"'), ('X-Ms-Meta-Abc', 'x'),
                                        ('x-ms-meta-foo_Bar', 'y'), ('x-MS-request-id', 'r')]))
    expected = {'content-length': '3', 'etag': '"0x1"', 'X-Ms-Meta-Abc': 'x', 'x-ms-meta-foo_Bar': 'y',
                'x-ms-request-id': 'r'}
    # The second time from the names already seen.
    assert httpclient._response_headers(raw) == expected
    assert httpclient._response_headers(raw) == expected
    assert 'X-Ms-Meta-Abc' not in httpclient._HEADER_KEYS


def test_response_header_names_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(httpclient, '_HEADER_KEYS', {})
    headers = httpclient._response_headers({'X-Custom-{}'.format(i): str(i) for i in range(2000)})
    assert headers['x-custom-1999'] == '1999' and len(headers) == 2000
    assert len(httpclient._HEADER_KEYS) == httpclient._HEADER_KEYS_MAX


@pytest.mark.parametrize('text', ['', 'list', 'a-b_c.d~e', '2019-02-02', 'a b', 'a+b/c=', 'é€', '%41', 'a\n',
                                  '2020-01-01T00:00:00.0000000Z', '<x>&"\''])
def test_query_text_is_encoded_as_quote_with_nothing_safe(text):
    assert httpclient._encode_query({text: text, 'n': '1'}) == '{0}={0}&n=1'.format(quote(text, safe=''))
