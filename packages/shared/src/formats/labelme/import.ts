import type { Point } from '../../geometry/index.ts'
import { boundsOfPoints, rleFromBinary } from '../../geometry/index.ts'
import { parseJson, parseWithSchema } from '../common/json.ts'
import { isBlankLabel, skipUnlabelled } from '../common/labels.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from '../model.ts'
import { FormatError } from '../model.ts'
import { sniffImageExtension } from '../common/image-type.ts'
import { dirName, isImagePath, itemKey, joinPath, normalizePath, stripExt } from '../paths.ts'
import { circleToPolygon } from './circle.ts'
import { decodePngMask, fromBase64 } from './png-mask.ts'
import { rboxFromCorners } from './rotation.ts'
import { labelmeFileSchema } from './schema.ts'
import type { LabelmeShape } from './schema.ts'

export type LabelmeImportOptions = {
  /** Size by item path, for files without `imageWidth`/`imageHeight` (needed for masks). */
  sizeOf?: (path: string) => { width: number; height: number } | undefined
  subset?: string
}

export type LabelmeImportResult = {
  dataset: InterchangeDataset
  report: ConversionReport
  /** Image bytes embedded as `imageData`, by item path, for the server to store as assets. */
  images: Map<string, Uint8Array>
}

/**
 * Imports labelme JSON, one file per image. Rectangles become boxes; polygons polygons; circles
 * a 64-gon (the circle itself is kept in `extra.labelmeCircle` so an unedited one exports as a
 * circle again); lines and line strips polylines; points points; masks (base64 PNG of the
 * shape's box) full-image RLE masks. Shape flags and non-empty descriptions become attributes,
 * image flags that are set become tags, and `group_id` (0 included) becomes `group`.
 *
 * Shapes of the AnyLabeling forks are read too: `rotation` (four corners) becomes a rotated
 * box, and `points` (several points under one label) one keypoint set, all visible, since the
 * points are one object. A shape type nobody knows is skipped with a warning naming it.
 */
export function importLabelme(
  files: FileSet,
  options: LabelmeImportOptions = {},
): LabelmeImportResult {
  const report = new ReportBuilder()
  const subset = options.subset ?? ''
  const labels: string[] = []
  const items = new Map<string, InterchangeItem>()
  const images = new Map<string, Uint8Array>()
  const jsonFiles = [...files.keys()].filter((f) => f.toLowerCase().endsWith('.json')).sort()
  if (jsonFiles.length === 0) throw new FormatError('(files)', undefined, 'no labelme .json file')
  const imageFiles = [...files.keys()].filter(isImagePath).sort()

  for (const file of jsonFiles) {
    const doc = parseWithSchema(file, labelmeFileSchema, parseJson(file, files.get(file)!))
    let embedded: Uint8Array | undefined
    if (doc.imageData) {
      try {
        embedded = fromBase64(doc.imageData)
      } catch {
        throw new FormatError(file, 'imageData', 'not valid base64')
      }
    }
    const path = embedded
      ? embeddedImagePath(file, doc.imagePath, embedded, imageFiles, report)
      : joinPath(dirName(file), doc.imagePath)
    const key = itemKey(subset, path)
    let item = items.get(key)
    if (item) {
      report.count('other', 'several labelme files name one image; their shapes were joined', file)
    } else {
      item = { key, subset, path, regions: [], tags: [] }
      items.set(key, item)
    }
    const size =
      doc.imageWidth && doc.imageHeight
        ? { width: doc.imageWidth, height: doc.imageHeight }
        : (options.sizeOf?.(path) ?? undefined)
    if (size) Object.assign(item, size)
    else report.warn({ code: 'missing-size', message: `image size unknown for ${path}`, file })

    if (embedded) images.set(path, embedded)
    for (const [flag, on] of Object.entries(doc.flags ?? {})) {
      if (on === true && !isBlankLabel(flag) && !item.tags.includes(flag)) item.tags.push(flag)
    }
    doc.shapes.forEach((shape, i) => {
      if (isBlankLabel(shape.label)) return skipUnlabelled(report, file, `shapes[${i}]`)
      const region = readShape(shape, `shapes[${i}]`, file, item, report)
      if (!region) return
      if (!labels.includes(region.label)) labels.push(region.label)
      item.regions.push(region)
    })
  }

  return {
    dataset: { labels: labels.map((name) => ({ name })), items: [...items.values()] },
    report: report.build(),
    images,
  }
}

/**
 * The item path of an image embedded as `imageData`. labelme names it by `imagePath`, but some
 * files carry the JSON's own name there (`apc2016_obj3.json`) or a name without an extension;
 * the bytes would then be stored as a `.json`. Such an image is named after the JSON: the
 * image of that stem beside it when the upload has one, else the stem with the extension the
 * bytes' magic number gives.
 */
function embeddedImagePath(
  file: string,
  imagePath: string,
  bytes: Uint8Array,
  imageFiles: string[],
  report: ReportBuilder,
): string {
  const written = joinPath(dirName(file), imagePath)
  if (isImagePath(written)) return written
  const stem = normalizePath(stripExt(file))
  const beside = imageFiles.find((image) => normalizePath(stripExt(image)) === stem)
  if (beside) return normalizePath(beside)
  const ext = sniffImageExtension(bytes)
  if (!ext) {
    report.warn({
      code: 'other',
      message: `imageData is not a JPEG, PNG, BMP, GIF or WebP image; item named ${stem}`,
      file,
      path: 'imageData',
    })
  }
  return `${stem}${ext ?? ''}`
}

function readShape(
  shape: LabelmeShape,
  where: string,
  file: string,
  item: InterchangeItem,
  report: ReportBuilder,
): InterchangeRegion | undefined {
  const type = shape.shape_type ?? 'polygon'
  const attributes: Record<string, unknown> = {
    ...(shape.attributes ?? {}),
    ...(shape.flags ?? {}),
  }
  if (shape.description) attributes.description = shape.description
  const base = {
    label: shape.label,
    attributes,
    ...(shape.group_id != null ? { group: shape.group_id } : {}),
  }
  const pts = shape.points as Point[]
  const need = (n: number) => {
    if (pts.length >= n) return true
    report.count('skipped', `${type} with fewer than ${n} points skipped`, file)
    return false
  }
  switch (type) {
    case 'rectangle': {
      if (!need(2)) return undefined
      return { ...base, kind: 'bbox', geometry: boundsOfPoints(pts) }
    }
    case 'polygon':
      if (!need(3)) return undefined
      return { ...base, kind: 'polygon', geometry: { points: pts } }
    case 'circle': {
      if (!need(2)) return undefined
      const [[cx, cy], [ex, ey]] = pts as [Point, Point]
      const circle = { cx, cy, r: Math.hypot(ex - cx, ey - cy), edge: [ex, ey] as [number, number] }
      report.count(
        'lossy',
        'circle kept as a 64-point polygon (exports back to labelme as a circle)',
        file,
      )
      return {
        ...base,
        kind: 'polygon',
        geometry: { points: circleToPolygon(circle) },
        extra: { labelmeCircle: circle },
      }
    }
    case 'line':
    case 'linestrip':
      if (!need(2)) return undefined
      return {
        ...base,
        kind: 'polyline',
        geometry: { points: pts },
        ...(type === 'line' ? { extra: { labelmeShape: 'line' } } : {}),
      }
    case 'point':
      if (!need(1)) return undefined
      return { ...base, kind: 'point', geometry: { x: pts[0]![0], y: pts[0]![1] } }
    case 'points': {
      if (!need(1)) return undefined
      if (pts.length === 1) {
        return { ...base, kind: 'point', geometry: { x: pts[0]![0], y: pts[0]![1] } }
      }
      const points = pts.map(([x, y]) => ({ x, y, v: 2 as const }))
      return { ...base, kind: 'keypoints', geometry: { points } }
    }
    case 'rotation':
      if (!need(4)) return undefined
      if (pts.length > 4)
        report.count('other', 'rotation with more than 4 points; first 4 read', file)
      return {
        ...base,
        kind: 'rbox',
        geometry: rboxFromCorners(pts.slice(0, 4) as [Point, Point, Point, Point]),
      }
    case 'mask':
      return readMask(shape, where, file, item, base, report)
    default:
      report.count(
        'skipped',
        `labelme shape type "${type}" in ${file} is not supported; skipped`,
        file,
      )
      return undefined
  }
}

/** labelme stores a mask as a PNG of the shape's box, placed at the box's integer corner. */
function readMask(
  shape: LabelmeShape,
  where: string,
  file: string,
  item: InterchangeItem,
  base: { label: string; attributes: Record<string, unknown>; group?: number },
  report: ReportBuilder,
): InterchangeRegion | undefined {
  if (!shape.mask) throw new FormatError(file, `${where}.mask`, 'mask shape without mask data')
  if (!item.width || !item.height) {
    report.count('missing-size', 'mask skipped: image size unknown', file)
    return undefined
  }
  let png
  try {
    png = decodePngMask(fromBase64(shape.mask))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new FormatError(file, `${where}.mask`, `not a PNG image: ${message}`)
  }
  const [x0, y0] = (shape.points[0] ?? [0, 0]).map((v) => Math.trunc(v)) as [number, number]
  const W = item.width
  const H = item.height
  const bits = new Uint8Array(W * H)
  let outside = 0
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (!png.bits[y * png.width + x]) continue
      const ix = x0 + x
      const iy = y0 + y
      if (ix < 0 || iy < 0 || ix >= W || iy >= H) outside++
      else bits[ix * H + iy] = 1
    }
  }
  if (outside > 0) report.count('clipped', 'mask pixels outside the image dropped', file, outside)
  return { ...base, kind: 'mask', geometry: rleFromBinary(bits, W, H) }
}
