import type { Point } from '../../geometry/index.ts'

/**
 * Vertices of the polygon that stands for a labelme circle. With 64 the polygon's area is within
 * 0.2% of the circle's, finer than anyone clicks a circle's edge.
 */
export const CIRCLE_VERTICES = 64

/**
 * The circle through labelme's two points: the centre and a point on the edge. The edge point is
 * kept as drawn so that an unedited circle exports with the very same numbers.
 */
export type Circle = { cx: number; cy: number; r: number; edge?: [number, number] }

/** Vertices on the circle, starting at angle 0 and turning clockwise on screen. */
export function circleToPolygon(circle: Circle): Point[] {
  const points: Point[] = []
  for (let i = 0; i < CIRCLE_VERTICES; i++) {
    const t = (2 * Math.PI * i) / CIRCLE_VERTICES
    points.push([circle.cx + circle.r * Math.cos(t), circle.cy + circle.r * Math.sin(t)])
  }
  return points
}

/** Whether a polygon is still exactly the approximation of `circle` (not edited since import). */
export function isCirclePolygon(points: readonly Point[], circle: Circle): boolean {
  const expected = circleToPolygon(circle)
  return (
    points.length === expected.length &&
    points.every(
      (p, i) => Math.abs(p[0] - expected[i]![0]) < 1e-9 && Math.abs(p[1] - expected[i]![1]) < 1e-9,
    )
  )
}

/** Reads a circle kept in a region's `extra.labelmeCircle`. */
export function readCircle(value: unknown): Circle | undefined {
  if (!value || typeof value !== 'object') return undefined
  const { cx, cy, r, edge } = value as Record<string, unknown>
  if (typeof cx !== 'number' || typeof cy !== 'number' || typeof r !== 'number') return undefined
  const validEdge =
    Array.isArray(edge) && edge.length === 2 && edge.every((v) => typeof v === 'number')
  return { cx, cy, r, ...(validEdge ? { edge: [edge[0], edge[1]] as [number, number] } : {}) }
}
