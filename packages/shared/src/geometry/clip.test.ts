import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clipPolylineToImage, clipRingToImage, clipRingToRect } from './clip.ts'
import { ringArea, type Point } from './polygon.ts'

const rect = (x: number, y: number, w: number, h: number): Point[] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
]

/** Same vertices as a cycle, whichever vertex the clip starts from. */
function expectSameCycle(got: Point[], want: Point[]): void {
  expect(got).toHaveLength(want.length)
  const start = got.findIndex((p) => p[0] === want[0]![0] && p[1] === want[0]![1])
  expect(start).toBeGreaterThanOrEqual(0)
  want.forEach((p, i) => {
    const q = got[(start + i) % got.length]!
    expect(q[0]).toBeCloseTo(p[0], 9)
    expect(q[1]).toBeCloseTo(p[1], 9)
  })
}

describe('clipRingToRect', () => {
  it('returns a ring wholly inside unchanged', () => {
    const ring: Point[] = [
      [1, 1],
      [5, 2],
      [3, 6],
    ]
    expect(clipRingToImage(ring, 10, 10)).toEqual(ring)
  })

  it('returns nothing for a ring wholly outside', () => {
    expect(clipRingToImage(rect(20, 20, 5, 5), 10, 10)).toEqual([])
    expect(clipRingToImage(rect(-8, 2, 5, 5), 10, 10)).toEqual([])
  })

  it('cuts a convex ring that crosses one edge along that edge', () => {
    expectSameCycle(clipRingToImage(rect(5, 2, 10, 4), 10, 10), rect(5, 2, 5, 4))
  })

  it('cuts a triangle straddling a corner into the part inside the image', () => {
    // The triangle (5,5) (15,5) (5,15) crosses the corner (10,10) region on both edges.
    const clipped = clipRingToImage(
      [
        [5, 5],
        [15, 5],
        [5, 15],
      ],
      10,
      10,
    )
    expectSameCycle(clipped, [
      [5, 5],
      [10, 5],
      [10, 10],
      [5, 10],
    ])
    expect(ringArea(clipped)).toBeCloseTo(25, 9)
  })

  it('cuts a box around a corner of the image down to the corner square', () => {
    expectSameCycle(clipRingToImage(rect(-3, -3, 6, 6), 10, 10), rect(0, 0, 3, 3))
  })

  it('keeps the area of a concave ring that leaves and re-enters the image', () => {
    // A U open to the top, whose two arms poke out above the image: y < 0.
    const u: Point[] = [
      [1, -4],
      [3, -4],
      [3, 6],
      [7, 6],
      [7, -4],
      [9, -4],
      [9, 8],
      [1, 8],
    ]
    const clipped = clipRingToImage(u, 10, 10)
    // Inside: the U from y=0 down: arms 2x6 each plus the base 8x2.
    expect(ringArea(clipped)).toBeCloseTo(2 * 6 * 2 + 8 * 2, 9)
    for (const [x, y] of clipped) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(y).toBeGreaterThanOrEqual(0)
    }
  })

  it('clips to a rectangle that does not start at the origin', () => {
    expectSameCycle(
      clipRingToRect(rect(0, 0, 10, 10), { x: 4, y: 5, w: 2, h: 3 }),
      rect(4, 5, 2, 3),
    )
  })
})

describe('clipRingToRect properties', () => {
  const W = 100
  const H = 60
  /** Simple (star-shaped) rings around a centre anywhere near the image, some far outside. */
  const starRing = fc
    .record({
      cx: fc.double({ min: -60, max: W + 60, noNaN: true }),
      cy: fc.double({ min: -60, max: H + 60, noNaN: true }),
      radii: fc.array(fc.double({ min: 1, max: 80, noNaN: true }), { minLength: 3, maxLength: 16 }),
    })
    .map(({ cx, cy, radii }) =>
      radii.map((r, i): Point => {
        const a = (2 * Math.PI * i) / radii.length
        return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
      }),
    )

  it('gives a ring that lies inside the rectangle and never has more area', () => {
    fc.assert(
      fc.property(starRing, (ring) => {
        const clipped = clipRingToImage(ring, W, H)
        for (const [x, y] of clipped) {
          expect(x).toBeGreaterThanOrEqual(0)
          expect(x).toBeLessThanOrEqual(W)
          expect(y).toBeGreaterThanOrEqual(0)
          expect(y).toBeLessThanOrEqual(H)
        }
        expect(ringArea(clipped)).toBeLessThanOrEqual(ringArea(ring) + 1e-9)
      }),
    )
  })

  it('leaves a ring inside the rectangle exactly as it was', () => {
    const inside = fc.array(
      fc.tuple(
        fc.double({ min: 0, max: W, noNaN: true }),
        fc.double({ min: 0, max: H, noNaN: true }),
      ),
      { minLength: 3, maxLength: 12 },
    )
    fc.assert(
      fc.property(inside, (ring) => {
        expect(clipRingToImage(ring as Point[], W, H)).toEqual(ring)
      }),
    )
  })
})

describe('clipPolylineToRect', () => {
  const inRect = (p: Point, w: number, h: number) =>
    p[0] >= 0 && p[0] <= w && p[1] >= 0 && p[1] <= h

  it('returns a line wholly inside as one piece with its own vertices', () => {
    const line: Point[] = [
      [0, 0],
      [5, 5],
      [10, 0],
      [0, 0],
    ]
    expect(clipPolylineToImage(line, 10, 10)).toEqual([line])
  })

  it('cuts a line where it crosses the edge instead of moving its vertices onto the edge', () => {
    const pieces = clipPolylineToImage(
      [
        [-10, 5],
        [10, 5],
        [20, 15],
      ],
      10,
      10,
    )
    expect(pieces).toEqual([
      [
        [0, 5],
        [10, 5],
      ],
    ])
  })

  it('splits a line that leaves the image and comes back into pieces', () => {
    const pieces = clipPolylineToImage(
      [
        [2, 2],
        [2, -5],
        [8, -5],
        [8, 2],
      ],
      10,
      10,
    )
    expect(pieces).toEqual([
      [
        [2, 2],
        [2, 0],
      ],
      [
        [8, 0],
        [8, 2],
      ],
    ])
  })

  it('returns nothing for a line wholly outside or only touching a corner', () => {
    expect(
      clipPolylineToImage(
        [
          [-5, 20],
          [20, 20],
        ],
        10,
        10,
      ),
    ).toEqual([])
    expect(
      clipPolylineToImage(
        [
          [-5, 5],
          [5, -5],
        ],
        10,
        10,
      ),
    ).toEqual([])
    expect(
      clipPolylineToImage(
        [
          [-5, 5],
          [0, 0],
          [-5, -5],
        ],
        10,
        10,
      ),
    ).toEqual([])
  })

  it('keeps every piece inside the image and no longer than the line itself', () => {
    const length = (line: Point[]) =>
      line
        .slice(1)
        .reduce((sum, p, i) => sum + Math.hypot(p[0] - line[i]![0], p[1] - line[i]![1]), 0)
    const coord = fc.integer({ min: -40, max: 50 }).map((n) => n / 4)
    fc.assert(
      fc.property(fc.array(fc.tuple(coord, coord), { minLength: 2, maxLength: 8 }), (line) => {
        const points = line as Point[]
        const pieces = clipPolylineToImage(points, 10, 10)
        for (const piece of pieces) {
          expect(piece.length).toBeGreaterThanOrEqual(2)
          for (const p of piece) expect(inRect(p, 10, 10)).toBe(true)
        }
        expect(pieces.reduce((sum, piece) => sum + length(piece), 0)).toBeLessThanOrEqual(
          length(points) + 1e-9,
        )
        if (points.every((p) => inRect(p, 10, 10)) && length(points) > 0)
          expect(pieces.flat().length).toBeGreaterThan(0)
      }),
    )
  })
})
