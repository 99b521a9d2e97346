import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  centreOn,
  fitToViewport,
  imageToScreen,
  MAX_SCALE,
  screenToImage,
  zoomAt,
} from './view-transform.ts'

describe('view transform', () => {
  it('keeps the image point under the cursor fixed while zooming', () => {
    fc.assert(
      fc.property(
        fc.record({
          x: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
          y: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
          scale: fc.double({ min: 0.05, max: 20, noNaN: true }),
        }),
        fc.record({
          x: fc.double({ min: 0, max: 2000, noNaN: true }),
          y: fc.double({ min: 0, max: 2000, noNaN: true }),
        }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (view, anchor, factor) => {
          const before = screenToImage(view, anchor)
          const after = screenToImage(zoomAt(view, anchor, factor), anchor)
          expect(after.x).toBeCloseTo(before.x, 6)
          expect(after.y).toBeCloseTo(before.y, 6)
        },
      ),
    )
  })

  it('round-trips between screen and image coordinates', () => {
    const view = { x: 13, y: -7, scale: 2.5 }
    const p = { x: 100, y: 42 }
    expect(screenToImage(view, imageToScreen(view, p))).toEqual(p)
  })

  it('never zooms past the maximum scale', () => {
    expect(zoomAt({ x: 0, y: 0, scale: MAX_SCALE }, { x: 5, y: 5 }, 3).scale).toBe(MAX_SCALE)
  })

  it('fits a wide image to the viewport width and centres it vertically', () => {
    const view = fitToViewport({ width: 2000, height: 1000 }, { width: 1048, height: 1048 })
    expect(view.scale).toBeCloseTo(0.5)
    expect(view.x).toBeCloseTo(24)
    expect(view.y).toBeCloseTo((1048 - 500) / 2)
  })

  it('centres an image point in the viewport without changing the zoom', () => {
    const view = centreOn({ x: 0, y: 0, scale: 2 }, { x: 50, y: 10 }, { width: 400, height: 300 })
    expect(imageToScreen(view, { x: 50, y: 10 })).toEqual({ x: 200, y: 150 })
    expect(view.scale).toBe(2)
  })
})
