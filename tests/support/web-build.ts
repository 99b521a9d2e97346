import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './server-process.ts'

/** Builds the web app once if `apps/web/dist` is missing; the server serves it from there. */
export function ensureWebBuild(): string {
  const dist = path.join(repoRoot, 'apps/web/dist')
  if (!existsSync(path.join(dist, 'index.html'))) {
    execFileSync('pnpm', ['--filter', '@concord/web', 'build'], { cwd: repoRoot, stdio: 'inherit' })
  }
  return dist
}
