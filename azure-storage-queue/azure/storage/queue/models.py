"""The queue service's models: queues, messages, message encodings and SAS permissions."""
from __future__ import annotations

from base64 import b64decode, b64encode
from datetime import datetime
from typing import Any, ClassVar, Optional
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import unescape as _xml_unescape

from azure.storage.common.models import _Flags

from ._error import (
    _ERROR_MESSAGE_NOT_BASE64,
    _validate_message_type_bytes,
    _validate_message_type_text,
)


class Queue:
    """
    A queue, as listed by :func:`~azure.storage.queue.queueservice.QueueService.list_queues`.

    :ivar str name: the name of the queue.
    :ivar metadata: the queue's name-value metadata. None unless the listing asked for
        metadata (include_metadata=True); then an empty dict for a queue without any.
    :vartype metadata: dict(str, str)
    """

    name: Optional[str]
    metadata: Optional[dict[str, str]]

    def __init__(self) -> None:
        self.name = None
        self.metadata = None


class QueueMessage:
    """
    A message of a queue.

    :ivar str id: the GUID the service gave the message; with ``pop_receipt`` it names the
        message to delete or update after a get.
    :ivar date insertion_time: when the message was put in the queue (UTC).
    :ivar date expiration_time: when the message expires (UTC).
    :ivar int dequeue_count: how many times the message has been got: 1 after the first
        get, one more for every later get. Peeking does not count.
    :ivar obj content: the message content, as the service's ``decode_function`` made it
        (a str by default).
    :ivar str pop_receipt: the receipt that, with ``id``, lets the getter delete or update
        the message. Only get, put and update return one; None for peeked messages.
    :ivar date time_next_visible: when the message will be visible again (UTC). Only get,
        put and update return it; None for peeked messages.
    """

    id: Optional[str]
    insertion_time: Optional[datetime]
    expiration_time: Optional[datetime]
    dequeue_count: Optional[int]
    content: Any
    pop_receipt: Optional[str]
    time_next_visible: Optional[datetime]

    def __init__(self) -> None:
        self.id = None
        self.insertion_time = None
        self.expiration_time = None
        self.dequeue_count = None
        self.content = None
        self.pop_receipt = None
        self.time_next_visible = None


class QueueMessageFormat:
    """
    Encodings for message content. Assign an encoder to ``QueueService.encode_function``
    and the matching decoder to ``QueueService.decode_function``; the defaults are
    :meth:`text_xmlencode` and :meth:`text_xmldecode`. Base64 is the choice when other
    Azure Storage libraries (most of them base64-encode) read or write the same queue.
    """

    @staticmethod
    def text_base64encode(data: str) -> str:
        """
        Base64-encode text (as UTF-8).

        :param str data: the text to encode.
        :return: the base64 text.
        :rtype: str
        """
        _validate_message_type_text(data)
        return b64encode(data.encode('utf-8')).decode('utf-8')

    @staticmethod
    def text_base64decode(data: str) -> str:
        """
        Decode base64 to text (UTF-8).

        :param str data: the base64 text to decode.
        :return: the decoded text.
        :rtype: str
        :raises ValueError: when ``data`` is not base64 of UTF-8 text.
        """
        try:
            return b64decode(data.encode('utf-8')).decode('utf-8')
        except (ValueError, TypeError):
            raise ValueError(_ERROR_MESSAGE_NOT_BASE64) from None

    @staticmethod
    def binary_base64encode(data: bytes) -> str:
        """
        Base64-encode bytes.

        :param bytes data: the bytes to encode.
        :return: the base64 text.
        :rtype: str
        """
        _validate_message_type_bytes(data)
        return b64encode(data).decode('utf-8')

    @staticmethod
    def binary_base64decode(data: str) -> bytes:
        """
        Decode base64 to bytes.

        :param str data: the base64 text to decode.
        :return: the decoded bytes.
        :rtype: bytes
        :raises ValueError: when ``data`` is not base64.
        """
        try:
            return b64decode(data.encode('utf-8'))
        except (ValueError, TypeError):
            raise ValueError(_ERROR_MESSAGE_NOT_BASE64) from None

    @staticmethod
    def text_xmlencode(data: str) -> str:
        """
        Escape the XML special characters ``&``, ``<`` and ``>`` of text.

        :param str data: the text to encode.
        :return: the escaped text.
        :rtype: str
        """
        _validate_message_type_text(data)
        return _xml_escape(data)

    @staticmethod
    def text_xmldecode(data: str) -> str:
        """
        Undo :meth:`text_xmlencode`.

        :param str data: the escaped text.
        :return: the text.
        :rtype: str
        """
        return _xml_unescape(data)

    @staticmethod
    def noencode(data: str) -> str:
        """
        Leave the content as it is.

        :param str data: the content.
        :return: ``data``, unchanged.
        :rtype: str
        """
        return data

    @staticmethod
    def nodecode(data: str) -> str:
        """
        Leave the content as it is.

        :param str data: the content.
        :return: ``data``, unchanged.
        :rtype: str
        """
        return data


class QueuePermissions(_Flags):
    """
    The permissions of a queue SAS (see
    :func:`~azure.storage.queue.queueservice.QueueService.generate_queue_shared_access_signature`)
    or of a stored access policy (see
    :func:`~azure.storage.queue.queueservice.QueueService.set_queue_acl`).
    Combine them with ``|`` or ``+``: ``QueuePermissions.ADD | QueuePermissions.PROCESS``.

    :ivar QueuePermissions QueuePermissions.READ: read metadata and properties,
        including the message count; peek at messages.
    :ivar QueuePermissions QueuePermissions.ADD: add messages to the queue.
    :ivar QueuePermissions QueuePermissions.UPDATE: update messages of the queue (with
        PROCESS, to get the message to update first).
    :ivar QueuePermissions QueuePermissions.PROCESS: get and delete messages.
    """

    READ: ClassVar[QueuePermissions]
    ADD: ClassVar[QueuePermissions]
    UPDATE: ClassVar[QueuePermissions]
    PROCESS: ClassVar[QueuePermissions]

    read: bool
    add: bool
    update: bool
    process: bool

    _FLAGS = (('read', 'r'), ('add', 'a'), ('update', 'u'), ('process', 'p'))

    def __init__(self, read: bool = False, add: bool = False, update: bool = False, process: bool = False,
                 _str: Optional[str] = None) -> None:
        """
        :param bool read: read metadata and properties, including the message count;
            peek at messages.
        :param bool add: add messages to the queue.
        :param bool update: update messages of the queue. Use with process, to get
            the message to update first.
        :param bool process: get and delete messages.
        :param str _str: the permissions as a string, e.g. 'raup'.
        """
        self._set(_str, read=read, add=add, update=update, process=process)


QueuePermissions.READ = QueuePermissions(read=True)
QueuePermissions.ADD = QueuePermissions(add=True)
QueuePermissions.UPDATE = QueuePermissions(update=True)
QueuePermissions.PROCESS = QueuePermissions(process=True)
