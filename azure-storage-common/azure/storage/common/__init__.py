"""azure.storage.common: what the blob, queue and table services of aio-azure-storage share."""
import logging

from ._constants import DEFAULT_X_MS_VERSION
from ._constants import __author__, __version__  # noqa: F401 - re-exported
from ._error import AzureSigningError
from .cloudstorageaccount import CloudStorageAccount
from .models import (
    AccessPolicy,
    AccountPermissions,
    CorsRule,
    DeleteRetentionPolicy,
    GeoReplication,
    ListGenerator,
    LocationMode,
    Logging,
    Metrics,
    Protocol,
    ResourceTypes,
    RetentionPolicy,
    RetryContext,
    ServiceProperties,
    ServiceStats,
    Services,
    StaticWebsite,
)
from .retry import ExponentialRetry, LinearRetry, no_retry
from .sharedaccesssignature import SharedAccessSignature
from .tokencredential import TokenCredential

__all__ = [
    'AccessPolicy', 'AccountPermissions', 'AzureSigningError', 'CloudStorageAccount', 'CorsRule',
    'DEFAULT_X_MS_VERSION', 'DeleteRetentionPolicy', 'ExponentialRetry', 'GeoReplication', 'LinearRetry',
    'ListGenerator', 'LocationMode', 'Logging', 'Metrics', 'Protocol', 'ResourceTypes', 'RetentionPolicy',
    'RetryContext', 'ServiceProperties', 'ServiceStats', 'Services', 'SharedAccessSignature', 'StaticWebsite',
    'TokenCredential', 'no_retry',
]

# Every logger of the four packages lives under this one. Without a handler of ours, an
# expected failure logged at ERROR (a 404 the caller handles) would reach stderr through
# Python's last-resort handler in an application that never configured logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())
