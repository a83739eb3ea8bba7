#!/usr/bin/env bash
# Fetch Apache Kafka's broker jars (+ log4j2, + Kafka CLI tools) from Maven Central
# into infra/kafka/lib/ via pom.xml. No-op (no Maven run) when lib/ is complete.
#
# Usage: infra/kafka/fetch.sh [--force]
# Env:   KAFKA_VERSION  override the Kafka version pinned in pom.xml (e.g. 4.4.0)
#        MVN            maven executable (default: mvn)
set -euo pipefail
# shellcheck source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

force=0
case "${1:-}" in
  --force|-f) force=1 ;;
  "") ;;
  -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
  *) kafka_die "unknown argument: $1 (usage: fetch.sh [--force])" ;;
esac

kafka_require_java

marker="$KAFKA_LIB_DIR/.fetched"
pom="$KAFKA_SCRIPT_DIR/pom.xml"
# The marker key changes whenever pom.xml or the requested version changes.
key="pom-sha256=$(sha256sum "$pom" | cut -d' ' -f1) kafka.version=${KAFKA_VERSION:-pom}"

lib_complete() {
  [[ -f "$marker" ]] || return 1
  [[ "$(head -n1 "$marker")" == "$key" ]] || return 1
  local jar n=0
  while IFS= read -r jar; do
    [[ -s "$KAFKA_LIB_DIR/$jar" ]] || return 1
    n=$((n + 1))
  done < <(tail -n +2 "$marker")
  (( n > 0 ))
}

if (( ! force )) && lib_complete; then
  exit 0
fi

mvn_bin="${MVN:-mvn}"
command -v "$mvn_bin" >/dev/null 2>&1 \
  || kafka_die "Maven ('$mvn_bin') not found, needed once to download the Kafka jars into $KAFKA_LIB_DIR. On Debian: apt-get install -y maven"

mkdir -p "$KAFKA_SCRIPT_DIR/target"
# Serialise concurrent fetches (e.g. parallel test runs) when flock is available.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KAFKA_SCRIPT_DIR/target/.fetch.lock"
  flock 9
  if (( ! force )) && lib_complete; then exit 0; fi   # someone else just did it
fi

staging="$KAFKA_SCRIPT_DIR/target/lib-staging"
rm -rf -- "$staging"
mkdir -p "$staging"

mvn_args=(-q -B -Dstyle.color=never -f "$pom" "-Dkafka.lib.dir=$staging")
[[ -n "${KAFKA_VERSION:-}" ]] && mvn_args+=("-Dkafka.version=$KAFKA_VERSION")

kafka_log "fetching Kafka jars with Maven into $KAFKA_LIB_DIR ..."
start=$(kafka_now_ms)
# (Maven 3.8 prints stray ANSI resets even with -q -B; strip them. pipefail keeps mvn's status.)
if ! "$mvn_bin" "${mvn_args[@]}" dependency:copy-dependencies 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' >&2; then
  rm -rf -- "$staging"
  kafka_die "Maven failed to fetch the Kafka jars (see above). Network access to Maven Central is needed once."
fi

shopt -s nullglob
jars=("$staging"/*.jar)
shopt -u nullglob
(( ${#jars[@]} > 0 )) || kafka_die "Maven finished but copied no jars into $staging"
ls "$staging"/kafka_2.13-*.jar >/dev/null 2>&1 || kafka_die "kafka_2.13 jar missing after fetch"

{
  printf '%s\n' "$key"
  for j in "${jars[@]}"; do printf '%s\n' "${j##*/}"; done
} >"$staging/.fetched"

rm -rf -- "$KAFKA_LIB_DIR"
mv -- "$staging" "$KAFKA_LIB_DIR"
kver="$(ls "$KAFKA_LIB_DIR"/kafka_2.13-*.jar | sed 's/.*kafka_2\.13-\(.*\)\.jar$/\1/')"
kafka_log "fetched Kafka $kver: ${#jars[@]} jars, $(du -sh "$KAFKA_LIB_DIR" | cut -f1) in $(kafka_elapsed "$start")s"
