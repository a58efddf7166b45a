"""HTTP to HQ: one keep-alive session, timeouts, retries with exponential backoff and jitter.

A retried request is byte-for-byte the same request (same command ids, same seqs), which is what
makes retrying safe: HQ answers a replay with the stored result.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from inspect_app.sync.errors import AuthError, RequestRejected, SyncError, SyncErrorCode

__all__ = ["AuthError", "RequestRejected", "RetryPolicy", "SyncError", "Transport"]

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: a random wait up to the exponential cap, so devices do not stampede."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


class _CutShort(Exception):
    """An answer that ended early (its headers or body cut off); sent again like a reset."""


def _read_json(response: requests.Response) -> Any:
    """The JSON body of a successful answer. An answer cut short (no Content-Type because the
    headers were cut, an empty body, JSON that stops early) raises _CutShort; a whole answer that
    is not JSON (a captive portal or a proxy answering for HQ) is a SyncError, like any other
    failed sync."""
    kind = response.headers.get("Content-Type")
    try:
        return response.json()
    except ValueError as exc:
        if kind is None or not response.content or "json" in kind:
            raise _CutShort("HQ's answer was cut short") from exc
        raise SyncError(SyncErrorCode.NOT_HQ, url=response.url, kind=kind) from exc


def _detail(response: requests.Response) -> tuple[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason, None
    if isinstance(body, dict):
        detail = body.get("detail") or body.get("message") or body
        return (detail if isinstance(detail, str) else str(detail)), body
    return str(body), body


class Transport:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        ca_file: str | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # Certificates are always verified; a plant may pin its own CA file. Passed with each
        # request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override session.verify.
        self.verify: str | bool = ca_file or True
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = (connect_timeout, read_timeout)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        ok: frozenset[int] = frozenset({200}),
        **kwargs: Any,
    ) -> requests.Response:
        """Send with retries on network faults and 429/5xx; return a response whose status is in
        ``ok``; raise AuthError or RequestRejected for other answers."""
        return self._send(method, path, ok, lambda response: response, **kwargs)

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like ``request`` for a 200 answer, returning its JSON body; an answer cut short is
        retried like a reset."""
        return self._send(method, path, frozenset({200}), _read_json, **kwargs)

    def _send(
        self,
        method: str,
        path: str,
        ok: frozenset[int],
        read: Callable[[requests.Response], T],
        **kwargs: Any,
    ) -> T:
        # Why the last attempt failed: the code said if every attempt fails, and the detail.
        last_error: tuple[SyncErrorCode, dict[str, Any], str | None]
        last_error = (SyncErrorCode.NETWORK, {}, "no attempt made")
        for attempt in range(self.retry.attempts):
            if attempt:
                self._sleep(self.retry.delay(attempt, self._rng))
            try:
                response = self.session.request(
                    method, self.base_url + path, timeout=self.timeout, verify=self.verify, **kwargs
                )
            except requests.exceptions.SSLError as exc:
                raise SyncError(SyncErrorCode.CERTIFICATE, detail=str(exc)) from exc
            except requests.RequestException as exc:
                code = _network_reason(exc)
                last_error = (code, {}, str(exc) if code is SyncErrorCode.NETWORK else None)
                continue
            if response.status_code in ok:
                try:
                    return read(response)
                except _CutShort:
                    last_error = (SyncErrorCode.CUT_SHORT, {}, None)
                    continue
            message, body = _detail(response)
            if response.status_code in RETRYABLE_STATUS:
                last_error = (
                    SyncErrorCode.HQ_TROUBLE,
                    {"status": response.status_code},
                    message,
                )
                continue
            if response.status_code == 401:
                raise AuthError(SyncErrorCode.DEVICE_REVOKED)
            if response.status_code == 403:
                raise AuthError(SyncErrorCode.DEVICE_REFUSED, detail=message)
            raise RequestRejected(response.status_code, message, body)
        code, params, detail = last_error
        raise SyncError(code, detail=detail, tries=self.retry.attempts, **params)


def _network_reason(exc: requests.RequestException) -> SyncErrorCode:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SyncErrorCode.CONNECT_TIMEOUT
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return SyncErrorCode.READ_TIMEOUT
    if isinstance(exc, requests.exceptions.ConnectionError):
        return SyncErrorCode.NO_CONNECTION
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return SyncErrorCode.CUT_SHORT
    return SyncErrorCode.NETWORK
