import * as Y from 'yjs'
import { getRegionsMap, getTagsMap } from '@concord/shared'
import type { Database, Db } from '../db/client.ts'
import { AppError } from '../lib/errors.ts'
import type { LiveDocument } from './live-document.ts'
import {
  appendBulk,
  decodeSnapshot,
  deflateUpdate,
  describeDocuments,
  loadStoredDocuments,
  projectBulk,
  type BulkEntry,
  type DocumentInfo,
  type ProjectionItem,
  type StoredDocument,
} from './persistence.ts'
import type { ProjectionQueue } from './projection-queue.ts'
import type { DocumentRegistry } from './registry.ts'

/** An edit of one document in a bulk write: optionally clear its regions and tags, then `add`. */
export type BulkEdit = { name: string; clear: boolean; edit: (doc: Y.Doc) => void }

/** Writes a chunk of edits inside the bulk write's transaction. */
export type BulkWriter = (edits: BulkEdit[]) => Promise<void>

/**
 * Documents projected per transaction in the background: about 2,000 rows, tens of milliseconds,
 * so live saves interleave.
 */
const PROJECT_CHUNK = 100

type Deps = { database: Database; registry: DocumentRegistry; projections: ProjectionQueue }

/**
 * Writes edits to many documents in one database transaction, with `run` (which may write
 * other rows through `tx`, such as the assets and labels an import adds): all of it commits or
 * none does, even if the process dies halfway. `names` lists every document `run` will edit.
 *
 * Each edit becomes one log entry. Documents no one has loaded are kept from loading until the
 * commit; their entry is made on a scratch document (from the stored state when the edit
 * clears) and their projection follows in the background. Documents loaded here get the entry
 * made against their live state, then applied to it after the commit, reaching their clients.
 */
export async function writeMany<T>(
  deps: Deps,
  names: string[],
  run: (tx: Db, write: BulkWriter) => Promise<T>,
): Promise<T> {
  const { database, registry } = deps
  const projections: ProjectionItem[] = []
  const held = new Map<string, LiveDocument>()
  const committed: { live: LiveDocument; update: Uint8Array; seq: number }[] = []
  try {
    const result = await registry.writeUnloaded(names, async (unloaded) => {
      const blocked = new Set(unloaded)
      // Documents loaded (or loading) are held, and built, before the transaction opens: a
      // load that reads the database must not wait behind it.
      const loaded = names.filter((name) => !blocked.has(name))
      const infos = await describeDocuments(database.db, loaded)
      for (const name of loaded) {
        const info = infos.get(name)
        if (!info) continue
        const live = await registry.acquire(info)
        held.set(name, live)
        await live.whenReady()
      }
      return database.db.transaction(async (transaction) => {
        const tx = transaction as unknown as Db
        const write: BulkWriter = async (edits) => {
          // Between chunks the event loop runs: PGlite's queries resolve without ever yielding
          // to it, so a long import would otherwise hold up every request and WebSocket.
          await new Promise((resolve) => setImmediate(resolve))
          const stored = await loadStoredDocuments(
            tx,
            edits.filter((e) => e.clear && !held.has(e.name)).map((e) => e.name),
          )
          const unknownInfos = await describeDocuments(
            tx,
            edits.filter((e) => !held.has(e.name)).map((e) => e.name),
          )
          const entries: BulkEntry[] = []
          const live: { name: string; live: LiveDocument; update: Uint8Array }[] = []
          for (const edit of edits) {
            const current = held.get(edit.name)
            if (current) {
              const update = await changeLive(current, edit)
              entries.push({ info: current.info, update, pending: false })
              live.push({ name: edit.name, live: current, update })
              continue
            }
            const info = unknownInfos.get(edit.name)
            if (!info || !blocked.has(edit.name)) {
              throw new AppError('not_found', `No such document: ${edit.name}`)
            }
            const { update, deflated, compacted, item } = changeStored(
              info,
              edit,
              stored.get(edit.name),
            )
            entries.push({ info, update, deflated, pending: true, ...(compacted && { compacted }) })
            projections.push(item)
          }
          const seqs = await appendBulk(tx, entries)
          for (const { name, live: doc, update } of live) {
            committed.push({ live: doc, update, seq: seqs.get(name)! })
          }
        }
        return run(tx, write)
      })
    })
    for (const { live, update, seq } of committed) live.applyStored(update, seq)
    for (let i = 0; i < projections.length; i += PROJECT_CHUNK) {
      const chunk = projections.slice(i, i + PROJECT_CHUNK)
      deps.projections.run(() => projectBulk(database.db, chunk))
    }
    return result
  } finally {
    for (const live of held.values()) registry.release(live)
  }
}

/** The update `edit` makes to a live document, made on a copy so nothing changes before commit. */
async function changeLive(live: LiveDocument, edit: BulkEdit): Promise<Uint8Array> {
  const scratch = new Y.Doc({ guid: live.info.name })
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(live.doc))
  const before = Y.encodeStateVector(scratch)
  scratch.transact(() => applyEdit(scratch, edit), 'server')
  const update = Y.encodeStateAsUpdate(scratch, before)
  scratch.destroy()
  return update
}

/**
 * The update `edit` makes to a document no one has loaded, and its projection afterwards. An
 * edit that only adds needs nothing of the stored state (its update merges into it on load);
 * one that clears starts from the stored state, read inside the transaction, and since that
 * state is at hand the document is compacted too: its whole new state becomes the snapshot, so
 * that imports repeated in replace mode do not grow a log that every later read replays.
 */
function changeStored(
  info: DocumentInfo,
  edit: BulkEdit,
  stored: StoredDocument | undefined,
): {
  update: Uint8Array
  deflated: Uint8Array
  compacted?: { state: Uint8Array; through: number }
  item: ProjectionItem
} {
  // A given guid spares the random uuid a new Y.Doc would draw, a cost at thousands.
  const scratch = new Y.Doc({ guid: info.name })
  let before: Uint8Array = new Uint8Array([0])
  if (edit.clear && stored) {
    scratch.transact(() => {
      if (stored.snapshot) Y.applyUpdate(scratch, decodeSnapshot(stored.snapshot))
      for (const entry of stored.entries) Y.applyUpdate(scratch, entry.update)
    })
    before = Y.encodeStateVector(scratch)
  }
  scratch.transact(() => applyEdit(scratch, edit), 'server')
  const update = Y.encodeStateAsUpdate(scratch, before)
  const compacted =
    edit.clear && stored
      ? {
          state: deflateUpdate(Y.encodeStateAsUpdate(scratch)),
          through: stored.entries.reduce((max, e) => Math.max(max, e.seq), 0),
        }
      : undefined
  scratch.destroy()
  // Deflated once: the snapshot of a new document, and what the projection queue holds meanwhile.
  const deflated = deflateUpdate(update)
  return {
    update,
    deflated,
    ...(compacted && { compacted }),
    item: { info, deflated, replace: edit.clear },
  }
}

function applyEdit(doc: Y.Doc, edit: BulkEdit): void {
  if (edit.clear) {
    getRegionsMap(doc).clear()
    getTagsMap(doc).clear()
  }
  edit.edit(doc)
}
