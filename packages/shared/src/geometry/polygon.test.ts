import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { boundsOfPoints, flattenPoints, pairPoints, polygonArea, ringArea } from './polygon.ts'
import { polygonRasterArea, rasterizePolygon } from './raster.ts'
import { rleBbox } from './rle.ts'

const rect = (x: number, y: number, w: number, h: number): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
]

describe('polygon area', () => {
  it('is the shoelace area whichever way the ring turns', () => {
    expect(ringArea(rect(1, 2, 3, 4))).toBe(12)
    expect(ringArea([...rect(1, 2, 3, 4)].reverse())).toBe(12)
  })

  it('subtracts holes and adds parts', () => {
    expect(
      polygonArea({
        points: rect(0, 0, 10, 10),
        holes: [rect(2, 2, 2, 2)],
        parts: [rect(20, 0, 1, 1)],
      }),
    ).toBe(97)
  })

  it('equals the raster pixel count for integer rectangles', () => {
    const box = fc.record({
      x: fc.integer({ min: 0, max: 20 }),
      y: fc.integer({ min: 0, max: 20 }),
      w: fc.integer({ min: 1, max: 20 }),
      h: fc.integer({ min: 1, max: 20 }),
    })
    fc.assert(
      fc.property(box, ({ x, y, w, h }) => {
        const ring = rect(x, y, w, h)
        expect(polygonRasterArea({ points: ring }, 45, 45)).toBe(ringArea(ring))
      }),
    )
  })

  it('stays within the perimeter of the shoelace area for random triangles', () => {
    const pt = fc.tuple(
      fc.double({ min: 0, max: 60, noNaN: true }),
      fc.double({ min: 0, max: 60, noNaN: true }),
    )
    fc.assert(
      fc.property(pt, pt, pt, (a, b, c) => {
        const ring: [number, number][] = [a, b, c]
        const perimeter = [0, 1, 2].reduce((s, i) => {
          const p = ring[i]!
          const q = ring[(i + 1) % 3]!
          return s + Math.hypot(p[0] - q[0], p[1] - q[1])
        }, 0)
        expect(
          Math.abs(polygonRasterArea({ points: ring }, 64, 64) - ringArea(ring)),
        ).toBeLessThanOrEqual(perimeter + 4)
      }),
    )
  })

  it('leaves holes out of the raster', () => {
    const mask = rasterizePolygon({ points: rect(0, 0, 6, 6), holes: [rect(2, 2, 2, 2)] }, 8, 8)
    expect(polygonRasterArea({ points: rect(0, 0, 6, 6), holes: [rect(2, 2, 2, 2)] }, 8, 8)).toBe(
      32,
    )
    expect(rleBbox(mask)).toEqual({ x: 0, y: 0, w: 6, h: 6 })
  })

  it('clips the raster to the image', () => {
    expect(polygonRasterArea({ points: rect(-5, -5, 10, 10) }, 4, 4)).toBe(16)
  })

  it('flattens and pairs COCO coordinate lists', () => {
    const ring = rect(1.5, 2, 3, 4)
    expect(pairPoints(flattenPoints(ring))).toEqual(ring)
    expect(boundsOfPoints(ring)).toEqual({ x: 1.5, y: 2, w: 3, h: 4 })
  })
})
