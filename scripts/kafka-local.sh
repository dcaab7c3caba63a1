#!/usr/bin/env bash
# A single-node Kafka (KRaft) broker for development and tests on machines without Docker.
# The broker runs from jars fetched once from Maven Central into .cache/kafka (git-ignored).
#
#   scripts/kafka-local.sh start|stop|status|logs [-f]
#
# KAFKA_LOCAL_PORT (default 9092) and KAFKA_LOCAL_CONTROLLER_PORT (default port + 1) move the broker.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly HOST=127.0.0.1
readonly PORT="${KAFKA_LOCAL_PORT:-9092}"
readonly CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-$((PORT + 1))}"
readonly TEMPLATES="$ROOT/scripts/kafka"
readonly STATE="$ROOT/.cache/kafka"
readonly LIBS="$STATE/libs"
readonly LIBS_COMPLETE="$LIBS/.complete"
readonly DATA="$STATE/data"
readonly CONFIG="$STATE/server.properties"
readonly PID_FILE="$STATE/broker.pid"
readonly PORT_FILE="$STATE/broker.port"
readonly LOG_FILE="$STATE/broker.log"
readonly START_TIMEOUT_SECONDS=60
readonly STOP_GRACE_SECONDS=20

info() { echo "kafka-local: $*"; }
die() {
  echo "kafka-local: error: $*" >&2
  exit 1
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH; $2"
}

require_java() {
  require_command java 'install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)'
  local spec
  spec="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  [[ "${spec%%.*}" =~ ^[0-9]+$ && "${spec%%.*}" -ge 17 ]] || die "Kafka 4 needs Java 17 or newer, found '${spec:-unknown}'"
}

# The readiness probe speaks the Kafka protocol through the project's own client library.
require_node_client() {
  require_command node 'install Node.js 20'
  [[ -d "$ROOT/node_modules/kafkajs" ]] || die "kafkajs is not installed; run 'npm ci' in $ROOT first"
}

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

# An open port is not enough: only a broker that answers a metadata request counts as Kafka.
kafka_answers() {
  (cd "$ROOT" && KAFKA_PROBE_BROKER="$HOST:$PORT" node -e '
    const { Kafka, logLevel } = require("kafkajs");
    const admin = new Kafka({
      clientId: "kafka-local-probe",
      brokers: [process.env.KAFKA_PROBE_BROKER],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    }).admin();
    setTimeout(() => process.exit(1), 8000).unref();
    admin.connect().then(() => admin.listTopics()).then(() => admin.disconnect()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  ') >/dev/null 2>&1
}

# Prints the pid of the broker this script started, if it is still that process.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # A recycled pid must never be mistaken for the broker, or stop would kill an unrelated process.
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

libs_fingerprint() {
  cksum <"$TEMPLATES/pom.xml" | awk '{print $1}'
}

fetch_jars() {
  if [[ -f "$LIBS_COMPLETE" && "$(cat "$LIBS_COMPLETE")" == "$(libs_fingerprint)" ]]; then
    return
  fi
  require_command mvn 'install Apache Maven 3 (e.g. apt-get install maven); it fetches the Kafka jars once'
  info "fetching Kafka jars from Maven Central into .cache/kafka/libs (first run only)"
  # Clearing first keeps jars of an older Kafka version off the classpath after a pom change.
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  local mvn_log="$STATE/mvn.log"
  if ! mvn -q -B -f "$TEMPLATES/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIBS" >"$mvn_log" 2>&1; then
    tail -n 20 "$mvn_log" >&2
    die "mvn could not fetch the Kafka jars (is Maven Central reachable?); full output: $mvn_log"
  fi
  libs_fingerprint >"$LIBS_COMPLETE"
}

write_config() {
  mkdir -p "$DATA"
  sed -e "s#@HOST@#$HOST#g" \
    -e "s#@PORT@#$PORT#g" \
    -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" \
    -e "s#@DATA_DIR@#$DATA#g" \
    "$TEMPLATES/server.properties.template" >"$CONFIG"
}

format_storage_once() {
  [[ -f "$DATA/meta.properties" ]] && return
  # A Kafka cluster id is 16 random bytes, base64url-encoded without padding.
  local cluster_id
  cluster_id="$(node -e 'process.stdout.write(require("crypto").randomBytes(16).toString("base64url"))')"
  java -cp "$LIBS/*" -Dlog4j2.configurationFile="$TEMPLATES/log4j2.properties" \
    kafka.tools.StorageTool format --config "$CONFIG" --cluster-id "$cluster_id" >"$LOG_FILE" 2>&1 ||
    fail_start "formatting the broker storage failed"
}

fail_start() {
  echo "kafka-local: error: $1; last broker log lines ($LOG_FILE):" >&2
  tail -n 30 "$LOG_FILE" >&2 || true
  exit 1
}

wait_until_ready() {
  local pid=$1 deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  until port_open && kafka_answers; do
    kill -0 "$pid" 2>/dev/null || {
      rm -f "$PID_FILE" "$PORT_FILE"
      fail_start "the broker exited during start-up"
    }
    ((SECONDS < deadline)) || fail_start "the broker did not answer within ${START_TIMEOUT_SECONDS}s (pid $pid still running)"
    sleep 0.3
  done
}

start() {
  local pid
  if pid="$(running_pid)"; then
    local running_port
    running_port="$(cat "$PORT_FILE" 2>/dev/null || echo unknown)"
    [[ "$running_port" == "$PORT" ]] ||
      die "the broker started by this script (pid $pid) listens on port $running_port, not $PORT; stop it first"
    require_node_client
    if ! kafka_answers; then
      info "broker (pid $pid) is still starting; waiting for it"
      wait_until_ready "$pid"
    fi
    info "broker already running (pid $pid) at $HOST:$PORT"
    return
  fi
  if port_open; then
    require_node_client
    if kafka_answers; then
      info "reusing the Kafka broker already answering at $HOST:$PORT (not started by this script)"
      return
    fi
    die "port $HOST:$PORT is in use by something that is not a Kafka broker; set KAFKA_LOCAL_PORT to another port"
  fi

  require_java
  require_node_client
  mkdir -p "$STATE"
  fetch_jars
  write_config
  format_storage_once

  local started_at=$SECONDS
  # stdin/stdout/stderr are detached so a caller that captures our output does not wait for the broker.
  nohup java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$TEMPLATES/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$CONFIG" </dev/null >"$LOG_FILE" 2>&1 &
  pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$PORT" >"$PORT_FILE"
  wait_until_ready "$pid"
  info "broker started (pid $pid) at $HOST:$PORT in $((SECONDS - started_at))s; log: .cache/kafka/broker.log"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE" "$PORT_FILE"
    info "no broker started by this script is running"
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_GRACE_SECONDS))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    info "broker (pid $pid) ignored SIGTERM for ${STOP_GRACE_SECONDS}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  info "broker (pid $pid) stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    local running_port
    running_port="$(cat "$PORT_FILE" 2>/dev/null || echo unknown)"
    if [[ "$running_port" == "$PORT" ]] && port_open && { require_node_client && kafka_answers; }; then
      info "broker running (pid $pid, started by this script) at $HOST:$PORT"
    else
      info "broker process running (pid $pid, started by this script, port $running_port) but not answering at $HOST:$PORT"
      return 3
    fi
  elif port_open && { require_node_client && kafka_answers; }; then
    info "a Kafka broker not started by this script answers at $HOST:$PORT"
  else
    info "no Kafka broker answers at $HOST:$PORT"
    return 3
  fi
}

logs() {
  [[ -f "$LOG_FILE" ]] || die "no broker log yet ($LOG_FILE)"
  if [[ "${1:-}" == "-f" ]]; then
    tail -n 50 -f "$LOG_FILE"
  else
    tail -n 200 "$LOG_FILE"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) logs "${2:-}" ;;
  *)
    echo "usage: $0 start|stop|status|logs [-f]" >&2
    exit 2
    ;;
esac
