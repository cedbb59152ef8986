"""Retry decisions of the legacy policies, as pure functions of a RetryContext."""
import io

import pytest

from azure.storage.common import ExponentialRetry, LinearRetry, LocationMode, RetryContext, no_retry
from azure.storage.common._http import HTTPRequest, HTTPResponse

PRIMARY_HOST = 'myaccount.blob.core.windows.net'
SECONDARY_HOST = 'myaccount-secondary.blob.core.windows.net'


def context(status=None, count=0, location_mode=LocationMode.PRIMARY, body=None, body_position=None,
            secondary=False, is_emulated=False, path='/container/blob'):
    locations = {LocationMode.PRIMARY: PRIMARY_HOST}
    if secondary:
        locations[LocationMode.SECONDARY] = SECONDARY_HOST
    request = HTTPRequest('GET', path, body=body, host_locations=locations)
    request.host = locations[location_mode]
    retry_context = RetryContext()
    retry_context.request = request
    retry_context.response = HTTPResponse(status, 'reason', {}, b'') if status is not None else None
    retry_context.count = count
    retry_context.location_mode = location_mode
    retry_context.body_position = body_position
    retry_context.is_emulated = is_emulated
    return retry_context


def linear(**kwargs):
    return LinearRetry(backoff=2, random_jitter_range=0, **kwargs)


@pytest.mark.parametrize('status, location_mode, retried', [
    (None, LocationMode.PRIMARY, True),  # no response: a connection failure or timeout
    (200, LocationMode.PRIMARY, True),  # the body could not be read or parsed
    (304, LocationMode.PRIMARY, False),
    (404, LocationMode.PRIMARY, False),
    (404, LocationMode.SECONDARY, True),  # the secondary may lag behind
    (408, LocationMode.PRIMARY, True),
    (409, LocationMode.PRIMARY, False),
    (412, LocationMode.PRIMARY, False),
    (500, LocationMode.PRIMARY, True),
    (501, LocationMode.PRIMARY, False),
    (503, LocationMode.PRIMARY, True),
    (505, LocationMode.PRIMARY, False),
])
@pytest.mark.parametrize('policy', [linear(), ExponentialRetry(initial_backoff=2, random_jitter_range=0)],
                         ids=['linear', 'exponential'])
def test_which_statuses_are_retried(policy, status, location_mode, retried):
    retry_context = context(status, location_mode=location_mode, secondary=True)
    assert (policy.retry(retry_context) is not None) is retried
    assert retry_context.count == (1 if retried else 0)


def test_no_retry_never_retries():
    assert no_retry(context(503)) is None


@pytest.mark.parametrize('max_attempts', [0, 1, 3])
def test_max_attempts_counts_the_retries(max_attempts):
    policy = linear(max_attempts=max_attempts)
    retry_context = context(503)
    intervals = []
    while True:
        interval = policy.retry(retry_context)
        if interval is None:
            break
        intervals.append(interval)
    assert intervals == [2] * max_attempts
    assert retry_context.count == max_attempts


def test_exponential_backoff_grows_from_the_initial_backoff():
    policy = ExponentialRetry(initial_backoff=15, increment_base=3, max_attempts=4, random_jitter_range=0)
    retry_context = context(500)
    assert [policy.retry(retry_context) for _ in range(5)] == [15, 18, 24, 42, None]


@pytest.mark.parametrize('policy, count, low, high', [
    (LinearRetry(backoff=15, random_jitter_range=3), 0, 12, 18),
    (LinearRetry(backoff=2, random_jitter_range=3), 0, 0, 5),  # never below zero
    (ExponentialRetry(initial_backoff=15, increment_base=3, random_jitter_range=3), 0, 12, 18),
    (ExponentialRetry(initial_backoff=15, increment_base=3, random_jitter_range=3), 2, 21, 27),
])
def test_jitter_stays_within_its_range(policy, count, low, high):
    samples = [policy.retry(context(503, count=count)) for _ in range(300)]
    assert all(low <= sample <= high for sample in samples)
    # Jittered, not constant: 300 samples spread over most of the range.
    assert max(samples) - min(samples) > (high - low) / 2


def test_stream_body_is_rewound_to_where_it_started():
    body = io.BytesIO(b'0123456789')
    body.seek(3)
    body.read()
    retry_context = context(503, body=body, body_position=3)
    assert linear().retry(retry_context) == 2
    assert body.tell() == 3


class _ReadOnlyStream:
    def read(self, size=-1):
        return b''


async def _async_body():
    yield b'data'


@pytest.mark.parametrize('body, body_position', [
    (_ReadOnlyStream(), None),  # cannot tell where it started
    (_ReadOnlyStream(), 0),  # cannot seek back
    (io.BytesIO(b'data'), None),
    (_async_body(), None),  # an async iterable is consumed by sending it
])
def test_bodies_that_cannot_be_replayed_are_not_retried(body, body_position):
    assert linear().retry(context(503, body=body, body_position=body_position)) is None


def test_bytes_bodies_are_always_replayable():
    assert linear().retry(context(503, body=b'data')) == 2


def test_retry_to_secondary_switches_the_location_back_and_forth():
    policy = linear(retry_to_secondary=True)
    retry_context = context(503, secondary=True)
    policy.retry(retry_context)
    assert retry_context.location_mode == LocationMode.SECONDARY
    policy.retry(retry_context)
    assert retry_context.location_mode == LocationMode.PRIMARY


def test_retry_to_secondary_leaves_the_request_to_the_client():
    # The client alone turns the location into host and path (the emulator's secondary
    # account segment included: test_faults checks that end to end); the policy only picks.
    policy = linear(retry_to_secondary=True)
    retry_context = context(500, secondary=True, is_emulated=True, path='/devstoreaccount1/devstoreaccount1/blob')
    policy.retry(retry_context)
    assert retry_context.location_mode == LocationMode.SECONDARY
    assert (retry_context.request.host, retry_context.request.path) == \
        (PRIMARY_HOST, '/devstoreaccount1/devstoreaccount1/blob')


@pytest.mark.parametrize('retry_to_secondary, secondary', [(False, True), (True, False)])
def test_location_stays_without_secondary_retries_or_a_secondary(retry_to_secondary, secondary):
    retry_context = context(503, secondary=secondary)
    linear(retry_to_secondary=retry_to_secondary).retry(retry_context)
    assert (retry_context.location_mode, retry_context.request.host) == (LocationMode.PRIMARY, PRIMARY_HOST)
