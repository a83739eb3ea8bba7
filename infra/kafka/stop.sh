#!/usr/bin/env bash
# Stop the local Kafka broker running from KAFKA_DATA_DIR: SIGTERM (controlled
# shutdown), wait up to KAFKA_STOP_TIMEOUT seconds (default 30), then SIGKILL.
# Removes the pid file. Succeeds if nothing is running.
#
# Env: KAFKA_DATA_DIR / DATA_DIR (see _common.sh), KAFKA_STOP_TIMEOUT
set -euo pipefail
# shellcheck source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

kafka_resolve_env
stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"
[[ "$stop_timeout" =~ ^[0-9]+$ ]] || kafka_die "KAFKA_STOP_TIMEOUT='$stop_timeout' is not a number of seconds"

pid="$(kafka_running_pid)"
if [[ -z "$pid" ]]; then
  rm -f -- "$KAFKA_PID_FILE"
  kafka_log "not running (data $KAFKA_DATA_DIR)"
  exit 0
fi

t0=$(kafka_now)
t0ms=$(kafka_now_ms)
kafka_log "stopping broker pid $pid (data $KAFKA_DATA_DIR) ..."
kill -TERM "$pid" 2>/dev/null || true

killed=0
deadline=$(( t0 + stop_timeout ))
while kafka_pid_alive "$pid"; do
  if (( $(kafka_now) >= deadline )); then
    kafka_log "still alive after ${stop_timeout}s, sending SIGKILL"
    killed=1
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kafka_pid_alive "$pid" || break
      sleep 0.1
    done
    break
  fi
  sleep 0.2
done

if kafka_pid_alive "$pid"; then
  kafka_die "broker pid $pid did not exit"
fi
rm -f -- "$KAFKA_PID_FILE"

# A broker started without a class-data archive dumped one at exit: install it
# (only after a graceful exit, and only if lib/ was not refetched meanwhile).
if [[ -f "$KAFKA_CDS_PENDING" ]]; then
  read -r stamp pending <"$KAFKA_CDS_PENDING" || true
  if [[ -n "${pending:-}" && -s "$pending" ]]; then
    if (( ! killed )) && [[ "$stamp" == "$(kafka_lib_stamp)" ]]; then
      mv -f -- "$pending" "$KAFKA_CDS_ARCHIVE" 2>/dev/null || rm -f -- "$pending"
    else
      rm -f -- "$pending"
    fi
  fi
  rm -f -- "$KAFKA_CDS_PENDING"
fi
kafka_log "stopped (pid $pid) in $(kafka_elapsed "$t0ms")s"
