"""The Celery executor (`CONGVAN_EXECUTOR=celery`): the same jobs, run by `congvan worker`
processes on any number of machines, with Redis as the broker and PostgreSQL as the store.

Only the executor differs from the in-process pool: a task claims its job with the same
claim as `service.jobs` (the attempt number is the fencing token) and reads, extracts
and stores it with the same code (`service.worker`), so a letter is stored once however
often a message is delivered. Messages are acknowledged late and re-queued when the
process running them dies (`task_acks_late`, `task_reject_on_worker_lost`); a worker
machine lost outright is noticed by the web process through the job's heartbeat lease
(service.dispatch), which queues the job again.

A PDF of `CONGVAN_SPLIT_PAGES` pages or more is read page by page: one task per page
(spread over every worker), then one task zones, extracts and stores. Page tasks go
out at the highest priority so a started document finishes before a new one starts,
and its heartbeat never goes quiet while its pages wait behind other documents.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
import uuid
from dataclasses import asdict
from typing import Any

from celery import Celery, chord, signals
from sqlalchemy import update

from ingest.errors import CongvanError
from ingest.model import Document, Line, Word
from ingest.reader import PageWords, pdf_pages, read_pdf_page, zone_pages
from ingest.sniff import PDF, sniff_media_type

from . import jobs, worker
from .config import Settings
from .filestore import FileStore
from .models import Job, utcnow

log = logging.getLogger("congvan.celery")

JOB_PRIORITY = 9  # Redis transport: 0 is served first
PAGE_PRIORITY = 0


def make_app(settings: Settings) -> Celery:
    app = Celery("congvan", broker=settings.broker_url, backend=settings.broker_url, set_as_current=True)
    app.conf.update(
        task_acks_late=True,  # a message is removed only once its task has run ...
        task_reject_on_worker_lost=True,  # ... and goes back to the queue if the process running it died
        worker_prefetch_multiplier=1,  # a worker holds no more than it runs: long OCR jobs spread evenly
        task_default_queue=settings.queue,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # Only page results are kept (the assemble task reads them); they are big: an hour is plenty.
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        broker_transport_options={
            "queue_order_strategy": "priority",
            "priority_steps": list(range(10)),
            "sep": ":",
            # Past this an unacknowledged message is delivered again; a job lasts far less, and a
            # lost machine's job is re-queued sooner through the heartbeat lease anyway.
            "visibility_timeout": 3600,
        },
    )
    app.task(name="congvan.job", bind=True, ignore_result=True)(_job_task)
    app.task(name="congvan.page")(_page_task)
    app.task(name="congvan.assemble", ignore_result=True)(_assemble_task)
    return app


# -- in the worker processes --------------------------------------------------------

_settings: Settings | None = None
_held: set[tuple[int, int]] = set()  # (job, attempt) this process works on: heart-beaten
_held_lock = threading.Lock()
_owner = ""


@signals.worker_process_init.connect
def _init_process(**_: Any) -> None:
    """Each pool process: the same initializer as the in-process pool, plus a heartbeat."""
    global _settings, _owner
    _settings = Settings.from_env()
    worker.init_worker(_settings)
    # host:pid:random, as the local runner's id: the web process can tell this process died.
    _owner = f"{jobs.HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    threading.Thread(target=_beat, name="congvan-heartbeat", daemon=True).start()


def _beat() -> None:
    stop = threading.Event()
    while not stop.wait(jobs.HEARTBEAT_SECONDS):
        with _held_lock:
            held = list(_held)
        for job_id, attempt in held:
            try:
                with worker._db.write() as session:  # type: ignore[union-attr]
                    session.execute(update(Job).where(worker.job_fence(job_id, attempt))
                                    .values(heartbeat_at=utcnow()))
            except Exception:  # the database may be briefly away: next beat
                log.exception("heartbeat for job %s failed", job_id)


class _Holding:
    def __init__(self, job_id: int, attempt: int) -> None:
        self.key = (job_id, attempt)

    def __enter__(self) -> None:
        with _held_lock:
            _held.add(self.key)

    def __exit__(self, *_: object) -> None:
        with _held_lock:
            _held.discard(self.key)


def _job_task(task: Any, job_id: int) -> str:
    """Claim a queued job and run it; a duplicate delivery finds it taken and does nothing."""
    assert _settings is not None and worker._db is not None
    attempt = jobs.claim(worker._db, job_id, _owner, Job.state == "queued")
    if attempt is None:
        return "stale"
    log.info("job %s attempt %s claimed by %s", job_id, attempt, _owner)
    with _Holding(job_id, attempt):
        total = _split(job_id, attempt)
        if total is None:
            return worker.run_job(job_id, attempt)
        header = [task.app.signature("congvan.page", args=(job_id, attempt, n, total), priority=PAGE_PRIORITY)
                  for n in range(1, total + 1)]
        callback = task.app.signature("congvan.assemble", args=(job_id, attempt), priority=PAGE_PRIORITY)
        chord(header)(callback)
        return "split"


def _split(job_id: int, attempt: int) -> int | None:
    """The page count when the job is a PDF long enough to spread; None to read it in one
    pass (short files, images, and files the checks refuse: run_job reports those)."""
    assert _settings is not None and worker._db is not None
    with worker._db.read() as session:
        job = session.get(Job, job_id)
        assert job is not None
        sha = job.sha256
    try:
        data = FileStore(_settings.files_dir).get(sha)
        if sniff_media_type(data) != PDF:
            return None
        total = pdf_pages(data, _settings.limits)
    except CongvanError:
        return None  # run_job reports the refusal with the same words as in local mode
    if total < _settings.split_pages:
        return None
    with worker._db.write() as session:
        session.execute(update(Job).where(worker.job_fence(job_id, attempt)).values(pages_total=total))
    return total


def _page_task(job_id: int, attempt: int, number: int, total: int) -> dict[str, Any]:
    """One page of a split PDF. Never raises: a refusal travels to the assemble task."""
    assert _settings is not None and worker._db is not None
    db = worker._db
    with db.read() as session:
        job = session.get(Job, job_id)
        if job is None or job.attempts != attempt or job.state != "running":
            return {"stale": True}
        sha = job.sha256
    with _Holding(job_id, attempt):
        try:
            data = FileStore(_settings.files_dir).get(sha)
            read = read_pdf_page(data, number, total, _settings.limits)
        except CongvanError as exc:
            return {"error": f"{exc.code}: {exc.message}"}
        except Exception as exc:
            log.error("job %s page %s failed: %s", job_id, number, traceback.format_exc())
            return {"error": f"internal-error: the file could not be processed ({type(exc).__name__})"}
        with db.write() as session:
            session.execute(update(Job).where(worker.job_fence(job_id, attempt))
                            .values(pages_done=Job.pages_done + 1))
    log.info("job %s page %s/%s read by %s", job_id, number, total, _owner)
    return {"page": asdict(read), "by": _owner}


def _assemble_task(results: list[dict[str, Any]], job_id: int, attempt: int) -> str:
    assert _settings is not None and worker._db is not None
    if any(r.get("stale") for r in results):
        return "stale"
    with _Holding(job_id, attempt):
        error = next((r["error"] for r in results if "error" in r), None)
        if error is not None:
            return worker.fail_job(job_id, attempt, error)
        with worker._db.read() as session:
            job = session.get(Job, job_id)
            if job is None or job.attempts != attempt or job.state != "running":
                return "stale"
            sha, filename = job.sha256, job.filename
        data = FileStore(_settings.files_dir).get(sha)
        read = sorted((_page_words(r["page"]) for r in results), key=lambda p: p.number)
        doc = Document(sha256=sha, pages=zone_pages(read), filename=filename, media_type=PDF)
        return worker.finish_job(job_id, attempt, data, doc)


def _page_words(d: dict[str, Any]) -> PageWords:
    """Back from JSON: tuples became lists."""
    lines = tuple(Line(tuple(Word(w["text"], tuple(w["bbox"]), w["confidence"]) for w in ln["words"]))
                  for ln in d["lines"])
    return PageWords(d["number"], d["width"], d["height"], d["text_source"], lines, d["rotation"], d["skew"])


def send_job(app: Celery, job_id: int) -> None:
    app.send_task("congvan.job", args=(job_id,), priority=JOB_PRIORITY)


# `celery -A service.celery_app worker` finds this; `congvan worker` does the same with its options.
app = make_app(Settings.from_env())
