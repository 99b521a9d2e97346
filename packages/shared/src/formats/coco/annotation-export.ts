import type { MaskGeometry, PolygonGeometry } from '../../domain/region.ts'
import {
  boundsOfPoints,
  clipBbox,
  encodeRleString,
  flattenPoints,
  polygonArea,
  rasterizePolygon,
  rleArea,
  rleBbox,
} from '../../geometry/index.ts'
import type { Box, Point } from '../../geometry/index.ts'
import { declaredBox } from '../common/declared-box.ts'
import type { ReportBuilder } from '../common/report.ts'
import { rboxCornersInImage } from '../fit.ts'
import type { InterchangeItem, InterchangeRegion } from '../model.ts'
import type { CocoAnnotationOut } from './schema.ts'

/** Options shared by the COCO and COCO results exporters. */
export type CocoAnnotationOptions = {
  /** What to do with crowd regions: write them as RLE (`iscrowd: 1`) or leave them out, reported. */
  crowd?: 'rle' | 'skip'
  /** How masks are written: a counts list (readable by any tool) or pycocotools' compressed string. */
  rle?: 'uncompressed' | 'compressed'
}

type Slot = { regions: InterchangeRegion[] }

/**
 * Groups an item's regions into COCO annotations. Regions with the same label and `group` are one
 * instance (labelme `group_id`, or the regions one COCO annotation was read into); an instance
 * becomes one annotation as long as it has at most one box, one keypoint set and either polygons
 * or one mask, otherwise it is split.
 */
export function groupInstances(item: InterchangeItem): InterchangeRegion[][] {
  const slots: Slot[] = []
  const byGroup = new Map<string, Slot[]>()
  for (const region of item.regions) {
    if (region.group == null) {
      slots.push({ regions: [region] })
      continue
    }
    const key = `${region.label}\u0000${typeof region.group}\u0000${String(region.group)}`
    const candidates = byGroup.get(key) ?? []
    let slot = candidates.find((s) => fits(s, region))
    if (!slot) {
      slot = { regions: [] }
      candidates.push(slot)
      byGroup.set(key, candidates)
      slots.push(slot)
    }
    slot.regions.push(region)
  }
  return slots.map((s) => s.regions)
}

function fits(slot: Slot, region: InterchangeRegion): boolean {
  const kinds = slot.regions.map((r) => r.kind)
  switch (region.kind) {
    case 'bbox':
    case 'keypoints':
      return !kinds.includes(region.kind)
    case 'polygon':
    case 'rbox':
      return !kinds.includes('mask')
    case 'mask':
      return !kinds.some((k) => k === 'mask' || k === 'polygon' || k === 'rbox')
    default:
      return false
  }
}

/**
 * Writes one instance as a COCO annotation (without `id`, `image_id`, `category_id`), or `null`
 * when nothing in it can be carried or a crowd region is skipped; both are reported.
 */
export function instanceToAnnotation(
  regions: InterchangeRegion[],
  item: InterchangeItem,
  options: CocoAnnotationOptions,
  report: ReportBuilder,
): Omit<CocoAnnotationOut, 'image_id' | 'category_id'> | null {
  // A rotated box is written as its corners, clipped to the image; one wholly outside is gone.
  const rboxRings = new Map<InterchangeRegion, Point[]>()
  const carried = regions.filter((r) => {
    if (r.kind === 'polyline' || r.kind === 'point') {
      report.lossy(r.kind, 'COCO instances cannot carry this kind; region left out')
      return false
    }
    if (r.kind !== 'rbox') return true
    const ring = rboxCornersInImage(r.geometry, item, report)
    if (ring) rboxRings.set(r, ring)
    return ring !== null
  })
  if (carried.length === 0) return null
  const crowd = carried.some((r) => r.crowd)
  if (crowd && options.crowd === 'skip') {
    report.count('skipped', 'crowd region left out (crowd: skip)', undefined, carried.length)
    return null
  }

  const W = item.width
  const H = item.height
  const box = carried.find((r) => r.kind === 'bbox')
  const mask = carried.find((r) => r.kind === 'mask')
  const keypoints = carried.find((r) => r.kind === 'keypoints')
  const polygons: PolygonGeometry[] = []
  for (const r of carried) {
    if (r.kind === 'polygon') polygons.push(r.geometry)
    const ring = rboxRings.get(r)
    if (ring) {
      report.lossy('rbox', 'COCO has no rotated box; written as a 4-point polygon')
      polygons.push({ points: ring })
    }
  }

  let segmentation: CocoAnnotationOut['segmentation']
  let area = 0
  let shapeBox: Box | undefined
  let maskGeometry: MaskGeometry | undefined = mask?.kind === 'mask' ? mask.geometry : undefined
  const hasHoles = polygons.some((p) => p.holes?.length)
  if (!maskGeometry && polygons.length > 0 && (crowd || hasHoles)) {
    if (W && H) {
      maskGeometry = rasterizePolygon(mergePolygons(polygons), W, H)
      if (hasHoles) report.lossy('polygon', 'COCO polygons have no holes; written as an RLE mask')
    } else {
      report.count(
        'missing-size',
        'image size unknown; polygon holes or crowd polygon not rasterised',
      )
      if (hasHoles) report.lossy('polygon', 'COCO polygons have no holes; holes left out')
    }
  }
  if (maskGeometry) {
    const counts =
      options.rle === 'compressed' ? encodeRleString(maskGeometry.counts) : [...maskGeometry.counts]
    segmentation = { counts, size: [maskGeometry.height, maskGeometry.width] }
    area = rleArea(maskGeometry)
    shapeBox = mask ? keptBbox(carried, rleBbox(maskGeometry)) : rleBbox(maskGeometry)
  } else if (polygons.length > 0) {
    const rings = polygons.flatMap((p) => [p.points, ...(p.parts ?? [])])
    segmentation = rings.map(flattenPoints)
    area = polygons.reduce((sum, p) => sum + polygonArea(p), 0)
    shapeBox = keptBbox(carried, boundsOfPoints(rings.flat()))
  }

  let bbox: Box
  if (box?.kind === 'bbox') {
    bbox = box.geometry
    if (!segmentation) area = bbox.w * bbox.h
  } else if (shapeBox) {
    bbox = shapeBox
  } else if (keypoints?.kind === 'keypoints') {
    const labelled = keypoints.geometry.points.filter((p) => p.v > 0)
    bbox = boundsOfPoints(labelled.map((p) => [p.x, p.y] as [number, number]))
  } else {
    bbox = { x: 0, y: 0, w: 0, h: 0 }
  }
  if (W && H) {
    const clipped = clipBbox(bbox, W, H)
    if (clipped.clipped) report.count('clipped', 'bbox clipped to the image')
    bbox = clipped.box
    if (!segmentation && box) area = bbox.w * bbox.h
  }

  const out: Omit<CocoAnnotationOut, 'image_id' | 'category_id'> = {
    segmentation: segmentation ?? [],
    area,
    bbox: [bbox.x, bbox.y, bbox.w, bbox.h],
    iscrowd: crowd ? 1 : 0,
  }
  if (keypoints?.kind === 'keypoints') {
    out.keypoints = keypoints.geometry.points.flatMap((p) => [p.x, p.y, p.v])
    out.num_keypoints = keypoints.geometry.points.filter((p) => p.v > 0).length
  }
  const attributes = Object.assign({}, ...carried.map((r) => r.attributes)) as Record<
    string,
    unknown
  >
  if (Object.keys(attributes).length > 0) out.attributes = attributes
  const score = carried.find((r) => r.score != null)?.score
  if (score != null) out.score = score
  return out
}

/** The file's box for an instance made of one unedited shape, else the geometry's bounds. */
function keptBbox(regions: InterchangeRegion[], bounds: Box): Box {
  const shapes = regions.filter((r) => r.kind === 'polygon' || r.kind === 'mask')
  return shapes.length === 1 ? declaredBox(shapes[0]!, bounds) : bounds
}

function mergePolygons(polygons: PolygonGeometry[]): PolygonGeometry {
  const [first, ...rest] = polygons
  const parts = [...(first?.parts ?? []), ...rest.flatMap((p) => [p.points, ...(p.parts ?? [])])]
  const holes = polygons.flatMap((p) => p.holes ?? [])
  return {
    points: first?.points ?? [],
    ...(parts.length ? { parts } : {}),
    ...(holes.length ? { holes } : {}),
  }
}
