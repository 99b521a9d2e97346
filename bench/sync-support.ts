import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as decoding from 'lib0/decoding'
import WebSocket, { WebSocketServer } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MESSAGE_SAVED } from '@concord/shared'
import type { Config } from '@concord/server/config'
import { logger } from '@concord/server/lib/logger'
import { createSyncServer, type SyncServer } from '@concord/server/sync/index'
import {
  seedProject,
  stubAuthenticate,
  testDatabaseKinds,
  type SeededProject,
  type TestDatabase,
} from '@concord/server/sync/testing/fixtures'

/** Shared set-up for the sync benchmarks: Concord and the reference server on real ports. */

// Connection logs would cost time inside the measurement and bury the figures.
logger.level = 'silent'

export type Concord = {
  serverUrl: string
  room: string
  token: string
  seed: SeededProject
  sync: SyncServer
  test: TestDatabase
  /** Starts a fresh sync server over the same database (a cold process). */
  restart(): Promise<void>
  close(): Promise<void>
}

export async function startConcord(): Promise<Concord> {
  const kind = testDatabaseKinds()[0]
  if (!kind) throw new Error('no database')
  const test = await kind.open()
  const seed = await seedProject(test.database)
  const start = async (port: number) => {
    const sync = createSyncServer({
      config: {} as Config,
      database: test.database,
      logger,
      authenticate: stubAuthenticate([seed.admin]),
    })
    const server = createServer((_req, res) => res.writeHead(404).end())
    server.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head))
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return { sync, server }
  }
  let running = await start(0)
  const port = (running.server.address() as AddressInfo).port
  const stop = async () => {
    running.server.close()
    await running.sync.close()
    running.server.closeAllConnections()
  }
  return {
    serverUrl: `ws://127.0.0.1:${port}/sync`,
    room: `${seed.assetId}:consensus`,
    token: seed.admin.id,
    seed,
    test,
    get sync() {
      return running.sync
    },
    restart: async () => {
      await stop()
      await test.reopen()
      running = await start(port)
    },
    close: async () => {
      await stop()
      await test.dispose()
    },
  }
}

/** The reference: `@y/websocket-server`'s `setupWSConnection`, in memory, on its own port. */
export async function startReference(): Promise<{ serverUrl: string; close(): Promise<void> }> {
  const { setupWSConnection } = await import('@y/websocket-server/utils')
  const wss = new WebSocketServer({ noServer: true })
  wss.on('connection', (ws, req) => setupWSConnection(ws, req))
  const server: Server = createServer((_req, res) => res.writeHead(404).end())
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    serverUrl: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      server.close()
      server.closeAllConnections()
    },
  }
}

export type BenchClient = {
  doc: Y.Doc
  provider: WebsocketProvider
  savedClock(): number
}

export function connect(
  serverUrl: string,
  room: string,
  params: Record<string, string>,
): BenchClient {
  const doc = new Y.Doc()
  let saved = 0
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  })
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    saved = Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(doc.clientID) ?? 0
  }
  return { doc, provider, savedClock: () => saved }
}

export function whenSynced(client: BenchClient): Promise<void> {
  if (client.provider.synced) return Promise.resolve()
  return new Promise((resolve) => client.provider.once('sync', () => resolve()))
}

/** p50 and p99 of samples in milliseconds, rounded to 0.01 ms. */
export function percentiles(samples: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
  const round = (x: number) => Math.round(x * 100) / 100
  return { p50: round(at(0.5)), p99: round(at(0.99)), n: sorted.length }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
