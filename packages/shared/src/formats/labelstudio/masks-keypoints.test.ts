import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ringArea, rleFromBinary } from '../../geometry/index.ts'
import { decodeText, encodeJson } from '../common/json.ts'
import type { InterchangeDataset, InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import { datasetOf, keypointsRegion, maskRegion } from '../test-support/arbitraries.ts'
import { expectClose } from '../test-support/close.ts'
import { encodeBrushRle } from './brush.ts'
import { exportLabelStudio, importLabelStudio } from './index.ts'

const files = (value: unknown) => new Map([['tasks.json', encodeJson(value)]])
const task = (result: unknown[]) => ({
  data: { image: '/data/upload/3/a.jpg' },
  annotations: [{ id: 1, result }],
})
const result = (type: string, value: Record<string, unknown>, width = 4, height = 3) => ({
  id: 'r1',
  type,
  from_name: 'tag',
  to_name: 'image',
  original_width: width,
  original_height: height,
  value,
})

describe('Label Studio brushes', () => {
  it('imports a brush as a mask of the image size', () => {
    const bits = Uint8Array.from({ length: 12 }, (_, i) => (i % 5 === 0 ? 1 : 0))
    const mask = rleFromBinary(bits, 4, 3)
    const rle = encodeBrushRle(mask)
    const { dataset } = importLabelStudio(
      files([task([result('brushlabels', { format: 'rle', rle, brushlabels: ['road'] })])]),
    )
    expect(dataset.items[0]!.regions).toEqual([
      expect.objectContaining({ kind: 'mask', label: 'road', geometry: mask }),
    ])
    expect(dataset.labels).toEqual([{ name: 'road' }])
  })

  it('skips a brush in another format and says which format', () => {
    const { dataset, report } = importLabelStudio(
      files([task([result('brushlabels', { format: 'png', brushlabels: ['road'] })])]),
    )
    expect(dataset.items[0]!.regions).toEqual([])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        code: 'skipped',
        path: '[0].annotations[0].result[0].value.format',
      }),
    )
    expect(report.warnings[0]!.message).toMatch(/"png"/)
  })

  it('refuses a brush whose packing is for another image size, naming the result', () => {
    const rle = encodeBrushRle({ width: 2, height: 2, counts: [0, 4] })
    const run = () =>
      importLabelStudio(
        files([task([result('brushlabels', { format: 'rle', rle, brushlabels: ['a'] })])]),
      )
    expect(run).toThrow(FormatError)
    expect(run).toThrow(/result\[0\]\.value\.rle.*needs 48/)
  })

  it('gives back masks exactly through export and import', () => {
    fc.assert(
      fc.property(datasetOf(maskRegion), (dataset) => {
        const back = importLabelStudio(exportLabelStudio(dataset).files).dataset
        for (const [i, item] of dataset.items.entries()) {
          const got = back.items[i]!.regions.map((r) => [r.label, r.geometry])
          expect(got).toEqual(item.regions.map((r) => [r.label, r.geometry]))
        }
      }),
      { numRuns: 20 },
    )
  })

  it('leaves out a mask of another size than its image and reports it', () => {
    const dataset: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [
        {
          ...{ key: 'a.jpg', subset: '', path: 'a.jpg', width: 10, height: 10, tags: [] },
          regions: [
            {
              kind: 'mask',
              label: 'a',
              attributes: {},
              geometry: { width: 5, height: 5, counts: [25] },
            },
          ],
        },
      ],
    }
    const { files: out, report } = exportLabelStudio(dataset)
    expect(JSON.parse(decodeText(out.get('tasks.json')!))[0].annotations[0].result).toEqual([])
    expect(report.lossiness).toContainEqual(expect.objectContaining({ kind: 'mask', count: 1 }))
  })
})

describe('Label Studio ellipses', () => {
  it('imports an ellipse as a polygon in pixels on a non-square image and counts it lossy', () => {
    // 10% of 400 px wide and 20% of 200 px high: both radii are 40 px, a circle about (200, 100).
    const { dataset, report } = importLabelStudio(
      files([
        task([
          result(
            'ellipselabels',
            { x: 50, y: 50, radiusX: 10, radiusY: 20, ellipselabels: ['o'] },
            400,
            200,
          ),
        ]),
      ]),
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('polygon')
    if (region.kind !== 'polygon') return
    for (const [x, y] of region.geometry.points)
      expect(Math.hypot(x - 200, y - 100)).toBeCloseTo(40, 9)
    // An inscribed polygon within a quarter pixel of the circle loses under 1.3% of its area.
    const area = ringArea(region.geometry.points)
    expect(area / (Math.PI * 40 * 40)).toBeGreaterThan(1 - (2 * 0.25) / 40)
    expect(area).toBeLessThan(Math.PI * 40 * 40)
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'lossy', count: 1 }))
  })

  it('turns an ellipse clockwise about its centre', () => {
    // 30 x 10 px radii turned by 90 degrees: 20 px wide and 60 px high about (50, 50).
    const { dataset } = importLabelStudio(
      files([
        task([
          result('ellipse', { x: 50, y: 50, radiusX: 30, radiusY: 10, rotation: 90 }, 100, 100),
          {
            id: 'r1',
            type: 'labels',
            value: { labels: ['o'] },
          },
        ]),
      ]),
    )
    const region = dataset.items[0]!.regions[0]!
    if (region.kind !== 'polygon') throw new Error(`expected a polygon, got ${region.kind}`)
    const xs = region.geometry.points.map((p) => p[0])
    const ys = region.geometry.points.map((p) => p[1])
    expectClose(
      [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)],
      [40, 60, 20, 80],
    )
  })
})

const visible = keypointsRegion.map((r): InterchangeRegion =>
  r.kind === 'keypoints'
    ? { ...r, geometry: { points: r.geometry.points.map((p) => ({ ...p, v: 2 as const })) } }
    : r,
)

describe('Label Studio keypoint sets', () => {
  it('gives back sets of visible points within Label Studio precision', () => {
    const several = visible.filter((r) => r.kind === 'keypoints' && r.geometry.points.length > 1)
    fc.assert(
      fc.property(datasetOf(several), (dataset) => {
        const back = importLabelStudio(exportLabelStudio(dataset).files).dataset
        for (const [i, item] of dataset.items.entries()) {
          const got = back.items[i]!.regions.map((r) => ({
            kind: r.kind,
            label: r.label,
            geometry: r.geometry,
          }))
          expectClose(
            got,
            item.regions.map((r) => ({ kind: r.kind, label: r.label, geometry: r.geometry })),
          )
        }
      }),
      { numRuns: 30 },
    )
  })

  it('links points to the first by parentID and writes their names as meta text', () => {
    const dataset = poseDataset([
      [10, 10, 2],
      [20, 10, 2],
      [30, 10, 2],
    ])
    const out = JSON.parse(decodeText(exportLabelStudio(dataset).files.get('tasks.json')!))
    const results = out[0].annotations[0].result as Record<string, unknown>[]
    expect(results.map((r) => r.type)).toEqual([
      'keypointlabels',
      'keypointlabels',
      'keypointlabels',
    ])
    expect(results[0]!.parentID).toBeUndefined()
    expect(results.slice(1).map((r) => r.parentID)).toEqual([results[0]!.id, results[0]!.id])
    expect(results.map((r) => r.meta)).toEqual(['nose', 'eye', 'ear'].map((n) => ({ text: [n] })))
    expect(results.map((r) => (r.value as { keypointlabels: string[] }).keypointlabels)).toEqual([
      ['person'],
      ['person'],
      ['person'],
    ])
  })

  it('puts named points back at their index and reports unlabelled and hidden ones', () => {
    const full = poseDataset([
      [10, 10, 2],
      [20, 10, 2],
      [30, 10, 2],
    ]).items[0]!.regions[0]!
    const dataset = poseDataset([
      [10, 10, 2],
      [0, 0, 0],
      [30, 12, 1],
    ])
    dataset.items[0]!.regions.unshift(full)
    const exported = exportLabelStudio(dataset)
    expect(exported.report.lossiness.map((l) => l.reason)).toEqual([
      expect.stringMatching(/unlabelled/),
      expect.stringMatching(/visibility/),
    ])
    const back = importLabelStudio(exported.files).dataset
    expect(back.labels).toEqual([{ name: 'person', keypoints: ['nose', 'eye', 'ear'] }])
    expect(back.items[0]!.regions[1]!.geometry).toEqual({
      points: [
        { x: 10, y: 10, v: 2 },
        { x: 0, y: 0, v: 0 },
        { x: 30, y: 12, v: 2 },
      ],
    })
  })

  it('keeps a keypoint whose parentID names a box a single point', () => {
    const { dataset } = importLabelStudio(
      files([
        task([
          {
            ...result('rectanglelabels', {
              x: 0,
              y: 0,
              width: 50,
              height: 50,
              rectanglelabels: ['p'],
            }),
            id: 'b',
          },
          {
            ...result('keypointlabels', { x: 10, y: 10, keypointlabels: ['k'] }),
            id: 'k1',
            parentID: 'b',
          },
        ]),
      ]),
    )
    expect(dataset.items[0]!.regions.map((r) => r.kind)).toEqual(['bbox', 'point'])
  })
})

/** One item of 100 x 50 px with one `person` set over nose, eye and ear. */
function poseDataset(points: [number, number, 0 | 1 | 2][]): InterchangeDataset {
  return {
    labels: [{ name: 'person', keypoints: ['nose', 'eye', 'ear'] }],
    items: [
      {
        ...{ key: 'p.jpg', subset: '', path: 'p.jpg', width: 100, height: 50, tags: [] },
        regions: [
          {
            kind: 'keypoints',
            label: 'person',
            attributes: {},
            geometry: { points: points.map(([x, y, v]) => ({ x, y, v })) },
          },
        ],
      },
    ],
  }
}
