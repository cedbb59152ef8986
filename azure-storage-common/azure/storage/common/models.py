"""Models shared by every service, and the paging objects behind the listing methods."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    ClassVar,
    Generator,
    Generic,
    Iterator,
    NoReturn,
    Optional,
    Sequence,
    TypeVar,
    Union,
    overload,
)

from ._http import HTTPRequest, HTTPResponse

T = TypeVar('T')
_F = TypeVar('_F', bound='_Flags')


class _list(list):
    """A page of results: a list that also carries ``next_marker``."""

    next_marker: Any = None


class _dict(dict):
    """A dict that can carry attributes (used for parsed ACLs carrying public_access)."""

    # The attributes the parsers that return one set: blob container ACLs, queue metadata.
    public_access: Optional[str]
    approximate_message_count: Optional[int]


class _OperationContext:
    """
    Per-operation state across the requests of one call (for example the pages of a
    listing or the chunks of a download): with ``location_lock`` the first location used
    (primary or secondary) is used for every later request of the operation. ``retried``
    tells that a request was sent again after a failed attempt, which the service may have
    applied all the same (its answer lost). ``content_keys`` holds the content-encryption
    keys unwrapped during the operation, by the envelope they came in: the ranges of one
    download unwrap their key once, not once each (with a key vault, a network call each).
    """

    location_lock: bool
    host_location: Optional[dict[str, str]]
    content_keys: dict[str, bytes]

    def __init__(self, location_lock: bool = False) -> None:
        self.location_lock = location_lock
        self.host_location = None
        self.retried = False
        self.content_keys = {}


_ERROR_PARTIAL_PAGE = (
    'This page is not the whole result of {0}(): a plain for (or list(), len(), an index) over it '
    'would silently miss the rest. Write "async for item in service.{0}(...)" to walk every page, '
    'or read .items and pass .next_marker as marker= to page by hand.')
_ERROR_LIST_OPERATION = (
    'A listing is asynchronous: write "async for item in service.{0}(...)", or '
    '"page = await service.{0}(...)" for the first page.')


def _listing_name(list_method):
    """The public name of a listing from its page method (``_list_blobs`` -> ``list_blobs``)."""
    return list_method.__name__.lstrip('_')


def _page_is_whole(items, max_results):
    """Whether ``items`` is all the caller asked for: the last page, or ``max_results`` reached."""
    return not items.next_marker or (max_results is not None and len(items) >= max_results)


class ListGenerator(Iterable, Generic[T]):
    """
    The result of a listing: the first page is in ``items`` and ``next_marker``; iterating
    it with ``async for`` yields every item of every page, fetching later pages lazily.
    When the listing was given ``num_results``, iteration stops after that many items.

    Plain ``for`` (and ``list()``, ``len()``, indexing) never does I/O: it works when the
    page fetched is the whole result (the last page, or ``num_results`` reached) and
    raises ``TypeError`` otherwise, rather than silently stopping after the first page.

    :ivar list items: the items of the page fetched last.
    :ivar str next_marker: the marker of the next page, or None after the last page.
    """

    items: list[T]
    next_marker: Any

    def __init__(self, resources: _list, list_method: Callable[..., Awaitable[_list]], list_args: Sequence[Any],
                 list_kwargs: dict[str, Any]) -> None:
        self.items = resources
        self.next_marker = resources.next_marker
        self._list_method = list_method
        self._list_args = list_args
        self._list_kwargs = dict(list_kwargs)
        self._remaining = self._list_kwargs.get('max_results')
        self._whole = _page_is_whole(resources, self._remaining)

    def _whole_items(self) -> list[T]:
        if not self._whole:
            raise TypeError(_ERROR_PARTIAL_PAGE.format(_listing_name(self._list_method)))
        return self.items

    def __iter__(self) -> Iterator[T]:
        return iter(self._whole_items())

    def __len__(self) -> int:
        return len(self._whole_items())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[T, list[T]]:
        return self._whole_items()[index]

    def __aiter__(self) -> AsyncIterator[T]:
        return self._walk()

    async def _walk(self) -> AsyncIterator[T]:
        remaining = self._remaining
        while True:
            for item in self.items:
                yield item
            if remaining is not None:
                remaining -= len(self.items)
                if remaining <= 0:
                    return
                self._list_kwargs['max_results'] = remaining
            if not self.next_marker:
                return
            self._list_kwargs['marker'] = self.next_marker
            resources = await self._list_method(*self._list_args, **self._list_kwargs)
            # items now holds a later page only: never the whole result for a plain for.
            self._whole = False
            self.items = resources
            self.next_marker = resources.next_marker


class ListOperation(Generic[T]):
    """
    What a listing method returns: ``await`` it for the first page as a
    :class:`ListGenerator`, or ``async for`` over it to walk every page lazily.
    Plain ``for``, ``list()``, ``next()`` and ``len()`` raise a ``TypeError`` saying so.
    """

    __slots__ = ('_list_method', '_list_args', '_list_kwargs', '_generator')

    _generator: Optional[ListGenerator[T]]

    def __init__(self, list_method: Callable[..., Awaitable[_list]], list_args: Sequence[Any],
                 list_kwargs: dict[str, Any]) -> None:
        self._list_method = list_method
        self._list_args = list_args
        self._list_kwargs = list_kwargs
        self._generator = None

    def _not_synchronous(self) -> NoReturn:
        raise TypeError(_ERROR_LIST_OPERATION.format(_listing_name(self._list_method)))

    def __iter__(self) -> NoReturn:
        self._not_synchronous()

    def __next__(self) -> NoReturn:
        self._not_synchronous()

    def __len__(self) -> NoReturn:
        self._not_synchronous()

    async def _first_page(self) -> ListGenerator[T]:
        if self._generator is None:
            resources = await self._list_method(*self._list_args, **self._list_kwargs)
            self._generator = ListGenerator(resources, self._list_method, self._list_args, self._list_kwargs)
        return self._generator

    def __await__(self) -> Generator[Any, None, ListGenerator[T]]:
        return self._first_page().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._walk()

    async def _walk(self) -> AsyncIterator[T]:
        generator = await self._first_page()
        async for item in generator:
            yield item


class RetryContext:
    """
    Passed to the retry policy and the retry callback after a failed attempt.

    :ivar HTTPRequest request: the last request sent.
    :ivar HTTPResponse response: the last response received, or None if none came.
    :ivar LocationMode location_mode: the location the request was sent to.
    :ivar Exception exception: the exception that ended the last attempt.
    :ivar bool is_emulated: whether the service is the emulator.
    :ivar int body_position: where a stream body started, to rewind it for a retry.
    """

    request: Optional[HTTPRequest]
    response: Optional[HTTPResponse]
    location_mode: Optional[str]
    exception: Optional[Exception]
    is_emulated: bool
    body_position: Optional[int]
    count: int

    def __init__(self) -> None:
        self.request = None
        self.response = None
        self.location_mode = None
        self.exception = None
        self.is_emulated = False
        self.body_position = None
        self.count = 0


class LocationMode:
    """Which location (primary or secondary) read requests go to, for RA-GRS accounts."""

    PRIMARY = 'primary'
    SECONDARY = 'secondary'


class RetentionPolicy:
    """
    By default, Storage Analytics will not delete any logging or metrics data. Blobs
    will continue to be written until the shared 20TB limit is reached.

    :param bool enabled: whether a retention policy is enabled for the storage service.
    :param int days: how many days data is kept (1 to 365); required when enabled.
    """

    enabled: bool
    days: Optional[int]

    def __init__(self, enabled: bool = False, days: Optional[int] = None) -> None:
        if enabled and days is None:
            raise ValueError("If policy is enabled, 'days' must be specified.")
        self.enabled = enabled
        self.days = days


class Logging:
    """
    Storage Analytics logging settings.

    :param bool delete: whether all delete requests should be logged.
    :param bool read: whether all read requests should be logged.
    :param bool write: whether all write requests should be logged.
    :param RetentionPolicy retention_policy: the retention policy for the logs.
    """

    version: str
    delete: bool
    read: bool
    write: bool
    retention_policy: RetentionPolicy

    def __init__(self, delete: bool = False, read: bool = False, write: bool = False,
                 retention_policy: Optional[RetentionPolicy] = None) -> None:
        self.version = '1.0'
        self.delete = delete
        self.read = read
        self.write = write
        self.retention_policy = retention_policy if retention_policy else RetentionPolicy()


class Metrics:
    """
    Hour or minute metrics settings.

    :param bool enabled: whether metrics are enabled for the service.
    :param bool include_apis: whether metrics generate summary statistics for called API operations.
    :param RetentionPolicy retention_policy: the retention policy for the metrics.
    """

    version: str
    enabled: bool
    include_apis: Optional[bool]
    retention_policy: RetentionPolicy

    def __init__(self, enabled: bool = False, include_apis: Optional[bool] = None,
                 retention_policy: Optional[RetentionPolicy] = None) -> None:
        self.version = '1.0'
        self.enabled = enabled
        self.include_apis = include_apis
        self.retention_policy = retention_policy if retention_policy else RetentionPolicy()


class CorsRule:
    """
    A CORS rule: which origins may call the service from a browser, and how.

    :param list(str) allowed_origins: origin domains allowed, or ``['*']``.
    :param list(str) allowed_methods: HTTP methods the origins may use.
    :param int max_age_in_seconds: how long a browser may cache the preflight response.
    :param list(str) exposed_headers: response headers to expose to CORS clients.
    :param list(str) allowed_headers: headers allowed in the cross-origin request.
    """

    allowed_origins: list[str]
    allowed_methods: list[str]
    max_age_in_seconds: int
    exposed_headers: list[str]
    allowed_headers: list[str]

    def __init__(self, allowed_origins: Optional[list[str]], allowed_methods: Optional[list[str]],
                 max_age_in_seconds: int = 0, exposed_headers: Optional[list[str]] = None,
                 allowed_headers: Optional[list[str]] = None) -> None:
        self.allowed_origins = allowed_origins if allowed_origins else []
        self.allowed_methods = allowed_methods if allowed_methods else []
        self.max_age_in_seconds = max_age_in_seconds
        self.exposed_headers = exposed_headers if exposed_headers else []
        self.allowed_headers = allowed_headers if allowed_headers else []


class DeleteRetentionPolicy:
    """
    Soft delete settings of the blob service.

    :param bool enabled: whether deleted blobs are kept.
    :param int days: how many days deleted data is kept (1 to 365); required when enabled.
    """

    enabled: bool
    days: Optional[int]

    def __init__(self, enabled: bool = False, days: Optional[int] = None) -> None:
        if enabled and days is None:
            raise ValueError("If policy is enabled, 'days' must be specified.")
        self.enabled = enabled
        self.days = days


class StaticWebsite:
    """
    Static website settings of the blob service.

    :param bool enabled: whether static website hosting is on.
    :param str index_document: the default name of the index page under each directory.
    :param str error_document_404_path: the absolute path of the custom 404 page.
    """

    enabled: bool
    index_document: Optional[str]
    error_document_404_path: Optional[str]

    def __init__(self, enabled: bool = False, index_document: Optional[str] = None,
                 error_document_404_path: Optional[str] = None) -> None:
        self.enabled = enabled
        self.index_document = index_document
        self.error_document_404_path = error_document_404_path


class ServiceProperties:
    """
    The properties of a storage service: ``logging``, ``hour_metrics``, ``minute_metrics``,
    ``cors``, ``target_version``, ``delete_retention_policy`` and ``static_website``.
    """

    logging: Optional[Logging]
    hour_metrics: Optional[Metrics]
    minute_metrics: Optional[Metrics]
    cors: Optional[list[CorsRule]]
    target_version: Optional[str]
    delete_retention_policy: Optional[DeleteRetentionPolicy]
    static_website: Optional[StaticWebsite]


class ServiceStats:
    """
    The statistics of a storage service, available on the secondary location of
    RA-GRS accounts: ``geo_replication``.
    """

    geo_replication: GeoReplication


class GeoReplication:
    """
    The geo-replication status of the secondary location: ``status`` ('live',
    'bootstrap' or 'unavailable') and ``last_sync_time`` (a datetime).
    """

    status: Optional[str]
    last_sync_time: Optional[datetime]


class AccessPolicy:
    """
    A stored access policy, or the access part of a signed identifier.

    :param str permission: the permissions the policy grants (a permissions object or string).
    :param expiry: when the policy expires (datetime, or a string in UTC ISO 8601).
    :param start: when the policy starts (datetime, or a string in UTC ISO 8601).
    """

    permission: Union[str, _Flags, None]
    expiry: Union[datetime, str, None]
    start: Union[datetime, str, None]

    def __init__(self, permission: Union[str, _Flags, None] = None, expiry: Union[datetime, str, None] = None,
                 start: Union[datetime, str, None] = None) -> None:
        self.start = start
        self.expiry = expiry
        self.permission = permission


class Protocol:
    """Protocols a shared access signature may be used over."""

    HTTPS = 'https'
    HTTPS_HTTP = 'https,http'


class _Flags:
    """
    A set of one-letter flags in a fixed order, as the SAS and ACL permission strings use.

    Subclasses list ``_FLAGS`` as ``(attribute, letter)`` pairs in the order the service
    expects and call :meth:`_set` from ``__init__`` with their keyword arguments.
    """

    _FLAGS: ClassVar[tuple[tuple[str, str], ...]] = ()

    if TYPE_CHECKING:
        # Every subclass also takes its flags as a string, which | and + rely on.
        def __init__(self, *, _str: Optional[str] = None) -> None: ...

    def _set(self, _str: Optional[str], **flags: bool) -> None:
        _str = _str or ''
        for attribute, letter in self._FLAGS:
            setattr(self, attribute, bool(flags.get(attribute)) or letter in _str)

    def __or__(self: _F, other: Union[_Flags, str]) -> _F:
        return type(self)(_str=str(self) + str(other))

    def __add__(self: _F, other: Union[_Flags, str]) -> _F:
        return type(self)(_str=str(self) + str(other))

    def __str__(self) -> str:
        return ''.join(letter for attribute, letter in self._FLAGS if getattr(self, attribute))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash((type(self), str(self)))

    def __repr__(self) -> str:
        return '{}({!r})'.format(type(self).__name__, str(self))


class ResourceTypes(_Flags):
    """
    The resource types an account SAS grants access to.

    :param bool service: service-level APIs (list containers/queues/tables, properties).
    :param bool container: container-level APIs (containers, queues, tables).
    :param bool object: object-level APIs (blobs, messages, entities).
    :param str _str: the flags as a string, e.g. 'sco'.
    """

    SERVICE: ClassVar[ResourceTypes]
    CONTAINER: ClassVar[ResourceTypes]
    OBJECT: ClassVar[ResourceTypes]

    service: bool
    container: bool
    object: bool

    _FLAGS = (('service', 's'), ('container', 'c'), ('object', 'o'))

    def __init__(self, service: bool = False, container: bool = False, object: bool = False,  # noqa: A002
                 _str: Optional[str] = None) -> None:
        self._set(_str, service=service, container=container, object=object)


ResourceTypes.SERVICE = ResourceTypes(service=True)
ResourceTypes.CONTAINER = ResourceTypes(container=True)
ResourceTypes.OBJECT = ResourceTypes(object=True)


class Services(_Flags):
    """
    The services an account SAS grants access to.

    :param bool blob: the blob service.
    :param bool queue: the queue service.
    :param bool file: the file service.
    :param bool table: the table service.
    :param str _str: the flags as a string, e.g. 'bqt'.
    """

    BLOB: ClassVar[Services]
    QUEUE: ClassVar[Services]
    TABLE: ClassVar[Services]
    FILE: ClassVar[Services]

    blob: bool
    queue: bool
    file: bool
    table: bool

    _FLAGS = (('blob', 'b'), ('queue', 'q'), ('table', 't'), ('file', 'f'))

    def __init__(self, blob: bool = False, queue: bool = False, file: bool = False, table: bool = False,
                 _str: Optional[str] = None) -> None:
        self._set(_str, blob=blob, queue=queue, file=file, table=table)


Services.BLOB = Services(blob=True)
Services.QUEUE = Services(queue=True)
Services.TABLE = Services(table=True)
Services.FILE = Services(file=True)


class AccountPermissions(_Flags):
    """
    The permissions an account SAS grants.

    :param bool read: read access to every resource type.
    :param bool write: write access to every resource type.
    :param bool delete: delete containers, blobs, queues, tables, entities.
    :param bool list: list containers, blobs, queues, tables.
    :param bool add: add messages, table entities, append blocks.
    :param bool create: create blobs, containers, tables.
    :param bool update: update messages and table entities.
    :param bool process: get and delete messages.
    :param str _str: the flags as a string, e.g. 'rwdlacup'.
    """

    READ: ClassVar[AccountPermissions]
    WRITE: ClassVar[AccountPermissions]
    DELETE: ClassVar[AccountPermissions]
    LIST: ClassVar[AccountPermissions]
    ADD: ClassVar[AccountPermissions]
    CREATE: ClassVar[AccountPermissions]
    UPDATE: ClassVar[AccountPermissions]
    PROCESS: ClassVar[AccountPermissions]

    read: bool
    write: bool
    delete: bool
    list: bool
    add: bool
    create: bool
    update: bool
    process: bool

    _FLAGS = (('read', 'r'), ('write', 'w'), ('delete', 'd'), ('list', 'l'), ('add', 'a'),
              ('create', 'c'), ('update', 'u'), ('process', 'p'))

    def __init__(self, read: bool = False, write: bool = False, delete: bool = False,
                 list: bool = False,  # noqa: A002 - legacy name
                 add: bool = False, create: bool = False, update: bool = False, process: bool = False,
                 _str: Optional[str] = None) -> None:
        self._set(_str, read=read, write=write, delete=delete, list=list, add=add,
                  create=create, update=update, process=process)


AccountPermissions.READ = AccountPermissions(read=True)
AccountPermissions.WRITE = AccountPermissions(write=True)
AccountPermissions.DELETE = AccountPermissions(delete=True)
AccountPermissions.LIST = AccountPermissions(list=True)
AccountPermissions.ADD = AccountPermissions(add=True)
AccountPermissions.CREATE = AccountPermissions(create=True)
AccountPermissions.UPDATE = AccountPermissions(update=True)
AccountPermissions.PROCESS = AccountPermissions(process=True)
