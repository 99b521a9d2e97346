import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import * as Y from 'yjs'
import { parseDocumentName, readRegions, readTags, type Region } from '@concord/shared'
import type { Database, Db } from '../db/client.ts'
import { assets, documentUpdates, documents, regions } from '../db/schema.ts'

/** Where a document belongs: its row, its asset and the project the asset is in. */
export type DocumentInfo = { name: string; assetId: string; layer: string; projectId: string }

/** A document as stored: the compacted snapshot and the log entries not yet folded into it. */
export type StoredDocument = {
  snapshot: Uint8Array | null
  entries: { seq: number; update: Uint8Array }[]
}

/** Rows per INSERT when projecting regions: about 1.5 MiB of JSON per statement. */
const REGION_ROWS_PER_INSERT = 5_000
/** Ids bound in one `in (...)` list (log entries to delete, assets to look up): under 65,535. */
const IDS_PER_STATEMENT = 10_000

/** Finds the asset and project behind a document name; null when the name or asset is unknown. */
export async function describeDocument(db: Db, name: string): Promise<DocumentInfo | null> {
  const parsed = parseDocumentName(name)
  if (!parsed) return null
  const [asset] = await db
    .select({ projectId: assets.projectId })
    .from(assets)
    .where(eq(assets.id, parsed.assetId))
  return asset
    ? { name, assetId: parsed.assetId, layer: parsed.layer, projectId: asset.projectId }
    : null
}

/** `describeDocument` for many names in one query; names it cannot place are left out. */
export async function describeDocuments(
  db: Db,
  names: string[],
): Promise<Map<string, DocumentInfo>> {
  const parsed = names.flatMap((name) => {
    const p = parseDocumentName(name)
    return p ? [{ name, ...p }] : []
  })
  const assetIds = [...new Set(parsed.map((p) => p.assetId))]
  const projectOf = new Map<string, string>()
  for (let i = 0; i < assetIds.length; i += IDS_PER_STATEMENT) {
    const rows = await db
      .select({ id: assets.id, projectId: assets.projectId })
      .from(assets)
      .where(inArray(assets.id, assetIds.slice(i, i + IDS_PER_STATEMENT)))
    for (const row of rows) projectOf.set(row.id, row.projectId)
  }
  const out = new Map<string, DocumentInfo>()
  for (const p of parsed) {
    const projectId = projectOf.get(p.assetId)
    if (projectId) out.set(p.name, { name: p.name, assetId: p.assetId, layer: p.layer, projectId })
  }
  return out
}

/**
 * One document's share of a bulk write: its update (and the update deflated, when the caller
 * has it already), and whether its projection is owed.
 */
export type BulkEntry = {
  info: DocumentInfo
  update: Uint8Array
  deflated?: Uint8Array
  pending: boolean
  /**
   * The document's whole state after the update, deflated, when the writer read the stored
   * state: it becomes the snapshot, and the log entries up to `through` it holds are dropped.
   */
  compacted?: { state: Uint8Array; through: number }
}

/**
 * What projecting a bulk write's document takes: the update it wrote, deflated. The regions and
 * tags that update sets are the ones to add, or, when the write cleared the document first
 * (`replace`), all the document has now: an update read alone, without the state it was made
 * on, holds exactly what it added.
 */
export type ProjectionItem = { info: DocumentInfo; deflated: Uint8Array; replace: boolean }

/**
 * Writes one bulk-write entry per document, meant to run inside the caller's transaction, and
 * counts a pending projection on those marked `pending`. A document that has no row yet holds
 * nothing but its entry, so the entry becomes its snapshot (deflated, as compaction would store
 * it): a third of the bytes, and no log to replay. Any other document gets a log entry.
 * Returns the log entries' sequence numbers by document name.
 */
export async function appendBulk(tx: Db, entries: BulkEntry[]): Promise<Map<string, number>> {
  if (entries.length === 0) return new Map()
  const snapshots = entries.map((e) => e.deflated ?? deflateUpdate(e.update))
  const fresh = entries.map(({ info, pending }, i) => ({
    name: info.name,
    asset_id: info.assetId,
    layer: info.layer,
    pending: pending ? 1 : 0,
    snapshot: Buffer.from(snapshots[i]!).toString('base64'),
  }))
  // Rows travel as one JSON parameter expanded by json_to_recordset, bytes base64-encoded in
  // it: binding parameters for each of thousands of rows, or a bytea parameter each, costs
  // several times more on PGlite than the inserts themselves.
  const created = await tx.execute(sql`
    insert into documents (name, asset_id, layer, pending_projections, snapshot)
    select d.name, d.asset_id, d.layer, d.pending, decode(d.snapshot, 'base64')
    from json_to_recordset(${JSON.stringify(fresh)}::json)
      as d(name text, asset_id text, layer text, pending integer, snapshot text)
    on conflict (name) do nothing
    returning name`)
  const isNew = new Set(resultRows<{ name: string }>(created).map((r) => r.name))
  const compacted = entries.filter((e) => e.compacted && !isNew.has(e.info.name))
  if (compacted.length > 0) {
    const rows = compacted.map(({ info, pending, compacted }) => ({
      name: info.name,
      pending: pending ? 1 : 0,
      snapshot: Buffer.from(compacted!.state).toString('base64'),
      through: compacted!.through,
    }))
    const json = JSON.stringify(rows)
    await tx.execute(sql`
      update documents set snapshot = decode(d.snapshot, 'base64'),
        pending_projections = documents.pending_projections + d.pending
      from json_to_recordset(${json}::json) as d(name text, pending integer, snapshot text)
      where documents.name = d.name`)
    await tx.execute(sql`
      delete from document_updates u
      using json_to_recordset(${json}::json) as d(name text, through bigint)
      where u.document_name = d.name and u.seq <= d.through`)
  }
  const logged = entries.filter((e) => !isNew.has(e.info.name) && !e.compacted)
  const seqs = new Map<string, number>()
  if (logged.length === 0) return seqs
  const rows = logged.map(({ info, update, pending }) => ({
    name: info.name,
    update: Buffer.from(update).toString('base64'),
    pending: pending ? 1 : 0,
  }))
  await tx.execute(sql`
    update documents set pending_projections = documents.pending_projections + d.pending
    from json_to_recordset(${JSON.stringify(rows)}::json) as d(name text, pending integer)
    where documents.name = d.name and d.pending > 0`)
  const appended = await tx.execute(sql`
    insert into document_updates (document_name, update)
    select d.name, decode(d.update, 'base64')
    from json_to_recordset(${JSON.stringify(rows)}::json) as d(name text, update text)
    returning document_name as name, seq`)
  for (const row of resultRows<{ name: string; seq: string | number }>(appended)) {
    seqs.set(row.name, Number(row.seq))
  }
  return seqs
}

/**
 * Projects documents a bulk write left pending, in one transaction: each document's count is
 * taken down by one and its rows added (or replaced). A document whose count is already 0 was
 * projected whole meanwhile (a live load projects everything it read), so it is left alone.
 */
export async function projectBulk(db: Db, items: ProjectionItem[]): Promise<void> {
  if (items.length === 0) return
  await db.transaction(async (tx) => {
    const owed = new Set<string>()
    const names = items.map((item) => item.info.name)
    for (let i = 0; i < names.length; i += IDS_PER_STATEMENT) {
      const rows = await tx
        .update(documents)
        .set({ pendingProjections: sql`${documents.pendingProjections} - 1` })
        .where(
          and(
            inArray(documents.name, names.slice(i, i + IDS_PER_STATEMENT)),
            gt(documents.pendingProjections, 0),
          ),
        )
        .returning({ name: documents.name })
      for (const row of rows) owed.add(row.name)
    }
    const kept = items
      .filter((item) => owed.has(item.info.name))
      .map(({ info, deflated, replace }) => {
        const doc = new Y.Doc({ guid: info.name })
        Y.applyUpdate(doc, decodeSnapshot(deflated))
        const read = { info, replace, regions: readRegions(doc), tags: readTags(doc) }
        doc.destroy()
        return read
      })
    const replaced = kept.filter((item) => item.replace).map((item) => item.info.name)
    for (let i = 0; i < replaced.length; i += IDS_PER_STATEMENT) {
      await tx
        .delete(regions)
        .where(inArray(regions.documentName, replaced.slice(i, i + IDS_PER_STATEMENT)))
    }
    await insertRegionRows(
      tx,
      kept.flatMap((item) => regionRows(item.info, item.regions)),
    )
    const tagged = kept
      .filter((item) => item.replace || item.tags.length > 0)
      .map((item) => ({ name: item.info.name, tags: item.tags, replace: item.replace }))
    if (tagged.length === 0) return
    await tx.execute(sql`
      update documents set tags = case when d.replace then d.tags else (
        select coalesce(jsonb_agg(distinct t order by t), '[]'::jsonb)
        from jsonb_array_elements_text(documents.tags || d.tags) as t
      ) end
      from json_to_recordset(${JSON.stringify(tagged)}::json)
        as d(name text, tags jsonb, replace boolean)
      where documents.name = d.name`)
  })
}

/** The rows of a raw `execute`: node-postgres and PGlite both answer with `rows`. */
function resultRows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows
}

/** Names of documents with a bulk write still to project (after a crash, say). */
export async function listPendingProjections(db: Db): Promise<string[]> {
  const rows = await db
    .select({ name: documents.name })
    .from(documents)
    .where(gt(documents.pendingProjections, 0))
  return rows.map((r) => r.name)
}

/** Creates the `documents` row on first open of an existing asset's layer; no-op afterwards. */
export async function ensureDocumentRow(db: Db, info: DocumentInfo): Promise<void> {
  await db
    .insert(documents)
    .values({ name: info.name, assetId: info.assetId, layer: info.layer })
    .onConflictDoNothing()
}

/**
 * Reads the snapshot and every log entry still in the log. Compaction deletes exactly the
 * entries it folded, so whatever remains is not in the snapshot, even an entry whose `seq` is
 * below `snapshotSeq` because another process committed it late.
 */
export async function loadStoredDocument(db: Db, name: string): Promise<StoredDocument> {
  const [row] = await db
    .select({ snapshot: documents.snapshot })
    .from(documents)
    .where(eq(documents.name, name))
  const entries = await db
    .select({ seq: documentUpdates.seq, update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.documentName, name))
    .orderBy(asc(documentUpdates.seq))
  return { snapshot: row?.snapshot ?? null, entries }
}

/**
 * The stored state of many documents in one query: snapshot and log entries in order. The bytes
 * travel base64-encoded inside text, which PGlite hands over several times faster than bytea.
 */
export async function loadStoredDocuments(
  db: Db,
  names: string[],
): Promise<Map<string, StoredDocument>> {
  const out = new Map<string, StoredDocument>()
  if (names.length === 0) return out
  const result = await db.execute(sql`
    select d.name, encode(d.snapshot, 'base64') as snapshot,
      (select json_agg(json_build_array(u.seq, encode(u.update, 'base64')) order by u.seq)
        from document_updates u where u.document_name = d.name)::text as entries
    from documents d
    where d.name in (${sql.join(
      names.map((name) => sql`${name}`),
      sql`, `,
    )})`)
  type Row = { name: string; snapshot: string | null; entries: string | null }
  const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'))
  for (const row of resultRows<Row>(result)) {
    const entries = (JSON.parse(row.entries ?? '[]') as [number, string][]).map(
      ([seq, update]) => ({ seq: Number(seq), update: bytes(update) }),
    )
    out.set(row.name, { snapshot: row.snapshot === null ? null : bytes(row.snapshot), entries })
  }
  return out
}

/** Appends updates to the log in one multi-row insert; durable once this resolves. */
export async function appendUpdates(
  db: Db,
  name: string,
  updates: Uint8Array[],
): Promise<number[]> {
  if (updates.length === 0) return []
  const rows = await db
    .insert(documentUpdates)
    .values(updates.map((update) => ({ documentName: name, update })))
    .returning({ seq: documentUpdates.seq })
  return rows.map((r) => r.seq)
}

/**
 * Replaces the snapshot with `snapshot` and deletes the log entries `seqs`, in one transaction,
 * under an advisory lock so that only one process compacts a document at a time. The caller
 * guarantees that `snapshot` holds the old snapshot and every entry in `seqs`; entries it does
 * not name (appended meanwhile, or by another process) stay in the log and apply on load.
 * Returns false when another process holds the lock.
 */
export async function compactDocument(
  database: Database,
  name: string,
  snapshot: Uint8Array,
  seqs: number[],
): Promise<boolean> {
  if (seqs.length === 0) return true
  const lastSeq = Math.max(...seqs)
  const done = await database.withAdvisoryLock(`compact:${name}`, () =>
    database.db.transaction(async (tx) => {
      await tx
        .update(documents)
        .set({
          snapshot,
          snapshotSeq: sql`greatest(${documents.snapshotSeq}, ${lastSeq})`,
          updatedAt: new Date(),
        })
        .where(eq(documents.name, name))
      for (let i = 0; i < seqs.length; i += IDS_PER_STATEMENT) {
        await tx
          .delete(documentUpdates)
          .where(
            and(
              eq(documentUpdates.documentName, name),
              inArray(documentUpdates.seq, seqs.slice(i, i + IDS_PER_STATEMENT)),
            ),
          )
      }
      return true
    }),
  )
  return done === true
}

/**
 * Snapshots are stored as Yjs's v1 encoding (what the y-websocket protocol speaks), deflated at
 * the fastest level: a cold open can then send the stored state to a client as it is, without
 * building the document first (about 500 KiB and 12 ms to inflate for 10,000 regions, where
 * building the document takes hundreds of milliseconds).
 */
export function encodeSnapshot(doc: Y.Doc): Uint8Array {
  return deflateUpdate(Y.encodeStateAsUpdate(doc))
}

/**
 * An update deflated as snapshots are, so that the update of a document's whole content can be
 * stored as its snapshot. Synchronous: zlib's asynchronous calls cost several times more each
 * at the size of one document's update.
 */
export function deflateUpdate(update: Uint8Array): Uint8Array {
  return new Uint8Array(deflateRawSync(update, { level: 1 }))
}

/** The Yjs v1 update a snapshot written by `encodeSnapshot` (or `deflateUpdate`) holds. */
export function decodeSnapshot(snapshot: Uint8Array): Uint8Array {
  return new Uint8Array(inflateRawSync(snapshot))
}

/** Replaces a document's projected regions and tags, in one transaction. */
export async function writeRegions(
  db: Db,
  info: DocumentInfo,
  list: Region[],
  tags: string[],
): Promise<void> {
  const rows = regionRows(info, list)
  await db.transaction(async (tx) => {
    await tx.delete(regions).where(eq(regions.documentName, info.name))
    await insertRegionRows(tx, rows)
    // Everything stored so far is in `list`, bulk writes still waiting to be projected too.
    await tx
      .update(documents)
      .set({ tags, pendingProjections: 0 })
      .where(eq(documents.name, info.name))
  })
}

/** Inserts projection rows as JSON expanded in SQL (see `appendBulk` for why). */
async function insertRegionRows(tx: Pick<Db, 'execute'>, rows: ReturnType<typeof regionRows>) {
  for (let i = 0; i < rows.length; i += REGION_ROWS_PER_INSERT) {
    const chunk = JSON.stringify(rows.slice(i, i + REGION_ROWS_PER_INSERT))
    await tx.execute(sql`
      insert into regions (document_name, region_id, project_id, asset_id, layer, kind, label_id,
        geometry, attributes, source, score, created_by, updated_by, created_at, updated_at)
      select r.document_name, r.region_id, r.project_id, r.asset_id, r.layer, r.kind, r.label_id,
        r.geometry, r.attributes, r.source, r.score, r.created_by, r.updated_by, r.created_at,
        r.updated_at
      from json_to_recordset(${chunk}::json) as r(document_name text, region_id text,
        project_id text, asset_id text, layer text, kind text, label_id text, geometry jsonb,
        attributes jsonb, source text, score double precision, created_by text, updated_by text,
        created_at bigint, updated_at bigint)
      on conflict do nothing`)
  }
}

function regionRows(info: DocumentInfo, list: Region[]) {
  return list.map((region) => ({
    document_name: info.name,
    region_id: region.id,
    project_id: info.projectId,
    asset_id: info.assetId,
    layer: info.layer,
    kind: region.kind,
    label_id: region.labelId,
    geometry: region.geometry,
    attributes: region.attributes,
    source: region.source,
    score: region.score,
    created_by: region.createdBy,
    updated_by: region.updatedBy,
    created_at: Math.round(region.createdAt),
    updated_at: Math.round(region.updatedAt),
  }))
}
