import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Context } from 'hono'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

/**
 * Serves the built web app from `dist`: a file when one matches the path, otherwise
 * `index.html` so client-side routes load (paths that look like files answer 404 instead).
 * When the build is missing it answers a page saying how to build it.
 */
export function serveWeb(dist: string): (c: Context) => Promise<Response> {
  const root = path.resolve(dist)
  return async (c) => {
    let relative: string
    try {
      relative = decodeURIComponent(c.req.path)
    } catch {
      return c.text('Bad path', 400)
    }
    const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`)
    if (file.startsWith(root + path.sep) && (await isFile(file))) return sendFile(c, file)

    const index = path.join(root, 'index.html')
    if (!(await isFile(index))) return c.html(missingBuildPage(root), 503)
    if (path.extname(relative) !== '') return c.text('Not found', 404)
    return sendFile(c, index)
  }
}

async function sendFile(c: Context, file: string): Promise<Response> {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
  // Vite puts content-hashed files under assets/, so they never change; everything else
  // (index.html above all) must be revalidated so a new build is picked up at once.
  const immutable = file.includes(`${path.sep}assets${path.sep}`)
  c.header('Content-Type', type)
  c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
  if (c.req.method === 'HEAD') return c.body(null, 200)
  return c.body(new Uint8Array(await readFile(file)), 200)
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

function missingBuildPage(root: string): string {
  const escaped = root.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Concord: web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>The web app is not built</h1>
<p>The server is running and its API answers under <code>/api</code>, but there is no web app
in <code>${escaped}</code>.</p>
<p>Build it with <code>pnpm --filter @concord/web build</code> (or start everything with
<code>pnpm start</code>), or point <code>WEB_DIST</code> at a build.</p>
</body></html>`
}
