"""CloudStorageAccount: one set of credentials, a service object for each storage service."""
from __future__ import annotations

import importlib
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, Optional, Union

from ._error import _ERROR_FILE_SERVICE_NOT_PORTED
from .models import AccountPermissions, ResourceTypes, Services
from .sharedaccesssignature import SharedAccessSignature

if TYPE_CHECKING:
    from azure.storage.blob import AppendBlobService, BlockBlobService, PageBlobService
    from azure.storage.queue import QueueService
    from azure.storage.table import TableService


class CloudStorageAccount:
    """
    Provides a factory for creating the blob, queue, and table services
    with a common account name and account key or sas token. Users can either
    use the factory or can construct the appropriate service directly.

    :param str account_name: the storage account name, used to authenticate requests signed with
        an account key and to construct the storage endpoint.
    :param str account_key: the storage account key, for shared key authentication.
    :param str sas_token: a shared access signature token to use instead of the account key.
    :param bool is_emulated: whether to use the emulator (account name and key are then ignored).
    :param str endpoint_suffix: the host base component of the url, minus the account name.
        Defaults to Azure (core.windows.net).
    """

    account_name: Optional[str]
    account_key: Optional[str]
    sas_token: Optional[str]
    is_emulated: Optional[bool]
    endpoint_suffix: Optional[str]

    def __init__(self, account_name: Optional[str] = None, account_key: Optional[str] = None,
                 sas_token: Optional[str] = None, is_emulated: Optional[bool] = None,
                 endpoint_suffix: Optional[str] = None) -> None:
        self.account_name = account_name
        self.account_key = account_key
        self.sas_token = sas_token
        self.is_emulated = is_emulated
        self.endpoint_suffix = endpoint_suffix

    def _create(self, module: str, class_name: str, distribution: str) -> Any:
        try:
            service_class = getattr(importlib.import_module(module), class_name)
        except ImportError as ex:
            raise ImportError('The package {} is required for {}: pip install {}'.format(
                distribution, class_name, distribution)) from ex
        return service_class(self.account_name, self.account_key, sas_token=self.sas_token,
                             is_emulated=self.is_emulated, endpoint_suffix=self.endpoint_suffix)

    def create_block_blob_service(self) -> BlockBlobService:
        """
        Creates a BlockBlobService object with the settings specified in the CloudStorageAccount.

        :return: a service object.
        :rtype: :class:`~azure.storage.blob.blockblobservice.BlockBlobService`
        """
        return self._create('azure.storage.blob.blockblobservice', 'BlockBlobService', 'aio-azure-storage-blob')

    def create_page_blob_service(self) -> PageBlobService:
        """
        Creates a PageBlobService object with the settings specified in the CloudStorageAccount.

        :return: a service object.
        :rtype: :class:`~azure.storage.blob.pageblobservice.PageBlobService`
        """
        return self._create('azure.storage.blob.pageblobservice', 'PageBlobService', 'aio-azure-storage-blob')

    def create_append_blob_service(self) -> AppendBlobService:
        """
        Creates a AppendBlobService object with the settings specified in the CloudStorageAccount.

        :return: a service object.
        :rtype: :class:`~azure.storage.blob.appendblobservice.AppendBlobService`
        """
        return self._create('azure.storage.blob.appendblobservice', 'AppendBlobService', 'aio-azure-storage-blob')

    def create_queue_service(self) -> QueueService:
        """
        Creates a QueueService object with the settings specified in the CloudStorageAccount.

        :return: a service object.
        :rtype: :class:`~azure.storage.queue.queueservice.QueueService`
        """
        return self._create('azure.storage.queue.queueservice', 'QueueService', 'aio-azure-storage-queue')

    def create_table_service(self) -> TableService:
        """
        Creates a TableService object with the settings specified in the CloudStorageAccount.

        :return: a service object.
        :rtype: :class:`~azure.storage.table.tableservice.TableService`
        """
        return self._create('azure.storage.table.tableservice', 'TableService', 'aio-azure-storage-table')

    def create_file_service(self) -> NoReturn:
        """
        The File service is not part of this port: this raises NotImplementedError.
        """
        raise NotImplementedError(_ERROR_FILE_SERVICE_NOT_PORTED)

    def generate_shared_access_signature(self, services: Union[Services, str],
                                         resource_types: Union[ResourceTypes, str],
                                         permission: Union[AccountPermissions, str],
                                         expiry: Union[datetime, str], start: Union[datetime, str, None] = None,
                                         ip: Optional[str] = None, protocol: Optional[str] = None) -> str:
        """
        Generates a shared access signature for the account.
        Use the returned signature with the sas_token parameter of the service
        or to create a new account object.

        :param Services services: the services the SAS gives access to.
        :param ResourceTypes resource_types: the resource types the SAS gives access to.
        :param AccountPermissions permission: the permissions of the SAS.
        :param expiry: when the SAS becomes invalid (datetime, or a UTC ISO 8601 string).
        :param start: when the SAS becomes valid (datetime, or a UTC ISO 8601 string).
        :param str ip: an IP address or range to accept requests from.
        :param str protocol: the protocols allowed: https (default) or 'https,http'.
        :return: the SAS token.
        :rtype: str
        """
        sas = SharedAccessSignature(self.account_name, self.account_key)
        return sas.generate_account(services, resource_types, permission, expiry, start=start, ip=ip,
                                    protocol=protocol)
