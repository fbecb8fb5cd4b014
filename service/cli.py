"""The `congvan` command.

    congvan extract FILE... [--json] [--jobs N]   read letters, print their fields
    congvan eval DIR [--jobs N]                   per-field accuracy over a labelled folder

and the service commands (`serve`, `keys`, `watch`) registered by `service.commands`.
Every failure a user can meet ends in one line naming the file and the reason, and a
non-zero exit; in a batch the other files are still processed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

from ingest import CongvanError, Limits
from ingest.errors import FileTooLarge

if TYPE_CHECKING:
    from ingest.model import Document

T = TypeVar("T")

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug of ours, reported without a traceback
EXIT_UNREADABLE = 2


@dataclass(frozen=True)
class FileResult:
    path: str
    letter_json: str | None = None
    error: str | None = None
    exit_code: int = 0


def read_file(path: str, limits: Limits) -> bytes:
    size = os.stat(path).st_size
    if size > limits.max_bytes:
        mb, limit = size / 2**20, limits.max_bytes / 2**20
        raise FileTooLarge(f"the file is {mb:.1f} MB, over the limit of {limit:.0f} MB")
    with open(path, "rb") as fh:
        return fh.read()


def extract_file(path: str) -> FileResult:
    """Read, OCR and extract one file; never raises."""
    read = read_file_document(path)
    return read if isinstance(read, FileResult) else extract_document(path, read)


def read_file_document(path: str) -> Document | FileResult:
    """Read and OCR one file: its Document, or its error as a FileResult (runs in worker
    processes; never raises)."""
    from ingest import read_document

    limits = Limits.from_env()
    return _guarded(path, lambda: read_document(read_file(path, limits), filename=os.path.basename(path),
                                                limits=limits))


def extract_document(path: str, doc: Document) -> FileResult:
    from extract import extract_letter

    return _guarded(path, lambda: FileResult(path, letter_json=extract_letter(doc).model_dump_json()))


def _guarded(path: str, step: Callable[[], T]) -> T | FileResult:
    """`step()`, or the one-line error a user reads for what it raised."""
    try:
        return step()
    except CongvanError as exc:
        return FileResult(path, error=exc.message, exit_code=exc.exit_code)
    except (IsADirectoryError, FileNotFoundError, PermissionError) as exc:
        reason = (exc.strerror or "unreadable").lower()
        return FileResult(path, error=f"cannot read the file: {reason}", exit_code=EXIT_UNREADABLE)
    except Exception as exc:  # noqa: BLE001 - a bug must not hide the other files of a batch
        if os.environ.get("CONGVAN_DEBUG"):
            raise
        return FileResult(
            path,
            error=f"internal error ({type(exc).__name__}); please report this file",
            exit_code=EXIT_INTERNAL,
        )


def shown(path: str) -> str:
    """A file name as printed: control characters escaped (`\\r`, `\\x1b`), so a hostile name
    can neither split the one error line nor drive the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in path)


def _init_worker() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def run_batch(paths: Sequence[str], jobs: int) -> Iterator[FileResult]:
    """Results in input order; files run in parallel when there are several.

    Worker processes read and OCR; this process extracts (milliseconds a letter). Its
    language models load here once, while the workers OCR their first pages, instead of
    once in every worker (about a second of a core each)."""
    if len(paths) == 1 or jobs <= 1:
        yield from (extract_file(p) for p in paths)
        return
    from extract import load_models

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_init_worker)
    try:
        # Largest files first, so that the batch does not end on one long file while the other
        # workers stand idle; results still come out in input order.
        futures = {p: pool.submit(read_file_document, p) for p in sorted(set(paths), key=_size, reverse=True)}
        load_models()
        for path in paths:
            read = futures[path].result()
            yield read if isinstance(read, FileResult) else extract_document(path, read)
    finally:
        # A batch stopped early (Ctrl-C, the reader of the output gone) reads no further file.
        pool.shutdown(wait=True, cancel_futures=True)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # read_file_document reports it


def _print_human(letter: dict, out: object) -> None:
    from extract.model import HEADER_FIELDS  # not at the top: a batch starts its workers first

    def line(label: str, value: object) -> None:
        print(f"{label:<13}{value if value not in (None, [], '') else '-'}", file=out)  # type: ignore[call-overload]

    for key in HEADER_FIELDS:
        line(key, letter.get(key))
    for r in letter.get("recipients", []):
        line("recipient", r)
    for c in letter.get("references", []):
        line("cites", f"{c['number']} ({c.get('date') or '?'}, {c.get('issuer') or '?'})")
    for i, t in enumerate(letter.get("tasks", []), 1):
        due = f" [due {t['deadline']}]" if t.get("deadline") else ""
        line(f"task {t.get('ordinal') or i}", f"{'; '.join(t['assignees']) or '?'}: {t['text']}{due}")
    for d in letter.get("distribution", []):
        line("copy to", d)
    signer = letter.get("signer") or {}
    parts = (signer.get("authority"), signer.get("position"), signer.get("name"))
    line("signer", " / ".join(v for v in parts if v))


def cmd_extract(args: argparse.Namespace) -> int:
    paths: list[str] = args.files
    worst = 0
    progress = None
    if len(paths) > 1:
        from tqdm import tqdm

        progress = tqdm(total=len(paths), unit="file", file=sys.stderr)
    for result in run_batch(paths, args.jobs):
        if progress is not None:
            progress.update(1)
        if result.error is not None:
            message = f"congvan: {shown(result.path)}: {result.error}"
            if progress is not None:
                progress.write(message, file=sys.stderr)
            else:
                print(message, file=sys.stderr)
            worst = max(worst, result.exit_code)
            continue
        assert result.letter_json is not None
        if args.json and len(paths) > 1:
            print(result.letter_json, flush=True)
        elif args.json:
            print(json.dumps(json.loads(result.letter_json), ensure_ascii=False, indent=2))
        else:
            if len(paths) > 1:
                print(f"== {shown(result.path)}")
            _print_human(json.loads(result.letter_json), sys.stdout)
    if progress is not None:
        progress.close()
    return worst


def cmd_eval(args: argparse.Namespace) -> int:
    from service.evaluate import evaluate, format_table

    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"congvan: {directory}: not a folder", file=sys.stderr)
        return EXIT_UNREADABLE
    report = evaluate(directory, jobs=args.jobs)
    print(format_table(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="congvan",
        description="Read Vietnamese official letters (công văn) and turn them into structured directives.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    cpus = os.cpu_count() or 1

    p = sub.add_parser(
        "extract",
        help="read scans or PDFs and print each letter's fields",
        description="Read each FILE (PDF, TIFF, PNG, JPEG) and print the letter's fields. "
        "With --json: one JSON object in the contract's shape (one per line for several files).",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON in the shape of letter.schema.json")
    p.add_argument("--jobs", type=int, default=cpus, help=f"files read in parallel (default {cpus})")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "eval",
        help="per-field accuracy over a folder of labelled scans",
        description="For every NAME.pdf/.tif/.png/.jpg with a label NAME.json beside it, extract "
        "and compare field by field; prints a table of accuracies.",
    )
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--jobs", type=int, default=cpus, help=f"files read in parallel (default {cpus})")
    p.set_defaults(func=cmd_eval)

    if importlib.util.find_spec("service.commands") is not None:
        importlib.import_module("service.commands").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CongvanError as exc:
        print(f"congvan: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of the output went away (`congvan extract *.pdf | head -1`): stop quietly,
        # as a command killed by SIGPIPE would, and let nothing more be written there.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


# Commands that print and hold nothing open (no store, no server): they end without the
# interpreter's teardown, which frees the language models object by object (~0.3 s of wall
# after the last letter is out, every batch) for a process about to end anyway.
QUICK_EXIT = frozenset({"extract", "eval"})


def run() -> NoReturn:
    """The `congvan` command (console script)."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] and argv[0] in QUICK_EXIT:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # its reader went away, or it is closed
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
