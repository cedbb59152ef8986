"""The table models: entities and their typed properties, tables, permissions, batch errors."""
from __future__ import annotations

from typing import Any, ClassVar, Optional

from azure.common import AzureException, AzureHttpError

from azure.storage.common.models import Services, _Flags

from ._error import _ERROR_ATTRIBUTE_MISSING


class AzureBatchValidationError(AzureException):
    """
    A batch cannot be committed as built: operations on more than one partition,
    the same row twice, or more than 100 operations. Raised before any request is sent.

    :ivar str message: what is wrong with the batch.
    """


class AzureBatchOperationError(AzureHttpError):
    """
    An operation of a committed batch failed, so the service applied none of them.

    :ivar str message: the service's message, starting with the index (from 0) of the
        operation that failed, e.g. '1:The specified entity already exists.'.
    :ivar int status_code: the HTTP status of the failed operation, e.g. 409.
    :ivar str code: the service's error code for the failed operation, e.g. 'EntityAlreadyExists'.
    :ivar int index: the index (from 0) of the failed operation in the batch, when known.
    """

    code: str
    error_code: str
    index: Optional[int]

    def __init__(self, message: str, status_code: int, batch_code: str, index: Optional[int] = None) -> None:
        super().__init__(message, status_code)
        self.code = batch_code
        self.error_code = batch_code
        self.index = index


class Entity(dict[str, Any]):
    """
    An entity: a dict whose items can also be read and written as attributes, so that
    ``entity.PartitionKey`` and ``entity['PartitionKey']`` are the same value::

        entity = Entity()
        entity.a = 'b'
        entity['x'] = 'y'
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(_ERROR_ATTRIBUTE_MISSING.format('Entity', name)) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(_ERROR_ATTRIBUTE_MISSING.format('Entity', name)) from None

    def __dir__(self) -> list[str]:
        return dir({}) + list(self.keys())


class EntityProperty:
    """
    A property value with an explicit :class:`EdmType`.

    Python values of the common types are typed for you (str, bool, int as Int64, float
    as Double, datetime); an EntityProperty is needed for Int32, and to choose a type on
    purpose. Reading an entity gives EntityProperty values for Int32, Guid and Binary
    properties, and for types the service added that this client does not convert::

        entity = Entity()
        entity.a = 'b'
        entity.x = EntityProperty(EdmType.STRING, 'y')

    :param str type: the EdmType of the property.
    :param value: the value of the property.
    :param bool encrypt: whether the property is to be encrypted on the client
        (string properties only; needs a key_encryption_key on the service).
    """

    type: Optional[str]
    value: Any
    encrypt: bool

    def __init__(self, type: Optional[str] = None, value: Any = None,  # noqa: A002 - legacy name
                 encrypt: bool = False) -> None:
        self.type = type
        self.value = value
        self.encrypt = encrypt

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntityProperty):
            return NotImplemented
        return (self.type, self.value, self.encrypt) == (other.type, other.value, other.encrypt)

    def __hash__(self) -> int:
        return hash((self.type, self.encrypt))

    def __repr__(self) -> str:
        return 'EntityProperty({!r}, {!r})'.format(self.type, self.value)


class Table:
    """
    A table, as list_tables returns it.

    :ivar str name: the name of the table.
    """

    name: Optional[str]

    def __init__(self, name: Optional[str] = None) -> None:
        self.name = name

    def __repr__(self) -> str:
        return 'Table({!r})'.format(self.name)


class TablePayloadFormat:
    """
    How much OData metadata a response carries, for the ``accept`` parameters. See
    https://docs.microsoft.com/rest/api/storageservices/payload-format-for-table-service-operations
    """

    JSON_NO_METADATA = 'application/json;odata=nometadata'
    '''No type information: numbers and strings come back untyped unless a property resolver types them.'''

    JSON_MINIMAL_METADATA = 'application/json;odata=minimalmetadata'
    '''The type of each property whose type the JSON value does not show.'''

    JSON_FULL_METADATA = 'application/json;odata=fullmetadata'
    '''Minimal metadata plus the OData id, edit link and type of each entity.'''


class EdmType:
    """The property types of the table service, for :class:`EntityProperty`."""

    BINARY = 'Edm.Binary'
    ''' Bytes. Inferred for Python bytes. '''

    INT64 = 'Edm.Int64'
    ''' A 64-bit signed integer. The type of Python ints. '''

    GUID = 'Edm.Guid'
    ''' A GUID. Inferred for uuid.UUID values. '''

    DATETIME = 'Edm.DateTime'
    ''' A UTC date and time. The type of Python datetimes. '''

    STRING = 'Edm.String'
    ''' A UTF-16 string of up to 64 KB. The type of Python strings. '''

    INT32 = 'Edm.Int32'
    ''' A 32-bit signed integer. Must be asked for, since Python ints are sent as Int64. '''

    DOUBLE = 'Edm.Double'
    ''' A 64-bit floating point number. The type of Python floats. '''

    BOOLEAN = 'Edm.Boolean'
    ''' A boolean. The type of Python bools. '''


class TablePermissions(_Flags):
    """
    The permissions of a table SAS (:func:`~TableService.generate_table_shared_access_signature`)
    or of a stored access policy (:func:`~TableService.set_table_acl`).

    :param bool query: get and query entities.
    :param bool add: add entities (add and update together allow upserts).
    :param bool update: update entities (add and update together allow upserts).
    :param bool delete: delete entities.
    :param str _str: the permissions as a string, e.g. 'raud'.

    :ivar TablePermissions TablePermissions.QUERY: get entities and query entities.
    :ivar TablePermissions TablePermissions.ADD: add entities.
    :ivar TablePermissions TablePermissions.UPDATE: update entities.
    :ivar TablePermissions TablePermissions.DELETE: delete entities.
    """

    QUERY: ClassVar[TablePermissions]
    ADD: ClassVar[TablePermissions]
    UPDATE: ClassVar[TablePermissions]
    DELETE: ClassVar[TablePermissions]

    query: bool
    add: bool
    update: bool
    delete: bool

    _FLAGS = (('query', 'r'), ('add', 'a'), ('update', 'u'), ('delete', 'd'))

    def __init__(self, query: bool = False, add: bool = False, update: bool = False, delete: bool = False,
                 _str: Optional[str] = None) -> None:
        self._set(_str, query=query, add=add, update=update, delete=delete)


TablePermissions.QUERY = TablePermissions(query=True)
TablePermissions.ADD = TablePermissions(add=True)
TablePermissions.UPDATE = TablePermissions(update=True)
TablePermissions.DELETE = TablePermissions(delete=True)


class TableServices(Services):
    """The services flag of an account SAS made by the table service: the table service only."""

    def __init__(self) -> None:
        super().__init__(table=True)

    def __str__(self) -> str:
        return 't'
