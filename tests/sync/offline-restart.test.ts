import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addRegion, readRegions, updateRegion } from '@concord/shared'
import { countLogEntries, testDatabaseKinds } from '@concord/server/sync/testing/fixtures'
import {
  connectClient,
  sameState,
  startSyncHarness,
  waitFor,
  type SyncClient,
  type SyncHarness,
} from '../support/sync-harness.ts'

const box = (x: number) => ({ x, y: 5, w: 10, h: 10 })

describe.each(testDatabaseKinds())('offline edits and restarts on $kind', (kind) => {
  let harness: SyncHarness
  let room: string
  let clients: SyncClient[] = []

  beforeEach(async () => {
    harness = await startSyncHarness(kind)
    room = `${harness.seed.assetId}:consensus`
  })
  afterEach(async () => {
    for (const client of clients) client.destroy()
    clients = []
    await harness.close()
  })

  const connect = (person: { id: string }) => {
    const client = connectClient(harness, room, person)
    clients.push(client)
    return client
  }

  it('merges edits made offline with concurrent edits when the client reconnects', async () => {
    const a = connect(harness.seed.lead)
    const b = connect(harness.seed.reviewer)
    await Promise.all([a.synced(), b.synced()])
    addRegion(a.doc, { id: 'shared', kind: 'bbox', labelId: 'car', geometry: box(1) }, 'a')
    await waitFor(() => readRegions(b.doc).length === 1, 'shared region reaches b')

    a.provider.disconnect()
    updateRegion(a.doc, 'shared', { labelId: 'truck' }, 'a')
    addRegion(a.doc, { id: 'from-a', kind: 'point', labelId: 'eye', geometry: { x: 1, y: 1 } }, 'a')
    updateRegion(b.doc, 'shared', { geometry: box(99) }, 'b')
    addRegion(b.doc, { id: 'from-b', kind: 'point', labelId: 'eye', geometry: { x: 2, y: 2 } }, 'b')
    await waitFor(() => b.isSaved(), 'b saved while a is offline')
    expect(a.isSaved()).toBe(false)

    a.provider.connect()
    await waitFor(() => sameState(a.doc, b.doc) && a.isSaved(), 'a and b converge, a saved')
    const regions = readRegions(a.doc)
    expect(regions.map((r) => r.id)).toEqual(['from-a', 'from-b', 'shared'])
    expect(regions.find((r) => r.id === 'shared')).toMatchObject({
      labelId: 'truck',
      geometry: box(99),
    })
    expect(readRegions(b.doc)).toEqual(regions)
    expect(await harness.sync.documents.read(room, readRegions)).toEqual(regions)
  })

  it('keeps every saved edit across a server restart and merges edits made while it was down', async () => {
    const a = connect(harness.seed.lead)
    const b = connect(harness.seed.annotator)
    await Promise.all([a.synced(), b.synced()])
    for (let i = 0; i < 10; i++) {
      addRegion(a.doc, { id: `a${i}`, kind: 'bbox', labelId: 'car', geometry: box(i) }, 'a')
      addRegion(b.doc, { id: `b${i}`, kind: 'bbox', labelId: 'bus', geometry: box(i) }, 'b')
    }
    await waitFor(() => a.isSaved() && b.isSaved(), 'both saved')

    const restarting = harness.restart()
    addRegion(
      a.doc,
      { id: 'during-restart', kind: 'point', labelId: 'x', geometry: { x: 1, y: 1 } },
      'a',
    )
    await restarting
    expect(harness.sync.loadedDocuments()).toEqual([])

    await waitFor(() => a.isSaved() && sameState(a.doc, b.doc), 'reconnected, converged, saved')
    const late = connect(harness.seed.admin)
    await late.synced()
    const regions = readRegions(late.doc)
    expect(regions).toHaveLength(21)
    expect(regions).toEqual(readRegions(a.doc))
    expect(await harness.sync.documents.read(room, readRegions)).toEqual(regions)
  })

  it('gives a client joining a cold document everything stored by the time it says synced', async () => {
    const writer = connect(harness.seed.lead)
    await writer.synced()
    const add = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const geometry = { x: i, y: 1 }
        addRegion(writer.doc, { id: `r${i}`, kind: 'point', labelId: 'x', geometry }, 'w')
      }
    }
    // Enough edits for a compaction into the snapshot, then more that stay in the log after it.
    add(0, 600)
    await waitFor(() => writer.isSaved(), 'the first edits saved', 20_000)
    await harness.sync.documents.flush()
    add(600, 640)
    await waitFor(() => writer.isSaved(), 'the later edits saved', 20_000)
    expect(await countLogEntries(harness.test.database, room)).toBeGreaterThan(0)
    writer.destroy()
    await harness.restart()

    const reader = connect(harness.seed.reviewer)
    const seenAtSync = new Promise<number>((resolve) =>
      reader.provider.once('sync', () => resolve(readRegions(reader.doc).length)),
    )
    expect(await seenAtSync).toBe(640)
  })
})
