import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  boxFromCorners,
  insertVertex,
  pickHandle,
  removeVertex,
  resizeBox,
  translateGeometry,
} from './geometry-edit.ts'
import { region } from './testing.ts'

describe('geometry editing', () => {
  it('resizes a box by its south-east grip', () => {
    expect(resizeBox({ x: 10, y: 10, w: 10, h: 10 }, 'se', { x: 40, y: 30 })).toEqual({
      x: 10,
      y: 10,
      w: 30,
      h: 20,
    })
  })

  it('keeps width and height non-negative when a grip is dragged past the opposite side', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -500, max: 500, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (x, y) => {
          for (const handle of ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const) {
            const g = resizeBox({ x: 0, y: 0, w: 100, h: 50 }, handle, { x, y })
            expect(g.w).toBeGreaterThanOrEqual(0)
            expect(g.h).toBeGreaterThanOrEqual(0)
          }
        },
      ),
    )
  })

  it('a side grip changes only its own side', () => {
    expect(resizeBox({ x: 0, y: 0, w: 10, h: 10 }, 'n', { x: 99, y: -5 })).toEqual({
      x: 0,
      y: -5,
      w: 10,
      h: 15,
    })
  })

  it('builds the same box from corners given in any order', () => {
    expect(boxFromCorners({ x: 5, y: 1 }, { x: 1, y: 5 })).toEqual({ x: 1, y: 1, w: 4, h: 4 })
  })

  it('inserts a vertex after the edge it was taken from', () => {
    expect(
      insertVertex(
        [
          [0, 0],
          [10, 0],
          [10, 10],
        ],
        0,
        { x: 5, y: 0 },
      ),
    ).toEqual([
      [0, 0],
      [5, 0],
      [10, 0],
      [10, 10],
    ])
  })

  it('refuses to remove a vertex from a triangle', () => {
    expect(
      removeVertex(
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        1,
        3,
      ),
    ).toBeNull()
    expect(
      removeVertex(
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
        1,
        3,
      ),
    ).toEqual([
      [0, 0],
      [1, 1],
      [0, 1],
    ])
  })

  it('moves every ring of a polygon, holes included', () => {
    const moved = translateGeometry(
      region('p', {
        kind: 'polygon',
        geometry: {
          points: [
            [0, 0],
            [4, 0],
            [0, 4],
          ],
          holes: [
            [
              [1, 1],
              [2, 1],
              [1, 2],
            ],
          ],
        },
      }),
      1,
      2,
    )
    expect(moved).toEqual({
      points: [
        [1, 2],
        [5, 2],
        [1, 6],
      ],
      holes: [
        [
          [2, 3],
          [3, 3],
          [2, 4],
        ],
      ],
    })
  })

  it('finds the grip under the pointer and prefers a vertex over a nearby midpoint', () => {
    const box = region('b', { kind: 'bbox', geometry: { x: 0, y: 0, w: 100, h: 50 } })
    expect(pickHandle(box, { x: 99, y: 26 }, 3)).toMatchObject({ type: 'box', handle: 'e' })
    expect(pickHandle(box, { x: 50, y: 25 }, 3)).toBeNull()
    const poly = region('p', {
      kind: 'polygon',
      geometry: {
        points: [
          [0, 0],
          [2, 0],
          [0, 10],
        ],
      },
    })
    expect(pickHandle(poly, { x: 1.4, y: 0 }, 1)).toMatchObject({ type: 'vertex', index: 1 })
  })
})
