import type * as Y from 'yjs'
import type { Db } from '../db/client.ts'
import type { BulkWriter } from './bulk-write.ts'

/**
 * The server's live documents, as the rest of the server sees them. Edits made here (an import,
 * a sample project) travel to connected clients like any other update and are persisted the
 * same way.
 */
export interface DocumentStore {
  /**
   * Loads the document (creating its row for a known asset on first use), runs `fn` inside one
   * Yjs transaction, then persists and broadcasts the resulting update.
   */
  transact(name: string, fn: (doc: Y.Doc) => void): Promise<void>
  /**
   * Edits many documents in one database transaction, as an import does: `run` gets the
   * transaction (to write other rows with the edits, all or nothing) and a writer for chunks of
   * edits; `names` lists every document it will edit. See `writeMany` for how loaded and
   * unloaded documents are handled; the regions of unloaded ones are projected in the background
   * after the commit (`projected` waits for that).
   */
  writeMany<T>(names: string[], run: (tx: Db, write: BulkWriter) => Promise<T>): Promise<T>
  /** Runs `fn` on the loaded document without changing it. */
  read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T>
  /** Resolves once every update applied so far is durable and projected into `regions`. */
  flush(name?: string): Promise<void>
  /** Resolves once bulk writes committed so far are projected; cheaper than `flush`. */
  projected(): Promise<void>
  /** Flushes everything and unloads all documents; for shutdown. */
  close(): Promise<void>
}
