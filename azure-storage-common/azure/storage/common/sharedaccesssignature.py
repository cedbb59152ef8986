"""Shared access signatures: the account SAS here, and the helper every service SAS builds on."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional, Union
from urllib.parse import quote

from ._common_conversion import _sign_string, _to_str
from ._constants import DEFAULT_X_MS_VERSION
from ._error import _validate_not_none
from ._serialization import _to_utc_datetime
from .models import AccountPermissions, ResourceTypes, Services


class _QueryStringConstants:
    SIGNED_SIGNATURE = 'sig'
    SIGNED_PERMISSION = 'sp'
    SIGNED_START = 'st'
    SIGNED_EXPIRY = 'se'
    SIGNED_RESOURCE = 'sr'
    SIGNED_IDENTIFIER = 'si'
    SIGNED_IP = 'sip'
    SIGNED_PROTOCOL = 'spr'
    SIGNED_VERSION = 'sv'
    SIGNED_CACHE_CONTROL = 'rscc'
    SIGNED_CONTENT_DISPOSITION = 'rscd'
    SIGNED_CONTENT_ENCODING = 'rsce'
    SIGNED_CONTENT_LANGUAGE = 'rscl'
    SIGNED_CONTENT_TYPE = 'rsct'
    START_PK = 'spk'
    START_RK = 'srk'
    END_PK = 'epk'
    END_RK = 'erk'
    SIGNED_RESOURCE_TYPES = 'srt'
    SIGNED_SERVICES = 'ss'
    TABLE_NAME = 'tn'


class _SharedAccessHelper:
    """Collects SAS query parameters in order and signs them; services add their own fields."""

    query_dict: dict[str, Optional[str]]

    def __init__(self) -> None:
        self.query_dict = {}

    def _add_query(self, name: str, val: Any) -> None:
        if val:
            self.query_dict[name] = _to_str(val)

    def _value_line(self, name: str) -> str:
        return (self.query_dict.get(name) or '') + '\n'

    def add_base(self, permission: Any, expiry: Union[datetime, str, None], start: Union[datetime, str, None],
                 ip: Optional[str], protocol: Optional[str], x_ms_version: str) -> None:
        if isinstance(start, date):
            start = _to_utc_datetime(start)
        if isinstance(expiry, date):
            expiry = _to_utc_datetime(expiry)
        self._add_query(_QueryStringConstants.SIGNED_START, start)
        self._add_query(_QueryStringConstants.SIGNED_EXPIRY, expiry)
        self._add_query(_QueryStringConstants.SIGNED_PERMISSION, permission)
        self._add_query(_QueryStringConstants.SIGNED_IP, ip)
        self._add_query(_QueryStringConstants.SIGNED_PROTOCOL, protocol)
        self._add_query(_QueryStringConstants.SIGNED_VERSION, x_ms_version)

    def add_resource(self, resource: Optional[str]) -> None:
        self._add_query(_QueryStringConstants.SIGNED_RESOURCE, resource)

    def add_id(self, policy_id: Optional[str]) -> None:
        self._add_query(_QueryStringConstants.SIGNED_IDENTIFIER, policy_id)

    def add_account(self, services: Union[Services, str], resource_types: Union[ResourceTypes, str]) -> None:
        self._add_query(_QueryStringConstants.SIGNED_SERVICES, services)
        self._add_query(_QueryStringConstants.SIGNED_RESOURCE_TYPES, resource_types)

    def add_override_response_headers(self, cache_control: Optional[str], content_disposition: Optional[str],
                                      content_encoding: Optional[str], content_language: Optional[str],
                                      content_type: Optional[str]) -> None:
        self._add_query(_QueryStringConstants.SIGNED_CACHE_CONTROL, cache_control)
        self._add_query(_QueryStringConstants.SIGNED_CONTENT_DISPOSITION, content_disposition)
        self._add_query(_QueryStringConstants.SIGNED_CONTENT_ENCODING, content_encoding)
        self._add_query(_QueryStringConstants.SIGNED_CONTENT_LANGUAGE, content_language)
        self._add_query(_QueryStringConstants.SIGNED_CONTENT_TYPE, content_type)

    def _sign(self, key: str, string_to_sign: str) -> None:
        self._add_query(_QueryStringConstants.SIGNED_SIGNATURE, _sign_string(key, string_to_sign))

    def add_account_signature(self, account_name, account_key):
        q = _QueryStringConstants
        string_to_sign = account_name + '\n' + ''.join(self._value_line(name) for name in (
            q.SIGNED_PERMISSION, q.SIGNED_SERVICES, q.SIGNED_RESOURCE_TYPES, q.SIGNED_START,
            q.SIGNED_EXPIRY, q.SIGNED_IP, q.SIGNED_PROTOCOL, q.SIGNED_VERSION))
        self._sign(account_key, string_to_sign)

    def get_token(self) -> str:
        # '/' stays as it is, as the legacy SDK wrote tokens.
        return '&'.join('{}={}'.format(name, quote(value))
                        for name, value in self.query_dict.items() if value is not None)


class SharedAccessSignature:
    """
    Provides a factory for creating account access signature tokens with an account name
    and account key. Users can either use the factory or construct the appropriate service
    and use the generate_*_shared_access_signature method directly.

    :param str account_name: the storage account name used to generate the shared access signatures.
    :param str account_key: the access key to generate the shares access signatures.
    :param str x_ms_version: the service version used to generate the shared access signatures.
    """

    account_name: Optional[str]
    account_key: Optional[str]
    x_ms_version: str

    def __init__(self, account_name: Optional[str], account_key: Optional[str],
                 x_ms_version: str = DEFAULT_X_MS_VERSION) -> None:
        self.account_name = account_name
        self.account_key = account_key
        self.x_ms_version = x_ms_version

    def generate_account(self, services: Union[Services, str], resource_types: Union[ResourceTypes, str],
                         permission: Union[AccountPermissions, str], expiry: Union[datetime, str],
                         start: Union[datetime, str, None] = None, ip: Optional[str] = None,
                         protocol: Optional[str] = None) -> str:
        """
        Generates a shared access signature for the account.
        Use the returned signature with the sas_token parameter of the service
        or to create a new account object.

        :param Services services: the services the SAS gives access to.
        :param ResourceTypes resource_types: the resource types the SAS gives access to.
        :param AccountPermissions permission: the permissions of the SAS.
        :param expiry: when the SAS becomes invalid (datetime, or a UTC ISO 8601 string).
        :param start: when the SAS becomes valid (datetime, or a UTC ISO 8601 string);
            the time of the request if omitted.
        :param str ip: an IP address or range (e.g. '168.1.5.60-168.1.5.70') to accept requests from.
        :param str protocol: the protocols allowed: https (default) or 'https,http'.
        :return: the SAS token, without a leading '?'.
        :rtype: str
        """
        _validate_not_none('account_name', self.account_name)
        _validate_not_none('account_key', self.account_key)
        sas = _SharedAccessHelper()
        sas.add_base(permission, expiry, start, ip, protocol, self.x_ms_version)
        sas.add_account(services, resource_types)
        sas.add_account_signature(self.account_name, self.account_key)
        return sas.get_token()
