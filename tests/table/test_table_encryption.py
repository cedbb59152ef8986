"""Client-side entity encryption: round trips on the service, key resolution, failures, Java v1 entities."""
import base64
import hashlib
import json
import os

import pytest
from azure.common import AzureException
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC
from cryptography.hazmat.primitives.padding import PKCS7

from azure.storage.table import EdmType, EntityProperty, TableBatch
from azure.storage.table._encryption import _EntityDecryptor, _encrypt_entity
from testkit import AsyncKeyWrapper, KeyWrapper


def secret_entity(row_key='r'):
    return {'PartitionKey': 'p', 'RowKey': row_key, 'secret': EntityProperty(EdmType.STRING, 'top secret', True),
            'resolved': 'by resolver', 'plain': 'visible', 'number': 5}


def only_resolved(partition_key, row_key, name):
    return name == 'resolved'


@pytest.fixture
def kek():
    return KeyWrapper()


@pytest.fixture
def encrypting_service(table_service, kek):
    table_service.key_encryption_key = kek
    table_service.encryption_resolver_function = only_resolved
    return table_service


async def test_round_trip_and_ciphertext_at_rest(encrypting_service, table_name, kek):
    await encrypting_service.insert_entity(table_name, secret_entity())
    entity = await encrypting_service.get_entity(table_name, 'p', 'r')
    assert (entity.secret, entity.resolved, entity.plain, entity.number) == (
        'top secret', 'by resolver', 'visible', 5)
    assert '_ClientEncryptionMetadata1' not in entity and '_ClientEncryptionMetadata2' not in entity

    selected = await encrypting_service.get_entity(table_name, 'p', 'r', select='secret')
    assert selected.secret == 'top secret' and 'plain' not in selected

    encrypting_service.key_encryption_key = None
    at_rest = await encrypting_service.get_entity(table_name, 'p', 'r')
    assert at_rest.secret.type == EdmType.BINARY and b'top secret' not in at_rest.secret.value
    assert at_rest.resolved.type == EdmType.BINARY and at_rest.plain == 'visible'
    assert json.loads(at_rest['_ClientEncryptionMetadata1'])['WrappedContentKey']['KeyId'] == 'key1'

    encrypting_service.key_resolver_function = {'key1': kek}.get
    assert (await encrypting_service.get_entity(table_name, 'p', 'r')).secret == 'top secret'


async def test_query_and_upsert_and_batch(encrypting_service, table_name):
    await encrypting_service.insert_or_replace_entity(table_name, secret_entity('1'))
    await encrypting_service.update_entity(table_name, secret_entity('1'))
    async with encrypting_service.batch(table_name) as batch:
        batch.insert_entity(secret_entity('2'))
        batch.insert_or_replace_entity(secret_entity('3'))
    entities = [entity async for entity in encrypting_service.query_entities(table_name, select='secret')]
    assert [(entity.RowKey, entity.secret) for entity in entities] == [
        ('1', 'top secret'), ('2', 'top secret'), ('3', 'top secret')]
    assert all('plain' not in entity for entity in entities)


async def test_decryption_failures(encrypting_service, table_name):
    await encrypting_service.insert_entity(table_name, secret_entity())
    encrypting_service.key_encryption_key = KeyWrapper('other')
    with pytest.raises(AzureException, match='Decryption failed'):
        await encrypting_service.get_entity(table_name, 'p', 'r')

    encrypting_service.key_encryption_key = None
    await encrypting_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'clear'})
    encrypting_service.require_encryption = True
    encrypting_service.key_resolver_function = lambda kid: None
    with pytest.raises(AzureException, match='Decryption failed'):
        await encrypting_service.get_entity(table_name, 'p', 'clear')


async def test_encryption_input_errors_before_any_request(offline_service, kek):
    offline_service.require_encryption = True
    with pytest.raises(ValueError, match='Encryption required'):
        await offline_service.insert_entity('t1', secret_entity())
    offline_service.key_encryption_key = kek
    with pytest.raises(ValueError, match='not supported'):
        await offline_service.merge_entity('t1', secret_entity())
    with pytest.raises(ValueError, match='not supported'):
        await offline_service.insert_or_merge_entity('t1', secret_entity())
    with pytest.raises(ValueError, match='only supported for not None strings'):
        await offline_service.insert_entity('t1', {'PartitionKey': 'p', 'RowKey': 'r',
                                                   'n': EntityProperty(EdmType.INT32, 1, True)})
    with pytest.raises(AttributeError, match='wrap_key'):
        TableBatch(key_encryption_key=object()).insert_entity(secret_entity())
    with pytest.raises(ValueError, match='not supported'):
        TableBatch(key_encryption_key=kek).merge_entity(secret_entity())


async def test_encrypted_entity_layout(kek):
    encrypted = json.loads(await _encrypt_entity(secret_entity(), kek, only_resolved).to_json())
    assert encrypted['secret@odata.type'] == encrypted['resolved@odata.type'] == 'Edm.Binary'
    assert encrypted['_ClientEncryptionMetadata2@odata.type'] == 'Edm.Binary'
    metadata = json.loads(encrypted['_ClientEncryptionMetadata1'])
    assert list(metadata) == ['WrappedContentKey', 'EncryptionAgent', 'ContentEncryptionIV', 'KeyWrappingMetadata']
    assert metadata['EncryptionAgent'] == {'Protocol': '1.0', 'EncryptionAlgorithm': 'AES_CBC_256'}
    assert metadata['WrappedContentKey']['Algorithm'] == 'A256KW'
    decrypted = await _EntityDecryptor(True, kek, None)(encrypted, None)
    assert decrypted.secret == 'top secret' and decrypted.resolved == 'by resolver'


def aes_cbc(key, iv, plain):
    padder = PKCS7(128).padder()
    encryptor = Cipher(AES(key), CBC(iv)).encryptor()
    return encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()


async def test_reads_entities_written_by_the_java_v1_library(kek):
    # Java v1 derived property IVs from partition key + row key (not row key + partition key)
    # and wrote the list of encrypted properties as '[a, b]'.
    cek, entity_iv = os.urandom(32), os.urandom(16)

    def iv(name):
        return hashlib.sha256(entity_iv + ('p' + 'r' + name).encode('utf-8')).digest()[:16]

    def b64(data):
        return base64.b64encode(data).decode()

    element = {
        'PartitionKey': 'p', 'RowKey': 'r',
        'a@odata.type': 'Edm.Binary', 'a': b64(aes_cbc(cek, iv('a'), 'alpha'.encode())),
        'b@odata.type': 'Edm.Binary', 'b': b64(aes_cbc(cek, iv('b'), 'béta'.encode())),
        '_ClientEncryptionMetadata2@odata.type': 'Edm.Binary',
        '_ClientEncryptionMetadata2': b64(aes_cbc(cek, iv('_ClientEncryptionMetadata2'), b'[a, b]')),
        '_ClientEncryptionMetadata1': json.dumps({
            'WrappedContentKey': {'KeyId': 'key1', 'EncryptedKey': b64(kek.wrap_key(cek)), 'Algorithm': 'A256KW'},
            'EncryptionAgent': {'Protocol': '1.0', 'EncryptionAlgorithm': 'AES_CBC_256'},
            'ContentEncryptionIV': b64(entity_iv),
            'KeyWrappingMetadata': {'EncryptionLibrary': 'Java 0.1.0'}}),
    }
    entity = await _EntityDecryptor(False, kek, None)(element, None)
    assert (entity.a, entity.b) == ('alpha', 'béta') and '_ClientEncryptionMetadata1' not in entity


async def test_coroutine_key_hooks_are_awaited(table_service, table_name):
    # A key held in a key vault is only reachable asynchronously.
    kek = AsyncKeyWrapper()
    table_service.key_encryption_key = kek
    table_service.encryption_resolver_function = only_resolved
    await table_service.insert_entity(table_name, secret_entity('1'))
    async with table_service.batch(table_name) as batch:
        batch.insert_entity(secret_entity('2'))
        batch.insert_or_replace_entity(secret_entity('3'))
        # Nothing is wrapped before the commit: batch methods are synchronous.
        assert kek.calls == ['get_kid', 'wrap_key', 'get_key_wrap_algorithm']
    batch = TableBatch(key_encryption_key=kek, encryption_resolver=only_resolved)
    changed = secret_entity('1')
    batch.update_entity(changed)
    changed['plain'] = 'changed after the batch took it'
    await table_service.commit_batch(table_name, batch)
    assert kek.calls == ['get_kid', 'wrap_key', 'get_key_wrap_algorithm'] * 4

    kek.calls.clear()
    entity = await table_service.get_entity(table_name, 'p', '2')
    assert (entity.secret, entity.resolved, entity.plain) == ('top secret', 'by resolver', 'visible')
    assert kek.calls == ['get_kid', 'unwrap_key']
    page = await table_service.query_entities(table_name)
    entities = [entity async for entity in table_service.query_entities(table_name, filter="RowKey ge '2'")]
    assert [(e.RowKey, e.secret, e.resolved, e.plain) for e in page.items] == [
        (row_key, 'top secret', 'by resolver', 'visible') for row_key in '123']
    assert [e.RowKey for e in entities] == ['2', '3']

    table_service.key_encryption_key = None
    table_service.key_resolver_function = kek.resolver()
    kek.calls.clear()
    assert (await table_service.get_entity(table_name, 'p', '3')).secret == 'top secret'
    assert kek.calls == ['resolve', 'get_kid', 'unwrap_key']
    # At rest in the legacy format: the same key behind plain functions reads it.
    table_service.key_resolver_function = None
    table_service.key_encryption_key = KeyWrapper(kek.kid, kek.key)
    assert (await table_service.get_entity(table_name, 'p', '1')).secret == 'top secret'


@pytest.mark.parametrize('select', ['PartitionKey,RowKey,secret', 'secret, RowKey', 'secret'])
async def test_the_encrypted_query_selects_each_name_once(encrypting_service, table_name, select):
    await encrypting_service.insert_entity(table_name, secret_entity())
    sent = []
    encrypting_service.request_callback = sent.append
    entities = [entity async for entity in encrypting_service.query_entities(table_name, select=select)]
    assert [entity.secret for entity in entities] == ['top secret']
    names = sent[0].query['$select'].split(',')
    assert sorted(names) == sorted(set(names))
    assert set(names) == {'PartitionKey', 'RowKey', 'secret', '_ClientEncryptionMetadata1',
                          '_ClientEncryptionMetadata2'}
