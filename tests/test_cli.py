"""The `congvan` command as a clerk runs it: a real process, real files, real OCR."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CONGVAN = [sys.executable, "-m", "service.cli"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CONGVAN, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height: enough bytes for the header check, no pixels worth decoding."""
    sig = b"\x89PNG\r\n\x1a\n"
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    chunk = b"IHDR" + ihdr
    crc = zlib.crc32(chunk).to_bytes(4, "big")
    idat = zlib.compress(b"\x00" * 1024)
    idat_chunk = b"IDAT" + idat
    return (
        sig
        + len(ihdr).to_bytes(4, "big")
        + chunk
        + crc
        + len(idat).to_bytes(4, "big")
        + idat_chunk
        + zlib.crc32(idat_chunk).to_bytes(4, "big")
    )


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    files = {
        "empty.pdf": b"",
        "notes.txt": "Kính gửi: Sở Tài chính\n".encode(),
        "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type",
        "encrypted.pdf": encrypted_pdf(),
        "huge.png": png_header_only(30_000, 30_000),
    }
    paths = {}
    for name, data in files.items():
        (d / name).write_bytes(data)
        paths[name] = d / name
    return paths


@pytest.fixture(scope="module")
def small_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real one-page scan: the shipped PNG sample."""
    candidates = sorted((ROOT / "samples" / "scans").glob("*.png"))
    assert candidates, "samples/scans/ ships at least one PNG scan"
    return candidates[0]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.pdf", ("empty",)),
        ("notes.txt", ("text",)),
        ("truncated.pdf", ("damaged", "truncated", "corrupt")),
        ("encrypted.pdf", ("encrypted", "password")),
        ("huge.png", ("pixel", "too large")),
    ],
)
def test_bad_file_gives_one_line_error_and_nonzero_exit(
    bad_files: dict[str, Path], name: str, reason: tuple[str, ...]
) -> None:
    result = run("extract", str(bad_files[name]))
    assert result.returncode != 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert name in lines[0]
    assert any(word in lines[0].lower() for word in reason), lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_batch_goes_on_after_bad_files(bad_files: dict[str, Path], small_scan: Path) -> None:
    files = [str(p) for p in bad_files.values()] + [str(small_scan)]
    result = run("extract", "--json", *files)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(out) == 1
    assert out[0]["source"]["filename"] == small_scan.name
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("congvan:")]
    assert len(errors) == len(bad_files)


def test_one_file_prints_one_contract_object(small_scan: Path) -> None:
    import jsonschema

    result = run("extract", "--json", str(small_scan))
    assert result.returncode == 0, result.stderr
    letter = json.loads(result.stdout)
    schema = json.loads((ROOT / "samples" / "letter.schema.json").read_text())
    jsonschema.validate(letter, schema)
    assert letter["source"]["text_source"] == ["ocr"]


def test_help_explains_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("extract", "eval", "serve", "keys", "watch"):
        assert command in result.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0 and "usage" in sub.stdout


def test_image_over_pixel_limit_is_refused_without_decoding(tmp_path: Path) -> None:
    big = tmp_path / "big.jpg"
    Image.new("L", (4000, 3000), 255).save(big, quality=50)
    env = {**os.environ, "CONGVAN_MAX_PIXELS": "1000000"}
    result = run("extract", str(big), env=env)
    assert result.returncode != 0
    assert "big.jpg" in result.stderr and "Traceback" not in result.stderr


def test_batch_prints_letters_in_the_order_given(tmp_path: Path) -> None:
    """Workers take the largest files first; the letters still come out in the order the
    clerk gave the files (a file given twice is printed twice)."""
    from samples.generate import render_pdf

    letters = sorted((ROOT / "samples" / "letters").glob("*.txt"))[:3]
    paths = []
    for path in letters:
        out = tmp_path / f"{path.stem}.pdf"
        out.write_bytes(render_pdf(path))
        paths.append(out)
    given = [paths[2], paths[0], paths[1], paths[0]]
    by_size = sorted(paths, key=lambda p: p.stat().st_size, reverse=True)
    if given[:3] == by_size:  # make the order given differ from the order the workers take
        given = [given[1], given[0], given[2], given[0]]
    result = run("extract", "--json", "--jobs", "2", *map(str, given))
    assert result.returncode == 0, result.stderr
    names = [json.loads(line)["source"]["filename"] for line in result.stdout.splitlines() if line.strip()]
    assert names == [p.name for p in given]


def test_batch_whose_reader_goes_away_stops_quietly(tmp_path: Path) -> None:
    """`congvan extract --json *.pdf | head -1`: once the reader is gone the command stops, with
    the exit status of a writer killed by SIGPIPE and no traceback."""
    from samples.generate import render_pdf

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(render_pdf(ROOT / "samples" / "letters" / "ubnd-gia-lai-2023-08-chuyen-doi-so.txt"))
    # More output than a pipe holds (40 letters of several kB), so the writer must meet the closed end.
    proc = subprocess.Popen(
        [*CONGVAN, "extract", "--json", "--jobs", "2", *[str(letter)] * 40],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = json.loads(proc.stdout.readline())
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=600) == 141
    assert first["source"]["filename"] == "letter.pdf"
    assert "Traceback" not in stderr and "Error" not in stderr
