import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeText, encodeJson } from '../common/json.ts'
import type { InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import { bboxRegion, datasetOf, maskRegion } from '../test-support/arbitraries.ts'
import { exportCocoResults, importCocoResults } from './index.ts'

const images = [{ id: 42, path: 'val/a.jpg', width: 64, height: 48 }]
const categories = [{ id: 3, name: 'car' }]
const files = (value: unknown) => new Map([['results.json', encodeJson(value)]])

describe('COCO results', () => {
  it('imports detections as model regions with their scores', () => {
    const { dataset } = importCocoResults(
      files([{ image_id: 42, category_id: 3, bbox: [1, 2, 3, 4], score: 0.75 }]),
      { images, categories },
    )
    expect(dataset.items[0]!.regions).toEqual([
      expect.objectContaining({
        kind: 'bbox',
        label: 'car',
        source: 'model',
        score: 0.75,
        geometry: { x: 1, y: 2, w: 3, h: 4 },
      }),
    ])
  })

  it('names the entry whose image id is unknown', () => {
    const bad = files([
      { image_id: 42, category_id: 3, bbox: [0, 0, 1, 1], score: 1 },
      { image_id: 7, category_id: 3, bbox: [0, 0, 1, 1], score: 1 },
    ])
    expect(() => importCocoResults(bad, { images, categories })).toThrow(FormatError)
    expect(() => importCocoResults(bad, { images, categories })).toThrow(/\[1\]\.image_id/)
  })

  it('names the entry whose category id is unknown', () => {
    const bad = files([{ image_id: 42, category_id: 4, bbox: [0, 0, 1, 1], score: 1 }])
    expect(() => importCocoResults(bad, { images, categories })).toThrow(/\[0\]\.category_id/)
  })

  it('says where ids come from when there is nothing to number, as in a new project', () => {
    const one = files([{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], score: 1 }])
    expect(() => importCocoResults(one, { images: [], categories })).toThrow(
      /no image with id 1 \(there are no images to number\); .*COCO instances file/,
    )
    expect(() =>
      importCocoResults(one, { images: [{ ...images[0]!, id: 1 }], categories: [] }),
    ).toThrow(/no category with id 1 \(there are no categories to number\)/)
  })

  it('leaves out entries whose category has a blank name, naming each one', () => {
    const { dataset, report } = importCocoResults(
      files([
        { image_id: 42, category_id: 0, bbox: [0, 0, 1, 1], score: 1 },
        { image_id: 42, category_id: 3, bbox: [0, 0, 1, 1], score: 1 },
      ]),
      { images, categories: [...categories, { id: 0, name: ' ' }] },
    )
    expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['car'])
    expect(dataset.labels).toEqual([{ name: 'car' }])
    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped.map((w) => [w.file, w.path])).toEqual([['results.json', '[0]']])
  })

  it('reads only .json files as results, and refuses a set without one', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0])
    const withImage = files([{ image_id: 42, category_id: 3, bbox: [1, 2, 3, 4], score: 1 }])
    withImage.set('val/a.jpg', jpeg)
    const { dataset } = importCocoResults(withImage, { images, categories })
    expect(dataset.items[0]!.regions).toHaveLength(1)
    expect(() => importCocoResults(new Map([['val/a.jpg', jpeg]]), { images, categories })).toThrow(
      /no COCO results \.json file/,
    )
  })

  it('exports the ids it is given and no empty segmentation for boxes', () => {
    const { dataset } = importCocoResults(
      files([{ image_id: 42, category_id: 3, bbox: [1, 2, 3, 4], score: 0.5 }]),
      { images, categories },
    )
    const out = JSON.parse(
      decodeText(exportCocoResults(dataset, { images, categories }).files.get('results.json')!),
    )
    expect(out).toEqual([{ image_id: 42, category_id: 3, bbox: [1, 2, 3, 4], score: 0.5 }])
  })

  it('gives back the same boxes and masks with scores', () => {
    const scored = fc
      .oneof(bboxRegion, maskRegion)
      .chain((r) =>
        fc
          .double({ min: 0, max: 1, noNaN: true })
          .map((score): InterchangeRegion => ({ ...r, attributes: {}, score, source: 'model' })),
      )
    fc.assert(
      fc.property(datasetOf(scored), (dataset) => {
        const imgs = dataset.items.map((item, i) => ({
          id: i + 10,
          path: item.path,
          width: item.width,
          height: item.height,
        }))
        const cats = dataset.labels.map((l, i) => ({ id: i, name: l.name }))
        const out = exportCocoResults(dataset, {
          images: imgs,
          categories: cats,
          rle: 'compressed',
        })
        const back = importCocoResults(out.files, { images: imgs, categories: cats }).dataset
        for (const [i, item] of dataset.items.entries()) {
          const strip = (r: InterchangeRegion) => ({
            kind: r.kind,
            label: r.label,
            geometry: r.geometry,
            score: r.score,
          })
          expect(back.items[i]!.regions.map(strip)).toEqual(item.regions.map(strip))
        }
      }),
      { numRuns: 25 },
    )
  })
})
