"""Pure tests of the table wire formats: entity JSON both ways, paths, batch bodies and responses."""
import enum
import json
import math
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from azure.common import AzureException
from dateutil import parser as date_parser

from azure.storage.common._http import HTTPResponse
from azure.storage.table import (
    AzureBatchOperationError,
    AzureBatchValidationError,
    EdmType,
    Entity,
    EntityProperty,
    TableBatch,
    TablePayloadFormat,
)
from azure.storage.table._deserialization import (
    _convert_json_response_to_entities,
    _convert_json_response_to_entity,
    _convert_json_response_to_tables,
    _convert_json_to_entity,
    _parse_batch_response,
)
from azure.storage.table._error import _validate_entity, _validate_key
from azure.storage.table._serialization import _convert_batch_to_json, _convert_entity_to_json, _get_entity_path

GUID = uuid.UUID('c9da6455-213d-42c9-9a79-3e9149a57833')


def to_json(entity):
    return json.loads(_convert_entity_to_json(entity))


def response(body, headers=None, status=200):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode('utf-8')
    return HTTPResponse(status, 'OK', headers or {}, body)


class TestEntityToJson:
    def test_inferred_types(self):
        assert to_json({
            'PartitionKey': 'pk', 'RowKey': 'rk', 'text': 'é', 'flag': True, 'small': 7, 'big': 2 ** 40,
            'ratio': 0.5, 'whole': 1e20, 'when': datetime(2008, 7, 10, 1, 2, 3, 456789, tzinfo=timezone.utc),
            'id': GUID, 'raw': b'\x00\x01\xff', 'nothing': None,
        }) == {
            'PartitionKey': 'pk', 'RowKey': 'rk', 'text': 'é', 'flag': True,
            'small': '7', 'small@odata.type': 'Edm.Int64',
            'big': '1099511627776', 'big@odata.type': 'Edm.Int64',
            'ratio': 0.5, 'ratio@odata.type': 'Edm.Double',
            'whole': 1e20, 'whole@odata.type': 'Edm.Double',
            'when': '2008-07-10T01:02:03.456789Z', 'when@odata.type': 'Edm.DateTime',
            'id': str(GUID), 'id@odata.type': 'Edm.Guid',
            'raw': 'AAH/', 'raw@odata.type': 'Edm.Binary',
            'nothing': None,
        }

    def test_explicit_types(self):
        assert to_json({
            'PartitionKey': 'pk', 'RowKey': 'rk',
            'i32': EntityProperty(EdmType.INT32, 2 ** 31 - 1),
            'i64': EntityProperty(EdmType.INT64, '-9223372036854775808'),
            'dbl': EntityProperty(EdmType.DOUBLE, 3),
            'guid': EntityProperty(EdmType.GUID, str(GUID)),
            'bin': EntityProperty(EdmType.BINARY, b'hi'),
            'bin_text': EntityProperty(EdmType.BINARY, 'hé'),
            'bin_array': EntityProperty(EdmType.BINARY, bytearray(b'hi')),
            'str': EntityProperty(EdmType.STRING, 'x'),
            'bool': EntityProperty(EdmType.BOOLEAN, False),
            'date': EntityProperty(EdmType.DATETIME, '2020-01-01T00:00:00Z'),
        }) == {
            'PartitionKey': 'pk', 'RowKey': 'rk',
            'i32': 2147483647,
            'i64': '-9223372036854775808', 'i64@odata.type': 'Edm.Int64',
            'dbl': 3.0, 'dbl@odata.type': 'Edm.Double',
            'guid': str(GUID), 'guid@odata.type': 'Edm.Guid',
            'bin': 'aGk=', 'bin@odata.type': 'Edm.Binary',
            'bin_text': 'aMOp', 'bin_text@odata.type': 'Edm.Binary',
            'bin_array': 'aGk=', 'bin_array@odata.type': 'Edm.Binary',
            'str': 'x', 'bool': False,
            'date': '2020-01-01T00:00:00Z', 'date@odata.type': 'Edm.DateTime',
        }

    @pytest.mark.parametrize('value, text', [
        (float('nan'), 'NaN'), (float('inf'), 'Infinity'), (float('-inf'), '-Infinity')])
    def test_special_doubles_are_strings(self, value, text):
        body = to_json({'PartitionKey': 'p', 'RowKey': 'r', 'd': value})
        assert body['d'] == text and body['d@odata.type'] == 'Edm.Double'

    def test_datetimes_are_sent_in_utc(self):
        eastern = timezone(timedelta(hours=-5))
        body = to_json({'PartitionKey': 'p', 'RowKey': 'r',
                        'aware': datetime(2020, 1, 1, 19, 0, tzinfo=eastern),
                        'naive': datetime(2020, 1, 1, 19, 0),
                        'ancient': datetime(1, 1, 1, tzinfo=timezone.utc)})
        assert body['aware'] == '2020-01-02T00:00:00Z'
        assert body['naive'] == '2020-01-01T19:00:00Z'
        assert body['ancient'] == '0001-01-01T00:00:00Z'

    def test_client_side_etag_is_not_sent(self):
        assert to_json(Entity(PartitionKey='p', RowKey='r', etag='W/"x"', a='b')) == {
            'PartitionKey': 'p', 'RowKey': 'r', 'a': 'b'}

    @pytest.mark.parametrize('value', [
        EntityProperty(EdmType.INT32, 2 ** 31), EntityProperty(EdmType.INT32, -2 ** 31 - 1),
        EntityProperty(EdmType.INT64, 2 ** 63), 2 ** 63, -2 ** 63 - 1])
    def test_integers_out_of_range(self, value):
        with pytest.raises(TypeError, match='too large'):
            _convert_entity_to_json({'PartitionKey': 'p', 'RowKey': 'r', 'n': value})

    def test_integer_limits_fit(self):
        body = to_json({'PartitionKey': 'p', 'RowKey': 'r', 'lo': -2 ** 63, 'hi': 2 ** 63 - 1,
                        'i32': EntityProperty(EdmType.INT32, -2 ** 31)})
        assert (body['lo'], body['hi'], body['i32']) == ('-9223372036854775808', '9223372036854775807', -2 ** 31)

    @pytest.mark.parametrize('value', [object(), [1], EntityProperty('Edm.Decimal', 1), EntityProperty(None, 'x')])
    def test_unsupported_values(self, value):
        with pytest.raises(TypeError):
            _convert_entity_to_json({'PartitionKey': 'p', 'RowKey': 'r', 'v': value})


class TestEntityValidation:
    @pytest.mark.parametrize('entity, error', [
        (None, ValueError), ('pk', TypeError), ({'RowKey': 'r'}, ValueError), ({'PartitionKey': 'p'}, ValueError),
        ({'PartitionKey': None, 'RowKey': 'r'}, ValueError), ({'PartitionKey': 1, 'RowKey': 'r'}, TypeError),
        ({'PartitionKey': 'a/b', 'RowKey': 'r'}, ValueError), ({'PartitionKey': 'p', 'RowKey': 'a\\b'}, ValueError),
        ({'PartitionKey': 'p', 'RowKey': 'a#b'}, ValueError), ({'PartitionKey': 'p', 'RowKey': 'a?b'}, ValueError),
        ({'PartitionKey': 'p', 'RowKey': 'a\nb'}, ValueError), ({'PartitionKey': 'p', 'RowKey': 'a\x7fb'}, ValueError),
        ({'PartitionKey': 'p', 'RowKey': 'r', 'x' * 256: 1}, ValueError),
    ])
    def test_invalid_entities(self, entity, error):
        with pytest.raises(error):
            _validate_entity(entity)

    def test_property_count_limit(self):
        entity = {'PartitionKey': 'p', 'RowKey': 'r'}
        entity.update(('p{}'.format(i), i) for i in range(252))
        _validate_entity(entity)
        entity['etag'] = 'W/"x"'  # client-side, not counted
        _validate_entity(entity)
        with pytest.raises(ValueError, match='more properties'):
            _validate_entity(entity, encrypt=True)
        entity['one_more'] = 1
        with pytest.raises(ValueError, match='more properties'):
            _validate_entity(entity)

    def test_empty_keys_are_valid(self):
        _validate_entity({'PartitionKey': '', 'RowKey': ''})


class TestEntityPath:
    def test_quotes_are_doubled_and_the_rest_left_to_the_client(self):
        assert _get_entity_path('t', "it's", "a b'é") == "/t(PartitionKey='it''s',RowKey='a b''é')"

    @pytest.mark.parametrize('key', ['a/b', 'a?b', 'a#b', 'a\\b', '\t', '\x85'])
    def test_forbidden_characters(self, key):
        with pytest.raises(ValueError, match='row_key'):
            _get_entity_path('t', 'p', key)

    def test_keys_must_be_strings(self):
        with pytest.raises(TypeError, match='partition_key'):
            _get_entity_path('t', 1, 'r')


def test_every_forbidden_key_character_is_named():
    forbidden = set('/\\#?') | {chr(code) for code in range(0x20)} | {chr(code) for code in range(0x7f, 0xa0)}
    for code in range(0x250):
        key = 'ok' + chr(code) + '/'
        if chr(code) in forbidden:
            with pytest.raises(ValueError, match=r'contains {}'.format(re.escape(repr(chr(code))))):
                _validate_key('row_key', key)
        else:
            with pytest.raises(ValueError, match=r"contains '/'"):
                _validate_key('row_key', key)
            _validate_key('row_key', key[:-1])


def test_subclasses_of_python_types_are_typed_as_their_base():
    class Level(enum.IntEnum):
        HIGH = 3

    class Name(str):
        pass

    sent = json.loads(_convert_entity_to_json({'PartitionKey': 'p', 'RowKey': 'r', 'level': Level.HIGH,
                                               'name': Name('n'), 'flag': True}))
    assert sent['level'] == '3' and sent['level@odata.type'] == 'Edm.Int64'
    assert sent['name'] == 'n' and 'name@odata.type' not in sent
    assert sent['flag'] is True and 'flag@odata.type' not in sent


class TestJsonToEntity:
    MINIMAL = {
        'odata.metadata': 'http://host/account/$metadata#t/@Element',
        'odata.etag': 'W/"datetime\'2017-06-07T19%3A38%3A33.8913893Z\'"',
        'PartitionKey': 'pk', 'RowKey': 'rk', 'Timestamp': '2017-06-07T19:38:33.8913893Z',
        'text': 'hello', 'flag': True, 'i32': 5, 'ratio': 0.25,
        'i64@odata.type': 'Edm.Int64', 'i64': '12345678901',
        'nan@odata.type': 'Edm.Double', 'nan': 'NaN',
        'inf@odata.type': 'Edm.Double', 'inf': '-Infinity',
        'whole@odata.type': 'Edm.Double', 'whole': 2,
        'when@odata.type': 'Edm.DateTime', 'when': '2008-07-10T01:02:03.456789Z',
        'id@odata.type': 'Edm.Guid', 'id': str(GUID),
        'raw@odata.type': 'Edm.Binary', 'raw': 'AAH/',
        'nothing': None,
    }

    def test_minimal_metadata_types(self):
        entity = _convert_json_to_entity(self.MINIMAL, None)
        assert isinstance(entity, Entity)
        assert entity.PartitionKey == 'pk' and entity.RowKey == 'rk'
        assert entity.Timestamp == datetime(2017, 6, 7, 19, 38, 33, 891389, tzinfo=timezone.utc)
        assert entity.etag == self.MINIMAL['odata.etag']
        assert entity.text == 'hello' and entity.flag is True and entity.ratio == 0.25
        assert entity.i32 == EntityProperty(EdmType.INT32, 5)
        assert entity.i64 == 12345678901 and type(entity.i64) is int
        assert math.isnan(entity.nan) and entity.inf == float('-inf')
        assert entity.whole == 2.0 and type(entity.whole) is float
        assert entity.when == datetime(2008, 7, 10, 1, 2, 3, 456789, tzinfo=timezone.utc)
        assert entity.when.tzinfo is not None
        assert entity.id == EntityProperty(EdmType.GUID, str(GUID))
        assert entity.raw == EntityProperty(EdmType.BINARY, b'\x00\x01\xff')
        assert entity.nothing is None
        assert 'metadata' not in entity and 'odata.metadata' not in entity

    @pytest.mark.parametrize('text', [
        '2017-06-07T19:38:33.8913893Z', '2017-06-07T19:38:33.1Z', '2017-06-07T19:38:33Z', '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.9999999Z', '2017-06-07T19:38:33+02:00', '2017-06-07T19:38:33.5', '2017-06-07'])
    def test_datetimes_are_exactly_what_dateutil_reads(self, text):
        # The service's own shape is read without dateutil: same value, same tzinfo (tzutc).
        entity = _convert_json_to_entity({'PartitionKey': 'p', 'RowKey': 'r', 'when@odata.type': 'Edm.DateTime',
                                          'when': text, 'Timestamp': text}, None)
        expected = date_parser.isoparse(text)
        for value in (entity.when, entity.Timestamp):
            assert value == expected and repr(value) == repr(expected)

    def test_property_order_is_keys_timestamp_then_the_service_order(self):
        entity = _convert_json_to_entity({'b': 1.5, 'Timestamp': '2017-06-07T19:38:33Z', 'a': 'x', 'RowKey': 'r',
                                          'PartitionKey': 'p', 'odata.etag': 'e'}, None)
        assert list(entity) == ['PartitionKey', 'RowKey', 'Timestamp', 'b', 'a', 'etag']

    def test_etag_from_timestamp_without_metadata(self):
        entity = _convert_json_to_entity({'PartitionKey': '', 'RowKey': '', 'Timestamp': '2017-06-07T19:38:33Z'},
                                         None)
        assert entity.etag == 'W/"datetime\'2017-06-07T19%3A38%3A33Z\'"'
        assert entity.PartitionKey == '' and entity.RowKey == ''

    def test_property_resolver_types_untyped_values(self):
        calls = []

        def resolver(pk, rk, name, value, edm_type):
            calls.append((pk, rk, name, value, edm_type))
            return {'when': EdmType.DATETIME, 'i64': EdmType.INT64, 'id': EdmType.GUID}.get(name)

        entity = _convert_json_to_entity({
            'PartitionKey': 'pk', 'RowKey': 'rk', 'when': '2020-01-01T00:00:00Z', 'i64': '5', 'id': str(GUID),
            'plain': 'x', 'num': 3, 'typed@odata.type': 'Edm.Int64', 'typed': '9'}, resolver)
        assert entity.when == datetime(2020, 1, 1, tzinfo=timezone.utc)
        assert entity.i64 == 5 and entity.id == EntityProperty(EdmType.GUID, str(GUID))
        assert entity.plain == 'x' and entity.num == EntityProperty(EdmType.INT32, 3)
        assert ('pk', 'rk', 'typed', '9', 'Edm.Int64') in calls
        assert entity.typed == '9'  # the resolver's answer (None) wins over the service's type

    def test_types_without_a_conversion_stay_typed(self):
        types = {'s': EdmType.STRING, 'b': EdmType.BOOLEAN}
        entity = _convert_json_to_entity({'PartitionKey': 'p', 'RowKey': 'r', 's': 'x', 'b': True},
                                         lambda pk, rk, name, value, edm_type: types[name])
        assert entity.s == EntityProperty(EdmType.STRING, 'x') and entity.b == EntityProperty(EdmType.BOOLEAN, True)

    def test_property_resolver_errors(self):
        with pytest.raises(AzureException, match='Type not supported'):
            _convert_json_to_entity({'PartitionKey': 'p', 'RowKey': 'r', 'a': 1}, lambda *args: 'Edm.Decimal')
        with pytest.raises(AzureException, match='invalid type'):
            _convert_json_to_entity({'PartitionKey': 'p', 'RowKey': 'r', 'a': 'x'}, lambda *args: EdmType.INT64)

    def test_responses(self):
        page = _convert_json_response_to_entities(
            response({'value': [{'PartitionKey': 'p', 'RowKey': '1'}, {'PartitionKey': 'p', 'RowKey': '2'}]},
                     {'x-ms-continuation-nextpartitionkey': '1!4!cA--', 'x-ms-continuation-nextrowkey': '1!4!Mw--'}),
            None)
        assert [entity.RowKey for entity in page] == ['1', '2']
        assert page.next_marker == {'nextpartitionkey': '1!4!cA--', 'nextrowkey': '1!4!Mw--'}
        last = _convert_json_response_to_entities(response({'value': []}), None)
        assert last == [] and last.next_marker == {}
        assert _convert_json_response_to_entity(response({'PartitionKey': 'p', 'RowKey': 'r'}), None).RowKey == 'r'

    def test_tables(self):
        tables = _convert_json_response_to_tables(
            response({'value': [{'TableName': 'a'}, {'TableName': 'b'}]}, {'x-ms-continuation-nexttablename': 'c'}))
        assert [table.name for table in tables] == ['a', 'b'] and tables.next_marker == 'c'
        assert _convert_json_response_to_tables(response({'value': []})).next_marker is None


BATCH_BODY = (
    '--batch_B\r\n'
    'Content-Type: multipart/mixed; boundary=changeset_C\r\n'
    '\r\n'
    '--changeset_C\r\n'
    'Content-Type: application/http\r\n'
    'Content-Transfer-Encoding: binary\r\n'
    '\r\n'
    'POST https://acct.table.core.windows.net/t HTTP/1.1\r\n'
    'Content-ID: 1\r\n'
    'Content-Type: application/json\r\n'
    'Accept: application/json;odata=minimalmetadata\r\n'
    'Prefer: return-no-content\r\n'
    'DataServiceVersion: 3.0;NetFx\r\n'
    'Content-Length: 34\r\n'
    '\r\n'
    '{"PartitionKey": "p", "RowKey": 1}\r\n'
    '--changeset_C\r\n'
    'Content-Type: application/http\r\n'
    'Content-Transfer-Encoding: binary\r\n'
    '\r\n'
    "DELETE https://acct.table.core.windows.net/t(PartitionKey='p',RowKey='a%20b''%C3%A9') HTTP/1.1\r\n"
    'Content-ID: 2\r\n'
    'Accept: application/json;odata=minimalmetadata\r\n'
    'If-Match: *\r\n'
    'DataServiceVersion: 3.0;NetFx\r\n'
    '\r\n'
    '\r\n'
    '--changeset_C--\r\n'
    '--batch_B--\r\n'
)


class TestBatchBody:
    def test_multipart_body_with_absolute_urls(self):
        insert = ('POST', '/t', {'Content-Type': 'application/json', 'Accept': TablePayloadFormat.JSON_MINIMAL_METADATA,
                                 'Prefer': 'return-no-content'}, b'{"PartitionKey": "p", "RowKey": 1}')
        delete = ('DELETE', "/t(PartitionKey='p',RowKey='a b''é')",
                  {'Accept': TablePayloadFormat.JSON_MINIMAL_METADATA, 'If-Match': '*'}, None)
        body, content_type = _convert_batch_to_json([insert, delete], 'https://acct.table.core.windows.net',
                                                    'batch_B', 'changeset_C')
        assert content_type == 'multipart/mixed; boundary=batch_B'
        assert body.decode('utf-8') == BATCH_BODY

    def test_batch_collects_requests(self):
        batch = TableBatch()
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': '1'})
        batch.update_entity({'PartitionKey': 'p', 'RowKey': '2'}, if_match='W/"e"')
        batch.merge_entity({'PartitionKey': 'p', 'RowKey': '3'})
        batch.delete_entity('p', '4')
        batch.insert_or_replace_entity({'PartitionKey': 'p', 'RowKey': '5'})
        batch.insert_or_merge_entity({'PartitionKey': 'p', 'RowKey': '6'})
        assert [(row_key, request.method, request.headers.get('If-Match')) for row_key, request in batch._requests] == [
            ('1', 'POST', None), ('2', 'PUT', 'W/"e"'), ('3', 'MERGE', '*'), ('4', 'DELETE', '*'),
            ('5', 'PUT', None), ('6', 'MERGE', None)]


class TestBatchValidation:
    def test_one_partition(self):
        batch = TableBatch()
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': '1'})
        with pytest.raises(AzureBatchValidationError, match='Partition Key'):
            batch.delete_entity('q', '2')
        assert len(batch._requests) == 1

    def test_each_row_once(self):
        batch = TableBatch()
        batch.insert_entity({'PartitionKey': 'p', 'RowKey': '1'})
        with pytest.raises(AzureBatchValidationError, match='Row Keys'):
            batch.merge_entity({'PartitionKey': 'p', 'RowKey': '1'})

    def test_at_most_100_operations(self):
        batch = TableBatch()
        for i in range(100):
            batch.insert_entity({'PartitionKey': 'p', 'RowKey': str(i)})
        with pytest.raises(AzureBatchValidationError, match='100 operations'):
            batch.insert_entity({'PartitionKey': 'p', 'RowKey': '100'})
        assert len(batch._requests) == 100 and '100' not in batch._row_keys

    def test_invalid_entities_are_refused(self):
        batch = TableBatch()
        with pytest.raises(ValueError):
            batch.insert_entity({'PartitionKey': 'p'})
        with pytest.raises(ValueError):
            batch.delete_entity('p', 'a/b')
        with pytest.raises(ValueError):
            batch.update_entity({'PartitionKey': 'p', 'RowKey': 'r'}, if_match=None)
        assert batch._requests == []


def batch_response(*parts, boundary='batchresponse_X', changeset='changesetresponse_Y', newline='\r\n'):
    lines = ['--' + boundary, 'Content-Type: multipart/mixed; boundary=' + changeset, '']
    for part in parts:
        lines += ['--' + changeset, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '']
        lines += part
    lines += ['--' + changeset + '--', '--' + boundary + '--', '']
    body = newline.join(lines).encode('utf-8')
    return HTTPResponse(202, 'Accepted', {'content-type': 'multipart/mixed; boundary=' + boundary}, body)


def success(status, etag=None):
    part = ['HTTP/1.1 {} No Content'.format(status), 'X-Content-Type-Options: nosniff',
            'Cache-Control: no-cache', 'DataServiceVersion: 1.0;']
    if etag:
        part.append('ETag: ' + etag)
    return part + ['', '']


def failure(message, content_id=None):
    error = json.dumps({'odata.error': {'code': 'EntityAlreadyExists',
                                        'message': {'lang': 'en-US', 'value': message}}})
    part = ['HTTP/1.1 409 Conflict']
    if content_id:
        part.append('Content-ID: {}'.format(content_id))
    return part + ['Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8', '',
                   error, '']


class TestBatchResponse:
    @pytest.mark.parametrize('newline', ['\r\n', '\n'])
    def test_etags_in_order(self, newline):
        parsed = _parse_batch_response(batch_response(success(204, 'W/"1"'), success(204), success(201, 'W/"3"'),
                                                      newline=newline), 3)
        assert parsed == ['W/"1"', None, 'W/"3"']

    def test_failure_names_the_operation(self):
        with pytest.raises(AzureBatchOperationError) as info:
            _parse_batch_response(batch_response(failure('2:The specified entity already exists.\nRequestId:x')), 5)
        error = info.value
        assert str(error).startswith('2:The specified entity already exists.')
        assert (error.status_code, error.code, error.index) == (409, 'EntityAlreadyExists', 2)

    def test_failure_index_from_content_id(self):
        with pytest.raises(AzureBatchOperationError) as info:
            _parse_batch_response(batch_response(failure('The specified entity already exists.', content_id=4)), 5)
        assert info.value.index == 3 and str(info.value).startswith('3:The specified entity')

    def test_etag_lines_as_a_header_dict_reads_them(self):
        spelled = ['HTTP/1.1 204 No Content', 'etag:W/"a"', '', '']
        spaced = ['HTTP/1.1 204 No Content', 'ETAG \t:  W/"b" \t', '', '']
        repeated = ['HTTP/1.1 204 No Content', 'ETag: W/"first"', 'Cache-Control: no-cache', 'ETag: W/"last"', '', '']
        lookalikes = ['HTTP/1.1 204 No Content', 'X-ETag: W/"no"', 'ETagged: W/"no"', '', 'ETag: W/"body, not header"']
        parsed = _parse_batch_response(batch_response(spelled, spaced, repeated, lookalikes), 4)
        assert parsed == ['W/"a"', 'W/"b"', 'W/"last"', None]

    def test_changesets_are_found_by_their_content_type_only(self):
        body = ('--B\r\nContent-Type: Multipart/Mixed; boundary="C"\r\n\r\n'
                '--C\r\nContent-Type: application/http\r\nContent-Description: not multipart/mixed\r\n\r\n'
                'HTTP/1.1 204 No Content\r\nETag: W/"1"\r\n\r\n\r\n'
                '--C\r\nContent-Type: application/http\r\n\r\n'
                'HTTP/1.1 201 Created\r\nETag: W/"2"\r\n\r\n{}\r\n'
                '--C--\r\n--B--\r\n').encode('utf-8')
        response = HTTPResponse(202, 'Accepted', {'content-type': 'multipart/mixed; boundary=B'}, body)
        assert _parse_batch_response(response, 2) == ['W/"1"', 'W/"2"']

    def test_failure_index_from_the_mime_content_id(self):
        body = ('--B\r\nContent-Type: multipart/mixed; boundary=C\r\n\r\n'
                '--C\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\n'
                'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n'
                '{"odata.error": {"code": "ResourceNotFound", "message": {"value": "Gone."}}}\r\n'
                '--C--\r\n--B--\r\n').encode('utf-8')
        response = HTTPResponse(202, 'Accepted', {'content-type': 'multipart/mixed; boundary=B'}, body)
        with pytest.raises(AzureBatchOperationError) as info:
            _parse_batch_response(response, 3)
        assert (info.value.index, info.value.status_code, info.value.code) == (1, 404, 'ResourceNotFound')
        assert str(info.value).startswith('1:Gone.')
