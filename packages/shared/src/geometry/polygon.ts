/** A point as the domain stores it: `[x, y]` in displayed-image pixels. */
export type Point = [number, number]

/** Axis-aligned bounds of a point set, `{x, y, w, h}`; empty input gives a zero box at 0,0. */
export function boundsOfPoints(points: readonly (readonly [number, number])[]): {
  x: number
  y: number
  w: number
  h: number
} {
  if (points.length === 0) return { x: 0, y: 0, w: 0, h: 0 }
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of points) {
    if (x < minX) minX = x
    if (y < minY) minY = y
    if (x > maxX) maxX = x
    if (y > maxY) maxY = y
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}

/**
 * Signed area of a ring by the shoelace formula: positive when the ring turns clockwise on
 * screen (y down), which is counter-clockwise in maths axes. Callers that want size use `abs`.
 */
export function signedRingArea(ring: readonly (readonly [number, number])[]): number {
  let twice = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    twice += a[0] * b[1] - b[0] * a[1]
  }
  return twice / 2
}

/** Unsigned area of one ring. */
export function ringArea(ring: readonly (readonly [number, number])[]): number {
  return Math.abs(signedRingArea(ring))
}

/**
 * Area of a polygon geometry: outer ring plus further parts, minus holes. Holes are assumed to
 * lie inside the outer rings, as the domain requires; parts are assumed not to overlap, which is
 * what COCO multi-part objects mean (pycocotools sums their areas the same way after merging).
 */
export function polygonArea(polygon: {
  points: readonly Point[]
  holes?: readonly (readonly Point[])[] | undefined
  parts?: readonly (readonly Point[])[] | undefined
}): number {
  let area = ringArea(polygon.points)
  for (const part of polygon.parts ?? []) area += ringArea(part)
  for (const hole of polygon.holes ?? []) area -= ringArea(hole)
  return Math.max(0, area)
}

/** All outer rings of a polygon geometry: the main ring, then its parts. */
export function outerRings<P>(polygon: { points: P[]; parts?: P[][] | undefined }): P[][] {
  return [polygon.points, ...(polygon.parts ?? [])]
}

/** Flattens `[[x, y], ...]` into COCO's `[x1, y1, x2, y2, ...]`. */
export function flattenPoints(points: readonly (readonly [number, number])[]): number[] {
  const flat: number[] = []
  for (const [x, y] of points) flat.push(x, y)
  return flat
}

/** Pairs COCO's `[x1, y1, x2, y2, ...]` into points; a trailing odd value is ignored by callers' validation. */
export function pairPoints(flat: readonly number[]): Point[] {
  const points: Point[] = []
  for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i]!, flat[i + 1]!])
  return points
}
