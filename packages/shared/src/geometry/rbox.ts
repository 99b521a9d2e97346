import type { Point } from './polygon.ts'
import { boundsOfPoints } from './polygon.ts'

type Rbox = { cx: number; cy: number; w: number; h: number; angle: number }

const DEG = Math.PI / 180

/**
 * Rotates a vector by `angle` degrees clockwise as seen on screen. With y pointing down, the
 * ordinary rotation matrix turns vectors clockwise on screen, so no sign flip is needed.
 */
export function rotateVector(x: number, y: number, angle: number): Point {
  const c = Math.cos(angle * DEG)
  const s = Math.sin(angle * DEG)
  return [x * c - y * s, x * s + y * c]
}

/** Corners of a rotated box in order top-left, top-right, bottom-right, bottom-left (before rotation). */
export function rboxCorners(box: Rbox): [Point, Point, Point, Point] {
  const hw = box.w / 2
  const hh = box.h / 2
  const corner = (dx: number, dy: number): Point => {
    const [rx, ry] = rotateVector(dx, dy, box.angle)
    return [box.cx + rx, box.cy + ry]
  }
  return [corner(-hw, -hh), corner(hw, -hh), corner(hw, hh), corner(-hw, hh)]
}

/** Axis-aligned bounds of a rotated box. */
export function rboxBounds(box: Rbox): { x: number; y: number; w: number; h: number } {
  return boundsOfPoints(rboxCorners(box))
}

/**
 * Builds a rotated box from a top-left corner, size and clockwise angle about that corner, which
 * is how Label Studio stores rotation. All values in pixels: rotating in percent units would skew
 * the box on a non-square image.
 */
export function rboxFromTopLeft(x: number, y: number, w: number, h: number, angle: number): Rbox {
  const [dx, dy] = rotateVector(w / 2, h / 2, angle)
  return { cx: x + dx, cy: y + dy, w, h, angle }
}

/** The inverse of {@link rboxFromTopLeft}: the rotated box's top-left corner (before rotation). */
export function rboxTopLeft(box: Rbox): Point {
  const [dx, dy] = rotateVector(box.w / 2, box.h / 2, box.angle)
  return [box.cx - dx, box.cy - dy]
}

/** Normalises an angle in degrees to `[0, 360)`. */
export function normalizeAngle(angle: number): number {
  const a = angle % 360
  return a < 0 ? a + 360 : a === 0 ? 0 : a
}
