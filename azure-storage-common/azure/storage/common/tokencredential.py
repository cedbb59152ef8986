"""Bearer token credentials (Azure Active Directory) for the blob and queue services."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    from aiohttp import ClientSession


class TokenCredential:
    """
    Represents a token credential that is used to authorize HTTPS requests.
    The token can be updated by the user, at any time, also while the service is in use:
    every request reads the current value.

    :ivar str token: the current value of the bearer token.
    """

    token: Optional[str]

    def __init__(self, initial_value: Optional[str] = None) -> None:
        """
        :param initial_value: initial value for the token.
        """
        self.token = initial_value

    def signed_session(self, session: Optional[ClientSession] = None) -> Union[ClientSession, dict[str, str]]:
        """
        Put the current token on a session's default headers.

        The services of this port read :attr:`token` on every request and do not call this;
        it is kept for code that signs an ``aiohttp.ClientSession`` of its own.

        :param session: the aiohttp session to configure, or None for a plain header dict.
        :return: the session, or a dict with the Authorization header when no session is given.
        """
        header = 'Bearer {}'.format(self.token)
        if session is None:
            return {'Authorization': header}
        session.headers['Authorization'] = header
        return session

    def token(self, new_value: Optional[str]) -> None:  # type: ignore[no-redef]  # noqa: F811 - legacy
        """
        :param new_value: new value to be set as the token.
        """
        self.token = new_value
