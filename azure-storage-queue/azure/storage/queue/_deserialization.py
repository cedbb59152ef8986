"""Pure response parsers of the queue service."""
from __future__ import annotations

from typing import Any, Callable, Optional
from xml.etree import ElementTree as ETree

from azure.common import AzureException

from azure.storage.common._deserialization import _parse_date, _parse_metadata, _to_int
from azure.storage.common._http import HTTPResponse
from azure.storage.common.models import _dict, _list

from ._encryption import _decrypt_queue_message
from .models import Queue, QueueMessage


def _parse_metadata_and_message_count(response: HTTPResponse) -> _dict:
    """
    The queue's metadata as a dict, carrying ``approximate_message_count`` (an int) as an
    attribute.
    """
    metadata = _parse_metadata(response)
    metadata.approximate_message_count = _to_int(response.headers.get('x-ms-approximate-messages-count'))
    return metadata


def _parse_queue_message_from_headers(response: HTTPResponse) -> QueueMessage:
    """A QueueMessage with the new pop receipt and visibility time an update returns."""
    message = QueueMessage()
    message.pop_receipt = response.headers.get('x-ms-popreceipt')
    message.time_next_visible = _parse_date(response.headers.get('x-ms-time-next-visible'))
    return message


def _convert_xml_to_queues(response):
    """
    A page of queues (a list with ``next_marker``) from a List Queues body::

        <EnumerationResults ServiceEndpoint="...">
          <Prefix/><Marker/><MaxResults/>
          <Queues>
            <Queue><Name>...</Name><Metadata><name>value</name></Metadata></Queue>
          </Queues>
          <NextMarker/>
        </EnumerationResults>
    """
    if response is None or response.body is None:
        return None
    root = ETree.fromstring(response.body)
    queues = _list()
    queues.next_marker = root.findtext('NextMarker') or None
    queues_element = root.find('Queues')
    for element in (queues_element if queues_element is not None else ()):
        queue = Queue()
        queue.name = element.findtext('Name')
        metadata_element = element.find('Metadata')
        if metadata_element is not None:
            queue.metadata = {item.tag: item.text for item in metadata_element}
        queues.append(queue)
    return queues


def _convert_xml_to_queue_messages(response: Optional[HTTPResponse],
                                   content: Any = None) -> Optional[list[QueueMessage]]:
    """
    The messages of a get, peek or put response::

        <QueueMessagesList>
          <QueueMessage>
            <MessageId/><InsertionTime/><ExpirationTime/><PopReceipt/>
            <TimeNextVisible/><DequeueCount/><MessageText/>
          </QueueMessage>
        </QueueMessagesList>

    ``content`` is the text as stored (still encoded, maybe encrypted): see
    :func:`_decode_queue_messages`. A put response has no text; then the content the caller
    put is passed as ``content`` and used as it is.
    """
    if response is None or response.body is None:
        return None
    root = ETree.fromstring(response.body)
    messages = []
    for element in root.findall('QueueMessage'):
        message = QueueMessage()
        message.id = element.findtext('MessageId')
        message.insertion_time = _parse_date(element.findtext('InsertionTime'))
        message.expiration_time = _parse_date(element.findtext('ExpirationTime'))
        message.pop_receipt = element.findtext('PopReceipt')
        message.time_next_visible = _parse_date(element.findtext('TimeNextVisible'))
        message.dequeue_count = _to_int(element.findtext('DequeueCount'))
        message.content = content if content is not None else element.findtext('MessageText')
        messages.append(message)
    return messages


async def _decode_queue_messages(messages: list[QueueMessage], decode_function: Callable[[str], Any],
                                 require_encryption: bool, key_encryption_key: Any,
                                 resolver: Optional[Callable[[str], Any]]) -> list[QueueMessage]:
    """
    Decrypt (when a key or resolver is set) then decode the content of got or peeked
    messages, in place.

    This runs after the request, not in the response parser: a parser failure counts as a
    failed request and is retried, and retrying a get would dequeue yet more messages. As in
    the legacy SDK, a failure surfaces as an ``AzureException`` carrying the decoder's message.
    """
    try:
        for message in messages:
            text = message.content
            if key_encryption_key is not None or resolver is not None:
                text = await _decrypt_queue_message(text, require_encryption, key_encryption_key, resolver)
            message.content = decode_function(text)
    except AzureException:
        raise
    except Exception as ex:
        raise AzureException(str(ex)) from ex
    return messages
