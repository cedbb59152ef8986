"""
Client-side envelope encryption of blobs, in the legacy SDK's format (protocol 1.0).

The content is encrypted with AES-256-CBC and PKCS7 padding under a random content key and
IV; the content key is wrapped by the caller's key-encryption-key and stored, with the IV,
as JSON in the blob's ``encryptiondata`` metadata. Blobs written by the legacy SDK decrypt
here and the other way round.
"""
import json
from collections import OrderedDict
from os import urandom

from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC
from cryptography.hazmat.primitives.padding import PKCS7

from azure.storage.common._common_conversion import _decode_base64_to_bytes, _encode_base64
from azure.storage.common._constants import _ENCRYPTION_PROTOCOL_V1
from azure.storage.common._error import (
    _ERROR_DATA_NOT_ENCRYPTED,
    _ERROR_INVALID_KID,
    _ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM,
    _ERROR_UNSUPPORTED_ENCRYPTION_VERSION,
    _validate_key_encryption_key_unwrap,
    _validate_key_encryption_key_wrap,
    _validate_not_none,
)

from ._constants import __version__

_AES_CBC_256 = 'AES_CBC_256'
_ENCRYPTION_DATA_METADATA = 'encryptiondata'
_AES_BLOCK = 16


def _aes_cbc_cipher(content_encryption_key, initialization_vector):
    return Cipher(AES(content_encryption_key), CBC(initialization_vector))


def _generate_encryption_data_dict(key_encryption_key, content_encryption_key, initialization_vector):
    """The encryption metadata of a blob, its content key wrapped by ``key_encryption_key``."""
    wrapped_key = OrderedDict()
    wrapped_key['KeyId'] = key_encryption_key.get_kid()
    wrapped_key['EncryptedKey'] = _encode_base64(key_encryption_key.wrap_key(content_encryption_key))
    wrapped_key['Algorithm'] = key_encryption_key.get_key_wrap_algorithm()
    agent = OrderedDict()
    agent['Protocol'] = _ENCRYPTION_PROTOCOL_V1
    agent['EncryptionAlgorithm'] = _AES_CBC_256
    data = OrderedDict()
    data['WrappedContentKey'] = wrapped_key
    data['EncryptionAgent'] = agent
    data['ContentEncryptionIV'] = _encode_base64(initialization_vector)
    data['KeyWrappingMetadata'] = {'EncryptionLibrary': 'Python ' + __version__}
    data['EncryptionMode'] = 'FullBlob'
    return data


def _generate_blob_encryption_data(key_encryption_key):
    """A new content key and IV, and the JSON metadata that stores them wrapped (all None without a key)."""
    if not key_encryption_key:
        return None, None, None
    _validate_key_encryption_key_wrap(key_encryption_key)
    content_encryption_key = urandom(32)
    initialization_vector = urandom(_AES_BLOCK)
    encryption_data = _generate_encryption_data_dict(key_encryption_key, content_encryption_key,
                                                     initialization_vector)
    return content_encryption_key, initialization_vector, json.dumps(encryption_data)


def _encrypt_blob(blob, key_encryption_key):
    """``(encryption metadata JSON, ciphertext)`` of a whole blob."""
    _validate_not_none('blob', blob)
    _validate_not_none('key_encryption_key', key_encryption_key)
    content_encryption_key, initialization_vector, encryption_data = \
        _generate_blob_encryption_data(key_encryption_key)
    padder = PKCS7(128).padder()
    encryptor = _aes_cbc_cipher(content_encryption_key, initialization_vector).encryptor()
    padded = padder.update(blob) + padder.finalize()
    return encryption_data, encryptor.update(padded) + encryptor.finalize()


def _get_blob_encryptor_and_padder(content_encryption_key, initialization_vector, should_pad):
    """A streaming encryptor (and padder) for chunked uploads, or (None, None) without encryption."""
    if content_encryption_key is None or initialization_vector is None:
        return None, None
    encryptor = _aes_cbc_cipher(content_encryption_key, initialization_vector).encryptor()
    return encryptor, PKCS7(128).padder() if should_pad else None


def _encryption_data_header(headers):
    for name, value in headers.items():
        if name.lower() == 'x-ms-meta-' + _ENCRYPTION_DATA_METADATA:
            return value
    return None


def _unwrap_content_key(encryption_data, key_encryption_key, key_resolver):
    """The content key of a blob, unwrapped with the resolved (or given) key-encryption-key."""
    agent = encryption_data.get('EncryptionAgent') or {}
    if agent.get('Protocol') != _ENCRYPTION_PROTOCOL_V1:
        raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_VERSION)
    if agent.get('EncryptionAlgorithm') != _AES_CBC_256:
        raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM)
    wrapped = encryption_data['WrappedContentKey']
    if key_resolver is not None:
        key_encryption_key = key_resolver(wrapped['KeyId'])
    _validate_not_none('key_encryption_key', key_encryption_key)
    _validate_key_encryption_key_unwrap(key_encryption_key)
    if wrapped['KeyId'] != key_encryption_key.get_kid():
        raise ValueError(_ERROR_INVALID_KID)
    content_encryption_key = key_encryption_key.unwrap_key(_decode_base64_to_bytes(wrapped['EncryptedKey']),
                                                           wrapped['Algorithm'])
    _validate_not_none('content_encryption_key', content_encryption_key)
    return content_encryption_key


def _decrypt_blob(require_encryption, key_encryption_key, key_resolver, response, start_offset, end_offset):
    """
    The plaintext of a (possibly ranged) download of an encrypted blob.

    A ranged read was widened to whole AES blocks by the caller, and by one block more in
    front when it does not start at 0: that block is the IV of the rest. ``start_offset`` and
    ``end_offset`` are how many plaintext bytes to drop at each end afterwards. Blobs without
    encryption metadata are returned as they are, unless encryption is required.
    """
    content = response.body
    _validate_not_none('content', content)
    text = _encryption_data_header(response.headers)
    if text is None:
        if require_encryption:
            raise ValueError(_ERROR_DATA_NOT_ENCRYPTED)
        return content
    encryption_data = json.loads(text)
    initialization_vector = _decode_base64_to_bytes(encryption_data['ContentEncryptionIV'])
    unpad = True
    content_range = response.headers.get('content-range')
    if content_range is not None:
        # 'bytes <start>-<end>/<size>'
        span, _, size = content_range.split(' ', 1)[1].partition('/')
        end = int(span.split('-')[1])
        if start_offset >= _AES_BLOCK:
            initialization_vector = content[:_AES_BLOCK]
            content = content[_AES_BLOCK:]
            start_offset -= _AES_BLOCK
        unpad = end == int(size) - 1
    if response.headers.get('x-ms-blob-type') == 'PageBlob':
        unpad = False
    content_encryption_key = _unwrap_content_key(encryption_data, key_encryption_key, key_resolver)
    decryptor = _aes_cbc_cipher(content_encryption_key, initialization_vector).decryptor()
    content = decryptor.update(content) + decryptor.finalize()
    if unpad:
        unpadder = PKCS7(128).unpadder()
        content = unpadder.update(content) + unpadder.finalize()
    return content[start_offset:len(content) - end_offset]
