import { describe, expect, it } from 'vitest'
import {
  displayedSize,
  orientAngle,
  orientPoint,
  orientRle,
  type Orientation,
} from './orientation.ts'
import { rleFromBinary, rleToBinary } from './rle.ts'

const ALL: Orientation[] = [1, 2, 3, 4, 5, 6, 7, 8]

describe('EXIF orientation', () => {
  // A 100 x 40 stored image; where its stored top-left corner is seen once displayed.
  const topLeftShownAt: Record<Orientation, [number, number]> = {
    1: [0, 0],
    2: [100, 0],
    3: [100, 40],
    4: [0, 40],
    5: [0, 0],
    6: [40, 0],
    7: [40, 100],
    8: [0, 100],
  }

  it('puts the stored corners where each orientation shows them, inside the displayed image', () => {
    for (const o of ALL) {
      expect(orientPoint(o, 100, 40, [0, 0]), `orientation ${o}`).toEqual(topLeftShownAt[o])
      const shown = displayedSize(o, 100, 40)
      for (const corner of [
        [0, 0],
        [100, 0],
        [100, 40],
        [0, 40],
      ] as [number, number][]) {
        const [x, y] = orientPoint(o, 100, 40, corner)
        expect([x, y].every(Number.isFinite)).toBe(true)
        expect(x === 0 || x === shown.width, `orientation ${o}`).toBe(true)
        expect(y === 0 || y === shown.height, `orientation ${o}`).toBe(true)
      }
    }
  })

  it('turns a quarter clockwise for 6: the stored top edge becomes the right edge', () => {
    expect(orientPoint(6, 100, 40, [100, 0])).toEqual([40, 100])
    expect(orientPoint(6, 100, 40, [10, 4])).toEqual([36, 10])
    expect(orientAngle(6, 0)).toBeCloseTo(90)
    expect(orientAngle(8, 0)).toBeCloseTo(-90)
    expect(orientAngle(2, 30)).toBeCloseTo(150)
    expect(orientAngle(1, 30)).toBeCloseTo(30)
  })

  it('moves every mask pixel as the points move, keeping its area', () => {
    // Stored 3 x 2, column-major bits: one pixel at x=2, y=0 (top right).
    const bits = new Uint8Array(6)
    bits[2 * 2 + 0] = 1
    const rle = rleFromBinary(bits, 3, 2)
    for (const o of ALL) {
      const out = orientRle(o, rle)
      const shown = displayedSize(o, 3, 2)
      expect([out.width, out.height]).toEqual([shown.width, shown.height])
      const [px, py] = orientPoint(o, 3, 2, [2.5, 0.5])
      const outBits = rleToBinary(out)
      expect(
        outBits.reduce((a, b) => a + b, 0),
        `orientation ${o}`,
      ).toBe(1)
      expect(outBits[Math.floor(px) * shown.height + Math.floor(py)], `orientation ${o}`).toBe(1)
    }
  })
})
