import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { encode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { rleArea, rleFromBinary, type Rle } from '../../geometry/index.ts'
import type { FileSet, InterchangeDataset, InterchangeRegion } from '../model.ts'
import { importVoc } from './index.ts'

const enc = (text: string) => new TextEncoder().encode(text)

/** An 8-bit palette PNG of row-major indices. */
function png(rows: number[][]): Uint8Array {
  const palette = Array.from({ length: 256 }, (_, i): [number, number, number] => [i, i, i])
  return encode({
    width: rows[0]!.length,
    height: rows.length,
    data: Uint8Array.from(rows.flat()),
    channels: 1,
    depth: 8,
    palette,
  })
}

/** The column-major mask of pixels equal to `value` in row-major `rows`. */
function maskOf(rows: number[][], value: number | ((v: number) => boolean)): Rle {
  const height = rows.length
  const width = rows[0]!.length
  const test = typeof value === 'number' ? (v: number) => v === value : value
  const bits = new Uint8Array(width * height)
  rows.forEach((row, y) => row.forEach((v, x) => (bits[x * height + y] = test(v) ? 1 : 0)))
  return rleFromBinary(bits, width, height)
}

const masks = (dataset: InterchangeDataset) =>
  dataset.items.flatMap((i) => i.regions).filter((r) => r.kind === 'mask')
const labelAndMask = (r: InterchangeRegion) => [r.label, r.geometry]

/** Classes by row: 15 (person) left, 5 (bottle) right, a void band, background bottom right. */
const CLASSES = [
  [15, 255, 5, 5],
  [15, 255, 5, 0],
  [15, 15, 0, 0],
]

const XML = `<annotation><size><width>4</width><height>3</height></size>
<object><name>person</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>3</ymax></bndbox></object>
</annotation>`

describe('VOC class segmentation without object PNGs', () => {
  it('adds one mask per class after the boxes, named by the VOC classes, void left out', () => {
    const { dataset, report } = importVoc(
      new Map([
        ['VOC/Annotations/a.xml', enc(XML)],
        ['VOC/SegmentationClass/a.png', png(CLASSES)],
      ]),
    )
    const item = dataset.items[0]!
    expect(item.regions.map((r) => r.kind)).toEqual(['bbox', 'mask', 'mask'])
    expect(masks(dataset).map(labelAndMask)).toEqual([
      ['bottle', maskOf(CLASSES, 5)],
      ['person', maskOf(CLASSES, 15)],
    ])
    expect(dataset.labels.map((l) => l.name)).toEqual(['person', 'bottle'])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'other', message: expect.stringMatching(/not an instance/) }),
    )
  })

  it('makes an item of a class PNG without XML, sized by the PNG', () => {
    const { dataset } = importVoc(
      new Map([
        ['VOC/JPEGImages/b.png', new Uint8Array()],
        ['VOC/SegmentationClass/b.png', png(CLASSES)],
      ]),
    )
    expect(dataset.items).toHaveLength(1)
    expect(dataset.items[0]).toMatchObject({ path: 'b.png', width: 4, height: 3 })
    expect(masks(dataset).map((r) => r.label)).toEqual(['bottle', 'person'])
  })

  it('names class indices by the order labelmap.txt or class_names.txt declares', () => {
    const rows = [[1, 2, 0]]
    const read = (file: string, text: string) =>
      importVoc(
        new Map([
          [file, enc(text)],
          ['SegmentationClass/c.png', png(rows)],
        ]),
      ).dataset
    const labelmap =
      '# label:color_rgb:parts:actions\nbackground:0,0,0::\nroad:1,1,1::\ntree:2,2,2::\n'
    expect(masks(read('labelmap.txt', labelmap)).map(labelAndMask)).toEqual([
      ['road', maskOf(rows, 1)],
      ['tree', maskOf(rows, 2)],
    ])
    const classNames = '_background_\ncar\ntrack\n'
    expect(masks(read('class_names.txt', classNames)).map((r) => r.label)).toEqual(['car', 'track'])
  })

  it("reads an RGB class PNG in labelmap.txt's colours, void still void, and refuses others", () => {
    const labelmap =
      '# label:color_rgb:parts:actions\nbackground:0,0,0::\nroad:128,64,128::\ntree:0,128,0::\n'
    const colour = { 0: [0, 0, 0], 1: [128, 64, 128], 2: [0, 128, 0], 255: [224, 224, 192] }
    const rows = [[1, 255, 2, 0]]
    const rgb = (values: number[][], odd?: number[]) =>
      encode({
        width: 4,
        height: 1,
        channels: 3,
        depth: 8,
        data: Uint8Array.from(
          values
            .flat()
            .flatMap((v, i) => (odd && i === 3 ? odd : colour[v as keyof typeof colour])),
        ),
      })
    const read = (png: Uint8Array) =>
      importVoc(
        new Map([
          ['labelmap.txt', enc(labelmap)],
          ['SegmentationClass/c.png', png],
        ]),
      )
    expect(masks(read(rgb(rows)).dataset).map(labelAndMask)).toEqual([
      ['road', maskOf(rows, 1)],
      ['tree', maskOf(rows, 2)],
    ])
    // (128, 0, 0) is VOC's index 1, but this dataset has its own colours and does not use it.
    expect(() => read(rgb(rows, [128, 0, 0]))).toThrow(/pixel 3,0.*128,0,0 is not in the dataset/)
  })

  it('skips and reports class indices past the declared classes', () => {
    const { dataset, report } = importVoc(
      new Map([
        ['class_names.txt', enc('_background_\ncar\n')],
        ['SegmentationClass/c.png', png([[1, 7, 7]])],
      ]),
    )
    expect(masks(dataset).map((r) => r.label)).toEqual(['car'])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'skipped', message: expect.stringMatching(/indices 7 /) }),
    )
  })
})

describe('VOC object PNGs without XML, labelled by the class PNG', () => {
  /** Instances: 1 and 2 are people, 3 a bottle straddling into person pixels, 4 only on void. */
  const OBJECTS = [
    [1, 4, 3, 3],
    [2, 4, 3, 0],
    [2, 3, 0, 0],
  ]
  const files = (): FileSet =>
    new Map([
      ['VOC/SegmentationObject/a.png', png(OBJECTS)],
      ['VOC/SegmentationClass/a.png', png(CLASSES)],
    ])

  it('gives each instance its own mask and the class under most of its pixels', () => {
    const { dataset } = importVoc(files())
    expect(masks(dataset).map(labelAndMask)).toEqual([
      ['person', maskOf(OBJECTS, 1)],
      ['person', maskOf(OBJECTS, 2)],
      ['bottle', maskOf(OBJECTS, 3)],
    ])
  })

  it('reports instances with no class under them and instances straddling classes', () => {
    const { report } = importVoc(files())
    const file = 'VOC/SegmentationObject/a.png'
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'skipped', file, count: 1 }),
    )
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'other', file, message: expect.stringMatching(/straddl/) }),
    )
  })

  it('reads neither PNG when their sizes differ, and says so', () => {
    const set = files()
    set.set('VOC/SegmentationClass/a.png', png([[15, 15]]))
    const { dataset, report } = importVoc(set)
    expect(masks(dataset)).toEqual([])
    expect(report.warnings[0]!.message).toMatch(/segmentation is 2x1, the image 4x3/)
  })
})

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const examples = path.resolve(repoRoot, '../shared/data/labelme/examples')

function readTree(dir: string, skip?: RegExp): FileSet {
  const files: FileSet = new Map()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const relative = path
      .relative(dir, path.join(entry.parentPath, entry.name))
      .split(path.sep)
      .join('/')
    if (!skip?.test(relative)) files.set(relative, readFileSync(path.join(dir, relative)))
  }
  return files
}

/** Mask area per label, summed over each item's masks, by item path. */
function areaByLabel(dataset: InterchangeDataset): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (const item of dataset.items) {
    const areas: Record<string, number> = (out[item.path] = {})
    for (const region of item.regions) {
      if (region.kind !== 'mask') continue
      areas[region.label] = (areas[region.label] ?? 0) + rleArea(region.geometry)
    }
  }
  return out
}

describe("labelme's data_dataset_voc", () => {
  const instance = path.join(examples, 'instance_segmentation/data_dataset_voc')
  const classNames = readFileSync(path.join(instance, 'class_names.txt'), 'utf8').split('\n')

  it('reads instance segmentation as instances whose union per class is the class mask', () => {
    const instances = importVoc(readTree(instance))
    const classes = importVoc(readTree(instance, /^SegmentationObject\//))
    expect(instances.dataset.items.map((i) => i.path)).toEqual(
      readdirSync(path.join(instance, 'JPEGImages')).sort(),
    )
    expect(masks(instances.dataset).length).toBeGreaterThan(masks(classes.dataset).length)
    expect(areaByLabel(instances.dataset)).toEqual(areaByLabel(classes.dataset))
    for (const label of instances.dataset.labels) expect(classNames).toContain(label.name)
    expect(instances.dataset.labels.map((l) => l.name)).not.toContain('_background_')
  })

  it("takes labelme2voc's visualisation overlays for neither photos nor items", () => {
    const files = readTree(instance)
    const plain = importVoc(files)
    const overlays: string[] = []
    for (const [name, bytes] of [...files]) {
      const match = /^JPEGImages\/(.+)$/.exec(name)
      if (!match) continue
      for (const folder of [
        'SegmentationClassVisualization',
        'SegmentationObjectVisualization',
        'AnnotationsVisualization',
      ]) {
        overlays.push(`${folder}/${match[1]}`)
        files.set(`${folder}/${match[1]}`, bytes)
      }
    }
    const withOverlays = importVoc(files)
    expect(overlays.length).toBeGreaterThan(0)
    expect(withOverlays.dataset).toEqual(plain.dataset)
    for (const overlay of overlays) expect(withOverlays.notImages).toContain(overlay)
    expect(withOverlays.notImages).not.toContain(expect.stringMatching(/^JPEGImages\//))
  })

  it('reads the SegmentationClassPNG folder of the video example by its own class names', () => {
    const { dataset } = importVoc(
      readTree(path.join(examples, 'video_annotation/data_dataset_voc')),
    )
    expect(dataset.items.length).toBe(5)
    expect(dataset.labels.map((l) => l.name).sort()).toEqual(['car', 'track'])
    for (const item of dataset.items)
      expect(item.regions.map((r) => r.kind)).toEqual(['mask', 'mask'])
  })
})
