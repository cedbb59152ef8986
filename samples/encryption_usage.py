"""Client-side encryption of blobs, queue messages and table entities, with asyncio.

    python samples/encryption_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING=... python samples/encryption_usage.py

(``./dev demo`` starts Azurite, the emulator, for the quickstart; any Azurite's connection
string works here too.)

The data is encrypted before it leaves the process, under a fresh AES-256 key per blob,
message or entity; that key is wrapped by your key-encryption key (KEK) and stored next to
the data. The format is the legacy SDK's, so both read each other's data.

The KEK and the key resolver are plain (synchronous) objects and functions, as in legacy.
A key kept in a key vault is reached asynchronously: fetch it before the calls (see
``fetch_key_from_vault``) and hand it over in a plain object. A coroutine hook is refused
with a TypeError naming it. Everything this sample creates it deletes again.
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


async def fetch_key_from_vault(kid):
    """Stands in for an asynchronous key vault client: awaited once, before the storage calls."""
    await asyncio.sleep(0)
    return LocalKeyWrapper(kid, os.urandom(32))


async def blobs(service, kek, container):
    service.key_encryption_key = kek
    service.require_encryption = True
    await service.create_blob_from_bytes(container, 'secret.txt', b'the plans')
    print('decrypted blob:', (await service.get_blob_to_bytes(container, 'secret.txt')).content)

    # Reading with a resolver: it picks the key by the id stored with the blob.
    reader_keys = {kek.get_kid(): kek}
    service.key_encryption_key = None
    service.key_resolver_function = reader_keys.get
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
    kek = await fetch_key_from_vault('local:sample-kek')
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
