import type { BboxGeometry, Region } from '@concord/shared'
import { boundsOfPoints as pointBounds, rboxCorners } from '@concord/shared/geometry/index'
import type { Point } from './view-transform.ts'

/** Axis-aligned bounds in image pixels. */
export type Bounds = { minX: number; minY: number; maxX: number; maxY: number }

/** Bounds of any region kind; null for a shape with nothing to draw. */
export function boundsOf(region: Region): Bounds | null {
  switch (region.kind) {
    case 'bbox': {
      const g = region.geometry
      return { minX: g.x, minY: g.y, maxX: g.x + g.w, maxY: g.y + g.h }
    }
    case 'rbox':
      return boundsOfPoints(rboxCorners(region.geometry))
    case 'polygon':
    case 'polyline':
      return boundsOfPoints(region.geometry.points)
    case 'point':
      return {
        minX: region.geometry.x,
        minY: region.geometry.y,
        maxX: region.geometry.x,
        maxY: region.geometry.y,
      }
    case 'keypoints':
      return boundsOfPoints(region.geometry.points.map((p) => [p.x, p.y] as [number, number]))
    case 'mask':
      return { minX: 0, minY: 0, maxX: region.geometry.width, maxY: region.geometry.height }
  }
}

export function centreOf(bounds: Bounds): Point {
  return { x: (bounds.minX + bounds.maxX) / 2, y: (bounds.minY + bounds.maxY) / 2 }
}

/** Shared geometry's bounds, as min/max corners; null for no points. */
function boundsOfPoints(points: readonly (readonly [number, number])[]): Bounds | null {
  if (points.length === 0) return null
  const { x, y, w, h } = pointBounds(points)
  return { minX: x, minY: y, maxX: x + w, maxY: y + h }
}

/** Even-odd ray casting: true when `p` lies inside the ring. */
export function pointInRing(p: Point, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]
    const b = ring[j]
    if (!a || !b) continue
    const crosses = a[1] > p.y !== b[1] > p.y
    if (crosses && p.x < ((b[0] - a[0]) * (p.y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
  }
  return inside
}

export function distanceToSegment(
  p: Point,
  a: readonly [number, number],
  b: readonly [number, number],
): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  const t =
    length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a[0]) * dx + (p.y - a[1]) * dy) / length2))
  return Math.hypot(p.x - (a[0] + t * dx), p.y - (a[1] + t * dy))
}

/** True when `p` is on the region, with `tolerance` image pixels of slack for thin shapes. */
export function regionContains(region: Region, p: Point, tolerance: number): boolean {
  switch (region.kind) {
    case 'bbox':
      return bboxContains(region.geometry, p, tolerance)
    case 'rbox':
      return pointInRing(p, rboxCorners(region.geometry))
    case 'polygon':
      return (
        pointInRing(p, region.geometry.points) ||
        nearPath(p, region.geometry.points, tolerance, true)
      )
    case 'polyline':
      return nearPath(p, region.geometry.points, tolerance, false)
    case 'point':
      return Math.hypot(p.x - region.geometry.x, p.y - region.geometry.y) <= tolerance
    case 'keypoints':
      return region.geometry.points.some((k) => Math.hypot(p.x - k.x, p.y - k.y) <= tolerance)
    case 'mask':
      return false
  }
}

function bboxContains(g: BboxGeometry, p: Point, tolerance: number): boolean {
  return (
    p.x >= g.x - tolerance &&
    p.x <= g.x + g.w + tolerance &&
    p.y >= g.y - tolerance &&
    p.y <= g.y + g.h + tolerance
  )
}

function nearPath(
  p: Point,
  points: readonly (readonly [number, number])[],
  tolerance: number,
  closed: boolean,
): boolean {
  const n = points.length
  const segments = closed ? n : n - 1
  for (let i = 0; i < segments; i++) {
    const a = points[i]
    const b = points[(i + 1) % n]
    if (a && b && distanceToSegment(p, a, b) <= tolerance) return true
  }
  return false
}

function areaOf(bounds: Bounds): number {
  return (bounds.maxX - bounds.minX) * (bounds.maxY - bounds.minY)
}

/**
 * The region under `p`. Among overlapping regions the smallest wins, so a box drawn inside a
 * bigger one can still be picked; points win over areas because they are the hardest to hit.
 */
export function pickRegion(regions: Iterable<Region>, p: Point, tolerance: number): Region | null {
  let best: Region | null = null
  let bestArea = Infinity
  for (const region of regions) {
    const b = boundsOf(region)
    if (!b) continue
    if (
      p.x < b.minX - tolerance ||
      p.x > b.maxX + tolerance ||
      p.y < b.minY - tolerance ||
      p.y > b.maxY + tolerance
    )
      continue
    if (!regionContains(region, p, tolerance)) continue
    const area = region.kind === 'point' ? -1 : areaOf(b)
    if (area < bestArea) {
      best = region
      bestArea = area
    }
  }
  return best
}
