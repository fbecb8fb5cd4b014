"""What runs inside an OCR worker process: read, extract, store, for one claimed job.

The worker only finishes the attempt it was given (`attempts` in the job row is
the fencing token): if the job was re-claimed meanwhile (after a crash, or by a
restarted service), this worker's result is dropped, so a letter is never stored
twice and a job never finishes twice.
"""

from __future__ import annotations

import logging
import os
import traceback

from sqlalchemy import ColumnElement, delete, update

from ingest import read_document
from ingest.errors import CongvanError
from ingest.model import Document

from . import arrivals, outbox
from .config import Settings
from .db import Database
from .filestore import FileStore, write_atomic
from .models import Job, PageImage, utcnow
from .pages import render_pages
from .pipeline import pipeline_version
from .store import save_extraction

log = logging.getLogger("congvan.worker")

_db: Database | None = None
_settings: Settings | None = None


def init_worker(settings: Settings) -> None:
    """Process initializer: one thread for Tesseract, models and engine loaded once."""
    global _db, _settings
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one process per core already; threads would only contend
    import extract

    try:  # load the language models now, once per process, not inside the first job
        extract.load_models()
    except Exception:
        log.exception("warming up the extractor failed; jobs will report the error")
    _settings = settings
    _db = Database(settings.database_url)


def run_job(job_id: int, attempt: int) -> str:
    """Returns the job's final state as seen by this attempt: done, failed or stale."""
    assert _db is not None and _settings is not None, "init_worker was not run"
    db, settings = _db, _settings
    fence = job_fence(job_id, attempt)
    with db.read() as session:
        job = session.get(Job, job_id)
        if job is None or job.attempts != attempt or job.state != "running":
            return "stale"
        sha, filename = job.sha256, job.filename

    def on_page(done: int, total: int) -> None:
        with db.write() as s:
            s.execute(update(Job).where(fence).values(pages_done=done, pages_total=total))

    try:
        data = FileStore(settings.files_dir).get(sha)
        doc = read_document(data, filename, settings.limits, on_page=on_page)
    except CongvanError as exc:
        return _fail(db, fence, f"{exc.code}: {exc.message}")
    except Exception as exc:  # a bug in the pipeline must fail the job, not the worker
        log.error("job %s failed: %s", job_id, traceback.format_exc())
        return _fail(db, fence, f"internal-error: the file could not be processed ({type(exc).__name__})")
    return finish_job(job_id, attempt, data, doc)


def job_fence(job_id: int, attempt: int) -> ColumnElement[bool]:
    return (Job.id == job_id) & (Job.attempts == attempt) & (Job.state == "running")


def fail_job(job_id: int, attempt: int, reason: str) -> str:
    assert _db is not None, "init_worker was not run"
    return _fail(_db, job_fence(job_id, attempt), reason)


def finish_job(job_id: int, attempt: int, data: bytes, doc: Document) -> str:
    """Extract and store a read document: the second half of every job, whichever executor
    read its pages (this process in one pass, or several machines page by page)."""
    assert _db is not None and _settings is not None, "init_worker was not run"
    db, settings = _db, _settings
    fence = job_fence(job_id, attempt)
    sha, filename = doc.sha256, doc.filename
    try:
        import extract

        letter = extract.extract_letter(doc).model_copy(deep=True)
        letter.source.filename = filename
        pages = render_pages(data, [(p.rotation, p.skew) for p in doc.pages])
        stamp = arrivals.stamp_of(doc)
    except CongvanError as exc:
        return _fail(db, fence, f"{exc.code}: {exc.message}")
    except Exception as exc:  # a bug in the pipeline must fail the job, not the worker
        log.error("job %s failed: %s", job_id, traceback.format_exc())
        return _fail(db, fence, f"internal-error: the file could not be processed ({type(exc).__name__})")

    page_paths = []
    for page in pages:
        rel = f"pages/{sha[:2]}/{sha}/{page.number}.jpg"
        write_atomic(settings.data_dir / rel, page.jpeg)
        page_paths.append((page, rel))

    with db.write() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.attempts != attempt or job.state != "running":
            return "stale"  # re-claimed meanwhile: the other attempt stores it
        row = save_extraction(session, letter, _document_text(doc), pipeline_version())
        for page, rel in page_paths:
            existing = session.get(PageImage, (row.id, page.number))
            if existing is None:
                session.add(PageImage(letter_id=row.id, number=page.number, path=rel,
                                      width=page.width, height=page.height))
            else:
                existing.path, existing.width, existing.height = rel, page.width, page.height
        # A re-read that found fewer pages must not leave the old images listed.
        session.execute(delete(PageImage).where(PageImage.letter_id == row.id,
                                                PageImage.number > len(page_paths)))
        job.state, job.letter_id, job.finished_at, job.reason = "done", row.id, utcnow(), None
        job.pages_done = job.pages_total = len(doc.pages)
        # Same transaction as the letter: no event for a letter that was not stored, none lost.
        arrivals.record_stamp(session, job_id, stamp)
        outbox.emit(session, outbox.LETTER_DONE, outbox.letter_data(row, job=job_id,
                                                                   arrival=arrivals.for_job(session, job_id)))
    return "done"


def _fail(db: Database, fence: object, reason: str) -> str:
    with db.write() as session:
        result = session.execute(update(Job).where(fence).values(  # type: ignore[arg-type]
            state="failed", reason=reason, finished_at=utcnow()))
    return "failed" if result.rowcount else "stale"  # type: ignore[attr-defined]


def _document_text(doc: Document) -> str:
    return "\n".join(line.text for page in doc.pages for line in page.lines)
