import type { RboxGeometry } from '../domain/region.ts'
import {
  clamp,
  clipBbox,
  clipPolylineToImage,
  clipRingToImage,
  rboxCorners,
  ringArea,
  type Point,
} from '../geometry/index.ts'
import { ReportBuilder } from './common/report.ts'
import type {
  ConversionReport,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from './model.ts'

/** What a format keeps of a region beyond its kind, geometry, label and attributes. */
export type FormatCarries = {
  crowd: boolean
  group: boolean
  outside: boolean
  /** False for formats without subsets (labelme, Label Studio); absent is true. */
  subsets?: boolean
  /** False for formats without a label list, which lose labels no region uses; absent is true. */
  labels?: boolean
}

/**
 * Prepares a dataset for a format's exporter, so that every format keeps the same rules: every
 * shape is cut to its image, each cut counted by kind (see `clipRegion`; rotated boxes are the
 * format's to clip, with {@link rboxCornersInImage}), and whatever the format cannot
 * carry (the crowd flag, instance groups) is counted in the lossiness report rather than
 * dropped in silence. A format that carries geometry outside the image (Concord's own,
 * lossless) gets its boxes as they are.
 */
export function fitForExport(
  dataset: InterchangeDataset,
  carries: FormatCarries,
): { dataset: InterchangeDataset; report: ConversionReport } {
  const report = new ReportBuilder()
  const items = dataset.items.map((item) => fitItem(item, carries, report))
  reportUncarriedNames(dataset, carries, report)
  return { dataset: { ...dataset, items }, report: report.build() }
}

/**
 * Counts what a format without subsets or without a label list leaves behind: the subsets of
 * the images that had one, and the labels no region or tag uses.
 */
function reportUncarriedNames(
  dataset: InterchangeDataset,
  carries: FormatCarries,
  report: ReportBuilder,
): void {
  if (carries.subsets === false) {
    const inSubsets = dataset.items.filter((item) => item.subset).length
    if (inSubsets > 0) {
      report.warn({
        code: 'other',
        message: 'the format has no subsets: the subset of these images is not written as one',
        count: inSubsets,
      })
    }
  }
  if (carries.labels === false) {
    const used = new Set<string>()
    for (const item of dataset.items) {
      for (const region of item.regions) used.add(region.label)
      for (const tag of item.tags) used.add(tag)
    }
    const unused = dataset.labels.filter((label) => !used.has(label.name)).map((l) => l.name)
    if (unused.length > 0) {
      const shown = unused.slice(0, 5).join(', ') + (unused.length > 5 ? ', ...' : '')
      report.warn({
        code: 'other',
        message: `the format has no label list: labels no region uses are not written (${shown})`,
        count: unused.length,
      })
    }
  }
}

/** What COCO keeps: crowd flags and groups, but nothing outside the image. */
export const COCO_CARRIES: FormatCarries = { crowd: true, group: true, outside: false }

/** {@link fitForExport} for one item, for exporters that stream items one at a time. */
export function fitItem(
  item: InterchangeItem,
  carries: FormatCarries,
  report: ReportBuilder,
): InterchangeItem {
  const regions = []
  for (const region of item.regions) {
    if (region.crowd && !carries.crowd) report.lossy(region.kind, 'the format has no crowd flag')
    if (region.group != null && !carries.group) {
      report.lossy(region.kind, 'the format has no instance groups; parts export separately')
    }
    if (carries.outside || !item.width || !item.height) {
      regions.push(region)
      continue
    }
    regions.push(...clipRegion(region, item.width, item.height, report, item.key))
  }
  return { ...item, regions }
}

/**
 * One region cut to the image `[0, width] x [0, height]` for export, each change counted under
 * the item by kind. A box or polygon is clipped (parts and holes too) and left out when nothing
 * is inside; a clipped polygon loses the box its source file declared, so COCO's `bbox` and
 * `area` follow the clipped outline. A polyline is cut where it crosses the edge, into several
 * lines when it leaves and comes back. A point outside is left out; a keypoint outside is
 * written as not labelled (`v = 0` at 0,0, which is how COCO readers skip a keypoint). A
 * rotated box is left to the format, which either carries it past the edge or clips its corners
 * (see {@link rboxCornersInImage}); a mask is sized to its image already.
 */
function clipRegion(
  region: InterchangeRegion,
  width: number,
  height: number,
  report: ReportBuilder,
  file: string,
): InterchangeRegion[] {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x <= width && y <= height
  const clipped = (what: string) => report.count('clipped', `${what} clipped to the image`, file)
  const left = (what: string) => {
    report.count('skipped', `${what} wholly outside the image left out`, file)
    return []
  }
  switch (region.kind) {
    case 'bbox': {
      const { box, clipped: changed } = clipBbox(region.geometry, width, height)
      if (!changed) return [region]
      if (!(box.w > 0 && box.h > 0)) return left('boxes')
      clipped('boxes')
      return [{ ...region, geometry: box }]
    }
    case 'polygon': {
      const g = region.geometry
      const rings = [g.points, ...(g.parts ?? [])]
      if (allInside([...rings, ...(g.holes ?? [])], inside)) return [region]
      const outer = rings.map((ring) => clipRingToImage(ring, width, height)).filter(hasArea)
      if (outer.length === 0) return left('polygons')
      const holes = (g.holes ?? [])
        .map((ring) => clipRingToImage(ring, width, height))
        .filter(hasArea)
      clipped('polygons')
      const [points, ...parts] = outer as [Point[], ...Point[][]]
      return [
        {
          ...withoutDeclaredBox(region),
          geometry: {
            points,
            ...(holes.length > 0 ? { holes } : {}),
            ...(parts.length > 0 ? { parts } : {}),
          },
        },
      ]
    }
    case 'polyline': {
      const { points } = region.geometry
      if (allInside([points], inside)) return [region]
      const pieces = clipPolylineToImage(points, width, height)
      if (pieces.length === 0) return left('polylines')
      clipped('polylines')
      if (pieces.length > 1) {
        const message = 'clipped polylines split where they leave the image and come back'
        report.count('other', message, file, pieces.length - 1)
      }
      return pieces.map((piece) => ({ ...region, geometry: { points: piece } }))
    }
    case 'point':
      return inside(region.geometry.x, region.geometry.y) ? [region] : left('points')
    case 'keypoints': {
      const { points } = region.geometry
      const out = points.filter((p) => p.v > 0 && !inside(p.x, p.y)).length
      if (out === 0) return [region]
      report.count('clipped', 'keypoints outside the image written as not labelled', file, out)
      return [
        {
          ...region,
          geometry: {
            points: points.map((p) =>
              p.v > 0 && !inside(p.x, p.y) ? { ...p, x: 0, y: 0, v: 0 as const } : p,
            ),
          },
        },
      ]
    }
    default:
      return [region]
  }
}

/**
 * A rotated box's corners for a format that must keep every value inside the image and writes
 * the box as a polygon (COCO, labelme, Label Studio past the edge): the corner ring clipped to
 * the image, counted as clipped, or null when nothing is inside, counted as left out. Without a
 * known image size the corners come back as they are.
 */
export function rboxCornersInImage(
  rbox: RboxGeometry,
  item: Pick<InterchangeItem, 'key' | 'width' | 'height'>,
  report: ReportBuilder,
): Point[] | null {
  const corners: Point[] = rboxCorners(rbox)
  if (!item.width || !item.height || !rboxPastEdge(rbox, item.width, item.height)) return corners
  const ring = clipRingToImage(corners, item.width, item.height)
  if (!hasArea(ring)) {
    report.count('skipped', 'rotated boxes wholly outside the image left out', item.key)
    return null
  }
  report.count('clipped', 'rotated boxes clipped to the image', item.key)
  return ring
}

/** Whether any corner of a rotated box lies outside the image `[0, width] x [0, height]`. */
export function rboxPastEdge(rbox: RboxGeometry, width: number, height: number): boolean {
  return rboxCorners(rbox).some(([x, y]) => x < 0 || y < 0 || x > width || y > height)
}

/**
 * Counts a rotated box that reaches past the image edge for a format that carries it as it is
 * (CVAT's rotated `box`, the labelme forks' `rotation`): not clipped, but said.
 */
export function reportRboxPastEdge(
  rbox: RboxGeometry,
  item: Pick<InterchangeItem, 'key' | 'width' | 'height'>,
  report: ReportBuilder,
): void {
  if (!item.width || !item.height || !rboxPastEdge(rbox, item.width, item.height)) return
  report.count('other', 'rotated boxes reaching past the image edge, written as they are', item.key)
}

/** A region without the box its source file declared, once its geometry has changed. */
function withoutDeclaredBox<R extends InterchangeRegion>(region: R): R {
  if (region.extra?.cocoBbox === undefined) return region
  const { cocoBbox: _dropped, ...extra } = region.extra
  return { ...region, extra }
}

function allInside(
  rings: readonly (readonly Point[])[],
  inside: (x: number, y: number) => boolean,
): boolean {
  return rings.every((ring) => ring.every(([x, y]) => inside(x, y)))
}

function hasArea(ring: Point[]): boolean {
  return ring.length >= 3 && ringArea(ring) > 0
}

/** Reports in the order they happened: the fitting first, then the format's own. */
export function mergeReports(...reports: ConversionReport[]): ConversionReport {
  return {
    warnings: reports.flatMap((r) => r.warnings),
    lossiness: reports.flatMap((r) => r.lossiness),
  }
}

/** How far past the image edge a vertex may lie and still be kept as drawn, in pixels. */
const EDGE_SLACK = 1

/**
 * Fits one imported region to its image, as displayed: a box is clipped (left out when wholly
 * outside); a point of another shape more than a pixel outside is clamped to the image. Returns null for a region left
 * out, and says whether it changed, so the import can count both.
 */
export function fitRegionToImage(
  region: InterchangeRegion,
  width: number,
  height: number,
): { region: InterchangeRegion | null; changed: boolean } {
  // Tools put vertices on the edge with sub-pixel overshoot (labelme writes 375.38 on a 375 px
  // image); those are kept as drawn. Beyond a pixel a point is an error and is clamped.
  let changed = false
  const fit = (v: number, max: number) => {
    if (v >= -EDGE_SLACK && v <= max + EDGE_SLACK) return v
    const inside = clamp(v, 0, max)
    if (inside !== v) changed = true
    return inside
  }
  const x = (v: number) => fit(v, width)
  const y = (v: number) => fit(v, height)
  const pts = (list: [number, number][]) =>
    list.map(([px, py]) => [x(px), y(py)] as [number, number])
  let fitted: InterchangeRegion
  switch (region.kind) {
    case 'bbox': {
      const { box, clipped } = clipBbox(region.geometry, width, height)
      if (!clipped) return { region, changed: false }
      return { region: box.w > 0 && box.h > 0 ? { ...region, geometry: box } : null, changed: true }
    }
    case 'point':
      fitted = { ...region, geometry: { x: x(region.geometry.x), y: y(region.geometry.y) } }
      break
    case 'polygon': {
      const g = region.geometry
      fitted = {
        ...region,
        geometry: {
          ...g,
          points: pts(g.points),
          ...(g.holes ? { holes: g.holes.map(pts) } : {}),
          ...(g.parts ? { parts: g.parts.map(pts) } : {}),
        },
      }
      break
    }
    case 'polyline':
      fitted = { ...region, geometry: { points: pts(region.geometry.points) } }
      break
    case 'keypoints':
      fitted = {
        ...region,
        geometry: { points: region.geometry.points.map((p) => ({ ...p, x: x(p.x), y: y(p.y) })) },
      }
      break
    default:
      // A rotated box turns about its centre and a mask is sized to its image: left as they are.
      return { region, changed: false }
  }
  // Unchanged regions are handed back as they came, not as the copy made while checking.
  return changed ? { region: fitted, changed } : { region, changed }
}
