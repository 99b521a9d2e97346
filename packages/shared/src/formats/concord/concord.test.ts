import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeText } from '../common/json.ts'
import type { InterchangeDataset, InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import {
  bboxRegion,
  keypointsRegion,
  maskRegion,
  polygonRegion,
} from '../test-support/arbitraries.ts'
import { exportConcord, importConcord } from './index.ts'

// JSON has no -0; attribute values are what a JSON document can hold.
const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown)
// zod drops `__proto__` keys when it parses a record, which is the safe thing for untrusted input.
const key = fc.string().filter((k) => k !== '__proto__')
const provenance = fc.record(
  {
    score: fc.option(
      fc.double({ min: 0, max: 1, noNaN: true }).filter((v) => !Object.is(v, -0)),
      { nil: null },
    ),
    source: fc.constantFrom('human' as const, 'model' as const),
    group: fc.option(fc.oneof(fc.integer(), fc.string()), { nil: null }),
    crowd: fc.boolean(),
    sourceId: fc.oneof(fc.integer(), fc.string()),
    extra: fc.dictionary(key, json),
  },
  { requiredKeys: [] },
)
const anyRegion = fc
  .tuple(
    fc.oneof(bboxRegion, polygonRegion, maskRegion, keypointsRegion),
    provenance,
    fc.dictionary(key, json),
  )
  .map(([r, p, attributes]): InterchangeRegion => ({ ...r, ...p, attributes }) as InterchangeRegion)
const dataset: fc.Arbitrary<InterchangeDataset> = fc
  .uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 })
  .chain((paths) =>
    fc.record({
      labels: fc.constant([
        {
          name: 'cat',
          color: '#ff0000',
          keypoints: ['a', 'b'],
          skeleton: [[1, 2] as [number, number]],
          supercategory: 'animal',
        },
      ]),
      items: fc.tuple(
        ...paths.map((path) =>
          fc.record({
            key: fc.constant(`train:${path}`),
            subset: fc.constant('train'),
            path: fc.constant(path),
            width: fc.constant(64),
            height: fc.constant(48),
            regions: fc.array(anyRegion, { maxLength: 3 }),
            tags: fc.array(fc.string(), { maxLength: 2 }),
            attributes: fc.dictionary(key, json),
          }),
        ),
      ),
    }),
  )

const jsonl = (...lines: string[]) => new Map([['d.jsonl', encodeText(lines.join('\n'))]])
const header = JSON.stringify({ format: 'concord', version: 1, labels: [{ name: 'a' }] })

describe('Concord JSON Lines', () => {
  it('round-trips every field of every region exactly', () => {
    fc.assert(
      fc.property(dataset, (d) => {
        expect(importConcord(exportConcord(d).files).dataset).toEqual(d)
      }),
      { numRuns: 40 },
    )
  })

  it('names the line and field of a bad region', () => {
    const good = JSON.stringify({ key: 'a', subset: '', path: 'a', regions: [], tags: [] })
    const bad = JSON.stringify({
      key: 'b',
      subset: '',
      path: 'b',
      tags: [],
      regions: [
        { kind: 'bbox', label: 'a', attributes: {}, geometry: { x: 0, y: 0, w: -1, h: 1 } },
      ],
    })
    try {
      importConcord(jsonl(header, good, bad))
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(FormatError)
      expect((error as FormatError).where).toBe('line 3 regions[0].geometry.w')
    }
  })

  it('refuses a mask whose RLE counts do not fill it, naming line and field', () => {
    const item = (counts: number[]) =>
      JSON.stringify({
        key: 'm',
        subset: '',
        path: 'm',
        width: 4,
        height: 3,
        tags: [],
        regions: [
          { kind: 'bbox', label: 'a', attributes: {}, geometry: { x: 0, y: 0, w: 1, h: 1 } },
          { kind: 'mask', label: 'a', attributes: {}, geometry: { width: 4, height: 3, counts } },
        ],
      })
    expect(importConcord(jsonl(header, item([5, 2, 5]))).dataset.items).toHaveLength(1)
    for (const counts of [
      [5, 2],
      [5, 2, 5, 100],
    ]) {
      try {
        importConcord(jsonl(header, item(counts)))
        expect.unreachable()
      } catch (error) {
        expect(error).toBeInstanceOf(FormatError)
        expect((error as FormatError).where).toBe('line 2 regions[1].geometry.counts')
        expect((error as FormatError).message).toMatch(/RLE counts do not add up to 4x3 = 12/)
      }
    }
  })

  it('names the line of broken JSON', () => {
    expect(() => importConcord(jsonl(header, '{"key":'))).toThrow(/line 2/)
  })

  it('refuses a file without a header and a key used twice', () => {
    const item = JSON.stringify({ key: 'a', subset: '', path: 'a', regions: [], tags: [] })
    expect(() => importConcord(jsonl(item))).toThrow(/line 1/)
    expect(() => importConcord(jsonl(header, item, item))).toThrow(
      /line 3.*already used at d\.jsonl line 2/,
    )
  })
})
