import * as decoding from 'lib0/decoding'
import { applyAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import {
  CLOSE_CODES,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  type CloseReason,
} from '@concord/shared'
import type { Logger } from '../lib/logger.ts'
import type { LiveDocument, Peer } from './live-document.ts'
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2 } from './messages.ts'

/**
 * Largest message accepted from a client. 16 MiB holds the first sync of a document with tens of
 * thousands of regions; anything larger is refused rather than buffered.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

/** A refusal that ends one connection with a named close code. */
class Refusal extends Error {
  constructor(
    readonly reason: CloseReason,
    message: string,
  ) {
    super(message)
  }
}

/**
 * One client's WebSocket on one live document: reads its y-websocket messages, applies what it
 * may write, and closes it (only it) with a named code when it sends something wrong.
 */
export class Connection implements Peer {
  private closed = false
  /** Messages that arrived before the document was built, handled in order once it is. */
  private waiting: { data: unknown; isBinary: boolean }[] | null = []

  constructor(
    private readonly ws: WebSocket,
    private readonly live: LiveDocument,
    private readonly mode: 'read' | 'write',
    readonly wantsSaved: boolean,
    private readonly logger: Logger,
    private readonly onClose: (connection: Connection) => void,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data, isBinary))
    ws.on('close', () => this.dispose())
    ws.on('error', (error) => {
      this.logger.warn({ err: error }, 'socket error')
      this.dispose()
    })
  }

  /**
   * Joins the document. Before the document is built the client gets the stored state as it
   * is; once built, the sync proper starts: our state vector, then everyone's presence, then
   * whatever the client sent meanwhile.
   */
  start(): void {
    this.live.addPeer(this)
    for (const message of this.live.storedStateMessages() ?? []) this.send(message)
    this.live.whenReady().then(
      () => {
        if (this.closed) return
        this.send(encodeSyncStep1(this.live.doc))
        const states = [...this.live.awareness.getStates().keys()]
        if (states.length > 0) this.send(encodeAwareness(this.live.awareness, states))
        this.live.sendSaved(this)
        const waiting = this.waiting ?? []
        this.waiting = null
        for (const { data, isBinary } of waiting) this.receive(data, isBinary)
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'document failed to build')
        this.close('internalError')
      },
    )
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return
    this.ws.send(message, (error) => {
      if (error) this.dispose()
    })
  }

  /** Closes with a code from `CLOSE_CODES`; the reason text is the code's name. */
  close(reason: CloseReason): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(CLOSE_CODES[reason], reason)
    this.dispose()
  }

  private dispose(): void {
    if (this.closed) return
    this.closed = true
    this.live.removePeer(this)
    this.onClose(this)
  }

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return
    if (this.waiting) {
      this.waiting.push({ data, isBinary })
      return
    }
    try {
      if (!isBinary) throw new Refusal('malformedMessage', 'text frame')
      const bytes = toBytes(data)
      if (bytes.byteLength > MAX_MESSAGE_BYTES) throw new Refusal('tooLarge', 'message too large')
      this.handle(bytes)
    } catch (error) {
      if (error instanceof Refusal) {
        this.logger.warn({ reason: error.reason, detail: error.message }, 'connection refused')
        this.close(error.reason)
      } else {
        this.logger.error({ err: error }, 'message handling failed')
        this.close('internalError')
      }
    }
  }

  private handle(bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes)
    const type = readOr(() => decoding.readVarUint(decoder))
    if (type === MESSAGE_SYNC) return this.handleSync(decoder)
    if (type === MESSAGE_AWARENESS) {
      const update = readOr(() => decoding.readVarUint8Array(decoder))
      try {
        applyAwarenessUpdate(this.live.awareness, update, this)
      } catch {
        throw new Refusal('malformedMessage', 'awareness update does not decode')
      }
      return
    }
    if (type === MESSAGE_QUERY_AWARENESS) {
      const states = [...this.live.awareness.getStates().keys()]
      return this.send(encodeAwareness(this.live.awareness, states))
    }
    throw new Refusal('malformedMessage', `unknown message type ${type}`)
  }

  private handleSync(decoder: decoding.Decoder): void {
    const step = readOr(() => decoding.readVarUint(decoder))
    const payload = readOr(() => decoding.readVarUint8Array(decoder))
    if (step === syncProtocol.messageYjsSyncStep1) {
      let reply: Uint8Array
      try {
        reply = encodeSyncStep2(this.live.doc, payload)
      } catch {
        throw new Refusal('malformedMessage', 'state vector does not decode')
      }
      return this.send(reply)
    }
    if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
      return this.receiveUpdate(payload)
    }
    throw new Refusal('malformedMessage', `unknown sync step ${step}`)
  }

  private receiveUpdate(update: Uint8Array): void {
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(update)
    } catch {
      throw new Refusal('updateRejected', 'update does not decode')
    }
    if (this.mode === 'read') {
      // A read-only client still answers the sync with its state; only news is a write.
      if (addsToDocument(decoded, this.live.doc)) throw new Refusal('forbidden', 'read-only')
      return
    }
    try {
      Y.applyUpdate(this.live.doc, update, this)
    } catch {
      throw new Refusal('updateRejected', 'update does not apply')
    }
  }
}

/** Runs a lib0 read; running off the end of the message makes it malformed. */
function readOr<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw new Refusal('malformedMessage', 'truncated message')
  }
}

/** Copies a frame into its own buffer: ws may hand out a view into a larger shared one. */
function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]))
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0))
  return new Uint8Array(data as Buffer)
}

/**
 * Whether an update holds anything the document lacks: an item past the document's state
 * vector, or a deletion the document has not made.
 */
function addsToDocument(decoded: ReturnType<typeof Y.decodeUpdate>, doc: Y.Doc): boolean {
  const stateVector = Y.decodeStateVector(Y.encodeStateVector(doc))
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    if (struct.id.clock + struct.length > (stateVector.get(struct.id.client) ?? 0)) return true
  }
  if (decoded.ds.clients.size === 0) return false
  const deleted = Y.createDeleteSetFromStructStore(doc.store)
  for (const [client, items] of decoded.ds.clients) {
    const ranges = deleted.clients.get(client) ?? []
    for (const item of items) {
      if (!isCovered(ranges, item.clock, item.len)) return true
    }
  }
  return false
}

/** Whether [clock, clock + len) lies inside one of the sorted, merged `ranges`. */
function isCovered(ranges: { clock: number; len: number }[], clock: number, len: number): boolean {
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const range = ranges[mid]
    if (!range) return false
    if (clock < range.clock) high = mid - 1
    else if (clock >= range.clock + range.len) low = mid + 1
    else return clock + len <= range.clock + range.len
  }
  return len === 0
}
