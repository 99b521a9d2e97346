import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { simplifyCollinear, simplifyRing, traceMask } from './contour.ts'
import { ringArea, type Point } from './polygon.ts'
import { rasterizePolygon } from './raster.ts'
import { rleArea, rleFromBinary, rleIou } from './rle.ts'

const rect = (x: number, y: number, w: number, h: number): Point[] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
]

/** Rasterises traced pieces back (outer rings united, holes cut) on an image of the mask's size. */
function rasterizeTraced(traced: ReturnType<typeof traceMask>, width: number, height: number) {
  const [first, ...rest] = traced
  if (!first) return rleFromBinary(new Uint8Array(width * height), width, height)
  return rasterizePolygon(
    {
      points: first.outer,
      parts: rest.map((p) => p.outer),
      holes: traced.flatMap((p) => p.holes),
    },
    width,
    height,
  )
}

describe('traceMask', () => {
  it('gives nothing for an empty mask', () => {
    expect(traceMask(rleFromBinary(new Uint8Array(20 * 10), 20, 10))).toEqual([])
  })

  it('gives one ring per separate blob', () => {
    const mask = rasterizePolygon({ points: rect(2, 2, 5, 5), parts: [rect(12, 3, 4, 4)] }, 20, 10)
    const traced = traceMask(mask)
    expect(traced).toHaveLength(2)
    expect(traced.every((piece) => piece.holes.length === 0)).toBe(true)
  })

  it('gives a hole as a hole of its piece', () => {
    const mask = rasterizePolygon({ points: rect(1, 1, 10, 10), holes: [rect(4, 4, 3, 3)] }, 12, 12)
    const traced = traceMask(mask)
    expect(traced).toHaveLength(1)
    expect(traced[0]!.holes).toHaveLength(1)
    expect(rleIou(rasterizeTraced(traced, 12, 12), mask)).toBe(1)
  })

  it('traces a 1000x1000 square mask with a handful of vertices, not thousands', () => {
    const mask = rasterizePolygon({ points: rect(0, 0, 1000, 1000) }, 1000, 1000)
    const [piece] = traceMask(mask)
    expect(piece!.outer.length).toBeLessThanOrEqual(8)
    // The ring runs through the border pixels' outer halves: within half a pixel of the edge.
    expect(ringArea(piece!.outer)).toBeGreaterThan(999 * 999)
  })

  it('traces pieces that touch the image edge in image coordinates', () => {
    const mask = rasterizePolygon({ points: rect(15, 0, 5, 10) }, 20, 10)
    const [piece] = traceMask(mask)
    for (const [x, y] of piece!.outer) {
      expect(x).toBeGreaterThanOrEqual(14.5)
      expect(x).toBeLessThanOrEqual(20)
      expect(y).toBeGreaterThanOrEqual(0)
      expect(y).toBeLessThanOrEqual(10)
    }
  })

  it('traces a rasterised polygon back to nearly the same pixels', () => {
    const W = 120
    const H = 80
    /** Star-shaped rings of reasonable size inside the image. */
    const star = fc
      .record({
        cx: fc.double({ min: 40, max: W - 40, noNaN: true }),
        cy: fc.double({ min: 30, max: H - 30, noNaN: true }),
        radii: fc.array(fc.double({ min: 12, max: 30, noNaN: true }), {
          minLength: 3,
          maxLength: 12,
        }),
      })
      .map(({ cx, cy, radii }) =>
        radii.map((r, i): Point => {
          const a = (2 * Math.PI * i) / radii.length
          return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
        }),
      )
    fc.assert(
      fc.property(star, (ring) => {
        const mask = rasterizePolygon({ points: ring }, W, H)
        fc.pre(rleArea(mask) > 0)
        const back = rasterizeTraced(traceMask(mask), W, H)
        expect(rleIou(back, mask)).toBeGreaterThanOrEqual(0.95)
      }),
      { numRuns: 60 },
    )
  })
})

describe('simplifyCollinear', () => {
  it('drops vertices that lie on a straight edge and keeps corners', () => {
    const ring: Point[] = [
      [0, 0],
      [1, 0],
      [2, 0],
      [2, 1],
      [2, 2],
      [1, 1],
    ]
    expect(simplifyCollinear(ring)).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
    ])
  })
})

describe('simplifyRing', () => {
  const circle = (r: number, c: number, n: number): Point[] =>
    Array.from({ length: n }, (_, i): Point => {
      const a = (2 * Math.PI * i) / n
      return [c + r * Math.cos(a), c + r * Math.sin(a)]
    })

  it('cuts a traced circle to under half its vertices, covering the same pixels', () => {
    const mask = rasterizePolygon({ points: circle(240, 250, 720) }, 500, 500)
    const [exact] = traceMask(mask)
    const [simple] = traceMask(mask, { tolerance: 0.5 })
    expect(simple!.outer.length).toBeLessThan(exact!.outer.length / 2)
    const back = rasterizePolygon({ points: simple!.outer }, 500, 500)
    expect(rleIou(back, mask)).toBeGreaterThanOrEqual(0.99)
  })

  it('keeps every dropped vertex within the tolerance of the kept outline', () => {
    const ring = fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
      ),
      { minLength: 4, maxLength: 30 },
    )
    fc.assert(
      fc.property(ring, fc.double({ min: 0.1, max: 5, noNaN: true }), (points, tolerance) => {
        const kept = simplifyRing(points as Point[], tolerance)
        expect(kept.length).toBeGreaterThanOrEqual(3)
        for (const p of points) {
          const near = kept.some((a, i) => {
            const b = kept[(i + 1) % kept.length]!
            return segmentDistance(p, a, b) <= tolerance + 1e-9
          })
          expect(near).toBe(true)
        }
      }),
    )
  })
})

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const l2 = dx * dx + dy * dy
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2))
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
}
