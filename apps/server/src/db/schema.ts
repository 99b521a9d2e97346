import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

/** Binary column; drizzle has no first-class bytea for both drivers. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
  toDriver: (value) => (typeof Buffer === 'undefined' ? value : Buffer.from(value)),
})

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  isAdmin: boolean('is_admin').notNull().default(false),
  createdAt: createdAt(),
})

/** Session ids are stored as SHA-256 hashes, so a database leak does not leak sessions. */
export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
})

export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
})

export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  /**
   * Dataset-level blocks an import carried that Concord does not edit (COCO `info` and
   * `licenses`), by format, written back by exports of that format.
   */
  interchange: jsonb('interchange')
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  createdAt: createdAt(),
})

export const projectMembers = pgTable(
  'project_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['annotator', 'reviewer', 'lead'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
)

export const labels = pgTable(
  'labels',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    color: text('color').notNull(),
    hotkey: integer('hotkey'),
    kinds: jsonb('kinds')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    position: integer('position').notNull(),
    /**
     * What the formats carry about a label beyond its name (COCO `supercategory`, keypoint
     * names and skeleton), written back by exports.
     */
    interchange: jsonb('interchange')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('labels_project_idx').on(t.projectId)],
)

/** One item to label. The image bytes live in the blob store under `blobHash`. */
export const assets = pgTable(
  'assets',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    blobHash: text('blob_hash').notNull(),
    mediaType: text('media_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /**
     * The image as displayed (EXIF orientation applied, re-encoded for browsers) when it
     * differs from the original; null means the original is served as it is.
     */
    displayBlobHash: text('display_blob_hash'),
    displayMediaType: text('display_media_type'),
    /** A JPEG at most 256 px on its long side, made at upload. */
    thumbnailBlobHash: text('thumbnail_blob_hash'),
    /**
     * Item fields an import carried that Concord does not edit (COCO `license`, `coco_url`,
     * `date_captured`...), by format, written back by exports of that format.
     */
    interchange: jsonb('interchange')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /**
     * Where the item sits in the dataset an import brought it from: its subset (`train`, `val`)
     * and its path within that subset, which exports write it under. `fileName` keeps where
     * the image was in the upload; null `itemPath` means the file name is the item's path.
     */
    subset: text('subset').notNull().default(''),
    itemPath: text('item_path'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('assets_project_file_idx').on(t.projectId, t.fileName)],
)

/**
 * A Yjs document's compacted state. `snapshotSeq` is the last log entry folded into the
 * snapshot; entries after it in `document_updates` still apply on load.
 */
export const documents = pgTable('documents', {
  name: text('name').primaryKey(),
  assetId: text('asset_id')
    .notNull()
    .references(() => assets.id, { onDelete: 'cascade' }),
  layer: text('layer').notNull(),
  snapshot: bytea('snapshot'),
  snapshotSeq: bigint('snapshot_seq', { mode: 'number' }).notNull().default(0),
  /** Label ids of the whole-asset tags, projected from the document like its regions. */
  tags: jsonb('tags')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  /**
   * Bulk writes (imports) whose log entries are not yet in `regions`: each adds one in the
   * transaction that writes its entries and takes one off in the one that projects them; a full
   * projection of the document sets it to 0. Documents still above 0 at start-up are projected
   * again from their stored state.
   */
  pendingProjections: integer('pending_projections').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Append-only log of Yjs updates, folded into `documents.snapshot` by compaction. */
export const documentUpdates = pgTable(
  'document_updates',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    documentName: text('document_name')
      .notNull()
      .references(() => documents.name, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('document_updates_doc_seq_idx').on(t.documentName, t.seq)],
)

/**
 * Regions projected out of documents after changes settle, so queues, counts and exports are
 * queries rather than document scans. Always derivable from the documents.
 */
export const regions = pgTable(
  'regions',
  {
    documentName: text('document_name')
      .notNull()
      .references(() => documents.name, { onDelete: 'cascade' }),
    regionId: text('region_id').notNull(),
    projectId: text('project_id').notNull(),
    assetId: text('asset_id').notNull(),
    layer: text('layer').notNull(),
    kind: text('kind').notNull(),
    labelId: text('label_id').notNull(),
    geometry: jsonb('geometry').notNull(),
    attributes: jsonb('attributes').notNull(),
    source: text('source').notNull(),
    score: doublePrecision('score'),
    createdBy: text('created_by').notNull(),
    updatedBy: text('updated_by').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.documentName, t.regionId] }),
    index('regions_project_layer_idx').on(t.projectId, t.layer),
    index('regions_asset_idx').on(t.assetId),
  ],
)

/**
 * A long import or export, run by the server's job runner. `result*` name the finished file in
 * the blob store; `summary` holds what the synchronous route would have answered (imported
 * counts, warnings, report) and `error` the `{ code, message, details }` of a failure.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ['import', 'export'] }).notNull(),
    format: text('format').notNull(),
    state: text('state', {
      enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
    }).notNull(),
    phase: text('phase'),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    resultBlobHash: text('result_blob_hash'),
    resultFileName: text('result_file_name'),
    resultMediaType: text('result_media_type'),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    error: jsonb('error').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** Touched with every progress write: a running job whose mark goes stale lost its process. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('jobs_project_created_idx').on(t.projectId, t.createdAt)],
)
