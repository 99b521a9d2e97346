import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  addRegion,
  deleteRegion,
  getRegionsMap,
  MESSAGE_SAVED,
  updateRegion,
} from '@concord/shared'
import type { Config } from '@concord/server/config'
import { logger } from '@concord/server/lib/logger'
import { createSyncServer, type SyncServer, type SyncUser } from '@concord/server/sync/index'
import {
  seedProject,
  stubAuthenticate,
  type DatabaseKind,
  type SeededProject,
  type TestDatabase,
} from '@concord/server/sync/testing/fixtures'

/**
 * An in-process sync server on a real port, over a real database, with users authenticated by a
 * stub (`?token=<userId>`): for tests about sync alone. The REST side is not involved.
 */
export type SyncHarness = {
  /** `ws://127.0.0.1:<port>/sync`, the `serverUrl` for `WebsocketProvider`. */
  serverUrl: string
  seed: SeededProject
  test: TestDatabase
  sync: SyncServer
  /** Closes the server (flushing it) and starts a new one on the same database and port. */
  restart(): Promise<void>
  close(): Promise<void>
}

export async function startSyncHarness(kind: DatabaseKind): Promise<SyncHarness> {
  const test = await kind.open()
  const seed = await seedProject(test.database)
  const people = [
    seed.admin,
    seed.lead,
    seed.reviewer,
    seed.annotator,
    seed.otherAnnotator,
    seed.outsider,
  ]

  const listen = async (port: number) => {
    const sync = createSyncServer({
      config: {} as Config,
      database: test.database,
      logger,
      authenticate: stubAuthenticate(people),
    })
    const server = createServer((_req, res) => res.writeHead(404).end())
    server.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head))
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return { sync, server }
  }
  let running = await listen(0)
  const port = (running.server.address() as AddressInfo).port
  const stop = async (current: { sync: SyncServer; server: Server }) => {
    current.server.close()
    await current.sync.close()
    current.server.closeAllConnections()
  }

  const harness: SyncHarness = {
    serverUrl: `ws://127.0.0.1:${port}/sync`,
    seed,
    test,
    get sync() {
      return running.sync
    },
    restart: async () => {
      await stop(running)
      await test.reopen()
      running = await listen(port)
    },
    close: async () => {
      await stop(running)
      await test.dispose()
    },
  }
  return harness
}

/** A y-websocket client in Node that tracks what the server reported saved. */
export type SyncClient = {
  doc: Y.Doc
  provider: WebsocketProvider
  /** The latest `MESSAGE_SAVED` state vector, or null before the first. */
  saved(): Map<number, number> | null
  /** Whether every local edit of this client is durable on the server. */
  isSaved(): boolean
  synced(): Promise<void>
  destroy(): void
}

export function connectClient(
  harness: { serverUrl: string },
  room: string,
  user: SyncUser | { id: string },
  options: { connect?: boolean; token?: string } = {},
): SyncClient {
  const doc = new Y.Doc()
  let savedVector: Map<number, number> | null = null
  const provider = new WebsocketProvider(harness.serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: options.token ?? user.id, saved: '1' },
    // In one process, clients would otherwise talk over BroadcastChannel and bypass the server.
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  })
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    savedVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
  }
  return {
    doc,
    provider,
    saved: () => savedVector,
    isSaved: () => {
      const own = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0
      return own === 0 || (savedVector?.get(doc.clientID) ?? 0) >= own
    },
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : new Promise((resolve) => provider.once('sync', () => resolve())),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Waits until `check` holds, polling; fails with `message` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Whether two state vectors name the same clocks. */
export function sameState(a: Y.Doc | Uint8Array, b: Y.Doc | Uint8Array): boolean {
  const vector = (x: Y.Doc | Uint8Array) =>
    Y.decodeStateVector(x instanceof Y.Doc ? Y.encodeStateVector(x) : x)
  const va = vector(a)
  const vb = vector(b)
  if (va.size !== vb.size) return false
  for (const [client, clock] of va) if (vb.get(client) !== clock) return false
  return true
}

/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function createRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('pick from an empty list')
      return item
    },
  }
}

const LABELS = ['car', 'person', 'bike', 'dog'] as const

/** One random edit through the shared accessors: add, move, relabel or delete a region. */
export function editAtRandom(
  doc: Y.Doc,
  by: string,
  random: ReturnType<typeof createRandom>,
  tag: string,
): void {
  const ids = [...getRegionsMap(doc).keys()].sort()
  const roll = random.next()
  if (ids.length === 0 || roll < 0.35) {
    const x = random.int(600)
    const y = random.int(400)
    addRegion(
      doc,
      {
        id: `r${tag}`,
        kind: 'bbox',
        labelId: random.pick(LABELS),
        geometry: { x, y, w: 20, h: 20 },
      },
      by,
    )
    return
  }
  const id = random.pick(ids)
  if (roll < 0.65) {
    const geometry = {
      x: random.int(600),
      y: random.int(400),
      w: 1 + random.int(50),
      h: 1 + random.int(50),
    }
    updateRegion(doc, id, { geometry }, by)
  } else if (roll < 0.85) {
    updateRegion(doc, id, { labelId: random.pick(LABELS) }, by)
  } else {
    deleteRegion(doc, id)
  }
}
