import { count, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addRegion, getMeta, readRegions, updateRegion } from '@concord/shared'
import type { Config } from '../config.ts'
import { documentUpdates, documents, regions } from '../db/schema.ts'
import { logger } from '../lib/logger.ts'
import { createSyncServer, type SyncServer } from './index.ts'
import { COMPACT_AFTER_ENTRIES } from './live-document.ts'
import { DocumentRegistry } from './registry.ts'
import { describeDocument } from './persistence.ts'
import {
  addAsset,
  seedProject,
  stubAuthenticate,
  testDatabaseKinds,
  type SeededProject,
  type TestDatabase,
} from './testing/fixtures.ts'

const config = {} as Config

describe.each(testDatabaseKinds())('document persistence on $kind', ({ open }) => {
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
  const logLength = async () => {
    const [row] = await test.database.db
      .select({ n: count() })
      .from(documentUpdates)
      .where(eq(documentUpdates.documentName, name))
    return row?.n ?? 0
  }

  it('creates the document row on first open and writes meta', async () => {
    const meta = await sync.documents.read(name, (doc) => getMeta(doc).toJSON())
    expect(meta).toMatchObject({ assetId: seed.assetId, layer: 'consensus' })
    const rows = await test.database.db.select().from(documents).where(eq(documents.name, name))
    expect(rows).toHaveLength(1)
  })

  it('appends each edit to the log and loads it back after a restart', async () => {
    await sync.documents.transact(name, (doc) => {
      addRegion(doc, { id: 'r1', kind: 'bbox', labelId: 'car', geometry: box(1) }, 'u1')
    })
    await sync.documents.transact(name, (doc) => {
      updateRegion(doc, 'r1', { labelId: 'truck' }, 'u2')
    })
    expect(await logLength()).toBeGreaterThanOrEqual(2)

    await sync.close()
    await test.reopen()
    sync = start()
    const loaded = await sync.documents.read(name, readRegions)
    expect(loaded).toHaveLength(1)
    expect(loaded[0]).toMatchObject({ id: 'r1', labelId: 'truck', geometry: box(1) })
  })

  it('projects regions into SQL rows on flush, replacing the previous projection', async () => {
    await sync.documents.transact(name, (doc) => {
      addRegion(doc, { id: 'a', kind: 'bbox', labelId: 'car', geometry: box(1) }, 'u1')
      addRegion(doc, { id: 'b', kind: 'point', labelId: 'eye', geometry: { x: 3, y: 4 } }, 'u1')
    })
    await sync.documents.transact(name, (doc) => doc.getMap('regions').delete('a'))
    await sync.documents.flush(name)
    const rows = await test.database.db.select().from(regions).where(eq(regions.documentName, name))
    expect(rows.map((r) => [r.regionId, r.kind, r.projectId, r.layer])).toEqual([
      ['b', 'point', seed.projectId, 'consensus'],
    ])
  })

  it('compacts a long log into the snapshot and keeps every edit', async () => {
    const edits = COMPACT_AFTER_ENTRIES + 50
    await Promise.all(
      Array.from({ length: edits }, (_, i) =>
        sync.documents.transact(name, (doc) => {
          addRegion(doc, { id: `r${i}`, kind: 'bbox', labelId: 'car', geometry: box(i) }, 'u1')
        }),
      ),
    )
    await sync.documents.flush()
    const [row] = await test.database.db.select().from(documents).where(eq(documents.name, name))
    expect(row?.snapshot).toBeInstanceOf(Uint8Array)
    expect(row?.snapshotSeq).toBeGreaterThan(0)
    expect(await logLength()).toBeLessThan(COMPACT_AFTER_ENTRIES)

    await sync.close()
    await test.reopen()
    sync = start()
    const loaded = await sync.documents.read(name, readRegions)
    expect(loaded).toHaveLength(edits)
    expect(loaded.find((r) => r.id === `r${edits - 1}`)?.geometry).toEqual(box(edits - 1))
  })

  it('shares one load between concurrent opens of one document', async () => {
    const registry = new DocumentRegistry(test.database, logger)
    const info = await describeDocument(test.database.db, name)
    if (!info) throw new Error('document not described')
    const opened = await Promise.all([1, 2, 3, 4].map(() => registry.acquire(info)))
    expect(new Set(opened).size).toBe(1)
    expect(opened[0]?.holds).toBe(4)
    for (const live of opened) registry.release(live)
    await registry.closeAll()
  })

  it('unloads a document without clients once it is saved', async () => {
    await sync.documents.transact(name, (doc) => {
      addRegion(doc, { id: 'z', kind: 'bbox', labelId: 'car', geometry: box(5) }, 'u1')
    })
    await expect.poll(() => sync.loadedDocuments(), { timeout: 5_000 }).toEqual([])
    // Edits made on a later load must apply to the stored state, not to a stale copy.
    await sync.documents.transact(name, (doc) => updateRegion(doc, 'z', { labelId: 'bus' }, 'u1'))
    await sync.close()
    await test.reopen()
    sync = start()
    const stored = await sync.documents.read(name, readRegions)
    expect(stored.map((r) => r.labelId)).toEqual(['bus'])
  })

  it('refuses transact on a document whose asset does not exist', async () => {
    await expect(sync.documents.transact('nope:consensus', () => undefined)).rejects.toThrow(
      /No such document/,
    )
  })

  it('rebuilds an identical document from snapshot and log', async () => {
    await sync.documents.transact(name, (doc) => {
      for (let i = 0; i < 20; i++) {
        addRegion(doc, { id: `p${i}`, kind: 'point', labelId: 'x', geometry: { x: i, y: i } }, 'u')
      }
    })
    const before = await sync.documents.read(name, (doc) => Y.encodeStateVector(doc))
    await sync.close()
    await test.reopen()
    sync = start()
    const after = await sync.documents.read(name, (doc) => Y.encodeStateVector(doc))
    expect(Y.decodeStateVector(after)).toEqual(Y.decodeStateVector(before))
  })

  it('appends to unloaded documents in bulk: merged on load, projected in the background', async () => {
    await sync.documents.transact(name, (doc) => {
      addRegion(doc, { id: 'old', kind: 'bbox', labelId: 'car', geometry: box(1) }, 'u')
    })
    const other = `${await addAsset(test.database, seed.projectId)}:consensus`
    await sync.close()
    sync = start()
    const addBox = (id: string) => (doc: Y.Doc) =>
      void addRegion(doc, { id, kind: 'bbox', labelId: 'bus', geometry: box(2) }, 'u')
    await sync.documents.writeMany([name, other], (_tx, write) =>
      write([
        { name, clear: false, edit: addBox('new') },
        { name: other, clear: false, edit: addBox('elsewhere') },
      ]),
    )
    expect(sync.loadedDocuments()).toEqual([])
    await sync.documents.projected()
    const projected = await test.database.db
      .select({ id: regions.regionId })
      .from(regions)
      .where(eq(regions.documentName, name))
    expect(projected.map((r) => r.id).sort()).toEqual(['new', 'old'])
    const loaded = await sync.documents.read(name, (doc) => readRegions(doc).map((r) => r.id))
    expect(loaded).toEqual(['new', 'old'])
    const there = await sync.documents.read(other, (doc) => readRegions(doc).map((r) => r.id))
    expect(there).toEqual(['elsewhere'])
  })

  it('appends to a loaded document as a live edit', async () => {
    // Hold the document loaded, as a connected client would, while the append runs.
    let release = () => {}
    const held = new Promise<Y.Doc>((resolve) => {
      void sync.documents.read(name, (doc) => {
        resolve(doc)
        return new Promise<void>((done) => (release = done))
      })
    })
    const doc = await held
    await sync.documents.writeMany([name], (_tx, write) =>
      write([
        {
          name,
          clear: false,
          edit: (d) =>
            void addRegion(
              d,
              { id: 'b', kind: 'point', labelId: 'x', geometry: { x: 2, y: 2 } },
              'u',
            ),
        },
      ]),
    )
    expect(readRegions(doc).map((r) => r.id)).toEqual(['b'])
    expect(await logLength()).toBeGreaterThan(0)
    release()
  })
})
