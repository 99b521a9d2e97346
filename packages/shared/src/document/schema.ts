import * as Y from 'yjs'
import type { Layer } from '../domain/layer.ts'
import {
  isRegionKind,
  parseGeometry,
  type GeometryOf,
  type Region,
  type RegionKind,
} from '../domain/region.ts'

/**
 * Version of the document layout below. Other clients (scripts, model servers) join documents
 * with any Yjs client, so the layout is a file format: bump this on any incompatible change.
 */
export const DOCUMENT_SCHEMA_VERSION = 1

/** Top-level shared types of a document, by name. */
export const DOC_KEYS = {
  meta: 'meta',
  regions: 'regions',
  threads: 'threads',
  verdicts: 'verdicts',
  tags: 'tags',
} as const

/** Keys of the Y.Map that holds one region; one key per field so concurrent field edits merge. */
export const REGION_FIELDS = [
  'kind',
  'labelId',
  'geometry',
  'attributes',
  'source',
  'score',
  'createdBy',
  'updatedBy',
  'createdAt',
  'updatedAt',
  'guidelineVersion',
] as const

export type RegionMap = Y.Map<unknown>

export function getMeta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(DOC_KEYS.meta)
}

export function getRegionsMap(doc: Y.Doc): Y.Map<RegionMap> {
  return doc.getMap<RegionMap>(DOC_KEYS.regions)
}

export function getThreadsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_KEYS.threads)
}

export function getVerdictsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(DOC_KEYS.verdicts)
}

export function getTagsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(DOC_KEYS.tags)
}

/**
 * The labels of the whole asset (classification tags): label ids whose value in `tags` is
 * true, sorted. Other values are a foreign client's and are skipped.
 */
export function readTags(doc: Y.Doc): string[] {
  const out: string[] = []
  for (const [labelId, value] of getTagsMap(doc)) if (value === true) out.push(labelId)
  return out.sort()
}

/** Writes `meta` once; safe to call on every open since it only fills missing keys. */
export function initMeta(doc: Y.Doc, assetId: string, layer: Layer): void {
  const meta = getMeta(doc)
  doc.transact(() => {
    if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', DOCUMENT_SCHEMA_VERSION)
    if (meta.get('assetId') === undefined) meta.set('assetId', assetId)
    if (meta.get('layer') === undefined) meta.set('layer', layer)
  })
}

/**
 * Reads one region out of its Y.Map. Returns null for a region that does not follow the
 * schema (written by a foreign client, say), so readers skip it rather than crash.
 */
export function readRegion(id: string, map: RegionMap): Region | null {
  const kind = map.get('kind')
  if (!isRegionKind(kind)) return null
  const geometry = parseGeometry(kind, map.get('geometry'))
  if (geometry === null) return null
  const labelId = map.get('labelId')
  const attributes = map.get('attributes')
  const score = map.get('score')
  const source = map.get('source')
  const guidelineVersion = map.get('guidelineVersion')
  return {
    id,
    kind,
    geometry,
    labelId: typeof labelId === 'string' ? labelId : '',
    attributes: isPlainObject(attributes) ? attributes : {},
    source: source === 'model' ? 'model' : 'human',
    score: typeof score === 'number' && Number.isFinite(score) ? score : null,
    createdBy: stringOr(map.get('createdBy'), ''),
    updatedBy: stringOr(map.get('updatedBy'), ''),
    createdAt: numberOr(map.get('createdAt'), 0),
    updatedAt: numberOr(map.get('updatedAt'), 0),
    guidelineVersion: typeof guidelineVersion === 'number' ? guidelineVersion : null,
  } as Region
}

/** All regions of a document that follow the schema, in insertion-independent id order. */
export function readRegions(doc: Y.Doc): Region[] {
  const out: Region[] = []
  const ids = [...getRegionsMap(doc).keys()].sort()
  for (const id of ids) {
    const map = getRegionsMap(doc).get(id)
    if (!(map instanceof Y.Map)) continue
    const region = readRegion(id, map)
    if (region) out.push(region)
  }
  return out
}

export type NewRegion<K extends RegionKind = RegionKind> = {
  id?: string
  kind: K
  labelId: string
  geometry: GeometryOf<K>
  attributes?: Record<string, unknown>
  source?: 'human' | 'model'
  score?: number | null
  guidelineVersion?: number | null
}

/** Adds a region in one transaction and returns its id. */
export function addRegion(doc: Y.Doc, region: NewRegion, by: string, now = Date.now()): string {
  const id = region.id ?? newRegionId()
  const map = new Y.Map<unknown>()
  map.set('kind', region.kind)
  map.set('labelId', region.labelId)
  map.set('geometry', region.geometry)
  map.set('attributes', region.attributes ?? {})
  map.set('source', region.source ?? 'human')
  map.set('score', region.score ?? null)
  map.set('createdBy', by)
  map.set('updatedBy', by)
  map.set('createdAt', now)
  map.set('updatedAt', now)
  map.set('guidelineVersion', region.guidelineVersion ?? null)
  doc.transact(() => getRegionsMap(doc).set(id, map))
  return id
}

export type RegionPatch = Partial<
  Pick<Region, 'labelId' | 'geometry' | 'attributes' | 'score' | 'source'>
>

/**
 * Changes fields of a region; each field is its own key, so a move by one person and a
 * relabel by another merge. Returns false when the region does not exist.
 */
export function updateRegion(
  doc: Y.Doc,
  id: string,
  patch: RegionPatch,
  by: string,
  now = Date.now(),
): boolean {
  const map = getRegionsMap(doc).get(id)
  if (!(map instanceof Y.Map)) return false
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) map.set(key, value)
    }
    map.set('updatedBy', by)
    map.set('updatedAt', now)
  })
  return true
}

export function deleteRegion(doc: Y.Doc, id: string): boolean {
  const regions = getRegionsMap(doc)
  if (!regions.has(id)) return false
  doc.transact(() => regions.delete(id))
  return true
}

/** Region ids are random, URL-safe and short enough to show in a list. */
export function newRegionId(): string {
  if (randomOffset + ID_LENGTH > randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool)
    randomOffset = 0
  }
  let out = ''
  for (let i = 0; i < ID_LENGTH; i++) out += ALPHABET[randomPool[randomOffset++]! & 63]
  return out
}

/** 64 symbols, so that a random byte masked to 6 bits picks one without bias. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'
/** 16 symbols of 6 bits: 96 random bits, as many as the 12 random bytes before. */
const ID_LENGTH = 16
/** Random bytes drawn in bulk: one `getRandomValues` call per id cost a second per 100,000. */
const randomPool = new Uint8Array(4096)
let randomOffset = randomPool.length

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}
