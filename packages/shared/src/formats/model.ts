import type { GeometryOf, RegionKind } from '../domain/region.ts'

/**
 * The interchange model every format converts to and from. It is format-neutral and holds
 * geometry in pixels of the displayed image, like the document.
 */

/** A region as formats see it: the label by name, since ids differ between tools. */
export type InterchangeRegion = {
  [K in RegionKind]: {
    kind: K
    label: string
    geometry: GeometryOf<K>
    attributes: Record<string, unknown>
    /** Model confidence, for predictions. */
    score?: number | null
    source?: 'human' | 'model'
    /** Instance grouping across regions (labelme `group_id`, COCO multi-part objects). */
    group?: string | number | null
    /** COCO `iscrowd`. */
    crowd?: boolean
    /** Identity in the source file, for messages and round trips; never used as a key. */
    sourceId?: string | number
    /** Lossless extras (provenance, ids) carried by the Concord JSON Lines format. */
    extra?: Record<string, unknown>
  }
}[RegionKind]

export type InterchangeItem = {
  /**
   * Unique key: subset and relative path, `train/images/a.jpg` and `val/images/a.jpg` are two
   * items. Paths use `/`, are URL-decoded and NFC-normalised.
   */
  key: string
  subset: string
  /** Relative path of the image inside the dataset, without the subset prefix. */
  path: string
  /** Displayed size (EXIF orientation applied), when the format or the caller knows it. */
  width?: number
  height?: number
  regions: InterchangeRegion[]
  /** Labels of the whole image (classification tags), by name. */
  tags: string[]
  attributes?: Record<string, unknown>
}

export type InterchangeLabel = {
  name: string
  color?: string
  /** Keypoint names and skeleton edges (1-based pairs, as in COCO) for keypoint labels. */
  keypoints?: string[]
  skeleton?: [number, number][]
  /** COCO's grouping of categories (`vehicle` for `car`), kept for a faithful round trip. */
  supercategory?: string
}

export type InterchangeDataset = {
  labels: InterchangeLabel[]
  items: InterchangeItem[]
  /**
   * Blocks of the whole file a format keeps for a faithful round trip, by format name (COCO's
   * `info` and `licenses` under `coco`). Formats ignore the keys of other formats.
   */
  meta?: Record<string, unknown>
}

/** A thing worth telling the user about an import or export; never silent. */
export type ReportEntry = {
  code:
    | 'clamped'
    | 'clipped'
    | 'skipped'
    | 'lossy'
    | 'unmatched-image'
    | 'renumbered'
    | 'unknown-label'
    | 'missing-size'
    | 'other'
  message: string
  /** Where: a file name, and a JSON path or line when there is one. */
  file?: string
  path?: string
  count?: number
}

/** What a format could not carry, per region kind, for an export. */
export type LossinessEntry = {
  kind: RegionKind | 'attribute' | 'tag'
  count: number
  reason: string
}

export type ConversionReport = {
  warnings: ReportEntry[]
  lossiness: LossinessEntry[]
}

/** A set of files by relative path, `/`-separated: one JSON file, or a zip's contents. */
export type FileSet = Map<string, Uint8Array>

/**
 * A malformed input. Imports are all or nothing: this error aborts the whole import and names
 * the file, the place in it (JSON path or line) and what is wrong.
 */
export class FormatError extends Error {
  readonly file: string
  readonly where: string | undefined
  constructor(file: string, where: string | undefined, message: string) {
    super(`${file}${where ? ` at ${where}` : ''}: ${message}`)
    this.name = 'FormatError'
    this.file = file
    this.where = where
  }
}

export function emptyReport(): ConversionReport {
  return { warnings: [], lossiness: [] }
}
