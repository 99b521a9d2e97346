import type { Point } from '../../geometry/index.ts'
import { rotateVector } from '../../geometry/index.ts'

/**
 * Vertices of the polygon that stands for a CVAT ellipse. With 64 the polygon's area is within
 * 0.2% of the ellipse's, finer than anyone drags an ellipse's edge.
 */
export const ELLIPSE_VERTICES = 64

/** A CVAT ellipse: centre, radii along its own axes, and its turn in degrees clockwise. */
export type Ellipse = { cx: number; cy: number; rx: number; ry: number; rotation: number }

/** Vertices on the ellipse in pixels, the rotation applied about the centre. */
export function ellipseToPolygon(ellipse: Ellipse): Point[] {
  const points: Point[] = []
  for (let i = 0; i < ELLIPSE_VERTICES; i++) {
    const t = (2 * Math.PI * i) / ELLIPSE_VERTICES
    const [dx, dy] = rotateVector(
      ellipse.rx * Math.cos(t),
      ellipse.ry * Math.sin(t),
      ellipse.rotation,
    )
    points.push([ellipse.cx + dx, ellipse.cy + dy])
  }
  return points
}

/** Whether a polygon is still exactly the approximation of `ellipse` (not edited since import). */
export function isEllipsePolygon(points: readonly Point[], ellipse: Ellipse): boolean {
  const expected = ellipseToPolygon(ellipse)
  return (
    points.length === expected.length &&
    points.every(
      (p, i) => Math.abs(p[0] - expected[i]![0]) < 1e-9 && Math.abs(p[1] - expected[i]![1]) < 1e-9,
    )
  )
}

/** Reads an ellipse kept in a region's `extra.cvatEllipse`. */
export function readEllipse(value: unknown): Ellipse | undefined {
  if (!value || typeof value !== 'object') return undefined
  const { cx, cy, rx, ry, rotation } = value as Record<string, unknown>
  const all = [cx, cy, rx, ry, rotation]
  if (!all.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined
  return { cx, cy, rx, ry, rotation } as Ellipse
}
