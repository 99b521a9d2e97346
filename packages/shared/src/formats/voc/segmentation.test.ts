import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decode, encode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { exportDataset } from '../index.ts'
import {
  rasterizePolygon,
  rleArea,
  rleFromBinary,
  rleToBinary,
  type Rle,
} from '../../geometry/index.ts'
import { FormatError, type FileSet, type InterchangeDataset } from '../model.ts'
import { exportVoc, importVoc } from './index.ts'
import { vocColormap } from './segmentation.ts'

const enc = (text: string) => new TextEncoder().encode(text)

/** A 4 x 3 annotation with a cat box over the left half and a dog box over the right. */
const XML = `<annotation><filename>a.jpg</filename><size><width>4</width><height>3</height><depth>3</depth></size>
<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>3</ymax></bndbox></object>
<object><name>dog</name><bndbox><xmin>3</xmin><ymin>1</ymin><xmax>4</xmax><ymax>3</ymax></bndbox></object>
</annotation>`

/** Row-major indices: object 1 on the left, 2 on the right, a void band between, background. */
const ROWS = [
  [1, 255, 2, 2],
  [1, 255, 2, 0],
  [1, 1, 0, 0],
]

/** A palette PNG whose colours are all grey, so only the raw index can tell objects apart. */
function palettePng(rows: number[][]): Uint8Array {
  const grey = Array.from({ length: 256 }, (): [number, number, number] => [90, 90, 90])
  const data = Uint8Array.from(rows.flat())
  return encode({
    width: rows[0]!.length,
    height: rows.length,
    data,
    channels: 1,
    depth: 8,
    palette: grey,
  })
}

/** The column-major mask of pixels equal to `value` in row-major `rows`. */
function maskOf(rows: number[][], value: number): Rle {
  const height = rows.length
  const width = rows[0]!.length
  const bits = new Uint8Array(width * height)
  rows.forEach((row, y) => row.forEach((v, x) => (bits[x * height + y] = v === value ? 1 : 0)))
  return rleFromBinary(bits, width, height)
}

function devkit(extra: Record<string, Uint8Array>): FileSet {
  return new Map([['VOC/Annotations/a.xml', enc(XML)], ...Object.entries(extra)])
}

describe('VOC colour map', () => {
  it('gives the published VOC colours', () => {
    const map = vocColormap()
    expect([map[0], map[1], map[2], map[3], map[15], map[255]]).toEqual([
      [0, 0, 0],
      [128, 0, 0],
      [0, 128, 0],
      [128, 128, 0],
      [192, 128, 128],
      [224, 224, 192],
    ])
    expect(new Set(map.map((c) => c.join())).size).toBe(256)
  })
})

describe('VOC segmentation import', () => {
  it('adds each object its instance mask from the raw palette index, void excluded', () => {
    const { dataset, report } = importVoc(
      devkit({ 'VOC/SegmentationObject/a.png': palettePng(ROWS), 'VOC/JPEGImages/a.jpg': enc('') }),
    )
    expect(report.warnings).toEqual([])
    expect(dataset.items.map((i) => i.path)).toEqual(['a.jpg'])
    const regions = dataset.items[0]!.regions
    expect(regions.map((r) => [r.kind, r.label, r.group])).toEqual([
      ['bbox', 'cat', 1],
      ['mask', 'cat', 1],
      ['bbox', 'dog', 2],
      ['mask', 'dog', 2],
    ])
    expect(regions[1]!.geometry).toEqual(maskOf(ROWS, 1))
    expect(regions[3]!.geometry).toEqual(maskOf(ROWS, 2))
  })

  it('reads an RGB segmentation through the VOC colour map and refuses a colour outside it', () => {
    const map = vocColormap()
    const rgb = (rows: number[][], odd?: [number, number, number]) =>
      encode({
        width: 4,
        height: 3,
        channels: 3,
        depth: 8,
        data: Uint8Array.from(rows.flat().flatMap((v, i) => (odd && i === 5 ? odd : map[v]!))),
      })
    const { dataset } = importVoc(devkit({ 'VOC/SegmentationObject/a.png': rgb(ROWS) }))
    expect(dataset.items[0]!.regions[3]!.geometry).toEqual(maskOf(ROWS, 2))
    const bad = () => importVoc(devkit({ 'VOC/SegmentationObject/a.png': rgb(ROWS, [1, 2, 3]) }))
    expect(bad).toThrow(FormatError)
    expect(bad).toThrow(/pixel 1,1.*1,2,3/)
  })

  it('warns about indices without an object and about a segmentation of another size', () => {
    const extra = importVoc(
      devkit({ 'VOC/SegmentationObject/a.png': palettePng([[3, 1, 1, 1], ...ROWS.slice(1)]) }),
    )
    expect(extra.report.warnings[0]!.message).toMatch(/indices 3 have no <object>/)
    expect(extra.dataset.items[0]!.regions.filter((r) => r.kind === 'mask')).toHaveLength(2)

    const small = importVoc(devkit({ 'VOC/SegmentationObject/a.png': palettePng([[1, 2]]) }))
    expect(small.report.warnings[0]!.message).toMatch(/segmentation is 2x1, the image 4x3/)
    expect(small.dataset.items[0]!.regions.map((r) => r.kind)).toEqual(['bbox', 'bbox'])
  })

  it('reports an object PNG with neither XML nor class PNG, and takes no PNG for a photo', () => {
    const { dataset, report } = importVoc(
      devkit({
        'VOC/SegmentationClassVisualization/a.png': palettePng(ROWS),
        'VOC/SegmentationObject/b.png': palettePng(ROWS),
      }),
    )
    expect(dataset.items.map((i) => i.path)).toEqual(['a.jpg'])
    expect(report.warnings.map((w) => [w.code, w.file])).toEqual([
      ['skipped', 'VOC/SegmentationObject/b.png'],
    ])
  })
})

/** One 6 x 4 item: a grouped box and mask, a polygon, and a lone mask. */
function dataset(): InterchangeDataset {
  const bits = new Uint8Array(24)
  bits.fill(1, 0, 8) // the first two columns
  const lone = new Uint8Array(24)
  lone[23] = 1 // the bottom-right pixel
  return {
    labels: [{ name: 'cat' }, { name: 'dog' }, { name: 'bird' }],
    items: [
      {
        ...{ key: 'x.jpg', subset: '', path: 'x.jpg', width: 6, height: 4, tags: [] },
        regions: [
          {
            kind: 'bbox',
            label: 'cat',
            group: 7,
            attributes: {},
            geometry: { x: 0, y: 0, w: 2, h: 4 },
          },
          {
            kind: 'mask',
            label: 'cat',
            group: 7,
            attributes: {},
            geometry: rleFromBinary(bits, 6, 4),
          },
          {
            kind: 'polygon',
            label: 'dog',
            attributes: {},
            geometry: {
              points: [
                [2, 0],
                [4, 0],
                [4, 2],
                [2, 2],
              ],
            },
          },
          { kind: 'mask', label: 'bird', attributes: {}, geometry: rleFromBinary(lone, 6, 4) },
        ],
      },
    ],
  }
}

describe('VOC segmentation export', () => {
  it('writes a palette PNG indexing each object, which imports back to the same masks', () => {
    const source = dataset()
    const { files, report } = exportVoc(source, { segmentation: 'true' })
    // The polygon comes back as a box and a mask: the report says so.
    expect(report.lossiness).toContainEqual(
      expect.objectContaining({
        kind: 'polygon',
        count: 1,
        reason: expect.stringMatching(/box and a mask/),
      }),
    )
    const png = decode(files.get('SegmentationObject/x.png')!)
    expect(png.palette?.slice(0, 4)).toEqual(vocColormap().slice(0, 4))
    expect(new TextDecoder().decode(files.get('Annotations/x.xml')!)).toContain(
      '<segmented>1</segmented>',
    )

    const back = importVoc(files).dataset.items[0]!.regions
    expect(back.map((r) => [r.kind, r.label])).toEqual([
      ['bbox', 'cat'],
      ['mask', 'cat'],
      ['bbox', 'dog'],
      ['mask', 'dog'],
      ['bbox', 'bird'],
      ['mask', 'bird'],
    ])
    const [, cat, dog, bird] = source.items[0]!.regions
    if (dog?.kind !== 'polygon') throw new Error('the dataset has a polygon third')
    expect(back[1]!.geometry).toEqual(cat!.geometry)
    expect(back[3]!.geometry).toEqual(rasterizePolygon(dog.geometry, 6, 4))
    expect(back[5]!.geometry).toEqual(bird!.geometry)
  })

  it('counts as lost only the groups it cannot keep: a box with its mask is one object', () => {
    const source = dataset()
    const groupLoss = (d: InterchangeDataset) =>
      exportDataset('voc', d, { segmentation: 'true' }).report.lossiness.filter((l) =>
        /instance groups/.test(l.reason),
      )
    expect(groupLoss(source)).toEqual([])
    const [item] = source.items
    const grouped = item!.regions.map((r) => (r.kind === 'polygon' ? { ...r, group: 3 } : r))
    expect(groupLoss({ ...source, items: [{ ...item!, regions: grouped }] })).toEqual([
      expect.objectContaining({ kind: 'polygon', count: 1 }),
    ])
  })

  it('writes segmentation by default only when the dataset holds a mask', () => {
    const source = dataset()
    expect(exportVoc(source).files.has('SegmentationObject/x.png')).toBe(true)
    source.items[0]!.regions = source.items[0]!.regions.filter((r) => r.kind !== 'mask')
    expect(exportVoc(source).files.has('SegmentationObject/x.png')).toBe(false)
  })

  it('leaves out grouped masks without segmentation and says so', () => {
    const { files, report } = exportVoc(dataset(), { segmentation: false })
    expect([...files.keys()].some((f) => f.startsWith('Segmentation'))).toBe(false)
    expect(report.lossiness).toContainEqual(expect.objectContaining({ kind: 'mask', count: 1 }))
    expect(importVoc(files).dataset.items[0]!.regions.map((r) => r.label)).toEqual([
      'cat',
      'dog',
      'bird',
    ])
  })

  it('gives shared pixels to the later object and reports the overlap', () => {
    const source = dataset()
    const all = rleFromBinary(new Uint8Array(24).fill(1), 6, 4)
    source.items[0]!.regions.push({ kind: 'mask', label: 'sky', attributes: {}, geometry: all })
    const { files, report } = exportVoc(source)
    expect(report.lossiness).toContainEqual(
      expect.objectContaining({ reason: expect.stringMatching(/overlap/) }),
    )
    const masks = importVoc(files).dataset.items[0]!.regions.filter((r) => r.kind === 'mask')
    expect(masks.map((m) => m.label)).toEqual(['sky'])
    expect(Array.from(rleToBinary(masks[0]!.geometry as Rle)).every((b) => b === 1)).toBe(true)
  })

  it('refuses a misspelt segmentation option', () => {
    expect(() => exportVoc(dataset(), { segmentation: 'yes' as never })).toThrow(/segmentation/)
  })
})

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const voc1 = path.resolve(repoRoot, '../shared/data/datumaro/tests/assets/voc_dataset/voc_dataset1')

describe('VOC segmentation of datumaro voc_dataset1', () => {
  const files: FileSet = new Map()
  for (const entry of readdirSync(voc1, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(voc1, full).split(path.sep).join('/'), readFileSync(full))
  }

  it('reads its RGB object PNG, all dark red, as a mask of the whole image for the first object', () => {
    const png = decode(files.get('SegmentationObject/2007_000001.png')!)
    const item = importVoc(files).dataset.items.find((i) => i.path === '2007_000001.jpg')!
    const masks = item.regions.filter((r) => r.kind === 'mask')
    expect(masks.map((m) => m.label)).toEqual(['cat'])
    expect(rleArea(masks[0]!.geometry as Rle)).toBe(png.width * png.height)
  })

  it('gives the same regions back through an export with segmentation', () => {
    const { dataset } = importVoc(files)
    const back = importVoc(exportVoc(dataset, { segmentation: true }).files).dataset
    const shapes = (d: InterchangeDataset) =>
      d.items.flatMap((i) => i.regions.map((r) => [r.kind, r.label, r.geometry]))
    expect(shapes(back)).toEqual(shapes(dataset))
    // The export writes parts as objects of their own (VOC export has no <part> yet); the cat's
    // box and mask stay one object.
    const cat = back.items.flatMap((i) => i.regions).filter((r) => r.label === 'cat')
    expect(cat.map((r) => r.group)).toEqual([1, 1])
  })
})
