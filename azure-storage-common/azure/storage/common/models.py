"""Models shared by every service, and the paging objects behind the listing methods."""
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar('T')


class _HeaderDict(dict):
    """Headers looked up case-insensitively for reading, as the legacy responses allowed."""

    def __getitem__(self, index):
        return super().__getitem__(index.lower())


class _list(list):
    """A page of results: a list that also carries ``next_marker``."""

    next_marker = None


class _dict(dict):
    """A dict that can carry attributes (used for parsed ACLs carrying public_access)."""


class _OperationContext:
    """
    Per-operation state across the requests of one call (for example the pages of a
    listing or the chunks of a download): with ``location_lock`` the first location used
    (primary or secondary) is used for every later request of the operation. ``retried``
    tells that a request was sent again after a failed attempt, which the service may have
    applied all the same (its answer lost).
    """

    def __init__(self, location_lock=False):
        self.location_lock = location_lock
        self.host_location = None
        self.retried = False


class ListGenerator(Iterable, Generic[T]):
    """
    The result of a listing: the first page is in ``items`` and ``next_marker``; iterating
    it with ``async for`` yields every item of every page, fetching later pages lazily.
    When the listing was given ``num_results``, iteration stops after that many items.

    Plain ``for`` iterates the page already fetched only; it never does I/O.

    :ivar list items: the items of the page fetched last.
    :ivar str next_marker: the marker of the next page, or None after the last page.
    """

    def __init__(self, resources, list_method, list_args, list_kwargs):
        self.items = resources
        self.next_marker = resources.next_marker
        self._list_method = list_method
        self._list_args = list_args
        self._list_kwargs = dict(list_kwargs)
        self._remaining = self._list_kwargs.get('max_results')

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __aiter__(self):
        return self._walk()

    async def _walk(self):
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
            self.items = resources
            self.next_marker = resources.next_marker


class ListOperation(Generic[T]):
    """
    What a listing method returns: ``await`` it for the first page as a
    :class:`ListGenerator`, or ``async for`` over it to walk every page lazily.
    """

    __slots__ = ('_list_method', '_list_args', '_list_kwargs', '_generator')

    def __init__(self, list_method, list_args, list_kwargs):
        self._list_method = list_method
        self._list_args = list_args
        self._list_kwargs = list_kwargs
        self._generator = None

    async def _first_page(self):
        if self._generator is None:
            resources = await self._list_method(*self._list_args, **self._list_kwargs)
            self._generator = ListGenerator(resources, self._list_method, self._list_args, self._list_kwargs)
        return self._generator

    def __await__(self):
        return self._first_page().__await__()

    def __aiter__(self):
        return self._walk()

    async def _walk(self):
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

    def __init__(self):
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

    def __init__(self, enabled=False, days=None):
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

    def __init__(self, delete=False, read=False, write=False, retention_policy=None):
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

    def __init__(self, enabled=False, include_apis=None, retention_policy=None):
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

    def __init__(self, allowed_origins, allowed_methods, max_age_in_seconds=0,
                 exposed_headers=None, allowed_headers=None):
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

    def __init__(self, enabled=False, days=None):
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

    def __init__(self, enabled=False, index_document=None, error_document_404_path=None):
        self.enabled = enabled
        self.index_document = index_document
        self.error_document_404_path = error_document_404_path


class ServiceProperties:
    """
    The properties of a storage service: ``logging``, ``hour_metrics``, ``minute_metrics``,
    ``cors``, ``target_version``, ``delete_retention_policy`` and ``static_website``.
    """


class ServiceStats:
    """
    The statistics of a storage service, available on the secondary location of
    RA-GRS accounts: ``geo_replication``.
    """


class GeoReplication:
    """
    The geo-replication status of the secondary location: ``status`` ('live',
    'bootstrap' or 'unavailable') and ``last_sync_time`` (a datetime).
    """


class AccessPolicy:
    """
    A stored access policy, or the access part of a signed identifier.

    :param str permission: the permissions the policy grants (a permissions object or string).
    :param expiry: when the policy expires (datetime, or a string in UTC ISO 8601).
    :param start: when the policy starts (datetime, or a string in UTC ISO 8601).
    """

    def __init__(self, permission=None, expiry=None, start=None):
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

    _FLAGS = ()

    def _set(self, _str, **flags):
        _str = _str or ''
        for attribute, letter in self._FLAGS:
            setattr(self, attribute, bool(flags.get(attribute)) or letter in _str)

    def __or__(self, other):
        return type(self)(_str=str(self) + str(other))

    def __add__(self, other):
        return type(self)(_str=str(self) + str(other))

    def __str__(self):
        return ''.join(letter for attribute, letter in self._FLAGS if getattr(self, attribute))

    def __eq__(self, other):
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self):
        return hash((type(self), str(self)))

    def __repr__(self):
        return '{}({!r})'.format(type(self).__name__, str(self))


class ResourceTypes(_Flags):
    """
    The resource types an account SAS grants access to.

    :param bool service: service-level APIs (list containers/queues/tables, properties).
    :param bool container: container-level APIs (containers, queues, tables).
    :param bool object: object-level APIs (blobs, messages, entities).
    :param str _str: the flags as a string, e.g. 'sco'.
    """

    _FLAGS = (('service', 's'), ('container', 'c'), ('object', 'o'))

    def __init__(self, service=False, container=False, object=False, _str=None):  # noqa: A002 - legacy name
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

    _FLAGS = (('blob', 'b'), ('queue', 'q'), ('table', 't'), ('file', 'f'))

    def __init__(self, blob=False, queue=False, file=False, table=False, _str=None):
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

    _FLAGS = (('read', 'r'), ('write', 'w'), ('delete', 'd'), ('list', 'l'), ('add', 'a'),
              ('create', 'c'), ('update', 'u'), ('process', 'p'))

    def __init__(self, read=False, write=False, delete=False, list=False,  # noqa: A002 - legacy name
                 add=False, create=False, update=False, process=False, _str=None):
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

