"""Account SAS tokens without the network: string-to-sign, field order and encoding."""
import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote

import pytest

from azure.storage.common import (
    AccountPermissions,
    CloudStorageAccount,
    ResourceTypes,
    Services,
    SharedAccessSignature,
)
from azure.storage.common.sharedaccesssignature import _SharedAccessHelper

ACCOUNT = 'myaccount'
KEY = base64.b64encode(b'another key used only by these tests').decode()


def signature(string_to_sign, key=KEY):
    return base64.b64encode(hmac.new(base64.b64decode(key), string_to_sign.encode('utf-8'),
                                     hashlib.sha256).digest()).decode()


def test_account_sas_with_every_field():
    token = SharedAccessSignature(ACCOUNT, KEY).generate_account(
        Services(blob=True, queue=True), ResourceTypes(service=True, container=True, object=True),
        AccountPermissions(read=True, write=True, list=True), '2030-01-01T00:00:00Z',
        start=datetime(2020, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=2))),
        ip='168.1.5.60-168.1.5.70', protocol='https')
    sig = signature('myaccount\nrwl\nbq\nsco\n2020-01-01T00:00:00Z\n2030-01-01T00:00:00Z\n'
                    '168.1.5.60-168.1.5.70\nhttps\n2019-02-02\n')
    assert token == ('st=2020-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=rwl&sip=168.1.5.60-168.1.5.70'
                     '&spr=https&sv=2019-02-02&ss=bq&srt=sco&sig=' + quote(sig, safe=''))


def test_account_sas_leaves_out_what_was_not_given_but_signs_its_empty_line():
    token = SharedAccessSignature(ACCOUNT, KEY, x_ms_version='2018-03-28').generate_account(
        Services.TABLE + Services.BLOB, ResourceTypes.OBJECT, AccountPermissions(_str='pucalrwd'),
        datetime(2031, 5, 6, 7, 8, 9))
    sig = signature('myaccount\nrwdlacup\nbt\no\n\n2031-05-06T07:08:09Z\n\n\n2018-03-28\n')
    fields = parse_qsl(token, keep_blank_values=True)
    assert [name for name, _ in fields] == ['se', 'sp', 'sv', 'ss', 'srt', 'sig']
    assert dict(fields) == {'se': '2031-05-06T07:08:09Z', 'sp': 'rwdlacup', 'sv': '2018-03-28', 'ss': 'bt',
                            'srt': 'o', 'sig': sig}


def test_signature_characters_are_percent_encoded_except_slash_as_legacy():
    token = SharedAccessSignature(ACCOUNT, KEY).generate_account('b', 'o', 'r', '2030-01-01')
    raw = token.split('sig=', 1)[1]
    assert not set('+=') & set(raw)
    assert raw == quote(signature('myaccount\nr\nb\no\n\n2030-01-01\n\n\n2019-02-02\n'), safe='/')
    assert dict(parse_qsl(token))['sig'] == signature('myaccount\nr\nb\no\n\n2030-01-01\n\n\n2019-02-02\n')


def test_cloud_storage_account_generates_the_same_token():
    arguments = (Services.QUEUE, ResourceTypes.CONTAINER, AccountPermissions.PROCESS, '2030-01-01T00:00:00Z')
    assert CloudStorageAccount(ACCOUNT, KEY).generate_shared_access_signature(*arguments, ip='1.2.3.4') == \
        SharedAccessSignature(ACCOUNT, KEY).generate_account(*arguments, ip='1.2.3.4')


@pytest.mark.parametrize('name, key', [(None, KEY), (ACCOUNT, None)])
def test_account_name_and_key_are_required(name, key):
    with pytest.raises(ValueError):
        SharedAccessSignature(name, key).generate_account(Services.BLOB, ResourceTypes.OBJECT,
                                                          AccountPermissions.READ, '2030-01-01T00:00:00Z')


def test_service_sas_helper_orders_its_fields_and_signs_empty_lines():
    helper = _SharedAccessHelper()
    helper.add_base('r', '2030-01-01T00:00:00Z', None, None, 'https', '2019-02-02')
    helper.add_resource('b')
    helper.add_id('policy 1')
    helper.add_override_response_headers('no-cache', None, None, 'en', 'text/plain')
    assert helper._value_line('sp') == 'r\n' and helper._value_line('st') == '\n'
    helper._sign(KEY, 'to sign')
    assert helper.get_token() == ('se=2030-01-01T00%3A00%3A00Z&sp=r&spr=https&sv=2019-02-02&sr=b&si=policy%201'
                                  '&rscc=no-cache&rscl=en&rsct=text/plain&sig=' +
                                  quote(signature('to sign'), safe='/'))
