"""Client-side encryption of queue messages: the legacy envelope format, version 1.0.

A message is encrypted with a fresh AES-256 key (the content-encryption key) in CBC mode
with PKCS7 padding; that key is wrapped by the user's key-encryption key, and the result
is the JSON document every Azure Storage client library reads::

    {"EncryptedMessageContents": "<base64>",
     "EncryptionData": {"WrappedContentKey": {"KeyId": ..., "EncryptedKey": ..., "Algorithm": ...},
                        "EncryptionAgent": {"Protocol": "1.0", "EncryptionAlgorithm": "AES_CBC_256"},
                        "ContentEncryptionIV": "<base64>",
                        "KeyWrappingMetadata": {"EncryptionLibrary": "Python 2.1.0"}}}

Key order follows the legacy library (other languages' readers expect it).
"""
import json
import os

from azure.common import AzureException
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC
from cryptography.hazmat.primitives.padding import PKCS7

from azure.storage.common._common_conversion import _decode_base64_to_bytes, _encode_base64
from azure.storage.common._constants import _ENCRYPTION_PROTOCOL_V1
from azure.storage.common._constants import __version__ as _common_version
from azure.storage.common._error import (
    _ERROR_DECRYPTION_FAILURE,
    _ERROR_INVALID_KID,
    _ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM,
    _ERROR_UNSUPPORTED_ENCRYPTION_VERSION,
    _validate_key_encryption_key_unwrap,
    _validate_key_encryption_key_wrap,
    _validate_not_none,
)

from ._error import _ERROR_MESSAGE_NOT_ENCRYPTED

_AES_CBC_256 = 'AES_CBC_256'
_KEY_BYTES = 32
_BLOCK_BITS = 128


class _EncryptionData:
    """What a reader needs from the envelope: the IV, the algorithm and the wrapped key."""

    def __init__(self, iv, protocol, algorithm, wrapped_key, key_id, key_wrap_algorithm):
        self.content_encryption_IV = iv
        self.protocol = protocol
        self.encryption_algorithm = algorithm
        self.encrypted_key = wrapped_key
        self.key_id = key_id
        self.key_wrap_algorithm = key_wrap_algorithm


def _aes_cbc(key, iv):
    return Cipher(AES(key), CBC(iv))


def _encryption_data_dict(key_encryption_key, content_key, iv):
    return {
        'WrappedContentKey': {
            'KeyId': key_encryption_key.get_kid(),
            'EncryptedKey': _encode_base64(key_encryption_key.wrap_key(content_key)),
            'Algorithm': key_encryption_key.get_key_wrap_algorithm(),
        },
        'EncryptionAgent': {
            'Protocol': _ENCRYPTION_PROTOCOL_V1,
            'EncryptionAlgorithm': _AES_CBC_256,
        },
        'ContentEncryptionIV': _encode_base64(iv),
        'KeyWrappingMetadata': {'EncryptionLibrary': 'Python ' + _common_version},
    }


def _encryption_data_from_dict(data):
    """Read the envelope's EncryptionData; KeyError or ValueError when it is not one."""
    agent = data['EncryptionAgent']
    if agent.get('Protocol') != _ENCRYPTION_PROTOCOL_V1:
        raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_VERSION)
    wrapped = data['WrappedContentKey']
    return _EncryptionData(
        _decode_base64_to_bytes(data['ContentEncryptionIV']),
        agent['Protocol'],
        agent['EncryptionAlgorithm'],
        _decode_base64_to_bytes(wrapped['EncryptedKey']),
        wrapped['KeyId'],
        wrapped['Algorithm'],
    )


def _unwrap_content_key(encryption_data, key_encryption_key, resolver):
    """The content-encryption key; a resolver, when given, picks the key-encryption key."""
    if encryption_data.protocol != _ENCRYPTION_PROTOCOL_V1:
        raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_VERSION)
    if resolver is not None:
        key_encryption_key = resolver(encryption_data.key_id)
    _validate_not_none('key_encryption_key', key_encryption_key)
    _validate_key_encryption_key_unwrap(key_encryption_key)
    if key_encryption_key.get_kid() != encryption_data.key_id:
        raise ValueError(_ERROR_INVALID_KID)
    content_key = key_encryption_key.unwrap_key(encryption_data.encrypted_key, encryption_data.key_wrap_algorithm)
    _validate_not_none('content_encryption_key', content_key)
    return content_key


def _encrypt_queue_message(message, key_encryption_key):
    """
    Encrypt encoded message text into the JSON envelope.

    :param str message: the message text, after the service's encode_function.
    :param object key_encryption_key: wraps the content key: ``wrap_key(key)``,
        ``get_key_wrap_algorithm()`` and ``get_kid()``.
    :return: the envelope, as JSON text.
    :rtype: str
    """
    _validate_not_none('message', message)
    _validate_not_none('key_encryption_key', key_encryption_key)
    _validate_key_encryption_key_wrap(key_encryption_key)
    content_key = os.urandom(_KEY_BYTES)
    iv = os.urandom(_BLOCK_BITS // 8)
    padder = PKCS7(_BLOCK_BITS).padder()
    padded = padder.update(message.encode('utf-8')) + padder.finalize()
    encryptor = _aes_cbc(content_key, iv).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return json.dumps({
        'EncryptedMessageContents': _encode_base64(ciphertext),
        'EncryptionData': _encryption_data_dict(key_encryption_key, content_key, iv),
    })


def _decrypt_queue_message(message, require_encryption, key_encryption_key, resolver):
    """
    The plain text of an encrypted message; text that is no envelope comes back as it is,
    unless ``require_encryption`` is set.

    :param str message: the message text as stored in the queue.
    :param bool require_encryption: refuse messages that are not encrypted.
    :param object key_encryption_key: unwraps the content key: ``unwrap_key(key, algorithm)``
        and ``get_kid()``.
    :param function resolver: ``resolver(kid)`` returns the key-encryption key for a key id;
        it takes precedence over ``key_encryption_key``.
    :rtype: str
    """
    try:
        envelope = json.loads(message)
        encryption_data = _encryption_data_from_dict(envelope['EncryptionData'])
        ciphertext = _decode_base64_to_bytes(envelope['EncryptedMessageContents'])
    except (AttributeError, KeyError, TypeError, ValueError):
        # Not an envelope: plain text, or JSON of the user's own.
        if require_encryption:
            raise ValueError(_ERROR_MESSAGE_NOT_ENCRYPTED) from None
        return message
    try:
        content_key = _unwrap_content_key(encryption_data, key_encryption_key, resolver)
        if encryption_data.encryption_algorithm != _AES_CBC_256:
            raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM)
        decryptor = _aes_cbc(content_key, encryption_data.content_encryption_IV).decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        unpadder = PKCS7(_BLOCK_BITS).unpadder()
        return (unpadder.update(padded) + unpadder.finalize()).decode('utf-8')
    except Exception as ex:
        raise AzureException(_ERROR_DECRYPTION_FAILURE) from ex
