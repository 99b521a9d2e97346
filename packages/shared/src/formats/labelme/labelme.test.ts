import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rleArea, rleBbox, rleFromBinary } from '../../geometry/index.ts'
import { decodeText, encodeJson } from '../common/json.ts'
import type { InterchangeDataset, InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import {
  HEIGHT,
  WIDTH,
  bboxRegion,
  datasetOf,
  keypointsRegion,
} from '../test-support/arbitraries.ts'
import { expectClose } from '../test-support/close.ts'
import { exportLabelme, importLabelme } from './index.ts'
import { encodePngMask, toBase64 } from './png-mask.ts'

const doc = (shapes: unknown[], extra: Record<string, unknown> = {}) => ({
  version: '5.5.0',
  flags: {},
  shapes,
  imagePath: 'img.jpg',
  imageData: null,
  imageHeight: 40,
  imageWidth: 60,
  ...extra,
})
const shape = (shape_type: string, points: number[][], more: Record<string, unknown> = {}) => ({
  label: 'thing',
  points,
  group_id: null,
  shape_type,
  flags: {},
  ...more,
})
const files = (value: unknown, name = 'dir/img.json') => new Map([[name, encodeJson(value)]])

describe('labelme import', () => {
  it('reads every simple shape kind into the matching region', () => {
    const { dataset } = importLabelme(
      files(
        doc([
          shape('rectangle', [
            [30, 20],
            [10, 5],
          ]),
          shape('polygon', [
            [0, 0],
            [4, 0],
            [4, 4],
          ]),
          shape('line', [
            [1, 1],
            [2, 2],
          ]),
          shape('linestrip', [
            [1, 1],
            [2, 2],
            [3, 1],
          ]),
          shape('point', [[7, 8]]),
        ]),
      ),
    )
    const item = dataset.items[0]!
    expect(item).toMatchObject({ path: 'dir/img.jpg', width: 60, height: 40 })
    expect(item.regions.map((r) => [r.kind, r.geometry])).toEqual([
      ['bbox', { x: 10, y: 5, w: 20, h: 15 }],
      [
        'polygon',
        {
          points: [
            [0, 0],
            [4, 0],
            [4, 4],
          ],
        },
      ],
      [
        'polyline',
        {
          points: [
            [1, 1],
            [2, 2],
          ],
        },
      ],
      [
        'polyline',
        {
          points: [
            [1, 1],
            [2, 2],
            [3, 1],
          ],
        },
      ],
      ['point', { x: 7, y: 8 }],
    ])
  })

  it('keeps group_id 0 as a real group', () => {
    const { dataset } = importLabelme(
      files(
        doc([
          shape(
            'polygon',
            [
              [0, 0],
              [1, 0],
              [1, 1],
            ],
            { group_id: 0 },
          ),
          shape(
            'polygon',
            [
              [2, 2],
              [3, 2],
              [3, 3],
            ],
            { group_id: 0 },
          ),
        ]),
      ),
    )
    expect(dataset.items[0]!.regions.map((r) => r.group)).toEqual([0, 0])
  })

  it('turns a circle into a polygon of its radius and back into a circle on export', () => {
    const { dataset } = importLabelme(
      files(
        doc([
          shape('circle', [
            [20, 20],
            [25, 20],
          ]),
        ]),
      ),
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('polygon')
    if (region.kind !== 'polygon') return
    for (const [x, y] of region.geometry.points)
      expect(Math.hypot(x - 20, y - 20)).toBeCloseTo(5, 9)
    const out = JSON.parse(decodeText([...exportLabelme(dataset).files.values()][0]!))
    expect(out.shapes[0]).toMatchObject({
      shape_type: 'circle',
      points: [
        [20, 20],
        [25, 20],
      ],
    })
  })

  it('places a PNG mask at its box corner in the image', () => {
    const bits = new Uint8Array([1, 1, 0, 1, 0, 0]) // 3 wide, 2 high, row-major
    const mask = toBase64(encodePngMask({ width: 3, height: 2, bits }))
    const { dataset } = importLabelme(
      files(
        doc([
          shape(
            'mask',
            [
              [10.7, 5.2],
              [12.7, 6.2],
            ],
            { mask },
          ),
        ]),
      ),
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('mask')
    if (region.kind !== 'mask') return
    expect(rleArea(region.geometry)).toBe(3)
    expect(rleBbox(region.geometry)).toEqual({ x: 10, y: 5, w: 2, h: 2 })
  })

  it('turns set image flags into tags and shape flags and description into attributes', () => {
    const { dataset } = importLabelme(
      files(
        doc([shape('point', [[1, 1]], { flags: { occluded: true }, description: 'left ear' })], {
          flags: { night: true, blurry: false },
        }),
      ),
    )
    expect(dataset.items[0]!.tags).toEqual(['night'])
    expect(dataset.items[0]!.regions[0]!.attributes).toEqual({
      occluded: true,
      description: 'left ear',
    })
  })

  it('returns embedded image bytes by item path', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0x00])
    const { images } = importLabelme(files(doc([], { imageData: toBase64(bytes) })))
    expect([...images.keys()]).toEqual(['dir/img.jpg'])
    expect([...images.get('dir/img.jpg')!]).toEqual([...bytes])
  })

  it('names the shape whose points are malformed', () => {
    const bad = files(
      doc([shape('point', [[1, 1]]), { label: 'x', points: [[1, 'a']], shape_type: 'point' }]),
    )
    expect(() => importLabelme(bad)).toThrow(FormatError)
    expect(() => importLabelme(bad)).toThrow(/shapes\[1\]\.points\[0\]\[1\]/)
  })

  it('reports a mask it cannot place because the image size is unknown', () => {
    const mask = toBase64(encodePngMask({ width: 1, height: 1, bits: new Uint8Array([1]) }))
    const { dataset, report } = importLabelme(
      files(
        doc(
          [
            shape(
              'mask',
              [
                [0, 0],
                [0, 0],
              ],
              { mask },
            ),
          ],
          { imageWidth: null, imageHeight: null },
        ),
      ),
    )
    expect(dataset.items[0]!.regions).toEqual([])
    expect(report.warnings.map((w) => w.code)).toContain('missing-size')
  })
  it('leaves out shapes whose label is empty or blank and names each one', () => {
    const point = [[1, 1]]
    const { dataset, report } = importLabelme(
      files(
        doc(
          [
            shape('point', point, { label: '' }),
            shape('point', point),
            shape('point', point, { label: '  ' }),
          ],
          { flags: { '': true, day: true } },
        ),
      ),
    )
    const item = dataset.items[0]!
    expect(item.regions.map((r) => r.label)).toEqual(['thing'])
    expect(item.tags).toEqual(['day'])
    expect(dataset.labels).toEqual([{ name: 'thing' }])
    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped.map((w) => [w.file, w.path])).toEqual([
      ['dir/img.json', 'shapes[0]'],
      ['dir/img.json', 'shapes[2]'],
    ])
  })
})

describe('labelme export', () => {
  it('writes one file per image and never lets two overwrite each other', () => {
    const item = (path: string) => ({
      key: path,
      subset: '',
      path,
      width: 10,
      height: 10,
      regions: [],
      tags: [],
    })
    const { files: out } = exportLabelme({
      labels: [],
      items: [item('a/x.jpg'), item('a/x.png'), item('b/x.jpg')],
    })
    expect([...out.keys()]).toEqual(['a/x.json', 'a/x_2.json', 'b/x.json'])
    const back = importLabelme(out).dataset.items.map((i) => i.path)
    expect(back.sort()).toEqual(['a/x.jpg', 'a/x.png', 'b/x.jpg'])
  })

  it('writes multi-part polygons as shapes sharing a group_id', () => {
    const dataset: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [
        {
          key: 'i.jpg',
          subset: '',
          path: 'i.jpg',
          width: 9,
          height: 9,
          tags: [],
          regions: [
            {
              kind: 'polygon',
              label: 'a',
              attributes: {},
              geometry: {
                points: [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                ],
                parts: [
                  [
                    [3, 3],
                    [4, 3],
                    [4, 4],
                  ],
                ],
              },
            },
          ],
        },
      ],
    }
    const out = JSON.parse(decodeText([...exportLabelme(dataset).files.values()][0]!))
    expect(out.shapes.map((s: { group_id: number }) => s.group_id)).toEqual([0, 0])
  })
})

const polyline = fc
  .array(
    fc.tuple(
      fc.double({ min: 0, max: WIDTH, noNaN: true }),
      fc.double({ min: 0, max: HEIGHT, noNaN: true }),
    ),
    { minLength: 2, maxLength: 6 },
  )
  .map((points): InterchangeRegion => ({
    kind: 'polyline',
    label: 'road',
    attributes: {},
    geometry: { points },
  }))
const mask = fc
  .uint8Array({ min: 0, max: 1, minLength: WIDTH * HEIGHT, maxLength: WIDTH * HEIGHT })
  .filter((bits) => bits.some((b) => b === 1))
  .map((bits): InterchangeRegion => ({
    kind: 'mask',
    label: 'blob',
    attributes: {},
    geometry: rleFromBinary(bits, WIDTH, HEIGHT),
  }))
const grouped = fc.integer({ min: 0, max: 3 })

describe('labelme round trip', () => {
  it('gives back boxes, polylines and masks with attributes and groups', () => {
    const region = fc
      .tuple(fc.oneof(bboxRegion, polyline, mask), fc.option(grouped, { nil: undefined }))
      .map(([r, g]) => (g === undefined ? r : { ...r, group: g }))
    fc.assert(
      fc.property(datasetOf(region), (dataset) => {
        const back = importLabelme(exportLabelme(dataset).files).dataset
        const strip = (r: InterchangeRegion) => ({
          kind: r.kind,
          label: r.label,
          geometry: r.geometry,
          attributes: r.attributes,
          group: r.group ?? null,
        })
        for (const item of dataset.items) {
          const got = back.items.find((b) => b.key === item.key)!
          expectClose(got.regions.map(strip), item.regions.map(strip), 1e-9)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('reports that keypoint visibility cannot be carried', () => {
    fc.assert(
      fc.property(datasetOf(keypointsRegion), (dataset) => {
        const hasKeypoints = dataset.items.some((i) => i.regions.length > 0)
        const { report } = exportLabelme(dataset)
        expect(report.lossiness.some((l) => l.kind === 'keypoints')).toBe(hasKeypoints)
      }),
      { numRuns: 10 },
    )
  })
})
