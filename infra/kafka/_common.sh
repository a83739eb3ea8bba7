# shellcheck shell=bash
# Shared helpers for infra/kafka/*.sh. Sourced, not executed.
#
# Environment (all optional):
#   KAFKA_PORT             client (PLAINTEXT) port; default: port of the first entry
#                          of KAFKA_BROKERS if set, else 9092
#   KAFKA_BROKERS          e.g. "127.0.0.1:9092"; only used to derive KAFKA_PORT
#   KAFKA_HOST             host the broker binds to and advertises; default 127.0.0.1
#   KAFKA_CONTROLLER_PORT  KRaft controller port; default KAFKA_PORT+1000
#                          (KAFKA_PORT-1000 if that would exceed 65535)
#   KAFKA_DATA_DIR         broker state dir; default ${DATA_DIR}/kafka, and
#                          <repo root>/.data/kafka when DATA_DIR is unset too.
#                          Relative paths are relative to the current directory.
#   JAVA_HOME              java to use (else `java` from PATH)

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
KAFKA_LIB_DIR="$KAFKA_SCRIPT_DIR/lib"
KAFKA_REPO_ROOT="$(cd "$KAFKA_SCRIPT_DIR/../.." && pwd -P)"

kafka_log() { printf '[kafka] %s\n' "$*" >&2; }
kafka_die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

kafka_now() { date +%s; }
kafka_now_ms() { date +%s%3N; }
# elapsed seconds since a kafka_now_ms timestamp, one decimal: "3.4"
kafka_elapsed() { local d=$(( $(kafka_now_ms) - $1 )); printf '%d.%d' $(( d / 1000 )) $(( (d % 1000) / 100 )); }

# --- java -------------------------------------------------------------------
kafka_require_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    KAFKA_JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    KAFKA_JAVA="$(command -v java)"
  else
    kafka_die "java not found (need a Java 17+ runtime on PATH or JAVA_HOME). On Debian: apt-get install -y openjdk-17-jre-headless"
  fi
  local v props
  props="$("$KAFKA_JAVA" -XshowSettings:properties -version 2>&1 || true)"
  v="$(sed -n 's/^ *java\.specification\.version = //p' <<<"$props" | head -n1)"
  # HotSpot (OpenJDK) understands the AppCDS flags start.sh uses; others (OpenJ9) don't.
  KAFKA_JAVA_HOTSPOT=0
  grep -Eq '^ *java\.vm\.name = .*(HotSpot|Server VM|Client VM)' <<<"$props" && KAFKA_JAVA_HOTSPOT=1
  v="${v#1.}"
  if [[ -z "$v" || ! "$v" =~ ^[0-9]+$ ]]; then
    kafka_die "could not determine the Java version of $KAFKA_JAVA"
  fi
  if (( v < 17 )); then
    kafka_die "Kafka 4.x needs Java 17+, but $KAFKA_JAVA is Java $v"
  fi
}

# Options for short-lived tool JVMs (format, readiness probe): start fast, stay small.
KAFKA_TOOL_JVM_OPTS=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
  -Djava.awt.headless=true "-Dlog4j2.configurationFile=$KAFKA_SCRIPT_DIR/log4j2-tools.properties")

kafka_classpath() { printf '%s/*' "$KAFKA_LIB_DIR"; }

# AppCDS class-data archive for the broker JVM (saves ~1 s of a ~3.5 s start).
# The first broker started without it dumps one at its graceful exit (stop.sh then
# moves it here); it lives in lib/ so it disappears whenever the jars are refetched.
KAFKA_CDS_ARCHIVE="$KAFKA_LIB_DIR/kafka.jsa"
kafka_lib_stamp() { sha256sum "$KAFKA_LIB_DIR/.fetched" 2>/dev/null | cut -d' ' -f1; }

# --- configuration from the environment -------------------------------------
kafka_is_port() { [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 )); }

kafka_resolve_env() {
  KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"

  if [[ -z "${KAFKA_PORT:-}" && -n "${KAFKA_BROKERS:-}" ]]; then
    local first="${KAFKA_BROKERS%%,*}"
    first="${first//[[:space:]]/}"
    first="${first#*://}"          # tolerate PLAINTEXT://host:port
    KAFKA_PORT="${first##*:}"
    kafka_is_port "$KAFKA_PORT" || kafka_die "cannot derive a port from KAFKA_BROKERS='$KAFKA_BROKERS' (expected host:port)"
  fi
  KAFKA_PORT="${KAFKA_PORT:-9092}"
  kafka_is_port "$KAFKA_PORT" || kafka_die "KAFKA_PORT='$KAFKA_PORT' is not a valid port"

  if [[ -z "${KAFKA_CONTROLLER_PORT:-}" ]]; then
    if (( KAFKA_PORT + 1000 <= 65535 )); then
      KAFKA_CONTROLLER_PORT=$(( KAFKA_PORT + 1000 ))
    else
      KAFKA_CONTROLLER_PORT=$(( KAFKA_PORT - 1000 ))
    fi
  fi
  kafka_is_port "$KAFKA_CONTROLLER_PORT" || kafka_die "KAFKA_CONTROLLER_PORT='$KAFKA_CONTROLLER_PORT' is not a valid port"
  [[ "$KAFKA_CONTROLLER_PORT" != "$KAFKA_PORT" ]] || kafka_die "KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT ($KAFKA_PORT)"

  local dd
  if [[ -n "${KAFKA_DATA_DIR:-}" ]]; then
    dd="$KAFKA_DATA_DIR"
  elif [[ -n "${DATA_DIR:-}" ]]; then
    dd="$DATA_DIR/kafka"
  else
    dd="$KAFKA_REPO_ROOT/.data/kafka"
  fi
  [[ "$dd" == /* ]] || dd="$PWD/$dd"
  # normalise without requiring the directory to exist
  KAFKA_DATA_DIR="$(realpath -m -- "$dd")"

  KAFKA_PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
  KAFKA_LOG_FILE="$KAFKA_DATA_DIR/kafka.log"        # log4j2 (rolling)
  KAFKA_OUT_FILE="$KAFKA_DATA_DIR/kafka.out"        # JVM stdout/stderr
  KAFKA_CONFIG_FILE="$KAFKA_DATA_DIR/server.properties"   # generated at each start
  KAFKA_LOG_DIRS="$KAFKA_DATA_DIR/data"             # log.dirs (metadata + topics)
  KAFKA_RUNTIME_ENV="$KAFKA_DATA_DIR/broker.env"    # host/ports of the running broker
  KAFKA_CDS_PENDING="$KAFKA_DATA_DIR/cds.pending"   # AppCDS archive being dumped by this broker
}

# --- process handling -------------------------------------------------------
# True if pid $1 exists and is not a zombie (an un-reaped exited process).
kafka_pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -r "/proc/$1/stat" ]]; then
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null || true)"
    stat="${stat##*) }"
    [[ "${stat:0:1}" != "Z" ]] || return 1
  fi
  return 0
}

# True if $1 is a live Kafka broker JVM started with this data dir's config.
kafka_pid_is_ours() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kafka_pid_alive "$pid" || return 1
  # With /proc, a process that vanished since the check above (its cmdline unreadable) is not ours.
  if [[ -d /proc ]]; then
    local cmd
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *kafka.Kafka* && "$cmd" == *"$KAFKA_CONFIG_FILE"* ]] || return 1
  fi
  return 0
}

# Prints the pid of the broker running from KAFKA_DATA_DIR (pid file first, then a
# scan of /proc for a JVM whose command line names this data dir's config), or
# nothing. Removes a stale pid file.
kafka_running_pid() {
  local pid=""
  if [[ -f "$KAFKA_PID_FILE" ]]; then
    pid="$(tr -dc '0-9' <"$KAFKA_PID_FILE" || true)"
    if [[ -n "$pid" ]] && kafka_pid_is_ours "$pid"; then
      printf '%s\n' "$pid"; return 0
    fi
    rm -f -- "$KAFKA_PID_FILE"
  fi
  if [[ -d /proc ]]; then
    local f p
    for f in /proc/[0-9]*/cmdline; do
      p="${f#/proc/}"; p="${p%/cmdline}"
      [[ "$p" == "$$" ]] && continue
      if kafka_pid_is_ours "$p" 2>/dev/null; then
        printf '%s\n' "$p" >"$KAFKA_PID_FILE"
        printf '%s\n' "$p"; return 0
      fi
    done
  fi
  return 0
}

# True if something accepts TCP connections on host:port (bash /dev/tcp, 2 s max).
kafka_tcp_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

kafka_print_log_tail() {
  local n="${1:-60}"
  if [[ -s "$KAFKA_OUT_FILE" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$KAFKA_OUT_FILE" >&2
    tail -n "$n" -- "$KAFKA_OUT_FILE" >&2 || true
  fi
  if [[ -s "$KAFKA_LOG_FILE" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$KAFKA_LOG_FILE" >&2
    tail -n "$n" -- "$KAFKA_LOG_FILE" >&2 || true
  fi
  if [[ ! -s "$KAFKA_OUT_FILE" && ! -s "$KAFKA_LOG_FILE" ]]; then
    printf -- '(no broker log in %s)\n' "$KAFKA_DATA_DIR" >&2
  fi
}
