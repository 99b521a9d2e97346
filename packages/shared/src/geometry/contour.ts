import { contours } from 'd3-contour'
import type { Point } from './polygon.ts'
import { rleBbox, type Rle } from './rle.ts'

/** One connected piece of a mask as rings in pixels: its outer boundary and the holes in it. */
export type TracedPolygon = { outer: Point[]; holes: Point[][] }

/** Options of `traceMask`. */
export type TraceOptions = {
  /**
   * How far, in pixels, a simplified ring may stray from the traced one (Douglas–Peucker).
   * 0 (the default) only merges collinear vertices. Half a pixel, the distance from a traced
   * boundary to the nearest pixel centre, more than halves the staircase of a traced curve
   * while the outline still rasterises to nearly the same pixels.
   */
  tolerance?: number
}

/**
 * Traces a mask's contours into polygons in image pixels, one per connected piece, each with
 * its holes. Marching squares (d3-contour) runs through pixel centres, so a boundary lies
 * halfway between a pixel inside and one outside: pixel `i` spans `[i, i+1)` and a lone pixel
 * becomes a small diamond around `(i + 0.5, j + 0.5)`. Rasterising the result by pixel centres
 * gives back the mask's pixels. Runs of collinear vertices are merged, so a straight edge is
 * two vertices however long it is.
 */
export function traceMask(rle: Rle, options: TraceOptions = {}): TracedPolygon[] {
  const tolerance = options.tolerance ?? 0
  const box = rleBbox(rle)
  if (box.w === 0 || box.h === 0) return []
  // Only the mask's bounding box is traced; d3-contour treats the grid's outside as empty,
  // so pieces touching the box's edge still close.
  const grid = cropColumnMajor(rle, box)
  // The grid is column-major, so d3 reads it transposed (`values[i + j * n]` with n = height):
  // its first axis is our y. Coordinates are swapped back below.
  const [multi] = contours().size([box.h, box.w]).thresholds([0.5]).smooth(false)(
    grid as unknown as number[],
  )
  const toImage = (ring: number[][]): Point[] => {
    const points = ring.slice(0, -1).map(([v, u]): Point => [u! + box.x, v! + box.y])
    const merged = simplifyCollinear(points)
    return tolerance > 0 ? simplifyRing(merged, tolerance) : merged
  }
  return (multi?.coordinates ?? []).map(([outer, ...holes]) => ({
    outer: toImage(outer ?? []),
    holes: holes.map(toImage),
  }))
}

/** The pixels of `box` as a column-major grid of 0 and 1 (`grid[x * box.h + y]`). */
function cropColumnMajor(rle: Rle, box: { x: number; y: number; w: number; h: number }) {
  const grid = new Uint8Array(box.w * box.h)
  let pos = 0
  rle.counts.forEach((count, i) => {
    if (i % 2 === 1) {
      for (let p = pos; p < pos + count; p++) {
        const x = Math.floor(p / rle.height) - box.x
        const y = (p % rle.height) - box.y
        grid[x * box.h + y] = 1
      }
    }
    pos += count
  })
  return grid
}

/**
 * Drops every vertex that lies on the straight line through its neighbours, in a closed ring.
 * Traced coordinates are multiples of 0.5, so the test is exact.
 */
export function simplifyCollinear(ring: readonly Point[]): Point[] {
  let points = [...ring]
  for (let changed = true; changed && points.length > 3;) {
    changed = false
    const kept: Point[] = []
    for (let i = 0; i < points.length; i++) {
      const prev = kept[kept.length - 1] ?? points[points.length - 1]!
      const here = points[i]!
      const next = points[(i + 1) % points.length]!
      const cross =
        (here[0] - prev[0]) * (next[1] - here[1]) - (here[1] - prev[1]) * (next[0] - here[0])
      if (cross === 0) changed = true
      else kept.push(here)
    }
    points = kept
  }
  return points
}

/**
 * Douglas–Peucker on a closed ring: keeps the fewest vertices such that every dropped vertex
 * lies within `tolerance` of the kept outline. The ring is split at its first vertex and the
 * vertex farthest from it, so both halves are open polylines; a ring that would fall below a
 * triangle is returned as it was.
 */
export function simplifyRing(ring: readonly Point[], tolerance: number): Point[] {
  const n = ring.length
  if (n <= 3) return [...ring]
  const first = ring[0]!
  let far = 1
  let farDistance = -1
  ring.forEach((p, i) => {
    const d = Math.hypot(p[0] - first[0], p[1] - first[1])
    if (d > farDistance) [far, farDistance] = [i, d]
  })
  const keep = new Uint8Array(n)
  keep[0] = 1
  keep[far] = 1
  // Spans [a, b] of ring indices (b may pass n, wrapping) still to be decided.
  const spans: [number, number][] = [
    [0, far],
    [far, n],
  ]
  while (spans.length > 0) {
    const [a, b] = spans.pop()!
    const pa = ring[a % n]!
    const pb = ring[b % n]!
    let worst = -1
    let worstDistance = tolerance
    for (let i = a + 1; i < b; i++) {
      const d = distanceToSegment(ring[i % n]!, pa, pb)
      if (d > worstDistance) [worst, worstDistance] = [i, d]
    }
    if (worst < 0) continue
    keep[worst % n] = 1
    spans.push([a, worst], [worst, b])
  }
  const kept = ring.filter((_, i) => keep[i] === 1)
  return kept.length >= 3 ? kept : [...ring]
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  const t =
    length2 === 0
      ? 0
      : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
}
