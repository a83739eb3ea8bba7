#!/usr/bin/env bash
# The whole test suite: a fresh local broker, the schema compatibility check, then every
# unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATA_DIR="${TEST_DATA_DIR:-$PWD/.data/test}"
exec bash test/with-broker.sh "${TEST_KAFKA_PORT:-19092}" "$DATA_DIR/kafka" bash -c '
  set -euo pipefail
  node dist/services/cli/index.js schemas check
  # Test files are named explicitly: helpers and child-process fixtures under dist/test are not tests.
  mapfile -t test_files < <(find dist -name "*.test.js" | sort)
  node --test --test-timeout=300000 "${test_files[@]}"
'
