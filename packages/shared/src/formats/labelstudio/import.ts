import { rboxFromTopLeft, normalizeAngle } from '../../geometry/index.ts'
import { parseJson, parseWithSchema } from '../common/json.ts'
import { itemKey, normalizePath } from '../paths.ts'
import { isBlankLabel, skipUnlabelled } from '../common/labels.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeLabel,
  InterchangeRegion,
} from '../model.ts'
import { FormatError } from '../model.ts'
import { readBrush } from './brush.ts'
import { ellipseToPolygon } from './ellipse.ts'
import {
  applyKeypointNames,
  joinKeypoints,
  type JoinedKeypoints,
  type KeypointEntry,
} from './keypoints.ts'
import {
  lsAnnotationSchema,
  lsEllipseValue,
  lsKeypointValue,
  lsPolygonValue,
  lsRectValue,
  lsTasksSchema,
} from './schema.ts'
import type { LsResult } from './schema.ts'

export type LabelStudioImportOptions = {
  /** Size of an image by its item path, for results without `original_width`/`original_height`. */
  sizeOf?: (path: string) => { width: number; height: number } | undefined
  /** Key in `task.data` holding the image; by default `image`, else the first string value. */
  imageKey?: string
  subset?: string
}

/** Rotations closer than this to a multiple of 360 degrees are imported as axis-aligned boxes. */
const ANGLE_EPSILON = 1e-9

const SHAPE_TYPES = new Set([
  'rectangle',
  'rectanglelabels',
  'polygon',
  'polygonlabels',
  'keypoint',
  'keypointlabels',
  'ellipse',
  'ellipselabels',
  'brush',
  'brushlabels',
])

/**
 * Turns a Label Studio image reference into an item path: strips `/data/upload/<project>/` and
 * the 8-hex-digit prefix Label Studio puts before every uploaded file name (`3f2a1b2c-cat.jpg` was
 * uploaded as `cat.jpg`), `/data/local-files/?d=`, a URL's scheme and host, then URL-decodes and
 * NFC-normalises.
 */
export function labelStudioImagePath(ref: string): string {
  let p = ref.trim()
  const local = /^\/?data\/local-files\/?\?d=(.*)$/.exec(p)
  if (local) p = local[1]!
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p))
    p = p.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '')
  const upload = /^\/?data\/upload\/\d+\/(.*)$/.exec(p)
  if (upload) p = upload[1]!.replace(/^[0-9a-f]{8}-(?=[^/]+$)/, '')
  return normalizePath(p)
}

/**
 * Imports Label Studio's JSON task export: rectangles (rotation in degrees clockwise about the
 * top-left corner, converted in pixels), polygons, keypoints (sets joined by `parentID`, see
 * `keypoints.ts`), brushes as masks, ellipses as polygons, and choices (image tags, or region
 * attributes when they share the region's id). Predictions become regions with `source: 'model'`.
 */
export function importLabelStudio(
  files: FileSet,
  options: LabelStudioImportOptions = {},
): { dataset: InterchangeDataset; report: ConversionReport } {
  const report = new ReportBuilder()
  const labels: string[] = []
  const items = new Map<string, InterchangeItem>()
  const joined: JoinedKeypoints[] = []
  const subset = options.subset ?? ''
  const jsonFiles = [...files.keys()].filter((f) => f.toLowerCase().endsWith('.json')).sort()
  if (jsonFiles.length === 0)
    throw new FormatError('(files)', undefined, 'no Label Studio .json file')

  for (const file of jsonFiles) {
    const tasks = parseWithSchema(file, lsTasksSchema, parseJson(file, files.get(file)!))
    tasks.forEach((task, t) => {
      const ref = imageRef(task.data, options.imageKey)
      if (ref === undefined) {
        report.count('skipped', 'task without an image reference skipped', file)
        return
      }
      const path = labelStudioImagePath(ref)
      if (!path)
        throw new FormatError(file, `[${t}].data`, `image reference "${ref}" gives no path`)
      const key = itemKey(subset, path)
      let item = items.get(key)
      if (!item) {
        item = { key, subset, path, regions: [], tags: [] }
        items.set(key, item)
      }
      const annotations = (task.annotations ?? []).filter((a) => !a.was_cancelled)
      if (annotations.length > 1) {
        report.count(
          'other',
          'task with several annotations: all were imported into one item',
          file,
        )
      }
      const ctx = { file, report, labels, sizeOf: options.sizeOf, item, joined }
      annotations.forEach((a, i) => {
        readResults(a.result ?? [], `[${t}].annotations[${i}]`, ctx, {
          source: 'human',
          annotationId: a.id,
          annotator: a.completed_by,
        })
      })
      if (!item.width || !item.height) {
        const known = options.sizeOf?.(item.key) ?? options.sizeOf?.(item.path)
        if (known) Object.assign(item, known)
      }
      ;(task.predictions ?? []).forEach((raw, i) => {
        const prediction = lsAnnotationSchema.safeParse(raw)
        if (!prediction.success) return
        const p = prediction.data
        readResults(p.result ?? [], `[${t}].predictions[${i}]`, ctx, {
          source: 'model',
          score: p.score ?? undefined,
        })
      })
    })
  }

  const datasetLabels: InterchangeLabel[] = labels.map((name) => ({ name }))
  applyKeypointNames(datasetLabels, joined)
  return {
    dataset: { labels: datasetLabels, items: [...items.values()] },
    report: report.build(),
  }
}

type ReadContext = {
  file: string
  report: ReportBuilder
  labels: string[]
  sizeOf: LabelStudioImportOptions['sizeOf']
  item: InterchangeItem
  /** Keypoint sets joined so far, named once every task is read. */
  joined: JoinedKeypoints[]
}

/** Where results came from; the annotation id and annotator let a caller split annotators apart. */
type Provenance = {
  source: 'human' | 'model'
  score?: number | undefined
  annotationId?: unknown
  annotator?: unknown
}

function readResults(results: LsResult[], where: string, ctx: ReadContext, prov: Provenance): void {
  const { item, report, file } = ctx
  const byId = new Map<string, InterchangeRegion>()
  const labelOf = new Map<string, string>()
  const keypoints: KeypointEntry[] = []
  // Label Studio may split a region into a shape result and a `labels` result with the same id.
  for (const r of results) {
    const label = firstLabel(r)
    if (r.id != null && label !== undefined) labelOf.set(String(r.id), label)
  }

  results.forEach((r, i) => {
    if (!SHAPE_TYPES.has(r.type)) return
    const at = `${where}.result[${i}]`
    const label = firstLabel(r) ?? (r.id != null ? labelOf.get(String(r.id)) : undefined)
    if (label === undefined) {
      report.count('skipped', `${r.type} result without a label skipped`, file)
      return
    }
    if (isBlankLabel(label)) return skipUnlabelled(report, file, at)
    if (labelCount(r) > 1) {
      report.count('lossy', 'region with several labels: the first one was kept', file)
    }
    const size = sizeFor(r, ctx)
    if (!size) {
      report.warn({
        code: 'missing-size',
        message: `image size unknown for ${item.path}; region skipped`,
        file,
        path: at,
      })
      return
    }
    if (r.image_rotation)
      report.count('other', 'image_rotation is not applied; regions kept as drawn', file)
    const region = readShape(r, at, size, report, file)
    if (!region) return
    if (!ctx.labels.includes(label)) ctx.labels.push(label)
    const full: InterchangeRegion = {
      ...region,
      label,
      attributes: {},
      source: prov.source,
      ...(r.score != null || prov.score != null ? { score: r.score ?? prov.score } : {}),
      ...(r.id != null ? { sourceId: r.id } : {}),
      ...(prov.annotationId != null
        ? {
            extra: {
              labelStudioAnnotation: prov.annotationId,
              ...(prov.annotator != null ? { labelStudioAnnotator: prov.annotator } : {}),
            },
          }
        : {}),
    } as InterchangeRegion
    item.regions.push(full)
    if (r.id != null) byId.set(String(r.id), full)
    if (full.kind === 'point') keypoints.push(keypointEntry(r, full))
  })
  ctx.joined.push(...joinKeypoints(item.regions, keypoints))

  for (const r of results) {
    if (SHAPE_TYPES.has(r.type) || /labels$/.test(r.type)) {
      if (!SHAPE_TYPES.has(r.type) && r.type !== 'labels') {
        report.count('skipped', `${r.type} results are not supported; skipped`, file)
      }
      continue
    }
    const values = valueList(r)
    if (values === undefined) {
      report.count('skipped', `${r.type} results are not supported; skipped`, file)
      continue
    }
    const region = r.id != null ? byId.get(String(r.id)) : undefined
    if (region) {
      // A single text answer reads back as the string it was written from.
      region.attributes[r.from_name ?? r.type] =
        r.type === 'textarea' && values.length === 1 ? values[0] : values
    } else if (r.type === 'choices') {
      for (const v of values) if (!isBlankLabel(v) && !item.tags.includes(v)) item.tags.push(v)
    } else {
      report.count('skipped', `${r.type} result not attached to a region skipped`, file)
    }
  }
}

function readShape(
  r: LsResult,
  at: string,
  size: { width: number; height: number },
  report: ReportBuilder,
  file: string,
) {
  const sx = size.width / 100
  const sy = size.height / 100
  if (r.type.startsWith('rectangle')) {
    const v = parseWithSchema(file, lsRectValue, r.value, `${at}.value`)
    const x = v.x * sx
    const y = v.y * sy
    const w = v.width * sx
    const h = v.height * sy
    const angle = normalizeAngle(v.rotation ?? 0)
    if (Math.min(angle, 360 - angle) < ANGLE_EPSILON)
      return { kind: 'bbox' as const, geometry: { x, y, w, h } }
    // Rotate in pixels: the percent units of x and y differ on a non-square image.
    return { kind: 'rbox' as const, geometry: rboxFromTopLeft(x, y, w, h, angle) }
  }
  if (r.type.startsWith('polygon')) {
    const v = parseWithSchema(file, lsPolygonValue, r.value, `${at}.value`)
    return {
      kind: 'polygon' as const,
      geometry: { points: v.points.map(([px, py]) => [px * sx, py * sy] as [number, number]) },
    }
  }
  if (r.type.startsWith('ellipse')) {
    const v = parseWithSchema(file, lsEllipseValue, r.value, `${at}.value`)
    const points = ellipseToPolygon(
      v.x * sx,
      v.y * sy,
      v.radiusX * sx,
      v.radiusY * sy,
      v.rotation ?? 0,
    )
    report.count('lossy', 'ellipses have no region kind of their own: imported as polygons', file)
    return { kind: 'polygon' as const, geometry: { points } }
  }
  if (r.type.startsWith('brush')) return readBrush(r, at, size, report, file)
  const v = parseWithSchema(file, lsKeypointValue, r.value, `${at}.value`)
  return { kind: 'point' as const, geometry: { x: v.x * sx, y: v.y * sy } }
}

function keypointEntry(r: LsResult, region: InterchangeRegion): KeypointEntry {
  const parent = r.parentID
  const meta = r.meta as { text?: unknown } | undefined
  const text = Array.isArray(meta?.text) ? meta.text[0] : meta?.text
  return {
    id: r.id != null ? String(r.id) : undefined,
    parentId: typeof parent === 'string' || typeof parent === 'number' ? String(parent) : undefined,
    name: typeof text === 'string' && text !== '' ? text : undefined,
    region,
  }
}

function sizeFor(r: LsResult, ctx: ReadContext): { width: number; height: number } | undefined {
  const item = ctx.item
  if (r.original_width && r.original_height) {
    item.width ??= r.original_width
    item.height ??= r.original_height
    return { width: r.original_width, height: r.original_height }
  }
  if (item.width && item.height) return { width: item.width, height: item.height }
  const known = ctx.sizeOf?.(item.key) ?? ctx.sizeOf?.(item.path)
  if (known) {
    item.width = known.width
    item.height = known.height
  }
  return known
}

/** Value keys that hold a region's labels, one per labelled control. */
const LABEL_KEYS = [
  'rectanglelabels',
  'polygonlabels',
  'keypointlabels',
  'ellipselabels',
  'brushlabels',
]

function firstLabel(r: LsResult): string | undefined {
  for (const key of [r.type, 'labels', ...LABEL_KEYS]) {
    const list = r.value[key]
    if (key.endsWith('labels') && Array.isArray(list) && typeof list[0] === 'string') return list[0]
  }
  return undefined
}

function labelCount(r: LsResult): number {
  const list = r.value[r.type.endsWith('labels') ? r.type : 'labels']
  return Array.isArray(list) ? list.length : 0
}

function valueList(r: LsResult): string[] | undefined {
  const list = r.value[r.type === 'textarea' ? 'text' : r.type]
  if (!Array.isArray(list)) return undefined
  return list.flat().filter((v): v is string => typeof v === 'string')
}

function imageRef(data: Record<string, unknown>, key: string | undefined): string | undefined {
  if (key !== undefined) return typeof data[key] === 'string' ? (data[key] as string) : undefined
  if (typeof data.image === 'string') return data.image
  for (const value of Object.values(data))
    if (typeof value === 'string' && /\.[a-z0-9]{2,5}(\?|$)/i.test(value)) return value
  return undefined
}
