import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { addRegion, CLOSE_CODES, MESSAGE_SYNC, readRegions } from '@concord/shared'
import { projectMembers } from '@concord/server/db/schema'
import { countLogEntries, testDatabaseKinds } from '@concord/server/sync/testing/fixtures'
import { and, eq } from 'drizzle-orm'
import {
  connectClient,
  startSyncHarness,
  waitFor,
  type SyncClient,
  type SyncHarness,
} from '../support/sync-harness.ts'

type RawSocket = { ws: WebSocket; closed: Promise<{ code: number; reason: string }> }

function openRaw(harness: SyncHarness, room: string, query: string): RawSocket {
  const ws = new WebSocket(`${harness.serverUrl}/${room}${query}`)
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  ws.on('error', () => undefined)
  return { ws, closed }
}

async function opened(socket: RawSocket): Promise<void> {
  if (socket.ws.readyState === WebSocket.OPEN) return
  await new Promise((resolve) => socket.ws.once('open', resolve))
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

function regionUpdate(id: string): Uint8Array {
  const doc = new Y.Doc()
  addRegion(doc, { id, kind: 'bbox', labelId: 'car', geometry: { x: 1, y: 2, w: 3, h: 4 } }, 'x')
  return Y.encodeStateAsUpdate(doc)
}

describe.each(testDatabaseKinds())('sync refusals on $kind', (kind) => {
  let harness: SyncHarness
  let room: string
  let bystander: SyncClient
  let watcher: SyncClient
  let edits = 0

  beforeAll(async () => {
    harness = await startSyncHarness(kind)
    room = `${harness.seed.assetId}:consensus`
    bystander = connectClient(harness, room, harness.seed.lead)
    watcher = connectClient(harness, room, harness.seed.reviewer)
    await Promise.all([bystander.synced(), watcher.synced()])
  })

  afterAll(async () => {
    bystander.destroy()
    watcher.destroy()
    await harness.close()
  })

  /** The bystander's edits still reach the watcher and the server, and are saved. */
  async function expectBystanderUndisturbed(): Promise<void> {
    const id = `ok-${++edits}`
    addRegion(
      bystander.doc,
      { id, kind: 'point', labelId: 'eye', geometry: { x: edits, y: 1 } },
      'b',
    )
    await waitFor(() => readRegions(watcher.doc).some((r) => r.id === id), 'edit reaches watcher')
    await waitFor(() => bystander.isSaved(), 'bystander saved')
    expect(bystander.provider.wsconnected).toBe(true)
    const stored = await harness.sync.documents.read(room, readRegions)
    expect(stored.map((r) => r.id).sort()).toEqual(
      Array.from({ length: edits }, (_, i) => `ok-${i + 1}`).sort(),
    )
  }

  it('closes a socket without a token with 4001', async () => {
    const socket = openRaw(harness, room, '')
    expect((await socket.closed).code).toBe(CLOSE_CODES.unauthenticated)
    await expectBystanderUndisturbed()
  })

  it('closes a socket with a wrong token with 4001', async () => {
    const socket = openRaw(harness, room, '?token=not-a-user')
    expect((await socket.closed).code).toBe(CLOSE_CODES.unauthenticated)
    await expectBystanderUndisturbed()
  })

  it("closes an annotator opening another annotator's layer with 4003", async () => {
    const other = `${harness.seed.assetId}:annotator:${harness.seed.otherAnnotator.id}`
    const socket = openRaw(harness, other, `?token=${harness.seed.annotator.id}`)
    expect((await socket.closed).code).toBe(CLOSE_CODES.forbidden)
  })

  it('closes a non-member with 4003', async () => {
    const socket = openRaw(harness, room, `?token=${harness.seed.outsider.id}`)
    expect((await socket.closed).code).toBe(CLOSE_CODES.forbidden)
    await expectBystanderUndisturbed()
  })

  it('closes an unknown document with 4004', async () => {
    const socket = openRaw(harness, 'no-such-asset:consensus', `?token=${harness.seed.admin.id}`)
    expect((await socket.closed).code).toBe(CLOSE_CODES.notFound)
    const garbage = openRaw(harness, 'not%20a%20document', `?token=${harness.seed.admin.id}`)
    expect((await garbage.closed).code).toBe(CLOSE_CODES.notFound)
  })

  it('lets an annotator read model pre-labels but closes them with 4003 when they write', async () => {
    const modelRoom = `${harness.seed.assetId}:model:run1`
    await harness.sync.documents.transact(modelRoom, (doc) => {
      addRegion(
        doc,
        { id: 'pre', kind: 'bbox', labelId: 'car', geometry: { x: 0, y: 0, w: 5, h: 5 } },
        'model',
      )
    })
    const reader = connectClient(harness, modelRoom, harness.seed.annotator)
    try {
      await reader.synced()
      expect(readRegions(reader.doc).map((r) => r.id)).toEqual(['pre'])
      const closed = new Promise<number>((resolve) =>
        reader.provider.on('connection-close', (event) => resolve(event?.code ?? 0)),
      )
      addRegion(
        reader.doc,
        { id: 'sneaky', kind: 'point', labelId: 'x', geometry: { x: 1, y: 1 } },
        'a',
      )
      expect(await closed).toBe(CLOSE_CODES.forbidden)
    } finally {
      reader.destroy()
    }
    const stored = await harness.sync.documents.read(modelRoom, readRegions)
    expect(stored.map((r) => r.id)).toEqual(['pre'])
    await expectBystanderUndisturbed()
  })

  it('closes a malformed message with 4400 and stores nothing', async () => {
    const before = await logLength(harness, room)
    const socket = openRaw(harness, room, `?token=${harness.seed.lead.id}`)
    await opened(socket)
    socket.ws.send(new Uint8Array([MESSAGE_SYNC, syncProtocol.messageYjsUpdate, 200]))
    expect((await socket.closed).code).toBe(CLOSE_CODES.malformedMessage)
    const unknownType = openRaw(harness, room, `?token=${harness.seed.lead.id}`)
    await opened(unknownType)
    unknownType.ws.send(new Uint8Array([42, 1, 2, 3]))
    expect((await unknownType.closed).code).toBe(CLOSE_CODES.malformedMessage)
    await harness.sync.documents.flush(room)
    expect(await logLength(harness, room)).toBe(before)
    await expectBystanderUndisturbed()
  })

  it('closes an update that does not decode with 4422 and stores nothing', async () => {
    const before = await logLength(harness, room)
    const socket = openRaw(harness, room, `?token=${harness.seed.lead.id}`)
    await opened(socket)
    const update = regionUpdate('broken')
    socket.ws.send(syncUpdateMessage(update.slice(0, Math.floor(update.length / 2))))
    expect((await socket.closed).code).toBe(CLOSE_CODES.updateRejected)
    await harness.sync.documents.flush(room)
    expect(await logLength(harness, room)).toBe(before)
    const stored = await harness.sync.documents.read(room, readRegions)
    expect(stored.some((r) => r.id === 'broken')).toBe(false)
    await expectBystanderUndisturbed()
  })

  it('closes a message over the size limit with 4413', async () => {
    const socket = openRaw(harness, room, `?token=${harness.seed.lead.id}`)
    await opened(socket)
    socket.ws.send(new Uint8Array(17 * 1024 * 1024))
    expect((await socket.closed).code).toBe(CLOSE_CODES.tooLarge)
    await expectBystanderUndisturbed()
  })

  it('closes an open connection once its user is no longer a member', async () => {
    const person = harness.seed.otherAnnotator
    const socket = openRaw(harness, room, `?token=${person.id}`)
    await opened(socket)
    const db = harness.test.database.db
    const membership = and(
      eq(projectMembers.projectId, harness.seed.projectId),
      eq(projectMembers.userId, person.id),
    )
    const [row] = await db.select().from(projectMembers).where(membership)
    await db.delete(projectMembers).where(membership)
    try {
      await harness.sync.recheckAccess()
      expect((await socket.closed).code).toBe(CLOSE_CODES.forbidden)
      await expectBystanderUndisturbed()
    } finally {
      if (row) await db.insert(projectMembers).values(row)
    }
  })
})

function logLength(harness: SyncHarness, room: string): Promise<number> {
  return countLogEntries(harness.test.database, room)
}
