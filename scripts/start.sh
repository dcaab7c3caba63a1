#!/usr/bin/env bash
# The main job (`npm start`): a Kafka broker (the local one unless KAFKA_BROKERS names another), the database schema,
# then the auditor in the foreground. Stops the local broker again on exit if this script started it.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -f dist/apps/auditor/src/main.js ] || npm run build

started_broker=''
if [ -z "${KAFKA_BROKERS:-}" ]; then
  before=$(bash scripts/kafka-local.sh status >/dev/null 2>&1 && echo up || echo down)
  bash scripts/kafka-local.sh start
  [ "$before" = down ] && started_broker=yes
  export KAFKA_BROKERS=127.0.0.1:${KAFKA_LOCAL_PORT:-9092}
fi
stop_broker() { if [ -n "$started_broker" ]; then bash scripts/kafka-local.sh stop; fi; }
trap stop_broker EXIT

echo "start.sh: database ${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
node bin/disclosure-audit.js migrate
echo "start.sh: starting the auditor (Ctrl-C to stop)"
KAFKAJS_NO_PARTITIONER_WARNING=1 exec node dist/apps/auditor/src/main.js
