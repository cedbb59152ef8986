"""Shared access signatures for queues (service SAS); account SAS comes from common."""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from azure.storage.common.sharedaccesssignature import (
    SharedAccessSignature,
    _QueryStringConstants,
    _SharedAccessHelper,
)

from ._constants import X_MS_VERSION
from .models import QueuePermissions


class QueueSharedAccessSignature(SharedAccessSignature):
    """
    Makes queue shared access signature tokens for one account name and key. Use it
    directly, or call the generate_*_shared_access_signature methods of
    :class:`~azure.storage.queue.queueservice.QueueService`.

    :param str account_name: the storage account name used to sign.
    :param str account_key: the account key used to sign.
    """

    def __init__(self, account_name: Optional[str], account_key: Optional[str]) -> None:
        super().__init__(account_name, account_key, x_ms_version=X_MS_VERSION)

    def generate_queue(self, queue_name: str, permission: Union[QueuePermissions, str, None] = None,
                       expiry: Union[datetime, str, None] = None, start: Union[datetime, str, None] = None,
                       id: Optional[str] = None,  # noqa: A002
                       ip: Optional[str] = None, protocol: Optional[str] = None) -> str:
        """
        Generates a shared access signature for a queue. Pass it as the ``sas_token`` of a
        :class:`~azure.storage.queue.queueservice.QueueService`.

        :param str queue_name: the name of the queue.
        :param QueuePermissions permission: what the SAS allows, in the order read, add,
            update, process. Required unless ``id`` names a stored access policy that
            holds the permissions; must be left out if the policy holds them.
        :param expiry: when the SAS stops being valid. Required unless ``id`` names a
            stored access policy that holds it; must be left out if the policy holds it.
            A datetime without a time zone is taken as UTC.
        :type expiry: datetime or str
        :param start: when the SAS starts being valid; when the service receives the
            request if omitted. A datetime without a time zone is taken as UTC.
        :type start: datetime or str
        :param str id: the id (up to 64 characters) of a stored access policy of the queue,
            set with :func:`~azure.storage.queue.queueservice.QueueService.set_queue_acl`.
        :param str ip: an IP address or range the requests must come from, e.g.
            '168.1.5.65' or '168.1.5.60-168.1.5.70'.
        :param str protocol: the protocols a request may use: 'https,http' (the default)
            or 'https'. See :class:`~azure.storage.common.models.Protocol`.
        :return: the SAS token, without a leading '?'.
        :rtype: str
        """
        sas = _QueueSharedAccessHelper()
        sas.add_base(permission, expiry, start, ip, protocol, self.x_ms_version)
        sas.add_id(id)
        sas.add_resource_signature(self.account_name, self.account_key, queue_name)
        return sas.get_token()


class _QueueSharedAccessHelper(_SharedAccessHelper):

    def add_resource_signature(self, account_name, account_key, path):
        """Sign the queue SAS: its fields in the service's order around the canonical resource."""
        if not path.startswith('/'):
            path = '/' + path
        q = _QueryStringConstants
        string_to_sign = (
            self._value_line(q.SIGNED_PERMISSION)
            + self._value_line(q.SIGNED_START)
            + self._value_line(q.SIGNED_EXPIRY)
            + '/queue/' + account_name + path + '\n'
            + self._value_line(q.SIGNED_IDENTIFIER)
            + self._value_line(q.SIGNED_IP)
            + self._value_line(q.SIGNED_PROTOCOL)
            + self._value_line(q.SIGNED_VERSION)
        )
        # The last field has no newline after it.
        self._sign(account_key, string_to_sign[:-1])
