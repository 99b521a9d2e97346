import { describe, expect, it } from 'vitest'
import type { InterchangeDataset, InterchangeRegion } from './model.ts'
import { fitRegionToImage } from './fit.ts'
import { exportDataset, FORMAT_NAMES } from './index.ts'

const box = (x: number, y: number, w: number, h: number, extra: Partial<InterchangeRegion> = {}) =>
  ({
    kind: 'bbox',
    label: 'car',
    geometry: { x, y, w, h },
    attributes: {},
    ...extra,
  }) as InterchangeRegion

const dataset = (...regions: InterchangeRegion[]): InterchangeDataset => ({
  labels: [{ name: 'car' }],
  items: [{ key: 'a.jpg', subset: '', path: 'a.jpg', width: 200, height: 100, regions, tags: [] }],
})

describe('rules every export keeps', () => {
  it.each(FORMAT_NAMES.filter((f) => f !== 'concord'))(
    '%s clips a box past the edge, leaves out one wholly outside, and counts both',
    (format) => {
      const { report } = exportDataset(format, dataset(box(150, 10, 80, 20), box(500, 500, 10, 10)))
      const codes = report.warnings.map((w) => `${w.code}:${w.count ?? 1}`)
      expect(codes).toContain('clipped:1')
      expect(codes).toContain('skipped:1')
    },
  )

  const shape = (kind: string, geometry: unknown) =>
    ({ kind, label: 'car', geometry, attributes: {} }) as InterchangeRegion

  it('clips polygons, polylines, points and keypoints past the edge in COCO, labelme, CVAT and Label Studio', () => {
    const polygon = shape('polygon', {
      points: [
        [190, 10],
        [210, 10],
        [210, 30],
        [190, 30],
      ],
    })
    const outside = shape('polygon', {
      points: [
        [300, 10],
        [310, 10],
        [310, 20],
      ],
    })
    const polyline = shape('polyline', {
      points: [
        [-5, 50],
        [100, 50],
      ],
    })
    const point = shape('point', { x: 250, y: 20 })
    const keypoints = shape('keypoints', {
      points: [
        { x: 10, y: 10, v: 2 },
        { x: 205, y: 10, v: 2 },
      ],
    })
    for (const format of ['coco', 'labelme', 'cvat', 'labelstudio'] as const) {
      const { report, files } = exportDataset(
        format,
        dataset(polygon, outside, polyline, point, keypoints),
      )
      const messages = report.warnings.map((w) => `${w.code}:${w.message}:${w.count ?? 1}`)
      expect(messages, format).toContain('clipped:polygons clipped to the image:1')
      expect(messages, format).toContain('skipped:polygons wholly outside the image left out:1')
      if (format !== 'coco') {
        expect(messages, format).toContain('clipped:polyline vertices clipped to the image:1')
        expect(messages, format).toContain('skipped:points wholly outside the image left out:1')
      }
      // Every coordinate written lies inside the 200 x 100 image.
      const text = new TextDecoder().decode([...files.values()][0])
      expect(text, format).not.toMatch(/\b(210|-5)\b/)
    }
    // Label Studio writes percent of the image: every number a value holds is in [0, 100].
    const ls = exportDataset('labelstudio', dataset(polygon, polyline, keypoints))
    const numbers: number[] = []
    const walk = (v: unknown): void => {
      if (typeof v === 'number') numbers.push(v)
      else if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    const tasks = JSON.parse(new TextDecoder().decode([...ls.files.values()][0]))
    for (const task of tasks)
      for (const annotation of task.annotations)
        for (const result of annotation.result) {
          const { x, y, width, height, points } = result.value
          walk([x, y, width, height, points].filter((v) => v !== undefined))
        }
    expect(numbers.length).toBeGreaterThan(0)
    expect(numbers.every((n) => n >= 0 && n <= 100)).toBe(true)

    const coco = JSON.parse(
      new TextDecoder().decode([...exportDataset('coco', dataset(keypoints)).files.values()][0]),
    )
    expect(coco.annotations[0].keypoints).toEqual([10, 10, 2, 0, 0, 0])
    expect(coco.annotations[0].num_keypoints).toBe(1)
  })

  it('keeps a box past the edge as it is in the lossless Concord format', () => {
    const { report } = exportDataset('concord', dataset(box(150, 10, 80, 20)))
    expect(report.warnings.filter((w) => w.code === 'clipped')).toEqual([])
  })

  it.each(['yolo', 'voc', 'cvat', 'labelme', 'labelstudio'] as const)(
    '%s reports the crowd flag it cannot carry',
    (format) => {
      const { report } = exportDataset(format, dataset(box(10, 10, 20, 20, { crowd: true })))
      expect(report.lossiness.map((l) => l.reason).join()).toMatch(/crowd/)
    },
  )

  it('reports instance groups where the format has none', () => {
    const { report } = exportDataset('yolo', dataset(box(10, 10, 20, 20, { group: 3 })))
    expect(report.lossiness.map((l) => l.reason).join()).toMatch(/groups/)
    const coco = exportDataset('coco', dataset(box(10, 10, 20, 20, { group: 3 })))
    expect(coco.report.lossiness).toEqual([])
  })
})

describe('fitting an imported region to its image', () => {
  it('clips a box past the edge and leaves out one wholly outside', () => {
    expect(fitRegionToImage(box(490, 330, 20, 20), 500, 338)).toEqual({
      region: box(490, 330, 10, 8),
      changed: true,
    })
    expect(fitRegionToImage(box(1e308, 2, 5, 4), 500, 338)).toEqual({ region: null, changed: true })
  })

  it('keeps a vertex drawn a fraction of a pixel past the edge, and clamps one far out', () => {
    const polygon = (points: [number, number][]) =>
      ({ kind: 'polygon', label: 'car', geometry: { points }, attributes: {} }) as InterchangeRegion
    const edge = polygon([
      [10, 10],
      [20, 375.38],
      [30, 10],
    ])
    expect(fitRegionToImage(edge, 500, 375)).toEqual({ region: edge, changed: false })
    const far = fitRegionToImage(
      polygon([
        [10, 10],
        [20, 9000],
        [30, 10],
      ]),
      500,
      375,
    )
    expect(far.changed).toBe(true)
    expect(far.region?.geometry).toEqual({
      points: [
        [10, 10],
        [20, 375],
        [30, 10],
      ],
    })
  })
})
