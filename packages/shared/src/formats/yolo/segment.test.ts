import { describe, expect, it } from 'vitest'
import { rasterizePolygon, rleIou, ringArea, type Point } from '../../geometry/index.ts'
import type { InterchangeDataset, InterchangeRegion } from '../model.ts'
import { exportYolo, importYolo } from './index.ts'

const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const IMAGE = new Uint8Array([0xff, 0xd8])
const W = 200
const H = 100

function oneImage(regions: InterchangeRegion[]): InterchangeDataset {
  return {
    labels: [{ name: 'a' }],
    items: [
      {
        key: 'train:x.jpg',
        subset: 'train',
        path: 'x.jpg',
        width: W,
        height: H,
        regions,
        tags: [],
      },
    ],
  }
}

const polygon = (points: Point[], holes?: Point[][]): InterchangeRegion => ({
  kind: 'polygon',
  label: 'a',
  attributes: {},
  geometry: { points, ...(holes ? { holes } : {}) },
})

/** The label lines as numbers: class first, then the normalised values. */
function lines(dataset: InterchangeDataset): number[][] {
  const text = dec(exportYolo(dataset, { task: 'segment' }).files.get('labels/train/x.txt'))
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').map(Number))
}

/** Exports for segment and reads the polygons back in pixels. */
function roundTrip(dataset: InterchangeDataset): Point[][] {
  const { files, images } = exportYolo(dataset, { task: 'segment' })
  for (const path of images.values()) files.set(path, IMAGE)
  const back = importYolo(files, { sizeOf: () => ({ width: W, height: H }) }).dataset
  return back.items[0]!.regions.map((r) => (r.geometry as { points: Point[] }).points)
}

describe('YOLO segment export of polygons crossing the image edge', () => {
  it('clips a triangle over the corner to the part inside, not by moving its vertices', () => {
    const dataset = oneImage([
      polygon([
        [150, 50],
        [250, 50],
        [150, 150],
      ]),
    ])
    const { report } = exportYolo(dataset, { task: 'segment' })
    const [ring] = roundTrip(dataset)
    // The hypotenuse x + y = 300 passes through the image corner (200, 100), so the whole square
    // [150, 200] x [50, 100] is inside the triangle: area 2500. Clamping the two vertices outside
    // onto the edges would give the triangle (150,50) (200,50) (150,100), area 1250.
    expect(ringArea(ring!)).toBeCloseTo(2500, 6)
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'clipped', count: 1 }))
  })

  it('keeps the area a polygon has inside the image where clamping would add to it', () => {
    // A sliver leaving the image at a slant: clamping its far vertices onto the edge drags both
    // slanted edges and doubles the area inside (500 px² against 250); a clip keeps it.
    const sliver = polygon([
      [100, 40],
      [300, 10],
      [300, 20],
    ])
    const mask = rasterizePolygon(sliver.geometry as { points: Point[] }, W, H)
    const [ring] = roundTrip(oneImage([sliver]))
    const back = rasterizePolygon({ points: ring! }, W, H)
    expect(rleIou(back, mask)).toBeGreaterThan(0.97)
  })

  it('leaves out a polygon wholly outside the image and counts it', () => {
    const { files, report } = exportYolo(
      oneImage([
        polygon([
          [300, 10],
          [350, 10],
          [320, 60],
        ]),
      ]),
      { task: 'segment' },
    )
    expect(dec(files.get('labels/train/x.txt'))).toBe('')
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'skipped', count: 1 }))
  })

  it('never writes a value outside [0, 1]', () => {
    const values = lines(
      oneImage([
        polygon([
          [-0.0000001, -5],
          [199.9999999, 3],
          [200.0000004, 100.0000004],
        ]),
      ]),
    )
    for (const v of values.flatMap((line) => line.slice(1))) {
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThanOrEqual(1)
    }
  })
})

describe('YOLO segment export of masks', () => {
  const maskOf = (
    points: Point[],
    parts: Point[][] = [],
    holes: Point[][] = [],
  ): InterchangeRegion => ({
    kind: 'mask',
    label: 'a',
    attributes: {},
    geometry: rasterizePolygon({ points, parts, holes }, W, H),
  })

  it('traces a mask into a polygon covering the same pixels', () => {
    const outline: Point[] = [
      [20, 10],
      [120, 30],
      [90, 90],
      [30, 70],
    ]
    const region = maskOf(outline)
    const [ring, ...rest] = roundTrip(oneImage([region]))
    expect(rest).toEqual([])
    const back = rasterizePolygon({ points: ring! }, W, H)
    expect(rleIou(back, region.geometry as Parameters<typeof rleIou>[0])).toBeGreaterThanOrEqual(
      0.95,
    )
  })

  it('writes one line per separate piece and reports holes as lossy', () => {
    const square = (x: number, y: number, s: number): Point[] => [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
    ]
    const dataset = oneImage([
      maskOf(square(10, 10, 40), [square(100, 10, 30)], [square(20, 20, 10)]),
    ])
    const { report } = exportYolo(dataset, { task: 'segment' })
    const values = lines(dataset)
    expect(values).toHaveLength(2)
    expect(report.lossiness).toContainEqual(expect.objectContaining({ kind: 'mask', count: 1 }))
  })
})
