"""Accepting a file: keep the original, create (or find) its job. No decoding here.

Runs in the web process and in `congvan watch`; only hashing and writing bytes,
the OCR happens in the worker processes. One job per sha256 (unique in the
database): the same bytes uploaded again, even at the same instant, get the
existing job and letter instead of a new OCR run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ingest.errors import EmptyFile, FileTooLarge
from ingest.limits import Limits

from . import arrivals
from .db import Database
from .filestore import FileStore, clean_filename
from .models import Job


@dataclass(frozen=True)
class Submission:
    job: int
    filename: str | None
    sha256: str
    state: str
    letter: int | None
    duplicate: bool  # the same bytes were already known
    arrival: dict[str, Any] | None = None  # the arrivals book entry (see service.arrivals)

    def as_json(self) -> dict[str, object]:
        return {"job": self.job, "filename": self.filename, "sha256": self.sha256, "state": self.state,
                "letter": self.letter, "duplicate": self.duplicate, "arrival": self.arrival}


def check_size(data: bytes, filename: str | None, limits: Limits) -> None:
    check_size_of(len(data), filename, limits)


def check_size_of(size: int, filename: str | None, limits: Limits) -> None:
    label = clean_filename(filename) or "the file"
    if size == 0:
        raise EmptyFile(f"{label} is empty")
    if size > limits.max_bytes:
        raise FileTooLarge(f"{label} is {size} bytes; the limit is {limits.max_bytes} bytes per file")


def submit(db: Database, files: FileStore, data: bytes, filename: str | None,
           actor: str | None, office: str | None = None) -> Submission:
    sha = files.put(data)  # on disk before the job exists: a queued job always finds its original
    name = clean_filename(filename)
    for _ in range(3):
        try:
            with db.write() as session:
                job = session.scalars(select(Job).where(Job.sha256 == sha)).one_or_none()
                if job is not None:
                    duplicate = True
                    if job.state == "failed":
                        # Uploading again is how a clerk retries a failed file.
                        job.state, job.reason, job.crashes, job.claimed_by = "queued", None, 0, None
                        job.pages_done, job.pages_total, duplicate = 0, None, False
                else:
                    duplicate = False
                    job = Job(sha256=sha, filename=name, size=len(data), state="queued", pages_done=0,
                              attempts=0, crashes=0, submitted_by=actor)
                    session.add(job)
                    session.flush()
                # Numbered in the job's own transaction: a rolled-back upload leaves no gap in the book.
                arrival = arrivals.arrival_json(arrivals.register(session, job.id, office, actor))
                return Submission(job.id, job.filename, sha, job.state, job.letter_id, duplicate, arrival)
        except IntegrityError:
            continue  # a concurrent upload of the same bytes won the insert: read its job
    raise RuntimeError("could not record the upload")  # unreachable unless the database misbehaves
