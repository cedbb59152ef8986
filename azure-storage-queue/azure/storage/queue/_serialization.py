"""Pure request-building helpers of the queue service."""
from __future__ import annotations

from typing import Any, Callable, Optional
from xml.etree import ElementTree as ETree

from azure.storage.common._validation import _validate_not_bytes

from ._encryption import _encrypt_queue_message


_MESSAGE_XML = "<?xml version='1.0' encoding='utf-8'?>\n<QueueMessage><MessageText>{}</MessageText></QueueMessage>"


def _get_path(queue_name: Optional[str] = None, include_messages: Optional[bool] = None,
              message_id: Optional[str] = None) -> str:
    """
    The unencoded URL path of a queue resource: the service root, a queue, its messages,
    or one message. (The common layer percent-encodes it once when the request is sent.)

    :param str queue_name: the queue, or None for the service root.
    :param bool include_messages: address the queue's messages.
    :param str message_id: address one message (with include_messages).
    """
    _validate_not_bytes('queue_name', queue_name)
    if not queue_name:
        return '/'
    path = '/' + str(queue_name)
    if include_messages:
        path += '/messages'
        if message_id:
            path += '/' + str(message_id)
    return path


async def _convert_queue_message_xml(message_text: Any, encode_function: Callable[[Any], str],
                                     key_encryption_key: Any) -> bytes:
    """
    The body of a put or update message request::

        <?xml version='1.0' encoding='utf-8'?>
        <QueueMessage><MessageText>...</MessageText></QueueMessage>

    The content goes through ``encode_function`` first, then is encrypted when a
    key-encryption key is given.

    :rtype: bytes
    """
    text = encode_function(message_text)
    if key_encryption_key is not None:
        text = await _encrypt_queue_message(text, key_encryption_key)
    if type(text) is str and text:
        # What ElementTree writes for this document, without building it: text escapes only &, < and >
        # (an empty text it writes as <MessageText />, left to it).
        return _MESSAGE_XML.format(text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')).encode('utf-8')
    root = ETree.Element('QueueMessage')
    ETree.SubElement(root, 'MessageText').text = text
    return ETree.tostring(root, encoding='utf-8', xml_declaration=True)
