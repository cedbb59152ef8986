"""Constants shared by every service of the asyncio port."""
import platform
import sys

__author__ = 'aio-azure-storage contributors'
#: The version of this distribution (pyproject.toml reads it from here); it follows the
#: legacy 2.1 line whose API it mirrors.
__version__ = '2.1.0'

DEFAULT_X_MS_VERSION = '2019-02-02'

USER_AGENT_STRING_PREFIX = 'aio-azure-storage/{}-'.format(__version__)
USER_AGENT_STRING_SUFFIX = '(Python {} {}; {} {})'.format(
    platform.python_implementation(), platform.python_version(), platform.system(), platform.release())
DEFAULT_USER_AGENT_STRING = '{}{} {}'.format(USER_AGENT_STRING_PREFIX, __version__, USER_AGENT_STRING_SUFFIX)

SERVICE_HOST_BASE = 'core.windows.net'
DEFAULT_PROTOCOL = 'https'

# The emulator: one account, path-style URLs, fixed ports on loopback.
DEV_ACCOUNT_NAME = 'devstoreaccount1'
DEV_ACCOUNT_SECONDARY_NAME = 'devstoreaccount1-secondary'
DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
DEV_BLOB_HOST = '127.0.0.1:10000'
DEV_QUEUE_HOST = '127.0.0.1:10001'
DEV_TABLE_HOST = '127.0.0.1:10002'

#: Legacy default (connect, read) socket timeouts in seconds.
DEFAULT_SOCKET_TIMEOUT = (20, 2000)

#: Connections a service's own session keeps open at most (aiohttp's default).
DEFAULT_CONNECTION_POOL_SIZE = 100
#: Seconds an idle pooled connection is kept: below the service's own idle cut-off
#: (Azurite closes after 5 s, Azure after about 4 minutes), so a request never goes out
#: on a connection the server is closing.
DEFAULT_KEEPALIVE_TIMEOUT = 4

_AUTHORIZATION_HEADER_NAME = 'Authorization'
_COPY_SOURCE_HEADER_NAME = 'x-ms-copy-source'
#: A customer-provided encryption key: a secret, never logged.
_ENCRYPTION_KEY_HEADER_NAME = 'x-ms-encryption-key'
_CLIENT_REQUEST_ID_HEADER_NAME = 'x-ms-client-request-id'
_REDACTED_VALUE = 'REDACTED'

_ENCRYPTION_PROTOCOL_V1 = '1.0'

if sys.version_info < (3, 9):  # pragma: no cover - guarded by python_requires
    raise ImportError('aio-azure-storage needs Python 3.9 or newer')
