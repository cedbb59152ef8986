"""The bytes every entity write and batch sends, held to the output of the builders before their
performance rework (tests/table/data/wire_bodies.json, written by the builders at 17ff6ed).

Captured with a request callback on a service whose endpoint is a closed port: nothing reaches a
service, and the body is the one that would have gone out.
"""
import enum
import json
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from azure.common import AzureException
from dateutil import tz

from azure.storage.table import EdmType, Entity, EntityProperty

GOLDEN_PATH = Path(__file__).parent / 'data' / 'wire_bodies.json'
_BOUNDARY = re.compile(r'(batch|changeset)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
_HOST = re.compile(r'127\.0\.0\.1:\d+')


class Level(enum.IntEnum):
    HIGH = 3


class Name(str):
    pass


class Ratio(float):
    pass


def entities():
    """Every EDM type, inferred and explicit, None values, unicode, limits and legacy edge cases."""
    when = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc)
    return {
        'inferred': {
            'PartitionKey': 'pk', 'RowKey': 'rk', 'text': 'plain', 'empty': '', 'flag': True, 'off': False,
            'small': 7, 'zero': 0, 'negative': -12, 'big': 2 ** 40, 'lo': -2 ** 63, 'hi': 2 ** 63 - 1,
            'ratio': 0.1, 'whole': 1e20, 'tiny': 5e-324, 'negzero': -0.0, 'nan': float('nan'),
            'inf': float('inf'), 'neginf': float('-inf'),
            'utc': when, 'utc_whole_second': when.replace(microsecond=0), 'naive': datetime(2020, 1, 1, 19, 0),
            'eastern': datetime(2020, 1, 1, 19, 0, 0, 5, tzinfo=timezone(timedelta(hours=-5))),
            'tzutc': datetime(2017, 6, 7, 19, 38, 33, 891389, tzinfo=tz.tzutc()),
            'ancient': datetime(1, 1, 1, tzinfo=timezone.utc), 'guid': uuid.UUID(int=2 ** 128 - 1),
            'raw': b'\x00\x01\xff', 'array': bytearray(b'hi'), 'nothing': None,
        },
        'unicode': {
            'PartitionKey': 'p\u00e9 \u2603', 'RowKey': "it's \U0001F600 \"q\" %&=",
            'caf\u00e9': 'na\u00efve \u00e9\u00e8', 'emoji': '\U0001F600\U0001F4A9', 'controls': '\t\n\r\x01\x1f',
            'quotes': '"\'\\/', 'html': '<a href="x">&amp;</a>',
            '\u540d\u524d': '\u65e5\u672c\u8a9e', 'surrogate_pair_text': '\U00010348',
        },
        'explicit': {
            'PartitionKey': 'pk', 'RowKey': 'explicit',
            'i32': EntityProperty(EdmType.INT32, 2 ** 31 - 1), 'i32lo': EntityProperty(EdmType.INT32, -2 ** 31),
            'i32text': EntityProperty(EdmType.INT32, '12'),
            'i64': EntityProperty(EdmType.INT64, '-9223372036854775808'), 'i64int': EntityProperty(EdmType.INT64, 5),
            'dbl': EntityProperty(EdmType.DOUBLE, 3), 'dbltext': EntityProperty(EdmType.DOUBLE, '1.5'),
            'dblnan': EntityProperty(EdmType.DOUBLE, float('nan')),
            'dblinf': EntityProperty(EdmType.DOUBLE, '-inf'),
            'guid': EntityProperty(EdmType.GUID, 'c9da6455-213d-42c9-9a79-3e9149a57833'),
            'guidobj': EntityProperty(EdmType.GUID, uuid.UUID(int=1)),
            'bin': EntityProperty(EdmType.BINARY, b'hi'), 'bintext': EntityProperty(EdmType.BINARY, 'h\u00e9'),
            'binarray': EntityProperty(EdmType.BINARY, bytearray(b'\xff')),
            'str': EntityProperty(EdmType.STRING, 'x'), 'strnone': EntityProperty(EdmType.STRING, None),
            'bool': EntityProperty(EdmType.BOOLEAN, False),
            'date': EntityProperty(EdmType.DATETIME, '2020-01-01T00:00:00Z'),
            'dateobj': EntityProperty(EdmType.DATETIME, datetime(2020, 1, 1, 1, 2, 3, 4, tzinfo=timezone.utc)),
        },
        'subclasses_and_etag': Entity(
            PartitionKey=Name('pk'), RowKey=Name('sub'), level=Level.HIGH, name=Name('n'), ratio=Ratio(0.5),
            etag='W/"datetime\'2017-06-07T19%3A38%3A33.8913893Z\'"',
            Timestamp=datetime(2017, 6, 7, tzinfo=timezone.utc)),
        'keys_only': {'PartitionKey': '', 'RowKey': ''},
        'bench': {
            'PartitionKey': 'single', 'RowKey': '000001', 'Name': 'customer 1', 'Count': 2 ** 40 + 1,
            'Price': 1.25, 'Created': datetime(2026, 1, 2, 3, 4, 6, 123457, tzinfo=timezone.utc),
            'Ref': uuid.UUID(int=1),
        },
    }


def golden():
    return json.loads(GOLDEN_PATH.read_text('ascii'))


@pytest.fixture
def capture(offline_service):
    """``await capture(coroutine)``: the body of the request the coroutine sends, hosts and boundaries fixed."""
    sent = []
    offline_service.request_callback = lambda request: sent.append(request.body)

    async def run(call):
        sent.clear()
        with pytest.raises(AzureException):
            await call
        assert len(sent) == 1
        return _HOST.sub('host', _BOUNDARY.sub(r'\1_B', sent[0].decode('ascii')))
    return run


WRITES = ('insert_entity', 'update_entity', 'merge_entity', 'insert_or_replace_entity', 'insert_or_merge_entity')


@pytest.mark.parametrize('write', WRITES)
@pytest.mark.parametrize('name', sorted(entities()))
async def test_entity_bodies(offline_service, capture, write, name):
    body = await capture(getattr(offline_service, write)('t', entities()[name]))
    assert body == golden()['entity'][name]


async def test_batch_body_of_every_operation(offline_service, capture):
    async def commit():
        async with offline_service.batch('t') as batch:
            for i, (name, entity) in enumerate(sorted(entities().items())):
                entity = dict(entity, PartitionKey='p \u00e9', RowKey='{}{}'.format(name, i))
                if name == 'unicode':
                    entity['RowKey'] = entities()[name]['RowKey']
                operation = WRITES[(i + 1) % len(WRITES)]
                if operation in ('update_entity', 'merge_entity') and i % 2:
                    getattr(batch, operation)(entity, if_match='W/"datetime\'2017-06-07T19%3A38%3A33.8913893Z\'"')
                else:
                    getattr(batch, operation)(entity)
            batch.delete_entity('p \u00e9', 'gone', if_match='*')
            batch.delete_entity('p \u00e9', "gone 'too' !&=", if_match='W/"x"')
    body = await capture(commit())
    assert body == golden()['batch']


async def test_batch_of_100_inserts(offline_service, capture):
    async def commit():
        async with offline_service.batch('bench') as batch:
            for i in range(100):
                entity = dict(entities()['bench'], PartitionKey='batched', RowKey='{:06d}'.format(i))
                entity['Count'] += i
                entity['Price'] += i
                batch.insert_entity(entity)
    body = await capture(commit())
    assert body == golden()['batch_100']
