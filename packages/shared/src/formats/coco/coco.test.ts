import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeText, encodeJson } from '../common/json.ts'
import type { FileSet, InterchangeDataset, InterchangeRegion } from '../model.ts'
import { FormatError } from '../model.ts'
import {
  bboxRegion,
  datasetOf,
  keypointsRegion,
  maskRegion,
  polygonRegion,
} from '../test-support/arbitraries.ts'
import { exportCoco, importCoco } from './index.ts'

const fileSet = (value: unknown, name = 'annotations.json'): FileSet =>
  new Map([[name, encodeJson(value)]])
const readOut = (files: FileSet) => JSON.parse(decodeText([...files.values()][0]!))

const image = { id: 7, file_name: 'JPEGImages/a.jpg', width: 100, height: 50 }

describe('COCO import', () => {
  it('accepts category id 0 and gaps, and exports categories 1..N', () => {
    const { dataset } = importCoco(
      fileSet({
        images: [image],
        categories: [
          { id: 0, name: 'bg' },
          { id: 5, name: 'car' },
          { id: 90, name: 'toothbrush' },
        ],
        annotations: [
          { id: 1, image_id: 7, category_id: 90, bbox: [1, 2, 3, 4] },
          { id: 2, image_id: 7, category_id: 0, bbox: [1, 2, 3, 4] },
        ],
      }),
    )
    expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['toothbrush', 'bg'])
    const out = readOut(exportCoco(dataset).files)
    expect(out.categories.map((c: { id: number }) => c.id)).toEqual([1, 2, 3])
    expect(out.annotations.map((a: { category_id: number }) => a.category_id)).toEqual([3, 1])
  })

  it('leaves out annotations of a category whose name is empty or blank, naming each one', () => {
    const { dataset, report } = importCoco(
      fileSet({
        images: [image],
        categories: [
          { id: 1, name: '' },
          { id: 2, name: 'car' },
          { id: 3, name: '  ' },
        ],
        annotations: [
          { id: 1, image_id: 7, category_id: 1, bbox: [1, 2, 3, 4] },
          { id: 2, image_id: 7, category_id: 2, bbox: [1, 2, 3, 4] },
          { id: 3, image_id: 7, category_id: 3, bbox: [1, 2, 3, 4] },
        ],
      }),
    )
    expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['car'])
    expect(dataset.labels.map((l) => l.name)).toEqual(['car'])
    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped.map((w) => [w.file, w.path])).toEqual([
      ['annotations.json', 'annotations[0]'],
      ['annotations.json', 'annotations[2]'],
    ])
  })

  it('keeps supercategories through a round trip', () => {
    const { dataset } = importCoco(
      fileSet({
        images: [image],
        annotations: [],
        categories: [{ id: 3, name: 'car', supercategory: 'vehicle' }],
      }),
    )
    expect(readOut(exportCoco(dataset).files).categories).toEqual([
      { id: 1, name: 'car', supercategory: 'vehicle' },
    ])
  })

  it('keeps a folder prefix in file_name as the item path', () => {
    const { dataset } = importCoco(fileSet({ images: [image], annotations: [], categories: [] }))
    expect(dataset.items[0]).toMatchObject({
      path: 'JPEGImages/a.jpg',
      width: 100,
      height: 50,
      regions: [],
    })
  })

  it('reads a multi-part polygon as one polygon with parts', () => {
    const { dataset } = importCoco(
      fileSet({
        images: [image],
        categories: [{ id: 1, name: 'a' }],
        annotations: [
          {
            id: 1,
            image_id: 7,
            category_id: 1,
            bbox: [0, 0, 9, 9],
            segmentation: [
              [0, 0, 4, 0, 4, 4],
              [5, 5, 9, 5, 9, 9],
            ],
          },
        ],
      }),
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('polygon')
    expect(region.geometry).toEqual({
      points: [
        [0, 0],
        [4, 0],
        [4, 4],
      ],
      parts: [
        [
          [5, 5],
          [9, 5],
          [9, 9],
        ],
      ],
    })
  })

  it('decodes compressed and uncompressed RLE to the same mask, keeping crowd', () => {
    const counts = [5, 2, 2, 2, 5]
    const make = (c: unknown) =>
      importCoco(
        fileSet({
          images: [{ id: 1, file_name: 'm.png', width: 4, height: 4 }],
          categories: [{ id: 1, name: 'a' }],
          annotations: [
            {
              id: 1,
              image_id: 1,
              category_id: 1,
              iscrowd: 1,
              segmentation: { counts: c, size: [4, 4] },
            },
          ],
        }),
      ).dataset.items[0]!.regions[0]!
    const a = make(counts)
    const b = make('52203')
    expect(a).toMatchObject({
      kind: 'mask',
      crowd: true,
      geometry: { width: 4, height: 4, counts },
    })
    expect(b.geometry).toEqual(a.geometry)
  })

  it('refuses RLE counts that do not fill the mask, naming the annotation', () => {
    const bad = fileSet({
      images: [{ id: 1, file_name: 'm.png', width: 4, height: 4 }],
      categories: [{ id: 1, name: 'a' }],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, segmentation: { counts: [3, 2], size: [4, 4] } },
      ],
    })
    expect(() => importCoco(bad)).toThrow(/annotations\[0\]\.segmentation/)
  })

  it('names the annotation whose image id is unknown', () => {
    const bad = fileSet({
      images: [image],
      categories: [{ id: 1, name: 'a' }],
      annotations: [{ id: 1, image_id: 8, category_id: 1, bbox: [0, 0, 1, 1] }],
    })
    try {
      importCoco(bad)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(FormatError)
      expect((error as FormatError).where).toBe('annotations[0].image_id')
    }
  })

  it('rejects a bbox with negative width', () => {
    const bad = fileSet({
      images: [image],
      categories: [{ id: 1, name: 'a' }],
      annotations: [{ id: 1, image_id: 7, category_id: 1, bbox: [0, 0, -1, 1] }],
    })
    expect(() => importCoco(bad)).toThrow(/annotations\[0\]\.bbox/)
  })

  it('keeps the non-standard attributes object as region attributes', () => {
    const { dataset } = importCoco(
      fileSet({
        images: [image],
        categories: [{ id: 1, name: 'a' }],
        annotations: [
          {
            id: 1,
            image_id: 7,
            category_id: 1,
            bbox: [0, 0, 1, 1],
            attributes: { occluded: true, colour: 'red' },
          },
        ],
      }),
    )
    expect(dataset.items[0]!.regions[0]!.attributes).toEqual({ occluded: true, colour: 'red' })
    expect(readOut(exportCoco(dataset).files).annotations[0].attributes).toEqual({
      occluded: true,
      colour: 'red',
    })
  })
})

describe('COCO subsets', () => {
  it('writes one file per subset and reads the subset back from the file name', () => {
    const item = (subset: string, path: string) => ({
      key: `${subset}:${path}`,
      subset,
      path,
      width: 10,
      height: 10,
      regions: [],
      tags: [],
    })
    const dataset = { labels: [], items: [item('train', 'a.jpg'), item('val', 'a.jpg')] }
    const { files } = exportCoco(dataset)
    expect([...files.keys()].sort()).toEqual(['instances_train.json', 'instances_val.json'])
    const back = importCoco(files).dataset
    expect(back.items.map((i) => i.key).sort()).toEqual(dataset.items.map((i) => i.key).sort())
    const ids = [...files.values()].flatMap((f) =>
      JSON.parse(decodeText(f)).images.map((i: { id: number }) => i.id),
    )
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('keeps instances of two files apart when both use one annotation id on one image', () => {
    const file = (x: number) =>
      encodeJson({
        images: [{ id: 1, file_name: 'p.jpg', width: 50, height: 50 }],
        categories: [{ id: 1, name: 'person', keypoints: ['a'] }],
        annotations: [
          {
            id: 1,
            image_id: 1,
            category_id: 1,
            segmentation: [[x, x, x + 5, x, x + 5, x + 5]],
            keypoints: [x, x, 2],
          },
        ],
      })
    const merged = new Map([
      ['part1.json', file(1)],
      ['part2.json', file(20)],
    ])
    const { dataset } = importCoco(merged, {})
    // Both files name the same image in different subsets, so make them one subset.
    const item = { ...dataset.items[0]!, regions: dataset.items.flatMap((i) => i.regions) }
    const out = JSON.parse(
      decodeText([...exportCoco({ ...dataset, items: [item] }).files.values()][0]!),
    )
    expect(out.annotations).toHaveLength(2)
    expect(out.annotations.map((a: { segmentation: number[][] }) => a.segmentation[0]![0])).toEqual(
      [1, 20],
    )
    expect(out.annotations.map((a: { keypoints: number[] }) => a.keypoints)).toEqual([
      [1, 1, 2],
      [20, 20, 2],
    ])
  })

  it("names the subsets of files that share a name by their folders (Roboflow's layout)", () => {
    const split = (name: string) =>
      encodeJson({
        images: [{ id: 1, file_name: `${name}.jpg`, width: 50, height: 50 }],
        categories: [{ id: 1, name: 'cell' }],
        annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 3, 4] }],
      })
    const { dataset } = importCoco(
      new Map([
        ['train/_annotations.coco.json', split('a')],
        ['valid/_annotations.coco.json', split('b')],
        ['test/annotations/labels.json', split('c')],
        ['extra/annotations/labels.json', split('d')],
        ['part1.json', split('e')],
      ]),
    )
    expect(dataset.items.map((i) => [i.subset, i.path])).toEqual([
      ['extra', 'd.jpg'],
      ['part1', 'e.jpg'],
      ['test', 'c.jpg'],
      ['train', 'a.jpg'],
      ['valid', 'b.jpg'],
    ])
  })

  it('joins two image entries of one file and size, with a warning', () => {
    const { dataset, report } = importCoco(
      fileSet({
        images: [image, { ...image, id: 8 }],
        categories: [{ id: 1, name: 'a' }],
        annotations: [
          { id: 1, image_id: 7, category_id: 1, bbox: [1, 2, 3, 4] },
          { id: 2, image_id: 8, category_id: 1, bbox: [5, 6, 7, 8] },
        ],
      }),
    )
    expect(dataset.items).toHaveLength(1)
    expect(dataset.items[0]!.regions).toHaveLength(2)
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'other', message: expect.stringMatching(/joined/) }),
    ])
  })

  it('refuses two image entries of one file with different sizes, naming the second and both sizes', () => {
    const bad = fileSet({
      images: [image, { ...image, id: 8, width: 200 }],
      categories: [{ id: 1, name: 'a' }],
      annotations: [],
    })
    expect(() => importCoco(bad)).toThrow(FormatError)
    expect(() => importCoco(bad)).toThrow(
      'annotations.json at images[1]: image JPEGImages/a.jpg is 200x50 here but 100x50 at images[0]',
    )
  })

  it('refuses an image that the files of two tasks give different sizes', () => {
    const file = (width: number) =>
      encodeJson({
        images: [{ ...image, width }],
        categories: [{ id: 1, name: 'a' }],
        annotations: [{ id: 1, image_id: 7, category_id: 1, bbox: [1, 2, 3, 4] }],
      })
    const files = new Map([
      ['instances_val.json', file(100)],
      ['person_keypoints_val.json', file(120)],
    ])
    expect(() => importCoco(files)).toThrow(
      'person_keypoints_val.json at images[0]: image JPEGImages/a.jpg is 120x50 here but 100x50 at images[0] of instances_val.json',
    )
  })

  it('takes an image size from its mask when the image entry has none', () => {
    const { dataset } = importCoco(
      fileSet({
        images: [{ id: 1, file_name: 'm.png' }],
        categories: [{ id: 1, name: 'a' }],
        annotations: [
          { id: 1, image_id: 1, category_id: 1, segmentation: { counts: [2, 2, 2], size: [3, 2] } },
        ],
      }),
    )
    expect(dataset.items[0]).toMatchObject({ width: 2, height: 3 })
  })
})

describe('COCO export', () => {
  const item = (regions: InterchangeRegion[]): InterchangeDataset => ({
    labels: [{ name: 'a' }],
    items: [{ key: 'a.jpg', subset: '', path: 'a.jpg', width: 20, height: 10, regions, tags: [] }],
  })

  it('clips boxes to the image and counts the clips', () => {
    const { files, report } = exportCoco(
      item([{ kind: 'bbox', label: 'a', attributes: {}, geometry: { x: 15, y: -2, w: 10, h: 5 } }]),
    )
    expect(readOut(files).annotations[0].bbox).toEqual([15, 0, 5, 3])
    expect(report.warnings.find((w) => w.code === 'clipped')?.count).toBe(1)
  })

  it('computes the area of a polygon by the shoelace formula and its bbox from its bounds', () => {
    const { files } = exportCoco(
      item([
        {
          kind: 'polygon',
          label: 'a',
          attributes: {},
          geometry: {
            points: [
              [1, 1],
              [5, 1],
              [5, 4],
            ],
          },
        },
      ]),
    )
    const ann = readOut(files).annotations[0]
    expect(ann.area).toBe(6)
    expect(ann.bbox).toEqual([1, 1, 4, 3])
  })

  it('skips crowd regions when asked and reports each skip', () => {
    const crowd: InterchangeRegion = {
      kind: 'mask',
      label: 'a',
      attributes: {},
      crowd: true,
      geometry: { width: 20, height: 10, counts: [5, 10, 185] },
    }
    const skipped = exportCoco(item([crowd]), { crowd: 'skip' })
    expect(readOut(skipped.files).annotations).toEqual([])
    expect(skipped.report.warnings.find((w) => w.code === 'skipped')?.count).toBe(1)
    const kept = readOut(exportCoco(item([crowd]), { crowd: 'rle' }).files).annotations[0]
    expect(kept).toMatchObject({
      iscrowd: 1,
      area: 10,
      segmentation: { counts: [5, 10, 185], size: [10, 20] },
    })
  })

  it('reports kinds COCO cannot carry instead of dropping them silently', () => {
    const { report } = exportCoco(
      item([
        {
          kind: 'polyline',
          label: 'a',
          attributes: {},
          geometry: {
            points: [
              [0, 0],
              [1, 1],
            ],
          },
        },
      ]),
    )
    expect(report.lossiness).toContainEqual(expect.objectContaining({ kind: 'polyline', count: 1 }))
  })
})

/** What a region should look like after a COCO round trip: COCO keeps no `extra`, `group` or ids. */
function comparable(region: InterchangeRegion) {
  return {
    kind: region.kind,
    label: region.label,
    attributes: region.attributes,
    geometry: region.geometry,
  }
}

describe('COCO round trip', () => {
  for (const [name, arb] of [
    ['boxes', bboxRegion],
    ['polygons with parts', polygonRegion],
    ['masks', maskRegion],
    ['keypoints', keypointsRegion],
  ] as const) {
    it(`gives back the same ${name}`, () => {
      fc.assert(
        fc.property(datasetOf(arb), (dataset) => {
          const back = importCoco(exportCoco(dataset, { rle: 'compressed' }).files).dataset
          expect(back.items.map((i) => i.path)).toEqual(dataset.items.map((i) => i.path))
          for (const [i, item] of dataset.items.entries()) {
            const got = back.items[i]!.regions.map(comparable)
            expect(got).toEqual(item.regions.map(comparable))
          }
        }),
        { numRuns: 30 },
      )
    })
  }
})
