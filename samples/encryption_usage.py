"""Client-side encryption of blobs, queue messages and table entities, with asyncio.

    python samples/encryption_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/encryption_usage.py

(``./dev demo`` starts Azurite, the emulator, for the quickstart; any Azurite's connection
string works here too.)

The data is encrypted before it leaves the process, under a fresh AES-256 key per blob,
message or entity; that key is wrapped by your key-encryption key (KEK) and stored next to
the data. The format is the legacy SDK's, so both read each other's data.

The KEK's methods and the key resolver may be plain functions, as in legacy, or coroutine
functions, which are awaited: a key kept in a key vault wraps and unwraps through the vault's
asynchronous client (``VaultKey`` stands in for one). Everything this sample creates it
deletes again.
"""
import asyncio
import os
import sys
import uuid

from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap

from azure.storage.blob import BlockBlobService
from azure.storage.queue import QueueService
from azure.storage.table import EdmType, EntityProperty, TableService


class LocalKeyWrapper:
    """A key-encryption key: AES key wrap (RFC 3394) with a 256-bit key held in memory."""

    def __init__(self, kid, key):
        self.kid = kid
        self.key = key

    def wrap_key(self, key):
        return aes_key_wrap(self.key, key)

    def unwrap_key(self, key, algorithm):
        if algorithm != 'A256KW':
            raise ValueError('unknown key wrap algorithm: ' + algorithm)
        return aes_key_unwrap(self.key, key)

    def get_key_wrap_algorithm(self):
        return 'A256KW'

    def get_kid(self):
        return self.kid


class VaultKey:
    """A key-encryption key that stays in a key vault, which wraps and unwraps on request.

    Stands in for an asynchronous key vault client: each ``await asyncio.sleep(0)`` is a
    round trip to the vault. Coroutine hooks are awaited; plain ones (the id, the algorithm)
    are called.
    """

    def __init__(self, kid):
        self._vault = LocalKeyWrapper(kid, os.urandom(32))

    async def wrap_key(self, key):
        await asyncio.sleep(0)
        return self._vault.wrap_key(key)

    async def unwrap_key(self, key, algorithm):
        await asyncio.sleep(0)
        return self._vault.unwrap_key(key, algorithm)

    def get_key_wrap_algorithm(self):
        return 'A256KW'

    def get_kid(self):
        return self._vault.kid


async def blobs(service, kek, container):
    service.key_encryption_key = kek
    service.require_encryption = True
    await service.create_blob_from_bytes(container, 'secret.txt', b'the plans')
    print('decrypted blob:', (await service.get_blob_to_bytes(container, 'secret.txt')).content)

    # Reading with a resolver: it picks the key by the id stored with the blob (it may be a
    # coroutine function too, e.g. one that looks the key up in a vault).
    reader_keys = {kek.get_kid(): kek}

    async def resolve(kid):
        await asyncio.sleep(0)
        return reader_keys.get(kid)

    service.key_encryption_key = None
    service.key_resolver_function = resolve
    print('via resolver:', (await service.get_blob_to_bytes(container, 'secret.txt')).content)

    service.key_resolver_function = None
    service.require_encryption = False
    at_rest = await service.get_blob_to_bytes(container, 'secret.txt')
    print('stored ciphertext:', at_rest.content[:16].hex(), '... (', len(at_rest.content), 'bytes )')


async def messages(service, kek, queue):
    service.key_encryption_key = kek
    await service.put_message(queue, 'meet at noon')
    print('decrypted message:', [m.content for m in await service.peek_messages(queue)])


async def entities(service, kek, table):
    service.key_encryption_key = kek
    # Which properties to encrypt: EntityProperty(..., encrypt=True), or this resolver.
    service.encryption_resolver_function = lambda partition_key, row_key, name: name == 'ssn'
    await service.insert_entity(table, {
        'PartitionKey': 'people', 'RowKey': '1', 'name': 'Ada', 'ssn': '123-45-6789',
        'pin': EntityProperty(EdmType.STRING, '0000', encrypt=True)})
    entity = await service.get_entity(table, 'people', '1')
    print('decrypted entity:', entity.name, entity.ssn, entity.pin)


async def main(connection_string):
    kek = VaultKey('local:sample-kek')
    suffix = uuid.uuid4().hex[:12]
    container, queue, table = 'encrypted-' + suffix, 'encrypted-' + suffix, 'encrypted' + suffix
    async with BlockBlobService(connection_string=connection_string) as blob_service, \
            QueueService(connection_string=connection_string) as queue_service, \
            TableService(connection_string=connection_string) as table_service:
        await blob_service.create_container(container)
        await queue_service.create_queue(queue)
        await table_service.create_table(table)
        try:
            await blobs(blob_service, kek, container)
            await messages(queue_service, kek, queue)
            await entities(table_service, kek, table)
        finally:
            await blob_service.delete_container(container)
            await queue_service.delete_queue(queue)
            await table_service.delete_table(table)
            print('deleted', container, queue, table)


if __name__ == '__main__':
    conn_str = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if not conn_str:
        sys.exit(__doc__)
    asyncio.run(main(conn_str))
