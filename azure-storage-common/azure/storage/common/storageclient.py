"""StorageClient: the base of every service; it sends, signs, retries and maps errors."""
from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence, TypeVar
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from azure.common import AzureException, AzureHttpError

from ._auth import (
    _StorageNoAuthentication,
    _StorageSASAuthentication,
    _StorageSharedKeyAuthentication,
    _StorageTokenAuthentication,
    _Signer,
)
from ._common_conversion import _CallbackResult, _int_to_str, _invoke_callback
from ._connection import _ServiceParameters
from ._constants import (
    DEFAULT_SOCKET_TIMEOUT,
    DEFAULT_USER_AGENT_STRING,
    DEFAULT_X_MS_VERSION,
    USER_AGENT_STRING_PREFIX,
    USER_AGENT_STRING_SUFFIX,
    _AUTHORIZATION_HEADER_NAME,
    _CLIENT_REQUEST_ID_HEADER_NAME,
    _COPY_SOURCE_HEADER_NAME,
    _ENCRYPTION_KEY_HEADER_NAME,
    _REDACTED_VALUE,
)
from ._error import AzureSigningError, _DecryptionFailure, _http_error_handler, _wrap_exception
from ._deserialization import _convert_xml_to_service_properties, _convert_xml_to_service_stats
from ._http import HTTPError, HTTPRequest, HTTPResponse
from ._http.httpclient import SocketTimeout, _HTTPClient
from ._serialization import _add_date_header, _convert_service_properties_to_xml, _encode_path, _update_request
from .models import (
    CorsRule,
    DeleteRetentionPolicy,
    LocationMode,
    Logging,
    Metrics,
    RetryContext,
    ServiceProperties,
    ServiceStats,
    StaticWebsite,
    _OperationContext,
)
from .retry import ExponentialRetry
from .sharedaccesssignature import _QueryStringConstants
from .tokencredential import TokenCredential

if TYPE_CHECKING:
    from aiohttp import ClientSession

logger = logging.getLogger(__name__)

_SIGNATURE = _QueryStringConstants.SIGNED_SIGNATURE

_Client = TypeVar('_Client', bound='StorageClient')


def _endpoint_path(endpoint: str) -> str:
    """The path of an endpoint given as ``host[/path]``, as it leads request paths ('' if none)."""
    path = endpoint.partition('/')[2].rstrip('/')
    return '/' + path if path else ''


@functools.lru_cache(maxsize=64)
def _split_endpoint(endpoint: str) -> tuple[str, str, str]:
    """An endpoint ``host[/path]`` as (host, path, path percent-encoded): the same few, every request."""
    path = _endpoint_path(endpoint)
    return endpoint.partition('/')[0], path, _encode_path(path)


def _log_prefix(request: HTTPRequest) -> str:
    # Formatted only for a log line that is written, not on every request.
    return 'Client-Request-ID={}'.format(request.headers.get(_CLIENT_REQUEST_ID_HEADER_NAME))


class StorageClient:
    """
    This is the base class for service objects. Service objects are used to do
    all requests to Storage. This class cannot be instantiated directly.

    Every service is an async context manager: ``async with BlockBlobService(...) as svc:``
    closes its connections on exit; ``await svc.close()`` does the same.

    :ivar str account_name: the storage account name.
    :ivar str account_key: the storage account key, for shared key authentication.
    :ivar str sas_token: a shared access signature token to use instead of the account key.
    :ivar ~azure.storage.common.tokencredential.TokenCredential token_credential:
        a bearer token credential (HTTPS only).
    :ivar bool is_emulated: whether the service is the storage emulator.
    :ivar str primary_endpoint: the endpoint to send storage requests to.
    :ivar str secondary_endpoint: the secondary endpoint to read storage data from (RA-GRS).
    :ivar function(context) retry: a function which determines whether to retry. Takes as a
        parameter a :class:`~azure.storage.common.models.RetryContext` object. Returns the number
        of seconds to wait before retrying the request, or None to indicate not to retry.
    :ivar ~azure.storage.common.models.LocationMode location_mode: the host location to use to
        make requests. Defaults to LocationMode.PRIMARY.
    :ivar str protocol: the protocol to use for requests. Defaults to https.
    :ivar aiohttp.ClientSession request_session: the session used for http requests.
    :ivar function(request) request_callback: called immediately before each request is sent,
        with the request; a plain or a coroutine function.
    :ivar function(response) response_callback: called immediately after each response is
        received, with the response; a plain or a coroutine function.
    :ivar function(retry_context) retry_callback: called after each retry evaluation that decided
        to retry, with the retry context; a plain or a coroutine function.
    """

    account_name: Optional[str]
    account_key: Optional[str]
    sas_token: Optional[str]
    token_credential: Optional[TokenCredential]
    is_emulated: bool
    primary_endpoint: str
    secondary_endpoint: Optional[str]
    retry: Callable[[RetryContext], Optional[float]]
    location_mode: str
    request_callback: Optional[Callable[[HTTPRequest], _CallbackResult]]
    response_callback: Optional[Callable[[HTTPResponse], _CallbackResult]]
    retry_callback: Optional[Callable[[RetryContext], _CallbackResult]]
    authentication: _Signer

    def __init__(self, connection_params: _ServiceParameters) -> None:
        """
        :param obj connection_params: The parameters to use to construct the client.
        """
        self.account_name = connection_params.account_name
        self.account_key = connection_params.account_key
        self.sas_token = connection_params.sas_token
        self.token_credential = connection_params.token_credential
        self.is_emulated = connection_params.is_emulated
        self.primary_endpoint = connection_params.primary_endpoint
        self.secondary_endpoint = connection_params.secondary_endpoint
        self._httpclient = _HTTPClient(
            protocol=connection_params.protocol,
            session=connection_params.request_session,
            timeout=connection_params.socket_timeout or DEFAULT_SOCKET_TIMEOUT,
        )
        self.retry = ExponentialRetry().retry
        self.location_mode = LocationMode.PRIMARY
        self.request_callback = None
        self.response_callback = None
        self.retry_callback = None
        self._X_MS_VERSION = DEFAULT_X_MS_VERSION
        self._USER_AGENT_STRING = DEFAULT_USER_AGENT_STRING
        self._is_validating_request_id = True

    def _update_user_agent_string(self, service_package_version: str) -> None:
        self._USER_AGENT_STRING = '{}{} {}'.format(
            USER_AGENT_STRING_PREFIX, service_package_version, USER_AGENT_STRING_SUFFIX)

    def _build_authentication(self, shared_key_class=_StorageSharedKeyAuthentication):
        """The signer the credentials call for: key, then SAS, then token, else anonymous."""
        if self.account_key:
            return shared_key_class(self.account_name, self.account_key, self.is_emulated)
        if self.sas_token:
            return _StorageSASAuthentication(self.sas_token)
        if self.token_credential:
            return _StorageTokenAuthentication(self.token_credential, lambda: self.protocol)
        return _StorageNoAuthentication()

    @property
    def socket_timeout(self) -> Optional[SocketTimeout]:
        return self._httpclient.timeout

    @socket_timeout.setter
    def socket_timeout(self, value: Optional[SocketTimeout]) -> None:
        self._httpclient.timeout = value

    @property
    def connection_pool_size(self):
        """
        The most connections this service's own session opens at once (default 100); more
        concurrent requests wait for one. Setting it takes effect with a new session: the
        current one is closed by :meth:`close`. A ``request_session`` keeps its own limit.
        """
        return self._httpclient.pool_size

    @connection_pool_size.setter
    def connection_pool_size(self, value):
        self._httpclient.pool_size = value
        self._httpclient.retire_own_session()

    @property
    def keepalive_timeout(self):
        """
        Seconds an idle connection of this service's own session is kept for reuse
        (default 4, below Azurite's 5 s and Azure's 4 min idle cut-off). Setting it takes
        effect with a new session, as for :attr:`connection_pool_size`.
        """
        return self._httpclient.keepalive_timeout

    @keepalive_timeout.setter
    def keepalive_timeout(self, value):
        self._httpclient.keepalive_timeout = value
        self._httpclient.retire_own_session()

    @property
    def protocol(self) -> str:
        return self._httpclient.protocol

    @protocol.setter
    def protocol(self, value: str) -> None:
        self._httpclient.protocol = value

    @property
    def request_session(self) -> Optional[ClientSession]:
        return self._httpclient.session

    @request_session.setter
    def request_session(self, value: Optional[ClientSession]) -> None:
        self._httpclient.session = value

    def set_proxy(self, host: str, port: int, user: Optional[str] = None, password: Optional[str] = None) -> None:
        """
        Sets the proxy server host and port for the HTTP CONNECT Tunnelling.

        :param str host: Address of the proxy. Ex: '192.168.0.100'
        :param int port: Port of the proxy. Ex: 6000
        :param str user: User for proxy authorization.
        :param str password: Password for proxy authorization.
        """
        self._httpclient.set_proxy(host, port, user, password)

    async def close(self) -> None:
        """Close the connections this service opened. A ``request_session`` passed in stays open."""
        await self._httpclient.close()

    def __del__(self):
        # Collected unclosed: name the service, and close its connections now, so the user
        # finds the leak instead of aiohttp's anonymous "Unclosed client session" pair.
        httpclient = self.__dict__.get('_httpclient')  # None when __init__ failed
        if httpclient is not None and httpclient.abandon():
            warnings.warn('{} for {} was not closed: use "async with" or "await service.close()".'.format(
                type(self).__name__, self.primary_endpoint), ResourceWarning, source=self)

    async def __aenter__(self: _Client) -> _Client:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _get_host_locations(self, primary=True, secondary=False):
        locations = {}
        if primary:
            locations[LocationMode.PRIMARY] = self.primary_endpoint
        if secondary:
            locations[LocationMode.SECONDARY] = self.secondary_endpoint
        return locations

    def _service_request(self, method: str, comp: str, timeout: Optional[int], primary: bool = True,
                         secondary: bool = False, body: Optional[bytes] = None) -> HTTPRequest:
        """A request to the service itself (``?restype=service&comp=...``), any service."""
        return HTTPRequest(method, '/', {'restype': 'service', 'comp': comp, 'timeout': _int_to_str(timeout)},
                           body=body, host_locations=self._get_host_locations(primary, secondary))

    async def _get_service_stats(self, timeout: Optional[int]) -> ServiceStats:
        """Get Service Stats: only the secondary location of an RA-GRS account answers it."""
        request = self._service_request('GET', 'stats', timeout, primary=False, secondary=True)
        return await self._perform_request(request, _convert_xml_to_service_stats)

    async def _get_service_properties(self, timeout: Optional[int]) -> ServiceProperties:
        request = self._service_request('GET', 'properties', timeout, secondary=True)
        return await self._perform_request(request, _convert_xml_to_service_properties)

    async def _set_service_properties(self, timeout: Optional[int], logging: Optional[Logging],
                                      hour_metrics: Optional[Metrics], minute_metrics: Optional[Metrics],
                                      cors: Optional[list[CorsRule]], target_version: Optional[str] = None,
                                      delete_retention_policy: Optional[DeleteRetentionPolicy] = None,
                                      static_website: Optional[StaticWebsite] = None) -> None:
        body = _convert_service_properties_to_xml(logging, hour_metrics, minute_metrics, cors, target_version,
                                                  delete_retention_policy, static_website)
        await self._perform_request(self._service_request('PUT', 'properties', timeout, body=body))

    def _apply_host(self, request, operation_context, retry_context):
        if operation_context.location_lock and operation_context.host_location:
            # An operation of several requests stays on the location its first request used.
            request.host_locations = operation_context.host_location
            retry_context.location_mode, request.host = next(iter(operation_context.host_location.items()))
        elif len(request.host_locations) == 1:
            retry_context.location_mode, request.host = next(iter(request.host_locations.items()))
        else:
            request.host = request.host_locations.get(self.location_mode)
            retry_context.location_mode = self.location_mode

    @staticmethod
    def extract_date_and_request_id(retry_context: RetryContext) -> str:
        if getattr(retry_context, 'response', None) is None:
            return ''
        headers = retry_context.response.headers  # type: ignore[union-attr]  # not None: checked above
        parts = []
        if 'date' in headers:
            parts.append('Server-Timestamp={}'.format(headers['date']))
        if 'x-ms-request-id' in headers:
            parts.append('Server-Request-ID={}'.format(headers['x-ms-request-id']))
        return ', '.join(parts)

    @staticmethod
    def _scrub_headers(headers: Mapping[str, Any]) -> dict[str, Any]:
        clean = dict(headers)
        for name in (_AUTHORIZATION_HEADER_NAME, _ENCRYPTION_KEY_HEADER_NAME):
            if name in clean:
                clean[name] = _REDACTED_VALUE
        source = clean.get(_COPY_SOURCE_HEADER_NAME)
        if source and _SIGNATURE + '=' in source:
            parts = urlparse(source)
            query = dict(parse_qsl(parts.query))
            query[_SIGNATURE] = _REDACTED_VALUE
            clean[_COPY_SOURCE_HEADER_NAME] = urlunparse(parts._replace(query=urlencode(query)))
        return clean

    @staticmethod
    def _scrub_query_parameters(query: Mapping[str, Any]) -> dict[str, Any]:
        clean = dict(query)
        if _SIGNATURE in clean:
            clean[_SIGNATURE] = _REDACTED_VALUE
        return clean

    @staticmethod
    def _validate_echoed_client_request_id(request: HTTPRequest, response: HTTPResponse) -> None:
        echoed = response.headers.get(_CLIENT_REQUEST_ID_HEADER_NAME)
        sent = request.headers[_CLIENT_REQUEST_ID_HEADER_NAME]
        if echoed is not None and echoed != sent:
            raise AzureException(
                'Echoed client request ID: {} does not match sent client request ID: {}.  '
                'Service request ID: {}'.format(echoed, sent, response.headers.get('x-ms-request-id')))

    @staticmethod
    def _split_host_path(request: HTTPRequest) -> str:
        """Move the endpoint's path to the front of the request path; return it percent-encoded."""
        # Emulator and custom endpoints carry a path (127.0.0.1:10000/devstoreaccount1).
        request.host, path, encoded_path = _split_endpoint(request.host)
        request.path = path + request.path
        return encoded_path

    async def _perform_request(self, request, parser=None, parser_args=None, operation_context=None,
                               expected_errors=None):
        """
        Send the request, retrying as the retry policy decides, and return what ``parser``
        makes of the response (None without a parser). Failed responses raise the legacy
        ``azure.common`` exceptions; failures with no response raise ``AzureException``.
        """
        operation_context = operation_context or _OperationContext()
        retry_context = RetryContext()
        retry_context.is_emulated = self.is_emulated
        if request.body is not None and not isinstance(request.body, bytes) \
                and hasattr(request.body, 'read') and hasattr(request.body, 'tell'):
            try:
                retry_context.body_position = request.body.tell()
            except (OSError, ValueError):
                retry_context.body_position = None

        self._apply_host(request, operation_context, retry_context)
        path_prefix = self._split_host_path(request)
        sent_location = retry_context.location_mode
        _update_request(request, self._X_MS_VERSION, self._USER_AGENT_STRING)

        try:
            while True:
                if retry_context.location_mode != sent_location:
                    # The retry policy moved the request to the other location, whose endpoint
                    # may lead the path differently (a path-style secondary: /account-secondary).
                    sent_location = retry_context.location_mode
                    request.host, _, new_prefix = _split_endpoint(request.host_locations[sent_location])
                    request.path = new_prefix + request.path[len(path_prefix):]
                    path_prefix = new_prefix
                retry_context.response = None
                try:
                    return await self._attempt(request, parser, parser_args, retry_context)
                except AzureException as ex:
                    retry_context.exception = ex
                    client_request_id_prefix = _log_prefix(request)
                    status_code = retry_context.response.status if retry_context.response is not None else 'Unknown'
                    details = self.extract_date_and_request_id(retry_context)
                    if isinstance(ex, AzureHttpError) and expected_errors is not None \
                            and getattr(ex, 'error_code', None) in expected_errors:
                        logger.info('%s Received expected http error: %s, HTTP status code=%s, Exception=%s.',
                                    client_request_id_prefix, details, status_code, str(ex).replace('\n', ' '))
                        raise
                    if isinstance(ex, AzureSigningError):
                        logger.info('%s Unable to sign the request: Exception=%s.',
                                    client_request_id_prefix, str(ex).replace('\n', ' '))
                        raise
                    logger.info('%s Operation failed: checking if the operation should be retried. '
                                'Current retry count=%s, %s, HTTP status code=%s, Exception=%s.',
                                client_request_id_prefix, retry_context.count, details, status_code,
                                str(ex).replace('\n', ' '))
                    # A final failure is an error in the log, as in legacy; the retries before it are not.
                    if isinstance(ex, _DecryptionFailure):
                        logger.error('%s Encountered decryption failure: this cannot be retried. '
                                     '%s, HTTP status code=%s, Exception=%s.', client_request_id_prefix, details,
                                     status_code, str(ex).replace('\n', ' '))
                        raise
                    retry_interval = self.retry(retry_context)
                    if retry_interval is None:
                        logger.error('%s Retry policy did not allow for a retry: %s, HTTP status code=%s, '
                                     'Exception=%s.', client_request_id_prefix, details, status_code,
                                     str(ex).replace('\n', ' '))
                        raise
                    if self.retry_callback:
                        await _invoke_callback(self.retry_callback, retry_context)
                    logger.info('%s Retry policy is allowing a retry: Retry count=%s, Interval=%s.',
                                client_request_id_prefix, retry_context.count, retry_interval)
                    operation_context.retried = True
                    await asyncio.sleep(retry_interval)
        finally:
            if operation_context.location_lock and not operation_context.host_location:
                # The endpoint as configured: request.host has lost a path-style endpoint's
                # account segment to the request path by now.
                mode = retry_context.location_mode
                operation_context.host_location = {mode: request.host_locations.get(mode, request.host)}

    async def _attempt(self, request: HTTPRequest, parser: Optional[Callable[..., Any]],
                       parser_args: Optional[Sequence[Any]], retry_context: RetryContext) -> Any:
        """One try: sign with a fresh date, send, check, parse."""
        try:
            if self.request_callback:
                await _invoke_callback(self.request_callback, request)
            _add_date_header(request)
            self.authentication.sign_request(request)
            retry_context.request = request
            if logger.isEnabledFor(logging.INFO):
                logger.info('%s Outgoing request: Method=%s, Path=%s, Query=%s, Headers=%s.',
                            _log_prefix(request), request.method, request.path,
                            self._scrub_query_parameters(request.query), self._scrub_headers(request.headers))
            response = await self._httpclient.perform_request(request)
            if self.response_callback:
                await _invoke_callback(self.response_callback, response)
            if self._is_validating_request_id:
                self._validate_echoed_client_request_id(request, response)
            retry_context.response = response
            if logger.isEnabledFor(logging.INFO):
                logger.info('%s Receiving Response: %s, HTTP Status Code=%s, Message=%s.',
                            _log_prefix(request), self.extract_date_and_request_id(retry_context),
                            response.status, response.message)
            if response.status >= 300:
                _http_error_handler(HTTPError(response.status, response.message, response.headers, response.body))
            if parser is None:
                return None
            return parser(response, *parser_args) if parser_args else parser(response)
        except AzureException:
            raise
        except Exception as ex:
            raise _wrap_exception(ex, AzureException) from ex
