import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './server-process.ts'

/**
 * Builds the web app when `apps/web/dist` is missing or older than any of its sources (the web
 * app's or the shared package's), so browser tests never run against a stale build.
 */
export function ensureWebBuild(): string {
  const dist = path.join(repoRoot, 'apps/web/dist')
  const built = path.join(dist, 'index.html')
  const sources = [path.join(repoRoot, 'apps/web/src'), path.join(repoRoot, 'packages/shared/src')]
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0
  if (sources.some((dir) => newestFile(dir) > builtAt)) {
    execFileSync('pnpm', ['--filter', '@concord/web', 'build'], { cwd: repoRoot, stdio: 'inherit' })
  }
  return dist
}

function newestFile(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const time = entry.isDirectory() ? newestFile(full) : statSync(full).mtimeMs
    if (time > newest) newest = time
  }
  return newest
}
