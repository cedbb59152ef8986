"""Small pure conversions shared by every service: encoding, signing, paths, types."""
import base64
import hashlib
import hmac
import inspect
from io import SEEK_SET, UnsupportedOperation

from ._error import _ERROR_VALUE_SHOULD_BE_SEEKABLE_STREAM, _ERROR_VALUE_SHOULD_BE_BYTES_OR_STREAM


def _to_str(value):
    return str(value) if value is not None else None


def _int_to_str(value):
    return str(int(value)) if value is not None else None


def _bool_to_str(value):
    if value is None:
        return None
    return 'true' if value else 'false'


def _datetime_to_utc_string(value):
    """RFC 1123 date for headers such as If-Modified-Since; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        from datetime import timezone
        value = value.astimezone(timezone.utc)
    return value.strftime('%a, %d %b %Y %H:%M:%S GMT')


def _encode_base64(data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    return base64.b64encode(data).decode('utf-8')


def _decode_base64_to_bytes(data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    return base64.b64decode(data)


def _decode_base64_to_text(data):
    return _decode_base64_to_bytes(data).decode('utf-8')


def _sign_string(key, string_to_sign, key_is_base64=True):
    """HMAC-SHA256 of ``string_to_sign`` (UTF-8) with ``key``, base64-encoded."""
    if key_is_base64:
        key = _decode_base64_to_bytes(key)
    elif isinstance(key, str):
        key = key.encode('utf-8')
    return base64.b64encode(hmac.digest(key, string_to_sign.encode('utf-8'), 'sha256')).decode('ascii')


def _get_content_md5(data):
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


def _lower(text):
    return text.lower()


def _str(value):
    """``str`` of a value, encoding nothing: kept for the legacy helper name."""
    return value if isinstance(value, str) else str(value)


async def _invoke_callback(callback, *args):
    """Call a user callback that may be a plain function or a coroutine function."""
    result = callback(*args)
    if inspect.isawaitable(result):
        await result
