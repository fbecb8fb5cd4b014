"""The job runner: claims queued jobs from the database and runs them in a pool of
worker processes (one per core by default).

Jobs live in the database, not in memory: a runner claims at most as many jobs
as it has workers, heart-beats them, and on a clean stop hands them back to the
queue. Any runner re-claims a `running` job whose heartbeat is older than the
lease (its owner crashed), so after a crash or restart nothing is lost; the
attempt fence in `service.worker` makes sure nothing is stored twice.

A worker killed mid-job (SIGKILL, out of memory) breaks the process pool; the
runner notices, builds a new pool and re-runs the job, and gives up on a file
that killed its worker `MAX_CRASHES` times.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import queue
import socket
import threading
import time
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta

from sqlalchemy import or_, select, update

from .config import Settings
from .db import Database
from .errors import WorkerCrashed
from .models import Job, utcnow
from .worker import init_worker, run_job

log = logging.getLogger("congvan.jobs")
HOST = socket.gethostname()[:30]

MAX_CRASHES = 3
HEARTBEAT_SECONDS = 2.0


class JobRunner:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        # host:pid:random: a runner on the same host can tell that the owner of a job is dead.
        self.id = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._dead_owners: list[str] = []
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False
        self._in_flight: dict[int, int] = {}  # job id -> attempt
        self._finished: queue.SimpleQueue[tuple[int, int, BaseException | None]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_beat = 0.0

    # -- public -------------------------------------------------------------
    def start(self) -> None:
        self._executor = self._new_pool()
        self._thread = threading.Thread(target=self._loop, name="congvan-jobs", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """A job was queued: look now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._kill_pool()
        # Hand our jobs back at once so the next start need not wait for the lease.
        with self.db.write() as session:
            session.execute(update(Job).where(Job.claimed_by == self.id, Job.state == "running")
                            .values(state="queued", claimed_by=None))

    def worker_pids(self) -> list[int]:
        ex = self._executor
        return [p.pid for p in (ex._processes or {}).values() if p.pid] if ex else []  # type: ignore[attr-defined]

    # -- loop ---------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._collect()
                if self._broken:
                    self._rebuild_pool()
                self._heartbeat()
                self._claim_and_submit()
            except Exception:  # the database may be briefly unavailable: try again next tick
                log.exception("job runner tick failed")
            self._wake.wait(0.5)
            self._wake.clear()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the web process has threads and open connections.
        return ProcessPoolExecutor(max_workers=self.settings.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker, initargs=(self.settings,))

    def _kill_pool(self) -> None:
        ex, self._executor = self._executor, None
        if ex is None:
            return
        for proc in list((ex._processes or {}).values()):  # type: ignore[attr-defined]
            proc.kill()  # an OCR run can take a minute; its result would be fenced off anyway
        ex.shutdown(wait=False, cancel_futures=True)

    def _rebuild_pool(self) -> None:
        log.warning("a worker process died; starting a new pool")
        self._kill_pool()
        self._executor = self._new_pool()
        self._broken = False

    def _on_done(self, job_id: int, attempt: int, future: Future[str]) -> None:
        self._finished.put((job_id, attempt, future.exception()))
        self._wake.set()

    def _collect(self) -> None:
        while True:
            try:
                job_id, attempt, exc = self._finished.get_nowait()
            except queue.Empty:
                return
            self._in_flight.pop(job_id, None)
            if exc is None:
                continue
            if isinstance(exc, BrokenProcessPool):
                self._broken = True
                self._requeue_after_crash(job_id, attempt)
            else:
                log.error("job %s: worker call failed: %r", job_id, exc)
                self._requeue_after_crash(job_id, attempt)

    def _requeue_after_crash(self, job_id: int, attempt: int) -> None:
        with self.db.write() as session:
            job = session.get(Job, job_id, with_for_update=True)
            if job is None or job.attempts != attempt or job.state != "running":
                return
            job.crashes += 1
            job.claimed_by = None
            if job.crashes >= MAX_CRASHES:
                job.state = "failed"
                err = WorkerCrashed(f"the worker process died {job.crashes} times while reading this file")
                job.reason = f"{err.code}: {err.message}"
                job.finished_at = utcnow()
            else:
                job.state = "queued"

    def _heartbeat(self) -> None:
        now = time.monotonic()
        if now - self._last_beat < HEARTBEAT_SECONDS or not self._in_flight:
            return
        self._last_beat = now
        with self.db.write() as session:
            session.execute(update(Job).where(Job.claimed_by == self.id, Job.state == "running")
                            .values(heartbeat_at=utcnow()))

    def _claimable(self) -> object:
        return claimable(self.settings.job_lease_seconds, self._dead_owners)

    def _find_dead_owners(self) -> None:
        with self.db.read() as session:
            owners = session.scalars(select(Job.claimed_by).distinct().where(
                Job.state == "running", Job.claimed_by.is_not(None), Job.claimed_by != self.id))
            self._dead_owners = [o for o in owners if o and _owner_is_dead(o)]

    def _claim_and_submit(self) -> None:
        free = self.settings.workers - len(self._in_flight)
        if free <= 0 or self._executor is None or self._broken:
            return
        self._find_dead_owners()
        cond = self._claimable()
        with self.db.read() as session:
            ids = list(session.scalars(select(Job.id).where(cond).order_by(Job.id).limit(free)))  # type: ignore[arg-type]
        for job_id in ids:
            attempt = self._claim(job_id)
            if attempt is None:
                continue  # another runner took it
            self._in_flight[job_id] = attempt
            future = self._executor.submit(run_job, job_id, attempt)
            future.add_done_callback(functools.partial(self._on_done, job_id, attempt))

    def _claim(self, job_id: int) -> int | None:
        return claim(self.db, job_id, self.id, self._claimable())

    def wait_idle(self, timeout: float) -> bool:
        """For `congvan watch` and `serve --ingest-samples`: until no job is queued or running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.db.read() as session:
                busy = session.scalars(
                    select(Job.id).where(Job.state.in_(("queued", "running"))).limit(1)).first()
            if busy is None:
                return True
            time.sleep(0.5)
        return False


def make_runner(db: Database, settings: Settings) -> JobRunner:
    """The executor named by the settings: this process's pool, or Celery workers (the web
    process then only hands queued jobs to the broker; see service.dispatch)."""
    if settings.executor == "celery":
        from .dispatch import CeleryDispatcher

        return CeleryDispatcher(db, settings)
    return JobRunner(db, settings)


def claimable(lease_seconds: float, dead_owners: list[str]) -> object:
    """Queued jobs, and running jobs whose owner stopped: its heartbeat is older than the
    lease, or it was a process of this host that no longer exists (re-run at once)."""
    stale = utcnow() - timedelta(seconds=lease_seconds)
    orphaned = (Job.heartbeat_at < stale)
    if dead_owners:
        orphaned = orphaned | Job.claimed_by.in_(dead_owners)
    return or_(Job.state == "queued", (Job.state == "running") & orphaned)


def claim(db: Database, job_id: int, owner: str, cond: object) -> int | None:
    """Take the job if `cond` still holds; returns the new attempt (the fencing token) or None.
    Shared by this runner and the Celery tasks (service.celery_app): one claim in both modes."""
    now = utcnow()
    with db.write() as session:
        result = session.execute(
            update(Job).where(Job.id == job_id, cond)  # type: ignore[arg-type]
            .values(state="running", claimed_by=owner, attempts=Job.attempts + 1, heartbeat_at=now,
                    started_at=now, pages_done=0)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session.scalars(select(Job.attempts).where(Job.id == job_id)).one()


def _owner_is_dead(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit() or int(pid) == os.getpid():
        return False  # another machine's runner: only its lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
