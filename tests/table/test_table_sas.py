"""Table SAS: the token against values worked out from the spec, and what Azurite lets a SAS do."""
import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl

import pytest
from azure.common import AzureHttpError

from azure.storage.common._constants import DEV_ACCOUNT_KEY
from azure.storage.common.models import AccessPolicy, AccountPermissions, ResourceTypes
from azure.storage.table import TablePermissions, TableService
from azure.storage.table.models import TableServices
from azure.storage.table.sharedaccesssignature import TableSharedAccessSignature

ACCOUNT = 'myaccount'
KEY = base64.b64encode(b'0123456789abcdef0123456789abcdef').decode()


def expected_signature(string_to_sign, key=KEY):
    digest = hmac.new(base64.b64decode(key), string_to_sign.encode('utf-8'), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class TestTableSasToken:
    def test_with_key_ranges(self):
        token = TableSharedAccessSignature(ACCOUNT, KEY).generate_table(
            'MyTable', TablePermissions(query=True, add=True), expiry='2030-01-02T00:00:00Z',
            start=datetime(2020, 1, 1, tzinfo=timezone.utc), ip='168.1.5.60-168.1.5.70', protocol='https',
            start_pk='p 1', start_rk='r/1', end_pk='p9', end_rk='r9')
        # From the "Create a service SAS" spec, version 2017-04-17: fields in order, the
        # canonical resource with the table name in lower case, key ranges last.
        string_to_sign = ('ra\n2020-01-01T00:00:00Z\n2030-01-02T00:00:00Z\n/table/myaccount/mytable\n\n'
                          '168.1.5.60-168.1.5.70\nhttps\n2017-04-17\np 1\nr/1\np9\nr9')
        assert token == (
            'st=2020-01-01T00%3A00%3A00Z&se=2030-01-02T00%3A00%3A00Z&sp=ra&sip=168.1.5.60-168.1.5.70&spr=https'
            '&sv=2017-04-17&tn=MyTable&spk=p%201&srk=r/1&epk=p9&erk=r9&sig=' +
            expected_signature(string_to_sign).replace('+', '%2B').replace('=', '%3D'))

    def test_with_stored_policy_only(self):
        token = TableSharedAccessSignature(ACCOUNT, KEY).generate_table('t1', id='policy')
        query = dict(parse_qsl(token))
        assert query == {'sv': '2017-04-17', 'si': 'policy', 'tn': 't1',
                         'sig': expected_signature('\n\n\n/table/myaccount/t1\npolicy\n\n\n2017-04-17\n\n\n\n')}

    def test_service_methods(self):
        service = TableService(account_name=ACCOUNT, account_key=KEY)
        assert service.generate_table_shared_access_signature('t1', id='policy') == \
            TableSharedAccessSignature(ACCOUNT, KEY).generate_table('t1', id='policy')
        account_sas = dict(parse_qsl(service.generate_account_shared_access_signature(
            ResourceTypes.OBJECT, AccountPermissions.READ, '2030-01-01T00:00:00Z')))
        assert account_sas['ss'] == 't' and account_sas['srt'] == 'o' and account_sas['sp'] == 'r'
        assert account_sas['sig'] == expected_signature(
            'myaccount\nr\nt\no\n\n2030-01-01T00:00:00Z\n\n\n2017-04-17\n')
        with pytest.raises(ValueError):
            service.generate_table_shared_access_signature(None)

    def test_sas_only_service_cannot_sign_sas(self):
        service = TableService(account_name=ACCOUNT, sas_token='sv=2017-04-17&sig=x')
        with pytest.raises(ValueError, match='account_key'):
            service.generate_table_shared_access_signature('t1', TablePermissions.QUERY, '2030-01-01')

    def test_permissions_and_services(self):
        assert str(TablePermissions.QUERY | TablePermissions.DELETE) == 'rd'
        assert str(TablePermissions.DELETE + TablePermissions.UPDATE + TablePermissions.ADD) == 'aud'
        assert str(TablePermissions(_str='daur')) == 'raud'
        permissions = TablePermissions(_str='ru')
        assert (permissions.query, permissions.add, permissions.update, permissions.delete) == \
            (True, False, True, False)
        assert str(TableServices()) == 't' and TableServices().table


def sas_expiry():
    return datetime.now(timezone.utc) + timedelta(hours=1)


async def test_query_only_sas_reads_and_is_refused_writes(table_service, table_name, sas_service):
    await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r', 'v': 1})
    token = table_service.generate_table_shared_access_signature(
        table_name, TablePermissions.QUERY, sas_expiry(), start_pk='p', start_rk='a', end_pk='p', end_rk='z')
    async with sas_service(token) as reader:
        assert reader.account_key is None and reader.sas_token == token
        entity = await reader.get_entity(table_name, 'p', 'r')
        assert entity.v == 1
        assert [e.RowKey async for e in reader.query_entities(table_name)] == ['r']
        with pytest.raises(AzureHttpError) as refused:
            await reader.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 's'})
        assert refused.value.status_code == 403
        with pytest.raises(AzureHttpError) as refused:
            await reader.delete_entity(table_name, 'p', 'r')
        assert refused.value.status_code == 403
    assert (await table_service.get_entity(table_name, 'p', 'r')).v == 1


async def test_add_only_sas_writes_and_is_refused_reads(table_service, table_name, sas_service):
    token = table_service.generate_table_shared_access_signature(table_name, TablePermissions.ADD, sas_expiry())
    async with sas_service(token) as writer:
        await writer.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'added'})
        with pytest.raises(AzureHttpError) as refused:
            await writer.get_entity(table_name, 'p', 'added')
        assert refused.value.status_code == 403
    assert (await table_service.get_entity(table_name, 'p', 'added')).RowKey == 'added'


async def test_sas_for_another_table_is_refused(table_service, table_name, sas_service, unique_name):
    token = table_service.generate_table_shared_access_signature(
        unique_name('other'), TablePermissions.QUERY, sas_expiry())
    async with sas_service(token) as reader:
        with pytest.raises(AzureHttpError) as refused:
            await reader.get_entity(table_name, 'p', 'r')
        assert refused.value.status_code in (403, 404)


async def test_sas_from_stored_access_policy(table_service, table_name, sas_service):
    await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r'})
    # Azurite refuses policies without a start time; Azure does not need one.
    policy = AccessPolicy(TablePermissions.QUERY, sas_expiry(), datetime.now(timezone.utc) - timedelta(minutes=5))
    await table_service.set_table_acl(table_name, {'reader': policy})
    token = table_service.generate_table_shared_access_signature(table_name, id='reader')
    async with sas_service(token) as reader:
        assert (await reader.get_entity(table_name, 'p', 'r')).RowKey == 'r'


async def test_account_sas(table_service, table_name, sas_service):
    await table_service.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 'r'})
    token = table_service.generate_account_shared_access_signature(
        ResourceTypes(container=True, object=True), AccountPermissions(read=True, list=True), sas_expiry())
    async with sas_service(token) as reader:
        assert (await reader.get_entity(table_name, 'p', 'r')).RowKey == 'r'
        with pytest.raises(AzureHttpError) as refused:
            await reader.insert_entity(table_name, {'PartitionKey': 'p', 'RowKey': 's'})
        assert refused.value.status_code == 403


async def test_emulated_sas_service_uses_the_dev_account(table_service):
    sas = TableService(is_emulated=True, sas_token='sv=2017-04-17&sig=x')
    assert (sas.account_name, sas.account_key, sas.primary_endpoint) == (
        'devstoreaccount1', None, '127.0.0.1:10002/devstoreaccount1')
    keyed = TableService(is_emulated=True)
    assert keyed.account_key == DEV_ACCOUNT_KEY
