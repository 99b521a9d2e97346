import { count, eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addRegion, getTagsMap, readRegions } from '@concord/shared'
import type { Config } from '../config.ts'
import { assets, documentUpdates, documents, regions } from '../db/schema.ts'
import { logger } from '../lib/logger.ts'
import type { BulkEdit } from './bulk-write.ts'
import { createSyncServer, type SyncServer } from './index.ts'
import {
  addAsset,
  seedProject,
  stubAuthenticate,
  testDatabaseKinds,
  type SeededProject,
  type TestDatabase,
} from './testing/fixtures.ts'

const config = {} as Config

describe.each(testDatabaseKinds())('bulk writes on $kind', ({ open }) => {
  let test: TestDatabase
  let seed: SeededProject
  let sync: SyncServer
  let name: string

  const start = () =>
    createSyncServer({
      config,
      database: test.database,
      logger,
      authenticate: stubAuthenticate([seed.admin]),
    })

  beforeEach(async () => {
    test = await open()
    seed = await seedProject(test.database)
    name = `${seed.assetId}:consensus`
    sync = start()
  })

  afterEach(async () => {
    await sync.close()
    await test.dispose()
  })

  const box = (x: number) => ({ x, y: 10, w: 20, h: 30 })
  const adding =
    (id: string, clear = false) =>
    (doc: string): BulkEdit => ({
      name: doc,
      clear,
      edit: (d: Y.Doc) =>
        void addRegion(d, { id, kind: 'bbox', labelId: 'car', geometry: box(1) }, 'u'),
    })
  const rowsOf = async (doc: string) =>
    (
      await test.database.db
        .select({ id: regions.regionId })
        .from(regions)
        .where(eq(regions.documentName, doc))
    )
      .map((r) => r.id)
      .sort()
  const logLength = async (doc: string) => {
    const [row] = await test.database.db
      .select({ n: count() })
      .from(documentUpdates)
      .where(eq(documentUpdates.documentName, doc))
    return row?.n ?? 0
  }

  it('is all or nothing: a failure after some chunks leaves no entry, row or asset', async () => {
    const other = `${await addAsset(test.database, seed.projectId)}:consensus`
    const failing = sync.documents.writeMany([name, other], async (tx, write) => {
      await tx.insert(assets).values({
        id: 'bulk-asset',
        projectId: seed.projectId,
        fileName: 'added-by-the-write.jpg',
        blobHash: 'x',
        mediaType: 'image/jpeg',
        byteSize: 1,
        width: 10,
        height: 10,
      })
      await write([adding('a')(name)])
      await write([adding('b')(other)])
      throw new Error('the process died here')
    })
    await expect(failing).rejects.toThrow('the process died here')
    await sync.documents.projected()
    expect(await logLength(name)).toBe(0)
    expect(await logLength(other)).toBe(0)
    expect(await rowsOf(name)).toEqual([])
    const added = await test.database.db.select().from(assets).where(eq(assets.id, 'bulk-asset'))
    expect(added).toEqual([])
    const reloaded = await sync.documents.read(name, (doc) => readRegions(doc))
    expect(reloaded).toEqual([])
  })

  it('gives a loaded document the committed entry live, without appending it again', async () => {
    let release = () => {}
    const held = new Promise<Y.Doc>((resolve) => {
      void sync.documents.read(name, (doc) => {
        resolve(doc)
        return new Promise<void>((done) => (release = done))
      })
    })
    const doc = await held
    // Opening writes the document's meta: let that reach the log first.
    await sync.documents.flush(name)
    const before = await logLength(name)
    await sync.documents.writeMany([name], (_tx, write) => write([adding('live')(name)]))
    expect(readRegions(doc).map((r) => r.id)).toEqual(['live'])
    await sync.documents.flush(name)
    expect(await logLength(name)).toBe(before + 1)
    expect(await rowsOf(name)).toEqual(['live'])
    release()
  })

  it('replaces an unloaded document from its stored state, regions and tags, and compacts it', async () => {
    await sync.documents.transact(name, (doc) => {
      addRegion(doc, { id: 'old', kind: 'bbox', labelId: 'car', geometry: box(1) }, 'u')
      getTagsMap(doc).set('outdoor', true)
    })
    await sync.close()
    sync = start()
    expect(await logLength(name)).toBeGreaterThan(0)
    await sync.documents.writeMany([name], (_tx, write) => write([adding('new', true)(name)]))
    expect(sync.loadedDocuments()).toEqual([])
    // The state read to clear it is stored whole as the snapshot: no log left to replay.
    expect(await logLength(name)).toBe(0)
    await sync.documents.projected()
    expect(await rowsOf(name)).toEqual(['new'])
    const [row] = await test.database.db
      .select({ tags: documents.tags })
      .from(documents)
      .where(eq(documents.name, name))
    expect(row?.tags).toEqual([])
    const loaded = await sync.documents.read(name, (doc) => readRegions(doc).map((r) => r.id))
    expect(loaded).toEqual(['new'])
  })

  it('stores a new document whole as its snapshot, and an opened one as a log entry', async () => {
    const fresh = `${await addAsset(test.database, seed.projectId)}:consensus`
    await sync.documents.read(name, () => undefined)
    await sync.documents.flush(name)
    await sync.close()
    sync = start()
    const logBefore = await logLength(name)
    await sync.documents.writeMany([name, fresh], (_tx, write) =>
      write([adding('to-open')(name), adding('to-new')(fresh)]),
    )
    expect(await logLength(fresh)).toBe(0)
    expect(await logLength(name)).toBe(logBefore + 1)
    const [row] = await test.database.db
      .select({ snapshot: documents.snapshot })
      .from(documents)
      .where(eq(documents.name, fresh))
    expect(row?.snapshot).toBeInstanceOf(Uint8Array)
    const ids = await sync.documents.read(fresh, (doc) => readRegions(doc).map((r) => r.id))
    expect(ids).toEqual(['to-new'])
    const opened = await sync.documents.read(name, (doc) => readRegions(doc).map((r) => r.id))
    expect(opened).toEqual(['to-open'])
  })

  it('projects on start-up what a crash left pending after the commit', async () => {
    const other = `${await addAsset(test.database, seed.projectId)}:consensus`
    await sync.documents.writeMany([other], (_tx, write) => write([adding('kept')(other)]))
    await sync.close()
    // As if the process died between the commit and the background projection.
    await test.database.db.delete(regions).where(eq(regions.documentName, other))
    await test.database.db
      .update(documents)
      .set({ pendingProjections: sql`${documents.pendingProjections} + 1` })
      .where(eq(documents.name, other))
    sync = start()
    await sync.documents.projected()
    expect(await rowsOf(other)).toEqual(['kept'])
    const [row] = await test.database.db
      .select({ pending: documents.pendingProjections })
      .from(documents)
      .where(eq(documents.name, other))
    expect(row?.pending).toBe(0)
    expect(sync.loadedDocuments()).toEqual([])
  })
})
