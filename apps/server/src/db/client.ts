import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import { logger } from '../lib/logger.ts'
import * as schema from './schema.ts'

/** The drizzle handle both drivers share; queries are written once against it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export type Database = {
  db: Db
  /** `pglite` (embedded, the default) or `postgres` (a server named by DATABASE_URL). */
  kind: 'pglite' | 'postgres'
  /**
   * Runs `fn` holding a PostgreSQL advisory lock keyed by `key`, or skips it (returns null)
   * when another process holds it. Used to keep compaction to one process at a time.
   */
  withAdvisoryLock<T>(key: string, fn: () => Promise<T>): Promise<T | null>
  close(): Promise<void>
}

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Opens the database and brings its schema up to date. With a `databaseUrl` it connects to
 * PostgreSQL; otherwise it opens PGlite files under `dataDir/pglite`.
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined
  dataDir: string
}): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl)
  return openPglite(path.join(options.dataDir, 'pglite'))
}

async function openPglite(dir: string): Promise<Database> {
  mkdirSync(dir, { recursive: true })
  const client = new PGlite(dir)
  await client.waitReady
  const db = drizzlePglite(client, { schema })
  await migratePglite(db, { migrationsFolder: MIGRATIONS })
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    // One process owns a PGlite directory, so a lock is only needed against ourselves; the
    // caller's in-process serialisation covers that.
    withAdvisoryLock: async (_key, fn) => fn(),
    close: () => client.close(),
  }
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  // An idle pooled connection that the server ends (a restart, a failover, an administrator)
  // is reported here; unhandled it would bring the process down. The pool replaces it and the
  // next query reconnects.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'))
  const db = drizzlePg(pool, { schema })
  await migrateWithLock(pool, () => migratePg(db, { migrationsFolder: MIGRATIONS }))
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    withAdvisoryLock: async (key, fn) => {
      const conn = await pool.connect()
      try {
        const got = await conn.query<{ ok: boolean }>(
          'select pg_try_advisory_lock(hashtext($1)) as ok',
          [key],
        )
        if (!got.rows[0]?.ok) return null
        try {
          return await fn()
        } finally {
          await conn.query('select pg_advisory_unlock(hashtext($1))', [key])
        }
      } finally {
        conn.release()
      }
    },
    close: () => pool.end(),
  }
}

/** Several server processes may start at once against one database; migrate one at a time. */
async function migrateWithLock(pool: pg.Pool, run: () => Promise<void>): Promise<void> {
  const conn = await pool.connect()
  try {
    await conn.query("select pg_advisory_lock(hashtext('concord:migrate'))")
    await run()
  } finally {
    await conn.query("select pg_advisory_unlock(hashtext('concord:migrate'))")
    conn.release()
  }
}
