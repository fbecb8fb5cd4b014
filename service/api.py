"""The HTTP API (FastAPI). Start with `congvan serve`, or
`uvicorn service.api:create_app --factory`.

Every route but `/healthz` needs `Authorization: Bearer KEY` (see `service.auth`
for the roles); `/docs` and `/openapi.json` describe the API and hold no data,
so they stay open unless `CONGVAN_OPEN_DOCS=0`. No CORS middleware: browsers on
other origins are refused. Errors are JSON: `{"error": code, "message": ...}`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest.errors import CongvanError

from . import queries
from .auth import Caller, Right, authenticate, authorize, create_key, list_keys, revoke_key
from .config import Settings
from .db import Database
from .errors import InvalidRequest, NotFound, RequestTooLarge, TooManyFiles
from .filestore import FileStore
from .intake import check_size, check_size_of, submit
from .interchange_api import build_router as interchange_router
from .jobs import JobRunner, make_runner
from .links.routes import router as links_router
from .models import Job, RowId
from .pipeline import pipeline_version
from .store import correct_letter
from .web import mount as mount_pages
from .webhooks import Dispatcher

log = logging.getLogger("congvan.api")


class Service:
    """What the routes share: settings, database, file store, job runner."""

    def __init__(self, settings: Settings, run_jobs: bool = True) -> None:
        self.settings = settings
        self.db = Database(settings.database_url)
        self.files = FileStore(settings.files_dir)
        self.runner: JobRunner | None = make_runner(self.db, settings) if run_jobs else None
        # Webhook deliveries and deadline checks run beside the job runner (see service.webhooks).
        self.webhooks: Dispatcher | None = Dispatcher(self.db) if run_jobs else None

    def start(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db.migrate()
        if self.runner:
            self.runner.start()
        if self.webhooks:
            self.webhooks.start()

    def stop(self) -> None:
        if self.webhooks:
            self.webhooks.stop()
        if self.runner:
            self.runner.stop()
        self.db.dispose()


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


class UploadSizeGuard:
    """Refuses an upload body larger than every allowed file together, before it is parsed."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(send)
            return
        seen = 0
        exceeded = False

        async def counted() -> Message:
            # Over the limit mid-stream (no or false Content-Length): tell the app the client
            # left, so it stops reading, and answer 413 ourselves below.
            nonlocal seen, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                exceeded = True
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:
                await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        err = RequestTooLarge(f"the request body is over {self.max_body} bytes "
                              "(limit: maximum file size times files per request)")
        response = _error(err.http_status, err.code, err.message)
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def needs(right: Right) -> Callable[..., Awaitable[Caller]]:
    """A route dependency: the caller of a valid key whose role has `right` (else 401 / 403)."""

    async def dependency(request: Request, creds: Credentials) -> Caller:
        header = f"{creds.scheme} {creds.credentials}" if creds else None
        caller = await run_in_threadpool(authenticate, request.app.state.service.db, header)
        authorize(caller, right)
        return caller

    return dependency


bearer = HTTPBearer(auto_error=False, description="An API key: `congvan keys create --role ROLE --name NAME`")


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
Upload = Annotated[Caller, Depends(needs(Right.UPLOAD))]
Correct = Annotated[Caller, Depends(needs(Right.CORRECT))]
Query = Annotated[Caller, Depends(needs(Right.QUERY))]
History = Annotated[Caller, Depends(needs(Right.HISTORY))]
Trace = Annotated[Caller, Depends(needs(Right.TRACE))]
Keys = Annotated[Caller, Depends(needs(Right.KEYS))]


def create_app(settings: Settings | None = None, run_jobs: bool = True) -> FastAPI:
    settings = settings or Settings.from_env()
    service = Service(settings, run_jobs=run_jobs)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    docs = settings.open_docs
    app = FastAPI(title="congvan", version=pipeline_version(), lifespan=lifespan,
                  description="Vietnamese official letters in, structured traceable directives out.",
                  docs_url="/docs" if docs else None, redoc_url=None,
                  openapi_url="/openapi.json" if docs else None)
    app.state.service = service
    max_body = settings.limits.max_bytes * settings.max_files + 1024 * 1024
    app.add_middleware(UploadSizeGuard, max_body=max_body)

    @app.exception_handler(CongvanError)
    async def _congvan_error(_request: Request, exc: CongvanError) -> JSONResponse:
        return _error(exc.http_status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return _error(422, "invalid-request", f"{where}: {first['msg']}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "pipeline_version": pipeline_version()}

    # Before the routes with a path parameter: `/api/letters/export` is no letter id.
    app.include_router(interchange_router(service, needs))
    app.include_router(links_router)  # citation graph, bodies, pilots, task trace (service/links)

    # -- ingest --------------------------------------------------------------
    @app.post("/api/letters", status_code=202, tags=["ingest"])
    async def upload(caller: Upload,
                     files: Annotated[list[UploadFile], File(description="one or more scans")],
                     office: Annotated[str | None, Form(description="receiving office (arrivals book); "
                                                        "default CONGVAN_OFFICE")] = None,
                     ) -> list[dict[str, object]]:
        """Queue each file for reading; answers at once with a job and an arrival number per file."""
        if len(files) > settings.max_files:
            raise TooManyFiles(f"{len(files)} files in one request; the limit is {settings.max_files}")
        # Every file is checked before any is accepted (all or nothing), from the sizes the
        # multipart parser measured while spooling them, so only one file is in memory at a time.
        for upload_file in files:
            if upload_file.size is not None:
                check_size_of(upload_file.size, upload_file.filename, settings.limits)
        out = []
        for upload_file in files:
            data = await upload_file.read(settings.limits.max_bytes + 1)
            check_size(data, upload_file.filename, settings.limits)
            sub = await run_in_threadpool(submit, service.db, service.files, data, upload_file.filename,
                                          caller.name, office)
            out.append(sub.as_json())
        if service.runner:
            service.runner.notify()
        return out

    @app.get("/api/jobs/{job_id}", tags=["ingest"])
    def get_job(caller: Query, job_id: RowId) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.get_job(session, job_id)

    @app.post("/api/letters/{letter_id}/reextract", status_code=202, tags=["ingest"])
    def reextract(caller: Correct, letter_id: RowId) -> dict[str, Any]:
        """Read the original again with the current pipeline; human corrections are kept."""
        with service.db.read() as session:
            sha = queries.get_letter(session, letter_id).sha256
        job_id = requeue_existing(service, sha)
        if service.runner:
            service.runner.notify()
        with service.db.read() as session:
            return queries.get_job(session, job_id)

    # -- query ---------------------------------------------------------------
    @app.get("/api/letters", tags=["query"])
    def letters(caller: Query, issuer: str | None = None, doc_type: str | None = None,
                date_from: str | None = None, date_to: str | None = None, q: str | None = None,
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.list_letters(session, issuer=issuer, doc_type=doc_type, date_from=date_from,
                                        date_to=date_to, q=q, page=queries.Page(limit, offset))

    @app.get("/api/letters/{letter_id}", tags=["query"])
    def letter(caller: Query, letter_id: RowId) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.letter_json(session, queries.get_letter(session, letter_id))

    @app.get("/api/letters/{letter_id}/pages/{number}", tags=["query"], response_class=FileResponse)
    def page(caller: Query, letter_id: RowId, number: RowId) -> FileResponse:
        with service.db.read() as session:
            rel = queries.page_image(session, letter_id, number)
        path = settings.data_dir / rel
        if not path.is_file():
            raise NotFound(f"the image of page {number} is missing from the data directory")
        return FileResponse(path, media_type="image/jpeg")

    @app.get("/api/directives", tags=["query"])
    def directives(caller: Query, assignee: str | None = None, due_before: str | None = None,
                   due_after: str | None = None, letter: RowId | None = None, q: str | None = None,
                   limit: int = 50, offset: int = 0) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.list_directives(session, assignee=assignee, due_before=due_before,
                                           due_after=due_after, letter=letter, q=q,
                                           page=queries.Page(limit, offset))

    @app.get("/api/directives/{directive_id}", tags=["query"])
    def directive(caller: Query, directive_id: RowId) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.get_directive(session, directive_id)

    # -- corrections and audit -------------------------------------------------
    @app.patch("/api/letters/{letter_id}", tags=["corrections"])
    def correct(caller: Correct, letter_id: RowId, patch: dict[str, Any]) -> dict[str, Any]:
        """Change contract fields; one new revision, one audit entry per changed field."""
        if not patch:
            raise InvalidRequest("send a JSON object of the fields to change")
        with service.db.write() as session:
            correct_letter(session, letter_id, patch, caller.name)
        queries.PARTY_KEYS.invalidate()
        with service.db.read() as session:
            return queries.letter_json(session, queries.get_letter(session, letter_id))

    @app.get("/api/letters/{letter_id}/history", tags=["corrections"])
    def letter_history(caller: History, letter_id: RowId) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.history(session, letter_id)

    @app.get("/api/letters/{letter_id}/trace", tags=["corrections"])
    def letter_trace(caller: Trace, letter_id: RowId) -> dict[str, Any]:
        with service.db.read() as session:
            return queries.trace(session, letter_id)

    # -- keys -------------------------------------------------------------------
    @app.post("/api/keys", status_code=201, tags=["keys"])
    def new_key(caller: Keys, body: dict[str, str]) -> dict[str, str]:
        """Create a key; the key itself is in this answer only."""
        key = create_key(service.db, body.get("role", ""), body.get("name", ""))
        return {"name": body.get("name", "").strip(), "role": body.get("role", ""), "key": key}

    @app.get("/api/keys", tags=["keys"])
    def keys(caller: Keys) -> list[dict[str, object]]:
        return list_keys(service.db)

    @app.delete("/api/keys/{name}", tags=["keys"])
    def delete_key(caller: Keys, name: str) -> dict[str, object]:
        if not revoke_key(service.db, name):
            raise NotFound(f"no active key named {name!r}")
        return {"name": name, "revoked": True}

    mount_pages(app)  # the Vietnamese web pages for clerks and auditors (service/web)
    return app


def requeue_existing(service: Service, sha256: str) -> int:
    """Put the finished job of these bytes back in the queue (re-extraction); its id."""
    with service.db.write() as session:
        job = session.scalars(select(Job).where(Job.sha256 == sha256)).one_or_none()
        if job is None:
            raise NotFound("this letter has no ingest job to run again")
        if job.state in ("done", "failed"):
            job.state, job.reason, job.crashes, job.claimed_by, job.pages_done = "queued", None, 0, None, 0
        return job.id
