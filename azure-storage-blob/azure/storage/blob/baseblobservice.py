"""BaseBlobService: containers, blob properties, leases, copies, downloads and SAS of every blob type."""
from __future__ import annotations

import uuid
from datetime import datetime
from io import BytesIO
from typing import IO, Any, Callable, Optional, Union, overload
from urllib.parse import quote

from aiohttp import ClientSession

from azure.common import AzureException, AzureHttpError

from azure.storage.common._common_conversion import _datetime_to_utc_string, _int_to_str, _invoke_callback, _to_str
from azure.storage.common._connection import _ServiceParameters
from azure.storage.common._constants import DEFAULT_PROTOCOL, SERVICE_HOST_BASE
from azure.storage.common._deserialization import (
    _parse_length_from_content_range,
    _parse_metadata,
)
from azure.storage.common._error import (
    _DecryptionFailure,
    _ERROR_PARALLEL_NOT_SEEKABLE,
    _dont_fail_not_exist,
    _dont_fail_on_exist,
    _validate_access_policies,
    _validate_decryption_required,
    _validate_not_none,
)
from azure.storage.common._http import HTTPRequest
from azure.storage.common._serialization import (
    _add_date_header,
    _add_metadata_headers,
    _convert_signed_identifiers_to_xml,
    _encode_path,
    _update_request,
)
from azure.storage.common._threads import _in_thread
from azure.storage.common._validation import _validate_download
from azure.storage.common.models import (
    AccessPolicy,
    AccountPermissions,
    CorsRule,
    DeleteRetentionPolicy,
    ListOperation,
    Logging,
    Metrics,
    ResourceTypes,
    ServiceProperties,
    Services,
    ServiceStats,
    StaticWebsite,
    _OperationContext,
    _dict,
)
from azure.storage.common.storageclient import StorageClient
from azure.storage.common.tokencredential import TokenCredential

from ._async_io import (
    _atomic_file,
    _FileSlots,
    _open_file,
    _replaceable_path,
    _validate_seekable_for_parallel,
    _write_stream,
)
from ._constants import X_MS_VERSION, __version__ as package_version
from ._deserialization import (
    _convert_xml_to_blob_list,
    _convert_xml_to_blob_name_list,
    _convert_xml_to_containers,
    _convert_xml_to_signed_identifiers_and_access,
    _convert_xml_to_user_delegation_key,
    _ingest_batch_response,
    _parse_account_information,
    _parse_base_properties,
    _parse_blob,
    _parse_blob_and_headers,
    _parse_blob_properties,
    _parse_container,
    _parse_lease,
    _parse_snapshot_blob,
)
from ._download_chunking import _download_blob_chunks
from ._encryption import _decrypt_blob
from ._error import (
    _ERROR_BATCH_SIZE,
    _ERROR_INVALID_LEASE_BREAK_PERIOD,
    _ERROR_INVALID_LEASE_DURATION,
    _ERROR_SERVICE_PROPERTIES_EMPTY,
    _validate_user_delegation_key,
)
from ._serialization import (
    _conditional_headers,
    _convert_delegation_key_info_to_xml,
    _get_batch_request_delimiter,
    _get_path,
    _lease_and_conditional_headers,
    _serialize_batch_body,
    _source_conditional_headers,
    _validate_and_add_cpk_headers,
    _validate_and_format_range_headers,
)
from .models import (
    AccountInformation,
    BatchDeleteSubRequest,
    BatchSubResponse,
    Blob,
    BlobPermissions,
    BlobPrefix,
    Container,
    ContainerPermissions,
    ContentSettings,
    CopyProperties,
    CustomerProvidedEncryptionKey,
    Include,
    ResourceProperties,
    UserDelegationKey,
    _LeaseActions,
)
from .sharedaccesssignature import BlobSharedAccessSignature

_CONTAINER_ALREADY_EXISTS_ERROR_CODE = 'ContainerAlreadyExists'
_BLOB_NOT_FOUND_ERROR_CODE = 'BlobNotFound'
_CONTAINER_NOT_FOUND_ERROR_CODE = 'ContainerNotFound'

# The HTTP status of a ranged read of an empty blob.
_RANGE_NOT_SATISFIABLE = 416


class BaseBlobService(StorageClient):
    """
    This is the main class managing Blob resources, the base of the block, page and append
    blob services.

    The Blob service stores text and binary data as blobs in the cloud. Its resources are
    the storage account, the containers in it, and the blobs in each container. Every method
    that talks to the service is a coroutine; the listing methods return an object that can
    be awaited (first page) or iterated with ``async for`` (every page).

    :ivar int MAX_SINGLE_GET_SIZE:
        The size of the first range get performed by get_blob_to_* methods. If the blob is
        no larger than this, it comes back in that one request; otherwise the rest is read in
        ranges of MAX_CHUNK_GET_SIZE.
    :ivar int MAX_CHUNK_GET_SIZE:
        The size of the range gets after the first one, when the blob is larger than
        MAX_SINGLE_GET_SIZE. With validate_content it is also the size of the first get, and it
        must then be at most 4MB (the service hashes ranges up to that size only).
    :ivar int MAX_OPEN_FILES:
        How many files the path methods (create_blob_from_path, get_blob_to_path, ...) of
        this service hold open at once; 64 by default. A call beyond it waits for a free slot
        before opening its file, so any number of concurrent calls stays within the process's
        open-file limit.
    :ivar object key_encryption_key:
        The key-encryption-key optionally provided by the user. If provided, it is used to
        encrypt uploads and decrypt downloads of the methods that support it. For decryption,
        either the key_encryption_key or the resolver must be provided; if both are, the
        resolver wins. It must implement ``wrap_key(key)`` (returns the wrapped key as bytes),
        ``get_key_wrap_algorithm()`` and ``get_kid()`` to encrypt, and
        ``unwrap_key(key, algorithm)`` and ``get_kid()`` to decrypt. Each may be a plain or
        a coroutine function (awaited), e.g. for a key held in a key vault.
    :ivar function key_resolver_function(kid):
        A function returning the key-encryption-key (as above) for a key id. If provided, it
        is used to decrypt in the methods that support it, before key_encryption_key. It may
        be a coroutine function.
    :ivar bool require_encryption:
        Whether every upload must be encrypted and every download must have been. With it set,
        the keys above must be given, and methods that cannot encrypt refuse to run.
    """

    MAX_SINGLE_GET_SIZE = 32 * 1024 * 1024
    MAX_CHUNK_GET_SIZE = 4 * 1024 * 1024
    MAX_OPEN_FILES = 64

    require_encryption: bool
    key_encryption_key: Any
    key_resolver_function: Optional[Callable[[str], Any]]

    def __init__(self, account_name: Optional[str] = None, account_key: Optional[str] = None,
                 sas_token: Optional[str] = None, is_emulated: bool = False, protocol: str = DEFAULT_PROTOCOL,
                 endpoint_suffix: str = SERVICE_HOST_BASE, custom_domain: Optional[str] = None,
                 request_session: Optional[ClientSession] = None, connection_string: Optional[str] = None,
                 socket_timeout: Union[float, tuple[float, float], None] = None,
                 token_credential: Optional[TokenCredential] = None) -> None:
        """
        :param str account_name:
            The storage account name. It signs requests made with the account key and makes
            the endpoint. Required unless a connection string is given, or a custom domain is
            used with anonymous access.
        :param str account_key:
            The storage account key, for shared key authentication. Without it and without a
            SAS token, requests are anonymous.
        :param str sas_token:
            A shared access signature token to authenticate with instead of the account key.
            If both are given, the account key signs.
        :param bool is_emulated:
            Whether to use the emulator. Defaults to False. If specified, it overrides every
            other parameter except the connection string and the request session.
        :param str protocol:
            The protocol to use for requests. Defaults to https.
        :param str endpoint_suffix:
            The host base of the endpoint, after the account name. Defaults to Azure
            (core.windows.net); e.g. core.chinacloudapi.cn for the China cloud.
        :param str custom_domain:
            The custom domain to use, as set in the Azure Portal, e.g. 'www.mydomain.com'.
        :param aiohttp.ClientSession request_session:
            The aiohttp session to send requests with. The caller closes it.
        :param str connection_string:
            If specified, it overrides every other parameter except the request session. See
            http://azure.microsoft.com/en-us/documentation/articles/storage-configure-connection-string/
            for the format.
        :param int socket_timeout:
            The socket timeout in seconds (or a (connect, read) pair), instead of the default
            in azure.storage.common._constants.DEFAULT_SOCKET_TIMEOUT.
        :param ~azure.storage.common.TokenCredential token_credential:
            A token credential to authenticate HTTPS requests with. Its token must be renewed
            before it expires.
        """
        service_params = _ServiceParameters.get_service_parameters(
            'blob', account_name=account_name, account_key=account_key, sas_token=sas_token,
            token_credential=token_credential, is_emulated=is_emulated, protocol=protocol,
            endpoint_suffix=endpoint_suffix, custom_domain=custom_domain, request_session=request_session,
            connection_string=connection_string, socket_timeout=socket_timeout)
        super().__init__(service_params)
        self.authentication = self._build_authentication()
        self.require_encryption = False
        self.key_encryption_key = None
        self.key_resolver_function = None
        self._file_slots = _FileSlots()
        self._X_MS_VERSION = X_MS_VERSION
        self._update_user_agent_string(package_version)

    # URLs and shared access signatures (no I/O)

    def make_blob_url(self, container_name: str, blob_name: str, protocol: Optional[str] = None,
                      sas_token: Optional[str] = None, snapshot: Optional[str] = None) -> str:
        """
        Creates the url to access a blob. The names are percent-encoded as the service
        expects (legacy put them in as they were, so a name with '%', '#', '?' or a space
        addressed another blob, or none): pass them unencoded.

        :param str container_name: Name of container.
        :param str blob_name: Name of blob.
        :param str protocol:
            Protocol to use: 'http' or 'https'. If not specified, uses the protocol the
            service was created with.
        :param str sas_token: A shared access signature token, as generate_*_shared_access_signature returns.
        :param str snapshot: The snapshot (an opaque DateTime value) to address.
        :return: blob access URL.
        :rtype: str
        """
        url = '{}://{}{}'.format(protocol or self.protocol, self.primary_endpoint,
                                 _encode_path('/{}/{}'.format(container_name, blob_name)))
        snapshot = 'snapshot={}'.format(quote(snapshot, safe='')) if snapshot else None
        query = [part for part in (snapshot, sas_token) if part]
        return url + ('?' + '&'.join(query) if query else '')

    def make_container_url(self, container_name: str, protocol: Optional[str] = None,
                           sas_token: Optional[str] = None) -> str:
        """
        Creates the url to access a container.

        :param str container_name: Name of container.
        :param str protocol:
            Protocol to use: 'http' or 'https'. If not specified, uses the protocol the
            service was created with.
        :param str sas_token: A shared access signature token, as generate_*_shared_access_signature returns.
        :return: container access URL.
        :rtype: str
        """
        url = '{}://{}{}?restype=container'.format(protocol or self.protocol, self.primary_endpoint,
                                                   _encode_path('/' + container_name))
        return url + '&' + sas_token if sas_token else url

    def generate_account_shared_access_signature(self, resource_types: Union[ResourceTypes, str],
                                                 permission: Union[AccountPermissions, str],
                                                 expiry: Union[datetime, str], start: Union[datetime, str, None] = None,
                                                 ip: Optional[str] = None, protocol: Optional[str] = None) -> str:
        """
        Generates a shared access signature for the blob service.
        Use the returned signature with the sas_token parameter of any BlobService.

        :param ResourceTypes resource_types:
            The resource types (service, container, object) the account SAS gives access to.
        :param AccountPermissions permission:
            The permissions of the SAS.
        :param expiry:
            When the SAS becomes invalid. Azure converts values to UTC; a datetime without
            timezone is taken as UTC.
        :type expiry: datetime or str
        :param start:
            When the SAS becomes valid; the time the service receives each request if omitted.
        :type start: datetime or str
        :param str ip:
            An IP address or range to accept requests from, e.g. '168.1.5.65' or
            '168.1.5.60-168.1.5.70'. Requests from elsewhere are not authenticated.
        :param str protocol:
            The protocols a request may use: 'https' or 'https,http' (the default). See
            :class:`~azure.storage.common.models.Protocol`.
        :return: A Shared Access Signature (sas) token.
        :rtype: str
        """
        _validate_not_none('self.account_name', self.account_name)
        _validate_not_none('self.account_key', self.account_key)
        sas = BlobSharedAccessSignature(self.account_name, self.account_key)
        return sas.generate_account(Services.BLOB, resource_types, permission, expiry, start=start, ip=ip,
                                    protocol=protocol)

    def _blob_sas(self, user_delegation_key):
        _validate_not_none('self.account_name', self.account_name)
        if user_delegation_key is not None:
            _validate_user_delegation_key(user_delegation_key)
            return BlobSharedAccessSignature(self.account_name, user_delegation_key=user_delegation_key)
        _validate_not_none('self.account_key', self.account_key)
        return BlobSharedAccessSignature(self.account_name, account_key=self.account_key)

    def generate_container_shared_access_signature(self, container_name: str,
                                                   permission: Union[ContainerPermissions, str, None] = None,
                                                   expiry: Union[datetime, str, None] = None,
                                                   start: Union[datetime, str, None] = None,
                                                   id: Optional[str] = None,  # noqa: A002 - legacy name
                                                   ip: Optional[str] = None, protocol: Optional[str] = None,
                                                   cache_control: Optional[str] = None,
                                                   content_disposition: Optional[str] = None,
                                                   content_encoding: Optional[str] = None,
                                                   content_language: Optional[str] = None,
                                                   content_type: Optional[str] = None,
                                                   user_delegation_key: Optional[UserDelegationKey] = None) -> str:
        """
        Generates a shared access signature for the container.
        Use the returned signature with the sas_token parameter of any BlobService.

        :param str container_name: Name of container.
        :param ContainerPermissions permission:
            The permissions of the SAS. Required unless ``id`` names a stored access policy
            that has them; must be left out if the policy has them.
        :param expiry:
            When the SAS becomes invalid. Required unless ``id`` names a stored access policy
            that has it; must be left out if the policy has it. A datetime without timezone
            is taken as UTC.
        :type expiry: datetime or str
        :param start:
            When the SAS becomes valid; the time the service receives each request if omitted.
        :type start: datetime or str
        :param str id:
            The id (up to 64 characters) of a stored access policy of the container, see
            :func:`set_container_acl`.
        :param str ip:
            An IP address or range to accept requests from, e.g. '168.1.5.65' or
            '168.1.5.60-168.1.5.70'.
        :param str protocol:
            The protocols a request may use: 'https' or 'https,http' (the default).
        :param str cache_control: Response header value for Cache-Control when resource is accessed with this SAS.
        :param str content_disposition:
            Response header value for Content-Disposition when resource is accessed with this SAS.
        :param str content_encoding:
            Response header value for Content-Encoding when resource is accessed with this SAS.
        :param str content_language:
            Response header value for Content-Language when resource is accessed with this SAS.
        :param str content_type: Response header value for Content-Type when resource is accessed with this SAS.
        :param ~azure.storage.blob.models.UserDelegationKey user_delegation_key:
            A user delegation key (see :func:`get_user_delegation_key`) to sign with instead of
            the account key.
        :return: A Shared Access Signature (sas) token.
        :rtype: str
        """
        _validate_not_none('container_name', container_name)
        sas = self._blob_sas(user_delegation_key)
        return sas.generate_container(container_name, permission, expiry, start=start, id=id, ip=ip,
                                      protocol=protocol, cache_control=cache_control,
                                      content_disposition=content_disposition, content_encoding=content_encoding,
                                      content_language=content_language, content_type=content_type)

    def generate_blob_shared_access_signature(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                                              permission: Union[BlobPermissions, str, None] = None,
                                              expiry: Union[datetime, str, None] = None,
                                              start: Union[datetime, str, None] = None,
                                              id: Optional[str] = None,  # noqa: A002 - legacy
                                              ip: Optional[str] = None, protocol: Optional[str] = None,
                                              cache_control: Optional[str] = None,
                                              content_disposition: Optional[str] = None,
                                              content_encoding: Optional[str] = None,
                                              content_language: Optional[str] = None,
                                              content_type: Optional[str] = None,
                                              user_delegation_key: Optional[UserDelegationKey] = None) -> str:
        """
        Generates a shared access signature for the blob or one of its snapshots.
        Use the returned signature with the sas_token parameter of any BlobService.

        :param str container_name: Name of container.
        :param str blob_name: Name of blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to grant access to.
        :param BlobPermissions permission:
            The permissions of the SAS. Required unless ``id`` names a stored access policy
            that has them; must be left out if the policy has them.
        :param expiry:
            When the SAS becomes invalid. Required unless ``id`` names a stored access policy
            that has it; must be left out if the policy has it. A datetime without timezone
            is taken as UTC.
        :type expiry: datetime or str
        :param start:
            When the SAS becomes valid; the time the service receives each request if omitted.
        :type start: datetime or str
        :param str id:
            The id (up to 64 characters) of a stored access policy of the container, see
            :func:`set_container_acl`.
        :param str ip:
            An IP address or range to accept requests from, e.g. '168.1.5.65' or
            '168.1.5.60-168.1.5.70'.
        :param str protocol:
            The protocols a request may use: 'https' or 'https,http' (the default).
        :param str cache_control: Response header value for Cache-Control when resource is accessed with this SAS.
        :param str content_disposition:
            Response header value for Content-Disposition when resource is accessed with this SAS.
        :param str content_encoding:
            Response header value for Content-Encoding when resource is accessed with this SAS.
        :param str content_language:
            Response header value for Content-Language when resource is accessed with this SAS.
        :param str content_type: Response header value for Content-Type when resource is accessed with this SAS.
        :param ~azure.storage.blob.models.UserDelegationKey user_delegation_key:
            A user delegation key (see :func:`get_user_delegation_key`) to sign with instead of
            the account key.
        :return: A Shared Access Signature (sas) token.
        :rtype: str
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        sas = self._blob_sas(user_delegation_key)
        return sas.generate_blob(container_name=container_name, blob_name=blob_name, snapshot=snapshot,
                                 permission=permission, expiry=expiry, start=start, id=id, ip=ip, protocol=protocol,
                                 cache_control=cache_control, content_disposition=content_disposition,
                                 content_encoding=content_encoding, content_language=content_language,
                                 content_type=content_type)

    # Account and service

    async def get_user_delegation_key(self, key_start_time: datetime, key_expiry_time: datetime,
                                      timeout: Optional[int] = None) -> UserDelegationKey:
        """
        Obtain a user delegation key for the purpose of signing SAS tokens.
        The service must authenticate with a token credential for this to succeed.

        :param datetime key_start_time: When the key becomes valid.
        :param datetime key_expiry_time: When the key stops being valid.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: The user delegation key.
        :rtype: ~azure.storage.blob.models.UserDelegationKey
        """
        _validate_not_none('key_start_time', key_start_time)
        _validate_not_none('key_end_time', key_expiry_time)
        request = HTTPRequest('POST', _get_path(), {
            'restype': 'service',
            'comp': 'userdelegationkey',
            'timeout': _int_to_str(timeout),
        }, host_locations=self._get_host_locations(secondary=True))
        request.body = _convert_delegation_key_info_to_xml(key_start_time, key_expiry_time)
        return await self._perform_request(request, _convert_xml_to_user_delegation_key)

    async def get_blob_account_information(self, container_name: Optional[str] = None, blob_name: Optional[str] = None,
                                           timeout: Optional[int] = None) -> AccountInformation:
        """
        Gets information related to the storage account. A SAS for a container or a blob is
        enough, when the request names that container or blob.

        :param str container_name:
            Name of existing container. Optional, unless using a SAS token for a specific
            container or blob.
        :param str blob_name:
            Name of existing blob. Optional, unless using a SAS token for a specific blob.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: The :class:`~azure.storage.blob.models.AccountInformation`.
        """
        request = HTTPRequest('HEAD', _get_path(container_name, blob_name), {
            'restype': 'account',
            'comp': 'properties',
            'timeout': _int_to_str(timeout),
        }, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _parse_account_information)

    async def get_blob_service_stats(self, timeout: Optional[int] = None) -> ServiceStats:
        """
        Retrieves statistics related to replication for the Blob service. It is only
        available on the secondary location, when read-access geo-redundant replication
        (RA-GRS) is enabled for the storage account.

        :param int timeout: The timeout parameter is expressed in seconds.
        :return: The blob service stats.
        :rtype: :class:`~azure.storage.common.models.ServiceStats`
        """
        return await self._get_service_stats(timeout)

    async def set_blob_service_properties(self, logging: Optional[Logging] = None,
                                          hour_metrics: Optional[Metrics] = None,
                                          minute_metrics: Optional[Metrics] = None,
                                          cors: Optional[list[CorsRule]] = None, target_version: Optional[str] = None,
                                          timeout: Optional[int] = None,
                                          delete_retention_policy: Optional[DeleteRetentionPolicy] = None,
                                          static_website: Optional[StaticWebsite] = None) -> None:
        """
        Sets the properties of a storage account's Blob service, including Azure Storage
        Analytics. A setting left as None keeps its current value.

        :param logging: The logging settings.
        :type logging: :class:`~azure.storage.common.models.Logging`
        :param hour_metrics: The hour metrics settings (summary statistics per hour).
        :type hour_metrics: :class:`~azure.storage.common.models.Metrics`
        :param minute_metrics: The minute metrics settings (statistics per minute).
        :type minute_metrics: :class:`~azure.storage.common.models.Metrics`
        :param cors:
            Up to five CORS rules. An empty list deletes every rule; None keeps them.
        :type cors: list(:class:`~azure.storage.common.models.CorsRule`)
        :param str target_version:
            The default version for requests whose version is not specified.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param delete_retention_policy:
            The soft delete settings: whether deleted blobs are kept, and for how many days.
        :type delete_retention_policy: :class:`~azure.storage.common.models.DeleteRetentionPolicy`
        :param static_website: The static website settings.
        :type static_website: :class:`~azure.storage.common.models.StaticWebsite`
        """
        if all(parameter is None for parameter in (logging, hour_metrics, minute_metrics, cors, target_version,
                                                   delete_retention_policy, static_website)):
            raise ValueError(_ERROR_SERVICE_PROPERTIES_EMPTY)
        await self._set_service_properties(timeout, logging, hour_metrics, minute_metrics, cors, target_version,
                                           delete_retention_policy, static_website)

    async def get_blob_service_properties(self, timeout: Optional[int] = None) -> ServiceProperties:
        """
        Gets the properties of a storage account's Blob service, including Azure Storage
        Analytics.

        :param int timeout: The timeout parameter is expressed in seconds.
        :return: The blob :class:`~azure.storage.common.models.ServiceProperties` with an
            attached target_version property.
        """
        return await self._get_service_properties(timeout)

    # Containers

    def list_containers(self, prefix: Optional[str] = None, num_results: Optional[int] = None,
                        include_metadata: bool = False, marker: Optional[str] = None,
                        timeout: Optional[int] = None) -> ListOperation[Container]:
        """
        Lists the containers of the account. Await the result for the first page (a
        :class:`~azure.storage.common.models.ListGenerator` with ``next_marker``), or iterate it
        with ``async for`` to follow the continuation tokens lazily until every container, or
        num_results of them, has been returned.

        If num_results is given and the account has more containers, the generator has a
        next_marker once it finishes; pass it as ``marker`` to continue.

        :param str prefix: Only containers whose names begin with this prefix are returned.
        :param int num_results:
            The maximum number of containers to return. One request returns up to 5000
            containers and a continuation token for more.
        :param bool include_metadata: Return the metadata of each container too.
        :param str marker:
            An opaque continuation token: the next_marker of an earlier listing. The listing
            resumes where that one stopped.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        kwargs = {'prefix': prefix, 'marker': marker, 'max_results': num_results,
                  'include': 'metadata' if include_metadata else None, 'timeout': timeout,
                  '_context': _OperationContext(location_lock=True)}
        return ListOperation(self._list_containers, (), kwargs)

    async def _list_containers(self, prefix=None, marker=None, max_results=None, include=None, timeout=None,
                               _context=None):
        """
        One page of the containers of the account.

        :param str prefix: Only containers whose names begin with this prefix are returned.
        :param str marker: The continuation token of the page, from the previous page's next_marker.
        :param int max_results: The maximum number of containers of the page (up to 5000).
        :param str include: 'metadata' to return the metadata of each container.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        request = HTTPRequest('GET', _get_path(), {
            'comp': 'list',
            'prefix': _to_str(prefix),
            'marker': _to_str(marker),
            'maxresults': _int_to_str(max_results),
            'include': _to_str(include),
            'timeout': _int_to_str(timeout),
        }, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _convert_xml_to_containers, operation_context=_context)

    async def create_container(self, container_name: str, metadata: Optional[dict[str, str]] = None,
                               public_access: Optional[str] = None, fail_on_exist: bool = False,
                               timeout: Optional[int] = None) -> bool:
        """
        Creates a new container under the specified account. If a container with the same
        name already exists, the operation fails only if fail_on_exist is True.

        :param str container_name:
            Name of container to create: 3 to 63 lowercase letters, digits and hyphens,
            beginning with a letter or digit, with no two hyphens in a row.
        :param metadata: Name-value pairs to store with the container, e.g. {'Category': 'test'}.
        :type metadata: dict(str, str)
        :param ~azure.storage.blob.models.PublicAccess public_access:
            The public access level: container or blob; private when omitted.
        :param bool fail_on_exist: Whether to raise an exception when the container exists.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: True if the container is created, False if it already existed.
        :rtype: bool
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('PUT', _get_path(container_name), {
            'restype': 'container',
            'timeout': _int_to_str(timeout),
        }, {'x-ms-blob-public-access': _to_str(public_access)}, host_locations=self._get_host_locations())
        _add_metadata_headers(metadata, request)
        if fail_on_exist:
            await self._perform_request(request)
            return True
        try:
            await self._perform_request(request, expected_errors=[_CONTAINER_ALREADY_EXISTS_ERROR_CODE])
            return True
        except AzureHttpError as ex:
            return _dont_fail_on_exist(ex)

    async def get_container_properties(self, container_name: str, lease_id: Optional[str] = None,
                                       timeout: Optional[int] = None) -> Container:
        """
        Returns all user-defined metadata and system properties for the specified container.
        The data returned does not include the container's list of blobs.

        :param str container_name: Name of existing container.
        :param str lease_id: If given, only succeeds if the container's lease is active and has this ID.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: properties for the specified container within a container object.
        :rtype: :class:`~azure.storage.blob.models.Container`
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('GET', _get_path(container_name), {
            'restype': 'container',
            'timeout': _int_to_str(timeout),
        }, {'x-ms-lease-id': _to_str(lease_id)}, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _parse_container, [container_name])

    async def get_container_metadata(self, container_name: str, lease_id: Optional[str] = None,
                                     timeout: Optional[int] = None) -> dict[str, str]:
        """
        Returns all user-defined metadata for the specified container.

        :param str container_name: Name of existing container.
        :param str lease_id: If given, only succeeds if the container's lease is active and has this ID.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: A dictionary representing the container metadata name, value pairs.
        :rtype: dict(str, str)
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('GET', _get_path(container_name), {
            'restype': 'container',
            'comp': 'metadata',
            'timeout': _int_to_str(timeout),
        }, {'x-ms-lease-id': _to_str(lease_id)}, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _parse_metadata)

    async def set_container_metadata(self, container_name: str, metadata: Optional[dict[str, str]] = None,
                                     lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                                     timeout: Optional[int] = None) -> ResourceProperties:
        """
        Sets one or more user-defined name-value pairs for the specified container. Each call
        replaces all existing metadata of the container; call it without metadata to remove
        all of it.

        :param str container_name: Name of existing container.
        :param metadata: Name-value pairs to store with the container, e.g. {'category': 'test'}.
        :type metadata: dict(str, str)
        :param str lease_id: If given, only succeeds if the container's lease is active and has this ID.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time.
            Azure expects UTC: other timezones are converted, a datetime without one is taken as UTC.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: ETag and last modified properties for the updated Container
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('PUT', _get_path(container_name), {
            'restype': 'container',
            'comp': 'metadata',
            'timeout': _int_to_str(timeout),
        }, {
            'If-Modified-Since': _datetime_to_utc_string(if_modified_since),
            'x-ms-lease-id': _to_str(lease_id),
        }, host_locations=self._get_host_locations())
        _add_metadata_headers(metadata, request)
        return await self._perform_request(request, _parse_base_properties)

    async def get_container_acl(self, container_name: str, lease_id: Optional[str] = None,
                                timeout: Optional[int] = None) -> _dict:
        """
        Gets the permissions for the specified container: its stored access policies, and
        whether its data may be accessed publicly.

        :param str container_name: Name of existing container.
        :param lease_id: If given, only succeeds if the container's lease is active and has this ID.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: A dictionary of access policies associated with the container. dict of str to
            :class:`azure.storage.common.models.AccessPolicy` and a public_access property
            if public access is turned on
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('GET', _get_path(container_name), {
            'restype': 'container',
            'comp': 'acl',
            'timeout': _int_to_str(timeout),
        }, {'x-ms-lease-id': _to_str(lease_id)}, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _convert_xml_to_signed_identifiers_and_access)

    async def set_container_acl(self, container_name: str, signed_identifiers: Optional[dict[str, AccessPolicy]] = None,
                                public_access: Optional[str] = None, lease_id: Optional[str] = None,
                                if_modified_since: Optional[datetime] = None,
                                if_unmodified_since: Optional[datetime] = None,
                                timeout: Optional[int] = None) -> ResourceProperties:
        """
        Sets the permissions for the specified container: the stored access policies that
        Shared Access Signatures may refer to, and whether blobs in the container may be
        accessed publicly. Both are replaced.

        :param str container_name: Name of existing container.
        :param signed_identifiers:
            The access policies of the container, by id (up to 5). An empty dictionary clears
            the policies set on the container.
        :type signed_identifiers: dict(str, :class:`~azure.storage.common.models.AccessPolicy`)
        :param ~azure.storage.blob.models.PublicAccess public_access:
            The public access level: container or blob; private when omitted.
        :param str lease_id: If given, only succeeds if the container's lease is active and has this ID.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: ETag and last modified properties for the updated Container
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_access_policies(signed_identifiers)
        request = HTTPRequest('PUT', _get_path(container_name), {
            'restype': 'container',
            'comp': 'acl',
            'timeout': _int_to_str(timeout),
        }, {
            'x-ms-blob-public-access': _to_str(public_access),
            'If-Modified-Since': _datetime_to_utc_string(if_modified_since),
            'If-Unmodified-Since': _datetime_to_utc_string(if_unmodified_since),
            'x-ms-lease-id': _to_str(lease_id),
        }, host_locations=self._get_host_locations())
        request.body = _convert_signed_identifiers_to_xml(signed_identifiers)
        return await self._perform_request(request, _parse_base_properties)

    async def delete_container(self, container_name: str, fail_not_exist: bool = False, lease_id: Optional[str] = None,
                               if_modified_since: Optional[datetime] = None,
                               if_unmodified_since: Optional[datetime] = None, timeout: Optional[int] = None) -> bool:
        """
        Marks the specified container for deletion. The container and any blobs contained
        within it are later deleted during garbage collection.

        :param str container_name: Name of container to delete.
        :param bool fail_not_exist: Whether to raise an exception when the container does not exist.
        :param str lease_id:
            If given, only succeeds if the container's lease is active and has this ID.
            Required if the container has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: True if the container is deleted, False if it did not exist.
        :rtype: bool
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('DELETE', _get_path(container_name), {
            'restype': 'container',
            'timeout': _int_to_str(timeout),
        }, {
            'x-ms-lease-id': _to_str(lease_id),
            'If-Modified-Since': _datetime_to_utc_string(if_modified_since),
            'If-Unmodified-Since': _datetime_to_utc_string(if_unmodified_since),
        }, host_locations=self._get_host_locations())
        if fail_not_exist:
            await self._perform_request(request)
            return True
        try:
            await self._perform_request(request, expected_errors=[_CONTAINER_NOT_FOUND_ERROR_CODE])
            return True
        except AzureHttpError as ex:
            return _dont_fail_not_exist(ex)

    # Leases

    @staticmethod
    def _lease_headers(lease_action, lease_id, lease_duration, lease_break_period, proposed_lease_id):
        return {
            'x-ms-lease-id': _to_str(lease_id),
            'x-ms-lease-action': _to_str(lease_action),
            'x-ms-lease-duration': _to_str(lease_duration),
            'x-ms-lease-break-period': _to_str(lease_break_period),
            'x-ms-proposed-lease-id': _to_str(proposed_lease_id),
        }

    @staticmethod
    def _validate_lease_duration(lease_duration):
        _validate_not_none('lease_duration', lease_duration)
        if lease_duration != -1 and not 15 <= lease_duration <= 60:
            raise ValueError(_ERROR_INVALID_LEASE_DURATION)

    @staticmethod
    def _validate_lease_break_period(lease_break_period):
        if lease_break_period is not None and not 0 <= lease_break_period <= 60:
            raise ValueError(_ERROR_INVALID_LEASE_BREAK_PERIOD)

    async def _lease_container_impl(self, container_name, lease_action, lease_id, lease_duration,
                                    lease_break_period, proposed_lease_id, if_modified_since, if_unmodified_since,
                                    timeout):
        """
        One lease action on a container.

        :param str container_name: Name of existing container.
        :param str lease_action: acquire, renew, release, break or change (see _LeaseActions).
        :param str lease_id: The current lease ID (renew, release, change).
        :param int lease_duration: Seconds (15 to 60), or -1 for a lease that never expires (acquire).
        :param int lease_break_period: Seconds (0 to 60) before a broken lease ends (break).
        :param str proposed_lease_id: The new lease ID, in GUID string format (acquire, change).
        :param datetime if_modified_since: Only act if the container was modified since this time.
        :param datetime if_unmodified_since: Only act if the container was not modified since this time.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: {'id': lease id, 'time': seconds left of a broken lease}
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('lease_action', lease_action)
        headers = self._lease_headers(lease_action, lease_id, lease_duration, lease_break_period, proposed_lease_id)
        headers.update(_conditional_headers(if_modified_since, if_unmodified_since))
        request = HTTPRequest('PUT', _get_path(container_name), {
            'restype': 'container',
            'comp': 'lease',
            'timeout': _int_to_str(timeout),
        }, headers, host_locations=self._get_host_locations())
        return await self._perform_request(request, _parse_lease)

    async def acquire_container_lease(self, container_name: str, lease_duration: int = -1,
                                      proposed_lease_id: Optional[str] = None,
                                      if_modified_since: Optional[datetime] = None,
                                      if_unmodified_since: Optional[datetime] = None,
                                      timeout: Optional[int] = None) -> str:
        """
        Requests a new lease. If the container does not have an active lease, the Blob
        service creates a lease on the container and returns a new lease ID.

        :param str container_name: Name of existing container.
        :param int lease_duration:
            The lease duration in seconds, 15 to 60, or -1 (the default) for a lease that never
            expires. It cannot be changed by renew or change.
        :param str proposed_lease_id:
            The lease ID to use, in GUID string format. The Blob service returns 400 (Invalid
            request) if it is not in the correct format.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: the lease id of the newly created lease.
        :rtype: str
        """
        self._validate_lease_duration(lease_duration)
        lease = await self._lease_container_impl(container_name, _LeaseActions.Acquire, None, lease_duration, None,
                                                 proposed_lease_id, if_modified_since, if_unmodified_since, timeout)
        return lease['id']

    async def renew_container_lease(self, container_name: str, lease_id: str,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None,
                                    timeout: Optional[int] = None) -> str:
        """
        Renews the lease. The lease can be renewed if the lease ID specified matches that
        associated with the container. Note that the lease may be renewed even if it has
        expired as long as the container has not been leased again since the expiration of
        that lease. When you renew a lease, the lease duration clock resets.

        :param str container_name: Name of existing container.
        :param str lease_id: Lease ID for active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: the lease id of the renewed lease.
        :rtype: str
        """
        _validate_not_none('lease_id', lease_id)
        lease = await self._lease_container_impl(container_name, _LeaseActions.Renew, lease_id, None, None, None,
                                                 if_modified_since, if_unmodified_since, timeout)
        return lease['id']

    async def release_container_lease(self, container_name: str, lease_id: str,
                                      if_modified_since: Optional[datetime] = None,
                                      if_unmodified_since: Optional[datetime] = None,
                                      timeout: Optional[int] = None) -> None:
        """
        Release the lease. The lease may be released if the lease_id specified matches that
        associated with the container. Releasing the lease allows another client to
        immediately acquire the lease for the container as soon as the release is complete.

        :param str container_name: Name of existing container.
        :param str lease_id: Lease ID for active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        _validate_not_none('lease_id', lease_id)
        await self._lease_container_impl(container_name, _LeaseActions.Release, lease_id, None, None, None,
                                         if_modified_since, if_unmodified_since, timeout)

    async def break_container_lease(self, container_name: str, lease_break_period: Optional[int] = None,
                                    if_modified_since: Optional[datetime] = None,
                                    if_unmodified_since: Optional[datetime] = None,
                                    timeout: Optional[int] = None) -> int:
        """
        Break the lease, if the container has an active lease. Once a lease is broken, it
        cannot be renewed. Any authorized request can break the lease; the request is not
        required to specify a matching lease ID. When a lease is broken, the lease break
        period is allowed to elapse, during which time no lease operation except break and
        release can be performed on the container. When a lease is successfully broken, the
        response indicates the interval in seconds until a new lease can be acquired.

        :param str container_name: Name of existing container.
        :param int lease_break_period:
            The proposed duration, in seconds (0 to 60), that the lease should continue before
            it is broken. The service breaks the lease after the shorter of this and the time
            left on the lease; an infinite lease breaks at once without it.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: Approximate time remaining in the lease period, in seconds.
        :rtype: int
        """
        self._validate_lease_break_period(lease_break_period)
        lease = await self._lease_container_impl(container_name, _LeaseActions.Break, None, None, lease_break_period,
                                                 None, if_modified_since, if_unmodified_since, timeout)
        return lease['time']

    async def change_container_lease(self, container_name: str, lease_id: str, proposed_lease_id: str,
                                     if_modified_since: Optional[datetime] = None,
                                     if_unmodified_since: Optional[datetime] = None,
                                     timeout: Optional[int] = None) -> None:
        """
        Change the lease ID of an active lease. A change must include the current lease ID
        and a new lease ID.

        :param str container_name: Name of existing container.
        :param str lease_id: Lease ID for active lease.
        :param str proposed_lease_id:
            Proposed lease ID, in a GUID string format. The Blob service returns 400 (Invalid
            request) if the proposed lease ID is not in the correct format.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        _validate_not_none('lease_id', lease_id)
        await self._lease_container_impl(container_name, _LeaseActions.Change, lease_id, None, None,
                                         proposed_lease_id, if_modified_since, if_unmodified_since, timeout)

    # Blob listings

    # Without a delimiter every item is a Blob; with one, BlobPrefix items come too.
    @overload
    def list_blobs(self, container_name: str, prefix: Optional[str] = None, num_results: Optional[int] = None,
                   include: Union[Include, str, None] = None, delimiter: None = None,
                   marker: Optional[str] = None, timeout: Optional[int] = None) -> ListOperation[Blob]: ...

    @overload
    def list_blobs(self, container_name: str, prefix: Optional[str], num_results: Optional[int],
                   include: Union[Include, str, None], delimiter: str, marker: Optional[str] = None,
                   timeout: Optional[int] = None) -> ListOperation[Union[Blob, BlobPrefix]]: ...

    @overload
    def list_blobs(self, container_name: str, prefix: Optional[str] = None, num_results: Optional[int] = None,
                   include: Union[Include, str, None] = None, *, delimiter: str, marker: Optional[str] = None,
                   timeout: Optional[int] = None) -> ListOperation[Union[Blob, BlobPrefix]]: ...

    def list_blobs(self, container_name: str, prefix: Optional[str] = None, num_results: Optional[int] = None,
                   include: Union[Include, str, None] = None, delimiter: Optional[str] = None,
                   marker: Optional[str] = None, timeout: Optional[int] = None) -> ListOperation[Any]:
        """
        Lists the blobs of the specified container. Await the result for the first page (a
        :class:`~azure.storage.common.models.ListGenerator` with ``next_marker``), or iterate it
        with ``async for`` to follow the continuation tokens lazily until every blob, or
        num_results of them, has been returned.

        If num_results is given and the container has more blobs, the generator has a
        next_marker once it finishes; pass it as ``marker`` to continue.

        :param str container_name: Name of existing container.
        :param str prefix: Only blobs whose names begin with this prefix are returned.
        :param int num_results:
            The maximum number of blobs to return, :class:`BlobPrefix` elements included. The
            service returns up to 5000 per request; a value of zero or less is answered with
            400 (Bad Request).
        :param ~azure.storage.blob.models.Include include:
            The extra datasets to return: snapshots, metadata, uncommitted blobs, copy
            properties, deleted blobs.
        :param str delimiter:
            With a delimiter, the blobs whose names continue past the prefix up to the
            delimiter are returned as one :class:`~azure.storage.blob.models.BlobPrefix` (a
            virtual directory). The delimiter may be a single character or a string.
        :param str marker:
            An opaque continuation token: the next_marker of an earlier listing. The listing
            resumes where that one stopped.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        return self._blob_listing(container_name, prefix, num_results, include, delimiter, marker, timeout,
                                  _convert_xml_to_blob_list)

    def list_blob_names(self, container_name: str, prefix: Optional[str] = None, num_results: Optional[int] = None,
                        include: Union[Include, str, None] = None, delimiter: Optional[str] = None,
                        marker: Optional[str] = None, timeout: Optional[int] = None) -> ListOperation[str]:
        """
        Lists the names of the blobs of the specified container, as :func:`list_blobs` lists
        the blobs (prefix names first when a delimiter is given). Await the result for the
        first page, or iterate it with ``async for`` to walk every page lazily.

        :param str container_name: Name of existing container.
        :param str prefix: Only blobs whose names begin with this prefix are returned.
        :param int num_results:
            The maximum number of names to return, prefixes included. The service returns up
            to 5000 per request; a value of zero or less is answered with 400 (Bad Request).
        :param ~azure.storage.blob.models.Include include:
            The extra datasets to list: snapshots, uncommitted blobs, deleted blobs.
        :param str delimiter:
            With a delimiter, the blobs whose names continue past the prefix up to the
            delimiter are returned as one prefix name (a virtual directory).
        :param str marker:
            An opaque continuation token: the next_marker of an earlier listing. The listing
            resumes where that one stopped.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        return self._blob_listing(container_name, prefix, num_results, include, delimiter, marker, timeout,
                                  _convert_xml_to_blob_name_list)

    def _blob_listing(self, container_name, prefix, num_results, include, delimiter, marker, timeout, converter):
        _validate_not_none('container_name', container_name)
        kwargs = {'prefix': prefix, 'marker': marker, 'max_results': num_results, 'include': include,
                  'delimiter': delimiter, 'timeout': timeout, '_context': _OperationContext(location_lock=True),
                  '_converter': converter}
        return ListOperation(self._list_blobs, (container_name,), kwargs)

    async def _list_blobs(self, container_name, prefix=None, marker=None, max_results=None, include=None,
                          delimiter=None, timeout=None, _context=None, _converter=None):
        """
        One page of the blobs of a container.

        :param str container_name: Name of existing container.
        :param str prefix: Only blobs whose names begin with this prefix are returned.
        :param str marker: The continuation token of the page, from the previous page's next_marker.
        :param int max_results: The maximum number of items of the page (up to 5000).
        :param str include:
            The extra datasets, comma-separated: snapshots, metadata, uncommittedblobs, copy,
            deleted.
        :param str delimiter: Groups the names continuing past the prefix up to it into BlobPrefix items.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('GET', _get_path(container_name), {
            'restype': 'container',
            'comp': 'list',
            'prefix': _to_str(prefix),
            'delimiter': _to_str(delimiter),
            'marker': _to_str(marker),
            'maxresults': _int_to_str(max_results),
            'include': _to_str(include),
            'timeout': _int_to_str(timeout),
        }, host_locations=self._get_host_locations(secondary=True))
        return await self._perform_request(request, _converter or _convert_xml_to_blob_list,
                                           operation_context=_context)

    # Blob properties and metadata

    def _blob_request(self, method, container_name, blob_name, query, headers=None, secondary=False, cpk=None):
        """A request on a blob: names checked, host locations set, customer key headers added."""
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        request = HTTPRequest(method, _get_path(container_name, blob_name), query, headers,
                              host_locations=self._get_host_locations(secondary=secondary))
        _validate_and_add_cpk_headers(request, encryption_key=cpk, protocol=self.protocol)
        return request

    async def get_blob_properties(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                                  lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                                  if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                  if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                  cpk: Optional[CustomerProvidedEncryptionKey] = None) -> Blob:
        """
        Returns all user-defined metadata, standard HTTP properties, and system properties
        for the blob. It does not return the content of the blob. Returns
        :class:`~azure.storage.blob.models.Blob` with :class:`~azure.storage.blob.models.BlobProperties`
        and a metadata dict.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to read instead of the blob.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: a blob object including properties and metadata.
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        request = self._blob_request('HEAD', container_name, blob_name, {
            'snapshot': _to_str(snapshot),
            'timeout': _int_to_str(timeout),
        }, headers, secondary=True, cpk=cpk)
        return await self._perform_request(request, _parse_blob, [blob_name, snapshot])

    async def set_blob_properties(self, container_name: str, blob_name: str,
                                  content_settings: Optional[ContentSettings] = None, lease_id: Optional[str] = None,
                                  if_modified_since: Optional[datetime] = None,
                                  if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                  if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                  cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Sets system properties on the blob. If one property is set for the content_settings,
        all properties will be overridden.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param ~azure.storage.blob.models.ContentSettings content_settings:
            The content headers of the blob (type, encoding, language, disposition, MD5, cache control).
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag and last modified properties for the updated Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        if content_settings is not None:
            headers.update(content_settings._to_headers())
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'properties',
            'timeout': _int_to_str(timeout),
        }, headers, cpk=cpk)
        return await self._perform_request(request, _parse_base_properties)

    async def exists(self, container_name: str, blob_name: Optional[str] = None, snapshot: Optional[str] = None,
                     timeout: Optional[int] = None) -> bool:
        """
        Returns a boolean indicating whether the container exists (if blob_name is None), or
        otherwise a boolean indicating whether the blob (or its snapshot) exists.

        :param str container_name: Name of a container.
        :param str blob_name: Name of a blob. If None, the container will be checked for existence.
        :param str snapshot: The snapshot (an opaque DateTime value) to check for instead of the blob.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: A boolean indicating whether the resource exists.
        :rtype: bool
        """
        _validate_not_none('container_name', container_name)
        request = HTTPRequest('GET' if blob_name is None else 'HEAD', _get_path(container_name, blob_name), {
            'snapshot': _to_str(snapshot),
            'timeout': _int_to_str(timeout),
            'restype': 'container' if blob_name is None else None,
        }, host_locations=self._get_host_locations(secondary=True))
        expected_errors = [_CONTAINER_NOT_FOUND_ERROR_CODE]
        if blob_name is not None:
            expected_errors.append(_BLOB_NOT_FOUND_ERROR_CODE)
        try:
            await self._perform_request(request, expected_errors=expected_errors)
            return True
        except AzureHttpError as ex:
            return _dont_fail_not_exist(ex)

    async def get_blob_metadata(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                                lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                                if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                cpk: Optional[CustomerProvidedEncryptionKey] = None) -> dict[str, str]:
        """
        Returns all user-defined metadata for the specified blob or snapshot.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to read instead of the blob.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: A dictionary representing the blob metadata name, value pairs.
        :rtype: dict(str, str)
        """
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        request = self._blob_request('GET', container_name, blob_name, {
            'snapshot': _to_str(snapshot),
            'comp': 'metadata',
            'timeout': _int_to_str(timeout),
        }, headers, secondary=True, cpk=cpk)
        return await self._perform_request(request, _parse_metadata)

    async def set_blob_metadata(self, container_name: str, blob_name: str, metadata: Optional[dict[str, str]] = None,
                                lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                                if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                cpk: Optional[CustomerProvidedEncryptionKey] = None) -> ResourceProperties:
        """
        Sets user-defined metadata for the specified blob as one or more name-value pairs.
        Each call replaces all existing metadata; call it without metadata to remove all of it.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param metadata: Name-value pairs to store with the blob, e.g. {'Category': 'test'}.
        :type metadata: dict(str, str)
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: ETag and last modified properties for the updated Blob
        :rtype: :class:`~azure.storage.blob.models.ResourceProperties`
        """
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'metadata',
            'timeout': _int_to_str(timeout),
        }, headers, cpk=cpk)
        _add_metadata_headers(metadata, request)
        return await self._perform_request(request, _parse_base_properties)

    # Downloads

    async def _get_blob(self, container_name, blob_name, snapshot=None, start_range=None, end_range=None,
                        validate_content=False, lease_id=None, if_modified_since=None, if_unmodified_since=None,
                        if_match=None, if_none_match=None, timeout=None, cpk=None, _context=None):
        """
        One GET of a blob or of a range of it (inclusive ends); the content is decrypted when
        a key or resolver is set, the range widened to whole AES blocks for that.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to read instead of the blob.
        :param int start_range: The first byte to return; the start of the blob if None.
        :param int end_range: The last byte to return; the end of the blob if None.
        :param bool validate_content:
            Have the service hash the range (at most 4MB, both ends given) and check the MD5.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since: Only read if the blob was modified since this time.
        :param datetime if_unmodified_since: Only read if the blob was not modified since this time.
        :param str if_match: Only read if the blob's ETag matches.
        :param str if_none_match: Only read if the blob's ETag does not match.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk: The customer-provided key.
        :return: A Blob with content, properties, and metadata.
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_decryption_required(self.require_encryption, self.key_encryption_key, self.key_resolver_function)

        start_offset, end_offset = 0, 0
        if self.key_encryption_key is not None or self.key_resolver_function is not None:
            # Read whole AES blocks, and the block before the range as its IV.
            if start_range is not None:
                start_offset = start_range % 16
                start_range -= start_offset
                if start_range > 0:
                    start_offset += 16
                    start_range -= 16
            if end_range is not None:
                end_offset = 15 - end_range % 16
                end_range += end_offset

        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        request = self._blob_request('GET', container_name, blob_name, {
            'snapshot': _to_str(snapshot),
            'timeout': _int_to_str(timeout),
        }, headers, secondary=True, cpk=cpk)
        _validate_and_format_range_headers(request, start_range, end_range, start_range_required=False,
                                           end_range_required=False, check_content_md5=validate_content)
        if self.key_encryption_key is None and self.key_resolver_function is None:
            return await self._perform_request(request, _parse_blob, [blob_name, snapshot, validate_content],
                                               operation_context=_context)
        blob, headers = await self._perform_request(request, _parse_blob_and_headers,
                                                    [blob_name, snapshot, validate_content], operation_context=_context)
        try:
            # A range of up to MAX_SINGLE_GET_SIZE: decrypted in a worker thread when large.
            blob.content = await _decrypt_blob(blob.content, headers, self.require_encryption,
                                               self.key_encryption_key, self.key_resolver_function, start_offset,
                                               end_offset, end_range,
                                               _context.content_keys if _context is not None else None)
        except Exception as ex:
            # Retrying would not help: raised as legacy raised it, without a retry.
            raise _DecryptionFailure() from ex
        return blob

    async def get_blob_to_path(self, container_name: str, blob_name: str, file_path: str, open_mode: str = 'wb',
                               snapshot: Optional[str] = None, start_range: Optional[int] = None,
                               end_range: Optional[int] = None, validate_content: bool = False,
                               progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                               max_connections: int = 2, lease_id: Optional[str] = None,
                               if_modified_since: Optional[datetime] = None,
                               if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                               if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                               cpk: Optional[CustomerProvidedEncryptionKey] = None) -> Blob:
        """
        Downloads a blob to a file path, with automatic chunking and progress notifications.
        Returns an instance of :class:`~azure.storage.blob.models.Blob` with properties and
        metadata. The file is written in a worker thread, range by range.

        With the default open_mode 'wb' the download is atomic: it goes to a temporary file
        in the same directory, which is flushed to disk and renamed over file_path only once
        the whole blob has arrived. A failed or cancelled download leaves an existing file as
        it was and no temporary file behind. A symlink's target is replaced, the link stays.
        Other open modes, and destinations that are not regular files (devices, pipes), are
        written into directly, as legacy did.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str file_path: Path of file to write out to.
        :param str open_mode:
            Mode to use when opening the file. Note that specifying append only open_mode
            prevents parallel download. So, max_connections must be set to 1 if this
            open_mode is used.
        :param str snapshot: The snapshot (an opaque DateTime value) to download instead of the blob.
        :param int start_range:
            Start of byte range to use for downloading a section of the blob. If no
            end_range is given, all bytes after the start_range will be downloaded. The
            start_range and end_range params are inclusive. Ex: start_range=0, end_range=511
            will download first 512 bytes of blob.
        :param int end_range:
            End of byte range to use for downloading a section of the blob. If end_range is
            given, start_range must be provided. The start_range and end_range params are
            inclusive.
        :param bool validate_content:
            If set to true, validates an MD5 hash for each retrieved portion of the blob. This
            is primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. As the service hashes at most
            4MB per request, the blob is then read in ranges of MAX_CHUNK_GET_SIZE (which must
            be 4MB or less).
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob if known.
            A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections:
            If set to 2 or greater, an initial get will be done for the first
            self.MAX_SINGLE_GET_SIZE bytes of the blob. If this is the entire blob, the method
            returns at this point. If it is not, it will download the remaining data with up
            to max_connections ranges in flight at once, each self.MAX_CHUNK_GET_SIZE in size.
            If set to 1, a single large get request will be done. This is not generally
            recommended but available if very few connections should be used. A blob that
            changes during a multi-range download fails it (412).
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: A Blob with properties and metadata. Its content_settings.content_md5 is the
            MD5 stored with the whole blob (when it has one), not that of a range read.
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        _validate_download(container_name, blob_name, start_range, end_range, max_connections)
        _validate_not_none('file_path', file_path)
        _validate_not_none('open_mode', open_mode)
        if max_connections > 1 and 'a' in open_mode:
            raise ValueError(_ERROR_PARALLEL_NOT_SEEKABLE)
        slots = self._file_slots.get(self.MAX_OPEN_FILES)
        replaceable = await _in_thread(_replaceable_path, file_path) if open_mode == 'wb' else None
        if replaceable is not None:
            destination = _atomic_file(replaceable, slots)
        else:
            destination = _open_file(file_path, open_mode, slots)
        async with destination as stream:
            return await self.get_blob_to_stream(
                container_name, blob_name, stream, snapshot, start_range, end_range, validate_content,
                progress_callback, max_connections, lease_id, if_modified_since, if_unmodified_since, if_match,
                if_none_match, timeout=timeout, cpk=cpk)

    async def get_blob_to_stream(self, container_name: str, blob_name: str, stream: IO[bytes],
                                 snapshot: Optional[str] = None, start_range: Optional[int] = None,
                                 end_range: Optional[int] = None, validate_content: bool = False,
                                 progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                 max_connections: int = 2, lease_id: Optional[str] = None,
                                 if_modified_since: Optional[datetime] = None,
                                 if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                 if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                 cpk: Optional[CustomerProvidedEncryptionKey] = None) -> Blob:
        """
        Downloads a blob to a stream, with automatic chunking and progress notifications.
        Returns an instance of :class:`~azure.storage.blob.models.Blob` with properties and
        metadata. Each range is written into the stream as it arrives: at its own offset when
        max_connections is greater than 1 (the stream must then be seekable), in order
        otherwise. A file stream is written in a worker thread.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param io.IOBase stream: Opened stream to write to.
        :param str snapshot: The snapshot (an opaque DateTime value) to download instead of the blob.
        :param int start_range:
            Start of byte range to use for downloading a section of the blob. If no
            end_range is given, all bytes after the start_range will be downloaded. The
            start_range and end_range params are inclusive. Ex: start_range=0, end_range=511
            will download first 512 bytes of blob.
        :param int end_range:
            End of byte range to use for downloading a section of the blob. If end_range is
            given, start_range must be provided. The start_range and end_range params are
            inclusive.
        :param bool validate_content:
            If set to true, validates an MD5 hash for each retrieved portion of the blob. This
            is primarily valuable for detecting bitflips on the wire if using http instead of
            https as https (the default) will already validate. As the service hashes at most
            4MB per request, the blob is then read in ranges of MAX_CHUNK_GET_SIZE (which must
            be 4MB or less).
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob if known.
            A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections:
            If set to 2 or greater, an initial get will be done for the first
            self.MAX_SINGLE_GET_SIZE bytes of the blob. If this is the entire blob, the method
            returns at this point. If it is not, it will download the remaining data with up
            to max_connections ranges in flight at once, each self.MAX_CHUNK_GET_SIZE in size.
            If set to 1, the ranges are read one after the other. A blob that changes during a
            multi-range download fails it (412).
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: A Blob with properties and metadata. Its content_settings.content_md5 is the
            MD5 stored with the whole blob (when it has one), not that of a range read.
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        _validate_download(container_name, blob_name, start_range, end_range, max_connections)
        _validate_not_none('stream', stream)
        if end_range is not None:
            _validate_not_none('start_range', start_range)
        if max_connections > 1:
            _validate_seekable_for_parallel(stream)

        # The first request reads up to MAX_SINGLE_GET_SIZE and tells the blob's size; with
        # content validation every request must stay within what the service will hash.
        first_get_size = self.MAX_CHUNK_GET_SIZE if validate_content else self.MAX_SINGLE_GET_SIZE
        initial_request_start = start_range if start_range is not None else 0
        if end_range is not None and end_range - initial_request_start < first_get_size:
            initial_request_end = end_range
        else:
            initial_request_end = initial_request_start + first_get_size - 1

        operation_context = _OperationContext(location_lock=True)
        conditions = dict(lease_id=lease_id, if_modified_since=if_modified_since,
                          if_unmodified_since=if_unmodified_since, if_match=if_match, if_none_match=if_none_match,
                          timeout=timeout, _context=operation_context, cpk=cpk)
        try:
            blob = await self._get_blob(container_name, blob_name, snapshot, start_range=initial_request_start,
                                        end_range=initial_request_end, validate_content=validate_content,
                                        **conditions)
            blob_size = _parse_length_from_content_range(blob.properties.content_range)
            if blob_size is None:
                raise AzureException('The answer to a ranged read has no Content-Range: the blob size is unknown.')
            if end_range is not None:
                download_size = min(blob_size, end_range - initial_request_start + 1)
            else:
                download_size = blob_size - initial_request_start
        except AzureHttpError as ex:
            # A ranged read of an empty blob is unsatisfiable: read it whole instead.
            if start_range is not None or ex.status_code != _RANGE_NOT_SATISFIABLE:
                raise
            blob = await self._get_blob(container_name, blob_name, snapshot, validate_content=validate_content,
                                        **conditions)
            blob_size = download_size = 0

        if progress_callback:
            # The bytes that reach the stream: the response to a ranged read of an encrypted
            # blob is longer than the plaintext it decrypts to (whole AES blocks, and the IV).
            await _invoke_callback(progress_callback, len(blob.content), download_size)
        if blob.content is not None:
            await _write_stream(stream, blob.content)
            blob.content = None

        if blob.properties.content_length != download_size:
            # Every later range must come from the version the first request saw.
            if_match = if_match if if_match is not None else blob.properties.etag
            end_blob = blob_size if end_range is None else min(blob_size, end_range + 1)
            await _download_blob_chunks(self, container_name, blob_name, snapshot, download_size,
                                        self.MAX_CHUNK_GET_SIZE, first_get_size, initial_request_end + 1, end_blob,
                                        stream, max_connections, progress_callback, validate_content, lease_id,
                                        if_modified_since, if_unmodified_since, if_match, if_none_match, timeout,
                                        operation_context, cpk)
            blob.properties.content_length = download_size
            blob.properties.content_range = 'bytes {}-{}/{}'.format(initial_request_start, end_blob - 1, blob_size)
        return blob

    async def get_blob_to_bytes(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                                start_range: Optional[int] = None, end_range: Optional[int] = None,
                                validate_content: bool = False,
                                progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                                max_connections: int = 2, lease_id: Optional[str] = None,
                                if_modified_since: Optional[datetime] = None,
                                if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                                cpk: Optional[CustomerProvidedEncryptionKey] = None) -> Blob:
        """
        Downloads a blob as an array of bytes, with automatic chunking and progress
        notifications. Returns an instance of :class:`~azure.storage.blob.models.Blob` with
        properties, metadata, and content.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to download instead of the blob.
        :param int start_range:
            Start of byte range to use for downloading a section of the blob. If no
            end_range is given, all bytes after the start_range will be downloaded. The
            start_range and end_range params are inclusive. Ex: start_range=0, end_range=511
            will download first 512 bytes of blob.
        :param int end_range:
            End of byte range to use for downloading a section of the blob. If end_range is
            given, start_range must be provided. The start_range and end_range params are
            inclusive.
        :param bool validate_content:
            If set to true, validates an MD5 hash for each retrieved portion of the blob (read
            in ranges of MAX_CHUNK_GET_SIZE, at most 4MB).
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob if known.
            A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections:
            If set to 2 or greater, an initial get will be done for the first
            self.MAX_SINGLE_GET_SIZE bytes of the blob, then the rest in ranges of
            self.MAX_CHUNK_GET_SIZE, up to max_connections at once. If set to 1, the ranges
            are read one after the other.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: A Blob with properties and metadata, and the content as bytes.
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        stream = BytesIO()
        blob = await self.get_blob_to_stream(container_name, blob_name, stream, snapshot, start_range, end_range,
                                             validate_content, progress_callback, max_connections, lease_id,
                                             if_modified_since, if_unmodified_since, if_match, if_none_match,
                                             timeout=timeout, cpk=cpk)
        blob.content = stream.getvalue()
        return blob

    async def get_blob_to_text(self, container_name: str, blob_name: str, encoding: str = 'utf-8',
                               snapshot: Optional[str] = None, start_range: Optional[int] = None,
                               end_range: Optional[int] = None, validate_content: bool = False,
                               progress_callback: Optional[Callable[[int, Optional[int]], Any]] = None,
                               max_connections: int = 2, lease_id: Optional[str] = None,
                               if_modified_since: Optional[datetime] = None,
                               if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                               if_none_match: Optional[str] = None, timeout: Optional[int] = None,
                               cpk: Optional[CustomerProvidedEncryptionKey] = None) -> Blob:
        """
        Downloads a blob as unicode text, with automatic chunking and progress notifications.
        Returns an instance of :class:`~azure.storage.blob.models.Blob` with properties,
        metadata, and content.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str encoding: Python encoding to use when decoding the blob data.
        :param str snapshot: The snapshot (an opaque DateTime value) to download instead of the blob.
        :param int start_range:
            Start of byte range to use for downloading a section of the blob. If no
            end_range is given, all bytes after the start_range will be downloaded. The
            start_range and end_range params are inclusive. Ex: start_range=0, end_range=511
            will download first 512 bytes of blob.
        :param int end_range:
            End of byte range to use for downloading a section of the blob. If end_range is
            given, start_range must be provided. The start_range and end_range params are
            inclusive.
        :param bool validate_content:
            If set to true, validates an MD5 hash for each retrieved portion of the blob (read
            in ranges of MAX_CHUNK_GET_SIZE, at most 4MB).
        :param progress_callback:
            Callback for progress with signature function(current, total) where current is
            the number of bytes transfered so far, and total is the size of the blob if known.
            A plain or a coroutine function.
        :type progress_callback: func(current, total)
        :param int max_connections:
            If set to 2 or greater, an initial get will be done for the first
            self.MAX_SINGLE_GET_SIZE bytes of the blob, then the rest in ranges of
            self.MAX_CHUNK_GET_SIZE, up to max_connections at once. If set to 1, the ranges
            are read one after the other.
        :param str lease_id: Required if the blob has an active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout:
            The timeout parameter is expressed in seconds. This method may make multiple calls
            to the Azure service and the timeout will apply to each call individually.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: A Blob with properties and metadata, and the content as text.
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('encoding', encoding)
        blob = await self.get_blob_to_bytes(container_name, blob_name, snapshot, start_range, end_range,
                                            validate_content, progress_callback, max_connections, lease_id,
                                            if_modified_since, if_unmodified_since, if_match, if_none_match,
                                            timeout=timeout, cpk=cpk)
        blob.content = blob.content.decode(encoding)
        return blob

    # Blob leases

    async def _lease_blob_impl(self, container_name, blob_name, lease_action, lease_id, lease_duration,
                               lease_break_period, proposed_lease_id, if_modified_since, if_unmodified_since,
                               if_match, if_none_match, timeout=None):
        """
        One lease action on a blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str lease_action: acquire, renew, release, break or change (see _LeaseActions).
        :param str lease_id: The current lease ID (renew, release, change).
        :param int lease_duration: Seconds (15 to 60), or -1 for a lease that never expires (acquire).
        :param int lease_break_period: Seconds (0 to 60) before a broken lease ends (break).
        :param str proposed_lease_id: The new lease ID, in GUID string format (acquire, change).
        :param datetime if_modified_since: Only act if the blob was modified since this time.
        :param datetime if_unmodified_since: Only act if the blob was not modified since this time.
        :param str if_match: Only act if the blob's ETag matches.
        :param str if_none_match: Only act if the blob's ETag does not match.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: {'id': lease id, 'time': seconds left of a broken lease}
        """
        _validate_not_none('lease_action', lease_action)
        headers = self._lease_headers(lease_action, lease_id, lease_duration, lease_break_period, proposed_lease_id)
        headers.update(_conditional_headers(if_modified_since, if_unmodified_since, if_match, if_none_match))
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'lease',
            'timeout': _int_to_str(timeout),
        }, headers)
        return await self._perform_request(request, _parse_lease)

    async def acquire_blob_lease(self, container_name: str, blob_name: str, lease_duration: int = -1,
                                 proposed_lease_id: Optional[str] = None, if_modified_since: Optional[datetime] = None,
                                 if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                 if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> str:
        """
        Requests a new lease. If the blob does not have an active lease, the Blob service
        creates a lease on the blob and returns a new lease ID.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param int lease_duration:
            The lease duration in seconds, 15 to 60, or -1 (the default) for a lease that never
            expires. It cannot be changed by renew or change.
        :param str proposed_lease_id:
            The lease ID to use, in GUID string format. The Blob service returns 400 (Invalid
            request) if it is not in the correct format.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: the lease id of the newly created lease.
        :rtype: str
        """
        self._validate_lease_duration(lease_duration)
        lease = await self._lease_blob_impl(container_name, blob_name, _LeaseActions.Acquire, None, lease_duration,
                                            None, proposed_lease_id, if_modified_since, if_unmodified_since,
                                            if_match, if_none_match, timeout)
        return lease['id']

    async def renew_blob_lease(self, container_name: str, blob_name: str, lease_id: str,
                               if_modified_since: Optional[datetime] = None,
                               if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                               if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> str:
        """
        Renews the lease. The lease can be renewed if the lease ID specified on the request
        matches that associated with the blob. Note that the lease may be renewed even if it
        has expired as long as the blob has not been modified or leased again since the
        expiration of that lease. When you renew a lease, the lease duration clock resets.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str lease_id: Lease ID for active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: the lease id of the renewed lease.
        :rtype: str
        """
        _validate_not_none('lease_id', lease_id)
        lease = await self._lease_blob_impl(container_name, blob_name, _LeaseActions.Renew, lease_id, None, None,
                                            None, if_modified_since, if_unmodified_since, if_match, if_none_match,
                                            timeout)
        return lease['id']

    async def release_blob_lease(self, container_name: str, blob_name: str, lease_id: str,
                                 if_modified_since: Optional[datetime] = None,
                                 if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                 if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> None:
        """
        Releases the lease. The lease may be released if the lease ID specified on the
        request matches that associated with the blob. Releasing the lease allows another
        client to immediately acquire the lease for the blob as soon as the release is
        complete.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str lease_id: Lease ID for active lease.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        _validate_not_none('lease_id', lease_id)
        await self._lease_blob_impl(container_name, blob_name, _LeaseActions.Release, lease_id, None, None, None,
                                    if_modified_since, if_unmodified_since, if_match, if_none_match, timeout)

    async def break_blob_lease(self, container_name: str, blob_name: str, lease_break_period: Optional[int] = None,
                               if_modified_since: Optional[datetime] = None,
                               if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                               if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> int:
        """
        Breaks the lease, if the blob has an active lease. Once a lease is broken, it cannot
        be renewed. Any authorized request can break the lease; the request is not required
        to specify a matching lease ID. When a lease is broken, the lease break period is
        allowed to elapse, during which time no lease operation except break and release can
        be performed on the blob. When a lease is successfully broken, the response indicates
        the interval in seconds until a new lease can be acquired.

        A lease that has been broken can also be released, in which case another client may
        immediately acquire the lease on the blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param int lease_break_period:
            The proposed duration, in seconds (0 to 60), that the lease should continue before
            it is broken. The service breaks the lease after the shorter of this and the time
            left on the lease; an infinite lease breaks at once without it.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: Approximate time remaining in the lease period, in seconds.
        :rtype: int
        """
        self._validate_lease_break_period(lease_break_period)
        lease = await self._lease_blob_impl(container_name, blob_name, _LeaseActions.Break, None, None,
                                            lease_break_period, None, if_modified_since, if_unmodified_since,
                                            if_match, if_none_match, timeout)
        return lease['time']

    async def change_blob_lease(self, container_name: str, blob_name: str, lease_id: str, proposed_lease_id: str,
                                if_modified_since: Optional[datetime] = None,
                                if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                                if_none_match: Optional[str] = None, timeout: Optional[int] = None) -> None:
        """
        Changes the lease ID of an active lease. A change must include the current lease ID
        and a new lease ID.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str lease_id: Required if the blob has an active lease.
        :param str proposed_lease_id:
            Proposed lease ID, in a GUID string format. The Blob service returns 400 (Invalid
            request) if the proposed lease ID is not in the correct format.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        await self._lease_blob_impl(container_name, blob_name, _LeaseActions.Change, lease_id, None, None,
                                    proposed_lease_id, if_modified_since, if_unmodified_since, if_match,
                                    if_none_match, timeout)

    # Snapshots, copies, deletes

    async def snapshot_blob(self, container_name: str, blob_name: str, metadata: Optional[dict[str, str]] = None,
                            if_modified_since: Optional[datetime] = None,
                            if_unmodified_since: Optional[datetime] = None, if_match: Optional[str] = None,
                            if_none_match: Optional[str] = None, lease_id: Optional[str] = None,
                            timeout: Optional[int] = None, cpk: Optional[CustomerProvidedEncryptionKey] = None) -> Blob:
        """
        Creates a read-only snapshot of a blob.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param metadata:
            Name-value pairs for the snapshot. Without them, the snapshot gets the metadata of
            the blob.
        :type metadata: dict(str, str)
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param str lease_id: Required if the blob has an active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :param ~azure.storage.blob.models.CustomerProvidedEncryptionKey cpk:
            The customer-provided key the blob is encrypted with (HTTPS only).
        :return: snapshot properties
        :rtype: :class:`~azure.storage.blob.models.Blob`
        """
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'snapshot',
            'timeout': _int_to_str(timeout),
        }, headers, cpk=cpk)
        _add_metadata_headers(metadata, request)
        return await self._perform_request(request, _parse_snapshot_blob, [blob_name])

    async def copy_blob(self, container_name: str, blob_name: str, copy_source: str,
                        metadata: Optional[dict[str, str]] = None, source_if_modified_since: Optional[datetime] = None,
                        source_if_unmodified_since: Optional[datetime] = None, source_if_match: Optional[str] = None,
                        source_if_none_match: Optional[str] = None,
                        destination_if_modified_since: Optional[datetime] = None,
                        destination_if_unmodified_since: Optional[datetime] = None,
                        destination_if_match: Optional[str] = None, destination_if_none_match: Optional[str] = None,
                        destination_lease_id: Optional[str] = None, source_lease_id: Optional[str] = None,
                        timeout: Optional[int] = None) -> CopyProperties:
        """
        Copies a blob asynchronously. This operation returns a copy operation properties
        object, including a copy ID you can use to check or abort the copy operation. The
        Blob service copies blobs on a best-effort basis.

        The source blob for a copy operation may be a block blob, an append blob, or a page
        blob. If the destination blob already exists, it must be of the same blob type as the
        source blob. Any existing destination blob will be overwritten. The destination blob
        cannot be modified while a copy operation is in progress.

        When copying from a page blob, the Blob service creates a destination page blob of
        the source blob's length, initially containing all zeroes. Then the source page
        ranges are enumerated, and non-empty ranges are copied.

        For a block blob or an append blob, the Blob service creates a committed blob of zero
        length before returning from this operation. When copying from a block blob, all
        committed blocks and their block IDs are copied. Uncommitted blocks are not copied. At
        the end of the copy operation, the destination blob will have the same committed block
        count as the source.

        When copying from an append blob, all committed blocks are copied. At the end of the
        copy operation, the destination blob will have the same committed block count as the
        source.

        For all blob types, you can call get_blob_properties on the destination blob to check
        the status of the copy operation. The final blob will be committed when the copy
        completes.

        :param str container_name: Name of the destination container. The container must exist.
        :param str blob_name: Name of the destination blob. If it exists, it is overwritten.
        :param str copy_source:
            A URL of up to 2 KB that names the source: a blob, or a snapshot of one
            (?snapshot=). Another account's blob must be public or carry a SAS.
            Blob: https://myaccount.blob.core.windows.net/mycontainer/myblob
            Snapshot: https://myaccount.blob.core.windows.net/mycontainer/myblob?snapshot=<DateTime>
            A '/account/container/blob' path names a blob of this service's account.
        :param metadata:
            Name-value pairs for the destination blob. Without them, the source blob's
            metadata is copied; with them, only these are stored.
        :type metadata: dict(str, str)
        :param datetime source_if_modified_since: Only copy if the source blob was modified since this time.
        :param datetime source_if_unmodified_since: Only copy if the source blob was not modified since this time.
        :param ETag source_if_match: Only copy if the source blob's ETag matches this value.
        :param ETag source_if_none_match: Only copy if the source blob's ETag does not match this value.
        :param datetime destination_if_modified_since:
            Only copy if the destination blob was modified since this time; 412 (Precondition
            Failed) if not.
        :param datetime destination_if_unmodified_since:
            Only copy if the destination blob was not modified since this time; 412
            (Precondition Failed) if it was.
        :param ETag destination_if_match:
            Only copy if the destination blob's ETag matches this value; 412 (Precondition
            Failed) if not.
        :param ETag destination_if_none_match:
            Only copy if the destination blob's ETag does not match this value ('*': only if
            it does not exist); 412 (Precondition Failed) if it does.
        :param str destination_lease_id: The lease ID of the destination blob, required if it has an active lease.
        :param str source_lease_id: The lease ID of the source blob: only copy if it matches the active lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: Copy operation properties such as status, source, and ID.
        :rtype: :class:`~azure.storage.blob.models.CopyProperties`
        """
        return await self._copy_blob(container_name, blob_name, copy_source, metadata, None,
                                     source_if_modified_since, source_if_unmodified_since, source_if_match,
                                     source_if_none_match, destination_if_modified_since,
                                     destination_if_unmodified_since, destination_if_match,
                                     destination_if_none_match, destination_lease_id, source_lease_id, timeout,
                                     False, False)

    async def _copy_blob(self, container_name, blob_name, copy_source, metadata=None, premium_page_blob_tier=None,
                         source_if_modified_since=None, source_if_unmodified_since=None, source_if_match=None,
                         source_if_none_match=None, destination_if_modified_since=None,
                         destination_if_unmodified_since=None, destination_if_match=None,
                         destination_if_none_match=None, destination_lease_id=None, source_lease_id=None,
                         timeout=None, incremental_copy=False, requires_sync=None, standard_blob_tier=None,
                         rehydrate_priority=None):
        """
        Start a copy (or, with ``incremental_copy``, an incremental copy of a page blob
        snapshot) into the blob; the arguments are those of the public copy methods.

        :param PremiumPageBlobTier premium_page_blob_tier: The tier of the destination page blob.
        :param bool incremental_copy: Whether this is an incremental copy (page blobs).
        :param bool requires_sync: Whether the copy must complete before the response (synchronous copy).
        :param StandardBlobTier standard_blob_tier: The tier of the destination block blob.
        :param RehydratePriority rehydrate_priority: How fast to rehydrate an archived source.
        :return: Copy operation properties such as status, source, and ID.
        :rtype: :class:`~azure.storage.blob.models.CopyProperties`
        """
        _validate_not_none('container_name', container_name)
        _validate_not_none('blob_name', blob_name)
        _validate_not_none('copy_source', copy_source)
        if copy_source.startswith('/'):
            # '/account/container/blob' names a blob of this account: make it a URL.
            source = copy_source.partition('/')[2].partition('/')[2]
            copy_source = '{}://{}/{}'.format(self.protocol, self.primary_endpoint, source)
        headers = _lease_and_conditional_headers(destination_lease_id, destination_if_modified_since,
                                                 destination_if_unmodified_since, destination_if_match,
                                                 destination_if_none_match)
        headers.update(_source_conditional_headers(source_if_modified_since, source_if_unmodified_since,
                                                   source_if_match, source_if_none_match))
        headers.update({
            'x-ms-copy-source': _to_str(copy_source),
            'x-ms-source-lease-id': _to_str(source_lease_id),
            'x-ms-access-tier': _to_str(premium_page_blob_tier) or _to_str(standard_blob_tier),
            'x-ms-requires-sync': _to_str(requires_sync),
            'x-ms-rehydrate-priority': _to_str(rehydrate_priority),
        })
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'incrementalcopy' if incremental_copy else None,
            'timeout': _int_to_str(timeout),
        }, headers)
        _add_metadata_headers(metadata, request)
        properties = await self._perform_request(request, _parse_blob_properties)
        return properties.copy

    async def abort_copy_blob(self, container_name: str, blob_name: str, copy_id: str, lease_id: Optional[str] = None,
                              timeout: Optional[int] = None) -> None:
        """
        Aborts a pending copy_blob operation, and leaves a destination blob with zero length
        and full metadata.

        :param str container_name: Name of destination container.
        :param str blob_name: Name of destination blob.
        :param str copy_id: Copy identifier provided in the copy.id of the original copy_blob operation.
        :param str lease_id: Required if the destination blob has an active infinite lease.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        _validate_not_none('copy_id', copy_id)
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'copy',
            'copyid': _to_str(copy_id),
            'timeout': _int_to_str(timeout),
        }, {'x-ms-lease-id': _to_str(lease_id), 'x-ms-copy-action': 'abort'})
        await self._perform_request(request)

    async def delete_blob(self, container_name: str, blob_name: str, snapshot: Optional[str] = None,
                          lease_id: Optional[str] = None, delete_snapshots: Optional[str] = None,
                          if_modified_since: Optional[datetime] = None, if_unmodified_since: Optional[datetime] = None,
                          if_match: Optional[str] = None, if_none_match: Optional[str] = None,
                          timeout: Optional[int] = None) -> None:
        """
        Marks the specified blob or snapshot for deletion. The blob is later deleted during
        garbage collection.

        Note that in order to delete a blob, you must delete all of its snapshots. You can
        delete both at the same time with the delete_snapshots parameter.

        If a delete retention policy is enabled for the service, then this operation soft
        deletes the blob or snapshot and retains the blob or snapshot for specified number of
        days. After specified number of days, blob's data is removed from the service during
        garbage collection. A soft deleted blob or snapshot is listed with the Include.DELETED
        option, and can be restored with :func:`undelete_blob`.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param str snapshot: The snapshot (an opaque DateTime value) to delete instead of the blob.
        :param str lease_id: Required if the blob has an active lease.
        :param ~azure.storage.blob.models.DeleteSnapshot delete_snapshots:
            Required if the blob has associated snapshots.
        :param datetime if_modified_since:
            Only perform the operation if the resource has been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param datetime if_unmodified_since:
            Only perform the operation if the resource has not been modified since this time
            (UTC; a datetime without timezone is taken as UTC).
        :param str if_match: Only perform the operation if the resource's ETag matches this value (or '*').
        :param str if_none_match:
            Only perform the operation if the resource's ETag does not match this value; '*'
            means only if the resource does not exist.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        request = self._get_basic_delete_blob_http_request(
            container_name, blob_name, snapshot=snapshot, lease_id=lease_id, delete_snapshots=delete_snapshots,
            if_modified_since=if_modified_since, if_unmodified_since=if_unmodified_since, if_match=if_match,
            if_none_match=if_none_match, timeout=timeout)
        await self._perform_request(request)

    async def batch_delete_blobs(self, batch_delete_sub_requests: list[BatchDeleteSubRequest],
                                 timeout: Optional[int] = None) -> list[BatchSubResponse]:
        """
        Sends a batch of multiple blob delete requests, in one request.

        The blob delete method deletes the specified blob or snapshot. Note that deleting a
        blob also deletes all its snapshots. For more information, see
        https://docs.microsoft.com/rest/api/storageservices/delete-blob

        :param list(BatchDeleteSubRequest) batch_delete_sub_requests:
            The blob delete requests to send as a batch (1 to 256).
        :param int timeout: The timeout parameter is expressed in seconds.
        :return: the outcome of each sub-request: whether it succeeded, its response and the
            sub-request it answers.
        :rtype: list(:class:`~azure.storage.blob.models.BatchSubResponse`)
        """
        self._check_batch_request(batch_delete_sub_requests)
        sub_http_requests = [self._construct_batch_delete_sub_http_request(content_id, sub_request)
                             for content_id, sub_request in enumerate(batch_delete_sub_requests)]
        return await self._perform_batch_request(sub_http_requests, batch_delete_sub_requests, timeout)

    async def _perform_batch_request(self, sub_http_requests, sub_requests, timeout):
        """Send signed sub-requests as one multipart batch and parse the sub-responses."""
        batch_id = str(uuid.uuid1())
        request = HTTPRequest('POST', _get_path(), {
            'comp': 'batch',
            'timeout': _int_to_str(timeout),
        }, {
            'Content-Type': 'multipart/mixed; boundary=' + _get_batch_request_delimiter(batch_id, False, False),
        }, host_locations=self._get_host_locations())
        request.body = _serialize_batch_body(sub_http_requests, batch_id)
        return await self._perform_request(request, _ingest_batch_response, [sub_requests])

    def _sign_batch_sub_request(self, request, content_id):
        """
        Make a sub-request ready to be part of a batch body: its path as the service sees it,
        common headers (no version or request id of its own), a date, and its own signature.
        """
        request.headers.update({
            'Content-ID': _int_to_str(content_id),
            'Content-Length': _int_to_str(0),
            'Content-Transfer-Encoding': 'binary',
        })
        request.host = self.primary_endpoint
        self._split_host_path(request)
        _update_request(request, None, self._USER_AGENT_STRING)
        request.headers.pop('x-ms-client-request-id', None)
        _add_date_header(request)
        self.authentication.sign_request(request)
        return request

    def _construct_batch_delete_sub_http_request(self, content_id, batch_delete_sub_request):
        """
        The signed sub-request of one delete of a batch.

        :param int content_id: The index of the sub-request in the batch.
        :param BatchDeleteSubRequest batch_delete_sub_request: The delete to send.
        :return: the signed sub-request.
        :rtype: ~azure.storage.common._http.HTTPRequest
        """
        sub = batch_delete_sub_request
        request = self._get_basic_delete_blob_http_request(
            sub.container_name, sub.blob_name, snapshot=sub.snapshot, lease_id=sub.lease_id,
            delete_snapshots=sub.delete_snapshots, if_modified_since=sub.if_modified_since,
            if_unmodified_since=sub.if_unmodified_since, if_match=sub.if_match, if_none_match=sub.if_none_match)
        return self._sign_batch_sub_request(request, content_id)

    def _get_basic_delete_blob_http_request(self, container_name, blob_name, snapshot=None, lease_id=None,
                                            delete_snapshots=None, if_modified_since=None, if_unmodified_since=None,
                                            if_match=None, if_none_match=None, timeout=None):
        """
        The Delete Blob request, unsigned (see :func:`delete_blob` for the parameters).

        :return: the request.
        :rtype: ~azure.storage.common._http.HTTPRequest
        """
        headers = _lease_and_conditional_headers(lease_id, if_modified_since, if_unmodified_since,
                                                 if_match, if_none_match)
        headers['x-ms-delete-snapshots'] = _to_str(delete_snapshots)
        return self._blob_request('DELETE', container_name, blob_name, {
            'snapshot': _to_str(snapshot),
            'timeout': _int_to_str(timeout),
        }, headers)

    @staticmethod
    def _check_batch_request(request):
        if request is None or not 1 <= len(request) <= 256:
            raise ValueError(_ERROR_BATCH_SIZE)

    async def undelete_blob(self, container_name: str, blob_name: str, timeout: Optional[int] = None) -> None:
        """
        The undelete Blob operation restores the contents and metadata of soft deleted blob
        or snapshot. Attempting to undelete a blob or snapshot that is not soft deleted will
        succeed without any changes.

        :param str container_name: Name of existing container.
        :param str blob_name: Name of existing blob.
        :param int timeout: The timeout parameter is expressed in seconds.
        """
        request = self._blob_request('PUT', container_name, blob_name, {
            'comp': 'undelete',
            'timeout': _int_to_str(timeout),
        })
        await self._perform_request(request)
