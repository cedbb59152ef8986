"""QueueService: queues and their messages, over asyncio."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from azure.common import AzureConflictHttpError, AzureHttpError

from azure.storage.common._common_conversion import _int_to_str, _to_str
from azure.storage.common._connection import _ServiceParameters
from azure.storage.common._constants import DEFAULT_PROTOCOL, SERVICE_HOST_BASE
from azure.storage.common._deserialization import _convert_xml_to_signed_identifiers
from azure.storage.common._error import (
    _ERROR_CONFLICT,
    _ERROR_STORAGE_MISSING_INFO,
    _dont_fail_not_exist,
    _dont_fail_on_exist,
    _validate_access_policies,
    _validate_decryption_required,
    _validate_encryption_required,
    _validate_not_none,
)
from azure.storage.common._http import HTTPRequest, HTTPResponse
from azure.storage.common._http.httpclient import SocketTimeout
from azure.storage.common._serialization import (
    _add_metadata_headers,
    _convert_signed_identifiers_to_xml,
    _get_request_body,
)
from azure.storage.common.models import (
    AccessPolicy,
    AccountPermissions,
    CorsRule,
    ListOperation,
    Logging,
    Metrics,
    ResourceTypes,
    ServiceProperties,
    Services,
    ServiceStats,
    _dict,
    _list,
    _OperationContext,
)
from azure.storage.common.storageclient import StorageClient
from azure.storage.common.tokencredential import TokenCredential

from ._constants import X_MS_VERSION
from ._constants import __version__ as package_version
from ._deserialization import (
    _convert_xml_to_queue_messages,
    _convert_xml_to_queues,
    _decode_queue_messages,
    _parse_metadata_and_message_count,
    _parse_queue_message_from_headers,
)
from ._error import _validate_num_messages
from ._serialization import _convert_queue_message_xml, _get_path
from .models import Queue, QueueMessage, QueueMessageFormat, QueuePermissions
from .sharedaccesssignature import QueueSharedAccessSignature

if TYPE_CHECKING:
    from aiohttp import ClientSession

_QUEUE_ALREADY_EXISTS_ERROR_CODE = 'QueueAlreadyExists'
_QUEUE_NOT_FOUND_ERROR_CODE = 'QueueNotFound'
_HTTP_RESPONSE_NO_CONTENT = 204


def _response(response: HTTPResponse) -> HTTPResponse:
    return response


class QueueService(StorageClient):
    """
    The queue service: create, list and delete queues, and put, get, peek, update and
    delete their messages. A queue holds any number of messages of up to 64 KB each;
    messages usually come out in the order they went in, but first in, first out is not
    guaranteed.

    Every method that talks to the service is a coroutine: ``await`` it. The service is an
    async context manager (``async with QueueService(...) as queues:``) and has
    ``await close()``.

    :ivar function(data) encode_function: turns the content given to put_message and
        update_message into message text. Defaults to
        :meth:`~azure.storage.queue.models.QueueMessageFormat.text_xmlencode` (text in,
        XML-escaped text out); see :class:`~azure.storage.queue.models.QueueMessageFormat`
        for base64, binary and no encoding. Base64 suits queues shared with other Azure
        Storage libraries.
    :ivar function(data) decode_function: turns the message text of got and peeked
        messages into their content. Defaults to
        :meth:`~azure.storage.queue.models.QueueMessageFormat.text_xmldecode`; use the
        decoder that matches the encoder.
    :ivar object key_encryption_key: an optional key-encryption key. When set, messages
        put or updated are encrypted on the client, and got or peeked messages decrypted.
        To encrypt it must have ``wrap_key(key)`` (returns the wrapped key as bytes),
        ``get_key_wrap_algorithm()`` and ``get_kid()`` (a string key id); to decrypt,
        ``unwrap_key(key, algorithm)`` and ``get_kid()``. Each may be a plain or a coroutine
        function (awaited), e.g. for a key held in a key vault.
    :ivar function key_resolver_function(kid): an optional function (or coroutine function)
        that returns the key-encryption key (as above) for a key id, to decrypt. Decryption
        needs this or ``key_encryption_key``; when both are set the resolver wins.
    :ivar bool require_encryption: when set, messages are only put encrypted, and got or
        peeked messages must be encrypted; the keys above must then be set.
    """

    encode_function: Callable[[Any], str]
    decode_function: Callable[[str], Any]
    key_encryption_key: Any
    key_resolver_function: Optional[Callable[[str], Any]]
    require_encryption: bool

    def __init__(self, account_name: Optional[str] = None, account_key: Optional[str] = None,
                 sas_token: Optional[str] = None, is_emulated: bool = False, protocol: str = DEFAULT_PROTOCOL,
                 endpoint_suffix: str = SERVICE_HOST_BASE, request_session: Optional[ClientSession] = None,
                 connection_string: Optional[str] = None, socket_timeout: Optional[SocketTimeout] = None,
                 token_credential: Optional[TokenCredential] = None) -> None:
        """
        :param str account_name: the storage account name: it signs requests made with the
            account key and makes the endpoint. Required unless a connection string is given.
        :param str account_key: the storage account key, for shared key authentication.
        :param str sas_token: a shared access signature to authenticate with instead of the
            account key. When both are given, the account key signs.
        :param bool is_emulated: use the storage emulator. Defaults to False. Overrides
            every other parameter except connection_string and request_session.
        :param str protocol: the protocol of the requests. Defaults to https.
        :param str endpoint_suffix: the host name after the account name. Defaults to
            Azure's (core.windows.net); for example core.chinacloudapi.cn for Azure China.
        :param aiohttp.ClientSession request_session: a session to send requests with. The
            caller keeps ownership: :meth:`close` leaves it open.
        :param str connection_string: a storage connection string; overrides every other
            parameter except request_session. See
            http://azure.microsoft.com/en-us/documentation/articles/storage-configure-connection-string/
            for the format.
        :param int socket_timeout: the socket timeout in seconds, overriding the default
            (DEFAULT_SOCKET_TIMEOUT in azure.storage.common._constants).
        :param ~azure.storage.common.TokenCredential token_credential: a bearer token
            credential for HTTPS requests; keep its token fresh before it expires.
        """
        service_params = _ServiceParameters.get_service_parameters(
            'queue',
            account_name=account_name,
            account_key=account_key,
            sas_token=sas_token,
            token_credential=token_credential,
            is_emulated=is_emulated,
            protocol=protocol,
            endpoint_suffix=endpoint_suffix,
            request_session=request_session,
            connection_string=connection_string,
            socket_timeout=socket_timeout)
        super().__init__(service_params)
        if not (self.account_key or self.sas_token or self.token_credential):
            # The legacy queue service had no anonymous access.
            raise ValueError(_ERROR_STORAGE_MISSING_INFO)
        self.authentication = self._build_authentication()

        self.encode_function = QueueMessageFormat.text_xmlencode
        self.decode_function = QueueMessageFormat.text_xmldecode
        self.key_encryption_key = None
        self.key_resolver_function = None
        self.require_encryption = False
        self._X_MS_VERSION = X_MS_VERSION
        self._update_user_agent_string(package_version)

    def _request(self, method: str, path: str, timeout: Optional[int], query: Optional[dict[str, Any]] = None,
                 body: Any = None, secondary: bool = False, primary: bool = True) -> HTTPRequest:
        """A request to ``path``; reads that may go to the secondary location say so."""
        query = dict(query or {}, timeout=_int_to_str(timeout))
        return HTTPRequest(method, path, query, None, body,
                           self._get_host_locations(primary=primary, secondary=secondary))

    # -- shared access signatures -------------------------------------------------------

    def generate_account_shared_access_signature(self, resource_types: Union[ResourceTypes, str],
                                                 permission: Union[AccountPermissions, str],
                                                 expiry: Union[datetime, str], start: Union[datetime, str, None] = None,
                                                 ip: Optional[str] = None, protocol: Optional[str] = None) -> str:
        """
        Generates an account shared access signature for the queue service. Pass it as the
        ``sas_token`` of a QueueService.

        :param ResourceTypes resource_types: the resource types the SAS gives access to.
        :param AccountPermissions permission: what the SAS allows. Required unless an id
            names a stored access policy that holds the permissions.
        :param expiry: when the SAS stops being valid. A datetime without a time zone is
            taken as UTC.
        :type expiry: datetime or str
        :param start: when the SAS starts being valid; when the service receives the
            request if omitted. A datetime without a time zone is taken as UTC.
        :type start: datetime or str
        :param str ip: an IP address or range the requests must come from, e.g.
            '168.1.5.65' or '168.1.5.60-168.1.5.70'.
        :param str protocol: the protocols a request may use: 'https,http' (the default)
            or 'https'. See :class:`~azure.storage.common.models.Protocol`.
        :return: a shared access signature token.
        :rtype: str
        """
        _validate_not_none('self.account_name', self.account_name)
        _validate_not_none('self.account_key', self.account_key)
        sas = QueueSharedAccessSignature(self.account_name, self.account_key)
        return sas.generate_account(Services.QUEUE, resource_types, permission, expiry,
                                    start=start, ip=ip, protocol=protocol)

    def generate_queue_shared_access_signature(self, queue_name: str,
                                               permission: Union[QueuePermissions, str, None] = None,
                                               expiry: Union[datetime, str, None] = None,
                                               start: Union[datetime, str, None] = None,
                                               id: Optional[str] = None,  # noqa: A002
                                               ip: Optional[str] = None, protocol: Optional[str] = None) -> str:
        """
        Generates a shared access signature for a queue. Pass it as the ``sas_token`` of a
        QueueService.

        :param str queue_name: the queue the SAS gives access to.
        :param QueuePermissions permission: what the SAS allows. Required unless ``id``
            names a stored access policy that holds the permissions; must be left out if
            the policy holds them.
        :param expiry: when the SAS stops being valid. Required unless ``id`` names a
            stored access policy that holds it; must be left out if the policy holds it.
            A datetime without a time zone is taken as UTC.
        :type expiry: datetime or str
        :param start: when the SAS starts being valid; when the service receives the
            request if omitted. A datetime without a time zone is taken as UTC.
        :type start: datetime or str
        :param str id: the id (up to 64 characters) of a stored access policy of the queue;
            see :func:`~set_queue_acl`.
        :param str ip: an IP address or range the requests must come from, e.g.
            '168.1.5.65' or '168.1.5.60-168.1.5.70'.
        :param str protocol: the protocols a request may use: 'https,http' (the default)
            or 'https'. See :class:`~azure.storage.common.models.Protocol`.
        :return: a shared access signature token.
        :rtype: str
        """
        _validate_not_none('queue_name', queue_name)
        _validate_not_none('self.account_name', self.account_name)
        _validate_not_none('self.account_key', self.account_key)
        sas = QueueSharedAccessSignature(self.account_name, self.account_key)
        return sas.generate_queue(queue_name, permission=permission, expiry=expiry, start=start,
                                  id=id, ip=ip, protocol=protocol)

    # -- the service ----------------------------------------------------------------------

    async def get_queue_service_stats(self, timeout: Optional[int] = None) -> ServiceStats:
        """
        Retrieves the replication statistics of the queue service. Only accounts with
        read-access geo-redundant replication have them; they are read from the secondary
        location, the copy of the account that Azure keeps in a second region and that
        can be read (not written) while the primary is away.

        :param int timeout: the server timeout, in seconds.
        :return: the queue service statistics.
        :rtype: :class:`~azure.storage.common.models.ServiceStats`
        """
        return await self._get_service_stats(timeout)

    async def get_queue_service_properties(self, timeout: Optional[int] = None) -> ServiceProperties:
        """
        Gets the properties of the account's queue service: logging, metrics and CORS rules.

        :param int timeout: the server timeout, in seconds.
        :return: the queue service properties.
        :rtype: :class:`~azure.storage.common.models.ServiceProperties`
        """
        return await self._get_service_properties(timeout)

    async def set_queue_service_properties(self, logging: Optional[Logging] = None,
                                           hour_metrics: Optional[Metrics] = None,
                                           minute_metrics: Optional[Metrics] = None,
                                           cors: Optional[list[CorsRule]] = None,
                                           timeout: Optional[int] = None) -> None:
        """
        Sets the properties of the account's queue service, including Storage Analytics.
        A setting left as None keeps its current value on the service. See
        https://msdn.microsoft.com/en-us/library/azure/hh343270.aspx for Storage Analytics.

        :param Logging logging: the request logging settings.
        :param Metrics hour_metrics: the settings of the hourly request statistics per API.
        :param Metrics minute_metrics: the settings of the per-minute request statistics.
        :param cors: up to five CORS rules. An empty list deletes every rule and turns
            CORS off. See https://msdn.microsoft.com/en-us/library/azure/dn535601.aspx.
        :type cors: list(:class:`~azure.storage.common.models.CorsRule`)
        :param int timeout: the server timeout, in seconds.
        """
        await self._set_service_properties(timeout, logging, hour_metrics, minute_metrics, cors)

    # -- queues ---------------------------------------------------------------------------

    def list_queues(self, prefix: Optional[str] = None, num_results: Optional[int] = None,
                    include_metadata: bool = False, marker: Optional[str] = None,
                    timeout: Optional[int] = None) -> ListOperation[Queue]:
        """
        Lists the queues of the account. ``await`` the result for the first page (a
        :class:`~azure.storage.common.models.ListGenerator` with ``next_marker``), or
        ``async for`` over it to walk every page, following the service's continuation
        tokens lazily until every queue, or ``num_results`` of them, came back.

        When ``num_results`` stops the listing before the end, ``next_marker`` of the
        generator is set: pass it as ``marker`` to a new listing to go on from there.

        :param str prefix: only queues whose names begin with this prefix.
        :param int num_results: the most queues to return.
        :param bool include_metadata: return each queue's metadata too.
        :param str marker: where to start: the ``next_marker`` of an earlier listing
            that stopped at ``num_results``.
        :param int timeout: the server timeout, in seconds, of each request of the
            listing (it may take several).
        :rtype: ~azure.storage.common.models.ListOperation
        """
        kwargs = {
            'prefix': prefix,
            'max_results': num_results,
            'include': 'metadata' if include_metadata else None,
            'marker': marker,
            'timeout': timeout,
            '_context': _OperationContext(location_lock=True),
        }
        return ListOperation(self._list_queues, (), kwargs)

    async def _list_queues(self, prefix: Optional[str] = None, marker: Optional[str] = None,
                           max_results: Optional[int] = None, include: Optional[str] = None,
                           timeout: Optional[int] = None, _context: Optional[_OperationContext] = None) -> _list:
        """
        One List Queues request: a page of queues (a list with ``next_marker``).

        :param str prefix: only queues whose names begin with this prefix.
        :param str marker: the continuation token of the page to get.
        :param int max_results: the most queues to return (the service gives up to 5000
            per page, and a continuation token when there are more).
        :param str include: 'metadata' to return each queue's metadata too.
        :param int timeout: the server timeout, in seconds.
        """
        request = self._request('GET', _get_path(), timeout, {
            'comp': 'list',
            'prefix': _to_str(prefix),
            'marker': _to_str(marker),
            'maxresults': _int_to_str(max_results),
            'include': _to_str(include),
        }, secondary=True)
        return await self._perform_request(request, _convert_xml_to_queues, operation_context=_context)

    async def create_queue(self, queue_name: str, metadata: Optional[dict[str, str]] = None,
                           fail_on_exist: bool = False, timeout: Optional[int] = None) -> bool:
        """
        Creates a queue.

        :param str queue_name: the name of the queue: 3 to 63 characters, lowercase
            letters, digits and dashes; it starts and ends with a letter or digit and
            has no two dashes in a row.
        :param metadata: name-value pairs to store with the queue. Names keep their case
            but are compared without it.
        :type metadata: dict(str, str)
        :param bool fail_on_exist: raise if the queue exists already, instead of
            returning False.
        :param int timeout: the server timeout, in seconds.
        :return: whether the queue was created.
        :rtype: bool
        """
        _validate_not_none('queue_name', queue_name)
        request = self._request('PUT', _get_path(queue_name), timeout)
        _add_metadata_headers(metadata, request)
        if fail_on_exist:
            response = await self._perform_request(request, _response)
            # 204: the queue exists already, with this same metadata.
            if response.status == _HTTP_RESPONSE_NO_CONTENT:
                raise AzureConflictHttpError(_ERROR_CONFLICT.format(response.message), response.status)
            return True
        try:
            response = await self._perform_request(request, _response,
                                                   expected_errors=[_QUEUE_ALREADY_EXISTS_ERROR_CODE])
        except AzureHttpError as ex:
            return _dont_fail_on_exist(ex)
        return response.status != _HTTP_RESPONSE_NO_CONTENT

    async def delete_queue(self, queue_name: str, fail_not_exist: bool = False, timeout: Optional[int] = None) -> bool:
        """
        Deletes a queue and its messages. The queue is gone for clients at once; the service
        removes it later, and operations on the queue meanwhile (deletion can take 40
        seconds or more) fail with :class:`AzureConflictHttpError`.

        :param str queue_name: the name of the queue to delete.
        :param bool fail_not_exist: raise if the queue does not exist, instead of
            returning False.
        :param int timeout: the server timeout, in seconds.
        :return: whether the queue was deleted.
        :rtype: bool
        """
        _validate_not_none('queue_name', queue_name)
        request = self._request('DELETE', _get_path(queue_name), timeout)
        if fail_not_exist:
            await self._perform_request(request)
            return True
        try:
            await self._perform_request(request, expected_errors=[_QUEUE_NOT_FOUND_ERROR_CODE])
        except AzureHttpError as ex:
            return _dont_fail_not_exist(ex)
        return True

    def _queue_metadata_request(self, queue_name: str, timeout: Optional[int]) -> HTTPRequest:
        return self._request('GET', _get_path(queue_name), timeout, {'comp': 'metadata'}, secondary=True)

    async def get_queue_metadata(self, queue_name: str, timeout: Optional[int] = None) -> _dict:
        """
        Gets the metadata of a queue and its approximate message count.

        :param str queue_name: the name of an existing queue.
        :param int timeout: the server timeout, in seconds.
        :return: the metadata, as a dict with an ``approximate_message_count`` attribute
            (an int) estimating how many messages the queue holds.
        :rtype: dict(str, str)
        """
        _validate_not_none('queue_name', queue_name)
        request = self._queue_metadata_request(queue_name, timeout)
        return await self._perform_request(request, _parse_metadata_and_message_count)

    async def set_queue_metadata(self, queue_name: str, metadata: Optional[dict[str, str]] = None,
                                 timeout: Optional[int] = None) -> None:
        """
        Sets the metadata of a queue, replacing what it had.

        :param str queue_name: the name of an existing queue.
        :param dict metadata: name-value pairs to store with the queue; None or an empty
            dict removes all metadata.
        :param int timeout: the server timeout, in seconds.
        """
        _validate_not_none('queue_name', queue_name)
        request = self._request('PUT', _get_path(queue_name), timeout, {'comp': 'metadata'})
        _add_metadata_headers(metadata, request)
        await self._perform_request(request)

    async def exists(self, queue_name: str, timeout: Optional[int] = None) -> bool:
        """
        Tells whether a queue exists.

        :param str queue_name: the name of the queue.
        :param int timeout: the server timeout, in seconds.
        :return: whether the queue exists.
        :rtype: bool
        """
        _validate_not_none('queue_name', queue_name)
        request = self._queue_metadata_request(queue_name, timeout)
        try:
            await self._perform_request(request, expected_errors=[_QUEUE_NOT_FOUND_ERROR_CODE])
        except AzureHttpError as ex:
            return _dont_fail_not_exist(ex)
        return True

    async def get_queue_acl(self, queue_name: str, timeout: Optional[int] = None) -> dict[str, AccessPolicy]:
        """
        Gets the stored access policies of a queue, which shared access signatures can
        refer to by id.

        :param str queue_name: the name of an existing queue.
        :param int timeout: the server timeout, in seconds.
        :return: the access policies by id.
        :rtype: dict(str, :class:`~azure.storage.common.models.AccessPolicy`)
        """
        _validate_not_none('queue_name', queue_name)
        request = self._request('GET', _get_path(queue_name), timeout, {'comp': 'acl'}, secondary=True)
        return await self._perform_request(request, _convert_xml_to_signed_identifiers)

    async def set_queue_acl(self, queue_name: str, signed_identifiers: Optional[dict[str, AccessPolicy]] = None,
                            timeout: Optional[int] = None) -> None:
        """
        Sets the stored access policies of a queue, replacing all it had: to change one,
        get them with :func:`~get_queue_acl`, change it, and set them all.

        A new policy may take up to 30 seconds to apply; until then a shared access
        signature that refers to it fails with :class:`AzureHttpError`.

        :param str queue_name: the name of an existing queue.
        :param signed_identifiers: up to 5 access policies by id. An empty dict (or None)
            removes them all.
        :type signed_identifiers: dict(str, :class:`~azure.storage.common.models.AccessPolicy`)
        :param int timeout: the server timeout, in seconds.
        """
        _validate_not_none('queue_name', queue_name)
        _validate_access_policies(signed_identifiers)
        body = _convert_signed_identifiers_to_xml(signed_identifiers)
        request = self._request('PUT', _get_path(queue_name), timeout, {'comp': 'acl'}, body=_get_request_body(body))
        await self._perform_request(request)

    # -- messages -------------------------------------------------------------------------

    async def put_message(self, queue_name: str, content: Any, visibility_timeout: Optional[int] = None,
                          time_to_live: Optional[int] = None, timeout: Optional[int] = None) -> QueueMessage:
        """
        Adds a message to the back of a queue.

        The message stays invisible for ``visibility_timeout`` seconds (0 by default), and
        stays in the queue for ``time_to_live`` seconds, after which the service deletes it.

        With ``key_encryption_key`` set on the service, the content is encrypted before it
        goes out.

        :param str queue_name: the name of the queue.
        :param obj content: the message content; what types are allowed depends on the
            service's ``encode_function`` (str by default). Encoded, a message can be up to
            64 KB.
        :param int visibility_timeout: seconds until the message becomes visible, from 0
            (the default) to 7 days; it cannot be later than the expiry time, so keep it
            below time_to_live.
        :param int time_to_live: seconds the message stays in the queue: any positive
            number, or -1 for no expiry. Defaults to 7 days.
        :param int timeout: the server timeout, in seconds.
        :return: the message as the service stored it (id, times, pop receipt); its
            ``content`` is the content passed in, which the service does not send back.
        :rtype: :class:`~azure.storage.queue.models.QueueMessage`
        """
        _validate_encryption_required(self.require_encryption, self.key_encryption_key)
        _validate_not_none('queue_name', queue_name)
        _validate_not_none('content', content)
        body = await _convert_queue_message_xml(content, self.encode_function, self.key_encryption_key)
        request = self._request('POST', _get_path(queue_name, True), timeout, {
            'visibilitytimeout': _to_str(visibility_timeout),
            'messagettl': _to_str(time_to_live),
        }, body=body)
        messages = await self._perform_request(request, _convert_xml_to_queue_messages, [content])
        return messages[0]

    async def _receive_messages(self, request: HTTPRequest) -> list[QueueMessage]:
        messages = await self._perform_request(request, _convert_xml_to_queue_messages)
        return await _decode_queue_messages(messages, self.decode_function, self.require_encryption,
                                            self.key_encryption_key, self.key_resolver_function)

    async def get_messages(self, queue_name: str, num_messages: Optional[int] = None,
                           visibility_timeout: Optional[int] = None,
                           timeout: Optional[int] = None) -> list[QueueMessage]:
        """
        Gets messages from the front of a queue.

        A got message stays in the queue, invisible to others for ``visibility_timeout``
        seconds; delete it with its ``id`` and ``pop_receipt`` once it is processed, or it
        becomes visible again.

        With ``key_encryption_key`` or ``key_resolver_function`` set on the service, the
        messages are decrypted.

        :param str queue_name: the name of the queue.
        :param int num_messages: how many messages to get, from 1 to 32 (default 1).
            Fewer come back if fewer are visible.
        :param int visibility_timeout: seconds the messages stay invisible, from 1 to 7
            days (default 30 seconds). It may be later than the expiry time.
        :param int timeout: the server timeout, in seconds.
        :return: the messages, possibly none.
        :rtype: list(:class:`~azure.storage.queue.models.QueueMessage`)
        """
        _validate_decryption_required(self.require_encryption, self.key_encryption_key,
                                      self.key_resolver_function)
        _validate_not_none('queue_name', queue_name)
        _validate_num_messages(num_messages)
        request = self._request('GET', _get_path(queue_name, True), timeout, {
            'numofmessages': _to_str(num_messages),
            'visibilitytimeout': _to_str(visibility_timeout),
        })
        return await self._receive_messages(request)

    async def peek_messages(self, queue_name: str, num_messages: Optional[int] = None,
                            timeout: Optional[int] = None) -> list[QueueMessage]:
        """
        Reads messages from the front of a queue without changing their visibility.

        Only visible messages are returned. Peeking does not add to a message's
        ``dequeue_count``, but shows it.

        With ``key_encryption_key`` or ``key_resolver_function`` set on the service, the
        messages are decrypted.

        :param str queue_name: the name of the queue.
        :param int num_messages: how many messages to peek, from 1 to 32 (default 1).
        :param int timeout: the server timeout, in seconds.
        :return: the messages, possibly none; their ``pop_receipt`` and
            ``time_next_visible`` are None, as peeking does not get them.
        :rtype: list(:class:`~azure.storage.queue.models.QueueMessage`)
        """
        _validate_decryption_required(self.require_encryption, self.key_encryption_key,
                                      self.key_resolver_function)
        _validate_not_none('queue_name', queue_name)
        _validate_num_messages(num_messages)
        request = self._request('GET', _get_path(queue_name, True), timeout, {
            'peekonly': 'true',
            'numofmessages': _to_str(num_messages),
        }, secondary=True)
        return await self._receive_messages(request)

    async def delete_message(self, queue_name: str, message_id: str, pop_receipt: str,
                             timeout: Optional[int] = None) -> None:
        """
        Deletes a message that was got with :func:`~get_messages`.

        It takes the message's id and its latest pop receipt, the one from the
        :func:`~get_messages` or :func:`~update_message` call that came last; an older
        receipt fails.

        :param str queue_name: the name of the queue.
        :param str message_id: the id of the message.
        :param str pop_receipt: the message's latest pop receipt.
        :param int timeout: the server timeout, in seconds.
        """
        _validate_not_none('queue_name', queue_name)
        _validate_not_none('message_id', message_id)
        _validate_not_none('pop_receipt', pop_receipt)
        request = self._request('DELETE', _get_path(queue_name, True, message_id), timeout,
                                {'popreceipt': _to_str(pop_receipt)})
        await self._perform_request(request)

    async def clear_messages(self, queue_name: str, timeout: Optional[int] = None) -> None:
        """
        Deletes every message of a queue.

        :param str queue_name: the name of the queue.
        :param int timeout: the server timeout, in seconds.
        """
        _validate_not_none('queue_name', queue_name)
        request = self._request('DELETE', _get_path(queue_name, True), timeout)
        await self._perform_request(request)

    async def update_message(self, queue_name: str, message_id: str, pop_receipt: str, visibility_timeout: int,
                             content: Any = None, timeout: Optional[int] = None) -> QueueMessage:
        """
        Changes how long a got message stays invisible, and optionally its content.

        A worker that needs longer than the visibility timeout can keep extending it, as a
        lease on the message; if the worker dies, the message becomes visible again for
        another one.

        With ``key_encryption_key`` set on the service, the new content is encrypted
        before it goes out.

        :param str queue_name: the name of the queue.
        :param str message_id: the id of the message.
        :param str pop_receipt: the message's latest pop receipt (from
            :func:`~get_messages` or :func:`~update_message`).
        :param int visibility_timeout: seconds from now the message stays invisible, from
            0 to 7 days; not later than the expiry time. A message can be updated until it
            is deleted or expires.
        :param obj content: the new content; what types are allowed depends on the
            service's ``encode_function`` (str by default). None keeps the content.
        :param int timeout: the server timeout, in seconds.
        :return: the message's ``id``, new ``pop_receipt`` and ``time_next_visible``; and
            ``content`` when new content was given (the service does not send it back).
        :rtype: :class:`~azure.storage.queue.models.QueueMessage`
        """
        _validate_encryption_required(self.require_encryption, self.key_encryption_key)
        _validate_not_none('queue_name', queue_name)
        _validate_not_none('message_id', message_id)
        _validate_not_none('pop_receipt', pop_receipt)
        _validate_not_none('visibility_timeout', visibility_timeout)
        body = None
        if content is not None:
            body = await _convert_queue_message_xml(content, self.encode_function, self.key_encryption_key)
        request = self._request('PUT', _get_path(queue_name, True, message_id), timeout, {
            'popreceipt': _to_str(pop_receipt),
            'visibilitytimeout': _int_to_str(visibility_timeout),
        }, body=body)
        message = await self._perform_request(request, _parse_queue_message_from_headers)
        message.id = message_id
        message.content = content
        return message
