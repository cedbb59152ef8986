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
from __future__ import annotations

import json
import os
from typing import Any, Callable, Optional

from azure.storage.common._common_conversion import _decode_base64_to_bytes, _encode_base64
from azure.storage.common._encryption import (
    _CONTENT_KEY_BYTES,
    _IV_BYTES,
    _aes_cbc_decrypt,
    _aes_cbc_encrypt,
    _encryption_data_dict,
    _unwrap_content_key,
    _validate_encryption_agent,
)
from azure.storage.common._error import (
    _DecryptionFailure,
    _validate_key_encryption_key_wrap,
    _validate_not_none,
)

from ._error import _ERROR_MESSAGE_NOT_ENCRYPTED


async def _encrypt_queue_message(message: str, key_encryption_key: Any) -> str:
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
    content_key = os.urandom(_CONTENT_KEY_BYTES)
    iv = os.urandom(_IV_BYTES)
    ciphertext = _aes_cbc_encrypt(content_key, iv, message.encode('utf-8'))
    return json.dumps({
        'EncryptedMessageContents': _encode_base64(ciphertext),
        'EncryptionData': await _encryption_data_dict(key_encryption_key, content_key, iv),
    })


async def _decrypt_queue_message(message: str, require_encryption: bool, key_encryption_key: Any,
                                 resolver: Optional[Callable[[str], Any]]) -> str:
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
        encryption_data = envelope['EncryptionData']
        iv = _decode_base64_to_bytes(encryption_data['ContentEncryptionIV'])
        ciphertext = _decode_base64_to_bytes(envelope['EncryptedMessageContents'])
    except (AttributeError, KeyError, TypeError, ValueError):
        # Not an envelope: plain text, or JSON of the user's own.
        if require_encryption:
            raise ValueError(_ERROR_MESSAGE_NOT_ENCRYPTED) from None
        return message
    try:
        _validate_encryption_agent(encryption_data)
        content_key = await _unwrap_content_key(encryption_data, key_encryption_key, resolver)
        return _aes_cbc_decrypt(content_key, iv, ciphertext).decode('utf-8')
    except Exception as ex:
        raise _DecryptionFailure() from ex
