#!/usr/bin/env bash
# The whole test suite. Runs once on the default store (SQLite); the service
# tests run a second time against PostgreSQL when one answers on 127.0.0.1:5432
# (trust authentication, database `test`; each test makes its own schema and drops it).
# With Redis on 127.0.0.1:6379 as well, a scale-out pass runs every service and robustness
# test once more with the jobs on Celery workers and the store on PostgreSQL
# (CONGVAN_EXECUTOR=celery): tests/test_api_*.py, test_service_*.py, test_webhooks.py,
# test_arrivals.py, test_interchange_api.py, tests/robustness/test_*.py and
# test_scaleout.py, whose needs_celery tests run only here. Each test server starts two
# `congvan worker` processes, on a broker queue of its own in Redis db
# CONGVAN_TEST_REDIS_DB (default 11); the tests that kill "the worker" kill the Celery
# workers' pool processes there. Without those servers this pass is not run, and says so.
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
    # Every test that starts a server or runs jobs (the others do not touch the executor).
    echo "== scale-out: service and robustness tests on Celery workers ($REDIS_URL) and PostgreSQL =="
    CONGVAN_EXECUTOR=celery CONGVAN_BROKER_URL="$REDIS_URL" CONGVAN_DATABASE_URL="$PG_URL" \
        $BIN/python -m pytest tests/test_scaleout.py tests/test_api_*.py tests/test_service_*.py \
        tests/test_webhooks.py tests/test_arrivals.py tests/test_interchange_api.py tests/robustness/test_*.py
    so_rc=$?
    [ $so_rc -ne 0 ] && rc=$so_rc
else
    echo "Redis ($REDIS_URL) or PostgreSQL ($PG_URL) not reachable: scale-out tests NOT RUN (the service and robustness tests on Celery workers)"
fi
exit $rc
