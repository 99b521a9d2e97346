#!/usr/bin/env bash
# Every test: unit, server, sync against PGlite and a real PostgreSQL, interchange cases and real
# data, and browser tests in Chromium. Installs the system packages it needs when it can.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Missing system packages: ${need[*]} (apt-get install them, as root)" >&2
    exit 1
  fi
fi

eval "$(bash scripts/start-postgres.sh)"
export TEST_DATABASE_URL
pnpm --filter @concord/web build >/dev/null
mkdir -p .tmp
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json "$@" || status=$?
# The plain closing line, for readers that do not know vitest's own summary.
node -e '
  const r = require("./.tmp/vitest.json")
  const skipped = r.numPendingTests + r.numTodoTests
  const suites = r.numFailedTestSuites ? `; ${r.numFailedTestSuites} test files failed` : ""
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped${suites}`)
' || true
exit "$status"
