"""Retry policies: pure decisions over a RetryContext; the client does the sleeping."""
from __future__ import annotations

import random
from io import SEEK_SET, UnsupportedOperation
from typing import Callable, Optional

from .models import LocationMode, RetryContext


class _Retry:
    """The decisions ExponentialRetry and LinearRetry share."""

    max_attempts: int
    retry_to_secondary: bool
    random_jitter_range: float

    def __init__(self, max_attempts: int, retry_to_secondary: bool) -> None:
        self.max_attempts = max_attempts
        self.retry_to_secondary = retry_to_secondary

    def _should_retry(self, context: RetryContext) -> bool:
        if context.count >= self.max_attempts:
            return False
        status = context.response.status if context.response is not None else None
        if status is None:
            # No response at all: a connection failure or timeout.
            return True
        if 200 <= status < 300:
            # The request succeeded but reading or checking the body failed.
            return True
        if 300 <= status < 500:
            # Expected failures (409, 412...) are final, but a secondary may lag behind the
            # primary, and 408 is a timeout.
            return (status == 404 and context.location_mode == LocationMode.SECONDARY) or status == 408
        return status not in (501, 505)

    @staticmethod
    def _set_next_host_location(context):
        # The policy only picks the location; the client sends the next attempt to that
        # location's endpoint (host, and the account segment of a path-style endpoint).
        if len(context.request.host_locations) <= 1:
            return
        if context.location_mode == LocationMode.PRIMARY:
            context.location_mode = LocationMode.SECONDARY
        else:
            context.location_mode = LocationMode.PRIMARY

    def _retry(self, context: RetryContext, backoff: Callable[[RetryContext], float]) -> Optional[float]:
        if not self._should_retry(context):
            return None
        interval = backoff(context)
        context.count += 1
        if self.retry_to_secondary:
            self._set_next_host_location(context)
        body = getattr(context.request, 'body', None)
        if body is not None and not isinstance(body, bytes):
            # A stream can be sent again only from where it started; anything else (an
            # async iterable, a stream that cannot seek) cannot be replayed.
            if context.body_position is None or not hasattr(body, 'seek'):
                return None
            try:
                body.seek(context.body_position, SEEK_SET)
            except (OSError, UnsupportedOperation):
                return None
        return interval

    def _jittered(self, backoff: float) -> float:
        start = backoff - self.random_jitter_range if backoff > self.random_jitter_range else 0
        return random.uniform(start, backoff + self.random_jitter_range)


class ExponentialRetry(_Retry):
    """
    Exponential retry.

    The first retry waits ``initial_backoff`` seconds; later ones wait
    ``initial_backoff + increment_base ** retry_count``: by default 15, 18 and 24 seconds,
    each varied by up to ``random_jitter_range`` either way.

    :param int initial_backoff: the backoff interval, in seconds, for the first retry.
    :param int increment_base: the base, in seconds, to increment the initial_backoff by after the first retry.
    :param int max_attempts: the maximum number of retry attempts.
    :param bool retry_to_secondary: whether the request should be retried to secondary, if able.
        Only for RA-GRS accounts, where potentially stale data can be handled.
    :param int random_jitter_range: a number in seconds which indicates a range to jitter the back-off interval.
    """

    initial_backoff: float
    increment_base: float

    def __init__(self, initial_backoff: float = 15, increment_base: float = 3, max_attempts: int = 3,
                 retry_to_secondary: bool = False, random_jitter_range: float = 3) -> None:
        self.initial_backoff = initial_backoff
        self.increment_base = increment_base
        self.random_jitter_range = random_jitter_range
        super().__init__(max_attempts, retry_to_secondary)

    def retry(self, context: RetryContext) -> Optional[float]:
        """
        A function which determines whether and how to retry.

        :param ~azure.storage.common.models.RetryContext context: the retry context.
        :return: seconds to wait before retrying, or None not to retry.
        :rtype: float or None
        """
        return self._retry(context, self._backoff)

    def _backoff(self, context: RetryContext) -> float:
        backoff = self.initial_backoff + (0 if context.count == 0 else self.increment_base ** context.count)
        return self._jittered(backoff)


class LinearRetry(_Retry):
    """
    Linear retry: every retry waits ``backoff`` seconds, varied by up to
    ``random_jitter_range`` either way.

    :param int backoff: the backoff interval, in seconds, between retries.
    :param int max_attempts: the maximum number of retry attempts.
    :param bool retry_to_secondary: whether the request should be retried to secondary, if able.
    :param int random_jitter_range: a number in seconds which indicates a range to jitter the back-off interval.
    """

    backoff: float

    def __init__(self, backoff: float = 15, max_attempts: int = 3, retry_to_secondary: bool = False,
                 random_jitter_range: float = 3) -> None:
        self.backoff = backoff
        self.max_attempts = max_attempts
        self.random_jitter_range = random_jitter_range
        super().__init__(max_attempts, retry_to_secondary)

    def retry(self, context: RetryContext) -> Optional[float]:
        """
        A function which determines whether and how to retry.

        :param ~azure.storage.common.models.RetryContext context: the retry context.
        :return: seconds to wait before retrying, or None not to retry.
        :rtype: float or None
        """
        return self._retry(context, self._backoff)

    def _backoff(self, context: RetryContext) -> float:
        return self._jittered(self.backoff)


def no_retry(context: RetryContext) -> None:
    """
    Specifies never to retry.

    :param ~azure.storage.common.models.RetryContext context: the retry context.
    :return: always None, so the request is not retried.
    """
    return None
