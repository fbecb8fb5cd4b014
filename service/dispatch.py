"""The web process's side of the Celery executor: it hands queued jobs to the broker and
never reads a file itself.

It takes the place of `JobRunner` (same start/notify/stop/wait_idle) and keeps the
runner's lease rule: a running job whose heartbeat is older than the lease, or whose
owner was a process of this host that is gone, goes back to the queue and to the broker
(counted as a crash, failed after `MAX_CRASHES`), so a worker machine lost mid-job costs
one lease, not the broker's hour-long visibility timeout.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from .config import Settings
from .db import Database
from .errors import WorkerCrashed
from .jobs import MAX_CRASHES, JobRunner
from .models import Job, utcnow

log = logging.getLogger("congvan.dispatch")


class CeleryDispatcher(JobRunner):
    def __init__(self, db: Database, settings: Settings) -> None:
        super().__init__(db, settings)
        from .celery_app import app

        self.app = app
        # Sent once per web process; a restart sends every queued job again, and a duplicate
        # message is harmless (the task finds the job taken and does nothing).
        self._sent: set[int] = set()

    def start(self) -> None:
        import threading

        self._thread = threading.Thread(target=self._loop, name="congvan-dispatch", daemon=True)
        self._thread.start()

    def worker_pids(self) -> list[int]:
        return []  # the OCR runs in `congvan worker` processes, not here

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._requeue_orphans()
                self._send_queued()
            except Exception:  # the database or the broker may be briefly away: next tick
                log.exception("dispatch tick failed")
            self._wake.wait(1.0)
            self._wake.clear()

    def _send_queued(self) -> None:
        from .celery_app import send_job

        with self.db.read() as session:
            queued = list(session.scalars(select(Job.id).where(Job.state == "queued").order_by(Job.id)))
        self._sent &= set(queued)  # a job queued again (retry, crash) is sent again
        for job_id in queued:
            if job_id not in self._sent:
                send_job(self.app, job_id)
                self._sent.add(job_id)

    def _requeue_orphans(self) -> None:
        self._find_dead_owners()
        orphaned = self._claimable() & (Job.state == "running")  # type: ignore[operator]
        with self.db.read() as session:
            ids = list(session.scalars(select(Job.id).where(orphaned)))
        for job_id in ids:
            with self.db.write() as session:
                done = session.execute(update(Job).where(Job.id == job_id, orphaned)
                                       .values(state="queued", claimed_by=None, crashes=Job.crashes + 1))
                if done.rowcount != 1:  # type: ignore[attr-defined]
                    continue  # its worker beat meanwhile, or another web process took it
                job = session.get(Job, job_id)
                assert job is not None
                log.warning("job %s: its worker stopped (attempt %s); queued again", job_id, job.attempts)
                if job.crashes >= MAX_CRASHES:
                    err = WorkerCrashed(f"the worker process died {job.crashes} times reading this file")
                    job.state, job.reason, job.finished_at = "failed", f"{err.code}: {err.message}", utcnow()
            self._sent.discard(job_id)
