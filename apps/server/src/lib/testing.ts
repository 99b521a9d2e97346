import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Hono } from 'hono'
import { createApp } from '../app.ts'
import { ensureAdmin } from '../auth/bootstrap.ts'
import { authenticateRequest } from '../auth/authenticate.ts'
import { loadConfig, type Config } from '../config.ts'
import type { AppContext } from '../context.ts'
import { openDatabase } from '../db/client.ts'
import { stopJobs } from '../features/jobs/runner.ts'
import { createDiskBlobStore } from '../storage/disk-blob-store.ts'
import { createSyncServer } from '../sync/index.ts'
import type { AppEnv } from './hono-env.ts'
import { logger } from './logger.ts'

/** The in-process app of a test, on its own PGlite and blob folder, with the real sync server. */
export type TestApp = {
  app: Hono<AppEnv>
  ctx: AppContext
  /** Sends a request; `cookie` or `token` authenticate it, writes with a cookie carry our Origin. */
  request(path: string, init?: TestRequestInit): Promise<TestResponse>
  /** Signs in and returns the session cookie (`concord_session=...`). */
  login(email: string, password: string): Promise<string>
  close(): Promise<void>
}

/** A Response whose JSON body tests read without declaring each shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> }

export type TestRequestInit = {
  method?: string
  json?: unknown
  body?: RequestInit['body']
  headers?: Record<string, string>
  cookie?: string
  token?: string
}

export const TEST_ORIGIN = 'http://localhost'
export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' }

/** Opens a fresh database (the first PGlite open takes seconds: do it once per test file). */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concord-test-'))
  const config: Config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: undefined,
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    webDist: path.join(dataDir, 'no-web-build'),
    ...overrides,
  }
  const database = await openDatabase({ dataDir })
  const blobs = createDiskBlobStore(path.join(dataDir, 'blobs'))
  const sync = createSyncServer({
    config,
    database,
    logger,
    authenticate: (headers, url) => authenticateRequest(database.db, headers, url),
  })
  const ctx: AppContext = { config, database, blobs, documents: sync.documents, logger }
  await ensureAdmin(ctx)
  const app = createApp(ctx)

  const request = (p: string, init: TestRequestInit = {}) => {
    const method =
      init.method ?? (init.json !== undefined || init.body !== undefined ? 'POST' : 'GET')
    const headers: Record<string, string> = { ...init.headers }
    if (init.cookie) headers.cookie = init.cookie
    if (init.token) headers.authorization = `Bearer ${init.token}`
    if (init.cookie && method !== 'GET' && !('origin' in headers)) headers.origin = TEST_ORIGIN
    let body = init.body
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json'
      body = JSON.stringify(init.json)
    }
    return Promise.resolve(
      app.request(`${TEST_ORIGIN}${p}`, { method, headers, body }),
    ) as Promise<TestResponse>
  }

  return {
    app,
    ctx,
    request,
    async login(email, password) {
      const res = await request('/api/auth/login', { json: { email, password } })
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
      const cookie = res.headers.get('set-cookie')?.split(';')[0]
      if (!cookie) throw new Error('login set no cookie')
      return cookie
    },
    async close() {
      await stopJobs(ctx)
      await sync.close()
      await database.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
