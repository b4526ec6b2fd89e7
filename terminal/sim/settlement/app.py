"""The ASGI app: two POST endpoints and a health check, on one database thread.

The event loop only moves bytes; all state work runs on a single worker thread
that owns the SQLite connection (one owner per resource). Any bug still comes
back as infcode -1, never as an HTTP 500.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from terminal.protocol import EC_QUERY_PATH, SERVICE_PATH
from terminal.sim.settlement.service import MAX_BODY_BYTES, SettlementService

log = logging.getLogger(__name__)


async def _read_body(request: Request) -> bytes:
    """The body, refusing to buffer more than the protocol allows."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return b"\x00" * (MAX_BODY_BYTES + 1)  # parse_body refuses it with a clear message
        chunks.append(chunk)
    return b"".join(chunks)


def _failure(exc: BaseException, ec_style: bool) -> dict[str, Any]:
    log.error("internal error while handling a request", exc_info=exc)
    message = "internal error in the settlement service; nothing was changed, retry with the same msgid"
    if ec_style:
        return {"code": -1, "message": message, "data": None}
    return {"infcode": -1, "inf_refmsgid": "", "refmsg_time": "", "respond_time": "", "err_msg": message,
            "warn_msg": "", "output": {}}


def create_app(build_service: Callable[[], SettlementService]) -> Starlette:
    """`build_service` runs on the database thread, which then owns the connection."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settlement-db")
    holder: dict[str, SettlementService] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        holder["service"] = await loop.run_in_executor(executor, build_service)
        try:
            yield
        finally:
            await loop.run_in_executor(executor, holder["service"].store.close)
            executor.shutdown(wait=True)

    async def dispatch(request: Request, ec_style: bool) -> Response:
        try:
            body = await _read_body(request)
            service = holder["service"]
            handler = service.handle_ec_query if ec_style else service.handle_call
            headers = dict(request.headers)
            result = await asyncio.get_running_loop().run_in_executor(executor, handler, body, headers)
        except Exception as exc:  # a bug: answered, logged, state rolled back by the transaction
            result = _failure(exc, ec_style)
        return JSONResponse(result)

    async def call_service(request: Request) -> Response:
        return await dispatch(request, ec_style=False)

    async def ec_query(request: Request) -> Response:
        return await dispatch(request, ec_style=True)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok" if "service" in holder else "starting"})

    return Starlette(
        routes=[
            Route(SERVICE_PATH, call_service, methods=["POST"]),
            Route(EC_QUERY_PATH, ec_query, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
