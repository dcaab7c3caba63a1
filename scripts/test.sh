#!/usr/bin/env bash
# The project's test command (`npm test`): build, static checks, unit tests, then integration tests against a real
# Kafka and Postgres, which the integration project's Jest global set-up starts and stops itself.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step='start-up'
trap 'echo "test.sh: FAILED during: $step" >&2' ERR

run_step() {
  step=$1
  shift
  printf '\n==> %s\n' "$step"
  "$@"
}

jest() {
  NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}" npx jest --ci "$@"
}

run_step 'build' npm run build
run_step 'typecheck' npx tsc -p tsconfig.json --noEmit
run_step 'lint' npx eslint .
run_step 'format' npx prettier --check .
run_step 'unit tests' jest --selectProjects unit
run_step 'integration tests' jest --selectProjects integration

echo 'test.sh: PASSED (build, typecheck, lint, format, unit tests, integration tests)'
