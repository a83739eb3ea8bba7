#!/usr/bin/env bash
# Runs a command against a fresh local Kafka broker (real, from Apache Kafka's artifacts) on
# its own port and data dir, and stops the broker whatever happens.
#   usage: test/with-broker.sh <port> <data dir> <command> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."

export KAFKA_PORT="$1"
export KAFKA_CONTROLLER_PORT="$(( $1 + 1 ))"
export KAFKA_DATA_DIR="$2"
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
shift 2

bash infra/kafka/stop.sh >/dev/null 2>&1 || true
rm -rf -- "$KAFKA_DATA_DIR"
trap 'bash infra/kafka/stop.sh' EXIT
bash infra/kafka/start.sh
"$@"
