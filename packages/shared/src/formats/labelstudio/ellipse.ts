import type { Point } from '../../geometry/index.ts'

/**
 * Largest gap, in pixels, allowed between the true ellipse and the polygon standing in for it: a
 * quarter pixel is below what a rasterised mask or a drawn outline can show.
 */
const MAX_DEVIATION = 0.25
/** Bounds on the vertex count: a tiny ellipse still looks round, a huge one stays editable. */
const MIN_VERTICES = 16
const MAX_VERTICES = 256

/**
 * Approximates an ellipse by a polygon inscribed in it. Centre and radii are in pixels; the
 * rotation is in degrees clockwise on screen (y down) about the centre, as Label Studio draws
 * ellipses. The vertex count grows with the larger radius so the polygon stays within
 * {@link MAX_DEVIATION} of the curve.
 */
export function ellipseToPolygon(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  rotation: number,
): Point[] {
  const r = Math.max(rx, ry)
  // A chord of angle 2π/n strays r(1 - cos(π/n)) from a circle of radius r.
  const needed = r > MAX_DEVIATION ? Math.PI / Math.acos(1 - MAX_DEVIATION / r) : MIN_VERTICES
  // A multiple of four puts vertices on both axes, so the polygon spans the ellipse's extent.
  const n = 4 * Math.ceil(Math.min(MAX_VERTICES, Math.max(MIN_VERTICES, needed)) / 4)
  const theta = (rotation * Math.PI) / 180
  const cos = Math.cos(theta)
  const sin = Math.sin(theta)
  const points: Point[] = []
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n
    const ex = rx * Math.cos(t)
    const ey = ry * Math.sin(t)
    points.push([cx + ex * cos - ey * sin, cy + ex * sin + ey * cos])
  }
  return points
}
