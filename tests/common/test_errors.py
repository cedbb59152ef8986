"""Failed responses to azure.common exceptions, and the wrapping of client-side failures."""
import asyncio

import pytest
from azure.common import AzureConflictHttpError, AzureException, AzureHttpError, AzureMissingResourceHttpError

from azure.storage.common._error import (
    _dont_fail_not_exist,
    _dont_fail_on_exist,
    _http_error_handler,
    _validate_not_none,
    _wrap_exception,
)
from azure.storage.common._http import HTTPError

XML_ERROR = (b'<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerNotFound</Code>'
             b'<Message>The specified container does not exist.\nRequestId:1\nTime:2026-01-01</Message></Error>')
TABLE_JSON_ERROR = (b'{"odata.error":{"code":"TableNotFound","message":{"lang":"en-US",'
                    b'"value":"The table specified does not exist."}}}')


def raised(status, body=b'', headers=None, reason='Reason Phrase'):
    with pytest.raises(AzureHttpError) as info:
        _http_error_handler(HTTPError(status, reason, headers or {}, body))
    return info.value


@pytest.mark.parametrize('status, exception_class', [
    (404, AzureMissingResourceHttpError), (409, AzureConflictHttpError), (400, AzureHttpError),
    (403, AzureHttpError), (412, AzureHttpError), (500, AzureHttpError), (503, AzureHttpError)])
def test_status_chooses_the_exception_class(status, exception_class):
    error = raised(status)
    assert type(error) is exception_class
    assert error.status_code == status


# str(error) as the legacy SDK built it for the same response: the reason phrase,
# ' ErrorCode: <x-ms-error-code header>' when that header came, '\n', the raw body (BOM dropped).
@pytest.mark.parametrize('status, reason, headers, body, expected', [
    (404, 'The specified container does not exist.', {'x-ms-error-code': 'ContainerNotFound'}, XML_ERROR,
     'The specified container does not exist. ErrorCode: ContainerNotFound\n'
     '<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerNotFound</Code>'
     '<Message>The specified container does not exist.\nRequestId:1\nTime:2026-01-01</Message></Error>'),
    (409, 'The specified container already exists.', {'x-ms-error-code': 'ContainerAlreadyExists'},
     b'\xef\xbb\xbf<Error><Code>ContainerAlreadyExists</Code></Error>',
     'The specified container already exists. ErrorCode: ContainerAlreadyExists\n'
     '<Error><Code>ContainerAlreadyExists</Code></Error>'),
    (404, 'The specified blob does not exist.', {'x-ms-error-code': 'BlobNotFound'}, b'',
     'The specified blob does not exist. ErrorCode: BlobNotFound\n'),
    (404, 'Not Found', {}, XML_ERROR,
     'Not Found\n<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerNotFound</Code>'
     '<Message>The specified container does not exist.\nRequestId:1\nTime:2026-01-01</Message></Error>'),
    (404, 'Not Found', {'x-ms-error-code': 'TableNotFound'}, TABLE_JSON_ERROR,
     'Not Found ErrorCode: TableNotFound\n{"odata.error":{"code":"TableNotFound","message":{"lang":"en-US",'
     '"value":"The table specified does not exist."}}}'),
    (502, 'Bad Gateway', {}, b'', 'Bad Gateway\n'),
    (503, 'Server Busy', {}, None, 'Server Busy'),
])
def test_message_is_the_legacy_text(status, reason, headers, body, expected):
    assert str(raised(status, body, headers, reason)) == expected


def test_xml_error_gives_code_and_message():
    error = raised(404, XML_ERROR, {'content-type': 'application/xml'}, 'The specified container does not exist.')
    assert isinstance(error, AzureMissingResourceHttpError)
    assert error.error_code == 'ContainerNotFound'


def test_xml_error_in_a_bytearray_body():
    # The transport reads a body over 1 MiB into a bytearray; an error body is no exception.
    error = raised(500, bytearray(XML_ERROR.replace(b'ContainerNotFound', b'InternalError')))
    assert error.error_code == 'InternalError'
    assert 'The specified container does not exist.' in str(error)


def test_xml_error_after_a_byte_order_mark():
    error = raised(409, b'\xef\xbb\xbf' + XML_ERROR.replace(b'ContainerNotFound', b'ContainerAlreadyExists'))
    assert isinstance(error, AzureConflictHttpError)
    assert error.error_code == 'ContainerAlreadyExists'
    assert '\ufeff' not in str(error)


def test_namespaced_xml_error_of_the_table_service():
    body = (b'<?xml version="1.0" encoding="utf-8"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/'
            b'dataservices/metadata"><code>EntityAlreadyExists</code><message xml:lang="en-US">The specified '
            b'entity already exists.</message></error>')
    error = raised(409, body)
    assert error.error_code == 'EntityAlreadyExists'


@pytest.mark.parametrize('body, content_type', [
    (TABLE_JSON_ERROR, 'application/json;odata=minimalmetadata'),
    (TABLE_JSON_ERROR, ''),
    (b'{"error":{"code":"TableNotFound","message":"The table specified does not exist."}}', 'application/json'),
])
def test_json_error_gives_code_and_message(body, content_type):
    error = raised(404, body, {'content-type': content_type})
    assert isinstance(error, AzureMissingResourceHttpError)
    assert error.error_code == 'TableNotFound'


def test_error_code_header_takes_precedence_over_the_body():
    error = raised(404, XML_ERROR, {'x-ms-error-code': 'BlobNotFound'})
    assert error.error_code == 'BlobNotFound'


def test_error_code_header_alone_for_bodiless_responses():
    error = raised(404, b'', {'x-ms-error-code': 'ContainerNotFound'}, 'The specified container does not exist.')
    assert error.error_code == 'ContainerNotFound'


@pytest.mark.parametrize('body, content_type', [
    (b'', ''), (b'   ', ''), (b'not an error body', 'text/plain'), (b'\x00\xff\xfe garbage', ''),
    (b'<Error><Code>unclosed', 'application/xml'), (b'<html><body>Bad Gateway</body></html>', 'text/html'),
    (b'{"truncated": ', 'application/json'), (b'null', 'application/json'), (b'[1, 2]', 'application/json'),
    (b'{"odata.error": "text"}', 'application/json'),
])
def test_empty_or_garbage_bodies_still_give_the_status(body, content_type):
    error = raised(502, body, {'content-type': content_type}, 'Bad Gateway')
    assert type(error) is AzureHttpError
    assert error.status_code == 502
    assert error.error_code is None
    assert str(error).startswith('Bad Gateway\n')


@pytest.mark.parametrize('exception, text', [
    (asyncio.TimeoutError(), 'TimeoutError'),
    (ConnectionResetError(104, 'Connection reset by peer'), 'Connection reset by peer'),
    (ValueError(), 'ValueError'),
])
def test_wrapped_failures_keep_their_cause_and_never_index_args(exception, text):
    wrapped = _wrap_exception(exception, AzureException)
    assert type(wrapped) is AzureException
    assert text in str(wrapped)
    assert wrapped.__cause__ is exception


def test_wrapped_failures_do_not_repeat_a_sas_signature():
    timeout = ConnectionError('Connection timeout to host http://h/c/b?sv=1&sig=abc%2Bd%3D&se=2')
    assert str(_wrap_exception(timeout, AzureException)) == \
        'ConnectionError: Connection timeout to host http://h/c/b?sv=1&sig=REDACTED&se=2'


def test_validate_not_none_names_the_parameter():
    with pytest.raises(ValueError, match='container_name should not be None'):
        _validate_not_none('container_name', None)
    _validate_not_none('container_name', '')


def test_dont_fail_helpers_swallow_only_their_own_status():
    conflict, missing, forbidden = AzureHttpError('c', 409), AzureHttpError('m', 404), AzureHttpError('f', 403)
    assert _dont_fail_on_exist(conflict) is False
    assert _dont_fail_not_exist(missing) is False
    for helper, error in ((_dont_fail_on_exist, missing), (_dont_fail_on_exist, forbidden),
                          (_dont_fail_not_exist, conflict), (_dont_fail_not_exist, forbidden)):
        with pytest.raises(AzureHttpError) as info:
            helper(error)
        assert info.value is error
