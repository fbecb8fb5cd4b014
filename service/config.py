"""Where the service keeps its data and how it runs, read once from the environment.

`CONGVAN_DATA_DIR` (default `./data`) holds the SQLite file, the originals and the
page images; `CONGVAN_DATABASE_URL` moves the tables to PostgreSQL (the files stay
under the data directory either way).

`CONGVAN_EXECUTOR=celery` runs the jobs on Celery workers (`congvan worker`, on any
number of machines) through the Redis broker at `CONGVAN_BROKER_URL`, instead of
the in-process pool (`local`, the default); see service.celery_app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.limits import Limits


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    workers: int  # OCR worker processes: one per core by default
    max_files: int  # files per upload request
    job_lease_seconds: float  # a running job whose owner stopped heart-beating this long is re-run
    open_docs: bool  # serve /docs and /openapi.json without a key
    limits: Limits = field(default_factory=Limits)
    executor: str = "local"  # "local": this process's pool; "celery": `congvan worker` processes
    broker_url: str = "redis://127.0.0.1:6379/0"
    queue: str = "congvan"  # the broker queue: two deployments (or test runs) on one Redis stay apart
    split_pages: int = 4  # celery: a PDF of this many pages or more is read page by page on all workers

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("CONGVAN_DATA_DIR", "data")).resolve()
        url = os.environ.get("CONGVAN_DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'congvan.db'}"
        return cls(
            data_dir=data_dir,
            database_url=url,
            workers=_env_int("CONGVAN_WORKERS", os.cpu_count() or 1),
            max_files=_env_int("CONGVAN_MAX_FILES", 20),
            job_lease_seconds=env_float("CONGVAN_JOB_LEASE_SECONDS", 30.0),
            open_docs=os.environ.get("CONGVAN_OPEN_DOCS", "1") != "0",
            limits=Limits.from_env(),
            executor="celery" if os.environ.get("CONGVAN_EXECUTOR", "").strip().lower() == "celery"
            else "local",
            broker_url=os.environ.get("CONGVAN_BROKER_URL", "").strip() or "redis://127.0.0.1:6379/0",
            queue=os.environ.get("CONGVAN_QUEUE", "").strip() or "congvan",
            split_pages=_env_int("CONGVAN_SPLIT_PAGES", 4),
        )

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def pages_dir(self) -> Path:
        return self.data_dir / "pages"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
