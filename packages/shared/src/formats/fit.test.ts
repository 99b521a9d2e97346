import { describe, expect, it } from 'vitest'
import type { InterchangeDataset, InterchangeRegion } from './model.ts'
import { fitRegionToImage } from './fit.ts'
import { exportDataset, FORMAT_NAMES } from './index.ts'
import { circleToPolygon } from './labelme/circle.ts'

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
        expect(messages, format).toContain('clipped:polylines clipped to the image:1')
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

  const region = (kind: string, geometry: unknown, extra?: Record<string, unknown>) =>
    ({
      kind,
      label: 'car',
      geometry,
      attributes: {},
      ...(extra ? { extra } : {}),
    }) as InterchangeRegion
  const sized = (width: number, height: number, ...regions: InterchangeRegion[]) => ({
    labels: [{ name: 'car' }],
    items: [{ key: 'a.jpg', subset: '', path: 'a.jpg', width, height, regions, tags: [] }],
  })
  const exported = (format: Parameters<typeof exportDataset>[0], data: InterchangeDataset) => {
    const { files, report } = exportDataset(format, data)
    return { text: new TextDecoder().decode([...files.values()][0]), report }
  }
  /** Every number under the given keys of a parsed JSON value, at any depth. */
  const numbersUnder = (value: unknown, keys: string[], found: number[] = []): number[] => {
    if (Array.isArray(value)) value.forEach((v) => numbersUnder(v, keys, found))
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (keys.includes(k))
          JSON.stringify(v).replace(/-?[\d.]+(e-?\d+)?/g, (n) => {
            found.push(Number(n))
            return n
          })
        else numbersUnder(v, keys, found)
      }
    return found
  }

  it('keeps COCO bbox and area on the clipped outline, not on the box the file declared', () => {
    // Imported from COCO with its bbox kept (half a pixel wider, as raster boxes are); a vertex
    // sits 0.38 px below a 375 px image.
    const edge = region(
      'polygon',
      {
        points: [
          [10, 10],
          [20, 375.38],
          [30, 10],
        ],
      },
      {
        cocoBbox: [9.5, 10, 21, 365.38],
      },
    )
    // Edited since: most of it now lies past the right edge.
    const moved = region(
      'polygon',
      {
        points: [
          [480, 10],
          [560, 10],
          [560, 50],
          [480, 50],
        ],
      },
      {
        cocoBbox: [480, 10, 80, 40],
      },
    )
    const coco = JSON.parse(exported('coco', sized(500, 375, edge, moved)).text)
    const [a, b] = coco.annotations
    const xs = a.segmentation[0].filter((_: number, i: number) => i % 2 === 0)
    const ys = a.segmentation[0].filter((_: number, i: number) => i % 2 === 1)
    expect(Math.max(...ys)).toBe(375)
    expect(a.bbox).toEqual([Math.min(...xs), 10, Math.max(...xs) - Math.min(...xs), 365])
    expect(b.segmentation).toEqual([[480, 10, 500, 10, 500, 50, 480, 50]])
    expect(b.bbox).toEqual([480, 10, 20, 40])
    expect(b.area).toBe(800)
  })

  it('clips a labelme circle to the image, written as the polygon left', () => {
    const circle = region(
      'polygon',
      { points: circleToPolygon({ cx: 5, cy: 5, r: 6 }) },
      {
        labelmeCircle: { cx: 5, cy: 5, r: 6 },
      },
    )
    const { text, report } = exported('labelme', sized(10, 10, circle))
    const shape = JSON.parse(text).shapes[0]
    expect(shape.shape_type).toBe('polygon')
    expect(shape.points.flat().every((v: number) => v >= 0 && v <= 10)).toBe(true)
    expect(report.warnings.map((w) => w.message)).toContain('polygons clipped to the image')
  })

  it('cuts a polyline where it leaves the image, splitting it when it comes back, and counts both', () => {
    const line = region('polyline', {
      points: [
        [20, 50],
        [20, -50],
        [60, -50],
        [60, 50],
        [80, 50],
      ],
    })
    const { text, report } = exported('cvat', sized(200, 100, line))
    expect(text).toContain('points="20,50;20,0"')
    expect(text).toContain('points="60,0;60,50;80,50"')
    const messages = report.warnings.map((w) => `${w.code}:${w.message}:${w.count}`)
    expect(messages).toContain('clipped:polylines clipped to the image:1')
    expect(messages).toContain(
      'other:clipped polylines split where they leave the image and come back:1',
    )
  })

  it('clips rotated boxes past the edge where the format cannot carry them, and says so where it can', () => {
    // 120 x 20 at 10 degrees about the centre of a 100 x 100 image: both ends stick out.
    const long = region('rbox', { cx: 50, cy: 50, w: 120, h: 20, angle: 10 })
    const away = region('rbox', { cx: 500, cy: 500, w: 20, h: 10, angle: 30 })
    for (const format of ['coco', 'labelme', 'labelstudio'] as const) {
      const { text, report } = exported(format, sized(100, 100, long, away))
      const values = numbersUnder(JSON.parse(text), ['segmentation', 'bbox', 'points', 'x', 'y'])
      expect(values.length, format).toBeGreaterThan(0)
      expect(
        values.every((v) => v >= 0 && v <= 100),
        format,
      ).toBe(true)
      const messages = report.warnings.map((w) => `${w.code}:${w.message}:${w.count}`)
      expect(messages, format).toContain('clipped:rotated boxes clipped to the image:1')
      expect(messages, format).toContain(
        'skipped:rotated boxes wholly outside the image left out:1',
      )
    }
    const cvat = exported('cvat', sized(100, 100, long))
    expect(cvat.report.warnings.map((w) => `${w.code}:${w.message}`)).toEqual([
      'other:rotated boxes reaching past the image edge, written as they are',
    ])
    const yolo = exportDataset('yolo', sized(100, 100, long), { task: 'obb' })
    const line = new TextDecoder().decode(yolo.files.get('labels/train/a.txt'))
    expect(
      line
        .trim()
        .split(' ')
        .slice(1)
        .map(Number)
        .every((v) => v >= 0 && v <= 1),
    ).toBe(true)
    expect(yolo.report.warnings.map((w) => w.code)).toContain('clipped')
  })

  it('writes a rotated box inside the image as a rotated rectangle in Label Studio', () => {
    const inside = region('rbox', { cx: 50, cy: 50, w: 40, h: 20, angle: 10 })
    const { text, report } = exported('labelstudio', sized(100, 100, inside))
    expect(JSON.parse(text)[0].annotations[0].result[0].type).toBe('rectanglelabels')
    expect(report.warnings).toEqual([])
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

describe('names a format cannot carry', () => {
  it('counts the subsets and the unused labels of formats without them, and only those', () => {
    const dataset: InterchangeDataset = {
      labels: [{ name: 'cat' }, { name: 'dog' }, { name: 'sunny' }],
      items: [
        {
          key: 'a',
          subset: 'train',
          path: 'a.jpg',
          width: 10,
          height: 10,
          tags: ['sunny'],
          regions: [
            { kind: 'bbox', label: 'cat', attributes: {}, geometry: { x: 1, y: 1, w: 2, h: 2 } },
          ],
        },
        { key: 'b', subset: '', path: 'b.jpg', width: 10, height: 10, tags: [], regions: [] },
      ],
    }
    const labelme = exportDataset('labelme', dataset).report.warnings
    expect(labelme).toContainEqual(
      expect.objectContaining({ count: 1, message: expect.stringMatching(/no subsets/) }),
    )
    expect(labelme).toContainEqual(
      expect.objectContaining({
        count: 1,
        message: expect.stringMatching(/no label list.*\(dog\)/),
      }),
    )
    const voc = exportDataset('voc', dataset).report.warnings
    expect(voc.filter((w) => /no subsets/.test(w.message))).toEqual([])
    expect(voc.filter((w) => /no label list/.test(w.message))).toHaveLength(1)
    const coco = exportDataset('coco', dataset).report.warnings
    expect(coco.filter((w) => /no subsets|no label list/.test(w.message))).toEqual([])
  })
})
