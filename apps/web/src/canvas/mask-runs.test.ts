import { describe, expect, it } from 'vitest'
import { maskRuns } from './mask-runs.ts'

describe('mask runs', () => {
  it('turns column-major counts into one-pixel-wide vertical runs', () => {
    // 3 x 4 image: column 0 rows 1-2, column 1 rows 0-3, column 2 nothing.
    const runs = maskRuns({ width: 3, height: 4, counts: [1, 2, 1, 4, 4] })
    expect(runs).toEqual([
      { x: 0, y: 1, h: 2 },
      { x: 1, y: 0, h: 4 },
    ])
  })

  it('splits a run that crosses into the next column', () => {
    const runs = maskRuns({ width: 2, height: 3, counts: [2, 3, 1] })
    expect(runs).toEqual([
      { x: 0, y: 2, h: 1 },
      { x: 1, y: 0, h: 2 },
    ])
  })

  it('covers exactly as many pixels as the counts mark', () => {
    const counts = [5, 7, 3, 11, 2, 4]
    const total = maskRuns({ width: 4, height: 8, counts }).reduce((n, r) => n + r.h, 0)
    expect(total).toBe(7 + 11 + 4)
  })
})
