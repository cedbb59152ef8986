"""The client-side encryption envelope (protocol 1.0) every service shares.

Data is encrypted with a fresh AES-256 content-encryption key in CBC mode with PKCS7
padding; that key is wrapped by the user's key-encryption key (an object with
``wrap_key``/``unwrap_key``/``get_kid``/``get_key_wrap_algorithm``). The envelope's key order
follows the legacy library, which readers in other languages expect. What is encrypted
(a blob, a message, entity properties) and where the envelope travels is each service's
own business.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC
from cryptography.hazmat.primitives.padding import PKCS7

from ._common_conversion import _decode_base64_to_bytes, _encode_base64, _invoke_callback
from ._constants import _ENCRYPTION_PROTOCOL_V1, __version__
from ._error import (
    _ERROR_INVALID_KID,
    _ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM,
    _ERROR_UNSUPPORTED_ENCRYPTION_VERSION,
    _validate_key_encryption_key_unwrap,
    _validate_not_none,
)

_AES_CBC_256 = 'AES_CBC_256'
_CONTENT_KEY_BYTES = 32
_IV_BYTES = 16
_BLOCK_BITS = 128


def _aes_cbc_cipher(content_key: bytes, iv: bytes) -> Cipher[CBC]:
    return Cipher(AES(content_key), CBC(iv))


def _aes_cbc_encrypt(content_key: bytes, iv: bytes, data: bytes) -> bytes:
    """AES-256-CBC with PKCS7 padding, in one go (for small data: messages, properties)."""
    padder = PKCS7(_BLOCK_BITS).padder()
    encryptor = _aes_cbc_cipher(content_key, iv).encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def _aes_cbc_decrypt(content_key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = _aes_cbc_cipher(content_key, iv).decryptor()
    unpadder = PKCS7(_BLOCK_BITS).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


async def _encryption_data_dict(key_encryption_key: Any, content_key: bytes, iv: bytes) -> dict[str, Any]:
    """The JSON-ready envelope for ``content_key`` wrapped by ``key_encryption_key``."""
    return {
        'WrappedContentKey': {
            'KeyId': await _invoke_callback(key_encryption_key.get_kid),
            'EncryptedKey': _encode_base64(await _invoke_callback(key_encryption_key.wrap_key, content_key)),
            'Algorithm': await _invoke_callback(key_encryption_key.get_key_wrap_algorithm),
        },
        'EncryptionAgent': {
            'Protocol': _ENCRYPTION_PROTOCOL_V1,
            'EncryptionAlgorithm': _AES_CBC_256,
        },
        'ContentEncryptionIV': _encode_base64(iv),
        'KeyWrappingMetadata': {'EncryptionLibrary': 'Python ' + __version__},
    }


def _validate_encryption_agent(encryption_data: dict[str, Any]) -> None:
    """Refuse envelopes of another protocol version or algorithm (KeyError if there is no agent)."""
    agent = encryption_data['EncryptionAgent']
    if agent.get('Protocol') != _ENCRYPTION_PROTOCOL_V1:
        raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_VERSION)
    if agent.get('EncryptionAlgorithm') != _AES_CBC_256:
        raise ValueError(_ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM)


async def _unwrap_content_key(encryption_data: dict[str, Any], key_encryption_key: Any,
                              key_resolver: Optional[Callable[[str], Any]]) -> bytes:
    """The content-encryption key of an envelope dict.

    With a resolver, the resolver picks the key-encryption key by the envelope's key id;
    the key's own id must match it.
    """
    wrapped = encryption_data['WrappedContentKey']
    key_id = wrapped['KeyId']
    if key_resolver is not None:
        key_encryption_key = await _invoke_callback(key_resolver, key_id)
    _validate_not_none('key_encryption_key', key_encryption_key)
    _validate_key_encryption_key_unwrap(key_encryption_key)
    if await _invoke_callback(key_encryption_key.get_kid) != key_id:
        raise ValueError(_ERROR_INVALID_KID)
    content_key = await _invoke_callback(key_encryption_key.unwrap_key,
                                         _decode_base64_to_bytes(wrapped['EncryptedKey']), wrapped['Algorithm'])
    _validate_not_none('content_encryption_key', content_key)
    return content_key
