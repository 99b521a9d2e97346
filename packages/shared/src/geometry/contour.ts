import { contours } from 'd3-contour'
import type { Point } from './polygon.ts'
import { rleBbox, type Rle } from './rle.ts'

/** One connected piece of a mask as rings in pixels: its outer boundary and the holes in it. */
export type TracedPolygon = { outer: Point[]; holes: Point[][] }

/**
 * Traces a mask's contours into polygons in image pixels, one per connected piece, each with
 * its holes. Marching squares (d3-contour) runs through pixel centres, so a boundary lies
 * halfway between a pixel inside and one outside: pixel `i` spans `[i, i+1)` and a lone pixel
 * becomes a small diamond around `(i + 0.5, j + 0.5)`. Rasterising the result by pixel centres
 * gives back the mask's pixels. Runs of collinear vertices are merged, so a straight edge is
 * two vertices however long it is.
 */
export function traceMask(rle: Rle): TracedPolygon[] {
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
    return simplifyCollinear(points)
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
