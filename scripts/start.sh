#!/usr/bin/env bash
# Starts the server, building the web app first when it is missing or older than its sources.
set -euo pipefail
cd "$(dirname "$0")/.."
built=apps/web/dist/index.html
sources=(apps/web/src apps/web/index.html apps/web/vite.config.ts packages/shared/src)
if [ ! -f "$built" ] || [ -n "$(find "${sources[@]}" -newer "$built" -print -quit)" ]; then
  pnpm --filter @concord/web build
fi
exec pnpm --filter @concord/server start
