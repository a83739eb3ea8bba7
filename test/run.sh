#!/usr/bin/env bash
# The whole test suite: a fresh local Kafka broker (real, from Apache Kafka's artifacts) on
# its own port and data dir, the schema compatibility check, then every unit and
# integration test. The broker is stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

export KAFKA_PORT="${TEST_KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${TEST_KAFKA_CONTROLLER_PORT:-19093}"
export KAFKA_DATA_DIR="${TEST_DATA_DIR:-$PWD/.data/test}/kafka"
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
export DATA_DIR="${TEST_DATA_DIR:-$PWD/.data/test}"

bash infra/kafka/stop.sh >/dev/null 2>&1 || true
rm -rf -- "$KAFKA_DATA_DIR"
trap 'bash infra/kafka/stop.sh' EXIT
bash infra/kafka/start.sh

node dist/services/cli/index.js schemas check

# Test files are named explicitly: helpers and child-process fixtures under dist/test are not tests.
mapfile -t test_files < <(find dist -name '*.test.js' -not -path '*/node_modules/*' | sort)
node --test --test-timeout=300000 "${test_files[@]}"
