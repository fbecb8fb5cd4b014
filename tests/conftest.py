"""Shared fixtures.

Service tests start the real server (`uvicorn service.api:create_app --factory`)
in a subprocess on a free loopback port, with a fresh data directory and a fresh
database: SQLite by default, or a new schema on the PostgreSQL server named by
`CONGVAN_DATABASE_URL` (dropped afterwards, so reruns start clean).
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# CONGVAN_EXECUTOR=celery (the scale-out pass of scripts/test.sh): every server also starts
# this many `congvan worker` processes (one OCR process each) on its own broker queue.
CELERY = os.environ.get("CONGVAN_EXECUTOR", "") == "celery"
CELERY_WORKERS = int(os.environ.get("CONGVAN_TEST_CELERY_WORKERS", "2"))

# A công văn written for the service tests: one task led by Sở Thông tin và Truyền
# thông about chuyển đổi số with a deadline, one for Sở Tài chính.
SERVICE_LETTER = """\
[header-left]
ỦY BAN NHÂN DÂN
TỈNH GIA LAI
Số: 1520/UBND-KGVX
V/v triển khai kế hoạch chuyển đổi số
năm 2024
[header-right]
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Gia Lai, ngày 12 tháng 3 năm 2024
[body]
Kính gửi:
- Sở Thông tin và Truyền thông;
- Sở Tài chính.
Thực hiện Kế hoạch chuyển đổi số của tỉnh năm 2024, Ủy ban nhân dân tỉnh có ý kiến như sau:
1. Giao Sở Thông tin và Truyền thông chủ trì triển khai các nhiệm vụ chuyển đổi số năm 2024 của tỉnh; báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 30/9/2024.
2. Giao Sở Tài chính bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số theo quy định.
Yêu cầu các đơn vị nghiêm túc triển khai thực hiện./.
[footer-left]
Nơi nhận:
- Như trên;
- Chủ tịch, các PCT UBND tỉnh;
- Lưu: VT, KGVX.
[footer-right]
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Thử
"""  # noqa: E501


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- database per test ------------------------------------------------------------

@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: SQLite under tmp_path, or a new PostgreSQL schema."""
    with fresh_database(tmp_path / "data") as url:
        yield url


@contextmanager
def fresh_database(data_dir: Path) -> Iterator[str]:
    """The database of one test server (also for module-scoped servers): SQLite in `data_dir`
    by default, or a new schema on the PostgreSQL server named by CONGVAN_DATABASE_URL
    (the second and scale-out passes of scripts/test.sh), dropped on exit."""
    base = os.environ.get("CONGVAN_DATABASE_URL", "").strip()
    if not base:
        yield f"sqlite:///{data_dir / 'congvan.db'}"
        return
    import sqlalchemy as sa
    from sqlalchemy.engine.url import make_url

    schema = f"cvtest_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


# -- the server ---------------------------------------------------------------------

@dataclass
class Server:
    """One service instance; `start`/`stop`/`crash` keep the same data dir and database."""

    data_dir: Path
    database_url: str
    env_extra: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    log_path: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)  # role -> key
    queue: str = field(default_factory=lambda: f"cvtest-{uuid.uuid4().hex[:12]}")
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)  # Celery mode only

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "CONGVAN_DATA_DIR": str(self.data_dir),
            "CONGVAN_DATABASE_URL": self.database_url,
            "CONGVAN_WORKERS": "1",
            "CONGVAN_JOB_LEASE_SECONDS": "3",
            "CONGVAN_MAX_FILES": "3",
            "CONGVAN_QUEUE": self.queue,  # used in Celery mode only: this server's own queue
        })
        env.update(self.env_extra)
        return env

    def start(self, **env_extra: str) -> Server:
        self.env_extra.update(env_extra)
        self.port = free_port()
        self.log_path = self.data_dir.parent / f"server-{self.port}.log"
        log = open(self.log_path, "wb")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "uvicorn", "service.api:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited at start:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    if CELERY:
                        self.start_workers(CELERY_WORKERS)
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not answer /healthz:\n{self.log()}")

    def start_workers(self, count: int) -> None:
        """`congvan worker --concurrency 1` processes, each in its own session (a machine of its own)."""
        for _ in range(count):
            log = open(self.data_dir.parent / f"worker-{self.port}-{len(self.workers)}.log", "wb")  # noqa: SIM115
            self.workers.append(subprocess.Popen(
                [str(Path(PYTHON).parent / "congvan"), "worker", "--concurrency", "1"],
                cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True))

    def worker_logs(self) -> str:
        logs = sorted(self.data_dir.parent.glob("worker-*.log"))
        return "".join(p.read_text(errors="replace") for p in logs)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path else ""

    def stop(self) -> None:
        """A clean stop (SIGTERM), as a service manager does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.crash()
        self.proc = None
        self._kill_workers()

    def crash(self) -> None:
        """SIGKILL the server and every process it started (power cut)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None
        self._kill_workers()

    def _kill_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
        self.workers = []

    def worker_pids(self) -> list[int]:
        """The OCR pool processes: spawned children of the server (not its resource tracker)."""
        assert self.proc is not None
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            pool = ppid == self.proc.pid and "spawn_main" in cmdline
            if pool or ppid in {w.pid for w in self.workers}:  # Celery mode: the workers' pool processes
                pids.append(int(entry.name))
        return pids

    def client(self, role: str | None = "clerk", key: str | None = None) -> httpx.Client:
        headers = {}
        token = key if key is not None else self.keys.get(role or "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def create_keys(self) -> None:
        from service.auth import create_key
        from service.db import Database

        db = Database(self.database_url)
        try:
            for role in ("clerk", "reader", "auditor", "admin"):
                self.keys[role] = create_key(db, role, f"test-{role}")
        finally:
            db.dispose()


@pytest.fixture
def server_factory(tmp_path: Path, database_url: str) -> Iterator[Server]:
    """A not-yet-started server on a fresh data dir and database (stopped at teardown)."""
    server = Server(data_dir=tmp_path / "data", database_url=database_url)
    server.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        yield server
    finally:
        server.crash()


@pytest.fixture
def server(server_factory: Server) -> Server:
    """A running server with one key per role in `server.keys`."""
    server_factory.start()
    server_factory.create_keys()
    return server_factory


def wait_job(client: httpx.Client, job_id: int, states: tuple[str, ...] = ("done", "failed"),
             timeout: float = 300) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").raise_for_status().json()
        if job["state"] in states:
            return job  # type: ignore[no-any-return]
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} not in {states} after {timeout}s: {job}")


# -- scans ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def service_letter_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("letters") / "ubnd-gia-lai-2024-1520.txt"
    path.write_text(SERVICE_LETTER, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def service_scan(service_letter_source: Path) -> bytes:
    """A clean 300 DPI scan (PNG, one page) of SERVICE_LETTER, made by the sample generator."""
    from samples.generate import render_scan

    return render_scan(service_letter_source, fmt="png")


@pytest.fixture(scope="session")
def long_scan(service_scan: bytes) -> bytes:
    """An image-only PDF (the letter's page six times): OCR takes long enough to interrupt."""
    from PIL import Image

    page = Image.open(io.BytesIO(service_scan)).convert("L")
    buf = io.BytesIO()
    page.save(buf, "PDF", save_all=True, append_images=[page.copy() for _ in range(5)], resolution=300)
    return buf.getvalue()


# -- the scale-out pass ---------------------------------------------------------------

# Where scripts/test.sh looks for the scale-out pass's servers.
TEST_REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('CONGVAN_TEST_REDIS_DB', '11')}"
TEST_PG_URL = os.environ.get("CONGVAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def scaleout_servers_problem(broker_url: str, database_url: str) -> str | None:
    """Why the scale-out pass cannot run against these servers; None when both answer."""
    import psycopg
    import redis

    problems = []
    try:
        redis.Redis.from_url(broker_url, socket_connect_timeout=3).ping()
    except Exception as exc:
        problems.append(f"Redis at {broker_url} does not answer ({_said(exc)})")
    if not database_url.startswith("postgresql"):
        problems.append(f"the store is not PostgreSQL (CONGVAN_DATABASE_URL={database_url!r})")
    else:
        try:
            psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://", 1),
                            connect_timeout=3).close()
        except Exception as exc:
            problems.append(f"PostgreSQL at {database_url} does not answer ({_said(exc)})")
    return "; ".join(problems) or None


def _said(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())  # on one line


@pytest.fixture(scope="session", autouse=True)
def _scaleout_servers_answer() -> None:
    """In the scale-out pass every test needs Redis and PostgreSQL: without them each test
    fails at once and says so, rather than after its jobs time out."""
    if not CELERY:
        return
    problem = scaleout_servers_problem(os.environ.get("CONGVAN_BROKER_URL", ""),
                                       os.environ.get("CONGVAN_DATABASE_URL", ""))
    if problem:
        pytest.fail(f"the scale-out pass (CONGVAN_EXECUTOR=celery) needs Redis and PostgreSQL: {problem}",
                    pytrace=False)


_NOT_RUN = pytest.StashKey[list[str]]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need the Celery executor run in the scale-out pass of scripts/test.sh only.

    Outside it they are deselected, not skipped: a skip would read as a test that passed.
    The run's summary names them and says why (see pytest_terminal_summary)."""
    if CELERY:
        return
    drop = [item for item in items if item.get_closest_marker("needs_celery")]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = [item for item in items if not item.get_closest_marker("needs_celery")]
        config.stash[_NOT_RUN] = [item.nodeid for item in drop]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    not_run = config.stash.get(_NOT_RUN, [])
    if not not_run:
        return
    problem = scaleout_servers_problem(TEST_REDIS_URL, TEST_PG_URL)
    servers = (f"here {problem}" if problem else f"Redis ({TEST_REDIS_URL}) and PostgreSQL ({TEST_PG_URL}) "
               "answer here, so scripts/test.sh runs them")
    terminalreporter.write_sep("=", f"{len(not_run)} scale-out tests NOT RUN", yellow=True, bold=True)
    terminalreporter.write_line(
        "They need CONGVAN_EXECUTOR=celery with Redis and PostgreSQL (the scale-out pass of "
        f"scripts/test.sh); {servers}.")
    for nodeid in not_run:
        terminalreporter.write_line(f"  not run: {nodeid}")
