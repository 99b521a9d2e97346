import { describe, expect, it } from 'vitest'
import { rleFromBinary } from '../geometry/index.ts'
import type { InterchangeRegion } from './model.ts'
import { orientRegion } from './orient.ts'

const base = { label: 'a', attributes: {} }

describe('orientRegion', () => {
  // Stored 100 x 40, orientation 6 (a quarter clockwise): (x, y) is shown at (40 - y, x).
  it('moves every kind as the photo is shown', () => {
    const turn = (region: InterchangeRegion) => orientRegion(region, 6, 100, 40).geometry
    expect(turn({ ...base, kind: 'bbox', geometry: { x: 10, y: 4, w: 80, h: 16 } })).toEqual({
      x: 20,
      y: 10,
      w: 16,
      h: 80,
    })
    expect(turn({ ...base, kind: 'point', geometry: { x: 10, y: 4 } })).toEqual({ x: 36, y: 10 })
    expect(
      turn({
        ...base,
        kind: 'polygon',
        geometry: {
          points: [
            [0, 0],
            [10, 0],
            [10, 10],
          ],
          holes: [
            [
              [1, 1],
              [2, 1],
              [2, 2],
            ],
          ],
        },
      }),
    ).toEqual({
      points: [
        [40, 0],
        [40, 10],
        [30, 10],
      ],
      holes: [
        [
          [39, 1],
          [39, 2],
          [38, 2],
        ],
      ],
    })
    expect(
      turn({
        ...base,
        kind: 'keypoints',
        geometry: {
          points: [
            { x: 10, y: 4, v: 2 },
            { x: 0, y: 0, v: 0 },
          ],
        },
      }),
    ).toEqual({
      points: [
        { x: 36, y: 10, v: 2 },
        { x: 0, y: 0, v: 0 },
      ],
    })
    const rbox = turn({
      ...base,
      kind: 'rbox',
      geometry: { cx: 50, cy: 20, w: 30, h: 10, angle: 10 },
    })
    expect(rbox).toMatchObject({ cx: 20, cy: 50, w: 30, h: 10 })
    expect((rbox as { angle: number }).angle).toBeCloseTo(100)
    const bits = new Uint8Array(100 * 40)
    bits[10 * 40 + 4] = 1
    const mask = turn({ ...base, kind: 'mask', geometry: rleFromBinary(bits, 100, 40) })
    expect(mask).toMatchObject({ width: 40, height: 100 })
  })

  it('moves the box a COCO file declared with its shape', () => {
    const region: InterchangeRegion = {
      ...base,
      kind: 'polygon',
      geometry: {
        points: [
          [10, 4],
          [90, 4],
          [90, 20],
        ],
      },
      extra: { cocoBbox: [10, 4, 80, 16] },
    }
    expect(orientRegion(region, 6, 100, 40).extra).toEqual({ cocoBbox: [20, 10, 16, 80] })
  })
})
