"""Is HQ alive, is it ready, and what a request answers while the database or the blob store is
down: 503 with Retry-After (JSON for the API, a page for the HQ pages), never a 500 with a
traceback. Devices retry a 503 later, so nothing they send is lost."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as S3ConnectionError
from botocore.exceptions import HTTPClientError as S3HTTPError
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from inspect_app.server.hq import HQ

log = logging.getLogger("inspect_app.health")
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_S = 5
#: Seconds /readyz waits for each dependency's answer.
CHECK_TIMEOUT_S = 3.0
#: A key no photo has (the sha256 of nothing is never uploaded: an empty body is no image).
PROBE_KEY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
# Checks run here, not in the request thread pool: a dependency that hangs ties up at most
# these threads, and /readyz still answers when its timeout passes.
_checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")

router = APIRouter(include_in_schema=False)


def dependency_down(exc: BaseException) -> str | None:
    """Which dependency ``exc`` says is unreachable ("database", "blob store"), or None when it
    is an error of HQ's own."""
    if isinstance(exc, PoolTimeout):
        return "database"
    if isinstance(exc, DBAPIError):
        # Connection trouble (the driver's OperationalError or InterfaceError, or a connection
        # found dead), not a statement HQ got wrong.
        down = isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated
        return "database" if down else None
    if isinstance(exc, S3ConnectionError | S3HTTPError):
        return "blob store"
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return "blob store" if status >= 500 else None
    return None


def unavailable(request: Request, what: str) -> Response:
    message = f"HQ cannot reach its {what} right now; try again in a moment"
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    pages = getattr(request.app.state, "pages", None)
    if request.url.path.startswith("/v1/") or pages is None:
        return JSONResponse({"detail": message}, status_code=503, headers=headers)
    response = pages.render(request, "error.html", None, 503, message=message)
    response.headers.update(headers)
    return response


async def _on_dependency_error(request: Request, exc: Exception) -> Response:
    what = dependency_down(exc)
    if what is None:
        raise exc
    log.warning("%s unreachable: %s", what, _first_line(exc), extra={"dependency": what})
    return unavailable(request, what)


def _first_line(exc: BaseException) -> str:
    reason = str(getattr(exc, "orig", None) or exc).strip()
    return reason.splitlines()[0] if reason else type(exc).__name__


def _database_ready(hq: HQ) -> None:
    with hq.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def _blobs_ready(hq: HQ) -> None:
    hq.blobs.exists(PROBE_KEY)


async def _check(check: Any, hq: HQ) -> str:
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(_checks, check, hq), CHECK_TIMEOUT_S)
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT_S:g} s"
    except Exception as exc:
        return _first_line(exc)
    return "ok"


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive (says nothing of its database or blob store)."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    """200 when the database and the blob store both answer in time; else 503 naming which."""
    hq: HQ = request.app.state.hq
    database, blobs = await asyncio.gather(_check(_database_ready, hq), _check(_blobs_ready, hq))
    ready = database == blobs == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "database": database, "blobs": blobs},
        status_code=200 if ready else 503,
        headers=None if ready else {"Retry-After": str(RETRY_AFTER_S)},
    )


def install(app: FastAPI) -> None:
    """The health routes, and 503 answers for errors that say a dependency is down."""
    app.include_router(router)
    for kind in (DBAPIError, PoolTimeout, S3ConnectionError, S3HTTPError, ClientError):
        app.add_exception_handler(kind, _on_dependency_error)
