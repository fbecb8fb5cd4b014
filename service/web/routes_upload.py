"""Upload: several scans at once; each becomes a job whose progress the page follows.

The upload script sends one file per request, so each file has its own progress
bar and its own answer; without JavaScript the form sends them all and the page
lists their jobs, refreshing itself until they finish.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select

from .. import queries
from ..auth import Right
from ..errors import InvalidRequest, TooManyFiles
from ..intake import check_size, submit
from ..models import MAX_ROW_ID, Job, RowId
from . import session
from .core import PageRoute, check_form_token, needs, page, service_of, wants_json
from .labels import JOB_STATES, explain_reason

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Uploader = Annotated[session.Viewer, Depends(needs(Right.UPLOAD))]
Reader = Annotated[session.Viewer, Depends(needs(Right.QUERY))]
RECENT = 15


def job_view(job: dict[str, Any]) -> dict[str, Any]:
    """The job as the page shows it: state in Vietnamese and a 0-100 progress figure."""
    total, done = job.get("pages_total") or 0, job.get("pages_done") or 0
    if job["state"] in ("done", "failed"):
        percent = 100
    elif total:
        percent = 10 + int(85 * done / total)  # 10: the file is in and queued
    else:
        percent = 5 if job["state"] == "queued" else 10
    reason_text, reason_detail = explain_reason(job.get("reason"))
    return {**job, "state_text": JOB_STATES.get(job["state"], job["state"]), "percent": percent,
            "reason_text": reason_text, "reason_detail": reason_detail,
            "letter_url": f"/van-ban/{job['letter']}" if job.get("letter") else None}


def _jobs(request: Request, ids: list[int] | None, actor: str) -> list[dict[str, Any]]:
    with service_of(request).db.read() as s:
        stmt = select(Job)
        stmt = stmt.where(Job.id.in_(ids)) if ids else stmt.where(Job.submitted_by == actor)
        rows = s.scalars(stmt.order_by(Job.id.desc()).limit(RECENT)).all()
        return [job_view(queries.job_json(j)) for j in rows]


@router.get("/tai-len")
def upload_page(request: Request, viewer: Uploader, viec: str = "") -> Response:
    ids = [int(v) for v in viec.split(",") if v.strip().isdigit() and int(v) <= MAX_ROW_ID][:RECENT]
    jobs = _jobs(request, ids or None, viewer.caller.name)
    waiting = any(j["state"] in ("queued", "running") for j in jobs)
    settings = service_of(request).settings
    return page(request, "upload.html", viewer, jobs=jobs, just_sent=bool(ids), refresh=waiting and bool(ids),
                max_mb=settings.limits.max_bytes // (1024 * 1024), max_files=settings.max_files)


@router.post("/tai-len")
async def upload(request: Request, viewer: Uploader, files: Annotated[list[UploadFile], File()],
                 token: Annotated[str, Form(alias="_token")] = "") -> Response:
    check_form_token(viewer, token or request.headers.get("x-csrf-token"))
    service = service_of(request)
    settings = service.settings
    files = [f for f in files if f.filename or f.size]
    if not files:
        raise InvalidRequest("Chưa chọn tệp nào.")
    if len(files) > settings.max_files:
        raise TooManyFiles(f"Mỗi lần gửi tối đa {settings.max_files} tệp.")
    accepted = []
    for upload_file in files:
        data = await upload_file.read(settings.limits.max_bytes + 1)
        check_size(data, upload_file.filename, settings.limits)
        accepted.append((data, upload_file.filename))
    sent = []
    for data, filename in accepted:
        sub = await run_in_threadpool(submit, service.db, service.files, data, filename, viewer.caller.name)
        sent.append(sub.as_json())
    if service.runner:
        service.runner.notify()
    if wants_json(request):
        return JSONResponse(sent, status_code=202)
    ids = ",".join(str(s["job"]) for s in sent)
    return RedirectResponse(f"/tai-len?viec={ids}", status_code=303)


@router.get("/tai-len/viec/{job_id}")
def job_status(request: Request, viewer: Reader, job_id: RowId) -> Response:
    with service_of(request).db.read() as s:
        return JSONResponse(job_view(queries.get_job(s, job_id)))
