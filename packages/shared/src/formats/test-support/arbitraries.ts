import fc from 'fast-check'
import type { InterchangeDataset, InterchangeRegion } from '../model.ts'
import { rleFromBinary } from '../../geometry/index.ts'

/** Image size used by the property tests: not square, so x and y mix-ups show. */
export const WIDTH = 64
export const HEIGHT = 48

const coord = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true })
const point = fc.tuple(coord(WIDTH), coord(HEIGHT))
const ring = fc.array(point, { minLength: 3, maxLength: 8 })
const label = fc.constantFrom('cat', 'Cat', 'dog', 'traffic light')
const attributes = fc.dictionary(
  fc.constantFrom('occluded', 'truncated', 'colour'),
  fc.oneof(fc.boolean(), fc.constantFrom('red', 'blue')),
  { maxKeys: 2 },
)

export const bboxRegion = fc
  .record({
    x: coord(WIDTH / 2),
    y: coord(HEIGHT / 2),
    w: coord(WIDTH / 2),
    h: coord(HEIGHT / 2),
    label,
    attributes,
  })
  .map(({ label, attributes, ...geometry }): InterchangeRegion => ({
    kind: 'bbox',
    label,
    attributes,
    geometry,
  }))

export const polygonRegion = fc
  .record({ points: ring, parts: fc.array(ring, { maxLength: 2 }), label, attributes })
  .map(({ label, attributes, points, parts }): InterchangeRegion => ({
    kind: 'polygon',
    label,
    attributes,
    geometry: { points, ...(parts.length ? { parts } : {}) },
  }))

export const maskRegion = fc
  .record({
    bits: fc.uint8Array({ min: 0, max: 1, minLength: WIDTH * HEIGHT, maxLength: WIDTH * HEIGHT }),
    label,
  })
  .map(({ bits, label }): InterchangeRegion => ({
    kind: 'mask',
    label,
    attributes: {},
    geometry: rleFromBinary(bits, WIDTH, HEIGHT),
  }))

export const keypointsRegion = fc
  .record({
    points: fc.array(
      fc.record({
        x: fc.integer({ min: 0, max: WIDTH }),
        y: fc.integer({ min: 0, max: HEIGHT }),
        v: fc.constantFrom(0 as const, 1 as const, 2 as const),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    label,
  })
  .map(({ points, label }): InterchangeRegion => ({
    kind: 'keypoints',
    label,
    attributes: {},
    // COCO writes 0,0,0 for an unlabelled point, so a generated one must be at 0,0 as well.
    geometry: { points: points.map((p) => (p.v === 0 ? { x: 0, y: 0, v: 0 } : p)) },
  }))

/** A dataset of a few items with the given region kinds; paths carry folders and odd names. */
export function datasetOf(
  region: fc.Arbitrary<InterchangeRegion>,
): fc.Arbitrary<InterchangeDataset> {
  return fc
    .array(fc.array(region, { maxLength: 4 }), { minLength: 1, maxLength: 3 })
    .map((perItem) => {
      const items = perItem.map((regions, i) => ({
        key: `img/élan ${i}.jpg`,
        subset: '',
        path: `img/élan ${i}.jpg`,
        width: WIDTH,
        height: HEIGHT,
        regions,
        tags: [],
      }))
      const names = [...new Set(items.flatMap((it) => it.regions.map((r) => r.label)))]
      return { labels: names.map((name) => ({ name })), items }
    })
}
