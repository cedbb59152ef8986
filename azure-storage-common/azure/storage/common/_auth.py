"""Request signing: Shared Key (blob, queue, table), Shared Key Lite (table), SAS, bearer.

Every signer is pure: it reads the request as it will be sent and adds the Authorization
header or the SAS query. The string-to-sign is built from exactly the headers that go out,
which is why the transport never adds headers of its own.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from typing import Any, Callable, Optional, Protocol
from urllib.parse import parse_qsl

from ._common_conversion import _decode_base64_to_bytes
from ._constants import DEV_ACCOUNT_NAME, DEV_ACCOUNT_SECONDARY_NAME
from ._error import AzureSigningError, _scrub_sas_signatures, _wrap_exception
from ._http import HTTPRequest
from .tokencredential import TokenCredential

logger = logging.getLogger(__name__)

_ENCRYPTION_KEY_LINE = re.compile(r'^(x-ms-encryption-key:).*$', re.MULTILINE)

_SHARED_KEY_HEADERS = (
    'content-encoding', 'content-language', 'content-length', 'content-md5', 'content-type',
    'date', 'if-modified-since', 'if-match', 'if-none-match', 'if-unmodified-since', 'range',
)


# Canonicalized x-ms- headers are sorted by lower-cased name in the service's collation, in
# which '_' sorts before the digits (an ordinal sort puts it after them, so 'foo2_bar' would
# come before 'foo_bar' and the service would reject the signature). Header names are
# ASCII tokens and metadata names are C# identifiers, so remapping '_' to '/' (between '-'
# and '0') gives the service's order for every name that can occur.
def _header_sort_key(name: str) -> str:
    return name.replace('_', '/')


def _lowercase_headers(request: HTTPRequest) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items() if value is not None}


class _Signer(Protocol):
    """What signs a request for the service: one of the authentications below."""

    def sign_request(self, request: HTTPRequest) -> None: ...


class _StorageSharedKeyAuthentication:
    """Shared Key for the blob and queue services (and the common string-to-sign rules)."""

    def __init__(self, account_name: str, account_key: str, is_emulated: bool = False) -> None:
        self.account_name = account_name
        self.account_key = account_key
        self.is_emulated = is_emulated
        self._keyed: tuple[Optional[str], Any] = (None, None)

    def _canonicalized_path(self, request: HTTPRequest) -> str:
        path = request.path.split('?', 1)[0] or '/'
        # The emulator's secondary is addressed as /devstoreaccount1-secondary/... but signed
        # as the primary account.
        if self.is_emulated and path.startswith('/' + DEV_ACCOUNT_SECONDARY_NAME):
            path = '/' + DEV_ACCOUNT_NAME + path[1 + len(DEV_ACCOUNT_SECONDARY_NAME):]
        return '/' + self.account_name + path

    @staticmethod
    def _canonicalized_headers(headers: dict[str, str]) -> str:
        x_ms = [name for name in headers if name[:5] == 'x-ms-']
        x_ms.sort(key=_header_sort_key)
        # Values are signed as the service reads them: HTTP drops the whitespace around a value,
        # but whitespace inside it (two spaces, a tab) arrives, and is signed, unchanged.
        return ''.join([name + ':' + str(headers[name]).strip(' \t') + '\n' for name in x_ms])

    @staticmethod
    def _canonicalized_query(request: HTTPRequest) -> str:
        items: dict[str, list[str]] = {}
        for name, value in request.query.items():
            if value is not None:
                items.setdefault(name.lower(), []).append(str(value))
        return ''.join('\n{}:{}'.format(name, ','.join(values)) for name, values in sorted(items.items()))

    def string_to_sign(self, request: HTTPRequest) -> str:
        headers = _lowercase_headers(request)
        if headers.get('content-length') == '0':
            # Since 2015-02-21 a zero Content-Length is signed as empty.
            headers['content-length'] = ''
        get = headers.get
        standard = ''.join([str(get(name, '')) + '\n' for name in _SHARED_KEY_HEADERS])
        return (request.method + '\n' + standard + self._canonicalized_headers(headers) +
                self._canonicalized_path(request) + self._canonicalized_query(request))

    def sign_request(self, request: HTTPRequest) -> None:
        string_to_sign = self.string_to_sign(request)
        self._add_authorization_header(request, string_to_sign, 'SharedKey')

    def _keyed_hmac(self):
        # The key is decoded and HMAC-SHA256 keyed with it once, not at every request; each
        # signature starts from a copy. A key replaced on the signer is keyed again.
        key, keyed = self._keyed
        if key is not self.account_key:
            keyed = hmac.new(_decode_base64_to_bytes(self.account_key), digestmod=hashlib.sha256)
            self._keyed = (self.account_key, keyed)
        return keyed

    def _add_authorization_header(self, request: HTTPRequest, string_to_sign: str, scheme: str) -> None:
        try:
            mac = self._keyed_hmac().copy()
            mac.update(string_to_sign.encode('utf-8'))
        except Exception as ex:  # a key that is not base64 is a usage error, not a transport one
            raise _wrap_exception(ex, AzureSigningError) from ex
        signature = base64.b64encode(mac.digest()).decode('ascii')
        request.headers['Authorization'] = '{} {}:{}'.format(scheme, self.account_name, signature)
        if logger.isEnabledFor(logging.DEBUG):
            # A SAS signature inside a signed header (x-ms-copy-source) must not reach the log,
            # nor a customer-provided encryption key.
            logger.debug('String-to-sign: %r',
                         _ENCRYPTION_KEY_LINE.sub(r'\1REDACTED', _scrub_sas_signatures(string_to_sign)))


class _StorageTableSharedKeyAuthentication(_StorageSharedKeyAuthentication):
    """Shared Key for the table service: only Content-MD5, Content-Type, Date and ?comp."""

    def _table_resource(self, request: HTTPRequest) -> str:
        comp = request.query.get('comp')
        return self._canonicalized_path(request) + ('?comp=' + comp if comp else '')

    def string_to_sign(self, request: HTTPRequest) -> str:
        headers = _lowercase_headers(request)
        date = headers.get('x-ms-date') or headers.get('date', '')
        return '\n'.join((request.method, headers.get('content-md5', ''), headers.get('content-type', ''),
                          date, self._table_resource(request)))


class _StorageTableSharedKeyLiteAuthentication(_StorageTableSharedKeyAuthentication):
    """Shared Key Lite for the table service: the date and the resource only."""

    def string_to_sign(self, request: HTTPRequest) -> str:
        headers = _lowercase_headers(request)
        date = headers.get('x-ms-date') or headers.get('date', '')
        return date + '\n' + self._table_resource(request)

    def sign_request(self, request: HTTPRequest) -> None:
        self._add_authorization_header(request, self.string_to_sign(request), 'SharedKeyLite')


class _StorageNoAuthentication:
    def sign_request(self, request: HTTPRequest) -> None:
        pass


class _StorageSASAuthentication:
    """Adds the SAS token's parameters to the query, unless the request carries its own."""

    def __init__(self, sas_token: str) -> None:
        if sas_token.startswith('?'):
            sas_token = sas_token[1:]
        self.sas_token = sas_token
        self.sas_qs = parse_qsl(sas_token, keep_blank_values=True)

    def sign_request(self, request: HTTPRequest) -> None:
        if 'sig' in request.query:
            return
        request.query.update(self.sas_qs)


class _StorageTokenAuthentication:
    """Bearer tokens from a :class:`~azure.storage.common.tokencredential.TokenCredential`.

    The token is read at every attempt, so a credential refreshed while the service is in use
    takes effect on the next request. Bearer tokens only travel over HTTPS.
    """

    def __init__(self, token_credential: TokenCredential, protocol_getter: Callable[[], str]) -> None:
        self.token_credential = token_credential
        self._protocol_getter = protocol_getter

    def sign_request(self, request: HTTPRequest) -> None:
        if self._protocol_getter().lower() != 'https':
            raise AzureSigningError('Token credentials are only sent over HTTPS: set protocol to https.')
        request.headers['Authorization'] = 'Bearer {}'.format(self.token_credential.token)
