"""Request signing without the network: each string-to-sign is written out by hand from the
Shared Key specification and its HMAC computed here, independently of the signer under test."""
import base64
import hashlib
import hmac
import logging

import pytest

from azure.storage.common import AzureSigningError, TokenCredential, _auth
from azure.storage.common._auth import (
    _StorageNoAuthentication,
    _StorageSASAuthentication,
    _StorageSharedKeyAuthentication,
    _StorageTableSharedKeyAuthentication,
    _StorageTableSharedKeyLiteAuthentication,
    _StorageTokenAuthentication,
)
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common._http import HTTPRequest
from azure.storage.common._serialization import _update_request

ACCOUNT = 'myaccount'
KEY = base64.b64encode(b'a key that is only used by these tests').decode()
DATE = 'Sun, 22 Nov 2026 04:02:53 GMT'
# The eleven standard headers of a blob/queue string-to-sign, all absent.
NO_STANDARD_HEADERS = '\n' * 11


def expected(scheme, account, key, string_to_sign):
    digest = hmac.new(base64.b64decode(key), string_to_sign.encode('utf-8'), hashlib.sha256).digest()
    return '{} {}:{}'.format(scheme, account, base64.b64encode(digest).decode())


def signed(request, account=ACCOUNT, key=KEY, is_emulated=False, signer=_StorageSharedKeyAuthentication):
    auth = signer(account, key, is_emulated)
    auth.sign_request(request)
    return auth, request.headers['Authorization']


def test_get_blob_on_a_path_style_endpoint():
    request = HTTPRequest('GET', '/devstoreaccount1/container/blob.txt', {},
                          {'x-ms-date': DATE, 'x-ms-version': '2019-02-02'})
    _, authorization = signed(request, DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, is_emulated=True)
    assert authorization == expected('SharedKey', DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY,
                                     'GET\n' + NO_STANDARD_HEADERS +
                                     'x-ms-date:' + DATE + '\nx-ms-version:2019-02-02\n'
                                     '/devstoreaccount1/devstoreaccount1/container/blob.txt')


def test_emulator_secondary_is_signed_as_the_primary_account():
    request = HTTPRequest('GET', '/devstoreaccount1-secondary/container/blob', {}, {'x-ms-date': DATE})
    auth, authorization = signed(request, DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, is_emulated=True)
    assert authorization == expected('SharedKey', DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY,
                                     'GET\n' + NO_STANDARD_HEADERS + 'x-ms-date:' + DATE + '\n'
                                     '/devstoreaccount1/devstoreaccount1/container/blob')
    # Outside the emulator the path is the resource, whatever it looks like.
    auth.is_emulated = False
    assert auth.string_to_sign(request).endswith('\n/devstoreaccount1/devstoreaccount1-secondary/container/blob')


def test_every_standard_header_in_its_slot():
    request = HTTPRequest('PUT', '/container/blob', {}, {
        'Content-Encoding': 'gzip', 'content-language': 'en-US', 'Content-Length': '11',
        'Content-MD5': 'XrY7u+Ae7tCTyyK7j1rNww==', 'Content-Type': 'text/plain; charset=utf-8',
        'Date': DATE, 'If-Modified-Since': 'Sat, 01 Jan 2022 00:00:00 GMT', 'If-Match': '"0x8D"',
        'If-None-Match': '*', 'If-Unmodified-Since': 'Sun, 02 Jan 2022 00:00:00 GMT', 'Range': 'bytes=0-10',
        'x-ms-blob-type': 'BlockBlob'})
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, (
        'PUT\ngzip\nen-US\n11\nXrY7u+Ae7tCTyyK7j1rNww==\ntext/plain; charset=utf-8\n' + DATE + '\n'
        'Sat, 01 Jan 2022 00:00:00 GMT\n"0x8D"\n*\nSun, 02 Jan 2022 00:00:00 GMT\nbytes=0-10\n'
        'x-ms-blob-type:BlockBlob\n/myaccount/container/blob'))


@pytest.mark.parametrize('length, signed_as', [('0', ''), ('5', '5'), (None, '')])
def test_content_length_zero_is_signed_as_empty(length, signed_as):
    request = HTTPRequest('PUT', '/c', {}, {'Content-Length': length, 'x-ms-date': DATE})
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, 'PUT\n\n\n{}\n{}x-ms-date:{}\n/myaccount/c'.format(
        signed_as, '\n' * 8, DATE))


def test_metadata_names_sort_in_the_service_order_case_insensitively():
    # The service puts '_' before digits and letters: foo_bar before foo2_bar, although
    # an ordinal sort would do the opposite. Names are signed lower case.
    request = HTTPRequest('PUT', '/c', {'restype': 'container'}, {
        'x-ms-meta-foo2_bar': '2', 'X-MS-Meta-Foo_Bar': '1', 'x-ms-meta-Abc': 'x', 'x-ms-meta-foobar': '3',
        'X-MS-DATE': DATE, 'x-ms-version': '2019-02-02'})
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, (
        'PUT\n' + NO_STANDARD_HEADERS + 'x-ms-date:' + DATE + '\nx-ms-meta-abc:x\nx-ms-meta-foo_bar:1\n'
        'x-ms-meta-foo2_bar:2\nx-ms-meta-foobar:3\nx-ms-version:2019-02-02\n/myaccount/c\nrestype:container'))


def test_header_values_are_trimmed_but_inner_whitespace_is_kept():
    request = HTTPRequest('PUT', '/c', {}, {'x-ms-meta-a': '  padded\t', 'x-ms-meta-b': 'two  spaces\tand tab',
                                            'x-ms-meta-empty': '', 'Content-Type': '', 'x-ms-meta-gone': None})
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, (
        'PUT\n' + NO_STANDARD_HEADERS + 'x-ms-meta-a:padded\nx-ms-meta-b:two  spaces\tand tab\n'
        'x-ms-meta-empty:\n/myaccount/c'))


def test_query_is_canonicalised_sorted_lower_case_and_unencoded():
    request = HTTPRequest('GET', '/', {'restype': 'container', 'comp': 'list', 'Prefix': 'a b/é&=?',
                                       'maxresults': '5', 'include': 'metadata,snapshots', 'marker': None},
                          {'x-ms-date': DATE})
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, (
        'GET\n' + NO_STANDARD_HEADERS + 'x-ms-date:' + DATE + '\n/myaccount/\ncomp:list\n'
        'include:metadata,snapshots\nmaxresults:5\nprefix:a b/é&=?\nrestype:container'))


@pytest.mark.parametrize('name, encoded', [
    ('a b%+#?.txt', 'a%20b%25%2B%23%3F.txt'),
    ('dir/ü é.bin', 'dir/%C3%BC%20%C3%A9.bin'),
    ("t(PartitionKey='a b',RowKey='1')", "t(PartitionKey='a%20b',RowKey='1')"),
    ('already%20encoded', 'already%2520encoded'),
])
def test_names_are_encoded_once_and_signed_as_sent(name, encoded):
    request = HTTPRequest('PUT', '/container/' + name, {}, {'x-ms-meta-é': None}, b'data')
    _update_request(request, '2019-02-02', 'agent')
    request.headers['x-ms-date'] = DATE
    assert request.path == '/container/' + encoded
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, (
        'PUT\n\n\n4\n' + '\n' * 8 + 'x-ms-client-request-id:{}\nx-ms-date:{}\nx-ms-version:2019-02-02\n'
        '/myaccount/container/{}').format(request.headers['x-ms-client-request-id'], DATE, encoded))


def test_unicode_header_values_are_signed_as_utf8():
    request = HTTPRequest('PUT', '/c/b', {}, {'x-ms-meta-name': 'ünïcødé'})
    _, authorization = signed(request)
    assert authorization == expected('SharedKey', ACCOUNT, KEY,
                                     'PUT\n' + NO_STANDARD_HEADERS + 'x-ms-meta-name:ünïcødé\n/myaccount/c/b')


def test_the_account_key_is_decoded_once_and_again_when_replaced(monkeypatch):
    decoded = []

    def decode(data):
        decoded.append(data)
        return base64.b64decode(data)

    monkeypatch.setattr(_auth, '_decode_base64_to_bytes', decode)
    auth = _StorageSharedKeyAuthentication(ACCOUNT, KEY)
    string_to_sign = 'GET\n' + NO_STANDARD_HEADERS + 'x-ms-date:' + DATE + '\n/myaccount/c'
    for _ in range(3):
        request = HTTPRequest('GET', '/c', {}, {'x-ms-date': DATE})
        auth.sign_request(request)
        assert request.headers['Authorization'] == expected('SharedKey', ACCOUNT, KEY, string_to_sign)
    other_key = base64.b64encode(b'another key').decode()
    auth.account_key = other_key
    request = HTTPRequest('GET', '/c', {}, {'x-ms-date': DATE})
    auth.sign_request(request)
    assert request.headers['Authorization'] == expected('SharedKey', ACCOUNT, other_key, string_to_sign)
    assert decoded == [KEY, other_key]


def test_the_string_to_sign_is_scrubbed_only_when_it_is_logged(monkeypatch, caplog):
    def scrub(text):
        raise AssertionError('scrubbed for a log that is off')

    monkeypatch.setattr(_auth, '_scrub_sas_signatures', scrub)
    caplog.set_level(logging.INFO, logger=_auth.logger.name)
    _StorageSharedKeyAuthentication(ACCOUNT, KEY).sign_request(HTTPRequest('GET', '/c', {}, {'x-ms-date': DATE}))


def test_a_key_that_is_not_base64_is_a_signing_error():
    with pytest.raises(AzureSigningError):
        signed(HTTPRequest('GET', '/c'), key='abc')


def test_table_shared_key_signs_md5_type_date_and_comp_only():
    request = HTTPRequest('GET', '/devstoreaccount1/mytable()', {'comp': 'acl', '$filter': "PartitionKey eq 'a'"}, {
        'Content-MD5': 'md5==', 'Content-Type': 'application/json', 'x-ms-date': DATE, 'x-ms-meta-x': 'ignored',
        'DataServiceVersion': '3.0', 'Accept': 'application/json;odata=minimalmetadata'})
    _, authorization = signed(request, DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, signer=_StorageTableSharedKeyAuthentication)
    assert authorization == expected('SharedKey', DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY, (
        'GET\nmd5==\napplication/json\n' + DATE + '\n/devstoreaccount1/devstoreaccount1/mytable()?comp=acl'))


def test_table_shared_key_uses_date_when_there_is_no_x_ms_date():
    request = HTTPRequest('POST', '/Tables', {}, {'Date': DATE})
    _, authorization = signed(request, signer=_StorageTableSharedKeyAuthentication)
    assert authorization == expected('SharedKey', ACCOUNT, KEY, 'POST\n\n\n' + DATE + '\n/myaccount/Tables')


def test_table_shared_key_lite_signs_date_and_resource():
    request = HTTPRequest('GET', "/mytable(PartitionKey='a',RowKey='b')", {'comp': 'metadata'},
                          {'x-ms-date': DATE, 'Content-Type': 'application/json'})
    _, authorization = signed(request, signer=_StorageTableSharedKeyLiteAuthentication)
    assert authorization == expected('SharedKeyLite', ACCOUNT, KEY,
                                     DATE + "\n/myaccount/mytable(PartitionKey='a',RowKey='b')?comp=metadata")


@pytest.mark.parametrize('token', ['sv=2019-02-02&sig=a%2Bb%2F%3D&se=2030-01-01T00%3A00%3A00Z',
                                   '?sv=2019-02-02&sig=a%2Bb%2F%3D&se=2030-01-01T00%3A00%3A00Z'])
def test_sas_token_fields_join_the_query_with_or_without_a_leading_question_mark(token):
    request = HTTPRequest('GET', '/c', {'restype': 'container'})
    _StorageSASAuthentication(token).sign_request(request)
    assert request.query == {'restype': 'container', 'sv': '2019-02-02', 'sig': 'a+b/=', 'se': '2030-01-01T00:00:00Z'}
    assert 'Authorization' not in request.headers


def test_sas_leaves_a_request_that_carries_its_own_signature_alone():
    request = HTTPRequest('GET', '/c', {'sig': 'own', 'sv': 'x'})
    _StorageSASAuthentication('sv=2019-02-02&sig=other').sign_request(request)
    assert request.query == {'sig': 'own', 'sv': 'x'}


def test_anonymous_requests_are_not_signed():
    request = HTTPRequest('GET', '/c', {}, {'x-ms-date': DATE})
    _StorageNoAuthentication().sign_request(request)
    assert request.headers == {'x-ms-date': DATE} and request.query == {}


def test_bearer_token_is_read_at_every_request():
    credential = TokenCredential('first')
    auth = _StorageTokenAuthentication(credential, lambda: 'https')
    first, second = HTTPRequest('GET', '/c'), HTTPRequest('GET', '/c')
    auth.sign_request(first)
    credential.token = 'second'
    auth.sign_request(second)
    assert (first.headers['Authorization'], second.headers['Authorization']) == ('Bearer first', 'Bearer second')


def test_bearer_token_is_never_sent_over_http():
    request = HTTPRequest('GET', '/c')
    with pytest.raises(AzureSigningError):
        _StorageTokenAuthentication(TokenCredential('secret'), lambda: 'http').sign_request(request)
    assert 'Authorization' not in request.headers


def test_token_credential_signs_a_session_of_its_own():
    assert TokenCredential('abc').signed_session() == {'Authorization': 'Bearer abc'}
