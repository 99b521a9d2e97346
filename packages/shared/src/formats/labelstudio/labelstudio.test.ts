import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rboxBounds } from '../../geometry/index.ts'
import { decodeText, encodeJson } from '../common/json.ts'
import type { InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import { HEIGHT, WIDTH, bboxRegion, datasetOf, polygonRegion } from '../test-support/arbitraries.ts'
import { expectClose } from '../test-support/close.ts'
import { exportLabelStudio, importLabelStudio, labelStudioImagePath } from './index.ts'

const files = (value: unknown) => new Map([['tasks.json', encodeJson(value)]])
const rect = (
  value: Record<string, unknown>,
  size = { original_width: 1000, original_height: 500 },
) => ({
  type: 'rectanglelabels',
  from_name: 'label',
  to_name: 'image',
  ...size,
  value,
})
const task = (result: unknown[], image = '/data/upload/3/a.jpg') => ({
  data: { image },
  annotations: [{ id: 1, result }],
})

describe('Label Studio import', () => {
  it('rotates boxes in pixels about the top-left corner on a non-square image', () => {
    const { dataset } = importLabelStudio(
      files([
        task([rect({ x: 20, y: 20, width: 30, height: 20, rotation: 90, rectanglelabels: ['b'] })]),
      ]),
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('rbox')
    if (region.kind !== 'rbox') return
    const b = rboxBounds(region.geometry)
    // 300x100 px at (200, 100), turned 90 degrees clockwise: spans x 100..200 and y 100..400.
    expect([b.x, b.y, b.w, b.h].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([100, 100, 100, 300])
  })

  it('imports an unrotated box as a bbox in pixels', () => {
    const { dataset } = importLabelStudio(
      files([
        task(
          [rect({ x: 10, y: 10, width: 20, height: 25, rotation: 0, rectanglelabels: ['t'] })],
          '/data/upload/1/w.jpg',
        ),
      ]),
    )
    expect(dataset.items[0]!.regions[0]).toMatchObject({
      kind: 'bbox',
      geometry: { x: 100, y: 50, w: 200, h: 125 },
    })
    expect(dataset.items[0]).toMatchObject({ path: 'w.jpg', width: 1000, height: 500 })
  })

  it('keeps labels that differ only by case apart', () => {
    const { dataset } = importLabelStudio(
      files([
        task([rect({ x: 1, y: 1, width: 1, height: 1, rectanglelabels: ['Butterfly'] })]),
        task(
          [rect({ x: 1, y: 1, width: 1, height: 1, rectanglelabels: ['butterfly'] })],
          '/data/upload/3/b.jpg',
        ),
      ]),
    )
    expect(dataset.labels.map((l) => l.name)).toEqual(['Butterfly', 'butterfly'])
  })

  it('reads polygons, keypoints, image choices as tags and region choices as attributes', () => {
    const size = { original_width: 200, original_height: 100 }
    const { dataset } = importLabelStudio(
      files([
        task([
          {
            id: 'p',
            type: 'polygonlabels',
            ...size,
            value: {
              points: [
                [0, 0],
                [50, 0],
                [50, 50],
              ],
              polygonlabels: ['roof'],
            },
          },
          {
            id: 'p',
            type: 'choices',
            from_name: 'material',
            ...size,
            value: { choices: ['tile'] },
          },
          {
            id: 'k',
            type: 'keypointlabels',
            ...size,
            value: { x: 10, y: 20, width: 1, keypointlabels: ['nose'] },
          },
          {
            id: 'c',
            type: 'choices',
            from_name: 'weather',
            value: { choices: ['sunny', 'windy'] },
          },
        ]),
      ]),
    )
    const item = dataset.items[0]!
    expect(item.tags).toEqual(['sunny', 'windy'])
    expect(item.regions[0]).toMatchObject({
      kind: 'polygon',
      label: 'roof',
      attributes: { material: ['tile'] },
      geometry: {
        points: [
          [0, 0],
          [100, 0],
          [100, 50],
        ],
      },
    })
    expect(item.regions[1]).toMatchObject({
      kind: 'point',
      label: 'nose',
      geometry: { x: 20, y: 20 },
    })
  })

  it('joins a shape result and a labels result that share an id', () => {
    const size = { original_width: 100, original_height: 100 }
    const { dataset } = importLabelStudio(
      files([
        task([
          { id: 'r1', type: 'rectangle', ...size, value: { x: 1, y: 2, width: 3, height: 4 } },
          { id: 'r1', type: 'labels', ...size, value: { labels: ['car'] } },
        ]),
      ]),
    )
    expect(dataset.items[0]!.regions).toEqual([
      expect.objectContaining({ kind: 'bbox', label: 'car', geometry: { x: 1, y: 2, w: 3, h: 4 } }),
    ])
  })

  it('keeps the first of several labels on one region and says so', () => {
    const { dataset, report } = importLabelStudio(
      files([task([rect({ x: 1, y: 1, width: 1, height: 1, rectanglelabels: ['a', 'b'] })])]),
    )
    expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['a'])
    expect(report.warnings.find((w) => w.code === 'lossy')?.count).toBe(1)
  })

  it('imports predictions as model regions with scores', () => {
    const { dataset } = importLabelStudio(
      files([
        {
          data: { image: 'a.jpg' },
          annotations: [],
          predictions: [
            {
              score: 0.4,
              result: [rect({ x: 0, y: 0, width: 1, height: 1, rectanglelabels: ['x'] })],
            },
          ],
        },
      ]),
    )
    expect(dataset.items[0]!.regions[0]).toMatchObject({ source: 'model', score: 0.4 })
  })

  it('asks sizeOf for results without original size and reports when it is unknown', () => {
    const noSize = files([
      task([rect({ x: 10, y: 10, width: 10, height: 10, rectanglelabels: ['a'] }, {} as never)]),
    ])
    const known = importLabelStudio(noSize, {
      sizeOf: (p) => (p === 'a.jpg' ? { width: 10, height: 20 } : undefined),
    })
    expect(known.dataset.items[0]!.regions[0]!.geometry).toEqual({ x: 1, y: 2, w: 1, h: 2 })
    const unknown = importLabelStudio(noSize)
    expect(unknown.dataset.items[0]!.regions).toEqual([])
    expect(unknown.report.warnings.map((w) => w.code)).toContain('missing-size')
  })

  it('names the task whose box is malformed', () => {
    const bad = files([
      task([rect({ x: 'ten', y: 1, width: 1, height: 1, rectanglelabels: ['a'] })]),
    ])
    expect(() => importLabelStudio(bad)).toThrow(FormatError)
    expect(() => importLabelStudio(bad)).toThrow(/\[0\]\.annotations\[0\]\.result\[0\]\.value\.x/)
  })
  it('leaves out regions and image choices whose label is empty or blank, naming each region', () => {
    const box = { x: 1, y: 1, width: 1, height: 1 }
    const { dataset, report } = importLabelStudio(
      files([
        task([
          rect({ ...box, rectanglelabels: [''] }),
          rect({ ...box, rectanglelabels: ['car'] }),
          rect({ ...box, rectanglelabels: [' \t'] }),
          { type: 'choices', from_name: 'c', to_name: 'image', value: { choices: ['', 'day'] } },
        ]),
      ]),
    )
    const item = dataset.items[0]!
    expect(item.regions.map((r) => r.label)).toEqual(['car'])
    expect(item.tags).toEqual(['day'])
    expect(dataset.labels).toEqual([{ name: 'car' }])
    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped.map((w) => [w.file, w.path])).toEqual([
      ['tasks.json', '[0].annotations[0].result[0]'],
      ['tasks.json', '[0].annotations[0].result[2]'],
    ])
  })
})

describe('labelStudioImagePath', () => {
  it('strips upload prefixes, local-files queries and URL hosts, decoding and normalising', () => {
    expect(labelStudioImagePath('/data/upload/12/photo%20one.jpg')).toBe('photo one.jpg')
    expect(labelStudioImagePath('/data/upload/12/3f2a1b2c-deadbeef-x.jpg')).toBe('deadbeef-x.jpg')
    expect(labelStudioImagePath('/data/local-files/?d=3f2a1b2c-x.jpg')).toBe('3f2a1b2c-x.jpg')
    expect(labelStudioImagePath('/data/local-files/?d=dataset/train/a.jpg')).toBe(
      'dataset/train/a.jpg',
    )
    expect(labelStudioImagePath('https://host.example/open-images/x.jpg?token=1')).toBe(
      'open-images/x.jpg',
    )
    expect(labelStudioImagePath('/data/upload/1/cafe\u0301.jpg')).toBe('caf\u00e9.jpg')
  })
})

// Inside the image at any angle (half-diagonal under 10 px): one past the edge goes out clipped.
const rboxRegion = fc
  .record({
    cx: fc.double({ min: 10, max: WIDTH - 10, noNaN: true }),
    cy: fc.double({ min: 10, max: HEIGHT - 10, noNaN: true }),
    w: fc.double({ min: 1, max: 14, noNaN: true }),
    h: fc.double({ min: 1, max: 14, noNaN: true }),
    angle: fc.double({ min: 0.5, max: 359.5, noNaN: true }),
  })
  .map((geometry): InterchangeRegion => ({ kind: 'rbox', label: 'r', attributes: {}, geometry }))
const pointRegion = fc
  .record({
    x: fc.double({ min: 0, max: WIDTH, noNaN: true }),
    y: fc.double({ min: 0, max: HEIGHT, noNaN: true }),
  })
  .map((geometry): InterchangeRegion => ({ kind: 'point', label: 'p', attributes: {}, geometry }))
const singlePolygon = polygonRegion.map((r): InterchangeRegion =>
  r.kind === 'polygon' ? { ...r, geometry: { points: r.geometry.points } } : r,
)

describe('Label Studio round trip', () => {
  it('gives back boxes, rotated boxes, polygons and points within 1e-6 px', () => {
    const region = fc
      .oneof(bboxRegion, rboxRegion, singlePolygon, pointRegion)
      .map((r) => ({ ...r, attributes: {} }))
    fc.assert(
      fc.property(datasetOf(region), (dataset) => {
        const back = importLabelStudio(exportLabelStudio(dataset).files).dataset
        expect(back.items.map((i) => i.key)).toEqual(dataset.items.map((i) => i.key))
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
      { numRuns: 40 },
    )
  })

  it('writes tags as choices and string attributes as per-region results', () => {
    const dataset = {
      labels: [{ name: 'a' }],
      items: [
        {
          key: 'a.jpg',
          subset: '',
          path: 'a.jpg',
          width: 10,
          height: 10,
          tags: ['night'],
          regions: [
            {
              kind: 'bbox' as const,
              label: 'a',
              attributes: { colour: ['red'] },
              geometry: { x: 1, y: 1, w: 2, h: 2 },
            },
          ],
        },
      ],
    }
    const back = importLabelStudio(exportLabelStudio(dataset).files).dataset
    expect(back.items[0]!.tags).toEqual(['night'])
    expect(back.items[0]!.regions[0]!.attributes).toEqual({ colour: ['red'] })
    const out = JSON.parse(decodeText(exportLabelStudio(dataset).files.get('tasks.json')!))
    expect(out[0].data.image).toBe('a.jpg')
  })
})
