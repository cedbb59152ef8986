"""Where a service sends its requests, from account settings or a connection string."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import urlparse

from ._constants import (
    DEFAULT_PROTOCOL,
    DEV_ACCOUNT_KEY,
    DEV_ACCOUNT_NAME,
    DEV_ACCOUNT_SECONDARY_NAME,
    DEV_BLOB_HOST,
    DEV_QUEUE_HOST,
    DEV_TABLE_HOST,
    SERVICE_HOST_BASE,
)
from ._error import _ERROR_STORAGE_MISSING_INFO

if TYPE_CHECKING:
    from aiohttp import ClientSession

    from ._http.httpclient import SocketTimeout
    from .tokencredential import TokenCredential

_EMULATOR_ENDPOINTS = {
    'blob': DEV_BLOB_HOST,
    'queue': DEV_QUEUE_HOST,
    'table': DEV_TABLE_HOST,
    'file': '',
}

_CONNECTION_ENDPOINTS = {
    'blob': 'BlobEndpoint',
    'queue': 'QueueEndpoint',
    'table': 'TableEndpoint',
    'file': 'FileEndpoint',
}

_CONNECTION_ENDPOINTS_SECONDARY = {
    'blob': 'BlobSecondaryEndpoint',
    'queue': 'QueueSecondaryEndpoint',
    'table': 'TableSecondaryEndpoint',
    'file': 'FileSecondaryEndpoint',
}


def _parse_connection_string(connection_string: str) -> dict[str, str]:
    """``{key: value}`` from ``Key=Value;Key=Value``; values may themselves contain '='."""
    config = {}
    for part in connection_string.split(';'):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition('=')
        if not sep:
            raise ValueError('Connection string is invalid: "{}" is not a Key=Value pair.'.format(part))
        config[key.strip()] = value.strip()
    return config


def _endpoint_host_and_path(url: str) -> tuple[str, str]:
    """``host[:port]/path`` and the scheme of an endpoint URL (or a bare host)."""
    parsed = urlparse(url if '//' in url else '//' + url)
    return parsed.netloc + parsed.path.rstrip('/'), parsed.scheme


class _ServiceParameters:
    account_name: Optional[str]
    account_key: Optional[str]
    sas_token: Optional[str]
    token_credential: Optional[TokenCredential]
    protocol: str
    is_emulated: bool
    request_session: Optional[ClientSession]
    socket_timeout: Optional[SocketTimeout]
    primary_endpoint: str
    secondary_endpoint: Optional[str]

    def __init__(self, service: str, account_name: Optional[str] = None, account_key: Optional[str] = None,
                 sas_token: Optional[str] = None, token_credential: Optional[TokenCredential] = None,
                 is_emulated: Any = False, protocol: Optional[str] = DEFAULT_PROTOCOL,
                 endpoint_suffix: Optional[str] = SERVICE_HOST_BASE, custom_domain: Optional[str] = None,
                 custom_domain_secondary: Optional[str] = None) -> None:
        self.account_name = account_name
        self.account_key = account_key
        self.sas_token = sas_token
        self.token_credential = token_credential
        self.protocol = protocol or DEFAULT_PROTOCOL
        self.is_emulated = bool(is_emulated)
        self.request_session = None
        self.socket_timeout = None

        if self.is_emulated:
            self.account_name = DEV_ACCOUNT_NAME
            self.protocol = 'http'
            self.account_key = DEV_ACCOUNT_KEY if not self.sas_token else None
            emulator_endpoint = _EMULATOR_ENDPOINTS[service] if custom_domain is None else custom_domain
            emulator_endpoint, _ = _endpoint_host_and_path(emulator_endpoint)
            self.primary_endpoint = '{}/{}'.format(emulator_endpoint, DEV_ACCOUNT_NAME)
            self.secondary_endpoint = '{}/{}'.format(emulator_endpoint, DEV_ACCOUNT_SECONDARY_NAME)
            return

        if self.account_key:
            self.account_key = self.account_key.strip()
        endpoint_suffix = endpoint_suffix or SERVICE_HOST_BASE
        if custom_domain:
            self.primary_endpoint, scheme = _endpoint_host_and_path(custom_domain)
            self.protocol = scheme or self.protocol
        else:
            if not self.account_name:
                raise ValueError(_ERROR_STORAGE_MISSING_INFO)
            self.primary_endpoint = '{}.{}.{}'.format(self.account_name, service, endpoint_suffix)

        if custom_domain_secondary:
            if not custom_domain:
                raise ValueError(_ERROR_STORAGE_MISSING_INFO)
            self.secondary_endpoint, _ = _endpoint_host_and_path(custom_domain_secondary)
        elif custom_domain and self.account_name and self.primary_endpoint.endswith('/' + self.account_name):
            # A path-style endpoint (the emulator, an IP address): the secondary is the same
            # host with the '-secondary' account, never a host in the public cloud.
            self.secondary_endpoint = self.primary_endpoint + '-secondary'
        elif self.account_name:
            self.secondary_endpoint = '{}-secondary.{}.{}'.format(self.account_name, service, endpoint_suffix)
        else:
            self.secondary_endpoint = None

    @staticmethod
    def get_service_parameters(service: str, account_name: Optional[str] = None, account_key: Optional[str] = None,
                               sas_token: Optional[str] = None, token_credential: Optional[TokenCredential] = None,
                               is_emulated: Optional[bool] = None, protocol: Optional[str] = None,
                               endpoint_suffix: Optional[str] = None, custom_domain: Optional[str] = None,
                               request_session: Optional[ClientSession] = None,
                               connection_string: Optional[str] = None,
                               socket_timeout: Optional[SocketTimeout] = None) -> _ServiceParameters:
        if connection_string:
            params = _ServiceParameters._from_connection_string(connection_string, service)
        elif is_emulated:
            params = _ServiceParameters(service, sas_token=sas_token, is_emulated=True, custom_domain=custom_domain)
        elif account_name or custom_domain:
            if (protocol or DEFAULT_PROTOCOL).lower() != 'https' and token_credential is not None:
                raise ValueError('Token credential is only supported with HTTPS.')
            params = _ServiceParameters(service, account_name=account_name, account_key=account_key,
                                        sas_token=sas_token, token_credential=token_credential,
                                        is_emulated=is_emulated, protocol=protocol,
                                        endpoint_suffix=endpoint_suffix, custom_domain=custom_domain)
        else:
            raise ValueError(_ERROR_STORAGE_MISSING_INFO)
        params.request_session = request_session
        params.socket_timeout = socket_timeout
        return params

    @staticmethod
    def _from_connection_string(connection_string: str, service: str) -> _ServiceParameters:
        config = _parse_connection_string(connection_string)
        is_emulated = config.get('UseDevelopmentStorage', '').lower() == 'true'
        endpoint = config.get(_CONNECTION_ENDPOINTS[service])
        if is_emulated:
            proxy = config.get('DevelopmentStorageProxyUri')
            if proxy and not endpoint:
                host, _ = _endpoint_host_and_path(proxy)
                endpoint = '{}:{}'.format(host.split(':')[0], _EMULATOR_ENDPOINTS[service].split(':')[1])
            return _ServiceParameters(service, sas_token=config.get('SharedAccessSignature'), is_emulated=True,
                                      custom_domain=endpoint)
        return _ServiceParameters(service,
                                  account_name=config.get('AccountName'),
                                  account_key=config.get('AccountKey'),
                                  sas_token=config.get('SharedAccessSignature'),
                                  protocol=config.get('DefaultEndpointsProtocol'),
                                  endpoint_suffix=config.get('EndpointSuffix'),
                                  custom_domain=endpoint,
                                  custom_domain_secondary=config.get(_CONNECTION_ENDPOINTS_SECONDARY[service]))
