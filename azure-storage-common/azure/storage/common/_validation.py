"""Argument checks every service shares: bad input fails here, naming the parameter, before any request.

The legacy checks (``_validate_not_none`` and the others in ``_error``) keep their messages;
these add what legacy let through to fail deep inside, or to reach the service and come
back as an unrelated error, or worse to be stored as something else (``str(b'x')``).
"""
import io
import re

from ._error import _ERROR_VALUE_NEGATIVE, _ERROR_VALUE_SHOULD_BE_STREAM, _validate_not_none

_BYTES_TYPES = (bytes, bytearray, memoryview)
# Metadata names travel as x-ms-meta-<name> headers and must be C# identifiers; values are
# header values, signed as they are sent: ASCII, printable.
_METADATA_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_]*\Z')
_METADATA_VALUE = re.compile(r'[\x20-\x7e]*\Z')


def _type_name(value):
    return type(value).__name__


def _validate_not_bytes(param_name, value):
    """Text, never bytes: ``str()`` of bytes would address a resource literally named ``"b'name'"``."""
    if isinstance(value, _BYTES_TYPES):
        raise TypeError('{0} should be a str, not {1}: decode it first.'.format(param_name, _type_name(value)))


def _validate_name(param_name, value):
    """A resource name (container, blob, queue, table): not None, and not bytes."""
    _validate_not_none(param_name, value)
    _validate_not_bytes(param_name, value)


def _validate_int(param_name, value, minimum=None):
    """An int (not a bool, not a str of digits), at least ``minimum`` if given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError('{0} should be an int, not {1}.'.format(param_name, _type_name(value)))
    if minimum == 0 and value < 0:
        raise ValueError(_ERROR_VALUE_NEGATIVE.format(param_name))
    if minimum is not None and value < minimum:
        raise ValueError('{0} should be at least {1}, not {2}.'.format(param_name, minimum, value))


def _validate_range(start_range, end_range, start_name='start_range', end_name='end_range'):
    """An inclusive byte range: both optional, an end needs a start, 0 <= start <= end."""
    if end_range is not None:
        _validate_not_none(start_name, start_range)
    if start_range is not None:
        _validate_int(start_name, start_range, minimum=0)
    if end_range is not None:
        _validate_int(end_name, end_range, minimum=0)
        if end_range < start_range:
            raise ValueError('{0} ({1}) should not be less than {2} ({3}).'.format(
                end_name, end_range, start_name, start_range))


def _validate_max_connections(max_connections):
    _validate_int('max_connections', max_connections, minimum=1)


def _validate_text(param_name, value):
    """Text to store: a str (encoded by the call) or bytes (stored as they are), as in legacy."""
    if not isinstance(value, (str, bytes)):
        raise TypeError('{0} should be a str or bytes, not {1}.'.format(param_name, _type_name(value)))


def _validate_readable_stream(param_name, stream):
    """A binary stream to read from: bytes or a text stream are refused up front."""
    _validate_not_none(param_name, stream)
    if not callable(getattr(stream, 'read', None)):
        raise TypeError(_ERROR_VALUE_SHOULD_BE_STREAM.format(param_name))
    if isinstance(stream, io.TextIOBase):
        raise TypeError('{0} should be a binary stream: open the file with mode "rb" (or use io.BytesIO), '
                        'not a text stream.'.format(param_name))


def _validate_items_type(param_name, items, item_type):
    """A list of ``item_type`` objects (for example BlobBlock), not of plain values."""
    for item in items:
        if not isinstance(item, item_type):
            raise TypeError('{0} should hold {1} objects, not {2}: write {1}(...) for each item.'.format(
                param_name, item_type.__name__, _type_name(item)))


def _validate_metadata(metadata):
    """Metadata: names are C# identifiers, values ASCII text without control characters."""
    if not metadata:
        return
    for name, value in metadata.items():
        if not isinstance(name, str):
            raise TypeError('metadata names should be str, not {0} ({1!r}).'.format(_type_name(name), name))
        if not _METADATA_NAME.match(name):
            raise ValueError('metadata name {0!r} should be a C# identifier: ASCII letters, digits and '
                             'underscores, not starting with a digit.'.format(name))
        if not isinstance(value, str):
            raise TypeError('metadata value of {0!r} should be a str, not {1}.'.format(name, _type_name(value)))
        if not _METADATA_VALUE.match(value):
            raise ValueError('metadata value of {0!r} should be ASCII without control characters: {1!r}. '
                             'Encode other text yourself (for example base64 or percent-encoding).'.format(
                                 name, value))


def _validate_download(container_name, blob_name, start_range, end_range, max_connections):
    """The arguments of a blob download (get_blob_to_*), before any request or file is opened."""
    _validate_name('container_name', container_name)
    _validate_name('blob_name', blob_name)
    _validate_range(start_range, end_range)
    _validate_max_connections(max_connections)


def _validate_upload(container_name, blob_name, stream, metadata=None, max_connections=1):
    """The arguments of a chunked blob upload, checked before the first block goes out."""
    _validate_name('container_name', container_name)
    _validate_name('blob_name', blob_name)
    _validate_readable_stream('stream', stream)
    _validate_metadata(metadata)
    _validate_max_connections(max_connections)
