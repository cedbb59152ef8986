"""Shared access signatures for tables, with optional partition and row key ranges."""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from azure.storage.common.sharedaccesssignature import (
    SharedAccessSignature,
    _QueryStringConstants,
    _SharedAccessHelper,
)

from ._constants import X_MS_VERSION
from .models import TablePermissions


class TableSharedAccessSignature(SharedAccessSignature):
    """
    Makes table and account SAS tokens from an account name and key. The table service's
    ``generate_*_shared_access_signature`` methods use it; it can also be used on its own.

    :param str account_name: the storage account name the signatures are for.
    :param str account_key: the account key the signatures are made with.
    """

    def __init__(self, account_name: Optional[str], account_key: Optional[str]) -> None:
        super().__init__(account_name, account_key, x_ms_version=X_MS_VERSION)

    def generate_table(self, table_name: str, permission: Union[TablePermissions, str, None] = None,
                       expiry: Union[datetime, str, None] = None, start: Union[datetime, str, None] = None,
                       id: Optional[str] = None,  # noqa: A002
                       ip: Optional[str] = None, protocol: Optional[str] = None, start_pk: Optional[str] = None,
                       start_rk: Optional[str] = None, end_pk: Optional[str] = None,
                       end_rk: Optional[str] = None) -> str:
        """
        Generates a shared access signature for a table; use it as the ``sas_token`` of a
        TableService.

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
        :param str id: the id (up to 64 characters) of a stored access policy of the table;
            see :func:`~azure.storage.table.tableservice.TableService.set_table_acl`.
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
        :return: the SAS token, without a leading '?'.
        :rtype: str
        """
        sas = _TableSharedAccessHelper()
        sas.add_base(permission, expiry, start, ip, protocol, self.x_ms_version)
        sas.add_id(id)
        sas.add_table_access_ranges(table_name, start_pk, start_rk, end_pk, end_rk)
        # The service signs table names in lower case, whatever case the request uses.
        sas.add_resource_signature(self.account_name, self.account_key, 'table', table_name.lower())
        return sas.get_token()


class _TableSharedAccessHelper(_SharedAccessHelper):
    """Adds the table name and key ranges to the SAS query, and signs a table SAS."""

    def add_table_access_ranges(self, table_name: str, start_pk: Optional[str], start_rk: Optional[str],
                                end_pk: Optional[str], end_rk: Optional[str]) -> None:
        q = _QueryStringConstants
        self._add_query(q.TABLE_NAME, table_name)
        self._add_query(q.START_PK, start_pk)
        self._add_query(q.START_RK, start_rk)
        self._add_query(q.END_PK, end_pk)
        self._add_query(q.END_RK, end_rk)

    def get_string_to_sign(self, account_name: str, service: str, path: str) -> str:
        """The string-to-sign of a service SAS of version 2015-04-05 or later, key ranges included."""
        q = _QueryStringConstants
        canonicalized_resource = '/{}/{}/{}\n'.format(service, account_name, path.lstrip('/'))
        string_to_sign = (
            ''.join(self._value_line(name) for name in (q.SIGNED_PERMISSION, q.SIGNED_START, q.SIGNED_EXPIRY)) +
            canonicalized_resource +
            ''.join(self._value_line(name) for name in (
                q.SIGNED_IDENTIFIER, q.SIGNED_IP, q.SIGNED_PROTOCOL, q.SIGNED_VERSION,
                q.START_PK, q.START_RK, q.END_PK, q.END_RK)))
        # Every field ends with a newline except the last one.
        return string_to_sign[:-1]

    def add_resource_signature(self, account_name, account_key, service, path):
        self._sign(account_key, self.get_string_to_sign(account_name, service, path))
