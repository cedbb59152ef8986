"""Pure response parsers of the blob service."""
from xml.etree import ElementTree as ETree

from azure.storage.common._common_conversion import _decode_base64_to_text, _get_content_md5, _to_str
from azure.storage.common._deserialization import (
    _bool,
    _convert_xml_to_signed_identifiers,
    _parse_date,
    _parse_metadata,
    _parse_properties,
    _to_int,
)
from azure.storage.common._http import HTTPResponse
from azure.storage.common.models import _list

from ._error import _validate_content_match
from .models import (
    AccountInformation,
    AppendBlockProperties,
    BatchSubResponse,
    Blob,
    BlobBlock,
    BlobBlockList,
    BlobBlockState,
    BlobPrefix,
    BlobProperties,
    Container,
    ContainerProperties,
    PageBlobProperties,
    PageRange,
    ResourceProperties,
    UserDelegationKey,
)

_HTTP_LINE_ENDING = '\r\n'

# Response header -> (sub-object of the result or None, attribute, converter).
_PROPERTIES_ATTRIBUTE_MAP = {
    'last-modified': (None, 'last_modified', _parse_date),
    'etag': (None, 'etag', _to_str),
    'x-ms-blob-type': (None, 'blob_type', _to_str),
    'content-length': (None, 'content_length', _to_int),
    'content-range': (None, 'content_range', _to_str),
    'x-ms-blob-sequence-number': (None, 'page_blob_sequence_number', _to_int),
    'x-ms-blob-committed-block-count': (None, 'append_blob_committed_block_count', _to_int),
    'x-ms-blob-public-access': (None, 'public_access', _to_str),
    'x-ms-access-tier': (None, 'blob_tier', _to_str),
    'x-ms-access-tier-change-time': (None, 'blob_tier_change_time', _parse_date),
    'x-ms-access-tier-inferred': (None, 'blob_tier_inferred', _bool),
    'x-ms-archive-status': (None, 'rehydration_status', _to_str),
    'x-ms-server-encrypted': (None, 'server_encrypted', _bool),
    'x-ms-encryption-key-sha256': (None, 'encryption_key_sha256', _to_str),
    'x-ms-creation-time': (None, 'creation_time', _parse_date),
    'x-ms-has-immutability-policy': (None, 'has_immutability_policy', _bool),
    'x-ms-has-legal-hold': (None, 'has_legal_hold', _bool),
    'content-type': ('content_settings', 'content_type', _to_str),
    'cache-control': ('content_settings', 'cache_control', _to_str),
    'content-encoding': ('content_settings', 'content_encoding', _to_str),
    'content-disposition': ('content_settings', 'content_disposition', _to_str),
    'content-language': ('content_settings', 'content_language', _to_str),
    'content-md5': ('content_settings', 'content_md5', _to_str),
    'x-ms-lease-status': ('lease', 'status', _to_str),
    'x-ms-lease-state': ('lease', 'state', _to_str),
    'x-ms-lease-duration': ('lease', 'duration', _to_str),
    'x-ms-copy-id': ('copy', 'id', _to_str),
    'x-ms-copy-source': ('copy', 'source', _to_str),
    'x-ms-copy-status': ('copy', 'status', _to_str),
    'x-ms-copy-progress': ('copy', 'progress', _to_str),
    'x-ms-copy-completion-time': ('copy', 'completion_time', _parse_date),
    'x-ms-copy-destination-snapshot': ('copy', 'destination_snapshot_time', _to_str),
    'x-ms-copy-status-description': ('copy', 'status_description', _to_str),
}

# The headers that only describe a container (the map above is shared by blobs and containers).
_BLOB_ONLY_HEADERS = ('x-ms-blob-type', 'content-type', 'cache-control', 'content-encoding', 'content-disposition',
                      'content-language', 'content-md5', 'content-length', 'content-range',
                      'x-ms-blob-sequence-number', 'x-ms-blob-committed-block-count', 'x-ms-access-tier',
                      'x-ms-access-tier-change-time', 'x-ms-access-tier-inferred', 'x-ms-archive-status',
                      'x-ms-server-encrypted', 'x-ms-encryption-key-sha256', 'x-ms-creation-time')
_CONTAINER_ATTRIBUTE_MAP = {name: info for name, info in _PROPERTIES_ATTRIBUTE_MAP.items()
                            if name not in _BLOB_ONLY_HEADERS and not name.startswith('x-ms-copy')}

# Elements of a blob's <Properties> in a listing -> (sub-object or None, attribute, converter).
_LIST_BLOBS_ATTRIBUTE_MAP = {
    'Last-Modified': (None, 'last_modified', _parse_date),
    'Etag': (None, 'etag', _to_str),
    'x-ms-blob-sequence-number': (None, 'sequence_number', _to_int),
    'BlobType': (None, 'blob_type', _to_str),
    'Content-Length': (None, 'content_length', _to_int),
    'ServerEncrypted': (None, 'server_encrypted', _bool),
    'Content-Type': ('content_settings', 'content_type', _to_str),
    'Content-Encoding': ('content_settings', 'content_encoding', _to_str),
    'Content-Disposition': ('content_settings', 'content_disposition', _to_str),
    'Content-Language': ('content_settings', 'content_language', _to_str),
    'Content-MD5': ('content_settings', 'content_md5', _to_str),
    'Cache-Control': ('content_settings', 'cache_control', _to_str),
    'LeaseStatus': ('lease', 'status', _to_str),
    'LeaseState': ('lease', 'state', _to_str),
    'LeaseDuration': ('lease', 'duration', _to_str),
    'CopyId': ('copy', 'id', _to_str),
    'CopySource': ('copy', 'source', _to_str),
    'CopyStatus': ('copy', 'status', _to_str),
    'CopyProgress': ('copy', 'progress', _to_str),
    'CopyCompletionTime': ('copy', 'completion_time', _to_str),
    'CopyStatusDescription': ('copy', 'status_description', _to_str),
    'AccessTier': (None, 'blob_tier', _to_str),
    'AccessTierChangeTime': (None, 'blob_tier_change_time', _parse_date),
    'AccessTierInferred': (None, 'blob_tier_inferred', _bool),
    'ArchiveStatus': (None, 'rehydration_status', _to_str),
    'DeletedTime': (None, 'deleted_time', _parse_date),
    'RemainingRetentionDays': (None, 'remaining_retention_days', _to_int),
    'Creation-Time': (None, 'creation_time', _parse_date),
}

# The same, for the loop over every property of every listed blob: the property group as an
# index into (properties, content_settings, lease, copy), and None for a text kept as it is.
_LIST_BLOB_GROUPS = (None, 'content_settings', 'lease', 'copy')
_LIST_BLOB_PROPERTIES = {
    tag: (_LIST_BLOB_GROUPS.index(group), attribute, None if convert is _to_str else convert)
    for tag, (group, attribute, convert) in _LIST_BLOBS_ATTRIBUTE_MAP.items()
}


def _xml_root(response):
    if response is None or not response.body:
        return None
    return ETree.fromstring(response.body)


def _parse_cpk_headers(response, properties):
    server_encrypted = response.headers.get('x-ms-request-server-encrypted')
    if server_encrypted is not None:
        properties.request_server_encrypted = _bool(server_encrypted)
    properties.encryption_key_sha256 = response.headers.get('x-ms-encryption-key-sha256')


def _parse_base_properties(response):
    """ResourceProperties (etag, last modified, encryption) of a write."""
    return _fill_base_properties(ResourceProperties(), response)


def _fill_base_properties(properties, response):
    properties.last_modified = _parse_date(response.headers.get('last-modified'))
    properties.etag = response.headers.get('etag')
    _parse_cpk_headers(response, properties)
    return properties


def _parse_page_properties(response):
    """PageBlobProperties of a page write."""
    properties = _fill_base_properties(PageBlobProperties(), response)
    properties.sequence_number = _to_int(response.headers.get('x-ms-blob-sequence-number'))
    return properties


def _parse_append_block(response):
    """AppendBlockProperties of an append."""
    properties = _fill_base_properties(AppendBlockProperties(), response)
    properties.append_offset = _to_int(response.headers.get('x-ms-blob-append-offset'))
    properties.committed_block_count = _to_int(response.headers.get('x-ms-blob-committed-block-count'))
    return properties


def _parse_lease(response):
    """{'id': lease id, 'time': seconds left on a broken lease}."""
    time = response.headers.get('x-ms-lease-time')
    return {'id': response.headers.get('x-ms-lease-id'), 'time': _to_int(time) if time else time}


def _parse_blob_properties(response):
    props = _parse_properties(response, BlobProperties, _PROPERTIES_ATTRIBUTE_MAP)
    if props.blob_type == 'PageBlob' and props.blob_tier is not None:
        props.blob_tier = props.blob_tier.upper()
    if 'content-range' in response.headers:
        # The Content-MD5 of a ranged read is the MD5 of the range; the blob's own is sent apart.
        props.content_settings.content_md5 = response.headers.get('x-ms-blob-content-md5')
    return props


def _parse_blob(response, name, snapshot, validate_content=False):
    """
    A Blob (properties, metadata and the body as content) from a Get or Head Blob response.
    With ``validate_content`` the body must match its Content-MD5.
    """
    if response is None:
        return None
    if validate_content:
        _validate_content_match(response.headers.get('content-md5'), _get_content_md5(response.body))
    return Blob(name, snapshot, response.body, _parse_blob_properties(response), _parse_metadata(response))


def _parse_blob_and_headers(response, name, snapshot, validate_content=False):
    """``(Blob, response headers)``: for a download whose content is yet to be decrypted."""
    return _parse_blob(response, name, snapshot, validate_content), response.headers


def _parse_snapshot_blob(response, name):
    """The Blob of a new snapshot, named by the x-ms-snapshot header."""
    return _parse_blob(response, name, response.headers.get('x-ms-snapshot'))


def _parse_container(response, name):
    if response is None:
        return None
    props = _parse_properties(response, ContainerProperties, _CONTAINER_ATTRIBUTE_MAP)
    return Container(name, props, _parse_metadata(response))


def _convert_xml_to_signed_identifiers_and_access(response):
    """The stored access policies of a container, with its public access level as ``public_access``."""
    acl = _convert_xml_to_signed_identifiers(response)
    acl.public_access = response.headers.get('x-ms-blob-public-access')
    return acl


def _metadata_from_xml(element):
    return {child.tag: child.text for child in element}


def _convert_xml_to_containers(response):
    """
    A page of containers (with ``next_marker``) from a List Containers body::

        <EnumerationResults ServiceEndpoint="..."><Prefix/><Marker/><MaxResults/>
          <Containers><Container><Name/><Properties>...</Properties><Metadata>...</Metadata>
          </Container></Containers><NextMarker/></EnumerationResults>
    """
    root = _xml_root(response)
    if root is None:
        return None
    containers = _list()
    containers.next_marker = root.findtext('NextMarker') or None
    containers_element = root.find('Containers')
    for element in containers_element.findall('Container') if containers_element is not None else ():
        container = Container(element.findtext('Name'))
        metadata = element.find('Metadata')
        if metadata is not None:
            container.metadata = _metadata_from_xml(metadata)
        properties = element.find('Properties')
        if properties is not None:
            props = container.properties
            props.etag = properties.findtext('Etag')
            props.last_modified = _parse_date(properties.findtext('Last-Modified'))
            props.lease.status = properties.findtext('LeaseStatus')
            props.lease.state = properties.findtext('LeaseState')
            props.lease.duration = properties.findtext('LeaseDuration')
            props.public_access = properties.findtext('PublicAccess')
            immutability = properties.findtext('HasImmutabilityPolicy')
            legal_hold = properties.findtext('HasLegalHold')
            props.has_immutability_policy = _bool(immutability) if immutability else None
            props.has_legal_hold = _bool(legal_hold) if legal_hold else None
        containers.append(container)
    return containers


def _blob_from_xml(element):
    blob = Blob(element.findtext('Name'), element.findtext('Snapshot'))
    deleted = element.findtext('Deleted')
    if deleted:
        blob.deleted = _bool(deleted)
    properties = element.find('Properties')
    props = blob.properties
    targets = (props, props.content_settings, props.lease, props.copy)
    for child in properties if properties is not None else ():
        text = child.text
        info = _LIST_BLOB_PROPERTIES.get(child.tag)
        if info is None:
            setattr(props, child.tag, text)
            continue
        group, attribute, convert = info
        setattr(targets[group], attribute, convert(text) if convert is not None and text is not None else text)
    metadata = element.find('Metadata')
    if metadata is not None:
        blob.metadata = _metadata_from_xml(metadata)
    return blob


# A List Blobs page is parsed this many bytes at a time, each item converted and dropped as soon
# as it is complete: a page of 5,000 blobs is ~85,000 elements, and keeping them all alive while
# the Blob objects are built makes the garbage collector walk them again and again (it cost more
# than the parse itself).
_LIST_FEED_SIZE = 16384


def _parse_blob_list(response, convert_prefix, convert_blob):
    """
    A page of a List Blobs body (its BlobPrefix items first, then its Blob items, each
    converted, with ``next_marker``), or None without a body. Only the children of ``<Blobs>``
    are items (a metadata entry may be named ``Blob``); each is converted when its end tag is
    parsed, then dropped from the tree.
    """
    if response is None or not response.body:
        return None
    body = response.body
    parser = ETree.XMLPullParser(events=('start', 'end'))
    prefixes, blobs = [], []
    root = items = None
    depth = 0
    for offset in range(0, len(body), _LIST_FEED_SIZE):
        parser.feed(body[offset:offset + _LIST_FEED_SIZE])
        for event, element in parser.read_events():
            if event == 'start':
                depth += 1
                if depth == 1:
                    root = element
                elif depth == 2 and element.tag == 'Blobs':
                    items = element
                continue
            depth -= 1
            if depth == 2 and items is not None:
                tag = element.tag
                if tag == 'Blob':
                    blobs.append(convert_blob(element))
                elif tag == 'BlobPrefix':
                    prefixes.append(convert_prefix(element))
            elif depth == 1 and element is items:
                items = None
        if items is not None:
            # An item still being parsed is dropped from the tree too: the parser keeps filling it.
            del items[:]
    parser.close()
    result = _list(prefixes)
    result.extend(blobs)
    result.next_marker = (root.findtext('NextMarker') or None) if root is not None else None
    return result


def _blob_prefix_from_xml(element):
    prefix = BlobPrefix()
    prefix.name = element.findtext('Name')
    return prefix


def _name_from_xml(element):
    return element.findtext('Name')


def _convert_xml_to_blob_list(response):
    """A page of BlobPrefix and Blob items (prefixes first, with ``next_marker``)."""
    return _parse_blob_list(response, _blob_prefix_from_xml, _blob_from_xml)


def _convert_xml_to_blob_name_list(response):
    """A page of names only: the prefixes first, then the blobs."""
    return _parse_blob_list(response, _name_from_xml, _name_from_xml)


def _blocks_from_xml(parent, state):
    blocks = []
    for element in parent.findall('Block') if parent is not None else ():
        block = BlobBlock(id=_decode_base64_to_text(element.findtext('Name', '')), state=state)
        block._set_size(int(element.findtext('Size')))
        blocks.append(block)
    return blocks


def _convert_xml_to_block_list(response):
    """BlobBlockList from a Get Block List body; block ids are returned decoded from base64."""
    root = _xml_root(response)
    if root is None:
        return None
    block_list = BlobBlockList()
    block_list.committed_blocks = _blocks_from_xml(root.find('CommittedBlocks'), BlobBlockState.Committed)
    block_list.uncommitted_blocks = _blocks_from_xml(root.find('UncommittedBlocks'), BlobBlockState.Uncommitted)
    return block_list


def _convert_xml_to_page_ranges(response):
    """The PageRange list of a Get Page Ranges body (ClearRange elements are ``is_cleared``)."""
    root = _xml_root(response)
    if root is None:
        return None
    return [PageRange(int(element.findtext('Start')), int(element.findtext('End')), element.tag == 'ClearRange')
            for element in root if element.tag in ('PageRange', 'ClearRange')]


def _parse_account_information(response):
    info = AccountInformation()
    info.sku_name = response.headers.get('x-ms-sku-name')
    info.account_kind = response.headers.get('x-ms-account-kind')
    return info


def _convert_xml_to_user_delegation_key(response):
    root = _xml_root(response)
    if root is None:
        return None
    key = UserDelegationKey()
    for attribute, tag in (('signed_oid', 'SignedOid'), ('signed_tid', 'SignedTid'), ('signed_start', 'SignedStart'),
                           ('signed_expiry', 'SignedExpiry'), ('signed_service', 'SignedService'),
                           ('signed_version', 'SignedVersion'), ('value', 'Value')):
        setattr(key, attribute, root.findtext(tag))
    return key


def _ingest_batch_response(batch_response, batch_sub_requests):
    """
    The BatchSubResponse list of a batch, in the order the service answered; each is matched
    to its sub-request by the Content-ID the sub-request was sent with.
    """
    content_type = batch_response.headers.get('content-type', '')
    boundary = content_type.split('boundary=', 1)[1].strip().strip('"')
    body = batch_response.body.decode('utf-8')
    end = body.find('--' + boundary + '--')
    parts = (body if end < 0 else body[:end]).split('--' + boundary + _HTTP_LINE_ENDING)
    results = []
    for part in parts:
        if not part.strip():
            continue
        sub_response = _parse_sub_response_to_http_response(part)
        content_id = _to_int(sub_response.headers.get('content-id'))
        sub_request = batch_sub_requests[content_id] if content_id is not None else None
        results.append(BatchSubResponse(200 <= sub_response.status < 300, sub_response, sub_request))
    return results


def _parse_sub_response_to_http_response(sub_response):
    """
    An HTTPResponse from one part of a batch response: the part headers (Content-ID among
    them), a blank line, the status line, the headers, a blank line and the body. Header
    names are lower-cased; ``message`` carries the x-ms-error-code of a failure.
    """
    response = HTTPResponse(None, '', {}, b'')
    head, _, body = sub_response.partition(_HTTP_LINE_ENDING * 2)
    for line in head.split(_HTTP_LINE_ENDING):
        _add_header(response, line)
    if body.startswith('HTTP'):
        status_block, _, body = body.partition(_HTTP_LINE_ENDING * 2)
        status_line, _, header_lines = status_block.partition(_HTTP_LINE_ENDING)
        response.status = int(status_line.split(' ')[1])
        for line in header_lines.split(_HTTP_LINE_ENDING):
            _add_header(response, line)
    if body.endswith(_HTTP_LINE_ENDING):
        body = body[:-len(_HTTP_LINE_ENDING)]
    response.body = body.encode('utf-8')
    response.message = response.headers.get('x-ms-error-code', '')
    return response


def _add_header(response, line):
    name, separator, value = line.partition(':')
    if separator:
        response.headers[name.strip().lower()] = value.strip()
