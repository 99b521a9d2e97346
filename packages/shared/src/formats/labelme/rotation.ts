import type { RboxGeometry } from '../../domain/region.ts'
import type { Point } from '../../geometry/index.ts'
import { normalizeAngle, rboxCorners } from '../../geometry/index.ts'

/**
 * AnyLabeling and X-AnyLabeling, labelme forks, write a rotated rectangle as
 * `shape_type: "rotation"` with its four corners in drawing order and, in newer versions, a
 * `direction` in radians. The corners are what the user sees, so they are the truth here; the
 * direction is written for the forks' sake and not read.
 */

/** Degrees below which a turn is rounding noise rather than a drawn angle. */
const ANGLE_EPSILON = 1e-9

/**
 * The rotated box through four corners in the order top-left, top-right, bottom-right,
 * bottom-left of the unrotated box (the order {@link rboxCorners} gives): the centre is their
 * mean, the width and height the mean lengths of opposite sides (a hand-edited, slightly skewed
 * quadrilateral still gives a sensible box), the angle that of the first side, clockwise.
 */
export function rboxFromCorners(corners: readonly [Point, Point, Point, Point]): RboxGeometry {
  const [a, b, c, d] = corners
  const length = (p: Point, q: Point) => Math.hypot(q[0] - p[0], q[1] - p[1])
  const turned = normalizeAngle((Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI)
  // A level edge whose rounding put it a hair above horizontal reads as 0, not 359.999999.
  const angle = 360 - turned < ANGLE_EPSILON ? 0 : turned
  return {
    cx: (a[0] + b[0] + c[0] + d[0]) / 4,
    cy: (a[1] + b[1] + c[1] + d[1]) / 4,
    w: (length(a, b) + length(d, c)) / 2,
    h: (length(b, c) + length(a, d)) / 2,
    angle,
  }
}

/** A rotated box as the forks write it: four corners and the direction in radians. */
export function rboxToRotation(box: RboxGeometry): { points: Point[]; direction: number } {
  return { points: rboxCorners(box), direction: (normalizeAngle(box.angle) * Math.PI) / 180 }
}
