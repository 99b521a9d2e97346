import type * as Y from 'yjs'

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
   * Adds content to many documents at once, as an import does. Each `add` must only add (it runs
   * on an empty document, whose update then merges into the stored one): documents loaded in
   * this process get it as a live edit, the others as one log entry each and their new regions'
   * projection rows, written in a few multi-row inserts rather than a load and a save apiece.
   */
  appendMany(edits: { name: string; add: (doc: Y.Doc) => void }[]): Promise<void>
  /** Runs `fn` on the loaded document without changing it. */
  read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T>
  /** Resolves once every update applied so far is durable and projected into `regions`. */
  flush(name?: string): Promise<void>
  /** Flushes everything and unloads all documents; for shutdown. */
  close(): Promise<void>
}
