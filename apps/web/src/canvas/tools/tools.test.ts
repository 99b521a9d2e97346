import type { Region } from '@concord/shared'
import { describe, expect, it } from 'vitest'
import { region } from '../testing.ts'
import { boxTool } from './box-tool.ts'
import { polygonTool } from './polygon-tool.ts'
import { selectTool } from './select-tool.ts'
import type { PointerInput, ToolContext } from './types.ts'

function ctx(regions: Region[] = [], selection: string[] = []): ToolContext {
  return {
    regions: new Map(regions.map((r) => [r.id, r])),
    selection,
    tolerance: 4,
    imageSize: { width: 1000, height: 1000 },
  }
}

const at = (x: number, y: number, mods: Partial<PointerInput> = {}): PointerInput => ({
  point: { x, y },
  alt: false,
  shift: false,
  ...mods,
})

describe('box tool', () => {
  it('creates a box from the press to the release corner', () => {
    let s = boxTool.down(boxTool.initial, at(10, 20), ctx()).state
    s = boxTool.move(s, at(50, 60), ctx()).state
    expect(boxTool.draft(s)).toEqual({ kind: 'bbox', geometry: { x: 10, y: 20, w: 40, h: 40 } })
    const step = boxTool.up(s, at(50, 60), ctx())
    expect(step.effects).toEqual([
      { type: 'create', shape: { kind: 'bbox', geometry: { x: 10, y: 20, w: 40, h: 40 } } },
    ])
    expect(boxTool.draft(step.state)).toBeNull()
  })

  it('drops a click that drew no real box', () => {
    const s = boxTool.down(boxTool.initial, at(10, 10), ctx()).state
    expect(boxTool.up(s, at(11, 10), ctx()).effects).toEqual([])
  })

  it('keeps the box inside the image', () => {
    const s = boxTool.down(boxTool.initial, at(-50, 990), ctx()).state
    const step = boxTool.up(s, at(100, 2000), ctx())
    expect(step.effects[0]).toMatchObject({ shape: { geometry: { x: 0, y: 990, w: 100, h: 10 } } })
  })

  it('escape drops the box being drawn and reports it handled', () => {
    const s = boxTool.down(boxTool.initial, at(10, 10), ctx()).state
    const step = boxTool.cancel(s, ctx())
    expect(step.handled).toBe(true)
    expect(boxTool.cancel(step.state, ctx()).handled).toBe(false)
  })
})

describe('polygon tool', () => {
  const clicks = (points: [number, number][]) =>
    points.reduce((s, [x, y]) => polygonTool.down(s, at(x, y), ctx()).state, polygonTool.initial)

  it('closes the polygon when the first vertex is clicked again', () => {
    const s = clicks([
      [0, 0],
      [100, 0],
      [100, 100],
    ])
    const step = polygonTool.down(s, at(1, 1), ctx())
    expect(step.effects).toEqual([
      {
        type: 'create',
        shape: {
          kind: 'polygon',
          geometry: {
            points: [
              [0, 0],
              [100, 0],
              [100, 100],
            ],
          },
        },
      },
    ])
    expect(polygonTool.draft(step.state)).toBeNull()
  })

  it('closes on Enter only once it has three vertices', () => {
    expect(
      polygonTool.finish(
        clicks([
          [0, 0],
          [100, 0],
        ]),
        ctx(),
      ).effects,
    ).toEqual([])
    expect(
      polygonTool.finish(
        clicks([
          [0, 0],
          [100, 0],
          [0, 100],
        ]),
        ctx(),
      ).effects,
    ).toHaveLength(1)
  })

  it('escape throws the unfinished polygon away', () => {
    const step = polygonTool.cancel(
      clicks([
        [0, 0],
        [100, 0],
      ]),
      ctx(),
    )
    expect(step.handled).toBe(true)
    expect(polygonTool.draft(step.state)).toBeNull()
  })

  it('takes a double click as one vertex', () => {
    expect(
      clicks([
        [0, 0],
        [50, 50],
        [50, 50],
      ]).points,
    ).toHaveLength(2)
  })
})

describe('select tool', () => {
  const box = region('b', { kind: 'bbox', geometry: { x: 100, y: 100, w: 100, h: 50 } })
  const poly = region('p', {
    kind: 'polygon',
    geometry: {
      points: [
        [500, 500],
        [600, 500],
        [600, 600],
        [500, 600],
      ],
    },
  })

  it('selects the clicked region without moving it', () => {
    const down = selectTool.down(selectTool.initial, at(150, 120), ctx([box]))
    expect(down.effects).toEqual([{ type: 'select', ids: ['b'] }])
    const move = selectTool.move(down.state, at(150.5, 120), ctx([box], ['b']))
    expect(move.effects).toEqual([])
    expect(selectTool.up(move.state, at(150.5, 120), ctx([box], ['b'])).effects).toEqual([])
  })

  it('clears the selection on a click on empty image', () => {
    expect(selectTool.down(selectTool.initial, at(900, 900), ctx([box], ['b'])).effects).toEqual([
      { type: 'select', ids: [] },
    ])
  })

  it('moves a region by the drag and commits once on release', () => {
    let s = selectTool.down(selectTool.initial, at(150, 120), ctx([box], ['b'])).state
    const move = selectTool.move(s, at(160, 140), ctx([box], ['b']))
    expect(move.effects).toEqual([
      { type: 'update', id: 'b', geometry: { x: 110, y: 120, w: 100, h: 50 }, phase: 'preview' },
    ])
    s = move.state
    expect(selectTool.up(s, at(160, 140), ctx([box], ['b'])).effects).toEqual([
      { type: 'update', id: 'b', geometry: { x: 110, y: 120, w: 100, h: 50 }, phase: 'commit' },
    ])
  })

  it('resizes the selected box by a grip', () => {
    const c = ctx([box], ['b'])
    let s = selectTool.down(selectTool.initial, at(200, 150), c).state
    s = selectTool.move(s, at(260, 170), c).state
    expect(selectTool.up(s, at(260, 170), c).effects[0]).toMatchObject({
      geometry: { x: 100, y: 100, w: 160, h: 70 },
    })
  })

  it('deletes a polygon vertex on Alt+click', () => {
    const step = selectTool.down(
      selectTool.initial,
      at(600, 600, { alt: true }),
      ctx([poly], ['p']),
    )
    expect(step.effects).toEqual([
      {
        type: 'update',
        id: 'p',
        geometry: {
          points: [
            [500, 500],
            [600, 500],
            [500, 600],
          ],
        },
        phase: 'commit',
      },
    ])
  })

  it('inserts a vertex at an edge midpoint and drags it', () => {
    const c = ctx([poly], ['p'])
    let s = selectTool.down(selectTool.initial, at(550, 500), c).state
    s = selectTool.move(s, at(550, 450), c).state
    expect(selectTool.up(s, at(550, 450), c).effects).toEqual([
      {
        type: 'update',
        id: 'p',
        geometry: {
          points: [
            [500, 500],
            [550, 450],
            [600, 500],
            [600, 600],
            [500, 600],
          ],
        },
        phase: 'commit',
      },
    ])
  })

  it('escape during a drag puts the region back', () => {
    let s = selectTool.down(selectTool.initial, at(150, 120), ctx([box], ['b'])).state
    s = selectTool.move(s, at(190, 190), ctx([box], ['b'])).state
    const step = selectTool.cancel(s, ctx([box], ['b']))
    expect(step.handled).toBe(true)
    expect(step.effects).toEqual([
      { type: 'update', id: 'b', geometry: box.geometry, phase: 'commit' },
    ])
  })

  it('shift+click adds to and removes from the selection', () => {
    expect(
      selectTool.down(selectTool.initial, at(550, 550, { shift: true }), ctx([box, poly], ['b']))
        .effects,
    ).toEqual([{ type: 'select', ids: ['b', 'p'] }])
    expect(
      selectTool.down(
        selectTool.initial,
        at(150, 120, { shift: true }),
        ctx([box, poly], ['b', 'p']),
      ).effects,
    ).toEqual([{ type: 'select', ids: ['p'] }])
  })
})
