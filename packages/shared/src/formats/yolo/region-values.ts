import type { BboxGeometry, MaskGeometry } from '../../domain/region.ts'
import {
  boundsOfPoints,
  clipBbox,
  clipRingToImage,
  outerRings,
  rboxBounds,
  rboxCorners,
  ringArea,
  rleBbox,
  traceMask,
  type Point,
} from '../../geometry/index.ts'
import { declaredBox } from '../common/declared-box.ts'
import type { ReportBuilder } from '../common/report.ts'
import type { InterchangeRegion } from '../model.ts'
import type { YoloTask } from './import.ts'
import { formatBbox, formatPoints } from './lines.ts'
import { poseValues } from './pose.ts'

/** What one image's regions are written against. */
export type LineContext = {
  task: YoloTask
  width: number
  height: number
  /** K of `kpt_shape`, for pose exports. */
  keypoints: number
  report: ReportBuilder
  /** The box of the object a keypoints region belongs to, for its pose line. */
  poseBox?: BboxGeometry | undefined
}

/**
 * The normalised values of one region for the task, one list per label line: several for a
 * multi-part polygon or a mask of several pieces, none for what the task cannot carry (counted
 * in the report's lossiness) or what lies outside the image (counted as skipped).
 */
export function regionValues(region: InterchangeRegion, ctx: LineContext): string[][] {
  const { task, width, height, report } = ctx
  if (task === 'pose') {
    if (region.kind !== 'keypoints') {
      report.lossy(region.kind, 'a pose file carries keypoints only; not written')
      return []
    }
    const values = poseValues(region, ctx.keypoints, width, height, report, ctx.poseBox)
    return values ? [values] : []
  }
  switch (region.kind) {
    case 'bbox':
      if (task !== 'detect') report.lossy('bbox', `written as 4 corners in a ${task} file`)
      return box(region.geometry, ctx)
    case 'rbox':
      if (task === 'obb') return obbCorners(rboxCorners(region.geometry), ctx)
      if (task === 'segment') {
        report.lossy('rbox', 'written as a 4-point polygon')
        return ring(rboxCorners(region.geometry), ctx)
      }
      report.lossy('rbox', 'rotation dropped: written as the axis-aligned bounds in pixels')
      return box(rboxBounds(region.geometry), ctx)
    case 'polygon': {
      const polygon = region.geometry
      if (task !== 'segment') {
        report.lossy('polygon', `written as its bounding box in a ${task} file`)
        return box(outlineBox(region), ctx)
      }
      if (polygon.holes?.length) report.lossy('polygon', 'holes dropped')
      if (polygon.parts?.length) report.lossy('polygon', 'parts written as separate objects')
      return outerRings(polygon).flatMap((points) => ring(points, ctx))
    }
    case 'polyline':
      if (task === 'segment') {
        report.lossy('polyline', 'a line has no area in a segment file; not written')
        return []
      }
      report.lossy('polyline', 'written as its bounding box')
      return box(boundsOfPoints(region.geometry.points), ctx)
    case 'mask':
      if (task === 'segment') return maskRings(region.geometry, ctx)
      report.lossy('mask', 'written as its bounding box')
      return box(outlineBox(region), ctx)
    case 'point':
    case 'keypoints':
      report.lossy(region.kind, `YOLO ${task} files carry no points; not written`)
      return []
  }
}

/**
 * The box of a polygon or mask: the one its source file declared while it still fits (COCO's
 * `bbox`), else the outline's bounds.
 */
export function outlineBox(
  region: Extract<InterchangeRegion, { kind: 'polygon' | 'mask' }>,
): BboxGeometry {
  const bounds =
    region.kind === 'polygon'
      ? boundsOfPoints(outerRings(region.geometry).flat())
      : rleBbox(region.geometry)
  return declaredBox(region, bounds)
}

/** A box clipped to the image: `xc yc w h` for detect, its 4 corners for the other tasks. */
function box(bounds: BboxGeometry, ctx: LineContext): string[][] {
  const { width, height, report } = ctx
  const { box: clipped, clipped: changed } = clipBbox(bounds, width, height)
  if (changed) report.count('clipped', 'box clipped to the image')
  if (clipped.w <= 0 || clipped.h <= 0) {
    report.count('skipped', 'region outside the image or without area not written')
    return []
  }
  if (ctx.task === 'detect') return [formatBbox(clipped, width, height)]
  const { x, y, w, h } = clipped
  const corners: Point[] = [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ]
  return [formatPoints(corners, width, height)]
}

/**
 * A polygon ring clipped to the image (Sutherland–Hodgman), so a shape that crosses the edge
 * keeps its outline inside rather than having vertices dragged onto the edge. A ring inside the
 * image is written as it is; one that leaves nothing with area is skipped.
 */
function ring(points: Point[], ctx: LineContext): string[][] {
  const { width, height, report } = ctx
  const clipped = clipRingToImage(points, width, height)
  const changed =
    clipped.length !== points.length ||
    clipped.some(([x, y], i) => x !== points[i]![0] || y !== points[i]![1])
  if (!changed) return [formatPoints(clipped, width, height)]
  if (clipped.length < 3 || ringArea(clipped) === 0) {
    report.count('skipped', 'polygon outside the image or without area not written')
    return []
  }
  report.count('clipped', 'polygon clipped to the image')
  return [formatPoints(clipped, width, height)]
}

/**
 * Oriented boxes must stay four corners, which a polygon clip would not keep; a corner past the
 * edge is moved onto it instead, and the reader refits the rectangle.
 */
function obbCorners(corners: Point[], ctx: LineContext): string[][] {
  const { width, height, report } = ctx
  const inside = corners.map(([x, y]): Point => [clampTo(x, width), clampTo(y, height)])
  if (inside.some(([x, y], i) => x !== corners[i]![0] || y !== corners[i]![1])) {
    report.count('clipped', 'oriented box corners moved onto the image edge')
  }
  if (ringArea(inside) === 0) {
    report.count('skipped', 'region outside the image or without area not written')
    return []
  }
  return [formatPoints(inside, width, height)]
}

/**
 * How far a traced mask outline may be simplified, in mask pixels: half a pixel keeps the
 * outline between the pixel centres inside and outside, and halves the vertices of a curve.
 */
const MASK_TRACE_TOLERANCE = 0.5

/**
 * A mask traced into one polygon per connected piece. Holes cannot be written (YOLO has one
 * ring per line), so they are counted as lossy. A mask stored at another size than the image
 * is scaled to it.
 */
function maskRings(mask: MaskGeometry, ctx: LineContext): string[][] {
  const pieces = traceMask(mask, { tolerance: MASK_TRACE_TOLERANCE })
  if (pieces.length === 0) {
    ctx.report.count('skipped', 'empty mask not written')
    return []
  }
  const holes = pieces.reduce((n, piece) => n + piece.holes.length, 0)
  if (holes > 0) ctx.report.lossy('mask', 'holes dropped from traced masks', holes)
  if (pieces.length > 1) ctx.report.lossy('mask', 'pieces written as separate objects')
  const sx = ctx.width / mask.width
  const sy = ctx.height / mask.height
  return pieces.flatMap((piece) =>
    ring(
      piece.outer.map(([x, y]): Point => [x * sx, y * sy]),
      ctx,
    ),
  )
}

function clampTo(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value
}
