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
