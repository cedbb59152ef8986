"""TableService: tables, entities, batches, ACLs and SAS tokens of the Azure Table service."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Collection, NoReturn, Optional, Union

from azure.common import AzureHttpError

from azure.storage.common._auth import _StorageTableSharedKeyAuthentication
from azure.storage.common._common_conversion import _int_to_str, _to_str
from azure.storage.common._connection import _ServiceParameters
from azure.storage.common._constants import DEFAULT_PROTOCOL, SERVICE_HOST_BASE
from azure.storage.common._deserialization import _convert_xml_to_signed_identifiers
from azure.storage.common._error import (
    _ERROR_STORAGE_MISSING_INFO,
    _ambiguous_error,
    _dont_fail_not_exist,
    _dont_fail_on_exist,
    _validate_access_policies,
    _validate_not_none,
)
from azure.storage.common._http import HTTPRequest
from azure.storage.common._http.httpclient import SocketTimeout
from azure.storage.common._serialization import _convert_signed_identifiers_to_xml
from azure.storage.common.models import (
    AccessPolicy,
    AccountPermissions,
    CorsRule,
    ListOperation,
    Logging,
    Metrics,
    ResourceTypes,
    ServiceProperties,
    ServiceStats,
    _list,
    _OperationContext,
)
from azure.storage.common._validation import _validate_name, _validate_not_bytes
from azure.storage.common.storageclient import StorageClient

from ._constants import ENCRYPTION_METADATA_PROPERTIES, X_MS_VERSION, __version__
from ._deserialization import (
    _convert_json_response_to_entities,
    _convert_json_response_to_entities_json,
    _convert_json_response_to_entity,
    _convert_json_response_to_entity_json,
    _convert_json_response_to_tables,
    _extract_etag,
    _parse_batch_response,
    _PropertyResolver,
)
from ._encryption import _decryptor_for, _entity_body, _EntityDecryptor
from ._error import _ERROR_AMBIGUOUS_RETRY
from ._request import (
    _delete_entity,
    _get_entity,
    _insert_entity,
    _insert_or_merge_entity,
    _insert_or_replace_entity,
    _merge_entity,
    _update_entity,
)
from ._serialization import (
    _DEFAULT_ACCEPT_HEADER,
    _convert_batch_to_json,
    _convert_table_to_json,
    _get_entity_path,
    _json_headers,
    _update_storage_table_header,
)
from .models import Entity, Table, TablePayloadFormat, TablePermissions, TableServices
from .sharedaccesssignature import TableSharedAccessSignature
from .tablebatch import TableBatch

if TYPE_CHECKING:
    from aiohttp import ClientSession


def _select_with(select: str, required: Collection[str]) -> str:
    """``select`` with the ``required`` property names added, each name once, in order."""
    names = [name.strip() for name in select.split(',') if name.strip()]
    return ','.join(dict.fromkeys(names + list(required)))


class _BatchContext:
    """What :func:`TableService.batch` returns: an async context manager only.

    A plain ``with`` (the legacy spelling) raises a TypeError that says what to write,
    instead of Python's generic complaint about the protocol.
    """

    def __init__(self, service: TableService, table_name: str, timeout: Optional[int]) -> None:
        self._service = service
        self._table_name = table_name
        self._timeout = timeout
        self._batch: Optional[TableBatch] = None

    def __enter__(self) -> NoReturn:
        raise TypeError('The batch commits over the network: write '
                        '"async with table_service.batch(table_name) as batch:", not "with".')

    def __exit__(self, *exc_info: Any) -> None:
        return None

    async def __aenter__(self) -> TableBatch:
        service = self._service
        self._batch = TableBatch(service.require_encryption, service.key_encryption_key,
                                 service.encryption_resolver_function)
        return self._batch

    async def __aexit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        if exc_type is None and self._batch is not None:
            await self._service.commit_batch(self._table_name, self._batch, timeout=self._timeout)


_TABLE_EXISTS_ERRORS = ('TableAlreadyExists',)
_TABLE_MISSING_ERRORS = ('TableNotFound', 'ResourceNotFound')

# The service returns at most 1,000 tables or entities per request and answers a larger
# $top with 400 Bad Request; a larger num_results is reached by following continuations.
_MAX_RESULTS_PER_PAGE = 1000
# The failures a retried write may owe to its own first attempt, applied with its answer lost.
_AMBIGUOUS_STATUSES = (404, 409, 412)


def _top(max_results: Optional[int]) -> Optional[str]:
    return None if max_results is None else _int_to_str(min(int(max_results), _MAX_RESULTS_PER_PAGE))


class TableService(StorageClient):
    """
    The Azure Table service: tables, and the entities they hold.

    A table is a set of entities; an entity is a set of typed properties (up to 252, plus
    PartitionKey, RowKey and Timestamp) identified by its PartitionKey and RowKey. Tables
    have no schema: two entities of one table may have different properties.

    Every method that talks to the service is a coroutine; listings (:func:`list_tables`,
    :func:`query_entities`) can be awaited for their first page or walked with ``async for``.
    Use the service as ``async with TableService(...) as table_service:``, or ``await
    table_service.close()`` when done.

    :ivar object key_encryption_key:
        The key encryption key (KEK) entities are encrypted with on insert and replace, and
        decrypted with on reads unless ``key_resolver_function`` is set. To encrypt it must
        have ``wrap_key(key)`` (returns the wrapped key as bytes), ``get_key_wrap_algorithm()``
        and ``get_kid()``; to decrypt, ``unwrap_key(key, algorithm)`` and ``get_kid()``. Each
        may be a plain or a coroutine function (awaited), e.g. for a key held in a key vault;
        a batch wraps its entities' keys when it is committed.
    :ivar function key_resolver_function(kid):
        Returns the key encryption key of a key id, for decryption; takes precedence over
        ``key_encryption_key``. It may be a coroutine function.
    :ivar function(partition_key, row_key, property_name) encryption_resolver_function:
        Returns whether a property of an entity is to be encrypted (string properties only).
    :ivar bool require_encryption:
        When set, entities written must be encrypted and entities read must have been
        encrypted; the keys above must then be set.
    """

    require_encryption: bool
    key_encryption_key: Any
    key_resolver_function: Optional[Callable[[str], Any]]
    encryption_resolver_function: Optional[Callable[[str, str, str], bool]]

    def __init__(self, account_name: Optional[str] = None, account_key: Optional[str] = None,
                 sas_token: Optional[str] = None, is_emulated: bool = False, protocol: str = DEFAULT_PROTOCOL,
                 endpoint_suffix: str = SERVICE_HOST_BASE, request_session: Optional[ClientSession] = None,
                 connection_string: Optional[str] = None, socket_timeout: Optional[SocketTimeout] = None) -> None:
        """
        :param str account_name: the storage account name, used to sign requests with the
            account key and to build the endpoint. Required unless a connection string is given.
        :param str account_key: the storage account key, for shared key authentication.
        :param str sas_token: a shared access signature to authenticate with instead of the
            account key. If both are given, the account key signs.
        :param bool is_emulated: whether to use the storage emulator (default False); if set,
            every other parameter but connection_string and request_session is ignored.
        :param str protocol: the protocol of requests, https by default.
        :param str endpoint_suffix: the host base of the endpoint after the account name,
            core.windows.net (Azure) by default; e.g. core.chinacloudapi.cn for Azure China.
        :param aiohttp.ClientSession request_session: the session to send requests with; the
            caller closes it. By default the service opens its own and closes it in close().
        :param str connection_string: a storage connection string; if given, every other
            parameter but request_session is ignored. See
            https://docs.microsoft.com/azure/storage/common/storage-configure-connection-string
        :param socket_timeout: the socket timeout in seconds (or a (connect, read) pair),
            instead of the default of azure.storage.common._constants.DEFAULT_SOCKET_TIMEOUT.
        :type socket_timeout: int or tuple(int, int)
        """
        service_params = _ServiceParameters.get_service_parameters(
            'table',
            account_name=account_name,
            account_key=account_key,
            sas_token=sas_token,
            is_emulated=is_emulated,
            protocol=protocol,
            endpoint_suffix=endpoint_suffix,
            request_session=request_session,
            connection_string=connection_string,
            socket_timeout=socket_timeout)
        super().__init__(service_params)
        if not self.account_key and not self.sas_token:
            raise ValueError(_ERROR_STORAGE_MISSING_INFO)
        self.authentication = self._build_authentication(shared_key_class=_StorageTableSharedKeyAuthentication)
        self._X_MS_VERSION = X_MS_VERSION
        self._update_user_agent_string(__version__)

        self.require_encryption = False
        self.key_encryption_key = None
        self.key_resolver_function = None
        self.encryption_resolver_function = None

    def generate_account_shared_access_signature(self, resource_types: Union[ResourceTypes, str],
                                                 permission: Union[AccountPermissions, str],
                                                 expiry: Union[datetime, str], start: Union[datetime, str, None] = None,
                                                 ip: Optional[str] = None, protocol: Optional[str] = None) -> str:
        """
        Generates an account shared access signature for the table service; use it as the
        ``sas_token`` of a TableService.

        :param ResourceTypes resource_types: the resource types the SAS gives access to.
        :param AccountPermissions permission: what the SAS allows.
        :param expiry: when the SAS stops being valid. A datetime without a timezone is
            taken as UTC.
        :type expiry: datetime or str
        :param start: when the SAS becomes valid; the time the service receives the request
            if left out. A datetime without a timezone is taken as UTC.
        :type start: datetime or str
        :param str ip: the IP address or range (e.g. '168.1.5.60-168.1.5.70') requests
            must come from.
        :param str protocol: the protocols allowed: 'https' or 'https,http' (the service's
            default). See :class:`~azure.storage.common.models.Protocol`.
        :return: a shared access signature (SAS) token.
        :rtype: str
        """
        _validate_not_none('self.account_name', self.account_name)
        _validate_not_none('self.account_key', self.account_key)
        sas = TableSharedAccessSignature(self.account_name, self.account_key)
        return sas.generate_account(TableServices(), resource_types, permission, expiry,
                                    start=start, ip=ip, protocol=protocol)

    def generate_table_shared_access_signature(self, table_name: str,
                                               permission: Union[TablePermissions, str, None] = None,
                                               expiry: Union[datetime, str, None] = None,
                                               start: Union[datetime, str, None] = None,
                                               id: Optional[str] = None,  # noqa: A002 - legacy name
                                               ip: Optional[str] = None, protocol: Optional[str] = None,
                                               start_pk: Optional[str] = None, start_rk: Optional[str] = None,
                                               end_pk: Optional[str] = None, end_rk: Optional[str] = None) -> str:
        """
        Generates a shared access signature for a table, optionally limited to a range of
        partition and row keys; use it as the ``sas_token`` of a TableService.

        :param str table_name: the name of the table.
        :param TablePermissions permission: what the SAS allows. Required unless ``id``
            names a stored access policy that holds it; must be left out if the policy does.
        :param expiry: when the SAS stops being valid. Required unless ``id`` names a stored
            access policy that holds it; must be left out if the policy does. A datetime
            without a timezone is taken as UTC.
        :type expiry: datetime or str
        :param start: when the SAS becomes valid; the time the service receives the request
            if left out. A datetime without a timezone is taken as UTC.
        :type start: datetime or str
        :param str id: the id (up to 64 characters) of a stored access policy of the table,
            as set with :func:`set_table_acl`.
        :param str ip: the IP address or range (e.g. '168.1.5.60-168.1.5.70') requests
            must come from.
        :param str protocol: the protocols allowed: 'https' or 'https,http' (the service's
            default). See :class:`~azure.storage.common.models.Protocol`.
        :param str start_pk: the lowest partition key the SAS gives access to (inclusive);
            goes with ``start_rk``. No lower bound if left out.
        :param str start_rk: the lowest row key, within ``start_pk``, the SAS gives access to.
        :param str end_pk: the highest partition key the SAS gives access to (inclusive);
            goes with ``end_rk``. No upper bound if left out.
        :param str end_rk: the highest row key, within ``end_pk``, the SAS gives access to.
        :return: a shared access signature (SAS) token.
        :rtype: str
        """
        _validate_name('table_name', table_name)
        _validate_not_none('self.account_name', self.account_name)
        _validate_not_none('self.account_key', self.account_key)
        sas = TableSharedAccessSignature(self.account_name, self.account_key)
        return sas.generate_table(table_name, permission=permission, expiry=expiry, start=start, id=id,
                                  ip=ip, protocol=protocol, start_pk=start_pk, start_rk=start_rk,
                                  end_pk=end_pk, end_rk=end_rk)

    async def get_table_service_stats(self, timeout: Optional[int] = None) -> ServiceStats:
        """
        Retrieves the replication statistics of the table service. Only available on the
        secondary location of accounts with read-access geo-redundant replication (RA-GRS).

        With geo-redundant replication, Azure Storage keeps your data in two locations: the
        primary, where it is written, and a secondary in another datacenter of the same
        region, to which it is replicated and which RA-GRS lets you read from.

        :param int timeout: the server timeout, in seconds.
        :return: the table service stats.
        :rtype: :class:`~azure.storage.common.models.ServiceStats`
        """
        return await self._get_service_stats(timeout)

    async def get_table_service_properties(self, timeout: Optional[int] = None) -> ServiceProperties:
        """
        Gets the properties of the account's table service: logging, metrics and CORS rules.

        :param int timeout: the server timeout, in seconds.
        :return: the table service properties.
        :rtype: :class:`~azure.storage.common.models.ServiceProperties`
        """
        return await self._get_service_properties(timeout)

    async def set_table_service_properties(self, logging: Optional[Logging] = None,
                                           hour_metrics: Optional[Metrics] = None,
                                           minute_metrics: Optional[Metrics] = None,
                                           cors: Optional[list[CorsRule]] = None,
                                           timeout: Optional[int] = None) -> None:
        """
        Sets the properties of the account's table service, including Storage Analytics.
        A setting left as None keeps its current value on the service. See
        https://docs.microsoft.com/rest/api/storageservices/storage-analytics

        :param Logging logging: the request logging settings.
        :param Metrics hour_metrics: the settings of the hourly aggregates of request statistics.
        :param Metrics minute_metrics: the settings of the per-minute request statistics.
        :param cors: up to five CORS rules; an empty list deletes every rule, turning CORS off.
            See https://docs.microsoft.com/rest/api/storageservices/
            cross-origin-resource-sharing--cors--support-for-the-azure-storage-services
        :type cors: list(:class:`~azure.storage.common.models.CorsRule`)
        :param int timeout: the server timeout, in seconds.
        """
        await self._set_service_properties(timeout, logging, hour_metrics, minute_metrics, cors)

    def list_tables(self, num_results: Optional[int] = None, marker: Optional[str] = None,
                    timeout: Optional[int] = None) -> ListOperation[Table]:
        """
        Lists the tables of the account. Await the result for the first page (a
        :class:`~azure.storage.common.models.ListGenerator`), or walk every table with
        ``async for``, which follows the continuation tokens lazily and stops after
        ``num_results`` tables if given.

        When ``num_results`` stops the listing before its end, the generator's
        ``next_marker`` is set: pass it as ``marker`` to continue from there.

        :param int num_results: the most tables to return.
        :param str marker: where to start: the ``next_marker`` of an earlier listing.
        :param int timeout: the server timeout, in seconds, of each request of the listing.
        :return: the tables, as :class:`~azure.storage.table.models.Table` objects.
        :rtype: :class:`~azure.storage.common.models.ListOperation`
        """
        kwargs = {'max_results': num_results, 'marker': marker, 'timeout': timeout,
                  '_context': _OperationContext(location_lock=True)}
        return ListOperation(self._list_tables, (), kwargs)

    async def _list_tables(self, max_results: Optional[int] = None, marker: Optional[str] = None,
                           timeout: Optional[int] = None, _context: Optional[_OperationContext] = None) -> _list:
        """
        One page of :func:`list_tables`: up to ``max_results`` (at most 1000) tables from
        ``marker``, as a list whose ``next_marker`` is the next table name or None.
        """
        request = HTTPRequest('GET', '/Tables', {
            '$top': _top(max_results),
            'NextTableName': _to_str(marker),
            'timeout': _int_to_str(timeout),
        }, {'Accept': TablePayloadFormat.JSON_NO_METADATA}, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _convert_json_response_to_tables, operation_context=_context)

    async def _perform_or_tolerate(self, request: HTTPRequest, fail: bool, expected_errors: Collection[str],
                                   tolerate: Callable[[Exception], bool]) -> bool:
        """True once the request succeeds; unless ``fail``, ``tolerate`` may turn its error into False."""
        if fail:
            await self._perform_request(request)
            return True
        try:
            await self._perform_request(request, expected_errors=expected_errors)
        except AzureHttpError as ex:
            return tolerate(ex)
        return True

    async def create_table(self, table_name: str, fail_on_exist: bool = False, timeout: Optional[int] = None) -> bool:
        """
        Creates a table in the account.

        :param str table_name: the name of the table: 3 to 63 letters and digits, not
            starting with a digit; names are case-insensitive.
        :param bool fail_on_exist: whether to raise if the table exists already, rather than
            returning False.
        :param int timeout: the server timeout, in seconds.
        :return: whether the table was created (False if it existed and fail_on_exist is False).
        :rtype: bool
        """
        _validate_not_none('table', table_name)
        _validate_not_bytes('table_name', table_name)
        request = HTTPRequest('POST', '/Tables', {'timeout': _int_to_str(timeout)}, _json_headers(prefer=True),
                              _convert_table_to_json(table_name), self._get_host_locations())
        return await self._perform_or_tolerate(request, fail_on_exist, _TABLE_EXISTS_ERRORS, _dont_fail_on_exist)

    async def exists(self, table_name: str, timeout: Optional[int] = None) -> bool:
        """
        Returns whether a table exists.

        :param str table_name: the name of the table.
        :param int timeout: the server timeout, in seconds.
        :return: whether the table exists.
        :rtype: bool
        """
        _validate_name('table_name', table_name)
        request = HTTPRequest('GET', "/Tables('{}')".format(table_name), {'timeout': _int_to_str(timeout)},
                              {'Accept': TablePayloadFormat.JSON_NO_METADATA},
                              host_locations=self._get_host_locations(secondary=True))
        return await self._perform_or_tolerate(request, False, _TABLE_MISSING_ERRORS, _dont_fail_not_exist)

    async def delete_table(self, table_name: str, fail_not_exist: bool = False, timeout: Optional[int] = None) -> bool:
        """
        Deletes a table and every entity in it.

        The table is marked for deletion at once and is gone for clients; the service
        removes it later. Deleting takes at least 40 seconds on Azure, during which
        creating a table of the same name raises :class:`AzureConflictHttpError`.

        :param str table_name: the name of the table.
        :param bool fail_not_exist: whether to raise if the table does not exist, rather
            than returning False.
        :param int timeout: the server timeout, in seconds.
        :return: whether the table was deleted (False if it did not exist and
            fail_not_exist is False).
        :rtype: bool
        """
        _validate_name('table_name', table_name)
        request = HTTPRequest('DELETE', "/Tables('{}')".format(table_name), {'timeout': _int_to_str(timeout)},
                              dict((_DEFAULT_ACCEPT_HEADER,)), host_locations=self._get_host_locations())
        return await self._perform_or_tolerate(request, fail_not_exist, _TABLE_MISSING_ERRORS,
                                               _dont_fail_not_exist)

    async def get_table_acl(self, table_name: str, timeout: Optional[int] = None) -> dict[str, AccessPolicy]:
        """
        Returns the stored access policies of a table, which shared access signatures can
        refer to.

        :param str table_name: the name of an existing table.
        :param int timeout: the server timeout, in seconds.
        :return: the access policies of the table, by id.
        :rtype: dict(str, :class:`~azure.storage.common.models.AccessPolicy`)
        """
        _validate_name('table_name', table_name)
        request = HTTPRequest('GET', '/' + table_name, {'comp': 'acl', 'timeout': _int_to_str(timeout)},
                              host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _convert_xml_to_signed_identifiers)

    async def set_table_acl(self, table_name: str, signed_identifiers: Optional[dict[str, AccessPolicy]] = None,
                            timeout: Optional[int] = None) -> None:
        """
        Sets the stored access policies of a table, replacing the existing ones. To change
        one policy, get them all with :func:`get_table_acl`, change it and set them all.

        A new policy may take 30 seconds to take effect; until then, a shared access
        signature that refers to it fails with :class:`AzureHttpError`.

        :param str table_name: the name of an existing table.
        :param signed_identifiers: up to 5 access policies, by id; an empty dict (or None)
            removes every policy of the table.
        :type signed_identifiers: dict(str, :class:`~azure.storage.common.models.AccessPolicy`)
        :param int timeout: the server timeout, in seconds.
        """
        _validate_name('table_name', table_name)
        _validate_access_policies(signed_identifiers)
        request = HTTPRequest('PUT', '/' + table_name, {'comp': 'acl', 'timeout': _int_to_str(timeout)},
                              body=_convert_signed_identifiers_to_xml(signed_identifiers),
                              host_locations=self._get_host_locations())
        await self._perform_request(request)

    def query_entities(self, table_name: str, filter: Optional[str] = None,  # noqa: A002
                       select: Optional[str] = None, num_results: Optional[int] = None,
                       marker: Optional[dict[str, str]] = None, accept: str = TablePayloadFormat.JSON_MINIMAL_METADATA,
                       property_resolver: Optional[_PropertyResolver] = None,
                       timeout: Optional[int] = None) -> ListOperation[Entity]:
        """
        Queries the entities of a table. Await the result for the first page (a
        :class:`~azure.storage.common.models.ListGenerator`), or walk every entity with
        ``async for``, which follows the continuation tokens lazily and stops after
        ``num_results`` entities if given.

        When ``num_results`` stops the query before its end, the generator's
        ``next_marker`` is set: pass it as ``marker`` to continue from there.

        :param str table_name: the name of the table.
        :param str filter: an OData filter; only entities it matches are returned, e.g.
            "PartitionKey eq 'p1' and Age gt 30". At most 15 comparisons. See
            https://docs.microsoft.com/rest/api/storageservices/querying-tables-and-entities
        :param str select: the properties to return, comma-separated; all by default.
        :param int num_results: the most entities to return.
        :param dict marker: where to start: the ``next_marker`` of an earlier query (a dict
            with 'nextpartitionkey' and 'nextrowkey').
        :param str accept: the metadata level of the response; see
            :class:`~azure.storage.table.models.TablePayloadFormat`.
        :param property_resolver: a function of (partition key, row key, property name,
            value, EdmType the service gave or None) returning the EdmType to read the
            property as; mostly useful with JSON_NO_METADATA.
        :type property_resolver: func(pk, rk, prop_name, prop_value, service_edm_type)
        :param int timeout: the server timeout, in seconds, of each request of the query.
        :return: the entities, as :class:`~azure.storage.table.models.Entity` objects.
        :rtype: :class:`~azure.storage.common.models.ListOperation`
        """
        _validate_name('table_name', table_name)
        _validate_not_none('accept', accept)
        select = self._select_for_decryption(select)
        kwargs = {'filter': filter, 'select': select, 'max_results': num_results, 'marker': marker,
                  'accept': accept, 'property_resolver': property_resolver, 'timeout': timeout,
                  '_context': _OperationContext(location_lock=True)}
        return ListOperation(self._query_entities, (table_name,), kwargs)

    async def _query_entities(self, table_name: str, filter: Optional[str] = None,  # noqa: A002
                              select: Optional[str] = None, max_results: Optional[int] = None,
                              marker: Optional[dict[str, str]] = None,
                              accept: str = TablePayloadFormat.JSON_MINIMAL_METADATA,
                              property_resolver: Optional[_PropertyResolver] = None, timeout: Optional[int] = None,
                              _context: Optional[_OperationContext] = None) -> _list:
        """
        One page of :func:`query_entities`: up to ``max_results`` (at most 1000) entities
        from ``marker``, as a list whose ``next_marker`` is the continuation dict (empty
        after the last page).
        """
        marker = marker or {}
        request = HTTPRequest('GET', '/{}()'.format(table_name), {
            '$filter': _to_str(filter),
            '$select': _to_str(select),
            '$top': _top(max_results),
            'NextPartitionKey': _to_str(marker.get('nextpartitionkey')),
            'NextRowKey': _to_str(marker.get('nextrowkey')),
            'timeout': _int_to_str(timeout),
        }, {'Accept': _to_str(accept)}, host_locations=self._get_host_locations(secondary=True))
        decryptor = self._decryptor()
        if decryptor is None:
            return await self._perform_request(request, _convert_json_response_to_entities, [property_resolver],
                                               operation_context=_context)
        elements = await self._perform_request(request, _convert_json_response_to_entities_json,
                                               operation_context=_context)
        return await decryptor.entities(elements, property_resolver)

    def _select_for_decryption(self, select: Optional[str]) -> Optional[str]:
        """``select`` plus what decryption needs: the keys (they seed the IVs) and the metadata."""
        if self.key_encryption_key is None and self.key_resolver_function is None:
            return select
        if select is None or select.strip() == '*':
            return select
        return _select_with(select, ('PartitionKey', 'RowKey') + ENCRYPTION_METADATA_PROPERTIES)

    def _decryptor(self) -> Optional[_EntityDecryptor]:
        return _decryptor_for(self.require_encryption, self.key_encryption_key, self.key_resolver_function)

    async def commit_batch(self, table_name: str, batch: TableBatch,
                           timeout: Optional[int] = None) -> list[Optional[str]]:
        """
        Commits a :class:`~azure.storage.table.tablebatch.TableBatch`: the service applies
        all of its operations, or none of them.

        :param str table_name: the name of the table the batch's operations are on.
        :param TableBatch batch: the batch to commit.
        :param int timeout: the server timeout, in seconds.
        :return: the result of each operation, in order: the entity's new etag, or None
            for deletes. An empty batch sends nothing and returns an empty list.
        :rtype: list(str)
        :raises ~azure.storage.table.models.AzureBatchOperationError: if an operation
            failed; its message starts with the index of the operation, also in ``index``.
        """
        _validate_name('table_name', table_name)
        _validate_not_none('batch', batch)
        if not batch._requests:
            return []
        operations = []
        for row_key, operation in batch._requests:
            if operation.method == 'POST':
                path = '/' + table_name
            else:
                # The partition key is set by the first operation: never None here.
                path = _get_entity_path(table_name, batch._partition_key, row_key)  # type: ignore[arg-type]
            # Encrypted entities get their wrapped key now; the batch itself is left as it was.
            operations.append((operation.method, path, operation.headers, await _entity_body(operation.body)))
        body, content_type = _convert_batch_to_json(
            operations, '{}://{}'.format(self.protocol.lower(), self.primary_endpoint))
        request = HTTPRequest('POST', '/$batch', {'timeout': _int_to_str(timeout)}, {'Content-Type': content_type},
                              body, self._get_host_locations())
        return await self._perform_request(request, _parse_batch_response, [len(operations)])

    def batch(self, table_name: str, timeout: Optional[int] = None) -> _BatchContext:
        """
        A batch to fill in an ``async with`` block, committed when the block ends without
        an exception (an exception leaves the batch uncommitted)::

            async with table_service.batch('mytable') as batch:
                batch.insert_entity({'PartitionKey': 'p', 'RowKey': '1'})
                batch.delete_entity('p', '2')

        :param str table_name: the name of the table the batch's operations are on.
        :param int timeout: the server timeout, in seconds, of the commit.
        """
        return _BatchContext(self, table_name, timeout)

    async def get_entity(self, table_name: str, partition_key: str, row_key: str, select: Optional[str] = None,
                         accept: str = TablePayloadFormat.JSON_MINIMAL_METADATA,
                         property_resolver: Optional[_PropertyResolver] = None,
                         timeout: Optional[int] = None) -> Entity:
        """
        Gets an entity of a table; raises :class:`AzureMissingResourceHttpError` if it
        does not exist.

        :param str table_name: the name of the table.
        :param str partition_key: the PartitionKey of the entity.
        :param str row_key: the RowKey of the entity.
        :param str select: the properties to return, comma-separated; all by default.
        :param str accept: the metadata level of the response; see
            :class:`~azure.storage.table.models.TablePayloadFormat`.
        :param property_resolver: a function of (partition key, row key, property name,
            value, EdmType the service gave or None) returning the EdmType to read the
            property as; mostly useful with JSON_NO_METADATA.
        :type property_resolver: func(pk, rk, prop_name, prop_value, service_edm_type)
        :param int timeout: the server timeout, in seconds.
        :return: the entity, with its ``etag``.
        :rtype: :class:`~azure.storage.table.models.Entity`
        """
        _validate_name('table_name', table_name)
        request = _get_entity(partition_key, row_key, self._select_for_decryption(select), accept)
        request.host_locations = self._get_host_locations(secondary=True)
        request.path = _get_entity_path(table_name, partition_key, row_key)
        request.query['timeout'] = _int_to_str(timeout)
        decryptor = self._decryptor()
        if decryptor is None:
            return await self._perform_request(request, _convert_json_response_to_entity, [property_resolver])
        element = await self._perform_request(request, _convert_json_response_to_entity_json)
        # Never None: a Get Entity response carries the entity (a missing one raised already).
        return await decryptor(element, property_resolver)

    async def _write_entity(self, request: HTTPRequest, path: str) -> str:
        request.host_locations = self._get_host_locations()
        request.path = path
        request.body = await _entity_body(request.body)
        return await self._perform_request(request, _extract_etag)

    async def insert_entity(self, table_name: str, entity: dict[str, Any], timeout: Optional[int] = None) -> str:
        """
        Inserts an entity into a table; raises :class:`AzureConflictHttpError` if an entity
        with the same PartitionKey and RowKey exists.

        PartitionKey and RowKey are strings of up to 1 KB that together identify the entity
        in its table. Keys sort as strings: pad numbers to a fixed width (0000001) to keep
        them in numeric order.

        :param str table_name: the name of the table.
        :param entity: the entity to insert: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param int timeout: the server timeout, in seconds.
        :return: the etag of the inserted entity.
        :rtype: str
        """
        _validate_name('table_name', table_name)
        request = _insert_entity(entity, self.require_encryption, self.key_encryption_key,
                                 self.encryption_resolver_function)
        request.query['timeout'] = _int_to_str(timeout)
        return await self._write_entity(request, '/' + table_name)

    async def update_entity(self, table_name: str, entity: dict[str, Any], if_match: str = '*',
                            timeout: Optional[int] = None) -> str:
        """
        Replaces an existing entity, removing the properties the new one does not have;
        raises :class:`AzureMissingResourceHttpError` if it does not exist.

        :param str table_name: the name of the table.
        :param entity: the new entity: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param str if_match: the etag the entity must still have for the update to happen
            (optimistic concurrency); otherwise the service refuses it with 412. The
            wildcard '*' (the default) updates unconditionally.
        :param int timeout: the server timeout, in seconds.
        :return: the new etag of the entity.
        :rtype: str
        """
        _validate_name('table_name', table_name)
        request = _update_entity(entity, if_match, self.require_encryption, self.key_encryption_key,
                                 self.encryption_resolver_function)
        request.query['timeout'] = _int_to_str(timeout)
        return await self._write_entity(
            request, _get_entity_path(table_name, entity['PartitionKey'], entity['RowKey']))

    async def merge_entity(self, table_name: str, entity: dict[str, Any], if_match: str = '*',
                           timeout: Optional[int] = None) -> str:
        """
        Merges properties into an existing entity: properties given are added or replaced,
        the others are kept (merging cannot remove a property; None values are ignored).
        Raises :class:`AzureMissingResourceHttpError` if the entity does not exist.

        :param str table_name: the name of the table.
        :param entity: the properties to merge: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param str if_match: the etag the entity must still have for the merge to happen
            (optimistic concurrency); otherwise the service refuses it with 412. The
            wildcard '*' (the default) merges unconditionally.
        :param int timeout: the server timeout, in seconds.
        :return: the new etag of the entity.
        :rtype: str
        """
        _validate_name('table_name', table_name)
        request = _merge_entity(entity, if_match, self.require_encryption, self.key_encryption_key)
        request.query['timeout'] = _int_to_str(timeout)
        return await self._write_entity(
            request, _get_entity_path(table_name, entity['PartitionKey'], entity['RowKey']))

    async def delete_entity(self, table_name: str, partition_key: str, row_key: str, if_match: str = '*',
                            timeout: Optional[int] = None) -> None:
        """
        Deletes an entity; raises :class:`AzureMissingResourceHttpError` if it does not
        exist. The entity is gone for clients at once; the service removes it later.

        :param str table_name: the name of the table.
        :param str partition_key: the PartitionKey of the entity.
        :param str row_key: the RowKey of the entity.
        :param str if_match: the etag the entity must still have for the delete to happen
            (optimistic concurrency); otherwise the service refuses it with 412. The
            wildcard '*' (the default) deletes unconditionally.
        :param int timeout: the server timeout, in seconds.
        """
        _validate_name('table_name', table_name)
        request = _delete_entity(partition_key, row_key, if_match)
        request.host_locations = self._get_host_locations()
        request.query['timeout'] = _int_to_str(timeout)
        request.path = _get_entity_path(table_name, partition_key, row_key)
        await self._perform_request(request)

    async def insert_or_replace_entity(self, table_name: str, entity: dict[str, Any],
                                       timeout: Optional[int] = None) -> str:
        """
        Replaces an entity, or inserts it if it does not exist (an "upsert"). Replacing
        removes the properties the new entity does not have.

        :param str table_name: the name of the table.
        :param entity: the entity: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param int timeout: the server timeout, in seconds.
        :return: the etag of the entity.
        :rtype: str
        """
        _validate_name('table_name', table_name)
        request = _insert_or_replace_entity(entity, self.require_encryption, self.key_encryption_key,
                                            self.encryption_resolver_function)
        request.query['timeout'] = _int_to_str(timeout)
        return await self._write_entity(
            request, _get_entity_path(table_name, entity['PartitionKey'], entity['RowKey']))

    async def insert_or_merge_entity(self, table_name: str, entity: dict[str, Any],
                                     timeout: Optional[int] = None) -> str:
        """
        Merges properties into an entity, or inserts it if it does not exist. Merging keeps
        the properties the request does not have.

        :param str table_name: the name of the table.
        :param entity: the entity: a dict or an
            :class:`~azure.storage.table.models.Entity` with a PartitionKey and a RowKey.
        :type entity: dict or :class:`~azure.storage.table.models.Entity`
        :param int timeout: the server timeout, in seconds.
        :return: the etag of the entity.
        :rtype: str
        """
        _validate_name('table_name', table_name)
        request = _insert_or_merge_entity(entity, self.require_encryption, self.key_encryption_key)
        request.query['timeout'] = _int_to_str(timeout)
        return await self._write_entity(
            request, _get_entity_path(table_name, entity['PartitionKey'], entity['RowKey']))

    async def _perform_request(self, request, parser=None, parser_args=None, operation_context=None,
                               expected_errors=None):
        _update_storage_table_header(request)
        operation_context = operation_context or _OperationContext()
        try:
            return await super()._perform_request(request, parser, parser_args, operation_context, expected_errors)
        except AzureHttpError as ex:
            # A write retried after a lost answer may fail because its first attempt landed:
            # an insert finds its own entity (409), a delete finds it gone (404).
            if not operation_context.retried or request.method == 'GET' or ex.status_code not in _AMBIGUOUS_STATUSES:
                raise
            raise _ambiguous_error(ex, _ERROR_AMBIGUOUS_RETRY) from ex
