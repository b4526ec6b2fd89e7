"""The ASGI app: two POST endpoints and a health check, on one database thread.

The event loop only moves bytes; all state work runs on a single worker thread
that owns the SQLite connection (one owner per resource), in groups of the
requests that waited together, one commit a group (GroupCommit). Any bug still
comes back as infcode -1, never as an HTTP 500.
"""

from __future__ import annotations

import asyncio
import logging
import threading
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


class GroupCommit:
    """Requests queued for the database thread, handled in groups of those that waited together.

    The event loop queues each request and awaits its answer; one job at a time runs on the database
    thread, taking everything queued (at most MAX_GROUP) as one group (SettlementService.handle_batch:
    one transaction, one commit). A lone request is a group of one, as before; under load a group
    shares one commit instead of each waiting for its own.
    """

    MAX_GROUP = 64

    def __init__(self, executor: ThreadPoolExecutor, service: Callable[[], SettlementService]) -> None:
        self._executor = executor
        self._service = service
        self._lock = threading.Lock()
        self._queued: list[tuple[bool, bytes, dict[str, str], asyncio.Future[Any]]] = []
        self._running = False

    async def handle(self, ec_style: bool, body: bytes, headers: dict[str, str]) -> dict[str, Any] | Exception:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            self._queued.append((ec_style, body, headers, answer))
            start = not self._running
            self._running = True
        if start:
            loop.run_in_executor(self._executor, self._drain, loop)
        result: dict[str, Any] | Exception = await answer
        return result

    def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the database thread: groups until nothing is queued."""
        while True:
            with self._lock:
                group = self._queued[:self.MAX_GROUP]
                del self._queued[:self.MAX_GROUP]
                if not group:
                    self._running = False
                    return
            try:
                answers = self._service().handle_batch([(ec, body, headers) for ec, body, headers, _f in group])
            except Exception as exc:  # a bug outside any message: every one of the group is answered as one
                answers = [exc] * len(group)
            for (_ec, _body, _headers, future), answer in zip(group, answers, strict=True):
                loop.call_soon_threadsafe(_settle, future, answer)


def _settle(future: asyncio.Future[Any], answer: Any) -> None:
    if not future.done():  # the client went away meanwhile: its answer is stored, nobody waits for it
        future.set_result(answer)


def create_app(build_service: Callable[[], SettlementService]) -> Starlette:
    """`build_service` runs on the database thread, which then owns the connection."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settlement-db")
    holder: dict[str, SettlementService] = {}
    groups = GroupCommit(executor, lambda: holder["service"])

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
            answer = await groups.handle(ec_style, body, dict(request.headers))
            result = _failure(answer, ec_style) if isinstance(answer, Exception) else answer
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
