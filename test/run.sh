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
  mapfile -t test_files < <(find dist -name "*.test.js" ! -name "faults.test.js" | sort)
  # Two files at a time: most of the suite waits on the broker and on child processes, not on the
  # CPU (topics, groups, ports and data dirs are per test). The fault suite, which runs a whole
  # stack of processes and kills them, runs alone afterwards. Both runs always run; either failing fails.
  # Each run also writes a TAP report; the failed tests of both are listed last, where a CI log ends.
  reports="$DATA_DIR/reports"
  rm -rf "$reports" && mkdir -p "$reports"
  status=0
  node --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout=300000 \
    --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$reports/suite.tap" \
    "${test_files[@]}" || status=$?
  node --test --test-timeout=900000 \
    --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$reports/faults.tap" \
    dist/test/integration/faults.test.js || status=$?
  node dist/test/failedTests.js "$reports/suite.tap" "$reports/faults.tap"
  exit "$status"
'
