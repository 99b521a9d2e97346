import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FormatError, type FileSet, type InterchangeDataset } from '../model.ts'
import { exportVoc, importVoc } from './index.ts'

/** Property tests run a hundred cases each; a loaded 2-core CI box needs more than 5 s. */
const PROPERTY_OPTIONS = { timeout: 30_000 }

const enc = (text: string) => new TextEncoder().encode(text)
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)

function fileSet(entries: Record<string, string>): FileSet {
  return new Map(Object.entries(entries).map(([k, v]) => [k, enc(v)]))
}

function annotation(body: string, filename = 'a.jpg'): string {
  return `<annotation><filename>${filename}</filename><size><width>100</width><height>50</height><depth>3</depth></size>${body}</annotation>`
}

const box = (name: string, corners: [number, number, number, number], extra = '') =>
  `<object><name>${name}</name>${extra}<bndbox><xmin>${corners[0]}</xmin><ymin>${corners[1]}</ymin><xmax>${corners[2]}</xmax><ymax>${corners[3]}</ymax></bndbox></object>`

describe('importVoc', () => {
  it('reads 1-based pixel indices: xmin=1 is the first pixel and xmax is inside', () => {
    const { dataset } = importVoc(fileSet({ 'a.xml': annotation(box('cat', [1, 1, 10, 20])) }))
    expect(dataset.items[0]!.regions[0]!.geometry).toEqual({ x: 0, y: 0, w: 10, h: 20 })
  })

  it('reads zero-based continuous files as written with the option', () => {
    const { dataset } = importVoc(fileSet({ 'a.xml': annotation(box('cat', [1, 1, 10, 20])) }), {
      convention: 'zero-based-continuous',
    })
    expect(dataset.items[0]!.regions[0]!.geometry).toEqual({ x: 1, y: 1, w: 9, h: 19 })
  })

  it('keeps truncated, difficult, occluded, pose and other fields as attributes', () => {
    const extra =
      '<pose>Left</pose><truncated>1</truncated><difficult>0</difficult><occluded>1</occluded><note>blurry</note>' +
      '<attributes><attribute><name>color</name><value>red</value></attribute></attributes>'
    const { dataset } = importVoc(fileSet({ 'a.xml': annotation(box('cat', [1, 1, 2, 2], extra)) }))
    expect(dataset.items[0]!.regions[0]!.attributes).toEqual({
      pose: 'Left',
      truncated: true,
      difficult: false,
      occluded: true,
      note: 'blurry',
      color: 'red',
    })
  })

  it('names the item after the XML file and warns when <filename> disagrees', () => {
    const { dataset, report } = importVoc(
      fileSet({
        'VOC/Annotations/000001.xml': annotation(box('train', [1, 1, 2, 2]), '000002.jpg'),
      }),
    )
    expect(dataset.items[0]!.path).toBe('000001.jpg')
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        file: 'VOC/Annotations/000001.xml',
        message: expect.stringContaining('000002.jpg'),
      }),
    )
  })

  it('names the item after <filename>, ignoring <folder>, with nameFrom filename', () => {
    const xml = annotation(`<folder>VOC2007</folder>${box('cat', [1, 1, 10, 20])}`, 'photo.png')
    const body = fileSet({ 'annotations.xml': xml })
    expect(importVoc(body).dataset.items[0]!.path).toBe('annotations.png')

    const { dataset, report } = importVoc(body, { nameFrom: 'filename' })
    expect(dataset.items.map((i) => i.path)).toEqual(['photo.png'])
    expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['cat'])
    expect(report.warnings).toEqual([])
  })

  it('with nameFrom filename, finds the image by <filename>, keeps its folders, and drops a drive', () => {
    const { dataset } = importVoc(
      new Map([
        ['x/ann.xml', enc(annotation(box('cat', [1, 1, 2, 2]), 'a'))],
        ['x/a.jpeg', new Uint8Array([0xff, 0xd8])],
        ['y.xml', enc(annotation('', 'cam1/b.jpg'))],
        ['z.xml', enc(annotation('', 'C:\\data\\c.jpg'))],
      ]),
      { nameFrom: 'filename' },
    )
    expect(dataset.items.map((i) => i.path)).toEqual(['c.jpg', 'cam1/b.jpg', 'x/a.jpeg'])
  })

  it('falls back to the XML name without <filename>, joins two XMLs naming one image, and refuses an unknown nameFrom', () => {
    const bare = '<annotation><size><width>9</width><height>9</height></size></annotation>'
    const { dataset, report } = importVoc(
      fileSet({
        'a.xml': bare,
        'b.xml': annotation(box('cat', [1, 1, 2, 2]), 'p.jpg'),
        'c.xml': annotation(box('dog', [1, 1, 2, 2]), 'p.jpg'),
      }),
      { nameFrom: 'filename' },
    )
    expect(dataset.items.map((i) => [i.path, i.regions.map((r) => r.label)])).toEqual([
      ['a.jpg', []],
      ['p.jpg', ['cat', 'dog']],
    ])
    expect(report.warnings.map((w) => w.file)).toEqual(['a.xml', 'c.xml'])
    expect(() => importVoc(fileSet({ 'a.xml': bare }), { nameFrom: 'name' as never })).toThrow(
      FormatError,
    )
  })

  it('takes subsets from ImageSets/Main, preferring train over trainval, and keeps listed images without XML', () => {
    const { dataset } = importVoc(
      fileSet({
        'Annotations/a.xml': annotation(box('cat', [1, 1, 2, 2])),
        'ImageSets/Main/train.txt': 'a\n',
        'ImageSets/Main/trainval.txt': 'a\nb\n',
        'ImageSets/Main/cat_train.txt': 'a 1\n',
      }),
    )
    expect(dataset.items.map((i) => i.key)).toEqual(['train:a.jpg', 'trainval:b.jpg'])
  })

  it('reads an annotation without size or objects as an item without regions, sized by the caller', () => {
    const { dataset } = importVoc(
      fileSet({ 'x.xml': '<annotation><filename>x.png</filename></annotation>' }),
      {
        sizeOf: () => ({ width: 7, height: 5 }),
      },
    )
    expect(dataset.items[0]).toMatchObject({ path: 'x.png', width: 7, height: 5, regions: [] })
  })

  it('leaves out objects and parts whose name is empty or blank, naming each one', () => {
    const part = (name: string) =>
      `<part><name>${name}</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></part>`
    const body = [
      box('', [1, 1, 10, 20]),
      box('person', [1, 1, 10, 20], part(' ') + part('head')),
      box('  ', [1, 1, 10, 20]),
      '<object><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>',
    ].join('')
    const { dataset, report } = importVoc(fileSet({ 'a.xml': annotation(body) }))
    expect(dataset.items[0]!.regions.map((r) => r.label)).toEqual(['person', 'head'])
    expect(dataset.labels.map((l) => l.name)).toEqual(['person', 'head'])
    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped.map((w) => [w.file, w.path])).toEqual([
      ['a.xml', 'annotation/object[0]'],
      ['a.xml', 'annotation/object[1]/part[0]'],
      ['a.xml', 'annotation/object[2]'],
      ['a.xml', 'annotation/object[3]'],
    ])
  })

  it('decodes numeric character references in names and attributes, and writes the text back', () => {
    const name = 'salt &amp; pepper &#233; &#xE9; &lt;x&gt;'
    const extra = '<note>caf&#xE9; &amp;#233;</note>'
    const { dataset } = importVoc(fileSet({ 'a.xml': annotation(box(name, [1, 1, 2, 2], extra)) }))
    const region = dataset.items[0]!.regions[0]!
    expect(region.label).toBe('salt & pepper \u00e9 \u00e9 <x>')
    expect(region.attributes.note).toBe('caf\u00e9 &#233;')
    const written = dec([...exportVoc(dataset).files.values()][0])
    expect(written).toContain('<name>salt &amp; pepper \u00e9 \u00e9 &lt;x&gt;</name>')
    const back = importVoc(exportVoc(dataset).files).dataset.items[0]!.regions[0]!
    expect([back.label, back.attributes.note]).toEqual([region.label, region.attributes.note])
  })

  it('refuses a box whose corners are not numbers, naming the field', () => {
    const files = fileSet({
      'a.xml': annotation(box('cat', [1, 1, 2, 2]).replace('<xmax>2', '<xmax>two')),
    })
    expect(() => importVoc(files)).toThrow(FormatError)
    expect(() => importVoc(files)).toThrow(/object\[0\]\/bndbox\/xmax/)
  })
})

describe('exportVoc', PROPERTY_OPTIONS, () => {
  it('writes rotated boxes and polygons as bounds and reports them', () => {
    const dataset: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [
        {
          key: 'x.jpg',
          subset: '',
          path: 'x.jpg',
          width: 100,
          height: 50,
          tags: [],
          regions: [
            {
              kind: 'rbox',
              label: 'a',
              attributes: {},
              geometry: { cx: 50, cy: 25, w: 20, h: 10, angle: 90 },
            },
            {
              kind: 'polygon',
              label: 'a',
              attributes: {},
              geometry: {
                points: [
                  [1, 2],
                  [9, 2],
                  [5, 8],
                ],
              },
            },
          ],
        },
      ],
    }
    const { files, report } = exportVoc(dataset)
    const xml = dec(files.get('Annotations/x.xml'))
    expect(xml).toContain('<xmin>46</xmin>')
    expect(xml).toContain('<xmax>55</xmax>')
    expect(report.lossiness.map((l) => l.kind).sort()).toEqual(['polygon', 'rbox'])
  })

  it('gives items with the same name in two folders distinct annotation files', () => {
    const item = (subset: string, path: string) => ({
      key: `${subset}:${path}`,
      subset,
      path,
      regions: [],
      tags: [],
    })
    const { files, images } = exportVoc({
      labels: [],
      items: [item('train', 'a/x.jpg'), item('val', 'b/x.jpg')],
    })
    expect([...files.keys()].filter((p) => p.startsWith('Annotations/'))).toHaveLength(2)
    expect(new Set(images.values()).size).toBe(2)
  })

  it('gives boxes and attributes back on import, in both conventions', () => {
    const coordinate = fc.integer({ min: 0, max: 2000 }).map((n) => n / 4)
    const region = fc.record({
      label: fc.constantFrom('cat', 'dog'),
      x: coordinate,
      y: coordinate,
      w: coordinate,
      h: coordinate,
      difficult: fc.boolean(),
      truncated: fc.oneof(fc.boolean(), fc.double({ min: 0.01, max: 0.99, noNaN: true })),
      colour: fc.constantFrom('red', '0003', 'x y'),
    })
    const convention = fc.constantFrom('one-based' as const, 'zero-based-continuous' as const)
    fc.assert(
      fc.property(fc.array(region, { maxLength: 5 }), convention, (regions, convention) => {
        const source: InterchangeDataset = {
          labels: [{ name: 'cat' }, { name: 'dog' }],
          items: [
            {
              key: 'train:p.jpg',
              subset: 'train',
              path: 'p.jpg',
              width: 1000,
              height: 1000,
              tags: [],
              regions: regions.map((r) => ({
                kind: 'bbox' as const,
                label: r.label,
                geometry: { x: r.x, y: r.y, w: r.w, h: r.h },
                attributes: { difficult: r.difficult, truncated: r.truncated, colour: r.colour },
              })),
            },
          ],
        }
        const { files } = exportVoc(source, { convention })
        const back = importVoc(files, { convention }).dataset
        expect(back.items.map((i) => i.key)).toEqual(['train:p.jpg'])
        const read = back.items[0]!.regions
        expect(read).toHaveLength(regions.length)
        read.forEach((got, i) => {
          const want = source.items[0]!.regions[i]!
          expect(got.label).toBe(want.label)
          for (const [k, v] of Object.entries(want.geometry)) {
            expect((got.geometry as Record<string, number>)[k]).toBeCloseTo(v as number, 6)
          }
          expect(got.attributes).toMatchObject(want.attributes)
        })
      }),
    )
  })
})
