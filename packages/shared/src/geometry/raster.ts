import type { Point } from './polygon.ts'
import type { Rle } from './rle.ts'
import { rleArea, rleFromBinary } from './rle.ts'

/**
 * Rasterises polygon rings into a mask the size of the image. A pixel is inside when its centre
 * `(x + 0.5, y + 0.5)` is inside a ring by the even-odd rule; outer rings are united and holes
 * cut out. This is the rule pycocotools follows closely: the square `(0,0)-(9,9)` covers pixels
 * 0..8, 81 pixels, equal to its shoelace area.
 */
export function rasterizePolygon(
  polygon: { points: Point[]; holes?: Point[][] | undefined; parts?: Point[][] | undefined },
  width: number,
  height: number,
): Rle {
  const bits = new Uint8Array(width * height)
  const outer = [polygon.points, ...(polygon.parts ?? [])]
  for (let x = 0; x < width; x++) {
    const cx = x + 0.5
    const column = x * height
    for (const ring of outer)
      fillSpans(ring, cx, height, (y0, y1) => bits.fill(1, column + y0, column + y1))
    for (const hole of polygon.holes ?? [])
      fillSpans(hole, cx, height, (y0, y1) => bits.fill(0, column + y0, column + y1))
  }
  return rleFromBinary(bits, width, height)
}

/** Calls `fill(y0, y1)` for each run of pixel rows whose centres lie inside `ring` at column centre `cx`. */
function fillSpans(
  ring: Point[],
  cx: number,
  height: number,
  fill: (y0: number, y1: number) => void,
): void {
  const crossings: number[] = []
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i]!
    const [bx, by] = ring[(i + 1) % ring.length]!
    // Half-open test so a vertex on the scan line is counted once.
    if (ax <= cx !== bx <= cx) crossings.push(ay + ((cx - ax) / (bx - ax)) * (by - ay))
  }
  crossings.sort((a, b) => a - b)
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    // Rows whose centre y + 0.5 lies in [top, bottom).
    const y0 = Math.max(0, Math.ceil(crossings[i]! - 0.5))
    const y1 = Math.min(height, Math.ceil(crossings[i + 1]! - 0.5))
    if (y1 > y0) fill(y0, y1)
  }
}

/** Pixel count of a polygon rasterised on an image of the given size. */
export function polygonRasterArea(
  polygon: { points: Point[]; holes?: Point[][] | undefined; parts?: Point[][] | undefined },
  width: number,
  height: number,
): number {
  return rleArea(rasterizePolygon(polygon, width, height))
}
