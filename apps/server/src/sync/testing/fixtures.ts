import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { count, eq } from 'drizzle-orm'
import pg from 'pg'
import { openDatabase, type Database } from '../../db/client.ts'
import { assets, documentUpdates, projectMembers, projects, users } from '../../db/schema.ts'
import { newId } from '../../lib/ids.ts'
import type { SyncUser } from '../access.ts'

/**
 * Test helpers for the sync server: fresh databases of each kind and a small seeded project.
 * Only tests import this file.
 */

export type TestDatabase = {
  database: Database
  /** Where PGlite keeps its files; reopen with `reopen` to test what survived. */
  dataDir: string
  /** Closes and opens the same database again, as a restarted server would. */
  reopen(): Promise<Database>
  dispose(): Promise<void>
}

export type DatabaseKind = {
  kind: 'pglite' | 'postgres'
  open(): Promise<TestDatabase>
}

/** PGlite always; PostgreSQL too when `TEST_DATABASE_URL` names a server. */
export function testDatabaseKinds(): DatabaseKind[] {
  const kinds: DatabaseKind[] = [{ kind: 'pglite', open: openPgliteTestDatabase }]
  const url = process.env.TEST_DATABASE_URL
  if (url) kinds.push({ kind: 'postgres', open: () => openPostgresTestDatabase(url) })
  return kinds
}

async function openPgliteTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-sync-'))
  let database = await openDatabase({ dataDir })
  return {
    get database() {
      return database
    },
    dataDir,
    reopen: async () => {
      await database.close()
      database = await openDatabase({ dataDir })
      return database
    },
    dispose: async () => {
      await database.close().catch(() => undefined)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A fresh database on the server per test file, dropped afterwards. */
async function openPostgresTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `concord_test_${newId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`
  await adminQuery(baseUrl, `create database ${name}`)
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-sync-'))
  let database = await openDatabase({ databaseUrl: url.toString(), dataDir })
  return {
    get database() {
      return database
    },
    dataDir,
    reopen: async () => {
      await database.close()
      database = await openDatabase({ databaseUrl: url.toString(), dataDir })
      return database
    },
    dispose: async () => {
      await database.close().catch(() => undefined)
      await adminQuery(baseUrl, `drop database if exists ${name} with (force)`)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

export type SeededProject = {
  projectId: string
  assetId: string
  admin: SyncUser
  lead: SyncUser
  reviewer: SyncUser
  annotator: SyncUser
  otherAnnotator: SyncUser
  outsider: SyncUser
}

/** A project with one asset and one user per role, plus an admin and a non-member. */
export async function seedProject(database: Database): Promise<SeededProject> {
  const make = (name: string, isAdmin = false): SyncUser & { email: string; name: string } => ({
    id: newId(8),
    name,
    email: `${name}-${newId(4)}@example.com`.toLowerCase(),
    isAdmin,
  })
  const people = {
    admin: make('admin', true),
    lead: make('lead'),
    reviewer: make('reviewer'),
    annotator: make('annotator'),
    otherAnnotator: make('other'),
    outsider: make('outsider'),
  }
  const db = database.db
  await db
    .insert(users)
    .values(Object.values(people).map((u) => ({ ...u, passwordHash: 'not-a-real-hash' })))
  const projectId = newId(8)
  await db.insert(projects).values({ id: projectId, name: 'Sync test', createdBy: people.lead.id })
  await db.insert(projectMembers).values([
    { projectId, userId: people.lead.id, role: 'lead' },
    { projectId, userId: people.reviewer.id, role: 'reviewer' },
    { projectId, userId: people.annotator.id, role: 'annotator' },
    { projectId, userId: people.otherAnnotator.id, role: 'annotator' },
  ])
  const assetId = await addAsset(database, projectId)
  return { projectId, assetId, ...people }
}

/** Adds an asset row (no blob: the sync server never reads image bytes). */
export async function addAsset(database: Database, projectId: string): Promise<string> {
  const assetId = newId(8)
  await database.db.insert(assets).values({
    id: assetId,
    projectId,
    fileName: `${assetId}.jpg`,
    blobHash: 'no-blob',
    mediaType: 'image/jpeg',
    byteSize: 1,
    width: 640,
    height: 480,
  })
  return assetId
}

/**
 * Authentication for tests about sync alone: `?token=<userId>` names the user directly. Tests of
 * real sign-in go through the REST API instead.
 */
export function stubAuthenticate(people: SyncUser[]) {
  const byId = new Map(people.map((p) => [p.id, p]))
  return async (_headers: unknown, url: string): Promise<SyncUser | null> => {
    const token = new URL(url, 'http://localhost').searchParams.get('token')
    return (token && byId.get(token)) || null
  }
}

/** How many entries a document's update log holds now. */
export async function countLogEntries(database: Database, name: string): Promise<number> {
  const [row] = await database.db
    .select({ n: count() })
    .from(documentUpdates)
    .where(eq(documentUpdates.documentName, name))
  return row?.n ?? 0
}
