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
