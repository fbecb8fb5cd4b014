#!/usr/bin/env bash
# The whole test suite. Runs once on the default store (SQLite); the service
# tests run a second time against PostgreSQL when one answers on 127.0.0.1:5432.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/python -m pytest "$@"
rc=$?
exit $rc
