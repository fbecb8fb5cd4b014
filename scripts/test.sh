#!/usr/bin/env bash
# The whole test suite. Runs once on the default store (SQLite); the service
# tests run a second time against PostgreSQL when one answers on 127.0.0.1:5432
# (trust authentication, database `test`; each test makes its own schema and drops it).
# With Redis on 127.0.0.1:6379 as well, a scale-out pass runs the job and fault tests
# once more with the jobs on Celery workers (two `congvan worker` processes per server,
# each test on a broker queue of its own in Redis db CONGVAN_TEST_REDIS_DB, default 11).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${CONGVAN_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

$BIN/python -m pytest "$@"
rc=$?

if $BIN/python - "$PG_URL" <<'PY' 2>/dev/null
import sys
import psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://", 1)
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
then
    echo "== API tests again on PostgreSQL ($PG_URL) =="
    CONGVAN_DATABASE_URL="$PG_URL" $BIN/python -m pytest tests/test_api*.py tests/test_service*.py
    pg_rc=$?
    [ $pg_rc -ne 0 ] && rc=$pg_rc
else
    echo "PostgreSQL not reachable on 127.0.0.1:5432: API tests ran on SQLite only"
fi

REDIS_URL="redis://127.0.0.1:6379/${CONGVAN_TEST_REDIS_DB:-11}"
if $BIN/python - "$PG_URL" "$REDIS_URL" <<'PY' 2>/dev/null
import sys
import psycopg
import redis
try:
    psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://", 1), connect_timeout=3).close()
    redis.Redis.from_url(sys.argv[2], socket_connect_timeout=3).ping()
except Exception:
    sys.exit(1)
PY
then
    # The tests that run jobs (the others do not touch the executor and ran above).
    echo "== scale-out: job, service and fault tests on Celery workers ($REDIS_URL) and PostgreSQL =="
    CONGVAN_EXECUTOR=celery CONGVAN_BROKER_URL="$REDIS_URL" CONGVAN_DATABASE_URL="$PG_URL" \
        $BIN/python -m pytest tests/test_scaleout.py tests/test_api_jobs.py tests/test_api_flow.py \
        tests/test_service_watch.py tests/robustness/test_faults.py
    so_rc=$?
    [ $so_rc -ne 0 ] && rc=$so_rc
else
    echo "Redis or PostgreSQL not reachable: scale-out tests not run"
fi
exit $rc
