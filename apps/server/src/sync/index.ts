import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import * as Y from 'yjs'
import { CLOSE_CODES, readRegions, readTags, type CloseReason } from '@concord/shared'
import type { Config } from '../config.ts'
import type { Database } from '../db/client.ts'
import { AppError } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import { resolveDocumentAccess, type SyncUser } from './access.ts'
import { Connection, MAX_MESSAGE_BYTES } from './connection.ts'
import type { DocumentStore } from './document-store.ts'
import type { LiveDocument } from './live-document.ts'
import { appendToUnloaded, describeDocument, describeDocuments } from './persistence.ts'
import { DocumentRegistry } from './registry.ts'

export type { SyncUser } from './access.ts'

export type SyncServerOptions = {
  config: Config
  database: Database
  logger: Logger
  /** Who opened the socket, from the session cookie or `?token=`; null when nobody. */
  authenticate: (headers: IncomingHttpHeaders, url: string) => Promise<SyncUser | null>
}

export type SyncServer = {
  documents: DocumentStore
  /** Handles an HTTP upgrade; paths other than `/sync/<document>` are answered 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Names of the documents this process holds in memory now. */
  loadedDocuments(): string[]
  /**
   * Checks every open connection's credentials and role again, closing those that lost them;
   * runs on each ping round, and can be called when access changes.
   */
  recheckAccess(): Promise<void>
  /** Stops accepting, closes sockets with 4503, flushes every document and unloads it. */
  close(): Promise<void>
}

const SYNC_PREFIX = '/sync/'
/** Sockets that miss a ping for this long are dropped, so dead clients do not hold documents. */
const PING_INTERVAL_MS = 30_000

/**
 * The real-time half of the server: y-websocket on `/sync/<document>`, with each document loaded
 * from the database before it is served, every update appended in small batches and reported
 * back as saved once durable, and regions projected into SQL after changes settle.
 */
export function createSyncServer(options: SyncServerOptions): SyncServer {
  const { database, logger } = options
  const registry = new DocumentRegistry(database, logger)
  // Our own size check closes with 4413; ws's limit is only the hard stop above it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES * 2 })
  /** Each open connection with what it was opened with, to check again while it lasts. */
  const connections = new Map<
    Connection,
    { headers: IncomingHttpHeaders; url: string; name: string }
  >()
  const alive = new WeakMap<WebSocket, boolean>()
  let closing = false

  // A token revoked, a session ended or a member removed must stop writing too: every
  // connection's credentials and role are checked again on each ping round.
  const recheck = async () => {
    for (const [connection, opened] of connections) {
      const user = await options.authenticate(opened.headers, opened.url)
      const access = user ? await resolveDocumentAccess(database.db, user, opened.name) : null
      if (!user) connection.close('unauthenticated')
      else if (!access?.ok) connection.close(access?.reason ?? 'forbidden')
    }
  }

  const pinger = setInterval(() => {
    recheck().catch((error: unknown) => logger.error({ err: error }, 'access recheck failed'))
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, PING_INTERVAL_MS)
  pinger.unref()

  // Refusals accept the upgrade and then close, so that browsers see the close code.
  const upgraded = new WeakSet<Duplex>()
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    new Promise<WebSocket | null>((resolve) => {
      if (socket.destroyed || upgraded.has(socket)) return resolve(null)
      upgraded.add(socket)
      wss.handleUpgrade(req, socket, head, resolve)
    })
  const refuse = async (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    reason: CloseReason,
  ) => {
    const ws = await upgrade(req, socket, head)
    ws?.close(CLOSE_CODES[reason], reason)
  }

  const accept = async (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    if (closing) return refuse(req, socket, head, 'serverShutdown')
    let name: string
    try {
      name = decodeURIComponent(url.pathname.slice(SYNC_PREFIX.length))
    } catch {
      return refuse(req, socket, head, 'notFound')
    }
    const user = await options.authenticate(req.headers, req.url ?? '/')
    if (!user) {
      logger.warn({ document: name }, 'sync refused: unauthenticated')
      return refuse(req, socket, head, 'unauthenticated')
    }
    const access = await resolveDocumentAccess(database.db, user, name)
    if (!access.ok) {
      logger.warn({ document: name, user: user.id, reason: access.reason }, 'sync refused')
      return refuse(req, socket, head, access.reason)
    }
    const live = await registry.acquire(access)
    try {
      if (closing) return refuse(req, socket, head, 'serverShutdown')
      const ws = await upgrade(req, socket, head)
      if (!ws) return
      alive.set(ws, true)
      ws.on('pong', () => alive.set(ws, true))
      const connection = new Connection(
        ws,
        live,
        access.mode,
        url.searchParams.get('saved') === '1',
        logger.child({ document: name, user: user.id }),
        (closed) => {
          connections.delete(closed)
          registry.unloadWhenIdle(live)
        },
      )
      connections.set(connection, { headers: req.headers, url: req.url ?? '/', name })
      connection.start()
      logger.info({ document: name, user: user.id, mode: access.mode }, 'sync connected')
    } finally {
      registry.release(live)
    }
  }

  const withDocument = async <T>(name: string, fn: (live: LiveDocument) => Promise<T> | T) => {
    const info = await describeDocument(database.db, name)
    if (!info) throw new AppError('not_found', `No such document: ${name}`)
    const live = await registry.acquire(info)
    try {
      await live.whenReady()
      return await fn(live)
    } finally {
      registry.release(live)
    }
  }

  /** Documents per transaction of a bulk append: bounded so one transaction stays short. */
  const APPEND_CHUNK = 500

  const appendMany: DocumentStore['appendMany'] = async (edits) => {
    const infos = await describeDocuments(
      database.db,
      edits.map((e) => e.name),
    )
    const unknown = edits.find((e) => !infos.has(e.name))
    if (unknown) throw new AppError('not_found', `No such document: ${unknown.name}`)
    const adds = new Map(edits.map((e) => [e.name, e.add]))
    const written = await registry.writeUnloaded([...adds.keys()], async (names) => {
      for (let i = 0; i < names.length; i += APPEND_CHUNK) {
        const entries = names.slice(i, i + APPEND_CHUNK).map((name) => {
          // A given guid spares the random uuid a new Y.Doc would draw, a cost at thousands.
          const scratch = new Y.Doc({ guid: name })
          scratch.transact(() => adds.get(name)?.(scratch), 'server')
          const entry = {
            info: infos.get(name)!,
            update: Y.encodeStateAsUpdate(scratch),
            regions: readRegions(scratch),
            tags: readTags(scratch),
          }
          scratch.destroy()
          return entry
        })
        await appendToUnloaded(database.db, entries)
      }
    })
    const done = new Set(written)
    for (const [name, add] of adds) {
      if (done.has(name)) continue
      await withDocument(name, async (live) => {
        live.doc.transact(() => add(live.doc), 'server')
        await live.flush()
      })
    }
  }

  const documents: DocumentStore = {
    appendMany,
    transact: (name, fn) =>
      withDocument(name, async (live) => {
        live.doc.transact(() => fn(live.doc), 'server')
        await live.flush()
      }),
    read: <T>(name: string, fn: (doc: Y.Doc) => T) => withDocument(name, (live) => fn(live.doc)),
    flush: async (name) => {
      const all = await registry.loaded(name)
      await Promise.all(all.map((live) => live.flush()))
    },
    close: () => registry.closeAll(),
  }

  return {
    documents,
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (!url.pathname.startsWith(SYNC_PREFIX)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
        return
      }
      socket.on('error', () => socket.destroy())
      accept(req, socket, head, url).catch((error: unknown) => {
        logger.error({ err: error, path: url.pathname }, 'sync upgrade failed')
        void refuse(req, socket, head, 'internalError')
      })
    },
    loadedDocuments: () => registry.names(),
    recheckAccess: recheck,
    async close() {
      closing = true
      clearInterval(pinger)
      for (const connection of [...connections.keys()]) connection.close('serverShutdown')
      await registry.closeAll()
      wss.close()
    },
  }
}
