import type { BboxGeometry, PolygonGeometry, Region } from '@concord/shared'
import type { Point } from './view-transform.ts'

/** One of the eight grips of a box: n, ne, e, se, s, sw, w, nw. */
export type BoxHandle = 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'nw'

export const BOX_HANDLES: readonly BoxHandle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w']

/** A grab point on the selected region: a box grip, a polygon vertex or an edge midpoint. */
export type Handle =
  | { type: 'box'; handle: BoxHandle; at: Point }
  | { type: 'vertex'; index: number; at: Point }
  | { type: 'midpoint'; index: number; at: Point }

/** Where each grip of a box sits. */
export function boxHandlePosition(g: BboxGeometry, handle: BoxHandle): Point {
  const cx = g.x + g.w / 2
  const cy = g.y + g.h / 2
  const x = handle.includes('w') ? g.x : handle.includes('e') ? g.x + g.w : cx
  const y = handle.startsWith('n') ? g.y : handle.startsWith('s') ? g.y + g.h : cy
  return { x, y }
}

/** The grab points a region offers in the select tool. */
export function handlesOf(region: Region): Handle[] {
  if (region.kind === 'bbox') {
    return BOX_HANDLES.map((handle) => ({
      type: 'box',
      handle,
      at: boxHandlePosition(region.geometry, handle),
    }))
  }
  if (region.kind === 'polygon' || region.kind === 'polyline') {
    const points = region.geometry.points
    const handles: Handle[] = points.map(([x, y], index) => ({
      type: 'vertex',
      index,
      at: { x, y },
    }))
    const edges = region.kind === 'polygon' ? points.length : points.length - 1
    for (let index = 0; index < edges; index++) {
      const a = points[index]
      const b = points[(index + 1) % points.length]
      if (a && b)
        handles.push({
          type: 'midpoint',
          index,
          at: { x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2 },
        })
    }
    return handles
  }
  return []
}

/**
 * The handle within `tolerance` of `p`. Vertices and box grips win over edge midpoints, so on
 * a short edge a press still grabs the corner rather than inserting a vertex beside it.
 */
export function pickHandle(region: Region, p: Point, tolerance: number): Handle | null {
  const handles = handlesOf(region)
  return (
    nearest(
      handles.filter((h) => h.type !== 'midpoint'),
      p,
      tolerance,
    ) ??
    nearest(
      handles.filter((h) => h.type === 'midpoint'),
      p,
      tolerance,
    )
  )
}

function nearest(handles: Handle[], p: Point, tolerance: number): Handle | null {
  let best: Handle | null = null
  let bestDistance = Infinity
  for (const handle of handles) {
    const d = Math.hypot(handle.at.x - p.x, handle.at.y - p.y)
    if (d <= tolerance && d < bestDistance) {
      best = handle
      bestDistance = d
    }
  }
  return best
}

/** The geometry of `region` moved by (dx, dy); kinds without a movable geometry return it unchanged. */
export function translateGeometry(region: Region, dx: number, dy: number): Region['geometry'] {
  const shift = ([x, y]: [number, number]): [number, number] => [x + dx, y + dy]
  switch (region.kind) {
    case 'bbox':
      return { ...region.geometry, x: region.geometry.x + dx, y: region.geometry.y + dy }
    case 'rbox':
      return { ...region.geometry, cx: region.geometry.cx + dx, cy: region.geometry.cy + dy }
    case 'polygon': {
      const g = region.geometry
      const out: PolygonGeometry = { points: g.points.map(shift) }
      if (g.holes) out.holes = g.holes.map((ring) => ring.map(shift))
      if (g.parts) out.parts = g.parts.map((ring) => ring.map(shift))
      return out
    }
    case 'polyline':
      return { points: region.geometry.points.map(shift) }
    case 'point':
      return { x: region.geometry.x + dx, y: region.geometry.y + dy }
    case 'keypoints':
      return { points: region.geometry.points.map((k) => ({ ...k, x: k.x + dx, y: k.y + dy })) }
    case 'mask':
      return region.geometry
  }
}

/**
 * The box after dragging one grip to `p`. Dragging past the opposite side flips the box, so
 * the result always has a non-negative size as the schema requires.
 */
export function resizeBox(g: BboxGeometry, handle: BoxHandle, p: Point): BboxGeometry {
  let x0 = g.x
  let y0 = g.y
  let x1 = g.x + g.w
  let y1 = g.y + g.h
  if (handle.includes('w')) x0 = p.x
  if (handle.includes('e')) x1 = p.x
  if (handle.startsWith('n')) y0 = p.y
  if (handle.startsWith('s')) y1 = p.y
  return boxFromCorners({ x: x0, y: y0 }, { x: x1, y: y1 })
}

/** A box spanning two corners in any order. */
export function boxFromCorners(a: Point, b: Point): BboxGeometry {
  return {
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    w: Math.abs(b.x - a.x),
    h: Math.abs(b.y - a.y),
  }
}

export function moveVertex(
  points: readonly [number, number][],
  index: number,
  p: Point,
): [number, number][] {
  return points.map((q, i) => (i === index ? [p.x, p.y] : q))
}

/** Inserts a vertex after `edgeIndex`, on the edge from vertex edgeIndex to the next. */
export function insertVertex(
  points: readonly [number, number][],
  edgeIndex: number,
  p: Point,
): [number, number][] {
  const out = points.slice()
  out.splice(edgeIndex + 1, 0, [p.x, p.y])
  return out
}

/** Removes a vertex unless that would leave fewer than `min` points (3 for a polygon). */
export function removeVertex(
  points: readonly [number, number][],
  index: number,
  min: number,
): [number, number][] | null {
  if (points.length <= min) return null
  return points.filter((_, i) => i !== index)
}

/** Keeps a point inside the image so shapes are not drawn off its edges. */
export function clampToImage(p: Point, size: { width: number; height: number }): Point {
  return { x: Math.min(size.width, Math.max(0, p.x)), y: Math.min(size.height, Math.max(0, p.y)) }
}
