import { Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { initMeta, readRegions, readTags, type Layer } from '@concord/shared'
import type { Database } from '../db/client.ts'
import type { Logger } from '../lib/logger.ts'
import { encodeAwareness, encodeSaved, encodeSyncStep2Update, encodeUpdate } from './messages.ts'
import {
  appendUpdates,
  compactDocument,
  decodeSnapshot,
  encodeSnapshot,
  ensureDocumentRow,
  loadStoredDocument,
  writeRegions,
  type DocumentInfo,
  type StoredDocument,
} from './persistence.ts'

/** A client of a live document, as the document sees it. */
export interface Peer {
  /** Whether the client asked for `MESSAGE_SAVED` with `saved=1`. */
  readonly wantsSaved: boolean
  send(message: Uint8Array): void
}

/**
 * How long updates collect before one multi-row insert. 5 ms is longer than the gap between
 * updates that arrive in one burst (a drag sends one every frame, several clients type at once),
 * so a burst costs one round trip to the database, yet short next to the 100 ms in which people
 * notice a delay, so "saved" still shows at once. While one insert runs, the next batch collects.
 */
export const BATCH_WINDOW_MS = 5
/** How long a document must be quiet before its regions are projected into SQL rows. */
export const PROJECTION_DEBOUNCE_MS = 250
/** A document that is never quiet (a model streaming pre-labels) is still projected this often. */
export const PROJECTION_MAX_WAIT_MS = 2_000
/**
 * Compact once the log passes either bound. 500 small edits or 1 MiB keep a cold load to one
 * snapshot and a short log, while compaction (which rewrites the snapshot) stays rare.
 */
export const COMPACT_AFTER_ENTRIES = 500
export const COMPACT_AFTER_BYTES = 1024 * 1024
/** A Yjs update that changes nothing: no structs, no deletions. */
const EMPTY_UPDATE = new Uint8Array([0, 0])
/** Origin of updates that are in the log already (a bulk write's entry): not appended again. */
const STORED = Symbol('stored')
/** After a failed database write, wait this long before trying again. */
const RETRY_AFTER_MS = 1_000

/**
 * One loaded document: its Yjs state, presence, connected peers, and the machinery that makes
 * every update durable (batched log appends, compaction) and projects regions after changes
 * settle. Created by `loadLiveDocument`, owned by the registry.
 */
export class LiveDocument {
  /** Empty until `whenReady` has applied the stored state; nothing reads it before. */
  readonly doc = new Y.Doc()
  readonly awareness: Awareness
  readonly peers = new Map<Peer, Set<number>>()
  /** Callers (a handshake, `transact`, `read`) that keep the document from unloading. */
  holds = 0
  destroyed = false
  /** The stored state, kept until the document is built from it. */
  private stored: StoredDocument | null
  private building: Promise<void> | undefined
  /** State vector of what is durable; sent as `MESSAGE_SAVED`. */
  private savedStateVector: Uint8Array = new Uint8Array([0])
  private pending: Uint8Array[] = []
  private batchTimer: NodeJS.Timeout | undefined
  private writing: Promise<void> | undefined
  /** Log entries (by seq) whose content this document holds: what compaction may delete. */
  private foldable: number[] = []
  private logBytes = 0
  private projectionDirty = false
  private projectionTimer: NodeJS.Timeout | undefined
  /** When the oldest change not yet projected was made. */
  private dirtySince = 0
  private projecting: Promise<void> | undefined
  private compacting: Promise<void> | undefined

  constructor(
    readonly info: DocumentInfo,
    stored: StoredDocument,
    private readonly database: Database,
    private readonly logger: Logger,
  ) {
    this.stored = stored
    this.awareness = new Awareness(this.doc)
    // The server has no presence of its own.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  /** Whether the stored state has been applied to `doc`. */
  get built(): boolean {
    return this.stored === null
  }

  /**
   * The stored state as y-websocket messages for a client that joins before the document is
   * built: each log entry as an update, then the snapshot as the sync step 2. A client counts
   * itself synced on the sync step 2, so it comes last: a script that reads the document on
   * `sync` sees all of it (Yjs holds an entry that needs the snapshot until the snapshot comes).
   * It is the whole stored document, straight from the stored bytes: a cold open answers in the
   * time it takes to read them, not in the time Yjs takes to build the document. Null once built.
   */
  storedStateMessages(): Uint8Array[] | null {
    if (!this.stored) return null
    const { snapshot, entries } = this.stored
    const messages = entries.map((entry) => encodeUpdate(entry.update))
    messages.push(encodeSyncStep2Update(snapshot ? decodeSnapshot(snapshot) : EMPTY_UPDATE))
    return messages
  }

  /**
   * Builds the document from the stored state (once; later calls share it). It runs on the next
   * turn of the event loop, so that messages already sent, such as `storedStateMessages`, leave
   * first. A log entry that does not apply is logged and skipped rather than making the whole
   * document unopenable; it stays in the log for inspection.
   */
  whenReady(): Promise<void> {
    this.building ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const stored = this.stored
      if (!stored || this.destroyed) return
      const seqs: number[] = []
      this.doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.doc, decodeSnapshot(stored.snapshot))
        for (const entry of stored.entries) {
          try {
            Y.applyUpdate(this.doc, entry.update)
            seqs.push(entry.seq)
          } catch (error) {
            this.logger.error({ err: error, seq: entry.seq }, 'log entry skipped')
          }
        }
      })
      this.stored = null
      this.foldable = seqs
      this.logBytes = stored.entries.reduce((sum, e) => sum + e.update.byteLength, 0)
      this.savedStateVector = Y.encodeStateVector(this.doc)
      this.doc.on('update', this.onUpdate)
      // Filling missing meta keys is an update like any other and is persisted the same way.
      initMeta(this.doc, this.info.assetId, this.info.layer as Layer)
      // A crash can come between an append and its projection; a non-empty log may hold such edits.
      if (stored.entries.length > 0) this.markForProjection()
    })
    return this.building
  }

  /** Tells a `saved=1` client how far the document is durable. */
  sendSaved(peer: Peer): void {
    if (peer.wantsSaved && this.built) peer.send(encodeSaved(this.savedStateVector))
  }

  /** Adds a connected client; it starts receiving updates and presence. */
  addPeer(peer: Peer): void {
    this.peers.set(peer, new Set())
  }

  /** Removes a client and the presence it controlled. */
  removePeer(peer: Peer): void {
    const controlled = this.peers.get(peer)
    this.peers.delete(peer)
    if (controlled && controlled.size > 0) {
      removeAwarenessStates(this.awareness, [...controlled], null)
    }
  }

  /** True when nothing is waiting to be written or projected. */
  get settled(): boolean {
    return (
      this.pending.length === 0 &&
      this.writing === undefined &&
      !this.projectionDirty &&
      this.projecting === undefined &&
      this.compacting === undefined
    )
  }

  /** Resolves once every update applied so far is durable and projected. */
  async flush(): Promise<void> {
    await this.whenReady()
    await this.flushWrites()
    await this.compacting
    clearTimeout(this.projectionTimer)
    this.projectionTimer = undefined
    while (this.projectionDirty || this.projecting) {
      await (this.projecting ?? this.startProjection())
    }
  }

  /**
   * Applies an update that a bulk write has already committed as log entry `seq`: clients get it
   * and it is projected like any edit, but it is not appended again, and `saved=1` clients learn
   * at once that it is durable.
   */
  applyStored(update: Uint8Array, seq: number): void {
    Y.applyUpdate(this.doc, update, STORED)
    this.foldable.push(seq)
    this.logBytes += update.byteLength
    const saved = Y.decodeStateVector(this.savedStateVector)
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
      if ((saved.get(client) ?? 0) < clock) saved.set(client, clock)
    }
    this.savedStateVector = Y.encodeStateVector(saved)
    for (const peer of this.peers.keys()) this.sendSaved(peer)
  }

  /** Stops timers and releases the Yjs document; call after `flush`. */
  destroy(): void {
    this.destroyed = true
    clearTimeout(this.batchTimer)
    clearTimeout(this.projectionTimer)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.doc.off('update', this.onUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = encodeUpdate(update)
    for (const peer of this.peers.keys()) {
      if (peer !== origin) peer.send(message)
    }
    if (origin !== STORED) {
      this.pending.push(update)
      this.scheduleWrite()
    }
    this.markForProjection()
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const controlled = this.peers.get(origin as Peer)
    if (controlled) {
      for (const id of [...change.added, ...change.updated]) controlled.add(id)
      for (const id of change.removed) controlled.delete(id)
    }
    const changed = [...change.added, ...change.updated, ...change.removed]
    // Sent to every peer, the sender included: y-websocket clients reconnect after 30 s without
    // a message, and the echo of their own periodic presence renewal is what keeps a lone
    // client's connection alive.
    const message = encodeAwareness(this.awareness, changed)
    for (const peer of this.peers.keys()) peer.send(message)
  }

  /** Starts the batch window, unless one is open or an insert is running (it batches too). */
  private scheduleWrite(delay = BATCH_WINDOW_MS): void {
    if (this.batchTimer || this.writing || this.destroyed) return
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined
      // A failure is logged and retried by startWrite.
      this.startWrite().catch(() => undefined)
    }, delay)
  }

  private startWrite(): Promise<void> {
    this.writing ??= this.writeBatch().then(
      () => {
        this.writing = undefined
        // Updates that arrived during the insert have already waited for it.
        if (this.pending.length > 0) this.scheduleWrite(0)
      },
      (error: unknown) => {
        this.writing = undefined
        this.scheduleWrite(RETRY_AFTER_MS)
        throw error
      },
    )
    return this.writing
  }

  private async flushWrites(): Promise<void> {
    clearTimeout(this.batchTimer)
    this.batchTimer = undefined
    while (this.pending.length > 0 || this.writing) await this.startWrite()
  }

  /**
   * Appends everything pending in one insert, then tells `saved=1` peers how far the document is
   * durable. The state vector is taken when the batch is cut: every update applied by then is
   * in this batch or an earlier one, and batches commit one at a time, in order.
   */
  private async writeBatch(): Promise<void> {
    const batch = this.pending
    if (batch.length === 0) return
    this.pending = []
    const stateVector = Y.encodeStateVector(this.doc)
    let seqs: number[]
    try {
      seqs = await appendUpdates(this.database.db, this.info.name, batch)
    } catch (error) {
      this.pending = batch.concat(this.pending)
      this.logger.error({ err: error, document: this.info.name }, 'append failed')
      throw error
    }
    this.savedStateVector = stateVector
    this.foldable.push(...seqs)
    this.logBytes += batch.reduce((sum, u) => sum + u.byteLength, 0)
    const saved = encodeSaved(stateVector)
    for (const peer of this.peers.keys()) if (peer.wantsSaved) peer.send(saved)

    if (this.foldable.length >= COMPACT_AFTER_ENTRIES || this.logBytes >= COMPACT_AFTER_BYTES) {
      // Off the write chain: the next batch need not wait for the fold.
      this.compacting ??= this.compact().finally(() => {
        this.compacting = undefined
      })
    }
  }

  /**
   * Writes the live state as the snapshot and deletes the log entries it is known to hold.
   * Encoding the loaded document is far cheaper than replaying the log into a new one. The state
   * may include updates not yet appended; they will be appended too, and applying twice is harmless.
   */
  private async compact(): Promise<void> {
    const seqs = this.foldable
    const bytes = this.logBytes
    this.foldable = []
    this.logBytes = 0
    try {
      const done = await compactDocument(
        this.database,
        this.info.name,
        encodeSnapshot(this.doc),
        seqs,
      )
      if (done) {
        this.logger.info({ document: this.info.name, entries: seqs.length }, 'compacted')
        return
      }
    } catch (error) {
      // The log is intact; compaction is tried again after a later append.
      this.logger.error({ err: error, document: this.info.name }, 'compaction failed')
    }
    this.foldable = seqs.concat(this.foldable)
    this.logBytes += bytes
  }

  /** Projects the regions once the document has been quiet for a while. */
  markForProjection(): void {
    const now = Date.now()
    if (!this.projectionDirty) this.dirtySince = now
    this.projectionDirty = true
    clearTimeout(this.projectionTimer)
    const delay = Math.min(PROJECTION_DEBOUNCE_MS, this.dirtySince + PROJECTION_MAX_WAIT_MS - now)
    this.projectionTimer = setTimeout(
      () => void this.startProjection().catch(() => undefined),
      Math.max(0, delay),
    )
  }

  private startProjection(): Promise<void> {
    this.projecting ??= this.project().finally(() => {
      this.projecting = undefined
    })
    return this.projecting
  }

  /** Writes the regions as they are now; durable updates first, so rows never run ahead. */
  private async project(): Promise<void> {
    if (!this.projectionDirty || this.destroyed) return
    this.projectionDirty = false
    try {
      await this.flushWrites()
      await writeRegions(this.database.db, this.info, readRegions(this.doc), readTags(this.doc))
    } catch (error) {
      this.projectionDirty = true
      this.logger.error({ err: error, document: this.info.name }, 'projection failed')
      this.projectionTimer = setTimeout(
        () => void this.startProjection().catch(() => undefined),
        RETRY_AFTER_MS,
      )
      throw error
    }
  }
}

/**
 * Reads a document's stored state (creating its row on first open). The document is built from
 * it by `LiveDocument.whenReady`; until then clients are served the stored state as it is.
 */
export async function loadLiveDocument(
  info: DocumentInfo,
  database: Database,
  logger: Logger,
): Promise<LiveDocument> {
  await ensureDocumentRow(database.db, info)
  const stored = await loadStoredDocument(database.db, info.name)
  return new LiveDocument(info, stored, database, logger)
}
