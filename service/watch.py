"""`congvan watch DIR`: the consumption folder a network scanner drops files into.

Each file is taken once its size and modification time held still across two
polls (the scanner has finished writing it), goes through the same intake and
jobs as an upload, and is moved to `DIR/done/` or `DIR/failed/` (with
`NAME.reason.txt`) when its job ends. Nothing is deleted: a clerk finds every
file in one of the two folders.
"""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import CongvanError

from .config import Settings
from .db import Database
from .filestore import FileStore
from .intake import check_size, submit
from .models import Job

log = logging.getLogger("congvan.watch")
ACTOR = "watch"


@dataclass
class FolderWatcher:
    folder: Path
    db: Database
    files: FileStore
    settings: Settings
    seen: dict[Path, tuple[int, float]] = field(default_factory=dict)  # last poll's (size, mtime)
    jobs: dict[Path, int] = field(default_factory=dict)  # taken files -> their job

    @property
    def done_dir(self) -> Path:
        return self.folder / "done"

    @property
    def failed_dir(self) -> Path:
        return self.folder / "failed"

    def poll(self) -> int:
        """One pass: take stable files, move finished ones. Returns how many files are still pending."""
        for path in sorted(self.folder.iterdir()):
            if not path.is_file() or path.name.startswith(".") or path in self.jobs:
                continue
            st = path.stat()
            stamp = (st.st_size, st.st_mtime)
            if self.seen.get(path) != stamp:
                self.seen[path] = stamp  # still being written, or new: look again next poll
                continue
            self.seen.pop(path, None)
            self._take(path)
        self._finish()
        return len(self.jobs) + len(self.seen)

    def _take(self, path: Path) -> None:
        try:
            data = path.read_bytes()
            check_size(data, path.name, self.settings.limits)
            sub = submit(self.db, self.files, data, path.name, ACTOR)
        except CongvanError as exc:
            self._move(path, self.failed_dir, f"{exc.code}: {exc.message}")
            return
        except OSError as exc:
            log.warning("cannot read %s: %s", path.name, exc.strerror)
            return
        log.info("%s: job %s (%s)", path.name, sub.job, "already known" if sub.duplicate else "queued")
        self.jobs[path] = sub.job

    def _finish(self) -> None:
        if not self.jobs:
            return
        with self.db.read() as session:
            states = {job.id: (job.state, job.reason) for job in
                      session.query(Job).filter(Job.id.in_(list(self.jobs.values())))}
        for path, job_id in list(self.jobs.items()):
            state, reason = states.get(job_id, ("queued", None))
            if state == "done":
                self._move(path, self.done_dir, None)
            elif state == "failed":
                self._move(path, self.failed_dir, reason or "failed")
            else:
                continue
            del self.jobs[path]

    def _move(self, path: Path, target_dir: Path, reason: str | None) -> None:
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        n = 1
        while target.exists():  # never overwrite an earlier file of the same name
            target = target_dir / f"{path.stem}.{n}{path.suffix}"
            n += 1
        shutil.move(str(path), target)
        if reason is not None:
            target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
        log.info("%s -> %s/", path.name, target_dir.name)


def run_watch(folder: Path, settings: Settings, stop: threading.Event, poll_seconds: float = 2.0) -> None:
    from .jobs import make_runner

    if not folder.is_dir():
        from .errors import InvalidRequest

        raise InvalidRequest(f"{folder} is not a directory")
    db = Database(settings.database_url)
    db.migrate()
    runner = make_runner(db, settings)
    runner.start()
    watcher = FolderWatcher(folder, db, FileStore(settings.files_dir), settings)
    try:
        while not stop.is_set():
            if watcher.poll():
                runner.notify()
            stop.wait(poll_seconds)
    finally:
        runner.stop()
        db.dispose()


