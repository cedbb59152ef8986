"""Client-side encryption of block blobs: whole and chunked uploads, ranged and chunked downloads."""
import base64
import json
import os
import threading

import pytest
from azure.common import AzureException

from azure.storage.blob import BlockBlobService
from azure.storage.blob import _encryption
from azure.storage.blob._upload_chunking import _BlobChunkUploader
from testkit import AsyncKeyWrapper, KeyWrapper

MiB = 1024 * 1024

# A blob the legacy SDK (azure-storage-blob 2.1.0) encrypted, its key wrapped with LEGACY_KEY (A256KW).
LEGACY_PLAINTEXT = b'Legacy SDK encrypted this blob: ' + bytes(range(40))
LEGACY_ENCRYPTION_DATA = (
    '{"WrappedContentKey": {"KeyId": "local:kek-1", "EncryptedKey": '
    '"pJTfajjyl12j/IRbYTaar6Ja/zAOTIeDTgLnYPbwweZtcl6CWvKsbg==", "Algorithm": "A256KW"}, '
    '"EncryptionAgent": {"Protocol": "1.0", "EncryptionAlgorithm": "AES_CBC_256"}, '
    '"ContentEncryptionIV": "RZicdOK3+ielLPAUKA/UFw==", "KeyWrappingMetadata": '
    '{"EncryptionLibrary": "Python 2.1.0"}, "EncryptionMode": "FullBlob"}')
LEGACY_CIPHERTEXT = base64.b64decode(
    'IB0Wvp3XnhoI/ViLg2Oo5LXJ1tzTqz39qdSvVHGd5Mx9SQO3ofzuurRRnOrPcvVfUiOcv/zTG7psWLepN3UvanFg9J8wkWoNruOcAG52pk8=')


LEGACY_KEY = bytes(range(32))


@pytest.fixture
async def encrypting(make_service, connection_string, key_wrapper):
    """A service that encrypts with a fresh key-encryption-key and requires encryption."""
    async with make_service(connection_string=connection_string) as blob_service:
        blob_service.key_encryption_key = key_wrapper('local:kek-test')
        blob_service.require_encryption = True
        yield blob_service


async def test_single_put_is_encrypted_at_rest(service, encrypting, container):
    data = b'secret message'
    await encrypting.create_blob_from_bytes(container, 'secret', data, metadata={'visible': 'yes'})
    stored = await service.get_blob_to_bytes(container, 'secret')
    assert stored.content != data and len(stored.content) == 16
    envelope = json.loads(stored.metadata['encryptiondata'])
    assert envelope['EncryptionMode'] == 'FullBlob'
    assert envelope['WrappedContentKey']['KeyId'] == 'local:kek-test'
    assert stored.metadata['visible'] == 'yes'
    assert (await encrypting.get_blob_to_bytes(container, 'secret')).content == data
    assert (await encrypting.get_blob_to_text(container, 'secret', start_range=3, end_range=8)).content == 'ret me'


async def test_chunked_upload_and_download_decrypt_every_range(encrypting, container, small_chunks):
    small_chunks(encrypting)
    data = os.urandom(MiB + 333)
    await encrypting.create_blob_from_bytes(container, 'chunked', data, max_connections=4)
    assert (await encrypting.get_blob_to_bytes(container, 'chunked', max_connections=4)).content == data
    assert (await encrypting.get_blob_to_bytes(container, 'chunked', max_connections=1)).content == data
    # The last ones start off a 16-byte boundary and run to the end (or past it) within the
    # first request: the service stops at the blob's end, short of the range asked for.
    for start, end in ((0, 0), (5, 40), (15, 16), (64 * 1024 - 3, 128 * 1024 + 17), (len(data) - 20, len(data) - 1),
                       (700 * 1024, None), (len(data) - 1, None), (len(data) - 100, len(data) + 100),
                       (len(data) - 64 * 1024 - 7, None)):
        progress = []
        blob = await encrypting.get_blob_to_bytes(container, 'chunked', start_range=start, end_range=end,
                                                  max_connections=3, progress_callback=lambda *a: progress.append(a))
        expected = data[start:None if end is None else end + 1]
        assert blob.content == expected, (start, end)
        # Progress never passes its total: a range is longer on the wire than in plaintext.
        assert all(current <= total for current, total in progress), (start, end, progress)
        assert progress[-1][0] >= len(expected), (start, end)
        assert [current for current, _ in progress] == sorted(current for current, _ in progress)


async def test_large_ranges_are_encrypted_and_decrypted_off_the_loop(encrypting, container, monkeypatch):
    # Over 1 MiB, AES work would stall the loop noticeably: it runs in worker threads.
    # The key hooks run on the loop (they may be coroutine functions), before the AES work.
    threads = []
    transform = _BlobChunkUploader._transform
    decrypt = _encryption._decrypt_content
    unwrap = encrypting.key_encryption_key.unwrap_key

    def recording_transform(uploader, data, last):
        threads.append(('encrypt', threading.current_thread()))
        return transform(uploader, data, last)

    def recording_decrypt(*args):
        threads.append(('decrypt', threading.current_thread()))
        return decrypt(*args)

    def recording_unwrap(key, algorithm):
        assert threading.current_thread() is threading.main_thread()
        return unwrap(key, algorithm)

    monkeypatch.setattr(_BlobChunkUploader, '_transform', recording_transform)
    monkeypatch.setattr(_encryption, '_decrypt_content', recording_decrypt)
    monkeypatch.setattr(encrypting.key_encryption_key, 'unwrap_key', recording_unwrap)
    for size in ('MAX_SINGLE_PUT_SIZE', 'MAX_BLOCK_SIZE', 'MAX_SINGLE_GET_SIZE', 'MAX_CHUNK_GET_SIZE'):
        setattr(encrypting, size, 2 * MiB)
    data = os.urandom(5 * MiB + 1000)
    await encrypting.create_blob_from_bytes(container, 'large', data, max_connections=2)
    assert (await encrypting.get_blob_to_bytes(container, 'large', max_connections=2)).content == data
    assert [kind for kind, _ in threads] == ['encrypt'] * 3 + ['decrypt'] * 3
    assert all(thread is not threading.main_thread() for _, thread in threads)


async def test_coroutine_key_hooks_are_awaited(service, container, small_chunks):
    # A key held in a key vault is only reachable asynchronously.
    kek = AsyncKeyWrapper('local:kek-vault')
    small_chunks(service)
    service.key_encryption_key = kek
    data = os.urandom(MiB + 333)
    await service.create_blob_from_bytes(container, 'single', b'secret message')
    await service.create_blob_from_bytes(container, 'chunked', data, max_connections=3)
    assert kek.calls == ['get_kid', 'wrap_key', 'get_key_wrap_algorithm'] * 2

    kek.calls.clear()
    assert (await service.get_blob_to_bytes(container, 'single')).content == b'secret message'
    assert kek.calls == ['get_kid', 'unwrap_key']
    assert (await service.get_blob_to_bytes(container, 'chunked', max_connections=3)).content == data
    ranged = await service.get_blob_to_bytes(container, 'chunked', start_range=70000, end_range=300000,
                                             max_connections=3)
    assert ranged.content == data[70000:300001]

    service.key_encryption_key = None
    service.key_resolver_function = kek.resolver()
    kek.calls.clear()
    assert (await service.get_blob_to_text(container, 'single', start_range=3, end_range=8)).content == 'ret me'
    assert kek.calls == ['resolve', 'get_kid', 'unwrap_key']
    # What was written is the legacy format: the same key behind plain functions reads it.
    service.key_resolver_function = None
    service.key_encryption_key = KeyWrapper('local:kek-vault', kek.key)
    assert (await service.get_blob_to_bytes(container, 'chunked')).content == data


@pytest.mark.parametrize('max_connections', [1, 4])
async def test_a_chunked_download_unwraps_its_content_key_once(service, container, small_chunks, max_connections):
    # With a key vault every unwrap is a network call: once per download, not once per range.
    kek = AsyncKeyWrapper('local:kek-vault')
    small_chunks(service)
    service.key_encryption_key = kek
    data = os.urandom(MiB + 333)
    await service.create_blob_from_bytes(container, 'chunked', data, max_connections=3)
    gets = []
    service.request_callback = lambda request: gets.append(request.method)

    kek.calls.clear()
    assert (await service.get_blob_to_bytes(container, 'chunked', max_connections=max_connections)).content == data
    assert gets.count('GET') == 16  # 128 KiB, then 64 KiB ranges of the padded MiB + 336 bytes
    assert kek.calls == ['get_kid', 'unwrap_key']

    # Never kept across calls: the next download unwraps again, here through the resolver.
    service.key_encryption_key = None
    service.key_resolver_function = kek.resolver()
    kek.calls.clear()
    ranged = await service.get_blob_to_bytes(container, 'chunked', start_range=70000, end_range=900000,
                                             max_connections=max_connections)
    assert ranged.content == data[70000:900001]
    assert kek.calls == ['resolve', 'get_kid', 'unwrap_key']


@pytest.mark.parametrize('wrong_key', [KeyWrapper('local:kek-vault'), KeyWrapper('local:kek-other')],
                         ids=['other key material', 'other kid'])
async def test_a_chunked_download_with_a_wrong_key_fails(service, container, small_chunks, tmp_path, wrong_key):
    small_chunks(service)
    service.key_encryption_key = KeyWrapper('local:kek-vault')
    await service.create_blob_from_bytes(container, 'chunked', os.urandom(MiB + 333))
    service.key_encryption_key = wrong_key
    path = tmp_path / 'target.bin'
    path.write_bytes(b'keep me')
    with pytest.raises(AzureException, match='Decryption failed'):
        await service.get_blob_to_path(container, 'chunked', str(path), max_connections=4)
    assert path.read_bytes() == b'keep me'


async def test_resolver_picks_the_key(service, container, key_wrapper):
    kek = key_wrapper('local:kek-a')
    service.key_encryption_key = kek
    await service.create_blob_from_text(container, 'resolved', 'resolved by id')
    service.key_encryption_key = None
    service.key_resolver_function = {'local:kek-a': kek}.get
    assert (await service.get_blob_to_text(container, 'resolved')).content == 'resolved by id'
    service.key_resolver_function = {'local:kek-a': key_wrapper('local:kek-other')}.get
    with pytest.raises(AzureException, match='Decryption failed'):
        await service.get_blob_to_text(container, 'resolved')


async def test_unencrypted_blob_with_require_encryption_fails(service, encrypting, container):
    await service.create_blob_from_bytes(container, 'plain', b'plain text')
    with pytest.raises(AzureException, match='Decryption failed'):
        await encrypting.get_blob_to_bytes(container, 'plain')
    encrypting.require_encryption = False
    assert (await encrypting.get_blob_to_bytes(container, 'plain')).content == b'plain text'


async def test_blob_encrypted_by_the_legacy_sdk(service, container, key_wrapper):
    await service.create_blob_from_bytes(container, 'legacy', LEGACY_CIPHERTEXT,
                                         metadata={'encryptiondata': LEGACY_ENCRYPTION_DATA})
    service.key_encryption_key = key_wrapper('local:kek-1', LEGACY_KEY)
    assert (await service.get_blob_to_bytes(container, 'legacy')).content == LEGACY_PLAINTEXT
    assert (await service.get_blob_to_bytes(container, 'legacy', start_range=30, end_range=50)).content == \
        LEGACY_PLAINTEXT[30:51]


async def test_encryption_needs_a_complete_key(offline_service):
    class Incomplete:
        def get_kid(self):
            return 'kid'

    offline_service.key_encryption_key = Incomplete()
    with pytest.raises(AttributeError, match='wrap_key'):
        await offline_service.create_blob_from_bytes('c', 'b', b'x')


def test_services_start_without_encryption():
    blob_service = BlockBlobService(account_name='a', account_key=base64.b64encode(b'k').decode())
    assert (blob_service.require_encryption, blob_service.key_encryption_key,
            blob_service.key_resolver_function) == (False, None, None)
