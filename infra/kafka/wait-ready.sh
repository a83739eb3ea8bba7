#!/usr/bin/env bash
# Wait (bounded) until the Kafka broker on KAFKA_HOST:KAFKA_PORT answers real Kafka
# requests: Kafka's own BrokerApiVersionsCommand must get a Metadata response that
# lists the broker and an ApiVersions response from it (the broker only serves
# client requests once it is registered and unfenced). A TCP connect is used only
# as a cheap pre-check.
#
# Env: KAFKA_PORT / KAFKA_BROKERS / KAFKA_HOST / KAFKA_DATA_DIR (see _common.sh)
#      KAFKA_READY_TIMEOUT  seconds (default 90)
# Exit 0 when ready; on timeout (or if the broker process of KAFKA_DATA_DIR dies)
# prints the tail of the broker log and exits 1.
set -euo pipefail
# shellcheck source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

kafka_resolve_env
kafka_require_java
"$KAFKA_SCRIPT_DIR/fetch.sh"

timeout_s="${KAFKA_READY_TIMEOUT:-90}"
[[ "$timeout_s" =~ ^[0-9]+$ ]] || kafka_die "KAFKA_READY_TIMEOUT='$timeout_s' is not a number of seconds"

work="$(mktemp -d "${TMPDIR:-/tmp}/kafka-ready.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
cat >"$work/client.properties" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=10000
retry.backoff.ms=200
EOF
probe_out="$work/probe.out"
: >"$probe_out"

# A pid file means start.sh launched a broker from this data dir: fail fast if it dies.
watch_pid=""
[[ -f "$KAFKA_PID_FILE" ]] && watch_pid="$(tr -dc '0-9' <"$KAFKA_PID_FILE" || true)"

t0=$(kafka_now)
t0ms=$(kafka_now_ms)
deadline=$(( t0 + timeout_s ))
attempts=0
while :; do
  if [[ -n "$watch_pid" ]] && ! kafka_pid_alive "$watch_pid"; then
    kafka_log "broker process $watch_pid (data $KAFKA_DATA_DIR) exited before becoming ready"
    kafka_print_log_tail 80
    exit 1
  fi

  if kafka_tcp_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    attempts=$((attempts + 1))
    if timeout 25 "$KAFKA_JAVA" "${KAFKA_TOOL_JVM_OPTS[@]}" -cp "$(kafka_classpath)" \
         org.apache.kafka.tools.BrokerApiVersionsCommand \
         --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" \
         --command-config "$work/client.properties" >"$probe_out" 2>&1 \
       && grep -q '(id: .*) -> (' "$probe_out"; then
      node="$(grep -m1 -o '(id: [0-9-]*' "$probe_out" | sed 's/(id: //')"
      kafka_log "ready: $KAFKA_HOST:$KAFKA_PORT answers Kafka ApiVersions (node id $node) after $(kafka_elapsed "$t0ms")s"
      exit 0
    fi
  fi

  if (( $(kafka_now) >= deadline )); then
    kafka_log "timed out after ${timeout_s}s waiting for a Kafka broker on $KAFKA_HOST:$KAFKA_PORT ($attempts protocol probes)"
    if [[ -s "$probe_out" ]]; then
      printf -- '----- last readiness probe output -----\n' >&2
      tail -n 20 -- "$probe_out" >&2 || true
    fi
    kafka_print_log_tail 80
    exit 1
  fi
  sleep 0.5
done
