#!/usr/bin/env bash
# The whole test suite. Runs once on the default store (SQLite); the service
# tests run a second time against PostgreSQL when one answers on 127.0.0.1:5432
# (trust authentication, database `test`; each test makes its own schema and drops it).
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
exit $rc
