import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rboxCorners } from '../../geometry/index.ts'
import type { InterchangeDataset, InterchangeItem } from '../model.ts'
import { exportYolo, importYolo, type YoloTask } from './index.ts'

/** Property tests run a hundred cases each; a loaded 2-core CI box needs more than 5 s. */
const PROPERTY_OPTIONS = { timeout: 30_000 }

const IMAGE = new Uint8Array([0xff, 0xd8])

describe('exportYolo then importYolo', PROPERTY_OPTIONS, () => {
  const W = 640
  const H = 360
  const roundTrip = (source: InterchangeDataset, task: YoloTask) => {
    const { files, images } = exportYolo(source, { task })
    for (const path of images.values()) files.set(path, IMAGE)
    return importYolo(files, { sizeOf: () => ({ width: W, height: H }) }).dataset
  }
  const sized = (regions: InterchangeItem['regions']): InterchangeDataset => ({
    labels: [{ name: 'a' }, { name: 'b' }],
    items: [
      {
        key: 'train:p.jpg',
        subset: 'train',
        path: 'p.jpg',
        width: W,
        height: H,
        regions,
        tags: [],
      },
    ],
  })
  const label = fc.constantFrom('a', 'b')

  it('gives the same boxes back within 6 decimals (detect)', () => {
    const bbox = fc
      .record({
        x: fc.double({ min: 0, max: W - 1, noNaN: true }),
        y: fc.double({ min: 0, max: H - 1, noNaN: true }),
        label,
      })
      .chain(({ x, y, label }) =>
        fc.record({
          label: fc.constant(label),
          geometry: fc.record({
            x: fc.constant(x),
            y: fc.constant(y),
            w: fc.double({ min: 0.5, max: W - x, noNaN: true }),
            h: fc.double({ min: 0.5, max: H - y, noNaN: true }),
          }),
        }),
      )
    fc.assert(
      fc.property(fc.array(bbox, { maxLength: 5 }), (boxes) => {
        const regions = boxes.map((b) => ({ kind: 'bbox' as const, attributes: {}, ...b }))
        const back = roundTrip(sized(regions), 'detect').items[0]!.regions
        expect(back).toHaveLength(regions.length)
        back.forEach((region, i) => {
          const want = regions[i]!.geometry
          const got = region.geometry as typeof want
          expect(region.label).toBe(regions[i]!.label)
          expect(Math.abs(got.x - want.x) / W).toBeLessThanOrEqual(1.5e-6)
          expect(Math.abs(got.y - want.y) / H).toBeLessThanOrEqual(1.5e-6)
          expect(Math.abs(got.x + got.w - want.x - want.w) / W).toBeLessThanOrEqual(1.5e-6)
          expect(Math.abs(got.y + got.h - want.y - want.h) / H).toBeLessThanOrEqual(1.5e-6)
        })
      }),
    )
  })

  it('gives the same polygons back within 6 decimals (segment)', () => {
    const point = fc.tuple(
      fc.double({ min: 0, max: W, noNaN: true }),
      fc.double({ min: 0, max: H, noNaN: true }),
    )
    const polygon = fc.record({ label, points: fc.array(point, { minLength: 5, maxLength: 12 }) })
    fc.assert(
      fc.property(fc.array(polygon, { maxLength: 4 }), (polygons) => {
        const regions = polygons.map(({ label, points }) => ({
          kind: 'polygon' as const,
          label,
          attributes: {},
          geometry: { points: points as [number, number][] },
        }))
        const back = roundTrip(sized(regions), 'segment').items[0]!.regions
        expect(back.map((r) => r.kind)).toEqual(regions.map(() => 'polygon'))
        back.forEach((region, i) => {
          const got = (region.geometry as { points: [number, number][] }).points
          regions[i]!.geometry.points.forEach(([x, y], j) => {
            expect(Math.abs(got[j]![0] - x) / W).toBeLessThanOrEqual(5e-7 + 1e-12)
            expect(Math.abs(got[j]![1] - y) / H).toBeLessThanOrEqual(5e-7 + 1e-12)
          })
        })
      }),
    )
  })

  it('gives the same rotated boxes back within 6 decimals (obb)', () => {
    const rbox = fc.record({
      label,
      geometry: fc.record({
        cx: fc.double({ min: 150, max: W - 150, noNaN: true }),
        cy: fc.double({ min: 150, max: H - 150, noNaN: true }),
        w: fc.double({ min: 10, max: 200, noNaN: true }),
        h: fc.double({ min: 10, max: 200, noNaN: true }),
        angle: fc.double({ min: -179, max: 180, noNaN: true }),
      }),
    })
    fc.assert(
      fc.property(fc.array(rbox, { maxLength: 4 }), (boxes) => {
        const regions = boxes.map((b) => ({ kind: 'rbox' as const, attributes: {}, ...b }))
        const back = roundTrip(sized(regions), 'obb').items[0]!.regions
        back.forEach((region, i) => {
          expect(region.kind).toBe('rbox')
          const got = rboxCorners(region.geometry as (typeof regions)[number]['geometry'])
          rboxCorners(regions[i]!.geometry).forEach(([x, y], j) => {
            expect(Math.abs(got[j]![0] - x) / W).toBeLessThanOrEqual(2e-6)
            expect(Math.abs(got[j]![1] - y) / H).toBeLessThanOrEqual(2e-6)
          })
        })
      }),
    )
  })

  it('gives the same keypoints and visibility back within 6 decimals (pose)', () => {
    const keypoint = fc.record({
      x: fc.double({ min: 0, max: W, noNaN: true }),
      y: fc.double({ min: 0, max: H, noNaN: true }),
      v: fc.constantFrom(0 as const, 1 as const, 2 as const),
    })
    // Every region has a labelled first point: one with none is not written, by design.
    const labelled = keypoint.map((p) => ({ ...p, v: p.v === 0 ? (2 as const) : p.v }))
    const skeleton = fc.tuple(labelled, fc.array(keypoint, { maxLength: 16 }))
    const region = fc.record({ label, points: skeleton.map(([first, rest]) => [first, ...rest]) })
    fc.assert(
      fc.property(fc.array(region, { maxLength: 4 }), (drawn) => {
        const regions = drawn.map(({ label, points }) => ({
          kind: 'keypoints' as const,
          label,
          attributes: {},
          geometry: { points },
        }))
        const k = Math.max(0, ...regions.map((r) => r.geometry.points.length))
        const back = roundTrip(sized(regions), 'pose').items[0]!.regions
        expect(back).toHaveLength(regions.length)
        back.forEach((region, i) => {
          expect(region.kind).toBe('keypoints')
          expect(region.label).toBe(regions[i]!.label)
          const got = (region.geometry as (typeof regions)[number]['geometry']).points
          expect(got).toHaveLength(k)
          got.forEach((p, j) => {
            const want = regions[i]!.geometry.points[j] ?? { x: 0, y: 0, v: 0 }
            expect(p.v).toBe(want.v)
            if (want.v === 0) return expect([p.x, p.y]).toEqual([0, 0])
            expect(Math.abs(p.x - want.x) / W).toBeLessThanOrEqual(5e-7 + 1e-12)
            expect(Math.abs(p.y - want.y) / H).toBeLessThanOrEqual(5e-7 + 1e-12)
          })
        })
      }),
    )
  })
})
