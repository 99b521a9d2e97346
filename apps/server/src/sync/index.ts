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
import { writeMany } from './bulk-write.ts'
import {
  decodeSnapshot,
  describeDocument,
  describeDocuments,
  listPendingProjections,
  loadStoredDocument,
  writeRegions,
} from './persistence.ts'
import { ProjectionQueue } from './projection-queue.ts'
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
/** Documents re-projected per step when recovering from a crash. */
const RECOVER_CHUNK = 100

/**
 * The real-time half of the server: y-websocket on `/sync/<document>`, with each document loaded
 * from the database before it is served, every update appended in small batches and reported
 * back as saved once durable, and regions projected into SQL after changes settle.
 */
export function createSyncServer(options: SyncServerOptions): SyncServer {
  const { database, logger } = options
  const registry = new DocumentRegistry(database, logger)
  const projections = new ProjectionQueue(logger)
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

  // Bulk writes left unprojected by a crash are projected again from their stored state.
  projections.run(async () => {
    const pending = await listPendingProjections(database.db)
    for (let i = 0; i < pending.length; i += RECOVER_CHUNK) {
      await reprojectStored(pending.slice(i, i + RECOVER_CHUNK))
    }
    if (pending.length > 0) logger.info({ documents: pending.length }, 'pending projections redone')
  })
  const reprojectStored = async (names: string[]) => {
    const infos = await describeDocuments(database.db, names)
    // A document loaded meanwhile projects everything it read by itself.
    await registry.writeUnloaded(names, async (unloaded) => {
      for (const name of unloaded) {
        const info = infos.get(name)
        if (!info) continue
        const stored = await loadStoredDocument(database.db, name)
        const doc = new Y.Doc({ guid: name })
        doc.transact(() => {
          if (stored.snapshot) Y.applyUpdate(doc, decodeSnapshot(stored.snapshot))
          for (const entry of stored.entries) Y.applyUpdate(doc, entry.update)
        })
        await writeRegions(database.db, info, readRegions(doc), readTags(doc))
        doc.destroy()
      }
    })
  }

  const documents: DocumentStore = {
    writeMany: (names, run) => writeMany({ database, registry, projections }, names, run),
    transact: (name, fn) =>
      withDocument(name, async (live) => {
        live.doc.transact(() => fn(live.doc), 'server')
        await live.flush()
      }),
    read: <T>(name: string, fn: (doc: Y.Doc) => T) => withDocument(name, (live) => fn(live.doc)),
    flush: async (name) => {
      const all = await registry.loaded(name)
      await Promise.all(all.map((live) => live.flush()))
      await projections.idle()
    },
    projected: () => projections.idle(),
    close: async () => {
      await projections.idle()
      await registry.closeAll()
    },
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
      await projections.idle()
      await registry.closeAll()
      wss.close()
    },
  }
}
