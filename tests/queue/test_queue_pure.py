"""Pure logic of the queue package, without the network: encoders, XML, SAS, encryption, models."""
import base64
import hashlib
import hmac
import json
import os
from datetime import datetime, timezone
from urllib.parse import parse_qs
from xml.etree import ElementTree as ETree

import pytest
from azure.common import AzureException
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC
from cryptography.hazmat.primitives.keywrap import aes_key_wrap
from cryptography.hazmat.primitives.padding import PKCS7

from azure.storage.common._constants import DEV_ACCOUNT_KEY
from azure.storage.common._http import HTTPResponse
from azure.storage.queue import (
    Queue,
    QueueMessage,
    QueueMessageFormat,
    QueuePermissions,
    QueueSharedAccessSignature,
    __version__,
)
from azure.storage.queue._deserialization import (
    _convert_xml_to_queue_messages,
    _convert_xml_to_queues,
    _decode_queue_messages,
    _parse_metadata_and_message_count,
    _parse_queue_message_from_headers,
)
from azure.storage.queue._encryption import _decrypt_queue_message, _encrypt_queue_message
from azure.storage.queue._error import _validate_num_messages
from azure.storage.queue._serialization import _convert_queue_message_xml, _get_path
from testkit import KeyWrapper

Format = QueueMessageFormat


def response(body=b'', headers=None, status=200):
    return HTTPResponse(status, 'OK', headers or {}, body)


# -- encoders -----------------------------------------------------------------------------

def test_text_base64_known_values():
    assert Format.text_base64encode('héllo') == 'aMOpbGxv'
    assert Format.text_base64decode('aMOpbGxv') == 'héllo'
    assert Format.text_base64encode('') == ''


def test_binary_base64_known_values():
    assert Format.binary_base64encode(b'\x00\xff\x10') == 'AP8Q'
    assert Format.binary_base64decode('AP8Q') == b'\x00\xff\x10'


def test_xml_encoding_escapes_only_markup_characters():
    assert Format.text_xmlencode('<a href="x">&\'</a>') == '&lt;a href="x"&gt;&amp;\'&lt;/a&gt;'
    assert Format.text_xmldecode('&lt;a&gt; &amp;amp;') == '<a> &amp;'


def test_no_encoding_passes_anything_through():
    value = object()
    assert Format.noencode(value) is value
    assert Format.nodecode(value) is value


@pytest.mark.parametrize('encode, bad', [
    (Format.text_base64encode, b'bytes'),
    (Format.text_xmlencode, b'bytes'),
    (Format.text_xmlencode, 5),
    (Format.binary_base64encode, 'text'),
])
def test_encoders_reject_the_wrong_type(encode, bad):
    with pytest.raises(TypeError):
        encode(bad)


@pytest.mark.parametrize('decode, bad', [
    (Format.text_base64decode, 'not base64!!'),
    (Format.text_base64decode, base64.b64encode(b'\xff\xfe').decode()),  # not UTF-8
    (Format.binary_base64decode, 'abc'),
])
def test_decoders_reject_what_is_not_base64(decode, bad):
    with pytest.raises(ValueError, match='not a valid base64'):
        decode(bad)


# -- permissions and models ---------------------------------------------------------------

def test_permissions_order_and_combination():
    combined = QueuePermissions.PROCESS | QueuePermissions.READ + QueuePermissions.UPDATE
    assert str(combined) == 'rup'
    assert str(QueuePermissions(_str='paur')) == 'raup'
    assert combined.read and combined.update and combined.process and not combined.add
    assert str(QueuePermissions.ADD) == 'a'
    assert isinstance(QueuePermissions.READ, QueuePermissions)


def test_models_start_empty():
    assert vars(Queue()) == {'name': None, 'metadata': None}
    message = QueueMessage()
    assert [message.id, message.content, message.pop_receipt, message.dequeue_count] == [None] * 4
    assert __version__ == '2.1.0'


# -- requests -----------------------------------------------------------------------------

@pytest.mark.parametrize('args, path', [
    ((), '/'),
    (('q1',), '/q1'),
    (('q1', True), '/q1/messages'),
    (('q1', True, 'id-1'), '/q1/messages/id-1'),
])
def test_paths(args, path):
    assert _get_path(*args) == path


async def test_message_body_is_xml_encoded_text_inside_xml():
    body = await _convert_queue_message_xml('a<b & é', Format.text_xmlencode, None)
    # Escaped twice, as the legacy SDK did: once by the encoder, once by the XML writer.
    assert body == ("<?xml version='1.0' encoding='utf-8'?>\n"
                    "<QueueMessage><MessageText>a&amp;lt;b &amp;amp; é</MessageText></QueueMessage>").encode('utf-8')


@pytest.mark.parametrize('text', ['', 'plain', 'a<b>&c "d" \'e\'', 'é ✓ \r\n\t', ']]>&amp;', '\x00'])
async def test_message_body_is_what_elementtree_writes(text):
    root = ETree.Element('QueueMessage')
    ETree.SubElement(root, 'MessageText').text = text
    expected = ETree.tostring(root, encoding='utf-8', xml_declaration=True)
    assert await _convert_queue_message_xml(text, Format.noencode, None) == expected


async def test_message_body_with_base64_and_encryption():
    body = await _convert_queue_message_xml(b'\x01\x02', Format.binary_base64encode, None)
    assert b'<MessageText>AQI=</MessageText>' in body
    kek = KeyWrapper('key1')
    body = await _convert_queue_message_xml('secret', Format.text_xmlencode, kek)
    assert b'secret' not in body and b'EncryptedMessageContents' in body


@pytest.mark.parametrize('value', [None, 1, 32, '7'])
def test_num_messages_in_range(value):
    _validate_num_messages(value)


@pytest.mark.parametrize('value', [0, 33, -1, 'many', 2.5, True])
def test_num_messages_out_of_range(value):
    with pytest.raises(ValueError, match='num_messages'):
        _validate_num_messages(value)


# -- responses ----------------------------------------------------------------------------

MESSAGES_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<QueueMessagesList>
  <QueueMessage>
    <MessageId>5974b586-0df3-4e2d-ad0c-18e3892bfca2</MessageId>
    <InsertionTime>Fri, 09 Oct 2009 21:04:30 GMT</InsertionTime>
    <ExpirationTime>Fri, 16 Oct 2009 21:04:30 GMT</ExpirationTime>
    <PopReceipt>YzQ4Yzg1MDItYTc0Ny00OWNjLTkxYTUtZGM0MDFiZDAwYzEw</PopReceipt>
    <TimeNextVisible>Fri, 09 Oct 2009 23:29:20 GMT</TimeNextVisible>
    <DequeueCount>2</DequeueCount>
    <MessageText>a&amp;lt;b</MessageText>
  </QueueMessage>
  <QueueMessage>
    <MessageId>m2</MessageId>
    <InsertionTime>Fri, 09 Oct 2009 21:04:31 GMT</InsertionTime>
    <ExpirationTime>Fri, 16 Oct 2009 21:04:31 GMT</ExpirationTime>
    <DequeueCount>0</DequeueCount>
    <MessageText />
  </QueueMessage>
</QueueMessagesList>"""


async def test_parse_messages():
    first, second = _convert_xml_to_queue_messages(response(MESSAGES_BODY))
    assert first.id == '5974b586-0df3-4e2d-ad0c-18e3892bfca2'
    assert first.insertion_time == datetime(2009, 10, 9, 21, 4, 30, tzinfo=timezone.utc)
    assert first.expiration_time == datetime(2009, 10, 16, 21, 4, 30, tzinfo=timezone.utc)
    assert first.time_next_visible == datetime(2009, 10, 9, 23, 29, 20, tzinfo=timezone.utc)
    assert first.pop_receipt == 'YzQ4Yzg1MDItYTc0Ny00OWNjLTkxYTUtZGM0MDFiZDAwYzEw'
    assert first.dequeue_count == 2
    assert first.content == 'a&lt;b'  # still encoded: decoding comes after the request
    assert second.pop_receipt is None and second.time_next_visible is None
    assert second.content == '' and second.dequeue_count == 0

    await _decode_queue_messages([first, second], Format.text_xmldecode, False, None, None)
    assert (first.content, second.content) == ('a<b', '')


def test_put_response_keeps_the_content_put():
    content = object()
    message, _ = _convert_xml_to_queue_messages(response(MESSAGES_BODY), content)
    assert message.content is content


async def test_decode_failure_is_an_azure_exception_with_the_decoder_message():
    message = QueueMessage()
    message.content = 'not base64!!'
    with pytest.raises(AzureException, match='not a valid base64') as info:
        await _decode_queue_messages([message], Format.text_base64decode, False, None, None)
    assert isinstance(info.value.__cause__, ValueError)


def test_parse_queue_list_with_metadata_and_marker():
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.queue.core.windows.net/">
  <Prefix>q</Prefix><MaxResults>2</MaxResults>
  <Queues>
    <Queue><Name>q1</Name><Metadata><Color>blue</Color><size>2</size></Metadata></Queue>
    <Queue><Name>q2</Name><Metadata /></Queue>
  </Queues>
  <NextMarker>/acct/q3</NextMarker>
</EnumerationResults>"""
    queues = _convert_xml_to_queues(response(body))
    assert [queue.name for queue in queues] == ['q1', 'q2']
    assert queues[0].metadata == {'Color': 'blue', 'size': '2'}
    assert queues[1].metadata == {}
    assert queues.next_marker == '/acct/q3'


def test_parse_queue_list_last_page():
    body = b'<EnumerationResults><Queues><Queue><Name>q1</Name></Queue></Queues><NextMarker /></EnumerationResults>'
    queues = _convert_xml_to_queues(response(body))
    assert queues[0].metadata is None
    assert queues.next_marker is None


def test_parse_metadata_and_count():
    metadata = _parse_metadata_and_message_count(response(headers={
        'x-ms-meta-Color': 'blue', 'x-ms-approximate-messages-count': '12', 'etag': 'x'}))
    assert metadata == {'Color': 'blue'}
    assert metadata.approximate_message_count == 12


def test_parse_update_headers():
    message = _parse_queue_message_from_headers(response(headers={
        'x-ms-popreceipt': 'receipt', 'x-ms-time-next-visible': 'Fri, 09 Oct 2009 23:29:20 GMT'}))
    assert message.pop_receipt == 'receipt'
    assert message.time_next_visible == datetime(2009, 10, 9, 23, 29, 20, tzinfo=timezone.utc)


# -- shared access signatures -------------------------------------------------------------

def _signature(string_to_sign, key=DEV_ACCOUNT_KEY):
    digest = hmac.new(base64.b64decode(key), string_to_sign.encode('utf-8'), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_queue_sas_known_value():
    token = QueueSharedAccessSignature('acct', DEV_ACCOUNT_KEY).generate_queue(
        'myqueue', QueuePermissions.READ | QueuePermissions.PROCESS,
        expiry=datetime(2030, 1, 2, 3, 4, 5), start='2029-12-31T00:00:00Z', ip='10.0.0.1', protocol='https')
    fields = {name: values[0] for name, values in parse_qs(token).items()}
    expected = _signature('rp\n2029-12-31T00:00:00Z\n2030-01-02T03:04:05Z\n/queue/acct/myqueue\n\n'
                          '10.0.0.1\nhttps\n2019-02-02')
    assert fields == {'st': '2029-12-31T00:00:00Z', 'se': '2030-01-02T03:04:05Z', 'sp': 'rp',
                      'sip': '10.0.0.1', 'spr': 'https', 'sv': '2019-02-02', 'sig': expected}


def test_queue_sas_with_stored_policy_id():
    token = QueueSharedAccessSignature('acct', DEV_ACCOUNT_KEY).generate_queue('myqueue', id='policy1')
    fields = {name: values[0] for name, values in parse_qs(token).items()}
    assert fields['si'] == 'policy1'
    assert fields['sig'] == _signature('\n\n\n/queue/acct/myqueue\npolicy1\n\n\n2019-02-02')
    assert 'sp' not in fields and 'se' not in fields


def test_queue_sas_timezone_aware_expiry_is_converted_to_utc():
    from datetime import timedelta
    aware = datetime(2030, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    token = QueueSharedAccessSignature('acct', DEV_ACCOUNT_KEY).generate_queue('q', 'a', aware)
    assert 'se=2030-01-02T03%3A04%3A05Z' in token


# -- client-side encryption ---------------------------------------------------------------

async def test_encryption_round_trip_and_envelope_shape():
    kek = KeyWrapper('key1')
    envelope = await _encrypt_queue_message('héllo <world>', kek)
    document = json.loads(envelope)
    assert list(document) == ['EncryptedMessageContents', 'EncryptionData']
    data = document['EncryptionData']
    assert list(data) == ['WrappedContentKey', 'EncryptionAgent', 'ContentEncryptionIV', 'KeyWrappingMetadata']
    assert data['WrappedContentKey']['KeyId'] == 'key1'
    assert data['WrappedContentKey']['Algorithm'] == 'A256KW'
    assert data['EncryptionAgent'] == {'Protocol': '1.0', 'EncryptionAlgorithm': 'AES_CBC_256'}
    assert len(base64.b64decode(data['ContentEncryptionIV'])) == 16
    assert await _decrypt_queue_message(envelope, True, kek, None) == 'héllo <world>'
    resolver = {'key1': kek}.get
    assert await _decrypt_queue_message(envelope, False, None, resolver) == 'héllo <world>'


async def test_decrypts_an_envelope_built_independently():
    """An envelope written by another library (built here by hand) decrypts."""
    kek = KeyWrapper('other-lib-key')
    content_key, iv = os.urandom(32), os.urandom(16)
    padder = PKCS7(128).padder()
    encryptor = Cipher(AES(content_key), CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update('from elsewhere'.encode()) + padder.finalize()) + encryptor.finalize()
    envelope = json.dumps({
        'EncryptedMessageContents': base64.b64encode(ciphertext).decode(),
        'EncryptionData': {
            'WrappedContentKey': {'KeyId': 'other-lib-key', 'Algorithm': 'A256KW',
                                  'EncryptedKey': base64.b64encode(aes_key_wrap(kek.key, content_key)).decode()},
            'EncryptionAgent': {'Protocol': '1.0', 'EncryptionAlgorithm': 'AES_CBC_256'},
            'ContentEncryptionIV': base64.b64encode(iv).decode(),
        },
    })
    assert await _decrypt_queue_message(envelope, True, kek, None) == 'from elsewhere'


async def test_decryption_failures():
    envelope = await _encrypt_queue_message('secret', KeyWrapper('key1'))
    with pytest.raises(AzureException, match='Decryption failed'):
        await _decrypt_queue_message(envelope, False, KeyWrapper('other-id'), None)
    with pytest.raises(AzureException, match='Decryption failed'):
        await _decrypt_queue_message(envelope, False, KeyWrapper('key1'), None)  # right id, wrong key


async def test_plain_messages_pass_unless_encryption_is_required():
    assert await _decrypt_queue_message('plain text', False, KeyWrapper('k'), None) == 'plain text'
    own_json = '{"json": "of the user"}'
    assert await _decrypt_queue_message(own_json, False, KeyWrapper('k'), None) == own_json
    with pytest.raises(ValueError, match='not encrypted'):
        await _decrypt_queue_message('plain text', True, KeyWrapper('k'), None)


async def test_encryption_needs_a_complete_key():
    class Incomplete:
        def get_kid(self):
            return 'k'
    with pytest.raises(AttributeError, match='wrap_key'):
        await _encrypt_queue_message('x', Incomplete())
