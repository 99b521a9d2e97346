import { CLOSE_MESSAGES, MESSAGE_SAVED } from '@concord/shared'
import * as decoding from 'lib0/decoding'
import type { Awareness } from 'y-protocols/awareness'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from './local-origin.ts'
import { computeSaveStatus, type SaveStatus, type StateVector } from './save-status.ts'
import { createLocalUndoManager } from './undo.ts'

export type SessionState = {
  status: SaveStatus
  /** A readable reason for the last refusal or drop, from the server's close code. */
  problem: string | null
}

/** The URL y-websocket appends the document name to: same host, `/sync`. */
export function syncServerUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/sync`
}

/**
 * One open document: the Yjs doc, its WebSocket provider (with Concord's "saved" messages),
 * awareness, and an undo manager that tracks only this browser's edits. Offline edits stay in
 * the doc and y-websocket sends them when the connection comes back; the doc is also kept in
 * IndexedDB under its name, so edits made offline survive a reload or a closed tab and are merged
 * and sent the next time the document is opened.
 */
export class DocumentSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly undoManager: Y.UndoManager
  readonly local: IndexeddbPersistence
  private savedVector: StateVector | null = null
  private everConnected = false
  private state: SessionState = { status: 'connecting', problem: null }
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly documentName: string,
    userId: string,
  ) {
    this.local = new IndexeddbPersistence(localStoreName(userId, documentName), this.doc)
    this.provider = new WebsocketProvider(syncServerUrl(), documentName, this.doc, {
      params: { saved: '1' },
    })
    this.provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
      this.savedVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
      this.update()
    }
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.everConnected = true
      this.update()
    })
    this.provider.on('sync', (synced) => {
      if (synced) this.update({ problem: null })
    })
    this.provider.on('connection-close', (event) => {
      const message = event ? CLOSE_MESSAGES[event.code] : undefined
      this.update(message ? { problem: message } : {})
    })
    this.doc.on('update', this.onUpdate)
    this.undoManager = createLocalUndoManager(this.doc)
  }

  get awareness(): Awareness {
    return this.provider.awareness
  }

  /** Runs `fn` as one local, undoable edit. */
  edit(fn: () => void): void {
    this.doc.transact(fn, LOCAL_ORIGIN)
  }

  getState = (): SessionState => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate)
    this.undoManager.destroy()
    this.provider.destroy()
    // Destroying only closes the database; the stored updates stay for the next opening.
    void this.local.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }

  private readonly onUpdate = () => this.update()

  private update(patch: Partial<SessionState> = {}): void {
    const status = computeSaveStatus({
      connected: this.provider.wsconnected,
      everConnected: this.everConnected,
      localVector: Y.decodeStateVector(Y.encodeStateVector(this.doc)),
      savedVector: this.savedVector,
    })
    const next = { ...this.state, ...patch, status }
    if (next.status === this.state.status && next.problem === this.state.problem) return
    this.state = next
    for (const listener of this.listeners) listener()
  }
}

/**
 * The IndexedDB database that keeps one person's copy of one document in this browser. Keyed by
 * user as well, so that on a shared browser one person's unsent edits are never sent over
 * another person's connection.
 */
export function localStoreName(userId: string, documentName: string): string {
  return `concord:${userId}:${documentName}`
}
