"""Client-side encryption of table entities (protocol 1.0, AES-256-CBC), as the legacy SDK wrote it.

Chosen string properties are encrypted with a random content encryption key (CEK) and an IV
derived per property; the CEK is wrapped by the user's key encryption key (KEK). Two
properties travel with the entity: ``_ClientEncryptionMetadata1``, the JSON encryption data
(wrapped key, algorithm, entity IV), and ``_ClientEncryptionMetadata2``, the encrypted JSON
list of encrypted property names.

The key hooks may be coroutine functions (a key held in a key vault): the content key is
wrapped when a write is sent and unwrapped after the response is read, both awaited.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Callable, Optional

from azure.common import AzureException
from azure.storage.common._common_conversion import _decode_base64_to_bytes
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
    _validate_decryption_required,
    _validate_key_encryption_key_wrap,
    _validate_not_none,
    _wrap_exception,
)
from azure.storage.common.models import _list

from ._constants import ENCRYPTED_NAMES_PROPERTY, ENCRYPTION_DATA_PROPERTY
from ._deserialization import _convert_json_to_entity, _PropertyResolver
from ._error import _ERROR_ENTITY_NOT_ENCRYPTED, _ERROR_UNSUPPORTED_TYPE_FOR_ENCRYPTION
from ._serialization import _entity_to_dict
from .models import EdmType, Entity, EntityProperty


def _generate_property_iv(entity_iv, partition_key, row_key, property_name, is_java_v1):
    """The IV of one property: SHA-256 of the entity IV and the property's coordinates, cut to 16 bytes.

    The Java v1 library hashed the keys in the other order; entities it wrote are read with it.
    """
    keys = partition_key + row_key if is_java_v1 else row_key + partition_key
    return hashlib.sha256(entity_iv + (keys + property_name).encode('utf-8')).digest()[:_IV_BYTES]


def _should_encrypt(name, value, entity, encryption_resolver):
    if isinstance(value, EntityProperty) and value.encrypt:
        return True
    return encryption_resolver is not None and encryption_resolver(entity['PartitionKey'], entity['RowKey'], name)


def _plain_text(value):
    if isinstance(value, EntityProperty):
        if value.type != EdmType.STRING:
            raise ValueError(_ERROR_UNSUPPORTED_TYPE_FOR_ENCRYPTION)
        value = value.value
    if not isinstance(value, str):
        raise ValueError(_ERROR_UNSUPPORTED_TYPE_FOR_ENCRYPTION)
    return value


class _EncryptedEntityBody:
    """The JSON body of an encrypted entity write, but for the wrapped content key.

    Key hooks may be coroutine functions and TableBatch methods are synchronous: the
    properties are encrypted (and checked) when the write is built, and the content key is
    wrapped, awaited, when the write is sent (:func:`_entity_body`).
    """

    def __init__(self, properties: dict[str, Any], key_encryption_key: Any, content_key: bytes,
                 entity_iv: bytes) -> None:
        self.properties = properties
        self.key_encryption_key = key_encryption_key
        self.content_key = content_key
        self.entity_iv = entity_iv

    async def to_json(self) -> bytes:
        envelope = await _encryption_data_dict(self.key_encryption_key, self.content_key, self.entity_iv)
        properties = dict(self.properties)
        properties[ENCRYPTION_DATA_PROPERTY] = json.dumps(envelope)
        return json.dumps(properties).encode('utf-8')


async def _entity_body(body: Any) -> Any:
    """What to send for a request ``body``: an encrypted entity's JSON once its key is wrapped."""
    return await body.to_json() if isinstance(body, _EncryptedEntityBody) else body


def _encrypt_entity(entity: dict[str, Any], key_encryption_key: Any,
                    encryption_resolver: Optional[Callable[[str, str, str], bool]]) -> _EncryptedEntityBody:
    """
    The body of a write of ``entity`` with the chosen properties encrypted and the encryption
    metadata added (the wrapped key once awaited).

    :param entity: the entity to write: a dict or an :class:`Entity`.
    :param object key_encryption_key: the KEK: ``wrap_key(key)``, ``get_key_wrap_algorithm()``
        and ``get_kid()``.
    :param encryption_resolver: ``(partition_key, row_key, property_name) -> bool``: whether a
        property is to be encrypted, besides EntityProperty values with ``encrypt`` set.
    :return: the body to send; only strings can be encrypted, they are stored as Binary.
    :rtype: _EncryptedEntityBody
    """
    _validate_not_none('entity', entity)
    _validate_not_none('key_encryption_key', key_encryption_key)
    _validate_key_encryption_key_wrap(key_encryption_key)

    cek = os.urandom(_CONTENT_KEY_BYTES)
    entity_iv = os.urandom(_IV_BYTES)
    partition_key, row_key = entity['PartitionKey'], entity['RowKey']
    encrypted_names = []
    result = Entity()
    for name, value in entity.items():
        if _should_encrypt(name, value, entity, encryption_resolver):
            plain = _plain_text(value).encode('utf-8')
            iv = _generate_property_iv(entity_iv, partition_key, row_key, name, False)
            value = EntityProperty(EdmType.BINARY, _aes_cbc_encrypt(cek, iv, plain))
            encrypted_names.append(name)
        result[name] = value

    metadata_iv = _generate_property_iv(entity_iv, partition_key, row_key, ENCRYPTED_NAMES_PROPERTY, False)
    result[ENCRYPTED_NAMES_PROPERTY] = EntityProperty(
        EdmType.BINARY, _aes_cbc_encrypt(cek, metadata_iv, json.dumps(encrypted_names).encode('utf-8')))
    return _EncryptedEntityBody(_entity_to_dict(result), key_encryption_key, cek, entity_iv)


def _read_encryption_data(element):
    """The parsed ``_ClientEncryptionMetadata1`` of a JSON entity, or None if it has none."""
    try:
        data = json.loads(element[ENCRYPTION_DATA_PROPERTY])
        encrypted_names = _decode_base64_to_bytes(element[ENCRYPTED_NAMES_PROPERTY])
        data['EncryptionAgent']
    except (KeyError, TypeError, ValueError):
        return None, None
    _validate_encryption_agent(data)
    return data, encrypted_names


def _is_java_v1(encryption_data):
    metadata = encryption_data.get('KeyWrappingMetadata')
    return metadata is None or 'Java' in metadata.get('EncryptionLibrary', '')


async def _extract_encryption_metadata(element, require_encryption, key_encryption_key, key_resolver):
    """
    ``(entity IV, encrypted property names, CEK, is_java_v1)`` of a JSON entity, or four
    Nones when it is not encrypted (which is an error if ``require_encryption``).
    """
    data, encrypted_names = _read_encryption_data(element)
    if data is None:
        if require_encryption:
            raise ValueError(_ERROR_ENTITY_NOT_ENCRYPTED)
        return None, None, None, None
    cek = await _unwrap_content_key(data, key_encryption_key, key_resolver)
    java_v1 = _is_java_v1(data)
    entity_iv = _decode_base64_to_bytes(data['ContentEncryptionIV'])
    metadata_iv = _generate_property_iv(entity_iv, element['PartitionKey'], element['RowKey'],
                                        ENCRYPTED_NAMES_PROPERTY, java_v1)
    names = _aes_cbc_decrypt(cek, metadata_iv, encrypted_names).decode('utf-8')
    # Java v1 wrote the list as '[a, b]' rather than JSON.
    names = names[1:-1].split(', ') if java_v1 else json.loads(names)
    return entity_iv, names, cek, java_v1


def _decrypt_entity(entity, encrypted_names, cek, entity_iv, is_java_v1):
    """``entity`` with its encrypted properties decrypted to str and the metadata removed."""
    result = Entity(entity)
    for name in encrypted_names:
        if name not in entity:
            continue
        iv = _generate_property_iv(entity_iv, entity['PartitionKey'], entity['RowKey'], name, is_java_v1)
        result[name] = _aes_cbc_decrypt(cek, iv, entity[name].value).decode('utf-8')
    result.pop(ENCRYPTION_DATA_PROPERTY, None)
    result.pop(ENCRYPTED_NAMES_PROPERTY, None)
    return result


class _EntityDecryptor:
    """Turns JSON entities into entities, decrypting them with the service's keys.

    Every failure, including a missing key or an entity that is not encrypted although
    encryption is required, is reported as the legacy 'Decryption failed' AzureException.
    It runs on what the response parser read, after the request: the key hooks are awaited.
    """

    def __init__(self, require_encryption: bool, key_encryption_key: Any,
                 key_resolver: Optional[Callable[[str], Any]]) -> None:
        self.require_encryption = require_encryption
        self.key_encryption_key = key_encryption_key
        self.key_resolver = key_resolver

    async def __call__(self, element: dict[str, Any], property_resolver: Optional[_PropertyResolver]) -> Entity:
        try:
            _validate_decryption_required(self.require_encryption, self.key_encryption_key, self.key_resolver)
            entity_iv, names, cek, java_v1 = None, None, None, False
            if self.key_encryption_key is not None or self.key_resolver is not None:
                entity_iv, names, cek, java_v1 = await _extract_encryption_metadata(
                    element, self.require_encryption, self.key_encryption_key, self.key_resolver)
        except Exception as ex:
            raise _DecryptionFailure() from ex
        try:
            entity = _convert_json_to_entity(element, property_resolver, names)
        except AzureException:
            raise
        except Exception as ex:
            # Reported as the response parser reports it for an unencrypted read.
            raise _wrap_exception(ex, AzureException) from ex
        if names is None:
            return entity
        try:
            return _decrypt_entity(entity, names, cek, entity_iv, java_v1)
        except Exception as ex:
            raise _DecryptionFailure() from ex

    async def entities(self, elements: _list, property_resolver: Optional[_PropertyResolver]) -> _list:
        """A page of a query from its JSON entities, keeping its ``next_marker``."""
        entities = _list()
        entities.next_marker = elements.next_marker
        for element in elements:
            entities.append(await self(element, property_resolver))
        return entities


def _decryptor_for(require_encryption: bool, key_encryption_key: Any,
                   key_resolver: Optional[Callable[[str], Any]]) -> Optional[_EntityDecryptor]:
    """The decryptor a read needs, or None when the service has no encryption settings."""
    if not require_encryption and key_encryption_key is None and key_resolver is None:
        return None
    return _EntityDecryptor(require_encryption, key_encryption_key, key_resolver)
