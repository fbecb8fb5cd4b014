"""Originals kept content-addressed: `files/<sha[:2]>/<sha>`, never under the client's name.

Writes are atomic (temporary file, fsync, rename) so a crash leaves either the
whole original or nothing, and writing the same bytes twice is harmless.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from pathlib import Path

from .errors import StorageFull

_SHA = re.compile(r"^[0-9a-f]{64}$")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha = sha256_of(data)
        target = self.path(sha)
        if not (target.exists() and target.stat().st_size == len(data)):
            try:
                write_atomic(target, data)  # removes its temporary file when the write fails
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise StorageFull("the server's disk is full; the file was not kept, send it again "
                                      "once space is freed") from exc
                raise
        return sha

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()


def clean_filename(name: str | None) -> str | None:
    """The client's file name as a label only: base name, no control characters, bounded."""
    if not name:
        return None
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return base[:255] or None
