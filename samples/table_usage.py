"""The Table service, end to end: tables, typed entities, etags, batches, queries and SAS.

Run it against an account or Azurite::

    python samples/table_usage.py "<connection string>"
    AZURE_STORAGE_CONNECTION_STRING="<connection string>" python samples/table_usage.py

It creates a table with a unique name and deletes it at the end, whatever happens.
"""
import asyncio
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone

from azure.common import AzureHttpError

from azure.storage.table import EdmType, Entity, EntityProperty, TablePermissions, TableService


async def entities_and_etags(service, table):
    order = Entity()
    order.PartitionKey = 'customer-042'
    order.RowKey = 'order-0001'
    order.description = 'Espresso machine'
    order.quantity = 2                                        # a Python int is stored as Int64
    order.price = 199.95                                      # a float is a Double
    order.shipped = False
    order.ordered_at = datetime.now(timezone.utc)             # a tz-aware DateTime, to the microsecond
    order.tracking = EntityProperty(EdmType.GUID, uuid.uuid4())
    order.weight_grams = EntityProperty(EdmType.INT32, 4200)  # Int32 has to be asked for
    etag = await service.insert_entity(table, order)
    print('inserted', order.RowKey, 'etag', etag)

    stored = await service.get_entity(table, 'customer-042', 'order-0001')
    print('read back:', stored.description, stored.quantity, stored.price, stored.ordered_at.isoformat(),
          stored.tracking.value, stored.weight_grams.value)

    stored.shipped = True
    new_etag = await service.update_entity(table, stored, if_match=stored.etag)
    try:
        # The etag we read is stale now: the service refuses the write (412).
        await service.merge_entity(table, {'PartitionKey': 'customer-042', 'RowKey': 'order-0001', 'note': 'x'},
                                   if_match=stored.etag)
    except AzureHttpError as ex:
        print('stale etag refused with', ex.status_code, ex.error_code)
    await service.merge_entity(table, {'PartitionKey': 'customer-042', 'RowKey': 'order-0001', 'note': 'fragile'},
                               if_match=new_etag)


async def batches_and_queries(service, table):
    # One batch per partition: up to 100 operations, applied all together or not at all.
    for partition in range(3):
        async with service.batch(table) as batch:
            for row in range(100):
                batch.insert_or_replace_entity({'PartitionKey': 'day-{}'.format(partition),
                                                'RowKey': '{:04}'.format(row), 'reading': row * 0.5})

    first_page = await service.query_entities(table, filter="PartitionKey ge 'day-'", num_results=10)
    print('first page:', [entity.RowKey for entity in first_page], 'more:', bool(first_page.next_marker))

    total = 0
    async for entity in service.query_entities(table, filter='reading ge 25.0', select='reading'):
        total += entity.reading
    print('sum of readings >= 25:', total)


async def shared_access(service, table):
    token = service.generate_table_shared_access_signature(
        table, TablePermissions.QUERY, expiry=datetime.now(timezone.utc) + timedelta(minutes=10))
    reader = TableService(connection_string='TableEndpoint={}://{};SharedAccessSignature={}'.format(
        service.protocol, service.primary_endpoint, token))
    async with reader:
        entity = await reader.get_entity(table, 'customer-042', 'order-0001')
        print('read with a query-only SAS:', entity.description, entity.note)
        try:
            await reader.delete_entity(table, 'customer-042', 'order-0001')
        except AzureHttpError as ex:
            print('the SAS does not allow deletes:', ex.status_code)


async def main(connection_string):
    table = 'sample{}'.format(uuid.uuid4().hex[:12])
    async with TableService(connection_string=connection_string) as service:
        await service.create_table(table, fail_on_exist=True)
        try:
            await entities_and_etags(service, table)
            await batches_and_queries(service, table)
            await shared_access(service, table)
            print('tables:', [t.name async for t in service.list_tables() if t.name == table])
        finally:
            await service.delete_table(table)
            print('deleted', table)


if __name__ == '__main__':
    conn_str = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('AZURE_STORAGE_CONNECTION_STRING')
    if not conn_str:
        sys.exit(__doc__)
    asyncio.run(main(conn_str))
