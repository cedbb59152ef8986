"""Queue-specific error messages and the validations that run before a request goes out."""
from __future__ import annotations

from typing import Union

from azure.storage.common._error import _validate_type_bytes

_ERROR_MESSAGE_SHOULD_BE_STR = 'message should be of type str.'
_ERROR_MESSAGE_NOT_BASE64 = 'message is not a valid base64 value.'
_ERROR_MESSAGE_NOT_ENCRYPTED = 'Message was not encrypted.'
_ERROR_NUM_MESSAGES_OUT_OF_RANGE = 'num_messages should be an integer from 1 to 32.'

_MIN_MESSAGES_PER_CALL = 1
_MAX_MESSAGES_PER_CALL = 32


def _validate_message_type_text(param: object) -> None:
    if not isinstance(param, str):
        raise TypeError(_ERROR_MESSAGE_SHOULD_BE_STR)


def _validate_message_type_bytes(param: object) -> None:
    _validate_type_bytes('message', param)


def _validate_num_messages(num_messages: Union[int, str, None]) -> None:
    """The service takes 1 to 32 messages per call; anything else would only come back as a 400.

    Like the legacy SDK, an int or a numeric str is accepted (the value goes out as text).
    """
    if num_messages is None:
        return
    if isinstance(num_messages, bool) or not isinstance(num_messages, (int, str)):
        raise ValueError(_ERROR_NUM_MESSAGES_OUT_OF_RANGE)
    try:
        count = int(num_messages)
    except ValueError:
        raise ValueError(_ERROR_NUM_MESSAGES_OUT_OF_RANGE) from None
    if not _MIN_MESSAGES_PER_CALL <= count <= _MAX_MESSAGES_PER_CALL:
        raise ValueError(_ERROR_NUM_MESSAGES_OUT_OF_RANGE)
