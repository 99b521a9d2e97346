import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { rboxCorners } from '../../geometry/index.ts'
import {
  FormatError,
  type FileSet,
  type InterchangeDataset,
  type InterchangeItem,
} from '../model.ts'
import { unzipToFileSet, zipFileSet } from '../zip.ts'
import { exportYolo, importYolo } from './index.ts'

const enc = (text: string) => new TextEncoder().encode(text)
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const IMAGE = new Uint8Array([0xff, 0xd8])

function fileSet(entries: Record<string, string | Uint8Array>): FileSet {
  return new Map(Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? enc(v) : v]))
}

const sizeIs = (width: number, height: number) => () => ({ width, height })

function item(
  path: string,
  regions: InterchangeItem['regions'],
  subset = 'train',
): InterchangeItem {
  const key = subset ? `${subset}:${path}` : path
  return { key, subset, path, width: 200, height: 100, regions, tags: [] }
}

/** Asserts two boxes agree to 1e-9 px: float noise, never a rounding step. */
function expectSameBox(got: unknown, want: Record<string, number>): void {
  for (const [key, value] of Object.entries(want)) {
    expect((got as Record<string, number>)[key]).toBeCloseTo(value, 9)
  }
}

function importError(files: FileSet): FormatError {
  try {
    importYolo(files, { sizeOf: sizeIs(100, 100) })
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  throw new Error('expected a FormatError')
}

describe('importYolo layouts', () => {
  it('reads an Ultralytics layout with a names map, keeping images without labels', () => {
    const { dataset, report } = importYolo(
      fileSet({
        'data.yaml': 'path: .\ntrain: images/train\nval: images/val\nnames:\n  0: cat\n  1: dog\n',
        'images/train/a.jpg': IMAGE,
        'images/train/b.jpg': IMAGE,
        'images/val/a.jpg': IMAGE,
        'labels/train/a.txt': '1 0.5 0.5 0.2 0.4\n',
        'labels/train/b.txt': '',
      }),
      { sizeOf: sizeIs(200, 100) },
    )
    expect(dataset.labels.map((l) => l.name)).toEqual(['cat', 'dog'])
    expect(dataset.items.map((i) => i.key)).toEqual(['train:a.jpg', 'train:b.jpg', 'val:a.jpg'])
    const a = dataset.items[0]!
    expect(a.regions).toHaveLength(1)
    expect(a.regions[0]).toMatchObject({ kind: 'bbox', label: 'dog' })
    expectSameBox(a.regions[0]!.geometry, { x: 80, y: 30, w: 40, h: 40 })
    expect(dataset.items[1]!.regions).toEqual([])
    expect(dataset.items[2]!.regions).toEqual([])
    expect(report.warnings).toEqual([])
  })

  it('reads a darknet layout whose lists carry the data/ prefix of the machine it came from', () => {
    const { dataset } = importYolo(
      fileSet({
        'obj.data': 'classes = 2\ntrain = data/train.txt\nnames = data/obj.names\n',
        'obj.names': 'a\nb\n',
        'train.txt': 'data/obj_train_data/1.jpg\n',
        'obj_train_data/1.jpg': IMAGE,
        'obj_train_data/1.txt': '1 0.5 0.5 1 1\n',
      }),
      { sizeOf: sizeIs(10, 10) },
    )
    expect(dataset.items).toHaveLength(1)
    expect(dataset.items[0]).toMatchObject({ subset: 'train', path: 'obj_train_data/1.jpg' })
    expect(dataset.items[0]!.regions[0]).toMatchObject({
      label: 'b',
      geometry: { x: 0, y: 0, w: 10, h: 10 },
    })
  })

  it('reads a Roboflow layout whose yaml climbs out of its folder, inside a wrapper folder', () => {
    const { dataset, report } = importYolo(
      fileSet({
        'export/data.yaml': 'train: ../train/images\nval: ../valid/images\nnc: 1\nnames: [ball]\n',
        'export/train/images/a.jpg': IMAGE,
        'export/train/labels/a.txt': '0 0.5 0.5 0.5 0.5',
        'export/valid/images/b.jpg': IMAGE,
        'export/valid/labels/b.txt': '',
      }),
      { sizeOf: sizeIs(10, 10) },
    )
    expect(dataset.items.map((i) => i.key)).toEqual(['train:a.jpg', 'val:b.jpg'])
    expect(dataset.items[0]!.regions).toHaveLength(1)
    expect(report.warnings).toEqual([])
  })

  it('reads an export that went through a zip', () => {
    const source: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [
        item('x.jpg', [
          { kind: 'bbox', label: 'a', geometry: { x: 20, y: 10, w: 50, h: 40 }, attributes: {} },
        ]),
      ],
    }
    const { files, images } = exportYolo(source)
    for (const image of images.values()) files.set(image, IMAGE)
    const unpacked = unzipToFileSet(zipFileSet(files))
    const back = importYolo(unpacked, { sizeOf: sizeIs(200, 100) }).dataset
    expect(back.items.map((i) => i.key)).toEqual(['train:x.jpg'])
    expectSameBox(back.items[0]!.regions[0]!.geometry, { x: 20, y: 10, w: 50, h: 40 })
  })

  it('reads names from a names list given as a yaml list', () => {
    const { dataset } = importYolo(
      fileSet({
        'data.yaml': 'names: [x, y]\n',
        'images/p.png': IMAGE,
        'labels/p.txt': '0 0.5 0.5 0.5 0.5',
      }),
      { sizeOf: sizeIs(10, 10) },
    )
    expect(dataset.items[0]).toMatchObject({ subset: '', path: 'p.png' })
    expect(dataset.items[0]!.regions[0]!.label).toBe('x')
  })

  it('reports a label file whose image is absent', () => {
    const { dataset, report } = importYolo(
      fileSet({
        'classes.txt': 'a\n',
        'images/x.jpg': IMAGE,
        'labels/ghost.txt': '0 0.5 0.5 0.1 0.1',
      }),
      // The caller has x.jpg only; sizeOf is how it says which images it has.
      { sizeOf: (path) => (path.endsWith('x.jpg') ? { width: 10, height: 10 } : undefined) },
    )
    expect(dataset.items).toHaveLength(1)
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'unmatched-image', file: 'labels/ghost.txt' }),
    )
  })

  it('reads a labels-only upload, finding each image the caller has by its stem', () => {
    const known = new Map([
      ['cam1/x.png', { width: 200, height: 100 }],
      ['y.jpg', { width: 200, height: 100 }],
    ])
    const { dataset, report } = importYolo(
      fileSet({
        'data.yaml': 'names: [a]\ntrain: images/train\n',
        'labels/train/cam1/x.txt': '0 0.5 0.5 0.1 0.2',
        'labels/train/y.txt': '',
      }),
      { sizeOf: (path) => known.get(path) },
    )
    expect(dataset.items.map((i) => i.key)).toEqual(['train:cam1/x.png', 'train:y.jpg'])
    const box = dataset.items[0]!.regions[0]!.geometry as Record<string, number>
    for (const [k, v] of Object.entries({ x: 90, y: 40, w: 20, h: 20 }))
      expect(box[k]).toBeCloseTo(v, 9)
    expect(report.warnings).toEqual([])
  })

  it('reads its own export back without the images, through its manifest', () => {
    const dataset: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [
        item('img/x.jpg', [
          { kind: 'bbox', label: 'a', geometry: { x: 10, y: 10, w: 40, h: 20 }, attributes: {} },
        ]),
        item('img/x.png', []),
      ],
    }
    const { files } = exportYolo(dataset)
    const back = importYolo(files, { sizeOf: sizeIs(200, 100) })
    expect(back.dataset.items.map((i) => i.key)).toEqual(['train:img/x.jpg', 'train:img/x.png'])
    const box = back.dataset.items[0]!.regions[0]!.geometry as Record<string, number>
    for (const [k, v] of Object.entries({ x: 10, y: 10, w: 40, h: 20 })) {
      expect(box[k]).toBeCloseTo(v, 9)
    }
  })

  it('keeps the item but reports its regions when the image size is unknown', () => {
    const { dataset, report } = importYolo(
      fileSet({ 'classes.txt': 'a\n', 'images/x.jpg': IMAGE, 'labels/x.txt': '0 0.5 0.5 0.1 0.1' }),
    )
    expect(dataset.items[0]!.regions).toEqual([])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'missing-size', count: 1 }),
    )
  })
})

describe('importYolo values', () => {
  it('refuses a class index outside the names list, naming the file and line', () => {
    const error = importError(
      fileSet({
        'classes.txt': 'a\nb\n',
        'images/x.jpg': IMAGE,
        'labels/x.txt': '0 .5 .5 .1 .1\n\n2 .5 .5 .1 .1',
      }),
    )
    expect(error.file).toBe('labels/x.txt')
    expect(error.where).toBe('line 3')
  })

  it('leaves out lines of a class with a blank name, naming the file and line', () => {
    const configs: Record<string, string>[] = [
      { 'data.yaml': "names: ['', a, ' ', ~]\n" },
      { 'classes.txt': '\na\n \n\n' + 'b\n' },
    ]
    for (const config of configs) {
      const { dataset, report } = importYolo(
        fileSet({
          ...config,
          'images/x.jpg': IMAGE,
          'labels/x.txt': '0 .5 .5 .1 .1\n1 .5 .5 .1 .1\n2 .5 .5 .1 .1\n3 .5 .5 .1 .1',
        }),
        { sizeOf: sizeIs(100, 100) },
      )
      expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['a'])
      expect(dataset.labels.map((l) => l.name)).toEqual('data.yaml' in config ? ['a'] : ['a', 'b'])
      const skipped = report.warnings.filter((w) => w.code === 'skipped')
      expect(skipped.map((w) => [w.file, w.path])).toEqual([
        ['labels/x.txt', 'line 1'],
        ['labels/x.txt', 'line 3'],
        ['labels/x.txt', 'line 4'],
      ])
    }
  })

  it('clamps small overshoots and counts them, refusing large ones', () => {
    const files = fileSet({
      'classes.txt': 'a\n',
      'images/x.jpg': IMAGE,
      'labels/x.txt': '0 0.5 0.5 1.0004 0.5',
    })
    const { dataset, report } = importYolo(files, { sizeOf: sizeIs(100, 100) })
    expect(dataset.items[0]!.regions[0]!.geometry).toEqual({ x: 0, y: 25, w: 100, h: 50 })
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'clamped', count: 2 }))
    files.set('labels/x.txt', enc('0 0.5 0.5 1.2 0.5'))
    expect(importError(files).where).toBe('line 1')
  })

  it('reads four corners as a rotated box in pixels on a non-square image', () => {
    const rbox = { cx: 100, cy: 50, w: 60, h: 20, angle: 30 }
    const corners = rboxCorners(rbox).flatMap(([x, y]) => [x / 200, y / 100])
    const { dataset } = importYolo(
      fileSet({
        'classes.txt': 'a\n',
        'images/x.jpg': IMAGE,
        'labels/x.txt': `0 ${corners.join(' ')}`,
      }),
      { sizeOf: sizeIs(200, 100) },
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('rbox')
    for (const [key, value] of Object.entries(rbox)) {
      expect((region.geometry as Record<string, number>)[key]).toBeCloseTo(value, 6)
    }
  })

  it('reads four corners that are no rectangle as a polygon', () => {
    const { dataset } = importYolo(
      fileSet({
        'classes.txt': 'a\n',
        'images/x.jpg': IMAGE,
        'labels/x.txt': '0 0.1 0.1 0.9 0.2 0.5 0.9 0.2 0.6',
      }),
      { sizeOf: sizeIs(100, 100) },
    )
    expect(dataset.items[0]!.regions[0]!.kind).toBe('polygon')
  })

  it('reads a trailing confidence as a model score', () => {
    const { dataset } = importYolo(
      fileSet({
        'classes.txt': 'a\n',
        'images/x.jpg': IMAGE,
        'labels/x.txt': '0 0.5 0.5 0.2 0.2 0.87',
      }),
      { sizeOf: sizeIs(100, 100) },
    )
    expect(dataset.items[0]!.regions[0]).toMatchObject({
      kind: 'bbox',
      score: 0.87,
      source: 'model',
    })
  })

  it('says it read odd lines as predictions, and refuses one whose last value is no confidence', () => {
    const read = (line: string) =>
      importYolo(fileSet({ 'classes.txt': 'a\n', 'images/x.jpg': IMAGE, 'labels/x.txt': line }), {
        sizeOf: sizeIs(100, 100),
      })
    const { report } = read('0 0.1 0.1 0.5 0.1 0.5 0.5 0.9\n0 0.5 0.5 0.2 0.2 0.3\n')
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ count: 2, message: expect.stringMatching(/odd number of values/) }),
    )
    expect(() => read('0 0.5 0.5 0.2 0.2\n0 0.1 0.1 0.5 0.1 0.5 0.5 17\n')).toThrow(
      /labels\/x\.txt at line 2: odd number of coordinates \(7\), and the last value 17/,
    )
  })
})

describe('exportYolo', () => {
  const dataset: InterchangeDataset = {
    labels: [{ name: 'a' }, { name: 'b' }],
    items: [
      item('x.jpg', [
        {
          kind: 'rbox',
          label: 'b',
          geometry: { cx: 100, cy: 50, w: 40, h: 20, angle: 90 },
          attributes: {},
        },
        {
          kind: 'polygon',
          label: 'a',
          geometry: {
            points: [
              [0, 0],
              [50, 10],
              [20, 40],
            ],
          },
          attributes: {},
        },
      ]),
      item('empty.jpg', []),
    ],
  }

  it('writes bounds for rotated boxes and polygons in detect, and reports both', () => {
    const { files, report } = exportYolo(dataset)
    expect(dec(files.get('labels/train/x.txt'))).toBe(
      '1 0.500000 0.500000 0.100000 0.400000\n0 0.125000 0.200000 0.250000 0.400000\n',
    )
    expect(report.lossiness.map((l) => l.kind).sort()).toEqual(['polygon', 'rbox'])
  })

  it('writes an empty label file for an image without regions', () => {
    const { files } = exportYolo(dataset)
    expect(files.has('labels/train/empty.txt')).toBe(true)
    expect(dec(files.get('labels/train/empty.txt'))).toBe('')
  })

  it('writes names as a map and a split per subset', () => {
    const yaml = parseYaml(dec(exportYolo(dataset).files.get('data.yaml')))
    expect(yaml.names).toEqual({ 0: 'a', 1: 'b' })
    expect(yaml.train).toBe('images/train')
  })

  it('clips a box past the edge and never writes a value outside [0, 1]', () => {
    const { files, report } = exportYolo({
      labels: [{ name: 'a' }],
      items: [
        item('x.jpg', [
          { kind: 'bbox', label: 'a', geometry: { x: -5, y: 90, w: 50, h: 30 }, attributes: {} },
        ]),
      ],
    })
    expect(dec(files.get('labels/train/x.txt'))).toBe('0 0.112500 0.950000 0.225000 0.100000\n')
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'clipped', count: 1 }))
  })

  it('gives two images that differ only in extension distinct label files that read back', () => {
    const box = { kind: 'bbox' as const, label: 'a', attributes: {} }
    const source: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [
        item('a.jpg', [{ ...box, geometry: { x: 0, y: 0, w: 10, h: 10 } }]),
        item('a.png', [{ ...box, geometry: { x: 20, y: 20, w: 10, h: 10 } }]),
        item('a_png.png', []),
      ],
    }
    const { files, images } = exportYolo(source)
    const labelFiles = [...files.keys()].filter((p) => p.startsWith('labels/'))
    expect(new Set(labelFiles).size).toBe(3)
    const withImages = new Map(files)
    for (const path of images.values()) withImages.set(path, IMAGE)
    const back = importYolo(withImages, { sizeOf: sizeIs(200, 100) }).dataset
    const byKey = new Map(back.items.map((i) => [i.key, i]))
    for (const original of source.items) {
      const read = byKey.get(original.key)
      expect(read?.regions).toHaveLength(original.regions.length)
      original.regions.forEach((region, i) => {
        expectSameBox(read!.regions[i]!.geometry, region.geometry as Record<string, number>)
      })
    }
  })

  it('brings subsets back, including items without a subset', () => {
    const source: InterchangeDataset = {
      labels: [],
      items: [item('a.jpg', [], ''), item('a.jpg', [], 'train'), item('b.jpg', [], 'Validation')],
    }
    const { files, images } = exportYolo(source)
    for (const path of images.values()) files.set(path, IMAGE)
    const back = importYolo(files, { sizeOf: sizeIs(200, 100) }).dataset
    expect(back.items.map((i) => i.key).sort()).toEqual(source.items.map((i) => i.key).sort())
  })
})
