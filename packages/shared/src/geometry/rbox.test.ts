import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clipBbox } from './bbox.ts'
import { rboxBounds, rboxCorners, rboxFromTopLeft, rboxTopLeft } from './rbox.ts'

describe('rotated boxes', () => {
  it('turns clockwise on screen about the top-left corner', () => {
    // A 300x100 box at (200, 100) turned 90 degrees hangs down and to the left of its corner.
    const box = rboxFromTopLeft(200, 100, 300, 100, 90)
    expect(box.cx).toBeCloseTo(150)
    expect(box.cy).toBeCloseTo(250)
    const b = rboxBounds(box)
    expect([b.x, b.y, b.w, b.h].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([100, 100, 100, 300])
  })

  it('recovers the top-left corner it was built from', () => {
    const n = fc.double({ min: -1000, max: 1000, noNaN: true })
    const size = fc.double({ min: 0, max: 1000, noNaN: true })
    fc.assert(
      fc.property(
        n,
        n,
        size,
        size,
        fc.double({ min: -720, max: 720, noNaN: true }),
        (x, y, w, h, a) => {
          const [tx, ty] = rboxTopLeft(rboxFromTopLeft(x, y, w, h, a))
          expect(tx).toBeCloseTo(x, 6)
          expect(ty).toBeCloseTo(y, 6)
        },
      ),
    )
  })

  it('keeps the corners at the box size from each other', () => {
    const [a, b, c] = rboxCorners({ cx: 5, cy: 5, w: 4, h: 2, angle: 33 })
    expect(Math.hypot(b[0] - a[0], b[1] - a[1])).toBeCloseTo(4)
    expect(Math.hypot(c[0] - b[0], c[1] - b[1])).toBeCloseTo(2)
  })
})

describe('clipBbox', () => {
  it('clips to the image and says so', () => {
    expect(clipBbox({ x: -2, y: 5, w: 10, h: 100 }, 50, 40)).toEqual({
      box: { x: 0, y: 5, w: 8, h: 35 },
      clipped: true,
    })
  })

  it('leaves a box inside the image untouched', () => {
    const box = { x: 1, y: 1, w: 2, h: 2 }
    expect(clipBbox(box, 10, 10)).toEqual({ box, clipped: false })
  })

  it('never produces a negative size', () => {
    const n = fc.double({ min: -100, max: 100, noNaN: true })
    fc.assert(
      fc.property(
        n,
        n,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (x, y, w, h) => {
          const { box } = clipBbox({ x, y, w, h }, 20, 30)
          expect(box.w).toBeGreaterThanOrEqual(0)
          expect(box.h).toBeGreaterThanOrEqual(0)
          expect(box.x + box.w).toBeLessThanOrEqual(20)
          expect(box.y + box.h).toBeLessThanOrEqual(30)
        },
      ),
    )
  })
})
