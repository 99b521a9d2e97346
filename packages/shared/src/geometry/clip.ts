import type { Box } from './bbox.ts'
import type { Point } from './polygon.ts'

/** Which side of the rectangle one clipping pass keeps. */
type Edge = {
  inside: (p: Point) => boolean
  /** Where segment `a`→`b` crosses this edge's line; called only when it does. */
  cross: (a: Point, b: Point) => Point
}

/**
 * Clips one polygon ring to an axis-aligned rectangle by Sutherland–Hodgman: four passes, each
 * keeping the half-plane inside one edge. A ring wholly inside comes back unchanged (same
 * vertices, same order); a ring wholly outside comes back empty. Points on an edge count as
 * inside. A concave ring that leaves and re-enters the rectangle comes back as one ring whose
 * pieces are joined along the rectangle's edge by zero-width spans: its area is still that of
 * the intersection, which is what a rasteriser or a training loader sees.
 */
export function clipRingToRect(ring: readonly Point[], rect: Box): Point[] {
  const x0 = rect.x
  const y0 = rect.y
  const x1 = rect.x + rect.w
  const y1 = rect.y + rect.h
  // A crossing takes the edge's value exactly. The x passes run first, so by the y passes both
  // ends lie within [x0, x1] and pinning the interpolated x only undoes floating error that
  // would leave a crossing a hair outside the rectangle.
  const atX = (a: Point, b: Point, x: number): Point => [
    x,
    a[1] + ((x - a[0]) / (b[0] - a[0])) * (b[1] - a[1]),
  ]
  const atY = (a: Point, b: Point, y: number): Point => [
    clampBetween(a[0] + ((y - a[1]) / (b[1] - a[1])) * (b[0] - a[0]), x0, x1),
    y,
  ]
  const edges: Edge[] = [
    { inside: (p) => p[0] >= x0, cross: (a, b) => atX(a, b, x0) },
    { inside: (p) => p[0] <= x1, cross: (a, b) => atX(a, b, x1) },
    { inside: (p) => p[1] >= y0, cross: (a, b) => atY(a, b, y0) },
    { inside: (p) => p[1] <= y1, cross: (a, b) => atY(a, b, y1) },
  ]
  if (ring.every((p) => edges.every((edge) => edge.inside(p)))) return ring.map(copy)

  let output: Point[] = ring.map(copy)
  for (const edge of edges) {
    const input = output
    output = []
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!
      const previous = input[(i + input.length - 1) % input.length]!
      const currentIn = edge.inside(current)
      if (currentIn !== edge.inside(previous)) output.push(edge.cross(previous, current))
      if (currentIn) output.push(current)
    }
    if (output.length === 0) return []
  }
  return dropRepeats(output)
}

/** Clips a ring to the image `[0, width] x [0, height]`; see `clipRingToRect`. */
export function clipRingToImage(ring: readonly Point[], width: number, height: number): Point[] {
  return clipRingToRect(ring, { x: 0, y: 0, w: width, h: height })
}

/**
 * Clips an open polyline to an axis-aligned rectangle segment by segment (Liang–Barsky), keeping
 * the line's own path: nothing is dragged along the edge. Returns the pieces inside, in order:
 * one for a line that crosses the edge once, several for one that leaves and comes back, none
 * for one wholly outside. A line wholly inside comes back as one piece with its own vertices;
 * points on an edge count as inside, and a piece that only touches the rectangle is dropped.
 */
export function clipPolylineToRect(points: readonly Point[], rect: Box): Point[][] {
  const pieces: Point[][] = []
  let current: Point[] | undefined
  for (let i = 1; i < points.length; i++) {
    const segment = clipSegment(points[i - 1]!, points[i]!, rect)
    if (!segment) {
      current = undefined
      continue
    }
    const [a, b] = segment
    const last = current?.[current.length - 1]
    if (current && last && last[0] === a[0] && last[1] === a[1]) {
      if (b[0] !== last[0] || b[1] !== last[1]) current.push(b)
    } else {
      current = [a, b]
      pieces.push(current)
    }
    // A segment cut short at its end leaves the rectangle: the next one inside starts anew.
    if (b !== points[i]) current = undefined
  }
  // A piece that only touches the rectangle (at a corner, say) is one point twice: no line.
  return pieces.filter((piece) => piece.some((p) => p[0] !== piece[0]![0] || p[1] !== piece[0]![1]))
}

/** Clips a polyline to the image `[0, width] x [0, height]`; see `clipPolylineToRect`. */
export function clipPolylineToImage(
  points: readonly Point[],
  width: number,
  height: number,
): Point[][] {
  return clipPolylineToRect(points, { x: 0, y: 0, w: width, h: height })
}

/**
 * The part of segment `a`→`b` inside the rectangle, by Liang–Barsky: each edge narrows the range
 * of the segment's parameter `t` in [0, 1]. An end that is kept is the very vertex given (same
 * object), so callers can tell a cut end from a kept one.
 */
function clipSegment(a: Point, b: Point, rect: Box): [Point, Point] | null {
  const x1 = rect.x + rect.w
  const y1 = rect.y + rect.h
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  let t0 = 0
  let t1 = 1
  // Each pair is (p, q): the segment is inside this edge where p * t <= q.
  const edges: [number, number][] = [
    [-dx, a[0] - rect.x],
    [dx, x1 - a[0]],
    [-dy, a[1] - rect.y],
    [dy, y1 - a[1]],
  ]
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null
      continue
    }
    const t = q / p
    if (p < 0) {
      if (t > t1) return null
      if (t > t0) t0 = t
    } else {
      if (t < t0) return null
      if (t < t1) t1 = t
    }
  }
  const at = (t: number): Point => [
    clampBetween(a[0] + t * dx, rect.x, x1),
    clampBetween(a[1] + t * dy, rect.y, y1),
  ]
  return [t0 === 0 ? a : at(t0), t1 === 1 ? b : at(t1)]
}

function copy(p: Point): Point {
  return [p[0], p[1]]
}

function clampBetween(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value
}

/** Removes consecutive equal vertices (a crossing that lands on a vertex is emitted twice). */
function dropRepeats(ring: Point[]): Point[] {
  const out = ring.filter((p, i) => {
    const prev = ring[(i + ring.length - 1) % ring.length]!
    return i === 0 ? true : p[0] !== prev[0] || p[1] !== prev[1]
  })
  while (out.length > 1) {
    const first = out[0]!
    const last = out[out.length - 1]!
    if (first[0] !== last[0] || first[1] !== last[1]) break
    out.pop()
  }
  return out
}
