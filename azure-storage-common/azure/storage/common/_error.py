"""Validation helpers and the mapping from failed responses to legacy exceptions."""
from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Optional, TypeVar, Union
from xml.etree import ElementTree

from azure.common import (
    AzureConflictHttpError,
    AzureException,
    AzureHttpError,
    AzureMissingResourceHttpError,
)

if TYPE_CHECKING:
    from ._http import HTTPError

logger = logging.getLogger(__name__)

_E = TypeVar('_E', bound=Exception)


class AzureSigningError(AzureException):
    """
    Represents a fatal error when attempting to sign a request.
    In general, the cause of this exception is user error. For example, the given account key is not valid.
    Please visit https://docs.microsoft.com/en-us/azure/storage/common/storage-create-storage-account for more info.
    """


class _DecryptionFailure(AzureException):
    """A response that could not be decrypted: never retried (the same bytes would fail again).

    An ``AzureException`` saying 'Decryption failed', as legacy raised; its own type lets the
    retry loop tell it apart without comparing message texts.
    """

    def __init__(self) -> None:
        super().__init__(_ERROR_DECRYPTION_FAILURE)


_ERROR_CONFLICT = 'Conflict ({0})'
_ERROR_NOT_FOUND = 'Not found ({0})'
_ERROR_UNKNOWN = 'Unknown error ({0})'
_ERROR_VALUE_NONE = '{0} should not be None.'
_ERROR_VALUE_NONE_OR_EMPTY = '{0} should not be None or empty.'
_ERROR_VALUE_NEGATIVE = '{0} should not be negative.'
_ERROR_START_END_NEEDED_FOR_MD5 = \
    'Both end_range and start_range need to be specified for getting content MD5.'
_ERROR_RANGE_TOO_LARGE_FOR_MD5 = \
    'Getting content MD5 for a range greater than 4MB is not supported.'
_ERROR_MD5_MISMATCH = \
    'MD5 mismatch. Expected value is \'{0}\', computed value is \'{1}\'.'
_ERROR_TOO_MANY_ACCESS_POLICIES = (
    'Too many access policies provided. '
    'The server does not support setting more than 5 access policies on a single resource.')
_ERROR_OBJECT_INVALID = '{0} does not define a complete interface. Value of {1} is either missing or invalid.'
_ERROR_UNSUPPORTED_ENCRYPTION_VERSION = 'Encryption version is not supported.'
_ERROR_DECRYPTION_FAILURE = 'Decryption failed'

_ERROR_ENCRYPTION_REQUIRED = 'Encryption required but no key was provided.'
_ERROR_DECRYPTION_REQUIRED = 'Decryption required but neither key nor resolver was provided.' + \
                             ' If you do not want to decypt, please do not set the require encryption flag.'
_ERROR_INVALID_KID = 'Provided or resolved key-encryption-key does not match the id of key used to encrypt.'
_ERROR_UNSUPPORTED_ENCRYPTION_ALGORITHM = 'Specified encryption algorithm is not supported.'
_ERROR_UNSUPPORTED_METHOD_FOR_ENCRYPTION = 'The require_encryption flag is set, but encryption is not supported' + \
                                           ' for this method.'
_ERROR_UNKNOWN_KEY_WRAP_ALGORITHM = 'Unknown key wrap algorithm.'
_ERROR_DATA_NOT_ENCRYPTED = 'Encryption required, but received data does not contain appropriate metatadata.' + \
                            'Data was either not encrypted or metadata has been lost.'
_ERROR_STORAGE_MISSING_INFO = \
    'You need to provide an account name and either an account_key or sas_token when creating a storage service.'
_ERROR_EMULATOR_DOES_NOT_SUPPORT_FILES = \
    'The emulator does not support the file service.'
_ERROR_FILE_SERVICE_NOT_PORTED = \
    'The File service is not part of aio-azure-storage: create_file_service is not available.'
_ERROR_ACCESS_POLICY = \
    'share_access_policy must be either SignedIdentifier or AccessPolicy instance'
_ERROR_PARALLEL_NOT_SEEKABLE = 'Parallel operations require a seekable stream.'
_ERROR_VALUE_SHOULD_BE_BYTES = '{0} should be of type bytes.'
_ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM = '{0} should be of type bytes or a readable file-like/io.IOBase stream object.'
_ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM = '{0} should be a seekable file-like/io.IOBase type stream object.'
_ERROR_VALUE_SHOULD_BE_STREAM = '{0} should be a file-like/io.IOBase type stream object with a read method.'


def _dont_fail_on_exist(error: Exception) -> bool:
    """For create_* with fail_on_exist=False: a 409 means it exists, so report False."""
    if isinstance(error, AzureConflictHttpError):
        return False
    raise error


def _dont_fail_not_exist(error: Exception) -> bool:
    """For delete_* with fail_not_exist=False: a 404 means it is gone, so report False."""
    if isinstance(error, AzureMissingResourceHttpError):
        return False
    raise error


def _validate_not_none(param_name: str, param: object) -> None:
    if param is None:
        raise ValueError(_ERROR_VALUE_NONE.format(param_name))


def _validate_type_bytes(param_name: str, param: object) -> None:
    if not isinstance(param, bytes):
        raise TypeError(_ERROR_VALUE_SHOULD_BE_BYTES.format(param_name))


def _validate_type_bytes_or_stream(param_name: str, param: object) -> None:
    if not (isinstance(param, bytes) or hasattr(param, 'read')):
        raise TypeError(_ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM.format(param_name))


def _validate_access_policies(identifiers: Optional[dict[str, Any]]) -> None:
    if identifiers and len(identifiers) > 5:
        raise AzureException(_ERROR_TOO_MANY_ACCESS_POLICIES)


def _validate_key_encryption_key_wrap(kek: object) -> None:
    for attribute in ('wrap_key', 'get_kid', 'get_key_wrap_algorithm'):
        if not callable(getattr(kek, attribute, None)):
            raise AttributeError(_ERROR_OBJECT_INVALID.format('key encryption key', attribute))


def _validate_key_encryption_key_unwrap(kek: object) -> None:
    for attribute in ('get_kid', 'unwrap_key'):
        if not callable(getattr(kek, attribute, None)):
            raise AttributeError(_ERROR_OBJECT_INVALID.format('key encryption key', attribute))


def _validate_encryption_required(require_encryption: bool, kek: object) -> None:
    if require_encryption and kek is None:
        raise ValueError(_ERROR_ENCRYPTION_REQUIRED)


def _validate_decryption_required(require_encryption: bool, kek: object,
                                  resolver: Optional[Callable[[str], Any]]) -> None:
    if require_encryption and kek is None and resolver is None:
        raise ValueError(_ERROR_DECRYPTION_REQUIRED)


def _validate_encryption_unsupported(require_encryption: bool, key_encryption_key: object) -> None:
    if require_encryption or key_encryption_key is not None:
        raise ValueError(_ERROR_UNSUPPORTED_METHOD_FOR_ENCRYPTION)


_SAS_SIGNATURE = re.compile(r'([?&]sig=)[^&\s]*')


def _scrub_sas_signatures(text: str) -> str:
    """``text`` with the value of every ``sig=`` of a URL in it redacted."""
    return _SAS_SIGNATURE.sub(r'\1REDACTED', text)


def _wrap_exception(ex: BaseException, desired_type: type[_E]) -> _E:
    """Wrap a client-side failure in ``desired_type``, keeping the cause chained.

    The message comes from ``str(ex)``: many exceptions (timeouts, disconnects) carry no
    args, so nothing here indexes into ``ex.args``. Some (aiohttp's connection timeout)
    quote the whole URL, SAS signature included: that is redacted, as the message gets logged.
    """
    detail = _scrub_sas_signatures(str(ex)) or type(ex).__name__
    wrapped = desired_type('{}: {}'.format(type(ex).__name__, detail) if str(ex) else detail)
    wrapped.__cause__ = ex
    return wrapped


def _parse_error_body(body: Union[bytes, bytearray, str, None],
                      content_type: Optional[str] = '') -> tuple[Optional[str], Optional[str]]:
    """Return ``(error_code, message)`` from an XML or JSON error body.

    Unknown shapes give ``(None, None)``; an empty or unparseable body is not an error
    of its own, the status line still tells what happened.
    """
    if not body:
        return None, None
    # The service starts XML bodies with a byte order mark: utf-8-sig drops it.
    text = body.decode('utf-8-sig', errors='replace') if isinstance(body, (bytes, bytearray)) else body
    stripped = text.lstrip('\ufeff \t\r\n')
    if stripped.startswith('{') or 'json' in (content_type or ''):
        try:
            document = json.loads(stripped)
        except ValueError:
            return None, None
        if not isinstance(document, dict):
            return None, None
        error = document.get('odata.error') or document.get('error') or {}
        if not isinstance(error, dict):
            return None, None
        message = error.get('message')
        if isinstance(message, dict):
            message = message.get('value')
        return error.get('code'), message
    if stripped.startswith('<'):
        try:
            root = ElementTree.fromstring(stripped.encode('utf-8'))
        except ElementTree.ParseError:
            return None, None
        code = message = None
        for child in root:
            tag = child.tag.split('}', 1)[-1].lower()
            if tag == 'code':
                code = child.text
            elif tag == 'message':
                message = child.text
        return code, message
    return None, None


def _legacy_error_message(reason: str, header_error_code: Optional[str],
                          body: Union[bytes, bytearray, str, None]) -> str:
    """The text of a failed response's exception, byte for byte as the legacy SDK made it.

    The reason phrase, `` ErrorCode: <code>`` when the service sent the x-ms-error-code
    header, then a newline and the raw body (the newline also when the body is empty).
    Code that matches on this text keeps working.
    """
    message = reason
    if header_error_code is not None:
        message += ' ErrorCode: ' + header_error_code
    if body is not None:
        # Legacy decoded strictly and failed on a body that is not UTF-8; the status matters more.
        message += '\n' + (body.decode('utf-8-sig', errors='replace') if isinstance(body, (bytes, bytearray)) else body)
    return message


def _http_error_handler(http_error: HTTPError) -> NoReturn:
    """Raise the legacy exception for an HTTPError: 404 and 409 get their own classes.

    ``error_code`` falls back to the code in the body when the header is missing (legacy
    left it None); the message stays exactly legacy's.
    """
    headers = http_error.respheader or {}
    header_error_code = headers.get('x-ms-error-code')
    error_code = header_error_code
    if error_code is None:
        error_code = _parse_error_body(http_error.respbody, headers.get('content-type', ''))[0]
    message = _legacy_error_message(str(http_error), header_error_code, http_error.respbody)
    if http_error.status == 404:
        ex = AzureMissingResourceHttpError(message, http_error.status)
    elif http_error.status == 409:
        ex = AzureConflictHttpError(message, http_error.status)
    else:
        ex = AzureHttpError(message, http_error.status)
    ex.error_code = error_code
    raise ex


def _ambiguous_error(ex, explanation):
    """
    ``ex`` (an AzureHttpError of any class) again, with ``explanation`` added to its message:
    for a failure that follows a retried attempt whose answer was lost, so the caller learns
    that the first attempt may have been applied. Class and attributes stay, so code that
    catches or inspects the error works as before.
    """
    message = '{}\n{}'.format(ex, explanation)
    # Built without __init__: subclasses (batch errors) take other constructor arguments.
    clarified = AzureException.__new__(type(ex), message, ex.status_code)
    Exception.__init__(clarified, message)
    clarified.__dict__.update(ex.__dict__)
    return clarified
