import type { KeypointsGeometry, MaskGeometry } from '../../domain/region.ts'
import {
  boundsOfPoints,
  decodeRleString,
  pairPoints,
  rleIsConsistent,
} from '../../geometry/index.ts'
import type { ReportBuilder } from '../common/report.ts'
import type { InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import type { CocoAnnotation, CocoRle } from './schema.ts'

/** Where an annotation sits, for messages, and what it belongs to. */
export type AnnotationContext = {
  file: string
  /** JSON path of the annotation, e.g. `annotations[3]`. */
  where: string
  label: string
  /** Image size when the file gives it; masks are checked against it. */
  width?: number | undefined
  height?: number | undefined
  report: ReportBuilder
  /** Instance id to group the regions of one annotation by, when it yields more than one. */
  group: string | number
}

/**
 * Turns one COCO annotation into regions: its shape (polygon with parts, mask, or box), plus a
 * keypoints region when it has keypoints. Several regions from one annotation share `group`, so
 * export writes them back as one annotation.
 */
export function annotationToRegions(
  ann: CocoAnnotation,
  ctx: AnnotationContext,
): InterchangeRegion[] {
  const base = {
    label: ctx.label,
    attributes: { ...(ann.attributes ?? {}) },
    ...(ann.iscrowd ? { crowd: true } : {}),
    ...(ann.id !== undefined ? { sourceId: ann.id } : {}),
    // A score is kept as given; whether the region is a prediction is the caller's to say
    // (COCO results are), since some ground-truth files carry `score: 1` too.
    ...(ann.score != null ? { score: ann.score } : {}),
  }
  const regions: InterchangeRegion[] = []
  const seg = ann.segmentation

  if (Array.isArray(seg) && seg.length > 0) {
    const rings = readRings(seg, ctx)
    const [first, ...rest] = rings
    if (first) {
      regions.push({
        ...base,
        kind: 'polygon',
        geometry: { points: first, ...(rest.length ? { parts: rest } : {}) },
        // The file's box is kept so that an unedited polygon exports with the same box; tools
        // such as labelme write the raster extent, not the polygon's bounds.
        ...(ann.bbox ? { extra: { cocoBbox: [...ann.bbox] } } : {}),
      })
    }
  } else if (seg && !Array.isArray(seg)) {
    regions.push({
      ...base,
      kind: 'mask',
      geometry: readRle(seg, ctx),
      ...(ann.bbox ? { extra: { cocoBbox: [...ann.bbox] } } : {}),
    })
  }

  const keypoints = ann.keypoints?.length ? readKeypoints(ann, ctx) : undefined
  if (regions.length === 0 && ann.bbox && !(keypoints && isExtentOf(ann.bbox, keypoints))) {
    const [x, y, w, h] = ann.bbox
    regions.push({ ...base, kind: 'bbox', geometry: { x, y, w, h } })
  }
  if (keypoints) regions.push({ ...base, kind: 'keypoints', geometry: keypoints })
  if (regions.length === 0) {
    throw new FormatError(ctx.file, ctx.where, 'annotation has no bbox, segmentation or keypoints')
  }
  if (regions.length > 1) for (const region of regions) region.group = ctx.group
  return regions
}

function readRings(seg: number[][], ctx: AnnotationContext): [number, number][][] {
  const rings: [number, number][][] = []
  seg.forEach((flat, i) => {
    if (flat.length % 2 !== 0) {
      throw new FormatError(
        ctx.file,
        `${ctx.where}.segmentation[${i}]`,
        'odd number of coordinates',
      )
    }
    if (flat.length < 6) {
      ctx.report.count('skipped', 'polygon part with fewer than 3 points skipped', ctx.file)
      return
    }
    rings.push(pairPoints(flat))
  })
  return rings
}

function readRle(rle: CocoRle, ctx: AnnotationContext): MaskGeometry {
  const [height, width] = rle.size
  let counts: number[]
  if (typeof rle.counts === 'string') {
    try {
      counts = decodeRleString(rle.counts)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new FormatError(ctx.file, `${ctx.where}.segmentation.counts`, message)
    }
  } else {
    counts = [...rle.counts]
  }
  const mask = { width, height, counts }
  if (width <= 0 || height <= 0 || !rleIsConsistent(mask)) {
    throw new FormatError(
      ctx.file,
      `${ctx.where}.segmentation`,
      `RLE counts do not add up to size ${height}x${width}`,
    )
  }
  if ((ctx.width && ctx.width !== width) || (ctx.height && ctx.height !== height)) {
    ctx.report.count('other', 'RLE mask size differs from its image size', ctx.file)
  }
  return mask
}

function readKeypoints(ann: CocoAnnotation, ctx: AnnotationContext): KeypointsGeometry {
  const flat = ann.keypoints ?? []
  if (flat.length % 3 !== 0) {
    throw new FormatError(ctx.file, `${ctx.where}.keypoints`, 'length is not a multiple of 3')
  }
  const points: KeypointsGeometry['points'] = []
  for (let i = 0; i < flat.length; i += 3) {
    const v = flat[i + 2]
    if (v !== 0 && v !== 1 && v !== 2) {
      throw new FormatError(
        ctx.file,
        `${ctx.where}.keypoints[${i + 2}]`,
        `visibility ${v} is not 0, 1 or 2`,
      )
    }
    points.push({ x: flat[i]!, y: flat[i + 1]!, v })
  }
  const labelled = points.filter((p) => p.v > 0).length
  if (ann.num_keypoints != null && ann.num_keypoints !== labelled) {
    ctx.report.count(
      'other',
      'num_keypoints disagrees with the visibility flags; recounted',
      ctx.file,
    )
  }
  return { points }
}

/**
 * Whether a keypoint annotation's bbox is only the extent of its labelled points (or empty), as
 * exporters write when there is no box: such a bbox is not a region of its own.
 */
function isExtentOf(bbox: [number, number, number, number], keypoints: KeypointsGeometry): boolean {
  const labelled = keypoints.points.filter((p) => p.v > 0)
  if (bbox.every((v) => v === 0)) return true
  if (labelled.length === 0) return false
  const b = boundsOfPoints(labelled.map((p) => [p.x, p.y] as [number, number]))
  const eps = 1e-6
  return (
    Math.abs(b.x - bbox[0]) < eps &&
    Math.abs(b.y - bbox[1]) < eps &&
    Math.abs(b.w - bbox[2]) < eps &&
    Math.abs(b.h - bbox[3]) < eps
  )
}
