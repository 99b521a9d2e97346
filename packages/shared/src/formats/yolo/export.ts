import { stringify as stringifyYaml } from 'yaml'
import type { BboxGeometry } from '../../domain/region.ts'
import {
  boundsOfPoints,
  clipBbox,
  outerRings,
  rboxBounds,
  rboxCorners,
  rleBbox,
} from '../../geometry/index.ts'
import { declaredBox } from '../common/declared-box.ts'
import { encodeText } from '../common/json.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from '../model.ts'
import { NameAllocator, extName, normalizePath, stripExt } from '../paths.ts'
import { YOLO_TASKS, type YoloTask } from './import.ts'
import { formatBbox, formatPoints } from './lines.ts'
import type { YoloManifest } from './manifest.ts'
import { chooseOption } from '../common/options.ts'

export type YoloExportOptions = {
  /** `detect` (default) writes boxes, `segment` polygons, `obb` rotated boxes as 4 corners. */
  task?: YoloTask
}

export type YoloExportResult = {
  files: FileSet
  report: ConversionReport
  /** Where each item's image belongs in the export (`images/<split>/...`), by item key. */
  images: Map<string, string>
}

/** Split keys that Ultralytics reads, by the subset names people give them. */
const STANDARD_SPLITS: Record<string, string> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
  testing: 'test',
}

type Pt = [number, number]

/**
 * Writes an Ultralytics dataset: `data.yaml` (names as a map, one key per split pointing at
 * `images/<split>`), and `labels/<split>/<path stem>.txt` for every item, empty when it has no
 * regions. Values are clipped to the image and rounded (never truncated) to 6 decimals.
 * Whatever the task cannot carry is counted in `report.lossiness`. File names and subsets that
 * YOLO cannot hold are recorded in data.yaml under `concord` (see manifest.ts).
 */
export function exportYolo(
  dataset: InterchangeDataset,
  options: YoloExportOptions = {},
): YoloExportResult {
  const task = chooseOption('task', options.task, YOLO_TASKS, 'detect')
  const report = new ReportBuilder()
  const names = classNames(dataset, report)
  const classOf = new Map(names.map((name, i) => [name, i]))
  const files: FileSet = new Map()
  const images = new Map<string, string>()
  const splits = assignSplits(dataset.items)
  const labelNames = new NameAllocator()
  labelNames.reserve('data.yaml')
  const manifestItems: NonNullable<YoloManifest['items']> = []

  for (const item of dataset.items) {
    const split = splits.get(item.subset)!
    const path = safeRelative(item.path)
    const stem = stripExt(path)
    let label = `labels/${split.dir}/${stem}.txt`
    let image = `images/${split.dir}/${path}`
    if (labelNames.has(label)) {
      // Same stem as an earlier item (a.jpg and a.png): rename both image and label.
      const ext = extName(path)
      label = labelNames.allocate(`labels/${split.dir}/${stem}_${ext.slice(1) || 'noext'}.txt`)
      image = `images/${split.dir}/${stripExt(label.slice(`labels/${split.dir}/`.length))}${ext}`
    } else {
      labelNames.reserve(label)
    }
    if (image !== `images/${split.dir}/${item.path}`) {
      manifestItems.push({ image, subset: item.subset, path: item.path })
    }
    images.set(item.key, image)
    const lines = itemLines(item, task, classOf, report)
    if (lines) files.set(label, encodeText(lines.map((l) => l.join(' ') + '\n').join('')))
  }

  // TODO(#3): Ultralytics training wants a `val` key; a dataset without a val subset gets none.
  const subsets: Record<string, string> = {}
  const yaml: Record<string, unknown> = { path: '.' }
  for (const [subset, split] of splits) {
    yaml[split.key] = `images/${split.dir}`
    if (split.key !== subset) subsets[split.key] = subset
  }
  yaml.names = Object.fromEntries(names.map((name, i) => [i, name]))
  const manifest: YoloManifest = { version: 1, task }
  if (Object.keys(subsets).length > 0) manifest.subsets = subsets
  if (manifestItems.length > 0) manifest.items = manifestItems
  yaml.concord = manifest
  files.set('data.yaml', encodeText(stringifyYaml(yaml)))
  return { files, report: report.build(), images }
}

/** Labels in the dataset's order, then any that regions use without declaring. */
function classNames(dataset: InterchangeDataset, report: ReportBuilder): string[] {
  const names = [...new Set(dataset.labels.map((label) => label.name))]
  const known = new Set(names)
  for (const item of dataset.items) {
    for (const region of item.regions) {
      if (known.has(region.label)) continue
      known.add(region.label)
      names.push(region.label)
      report.warn({ code: 'unknown-label', message: `label "${region.label}" added to names` })
    }
  }
  return names
}

/** Each subset gets a folder name that is safe on disk and a yaml key Ultralytics knows. */
function assignSplits(items: InterchangeItem[]): Map<string, { key: string; dir: string }> {
  const splits = new Map<string, { key: string; dir: string }>()
  const dirs = new NameAllocator()
  const keys = new Set(['path', 'names', 'nc', 'concord', 'download'])
  for (const item of items) {
    if (splits.has(item.subset)) continue
    const dir = dirs.allocate(item.subset.replace(/[^\w.-]/g, '_').replace(/^\.+/, '') || 'train')
    const standard =
      STANDARD_SPLITS[item.subset.toLowerCase()] ?? (item.subset ? undefined : 'train')
    const key = standard && !keys.has(standard) ? standard : dir
    keys.add(key)
    splits.set(item.subset, { key, dir })
  }
  return splits
}

/** An item path made safe to write: no parent or empty segments. */
function safeRelative(path: string): string {
  return (
    normalizePath(path)
      .split('/')
      .filter((segment) => segment !== '..')
      .join('/') || 'image'
  )
}

function itemLines(
  item: InterchangeItem,
  task: YoloTask,
  classOf: Map<string, number>,
  report: ReportBuilder,
): string[][] | undefined {
  const { width, height } = item
  if (!width || !height) {
    if (item.regions.length === 0) return []
    report.warn({
      code: 'missing-size',
      message: `image size unknown: no label file written, ${item.regions.length} regions lost`,
      file: item.path,
      count: item.regions.length,
    })
    return undefined
  }
  if (item.tags.length > 0) report.lossy('tag', 'YOLO has no image tags', item.tags.length)
  const lines: string[][] = []
  for (const region of item.regions) {
    if (Object.keys(region.attributes).length > 0) {
      report.lossy('attribute', 'YOLO has no attributes')
    }
    if (region.score !== undefined && region.score !== null) {
      report.lossy('attribute', 'YOLO training labels carry no score')
    }
    const cls = String(classOf.get(region.label)!)
    for (const values of regionValues(region, task, width, height, report)) {
      lines.push([cls, ...values])
    }
  }
  return lines
}

/** The normalised values of one region for the task; several lines for a multi-part polygon. */
function regionValues(
  region: InterchangeRegion,
  task: YoloTask,
  width: number,
  height: number,
  report: ReportBuilder,
): string[][] {
  const box = (bounds: BboxGeometry): string[][] => {
    const { box: clipped, clipped: changed } = clipBbox(bounds, width, height)
    if (changed) report.count('clipped', 'box clipped to the image')
    if (clipped.w <= 0 || clipped.h <= 0) {
      report.count('skipped', 'region outside the image or without area not written')
      return []
    }
    if (task === 'detect') return [formatBbox(clipped, width, height)]
    const { x, y, w, h } = clipped
    const corners: Pt[] = [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ]
    return [formatPoints(corners, width, height)]
  }
  // TODO(#3): clip polygons to the image (Sutherland-Hodgman) instead of clamping vertices.
  const quad = (points: Pt[]): string[][] => {
    const inside = points.map(([x, y]): Pt => [clampTo(x, width), clampTo(y, height)])
    if (inside.some(([x, y], i) => x !== points[i]![0] || y !== points[i]![1])) {
      report.count('clipped', 'points clamped to the image')
    }
    return [formatPoints(inside, width, height)]
  }
  switch (region.kind) {
    case 'bbox':
      if (task !== 'detect') report.lossy('bbox', `written as 4 corners in a ${task} file`)
      return box(region.geometry)
    case 'rbox':
      if (task === 'obb') return quad(rboxCorners(region.geometry))
      if (task === 'segment') {
        report.lossy('rbox', 'written as a 4-point polygon')
        return quad(rboxCorners(region.geometry))
      }
      report.lossy('rbox', 'rotation dropped: written as the axis-aligned bounds in pixels')
      return box(rboxBounds(region.geometry))
    case 'polygon': {
      const polygon = region.geometry
      if (task !== 'segment') {
        report.lossy('polygon', `written as its bounding box in a ${task} file`)
        return box(declaredBox(region, boundsOfPoints(outerRings(polygon).flat())))
      }
      if (polygon.holes?.length) report.lossy('polygon', 'holes dropped')
      if (polygon.parts?.length) report.lossy('polygon', 'parts written as separate objects')
      return outerRings(polygon).flatMap((ring) => quad(ring))
    }
    case 'polyline':
      if (task === 'segment') {
        report.lossy('polyline', 'a line has no area in a segment file; not written')
        return []
      }
      report.lossy('polyline', 'written as its bounding box')
      return box(boundsOfPoints(region.geometry.points))
    case 'mask':
      if (task === 'segment') {
        // TODO(#3): trace mask contours into polygons for segment exports.
        report.lossy('mask', 'masks are not traced into polygons yet; not written')
        return []
      }
      report.lossy('mask', 'written as its bounding box')
      return box(declaredBox(region, rleBbox(region.geometry)))
    case 'point':
    case 'keypoints':
      // TODO(#3): Ultralytics pose export (kpt_shape) for keypoints.
      report.lossy(region.kind, `YOLO ${task} files carry no points; not written`)
      return []
  }
}

function clampTo(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value
}
