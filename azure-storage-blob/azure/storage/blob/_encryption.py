"""
Client-side envelope encryption of blobs, in the legacy SDK's format (protocol 1.0).

The content is encrypted with AES-256-CBC and PKCS7 padding under a random content key and
IV (the envelope itself is common to every service, see azure.storage.common._encryption);
a blob keeps the envelope as JSON in its ``encryptiondata`` metadata, with
``EncryptionMode: FullBlob``. Blobs written by the legacy SDK decrypt here and the other way
round. Uploads in chunks encrypt as a stream, chunk after chunk, and ranged downloads
decrypt just the AES blocks they cover.

The key hooks may be coroutine functions: the content key is wrapped or unwrapped on the
loop, awaited, before the CPU work on the content (in a worker thread when it is large).
"""
import json
from os import urandom

from cryptography.hazmat.primitives.padding import PKCS7

from azure.storage.common._common_conversion import _decode_base64_to_bytes
from azure.storage.common._encryption import (
    _aes_cbc_cipher,
    _aes_cbc_encrypt,
    _encryption_data_dict,
    _unwrap_content_key,
    _validate_encryption_agent,
)
from azure.storage.common._error import (
    _ERROR_DATA_NOT_ENCRYPTED,
    _validate_key_encryption_key_wrap,
    _validate_not_none,
)

from ._async_io import _process_data

_ENCRYPTION_DATA_HEADER = 'x-ms-meta-encryptiondata'
_AES_BLOCK = 16


async def _generate_blob_encryption_data(key_encryption_key):
    """
    A new content key and IV, and the JSON metadata that keeps them (the key wrapped by
    ``key_encryption_key``); all None without a key-encryption-key.
    """
    if not key_encryption_key:
        return None, None, None
    _validate_key_encryption_key_wrap(key_encryption_key)
    content_encryption_key = urandom(32)
    initialization_vector = urandom(_AES_BLOCK)
    encryption_data = await _encryption_data_dict(key_encryption_key, content_encryption_key, initialization_vector)
    encryption_data['EncryptionMode'] = 'FullBlob'
    return content_encryption_key, initialization_vector, json.dumps(encryption_data)


async def _encrypt_blob(blob, key_encryption_key):
    """``(encryption metadata JSON, ciphertext)`` of a whole blob."""
    _validate_not_none('blob', blob)
    _validate_not_none('key_encryption_key', key_encryption_key)
    content_encryption_key, initialization_vector, encryption_data = \
        await _generate_blob_encryption_data(key_encryption_key)
    return encryption_data, await _process_data(_encrypt_content, blob, content_encryption_key, initialization_vector)


def _encrypt_content(blob, content_encryption_key, initialization_vector):
    return _aes_cbc_encrypt(content_encryption_key, initialization_vector, blob)


def _get_blob_encryptor_and_padder(content_encryption_key, initialization_vector, should_pad):
    """A streaming encryptor (and padder) for chunked uploads, or (None, None) without encryption."""
    if content_encryption_key is None or initialization_vector is None:
        return None, None
    encryptor = _aes_cbc_cipher(content_encryption_key, initialization_vector).encryptor()
    return encryptor, PKCS7(128).padder() if should_pad else None


def _encryption_data_header(headers):
    for name, value in headers.items():
        if name.lower() == _ENCRYPTION_DATA_HEADER:
            return value
    return None


async def _decrypt_blob(content, headers, require_encryption, key_encryption_key, key_resolver, start_offset,
                        end_offset, end_range=None, content_keys=None):
    """
    The plaintext of the ``content`` of a (possibly ranged) download of an encrypted blob,
    whose response had ``headers``.

    A ranged read was widened to whole AES blocks by the caller, and by one block more in
    front when it does not start at 0: that block is the IV of the rest. ``start_offset`` and
    ``end_offset`` are how many plaintext bytes to drop at each end afterwards; ``end_range``
    is the last byte asked for (widened). Blobs without encryption metadata are returned as
    they are, unless encryption is required. ``content_keys`` (a dict, or None) keeps the
    content keys the operation has unwrapped, by envelope: an envelope seen before is not
    unwrapped again.
    """
    _validate_not_none('content', content)
    text = _encryption_data_header(headers)
    if text is None:
        if require_encryption:
            raise ValueError(_ERROR_DATA_NOT_ENCRYPTED)
        return content
    encryption_data = json.loads(text)
    _validate_encryption_agent(encryption_data)
    content_encryption_key = content_keys.get(text) if content_keys is not None else None
    if content_encryption_key is None:
        content_encryption_key = await _unwrap_content_key(encryption_data, key_encryption_key, key_resolver)
        if content_keys is not None:
            content_keys[text] = content_encryption_key
    return await _process_data(_decrypt_content, content, headers, content_encryption_key,
                               _decode_base64_to_bytes(encryption_data['ContentEncryptionIV']),
                               start_offset, end_offset, end_range)


def _decrypt_content(content, headers, content_encryption_key, initialization_vector, start_offset, end_offset,
                     end_range):
    """The CPU-bound part of :func:`_decrypt_blob`, once the content key is known."""
    unpad = True
    content_range = headers.get('content-range')
    if content_range is not None:
        # 'bytes <start>-<end>/<size>'
        span, _, size = content_range.split(' ', 1)[1].partition('/')
        if start_offset >= _AES_BLOCK:
            initialization_vector = content[:_AES_BLOCK]
            content = content[_AES_BLOCK:]
            start_offset -= _AES_BLOCK
        last = int(span.split('-')[1])
        unpad = last == int(size) - 1
        if end_range is not None and last < end_range:
            # The service cut the range short at the blob's end: everything up to it was
            # asked for, and unpadding drops the padding.
            end_offset = 0
    if headers.get('x-ms-blob-type') == 'PageBlob':
        unpad = False
    decryptor = _aes_cbc_cipher(content_encryption_key, initialization_vector).decryptor()
    content = decryptor.update(content) + decryptor.finalize()
    # The offsets count from the ends of whole blocks, padding included.
    end = len(content) - end_offset
    if unpad:
        unpadder = PKCS7(128).unpadder()
        content = unpadder.update(content) + unpadder.finalize()
    return content[start_offset:end]
