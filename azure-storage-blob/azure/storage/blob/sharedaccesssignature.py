"""Service shared access signatures for containers and blobs."""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Union
from urllib.parse import quote

from azure.storage.common._error import _validate_not_none
from azure.storage.common.sharedaccesssignature import (
    SharedAccessSignature,
    _QueryStringConstants,
    _SharedAccessHelper,
)

from ._constants import X_MS_VERSION
from .models import BlobPermissions, ContainerPermissions, UserDelegationKey


class BlobSharedAccessSignature(SharedAccessSignature):
    """
    Provides a factory for creating blob and container access signature tokens with an
    account key or a user delegation key. Users can either use the factory or construct the
    appropriate service and use the generate_*_shared_access_signature methods directly.

    :param str account_name: the storage account name used to generate the shared access signatures.
    :param str account_key: the access key to generate the shared access signatures.
    :param ~azure.storage.blob.models.UserDelegationKey user_delegation_key: a user delegation
        key (from get_user_delegation_key) to sign with instead of the account key.
    """

    def __init__(self, account_name: Optional[str], account_key: Optional[str] = None,
                 user_delegation_key: Optional[UserDelegationKey] = None) -> None:
        _validate_not_none('account_name', account_name)
        super().__init__(account_name, account_key, X_MS_VERSION)
        self.user_delegation_key = user_delegation_key

    def generate_blob(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                      permission: Union[BlobPermissions, str, None] = None, expiry: Union[datetime, str, None] = None,
                      start: Union[datetime, str, None] = None, id: Optional[str] = None,  # noqa: A002 - legacy name
                      ip: Optional[str] = None, protocol: Optional[str] = None, cache_control: Optional[str] = None,
                      content_disposition: Optional[str] = None, content_encoding: Optional[str] = None,
                      content_language: Optional[str] = None, content_type: Optional[str] = None) -> str:
        """
        Generates a shared access signature for the blob or one of its snapshots.
        Use the returned signature with the sas_token parameter of any BlobService.

        :param str container_name: name of the container.
        :param str blob_name: name of the blob.
        :param str snapshot: the snapshot (an opaque DateTime value) to grant access to.
        :param BlobPermissions permission: the permissions of the SAS (read, add, create,
            write, delete). Required unless ``id`` names a stored access policy that has them.
        :param expiry: when the SAS becomes invalid (datetime, naive taken as UTC, or a UTC
            ISO 8601 string). Required unless ``id`` names a stored access policy that has it.
        :param start: when the SAS becomes valid; the time of each request if omitted.
        :param str id: the id of a stored access policy of the container (set_container_acl).
        :param str ip: an IP address or range (e.g. '168.1.5.60-168.1.5.70') to accept requests from.
        :param str protocol: the protocols allowed: 'https' or 'https,http' (the default).
        :param str cache_control: the Cache-Control response header of requests made with the SAS.
        :param str content_disposition: the Content-Disposition response header of requests made with the SAS.
        :param str content_encoding: the Content-Encoding response header of requests made with the SAS.
        :param str content_language: the Content-Language response header of requests made with the SAS.
        :param str content_type: the Content-Type response header of requests made with the SAS.
        :return: the SAS token, without a leading '?'.
        :rtype: str
        """
        sas = _BlobSharedAccessHelper()
        sas.add_base(permission, expiry, start, ip, protocol, self.x_ms_version)
        sas.add_id(id)
        sas.add_resource('b' if snapshot is None else 'bs')
        sas.add_timestamp(snapshot)
        sas.add_override_response_headers(cache_control, content_disposition, content_encoding, content_language,
                                          content_type)
        sas.add_resource_signature(self.account_name, self.account_key, container_name + '/' + blob_name,
                                   user_delegation_key=self.user_delegation_key)
        return sas.get_token()

    def generate_container(self, container_name: str, permission: Union[ContainerPermissions, str, None] = None,
                           expiry: Union[datetime, str, None] = None, start: Union[datetime, str, None] = None,
                           id: Optional[str] = None,  # noqa: A002 - legacy name
                           ip: Optional[str] = None, protocol: Optional[str] = None,
                           cache_control: Optional[str] = None, content_disposition: Optional[str] = None,
                           content_encoding: Optional[str] = None, content_language: Optional[str] = None,
                           content_type: Optional[str] = None) -> str:
        """
        Generates a shared access signature for the container.
        Use the returned signature with the sas_token parameter of any BlobService.

        :param str container_name: name of the container.
        :param ContainerPermissions permission: the permissions of the SAS (read, add,
            create, write, delete, list). Required unless ``id`` names a stored access policy
            that has them.
        :param expiry: when the SAS becomes invalid (datetime, naive taken as UTC, or a UTC
            ISO 8601 string). Required unless ``id`` names a stored access policy that has it.
        :param start: when the SAS becomes valid; the time of each request if omitted.
        :param str id: the id of a stored access policy of the container (set_container_acl).
        :param str ip: an IP address or range (e.g. '168.1.5.60-168.1.5.70') to accept requests from.
        :param str protocol: the protocols allowed: 'https' or 'https,http' (the default).
        :param str cache_control: the Cache-Control response header of requests made with the SAS.
        :param str content_disposition: the Content-Disposition response header of requests made with the SAS.
        :param str content_encoding: the Content-Encoding response header of requests made with the SAS.
        :param str content_language: the Content-Language response header of requests made with the SAS.
        :param str content_type: the Content-Type response header of requests made with the SAS.
        :return: the SAS token, without a leading '?'.
        :rtype: str
        """
        sas = _BlobSharedAccessHelper()
        sas.add_base(permission, expiry, start, ip, protocol, self.x_ms_version)
        sas.add_id(id)
        sas.add_resource('c')
        sas.add_override_response_headers(cache_control, content_disposition, content_encoding, content_language,
                                          content_type)
        sas.add_resource_signature(self.account_name, self.account_key, container_name,
                                   user_delegation_key=self.user_delegation_key)
        return sas.get_token()


class _BlobQueryStringConstants(_QueryStringConstants):
    SIGNED_TIMESTAMP = 'snapshot'
    SIGNED_OID = 'skoid'
    SIGNED_TID = 'sktid'
    SIGNED_KEY_START = 'skt'
    SIGNED_KEY_EXPIRY = 'ske'
    SIGNED_KEY_SERVICE = 'sks'
    SIGNED_KEY_VERSION = 'skv'


_Q = _BlobQueryStringConstants

# The user delegation key fields, in string-to-sign order: (query name, key attribute).
_DELEGATION_KEY_FIELDS = (
    (_Q.SIGNED_OID, 'signed_oid'),
    (_Q.SIGNED_TID, 'signed_tid'),
    (_Q.SIGNED_KEY_START, 'signed_start'),
    (_Q.SIGNED_KEY_EXPIRY, 'signed_expiry'),
    (_Q.SIGNED_KEY_SERVICE, 'signed_service'),
    (_Q.SIGNED_KEY_VERSION, 'signed_version'),
)

# What follows the identity fields in the string-to-sign of a blob service SAS (2018-11-09+).
_TRAILING_FIELDS = (
    _Q.SIGNED_IP, _Q.SIGNED_PROTOCOL, _Q.SIGNED_VERSION, _Q.SIGNED_RESOURCE, _Q.SIGNED_TIMESTAMP,
    _Q.SIGNED_CACHE_CONTROL, _Q.SIGNED_CONTENT_DISPOSITION, _Q.SIGNED_CONTENT_ENCODING,
    _Q.SIGNED_CONTENT_LANGUAGE, _Q.SIGNED_CONTENT_TYPE,
)


class _BlobSharedAccessHelper(_SharedAccessHelper):
    """Adds the blob fields (snapshot, user delegation key) and the blob string-to-sign."""

    def add_timestamp(self, timestamp):
        self._add_query(_Q.SIGNED_TIMESTAMP, timestamp)

    def get_value_to_append(self, query):
        return self._value_line(query)

    def add_resource_signature(self, account_name, account_key, path, user_delegation_key=None):
        """Sign as the blob service expects: permissions, times, resource, identity, the rest."""
        if not path.startswith('/'):
            path = '/' + path
        string_to_sign = (self._value_line(_Q.SIGNED_PERMISSION) + self._value_line(_Q.SIGNED_START) +
                          self._value_line(_Q.SIGNED_EXPIRY) + '/blob/' + account_name + path + '\n')
        if user_delegation_key is not None:
            for name, attribute in _DELEGATION_KEY_FIELDS:
                self._add_query(name, getattr(user_delegation_key, attribute))
            string_to_sign += ''.join(self._value_line(name) for name, _ in _DELEGATION_KEY_FIELDS)
            key = user_delegation_key.value
        else:
            string_to_sign += self._value_line(_Q.SIGNED_IDENTIFIER)
            key = account_key
        string_to_sign += ''.join(self._value_line(name) for name in _TRAILING_FIELDS)
        # The last field has no newline after it.
        self._sign(key, string_to_sign[:-1])

    def get_token(self):
        # The snapshot is signed but travels as the request's own ?snapshot= parameter. Values
        # keep '/' unencoded, as the legacy SDK wrote them.
        return '&'.join('{}={}'.format(name, quote(value))
                        for name, value in self.query_dict.items()
                        if value is not None and name != _Q.SIGNED_TIMESTAMP)
