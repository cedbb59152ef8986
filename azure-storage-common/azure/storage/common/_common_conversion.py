"""Small pure conversions shared by every service: encoding, signing, paths, types."""
from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
from datetime import datetime
from io import SEEK_SET, UnsupportedOperation
from typing import IO, Any, Awaitable, Callable, Optional, Union, overload

from ._error import _ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM, _ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM

#: What a user callback returns: nothing from a plain function, an awaitable (awaited) from a
#: coroutine function.
_CallbackResult = Optional[Awaitable[object]]


@overload
def _to_str(value: None) -> None: ...


@overload
def _to_str(value: object) -> str: ...


def _to_str(value: object) -> Optional[str]:
    return str(value) if value is not None else None


@overload
def _int_to_str(value: None) -> None: ...


@overload
def _int_to_str(value: Union[int, str]) -> str: ...


def _int_to_str(value: Union[int, str, None]) -> Optional[str]:
    return str(int(value)) if value is not None else None


def _bool_to_str(value: Optional[bool]) -> Optional[str]:
    if value is None:
        return None
    return 'true' if value else 'false'


def _datetime_to_utc_string(value: Optional[datetime]) -> Optional[str]:
    """RFC 1123 date for headers such as If-Modified-Since; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        from datetime import timezone
        value = value.astimezone(timezone.utc)
    return value.strftime('%a, %d %b %Y %H:%M:%S GMT')


def _encode_base64(data: Union[str, bytes]) -> str:
    if isinstance(data, str):
        data = data.encode('utf-8')
    return base64.b64encode(data).decode('utf-8')


def _decode_base64_to_bytes(data: Union[str, bytes]) -> bytes:
    if isinstance(data, str):
        data = data.encode('utf-8')
    return base64.b64decode(data)


def _decode_base64_to_text(data: Union[str, bytes]) -> str:
    return _decode_base64_to_bytes(data).decode('utf-8')


def _sign_string(key: Union[str, bytes], string_to_sign: str, key_is_base64: bool = True) -> str:
    """HMAC-SHA256 of ``string_to_sign`` (UTF-8) with ``key``, base64-encoded."""
    if key_is_base64:
        key = _decode_base64_to_bytes(key)
    elif isinstance(key, str):
        key = key.encode('utf-8')
    return base64.b64encode(hmac.digest(key, string_to_sign.encode('utf-8'), 'sha256')).decode('ascii')


def _get_content_md5(data: Union[bytes, bytearray, memoryview, IO[bytes]]) -> str:
    """Base64 MD5 of bytes (or a bytearray), or of a seekable stream read from its position and rewound."""
    md5 = hashlib.md5()
    if isinstance(data, (bytes, bytearray, memoryview)):
        md5.update(data)
    elif hasattr(data, 'read'):
        try:
            pos = data.tell()
        except (AttributeError, UnsupportedOperation) as ex:
            raise ValueError(_ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM.format('data')) from ex
        for chunk in iter(lambda: data.read(4096), b''):
            md5.update(chunk)
        data.seek(pos, SEEK_SET)
    else:
        raise ValueError(_ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM.format('data'))
    return base64.b64encode(md5.digest()).decode('utf-8')


def _lower(text: str) -> str:
    return text.lower()


def _str(value: object) -> str:
    """``str`` of a value, encoding nothing: kept for the legacy helper name."""
    return value if isinstance(value, str) else str(value)


async def _invoke_callback(callback: Callable[..., Any], *args: Any) -> Any:
    """Call a user callback (or key hook) that may be a plain or a coroutine function; its answer."""
    result = callback(*args)
    if inspect.isawaitable(result):
        return await result
    return result
