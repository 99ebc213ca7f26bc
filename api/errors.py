"""Every error the API returns is ``application/problem+json`` (RFC 9457), rendered here in one place.

The body always has ``type``, ``title``, ``status``, ``detail``, ``instance`` and ``hint`` (null when there is
none); request validation errors add ``errors`` (which parameter, what is wrong). An ``IeicError`` keeps its
own ``status``, ``title``, ``message`` (→ ``detail``) and ``hint``; the classes below add the statuses only
the API needs. Unexpected exceptions are logged with their traceback and answered with a 500 that reveals
nothing of the server.
"""

from __future__ import annotations

import http
import logging
import re
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, TransientError
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ieic_kg.errors import IeicError

log = logging.getLogger("ieic_kg.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/ieic-kg/problems/"


class ApiError(IeicError):
    """An error only the API raises; ``headers`` go on the response (WWW-Authenticate, Retry-After…)."""

    headers: ClassVar[dict[str, str]] = {}

    def response_headers(self) -> dict[str, str]:
        return dict(self.headers)


class BadRequest(ApiError):
    """A request parameter is well-formed but not acceptable (an unknown type, an empty search…)."""

    status = 400
    title = "Bad request"


class Unauthorized(ApiError):
    """No API key, or an unknown one, where one is needed."""

    status = 401
    title = "Unauthorized"
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="ieic-kg"'}


class Forbidden(ApiError):
    """The API key's role does not allow this."""

    status = 403
    title = "Forbidden"


class WriteRefused(ApiError):
    """A query that would write (or administer) the database; refused before it runs, or by READ mode."""

    status = 403
    title = "Write refused"


class NotAcceptable(ApiError):
    """None of the media types in Accept can be produced."""

    status = 406
    title = "Not acceptable"


class Ambiguous(ApiError):
    """A lookup (type and code) matches more than one entity."""

    status = 409
    title = "Ambiguous"


class RateLimited(ApiError):
    """The API key (or client address) has used up its token bucket."""

    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: float, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after

    def response_headers(self) -> dict[str, str]:
        return {"Retry-After": str(max(1, round(self.retry_after + 0.5)))}


class QueryTimeout(ApiError):
    """Neo4j stopped the query at its time limit: an explicit error, never an empty result."""

    status = 504
    title = "Query timed out"


# -- the shape ------------------------------------------------------------------------------------------


class FieldProblem(BaseModel):
    """One invalid part of a request."""

    loc: list[str | int] = Field(description="Where: query, path, header or body, then the name.")
    msg: str
    type: str


class Problem(BaseModel):
    """An error, as application/problem+json (RFC 9457)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "https://w3id.org/ieic-kg/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "no entity with IRI 'https://w3id.org/ieic-kg/id/skill/nope'",
                    "instance": "/v1/entities",
                    "hint": "find entities with /v1/entities/search?q=…",
                }
            ]
        }
    )

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    instance: str = Field(description="The path of the request.")
    hint: str | None = Field(description="How to fix it, when known.")
    errors: list[FieldProblem] | None = Field(
        None, description="Request validation errors only: each invalid parameter."
    )


def problem_type(title: str) -> str:
    """The problem ``type`` URI for a title: ``Not found`` → ``…/problems/not-found``."""
    return PROBLEM_BASE + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    hint: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[FieldProblem] | None = None,
) -> JSONResponse:
    body = Problem(
        type=problem_type(title),
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        hint=hint,
        errors=errors,
    ).model_dump(mode="json", exclude_none=False)
    if errors is None:
        body.pop("errors")
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


#: OpenAPI description of the error responses a route may give, for ``responses=``.
def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": Problem,
            "description": _phrase(status),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


# -- the handlers ---------------------------------------------------------------------------------------


async def _ieic_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IeicError)
    if exc.status >= 500 and exc.status not in (503, 504):
        log.error("%s %s: %s", request.method, request.url.path, exc, exc_info=exc)
    headers = exc.response_headers() if isinstance(exc, ApiError) else None
    return problem_response(request, exc.status, exc.title, exc.message, hint=exc.hint, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldProblem(loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())], msg=e["msg"], type=e["type"])
        for e in exc.errors()
    ]
    first = errors[0] if errors else None
    where = ".".join(str(p) for p in first.loc) if first else "request"
    detail = f"{where}: {first.msg}" if first else "the request is invalid"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return problem_response(
        request, 400, "Bad request", detail, hint="see /docs for the parameters of this endpoint", errors=errors
    )


def _phrase(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
        return phrase[:1] + phrase[1:].lower()  # sentence case, as the IeicError titles
    except ValueError:
        return "Error"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = _phrase(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    hint = None
    if exc.status_code == 404:
        detail = detail or f"no endpoint at {request.url.path}"
        hint = "the endpoints are listed at /docs"
    elif exc.status_code == 405:
        detail = detail or f"{request.method} is not allowed on {request.url.path}"
    return problem_response(
        request, exc.status_code, phrase, detail or phrase, hint=hint, headers=getattr(exc, "headers", None)
    )


async def _driver_error(request: Request, exc: Exception) -> JSONResponse:
    # Raised past GraphStore when Neo4j goes away mid-request (SessionExpired, IncompleteCommit…) or is
    # overloaded (TransientError): the store is unavailable, the request may be retried.
    log.warning("%s %s: Neo4j error %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    return problem_response(
        request,
        503,
        "Store unavailable",
        f"Neo4j could not complete the request ({type(exc).__name__})",
        hint="retry in a moment; /ready reports the state of each store",
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request, 500, "Internal error", "an unexpected error occurred; it has been logged on the server"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every error to problem+json."""
    app.add_exception_handler(IeicError, _ieic_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DriverError, _driver_error)
    app.add_exception_handler(TransientError, _driver_error)
    app.add_exception_handler(Exception, _unexpected)


# -- request size -----------------------------------------------------------------------------------------


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_body_size`` bytes with a 413 problem (pure ASGI).

    ``path_limits`` gives other limits to some paths (the uploads of ``POST /v1/loads``). A declared
    Content-Length is checked before anything is read; a chunked body is read up to the limit (at most that
    many bytes are buffered) and then handed to the app.
    """

    def __init__(self, app: ASGIApp, max_body_size: int, path_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_body_size = max_body_size
        self.path_limits = path_limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope.get("path", ""), self.max_body_size)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None:
            if length.strip().isdigit() and int(length) > limit:
                await self._too_large(scope, receive, send, limit)
                return
            await self.app(scope, receive, send)
            return
        if "chunked" not in headers.get("transfer-encoding", "").lower():
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await self._too_large(scope, receive, send, limit)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        buffered: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay() -> Message:
            return buffered.pop() if buffered else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        uploads = limit != self.max_body_size
        response = problem_response(
            Request(scope, receive),
            413,
            "Content too large",
            f"the request body is larger than {limit} bytes",
            hint="split the source into smaller files, or raise IEIC_API_UPLOAD_MAX_BYTES"
            if uploads
            else "send a shorter query or fewer parameters",
        )
        await response(scope, receive, send)
