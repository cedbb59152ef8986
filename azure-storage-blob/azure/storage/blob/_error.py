"""Error messages and validation helpers of the blob service."""
from azure.common import AzureException

from azure.storage.common._error import _ERROR_MD5_MISMATCH, _validate_not_none

_ERROR_PAGE_BLOB_SIZE_ALIGNMENT = 'Invalid page blob size: {0}. The size must be aligned to a 512-byte boundary.'
_ERROR_PAGE_BLOB_START_ALIGNMENT = 'start_range must align with 512 page size'
_ERROR_PAGE_BLOB_END_ALIGNMENT = 'end_range must align with 512 page size'
_ERROR_INVALID_BLOCK_ID = 'All blocks in block list need to have valid block ids.'
_ERROR_INVALID_LEASE_DURATION = 'lease_duration param needs to be between 15 and 60 or -1.'
_ERROR_INVALID_LEASE_BREAK_PERIOD = 'lease_break_period param needs to be between 0 and 60.'
_ERROR_NO_SINGLE_THREAD_CHUNKING = \
    'To use blob chunk downloader more than 1 thread must be used since get_blob_to_bytes should be ' \
    'called for single threaded blob downloads.'
_ERROR_BATCH_SIZE = 'Batch request should take 1 to 256 sub-requests'
_ERROR_CPK_OVER_HTTP = 'Customer provided encryption key must be used over HTTPS.'
_ERROR_COUNT_TOO_LARGE = \
    'Parameter:count is greater than the amount of data in the stream,please specify a valid count'
_ERROR_APPEND_UNKNOWN = (
    'The append at offset {} was sent again after an attempt whose answer was lost, and the blob does not '
    'end with it: whether the earlier attempt was applied is unknown. Read the blob before appending again.')
_ERROR_PAGES_UNKNOWN = (
    'The page write of bytes {}-{} was sent again after an attempt whose answer was lost, and the blob does not '
    'hold it: whether the earlier attempt was applied is unknown. Read the blob before writing again.')
_ERROR_SERVICE_PROPERTIES_EMPTY = 'set_blob_service_properties should be called with at least one parameter'
_ERROR_DELEGATION_KEY_TIMES = 'delegation key start/end times are required'


def _validate_content_match(server_md5, computed_md5):
    if server_md5 != computed_md5:
        raise AzureException(_ERROR_MD5_MISMATCH.format(server_md5, computed_md5))


def _validate_user_delegation_key(user_delegation_key):
    for attribute in ('signed_oid', 'signed_tid', 'signed_start', 'signed_expiry', 'signed_version',
                      'signed_service', 'value'):
        _validate_not_none('user_delegation_key.' + attribute, getattr(user_delegation_key, attribute))
