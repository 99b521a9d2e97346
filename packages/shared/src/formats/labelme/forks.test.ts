import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rboxCorners } from '../../geometry/index.ts'
import { decodeText, encodeJson } from '../common/json.ts'
import type { InterchangeDataset } from '../model.ts'
import { FormatError } from '../model.ts'
import { expectClose } from '../test-support/close.ts'
import { exportLabelme, importLabelme } from './index.ts'
import { rboxFromCorners } from './rotation.ts'

/** A file as X-AnyLabeling writes it, trimmed to the keys that matter here. */
const anyLabeling = (shapes: unknown[]) =>
  new Map([
    [
      'dir/boat.json',
      encodeJson({
        version: '2.4.0',
        flags: {},
        shapes,
        imagePath: 'boat.jpg',
        imageData: null,
        imageHeight: 200,
        imageWidth: 300,
      }),
    ],
  ])

const shape = (shape_type: string, points: number[][], more: Record<string, unknown> = {}) => ({
  label: 'boat',
  points,
  group_id: null,
  description: '',
  shape_type,
  flags: {},
  ...more,
})

const rboxDataset = (angle: number): InterchangeDataset => ({
  labels: [{ name: 'boat' }],
  items: [
    {
      key: 'boat.jpg',
      subset: '',
      path: 'boat.jpg',
      width: 300,
      height: 200,
      tags: [],
      regions: [
        {
          kind: 'rbox',
          label: 'boat',
          attributes: {},
          geometry: { cx: 100, cy: 80, w: 60, h: 20, angle },
        },
      ],
    },
  ],
})

const shapesOf = (files: Map<string, Uint8Array>) =>
  JSON.parse(decodeText([...files.values()][0]!)).shapes as Record<string, unknown>[]

describe('labelme forks', () => {
  it('reads an AnyLabeling rotation shape as a rotated box, angle clockwise in degrees', () => {
    // A 40 x 20 box centred on (100, 50), turned 90 degrees clockwise: its top edge points down.
    const points = [
      [110, 30],
      [110, 70],
      [90, 70],
      [90, 30],
    ]
    const { dataset } = importLabelme(
      anyLabeling([shape('rotation', points, { direction: Math.PI / 2 })]),
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('rbox')
    expectClose(region.geometry, { cx: 100, cy: 50, w: 40, h: 20, angle: 90 })
  })

  it('recovers any rotated box from the corners it writes', () => {
    const box = fc.record({
      cx: fc.integer({ min: 0, max: 300 }),
      cy: fc.integer({ min: 0, max: 200 }),
      w: fc.integer({ min: 1, max: 100 }),
      h: fc.integer({ min: 1, max: 100 }),
      angle: fc.integer({ min: 0, max: 359 }),
    })
    fc.assert(fc.property(box, (b) => expectClose(rboxFromCorners(rboxCorners(b)), b, 1e-6)))
  })

  it('reads a points shape as one keypoint set, every point visible', () => {
    const points = [
      [10, 20],
      [30, 40],
      [50, 60],
    ]
    const { dataset } = importLabelme(anyLabeling([shape('points', points, { group_id: 4 })]))
    expect(dataset.items[0]!.regions).toEqual([
      {
        kind: 'keypoints',
        label: 'boat',
        attributes: {},
        group: 4,
        geometry: { points: points.map(([x, y]) => ({ x, y, v: 2 })) },
      },
    ])
  })

  it('skips an unknown shape type with a warning naming the type and the file', () => {
    const { dataset, report } = importLabelme(
      anyLabeling([shape('cuboid', [[1, 2]]), shape('point', [[3, 4]])]),
    )
    expect(dataset.items[0]!.regions.map((r) => r.kind)).toEqual(['point'])
    const warning = report.warnings.find((w) => w.code === 'skipped')
    expect(warning?.file).toBe('dir/boat.json')
    expect(warning?.message).toContain('"cuboid"')
    expect(warning?.message).toContain('dir/boat.json')
  })

  it('writes a rotated box as a polygon by default, reported as lossy', () => {
    const { files, report } = exportLabelme(rboxDataset(30))
    expect(shapesOf(files)[0]!.shape_type).toBe('polygon')
    expect(report.lossiness.map((l) => l.kind)).toEqual(['rbox'])
  })

  it('writes a rotated box as a rotation shape in the AnyLabeling flavour and reads it back', () => {
    const { files, report } = exportLabelme(rboxDataset(30), { flavour: 'anylabeling' })
    const [written] = shapesOf(files)
    expect(written).toMatchObject({ shape_type: 'rotation' })
    expect(written!.direction).toBeCloseTo(Math.PI / 6, 9)
    expect(report.lossiness).toEqual([])
    const back = importLabelme(files).dataset.items[0]!.regions[0]!
    expectClose(back.geometry, rboxDataset(30).items[0]!.regions[0]!.geometry, 1e-6)
  })

  it('refuses an unknown export flavour, naming the option', () => {
    expect(() => exportLabelme(rboxDataset(0), { flavour: 'x' as 'labelme' })).toThrow(FormatError)
  })
})
